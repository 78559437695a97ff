/* host.c — the per-host worker: connect with backoff, bulk refresh, events,
 * queued actions (shutdowns and reboots followed to their outcome),
 * on-demand detail; and the host's lock, whose rule is written in host.h
 * (struct host) and here (struct host_priv). */
#include "host.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <sys/socket.h>

#include "../base/msglog.h"
#include "../base/notify.h"
#include "../base/threads.h"
#include "../base/xmalloc.h"
#include "../defs/domxml.h"
#include "../defs/tagmeta.h"
#include "../record/recording.h"
#include "../stats/domstats.h"
#include "../stats/procinfo.h"
#include "../stats/stats.h"
#include "eventloop.h"
#include "hostinfo.h"
#include "hostjob.h"
#include "lifewatch.h"
#include "lvutil.h"
#include "sshlink.h"

#define BACKOFF_MAX_S 30.0
/* Autostart and persistence are not in the bulk stats: each is read with
 * a filtered list call after define/undefine events, our own actions and
 * connecting; autostart, which changes without an event, this often too. */
#define INVENTORY_EVERY_NS (10ull * 1000000000ull)
/* The host's own CPU and memory are read at most this often (a second,
 * less the refresh clock's jitter): see refresh. */
#define NODE_EVERY_NS (950ull * 1000000ull)
/* Heap one refresh uses per guest, libvirt's reply and records (about
 * 4 KiB with a disk and a NIC), with room for more devices. */
#define HEAP_PER_DOMAIN (6 * 1024)

struct req {
	struct req *next;
	enum action act;
	bool is_detail;
	host_fn fn;          /* a generic call (host_call), or NULL */
	void *arg;
	char uuid[VM_UUID_LEN];
	char *name;
};

/* Who may touch what, as in host.h: "under lock" means h->lock held, by
 * any thread; "worker" means the host's worker thread only, no lock
 * needed (no other thread reaches it). */
struct host_priv {
	/* Set by host_start before the worker runs; read after it by
	 * host_free. */
	pthread_t thread;
	bool started;

	/* Under lock. */
	pthread_cond_t cond;   /* the worker waits here for work or time */
	bool quit;
	bool refresh_now;
	bool conn_dead;        /* set by the close callback, the link's death */
	bool link_dead;        /* set by the link's pump thread */
	bool inventory_event;  /* a define/undefine event came */
	/* Guests whose tags and note to read again (a metadata-change or
	 * define event came for them): UUIDs, taken by the worker's next
	 * refresh. */
	char **meta_due;
	size_t nmeta_due;
	int stats_fd;          /* the stats connection's socket: see kick_stats */
	struct req *reqs, **reqs_tail;
	pthread_cond_t qcond;  /* a question was answered (or quit) */
	char *answer;          /* the answer, until the worker takes it */
	bool answered, cancelled;
#ifndef NDEBUG
	/* The thread holding lock (its tag, see host_lock), or NULL. Written
	 * by that thread only, with lock held; atomic so that a thread asking
	 * whether it holds the lock reads it safely while another does. */
	_Atomic(const char *) owner;
#endif
	/* What host_label returns: made by set_label under lock, read by any
	 * thread without it. Labels it replaced stay in old_labels (under
	 * lock) until host_free, so a pointer read once stays good. */
	_Atomic(char *) label;
	char **old_labels;
	size_t nold_labels;
	/* Shutdown and reboot requests followed to their outcome (the
	 * pointer is set by host_new; what it points to is under lock). */
	struct lifewatch *watch;

	/* Worker only: no other thread reaches these. */
	unsigned interval_ms;  /* h->interval_ms, copied each time it wakes */
	uint64_t retry_at_ns;  /* when to try connecting again, when down */
	unsigned attempts;     /* failed attempts since the last connection */
	char *logged_error;    /* the last "cannot connect" put in the action
	                        * log, so a retry failing the same way is not */
	bool inventory_due;
	virConnectPtr conn;
	/* A second connection for the bulk stats call only, opened without
	 * the event loop (see open_stats_conn), or NULL: then conn does it. */
	virConnectPtr stats_conn;
	int lifecycle_id;
	int reboot_id;
	int metadata_id;
	uint64_t prev_busy, prev_total;
	uint64_t node_ns;      /* when node_stats last ran (0: not since connecting) */
	int ncpu_params, nmem_params; /* counts the node stats calls want */
	uint64_t inventory_ns; /* when autostart was last read */
	bool local_node;       /* the daemon's host is this machine: read /proc */
	int stat_fd, meminfo_fd; /* /proc/stat and /proc/meminfo, kept open */
	struct sshlink *link;  /* the SSH tunnel, for hosts reached over SSH */
	bool stats_failing;
	/* The next deadline of watch as of the last refresh. */
	uint64_t watch_due;
	/* The records of the last bulk call, parsed; kept from refresh to
	 * refresh so their device arrays and text are reused. */
	struct slot *slots;
	size_t slots_cap;
};

/* One record of a bulk stats call: its sample and the guest it is for. */
struct slot {
	struct vm_sample s;
	struct vm *vm;  /* NULL: a guest not in the table yet */
	size_t hint;    /* where in h->vms the guest was last time */
	bool added;     /* the merge made vm: it joins the table */
};

