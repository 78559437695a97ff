/* vmlist.c — the guest list: one row per domain on every host, with live
 * CPU, memory, disk and network figures, sortable and filterable. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/base/xmalloc.h"
#include "../model/host/marks.h"
#include "../model/stats/stats.h"
#include "../tui/format.h"
#include "../tui/screen.h"
#include "../tui/scroll.h"
#include "views.h"

/* Columns in the order drawn. Narrow terminals drop the ones with the
 * highest `drop` first; the name takes what is left. */
enum col { COL_NAME, COL_STATE, COL_VCPU, COL_CPU, COL_SPARK,
           COL_WAIT, /* beside CPU%: UPTIME stays the last column but TAGS */
           COL_MEM, COL_DRD, COL_DWR, COL_NRX, COL_NTX, COL_UP,
           COL_TAGS, /* shown only while some guest has tags */
           COL_N };

static const struct {
	const char *title;
	int width;
	int drop;          /* 0: never dropped */
	enum sort_key sort;
	bool right;
} cols[COL_N] = {
	[COL_NAME] = { "NAME", 10, 0, SORT_NAME, false },
	[COL_STATE] = { "STATE", 8, 0, SORT_STATE, false },
	[COL_VCPU] = { "VC", 3, 2, SORT_VCPUS, true },
	[COL_CPU] = { "CPU%", 5, 0, SORT_CPU, true },
	[COL_SPARK] = { "", 6, 6, SORT_CPU, false },
	[COL_MEM] = { "MEM/ALLOC", 11, 0, SORT_MEM, true },
	[COL_DRD] = { "RD/s", 5, 3, SORT_DISK, true },
	[COL_DWR] = { "WR/s", 5, 3, SORT_DISK, true },
	[COL_NRX] = { "RX/s", 5, 4, SORT_NET, true },
	[COL_NTX] = { "TX/s", 5, 4, SORT_NET, true },
	[COL_UP] = { "UPTIME", 7, 5, SORT_UPTIME, true },
	[COL_WAIT] = { "WAIT%", 5, 6, SORT_WAIT, true }, /* with the sparkline: 80 columns keep UPTIME */
	[COL_TAGS] = { "TAGS", 14, 7, SORT_COUNT, false }, /* first to go; sorts nothing */
};

#define NAME_MIN 10
#define NAME_WANT 16 /* names up to this long push the sparkline out */
#define NAME_MAX 32

struct layout {
	int x[COL_N];
	int w[COL_N]; /* 0: not shown */
};

/* Decide which columns fit the width and where they go. `name_len` is the
 * longest name shown: names up to NAME_WANT columns win over the optional
 * columns, longer ones are cut. */
static void
compute_layout(int width, int name_len, bool tags, struct layout *l)
{
	int shown[COL_N], total = 0, i, level;
	int name_need = name_len < NAME_MIN ? NAME_MIN : (name_len > NAME_WANT ? NAME_WANT : name_len);

	for (i = 0; i < COL_N; i++)
		shown[i] = 1;
	shown[COL_TAGS] = tags; /* no column of blanks while no guest has a tag */
	for (level = 7; level >= 0; level--) {
		total = name_need;
		for (i = 1; i < COL_N; i++)
			if (shown[i])
				total += cols[i].width + 1;
		if (total <= width || level == 0)
			break;
		for (i = 1; i < COL_N; i++)
			if (cols[i].drop == level)
				shown[i] = 0;
	}
	l->w[COL_NAME] = width - (total - name_need);
	if (l->w[COL_NAME] < NAME_MIN)
		l->w[COL_NAME] = NAME_MIN;
	/* Wide screens: name up to NAME_MAX, then the sparkline grows. */
	if (l->w[COL_NAME] > NAME_MAX) {
		int extra = l->w[COL_NAME] - NAME_MAX;
		l->w[COL_NAME] = NAME_MAX;
		l->w[COL_SPARK] = shown[COL_SPARK] ? cols[COL_SPARK].width + extra : 0;
	} else {
		l->w[COL_SPARK] = shown[COL_SPARK] ? cols[COL_SPARK].width : 0;
	}
	for (i = 1; i < COL_N; i++)
		if (i != COL_SPARK)
			l->w[i] = shown[i] ? cols[i].width : 0;
	l->x[0] = 0;
	for (i = 1; i < COL_N; i++)
		l->x[i] = l->x[i - 1] + (l->w[i - 1] ? l->w[i - 1] + 1 : 0);
}

