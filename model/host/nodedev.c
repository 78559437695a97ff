/* nodedev.c — the host's PCI and USB devices and who uses them (see
 * nodedev.h). */
#include "nodedev.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libvirt/virterror.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

#include "../base/xmalloc.h"
#include "../defs/firmxml.h"
#include "../defs/xpath.h"

/* A number as libvirt writes it in these XMLs ("0x1f", "31"); -1 if none. */
static long
num(xmlXPathContextPtr ctx, xmlNodePtr at, const char *expr)
{
	char *s = xpath_str_at(ctx, at, expr), *end;
	long v;

	if (s == NULL)
		return -1;
	v = strtol(s, &end, 0);
	if (*end != '\0' || v < 0 || v > 0xffffff)
		v = -1;
	free(s);
	return v;
}

static unsigned
unum(xmlXPathContextPtr ctx, xmlNodePtr at, const char *expr)
{
	long v = num(ctx, at, expr);

	return v < 0 ? 0 : (unsigned)v;
}

static void
parse_pci(xmlXPathContextPtr ctx, xmlNodePtr cap, struct nodedev *d)
{
	d->bus = NODEDEV_PCI;
	d->domain = unum(ctx, cap, "string(domain)");
	d->pbus = unum(ctx, cap, "string(bus)");
	d->slot = unum(ctx, cap, "string(slot)");
	d->function = unum(ctx, cap, "string(function)");
	d->addr = xasprintf("%04x:%02x:%02x.%x", d->domain & 0xffff, d->pbus & 0xff, d->slot & 0x1f,
	                    d->function & 7);
	d->pci_class = xpath_str_at(ctx, cap, "string(class)");
	d->iommu_group = xpath_count(ctx, "iommuGroup") > 0 ?
	                 (int)num(ctx, cap, "string(iommuGroup/@number)") : -1;
	d->bridge = (d->pci_class && strncasecmp(d->pci_class, "0x06", 4) == 0 &&
	             strlen(d->pci_class) == 8) ||
	            xpath_count(ctx, "capability[@type='pci-bridge' or @type='cardbus-bridge']") > 0;
}

static void
parse_usb(xmlXPathContextPtr ctx, xmlNodePtr cap, struct nodedev *d)
{
	d->bus = NODEDEV_USB;
	d->usb_bus = unum(ctx, cap, "string(bus)");
	d->usb_dev = unum(ctx, cap, "string(device)");
	d->addr = xasprintf("%03u:%03u", d->usb_bus % 1000, d->usb_dev % 1000);
}

/* The ids and names of a PCI or USB capability. */
static void
parse_ids(xmlXPathContextPtr ctx, xmlNodePtr cap, struct nodedev *d)
{
	d->vendor_id = xpath_str_at(ctx, cap, "string(vendor/@id)");
	d->product_id = xpath_str_at(ctx, cap, "string(product/@id)");
	d->vendor = xpath_str_at(ctx, cap, "string(vendor)");
	d->product = xpath_str_at(ctx, cap, "string(product)");
	if (d->bus == NODEDEV_USB)
		d->root_hub = d->vendor_id && strcasecmp(d->vendor_id, "0x1d6b") == 0;
}

/* The capability node of the given type, or NULL. */
static xmlNodePtr
capability(xmlXPathContextPtr ctx, const char *type)
{
	char expr[96];
	xmlXPathObjectPtr o;
	xmlNodePtr n = NULL;

	snprintf(expr, sizeof expr, "/device/capability[@type='%s']", type);
	ctx->node = NULL;
	o = xmlXPathEvalExpression(BAD_CAST expr, ctx);
	if (o && o->nodesetval && o->nodesetval->nodeNr > 0)
		n = o->nodesetval->nodeTab[0];
	xmlXPathFreeObject(o);
	return n;
}

