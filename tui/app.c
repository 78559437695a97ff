/* app.c — the main loop: poll the terminal and the model's wake-up pipe,
 * turn keys into commands, and redraw only the windows that changed. */
#include "app.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "../config/theme.h"
#include "../model/base/notify.h"
#include "../model/base/xmalloc.h"
#include "../model/host/hostjob.h"
#include "../model/record/replay.h"
#include "../model/stats/stats.h"
#include "chrome.h"
#include "format.h"
#include "screen.h"
#include "termout.h"

#define SECOND_NS 1000000000ull
#define STATUS_INFO_NS (5ull * 1000000000ull)
#define STATUS_ERROR_NS (15ull * 1000000000ull)

void
app_lock_hosts(struct app *a)
{
	size_t i;

	for (i = 0; i < a->nhosts; i++)
		host_lock(a->hosts[i]);
	/* Rows point into the hosts' VM tables, which workers replace between
	 * locks: they are rebuilt on every lock and valid only under it. */
	app_rebuild_rows(a);
}

void
app_unlock_hosts(struct app *a)
{
	size_t i;

	for (i = a->nhosts; i > 0; i--)
		host_unlock(a->hosts[i - 1]);
}

static void status_set(struct app *a, enum msg_kind kind, char *s);

void
app_status(struct app *a, enum msg_kind kind, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (s == NULL)
		return;
	/* What the UI refuses or cannot do is kept in the action log too. */
	if (kind == MSG_ERROR)
		msglog_add(MSG_REFUSED, "%s", s);
	status_set(a, kind, s);
}

/* The status line says s (taken) for a while. */
static void
status_set(struct app *a, enum msg_kind kind, char *s)
{
	free(a->status);
	a->status = s;
	a->status_kind = kind;
	a->status_until_ns = host_now_ns() + (kind == MSG_ERROR ? STATUS_ERROR_NS : STATUS_INFO_NS);
	a->dirty |= DIRTY_FOOTER;
}

/* ---- the view stack ---- */

/* The top view leaves and goes (the root stays). */
static void
pop_one(struct app *a)
{
	const struct view_ops *v = a->stack[a->depth - 1];

	a->depth--;
	a->view = a->stack[a->depth - 1];
	if (v->leave)
		v->leave(a);
	a->dirty = DIRTY_ALL;
}

bool
app_view_open(const struct app *a, const struct view_ops *v)
{
	size_t i;

	for (i = 0; i < a->depth; i++)
		if (a->stack[i] == v)
			return true;
	return false;
}

void
app_push_view(struct app *a, const struct view_ops *v)
{
	if (app_view_open(a, v)) {
		while (a->view != v)
			pop_one(a);
		return;
	}
	if (a->depth == VIEW_STACK_MAX)
		pop_one(a); /* never in practice: each view is on it once */
	a->stack[a->depth++] = v;
	a->view = v;
	a->tall_top = 0;
	if (v->enter)
		v->enter(a);
	a->dirty = DIRTY_ALL;
}

void
app_pop_view(struct app *a)
{
	if (a->depth > 1)
		pop_one(a);
}

void
app_pop_to_root(struct app *a)
{
	while (a->depth > 1)
		pop_one(a);
}

/* Are the guests listed last time the guests of the hosts now? */
static bool
rows_current(const struct app *a)
{
	size_t i;

	if (a->rows_gens == NULL || a->filter[0] != '\0')
		return false;
	/* Another order: sorted from scratch at once, rather than moved
	 * row by row until the resort gives up. */
	if (a->rows_made.gens && (a->rows_made.sort != a->sort || a->rows_made.reverse != a->reverse))
		return false;
	for (i = 0; i < a->nhosts; i++)
		if (a->hosts[i]->vms_gen != a->rows_gens[i])
			return false;
	return true;
}

void
app_rows_changed(struct app *a)
{
	a->rows_made.valid = false;
}

/* Were the rows made from what the hosts and the list's settings are now?
 * (Host locks held.) */
