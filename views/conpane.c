/* conpane.c — the console pane: the guest's serial console rendered by
 * libvterm in a window beside (or above, on narrow terminals) its live
 * CPU and memory graphs. With the console focused every key goes to the
 * guest except F6 (focus to the graphs) and the console escape (^] by
 * default), which leaves; with the graphs focused PgUp/PgDn scroll back
 * through up to SB_MAX lines and Esc leaves. The pane stays inside curses,
 * so leaving it needs no terminal restore. */
#include "conpane.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vterm.h>

#include "../model/base/xmalloc.h"
#include "../model/guest/console.h"
#include "../tui/format.h"
#include "../tui/screen.h"
#include "../tui/vtkeys.h"
#include "console.h"
#include "views.h"

#define SB_MAX 1000       /* lines of scrollback kept */
#define PAIR_BASE 64      /* first colour pair of the guest's 9x9 (default + 8) */
#define WIDE_MIN 100      /* columns from which the graphs go beside the console */

/* A line that scrolled off the top. */
struct sbline {
	int cols;
	VTermScreenCell *cells;
};

/* Where the parts go in the body window. */
struct geo {
	int cy, cx, rows, cols;   /* the console (its title row is cy - 1) */
	int gy, gx, gh, gw;       /* the graphs */
};

static struct {
	bool open;
	struct host *h;
	char uuid[VM_UUID_LEN];
	char name[256];
	struct console *c;
	VTerm *vt;
	VTermScreen *vs;
	int rows, cols;
	VTermPos cursor;
	bool cursor_visible;
	bool graph_focus;
	int scroll;                 /* lines scrolled back */
	struct sbline sb[SB_MAX];   /* a ring: sb_head is the newest */
	int sb_head, sb_len;
	bool pair_ready[81];
} P;

/* ---- libvterm callbacks ---- */

static int
on_damage(VTermRect rect, void *user)
{
	(void)rect;
	(void)user;
	return 1;
}

static int
on_movecursor(VTermPos pos, VTermPos oldpos, int visible, void *user)
{
	(void)oldpos;
	(void)user;
	P.cursor = pos;
	P.cursor_visible = visible != 0;
	return 1;
}

static int
on_settermprop(VTermProp prop, VTermValue *val, void *user)
{
	(void)user;
	if (prop == VTERM_PROP_CURSORVISIBLE)
		P.cursor_visible = val->boolean != 0;
	return 1;
}

/* A line leaves the top of the screen: keep it, dropping the oldest. */
static int
on_sb_pushline(int cols, const VTermScreenCell *cells, void *user)
{
	struct sbline *l;

	(void)user;
	P.sb_head = (P.sb_head + 1) % SB_MAX;
	l = &P.sb[P.sb_head];
	free(l->cells);
	l->cols = cols;
	l->cells = xmalloc((size_t)cols * sizeof *cells);
	memcpy(l->cells, cells, (size_t)cols * sizeof *cells);
	if (P.sb_len < SB_MAX)
		P.sb_len++;
	if (P.scroll > 0 && P.scroll < P.sb_len)
		P.scroll++; /* what the user looks at stays put */
	return 1;
}

/* The screen grew taller: give back the newest line. */
static int
on_sb_popline(int cols, VTermScreenCell *cells, void *user)
{
	struct sbline *l = &P.sb[P.sb_head];
	int i;

	(void)user;
	if (P.sb_len == 0)
		return 0;
	for (i = 0; i < cols; i++) {
		if (i < l->cols) {
			cells[i] = l->cells[i];
		} else {
			memset(&cells[i], 0, sizeof cells[i]);
			cells[i].width = 1;
			cells[i].fg = l->cols ? l->cells[0].fg : cells[i].fg;
			cells[i].bg = l->cols ? l->cells[0].bg : cells[i].bg;
		}
	}
	free(l->cells);
	l->cells = NULL;
	P.sb_head = (P.sb_head + SB_MAX - 1) % SB_MAX;
	P.sb_len--;
	if (P.scroll > P.sb_len)
		P.scroll = P.sb_len;
	return 1;
}

/* The emulator's answers (cursor reports...) go back to the guest. */
static void
on_output(const char *s, size_t len, void *user)
{
	(void)user;
	if (P.c != NULL)
		console_give(P.c, s, len);
}