/* Open a node device's XML: its context, or NULL with *err. */
static xmlXPathContextPtr
open_device(const char *xml, xmlDocPtr *doc, char **err)
{
	xmlNodePtr r;
	xmlXPathContextPtr ctx;

	*doc = xml ? xml_read_quiet(xml, "nodedev.xml") : NULL;
	r = *doc ? xmlDocGetRootElement(*doc) : NULL;
	if (r == NULL || strcmp((const char *)r->name, "device") != 0 ||
	    (ctx = xmlXPathNewContext(*doc)) == NULL) {
		if (err)
			*err = xstrdup("This is not a node device's XML.");
		xmlFreeDoc(*doc);
		*doc = NULL;
		return NULL;
	}
	return ctx;
}

int
nodedev_parse(const char *xml, struct nodedev *d, char **err)
{
	xmlDocPtr doc;
	xmlXPathContextPtr ctx = open_device(xml, &doc, err);
	xmlNodePtr cap;
	int rc = 0;

	memset(d, 0, sizeof *d);
	d->iommu_group = -1;
	if (ctx == NULL)
		return -1;
	d->name = xpath_str(ctx, "string(/device/name)");
	if (d->name == NULL) {
		*err = xstrdup("The node device's XML has no name.");
		rc = -1;
	} else if ((cap = capability(ctx, "pci")) != NULL) {
		ctx->node = cap;
		parse_pci(ctx, cap, d);
		parse_ids(ctx, cap, d);
	} else if ((cap = capability(ctx, "usb_device")) != NULL) {
		parse_usb(ctx, cap, d);
		parse_ids(ctx, cap, d);
	} else {
		rc = 1;
	}
	if (rc == 0) {
		ctx->node = NULL;
		d->parent = xpath_str(ctx, "string(/device/parent)");
		d->driver = xpath_str(ctx, "string(/device/driver/name)");
	}
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	if (rc != 0)
		nodedev_free(d);
	return rc;
}

void
nodedev_free(struct nodedev *d)
{
	if (d == NULL)
		return;
	free(d->name), free(d->parent), free(d->addr), free(d->vendor_id), free(d->product_id);
	free(d->vendor), free(d->product), free(d->driver), free(d->pci_class);
	free(d->host_use), free(d->guest);
	memset(d, 0, sizeof *d);
	d->iommu_group = -1;
}

/* ---- the list ---- */

/* A device that is neither PCI nor USB: its name, parent and what the
 * host uses it for (its disks, its interfaces that are up). */
static void
add_other(struct nodedev_list *l, const char *xml)
{
	xmlDocPtr doc;
	xmlXPathContextPtr ctx = open_device(xml, &doc, NULL);
	struct nodedev_other o = { 0 };
	char *s, *state;

	if (ctx == NULL)
		return;
	o.name = xpath_str(ctx, "string(/device/name)");
	o.parent = xpath_str(ctx, "string(/device/parent)");
	if ((s = xpath_str(ctx, "string(/device/capability[@type='storage']/block)")) != NULL) {
		o.use = xasprintf("disk %s", s);
	} else if ((s = xpath_str(ctx, "string(/device/capability[@type='net']/interface)"))) {
		state = xpath_str(ctx, "string(/device/capability[@type='net']/link/@state)");
		if (state && strcmp(state, "up") == 0)
			o.use = xasprintf("network interface %s (up)", s);
		free(state);
	}
	free(s);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	if (o.name == NULL) {
		free(o.parent), free(o.use);
		return;
	}
	l->o = xreallocarray(l->o, l->no + 1, sizeof *l->o);
	l->o[l->no++] = o;
}

void
nodedev_list_add_xml(struct nodedev_list *l, const char *xml)
{
	struct nodedev d;
	char *err = NULL;
	int rc = nodedev_parse(xml, &d, &err);

	free(err);
	if (rc == 1)
		add_other(l, xml);
	if (rc != 0)
		return;
	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	l->v[l->n++] = d;
}

