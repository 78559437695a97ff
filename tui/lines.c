/* lines.c — text into curses windows: clipped strings and wide characters,
 * and lines built in memory as 8-byte cells, compared with what the line
 * held last time and handed to curses only where they changed. */
#include "lines.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../model/base/xmalloc.h"
#include "format.h"
#include "screen.h"

void
draw_fill(WINDOW *w, int y, int x, int width, chtype ch)
{
	if (width > 0)
		mvwhline(w, y, x, ch, width);
}

/* Cells go to curses a line at a time (CELLS_MAX in app.h): one call per
 * drawn string instead of one per character (the list is drawn again on
 * every refresh). */

/* How many of `width` columns from (y, x) can be drawn: cells that start
 * past the right edge are not shown at all, and no cell runs past it
 * (curses would write them at the cursor or wrap them onto the next line:
 * stray characters on narrow terminals). 0: nothing. */
static int
clip(WINDOW *w, int y, int x, int width)
{
	if (width <= 0 || x < 0 || y < 0 || x >= getmaxx(w) || y >= getmaxy(w))
		return 0;
	if (width > getmaxx(w) - x)
		width = getmaxx(w) - x;
	return width < CELLS_MAX ? width : CELLS_MAX;
}

/* Whether two cells of a line are the same: eight bytes compared as
 * one. */
static inline bool
same_cell(const struct lcell *a, const struct lcell *b)
{
	return memcmp(a, b, sizeof *a) == 0;
}

/* Combining marks of cells [from, to) forgotten: the cells are written
 * again. */
static void
drop_marks(struct line_cells *l, int from, int to)
{
	int i, k = 0;

	for (i = 0; i < l->nmarked; i++)
		if (l->marked[i].x < from || l->marked[i].x >= to)
			l->marked[k++] = l->marked[i];
	l->nmarked = k;
}

/* A combining mark joins the character of cell x (as many as a curses
 * cell holds; past LINE_MARKED marked cells, the character shows alone). */
static void
add_mark(struct line_cells *l, int x, wchar_t wc)
{
	int i, k;

	for (i = 0; i < l->nmarked && l->marked[i].x != x; i++)
		;
	if (i == l->nmarked) {
		if (i == LINE_MARKED)
			return;
		l->nmarked++;
		l->marked[i].x = x;
		l->marked[i].marks[0] = L'\0';
	}
	for (k = 0; k < CCHARW_MAX - 2 && l->marked[i].marks[k]; k++)
		;
	if (k < CCHARW_MAX - 2) {
		l->marked[i].marks[k] = wc;
		l->marked[i].marks[k + 1] = L'\0';
	}
}

/* Columns [x, x + width) of l: s in attr (UTF-8), padded with spaces. The
 * second column of a wide character is a cell with ch 0, packed away
 * before curses sees the line. */
static void
text_cells(struct line_cells *l, int x, int width, attr_t attr, const char *s)
{
	struct lcell *out = l->c + x;
	mbstate_t st;
	int used = 0, last = -1;

	memset(&st, 0, sizeof st);
	while (*s && used < width) {
		wchar_t wc;
		size_t len = 1;
		int cw;
		if ((unsigned char)*s < 0x80) {
			/* ASCII, nearly every character drawn: no decoding */
			wc = (wchar_t)*s;
			cw = wc >= 0x20 && wc != 0x7f ? 1 : -1;
		} else {
			len = mbrtowc(&wc, s, MB_CUR_MAX, &st);
			if (len == (size_t)-1 || len == (size_t)-2 || len == 0) {
				memset(&st, 0, sizeof st);
				wc = L'?';
				len = 1;
			}
			cw = wcwidth(wc);
		}
		if (cw == 0 && last >= 0) {
			add_mark(l, x + last, wc);
			s += len;
			continue;
		}
		if (cw <= 0) {
			wc = L'?';
			cw = 1;
		}
		if (used + cw > width)
			break;
		out[used].ch = wc;
		out[used].attr = attr;
		last = used;
		if (cw == 2) {
			out[used + 1].ch = L'\0';
			out[used + 1].attr = attr;
			l->wide = true;
		}
		used += cw;
		s += len;
	}
	for (; used < width; used++) {
		out[used].ch = L' ';
		out[used].attr = attr;
	}
}

