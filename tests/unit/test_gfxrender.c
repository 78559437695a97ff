/* test_gfxrender.c — tui/gfx: the placement arithmetic (fit, zoom,
 * viewport, mouse), the renderer's output per mode and its "only what
 * changed", and the parser of the terminal's answers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "tui/gfx/detect.h"
#include "tui/gfx/fit.h"
#include "tui/gfx/render.h"

/* ---- fit ---- */

static void test_fit_letterbox(void **state)
{
	(void)state;
	struct gfx_fit f;
	/* 640x480 in 80x24 cells of 8x16: height-limited, 64 columns, centred */
	assert_true(gfx_fit(640, 480, (struct gfx_rect){ 0, 0, 80, 24 }, 8, 16, 8, 16,
			    GFX_ZOOM_FIT, 0, 0, &f));
	assert_int_equal(f.cells.x, 8);
	assert_int_equal(f.cells.y, 0);
	assert_int_equal(f.cells.w, 64);
	assert_int_equal(f.cells.h, 24);
	assert_int_equal(f.src.w, 640);
	assert_int_equal(f.src.h, 480);
	int gx, gy, row, col;
	assert_false(gfx_cell_to_guest(&f, 0, 7, &gx, &gy));   /* letterbox */
	assert_false(gfx_cell_to_guest(&f, 0, 72, &gx, &gy));
	assert_true(gfx_cell_to_guest(&f, 0, 8, &gx, &gy));
	assert_int_equal(gx, 5);   /* centre of the first 10-pixel column */
	assert_int_equal(gy, 10);  /* 20 pixels a row */
	assert_true(gfx_cell_to_guest(&f, 23, 71, &gx, &gy));
	assert_int_equal(gx, 635);
	assert_int_equal(gy, 470);
	assert_true(gfx_guest_to_cell(&f, 639, 479, &row, &col));
	assert_int_equal(row, 23);
	assert_int_equal(col, 71);
	assert_false(gfx_guest_to_cell(&f, 640, 0, &row, &col));
	assert_false(gfx_guest_to_cell(&f, -1, 0, &row, &col));

	/* a wide framebuffer in a tall target: width-limited, centred down */
	assert_true(gfx_fit(1920, 200, (struct gfx_rect){ 2, 1, 40, 30 }, 8, 16, 8, 16,
			    GFX_ZOOM_FIT, 5, 5, &f));
	assert_int_equal(f.cells.w, 40);
	assert_int_equal(f.cells.h, 2);   /* 200 * 320 / 1920 = 33 px = 2 rows */
	assert_int_equal(f.cells.x, 2);
	assert_int_equal(f.cells.y, 1 + 14);
	assert_int_equal(f.pan_x, 0);
	assert_int_equal(f.pan_y, 0);

	assert_false(gfx_fit(0, 480, (struct gfx_rect){ 0, 0, 80, 24 }, 8, 16, 8, 16,
			     GFX_ZOOM_FIT, 0, 0, &f));
	assert_false(gfx_fit(640, 480, (struct gfx_rect){ 0, 0, 0, 24 }, 8, 16, 8, 16,
			     GFX_ZOOM_FIT, 0, 0, &f));
	assert_int_equal(f.cells.w, 0);
}

/* Every cell maps to a pixel that maps back to it (a cell shows at least
 * one pixel), and every pixel to a cell whose centre is a pixel of the
 * same cell; at odd sizes. */
static void test_fit_roundtrip_odd(void **state)
{
	(void)state;
	static const int sizes[][6] = {
		/* fb_w fb_h tw th cw ch */
		{ 1023, 767, 79, 23, 7, 15 },
		{ 721, 401, 33, 17, 9, 19 },
		{ 1280, 1024, 200, 59, 10, 21 },
		{ 37, 1001, 13, 7, 8, 16 },
	};
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		const int *z = sizes[s];
		struct gfx_fit f;
		assert_true(gfx_fit(z[0], z[1], (struct gfx_rect){ 3, 2, z[2], z[3] },
				    z[4], z[5], z[4], z[5], GFX_ZOOM_FIT, 0, 0, &f));
		/* aspect kept within half a cell on the limited axis */
		double want = (double)z[0] / z[1];
		double lo = (f.cells.w - 0.5) * z[4] / ((f.cells.h + 0.5) * z[5]);
		double hi = (f.cells.w + 0.5) * z[4] / ((f.cells.h - 0.5) * z[5]);
		assert_true(f.cells.w == z[2] || f.cells.h == z[3]);
		assert_true(want >= lo && (f.cells.h == 1 || want <= hi));
		assert_true(f.cells.x >= 3 && f.cells.x + f.cells.w <= 3 + z[2]);
		assert_true(f.cells.y >= 2 && f.cells.y + f.cells.h <= 2 + z[3]);
		for (int r = f.cells.y; r < f.cells.y + f.cells.h; r++)
			for (int c = f.cells.x; c < f.cells.x + f.cells.w; c++) {
				int gx, gy, r2, c2;
				assert_true(gfx_cell_to_guest(&f, r, c, &gx, &gy));
				assert_true(gx >= 0 && gx < z[0] && gy >= 0 && gy < z[1]);
				if (f.x_num >= f.x_den && f.y_num >= f.y_den) {
					assert_true(gfx_guest_to_cell(&f, gx, gy, &r2, &c2));
					assert_int_equal(r2, r);
					assert_int_equal(c2, c);
				}
			}
		for (int gy = 0; gy < z[1]; gy += 7)
			for (int gx = 0; gx < z[0]; gx += 5) {
				int r, c, x2, y2;
				assert_true(gfx_guest_to_cell(&f, gx, gy, &r, &c));
				assert_true(gfx_cell_to_guest(&f, r, c, &x2, &y2));
				int r3, c3;
				assert_true(gfx_guest_to_cell(&f, x2, y2, &r3, &c3));
				assert_int_equal(r3, r);
				assert_int_equal(c3, c);
			}
	}
}

