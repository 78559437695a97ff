/* job.c — applying VM definition files: the plan (or every error in the
 * files), a y to apply, progress while it runs, and the outcome; Esc goes
 * back to the list, landing on the new guest. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/hostjob.h"
#include "../tui/app.h"
#include "../tui/format.h"
#include "../tui/screen.h"

static const char *
state_line(const struct host_job *j, bool readonly)
{
	switch (j->state) {
	case JOB_PLANNING:
		return "Reading the files and the host...";
	case JOB_PLANNED:
		if (j->nerrors)
			return "The plan has errors (below): fix the file and open it again. Esc goes back.";
		if (!j->can_apply)
			return "Nothing to apply: the host already matches. Esc goes back.";
		return readonly ? "Read-only: this plan cannot be applied. Esc goes back." :
		                  "Press y to apply this plan, Esc to cancel.";
	case JOB_APPLYING:
		return "Applying...";
	case JOB_DONE:
		return "Done. Esc goes back to the list.";
	case JOB_FAILED:
		return "Failed; nothing more was changed. Esc goes back.";
	}
	return "";
}

/* A bar for the running step: "[#####     ] 52% 17.0M/32.0M". */
static void
draw_progress(WINDOW *w, int y, const struct host_job *j)
{
	int width = getmaxx(w), bar = width - 30, fill, i;
	char done[16], total[16], tail[48];

	draw_text(w, y, 0, width, screen_attr(C_NORMAL), j->step ? j->step : "");
	if (j->total == 0 || bar < 10)
		return;
	fill = (int)((double)j->done / (double)j->total * bar);
	wattrset(w, screen_attr(C_GRAPH_DISK));
	mvwaddch(w, y + 1, 0, '[');
	for (i = 0; i < bar; i++)
		waddch(w, i < fill ? '#' : ' ');
	waddch(w, ']');
	wattrset(w, A_NORMAL);
	snprintf(tail, sizeof tail, " %3.0f%% %s/%s", 100.0 * (double)j->done / (double)j->total,
	         fmt_bytes(done, sizeof done, (double)j->done),
	         fmt_bytes(total, sizeof total, (double)j->total));
	draw_text(w, y + 1, bar + 2, width - bar - 2, 0, tail);
}

static void
job_draw(struct app *a, WINDOW *w)
{
	const struct host_job *j = a->job_host ? a->job_host->job : NULL;
	int width = getmaxx(w), height = getmaxy(w), y = 2, line = 0;
	char title[512];
	const char *p, *nl;

	if (j == NULL) {
		draw_text(w, 1, 2, width - 2, screen_attr(C_DIM), "No plan. Esc goes back.");
		return;
	}
	snprintf(title, sizeof title, "Apply %s on %s", j->title, host_label(a->job_host));
	draw_text(w, 0, 0, width, screen_attr(C_COLUMNS), title);
	draw_text(w, 1, 0, width, screen_attr(j->state == JOB_FAILED ? C_ERROR : C_TITLE),
	          state_line(j, a->readonly));
	if (j->state == JOB_APPLYING) {
		draw_progress(w, 2, j);
		y = 4;
	}
	if (a->job_top < 0)
		a->job_top = 0;
	/* Long lines (errors with paths) wrap; continuation rows are indented. */
	for (p = j->text ? j->text : ""; *p && y < height; p = *nl ? nl + 1 : nl) {
		const char *q;
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		for (q = p; (q < nl || q == p) && y < height; line++) {
			int indent = q == p ? 0 : 4, n = (int)(nl - q);
			char buf[1024];
			if (n > width - indent)
				n = width - indent > 1 ? width - indent : 1;
			snprintf(buf, sizeof buf, "%*s%.*s", indent, "", n, q);
			if (line >= a->job_top)
				draw_text(w, y++, 0, width, 0, buf);
			q += n;
			if (n == 0)
				break;
		}
	}
}

/* Back to the list, selecting the first guest the job named. */
static void
leave(struct app *a)
{
	struct host *h = a->job_host;
	size_t i, k;

	app_lock_hosts(a);
	if (h && h->job && h->job->nnames > 0) {
		/* not in the table yet if the host has not refreshed since */
		snprintf(a->want_name, sizeof a->want_name, "%s", h->job->names[0]);
		a->want_host = h;
		a->want_until_ns = host_now_ns() + 10000000000ull;
	}
	for (k = 0; h && h->job && k < h->job->nnames; k++)
		for (i = 0; i < h->nvms; i++)
			if (strcmp(h->vms[i]->name, h->job->names[k]) == 0) {
				a->sel_host = h;
				snprintf(a->sel_uuid, sizeof a->sel_uuid, "%s", h->vms[i]->uuid);
				a->want_name[0] = '\0';
				k = h->job->nnames;
				break;
			}
	app_unlock_hosts(a);
	if (h)
		hostjob_discard(h);
	a->job_host = NULL;
	app_set_view(a, &vmlist_ops);
}

static int
job_key(struct app *a, enum cmd c, int key)
{
	struct host *h = a->job_host;
	bool running = false, can = false;

	(void)key;
	if (h) {
		host_lock(h);
		running = h->job && (h->job->state == JOB_PLANNING || h->job->state == JOB_APPLYING);
		can = h->job && h->job->state == JOB_PLANNED && h->job->can_apply;
		host_unlock(h);
	}
	switch (c) {
	case CMD_APPLY:
		if (a->readonly)
			app_status(a, MSG_ERROR, "Cannot apply: vmtui runs read-only (-r).");
		else if (!can)
			app_status(a, MSG_ERROR, "There is no plan to apply here.");
		else
			hostjob_apply(h);
		return HANDLED;
	case CMD_BACK:
		if (running) {
			app_status(a, MSG_INFO, "Still working; it goes on in the background.");
			a->job_host = NULL;
			app_set_view(a, &vmlist_ops);
			return HANDLED;
		}
		leave(a);
		return HANDLED;
	case CMD_UP:
		a->job_top--;
		return REDRAW_BODY;
	case CMD_DOWN:
		a->job_top++;
		return REDRAW_BODY;
	case CMD_PAGE_UP:
		a->job_top -= getmaxy(a->body) - 3;
		return REDRAW_BODY;
	case CMD_PAGE_DOWN:
		a->job_top += getmaxy(a->body) - 3;
		return REDRAW_BODY;
	case CMD_HOME:
		a->job_top = 0;
		return REDRAW_BODY;
	default:
		return 0;
	}
}

static void
job_enter(struct app *a)
{
	a->job_top = 0;
}

const struct view_ops job_ops = {
	.name = "apply",
	.keyview = KV_JOB,
	.enter = job_enter,
	.draw = job_draw,
	.key = job_key,
};
