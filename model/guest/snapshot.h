/* snapshot.h — snapshots of one guest: list, create, revert, delete.
 *
 * vmtui makes libvirt's default snapshots: internal qcow2 snapshots, with
 * the memory state when the guest runs or is paused (a full system
 * checkpoint that a revert resumes), of the disks alone when it is shut
 * off. Every writable disk must therefore be a qcow2 image; other disks
 * are refused up front with the reason, and so is a revert that libvirt
 * cannot do (model/defs/snapcheck.h: memory with vCPUs plugged in after boot),
 * before anything is touched. The libvirt calls take a connection (the
 * CLI's, or a host worker's through snap_job). */
#ifndef VMTUI_SNAPSHOT_H
#define VMTUI_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include <libvirt/libvirt.h>

#include "../host/host.h"

#define SNAPSHOT_NAME_MAX 128

struct snapshot {
	char *name;
	char *description; /* NULL when none */
	char *state;       /* the guest's state when it was taken: "running", "shutoff"... */
	char *parent;      /* NULL for a root */
	long long created; /* seconds since the epoch */
	bool current;
	char *no_revert;   /* why libvirt cannot revert to it (a sentence), or NULL */
};

struct snapshot_list {
	struct snapshot *v; /* oldest first */
	size_t n;
};
void snapshot_list_free(struct snapshot_list *l);

/* <domainsnapshot> XML for virDomainSnapshotCreateXML; every string is
 * escaped. desc NULL or "": none. NULL when the XML cannot be written. */
char *snapshot_xml(const char *name, const char *desc);
/* Fill s from one <domainsnapshot> XML; -1 when it is not one. */
int snapshot_parse(const char *xml, struct snapshot *s);
/* NULL when name is a usable snapshot name, else a sentence why not. */
char *snapshot_name_check(const char *name);
/* "snap-YYYYMMDD-HHMMSS" for t, in local time. */
void snapshot_default_name(char *buf, size_t n, time_t t);
/* What the guest will be after reverting to a snapshot taken in state
 * `state`: "running", "paused" or "shut off". */
const char *snapshot_revert_outcome(const char *state);
/* NULL when every writable disk of the domain XML can take an internal
 * snapshot (qcow2), else a sentence naming the first that cannot. */
char *snapshot_disks_check(const char *domain_xml, const char *vm);

/* ---- on a connection ---- */

int snapshot_list_read(virDomainPtr dom, struct snapshot_list *l, char **err);
/* What a snapshot of the running guest taken now comes with (see
 * snapcheck_create_warning): a new string, or NULL when nothing (or the
 * guest is not running). */
char *snapshot_create_warning(virDomainPtr dom);
/* Whether a snapshot taken now is quiesced (the guest agent freezes the
 * filesystems around it): a sentence for the form, NULL when the guest is
 * not running. */
char *snapshot_quiesce_note(virDomainPtr dom);
/* Create; on success *what says what kind was made ("disks and memory
 * state (a revert brings ... back running)") and *warning is
 * snapshot_create_warning's as the guest was (NULL: none). */
int snapshot_create(virDomainPtr dom, const char *name, const char *desc, char **what,
                    char **warning, char **err);
/* -1 with *err saying why when libvirt cannot revert to name (it is not
 * there, or snapshot.no_revert), else 0. Nothing is changed. */
int snapshot_revert_check(virDomainPtr dom, const char *name, char **err);
/* Revert to name, after snapshot_revert_check; *after is the guest's
 * state after ("running"...). A failed revert's *err ends with the state
 * libvirt left the guest in. */
int snapshot_revert(virDomainPtr dom, const char *name, const char **after, char **err);
int snapshot_delete(virDomainPtr dom, const char *name, char **err);

/* The equivalent virsh commands (new strings). */
char *snapshot_virsh_create(const char *uri, const char *vm, const char *name,
                            const char *desc);
char *snapshot_virsh_revert(const char *uri, const char *vm, const char *name);
char *snapshot_virsh_delete(const char *uri, const char *vm, const char *name);

/* ---- the TUI's job on a host's worker ---- */

enum snap_op { SNAP_READ, SNAP_CREATE, SNAP_REVERT, SNAP_DELETE };

/* Shared by the view and the worker; fields guarded by the host's lock. */
struct snap_job {
	struct host *host;
	char uuid[VM_UUID_LEN];
	char *vm;                 /* the guest's name */
	int refs;
	bool busy;                /* an operation is queued or running */
	unsigned reads;           /* bumps each time `list` is read */
	struct snapshot_list list;
	char *vm_state;           /* the guest's state when last read */
	char *warning;            /* snapshot_create_warning when last read, or NULL */
	char *quiesce;            /* snapshot_quiesce_note when last read, or NULL */
	char *error;              /* why the last operation failed, or NULL */
	char *result;             /* what the last operation did, or NULL */
};

struct snap_job *snap_job_new(struct host *h, const char *uuid, const char *vm);
/* Queue an operation (name and desc are copied); the list is read again. */
void snap_job_run(struct snap_job *j, enum snap_op op, const char *name, const char *desc);
void snap_job_release(struct snap_job *j);
/* An operation refused up front (e.g. snapshot.no_revert): why becomes
 * the job's error, and goes to the message log. */
void snap_job_refuse(struct snap_job *j, const char *why);

#endif