static void test_zoom_viewport(void **state)
{
	(void)state;
	struct gfx_fit f;
	int gx, gy, row, col;
	/* half blocks (1 x 2 pixels a cell), 1:1: 640 x 240 cells of picture */
	assert_true(gfx_fit(640, 480, (struct gfx_rect){ 0, 1, 80, 24 }, 8, 16, 1, 2,
			    GFX_ZOOM_1, 1000, -5, &f));
	assert_int_equal(f.pic_w, 640);
	assert_int_equal(f.pic_h, 240);
	assert_int_equal(f.pan_x, 560);   /* clamped to the right edge */
	assert_int_equal(f.pan_y, 0);
	assert_int_equal(f.cells.x, 0);
	assert_int_equal(f.cells.y, 1);
	assert_int_equal(f.cells.w, 80);
	assert_int_equal(f.cells.h, 24);
	assert_int_equal(f.src.x, 560);
	assert_int_equal(f.src.w, 80);
	assert_int_equal(f.src.y, 0);
	assert_int_equal(f.src.h, 48);
	assert_true(gfx_cell_to_guest(&f, 1, 0, &gx, &gy));
	assert_int_equal(gx, 560);
	assert_int_equal(gy, 1);
	assert_false(gfx_guest_to_cell(&f, 559, 0, &row, &col));  /* left of the view */
	assert_true(gfx_guest_to_cell(&f, 600, 47, &row, &col));
	assert_int_equal(col, 40);
	assert_int_equal(row, 1 + 23);

	/* 2:1: each guest pixel two cells across, one down */
	assert_true(gfx_fit(640, 480, (struct gfx_rect){ 0, 0, 80, 24 }, 8, 16, 1, 2,
			    GFX_ZOOM_2, 3, 7, &f));
	assert_int_equal(f.pic_w, 1280);
	assert_int_equal(f.pic_h, 480);
	assert_int_equal(f.pan_x, 3);
	assert_true(gfx_cell_to_guest(&f, 0, 0, &gx, &gy));
	assert_int_equal(gx, 1);    /* picture column 3 = second half of pixel 1 */
	assert_int_equal(gy, 7);
	assert_true(gfx_cell_to_guest(&f, 0, 1, &gx, &gy));
	assert_int_equal(gx, 2);
	assert_true(gfx_guest_to_cell(&f, 2, 7, &row, &col));
	assert_int_equal(col, 1);
	assert_int_equal(row, 0);
	struct gfx_rect c;
	assert_true(gfx_guest_rect_to_cells(&f, (struct gfx_rect){ 2, 8, 3, 2 }, &c));
	assert_int_equal(c.x, 1);
	assert_int_equal(c.w, 6);
	assert_int_equal(c.y, 1);
	assert_int_equal(c.h, 2);

	/* a picture smaller than the target, zoomed: centred, no pan */
	assert_true(gfx_fit(20, 10, (struct gfx_rect){ 0, 0, 80, 24 }, 8, 16, 8, 16,
			    GFX_ZOOM_1, 9, 9, &f));
	assert_int_equal(f.cells.w, 3);
	assert_int_equal(f.cells.h, 1);
	assert_int_equal(f.cells.x, 38);
	assert_int_equal(f.cells.y, 11);
	assert_int_equal(f.pan_x, 0);
	assert_true(gfx_cell_to_guest(&f, 11, 40, &gx, &gy));
	assert_int_equal(gx, 19);   /* the last, partly covered cell */
	assert_int_equal(gy, 8);
}

static void test_rects_and_cell_size(void **state)
{
	(void)state;
	struct gfx_rect o;
	assert_false(gfx_rect_clip((struct gfx_rect){ 0, 0, 5, 5 }, (struct gfx_rect){ 5, 0, 5, 5 }, &o));
	assert_true(gfx_rect_clip((struct gfx_rect){ 0, 0, 5, 5 }, (struct gfx_rect){ 4, 3, 5, 5 }, &o));
	assert_int_equal(o.x, 4);
	assert_int_equal(o.w, 1);
	assert_int_equal(o.h, 2);
	o = gfx_rect_union((struct gfx_rect){ 0, 0, 0, 0 }, (struct gfx_rect){ 2, 2, 1, 1 });
	assert_int_equal(o.x, 2);
	o = gfx_rect_union((struct gfx_rect){ 0, 0, 2, 2 }, (struct gfx_rect){ 5, 6, 1, 1 });
	assert_int_equal(o.w, 6);
	assert_int_equal(o.h, 7);
	int w, h;
	gfx_cell_size(80, 24, 640, 384, &w, &h);
	assert_int_equal(w, 8);
	assert_int_equal(h, 16);
	gfx_cell_size(100, 30, 1000, 630, &w, &h);
	assert_int_equal(w, 10);
	assert_int_equal(h, 21);
	gfx_cell_size(80, 24, 0, 0, &w, &h);
	assert_int_equal(w, GFX_CELL_W_DEFAULT);
	assert_int_equal(h, GFX_CELL_H_DEFAULT);
	enum gfx_mode m;
	assert_true(gfx_mode_parse("sixel", &m));
	assert_int_equal(m, GFX_MODE_SIXEL);
	assert_false(gfx_mode_parse("Sixel", &m));
	assert_false(gfx_mode_parse(NULL, &m));
	assert_string_equal(gfx_mode_name(GFX_MODE_ITERM), "iterm");
}

