/* sshview.c — $ on a guest: the user's ssh into it on the whole terminal.
 *
 * The guest's address (guest agent, DHCP lease, ARP table) is found on
 * the host's worker while the list stays as it is; then curses steps
 * aside as for the serial console (app_suspend), ssh runs on the terminal
 * and is waited for, and the screen comes back (app_resume) with ssh's
 * outcome in the status line. On a host reached over SSH, ssh's
 * connection goes through that host's SSH link (tui/sshrun.h's relay,
 * each connection opened on the worker that owns the link). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../model/base/xmalloc.h"
#include "../model/guest/agent.h"
#include "../model/host/lvutil.h"
#include "../model/host/sshlink.h"
#include "../tui/screen.h"
#include "../tui/sshrun.h"
#include "views.h"

/* The address look-up: made by the UI, filled by the worker under the
 * host's lock (done, addr, source, via_link, error), taken back by the UI
 * once done. */
struct find {
	struct host *h;
	char uuid[VM_UUID_LEN];
	char name[256];
	bool done;
	char *addr, *error, *user;
	const char *source;
	bool via_link;
};

static struct find *pending; /* UI thread only */

static void
find_on_worker(struct host *h, virConnectPtr conn, void *arg)
{
	struct find *f = arg;
	virDomainPtr dom = NULL;
	const char *src = NULL;
	char *addr = NULL, *err = NULL;

	if (conn == NULL)
		err = host_not_connected(h);
	else if ((dom = virDomainLookupByUUIDString(conn, f->uuid)) == NULL)
		err = lv_err_line();
	else
		addr = agent_guest_address(dom, &src, &err);
	if (addr)
		f->user = agent_ssh_user(dom);
	if (dom)
		virDomainFree(dom);
	host_lock(h);
	f->addr = addr;
	f->source = src;
	f->error = err;
	f->via_link = conn != NULL && host_link(h) != NULL;
	f->done = true;
	host_publish_unlock(h);
}

int
sshview_open(struct app *a, const struct sel_guest *g)
{
	struct find *f;

	if (pending != NULL) {
		app_status(a, MSG_INFO, "Still looking for the address of %s...", pending->name);
		return HANDLED;
	}
	if (!vm_state_active(g->state)) {
		app_status(a, MSG_ERROR, "%s is %s: start it first (S) to log into it.", g->name,
		           vm_state_name(g->state));
		return HANDLED;
	}
	f = xcalloc(1, sizeof *f);
	f->h = g->host;
	snprintf(f->uuid, sizeof f->uuid, "%s", g->uuid);
	snprintf(f->name, sizeof f->name, "%s", g->name);
	pending = f;
	app_status(a, MSG_INFO, "Looking for the address of %s...", g->name);
	host_call(g->host, find_on_worker, f);
	return HANDLED;
}

/* One forwarded connection, opened on the worker that owns the link. */
struct fwd {
	struct host *h;
	const char *addr;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool done;
	int fd;
	char *err;
};

static void
fwd_on_worker(struct host *h, virConnectPtr conn, void *arg)
{
	struct fwd *w = arg;
	struct sshlink *l = conn ? host_link(h) : NULL;
	char *err = NULL;
	int fd = -1;

	if (l == NULL)
		err = host_not_connected(h);
	else
		fd = sshlink_forward(l, w->addr, 22, NULL, &err);
	pthread_mutex_lock(&w->lock);
	w->fd = fd;
	w->err = err;
	w->done = true;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

static int
open_fwd(void *ctx, char **err)
{
	struct fwd *w = ctx;
	int fd;

	pthread_mutex_lock(&w->lock);
	w->done = false;
	pthread_mutex_unlock(&w->lock);
	host_call(w->h, fwd_on_worker, w);
	pthread_mutex_lock(&w->lock);
	while (!w->done)
		pthread_cond_wait(&w->cond, &w->lock);
	fd = w->fd;
	*err = w->err;
	w->err = NULL;
	pthread_mutex_unlock(&w->lock);
	return fd;
}

/* The terminal is ssh's until it exits. */
static void
run(struct app *a, struct find *f)
{
	struct fwd w = { .h = f->h, .addr = f->addr, .fd = -1 };
	struct sshrelay *relay = NULL;
	char *err = NULL, *alias = NULL, **argv, *line;
	const char *user = f->user;
	int rc;

	pthread_mutex_init(&w.lock, NULL);
	pthread_cond_init(&w.cond, NULL);
	if (f->via_link) {
		if ((relay = sshrelay_start(open_fwd, &w, &err)) == NULL) {
			app_status(a, MSG_ERROR, "Cannot log into %s: %s.", f->name, err);
			goto cleanup;
		}
		alias = xasprintf("%s.%s.vmtui", f->name, f->h->ssh ? f->h->ssh : host_label(f->h));
	}
	argv = sshrun_argv(user, f->addr, relay ? sshrelay_path(relay) : NULL, alias, NULL, 0);
	app_suspend(a);
	line = xasprintf("\r\nvmtui: ssh to %s at %s (from the %s)%s\r\n", f->name, f->addr,
	                 agent_source_text(f->source), relay ? ", through the SSH link" : "");
	if (write(STDOUT_FILENO, line, strlen(line)) < 0) {
		/* The terminal is gone: ssh will say so too. */
	}
	free(line);
	rc = sshrun_exec(argv, &err);
	sshrun_argv_free(argv);
	screen_got_winch = 1;
	app_resume(a);
	if (rc < 0)
		app_status(a, MSG_ERROR, "Cannot log into %s: %s.", f->name, err);
	else if (rc == 0)
		app_status(a, MSG_INFO, "Left the ssh session of %s.", f->name);
	else
		app_status(a, MSG_ERROR, "ssh to %s (%s) ended with status %d.", f->name, f->addr, rc);

cleanup:
	sshrelay_stop(relay);
	pthread_mutex_destroy(&w.lock);
	pthread_cond_destroy(&w.cond);
	free(w.err);
	free(alias);
	free(err);
}

void
sshview_poll(struct app *a)
{
	struct find *f = pending;
	bool done;

	if (f == NULL)
		return;
	host_lock(f->h);
	done = f->done;
	host_unlock(f->h);
	if (!done)
		return;
	pending = NULL;
	if (f->addr == NULL)
		app_status(a, MSG_ERROR, "Cannot log into %s: %s", f->name,
		           f->error ? f->error : "no address known.");
	else
		run(a, f);
	free(f->addr);
	free(f->error);
	free(f->user);
	free(f);
}

/* Quitting with a look-up queued: the worker still writes f, so it is
 * left to it (the worker ends with vmtui). */
void
sshview_forget(void)
{
	pending = NULL;
}
