/* netjob.c — the networks' work on a host's worker, for the TUI. */
#include "netjob.h"

#include <stdlib.h>
#include <string.h>

#include "../base/msglog.h"
#include "../base/xmalloc.h"

struct net_call {
	struct net_job *job;
	enum net_op op;
	char *net, *mac, *ip, *name;
	struct netdef def;     /* NETOP_CREATE */
	char *leases_of;       /* the leases to read after */
};

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* A copy of what create uses of d (fixed hosts are not copied). */
static void
def_copy(struct netdef *to, const struct netdef *d)
{
	memset(to, 0, sizeof *to);
	to->name = dup_or_null(d->name);
	to->forward = dup_or_null(d->forward);
	to->bridge = dup_or_null(d->bridge);
	to->dev = dup_or_null(d->dev);
	to->cidr = dup_or_null(d->cidr);
	to->dhcp = d->dhcp;
	to->dhcp_start = dup_or_null(d->dhcp_start);
	to->dhcp_end = dup_or_null(d->dhcp_end);
	to->cidr6 = dup_or_null(d->cidr6);
	to->domain = dup_or_null(d->domain);
	to->start = d->start;
	to->autostart = d->autostart;
}

/* Run one operation: NULL, with *result set, or its error. Logged. */
static char *
run_op(struct host *h, virConnectPtr conn, struct net_call *c, char **result)
{
	char *uri = host_virsh_uri(h), *err = NULL, *virsh = NULL, *v1, *v2;
	const char *n = c->net;
	int rc = 0;

	switch (c->op) {
	case NETOP_CREATE:
		n = c->def.name;
		rc = net_create(conn, &c->def, result, &err);
		virsh = net_virsh_define(uri, n);
		msglog_action(virsh, rc < 0 ? err : NULL, "network %s: define", n);
		if (rc == 0 && c->def.start) {
			free(virsh);
			virsh = net_virsh_simple(uri, "net-start", n);
			msglog_action(virsh, NULL, "network %s: start", n);
		}
		if (rc == 0 && c->def.autostart) {
			free(virsh);
			virsh = net_virsh_autostart(uri, n, true);
			msglog_action(virsh, NULL, "network %s: autostart on", n);
		}
		break;
	case NETOP_START:
	case NETOP_STOP:
		rc = c->op == NETOP_START ? net_start(conn, n, &err) : net_stop(conn, n, &err);
		virsh = net_virsh_simple(uri, c->op == NETOP_START ? "net-start" : "net-destroy", n);
		msglog_action(virsh, rc < 0 ? err : NULL, "network %s: %s", n,
		              c->op == NETOP_START ? "start" : "stop");
		if (rc == 0)
			*result = xasprintf("Network %s %s.", n,
			                    c->op == NETOP_START ? "started" : "stopped");
		break;
	case NETOP_AUTOSTART_ON:
	case NETOP_AUTOSTART_OFF:
		rc = net_set_autostart(conn, n, c->op == NETOP_AUTOSTART_ON, &err);
		virsh = net_virsh_autostart(uri, n, c->op == NETOP_AUTOSTART_ON);
		msglog_action(virsh, rc < 0 ? err : NULL, "network %s: autostart %s", n,
		              c->op == NETOP_AUTOSTART_ON ? "on" : "off");
		if (rc == 0)
			*result = xasprintf("Network %s %s at host boot.", n,
			                    c->op == NETOP_AUTOSTART_ON ? "starts" : "no longer starts");
		break;
	case NETOP_DELETE:
	case NETOP_DELETE_FORCE:
		rc = net_delete(conn, n, c->op == NETOP_DELETE_FORCE, &err);
		v1 = net_virsh_simple(uri, "net-destroy", n);
		v2 = net_virsh_simple(uri, "net-undefine", n);
		virsh = xasprintf("%s; %s", v1, v2);
		free(v1);
		free(v2);
		msglog_action(virsh, rc < 0 ? err : NULL, "network %s: delete", n);
		if (rc == 0)
			*result = xasprintf("Network %s deleted.", n);
		break;
	case NETOP_PIN:
	case NETOP_UNPIN:
		if (c->op == NETOP_PIN)
			rc = net_pin(conn, uri, n, c->mac, c->ip, c->name, result, &virsh, &err);
		else
			rc = net_unpin(conn, uri, n, c->mac, result, &virsh, &err);
		if (c->op == NETOP_PIN)
			msglog_action(virsh, rc < 0 ? err : NULL, "network %s: pin %s to %s", n, c->mac,
			              c->ip);
		else
			msglog_action(virsh, rc < 0 ? err : NULL, "network %s: unpin %s", n, c->mac);
		break;
	default:
		break;
	}
	free(virsh);
	free(uri);
	return rc < 0 ? err : (free(err), NULL);
}

