/* fuzz_termreply.c — libFuzzer target: the terminal's answers to the
 * graphics queries (tui/gfx/detect.c). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/gfx/detect.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gfx_replies r;

	gfx_parse_replies((const char *)data, size, &r);
	/* the version is a terminated string of printable ASCII */
	size_t n = strnlen(r.version, sizeof(r.version));
	if (n >= sizeof(r.version)) {
		fprintf(stderr, "version not terminated\n");
		abort();
	}
	for (size_t i = 0; i < n; i++)
		if (r.version[i] < 0x20 || r.version[i] > 0x7e) {
			fprintf(stderr, "version byte %#x\n", (unsigned char)r.version[i]);
			abort();
		}
	if (r.other > size || r.cell_w < 0 || r.cell_h < 0 || r.cell_w >= 1024 ||
	    r.cell_h >= 1024 || (r.sixel && !r.da1)) {
		fprintf(stderr, "answers out of range\n");
		abort();
	}
	(void)gfx_mode_from_replies(&r);
	return 0;
}
