/* hwchange.h — a change to one guest's hardware, in two steps. First it is
 * made as a description, on any thread and without touching the guest:
 * what it does, when it takes effect (now, at the next boot, or both), the
 * diffs of the running and the saved domain XML, and the virsh command of
 * each step, for the user to read before agreeing. Then, once agreed, it
 * is applied on the host's worker (or a CLI command's connection), step by
 * step, stopping at the first that fails and saying which.
 *
 * Every hardware change (disks, CD media, NICs, boot, CPU, firmware, TPM,
 * host devices, the XML edited by hand) is one of these, so the hardware
 * view, `vmtui edit` and the CLI show and log them the same way. */
#ifndef VMTUI_HWCHANGE_H
#define VMTUI_HWCHANGE_H

#include <stdbool.h>
#include <stddef.h>
#include <libvirt/libvirt.h>

/* Where a change takes effect (a bit set). */
enum hw_when {
	HW_LIVE = 1,   /* the running guest, now */
	HW_CONFIG = 2, /* the saved configuration: the next boot */
};

enum hw_step_kind {
	HW_VOL_CREATE, /* virStorageVolCreateXML in pool: before the device uses it */
	HW_ATTACH,     /* virDomainAttachDeviceFlags(xml, flags) */
	HW_DETACH,     /* virDomainDetachDeviceFlags(xml, flags) */
	HW_UPDATE,     /* virDomainUpdateDeviceFlags(xml, flags): media, link state */
	HW_DEFINE,     /* virDomainDefineXMLFlags(xml, VALIDATE): the whole saved XML */
	HW_VOL_DELETE, /* virStorageVolDelete of pool/vol: after the device has gone */
};

struct hw_step {
	enum hw_step_kind kind;
	char *xml;    /* the device, volume or domain XML */
	unsigned flags; /* VIR_DOMAIN_AFFECT_* for attach, detach, update */
	char *pool;   /* HW_VOL_CREATE, HW_VOL_DELETE */
	char *vol;    /* HW_VOL_DELETE: the volume's name in pool */
	char *virsh;  /* the same step as a virsh command line, for the user */
};

struct hw_change {
	char *what;       /* one line: "Add disk vdb (10 GiB qcow2, virtio) to web1" */
	unsigned when;    /* HW_LIVE | HW_CONFIG */
	char *diff_live;  /* unified diff of the running guest's XML, NULL: none */
	char *diff_saved; /* of the saved XML, NULL: none */
	struct hw_step *steps;
	size_t nsteps;
};

/* Append a step (the strings are copied; xml, pool, vol may be NULL). */
void hw_change_add(struct hw_change *c, enum hw_step_kind kind, const char *xml,
                   unsigned flags, const char *pool, const char *vol, const char *virsh);

/* Set the change's diffs from the XML before and after, as
 * model/defs/textdiff.h makes them (NULL pairs: no diff on that side). */
void hw_change_diffs(struct hw_change *c, const char *live_before, const char *live_after,
                     const char *saved_before, const char *saved_after);

/* "now", "at the next boot" or "now and at the next boot". */
const char *hw_when_text(unsigned when);

/* All of the change's virsh lines, one per line, as a new string. */
char *hw_change_virsh(const struct hw_change *c);

/* Apply the steps in order on d (its connection for volumes). Returns 0,
 * or -1 with *err (a new string) naming the step that failed and
 * libvirt's reason; *done (when not NULL) is the number of steps made. */
int hw_change_apply(virDomainPtr d, const struct hw_change *c, size_t *done, char **err);

void hw_change_free(struct hw_change *c);

#endif
