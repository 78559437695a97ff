/* volume.c — storage volumes: the XML written and read and the size
 * arithmetic (pure), the volumes of a pool with their users, and the
 * operations on one volume. */
#include "volume.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libvirt/virterror.h>
#include <libxml/xmlwriter.h>

#include "../../config/vmdef.h"
#include "../base/msglog.h"
#include "../base/xmalloc.h"
#include "../defs/xpath.h"
#include "../host/lvutil.h"
#include "pool.h"

const char *const vol_formats[] = { "qcow2", "raw", NULL };

/* ---- pure ---- */

static const char *
kind_name(const char *t)
{
	static const char *const kinds[] = { "file", "block", "dir", "network", "netdir",
	                                     "ploop", NULL };
	size_t i;

	for (i = 0; t && kinds[i]; i++)
		if (strcmp(t, kinds[i]) == 0)
			return kinds[i];
	return "file";
}

static uint64_t
xpath_u64(xmlXPathContextPtr ctx, const char *expr)
{
	char *s = xpath_str(ctx, expr);
	uint64_t v = s ? strtoull(s, NULL, 10) : 0;

	free(s);
	return v;
}

int
vol_xml_read(const char *xml, struct store_vol *v, char **backing)
{
	xmlDocPtr doc = xml_read_quiet(xml, "volume.xml");
	xmlXPathContextPtr ctx;
	char *root, *kind;

	*backing = NULL;
	if (doc == NULL)
		return -1;
	ctx = xmlXPathNewContext(doc);
	root = xpath_str(ctx, "name(/*)");
	if (root == NULL || strcmp(root, "volume") != 0) {
		free(root);
		xmlXPathFreeContext(ctx);
		xmlFreeDoc(doc);
		return -1;
	}
	free(root);
	if (v->name == NULL)
		v->name = xpath_str(ctx, "string(/volume/name)");
	free(v->path);
	free(v->format);
	v->path = xpath_str(ctx, "string(/volume/target/path)");
	v->format = xpath_str(ctx, "string(/volume/target/format/@type)");
	kind = xpath_str(ctx, "string(/volume/@type)");
	v->kind = kind_name(kind);
	free(kind);
	/* libvirt writes sizes in bytes (unit='bytes') */
	v->capacity = xpath_u64(ctx, "string(/volume/capacity)");
	v->allocation = xpath_u64(ctx, "string(/volume/allocation)");
	*backing = xpath_str(ctx, "string(/volume/backingStore/path)");
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return 0;
}

char *
vol_name_check(const char *name)
{
	const unsigned char *p;

	if (name == NULL || name[0] == '\0')
		return xstrdup("A volume needs a name.");
	if (strlen(name) > 255)
		return xasprintf("The name is %zu bytes long; keep it to 255.", strlen(name));
	if (strchr(name, '/'))
		return xasprintf("\"%s\": a volume name cannot contain \"/\".", name);
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || name[0] == '-')
		return xasprintf("\"%s\" cannot name a volume.", name);
	for (p = (const unsigned char *)name; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return xstrdup("A volume name cannot contain control characters.");
	return NULL;
}

