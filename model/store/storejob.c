/* storejob.c — the storage views' reads and operations, run on the host's
 * worker and handed back under its lock. */
#include "storejob.h"

#include <stdlib.h>
#include <string.h>

#include "../base/msglog.h"
#include "../base/xmalloc.h"

enum call_kind { CALL_READ, CALL_POOL, CALL_CREATE, CALL_VOL };

struct store_call {
	struct store_job *job;
	enum call_kind kind;
	bool refresh;
	char *pool;
	enum pool_op pop;
	struct pooldef *def;
	struct vol_req vr;
	char *vname, *vformat, *vbacking, *vnew;
};

static void
call_free(struct store_call *c)
{
	free(c->pool);
	free(c->vname);
	free(c->vformat);
	free(c->vbacking);
	free(c->vnew);
	if (c->def) {
		pooldef_free(c->def);
		free(c->def);
	}
	free(c);
}

/* Run the call's operation; its error, or NULL with *result set. */
static char *
run_op(struct host *h, virConnectPtr conn, struct store_call *c, char **result)
{
	char *err = NULL, *uri = host_virsh_uri(h);

	switch (c->kind) {
	case CALL_POOL:
		pool_op_run(conn, uri, c->pool, c->pop, true, result, &err);
		break;
	case CALL_CREATE:
		pool_create(conn, uri, c->def, true, result, &err);
		break;
	case CALL_VOL:
		vol_op_run(conn, uri, &c->vr, true, result, &err);
		break;
	default:
		break;
	}
	free(uri);
	return err;
}

static void
job_work(struct host *h, virConnectPtr conn, void *arg)
{
	struct store_call *c = arg;
	struct store_job *j = c->job;
	struct store_pools pools;
	struct store_vols vols = { 0 };
	struct guest_uses g;
	char *err = NULL, *result = NULL, *perr = NULL, *verr = NULL, *vp = NULL, *gerr = NULL;
	bool pools_ok, vols_read = false;

	if (conn == NULL) {
		err = host_not_connected(h);
		host_lock(h);
		free(j->error);
		j->error = err;
		j->busy = false;
		host_publish_unlock(h);
		goto cleanup;
	}
	if (c->kind != CALL_READ)
		err = run_op(h, conn, c, &result);
	if (result)
		msglog_add(MSG_INFO, "%s", result);
	/* The guests once, for the pools and the volumes shown. */
	if (guest_uses_read(conn, &g, &gerr) < 0) {
		memset(&g, 0, sizeof g);
		free(gerr);
	}
	host_lock(h);
	vp = j->vols_pool ? xstrdup(j->vols_pool) : NULL;
	host_unlock(h);
	if (vp) { /* first: its refresh shows in the pool's sizes */
		vols_read = true;
		store_vols_read_uses(conn, vp, c->refresh, &g, &vols, &verr);
	}
	pools_ok = store_pools_read_uses(conn, &g, &pools, &perr) == 0;
	guest_uses_free(&g);
	host_lock(h);
	if (pools_ok) {
		store_pools_free(&j->pools);
		j->pools = pools;
		j->reads++;
	}
	if (vols_read) {
		store_vols_free(&j->vols);
		j->vols = vols;
		if (j->vols.pool == NULL)
			j->vols.pool = xstrdup(vp);
		free(j->vols_error);
		j->vols_error = verr;
		verr = NULL;
		j->vol_reads++;
	}
	if (err == NULL && !pools_ok) {
		err = perr;
		perr = NULL;
	}
	free(j->error);
	j->error = err;
	if (result || err) {
		free(j->result);
		j->result = result;
	}
	j->busy = false;
	host_publish_unlock(h);

cleanup:
	free(perr);
	free(verr);
	free(vp);
	call_free(c);
	store_job_release(j);
}

/* Queue c on the job's host. */
static void
queue(struct store_job *j, struct store_call *c)
{
	c->job = j;
	host_lock(j->host);
	j->refs++;
	j->busy = true;
	if (c->kind != CALL_READ) {
		free(j->error);
		j->error = NULL;
		free(j->result);
		j->result = NULL;
	}
	host_unlock(j->host);
	host_call(j->host, job_work, c);
}

struct store_job *
store_job_new(struct host *h)
{
	struct store_job *j = xcalloc(1, sizeof *j);

	j->host = h;
	j->refs = 1;
	store_job_read(j, false);
	return j;
}

void
store_job_read(struct store_job *j, bool refresh)
{
	struct store_call *c = xcalloc(1, sizeof *c);

	c->kind = CALL_READ;
	c->refresh = refresh;
	queue(j, c);
}

void
store_job_open_pool(struct store_job *j, const char *pool)
{
	host_lock(j->host);
	free(j->vols_pool);
	j->vols_pool = pool ? xstrdup(pool) : NULL;
	store_vols_free(&j->vols);
	free(j->vols_error);
	j->vols_error = NULL;
	host_unlock(j->host);
	if (pool)
		store_job_read(j, false);
}

void
store_job_pool_op(struct store_job *j, const char *pool, enum pool_op op)
{
	struct store_call *c = xcalloc(1, sizeof *c);

	c->kind = CALL_POOL;
	c->pool = xstrdup(pool);
	c->pop = op;
	queue(j, c);
}

void
store_job_pool_create(struct store_job *j, struct pooldef *d)
{
	struct store_call *c = xcalloc(1, sizeof *c);

	c->kind = CALL_CREATE;
	c->def = d;
	queue(j, c);
}

void
store_job_vol_op(struct store_job *j, const struct vol_req *r)
{
	struct store_call *c = xcalloc(1, sizeof *c);

	c->kind = CALL_VOL;
	c->vr = *r;
	c->vr.pool = c->pool = xstrdup(r->pool);
	c->vr.name = c->vname = xstrdup(r->name);
	c->vr.format = c->vformat = r->format ? xstrdup(r->format) : NULL;
	c->vr.backing = c->vbacking = r->backing ? xstrdup(r->backing) : NULL;
	c->vr.newname = c->vnew = r->newname ? xstrdup(r->newname) : NULL;
	c->refresh = true;
	queue(j, c);
}

void
store_job_refuse(struct store_job *j, const char *why)
{
	msglog_add(MSG_ERROR, "%s", why);
	host_lock(j->host);
	free(j->error);
	j->error = xstrdup(why);
	free(j->result);
	j->result = NULL;
	host_publish_unlock(j->host);
}

void
store_job_release(struct store_job *j)
{
	if (j == NULL || !host_unref(j->host, &j->refs))
		return;
	store_pools_free(&j->pools);
	store_vols_free(&j->vols);
	free(j->vols_pool);
	free(j->vols_error);
	free(j->error);
	free(j->result);
	free(j);
}
