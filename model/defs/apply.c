/* apply.c — carry out a plan: volumes with virStorageVolCreateXML (blank
 * or qcow2 overlay) or virStorageVolCreateXMLFrom (copy), the cloud-init
 * seed uploaded through a stream so that remote hosts work too, the domain
 * from vmxml_domain, autostart and start; vCPU and memory changes with
 * virDomainSet*Flags. Every object the run creates is remembered, so that a
 * failure can remove it again. Volume XML is written with libxml2's
 * writer, which escapes every string. */
#include "apply.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libvirt/virterror.h>
#include <libxml/xmlwriter.h>

#include "../base/xmalloc.h"
#include "netxml.h"
#include "tagmeta.h"
#include "resplan.h"
#include "vmxml.h"

#define UPLOAD_CHUNK (256u * 1024)

/* Something this run created. */
struct undo {
	virStorageVolPtr vol; /* or */
	virDomainPtr dom;     /* or */
	virStoragePoolPtr spool; /* or */
	virNetworkPtr net;
	bool started, built;
	/* The call's answer was lost with the connection: it may have been
	 * made (vol and dom are NULL; is_dom says which it would be). */
	bool maybe, is_dom;
	char *pool, *name;
};

struct run {
	virConnectPtr conn;
	apply_progress_cb cb;
	void *opaque;
	const char *vm;      /* the VM being applied */
	char *step;          /* the step under way */
	struct undo *undo;
	size_t nundo;
	char *err;           /* the failure, once there is one */
};

/* ---- progress and errors ---- */

static void
report(struct run *r, enum apply_phase ph, const char *step, uint64_t done, uint64_t total)
{
	struct apply_progress p = { r->vm, step, ph, done, total };

	if (r->cb)
		r->cb(&p, r->opaque);
}

/* Start a step; its text is kept for the failure message. */
static void __attribute__((format(printf, 3, 4)))
step(struct run *r, uint64_t total, const char *fmt, ...)
{
	va_list ap;

	free(r->step);
	va_start(ap, fmt);
	if (vasprintf(&r->step, fmt, ap) < 0)
		r->step = xstrdup(fmt);
	va_end(ap);
	report(r, APPLY_BEGIN, r->step, 0, total);
}

static void
step_end(struct run *r, uint64_t total)
{
	report(r, APPLY_END, r->step, total, total);
}

/* The step failed because of `why` (NULL: libvirt's last error). */
static int
fail(struct run *r, const char *why)
{
	const char *m = why ? why : virGetLastErrorMessage();
	size_t n;

	m = m && m[0] ? m : "unknown error";
	n = strlen(m);
	free(r->err);
	r->err = xasprintf("%s: %s failed: %.*s.", r->vm, r->step ? r->step : "apply",
	                   (int)(m[n - 1] == '.' ? n - 1 : n), m);
	return -1;
}

static struct undo *
remember(struct run *r)
{
	struct undo *u;

	r->undo = xreallocarray(r->undo, r->nundo + 1, sizeof *r->undo);
	u = &r->undo[r->nundo++];
	memset(u, 0, sizeof *u);
	return u;
}

/* After a failed create: when the connection is gone, the object may have
 * been made all the same; remember it as a maybe for the report. */
static void
maybe_made(struct run *r, bool is_dom, const char *pool, const char *name)
{
	struct undo *u;

	if (virConnectIsAlive(r->conn) != 0)
		return;
	u = remember(r);
	u->maybe = true;
	u->is_dom = is_dom;
	u->pool = pool ? xstrdup(pool) : NULL;
	u->name = xstrdup(name);
}

/* ---- volume XML ---- */

/* Writes one element holding text. */
static int
w_elem(xmlTextWriterPtr w, const char *name, const char *text)
{
	return xmlTextWriterWriteElement(w, BAD_CAST name, BAD_CAST text);
}

static int
w_format(xmlTextWriterPtr w, const char *format)
{
	if (format == NULL)
		return 0;
	if (xmlTextWriterStartElement(w, BAD_CAST "format") < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "type", BAD_CAST format) < 0)
		return -1;
	return xmlTextWriterEndElement(w);
}