static struct nodedev *
by_name(struct nodedev_list *l, const char *name)
{
	size_t i;

	for (i = 0; name && i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return &l->v[i];
	return NULL;
}

static const char *
parent_of(const struct nodedev_list *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->no; i++)
		if (strcmp(l->o[i].name, name) == 0)
			return l->o[i].parent;
	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return l->v[i].parent;
	return NULL;
}

static int
order(const void *pa, const void *pb)
{
	const struct nodedev *a = pa, *b = pb;

	if (a->bus != b->bus)
		return a->bus == NODEDEV_PCI ? -1 : 1;
	if (a->bus == NODEDEV_PCI) {
		unsigned ka = a->domain << 16 | a->pbus << 8 | a->slot << 3 | a->function;
		unsigned kb = b->domain << 16 | b->pbus << 8 | b->slot << 3 | b->function;
		return ka < kb ? -1 : ka > kb;
	}
	if (a->usb_bus != b->usb_bus)
		return a->usb_bus < b->usb_bus ? -1 : 1;
	return a->usb_dev < b->usb_dev ? -1 : a->usb_dev > b->usb_dev;
}

void
nodedev_list_finish(struct nodedev_list *l)
{
	size_t i;
	int hops;

	for (i = 0; i < l->no; i++) {
		const char *p = l->o[i].parent;
		if (l->o[i].use == NULL)
			continue;
		/* up the parents (a SCSI disk hangs from a target, a host, then
		 * the controller) to the first PCI or USB device */
		for (hops = 0; p && hops < 16; hops++) {
			struct nodedev *d = by_name(l, p);
			if (d != NULL) {
				char *u = d->host_use ? xasprintf("%s, %s", d->host_use, l->o[i].use) :
				          xstrdup(l->o[i].use);
				free(d->host_use);
				d->host_use = u;
				break;
			}
			p = parent_of(l, p);
		}
	}
	if (l->n > 1)
		qsort(l->v, l->n, sizeof *l->v, order);
}

void
nodedev_list_free(struct nodedev_list *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++)
		nodedev_free(&l->v[i]);
	for (i = 0; i < l->no; i++)
		free(l->o[i].name), free(l->o[i].parent), free(l->o[i].use);
	free(l->v);
	free(l->o);
	memset(l, 0, sizeof *l);
}

/* ---- the guests' host devices ---- */

/* USB vendor and product IDs are 16 bits: compared as nodedev_hostdev_xml
 * writes them (a node device's longer ID is cut the same way both sides). */
static bool
same_id(const char *a, const char *b)
{
	return a && b && (strtoul(a, NULL, 16) & 0xffff) == (strtoul(b, NULL, 16) & 0xffff);
}

/* Does the <hostdev> node n (ctx at it) pass d through? */
static bool
hostdev_is(xmlXPathContextPtr ctx, xmlNodePtr n, const struct nodedev *d)
{
	char *type = xpath_str_at(ctx, n, "string(@type)");
	bool is = false;

	if (type && strcmp(type, "pci") == 0 && d->bus == NODEDEV_PCI) {
		is = num(ctx, n, "string(source/address/@slot)") == (long)d->slot &&
		     num(ctx, n, "string(source/address/@function)") == (long)d->function &&
		     num(ctx, n, "string(source/address/@bus)") == (long)d->pbus &&
		     (num(ctx, n, "string(source/address/@domain)") == (long)d->domain ||
		      (d->domain == 0 && num(ctx, n, "string(source/address/@domain)") < 0));
	} else if (type && strcmp(type, "usb") == 0 && d->bus == NODEDEV_USB) {
		char *v = xpath_str_at(ctx, n, "string(source/vendor/@id)");
		char *p = xpath_str_at(ctx, n, "string(source/product/@id)");
		long b = num(ctx, n, "string(source/address/@bus)");
		long dev = num(ctx, n, "string(source/address/@device)");
		if (b >= 0 && dev >= 0)
			is = b == (long)d->usb_bus && dev == (long)d->usb_dev;
		else
			is = same_id(v, d->vendor_id) && same_id(p, d->product_id);
		free(v), free(p);
	}
	free(type);
	return is;
}

