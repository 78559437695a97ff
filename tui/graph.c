/* graph.c — scaling and rendering of history graphs. */
#include "graph.h"

#include <math.h>

double
graph_nice_max(double max)
{
	double mag, f;

	if (!(max > 0))
		return 1;
	mag = pow(10, floor(log10(max)));
	f = max / mag;
	if (f <= 1.0)
		f = 1;
	else if (f <= 2.0)
		f = 2;
	else if (f <= 5.0)
		f = 5;
	else
		f = 10;
	return f * mag;
}

double
graph_scale(const struct ring *r, size_t shown, double fixed_max)
{
	if (fixed_max > 0)
		return fixed_max;
	return graph_nice_max(ring_max(r, shown));
}

int
graph_samples_per_col(enum graph_mode m)
{
	return m == GRAPH_BRAILLE ? 2 : 1;
}

/* Height of a sample in units (0..units), rounding so that any non-zero
 * value shows at least one unit. */
static int
level(double v, double max, int units)
{
	double x;
	int l;

	if (!(v > 0) || max <= 0)
		return 0;
	x = v / max * units;
	l = (int)ceil(x - 1e-9);
	if (l < 1)
		l = 1;
	return l > units ? units : l;
}

/* Braille dot bits, left column then right column, bottom row first. */
static const unsigned dot_left[4] = { 0x40, 0x04, 0x02, 0x01 };
static const unsigned dot_right[4] = { 0x80, 0x20, 0x10, 0x08 };

static void
render_braille(const struct ring *r, double max, int w, int h, wchar_t *cells)
{
	int units = h * 4, col, row, d;

	for (col = 0; col < w; col++) {
		/* Column col holds samples (right to left) age 2k+1 (left dot) and 2k. */
		size_t age_r = (size_t)(w - 1 - col) * 2, age_l = age_r + 1;
		int lr = age_r < r->len ? level(ring_get(r, age_r), max, units) : 0;
		int ll = age_l < r->len ? level(ring_get(r, age_l), max, units) : 0;

		for (row = 0; row < h; row++) {
			int base = (h - 1 - row) * 4; /* dots below this cell */
			unsigned bits = 0;
			for (d = 0; d < 4; d++) {
				if (ll > base + d)
					bits |= dot_left[d];
				if (lr > base + d)
					bits |= dot_right[d];
			}
			cells[row * w + col] = bits ? (wchar_t)(0x2800 + bits) : L' ';
		}
	}
}

static void
render_levels(const struct ring *r, double max, int w, int h, int steps,
              const wchar_t *glyphs, wchar_t *cells)
{
	int units = h * steps, col, row;

	for (col = 0; col < w; col++) {
		size_t age = (size_t)(w - 1 - col);
		int l = age < r->len ? level(ring_get(r, age), max, units) : 0;

		for (row = 0; row < h; row++) {
			int base = (h - 1 - row) * steps, fill = l - base;
			if (fill <= 0)
				cells[row * w + col] = L' ';
			else if (fill >= steps)
				cells[row * w + col] = glyphs[steps];
			else
				cells[row * w + col] = glyphs[fill];
		}
	}
}

static const wchar_t block_glyphs[] = L" \u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588";
static const wchar_t ascii_glyphs[] = L" .:#";

void
graph_render(const struct ring *r, double max, int w, int h, enum graph_mode m,
             wchar_t *cells)
{
	if (w <= 0 || h <= 0)
		return;
	if (m == GRAPH_BRAILLE)
		render_braille(r, max, w, h, cells);
	else if (m == GRAPH_BLOCK)
		render_levels(r, max, w, h, 8, block_glyphs, cells);
	else
		render_levels(r, max, w, h, 3, ascii_glyphs, cells);
}

void
graph_sparkline(const struct ring *r, double max, int w, enum graph_mode m,
                wchar_t *cells)
{
	/* Braille dots are too faint in a one-row sparkline: use blocks. */
	graph_render(r, max, w, 1, m == GRAPH_ASCII ? GRAPH_ASCII : GRAPH_BLOCK, cells);
}
