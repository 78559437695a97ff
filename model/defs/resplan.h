/* resplan.h — the storage pools and networks of a plan (plan.h's struct
 * plan_res): what exists, what apply makes, what differs. Used by plan.c
 * only: plan_make plans them before the VMs, so that a VM may use a pool
 * or network the same definitions make. */
#ifndef VMTUI_RESPLAN_H
#define VMTUI_RESPLAN_H

#include <libvirt/libvirt.h>

#include "plan.h"

/* Plan every pool and network of f into p->pools and p->nets (read-only
 * calls); their errors are counted in p->nerrors. */
void resplan_make(virConnectPtr conn, const struct vmdef_file *f, struct plan *p);
/* The pools' and networks' lines of the plan's text: a new string, ""
 * when there are none. n[kind] counts them by kind. */
char *resplan_render(const struct plan *p, size_t n[3]);
void resplan_free(struct plan *p);

/* The pool or network `name` when the plan makes it or starts it (it will
 * be there and running when the VMs are made, but cannot be looked into
 * now), else NULL. */
const struct plan_res *resplan_pending_pool(const struct plan *p, const char *name);
const struct plan_res *resplan_pending_net(const struct plan *p, const char *name);
/* The pool or network `name` of the definitions, or NULL. */
const struct plan_res *resplan_find(const struct plan_res *v, size_t n, const char *name);

/* Whether apply builds a new pool p, with which virStoragePoolBuild flags,
 * and *what it makes, for the plan's text. A folder (dir, and the mount
 * point of fs and netfs, which are built even without build: true) is
 * *folder, and removed again on roll-back when empty; a device (fs with
 * build: true, logical, disk) is built only when it holds no file system,
 * partitions or volume group. */
bool resplan_pool_build(const struct pooldef *p, unsigned *flags, bool *folder,
                        const char **what);

/* A pool's or network's saved XML (the live one where the driver has no
 * other): a new string to free(), or NULL with libvirt's error. */
char *resplan_pool_xml(virStoragePoolPtr pool);
char *resplan_net_xml(virNetworkPtr net);

#endif