uint64_t
host_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Wall-clock seconds since 1970. */
static double
wall_epoch(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

const char *
host_state_name(enum host_state s)
{
	switch (s) {
	case HOST_CONNECTING:
		return "connecting";
	case HOST_UP:
		return "connected";
	case HOST_DOWN:
		return "disconnected";
	}
	return "?";
}

const char *
host_label(const struct host *h)
{
	return atomic_load_explicit(&h->priv->label, memory_order_acquire);
}

/* Make the label from the name, hostname and URI after a change to them
 * (lock held). The label it replaces is kept until host_free. */
static void
set_label(struct host *h)
{
	const char *want = h->name ? h->name : h->hostname ? h->hostname :
	                   h->uri ? h->uri : h->uri_req ? h->uri_req : "default";
	char *old = atomic_load_explicit(&h->priv->label, memory_order_relaxed);
	struct host_priv *p = h->priv;

	host_assert_locked(h);
	if (old != NULL && strcmp(old, want) == 0)
		return;
	if (old != NULL) {
		p->old_labels = xreallocarray(p->old_labels, p->nold_labels + 1,
		                              sizeof *p->old_labels);
		p->old_labels[p->nold_labels++] = old;
	}
	atomic_store_explicit(&p->label, xstrdup(want), memory_order_release);
}

void
host_set_uri(struct host *h, const char *uri)
{
	host_assert_locked(h);
	if (uri == NULL || (h->uri != NULL && strcmp(h->uri, uri) == 0))
		return;
	free(h->uri);
	h->uri = xstrdup(uri);
	set_label(h);
}

char *
host_not_connected(struct host *h)
{
	char *s;

	host_lock(h);
	s = xasprintf("%s is not connected; try again when it is.", host_label(h));
	host_unlock(h);
	return s;
}

void
host_publish_unlock(struct host *h)
{
	host_assert_locked(h);
	h->generation++;
	host_unlock(h);
	notify_post();
}

bool
host_unref(struct host *h, int *refs)
{
	int left;

	host_lock(h);
	left = --*refs;
	host_unlock(h);
	return left <= 0;
}

char *
host_virsh_uri(const struct host *h)
{
	const char *req = h->uri_req ? h->uri_req : "qemu:///system";
	const char *sep = strstr(req, ":///");

	if (h->ssh == NULL)
		return h->uri_req ? xstrdup(h->uri_req) : NULL;
	/* qemu:///session over ssh → qemu+ssh://user@host/session */
	if (sep == NULL || strchr(req, '+') != NULL)
		return xasprintf("qemu+ssh://%s/system", h->ssh);
	return xasprintf("%.*s+ssh://%s/%s", (int)(sep - req), req, h->ssh, sep + 4);
}

#ifndef NDEBUG
/* One per thread: its address tells the threads apart (see owner). */
static _Thread_local const char thread_tag;

void
host_assert_locked(const struct host *h)
{
	if (atomic_load_explicit(&h->priv->owner, memory_order_relaxed) == &thread_tag)
		return;
	fprintf(stderr, "vmtui: host %s: its data read or written without its lock "
	        "(see the rule in model/host/host.h)\n", host_label(h));
	abort();
}

/* Note that this thread now holds h's lock (or, with NULL, no longer). */
static void
set_owner(struct host *h, const char *tag)
{
	atomic_store_explicit(&h->priv->owner, tag, memory_order_relaxed);
}
#define THREAD_TAG (&thread_tag)
#else
#define set_owner(h, tag) ((void)(h))
#define THREAD_TAG NULL
#endif

void
host_lock(struct host *h)
{
	pthread_mutex_lock(&h->lock);
	set_owner(h, THREAD_TAG);
}

void
host_unlock(struct host *h)
{
	host_assert_locked(h);
	set_owner(h, NULL);
	pthread_mutex_unlock(&h->lock);
}

/* pthread_cond_timedwait (ts NULL: pthread_cond_wait) on h's lock, which
 * the caller holds: the lock's owner is cleared for the wait. */
static void
wait_locked(struct host *h, pthread_cond_t *c, const struct timespec *ts)
{
	host_assert_locked(h);
	set_owner(h, NULL);
	if (ts != NULL)
		pthread_cond_timedwait(c, &h->lock, ts);
	else
		pthread_cond_wait(c, &h->lock);
	set_owner(h, THREAD_TAG);
}

/* Record a change the UI should draw. Lock held. */
static void
changed(struct host *h)
{
	host_assert_locked(h);
	h->generation++;
	notify_post();
}

struct host *
host_new(const struct host_opts *o)
{
	struct host *h = xcalloc(1, sizeof *h);

	h->uri_req = o->uri ? xstrdup(o->uri) : NULL;
	h->name = o->name ? xstrdup(o->name) : NULL;
	h->ssh = o->ssh ? xstrdup(o->ssh) : NULL;
	h->key = o->key ? xstrdup(o->key) : NULL;
	h->known_hosts = o->known_hosts ? xstrdup(o->known_hosts) : NULL;
	h->readonly = o->readonly;
	h->replay = o->replay;
	h->rec = o->rec;
	h->interval_ms = o->interval_ms ? o->interval_ms : 2000;
	h->history = o->history ? o->history : 600;
	/* A replay host looks connected from the start. */
	h->state = o->replay ? HOST_UP : HOST_CONNECTING;
	h->cpu_pct = STATS_UNKNOWN;
	h->mem_free_kib = HOST_MEM_UNKNOWN;
	ring_init(&h->cpu_hist, h->history);
	ring_init(&h->mem_hist, h->history);
	pthread_mutex_init(&h->lock, NULL);
	h->priv = xcalloc(1, sizeof *h->priv);
	pthread_cond_init(&h->priv->cond, NULL);
	pthread_cond_init(&h->priv->qcond, NULL);
	h->priv->reqs_tail = &h->priv->reqs;
	h->priv->lifecycle_id = -1;
	h->priv->reboot_id = -1;
	h->priv->metadata_id = -1;
	h->priv->watch = lifewatch_new(o->shutdown_wait_ms, o->force_key, o->start_key);
	h->priv->stats_fd = -1;
	h->priv->stat_fd = h->priv->meminfo_fd = -1;
	h->priv->interval_ms = h->interval_ms;
	host_lock(h);
	set_label(h);
	host_unlock(h);
	return h;
}

/* The guest with this UUID in the table (sorted by UUID), its index in
 * *at; NULL when there is none. */
static struct vm *
find_vm_at(struct host *h, const char *uuid, size_t *at)
{
	size_t lo = 0, hi = h->nvms;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(h->vms[mid]->uuid, uuid);
		if (c == 0) {
			*at = mid;
			return h->vms[mid];
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

struct vm *
host_find_vm(struct host *h, const char *uuid)
{
	size_t at;

	host_assert_locked(h);
	return find_vm_at(h, uuid, &at);
}

/* ---- events (run on the event-loop thread) ---- */

static void meta_due_add(struct host *h, const char *uuid);
static void read_meta(struct host *h);

static enum vm_state
event_state(int event, int detail, bool *known)
{
	*known = true;
	switch (event) {
	case VIR_DOMAIN_EVENT_STARTED:
	case VIR_DOMAIN_EVENT_RESUMED:
		return VM_RUNNING;
	case VIR_DOMAIN_EVENT_SUSPENDED:
		return VM_PAUSED;
	case VIR_DOMAIN_EVENT_STOPPED:
		return VM_SHUTOFF;
	case VIR_DOMAIN_EVENT_SHUTDOWN:
		if (detail == VIR_DOMAIN_EVENT_SHUTDOWN_FINISHED)
			break;
		return VM_SHUTDOWN;
	case VIR_DOMAIN_EVENT_PMSUSPENDED:
		return VM_PMSUSPENDED;
	case VIR_DOMAIN_EVENT_CRASHED:
		return VM_CRASHED;
	}
	*known = false;
	return VM_NOSTATE;
}

static const char *
event_name(int event)
{
	static const char *const names[] = {
		"defined", "undefined", "started", "suspended", "resumed",
		"stopped", "shutdown", "pmsuspended", "crashed",
	};

	if (event >= 0 && (size_t)event < sizeof names / sizeof names[0])
		return names[event];
	return "event";
}

static int
on_lifecycle(virConnectPtr conn, virDomainPtr dom, int event, int detail,
             void *opaque)
{
	struct host *h = opaque;
	char uuid[VIR_UUID_STRING_BUFLEN];
	const char *name = virDomainGetName(dom);
	enum vm_state st;
	bool known;
	struct vm *vm;

	(void)conn;
	if (virDomainGetUUIDString(dom, uuid) < 0)
		return 0;
	st = event_state(event, detail, &known);
	host_lock(h);
	vm = host_find_vm(h, uuid);
	if (vm != NULL && known)
		vm_set_state(vm, st, 0, host_now_ns());
	/* New, vanished or changed domains: let the worker re-read at once. */
	h->priv->refresh_now = true;
	/* A guest not in the table (a transient one started) may have taken
	 * a known guest's name: the refresh then matches by UUID. */
	if (event == VIR_DOMAIN_EVENT_DEFINED || event == VIR_DOMAIN_EVENT_UNDEFINED ||
	    vm == NULL)
		h->priv->inventory_event = true;
	/* A define may bring other metadata (no metadata event comes then). */
	if (event == VIR_DOMAIN_EVENT_DEFINED && vm != NULL)
		meta_due_add(h, uuid);
	pthread_cond_signal(&h->priv->cond);
	changed(h);
	host_unlock(h);
	msglog_add(MSG_EVENT, "%s: %s %s", host_label(h), name ? name : uuid,
	           event_name(event));
	/* After the event's own message: what it means for a request. */
	if (known) {
		host_lock(h);
		lifewatch_event(h->priv->watch, uuid, st, host_now_ns());
		host_unlock(h);
	}
	return 0;
}

/* The guest reset (a reboot, from inside or asked for): done for a reboot
 * request. */
static void
on_reboot(virConnectPtr conn, virDomainPtr dom, void *opaque)
{
	struct host *h = opaque;
	char uuid[VIR_UUID_STRING_BUFLEN];

	(void)conn;
	if (virDomainGetUUIDString(dom, uuid) < 0)
		return;
	host_lock(h);
	lifewatch_rebooted(h->priv->watch, uuid, host_now_ns());
	host_unlock(h);
}

/* Ask the worker to read a guest's tags and note again. Lock held. */
static void
meta_due_add(struct host *h, const char *uuid)
{
	struct host_priv *p = h->priv;
	size_t i;

	for (i = 0; i < p->nmeta_due; i++)
		if (strcmp(p->meta_due[i], uuid) == 0)
			return;
	p->meta_due = xreallocarray(p->meta_due, p->nmeta_due + 1, sizeof *p->meta_due);
	p->meta_due[p->nmeta_due++] = xstrdup(uuid);
}

/* Someone changed a guest's metadata: ours (vmtui's namespace) is read
 * again by the worker, with the next refresh (asked for at once). */
static void
on_metadata(virConnectPtr conn, virDomainPtr dom, int type, const char *nsuri, void *opaque)
{
	struct host *h = opaque;
	char uuid[VIR_UUID_STRING_BUFLEN];

	(void)conn;
	if (type != VIR_DOMAIN_METADATA_ELEMENT || nsuri == NULL || strcmp(nsuri, TAGXML_NS) != 0 ||
	    virDomainGetUUIDString(dom, uuid) < 0)
		return;
	host_lock(h);
	meta_due_add(h, uuid);
	h->priv->refresh_now = true;
	pthread_cond_signal(&h->priv->cond);
	host_unlock(h);
}

/* The stats connection has no keepalive: when the main connection finds
 * the daemon gone or hung, a stats call waiting on it would wait forever.
 * Shutting its socket down makes that call fail at once (the descriptor
 * stays open until the worker closes the connection). Lock held. */
static void
kick_stats(struct host *h)
{
	if (h->priv->stats_fd >= 0)
		shutdown(h->priv->stats_fd, SHUT_RDWR);
}

static void
on_close(virConnectPtr conn, int reason, void *opaque)
{
	struct host *h = opaque;
	static const char *const why[] = {
		"connection error", "end of file from the daemon",
		"keepalive timeout", "closed by client",
	};

	(void)conn;
	host_lock(h);
	h->priv->conn_dead = true;
	kick_stats(h);
	free(h->error);
	h->error = xstrdup(reason >= 0 && reason < 4 ? why[reason] : "connection closed");
	pthread_cond_signal(&h->priv->cond);
	changed(h);
	host_unlock(h);
}

/* ---- connection ---- */

static int
no_auth(virConnectCredentialPtr cred, unsigned int ncred, void *cbdata)
{
	(void)cred;
	(void)ncred;
	(void)cbdata;
	return -1; /* never prompt on the terminal */
}

static const char *
last_error(void)
{
	const char *m = virGetLastErrorMessage();
	return m ? m : "unknown error";
}

static void
disconnect(struct host *h)
{
	struct host_priv *p = h->priv;

	if (p->stats_conn != NULL) {
		host_lock(h);
		p->stats_fd = -1; /* before it is closed: see kick_stats */
		host_unlock(h);
		virConnectClose(p->stats_conn);
		p->stats_conn = NULL;
	}
	if (p->conn == NULL)
		return;
	if (p->lifecycle_id >= 0)
		virConnectDomainEventDeregisterAny(p->conn, p->lifecycle_id);
	p->lifecycle_id = -1;
	if (p->reboot_id >= 0)
		virConnectDomainEventDeregisterAny(p->conn, p->reboot_id);
	p->reboot_id = -1;
	if (p->metadata_id >= 0)
		virConnectDomainEventDeregisterAny(p->conn, p->metadata_id);
	p->metadata_id = -1;
	virConnectUnregisterCloseCallback(p->conn, on_close);
	virConnectClose(p->conn);
	p->conn = NULL;
}

/* Schedule the next attempt with exponential backoff. Lock held. */
static void
schedule_retry(struct host *h)
{
	double delay = 1.0;
	unsigned i;

	for (i = 1; i < h->priv->attempts && delay < BACKOFF_MAX_S; i++)
		delay *= 2;
	if (delay > BACKOFF_MAX_S)
		delay = BACKOFF_MAX_S;
	h->retry_in = delay;
	h->priv->retry_at_ns = host_now_ns() + (uint64_t)(delay * 1e9);
}

static void
mark_down(struct host *h, const char *why)
{
	bool was_up;
	char *label, *error;

	host_lock(h);
	was_up = h->state == HOST_UP;
	h->state = HOST_DOWN;
	if (why != NULL) {
		free(h->error);
		h->error = xstrdup(why);
	}
	h->priv->attempts++;
	schedule_retry(h);
	changed(h);
	label = xstrdup(host_label(h));
	error = xstrdup(h->error ? h->error : "unknown error");
	host_unlock(h);
	if (was_up) {
		msglog_add(MSG_ERROR, "%s: lost connection: %s", label, error);
	} else if (h->priv->logged_error == NULL || strcmp(h->priv->logged_error, error) != 0) {
		/* Each reason once, not at every retry. */
		msglog_host_down("%s: cannot connect: %s", label, error);
	}
	free(h->priv->logged_error);
	h->priv->logged_error = error;
	free(label);
}

/* ---- SSH ---- */

/* The link's pump thread says the SSH session died. */
static void
link_died(void *opaque)
{
	struct host *h = opaque;

	host_lock(h);
	h->priv->link_dead = true;
	h->priv->conn_dead = true;
	kick_stats(h);
	pthread_cond_signal(&h->priv->cond);
	host_unlock(h);
}

/* sshlink's questions, on the worker: publish, wait for the UI's answer. */
static int
ask_user(void *opaque, enum sshlink_q kind, const char *question, bool echo, char *answer,
         size_t n)
{
	struct host *h = opaque;
	struct host_priv *p = h->priv;
	int rc = -1;

	host_lock(h);
	free(h->question.text);
	h->question.text = xasprintf("%s: %s", host_label(h), question);
	h->question.echo = echo;
	h->question.yes_no = kind == SSHLINK_Q_HOSTKEY;
	h->question.pending = true;
	h->question.seq++;
	p->answered = p->cancelled = false;
	changed(h);
	while (!p->answered && !p->cancelled && !p->quit)
		wait_locked(h, &p->qcond, NULL);
	if (p->answered && p->answer) {
		snprintf(answer, n, "%s", p->answer);
		rc = 0;
	}
	if (p->answer) {
		explicit_bzero(p->answer, strlen(p->answer));
		free(p->answer);
		p->answer = NULL;
	}
	h->question.pending = false;
	changed(h);
	host_unlock(h);
	return rc;
}

void
host_answer(struct host *h, const char *answer)
{
	struct host_priv *p = h->priv;

	host_lock(h);
	if (h->question.pending) {
		if (answer) {
			p->answer = xstrdup(answer);
			p->answered = true;
		} else {
			p->cancelled = true;
		}
		pthread_cond_signal(&p->qcond);
	}
	host_unlock(h);
}

/* (Re)open the SSH tunnel of an SSH host. */
static int
open_link(struct host *h, char **err)
{
	struct host_priv *p = h->priv;
	struct sshlink_opts o = {
		.target = h->ssh,
		.key_file = h->key,
		.remote_uri = h->uri_req,
		.known_hosts = h->known_hosts,
		.ask = ask_user,
		.ask_opaque = h,
		.on_dead = link_died,
		.dead_opaque = h,
	};

	bool dead;

	host_lock(h);
	dead = p->link_dead; /* the pump thread sets it */
	host_unlock(h);
	if (p->link != NULL && !dead && sshlink_alive(p->link))
		return 0;
	sshlink_close(p->link);
	p->link = NULL;
	host_lock(h);
	p->link_dead = false;
	host_unlock(h);
	return sshlink_open(&o, &p->link, err);
}

static void prime_list(struct host *h);

/* Whether a connection to uri runs over a local UNIX socket to a daemon
 * (qemu:///system, qemu+unix:///session?socket=...): no host part, no
 * transport but unix, and not the in-process test driver. */
static bool
unix_socket_uri(const char *uri)
{
	const char *sep = uri ? strstr(uri, "://") : NULL;
	const char *plus;

	if (sep == NULL || sep[3] != '/')
		return false;
	plus = memchr(uri, '+', (size_t)(sep - uri));
	if (plus != NULL)
		return sep - plus - 1 == 4 && strncmp(plus + 1, "unix", 4) == 0;
	return !(sep - uri == 4 && strncmp(uri, "test", 4) == 0);
}

/* The bulk stats call on the main connection costs the event loop: for
 * every call libvirt takes the socket out of the loop and puts it back,
 * waking the loop's thread. A second connection opened while our event
 * loop refuses watches runs without the loop (libvirt then leaves it
 * without events and keepalive), its IO done by the worker alone. Only
 * over UNIX sockets, where a daemon that dies closes the socket (and
 * sshlink closes the one it serves when the link dies) and the main
 * connection's keepalive covers a hung one (see kick_stats). */
static void
open_stats_conn(struct host *h, const char *open_uri, const char *uri)
{
	struct host_priv *p = h->priv;
	int credtypes[] = { VIR_CRED_AUTHNAME };
	virConnectAuth auth = { credtypes, 0, no_auth, NULL };
	virConnectPtr c;
	int fd;

	if (h->ssh == NULL && !unix_socket_uri(uri))
		return;
	eventloop_deny_watches(true);
	c = lv_open(open_uri, h->readonly, &auth);
	fd = eventloop_denied_fd();
	eventloop_deny_watches(false);
	if (c != NULL && fd < 0) {
		/* Not a remote connection after all: nothing to gain. */
		virConnectClose(c);
		c = NULL;
	}
	if (c == NULL) {
		virResetLastError(); /* the main connection does the stats */
		return;
	}
	p->stats_conn = c;
	host_lock(h);
	p->stats_fd = fd;
	host_unlock(h);
}

/* The connection the bulk stats call goes to. */
static virConnectPtr
stats_conn(struct host_priv *p)
{
	return p->stats_conn ? p->stats_conn : p->conn;
}

/* Both connections are open (or there is only one). */
static bool
conns_alive(struct host_priv *p)
{
	return virConnectIsAlive(p->conn) == 1 &&
	       (p->stats_conn == NULL || virConnectIsAlive(p->stats_conn) == 1);
}

static void
try_connect(struct host *h)
{
	struct host_priv *p = h->priv;
	int credtypes[] = { VIR_CRED_AUTHNAME };
	virConnectAuth auth = { credtypes, 0, no_auth, NULL };
	virNodeInfo info;
	char *uri, *hostname;
	const char *open_uri = h->uri_req;
	bool had_error;

	if (h->ssh != NULL) {
		char *err = NULL;
		if (open_link(h, &err) < 0) {
			mark_down(h, err);
			free(err);
			return;
		}
		open_uri = sshlink_uri(p->link);
	}
	/* Cleared before the close callback can fire: a connection that
	 * closes while the rest is set up (the stats one may still open, and
	 * the refreshes use it) is then noticed, not forgotten. */
	host_lock(h);
	p->conn_dead = false;
	host_unlock(h);
	p->conn = lv_open(open_uri, h->readonly, &auth);
	if (p->conn == NULL) {
		mark_down(h, last_error());
		return;
	}
	/* A hung daemon: closed 18 s after its last word (two pings 6 s
	 * apart unanswered). The daemon pings an idle client every 5 s
	 * (libvirtd's default), so with 6 s here its pings keep ours from
	 * going: one wake-up every 5 s for its ping and our answer, where the
	 * two crossing made two or three. */
	virConnectSetKeepAlive(p->conn, 6, 2);
	virConnectRegisterCloseCallback(p->conn, on_close, h, NULL);
	p->lifecycle_id = virConnectDomainEventRegisterAny(
		p->conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
		VIR_DOMAIN_EVENT_CALLBACK(on_lifecycle), h, NULL);
	p->reboot_id = virConnectDomainEventRegisterAny(
		p->conn, NULL, VIR_DOMAIN_EVENT_ID_REBOOT,
		VIR_DOMAIN_EVENT_CALLBACK(on_reboot), h, NULL);
	p->metadata_id = virConnectDomainEventRegisterAny(
		p->conn, NULL, VIR_DOMAIN_EVENT_ID_METADATA_CHANGE,
		VIR_DOMAIN_EVENT_CALLBACK(on_metadata), h, NULL);
	uri = virConnectGetURI(p->conn);
	hostname = virConnectGetHostname(p->conn);
	if (virNodeGetInfo(p->conn, &info) < 0)
		memset(&info, 0, sizeof info);
	open_stats_conn(h, open_uri, uri);
	p->prev_busy = p->prev_total = 0;
	p->node_ns = 0;
	p->inventory_due = true;
	p->ncpu_params = p->nmem_params = 0;
	p->local_node = h->ssh == NULL && procinfo_is_local(uri);
	if (!p->local_node &&
	    (virNodeGetCPUStats(p->conn, VIR_NODE_CPU_STATS_ALL_CPUS, NULL, &p->ncpu_params, 0) < 0 ||
	     p->ncpu_params > 16))
		p->ncpu_params = 0;
	if (!p->local_node &&
	    (virNodeGetMemoryStats(p->conn, VIR_NODE_MEMORY_STATS_ALL_CELLS, NULL, &p->nmem_params, 0) < 0 ||
	     p->nmem_params > 16))
		p->nmem_params = 0;

	host_lock(h);
	had_error = p->attempts > 0;
	free(h->uri);
	if (h->ssh != NULL)
		h->uri = xasprintf("%s via ssh %s", h->uri_req ? h->uri_req : "qemu:///system",
		                   sshlink_label(p->link));
	else
		h->uri = uri ? xstrdup(uri) : NULL;
	free(h->hostname);
	h->hostname = hostname ? xstrdup(hostname) : NULL;
	h->cpus = info.cpus;
	h->mem_total_kib = info.memory;
	set_label(h);
	h->state = HOST_UP;
	p->attempts = 0;
	free(p->logged_error);
	p->logged_error = NULL;
	/* Tags may have changed while the host was away: read them again. */
	for (size_t k = 0; k < h->nvms; k++)
		h->vms[k]->meta_read = false;
	free(h->error);
	h->error = NULL;
	changed(h);
	host_unlock(h);
	free(uri);
	free(hostname);
	if (had_error)
		msglog_add(MSG_INFO, "%s: reconnected", host_label(h));
	prime_list(h);
}

/* ---- refresh ---- */

static int
cmp_vmp(const void *a, const void *b)
{
	return strcmp((*(struct vm *const *)a)->uuid, (*(struct vm *const *)b)->uuid);
}

/* Right after connecting, before the first full stats call (which asks
 * every guest's monitor and can take long on a busy host): the guests and
 * their states only, so the first frame already lists them. */
static void
prime_list(struct host *h)
{
	virDomainStatsRecordPtr *recs = NULL;
	struct vm **vms;
	int n, i;

	n = virConnectGetAllDomainStats(stats_conn(h->priv), VIR_DOMAIN_STATS_STATE, &recs,
	                                VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT);
	if (n <= 0) {
		if (recs)
			virDomainStatsRecordListFree(recs);
		return;
	}
	vms = xcalloc((size_t)n, sizeof *vms);
	for (i = 0; i < n; i++) {
		char uuid[VIR_UUID_STRING_BUFLEN] = "";
		struct vm_sample smp;

		virDomainGetUUIDString(recs[i]->dom, uuid);
		domstats_parse(virDomainGetName(recs[i]->dom), uuid, -1, recs[i]->params,
		               recs[i]->nparams, &smp);
		/* Not "known" yet: the first full sample is still a first sight. */
		vms[i] = vm_new(uuid, smp.name, h->history);
		vms[i]->state = smp.state;
		vms[i]->reason = smp.reason;
		vms[i]->persistent = true;
		vm_sample_clear(&smp);
	}
	virDomainStatsRecordListFree(recs);
	qsort(vms, (size_t)n, sizeof *vms, cmp_vmp);
	host_lock(h);
	if (h->nvms == 0) {
		free(h->vms);
		h->vms = vms;
		h->nvms = (size_t)n;
		h->vms_gen++;
		vms = NULL;
		changed(h);
	}
	host_unlock(h);
	if (vms != NULL) {
		for (i = 0; i < n; i++)
			vm_free(vms[i]);
		free(vms);
	}
}

/* Host CPU% and memory from the node calls (two RPCs per host). */
static void
node_stats(struct host *h, double *cpu_pct, uint64_t *free_kib, uint64_t *total_kib)
{
	struct host_priv *p = h->priv;
	virNodeCPUStats cs[16];
	virNodeMemoryStats ms[16];
	int ncs = p->ncpu_params, nms = p->nmem_params, i;
	uint64_t busy = 0, total = 0, fr = 0, buffers = 0, cached = 0;

	*cpu_pct = STATS_UNKNOWN;
	*free_kib = HOST_MEM_UNKNOWN;
	/* A daemon on this machine reads the same /proc files; reading them
	 * here saves two round trips per refresh. */
	if (p->local_node) {
		if (procinfo_node_cpu(&p->stat_fd, &busy, &total) == 0) {
			if (p->prev_total)
				*cpu_pct = stats_host_cpu_pct(p->prev_busy, p->prev_total, busy, total);
			p->prev_busy = busy;
			p->prev_total = total;
		}
		if (procinfo_node_mem(&p->meminfo_fd, total_kib, &fr) == 0)
			*free_kib = fr;
		return;
	}
	/* libvirt wants exactly the count it announced at connect time. */
	/* Over the stats connection where there is one: no event-loop work. */
	if (ncs > 0 && virNodeGetCPUStats(stats_conn(p), VIR_NODE_CPU_STATS_ALL_CPUS, cs, &ncs,
	                                  0) == 0) {
		for (i = 0; i < ncs; i++) {
			total += cs[i].value;
			if (strcmp(cs[i].field, VIR_NODE_CPU_STATS_IDLE) != 0 &&
			    strcmp(cs[i].field, VIR_NODE_CPU_STATS_IOWAIT) != 0 &&
			    strcmp(cs[i].field, VIR_NODE_CPU_STATS_UTILIZATION) != 0)
				busy += cs[i].value;
		}
		if (p->prev_total)
			*cpu_pct = stats_host_cpu_pct(p->prev_busy, p->prev_total, busy, total);
		p->prev_busy = busy;
		p->prev_total = total;
	}
	if (nms > 0 && virNodeGetMemoryStats(stats_conn(p), VIR_NODE_MEMORY_STATS_ALL_CELLS, ms,
	                                     &nms, 0) == 0) {
		for (i = 0; i < nms; i++) {
			if (strcmp(ms[i].field, VIR_NODE_MEMORY_STATS_TOTAL) == 0)
				*total_kib = ms[i].value;
			else if (strcmp(ms[i].field, VIR_NODE_MEMORY_STATS_FREE) == 0)
				fr = ms[i].value;
			else if (strcmp(ms[i].field, VIR_NODE_MEMORY_STATS_BUFFERS) == 0)
				buffers = ms[i].value;
			else if (strcmp(ms[i].field, VIR_NODE_MEMORY_STATS_CACHED) == 0)
				cached = ms[i].value;
		}
		*free_kib = fr + buffers + cached;
	}
}

static int
cmp_strp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* UUIDs of the domains listed with `flags`, sorted. */
static char **
list_uuids(virConnectPtr conn, unsigned flags, size_t *n)
{
	virDomainPtr *doms = NULL;
	char **out;
	int i, cnt = virConnectListAllDomains(conn, &doms, flags);

	*n = 0;
	if (cnt < 0)
		return NULL;
	out = xcalloc((size_t)cnt + 1, sizeof *out);
	for (i = 0; i < cnt; i++) {
		char buf[VIR_UUID_STRING_BUFLEN];
		if (virDomainGetUUIDString(doms[i], buf) == 0)
			out[(*n)++] = xstrdup(buf);
		virDomainFree(doms[i]);
	}
	free(doms);
	qsort(out, *n, sizeof *out, cmp_strp);
	return out;
}


static bool
in_list(char **list, size_t n, const char *uuid)
{
	return list && bsearch(&uuid, list, n, sizeof *list, cmp_strp) != NULL;
}

/* The domain's UUID as text. virDomainGetUUIDString formats it twice
 * (once for its debug line, wanted or not), virDomainGetUUID once: with a
 * thousand guests per refresh that is worth the few lines. "" if unknown. */
static void
uuid_string(virDomainPtr dom, char out[VIR_UUID_STRING_BUFLEN])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char raw[VIR_UUID_BUFLEN];
	size_t i, j = 0;

	if (virDomainGetUUID(dom, raw) < 0) {
		out[0] = '\0';
		return;
	}
	for (i = 0; i < VIR_UUID_BUFLEN; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[j++] = '-';
		out[j++] = hex[raw[i] >> 4];
		out[j++] = hex[raw[i] & 15];
	}
	out[j] = '\0';
}

/* The guest of this record, and its UUID in uuid. First where it was
 * last time (records come in the same order from call to call), by name:
 * virDomainGetName is a plain accessor, while every call that yields the
 * UUID formats it for a debug line first, which for a thousand guests is
 * most of a millisecond per refresh. A name is unique on a host at any
 * instant; one given to another domain comes with an undefine, define
 * or start event of an unknown guest, and those make the refresh fresh,
 * matched by UUID (as is a guest not at its place, or new). Remembers where the guest was.
 * Worker only: no other thread changes the table, its UUIDs or names. */
static struct vm *
find_record(struct host *h, virDomainPtr dom, bool fresh, size_t *hint,
            char uuid[VIR_UUID_STRING_BUFLEN])
{
	if (!fresh && *hint < h->nvms) {
		struct vm *vm = h->vms[*hint];
		const char *name = virDomainGetName(dom);

		if (name && strcmp(vm->name, name) == 0) {
			memcpy(uuid, vm->uuid, VIR_UUID_STRING_BUFLEN);
			return vm;
		}
	}
	uuid_string(dom, uuid);
	if (*hint < h->nvms && strcmp(h->vms[*hint]->uuid, uuid) == 0)
		return h->vms[*hint];
	return find_vm_at(h, uuid, hint);
}

/* Room for n slots, zeroed beyond those filled before. */
static void
slots_reserve(struct host_priv *p, size_t n)
{
	if (n <= p->slots_cap)
		return;
	p->slots = xreallocarray(p->slots, n, sizeof *p->slots);
	memset(p->slots + p->slots_cap, 0, (n - p->slots_cap) * sizeof *p->slots);
	p->slots_cap = n;
}

static void
slots_free(struct host_priv *p)
{
	size_t i;

	for (i = 0; i < p->slots_cap; i++)
		vm_sample_clear(&p->slots[i].s);
	free(p->slots);
	p->slots = NULL;
	p->slots_cap = 0;
}

/* The ID of a sampled guest: -1 when not running; else the known one,
 * unless it may have changed (the domain started again, or fresh is
 * asked), which costs a call that formats the UUID. Lock held. */
static int
sample_id(const struct slot *sl, virDomainPtr dom, bool fresh)
{
	if (!vm_state_active(sl->s.state))
		return -1;
	if (!fresh && sl->vm && vm_state_active(sl->vm->state) && sl->vm->id > 0)
		return sl->vm->id;
	return (int)virDomainGetID(dom);
}

/* Parse the records into the slots and find their guests; the samples
 * then keep copies of their strings, so the records can go before the
 * merge. Parsing runs without the lock: only this thread changes the
 * table and the guests' names. */
/* A driver whose bulk stats have no vCPU and balloon groups at all (the
 * test driver gives only the state): the sizes from virDomainGetInfo, so
 * the list does not say 0 vCPUs and 0B where virsh says 2 and 2.00G. QEMU
 * gives both groups for every guest, running or not, so this costs its
 * hosts nothing. */
static void
fill_sizes(virDomainPtr dom, struct vm_sample *s)
{
	virDomainInfo info;

	if (s->vcpus_cur || s->vcpus_max || s->have_balloon_cur || s->have_balloon_max)
		return;
	if (virDomainGetInfo(dom, &info) < 0)
		return;
	s->vcpus_cur = s->vcpus_max = info.nrVirtCpu;
	s->mem_cur_kib = info.memory;
	s->mem_max_kib = info.maxMem;
	s->have_balloon_cur = s->have_balloon_max = true;
}

static void
parse_records(struct host *h, virDomainStatsRecordPtr *recs, size_t n, bool fresh)
{
	struct host_priv *p = h->priv;
	size_t i;

	slots_reserve(p, n);
	for (i = 0; i < n; i++) {
		char uuid[VIR_UUID_STRING_BUFLEN];
		struct slot *sl = &p->slots[i];

		sl->vm = find_record(h, recs[i]->dom, fresh, &sl->hint, uuid);
		/* Names of known guests come from the table: a rename comes with
		 * a define event, which asks for fresh names. */
		domstats_reparse(sl->vm && !fresh ? sl->vm->name : virDomainGetName(recs[i]->dom),
		                 uuid, -1, recs[i]->params, recs[i]->nparams, &sl->s);
		fill_sizes(recs[i]->dom, &sl->s);
		domstats_own_strings(&sl->s);
	}
	/* Guests' states change on the event thread too. */
	host_lock(h);
	for (i = 0; i < n; i++)
		p->slots[i].s.id = sample_id(&p->slots[i], recs[i]->dom, fresh);
	host_unlock(h);
}

/* Replace the table by the guests sampled in slots[0..n-1], sorted by
 * UUID, when guests came or went: those not seen this time vanish.
 * Lock held. */
static void
table_rebuild(struct host *h, size_t n, size_t nnew)
{
	struct slot *slots = h->priv->slots;
	size_t i, k = 0;
	struct vm **out = xcalloc(h->nvms + nnew ? h->nvms + nnew : 1, sizeof *out);

	for (i = 0; i < h->nvms; i++) {
		if (h->vms[i]->seen)
			out[k++] = h->vms[i];
		else
			vm_free(h->vms[i]);
	}
	for (i = 0; i < n; i++)
		if (slots[i].added)
			out[k++] = slots[i].vm;
	if (nnew > 0)
		qsort(out, k, sizeof *out, cmp_vmp);
	free(h->vms);
	h->vms = out;
	h->nvms = k;
	h->vms_gen++;
}

/* Merge the parsed records into the guests (new guests join the table,
 * those not sampled vanish). autos and trans: the autostart and transient
 * UUIDs when read (`autostart`, `persistence`). Returns UUIDs of running
 * VMs whose balloon period is still unset. Lock held. */
static void
merge_samples(struct host *h, size_t n, uint64_t now, char **autos, size_t nautos,
              bool autostart, char **trans, size_t ntrans, bool persistence,
              char ***need_period, size_t *nneed)
{
	struct slot *slots = h->priv->slots;
	size_t i, nnew = 0, nkept = 0;

	*need_period = NULL;
	*nneed = 0;
	for (i = 0; i < h->nvms; i++)
		h->vms[i]->seen = false;
	for (i = 0; i < n; i++) {
		struct slot *sl = &slots[i];
		struct vm *vm = sl->vm;

		/* Two records of one UUID (never seen) make two guests, as
		 * they always did. */
		sl->added = vm == NULL || vm->seen;
		if (sl->added) {
			vm = sl->vm = vm_new(sl->s.uuid, sl->s.name, h->history);
			vm->persistent = true;
			nnew++;
		} else {
			nkept++;
		}
		vm->seen = true;
		vm_merge(vm, &sl->s, now);
		if (vm_state_active(vm->state) && !vm->since_exact && !vm->start_probed) {
			/* Started before we looked: the local pid file knows when. */
			vm->start_probed = true;
			double age = procinfo_guest_age(h->uri, vm->name);
			int64_t started = vm_start_from_uptime(age, now);
			if (started != VM_START_UNKNOWN) {
				vm->started_ns = started;
				vm->since_exact = true;
			}
		}
		if (autostart)
			vm->autostart = in_list(autos, nautos, vm->uuid);
		if (persistence)
			vm->persistent = !in_list(trans, ntrans, vm->uuid);
		/* Guests whose balloon already reports (someone set its period)
		 * need no call: on a big host this saves one RPC per guest. */
		if (vm->state == VM_RUNNING && !vm->balloon_period_set) {
			vm->balloon_period_set = true;
			if (!sl->s.have_avail && !h->readonly) {
				if (*need_period == NULL)
					*need_period = xcalloc(n, sizeof **need_period);
				(*need_period)[(*nneed)++] = xstrdup(vm->uuid);
			}
		}
	}
	if (nnew > 0 || nkept < h->nvms)
		table_rebuild(h, n, nnew);
	/* A guest that came without an event: its persistence next time. */
	if (nnew > 0 && !persistence)
		h->priv->inventory_due = true;
}

/* Ask the guest's balloon driver to report every refresh interval. */
static void
set_balloon_periods(struct host *h, char **uuids, size_t n)
{
	int period = (int)((h->priv->interval_ms + 999) / 1000);
	size_t i;

	for (i = 0; i < n; i++) {
		virDomainPtr dom = virDomainLookupByUUIDString(h->priv->conn, uuids[i]);
		if (dom == NULL)
			continue;
		virDomainSetMemoryStatsPeriod(dom, period < 1 ? 1 : period,
		                              VIR_DOMAIN_AFFECT_LIVE);
		virDomainFree(dom);
	}
}

static void
refresh(struct host *h)
{
	struct host_priv *p = h->priv;
	virDomainStatsRecordPtr *recs = NULL;
	char **autos = NULL, **trans = NULL, **need = NULL, **saved = NULL;
	size_t nautos = 0, ntrans = 0, nneed = 0, nsaved = 0;
	uint64_t now, free_kib = HOST_MEM_UNKNOWN, total_kib = 0;
	double host_cpu = STATS_UNKNOWN, epoch;
	char *line = NULL;
	bool node, autostart, persistence, fresh;
	int n;

	/* A define or undefine event is taken before the stats call, so the
	 * records it fetches are the ones read afresh: an event that comes
	 * during or after the call waits for the next refresh (taken after,
	 * it would have gone with records older than the change, and the
	 * next, newer ones been matched to the old guests by name). */
	host_lock(h);
	if (p->inventory_event)
		p->inventory_due = true;
	p->inventory_event = false;
	host_unlock(h);
	/* NOWAIT: a domain busy with a job (migration, snapshot) reports what
	 * it can instead of stalling the whole refresh. */
	n = virConnectGetAllDomainStats(stats_conn(p), DOMSTATS_GROUPS, &recs,
	                                VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT);
	if (n < 0) {
		char *why = xstrdup(last_error());
		if (!conns_alive(p)) {
			/* A call cut by kick_stats fails with an end of file: the
			 * main connection's close callback has the real reason. */
			host_lock(h);
			if (p->conn_dead && h->error != NULL) {
				free(why);
				why = NULL;
			}
			host_unlock(h);
			disconnect(h);
			mark_down(h, why);
		} else if (!p->stats_failing) {
			/* Say it once, not every interval. */
			msglog_add(MSG_ERROR, "%s: cannot read stats: %s", host_label(h), why);
		}
		p->stats_failing = true;
		free(why);
		return;
	}
	p->stats_failing = false;
	xmalloc_expect((size_t)n * HEAP_PER_DOMAIN);
	now = host_now_ns();
	epoch = wall_epoch();
	/* After a define or undefine event, names and IDs are read again
	 * instead of taken from the table. */
	fresh = p->inventory_due;
	parse_records(h, recs, (size_t)n, fresh);
	/* Freed before the merge: ring storage that grows there can take
	 * the space (and the heap's top is not pinned by the rings while
	 * the records' space lies free below it). */
	virDomainStatsRecordListFree(recs);
	/* The host's own figures at most once a second; guests are sampled
	 * at every refresh. The host's CPU use over a second and its memory
	 * are enough for its line and graphs, and reading them is dear: the
	 * kernel makes all of /proc/stat (every interrupt's count) and
	 * /proc/meminfo for the few figures used, 55 us on a 2-CPU machine
	 * with caches cold, more with more CPUs; a remote host answers two
	 * calls. At -d 0.5 with ten guests that was a tenth of vmtui's CPU
	 * time. */
	node = p->node_ns == 0 || now - p->node_ns >= NODE_EVERY_NS;
	if (node) {
		node_stats(h, &host_cpu, &free_kib, &total_kib);
		p->node_ns = now;
	}

	/* Like the stats call, on the connection outside the event loop: an
	 * RPC on the main one wakes the loop's thread twice. Persistence
	 * changes come with define and undefine events (and new guests with
	 * events of their own): read after those, after our actions and on
	 * connecting. Autostart has no event: read every INVENTORY_EVERY_NS
	 * too. */
	persistence = p->inventory_due;
	autostart = persistence || now - p->inventory_ns >= INVENTORY_EVERY_NS;
	if (autostart) {
		p->inventory_ns = now;
		autos = list_uuids(stats_conn(p), VIR_CONNECT_LIST_DOMAINS_AUTOSTART, &nautos);
		/* Managed save images have no event either: read with autostart. */
		saved = list_uuids(stats_conn(p), VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE, &nsaved);
	}
	if (persistence)
		trans = list_uuids(stats_conn(p), VIR_CONNECT_LIST_DOMAINS_TRANSIENT, &ntrans);
	p->inventory_due = false;

	host_lock(h);
	merge_samples(h, (size_t)n, now, autos, nautos, autostart, trans, ntrans, persistence,
	              &need, &nneed);
	if (autostart)
		for (size_t k = 0; k < h->nvms; k++)
			h->vms[k]->managed_save = in_list(saved, nsaved, h->vms[k]->uuid);
	lifewatch_refresh(p->watch, h->vms, h->nvms, now);
	p->watch_due = lifewatch_due(p->watch);
	if (node) {
		h->cpu_pct = host_cpu;
		h->mem_free_kib = free_kib;
		/* The memory stats total is what the kernel sees; node info
		 * can be a NUMA-cell or cgroup figure. */
		if (total_kib)
			h->mem_total_kib = total_kib;
		h->node_sampled_ns = now;
	}
	/* Between readings the last figures stand: a point per refresh. */
	if (h->cpu_pct >= 0)
		ring_push(&h->cpu_hist, h->cpu_pct);
	if (h->mem_total_kib && h->mem_free_kib != HOST_MEM_UNKNOWN)
		ring_push(&h->mem_hist, (double)(h->mem_total_kib -
		          (h->mem_free_kib < h->mem_total_kib ? h->mem_free_kib : h->mem_total_kib)) *
		          1024.0);
	h->refreshes++;
	h->sampled_ns = now;
	h->sampled_epoch = epoch;
	if (h->rec)
		line = recording_host_line(h, epoch, now);
	h->generation++;
	host_unlock(h);
	/* Told after the unlock: the UI wakes at once on another CPU, and
	 * would otherwise wait for the lock and be woken again. */
	notify_post();
	recorder_write(h->rec, line); /* the file is written outside the lock */
	free(line);

	xfree_strv(autos, nautos);
	xfree_strv(saved, nsaved);
	xfree_strv(trans, ntrans);
	set_balloon_periods(h, need, nneed);
	xfree_strv(need, nneed);
	read_meta(h);
}

/* ---- tags and notes ---- */

/* The UUIDs whose tags and note to read: those asked for by events and
 * every guest not read yet, sorted, without repeats. Lock held. */
static char **
meta_wanted(struct host *h, size_t *n)
{
	struct host_priv *p = h->priv;
	char **out = xcalloc(p->nmeta_due + h->nvms + 1, sizeof *out);
	size_t i, k = 0;

	for (i = 0; i < p->nmeta_due; i++)
		out[k++] = p->meta_due[i];
	free(p->meta_due);
	p->meta_due = NULL;
	p->nmeta_due = 0;
	for (i = 0; i < h->nvms; i++)
		if (!h->vms[i]->meta_read)
			out[k++] = xstrdup(h->vms[i]->uuid);
	qsort(out, k, sizeof *out, cmp_strp);
	for (i = 1, *n = k ? 1 : 0; i < k; i++) {
		if (strcmp(out[i], out[*n - 1]) == 0)
			free(out[i]);
		else
			out[(*n)++] = out[i];
	}
	return out;
}

struct dom_uuid {
	char u[VIR_UUID_STRING_BUFLEN];
	virDomainPtr d;
};

static int
cmp_dom_uuid(const void *a, const void *b)
{
	return strcmp(((const struct dom_uuid *)a)->u, ((const struct dom_uuid *)b)->u);
}

/* dom of uuid among the sorted doms (by their UUIDs in duuids), or one
 * looked up. The caller frees a looked-up one (*own). */
static virDomainPtr
meta_domain(virConnectPtr conn, const char *uuid, char **duuids, virDomainPtr *doms, size_t nd,
            bool *own)
{
	char **at;

	*own = false;
	if (doms == NULL) {
		*own = true;
		return virDomainLookupByUUIDString(conn, uuid);
	}
	at = bsearch(&uuid, duuids, nd, sizeof *duuids, cmp_strp);
	return at ? doms[at - duuids] : NULL;
}

/* Read the tags and note of the guests first seen and of those an event
 * named; published at once. Many guests (a host's first sight): one list
 * call finds their domains, then one call each. Worker only, after the
 * refresh published its figures. */
static void
read_meta(struct host *h)
{
	virConnectPtr conn = stats_conn(h->priv);
	virDomainPtr *all = NULL, *doms = NULL;
	char **uuids, **duuids = NULL;
	struct tagset *got;
	bool *ok;
	size_t n, i, nd = 0;
	int cnt = 0;

	host_lock(h);
	uuids = meta_wanted(h, &n);
	host_unlock(h);
	if (n == 0) {
		free(uuids);
		return;
	}
	if (n > 16 && (cnt = virConnectListAllDomains(conn, &all, 0)) > 0) {
		/* Sorted by UUID, with the UUIDs beside them. */
		struct dom_uuid *t = xcalloc((size_t)cnt, sizeof *t);
		for (i = 0; i < (size_t)cnt; i++) {
			if (virDomainGetUUIDString(all[i], t[nd].u) == 0)
				t[nd++].d = all[i];
		}
		qsort(t, nd, sizeof *t, cmp_dom_uuid);
		duuids = xcalloc(nd + 1, sizeof *duuids);
		doms = xcalloc(nd + 1, sizeof *doms);
		for (i = 0; i < nd; i++) {
			duuids[i] = xstrdup(t[i].u);
			doms[i] = t[i].d;
		}
		free(t);
	}
	got = xcalloc(n, sizeof *got);
	ok = xcalloc(n, sizeof *ok);
	for (i = 0; i < n; i++) {
		bool own;
		char *err = NULL;
		virDomainPtr d = meta_domain(conn, uuids[i], duuids, doms, nd, &own);

		if (d == NULL)
			continue; /* gone: the next refresh drops it */
		if (tagmeta_read(d, &got[i], &err) == 0)
			ok[i] = true;
		else
			msglog_add(MSG_ERROR, "%s: %s", host_label(h), err);
		free(err);
		if (own)
			virDomainFree(d);
	}
	host_lock(h);
	for (i = 0; i < n; i++) {
		struct vm *vm = host_find_vm(h, uuids[i]);
		if (vm == NULL)
			continue;
		if (ok[i])
			vm_set_meta(vm, got[i].tags, got[i].ntags, got[i].note);
		/* Read, or unreadable (said once): not asked again until an
		 * event or a reconnect. */
		vm->meta_read = true;
	}
	changed(h);
	host_unlock(h);
	for (i = 0; i < n; i++)
		tagset_free(&got[i]);
	free(got);
	free(ok);
	xfree_strv(uuids, n);
	if (all != NULL) {
		for (i = 0; i < (size_t)cnt; i++)
			virDomainFree(all[i]);
		free(all);
	}
	xfree_strv(duuids, nd);
	free(doms);
}

/* ---- requests ---- */

static void
push_req(struct host *h, struct req *r)
{
	host_lock(h);
	*h->priv->reqs_tail = r;
	h->priv->reqs_tail = &r->next;
	pthread_cond_signal(&h->priv->cond);
	host_unlock(h);
}

void
host_action(struct host *h, const char *uuid, enum action a)
{
	struct req *r;
	struct vm *vm;

	if (h->replay) {
		msglog_add(MSG_ERROR, "%s refused: replaying a recording", action_name(a));
		return;
	}
	r = xcalloc(1, sizeof *r);
	r->act = a;
	snprintf(r->uuid, sizeof r->uuid, "%s", uuid);
	host_lock(h);
	vm = host_find_vm(h, uuid);
	r->name = xstrdup(vm ? vm->name : uuid);
	host_unlock(h);
	push_req(h, r);
}

void
host_call(struct host *h, host_fn fn, void *arg)
{
	struct req *r;

	if (h->replay) {
		fn(h, NULL, arg); /* nothing to connect to */
		return;
	}
	r = xcalloc(1, sizeof *r);
	r->fn = fn;
	r->arg = arg;
	r->name = xstrdup("call");
	push_req(h, r);
}

struct sshlink *
host_link(struct host *h)
{
	return h->priv->link;
}

void
host_request_detail(struct host *h, const char *uuid)
{
	struct req *r;

	if (h->replay)
		return; /* the detail view shows what the recording has */
	r = xcalloc(1, sizeof *r);
	r->is_detail = true;
	snprintf(r->uuid, sizeof r->uuid, "%s", uuid);
	host_lock(h);
	h->detail_busy = true;
	host_unlock(h);
	push_req(h, r);
}

static void
fill_addresses(virDomainPtr dom, struct vm_config *c)
{
	static const unsigned sources[] = {
		VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE,
		VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_ARP,
	};
	static const char *const names[] = { "lease", "arp" };
	virDomainInterfacePtr *ifs = NULL;
	size_t s;
	int n = -1, i;
	unsigned j;

	for (s = 0; s < sizeof sources / sizeof sources[0] && n <= 0; s++) {
		n = virDomainInterfaceAddresses(dom, &ifs, sources[s], 0);
		if (n > 0)
			c->addrs_source = names[s];
	}
	if (n < 0)
		return;
	c->addrs_known = true;
	for (i = 0; i < n; i++) {
		for (s = 0; s < c->nnics; s++) {
			struct vm_config_nic *nic = &c->nics[s];
			if (!nic->mac || !ifs[i]->hwaddr || strcasecmp(nic->mac, ifs[i]->hwaddr) != 0)
				continue;
			nic->addrs = xreallocarray(nic->addrs, nic->naddrs + ifs[i]->naddrs,
			                           sizeof *nic->addrs);
			for (j = 0; j < ifs[i]->naddrs; j++)
				nic->addrs[nic->naddrs++] = xasprintf("%s/%u",
					ifs[i]->addrs[j].addr, ifs[i]->addrs[j].prefix);
		}
		virDomainInterfaceFree(ifs[i]);
	}
	free(ifs);
}

/* The addresses the guest's networks pin to its NICs' MACs (one read of
 * a network's XML per NIC on one): for the detail view only. */
static void
fill_pins(virConnectPtr conn, struct vm_config *c)
{
	size_t i;

	for (i = 0; i < c->nnics; i++) {
		struct vm_config_nic *nic = &c->nics[i];
		virNetworkPtr net;
		char *xml;
		if (!nic->type || strcmp(nic->type, "network") != 0 || !nic->source || !nic->mac)
			continue;
		if ((net = virNetworkLookupByName(conn, nic->source)) == NULL)
			continue;
		if ((xml = virNetworkGetXMLDesc(net, 0)) != NULL)
			nic->pinned = domxml_net_pinned(xml, nic->mac);
		free(xml);
		virNetworkFree(net);
	}
}

static void
run_detail(struct host *h, const char *uuid)
{
	virDomainPtr dom = virDomainLookupByUUIDString(h->priv->conn, uuid);
	struct vm_config *c = NULL;
	char *xml = NULL, *err = NULL;

	if (dom != NULL)
		xml = virDomainGetXMLDesc(dom, 0);
	if (xml != NULL)
		c = domxml_parse(xml, &err);
	if (c != NULL) {
		snprintf(c->uuid, sizeof c->uuid, "%s", uuid);
		if (virDomainIsActive(dom) == 1)
			fill_addresses(dom, c);
		fill_pins(h->priv->conn, c);
	} else {
		msglog_add(MSG_ERROR, "%s: cannot read configuration: %s", host_label(h),
		           err ? err : last_error());
	}
	host_lock(h);
	vm_config_free(h->detail);
	h->detail = c;
	h->detail_busy = false;
	changed(h);
	host_unlock(h);
	free(err);
	free(xml);
	if (dom != NULL)
		virDomainFree(dom);
}

/* Tell the action's outcome. libvirt only passes a shutdown or reboot on
 * to the guest: those are "requested", and followed from here on (under
 * the lock, so an event's verdict comes after the request's message). */
static void
report_action(struct host *h, const struct req *r, const char *err, const char *mode)
{
	char *uri = host_virsh_uri(h);
	char *virsh = action_virsh_line(r->act, uri, r->name);
	bool follow = r->act == ACT_SHUTDOWN || r->act == ACT_REBOOT;
	struct vm *vm;

	host_lock(h);
	if (follow)
		msglog_requested(virsh, err, "%s: %s%s%s%s", r->name, action_name(r->act),
		                 mode ? " (" : "", mode ? mode : "", mode ? ")" : "");
	else
		msglog_action(virsh, err, "%s: %s", r->name, action_name(r->act));
	if (err == NULL && follow) {
		vm = host_find_vm(h, r->uuid);
		lifewatch_request(h->priv->watch, r->uuid, r->name, r->act, vm ? vm->id : -1,
		                  host_now_ns());
	}
	host_unlock(h);
	free(virsh);
	free(uri);
}

static void
run_req(struct host *h, struct req *r)
{
	const char *mode = NULL;
	char *err = NULL;

	if (r->fn) {
		r->fn(h, h->priv->conn, r->arg);
		h->priv->inventory_due = true;
		return;
	}
	if (r->is_detail) {
		run_detail(h, r->uuid);
		return;
	}
	if (r->act != ACT_AUTOSTART_ON && r->act != ACT_AUTOSTART_OFF) {
		host_lock(h);
		lifewatch_forget(h->priv->watch, r->uuid);
		host_unlock(h);
	}
	action_run_mode(h->priv->conn, r->uuid, r->act, &err, &mode);
	/* The mode is said where the guest agent was used or tried; plain
	 * ACPI, without an agent, is what a shutdown always was. */
	if (mode && strcmp(mode, "ACPI") == 0)
		mode = NULL;
	report_action(h, r, err, mode);
	/* Autostart, and a managed save image made, removed or restored. */
	if (r->act == ACT_AUTOSTART_ON || r->act == ACT_AUTOSTART_OFF || r->act == ACT_START ||
	    r->act == ACT_MANAGED_SAVE || r->act == ACT_SAVE_REMOVE)
		h->priv->inventory_due = true;
	free(err);
}

static void
fail_reqs(struct host *h, struct req *list)
{
	while (list != NULL) {
		struct req *next = list->next;
		if (list->fn) {
			list->fn(h, NULL, list->arg);
		} else if (list->is_detail) {
			host_lock(h);
			h->detail_busy = false;
			changed(h);
			host_unlock(h);
		} else {
			msglog_add(MSG_ERROR, "%s: %s refused: %s is not connected", list->name,
			           action_name(list->act), host_label(h));
		}
		free(list->name);
		free(list);
		list = next;
	}
}

/* ---- the worker ---- */

static void
wait_until(struct host *h, uint64_t deadline_ns)
{
	struct timespec ts;
	uint64_t now = host_now_ns();

	if (deadline_ns <= now)
		return;
	/* The condvar uses CLOCK_MONOTONIC (see host_start). */
	ts.tv_sec = (time_t)(deadline_ns / 1000000000ull);
	ts.tv_nsec = (long)(deadline_ns % 1000000000ull);
	wait_locked(h, &h->priv->cond, &ts);
}

static void *
worker(void *arg)
{
	struct host *h = arg;
	struct host_priv *p = h->priv;
	uint64_t next_refresh = 0;

	host_lock(h);
	while (!p->quit) {
		struct req *reqs = p->reqs;
		bool dead = p->conn_dead, now_asked = p->refresh_now;
		uint64_t now = host_now_ns();

		p->reqs = NULL;
		p->reqs_tail = &p->reqs;
		p->refresh_now = false;
		p->interval_ms = h->interval_ms;
		host_unlock(h);

		/* The close callback (or the SSH link) says when the connection
		 * goes, and a refresh that fails asks: ask here only before
		 * running requests, not on every wake-up. */
		if (p->conn != NULL && (dead || (reqs != NULL && !conns_alive(p)))) {
			disconnect(h);
			mark_down(h, NULL);
		}
		if (p->conn == NULL && (now >= p->retry_at_ns || now_asked)) {
			try_connect(h);
			next_refresh = 0;
		}
		if (p->conn == NULL) {
			fail_reqs(h, reqs);
		} else {
			bool acted = reqs != NULL;
			while (reqs != NULL) {
				struct req *next = reqs->next;
				run_req(h, reqs);
				free(reqs->name);
				free(reqs);
				reqs = next;
			}
			if (acted || now_asked || host_now_ns() >= next_refresh) {
				uint64_t start = host_now_ns(), iv = (uint64_t)p->interval_ms * 1000000ull;
				refresh(h);
				/* Every interval from the start of the last refresh, so a
				 * slow daemon does not stretch it; but leave a quarter of
				 * it idle after a refresh that took longer. */
				next_refresh = start + iv;
				if (next_refresh < host_now_ns() + iv / 4)
					next_refresh = host_now_ns() + iv / 4;
				/* A followed request's deadline: a refresh then
				 * (not one already past: a refresh that failed
				 * left it). */
				if (p->watch_due > host_now_ns() && p->watch_due < next_refresh)
					next_refresh = p->watch_due;
			}
		}

		host_lock(h);
		if (p->quit || p->reqs || p->refresh_now)
			continue;
		if (p->conn == NULL)
			wait_until(h, p->retry_at_ns);
		else if (!p->conn_dead)
			wait_until(h, next_refresh);
	}
	host_unlock(h);
	disconnect(h);
	return NULL;
}

void
host_start(struct host *h)
{
	pthread_condattr_t ca;
	sigset_t old;

	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_destroy(&h->priv->cond);
	pthread_cond_init(&h->priv->cond, &ca);
	pthread_condattr_destroy(&ca);
	threads_block_signals(&old);
	if (pthread_create(&h->priv->thread, NULL, worker, h) == 0)
		h->priv->started = true;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

void
host_refresh_now(struct host *h)
{
	host_lock(h);
	h->priv->refresh_now = true;
	pthread_cond_signal(&h->priv->cond);
	host_unlock(h);
}

void
host_set_interval(struct host *h, unsigned interval_ms)
{
	host_lock(h);
	h->interval_ms = interval_ms;
	h->priv->refresh_now = true;
	pthread_cond_signal(&h->priv->cond);
	host_unlock(h);
}

static bool
join_within(pthread_t t, int seconds)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += seconds;
	return pthread_timedjoin_np(t, NULL, &ts) == 0;
}

void
host_free(struct host *h)
{
	size_t i;
	struct req *r;

	if (h == NULL)
		return;
	if (h->priv->started) {
		host_lock(h);
		h->priv->quit = true;
		pthread_cond_signal(&h->priv->cond);
		pthread_cond_signal(&h->priv->qcond);
		host_unlock(h);
		if (!join_within(h->priv->thread, 3)) {
			/* Stuck in a call to a hung host: leave it to process exit
			 * rather than hang the user's quit. */
			pthread_detach(h->priv->thread);
			return;
		}
	} else {
		disconnect(h);
	}
	for (r = h->priv->reqs; r != NULL;) {
		struct req *next = r->next;
		if (r->fn)
			r->fn(h, NULL, r->arg);
		free(r->name);
		free(r);
		r = next;
	}
	hostjob_free(h->job);
	hostinfo_free(h->info);
	lifewatch_free(h->priv->watch);
	xfree_strv(h->priv->meta_due, h->priv->nmeta_due);
	for (i = 0; i < h->nvms; i++)
		vm_free(h->vms[i]);
	free(h->vms);
	vm_config_free(h->detail);
	ring_free(&h->cpu_hist);
	ring_free(&h->mem_hist);
	sshlink_close(h->priv->link);
	slots_free(h->priv);
	procinfo_close(&h->priv->stat_fd);
	procinfo_close(&h->priv->meminfo_fd);
	pthread_cond_destroy(&h->priv->cond);
	pthread_cond_destroy(&h->priv->qcond);
	free(h->question.text);
	for (i = 0; i < h->priv->nold_labels; i++)
		free(h->priv->old_labels[i]);
	free(h->priv->old_labels);
	free(h->priv->logged_error);
	free(atomic_load_explicit(&h->priv->label, memory_order_relaxed));
	free(h->name);
	free(h->ssh);
	free(h->key);
	free(h->known_hosts);
	pthread_mutex_destroy(&h->lock);
	free(h->priv);
	free(h->uri_req);
	free(h->uri);
	free(h->hostname);
	free(h->error);
	free(h);
}
