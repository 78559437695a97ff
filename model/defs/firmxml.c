/* firmxml.c — boot, CPU, firmware and TPM in a domain's XML, and the
 * host's domain capabilities (see firmxml.h). */
#include "firmxml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

#include "../base/xmalloc.h"
#include "xpath.h"

/* ---- reading and writing the tree ---- */

static xmlDocPtr
parse(const char *xml)
{
	if (xml == NULL)
		return NULL;
	return xmlReadMemory(xml, (int)strlen(xml), "domain.xml", NULL,
	                     XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOERROR |
	                     XML_PARSE_NOWARNING);
}

static void
put_escaped(FILE *f, const char *s, bool attr)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '\'': fputs(attr ? "&apos;" : "'", f); break;
		case '\n': fputs(attr ? "&#10;" : "\n", f); break;
		case '\t': fputs(attr ? "&#9;" : "\t", f); break;
		case '\r': fputs("&#13;", f); break;
		default: fputc(*s, f);
		}
	}
}

static void
put_name(FILE *f, xmlNodePtr n)
{
	if (n->ns && n->ns->prefix)
		fprintf(f, "%s:", (const char *)n->ns->prefix);
	fputs((const char *)n->name, f);
}

/* One element and what it holds, as libvirt lays it out. */
static void
dump_elem(FILE *f, xmlNodePtr n, int depth)
{
	xmlNsPtr ns;
	xmlAttrPtr a;
	xmlNodePtr c;
	bool elems = false, any = false;

	fprintf(f, "%*s<", depth * 2, "");
	put_name(f, n);
	for (ns = n->nsDef; ns; ns = ns->next) {
		fprintf(f, " xmlns%s%s='", ns->prefix ? ":" : "",
		        ns->prefix ? (const char *)ns->prefix : "");
		put_escaped(f, ns->href ? (const char *)ns->href : "", true);
		fputc('\'', f);
	}
	for (a = n->properties; a; a = a->next) {
		xmlChar *v = xmlNodeListGetString(n->doc, a->children, 1);
		fputc(' ', f);
		if (a->ns && a->ns->prefix)
			fprintf(f, "%s:", (const char *)a->ns->prefix);
		fprintf(f, "%s='", (const char *)a->name);
		put_escaped(f, v ? (const char *)v : "", true);
		fputc('\'', f);
		xmlFree(v);
	}
	for (c = n->children; c; c = c->next) {
		any = true;
		if (c->type == XML_ELEMENT_NODE || c->type == XML_COMMENT_NODE)
			elems = true;
	}
	if (!any) {
		fputs("/>\n", f);
		return;
	}
	fputc('>', f);
	if (elems)
		fputc('\n', f);
	for (c = n->children; c; c = c->next) {
		if (c->type == XML_ELEMENT_NODE) {
			dump_elem(f, c, depth + 1);
		} else if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
			if (elems)
				fprintf(f, "%*s", (depth + 1) * 2, "");
			put_escaped(f, c->content ? (const char *)c->content : "", false);
			if (elems)
				fputc('\n', f);
		} else if (c->type == XML_COMMENT_NODE) {
			fprintf(f, "%*s<!--%s-->\n", (depth + 1) * 2, "",
			        c->content ? (const char *)c->content : "");
		}
	}
	if (elems)
		fprintf(f, "%*s", depth * 2, "");
	fputs("</", f);
	put_name(f, n);
	fputs(">\n", f);
}

static char *
dump(xmlDocPtr doc)
{
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);

	if (f == NULL)
		return NULL;
	dump_elem(f, xmlDocGetRootElement(doc), 0);
	fclose(f);
	return s;
}

char *
firmxml_normalize(const char *xml)
{
	xmlDocPtr doc = parse(xml);
	char *s;

	if (doc == NULL || xmlDocGetRootElement(doc) == NULL) {
		xmlFreeDoc(doc);
		return NULL;
	}
	s = dump(doc);
	xmlFreeDoc(doc);
	return s;
}

/* ---- small tree helpers ---- */

static xmlNodePtr
child(xmlNodePtr n, const char *name)
{
	xmlNodePtr c;

	for (c = n ? n->children : NULL; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0)
			return c;
	return NULL;
}

/* The child called name, made (last, or first when first) if missing. */
static xmlNodePtr
child_make(xmlNodePtr n, const char *name, bool first)
{
	xmlNodePtr c = child(n, name);

	if (c != NULL)
		return c;
	c = xmlNewNode(NULL, BAD_CAST name);
	if (first && n->children)
		xmlAddPrevSibling(n->children, c);
	else
		xmlAddChild(n, c);
	return c;
}

