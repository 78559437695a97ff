/* vmxml.c — a VM definition as libvirt domain XML, written with libxml2's
 * xmlTextWriter so that the library escapes every string; and a domain XML
 * read back (through domxml_parse and XPath) as a list of differences from
 * a definition, or as a vmtui.yaml(5) definition written with libyaml's
 * emitter. */
#include "vmxml.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <yaml.h>

#include "../base/xmalloc.h"
#include "tagxml.h"
#include "domxml.h"
#include "xpath.h"
#include "xwrite.h"
#include "yemit.h"

static const char *const net_types[] = {
	[VMDEF_NET_NETWORK] = "network", [VMDEF_NET_BRIDGE] = "bridge", [VMDEF_NET_USER] = "user",
};

static bool
str_eq(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* ---- strings XML can carry (xw_ok) ---- */

/* The key of the first string of d or o that XML cannot carry, or NULL. */
static const char *
bad_string(const struct vmdef *d, const struct vmxml_opts *o)
{
	const char *const top[][2] = {
		{ "name", d->name }, { "arch", d->arch }, { "arch", o->arch },
		{ "machine", d->machine }, { "kernel", d->kernel }, { "initrd", d->initrd },
		{ "cmdline", d->cmdline }, { "type", o->domain_type }, { "uuid", o->uuid },
		{ "cloud-init seed", o->seed_path }, { "iso", o->iso_path }, { "iso", d->iso },
		{ "cpu model", d->cpu.model },
	};
	size_t i;

	for (i = 0; i < sizeof top / sizeof *top; i++)
		if (!xw_ok(top[i][1]))
			return top[i][0];
	for (i = 0; i < d->ndisks; i++)
		if (!xw_ok(d->disks[i].path) ||
		    (o->disks && (!xw_ok(o->disks[i].path) || !xw_ok(o->disks[i].format))))
			return "disk path";
	for (i = 0; i < d->nnets; i++)
		if (!xw_ok(d->nets[i].source) || !xw_ok(d->nets[i].mac))
			return "network source";
	return NULL;
}

/* ---- writing (xwrite.h: a sticky error, checked once at the end) ---- */

static void
x_text_u64(struct xw *x, uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof buf, "%" PRIu64, v);
	xw_text(x, buf);
}

/* ---- the parts of a domain ---- */

/* Also true for an unknown arch: apply resolves it, and most hosts are x86. */
static bool
is_x86(const char *arch)
{
	return arch == NULL || strcmp(arch, "x86_64") == 0 || strcmp(arch, "i686") == 0;
}

static const char *
domain_type(const struct vmdef *d, const struct vmxml_opts *o)
{
	if (o->domain_type)
		return o->domain_type;
	return d->type == VMDEF_TYPE_KVM ? "kvm" : d->type == VMDEF_TYPE_QEMU ? "qemu" : NULL;
}

/* Memory in KiB (vmdef guarantees whole KiB) and vCPUs, current and max. */
static void
w_sizes(struct xw *x, const struct vmdef *d)
{
	xw_start(x, "memory");
	xw_attr(x, "unit", "KiB");
	x_text_u64(x, d->max_memory / 1024);
	xw_end(x);
	xw_start(x, "currentMemory");
	xw_attr(x, "unit", "KiB");
	x_text_u64(x, d->memory / 1024);
	xw_end(x);
	xw_start(x, "vcpu");
	xw_attr(x, "placement", "static");
	xw_attr_u(x, "current", d->vcpus);
	x_text_u64(x, d->max_vcpus);
	xw_end(x);
}

/* The boot order: direct kernel boot needs none; install media boots the
 * CD first on the install start, else the disk first and the CD after it
 * (an empty disk falls through to the CD); else the order given, or the
 * first disk. */
static void
w_boot(struct xw *x, const struct vmdef *d, const struct vmxml_opts *o)
{
	size_t i;

	if (d->kernel)
		return;
	if (d->iso) {
		xw_empty(x, "boot", "dev", o->install ? "cdrom" : "hd");
		xw_empty(x, "boot", "dev", o->install ? "hd" : "cdrom");
	} else if (d->nboot == 0) {
		xw_empty(x, "boot", "dev", "hd");
	}
	for (i = 0; !d->iso && i < d->nboot; i++)
		xw_empty(x, "boot", "dev", d->boot_order[i]);
	if (d->boot_menu) {
		xw_start(x, "bootmenu");
		xw_attr(x, "enable", "yes");
		xw_attr(x, "timeout", "3000");
		xw_end(x);
	}
}

/* UEFI through libvirt's firmware auto-selection; Secure Boot asks for
 * the firmware with Microsoft's keys enrolled, and its absence for one
 * without (else libvirt may pick either). */
static void
w_firmware(struct xw *x, const struct vmdef *d)
{
	xw_start(x, "firmware");
	xw_start(x, "feature");
	xw_attr(x, "enabled", d->secure_boot ? "yes" : "no");
	xw_attr(x, "name", "enrolled-keys");
	xw_end(x);
	xw_start(x, "feature");
	xw_attr(x, "enabled", d->secure_boot ? "yes" : "no");
	xw_attr(x, "name", "secure-boot");
	xw_end(x);
	xw_end(x);
}

/* Secure Boot on x86 needs the q35 machine (SMM): the default when the
 * definition names no machine. */
static const char *
machine(const struct vmdef *d)
{
	return d->machine ? d->machine : d->secure_boot ? "q35" : NULL;
}

/* <os>: the firmware, direct kernel boot or the boot order. */
static void
w_os(struct xw *x, const struct vmdef *d, const struct vmxml_opts *o, const char *arch)
{
	xw_start(x, "os");
	if (d->firmware == VMDEF_FW_EFI)
		xw_attr(x, "firmware", "efi");
	xw_start(x, "type");
	if (arch)
		xw_attr(x, "arch", arch);
	if (machine(d))
		xw_attr(x, "machine", machine(d));
	xw_text(x, "hvm");
	xw_end(x);
	if (d->firmware == VMDEF_FW_EFI)
		w_firmware(x, d);
	if (d->kernel) {
		xw_elem(x, "kernel", d->kernel);
		if (d->initrd)
			xw_elem(x, "initrd", d->initrd);
		if (d->cmdline)
			xw_elem(x, "cmdline", d->cmdline);
	}
	w_boot(x, d, o);
	xw_end(x);
}

/* <cpu>: the mode asked for; left out, the host's CPU passed through with
 * kvm only, as TCG cannot emulate it. The topology, when given. */
static void
w_cpu(struct xw *x, const struct vmdef *d, const char *type)
{
	static const char *const modes[] = {
		[VMDEF_CPU_AUTO] = NULL, [VMDEF_CPU_PASSTHROUGH] = "host-passthrough",
		[VMDEF_CPU_HOST_MODEL] = "host-model", [VMDEF_CPU_CUSTOM] = "custom",
	};
	const char *mode = modes[d->cpu.mode];

	if (mode == NULL && strcmp(type, "kvm") == 0)
		mode = "host-passthrough";
	if (mode == NULL && !d->cpu.sockets)
		return;
	xw_start(x, "cpu");
	if (mode)
		xw_attr(x, "mode", mode);
	if (d->cpu.mode == VMDEF_CPU_CUSTOM) {
		xw_attr(x, "match", "exact");
		xw_start(x, "model");
		xw_attr(x, "fallback", "forbid");
		xw_text(x, d->cpu.model);
		xw_end(x);
	}
	if (d->cpu.sockets) {
		xw_start(x, "topology");
		xw_attr_u(x, "sockets", d->cpu.sockets);
		xw_attr_u(x, "dies", 1);
		xw_attr_u(x, "cores", d->cpu.cores);
		xw_attr_u(x, "threads", d->cpu.threads);
		xw_end(x);
	}
	xw_end(x);
}