char *
vol_create_xml(const char *name, uint64_t bytes, const char *format, const char *backing,
               const char *backing_format, bool sparse, char **err)
{
	xmlBufferPtr buf;
	xmlTextWriterPtr w;
	char *out = NULL, cap[32];
	bool ok;

	if ((*err = vol_name_check(name)) != NULL)
		return NULL;
	if (format == NULL)
		format = backing ? "qcow2" : "raw";
	if (backing && strcmp(format, "qcow2") != 0) {
		*err = xasprintf("A volume on a backing volume is a qcow2 overlay; %s cannot be.",
		                 format);
		return NULL;
	}
	if (bytes == 0 && backing == NULL) {
		*err = xstrdup("A new volume needs a size above 0.");
		return NULL;
	}
	snprintf(cap, sizeof cap, "%" PRIu64, bytes);
	buf = xmlBufferCreate();
	w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
	ok = w && xmlTextWriterStartElement(w, BAD_CAST "volume") >= 0 &&
	     xmlTextWriterWriteElement(w, BAD_CAST "name", BAD_CAST name) >= 0 &&
	     xmlTextWriterStartElement(w, BAD_CAST "capacity") >= 0 &&
	     xmlTextWriterWriteAttribute(w, BAD_CAST "unit", BAD_CAST "bytes") >= 0 &&
	     xmlTextWriterWriteString(w, BAD_CAST cap) >= 0 && xmlTextWriterEndElement(w) >= 0 &&
	     xmlTextWriterStartElement(w, BAD_CAST "allocation") >= 0 &&
	     xmlTextWriterWriteAttribute(w, BAD_CAST "unit", BAD_CAST "bytes") >= 0 &&
	     xmlTextWriterWriteString(w, BAD_CAST (sparse ? "0" : cap)) >= 0 &&
	     xmlTextWriterEndElement(w) >= 0 &&
	     xmlTextWriterStartElement(w, BAD_CAST "target") >= 0 &&
	     xmlTextWriterStartElement(w, BAD_CAST "format") >= 0 &&
	     xmlTextWriterWriteAttribute(w, BAD_CAST "type", BAD_CAST format) >= 0 &&
	     xmlTextWriterEndElement(w) >= 0 && xmlTextWriterEndElement(w) >= 0;
	if (ok && backing) {
		ok = xmlTextWriterStartElement(w, BAD_CAST "backingStore") >= 0 &&
		     xmlTextWriterWriteElement(w, BAD_CAST "path", BAD_CAST backing) >= 0;
		if (ok && backing_format)
			ok = xmlTextWriterStartElement(w, BAD_CAST "format") >= 0 &&
			     xmlTextWriterWriteAttribute(w, BAD_CAST "type", BAD_CAST backing_format) >=
			             0 &&
			     xmlTextWriterEndElement(w) >= 0;
		ok = ok && xmlTextWriterEndElement(w) >= 0;
	}
	if (ok && xmlTextWriterEndElement(w) >= 0 && xmlTextWriterFlush(w) >= 0)
		out = xstrdup((const char *)xmlBufferContent(buf));
	else
		*err = xstrdup("The volume XML cannot be written.");
	if (w)
		xmlFreeTextWriter(w);
	if (buf)
		xmlBufferFree(buf);
	return out;
}

char *
vol_size_parse(const char *s, uint64_t *bytes)
{
	switch (vmdef_parse_size(s, (uint64_t)1 << 30, bytes)) {
	case VMDEF_SIZE_OK:
		if (*bytes == 0)
			return xasprintf("\"%s\": a size must be above 0.", s);
		return NULL;
	case VMDEF_SIZE_NEGATIVE:
		return xasprintf("\"%s\": a size cannot be negative.", s);
	case VMDEF_SIZE_UNIT:
		return xasprintf("\"%s\": unknown unit (use K, M, G or T; a bare number is GiB).", s);
	case VMDEF_SIZE_FRACTION:
		return xasprintf("\"%s\" is not a whole number of bytes.", s);
	case VMDEF_SIZE_OVERFLOW:
		return xasprintf("\"%s\" is too large.", s);
	default:
		return xasprintf("\"%s\" is not a size (use e.g. 20G or 512M; a bare number is GiB).",
		                 s);
	}
}

char *
vol_size_fmt(char *buf, size_t n, uint64_t bytes)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	unsigned u = 0;
	uint64_t div = 1;

	while (u < 6 && bytes / div >= 1024) {
		div *= 1024;
		u++;
	}
	if (u == 0 || bytes % div == 0)
		snprintf(buf, n, "%" PRIu64 " %s", bytes / div, units[u]);
	else
		snprintf(buf, n, "%.1f %s", (double)bytes / (double)div, units[u]);
	return buf;
}

char *
vol_grow_check(const char *vol, uint64_t now, uint64_t want)
{
	char a[32], b[32];

	vol_size_fmt(a, sizeof a, now);
	vol_size_fmt(b, sizeof b, want);
	if (want < now)
		return xasprintf("Volume %s is %s; it cannot shrink to %s (volumes only grow: data "
		                 "past the new end would be lost).", vol, a, b);
	if (want == now)
		return xasprintf("Volume %s is %s already.", vol, a);
	return NULL;
}

