/* clone.c — cloning a shut-off guest: read it and its volumes, plan the
 * new volumes and rewrite the domain XML (pure, libxml2's tree), make the
 * volumes with a thread polling the new one's allocation for progress,
 * define (and start) the clone, and roll back on failure; and the TUI's job
 * that runs it on a host's worker. */
#include "clone.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libvirt/virterror.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>
#include <libxml/xpath.h>

#include "../base/msglog.h"
#include "../base/notify.h"
#include "../base/xmalloc.h"
#include "../defs/xpath.h"
#include "../host/lvutil.h"

#define CLONE_NAME_MAX 64

/* ---- small helpers ---- */

/* ---- pure parts ---- */

char *
clone_name_check(const char *name)
{
	const char *p;

	if (name == NULL || name[0] == '\0')
		return xstrdup("The clone needs a name.");
	if (strlen(name) > CLONE_NAME_MAX)
		return xasprintf("\"%s\" is longer than %d characters.", name, CLONE_NAME_MAX);
	if (name[0] == '-' || name[0] == '.')
		return xasprintf("\"%s\": a name cannot start with \"%c\".", name, name[0]);
	for (p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("._+-", *p))
			return xasprintf("\"%s\": use letters, digits and . _ + - only (it names "
			                 "files too).", name);
	return NULL;
}

char *
clone_volume_name(const char *src_vol, const char *src_vm, const char *new_vm,
                  const char *target, bool linked)
{
	const char *hit = src_vol && src_vm[0] ? strstr(src_vol, src_vm) : NULL;
	const char *dot = src_vol ? strrchr(src_vol, '.') : NULL;
	char *base;

	if (hit != NULL) {
		base = xasprintf("%.*s%s%s", (int)(hit - src_vol), src_vol, new_vm,
		                 hit + strlen(src_vm));
		if (!linked || (dot && strcmp(dot, ".qcow2") == 0))
			return base;
		dot = strrchr(base, '.');
		if (dot && (strcmp(dot, ".img") == 0 || strcmp(dot, ".raw") == 0))
			base[dot - base] = '\0';
		return xjoin(base, "", ".qcow2");
	}
	if (linked || dot == NULL || dot == src_vol)
		return xasprintf("%s-%s.qcow2", new_vm, target);
	return xasprintf("%s-%s%s", new_vm, target, dot);
}

char *
clone_log_path(const char *path, const char *src_vm, const char *new_vm)
{
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path, *hit;

	hit = src_vm[0] ? strstr(base, src_vm) : NULL;
	if (hit)
		return xasprintf("%.*s%s%s", (int)(hit - path), path, new_vm, hit + strlen(src_vm));
	return xasprintf("%.*s%s-%s", (int)(base - path), path, new_vm, base);
}

char *
clone_plan(struct clone_src *s, const char *new_name, bool linked)
{
	char *errs = NULL, *e;
	size_t i;

	s->linked = linked;
	if (s->active) {
		e = xasprintf("%s is %s; shut it down first: a copy of a disk in use is "
		              "inconsistent%s.", s->name, s->state,
		              linked ? ", and an overlay on it breaks when it writes on" : "");
		errs = xjoin(errs, " ", e);
		free(e);
	}
	if ((e = clone_name_check(new_name)) != NULL) {
		errs = xjoin(errs, " ", e);
		free(e);
	} else if (strcmp(new_name, s->name) == 0) {
		errs = xjoin(errs, " ", "The clone needs a name of its own.");
	}
	for (i = 0; i < s->ndisks; i++) {
		struct clone_disk *d = &s->disks[i];
		const char *slash;
		free(d->new_vol);
		free(d->new_path);
		d->new_vol = d->new_path = NULL;
		if (d->shared || d->path == NULL)
			continue;
		if (d->vol == NULL) {
			char *dir = xstrdup(d->path);
			char *sl = strrchr(dir, '/');
			if (sl)
				*sl = '\0';
			e = xasprintf("Disk %s (%s) is in no storage pool, so libvirt cannot copy it; "
			              "make its folder one (virsh pool-define-as NAME dir --target %s; "
			              "virsh pool-start NAME) and clone again.", d->target, d->path,
			              sl && dir[0] ? dir : "/");
			errs = xjoin(errs, " ", e);
			free(e);
			free(dir);
			continue;
		}
		d->new_vol = clone_volume_name(d->vol, s->name, new_name, d->target, linked);
		slash = strrchr(d->path, '/');
		d->new_path = xasprintf("%.*s%s", slash ? (int)(slash - d->path + 1) : 0, d->path,
		                        d->new_vol);
	}
	return errs;
}

