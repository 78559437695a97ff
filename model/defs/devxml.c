/* devxml.c — a domain's devices, device XML made and the domain XML
 * changed (see devxml.h), with libxml2's tree. */
#include "devxml.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "../base/xmalloc.h"
#include "xwrite.h"

/* ---- small tree helpers ---- */

static bool
is_elem(xmlNodePtr n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && (name == NULL || xmlStrcmp(n->name, BAD_CAST name) == 0);
}

/* The first child element called name, or NULL. */
static xmlNodePtr
child(xmlNodePtr n, const char *name)
{
	xmlNodePtr c;

	for (c = n ? n->children : NULL; c; c = c->next)
		if (is_elem(c, name))
			return c;
	return NULL;
}

/* The attribute as a new string; NULL when absent or empty. */
static char *
attr(xmlNodePtr n, const char *name)
{
	xmlChar *v;
	char *s = NULL;

	if (n == NULL)
		return NULL;
	v = xmlGetProp(n, BAD_CAST name);
	if (v && v[0])
		s = xstrdup((const char *)v);
	xmlFree(v);
	return s;
}

/* attr of the child element cname (NULL: n itself). */
static char *
cattr(xmlNodePtr n, const char *cname, const char *name)
{
	return attr(cname ? child(n, cname) : n, name);
}

/* The element and what it holds as text; format: indented afresh. */
static char *
node_xml(xmlDocPtr doc, xmlNodePtr n, bool format)
{
	xmlBufferPtr b = xmlBufferCreate();
	char *s = NULL;

	if (b == NULL)
		return NULL;
	if (xmlNodeDump(b, doc, n, 0, format ? 1 : 0) >= 0)
		s = xstrdup((const char *)xmlBufferContent(b));
	xmlBufferFree(b);
	return s;
}

static xmlDocPtr
read_blankless(const char *xml)
{
	return xmlReadMemory(xml, (int)strlen(xml), "device.xml", NULL,
	                     XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
	                             XML_PARSE_NOBLANKS);
}

/* A growing line of words. */
struct words {
	char buf[512];
	size_t len;
};