/* The body of <volume>; -1 when the writer fails. */
static int
w_volume(xmlTextWriterPtr w, const char *name, uint64_t capacity, const char *format,
         const char *backing, const char *backing_format)
{
	char cap[24];

	snprintf(cap, sizeof cap, "%" PRIu64, capacity);
	if (xmlTextWriterStartElement(w, BAD_CAST "volume") < 0 || w_elem(w, "name", name) < 0 ||
	    xmlTextWriterStartElement(w, BAD_CAST "capacity") < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "unit", BAD_CAST "bytes") < 0 ||
	    xmlTextWriterWriteString(w, BAD_CAST cap) < 0 || xmlTextWriterEndElement(w) < 0 ||
	    w_elem(w, "allocation", "0") < 0 ||
	    xmlTextWriterStartElement(w, BAD_CAST "target") < 0 || w_format(w, format) < 0 ||
	    xmlTextWriterEndElement(w) < 0)
		return -1;
	if (backing && (xmlTextWriterStartElement(w, BAD_CAST "backingStore") < 0 ||
	                w_elem(w, "path", backing) < 0 || w_format(w, backing_format) < 0 ||
	                xmlTextWriterEndElement(w) < 0))
		return -1;
	return xmlTextWriterEndElement(w);
}

/* A <volume> for virStorageVolCreateXML(From); NULL if it cannot be written. */
static char *
vol_xml(const char *name, uint64_t capacity, const char *format, const char *backing,
        const char *backing_format)
{
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
	char *out = NULL;

	if (w && w_volume(w, name, capacity, format, backing, backing_format) == 0 &&
	    xmlTextWriterFlush(w) >= 0)
		out = xstrdup((const char *)xmlBufferContent(buf));
	if (w)
		xmlFreeTextWriter(w);
	if (buf)
		xmlBufferFree(buf);
	return out;
}

/* ---- creating ---- */

static virStoragePoolPtr
pool_get(struct run *r, const char *name)
{
	virStoragePoolPtr pool = virStoragePoolLookupByName(r->conn, name);

	if (pool == NULL)
		fail(r, NULL);
	return pool;
}

/* Create volume `name` in `pool` from xml (a copy of `from` when given)
 * and remember it; NULL on failure. */
static virStorageVolPtr
vol_create(struct run *r, const char *pool_name, const char *name, const char *xml,
           virStorageVolPtr from)
{
	virStoragePoolPtr pool = pool_get(r, pool_name);
	virStorageVolPtr vol = NULL;
	struct undo *u;

	if (pool == NULL)
		return NULL;
	if (xml == NULL)
		fail(r, "the volume XML cannot be written");
	else if ((vol = from ? virStorageVolCreateXMLFrom(pool, xml, from, 0)
	                     : virStorageVolCreateXML(pool, xml, 0)) == NULL)
		fail(r, NULL);
	virStoragePoolFree(pool);
	if (vol == NULL) {
		if (xml != NULL)
			maybe_made(r, false, pool_name, name);
		return NULL;
	}
	u = remember(r);
	u->vol = vol;
	u->pool = xstrdup(pool_name);
	u->name = xstrdup(name);
	return vol;
}

/* A copy keeps the image's size; grow it to the size asked for. */
static int
grow(struct run *r, virStorageVolPtr vol, uint64_t capacity)
{
	virStorageVolInfo info;

	if (virStorageVolGetInfo(vol, &info) < 0)
		return fail(r, NULL);
	if (info.capacity < capacity && virStorageVolResize(vol, capacity, 0) < 0)
		return fail(r, NULL);
	return 0;
}

/* One disk's volume; its path into *path (a new string). */
static int
make_vol(struct run *r, const struct plan_vol *pv, char **path)
{
	virStorageVolPtr vol, from = NULL;
	char *xml, *s;
	int rc = -1;

	step(r, pv->kind == PLAN_VOL_COPY ? pv->capacity : 0, "%s volume %s in pool %s",
	     pv->kind == PLAN_VOL_COPY ? "copy the image into" : "create", pv->name, pv->pool);
	xml = vol_xml(pv->name, pv->capacity, pv->format,
	              pv->kind == PLAN_VOL_OVERLAY ? pv->base_path : NULL, pv->base_format);
	if (pv->kind == PLAN_VOL_COPY && (from = virStorageVolLookupByPath(r->conn, pv->base_path)) == NULL) {
		fail(r, NULL);
		goto cleanup;
	}
	if ((vol = vol_create(r, pv->pool, pv->name, xml, from)) == NULL)
		goto cleanup;
	if (pv->kind == PLAN_VOL_COPY && grow(r, vol, pv->capacity) < 0)
		goto cleanup;
	if ((s = virStorageVolGetPath(vol)) == NULL) {
		fail(r, NULL);
		goto cleanup;
	}
	*path = xstrdup(s);
	free(s);
	step_end(r, pv->kind == PLAN_VOL_COPY ? pv->capacity : 0);
	rc = 0;

cleanup:
	if (from)
		virStorageVolFree(from);
	free(xml);
	return rc;
}

