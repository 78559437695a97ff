/* termout.c — sending frames to the terminal.
 *
 * curses' doupdate weighs up to five ways of moving the cursor for every
 * changed stretch of a frame, each one formatted through terminfo's
 * parameter language: for a refresh of ten guests that was more than half
 * of the UI thread's time. vmtui's frames mostly change figures in place,
 * so this module sends them itself. The lines curses marked as changed in
 * its next screen (newscr) are compared with what the terminal shows (a
 * copy kept here); each changed stretch goes out as one absolute move and
 * its cells, the whole frame in one write(2). A change of attributes or
 * colours goes out as one sequence that sets them from any state, made
 * from terminfo once per combination.
 *
 * curses' own picture of the terminal (curscr) goes stale meanwhile. So
 * whenever curses has to draw (a cleared or resized screen, the way back
 * from endwin), the terminal is put back in the normal rendition with the
 * cursor where curses left it, doupdate repaints the whole screen, and the
 * copy is taken again; and a terminal or a cell this module does not take on (no cursor
 * addressing, the last cell of an auto-margin terminal without the
 * newline glitch, a cell it cannot place) leaves every frame to doupdate
 * from then on, as does VMTUI_CURSES_OUTPUT=1.
 */
#include "termout.h"

#include <errno.h>
#include <langinfo.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>
#include <curses.h>
#include <term.h>

#include "../model/base/msglog.h"
#include "../model/base/xmalloc.h"

/* Unchanged cells, up to this many, between two changed stretches of a
 * line are sent again instead of moving over them (a move is 4-8 bytes). */
#define GAP_SENT 4

/* A cell of curses decoded (getcchar): character, rendition and colour
 * pair. One with combining characters packs as CELL_NEVER; its marks are
 * read again from curses' cell when it is sent. */
struct cell {
	uint32_t ch;
	uint32_t attr;
	int32_t color;
};

#define CELL_NEVER UINT32_MAX

/* A column's width byte: the columns its cell takes (1, 2; 0 for the
 * second half of a wide character), and WID_NEVER for a cell with
 * combining characters, never the same as anything: it is sent again with
 * every frame that reaches its line. */
#define WID_COLS 3
#define WID_NEVER 4

/* A growing run of bytes. */
struct bytes {
	char *p;
	size_t len, cap;
};

