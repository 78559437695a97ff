/* resexport.h — storage pools and networks (config/resdef.h) written as
 * vmtui.yaml(5) entries, for `vmtui export`. Pure: no connection (the
 * libvirt side is plan_export_pool / plan_export_net in plan.h). */
#ifndef VMTUI_RESEXPORT_H
#define VMTUI_RESEXPORT_H

#include "../../config/resdef.h"

/* "NAME:\n  type: pool\n  pooltype: dir\n  path: ...": an entry that
 * vmdef_parse reads back as p (defaults left out where they are the
 * type's); a new string, or NULL when the emitter fails. */
char *resexport_pool_yaml(const struct pooldef *p);
/* The same for a network. A bridge name libvirt picked by itself
 * (virbrN) is left out for every mode but "bridge", so that the entry
 * can be applied under another name beside the original. */
char *resexport_net_yaml(const struct netdef *n);

#endif
