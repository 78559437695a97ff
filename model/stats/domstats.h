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

/* Fill `out`, whatever it held (the caller frees its device arrays later
 * with vm_sample_clear). Its strings point into `name` and `params`: read
 * it before they go. */
void domstats_parse(const char *name, const char *uuid, int id,
                    virTypedParameterPtr params, int nparams,
                    struct vm_sample *out);
/* The same over a sample that is zeroed or filled by an earlier parse,
 * reusing its device arrays and text: a refresh parses every guest's
 * record, and would otherwise allocate two arrays per guest each time. */
void domstats_reparse(const char *name, const char *uuid, int id,
                      virTypedParameterPtr params, int nparams,
                      struct vm_sample *out);
/* Copy the strings the sample points at (none of them its own text) into
 * its text, kept for the next parse like the device arrays: the sample
 * then outlives the record and name it was parsed from. */
void domstats_own_strings(struct vm_sample *s);

#endif