static void __attribute__((format(printf, 2, 3)))
w_add(struct words *w, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (w->len >= sizeof w->buf - 1)
		return;
	if (w->len > 0)
		w->buf[w->len++] = ' ', w->buf[w->len] = '\0';
	va_start(ap, fmt);
	n = vsnprintf(w->buf + w->len, sizeof w->buf - w->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		w->len += (size_t)n < sizeof w->buf - w->len ? (size_t)n : sizeof w->buf - w->len - 1;
}

static void
w_opt(struct words *w, const char *label, const char *v)
{
	if (v && label)
		w_add(w, "%s=%s", label, v);
	else if (v)
		w_add(w, "%s", v);
}

/* ---- reading ---- */

const char *
dev_kind_name(enum dev_kind k)
{
	static const char *const names[DEV_NKINDS] = {
		[DEV_DISK] = "disk", [DEV_CDROM] = "CD-ROM", [DEV_FLOPPY] = "floppy",
		[DEV_NIC] = "NIC", [DEV_GRAPHICS] = "graphics", [DEV_VIDEO] = "video",
		[DEV_SERIAL] = "serial", [DEV_CONSOLE] = "console", [DEV_CHANNEL] = "channel",
		[DEV_TPM] = "TPM", [DEV_RNG] = "RNG", [DEV_WATCHDOG] = "watchdog",
		[DEV_HOSTDEV_USB] = "USB host device", [DEV_HOSTDEV_PCI] = "PCI host device",
		[DEV_HOSTDEV] = "host device", [DEV_CONTROLLER] = "controller",
		[DEV_INPUT] = "input", [DEV_SOUND] = "sound", [DEV_OTHER] = "other",
	};
	return k < DEV_NKINDS ? names[k] : "?";
}

/* A number written in decimal or 0x hex, or -1. */
static long
num(const char *s)
{
	char *end;
	long v;

	if (s == NULL || *s == '\0')
		return -1;
	v = strtol(s, &end, 0);
	return *end == '\0' && v >= 0 ? v : -1;
}

static void
read_disk(xmlNodePtr n, struct dev *d, struct words *w, char *key, size_t ksz)
{
	char *dev = attr(n, "device");
	xmlNodePtr src = child(n, "source");

	d->kind = dev && strcmp(dev, "cdrom") == 0 ? DEV_CDROM :
	          dev && strcmp(dev, "floppy") == 0 ? DEV_FLOPPY : DEV_DISK;
	free(dev);
	d->disk_type = attr(n, "type");
	d->target = cattr(n, "target", "dev");
	d->bus = cattr(n, "target", "bus");
	d->path = attr(src, "file");
	if (d->path == NULL)
		d->path = attr(src, "dev");
	d->pool = attr(src, "pool");
	d->vol = attr(src, "volume");
	d->format = cattr(n, "driver", "type");
	d->cache = cattr(n, "driver", "cache");
	d->discard = cattr(n, "driver", "discard");
	d->readonly = child(n, "readonly") != NULL;
	snprintf(key, ksz, "disk:%s", d->target ? d->target : "?");
	w_opt(w, NULL, d->target ? d->target : "?");
	w_opt(w, NULL, d->bus);
	if (d->kind == DEV_DISK)
		w_opt(w, NULL, d->format);
	if (d->path)
		w_add(w, "%s", d->path);
	else if (d->pool && d->vol)
		w_add(w, "%s/%s", d->pool, d->vol);
	else if (src && (d->disk_type && strcmp(d->disk_type, "network") == 0)) {
		char *proto = attr(src, "protocol"), *name = attr(src, "name");
		w_add(w, "%s:%s", proto ? proto : "network", name ? name : "?");
		free(proto);
		free(name);
	} else if (d->kind != DEV_DISK)
		w_add(w, "(no media)");
	w_opt(w, "cache", d->cache);
	w_opt(w, "discard", d->discard);
	if (d->readonly && d->kind == DEV_DISK)
		w_add(w, "read-only");
}

static void
read_nic(xmlNodePtr n, struct dev *d, struct words *w, char *key, size_t ksz)
{
	xmlNodePtr src = child(n, "source");
	char *link = cattr(n, "link", "state");
	char *p;

	d->kind = DEV_NIC;
	d->nic_type = attr(n, "type");
	d->mac = cattr(n, "mac", "address");
	for (p = d->mac; p && *p; p++)
		*p = (char)tolower((unsigned char)*p);
	if (d->nic_type && strcmp(d->nic_type, "network") == 0)
		d->source = attr(src, "network");
	else if (d->nic_type && strcmp(d->nic_type, "bridge") == 0)
		d->source = attr(src, "bridge");
	else
		d->source = attr(src, "dev");
	d->model = cattr(n, "model", "type");
	d->link_down = link && strcmp(link, "down") == 0;
	free(link);
	snprintf(key, ksz, "nic:%s", d->mac ? d->mac : "");
	w_opt(w, NULL, d->mac ? d->mac : "(no MAC)");
	w_opt(w, NULL, d->nic_type);
	w_opt(w, NULL, d->source);
	w_opt(w, NULL, d->model);
	if (d->link_down)
		w_add(w, "link down");
}

static void
read_hostdev(xmlNodePtr n, struct dev *d, struct words *w, char *key, size_t ksz)
{
	char *type = attr(n, "type"), *managed = attr(n, "managed");
	xmlNodePtr src = child(n, "source"), addr = child(src, "address");

	if (type && strcmp(type, "usb") == 0) {
		char *ven = cattr(src, "vendor", "id"), *prod = cattr(src, "product", "id");
		char *bus = attr(addr, "bus"), *dv = attr(addr, "device");
		d->kind = DEV_HOSTDEV_USB;
		if (ven && prod) {
			snprintf(key, ksz, "hostdev:usb:%s:%s", ven, prod);
			w_add(w, "USB %s:%s", ven, prod);
		} else {
			snprintf(key, ksz, "hostdev:usb:%ld.%ld", num(bus), num(dv));
			w_add(w, "USB bus %ld device %ld", num(bus), num(dv));
		}
		free(ven), free(prod), free(bus), free(dv);
	} else if (type && strcmp(type, "pci") == 0) {
		char *dom = attr(addr, "domain"), *bus = attr(addr, "bus");
		char *slot = attr(addr, "slot"), *fn = attr(addr, "function");
		char pci[32];
		d->kind = DEV_HOSTDEV_PCI;
		snprintf(pci, sizeof pci, "%04lx:%02lx:%02lx.%lx", num(dom) < 0 ? 0 : num(dom),
		         num(bus) & 0xff, num(slot) & 0xff, num(fn) & 0xf);
		snprintf(key, ksz, "hostdev:pci:%s", pci);
		w_add(w, "PCI %s", pci);
		free(dom), free(bus), free(slot), free(fn);
	} else {
		d->kind = DEV_HOSTDEV;
		snprintf(key, ksz, "hostdev:%s", type ? type : "?");
		w_opt(w, NULL, type);
	}
	if (managed && strcmp(managed, "yes") == 0)
		w_add(w, "managed");
	free(type);
	free(managed);
}

/* The other kinds: their key and summary from a few attributes. */
static void
read_misc(xmlNodePtr n, struct dev *d, struct words *w, char *key, size_t ksz)
{
	const char *name = (const char *)n->name;
	char *a = NULL, *b = NULL, *c = NULL;

	if (strcmp(name, "graphics") == 0) {
		d->kind = DEV_GRAPHICS;
		a = attr(n, "type");
		b = attr(n, "listen");
		if (b == NULL)
			b = cattr(n, "listen", "address");
		c = attr(n, "autoport");
		snprintf(key, ksz, "graphics:%s", a ? a : "?");
		w_opt(w, NULL, a);
		w_opt(w, "listen", b);
		if (c && strcmp(c, "no") == 0) {
			free(c);
			c = attr(n, "port");
			w_opt(w, "port", c);
		}
	} else if (strcmp(name, "video") == 0) {
		d->kind = DEV_VIDEO;
		a = cattr(n, "model", "type");
		b = cattr(n, "model", "heads");
		snprintf(key, ksz, "video:%s", a ? a : "?");
		w_opt(w, NULL, a);
		if (b && strcmp(b, "1") != 0)
			w_opt(w, "heads", b);
	} else if (strcmp(name, "serial") == 0 || strcmp(name, "console") == 0) {
		bool con = name[0] == 'c';
		d->kind = con ? DEV_CONSOLE : DEV_SERIAL;
		a = attr(n, "type");
		b = cattr(n, "target", con ? "type" : "port");
		c = con ? cattr(n, "target", "port") : NULL;
		if (con)
			snprintf(key, ksz, "console:%s:%s", b ? b : "serial", c ? c : "0");
		else
			snprintf(key, ksz, "serial:%s", b ? b : "0");
		w_opt(w, NULL, a);
		w_opt(w, con ? NULL : "port", b);
	} else if (strcmp(name, "channel") == 0) {
		d->kind = DEV_CHANNEL;
		a = attr(n, "type");
		b = cattr(n, "target", "name");
		if (b == NULL)
			b = cattr(n, "target", "type");
		snprintf(key, ksz, "channel:%s", b ? b : a ? a : "?");
		w_opt(w, NULL, a);
		w_opt(w, NULL, b);
	} else if (strcmp(name, "tpm") == 0) {
		d->kind = DEV_TPM;
		a = attr(n, "model");
		b = cattr(n, "backend", "type");
		c = cattr(n, "backend", "version");
		snprintf(key, ksz, "tpm:%s", a ? a : "?");
		w_opt(w, NULL, a);
		w_opt(w, NULL, b);
		w_opt(w, "version", c);
	} else if (strcmp(name, "rng") == 0) {
		xmlNodePtr be = child(n, "backend");
		d->kind = DEV_RNG;
		a = attr(n, "model");
		b = attr(be, "model");
		c = be ? (char *)xmlNodeGetContent(be) : NULL;
		snprintf(key, ksz, "rng:%s", a ? a : "?");
		w_opt(w, NULL, a);
		w_opt(w, NULL, b);
		if (c) {
			char *t = c, *e;
			while (isspace((unsigned char)*t))
				t++;
			for (e = t + strlen(t); e > t && isspace((unsigned char)e[-1]); e--)
				;
			if (e > t)
				w_add(w, "%.*s", (int)(e - t), t);
		}
		xmlFree(c);
		c = NULL;
	} else if (strcmp(name, "watchdog") == 0) {
		d->kind = DEV_WATCHDOG;
		a = attr(n, "model");
		b = attr(n, "action");
		snprintf(key, ksz, "watchdog:%s", a ? a : "?");
		w_opt(w, NULL, a);
		w_opt(w, "action", b);
	} else if (strcmp(name, "controller") == 0) {
		d->kind = DEV_CONTROLLER;
		a = attr(n, "type");
		b = attr(n, "index");
		c = attr(n, "model");
		snprintf(key, ksz, "controller:%s:%s", a ? a : "?", b ? b : "0");
		w_opt(w, NULL, a);
		w_opt(w, NULL, c);
		w_opt(w, "index", b);
	} else if (strcmp(name, "input") == 0) {
		d->kind = DEV_INPUT;
		a = attr(n, "type");
		b = attr(n, "bus");
		snprintf(key, ksz, "input:%s:%s", a ? a : "?", b ? b : "?");
		w_opt(w, NULL, a);
		w_opt(w, NULL, b);
	} else if (strcmp(name, "sound") == 0) {
		d->kind = DEV_SOUND;
		a = attr(n, "model");
		snprintf(key, ksz, "sound:%s", a ? a : "?");
		w_opt(w, NULL, a);
	} else {
		d->kind = DEV_OTHER;
		a = attr(n, "model");
		if (a == NULL)
			a = attr(n, "type");
		snprintf(key, ksz, "%s%s%s", name, a ? ":" : "", a ? a : "");
		w_add(w, "%s", name);
		w_opt(w, NULL, a);
	}
	free(a);
	free(b);
	free(c);
}

/* Read one device element into d (its key still without the #N of a
 * repeated one). */
static void
read_dev(xmlDocPtr doc, xmlNodePtr n, struct dev *d, char *key, size_t ksz)
{
	struct words w = { .len = 0 };

	w.buf[0] = '\0';
	if (is_elem(n, "disk"))
		read_disk(n, d, &w, key, ksz);
	else if (is_elem(n, "interface"))
		read_nic(n, d, &w, key, ksz);
	else if (is_elem(n, "hostdev"))
		read_hostdev(n, d, &w, key, ksz);
	else
		read_misc(n, d, &w, key, ksz);
	d->summary = xstrdup(w.buf);
	{
		char *x = node_xml(doc, n, true);
		d->xml = xasprintf("%s\n", x ? x : "");
		free(x);
	}
}

static bool
key_taken(const struct dev_list *l, const char *key)
{
	return dev_list_find(l, key) != NULL;
}

/* The devices of the <devices> element of doc, with their nodes in
 * nodes (when not NULL; l->n of them). -1 when doc is no domain. */
static int
read_devices(xmlDocPtr doc, struct dev_list *l, xmlNodePtr **nodes)
{
	xmlNodePtr root = xmlDocGetRootElement(doc), devs, n;
	size_t cap = 0;

	memset(l, 0, sizeof *l);
	if (nodes)
		*nodes = NULL;
	if (!is_elem(root, "domain"))
		return -1;
	devs = child(root, "devices");
	for (n = devs ? devs->children : NULL; n; n = n->next) {
		char key[300], uniq[320];
		struct dev *d;
		int k;

		if (!is_elem(n, NULL) || is_elem(n, "emulator"))
			continue;
		if (l->n == cap) {
			cap = cap ? cap * 2 : 16;
			l->v = xreallocarray(l->v, cap, sizeof *l->v);
			if (nodes)
				*nodes = xreallocarray(*nodes, cap, sizeof **nodes);
		}
		d = &l->v[l->n];
		memset(d, 0, sizeof *d);
		read_dev(doc, n, d, key, sizeof key);
		snprintf(uniq, sizeof uniq, "%s", key);
		for (k = 2; key_taken(l, uniq); k++)
			snprintf(uniq, sizeof uniq, "%s#%d", key, k);
		d->key = xstrdup(uniq);
		if (nodes)
			(*nodes)[l->n] = n;
		l->n++;
	}
	return 0;
}

int
devxml_parse(const char *domxml, struct dev_list *out, char **err)
{
	xmlDocPtr doc = read_blankless(domxml ? domxml : "");
	int rc;

	*err = NULL;
	memset(out, 0, sizeof *out);
	if (doc == NULL) {
		*err = xstrdup("The domain XML is not well-formed.");
		return -1;
	}
	rc = read_devices(doc, out, NULL);
	if (rc < 0)
		*err = xstrdup("The XML is not a domain: its top element is not <domain>.");
	xmlFreeDoc(doc);
	return rc;
}

static void
dev_free(struct dev *d)
{
	free(d->key);
	free(d->summary);
	free(d->xml);
	free(d->target);
	free(d->bus);
	free(d->disk_type);
	free(d->path);
	free(d->pool);
	free(d->vol);
	free(d->format);
	free(d->cache);
	free(d->discard);
	free(d->mac);
	free(d->nic_type);
	free(d->source);
	free(d->model);
}

void
dev_list_free(struct dev_list *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++)
		dev_free(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

const struct dev *
dev_list_find(const struct dev_list *l, const char *key)
{
	size_t i;

	for (i = 0; l && key && i < l->n; i++)
		if (l->v[i].key && strcmp(l->v[i].key, key) == 0)
			return &l->v[i];
	return NULL;
}

const struct dev *
dev_list_lookup(const struct dev_list *l, const char *name)
{
	size_t i;

	if (l == NULL || name == NULL)
		return NULL;
	for (i = 0; i < l->n; i++) {
		const struct dev *d = &l->v[i];
		if ((d->target && strcmp(d->target, name) == 0) ||
		    (d->mac && strcasecmp(d->mac, name) == 0) || strcmp(d->key, name) == 0)
			return d;
	}
	return NULL;
}

/* ---- checks ---- */

static bool
in(const char *v, const char *const *set)
{
	for (; *set; set++)
		if (strcmp(v, *set) == 0)
			return true;
	return false;
}

const char *
devxml_check_bus(const char *bus, bool cdrom)
{
	static const char *const disk[] = { "virtio", "sata", "scsi", "usb", NULL };
	static const char *const cd[] = { "sata", "scsi", "usb", "ide", NULL };

	if (bus == NULL || in(bus, cdrom ? cd : disk))
		return NULL;
	return cdrom ? "a CD-ROM drive's bus is sata, scsi, usb or ide" :
	               "a disk's bus is virtio, sata, scsi or usb";
}

const char *
devxml_check_cache(const char *cache)
{
	static const char *const set[] = { "default", "none", "writethrough", "writeback",
		                           "directsync", "unsafe", NULL };

	if (cache == NULL || in(cache, set))
		return NULL;
	return "the cache mode is default, none, writethrough, writeback, directsync or unsafe";
}

const char *
devxml_check_discard(const char *discard)
{
	static const char *const set[] = { "unmap", "ignore", NULL };

	if (discard == NULL || in(discard, set))
		return NULL;
	return "discard is unmap (pass the guest's TRIM on) or ignore";
}

const char *
devxml_check_format(const char *format)
{
	static const char *const set[] = { "raw", "qcow2", "qcow", "qed", "vmdk", "vdi", "vpc",
		                           "vhdx", "luks", "iso", NULL };

	if (format == NULL || in(format, set))
		return NULL;
	return "the format is raw, qcow2, qed, vmdk, vdi, vpc, vhdx, luks or iso";
}

const char *
devxml_check_model(const char *model)
{
	static const char *const set[] = { "virtio", "e1000", "e1000e", "rtl8139", "vmxnet3",
		                           "ne2k_pci", "pcnet", NULL };

	if (model == NULL || in(model, set))
		return NULL;
	return "the NIC model is virtio, e1000, e1000e, rtl8139, vmxnet3, ne2k_pci or pcnet";
}

bool
devxml_mac_ok(const char *mac)
{
	int i;

	if (mac == NULL || strlen(mac) != 17)
		return false;
	for (i = 0; i < 17; i++)
		if (i % 3 == 2 ? mac[i] != ':' : !isxdigit((unsigned char)mac[i]))
			return false;
	/* The first octet's low bit set is a multicast address. */
	return (strtoul(mac, NULL, 16) & 1) == 0;
}

void
devxml_mac_make(uint32_t seed, char out[18])
{
	/* A multiplicative hash spreads consecutive seeds apart. */
	uint32_t h = seed * 2654435761u;

	snprintf(out, 18, "52:54:00:%02x:%02x:%02x", (h >> 24) & 0xff, (h >> 16) & 0xff,
	         (h >> 8) & 0xff);
}

bool
devxml_target_ok(const char *t)
{
	size_t p;

	if (t == NULL)
		return false;
	if (strncmp(t, "xvd", 3) == 0)
		p = 3;
	else if (strncmp(t, "hd", 2) == 0 || strncmp(t, "sd", 2) == 0 || strncmp(t, "vd", 2) == 0)
		p = 2;
	else
		return false;
	if (t[p] == '\0' || strlen(t + p) > 3)
		return false;
	for (; t[p]; p++)
		if (t[p] < 'a' || t[p] > 'z')
			return false;
	return true;
}

static bool
target_used(const struct dev_list *l, const char *t)
{
	size_t i;

	for (i = 0; l && i < l->n; i++)
		if (l->v[i].target && strcmp(l->v[i].target, t) == 0)
			return true;
	return false;
}

/* The n-th letters name (0: a, 25: z, 26: aa), as the kernel counts. */
static void
letters(unsigned n, char *out, size_t sz)
{
	char tmp[8];
	int i = 0, j = 0;

	tmp[i++] = (char)('a' + n % 26);
	n /= 26;
	while (n > 0 && i < 7) {
		n--;
		tmp[i++] = (char)('a' + n % 26);
		n /= 26;
	}
	while (i > 0 && (size_t)j < sz - 1)
		out[j++] = tmp[--i];
	out[j] = '\0';
}

char *
devxml_next_target(const struct dev_list *a, const struct dev_list *b, const char *bus)
{
	const char *prefix = "sd";
	char t[16], l[8];
	unsigned n;

	if (bus == NULL || strcmp(bus, "virtio") == 0)
		prefix = "vd";
	else if (strcmp(bus, "ide") == 0)
		prefix = "hd";
	for (n = 0; n < 26 * 27; n++) {
		letters(n, l, sizeof l);
		snprintf(t, sizeof t, "%s%s", prefix, l);
		if (!target_used(a, t) && !target_used(b, t))
			return xstrdup(t);
	}
	return NULL;
}

/* ---- device XML made ---- */

static char *
fail(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static char *
fail(char **err, const char *fmt, ...)
{
	va_list ap, aq;
	int n;

	va_start(ap, fmt);
	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	*err = xcalloc((size_t)(n > 0 ? n : 0) + 1, 1);
	vsnprintf(*err, (size_t)(n > 0 ? n : 0) + 1, fmt, ap);
	va_end(ap);
	return NULL;
}

static bool
all_ok(const char *const *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!xw_ok(v[i]))
			return false;
	return true;
}

char *
devxml_disk(const struct disk_spec *s, char **err)
{
	const char *why, *type;
	const char *strs[] = { s->path, s->pool, s->vol };
	struct xw x;

	*err = NULL;
	if (!devxml_target_ok(s->target))
		return fail(err, "\"%s\" is not a disk target name (like vdb or sdc).",
		            s->target ? s->target : "");
	if ((why = devxml_check_bus(s->bus, s->cdrom)) != NULL)
		return fail(err, "bus \"%s\": %s.", s->bus, why);
	if (s->bus == NULL)
		return fail(err, "No bus given for the %s.", s->cdrom ? "CD-ROM drive" : "disk");
	if ((why = devxml_check_format(s->format)) != NULL)
		return fail(err, "format \"%s\": %s.", s->format, why);
	if ((why = devxml_check_cache(s->cache)) != NULL)
		return fail(err, "cache \"%s\": %s.", s->cache, why);
	if ((why = devxml_check_discard(s->discard)) != NULL)
		return fail(err, "discard \"%s\": %s.", s->discard, why);
	if (!all_ok(strs, 3))
		return fail(err, "The disk's source has a control character.");
	switch (s->src) {
	case DISK_SRC_FILE:
	case DISK_SRC_BLOCK:
		if (s->path == NULL || s->path[0] != '/')
			return fail(err, "\"%s\" is not an absolute path.", s->path ? s->path : "");
		type = s->src == DISK_SRC_FILE ? "file" : "block";
		break;
	case DISK_SRC_VOLUME:
		if (s->pool == NULL || s->vol == NULL || !s->pool[0] || !s->vol[0])
			return fail(err, "A volume source needs a pool and a volume name.");
		type = "volume";
		break;
	default:
		if (!s->cdrom)
			return fail(err, "A disk needs a file, a block device or a volume.");
		type = "file";
		break;
	}
	if (xw_open(&x) < 0)
		return fail(err, "Cannot write XML.");
	xw_start(&x, "disk");
	xw_attr(&x, "type", type);
	xw_attr(&x, "device", s->cdrom ? "cdrom" : "disk");
	xw_start(&x, "driver");
	xw_attr(&x, "name", "qemu");
	xw_attr(&x, "type", s->cdrom ? "raw" : s->format ? s->format : "raw");
	if (s->cache && strcmp(s->cache, "default") != 0)
		xw_attr(&x, "cache", s->cache);
	if (s->discard && !s->cdrom)
		xw_attr(&x, "discard", s->discard);
	xw_end(&x);
	if (s->src == DISK_SRC_FILE)
		xw_empty(&x, "source", "file", s->path);
	else if (s->src == DISK_SRC_BLOCK)
		xw_empty(&x, "source", "dev", s->path);
	else if (s->src == DISK_SRC_VOLUME) {
		xw_start(&x, "source");
		xw_attr(&x, "pool", s->pool);
		xw_attr(&x, "volume", s->vol);
		xw_end(&x);
	}
	xw_start(&x, "target");
	xw_attr(&x, "dev", s->target);
	xw_attr(&x, "bus", s->bus);
	xw_end(&x);
	if (s->cdrom)
		xw_empty(&x, "readonly", NULL, NULL);
	xw_end(&x);
	{
		char *out = xw_close(&x);
		if (out == NULL)
			return fail(err, "Cannot write the disk's XML.");
		return out;
	}
}

/* Parse an element's XML for editing: the doc, and its root checked to be
 * called name. NULL with *err. */
static xmlDocPtr
elem_doc(const char *xml, const char *name, xmlNodePtr *root, char **err)
{
	xmlDocPtr doc = xml ? read_blankless(xml) : NULL;

	*err = NULL;
	*root = doc ? xmlDocGetRootElement(doc) : NULL;
	if (!is_elem(*root, name)) {
		xmlFreeDoc(doc);
		*err = xasprintf("The device XML is not a <%s> element.", name);
		return NULL;
	}
	return doc;
}

static char *
elem_done(xmlDocPtr doc, xmlNodePtr root, char **err)
{
	char *s = node_xml(doc, root, true), *out = s ? xasprintf("%s\n", s) : NULL;

	free(s);
	xmlFreeDoc(doc);
	if (out == NULL)
		*err = xstrdup("Cannot write the device's XML.");
	return out;
}

static void
drop_children(xmlNodePtr n, const char *name)
{
	xmlNodePtr c, next;

	for (c = n->children; c; c = next) {
		next = c->next;
		if (is_elem(c, name)) {
			xmlUnlinkNode(c);
			xmlFreeNode(c);
		}
	}
}

/* A new child element name of n, after the child after (or first). */
static xmlNodePtr
add_child_after(xmlNodePtr n, xmlNodePtr after, const char *name)
{
	xmlNodePtr c = xmlNewNode(NULL, BAD_CAST name);

	if (after)
		xmlAddNextSibling(after, c);
	else if (n->children)
		xmlAddPrevSibling(n->children, c);
	else
		xmlAddChild(n, c);
	return c;
}

char *
devxml_media(const char *cdrom_xml, const char *path, bool block, char **err)
{
	xmlNodePtr root, src;
	xmlDocPtr doc = elem_doc(cdrom_xml, "disk", &root, err);
	xmlChar *dev;

	if (doc == NULL)
		return NULL;
	dev = xmlGetProp(root, BAD_CAST "device");
	if (dev == NULL || (xmlStrcmp(dev, BAD_CAST "cdrom") && xmlStrcmp(dev, BAD_CAST "floppy"))) {
		xmlFree(dev);
		xmlFreeDoc(doc);
		return fail(err, "The disk is no CD-ROM or floppy drive: its media cannot change.");
	}
	xmlFree(dev);
	if (path && (path[0] != '/' || !xw_ok(path))) {
		xmlFreeDoc(doc);
		return fail(err, "\"%s\" is not an absolute path.", path);
	}
	drop_children(root, "source");
	drop_children(root, "backingStore");
	if (path) {
		xmlSetProp(root, BAD_CAST "type", BAD_CAST(block ? "block" : "file"));
		src = add_child_after(root, child(root, "driver"), "source");
		xmlSetProp(src, BAD_CAST(block ? "dev" : "file"), BAD_CAST path);
	} else {
		xmlSetProp(root, BAD_CAST "type", BAD_CAST "file");
	}
	return elem_done(doc, root, err);
}

char *
devxml_disk_tune(const char *disk_xml, const char *cache, const char *discard, char **err)
{
	xmlNodePtr root, drv;
	xmlDocPtr doc;
	const char *why;

	if ((why = devxml_check_cache(cache && cache[0] ? cache : NULL)) != NULL)
		return fail(err, "cache \"%s\": %s.", cache, why);
	if ((why = devxml_check_discard(discard && discard[0] ? discard : NULL)) != NULL)
		return fail(err, "discard \"%s\": %s.", discard, why);
	if ((doc = elem_doc(disk_xml, "disk", &root, err)) == NULL)
		return NULL;
	if ((drv = child(root, "driver")) == NULL) {
		drv = add_child_after(root, NULL, "driver");
		xmlSetProp(drv, BAD_CAST "name", BAD_CAST "qemu");
	}
	if (cache && (cache[0] == '\0' || strcmp(cache, "default") == 0))
		xmlUnsetProp(drv, BAD_CAST "cache");
	else if (cache)
		xmlSetProp(drv, BAD_CAST "cache", BAD_CAST cache);
	if (discard && discard[0] == '\0')
		xmlUnsetProp(drv, BAD_CAST "discard");
	else if (discard)
		xmlSetProp(drv, BAD_CAST "discard", BAD_CAST discard);
	return elem_done(doc, root, err);
}

char *
devxml_nic(const struct nic_spec *s, char **err)
{
	const char *why;
	const char *strs[] = { s->source };
	struct xw x;
	char *out;

	*err = NULL;
	if (s->type == NULL || (strcmp(s->type, "network") && strcmp(s->type, "bridge")))
		return fail(err, "A NIC is on a network or a bridge, not \"%s\".",
		            s->type ? s->type : "");
	if (s->source == NULL || s->source[0] == '\0' || !all_ok(strs, 1))
		return fail(err, "No %s named for the NIC.", s->type);
	if ((why = devxml_check_model(s->model)) != NULL)
		return fail(err, "model \"%s\": %s.", s->model, why);
	if (s->mac && !devxml_mac_ok(s->mac))
		return fail(err, "\"%s\" is not a unicast MAC address (like 52:54:00:12:34:56).",
		            s->mac);
	if (xw_open(&x) < 0)
		return fail(err, "Cannot write XML.");
	xw_start(&x, "interface");
	xw_attr(&x, "type", s->type);
	if (s->mac) {
		char mac[18];
		size_t i;
		for (i = 0; i < 17; i++)
			mac[i] = (char)tolower((unsigned char)s->mac[i]);
		mac[17] = '\0';
		xw_empty(&x, "mac", "address", mac);
	}
	xw_empty(&x, "source", s->type, s->source);
	xw_empty(&x, "model", "type", s->model ? s->model : "virtio");
	if (s->link_down)
		xw_empty(&x, "link", "state", "down");
	xw_end(&x);
	out = xw_close(&x);
	if (out == NULL)
		return fail(err, "Cannot write the NIC's XML.");
	return out;
}

char *
devxml_nic_link(const char *nic_xml, bool down, char **err)
{
	xmlNodePtr root, link;
	xmlDocPtr doc = elem_doc(nic_xml, "interface", &root, err);

	if (doc == NULL)
		return NULL;
	if ((link = child(root, "link")) == NULL) {
		xmlNodePtr after = child(root, "model");
		if (after == NULL)
			after = child(root, "source");
		link = add_child_after(root, after, "link");
	}
	xmlSetProp(link, BAD_CAST "state", BAD_CAST(down ? "down" : "up"));
	return elem_done(doc, root, err);
}

char *
devxml_nic_move(const char *nic_xml, const char *type, const char *source, char **err)
{
	xmlNodePtr root, src;
	xmlDocPtr doc;

	if (type == NULL || (strcmp(type, "network") && strcmp(type, "bridge")))
		return fail(err, "A NIC moves to a network or a bridge, not \"%s\".", type ? type : "");
	if (source == NULL || !source[0] || !xw_ok(source))
		return fail(err, "No %s named to move the NIC to.", type);
	if ((doc = elem_doc(nic_xml, "interface", &root, err)) == NULL)
		return NULL;
	drop_children(root, "source");
	xmlSetProp(root, BAD_CAST "type", BAD_CAST type);
	src = add_child_after(root, child(root, "mac"), "source");
	xmlSetProp(src, BAD_CAST type, BAD_CAST source);
	return elem_done(doc, root, err);
}

char *
devxml_volume(const char *name, uint64_t capacity, const char *format, char **err)
{
	const char *why;
	struct xw x;
	char *out;

	*err = NULL;
	if (name == NULL || name[0] == '\0' || strchr(name, '/') || !xw_ok(name))
		return fail(err, "\"%s\" is not a volume name (no slash, no control character).",
		            name ? name : "");
	if ((why = devxml_check_format(format)) != NULL)
		return fail(err, "format \"%s\": %s.", format, why);
	if (capacity == 0)
		return fail(err, "A new volume needs a size (like 10G).");
	if (xw_open(&x) < 0)
		return fail(err, "Cannot write XML.");
	xw_start(&x, "volume");
	xw_elem(&x, "name", name);
	xw_start(&x, "capacity");
	xw_attr(&x, "unit", "bytes");
	{
		char buf[24];
		snprintf(buf, sizeof buf, "%llu", (unsigned long long)capacity);
		xw_text(&x, buf);
	}
	xw_end(&x);
	xw_start(&x, "target");
	xw_empty(&x, "format", "type", format ? format : "raw");
	xw_end(&x);
	xw_end(&x);
	out = xw_close(&x);
	if (out == NULL)
		return fail(err, "Cannot write the volume's XML.");
	return out;
}

/* ---- the domain XML changed ---- */

/* The domain doc without blanks, its devices and their nodes. */
static xmlDocPtr
dom_doc(const char *domxml, struct dev_list *l, xmlNodePtr **nodes, char **err)
{
	xmlDocPtr doc = domxml ? read_blankless(domxml) : NULL;

	*err = NULL;
	if (doc == NULL) {
		*err = xstrdup("The domain XML is not well-formed.");
		return NULL;
	}
	if (read_devices(doc, l, nodes) < 0) {
		xmlFreeDoc(doc);
		*err = xstrdup("The XML is not a domain: its top element is not <domain>.");
		return NULL;
	}
	return doc;
}

static char *
dom_done(xmlDocPtr doc, struct dev_list *l, xmlNodePtr *nodes, char **err)
{
	char *s = node_xml(doc, xmlDocGetRootElement(doc), true), *out = NULL;

	if (s)
		out = xasprintf("%s\n", s);
	else
		*err = xstrdup("Cannot write the domain XML.");
	free(s);
	dev_list_free(l);
	free(nodes);
	xmlFreeDoc(doc);
	return out;
}

char *
devxml_dom_normal(const char *domxml, char **err)
{
	struct dev_list l;
	xmlNodePtr *nodes;
	xmlDocPtr doc = dom_doc(domxml, &l, &nodes, err);

	return doc ? dom_done(doc, &l, nodes, err) : NULL;
}

/* The device element of dev_xml copied into doc, or NULL. */
static xmlNodePtr
dev_node(xmlDocPtr doc, const char *dev_xml, char **err)
{
	xmlDocPtr d = dev_xml ? read_blankless(dev_xml) : NULL;
	xmlNodePtr r = d ? xmlDocGetRootElement(d) : NULL, copy = NULL;

	if (r == NULL)
		*err = xstrdup("The device XML is not well-formed.");
	else
		copy = xmlDocCopyNode(r, doc, 1);
	xmlFreeDoc(d);
	return copy;
}

char *
devxml_dom_add(const char *domxml, const char *dev_xml, char **err)
{
	struct dev_list l;
	xmlNodePtr *nodes, root, devs, n, last = NULL, emu = NULL;
	xmlDocPtr doc = dom_doc(domxml, &l, &nodes, err);
	size_t i;

	if (doc == NULL)
		return NULL;
	if ((n = dev_node(doc, dev_xml, err)) == NULL) {
		dev_list_free(&l);
		free(nodes);
		xmlFreeDoc(doc);
		return NULL;
	}
	root = xmlDocGetRootElement(doc);
	if ((devs = child(root, "devices")) == NULL)
		devs = xmlNewChild(root, NULL, BAD_CAST "devices", NULL);
	emu = child(devs, "emulator");
	for (i = 0; i < l.n; i++)
		if (xmlStrcmp(nodes[i]->name, n->name) == 0)
			last = nodes[i];
	if (last)
		xmlAddNextSibling(last, n);
	else if (emu && is_elem(n, "disk"))
		xmlAddNextSibling(emu, n);
	else
		xmlAddChild(devs, n);
	return dom_done(doc, &l, nodes, err);
}

/* Remove (dev_xml NULL) or replace the device of key. */
static char *
dom_swap(const char *domxml, const char *key, const char *dev_xml, char **err)
{
	struct dev_list l;
	xmlNodePtr *nodes, n = NULL;
	xmlDocPtr doc = dom_doc(domxml, &l, &nodes, err);
	size_t i;

	if (doc == NULL)
		return NULL;
	for (i = 0; i < l.n; i++)
		if (strcmp(l.v[i].key, key) == 0)
			break;
	if (i == l.n) {
		*err = xasprintf("The domain has no device %s.", key);
		goto bad;
	}
	if (dev_xml && (n = dev_node(doc, dev_xml, err)) == NULL)
		goto bad;
	if (n)
		xmlAddNextSibling(nodes[i], n);
	xmlUnlinkNode(nodes[i]);
	xmlFreeNode(nodes[i]);
	return dom_done(doc, &l, nodes, err);
bad:
	dev_list_free(&l);
	free(nodes);
	xmlFreeDoc(doc);
	return NULL;
}

char *
devxml_dom_remove(const char *domxml, const char *key, char **err)
{
	return dom_swap(domxml, key, NULL, err);
}

char *
devxml_dom_replace(const char *domxml, const char *key, const char *dev_xml, char **err)
{
	return dom_swap(domxml, key, dev_xml, err);
}
