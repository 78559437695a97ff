/* hwfirm.c — boot, CPU, firmware, TPM and host devices of one guest: read,
 * planned as a struct hw_change, applied (see hwfirm.h). */
#include "hwfirm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libvirt/virterror.h>

#include "../base/msglog.h"
#include "../base/xmalloc.h"
#include "../host/lvutil.h"

/* ---- reading ---- */

static char *
lv_reason(void)
{
	const char *m = virGetLastErrorMessage();

	return xstrdup(m ? m : "unknown error");
}

static virDomainPtr
lookup(virConnectPtr conn, const char *vm, char **err)
{
	virDomainPtr d = virDomainLookupByName(conn, vm);

	if (d == NULL && strlen(vm) == 36)
		d = virDomainLookupByUUIDString(conn, vm);
	if (d == NULL)
		*err = xasprintf("No guest \"%s\" on this host.", vm);
	return d;
}

/* The saved XML, with its secrets when the connection may read them (a
 * define of XML without them would drop the guest's passwords). */
static char *
saved_xml(virDomainPtr d, bool *secure)
{
	char *x = virDomainGetXMLDesc(d, VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_SECURE);

	*secure = x != NULL;
	if (x == NULL)
		x = virDomainGetXMLDesc(d, VIR_DOMAIN_XML_INACTIVE);
	return x;
}

int
hwfirm_read(virConnectPtr conn, const char *vm, struct hwfirm_now *now, char **err)
{
	virDomainPtr d;
	char *caps, *why;

	memset(now, 0, sizeof *now);
	if ((d = lookup(conn, vm, err)) == NULL)
		return -1;
	now->name = xstrdup(virDomainGetName(d));
	now->active = virDomainIsActive(d) == 1;
	now->persistent = virDomainIsPersistent(d) == 1;
	now->saved = saved_xml(d, &now->secure);
	if (now->saved == NULL) {
		why = lv_reason();
		*err = xasprintf("Cannot read %s's configuration: %s", now->name, why);
		free(why);
		virDomainFree(d);
		hwfirm_now_free(now);
		return -1;
	}
	virDomainFree(d);
	if (firmxml_read(now->saved, &now->fi, err) < 0) {
		hwfirm_now_free(now);
		return -1;
	}
	caps = virConnectGetDomainCapabilities(conn, now->fi.emulator, now->fi.arch,
	                                       now->fi.machine, now->fi.type, 0);
	if (caps == NULL) {
		why = lv_reason();
		now->caps_err = xasprintf("the host's domain capabilities cannot be read: %s", why);
		free(why);
	} else if (firmxml_caps_read(caps, &now->caps, &now->caps_err) == 0) {
		now->caps_ok = true;
	}
	free(caps);
	return 0;
}

void
hwfirm_now_free(struct hwfirm_now *now)
{
	if (now == NULL)
		return;
	free(now->name);
	free(now->saved);
	free(now->caps_err);
	firm_info_free(&now->fi);
	firm_caps_free(&now->caps);
	memset(now, 0, sizeof *now);
}

/* ---- planning ---- */

static const char *const boot_kinds[] = { "hd", "cdrom", "network", "fd" };

/* "hd,cdrom" into devs (4 at most); -1 with *err. */
static int
parse_order(const char *order, const char **devs, size_t *n, char **err)
{
	char *copy = xstrdup(order), *tok, *save = NULL;
	size_t i, k;
	int rc = 0;

	*n = 0;
	for (tok = strtok_r(copy, ", ", &save); tok && rc == 0; tok = strtok_r(NULL, ", ", &save)) {
		const char *kind = NULL;
		for (i = 0; i < 4; i++)
			if (strcmp(tok, boot_kinds[i]) == 0)
				kind = boot_kinds[i];
		if (kind == NULL) {
			*err = xasprintf("\"%.40s\" is not a boot device: use hd, cdrom, network or fd, "
			                 "separated by commas (e.g. cdrom,hd).", tok);
			rc = -1;
			break;
		}
		for (k = 0; k < *n; k++)
			if (devs[k] == kind) {
				*err = xasprintf("%s is twice in the boot order.", kind);
				rc = -1;
			}
		if (rc == 0)
			devs[(*n)++] = kind;
	}
	if (rc == 0 && *n == 0) {
		*err = xstrdup("The boot order is empty: give e.g. hd,cdrom,network.");
		rc = -1;
	}
	free(copy);
	return rc;
}

