/* render.c — a guest's framebuffer as terminal bytes: symbols, sixel and
 * iTerm2 through libchafa, kitty images by hand; only what changed
 * (render.h). */
#include <chafa.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "model/base/xmalloc.h"
#include "tui/gfx/render.h"

/* Graphics pictures are cut into units: kitty and iTerm2 tiles of
 * TILE_W x TILE_H cells, sent whole; sixel bands of whole cell rows (a
 * multiple of 6 pixels high), of which the changed columns are sent.
 * chafa spends ~6 ms on each sixel image whatever its size (its palette),
 * so sixel images are few and wide rather than many small tiles. */
#define TILE_W 16
#define TILE_H 4
#define BAND_ROWS 4
#define KITTY_CHUNK 4096
#define KITTY_BASE 0x766d0000u

struct buf {
	char *p;
	size_t len, cap;
};

/* A symbols cell as sent: the colours are chafa's raw ones (packed RGB in
 * truecolor, pen numbers otherwise), rgb the colours shown. */
struct scell {
	uint32_t ch;
	int32_t fg, bg;
	uint32_t rgb_fg, rgb_bg;
};

struct gfxr {
	struct gfx_opts o;
	struct gfx_rect target;
	enum gfx_zoom zoom;
	int pan_x, pan_y;
	uint32_t kitty_base;

	bool shown;           /* fit and the units below say what is on screen */
	struct gfx_fit fit;
	int res_w, res_h;     /* pixels a cell draws (fit.h) */

	struct scell *cells;  /* symbols: fit.cells.w x fit.cells.h */
	uint64_t *hash;       /* graphics: per unit, of the guest pixels sent */
	int units_x, units_y; /* graphics: the grid of units */
	int kitty_used;       /* kitty ids in use from kitty_base */

	ChafaCanvasConfig *cfg;
	ChafaCanvas *canvas;  /* cached for its size */
	int canvas_w, canvas_h;
	ChafaTermInfo *ti;

	uint32_t *scratch;    /* pixels handed to chafa or to kitty */
	size_t scratch_cap;
	unsigned char *zbuf;
	size_t zcap;

	struct buf out;
	struct gfx_piece *pieces;  /* of the last render, into out */
	size_t npieces, cap_pieces;
	struct gfx_stats st;
};

static void buf_grow(struct buf *b, size_t more)
{
	if (b->len + more <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 4096;
	while (cap < b->len + more)
		cap *= 2;
	b->p = xrealloc(b->p, cap);
	b->cap = cap;
}

static void buf_add(struct buf *b, const void *p, size_t n)
{
	buf_grow(b, n);
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

static void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	buf_grow(b, 128);
	va_start(ap, fmt);
	int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n >= b->cap - b->len) {
		buf_grow(b, (size_t)n + 1);
		va_start(ap, fmt);
		n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
	}
	if (n > 0)
		b->len += (size_t)n;
}

/* Moves the cursor to 0-based (row, col). */
static void buf_cup(struct buf *b, int row, int col)
{
	buf_printf(b, "\033[%d;%dH", row + 1, col + 1);
}

