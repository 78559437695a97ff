/* pool.c — storage pools: their XML read (pure), listed with their users,
 * created from a pooldef, and the operations on one pool. */
#include "pool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libvirt/virterror.h>

#include "../base/msglog.h"
#include "../base/xmalloc.h"
#include "../defs/xpath.h"
#include "../host/lvutil.h"

/* ---- pure ---- */

/* What the <source> of a pool names, shortest first that says it. */
static char *
source_text(xmlXPathContextPtr ctx)
{
	char *host = xpath_str(ctx, "string(/pool/source/host/@name)");
	char *dir = xpath_str(ctx, "string(/pool/source/dir/@path)");
	char *dev = xpath_str(ctx, "string(/pool/source/device/@path)");
	char *name = xpath_str(ctx, "string(/pool/source/name)");
	char *s = NULL;

	if (host && dir)
		s = xasprintf("%s:%s", host, dir);
	else if (host && dev)
		s = xasprintf("%s %s", host, dev);
	else if (host)
		s = xstrdup(host);
	else if (name && dev)
		s = xasprintf("%s on %s", name, dev);
	else if (name)
		s = xstrdup(name);
	else if (dev)
		s = xstrdup(dev);
	else if (dir)
		s = xstrdup(dir);
	free(host);
	free(dir);
	free(dev);
	free(name);
	return s;
}

int
pool_xml_read(const char *xml, struct store_pool *p)
{
	xmlDocPtr doc = xml_read_quiet(xml, "pool.xml");
	xmlXPathContextPtr ctx;
	char *root;

	if (doc == NULL)
		return -1;
	ctx = xmlXPathNewContext(doc);
	root = xpath_str(ctx, "name(/*)");
	if (root == NULL || strcmp(root, "pool") != 0) {
		free(root);
		xmlXPathFreeContext(ctx);
		xmlFreeDoc(doc);
		return -1;
	}
	free(root);
	free(p->type);
	free(p->target);
	free(p->source);
	p->type = xpath_str(ctx, "string(/pool/@type)");
	p->target = xpath_str(ctx, "string(/pool/target/path)");
	p->source = source_text(ctx);
	if (p->name == NULL)
		p->name = xpath_str(ctx, "string(/pool/name)");
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return 0;
}

/* Is file under the folder dir ("/a/b" under "/a", not "/ab")? */
static bool
under(const char *file, const char *dir)
{
	size_t n = strlen(dir);

	while (n > 1 && dir[n - 1] == '/')
		n--;
	return n > 0 && strncmp(file, dir, n) == 0 && file[n] == '/';
}

/* Append name to the ", " list *list unless it is there. */
static void
add_name(char **list, size_t *n, const char *name)
{
	char *s;
	size_t len = strlen(name);
	const char *p;

	for (p = *list; p && (p = strstr(p, name)) != NULL; p += len)
		if ((p == *list || p[-1] == ' ') && (p[len] == ',' || p[len] == '\0'))
			return;
	s = *list ? xasprintf("%s, %s", *list, name) : xstrdup(name);
	free(*list);
	*list = s;
	(*n)++;
}

char *
pool_users(const struct guest_uses *g, const char *pool, const char *target, size_t *count)
{
	char *list = NULL;
	size_t k, d, n = 0;

	for (k = 0; k < g->n; k++)
		for (d = 0; d < g->v[k].ndisks; d++) {
			const struct guest_disk_use *u = &g->v[k].disks[d];
			if ((u->pool && pool && strcmp(u->pool, pool) == 0) ||
			    (u->file && target && target[0] && under(u->file, target)))
				add_name(&list, &n, g->v[k].name);
		}
	if (count)
		*count = n;
	return list;
}

/* The running guests of g with a disk in the pool, the same way. */
static char *
pool_running_users(const struct guest_uses *g, const char *pool, const char *target,
                   size_t *count)
{
	struct guest_uses run = { xcalloc(g->n ? g->n : 1, sizeof *run.v), 0 };
	size_t k;
	char *s;

	for (k = 0; k < g->n; k++)
		if (g->v[k].active)
			run.v[run.n++] = g->v[k];
	s = pool_users(&run, pool, target, count);
	free(run.v);
	return s;
}

void
store_pool_clear(struct store_pool *p)
{
	free(p->name);
	free(p->type);
	free(p->target);
	free(p->source);
	free(p->users);
	memset(p, 0, sizeof *p);
}

