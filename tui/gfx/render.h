/* render.h — drawing a guest's framebuffer in the terminal, and sending
 * only what changed.
 *
 * A renderer turns a framebuffer (below) into the bytes that draw it in a
 * rectangle of terminal cells, in one of four modes: the kitty graphics
 * protocol, sixel, iTerm2 inline images, or Unicode symbols (half blocks,
 * quadrants, sextants) in truecolor, 256 or 16 colours. libchafa draws
 * the symbols and the sixels (colour reduction, palette, encoding); kitty
 * and iTerm2 images are the guest's own pixels (zlib-compressed RGB, PNG),
 * which the terminal scales to their cells.
 *
 * Only what changed goes out:
 * - symbols: the cells under the framebuffer's dirty rectangle are drawn
 *   again and compared with what was last sent; only the cells that differ
 *   go out, each stretch after a cursor move, with its colours (SGR).
 * - kitty: the picture is a grid of tiles, each an image with an id of its
 *   own (ids from gfxr_set_kitty_base on); a changed tile is sent again
 *   under its id, which replaces the old image in place.
 * - iTerm2: the same grid of tiles, each a new image over the old one.
 * - sixel: bands of whole cell rows (a multiple of six pixels high); of a
 *   changed band, the changed columns go out as an image at their cell.
 * A tile or band whose guest pixels are the same as when it was last sent
 * (a dirty rectangle larger than the change) is not sent. A still screen
 * costs zero bytes.
 *
 * The bytes are absolute: each stretch starts with a cursor move (CUP) to
 * its own cell, so the caller writes them as they are (or, for symbols,
 * reads the cells with gfxr_cell and hands them to its own output). The
 * cursor is left anywhere. Keep the target off the terminal's last row: a
 * sixel or iTerm2 image that ends on it scrolls the screen in some
 * terminals. The renderer never writes to the terminal, never reads the
 * clock and takes no lock: the caller owns the frame-rate cap and the
 * framebuffer's lock (render while holding it, or on a copy).
 *
 * Not thread-safe: one renderer per view, used from one thread.
 */
#ifndef VMTUI_GFX_RENDER_H
#define VMTUI_GFX_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tui/gfx/fit.h"

/* A framebuffer as the guest's screen source hands it over: pixels
 * 0x00RRGGBB, row-major, stride pixels per row (>= width); dirty is what
 * changed since the last look (guest pixels; w or h 0: nothing), seq bumps
 * on every change. The renderer only reads px, and only during
 * gfxr_render. */
/* Also defined, the same, by model/guest/gfx.h: one guard for both. */
#ifndef VMTUI_GFX_FRAME_DEFINED
#define VMTUI_GFX_FRAME_DEFINED
struct gfx_frame {
	const uint32_t *px;
	int width, height, stride;
	struct gfx_rect dirty;
	uint64_t seq;
};
#endif

enum gfx_mode {
	GFX_MODE_SYMBOLS,
	GFX_MODE_SIXEL,
	GFX_MODE_KITTY,
	GFX_MODE_ITERM,
};

enum gfx_colors {
	GFX_COLORS_TRUE,
	GFX_COLORS_256,
	GFX_COLORS_16,
};

/* Symbols beyond the half blocks, on request. The default is the upper
 * half block alone (every terminal font has it), drawn by this module
 * with the upper pixel as foreground and the lower as background: exact
 * colours at ~2 ms a 200x60 frame. With quadrants or sextants (finer
 * across, for fonts that have them) chafa chooses each cell's symbol and
 * colours: ~25 times the CPU (bench/gfx-bytes). */
enum {
	GFX_SYM_QUADRANTS = 1 << 0,  /* ▖▗▘▝▙▛▜▟▚▞ (U+2596..259F) and half blocks */
	GFX_SYM_SEXTANTS  = 1 << 1,  /* U+1FB00..1FB3B: fonts since ~2020 */
};
#define GFX_SYM_DEFAULT 0

/* Default cell size in device pixels when the terminal reports none
 * (TIOCGWINSZ's ws_xpixel/ws_ypixel are 0 on many terminals). */
#define GFX_CELL_W_DEFAULT 8
#define GFX_CELL_H_DEFAULT 16

/* What the renderer draws with. */
struct gfx_opts {
	enum gfx_mode mode;
	enum gfx_colors colors;     /* symbols; sixel uses its own palette */
	unsigned symbols;           /* GFX_SYM_* added to the half blocks */
	int cell_w, cell_h;         /* device pixels per cell; 0 (or outside
	                               2..256 x 6..512): the default */
};

struct gfxr;

/* A renderer with these options (copied). */
struct gfxr *gfxr_new(const struct gfx_opts *o);
void gfxr_free(struct gfxr *r);

