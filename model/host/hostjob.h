/* hostjob.h — applying VM definition files to a host from the TUI: read
 * and plan on the host's worker, show the plan, apply it with progress.
 * One job per host at a time. The UI reads struct host_job under the host
 * lock; the worker fills it. */
#ifndef VMTUI_HOSTJOB_H
#define VMTUI_HOSTJOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "host.h"

enum job_state {
	JOB_PLANNING,  /* reading the files and the host */
	JOB_PLANNED,   /* text holds the plan; can_apply says if y may go on */
	JOB_APPLYING,  /* step, done and total move */
	JOB_DONE,      /* text holds what was done */
	JOB_FAILED,    /* text holds every error */
};

struct host_job {
	enum job_state state;
	char *title;        /* the file names */
	char *text;         /* plan, errors or result, several lines */
	bool can_apply;     /* planned, no errors, something to do */
	size_t nerrors;     /* problems that make apply refuse the plan */
	char *step;         /* what apply is doing now */
	uint64_t done, total; /* progress of the step, bytes (total 0: unknown) */
	char **names;       /* the VMs of the files, to land on after apply */
	size_t nnames;
	struct job_priv *priv;
};

/* Start a job on h for these files (replacing a finished one). Returns
 * false, with the reason in *why, when a job is still running. */
bool hostjob_plan(struct host *h, char *const *paths, size_t n, const char **why);
/* Apply the plan shown (state JOB_PLANNED with can_apply). */
void hostjob_apply(struct host *h);
/* Forget a job that is not running. */
void hostjob_discard(struct host *h);
void hostjob_free(struct host_job *j);

#endif
