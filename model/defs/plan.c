/* plan.c — plan what apply would do for VM definitions on one host, with
 * read-only libvirt calls only: look up each VM, and for a new one its
 * pools, images, volume names, networks and the host's capabilities; for
 * an existing one the differences (vmxml_compare) sorted into what apply
 * changes and what it leaves alone. Also the text of a plan, and export. */
#include "plan.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libvirt/virterror.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "../base/xmalloc.h"
#include "domxml.h"
#include "netxml.h"
#include "osdefaults.h"
#include "poolxml.h"
#include "resexport.h"
#include "resplan.h"
#include "seed.h"
#include "tagxml.h"
#include "vmxml.h"
#include "xpath.h"

/* ---- small helpers ---- */

/* libvirt's last error on this thread, as a new string. */
static char *
lv_err(void)
{
	const char *m = virGetLastErrorMessage();

	return xstrdup(m && m[0] ? m : "unknown libvirt error");
}

static bool
lv_err_is(int code)
{
	return virGetLastErrorCode() == code;
}

void
plan_fmt_size(char *buf, size_t n, uint64_t b)
{
	static const char units[] = "BKMGT";
	double v = (double)b;
	int u = 0;

	while (u < 4 && b >= 1024 && b % 1024 == 0) {
		b /= 1024;
		u++;
	}
	if (b < 1024 || u == 4) {
		snprintf(buf, n, "%" PRIu64 "%c", b, units[u]);
		return;
	}
	for (u = 0; u < 4 && v >= 1024; u++)
		v /= 1024;
	snprintf(buf, n, "%.1f%c", v, units[u]);
}

/* Append one problem, "file:line:col: NAME: text", to a message list. */
static void __attribute__((format(printf, 5, 0)))
add_msg(char ***v, size_t *n, const struct vmdef *d, const struct vmdef_pos *pos,
        const char *fmt, va_list ap)
{
	char *text = NULL;

	if (vasprintf(&text, fmt, ap) < 0)
		text = NULL;
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	if (pos && pos->file)
		(*v)[(*n)++] = xasprintf("%s:%u:%u: %s: %s", pos->file, pos->line, pos->col,
		                         d->name, text ? text : fmt);
	else
		(*v)[(*n)++] = xasprintf("%s: %s", d->name, text ? text : fmt);
	free(text);
}

static void __attribute__((format(printf, 3, 4)))
vm_error(struct plan_vm *v, const struct vmdef_pos *pos, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_msg(&v->errors, &v->nerrors, v->def, pos, fmt, ap);
	va_end(ap);
}

static void __attribute__((format(printf, 3, 4)))
vm_warning(struct plan_vm *v, const struct vmdef_pos *pos, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_msg(&v->warnings, &v->nwarnings, v->def, pos, fmt, ap);
	va_end(ap);
}

/* String value of an XPath expression over an XML text, or NULL. */
static char *
xml_str(const char *xml, const char *expr)
{
	xmlDocPtr doc = xml_read_quiet(xml, "x.xml");
	xmlXPathContextPtr ctx = doc ? xmlXPathNewContext(doc) : NULL;
	char *out = ctx ? xpath_str(ctx, expr) : NULL;

	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return out;
}

/* ---- the host ---- */

struct ctx {
	virConnectPtr conn;
	struct plan *p;
	char *caps;          /* capabilities XML */
	char *host_arch;
};

/* Whether the host runs hvm guests of arch, and with kvm. */
static bool
caps_arch(const char *caps, const char *arch, bool *kvm)
{
	xmlDocPtr doc = xml_read_quiet(caps, "caps.xml");
	xmlXPathContextPtr ctx = doc ? xmlXPathNewContext(doc) : NULL;
	xmlXPathObjectPtr obj = ctx ? xmlXPathEvalExpression(
		BAD_CAST "/capabilities/guest[os_type='hvm']/arch", ctx) : NULL;
	xmlNodeSetPtr set = obj && obj->type == XPATH_NODESET ? obj->nodesetval : NULL;
	bool found = false;
	int i;

	*kvm = false;
	for (i = 0; set && i < set->nodeNr; i++) {
		xmlChar *name = xmlGetProp(set->nodeTab[i], BAD_CAST "name");
		xmlNodePtr ch;

		if (name && strcmp((const char *)name, arch) == 0) {
			found = true;
			for (ch = set->nodeTab[i]->children; ch; ch = ch->next) {
				xmlChar *t = ch->type == XML_ELEMENT_NODE &&
				             strcmp((const char *)ch->name, "domain") == 0
				             ? xmlGetProp(ch, BAD_CAST "type") : NULL;
				if (t && strcmp((const char *)t, "kvm") == 0)
					*kvm = true;
				xmlFree(t);
			}
		}
		xmlFree(name);
	}
	xmlXPathFreeObject(obj);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return found;
}

/* The URI, host name, capabilities and host arch. */
static int
ctx_open(struct ctx *c, char **err)
{
	char *s;

	if ((s = virConnectGetURI(c->conn)) == NULL) {
		char *m = lv_err();
		*err = xasprintf("cannot read the connection's URI: %s", m);
		free(m);
		return -1;
	}
	c->p->uri = xstrdup(s);
	free(s);
	if ((s = virConnectGetHostname(c->conn)) != NULL) {
		c->p->hostname = xstrdup(s);
		free(s);
	}
	if ((s = virConnectGetCapabilities(c->conn)) == NULL) {
		char *m = lv_err();
		*err = xasprintf("cannot read the capabilities of %s: %s", c->p->uri, m);
		free(m);
		return -1;
	}
	c->caps = xstrdup(s);
	free(s);
	c->host_arch = xml_str(c->caps, "string(/capabilities/host/cpu/arch)");
	return 0;
}

/* A VM meant for another host must not land on this one. */
static void
check_host(struct ctx *c, struct plan_vm *v)
{
	const char *want = v->def->host, *have = c->p->hostname;
	size_t n = want ? strlen(want) : 0;

	if (want == NULL || strcmp(want, c->p->uri) == 0)
		return;
	if (have && (strcmp(want, have) == 0 ||
	             (strncmp(want, have, n) == 0 && have[n] == '.')))
		return;
	vm_error(v, &v->def->pos, "it is meant for host \"%s\", but this connection is %s (%s); "
	         "use -c with that host's URI.", want, have ? have : "an unnamed host",
	         c->p->uri);
}

/* The domain type and arch of a new VM, from the host's capabilities. */
static void
resolve_type(struct ctx *c, struct plan_vm *v)
{
	const struct vmdef *d = v->def;
	const char *arch = d->arch ? d->arch : c->host_arch;
	bool kvm = false;

	if (arch && !caps_arch(c->caps, arch, &kvm)) {
		vm_error(v, &d->pos, "arch %s: %s cannot run such guests; leave arch out to get "
		         "the host's (%s).", arch, c->p->uri, c->host_arch ? c->host_arch : "?");
		return;
	}
	if (d->type == VMDEF_TYPE_KVM && !kvm) {
		vm_error(v, &d->pos, "type kvm: %s has no KVM for %s guests; use type: qemu "
		         "(emulation, slower) or auto.", c->p->uri, arch ? arch : "these");
		return;
	}
	if (d->type == VMDEF_TYPE_QEMU || (d->type == VMDEF_TYPE_AUTO && !kvm))
		v->domain_type = xstrdup("qemu");
	else
		v->domain_type = xstrdup("kvm");
}