void
store_vol_clear(struct store_vol *v)
{
	free(v->name);
	free(v->path);
	free(v->format);
	free(v->backing);
	free(v->users);
	memset(v, 0, sizeof *v);
}

void
store_vols_free(struct store_vols *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		store_vol_clear(&l->v[i]);
	free(l->v);
	free(l->pool);
	memset(l, 0, sizeof *l);
}

const char *
vol_op_name(enum vol_op op)
{
	static const char *const names[VOL_OP_COUNT] = { "create", "grow", "clone", "wipe",
	                                                 "delete" };

	return op < VOL_OP_COUNT ? names[op] : "?";
}

/* ---- reading ---- */

/* The backing chain of a volume whose first backing file is first: each
 * further level read from the volume holding it, up to VOL_BACKING_MAX. */
static char *
backing_chain(virConnectPtr conn, char *first)
{
	char *chain = first, *next = first ? xstrdup(first) : NULL;
	int depth;

	for (depth = 1; next && depth < VOL_BACKING_MAX; depth++) {
		virStorageVolPtr v = virStorageVolLookupByPath(conn, next);
		struct store_vol tmp = { 0 };
		char *xml = v ? virStorageVolGetXMLDesc(v, 0) : NULL, *b = NULL;

		free(next);
		next = NULL;
		if (xml && vol_xml_read(xml, &tmp, &b) == 0 && b) {
			chain = xjoin(chain, " <- ", b);
			next = b;
		}
		store_vol_clear(&tmp);
		free(xml);
		if (v)
			virStorageVolFree(v);
	}
	free(next);
	virResetLastError();
	return chain;
}

static int
vol_by_name(const void *a, const void *b)
{
	return strcmp(((const struct store_vol *)a)->name, ((const struct store_vol *)b)->name);
}

/* The pool named pool; NULL with *err set. */
static virStoragePoolPtr
pool_get(virConnectPtr conn, const char *pool, char **err)
{
	virStoragePoolPtr p = virStoragePoolLookupByName(conn, pool);

	if (p == NULL)
		*err = xasprintf("There is no storage pool \"%s\" (vmtui pool list shows them).",
		                 pool);
	else if (virStoragePoolIsActive(p) != 1) {
		*err = xasprintf("Storage pool %s is not running; start it first (vmtui pool start "
		                 "%s).", pool, pool);
		virStoragePoolFree(p);
		p = NULL;
	}
	virResetLastError();
	return p;
}

int
store_vols_read(virConnectPtr conn, const char *pool, bool refresh, struct store_vols *out,
                char **err)
{
	struct guest_uses g;
	char *ge = NULL;
	int rc;

	if (guest_uses_read(conn, &g, &ge) < 0) {
		memset(&g, 0, sizeof g);
		free(ge);
	}
	rc = store_vols_read_uses(conn, pool, refresh, &g, out, err);
	guest_uses_free(&g);
	return rc;
}

int
store_vols_read_uses(virConnectPtr conn, const char *pool, bool refresh,
                     const struct guest_uses *g, struct store_vols *out, char **err)
{
	virStoragePoolPtr sp = pool_get(conn, pool, err);
	virStorageVolPtr *vols = NULL;
	char *e;
	int n, k;

	memset(out, 0, sizeof *out);
	if (sp == NULL)
		return -1;
	if (refresh && virStoragePoolRefresh(sp, 0) < 0)
		virResetLastError();
	if ((n = virStoragePoolListAllVolumes(sp, &vols, 0)) < 0) {
		e = lv_err_line();
		*err = xasprintf("Cannot list the volumes of storage pool %s: %s.", pool, e);
		free(e);
		virStoragePoolFree(sp);
		return -1;
	}
	out->pool = xstrdup(pool);
	out->v = xcalloc(n ? (size_t)n : 1, sizeof *out->v);
	for (k = 0; k < n; k++) {
		struct store_vol *v = &out->v[out->n];
		char *xml = virStorageVolGetXMLDesc(vols[k], 0), *b = NULL;
		v->name = xstrdup(virStorageVolGetName(vols[k]));
		if (xml && vol_xml_read(xml, v, &b) == 0) {
			v->backing = b ? backing_chain(conn, b) : NULL;
			v->users = guest_uses_volume(g, v->path, pool, v->name, &v->nusers);
			out->n++;
		} else {
			store_vol_clear(v);
		}
		free(xml);
		virStorageVolFree(vols[k]);
	}
	free(vols);
	virStoragePoolFree(sp);
	if (out->n > 1)
		qsort(out->v, out->n, sizeof *out->v, vol_by_name);
	return 0;
}