/* n cells of l from x: characters already one column each (graphs), a
 * space for a 0. */
static void
wide_cells(struct line_cells *l, int x, int n, attr_t attr, const wchar_t *s)
{
	struct lcell *out = l->c + x;
	int i;

	for (i = 0; i < n; i++) {
		out[i].ch = s[i] ? s[i] : L' ';
		out[i].attr = attr;
	}
}

/* Curses' cells made by setcchar (curses' cells are opaque), kept by the
 * character and rendition they were made of, since setcchar costs more
 * than all the rest of a cell's way to curses and the lines drawn again on
 * every refresh hold few distinct cells. Cells with combining marks are
 * made every time. */
#define MADE 256
static struct made {
	struct lcell key;
	bool ok;
	cchar_t cell;
} made[MADE];

/* The curses cell of c, made once; c has no combining marks. */
static const cchar_t *
made_cell(const struct lcell *c)
{
	uint32_t h = (uint32_t)c->ch * 0x9e3779b1u + (uint32_t)c->attr * 0x85ebca77u;
	struct made *m = &made[h >> 24];
	wchar_t wch[2];

	if (m->ok && same_cell(&m->key, c))
		return &m->cell;
	wch[0] = c->ch;
	wch[1] = L'\0';
	if (setcchar(&m->cell, wch, c->attr & ~A_COLOR, (short)PAIR_NUMBER(c->attr),
	             NULL) == ERR) {
		/* A character curses will not take: shown as '?'. */
		wch[0] = L'?';
		setcchar(&m->cell, wch, c->attr & ~A_COLOR, (short)PAIR_NUMBER(c->attr), NULL);
	}
	m->ok = true;
	m->key = *c;
	return &m->cell;
}

/* Whether cell x of l has combining marks. */
static bool
marked_at(const struct line_cells *l, int x)
{
	int i;

	for (i = 0; i < l->nmarked; i++)
		if (l->marked[i].x == x)
			return true;
	return false;
}

/* The curses cell of cell x of l, with its combining marks, into out. */
static void
marked_cell(const struct line_cells *l, int x, cchar_t *out)
{
	wchar_t wch[CCHARW_MAX + 1];
	const struct lcell *c = &l->c[x];
	int i;

	wch[0] = c->ch;
	wch[1] = L'\0';
	for (i = 0; i < l->nmarked; i++)
		if (l->marked[i].x == x)
			memcpy(wch + 1, l->marked[i].marks, sizeof l->marked[i].marks);
	wch[CCHARW_MAX] = L'\0';
	setcchar(out, wch, c->attr & ~A_COLOR, (short)PAIR_NUMBER(c->attr), NULL);
}

/* Cells [from, to) of l as curses cells in out, the second halves of wide
 * characters left out: how many. A run of the same cell (padding) is
 * looked up once. */
static int
to_curses(const struct line_cells *l, int from, int to, cchar_t *out)
{
	const struct lcell *prev = NULL;
	int x, k = 0;

	for (x = from; x < to; x++) {
		const struct lcell *c = &l->c[x];

		if (c->ch == L'\0')
			continue;
		if (l->nmarked > 0 && marked_at(l, x)) {
			marked_cell(l, x, &out[k++]);
			prev = NULL;
		} else if (prev != NULL && same_cell(c, prev)) {
			out[k] = out[k - 1];
			k++;
		} else {
			out[k++] = *made_cell(c);
			prev = c;
		}
	}
	return k;
}

static void
line_reset(struct line_cells *l, WINDOW *w, int y, int width)
{
	l->w = w;
	l->y = y;
	l->width = width;
	l->wide = false;
	l->nmarked = 0;
}

/* Cells [from, to) of l to curses, at column at of its line. */
static void
line_put(const struct line_cells *l, int from, int to, int at)
{
	cchar_t cells[CELLS_MAX];

	mvwadd_wchnstr(l->w, l->y, at, cells, to_curses(l, from, to, cells));
}

