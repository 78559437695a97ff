/* actions.c — start, shutdown, reboot, force off, pause, resume, autostart. */
#include "actions.h"

#include <stdlib.h>
#include <libvirt/virterror.h>

#include "../base/xmalloc.h"

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
};

const char *
action_name(enum action a)
{
	return (unsigned)a < ACT_COUNT ? table[a].name : "?";
}

const char *
action_virsh(enum action a)
{
	return (unsigned)a < ACT_COUNT ? table[a].virsh : "?";
}

const char *
action_refusal(enum action a, enum vm_state st, bool autostart)
{
	bool active = vm_state_active(st);

	switch (a) {
	case ACT_START:
		return active ? "it is already running" : NULL;
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
run_on(virDomainPtr dom, enum action a)
{
	switch (a) {
	case ACT_START:
		return virDomainCreate(dom);
	case ACT_SHUTDOWN:
		return virDomainShutdown(dom);
	case ACT_REBOOT:
		return virDomainReboot(dom, 0);
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
	default:
		return -1;
	}
}

int
action_run(virConnectPtr conn, const char *uuid, enum action a, char **err)
{
	virDomainPtr dom;
	int ret = -1;

	*err = NULL;
	dom = virDomainLookupByUUIDString(conn, uuid);
	if (dom == NULL)
		goto cleanup;
	ret = run_on(dom, a);

cleanup:
	if (ret < 0) {
		const char *m = virGetLastErrorMessage();
		*err = xstrdup(m ? m : "unknown libvirt error");
	}
	if (dom != NULL)
		virDomainFree(dom);
	return ret;
}
