/* bulk.h — one operation on many guests across hosts: each host's guests
 * taken by at most `limit` threads at once (each with a connection of its
 * own), each guest's step and outcome kept, a failure never stopping the
 * others, cancel stopping what has not started.
 *
 * Used by the TUI (marked guests: views/bulk.c) and by the shell's
 * subcommands that take several guests (`vmtui start 'web-*' --tag x`),
 * which print one line per guest from the same records.
 *
 * Threads and the rule. A bulk run is made and filled (bulk_new,
 * bulk_add_host, bulk_add) by one thread, its owner, before bulk_start;
 * the hosts' and items' fixed fields are then read-only. bulk_start makes
 * the run's threads; they and the owner read and write the fields marked
 * "under lock" only with the run's own mutex held (bulk_lock). The owner
 * reads them to draw or print, and may call bulk_cancel from any thread.
 * bulk_free joins the threads (after bulk_cancel, or once done). The run
 * calls `changed` (from its threads, without the lock) after every change
 * so the owner can redraw: the TUI passes notify_ui's wake-up. */
#ifndef VMTUI_BULK_H
#define VMTUI_BULK_H

#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include <libvirt/libvirt.h>

#include "../stats/vm.h"
#include "actions.h"

enum bulk_status {
	BULK_QUEUED,     /* not started */
	BULK_RUNNING,
	BULK_OK,
	BULK_FAILED,
	BULK_CANCELLED,  /* cancelled before it started */
	BULK_SKIPPED,    /* nothing to do (already in the wanted state): said why */
};
const char *bulk_status_name(enum bulk_status s); /* "queued", "running", "done", ... */

struct bulk_run;
struct bulk_ctx; /* what a running item's function may use (below) */

/* The function that does the work for one guest, on a thread of the run
 * with the connection ctx gives. Returns BULK_OK, BULK_FAILED or
 * BULK_SKIPPED and sets *msg (newly allocated: the outcome as a sentence,
 * "Shut down web-1." or libvirt's error) and *virsh (newly allocated: the
 * virsh line that does the same, or NULL). It may call bulk_step to say
 * where it is and should return soon after bulk_ctx_cancelled turns true
 * when it waits (a migration aborts its job). */
typedef enum bulk_status (*bulk_fn)(struct bulk_ctx *ctx, void *arg, char **msg, char **virsh);

/* One host of the run. Fixed after bulk_add_host. */
struct bulk_host {
	char *label;     /* as the list shows it */
	char *uri;       /* where the run's threads connect (bulk_connect_fn) */
	char *virsh_uri; /* for the virsh lines (-c), or NULL: libvirt's default */
	unsigned limit;  /* operations at once on this host (>= 1) */
	void *conn_arg;  /* for the connect function */
};

struct bulk_item {
	/* Fixed after bulk_add. */
	size_t host;         /* index into the run's hosts */
	char uuid[VM_UUID_LEN];
	char *name;
	bulk_fn fn;
	void *arg;           /* fn's; freed with free_arg (or not, if NULL) */
	void (*free_arg)(void *arg);
	/* Under lock. */
	enum bulk_status status;
	char *step;          /* what it is doing now ("copying disks: 40%"), or NULL */
	char *msg;           /* the outcome, once ended */
	char *virsh;         /* the virsh line, once ended, or NULL */
	double secs;         /* how long it ran, once ended */
};

/* How a run's thread gets its connection to host hi: NULL with *err set
 * (newly allocated) when it cannot; the thread closes it when done. The
 * default (NULL given to bulk_new) is xfer_connect(uri) with libvirt's
 * default auth. */
typedef virConnectPtr (*bulk_connect_fn)(const struct bulk_host *bh, char **err);

struct bulk_run *bulk_new(const char *what, bulk_connect_fn connect,
                          void (*changed)(void *ud), void *ud);
/* Add a host; returns its index. limit 0: 1. */
size_t bulk_add_host(struct bulk_run *b, const char *label, const char *uri,
                     const char *virsh_uri, unsigned limit, void *conn_arg);
/* Add a guest of host hi; returns its index. The run owns arg after this. */
size_t bulk_add(struct bulk_run *b, size_t hi, const char *uuid, const char *name,
                bulk_fn fn, void *arg, void (*free_arg)(void *arg));