/* Put c after the last child of n called after (or first / last). */
static void
place_after(xmlNodePtr n, xmlNodePtr c, const char *const *after)
{
	xmlNodePtr k, last = NULL;
	size_t i;

	for (k = n->children; k; k = k->next)
		for (i = 0; after[i]; i++)
			if (k->type == XML_ELEMENT_NODE && strcmp((const char *)k->name, after[i]) == 0)
				last = k;
	if (last)
		xmlAddNextSibling(last, c);
	else if (n->children)
		xmlAddPrevSibling(n->children, c);
	else
		xmlAddChild(n, c);
}

static void
drop_children(xmlNodePtr n, const char *name)
{
	xmlNodePtr c, next;

	for (c = n ? n->children : NULL; c; c = next) {
		next = c->next;
		if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0) {
			xmlUnlinkNode(c);
			xmlFreeNode(c);
		}
	}
}

static char *
prop(xmlNodePtr n, const char *name)
{
	xmlChar *v = n ? xmlGetProp(n, BAD_CAST name) : NULL;
	char *s = v && *v ? xstrdup((const char *)v) : NULL;

	xmlFree(v);
	return s;
}

static bool
prop_is(xmlNodePtr n, const char *name, const char *value)
{
	char *v = prop(n, name);
	bool is = v && strcmp(v, value) == 0;

	free(v);
	return is;
}

static unsigned
prop_u(xmlNodePtr n, const char *name)
{
	char *v = prop(n, name), *end;
	unsigned long u = v ? strtoul(v, &end, 10) : 0;

	if (v && (*end || u > 65536))
		u = 0;
	free(v);
	return (unsigned)u;
}

static xmlDocPtr
open_domain(const char *xml, char **err)
{
	xmlDocPtr doc = parse(xml);
	xmlNodePtr r = doc ? xmlDocGetRootElement(doc) : NULL;

	if (r == NULL || strcmp((const char *)r->name, "domain") != 0) {
		*err = xstrdup("This is not a domain's XML.");
		xmlFreeDoc(doc);
		return NULL;
	}
	return doc;
}

static char *
close_domain(xmlDocPtr doc, char **err)
{
	char *s = dump(doc);

	if (s == NULL)
		*err = xstrdup("Cannot write the changed XML (out of memory).");
	xmlFreeDoc(doc);
	return s;
}

/* ---- reading ---- */

static const char *
disk_kind(xmlNodePtr disk)
{
	char *d = prop(disk, "device");
	const char *k = "hd";

	if (d && strcmp(d, "cdrom") == 0)
		k = "cdrom";
	else if (d && strcmp(d, "floppy") == 0)
		k = "fd";
	free(d);
	return k;
}

static void
add_bootdev(struct firm_info *fi, const char *kind, char *name, unsigned order)
{
	size_t i;

	fi->bootdevs = xreallocarray(fi->bootdevs, fi->nbootdevs + 1, sizeof *fi->bootdevs);
	for (i = fi->nbootdevs; i > 0 && fi->bootdevs[i - 1].order > order; i--)
		fi->bootdevs[i] = fi->bootdevs[i - 1];
	fi->bootdevs[i] = (struct firm_bootdev){ xstrdup(kind), name ? name : xstrdup("?"), order };
	fi->nbootdevs++;
}

static char *
hostdev_name(xmlXPathContextPtr ctx, xmlNodePtr n)
{
	char *d = xpath_str_at(ctx, n, "string(source/address/@domain)");
	char *b = xpath_str_at(ctx, n, "string(source/address/@bus)");
	char *s = xpath_str_at(ctx, n, "string(source/address/@slot)");
	char *f = xpath_str_at(ctx, n, "string(source/address/@function)");
	char *v = xpath_str_at(ctx, n, "string(source/vendor/@id)");
	char *p = xpath_str_at(ctx, n, "string(source/product/@id)");
	char *dev = xpath_str_at(ctx, n, "string(source/address/@device)");
	char *name;

	if (s && f)
		name = xasprintf("pci %04lx:%02lx:%02lx.%lx", d ? strtoul(d, NULL, 0) & 0xffff : 0,
		                 b ? strtoul(b, NULL, 0) & 0xff : 0, strtoul(s, NULL, 0) & 0x1f,
		                 strtoul(f, NULL, 0) & 7);
	else if (v && p)
		name = xasprintf("usb %s:%s", v, p);
	else
		name = xasprintf("usb %s.%s", b ? b : "?", dev ? dev : "?");
	free(d), free(b), free(s), free(f), free(v), free(p), free(dev);
	return name;
}