static void buf_utf8(struct buf *b, uint32_t c)
{
	char u[4];
	size_t n;
	if (c < 0x80) { u[0] = (char)c; n = 1; }
	else if (c < 0x800) { u[0] = (char)(0xc0 | c >> 6); u[1] = (char)(0x80 | (c & 0x3f)); n = 2; }
	else if (c < 0x10000) {
		u[0] = (char)(0xe0 | c >> 12); u[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		u[2] = (char)(0x80 | (c & 0x3f)); n = 3;
	} else {
		u[0] = (char)(0xf0 | c >> 18); u[1] = (char)(0x80 | ((c >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((c >> 6) & 0x3f)); u[3] = (char)(0x80 | (c & 0x3f)); n = 4;
	}
	buf_add(b, u, n);
}

/* A piece of the output starts: a cursor move to its cell (none for a
 * piece without a place), then its own bytes until piece_end. */
static void piece_start(struct gfxr *r, enum gfx_piece_kind kind, struct gfx_rect cells)
{
	if (r->npieces == r->cap_pieces) {
		r->cap_pieces = r->cap_pieces ? 2 * r->cap_pieces : 64;
		r->pieces = xreallocarray(r->pieces, r->cap_pieces, sizeof(*r->pieces));
	}
	if (kind != GFX_PIECE_DELETE)
		buf_cup(&r->out, cells.y, cells.x);
	r->pieces[r->npieces++] = (struct gfx_piece){ kind, cells, r->out.len, 0 };
}

static void piece_end(struct gfxr *r)
{
	struct gfx_piece *p = &r->pieces[r->npieces - 1];
	p->len = r->out.len - p->off;
}

const struct gfx_piece *gfxr_pieces(const struct gfxr *r, size_t *n)
{
	*n = r->npieces;
	return r->pieces;
}

/* ---- options and geometry ---- */

void gfx_cell_size(int cols, int rows, int xpixel, int ypixel, int *cell_w, int *cell_h)
{
	int w = cols > 0 && xpixel > 0 ? xpixel / cols : 0;
	int h = rows > 0 && ypixel > 0 ? ypixel / rows : 0;
	if (w < 2 || h < 6 || w > 256 || h > 512) {
		w = GFX_CELL_W_DEFAULT;
		h = GFX_CELL_H_DEFAULT;
	}
	*cell_w = w;
	*cell_h = h;
}

static const char *const mode_names[] = {
	[GFX_MODE_SYMBOLS] = "symbols", [GFX_MODE_SIXEL] = "sixel",
	[GFX_MODE_KITTY] = "kitty", [GFX_MODE_ITERM] = "iterm",
};

const char *gfx_mode_name(enum gfx_mode m)
{
	return (unsigned)m < sizeof(mode_names) / sizeof(mode_names[0]) ? mode_names[m] : "?";
}

bool gfx_mode_parse(const char *s, enum gfx_mode *m)
{
	for (size_t i = 0; s && i < sizeof(mode_names) / sizeof(mode_names[0]); i++)
		if (strcmp(s, mode_names[i]) == 0) {
			*m = (enum gfx_mode)i;
			return true;
		}
	return false;
}

/* The pixels one cell draws, for the zooms. */
static void cell_res(const struct gfx_opts *o, int *w, int *h)
{
	if (o->mode != GFX_MODE_SYMBOLS) {
		*w = o->cell_w;
		*h = o->cell_h;
	} else if (o->symbols & GFX_SYM_SEXTANTS) {
		*w = 2; *h = 3;
	} else if (o->symbols & GFX_SYM_QUADRANTS) {
		*w = 2; *h = 2;
	} else {
		*w = 1; *h = 2;
	}
}

static ChafaCanvasMode canvas_mode(const struct gfx_opts *o)
{
	if (o->mode != GFX_MODE_SYMBOLS || o->colors == GFX_COLORS_TRUE)
		return CHAFA_CANVAS_MODE_TRUECOLOR;
	/* 240: the 16 first colours are the user's theme, not known RGB */
	return o->colors == GFX_COLORS_256 ? CHAFA_CANVAS_MODE_INDEXED_240
					   : CHAFA_CANVAS_MODE_INDEXED_16;
}

static ChafaPixelMode pixel_mode(enum gfx_mode m)
{
	switch (m) {
	case GFX_MODE_SIXEL: return CHAFA_PIXEL_MODE_SIXELS;
	case GFX_MODE_KITTY: return CHAFA_PIXEL_MODE_KITTY;
	case GFX_MODE_ITERM: return CHAFA_PIXEL_MODE_ITERM2;
	default: return CHAFA_PIXEL_MODE_SYMBOLS;
	}
}

static void drop_canvas(struct gfxr *r)
{
	if (r->canvas)
		chafa_canvas_unref(r->canvas);
	r->canvas = NULL;
	r->canvas_w = r->canvas_h = 0;
}

/* chafa's configuration for the options. */
static void make_config(struct gfxr *r)
{
	drop_canvas(r);
	if (r->cfg)
		chafa_canvas_config_unref(r->cfg);
	r->cfg = chafa_canvas_config_new();
	chafa_canvas_config_set_canvas_mode(r->cfg, canvas_mode(&r->o));
	chafa_canvas_config_set_pixel_mode(r->cfg, pixel_mode(r->o.mode));
	chafa_canvas_config_set_cell_geometry(r->cfg, r->o.cell_w, r->o.cell_h);
	chafa_canvas_config_set_dither_mode(r->cfg, CHAFA_DITHER_MODE_NONE);
	/* the guest's colours as they are: no contrast stretching */
	chafa_canvas_config_set_preprocessing_enabled(r->cfg, FALSE);
	ChafaSymbolMap *map = chafa_symbol_map_new();
	chafa_symbol_map_add_by_tags(map, CHAFA_SYMBOL_TAG_SPACE | CHAFA_SYMBOL_TAG_SOLID |
				     CHAFA_SYMBOL_TAG_HALF);
	if (r->o.symbols & GFX_SYM_QUADRANTS)
		chafa_symbol_map_add_by_tags(map, CHAFA_SYMBOL_TAG_QUAD);
	if (r->o.symbols & GFX_SYM_SEXTANTS)
		chafa_symbol_map_add_by_tags(map, CHAFA_SYMBOL_TAG_SEXTANT);
	chafa_canvas_config_set_symbol_map(r->cfg, map);
	chafa_symbol_map_unref(map);
}

/* Options made sane: a cell of at least 2 x 6 pixels (a sixel row is 6
 * pixels: chafa divides by zero below that) and at most 256 x 512. */
static void normalize_opts(struct gfx_opts *o)
{
	if (o->cell_w < 2 || o->cell_h < 6 || o->cell_w > 256 || o->cell_h > 512)
		gfx_cell_size(0, 0, 0, 0, &o->cell_w, &o->cell_h);
	if ((unsigned)o->mode > GFX_MODE_ITERM)
		o->mode = GFX_MODE_SYMBOLS;
	if ((unsigned)o->colors > GFX_COLORS_16)
		o->colors = GFX_COLORS_TRUE;
}

struct gfxr *gfxr_new(const struct gfx_opts *o)
{
	struct gfxr *r = xcalloc(1, sizeof(*r));
	/* chafa draws on the calling thread: no pool of glib threads beside
	 * the UI's (the frame-rate cap bounds the work; CPU per frame is
	 * measured in bench/gfx-bytes). */
	chafa_set_n_threads(1);
	r->o = *o;
	normalize_opts(&r->o);
	r->kitty_base = KITTY_BASE;
	r->ti = chafa_term_db_get_fallback_info(chafa_term_db_get_default());
	make_config(r);
	return r;
}

void gfxr_free(struct gfxr *r)
{
	if (!r)
		return;
	drop_canvas(r);
	if (r->cfg)
		chafa_canvas_config_unref(r->cfg);
	if (r->ti)
		chafa_term_info_unref(r->ti);
	free(r->cells);
	free(r->hash);
	free(r->scratch);
	free(r->zbuf);
	free(r->out.p);
	free(r->pieces);
	free(r);
}

void gfxr_set_opts(struct gfxr *r, const struct gfx_opts *o)
{
	struct gfx_opts n = *o;
	normalize_opts(&n);
	if (memcmp(&n, &r->o, sizeof(n)) == 0)
		return;
	r->o = n;
	make_config(r);
	r->shown = false;
}

void gfxr_get_opts(const struct gfxr *r, struct gfx_opts *o) { *o = r->o; }

void gfxr_set_target(struct gfxr *r, struct gfx_rect cells)
{
	if (memcmp(&cells, &r->target, sizeof(cells)) != 0)
		r->shown = false;
	r->target = cells;
}

void gfxr_set_view(struct gfxr *r, enum gfx_zoom zoom, int pan_x, int pan_y)
{
	/* a pan clamped to the same place changes nothing: render compares */
	r->zoom = zoom;
	r->pan_x = pan_x;
	r->pan_y = pan_y;
}

void gfxr_set_kitty_base(struct gfxr *r, uint32_t base)
{
	if (base != r->kitty_base)
		r->shown = false;
	r->kitty_base = base ? base : KITTY_BASE;
}

void gfxr_invalidate(struct gfxr *r) { r->shown = false; }

bool gfxr_fit(const struct gfxr *r, struct gfx_fit *out)
{
	if (!r->shown) {
		memset(out, 0, sizeof(*out));
		return false;
	}
	*out = r->fit;
	return true;
}

void gfxr_stats(const struct gfxr *r, struct gfx_stats *s) { *s = r->st; }

/* ---- pixels ---- */

static bool little_endian(void)
{
	const uint16_t one = 1;
	return *(const unsigned char *)&one == 1;
}

static uint32_t *scratch(struct gfxr *r, size_t n)
{
	if (n > r->scratch_cap) {
		free(r->scratch);
		r->scratch = xmalloc(n * sizeof(uint32_t));
		r->scratch_cap = n;
	}
	return r->scratch;
}

/* For symbols: which guest pixels each of the n sub-pixels from p0 on
 * (CHAFA_SYMBOL_*_PIXELS a cell, counted from the picture's first) shows:
 * [lo, hi), a box when the picture is smaller than the guest's screen,
 * else the one pixel under the sub-pixel's centre. Each depends on its own
 * position only, so a part drawn alone matches the whole drawn at once. */
static void sample_axis(int p0, int n, int num, int den, int sub, int fb, int *lo, int *hi)
{
	int64_t d = (int64_t)den * sub;
	for (int i = 0; i < n; i++) {
		int64_t p = p0 + i, a, b;
		if (num <= d) {
			a = (2 * p + 1) * num / (2 * d);
			b = a + 1;
		} else {
			a = p * num / d;
			b = ((p + 1) * num + d - 1) / d;
		}
		if (a >= fb)
			a = b = fb;          /* past the picture: black */
		else if (b > fb)
			b = fb;
		lo[i] = (int)a;
		hi[i] = (int)b;
	}
}

/* The symbols' pixels for the cells c: sw x sh per cell (chafa's
 * CHAFA_SYMBOL_*_PIXELS, so that it draws them without scaling; 1 x 2 for
 * half blocks drawn here). */
static const uint32_t *symbol_pixels(struct gfxr *r, const struct gfx_frame *f,
				     struct gfx_rect c, int sw, int sh, int *w, int *h)
{
	const struct gfx_fit *fit = &r->fit;
	int W = c.w * sw, H = c.h * sh;
	int *xl = xmalloc(sizeof(int) * (size_t)(2 * W + 2 * H));
	int *xh = xl + W, *yl = xh + W, *yh = yl + H;
	sample_axis((c.x - fit->cells.x + fit->pan_x) * sw, W, fit->x_num, fit->x_den, sw,
		    f->width, xl, xh);
	sample_axis((c.y - fit->cells.y + fit->pan_y) * sh, H, fit->y_num, fit->y_den, sh,
		    f->height, yl, yh);
	uint32_t *s = scratch(r, (size_t)W * H);
	for (int y = 0; y < H; y++) {
		uint32_t *dst = s + (size_t)y * W;
		for (int x = 0; x < W; x++) {
			unsigned n = (unsigned)((yh[y] - yl[y]) * (xh[x] - xl[x]));
			if (n == 1) {
				dst[x] = f->px[(size_t)yl[y] * f->stride + xl[x]] | 0xff000000u;
				continue;
			}
			uint32_t rs = 0, gs = 0, bs = 0;
			for (int gy = yl[y]; gy < yh[y]; gy++) {
				const uint32_t *row = f->px + (size_t)gy * f->stride;
				for (int gx = xl[x]; gx < xh[x]; gx++) {
					rs += (row[gx] >> 16) & 0xff;
					gs += (row[gx] >> 8) & 0xff;
					bs += row[gx] & 0xff;
				}
			}
			dst[x] = n ? 0xff000000u | (rs / n) << 16 | (gs / n) << 8 | bs / n
				   : 0xff000000u;
		}
	}
	free(xl);
	*w = W;
	*h = H;
	return s;
}

/* The pixels for the cells c (inside the picture) as w x h opaque pixels
 * in r->scratch: the guest's own pixels when fitting (chafa scales them)
 * and for kitty (the terminal scales them), else one per pixel the cells
 * draw, each guest pixel repeated 1 or 2 times across and down. */
static const uint32_t *unit_pixels(struct gfxr *r, const struct gfx_frame *f,
				   struct gfx_rect c, int *w, int *h)
{
	const struct gfx_fit *fit = &r->fit;
	if (r->zoom == GFX_ZOOM_FIT || r->o.mode == GFX_MODE_KITTY || r->o.mode == GFX_MODE_ITERM) {
		struct gfx_rect g;
		if (!gfx_cells_to_guest_rect(fit, c, &g))
			return NULL;
		uint32_t *s = scratch(r, (size_t)g.w * g.h);
		for (int y = 0; y < g.h; y++) {
			const uint32_t *src = f->px + (size_t)(g.y + y) * f->stride + g.x;
			uint32_t *dst = s + (size_t)y * g.w;
			for (int x = 0; x < g.w; x++)
				dst[x] = src[x] | 0xff000000u;
		}
		*w = g.w;
		*h = g.h;
		return s;
	}
	int zz = r->zoom == GFX_ZOOM_2 ? 2 : 1;
	int W = c.w * r->res_w, H = c.h * r->res_h;
	int dx0 = (c.x - fit->cells.x + fit->pan_x) * r->res_w;
	int dy0 = (c.y - fit->cells.y + fit->pan_y) * r->res_h;
	uint32_t *s = scratch(r, (size_t)W * H);
	for (int y = 0; y < H; y++) {
		int gy = (dy0 + y) / zz;
		uint32_t *dst = s + (size_t)y * W;
		if (gy >= f->height) {
			for (int x = 0; x < W; x++)
				dst[x] = 0xff000000u;
			continue;
		}
		const uint32_t *src = f->px + (size_t)gy * f->stride;
		for (int x = 0; x < W; x++) {
			int gx = (dx0 + x) / zz;
			dst[x] = gx < f->width ? src[gx] | 0xff000000u : 0xff000000u;
		}
	}
	*w = W;
	*h = H;
	return s;
}

/* A chafa canvas of w x h cells drawn from pixels pw x ph. */
static ChafaCanvas *draw_canvas(struct gfxr *r, int w, int h, const uint32_t *px, int pw, int ph)
{
	if (!r->canvas || r->canvas_w != w || r->canvas_h != h) {
		drop_canvas(r);
		chafa_canvas_config_set_geometry(r->cfg, w, h);
		r->canvas = chafa_canvas_new(r->cfg);
		r->canvas_w = w;
		r->canvas_h = h;
	}
	chafa_canvas_draw_all_pixels(r->canvas,
				     little_endian() ? CHAFA_PIXEL_BGRA8_UNASSOCIATED
						     : CHAFA_PIXEL_ARGB8_UNASSOCIATED,
				     (const guint8 *)px, pw, ph, pw * 4);
	return r->canvas;
}

/* FNV-1a over the guest pixels a unit shows (whether to send it again). */
static uint64_t unit_hash(const struct gfxr *r, const struct gfx_frame *f, struct gfx_rect c)
{
	struct gfx_rect g;
	uint64_t h = 1469598103934665603ull;
	if (!gfx_cells_to_guest_rect(&r->fit, c, &g))
		return h;
	for (int y = 0; y < g.h; y++) {
		const uint32_t *p = f->px + (size_t)(g.y + y) * f->stride + g.x;
		for (int x = 0; x < g.w; x++) {
			h ^= p[x];
			h *= 1099511628211ull;
		}
	}
	return h ^ (uint64_t)g.w << 32 ^ (uint64_t)g.h;
}

/* ---- symbols ---- */

static void sgr_color(struct buf *b, int base, int32_t v, enum gfx_colors colors)
{
	/* base: 38 foreground, 48 background */
	if (colors == GFX_COLORS_TRUE)
		buf_printf(b, "%d;2;%d;%d;%d", base, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff);
	else if (colors == GFX_COLORS_256)
		buf_printf(b, "%d;5;%d", base, v & 0xff);
	else {
		int n = v & 0x0f, sgr = (base == 38 ? 30 : 40) + (n & 7) + (n >= 8 ? 60 : 0);
		buf_printf(b, "%d", sgr);
	}
}

/* The cells of dc as chafa draws them (quadrants, sextants). */
static void chafa_cells(struct gfxr *r, const struct gfx_frame *f, struct gfx_rect dc,
			struct scell *out)
{
	int pw, ph;
	const uint32_t *px = symbol_pixels(r, f, dc, CHAFA_SYMBOL_WIDTH_PIXELS,
					   CHAFA_SYMBOL_HEIGHT_PIXELS, &pw, &ph);
	ChafaCanvas *cv = draw_canvas(r, dc.w, dc.h, px, pw, ph);
	for (int y = 0; y < dc.h; y++)
		for (int x = 0; x < dc.w; x++) {
			struct scell *n = &out[(size_t)y * dc.w + x];
			int fg, bg;
			n->ch = chafa_canvas_get_char_at(cv, x, y);
			chafa_canvas_get_raw_colors_at(cv, x, y, &fg, &bg);
			n->fg = fg;
			n->bg = bg;
			chafa_canvas_get_colors_at(cv, x, y, &fg, &bg);
			n->rgb_fg = (uint32_t)fg & 0xffffff;
			n->rgb_bg = (uint32_t)bg & 0xffffff;
		}
}

/* The 16 colours as most terminals show them by default. */
static const uint32_t pal16[16] = {
	0x000000, 0x800000, 0x008000, 0x808000, 0x000080, 0x800080, 0x008080, 0xc0c0c0,
	0x808080, 0xff0000, 0x00ff00, 0xffff00, 0x0000ff, 0xff00ff, 0x00ffff, 0xffffff,
};

static int dist2(uint32_t a, uint32_t b)
{
	int dr = (int)((a >> 16) & 0xff) - (int)((b >> 16) & 0xff);
	int dg = (int)((a >> 8) & 0xff) - (int)((b >> 8) & 0xff);
	int db = (int)(a & 0xff) - (int)(b & 0xff);
	return dr * dr + dg * dg + db * db;
}

/* The nearest of the 6x6x6 cube's levels to v. */
static int cube_level(int v)
{
	return v < 48 ? 0 : v < 115 ? 1 : (v - 35) / 40;
}

/* A colour as the terminal can show it: *raw for SGR (packed RGB, or a
 * colour number: 16..255 of the 256 colours, the first 16 being the
 * user's theme; 0..15 of the 16), *shown the colour that is. */
static void reduce(uint32_t rgb, enum gfx_colors colors, int32_t *raw, uint32_t *shown)
{
	if (colors == GFX_COLORS_TRUE) {
		*raw = (int32_t)rgb;
		*shown = rgb;
	} else if (colors == GFX_COLORS_256) {
		static const int lv[6] = { 0, 95, 135, 175, 215, 255 };
		int r = cube_level((rgb >> 16) & 0xff), g = cube_level((rgb >> 8) & 0xff);
		int b = cube_level(rgb & 0xff);
		uint32_t cube = (uint32_t)lv[r] << 16 | (uint32_t)lv[g] << 8 | (uint32_t)lv[b];
		int avg = (int)(((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff)) / 3;
		int gi = avg < 8 ? 0 : avg > 238 ? 23 : (avg - 3) / 10;
		uint32_t gv = (uint32_t)(8 + 10 * gi);
		uint32_t grey = gv << 16 | gv << 8 | gv;
		if (dist2(rgb, grey) < dist2(rgb, cube)) {
			*raw = 232 + gi;
			*shown = grey;
		} else {
			*raw = 16 + 36 * r + 6 * g + b;
			*shown = cube;
		}
	} else {
		int best = 0;
		for (int i = 1; i < 16; i++)
			if (dist2(rgb, pal16[i]) < dist2(rgb, pal16[best]))
				best = i;
		*raw = best;
		*shown = pal16[best];
	}
}

/* The cells of dc in half blocks, drawn here: the upper half's colour as
 * the foreground of an upper half block, the lower's as the background
 * (a space when both are one colour). chafa takes ~4 us a cell for this;
 * a 200x60 screen of scrolling text would cost most of a core. */
static void half_cells(struct gfxr *r, const struct gfx_frame *f, struct gfx_rect dc,
		       struct scell *out)
{
	int pw, ph;
	const uint32_t *px = symbol_pixels(r, f, dc, 1, 2, &pw, &ph);
	for (int y = 0; y < dc.h; y++)
		for (int x = 0; x < dc.w; x++) {
			struct scell *n = &out[(size_t)y * dc.w + x];
			uint32_t top = px[(size_t)(2 * y) * pw + x] & 0xffffff;
			uint32_t bot = px[(size_t)(2 * y + 1) * pw + x] & 0xffffff;
			reduce(top, r->o.colors, &n->fg, &n->rgb_fg);
			reduce(bot, r->o.colors, &n->bg, &n->rgb_bg);
			n->ch = n->fg == n->bg ? ' ' : 0x2580;
		}
}

/* Sends the cells of dc (terminal coordinates inside the picture) that
 * differ from what was sent; all of them when force. */
static void symbols_unit(struct gfxr *r, const struct gfx_frame *f, struct gfx_rect dc, bool force)
{
	struct scell *cells = xmalloc(sizeof(*cells) * (size_t)dc.w * dc.h);
	if (r->o.symbols & (GFX_SYM_QUADRANTS | GFX_SYM_SEXTANTS))
		chafa_cells(r, f, dc, cells);
	else
		half_cells(r, f, dc, cells);
	struct buf *b = &r->out;
	int cur_row = -1, cur_col = -1;
	int32_t cur_fg = -2, cur_bg = -2;
	bool any = false;
	for (int y = 0; y < dc.h; y++) {
		for (int x = 0; x < dc.w; x++) {
			struct scell n = cells[(size_t)y * dc.w + x];
			if (n.ch == ' ') {
				n.fg = n.bg;
				n.rgb_fg = n.rgb_bg;
			}
			int row = dc.y + y, col = dc.x + x;
			struct scell *o = &r->cells[(size_t)(row - r->fit.cells.y) * r->fit.cells.w +
						    (col - r->fit.cells.x)];
			if (!force && o->ch == n.ch && o->fg == n.fg && o->bg == n.bg)
				continue;
			*o = n;
			if (row != cur_row || col != cur_col) {
				if (any)
					piece_end(r);
				piece_start(r, GFX_PIECE_CELLS, (struct gfx_rect){ col, row, 0, 1 });
			}
			r->pieces[r->npieces - 1].cells.w++;
			/* the colours that differ from the last sent (a space's
			 * foreground does not matter) */
			bool sfg = n.ch != ' ' && n.fg != cur_fg, sbg = n.bg != cur_bg;
			if (sfg || sbg) {
				buf_add(b, "\033[", 2);
				if (sfg)
					sgr_color(b, 38, n.fg, r->o.colors);
				if (sfg && sbg)
					buf_add(b, ";", 1);
				if (sbg)
					sgr_color(b, 48, n.bg, r->o.colors);
				buf_add(b, "m", 1);
				cur_fg = sfg ? n.fg : cur_fg;
				cur_bg = n.bg;
			}
			buf_utf8(b, n.ch);
			cur_row = row;
			cur_col = col + 1;
			r->st.units_sent++;
			any = true;
		}
	}
	if (any) {
		piece_end(r);
		buf_add(b, "\033[0m", 4);
	}
	free(cells);
}

bool gfxr_cell(const struct gfxr *r, int row, int col, struct gfx_cell *c)
{
	const struct gfx_rect *p = &r->fit.cells;
	if (!r->shown || r->o.mode != GFX_MODE_SYMBOLS || !r->cells ||
	    row < p->y || row >= p->y + p->h || col < p->x || col >= p->x + p->w)
		return false;
	const struct scell *s = &r->cells[(size_t)(row - p->y) * p->w + (col - p->x)];
	c->ch = s->ch;
	c->fg = s->rgb_fg;
	c->bg = s->rgb_bg;
	return true;
}

/* ---- graphics ---- */

static void b64(struct buf *b, const unsigned char *p, size_t n)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	buf_grow(b, (n + 2) / 3 * 4);
	char *o = b->p + b->len;
	size_t i = 0;
	for (; i + 2 < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		*o++ = tab[v >> 18]; *o++ = tab[(v >> 12) & 63];
		*o++ = tab[(v >> 6) & 63]; *o++ = tab[v & 63];
	}
	if (i < n) {
		uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0);
		*o++ = tab[v >> 18]; *o++ = tab[(v >> 12) & 63];
		*o++ = i + 1 < n ? tab[(v >> 6) & 63] : '=';
		*o++ = '=';
	}
	b->len = (size_t)(o - b->p);
}

/* One kitty tile: the guest pixels as 24-bit RGB, zlib-compressed, under
 * the tile's own id (a new transmission replaces the old image and its
 * placement), stretched by the terminal over its cells, cursor unmoved,
 * no answer wanted. */
static void kitty_unit(struct gfxr *r, const struct gfx_frame *f, struct gfx_rect c, uint32_t id)
{
	int pw, ph;
	const uint32_t *px = unit_pixels(r, f, c, &pw, &ph);
	if (!px || pw <= 0 || ph <= 0)
		return;
	size_t raw = (size_t)pw * ph * 3;
	unsigned char *rgb = xmalloc(raw);
	for (size_t i = 0; i < (size_t)pw * ph; i++) {
		rgb[i * 3] = (unsigned char)(px[i] >> 16);
		rgb[i * 3 + 1] = (unsigned char)(px[i] >> 8);
		rgb[i * 3 + 2] = (unsigned char)px[i];
	}
	uLongf zlen = compressBound(raw);
	if (zlen > r->zcap) {
		free(r->zbuf);
		r->zbuf = xmalloc(zlen);
		r->zcap = zlen;
	}
	if (compress2(r->zbuf, &zlen, rgb, raw, 1) != Z_OK) {
		free(rgb);
		return;
	}
	free(rgb);
	struct buf *b = &r->out;
	piece_start(r, GFX_PIECE_IMAGE, c);
	size_t off = 0;
	bool first = true;
	do {
		size_t n = zlen - off > KITTY_CHUNK / 4 * 3 ? KITTY_CHUNK / 4 * 3 : zlen - off;
		bool more = off + n < zlen;
		if (first && r->zoom == GFX_ZOOM_1)   /* the terminal's pixels: as they are */
			buf_printf(b, "\033_Ga=T,q=2,C=1,i=%u,f=24,o=z,s=%d,v=%d,m=%d;",
				   id, pw, ph, more);
		else if (first)
			buf_printf(b, "\033_Ga=T,q=2,C=1,i=%u,f=24,o=z,s=%d,v=%d,c=%d,r=%d,m=%d;",
				   id, pw, ph, c.w, c.h, more);
		else
			buf_printf(b, "\033_Gm=%d;", more);
		b64(b, r->zbuf + off, n);
		buf_add(b, "\033\\", 2);
		off += n;
		first = false;
	} while (off < zlen);
	piece_end(r);
	r->st.units_sent++;
}

/* Guest pixels w x h as the zlib stream of a PNG's rows (filter "sub":
 * text and flat areas compress better); NULL on failure. */
static unsigned char *png_rows(const uint32_t *px, int w, int h, uLongf *zlen)
{
	size_t stride = (size_t)w * 3 + 1, raw = stride * (size_t)h;
	unsigned char *rows = xmalloc(raw);
	for (int y = 0; y < h; y++) {
		unsigned char *o = rows + stride * (size_t)y;
		const uint32_t *p = px + (size_t)y * w;
		*o++ = 1;
		uint32_t prev = 0;
		for (int x = 0; x < w; x++) {
			*o++ = (unsigned char)((p[x] >> 16) - (prev >> 16));
			*o++ = (unsigned char)((p[x] >> 8) - (prev >> 8));
			*o++ = (unsigned char)(p[x] - prev);
			prev = p[x];
		}
	}
	*zlen = compressBound(raw);
	unsigned char *z = xmalloc(*zlen);
	if (compress2(z, zlen, rows, raw, 1) != Z_OK) {
		free(z);
		z = NULL;
	}
	free(rows);
	return z;
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24); p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8); p[3] = (unsigned char)v;
}

