/* fit.h — where a guest's framebuffer lands on the terminal: the
 * arithmetic of fitting it into a rectangle of cells with its aspect ratio
 * kept (letterboxed), of zooming 1:1 or 2:1 around a viewport that pans by
 * cells, and of mapping a terminal cell to the guest pixel under it (the
 * mouse) and back. Pure functions of their arguments: no terminal, no
 * library, no allocation, so every case is a unit test.
 *
 * A cell is one character position of the terminal. Fitting keeps the
 * aspect ratio using the cell's shape in device pixels (a cell is about
 * twice as tall as wide); zooming counts the pixels a cell can draw.
 */
#ifndef VMTUI_GFX_FIT_H
#define VMTUI_GFX_FIT_H

#include <stdbool.h>

/* A rectangle: of cells (rows, columns) or of pixels, as named. */
/* Also defined, the same, by model/guest/gfx.h: one guard for both. */
#ifndef VMTUI_GFX_RECT_DEFINED
#define VMTUI_GFX_RECT_DEFINED
struct gfx_rect {
	int x, y, w, h;
};
#endif

enum gfx_zoom {
	GFX_ZOOM_FIT,   /* the whole framebuffer, as large as fits, letterboxed */
	GFX_ZOOM_1,     /* one guest pixel per device pixel, around the viewport */
	GFX_ZOOM_2,     /* two by two device pixels per guest pixel */
};

/* What fit computes for one frame: the whole of it is a pure function of
 * (framebuffer size, cell rectangle, cell geometry, zoom, pan). Along each
 * axis a cell shows num/den guest pixels (a fraction: fitting 1024 pixels
 * into 80 columns, or 1/2 at 2:1 zoom with half blocks). */
struct gfx_fit {
	/* Cells, terminal coordinates: the part of the target rectangle the
	 * picture covers (inside it, centred; the rest is the letterbox). */
	struct gfx_rect cells;
	/* Guest pixels shown in those cells, rounded out to whole pixels (the
	 * whole framebuffer when fitting; the viewport when zoomed). */
	struct gfx_rect src;
	int fb_w, fb_h;
	/* Guest pixels per cell: x_num/x_den across, y_num/y_den down. */
	int x_num, x_den, y_num, y_den;
	/* The whole picture in cells (larger than cells when zoomed in), and
	 * its cell shown at cells' top-left: the pan used, clamped. */
	int pic_w, pic_h;
	int pan_x, pan_y;
};

/* Computes the placement. fb_w x fb_h: the framebuffer (guest pixels);
 * target: the cells given to the picture; cell_w x cell_h: the cell's
 * shape in device pixels (its aspect ratio, for fitting); res_w x res_h:
 * how many distinct pixels a cell draws across and down (the cell's pixels
 * for the graphics protocols; 1 x 2 for half blocks, 2 x 2 for quadrants,
 * 2 x 3 for sextants), the unit of the 1:1 and 2:1 zooms; zoom; pan_x and
 * pan_y: the viewport's top-left in cells of the zoomed picture, clamped so
 * the viewport stays on the picture (centred on an axis where the picture
 * is smaller than the target). Fitting scales the picture up or down to
 * the largest whole cells that keep its aspect within half a cell.
 * Returns false (and zeroes *out) when there is nothing to show (an empty
 * framebuffer or target, a geometry <= 0). */
bool gfx_fit(int fb_w, int fb_h, struct gfx_rect target, int cell_w, int cell_h,
	     int res_w, int res_h, enum gfx_zoom zoom, int pan_x, int pan_y,
	     struct gfx_fit *out);

/* The guest pixel under the centre of terminal cell (row, col); false when
 * the cell is outside the picture (letterbox or elsewhere). */
bool gfx_cell_to_guest(const struct gfx_fit *f, int row, int col, int *gx, int *gy);

/* The terminal cell showing guest pixel (gx, gy); false when that pixel is
 * not on screen (outside the framebuffer, or outside the zoomed viewport). */
bool gfx_guest_to_cell(const struct gfx_fit *f, int gx, int gy, int *row, int *col);

/* The cells (terminal coordinates, clipped to f->cells) that show any of
 * the guest pixels in r; false when none does. What to redraw for a dirty
 * rectangle of the framebuffer. */
bool gfx_guest_rect_to_cells(const struct gfx_fit *f, struct gfx_rect r, struct gfx_rect *cells);

/* The guest pixels a rectangle of cells shows (clipped to f->src). */
bool gfx_cells_to_guest_rect(const struct gfx_fit *f, struct gfx_rect cells, struct gfx_rect *r);

/* Intersection of two rectangles; false (and an empty *out) when empty. */
bool gfx_rect_clip(struct gfx_rect a, struct gfx_rect b, struct gfx_rect *out);
/* The smallest rectangle holding both (an empty one counts as nothing). */
struct gfx_rect gfx_rect_union(struct gfx_rect a, struct gfx_rect b);

#endif