static void
bytes_put(struct bytes *b, const char *s, size_t n)
{
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2 + 256;
		b->p = xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

static struct {
	bool checked;           /* the terminal's capabilities looked at */
	bool curses_only;       /* every frame through doupdate */
	bool ansi_cup, ansi_hpa; /* the usual CSI moves: formatted here */
	bool margin_hazard;     /* the last cell would scroll the screen */
	bool msgr;              /* moves keep the rendition */
	bool utf8;
	int rows, cols;
	cchar_t *shown;         /* rows x cols: what the terminal shows, as
	                         * curses' cells (a wide one in both columns) */
	unsigned char *wid;     /* rows x cols: width bytes (WID_COLS) */
	bool valid;             /* shown is true */
	bool behind;            /* frames sent since curses drew: curscr is stale */
	int bel_y, bel_x;       /* where curses believes the cursor is */
	cchar_t *raw;           /* one line as curses gives it (cols + 1) */
	int *at;                /* the column's cell in raw: a wide one twice */
	unsigned char *lwid;    /* the column's width byte */
	bool *lsame;            /* the column is what the terminal shows */
	struct cell *lpack;     /* the column decoded, where not lsame */
	struct bytes out;       /* the frame's bytes */
	int cy, cx;             /* the terminal's cursor; -1: not known */
	bool rend_known;        /* the rendition below is the terminal's */
	attr_t rend_attr;
	short rend_pair;
} T;

static void
put(const char *s, size_t n)
{
	bytes_put(&T.out, s, n);
}

/* One byte: most of a frame's characters go out this way. */
static int
put_byte(int c)
{
	if (T.out.len < T.out.cap) {
		T.out.p[T.out.len++] = (char)c;
	} else {
		char ch = (char)c;

		put(&ch, 1);
	}
	return c;
}

/* v in decimal just before end (with room for it): how many bytes. */
static size_t
decimal(char *end, unsigned v)
{
	char *p = end;

	do
		*--p = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	return (size_t)(end - p);
}

static void move_to(int y, int x);
static void flush_out(void);

static void
check_terminal(void)
{
	const char *env = getenv("VMTUI_CURSES_OUTPUT"), *cs = nl_langinfo(CODESET);

	T.checked = true;
	T.curses_only = (env != NULL && *env != '\0' && strcmp(env, "0") != 0) ||
	                cursor_address == NULL;
	T.ansi_cup = cursor_address && strcmp(cursor_address, "\033[%i%p1%d;%p2%dH") == 0;
	T.ansi_hpa = column_address && strcmp(column_address, "\033[%i%p1%dG") == 0;
	T.margin_hazard = auto_right_margin && !eat_newline_glitch;
	T.msgr = move_standout_mode;
	T.utf8 = cs != NULL && strcmp(cs, "UTF-8") == 0;
	/* Said in the action log only when curses draws (the default, vmtui
	 * sending the changed cells itself, is no news; vmtui(1) tells how to
	 * hand a terminal drawn wrongly to curses). */
	if (T.curses_only)
		msglog_add(MSG_NOTE, "Screen: curses draws every frame (%s)",
		           cursor_address == NULL ? "the terminal has no cursor addressing" :
		           "VMTUI_CURSES_OUTPUT is set");
}

/* The bytes that put the terminal in a rendition from any other: reset,
 * then attributes, then colours; made once per rendition met (a theme has
 * a few dozen). Made here rather than by curses' vid_puts, which sends
 * some of its sequences through its own buffer, out of order with ours. */
struct rend {
	attr_t attr;
	short pair;
	char *seq;
	size_t len;
};
static struct rend *rends;
static size_t nrends;
static struct bytes compose;

static int
compose_byte(int c)
{
	char ch = (char)c;

	bytes_put(&compose, &ch, 1);
	return c;
}

static void
compose_cap_str(const char *cap)
{
	if (cap != NULL && cap != (const char *)-1)
		tputs(cap, 1, compose_byte);
}

static const struct rend *
rend_for(attr_t attr, short pair)
{
	static const struct { attr_t a; int cap; } modes[] = {
		{ A_BOLD, 0 }, { A_DIM, 1 }, { A_UNDERLINE, 2 }, { A_REVERSE, 3 },
		{ A_STANDOUT, 4 }, { A_BLINK, 5 }, { A_INVIS, 6 }, { A_ALTCHARSET, 7 },
#ifdef A_ITALIC
		{ A_ITALIC, 8 },
#endif
	};
	const char *caps[] = { enter_bold_mode, enter_dim_mode, enter_underline_mode,
	                       enter_reverse_mode, enter_standout_mode, enter_blink_mode,
	                       enter_secure_mode, enter_alt_charset_mode,
#ifdef A_ITALIC
	                       enter_italics_mode,
#endif
	};
	struct rend *r;
	size_t i;

	for (i = 0; i < nrends; i++)
		if (rends[i].attr == attr && rends[i].pair == pair)
			return &rends[i];
	compose.len = 0;
	compose_cap_str(exit_attribute_mode);
	if (!(attr & A_ALTCHARSET) && exit_alt_charset_mode && exit_attribute_mode &&
	    strstr(exit_attribute_mode, exit_alt_charset_mode) == NULL)
		compose_cap_str(exit_alt_charset_mode);
	for (i = 0; i < sizeof modes / sizeof modes[0]; i++)
		if (attr & modes[i].a)
			compose_cap_str(caps[modes[i].cap]);
	/* The reset leaves the default colours, as curses takes it to. */
	if (pair > 0) {
		short fg = -1, bg = -1;

		pair_content(pair, &fg, &bg);
		if (fg >= 0)
			compose_cap_str(tiparm(set_a_foreground ? set_a_foreground : set_foreground,
			                       (int)fg));
		if (bg >= 0)
			compose_cap_str(tiparm(set_a_background ? set_a_background : set_background,
			                       (int)bg));
	}
	rends = xreallocarray(rends, nrends + 1, sizeof *rends);
	r = &rends[nrends++];
	r->attr = attr;
	r->pair = pair;
	r->len = compose.len;
	r->seq = xmalloc(compose.len + 1);
	memcpy(r->seq, compose.p, compose.len);
	return r;
}

/* Colour pairs were given other colours (a theme): the sequences are
 * made again as they are needed. */
void
termout_colors_changed(void)
{
	size_t i;

	for (i = 0; i < nrends; i++)
		free(rends[i].seq);
	free(rends);
	rends = NULL;
	nrends = 0;
	T.rend_known = false;
}

static void
rendition(attr_t attr, short pair)
{
	const struct rend *r;

	if (T.rend_known && attr == T.rend_attr && pair == T.rend_pair)
		return;
	r = rend_for(attr, pair);
	put(r->seq, r->len);
	T.rend_known = true;
	T.rend_attr = attr;
	T.rend_pair = pair;
}

/* Before curses writes again: the terminal in the normal rendition, and
 * curses told so (what it then sends for that goes out after this). */
static void
hand_back(void)
{
	T.out.len = 0;
	rendition(A_NORMAL, 0);
	move_to(T.bel_y, T.bel_x);
	flush_out();
	vid_attr(A_NORMAL, 0, NULL);
	T.rend_known = false;
}

static void
move_to(int y, int x)
{
	if (T.cy == y && T.cx == x)
		return;
	/* Where moving with a rendition on is not safe, curses turns it off
	 * first; so does this. */
	if (!T.msgr)
		rendition(A_NORMAL, 0);
	if ((T.cy == y && T.ansi_hpa) || T.ansi_cup) {
		/* CSI [row ;] column G or H, formatted from its end */
		char b[32], *p = b + sizeof b;

		if (T.cy == y && T.ansi_hpa) {
			*--p = 'G';
			p -= decimal(p, (unsigned)x + 1);
		} else {
			*--p = 'H';
			p -= decimal(p, (unsigned)x + 1);
			*--p = ';';
			p -= decimal(p, (unsigned)y + 1);
		}
		*--p = '[';
		*--p = '\033';
		put(p, (size_t)(b + sizeof b - p));
	} else {
		tputs(tiparm(cursor_address, y, x), 1, put_byte);
	}
	T.cy = y;
	T.cx = x;
}

/* The line-drawing characters a cell holds as a VT100 letter with
 * A_ALTCHARSET: the terminal's own alternate character for each, and its
 * Unicode form, both as curses has them (X/Open's ACS_ and WACS_ names),
 * read once. */
static struct {
	bool made;
	char alt[128];          /* 0: none */
	wchar_t uni[128];       /* 0: none */
} acs;

static void
acs_make(void)
{
	const struct { char vt; chtype alt; const cchar_t *uni; } t[] = {
		{ 'l', ACS_ULCORNER, WACS_ULCORNER }, { 'm', ACS_LLCORNER, WACS_LLCORNER },
		{ 'k', ACS_URCORNER, WACS_URCORNER }, { 'j', ACS_LRCORNER, WACS_LRCORNER },
		{ 't', ACS_LTEE, WACS_LTEE }, { 'u', ACS_RTEE, WACS_RTEE },
		{ 'v', ACS_BTEE, WACS_BTEE }, { 'w', ACS_TTEE, WACS_TTEE },
		{ 'q', ACS_HLINE, WACS_HLINE }, { 'x', ACS_VLINE, WACS_VLINE },
		{ 'n', ACS_PLUS, WACS_PLUS }, { 'o', ACS_S1, WACS_S1 }, { 's', ACS_S9, WACS_S9 },
		{ '`', ACS_DIAMOND, WACS_DIAMOND }, { 'a', ACS_CKBOARD, WACS_CKBOARD },
		{ 'f', ACS_DEGREE, WACS_DEGREE }, { 'g', ACS_PLMINUS, WACS_PLMINUS },
		{ '~', ACS_BULLET, WACS_BULLET }, { ',', ACS_LARROW, WACS_LARROW },
		{ '+', ACS_RARROW, WACS_RARROW }, { '.', ACS_DARROW, WACS_DARROW },
		{ '-', ACS_UARROW, WACS_UARROW }, { 'h', ACS_BOARD, WACS_BOARD },
		{ 'i', ACS_LANTERN, WACS_LANTERN }, { '0', ACS_BLOCK, WACS_BLOCK },
		{ 'p', ACS_S3, WACS_S3 }, { 'r', ACS_S7, WACS_S7 },
		{ 'y', ACS_LEQUAL, WACS_LEQUAL }, { 'z', ACS_GEQUAL, WACS_GEQUAL },
		{ '{', ACS_PI, WACS_PI }, { '|', ACS_NEQUAL, WACS_NEQUAL },
		{ '}', ACS_STERLING, WACS_STERLING },
	};
	size_t i;

	acs.made = true;
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		wchar_t wch[CCHARW_MAX + 1];
		attr_t attr;
		short pair;
		unsigned char vt = (unsigned char)t[i].vt;

		acs.alt[vt] = (char)(t[i].alt & A_CHARTEXT);
		if (t[i].uni != NULL && getcchar(t[i].uni, wch, &attr, &pair, NULL) == OK)
			acs.uni[vt] = wch[0];
	}
}

