/* pools.c — the storage pools of a host (p in the host view): name, type,
 * state, autostart, a usage bar with capacity, allocation and available,
 * path or source, and the guests using each. Enter opens the pool's
 * volumes; c creates a pool (a form), b builds, s starts, t stops, r
 * refreshes, a toggles autostart, x deletes (asks), X deletes with the
 * contents (the name typed). The libvirt work is model/store/storejob.h's
 * job on the host's worker; its outcome shows under the list. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/base/xmalloc.h"
#include "../tui/format.h"
#include "../tui/screen.h"
#include "storeview.h"
#include "views.h"

struct storeview *storeview;

void
storeview_bar(char *buf, int width, uint64_t used, uint64_t total)
{
	int fill = total ? (int)((double)used / (double)total * (width - 2) + 0.5) : 0, i;

	if (fill > width - 2)
		fill = width - 2;
	buf[0] = '[';
	for (i = 0; i < width - 2; i++)
		buf[1 + i] = i < fill ? '#' : ' ';
	buf[width - 1] = ']';
	buf[width] = '\0';
}

bool
storeview_may_act(struct app *a)
{
	bool busy;

	host_lock(storeview->host);
	busy = storeview->job->busy;
	host_unlock(storeview->host);
	if (busy)
		app_status(a, MSG_ERROR, "Wait: the last storage operation on %s is still running.",
		           host_label(storeview->host));
	return !busy;
}

/* The selected pool (host lock held), or NULL; keeps sel on its name. */
static const struct store_pool *
selected(void)
{
	const struct store_pools *l = &storeview->job->pools;
	int i = scroll_keep_named(&storeview->pools, &storeview->sel_pool, l->v, l->n, sizeof *l->v,
	                          offsetof(struct store_pool, name), storeview->job->busy);

	return i < 0 ? NULL : &l->v[i];
}

char *
storeview_pool(struct app *a)
{
	const struct store_pool *p;
	char *name = NULL;

	host_lock(storeview->host);
	if ((p = selected()) != NULL)
		name = xstrdup(p->name);
	host_unlock(storeview->host);
	if (name == NULL)
		app_status(a, MSG_ERROR, "No storage pool selected: c creates one.");
	return name;
}

static void
pools_leave(struct app *a)
{
	(void)a;
	if (storeview == NULL)
		return;
	store_job_release(storeview->job);
	free(storeview->sel_pool);
	free(storeview->sel_vol);
	free(storeview);
	storeview = NULL;
}

/* Columns: NAME TYPE STATE AUTO USAGE CAPACITY ALLOCATED AVAILABLE
 * PATH/SOURCE USED BY. */
static void
draw_row(WINDOW *w, int y, int attr, const struct store_pool *p, int nw)
{
	int width = getmaxx(w), x = 0;
	char bar[16], c[16], al[16], av[16], line[128];

	storeview_bar(bar, 12, p->allocation, p->capacity);
	draw_text(w, y, 0, width, attr, "");
	draw_text(w, y, x, nw + 1, attr, p->name);
	x += nw + 1;
	snprintf(line, sizeof line, "%-8.8s %-9.9s %-4s %s %9s %9s %9s", p->type ? p->type : "?",
	         p->state, p->autostart ? "yes" : "no", p->active ? bar : "[    --    ]",
	         fmt_bytes(c, sizeof c, (double)p->capacity),
	         fmt_bytes(al, sizeof al, (double)p->allocation),
	         fmt_bytes(av, sizeof av, (double)p->available));
	draw_text(w, y, x, width - x, attr, line);
	x += (int)strlen(line) + 2;
	if (x < width)
		draw_text(w, y, x, 28, attr, p->target ? p->target : p->source ? p->source : "-");
	x += 30;
	if (x < width)
		draw_text(w, y, x, width - x, attr, p->users ? p->users : "-");
}

