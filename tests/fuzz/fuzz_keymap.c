/* fuzz_keymap.c — libFuzzer target: the keys: section (config/keymap.c). */
#include <stddef.h>
#include <stdint.h>

#include "config/keymap.h"
#include "fuzzcheck.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct keymap km = { 0 };
	struct config_errors e = { 0 };
	size_t i, k;
	int rc;

	rc = keymap_parse(&km, FUZZ_FILE, (const char *)data, size, &e);
	fuzz_check_errors(rc, &e);
	for (i = 0; i < km.n; i++)
		for (k = 0; k < km.v[i].nkeys; k++)
			if (km.v[i].keys[k] < 1 || km.v[i].keys[k] >= KMK_MAX) {
				fprintf(stderr, "key code %d out of range\n", km.v[i].keys[k]);
				abort();
			}
	keymap_free(&km);
	config_errors_free(&e);
	return 0;
}
