/* vmdelete.c — the delete dialog (D): the guest's name must be typed to
 * confirm; each storage volume of the guest has a checkbox (off unless
 * ticked) to remove it too, or the reason it cannot be; a running guest is
 * forced off first, and its definition is saved to a backup file whose
 * path the outcome shows. The work is model/guest/vmdelete.h's job on the host's
 * worker. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/base/xmalloc.h"
#include "../model/guest/vmdelete.h"
#include "../tui/screen.h"
#include "views.h"

struct deldlg {
	struct vmdel_job *job;
	char *vm;
	struct lineedit typed;
	bool *remove;          /* per volume of job->info */
	size_t nremove;
	size_t cur;            /* 0: the name field, 1 + i: volume i */
	char *refusal;         /* why the last Enter did not delete */
};

static struct deldlg *dd;

/* Popped: the dialog goes. */
static void
del_leave(struct app *a)
{
	(void)a;
	if (dd == NULL)
		return;
	vmdel_job_release(dd->job);
	free(dd->vm);
	free(dd->remove);
	free(dd->refusal);
	free(dd);
	dd = NULL;
}

/* The checkboxes follow the volumes read (host lock held). */
static void
sync_boxes(const struct vmdel_info *in)
{
	if (dd->nremove == in->nvols)
		return;
	free(dd->remove);
	dd->remove = xcalloc(in->nvols ? in->nvols : 1, sizeof *dd->remove);
	dd->nremove = in->nvols;
	if (dd->cur > dd->nremove)
		dd->cur = 0;
}

static void
draw_vols(struct app *a, WINDOW *w, int *y, const struct vmdel_info *in)
{
	int width = getmaxx(w);
	char line[1024];
	size_t i;

	draw_text(w, (*y)++, 0, width, A_BOLD, "Storage (Space ticks a volume to remove it too):");
	if (in->nvols == 0)
		draw_text(w, (*y)++, 2, width - 2, screen_attr(C_DIM), "no disks");
	for (i = 0; i < in->nvols && *y < getmaxy(w); i++) {
		const struct vmdel_vol *v = &in->vols[i];
		int attr = dd->cur == i + 1 ? screen_attr(C_SELECTION) : 0;
		if (v->why_not)
			snprintf(line, sizeof line, "  [-] %-5s %s (%s): kept, %s", v->target,
			         v->path ? v->path : "-", v->device, v->why_not);
		else
			snprintf(line, sizeof line, "  [%c] %-5s %s (%s, pool %s)",
			         dd->remove[i] ? 'x' : ' ', v->target, v->path, v->device, v->pool);
		if (dd->cur == i + 1)
			app_form_focus(a, *y);
		draw_wrapped(w, y, attr, line);
	}
}

static void
del_draw(struct app *a, WINDOW *w)
{
	struct vmdel_job *j = dd ? dd->job : NULL;
	const struct vmdel_info *in;
	int width = getmaxx(w), y = 0;
	char line[600], *bk, *err = NULL;

	(void)a;
	if (j == NULL)
		return;
	in = &j->info;
	snprintf(line, sizeof line, "Delete %s%s%s%s", dd->vm, in->state ? " (" : "",
	         in->state ? in->state : "", in->state ? ")" : "");
	draw_text(w, y++, 0, width, screen_attr(C_COLUMNS), line);
	if (in->name == NULL) {
		draw_text(w, 2, 0, width, j->error ? screen_attr(C_ERROR) : 0,
		          j->error ? j->error : "Reading...");
		return;
	}
	sync_boxes(in);
	draw_hints(w, &y, screen_attr(C_DIM), dd->cur == 0 ?
	          "Type the name, then Enter or F2: delete  Tab/arrows: next field  Esc: cancel" :
	          "Enter or F2: delete  Space: tick  Tab/arrows: next field  Esc: cancel");
	y++;
	if (in->active) {
		snprintf(line, sizeof line, "%s is %s: it will be forced off first (unsaved data in "
		         "the guest is lost).", in->name, in->state);
		draw_wrapped(w, &y, screen_attr(C_WARNING), line);
	}
	if (in->nsnapshots) {
		snprintf(line, sizeof line, "It has %zu snapshot%s: their metadata goes with it (the "
		         "backup names them).", in->nsnapshots, in->nsnapshots == 1 ? "" : "s");
		draw_wrapped(w, &y, 0, line);
	}
	bk = vmdelete_backup_path(getenv("XDG_STATE_HOME"), getenv("HOME"), in->name, 0, &err);
	if (bk) {
		char *slash = strrchr(bk, '/');
		if (slash)
			*slash = '\0';
		snprintf(line, sizeof line, "Its definition is saved first in %s/", bk);
	} else {
		snprintf(line, sizeof line, "%s", err);
	}
	draw_wrapped(w, &y, screen_attr(C_DIM), line);
	free(bk);
	free(err);
	y++;
	draw_vols(a, w, &y, in);
	y++;
	snprintf(line, sizeof line, "Type %s to confirm:", in->name);
	draw_text(w, y++, 0, width, 0, line);
	if (dd->cur == 0)
		app_form_focus(a, y);
	draw_text(w, y++, 2, width - 2, dd->cur == 0 ? screen_attr(C_SELECTION) : (int)A_UNDERLINE,
	          dd->typed.text);
	y++;
	if (j->state == VD_RUNNING)
		draw_text(w, y++, 0, width, screen_attr(C_WARNING), "Deleting...");
	else if (j->state == VD_DONE && j->result)
		draw_wrapped(w, &y, 0, j->result);
	else if (j->state == VD_FAILED && j->error)
		draw_wrapped(w, &y, screen_attr(C_ERROR), j->error);
	else if (dd->refusal)
		draw_wrapped(w, &y, screen_attr(C_ERROR), dd->refusal);
	if (j->state == VD_DONE)
		draw_text(w, y++, 0, width, screen_attr(C_DIM), "Esc: back to the list");
}

