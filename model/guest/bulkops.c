/* bulkops.c — bulk_fns for snapshots by name and delete, and the TUI's
 * connection for a run's threads (see bulkops.h). */
#include "bulkops.h"

#include <libvirt/virterror.h>

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/xmalloc.h"
#include "../host/host.h"
#include "../host/lvutil.h"
#include "../host/sshlink.h"
#include "../store/transfer.h"
#include "snapshot.h"
#include "vmdelete.h"

struct bulkops_snap *
bulkops_snap_new(const char *name, const char *desc)
{
	struct bulkops_snap *s = xcalloc(1, sizeof *s);

	s->name = xstrdup(name);
	s->desc = desc && desc[0] ? xstrdup(desc) : NULL;
	return s;
}

void
bulkops_snap_free(void *arg)
{
	struct bulkops_snap *s = arg;

	if (s == NULL)
		return;
	free(s->name);
	free(s->desc);
	free(s);
}

/* The guest of the item, or NULL with *msg set. */
static virDomainPtr
item_domain(struct bulk_ctx *ctx, char **msg)
{
	virDomainPtr d = virDomainLookupByUUIDString(bulk_ctx_conn(ctx), bulk_ctx_item(ctx)->uuid);

	if (d == NULL) {
		char *e = lv_err_line();
		*msg = xasprintf("%s is not on %s any more: %s", bulk_ctx_item(ctx)->name,
		                 bulk_ctx_host(ctx)->label, e);
		free(e);
	}
	return d;
}

/* Has the guest a snapshot called name? -1 when libvirt cannot say. */
static int
has_snapshot(virDomainPtr d, const char *name)
{
	virDomainSnapshotPtr s = virDomainSnapshotLookupByName(d, name, 0);

	if (s != NULL) {
		virDomainSnapshotFree(s);
		return 1;
	}
	return virGetLastErrorCode() == VIR_ERR_NO_DOMAIN_SNAPSHOT ? 0 : -1;
}

enum bulk_status
bulkops_snap_create(struct bulk_ctx *ctx, void *arg, char **msg, char **virsh)
{
	const struct bulkops_snap *s = arg;
	const struct bulk_item *it = bulk_ctx_item(ctx);
	char *what = NULL, *warning = NULL, *err = NULL;
	enum bulk_status st = BULK_FAILED;
	virDomainPtr d;

	*virsh = snapshot_virsh_create(bulk_ctx_host(ctx)->virsh_uri, it->name, s->name, s->desc);
	if ((d = item_domain(ctx, msg)) == NULL)
		return BULK_FAILED;
	if (has_snapshot(d, s->name) == 1) {
		*msg = xasprintf("%s has a snapshot %s already; nothing done.", it->name, s->name);
		st = BULK_SKIPPED;
	} else {
		bulk_step(ctx, "creating snapshot %s", s->name);
		if (snapshot_create(d, s->name, s->desc, &what, &warning, &err) == 0) {
			*msg = xasprintf("Snapshot %s of %s created: %s.", s->name, it->name,
			                 what ? what : "done");
			st = BULK_OK;
		} else {
			*msg = err;
			err = NULL;
		}
	}
	virDomainFree(d);
	free(what);
	free(warning);
	free(err);
	return st;
}

enum bulk_status
bulkops_snap_delete(struct bulk_ctx *ctx, void *arg, char **msg, char **virsh)
{
	const struct bulkops_snap *s = arg;
	const struct bulk_item *it = bulk_ctx_item(ctx);
	enum bulk_status st = BULK_FAILED;
	char *err = NULL;
	virDomainPtr d;
	int has;

	*virsh = snapshot_virsh_delete(bulk_ctx_host(ctx)->virsh_uri, it->name, s->name);
	if ((d = item_domain(ctx, msg)) == NULL)
		return BULK_FAILED;
	has = has_snapshot(d, s->name);
	if (has == 0) {
		*msg = xasprintf("%s has no snapshot %s; nothing done.", it->name, s->name);
		st = BULK_SKIPPED;
	} else {
		bulk_step(ctx, "deleting snapshot %s", s->name);
		if (snapshot_delete(d, s->name, &err) == 0) {
			*msg = xasprintf("Snapshot %s of %s deleted.", s->name, it->name);
			st = BULK_OK;
		} else {
			*msg = err;
		}
	}
	virDomainFree(d);
	return st;
}

/* vmdelete_run's steps: the first failing one's virsh line is kept. */
struct del_steps {
	char *virsh;
};