static const struct clone_disk *
find_disk(const struct clone_src *s, const char *target)
{
	size_t i;

	for (i = 0; target && i < s->ndisks; i++)
		if (strcmp(s->disks[i].target, target) == 0)
			return &s->disks[i];
	return NULL;
}

/* Remove every node expr selects. */
static void
drop(xmlXPathContextPtr ctx, const char *expr)
{
	xmlXPathObjectPtr o;
	int i;

	ctx->node = xmlDocGetRootElement(ctx->doc);
	o = xmlXPathEvalExpression(BAD_CAST expr, ctx);
	for (i = 0; o && o->nodesetval && i < o->nodesetval->nodeNr; i++) {
		xmlNodePtr n = o->nodesetval->nodeTab[i];
		xmlUnlinkNode(n);
		xmlFreeNode(n);
		o->nodesetval->nodeTab[i] = NULL;
	}
	xmlXPathFreeObject(o);
}

/* Point one <disk> at its new volume. */
static void
rewrite_disk(xmlNodePtr disk, const struct clone_disk *d, bool linked_fmt)
{
	xmlNodePtr c, next;

	for (c = disk->children; c; c = next) {
		next = c->next;
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (xmlStrcmp(c->name, BAD_CAST "source") == 0) {
			if (xmlHasProp(c, BAD_CAST "volume"))
				xmlSetProp(c, BAD_CAST "volume", BAD_CAST d->new_vol);
			else if (xmlHasProp(c, BAD_CAST "dev"))
				xmlSetProp(c, BAD_CAST "dev", BAD_CAST d->new_path);
			else
				xmlSetProp(c, BAD_CAST "file", BAD_CAST d->new_path);
		} else if (xmlStrcmp(c->name, BAD_CAST "backingStore") == 0) {
			xmlUnlinkNode(c);
			xmlFreeNode(c);
		} else if (xmlStrcmp(c->name, BAD_CAST "driver") == 0 && linked_fmt) {
			xmlSetProp(c, BAD_CAST "type", BAD_CAST "qcow2");
		}
	}
}

char *
clone_domain_xml(const struct clone_src *s, const char *new_name, char **err)
{
	xmlDocPtr doc = xml_read_quiet(s->xml, "domain.xml");
	xmlXPathContextPtr ctx;
	xmlXPathObjectPtr o;
	xmlChar *mem = NULL;
	char *out = NULL, *t;
	int i, len = 0;

	if (doc == NULL || xmlDocGetRootElement(doc) == NULL ||
	    xmlStrcmp(xmlDocGetRootElement(doc)->name, BAD_CAST "domain") != 0) {
		*err = xasprintf("The definition of %s is not domain XML.", s->name);
		xmlFreeDoc(doc);
		return NULL;
	}
	ctx = xmlXPathNewContext(doc);
	drop(ctx, "/domain/uuid|/domain/devices/interface/mac|/domain/devices/interface/target"
	          "|/domain/os/nvram");
	ctx->node = xmlDocGetRootElement(doc);
	o = xmlXPathEvalExpression(BAD_CAST "/domain/name", ctx);
	if (o && o->nodesetval && o->nodesetval->nodeNr == 1) {
		/* Added as text: the writer escapes it. */
		xmlNodeSetContent(o->nodesetval->nodeTab[0], NULL);
		xmlNodeAddContent(o->nodesetval->nodeTab[0], BAD_CAST new_name);
	}
	xmlXPathFreeObject(o);
	o = xmlXPathEvalExpression(BAD_CAST "/domain/devices/disk", ctx);
	for (i = 0; o && o->nodesetval && i < o->nodesetval->nodeNr; i++) {
		xmlNodePtr n = o->nodesetval->nodeTab[i];
		const struct clone_disk *d;
		t = xpath_str_at(ctx, n, "string(target/@dev)");
		d = find_disk(s, t);
		free(t);
		if (d == NULL || d->new_vol == NULL)
			continue;
		/* An overlay is qcow2 whatever the source was. */
		rewrite_disk(n, d, s->linked);
	}
	xmlXPathFreeObject(o);
	o = xmlXPathEvalExpression(BAD_CAST "/domain/devices/*/log[@file]", ctx);
	for (i = 0; o && o->nodesetval && i < o->nodesetval->nodeNr; i++) {
		xmlNodePtr n = o->nodesetval->nodeTab[i];
		xmlChar *f = xmlGetProp(n, BAD_CAST "file");
		t = clone_log_path((const char *)f, s->name, new_name);
		xmlSetProp(n, BAD_CAST "file", BAD_CAST t);
		free(t);
		xmlFree(f);
	}
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	xmlDocDumpFormatMemory(doc, &mem, &len, 0);
	if (mem)
		out = xstrdup((const char *)mem);
	else
		*err = xstrdup("The clone's XML cannot be written.");
	xmlFree(mem);
	xmlFreeDoc(doc);
	return out;
}