/* Columns a character of curses' screen takes; 0 for one it cannot hold. */
static int
cell_width(wchar_t w, attr_t attr)
{
	int n;

	if (w >= 0x20 && w < 0x7f)
		return 1;
	if (w == L'\0')
		return 0;
	if (attr & A_ALTCHARSET)
		return 1;
	n = wcwidth(w);
	return n == 1 || n == 2 ? n : 0;
}

/* Whether two of curses' cells hold the same bytes: then they are the
 * same cell whatever curses' layout of it (cells that differ only in
 * padding merely count as changed). */
static inline bool
cell_eq(const cchar_t *a, const cchar_t *b)
{
	return memcmp(a, b, sizeof *a) == 0;
}

/* Cells as curses gave them, decoded: a small cache keyed by the cell's
 * bytes, since getcchar costs more than all the rest of a changed cell's
 * work and a screen holds few distinct cells (digits, letters and spaces
 * in a theme's few renditions). */
#define DECODED 128
static struct decoded {
	cchar_t raw;
	struct cell k;
	unsigned char wid;      /* width byte; 0 for an empty slot */
} decoded[DECODED];

static unsigned
cell_hash(const cchar_t *c)
{
	uint32_t v[sizeof *c / sizeof(uint32_t)], h = 2166136261u;
	size_t i;

	memcpy(v, c, sizeof v);
	for (i = 0; i < sizeof v / sizeof v[0]; i++)
		h = (h ^ v[i]) * 16777619u;
	return (h ^ (h >> 15)) % DECODED;
}