/* "S,C,T" into three counts of 1..4096; -1 with *err. */
static int
parse_topology(const char *s, unsigned t[3], char **err)
{
	char tail;
	long a, b, c;

	if (sscanf(s, "%ld,%ld,%ld%c", &a, &b, &c, &tail) != 3 || a < 1 || b < 1 || c < 1 ||
	    a > 4096 || b > 4096 || c > 4096) {
		*err = xasprintf("\"%.40s\" is not a CPU topology: give SOCKETS,CORES,THREADS, each "
		                 "1 to 4096 (e.g. 1,2,1).", s);
		return -1;
	}
	t[0] = (unsigned)a, t[1] = (unsigned)b, t[2] = (unsigned)c;
	return 0;
}

/* Up to 12 usable models of the host, as "a, b, c", new string. */
static char *
usable_models(const struct firm_caps *c)
{
	char *s = NULL;
	size_t i, n = 0;

	for (i = 0; i < c->nmodels && n < 12; i++)
		if (c->usable[i] != 0) {
			s = xjoin(s, ", ", c->models[i]);
			n++;
		}
	return s ? s : xstrdup("none");
}

static int
check_cpu(const struct hwfirm_now *now, const struct hwfirm_req *r, unsigned topo[3], char **err)
{
	const struct firm_caps *c = &now->caps;
	const char *mode = r->cpu_mode;
	bool tcg = now->fi.type && strcmp(now->fi.type, "qemu") == 0;

	if (mode && strcmp(mode, "host-passthrough") != 0 && strcmp(mode, "host-model") != 0 &&
	    strcmp(mode, "custom") != 0) {
		*err = xasprintf("\"%.40s\" is not a CPU mode: use host-passthrough, host-model or "
		                 "custom (with a model).", mode);
		return -1;
	}
	if (r->cpu_model && mode && strcmp(mode, "custom") != 0) {
		*err = xasprintf("A CPU model goes with the custom mode, not %s.", mode);
		return -1;
	}
	if (mode && now->caps_ok && ((strcmp(mode, "host-passthrough") == 0 && !c->passthrough) ||
	                             (strcmp(mode, "host-model") == 0 && !c->host_model))) {
		*err = xasprintf("This host cannot run %s with CPU mode %s: its domain capabilities "
		                 "say it is not supported for a %s guest%s.", now->name, mode,
		                 now->fi.type ? now->fi.type : "?",
		                 tcg && strcmp(mode, "host-passthrough") == 0 ?
		                 " (it needs KVM; this guest is emulated, TCG)" : "");
		return -1;
	}
	if (r->cpu_model && now->caps_ok) {
		int k = firm_caps_model(c, r->cpu_model);
		char *list;
		if (!c->custom || k < 0 || c->usable[k] == 0) {
			list = usable_models(c);
			if (!c->custom)
				*err = xasprintf("This host runs no named CPU models for %s.", now->name);
			else if (k < 0)
				*err = xasprintf("\"%.60s\" is not a CPU model this host knows. Usable: %s.",
				                 r->cpu_model, list);
			else
				*err = xasprintf("CPU model %s cannot run on this host: libvirt says it is "
				                 "not usable (the host's CPU%s lacks features it needs). "
				                 "Usable: %s.", r->cpu_model, tcg ? ", as emulated," : "",
				                 list);
			free(list);
			return -1;
		}
	}
	if (r->topology) {
		if (parse_topology(r->topology, topo, err) < 0)
			return -1;
		if ((unsigned long)topo[0] * topo[1] * topo[2] != now->fi.vcpus_max) {
			*err = xasprintf("%u x %u x %u (sockets x cores x threads) = %lu vCPUs, but %s "
			                 "has %u at most: the topology must multiply to the maximum (e.g. "
			                 "1,%u,1), or change the maximum first (vmtui resize "
			                 "--max-vcpus).", topo[0], topo[1], topo[2],
			                 (unsigned long)topo[0] * topo[1] * topo[2], now->name,
			                 now->fi.vcpus_max, now->fi.vcpus_max);
			return -1;
		}
	}
	return 0;
}