/* ---- the renderer ---- */

static const uint32_t bars[8] = { 0xffffff, 0xffff00, 0x00ffff, 0x00ff00,
				  0xff00ff, 0xff0000, 0x0000ff, 0x000000 };

/* 64 x 32 colour bars, 8 pixels each, stride 70. */
static uint32_t *bar_frame(struct gfx_frame *f)
{
	uint32_t *px = calloc(70 * 32, sizeof(uint32_t));
	for (int y = 0; y < 32; y++)
		for (int x = 0; x < 64; x++)
			px[y * 70 + x] = bars[x / 8];
	*f = (struct gfx_frame){ px, 64, 32, 70, { 0, 0, 64, 32 }, 1 };
	return px;
}

static int cdist(uint32_t a, uint32_t b)
{
	int d = 0;
	for (int s = 0; s < 24; s += 8) {
		int x = (int)((a >> s) & 0xff) - (int)((b >> s) & 0xff);
		d = x < 0 ? (-x > d ? -x : d) : (x > d ? x : d);
	}
	return d;
}

static size_t count(const char *p, size_t n, const char *needle)
{
	size_t k = 0, l = strlen(needle);
	for (size_t i = 0; i + l <= n; i++)
		if (memcmp(p + i, needle, l) == 0)
			k++;
	return k;
}

static void test_symbols_bars_truecolor(void **state)
{
	(void)state;
	struct gfx_frame f;
	uint32_t *px = bar_frame(&f);
	struct gfx_opts o = { GFX_MODE_SYMBOLS, GFX_COLORS_TRUE, GFX_SYM_QUADRANTS, 8, 16 };
	struct gfxr *r = gfxr_new(&o);
	gfxr_set_target(r, (struct gfx_rect){ 1, 2, 16, 8 });
	size_t n;
	const char *b = gfxr_render(r, &f, &n);
	assert_true(n > 0);
	struct gfx_fit fit;
	assert_true(gfxr_fit(r, &fit));
	assert_int_equal(fit.cells.w, 16);
	assert_int_equal(fit.cells.h, 4);
	assert_int_equal(fit.cells.x, 1);
	assert_int_equal(fit.cells.y, 4);
	/* each bar is two columns of its colour */
	for (int row = fit.cells.y; row < fit.cells.y + fit.cells.h; row++)
		for (int col = 1; col < 17; col++) {
			struct gfx_cell c;
			assert_true(gfxr_cell(r, row, col, &c));
			uint32_t want = bars[(col - 1) / 2];
			if (c.ch != 0x2588)
				assert_true(cdist(c.bg, want) <= 4);
			if (c.ch != ' ')
				assert_true(cdist(c.fg, want) <= 4);
		}
	assert_false(gfxr_cell(r, 0, 1, NULL));  /* letterbox: outside the picture */
	/* the colours went out as 24-bit SGR, and the letterbox was blanked */
	assert_true(count(b, n, "\033[48;2;255;255;255m ") > 0);   /* white */
	assert_true(count(b, n, "\033[48;2;255;255;0m ") > 0);     /* yellow */
	assert_true(count(b, n, "\033[48;2;255;0;255m ") > 0);     /* magenta */
	assert_int_equal(count(b, n, "8;5;"), 0);
	assert_true(count(b, n, "\033[16X") == 4);
	/* as pieces: the letterbox, rows 2-3 and 8-9 of the target */
	size_t np, blanks = 0;
	const struct gfx_piece *pc = gfxr_pieces(r, &np);
	for (size_t i = 0; i < np; i++)
		if (pc[i].kind == GFX_PIECE_BLANK) {
			assert_int_equal(pc[i].cells.w, 16);
			assert_true(pc[i].cells.y < 4 || pc[i].cells.y >= 8);
			assert_memory_equal(b + pc[i].off, "\033[16X", 5);
			blanks++;
		}
	assert_int_equal(blanks, 4);

	/* the same frame again: nothing, whether or not it says it changed */
	f.dirty = (struct gfx_rect){ 0, 0, 0, 0 };
	gfxr_render(r, &f, &n);
	assert_int_equal(n, 0);
	f.dirty = (struct gfx_rect){ 0, 0, 64, 32 };
	gfxr_render(r, &f, &n);
	assert_int_equal(n, 0);

	/* one pixel: its cell alone, after a move to it */
	struct gfx_stats s0, s1;
	gfxr_stats(r, &s0);
	px[5 * 70 + 5] = 0x123456;
	f.dirty = (struct gfx_rect){ 5, 5, 1, 1 };
	b = gfxr_render(r, &f, &n);
	gfxr_stats(r, &s1);
	assert_true(n > 0 && n < 80);
	assert_int_equal(s1.units_sent - s0.units_sent, 1);
	char cup[32];
	snprintf(cup, sizeof(cup), "\033[%d;%dH", fit.cells.y + 1, fit.cells.x + 2);
	assert_int_equal(count(b, n, "\033["), 3);  /* move, colours, reset */
	assert_memory_equal(b, cup, strlen(cup));
	/* as pieces: one run of one cell, its bytes after the move */
	pc = gfxr_pieces(r, &np);
	assert_int_equal(np, 1);
	assert_int_equal(pc[0].kind, GFX_PIECE_CELLS);
	assert_int_equal(pc[0].cells.y, fit.cells.y);
	assert_int_equal(pc[0].cells.x, fit.cells.x + 1);
	assert_int_equal(pc[0].cells.w, 1);
	assert_int_equal(pc[0].off, strlen(cup));
	assert_memory_equal(b + pc[0].off, "\033[38;2;", 7);
	assert_int_equal(s1.frames, 4);
	assert_int_equal(s1.still_frames, 2);

	/* a new target: all again */
	gfxr_set_target(r, (struct gfx_rect){ 0, 0, 16, 8 });
	b = gfxr_render(r, &f, &n);
	assert_true(n > 16 * 4 * 3);
	gfxr_free(r);
	gfxr_free(NULL);
	free(px);
}