static void
pools_draw(struct app *a, WINDOW *w)
{
	struct store_job *j = storeview ? storeview->job : NULL;
	const struct store_pools *l;
	int width = getmaxx(w), y = 0, rows, nw = 4, x;
	char line[512];
	size_t i;

	(void)a;
	if (j == NULL)
		return;
	l = &j->pools;
	snprintf(line, sizeof line, "Storage pools of %s  %zu pool%s", host_label(storeview->host),
	         l->n, l->n == 1 ? "" : "s");
	draw_text(w, y++, 0, width, screen_attr(C_COLUMNS), line);
	draw_hints(w, &y, screen_attr(C_DIM), "Enter: volumes  c: create  b: build  "
	          "s: start  t: stop  r: refresh  a: autostart  x: delete  X: delete with contents");
	y++;
	if (j->reads == 0) {
		draw_text(w, y, 0, width, j->error ? screen_attr(C_ERROR) : 0,
		          j->error ? j->error : "Reading...");
		return;
	}
	for (i = 0; i < l->n; i++)
		if ((int)strlen(l->v[i].name) > nw)
			nw = (int)strlen(l->v[i].name);
	nw = nw > 24 ? 24 : nw;
	draw_text(w, y, 0, width, screen_attr(C_COLUMNS), "");
	draw_text(w, y, 0, nw + 1, screen_attr(C_COLUMNS), "NAME");
	x = nw + 1;
	snprintf(line, sizeof line, "%-8s %-9s %-4s %-12s %9s %9s %9s  %-28s  %s", "TYPE", "STATE",
	         "AUTO", "USAGE", "CAPACITY", "ALLOCATED", "AVAILABLE", "PATH / SOURCE", "USED BY");
	draw_text(w, y++, x, width - x, screen_attr(C_COLUMNS), line);
	if (l->n == 0) {
		draw_text(w, y++, 2, width - 2, screen_attr(C_DIM),
		          "No storage pools: press c to create one.");
	} else {
		rows = getmaxy(w) - y - 3;
		rows = rows < 1 ? 1 : rows;
		selected();
		scroll_fit(&storeview->pools, (int)l->n, rows);
		for (i = (size_t)storeview->pools.top; i < l->n && rows-- > 0; i++, y++) {
			const struct store_pool *p = &l->v[i];
			int attr = (int)i == storeview->pools.sel ? screen_attr(C_SELECTION) : 0;
			if (attr == 0 && p->capacity &&
			    (double)p->allocation > 0.9 * (double)p->capacity)
				attr = screen_attr(C_WARNING);
			draw_row(w, y, attr, p, nw);
		}
	}
	y++;
	draw_outcome(w, &y, j->busy, j->error, j->result);
}

static void
select_index(int i)
{
	const struct store_pools *l = &storeview->job->pools;

	if (l->n == 0)
		return;
	if (i >= (int)l->n)
		i = (int)l->n - 1;
	storeview->pools.sel = i < 0 ? 0 : i;
	free(storeview->sel_pool);
	storeview->sel_pool = xstrdup(l->v[storeview->pools.sel].name);
}

/* Enter: the selected pool's volumes. */
static int
open_volumes(struct app *a)
{
	char *pool = storeview_pool(a);

	if (pool == NULL)
		return HANDLED;
	free(storeview->sel_vol);
	storeview->sel_vol = NULL;
	scroll_init(&storeview->vols, true);
	store_job_open_pool(storeview->job, pool);
	free(pool);
	app_push_view(a, &volumes_ops);
	return HANDLED;
}

static int
pools_key(struct app *a, enum cmd c, int key)
{
	(void)key;
	if (storeview == NULL)
		return 0;
	host_lock(storeview->host);
	selected();
	storeview->pools.n = (int)storeview->job->pools.n;
	if (scroll_cmd(&storeview->pools, c)) {
		select_index(storeview->pools.sel);
		host_unlock(storeview->host);
		return REDRAW_BODY;
	}
	host_unlock(storeview->host);
	if (c == CMD_REFRESH) {
		store_job_read(storeview->job, false);
		return 0; /* the global refresh follows */
	}
	return 0;
}