static bool
q35(const struct hwfirm_now *now)
{
	const char *m = now->fi.machine ? now->fi.machine : "";

	return strstr(m, "q35") != NULL;
}

static int
check_firmware(const struct hwfirm_now *now, const struct hwfirm_req *r, char **err)
{
	bool efi = r->efi >= 0 ? r->efi == 1 : now->fi.efi;
	const struct firm_caps *c = &now->caps;

	if (r->secure == 1 && !efi) {
		*err = xasprintf("Secure Boot needs UEFI firmware; %s %s BIOS (switch it to efi too).",
		                 now->name, r->efi == 0 ? "would boot" : "boots");
		return -1;
	}
	if (r->efi == 1 && now->caps_ok && !c->efi) {
		*err = xasprintf("This host has no UEFI firmware for %s's machine type %s (Debian: "
		                 "install the ovmf package).", now->name,
		                 now->fi.machine ? now->fi.machine : "?");
		return -1;
	}
	if (r->secure == 1 && !q35(now)) {
		*err = xasprintf("Secure Boot needs SMM, which needs the q35 machine type; %s has "
		                 "%s.", now->name, now->fi.machine ? now->fi.machine : "another");
		return -1;
	}
	if (r->secure == 1 && now->caps_ok && !c->secure) {
		*err = xasprintf("This host has no UEFI firmware with Secure Boot for %s (Debian: "
		                 "ovmf ships it).", now->fi.machine ? now->fi.machine : "this machine");
		return -1;
	}
	return 0;
}

static int
check_tpm(const struct hwfirm_now *now, const struct hwfirm_req *r, const char **model,
          char **err)
{
	const struct firm_caps *c = &now->caps;

	*model = r->tpm_model ? r->tpm_model : "tpm-crb";
	if (r->tpm == 0 && now->fi.tpm_model == NULL) {
		*err = xasprintf("%s has no TPM to remove.", now->name);
		return -1;
	}
	if (r->tpm != 1)
		return 0;
	if (strcmp(*model, "tpm-crb") != 0 && strcmp(*model, "tpm-tis") != 0) {
		*err = xasprintf("\"%.40s\" is not a TPM model: use tpm-crb or tpm-tis.", *model);
		return -1;
	}
	if (now->fi.tpm_model != NULL) {
		*err = xasprintf("%s has a TPM already (%s, %s %s); remove it first.", now->name,
		                 now->fi.tpm_model, now->fi.tpm_backend ? now->fi.tpm_backend : "?",
		                 now->fi.tpm_version ? now->fi.tpm_version : "");
		return -1;
	}
	if (now->caps_ok && c->tpm_listed && (!c->tpm || !c->tpm_emulator)) {
		*err = xasprintf("This host cannot emulate a TPM: libvirt finds no swtpm (Debian: "
		                 "install swtpm and swtpm-tools).");
		return -1;
	}
	if (now->caps_ok && c->tpm_listed && ((strcmp(*model, "tpm-crb") == 0 && !c->tpm_crb) ||
	                                      (strcmp(*model, "tpm-tis") == 0 && !c->tpm_tis))) {
		*err = xasprintf("This host's emulator has no %s TPM model for %s.", *model,
		                 now->fi.machine ? now->fi.machine : "this machine");
		return -1;
	}
	return 0;
}

/* One "part: before -> after" of the change's description. */
static char *
part(char *what, const char *label, char *before, char *after)
{
	char *p;

	if (strcmp(before, after) != 0) {
		p = xasprintf("%s %s -> %s", label, before, after);
		what = xjoin(what, "; ", p);
		free(p);
	}
	free(before);
	free(after);
	return what;
}

static char *
describe(const struct hwfirm_now *now, const char *after_xml)
{
	struct firm_info a;
	char *what = NULL, *err = NULL, *s;

	if (firmxml_read(after_xml, &a, &err) < 0) {
		free(err);
		return xasprintf("%s: configuration changed", now->name);
	}
	what = part(what, "boot", firm_boot_text(&now->fi), firm_boot_text(&a));
	what = part(what, "CPU", firm_cpu_text(&now->fi), firm_cpu_text(&a));
	what = part(what, "firmware", firm_firmware_text(&now->fi), firm_firmware_text(&a));
	what = part(what, "TPM", xstrdup(now->fi.tpm_model ? now->fi.tpm_model : "none"),
	            xstrdup(a.tpm_model ? a.tpm_model : "none"));
	firm_info_free(&a);
	s = xasprintf("%s: %s", now->name, what ? what : "configuration changed");
	free(what);
	return s;
}

