/* hostload.c — a host's load across all its guests, as virt-top shows
 * it: by host CPU (which guests' vCPUs ran on each, their load, pinning),
 * by network interface and by block device (every running guest's NIC or
 * disk with its rates). Each is a sortable table: s sorts by the next
 * column, r reverses, a click on a column's title sorts by it.
 *
 * The NIC and disk tables come from the bulk stats already in the
 * guests (no call of their own). The CPU table needs placement, which
 * the bulk stats do not carry: a cpumap_job (model/host/cpumap.h) reads
 * it on the host's worker once per refresh, only while the view is open. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/base/xmalloc.h"
#include "../model/host/cpumap.h"
#include "../model/stats/stats.h"
#include "../tui/format.h"
#include "../tui/screen.h"
#include "../tui/scroll.h"
#include "views.h"

enum load_kind { LOAD_CPU, LOAD_NIC, LOAD_DISK };

#define LOAD_COLS 7

struct load_col {
	const char *title;
	int width;       /* 0: the rest of the line */
	bool right;
	bool text;       /* sorted as text (A to Z first), else biggest first */
};

static const struct load_col cpu_cols[LOAD_COLS] = {
	{ "CPU", 4, true, false }, { "LOAD%", 6, true, false }, { "VCPUS", 5, true, false },
	{ "PINNED", 6, true, false }, { "GUEST/VCPU (busiest first)", 0, false, true },
};
static const struct load_col nic_cols[LOAD_COLS] = {
	{ "GUEST", 18, false, true }, { "NIC", 10, false, true }, { "RX/s", 8, true, false },
	{ "TX/s", 8, true, false }, { "RXPK/s", 8, true, false }, { "TXPK/s", 8, true, false },
};
static const struct load_col disk_cols[LOAD_COLS] = {
	{ "GUEST", 18, false, true }, { "DISK", 6, false, true }, { "RD/s", 8, true, false },
	{ "WR/s", 8, true, false }, { "RDOP/s", 8, true, false }, { "WROP/s", 8, true, false },
	{ "PATH", 0, false, true },
};

/* One line of a table: its cells as text and, for the numeric ones, the
 * figure sorted by (negative: unknown, last either way). */
struct load_row {
	char *cell[LOAD_COLS];
	double num[LOAD_COLS];
	bool warn;
};

static struct loadview {
	enum load_kind kind;
	struct host *host;
	struct cpumap_job *job;
	int sort;
	bool reverse;
	struct scroller sc;
} *lv;

static const struct load_col *
cols_of(enum load_kind k)
{
	return k == LOAD_CPU ? cpu_cols : k == LOAD_NIC ? nic_cols : disk_cols;
}

static int
ncols_of(enum load_kind k)
{
	const struct load_col *c = cols_of(k);
	int n = 0;

	while (n < LOAD_COLS && c[n].title != NULL)
		n++;
	return n;
}

static struct load_row *
row_add(struct load_row **rows, size_t *n)
{
	struct load_row *r;

	*rows = xreallocarray(*rows, *n + 1, sizeof **rows);
	r = &(*rows)[(*n)++];
	memset(r, 0, sizeof *r);
	return r;
}

static void
rows_free(struct load_row *rows, size_t n)
{
	size_t i;
	int c;

	for (i = 0; i < n; i++)
		for (c = 0; c < LOAD_COLS; c++)
			free(rows[i].cell[c]);
	free(rows);
}

static char *
rate_cell(double v, double *num)
{
	char b[16];

	*num = v;
	return xstrdup(fmt_bytes(b, sizeof b, v));
}

static char *
ops_cell(double v, double *num)
{
	*num = v;
	return v < 0 ? xstrdup("-") : xasprintf("%.0f", v);
}

