/* job.c — applying VM definition files: the plan (or every error in the
 * files), a y to apply, progress while it runs, and the outcome; Esc goes
 * back to the list, landing on the new guest. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/host/hostjob.h"
#include "../tui/format.h"
#include "../tui/screen.h"
#include "../tui/scroll.h"
#include "views.h"

/* The view's own state: where the plan/apply runs, how it is scrolled. */
static struct host *job_host;
static struct scroller job_scroll;

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
	const struct host_job *j = job_host ? job_host->job : NULL;
	int width = getmaxx(w), height = getmaxy(w), y = 2, line = 0, first;
	char title[512];
	const char *p, *nl;

	if (j == NULL) {
		draw_text(w, 1, 2, width - 2, screen_attr(C_DIM), "No plan. Esc goes back.");
		return;
	}
	snprintf(title, sizeof title, "Apply %s on %s", j->title, host_label(job_host));
	draw_text(w, 0, 0, width, screen_attr(C_COLUMNS), title);
	draw_text(w, 1, 0, width, screen_attr(j->state == JOB_FAILED ? C_ERROR : C_TITLE),
	          state_line(j, a->readonly));
	if (j->state == JOB_APPLYING) {
		draw_progress(w, 2, j);
		y = 4;
	}
	first = y;
	/* Long lines (errors with paths) wrap; continuation rows are indented. */
	for (p = j->text ? j->text : ""; *p; p = *nl ? nl + 1 : nl) {
		const char *q;
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		for (q = p; q < nl || q == p; line++) {
			int indent = q == p ? 0 : 4, n = (int)(nl - q);
			char buf[1024];
			if (n > width - indent)
				n = width - indent > 1 ? width - indent : 1;
			snprintf(buf, sizeof buf, "%*s%.*s", indent, "", n, q);
			if (line >= job_scroll.top && y < height)
				draw_text(w, y++, 0, width, 0, buf);
			q += n;
			if (n == 0)
				break;
		}
	}
	scroll_fit(&job_scroll, line, height - first);
}

/* Popped: a job still running goes on in the background; a finished one
 * is dropped, and the list lands on the first guest it named. */
static void
job_leave(struct app *a)
{
	struct host *h = job_host;
	bool running;
	size_t i, k;

	job_host = NULL;
	if (h == NULL)
		return;
	host_lock(h);
	running = h->job && (h->job->state == JOB_PLANNING || h->job->state == JOB_APPLYING);
	host_unlock(h);
	if (running) {
		app_status(a, MSG_INFO, "Still working; it goes on in the background.");
		return;
	}
	app_lock_hosts(a);
	if (h->job && h->job->nnames > 0) {
		/* not in the table yet if the host has not refreshed since */
		snprintf(a->want_name, sizeof a->want_name, "%s", h->job->names[0]);
		a->want_host = h;
		a->want_until_ns = host_now_ns() + 10000000000ull;
	}
	for (k = 0; h->job && k < h->job->nnames; k++)
		for (i = 0; i < h->nvms; i++)
			if (strcmp(h->vms[i]->name, h->job->names[k]) == 0) {
				a->sel_host = h;
				snprintf(a->sel_uuid, sizeof a->sel_uuid, "%s", h->vms[i]->uuid);
				a->want_name[0] = '\0';
				k = h->job->nnames;
				break;
			}
	app_unlock_hosts(a);
	hostjob_discard(h);
}

/* Is there a plan without errors to apply? */
static bool
job_can_apply(void)
{
	struct host *h = job_host;
	bool can = false;

	if (h) {
		host_lock(h);
		can = h->job && h->job->state == JOB_PLANNED && h->job->can_apply &&
		      h->job->nerrors == 0;
		host_unlock(h);
	}
	return can;
}

static bool
job_offers(const struct app *a, enum cmd c)
{
	(void)a;
	return c != CMD_APPLY || job_can_apply();
}

static int
job_key(struct app *a, enum cmd c, int key)
{
	struct host *h = job_host;
	bool can;

	(void)key;
	if (c == CMD_APPLY) {
		can = job_can_apply();
		if (!can) {
			const char *why = "There is no plan to apply here.";
			if (h) {
				host_lock(h);
				if (h->job && (h->job->nerrors || h->job->state == JOB_FAILED))
					why = "Cannot apply: the plan has errors; fix the file and open it again.";
				else if (h->job && h->job->state == JOB_PLANNED && !h->job->can_apply)
					why = "Nothing to apply: the host already matches.";
				host_unlock(h);
			}
			app_status(a, MSG_ERROR, "%s", why);
		}
		else
			hostjob_apply(h);
		return HANDLED;
	}
	return scroll_cmd(&job_scroll, c) ? REDRAW_BODY : 0;
}

void
job_open(struct app *a, struct host *h, char *const *paths, size_t n)
{
	const char *why;

	if (!hostjob_plan(h, paths, n, &why)) {
		app_status(a, MSG_ERROR, "Cannot plan now: %s.", why);
		return;
	}
	job_host = h;
	scroll_init(&job_scroll, false);
	app_push_view(a, &job_ops);
}

const struct view_ops job_ops = {
	.name = "apply",
	.reports = true,
	.keyview = KV_JOB,
	.leave = job_leave,
	.draw = job_draw,
	.key = job_key,
	.offers = job_offers,
};
