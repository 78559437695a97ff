/* migrate.h — moving a guest to another host: the pre-flight check shown
 * as a plan before anything moves, the migration itself (live, paused or
 * offline; shared storage or the disks copied), its progress from the
 * job's statistics, and cancel.
 *
 * The pre-flight is two halves: mig_facts_gather asks both hosts what the
 * plan needs (on the caller's thread, with a connection to each), and
 * mig_plan_build turns those facts into the plan's lines (pure: the unit
 * tests feed it facts). A plan with a failed line stops the migration
 * before anything is changed on either host.
 *
 * Storage. With shared storage, the target must see each disk at the same
 * path. With copy_storage a running guest's disks go over libvirt's
 * NBD copy (VIR_MIGRATE_NON_SHARED_DISK): the target makes the volumes
 * itself in the pool of the same name that holds the same path; an
 * offline guest's disks (libvirt cannot copy those) are copied by vmtui
 * through storage streams into volumes it makes in that pool, then the
 * definition moves. The source's disks are kept either way.
 *
 * Where the data flows. The guest's memory and disks go from the source
 * host straight to the target (the target's hostname as the source
 * resolves it, TCP ports 49152-49215 by default, or migrate_uri), even
 * when vmtui reaches both hosts through its own SSH transport: vmtui only
 * drives the steps. With p2p the source daemon also opens the libvirt
 * connection to the target itself (p2p_uri, e.g. qemu+ssh://target/system:
 * root's SSH key on the source must log in there).
 *
 * Threads. mig_run blocks its caller; it runs the migration on a thread
 * of its own and polls the job's statistics on the caller's. The watch's
 * cancel flag is atomic, set from any thread (mig_cancel); the progress
 * callback runs on mig_run's caller. */
#ifndef VMTUI_MIGRATE_H
#define VMTUI_MIGRATE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libvirt/libvirt.h>

#include "../stats/vm.h"
#include "bulk.h"

enum mig_mode {
	MIG_AUTO,     /* live when running or paused, offline when shut off */
	MIG_LIVE,     /* running all along; a short pause at the end */
	MIG_PAUSED,   /* paused while its memory is copied (sure to converge) */
	MIG_OFFLINE,  /* the definition (and with copy_storage the disks) of a shut off guest */
};
const char *mig_mode_name(enum mig_mode m); /* "live", "paused", "offline", "auto" */

struct mig_opts {
	enum mig_mode mode;
	bool copy_storage;   /* copy the disks to the target */
	bool keep_source;    /* leave the definition on the source */
	bool transient;      /* do not define it on the target (live only) */
	bool unsafe;         /* migrate live even when libvirt calls the disks unsafe */
	bool p2p;            /* the source daemon talks to p2p_uri itself */
	const char *p2p_uri; /* the target as the source daemon reaches it */
	const char *migrate_uri; /* where the data goes (tcp://ADDR[:PORT]), or NULL */
	unsigned long bandwidth; /* MiB/s, 0: no limit */
};

/* ---- the pre-flight ---- */

enum mig_level { MIG_OK, MIG_WARN, MIG_FAIL };

/* A network, pool or disk the guest uses, as the target has it. */
struct mig_net {
	char *name;
	bool exists, active;
};
struct mig_disk {
	char *target;   /* "vda" */
	char *path;     /* on the source */
	char *pool;     /* the source pool holding it, or NULL */
	bool readonly;  /* a CD-ROM or read-only disk (never copied) */
	bool pool_on_target, pool_active;
	bool seen_on_target; /* the target has a volume at the same path */
	uint64_t capacity;   /* bytes, from the source volume (0: unknown) */
	uint64_t physical;   /* bytes of the file: what a copy carries */
	char *format;        /* "qcow2", or NULL */
};