static bool
rows_as_made(const struct app *a)
{
	const struct rows_made *m = &a->rows_made;
	size_t i;

	if (!m->valid || m->sort != a->sort || m->reverse != a->reverse ||
	    strcmp(m->filter, a->filter) != 0)
		return false;
	for (i = 0; i < a->nhosts; i++)
		if (m->gens[i] != a->hosts[i]->generation ||
		    m->collapsed[i] != (a->collapsed && a->collapsed[i]))
			return false;
	return true;
}

/* Remember what the rows were made from (host locks held). */
static void
rows_note_made(struct app *a)
{
	struct rows_made *m = &a->rows_made;
	size_t i, n = a->nhosts ? a->nhosts : 1;

	if (m->gens == NULL) {
		m->gens = xcalloc(n, sizeof *m->gens);
		m->collapsed = xcalloc(n, sizeof *m->collapsed);
	}
	for (i = 0; i < a->nhosts; i++) {
		m->gens[i] = a->hosts[i]->generation;
		m->collapsed[i] = a->collapsed && a->collapsed[i];
	}
	snprintf(m->filter, sizeof m->filter, "%s", a->filter);
	m->sort = a->sort;
	m->reverse = a->reverse;
	m->valid = true;
}

void
app_rows_free(struct app *a)
{
	free(a->rows_made.gens);
	free(a->rows_made.collapsed);
	a->rows_made.gens = NULL;
	a->rows_made.collapsed = NULL;
	a->rows_made.valid = false;
}

void
app_rebuild_rows(struct app *a)
{
	bool one = a->nhosts < 2 && !a->group_tags;
	struct row **rows = one ? &a->rows : &a->flat;
	size_t *n = one ? &a->nrows : &a->nflat, *cap = one ? &a->rowcap : &a->flatcap, i;
	uint64_t now = host_now_ns();

	/* Nothing they were made from has changed: a key or a frame between
	 * two refreshes costs nothing per guest (5000 guests on 20 hosts). */
	if (rows_as_made(a))
		return;
	/* Every frame rebuilds the rows; a thousand guests, mostly in the
	 * order they had, are cheaper to sort again than to list and sort
	 * from scratch. A filter's matches change with the figures: those
	 * are listed afresh. */
	if (rows_current(a)) {
		vmsel_resort(*rows, *n, a->sort, a->reverse, now);
	} else {
		*n = vmsel_build(a->hosts, a->nhosts, a->filter, a->sort, a->reverse, now, rows, cap);
		free(a->rows_gens);
		a->rows_gens = NULL;
		if (a->filter[0] == '\0') {
			a->rows_gens = xcalloc(a->nhosts ? a->nhosts : 1, sizeof *a->rows_gens);
			for (i = 0; i < a->nhosts; i++)
				a->rows_gens[i] = a->hosts[i]->vms_gen;
		}
	}
	if (!one && a->group_tags)
		a->nrows = vmsel_group_tags(a->flat, a->nflat, a->hosts, a->nhosts, &a->rows,
		                            &a->rowcap);
	else if (!one)
		a->nrows = vmsel_group(a->flat, a->nflat, a->hosts, a->nhosts, a->collapsed,
		                       &a->rows, &a->rowcap);
	rows_note_made(a);
}

/* Is row r the one sel_host/sel_uuid name ("" for a host heading)? */
bool
app_row_selected(const struct app *a, const struct row *r)
{
	if (r->host != a->sel_host)
		return false;
	/* By tag: the group too (a guest is listed under each of its tags). */
	if (a->group_tags && r->tag != NULL && strcmp(r->tag, a->sel_tag) != 0)
		return false;
	return r->vm ? strcmp(r->vm->uuid, a->sel_uuid) == 0 : a->sel_uuid[0] == '\0';
}