static void
read_boot(xmlXPathContextPtr ctx, struct firm_info *fi)
{
	xmlXPathObjectPtr o;
	char *s;
	int k;

	ctx->node = NULL;
	o = xmlXPathEvalExpression(BAD_CAST "/domain/os/boot/@dev", ctx);
	for (k = 0; o && o->nodesetval && k < o->nodesetval->nodeNr; k++) {
		xmlChar *v = xmlNodeGetContent(o->nodesetval->nodeTab[k]);
		fi->boot = xreallocarray(fi->boot, fi->nboot + 1, sizeof *fi->boot);
		fi->boot[fi->nboot++] = xstrdup(v ? (const char *)v : "");
		xmlFree(v);
	}
	xmlXPathFreeObject(o);
	o = xmlXPathEvalExpression(BAD_CAST "/domain/devices/*[boot/@order]", ctx);
	for (k = 0; o && o->nodesetval && k < o->nodesetval->nodeNr; k++) {
		xmlNodePtr n = o->nodesetval->nodeTab[k];
		const char *el = (const char *)n->name;
		unsigned order = prop_u(child(n, "boot"), "order");
		if (strcmp(el, "disk") == 0)
			add_bootdev(fi, disk_kind(n), xpath_str_at(ctx, n, "string(target/@dev)"), order);
		else if (strcmp(el, "interface") == 0)
			add_bootdev(fi, "network", xpath_str_at(ctx, n, "string(mac/@address)"), order);
		else if (strcmp(el, "hostdev") == 0)
			add_bootdev(fi, "hostdev", hostdev_name(ctx, n), order);
		else
			add_bootdev(fi, el, NULL, order);
	}
	xmlXPathFreeObject(o);
	ctx->node = NULL;
	s = xpath_str(ctx, "string(/domain/os/bootmenu/@enable)");
	fi->boot_menu = s == NULL ? -1 : strcmp(s, "yes") == 0;
	free(s);
	fi->direct_kernel = xpath_count(ctx, "/domain/os/kernel") > 0;
}

static void
read_firmware(xmlXPathContextPtr ctx, struct firm_info *fi)
{
	char *fw = xpath_str(ctx, "string(/domain/os/@firmware)");
	char *ltype = xpath_str(ctx, "string(/domain/os/loader/@type)");
	char *sec = xpath_str(ctx, "string(/domain/os/loader/@secure)");
	char *feat = xpath_str(ctx, "string(/domain/os/firmware/feature[@name='secure-boot']"
	                       "/@enabled)");
	char *smm = xpath_str(ctx, "string(/domain/features/smm/@state)");

	fi->loader = xpath_str(ctx, "string(/domain/os/loader)");
	fi->efi = (fw && strcmp(fw, "efi") == 0) || (ltype && strcmp(ltype, "pflash") == 0) ||
	          (fi->loader && (strstr(fi->loader, "OVMF") || strstr(fi->loader, "edk2") ||
	                          strstr(fi->loader, "AAVMF")));
	if (feat)
		fi->secure_boot = strcmp(feat, "yes") == 0;
	else if (sec)
		fi->secure_boot = strcmp(sec, "yes") == 0;
	else
		fi->secure_boot = -1;
	fi->smm = xpath_count(ctx, "/domain/features/smm") > 0 && (smm == NULL || strcmp(smm, "on") == 0);
	free(fw), free(ltype), free(sec), free(feat), free(smm);
}