/* Apply the edits of r to xml in turn; NULL with *err. */
static char *
edit(const struct hwfirm_now *now, const struct hwfirm_req *r, const char **devs, size_t ndevs,
     const unsigned topo[3], const char *tpm_model, char **err)
{
	char *x = xstrdup(now->saved), *y;
	int secure = r->secure;

	if (ndevs || r->menu >= 0) {
		y = firmxml_set_boot(x, devs, ndevs, r->menu, err);
		free(x);
		if ((x = y) == NULL)
			return NULL;
	}
	if (r->cpu_mode || r->cpu_model || r->topology) {
		y = firmxml_set_cpu(x, r->cpu_mode, r->cpu_model, r->topology ? topo[0] : 0, topo[1],
		                    topo[2], err);
		free(x);
		if ((x = y) == NULL)
			return NULL;
	}
	/* A guest turned UEFI says Secure Boot off unless asked: libvirt would
	 * otherwise pick whichever firmware it prefers. */
	if (r->efi == 1 && !now->fi.efi && secure < 0)
		secure = 0;
	if (r->efi >= 0 || secure >= 0) {
		y = firmxml_set_firmware(x, r->efi >= 0 ? r->efi == 1 : now->fi.efi,
		                         r->efi == 0 ? -1 : secure, err);
		free(x);
		if ((x = y) == NULL)
			return NULL;
	}
	if (r->tpm >= 0) {
		y = firmxml_set_tpm(x, r->tpm == 1 ? tpm_model : NULL, err);
		free(x);
		x = y;
	}
	return x;
}

static char *
make_note(const struct hwfirm_now *now, const struct hwfirm_req *r)
{
	char *note = NULL;

	if (r->order && now->fi.direct_kernel)
		note = xasprintf("%s boots a kernel directly (<os><kernel>): the boot order is "
		                 "saved but not used while it does.", now->name);
	if (now->active) {
		char *s = xasprintf("%s is running: this takes effect at the next boot, when it is "
		                    "shut down and started again (a reboot inside the guest keeps "
		                    "its present hardware).", now->name);
		note = xjoin(note, " ", s);
		free(s);
	}
	if (!now->caps_ok && (r->cpu_mode || r->cpu_model || r->efi == 1 || r->secure == 1 ||
	                      r->tpm == 1)) {
		char *s = xasprintf("Not checked against the host: %s.",
		                    now->caps_err ? now->caps_err : "its capabilities are unknown");
		note = xjoin(note, " ", s);
		free(s);
	}
	if (r->efi == 0 && now->fi.efi) {
		char *s = xstrdup("Its UEFI variables (NVRAM file) stay on the host; virsh undefine "
		                  "--nvram removes them with the guest.");
		note = xjoin(note, " ", s);
		free(s);
	}
	return note;
}

int
hwfirm_plan(const struct hwfirm_now *now, const struct hwfirm_req *r, const char *uri,
            struct hw_change *c, char **err, char **note)
{
	const char *devs[4], *tpm_model = NULL;
	unsigned topo[3] = { 0, 0, 0 };
	size_t ndevs = 0;
	char *before, *after, *file, *virsh;