static const VTermScreenCallbacks callbacks = {
	.damage = on_damage,
	.movecursor = on_movecursor,
	.settermprop = on_settermprop,
	.sb_pushline = on_sb_pushline,
	.sb_popline = on_sb_popline,
};

/* ---- open and close ---- */

/* Drop the emulator and the scrollback. */
static void
free_term(void)
{
	int i;

	if (P.vt != NULL)
		vterm_free(P.vt);
	P.vt = NULL;
	P.vs = NULL;
	for (i = 0; i < SB_MAX; i++) {
		free(P.sb[i].cells);
		P.sb[i].cells = NULL;
	}
	P.sb_len = 0;
}

void
conpane_attach(struct app *a, struct host *h, const char *uuid, const char *name,
               struct console *c)
{
	char label[4];
	unsigned char esc = a->console_escape ? a->console_escape : CONSOLE_ESCAPE_DEFAULT;

	if (P.open) /* one pane at a time: the new console wins */
		conpane_forget();
	memset(&P, 0, sizeof P);
	P.open = true;
	P.h = h;
	P.c = c;
	snprintf(P.uuid, sizeof P.uuid, "%s", uuid);
	snprintf(P.name, sizeof P.name, "%s", name);
	P.rows = 24;
	P.cols = 80;
	P.vt = vterm_new(P.rows, P.cols);
	vterm_set_utf8(P.vt, 1);
	vterm_output_set_callback(P.vt, on_output, NULL);
	P.vs = vterm_obtain_screen(P.vt);
	vterm_screen_set_callbacks(P.vs, &callbacks, NULL);
	vterm_screen_enable_altscreen(P.vs, 1);
	vterm_screen_reset(P.vs, 1);
	P.cursor_visible = true;
	app_push_view(a, &conpane_ops);
	app_status(a, MSG_INFO, "Console of %s in the pane: F6 switches focus, %s leaves.", name,
	           console_escape_label(esc, label));
}

/* Close the stream on the worker. */
static void
close_pane(void)
{
	if (!P.open)
		return;
	console_close_later(P.h, P.c);
	P.c = NULL;
	free_term();
	P.open = false;
}

/* Popped (Esc, the escape key): the stream goes. */
static void
conpane_leave(struct app *a)
{
	if (!P.open)
		return;
	close_pane();
	app_status(a, MSG_INFO, "Left the console pane.");
}

/* The stream ended: the pane goes, and the views opened over it. */
static void
end_pane(struct app *a, enum msg_kind kind, const char *msg)
{
	close_pane();
	while (app_view_open(a, &conpane_ops))
		app_pop_view(a);
	app_status(a, kind, "%s", msg);
}

void
conpane_forget(void)
{
	if (!P.open)
		return;
	console_close(P.c, false);
	P.c = NULL;
	free_term();
	P.open = false;
}

static void
conpane_poll(struct app *a)
{
	char buf[16384], *why = NULL, *msg;
	size_t n;
	enum console_end e;

	if (!P.open)
		return;
	while ((n = console_take(P.c, buf, sizeof buf)) > 0) {
		vterm_input_write(P.vt, buf, n);
		a->dirty |= DIRTY_BODY;
	}
	e = console_status(P.c, &why);
	if (e == CONSOLE_OPEN)
		return;
	if (e == CONSOLE_EOF)
		msg = xasprintf("The console of %s closed: the guest stopped.", P.name);
	else
		msg = xasprintf("The console of %s closed: %s; another client may have taken "
		                "it over.", P.name, why ? why : "stream error");
	end_pane(a, MSG_ERROR, msg);
	free(msg);
	free(why);
}

/* ---- drawing ---- */

/* Console beside the graphs when wide enough, else above them. */
static void
geometry(WINDOW *w, struct geo *g)
{
	int width = getmaxx(w), height = getmaxy(w);

	if (width >= WIDE_MIN) {
		g->cy = 1;
		g->cx = 0;
		g->cols = width * 3 / 5;
		g->rows = height - 1;
		g->gy = 0;
		g->gx = g->cols + 1;
		g->gw = width - g->gx;
		g->gh = height;
	} else {
		g->gh = height >= 24 ? 8 : height / 3;
		g->cy = 1;
		g->cx = 0;
		g->cols = width;
		g->rows = height - g->gh - 1;
		g->gy = height - g->gh;
		g->gx = 0;
		g->gw = width;
	}
	if (g->rows < 1)
		g->rows = 1;
	if (g->cols < 2)
		g->cols = 2;
}