/* Features, CPU, clock and lifecycle. ACPI and APIC are x86 things (ACPI
 * elsewhere needs UEFI); Secure Boot needs SMM. The install start ends at
 * the installer's reboot, so that the next start boots the disk. */
static void
w_platform(struct xw *x, const struct vmdef *d, const struct vmxml_opts *o, const char *type,
           const char *arch)
{
	if (is_x86(arch)) {
		xw_start(x, "features");
		xw_empty(x, "acpi", NULL, NULL);
		xw_empty(x, "apic", NULL, NULL);
		if (d->secure_boot)
			xw_empty(x, "smm", "state", "on");
		xw_end(x);
	}
	w_cpu(x, d, type);
	xw_empty(x, "clock", "offset", "utc");
	xw_elem(x, "on_poweroff", "destroy");
	xw_elem(x, "on_reboot", d->iso && o->install ? "destroy" : "restart");
	xw_elem(x, "on_crash", "destroy");
}

/* libvirt's disk names: prefix + a..z, aa..az, ba.. for index 0, 1, .. */
static void
disk_name(char *buf, size_t n, const char *prefix, unsigned idx)
{
	char tail[8];
	size_t i = sizeof tail - 1;
	long v;

	tail[i] = '\0';
	for (v = idx; v >= 0 && i > 0; v = v / 26 - 1)
		tail[--i] = (char)('a' + v % 26);
	snprintf(buf, n, "%s%s", prefix, tail + i);
}

struct targets {
	unsigned vd, sd, hd;
};

/* The next free target on bus: vdX for virtio, hdX for ide, sdX for sata
 * and scsi, which share those names. */
static void
next_target(struct targets *t, const char *bus, char *buf, size_t n)
{
	if (strcmp(bus, "virtio") == 0)
		disk_name(buf, n, "vd", t->vd++);
	else if (strcmp(bus, "ide") == 0)
		disk_name(buf, n, "hd", t->hd++);
	else
		disk_name(buf, n, "sd", t->sd++);
}

/* One <disk>: a block device for paths under /dev, else a file; CD-ROMs
 * are read-only. */
static void
w_disk(struct xw *x, const char *device, const char *path, const char *format,
       const char *bus, const char *target)
{
	bool block = strncmp(path, "/dev/", 5) == 0;

	xw_start(x, "disk");
	xw_attr(x, "type", block ? "block" : "file");
	xw_attr(x, "device", device);
	xw_start(x, "driver");
	xw_attr(x, "name", "qemu");
	xw_attr(x, "type", format);
	xw_end(x);
	xw_empty(x, "source", block ? "dev" : "file", path);
	xw_start(x, "target");
	xw_attr(x, "dev", target);
	xw_attr(x, "bus", bus);
	xw_end(x);
	if (strcmp(device, "cdrom") == 0)
		xw_empty(x, "readonly", NULL, NULL);
	xw_end(x);
}

/* Every disk in order, then the seed as a CD-ROM on sata after the other
 * sd disks. A disk apply made a volume for needs its path in o. */
static int
w_disks(struct xw *x, const struct vmdef *d, const struct vmxml_opts *o, char **err)
{
	struct targets t = { 0 };
	char target[16];
	size_t i;

	for (i = 0; i < d->ndisks; i++) {
		const struct vmdef_disk *dk = &d->disks[i];
		const struct vmxml_disk_src *s = o->disks ? &o->disks[i] : NULL;
		const char *path = s && s->path ? s->path : dk->path;

		if (path == NULL) {
			*err = xasprintf("disk %zu: no volume path: it must be created first", i + 1);
			return -1;
		}
		next_target(&t, dk->bus, target, sizeof target);
		w_disk(x, "disk", path, s && s->format ? s->format : dk->format, dk->bus, target);
	}
	if (d->iso) {
		const char *iso = o->iso_path ? o->iso_path : d->iso;

		if (iso[0] != '/') {
			*err = xasprintf("iso: volume %s: its path must be looked up first", d->iso);
			return -1;
		}
		next_target(&t, "sata", target, sizeof target);
		w_disk(x, "cdrom", iso, "raw", "sata", target);
	}
	if (o->seed_path) {
		next_target(&t, "sata", target, sizeof target);
		w_disk(x, "cdrom", o->seed_path, "raw", "sata", target);
	}
	return 0;
}

static void
w_nets(struct xw *x, const struct vmdef *d)
{
	size_t i;

	for (i = 0; i < d->nnets; i++) {
		const struct vmdef_net *n = &d->nets[i];

		xw_start(x, "interface");
		xw_attr(x, "type", net_types[n->kind]);
		if (n->mac)
			xw_empty(x, "mac", "address", n->mac);
		if (n->kind != VMDEF_NET_USER)
			xw_empty(x, "source", net_types[n->kind], n->source);
		xw_empty(x, "model", "type", n->model);
		xw_end(x);
	}
}

/* A serial console on a pty, and VNC on localhost (vmtui's graphical
 * console, virt-viewer, or an SSH tunnel reach it; libvirt adds the video
 * card). */
static void
w_console(struct xw *x, bool console, bool vnc)
{
	if (vnc) {
		xw_start(x, "graphics");
		xw_attr(x, "type", "vnc");
		xw_attr(x, "autoport", "yes");
		xw_start(x, "listen");
		xw_attr(x, "type", "address");
		xw_attr(x, "address", "127.0.0.1");
		xw_end(x);
		xw_end(x);
	}
	if (!console)
		return;
	xw_start(x, "serial");
	xw_attr(x, "type", "pty");
	xw_empty(x, "target", "port", "0");
	xw_end(x);
	xw_start(x, "console");
	xw_attr(x, "type", "pty");
	xw_start(x, "target");
	xw_attr(x, "type", "serial");
	xw_attr(x, "port", "0");
	xw_end(x);
	xw_end(x);
}

static void
x_attr_hex(struct xw *x, const char *name, unsigned v, int width)
{
	char buf[16];

	snprintf(buf, sizeof buf, "0x%0*x", width, v);
	xw_attr(x, name, buf);
}

/* Host devices, managed: libvirt detaches a PCI device from its host
 * driver on start and gives it back on stop. */