void
nodedev_note_guest(struct nodedev_list *l, const char *domxml, bool live)
{
	xmlDocPtr doc = domxml ? xml_read_quiet(domxml, "domain.xml") : NULL;
	xmlXPathContextPtr ctx = doc ? xmlXPathNewContext(doc) : NULL;
	xmlXPathObjectPtr o = NULL;
	char *name;
	int k;
	size_t i;

	if (ctx == NULL || (name = xpath_str(ctx, "string(/domain/name)")) == NULL) {
		xmlXPathFreeContext(ctx);
		xmlFreeDoc(doc);
		return;
	}
	o = xmlXPathEvalExpression(BAD_CAST "/domain/devices/hostdev[not(@mode) or "
	                           "@mode='subsystem']", ctx);
	for (k = 0; o && o->nodesetval && k < o->nodesetval->nodeNr; k++)
		for (i = 0; i < l->n; i++) {
			struct nodedev *d = &l->v[i];
			if (!hostdev_is(ctx, o->nodesetval->nodeTab[k], d))
				continue;
			if (d->guest == NULL)
				d->guest = xstrdup(name);
			else if (strcmp(d->guest, name) != 0)
				continue; /* the first guest found keeps it */
			if (live)
				d->guest_live = true;
			else
				d->guest_saved = true;
		}
	xmlXPathFreeObject(o);
	free(name);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
}

char *
nodedev_hostdev_in(const char *domxml, const struct nodedev *d)
{
	xmlDocPtr doc = domxml ? xml_read_quiet(domxml, "domain.xml") : NULL;
	xmlXPathContextPtr ctx = doc ? xmlXPathNewContext(doc) : NULL;
	xmlXPathObjectPtr o = NULL;
	char *s = NULL;
	int k;

	if (ctx)
		o = xmlXPathEvalExpression(BAD_CAST "/domain/devices/hostdev", ctx);
	for (k = 0; s == NULL && o && o->nodesetval && k < o->nodesetval->nodeNr; k++) {
		xmlNodePtr n = o->nodesetval->nodeTab[k];
		if (hostdev_is(ctx, n, d)) {
			xmlBufferPtr b = xmlBufferCreate();
			if (b && xmlNodeDump(b, doc, n, 0, 0) >= 0)
				s = firmxml_normalize((const char *)xmlBufferContent(b));
			xmlBufferFree(b);
		}
	}
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return s;
}

/* ---- reading a host ---- */

static char *
lv_reason(void)
{
	const char *m = virGetLastErrorMessage();

	return xstrdup(m ? m : "unknown error");
}

static void
read_guests(virConnectPtr conn, struct nodedev_list *l)
{
	virDomainPtr *doms = NULL;
	int n = virConnectListAllDomains(conn, &doms, 0), k;

	for (k = 0; k < n; k++) {
		char *xml;
		if (virDomainIsActive(doms[k]) == 1) {
			xml = virDomainGetXMLDesc(doms[k], 0);
			nodedev_note_guest(l, xml, true);
			free(xml);
		}
		if (virDomainIsPersistent(doms[k]) == 1) {
			xml = virDomainGetXMLDesc(doms[k], VIR_DOMAIN_XML_INACTIVE);
			nodedev_note_guest(l, xml, false);
			free(xml);
		}
		virDomainFree(doms[k]);
	}
	free(doms);
}