void
store_pools_free(struct store_pools *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		store_pool_clear(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

const struct store_pool *
store_pools_find(const struct store_pools *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return &l->v[i];
	return NULL;
}

const char *
pool_op_name(enum pool_op op)
{
	static const char *const names[POOL_OP_COUNT] = {
		"build", "start", "stop", "refresh", "autostart", "no autostart", "delete",
		"delete with its contents",
	};

	return op < POOL_OP_COUNT ? names[op] : "?";
}

/* ---- reading ---- */

static const char *
state_name(int st)
{
	switch (st) {
	case VIR_STORAGE_POOL_INACTIVE:
		return "inactive";
	case VIR_STORAGE_POOL_BUILDING:
		return "building";
	case VIR_STORAGE_POOL_RUNNING:
		return "running";
	case VIR_STORAGE_POOL_DEGRADED:
		return "degraded";
	case VIR_STORAGE_POOL_INACCESSIBLE:
		return "inaccessible";
	default:
		return "?";
	}
}

/* One pool's figures and XML into p. */
static void
pool_fill(virStoragePoolPtr sp, struct store_pool *p)
{
	virStoragePoolInfo info;
	char *xml;
	int as = 0;

	p->name = xstrdup(virStoragePoolGetName(sp));
	p->active = virStoragePoolIsActive(sp) == 1;
	p->persistent = virStoragePoolIsPersistent(sp) == 1;
	if (virStoragePoolGetAutostart(sp, &as) == 0)
		p->autostart = as != 0;
	p->state = p->active ? "running" : "inactive";
	if (virStoragePoolGetInfo(sp, &info) == 0) {
		p->state = state_name(info.state);
		p->capacity = info.capacity;
		p->allocation = info.allocation;
		p->available = info.available;
	}
	if ((xml = virStoragePoolGetXMLDesc(sp, 0)) != NULL)
		pool_xml_read(xml, p);
	free(xml);
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(((const struct store_pool *)a)->name, ((const struct store_pool *)b)->name);
}

/* The guests of conn; on failure an empty set (users are then unknown,
 * not a reason to show no pools). */
static void
read_uses(virConnectPtr conn, struct guest_uses *g)
{
	char *err = NULL;

	if (guest_uses_read(conn, g, &err) < 0) {
		memset(g, 0, sizeof *g);
		free(err);
	}
}

int
store_pools_read(virConnectPtr conn, struct store_pools *out, char **err)
{
	struct guest_uses g;
	int rc;

	read_uses(conn, &g);
	rc = store_pools_read_uses(conn, &g, out, err);
	guest_uses_free(&g);
	return rc;
}

int
store_pools_read_uses(virConnectPtr conn, const struct guest_uses *g, struct store_pools *out,
                      char **err)
{
	virStoragePoolPtr *pools = NULL;
	int n = virConnectListAllStoragePools(conn, &pools, 0), k;
	char *e;

	memset(out, 0, sizeof *out);
	if (n < 0) {
		e = lv_err_line();
		*err = xasprintf("Cannot list the storage pools: %s.", e);
		free(e);
		return -1;
	}
	out->v = xcalloc(n ? (size_t)n : 1, sizeof *out->v);
	for (k = 0; k < n; k++) {
		struct store_pool *p = &out->v[out->n++];
		pool_fill(pools[k], p);
		p->users = pool_users(g, p->name, p->target, &p->nusers);
		virStoragePoolFree(pools[k]);
	}
	free(pools);
	if (out->n > 1)
		qsort(out->v, out->n, sizeof *out->v, by_name);
	return 0;
}

/* The pool named name; NULL with *err set. */
static virStoragePoolPtr
pool_get(virConnectPtr conn, const char *name, char **err)
{
	virStoragePoolPtr p = virStoragePoolLookupByName(conn, name);

	if (p == NULL)
		*err = xasprintf("There is no storage pool \"%s\" (vmtui pool list shows them).",
		                 name);
	virResetLastError();
	return p;
}

int
store_pool_read(virConnectPtr conn, const char *name, struct store_pool *out, char **err)
{
	virStoragePoolPtr sp = pool_get(conn, name, err);
	struct guest_uses g;

	memset(out, 0, sizeof *out);
	if (sp == NULL)
		return -1;
	pool_fill(sp, out);
	virStoragePoolFree(sp);
	read_uses(conn, &g);
	out->users = pool_users(&g, out->name, out->target, &out->nusers);
	guest_uses_free(&g);
	return 0;
}

/* ---- operations ---- */

char *
pool_op_virsh(const char *uri, const char *pool, enum pool_op op)
{
	char *a, *b, *c, *s;

	switch (op) {
	case POOL_BUILD:
		return msglog_virsh(uri, "pool-build", pool, NULL);
	case POOL_START:
		return msglog_virsh(uri, "pool-start", pool, NULL);
	case POOL_STOP:
		return msglog_virsh(uri, "pool-destroy", pool, NULL);
	case POOL_REFRESH:
		return msglog_virsh(uri, "pool-refresh", pool, NULL);
	case POOL_AUTOSTART_ON:
		return msglog_virsh(uri, "pool-autostart", pool, NULL);
	case POOL_AUTOSTART_OFF:
		return msglog_virsh(uri, "pool-autostart", pool, "--disable", NULL);
	case POOL_DELETE:
		a = msglog_virsh(uri, "pool-destroy", pool, NULL);
		b = msglog_virsh(uri, "pool-undefine", pool, NULL);
		s = xasprintf("%s && %s", a, b);
		free(a);
		free(b);
		return s;
	default:
		a = msglog_virsh(uri, "pool-destroy", pool, NULL);
		b = msglog_virsh(uri, "pool-delete", pool, NULL);
		c = msglog_virsh(uri, "pool-undefine", pool, NULL);
		s = xasprintf("%s && %s && %s", a, b, c);
		free(a);
		free(b);
		free(c);
		return s;
	}
}

/* One libvirt step of an operation: rc < 0 becomes *err ("Cannot WHAT
 * pool P: why."), and the step is logged with its virsh command. */
int
pool_step(int rc, const char *uri, const char *pool, enum pool_op vop, const char *what, bool log,
     char **err)
{
	char *e = NULL, *virsh;

	if (rc < 0) {
		e = lv_err_line();
		*err = xasprintf("Cannot %s storage pool %s: %s.", what, pool, e);
	}
	if (log) {
		virsh = pool_op_virsh(uri, pool, vop);
		msglog_action(virsh, rc < 0 ? e : NULL, "pool %s: %s", pool, what);
		free(virsh);
	}
	free(e);
	return rc < 0 ? -1 : 0;
}

/* Why op may not run on pool sp now (a new sentence), or NULL. */
static char *
op_refusal(virConnectPtr conn, virStoragePoolPtr sp, const char *pool, enum pool_op op)
{
	struct store_pool p = { 0 };
	struct guest_uses g;
	char *who = NULL, *why = NULL;
	size_t n = 0;

	if (op != POOL_STOP && op != POOL_DELETE && op != POOL_DELETE_CONTENTS)
		return NULL;
	pool_fill(sp, &p);
	read_uses(conn, &g);
	if (op == POOL_DELETE_CONTENTS)
		who = pool_users(&g, pool, p.target, &n);
	else if (p.active)
		who = pool_running_users(&g, pool, p.target, &n);
	if (who)
		why = xasprintf("Cannot %s storage pool %s%s: %s %s %s %s. %s",
		                op == POOL_DELETE_CONTENTS ? "delete" : pool_op_name(op), pool,
		                op == POOL_DELETE_CONTENTS ? " with its contents" : "",
		                n == 1 ? "guest" : "guests", who,
		                op == POOL_DELETE_CONTENTS ? (n == 1 ? "has" : "have") :
		                                             (n == 1 ? "runs" : "run"),
		                op == POOL_DELETE_CONTENTS ? "disks in it" : "with disks in it",
		                op == POOL_DELETE_CONTENTS ? "Delete those guests or their disks first."
		                                           : "Shut them down first.");
	free(who);
	store_pool_clear(&p);
	guest_uses_free(&g);
	return why;
}

/* Delete every volume of an active pool; logged one by one. */
static int
delete_volumes(const char *uri, virStoragePoolPtr sp, const char *pool, bool log, char **err)
{
	virStorageVolPtr *vols = NULL;
	int n = virStoragePoolListAllVolumes(sp, &vols, 0), k, rc = 0;
	char *e, *virsh;

	if (n < 0)
		return pool_step(-1, uri, pool, POOL_DELETE_CONTENTS, "list the volumes of", log, err);
	for (k = 0; k < n; k++) {
		const char *vn = virStorageVolGetName(vols[k]);
		if (rc == 0 && virStorageVolDelete(vols[k], 0) < 0) {
			e = lv_err_line();
			*err = xasprintf("Cannot delete volume %s of storage pool %s: %s.", vn, pool, e);
			free(e);
			rc = -1;
		}
		if (log && (rc == 0 || *err)) {
			virsh = msglog_virsh(uri, "vol-delete", "--pool", pool, vn, NULL);
			msglog_action(virsh, rc < 0 ? *err : NULL, "pool %s: delete volume %s", pool, vn);
			free(virsh);
			if (rc < 0)
				log = false;
		}
		virStorageVolFree(vols[k]);
	}
	free(vols);
	return rc;
}

/* Stop (when active), optionally delete the contents, undefine. */
static int
pool_delete(virConnectPtr conn, const char *uri, virStoragePoolPtr sp, const char *pool,
            bool contents, bool log, char **err)
{
	bool persistent = virStoragePoolIsPersistent(sp) == 1;

	(void)conn;
	if (contents && virStoragePoolIsActive(sp) != 1 && virStoragePoolCreate(sp, 0) < 0)
		virResetLastError(); /* nothing to list: pool-delete below still runs */
	if (contents && virStoragePoolIsActive(sp) == 1 &&
	    delete_volumes(uri, sp, pool, log, err) < 0)
		return -1;
	if (virStoragePoolIsActive(sp) == 1 &&
	    pool_step(virStoragePoolDestroy(sp), uri, pool, POOL_STOP, "stop", log, err) < 0)
		return -1;
	if (contents && pool_step(virStoragePoolDelete(sp, 0), uri, pool, POOL_DELETE_CONTENTS,
	                     "delete the storage of", false, err) < 0)
		return -1;
	if (persistent && pool_step(virStoragePoolUndefine(sp), uri, pool, POOL_DELETE, "undefine",
	                       false, err) < 0)
		return -1;
	if (log) {
		char *virsh = msglog_virsh(uri, contents ? "pool-delete" : "pool-undefine", pool, NULL);
		msglog_action(virsh, NULL, "pool %s: %s", pool, contents ? "delete its storage and "
		              "undefine" : "undefine");
		free(virsh);
	}
	return 0;
}

char *
pool_refusal(virConnectPtr conn, const char *pool, enum pool_op op)
{
	char *err = NULL;
	virStoragePoolPtr sp = pool_get(conn, pool, &err);

	free(err);
	if (sp == NULL)
		return NULL;
	err = op_refusal(conn, sp, pool, op);
	virStoragePoolFree(sp);
	return err;
}

int
pool_op_run(virConnectPtr conn, const char *uri, const char *pool, enum pool_op op, bool log,
            char **result, char **err)
{
	virStoragePoolPtr sp = pool_get(conn, pool, err);
	int rc = -1;

	*result = NULL;
	if (sp == NULL)
		return -1;
	if ((*err = op_refusal(conn, sp, pool, op)) != NULL)
		goto cleanup;
	switch (op) {
	case POOL_BUILD:
		rc = pool_step(virStoragePoolBuild(sp, 0), uri, pool, op, "build", log, err);
		break;
	case POOL_START:
		rc = pool_step(virStoragePoolCreate(sp, 0), uri, pool, op, "start", log, err);
		break;
	case POOL_STOP:
		rc = pool_step(virStoragePoolDestroy(sp), uri, pool, op, "stop", log, err);
		break;
	case POOL_REFRESH:
		rc = pool_step(virStoragePoolRefresh(sp, 0), uri, pool, op, "refresh", log, err);
		break;
	case POOL_AUTOSTART_ON:
	case POOL_AUTOSTART_OFF:
		rc = pool_step(virStoragePoolSetAutostart(sp, op == POOL_AUTOSTART_ON), uri, pool, op,
		          op == POOL_AUTOSTART_ON ? "set autostart on" : "set autostart off", log, err);
		break;
	case POOL_DELETE:
	case POOL_DELETE_CONTENTS:
		rc = pool_delete(conn, uri, sp, pool, op == POOL_DELETE_CONTENTS, log, err);
		break;
	default:
		*err = xstrdup("Unknown pool operation.");
		break;
	}
	if (rc == 0) {
		static const char *const done[POOL_OP_COUNT] = {
			"built", "started", "stopped", "refreshed", "will start at host boot",
			"will not start at host boot", "deleted (its storage is kept)",
			"deleted with its contents",
		};
		*result = xasprintf("Storage pool %s %s.", pool, done[op]);
	}

cleanup:
	virStoragePoolFree(sp);
	return rc;
}