static int
state_attr(enum vm_state s)
{
	switch (s) {
	case VM_RUNNING:
	case VM_BLOCKED:
		return screen_attr(C_RUNNING);
	case VM_PAUSED:
	case VM_PMSUSPENDED:
	case VM_SHUTDOWN:
		return screen_attr(C_PAUSED);
	case VM_CRASHED:
		return screen_attr(C_CRASHED);
	default:
		return screen_attr(C_OFF);
	}
}

/* Shorten a name that does not fit to width-1 columns plus a marker, so a
 * cut name never passes for a whole one. Names count as one column per
 * character; wide characters are rare in domain names. */
static void
cut_to(char *s, size_t n, int width, bool utf8)
{
	size_t len = strlen(s), keep;

	if (width < 2 || (int)len <= width)
		return;
	keep = (size_t)width - 1;
	while (keep > 0 && ((unsigned char)s[keep] & 0xC0) == 0x80)
		keep--; /* do not split a UTF-8 sequence */
	snprintf(s + keep, n - keep, "%s", utf8 ? "\u2026" : "~");
}

/* One column of a row. The row was filled with its background first, so a
 * right-aligned figure (ASCII) is drawn where it ends at the column's edge. */
static void
cell(struct line_cells *ln, const struct layout *l, enum col c, int attr, const char *s)
{
	int len;

	if (l->w[c] == 0)
		return;
	len = (int)strlen(s);
	if (cols[c].right && len < l->w[c])
		line_text(ln, l->x[c] + l->w[c] - len, len, attr, s);
	else
		line_text(ln, l->x[c], l->w[c], attr, s);
}

static void
draw_columns(struct app *a, WINDOW *w, const struct layout *l)
{
	struct line_cells ln;
	int i;

	line_begin(&ln, w, 0, screen_attr(C_COLUMNS));
	for (i = 0; i < COL_N; i++) {
		int attr = screen_attr(C_COLUMNS);
		if (cols[i].sort == a->sort && i != COL_SPARK && cols[i].title[0]) {
			attr |= A_BOLD | A_UNDERLINE;
			/* the whole column marked, not only its title's letters */
			if (l->w[i])
				line_text(&ln, l->x[i], l->w[i], attr, "");
		}
		cell(&ln, l, (enum col)i, attr, cols[i].title);
	}
	line_end(&ln, app_body_memo(a, w));
}

/* Rows start with a gutter of two columns for the marks (and the indent
 * under host headings) when several hosts are listed or any guest is
 * marked; a marked guest has its mark there. */
static bool
gutter(const struct app *a)
{
	return a->nhosts > 1 || marks_count(a->marks) > 0;
}