/* Every running guest's NICs or disks (host lock held). */
static void
dev_rows(struct host *h, bool nics, struct load_row **rows, size_t *n)
{
	size_t i, d;

	for (i = 0; i < h->nvms; i++) {
		const struct vm *vm = h->vms[i];
		const struct vm_dev *devs = nics ? vm->nics : vm->disks;
		size_t nd = nics ? vm->nnics : vm->ndisks;

		if (!vm_state_active(vm->state))
			continue;
		for (d = 0; d < nd; d++) {
			struct load_row *r = row_add(rows, n);
			r->cell[0] = xstrdup(vm->name);
			r->cell[1] = xstrdup(devs[d].name);
			r->cell[2] = rate_cell(devs[d].rd_rate, &r->num[2]);
			r->cell[3] = rate_cell(devs[d].wr_rate, &r->num[3]);
			r->cell[4] = ops_cell(devs[d].rd_ops_rate, &r->num[4]);
			r->cell[5] = ops_cell(devs[d].wr_ops_rate, &r->num[5]);
			if (!nics)
				r->cell[6] = xstrdup(devs[d].path ? devs[d].path : "-");
		}
	}
}

/* One row per host CPU from the job's newest sample (host lock held). */
static void
cpu_rows(const struct cpumap_job *j, struct load_row **rows, size_t *n)
{
	size_t nr = 0, i;
	struct cpumap_row *cr = cpumap_rows(&j->cur, &nr);

	for (i = 0; i < nr; i++) {
		struct load_row *r = row_add(rows, n);
		char b[16];

		r->num[0] = cr[i].cpu;
		r->cell[0] = xasprintf("%u", cr[i].cpu);
		r->num[1] = cr[i].load;
		r->cell[1] = xstrdup(fmt_pct(b, sizeof b, cr[i].load));
		r->num[2] = cr[i].nvcpus;
		r->cell[2] = xasprintf("%u", cr[i].nvcpus);
		r->num[3] = cr[i].npinned;
		r->cell[3] = xasprintf("%u", cr[i].npinned);
		r->cell[4] = cr[i].guests;
		cr[i].guests = NULL;
		/* More vCPUs than one CPU can run at once, and busy. */
		r->warn = cr[i].nvcpus > 1 && cr[i].load >= 100.0;
	}
	cpumap_rows_free(cr, nr);
}

static int load_sort_col;
static bool load_sort_rev, load_sort_text;

static int
cmp_rows(const void *a, const void *b)
{
	const struct load_row *x = a, *y = b;
	int c = load_sort_col, r;

	if (load_sort_text) {
		r = strcmp(x->cell[c] ? x->cell[c] : "", y->cell[c] ? y->cell[c] : "");
		return load_sort_rev ? -r : r;
	}
	if (x->num[c] < 0 || y->num[c] < 0)
		return (x->num[c] < 0) - (y->num[c] < 0);
	if (x->num[c] == y->num[c])
		return strcmp(x->cell[0], y->cell[0]);
	r = x->num[c] > y->num[c] ? -1 : 1;
	return load_sort_rev ? -r : r;
}

/* The title: what the table is, of which host, sorted how. */
static void
draw_title(WINDOW *w, struct host *h, size_t n)
{
	static const char *const what[] = { "Host CPUs", "Network interfaces", "Block devices" };
	const struct load_col *cols = cols_of(lv->kind);
	char line[400], extra[200] = "";

	if (lv->kind == LOAD_CPU && lv->job && lv->job->reads > 0)
		snprintf(extra, sizeof extra, "  (%u calls, %.1f ms a read%s)", lv->job->cur.calls,
		         (double)lv->job->cur.cost_ns / 1e6,
		         lv->job->cur.no_affinity ? "; pinning not readable here" : "");
	snprintf(line, sizeof line, "%s of %s: %zu, sorted by %s%s   s: sort  r: reverse%s",
	         what[lv->kind], host_label(h), n, cols[lv->sort].title,
	         lv->reverse ? " (reversed)" : "", extra);
	draw_text(w, 0, 0, getmaxx(w), screen_attr(C_TITLE), line);
}