/* vCPUs the host can give, memory it has: checked, not guessed. */
static void
check_sizes(struct ctx *c, struct plan_vm *v)
{
	const struct vmdef *d = v->def;
	virNodeInfo info;
	int max = v->domain_type ? virConnectGetMaxVcpus(c->conn, v->domain_type) : -1;
	char a[32], b[32];

	if (max > 0 && d->max_vcpus > (unsigned)max)
		vm_error(v, &d->pos, "vcpus: %u is more than the %d a %s guest can have on %s.",
		         d->max_vcpus, max, v->domain_type, c->p->uri);
	if (virNodeGetInfo(c->conn, &info) == 0 && info.memory &&
	    d->max_memory / 1024 > info.memory) {
		plan_fmt_size(a, sizeof a, d->max_memory);
		plan_fmt_size(b, sizeof b, (uint64_t)info.memory * 1024);
		vm_warning(v, &d->pos, "memory: %s is more than the host's %s; the guest may not "
		           "start or may make the host swap.", a, b);
	}
}

/* ---- install media, firmware and host devices ---- */

static virStoragePoolPtr pool_get(struct ctx *c, struct plan_vm *v,
                                  const struct vmdef_pos *pos, const char *what,
                                  const char *name);

/* "pool/volume" of a volume, or NULL. */
static char *
vol_label(virStorageVolPtr vol)
{
	virStoragePoolPtr pool = virStoragePoolLookupByVolume(vol);
	const char *pn = pool ? virStoragePoolGetName(pool) : NULL, *vn = virStorageVolGetName(vol);
	char *out = pn && vn ? xasprintf("%s/%s", pn, vn) : NULL;

	if (pool)
		virStoragePoolFree(pool);
	return out;
}

/* The install media: a volume "pool/volume" looked up for its path, or a
 * path, looked up as a volume only to tell when it is in no pool. A new
 * VM cannot do without it (errors); an existing one is only compared with
 * it (warnings). */
static void
plan_iso(struct ctx *c, struct plan_vm *v, bool create)
{
	void (*say)(struct plan_vm *, const struct vmdef_pos *, const char *, ...) =
		create ? vm_error : vm_warning;
	const struct vmdef *d = v->def;
	const char *slash;
	virStoragePoolPtr pool;
	virStorageVolPtr vol;
	char *pname, *path;

	if (d->iso == NULL)
		return;
	if (d->iso[0] == '/') {
		v->iso_path = xstrdup(d->iso);
		if ((vol = virStorageVolLookupByPath(c->conn, d->iso)) != NULL) {
			v->iso_vol = vol_label(vol);
			virStorageVolFree(vol);
		} else if (create) {
			vm_warning(v, &d->iso_pos, "iso: %s is in no active storage pool on %s, so it "
			           "cannot be checked before the VM starts; put it in a pool's folder "
			           "(then virsh pool-refresh) to have it checked.", d->iso, c->p->uri);
		}
		return;
	}
	slash = strchr(d->iso, '/');
	pname = xstrndup(d->iso, (size_t)(slash - d->iso));
	if (resplan_pending_pool(c->p, pname)) {
		say(v, &d->iso_pos, "iso: pool \"%s\" is made or started by this apply, so the "
		    "ISO cannot be looked up in it yet; apply the pool first, then this VM.", pname);
		free(pname);
		return;
	}
	pool = pool_get(c, v, &d->iso_pos, "iso", pname);
	vol = pool ? virStorageVolLookupByName(pool, slash + 1) : NULL;
	if (pool && vol == NULL)
		say(v, &d->iso_pos, "iso: pool \"%s\" has no volume \"%s\"; see virsh vol-list %s "
		    "(after copying the ISO into the pool's folder, run virsh pool-refresh %s).",
		    pname, slash + 1, pname, pname);
	if (vol && (path = virStorageVolGetPath(vol)) != NULL) {
		v->iso_path = xstrdup(path);
		v->iso_vol = xstrdup(d->iso);
		free(path);
	}
	if (vol)
		virStorageVolFree(vol);
	if (pool)
		virStoragePoolFree(pool);
	free(pname);
}

/* Whether the host's domain capabilities for this guest hold expr: 1,
 * 0, or -1 when they cannot be read. */
static int
domcaps_has(struct ctx *c, struct plan_vm *v, const char *expr)
{
	const struct vmdef *d = v->def;
	char *caps = virConnectGetDomainCapabilities(c->conn, NULL, d->arch ? d->arch : c->host_arch,
	                                             d->machine ? d->machine
	                                                        : d->secure_boot ? "q35" : NULL,
	                                             v->domain_type, 0);
	char *e, *val;
	int rc;

	if (caps == NULL)
		return -1;
	e = xasprintf("string(boolean(%s))", expr);
	val = xml_str(caps, e);
	rc = val && strcmp(val, "true") == 0;
	free(val);
	free(e);
	free(caps);
	return rc;
}

/* UEFI (and Secure Boot) firmware and an emulated TPM on this host. */
static void
check_firmware(struct ctx *c, struct plan_vm *v)
{
	const struct vmdef *d = v->def;

	if (v->domain_type == NULL)
		return;
	if (d->firmware == VMDEF_FW_EFI &&
	    domcaps_has(c, v, "/domainCapabilities/os/enum[@name='firmware']/value[.='efi'] | "
	                      "/domainCapabilities/os/loader/value[contains(., 'OVMF') or "
	                      "contains(., 'edk2')]") == 0)
		vm_error(v, &d->pos, "firmware efi: %s has no UEFI firmware for these guests; install "
		         "the ovmf package on the host (then restart libvirtd) or use firmware: bios.",
		         c->p->uri);
	if (d->secure_boot &&
	    domcaps_has(c, v, "/domainCapabilities/os/loader/enum[@name='secure']/value[.='yes']") == 0)
		vm_error(v, &d->pos, "secure_boot: %s has no Secure Boot firmware for these guests "
		         "(on x86 it needs machine q35 and the ovmf package); or write secure_boot: "
		         "false.", c->p->uri);
	if (d->tpm != VMDEF_TPM_NONE &&
	    domcaps_has(c, v, "/domainCapabilities/devices/tpm") == 1 &&
	    domcaps_has(c, v, "/domainCapabilities/devices/tpm[@supported='yes']/"
	                      "enum[@name='backendModel']/value[.='emulator']") == 0)
		vm_error(v, &d->pos, "tpm: %s cannot emulate a TPM; install swtpm and swtpm-tools on "
		         "the host (then restart libvirtd) or write tpm: false.", c->p->uri);
	if (d->cpu.mode == VMDEF_CPU_PASSTHROUGH && strcmp(v->domain_type, "qemu") == 0)
		vm_error(v, &d->pos, "cpu: host-passthrough needs KVM, and this VM runs emulated "
		         "(type qemu) on %s; use host-model or a named model (mode: custom).",
		         c->p->uri);
}

/* Whether the node device XML names USB vendor:product h. */
static bool
usb_is(const char *xml, const struct vmdef_hostdev *h)
{
	char *ven = xml_str(xml, "string(/device/capability[@type='usb_device']/vendor/@id)");
	char *pro = xml_str(xml, "string(/device/capability[@type='usb_device']/product/@id)");
	bool same = ven && pro && strtoul(ven, NULL, 16) == h->vendor &&
	            strtoul(pro, NULL, 16) == h->product;

	free(ven);
	free(pro);
	return same;
}