/* Cell c packed and its width byte (0: one this module cannot place). */
static const struct decoded *
decode(const cchar_t *c)
{
	struct decoded *d = &decoded[cell_hash(c)];
	wchar_t wch[CCHARW_MAX + 1];
	attr_t attr;
	short pair;
	int w;

	if (d->wid != 0 && cell_eq(&d->raw, c))
		return d;
	if (getcchar(c, wch, &attr, &pair, NULL) == ERR ||
	    (w = cell_width(wch[0], attr)) == 0) {
		static const struct decoded none;
		return &none;
	}
	d->raw = *c;
	d->wid = (unsigned char)(w | (wch[1] != L'\0' ? WID_NEVER : 0));
	d->k.ch = wch[1] != L'\0' ? CELL_NEVER : (uint32_t)wch[0];
	d->k.attr = (uint32_t)attr;
	d->k.color = pair;
	return d;
}

/* Column x of the line read, decoded. */
static const struct cell *
cell_at(int x)
{
	return T.lsame[x] ? &decode(&T.raw[T.at[x]])->k : &T.lpack[x];
}

/* Column x of the line read sent: its rendition, then its characters. */
static void
put_cell(int x)
{
	const struct cell *k = cell_at(x);
	wchar_t wch[CCHARW_MAX + 1];
	attr_t attr = (attr_t)k->attr;
	short pair = (short)k->color;
	size_t i;

	wch[0] = (wchar_t)k->ch;
	wch[1] = L'\0';
	/* Combining characters: read again from curses' cell. */
	if (k->ch == CELL_NEVER && getcchar(&T.raw[T.at[x]], wch, &attr, &pair, NULL) == ERR) {
		wch[0] = L' ';
		wch[1] = L'\0';
		attr = A_NORMAL;
		pair = 0;
	}
	if ((attr & A_ALTCHARSET) && wch[0] > 0 && wch[0] < 128) {
		/* A line-drawing character: its Unicode form where curses has
		 * one and the terminal speaks UTF-8, else the terminal's own
		 * alternate character as its acsc string maps it. */
		if (!acs.made)
			acs_make();
		if (T.utf8 && acs.uni[wch[0]] >= 128) {
			attr &= ~A_ALTCHARSET;
			wch[0] = acs.uni[wch[0]];
		} else if (acs.alt[wch[0]] != 0) {
			wch[0] = (wchar_t)(unsigned char)acs.alt[wch[0]];
		}
		wch[1] = L'\0';
	}
	rendition(attr, pair);
	for (i = 0; i < CCHARW_MAX && wch[i] != L'\0'; i++) {
		if (wch[i] < 0x80) {
			put_byte((int)wch[i]);
		} else {
			char mb[MB_LEN_MAX];
			mbstate_t st;
			size_t n;

			memset(&st, 0, sizeof st);
			n = wcrtomb(mb, wch[i], &st);
			if (n == (size_t)-1)
				put("?", 1);
			else
				put(mb, n);
		}
	}
}

