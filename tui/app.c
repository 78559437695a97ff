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
#include "../model/hostjob.h"
#include "../model/notify.h"
#include "../model/replay.h"
#include "../model/stats.h"
#include "../model/xmalloc.h"
#include "../views/console.h"
#include "../views/conpane.h"
#include "complete.h"
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
	free(a->status);
	a->status = s;
	a->status_kind = kind;
	a->status_until_ns = host_now_ns() + (kind == MSG_ERROR ? STATUS_ERROR_NS : STATUS_INFO_NS);
	a->dirty |= DIRTY_FOOTER;
}

void
app_set_view(struct app *a, const struct view_ops *v)
{
	if (v != a->view)
		a->prev_view = a->view;
	a->view = v;
	if (v->enter)
		v->enter(a);
	a->dirty = DIRTY_ALL;
}

/* Are the guests listed last time the guests of the hosts now? */
static bool
rows_current(const struct app *a)
{
	size_t i;

	if (a->rows_gens == NULL || a->filter[0] != '\0')
		return false;
	for (i = 0; i < a->nhosts; i++)
		if (a->hosts[i]->vms_gen != a->rows_gens[i])
			return false;
	return true;
}

void
app_rebuild_rows(struct app *a)
{
	bool one = a->nhosts < 2;
	struct row **rows = one ? &a->rows : &a->flat;
	size_t *n = one ? &a->nrows : &a->nflat, *cap = one ? &a->rowcap : &a->flatcap, i;
	uint64_t now = host_now_ns();

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
	if (!one)
		a->nrows = vmsel_group(a->flat, a->nflat, a->hosts, a->nhosts, a->collapsed,
		                       &a->rows, &a->rowcap);
}

/* Is row r the one sel_host/sel_uuid name ("" for a host heading)? */
bool
app_row_selected(const struct app *a, const struct row *r)
{
	if (r->host != a->sel_host)
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
	g->host_up = r->host->state == HOST_UP;
	app_unlock_hosts(a);
	return true;
}

int
app_act(struct app *a, enum action act)
{
	struct sel_guest g;
	const char *why;
	struct host *h;
	const char *uuid, *name;

	if (!app_selected_guest(a, &g))
		return HANDLED;
	h = g.host;
	uuid = g.uuid;
	name = g.name;
	why = g.host_up ? action_refusal(act, g.state, g.autostart) : "its host is not connected";

	if (a->readonly) {
		app_status(a, MSG_ERROR, "Cannot %s %s: vmtui runs read-only (-r); "
		           "restart without -r to change guests.", action_name(act), name);
		return HANDLED;
	}
	if (why != NULL) {
		app_status(a, MSG_ERROR, "Cannot %s %s: %s.", action_name(act), name, why);
		return HANDLED;
	}
	if (act == ACT_DESTROY) {
		free(a->confirm.text);
		a->confirm.text = xasprintf("Force off %s? Unsaved guest data is lost, "
		                            "as when pulling the power cord.", name);
		a->confirm.open = true;
		a->confirm.host = h;
		a->confirm.act = act;
		a->confirm.yes = NULL;
		snprintf(a->confirm.uuid, sizeof a->confirm.uuid, "%s", uuid);
		a->dirty |= DIRTY_ALL;
		return HANDLED;
	}
	host_action(h, uuid, act);
	app_status(a, MSG_INFO, "%s %s...", action_name(act), name);
	return HANDLED;
}

int
app_common_cmd(struct app *a, enum cmd c)
{
	const struct row *r;
	bool autostart = false;

	switch (c) {
	case CMD_START:
		return app_act(a, ACT_START);
	case CMD_SHUTDOWN:
		return app_act(a, ACT_SHUTDOWN);
	case CMD_REBOOT:
		return app_act(a, ACT_REBOOT);
	case CMD_FORCE_OFF:
		return app_act(a, ACT_DESTROY);
	case CMD_PAUSE:
		return app_act(a, ACT_SUSPEND);
	case CMD_RESUME:
		return app_act(a, ACT_RESUME);
	case CMD_AUTOSTART:
		app_lock_hosts(a);
		r = app_selected(a);
		autostart = r != NULL && r->vm != NULL && r->vm->autostart;
		app_unlock_hosts(a);
		return app_act(a, autostart ? ACT_AUTOSTART_OFF : ACT_AUTOSTART_ON);
	case CMD_RESIZE:
		return resize_open(a);
	case CMD_SNAPSHOTS:
		return snapshots_open(a);
	case CMD_CLONE:
		return clone_open(a);
	case CMD_DELETE:
		return vmdelete_open(a);
	case CMD_CONSOLE:
		return console_cmd(a);
	case CMD_CONSOLE_PANE:
		return console_pane_cmd(a);
	default:
		return 0;
	}
}

