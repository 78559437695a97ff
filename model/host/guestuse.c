/* guestuse.c — every guest's disks and interfaces, from its domain XML. */
#include "guestuse.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libvirt/virterror.h>
#include <libxml/xpath.h>

#include "../base/xmalloc.h"
#include "../defs/xpath.h"

static void
lower(char *s)
{
	for (; s != NULL && *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

static bool
same(const char *a, const char *b)
{
	return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

static void
add_disk(struct guest_use *u, struct guest_disk_use *d)
{
	size_t k;

	for (k = 0; k < u->ndisks; k++) {
		struct guest_disk_use *o = &u->disks[k];
		if (same(o->target, d->target) && same(o->file, d->file) &&
		    same(o->pool, d->pool) && same(o->volume, d->volume)) {
			free(d->target), free(d->device), free(d->file);
			free(d->pool), free(d->volume);
			return;
		}
	}
	u->disks = xreallocarray(u->disks, u->ndisks + 1, sizeof *u->disks);
	u->disks[u->ndisks++] = *d;
}

static void
add_nic(struct guest_use *u, struct guest_nic_use *n)
{
	size_t k;

	for (k = 0; k < u->nnics; k++) {
		struct guest_nic_use *o = &u->nics[k];
		if (same(o->mac, n->mac) && same(o->network, n->network)) {
			/* The live XML names the bridge a network put it on. */
			if (o->bridge == NULL) {
				o->bridge = n->bridge;
				n->bridge = NULL;
			}
			free(n->mac), free(n->network), free(n->bridge);
			return;
		}
	}
	u->nics = xreallocarray(u->nics, u->nnics + 1, sizeof *u->nics);
	u->nics[u->nnics++] = *n;
}

int
guest_use_add_xml(struct guest_use *u, const char *domxml)
{
	xmlDocPtr doc = xml_read_quiet(domxml, "domain.xml");
	xmlXPathContextPtr ctx;
	xmlXPathObjectPtr o;
	int k;

	if (doc == NULL)
		return -1;
	ctx = xmlXPathNewContext(doc);
	if (ctx == NULL || xmlDocGetRootElement(doc) == NULL ||
	    strcmp((const char *)xmlDocGetRootElement(doc)->name, "domain") != 0) {
		xmlXPathFreeContext(ctx);
		xmlFreeDoc(doc);
		return -1;
	}
	if (u->name == NULL) {
		char *uuid = xpath_str(ctx, "string(/domain/uuid)");
		u->name = xpath_str(ctx, "string(/domain/name)");
		if (u->name == NULL)
			u->name = xstrdup("?");
		if (uuid != NULL)
			snprintf(u->uuid, sizeof u->uuid, "%s", uuid);
		free(uuid);
	}
	o = xmlXPathEvalExpression((const xmlChar *)"/domain/devices/disk", ctx);
	for (k = 0; o && o->nodesetval && k < o->nodesetval->nodeNr; k++) {
		xmlNodePtr n = o->nodesetval->nodeTab[k];
		struct guest_disk_use d = { 0 };
		char *ro = xpath_str_at(ctx, n, "name(readonly)");

		d.target = xpath_str_at(ctx, n, "string(target/@dev)");
		d.device = xpath_str_at(ctx, n, "string(@device)");
		d.file = xpath_str_at(ctx, n, "string(source/@file|source/@dev)");
		d.pool = xpath_str_at(ctx, n, "string(source/@pool)");
		d.volume = xpath_str_at(ctx, n, "string(source/@volume)");
		d.readonly = ro != NULL;
		free(ro);
		add_disk(u, &d);
	}
	xmlXPathFreeObject(o);
	o = xmlXPathEvalExpression((const xmlChar *)"/domain/devices/interface", ctx);
	for (k = 0; o && o->nodesetval && k < o->nodesetval->nodeNr; k++) {
		xmlNodePtr n = o->nodesetval->nodeTab[k];
		struct guest_nic_use c = { 0 };

		c.mac = xpath_str_at(ctx, n, "string(mac/@address)");
		lower(c.mac);
		c.network = xpath_str_at(ctx, n, "string(source/@network)");
		c.bridge = xpath_str_at(ctx, n, "string(source/@bridge)");
		add_nic(u, &c);
	}
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return 0;
}

static void
use_free(struct guest_use *u)
{
	size_t k;

	for (k = 0; k < u->ndisks; k++) {
		free(u->disks[k].target), free(u->disks[k].device), free(u->disks[k].file);
		free(u->disks[k].pool), free(u->disks[k].volume);
	}
	for (k = 0; k < u->nnics; k++)
		free(u->nics[k].mac), free(u->nics[k].network), free(u->nics[k].bridge);
	free(u->disks);
	free(u->nics);
	free(u->name);
}

void
guest_uses_free(struct guest_uses *g)
{
	size_t k;

	if (g == NULL)
		return;
	for (k = 0; k < g->n; k++)
		use_free(&g->v[k]);
	free(g->v);
	g->v = NULL;
	g->n = 0;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(((const struct guest_use *)a)->name, ((const struct guest_use *)b)->name);
}

int
guest_uses_read(virConnectPtr conn, struct guest_uses *out, char **err)
{
	virDomainPtr *doms = NULL;
	int n = virConnectListAllDomains(conn, &doms, 0), k;

	out->v = NULL;
	out->n = 0;
	if (n < 0) {
		const char *m = virGetLastErrorMessage();
		*err = xasprintf("Cannot list the guests: %s", m ? m : "unknown error");
		return -1;
	}
	out->v = xcalloc(n ? (size_t)n : 1, sizeof *out->v);
	for (k = 0; k < n; k++) {
		struct guest_use *u = &out->v[out->n];
		int active = virDomainIsActive(doms[k]);
		char *xml = virDomainGetXMLDesc(doms[k], 0), *saved = NULL;

		if (active == 1)
			saved = virDomainGetXMLDesc(doms[k], VIR_DOMAIN_XML_INACTIVE);
		if (xml != NULL && guest_use_add_xml(u, xml) == 0) {
			if (saved != NULL)
				guest_use_add_xml(u, saved);
			u->active = active == 1;
			out->n++;
		} else {
			use_free(u);
			memset(u, 0, sizeof *u);
		}
		free(xml);
		free(saved);
		virDomainFree(doms[k]);
	}
	free(doms);
	qsort(out->v, out->n, sizeof *out->v, by_name);
	return 0;
}

/* Append name to a ", "-joined list, once. */
static void
join(char **list, size_t *count, const char *name)
{
	char *s;

	if (*list != NULL) {
		size_t len = strlen(name);
		const char *p = *list;
		while ((p = strstr(p, name)) != NULL) {
			if ((p == *list || p[-1] == ' ') && (p[len] == ',' || p[len] == '\0'))
				return;
			p += len;
		}
	}
	s = *list ? xasprintf("%s, %s", *list, name) : xstrdup(name);
	free(*list);
	*list = s;
	(*count)++;
}

char *
guest_uses_volume(const struct guest_uses *g, const char *path, const char *pool,
                  const char *volume, size_t *count)
{
	char *list = NULL;
	size_t k, d, n = 0;

	for (k = 0; k < g->n; k++)
		for (d = 0; d < g->v[k].ndisks; d++) {
			const struct guest_disk_use *u = &g->v[k].disks[d];
			if ((path != NULL && u->file != NULL && strcmp(u->file, path) == 0) ||
			    (pool != NULL && volume != NULL && same(u->pool, pool) &&
			     same(u->volume, volume)))
				join(&list, &n, g->v[k].name);
		}
	if (count != NULL)
		*count = n;
	return list;
}

char *
guest_uses_network(const struct guest_uses *g, const char *network, const char *bridge,
                   bool running_only, size_t *count)
{
	char *list = NULL;
	size_t k, c, n = 0;

	for (k = 0; k < g->n; k++) {
		if (running_only && !g->v[k].active)
			continue;
		for (c = 0; c < g->v[k].nnics; c++) {
			const struct guest_nic_use *u = &g->v[k].nics[c];
			if ((network != NULL && same(u->network, network)) ||
			    (bridge != NULL && u->network == NULL && same(u->bridge, bridge)))
				join(&list, &n, g->v[k].name);
		}
	}
	if (count != NULL)
		*count = n;
	return list;
}

const struct guest_use *
guest_uses_mac(const struct guest_uses *g, const char *mac)
{
	size_t k, c;

	if (mac == NULL)
		return NULL;
	for (k = 0; k < g->n; k++)
		for (c = 0; c < g->v[k].nnics; c++)
			if (g->v[k].nics[c].mac != NULL && strcasecmp(g->v[k].nics[c].mac, mac) == 0)
				return &g->v[k];
	return NULL;
}
