/* fuzz_theme.c — libFuzzer target: theme files (config/theme.c). */
#include <stddef.h>
#include <stdint.h>

#include "config/theme.h"
#include "fuzzcheck.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct theme t;
	struct config_errors e = { 0 };
	int rc, i;

	theme_default(&t);
	rc = theme_parse(&t, FUZZ_FILE, (const char *)data, size, NULL, NULL, 0, &e);
	fuzz_check_errors(rc, &e);
	/* Whatever was read maps to a colour every terminal can show. */
	for (i = 0; i < TS_COUNT; i++) {
		static const int colours[] = { 8, 16, 256 };
		size_t k;
		for (k = 0; k < sizeof colours / sizeof colours[0]; k++) {
			int n = colours[k];
			int fg = theme_color_index(&t.s[i].fg, n), bg = theme_color_index(&t.s[i].bg, n);
			if (fg < -1 || fg >= n || bg < -1 || bg >= n) {
				fprintf(stderr, "slot %d maps to %d/%d with %d colours\n", i, fg, bg, n);
				abort();
			}
		}
	}
	config_errors_free(&e);
	return 0;
}