/* A USB device of the host with that vendor:product: 1, 0, or -1. */
static int
usb_present(struct ctx *c, const struct vmdef_hostdev *h)
{
	virNodeDevicePtr *devs = NULL;
	int n = virConnectListAllNodeDevices(c->conn, &devs,
	                                     VIR_CONNECT_LIST_NODE_DEVICES_CAP_USB_DEV), i;
	bool found = false;

	for (i = 0; i < n; i++) {
		char *xml = found ? NULL : virNodeDeviceGetXMLDesc(devs[i], 0);

		found = found || (xml && usb_is(xml, h));
		free(xml);
		virNodeDeviceFree(devs[i]);
	}
	free(devs);
	return n < 0 ? -1 : found;
}

/* A PCI device to pass through must exist and be in an IOMMU group. */
static void
check_pci(struct ctx *c, struct plan_vm *v, const struct vmdef_hostdev *h, const char *addr)
{
	char *name = xasprintf("pci_%04x_%02x_%02x_%x", h->domain, h->bus, h->slot, h->function);
	virNodeDevicePtr dev = virNodeDeviceLookupByName(c->conn, name);
	char *xml = dev ? virNodeDeviceGetXMLDesc(dev, 0) : NULL, *grp;

	if (dev == NULL) {
		vm_error(v, &h->pos, "hostdevs: %s has no PCI device %s (virsh nodedev-list --cap pci "
		         "lists them).", c->p->uri, addr);
	} else if (xml) {
		grp = xml_str(xml, "string(/device/capability[@type='pci']/iommuGroup/@number)");
		if (grp == NULL)
			vm_error(v, &h->pos, "hostdevs: PCI device %s is in no IOMMU group: the IOMMU of "
			         "%s is off (enable VT-d or AMD-Vi in its firmware and boot it with "
			         "intel_iommu=on or amd_iommu=on), so it cannot be passed through.",
			         addr, c->p->uri);
		free(grp);
	}
	free(xml);
	if (dev)
		virNodeDeviceFree(dev);
	free(name);
}

static void
check_hostdevs(struct ctx *c, struct plan_vm *v)
{
	char addr[32];
	size_t i;

	for (i = 0; i < v->def->nhostdevs; i++) {
		const struct vmdef_hostdev *h = &v->def->hostdevs[i];

		if (h->usb) {
			snprintf(addr, sizeof addr, "%04x:%04x", h->vendor, h->product);
			if (usb_present(c, h) == 0)
				vm_error(v, &h->pos, "hostdevs: %s has no USB device %s (lsusb on the host, "
				         "or virsh nodedev-list --cap usb_device, lists them).", c->p->uri,
				         addr);
		} else {
			snprintf(addr, sizeof addr, "%04x:%02x:%02x.%x", h->domain, h->bus, h->slot,
			         h->function);
			check_pci(c, v, h, addr);
		}
	}
}

/* ---- storage ---- */

/* The active pool `name`, or NULL with an error on v. */
static virStoragePoolPtr
pool_get(struct ctx *c, struct plan_vm *v, const struct vmdef_pos *pos, const char *what,
         const char *name)
{
	virStoragePoolPtr pool = virStoragePoolLookupByName(c->conn, name);
	char *m;

	if (pool == NULL) {
		if (lv_err_is(VIR_ERR_NO_STORAGE_POOL)) {
			vm_error(v, pos, "%s: storage pool \"%s\" does not exist on %s; create it "
			         "(virsh pool-define-as, pool-build, pool-start) or name another pool.",
			         what, name, c->p->uri);
		} else {
			m = lv_err();
			vm_error(v, pos, "%s: cannot look up storage pool \"%s\": %s.", what, name, m);
			free(m);
		}
		return NULL;
	}
	if (virStoragePoolIsActive(pool) != 1) {
		vm_error(v, pos, "%s: storage pool \"%s\" is not active; start it (virsh "
		         "pool-start %s).", what, name, name);
		virStoragePoolFree(pool);
		return NULL;
	}
	return pool;
}

/* Apply never overwrites a volume: the new one's name must be free. */
static void
check_free_name(struct plan_vm *v, const struct vmdef_pos *pos, const char *what,
                virStoragePoolPtr pool, const char *pool_name, const char *name)
{
	virStorageVolPtr vol = virStorageVolLookupByName(pool, name);
	char *m;

	if (vol) {
		vm_error(v, pos, "%s: volume \"%s\" already exists in pool \"%s\"; apply never "
		         "overwrites a volume: delete it (virsh vol-delete --pool %s %s) or rename "
		         "the VM.", what, name, pool_name, pool_name, name);
		virStorageVolFree(vol);
	} else if (!lv_err_is(VIR_ERR_NO_STORAGE_VOL)) {
		m = lv_err();
		vm_error(v, pos, "%s: cannot look up volume \"%s\" in pool \"%s\": %s.", what, name,
		         pool_name, m);
		free(m);
	}
}

/* The image of a disk as a volume: "/abs/path", "pool/volume", or a
 * volume of the disk's pool. NULL with an error on v. */
static virStorageVolPtr
image_get(struct ctx *c, struct plan_vm *v, const char *what, const struct vmdef_disk *dk,
          virStoragePoolPtr disk_pool)
{
	const char *img = dk->image, *slash = strchr(img, '/');
	virStoragePoolPtr pool = NULL;
	virStorageVolPtr vol;
	char *pname;

	if (img[0] == '/') {
		if ((vol = virStorageVolLookupByPath(c->conn, img)) == NULL)
			vm_error(v, &dk->pos, "%s: image %s is not a volume of any active storage "
			         "pool on %s; put it in a pool's folder and run virsh pool-refresh "
			         "on that pool.", what, img, c->p->uri);
		return vol;
	}
	pname = slash ? xstrndup(img, (size_t)(slash - img)) : xstrdup(dk->pool);
	if (resplan_pending_pool(c->p, pname)) {
		vm_error(v, &dk->pos, "%s: image \"%s\": pool \"%s\" is made or started by this "
		         "apply, so the image cannot be looked up in it yet; apply the pool first, "
		         "then this VM.", what, img, pname);
		free(pname);
		return NULL;
	}
	pool = slash ? pool_get(c, v, &dk->pos, what, pname) : disk_pool;
	vol = pool ? virStorageVolLookupByName(pool, slash ? slash + 1 : img) : NULL;
	if (pool && vol == NULL)
		vm_error(v, &dk->pos, "%s: image \"%s\": pool \"%s\" has no volume \"%s\"; see "
		         "virsh vol-list %s (after copying a file into the pool's folder, run virsh "
		         "pool-refresh %s).", what, img, pname, slash ? slash + 1 : img, pname, pname);
	if (slash && pool)
		virStoragePoolFree(pool);
	free(pname);
	return vol;
}

/* Where the image is, its format and size. */
static void
image_info(struct plan_vol *pv, virStorageVolPtr vol, uint64_t *allocation)
{
	virStoragePoolPtr pool = virStoragePoolLookupByVolume(vol);
	virStorageVolInfo info;
	const char *s;
	char *xml;

	*allocation = 0;
	if (pool && (s = virStoragePoolGetName(pool)) != NULL)
		pv->base_pool = xstrdup(s);
	if (pool)
		virStoragePoolFree(pool);
	if ((s = virStorageVolGetName(vol)) != NULL)
		pv->base_name = xstrdup(s);
	if ((xml = virStorageVolGetPath(vol)) != NULL) {
		pv->base_path = xstrdup(xml);
		free(xml);
	}
	if ((xml = virStorageVolGetXMLDesc(vol, 0)) != NULL) {
		pv->base_format = xml_str(xml, "string(/volume/target/format/@type)");
		free(xml);
	}
	if (virStorageVolGetInfo(vol, &info) == 0) {
		pv->base_capacity = info.capacity;
		*allocation = info.allocation;
	}
}