static void
w_hostdevs(struct xw *x, const struct vmdef *d)
{
	size_t i;

	for (i = 0; i < d->nhostdevs; i++) {
		const struct vmdef_hostdev *h = &d->hostdevs[i];

		xw_start(x, "hostdev");
		xw_attr(x, "mode", "subsystem");
		xw_attr(x, "type", h->usb ? "usb" : "pci");
		xw_attr(x, "managed", "yes");
		xw_start(x, "source");
		if (h->usb) {
			xw_start(x, "vendor");
			x_attr_hex(x, "id", h->vendor, 4);
			xw_end(x);
			xw_start(x, "product");
			x_attr_hex(x, "id", h->product, 4);
			xw_end(x);
		} else {
			xw_start(x, "address");
			x_attr_hex(x, "domain", h->domain, 4);
			x_attr_hex(x, "bus", h->bus, 2);
			x_attr_hex(x, "slot", h->slot, 2);
			x_attr_hex(x, "function", h->function, 1);
			xw_end(x);
		}
		xw_end(x);
		xw_end(x);
	}
}

/* Devices after the disks: a virtio-scsi controller for scsi disks (not
 * libvirt's default LSI one), interfaces, console and VNC, balloon with
 * stats for the memory graphs, and an entropy source. */
static void
w_devices(struct xw *x, const struct vmdef *d)
{
	size_t i;

	for (i = 0; i < d->ndisks && strcmp(d->disks[i].bus, "scsi") != 0; i++)
		;
	if (i < d->ndisks) {
		xw_start(x, "controller");
		xw_attr(x, "type", "scsi");
		xw_attr(x, "model", "virtio-scsi");
		xw_end(x);
	}
	w_nets(x, d);
	w_console(x, d->console, d->vnc);
	w_hostdevs(x, d);
	if (d->tpm != VMDEF_TPM_NONE) {
		xw_start(x, "tpm");
		xw_attr(x, "model", d->tpm == VMDEF_TPM_CRB ? "tpm-crb" : "tpm-tis");
		xw_start(x, "backend");
		xw_attr(x, "type", "emulator");
		xw_attr(x, "version", "2.0");
		xw_end(x);
		xw_end(x);
	}
	xw_start(x, "memballoon");
	xw_attr(x, "model", "virtio");
	xw_empty(x, "stats", "period", "2");
	xw_end(x);
	if (d->agent) {
		/* The QEMU guest agent's channel (libvirt picks the socket). */
		xw_start(x, "channel");
		xw_attr(x, "type", "unix");
		xw_start(x, "target");
		xw_attr(x, "type", "virtio");
		xw_attr(x, "name", "org.qemu.guest_agent.0");
		xw_end(x);
		xw_end(x);
	}
	if (!d->rng)
		return;
	xw_start(x, "rng");
	xw_attr(x, "model", "virtio");
	xw_start(x, "backend");
	xw_attr(x, "model", "random");
	xw_text(x, "/dev/urandom");
	xw_end(x);
	xw_end(x);
}

/* tags:, notes: and ssh_user: as vmtui's elements of <metadata> (tagxml.h). */
static void
w_meta(struct xw *x, const struct vmdef *d)
{
	size_t i;

	if (d->ntags == 0 && d->notes == NULL && d->ssh_user == NULL)
		return;
	xw_start(x, "metadata");
	if (d->ntags || d->notes) {
		xw_start(x, TAGXML_PREFIX ":guest");
		xw_attr(x, "xmlns:" TAGXML_PREFIX, TAGXML_NS);
		for (i = 0; i < d->ntags; i++)
			xw_elem(x, TAGXML_PREFIX ":tag", d->tags[i]);
		if (d->notes)
			xw_elem(x, TAGXML_PREFIX ":note", d->notes);
		xw_end(x);
	}
	if (d->ssh_user) {
		/* Who `vmtui ssh` logs in as (model/guest/agent.h): an element
		 * of its own, which changing the tags leaves alone. */
		xw_start(x, SSHXML_PREFIX ":ssh");
		xw_attr(x, "xmlns:" SSHXML_PREFIX, SSHXML_NS);
		xw_attr(x, "user", d->ssh_user);
		xw_end(x);
	}
	xw_end(x);
}

/* Everything of <domain> before its devices, and <devices> opened. */
static void
w_head(struct xw *x, const struct vmdef *d, const struct vmxml_opts *o, const char *type)
{
	const char *arch = o->arch ? o->arch : d->arch;

	xw_start(x, "domain");
	xw_attr(x, "type", type);
	xw_elem(x, "name", d->name);
	if (o->uuid)
		xw_elem(x, "uuid", o->uuid);
	w_meta(x, d);
	w_sizes(x, d);
	w_os(x, d, o, arch);
	w_platform(x, d, o, type, arch);
	xw_start(x, "devices");
}

char *
vmxml_domain(const struct vmdef *d, const struct vmxml_opts *o, char **err)
{
	static const struct vmxml_opts none;
	struct xw x = { 0 };
	const char *type, *bad;
	char *out = NULL;

	*err = NULL;
	o = o ? o : &none;
	if ((type = domain_type(d, o)) == NULL) {
		*err = xstrdup("type: auto must be resolved to kvm or qemu first");
		return NULL;
	}
	if ((bad = bad_string(d, o)) != NULL) {
		*err = xasprintf("%s: holds a control character, which XML cannot carry", bad);
		return NULL;
	}
	if (xw_open(&x) < 0) {
		*err = xstrdup("cannot create an XML writer");
		return NULL;
	}
	w_head(&x, d, o, type);
	if (w_disks(&x, d, o, err) < 0)
		goto cleanup;
	w_devices(&x, d);
	xw_end(&x); /* devices */
	xw_end(&x); /* domain */
	if ((out = xw_close(&x)) == NULL)
		*err = xstrdup("cannot write the domain XML");
	return out;

cleanup:
	free(xw_close(&x)); /* *err says why */
	return NULL;
}

/* ---- reading a domain back ---- */

/* What compare and export need: domxml's view (vCPUs, memory, disks,
 * interfaces) and the rest of what vmtui.yaml can say. */
struct dom {
	struct vm_config *c;
	const struct vm_config_disk **disks; /* c's device='disk' disks */
	size_t ndisks;
	char *name, *type, *kernel, *initrd, *cmdline;
	char **boot;
	size_t nboot;
	bool console, vnc;
	bool efi, secure_boot, rng, boot_menu, agent;
	char *tpm;       /* the TPM's model: "tpm-crb", "tpm-tis"; NULL: none */
	char *cpu_mode, *cpu_model; /* NULL: no <cpu> or no mode */
	bool cpu_default; /* libvirt's own default model (check='none') */
	unsigned sockets, cores, threads; /* 0: no topology */
	char *hostdevs;  /* "0000:01:00.0, 046d:c52b" in the XML's order; NULL: none */
	char *hostdev_bad; /* the first host device vmtui.yaml cannot say */
	char *iso;       /* the first CD-ROM's source that is not the seed */
	struct tagset meta; /* tags and note in vmtui's <metadata> */
};

static bool
xp_bool(xmlXPathContextPtr ctx, const char *expr)
{
	xmlXPathObjectPtr obj = xmlXPathEvalExpression(BAD_CAST expr, ctx);
	bool out = obj && obj->type == XPATH_BOOLEAN && obj->boolval;

	xmlXPathFreeObject(obj);
	return out;
}

