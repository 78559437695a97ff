/* gfx-bytes.c — what the graphical console costs the terminal and the
 * CPU: bytes and CPU time per frame of tui/gfx's renderer, per mode, at
 * 80x24 and 200x60 cells, for a guest screen that
 *   still    does not change (the source reports nothing dirty),
 *   typing   changes one character a frame (a 9x16 dirty rectangle),
 *   scroll   scrolls text up one line a frame (all of it dirty),
 * beside the floor of each: the whole picture sent every frame (the
 * renderer told to forget what the terminal shows before each frame).
 * The guest screen is a VGA text console, 720x400 (80x25 characters of
 * 9x16 pixels), light grey text of pseudo-random glyphs on black with a
 * coloured status line. Bytes a second are at the default cap of 15
 * frames a second.
 *
 * Modes: symbols (half blocks, the default, in 24-bit, 256 and 16
 * colours; quadrants and sextants in 24-bit), kitty, sixel, iTerm2.
 *
 * CPU is the process's CPU time (CLOCK_PROCESS_CPUTIME_ID) over the frames
 * of a scene, the first frame of each (the whole picture) not counted.
 *
 * Usage: bench/gfx-bytes [FRAMES]   (make -C build bench/gfx-bytes;
 * about two minutes at 20 frames a scene)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tui/gfx/render.h"

#define FB_W 720
#define FB_H 400
#define GW 9
#define GH 16
#define FPS 15

static uint32_t fb[FB_W * FB_H];
static uint32_t seed = 12345;

static uint32_t rnd(void)
{
	seed = seed * 1103515245u + 12345u;
	return seed >> 8;
}

/* A glyph-like blob at text cell (row, col): strokes of the fg colour. */
static void glyph(int row, int col, uint32_t fg, uint32_t bg)
{
	uint32_t bits = rnd(), bits2 = rnd();
	bool blank = (bits & 7) == 0;
	for (int y = 0; y < GH; y++)
		for (int x = 0; x < GW; x++) {
			bool on = !blank && y >= 3 && y < 13 && x >= 1 && x < 8 &&
				  (((bits >> ((y - 3) % 10 + x)) & 1) ||
				   ((bits2 >> (x * 3 + y % 3)) & 1 && (x == 1 || y == 3 || y == 12)));
			fb[(row * GH + y) * FB_W + col * GW + x] = on ? fg : bg;
		}
}

static void fill(void)
{
	for (int r = 0; r < 25; r++)
		for (int c = 0; c < 80; c++)
			glyph(r, c, r == 24 ? 0xffffff : 0xaaaaaa, r == 24 ? 0x0000aa : 0);
}

/* The text scrolls up a line; a new line at the bottom of the text. */
static void scroll(void)
{
	memmove(fb, fb + GH * FB_W, sizeof(uint32_t) * FB_W * (FB_H - 2 * GH));
	for (int c = 0; c < 80; c++)
		glyph(23, c, 0xaaaaaa, 0);
}

static double cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

enum scene { STILL, TYPING, SCROLL };
static const char *const scene_names[] = { "still", "typing", "scroll" };

struct result {
	double bytes_frame, ms_frame;
};

/* Renders frames of a scene; floor: everything every frame. */
static struct result run(const struct gfx_opts *o, int cols, int rows, enum scene sc,
			 bool floor, int frames)
{
	struct gfxr *r = gfxr_new(o);
	gfxr_set_target(r, (struct gfx_rect){ 0, 0, cols, rows });
	seed = 12345;
	fill();
	struct gfx_frame f = { fb, FB_W, FB_H, FB_W, { 0, 0, FB_W, FB_H }, 1 };
	size_t n;
	gfxr_render(r, &f, &n);  /* the first frame is not counted */
	unsigned long long bytes = 0;
	double t0 = cpu_ms();
	for (int i = 0; i < frames; i++) {
		int tc = i % 80, tr = 10;
		switch (sc) {
		case STILL:
			f.dirty = (struct gfx_rect){ 0, 0, 0, 0 };
			break;
		case TYPING:
			glyph(tr, tc, 0xaaaaaa, 0);
			f.dirty = (struct gfx_rect){ tc * GW, tr * GH, GW, GH };
			break;
		case SCROLL:
			scroll();
			f.dirty = (struct gfx_rect){ 0, 0, FB_W, FB_H };
			break;
		}
		f.seq++;
		if (floor)
			gfxr_invalidate(r);
		gfxr_render(r, &f, &n);
		bytes += n;
	}
	double t1 = cpu_ms();
	gfxr_free(r);
	return (struct result){ (double)bytes / frames, (t1 - t0) / frames };
}

int main(int argc, char **argv)
{
	int frames = argc > 1 ? atoi(argv[1]) : 30;
	if (frames <= 0)
		frames = 30;
	static const struct {
		const char *name;
		struct gfx_opts o;
	} modes[] = {
		{ "half/24bit", { GFX_MODE_SYMBOLS, GFX_COLORS_TRUE, 0, 8, 16 } },
		{ "half/256", { GFX_MODE_SYMBOLS, GFX_COLORS_256, 0, 8, 16 } },
		{ "half/16", { GFX_MODE_SYMBOLS, GFX_COLORS_16, 0, 8, 16 } },
		{ "quadrants/24b", { GFX_MODE_SYMBOLS, GFX_COLORS_TRUE, GFX_SYM_QUADRANTS, 8, 16 } },
		{ "sextants/24b", { GFX_MODE_SYMBOLS, GFX_COLORS_TRUE, GFX_SYM_SEXTANTS, 8, 16 } },
		{ "kitty", { GFX_MODE_KITTY, GFX_COLORS_TRUE, 0, 8, 16 } },
		{ "sixel", { GFX_MODE_SIXEL, GFX_COLORS_TRUE, 0, 8, 16 } },
		{ "iterm", { GFX_MODE_ITERM, GFX_COLORS_TRUE, 0, 8, 16 } },
	};
	static const int sizes[][2] = { { 80, 24 }, { 200, 60 } };
	printf("guest screen %dx%d, %d frames a scene, bytes/s at %d frames/s; "
	       "floor: the whole picture every frame\n", FB_W, FB_H, frames, FPS);
	printf("%-14s %-7s %-6s %12s %12s %9s   %12s %9s\n", "MODE", "CELLS", "SCENE",
	       "BYTES/FRAME", "BYTES/S", "CPU MS/F", "FLOOR B/S", "FLOOR MS");
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
		for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++)
			for (int sc = STILL; sc <= SCROLL; sc++) {
				int cols = sizes[s][0], rows = sizes[s][1] - 1;
				struct result a = run(&modes[m].o, cols, rows, sc, false, frames);
				struct result fl = run(&modes[m].o, cols, rows, sc, true,
						       frames < 10 ? frames : 10);
				char cells[16];
				snprintf(cells, sizeof(cells), "%dx%d", sizes[s][0], sizes[s][1]);
				printf("%-14s %-7s %-6s %12.0f %12.0f %9.2f   %12.0f %9.2f\n",
				       modes[m].name, cells, scene_names[sc], a.bytes_frame,
				       a.bytes_frame * FPS, a.ms_frame, fl.bytes_frame * FPS,
				       fl.ms_frame);
				fflush(stdout);
			}
	return 0;
}