/* Changing the options, the target, the zoom or the pan sends the whole
 * picture again with the next render (and clears the letterbox). */
void gfxr_set_opts(struct gfxr *r, const struct gfx_opts *o);
void gfxr_get_opts(const struct gfxr *r, struct gfx_opts *o);
/* The cells given to the picture (0-based terminal rows/columns). */
void gfxr_set_target(struct gfxr *r, struct gfx_rect cells);
/* Zoom and viewport: pan in cells of the zoomed picture (clamped). */
void gfxr_set_view(struct gfxr *r, enum gfx_zoom zoom, int pan_x, int pan_y);
/* The first kitty image id this renderer uses (it uses a range of at most
 * GFX_KITTY_IDS ids from there); default 0x766d0000. Set it before the
 * first render. */
#define GFX_KITTY_IDS 4096
void gfxr_set_kitty_base(struct gfxr *r, uint32_t base);
/* Forget what the terminal shows: the next render sends everything
 * (after the screen was cleared or repainted by someone else). */
void gfxr_invalidate(struct gfxr *r);

/* Draws what changed in f since the last render (all of it after a change
 * of options/target/view, a new size of framebuffer or gfxr_invalidate)
 * and returns the bytes to write, valid until the next call on r; *len is
 * their count (0: nothing to send). The framebuffer's dirty rectangle is
 * trusted: pixels outside it are taken as unchanged. */
const char *gfxr_render(struct gfxr *r, const struct gfx_frame *f, size_t *len);

/* The last render's (or clear's) bytes in pieces, in order, for a caller
 * that sends them through its own output (tui/termout.h's planned
 * termout_image and termout_cells): each piece's bytes are
 * out + off .. off + len, after its cursor move (which is not in them).
 *   GFX_PIECE_IMAGE  an image covering cells (kitty, sixel, iTerm2):
 *                    self-contained.
 *   GFX_PIECE_CELLS  a run of changed symbol cells, cells.w of them on
 *                    row cells.y: their characters with SGR that relies
 *                    on the pieces before it; take the cells themselves
 *                    from gfxr_cell to send them another way.
 *   GFX_PIECE_BLANK  letterbox cells to blank (an ECH in the bytes).
 *   GFX_PIECE_DELETE kitty images to delete: self-contained, no place.
 * Valid until the next call on r. */
enum gfx_piece_kind { GFX_PIECE_IMAGE, GFX_PIECE_CELLS, GFX_PIECE_BLANK, GFX_PIECE_DELETE };
struct gfx_piece {
	enum gfx_piece_kind kind;
	struct gfx_rect cells;
	size_t off, len;
};
const struct gfx_piece *gfxr_pieces(const struct gfxr *r, size_t *n);

/* The placement used by the last render (for the mouse: gfx_cell_to_guest,
 * gfx_guest_to_cell); false before the first render or with nothing shown. */
bool gfxr_fit(const struct gfxr *r, struct gfx_fit *out);

/* The bytes that remove the picture (kitty: delete this renderer's images;
 * others: nothing, the caller repaints the cells). *len may be 0. */
const char *gfxr_clear(struct gfxr *r, size_t *len);

/* Symbols mode: the cell last drawn at terminal (row, col) inside the
 * picture — its character and 24-bit colours (after colour reduction, the
 * colours the terminal shows). false outside the picture or in other modes. */
struct gfx_cell {
	uint32_t ch;        /* Unicode code point */
	uint32_t fg, bg;    /* 0x00RRGGBB */
};
bool gfxr_cell(const struct gfxr *r, int row, int col, struct gfx_cell *c);

/* Counters since gfxr_new: bytes produced, renders, renders that produced
 * nothing, cells (symbols) or tiles/bands (graphics) sent. */
struct gfx_stats {
	uint64_t bytes, frames, still_frames, units_sent;
	size_t last_bytes;  /* bytes of the last render */
};
void gfxr_stats(const struct gfxr *r, struct gfx_stats *s);

/* The device pixel size of a cell from a terminal's TIOCGWINSZ (0 for the
 * pixel fields when it reports none): ws_xpixel/ws_col and
 * ws_ypixel/ws_row, else GFX_CELL_*_DEFAULT. */
void gfx_cell_size(int cols, int rows, int xpixel, int ypixel, int *cell_w, int *cell_h);

/* Names as the command line and config.yaml spell them: "kitty", "sixel",
 * "iterm", "symbols"; gfx_mode_parse returns false for anything else. */
const char *gfx_mode_name(enum gfx_mode m);
bool gfx_mode_parse(const char *s, enum gfx_mode *m);

#endif