/* Half blocks alone: each cell shows two pixels, one above the other. */
static void test_half_blocks(void **state)
{
	(void)state;
	static uint32_t px[16 * 16];
	for (int y = 0; y < 16; y++)
		for (int x = 0; x < 16; x++)
			px[y * 16 + x] = y & 1 ? 0x0000ff : (x < 8 ? 0xff0000 : 0x0000ff);
	struct gfx_frame f = { px, 16, 16, 16, { 0, 0, 16, 16 }, 1 };
	struct gfx_opts o = { GFX_MODE_SYMBOLS, GFX_COLORS_TRUE, 0, 8, 16 };
	struct gfxr *r = gfxr_new(&o);
	gfxr_set_target(r, (struct gfx_rect){ 0, 0, 16, 8 });
	size_t n;
	const char *b = gfxr_render(r, &f, &n);
	struct gfx_cell c;
	assert_true(gfxr_cell(r, 3, 2, &c));
	assert_int_equal(c.ch, 0x2580);
	assert_int_equal(c.fg, 0xff0000);
	assert_int_equal(c.bg, 0x0000ff);
	assert_true(gfxr_cell(r, 3, 12, &c));
	assert_int_equal(c.ch, ' ');
	assert_int_equal(c.bg, 0x0000ff);
	/* a row is 8 red-over-blue, 8 blue; the colours are sent once: a
	 * space leaves the foreground as it was */
	assert_int_equal(count(b, n, "\xe2\x96\x80"), 64);
	assert_int_equal(count(b, n, " "), 64);
	assert_int_equal(count(b, n, "\033[38;2;255;0;0;48;2;0;0;255m"), 1);
	assert_int_equal(count(b, n, "8;2;"), 2);
	/* 256 colours: the cube's red and blue; 16: bright red and blue */
	o.colors = GFX_COLORS_256;
	gfxr_set_opts(r, &o);
	b = gfxr_render(r, &f, &n);
	assert_int_equal(count(b, n, "\033[38;5;196;48;5;21m"), 1);
	o.colors = GFX_COLORS_16;
	gfxr_set_opts(r, &o);
	b = gfxr_render(r, &f, &n);
	assert_int_equal(count(b, n, "\033[91;104m"), 1);
	assert_true(gfxr_cell(r, 0, 0, &c));
	assert_int_equal(c.fg, 0xff0000);
	gfxr_free(r);
}