/* A libvterm colour as a curses colour: -1 for the default, else one of
 * the eight basic colours, the nearest by halves of each channel. */
static short
curses_color(VTermColor *col)
{
	if (VTERM_COLOR_IS_DEFAULT_FG(col) || VTERM_COLOR_IS_DEFAULT_BG(col))
		return -1;
	if (VTERM_COLOR_IS_INDEXED(col) && col->indexed.idx < 16)
		return (short)(col->indexed.idx % 8);
	vterm_screen_convert_color_to_rgb(P.vs, col);
	return (short)((col->rgb.red >= 128 ? COLOR_RED : 0) |
	               (col->rgb.green >= 128 ? COLOR_GREEN : 0) |
	               (col->rgb.blue >= 128 ? COLOR_BLUE : 0));
}

/* The colour pair of a cell, made on first use; 0 for the defaults or
 * when the terminal has too few pairs (or colour is off). */
static short
cell_pair(VTermScreenCell *cell)
{
	short fg = curses_color(&cell->fg), bg = curses_color(&cell->bg);
	int i = (fg + 1) * 9 + (bg + 1);

	if (i == 0 || !screen_color() || COLOR_PAIRS <= PAIR_BASE + 81)
		return 0;
	if (!P.pair_ready[i]) {
		init_pair((short)(PAIR_BASE + i), fg, bg);
		P.pair_ready[i] = true;
	}
	return (short)(PAIR_BASE + i);
}

/* One cell at (y, x) of the window. */
static void
draw_cell(WINDOW *w, int y, int x, VTermScreenCell *cell, bool cursor)
{
	wchar_t wch[CCHARW_MAX + 1];
	attr_t attr = 0;
	cchar_t cc;
	int i;

	for (i = 0; i < CCHARW_MAX && i < VTERM_MAX_CHARS_PER_CELL && cell->chars[i]; i++)
		wch[i] = (wchar_t)cell->chars[i];
	if (i == 0)
		wch[i++] = L' ';
	wch[i] = L'\0';
	if (cell->attrs.bold)
		attr |= A_BOLD;
	if (cell->attrs.underline)
		attr |= A_UNDERLINE;
	if (cell->attrs.italic)
		attr |= A_ITALIC;
	if (cell->attrs.blink)
		attr |= A_BLINK;
	if (cell->attrs.reverse != cursor)
		attr |= A_REVERSE;
	if (setcchar(&cc, wch, attr, cell_pair(cell), NULL) == OK)
		mvwadd_wch(w, y, x, &cc);
}

/* Cell col of screen row `row` counting the scrollback above it (row < 0:
 * -1 is the newest scrolled-off line); false past the end of a line. */
static bool
get_cell(int row, int col, VTermScreenCell *cell)
{
	const struct sbline *l;

	if (row >= 0)
		return vterm_screen_get_cell(P.vs, (VTermPos){ .row = row, .col = col }, cell) != 0;
	l = &P.sb[(P.sb_head + SB_MAX + row + 1) % SB_MAX];
	if (col >= l->cols)
		return false;
	*cell = l->cells[col];
	return true;
}

/* The emulator's screen, scrolled back P.scroll lines, into the window. */
static void
draw_console(WINDOW *w, const struct geo *g)
{
	VTermScreenCell cell;
	int r, col, row;
	bool cur;

	for (r = 0; r < g->rows; r++) {
		row = r - P.scroll;
		for (col = 0; col < g->cols; col++) {
			if (!get_cell(row, col, &cell))
				break;
			if (cell.chars[0] == (uint32_t)-1)
				continue; /* the right half of a wide character */
			cur = !P.graph_focus && P.cursor_visible && row == P.cursor.row &&
			      col == P.cursor.col;
			draw_cell(w, g->cy + r, g->cx + col, &cell, cur);
		}
	}
}