static void
draw_row(struct app *a, WINDOW *w, int y, const struct row *r, const struct layout *l,
         bool selected, uint64_t now)
{
	const struct vm *vm = r->vm;
	bool active = vm_state_active(vm->state);
	bool stale = r->host->state != HOST_UP;
	int base = selected ? screen_attr(C_SELECTION) : (stale ? screen_attr(C_DIM) : 0);
	char b[64], u[16], t[16];
	struct line_cells ln;
	size_t at = 0;
	double up = vm_uptime(vm, now), steady = fmt_duration_steady(up);

	host_assert_locked(r->host); /* the row points into its host's table */
	/* Every row of every frame: pieces put together by hand, the line
	 * handed to curses once. */
	line_begin(&ln, w, y, base);
	fmt_append(b, sizeof b, &at, gutter(a) || a->group_tags ? "  " : "");
	fmt_append(b, sizeof b, &at, vm->autostart ? "*" : "");
	fmt_append(b, sizeof b, &at, vm->name);
	cut_to(b, sizeof b, l->w[COL_NAME], a->gmode != GRAPH_ASCII);
	cell(&ln, l, COL_NAME, base, b);
	if (marks_has(a->marks, vm->uuid))
		line_text(&ln, 0, 1, base | A_BOLD | (selected ? 0 : screen_attr(C_KEY)),
		          a->gmode == GRAPH_ASCII ? "+" : "\u25cf");
	/* A shut-off guest with a managed save image: start restores it. */
	cell(&ln, l, COL_STATE, selected ? base : state_attr(vm->state),
	     vm->state == VM_SHUTOFF && vm->managed_save ? "saved" : vm_state_name(vm->state));
	fmt_count(b, sizeof b, vm->vcpus_cur);
	cell(&ln, l, COL_VCPU, base, active || vm->vcpus_cur ? b : "-");
	cell(&ln, l, COL_CPU, base, fmt_pct(b, sizeof b, active ? vm->cpu_pct : -1));
	if (l->w[COL_SPARK] && active) {
		wchar_t cells[257];
		int sw = l->w[COL_SPARK] < 256 ? l->w[COL_SPARK] : 256;
		graph_sparkline(&vm->cpu_hist, 100.0, sw, a->gmode, cells);
		cells[sw] = L'\0';
		line_wide(&ln, l->x[COL_SPARK], selected ? base : screen_attr(C_GRAPH_CPU), cells, sw);
	}
	/* Above wait_warn (config.yaml): the guest's vCPUs queue for the host's CPUs. */
	cell(&ln, l, COL_WAIT, !selected && active && vm->wait_pct >= app_wait_warn ?
	     (int)(screen_attr(C_WARNING) | A_BOLD) : base,
	     fmt_pct(b, sizeof b, active ? vm->wait_pct : -1));
	at = 0;
	fmt_append(b, sizeof b, &at, active ? fmt_bytes(u, sizeof u, (double)vm->mem_used_kib * 1024) :
	       "-");
	fmt_append(b, sizeof b, &at, "/");
	fmt_append(b, sizeof b, &at, fmt_bytes(t, sizeof t, (double)vm->mem_cur_kib * 1024));
	cell(&ln, l, COL_MEM, base, b);
	cell(&ln, l, COL_DRD, base, fmt_bytes(b, sizeof b, active ? vm->rd_rate : -1));
	cell(&ln, l, COL_DWR, base, fmt_bytes(b, sizeof b, active ? vm->wr_rate : -1));
	cell(&ln, l, COL_NRX, base, fmt_bytes(b, sizeof b, active ? vm->rx_rate : -1));
	cell(&ln, l, COL_NTX, base, fmt_bytes(b, sizeof b, active ? vm->tx_rate : -1));
	at = 0;
	fmt_append(b, sizeof b, &at, active && !vm->since_exact ? ">" : "");
	fmt_append(b, sizeof b, &at, fmt_duration(u, sizeof u, up));
	cell(&ln, l, COL_UP, base, b);
	if (l->w[COL_TAGS] && vm->ntags) {
		at = 0;
		for (size_t k = 0; k < vm->ntags; k++) {
			fmt_append(b, sizeof b, &at, k ? "," : "");
			fmt_append(b, sizeof b, &at, vm->tags[k]);
		}
		cut_to(b, sizeof b, l->w[COL_TAGS], a->gmode != GRAPH_ASCII);
		cell(&ln, l, COL_TAGS, selected ? base : screen_attr(C_DIM), b);
	}
	/* A millisecond late rather than a frame too early; later still
	 * when a refresh is likely to draw it (a host that is not up has
	 * none to come). */
	if (steady > 0) {
		double every = stale ? 0 : r->host->interval_ms / 1000.0;
		app_redraw_at(a, now + (uint64_t)((steady + fmt_duration_late(up, every)) * 1e9) +
		                 1000000u);
	}
	line_end(&ln, app_body_memo(a, w));
}

static void
select_index(struct app *a, int i)
{
	if (a->nrows == 0)
		return;
	if (i < 0)
		i = 0;
	if (i >= (int)a->nrows)
		i = (int)a->nrows - 1;
	a->sel_host = a->rows[i].host;
	snprintf(a->sel_tag, sizeof a->sel_tag, "%s", a->rows[i].tag ? a->rows[i].tag : "");
	snprintf(a->sel_uuid, sizeof a->sel_uuid, "%s", a->rows[i].vm ? a->rows[i].vm->uuid : "");
}

/* A host's heading line when several hosts are listed: a fold marker and
 * the host summary. */