/* Log each outcome to the action log (msglog_action with its virsh line)
 * as it ends: the TUI's runs. Before bulk_start. */
void bulk_log_outcomes(struct bulk_run *b, bool on);
/* Start the threads: per host, min(limit, its guests). */
void bulk_start(struct bulk_run *b);
/* Stop what has not started (those become BULK_CANCELLED) and tell the
 * running ones (bulk_ctx_cancelled). Any thread; idempotent. */
void bulk_cancel(struct bulk_run *b);
/* Block until every item has ended. */
void bulk_wait(struct bulk_run *b);
/* Joins the threads (cancelling first if still running) and frees. */
void bulk_free(struct bulk_run *b);

void bulk_lock(struct bulk_run *b);
void bulk_unlock(struct bulk_run *b);
/* Fixed parts, any thread after bulk_start. */
const char *bulk_what(const struct bulk_run *b); /* "shutdown" */
size_t bulk_count(const struct bulk_run *b);
const struct bulk_item *bulk_item(const struct bulk_run *b, size_t i); /* status etc. under lock */
size_t bulk_host_count(const struct bulk_run *b);
const struct bulk_host *bulk_host(const struct bulk_run *b, size_t hi);
/* Under lock: how many are in each state; true once every item ended. */
bool bulk_tally(const struct bulk_run *b, size_t counts[BULK_SKIPPED + 1]);

/* For a bulk_fn: */
virConnectPtr bulk_ctx_conn(struct bulk_ctx *ctx);
const struct bulk_host *bulk_ctx_host(struct bulk_ctx *ctx);
const struct bulk_item *bulk_ctx_item(struct bulk_ctx *ctx); /* its fixed fields */
void bulk_step(struct bulk_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool bulk_ctx_cancelled(struct bulk_ctx *ctx);

/* The lifecycle action a as a bulk_fn (arg: (void *)(intptr_t)a): looks the
 * guest up by UUID, skips with the reason when action_refusal says it does
 * not apply in the guest's state, else action_run. */
enum bulk_status bulk_action_fn(struct bulk_ctx *ctx, void *arg, char **msg, char **virsh);

/* ---- additions ---- */

/* How long bulk_action_fn follows an accepted shutdown or reboot until the
 * guest has done it (step "waiting for the guest to shut down"; the item
 * fails when the wait passes, saying what to do): wait_ms, 0 for
 * lifewatch's default (LIFEWATCH_WAIT_DEFAULT_MS), BULK_NO_WAIT to end
 * the item once libvirt accepted the request. Before bulk_start. */
#define BULK_NO_WAIT UINT_MAX
void bulk_set_wait(struct bulk_run *b, unsigned wait_ms);
/* For a bulk_fn: the run's wait in ms (the default filled in), or
 * BULK_NO_WAIT. */
unsigned bulk_ctx_wait_ms(struct bulk_ctx *ctx);

/* Snapshot create and delete by name as bulk_fns; arg from
 * bulk_snap_arg_new(name, desc) (desc NULL: none), free_arg
 * bulk_snap_arg_free. Create skips a guest that already has a snapshot of
 * that name, delete one that has none (model/guest/snapshot.h). */
void *bulk_snap_arg_new(const char *name, const char *desc);
void bulk_snap_arg_free(void *arg);
enum bulk_status bulk_snap_create_fn(struct bulk_ctx *ctx, void *arg, char **msg, char **virsh);
enum bulk_status bulk_snap_delete_fn(struct bulk_ctx *ctx, void *arg, char **msg, char **virsh);

/* Delete the guest (model/guest/vmdelete.h: backup first, forced off when
 * it runs, undefined), with every volume that can be removed when storage
 * is true; backups under state_home/home as vmdelete_backup_path says.
 * arg from bulk_del_arg_new, free_arg bulk_del_arg_free. The item's step
 * follows vmdelete's; its virsh line joins each step's with " && ". */
void *bulk_del_arg_new(bool storage, const char *state_home, const char *home);
void bulk_del_arg_free(void *arg);
enum bulk_status bulk_delete_fn(struct bulk_ctx *ctx, void *arg, char **msg, char **virsh);

#endif