int
nodedev_list_read(virConnectPtr conn, struct nodedev_list *l, char **err)
{
	virNodeDevicePtr *devs = NULL;
	int n, k;

	memset(l, 0, sizeof *l);
	n = virConnectListAllNodeDevices(conn, &devs, 0);
	if (n < 0) {
		char *why = lv_reason();
		*err = xasprintf("Cannot list the host's devices: %s", why);
		free(why);
		return -1;
	}
	for (k = 0; k < n; k++) {
		char *xml = virNodeDeviceGetXMLDesc(devs[k], 0);
		if (xml)
			nodedev_list_add_xml(l, xml);
		free(xml);
		virNodeDeviceFree(devs[k]);
	}
	free(devs);
	read_guests(conn, l);
	nodedev_list_finish(l);
	return 0;
}

/* ---- finding and refusing ---- */

/* "0000:00:1f.2", "00:1f.2" as a PCI address; false if it is not one. */
static bool
pci_addr(const char *s, unsigned *dom, unsigned *bus, unsigned *slot, unsigned *fn)
{
	char tail;

	if (sscanf(s, "%x:%x:%x.%x%c", dom, bus, slot, fn, &tail) == 4)
		return true;
	*dom = 0;
	return sscanf(s, "%x:%x.%x%c", bus, slot, fn, &tail) == 3;
}

const struct nodedev *
nodedev_find(const struct nodedev_list *l, const char *what, char **err)
{
	const struct nodedev *hit = NULL;
	unsigned a, b, c, e, hits = 0;
	size_t i;
	char tail;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, what) == 0)
			return &l->v[i];
	if (pci_addr(what, &a, &b, &c, &e)) {
		for (i = 0; i < l->n; i++)
			if (l->v[i].bus == NODEDEV_PCI && l->v[i].domain == a && l->v[i].pbus == b &&
			    l->v[i].slot == c && l->v[i].function == e)
				return &l->v[i];
	} else if (sscanf(what, "%x:%x%c", &a, &b, &tail) == 2) {
		/* BUS:DEV in decimal first (as lsusb prints them), else VENDOR:PRODUCT */
		unsigned db, dd;
		if (sscanf(what, "%u:%u%c", &db, &dd, &tail) == 2)
			for (i = 0; i < l->n; i++)
				if (l->v[i].bus == NODEDEV_USB && l->v[i].usb_bus == db &&
				    l->v[i].usb_dev == dd)
					return &l->v[i];
		for (i = 0; i < l->n; i++)
			if (l->v[i].bus == NODEDEV_USB && l->v[i].vendor_id && l->v[i].product_id &&
			    strtoul(l->v[i].vendor_id, NULL, 16) == a &&
			    strtoul(l->v[i].product_id, NULL, 16) == b) {
				hit = &l->v[i];
				hits++;
			}
		if (hits == 1)
			return hit;
		if (hits > 1) {
			*err = xasprintf("%u USB devices have the ids %s; name one by its bus and "
			                 "device (vmtui hostdev list shows them).", hits, what);
			return NULL;
		}
	}
	*err = xasprintf("No PCI or USB device \"%s\" on this host (vmtui hostdev list shows "
	                 "them: a name like pci_0000_00_1f_2, an address like 00:1f.2, or USB "
	                 "BUS:DEV or VENDOR:PRODUCT).", what);
	return NULL;
}

/* Another device of d's IOMMU group that the host or another guest has
 * (the whole group goes to the guest together), as a new sentence. */
static char *
group_refusal(const struct nodedev *d, const struct nodedev_list *l, const char *vm)
{
	size_t i;

	for (i = 0; l && i < l->n; i++) {
		const struct nodedev *o = &l->v[i];
		if (o == d || o->bus != NODEDEV_PCI || o->iommu_group != d->iommu_group || o->bridge)
			continue;
		if (o->host_use)
			return xasprintf("%s shares IOMMU group %d with %s, which carries the host's %s: "
			                 "the group can only be passed through whole.", d->name,
			                 d->iommu_group, o->name, o->host_use);
		if (o->guest && (vm == NULL || strcmp(o->guest, vm) != 0))
			return xasprintf("%s shares IOMMU group %d with %s, which guest %s has: the group "
			                 "can only go to one guest.", d->name, d->iommu_group, o->name,
			                 o->guest);
	}
	return NULL;
}

