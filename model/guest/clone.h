/* clone.h — a new guest from a shut-off one: new name, UUID and MAC
 * addresses (left out of the XML, so libvirt makes new ones), and each
 * writable disk either copied (virStorageVolCreateXMLFrom, the volume in
 * the same pool) or, linked, a new qcow2 overlay backed by the source's
 * disk. Read-only disks (CD-ROMs) are shared. Disks must be volumes of a
 * storage pool: libvirt copies nothing else, so a disk outside every pool
 * is refused with the way to make one. The source must be shut off: a
 * copy of a disk in use is inconsistent, and an overlay on it breaks when
 * the source writes on. A failure removes what was created. */
#ifndef VMTUI_CLONE_H
#define VMTUI_CLONE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libvirt/libvirt.h>

#include "../host/host.h"

struct clone_disk {
	char *target;     /* "vda" */
	char *path;       /* its source file or device, NULL when empty */
	char *format;     /* "qcow2", "raw", NULL when unknown */
	bool shared;      /* read-only or a CD-ROM: the clone uses the same one */
	char *pool, *vol; /* its volume, NULL when in no pool */
	uint64_t capacity, allocation;
	/* filled by clone_plan: */
	char *new_vol, *new_path;
};

struct clone_src {
	char *name;
	char *state;      /* "shut off"... */
	bool active;
	bool linked;      /* as planned: disks become qcow2 overlays */
	char *xml;        /* the inactive domain XML */
	struct clone_disk *disks;
	size_t ndisks;
};

/* Read the guest `vm` (name or UUID). */
int clone_read(virConnectPtr conn, const char *vm, struct clone_src *s, char **err);
void clone_src_free(struct clone_src *s);

/* NULL when name can be a guest's name, else a sentence why not. */
char *clone_name_check(const char *name);
/* Name of the new volume: the source volume's with the source guest's name
 * replaced by the new one, else NEW-TARGET.qcow2 (linked: always .qcow2). */
char *clone_volume_name(const char *src_vol, const char *src_vm, const char *new_vm,
                        const char *target, bool linked);
/* A serial log file of the clone: the same folder, the new name in the
 * file name (replacing the source's, else before it). */
char *clone_log_path(const char *path, const char *src_vm, const char *new_vm);
/* Check and fill new_vol/new_path of every disk to copy. Returns NULL, or
 * the reasons nothing can be done (one sentence each, joined). Pure. */
char *clone_plan(struct clone_src *s, const char *new_name, bool linked);
/* The clone's domain XML from the source's: name, no UUID, no MACs, no
 * interface target devices, disks as planned, log files renamed, NVRAM
 * path dropped (libvirt makes a fresh one). NULL with *err. Pure. */
char *clone_domain_xml(const struct clone_src *s, const char *new_name, char **err);

/* Progress of the volume being made: done of total bytes (total 0:
 * unknown). Called from the clone's thread and a polling thread. */
typedef void (*clone_progress_cb)(const char *step, uint64_t done, uint64_t total,
                                  void *opaque);
/* What was run, as shell commands a person could run (for the log). */
typedef void (*clone_action_cb)(const char *virsh, const char *err, const char *what,
                                void *opaque);

/* Clone s (planned) as new_name; start it when asked. On failure removes
 * the volumes and domain it made; *err says what failed and what was
 * removed. *result says what was made. */
int clone_run(virConnectPtr conn, const char *uri, struct clone_src *s, const char *new_name,
              bool linked, bool start, clone_progress_cb progress, clone_action_cb action,
              void *opaque, char **result, char **err);

/* ---- the TUI's job ---- */

enum clone_job_state { CJ_READING, CJ_READY, CJ_RUNNING, CJ_DONE, CJ_FAILED };

struct clone_job {
	struct host *host;
	char uuid[VM_UUID_LEN];
	int refs;
	enum clone_job_state state;
	struct clone_src src;     /* valid from CJ_READY on */
	char *step;               /* what runs now */
	char *copy;               /* the last copy, whose progress done/total give */
	uint64_t done, total;     /* in bytes; total 0: no copy yet */
	char *error, *result;
	char *new_name;
};

struct clone_job *clone_job_new(struct host *h, const char *uuid);
void clone_job_start(struct clone_job *j, const char *new_name, bool linked, bool start);
void clone_job_release(struct clone_job *j);

#endif