/* ---- reading ---- */

static void
read_disk(virConnectPtr conn, xmlXPathContextPtr ctx, xmlNodePtr n, struct clone_disk *d)
{
	char *dev = xpath_str_at(ctx, n, "string(@device)"), *pool, *vol;
	virStorageVolPtr v = NULL;
	virStorageVolInfo info;
	xmlXPathObjectPtr o;

	d->target = xpath_str_at(ctx, n, "string(target/@dev)");
	if (d->target == NULL)
		d->target = xstrdup("?");
	d->format = xpath_str_at(ctx, n, "string(driver/@type)");
	ctx->node = n;
	o = xmlXPathEvalExpression(BAD_CAST "readonly|shareable", ctx);
	d->shared = (dev && strcmp(dev, "disk") != 0) ||
	            (o && o->nodesetval && o->nodesetval->nodeNr > 0);
	xmlXPathFreeObject(o);
	free(dev);
	pool = xpath_str_at(ctx, n, "string(source/@pool)");
	vol = xpath_str_at(ctx, n, "string(source/@volume)");
	if (pool && vol) {
		virStoragePoolPtr p = virStoragePoolLookupByName(conn, pool);
		v = p ? virStorageVolLookupByName(p, vol) : NULL;
		if (p)
			virStoragePoolFree(p);
		d->path = v ? virStorageVolGetPath(v) : xasprintf("%s/%s", pool, vol);
	} else {
		d->path = xpath_str_at(ctx, n, "string(source/@file|source/@dev)");
		if (d->path && !d->shared)
			v = lv_vol_by_path(conn, d->path);
	}
	free(pool);
	free(vol);
	if (v == NULL)
		return;
	d->vol = xstrdup(virStorageVolGetName(v));
	{
		virStoragePoolPtr p = virStoragePoolLookupByVolume(v);
		if (p) {
			d->pool = xstrdup(virStoragePoolGetName(p));
			virStoragePoolFree(p);
		}
	}
	if (virStorageVolGetInfo(v, &info) == 0) {
		d->capacity = info.capacity;
		d->allocation = info.allocation;
	}
	if (d->pool == NULL) {
		free(d->vol);
		d->vol = NULL;
	}
	virStorageVolFree(v);
}

int
clone_read(virConnectPtr conn, const char *vm, struct clone_src *s, char **err)
{
	virDomainPtr dom = NULL;
	xmlDocPtr doc;
	xmlXPathContextPtr ctx;
	xmlXPathObjectPtr o;
	int st = VIR_DOMAIN_NOSTATE, reason, i;

	memset(s, 0, sizeof *s);
	if (strlen(vm) == VM_UUID_LEN - 1)
		dom = virDomainLookupByUUIDString(conn, vm);
	if (dom == NULL)
		dom = virDomainLookupByName(conn, vm);
	if (dom == NULL) {
		*err = xasprintf("There is no guest \"%s\" on this host; check the name with virsh "
		                 "list --all.", vm);
		return -1;
	}
	s->name = xstrdup(virDomainGetName(dom));
	if (virDomainGetState(dom, &st, &reason, 0) < 0)
		st = VIR_DOMAIN_NOSTATE;
	s->state = xstrdup(vm_state_name((enum vm_state)st));
	s->active = virDomainIsActive(dom) == 1;
	s->xml = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE);
	virDomainFree(dom);
	if (s->xml == NULL || (doc = xml_read_quiet(s->xml, "domain.xml")) == NULL) {
		*err = xasprintf("Cannot read the definition of %s.", s->name);
		clone_src_free(s);
		return -1;
	}
	ctx = xmlXPathNewContext(doc);
	o = xmlXPathEvalExpression(BAD_CAST "/domain/devices/disk", ctx);
	if (o && o->nodesetval && o->nodesetval->nodeNr > 0) {
		s->disks = xcalloc((size_t)o->nodesetval->nodeNr, sizeof *s->disks);
		for (i = 0; i < o->nodesetval->nodeNr; i++)
			read_disk(conn, ctx, o->nodesetval->nodeTab[i], &s->disks[s->ndisks++]);
	}
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return 0;
}

