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
	ACT_RESET,        /* virDomainReset: the reset button (asks first) */
	ACT_MANAGED_SAVE, /* virDomainManagedSave: hibernate; start restores it */
	ACT_SAVE_REMOVE,  /* virDomainManagedSaveRemove: drop the saved state (asks) */
	ACT_SEND_CAD,     /* virDomainSendKey: Ctrl+Alt+Del */
	ACT_NMI,          /* virDomainInjectNMI */
	ACT_WAKE,         /* virDomainPMWakeup: out of the guest's own S3/S4 sleep */
	ACT_COUNT
};

const char *action_name(enum action a);     /* "force off" */
const char *action_virsh(enum action a);    /* "destroy" */
/* The words before a guest's name in "Cannot VERB NAME": "inject an NMI into". */
const char *action_verb(enum action a);
/* Why the action cannot apply to a guest in this state (saved: it has a
 * managed save image), or NULL if it can. */
const char *action_refusal(enum action a, enum vm_state st, bool autostart, bool saved);
/* Does the action lose what the guest has not written (force off, reset,
 * removing a saved state)? Those ask first. */
bool action_loses_work(enum action a);
/* The action as a virsh command line on guest name (uri NULL: no -c). New. */
char *action_virsh_line(enum action a, const char *uri, const char *name);

/* Run the action on the domain with this UUID. Returns 0, or -1 with a
 * newly allocated error message in *err. */
int action_run(virConnectPtr conn, const char *uuid, enum action a, char **err);
/* The same; *mode (mode may be NULL) says how a shutdown or reboot went
 * ("guest agent", "ACPI"; agent.h), NULL for the other actions. */
int action_run_mode(virConnectPtr conn, const char *uuid, enum action a, char **err,
                    const char **mode);

/* Rename the shut-off guest uuid, called old, to new_name (virDomainRename)
 * on host h's worker; the outcome goes to the message log with its virsh
 * line (`virsh domrename`). */
struct host;
void action_rename(struct host *h, const char *uuid, const char *old, const char *new_name);

#endif