const struct row *
app_selected(struct app *a)
{
	size_t i;

	for (i = 0; i < a->nrows; i++)
		if (app_row_selected(a, &a->rows[i]))
			return &a->rows[i];
	/* By tag, a guest selected elsewhere (no group named): its first. */
	for (i = 0; a->group_tags && i < a->nrows; i++)
		if (a->rows[i].vm && a->rows[i].host == a->sel_host &&
		    strcmp(a->rows[i].vm->uuid, a->sel_uuid) == 0)
			return &a->rows[i];
	return NULL;
}

/* ---- actions ---- */

bool
app_selected_guest(struct app *a, struct sel_guest *g)
{
	const struct row *r;

	app_lock_hosts(a);
	r = app_selected(a);
	if (r == NULL || r->vm == NULL) {
		app_unlock_hosts(a);
		app_status(a, MSG_ERROR, r ? "A host line is selected: pick a guest below it." :
		                             "No guest selected.");
		return false;
	}
	g->host = r->host;
	snprintf(g->uuid, sizeof g->uuid, "%s", r->vm->uuid);
	snprintf(g->name, sizeof g->name, "%s", r->vm->name);
	g->state = r->vm->state;
	g->autostart = r->vm->autostart;
	g->saved = r->vm->managed_save;
	g->host_up = r->host->state == HOST_UP;
	app_unlock_hosts(a);
	return true;
}

void
app_form_focus(struct app *a, int y)
{
	a->focus_y = y;
}

/* Lines of the pad a tall view draws on. */
#define TALL_LINES 200

/* A tall view: drawn whole on a pad, and the part around its focus shown
 * in the body. */
static void
draw_tall(struct app *a)
{
	int bh = getmaxy(a->body), cols = getmaxx(a->body);

	if (a->tall_pad == NULL || getmaxx(a->tall_pad) != cols) {
		if (a->tall_pad)
			delwin(a->tall_pad);
		a->tall_pad = newpad(TALL_LINES, cols);
	}
	werase(a->body);
	if (a->tall_pad == NULL)
		return;
	werase(a->tall_pad);
	a->focus_y = -1;
	a->view->draw(a, a->tall_pad);
	if (a->focus_y >= 0 && a->focus_y < a->tall_top)
		a->tall_top = a->focus_y;
	if (a->focus_y >= a->tall_top + bh)
		a->tall_top = a->focus_y - bh + 1;
	copywin(a->tall_pad, a->body, a->tall_top, 0, 0, 0, bh - 1, cols - 1, FALSE);
}

void
app_redraw_at(struct app *a, uint64_t when_ns)
{
	if (when_ns < a->body_due_ns)
		a->body_due_ns = when_ns;
}

struct line_memo *
app_body_memo(struct app *a, WINDOW *w)
{
	return a->memo_live && w == a->body ? &a->body_memo : NULL;
}

/* The memo made to fit the body; forgetting what it held when asked or
 * when the body is another window or size (then erased: a full draw). */
static void
memo_prepare(struct app *a, bool forget)
{
	struct line_memo *m = &a->body_memo;
	int rows = getmaxy(a->body), cols = getmaxx(a->body);

	if (cols > CELLS_MAX)
		cols = CELLS_MAX;
	if (m->w != a->body || m->rows != rows || m->cols != cols) {
		free(m->c);
		free(m->valid);
		m->w = a->body;
		m->rows = rows;
		m->cols = cols;
		m->c = xcalloc((size_t)rows * (size_t)cols, sizeof *m->c);
		m->valid = xcalloc((size_t)rows, sizeof *m->valid);
		forget = true;
	}
	if (forget) {
		memset(m->valid, 0, (size_t)rows * sizeof *m->valid);
		werase(a->body);
	}
}

/* ---- layout and redraw ---- */

/* The three windows are subwindows of stdscr, on which nothing else is
 * drawn: they keep their cells in its lines instead of a second copy of
 * the screen (a third of a megabyte at 200x60). Dropped before the
 * screen is resized, so that curses never has to move them. */
static void
drop_windows(struct app *a)
{
	if (a->header)
		delwin(a->header);
	if (a->body)
		delwin(a->body);
	if (a->footer)
		delwin(a->footer);
	if (a->tall_pad)
		delwin(a->tall_pad);
	a->header = a->body = a->footer = a->tall_pad = NULL;
}

