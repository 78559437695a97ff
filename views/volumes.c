/* volumes.c — the volumes of one storage pool (Enter in the pools view):
 * name, format, capacity, allocation, backing chain and the guests using
 * each, a volume used by two guests in the warning colour. c creates a
 * volume, e grows (extends) one, C clones, W wipes and x deletes (both with the
 * name typed); u and w are the transfer keys. Refusals (a volume in use)
 * come back from the job and show under the list. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/base/xmalloc.h"
#include "../tui/format.h"
#include "../tui/screen.h"
#include "storeview.h"
#include "views.h"

/* The selected volume (host lock held), or NULL. */
static const struct store_vol *
selected(void)
{
	const struct store_vols *l = &storeview->job->vols;
	int i = scroll_keep_named(&storeview->vols, &storeview->sel_vol, l->v, l->n, sizeof *l->v,
	                          offsetof(struct store_vol, name), storeview->job->busy);

	return i < 0 ? NULL : &l->v[i];
}

char *
storeview_vol(struct app *a, uint64_t *capacity)
{
	const struct store_vol *v;
	char *name = NULL;

	host_lock(storeview->host);
	if ((v = selected()) != NULL) {
		name = xstrdup(v->name);
		if (capacity)
			*capacity = v->capacity;
	}
	host_unlock(storeview->host);
	if (name == NULL)
		app_status(a, MSG_ERROR, "No volume selected: c creates one.");
	return name;
}

static void
volumes_leave(struct app *a)
{
	(void)a;
	if (storeview != NULL)
		store_job_open_pool(storeview->job, NULL);
}

static void
draw_row(WINDOW *w, int y, int attr, const struct store_vol *v, int nw)
{
	int width = getmaxx(w), x;
	char c[16], al[16], line[128];

	draw_text(w, y, 0, width, attr, v->nusers > 1 ? "!" : "");
	draw_text(w, y, 2, nw + 1, attr, v->name);
	x = nw + 3;
	snprintf(line, sizeof line, "%-6.6s %9s %9s", v->format ? v->format : "-",
	         fmt_bytes(c, sizeof c, (double)v->capacity),
	         fmt_bytes(al, sizeof al, (double)v->allocation));
	draw_text(w, y, x, width - x, attr, line);
	x += (int)strlen(line) + 2;
	if (x < width)
		draw_text(w, y, x, 30, attr, v->backing ? v->backing : "-");
	x += 32;
	if (x < width)
		draw_text(w, y, x, width - x, attr, v->users ? v->users : "-");
}

static void
volumes_draw(struct app *a, WINDOW *w)
{
	struct store_job *j = storeview ? storeview->job : NULL;
	const struct store_vols *l;
	const struct store_pool *p;
	int width = getmaxx(w), y = 0, rows, nw = 4;
	char line[512];
	size_t i;

	(void)a;
	if (j == NULL)
		return;
	l = &j->vols;
	p = j->vols_pool ? store_pools_find(&j->pools, j->vols_pool) : NULL;
	snprintf(line, sizeof line, "Volumes of pool %s%s%s%s%s%s  %zu volume%s",
	         j->vols_pool ? j->vols_pool : "?", p ? " (" : "", p && p->type ? p->type : "",
	         p && p->target ? ", " : "", p && p->target ? p->target : "", p ? ")" : "", l->n,
	         l->n == 1 ? "" : "s");
	draw_text(w, y++, 0, width, screen_attr(C_COLUMNS), line);
	draw_hints(w, &y, screen_attr(C_DIM), "c: create  e: grow  C: clone  W: wipe  "
	          "x: delete  Esc: pools   (! two guests use one volume)");
	y++;
	if (j->vol_reads == 0 || (l->pool == NULL && j->vols_error == NULL)) {
		draw_text(w, y, 0, width, j->error ? screen_attr(C_ERROR) : 0,
		          j->error ? j->error : "Reading...");
		return;
	}
	if (j->vols_error) {
		draw_wrapped(w, &y, screen_attr(C_ERROR), j->vols_error);
		return;
	}
	for (i = 0; i < l->n; i++)
		if ((int)strlen(l->v[i].name) > nw)
			nw = (int)strlen(l->v[i].name);
	nw = nw > 28 ? 28 : nw;
	draw_text(w, y, 0, width, screen_attr(C_COLUMNS), "");
	draw_text(w, y, 2, nw + 1, screen_attr(C_COLUMNS), "NAME");
	snprintf(line, sizeof line, "%-6s %9s %9s  %-30s  %s", "FORMAT", "CAPACITY", "ALLOCATED",
	         "BACKING", "USED BY");
	draw_text(w, y++, nw + 3, width - nw - 3, screen_attr(C_COLUMNS), line);
	if (l->n == 0) {
		draw_text(w, y++, 2, width - 2, screen_attr(C_DIM),
		          "No volumes: press c to create one.");
	} else {
		rows = getmaxy(w) - y - 3;
		rows = rows < 1 ? 1 : rows;
		selected();
		scroll_fit(&storeview->vols, (int)l->n, rows);
		for (i = (size_t)storeview->vols.top; i < l->n && rows-- > 0; i++, y++) {
			const struct store_vol *v = &l->v[i];
			int attr = (int)i == storeview->vols.sel ? screen_attr(C_SELECTION) :
			           v->nusers > 1 ? screen_attr(C_WARNING) : 0;
			draw_row(w, y, attr, v, nw);
		}
	}
	y++;
	draw_outcome(w, &y, j->busy, j->error, j->result);
}