/* ---- operations ---- */

char *
vol_op_virsh(const char *uri, const struct vol_req *r)
{
	char size[32];

	snprintf(size, sizeof size, "%" PRIu64 "b", r->bytes);
	switch (r->op) {
	case VOL_CREATE:
		if (r->backing)
			return msglog_virsh(uri, "vol-create-as", r->pool, r->name, size, "--format",
			                    r->format ? r->format : "qcow2", "--backing-vol", r->backing,
			                    NULL);
		return msglog_virsh(uri, "vol-create-as", r->pool, r->name, size, "--format",
		                    r->format ? r->format : "qcow2", NULL);
	case VOL_GROW:
		return msglog_virsh(uri, "vol-resize", "--pool", r->pool, r->name, size, NULL);
	case VOL_CLONE:
		return msglog_virsh(uri, "vol-clone", "--pool", r->pool, r->name, r->newname, NULL);
	case VOL_WIPE:
		return msglog_virsh(uri, "vol-wipe", "--pool", r->pool, r->name, NULL);
	default:
		return msglog_virsh(uri, "vol-delete", "--pool", r->pool, r->name, NULL);
	}
}

/* The guests using volume v of pool (running ones only when
 * running_only), joined; NULL when none. */
static char *
vol_users(virConnectPtr conn, virStorageVolPtr v, const char *pool, bool running_only,
          size_t *n)
{
	struct guest_uses g, run;
	char *path = virStorageVolGetPath(v), *who, *e = NULL;
	size_t k;

	*n = 0;
	if (guest_uses_read(conn, &g, &e) < 0) {
		free(e);
		free(path);
		return NULL;
	}
	run = g;
	if (running_only) {
		run.v = xcalloc(g.n ? g.n : 1, sizeof *run.v);
		run.n = 0;
		for (k = 0; k < g.n; k++)
			if (g.v[k].active)
				run.v[run.n++] = g.v[k];
	}
	who = guest_uses_volume(&run, path, pool, virStorageVolGetName(v), n);
	if (running_only)
		free(run.v);
	guest_uses_free(&g);
	free(path);
	return who;
}

/* Why r may not run while guests use the volume (a new sentence), or
 * NULL. */
static char *
in_use(virConnectPtr conn, virStorageVolPtr v, const struct vol_req *r)
{
	bool running_only = r->op == VOL_GROW || r->op == VOL_CLONE;
	size_t n;
	char *who = vol_users(conn, v, r->pool, running_only, &n), *why;

	if (who == NULL)
		return NULL;
	why = xasprintf("Cannot %s volume %s: %s %s %s it%s.", vol_op_name(r->op), r->name,
	                n == 1 ? "guest" : "guests", who,
	                running_only ? (n == 1 ? "runs with" : "run with") : (n == 1 ? "uses" :
	                                                                             "use"),
	                r->op == VOL_GROW ? " (grow a running guest's disk with vmtui resize "
	                                    "--disk)" :
	                running_only ? "; shut it down first" : "; remove the disk from the guest "
	                                                        "or delete the guest first");
	free(who);
	return why;
}

/* A backing volume named b: a volume of the pool, or a path; its path,
 * format and capacity. -1 with *err. */