/* Appends a PNG chunk to png. */
static void png_chunk(struct buf *png, const char *type, const unsigned char *d, size_t n)
{
	unsigned char len[4], crc[4];
	put32(len, (uint32_t)n);
	buf_add(png, len, 4);
	buf_add(png, type, 4);
	if (n)
		buf_add(png, d, n);
	uLong c = crc32(0, (const Bytef *)type, 4);
	c = crc32(c, d, (uInt)n);
	put32(crc, (uint32_t)c);
	buf_add(png, crc, 4);
}

/* One iTerm2 tile: the guest pixels as a PNG (chafa 1.12 sends iTerm2
 * images as uncompressed TIFF), stretched by the terminal over its cells. */
static void iterm_unit(struct gfxr *r, const struct gfx_frame *f, struct gfx_rect c)
{
	int pw, ph;
	const uint32_t *px = unit_pixels(r, f, c, &pw, &ph);
	if (!px || pw <= 0 || ph <= 0)
		return;
	uLongf zlen;
	unsigned char *z = png_rows(px, pw, ph, &zlen);
	if (!z)
		return;
	struct buf png = { 0 };
	unsigned char ihdr[13] = { 0 };
	put32(ihdr, (uint32_t)pw);
	put32(ihdr + 4, (uint32_t)ph);
	ihdr[8] = 8;   /* bits */
	ihdr[9] = 2;   /* RGB */
	buf_add(&png, "\x89PNG\r\n\x1a\n", 8);
	png_chunk(&png, "IHDR", ihdr, sizeof(ihdr));
	png_chunk(&png, "IDAT", z, zlen);
	png_chunk(&png, "IEND", NULL, 0);
	free(z);
	piece_start(r, GFX_PIECE_IMAGE, c);
	if (r->zoom == GFX_ZOOM_FIT)
		buf_printf(&r->out, "\033]1337;File=inline=1;size=%zu;width=%d;height=%d;"
			   "preserveAspectRatio=0:", png.len, c.w, c.h);
	else  /* in the terminal's pixels: a last cell the picture ends inside */
		buf_printf(&r->out, "\033]1337;File=inline=1;size=%zu;width=%dpx;height=%dpx;"
			   "preserveAspectRatio=0:", png.len, pw * (r->zoom == GFX_ZOOM_2 ? 2 : 1),
			   ph * (r->zoom == GFX_ZOOM_2 ? 2 : 1));
	b64(&r->out, (const unsigned char *)png.p, png.len);
	buf_add(&r->out, "\a", 1);
	piece_end(r);
	free(png.p);
	r->st.units_sent++;
}