/* x of each column and its width (the last flexible one: the rest). */
static void
col_layout(int width, int *x, int *wd)
{
	const struct load_col *cols = cols_of(lv->kind);
	int n = ncols_of(lv->kind), at = 0, i;

	for (i = 0; i < n; i++) {
		x[i] = at;
		wd[i] = cols[i].width ? cols[i].width : (width - at > 1 ? width - at : 1);
		at += wd[i] + 1;
	}
}

static void
draw_cells(WINDOW *w, int y, int attr, char *const *cells, const int *x, const int *wd)
{
	const struct load_col *cols = cols_of(lv->kind);
	int n = ncols_of(lv->kind), i, width = getmaxx(w);

	for (i = 0; i < n; i++) {
		const char *s = cells[i] ? cells[i] : "";
		int len = (int)strlen(s), at = x[i];
		if (at >= width)
			break;
		if (cols[i].right && len < wd[i])
			at += wd[i] - len;
		draw_text(w, y, at, wd[i] - (at - x[i]) < width - at ? wd[i] - (at - x[i]) : width - at,
		          attr, s);
	}
}

static void
hostload_draw(struct app *a, WINDOW *w)
{
	struct host *h = lv ? lv->host : NULL;
	const struct load_col *cols;
	struct load_row *rows = NULL;
	size_t n = 0;
	int x[LOAD_COLS], wd[LOAD_COLS], height = getmaxy(w), width = getmaxx(w), i, list_h;
	char *titles[LOAD_COLS] = { 0 };

	(void)a;
	if (h == NULL)
		return;
	host_assert_locked(h);
	cols = cols_of(lv->kind);
	if (lv->kind == LOAD_CPU && lv->job != NULL)
		cpu_rows(lv->job, &rows, &n);
	else
		dev_rows(h, lv->kind == LOAD_NIC, &rows, &n);
	load_sort_col = lv->sort;
	load_sort_rev = lv->reverse;
	load_sort_text = cols[lv->sort].text;
	if (n > 1)
		qsort(rows, n, sizeof *rows, cmp_rows);
	draw_title(w, h, n);
	col_layout(width, x, wd);
	for (i = 0; i < ncols_of(lv->kind); i++)
		titles[i] = (char *)cols[i].title;
	draw_fill(w, 1, 0, width, ' ' | (chtype)screen_attr(C_COLUMNS));
	draw_cells(w, 1, screen_attr(C_COLUMNS), titles, x, wd);
	/* The sorted column's title marked. */
	{
		const char *t = cols[lv->sort].title;
		int len = (int)strlen(t), at = x[lv->sort];
		if (cols[lv->sort].right && len < wd[lv->sort])
			at += wd[lv->sort] - len;
		if (at < width)
			draw_text(w, 1, at, len < width - at ? len : width - at,
			          screen_attr(C_COLUMNS) | A_BOLD | A_UNDERLINE, t);
	}
	list_h = height - 2;
	scroll_fit(&lv->sc, (int)n, list_h);
	for (i = 0; i < list_h && lv->sc.top + i < (int)n; i++) {
		const struct load_row *r = &rows[lv->sc.top + i];
		int attr = lv->sc.top + i == lv->sc.sel ? screen_attr(C_SELECTION) :
		           r->warn ? screen_attr(C_WARNING) : 0;
		draw_fill(w, 2 + i, 0, width, ' ' | (chtype)attr);
		draw_cells(w, 2 + i, attr, r->cell, x, wd);
	}
	if (n == 0) {
		const char *msg = lv->kind != LOAD_CPU ? "No running guest has one." :
		                  h->replay ? "Placement on host CPUs is not in recordings." :
		                  lv->job == NULL ? "" :
		                  lv->job->cur.error ? lv->job->cur.error :
		                  lv->job->reads == 0 ? "Reading where the vCPUs run..." :
		                  "No running guests.";
		draw_text(w, 2, 2, width - 2, screen_attr(C_DIM), msg);
	}
	rows_free(rows, n);
}