static void
layout(struct app *a)
{
	int rows = LINES, cols = COLS, fh = rows >= 6 ? 2 : 1, bh;

	drop_windows(a);
	/* One host: its line in the header. Several: the fleet's line in the
	 * header, each host's in its heading in the list. */
	a->header_h = a->nhosts >= 1 ? 2 : 1;
	if (a->header_h > rows / 3)
		a->header_h = rows / 3 > 0 ? rows / 3 : 1;
	bh = rows - a->header_h - fh;
	if (bh < 1) {
		bh = 1;
		a->header_h = rows > fh + 1 ? rows - fh - 1 : 0;
	}
	a->header = derwin(stdscr, a->header_h > 0 ? a->header_h : 1, cols, 0, 0);
	memset(a->header_shown, 0, sizeof a->header_shown);
	a->body = derwin(stdscr, bh, cols, a->header_h, 0);
	a->memo_view = NULL; /* a new window: its memo is forgotten */
	a->footer = derwin(stdscr, fh, cols, rows - fh > 0 ? rows - fh : 0, 0);
	a->dirty = DIRTY_ALL;
	clearok(curscr, TRUE);
}

static void
redraw(struct app *a)
{
	if (!a->dirty)
		return;
	/* Nothing fits in one row or column, and ncurses' own optimiser reads
	 * out of bounds there (valgrind): wait for a usable size. */
	if (COLS < 2 || LINES < 2)
		return;
	curs_set(0);
	if (a->confirm.open || a->hostq.open)
		a->dirty = DIRTY_ALL;
	app_lock_hosts(a);
	if (a->dirty & DIRTY_HEADER)
		chrome_header(a);
	if (a->dirty & DIRTY_BODY) {
		/* With curses drawing every frame (VMTUI_CURSES_OUTPUT), it also
		 * finds what changed: the body is erased and drawn whole. */
		if (a->view->paints_all && termout_direct()) {
			memo_prepare(a, a->memo_view != a->view);
			/* What an overlay left in curses' screen goes. */
			if (a->dirty == DIRTY_ALL)
				touchwin(a->body);
			a->memo_view = a->view;
			a->memo_live = true;
		} else if (!a->view->tall) {
			werase(a->body);
			a->memo_view = NULL;
		} else {
			a->memo_view = NULL;
		}
		/* Untimed views show ages and uptimes without saying when
		 * they move: drawn again within a second. A timed view is not
		 * drawn more often either: every guest's seconds move at their
		 * own moment, and a second late is what the eye allows. */
		uint64_t drawn = host_now_ns();
		a->body_due_ns = UINT64_MAX;
		if (a->view->tall)
			draw_tall(a);
		else
			a->view->draw(a, a->body);
		if (!a->view->timed || a->body_due_ns < drawn + SECOND_NS)
			a->body_due_ns = drawn + SECOND_NS;
		a->memo_live = false;
		wnoutrefresh(a->body);
	}
	app_unlock_hosts(a);
	if (a->dirty & DIRTY_FOOTER)
		chrome_footer(a);
	chrome_overlays(a);
	termout_update();
	a->dirty = 0;
	a->first_frame_done = true;
}

void
app_ask(struct app *a, const char *text, void (*yes)(struct app *))
{
	free(a->confirm.text);
	a->confirm.text = xstrdup(text);
	a->confirm.open = true;
	a->confirm.host = NULL;
	a->confirm.yes = yes;
	a->dirty = DIRTY_ALL;
}

/* Out of curses: the terminal back in the shell's modes, screen as it was
 * before vmtui (the alternate screen is left). */
void
app_suspend(struct app *a)
{
	(void)a;
	def_prog_mode();
	termout_leave();
	endwin();
}

/* Back in curses with a full repaint: the next doupdate restores the
 * program's modes and the alternate screen, and clearok repaints every
 * cell rather than trusting what curses thinks is there. */