	memset(c, 0, sizeof *c);
	*err = NULL;
	if (note)
		*note = NULL;
	if (!now->persistent) {
		*err = xasprintf("%s is transient (it has no saved configuration): a change for its "
		                 "next boot would be lost when it stops.", now->name);
		return -1;
	}
	if ((r->order && parse_order(r->order, devs, &ndevs, err) < 0) ||
	    check_cpu(now, r, topo, err) < 0 || check_firmware(now, r, err) < 0 ||
	    (r->tpm >= 0 && check_tpm(now, r, &tpm_model, err) < 0))
		return -1;
	if ((after = edit(now, r, devs, ndevs, topo, tpm_model, err)) == NULL)
		return -1;
	before = firmxml_normalize(now->saved);
	if (before != NULL && strcmp(before, after) == 0) {
		*err = xasprintf("Nothing to change: %s has that already.", now->name);
		free(before);
		free(after);
		return 1;
	}
	c->what = describe(now, after);
	c->when = HW_CONFIG;
	hw_change_diffs(c, NULL, NULL, before, after);
	file = xasprintf("%s.xml", now->name);
	virsh = msglog_virsh(uri, "define", file, NULL);
	hw_change_add(c, HW_DEFINE, after, 0, NULL, NULL, virsh);
	free(virsh);
	free(file);
	free(before);
	free(after);
	if (note)
		*note = make_note(now, r);
	return 0;
}

/* ---- host devices ---- */

static char *
dev_virsh(const char *uri, const char *verb, const char *vm, const struct nodedev *d,
          unsigned flags)
{
	char *file = xasprintf("hostdev-%s.xml", d->name), *s;

	if ((flags & VIR_DOMAIN_AFFECT_LIVE) && (flags & VIR_DOMAIN_AFFECT_CONFIG))
		s = msglog_virsh(uri, verb, vm, file, "--live", "--config", NULL);
	else if (flags & VIR_DOMAIN_AFFECT_LIVE)
		s = msglog_virsh(uri, verb, vm, file, "--live", NULL);
	else
		s = msglog_virsh(uri, verb, vm, file, "--config", NULL);
	free(file);
	return s;
}

/* The diff of one side: xml with dev added or dropped (NULL: no change). */
static char *
side(const char *xml, const char *dev, bool add)
{
	char *err = NULL, *s = add ? firmxml_add_device(xml, dev, &err) :
	                       firmxml_drop_device(xml, dev, &err);

	free(err);
	return s;
}

static int
hostdev_detach(const struct nodedev *d, const char *vm, const char *live_xml,
               const char *saved_xml, const char *uri, struct hw_change *c, char **err)
{
	char *in_live = live_xml ? nodedev_hostdev_in(live_xml, d) : NULL;
	char *in_saved = saved_xml ? nodedev_hostdev_in(saved_xml, d) : NULL;
	unsigned flags = (in_live ? VIR_DOMAIN_AFFECT_LIVE : 0) |
	                 (in_saved ? VIR_DOMAIN_AFFECT_CONFIG : 0);
	char *lb = NULL, *la = NULL, *sb = NULL, *sa = NULL, *virsh;

	if (flags == 0) {
		*err = xasprintf("%s is not passed through to %s%s%s.", d->name, vm,
		                 d->guest ? "; it is in use by " : "", d->guest ? d->guest : "");
		return -1;
	}
	if (in_live) {
		lb = firmxml_normalize(live_xml);
		la = side(live_xml, in_live, false);
	}
	if (in_saved) {
		sb = firmxml_normalize(saved_xml);
		sa = side(saved_xml, in_saved, false);
	}
	c->what = xasprintf("%s: release host device %s (%s)", vm, d->name, d->addr);
	c->when = (in_live ? HW_LIVE : 0) | (in_saved ? HW_CONFIG : 0);
	hw_change_diffs(c, lb, la, sb, sa);
	virsh = dev_virsh(uri, "detach-device", vm, d, flags);
	hw_change_add(c, HW_DETACH, in_live ? in_live : in_saved, flags, NULL, NULL, virsh);
	free(virsh);
	free(in_live), free(in_saved), free(lb), free(la), free(sb), free(sa);
	return 0;
}

int
hwfirm_hostdev_plan(const struct nodedev_list *l, const struct nodedev *d, const char *vm,
                    const char *live_xml, const char *saved_xml, bool attach, const char *uri,
                    struct hw_change *c, char **err)
{
	char *why, *dev, *lb = NULL, *la = NULL, *sb = NULL, *sa = NULL, *virsh;
	unsigned flags;