/* ---- drawing helpers ---- */

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

static void
cell_template(cchar_t *c, attr_t attr)
{
	static const wchar_t space[2] = L" ";

	setcchar(c, space, attr & ~A_COLOR, (short)PAIR_NUMBER(attr), NULL);
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

/* Cells [from, to) of l as curses cells in out, the second halves of wide
 * characters left out: how many. */
static int
to_curses(const struct line_cells *l, int from, int to, cchar_t *out)
{
	cchar_t t;
	attr_t last = 0;
	bool have = false;
	int x, k = 0, i;

	for (x = from; x < to; x++) {
		const struct lcell *c = &l->c[x];
		if (c->ch == L'\0')
			continue;
		if (!have || c->attr != last) {
			cell_template(&t, c->attr);
			last = c->attr;
			have = true;
		}
		out[k] = t;
		out[k].chars[0] = c->ch;
		for (i = 0; i < l->nmarked; i++)
			if (l->marked[i].x == x)
				memcpy(out[k].chars + 1, l->marked[i].marks, sizeof l->marked[i].marks);
		k++;
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

static inline bool
same_cell(const struct lcell *a, const struct lcell *b)
{
	return a->ch == b->ch && a->attr == b->attr;
}

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
	const char *p = text;

	while (*p && *y < getmaxy(w) && width > 8) {
		int cut = (int)strlen(p);
		char *line;
		if (cut > width) {
			for (cut = width; cut > 0 && p[cut] != ' '; cut--)
				;
			if (cut == 0)
				cut = width;
		}
		line = xstrndup(p, (size_t)cut);
		draw_text(w, (*y)++, 0, width, attr, line);
		free(line);
		for (p += cut; *p == ' '; p++)
			;
	}
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

/* ---- header, footer, overlays ---- */

/* A host in one line: name, URI, CPU and memory use, what its running
 * guests were given against what it has (overcommit), guest states; or why
 * it is down. Returns the colour meaning to draw it with. */
enum color
app_host_summary(const struct host *h, char *line, size_t n)
{
	char cpu[16], used[16], total[16], alloc[16], retry[32], num[24];
	struct host_totals t;
	uint64_t used_kib;
	char where[300];
	size_t at = 0;
	bool vcpu_over;

	host_assert_locked(h);
	/* Where the host is: the URI it connected to, else what was asked. */
	if (h->uri)
		fmt_append(where, sizeof where, &at, h->uri);
	else if (h->ssh)
		snprintf(where, sizeof where, "%s via ssh %s", h->uri_req ? h->uri_req :
		         "qemu:///system", h->ssh);
	else
		snprintf(where, sizeof where, "%s", h->uri_req ? h->uri_req : "(default)");

	if (h->state != HOST_UP) {
		if (h->state == HOST_DOWN)
			snprintf(retry, sizeof retry, ", retry in %.0fs", h->retry_in);
		else
			retry[0] = '\0';
		/* Short facts first: the libvirt error may not fit on the line. */
		snprintf(line, n, "%s  %s%s%s: %s", where,
		         h->state == HOST_DOWN ? "DISCONNECTED" : "connecting", retry,
		         h->nvms ? " (showing last data)" : "", h->error ? h->error : "");
		return h->state == HOST_DOWN ? C_ERROR : C_WARNING;
	}
	vmsel_host_totals(h, &t);
	used_kib = h->mem_total_kib > h->mem_free_kib ? h->mem_total_kib - h->mem_free_kib : 0;
	vcpu_over = h->cpus && t.vcpus_running > h->cpus;
	/* Made on every frame: put together without printf. */
	at = 0;
	fmt_append(line, n, &at, host_label(h));
	fmt_append(line, n, &at, "  ");
	fmt_append(line, n, &at, where);
	fmt_append(line, n, &at, "  CPU ");
	fmt_append(line, n, &at, fmt_pct(cpu, sizeof cpu, h->cpu_pct));
	fmt_append(line, n, &at, "%  Mem ");
	fmt_append(line, n, &at, fmt_bytes(used, sizeof used, h->mem_free_kib == HOST_MEM_UNKNOWN ?
	                                   -1 : (double)used_kib * 1024));
	fmt_append(line, n, &at, "/");
	fmt_append(line, n, &at, fmt_bytes(total, sizeof total, (double)h->mem_total_kib * 1024));
	fmt_append(line, n, &at, "  vCPUs ");
	fmt_append(line, n, &at, fmt_count(num, sizeof num, t.vcpus_running));
	fmt_append(line, n, &at, "/");
	fmt_append(line, n, &at, fmt_count(num, sizeof num, h->cpus));
	fmt_append(line, n, &at, "  Alloc ");
	fmt_append(line, n, &at, fmt_bytes(alloc, sizeof alloc, (double)t.mem_running_kib * 1024));
	fmt_append(line, n, &at, "  VMs: ");
	fmt_append(line, n, &at, fmt_count(num, sizeof num, t.running));
	fmt_append(line, n, &at, " running, ");
	fmt_append(line, n, &at, fmt_count(num, sizeof num, t.paused));
	fmt_append(line, n, &at, " paused, ");
	fmt_append(line, n, &at, fmt_count(num, sizeof num, t.off));
	fmt_append(line, n, &at, " off");
	fmt_append(line, n, &at, t.other ? ", more in other states" : "");
	if (vcpu_over) {
		fmt_append(line, n, &at, " vCPU overcommit ");
		/* fmt_pct: the ratio with one decimal */
		fmt_append(line, n, &at, fmt_pct(num, sizeof num, (double)t.vcpus_running / h->cpus));
		fmt_append(line, n, &at, "x");
	}
	if (t.mem_running_kib > h->mem_total_kib && h->mem_total_kib)
		return C_WARNING; /* memory overcommitted */
	return vcpu_over ? C_WARNING : C_HEADER;
}

/* A header line, unless it shows that text already: the title seldom
 * changes, and every line is drawn to the full width (nothing to erase).
 * The lines shown are forgotten when the window is made again or the whole
 * screen is drawn. */
static void
header_line(struct app *a, int y, int attr, const char *text)
{
	struct header_shown *hs;
	size_t len;

	if (y < 0 || y >= HEADER_LINES_KEPT) {
		draw_text(a->header, y, 0, getmaxx(a->header), attr, text);
		return;
	}
	hs = &a->header_shown[y];
	if (hs->valid && hs->attr == attr && strcmp(hs->text, text) == 0)
		return;
	draw_text(a->header, y, 0, getmaxx(a->header), attr, text);
	len = strlen(text);
	hs->attr = attr;
	/* a text longer than kept is drawn every time */
	hs->valid = len < sizeof hs->text - 1;
	if (hs->valid)
		memcpy(hs->text, text, len + 1);
}

static void
draw_host_line(struct app *a, int y, struct host *h)
{
	char line[512];
	enum color c = app_host_summary(h, line, sizeof line);

	header_line(a, y, screen_attr(c), line);
}

_Static_assert(sizeof ((struct app *)0)->filter == sizeof ((struct title_key *)0)->filter,
               "the title's key holds the whole filter");

/* The title line into a->title. */
static void
make_title(struct app *a)
{
	char filt[160];

	if (a->filter[0])
		snprintf(filt, sizeof filt, "  filter: %s", a->filter);
	else
		filt[0] = '\0';
	if (a->replay) {
		char rp[96];
		replay_describe(a->replay, rp, sizeof rp);
		snprintf(a->title, sizeof a->title, "vmtui %s  %s  sort %s%s%s", PACKAGE_VERSION, rp,
		         sort_key_name(a->sort),
		         a->reverse ? (a->gmode == GRAPH_ASCII ? " (desc)" : " \u2193") : "", filt);
	} else {
		snprintf(a->title, sizeof a->title, "vmtui %s  refresh %gs  sort %s%s%s%s",
		         PACKAGE_VERSION, a->interval_ms / 1000.0, sort_key_name(a->sort),
		         a->reverse ? (a->gmode == GRAPH_ASCII ? " (desc)" : " \u2193") : "", filt,
		         a->readonly ? "  READ-ONLY" : "");
	}
}

static void
draw_header(struct app *a)
{
	struct title_key k;
	size_t i;

	if (a->dirty == DIRTY_ALL)
		memset(a->header_shown, 0, sizeof a->header_shown);
	memset(&k, 0, sizeof k);
	k.interval_ms = a->interval_ms;
	k.sort = a->sort;
	k.gmode = a->gmode;
	k.reverse = a->reverse;
	k.readonly = a->readonly;
	memcpy(k.filter, a->filter, sizeof k.filter);
	/* A replay's title moves with its position. */
	if (a->replay || !a->title_made || memcmp(&k, &a->title_key, sizeof k) != 0) {
		a->title_key = k;
		a->title_made = true;
		make_title(a);
	}
	header_line(a, 0, screen_attr(C_TITLE), a->title);
	for (i = 0; i < a->nhosts && (int)i + 1 < a->header_h; i++)
		draw_host_line(a, (int)i + 1, a->hosts[i]);
	wnoutrefresh(a->header);
}

/* Footer: status line, then key hints that fit the width. */
static void
draw_footer(struct app *a)
{
	int cols = getmaxx(a->footer), x = 0;
	size_t n, i;
	const struct binding *t = keys_table(&n);
	char kb[16];

	werase(a->footer);
	if (a->prompt.open) {
		int lw = (int)strlen(a->prompt.label), room = cols - lw - 1;
		const char *txt = a->prompt.le.text;
		/* A long path shows its end, where the typing happens. */
		if (room > 1 && (int)strlen(txt) > room)
			txt += strlen(txt) - (size_t)room;
		draw_text(a->footer, 0, 0, cols, screen_attr(C_NORMAL), a->prompt.label);
		draw_text(a->footer, 0, lw, cols - lw, screen_attr(C_NORMAL), txt);
		curs_set(1);
		wmove(a->footer, 0, lw + (int)strlen(txt) < cols ? lw + (int)strlen(txt) : cols - 1);
	} else if (a->status != NULL) {
		draw_text(a->footer, 0, 0, cols,
		          screen_attr(a->status_kind == MSG_ERROR ? C_ERROR : C_NORMAL),
		          a->status);
	}
	if (getmaxy(a->footer) < 2) {
		wnoutrefresh(a->footer);
		return;
	}
	for (i = 0; i < n; i++) {
		const char *k;
		int need;
		if (t[i].label == NULL || !(t[i].views & (a->view->keyview | KV_GLOBAL)))
			continue;
		k = keys_label(t[i].key, kb, sizeof kb);
		need = (int)(strlen(k) + strlen(t[i].label)) + 1;
		if (x + need > cols)
			break;
		draw_text(a->footer, 1, x, (int)strlen(k), screen_attr(C_KEY), k);
		draw_text(a->footer, 1, x + (int)strlen(k), (int)strlen(t[i].label) + 1,
		          screen_attr(C_FOOTER), t[i].label);
		x += need;
	}
	if (a->view == &vmlist_ops && x + 12 <= cols) {
		char sk[CMD_SORT_UPTIME - CMD_SORT_NAME + 2];
		int c, k, ns = 0;
		/* the sort keys in force, when each is one printable character */
		for (c = CMD_SORT_NAME; c <= CMD_SORT_UPTIME; c++)
			if ((k = keys_first((enum cmd)c)) > ' ' && k < 127)
				sk[ns++] = (char)k;
		sk[ns] = '\0';
		if (ns == CMD_SORT_UPTIME - CMD_SORT_NAME + 1) {
			draw_text(a->footer, 1, x, ns, screen_attr(C_KEY), sk);
			draw_text(a->footer, 1, x + ns, 5, screen_attr(C_FOOTER), "Sort");
		}
	}
	wnoutrefresh(a->footer);
}

/* A box in the middle of the screen: text wrapped at spaces, then an
 * optional input line, then a hint. */
static void
draw_dialog(const char *text, const char *input, const char *hint)
{
	int cols = COLS, w = cols - 4 < 76 ? cols - 4 : 76, tw = w - 4, n = 0, h, y, i;
	const char *p = text, *lines[16];
	int lens[16];
	WINDOW *win;

	if (tw < 10 || LINES < 5)
		return;
	while (*p && n < 16) {
		int len = (int)strcspn(p, "\n");
		if (len > tw) {
			len = tw;
			while (len > tw / 2 && p[len] != ' ')
				len--;
			if (p[len] != ' ')
				len = tw;
		}
		lines[n] = p;
		lens[n++] = len;
		p += len;
		while (*p == ' ' || *p == '\n')
			p++;
	}
	h = n + (input ? 2 : 0) + 4;
	if (h > LINES)
		h = LINES;
	y = (LINES - h) / 2;
	win = newwin(h, w, y < 0 ? 0 : y, (cols - w) / 2);
	if (win == NULL)
		return;
	wbkgd(win, (chtype)screen_attr(C_DIALOG));
	werase(win);
	box(win, 0, 0);
	for (i = 0; i < n && i + 1 < h - 1; i++) {
		char buf[256];
		snprintf(buf, sizeof buf, "%.*s", lens[i], lines[i]);
		draw_text(win, 1 + i, 2, tw, screen_attr(C_DIALOG) | A_BOLD, buf);
	}
	if (input && n + 2 < h - 1)
		draw_text(win, n + 2, 2, tw, A_REVERSE, input);
	draw_text(win, h - 2, 2, tw, screen_attr(C_DIALOG), hint);
	wnoutrefresh(win);
	delwin(win);
}

static void
draw_confirm(struct app *a)
{
	draw_dialog(a->confirm.text, NULL, "y: yes   n/Esc: no");
}

/* The question a host's worker waits on (SSH host key, passphrase...). */
static void
draw_hostq(struct app *a)
{
	char input[LINEEDIT_MAX];
	size_t i;

	if (a->hostq.yes_no) {
		draw_dialog(a->hostq.text, NULL, "y: yes, trust and record it   n/Esc: no");
		return;
	}
	if (a->hostq.echo)
		snprintf(input, sizeof input, "%s", a->hostq.le.text);
	else {
		for (i = 0; i < a->hostq.le.len && i + 1 < sizeof input; i++)
			input[i] = '*';
		input[i] = '\0';
	}
	draw_dialog(a->hostq.text, input, "Enter: answer   Esc: cancel (the host stays disconnected)");
}

/* Answer the host's question and forget every copy of the answer. */
static void
hostq_close(struct app *a, const char *answer)
{
	host_answer(a->hostq.host, answer);
	explicit_bzero(&a->hostq.le, sizeof a->hostq.le);
	free(a->hostq.text);
	a->hostq.text = NULL;
	a->hostq.open = false;
	a->dirty = DIRTY_ALL;
}

static int
hostq_key(struct app *a, wint_t wc, bool is_key)
{
	enum le_result r;

	if (a->hostq.yes_no) {
		if (!is_key && (wc == 'y' || wc == 'Y'))
			hostq_close(a, "yes");
		else if (!is_key && (wc == 'n' || wc == 'N' || wc == 27))
			hostq_close(a, "no");
		return HANDLED;
	}
	r = lineedit_key(&a->hostq.le, wc, is_key);
	if (r == LE_ENTER)
		hostq_close(a, a->hostq.le.text);
	else if (r == LE_CANCEL)
		hostq_close(a, NULL);
	a->dirty = DIRTY_ALL;
	return HANDLED;
}

/* Show a host's pending question, one at a time. Host locks not held. */
static void
check_questions(struct app *a)
{
	size_t i;

	for (i = 0; i < a->nhosts && !a->hostq.open; i++) {
		struct host *h = a->hosts[i];
		host_lock(h);
		if (h->question.pending && h->question.seq != a->hostq.seq) {
			a->hostq.open = true;
			a->hostq.host = h;
			a->hostq.seq = h->question.seq;
			a->hostq.text = xstrdup(h->question.text);
			a->hostq.echo = h->question.echo;
			a->hostq.yes_no = h->question.yes_no;
			lineedit_set(&a->hostq.le, "");
			a->dirty = DIRTY_ALL;
		}
		host_unlock(h);
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
	a->header = a->body = a->footer = NULL;
}

static void
layout(struct app *a)
{
	int rows = LINES, cols = COLS, fh = rows >= 6 ? 2 : 1, bh;

	drop_windows(a);
	/* One host: its line in the header. Several: headings in the list. */
	a->header_h = a->nhosts == 1 ? 2 : 1;
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
		draw_header(a);
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
		} else {
			werase(a->body);
			a->memo_view = NULL;
		}
		/* Untimed views show ages and uptimes without saying when
		 * they move: drawn again within a second. A timed view is not
		 * drawn more often either: every guest's seconds move at their
		 * own moment, and a second late is what the eye allows. */
		uint64_t drawn = host_now_ns();
		a->body_due_ns = UINT64_MAX;
		a->view->draw(a, a->body);
		if (!a->view->timed || a->body_due_ns < drawn + SECOND_NS)
			a->body_due_ns = drawn + SECOND_NS;
		a->memo_live = false;
		wnoutrefresh(a->body);
	}
	app_unlock_hosts(a);
	if (a->dirty & DIRTY_FOOTER)
		draw_footer(a);
	if (a->confirm.open)
		draw_confirm(a);
	if (a->hostq.open)
		draw_hostq(a);
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

static int
confirm_key(struct app *a, int key)
{
	if (key == 'y' || key == 'Y') {
		if (a->confirm.yes != NULL) {
			a->confirm.yes(a);
		} else {
			host_action(a->confirm.host, a->confirm.uuid, a->confirm.act);
			app_status(a, MSG_INFO, "%s...", action_name(a->confirm.act));
		}
	} else if (key != 'n' && key != 'N' && key != 27 && key != 'q') {
		return HANDLED; /* anything else leaves the question open */
	} else {
		app_status(a, MSG_INFO, "Cancelled.");
	}
	a->confirm.open = false;
	a->dirty = DIRTY_ALL;
	return HANDLED;
}

/* Tab in a path prompt: extend to the common completion, list the rest. */
static void
prompt_complete(struct app *a)
{
	struct completion c;
	size_t n = complete_path(a->prompt.le.text, &c), i, len = 0;
	char list[256] = "";

	lineedit_set(&a->prompt.le, c.line);
	for (i = 0; i < n && len + strlen(c.matches[i]) + 2 < sizeof list; i++)
		len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i ? "  " : "",
		                        c.matches[i]);
	if (n == 0)
		app_status(a, MSG_INFO, "No file matches.");
	else if (n > 1)
		app_status(a, MSG_INFO, "%zu matches: %s%s", n, list, i < n ? " ..." : "");
	completion_free(&c);
}

static int
prompt_key(struct app *a, wint_t wc, bool is_key)
{
	struct prompt *p = &a->prompt;
	enum le_result r = lineedit_key(&p->le, wc, is_key);

	if (r == LE_ENTER || r == LE_CANCEL)
		p->open = false;
	if (p->kind == PROMPT_FILTER) {
		if (r == LE_CANCEL)
			lineedit_set(&p->le, "");
		snprintf(a->filter, sizeof a->filter, "%s", p->le.text);
		a->top = 0;
	} else if (r == LE_TAB) {
		prompt_complete(a);
	} else if (r == LE_ENTER && p->submit) {
		p->submit(a, p->le.text);
	} else if (r == LE_CANCEL) {
		app_status(a, MSG_INFO, "Cancelled.");
	}
	a->dirty = DIRTY_ALL;
	return HANDLED;
}

void
app_prompt_path(struct app *a, const char *label, const char *initial,
                void (*submit)(struct app *, const char *))
{
	a->prompt.open = true;
	a->prompt.kind = PROMPT_PATH;
	snprintf(a->prompt.label, sizeof a->prompt.label, "%s", label);
	lineedit_set(&a->prompt.le, initial);
	a->prompt.submit = submit;
	a->dirty |= DIRTY_FOOTER;
}

struct host *
app_target_host(struct app *a)
{
	return a->sel_host ? a->sel_host : a->hosts[0];
}

void
app_open_files(struct app *a, char *const *paths, size_t n)
{
	struct host *h = app_target_host(a);
	const char *why;

	if (!hostjob_plan(h, paths, n, &why)) {
		app_status(a, MSG_ERROR, "Cannot plan now: %s.", why);
		return;
	}
	a->job_host = h;
	app_set_view(a, &job_ops);
}

/* The open prompt's Enter: one path, or several separated by spaces. */
static void
open_submit(struct app *a, const char *text)
{
	char *copy = xstrdup(text), *tok, *save = NULL, **paths = NULL;
	size_t n = 0;

	for (tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		paths = xreallocarray(paths, n + 1, sizeof *paths);
		paths[n++] = tok;
	}
	if (n == 0)
		app_status(a, MSG_ERROR, "No file given.");
	else
		app_open_files(a, paths, n);
	free(paths);
	free(copy);
}

/* The next theme of those found (by name, sorted), put in force. */
static void
theme_next(struct app *a)
{
	struct theme_dirs d;
	struct theme t;
	struct config_errors errs = { 0 };
	size_t n, i;
	char **names;

	theme_dirs_init(&d, VMTUI_DATADIR);
	names = theme_list(&d, &n);
	for (i = 0; i < n && strcmp(names[i], screen_theme_name()) != 0; i++)
		;
	i = i < n ? (i + 1) % n : 0;
	if (theme_load(&t, names[i], &d, &errs) < 0)
		app_status(a, MSG_ERROR, "%s (the dark theme is used)",
		           errs.n ? errs.v[0] : names[i]);
	else
		app_status(a, MSG_INFO, "Theme: %s", t.name);
	screen_set_theme(&t);
	clearok(curscr, TRUE);
	a->dirty = DIRTY_ALL;
	config_errors_free(&errs);
	theme_list_free(names, n);
	theme_dirs_free(&d);
}

static int
global_cmd(struct app *a, enum cmd c)
{
	size_t i;

	switch (c) {
	case CMD_QUIT:
		return QUIT;
	case CMD_HELP:
		if (a->view != &help_ops)
			app_set_view(a, &help_ops);
		return HANDLED;
	case CMD_FASTER:
	case CMD_SLOWER:
		if (c == CMD_FASTER)
			a->interval_ms = a->interval_ms > 1000 ? a->interval_ms / 2 :
			                 (a->interval_ms > 250 ? a->interval_ms - 250 : 250);
		else
			a->interval_ms = a->interval_ms >= 1000 ? a->interval_ms * 2 :
			                 a->interval_ms + 250;
		if (a->interval_ms > 60000)
			a->interval_ms = 60000;
		for (i = 0; i < a->nhosts; i++)
			host_set_interval(a->hosts[i], a->interval_ms);
		app_status(a, MSG_INFO, "Refresh every %.2gs.", a->interval_ms / 1000.0);
		a->dirty |= DIRTY_HEADER;
		return HANDLED;
	case CMD_OPEN_FILE:
		if (a->readonly) {
			app_status(a, MSG_ERROR, "Cannot create guests: vmtui runs read-only (-r).");
			return HANDLED;
		}
		app_prompt_path(a, "Open VM definitions: ", "", open_submit);
		return HANDLED;
	case CMD_HOST_VIEW:
		app_set_view(a, &hostview_ops);
		return HANDLED;
	case CMD_ACTION_LOG:
		if (a->view != &actlog_ops)
			app_set_view(a, &actlog_ops);
		return HANDLED;
	case CMD_NEW_VM:
		if (a->readonly) {
			app_status(a, MSG_ERROR, "Cannot create guests: vmtui runs read-only (-r).");
			return HANDLED;
		}
		app_set_view(a, &newvm_ops);
		return HANDLED;
	case CMD_THEME_NEXT:
		theme_next(a);
		return HANDLED;
	case CMD_REFRESH:
		for (i = 0; i < a->nhosts; i++)
			host_refresh_now(a->hosts[i]);
		clearok(curscr, TRUE);
		a->dirty = DIRTY_ALL;
		return HANDLED;
	default:
		return 0;
	}
}

/* What changes guests or needs libvirt, said as "Cannot ...": refused
 * while replaying. NULL for the other commands. */
static const char *
replay_refuses(enum cmd c)
{
	switch (c) {
	case CMD_START: case CMD_SHUTDOWN: case CMD_REBOOT: case CMD_FORCE_OFF:
	case CMD_PAUSE: case CMD_RESUME: case CMD_AUTOSTART: case CMD_RESIZE:
	case CMD_CONSOLE: case CMD_CLONE: case CMD_DELETE: case CMD_APPLY:
		return cmd_name(c);
	case CMD_OPEN_FILE:
		return "open VM definitions";
	case CMD_NEW_VM:
		return "create guests";
	case CMD_CONSOLE_PANE:
		return "open the console pane";
	case CMD_SNAPSHOTS:
		return "list snapshots";
	case CMD_SNAP_CREATE:
		return "create snapshots";
	case CMD_SNAP_REVERT:
		return "revert to a snapshot";
	case CMD_SNAP_DELETE:
		return "delete snapshots";
	default:
		return NULL;
	}
}

/* Replay keys: pause, speed; refuse actions. 0 when c is not one of them. */
static int
replay_cmd(struct app *a, enum cmd c)
{
	if (c == CMD_REPLAY_PAUSE && a->replay == NULL) {
		app_status(a, MSG_INFO, "Space pauses a replay (vmtui --replay FILE).");
		return HANDLED;
	}
	if (a->replay == NULL)
		return 0;
	if (replay_refuses(c)) {
		app_status(a, MSG_ERROR, "Cannot %s: replaying a recording.", replay_refuses(c));
		return HANDLED;
	}
	if (c == CMD_REPLAY_PAUSE)
		replay_toggle_pause(a->replay);
	else if (c == CMD_FASTER || c == CMD_SLOWER)
		app_status(a, MSG_INFO, "Replay speed x%g.",
		           replay_speed_by(a->replay, c == CMD_FASTER ? 2.0 : 0.5));
	else
		return 0;
	a->dirty |= DIRTY_HEADER;
	return HANDLED;
}

static int
handle_key(struct app *a, wint_t wc, bool is_key)
{
	int key = (int)wc, r;
	enum cmd c;
	MEVENT me;

	if (a->hostq.open)
		return hostq_key(a, wc, is_key);
	if (a->prompt.open)
		return prompt_key(a, wc, is_key);
	if (a->confirm.open)
		return confirm_key(a, key);
	if (is_key && key == KEY_MOUSE) {
		if (getmouse(&me) != OK)
			return HANDLED;
		if (me.bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED))
			a->view->key(a, me.bstate & BUTTON4_PRESSED ? CMD_UP : CMD_DOWN, 0);
		else if (a->view->mouse && wmouse_trafo(a->body, &me.y, &me.x, FALSE))
			a->view->mouse(a, me.y, me.x, (me.bstate & BUTTON1_DOUBLE_CLICKED) != 0);
		return HANDLED;
	}
	if (is_key && key == KEY_RESIZE)
		return HANDLED;
	if (a->view->grab && a->view->grab(a))
		return a->view->text(a, wc, is_key);
	if (!is_key && key == 3) /* ^C in raw mode */
		return QUIT;
	c = keys_lookup(key, a->view->keyview);
	if (c == CMD_NONE && a->view->text)
		return a->view->text(a, wc, is_key);
	if ((r = replay_cmd(a, c)) != 0)
		return r;
	if (c == CMD_FILTER) {
		a->prompt.open = true;
		a->prompt.kind = PROMPT_FILTER;
		snprintf(a->prompt.label, sizeof a->prompt.label, "Filter: ");
		lineedit_set(&a->prompt.le, a->filter);
		a->prompt.submit = NULL;
		a->dirty |= DIRTY_FOOTER;
		return HANDLED;
	}
	r = a->view->key(a, c, key);
	if (r)
		return r;
	r = global_cmd(a, c);
	if (r)
		return r;
	if (c != CMD_NONE || key == 27)
		return HANDLED;
	{
		char kb[16];
		char hb[16];
		int hk = keys_first(CMD_HELP);
		app_status(a, MSG_INFO, "Key %s does nothing here; press %s for help.",
		           keys_label(key, kb, sizeof kb), hk < 0 ? "?" : keys_label(hk, hb, sizeof hb));
	}
	return HANDLED;
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
	check_questions(a);
	if (a->view == &actlog_ops && msglog_seq() != a->log_seq) {
		a->log_seq = msglog_seq();
		a->dirty |= DIRTY_BODY;
	}
	if (msglog_latest((1u << MSG_INFO) | (1u << MSG_ERROR), a->status_seq, &m)) {
		a->status_seq = m.seq;
		app_status(a, m.kind, "%s", m.text);
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

int
app_run(struct app *a)
{
	struct pollfd fds[2];

	a->seen_gen = xcalloc(a->nhosts ? a->nhosts : 1, sizeof *a->seen_gen);
	a->body_due_ns = host_now_ns() + SECOND_NS;
	layout(a);
	if (a->view == NULL)
		app_set_view(a, &vmlist_ops);
	a->read_keys_now = true; /* keys typed before the first frame */
	while (!a->quit && !screen_got_quit_signal) {
		uint64_t now, due;
		int timeout;

		if (screen_got_winch) {
			drop_windows(a);
			screen_resize();
			layout(a);
		}
		notify_drain();
		check_model(a);
		console_poll(a);
		conpane_poll(a);
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

		now = host_now_ns();
		due = a->body_due_ns;
		if (a->status != NULL && a->status_until_ns < due)
			due = a->status_until_ns;
		if (due == UINT64_MAX)
			timeout = -1; /* a refresh or a key wakes the loop */
		else if (now >= due)
			timeout = 0; /* passed while drawing */
		else if (due - now >= (uint64_t)(INT_MAX - 1) * 1000000ull)
			timeout = INT_MAX;
		else
			timeout = (int)((due - now) / 1000000ull) + 1;
		fds[0].fd = STDIN_FILENO;
		fds[0].events = POLLIN;
		fds[1].fd = notify_fd();
		fds[1].events = POLLIN;
		if (poll(fds, 2, timeout) < 0) {
			if (errno != EINTR)
				break;
			fds[0].revents = 0; /* a signal: the loop looks at its flags */
		}
		if (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL))
			break; /* the terminal went away */
		if (fds[0].revents & POLLIN)
			a->read_keys_now = true;
	}
	console_forget();
	conpane_forget();
	free(a->seen_gen);
	a->seen_gen = NULL;
	drop_windows(a);
	free(a->body_memo.c);
	free(a->body_memo.valid);
	memset(&a->body_memo, 0, sizeof a->body_memo);
	return 0;
}