int
firmxml_read(const char *xml, struct firm_info *fi, char **err)
{
	xmlDocPtr doc;
	xmlXPathContextPtr ctx;
	char *s;

	memset(fi, 0, sizeof *fi);
	if ((doc = open_domain(xml, err)) == NULL)
		return -1;
	ctx = xmlXPathNewContext(doc);
	if (ctx == NULL) {
		xmlFreeDoc(doc);
		*err = xstrdup("Cannot read the domain's XML (out of memory).");
		return -1;
	}
	fi->name = xpath_str(ctx, "string(/domain/name)");
	fi->type = xpath_str(ctx, "string(/domain/@type)");
	fi->arch = xpath_str(ctx, "string(/domain/os/type/@arch)");
	fi->machine = xpath_str(ctx, "string(/domain/os/type/@machine)");
	fi->emulator = xpath_str(ctx, "string(/domain/devices/emulator)");
	s = xpath_str(ctx, "string(/domain/vcpu)");
	fi->vcpus_max = s ? (unsigned)strtoul(s, NULL, 10) : 1;
	free(s);
	read_boot(ctx, fi);
	fi->cpu_mode = xpath_str(ctx, "string(/domain/cpu/@mode)");
	fi->cpu_model = xpath_str(ctx, "string(/domain/cpu/model)");
	if (fi->cpu_mode == NULL && fi->cpu_model)
		fi->cpu_mode = xstrdup("custom");
	{
		xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST "/domain/cpu/topology", ctx);
		if (o && o->nodesetval && o->nodesetval->nodeNr > 0) {
			xmlNodePtr t = o->nodesetval->nodeTab[0];
			fi->sockets = prop_u(t, "sockets");
			fi->dies = prop_u(t, "dies");
			fi->cores = prop_u(t, "cores");
			fi->threads = prop_u(t, "threads");
		}
		xmlXPathFreeObject(o);
	}
	read_firmware(ctx, fi);
	fi->tpm_model = xpath_str(ctx, "string(/domain/devices/tpm/@model)");
	fi->tpm_backend = xpath_str(ctx, "string(/domain/devices/tpm/backend/@type)");
	fi->tpm_version = xpath_str(ctx, "string(/domain/devices/tpm/backend/@version)");
	if (fi->tpm_model == NULL && xpath_count(ctx, "/domain/devices/tpm") > 0)
		fi->tpm_model = xstrdup("tpm-tis"); /* libvirt's default model on x86 */
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return 0;
}

void
firm_info_free(struct firm_info *fi)
{
	size_t i;

	if (fi == NULL)
		return;
	free(fi->name), free(fi->type), free(fi->arch), free(fi->machine), free(fi->emulator);
	xfree_strv(fi->boot, fi->nboot);
	for (i = 0; i < fi->nbootdevs; i++)
		free(fi->bootdevs[i].kind), free(fi->bootdevs[i].name);
	free(fi->bootdevs);
	free(fi->cpu_mode), free(fi->cpu_model), free(fi->loader);
	free(fi->tpm_model), free(fi->tpm_backend), free(fi->tpm_version);
	memset(fi, 0, sizeof *fi);
}

char *
firm_boot_text(const struct firm_info *fi)
{
	char *s = NULL, *t;
	size_t i;

	if (fi->nbootdevs) {
		for (i = 0; i < fi->nbootdevs; i++) {
			t = xasprintf("%s %s", fi->bootdevs[i].kind, fi->bootdevs[i].name);
			s = xjoin(s, ", ", t);
			free(t);
		}
	} else {
		for (i = 0; i < fi->nboot; i++)
			s = xjoin(s, ",", fi->boot[i]);
	}
	if (s == NULL)
		s = xstrdup(fi->direct_kernel ? "kernel" : "hd");
	t = xasprintf("%s%s%s", s, fi->boot_menu == 1 ? " (menu on)" : " (menu off)",
	              fi->direct_kernel ? " [direct kernel boot: the order is not used]" : "");
	free(s);
	return t;
}

char *
firm_cpu_text(const struct firm_info *fi)
{
	const char *mode = fi->cpu_mode ? fi->cpu_mode : "default";
	char *s;

	if (fi->cpu_model && strcmp(mode, "custom") == 0)
		s = xasprintf("%s", fi->cpu_model);
	else
		s = xstrdup(mode);
	if (fi->sockets) {
		char *t = xasprintf("%s, %u socket%s x %u core%s x %u thread%s", s, fi->sockets,
		                    fi->sockets == 1 ? "" : "s", fi->cores, fi->cores == 1 ? "" : "s",
		                    fi->threads, fi->threads == 1 ? "" : "s");
		free(s);
		s = t;
	}
	return s;
}

char *
firm_firmware_text(const struct firm_info *fi)
{
	if (!fi->efi)
		return xstrdup("BIOS");
	return xasprintf("UEFI, Secure Boot %s", fi->secure_boot == 1 ? "on" : "off");
}

/* ---- changing ---- */

/* Whether a device element is of a boot kind. */
static bool
of_kind(xmlNodePtr n, const char *kind)
{
	const char *el = (const char *)n->name;

	if (strcmp(el, "disk") == 0)
		return strcmp(disk_kind(n), kind) == 0;
	if (strcmp(el, "interface") == 0)
		return strcmp(kind, "network") == 0;
	return false;
}

