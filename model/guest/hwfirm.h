/* hwfirm.h — a guest's boot order and menu, CPU mode and topology,
 * firmware (BIOS or UEFI, Secure Boot), emulated TPM, and the host's PCI
 * and USB devices passed through to it. Three steps, as in resize.h:
 * read the guest's saved XML and what the host can run (hwfirm_read,
 * libvirt), turn a request into a struct hw_change checked against both
 * (hwfirm_plan, hwfirm_hostdev_plan: pure), and apply it (hwchange.h).
 * Boot, CPU, firmware and TPM are written into the saved XML and defined:
 * they take effect at the guest's next boot, running or not. Host devices
 * are attached or detached, now and in the saved XML when it runs.
 *
 * The TUI runs the libvirt steps on the host's worker through a
 * hwfirm_job; the CLI calls them directly. */
#ifndef VMTUI_HWFIRM_H
#define VMTUI_HWFIRM_H

#include <stdbool.h>
#include <libvirt/libvirt.h>

#include "../defs/firmxml.h"
#include "../host/host.h"
#include "../host/nodedev.h"
#include "hwchange.h"

struct hwfirm_now {
	char *name;
	bool active, persistent;
	char *saved;           /* the saved XML (with secrets when readable) */
	bool secure;           /* saved was read with its secrets: safe to define */
	struct firm_info fi;   /* of saved */
	struct firm_caps caps; /* of the guest's machine, arch and type */
	bool caps_ok;
	char *caps_err;        /* why they could not be read */
};

/* Read guest vm (a name or UUID) on conn. 0, or -1 with a sentence. */
int hwfirm_read(virConnectPtr conn, const char *vm, struct hwfirm_now *now, char **err);
void hwfirm_now_free(struct hwfirm_now *now);

/* What to change; NULL or -1 leaves a part as it is. */
struct hwfirm_req {
	const char *order;     /* "hd,cdrom,network" (also fd) */
	int menu;              /* boot menu: 0 off, 1 on */
	const char *cpu_mode;  /* host-passthrough, host-model, custom */
	const char *cpu_model; /* a named model (custom) */
	const char *topology;  /* "SOCKETS,CORES,THREADS" */
	int efi;               /* 0 BIOS, 1 UEFI */
	int secure;            /* Secure Boot: 0 off, 1 on (UEFI only) */
	int tpm;               /* 0 remove, 1 add */
	const char *tpm_model; /* tpm-crb (default) or tpm-tis */
};
#define HWFIRM_REQ_NONE { NULL, -1, NULL, NULL, NULL, -1, -1, -1, NULL }

/* The change req makes to now, checked against the guest and the host;
 * uri is for the virsh lines (NULL: none given). Returns 0 with *c made,
 * 1 when it changes nothing (*err says so), -1 with *err the refusal.
 * *note (may be NULL) gets a remark worth reading (the boot order of a
 * guest booting a kernel directly is not used), or NULL. */
int hwfirm_plan(const struct hwfirm_now *now, const struct hwfirm_req *req, const char *uri,
                struct hw_change *c, char **err, char **note);

/* Pass d through to guest vm (attach), or release it from the guest that
 * has it (detach, attach false): the change, made from the guest's
 * running and saved XML (live_xml NULL when it is shut off). 0, or -1
 * with the refusal in *err. */
int hwfirm_hostdev_plan(const struct nodedev_list *l, const struct nodedev *d, const char *vm,
                        const char *live_xml, const char *saved_xml, bool attach,
                        const char *uri, struct hw_change *c, char **err);

/* Read both XMLs of guest vm for hwfirm_hostdev_plan: 0, or -1 with *err. */
int hwfirm_guest_xml(virConnectPtr conn, const char *vm, char **live_xml, char **saved_xml,
                     char **err);

/* Apply c to guest vm on conn, each step logged (msglog_action) with its
 * virsh line. When saved_before is given, refuse (changing nothing) if the
 * guest's saved XML is no longer that: the diff shown is then stale. */
int hwfirm_apply(virConnectPtr conn, const char *vm, const struct hw_change *c,
                 const char *saved_before, char **err);

/* ---- the TUI's job on a host's worker ---- */

/* Shared by the views and the worker; every field after refs is guarded
 * by host->lock. The worker fills now, devs, error and result and clears
 * busy; the UI sets busy (through the functions below). */
struct hwfirm_job {
	struct host *host;      /* immutable */
	char uuid[VM_UUID_LEN]; /* immutable: the guest, "" for none */
	bool want_devs;         /* immutable: read the host's devices too */
	int refs;
	bool busy;
	unsigned reads;         /* bumps with each read */
	bool have_now;
	struct hwfirm_now now;
	struct nodedev_list devs;
	char *live_xml;         /* the guest's running XML, or NULL */
	char *error;            /* why the last read or change failed */
	char *result;           /* what the last change did */
};

struct hwfirm_job *hwfirm_job_new(struct host *h, const char *uuid, bool want_devs);
void hwfirm_job_read(struct hwfirm_job *j);
/* Apply c (copied) to guest vm on the worker (hwfirm_apply), then read
 * again. */
void hwfirm_job_apply(struct hwfirm_job *j, const char *vm, const struct hw_change *c,
                      const char *saved_before);
void hwfirm_job_release(struct hwfirm_job *j);

/* A copy of c (the job keeps its own). */
void hw_change_copy(struct hw_change *dst, const struct hw_change *src);

#endif
