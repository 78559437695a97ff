/* actions.h — lifecycle actions on one guest, run by the host's worker. */
#ifndef VMTUI_ACTIONS_H
#define VMTUI_ACTIONS_H

#include <stdbool.h>
#include <libvirt/libvirt.h>

#include "../stats/vm.h"

enum action {
	ACT_START,
	ACT_SHUTDOWN,
	ACT_REBOOT,
	ACT_DESTROY,
	ACT_SUSPEND,
	ACT_RESUME,
	ACT_AUTOSTART_ON,
	ACT_AUTOSTART_OFF,
	ACT_COUNT
};

const char *action_name(enum action a);     /* "force off" */
const char *action_virsh(enum action a);    /* "destroy" */
/* Why the action cannot apply to a guest in this state, or NULL if it can. */
const char *action_refusal(enum action a, enum vm_state st, bool autostart);

/* Run the action on the domain with this UUID. Returns 0, or -1 with a
 * newly allocated error message in *err. */
int action_run(virConnectPtr conn, const char *uuid, enum action a, char **err);

#endif
