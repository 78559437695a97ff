/* migrate.c — a guest moved to another host: the pre-flight (facts from
 * both hosts, then the plan, pure), the migration on a thread of its own
 * with its job's statistics polled for progress, cancel through
 * virDomainAbortJob, and an offline guest's disks copied through storage
 * streams. */
#include "migrate.h"

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
#include <libxml/xpath.h>

#include "../base/msglog.h"
#include "../base/xmalloc.h"
#include "../defs/xpath.h"
#include "../host/host.h"
#include "../host/lvutil.h"

#define MIB (1024.0 * 1024.0)

const char *
mig_mode_name(enum mig_mode m)
{
	switch (m) {
	case MIG_LIVE: return "live";
	case MIG_PAUSED: return "paused";
	case MIG_OFFLINE: return "offline";
	case MIG_AUTO: break;
	}
	return "auto";
}

const char *
mig_level_name(enum mig_level l)
{
	return l == MIG_OK ? "ok" : l == MIG_WARN ? "warn" : "FAIL";
}

/* ---- facts ---- */

void
mig_facts_clear(struct mig_facts *f)
{
	size_t i;

	for (i = 0; i < f->nnets; i++)
		free(f->nets[i].name);
	for (i = 0; i < f->nbridges; i++)
		free(f->bridges[i]);
	for (i = 0; i < f->ndisks; i++) {
		free(f->disks[i].target);
		free(f->disks[i].path);
		free(f->disks[i].pool);
		free(f->disks[i].format);
	}
	free(f->nets);
	free(f->bridges);
	free(f->disks);
	free(f->name);
	free(f->reach_err);
	free(f->target_label);
	free(f->cpu_err);
	free(f->cpu_what);
	memset(f, 0, sizeof(*f));
	f->cpu_cmp = -2;
}

int
mig_xml_refs(const char *xml, struct mig_facts *f)
{
	xmlDocPtr doc = xml ? xml_read_quiet(xml, "domain.xml") : NULL;
	xmlXPathContextPtr ctx;
	xmlXPathObjectPtr o;
	int i, rc = -1;

	if (doc == NULL)
		return -1;
	ctx = xmlXPathNewContext(doc);
	if (xpath_count(ctx, "/domain") != 1)
		goto cleanup;
	o = xmlXPathEvalExpression(BAD_CAST "/domain/devices/interface", ctx);
	for (i = 0; o && o->nodesetval && i < o->nodesetval->nodeNr; i++) {
		xmlNodePtr n = o->nodesetval->nodeTab[i];
		char *type = xpath_str_at(ctx, n, "string(@type)");
		char *net = xpath_str_at(ctx, n, "string(source/@network)");
		char *br = xpath_str_at(ctx, n, "string(source/@bridge)");
		if (type && strcmp(type, "network") == 0 && net) {
			f->nets = xreallocarray(f->nets, f->nnets + 1, sizeof(*f->nets));
			f->nets[f->nnets++] = (struct mig_net){ .name = net };
			net = NULL;
		} else if (type && strcmp(type, "bridge") == 0 && br) {
			f->bridges = xreallocarray(f->bridges, f->nbridges + 1, sizeof(*f->bridges));
			f->bridges[f->nbridges++] = br;
			br = NULL;
		}
		free(type);
		free(net);
		free(br);
	}
	xmlXPathFreeObject(o);
	o = xmlXPathEvalExpression(BAD_CAST "/domain/devices/disk", ctx);
	for (i = 0; o && o->nodesetval && i < o->nodesetval->nodeNr; i++) {
		xmlNodePtr n = o->nodesetval->nodeTab[i];
		char *dev = xpath_str_at(ctx, n, "string(@device)");
		char *path = xpath_str_at(ctx, n, "string(source/@file | source/@dev)");
		struct mig_disk d = { 0 };

		d.target = xpath_str_at(ctx, n, "string(target/@dev)");
		d.pool = xpath_str_at(ctx, n, "string(source/@pool)");
		d.format = xpath_str_at(ctx, n, "string(driver/@type)");
		d.readonly = (dev && (strcmp(dev, "cdrom") == 0 || strcmp(dev, "floppy") == 0)) ||
		             xpath_count(ctx, "readonly") > 0;
		d.path = path;
		free(dev);
		if (d.path == NULL && d.pool == NULL) { /* an empty drive */
			free(d.target);
			free(d.format);
			continue;
		}
		f->disks = xreallocarray(f->disks, f->ndisks + 1, sizeof(*f->disks));
		f->disks[f->ndisks++] = d;
	}
	xmlXPathFreeObject(o);
	rc = 0;
cleanup:
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return rc;
}

/* ---- the plan (pure) ---- */

void
mig_plan_clear(struct mig_plan *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		free(p->v[i].what);
		free(p->v[i].detail);
		free(p->v[i].fix);
	}
	free(p->v);
	memset(p, 0, sizeof(*p));
}

/* Add a line; fix may be NULL. */
static void __attribute__((format(printf, 5, 6)))
line(struct mig_plan *p, enum mig_level l, const char *what, const char *fix,
     const char *fmt, ...)
{
	va_list ap;
	char *d;

	va_start(ap, fmt);
	if (vasprintf(&d, fmt, ap) < 0)
		d = NULL;
	va_end(ap);
	p->v = xreallocarray(p->v, p->n + 1, sizeof(*p->v));
	p->v[p->n++] = (struct mig_line){ l, xstrdup(what), d ? d : xstrdup(""),
	                                  fix ? xstrdup(fix) : NULL };
}

static bool
is_active_state(int st)
{
	return st == VIR_DOMAIN_RUNNING || st == VIR_DOMAIN_PAUSED || st == VIR_DOMAIN_BLOCKED;
}

/* The guest's state against the mode; resolves MIG_AUTO. */
static void
plan_state(const struct mig_facts *f, const struct mig_opts *o, struct mig_plan *p)
{
	bool up = is_active_state(f->state);

	p->mode = o->mode != MIG_AUTO ? o->mode : up ? MIG_LIVE : MIG_OFFLINE;
	if (p->mode == MIG_OFFLINE && up)
		line(p, MIG_FAIL, "guest state", "shut it down first, or migrate it live (or paused)",
		     "%s is running: an offline migration moves a shut off guest", f->name);
	else if (p->mode != MIG_OFFLINE && !up)
		line(p, MIG_FAIL, "guest state", "migrate it offline, or start it first",
		     "%s is not running: only a running guest migrates %s", f->name,
		     mig_mode_name(p->mode));
	else
		line(p, MIG_OK, "guest state", NULL, "%s, migrates %s", up ? "running" : "shut off",
		     mig_mode_name(p->mode));
	if (p->mode == MIG_OFFLINE && o->transient)
		line(p, MIG_FAIL, "options", "drop the transient option",
		     "an offline migration only moves the definition: it cannot be transient");
	if (o->p2p && (o->p2p_uri == NULL || o->p2p_uri[0] == '\0'))
		line(p, MIG_FAIL, "options", "give the target's URI as the source host reaches it",
		     "peer-to-peer needs the URI the source daemon opens");
}