/* Zoomed: guest pixels repeated, the viewport panned, the mouse mapped. */
static void test_zoom_render(void **state)
{
	(void)state;
	static uint32_t px[40 * 30];
	for (int i = 0; i < 40 * 30; i++)
		px[i] = (uint32_t)(i % 40) << 16 | (uint32_t)(i / 40) << 8 | 0x80;
	struct gfx_frame f = { px, 40, 30, 40, { 0, 0, 40, 30 }, 1 };
	struct gfx_opts o = { GFX_MODE_SYMBOLS, GFX_COLORS_TRUE, 0, 8, 16 };
	struct gfxr *r = gfxr_new(&o);
	gfxr_set_target(r, (struct gfx_rect){ 2, 1, 20, 10 });
	gfxr_set_view(r, GFX_ZOOM_2, 7, 3);
	size_t n;
	gfxr_render(r, &f, &n);
	struct gfx_fit fit;
	assert_true(gfxr_fit(r, &fit));
	assert_int_equal(fit.pic_w, 80);   /* 2 columns a guest pixel */
	assert_int_equal(fit.pic_h, 30);   /* 1 row: 2 half-block pixels */
	struct gfx_cell c;
	/* column 2+k shows guest x (7+k)/2, row 1+j guest y 3+j, both halves */
	for (int j = 0; j < 10; j++)
		for (int k = 0; k < 20; k++) {
			assert_true(gfxr_cell(r, 1 + j, 2 + k, &c));
			uint32_t want = (uint32_t)((7 + k) / 2) << 16 | (uint32_t)(3 + j) << 8 | 0x80;
			assert_int_equal(c.ch, ' ');
			assert_int_equal(c.bg, want);
			int gx, gy;
			assert_true(gfx_cell_to_guest(&fit, 1 + j, 2 + k, &gx, &gy));
			assert_int_equal(gx, (7 + k) / 2);
			assert_int_equal(gy, 3 + j);
		}
	/* a pan past the edge is clamped: the last column is guest x 39 */
	gfxr_set_view(r, GFX_ZOOM_2, 1000, 1000);
	gfxr_render(r, &f, &n);
	assert_true(n > 0);
	assert_true(gfxr_cell(r, 10, 21, &c));
	assert_int_equal(c.bg, 39u << 16 | 29u << 8 | 0x80);
	/* the same view again: nothing */
	gfxr_set_view(r, GFX_ZOOM_2, 1000, 1000);
	gfxr_render(r, &f, &n);
	assert_int_equal(n, 0);
	/* 1:1 in kitty: a tile carries the guest pixels its cells show */
	o.mode = GFX_MODE_KITTY;
	gfxr_set_opts(r, &o);
	gfxr_set_view(r, GFX_ZOOM_1, 0, 0);
	gfxr_set_target(r, (struct gfx_rect){ 0, 0, 80, 24 });
	const char *b = gfxr_render(r, &f, &n);
	assert_true(gfxr_fit(r, &fit));
	assert_int_equal(fit.cells.w, 5);   /* 40 pixels in 8-pixel cells */
	assert_int_equal(fit.cells.h, 2);   /* 30 in 16 */
	assert_int_equal(count(b, n, "a=T,"), 1);
	assert_non_null(memmem(b, n, "s=40,v=30,m=0;", 14));   /* no stretching */
	/* 2:1 in iTerm2: the tiles' sizes in the terminal's pixels */
	o.mode = GFX_MODE_ITERM;
	gfxr_set_opts(r, &o);
	gfxr_set_view(r, GFX_ZOOM_2, 0, 0);
	b = gfxr_render(r, &f, &n);
	assert_true(gfxr_fit(r, &fit));
	assert_int_equal(fit.cells.w, 10);
	assert_int_equal(fit.cells.h, 4);   /* 60 pixels in 16-pixel rows */
	assert_int_equal(count(b, n, "1337;File="), 1);
	assert_non_null(memmem(b, n, "width=80px;height=60px;", 23));
	gfxr_free(r);
}

static void test_symbols_indexed(void **state)
{
	(void)state;
	struct gfx_frame f;
	uint32_t *px = bar_frame(&f);
	struct gfx_opts o = { GFX_MODE_SYMBOLS, GFX_COLORS_256, GFX_SYM_QUADRANTS, 0, 0 };
	struct gfxr *r = gfxr_new(&o);
	gfxr_set_target(r, (struct gfx_rect){ 0, 0, 16, 8 });
	size_t n;
	const char *b = gfxr_render(r, &f, &n);
	assert_true(n > 0);
	assert_true(count(b, n, "8;5;") > 0);
	assert_int_equal(count(b, n, "8;2;"), 0);
	struct gfx_cell c;
	assert_true(gfxr_cell(r, 2, 4, &c));   /* third column: cyan */
	assert_true(cdist(c.ch == ' ' ? c.bg : c.fg, 0x00ffff) <= 16);

	o.colors = GFX_COLORS_16;
	gfxr_set_opts(r, &o);
	b = gfxr_render(r, &f, &n);
	assert_true(n > 0);
	assert_int_equal(count(b, n, "8;5;"), 0);
	assert_int_equal(count(b, n, "8;2;"), 0);
	/* red and blue bars: pens 1/9 and 4/12 */
	assert_true(count(b, n, "41m") + count(b, n, "101m") + count(b, n, "31;") +
		    count(b, n, "91;") > 0);
	assert_true(count(b, n, "44m") + count(b, n, "104m") + count(b, n, "34;") +
		    count(b, n, "94;") > 0);
	gfxr_free(r);
	free(px);
}

static int b64v(char c)
{
	if (c >= 'A' && c <= 'Z') return c - 'A';
	if (c >= 'a' && c <= 'z') return c - 'a' + 26;
	if (c >= '0' && c <= '9') return c - '0' + 52;
	if (c == '+') return 62;
	if (c == '/') return 63;
	return -1;
}

