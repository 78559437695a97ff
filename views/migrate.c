/* migrate.c — the migrate dialog (M): the target among the other hosts
 * shown, the mode, shared or copied disks, whether the source keeps the
 * definition; Enter runs the pre-flight and shows its plan (each check,
 * the fix under a failure), Enter again migrates, with the job's progress
 * (data, dirty rate, expected downtime) and the outcome; the row moves
 * to the target host. Esc cancels a pre-flight or a migration still
 * running (the guest stays on the source) and goes back. The work is
 * model/guest/migrate.h's job, on a thread and connections of its own. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/base/xmalloc.h"
#include "../model/guest/migrate.h"
#include "../tui/screen.h"
#include "views.h"

enum { F_TARGET, F_MODE, F_DISKS, F_KEEP, NFIELDS };

static const enum mig_mode modes[] = { MIG_AUTO, MIG_LIVE, MIG_PAUSED, MIG_OFFLINE };
#define NMODES (sizeof modes / sizeof modes[0])

struct migdlg {
	struct host *src;
	char uuid[VM_UUID_LEN];
	char name[256];
	struct host **targets; /* the other hosts */
	size_t ntargets, target;
	size_t mode;
	bool copy, keep;
	int cur;
	struct mig_job *job;
};

static struct migdlg *md;

/* After a migration, the list lands on the guest on its new host. */
static void
land_on_target(struct app *a, struct host *dst)
{
	size_t i;

	app_lock_hosts(a);
	for (i = 0; i < a->nrows; i++) {
		const struct row *r = &a->rows[i];
		if (r->vm && r->host == dst && strcmp(r->vm->uuid, md->uuid) == 0) {
			a->sel_host = dst;
			snprintf(a->sel_uuid, sizeof a->sel_uuid, "%s", md->uuid);
			break;
		}
	}
	app_unlock_hosts(a);
}

static void
migrate_leave(struct app *a)
{
	struct mig_job *j;
	enum mig_job_state st;
	enum mig_outcome out;

	if (md == NULL)
		return;
	if ((j = md->job) != NULL) {
		host_lock(j->src);
		st = j->state;
		out = j->outcome;
		host_unlock(j->src);
		if (st == MJ_RUNNING)
			app_status(a, MSG_INFO, "Cancelling the migration of %s: it stays on %s.",
			           md->name, host_label(md->src));
		else if (st == MJ_ENDED && out == MIG_DONE)
			land_on_target(a, j->dst);
		mig_job_release(j);
	}
	free(md->targets);
	free(md);
	md = NULL;
}

/* The job no longer fits the fields: a new pre-flight is needed. */
static void
drop_plan(void)
{
	if (md->job == NULL)
		return;
	host_lock(md->job->src);
	if (md->job->state == MJ_RUNNING || (md->job->state == MJ_ENDED &&
	                                     md->job->outcome == MIG_DONE)) {
		host_unlock(md->job->src);
		return;
	}
	host_unlock(md->job->src);
	mig_job_release(md->job);
	md->job = NULL;
}

static void
draw_fields(struct app *a, WINDOW *w, int *y)
{
	int width = getmaxx(w), sel = screen_attr(C_SELECTION);
	char line[256];
	const char *mode;

	app_form_focus(a, *y + md->cur);
	snprintf(line, sizeof line, "< %s >  (%zu of %zu other hosts)",
	         host_label(md->targets[md->target]), md->target + 1, md->ntargets);
	draw_text(w, *y, 0, 10, 0, "Target");
	draw_text(w, (*y)++, 10, width - 10, md->cur == F_TARGET ? sel : 0, line);
	switch (modes[md->mode]) {
	case MIG_LIVE: mode = "live: it keeps running, a short pause at the end"; break;
	case MIG_PAUSED: mode = "paused while its memory is copied (always converges)"; break;
	case MIG_OFFLINE: mode = "offline: a shut-off guest's definition"; break;
	default: mode = "auto: live when running, offline when shut off"; break;
	}
	snprintf(line, sizeof line, "< %s >", mode);
	draw_text(w, *y, 0, 10, 0, "Mode");
	draw_text(w, (*y)++, 10, width - 10, md->cur == F_MODE ? sel : 0, line);
	snprintf(line, sizeof line, "(%c) shared storage   (%c) copy to the target's pools",
	         md->copy ? ' ' : '*', md->copy ? '*' : ' ');
	draw_text(w, *y, 0, 10, 0, "Disks");
	draw_text(w, (*y)++, 10, width - 10, md->cur == F_DISKS ? sel : 0, line);
	snprintf(line, sizeof line, "[%c] keep its definition on the source", md->keep ? 'x' : ' ');
	draw_text(w, *y, 0, 10, 0, "Source");
	draw_text(w, (*y)++, 10, width - 10, md->cur == F_KEEP ? sel : 0, line);
}