/* Per-device order: the devices of each kind in turn (those that had an
 * order first, by it), the others without one. */
static void
renumber(xmlNodePtr devices, const char *const *devs, size_t n)
{
	xmlNodePtr c, *list = NULL;
	size_t nl = 0, i, k, j;
	unsigned order = 1;

	for (c = devices->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE) {
			list = xreallocarray(list, nl + 1, sizeof *list);
			list[nl++] = c;
		}
	/* stable: devices with an order, by it, then the others in document order */
	for (i = 1; i < nl; i++)
		for (k = i; k > 0; k--) {
			unsigned a = prop_u(child(list[k - 1], "boot"), "order");
			unsigned b = prop_u(child(list[k], "boot"), "order");
			if ((a == 0 && b != 0) || (a && b && a > b)) {
				xmlNodePtr t = list[k];
				list[k] = list[k - 1];
				list[k - 1] = t;
			} else {
				break;
			}
		}
	for (i = 0; i < nl; i++)
		if (strcmp((const char *)list[i]->name, "hostdev") != 0)
			drop_children(list[i], "boot");
	/* host devices keep their order numbers after the kinds given */
	for (i = 0; i < n; i++)
		for (k = 0; k < nl; k++)
			if (of_kind(list[k], devs[i])) {
				char num[16];
				xmlNodePtr b = xmlNewNode(NULL, BAD_CAST "boot");
				snprintf(num, sizeof num, "%u", order++);
				xmlNewProp(b, BAD_CAST "order", BAD_CAST num);
				xmlAddChild(list[k], b);
			}
	for (j = 0; j < nl; j++) {
		xmlNodePtr b = child(list[j], "boot");
		if (b && strcmp((const char *)list[j]->name, "hostdev") == 0) {
			char num[16];
			snprintf(num, sizeof num, "%u", order++);
			xmlSetProp(b, BAD_CAST "order", BAD_CAST num);
		}
	}
	free(list);
}

char *
firmxml_set_boot(const char *xml, const char *const *devs, size_t n, int menu, char **err)
{
	/* libvirt's order: type, firmware, loader, nvram, kernel, initrd,
	 * cmdline, dtb, acpi, boot, bootmenu */
	static const char *const after_boot[] = { "type", "firmware", "loader", "nvram", "kernel",
		"initrd", "cmdline", "dtb", "acpi", "boot", NULL };
	static const char *const after_menu[] = { "type", "firmware", "loader", "nvram", "kernel",
		"initrd", "cmdline", "dtb", "acpi", "boot", NULL };
	xmlDocPtr doc;
	xmlNodePtr root, os, devices, c;
	bool per_device = false;
	size_t i;

	if ((doc = open_domain(xml, err)) == NULL)
		return NULL;
	root = xmlDocGetRootElement(doc);
	os = child_make(root, "os", false);
	devices = child(root, "devices");
	for (c = devices ? devices->children : NULL; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && child(c, "boot"))
			per_device = true; /* libvirt refuses <os><boot> beside any */
	if (n > 0) {
		if (per_device) {
			renumber(devices, devs, n);
		} else {
			drop_children(os, "boot");
			for (i = 0; i < n; i++) {
				xmlNodePtr b = xmlNewNode(NULL, BAD_CAST "boot");
				xmlNewProp(b, BAD_CAST "dev", BAD_CAST devs[i]);
				place_after(os, b, after_boot);
			}
		}
	}
	if (menu >= 0) {
		c = child(os, "bootmenu");
		if (c == NULL) {
			c = xmlNewNode(NULL, BAD_CAST "bootmenu");
			place_after(os, c, after_menu);
		}
		xmlSetProp(c, BAD_CAST "enable", BAD_CAST(menu ? "yes" : "no"));
		if (!menu)
			xmlUnsetProp(c, BAD_CAST "timeout");
	}
	return close_domain(doc, err);
}