/* One sixel tile through chafa, at its cell. */
static void sixel_unit(struct gfxr *r, const struct gfx_frame *f, struct gfx_rect c)
{
	int pw, ph;
	const uint32_t *px = unit_pixels(r, f, c, &pw, &ph);
	if (!px)
		return;
	ChafaCanvas *cv = draw_canvas(r, c.w, c.h, px, pw, ph);
	GString *s = chafa_canvas_print(cv, r->ti);
	piece_start(r, GFX_PIECE_IMAGE, c);
	buf_add(&r->out, s->str, s->len);
	piece_end(r);
	g_string_free(s, TRUE);
	r->st.units_sent++;
}

/* The rows of a band: a multiple of the rows whose height is a whole
 * number of sixel rows (6 pixels), so no band loses its last pixels. */
static int band_rows(const struct gfxr *r)
{
	int n = 1;
	while ((n * r->o.cell_h) % 6)
		n++;
	return n * ((BAND_ROWS + n - 1) / n);
}

static int unit_w(const struct gfxr *r)
{
	return r->o.mode == GFX_MODE_SIXEL ? r->fit.cells.w : TILE_W;
}

static int unit_h(const struct gfxr *r)
{
	return r->o.mode == GFX_MODE_SIXEL ? band_rows(r) : TILE_H;
}

