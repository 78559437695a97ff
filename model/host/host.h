/* host.h — one hypervisor connection and the guests on it.
 *
 * Each host has a worker thread that owns the libvirt connection: it
 * connects (retrying with backoff), refreshes with one bulk
 * virConnectGetAllDomainStats per interval, and runs queued actions, so a
 * slow or dead host never blocks the UI.
 *
 * Threads and the locking rule. A host is touched by
 *   - the UI thread, which never calls libvirt;
 *   - the host's worker (host.c), which owns its connections and is the
 *     host's one writer; a replay host (replay.h) has no worker: the
 *     replay's player thread is its one writer instead, through
 *     replay_apply;
 *   - libvirt's event-loop thread (eventloop.c), running host.c's
 *     callbacks: guest lifecycle events and the connection's close;
 *   - an SSH host's link pump thread (sshlink.c), saying the link died.
 * Each field of struct host below says who may write it and read it. In
 * builds without NDEBUG host_lock records the thread holding the lock and
 * host_assert_locked aborts when the caller does not hold it: the
 * accessors and the UI's drawing paths check it. ThreadSanitizer checks
 * the rest (scripts/check, "ThreadSanitizer" step). */
#ifndef VMTUI_HOST_H
#define VMTUI_HOST_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libvirt/libvirt.h>

#include "../guest/actions.h"
#include "../stats/ring.h"
#include "../stats/vm.h"

enum host_state { HOST_CONNECTING, HOST_UP, HOST_DOWN };

/* What the detail view shows beyond the bulk stats: read from the domain
 * XML and the address query, fetched on demand only. */
struct vm_config_disk {
	char *target, *source, *bus, *device, *format;
};
struct vm_config_nic {
	char *mac, *model, *type, *source, *target;
	char **addrs; /* "192.0.2.10/24" */
	size_t naddrs;
	char *pinned; /* on a libvirt network that pins an address to mac (a
	               * fixed DHCP host, model/net/network.h): that address */
};
struct vm_config {
	char uuid[VM_UUID_LEN];
	unsigned vcpus_cur, vcpus_max;
	uint64_t mem_cur_kib, mem_max_kib;
	char *os_type, *arch, *machine, *emulator;
	struct vm_config_disk *disks;
	size_t ndisks;
	struct vm_config_nic *nics;
	size_t nnics;
	bool addrs_known;
	const char *addrs_source; /* static text: "lease", "arp", or NULL */
};
void vm_config_free(struct vm_config *c);

struct host_opts {
	const char *uri;     /* NULL: libvirt's default; with ssh: the remote URI */
	const char *name;    /* label shown for the host, or NULL */
	const char *ssh;     /* reach the host over SSH: [user@]host[:port] or alias */
	const char *key;     /* extra identity file for ssh, or NULL */
	const char *known_hosts; /* NULL: ~/.ssh/known_hosts */
	bool readonly;
	unsigned interval_ms;
	size_t history;      /* samples kept per graph */
	struct recorder *rec; /* append every refresh here (recording.h), or NULL */
	bool replay;         /* fed from a recording (replay.h): no worker, no actions */
	/* Shutdown and reboot requests are followed (lifewatch.h): the wait
	 * before saying the guest has not done it (0: the default), and the
	 * keys that force a guest off and start it, for that message (NULL:
	 * none bound). */
	unsigned shutdown_wait_ms;
	const char *force_key, *start_key;
};

/* A question the host's worker needs answered before it can go on (an
 * unknown SSH host key, a passphrase, a password). The UI shows it and
 * answers with host_answer. */
struct host_question {
	bool pending;
	bool echo;           /* false: a secret, do not show it while typed */
	bool yes_no;         /* a yes/no question (host key) */
	char *text;
	uint64_t seq;
};

struct host {
	/* Immutable: set by host_new, never written again until host_free.
	 * Any thread reads them without the lock. */
	char *uri_req;       /* the URI asked for, or NULL */
	char *name, *ssh, *key, *known_hosts;
	bool readonly;
	bool replay;         /* fed by a replay's player: no worker */
	struct recorder *rec;
	size_t history;      /* samples kept per graph */

	pthread_mutex_t lock;
	/* Everything below is guarded by lock: read or written only with it
	 * held, by any thread, unless the field says otherwise. Written by
	 * the host's one writer (its worker, or a replay host's player)
	 * unless the field names another writer. */
	enum host_state state;
	char *uri;           /* canonical URI once connected; freed and replaced
	                      * on a reconnect: read it only under the lock */
	char *hostname;      /* the same */
	char *error;         /* why the connection is down; also written by
	                      * the event-loop thread (the close callback) */
	double retry_in;     /* seconds until the next attempt, when down */

