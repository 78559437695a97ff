/* bulkops.h — the TUI's bulk work on the marked guests beyond the
 * lifecycle actions (bulk_action_fn): snapshot create and delete by name,
 * delete (storage only when asked); and the connection of a run's thread
 * made from the URI its host's worker knows (the SSH link's included).
 * Each function is a bulk_fn (bulk.h) run on a thread of the run. */
#ifndef VMTUI_BULKOPS_H
#define VMTUI_BULKOPS_H

#include <stdbool.h>

#include "bulk.h"

/* The arg of the snapshot functions: the snapshot's name (copied). */
struct bulkops_snap {
	char *name;
	char *desc; /* create only; NULL: none */
};
struct bulkops_snap *bulkops_snap_new(const char *name, const char *desc);
void bulkops_snap_free(void *arg);

/* Create snapshot arg->name on the guest; skipped when it has one by
 * that name already. */
enum bulk_status bulkops_snap_create(struct bulk_ctx *ctx, void *arg, char **msg, char **virsh);
/* Delete snapshot arg->name; skipped when the guest has none by that name. */
enum bulk_status bulkops_snap_delete(struct bulk_ctx *ctx, void *arg, char **msg, char **virsh);
/* Delete the guest (forced off first, its XML backed up as the D dialog
 * does); its storage volumes too when arg is non-NULL ((void *)1). */
enum bulk_status bulkops_delete(struct bulk_ctx *ctx, void *arg, char **msg, char **virsh);

/* A bulk_connect_fn for hosts of the TUI: bh->conn_arg is the struct
 * host. A host reached by a libvirt URI is connected to at bh->uri (its
 * canonical URI); for one reached over SSH its worker gives the URI of
 * its SSH link. The run's thread connects with it. */
virConnectPtr bulkops_connect(const struct bulk_host *bh, char **err);

#endif