/* The image's part of a disk: info, size against it, room for a copy. */
static void
plan_image(struct ctx *c, struct plan_vm *v, struct plan_vol *pv, const char *what,
           const struct vmdef_disk *dk, virStoragePoolPtr pool, uint64_t *need)
{
	virStorageVolPtr vol = image_get(c, v, what, dk, pool);
	uint64_t alloc;
	char a[32], b[32];

	if (vol == NULL)
		return;
	image_info(pv, vol, &alloc);
	virStorageVolFree(vol);
	if (pv->base_path == NULL) {
		vm_error(v, &dk->pos, "%s: cannot read the path of image \"%s\".", what, dk->image);
		return;
	}
	if (dk->size && dk->size < pv->base_capacity) {
		plan_fmt_size(a, sizeof a, dk->size);
		plan_fmt_size(b, sizeof b, pv->base_capacity);
		vm_error(v, &dk->pos, "%s: size %s is smaller than its image (%s); apply never "
		         "shrinks a disk: give at least %s or leave size out.", what, a, b, b);
	}
	pv->capacity = dk->size ? dk->size : pv->base_capacity;
	*need = pv->kind == PLAN_VOL_COPY ? alloc : 0;
}

/* libvirt's disk names, as vmxml gives them: vd/sd/hd + a..z, aa... */
static char *
target_name(const char *bus, unsigned *vd, unsigned *sd, unsigned *hd)
{
	const char *prefix = strcmp(bus, "virtio") == 0 ? "vd" : strcmp(bus, "ide") == 0 ? "hd" : "sd";
	unsigned *n = prefix[0] == 'v' ? vd : prefix[0] == 'h' ? hd : sd;
	char tail[8];
	size_t i = sizeof tail - 1;
	long idx;

	tail[i] = '\0';
	for (idx = (long)(*n)++; idx >= 0 && i > 0; idx = idx / 26 - 1)
		tail[--i] = (char)('a' + idx % 26);
	return xasprintf("%s%s", prefix, tail + i);
}

/* A space check: a copy needs its room; a sparse volume only warns. */
static void
check_room(struct plan_vm *v, const struct vmdef_disk *dk, const char *what,
           virStoragePoolPtr pool, const struct plan_vol *pv, uint64_t need)
{
	virStoragePoolInfo info;
	char a[32], b[32];

	if (virStoragePoolGetInfo(pool, &info) < 0)
		return;
	plan_fmt_size(b, sizeof b, info.available);
	if (need > info.available) {
		plan_fmt_size(a, sizeof a, need);
		vm_error(v, &dk->pos, "%s: not enough space in pool \"%s\" for a copy of the image: "
		         "it needs %s, the pool has %s free.", what, pv->pool, a, b);
	} else if (pv->capacity > info.available) {
		plan_fmt_size(a, sizeof a, pv->capacity);
		vm_warning(v, &dk->pos, "%s: the new volume may grow to %s, more than the %s free "
		           "in pool \"%s\".", what, a, b, pv->pool);
	}
}

/* One disk of a new VM. */
static void
plan_disk(struct ctx *c, struct plan_vm *v, size_t i, unsigned *vd, unsigned *sd, unsigned *hd)
{
	const struct vmdef_disk *dk = &v->def->disks[i];
	struct plan_vol *pv = &v->vols[i];
	virStoragePoolPtr pool;
	uint64_t need = 0;
	char what[32];

	snprintf(what, sizeof what, "disk %zu", i + 1);
	pv->target = target_name(dk->bus, vd, sd, hd);
	pv->format = xstrdup(dk->format);
	if (dk->path) {
		pv->kind = PLAN_VOL_PATH;
		pv->path = xstrdup(dk->path);
		return;
	}
	pv->kind = dk->image == NULL ? PLAN_VOL_BLANK : dk->image_copy ? PLAN_VOL_COPY
	                                                                : PLAN_VOL_OVERLAY;
	pv->pool = xstrdup(dk->pool);
	pv->name = xasprintf("%s-%s.%s", v->def->name, pv->target,
	                     strcmp(dk->format, "raw") == 0 ? "img" : "qcow2");
	pv->capacity = dk->size;
	if (resplan_pending_pool(c->p, dk->pool)) {
		/* Made by this apply: nothing in it yet to look at. */
		if (dk->image)
			plan_image(c, v, pv, what, dk, NULL, &need);
		return;
	}
	if ((pool = pool_get(c, v, &dk->pos, what, dk->pool)) == NULL)
		return;
	check_free_name(v, &dk->pos, what, pool, dk->pool, pv->name);
	if (dk->image)
		plan_image(c, v, pv, what, dk, pool, &need);
	check_room(v, dk, what, pool, pv, need);
	virStoragePoolFree(pool);
}

/* The seed's user-data and meta-data, and the ISO holding them. */
static void
build_seed(struct plan_vm *v)
{
	const struct vmdef *d = v->def;
	const struct vmdef_cloud_init *ci = &d->cloud_init;
	const char *host = ci->hostname ? ci->hostname : d->name;
	char *ud = ci->user_data ? xstrdup(ci->user_data)
	                         : seed_user_data(host, ci->ssh_authorized_keys, ci->nkeys,
	                                          ci->runcmd, ci->nruncmd);
	char *md = ci->meta_data ? xstrdup(ci->meta_data) : seed_meta_data(d->name, host);
	struct seed_file files[2] = {
		{ "user-data", ud, ud ? strlen(ud) : 0 },
		{ "meta-data", md, md ? strlen(md) : 0 },
	};

	if (ud && md)
		v->seed_iso = seed_iso(files, 2, NULL, time(NULL), &v->seed_len);
	if (v->seed_iso == NULL)
		vm_error(v, &d->pos, "cloud-init: the seed cannot be built: the user-data and "
		         "meta-data must be UTF-8 text of less than 16M each.");
	free(ud);
	free(md);
}

/* The cloud-init seed volume: in the pool of the first volume disk. */
static void
plan_seed(struct ctx *c, struct plan_vm *v)
{
	const struct vmdef *d = v->def;
	virStoragePoolPtr pool;
	size_t i;

	if (!d->cloud_init.enabled)
		return;
	for (i = 0; i < d->ndisks && d->disks[i].pool == NULL; i++)
		;
	v->seed_pool = xstrdup(i < d->ndisks ? d->disks[i].pool : "default");
	v->seed_name = xasprintf("%s-seed.iso", d->name);
	build_seed(v);
	if (resplan_pending_pool(c->p, v->seed_pool))
		return;
	if ((pool = pool_get(c, v, &d->pos, "cloud-init seed", v->seed_pool)) == NULL)
		return;
	check_free_name(v, &d->pos, "cloud-init seed", pool, v->seed_pool, v->seed_name);
	virStoragePoolFree(pool);
}

/* Networks must exist and run for the VM to start: an error when it is
 * to start now, else a warning. */
static void
plan_nets(struct ctx *c, struct plan_vm *v)
{
	void (*say)(struct plan_vm *, const struct vmdef_pos *, const char *, ...) =
		v->def->start ? vm_error : vm_warning;
	size_t i;

	for (i = 0; i < v->def->nnets; i++) {
		const struct vmdef_net *n = &v->def->nets[i];
		virNetworkPtr net;

		if (n->kind != VMDEF_NET_NETWORK || resplan_pending_net(c->p, n->source))
			continue;
		if (resplan_find(c->p->nets, c->p->nnets, n->source) &&
		    !resplan_find(c->p->nets, c->p->nnets, n->source)->net->start) {
			say(v, &n->pos, "network %zu: network \"%s\" of these definitions has start: "
			    "false; the VM cannot start until it runs.", i + 1, n->source);
			continue;
		}
		net = virNetworkLookupByName(c->conn, n->source);
		if (net == NULL)
			say(v, &n->pos, "network %zu: libvirt network \"%s\" does not exist on %s; the "
			    "VM cannot start until it does (virsh net-list --all).", i + 1, n->source,
			    c->p->uri);
		else if (virNetworkIsActive(net) != 1)
			say(v, &n->pos, "network %zu: libvirt network \"%s\" is not active; the VM "
			    "cannot start until it is (virsh net-start %s).", i + 1, n->source,
			    n->source);
		if (net)
			virNetworkFree(net);
	}
}

