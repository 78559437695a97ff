/* snapshots.c — the snapshots of one guest (T): name, when, the guest's
 * state then, the current one (*), parent and description; c creates one
 * from a small form (name and description), r reverts and x deletes, both
 * after a question. The libvirt work runs on the host's worker
 * (model/guest/snapshot.h); results come back in the view and the status line. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../model/guest/snapshot.h"
#include "../model/base/xmalloc.h"
#include "../tui/scroll.h"
#include "views.h"
#include "../tui/screen.h"

enum { F_NAME, F_DESC, NFIELDS };

struct snapview {
	struct snap_job *job;
	char *vm;
	struct scroller list;  /* the rows: first shown, selected */
	char *sel_name;        /* the selection survives re-reads */
	bool form;             /* the create form is open */
	struct lineedit f[NFIELDS];
	int cur;
	char *form_error;
	char *pending;         /* the snapshot a question is about */
};

static struct snapview *sv;

/* Popped: the view's state goes. */
static void
snap_leave(struct app *a)
{
	(void)a;
	if (sv == NULL)
		return;
	snap_job_release(sv->job);
	free(sv->vm);
	free(sv->sel_name);
	free(sv->form_error);
	free(sv->pending);
	free(sv);
	sv = NULL;
}

/* The selected snapshot (host lock held), or NULL. */
static const struct snapshot *
selected(void)
{
	const struct snapshot_list *l = &sv->job->list;
	int i = scroll_keep_named(&sv->list, &sv->sel_name, l->v, l->n, sizeof *l->v,
	                          offsetof(struct snapshot, name), false);

	return i < 0 ? NULL : &l->v[i];
}

static void
select_index(size_t i)
{
	const struct snapshot_list *l = &sv->job->list;

	if (l->n == 0)
		return;
	if (i >= l->n)
		i = l->n - 1;
	sv->list.sel = (int)i;
	free(sv->sel_name);
	sv->sel_name = xstrdup(l->v[i].name);
}

static void
fmt_time(char *buf, size_t n, long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	localtime_r(&tt, &tm);
	strftime(buf, n, "%Y-%m-%d %H:%M:%S", &tm);
}

static void
draw_rows(WINDOW *w, int *y, int rows)
{
	const struct snapshot_list *l = &sv->job->list;
	int width = getmaxx(w), nw = 4, pw = 6, x;
	char when[32];
	size_t i;

	for (i = 0; i < l->n; i++) {
		if ((int)strlen(l->v[i].name) > nw)
			nw = (int)strlen(l->v[i].name);
		if (l->v[i].parent && (int)strlen(l->v[i].parent) > pw)
			pw = (int)strlen(l->v[i].parent);
	}
	nw = nw > 24 ? 24 : nw;
	pw = pw > 16 ? 16 : pw;
	draw_text(w, *y, 0, width, screen_attr(C_COLUMNS), "");
	draw_text(w, *y, 2, nw, screen_attr(C_COLUMNS), "NAME");
	x = 2 + nw + 2;
	draw_text(w, *y, x, 19, screen_attr(C_COLUMNS), "CREATED");
	draw_text(w, *y, x + 21, 8, screen_attr(C_COLUMNS), "STATE");
	/* PARENT and DESCRIPTION only where they fit (vmtui snapshot list
	 * shows them all). */
	if (x + 31 + pw <= width)
		draw_text(w, *y, x + 31, pw, screen_attr(C_COLUMNS), "PARENT");
	if (x + 33 + pw + 11 <= width)
		draw_text(w, *y, x + 33 + pw, width - (x + 33 + pw), screen_attr(C_COLUMNS),
		          "DESCRIPTION");
	(*y)++;
	if (l->n == 0) {
		draw_wrapped(w, y, screen_attr(C_DIM), "  No snapshots yet: press c to create one.");
		return;
	}
	selected();
	scroll_fit(&sv->list, (int)l->n, rows);
	for (i = (size_t)sv->list.top; i < l->n && rows-- > 0; i++, (*y)++) {
		const struct snapshot *s = &l->v[i];
		int attr = (int)i == sv->list.sel ? screen_attr(C_SELECTION) : 0;
		fmt_time(when, sizeof when, s->created);
		draw_text(w, *y, 0, width, attr, s->current ? "*" : "");
		draw_text(w, *y, 2, nw + 2, attr, "");
		draw_cut(w, *y, 2, nw, attr, s->name);
		draw_text(w, *y, x, 21, attr, when);
		draw_text(w, *y, x + 21, 10, attr, s->state ? s->state : "?");
		if (x + 31 + pw > width)
			continue;
		draw_text(w, *y, x + 31, pw + 2, attr, "");
		draw_cut(w, *y, x + 31, pw, attr, s->parent ? s->parent : "-");
		if (x + 33 + pw + 11 <= width)
			draw_text(w, *y, x + 33 + pw, width - (x + 33 + pw), attr,
			          s->description ? s->description : "");
	}
}