void
clone_src_free(struct clone_src *s)
{
	size_t i;

	for (i = 0; i < s->ndisks; i++) {
		struct clone_disk *d = &s->disks[i];
		free(d->target);
		free(d->path);
		free(d->format);
		free(d->pool);
		free(d->vol);
		free(d->new_vol);
		free(d->new_path);
	}
	free(s->disks);
	free(s->name);
	free(s->state);
	free(s->xml);
	memset(s, 0, sizeof *s);
}

/* ---- running ---- */

/* A thread reporting the allocation of the volume being made. */
struct poller {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool stop;
	virConnectPtr conn;
	const char *pool, *vol, *step;
	uint64_t total;
	clone_progress_cb cb;
	void *opaque;
};

static void *
poll_main(void *arg)
{
	struct poller *p = arg;
	virStoragePoolPtr pool = virStoragePoolLookupByName(p->conn, p->pool);
	struct timespec until;
	bool stop = false;

	while (!stop && pool) {
		virStorageVolPtr v;
		virStorageVolInfo info;
		clock_gettime(CLOCK_MONOTONIC, &until); /* the condvar's clock */
		until.tv_nsec += 200000000;
		if (until.tv_nsec >= 1000000000) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000;
		}
		pthread_mutex_lock(&p->lock);
		while (!p->stop && pthread_cond_timedwait(&p->cond, &p->lock, &until) != ETIMEDOUT)
			;
		stop = p->stop;
		pthread_mutex_unlock(&p->lock);
		if (stop)
			break;
		if ((v = virStorageVolLookupByName(pool, p->vol)) == NULL)
			continue;
		if (virStorageVolGetInfo(v, &info) == 0 && p->cb)
			p->cb(p->step, info.allocation < p->total ? info.allocation : p->total,
			      p->total, p->opaque);
		virStorageVolFree(v);
	}
	if (pool)
		virStoragePoolFree(pool);
	return NULL;
}

struct run {
	virConnectPtr conn;
	const char *uri;
	struct clone_src *s;
	const char *new_name;
	bool linked;
	clone_progress_cb progress;
	clone_action_cb action;
	void *opaque;
	virStorageVolPtr *made; /* volumes created, for the rollback */
	size_t nmade;
};

static void
act(struct run *r, char *virsh, const char *err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void
act(struct run *r, char *virsh, const char *err, const char *fmt, ...)
{
	va_list ap;
	char *what;

	va_start(ap, fmt);
	if (vasprintf(&what, fmt, ap) < 0)
		what = NULL;
	va_end(ap);
	if (r->action && what)
		r->action(virsh, err, what, r->opaque);
	free(what);
	free(virsh);
}

/* <volume> XML of the new volume; NULL when it cannot be written. */
static char *
vol_xml(const struct clone_disk *d, bool linked)
{
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
	const char *fmt = linked ? "qcow2" : d->format ? d->format : "raw";
	char cap[24], *out = NULL;
	int rc = 0;

	snprintf(cap, sizeof cap, "%" PRIu64, d->capacity);
	if (w == NULL)
		goto cleanup;
	rc |= xmlTextWriterStartElement(w, BAD_CAST "volume");
	rc |= xmlTextWriterWriteElement(w, BAD_CAST "name", BAD_CAST d->new_vol);
	rc |= xmlTextWriterStartElement(w, BAD_CAST "capacity");
	rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "unit", BAD_CAST "bytes");
	rc |= xmlTextWriterWriteString(w, BAD_CAST cap);
	rc |= xmlTextWriterEndElement(w);
	rc |= xmlTextWriterStartElement(w, BAD_CAST "target");
	rc |= xmlTextWriterStartElement(w, BAD_CAST "format");
	rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "type", BAD_CAST fmt);
	rc |= xmlTextWriterEndElement(w);
	rc |= xmlTextWriterEndElement(w);
	if (linked) {
		rc |= xmlTextWriterStartElement(w, BAD_CAST "backingStore");
		rc |= xmlTextWriterWriteElement(w, BAD_CAST "path", BAD_CAST d->path);
		rc |= xmlTextWriterStartElement(w, BAD_CAST "format");
		rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "type",
		                                  BAD_CAST(d->format ? d->format : "raw"));
		rc |= xmlTextWriterEndElement(w);
		rc |= xmlTextWriterEndElement(w);
	}
	rc |= xmlTextWriterEndElement(w);
	if (rc >= 0 && xmlTextWriterFlush(w) >= 0)
		out = xstrdup((const char *)xmlBufferContent(buf));