static void
plan_host(const struct mig_facts *f, struct mig_plan *p)
{
	const char *t = f->target_label ? f->target_label : "the target";

	if (!f->reachable) {
		line(p, MIG_FAIL, "target reachable",
		     "check the target's URI or SSH host (config.yaml hosts:) and that its libvirt "
		     "daemon runs", "%s: %s", t, f->reach_err ? f->reach_err : "no connection");
		return;
	}
	if (f->same_host)
		line(p, MIG_FAIL, "target reachable",
		     "pick another host (two daemons of one machine need distinct host_uuid "
		     "in libvirtd.conf)", "%s is the guest's own host (same host UUID)", t);
	else
		line(p, MIG_OK, "target reachable", NULL, "%s answers", t);
}

static void
plan_cpu(const struct mig_facts *f, struct mig_plan *p)
{
	bool run = p->mode != MIG_OFFLINE;
	const char *what = f->cpu_what ? f->cpu_what : "the guest's CPU";

	switch (f->cpu_cmp) {
	case -2:
		line(p, MIG_OK, "CPU compatible", NULL, "%s: no CPU model to compare", what);
		break;
	case VIR_CPU_COMPARE_IDENTICAL:
	case VIR_CPU_COMPARE_SUPERSET:
		line(p, MIG_OK, "CPU compatible", NULL, "%s runs on the target's CPU", what);
		break;
	case VIR_CPU_COMPARE_INCOMPATIBLE:
		line(p, run ? MIG_FAIL : MIG_WARN, "CPU compatible",
		     "give the guest a CPU model both hosts have (vmtui cpu VM --mode custom "
		     "--model NAME), then restart it",
		     "%s does not run on the target%s%s%s", what, f->cpu_err ? " (" : "",
		     f->cpu_err ? f->cpu_err : "", f->cpu_err ? ")" : "");
		break;
	default:
		line(p, MIG_WARN, "CPU compatible", "compare the CPUs by hand (virsh hypervisor-cpu-compare)",
		     "%s: could not compare: %s", what, f->cpu_err ? f->cpu_err : "unknown error");
		break;
	}
}

static void
plan_nets(const struct mig_facts *f, struct mig_plan *p)
{
	bool run = p->mode != MIG_OFFLINE;
	char fix[512];
	size_t i;

	for (i = 0; i < f->nnets; i++) {
		const struct mig_net *n = &f->nets[i];
		if (!n->exists) {
			snprintf(fix, sizeof(fix), "define network %s on the target (vmtui net create, "
			         "or net-define), or move the NIC to a network it has", n->name);
			line(p, MIG_FAIL, "network", fix, "%s: the target has no such network", n->name);
		} else if (!n->active) {
			snprintf(fix, sizeof(fix), "start network %s on the target (vmtui net start)",
			         n->name);
			line(p, run ? MIG_FAIL : MIG_WARN, "network", fix,
			     "%s: defined on the target but not started", n->name);
		} else {
			line(p, MIG_OK, "network", NULL, "%s: active on the target", n->name);
		}
	}
	for (i = 0; i < f->nbridges; i++)
		line(p, MIG_WARN, "bridge", "make sure the target has this bridge",
		     "%s: libvirt cannot tell whether the target has it", f->bridges[i]);
}

static void
plan_disk_copy(const struct mig_disk *d, struct mig_plan *p)
{
	char fix[1024];

	if (d->pool == NULL) {
		snprintf(fix, sizeof(fix), "put %s in a storage pool that both hosts define (the "
		         "target makes the copy in its pool of the same name)", d->path);
		line(p, MIG_FAIL, "disk", fix, "%s %s: in no storage pool, nowhere to copy it to",
		     d->target ? d->target : "?", d->path ? d->path : "");
	} else if (!d->pool_on_target) {
		snprintf(fix, sizeof(fix), "define pool %s on the target (vmtui pool create) with the "
		         "same path", d->pool);
		line(p, MIG_FAIL, "disk", fix, "%s: pool %s does not exist on the target",
		     d->target ? d->target : "?", d->pool);
	} else if (!d->pool_active) {
		snprintf(fix, sizeof(fix), "start pool %s on the target (vmtui pool start %s)", d->pool,
		         d->pool);
		line(p, MIG_FAIL, "disk", fix, "%s: pool %s is not started on the target",
		     d->target ? d->target : "?", d->pool);
	} else if (d->seen_on_target) {
		line(p, MIG_FAIL, "disk",
		     "migrate with shared storage, or delete the target's copy first",
		     "%s: the target already has a disk at %s", d->target ? d->target : "?",
		     d->path ? d->path : "");
	} else {
		line(p, MIG_OK, "disk", NULL, "%s: copied into pool %s on the target (%.0f MiB)",
		     d->target ? d->target : "?", d->pool, (double)d->capacity / MIB);
	}
}

static void
plan_disks(const struct mig_facts *f, const struct mig_opts *o, struct mig_plan *p)
{
	size_t i;

	for (i = 0; i < f->ndisks; i++) {
		const struct mig_disk *d = &f->disks[i];
		const char *t = d->target ? d->target : "?";
		if (d->readonly) {
			line(p, d->seen_on_target || d->path == NULL ? MIG_OK : MIG_WARN, "disk",
			     d->seen_on_target ? NULL : "put the image on storage the target sees, or eject it",
			     "%s (read-only) %s%s", t, d->path ? d->path : d->pool,
			     d->seen_on_target ? ": seen on the target" : ": not seen on the target");
		} else if (o->copy_storage) {
			plan_disk_copy(d, p);
		} else if (d->seen_on_target) {
			line(p, MIG_OK, "disk", NULL, "%s: the target sees %s (shared storage)", t,
			     d->path ? d->path : "");
		} else {
			line(p, MIG_WARN, "disk",
			     "it must be on storage both hosts share; or copy the disks",
			     "%s: no pool of the target shows %s", t, d->path ? d->path : "");
		}
	}
}