char *
firmxml_set_cpu(const char *xml, const char *mode, const char *model, unsigned sockets,
                unsigned cores, unsigned threads, char **err)
{
	static const char *const after_cpu[] = { "features", NULL };
	xmlDocPtr doc;
	xmlNodePtr root, cpu;
	char *cur;

	if ((doc = open_domain(xml, err)) == NULL)
		return NULL;
	root = xmlDocGetRootElement(doc);
	cpu = child(root, "cpu");
	if (cpu == NULL) {
		cpu = xmlNewNode(NULL, BAD_CAST "cpu");
		place_after(root, cpu, after_cpu);
	}
	cur = prop(cpu, "mode");
	if (mode == NULL && model != NULL)
		mode = "custom";
	if (mode != NULL) {
		xmlSetProp(cpu, BAD_CAST "mode", BAD_CAST mode);
		if (strcmp(mode, "custom") == 0) {
			xmlNodePtr m;
			if (model == NULL && child(cpu, "model") == NULL) {
				free(cur);
				xmlFreeDoc(doc);
				*err = xstrdup("A custom CPU needs a model name (e.g. --model Nehalem).");
				return NULL;
			}
			if (!prop_is(cpu, "match", "minimum") && !prop_is(cpu, "match", "strict"))
				xmlSetProp(cpu, BAD_CAST "match", BAD_CAST "exact");
			xmlUnsetProp(cpu, BAD_CAST "migratable");
			if (model != NULL) {
				m = child_make(cpu, "model", true);
				xmlNodeSetContent(m, NULL);
				xmlNodeAddContent(m, BAD_CAST model);
				if (!xmlHasProp(m, BAD_CAST "fallback"))
					xmlSetProp(m, BAD_CAST "fallback", BAD_CAST "forbid");
			}
		} else {
			/* the host's CPU: no model or vendor of its own */
			drop_children(cpu, "model");
			drop_children(cpu, "vendor");
			xmlUnsetProp(cpu, BAD_CAST "match");
			if (strcmp(mode, "host-passthrough") == 0)
				xmlSetProp(cpu, BAD_CAST "migratable", BAD_CAST "on");
			else
				xmlUnsetProp(cpu, BAD_CAST "migratable");
		}
	}
	free(cur);
	if (sockets > 0) {
		static const char *const after_topo[] = { "model", "vendor", NULL };
		xmlNodePtr t = child(cpu, "topology");
		char v[16];
		if (t == NULL) {
			t = xmlNewNode(NULL, BAD_CAST "topology");
			place_after(cpu, t, after_topo);
		}
		snprintf(v, sizeof v, "%u", sockets);
		xmlSetProp(t, BAD_CAST "sockets", BAD_CAST v);
		if (xmlHasProp(t, BAD_CAST "dies"))
			xmlSetProp(t, BAD_CAST "dies", BAD_CAST "1");
		snprintf(v, sizeof v, "%u", cores);
		xmlSetProp(t, BAD_CAST "cores", BAD_CAST v);
		snprintf(v, sizeof v, "%u", threads);
		xmlSetProp(t, BAD_CAST "threads", BAD_CAST v);
	}
	return close_domain(doc, err);
}

static xmlNodePtr
feature(xmlNodePtr fw, const char *name)
{
	xmlNodePtr c;

	for (c = fw->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, "feature") == 0 &&
		    prop_is(c, "name", name))
			return c;
	c = xmlNewNode(NULL, BAD_CAST "feature");
	xmlNewProp(c, BAD_CAST "enabled", BAD_CAST "no");
	xmlNewProp(c, BAD_CAST "name", BAD_CAST name);
	xmlAddChild(fw, c);
	return c;
}

char *
firmxml_set_firmware(const char *xml, bool efi, int secure, char **err)
{
	static const char *const after_fw[] = { "type", NULL };
	xmlDocPtr doc;
	xmlNodePtr root, os, fw;

	if ((doc = open_domain(xml, err)) == NULL)
		return NULL;
	root = xmlDocGetRootElement(doc);
	os = child_make(root, "os", false);
	/* libvirt picks the loader and makes the NVRAM: none of our own */
	drop_children(os, "loader");
	drop_children(os, "nvram");
	if (!efi) {
		xmlUnsetProp(os, BAD_CAST "firmware");
		drop_children(os, "firmware");
		return close_domain(doc, err);
	}
	xmlSetProp(os, BAD_CAST "firmware", BAD_CAST "efi");
	fw = child(os, "firmware");
	if (secure >= 0 || fw != NULL) {
		const char *v = secure == 1 ? "yes" : "no";
		if (fw == NULL) {
			fw = xmlNewNode(NULL, BAD_CAST "firmware");
			place_after(os, fw, after_fw);
		}
		if (secure >= 0) {
			xmlSetProp(feature(fw, "enrolled-keys"), BAD_CAST "enabled", BAD_CAST v);
			xmlSetProp(feature(fw, "secure-boot"), BAD_CAST "enabled", BAD_CAST v);
		}
	}
	if (secure == 1) {
		static const char *const after_feat[] = { "clock", "cpu", "pm", "memtune",
			                                  "blkiotune", "cputune", "os", NULL };
		xmlNodePtr feats = child(root, "features"), smm;
		if (feats == NULL) {
			feats = xmlNewNode(NULL, BAD_CAST "features");
			place_after(root, feats, after_feat);
			xmlAddChild(feats, xmlNewNode(NULL, BAD_CAST "acpi"));
		}
		smm = child_make(feats, "smm", false);
		xmlSetProp(smm, BAD_CAST "state", BAD_CAST "on");
	}
	return close_domain(doc, err);
}