/* Send the bytes through st, reporting progress. */
static int
send_all(struct run *r, virStreamPtr st, const unsigned char *data, size_t len)
{
	size_t off = 0;

	while (off < len) {
		size_t n = len - off < UPLOAD_CHUNK ? len - off : UPLOAD_CHUNK;
		int got = virStreamSend(st, (const char *)data + off, n);

		if (got <= 0)
			return fail(r, got == 0 ? "the stream was closed" : NULL);
		off += (size_t)got;
		report(r, APPLY_BYTES, r->step, off, len);
	}
	return 0;
}

/* The seed ISO into a new volume, through a stream (works remotely). */
static int
upload_seed(struct run *r, const struct plan_vm *v, char **path)
{
	char *xml = vol_xml(v->seed_name, v->seed_len, "raw", NULL, NULL), *s;
	virStorageVolPtr vol;
	virStreamPtr st = NULL;
	int rc = -1;

	step(r, v->seed_len, "upload the cloud-init seed to volume %s in pool %s", v->seed_name,
	     v->seed_pool);
	if ((vol = vol_create(r, v->seed_pool, v->seed_name, xml, NULL)) == NULL)
		goto cleanup;
	if ((st = virStreamNew(r->conn, 0)) == NULL ||
	    virStorageVolUpload(vol, st, 0, v->seed_len, 0) < 0) {
		fail(r, NULL);
		goto cleanup;
	}
	if (send_all(r, st, v->seed_iso, v->seed_len) < 0) {
		virStreamAbort(st);
		goto cleanup;
	}
	if (virStreamFinish(st) < 0 || (s = virStorageVolGetPath(vol)) == NULL) {
		fail(r, NULL);
		goto cleanup;
	}
	*path = xstrdup(s);
	free(s);
	step_end(r, v->seed_len);
	rc = 0;

cleanup:
	if (st)
		virStreamFree(st);
	free(xml);
	return rc;
}

/* Nobody may have taken the name since the plan. */
static int
name_free(struct run *r, const char *name)
{
	virDomainPtr dom = virDomainLookupByName(r->conn, name);
	char uuid[VIR_UUID_STRING_BUFLEN] = "?";
	char *why;

	if (dom == NULL)
		return virGetLastErrorCode() == VIR_ERR_NO_DOMAIN ? 0 : fail(r, NULL);
	virDomainGetUUIDString(dom, uuid);
	virDomainFree(dom);
	why = xasprintf("a VM named %s (UUID %s) appeared since the plan was made; run plan "
	                "again", name, uuid);
	fail(r, why);
	free(why);
	return -1;
}

/* Started from the install media: the running guest keeps booting the CD
 * first until the installer's reboot ends it (on_reboot destroy), and the
 * saved definition boots the disk first from the next start on. */
static int
after_install(struct run *r, const struct plan_vm *v, struct vmxml_opts *o, virDomainPtr dom)
{
	char uuid[VIR_UUID_STRING_BUFLEN], *xml, *e = NULL;
	virDomainPtr again;

	step(r, 0, "save VM %s to boot its disk first after the install", v->def->name);
	if (virDomainGetUUIDString(dom, uuid) < 0)
		return fail(r, NULL);
	o->install = false;
	o->uuid = uuid;
	if ((xml = vmxml_domain(v->def, o, &e)) == NULL) {
		fail(r, e);
		free(e);
		return -1;
	}
	again = virDomainDefineXML(r->conn, xml);
	free(xml);
	if (again == NULL)
		return fail(r, NULL);
	virDomainFree(again);
	step_end(r, 0);
	return 0;
}

