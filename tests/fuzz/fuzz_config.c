/* fuzz_config.c — libFuzzer target: config.yaml (config/config.c), with its
 * theme: and keys: sections. */
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "fuzzcheck.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config c;
	struct config_errors e = { 0 };
	int rc;

	config_init(&c);
	rc = config_parse(&c, FUZZ_FILE, (const char *)data, size, &e);
	fuzz_check_errors(rc, &e);
	config_free(&c);
	config_errors_free(&e);
	return 0;
}