char *
firmxml_set_tpm(const char *xml, const char *model, char **err)
{
	xmlDocPtr doc;
	xmlNodePtr root, devices, tpm, be;

	if ((doc = open_domain(xml, err)) == NULL)
		return NULL;
	root = xmlDocGetRootElement(doc);
	devices = child_make(root, "devices", false);
	drop_children(devices, "tpm");
	if (model != NULL) {
		static const char *const after_tpm[] = { "emulator", "disk", "controller", "lease",
			"filesystem", "interface", "input", "graphics", "sound", "audio", "video",
			"hostdev", "redirdev", "smartcard", "serial", "parallel", "console",
			"channel", "watchdog", NULL };
		tpm = xmlNewNode(NULL, BAD_CAST "tpm");
		xmlNewProp(tpm, BAD_CAST "model", BAD_CAST model);
		be = xmlNewChild(tpm, NULL, BAD_CAST "backend", NULL);
		xmlNewProp(be, BAD_CAST "type", BAD_CAST "emulator");
		xmlNewProp(be, BAD_CAST "version", BAD_CAST "2.0");
		place_after(devices, tpm, after_tpm);
	}
	return close_domain(doc, err);
}

char *
firmxml_add_device(const char *xml, const char *dev, char **err)
{
	xmlDocPtr doc, ddoc;
	xmlNodePtr devices, n;

	if ((doc = open_domain(xml, err)) == NULL)
		return NULL;
	ddoc = parse(dev);
	if (ddoc == NULL || xmlDocGetRootElement(ddoc) == NULL) {
		xmlFreeDoc(ddoc);
		xmlFreeDoc(doc);
		*err = xstrdup("The device's XML is not well-formed.");
		return NULL;
	}
	devices = child_make(xmlDocGetRootElement(doc), "devices", false);
	n = xmlDocCopyNode(xmlDocGetRootElement(ddoc), doc, 1);
	xmlFreeDoc(ddoc);
	if (n == NULL) {
		xmlFreeDoc(doc);
		*err = xstrdup("Cannot copy the device's XML (out of memory).");
		return NULL;
	}
	xmlAddChild(devices, n);
	return close_domain(doc, err);
}

static char *
dump_node(xmlNodePtr n)
{
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);

	if (f == NULL)
		return NULL;
	dump_elem(f, n, 0);
	fclose(f);
	return s;
}

char *
firmxml_drop_device(const char *xml, const char *dev, char **err)
{
	xmlDocPtr doc;
	xmlNodePtr devices, c;
	char *want = firmxml_normalize(dev);

	if (want == NULL) {
		*err = xstrdup("The device's XML is not well-formed.");
		return NULL;
	}
	if ((doc = open_domain(xml, err)) == NULL) {
		free(want);
		return NULL;
	}
	devices = child(xmlDocGetRootElement(doc), "devices");
	for (c = devices ? devices->children : NULL; c; c = c->next) {
		char *s;
		if (c->type != XML_ELEMENT_NODE)
			continue;
		s = dump_node(c);
		if (s && strcmp(s, want) == 0) {
			free(s);
			xmlUnlinkNode(c);
			xmlFreeNode(c);
			free(want);
			return close_domain(doc, err);
		}
		free(s);
	}
	free(want);
	xmlFreeDoc(doc);
	*err = xstrdup("The guest has no such device.");
	return NULL;
}

/* ---- domain capabilities ---- */

static bool
has_value(xmlXPathContextPtr ctx, const char *expr)
{
	return xpath_count(ctx, expr) > 0;
}