static void
plan_name_mem(const struct mig_facts *f, struct mig_plan *p)
{
	bool run = p->mode != MIG_OFFLINE;

	if (f->name_taken && f->uuid_taken && f->taken_running)
		line(p, MIG_FAIL, "name free", "nothing to do: it already runs there",
		     "%s already runs on the target", f->name);
	else if (f->name_taken && f->uuid_taken)
		line(p, MIG_WARN, "name free", "remove the target's copy first to keep it",
		     "the target has a stopped definition of %s (same UUID): it is replaced", f->name);
	else if (f->name_taken)
		line(p, MIG_FAIL, "name free",
		     "rename one of them (vmtui rename) or delete the target's",
		     "the target has another guest named %s", f->name);
	else if (f->uuid_taken)
		line(p, MIG_FAIL, "name free", "delete or rename the target's guest of that UUID",
		     "the target has a guest with %s's UUID under another name", f->name);
	else
		line(p, MIG_OK, "name free", NULL, "no guest named %s on the target", f->name);

	if (f->free_kib == 0)
		line(p, MIG_WARN, "memory", NULL, "%.0f MiB needed; the target's free memory is unknown",
		     (double)f->need_kib / 1024.0);
	else if (f->need_kib > f->free_kib)
		line(p, run ? MIG_FAIL : MIG_WARN, "memory",
		     "free memory on the target (stop or shrink guests there) or shrink this one "
		     "(vmtui resize)", "%.0f MiB needed, the target has %.0f MiB free%s",
		     (double)f->need_kib / 1024.0, (double)f->free_kib / 1024.0,
		     run ? "" : " (needed when it starts)");
	else
		line(p, MIG_OK, "memory", NULL, "%.0f MiB needed, %.0f MiB free on the target",
		     (double)f->need_kib / 1024.0, (double)f->free_kib / 1024.0);
}

void
mig_plan_build(const struct mig_facts *f, const struct mig_opts *o, struct mig_plan *p)
{
	memset(p, 0, sizeof(*p));
	p->copy_storage = o->copy_storage;
	plan_state(f, o, p);
	plan_host(f, p);
	if (!f->reachable)
		return;
	plan_cpu(f, p);
	plan_nets(f, p);
	plan_disks(f, o, p);
	plan_name_mem(f, p);
}

enum mig_level
mig_plan_worst(const struct mig_plan *p)
{
	enum mig_level w = MIG_OK;
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->v[i].level > w)
			w = p->v[i].level;
	return w;
}

char *
mig_plan_text(const struct mig_plan *p)
{
	char *s = xstrdup(""), *t;
	size_t i;

	for (i = 0; i < p->n; i++) {
		const struct mig_line *l = &p->v[i];
		t = xasprintf("%s  %-4s  %s: %s\n%s%s%s", s, mig_level_name(l->level), l->what,
		              l->detail, l->fix && l->level != MIG_OK ? "        fix: " : "",
		              l->fix && l->level != MIG_OK ? l->fix : "",
		              l->fix && l->level != MIG_OK ? "\n" : "");
		free(s);
		s = t;
	}
	return s;
}

/* ---- progress (pure) ---- */

void
mig_progress_from_params(struct mig_progress *p, virTypedParameterPtr params, int n)
{
	unsigned long long v, page = 0, pages = 0;

	memset(p, 0, sizeof(*p));
	p->known = n > 0;
#define GET(key, field) \
	if (virTypedParamsGetULLong(params, n, key, &v) == 1) \
		p->field = v
	GET(VIR_DOMAIN_JOB_DATA_TOTAL, total);
	GET(VIR_DOMAIN_JOB_DATA_PROCESSED, processed);
	GET(VIR_DOMAIN_JOB_DATA_REMAINING, remaining);
	GET(VIR_DOMAIN_JOB_DISK_TOTAL, disk_total);
	GET(VIR_DOMAIN_JOB_DISK_PROCESSED, disk_processed);
	GET(VIR_DOMAIN_JOB_DOWNTIME, downtime_ms);
	GET(VIR_DOMAIN_JOB_TIME_ELAPSED, elapsed_ms);
#undef GET
	if (virTypedParamsGetULLong(params, n, VIR_DOMAIN_JOB_MEMORY_ITERATION, &v) == 1)
		p->iteration = (unsigned)v;
	if (virTypedParamsGetULLong(params, n, VIR_DOMAIN_JOB_MEMORY_PAGE_SIZE, &page) != 1)
		page = 4096;
	if (virTypedParamsGetULLong(params, n, VIR_DOMAIN_JOB_MEMORY_DIRTY_RATE, &pages) == 1)
		p->dirty_rate = pages * page;
	if (p->disk_total > 0 && p->disk_processed < p->disk_total)
		p->phase = "disks";
	else if (p->total > 0 && p->remaining == 0)
		p->phase = "finishing";
	else
		p->phase = "memory";
}

void
mig_progress_line(const struct mig_progress *p, char *buf, size_t size)
{
	size_t k;

	if (!p->known || (p->total == 0 && p->disk_total == 0)) {
		snprintf(buf, size, "%s", p->known ? "starting" : p->phase ? p->phase : "starting");
		return;
	}
	if (p->phase && strncmp(p->phase, "copying", 7) == 0) {
		snprintf(buf, size, "%s: %.1f of %.1f MiB", p->phase, (double)p->disk_processed / MIB,
		         (double)p->disk_total / MIB);
		return;
	}
	k = (size_t)snprintf(buf, size, "%s: %.1f of %.1f MiB, %.1f MiB left",
	                     p->phase ? p->phase : "memory", (double)p->processed / MIB,
	                     (double)p->total / MIB, (double)p->remaining / MIB);
	if (k < size && p->disk_total > 0)
		k += (size_t)snprintf(buf + k, size - k, ", disks %.0f%%",
		                      100.0 * (double)p->disk_processed / (double)p->disk_total);
	if (k < size && p->iteration > 1)
		k += (size_t)snprintf(buf + k, size - k, ", pass %u", p->iteration);
	if (k < size && p->dirty_rate > 0)
		k += (size_t)snprintf(buf + k, size - k, ", dirtied %.1f MiB/s",
		                      (double)p->dirty_rate / MIB);
	if (k < size && p->downtime_ms > 0)
		snprintf(buf + k, size - k, ", downtime ~%" PRIu64 " ms", p->downtime_ms);
}

void
mig_cancel(struct mig_watch *w)
{
	atomic_store(&w->cancel, true);
}

/* Whether w asks to stop (its flag, or its owner's poll). */
static bool
watch_cancelled(struct mig_watch *w)
{
	if (!atomic_load(&w->cancel) && w->cancelled && w->cancelled(w->opaque))
		atomic_store(&w->cancel, true);
	return atomic_load(&w->cancel);
}

/* ---- the virsh line (pure) ---- */