/* What the pre-flight learns from both hosts. */
struct mig_facts {
	char *name;
	int state;                /* virDomainState on the source */
	bool reachable;           /* the target answered */
	char *reach_err;          /* why not */
	bool same_host;           /* both hosts have one host UUID */
	char *target_label;
	/* CPU: VIR_CPU_COMPARE_* from virConnectCompareHypervisorCPU, or
	 * -2 when there was nothing to compare (no <cpu> model) */
	int cpu_cmp;
	char *cpu_err;            /* libvirt's words when incompatible or failed */
	char *cpu_what;           /* "host-passthrough", "model Skylake", ... */
	struct mig_net *nets;
	size_t nnets;
	char **bridges;           /* bridges the NICs use (cannot be checked) */
	size_t nbridges;
	struct mig_disk *disks;
	size_t ndisks;
	bool name_taken;          /* the target has a guest of this name */
	bool uuid_taken;          /* ... of this UUID (another name when !name_taken) */
	bool taken_running;       /* that guest is running */
	uint64_t need_kib;        /* the guest's memory */
	uint64_t free_kib;        /* the target's free memory (0: unknown) */
};
void mig_facts_clear(struct mig_facts *f);

struct mig_line {
	enum mig_level level;
	char *what;  /* "target reachable" */
	char *detail; /* what was found */
	char *fix;   /* for WARN and FAIL: what to do, or NULL */
};
struct mig_plan {
	struct mig_line *v;
	size_t n;
	enum mig_mode mode; /* the mode resolved (MIG_AUTO made concrete) */
	bool copy_storage;
};
void mig_plan_clear(struct mig_plan *p);
/* The plan for facts f and options o (pure). */
void mig_plan_build(const struct mig_facts *f, const struct mig_opts *o, struct mig_plan *p);
/* The worst level of the plan. */
enum mig_level mig_plan_worst(const struct mig_plan *p);
/* The plan as text, one line per check ("  ok    target reachable: ..."),
 * the fix indented under a failure. A new string. */
char *mig_plan_text(const struct mig_plan *p);
const char *mig_level_name(enum mig_level l); /* "ok", "warn", "FAIL" */

/* The networks, bridges and disks a domain XML uses (pure): the nets' and
 * disks' names and paths only. -1 when xml is not a domain. */
int mig_xml_refs(const char *xml, struct mig_facts *f);

/* Ask both hosts: src and dst are connections to the source and the
 * target (dst NULL: not reachable, dst_err says why), vm the guest's name
 * or UUID on src. -1 with *err when the guest cannot be read at all. */
int mig_facts_gather(virConnectPtr src, virConnectPtr dst, const char *dst_err,
                     const char *target_label, const char *vm, struct mig_facts *f,
                     char **err);

/* ---- progress and the run ---- */

/* One reading of the job's statistics. */
struct mig_progress {
	bool known;          /* statistics were read */
	const char *phase;   /* "memory", "disks", "copying disk vda", "finishing" */
	uint64_t total, processed, remaining; /* bytes (data: memory + disks) */
	uint64_t disk_total, disk_processed;
	uint64_t dirty_rate;  /* bytes a second (pages/s x page size) */
	uint64_t downtime_ms; /* expected downtime, 0: unknown */
	uint64_t elapsed_ms;
	unsigned iteration;   /* memory passes */
};
/* Fill p from the typed parameters of virDomainGetJobStats (pure). */
void mig_progress_from_params(struct mig_progress *p, virTypedParameterPtr params, int n);
/* "memory 40 MiB of 128 MiB, 88 MiB left, dirtied 1.2 MiB/s, downtime ~300 ms"
 * into buf (pure). */
void mig_progress_line(const struct mig_progress *p, char *buf, size_t size);

struct mig_watch {
	void (*progress)(void *opaque, const struct mig_progress *p);
	/* polled with the job (NULL: none): true cancels as mig_cancel does */
	bool (*cancelled)(void *opaque);
	void *opaque;
	atomic_bool cancel;
};
void mig_cancel(struct mig_watch *w);

enum mig_outcome { MIG_DONE = 0, MIG_FAILED = -1, MIG_CANCELLED = 1 };

