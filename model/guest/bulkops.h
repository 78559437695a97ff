/* bulkops.h — the connection of a TUI bulk run's thread, made from the
 * URI its host's worker knows (the SSH link's included). The work itself
 * is bulk.h's bulk_fns (actions, snapshots by name, delete) and those of
 * tags and migration. */
#ifndef VMTUI_BULKOPS_H
#define VMTUI_BULKOPS_H

#include <stdbool.h>

#include "bulk.h"

/* A bulk_connect_fn for hosts of the TUI: bh->conn_arg is the struct
 * host. A host reached by a libvirt URI is connected to at bh->uri (its
 * canonical URI); for one reached over SSH its worker gives the URI of
 * its SSH link. The run's thread connects with it. */
virConnectPtr bulkops_connect(const struct bulk_host *bh, char **err);

#endif