/* The boot devices of <os>, in order. */
static void
read_boot(xmlXPathContextPtr ctx, struct dom *m)
{
	xmlXPathObjectPtr obj = xmlXPathEvalExpression(BAD_CAST "/domain/os/boot/@dev", ctx);
	xmlNodeSetPtr set = obj && obj->type == XPATH_NODESET ? obj->nodesetval : NULL;
	int i;

	for (i = 0; set && i < set->nodeNr; i++) {
		xmlChar *v = xmlNodeGetContent(set->nodeTab[i]);

		m->boot = xreallocarray(m->boot, m->nboot + 1, sizeof *m->boot);
		m->boot[m->nboot++] = xstrdup(v ? (const char *)v : "");
		xmlFree(v);
	}
	xmlXPathFreeObject(obj);
}

/* A whole number attribute of the first node of expr, or 0. */
static unsigned
xp_uint(xmlXPathContextPtr ctx, const char *expr)
{
	char *v = xpath_str(ctx, expr);
	unsigned n = v ? (unsigned)strtoul(v, NULL, 10) : 0;

	free(v);
	return n;
}

/* Firmware, Secure Boot, TPM, CPU, RNG and the boot menu. */
static void
read_hardware(xmlXPathContextPtr ctx, struct dom *m)
{
	char *check;

	m->efi = xp_bool(ctx, "boolean(/domain/os[@firmware='efi'] | "
	                      "/domain/os/loader[@type='pflash'])");
	m->secure_boot = xp_bool(ctx, "boolean(/domain/os/firmware/feature[@name='secure-boot' "
	                              "and @enabled='yes'] | /domain/os/loader[@secure='yes'])");
	m->tpm = xpath_str(ctx, "string(/domain/devices/tpm/@model)");
	if (m->tpm == NULL && xp_bool(ctx, "boolean(/domain/devices/tpm)"))
		m->tpm = xstrdup("tpm-tis"); /* libvirt's default model on x86 */
	m->rng = xp_bool(ctx, "boolean(/domain/devices/rng)");
	m->agent = xp_bool(ctx, "boolean(/domain/devices/channel/target[@type='virtio' and "
	                        "@name='org.qemu.guest_agent.0'])");
	m->boot_menu = xp_bool(ctx, "boolean(/domain/os/bootmenu[@enable='yes'])");
	m->cpu_mode = xpath_str(ctx, "string(/domain/cpu/@mode)");
	if (m->cpu_mode == NULL && xp_bool(ctx, "boolean(/domain/cpu/model)"))
		m->cpu_mode = xstrdup("custom");
	m->cpu_model = xpath_str(ctx, "string(/domain/cpu/model)");
	check = xpath_str(ctx, "string(/domain/cpu/@check)");
	m->cpu_default = check && strcmp(check, "none") == 0 && str_eq(m->cpu_mode, "custom");
	free(check);
	m->sockets = xp_uint(ctx, "string(/domain/cpu/topology/@sockets)");
	m->cores = xp_uint(ctx, "string(/domain/cpu/topology/@cores)");
	m->threads = xp_uint(ctx, "string(/domain/cpu/topology/@threads)");
	if (!m->sockets || !m->cores || !m->threads)
		m->sockets = m->cores = m->threads = 0;
}

/* A hex attribute of one node ("0x01"), or -1. */
static long
hex_at(xmlXPathContextPtr ctx, xmlNodePtr n, const char *expr)
{
	char *v = xpath_str_at(ctx, n, expr), *end = NULL;
	long out = v ? strtol(v, &end, 0) : -1;

	if (v == NULL || end == v || *end || out < 0 || out > 0xffff)
		out = -1;
	free(v);
	return out;
}

/* One host device as vmtui.yaml writes it, or NULL. */
static char *
hostdev_text(xmlXPathContextPtr ctx, xmlNodePtr n)
{
	char *type = xpath_str_at(ctx, n, "string(@type)"), *out = NULL;
	long a, b, c, d;

	if (type && strcmp(type, "pci") == 0) {
		a = hex_at(ctx, n, "string(source/address/@domain)");
		b = hex_at(ctx, n, "string(source/address/@bus)");
		c = hex_at(ctx, n, "string(source/address/@slot)");
		d = hex_at(ctx, n, "string(source/address/@function)");
		if (a >= 0 && b >= 0 && b <= 0xff && c >= 0 && c <= 0x1f && d >= 0 && d <= 7)
			out = xasprintf("%04lx:%02lx:%02lx.%lx", a, b, c, d);
	} else if (type && strcmp(type, "usb") == 0) {
		a = hex_at(ctx, n, "string(source/vendor/@id)");
		b = hex_at(ctx, n, "string(source/product/@id)");
		if (a >= 0 && b >= 0)
			out = xasprintf("%04lx:%04lx", a, b);
	}
	free(type);
	return out;
}

/* The host devices, as one comma-separated list. */
static void
read_hostdevs(xmlXPathContextPtr ctx, struct dom *m)
{
	xmlXPathObjectPtr obj = xmlXPathEvalExpression(
		BAD_CAST "/domain/devices/hostdev[@mode='subsystem' or not(@mode)]", ctx);
	xmlNodeSetPtr set = obj && obj->type == XPATH_NODESET ? obj->nodesetval : NULL;
	char *one, *all;
	int i;

	for (i = 0; set && i < set->nodeNr; i++) {
		if ((one = hostdev_text(ctx, set->nodeTab[i])) == NULL) {
			if (m->hostdev_bad == NULL)
				m->hostdev_bad = xpath_str_at(ctx, set->nodeTab[i], "string(@type)");
			if (m->hostdev_bad == NULL)
				m->hostdev_bad = xstrdup("?");
			continue;
		}
		all = m->hostdevs ? xasprintf("%s, %s", m->hostdevs, one) : xstrdup(one);
		free(m->hostdevs);
		free(one);
		m->hostdevs = all;
	}
	xmlXPathFreeObject(obj);
}

/* The install media: the first CD-ROM with a source other than the
 * cloud-init seed apply names NAME-seed.iso. */
static void
read_iso(xmlXPathContextPtr ctx, struct dom *m)
{
	xmlXPathObjectPtr obj = xmlXPathEvalExpression(
		BAD_CAST "/domain/devices/disk[@device='cdrom']/source/@file | "
		         "/domain/devices/disk[@device='cdrom']/source/@dev", ctx);
	xmlNodeSetPtr set = obj && obj->type == XPATH_NODESET ? obj->nodesetval : NULL;
	char *seed = xasprintf("/%s-seed.iso", m->name ? m->name : "");
	int i;

	for (i = 0; set && i < set->nodeNr && m->iso == NULL; i++) {
		xmlChar *v = xmlNodeGetContent(set->nodeTab[i]);
		const char *p = (const char *)v;
		size_t lp = p ? strlen(p) : 0, ls = strlen(seed);

		if (p && p[0] && !(lp >= ls && strcmp(p + lp - ls, seed) == 0))
			m->iso = xstrdup(p);
		xmlFree(v);
	}
	free(seed);
	xmlXPathFreeObject(obj);
}