/* Write at most `width` columns of a UTF-8 string, padding with spaces. */
void
draw_text(WINDOW *w, int y, int x, int width, int attr, const char *s)
{
	struct line_cells l;

	if ((width = clip(w, y, x, width)) == 0)
		return;
	line_reset(&l, w, y, width);
	text_cells(&l, 0, width, (attr_t)attr, s);
	line_put(&l, 0, width, x);
	wmove(w, y, x + width < getmaxx(w) ? x + width : getmaxx(w) - 1);
}

/* ---- a line built in memory, given to curses in one call ---- */

void
line_begin(struct line_cells *l, WINDOW *w, int y, int attr)
{
	struct lcell blank = { L' ', (attr_t)attr };
	int i;

	line_reset(l, w, y, clip(w, y, 0, getmaxx(w)));
	for (i = 0; i < l->width; i++)
		l->c[i] = blank;
}

/* Keep a wide character whole where a new stretch starts or ends in the
 * middle of it: the half outside the stretch becomes a space. */
static void
line_edges(struct line_cells *l, int x, int end)
{
	if (x > 0 && x < l->width && l->c[x].ch == L'\0')
		l->c[x - 1].ch = L' ';
	if (end < l->width && l->c[end].ch == L'\0')
		l->c[end].ch = L' ';
}

/* Columns [x, x + n) of l about to be written again: how many of them lie
 * on the line (0: none); a wide character the stretch cuts is kept whole,
 * and the cells' combining marks are forgotten. */
static int
line_span(struct line_cells *l, int x, int n)
{
	if (x < 0 || x >= l->width || n <= 0)
		return 0;
	if (n > l->width - x)
		n = l->width - x;
	line_edges(l, x, x + n);
	drop_marks(l, x, x + n);
	return n;
}

void
line_text(struct line_cells *l, int x, int width, int attr, const char *s)
{
	if ((width = line_span(l, x, width)) > 0)
		text_cells(l, x, width, (attr_t)attr, s);
}

void
line_wide(struct line_cells *l, int x, int attr, const wchar_t *s, int n)
{
	if ((n = line_span(l, x, n)) > 0)
		wide_cells(l, x, n, (attr_t)attr, s);
}

/* Unchanged cells, up to this many, between two changed stretches go to
 * curses again rather than costing a call of their own. */
#define MEMO_GAP 8

void
line_end(struct line_cells *l, struct line_memo *m)
{
	struct lcell *old;
	const struct lcell *c;
	int x = 0, width;

	if (l->width == 0)
		return;
	if (m == NULL || m->w != l->w || l->y >= m->rows || l->width != m->cols) {
		line_put(l, 0, l->width, 0);
		return;
	}
	old = m->c + (size_t)l->y * (size_t)m->cols;
	if (!m->valid[l->y] || l->wide || l->nmarked) {
		/* Only lines of plain cells are compared by column. */
		memcpy(old, l->c, (size_t)l->width * sizeof *old);
		m->valid[l->y] = !l->wide && !l->nmarked;
		line_put(l, 0, l->width, 0);
		return;
	}
	/* In locals: the calls to curses below could change l, as far as the
	 * compiler knows, and every cell would read them again. */
	c = l->c;
	width = l->width;
	while (x < width) {
		int end, g;

		/* A loop of its own: most cells are the same. */
		while (x < width && same_cell(&old[x], &c[x]))
			x++;
		if (x == width)
			break;
		end = x + 1;
		for (;;) {
			while (end < width && !same_cell(&old[end], &c[end]))
				end++;
			for (g = 0; end + g < width && g < MEMO_GAP && same_cell(&old[end + g], &c[end + g]);
			     g++)
				;
			if (end + g >= width || g >= MEMO_GAP)
				break;
			end += g;
		}
		line_put(l, x, end, x);
		memcpy(old + x, c + x, (size_t)(end - x) * sizeof *old);
		x = end;
	}
}