static int
backing_of(virConnectPtr conn, virStoragePoolPtr sp, const char *b, char **path, char **fmt,
           uint64_t *cap, char **err)
{
	virStorageVolPtr v = b[0] == '/' ? virStorageVolLookupByPath(conn, b) :
	                                   virStorageVolLookupByName(sp, b);
	struct store_vol info = { 0 };
	char *xml, *bb = NULL;

	if (v == NULL) {
		virResetLastError();
		if (b[0] != '/') {
			*err = xasprintf("There is no volume \"%s\" in storage pool %s to back the new "
			                 "one.", b, virStoragePoolGetName(sp));
			return -1;
		}
		*path = xstrdup(b); /* a file outside any pool: libvirt probes it */
		*fmt = NULL;
		*cap = 0;
		return 0;
	}
	xml = virStorageVolGetXMLDesc(v, 0);
	if (xml && vol_xml_read(xml, &info, &bb) == 0) {
		*path = info.path;
		info.path = NULL;
		*fmt = info.format;
		info.format = NULL;
		*cap = info.capacity;
	} else {
		*err = xasprintf("Cannot read the backing volume %s.", b);
	}
	free(bb);
	free(xml);
	store_vol_clear(&info);
	virStorageVolFree(v);
	return *err ? -1 : 0;
}

/* Whether new volumes of the pool may be sparse: not in a logical pool,
 * where libvirt makes a sparse volume a thin snapshot LV. */
static bool
sparse_pool(virStoragePoolPtr sp)
{
	char *xml = virStoragePoolGetXMLDesc(sp, 0);
	struct store_pool p = { 0 };
	bool sparse = true;

	if (xml && pool_xml_read(xml, &p) == 0 && p.type && strcmp(p.type, "logical") == 0)
		sparse = false;
	store_pool_clear(&p);
	free(xml);
	return sparse;
}

static int
do_create(virConnectPtr conn, virStoragePoolPtr sp, const struct vol_req *r, char **result,
          char **err)
{
	char *bpath = NULL, *bfmt = NULL, *xml = NULL, *e, sz[32];
	uint64_t bytes = r->bytes, bcap = 0;
	virStorageVolPtr v;

	if ((v = virStorageVolLookupByName(sp, r->name)) != NULL) {
		virStorageVolFree(v);
		*err = xasprintf("Storage pool %s has a volume %s already; pick another name.",
		                 r->pool, r->name);
		return -1;
	}
	virResetLastError();
	if (r->backing && backing_of(conn, sp, r->backing, &bpath, &bfmt, &bcap, err) < 0)
		return -1;
	if (bytes == 0)
		bytes = bcap;
	if (r->backing && bytes == 0) {
		*err = xasprintf("Give the size of the overlay: the size of %s is not known.",
		                 r->backing);
	} else if (r->backing && bytes < bcap) {
		*err = xasprintf("An overlay cannot be smaller than its backing volume %s (%s).",
		                 r->backing, vol_size_fmt(sz, sizeof sz, bcap));
	} else if ((xml = vol_create_xml(r->name, bytes, r->format ? r->format : "qcow2", bpath,
	                                 bfmt, sparse_pool(sp), err)) != NULL) {
		if ((v = virStorageVolCreateXML(sp, xml, 0)) == NULL) {
			e = lv_err_line();
			*err = xasprintf("Cannot create volume %s in storage pool %s: %s.", r->name,
			                 r->pool, e);
			free(e);
		} else {
			*result = xasprintf("Volume %s created in storage pool %s: %s %s%s%s.", r->name,
			                    r->pool, vol_size_fmt(sz, sizeof sz, bytes),
			                    r->format ? r->format : "qcow2", bpath ? " on " : "",
			                    bpath ? bpath : "");
			virStorageVolFree(v);
		}
	}
	free(bpath);
	free(bfmt);
	free(xml);
	return *err ? -1 : 0;
}

