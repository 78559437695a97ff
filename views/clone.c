/* clone.c — the clone dialog (Y): the new name, full copies or linked
 * overlays, start afterwards or not; what will happen to each disk, or why
 * it cannot, shown as it is typed; then the copy's progress (the new
 * volume's allocation against the source's) and the outcome. The work is
 * model/guest/clone.h's job on the host's worker. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/base/xmalloc.h"
#include "../model/guest/clone.h"
#include "../tui/format.h"
#include "../tui/screen.h"
#include "views.h"

enum { F_NAME, F_LINKED, F_START, NFIELDS };

struct clonedlg {
	struct clone_job *job;
	char *src;
	struct lineedit name;
	bool linked, start;
	int cur;
};

static struct clonedlg *cd;

static void land_on_clone(struct app *a);

/* Popped: the list lands on the clone when it was made; the dialog goes. */
static void
clone_leave(struct app *a)
{
	if (cd == NULL)
		return;
	land_on_clone(a);
	clone_job_release(cd->job);
	free(cd->src);
	free(cd);
	cd = NULL;
}

/* One line per disk: what the clone gets (plan made on j->src). */
static void
draw_disks(WINDOW *w, int *y, struct clone_src *s)
{
	int width = getmaxx(w);
	char line[1024], size[16], copy[16];
	size_t i;

	for (i = 0; i < s->ndisks && *y < getmaxy(w); i++) {
		const struct clone_disk *d = &s->disks[i];
		fmt_bytes(size, sizeof size, (double)d->capacity);
		fmt_bytes(copy, sizeof copy, (double)d->allocation);
		/* A full copy copies the volume's allocation (what the progress
		 * counts), which a qcow2 with internal snapshots makes larger
		 * than the disk's size; an overlay copies nothing. */
		if (d->shared || d->path == NULL)
			snprintf(line, sizeof line, "  %-5s %s: shared (read-only)", d->target,
			         d->path ? d->path : "empty");
		else if (d->new_vol && cd->linked)
			snprintf(line, sizeof line, "  %-5s %s/%s (%s disk) -> overlay %s", d->target,
			         d->pool, d->vol, size, d->new_vol);
		else if (d->new_vol)
			snprintf(line, sizeof line, "  %-5s %s/%s (%s disk, %s to copy) -> copy %s",
			         d->target, d->pool, d->vol, size, copy, d->new_vol);
		else
			snprintf(line, sizeof line, "  %-5s %s: in no storage pool", d->target, d->path);
		draw_text(w, (*y)++, 0, width, 0, line);
	}
}

static void
draw_fields(struct app *a, WINDOW *w, int *y)
{
	int width = getmaxx(w), sel = screen_attr(C_SELECTION);
	char line[128];

	app_form_focus(a, *y + cd->cur);
	draw_text(w, *y, 0, 16, 0, "New name");
	draw_text(w, (*y)++, 16, width - 16, cd->cur == F_NAME ? sel : (int)A_UNDERLINE, cd->name.text);
	snprintf(line, sizeof line, "(%c) full copies   (%c) linked: qcow2 overlays on the source",
	         cd->linked ? ' ' : '*', cd->linked ? '*' : ' ');
	if ((int)strlen(line) > width - 16) /* the short form, not a cut one */
		snprintf(line, sizeof line, "(%c) full  (%c) linked", cd->linked ? ' ' : '*',
		         cd->linked ? '*' : ' ');
	draw_text(w, *y, 0, 16, 0, "Disks");
	draw_text(w, (*y)++, 16, width - 16, cd->cur == F_LINKED ? sel : 0, line);
	snprintf(line, sizeof line, "[%c] start the clone", cd->start ? 'x' : ' ');
	draw_text(w, *y, 0, 16, 0, "Then");
	draw_text(w, (*y)++, 16, width - 16, cd->cur == F_START ? sel : 0, line);
}

/* "[#####     ]  52% 17.0M/32.0M" under the step. */
static void
draw_progress(WINDOW *w, int *y, const struct clone_job *j)
{
	int width = getmaxx(w), bar = width - 28, fill, i;
	char done[16], total[16], tail[64];
	double f;

	if (j->total == 0 || bar < 10 || j->copy == NULL)
		return;
	draw_text(w, (*y)++, 0, width, 0, j->copy);
	f = (double)j->done / (double)j->total;
	fill = (int)(f * bar);
	wattrset(w, screen_attr(C_GRAPH_DISK));
	mvwaddch(w, *y, 0, '[');
	for (i = 0; i < bar; i++)
		waddch(w, i < fill ? '#' : ' ');
	waddch(w, ']');
	wattrset(w, A_NORMAL);
	snprintf(tail, sizeof tail, " %3.0f%% %s/%s", 100.0 * f,
	         fmt_bytes(done, sizeof done, (double)j->done),
	         fmt_bytes(total, sizeof total, (double)j->total));
	draw_text(w, (*y)++, bar + 2, width - bar - 2, 0, tail);
}