/* The parts domxml does not read. */
static int
read_rest(struct dom *m, const char *xml, char **err)
{
	xmlDocPtr doc;
	xmlXPathContextPtr ctx = NULL;
	int rc = -1;

	doc = xml_read_quiet(xml, "domain.xml");
	if (doc == NULL || (ctx = xmlXPathNewContext(doc)) == NULL) {
		*err = xstrdup("the domain XML is not well-formed");
		goto cleanup;
	}
	if (!xp_bool(ctx, "boolean(/domain)")) {
		*err = xstrdup("the XML is not a libvirt domain");
		goto cleanup;
	}
	m->name = xpath_str(ctx, "string(/domain/name)");
	m->type = xpath_str(ctx, "string(/domain/@type)");
	m->kernel = xpath_str(ctx, "string(/domain/os/kernel)");
	m->initrd = xpath_str(ctx, "string(/domain/os/initrd)");
	m->cmdline = xpath_str(ctx, "string(/domain/os/cmdline)");
	m->console = xp_bool(ctx, "boolean(/domain/devices/serial|/domain/devices/console)");
	m->vnc = xp_bool(ctx, "boolean(/domain/devices/graphics[@type='vnc'])");
	read_boot(ctx, m);
	read_hardware(ctx, m);
	read_hostdevs(ctx, m);
	read_iso(ctx, m);
	rc = 0;

cleanup:
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return rc;
}

static void
dom_free(struct dom *m)
{
	size_t i;

	vm_config_free(m->c);
	tagset_free(&m->meta);
	free(m->disks);
	free(m->name);
	free(m->type);
	free(m->kernel);
	free(m->initrd);
	free(m->cmdline);
	free(m->tpm);
	free(m->cpu_mode);
	free(m->cpu_model);
	free(m->hostdevs);
	free(m->hostdev_bad);
	free(m->iso);
	for (i = 0; i < m->nboot; i++)
		free(m->boot[i]);
	free(m->boot);
}

/* Parse xml into m; on error m holds nothing to free. */
static int
dom_read(struct dom *m, const char *xml, char **err)
{
	size_t i;

	memset(m, 0, sizeof *m);
	if ((m->c = domxml_parse(xml, err)) == NULL)
		return -1;
	/* Well-formed, domxml says: no error to come from here. */
	if (tagxml_from_domain(xml, &m->meta, err) < 0) {
		free(*err);
		*err = NULL;
	}
	m->disks = xcalloc(m->c->ndisks + 1, sizeof *m->disks);
	for (i = 0; i < m->c->ndisks; i++) {
		const struct vm_config_disk *k = &m->c->disks[i];

		if (k->device == NULL || strcmp(k->device, "disk") == 0)
			m->disks[m->ndisks++] = k;
	}
	if (read_rest(m, xml, err) < 0) {
		dom_free(m);
		return -1;
	}
	return 0;
}

/* A size as vmtui.yaml writes it: in the largest binary unit that divides. */
static void
fmt_size(char *buf, size_t n, uint64_t b)
{
	static const char units[] = "KMGT";
	int u = -1;

	while (u < 3 && b && b % 1024 == 0) {
		b /= 1024;
		u++;
	}
	if (u < 0)
		snprintf(buf, n, "%" PRIu64 "B", b);
	else
		snprintf(buf, n, "%" PRIu64 "%c", b, units[u]);
}

/* ---- compare ---- */

struct diffs {
	struct vmxml_diff *v;
	size_t n;
};

static void
add_diff(struct diffs *l, const char *field, const char *have, const char *want, bool live)
{
	struct vmxml_diff *f;

	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	f = &l->v[l->n++];
	f->field = xstrdup(field);
	f->have = xstrdup(have ? have : "none");
	f->want = xstrdup(want ? want : "none");
	f->safe_live = live;
}

/* A count (size false) or a size in bytes. */
static void
cmp_u64(struct diffs *l, const char *field, uint64_t have, uint64_t want, bool size, bool live)
{
	char h[32], w[32];

	if (have == want)
		return;
	if (size) {
		fmt_size(h, sizeof h, have);
		fmt_size(w, sizeof w, want);
	} else {
		snprintf(h, sizeof h, "%" PRIu64, have);
		snprintf(w, sizeof w, "%" PRIu64, want);
	}
	add_diff(l, field, h, w, live);
}

static void
cmp_str(struct diffs *l, const char *field, const char *have, const char *want)
{
	if (!str_eq(have, want))
		add_diff(l, field, have, want, false);
}

/* vCPUs and memory: a current value within the domain's max can change live. */
static void
cmp_sizes(struct diffs *l, const struct vmdef *d, const struct vm_config *c)
{
	uint64_t mem = c->mem_cur_kib * 1024, mem_max = c->mem_max_kib * 1024;

	cmp_u64(l, "vcpus", c->vcpus_cur, d->vcpus, false, d->vcpus <= c->vcpus_max);
	cmp_u64(l, "max_vcpus", c->vcpus_max, d->max_vcpus, false, false);
	cmp_u64(l, "memory", mem, d->memory, true, d->memory <= mem_max);
	cmp_u64(l, "max_memory", mem_max, d->max_memory, true, false);
}

/* Which domain disk each disk of d is compared with: the one with the
 * target vmxml_domain gives it (libvirt sorts disks by bus, so positions
 * differ), else the first one no target claimed; -1: none. */
static void
pair_disks(const struct vmdef *d, const struct dom *m, long *pair)
{
	bool *used = xcalloc(m->ndisks + 1, sizeof *used);
	struct targets t = { 0 };
	char target[16];
	size_t i, j;

	for (i = 0; i < d->ndisks; i++) {
		next_target(&t, d->disks[i].bus, target, sizeof target);
		pair[i] = -1;
		for (j = 0; j < m->ndisks && pair[i] < 0; j++)
			if (!used[j] && str_eq(m->disks[j]->target, target)) {
				pair[i] = (long)j;
				used[j] = true;
			}
	}
	for (i = 0; i < d->ndisks; i++)
		for (j = 0; j < m->ndisks && pair[i] < 0; j++)
			if (!used[j]) {
				pair[i] = (long)j;
				used[j] = true;
			}
	free(used);
}

/* Disk i of d, w, against the domain disk h paired with it, of capacity
 * cap (0: unknown). */
static void
cmp_disk(struct diffs *l, size_t i, const struct vmdef_disk *w,
         const struct vm_config_disk *h, uint64_t cap)
{
	char f[64];

	snprintf(f, sizeof f, "disks[%zu].bus", i);
	cmp_str(l, f, h->bus, w->bus);
	snprintf(f, sizeof f, "disks[%zu].format", i);
	cmp_str(l, f, h->format, w->format);
	snprintf(f, sizeof f, "disks[%zu].size", i);
	if (cap && w->size)
		cmp_u64(l, f, cap, w->size, true, false);
	snprintf(f, sizeof f, "disks[%zu].path", i);
	if (w->path)
		cmp_str(l, f, h->source, w->path);
}

static void
cmp_disks(struct diffs *l, const struct vmdef *d, const struct dom *m, const uint64_t *cap)
{
	long *pair = xcalloc(d->ndisks + 1, sizeof *pair);
	size_t i;

	cmp_u64(l, "disks", m->ndisks, d->ndisks, false, false);
	pair_disks(d, m, pair);
	for (i = 0; i < d->ndisks; i++)
		if (pair[i] >= 0)
			cmp_disk(l, i, &d->disks[i], m->disks[pair[i]], cap ? cap[pair[i]] : 0);
	free(pair);
}