/* Like draw_text for wide characters already one column each (graphs). */
void
draw_wide(WINDOW *w, int y, int x, int attr, const wchar_t *s, int n)
{
	struct line_cells l;

	if ((n = clip(w, y, x, n)) == 0)
		return;
	line_reset(&l, w, y, n);
	wide_cells(&l, 0, n, (attr_t)attr, s);
	line_put(&l, 0, n, x);
}

void
draw_wrapped(WINDOW *w, int *y, int attr, const char *text)
{
	int width = getmaxx(w);
	const char *p = text, *next;

	while (*p && *y < getmaxy(w) && width > 8) {
		size_t n = fmt_wrap(p, width, &next);
		char *line = xstrndup(p, n);
		draw_text(w, (*y)++, 0, width, attr, line);
		free(line);
		p = next;
	}
}

/* The hints gathered so far, on as many lines as they need. */
static void
hints_flush(WINDOW *w, int *y, int attr, const char *line)
{
	const char *q = line, *next;
	char part[512];

	while (*q && *y < getmaxy(w)) {
		size_t len = fmt_wrap(q, getmaxx(w), &next);
		snprintf(part, sizeof part, "%.*s", (int)len, q);
		draw_text(w, (*y)++, 0, getmaxx(w), attr, part);
		q = next;
	}
}

void
draw_hints(WINDOW *w, int *y, int attr, const char *hints)
{
	int width = getmaxx(w);
	char line[512], hint[256];
	size_t at = 0;
	const char *p = hints, *end;

	line[0] = '\0';
	for (p += strspn(p, " "); *p; p = end + strspn(end, " ")) {
		end = strstr(p, "  ");
		if (end == NULL)
			end = p + strlen(p);
		snprintf(hint, sizeof hint, "%.*s", (int)(end - p), p);
		if (at > 0 && (int)(at + 2 + strlen(hint)) > width) {
			hints_flush(w, y, attr, line);
			at = 0;
			line[0] = '\0';
		}
		if (at > 0)
			fmt_append(line, sizeof line, &at, "  ");
		fmt_append(line, sizeof line, &at, hint);
	}
	if (at > 0)
		hints_flush(w, y, attr, line);
}

void
draw_cut(WINDOW *w, int y, int x, int width, int attr, const char *text)
{
	char buf[512];

	if ((int)strlen(text) <= width || width < 2) {
		draw_text(w, y, x, width, attr, text);
		return;
	}
	snprintf(buf, sizeof buf, "%.*s%s", width - 1, text, screen_utf8() ? "\u2026" : "~");
	draw_text(w, y, x, width, attr, buf);
}

int
form_title(WINDOW *w, const char *title, const char *hints)
{
	char line[512];
	int y = 1;

	snprintf(line, sizeof line, "%s  (%s)", title, hints);
	if ((int)strlen(line) <= getmaxx(w)) {
		draw_text(w, 0, 0, getmaxx(w), screen_attr(C_COLUMNS), line);
		return 2;
	}
	draw_text(w, 0, 0, getmaxx(w), screen_attr(C_COLUMNS), title);
	draw_hints(w, &y, screen_attr(C_DIM), hints);
	return y + 1;
}

void
draw_graph(WINDOW *w, int y, int x, int width, int height, const struct ring *r,
           double max, enum graph_mode m, int attr)
{
	wchar_t *cells;
	int row;

	if (width <= 0 || height <= 0)
		return;
	cells = xcalloc((size_t)width * (size_t)height, sizeof *cells);
	graph_render(r, max, width, height, m, cells);
	for (row = 0; row < height; row++)
		draw_wide(w, y + row, x, attr, cells + (size_t)row * (size_t)width, width);
	free(cells);
}

void
draw_outcome(WINDOW *w, int *y, bool busy, const char *error, const char *result)
{
	if (busy)
		draw_text(w, (*y)++, 0, getmaxx(w), screen_attr(C_WARNING), "Working...");
	else if (error)
		draw_wrapped(w, y, screen_attr(C_ERROR), error);
	else if (result)
		draw_wrapped(w, y, 0, result);
}