cleanup:
	if (w)
		xmlFreeTextWriter(w);
	if (buf)
		xmlBufferFree(buf);
	return out;
}

/* The virsh command making the same volume. */
static char *
vol_virsh(const struct run *r, const struct clone_disk *d)
{
	char cap[32];

	if (!r->linked)
		return msglog_virsh(r->uri, "vol-clone", "--pool", d->pool, d->vol, d->new_vol, NULL);
	snprintf(cap, sizeof cap, "%" PRIu64 "B", d->capacity);
	return msglog_virsh(r->uri, "vol-create-as", d->pool, d->new_vol, cap, "--format", "qcow2",
	                    "--backing-vol", d->path, "--backing-vol-format",
	                    d->format ? d->format : "raw", NULL);
}

/* Make one volume; -1 with *err. */
static int
make_vol(struct run *r, struct clone_disk *d, char **err)
{
	virStoragePoolPtr pool = virStoragePoolLookupByName(r->conn, d->pool);
	virStorageVolPtr from = NULL, v = NULL;
	char *xml = vol_xml(d, r->linked), *step, *e;
	struct poller p;
	pthread_condattr_t ca;
	bool polling = false;

	step = xasprintf("%s %s: %s/%s -> %s", r->linked ? "overlay" : "copy", d->target, d->pool,
	                 d->vol, d->new_vol);
	if (r->progress)
		r->progress(step, 0, r->linked ? 0 : d->allocation, r->opaque);
	if (pool && (v = virStorageVolLookupByName(pool, d->new_vol)) != NULL) {
		virStorageVolFree(v);
		v = NULL;
		*err = xasprintf("Pool %s already has a volume %s; remove it or pick another name.",
		                 d->pool, d->new_vol);
		goto cleanup;
	}
	if (pool && !r->linked)
		from = virStorageVolLookupByName(pool, d->vol);
	if (pool == NULL || xml == NULL || (!r->linked && from == NULL)) {
		e = lv_err_line();
		*err = xasprintf("Cannot %s %s: %s.", r->linked ? "make an overlay of" : "copy",
		                 d->target, xml ? e : "the volume XML cannot be written");
		free(e);
		goto cleanup;
	}
	if (!r->linked) {
		memset(&p, 0, sizeof p);
		pthread_mutex_init(&p.lock, NULL);
		pthread_condattr_init(&ca);
		pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
		pthread_cond_init(&p.cond, &ca);
		pthread_condattr_destroy(&ca);
		p.conn = r->conn;
		p.pool = d->pool;
		p.vol = d->new_vol;
		p.step = step;
		p.total = d->allocation;
		p.cb = r->progress;
		p.opaque = r->opaque;
		polling = pthread_create(&p.thread, NULL, poll_main, &p) == 0;
	}
	v = r->linked ? virStorageVolCreateXML(pool, xml, 0)
	              : virStorageVolCreateXMLFrom(pool, xml, from, 0);
	e = v ? NULL : lv_err_line();
	if (polling) {
		pthread_mutex_lock(&p.lock);
		p.stop = true;
		pthread_cond_signal(&p.cond);
		pthread_mutex_unlock(&p.lock);
		pthread_join(p.thread, NULL);
	}
	if (!r->linked) {
		pthread_mutex_destroy(&p.lock);
		pthread_cond_destroy(&p.cond);
	}
	if (v == NULL) {
		*err = xasprintf("Cannot %s %s: %s.", r->linked ? "make an overlay of" : "copy",
		                 d->target, e);
		act(r, vol_virsh(r, d), e, "%s: %s", r->new_name, step);
		free(e);
		goto cleanup;
	}
	if (r->progress)
		r->progress(step, d->allocation, r->linked ? 0 : d->allocation, r->opaque);
	act(r, vol_virsh(r, d), NULL, "%s: %s", r->new_name, step);
	r->made = xreallocarray(r->made, r->nmade + 1, sizeof *r->made);
	r->made[r->nmade++] = v;
	free(d->new_path);
	d->new_path = virStorageVolGetPath(v);
	if (d->new_path == NULL)
		d->new_path = xstrdup(d->new_vol);

cleanup:
	free(step);
	free(xml);
	if (from)
		virStorageVolFree(from);
	if (pool)
		virStoragePoolFree(pool);
	return *err ? -1 : 0;
}