static int
pools_text(struct app *a, wint_t wc, bool is_key)
{
	char kb[16];

	if ((!is_key && (wc == '\r' || wc == '\n')) || (is_key && wc == KEY_ENTER))
		return open_volumes(a);
	app_status(a, MSG_INFO, "Key %s does nothing here; press ? for help.",
	           keys_label((int)wc, kb, sizeof kb));
	return HANDLED;
}

static void
delete_yes(struct app *a)
{
	char *pool;

	if (storeview == NULL || (pool = storeview_pool(a)) == NULL)
		return;
	store_job_pool_op(storeview->job, pool, POOL_DELETE);
	app_status(a, MSG_INFO, "Deleting storage pool %s...", pool);
	free(pool);
}

/* A pool command of the table (its row's name). */
static int
pool_command(struct app *a, const char *name)
{
	enum pool_op op;
	char *pool, *q;
	bool autostart = false;

	if (strcmp(name, "pool-volumes") == 0)
		return open_volumes(a);
	if (!storeview_may_act(a))
		return HANDLED;
	if (strcmp(name, "pool-create") == 0) {
		storeform_open(a, SF_POOL_CREATE, NULL, NULL, 0);
		return HANDLED;
	}
	if ((pool = storeview_pool(a)) == NULL)
		return HANDLED;
	if (strcmp(name, "pool-delete") == 0) {
		q = xasprintf("Delete storage pool %s? It is stopped and undefined; its volumes stay "
		              "on disk (X deletes them too).", pool);
		app_ask(a, q, delete_yes);
		free(q);
	} else if (strcmp(name, "pool-delete-contents") == 0) {
		storeform_open(a, SF_POOL_DELETE_CONTENTS, pool, NULL, 0);
	} else {
		host_lock(storeview->host);
		for (size_t i = 0; i < storeview->job->pools.n; i++)
			if (strcmp(storeview->job->pools.v[i].name, pool) == 0)
				autostart = storeview->job->pools.v[i].autostart;
		host_unlock(storeview->host);
		op = strcmp(name, "pool-build") == 0 ? POOL_BUILD :
		     strcmp(name, "pool-start") == 0 ? POOL_START :
		     strcmp(name, "pool-stop") == 0 ? POOL_STOP :
		     strcmp(name, "pool-refresh") == 0 ? POOL_REFRESH :
		     autostart ? POOL_AUTOSTART_OFF : POOL_AUTOSTART_ON;
		store_job_pool_op(storeview->job, pool, op);
		app_status(a, MSG_INFO, "Storage pool %s: %s...", pool, pool_op_name(op));
	}
	free(pool);
	return HANDLED;
}

int
storage_command(struct app *a, const char *name)
{
	if (storeview == NULL)
		return 0;
	if (strncmp(name, "vol-", 4) == 0)
		return volumes_command(a, name);
	return pool_command(a, name);
}

int
pools_open(struct app *a)
{
	struct host *h = a->sel_host ? a->sel_host : (a->nhosts ? a->hosts[0] : NULL);

	if (h == NULL)
		return HANDLED;
	if (storeview != NULL) { /* on the stack already: back to it */
		app_push_view(a, &pools_ops);
		return HANDLED;
	}
	storeview = xcalloc(1, sizeof *storeview);
	storeview->host = h;
	scroll_init(&storeview->pools, true);
	scroll_init(&storeview->vols, true);
	storeview->job = store_job_new(h);
	app_push_view(a, &pools_ops);
	return HANDLED;
}

const struct view_ops pools_ops = {
	.name = "pools",
	.reports = true,
	.keyview = KV_POOLS,
	.leave = pools_leave,
	.draw = pools_draw,
	.key = pools_key,
	.text = pools_text,
};