/* Define the domain with the volumes' paths, then autostart and start. */
static int
define_vm(struct run *r, const struct plan_vm *v, char **paths, const char *seed_path)
{
	struct vmxml_disk_src *src = xcalloc(v->nvols + 1, sizeof *src);
	struct vmxml_opts o = { .domain_type = v->domain_type, .disks = src,
	                        .seed_path = seed_path, .iso_path = v->iso_path,
	                        .install = v->def->iso && v->def->start };
	char *xml = NULL, *e = NULL;
	struct undo *u;
	virDomainPtr dom;
	size_t i;
	int rc = -1;

	step(r, 0, "define VM %s", v->def->name);
	for (i = 0; i < v->nvols; i++)
		src[i] = (struct vmxml_disk_src){ paths[i], v->vols[i].format };
	if (name_free(r, v->def->name) < 0)
		goto cleanup;
	if ((xml = vmxml_domain(v->def, &o, &e)) == NULL) {
		fail(r, e);
		goto cleanup;
	}
	if ((dom = virDomainDefineXML(r->conn, xml)) == NULL) {
		fail(r, NULL);
		maybe_made(r, true, NULL, v->def->name);
		goto cleanup;
	}
	u = remember(r);
	u->dom = dom;
	u->name = xstrdup(v->def->name);
	step_end(r, 0);
	if (v->def->autostart) {
		step(r, 0, "turn autostart on");
		if (virDomainSetAutostart(dom, 1) < 0) {
			fail(r, NULL);
			goto cleanup;
		}
		step_end(r, 0);
	}
	if (v->def->start) {
		step(r, 0, "start VM %s", v->def->name);
		if (virDomainCreate(dom) < 0) {
			fail(r, NULL);
			goto cleanup;
		}
		u->started = true;
		step_end(r, 0);
	}
	if (o.install && after_install(r, v, &o, dom) < 0)
		goto cleanup;
	rc = 0;

cleanup:
	free(xml);
	free(e);
	free(src);
	return rc;
}

static int
create_vm(struct run *r, const struct plan_vm *v)
{
	char **paths = xcalloc(v->nvols + 1, sizeof *paths), *seed = NULL;
	size_t i;
	int rc = -1;

	for (i = 0; i < v->nvols; i++)
		if (v->vols[i].kind != PLAN_VOL_PATH && make_vol(r, &v->vols[i], &paths[i]) < 0)
			goto cleanup;
	if (v->seed_name && upload_seed(r, v, &seed) < 0)
		goto cleanup;
	rc = define_vm(r, v, paths, seed);

cleanup:
	for (i = 0; i < v->nvols; i++)
		free(paths[i]);
	free(paths);
	free(seed);
	return rc;
}

/* ---- changing ---- */

/* A value of a change as a number: a count, or a size in bytes. */
static uint64_t
change_value(const char *s)
{
	uint64_t v = 0;

	if (vmdef_parse_size(s, 1, &v) != VMDEF_SIZE_OK)
		v = 0;
	return v;
}

/* Set one vCPU or memory value; LIVE on a running VM falls back to the
 * saved definition alone, with a note, when the guest cannot take it. */
static int
set_value(struct run *r, virDomainPtr dom, const struct plan_change *ch, uint64_t value,
          bool running)
{
	bool cpu = strstr(ch->field, "vcpus") != NULL, max = strncmp(ch->field, "max_", 4) == 0;
	unsigned flags = VIR_DOMAIN_AFFECT_CONFIG, extra;
	int rc;

	extra = max ? (cpu ? VIR_DOMAIN_VCPU_MAXIMUM : VIR_DOMAIN_MEM_MAXIMUM) : 0;
	if (ch->when == PLAN_LIVE && running)
		flags |= VIR_DOMAIN_AFFECT_LIVE;
	step(r, 0, "set %s to %s", ch->field, ch->want);
	rc = cpu ? virDomainSetVcpusFlags(dom, (unsigned)value, flags | extra)
	         : virDomainSetMemoryFlags(dom, (unsigned long)(value / 1024), flags | extra);
	if (rc < 0 && (flags & VIR_DOMAIN_AFFECT_LIVE)) {
		char *note = xasprintf("%s: the running VM did not take it (%s); saved for the next "
		                       "boot", ch->field, virGetLastErrorMessage());
		flags = VIR_DOMAIN_AFFECT_CONFIG;
		rc = cpu ? virDomainSetVcpusFlags(dom, (unsigned)value, flags | extra)
		         : virDomainSetMemoryFlags(dom, (unsigned long)(value / 1024), flags | extra);
		if (rc == 0)
			report(r, APPLY_NOTE, note, 0, 0);
		free(note);
	}
	if (rc < 0)
		return fail(r, NULL);
	step_end(r, 0);
	return 0;
}