static void
publish(struct net_job *j, struct net_list *list, struct net_leases *leases, char *err,
        char *result, bool op)
{
	host_lock(j->host);
	if (list) {
		net_list_free(&j->list);
		j->list = *list;
		j->reads++;
	}
	if (leases) {
		net_leases_free(&j->leases);
		j->leases = *leases;
		j->lease_reads++;
	}
	if (op || err) {
		free(j->error);
		j->error = err;
	}
	if (op) {
		free(j->result);
		j->result = result;
	} else {
		free(result);
	}
	j->busy = false;
	host_publish_unlock(j->host);
}

static void
call_free(struct net_call *c)
{
	free(c->net);
	free(c->mac);
	free(c->ip);
	free(c->name);
	free(c->leases_of);
	netdef_free(&c->def);
	free(c);
}

static void
job_work(struct host *h, virConnectPtr conn, void *arg)
{
	struct net_call *c = arg;
	struct net_job *j = c->job;
	struct net_list l;
	struct net_leases ls;
	char *err = NULL, *result = NULL, *rerr = NULL;
	bool op = c->op != NETOP_READ, have_leases = false;

	if (conn == NULL) {
		publish(j, NULL, NULL, host_not_connected(h), NULL, op);
		goto cleanup;
	}
	if (op)
		err = run_op(h, conn, c, &result);
	if (result)
		msglog_add(MSG_INFO, "%s", result);
	if (c->leases_of) {
		have_leases = net_leases_read(conn, c->leases_of, &ls, &rerr) == 0;
		if (!have_leases && err == NULL)
			err = rerr, rerr = NULL;
		free(rerr);
		rerr = NULL;
	}
	if (net_list_read(conn, &l, &rerr) < 0) {
		if (err == NULL)
			err = rerr;
		else
			free(rerr);
		publish(j, NULL, have_leases ? &ls : NULL, err, result, op);
		goto cleanup;
	}
	publish(j, &l, have_leases ? &ls : NULL, err, result, op);

cleanup:
	call_free(c);
	net_job_release(j);
}

void
net_job_run(struct net_job *j, enum net_op op, const char *net, const char *mac,
            const char *ip, const char *name, const struct netdef *def)
{
	struct net_call *c = xcalloc(1, sizeof *c);

	c->job = j;
	c->op = op;
	c->net = dup_or_null(net);
	c->mac = dup_or_null(mac);
	c->ip = dup_or_null(ip);
	c->name = name && name[0] ? xstrdup(name) : NULL;
	if (def)
		def_copy(&c->def, def);
	host_lock(j->host);
	c->leases_of = dup_or_null(j->leases_of);
	j->refs++;
	j->busy = true;
	if (op != NETOP_READ) {
		free(j->error);
		j->error = NULL;
		free(j->result);
		j->result = NULL;
	}
	host_unlock(j->host);
	host_call(j->host, job_work, c);
}

void
net_job_leases(struct net_job *j, const char *net)
{
	host_lock(j->host);
	free(j->leases_of);
	j->leases_of = dup_or_null(net);
	if (net == NULL || (j->leases.net && strcmp(j->leases.net, net) != 0)) {
		net_leases_free(&j->leases);
		j->lease_reads = 0;
	}
	host_unlock(j->host);
	if (net)
		net_job_run(j, NETOP_READ, NULL, NULL, NULL, NULL, NULL);
}

struct net_job *
net_job_new(struct host *h)
{
	struct net_job *j = xcalloc(1, sizeof *j);

	j->host = h;
	j->refs = 1;
	net_job_run(j, NETOP_READ, NULL, NULL, NULL, NULL, NULL);
	return j;
}

void
net_job_release(struct net_job *j)
{
	if (j == NULL || !host_unref(j->host, &j->refs))
		return;
	net_list_free(&j->list);
	net_leases_free(&j->leases);
	free(j->leases_of);
	free(j->error);
	free(j->result);
	free(j);
}
