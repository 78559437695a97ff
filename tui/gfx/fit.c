/* fit.c — the framebuffer's placement on the terminal: letterboxed fit,
 * zoom around a viewport, and cell <-> guest pixel mapping (fit.h). */
#include <stdint.h>
#include <string.h>

#include "tui/gfx/fit.h"

static int imin(int a, int b) { return a < b ? a : b; }
static int imax(int a, int b) { return a > b ? a : b; }
static int clampi(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }

/* floor(a * n / d) and ceil(a * n / d) for a >= 0, n, d > 0. */
static int64_t mul_floor(int64_t a, int64_t n, int64_t d) { return a * n / d; }
static int64_t mul_ceil(int64_t a, int64_t n, int64_t d) { return (a * n + d - 1) / d; }

/* The fitted size in cells: the largest that keeps the aspect ratio. */
static void fit_cells(int fb_w, int fb_h, struct gfx_rect t, int cw, int ch, int *w, int *h)
{
	int64_t tw = (int64_t)t.w * cw, th = (int64_t)t.h * ch;
	if (tw * fb_h <= th * fb_w) {
		/* width-limited: h = fb_h * tw / fb_w device pixels, rounded */
		*w = t.w;
		*h = (int)((2 * (int64_t)fb_h * tw + (int64_t)fb_w * ch) / (2 * (int64_t)fb_w * ch));
	} else {
		*h = t.h;
		*w = (int)((2 * (int64_t)fb_w * th + (int64_t)fb_h * cw) / (2 * (int64_t)fb_h * cw));
	}
	*w = clampi(*w, 1, t.w);
	*h = clampi(*h, 1, t.h);
}

/* One axis of a zoomed picture: its size in cells, the cells shown, the
 * clamped pan and where in the target the shown cells start. */
static void zoom_axis(int fb, int res, int z, int tpos, int tlen, int pan,
		      int *pic, int *pos, int *len, int *pan_out)
{
	*pic = (int)mul_ceil(fb, z, res);
	*len = imin(*pic, tlen);
	*pan_out = clampi(pan, 0, *pic - *len);
	*pos = tpos + (tlen - *len) / 2;
}

bool gfx_fit(int fb_w, int fb_h, struct gfx_rect target, int cell_w, int cell_h,
	     int res_w, int res_h, enum gfx_zoom zoom, int pan_x, int pan_y,
	     struct gfx_fit *out)
{
	memset(out, 0, sizeof(*out));
	if (fb_w <= 0 || fb_h <= 0 || target.w <= 0 || target.h <= 0 ||
	    cell_w <= 0 || cell_h <= 0 || res_w <= 0 || res_h <= 0)
		return false;
	out->fb_w = fb_w;
	out->fb_h = fb_h;
	if (zoom == GFX_ZOOM_FIT) {
		int w, h;
		fit_cells(fb_w, fb_h, target, cell_w, cell_h, &w, &h);
		out->cells = (struct gfx_rect){ target.x + (target.w - w) / 2,
						target.y + (target.h - h) / 2, w, h };
		out->x_num = fb_w; out->x_den = w;
		out->y_num = fb_h; out->y_den = h;
		out->pic_w = w; out->pic_h = h;
	} else {
		int z = zoom == GFX_ZOOM_2 ? 2 : 1;
		zoom_axis(fb_w, res_w, z, target.x, target.w, pan_x,
			  &out->pic_w, &out->cells.x, &out->cells.w, &out->pan_x);
		zoom_axis(fb_h, res_h, z, target.y, target.h, pan_y,
			  &out->pic_h, &out->cells.y, &out->cells.h, &out->pan_y);
		out->x_num = res_w; out->x_den = z;
		out->y_num = res_h; out->y_den = z;
	}
	struct gfx_rect all = { 0, 0, out->cells.w, out->cells.h };
	all.x = out->cells.x;
	all.y = out->cells.y;
	gfx_cells_to_guest_rect(out, all, &out->src);
	return true;
}

/* One axis, cell -> guest pixel under its centre; -1 when past the end. */
static int axis_to_guest(int cell, int origin, int pan, int num, int den, int fb)
{
	int64_t pc = (int64_t)cell - origin + pan;
	if (mul_floor(pc, num, den) >= fb)
		return -1;
	int64_t g = ((2 * pc + 1) * num) / (2 * (int64_t)den);
	return (int)(g < fb ? g : fb - 1);
}

