/* actions.c — start, shutdown, reboot, force off, pause, resume, autostart,
 * reset, managed save (and its removal), Ctrl+Alt+Del, NMI, wake-up. */
#include "actions.h"
#include "agent.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libvirt/virterror.h>

#include "../base/msglog.h"
#include "../base/xmalloc.h"
#include "../host/host.h"
#include "../host/lvutil.h"

static const struct {
	const char *name;
	const char *virsh;
} table[ACT_COUNT] = {
	[ACT_START] = { "start", "start" },
	[ACT_SHUTDOWN] = { "shutdown", "shutdown" },
	[ACT_REBOOT] = { "reboot", "reboot" },
	[ACT_DESTROY] = { "force off", "destroy" },
	[ACT_SUSPEND] = { "pause", "suspend" },
	[ACT_RESUME] = { "resume", "resume" },
	[ACT_AUTOSTART_ON] = { "autostart on", "autostart" },
	[ACT_AUTOSTART_OFF] = { "autostart off", "autostart --disable" },
	[ACT_RESET] = { "reset", "reset" },
	[ACT_MANAGED_SAVE] = { "save", "managedsave" },
	[ACT_SAVE_REMOVE] = { "remove the saved state", "managedsave-remove" },
	[ACT_SEND_CAD] = { "send Ctrl+Alt+Del", "send-key" },
	[ACT_NMI] = { "inject an NMI", "inject-nmi" },
	[ACT_WAKE] = { "wake up", "dompmwakeup" },
};

const char *
action_name(enum action a)
{
	return (unsigned)a < ACT_COUNT ? table[a].name : "?";
}

const char *
action_verb(enum action a)
{
	switch (a) {
	case ACT_SAVE_REMOVE:
		return "remove the saved state of";
	case ACT_SEND_CAD:
		return "send Ctrl+Alt+Del to";
	case ACT_NMI:
		return "inject an NMI into";
	default:
		return action_name(a);
	}
}

const char *
action_virsh(enum action a)
{
	return (unsigned)a < ACT_COUNT ? table[a].virsh : "?";
}

bool
action_loses_work(enum action a)
{
	return a == ACT_DESTROY || a == ACT_RESET || a == ACT_SAVE_REMOVE;
}

char *
action_virsh_line(enum action a, const char *uri, const char *name)
{
	switch (a) {
	case ACT_AUTOSTART_OFF:
		return msglog_virsh(uri, "autostart", "--disable", name, NULL);
	case ACT_SEND_CAD:
		return msglog_virsh(uri, "send-key", name, "KEY_LEFTCTRL", "KEY_LEFTALT",
		                    "KEY_DELETE", NULL);
	default:
		return msglog_virsh(uri, action_virsh(a), name, NULL);
	}
}

const char *
action_refusal(enum action a, enum vm_state st, bool autostart, bool saved)
{
	bool active = vm_state_active(st);

	switch (a) {
	case ACT_START:
		return active ? "it is already running" : NULL;
	case ACT_RESET:
		return active ? NULL : "it is not running";
	case ACT_MANAGED_SAVE:
		return active ? NULL : "it is not running (only a running guest's memory can be saved)";
	case ACT_SAVE_REMOVE:
		if (active)
			return "it is running (a saved state exists only while it is off)";
		return saved ? NULL : "it has no saved state";
	case ACT_SEND_CAD:
	case ACT_NMI:
		if (!active)
			return "it is not running";
		return st == VM_PAUSED ? "it is paused (resume it first)" : NULL;
	case ACT_WAKE:
		if (st == VM_PMSUSPENDED)
			return NULL;
		return active ? "it is not suspended by its own OS (pmsuspended): nothing to wake"
		              : "it is not running";
	case ACT_SHUTDOWN:
	case ACT_REBOOT:
		if (!active)
			return "it is not running";
		return st == VM_PAUSED ? "it is paused (resume it first)" : NULL;
	case ACT_DESTROY:
		return active ? NULL : "it is not running";
	case ACT_SUSPEND:
		if (!active)
			return "it is not running";
		return st == VM_PAUSED ? "it is already paused" : NULL;
	case ACT_RESUME:
		return st == VM_PAUSED ? NULL : "it is not paused";
	case ACT_AUTOSTART_ON:
		return autostart ? "autostart is already on" : NULL;
	case ACT_AUTOSTART_OFF:
		return autostart ? NULL : "autostart is already off";
	default:
		return "unknown action";
	}
}