	memset(c, 0, sizeof *c);
	*err = NULL;
	if (!attach)
		return hostdev_detach(d, vm, live_xml, saved_xml, uri, c, err);
	if ((why = nodedev_refusal(d, l, vm)) != NULL) {
		*err = why;
		return -1;
	}
	dev = nodedev_hostdev_xml(d, l);
	flags = (live_xml ? VIR_DOMAIN_AFFECT_LIVE : 0) | (saved_xml ? VIR_DOMAIN_AFFECT_CONFIG : 0);
	if (live_xml) {
		lb = firmxml_normalize(live_xml);
		la = side(live_xml, dev, true);
	}
	if (saved_xml) {
		sb = firmxml_normalize(saved_xml);
		sa = side(saved_xml, dev, true);
	}
	c->what = xasprintf("%s: pass host device %s (%s) through", vm, d->name, d->addr);
	c->when = (live_xml ? HW_LIVE : 0) | (saved_xml ? HW_CONFIG : 0);
	hw_change_diffs(c, lb, la, sb, sa);
	virsh = dev_virsh(uri, "attach-device", vm, d, flags);
	hw_change_add(c, HW_ATTACH, dev, flags, NULL, NULL, virsh);
	free(virsh), free(dev), free(lb), free(la), free(sb), free(sa);
	return 0;
}

int
hwfirm_guest_xml(virConnectPtr conn, const char *vm, char **live_xml, char **saved_xml,
                 char **err)
{
	virDomainPtr d = lookup(conn, vm, err);

	*live_xml = *saved_xml = NULL;
	if (d == NULL)
		return -1;
	if (virDomainIsActive(d) == 1)
		*live_xml = virDomainGetXMLDesc(d, 0);
	if (virDomainIsPersistent(d) == 1)
		*saved_xml = virDomainGetXMLDesc(d, VIR_DOMAIN_XML_INACTIVE);
	virDomainFree(d);
	if (*live_xml == NULL && *saved_xml == NULL) {
		char *why = lv_reason();
		*err = xasprintf("Cannot read %s's XML: %s", vm, why);
		free(why);
		return -1;
	}
	return 0;
}

/* ---- applying ---- */

int
hwfirm_apply(virConnectPtr conn, const char *vm, const struct hw_change *c,
             const char *saved_before, char **err)
{
	virDomainPtr d = lookup(conn, vm, err);
	size_t done = 0, i;
	int rc;

	if (d == NULL)
		return -1;
	if (saved_before != NULL) {
		bool secure;
		char *now = saved_xml(d, &secure);
		char *a = firmxml_normalize(saved_before), *b = firmxml_normalize(now);
		bool same = a && b && strcmp(a, b) == 0;
		free(now), free(a), free(b);
		if (!secure) {
			*err = xasprintf("%s's configuration cannot be read with its secrets on this "
			                 "connection; defining it without them would drop its "
			                 "passwords, so nothing was done.", vm);
			virDomainFree(d);
			return -1;
		}
		if (!same) {
			*err = xasprintf("%s's configuration changed since this change was shown; "
			                 "nothing was done: look at it again.", vm);
			virDomainFree(d);
			return -1;
		}
	}
	rc = hw_change_apply(d, c, &done, err);
	for (i = 0; i < done; i++)
		msglog_action(c->steps[i].virsh, NULL, "%s", c->what);
	if (rc < 0)
		msglog_action(done < c->nsteps ? c->steps[done].virsh : NULL, *err, "%s", c->what);
	virDomainFree(d);
	return rc;
}

/* ---- the TUI's job ---- */

enum call_kind { CALL_READ, CALL_APPLY };

struct hwfirm_call {
	struct hwfirm_job *job;
	enum call_kind kind;
	char *vm;
	struct hw_change change;
	char *saved_before;
};

void
hw_change_copy(struct hw_change *dst, const struct hw_change *src)
{
	size_t i;

	memset(dst, 0, sizeof *dst);
	dst->what = src->what ? xstrdup(src->what) : NULL;
	dst->when = src->when;
	dst->diff_live = src->diff_live ? xstrdup(src->diff_live) : NULL;
	dst->diff_saved = src->diff_saved ? xstrdup(src->diff_saved) : NULL;
	for (i = 0; i < src->nsteps; i++) {
		const struct hw_step *s = &src->steps[i];
		hw_change_add(dst, s->kind, s->xml, s->flags, s->pool, s->vol, s->virsh);
	}
}