bool gfx_cell_to_guest(const struct gfx_fit *f, int row, int col, int *gx, int *gy)
{
	if (f->cells.w <= 0 || col < f->cells.x || col >= f->cells.x + f->cells.w ||
	    row < f->cells.y || row >= f->cells.y + f->cells.h)
		return false;
	int x = axis_to_guest(col, f->cells.x, f->pan_x, f->x_num, f->x_den, f->fb_w);
	int y = axis_to_guest(row, f->cells.y, f->pan_y, f->y_num, f->y_den, f->fb_h);
	if (x < 0 || y < 0)
		return false;
	*gx = x;
	*gy = y;
	return true;
}

bool gfx_guest_to_cell(const struct gfx_fit *f, int gx, int gy, int *row, int *col)
{
	if (f->cells.w <= 0 || gx < 0 || gy < 0 || gx >= f->fb_w || gy >= f->fb_h)
		return false;
	int c = (int)mul_floor(gx, f->x_den, f->x_num) - f->pan_x + f->cells.x;
	int r = (int)mul_floor(gy, f->y_den, f->y_num) - f->pan_y + f->cells.y;
	if (c < f->cells.x || c >= f->cells.x + f->cells.w ||
	    r < f->cells.y || r >= f->cells.y + f->cells.h)
		return false;
	*row = r;
	*col = c;
	return true;
}

bool gfx_guest_rect_to_cells(const struct gfx_fit *f, struct gfx_rect r, struct gfx_rect *cells)
{
	struct gfx_rect fb = { 0, 0, f->fb_w, f->fb_h };
	if (f->cells.w <= 0 || !gfx_rect_clip(r, fb, &r)) {
		*cells = (struct gfx_rect){ 0, 0, 0, 0 };
		return false;
	}
	int c0 = (int)mul_floor(r.x, f->x_den, f->x_num);
	int c1 = (int)mul_ceil(r.x + r.w, f->x_den, f->x_num);
	int r0 = (int)mul_floor(r.y, f->y_den, f->y_num);
	int r1 = (int)mul_ceil(r.y + r.h, f->y_den, f->y_num);
	struct gfx_rect c = { c0 - f->pan_x + f->cells.x, r0 - f->pan_y + f->cells.y,
			      c1 - c0, r1 - r0 };
	return gfx_rect_clip(c, f->cells, cells);
}

bool gfx_cells_to_guest_rect(const struct gfx_fit *f, struct gfx_rect cells, struct gfx_rect *r)
{
	if (f->cells.w <= 0 || !gfx_rect_clip(cells, f->cells, &cells)) {
		*r = (struct gfx_rect){ 0, 0, 0, 0 };
		return false;
	}
	int64_t c0 = cells.x - f->cells.x + f->pan_x, c1 = c0 + cells.w;
	int64_t r0 = cells.y - f->cells.y + f->pan_y, r1 = r0 + cells.h;
	int x0 = (int)mul_floor(c0, f->x_num, f->x_den);
	int x1 = (int)mul_ceil(c1, f->x_num, f->x_den);
	int y0 = (int)mul_floor(r0, f->y_num, f->y_den);
	int y1 = (int)mul_ceil(r1, f->y_num, f->y_den);
	struct gfx_rect g = { x0, y0, x1 - x0, y1 - y0 };
	struct gfx_rect fb = { 0, 0, f->fb_w, f->fb_h };
	return gfx_rect_clip(g, fb, r);
}

bool gfx_rect_clip(struct gfx_rect a, struct gfx_rect b, struct gfx_rect *out)
{
	int x0 = imax(a.x, b.x), y0 = imax(a.y, b.y);
	int x1 = imin(a.x + a.w, b.x + b.w), y1 = imin(a.y + a.h, b.y + b.h);
	if (a.w <= 0 || a.h <= 0 || b.w <= 0 || b.h <= 0 || x1 <= x0 || y1 <= y0) {
		*out = (struct gfx_rect){ 0, 0, 0, 0 };
		return false;
	}
	*out = (struct gfx_rect){ x0, y0, x1 - x0, y1 - y0 };
	return true;
}

struct gfx_rect gfx_rect_union(struct gfx_rect a, struct gfx_rect b)
{
	if (a.w <= 0 || a.h <= 0)
		return b.w > 0 && b.h > 0 ? b : (struct gfx_rect){ 0, 0, 0, 0 };
	if (b.w <= 0 || b.h <= 0)
		return a;
	int x0 = imin(a.x, b.x), y0 = imin(a.y, b.y);
	int x1 = imax(a.x + a.w, b.x + b.w), y1 = imax(a.y + a.h, b.y + b.h);
	return (struct gfx_rect){ x0, y0, x1 - x0, y1 - y0 };
}