/* The first kitty image in b: its control keys and its decoded pixels. */
static unsigned char *kitty_first(const char *b, size_t n, char *keys, size_t kcap, size_t *rawlen)
{
	const char *p = memmem(b, n, "\033_G", 3);
	assert_non_null(p);
	const char *semi = memchr(p, ';', n - (size_t)(p - b));
	assert_non_null(semi);
	snprintf(keys, kcap, "%.*s", (int)(semi - p - 3), p + 3);
	unsigned char *z = malloc(n);
	size_t zl = 0;
	bool more = true;
	const char *q = semi + 1;
	while (more) {
		unsigned v = 0, bits = 0;
		for (; *q != '\033'; q++) {
			int d = b64v(*q);
			if (d < 0)
				continue;
			v = v << 6 | (unsigned)d;
			bits += 6;
			if (bits >= 8) {
				bits -= 8;
				z[zl++] = (unsigned char)(v >> bits);
			}
		}
		q += 2;  /* ESC \ */
		if ((size_t)(q - b) + 3 <= n && memcmp(q, "\033_Gm=", 5) == 0) {
			more = true;
			q = strchr(q, ';') + 1;
		} else
			more = false;
	}
	uLongf out = 1 << 22;
	unsigned char *raw = malloc(out);
	assert_int_equal(uncompress(raw, &out, z, zl), Z_OK);
	free(z);
	*rawlen = out;
	return raw;
}

static void test_kitty_tiles(void **state)
{
	(void)state;
	struct gfx_frame f;
	uint32_t *px = bar_frame(&f);
	struct gfx_opts o = { GFX_MODE_KITTY, GFX_COLORS_TRUE, 0, 8, 16 };
	struct gfxr *r = gfxr_new(&o);
	gfxr_set_kitty_base(r, 1000);
	gfxr_set_target(r, (struct gfx_rect){ 0, 0, 40, 10 });
	size_t n;
	const char *b = gfxr_render(r, &f, &n);
	struct gfx_fit fit;
	assert_true(gfxr_fit(r, &fit));
	assert_int_equal(fit.cells.w, 40);   /* 320 x 160 device pixels */
	assert_int_equal(fit.cells.h, 10);
	/* 40 x 10 cells: tiles of 16 x 4 -> 3 x 3 */
	assert_int_equal(count(b, n, "a=T,"), 9);
	/* as pieces: nine images covering the picture, each whole */
	size_t np, area = 0;
	const struct gfx_piece *pc = gfxr_pieces(r, &np);
	assert_int_equal(np, 9);
	for (size_t i = 0; i < np; i++) {
		assert_int_equal(pc[i].kind, GFX_PIECE_IMAGE);
		area += (size_t)pc[i].cells.w * pc[i].cells.h;
		assert_memory_equal(b + pc[i].off, "\033_Ga=T,", 7);
		assert_memory_equal(b + pc[i].off + pc[i].len - 2, "\033\\", 2);
	}
	assert_int_equal(area, 400);
	char keys[256];
	size_t rawlen;
	unsigned char *raw = kitty_first(b, n, keys, sizeof(keys), &rawlen);
	/* the first tile: cells 0..15 x 0..3 = guest 0..25 x 0..12.8 (rounded out) */
	assert_non_null(strstr(keys, "i=1000,"));
	assert_non_null(strstr(keys, "f=24,o=z,s=26,v=13,c=16,r=4"));
	assert_int_equal(rawlen, 26 * 13 * 3);
	for (int y = 0; y < 13; y++)
		for (int x = 0; x < 26; x++) {
			const unsigned char *p = raw + (y * 26 + x) * 3;
			uint32_t got = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
			assert_int_equal(got, bars[x / 8]);
		}
	free(raw);

	f.dirty = (struct gfx_rect){ 0, 0, 64, 32 };
	gfxr_render(r, &f, &n);
	assert_int_equal(n, 0);   /* same pixels: no tile again */

	/* a pixel in the last tile: that tile only, under its id */
	px[31 * 70 + 63] = 0x010203;
	f.dirty = (struct gfx_rect){ 63, 31, 1, 1 };
	b = gfxr_render(r, &f, &n);
	assert_int_equal(count(b, n, "a=T,"), 1);
	assert_non_null(memmem(b, n, "i=1008,", 7));
	assert_memory_equal(b, "\033[9;33H", 7);

	size_t cl;
	const char *c = gfxr_clear(r, &cl);
	assert_int_equal(count(c, cl, "a=d,d=I,"), 9);
	gfxr_free(r);
	free(px);
}