/* s single-quoted for a shell when it holds anything but safe characters. */
static char *
shq(const char *s)
{
	const char *c;
	char *o, *q;

	for (c = s; *c; c++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.,:/@+=%",
		            *c))
			break;
	if (*c == '\0' && *s)
		return xstrdup(s);
	o = q = xcalloc(1, strlen(s) * 4 + 3);
	*q++ = '\'';
	for (c = s; *c; c++) {
		if (*c == '\'') {
			memcpy(q, "'\\''", 4);
			q += 4;
		} else {
			*q++ = *c;
		}
	}
	*q = '\'';
	return o;
}

char *
mig_virsh(const char *vm, const struct mig_opts *o, const char *virsh_src, const char *virsh_dst)
{
	char *src = shq(virsh_src ? virsh_src : ""), *dst, *name = shq(vm), *s, *extra = xstrdup("");
	const char *mode = o->mode == MIG_LIVE ? " --live" : o->mode == MIG_OFFLINE ? " --offline" : "";

	dst = shq(o->p2p && o->p2p_uri ? o->p2p_uri : virsh_dst ? virsh_dst : "");
	if (o->migrate_uri) {
		char *m = shq(o->migrate_uri);
		s = xasprintf("%s --migrateuri %s", extra, m);
		free(m);
		free(extra);
		extra = s;
	}
	if (o->bandwidth) {
		s = xasprintf("%s --bandwidth %lu", extra, o->bandwidth);
		free(extra);
		extra = s;
	}
	s = xasprintf("virsh -c %s migrate%s%s%s%s%s%s%s %s %s%s%s", src, mode,
	              o->transient && o->mode != MIG_OFFLINE ? "" : " --persistent",
	              o->keep_source ? "" : " --undefinesource",
	              o->copy_storage && o->mode != MIG_OFFLINE ? " --copy-storage-all" : "",
	              o->unsafe ? " --unsafe" : "", o->p2p ? " --p2p" : "", "", name, dst, extra,
	              o->copy_storage && o->mode == MIG_OFFLINE
	                  ? " (after each disk is copied with vol-create-as, vol-download and vol-upload)"
	                  : "");
	free(src);
	free(dst);
	free(name);
	free(extra);
	return s;
}

/* ---- gathering the facts ---- */

/* The text of the first node of expr in xml, or NULL. */
static char *
xml_value(const char *xml, const char *expr)
{
	xmlDocPtr doc = xml ? xml_read_quiet(xml, "caps.xml") : NULL;
	xmlXPathContextPtr ctx;
	char *v;

	if (doc == NULL)
		return NULL;
	ctx = xmlXPathNewContext(doc);
	v = xpath_str(ctx, expr);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return v;
}

/* The host UUID of conn's hypervisor, or NULL. */
static char *
host_uuid(virConnectPtr c)
{
	char *caps = virConnectGetCapabilities(c), *u;

	u = xml_value(caps, "string(/capabilities/host/uuid)");
	free(caps);
	return u;
}

/* The domain XML's <cpu> element as a string, or NULL. */
static char *
cpu_element(const char *xml, char **what)
{
	xmlDocPtr doc = xml_read_quiet(xml, "domain.xml");
	xmlXPathContextPtr ctx;
	xmlXPathObjectPtr o;
	char *s = NULL, *mode, *model;

	if (doc == NULL)
		return NULL;
	ctx = xmlXPathNewContext(doc);
	mode = xpath_str(ctx, "string(/domain/cpu/@mode)");
	model = xpath_str(ctx, "string(/domain/cpu/model)");
	*what = model ? xasprintf("CPU model %s", model)
	              : mode ? xasprintf("CPU %s", mode) : xstrdup("qemu's default CPU");
	o = xmlXPathEvalExpression(BAD_CAST "/domain/cpu", ctx);
	if (o && o->nodesetval && o->nodesetval->nodeNr == 1 &&
	    (model || (mode && strcmp(mode, "host-passthrough") != 0))) {
		xmlBufferPtr b = xmlBufferCreate();
		xmlNodeDump(b, doc, o->nodesetval->nodeTab[0], 0, 0);
		s = xstrdup((const char *)xmlBufferContent(b));
		xmlBufferFree(b);
	}
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	free(mode);
	free(model);
	return s;
}

/* The CPU check: the guest's <cpu> on the target's hypervisor; a
 * host-passthrough guest: the source host's CPU. */
static void
gather_cpu(virConnectPtr src, virConnectPtr dst, const char *xml, struct mig_facts *f)
{
	char *cpu = cpu_element(xml, &f->cpu_what), *arch, *machine, *virt, *mode;

	mode = xml_value(xml, "string(/domain/cpu/@mode)");
	if (cpu == NULL && mode && strcmp(mode, "host-passthrough") == 0) {
		char *caps = virConnectGetCapabilities(src);
		xmlDocPtr doc = caps ? xml_read_quiet(caps, "caps.xml") : NULL;
		if (doc) {
			xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
			xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST "/capabilities/host/cpu", ctx);
			if (o && o->nodesetval && o->nodesetval->nodeNr == 1) {
				xmlBufferPtr b = xmlBufferCreate();
				xmlNodeDump(b, doc, o->nodesetval->nodeTab[0], 0, 0);
				cpu = xstrdup((const char *)xmlBufferContent(b));
				xmlBufferFree(b);
			}
			xmlXPathFreeObject(o);
			xmlXPathFreeContext(ctx);
			xmlFreeDoc(doc);
		}
		free(caps);
	}
	free(mode);
	if (cpu == NULL) {
		f->cpu_cmp = -2;
		return;
	}
	arch = xml_value(xml, "string(/domain/os/type/@arch)");
	machine = xml_value(xml, "string(/domain/os/type/@machine)");
	virt = xml_value(xml, "string(/domain/@type)");
	f->cpu_cmp = virConnectCompareHypervisorCPU(dst, NULL, arch, machine, virt, cpu, 0);
	if (f->cpu_cmp == VIR_CPU_COMPARE_ERROR || f->cpu_cmp == VIR_CPU_COMPARE_INCOMPATIBLE)
		f->cpu_err = virGetLastError() ? lv_err_line() : NULL;
	free(arch);
	free(machine);
	free(virt);
	free(cpu);
}