/* Remove what was made; returns a sentence on what was removed. */
static char *
rollback(struct run *r)
{
	char *done = NULL, *s;
	size_t i;

	for (i = r->nmade; i > 0; i--) {
		virStorageVolPtr v = r->made[i - 1];
		const char *name = virStorageVolGetName(v);
		if (virStorageVolDelete(v, 0) == 0) {
			done = xjoin(done, ", ", name);
		} else {
			char *e = lv_err_line();
			s = xasprintf("%s could not be removed (%s)", name, e);
			done = xjoin(done, ", ", s);
			free(s);
			free(e);
		}
		virStorageVolFree(v);
	}
	r->nmade = 0;
	s = done ? xasprintf(" Removed again: %s.", done) : xstrdup(" Nothing was made.");
	free(done);
	return s;
}

int
clone_run(virConnectPtr conn, const char *uri, struct clone_src *s, const char *new_name,
          bool linked, bool start, clone_progress_cb progress, clone_action_cb action,
          void *opaque, char **result, char **err)
{
	struct run r = { conn, uri, s, new_name, linked, progress, action, opaque, NULL, 0 };
	virDomainPtr dom;
	char *why = NULL, *xml = NULL, *rb, *e, *vols = NULL, *t;
	size_t i;

	*result = *err = NULL;
	if ((why = clone_plan(s, new_name, linked)) != NULL) {
		*err = xasprintf("Cannot clone %s: %s", s->name, why);
		free(why);
		return -1;
	}
	if ((dom = virDomainLookupByName(conn, new_name)) != NULL) {
		virDomainFree(dom);
		*err = xasprintf("Cannot clone %s: a guest named %s exists already.", s->name,
		                 new_name);
		return -1;
	}
	for (i = 0; i < s->ndisks && why == NULL; i++)
		if (s->disks[i].new_vol && make_vol(&r, &s->disks[i], &why) == 0) {
			t = xasprintf("%s (%s)", s->disks[i].new_path, s->disks[i].target);
			vols = xjoin(vols, ", ", t);
			free(t);
		}
	if (why == NULL && (xml = clone_domain_xml(s, new_name, &why)) != NULL) {
		if (progress)
			progress("define the clone", 0, 0, opaque);
		dom = virDomainDefineXML(conn, xml);
		e = dom ? NULL : lv_err_line();
		t = xasprintf("%s.xml", new_name);
		act(&r, msglog_virsh(uri, "define", t, NULL), e,
		    "%s: define the clone of %s (its XML with a new name, no UUID or MACs, the new "
		    "disks)", new_name, s->name);
		free(t);
		if (dom == NULL)
			why = xasprintf("Cannot define %s: %s.", new_name, e);
		free(e);
	}
	free(xml);
	if (why) {
		rb = rollback(&r);
		*err = xasprintf("Cannot clone %s as %s: %s%s", s->name, new_name, why, rb);
		free(rb);
		free(why);
		free(vols);
		free(r.made);
		return -1;
	}
	for (i = 0; i < r.nmade; i++)
		virStorageVolFree(r.made[i]);
	free(r.made);
	*result = xasprintf("%s cloned as %s (new UUID and MACs%s%s%s).", s->name, new_name,
	                    vols ? "; " : ", no disks", vols ? (linked ? "overlays " : "disks ") : "",
	                    vols ? vols : "");
	free(vols);
	if (start) {
		if (progress)
			progress("start the clone", 0, 0, opaque);
		e = virDomainCreate(dom) == 0 ? NULL : lv_err_line();
		act(&r, msglog_virsh(uri, "start", new_name, NULL), e, "%s: start", new_name);
		t = e ? xasprintf("%s It could not start: %s.", *result, e)
		      : xasprintf("%s It is starting.", *result);
		free(*result);
		*result = t;
		free(e);
	}
	virDomainFree(dom);
	return 0;
}