static void
draw_form(WINDOW *w, int *y)
{
	static const char *const labels[NFIELDS] = { "Name", "Description" };
	int width = getmaxx(w), i;

	(*y)++;
	draw_text(w, (*y)++, 0, width, A_BOLD, "New snapshot:");
	for (i = 0; i < NFIELDS && *y < getmaxy(w); i++, (*y)++) {
		const char *t = sv->f[i].text;
		int fw = width - 14;
		if (fw > 1 && (int)strlen(t) > fw - 1)
			t += strlen(t) - (size_t)(fw - 1);
		draw_text(w, *y, 0, 14, 0, labels[i]);
		draw_text(w, *y, 14, fw, i == sv->cur ? screen_attr(C_SELECTION) : (int)A_UNDERLINE, t);
	}
	draw_hints(w, y, screen_attr(C_DIM), "Enter or F2: create  Tab/arrows: next field  Esc: cancel");
	if (sv->job->quiesce)
		draw_wrapped(w, y, screen_attr(C_DIM), sv->job->quiesce);
	if (sv->job->warning)
		draw_wrapped(w, y, screen_attr(C_WARNING), sv->job->warning);
	if (sv->form_error)
		draw_wrapped(w, y, screen_attr(C_ERROR), sv->form_error);
}

static void
snap_draw(struct app *a, WINDOW *w)
{
	struct snap_job *j = sv ? sv->job : NULL;
	int width = getmaxx(w), y = 0, rows;
	char line[512];

	(void)a;
	if (j == NULL)
		return;
	snprintf(line, sizeof line, "Snapshots of %s%s%s%s  %zu snapshot%s", sv->vm,
	         j->vm_state ? " (" : "", j->vm_state ? j->vm_state : "", j->vm_state ? ")" : "",
	         j->list.n, j->list.n == 1 ? "" : "s");
	draw_text(w, y++, 0, width, screen_attr(C_COLUMNS), line);
	draw_hints(w, &y, screen_attr(C_DIM), "c: create  r: revert  x/Del: delete  "
	          "Esc: back   (* the current snapshot)");
	y++;
	if (j->reads == 0) {
		draw_text(w, y++, 0, width, j->error ? screen_attr(C_ERROR) : 0,
		          j->error ? j->error : "Reading...");
		return;
	}
	rows = getmaxy(w) - y - (sv->form ? 8 : 4);
	draw_rows(w, &y, rows < 1 ? 1 : rows);
	y++;
	draw_outcome(w, &y, j->busy, j->error, j->result);
	if (sv->form)
		draw_form(w, &y);
}

/* ---- actions ---- */

/* Refuse when read-only or busy; true when the action may go on. */
static bool
may_act(struct app *a, const char *what)
{
	bool busy;

	if (a->readonly) {
		app_status(a, MSG_ERROR, "Cannot %s: vmtui runs read-only (-r); restart without -r "
		           "to change guests.", what);
		return false;
	}
	host_lock(sv->job->host);
	busy = sv->job->busy;
	host_unlock(sv->job->host);
	if (busy)
		app_status(a, MSG_ERROR, "Wait: the last snapshot operation on %s is still running.",
		           sv->vm);
	return !busy;
}

static void
open_form(struct app *a)
{
	char name[64];

	if (!may_act(a, "create a snapshot"))
		return;
	snapshot_default_name(name, sizeof name, time(NULL));
	lineedit_set(&sv->f[F_NAME], name);
	lineedit_set(&sv->f[F_DESC], "");
	sv->cur = F_NAME;
	free(sv->form_error);
	sv->form_error = NULL;
	sv->form = true;
}

static void
submit_form(struct app *a)
{
	const char *name = sv->f[F_NAME].text;
	char *why = snapshot_name_check(name);
	size_t i;

	host_lock(sv->job->host);
	for (i = 0; !why && i < sv->job->list.n; i++)
		if (strcmp(sv->job->list.v[i].name, name) == 0)
			why = xasprintf("%s already has a snapshot \"%s\"; pick another name.", sv->vm,
			                name);
	host_unlock(sv->job->host);
	free(sv->form_error);
	sv->form_error = why;
	if (why)
		return;
	sv->form = false;
	free(sv->sel_name);
	sv->sel_name = xstrdup(name); /* land on the new one */
	snap_job_run(sv->job, SNAP_CREATE, name, sv->f[F_DESC].text);
	app_status(a, MSG_INFO, "Creating snapshot %s of %s...", name, sv->vm);
}