/* Each disk's pool on the source and what the target has of it. */
static void
gather_disks(virConnectPtr src, virConnectPtr dst, struct mig_facts *f)
{
	size_t i;

	for (i = 0; i < f->ndisks; i++) {
		struct mig_disk *d = &f->disks[i];
		virStorageVolPtr v = d->path ? lv_vol_by_path(src, d->path) : NULL, tv;
		virStoragePoolPtr pool;
		virStorageVolInfo info;

		if (v) {
			if (d->pool == NULL && (pool = virStoragePoolLookupByVolume(v)) != NULL) {
				d->pool = xstrdup(virStoragePoolGetName(pool));
				virStoragePoolFree(pool);
			}
			if (virStorageVolGetInfoFlags(v, &info, VIR_STORAGE_VOL_GET_PHYSICAL) == 0) {
				d->capacity = info.allocation > info.capacity ? info.allocation : info.capacity;
				d->physical = info.allocation;
			}
			virStorageVolFree(v);
		}
		if (d->pool && (pool = virStoragePoolLookupByName(dst, d->pool)) != NULL) {
			d->pool_on_target = true;
			d->pool_active = virStoragePoolIsActive(pool) == 1;
			virStoragePoolFree(pool);
		}
		if (d->path && (tv = lv_vol_by_path(dst, d->path)) != NULL) {
			d->seen_on_target = true;
			virStorageVolFree(tv);
		}
	}
	virResetLastError();
}

static void
gather_target(virConnectPtr src, virConnectPtr dst, virDomainPtr dom, const char *xml,
              struct mig_facts *f)
{
	char *su = host_uuid(src), *du = host_uuid(dst), uuid[VIR_UUID_STRING_BUFLEN];
	unsigned long long freemem;
	virDomainPtr other;
	size_t i;

	f->same_host = su && du && strcmp(su, du) == 0;
	free(su);
	free(du);
	gather_cpu(src, dst, xml, f);
	for (i = 0; i < f->nnets; i++) {
		virNetworkPtr n = virNetworkLookupByName(dst, f->nets[i].name);
		if (n) {
			f->nets[i].exists = true;
			f->nets[i].active = virNetworkIsActive(n) == 1;
			virNetworkFree(n);
		}
	}
	gather_disks(src, dst, f);
	if ((other = virDomainLookupByName(dst, f->name)) != NULL) {
		char ou[VIR_UUID_STRING_BUFLEN];
		f->name_taken = true;
		if (virDomainGetUUIDString(dom, uuid) == 0 && virDomainGetUUIDString(other, ou) == 0)
			f->uuid_taken = strcmp(uuid, ou) == 0;
		f->taken_running = virDomainIsActive(other) == 1;
		virDomainFree(other);
	} else if (virDomainGetUUIDString(dom, uuid) == 0 &&
	           (other = virDomainLookupByUUIDString(dst, uuid)) != NULL) {
		f->uuid_taken = true;
		virDomainFree(other);
	}
	freemem = virNodeGetFreeMemory(dst);
	f->free_kib = freemem / 1024;
	virResetLastError();
}

int
mig_facts_gather(virConnectPtr src, virConnectPtr dst, const char *dst_err,
                 const char *target_label, const char *vm, struct mig_facts *f, char **err)
{
	virDomainPtr dom;
	virDomainInfo info;
	char *xml;
	int reason;

	mig_facts_clear(f);
	if ((dom = lv_domain_lookup(src, vm, err)) == NULL)
		return -1;
	f->name = xstrdup(virDomainGetName(dom));
	f->target_label = target_label ? xstrdup(target_label) : NULL;
	if (virDomainGetState(dom, &f->state, &reason, 0) < 0 || virDomainGetInfo(dom, &info) < 0 ||
	    (xml = virDomainGetXMLDesc(dom, 0)) == NULL) {
		char *e = lv_err_line();
		*err = xasprintf("cannot read %s: %s", f->name, e);
		free(e);
		virDomainFree(dom);
		return -1;
	}
	f->need_kib = is_active_state(f->state) ? info.memory : info.maxMem;
	mig_xml_refs(xml, f);
	if (dst == NULL) {
		f->reach_err = xstrdup(dst_err ? dst_err : "no connection");
	} else if (virConnectIsAlive(dst) != 1) {
		f->reach_err = xstrdup("the connection is not alive");
	} else {
		f->reachable = true;
		gather_target(src, dst, dom, xml, f);
	}
	free(xml);
	virDomainFree(dom);
	return 0;
}

/* ---- the run ---- */

/* What the migrating thread is handed and hands back. */
struct mig_thread {
	virDomainPtr dom;
	virConnectPtr dst;
	const struct mig_opts *o;
	unsigned int flags;
	virTypedParameterPtr params;
	int nparams;
	bool ok;
	char *err;          /* libvirt's error, on the thread that got it */
	atomic_bool done;
};

