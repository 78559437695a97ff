/* apply.h — carry out a plan (model/defs/plan.h) on its host: create the
 * missing VMs (volumes, cloud-init seed uploaded through a libvirt stream,
 * domain, autostart, start) and make the changes the plan marks as applied
 * on existing ones. A failure rolls back what the run created. No global
 * state and no terminal I/O: run it on the thread that owns the
 * connection, and report progress from the callback. */
#ifndef VMTUI_APPLY_H
#define VMTUI_APPLY_H

#include <stdint.h>
#include <libvirt/libvirt.h>

#include "plan.h"

enum apply_phase {
	APPLY_BEGIN, /* a step starts; total is its size in bytes, or 0 */
	APPLY_BYTES, /* done of total bytes uploaded (a copy, made by libvirt in
	              * one call, reports only its begin and end) */
	APPLY_END,   /* the step is done */
	APPLY_NOTE,  /* `step` is something to tell, not a step */
};

struct apply_progress {
	const char *vm;      /* the VM the step belongs to */
	const char *step;    /* "create volume web01-vda.qcow2 in pool default" */
	enum apply_phase phase;
	uint64_t done, total;
};

/* Called on apply_run's thread; p and its strings live for the call only. */
typedef void (*apply_progress_cb)(const struct apply_progress *p, void *opaque);

/* Apply p, which plan_make made on this same connection, in its order.
 * Refuses, changing nothing, a plan with errors, one plan_make did not
 * finish, or one with a definition vmdef_check finds incomplete. Returns
 * 0, or -1 with *err set (a new string, whole sentences): then the run
 * stopped at the failing step, everything it had created (volumes, VMs)
 * has been removed again, and *err names the step, libvirt's reason, and
 * what it rolled back or could not. Changes already made to existing VMs
 * stay. cb may be NULL. */
int apply_run(virConnectPtr conn, const struct plan *p, apply_progress_cb cb, void *opaque,
              char **err);

#endif
