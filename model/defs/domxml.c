/* domxml.c — domain XML to vm_config, with libxml2's XPath. */
#include "domxml.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "../base/xmalloc.h"
#include "xpath.h"

static uint64_t
xp_u64(xmlXPathContextPtr ctx, xmlNodePtr node, const char *expr)
{
	char *s = xpath_str_at(ctx, node, expr);
	uint64_t v = s ? strtoull(s, NULL, 10) : 0;

	free(s);
	return v;
}

/* Convert a <memory unit='...'> value to KiB. */
static uint64_t
mem_kib(xmlXPathContextPtr ctx, const char *elem)
{
	char expr[96];
	char *unit;
	uint64_t v, mul = 1, div = 1;

	snprintf(expr, sizeof expr, "string(/domain/%s)", elem);
	v = xp_u64(ctx, NULL, expr);
	snprintf(expr, sizeof expr, "string(/domain/%s/@unit)", elem);
	unit = xpath_str_at(ctx, NULL, expr);
	/* libvirt's units: binary (k, KiB, M, MiB...) and decimal (KB, MB...). */
	if (unit == NULL || strcmp(unit, "KiB") == 0 || strcmp(unit, "k") == 0 ||
	    strcmp(unit, "K") == 0)
		;
	else if (strcmp(unit, "b") == 0 || strcmp(unit, "bytes") == 0)
		div = 1024;
	else if (strcmp(unit, "KB") == 0)
		mul = 1000, div = 1024;
	else if (strcmp(unit, "MiB") == 0 || strcmp(unit, "M") == 0)
		mul = 1024;
	else if (strcmp(unit, "MB") == 0)
		mul = 1000000, div = 1024;
	else if (strcmp(unit, "GiB") == 0 || strcmp(unit, "G") == 0)
		mul = 1024 * 1024;
	else if (strcmp(unit, "GB") == 0)
		mul = 1000000000, div = 1024;
	else if (strcmp(unit, "TiB") == 0 || strcmp(unit, "T") == 0)
		mul = 1024ull * 1024 * 1024;
	else if (strcmp(unit, "TB") == 0)
		mul = 1000000000000ull, div = 1024;
	free(unit);
	return v * mul / div;
}

static xmlNodeSetPtr
nodes(xmlXPathContextPtr ctx, const char *expr, xmlXPathObjectPtr *keep)
{
	ctx->node = NULL;
	*keep = xmlXPathEvalExpression((const xmlChar *)expr, ctx);
	if (*keep == NULL || (*keep)->type != XPATH_NODESET)
		return NULL;
	return (*keep)->nodesetval;
}

static void
parse_disks(xmlXPathContextPtr ctx, struct vm_config *c)
{
	xmlXPathObjectPtr obj;
	xmlNodeSetPtr set = nodes(ctx, "/domain/devices/disk", &obj);
	int i, n = set ? set->nodeNr : 0;

	c->disks = xcalloc(n ? (size_t)n : 1, sizeof *c->disks);
	for (i = 0; i < n; i++) {
		struct vm_config_disk *d = &c->disks[c->ndisks++];
		xmlNodePtr nd = set->nodeTab[i];
		d->target = xpath_str_at(ctx, nd, "string(target/@dev)");
		d->bus = xpath_str_at(ctx, nd, "string(target/@bus)");
		d->device = xpath_str_at(ctx, nd, "string(@device)");
		d->format = xpath_str_at(ctx, nd, "string(driver/@type)");
		d->source = xpath_str_at(ctx, nd, "string(source/@file|source/@dev|"
		                            "source/@volume|source/@name)");
	}
	xmlXPathFreeObject(obj);
}