static void *
mig_thread_main(void *arg)
{
	struct mig_thread *t = arg;
	int rc;

	if (t->o->p2p) {
		rc = virDomainMigrateToURI3(t->dom, t->o->p2p_uri, t->params, (unsigned)t->nparams,
		                            t->flags);
	} else {
		virDomainPtr d = virDomainMigrate3(t->dom, t->dst, t->params, (unsigned)t->nparams,
		                                   t->flags);
		rc = d ? 0 : -1;
		if (d)
			virDomainFree(d);
	}
	t->ok = rc == 0;
	if (!t->ok)
		t->err = lv_err_line();
	atomic_store(&t->done, true);
	return NULL;
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void
nap_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static unsigned int
mig_flags(const struct mig_opts *o)
{
	unsigned int f = 0;

	if (o->mode == MIG_OFFLINE)
		f |= VIR_MIGRATE_OFFLINE | VIR_MIGRATE_PERSIST_DEST;
	else if (o->mode == MIG_LIVE)
		f |= VIR_MIGRATE_LIVE;
	if (!o->transient)
		f |= VIR_MIGRATE_PERSIST_DEST;
	if (!o->keep_source)
		f |= VIR_MIGRATE_UNDEFINE_SOURCE;
	if (o->copy_storage && o->mode != MIG_OFFLINE)
		f |= VIR_MIGRATE_NON_SHARED_DISK;
	if (o->unsafe)
		f |= VIR_MIGRATE_UNSAFE;
	if (o->p2p)
		f |= VIR_MIGRATE_PEER2PEER;
	return f;
}

/* One disk copied: a volume made in the target's pool, the source's
 * bytes streamed into it. *made set once the target volume exists. */
struct disk_copy {
	const char *target;
	char *newpath;
	virStorageVolPtr made;
};

static int
copy_stream(virConnectPtr src, virConnectPtr dst, virStorageVolPtr sv, virStorageVolPtr dv,
            struct mig_watch *w, struct mig_progress *p, char **err)
{
	virStreamPtr in = virStreamNew(src, 0), out = virStreamNew(dst, 0);
	char *buf = xcalloc(1, 1u << 20);
	int rc = -1, n = 0;

	if (in == NULL || out == NULL || virStorageVolDownload(sv, in, 0, 0, 0) < 0 ||
	    virStorageVolUpload(dv, out, 0, 0, 0) < 0)
		goto fail;
	for (;;) {
		int off = 0;
		if (watch_cancelled(w)) {
			*err = xstrdup("cancelled");
			goto abort;
		}
		if ((n = virStreamRecv(in, buf, 1u << 20)) < 0)
			goto fail;
		if (n == 0)
			break;
		while (off < n) {
			int k = virStreamSend(out, buf + off, (size_t)(n - off));
			if (k < 0)
				goto fail;
			off += k;
		}
		p->disk_processed += (uint64_t)n;
		if (w->progress)
			w->progress(w->opaque, p);
	}
	if (virStreamFinish(in) < 0 || virStreamFinish(out) < 0)
		goto fail;
	rc = 0;
	goto done;
fail:
	*err = lv_err_line();
abort:
	if (in)
		virStreamAbort(in);
	if (out)
		virStreamAbort(out);
done:
	if (in)
		virStreamFree(in);
	if (out)
		virStreamFree(out);
	free(buf);
	return rc;
}

/* Make the volume for disk d in the target's pool of the same name and
 * stream the source's bytes into it. */
static int
copy_disk(virConnectPtr src, virConnectPtr dst, const struct mig_disk *d, struct disk_copy *c,
          struct mig_watch *w, struct mig_progress *p, char **err)
{
	virStorageVolPtr sv = lv_vol_by_path(src, d->path);
	virStoragePoolPtr pool = NULL;
	virStorageVolInfo info;
	char *xml = NULL, *e;
	int rc = -1;

	if (sv == NULL || virStorageVolGetInfoFlags(sv, &info, VIR_STORAGE_VOL_GET_PHYSICAL) < 0) {
		e = lv_err_line();
		*err = xasprintf("cannot read the volume of %s: %s", d->path, e);
		free(e);
		goto cleanup;
	}
	if ((pool = virStoragePoolLookupByName(dst, d->pool)) == NULL) {
		e = lv_err_line();
		*err = xasprintf("the target has no pool %s: %s", d->pool, e);
		free(e);
		goto cleanup;
	}
	/* raw and exactly the file's size: the bytes that come are the
	 * image as it is (a qcow2's own header included); the pool's
	 * refresh reads its format from them */
	xml = xasprintf("<volume><name>%s</name><capacity unit='bytes'>%llu</capacity>"
	                "<allocation unit='bytes'>0</allocation>"
	                "<target><format type='raw'/></target></volume>",
	                virStorageVolGetName(sv), info.allocation);
	if ((c->made = virStorageVolCreateXML(pool, xml, 0)) == NULL) {
		e = lv_err_line();
		*err = xasprintf("cannot make %s in pool %s on the target: %s",
		                 virStorageVolGetName(sv), d->pool, e);
		free(e);
		goto cleanup;
	}
	c->newpath = virStorageVolGetPath(c->made);
	p->phase = "copying disks";
	if (copy_stream(src, dst, sv, c->made, w, p, err) < 0)
		goto cleanup;
	virStoragePoolRefresh(pool, 0);
	rc = 0;
cleanup:
	free(xml);
	if (pool)
		virStoragePoolFree(pool);
	if (sv)
		virStorageVolFree(sv);
	return rc;
}

/* s with every 'old' (quoted in single or double quotes) made 'new'. */
static char *
replace_quoted(const char *s, const char *old, const char *new)
{
	char *out = xstrdup(s);
	const char qs[2] = { '\'', '"' };
	int q;

	for (q = 0; q < 2; q++) {
		char *pat = xasprintf("%c%s%c", qs[q], old, qs[q]);
		char *rep = xasprintf("%c%s%c", qs[q], new, qs[q]);
		char *at;
		while ((at = strstr(out, pat)) != NULL) {
			char *n = xasprintf("%.*s%s%s", (int)(at - out), out, rep, at + strlen(pat));
			free(out);
			out = n;
		}
		free(pat);
		free(rep);
	}
	return out;
}

/* An offline guest's disks copied into the target's pools; the XML to
 * define there when a path differs (*dxml, or NULL). */
static int
copy_disks(virConnectPtr src, virConnectPtr dst, virDomainPtr dom, struct mig_watch *w,
           struct disk_copy **out, size_t *nout, char **dxml, char **err)
{
	struct mig_facts f = { 0 };
	struct mig_progress p = { .known = true, .phase = "copying disks" };
	char *xml = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_MIGRATABLE);
	size_t i;
	int rc = -1;

	*out = NULL;
	*nout = 0;
	*dxml = NULL;
	if (xml == NULL || mig_xml_refs(xml, &f) < 0) {
		*err = lv_err_line();
		goto cleanup;
	}
	gather_disks(src, dst, &f);
	for (i = 0; i < f.ndisks; i++)
		if (!f.disks[i].readonly)
			p.disk_total += f.disks[i].physical;
	*out = xcalloc(f.ndisks + 1, sizeof(**out));
	for (i = 0; i < f.ndisks; i++) {
		struct mig_disk *d = &f.disks[i];
		struct disk_copy *c = &(*out)[*nout];
		if (d->readonly || d->path == NULL)
			continue;
		if (d->pool == NULL) {
			*err = xasprintf("%s (%s) is in no storage pool: nowhere to copy it to",
			                 d->target ? d->target : "?", d->path);
			goto cleanup;
		}
		c->target = NULL;
		(*nout)++;
		if (copy_disk(src, dst, d, c, w, &p, err) < 0)
			goto cleanup;
		if (c->newpath && strcmp(c->newpath, d->path) != 0) {
			char *n = replace_quoted(*dxml ? *dxml : xml, d->path, c->newpath);
			free(*dxml);
			*dxml = n;
		}
	}
	rc = 0;
cleanup:
	free(xml);
	mig_facts_clear(&f);
	return rc;
}

/* The volumes a failed or cancelled offline copy made, deleted. */
static void
copies_free(struct disk_copy *c, size_t n, bool remove)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (c[i].made) {
			if (remove)
				virStorageVolDelete(c[i].made, 0);
			virStorageVolFree(c[i].made);
		}
		free(c[i].newpath);
	}
	free(c);
}