/* Migrate vm from src to dst with options o (the plan's mode: pass
 * plan->mode), blocking. *msg says what happened (what was done, or why
 * not and what state the guest is in); *virsh the virsh line doing the
 * same (virsh_src and virsh_dst: the URIs a person gives virsh). Both new
 * strings. dst may be NULL with p2p. */
enum mig_outcome mig_run(virConnectPtr src, virConnectPtr dst, const char *vm,
                         const struct mig_opts *o, const char *virsh_src,
                         const char *virsh_dst, struct mig_watch *w, char **msg,
                         char **virsh);

/* The virsh command doing the same (pure). A new string. */
char *mig_virsh(const char *vm, const struct mig_opts *o, const char *virsh_src,
                const char *virsh_dst);

/* ---- the TUI's job ---- */

struct host;

enum mig_job_state {
	MJ_CHECKING, /* reaching both hosts, the pre-flight */
	MJ_PLANNED,  /* the plan is shown: mig_job_go or mig_job_release */
	MJ_RUNNING,
	MJ_ENDED,
};

/* The pre-flight and migration of one guest from the TUI: a thread of its
 * own with connections of its own to both hosts (their URIs read on each
 * host's worker, as transfer.h's job does: an SSH host's tunnel socket),
 * so neither worker is held for the minutes a migration takes.
 * Fields after `refs` are published under src's lock (host_lock; the
 * UI reads them under it and is woken by host_publish_unlock). */
struct mig_job {
	struct host *src, *dst;    /* immutable */
	char uuid[VM_UUID_LEN];    /* immutable */
	char *name;                /* immutable */
	struct mig_opts opts;      /* immutable (its strings NULL) */
	struct mig_watch watch;    /* .cancel: atomic, any thread */
	pthread_t thread;          /* the UI's: made by mig_job_start */
	bool thread_started;

	/* The workers' answers and the go: under ulock, cond signalled. */
	pthread_mutex_t ulock;
	pthread_cond_t cond;
	char *uri[2], *uri_err[2];
	bool uri_ready[2];
	bool go;
	int refs;                  /* under ulock: the UI, the thread, the workers' calls */

	enum mig_job_state state;
	struct mig_plan plan;      /* from MJ_PLANNED on */
	char *error;               /* MJ_ENDED before a plan: why */
	struct mig_progress prog;
	char progline[256];
	enum mig_outcome outcome;  /* MJ_ENDED */
	char *msg;                 /* MJ_ENDED: the outcome as a sentence */
};

/* Start the pre-flight of guest uuid (name) of src to dst with o (its
 * strings are not used). */
struct mig_job *mig_job_start(struct host *src, struct host *dst, const char *uuid,
                              const char *name, const struct mig_opts *o);
/* The plan shown was accepted: migrate (UI thread; once PLANNED). */
void mig_job_go(struct mig_job *j);
/* Abort it (any thread): before the go nothing happens; while running
 * the migration's job is aborted. */
void mig_job_cancel(struct mig_job *j);
/* The UI is done with it: cancelled when not ended; the thread finishes
 * on its own (the outcome goes to the action log) and frees the job. */
void mig_job_release(struct mig_job *j);

/* ---- for bulk runs (model/guest/bulk.h), in migbulk.c ---- */

/* What mig_bulk_fn needs for each guest: the target, and the options. */
struct mig_bulk_arg {
	char *target_uri;   /* opened by the run's thread for each guest */
	char *target_label;
	char *virsh_target; /* for the virsh line */
	struct mig_opts opts;
};
struct mig_bulk_arg *mig_bulk_arg_new(const char *target_uri, const char *target_label,
                                      const char *virsh_target, const struct mig_opts *o);
void mig_bulk_arg_free(void *arg);
/* A bulk_fn (arg: a struct mig_bulk_arg, freed by mig_bulk_arg_free): the
 * pre-flight (refused with its plan when a line fails: nothing changes),
 * then the migration, its progress as the item's step, aborted when the
 * run is cancelled. */
enum bulk_status mig_bulk_fn(struct bulk_ctx *ctx, void *arg, char **msg, char **virsh);

#endif