/* ---- the TUI's job ---- */

struct start_call {
	struct clone_job *job;
	char *name;
	bool linked, start;
};

static void
job_progress(const char *step, uint64_t done, uint64_t total, void *opaque)
{
	struct clone_job *j = opaque;

	host_lock(j->host);
	if (j->step == NULL || strcmp(j->step, step) != 0) {
		free(j->step);
		j->step = xstrdup(step);
	}
	if (total > 0) {
		if (j->copy == NULL || strcmp(j->copy, step) != 0) {
			free(j->copy);
			j->copy = xstrdup(step);
		}
		j->done = done;
		j->total = total;
	}
	host_publish_unlock(j->host);
}

static void
job_action(const char *virsh, const char *err, const char *what, void *opaque)
{
	(void)opaque;
	msglog_action(virsh, err, "%s", what);
}

static void
not_connected(struct clone_job *j)
{
	char *err = host_not_connected(j->host);

	host_lock(j->host);
	free(j->error);
	j->error = err;
	j->state = CJ_FAILED;
	host_publish_unlock(j->host);
}

static void
job_read(struct host *h, virConnectPtr conn, void *arg)
{
	struct clone_job *j = arg;
	struct clone_src s;
	char *err = NULL;

	if (conn == NULL) {
		not_connected(j);
	} else {
		int rc = clone_read(conn, j->uuid, &s, &err);
		host_lock(h);
		if (rc == 0) {
			clone_src_free(&j->src);
			j->src = s;
			j->state = CJ_READY;
		} else {
			j->error = err;
			j->state = CJ_FAILED;
		}
		host_publish_unlock(h);
	}
	clone_job_release(j);
}

static void
job_clone(struct host *h, virConnectPtr conn, void *arg)
{
	struct start_call *c = arg;
	struct clone_job *j = c->job;
	struct clone_src s;
	char *err = NULL, *result = NULL, *uri;
	int rc;

	if (conn == NULL) {
		not_connected(j);
		goto cleanup;
	}
	uri = host_virsh_uri(h);
	rc = clone_read(conn, j->uuid, &s, &err);
	if (rc == 0) {
		rc = clone_run(conn, uri, &s, c->name, c->linked, c->start, job_progress, job_action,
		               j, &result, &err);
		clone_src_free(&s);
	}
	free(uri);
	if (rc == 0)
		msglog_add(MSG_INFO, "%s", result);
	else
		msglog_add(MSG_ERROR, "%s", err);
	host_lock(h);
	j->state = rc == 0 ? CJ_DONE : CJ_FAILED;
	free(j->error);
	j->error = err;
	free(j->result);
	j->result = result;
	if (rc == 0 && j->total)
		j->done = j->total;
	host_publish_unlock(h);

cleanup:
	free(c->name);
	free(c);
	clone_job_release(j);
}

struct clone_job *
clone_job_new(struct host *h, const char *uuid)
{
	struct clone_job *j = xcalloc(1, sizeof *j);

	j->host = h;
	snprintf(j->uuid, sizeof j->uuid, "%s", uuid);
	j->refs = 2;
	j->state = CJ_READING;
	host_call(h, job_read, j);
	return j;
}

void
clone_job_start(struct clone_job *j, const char *new_name, bool linked, bool start)
{
	struct start_call *c = xcalloc(1, sizeof *c);

	c->job = j;
	c->name = xstrdup(new_name);
	c->linked = linked;
	c->start = start;
	host_lock(j->host);
	j->refs++;
	j->state = CJ_RUNNING;
	free(j->error);
	free(j->result);
	free(j->step);
	free(j->copy);
	j->error = j->result = j->copy = NULL;
	j->step = xstrdup("reading the source");
	j->done = j->total = 0;
	free(j->new_name);
	j->new_name = xstrdup(new_name);
	host_unlock(j->host);
	host_call(j->host, job_clone, c);
}

void
clone_job_release(struct clone_job *j)
{
	if (j == NULL || !host_unref(j->host, &j->refs))
		return;
	clone_src_free(&j->src);
	free(j->step);
	free(j->copy);
	free(j->error);
	free(j->result);
	free(j->new_name);
	free(j);
}