/* The change's order: raise maxima, then current values, then lower
 * maxima, so that current never exceeds max on the way; autostart last. */
static int
pass_of(const struct plan_change *ch, const struct plan_vm *v)
{
	if (strcmp(ch->field, "autostart") == 0 || strcmp(ch->field, "tags") == 0 ||
	    strcmp(ch->field, "notes") == 0)
		return 3;
	if (strncmp(ch->field, "max_", 4) != 0)
		return 1;
	return change_value(ch->want) > change_value(ch->have) ? 0 : 2;
}

/* The definition's value for a vCPU or memory field. */
static uint64_t
want_value(const struct plan_vm *v, const char *field)
{
	const struct vmdef *d = v->def;

	if (strcmp(field, "vcpus") == 0)
		return d->vcpus;
	if (strcmp(field, "max_vcpus") == 0)
		return d->max_vcpus;
	return strcmp(field, "memory") == 0 ? d->memory : d->max_memory;
}

/* tags: or notes: into the domain's metadata, running and saved. */
static int
apply_tags(struct run *r, virDomainPtr dom, const struct plan_vm *v, const struct plan_change *ch)
{
	struct tag_edit e = { 0 };
	char *err = NULL;
	int rc;

	if (strcmp(ch->field, "tags") == 0) {
		e.clear_tags = true;
		e.add = v->def->tags;
		e.nadd = v->def->ntags;
		step(r, 0, "set tags %s", ch->want);
	} else {
		e.set_note = true;
		e.note = v->def->notes;
		step(r, 0, "%s the note", v->def->notes ? "set" : "remove");
	}
	rc = tagmeta_edit(dom, &e, NULL, NULL, NULL, &err);
	if (rc < 0) {
		fail(r, err);
		free(err);
		return -1;
	}
	step_end(r, 0);
	return 0;
}

static int
apply_change(struct run *r, virDomainPtr dom, const struct plan_vm *v,
             const struct plan_change *ch, bool running)
{
	if (strcmp(ch->field, "tags") == 0 || strcmp(ch->field, "notes") == 0)
		return apply_tags(r, dom, v, ch);
	if (strcmp(ch->field, "autostart") != 0)
		return set_value(r, dom, ch, want_value(v, ch->field), running);
	step(r, 0, "turn autostart %s", ch->want);
	if (virDomainSetAutostart(dom, v->def->autostart) < 0)
		return fail(r, NULL);
	step_end(r, 0);
	return 0;
}

/* The VM must still be the one the plan looked at. */
static virDomainPtr
same_vm(struct run *r, const struct plan_vm *v)
{
	virDomainPtr dom = virDomainLookupByName(r->conn, v->def->name);
	char uuid[VIR_UUID_STRING_BUFLEN] = "";
	char *why;

	step(r, 0, "look up VM %s", v->def->name);
	if (dom == NULL) {
		fail(r, NULL);
		return NULL;
	}
	if (virDomainGetUUIDString(dom, uuid) < 0 || strcmp(uuid, v->uuid) != 0) {
		why = xasprintf("VM %s was defined again since the plan was made (UUID %s, was %s); "
		                "run plan again", v->def->name, uuid, v->uuid);
		fail(r, why);
		free(why);
		virDomainFree(dom);
		return NULL;
	}
	step_end(r, 0);
	return dom;
}

static int
update_vm(struct run *r, const struct plan_vm *v)
{
	virDomainPtr dom = same_vm(r, v);
	bool running;
	size_t i;
	int pass, rc = 0;

	if (dom == NULL)
		return -1;
	running = virDomainIsActive(dom) == 1;
	for (pass = 0; pass < 4 && rc == 0; pass++)
		for (i = 0; i < v->nchanges && rc == 0; i++)
			if (v->changes[i].when != PLAN_NOT_APPLIED && pass_of(&v->changes[i], v) == pass)
				rc = apply_change(r, dom, v, &v->changes[i], running);
	virDomainFree(dom);
	return rc;
}

