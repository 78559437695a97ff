/* gfxdump.c — draws a known framebuffer with tui/gfx's renderer to
 * standard output (a terminal or a pty), for tests/gfx/decode.py, which
 * decodes what came out and compares it with the framebuffer.
 *
 * Usage: gfxdump MODE FB.ppm
 *   MODE: kitty, sixel, iterm or symbols. The picture fills the terminal
 *   (TIOCGWINSZ of standard output; its pixel size gives the cell size)
 *   but for the last row. The framebuffer (320 x 200: colour bars over a
 *   grey ramp, a checked square) is written to FB.ppm, and the placement
 *   to standard error as "fit X Y W H CELL_W CELL_H". Then the same frame
 *   again, and the bytes of that second frame on standard error as
 *   "still N". */
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "tui/gfx/render.h"

#define FB_W 320
#define FB_H 200

static void pattern(uint32_t *px)
{
	static const uint32_t bars[8] = { 0xffffff, 0xffff00, 0x00ffff, 0x00ff00,
					  0xff00ff, 0xff0000, 0x0000ff, 0x000000 };
	for (int y = 0; y < FB_H; y++)
		for (int x = 0; x < FB_W; x++) {
			uint32_t c;
			if (y < 120)
				c = bars[x * 8 / FB_W];
			else {
				uint32_t g = (uint32_t)(x * 255 / (FB_W - 1));
				c = g << 16 | g << 8 | g;
			}
			/* a checked square, 16-pixel checks, in the middle */
			if (x >= 128 && x < 192 && y >= 136 && y < 200)
				c = (((x - 128) / 16 + (y - 136) / 16) & 1) ? 0x2040c0 : 0xe0a020;
			px[y * FB_W + x] = c;
		}
}

static int write_ppm(const char *path, const uint32_t *px)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	fprintf(f, "P6\n%d %d\n255\n", FB_W, FB_H);
	for (int i = 0; i < FB_W * FB_H; i++) {
		unsigned char rgb[3] = { (unsigned char)(px[i] >> 16), (unsigned char)(px[i] >> 8),
					 (unsigned char)px[i] };
		fwrite(rgb, 1, 3, f);
	}
	return fclose(f);
}

static void write_all(const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(1, p, n);
		if (w <= 0)
			exit(1);
		p += w;
		n -= (size_t)w;
	}
}

int main(int argc, char **argv)
{
	enum gfx_mode mode;
	if (argc != 3 || !gfx_mode_parse(argv[1], &mode)) {
		fprintf(stderr, "usage: gfxdump kitty|sixel|iterm|symbols FB.ppm\n");
		return 2;
	}
	static uint32_t px[FB_W * FB_H];
	pattern(px);
	if (write_ppm(argv[2], px) != 0) {
		perror(argv[2]);
		return 1;
	}
	struct winsize ws = { 0 };
	if (ioctl(1, TIOCGWINSZ, &ws) != 0 || ws.ws_col == 0) {
		ws.ws_col = 80;
		ws.ws_row = 24;
	}
	struct gfx_opts o = { mode, GFX_COLORS_TRUE, GFX_SYM_DEFAULT, 0, 0 };
	gfx_cell_size(ws.ws_col, ws.ws_row, ws.ws_xpixel, ws.ws_ypixel, &o.cell_w, &o.cell_h);
	struct gfxr *r = gfxr_new(&o);
	gfxr_set_target(r, (struct gfx_rect){ 0, 0, ws.ws_col, ws.ws_row - 1 });
	struct gfx_frame f = { px, FB_W, FB_H, FB_W, { 0, 0, FB_W, FB_H }, 1 };
	size_t n;
	const char *b = gfxr_render(r, &f, &n);
	write_all(b, n);
	struct gfx_fit fit;
	gfxr_fit(r, &fit);
	fprintf(stderr, "fit %d %d %d %d %d %d\n", fit.cells.x, fit.cells.y, fit.cells.w,
		fit.cells.h, o.cell_w, o.cell_h);
	b = gfxr_render(r, &f, &n);
	write_all(b, n);
	fprintf(stderr, "still %zu\n", n);
	gfxr_free(r);
	return 0;
}