static void
plan_create(struct ctx *c, struct plan_vm *v)
{
	unsigned vd = 0, sd = 0, hd = 0;
	size_t i;

	v->kind = PLAN_CREATE;
	resolve_type(c, v);
	check_sizes(c, v);
	v->nvols = v->def->ndisks;
	v->vols = xcalloc(v->nvols + 1, sizeof *v->vols);
	for (i = 0; i < v->nvols; i++)
		plan_disk(c, v, i, &vd, &sd, &hd);
	plan_seed(c, v);
	plan_nets(c, v);
	plan_iso(c, v, true);
	check_firmware(c, v);
	check_hostdevs(c, v);
}

/* ---- existing VMs ---- */

/* Capacity and pool of each device='disk' disk of a domain XML, in the
 * XML's order (as vmxml_compare and vmxml_export_yaml want them), from the
 * volume at its source path: 0 and NULL when it is no volume. */
static int
disks_info(virConnectPtr conn, const char *xml, uint64_t **cap, char ***pool, size_t *n,
           char **err)
{
	struct vm_config *cfg = domxml_parse(xml, err);
	size_t i;

	*cap = NULL;
	*pool = NULL;
	*n = 0;
	if (cfg == NULL)
		return -1;
	*cap = xcalloc(cfg->ndisks + 1, sizeof **cap);
	*pool = xcalloc(cfg->ndisks + 1, sizeof **pool);
	for (i = 0; i < cfg->ndisks; i++) {
		const struct vm_config_disk *k = &cfg->disks[i];
		virStorageVolPtr vol;
		virStoragePoolPtr p;
		virStorageVolInfo info;
		const char *name;

		if (k->device && strcmp(k->device, "disk") != 0)
			continue;
		vol = k->source ? virStorageVolLookupByPath(conn, k->source) : NULL;
		if (vol && virStorageVolGetInfo(vol, &info) == 0)
			(*cap)[*n] = info.capacity;
		if (vol && (p = virStoragePoolLookupByVolume(vol)) != NULL) {
			if ((name = virStoragePoolGetName(p)) != NULL)
				(*pool)[*n] = xstrdup(name);
			virStoragePoolFree(p);
		}
		if (vol)
			virStorageVolFree(vol);
		(*n)++;
	}
	vm_config_free(cfg);
	return 0;
}

static void
free_pools(char **pool, size_t n)
{
	size_t i;

	for (i = 0; pool && i < n; i++)
		free(pool[i]);
	free(pool);
}

/* Why apply leaves a difference of the firmware, devices or media alone:
 * what to use instead. */
static const char *
hardware_why(const char *field)
{
	static const struct { const char *field, *why; } whys[] = {
		{ "firmware", "apply does not change an existing VM's firmware; use vmtui firmware "
		              "(the guest's OS may not boot on another firmware)" },
		{ "secure_boot", "apply does not change an existing VM's firmware; use vmtui "
		                 "firmware" },
		{ "tpm", "apply does not add or remove a TPM; use vmtui tpm" },
		{ "cpu.", "apply does not change an existing VM's CPU; use vmtui cpu" },
		{ "hostdevs", "apply does not pass host devices through to an existing VM; use "
		              "vmtui hostdev" },
		{ "rng", "apply does not add or remove devices of an existing VM; use vmtui edit" },
		{ "agent", "apply does not add or remove devices of an existing VM; use vmtui edit" },
		{ "boot_menu", "apply does not change an existing VM's boot settings; use vmtui boot" },
		{ "iso", "apply does not change the media of an existing VM; use vmtui media "
		         "(insert or eject)" },
	};
	size_t i;

	for (i = 0; i < sizeof whys / sizeof *whys; i++)
		if (strncmp(field, whys[i].field, strlen(whys[i].field)) == 0)
			return whys[i].why;
	return "apply does not change the interfaces of an existing VM";
}

/* Why apply leaves a difference alone, or NULL when it applies it. */
static const char *
not_applied(const struct vmxml_diff *f)
{
	uint64_t want = 0, have = 0;
	bool more;

	vmdef_parse_size(f->want, 1, &want); /* counts, or sizes as "512M" */
	vmdef_parse_size(f->have, 1, &have);
	more = want > have;

	if (strcmp(f->field, "vcpus") == 0 || strcmp(f->field, "memory") == 0 ||
	    strcmp(f->field, "max_vcpus") == 0 || strcmp(f->field, "max_memory") == 0)
		return NULL;
	if (strcmp(f->field, "disks") == 0)
		return more ? "apply does not add disks to an existing VM; attach one with virsh "
		              "attach-disk" : "apply never deletes a disk";
	if (strcmp(f->field, "networks") == 0)
		return more ? "apply does not add interfaces to an existing VM; attach one with "
		              "virsh attach-interface" : "apply never removes an interface";
	if (strstr(f->field, ".size"))
		return more ? "apply does not grow disks; use virsh vol-resize, then grow the "
		              "file system in the guest" : "apply never shrinks a disk";
	if (strncmp(f->field, "disks[", 6) == 0)
		return "apply does not change the disks of an existing VM";
	return hardware_why(f->field);
}

static void
add_change(struct plan_vm *v, const char *field, const char *have, const char *want,
           enum plan_when when, const char *why)
{
	struct plan_change *ch;

	v->changes = xreallocarray(v->changes, v->nchanges + 1, sizeof *v->changes);
	ch = &v->changes[v->nchanges++];
	ch->field = xstrdup(field);
	ch->have = xstrdup(have);
	ch->want = xstrdup(want);
	ch->when = when;
	ch->why = why;
}

/* Sort each difference into when it takes effect, or why not. A current
 * value within the domain's max changes live on a running VM; maxima and
 * values beyond them go to the saved definition. */
static void
classify(struct plan_vm *v, const struct vmxml_diff *diffs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct vmxml_diff *f = &diffs[i];
		const char *why = not_applied(f);
		enum plan_when when = why ? PLAN_NOT_APPLIED
		                    : f->safe_live && v->running ? PLAN_LIVE : PLAN_NEXT_BOOT;

		add_change(v, f->field, f->have, f->want, when, why);
	}
}

/* The domain's autostart against the definition's. */
static void
plan_autostart(struct plan_vm *v, virDomainPtr dom)
{
	int on = 0;

	if (virDomainGetAutostart(dom, &on) == 0 && (on != 0) != v->def->autostart)
		add_change(v, "autostart", on ? "on" : "off", v->def->autostart ? "on" : "off",
		           PLAN_NOW, NULL);
}

/* A note as a plan line shows it: on one line, \n for a line break. */
static char *
note_line(const char *note)
{
	char *out = xstrdup(""), *p;
	const char *q;

	if (note == NULL)
		return xstrdup("(none)");
	for (q = note; *q; q += strcspn(q, "\n") + (q[strcspn(q, "\n")] == '\n')) {
		p = xstrndup(q, strcspn(q, "\n"));
		out = xjoin(out, q == note ? "" : "\\n", p);
		free(p);
	}
	return out;
}

