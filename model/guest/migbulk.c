/* migbulk.c — migrating one guest as a bulk run's item (model/guest/bulk.h):
 * the marked guests moved to one target, each on a thread of the run with
 * the source connection it gives and a target connection of its own.
 * Kept apart from migrate.c so that what links migrate.o alone needs no
 * bulk scheduler. */
#include "migrate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/xmalloc.h"
#include "../host/lvutil.h"

struct mig_bulk_arg *
mig_bulk_arg_new(const char *target_uri, const char *target_label, const char *virsh_target,
                 const struct mig_opts *o)
{
	struct mig_bulk_arg *a = xcalloc(1, sizeof(*a));

	a->target_uri = xstrdup(target_uri);
	a->target_label = xstrdup(target_label ? target_label : target_uri);
	a->virsh_target = xstrdup(virsh_target ? virsh_target : target_uri);
	a->opts = *o;
	a->opts.p2p_uri = o->p2p_uri ? xstrdup(o->p2p_uri) : NULL;
	a->opts.migrate_uri = o->migrate_uri ? xstrdup(o->migrate_uri) : NULL;
	return a;
}

void
mig_bulk_arg_free(void *arg)
{
	struct mig_bulk_arg *a = arg;

	if (a == NULL)
		return;
	free(a->target_uri);
	free(a->target_label);
	free(a->virsh_target);
	free((char *)a->opts.p2p_uri);
	free((char *)a->opts.migrate_uri);
	free(a);
}

/* The step shown in the run's list: the progress line. */
static void
bulk_progress(void *opaque, const struct mig_progress *p)
{
	char buf[200];

	mig_progress_line(p, buf, sizeof(buf));
	bulk_step(opaque, "%s", buf);
}

static bool
bulk_cancelled(void *opaque)
{
	return bulk_ctx_cancelled(opaque);
}

/* A bulk_fn (arg: struct mig_bulk_arg): the pre-flight, refused with its
 * failures, then the migration, aborted when the run is cancelled. */
enum bulk_status
mig_bulk_fn(struct bulk_ctx *ctx, void *arg, char **msg, char **virsh)
{
	struct mig_bulk_arg *a = arg;
	const struct bulk_item *it = bulk_ctx_item(ctx);
	const struct bulk_host *h = bulk_ctx_host(ctx);
	virConnectPtr src = bulk_ctx_conn(ctx), dst;
	struct mig_facts f = { 0 };
	struct mig_plan plan = { 0 };
	struct mig_watch w = { .progress = bulk_progress, .cancelled = bulk_cancelled,
	                       .opaque = ctx };
	struct mig_opts o = a->opts;
	char *err = NULL, *dst_err = NULL;
	enum mig_outcome out;

	*virsh = NULL;
	bulk_step(ctx, "pre-flight");
	if ((dst = lv_open(a->target_uri, false, NULL)) == NULL) {
		char *e = lv_err_line();
		dst_err = xasprintf("cannot connect to %s: %s", a->target_label, e);
		free(e);
	}
	if (mig_facts_gather(src, dst, dst_err, a->target_label, it->uuid, &f, &err) < 0) {
		*msg = err;
		goto fail;
	}
	mig_plan_build(&f, &o, &plan);
	if (mig_plan_worst(&plan) == MIG_FAIL) {
		char *t = mig_plan_text(&plan);
		*msg = xasprintf("Pre-flight refused the migration of %s to %s; nothing changed:\n%s",
		                 it->name, a->target_label, t);
		free(t);
		goto fail;
	}
	o.mode = plan.mode;
	atomic_init(&w.cancel, false);
	out = mig_run(src, dst, it->uuid, &o, h->virsh_uri, a->virsh_target, &w, msg, virsh);
	mig_facts_clear(&f);
	mig_plan_clear(&plan);
	free(dst_err);
	if (dst)
		virConnectClose(dst);
	return out == MIG_DONE ? BULK_OK : BULK_FAILED;
fail:
	mig_facts_clear(&f);
	mig_plan_clear(&plan);
	free(dst_err);
	if (dst)
		virConnectClose(dst);
	return BULK_FAILED;
}