static int
volumes_key(struct app *a, enum cmd c, int key)
{
	const struct store_vols *l;

	(void)a;
	(void)key;
	if (storeview == NULL)
		return 0;
	host_lock(storeview->host);
	l = &storeview->job->vols;
	selected();
	storeview->vols.n = (int)l->n;
	if (scroll_cmd(&storeview->vols, c)) {
		if (l->n) {
			free(storeview->sel_vol);
			storeview->sel_vol = xstrdup(l->v[storeview->vols.sel].name);
		}
		host_unlock(storeview->host);
		return REDRAW_BODY;
	}
	host_unlock(storeview->host);
	if (c == CMD_REFRESH) {
		store_job_read(storeview->job, true);
		return 0;
	}
	return 0;
}

static int
volumes_text(struct app *a, wint_t wc, bool is_key)
{
	char kb[16];

	(void)is_key;
	app_status(a, MSG_INFO, "Key %s does nothing here; press ? for help.",
	           keys_label((int)wc, kb, sizeof kb));
	return HANDLED;
}

/* After an upload: the list again, with the new volume. */
static void
reread(struct app *a)
{
	(void)a;
	if (storeview)
		store_job_read(storeview->job, true);
}

int
volumes_command(struct app *a, const char *name)
{
	char *pool = NULL, *vol = NULL;
	uint64_t cap = 0;
	/* Uploads and downloads run on a transfer job of their own, so a
	 * read of the list (the one after the last upload, say) does not
	 * hold them back; the volume operations queue on the store job. */
	bool transfer = strcmp(name, "vol-upload") == 0 || strcmp(name, "vol-download") == 0;

	if (!transfer && !storeview_may_act(a))
		return HANDLED;
	host_lock(storeview->host);
	if (storeview->job->vols_pool)
		pool = xstrdup(storeview->job->vols_pool);
	host_unlock(storeview->host);
	if (pool == NULL)
		return HANDLED;
	if (strcmp(name, "vol-create") == 0)
		storeform_open(a, SF_VOL_CREATE, pool, NULL, 0);
	else if (strcmp(name, "vol-upload") == 0)
		transfer_upload_prompt(a, storeview->host, pool, reread);
	else if ((vol = storeview_vol(a, &cap)) == NULL)
		;
	else if (strcmp(name, "vol-download") == 0)
		transfer_download_prompt(a, storeview->host, pool, vol, NULL);
	else if (strcmp(name, "vol-grow") == 0)
		storeform_open(a, SF_VOL_GROW, pool, vol, cap);
	else if (strcmp(name, "vol-clone") == 0)
		storeform_open(a, SF_VOL_CLONE, pool, vol, cap);
	else if (strcmp(name, "vol-wipe") == 0)
		storeform_open(a, SF_VOL_WIPE, pool, vol, cap);
	else
		storeform_open(a, SF_VOL_DELETE, pool, vol, cap);
	free(pool);
	free(vol);
	return HANDLED;
}

const struct view_ops volumes_ops = {
	.name = "volumes",
	.reports = true,
	.keyview = KV_VOLS,
	.leave = volumes_leave,
	.draw = volumes_draw,
	.key = volumes_key,
	.text = volumes_text,
};