void
app_resume(struct app *a)
{
	reset_prog_mode();
	clearok(curscr, TRUE);
	a->dirty = DIRTY_ALL;
	a->read_keys_now = true; /* curses turns the keypad mode on as it reads */
	redraw(a);
}

/* ---- input ---- */

struct host *
app_target_host(struct app *a)
{
	return a->sel_host ? a->sel_host : a->hosts[0];
}

/* A key the binding table does not know: said once, with the help key. */
static int
unbound(struct app *a, int key)
{
	char kb[16], hb[16];
	int hk = keys_first(CMD_HELP);

	if (key == 27)
		return HANDLED;
	app_status(a, MSG_INFO, "Key %s does nothing here; press %s for help.",
	           keys_label(key, kb, sizeof kb), hk < 0 ? "?" : keys_label(hk, hb, sizeof hb));
	return HANDLED;
}

/* The mouse: the wheel scrolls, clicks go to the view. */
static int
mouse_key(struct app *a)
{
	MEVENT me;

	if (getmouse(&me) != OK)
		return HANDLED;
	if (me.bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED))
		return command_dispatch(a, me.bstate & BUTTON4_PRESSED ? CMD_UP : CMD_DOWN, 0) |
		       HANDLED;
	a->mouse_bstate = me.bstate;
	if (a->view->mouse && wmouse_trafo(a->body, &me.y, &me.x, FALSE))
		a->view->mouse(a, me.y, me.x, (me.bstate & BUTTON1_DOUBLE_CLICKED) != 0);
	return HANDLED;
}

/* One key: an overlay or prompt takes it first, then a view that grabs
 * every key, then the binding's command through the dispatcher, and keys
 * no binding has go to a view that takes typing. */
static int
handle_key(struct app *a, wint_t wc, bool is_key)
{
	int key = (int)wc, r;
	enum cmd c;

	if (chrome_key(a, wc, is_key, &r))
		return r;
	if (is_key && key == KEY_MOUSE)
		return mouse_key(a);
	if (is_key && key == KEY_RESIZE)
		return HANDLED;
	if (a->view->grab && a->view->grab(a))
		return a->view->text(a, wc, is_key);
	if (!is_key && key == 3) /* ^C in raw mode */
		return QUIT;
	c = keys_lookup(key, a->view->keyview);
	if (c == CMD_NONE && a->view->text)
		return a->view->text(a, wc, is_key);
	if (c == CMD_NONE)
		return unbound(a, key);
	r = command_dispatch(a, c, key);
	return r ? r : HANDLED;
}

static void
read_keys(struct app *a)
{
	wint_t wc;
	int rc;

	/* Nothing is drawn on stdscr, but curses refreshes it before reading
	 * a key when it looks changed (after a resize it does): that would
	 * blank the screen behind the frames' back. */
	untouchwin(stdscr);
	clearok(stdscr, FALSE);
	while ((rc = wget_wch(stdscr, &wc)) != ERR) {
		int r = handle_key(a, wc, rc == KEY_CODE_YES);
		if (r & QUIT) {
			a->quit = true;
			return;
		}
		if (r & REDRAW_ALL)
			a->dirty = DIRTY_ALL;
		if (r & (REDRAW_BODY | HANDLED))
			a->dirty |= DIRTY_BODY | DIRTY_FOOTER | DIRTY_HEADER;
	}
}

/* ---- model notices ---- */