	struct vm **vms;     /* sorted by UUID; a guest's state is also
	                      * written by the event-loop thread (events) */
	size_t nvms;
	/* Bumps whenever a guest joins or leaves vms (and is freed): pointers
	 * to guests kept from an earlier lock are still good while it holds. */
	uint64_t vms_gen;
	uint64_t generation; /* bumps on every change the UI should draw; any
	                      * thread that changes something under the lock */

#define HOST_MEM_UNKNOWN UINT64_MAX
	unsigned cpus;       /* host logical CPUs */
	uint64_t mem_total_kib, mem_free_kib;
	double cpu_pct;
	struct ring cpu_hist, mem_hist;

	struct vm_config *detail; /* config of the VM asked for, or NULL */
	bool detail_busy;    /* also set by the UI (host_request_detail) */

	/* The refresh interval: written by the UI (host_set_interval); the
	 * worker takes a copy each time it wakes. */
	unsigned interval_ms;
	uint64_t refreshes;
	uint64_t sampled_ns;  /* monotonic time of the last bulk sample */
	uint64_t node_sampled_ns; /* of the host's own CPU and memory (once a second at most) */
	double sampled_epoch; /* the same as wall-clock seconds since 1970 */

	/* Written by the worker (ask_user); the UI reads it and answers with
	 * host_answer. */
	struct host_question question;
	/* Plan/apply of VM definitions (hostjob.h): set and cleared by the UI
	 * thread, its progress written by the worker; the job's own rules
	 * are in hostjob.h. */
	struct host_job *job;
	struct host_info *info; /* node details and pools (hostinfo.h), on demand */

	/* Private to host.c, its fields' rules written there; the worker's
	 * own state (connections, backoff, parse buffers) lives here, out of
	 * the UI's reach. Immutable pointer. */
	struct host_priv *priv;
};

struct host *host_new(const struct host_opts *o);
/* Start the worker; needs eventloop_start() first. */
void host_start(struct host *h);
/* Stop the worker and close the connection. */
void host_free(struct host *h);

void host_lock(struct host *h);
void host_unlock(struct host *h);
/* Abort unless the calling thread holds h's lock (builds without NDEBUG;
 * nothing otherwise). */
#ifndef NDEBUG
void host_assert_locked(const struct host *h);
#else
#define host_assert_locked(h) ((void)(h))
#endif

/* Ask for a refresh (and an immediate reconnect attempt when down). */
void host_refresh_now(struct host *h);
void host_set_interval(struct host *h, unsigned interval_ms);
/* Queue an action; its result arrives in the message log. A replay host
 * refuses it there. A shutdown or reboot is followed until the guest does
 * it, or the wait passes: that too is told there. */
void host_action(struct host *h, const char *uuid, enum action a);
/* Answer the pending question (NULL: cancel). The answer is wiped here
 * after the worker took it. */
void host_answer(struct host *h, const char *answer);

/* Run fn(h, conn, arg) on the host's worker, where libvirt may block.
 * conn is NULL when the host is not connected (or vmtui is quitting, or
 * the host is a replay, where fn runs at once on the caller's thread):
 * fn must then report that and free arg. */
typedef void (*host_fn)(struct host *h, virConnectPtr conn, void *arg);
void host_call(struct host *h, host_fn fn, void *arg);

/* For jobs run with host_call: */
/* Why fn got no connection: "NAME is not connected; try again when it
 * is." (newly allocated; takes the lock). */
char *host_not_connected(struct host *h);
/* With the lock held: record a change the UI should draw, drop the lock
 * and wake the UI. */
void host_publish_unlock(struct host *h);
/* Drop one of a job's references under h's lock; true when it was the
 * last, and the caller frees the job. */
bool host_unref(struct host *h, int *refs);

/* The SSH link of a host reached over SSH (sshlink.h), or NULL: only in
 * a function host_call runs (on the worker, which owns the link), and good
 * until it returns. */
struct sshlink *host_link(struct host *h);

/* Ask for the configuration of one VM; it appears in h->detail. */
void host_request_detail(struct host *h, const char *uuid);

/* Set h->uri (NULL or the same: no change) and the label that follows
 * from it; for a host's one writer, with the lock held. */
void host_set_uri(struct host *h, const char *uri);

/* Lookups for the UI, with the lock held. */
struct vm *host_find_vm(struct host *h, const char *uuid);
const char *host_state_name(enum host_state s);
/* Short display name: the name given, else the hostname, else the URI.
 * Any thread, with or without the lock: the text stays valid until
 * host_free (a reconnect that changes it makes a new one). */
const char *host_label(const struct host *h);

/* The URI a person would give virsh -c to reach this host (qemu+ssh://...
 * for SSH hosts), or NULL for libvirt's default. Newly allocated. */
char *host_virsh_uri(const struct host *h);
/* Monotonic clock in ns. */
uint64_t host_now_ns(void);

#endif