/* The title row over the console: whose, the focus and the keys. */
static void
draw_title(struct app *a, WINDOW *w, const struct geo *g)
{
	char line[512], label[4], scroll[32] = "";
	unsigned char esc = a->console_escape ? a->console_escape : CONSOLE_ESCAPE_DEFAULT;

	if (P.scroll > 0)
		snprintf(scroll, sizeof scroll, "  [scrollback -%d]", P.scroll);
	snprintf(line, sizeof line, "Console %s  %s  F6 %s  %s leaves%s", P.name,
	         P.graph_focus ? "(graphs focused: PgUp/PgDn scroll)" : "(typing goes to the guest)",
	         P.graph_focus ? "console" : "graphs", console_escape_label(esc, label), scroll);
	draw_text(w, g->cy - 1, g->cx, g->cols, screen_attr(C_TITLE) | (P.graph_focus ? 0 : A_BOLD),
	          line);
}

/* The guest's CPU and memory graphs, one above the other. */
static void
draw_graphs(struct app *a, WINDOW *w, const struct geo *g)
{
	struct vm *vm = host_find_vm(P.h, P.uuid);
	int half = g->gh / 2;
	double memmax;

	if (vm == NULL) {
		draw_text(w, g->gy, g->gx, g->gw, screen_attr(C_DIM), "(the guest is gone)");
		return;
	}
	memmax = vm->mem_cur_kib ? (double)vm->mem_cur_kib * 1024 : 0;
	draw_graph_box(a, w, g->gy, g->gx, g->gw, half, "CPU", &vm->cpu_hist, 100.0,
	               fmt_pct_unit, vm->cpu_pct, C_GRAPH_CPU);
	draw_graph_box(a, w, g->gy + half, g->gx, g->gw, g->gh - half, "Memory used",
	               &vm->mem_hist, memmax, fmt_bytes,
	               vm_state_active(vm->state) ? (double)vm->mem_used_kib * 1024 : -1,
	               C_GRAPH_MEM);
}

static void
conpane_draw(struct app *a, WINDOW *w)
{
	struct geo g;

	if (!P.open)
		return;
	geometry(w, &g);
	if (g.rows != P.rows || g.cols != P.cols) {
		P.rows = g.rows;
		P.cols = g.cols;
		vterm_set_size(P.vt, P.rows, P.cols);
	}
	draw_title(a, w, &g);
	draw_console(w, &g);
	draw_graphs(a, w, &g);
}

/* ---- keys ---- */

/* Move through the scrollback by n lines (up when positive). */
static void
scroll_by(int n)
{
	P.scroll += n;
	if (P.scroll > P.sb_len)
		P.scroll = P.sb_len;
	if (P.scroll < 0)
		P.scroll = 0;
}

static int
conpane_key(struct app *a, enum cmd c, int key)
{
	(void)key;
	switch (c) {
	case CMD_PANE_FOCUS:
		P.graph_focus = !P.graph_focus;
		return REDRAW_BODY;
	case CMD_PAGE_UP:
		scroll_by(P.rows > 2 ? P.rows - 1 : 1);
		return REDRAW_BODY;
	case CMD_PAGE_DOWN:
		scroll_by(-(P.rows > 2 ? P.rows - 1 : 1));
		return REDRAW_BODY;
	default:
		return 0;
	}
}

static bool
conpane_grab(struct app *a)
{
	(void)a;
	return P.open && !P.graph_focus;
}

/* Keys with the console focused (all of them), and unbound ones with the
 * graphs focused. */
static int
conpane_text(struct app *a, wint_t wc, bool is_key)
{
	unsigned char esc = a->console_escape ? a->console_escape : CONSOLE_ESCAPE_DEFAULT;
	char out[VTKEYS_MAX], kb[16];
	size_t n;

	if (!P.open)
		return HANDLED;
	if (!is_key && wc == esc)
		return command_dispatch(a, CMD_BACK, 0);
	if (is_key && (int)wc == KEY_F(6))
		return conpane_key(a, CMD_PANE_FOCUS, (int)wc);
	if (P.graph_focus) {
		app_status(a, MSG_INFO, "Key %s does nothing here; F6 gives the keys to the console.",
		           keys_label((int)wc, kb, sizeof kb));
		return HANDLED;
	}
	n = vtkeys_encode(wc, is_key, out);
	if (n > 0) {
		console_give(P.c, out, n); /* a full queue (guest not reading) drops keys */
		P.scroll = 0;
	}
	return HANDLED;
}

const struct view_ops conpane_ops = {
	.name = "console pane",
	.keyview = KV_PANE,
	.leave = conpane_leave,
	.poll = conpane_poll,
	.draw = conpane_draw,
	.key = conpane_key,
	.text = conpane_text,
	.grab = conpane_grab,
};
