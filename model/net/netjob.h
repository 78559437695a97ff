/* netjob.h — the TUI's network work on a host's worker (host_call): read
 * the networks with their users, read one network's leases and pins, and
 * run an operation (create, start, stop, autostart, delete, pin, unpin),
 * each logged with its virsh equivalent. The results live in the job,
 * under the host's lock, shared by the views and the worker. */
#ifndef VMTUI_NETJOB_H
#define VMTUI_NETJOB_H

#include <stdbool.h>

#include "../host/host.h"
#include "network.h"

enum net_op {
	NETOP_READ,        /* nothing but the reads */
	NETOP_CREATE,
	NETOP_START,
	NETOP_STOP,
	NETOP_AUTOSTART_ON,
	NETOP_AUTOSTART_OFF,
	NETOP_DELETE,      /* refused while running guests use it */
	NETOP_DELETE_FORCE,
	NETOP_PIN,
	NETOP_UNPIN,
};

/* Shared by the views and the worker; fields guarded by the host's lock. */
struct net_job {
	struct host *host;
	int refs;
	bool busy;              /* an operation or read is queued or running */
	unsigned reads;         /* bumps each time `list` is read */
	struct net_list list;
	char *leases_of;        /* the network whose leases are read with the
	                         * list (the leases view's), or NULL; set by
	                         * the UI with net_job_leases */
	unsigned lease_reads;   /* bumps each time `leases` is read */
	struct net_leases leases;
	char *error;            /* why the last operation or read failed, or NULL */
	char *result;           /* what the last operation did, or NULL */
};

struct net_job *net_job_new(struct host *h);
/* Queue op on network net (mac, ip, name: a pin's; def: create's, copied
 * in), then read the list (and the leases, when asked for) again. */
void net_job_run(struct net_job *j, enum net_op op, const char *net, const char *mac,
                 const char *ip, const char *name, const struct netdef *def);
/* Read the leases of net with every read from now on (NULL: stop) and
 * read now. */
void net_job_leases(struct net_job *j, const char *net);
void net_job_release(struct net_job *j);

#endif