static void
del_step(const char *virsh, const char *err, const char *what, void *opaque)
{
	struct del_steps *ds = opaque;

	(void)what;
	if (virsh == NULL)
		return;
	if (ds->virsh == NULL) {
		ds->virsh = xstrdup(virsh);
	} else if (err == NULL) {
		char *j = xasprintf("%s && %s", ds->virsh, virsh);
		free(ds->virsh);
		ds->virsh = j;
	}
}

enum bulk_status
bulkops_delete(struct bulk_ctx *ctx, void *arg, char **msg, char **virsh)
{
	const struct bulk_item *it = bulk_ctx_item(ctx);
	struct vmdel_info in = { 0 };
	struct del_steps ds = { NULL };
	char **rm = NULL, *err = NULL, *backup = NULL, *result = NULL;
	size_t n = 0, i;
	int rc;

	bulk_step(ctx, "reading its definition");
	if (vmdelete_read(bulk_ctx_conn(ctx), it->name, &in, &err) < 0) {
		*msg = err;
		return BULK_FAILED;
	}
	for (i = 0; arg != NULL && i < in.nvols; i++)
		if (in.vols[i].why_not == NULL && in.vols[i].vol != NULL) {
			rm = xreallocarray(rm, n + 1, sizeof *rm);
			rm[n++] = xstrdup(in.vols[i].target);
		}
	bulk_step(ctx, "deleting%s", n ? " with its storage" : "");
	rc = vmdelete_run(bulk_ctx_conn(ctx), bulk_ctx_host(ctx)->virsh_uri, it->name, rm, n,
	                  getenv("XDG_STATE_HOME"), getenv("HOME"), del_step, &ds, &backup,
	                  &result, &err);
	*virsh = ds.virsh;
	if (rc == 0) {
		*msg = result;
		result = NULL;
	} else {
		*msg = err;
		err = NULL;
	}
	xfree_strv(rm, n);
	vmdelete_info_free(&in);
	free(backup);
	free(result);
	free(err);
	return rc == 0 ? BULK_OK : BULK_FAILED;
}

/* ---- the connection ---- */

struct uri_req {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool done;
	char *uri, *err;
};

/* On the host's worker: the URI its connection reaches. */
static void
uri_job(struct host *h, virConnectPtr conn, void *arg)
{
	struct uri_req *r = arg;
	struct sshlink *l;
	char *uri = NULL, *err = NULL;

	if (conn == NULL) {
		err = host_not_connected(h);
	} else if ((l = host_link(h)) != NULL) {
		uri = xstrdup(sshlink_uri(l));
	} else {
		char *u = virConnectGetURI(conn);
		if (u) {
			uri = xstrdup(u);
			free(u);
		} else {
			err = lv_err_line();
		}
	}
	pthread_mutex_lock(&r->lock);
	r->uri = uri;
	r->err = err;
	r->done = true;
	pthread_cond_signal(&r->cond);
	pthread_mutex_unlock(&r->lock);
}

static int
no_auth(virConnectCredentialPtr cred, unsigned int ncred, void *cbdata)
{
	(void)cred;
	(void)ncred;
	(void)cbdata;
	return -1;
}

virConnectPtr
bulkops_connect(const struct bulk_host *bh, char **err)
{
	struct uri_req r = { .done = false };
	int credtypes[] = { VIR_CRED_AUTHNAME };
	virConnectAuth auth = { credtypes, 1, no_auth, NULL };
	virConnectPtr conn = NULL;

	pthread_mutex_init(&r.lock, NULL);
	pthread_cond_init(&r.cond, NULL);
	if (bh->uri != NULL && ((const struct host *)bh->conn_arg)->ssh == NULL) {
		/* A URI libvirt reaches by itself: no need to wait for the
		 * worker, which may be busy with a long refresh. */
		r.uri = xstrdup(bh->uri);
	} else {
		host_call(bh->conn_arg, uri_job, &r);
		pthread_mutex_lock(&r.lock);
		while (!r.done)
			pthread_cond_wait(&r.cond, &r.lock);
		pthread_mutex_unlock(&r.lock);
	}
	if (r.uri != NULL && (conn = xfer_connect(r.uri, &auth)) == NULL)
		r.err = lv_err_line();
	*err = conn ? NULL : r.err;
	if (conn)
		free(r.err);
	free(r.uri);
	pthread_mutex_destroy(&r.lock);
	pthread_cond_destroy(&r.cond);
	return conn;
}