static void
cmp_nets(struct diffs *l, const struct vmdef *d, const struct vm_config *c)
{
	size_t i;
	char f[64];

	cmp_u64(l, "networks", c->nnics, d->nnets, false, false);
	for (i = 0; i < d->nnets && i < c->nnics; i++) {
		const struct vmdef_net *w = &d->nets[i];
		const struct vm_config_nic *h = &c->nics[i];

		snprintf(f, sizeof f, "networks[%zu].kind", i);
		cmp_str(l, f, h->type, net_types[w->kind]);
		snprintf(f, sizeof f, "networks[%zu].source", i);
		cmp_str(l, f, h->source, w->source);
		snprintf(f, sizeof f, "networks[%zu].mac", i);
		if (w->mac && (h->mac == NULL || strcasecmp(h->mac, w->mac) != 0))
			add_diff(l, f, h->mac, w->mac, false);
		snprintf(f, sizeof f, "networks[%zu].model", i);
		cmp_str(l, f, h->model, w->model);
	}
}

/* The definition's host devices, as read_hostdevs writes a domain's. */
static char *
def_hostdevs(const struct vmdef *d)
{
	char *all = NULL, *one, *next;
	size_t i;

	for (i = 0; i < d->nhostdevs; i++) {
		const struct vmdef_hostdev *h = &d->hostdevs[i];

		one = h->usb ? xasprintf("%04x:%04x", h->vendor, h->product)
		             : xasprintf("%04x:%02x:%02x.%x", h->domain, h->bus, h->slot, h->function);
		next = all ? xasprintf("%s, %s", all, one) : xstrdup(one);
		free(all);
		free(one);
		all = next;
	}
	return all;
}

/* A TPM model as vmtui.yaml says it: crb, tis, none, or libvirt's word. */
static const char *
tpm_word(const char *model)
{
	if (model == NULL)
		return "none";
	if (strcmp(model, "tpm-crb") == 0)
		return "crb";
	return strcmp(model, "tpm-tis") == 0 ? "tis" : model;
}

static const char *const tpm_words[] = {
	[VMDEF_TPM_NONE] = "none", [VMDEF_TPM_CRB] = "crb", [VMDEF_TPM_TIS] = "tis",
};
static const char *const cpu_modes[] = {
	[VMDEF_CPU_AUTO] = NULL, [VMDEF_CPU_PASSTHROUGH] = "host-passthrough",
	[VMDEF_CPU_HOST_MODEL] = "host-model", [VMDEF_CPU_CUSTOM] = "custom",
};

static const char *
yes(bool b)
{
	return b ? "true" : "false";
}

/* "SxCxT", or NULL for none. */
static char *
topology(unsigned s, unsigned c, unsigned t)
{
	return s ? xasprintf("%ux%ux%u", s, c, t) : NULL;
}

/* Firmware, Secure Boot, TPM, CPU, host devices, RNG, boot menu and
 * install media (iso_path: its path), each where the definition writes it
 * or took it from os: (as MACs: a domain made by other means is not held
 * to vmtui.yaml's defaults). */
static void
cmp_hardware(struct diffs *l, const struct vmdef *d, const struct dom *m, const char *iso_path)
{
	unsigned said = d->given | d->from_os;
	char *h, *w;

	if (said & VMDEF_OS_FIRMWARE)
		cmp_str(l, "firmware", m->efi ? "efi" : "bios",
		        d->firmware == VMDEF_FW_EFI ? "efi" : "bios");
	if (said & VMDEF_OS_SECURE_BOOT)
		cmp_str(l, "secure_boot", yes(m->secure_boot), yes(d->secure_boot));
	if (said & VMDEF_OS_TPM)
		cmp_str(l, "tpm", tpm_word(m->tpm), tpm_words[d->tpm]);
	if (d->cpu.mode != VMDEF_CPU_AUTO)
		cmp_str(l, "cpu.mode", m->cpu_mode, cpu_modes[d->cpu.mode]);
	if (d->cpu.mode == VMDEF_CPU_CUSTOM)
		cmp_str(l, "cpu.model", m->cpu_model, d->cpu.model);
	if (d->cpu.sockets) {
		h = topology(m->sockets, m->cores, m->threads);
		w = topology(d->cpu.sockets, d->cpu.cores, d->cpu.threads);
		cmp_str(l, "cpu.topology", h, w);
		free(h);
		free(w);
	}
	if (said & VMDEF_KEY_HOSTDEVS) {
		w = def_hostdevs(d);
		cmp_str(l, "hostdevs", m->hostdevs, w);
		free(w);
	}
	if (said & VMDEF_KEY_RNG)
		cmp_str(l, "rng", yes(m->rng), yes(d->rng));
	if (said & VMDEF_KEY_BOOT_MENU)
		cmp_str(l, "boot_menu", yes(m->boot_menu), yes(d->boot_menu));
	if (said & VMDEF_KEY_AGENT)
		cmp_str(l, "agent", yes(m->agent), yes(d->agent));
	if (d->iso)
		cmp_str(l, "iso", m->iso, iso_path ? iso_path : d->iso);
}

int
vmxml_compare(const struct vmdef *d, const char *domain_xml, const uint64_t *disk_capacity,
              struct vmxml_diff **out, size_t *n, char **err)
{
	return vmxml_compare_iso(d, domain_xml, disk_capacity, NULL, out, n, err);
}

int
vmxml_compare_iso(const struct vmdef *d, const char *domain_xml, const uint64_t *disk_capacity,
                  const char *iso_path, struct vmxml_diff **out, size_t *n, char **err)
{
	struct diffs l = { 0 };
	struct dom m;

	*out = NULL;
	*n = 0;
	*err = NULL;
	if (dom_read(&m, domain_xml, err) < 0)
		return -1;
	cmp_sizes(&l, d, m.c);
	cmp_disks(&l, d, &m, disk_capacity);
	cmp_nets(&l, d, m.c);
	cmp_hardware(&l, d, &m, iso_path);
	dom_free(&m);
	*out = l.v;
	*n = l.n;
	return 0;
}

void
vmxml_diffs_free(struct vmxml_diff *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].field);
		free(v[i].have);
		free(v[i].want);
	}
	free(v);
}

/* ---- export ---- */

