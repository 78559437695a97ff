/* hostinfo.c — node details and storage pools, read on demand. */
#include "hostinfo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "../base/notify.h"
#include "../base/xmalloc.h"

void
hostinfo_version(char *buf, size_t n, unsigned long v)
{
	snprintf(buf, n, "%lu.%lu.%lu", v / 1000000, v / 1000 % 1000, v % 1000);
}

void
hostinfo_free(struct host_info *i)
{
	size_t k;

	if (i == NULL)
		return;
	for (k = 0; k < i->npools; k++) {
		free(i->pools[k].name);
		free(i->pools[k].type);
	}
	free(i->pools);
	free(i->hv_type);
	free(i->error);
	free(i);
}

/* The pool's type attribute from its XML ("dir"), or NULL. */
static char *
pool_type(virStoragePoolPtr p)
{
	char *xml = virStoragePoolGetXMLDesc(p, 0), *type = NULL;
	xmlDocPtr doc;

	if (xml == NULL)
		return NULL;
	doc = xmlReadMemory(xml, (int)strlen(xml), "pool.xml", NULL,
	                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (doc != NULL) {
		xmlChar *t = xmlGetProp(xmlDocGetRootElement(doc), (const xmlChar *)"type");
		if (t != NULL)
			type = xstrdup((const char *)t);
		xmlFree(t);
		xmlFreeDoc(doc);
	}
	free(xml);
	return type;
}

static void
read_pools(virConnectPtr conn, struct host_info *i)
{
	virStoragePoolPtr *pools = NULL;
	int n = virConnectListAllStoragePools(conn, &pools, 0), k;

	if (n < 0) {
		const char *m = virGetLastErrorMessage();
		i->error = xasprintf("Cannot list storage pools: %s", m ? m : "unknown error");
		return;
	}
	i->pools = xcalloc(n ? (size_t)n : 1, sizeof *i->pools);
	for (k = 0; k < n; k++) {
		struct pool_info *p = &i->pools[i->npools++];
		virStoragePoolInfo info;
		int as = 0;

		p->name = xstrdup(virStoragePoolGetName(pools[k]));
		p->active = virStoragePoolIsActive(pools[k]) == 1;
		if (virStoragePoolGetAutostart(pools[k], &as) == 0)
			p->autostart = as != 0;
		if (virStoragePoolGetInfo(pools[k], &info) == 0) {
			p->capacity = info.capacity;
			p->allocation = info.allocation;
			p->available = info.available;
		}
		p->type = pool_type(pools[k]);
		virStoragePoolFree(pools[k]);
	}
	free(pools);
}

/* On the worker: read everything, then publish it. */
static void
do_read(struct host *h, virConnectPtr conn, void *arg)
{
	struct host_info *i;
	virNodeInfo ni;
	const char *type;

	(void)arg;
	if (conn == NULL)
		return;
	i = xcalloc(1, sizeof *i);
	if (virNodeGetInfo(conn, &ni) == 0) {
		snprintf(i->model, sizeof i->model, "%s", ni.model);
		i->cpus = ni.cpus;
		i->mhz = ni.mhz;
		i->sockets = ni.sockets;
		i->cores = ni.cores;
		i->threads = ni.threads;
	}
	type = virConnectGetType(conn);
	i->hv_type = xstrdup(type ? type : "?");
	virConnectGetVersion(conn, &i->hv_version);
	virConnectGetLibVersion(conn, &i->lib_version);
	read_pools(conn, i);
	host_lock(h);
	hostinfo_free(h->info);
	h->info = i;
	h->generation++;
	host_unlock(h);
	notify_post();
}

void
hostinfo_request(struct host *h)
{
	host_call(h, do_read, NULL);
}