static void
draw_heading(struct app *a, WINDOW *w, int y, const struct row *r, bool selected)
{
	char line[560], summary[512];
	size_t hi;
	bool folded = false;
	enum color c = app_host_summary_fit(r->host, getmaxx(w) - 2, summary, sizeof summary);

	for (hi = 0; hi < a->nhosts; hi++)
		if (a->hosts[hi] == r->host)
			folded = a->collapsed && a->collapsed[hi];
	int attr = selected ? screen_attr(C_SELECTION) : (int)(screen_attr(c) | A_BOLD);
	struct line_cells ln;

	snprintf(line, sizeof line, "%s %s", folded ? (a->gmode == GRAPH_ASCII ? "+" : "\u25b8") :
	         (a->gmode == GRAPH_ASCII ? "-" : "\u25be"), summary);
	line_begin(&ln, w, y, attr);
	line_text(&ln, 0, getmaxx(w), attr, line);
	line_end(&ln, app_body_memo(a, w));
}

/* A tag's heading when the list is grouped by tag: the tag and how many
 * guests carry it. */
static void
draw_tag_heading(struct app *a, WINDOW *w, int y, size_t at, bool selected)
{
	const char *tag = a->rows[at].tag;
	size_t n = vmsel_group_size(a->rows, a->nrows, at);
	int attr = selected ? screen_attr(C_SELECTION) : (int)(screen_attr(C_COLUMNS) | A_BOLD);
	char line[160];
	struct line_cells ln;

	snprintf(line, sizeof line, "%s %s%s  %zu guest%s", a->gmode == GRAPH_ASCII ? "-" : "\u25be",
	         tag[0] ? "tag " : "(no tag)", tag, n, n == 1 ? "" : "s");
	line_begin(&ln, w, y, attr);
	line_text(&ln, 0, getmaxx(w), attr, line);
	line_end(&ln, app_body_memo(a, w));
}

/* Index of the selected row, choosing one if the old one is gone. */
static int
selected_index(struct app *a)
{
	size_t i;

	if (a->want_name[0] && host_now_ns() < a->want_until_ns) {
		for (i = 0; i < a->nrows; i++)
			if (a->rows[i].vm && a->rows[i].host == a->want_host &&
			    strcmp(a->rows[i].vm->name, a->want_name) == 0) {
				a->want_name[0] = '\0';
				select_index(a, (int)i);
				return (int)i;
			}
	} else {
		a->want_name[0] = '\0';
	}
	for (i = 0; i < a->nrows; i++)
		if (app_row_selected(a, &a->rows[i]))
			return (int)i;
	/* By tag, a guest selected elsewhere (no group named): its first. */
	for (i = 0; a->group_tags && i < a->nrows; i++)
		if (a->rows[i].vm && a->rows[i].host == a->sel_host &&
		    strcmp(a->rows[i].vm->uuid, a->sel_uuid) == 0) {
			select_index(a, (int)i);
			return (int)i;
		}
	if (a->nrows == 0)
		return -1;
	/* The selection is gone: the first guest, else the first line. */
	for (i = 0; i < a->nrows && a->rows[i].vm == NULL; i++)
		;
	select_index(a, i < a->nrows ? (int)i : 0);
	return i < a->nrows ? (int)i : 0;
}


/* Widest name column any row needs ("*" for autostart, host prefix). */
/* Does a guest listed carry a tag? Hosts locked. */
static bool
any_tags(const struct app *a)
{
	size_t i;

	for (i = 0; i < a->nrows; i++)
		if (a->rows[i].vm != NULL && a->rows[i].vm->ntags > 0)
			return true;
	return false;
}

static int
longest_name(const struct app *a)
{
	size_t i;
	int max = 0;

	for (i = 0; i < a->nrows; i++) {
		int n;
		if (a->rows[i].vm == NULL)
			continue;
		n = (int)strlen(a->rows[i].vm->name) + (a->rows[i].vm->autostart ? 1 : 0);
		if (gutter(a) || a->group_tags)
			n += 2; /* the marks' gutter, indented under the host or tag heading */
		if (n > max)
			max = n;
	}
	return max;
}

/* text broken at spaces into lines of at most width columns, appended to
 * *v (*n of them). */