char *
nodedev_refusal(const struct nodedev *d, const struct nodedev_list *l, const char *vm)
{
	if (d->guest != NULL && vm != NULL && strcmp(d->guest, vm) == 0)
		return xasprintf("%s is passed through to %s already.", d->name, vm);
	if (d->guest != NULL)
		return xasprintf("%s is in use by guest %s (%s); release it there first.", d->name,
		                 d->guest, d->guest_live ? "running with it" : "in its saved "
		                 "configuration");
	if (d->bus == NODEDEV_USB) {
		if (d->root_hub)
			return xasprintf("%s is the root hub of USB bus %u, not a device: pass through "
			                 "a device plugged into it.", d->name, d->usb_bus);
		return NULL;
	}
	if (d->bridge)
		return xasprintf("%s is a PCI bridge (class %s): it carries other devices and "
		                 "cannot be passed through; pass through a device behind it.", d->name,
		                 d->pci_class ? d->pci_class : "0x06");
	if (d->host_use)
		return xasprintf("%s is the host's own: it carries the host's %s; passing it "
		                 "through would take that away from the host.", d->name, d->host_use);
	if (d->iommu_group < 0)
		return xasprintf("%s: the host has no IOMMU (the device "
		                 "is in no IOMMU group, /sys/kernel/iommu_groups is empty). Turn on "
		                 "VT-d or AMD-Vi in the host's firmware and boot it with "
		                 "intel_iommu=on or amd_iommu=on.", d->name);
	return group_refusal(d, l, vm);
}

/* Are d's vendor and product ids unique among the host's USB devices? */
static bool
usb_ids_unique(const struct nodedev *d, const struct nodedev_list *l)
{
	size_t i, n = 0;

	for (i = 0; l && i < l->n; i++)
		if (l->v[i].bus == NODEDEV_USB && same_id(l->v[i].vendor_id, d->vendor_id) &&
		    same_id(l->v[i].product_id, d->product_id))
			n++;
	return n <= 1;
}

char *
nodedev_hostdev_xml(const struct nodedev *d, const struct nodedev_list *l)
{
	if (d->bus == NODEDEV_PCI)
		return xasprintf("<hostdev mode='subsystem' type='pci' managed='yes'>\n"
		                 "  <source>\n"
		                 "    <address domain='0x%04x' bus='0x%02x' slot='0x%02x' "
		                 "function='0x%x'/>\n"
		                 "  </source>\n"
		                 "</hostdev>\n", d->domain, d->pbus, d->slot, d->function);
	if (d->vendor_id && d->product_id && usb_ids_unique(d, l))
		return xasprintf("<hostdev mode='subsystem' type='usb' managed='yes'>\n"
		                 "  <source>\n"
		                 "    <vendor id='0x%04lx'/>\n"
		                 "    <product id='0x%04lx'/>\n"
		                 "  </source>\n"
		                 "</hostdev>\n", strtoul(d->vendor_id, NULL, 16) & 0xffff,
		                 strtoul(d->product_id, NULL, 16) & 0xffff);
	return xasprintf("<hostdev mode='subsystem' type='usb' managed='yes'>\n"
	                 "  <source>\n"
	                 "    <address bus='%u' device='%u'/>\n"
	                 "  </source>\n"
	                 "</hostdev>\n", d->usb_bus, d->usb_dev);
}

char *
nodedev_label(const struct nodedev *d)
{
	const char *v = d->vendor_id ? d->vendor_id : "?", *p = d->product_id ? d->product_id : "?";
	char *s;

	if (strncmp(v, "0x", 2) == 0)
		v += 2;
	if (strncmp(p, "0x", 2) == 0)
		p += 2;
	s = xasprintf("%s:%s%s%s%s%s", v, p, d->vendor ? " " : "", d->vendor ? d->vendor : "",
	              d->product ? " " : "", d->product ? d->product : "");
	return s;
}