static void test_sixel_iterm_bands(void **state)
{
	(void)state;
	struct gfx_frame f;
	uint32_t *px = bar_frame(&f);
	struct gfx_opts o = { GFX_MODE_SIXEL, GFX_COLORS_TRUE, 0, 8, 16 };
	struct gfxr *r = gfxr_new(&o);
	gfxr_set_target(r, (struct gfx_rect){ 0, 0, 40, 10 });
	size_t n;
	const char *b = gfxr_render(r, &f, &n);
	/* bands of 6 rows (6 * 16 pixels is 16 sixel rows): 2 for 10 rows */
	assert_int_equal(count(b, n, "\033P"), 2);
	assert_int_equal(count(b, n, "\033[1;1H\033P"), 1);
	assert_int_equal(count(b, n, "\033[7;1H\033P"), 1);
	f.dirty = (struct gfx_rect){ 0, 0, 64, 32 };
	gfxr_render(r, &f, &n);
	assert_int_equal(n, 0);
	px[2 * 70 + 2] = 0x808080;
	f.dirty = (struct gfx_rect){ 2, 2, 1, 1 };
	b = gfxr_render(r, &f, &n);
	assert_int_equal(count(b, n, "\033P"), 1);
	assert_memory_equal(b, "\033[1;1H\033P", 8);
	/* of the band, only columns 0..3 (the pixel's cell 1, and the scaler's
	 * reach: two more each side): 32 pixels wide, 96 high */
	assert_int_equal(count(b, n, "\"1;1;32;96"), 1);
	px[20 * 70 + 40] = 0x808080;   /* cell 25 of row 6: the second band */
	f.dirty = (struct gfx_rect){ 40, 20, 1, 1 };
	b = gfxr_render(r, &f, &n);
	assert_int_equal(count(b, n, "\033P"), 1);
	assert_memory_equal(b, "\033[7;24H\033P", 9);   /* cells 23..27 */
	assert_int_equal(count(b, n, "\"1;1;40;"), 1);

	o.mode = GFX_MODE_ITERM;
	gfxr_set_opts(r, &o);
	b = gfxr_render(r, &f, &n);
	/* tiles of 16 x 4 cells, each a PNG of the guest pixels under it */
	assert_int_equal(count(b, n, "\033]1337;File=inline=1;"), 9);
	assert_int_equal(count(b, n, "width=16;height=4;preserveAspectRatio=0:iVBORw0KGgo"), 4);
	const char *png = memmem(b, n, ":iVBORw0KGgo", 12);
	unsigned char hdr[24];
	for (int i = 0, v = 0, bits = 0, k = 0; k < 24; i++) {
		v = (v << 6 | b64v(png[1 + i])) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			hdr[k++] = (unsigned char)(v >> bits);
		}
	}
	assert_memory_equal(hdr + 12, "IHDR\0\0\0\x1a\0\0\0\x0d", 12);   /* 26 x 13 */
	gfxr_render(r, &f, &n);
	assert_int_equal(n, 0);
	gfxr_free(r);
	free(px);
}

static void test_render_empty_and_resize(void **state)
{
	(void)state;
	struct gfx_frame f;
	uint32_t *px = bar_frame(&f);
	struct gfx_opts o = { GFX_MODE_KITTY, GFX_COLORS_TRUE, 0, 0, 0 };
	struct gfxr *r = gfxr_new(&o);
	size_t n;
	gfxr_render(r, &f, &n);          /* no target yet */
	assert_int_equal(n, 0);
	gfxr_set_target(r, (struct gfx_rect){ 0, 0, 20, 5 });
	gfxr_render(r, &f, &n);
	assert_true(n > 0);
	f.width = 32;                    /* a new resolution: all again */
	f.dirty = (struct gfx_rect){ 0, 0, 0, 0 };
	const char *b = gfxr_render(r, &f, &n);
	assert_true(count(b, n, "a=d,") > 0 && count(b, n, "a=T,") > 0);
	size_t np;
	const struct gfx_piece *pc = gfxr_pieces(r, &np);
	assert_int_equal(pc[0].kind, GFX_PIECE_DELETE);
	assert_int_equal(pc[0].off, 0);
	assert_memory_equal(b, "\033_Ga=d,d=I,", 11);
	f.width = 0;                     /* nothing to show: the images go */
	b = gfxr_render(r, &f, &n);
	assert_true(count(b, n, "a=d,") > 0);
	assert_int_equal(count(b, n, "a=T,"), 0);
	gfxr_render(r, NULL, &n);
	assert_int_equal(n, 0);
	/* a cell below a sixel row (chafa divides by zero there) is not taken */
	struct gfx_opts tiny = { GFX_MODE_SIXEL, GFX_COLORS_TRUE, 0, 1, 1 }, got;
	struct gfxr *t = gfxr_new(&tiny);
	gfxr_get_opts(t, &got);
	assert_int_equal(got.cell_w, GFX_CELL_W_DEFAULT);
	assert_int_equal(got.cell_h, GFX_CELL_H_DEFAULT);
	gfxr_set_target(t, (struct gfx_rect){ 1, 1, 7, 23 });
	f.width = 34;
	f.height = 20;
	gfxr_render(t, &f, &n);
	assert_true(n > 0);
	gfxr_free(t);
	f.height = 32;
	/* from kitty to symbols: the images go, the cells come */
	f.width = 64;
	gfxr_render(r, &f, &n);
	o.mode = GFX_MODE_SYMBOLS;
	gfxr_set_opts(r, &o);
	b = gfxr_render(r, &f, &n);
	assert_true(count(b, n, "a=d,") > 0 && count(b, n, "\033[48;2;") > 0);
	gfxr_free(r);
	free(px);
}

/* ---- the terminal's answers ---- */

static void parse(const char *s, struct gfx_replies *r)
{
	gfx_parse_replies(s, strlen(s), r);
}