static void
wrap_into(char ***v, size_t *n, const char *text, int width)
{
	const char *p = text;

	if (width < 10)
		width = 10;
	while (*p) {
		int cut = (int)strlen(p);
		if (cut > width) {
			for (cut = width; cut > 0 && p[cut] != ' '; cut--)
				;
			if (cut == 0)
				cut = width;
		}
		*v = xreallocarray(*v, *n + 1, sizeof **v);
		(*v)[(*n)++] = xstrndup(p, (size_t)cut);
		for (p += cut; *p == ' '; p++)
			;
	}
}

/* What the list says when it has no rows: why each host that is not
 * connected is not (the whole reason, wrapped), or that nothing matches
 * or exists. Hosts locked. */
static char **
empty_message(struct app *a, int width, size_t *n)
{
	char **v = NULL, *t;
	size_t j;
	bool down = false;

	*n = 0;
	for (j = 0; j < a->nhosts; j++) {
		const struct host *h = a->hosts[j];
		if (h->state == HOST_UP)
			continue;
		if (h->state == HOST_DOWN)
			t = xasprintf("%s: cannot connect (next try in %.0fs): %s", host_label(h),
			              h->retry_in, h->error ? h->error : "no reason given");
		else
			t = xasprintf("%s: connecting...", host_label(h));
		if (*n > 0) {
			v = xreallocarray(v, *n + 1, sizeof *v);
			v[(*n)++] = xstrdup("");
		}
		wrap_into(&v, n, t, width);
		free(t);
		down = down || h->state == HOST_DOWN;
	}
	if (*n == 0)
		wrap_into(&v, n, a->filter[0] ? "No guest matches the filter (Esc clears it)." :
		          "No guests defined on the connected hosts.", width);
	else if (down) {
		v = xreallocarray(v, *n + 1, sizeof *v);
		v[(*n)++] = xstrdup("");
		wrap_into(&v, n, "The action log (L) keeps each reason.", width);
	}
	return v;
}

static void
vmlist_draw(struct app *a, WINDOW *w)
{
	int height = getmaxy(w), visible = height - 1, sel, i;
	struct layout l;
	uint64_t now = host_now_ns();

	compute_layout(getmaxx(w), longest_name(a), any_tags(a), &l);
	draw_columns(a, w, &l);
	sel = selected_index(a);
	a->list.sel = sel < 0 ? 0 : sel;
	scroll_fit(&a->list, (int)a->nrows, visible);
	for (i = 0; i < visible && a->list.top + i < (int)a->nrows; i++) {
		int r = a->list.top + i;
		if (a->rows[r].vm == NULL && a->rows[r].tag != NULL)
			draw_tag_heading(a, w, i + 1, (size_t)r, r == sel);
		else if (a->rows[r].vm == NULL)
			draw_heading(a, w, i + 1, &a->rows[r], r == sel);
		else
			draw_row(a, w, i + 1, &a->rows[r], &l, r == sel, now);
	}
	/* The body is not erased between frames: every line below is drawn,
	 * blank or with the message for an empty list. */
	char **msg = NULL;
	size_t nmsg = 0, m;
	if (a->nrows == 0)
		msg = empty_message(a, getmaxx(w) - 4, &nmsg);
	for (i++; i < height; i++) {
		struct line_cells ln;

		line_begin(&ln, w, i, 0);
		if (i >= 2 && (size_t)(i - 2) < nmsg)
			line_text(&ln, 2, getmaxx(w) - 2, screen_attr(C_DIM), msg[i - 2]);
		line_end(&ln, app_body_memo(a, w));
	}
	for (m = 0; m < nmsg; m++)
		free(msg[m]);
	free(msg);
}

/* Fold or unfold a host's guests under its heading. */
static void
toggle_fold(struct app *a, const struct host *h)
{
	size_t i;

	for (i = 0; a->collapsed && i < a->nhosts; i++)
		if (a->hosts[i] == h)
			a->collapsed[i] = !a->collapsed[i];
}

static enum sort_key
sort_for(enum cmd c)
{
	if (c == CMD_SORT_WAIT)
		return SORT_WAIT;
	return (enum sort_key)(SORT_NAME + (c - CMD_SORT_NAME));
}

/* Space (the replay's pause key, when not replaying) and the "mark" row:
 * mark or unmark the selected guest and move down, as file managers do.
 * Host locks held. True when it was one of those. */
