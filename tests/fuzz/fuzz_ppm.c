/* fuzz_ppm.c — libFuzzer target: the PPM decoder of the guest's
 * screenshots (model/guest/gfxkeys.c), bytes that come from the guest's
 * host. Success gives every pixel of the size said, 0x00RRGGBB; failure
 * says why and gives no pixels. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "model/guest/gfx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t *px = NULL, acc = 0;
	int w = -1, h = -1;
	char *err = NULL;
	size_t i;

	if (gfx_ppm_decode(data, size, &px, &w, &h, &err) == 0) {
		if (px == NULL || w <= 0 || h <= 0 || w > 16384 || h > 16384 || err != NULL) {
			fprintf(stderr, "decoded %dx%d px=%p err=%s\n", w, h, (void *)px, err ? err : "-");
			abort();
		}
		/* Touch every pixel: the sanitizers see a short buffer. */
		for (i = 0; i < (size_t)w * (size_t)h; i++)
			acc |= px[i];
		if (acc >> 24) {
			fprintf(stderr, "a pixel with bits above 0x00ffffff\n");
			abort();
		}
		free(px);
	} else {
		if (px != NULL || err == NULL || err[0] == '\0') {
			fprintf(stderr, "failed without a reason, or with pixels\n");
			abort();
		}
		free(err);
	}
	return 0;
}