/* The cells of unit (ux, uy). */
static struct gfx_rect unit_rect(const struct gfxr *r, int ux, int uy)
{
	const struct gfx_rect *p = &r->fit.cells;
	int uw = unit_w(r), uh = unit_h(r);
	struct gfx_rect u = { p->x + ux * uw, p->y + uy * uh, uw, uh }, c;
	gfx_rect_clip(u, *p, &c);
	return c;
}

static void kitty_delete(struct gfxr *r, int n)
{
	if (n <= 0)
		return;
	piece_start(r, GFX_PIECE_DELETE, (struct gfx_rect){ 0, 0, 0, 0 });
	for (int i = 0; i < n; i++)
		buf_printf(&r->out, "\033_Ga=d,d=I,i=%u,q=2\033\\", r->kitty_base + (uint32_t)i);
	piece_end(r);
}

const char *gfxr_clear(struct gfxr *r, size_t *len)
{
	r->out.len = 0;
	r->npieces = 0;
	kitty_delete(r, r->kitty_used);  /* also after a switch from kitty */
	r->kitty_used = 0;
	r->shown = false;
	*len = r->out.len;
	return r->out.p ? r->out.p : "";
}

/* Sends the units that cover dc and whose pixels changed. */
static void graphics_units(struct gfxr *r, const struct gfx_frame *f, struct gfx_rect dc, bool force)
{
	for (int uy = 0; uy < r->units_y; uy++)
		for (int ux = 0; ux < r->units_x; ux++) {
			struct gfx_rect u = unit_rect(r, ux, uy), x;
			if (!gfx_rect_clip(u, dc, &x))
				continue;
			uint64_t h = unit_hash(r, f, u);
			size_t i = (size_t)uy * r->units_x + ux;
			if (!force && r->hash[i] == h)
				continue;
			r->hash[i] = h;
			if (r->o.mode == GFX_MODE_KITTY)
				kitty_unit(r, f, u, r->kitty_base + (uint32_t)i);
			else if (r->o.mode == GFX_MODE_ITERM)
				iterm_unit(r, f, u);
			else if (force)
				sixel_unit(r, f, u);
			else {
				/* the band's changed columns, and one more each side
				 * (the scaler's reach) */
				struct gfx_rect c = { x.x - 1, u.y, x.w + 2, u.h };
				gfx_rect_clip(c, u, &c);
				sixel_unit(r, f, c);
			}
		}
}