/* Run the migration on its thread and poll its job until it ends. */
static void
mig_follow(struct mig_thread *t, struct mig_watch *w, bool *aborted)
{
	pthread_t th;
	struct mig_progress p = { .phase = "starting" };
	uint64_t last = 0;

	if (pthread_create(&th, NULL, mig_thread_main, t) != 0) {
		t->err = xstrdup("cannot start a thread");
		return;
	}
	while (!atomic_load(&t->done)) {
		virTypedParameterPtr params = NULL;
		int n = 0, type;

		if (watch_cancelled(w) && !*aborted) {
			/* the job may not have started yet: try until it has or it ended */
			if (virDomainAbortJob(t->dom) == 0)
				*aborted = true;
		}
		if (now_ms() - last >= 500 &&
		    virDomainGetJobStats(t->dom, &type, &params, &n, 0) == 0) {
			last = now_ms();
			if (type != VIR_DOMAIN_JOB_NONE) {
				mig_progress_from_params(&p, params, n);
				if (w->progress)
					w->progress(w->opaque, &p);
			}
			virTypedParamsFree(params, n);
		}
		nap_ms(100);
	}
	pthread_join(th, NULL);
	virResetLastError();
}

enum mig_outcome
mig_run(virConnectPtr src, virConnectPtr dst, const char *vm, const struct mig_opts *o,
        const char *virsh_src, const char *virsh_dst, struct mig_watch *w, char **msg,
        char **virsh)
{
	struct mig_thread t = { 0 };
	struct disk_copy *copies = NULL;
	size_t ncopies = 0;
	virTypedParameterPtr params = NULL;
	int nparams = 0, maxp = 0;
	char *dxml = NULL, *err = NULL;
	bool aborted = false;
	uint64_t t0 = now_ms();
	enum mig_outcome out = MIG_FAILED;
	const char *name;

	*msg = NULL;
	if ((t.dom = lv_domain_lookup(src, vm, &err)) == NULL) {
		*msg = err;
		*virsh = mig_virsh(vm, o, virsh_src, virsh_dst);
		return MIG_FAILED;
	}
	name = virDomainGetName(t.dom);
	*virsh = mig_virsh(name, o, virsh_src, virsh_dst);
	if (dst == NULL && !o->p2p) {
		*msg = xasprintf("Cannot migrate %s: no connection to the target.", name);
		goto cleanup;
	}
	if (o->mode == MIG_OFFLINE && o->copy_storage) {
		if (copy_disks(src, dst, t.dom, w, &copies, &ncopies, &dxml, &err) < 0) {
			out = atomic_load(&w->cancel) ? MIG_CANCELLED : MIG_FAILED;
			*msg = out == MIG_CANCELLED
			           ? xasprintf("Cancelled: %s stays on the source; the copies made on "
			                       "the target were deleted.", name)
			           : xasprintf("Cannot copy the disks of %s: %s. It stays on the source; "
			                       "the copies made on the target were deleted.", name, err);
			goto cleanup;
		}
	}
	if (o->migrate_uri)
		virTypedParamsAddString(&params, &nparams, &maxp, VIR_MIGRATE_PARAM_URI, o->migrate_uri);
	if (o->bandwidth)
		virTypedParamsAddULLong(&params, &nparams, &maxp, VIR_MIGRATE_PARAM_BANDWIDTH,
		                        o->bandwidth);
	if (dxml)
		virTypedParamsAddString(&params, &nparams, &maxp, VIR_MIGRATE_PARAM_DEST_XML, dxml);
	t.dst = dst;
	t.o = o;
	t.flags = mig_flags(o);
	t.params = params;
	t.nparams = nparams;
	if (watch_cancelled(w)) {
		aborted = true;
		t.err = xstrdup("cancelled");
	} else {
		mig_follow(&t, w, &aborted);
	}
	if (t.ok) {
		double secs = (double)(now_ms() - t0) / 1000.0;
		out = MIG_DONE;
		*msg = xasprintf("Migrated %s %s to %s in %.1f s%s%s.", name, mig_mode_name(o->mode),
		                 virsh_dst ? virsh_dst : o->p2p_uri ? o->p2p_uri : "the target", secs,
		                 o->keep_source ? "; its definition stays on the source too" : "",
		                 o->copy_storage ? "; the source's disk files are kept" : "");
	} else if (aborted) {
		out = MIG_CANCELLED;
		*msg = xasprintf("Cancelled: %s stays on the source%s.", name,
		                 o->mode == MIG_OFFLINE ? "" : ", running as before");
	} else {
		*msg = xasprintf("Cannot migrate %s: %s. It stays on the source.", name,
		                 t.err ? t.err : "unknown error");
	}
cleanup:
	copies_free(copies, ncopies, out != MIG_DONE);
	virTypedParamsFree(params, nparams);
	free(t.err);
	free(dxml);
	free(err);
	virDomainFree(t.dom);
	return out;
}

/* ---- the TUI's job ---- */

static void
job_unref(struct mig_job *j)
{
	int left;
	size_t i;

	pthread_mutex_lock(&j->ulock);
	left = --j->refs;
	pthread_mutex_unlock(&j->ulock);
	if (left > 0)
		return;
	for (i = 0; i < 2; i++) {
		free(j->uri[i]);
		free(j->uri_err[i]);
	}
	mig_plan_clear(&j->plan);
	pthread_mutex_destroy(&j->ulock);
	pthread_cond_destroy(&j->cond);
	free(j->name);
	free(j->error);
	free(j->msg);
	free(j);
}

/* On a host's worker: the URI a second connection opens. */
static void
job_uri(struct mig_job *j, int which, struct host *h, virConnectPtr conn)
{
	char *uri = NULL, *err = NULL, *u;

	if (conn == NULL) {
		err = host_not_connected(h);
	} else if ((u = virConnectGetURI(conn)) == NULL) {
		char *e = lv_err_line();
		err = xasprintf("Cannot read the URI of %s: %s.", host_label(h), e);
		free(e);
	} else {
		uri = xstrdup(u);
		free(u);
	}
	pthread_mutex_lock(&j->ulock);
	j->uri[which] = uri;
	j->uri_err[which] = err;
	j->uri_ready[which] = true;
	pthread_cond_broadcast(&j->cond);
	pthread_mutex_unlock(&j->ulock);
	job_unref(j);
}

static void
job_uri_src(struct host *h, virConnectPtr conn, void *arg)
{
	job_uri(arg, 0, h, conn);
}

static void
job_uri_dst(struct host *h, virConnectPtr conn, void *arg)
{
	job_uri(arg, 1, h, conn);
}

static void
job_progress(void *opaque, const struct mig_progress *p)
{
	struct mig_job *j = opaque;

	host_lock(j->src);
	j->prog = *p;
	mig_progress_line(p, j->progline, sizeof(j->progline));
	host_publish_unlock(j->src);
}

static int
job_no_auth(virConnectCredentialPtr cred, unsigned int ncred, void *cbdata)
{
	(void)cred;
	(void)ncred;
	(void)cbdata;
	return -1;
}