static int
run_on(virDomainPtr dom, enum action a, const char **mode, char **err)
{
	switch (a) {
	case ACT_START:
		return virDomainCreate(dom);
	case ACT_SHUTDOWN:
	case ACT_REBOOT:
		/* Through the guest agent when it answers, else ACPI. */
		return agent_power(dom, a == ACT_REBOOT, mode, err);
	case ACT_DESTROY:
		return virDomainDestroy(dom);
	case ACT_SUSPEND:
		return virDomainSuspend(dom);
	case ACT_RESUME:
		return virDomainResume(dom);
	case ACT_AUTOSTART_ON:
		return virDomainSetAutostart(dom, 1);
	case ACT_AUTOSTART_OFF:
		return virDomainSetAutostart(dom, 0);
	case ACT_RESET:
		return virDomainReset(dom, 0);
	case ACT_MANAGED_SAVE:
		return virDomainManagedSave(dom, 0);
	case ACT_SAVE_REMOVE:
		return virDomainManagedSaveRemove(dom, 0);
	case ACT_SEND_CAD: {
		/* Linux input key codes, as virsh send-key's KEY_* names. */
		unsigned int keys[] = { 29 /* KEY_LEFTCTRL */, 56 /* KEY_LEFTALT */,
		                        111 /* KEY_DELETE */ };
		return virDomainSendKey(dom, VIR_KEYCODE_SET_LINUX, 0, keys, 3, 0);
	}
	case ACT_NMI:
		return virDomainInjectNMI(dom, 0);
	case ACT_WAKE:
		return virDomainPMWakeup(dom, 0);
	default:
		return -1;
	}
}

int
action_run(virConnectPtr conn, const char *uuid, enum action a, char **err)
{
	return action_run_mode(conn, uuid, a, err, NULL);
}

int
action_run_mode(virConnectPtr conn, const char *uuid, enum action a, char **err,
                const char **mode)
{
	virDomainPtr dom;
	const char *m = NULL;
	int ret = -1;

	*err = NULL;
	dom = virDomainLookupByUUIDString(conn, uuid);
	if (dom == NULL)
		goto cleanup;
	ret = run_on(dom, a, &m, err);
	if (mode)
		*mode = m;

cleanup:
	if (ret < 0 && *err == NULL) {
		const char *why = virGetLastErrorMessage();
		*err = xstrdup(why ? why : "unknown libvirt error");
	}
	if (dom != NULL)
		virDomainFree(dom);
	return ret;
}

struct rename_req {
	char uuid[VM_UUID_LEN];
	char *old, *to;
};

static void
rename_job(struct host *h, virConnectPtr conn, void *arg)
{
	struct rename_req *r = arg;
	char *uri = host_virsh_uri(h), *virsh = msglog_virsh(uri, "domrename", r->old, r->to, NULL);
	char *err = NULL;
	virDomainPtr d = NULL;

	if (conn == NULL)
		err = host_not_connected(h);
	else if ((d = lv_domain_lookup(conn, r->uuid, &err)) != NULL &&
	         virDomainRename(d, r->to, 0) < 0)
		err = lv_err_line();
	msglog_action(virsh, err, "%s: rename to %s", r->old, r->to);
	if (d)
		virDomainFree(d);
	free(err);
	free(virsh);
	free(uri);
	free(r->old);
	free(r->to);
	free(r);
}

void
action_rename(struct host *h, const char *uuid, const char *old, const char *new_name)
{
	struct rename_req *r = xcalloc(1, sizeof *r);

	snprintf(r->uuid, sizeof r->uuid, "%s", uuid);
	r->old = xstrdup(old);
	r->to = xstrdup(new_name);
	host_call(h, rename_job, r);
}
