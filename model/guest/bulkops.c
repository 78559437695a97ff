/* bulkops.c — the connection of a TUI bulk run's threads (see
 * bulkops.h). */
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