/* The tags and note of the saved definition (xml) against tags: and
 * notes:, where written: changed at once by apply, running or not. */
static void
plan_tags(struct plan_vm *v, const char *xml)
{
	const struct vmdef *d = v->def;
	struct tagset have, want = { d->tags, d->ntags, d->notes };
	char *err = NULL, *h, *w;

	if (!d->tags_given && !d->notes_given)
		return;
	if (tagxml_from_domain(xml, &have, &err) < 0) {
		free(err);
		return;
	}
	if (d->tags_given) {
		h = tagset_join(&have, ", ");
		w = tagset_join(&want, ", ");
		if (strcmp(h, w) != 0)
			add_change(v, "tags", h[0] ? h : "(none)", w[0] ? w : "(none)", PLAN_NOW, NULL);
		free(h);
		free(w);
	}
	if (d->notes_given && (have.note == NULL || d->notes == NULL ? have.note != d->notes
	                                                             : strcmp(have.note, d->notes) != 0)) {
		h = note_line(have.note);
		w = note_line(d->notes);
		add_change(v, "notes", h, w, PLAN_NOW, NULL);
		free(h);
		free(w);
	}
	tagset_free(&have);
}

static void
plan_update(struct ctx *c, struct plan_vm *v, virDomainPtr dom)
{
	struct vmxml_diff *diffs = NULL;
	uint64_t *cap = NULL;
	char **pools = NULL, *xml = NULL, *err = NULL, *m;
	size_t n = 0, ndisks = 0;

	v->kind = PLAN_SAME;
	v->running = virDomainIsActive(dom) == 1;
	if (virDomainGetUUIDString(dom, v->uuid) < 0)
		v->uuid[0] = '\0';
	plan_iso(c, v, false);
	if (virDomainIsPersistent(dom) == 0)
		vm_error(v, &v->def->pos, "a transient VM of that name runs on %s; apply changes "
		         "only defined VMs: define it (virsh dumpxml, virsh define) or rename this "
		         "one.", c->p->uri);
	if ((xml = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE)) == NULL) {
		m = lv_err();
		vm_error(v, &v->def->pos, "cannot read the VM's definition: %s.", m);
		free(m);
		return;
	}
	if (disks_info(c->conn, xml, &cap, &pools, &ndisks, &err) < 0 ||
	    vmxml_compare_iso(v->def, xml, cap, v->iso_path, &diffs, &n, &err) < 0) {
		vm_error(v, &v->def->pos, "cannot compare with the VM's definition: %s.", err);
		goto cleanup;
	}
	classify(v, diffs, n);
	plan_autostart(v, dom);
	plan_tags(v, xml);
	if (v->nchanges)
		v->kind = PLAN_UPDATE;

cleanup:
	vmxml_diffs_free(diffs, n);
	free_pools(pools, ndisks);
	free(cap);
	free(err);
	free(xml);
}

/* ---- the whole plan ---- */

static void
plan_one(struct ctx *c, struct plan_vm *v)
{
	virDomainPtr dom = virDomainLookupByName(c->conn, v->def->name);
	char *m;

	check_host(c, v);
	if (dom) {
		plan_update(c, v, dom);
		virDomainFree(dom);
	} else if (lv_err_is(VIR_ERR_NO_DOMAIN)) {
		plan_create(c, v);
	} else {
		v->kind = PLAN_SAME;
		m = lv_err();
		vm_error(v, &v->def->pos, "cannot look the VM up on %s: %s.", c->p->uri, m);
		free(m);
	}
}

/* A file with parse errors, or a VM missing what parsing fills in, is
 * refused before anything of it is used: NULL, or the reason (new). */
static char *
refuse_defs(const struct vmdef_file *f)
{
	const char *why;
	size_t i;

	if (f->nerrors)
		return xasprintf("the definitions have %zu error%s; nothing was planned. Fix them "
		                 "(vmtui validate) and plan again", f->nerrors,
		                 f->nerrors == 1 ? "" : "s");
	for (i = 0; i < f->nvms; i++)
		if ((why = vmdef_check(&f->vms[i])) != NULL)
			return xasprintf("VM %zu of the definitions (%s:%u:%u) is incomplete: %s; "
			                 "nothing was planned. Check the file (vmtui validate) and plan "
			                 "again", i + 1, f->vms[i].pos.file ? f->vms[i].pos.file : "?",
			                 f->vms[i].pos.line, f->vms[i].pos.col, why);
	for (i = 0; i < f->npools; i++)
		if ((why = pooldef_check(&f->pools[i])) != NULL)
			return xasprintf("pool %zu of the definitions is incomplete: %s; nothing was "
			                 "planned", i + 1, why);
	for (i = 0; i < f->nnets; i++)
		if ((why = netdef_check(&f->nets[i])) != NULL)
			return xasprintf("network %zu of the definitions is incomplete: %s; nothing "
			                 "was planned", i + 1, why);
	return NULL;
}

int
plan_make(virConnectPtr conn, const struct vmdef_file *f, struct plan *p, char **err)
{
	struct ctx c = { conn, p, NULL, NULL };
	size_t i;
	int rc = -1;

	memset(p, 0, sizeof *p);
	if ((*err = refuse_defs(f)) != NULL)
		return -1;
	if (ctx_open(&c, err) < 0)
		goto cleanup;
	resplan_make(conn, f, p);
	p->vms = xcalloc(f->nvms + 1, sizeof *p->vms);
	for (i = 0; i < f->nvms; i++) {
		p->vms[i].def = &f->vms[i];
		p->nvms++;
		plan_one(&c, &p->vms[i]);
		p->nerrors += p->vms[i].nerrors;
	}
	rc = 0;

cleanup:
	free(c.caps);
	free(c.host_arch);
	return rc;
}

static void
vol_free(struct plan_vol *pv)
{
	free(pv->target);
	free(pv->pool);
	free(pv->name);
	free(pv->format);
	free(pv->path);
	free(pv->base_pool);
	free(pv->base_name);
	free(pv->base_path);
	free(pv->base_format);
}

static void
pvm_free(struct plan_vm *v)
{
	size_t i;

	free(v->domain_type);
	for (i = 0; i < v->nvols; i++)
		vol_free(&v->vols[i]);
	free(v->vols);
	free(v->seed_pool);
	free(v->seed_name);
	free(v->seed_iso);
	free(v->iso_path);
	free(v->iso_vol);
	for (i = 0; i < v->nchanges; i++) {
		free(v->changes[i].field);
		free(v->changes[i].have);
		free(v->changes[i].want);
	}
	free(v->changes);
	xfree_strv(v->errors, v->nerrors);
	xfree_strv(v->warnings, v->nwarnings);
}

void
plan_free(struct plan *p)
{
	size_t i;

	for (i = 0; i < p->nvms; i++)
		pvm_free(&p->vms[i]);
	free(p->vms);
	resplan_free(p);
	free(p->uri);
	free(p->hostname);
	memset(p, 0, sizeof *p);
}

bool
plan_vm_has_work(const struct plan_vm *v)
{
	size_t i;

	if (v->kind == PLAN_CREATE)
		return true;
	for (i = 0; i < v->nchanges; i++)
		if (v->changes[i].when != PLAN_NOT_APPLIED)
			return true;
	return false;
}

bool
plan_res_has_work(const struct plan_res *r)
{
	size_t i;

	if (r->kind == PLAN_CREATE)
		return true;
	for (i = 0; i < r->nchanges; i++)
		if (r->changes[i].when != PLAN_NOT_APPLIED)
			return true;
	return false;
}