/* Publish the end: state, outcome, message (taken over). */
static void
job_end(struct mig_job *j, enum mig_outcome o, char *msg, char *error)
{
	host_lock(j->src);
	j->state = MJ_ENDED;
	j->outcome = o;
	j->msg = msg;
	j->error = error;
	host_publish_unlock(j->src);
}

/* Wait for both URIs, or a cancel; false when cancelled. */
static bool
job_wait_uris(struct mig_job *j, char **su, char **du, char **serr, char **derr)
{
	bool ok;

	pthread_mutex_lock(&j->ulock);
	while ((!j->uri_ready[0] || !j->uri_ready[1]) && !atomic_load(&j->watch.cancel))
		pthread_cond_wait(&j->cond, &j->ulock);
	ok = j->uri_ready[0] && j->uri_ready[1];
	*su = ok && j->uri[0] ? xstrdup(j->uri[0]) : NULL;
	*du = ok && j->uri[1] ? xstrdup(j->uri[1]) : NULL;
	*serr = ok && j->uri_err[0] ? xstrdup(j->uri_err[0]) : NULL;
	*derr = ok && j->uri_err[1] ? xstrdup(j->uri_err[1]) : NULL;
	pthread_mutex_unlock(&j->ulock);
	return ok;
}

/* The migration after the go, logged; the hosts refreshed so the row
 * moves. */
static void
job_migrate(struct mig_job *j, virConnectPtr src, virConnectPtr dst, enum mig_mode mode)
{
	struct mig_opts o = j->opts;
	char *vsrc = host_virsh_uri(j->src), *vdst = host_virsh_uri(j->dst), *msg, *virsh;
	enum mig_outcome out;

	o.mode = mode;
	host_lock(j->src);
	j->state = MJ_RUNNING;
	host_publish_unlock(j->src);
	out = mig_run(src, dst, j->uuid, &o, vsrc, vdst ? vdst : host_label(j->dst), &j->watch,
	              &msg, &virsh);
	if (out == MIG_CANCELLED)
		msglog_add(MSG_INFO, "%s", msg);
	else
		msglog_action(virsh, out == MIG_DONE ? NULL : msg, "migrate %s to %s", j->name,
		              host_label(j->dst));
	host_refresh_now(j->src);
	host_refresh_now(j->dst);
	job_end(j, out, msg, NULL);
	free(virsh);
	free(vsrc);
	free(vdst);
}

static void *
job_thread(void *arg)
{
	struct mig_job *j = arg;
	int credtypes[] = { VIR_CRED_AUTHNAME };
	virConnectAuth auth = { credtypes, 1, job_no_auth, NULL };
	virConnectPtr src = NULL, dst = NULL;
	char *su, *du, *serr, *derr, *err = NULL;
	struct mig_facts f = { 0 };
	struct mig_plan plan;
	bool go;

	if (!job_wait_uris(j, &su, &du, &serr, &derr)) {
		job_end(j, MIG_CANCELLED, xstrdup("Cancelled before the pre-flight; nothing changed."),
		        NULL);
		goto out;
	}
	if (su == NULL || (src = lv_open(su, false, &auth)) == NULL) {
		char *e = serr ? serr : lv_err_line();
		job_end(j, MIG_FAILED, NULL, xasprintf("Cannot reach %s's host: %s", j->name, e));
		if (e != serr)
			free(e);
		goto out;
	}
	if (du && (dst = lv_open(du, false, &auth)) == NULL) {
		char *e = lv_err_line();
		derr = xasprintf("cannot connect to %s: %s", host_label(j->dst), e);
		free(e);
	}
	if (mig_facts_gather(src, dst, derr, host_label(j->dst), j->uuid, &f, &err) < 0) {
		job_end(j, MIG_FAILED, NULL, err);
		goto out;
	}
	mig_plan_build(&f, &j->opts, &plan);
	host_lock(j->src);
	j->plan = plan;
	j->state = MJ_PLANNED;
	host_publish_unlock(j->src);
	pthread_mutex_lock(&j->ulock);
	while (!j->go && !atomic_load(&j->watch.cancel))
		pthread_cond_wait(&j->cond, &j->ulock);
	go = j->go && !atomic_load(&j->watch.cancel);
	pthread_mutex_unlock(&j->ulock);
	if (!go)
		job_end(j, MIG_CANCELLED, xasprintf("Not migrated: %s stays where it is.", j->name),
		        NULL);
	else
		job_migrate(j, src, dst, plan.mode);
out:
	mig_facts_clear(&f);
	if (dst)
		virConnectClose(dst);
	if (src)
		virConnectClose(src);
	free(su);
	free(du);
	free(serr);
	free(derr);
	job_unref(j);
	return NULL;
}

struct mig_job *
mig_job_start(struct host *src, struct host *dst, const char *uuid, const char *name,
              const struct mig_opts *o)
{
	struct mig_job *j = xcalloc(1, sizeof(*j));

	j->src = src;
	j->dst = dst;
	snprintf(j->uuid, sizeof(j->uuid), "%s", uuid);
	j->name = xstrdup(name);
	j->opts = *o;
	j->opts.p2p = false;
	j->opts.p2p_uri = j->opts.migrate_uri = NULL;
	atomic_init(&j->watch.cancel, false);
	j->watch.progress = job_progress;
	j->watch.opaque = j;
	pthread_mutex_init(&j->ulock, NULL);
	pthread_cond_init(&j->cond, NULL);
	j->state = MJ_CHECKING;
	j->refs = 4; /* the UI, the thread, the two workers' calls */
	if (pthread_create(&j->thread, NULL, job_thread, j) == 0) {
		j->thread_started = true;
		pthread_detach(j->thread);
	} else {
		j->state = MJ_ENDED;
		j->outcome = MIG_FAILED;
		j->error = xstrdup("Cannot start a thread for the migration.");
		j->refs--;
	}
	host_call(src, job_uri_src, j);
	host_call(dst, job_uri_dst, j);
	return j;
}

void
mig_job_go(struct mig_job *j)
{
	pthread_mutex_lock(&j->ulock);
	j->go = true;
	pthread_cond_broadcast(&j->cond);
	pthread_mutex_unlock(&j->ulock);
}

void
mig_job_cancel(struct mig_job *j)
{
	mig_cancel(&j->watch);
	pthread_mutex_lock(&j->ulock);
	pthread_cond_broadcast(&j->cond);
	pthread_mutex_unlock(&j->ulock);
}

void
mig_job_release(struct mig_job *j)
{
	if (j == NULL)
		return;
	mig_job_cancel(j);
	job_unref(j);
}