static bool
in_list(const char *s, const char *const *list)
{
	for (; s && *list; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

/* Whether disk i becomes a blank volume: see vmxml_export_yaml. */
static bool
as_volume(size_t i, const uint64_t *cap, const char *const *pool)
{
	return cap && pool && cap[i] && pool[i];
}

static int
check_disks(const struct dom *m, const uint64_t *cap, const char *const *pool, char **err)
{
	static const char *const buses[] = { "virtio", "sata", "scsi", "ide", NULL };
	static const char *const formats[] = { "qcow2", "raw", NULL };
	size_t i;

	for (i = 0; i < m->ndisks; i++) {
		const struct vm_config_disk *k = m->disks[i];
		const char *t = k->target ? k->target : "?";

		if (!in_list(k->bus, buses) || !in_list(k->format, formats)) {
			*err = xasprintf("disk %s: bus %s, format %s: vmtui.yaml knows virtio, sata, "
			                 "scsi, ide and qcow2, raw", t, k->bus ? k->bus : "none",
			                 k->format ? k->format : "none");
			return -1;
		}
		if (!as_volume(i, cap, pool) && (k->source == NULL || k->source[0] != '/')) {
			*err = xasprintf("disk %s: neither a file nor a volume of known pool and size", t);
			return -1;
		}
	}
	return 0;
}

static int
check_nics(const struct vm_config *c, char **err)
{
	static const char *const types[] = { "network", "bridge", "user", NULL };
	static const char *const models[] = { "virtio", "e1000", "e1000e", "rtl8139", NULL };
	size_t i;

	for (i = 0; i < c->nnics; i++) {
		const struct vm_config_nic *n = &c->nics[i];

		if (!in_list(n->type, types)) {
			*err = xasprintf("interface %zu: type %s is not network, bridge or user", i + 1,
			                 n->type ? n->type : "none");
			return -1;
		}
		if (strcmp(n->type, "user") != 0 && n->source == NULL) {
			*err = xasprintf("interface %zu: no source %s", i + 1, n->type);
			return -1;
		}
		if (n->model && !in_list(n->model, models)) {
			*err = xasprintf("interface %zu: model %s is not virtio, e1000, e1000e or "
			                 "rtl8139", i + 1, n->model);
			return -1;
		}
	}
	return 0;
}

/* Refuse what vmtui.yaml cannot say, before writing anything. */
static int
export_check(const struct dom *m, const uint64_t *cap, const char *const *pool, char **err)
{
	static const char *const devs[] = { "hd", "cdrom", "network", NULL };
	size_t i;

	if (m->name == NULL) {
		*err = xstrdup("the domain has no name");
		return -1;
	}
	if (check_disks(m, cap, pool, err) < 0 || check_nics(m->c, err) < 0)
		return -1;
	if (m->hostdev_bad) {
		*err = xasprintf("host device of type %s: vmtui.yaml knows PCI addresses and USB "
		                 "vendor:product ids", m->hostdev_bad);
		return -1;
	}
	if (m->tpm && strcmp(tpm_word(m->tpm), m->tpm) == 0) {
		*err = xasprintf("TPM model %s: vmtui.yaml knows crb and tis", m->tpm);
		return -1;
	}
	for (i = 0; !m->kernel && i < m->nboot; i++)
		if (!in_list(m->boot[i], devs)) {
			*err = xasprintf("boot device %s is not hd, cdrom or network", m->boot[i]);
			return -1;
		}
	return 0;
}

/* A count, or a size in bytes. */
static void
y_num(struct yw *y, uint64_t v, bool size)
{
	char buf[32];

	if (size)
		fmt_size(buf, sizeof buf, v);
	else
		snprintf(buf, sizeof buf, "%" PRIu64, v);
	y_plain(y, buf);
}


/* key: N, or key: {current: N, max: M} when they differ. */
static void
y_cur_max(struct yw *y, const char *key, uint64_t cur, uint64_t max, bool size)
{
	y_str(y, key);
	if (cur == max) {
		y_num(y, cur, size);
		return;
	}
	y_map(y, true);
	y_str(y, "current");
	y_num(y, cur, size);
	y_str(y, "max");
	y_num(y, max, size);
	y_map_end(y);
}

/* The index of a target after its prefix (vd, sd, hd, xvd): vda 0, vdz 25,
 * vdaa 26, as libvirt counts; names it cannot read sort last. */
static long
target_index(const char *t)
{
	const char *p = t ? strchr(t, 'd') : NULL;
	long idx = -1;

	if (p == NULL)
		return 1L << 30;
	for (p++; *p >= 'a' && *p <= 'z'; p++)
		idx = (idx + 1) * 26 + (*p - 'a');
	return *p || idx < 0 ? 1L << 30 : idx;
}

/* The family of target names a bus draws from, as in next_target. */
static char
family(const char *bus)
{
	return strcmp(bus, "virtio") == 0 ? 'v' : strcmp(bus, "ide") == 0 ? 'h' : 's';
}

/* The order to export disks in, so that vmxml_domain gives each its
 * target again: families (vd, sd, hd) in the order they first appear,
 * which keeps the first disk first for booting, and by target within a
 * family (libvirt lists sata before scsi disks, which share sd names). */
static size_t *
export_order(const struct dom *m)
{
	size_t *o = xcalloc(m->ndisks + 1, sizeof *o), i, j, k;
	char seen[4] = "";

	for (i = 0; i < m->ndisks; i++)
		if (!strchr(seen, family(m->disks[i]->bus)))
			seen[strlen(seen)] = family(m->disks[i]->bus);
	for (k = 0, i = 0; seen[i]; i++) {
		size_t first = k;

		for (j = 0; j < m->ndisks; j++)
			if (family(m->disks[j]->bus) == seen[i])
				o[k++] = j;
		for (j = first + 1; j < k; j++) { /* insertion sort, stable */
			size_t v = o[j], p = j;

			for (; p > first && target_index(m->disks[o[p - 1]]->target) >
			                    target_index(m->disks[v]->target); p--)
				o[p] = o[p - 1];
			o[p] = v;
		}
	}
	return o;
}

/* A disk of known pool and size becomes a new blank volume of that size in
 * that pool: an export describes the VM's shape, not its data, and taking
 * over the original's volume would let two VMs write one disk. Without a
 * pool (a file outside any pool, or a caller that could not tell) the
 * disk is the same file, used as is. The format is always written, as a
 * path's default format depends on its name. */
static void
y_disks(struct yw *y, const struct dom *m, const uint64_t *cap, const char *const *pool)
{
	size_t *order, i, j;

	if (m->ndisks == 0)
		return;
	order = export_order(m);
	y_str(y, "disks");
	y_seq(y, false);
	for (i = 0; i < m->ndisks; i++) {
		const struct vm_config_disk *k = m->disks[j = order[i]];

		y_map(y, false);
		if (as_volume(j, cap, pool)) {
			y_str(y, "size");
			y_num(y, cap[j], true);
			y_kv(y, "pool", pool[j]);
		} else {
			y_kv(y, "path", k->source);
		}
		y_kv(y, "format", k->format);
		y_kv(y, "bus", k->bus);
		y_map_end(y);
	}
	y_seq_end(y);
	free(order);
}

/* Interfaces keep their kind, source and model; not their MAC, so that an
 * exported VM can run next to the original (libvirt picks a new one). An
 * empty list is written out, as no key means one on "default". */
static void
y_nets(struct yw *y, const struct vm_config *c)
{
	size_t i;

	y_str(y, "networks");
	y_seq(y, c->nnics == 0);
	for (i = 0; i < c->nnics; i++) {
		const struct vm_config_nic *n = &c->nics[i];

		y_map(y, false);
		if (strcmp(n->type, "user") == 0) {
			y_str(y, "user");
			y_plain(y, "true");
		} else {
			y_kv(y, n->type, n->source);
		}
		if (n->model)
			y_kv(y, "model", n->model);
		y_map_end(y);
	}
	y_seq_end(y);
}

/* Whether the install media is written as iso: a CD-ROM other than the
 * seed, and the saved boot order iso gives (the disk, then the CD; the
 * CD comes first only in the running install, never saved). */
static bool
iso_order(const struct dom *m)
{
	return m->iso && !m->kernel && m->nboot == 2 && strcmp(m->boot[0], "hd") == 0 &&
	       strcmp(m->boot[1], "cdrom") == 0;
}

static void
y_bool(struct yw *y, const char *key, bool v)
{
	y_str(y, key);
	y_plain(y, v ? "true" : "false");
}

/* cpu: the mode alone, or a mapping with the model and topology. What
 * vmtui.yaml gives when cpu is left out is left out: libvirt's own default
 * model (check='none'), and the host's CPU with kvm. */
static void
y_cpu(struct yw *y, const struct dom *m)
{
	char n[16];
	bool mode = m->cpu_mode && !m->cpu_default &&
	            !(str_eq(m->type, "kvm") && strcmp(m->cpu_mode, "host-passthrough") == 0);

	if (!mode && !m->sockets)
		return;
	y_str(y, "cpu");
	if (!m->sockets && strcmp(m->cpu_mode, "custom") != 0) {
		y_str(y, m->cpu_mode);
		return;
	}
	y_map(y, false);
	if (mode)
		y_kv(y, "mode", m->cpu_mode);
	if (mode && strcmp(m->cpu_mode, "custom") == 0 && m->cpu_model)
		y_kv(y, "model", m->cpu_model);
	if (m->sockets) {
		snprintf(n, sizeof n, "%u", m->sockets);
		y_str(y, "sockets");
		y_plain(y, n);
		snprintf(n, sizeof n, "%u", m->cores);
		y_str(y, "cores");
		y_plain(y, n);
		snprintf(n, sizeof n, "%u", m->threads);
		y_str(y, "threads");
		y_plain(y, n);
	}
	y_map_end(y);
}

/* The install media, firmware, TPM, CPU, host devices, RNG and boot menu,
 * each only where it differs from vmtui.yaml's default. */
static void
y_hardware(struct yw *y, const struct dom *m, const char *iso_vol)
{
	const char *p, *e;

	if (iso_order(m))
		y_kv(y, "iso", iso_vol ? iso_vol : m->iso);
	if (m->efi)
		y_kv(y, "firmware", "efi");
	if (m->secure_boot)
		y_bool(y, "secure_boot", true);
	if (m->tpm && strcmp(m->tpm, "tpm-crb") == 0) {
		y_bool(y, "tpm", true);
	} else if (m->tpm) {
		y_str(y, "tpm");
		y_map(y, true);
		y_kv(y, "model", tpm_word(m->tpm));
		y_map_end(y);
	}
	y_cpu(y, m);
	if (m->hostdevs) {
		y_str(y, "hostdevs");
		y_seq(y, false);
		for (p = m->hostdevs; p; p = e ? e + 2 : NULL) {
			char *one;

			e = strstr(p, ", ");
			one = e ? xstrndup(p, (size_t)(e - p)) : xstrdup(p);
			y_str(y, one);
			free(one);
		}
		y_seq_end(y);
	}
	if (!m->rng)
		y_bool(y, "rng", false);
	if (!m->agent)
		y_bool(y, "agent", false);
	if (m->boot_menu)
		y_bool(y, "boot_menu", true);
}

/* Direct kernel boot, or a boot order other than the default (hd alone). */
static void
y_boot(struct yw *y, const struct dom *m)
{
	size_t i;

	if (!m->kernel && (m->nboot == 0 || (m->nboot == 1 && strcmp(m->boot[0], "hd") == 0)))
		return;
	if (iso_order(m))
		return;
	y_str(y, "boot");
	y_map(y, false);
	if (m->kernel) {
		y_kv(y, "kernel", m->kernel);
		if (m->initrd)
			y_kv(y, "initrd", m->initrd);
		if (m->cmdline)
			y_kv(y, "cmdline", m->cmdline);
	} else {
		y_str(y, "order");
		y_seq(y, true);
		for (i = 0; i < m->nboot; i++)
			y_str(y, m->boot[i]);
		y_seq_end(y);
	}
	y_map_end(y);
}

/* tags: and notes:, when the domain has them. */
static void
y_tags(struct yw *y, const struct tagset *ts)
{
	size_t i;

	if (ts->ntags) {
		y_str(y, "tags");
		y_seq(y, true);
		for (i = 0; i < ts->ntags; i++)
			y_str(y, ts->tags[i]);
		y_seq_end(y);
	}
	if (ts->note)
		y_kv(y, "notes", ts->note);
}

/* The VM mapping. type is left out (auto) unless kvm or qemu; the arch
 * and machine are the domain's own. */
static void
y_vm(struct yw *y, const struct dom *m, const uint64_t *cap, const char *const *pool,
     const char *iso_vol)
{
	y_map(y, false);
	y_kv(y, "name", m->name);
	if (str_eq(m->type, "kvm") || str_eq(m->type, "qemu"))
		y_kv(y, "type", m->type);
	if (m->c->arch)
		y_kv(y, "arch", m->c->arch);
	if (m->c->machine)
		y_kv(y, "machine", m->c->machine);
	y_cur_max(y, "vcpus", m->c->vcpus_cur, m->c->vcpus_max, false);
	y_cur_max(y, "memory", m->c->mem_cur_kib * 1024, m->c->mem_max_kib * 1024, true);
	y_disks(y, m, cap, pool);
	y_nets(y, m->c);
	y_boot(y, m);
	if (!m->console) {
		y_str(y, "console");
		y_plain(y, "false");
	}
	if (!m->vnc) {
		y_str(y, "graphics");
		y_plain(y, "none");
	}
	y_hardware(y, m, iso_vol);
	y_tags(y, &m->meta);
	y_map_end(y);
}

/* One YAML document holding the VM. */
static void
y_document(struct yw *y, const struct dom *m, const uint64_t *cap, const char *const *pool,
           const char *iso_vol)
{
	y_vm(y, m, cap, pool, iso_vol);
}

char *
vmxml_export_yaml(const char *domain_xml, const uint64_t *disk_capacity,
                  const char *const *disk_pool, char **err)
{
	return vmxml_export_yaml_iso(domain_xml, disk_capacity, disk_pool, NULL, err);
}

char *
vmxml_export_yaml_iso(const char *domain_xml, const uint64_t *disk_capacity,
                      const char *const *disk_pool, const char *iso_vol, char **err)
{
	struct yw y = { 0 };
	struct dom m;
	char *out = NULL;

	*err = NULL;
	if (dom_read(&m, domain_xml, err) < 0)
		return NULL;
	if (export_check(&m, disk_capacity, disk_pool, err) < 0)
		goto cleanup;
	if (y_open(&y) < 0) {
		*err = xstrdup("cannot create a YAML emitter");
		goto cleanup;
	}
	y_document(&y, &m, disk_capacity, disk_pool, iso_vol);
	if ((out = y_close(&y)) == NULL)
		*err = xstrdup("cannot write the YAML definition");

cleanup:
	dom_free(&m);
	return out;
}