static bool
marks_key(struct app *a, enum cmd c, int sel)
{
	const struct vm *vm;

	if (!(c == CMD_REPLAY_PAUSE && a->replay == NULL) &&
	    strcmp(command_row(c)->name, "mark") != 0)
		return false;
	if (sel < 0)
		return true;
	vm = a->rows[sel].vm;
	if (vm != NULL) {
		if (a->marks == NULL)
			a->marks = marks_new();
		marks_toggle(a->marks, vm->uuid);
	}
	select_index(a, sel + 1);
	return true;
}

/* The command sorting by k (sort_for's inverse). */
static enum cmd
sort_cmd(enum sort_key k)
{
	if (k == SORT_WAIT)
		return CMD_SORT_WAIT;
	return CMD_SORT_NAME + (enum cmd)k;
}

static int
vmlist_key(struct app *a, enum cmd c, int key)
{
	int sel;

	(void)key;
	app_lock_hosts(a);
	sel = selected_index(a);
	a->want_name[0] = '\0'; /* the user's choice from now on */
	a->list.sel = sel < 0 ? 0 : sel;
	if (scroll_cmd(&a->list, c)) {
		select_index(a, a->list.sel);
		app_unlock_hosts(a);
		return REDRAW_BODY;
	}
	if (marks_key(a, c, sel)) {
		app_unlock_hosts(a);
		return REDRAW_ALL;
	}
	switch (c) {
	case CMD_OPEN:
		if (sel >= 0 && a->rows[sel].vm == NULL) {
			/* A tag's heading does not fold (its host is only a
			 * placeholder). */
			if (a->rows[sel].tag == NULL)
				toggle_fold(a, a->rows[sel].host);
			app_unlock_hosts(a);
			return REDRAW_ALL;
		}
		app_unlock_hosts(a);
		if (sel < 0)
			return HANDLED;
		app_push_view(a, &vmdetail_ops);
		return HANDLED;
	default:
		app_unlock_hosts(a);
		if (marks_count(a->marks) > 0 && bulk_cmd(a, c))
			return REDRAW_ALL;
		if ((c >= CMD_SORT_NAME && c <= CMD_SORT_UPTIME) || c == CMD_SORT_WAIT) {
			enum sort_key k = sort_for(c);
			/* Numbers start biggest first; names and states A to Z. */
			a->reverse = a->sort == k ? !a->reverse : (k != SORT_NAME && k != SORT_STATE);
			a->sort = k;
			return REDRAW_ALL;
		}
		return 0;
	}
	app_unlock_hosts(a);
	return REDRAW_BODY;
}

static void
vmlist_mouse(struct app *a, int y, int x, bool dbl)
{
	struct layout l;
	int i;

	if (y == 0) {
		app_lock_hosts(a);
		compute_layout(getmaxx(a->body), longest_name(a), any_tags(a), &l);
		app_unlock_hosts(a);
		for (i = COL_N - 1; i >= 0; i--)
			if (l.w[i] && x >= l.x[i]) {
				if (cols[i].sort != SORT_COUNT)
					vmlist_key(a, sort_cmd(cols[i].sort), 0);
				break;
			}
		a->dirty = DIRTY_ALL;
		return;
	}
	app_lock_hosts(a);
	i = a->list.top + y - 1;
	if (i < (int)a->nrows) {
		const struct vm *vm = a->rows[i].vm;
		/* A right click, a Ctrl+click, or a click on the marks' gutter
		 * marks or unmarks the guest. */
		bool mark = (a->mouse_bstate & (BUTTON3_PRESSED | BUTTON_CTRL)) ||
		            (gutter(a) && x < 2);
		if (vm != NULL && mark) {
			if (a->marks == NULL)
				a->marks = marks_new();
			marks_toggle(a->marks, vm->uuid);
			dbl = false;
		}
		select_index(a, i);
	}
	app_unlock_hosts(a);
	a->dirty = DIRTY_ALL;
	if (dbl)
		app_push_view(a, &vmdetail_ops);
}

const struct view_ops vmlist_ops = {
	.name = "list",
	.keyview = KV_LIST,
	.draw = vmlist_draw,
	.key = vmlist_key,
	.mouse = vmlist_mouse,
	.paints_all = true,
	.timed = true,
};