/* Grow, clone, wipe or delete the existing volume v. */
static int
do_existing(virConnectPtr conn, virStoragePoolPtr sp, virStorageVolPtr v,
            const struct vol_req *r, char **result, char **err)
{
	virStorageVolInfo info;
	virStorageVolPtr nv;
	char *xml = NULL, *e, *fmt = NULL, *why, a[32], b[32];
	struct store_vol tmp = { 0 };
	int rc = 0;

	if ((*err = in_use(conn, v, r)) != NULL)
		return -1;
	switch (r->op) {
	case VOL_GROW:
		if (virStorageVolGetInfo(v, &info) < 0) {
			rc = -1;
			break;
		}
		if ((why = vol_grow_check(r->name, info.capacity, r->bytes)) != NULL) {
			*err = why;
			return -1;
		}
		if ((rc = virStorageVolResize(v, r->bytes, 0)) == 0)
			*result = xasprintf("Volume %s of storage pool %s grown from %s to %s.", r->name,
			                    r->pool, vol_size_fmt(a, sizeof a, info.capacity),
			                    vol_size_fmt(b, sizeof b, r->bytes));
		break;
	case VOL_CLONE:
		if ((nv = virStorageVolLookupByName(sp, r->newname)) != NULL) {
			virStorageVolFree(nv);
			*err = xasprintf("Storage pool %s has a volume %s already; pick another name.",
			                 r->pool, r->newname);
			return -1;
		}
		virResetLastError();
		if ((why = vol_name_check(r->newname)) != NULL) {
			*err = why;
			return -1;
		}
		xml = virStorageVolGetXMLDesc(v, 0);
		if (xml == NULL || vol_xml_read(xml, &tmp, &fmt) < 0) {
			rc = -1;
			break;
		}
		free(xml);
		xml = vol_create_xml(r->newname, tmp.capacity ? tmp.capacity : 1, tmp.format, NULL,
		                     NULL, sparse_pool(sp), err);
		if (xml == NULL)
			goto cleanup;
		if ((nv = virStorageVolCreateXMLFrom(sp, xml, v, 0)) == NULL) {
			rc = -1;
			break;
		}
		virStorageVolFree(nv);
		*result = xasprintf("Volume %s of storage pool %s cloned as %s.", r->name, r->pool,
		                    r->newname);
		break;
	case VOL_WIPE:
		if ((rc = virStorageVolWipe(v, 0)) == 0)
			*result = xasprintf("Volume %s of storage pool %s wiped (its data is zeros now).",
			                    r->name, r->pool);
		break;
	default:
		if ((rc = virStorageVolDelete(v, 0)) == 0)
			*result = xasprintf("Volume %s of storage pool %s deleted.", r->name, r->pool);
		break;
	}
	if (rc < 0 && *err == NULL) {
		e = lv_err_line();
		*err = xasprintf("Cannot %s volume %s of storage pool %s: %s.", vol_op_name(r->op),
		                 r->name, r->pool, e);
		free(e);
	}

cleanup:
	store_vol_clear(&tmp);
	free(fmt);
	free(xml);
	return *err ? -1 : 0;
}

char *
vol_refusal(virConnectPtr conn, const struct vol_req *r)
{
	virStoragePoolPtr sp;
	virStorageVolPtr v;
	char *err = NULL;

	if ((sp = pool_get(conn, r->pool, &err)) == NULL) {
		free(err);
		return NULL;
	}
	if ((v = virStorageVolLookupByName(sp, r->name)) != NULL) {
		err = in_use(conn, v, r);
		virStorageVolFree(v);
	}
	virResetLastError();
	virStoragePoolFree(sp);
	return err;
}

int
vol_op_run(virConnectPtr conn, const char *uri, const struct vol_req *r, bool log,
           char **result, char **err)
{
	virStoragePoolPtr sp;
	virStorageVolPtr v = NULL;
	char *virsh, *why;
	int rc = -1;

	*result = NULL;
	*err = NULL;
	if ((why = vol_name_check(r->name)) != NULL) {
		*err = why;
		return -1;
	}
	if ((sp = pool_get(conn, r->pool, err)) == NULL)
		return -1;
	if (r->op == VOL_CREATE) {
		rc = do_create(conn, sp, r, result, err);
	} else if ((v = virStorageVolLookupByName(sp, r->name)) == NULL) {
		virResetLastError();
		*err = xasprintf("Storage pool %s has no volume \"%s\" (vmtui vol list %s shows "
		                 "them).", r->pool, r->name, r->pool);
	} else {
		rc = do_existing(conn, sp, v, r, result, err);
		virStorageVolFree(v);
	}
	if (log) {
		virsh = vol_op_virsh(uri, r);
		msglog_action(virsh, rc < 0 ? *err : NULL, "volume %s/%s: %s", r->pool, r->name,
		              vol_op_name(r->op));
		free(virsh);
	}
	virStoragePoolFree(sp);
	return rc;
}