/* Blanks the target's cells outside the picture (the letterbox). */
static void letterbox(struct gfxr *r)
{
	const struct gfx_rect *t = &r->target, *p = &r->fit.cells;
	struct buf *b = &r->out;
	buf_add(b, "\033[0m", 4);
	for (int y = t->y; y < t->y + t->h; y++) {
		struct gfx_rect bl[2] = { { t->x, y, t->w, 1 }, { 0, 0, 0, 0 } };
		if (y >= p->y && y < p->y + p->h) {
			bl[0] = (struct gfx_rect){ t->x, y, p->x - t->x, 1 };
			bl[1] = (struct gfx_rect){ p->x + p->w, y, t->x + t->w - p->x - p->w, 1 };
		}
		for (int i = 0; i < 2; i++)
			if (bl[i].w > 0) {
				piece_start(r, GFX_PIECE_BLANK, bl[i]);
				buf_printf(b, "\033[%dX", bl[i].w);
				piece_end(r);
			}
	}
}

/* A new placement: sizes the per-unit state; everything goes out. */
static void reset_units(struct gfxr *r, const struct gfx_fit *fit)
{
	kitty_delete(r, r->kitty_used);  /* also after a switch from kitty */
	r->kitty_used = 0;
	r->fit = *fit;
	free(r->cells);
	free(r->hash);
	r->cells = NULL;
	r->hash = NULL;
	r->units_x = r->units_y = 0;
	if (r->o.mode == GFX_MODE_SYMBOLS) {
		r->cells = xcalloc((size_t)fit->cells.w * fit->cells.h, sizeof(*r->cells));
		return;
	}
	int uw = unit_w(r), uh = unit_h(r);
	r->units_x = (fit->cells.w + uw - 1) / uw;
	r->units_y = (fit->cells.h + uh - 1) / uh;
	if ((size_t)r->units_x * r->units_y > GFX_KITTY_IDS && r->o.mode == GFX_MODE_KITTY)
		r->units_y = GFX_KITTY_IDS / r->units_x;  /* past 4096 tiles: not drawn */
	r->hash = xcalloc((size_t)r->units_x * r->units_y, sizeof(*r->hash));
	if (r->o.mode == GFX_MODE_KITTY)
		r->kitty_used = r->units_x * r->units_y;
}

