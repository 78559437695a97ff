/* fuzz_gfxrender.c — libFuzzer target: the graphical console's renderer
 * and placement arithmetic (tui/gfx) with framebuffers, dirty rectangles,
 * targets, cell sizes, zooms and pans as a guest and a terminal could
 * give them: nothing may be read or written out of bounds, and every
 * cell of the picture maps to a pixel of the framebuffer. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/gfx/render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The next input byte (0 past the end). */
static int next(const uint8_t **d, size_t *n)
{
	if (!*n)
		return 0;
	(*n)--;
	return *(*d)++;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *d = data;
	size_t n = size;
	/* one at a time: the order of an initializer's calls is unspecified */
	int fb_w = next(&d, &n) % 97 + 1;
	int fb_h = next(&d, &n) % 61 + 1;
	int stride = fb_w + next(&d, &n) % 5;
	struct gfx_opts o;
	o.mode = (enum gfx_mode)(next(&d, &n) % 4);
	o.colors = (enum gfx_colors)(next(&d, &n) % 3);
	o.symbols = (unsigned)next(&d, &n) % 4;
	o.cell_w = next(&d, &n) % 24;
	o.cell_h = next(&d, &n) % 40;
	struct gfx_rect t;
	t.x = next(&d, &n) % 8;
	t.y = next(&d, &n) % 8;
	t.w = next(&d, &n) % 50;
	t.h = next(&d, &n) % 24;
	enum gfx_zoom z = (enum gfx_zoom)(next(&d, &n) % 3);
	int pan_x = (int8_t)next(&d, &n) * 3;
	int pan_y = (int8_t)next(&d, &n) * 3;
	uint32_t *px = malloc(sizeof(uint32_t) * (size_t)stride * fb_h);
	for (int i = 0; i < stride * fb_h; i++)
		px[i] = (uint32_t)(next(&d, &n) * 0x10101) ^ (uint32_t)i;
	struct gfx_frame f = { px, fb_w, fb_h, stride, { 0, 0, fb_w, fb_h }, 1 };
	struct gfxr *r = gfxr_new(&o);
	gfxr_set_target(r, t);
	gfxr_set_view(r, z, pan_x, pan_y);
	size_t len;
	gfxr_render(r, &f, &len);
	/* a change somewhere, a dirty rectangle that may be anything */
	for (int k = 0; k < 3 && n; k++) {
		int x = next(&d, &n) % fb_w;
		int y = next(&d, &n) % fb_h;
		px[y * stride + x] ^= 0xffffff;
		f.dirty.x = (int8_t)next(&d, &n);
		f.dirty.y = (int8_t)next(&d, &n);
		f.dirty.w = next(&d, &n);
		f.dirty.h = next(&d, &n);
		f.seq++;
		gfxr_render(r, &f, &len);
	}
	struct gfx_fit fit;
	if (gfxr_fit(r, &fit))
		for (int row = fit.cells.y; row < fit.cells.y + fit.cells.h; row++)
			for (int col = fit.cells.x; col < fit.cells.x + fit.cells.w; col++) {
				int gx, gy;
				if (gfx_cell_to_guest(&fit, row, col, &gx, &gy) &&
				    (gx < 0 || gy < 0 || gx >= fb_w || gy >= fb_h)) {
					fprintf(stderr, "cell %d,%d -> pixel %d,%d off %dx%d\n",
						row, col, gx, gy, fb_w, fb_h);
					abort();
				}
			}
	gfxr_clear(r, &len);
	gfxr_free(r);
	free(px);
	return 0;
}
