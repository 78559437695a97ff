/* domstats.h — turning one virConnectGetAllDomainStats record into a
 * vm_sample. Pure parsing: no RPC. */
#ifndef VMTUI_DOMSTATS_H
#define VMTUI_DOMSTATS_H

#include <libvirt/libvirt.h>

#include "vm.h"

/* The stats groups vmtui asks for in its one bulk call per refresh. */
#define DOMSTATS_GROUPS (VIR_DOMAIN_STATS_STATE | VIR_DOMAIN_STATS_CPU_TOTAL | \
                         VIR_DOMAIN_STATS_BALLOON | VIR_DOMAIN_STATS_VCPU |     \
                         VIR_DOMAIN_STATS_INTERFACE | VIR_DOMAIN_STATS_BLOCK)

enum vm_state domstats_state(int libvirt_state);

/* Fill `out` (which the caller clears later with vm_sample_clear). */
void domstats_parse(const char *name, const char *uuid, int id,
                    virTypedParameterPtr params, int nparams,
                    struct vm_sample *out);

#endif
