/* hostjob.c — plan and apply VM definition files on a host's worker. */
#include "hostjob.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../config/vmdef.h"
#include "../base/msglog.h"
#include "../base/notify.h"
#include "../base/xmalloc.h"
#include "../defs/apply.h"
#include "../defs/osdefaults.h"
#include "../defs/plan.h"

/* What only the worker touches while the job runs. */
struct job_priv {
	char **paths;
	size_t npaths;
	struct vmdef_file defs;
	struct plan plan;
	bool have_plan;
	bool running;      /* a call is queued or on the worker */
	bool discard;      /* forget the job when the call ends */
};

/* Replace a string field. Host lock held. */
static void
set_str(char **field, const char *s)
{
	free(*field);
	*field = s ? xstrdup(s) : NULL;
}

/* Record a change the UI should draw. Host lock held. */
static void
job_changed(struct host *h)
{
	host_assert_locked(h);
	h->generation++;
	notify_post();
}

static void
priv_clear(struct job_priv *p)
{
	size_t i;

	for (i = 0; i < p->npaths; i++)
		free(p->paths[i]);
	free(p->paths);
	p->paths = NULL;
	p->npaths = 0;
	if (p->have_plan)
		plan_free(&p->plan);
	p->have_plan = false;
	vmdef_file_free(&p->defs);
	memset(&p->defs, 0, sizeof p->defs);
}

void
hostjob_free(struct host_job *j)
{
	size_t i;

	if (j == NULL)
		return;
	if (j->priv)
		priv_clear(j->priv);
	free(j->priv);
	free(j->title);
	free(j->text);
	free(j->step);
	for (i = 0; i < j->nnames; i++)
		free(j->names[i]);
	free(j->names);
	free(j);
}

/* Read every file; all their errors, one per line. NULL when none. */
static char *
load_all(struct job_priv *p)
{
	struct config_errors errs = { 0 };
	size_t i;
	char *body, *text = NULL;

	for (i = 0; i < p->npaths; i++)
		vmdef_load(&p->defs, p->paths[i], &errs);
	if (errs.n == 0)
		osdefaults_fill(&p->defs, &errs);
	body = config_errors_text(&errs);
	if (errs.n)
		text = xasprintf("%zu error%s; nothing was changed.\n%s", errs.n,
		                 errs.n == 1 ? "" : "s", body);
	free(body);
	config_errors_free(&errs);
	return text;
}

/* The names of the VMs planned, to land on after apply. Only for files
 * that parsed without an error: a VM of a file with errors may have no
 * name at all. Host lock held. */
static void
copy_names(struct host_job *j, const struct vmdef_file *defs)
{
	size_t i;

	for (i = 0; i < defs->nvms; i++) {
		if (defs->vms[i].name == NULL)
			continue;
		j->names = xreallocarray(j->names, j->nnames + 1, sizeof *j->names);
		j->names[j->nnames++] = xstrdup(defs->vms[i].name);
	}
}

/* On the worker: read the files and plan them against the host. */
static void
do_plan(struct host *h, virConnectPtr conn, void *arg)
{
	struct host_job *j = arg;
	struct job_priv *p = j->priv;
	char *errors = NULL, *text = NULL, *err = NULL;
	enum job_state st = JOB_FAILED;
	bool can = false;
	size_t nerrors = 0;

	if (conn == NULL) {
		text = xasprintf("%s is not connected; nothing was planned.", host_label(h));
	} else if ((errors = load_all(p)) != NULL) {
		text = errors;
		errors = NULL;
	} else if (plan_make(conn, &p->defs, &p->plan, &err) < 0) {
		p->have_plan = true;
		text = xasprintf("Cannot plan on %s: %s", host_label(h), err);
	} else {
		p->have_plan = true;
		text = plan_render(&p->plan);
		can = p->plan.nerrors == 0 && plan_has_work(&p->plan);
		nerrors = p->plan.nerrors;
		st = JOB_PLANNED;
	}
	host_lock(h);
	p->running = false;
	if (p->discard) {
		host_unlock(h);
		hostjob_free(j);
		free(text);
		free(err);
		return;
	}
	j->state = st;
	set_str(&j->text, text);
	j->can_apply = can;
	j->nerrors = nerrors;
	if (st == JOB_PLANNED)
		copy_names(j, &p->defs);
	job_changed(h);
	host_unlock(h);
	free(text);
	free(err);
}