static void
clone_draw(struct app *a, WINDOW *w)
{
	struct clone_job *j = cd ? cd->job : NULL;
	int width = getmaxx(w), y = 0;
	char line[512], *why;

	(void)a;
	if (j == NULL)
		return;
	snprintf(line, sizeof line, "Clone %s%s%s%s", cd->src, j->state >= CJ_READY ? " (" : "",
	         j->state >= CJ_READY && j->src.state ? j->src.state : "",
	         j->state >= CJ_READY ? ")" : "");
	draw_text(w, y++, 0, width, screen_attr(C_COLUMNS), line);
	if (j->state == CJ_READING || (j->state == CJ_FAILED && j->src.name == NULL)) {
		draw_text(w, 2, 0, width, j->error ? screen_attr(C_ERROR) : 0,
		          j->error ? j->error : "Reading...");
		return;
	}
	draw_hints(w, &y, screen_attr(C_DIM), "Enter or F2: clone  Space: change  "
	          "Tab/arrows: next field  Esc: cancel");
	y++;
	draw_fields(a, w, &y);
	y++;
	why = clone_plan(&j->src, cd->name.text, cd->linked);
	draw_text(w, y++, 0, width, A_BOLD, "Disks of the clone:");
	draw_disks(w, &y, &j->src);
	draw_wrapped(w, &y, screen_attr(C_DIM), cd->linked ?
	             "Linked: fast and small, but the source's disks become the clone's base: "
	             "keep the source shut off and unchanged while the clone exists." :
	             "New UUID and MAC addresses; serial log files get the new name.");
	y++;
	if (j->state == CJ_RUNNING) {
		snprintf(line, sizeof line, "Cloning: %s...", j->step ? j->step : "");
		draw_text(w, y++, 0, width, screen_attr(C_WARNING), line);
		draw_progress(w, &y, j);
	} else if (j->state == CJ_DONE) {
		draw_progress(w, &y, j);
		draw_wrapped(w, &y, 0, j->result);
		draw_text(w, y++, 0, width, screen_attr(C_DIM), "Esc: back to the list");
	} else if (j->state == CJ_FAILED && j->error) {
		draw_wrapped(w, &y, screen_attr(C_ERROR), j->error);
	} else if (why) {
		draw_wrapped(w, &y, screen_attr(C_ERROR), why);
	}
	free(why);
}

static void
start(struct app *a)
{
	struct clone_job *j = cd->job;
	enum clone_job_state st;
	char *why = NULL;

	host_lock(j->host);
	st = j->state;
	if (st == CJ_READY || st == CJ_FAILED || st == CJ_DONE)
		why = clone_plan(&j->src, cd->name.text, cd->linked);
	host_unlock(j->host);
	if (st == CJ_READING || st == CJ_RUNNING)
		app_status(a, MSG_ERROR, "Wait: %s is still being %s.", cd->src,
		           st == CJ_READING ? "read" : "cloned");
	else if (j->src.name == NULL)
		app_status(a, MSG_ERROR, "Cannot clone %s: it could not be read.", cd->src);
	else if (why)
		app_status(a, MSG_ERROR, "Cannot clone %s: %s", cd->src, why);
	else {
		clone_job_start(j, cd->name.text, cd->linked, cd->start);
		app_status(a, MSG_INFO, "Cloning %s as %s...", cd->src, cd->name.text);
	}
	free(why);
}

/* After a clone, select it in the list when the host shows it already. */
static void
land_on_clone(struct app *a)
{
	struct clone_job *j = cd->job;
	char *name = NULL;
	size_t i;

	host_lock(j->host);
	if (j->state == CJ_DONE && j->new_name)
		name = xstrdup(j->new_name);
	host_unlock(j->host);
	if (name == NULL)
		return;
	app_lock_hosts(a);
	for (i = 0; i < a->nrows; i++) {
		const struct row *r = &a->rows[i];
		if (r->vm && r->host == j->host && strcmp(r->vm->name, name) == 0) {
			a->sel_host = r->host;
			snprintf(a->sel_uuid, sizeof a->sel_uuid, "%s", r->vm->uuid);
			break;
		}
	}
	app_unlock_hosts(a);
	free(name);
}

static int
clone_key(struct app *a, enum cmd c, int key)
{
	(void)key;
	if (cd == NULL)
		return 0;
	switch (c) {
	case CMD_NEXT_FIELD:
		cd->cur = (cd->cur + 1) % NFIELDS;
		return REDRAW_BODY;
	case CMD_PREV_FIELD:
		cd->cur = (cd->cur + NFIELDS - 1) % NFIELDS;
		return REDRAW_BODY;
	case CMD_APPLY:
		start(a);
		return HANDLED;
	default:
		return 0;
	}
}

static int
clone_text(struct app *a, wint_t wc, bool is_key)
{
	enum le_result r;

	if (cd == NULL)
		return HANDLED;
	if (!is_key && (wc == '\r' || wc == '\n'))
		return command_dispatch(a, CMD_APPLY, 0);
	if (!is_key && wc == 27)
		return command_dispatch(a, CMD_BACK, 0);
	if (cd->cur != F_NAME) {
		if ((!is_key && wc == ' ') || (is_key && (wc == KEY_LEFT || wc == KEY_RIGHT))) {
			if (cd->cur == F_LINKED)
				cd->linked = !cd->linked;
			else
				cd->start = !cd->start;
		}
		return REDRAW_BODY;
	}
	r = lineedit_key(&cd->name, wc, is_key);
	if (r == LE_TAB)
		return clone_key(a, CMD_NEXT_FIELD, 0);
	return REDRAW_BODY;
}

int
clone_open(struct app *a, const struct sel_guest *g)
{
	char *def;

	cd = xcalloc(1, sizeof *cd);
	cd->src = xstrdup(g->name);
	def = xasprintf("%s-clone", g->name);
	lineedit_set(&cd->name, def);
	free(def);
	cd->job = clone_job_new(g->host, g->uuid);
	app_push_view(a, &clone_ops);
	return HANDLED;
}

const struct view_ops clone_ops = {
	.name = "clone",
	.reports = true,
	.keyview = KV_FORM,
	.tall = true,
	.leave = clone_leave,
	.draw = clone_draw,
	.key = clone_key,
	.text = clone_text,
};