/* Columns read a run at a time where the terminal shows narrow cells. */
#define SAME_RUN 8

/* Whether the SAME_RUN cells from raw are those the terminal shows from
 * old, all narrow (width bytes ow): one comparison of their bytes. */
static inline bool
same_run(const cchar_t *raw, const cchar_t *old, const unsigned char *ow)
{
	static const unsigned char narrow[SAME_RUN] = { 1, 1, 1, 1, 1, 1, 1, 1 };

	return memcmp(ow, narrow, SAME_RUN) == 0 &&
	       memcmp(raw, old, SAME_RUN * sizeof *raw) == 0;
}

/* Columns [x, x + SAME_RUN), cells k on of T.raw, read as the same narrow
 * cells the terminal shows. */
static inline void
run_kept(int x, int k)
{
	int i;

	memset(T.lwid + x, 1, SAME_RUN);
	memset(T.lsame + x, true, SAME_RUN);
	for (i = 0; i < SAME_RUN; i++)
		T.at[x + i] = k + i;
}

/* Line y of newscr into T.raw, and per column (the second half of a wide
 * character repeating the first) its place there, its width byte and
 * whether it is what the terminal shows. A cell with the bytes of the one
 * the terminal shows in its column is that cell, its width known: only
 * the others are decoded, most cells of a touched line being the same.
 * false: the cells do not add up to the line. Moves newscr's cursor. */