static void
do_delete(struct app *a)
{
	struct vmdel_job *j = dd->job;
	char **rm = NULL;
	size_t n = 0, i;
	enum vmdel_state st;
	bool match = false;

	host_lock(j->host);
	st = j->state;
	if (st == VD_READY || st == VD_FAILED) {
		match = j->info.name && strcmp(dd->typed.text, j->info.name) == 0;
		for (i = 0; match && i < dd->nremove && i < j->info.nvols; i++)
			if (dd->remove[i]) {
				rm = xreallocarray(rm, n + 1, sizeof *rm);
				rm[n++] = xstrdup(j->info.vols[i].target);
			}
	}
	host_unlock(j->host);
	free(dd->refusal);
	dd->refusal = NULL;
	if (st == VD_READING || st == VD_RUNNING) {
		app_status(a, MSG_ERROR, "Wait: %s is still being %s.", dd->vm,
		           st == VD_READING ? "read" : "deleted");
	} else if (st == VD_DONE) {
		app_status(a, MSG_ERROR, "%s is deleted already; Esc goes back.", dd->vm);
	} else if (!match) {
		dd->refusal = xasprintf("Not deleted: type the exact name %s to confirm (typed: "
		                        "\"%s\").", dd->vm, dd->typed.text);
		app_status(a, MSG_ERROR, "%s", dd->refusal);
	} else {
		vmdel_job_start(j, rm, n);
		app_status(a, MSG_INFO, "Deleting %s...", dd->vm);
	}
	xfree_strv(rm, n);
}

static int
del_key(struct app *a, enum cmd c, int key)
{
	size_t nf = dd ? dd->nremove + 1 : 1;
	bool done;

	(void)key;
	if (dd == NULL)
		return 0;
	switch (c) {
	case CMD_BACK:
		/* A deleted guest has no detail view to go back to. */
		host_lock(dd->job->host);
		done = dd->job->state == VD_DONE;
		host_unlock(dd->job->host);
		if (!done)
			return 0; /* popped by the command */
		app_pop_to_root(a);
		return HANDLED;
	case CMD_NEXT_FIELD:
		dd->cur = (dd->cur + 1) % nf;
		return REDRAW_BODY;
	case CMD_PREV_FIELD:
		dd->cur = (dd->cur + nf - 1) % nf;
		return REDRAW_BODY;
	case CMD_APPLY:
		do_delete(a);
		return HANDLED;
	default:
		return 0;
	}
}

static int
del_text(struct app *a, wint_t wc, bool is_key)
{
	enum le_result r;

	if (dd == NULL)
		return HANDLED;
	if (!is_key && (wc == '\r' || wc == '\n'))
		return command_dispatch(a, CMD_APPLY, 0);
	if (!is_key && wc == 27)
		return command_dispatch(a, CMD_BACK, 0);
	if (dd->cur > 0) {
		if (!is_key && wc == ' ') {
			size_t i = dd->cur - 1;
			host_lock(dd->job->host);
			if (i < dd->nremove && i < dd->job->info.nvols && dd->job->info.vols[i].why_not)
				app_status(a, MSG_ERROR, "%s is kept: %s.", dd->job->info.vols[i].target,
				           dd->job->info.vols[i].why_not);
			else if (i < dd->nremove)
				dd->remove[i] = !dd->remove[i];
			host_unlock(dd->job->host);
		} else if (!is_key && wc == '\t') {
			return del_key(a, CMD_NEXT_FIELD, 0);
		}
		return REDRAW_BODY;
	}
	r = lineedit_key(&dd->typed, wc, is_key);
	if (r == LE_TAB)
		return del_key(a, CMD_NEXT_FIELD, 0);
	return REDRAW_BODY;
}

int
vmdelete_open(struct app *a, const struct sel_guest *g)
{
	dd = xcalloc(1, sizeof *dd);
	dd->vm = xstrdup(g->name);
	dd->job = vmdel_job_new(g->host, g->uuid);
	app_push_view(a, &vmdelete_ops);
	return HANDLED;
}

const struct view_ops vmdelete_ops = {
	.name = "delete",
	.reports = true,
	.keyview = KV_FORM,
	.tall = true,
	.leave = del_leave,
	.draw = del_draw,
	.key = del_key,
	.text = del_text,
};