/* ---- storage pools and networks ---- */

/* One call on a pool or a network, which returns -1 on failure. */
#define RES_CALL(u, pool_call, net_call) ((u)->spool ? (pool_call) : (net_call))

/* Define a pool or network from the plan's XML, then build, autostart
 * and start it as its definition says. */
static int
create_res(struct run *r, const struct plan_res *res)
{
	const char *what = res->pool ? "pool" : "network", *made;
	unsigned flags = 0;
	bool folder = false;
	bool build = res->pool && resplan_pool_build(res->pool, &flags, &folder, &made);
	bool start = res->pool ? res->pool->start : res->net->start;
	bool autostart = res->pool ? res->pool->autostart : res->net->autostart;
	struct undo *u;
	virStoragePoolPtr pool = NULL;
	virNetworkPtr net = NULL;

	step(r, 0, "define %s %s", what, res->name);
	if (res->pool)
		pool = virStoragePoolDefineXML(r->conn, res->xml, 0);
	else
		net = virNetworkDefineXML(r->conn, res->xml);
	if (pool == NULL && net == NULL)
		return fail(r, NULL);
	u = remember(r);
	u->spool = pool;
	u->net = net;
	u->name = xstrdup(res->name);
	step_end(r, 0);
	if (build) {
		step(r, 0, "build pool %s: %s", res->name, made);
		if (virStoragePoolBuild(pool, flags) < 0)
			return fail(r, NULL);
		u->built = folder;
		step_end(r, 0);
	}
	if (autostart) {
		step(r, 0, "turn autostart on");
		if (RES_CALL(u, virStoragePoolSetAutostart(pool, 1), virNetworkSetAutostart(net, 1)) < 0)
			return fail(r, NULL);
		step_end(r, 0);
	}
	if (start) {
		step(r, 0, "start %s %s", what, res->name);
		if (RES_CALL(u, virStoragePoolCreate(pool, 0), virNetworkCreate(net)) < 0)
			return fail(r, NULL);
		u->started = true;
		step_end(r, 0);
	}
	return 0;
}

/* Add the fixed DHCP host of change ch ("hosts[MAC]"): live when the
 * network runs, and to its saved definition. */
static int
add_host(struct run *r, virNetworkPtr net, const struct netdef *d, const struct plan_change *ch)
{
	unsigned flags = VIR_NETWORK_UPDATE_AFFECT_CONFIG;
	const struct netdef_host *h = NULL;
	char *xml;
	size_t i;
	int rc;

	for (i = 0; i < d->nhosts; i++)
		if (strncmp(ch->field + 6, d->hosts[i].mac, 17) == 0)
			h = &d->hosts[i];
	step(r, 0, "add fixed host %.17s -> %s", ch->field + 6, ch->want);
	if (h == NULL || (xml = netxml_dhcp_host(h->mac, h->ip, h->name)) == NULL)
		return fail(r, "the fixed host cannot be written");
	if (virNetworkIsActive(net) == 1)
		flags |= VIR_NETWORK_UPDATE_AFFECT_LIVE;
	rc = virNetworkUpdate(net, VIR_NETWORK_UPDATE_COMMAND_ADD_LAST,
	                      VIR_NETWORK_SECTION_IP_DHCP_HOST, -1, xml, flags);
	free(xml);
	if (rc < 0)
		return fail(r, NULL);
	step_end(r, 0);
	return 0;
}

/* The changes an existing pool or network takes: fixed hosts, then its
 * state, then autostart. */