int
firmxml_caps_read(const char *xml, struct firm_caps *c, char **err)
{
	xmlDocPtr doc = parse(xml);
	xmlNodePtr r = doc ? xmlDocGetRootElement(doc) : NULL;
	xmlXPathContextPtr ctx;
	xmlXPathObjectPtr o;
	char *s;
	int k;

	memset(c, 0, sizeof *c);
	if (r == NULL || strcmp((const char *)r->name, "domainCapabilities") != 0) {
		*err = xstrdup("The host's domain capabilities are not readable XML.");
		xmlFreeDoc(doc);
		return -1;
	}
	ctx = xmlXPathNewContext(doc);
	if (ctx == NULL) {
		xmlFreeDoc(doc);
		*err = xstrdup("Cannot read the host's domain capabilities (out of memory).");
		return -1;
	}
	c->machine = xpath_str(ctx, "string(/domainCapabilities/machine)");
	s = xpath_str(ctx, "string(/domainCapabilities/vcpu/@max)");
	c->vcpu_max = s ? (unsigned)strtoul(s, NULL, 10) : 0;
	free(s);
	c->passthrough = has_value(ctx, "/domainCapabilities/cpu/mode[@name='host-passthrough']"
	                           "[@supported='yes']");
	c->host_model = has_value(ctx, "/domainCapabilities/cpu/mode[@name='host-model']"
	                          "[@supported='yes']");
	c->custom = has_value(ctx, "/domainCapabilities/cpu/mode[@name='custom']"
	                      "[@supported='yes']");
	o = xmlXPathEvalExpression(BAD_CAST "/domainCapabilities/cpu/mode[@name='custom']/model",
	                           ctx);
	for (k = 0; o && o->nodesetval && k < o->nodesetval->nodeNr; k++) {
		xmlNodePtr m = o->nodesetval->nodeTab[k];
		xmlChar *name = xmlNodeGetContent(m);
		char *u = prop(m, "usable");
		if (name && *name) {
			c->models = xreallocarray(c->models, c->nmodels + 1, sizeof *c->models);
			c->model_vendor = xreallocarray(c->model_vendor, c->nmodels + 1, sizeof(char *));
			c->usable = xreallocarray(c->usable, c->nmodels + 1, sizeof *c->usable);
			c->models[c->nmodels] = xstrdup((const char *)name);
			c->model_vendor[c->nmodels] = prop(m, "vendor");
			c->usable[c->nmodels++] = u == NULL ? -1 : strcmp(u, "yes") == 0 ? 1 :
			                          strcmp(u, "no") == 0 ? 0 : -1;
		}
		free(u);
		xmlFree(name);
	}
	xmlXPathFreeObject(o);
	c->efi = has_value(ctx, "/domainCapabilities/os[@supported='yes']/enum[@name='firmware']"
	                   "/value[.='efi']");
	c->bios = has_value(ctx, "/domainCapabilities/os/enum[@name='firmware']/value[.='bios']") ||
	          !has_value(ctx, "/domainCapabilities/os/enum[@name='firmware']/value");
	c->secure = has_value(ctx, "/domainCapabilities/os/loader/enum[@name='secure']"
	                      "/value[.='yes']");
	c->tpm_listed = has_value(ctx, "/domainCapabilities/devices/tpm");
	c->tpm = has_value(ctx, "/domainCapabilities/devices/tpm[@supported='yes']");
	c->tpm_emulator = has_value(ctx, "/domainCapabilities/devices/tpm/enum[@name='backendModel']"
	                            "/value[.='emulator']");
	c->tpm_crb = has_value(ctx, "/domainCapabilities/devices/tpm/enum[@name='model']"
	                       "/value[.='tpm-crb']");
	c->tpm_tis = has_value(ctx, "/domainCapabilities/devices/tpm/enum[@name='model']"
	                       "/value[.='tpm-tis']");
	c->pci_hostdev = has_value(ctx, "/domainCapabilities/devices/hostdev[@supported='yes']"
	                           "/enum[@name='subsysType']/value[.='pci']");
	c->usb_hostdev = has_value(ctx, "/domainCapabilities/devices/hostdev[@supported='yes']"
	                           "/enum[@name='subsysType']/value[.='usb']");
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return 0;
}

void
firm_caps_free(struct firm_caps *c)
{
	if (c == NULL)
		return;
	free(c->machine);
	xfree_strv(c->models, c->nmodels);
	xfree_strv(c->model_vendor, c->nmodels);
	free(c->usable);
	memset(c, 0, sizeof *c);
}

int
firm_caps_model(const struct firm_caps *c, const char *model)
{
	size_t i;

	for (i = 0; model && i < c->nmodels; i++)
		if (strcmp(c->models[i], model) == 0)
			return (int)i;
	return -1;
}