static void
revert_yes(struct app *a)
{
	if (sv == NULL || sv->pending == NULL)
		return;
	snap_job_run(sv->job, SNAP_REVERT, sv->pending, NULL);
	app_status(a, MSG_INFO, "Reverting %s to %s...", sv->vm, sv->pending);
}

static void
delete_yes(struct app *a)
{
	if (sv == NULL || sv->pending == NULL)
		return;
	snap_job_run(sv->job, SNAP_DELETE, sv->pending, NULL);
	app_status(a, MSG_INFO, "Deleting snapshot %s of %s...", sv->pending, sv->vm);
}

/* Ask about the selected snapshot. */
static void
ask_about(struct app *a, bool revert)
{
	const struct snapshot *s;
	char when[32], *q = NULL, *no = NULL;

	if (!may_act(a, revert ? "revert to a snapshot" : "delete a snapshot"))
		return;
	host_lock(sv->job->host);
	if ((s = selected()) != NULL && revert && s->no_revert)
		no = xstrdup(s->no_revert);
	else if (s != NULL) {
		fmt_time(when, sizeof when, s->created);
		free(sv->pending);
		sv->pending = xstrdup(s->name);
		if (revert)
			q = xasprintf("Revert %s to snapshot \"%s\" (taken %s, %s)? Its present state "
			              "is lost; afterwards it will be %s.", sv->vm, s->name, when,
			              s->state ? s->state : "?", snapshot_revert_outcome(s->state));
		else
			q = xasprintf("Delete snapshot \"%s\" of %s (taken %s)? The guest stays as it "
			              "is; snapshots made from it keep their data.", s->name, sv->vm, when);
	}
	host_unlock(sv->job->host);
	if (no) {
		snap_job_refuse(sv->job, no);
		free(no);
		return;
	}
	if (q == NULL) {
		app_status(a, MSG_ERROR, "%s has no snapshot to %s.", sv->vm,
		           revert ? "revert to" : "delete");
		return;
	}
	app_ask(a, q, revert ? revert_yes : delete_yes);
	free(q);
}

static int
snap_key(struct app *a, enum cmd c, int key)
{
	(void)key;
	if (sv == NULL)
		return 0;
	host_lock(sv->job->host);
	selected(); /* the row of the selected name, as the list is now */
	sv->list.n = (int)sv->job->list.n;
	if (scroll_cmd(&sv->list, c)) {
		select_index((size_t)sv->list.sel);
		host_unlock(sv->job->host);
		return REDRAW_BODY;
	}
	host_unlock(sv->job->host);
	switch (c) {
	case CMD_SNAP_CREATE:
		open_form(a);
		return HANDLED;
	case CMD_SNAP_REVERT:
		ask_about(a, true);
		return HANDLED;
	case CMD_SNAP_DELETE:
		ask_about(a, false);
		return HANDLED;
	case CMD_REFRESH:
		/* Read the list again; the global refresh follows. */
		snap_job_run(sv->job, SNAP_READ, NULL, NULL);
		return 0;
	default:
		return 0;
	}
}

/* The form takes every key while open. */
static bool
snap_grab(struct app *a)
{
	(void)a;
	return sv && sv->form;
}

static int
snap_text(struct app *a, wint_t wc, bool is_key)
{
	enum le_result r;

	if (sv == NULL)
		return 0;
	if (!sv->form) {
		char kb[16];
		app_status(a, MSG_INFO, "Key %s does nothing here; press ? for help.",
		           keys_label((int)wc, kb, sizeof kb));
		return HANDLED;
	}
	if (is_key && (wc == KEY_UP || wc == KEY_DOWN || wc == KEY_BTAB)) {
		sv->cur = (sv->cur + 1) % NFIELDS;
		return REDRAW_BODY;
	}
	if (is_key && wc == KEY_F(2)) {
		submit_form(a);
		return REDRAW_BODY;
	}
	r = lineedit_key(&sv->f[sv->cur], wc, is_key);
	if (r == LE_TAB)
		sv->cur = (sv->cur + 1) % NFIELDS;
	else if (r == LE_CANCEL) {
		sv->form = false;
		app_status(a, MSG_INFO, "Cancelled.");
	} else if (r == LE_ENTER)
		submit_form(a);
	return REDRAW_BODY;
}

int
snapshots_open(struct app *a, const struct sel_guest *g)
{
	sv = xcalloc(1, sizeof *sv);
	scroll_init(&sv->list, true);
	sv->vm = xstrdup(g->name);
	sv->job = snap_job_new(g->host, g->uuid, g->name);
	app_push_view(a, &snapshots_ops);
	return HANDLED;
}

const struct view_ops snapshots_ops = {
	.name = "snapshots",
	.reports = true,
	.keyview = KV_SNAP,
	.leave = snap_leave,
	.draw = snap_draw,
	.key = snap_key,
	.text = snap_text,
	.grab = snap_grab,
};