/* The plan's lines, coloured by level, the fix under each failure. */
static void
draw_plan(WINDOW *w, int *y, const struct mig_plan *p)
{
	int width = getmaxx(w);
	char line[1024];
	size_t i;

	draw_text(w, (*y)++, 0, width, A_BOLD, "Pre-flight:");
	for (i = 0; i < p->n && *y < getmaxy(w); i++) {
		const struct mig_line *l = &p->v[i];
		int attr = l->level == MIG_FAIL ? screen_attr(C_ERROR)
		         : l->level == MIG_WARN ? screen_attr(C_WARNING) : 0;
		snprintf(line, sizeof line, "  %-4s  %s: %s", mig_level_name(l->level), l->what,
		         l->detail);
		draw_text(w, (*y)++, 0, width, attr, line);
		if (l->fix && l->level != MIG_OK) {
			snprintf(line, sizeof line, "        fix: %s", l->fix);
			draw_text(w, (*y)++, 0, width, screen_attr(C_DIM), line);
		}
	}
}

/* The job's part under the fields (src's lock held: the loop's, while drawing). */
static void
draw_job(WINDOW *w, int *y, const struct mig_job *j)
{
	int width = getmaxx(w);
	enum mig_level worst;

	if (j->state == MJ_CHECKING) {
		draw_text(w, (*y)++, 0, width, screen_attr(C_WARNING), "Pre-flight: asking both hosts...");
		return;
	}
	if (j->error) {
		draw_wrapped(w, y, screen_attr(C_ERROR), j->error);
		return;
	}
	draw_plan(w, y, &j->plan);
	(*y)++;
	worst = mig_plan_worst(&j->plan);
	if (j->state == MJ_PLANNED) {
		draw_wrapped(w, y, worst == MIG_FAIL ? screen_attr(C_ERROR) : (int)A_BOLD,
		             worst == MIG_FAIL ? "The pre-flight failed: nothing was changed. Fix "
		             "what it says, then Enter checks again."
		             : "Enter: migrate now   Esc: back, nothing changed");
	} else if (j->state == MJ_RUNNING) {
		char line[320];
		snprintf(line, sizeof line, "Migrating %s: %s", mig_mode_name(j->plan.mode),
		         j->progline[0] ? j->progline : "starting...");
		draw_text(w, (*y)++, 0, width, screen_attr(C_WARNING), line);
		draw_text(w, (*y)++, 0, width, screen_attr(C_DIM),
		          "Esc: cancel (the guest stays on the source)");
	} else if (j->msg) {
		draw_wrapped(w, y, j->outcome == MIG_FAILED ? screen_attr(C_ERROR) : 0, j->msg);
		draw_text(w, (*y)++, 0, width, screen_attr(C_DIM), "Esc: back to the list");
	}
}

static void
migrate_draw(struct app *a, WINDOW *w)
{
	int width = getmaxx(w), y = 0;
	char line[512];

	if (md == NULL)
		return;
	snprintf(line, sizeof line, "Migrate %s from %s", md->name, host_label(md->src));
	draw_text(w, y++, 0, width, screen_attr(C_COLUMNS), line);
	draw_text(w, y++, 0, width, screen_attr(C_DIM), "Enter: pre-flight, then migrate  "
	          "Space/arrows: change  Tab: next field  Esc: back");
	y++;
	draw_fields(a, w, &y);
	draw_wrapped(w, &y, screen_attr(C_DIM),
	             "The guest's memory and disks go from the source host straight to the "
	             "target (its hostname, TCP ports 49152-49215), also when vmtui reaches the "
	             "hosts over SSH: the source must reach the target.");
	y++;
	if (md->job) /* the loop holds every host's lock while views draw */
		draw_job(w, &y, md->job);
}

