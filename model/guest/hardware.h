/* hardware.h — a guest's devices, its running and its saved configuration
 * side by side (what differs marked), and the disk, CD-ROM and NIC changes
 * made as struct hw_change (hwchange.h): described first, with the XML
 * diffs and virsh lines, then applied. A running guest is changed live and
 * in its saved configuration (hot-plug); a shut-off one in its saved
 * configuration (the next boot); what can only wait for the next boot
 * (SATA and IDE drives, cache and discard) says so.
 *
 * Three layers: hw_plan is pure (tests); hw_build reads the guest and what
 * a plan needs from its connection (volumes, other guests' use, networks)
 * and plans; hw_apply applies, waiting for a guest to let a detached device
 * go. The TUI's job (hw_job) runs the last two on the host's worker. */
#ifndef VMTUI_HARDWARE_H
#define VMTUI_HARDWARE_H

#include <stdbool.h>
#include <stdint.h>
#include <libvirt/libvirt.h>

#include "../defs/devxml.h"
#include "../host/host.h"
#include "hwchange.h"

/* How a device of the running guest and of its saved configuration compare. */
enum hw_diff {
	HWD_SAME,       /* in both, the same settings (or the guest is shut off) */
	HWD_LIVE_ONLY,  /* plugged in now, gone at the next boot */
	HWD_SAVED_ONLY, /* comes at the next boot */
	HWD_CHANGED,    /* in both, with other settings at the next boot */
};

struct hw_item {
	const struct dev *live;  /* in the running guest, or NULL */
	const struct dev *saved; /* in the saved configuration, or NULL */
	enum hw_diff diff;
};

struct hw_devices {
	char *vm;
	bool running;       /* running or paused: live is the running guest's */
	bool persistent;    /* it has a saved configuration */
	char *live_xml;     /* NULL when not running */
	char *saved_xml;    /* NULL when transient */
	struct dev_list live, saved;
	struct hw_item *v;  /* every device once, in the XML's order */
	size_t n;
};

/* Fill h from the XMLs (live NULL: not running; saved NULL: transient).
 * -1 with *err when one is not a domain. */
int hw_devices_set(struct hw_devices *h, const char *vm, const char *live_xml,
                   const char *saved_xml, char **err);
/* Read d's XMLs into h. */
int hw_devices_read(virDomainPtr d, struct hw_devices *h, char **err);
void hw_devices_free(struct hw_devices *h);
/* The item's device as it is now (the running one, else the saved one). */
const struct dev *hw_item_dev(const struct hw_item *it);
/* The item a user names: a target, a MAC, or a key; NULL when none. */
const struct hw_item *hw_devices_lookup(const struct hw_devices *h, const char *name);
/* "", "now only", "next boot", "changed at next boot". */
const char *hw_diff_text(enum hw_diff d);

/* ---- the changes ---- */

enum hw_op {
	HWOP_DISK_ADD,    /* a disk (or, cdrom, a CD-ROM drive) */
	HWOP_DISK_REMOVE, /* a disk or a CD-ROM drive; its volume kept unless delete_vol */
	HWOP_DISK_SET,    /* cache, discard: the saved configuration only */
	HWOP_CD_INSERT,
	HWOP_CD_EJECT,
	HWOP_NIC_ADD,
	HWOP_NIC_REMOVE,
	HWOP_NIC_LINK,
	HWOP_NIC_MOVE,
};

/* What the user asked for; strings NULL (or "") when not given. */
struct hw_req {
	enum hw_op op;
	unsigned when;     /* HW_LIVE | HW_CONFIG asked for; 0: the default */
	const char *dev;   /* the device (all but the adds): a target, MAC or key */
	/* Disks and media: an existing file or block device, an existing
	 * volume (pool and vol), or with size a new volume vol (NULL: named
	 * after the guest and target) in pool. */
	const char *path;
	const char *pool, *vol;
	uint64_t size;
	bool cdrom;        /* disk add: a CD-ROM drive (path, pool+vol: its medium) */
	bool block;        /* path is a block device (else: a file, unless under /dev) */
	const char *format, *bus, *target, *cache, *discard;
	bool delete_vol;   /* disk remove */
	/* NICs: network or bridge (add, move), model and MAC (add). */
	const char *net_type, *source, *model, *mac;
	bool link_down;    /* add, link */
};

/* What hw_plan needs from the host, found by hw_build. */
struct hw_env {
	const char *uri;        /* for the virsh lines (-c), NULL: none */
	const char *src_path;   /* an existing volume of the request as a path */
	bool src_block;         /* ...a block device */
	const char *src_format; /* the format the pool knows it by, or NULL */
	bool vol_exists;        /* a new volume's name is taken in its pool */
	const char *rm_pool, *rm_vol; /* remove: the disk's volume, NULL: none */
	const char *users;      /* other guests using the disk's file or volume */
	const char *mac;        /* NIC add: the MAC to give when none is asked */
};

/* The change r makes to h: 0, or -1 with *err (a new sentence) saying why
 * it cannot be made (nothing is touched either way). */
int hw_plan(const struct hw_devices *h, const struct hw_req *r, const struct hw_env *e,
            struct hw_change *out, char **err);
/* hw_plan with what it needs read from d's connection; uri is for the
 * virsh lines. */
int hw_build(virDomainPtr d, const char *uri, const struct hw_req *r, struct hw_change *out,
             char **err);
/* Apply c to d (hw_change_apply), then wait a few seconds for a device
 * detached from the running guest to be let go by it (a volume is deleted
 * only after), and delete a volume made for a device that could not be
 * attached. 0 with *note (a new sentence, or NULL) saying what is still
 * under way; -1 with *err. */
int hw_apply(virDomainPtr d, const struct hw_change *c, char **note, char **err);

/* The change's virsh lines as one line ("A; B"), for the action log. */
char *hw_virsh_line(const struct hw_change *c);

/* A word for the TUI's forms: the host's networks and the pools' volumes. */
struct hw_names {
	char **v;
	size_t n;
};
void hw_names_free(struct hw_names *n);

/* ---- the TUI's job on the host's worker ---- */

/* Shared by the view and the worker; every field after vm is guarded by
 * host->lock. The worker writes devs, the errors, pending and result and
 * clears busy; the UI thread sets busy. */
struct hw_job {
	struct host *host;          /* immutable */
	char uuid[VM_UUID_LEN];     /* immutable */
	char *vm;                   /* immutable */
	int refs;
	bool busy;                  /* a read, a plan or a change is queued or running */
	unsigned reads;             /* bumps each time devs is read */
	struct hw_devices devs;
	char *read_error;           /* why the devices could not be read, or NULL */
	struct hw_names networks;   /* the host's networks (for NIC forms) */
	struct hw_names pools;      /* the host's active pools */
	unsigned plans;             /* bumps each time a plan arrives (or fails) */
	struct hw_change *pending;  /* the change planned, awaiting the user's yes */
	char *plan_error;           /* why the last request cannot be made, or NULL */
	char *error;                /* why the last change failed, or NULL */
	char *result;               /* what the last change did, or NULL */
};

struct hw_job *hw_job_new(struct host *h, const char *uuid, const char *vm);
void hw_job_read(struct hw_job *j);
/* Plan r (its strings copied) on the worker: pending or plan_error. */
void hw_job_plan(struct hw_job *j, const struct hw_req *r);
/* Apply pending (taken from the job), log it, read again. */
void hw_job_apply(struct hw_job *j);
/* Drop pending. */
void hw_job_discard(struct hw_job *j);
void hw_job_release(struct hw_job *j);

#endif