static void
check_model(struct app *a)
{
	struct msg m;
	size_t i;
	uint64_t now = host_now_ns();

	for (i = 0; i < a->nhosts; i++) {
		uint64_t g;
		host_lock(a->hosts[i]);
		g = a->hosts[i]->generation;
		host_unlock(a->hosts[i]);
		if (g != a->seen_gen[i]) {
			a->seen_gen[i] = g;
			a->dirty |= DIRTY_HEADER | DIRTY_BODY;
		}
	}
	chrome_check_questions(a);
	if (msglog_latest((1u << MSG_INFO) | (1u << MSG_ERROR), a->status_seq, &m)) {
		a->status_seq = m.seq;
		if (!a->view->reports)
			status_set(a, m.kind, xstrdup(m.text));
		msg_clear(&m);
	}
	if (a->status != NULL && now >= a->status_until_ns) {
		free(a->status);
		a->status = NULL;
		a->dirty |= DIRTY_FOOTER;
	}
	/* Uptimes move by themselves, but only when the text shown would
	 * change: a guest up for hours is redrawn on the minute, not every
	 * second (nor between refreshes when the refresh is sooner). */
	if (now >= a->body_due_ns) {
		a->dirty |= DIRTY_HEADER | DIRTY_BODY;
		a->body_due_ns = now + SECOND_NS; /* even if the frame cannot be drawn (1x1) */
	}
}

/* Milliseconds until the body or the status line changes by itself (-1:
 * until a refresh or a key). */
static int
loop_timeout(const struct app *a)
{
	uint64_t now = host_now_ns(), due = a->body_due_ns;

	if (a->status != NULL && a->status_until_ns < due)
		due = a->status_until_ns;
	if (due == UINT64_MAX)
		return -1;
	if (now >= due)
		return 0; /* passed while drawing */
	if (due - now >= (uint64_t)(INT_MAX - 1) * 1000000ull)
		return INT_MAX;
	return (int)((due - now) / 1000000ull) + 1;
}

/* Sleep until a key, a model notice, a signal or the next timed change;
 * false when the terminal went away. */
static bool
wait_input(struct app *a)
{
	struct pollfd fds[2] = {
		{ .fd = STDIN_FILENO, .events = POLLIN },
		{ .fd = notify_fd(), .events = POLLIN },
	};

	if (poll(fds, 2, loop_timeout(a)) < 0) {
		if (errno != EINTR)
			return false;
		fds[0].revents = 0; /* a signal: the loop looks at its flags */
	}
	if (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL))
		return false;
	if (fds[0].revents & POLLIN)
		a->read_keys_now = true;
	return true;
}

/* Streams and background work of the views: the ui's poll, then every
 * view on the stack that has one (a view may pop itself meanwhile). */
static void
poll_views(struct app *a)
{
	size_t i;

	if (ui_get()->poll)
		ui_get()->poll(a);
	for (i = a->depth; i > 0; i--)
		if (i <= a->depth && a->stack[i - 1]->poll)
			a->stack[i - 1]->poll(a);
}

int
app_run(struct app *a)
{
	a->seen_gen = xcalloc(a->nhosts ? a->nhosts : 1, sizeof *a->seen_gen);
	scroll_init(&a->list, true);
	a->body_due_ns = host_now_ns() + SECOND_NS;
	layout(a);
	if (a->depth == 0)
		app_push_view(a, ui_get()->root);
	a->read_keys_now = true; /* keys typed before the first frame */
	while (!a->quit && !screen_got_quit_signal) {
		if (screen_got_winch) {
			drop_windows(a);
			screen_resize();
			layout(a);
		}
		notify_drain();
		check_model(a);
		poll_views(a);
		/* Reading the terminal costs curses a poll and two signal
		 * changes; after a refresh's wake-up there is nothing to read. */
		if (a->read_keys_now) {
			a->read_keys_now = false;
			read_keys(a);
		}
		/* A quit signal during a console session returns here with curses
		 * suspended: a frame now would take the screen back only for
		 * main to leave it again, the cursor left where curses found it
		 * (over the console's last lines, where the quit message goes). */
		if (a->quit || screen_got_quit_signal)
			break;
		redraw(a);
		if (!wait_input(a))
			break; /* the terminal went away */
	}
	if (ui_get()->quit)
		ui_get()->quit();
	app_pop_to_root(a);
	free(a->seen_gen);
	a->seen_gen = NULL;
	drop_windows(a);
	free(a->body_memo.c);
	free(a->body_memo.valid);
	memset(&a->body_memo, 0, sizeof a->body_memo);
	return 0;
}