static void test_replies(void **state)
{
	(void)state;
	struct gfx_replies r;
	parse("\033_Gi=31337;OK\033\\\033P>|kitty(0.26.5)\033\\\033[6;20;10t\033[?62;22c", &r);
	assert_true(r.kitty_ok);
	assert_true(r.da1);
	assert_false(r.sixel);
	assert_string_equal(r.version, "kitty(0.26.5)");
	assert_int_equal(r.cell_w, 10);
	assert_int_equal(r.cell_h, 20);
	assert_int_equal(r.other, 0);
	assert_int_equal(gfx_mode_from_replies(&r), GFX_MODE_KITTY);

	parse("\033[?63;1;2;4;6;9;15;22c", &r);
	assert_true(r.da1 && r.sixel && !r.kitty_ok);
	assert_int_equal(gfx_mode_from_replies(&r), GFX_MODE_SIXEL);
	parse("\033[?4;6c", &r);  /* a class of 4 is not sixel */
	assert_true(r.da1 && !r.sixel);

	parse("\033P>|WezTerm 20230712\033\\\033[?65;1;9c", &r);
	assert_string_equal(r.version, "WezTerm 20230712");
	assert_int_equal(gfx_mode_from_replies(&r), GFX_MODE_ITERM);

	parse("\033_Gi=99;OK\033\\\033[?1;2c", &r);   /* not our id */
	assert_false(r.kitty_ok);
	assert_int_equal(gfx_mode_from_replies(&r), GFX_MODE_SYMBOLS);
	parse("\033_Gi=31337;EINVAL:bad\033\\", &r);
	assert_false(r.kitty_ok);
	assert_true(r.kitty_error);

	/* typed keys around the answers; 8-bit CSI; BEL as terminator */
	parse("ab\033[Ac\x9b?62;4c\033P>|x\ty\a", &r);
	assert_true(r.da1 && r.sixel);
	assert_string_equal(r.version, "xy");
	assert_int_equal(r.other, 3);

	/* cut short: no answer yet */
	parse("\033[?62;4", &r);
	assert_false(r.da1);
	parse("\033_Gi=31337;OK\033", &r);
	assert_false(r.kitty_ok);
	parse("\033", &r);
	assert_false(r.da1);
	parse("\033[6;99999999999999;10t", &r);
	assert_int_equal(r.cell_h, 0);
	char big[200];
	memset(big, 'v', sizeof(big));
	memcpy(big, "\033P>|", 4);
	memcpy(big + sizeof(big) - 2, "\033\\", 2);
	gfx_parse_replies(big, sizeof(big), &r);
	assert_int_equal(strlen(r.version), sizeof(r.version) - 1);
}

static void test_query_pipe(void **state)
{
	(void)state;
	int in[2], out = open("/dev/null", O_WRONLY);
	assert_true(out >= 0);
	assert_int_equal(pipe(in), 0);
	static const char ans[] = "\033_Gi=31337;OK\033\\\033[?62;4c";
	assert_int_equal(write(in[1], ans, sizeof(ans) - 1), (ssize_t)sizeof(ans) - 1);
	struct gfx_replies r;
	assert_true(gfx_detect_query(in[0], out, 1000, &r));
	assert_true(r.kitty_ok && r.sixel && r.da1);

	/* a terminal that answers nothing: the timeout, then symbols */
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_false(gfx_detect_query(in[0], out, 100, &r));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
	assert_true(ms >= 90 && ms < 5000);
	unsetenv("TMUX");
	unsetenv("STY");
	setenv("TERM", "xterm-256color", 1);
	const char *why;
	assert_int_equal(gfx_detect(in[0], out, NULL, &r, &why), GFX_MODE_SYMBOLS);
	assert_non_null(strstr(why, "did not answer"));

	/* inside tmux: symbols without asking; an explicit choice wins */
	setenv("TMUX", "/tmp/x,1,0", 1);
	assert_int_equal(write(in[1], ans, sizeof(ans) - 1), (ssize_t)sizeof(ans) - 1);
	assert_int_equal(gfx_detect(in[0], out, "auto", &r, &why), GFX_MODE_SYMBOLS);
	assert_non_null(strstr(why, "tmux"));
	assert_int_equal(gfx_detect(in[0], out, "sixel", &r, &why), GFX_MODE_SIXEL);
	unsetenv("TMUX");
	assert_int_equal(gfx_detect(in[0], out, NULL, &r, &why), GFX_MODE_KITTY);

	setenv("COLORTERM", "truecolor", 1);
	assert_int_equal(gfx_detect_colors(NULL, 8), GFX_COLORS_TRUE);
	unsetenv("COLORTERM");
	assert_int_equal(gfx_detect_colors(NULL, 256), GFX_COLORS_256);
	assert_int_equal(gfx_detect_colors(NULL, 8), GFX_COLORS_16);
	parse("\033P>|foot(1.13)\033\\", &r);
	assert_int_equal(gfx_detect_colors(&r, 8), GFX_COLORS_TRUE);
	close(in[0]);
	close(in[1]);
	close(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fit_letterbox),
		cmocka_unit_test(test_fit_roundtrip_odd),
		cmocka_unit_test(test_zoom_viewport),
		cmocka_unit_test(test_rects_and_cell_size),
		cmocka_unit_test(test_symbols_bars_truecolor),
		cmocka_unit_test(test_half_blocks),
		cmocka_unit_test(test_zoom_render),
		cmocka_unit_test(test_symbols_indexed),
		cmocka_unit_test(test_kitty_tiles),
		cmocka_unit_test(test_sixel_iterm_bands),
		cmocka_unit_test(test_render_empty_and_resize),
		cmocka_unit_test(test_replies),
		cmocka_unit_test(test_query_pipe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
