/* fuzz_vmdef.c — libFuzzer target: VM definition files (config/vmdef.c). */
#include <stddef.h>
#include <stdint.h>

#include "config/vmdef.h"
#include "fuzzcheck.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vmdef_file f;
	struct config_errors e = { 0 };
	int rc;

	memset(&f, 0, sizeof f);
	/* Relative user_data_file names resolve in a folder that is not there. */
	rc = vmdef_parse(&f, FUZZ_FILE, "/nonexistent-vmtui-fuzz", (const char *)data, size, &e);
	fuzz_check_errors(rc, &e);
	vmdef_file_free(&f);
	config_errors_free(&e);
	return 0;
}