static bool
read_line(int y)
{
	/* Locals: stores through the arrays could alias T's fields. */
	int x = 0, k = 0, cols = T.cols;
	const cchar_t *raw = T.raw;
	const cchar_t *old = T.shown + (size_t)y * (size_t)cols;
	const unsigned char *ow = T.wid + (size_t)y * (size_t)cols;
	unsigned char *wid = T.lwid;
	bool *same = T.lsame;
	struct cell *pk = T.lpack;
	int *at = T.at;
	const struct decoded *d = NULL;

	if (mvwin_wchnstr(newscr, y, 0, T.raw, cols) == ERR)
		return false;
	while (x < cols) {
		unsigned char w = ow[x];
		bool eq;

		if (x % SAME_RUN == 0 && x + SAME_RUN <= cols && same_run(&raw[k], old + x, ow + x)) {
			run_kept(x, k);
			x += SAME_RUN;
			k += SAME_RUN;
			continue;
		}
		eq = (w & WID_COLS) != 0 && !(w & WID_NEVER) && cell_eq(&raw[k], &old[x]);
		if (!eq) {
			/* A run of the same cell (padding) is decoded once. */
			if (d == NULL || !cell_eq(&raw[k], &d->raw))
				d = decode(&raw[k]);
			w = d->wid;
			if (w == 0 || x + (w & WID_COLS) > cols)
				return false;
			pk[x] = d->k;
		}
		at[x] = k++;
		wid[x] = w;
		same[x] = eq;
		if ((w & WID_COLS) == 2) {
			at[x + 1] = at[x];
			wid[x + 1] = 0;
			same[x + 1] = eq;
			pk[x + 1] = pk[x];
		}
		x += w & WID_COLS;
	}
	return true;
}

static void
alloc_copy(void)
{
	size_t n = (size_t)LINES * (size_t)COLS;

	free(T.shown);
	free(T.wid);
	free(T.raw);
	free(T.at);
	free(T.lwid);
	free(T.lsame);
	free(T.lpack);
	T.rows = LINES;
	T.cols = COLS;
	T.shown = xcalloc(n, sizeof *T.shown);
	T.wid = xcalloc(n, 1);
	T.raw = xcalloc((size_t)COLS + 1, sizeof *T.raw);
	T.at = xcalloc((size_t)COLS, sizeof *T.at);
	T.lwid = xcalloc((size_t)COLS, 1);
	T.lsame = xcalloc((size_t)COLS, sizeof *T.lsame);
	T.lpack = xcalloc((size_t)COLS, sizeof *T.lpack);
}

/* Columns [from, to) of the line read kept as what line y shows. */
static void
keep_shown(int y, int from, int to)
{
	cchar_t *old = T.shown + (size_t)y * (size_t)T.cols;
	unsigned char *ow = T.wid + (size_t)y * (size_t)T.cols;
	int x;

	for (x = from; x < to; x++)
		old[x] = T.raw[T.at[x]];
	memcpy(ow + from, T.lwid + from, (size_t)(to - from));
}

/* The copy of the terminal taken from newscr, just after doupdate. */
static bool
take_copy(void)
{
	int y, cy, cx;
	bool ok = true;

	if (LINES != T.rows || COLS != T.cols || T.shown == NULL)
		alloc_copy();
	getyx(newscr, cy, cx);
	for (y = 0; y < T.rows && ok; y++) {
		ok = read_line(y);
		if (ok)
			keep_shown(y, 0, T.cols);
	}
	wmove(newscr, cy, cx);
	return ok;
}

/* The first column from x on whose cell differs from the terminal's
 * (cols: none). */
static int
skip_same(int x, int cols)
{
	const bool *same = T.lsame;

	while (x < cols && same[x])
		x++;
	return x;
}

/* Whether sending the unchanged cells [from, to) again is cheaper than
 * moving over them: narrow cells in the rendition of the one before. */
static bool
gap_cheap(int from, int to)
{
	struct cell before = *cell_at(from - 1);
	int x;

	for (x = from; x < to; x++) {
		const struct cell *k;

		if (T.lwid[x] != 1)
			return false;
		k = cell_at(x);
		if (k->attr != before.attr || k->color != before.color)
			return false;
	}
	return true;
}

/* The changed stretches of line y (as read_line left it) sent and kept as
 * shown. false: a cell this module does not take on. */
