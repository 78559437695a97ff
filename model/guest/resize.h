/* resize.h — change a guest's vCPUs, memory and disk sizes.
 *
 * Three steps: read what the guest has now (resize_read, libvirt), check a
 * request against it and against the host and turn it into a plan of
 * libvirt calls (resize_plan_make: pure, no libvirt), then run the plan
 * (resize_apply). The TUI runs the libvirt steps on the host's worker
 * through a resize_job; the CLI calls them directly. */
#ifndef VMTUI_RESIZE_H
#define VMTUI_RESIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libvirt/libvirt.h>

#include "../host/host.h"

#define RESIZE_MAX_VCPUS 4096

/* ---- what the guest has ---- */

struct resize_disk {
	char *target;     /* "vda" */
	char *device;     /* "disk", "cdrom"... */
	char *path;       /* its file or block device, or NULL */
	uint64_t bytes;   /* capacity; 0 when libvirt could not read it */
};

struct resize_now {
	char *name;
	char *state;      /* "running", "paused", "shut off"... */
	bool active;      /* running or paused: live changes are possible */
	bool persistent;  /* has a saved configuration */
	/* The running guest's values (the configuration's when inactive). */
	unsigned vcpus, vcpus_max;
	uint64_t mem_kib, mem_max_kib;
	/* The saved configuration: what the next boot gets. */
	unsigned cfg_vcpus, cfg_vcpus_max;
	uint64_t cfg_mem_kib, cfg_mem_max_kib;
	struct resize_disk *disks;
	size_t ndisks;
	/* The host; 0 when unknown. */
	unsigned host_cpus;
	uint64_t host_mem_kib;
};

/* Read the guest `vm` (a name or a UUID) and its host. Returns 0, or -1
 * with a sentence in *err. */
int resize_read(virConnectPtr conn, const char *vm, struct resize_now *now, char **err);
void resize_now_free(struct resize_now *now);

/* ---- what is asked ---- */

/* Where changes go: the default is the running guest and its saved
 * configuration (only the configuration when it is shut off). */
enum resize_scope { RESIZE_AUTO, RESIZE_LIVE, RESIZE_CONFIG };

struct resize_disk_req {
	const char *target, *size;
};

/* Text as typed; NULL or "" leaves a value as it is. vCPUs are whole
 * numbers; memory sizes take units (4G, 512M), bare numbers are MiB; disk
 * sizes too, bare numbers are GiB (as in vmtui.yaml(5)). */
struct resize_req {
	const char *vcpus, *vcpus_max, *mem, *mem_max;
	const struct resize_disk_req *disks;
	size_t ndisks;
	enum resize_scope scope;
};

/* ---- the plan ---- */

enum resize_kind { RESIZE_VCPUS, RESIZE_MEM, RESIZE_DISK };

/* When the guest sees a change. */
enum resize_when {
	RESIZE_NOW_AND_BOOT, /* live and saved */
	RESIZE_NOW_ONLY,     /* live only: lost when the guest shuts down */
	RESIZE_NOW,          /* a disk: the image itself grows */
	RESIZE_NEXT_BOOT,    /* saved only, guest running: waits for a restart */
	RESIZE_NEXT_START,   /* saved, guest shut off */
};

struct resize_op {
	enum resize_kind kind;
	bool max;          /* the maximum (VIR_DOMAIN_VCPU/MEM_MAXIMUM) */
	unsigned flags;    /* VIR_DOMAIN_AFFECT_LIVE and/or _CONFIG */
	uint64_t value;    /* vCPUs, KiB of memory, or bytes of disk */
	char *target;      /* disks: "vda" */
	char *path;        /* disks of a shut-off guest: the volume's path */
	char *what;        /* "memory 96M -> 64M" */
	enum resize_when when;
};

struct resize_plan {
	struct resize_op *ops;  /* in the order to run them */
	size_t nops;
	char **errors;          /* refusals: nothing may be applied */
	size_t nerrors;
	char **warnings;        /* allowed, but worth saying */
	size_t nwarnings;
};

/* Check req against now: fills p with the operations, or with errors
 * (every one found). Pure. */
void resize_plan_make(const struct resize_now *now, const struct resize_req *req,
                      struct resize_plan *p);
void resize_plan_free(struct resize_plan *p);

/* "now and at next boot", "at next boot"... */
const char *resize_when_text(enum resize_when w);

/* Fields of the dialog and of `vmtui resize VM` without changes. */
enum resize_field { RF_VCPUS, RF_VCPUS_MAX, RF_MEM, RF_MEM_MAX, RF_DISK };
/* When a change of field f would take effect on this guest (AUTO scope). */
const char *resize_field_when(const struct resize_now *now, enum resize_field f);
/* The value shown for a field: "1", "96M", "32M"; with "(2 at next boot)"
 * when the saved configuration differs. disk indexes now->disks. */
char *resize_field_value(const struct resize_now *now, enum resize_field f, size_t disk);
/* The plain value, as a field starts: "1", "96M". */
char *resize_field_initial(const struct resize_now *now, enum resize_field f, size_t disk);

/* One line for after apply: what was done, and what waits for a restart. */
char *resize_summary(const struct resize_now *now, const struct resize_plan *p);
/* The note about the operations that wait for the next boot, or NULL. */
char *resize_reboot_note(const struct resize_now *now, const struct resize_plan *p);

/* Run the plan on the guest `vm` in order. Calls done(op, opaque) after
 * each operation (may be NULL). Returns 0, or -1 with *err naming the
 * operation that failed and what was done before it. */
int resize_apply(virConnectPtr conn, const char *vm, const struct resize_plan *p,
                 void (*done)(const struct resize_op *op, void *opaque), void *opaque,
                 char **err);

/* ---- the TUI's job on a host's worker ---- */

enum resize_job_state { RJ_READING, RJ_READY, RJ_APPLYING, RJ_FAILED };

/* Shared by the dialog and the worker; fields guarded by the host's lock. */
/* The virsh command that makes the same change as op on guest vm. */
char *resize_op_virsh(const struct resize_op *op, const char *vm, const char *uri);

struct resize_job {
	struct host *host;
	char uuid[VM_UUID_LEN];
	int refs;
	enum resize_job_state state;
	struct resize_now now;   /* valid when reads > 0 */
	unsigned reads;          /* bumps each time `now` is read again */
	char *error;             /* why reading or applying failed */
	char *summary;           /* what the last apply did (resize_summary) */
};

/* Start reading the guest on h's worker; the caller holds one reference. */
struct resize_job *resize_job_new(struct host *h, const char *uuid);
/* Re-read, plan and apply req on the worker (req is copied); the result
 * goes to the message log and the guest is read again. */
void resize_job_apply(struct resize_job *j, const struct resize_req *req);
/* Drop the caller's reference (takes the host's lock). */
void resize_job_release(struct resize_job *j);

#endif