bool
plan_has_work(const struct plan *p)
{
	size_t i;

	for (i = 0; i < p->npools; i++)
		if (plan_res_has_work(&p->pools[i]))
			return true;
	for (i = 0; i < p->nnets; i++)
		if (plan_res_has_work(&p->nets[i]))
			return true;
	for (i = 0; i < p->nvms; i++)
		if (plan_vm_has_work(&p->vms[i]))
			return true;
	return false;
}

/* ---- text ---- */

struct sb {
	char *s;
	size_t len, cap;
};

static void __attribute__((format(printf, 2, 3)))
sb_printf(struct sb *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (b->len + (size_t)n + 1 > b->cap) {
		b->cap = (b->len + (size_t)n + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* "pool/volume" of the image, else its path. */
static void
r_image(struct sb *b, const struct plan_vol *pv, const struct vmdef_disk *dk)
{
	if (pv->base_pool && pv->base_name)
		sb_printf(b, "%s/%s", pv->base_pool, pv->base_name);
	else
		sb_printf(b, "%s", pv->base_path ? pv->base_path : dk->image);
	if (pv->base_format)
		sb_printf(b, " (%s)", pv->base_format);
}

static void
r_vol(struct sb *b, const struct plan_vol *pv, const struct vmdef_disk *dk)
{
	char size[32];

	if (pv->kind == PLAN_VOL_PATH) {
		sb_printf(b, "  + disk %s: %s, %s, used as it is\n", pv->target, pv->path, pv->format);
		return;
	}
	plan_fmt_size(size, sizeof size, pv->capacity);
	sb_printf(b, "  + disk %s: new volume %s/%s, %s %s, ", pv->target, pv->pool, pv->name,
	          pv->capacity ? size : "image-sized", pv->format);
	if (pv->kind == PLAN_VOL_BLANK) {
		sb_printf(b, "blank\n");
		return;
	}
	sb_printf(b, pv->kind == PLAN_VOL_COPY ? "copy of " : "overlay on ");
	r_image(b, pv, dk);
	sb_printf(b, "\n");
}

/* What the new domain is, in one line. */
static void
r_define(struct sb *b, const struct plan_vm *v)
{
	const struct vmdef *d = v->def;
	char mem[32], maxmem[32];

	plan_fmt_size(mem, sizeof mem, d->memory);
	plan_fmt_size(maxmem, sizeof maxmem, d->max_memory);
	sb_printf(b, "  + define VM %s: type %s, %u vCPU%s", d->name,
	          v->domain_type ? v->domain_type : "?", d->vcpus, d->vcpus == 1 ? "" : "s");
	if (d->max_vcpus != d->vcpus)
		sb_printf(b, " (max %u)", d->max_vcpus);
	sb_printf(b, ", memory %s", mem);
	if (d->max_memory != d->memory)
		sb_printf(b, " (max %s)", maxmem);
	sb_printf(b, ", %zu disk%s, %zu interface%s%s\n", d->ndisks, d->ndisks == 1 ? "" : "s",
	          d->nnets, d->nnets == 1 ? "" : "s", v->seed_name ? ", cloud-init seed" : "");
}

/* Firmware, TPM, CPU, host devices, boot menu and RNG of a new VM, where
 * they are not vmtui.yaml's defaults: one line, or none. */
static void
r_hardware(struct sb *b, const struct vmdef *d)
{
	static const char *const modes[] = {
		[VMDEF_CPU_AUTO] = NULL, [VMDEF_CPU_PASSTHROUGH] = "host-passthrough",
		[VMDEF_CPU_HOST_MODEL] = "host-model", [VMDEF_CPU_CUSTOM] = "",
	};
	struct sb l = { 0 };
	size_t i;

	if (d->firmware == VMDEF_FW_EFI)
		sb_printf(&l, ", firmware efi%s", d->secure_boot ? " with Secure Boot" : "");
	if (d->tpm != VMDEF_TPM_NONE)
		sb_printf(&l, ", TPM 2.0 (%s, emulated)", d->tpm == VMDEF_TPM_CRB ? "crb" : "tis");
	if (d->cpu.mode != VMDEF_CPU_AUTO)
		sb_printf(&l, ", CPU %s", d->cpu.mode == VMDEF_CPU_CUSTOM ? d->cpu.model
		                                                         : modes[d->cpu.mode]);
	else if (d->cpu.sockets)
		sb_printf(&l, ", CPU topology");
	if (d->cpu.sockets)
		sb_printf(&l, " (%u socket%s x %u core%s x %u thread%s)", d->cpu.sockets,
		          d->cpu.sockets == 1 ? "" : "s", d->cpu.cores, d->cpu.cores == 1 ? "" : "s",
		          d->cpu.threads, d->cpu.threads == 1 ? "" : "s");
	for (i = 0; i < d->nhostdevs; i++) {
		const struct vmdef_hostdev *h = &d->hostdevs[i];

		if (h->usb)
			sb_printf(&l, "%sUSB %04x:%04x", i ? ", " : ", host devices ", h->vendor,
			          h->product);
		else
			sb_printf(&l, "%sPCI %04x:%02x:%02x.%x", i ? ", " : ", host devices ", h->domain,
			          h->bus, h->slot, h->function);
	}
	if (d->boot_menu)
		sb_printf(&l, ", boot menu");
	if (!d->rng)
		sb_printf(&l, ", no RNG");
	if (!d->agent)
		sb_printf(&l, ", no guest agent channel");
	if (l.s)
		sb_printf(b, "  + with %s\n", l.s + 2);
	free(l.s);
}

/* What came from os:, one line. */
static void
r_from_os(struct sb *b, const struct vmdef *d)
{
	char *what = osdefaults_describe(d);

	if (what)
		sb_printf(b, "  = from os %s: %s\n", d->os, what);
	free(what);
}

/* The install media's CD-ROM and how the first start boots it. */
static void
r_iso(struct sb *b, const struct plan_vm *v)
{
	if (v->def->iso == NULL)
		return;
	sb_printf(b, "  + CD-ROM (sata): install media %s", v->iso_vol ? v->iso_vol : v->def->iso);
	if (v->iso_path && strcmp(v->iso_path, v->iso_vol ? v->iso_vol : v->def->iso) != 0)
		sb_printf(b, " (%s)", v->iso_path);
	sb_printf(b, v->def->start ? "; the first start boots it first and ends at the installer's "
	                             "reboot; later starts boot the disk first\n"
	                           : "; not started: the disk boots first, the CD when the disk "
	                             "has no system yet\n");
}

static void
r_create(struct sb *b, const struct plan_vm *v)
{
	char size[32];
	size_t i;

	for (i = 0; i < v->nvols; i++)
		r_vol(b, &v->vols[i], &v->def->disks[i]);
	r_iso(b, v);
	if (v->seed_name) {
		plan_fmt_size(size, sizeof size, v->seed_len);
		sb_printf(b, "  + cloud-init seed: new volume %s/%s, %s ISO\n", v->seed_pool,
		          v->seed_name, v->seed_iso ? size : "?");
	}
	r_define(b, v);
	r_hardware(b, v->def);
	if (v->def->autostart)
		sb_printf(b, "  + autostart on\n");
	if (v->def->start)
		sb_printf(b, "  + start\n");
}

static void
r_change(struct sb *b, const struct plan_change *ch)
{
	static const char *const when[] = {
		[PLAN_NOW] = "", [PLAN_LIVE] = " (now, and saved)",
		[PLAN_NEXT_BOOT] = " (saved; takes effect at the next boot)", [PLAN_NOT_APPLIED] = "",
	};

	sb_printf(b, "  %c %s: %s -> %s%s", ch->when == PLAN_NOT_APPLIED ? '!' : '~', ch->field,
	          ch->have, ch->want, when[ch->when]);
	if (ch->when == PLAN_NOT_APPLIED)
		sb_printf(b, " (not applied: %s)", ch->why);
	sb_printf(b, "\n");
}

static void
r_vm(struct sb *b, const struct plan_vm *v)
{
	static const char *const kinds[] = {
		[PLAN_CREATE] = "create", [PLAN_UPDATE] = "update", [PLAN_SAME] = "no changes",
	};
	size_t i;

	if (v->kind == PLAN_SAME && v->uuid[0] == '\0')
		sb_printf(b, "%s: cannot tell (see the errors)\n", v->def->name);
	else
		sb_printf(b, "%s: %s%s\n", v->def->name, kinds[v->kind],
		          v->kind != PLAN_CREATE && v->running ? " (running)" : "");
	r_from_os(b, v->def);
	if (v->kind == PLAN_CREATE)
		r_create(b, v);
	for (i = 0; i < v->nchanges; i++)
		r_change(b, &v->changes[i]);
	for (i = 0; i < v->nerrors; i++)
		sb_printf(b, "  error: %s\n", v->errors[i]);
	for (i = 0; i < v->nwarnings; i++)
		sb_printf(b, "  warning: %s\n", v->warnings[i]);
}

char *
plan_render(const struct plan *p)
{
	struct sb b = { 0 };
	size_t i, n[3] = { 0 };
	char *res;

	sb_printf(&b, "Plan for %s", p->uri ? p->uri : "?");
	if (p->hostname)
		sb_printf(&b, " (host %s)", p->hostname);
	sb_printf(&b, ":\n");
	res = resplan_render(p, n);
	sb_printf(&b, "%s", res);
	free(res);
	for (i = 0; i < p->nvms; i++) {
		r_vm(&b, &p->vms[i]);
		n[p->vms[i].kind]++;
	}
	sb_printf(&b, "%zu to create, %zu to update, %zu unchanged", n[PLAN_CREATE],
	          n[PLAN_UPDATE], n[PLAN_SAME]);
	if (p->nerrors)
		sb_printf(&b, "; %zu error%s: apply would refuse this plan", p->nerrors,
		          p->nerrors == 1 ? "" : "s");
	sb_printf(&b, ".\n");
	return b.s;
}

/* ---- export ---- */

/* "pool/volume" of the domain's install media (its first CD-ROM other
 * than the seed), or NULL when it is no volume. */
static char *
iso_volume(virConnectPtr conn, const char *xml, const char *name)
{
	char *seed = xasprintf("%s-seed.iso", name), *expr, *path, *out = NULL;
	virStorageVolPtr vol;

	expr = xasprintf("string(/domain/devices/disk[@device='cdrom']/source[not(substring(@file, "
	                 "string-length(@file) - %zu) = '/%s')]/@file)", strlen(seed), seed);
	path = xml_str(xml, expr);
	if (path && (vol = virStorageVolLookupByPath(conn, path)) != NULL) {
		out = vol_label(vol);
		virStorageVolFree(vol);
	}
	free(path);
	free(expr);
	free(seed);
	return out;
}

char *
plan_export(virConnectPtr conn, const char *name, char **err)
{
	virDomainPtr dom = virDomainLookupByName(conn, name);
	uint64_t *cap = NULL;
	char **pools = NULL, *xml = NULL, *out = NULL, *m, *iso;
	size_t n = 0;

	*err = NULL;
	if (dom == NULL) {
		m = lv_err();
		*err = lv_err_is(VIR_ERR_NO_DOMAIN)
		       ? xasprintf("there is no VM named \"%s\" (virsh list --all shows them)", name)
		       : xasprintf("cannot look up VM \"%s\": %s", name, m);
		free(m);
		return NULL;
	}
	if ((xml = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE)) == NULL) {
		m = lv_err();
		*err = xasprintf("cannot read the definition of VM \"%s\": %s", name, m);
		free(m);
		goto cleanup;
	}
	if (disks_info(conn, xml, &cap, &pools, &n, err) < 0)
		goto cleanup;
	iso = iso_volume(conn, xml, name);
	out = vmxml_export_yaml_iso(xml, cap, (const char *const *)pools, iso, err);
	free(iso);
	if (out == NULL) {
		m = *err;
		*err = xasprintf("VM \"%s\" cannot be written as a definition: %s", name, m);
		free(m);
	}

cleanup:
	free_pools(pools, n);
	free(cap);
	free(xml);
	virDomainFree(dom);
	return out;
}

/* ---- export of pools and networks ---- */

char *
plan_export_pool(virConnectPtr conn, const char *name, bool *missing, char **err)
{
	virStoragePoolPtr pool = virStoragePoolLookupByName(conn, name);
	struct pooldef d = { 0 };
	char *xml = NULL, *out = NULL, *m = NULL;
	int on = 0;

	*err = NULL;
	*missing = pool == NULL && lv_err_is(VIR_ERR_NO_STORAGE_POOL);
	if (pool == NULL) {
		m = lv_err();
		*err = *missing ? xasprintf("there is no storage pool named \"%s\" (virsh "
		                            "pool-list --all shows them)", name)
		                : xasprintf("cannot look up storage pool \"%s\": %s", name, m);
		free(m);
		return NULL;
	}
	if ((xml = resplan_pool_xml(pool)) == NULL) {
		m = lv_err();
		*err = xasprintf("cannot read the definition of storage pool \"%s\": %s", name, m);
	} else if (poolxml_read(xml, &d, &m) < 0) {
		*err = xasprintf("storage pool \"%s\" cannot be written as a definition: %s", name,
		                 m);
	} else {
		d.start = virStoragePoolIsActive(pool) == 1;
		d.autostart = virStoragePoolGetAutostart(pool, &on) == 0 && on;
		if ((out = resexport_pool_yaml(&d)) == NULL)
			*err = xstrdup("cannot write the YAML definition");
	}
	free(m);
	free(xml);
	pooldef_free(&d);
	virStoragePoolFree(pool);
	return out;
}

char *
plan_export_net(virConnectPtr conn, const char *name, bool *missing, char **err)
{
	virNetworkPtr net = virNetworkLookupByName(conn, name);
	struct netdef d = { 0 };
	char *xml = NULL, *out = NULL, *m = NULL;
	int on = 0;

	*err = NULL;
	*missing = net == NULL && lv_err_is(VIR_ERR_NO_NETWORK);
	if (net == NULL) {
		m = lv_err();
		*err = *missing ? xasprintf("there is no network named \"%s\" (virsh net-list "
		                            "--all shows them)", name)
		                : xasprintf("cannot look up network \"%s\": %s", name, m);
		free(m);
		return NULL;
	}
	if ((xml = resplan_net_xml(net)) == NULL) {
		m = lv_err();
		*err = xasprintf("cannot read the definition of network \"%s\": %s", name, m);
	} else if (netxml_read(xml, &d, &m) < 0) {
		*err = xasprintf("network \"%s\" cannot be written as a definition: %s", name, m);
	} else {
		d.start = virNetworkIsActive(net) == 1;
		d.autostart = virNetworkGetAutostart(net, &on) == 0 && on;
		if ((out = resexport_net_yaml(&d)) == NULL)
			*err = xstrdup("cannot write the YAML definition");
	}
	free(m);
	free(xml);
	netdef_free(&d);
	virNetworkFree(net);
	return out;
}