bool
hostjob_plan(struct host *h, char *const *paths, size_t n, const char **why)
{
	struct host_job *j;
	size_t i, len = 0;

	host_lock(h);
	if (h->job && h->job->priv->running) {
		host_unlock(h);
		*why = "a plan or apply is still running on this host";
		return false;
	}
	if (h->job)
		hostjob_free(h->job);
	j = h->job = xcalloc(1, sizeof *j);
	j->priv = xcalloc(1, sizeof *j->priv);
	j->state = JOB_PLANNING;
	j->priv->running = true;
	j->priv->paths = xcalloc(n ? n : 1, sizeof *j->priv->paths);
	for (i = 0; i < n; i++) {
		j->priv->paths[i] = xstrdup(paths[i]);
		len += strlen(paths[i]) + 1;
	}
	j->priv->npaths = n;
	j->title = xcalloc(len + 1, 1);
	for (i = 0; i < n; i++)
		strcat(strcat(j->title, i ? " " : ""), paths[i]);
	job_changed(h);
	host_unlock(h);
	host_call(h, do_plan, j);
	return true;
}

struct progress_ctx {
	struct host *h;
	struct host_job *j;
};

/* apply's progress, on the worker: publish it for the UI. */
static void
on_progress(const struct apply_progress *pr, void *opaque)
{
	struct progress_ctx *c = opaque;

	host_lock(c->h);
	if (pr->phase == APPLY_NOTE) {
		char *t = xasprintf("%s%s: %s\n", c->j->text ? c->j->text : "", pr->vm, pr->step);
		free(c->j->text);
		c->j->text = t;
	} else {
		char *s = xasprintf("%s: %s", pr->vm, pr->step);
		free(c->j->step);
		c->j->step = s;
		c->j->done = pr->done;
		c->j->total = pr->total;
	}
	job_changed(c->h);
	host_unlock(c->h);
}

/* On the worker: carry out the plan. */
static void
do_apply(struct host *h, virConnectPtr conn, void *arg)
{
	struct host_job *j = arg;
	struct progress_ctx ctx = { h, j };
	char *err = NULL, *text, *said;
	int rc = -1;

	if (conn == NULL)
		err = xasprintf("%s is not connected; nothing was applied.", host_label(h));
	else
		rc = apply_run(conn, &j->priv->plan, on_progress, &ctx, &err);
	host_lock(h);
	j->priv->running = false;
	if (j->priv->discard) {
		host_unlock(h);
		hostjob_free(j);
		free(err);
		host_refresh_now(h);
		return;
	}
	if (rc == 0)
		text = xasprintf("%sApplied %s to %s.\n", j->text ? j->text : "", j->title,
		                 host_label(h));
	else
		text = xasprintf("%sApply failed: %s\n", j->text ? j->text : "", err);
	free(j->text);
	j->text = text;
	j->state = rc == 0 ? JOB_DONE : JOB_FAILED;
	set_str(&j->step, NULL);
	/* Said under the lock: once it is dropped the UI may free the job
	 * (hostjob_plan replaces a finished one). */
	said = rc == 0 ? xasprintf("Applied %s to %s.", j->title, host_label(h))
	               : xasprintf("Apply of %s failed: %s", j->title, err);
	job_changed(h);
	host_unlock(h);
	msglog_add(rc == 0 ? MSG_INFO : MSG_ERROR, "%s", said);
	free(said);
	free(err);
	host_refresh_now(h);
}

void
hostjob_apply(struct host *h)
{
	struct host_job *j;

	host_lock(h);
	j = h->job;
	if (j == NULL || j->state != JOB_PLANNED || !j->can_apply || j->priv->running) {
		host_unlock(h);
		return;
	}
	j->state = JOB_APPLYING;
	j->priv->running = true;
	set_str(&j->text, "");
	job_changed(h);
	host_unlock(h);
	host_call(h, do_apply, j);
}

void
hostjob_discard(struct host *h)
{
	host_lock(h);
	if (h->job && h->job->priv->running) {
		/* The worker frees it when its call returns. */
		h->job->priv->discard = true;
		h->job = NULL;
	} else if (h->job) {
		hostjob_free(h->job);
		h->job = NULL;
	}
	job_changed(h);
	host_unlock(h);
}