/* s: the next column; r: the other way; both from the view's rows. */
static int
hostload_key(struct app *a, enum cmd c, int key)
{
	const char *name;

	(void)a;
	(void)key;
	if (lv == NULL)
		return 0;
	if (scroll_cmd(&lv->sc, c))
		return REDRAW_BODY;
	if ((unsigned)c < CMD_COUNT)
		return 0;
	name = command_row(c)->name;
	if (strcmp(name, "load-sort") == 0) {
		lv->sort = (lv->sort + 1) % ncols_of(lv->kind);
		lv->reverse = false;
		return REDRAW_BODY;
	}
	if (strcmp(name, "load-reverse") == 0) {
		lv->reverse = !lv->reverse;
		return REDRAW_BODY;
	}
	return 0;
}

/* A click on a column's title sorts by it (again: reversed); on a line
 * selects it. */
static void
hostload_mouse(struct app *a, int y, int x, bool dbl)
{
	int xs[LOAD_COLS], wd[LOAD_COLS], i;

	(void)dbl;
	if (lv == NULL)
		return;
	if (y == 1) {
		col_layout(getmaxx(a->body), xs, wd);
		for (i = ncols_of(lv->kind) - 1; i >= 0; i--)
			if (x >= xs[i]) {
				lv->reverse = lv->sort == i ? !lv->reverse : false;
				lv->sort = i;
				break;
			}
	} else if (y >= 2) {
		scroll_select(&lv->sc, lv->sc.top + y - 2);
	}
	a->dirty = DIRTY_ALL;
}

/* The CPU table's read, once per refresh of the host while open. */
static void
hostload_poll(struct app *a)
{
	(void)a;
	if (lv != NULL && lv->job != NULL)
		cpumap_job_poll(lv->job);
}

static void
hostload_leave(struct app *a)
{
	(void)a;
	if (lv == NULL)
		return;
	cpumap_job_release(lv->job);
	free(lv);
	lv = NULL;
}

/* Open a table of the host the list has selected. */
static int
hostload_open(struct app *a, enum load_kind k, const struct view_ops *ops)
{
	struct host *h = a->sel_host ? a->sel_host : (a->nhosts ? a->hosts[0] : NULL);

	if (h == NULL)
		return HANDLED;
	if (lv != NULL) /* another of the tables is open: this one replaces it */
		app_pop_view(a);
	lv = xcalloc(1, sizeof *lv);
	lv->kind = k;
	lv->host = h;
	/* Numbers: the busiest first; the CPU table in CPU order. */
	lv->sort = k == LOAD_CPU ? 0 : 2;
	lv->reverse = k == LOAD_CPU;
	scroll_init(&lv->sc, true);
	if (k == LOAD_CPU && !h->replay)
		lv->job = cpumap_job_new(h);
	app_push_view(a, ops);
	return HANDLED;
}

int
hostcpus_open(struct app *a)
{
	return hostload_open(a, LOAD_CPU, &hostcpus_ops);
}

int
hostnics_open(struct app *a)
{
	return hostload_open(a, LOAD_NIC, &hostnics_ops);
}

int
hostdisks_open(struct app *a)
{
	return hostload_open(a, LOAD_DISK, &hostdisks_ops);
}

#define LOAD_OPS(var, title) \
	const struct view_ops var = { \
		.name = title, \
		.keyview = KV_HOSTLOAD, \
		.leave = hostload_leave, \
		.draw = hostload_draw, \
		.key = hostload_key, \
		.mouse = hostload_mouse, \
		.poll = hostload_poll, \
	}

LOAD_OPS(hostcpus_ops, "host CPUs");
LOAD_OPS(hostnics_ops, "network interfaces");
LOAD_OPS(hostdisks_ops, "block devices");