static void
parse_nics(xmlXPathContextPtr ctx, struct vm_config *c)
{
	xmlXPathObjectPtr obj;
	xmlNodeSetPtr set = nodes(ctx, "/domain/devices/interface", &obj);
	int i, n = set ? set->nodeNr : 0;

	c->nics = xcalloc(n ? (size_t)n : 1, sizeof *c->nics);
	for (i = 0; i < n; i++) {
		struct vm_config_nic *d = &c->nics[c->nnics++];
		xmlNodePtr nd = set->nodeTab[i];
		d->mac = xpath_str_at(ctx, nd, "string(mac/@address)");
		d->model = xpath_str_at(ctx, nd, "string(model/@type)");
		d->type = xpath_str_at(ctx, nd, "string(@type)");
		d->source = xpath_str_at(ctx, nd, "string(source/@network|source/@bridge|"
		                            "source/@dev)");
		d->target = xpath_str_at(ctx, nd, "string(target/@dev)");
	}
	xmlXPathFreeObject(obj);
}

struct vm_config *
domxml_parse(const char *xml, char **err)
{
	xmlDocPtr doc;
	xmlXPathContextPtr ctx = NULL;
	struct vm_config *c = NULL;

	*err = NULL;
	doc = xml_read_quiet(xml, "domain.xml");
	if (doc == NULL) {
		*err = xstrdup("the domain XML is not well-formed");
		goto cleanup;
	}
	ctx = xmlXPathNewContext(doc);
	if (ctx == NULL) {
		*err = xstrdup("cannot evaluate the domain XML");
		goto cleanup;
	}
	c = xcalloc(1, sizeof *c);
	c->vcpus_max = (unsigned)xp_u64(ctx, NULL, "string(/domain/vcpu)");
	c->vcpus_cur = (unsigned)xp_u64(ctx, NULL, "string(/domain/vcpu/@current)");
	if (c->vcpus_cur == 0)
		c->vcpus_cur = c->vcpus_max;
	c->mem_max_kib = mem_kib(ctx, "memory");
	c->mem_cur_kib = mem_kib(ctx, "currentMemory");
	if (c->mem_cur_kib == 0)
		c->mem_cur_kib = c->mem_max_kib;
	c->os_type = xpath_str_at(ctx, NULL, "string(/domain/@type)");
	c->arch = xpath_str_at(ctx, NULL, "string(/domain/os/type/@arch)");
	c->machine = xpath_str_at(ctx, NULL, "string(/domain/os/type/@machine)");
	c->emulator = xpath_str_at(ctx, NULL, "string(/domain/devices/emulator)");
	parse_disks(ctx, c);
	parse_nics(ctx, c);

cleanup:
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return c;
}

void
vm_config_free(struct vm_config *c)
{
	size_t i, j;

	if (c == NULL)
		return;
	for (i = 0; i < c->ndisks; i++) {
		free(c->disks[i].target);
		free(c->disks[i].source);
		free(c->disks[i].bus);
		free(c->disks[i].device);
		free(c->disks[i].format);
	}
	for (i = 0; i < c->nnics; i++) {
		struct vm_config_nic *n = &c->nics[i];
		free(n->mac);
		free(n->model);
		free(n->type);
		free(n->source);
		free(n->target);
		for (j = 0; j < n->naddrs; j++)
			free(n->addrs[j]);
		free(n->addrs);
		free(n->pinned);
	}
	free(c->disks);
	free(c->nics);
	free(c->os_type);
	free(c->arch);
	free(c->machine);
	free(c->emulator);
	free(c);
}

char *
domxml_net_pinned(const char *netxml, const char *mac)
{
	xmlDocPtr doc = mac ? xml_read_quiet(netxml, "network.xml") : NULL;
	xmlXPathContextPtr ctx;
	xmlXPathObjectPtr obj;
	xmlNodeSetPtr set;
	char *ip = NULL;
	int i;

	if (doc == NULL)
		return NULL;
	ctx = xmlXPathNewContext(doc);
	set = nodes(ctx, "/network/ip[not(@family) or @family='ipv4']/dhcp/host", &obj);
	for (i = 0; set && i < set->nodeNr && ip == NULL; i++) {
		char *m = xpath_str_at(ctx, set->nodeTab[i], "string(@mac)");
		if (m && strcasecmp(m, mac) == 0)
			ip = xpath_str_at(ctx, set->nodeTab[i], "string(@ip)");
		free(m);
	}
	xmlXPathFreeObject(obj);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return ip;
}