static void
start_or_go(struct app *a)
{
	struct mig_job *j = md->job;
	struct mig_opts o = { .mode = modes[md->mode], .copy_storage = md->copy,
	                      .keep_source = md->keep };
	enum mig_job_state st = MJ_ENDED;
	enum mig_level worst = MIG_OK;
	enum mig_outcome out = MIG_FAILED;

	if (j) {
		host_lock(j->src);
		st = j->state;
		out = j->outcome;
		if (st >= MJ_PLANNED && j->error == NULL)
			worst = mig_plan_worst(&j->plan);
		host_unlock(j->src);
	}
	if (j && st == MJ_CHECKING) {
		app_status(a, MSG_ERROR, "Wait: the pre-flight of %s is running.", md->name);
	} else if (j && st == MJ_RUNNING) {
		app_status(a, MSG_ERROR, "%s is migrating; Esc cancels it.", md->name);
	} else if (j && st == MJ_ENDED && out == MIG_DONE) {
		app_status(a, MSG_INFO, "%s is on %s now.", md->name, host_label(j->dst));
	} else if (j && st == MJ_PLANNED && worst != MIG_FAIL) {
		mig_job_go(j);
		app_status(a, MSG_INFO, "Migrating %s to %s...", md->name, host_label(j->dst));
	} else {
		mig_job_release(j);
		md->job = mig_job_start(md->src, md->targets[md->target], md->uuid, md->name, &o);
	}
}

/* Space or an arrow on a field: its next (or previous) value. */
static void
change(int dir)
{
	drop_plan();
	if (md->job)
		return; /* running or done: the fields stay as they were */
	switch (md->cur) {
	case F_TARGET:
		md->target = (md->target + md->ntargets + (size_t)(dir > 0 ? 1 : md->ntargets - 1)) %
		             md->ntargets;
		break;
	case F_MODE:
		md->mode = (md->mode + (dir > 0 ? 1 : NMODES - 1)) % NMODES;
		break;
	case F_DISKS:
		md->copy = !md->copy;
		break;
	default:
		md->keep = !md->keep;
		break;
	}
}

static int
migrate_key(struct app *a, enum cmd c, int key)
{
	(void)key;
	if (md == NULL)
		return 0;
	switch (c) {
	case CMD_NEXT_FIELD:
		md->cur = (md->cur + 1) % NFIELDS;
		return REDRAW_BODY;
	case CMD_PREV_FIELD:
		md->cur = (md->cur + NFIELDS - 1) % NFIELDS;
		return REDRAW_BODY;
	case CMD_APPLY:
		start_or_go(a);
		return REDRAW_BODY;
	default:
		return 0;
	}
}

static int
migrate_text(struct app *a, wint_t wc, bool is_key)
{
	if (md == NULL)
		return HANDLED;
	if (!is_key && (wc == '\r' || wc == '\n'))
		return command_dispatch(a, CMD_APPLY, 0);
	if (!is_key && wc == 27)
		return command_dispatch(a, CMD_BACK, 0);
	if (!is_key && wc == '\t')
		return migrate_key(a, CMD_NEXT_FIELD, 0);
	if (is_key && (wc == KEY_DOWN || wc == KEY_UP))
		return migrate_key(a, wc == KEY_DOWN ? CMD_NEXT_FIELD : CMD_PREV_FIELD, 0);
	if ((!is_key && wc == ' ') || (is_key && wc == KEY_RIGHT))
		change(1);
	else if (is_key && wc == KEY_LEFT)
		change(-1);
	return REDRAW_BODY;
}

int
migrate_open(struct app *a, const struct sel_guest *g)
{
	size_t i;

	if (a->nhosts < 2) {
		app_status(a, MSG_ERROR, "Cannot migrate %s: vmtui shows no other host. Add the "
		           "target with -c URI or -H HOST, or to hosts: in config.yaml.", g->name);
		return HANDLED;
	}
	md = xcalloc(1, sizeof *md);
	md->src = g->host;
	snprintf(md->uuid, sizeof md->uuid, "%s", g->uuid);
	snprintf(md->name, sizeof md->name, "%s", g->name);
	md->targets = xcalloc(a->nhosts, sizeof *md->targets);
	for (i = 0; i < a->nhosts; i++)
		if (a->hosts[i] != g->host)
			md->targets[md->ntargets++] = a->hosts[i];
	app_push_view(a, &migrate_ops);
	return HANDLED;
}

const struct view_ops migrate_ops = {
	.name = "migrate",
	.reports = true,
	.keyview = KV_FORM,
	.tall = true,
	.leave = migrate_leave,
	.draw = migrate_draw,
	.key = migrate_key,
	.text = migrate_text,
};