static int
update_res(struct run *r, const struct plan_res *res)
{
	struct undo tmp = { 0 };
	const char *what = res->pool ? "pool" : "network";
	size_t i;
	int pass, rc = 0;

	step(r, 0, "look up %s %s", what, res->name);
	if (res->pool)
		tmp.spool = virStoragePoolLookupByName(r->conn, res->name);
	else
		tmp.net = virNetworkLookupByName(r->conn, res->name);
	if (tmp.spool == NULL && tmp.net == NULL)
		return fail(r, NULL);
	step_end(r, 0);
	for (pass = 0; pass < 3 && rc == 0; pass++)
		for (i = 0; i < res->nchanges && rc == 0; i++) {
			const struct plan_change *ch = &res->changes[i];
			bool on = strcmp(ch->want, "on") == 0;

			if (ch->when == PLAN_NOT_APPLIED)
				continue;
			if (pass == 0 && strncmp(ch->field, "hosts[", 6) == 0 && tmp.net) {
				rc = add_host(r, tmp.net, res->net, ch);
			} else if (pass == 1 && strcmp(ch->field, "state") == 0) {
				step(r, 0, "start %s %s", what, res->name);
				if (RES_CALL(&tmp, virStoragePoolCreate(tmp.spool, 0),
				             virNetworkCreate(tmp.net)) < 0)
					rc = fail(r, NULL);
				else
					step_end(r, 0);
			} else if (pass == 2 && strcmp(ch->field, "autostart") == 0) {
				step(r, 0, "turn autostart %s", ch->want);
				if (RES_CALL(&tmp, virStoragePoolSetAutostart(tmp.spool, on),
				             virNetworkSetAutostart(tmp.net, on)) < 0)
					rc = fail(r, NULL);
				else
					step_end(r, 0);
			}
		}
	if (tmp.spool)
		virStoragePoolFree(tmp.spool);
	if (tmp.net)
		virNetworkFree(tmp.net);
	return rc;
}

static int
apply_res(struct run *r, const struct plan_res *res)
{
	r->vm = res->name;
	if (res->kind == PLAN_CREATE)
		return create_res(r, res);
	return plan_res_has_work(res) ? update_res(r, res) : 0;
}

/* ---- rolling back ---- */

/* Stop, delete (a folder it built, when empty) and undefine a pool or
 * network this run made; a sentence for the report. */
static char *
undo_res(struct run *r, struct undo *u)
{
	const char *what = u->spool ? "pool" : "network";
	int rc;

	step(r, 0, "roll back: undefine %s %s", what, u->name);
	if (u->started)
		(void)(u->spool ? virStoragePoolDestroy(u->spool) : virNetworkDestroy(u->net));
	if (u->built)
		(void)virStoragePoolDelete(u->spool, VIR_STORAGE_POOL_DELETE_NORMAL);
	rc = u->spool ? virStoragePoolUndefine(u->spool) : virNetworkUndefine(u->net);
	if (rc < 0)
		return xasprintf("could not undefine %s %s (%s): remove it by hand (virsh %s %s)",
		                 what, u->name, virGetLastErrorMessage(),
		                 u->spool ? "pool-undefine" : "net-undefine", u->name);
	step_end(r, 0);
	return xasprintf("undefined %s %s", what, u->name);
}

/* Remove one thing this run created; a sentence for the report. */
static char *
undo_one(struct run *r, struct undo *u)
{
	const char *m;
	char *out;

	if (u->maybe && u->is_dom)
		return xasprintf("VM %s may have been defined before the connection was lost: if "
		                 "it is there, remove it by hand (virsh undefine %s)", u->name,
		                 u->name);
	if (u->maybe)
		return xasprintf("volume %s in pool %s may have been made before the connection was "
		                 "lost: if it is there, delete it by hand (virsh vol-delete --pool %s "
		                 "%s)", u->name, u->pool, u->pool, u->name);
	if (u->spool || u->net)
		return undo_res(r, u);
	if (u->dom) {
		step(r, 0, "roll back: undefine VM %s", u->name);
		if (u->started)
			virDomainDestroy(u->dom);
		if (virDomainUndefine(u->dom) < 0) {
			m = virGetLastErrorMessage();
			return xasprintf("could not undefine VM %s (%s): remove it by hand (virsh "
			                 "undefine %s)", u->name, m, u->name);
		}
		out = xasprintf("undefined VM %s", u->name);
	} else {
		step(r, 0, "roll back: delete volume %s in pool %s", u->name, u->pool);
		if (virStorageVolDelete(u->vol, 0) < 0) {
			m = virGetLastErrorMessage();
			return xasprintf("could not delete volume %s (%s): delete it by hand (virsh "
			                 "vol-delete --pool %s %s)", u->name, m, u->pool, u->name);
		}
		out = xasprintf("deleted volume %s in pool %s", u->name, u->pool);
	}
	step_end(r, 0);
	return out;
}