/* Worker: read the guest and the host's devices; the results as found. */
static void
read_all(struct hwfirm_job *j, virConnectPtr conn, struct hwfirm_now *now, bool *have_now,
         char **live, struct nodedev_list *devs, char **err)
{
	char *saved = NULL;

	*have_now = false;
	*live = NULL;
	memset(devs, 0, sizeof *devs);
	if (j->uuid[0]) {
		if (hwfirm_read(conn, j->uuid, now, err) == 0) {
			*have_now = true;
			if (hwfirm_guest_xml(conn, j->uuid, live, &saved, err) < 0) {
				free(*err);
				*err = NULL;
			}
			free(saved);
		}
	}
	if (j->want_devs && *err == NULL)
		nodedev_list_read(conn, devs, err);
}

static void
job_work(struct host *h, virConnectPtr conn, void *arg)
{
	struct hwfirm_call *c = arg;
	struct hwfirm_job *j = c->job;
	struct hwfirm_now now;
	struct nodedev_list devs = { 0 };
	char *err = NULL, *aerr = NULL, *live = NULL, *result = NULL;
	bool have_now = false;

	if (conn == NULL) {
		err = host_not_connected(h);
	} else {
		if (c->kind == CALL_APPLY) {
			if (hwfirm_apply(conn, c->vm, &c->change, c->saved_before, &aerr) == 0)
				result = xasprintf("%s: done (%s).", c->change.what,
				                   hw_when_text(c->change.when));
		}
		read_all(j, conn, &now, &have_now, &live, &devs, &err);
	}
	host_lock(h);
	if (have_now) {
		hwfirm_now_free(&j->now);
		j->now = now;
		j->have_now = true;
	}
	if (conn != NULL && (j->want_devs && err == NULL)) {
		nodedev_list_free(&j->devs);
		j->devs = devs;
		memset(&devs, 0, sizeof devs);
	}
	if (conn != NULL) {
		free(j->live_xml);
		j->live_xml = live;
		live = NULL;
	}
	free(j->error);
	j->error = aerr ? aerr : err;
	if (aerr)
		free(err);
	if (c->kind == CALL_APPLY) {
		free(j->result);
		j->result = result;
		result = NULL;
	}
	j->reads++;
	j->busy = false;
	host_publish_unlock(h);
	nodedev_list_free(&devs);
	free(live);
	free(result);
	free(c->vm);
	free(c->saved_before);
	hw_change_free(&c->change);
	free(c);
	hwfirm_job_release(j);
}

static void
queue(struct hwfirm_job *j, struct hwfirm_call *c)
{
	c->job = j;
	host_lock(j->host);
	j->refs++;
	j->busy = true;
	if (c->kind == CALL_APPLY) {
		free(j->error);
		j->error = NULL;
		free(j->result);
		j->result = NULL;
	}
	host_unlock(j->host);
	host_call(j->host, job_work, c);
}

struct hwfirm_job *
hwfirm_job_new(struct host *h, const char *uuid, bool want_devs)
{
	struct hwfirm_job *j = xcalloc(1, sizeof *j);

	j->host = h;
	snprintf(j->uuid, sizeof j->uuid, "%s", uuid ? uuid : "");
	j->want_devs = want_devs;
	j->refs = 1;
	hwfirm_job_read(j);
	return j;
}

void
hwfirm_job_read(struct hwfirm_job *j)
{
	struct hwfirm_call *c = xcalloc(1, sizeof *c);

	c->kind = CALL_READ;
	queue(j, c);
}

void
hwfirm_job_apply(struct hwfirm_job *j, const char *vm, const struct hw_change *ch,
                 const char *saved_before)
{
	struct hwfirm_call *c = xcalloc(1, sizeof *c);

	c->kind = CALL_APPLY;
	c->vm = xstrdup(vm);
	hw_change_copy(&c->change, ch);
	c->saved_before = saved_before ? xstrdup(saved_before) : NULL;
	queue(j, c);
}

void
hwfirm_job_release(struct hwfirm_job *j)
{
	if (j == NULL || !host_unref(j->host, &j->refs))
		return;
	hwfirm_now_free(&j->now);
	nodedev_list_free(&j->devs);
	free(j->live_xml);
	free(j->error);
	free(j->result);
	free(j);
}