const char *gfxr_render(struct gfxr *r, const struct gfx_frame *f, size_t *len)
{
	struct gfx_fit fit;
	r->out.len = 0;
	r->npieces = 0;
	cell_res(&r->o, &r->res_w, &r->res_h);
	bool ok = f && f->px && f->stride >= f->width &&
		  gfx_fit(f->width, f->height, r->target, r->o.cell_w, r->o.cell_h,
			  r->res_w, r->res_h, r->zoom, r->pan_x, r->pan_y, &fit);
	bool force = !r->shown || !ok || memcmp(&fit, &r->fit, sizeof(fit)) != 0;
	struct gfx_rect dc;
	if (force) {
		if (!ok) {
			/* nothing to show: take the old picture away */
			kitty_delete(r, r->kitty_used);
			r->kitty_used = 0;
			r->shown = false;
			memset(&r->fit, 0, sizeof(r->fit));
			goto done;
		}
		reset_units(r, &fit);
		letterbox(r);
		dc = fit.cells;
		r->shown = true;
	} else if (!gfx_guest_rect_to_cells(&fit, f->dirty, &dc)) {
		goto done;
	} else if (r->zoom == GFX_ZOOM_FIT) {
		/* scaling filters reach a little past the changed pixels */
		struct gfx_rect grow = { dc.x - 1, dc.y - 1, dc.w + 2, dc.h + 2 };
		gfx_rect_clip(grow, fit.cells, &dc);
	}
	if (r->o.mode == GFX_MODE_SYMBOLS)
		symbols_unit(r, f, dc, force);
	else
		graphics_units(r, f, dc, force);
done:
	r->st.frames++;
	r->st.bytes += r->out.len;
	r->st.last_bytes = r->out.len;
	if (!r->out.len)
		r->st.still_frames++;
	*len = r->out.len;
	return r->out.p ? r->out.p : "";
}