static void
undo_free(struct run *r)
{
	size_t i;

	for (i = 0; i < r->nundo; i++) {
		if (r->undo[i].vol)
			virStorageVolFree(r->undo[i].vol);
		if (r->undo[i].dom)
			virDomainFree(r->undo[i].dom);
		if (r->undo[i].spool)
			virStoragePoolFree(r->undo[i].spool);
		if (r->undo[i].net)
			virNetworkFree(r->undo[i].net);
		free(r->undo[i].pool);
		free(r->undo[i].name);
	}
	free(r->undo);
	r->undo = NULL;
	r->nundo = 0;
}

/* Remove everything the run created, newest first, and say so in r->err. */
static void
roll_back(struct run *r)
{
	char *msg = r->err, *next, *one;
	size_t i;

	if (r->nundo == 0) {
		r->err = xasprintf("%s Nothing had been created.", msg);
		free(msg);
		return;
	}
	for (i = r->nundo; i-- > 0;) {
		one = undo_one(r, &r->undo[i]);
		next = xasprintf("%s%s%s", msg, i == r->nundo - 1 ? " Rolled back: " : "; ", one);
		free(one);
		free(msg);
		msg = next;
	}
	r->err = xasprintf("%s.", msg);
	free(msg);
}

/* A plan with errors, one plan_make did not finish, or one with a VM
 * missing what parsing fills in: the reason (a new string), else NULL. */
static char *
refuse_plan(const struct plan *p)
{
	const char *why = NULL;
	size_t i;

	if (p->nerrors)
		return xasprintf("The plan has %zu error%s; fix %s and make the plan again.",
		                 p->nerrors, p->nerrors == 1 ? "" : "s",
		                 p->nerrors == 1 ? "it" : "them");
	if (p->uri == NULL)
		return xstrdup("There is no finished plan to apply (making it failed); make the "
		               "plan again.");
	for (i = 0; i < p->nvms; i++)
		if (p->vms[i].def == NULL || (why = vmdef_check(p->vms[i].def)) != NULL)
			return xasprintf("VM %zu of the plan is incomplete: %s; nothing was changed. "
			                 "Fix the file (vmtui validate) and make the plan again.", i + 1,
			                 p->vms[i].def ? why : "it has no definition");
	for (i = 0; i < p->npools; i++)
		if (p->pools[i].pool == NULL || (why = pooldef_check(p->pools[i].pool)) != NULL ||
		    (p->pools[i].kind == PLAN_CREATE && p->pools[i].xml == NULL))
			return xasprintf("Pool %zu of the plan is incomplete; nothing was changed. Make "
			                 "the plan again.", i + 1);
	for (i = 0; i < p->nnets; i++)
		if (p->nets[i].net == NULL || (why = netdef_check(p->nets[i].net)) != NULL ||
		    (p->nets[i].kind == PLAN_CREATE && p->nets[i].xml == NULL))
			return xasprintf("Network %zu of the plan is incomplete; nothing was changed. "
			                 "Make the plan again.", i + 1);
	return NULL;
}

int
apply_run(virConnectPtr conn, const struct plan *p, apply_progress_cb cb, void *opaque,
          char **err)
{
	struct run r = { conn, cb, opaque, NULL, NULL, NULL, 0, NULL };
	size_t i;
	int rc = 0;

	if ((*err = refuse_plan(p)) != NULL)
		return -1;
	for (i = 0; i < p->npools && rc == 0; i++)
		rc = apply_res(&r, &p->pools[i]);
	for (i = 0; i < p->nnets && rc == 0; i++)
		rc = apply_res(&r, &p->nets[i]);
	for (i = 0; i < p->nvms && rc == 0; i++) {
		const struct plan_vm *v = &p->vms[i];

		r.vm = v->def->name;
		if (v->kind == PLAN_CREATE)
			rc = create_vm(&r, v);
		else if (plan_vm_has_work(v))
			rc = update_vm(&r, v);
	}
	if (rc < 0) {
		roll_back(&r);
		*err = r.err;
		r.err = NULL;
	}
	undo_free(&r);
	free(r.step);
	free(r.err);
	return rc;
}