static bool
send_line(int y)
{
	const unsigned char *ow = T.wid + (size_t)y * (size_t)T.cols;
	const bool *same = T.lsame;
	int x = 0, cols = T.cols;

	while (x < cols) {
		int start, end, c;

		x = skip_same(x, cols);
		if (x == cols)
			break;
		/* A wide character is sent whole, and one half overwritten
		 * takes the other with it. */
		start = x;
		while (start > 0 && ((T.lwid[start] & WID_COLS) == 0 || (ow[start] & WID_COLS) == 0))
			start--;
		end = x + 1;
		for (;;) {
			int g = 0;

			while (end < cols && !same[end])
				end++;
			if (end < cols && ((T.lwid[end] & WID_COLS) == 0 || (ow[end] & WID_COLS) == 0)) {
				end++;
				continue;
			}
			while (end + g < cols && g <= GAP_SENT && same[end + g])
				g++;
			if (end + g < cols && g <= GAP_SENT && gap_cheap(end, end + g)) {
				end += g;
				continue;
			}
			break;
		}
		if (end == cols && y == T.rows - 1 && T.margin_hazard)
			return false;
		move_to(y, start);
		for (c = start; c < end; c++)
			if ((T.lwid[c] & WID_COLS) != 0)
				put_cell(c);
		T.cx = end;
		if (end == cols) /* at the margin, terminals differ */
			T.cy = T.cx = -1;
		keep_shown(y, start, end);
		x = end;
	}
	return true;
}

static void
flush_out(void)
{
	size_t off = 0;

	while (off < T.out.len) {
		ssize_t n = write(STDOUT_FILENO, T.out.p + off, T.out.len - off);

		if (n >= 0) {
			off += (size_t)n;
		} else if (errno == EAGAIN || errno == EWOULDBLOCK) {
			struct pollfd p = { .fd = STDOUT_FILENO, .events = POLLOUT };
			poll(&p, 1, 1000);
		} else if (errno != EINTR) {
			break; /* a terminal gone: nothing more to do */
		}
	}
	T.out.len = 0;
}

/* curses draws the frame; with frames sent since it last drew, it
 * repaints every cell. */
static void
curses_update(void)
{
	if (T.behind) {
		hand_back();
		clearok(curscr, TRUE);
	}
	termout_colors_changed(); /* rare; and a theme change comes this way */
	doupdate();
	T.behind = false;
	getyx(newscr, T.bel_y, T.bel_x);
	T.cy = T.bel_y;
	T.cx = T.bel_x;
	T.rend_known = false;
	T.valid = !T.curses_only && take_copy();
	if (!T.valid)
		T.curses_only = true;
}

void
termout_update(void)
{
	int y, cy, cx;

	if (!T.checked)
		check_terminal();
	if (T.curses_only || !T.valid || is_cleared(curscr) || is_cleared(newscr) ||
	    isendwin() || LINES != T.rows || COLS != T.cols) {
		curses_update();
		return;
	}
	getyx(newscr, cy, cx);
	T.out.len = 0;
	for (y = 0; y < T.rows; y++) {
		if (is_linetouched(newscr, y) != TRUE)
			continue;
		if (!read_line(y) || !send_line(y)) {
			/* Left to curses from now on; what was put in the
			 * copy so far is not sent, and curses repaints. */
			T.out.len = 0;
			T.curses_only = true;
			T.behind = true;
			msglog_add(MSG_NOTE, "Screen: curses draws every frame from now on "
			           "(line %d holds %s)", y + 1, T.margin_hazard ?
			           "cells vmtui cannot place, or the last cell of an auto-margin terminal" :
			           "cells vmtui cannot place");
			wmove(newscr, cy, cx);
			curses_update();
			return;
		}
		wtouchln(newscr, y, 1, 0);
	}
	wmove(newscr, cy, cx);
	move_to(cy, cx);
	if (T.out.len > 0) {
		T.behind = true;
		flush_out();
	}
}

void
termout_leave(void)
{
	if (T.behind)
		hand_back();
	T.valid = false;
}

bool
termout_direct(void)
{
	if (!T.checked)
		check_terminal();
	return !T.curses_only;
}
