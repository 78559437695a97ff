/* resize.c — vCPUs, memory and disk sizes of one guest: read them, check a
 * request and plan the libvirt calls (pure), run the plan, and the TUI's
 * job that does all this on a host's worker. */
#include "resize.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libvirt/virterror.h>

#include "../../config/vmdef.h"
#include "../base/msglog.h"
#include "../base/notify.h"
#include "../base/xmalloc.h"
#include "../defs/domxml.h"
#include "../defs/plan.h"
#include "../host/lvutil.h"

#define MIB (1024ull * 1024)
#define GIB (1024ull * MIB)

/* ---- reading ---- */

/* The host's CPUs and total memory (node memory stats, else node info). */
static void
read_host(virConnectPtr conn, struct resize_now *now)
{
	virNodeInfo info;
	virNodeMemoryStatsPtr ms = NULL;
	int n = 0, i;

	if (virNodeGetInfo(conn, &info) == 0) {
		now->host_cpus = info.cpus;
		now->host_mem_kib = info.memory;
	}
	if (virNodeGetMemoryStats(conn, VIR_NODE_MEMORY_STATS_ALL_CELLS, NULL, &n, 0) < 0 || n <= 0)
		return;
	ms = xcalloc((size_t)n, sizeof *ms);
	if (virNodeGetMemoryStats(conn, VIR_NODE_MEMORY_STATS_ALL_CELLS, ms, &n, 0) == 0)
		for (i = 0; i < n; i++)
			if (strcmp(ms[i].field, VIR_NODE_MEMORY_STATS_TOTAL) == 0 && ms[i].value)
				now->host_mem_kib = ms[i].value;
	free(ms);
}

/* The domain XML (inactive: the saved configuration) as a vm_config. */
static struct vm_config *
read_config(virDomainPtr dom, unsigned flags, char **err)
{
	char *xml = virDomainGetXMLDesc(dom, flags), *perr = NULL;
	struct vm_config *c;

	if (xml == NULL) {
		*err = xasprintf("Cannot read the definition of %s: %s.", virDomainGetName(dom),
		                 virGetLastErrorMessage());
		return NULL;
	}
	c = domxml_parse(xml, &perr);
	if (c == NULL)
		*err = xasprintf("Cannot read the definition of %s: %s.", virDomainGetName(dom), perr);
	free(perr);
	free(xml);
	return c;
}

/* Disks of c with their capacity from virDomainGetBlockInfo. */
static void
read_disks(virDomainPtr dom, const struct vm_config *c, struct resize_now *now)
{
	virDomainBlockInfo bi;
	size_t i;

	now->disks = xcalloc(c->ndisks ? c->ndisks : 1, sizeof *now->disks);
	for (i = 0; i < c->ndisks; i++) {
		struct resize_disk *d;
		if (c->disks[i].target == NULL)
			continue;
		d = &now->disks[now->ndisks++];
		d->target = xstrdup(c->disks[i].target);
		d->device = xstrdup(c->disks[i].device ? c->disks[i].device : "disk");
		d->path = c->disks[i].source ? xstrdup(c->disks[i].source) : NULL;
		if (virDomainGetBlockInfo(dom, d->target, &bi, 0) == 0)
			d->bytes = bi.capacity;
	}
}

int
resize_read(virConnectPtr conn, const char *vm, struct resize_now *now, char **err)
{
	virDomainPtr dom = lv_domain_lookup(conn, vm, NULL);
	struct vm_config *live = NULL, *cfg = NULL;
	int st = VIR_DOMAIN_NOSTATE, reason, rc = -1;

	memset(now, 0, sizeof *now);
	*err = NULL;
	if (dom == NULL) {
		*err = xasprintf("There is no guest \"%s\" on this host; check the name with "
		                 "virsh list --all.", vm);
		return -1;
	}
	now->name = xstrdup(virDomainGetName(dom));
	now->active = virDomainIsActive(dom) == 1;
	now->persistent = virDomainIsPersistent(dom) == 1;
	if (virDomainGetState(dom, &st, &reason, 0) < 0)
		st = VIR_DOMAIN_NOSTATE;
	now->state = xstrdup(vm_state_name((enum vm_state)st));
	if ((live = read_config(dom, 0, err)) == NULL)
		goto cleanup;
	if (now->active && now->persistent &&
	    (cfg = read_config(dom, VIR_DOMAIN_XML_INACTIVE, err)) == NULL)
		goto cleanup;
	now->vcpus = live->vcpus_cur;
	now->vcpus_max = live->vcpus_max;
	now->mem_kib = live->mem_cur_kib;
	now->mem_max_kib = live->mem_max_kib;
	now->cfg_vcpus = cfg ? cfg->vcpus_cur : live->vcpus_cur;
	now->cfg_vcpus_max = cfg ? cfg->vcpus_max : live->vcpus_max;
	now->cfg_mem_kib = cfg ? cfg->mem_cur_kib : live->mem_cur_kib;
	now->cfg_mem_max_kib = cfg ? cfg->mem_max_kib : live->mem_max_kib;
	read_disks(dom, live, now);
	read_host(conn, now);
	rc = 0;

cleanup:
	vm_config_free(live);
	vm_config_free(cfg);
	virDomainFree(dom);
	if (rc < 0)
		resize_now_free(now);
	return rc;
}

void
resize_now_free(struct resize_now *now)
{
	size_t i;

	for (i = 0; i < now->ndisks; i++) {
		free(now->disks[i].target);
		free(now->disks[i].device);
		free(now->disks[i].path);
	}
	free(now->disks);
	free(now->name);
	free(now->state);
	memset(now, 0, sizeof *now);
}

/* ---- checking and planning (pure) ---- */

static void __attribute__((format(printf, 3, 0)))
addv(char ***v, size_t *n, const char *fmt, va_list ap)
{
	char *s;

	if (vasprintf(&s, fmt, ap) < 0)
		s = xstrdup(fmt);
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[(*n)++] = s;
}

static void __attribute__((format(printf, 2, 3)))
refuse(struct resize_plan *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	addv(&p->errors, &p->nerrors, fmt, ap);
	va_end(ap);
}

static void __attribute__((format(printf, 2, 3)))
warn(struct resize_plan *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	addv(&p->warnings, &p->nwarnings, fmt, ap);
	va_end(ap);
}

/* s without surrounding spaces, newly allocated; NULL when empty. */
static char *
trimmed(const char *s)
{
	size_t n;

	if (s == NULL)
		return NULL;
	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return n ? xstrndup(s, n) : NULL;
}

/* A vCPU count from 1 to RESIZE_MAX_VCPUS. */
static bool
parse_count(struct resize_plan *p, const char *label, const char *s, uint64_t *out)
{
	const char *q;
	uint64_t v = 0;

	if (s[0] == '-' && isdigit((unsigned char)s[1])) {
		refuse(p, "%s: \"%s\" is negative; give a whole number from 1 to %d.", label, s,
		       RESIZE_MAX_VCPUS);
		return false;
	}
	for (q = s; isdigit((unsigned char)*q); q++)
		if (v <= RESIZE_MAX_VCPUS)
			v = v * 10 + (uint64_t)(*q - '0');
	if (q == s || *q || v > RESIZE_MAX_VCPUS) {
		refuse(p, "%s: \"%s\" is not a whole number from 1 to %d.", label, s,
		       RESIZE_MAX_VCPUS);
		return false;
	}
	if (v == 0) {
		refuse(p, "%s: 0 is too few; a guest needs at least 1.", label);
		return false;
	}
	*out = v;
	return true;
}

/* A size in bytes; bare numbers are `bare` bytes; a multiple of `grain`. */
static bool
parse_size(struct resize_plan *p, const char *label, const char *s, uint64_t bare,
           uint64_t grain, uint64_t *out)
{
	const char *eg = bare == GIB ? "20G, 512M; a bare number is GiB" :
	                               "512M, 2G; a bare number is MiB";

	switch (vmdef_parse_size(s, bare, out)) {
	case VMDEF_SIZE_OK:
		break;
	case VMDEF_SIZE_NEGATIVE:
		refuse(p, "%s: \"%s\" is negative; give a size such as %s.", label, s,
		       bare == GIB ? "20G" : "512M");
		return false;
	case VMDEF_SIZE_UNIT:
		refuse(p, "%s: unknown unit \"%s\" in \"%s\" (use K, M, G or T, e.g. %s).", label,
		       s + strspn(s, "0123456789. "), s, eg);
		return false;
	case VMDEF_SIZE_FRACTION:
		refuse(p, "%s: \"%s\" is not a whole number of bytes.", label, s);
		return false;
	case VMDEF_SIZE_OVERFLOW:
		refuse(p, "%s: \"%s\" is too large.", label, s);
		return false;
	default:
		refuse(p, "%s: \"%s\" is not a size (e.g. %s).", label, s, eg);
		return false;
	}
	if (*out % grain) {
		refuse(p, "%s: \"%s\" is not a whole number of %s.", label, s,
		       grain == 1024 ? "KiB" : "512-byte sectors");
		return false;
	}
	return true;
}

/* A memory size in KiB, at least 1 MiB. */
static bool
parse_mem(struct resize_plan *p, const char *label, const char *s, uint64_t *kib)
{
	uint64_t b;

	if (!parse_size(p, label, s, MIB, 1024, &b))
		return false;
	if (b < MIB) {
		refuse(p, "%s: \"%s\" is too little; give at least 1M.", label, s);
		return false;
	}
	*kib = b / 1024;
	return true;
}

/* One vCPU or memory pair (current and maximum) being planned. */
struct pair {
	enum resize_kind kind;
	const char *label, *max_label, *name;
	uint64_t live, live_max, cfg, cfg_max, host;
	bool has_v, has_max;
	uint64_t v, vmax;
	bool live_ok, cfg_ok, active; /* which sides the scope touches */
};

/* "2" for vCPUs, "96M" for memory (values in KiB). */
static void
fmt_val(char *buf, size_t n, enum resize_kind k, uint64_t v)
{
	if (k == RESIZE_VCPUS)
		snprintf(buf, n, "%llu", (unsigned long long)v);
	else
		plan_fmt_size(buf, n, v * 1024);
}

static struct resize_op *
add_op(struct resize_plan *p, enum resize_kind k, bool max, unsigned flags, uint64_t value,
       enum resize_when when)
{
	struct resize_op *op;

	p->ops = xreallocarray(p->ops, p->nops + 1, sizeof *p->ops);
	op = &p->ops[p->nops++];
	memset(op, 0, sizeof *op);
	op->kind = k;
	op->max = max;
	op->flags = flags;
	op->value = value;
	op->when = when;
	return op;
}

/* Refusals and warnings about the host's size; false to stop. */
static bool
check_host(struct resize_plan *p, const struct pair *x)
{
	char a[32], b[32];

	if (x->host == 0)
		return true;
	if (x->kind == RESIZE_VCPUS) {
		if (x->has_max && x->vmax > x->host)
			warn(p, "%s: %llu is more than the host's %llu CPUs; vmtui will not raise %s "
			     "above %llu here.", x->max_label, (unsigned long long)x->vmax,
			     (unsigned long long)x->host, x->label, (unsigned long long)x->host);
		if (x->has_v && x->v > x->host) {
			refuse(p, "%s: %llu is more than the host's %llu CPUs; vmtui does not "
			       "overcommit CPUs.", x->label, (unsigned long long)x->v,
			       (unsigned long long)x->host);
			return false;
		}
		return true;
	}
	plan_fmt_size(b, sizeof b, x->host * 1024);
	if (x->has_v && x->v > x->host) {
		plan_fmt_size(a, sizeof a, x->v * 1024);
		warn(p, "%s: %s is more than the host's %s; the guest may make the host swap.",
		     x->label, a, b);
	}
	if (x->has_max && x->vmax > x->host) {
		plan_fmt_size(a, sizeof a, x->vmax * 1024);
		warn(p, "%s: %s is more than the host's %s; the guest may not start or may make "
		     "the host swap.", x->max_label, a, b);
	}
	return true;
}

/* The new current value against the maxima; sets *cfg_only when it can
 * only wait for the next boot (above the running maximum, which the same
 * request raises). False when refused. */
static bool
check_current(struct resize_plan *p, const struct pair *x, uint64_t new_max, bool *cfg_only)
{
	char v[32], m[32];

	fmt_val(v, sizeof v, x->kind, x->v);
	*cfg_only = false;
	if (x->live_ok && x->v > x->live_max) {
		if (!(x->has_max && x->v <= x->vmax && x->cfg_ok)) {
			fmt_val(m, sizeof m, x->kind, x->live_max);
			refuse(p, "%s: %s is above the maximum of %s of the running guest; raise %s "
			       "to %s first (that takes effect at next boot).", x->label, v, m,
			       x->max_label, v);
			return false;
		}
		*cfg_only = true;
	}
	if (x->cfg_ok && x->v > new_max) {
		fmt_val(m, sizeof m, x->kind, new_max);
		refuse(p, "%s: %s is above %s %s%s.", x->label, v, x->max_label, m,
		       x->has_max ? "" : x->kind == RESIZE_VCPUS ? "; raise maximum vCPUs too"
		                                                 : "; raise maximum memory too");
		return false;
	}
	return true;
}

/* The operation setting the current value, if anything changes. */
static void
plan_current(struct resize_plan *p, const struct pair *x, bool cfg_only)
{
	bool need_live = x->live_ok && !cfg_only && x->v != x->live;
	bool need_cfg = x->cfg_ok && x->v != x->cfg;
	unsigned flags = 0;
	enum resize_when when;
	char a[32], b[32];
	struct resize_op *op;

	if (!need_live && !need_cfg)
		return;
	if (need_live)
		flags |= VIR_DOMAIN_AFFECT_LIVE;
	if (x->cfg_ok)
		flags |= VIR_DOMAIN_AFFECT_CONFIG;
	if (need_live)
		when = x->cfg_ok ? RESIZE_NOW_AND_BOOT : RESIZE_NOW_ONLY;
	else
		when = x->active ? RESIZE_NEXT_BOOT : RESIZE_NEXT_START;
	op = add_op(p, x->kind, false, flags, x->v, when);
	fmt_val(a, sizeof a, x->kind, need_live ? x->live : x->cfg);
	fmt_val(b, sizeof b, x->kind, x->v);
	if (cfg_only) {
		char m[32];
		fmt_val(m, sizeof m, x->kind, x->live_max);
		op->what = xasprintf("%s %s -> %s (above the running maximum of %s)", x->label, a,
		                     b, m);
	} else {
		op->what = xasprintf("%s %s -> %s", x->label, a, b);
	}
}

/* The operation setting the maximum in the saved configuration. */
static void
plan_max(struct resize_plan *p, const struct pair *x)
{
	char a[32], b[32];
	struct resize_op *op;

	if (!x->has_max || x->vmax == x->cfg_max)
		return;
	op = add_op(p, x->kind, true, VIR_DOMAIN_AFFECT_CONFIG, x->vmax,
	            x->active ? RESIZE_NEXT_BOOT : RESIZE_NEXT_START);
	fmt_val(a, sizeof a, x->kind, x->cfg_max);
	fmt_val(b, sizeof b, x->kind, x->vmax);
	op->what = xasprintf("%s %s -> %s", x->max_label, a, b);
}

/* vCPUs or memory: check, then the operations in a safe order (a raised
 * maximum first, a lowered one last). */
static void
plan_pair(struct resize_plan *p, const struct pair *x)
{
	uint64_t new_max = x->has_max ? x->vmax : x->cfg_max;
	bool cfg_only = false;
	size_t before = p->nerrors;

	if (!check_host(p, x))
		return;
	if (x->has_v && !check_current(p, x, new_max, &cfg_only))
		return;
	if (x->has_max && !x->has_v && x->cfg_ok && x->cfg > x->vmax) {
		char a[32], b[32];
		fmt_val(a, sizeof a, x->kind, x->vmax);
		fmt_val(b, sizeof b, x->kind, x->cfg);
		if (x->kind == RESIZE_VCPUS)
			refuse(p, "%s: %s is below the %s vCPUs %s has; lower vCPUs too.",
			       x->max_label, a, b, x->name);
		else
			refuse(p, "%s: %s is below the %s of memory %s has; lower memory too.",
			       x->max_label, a, b, x->name);
	}
	if (p->nerrors != before)
		return;
	if (x->has_max && x->vmax >= x->cfg_max)
		plan_max(p, x);
	if (x->has_v)
		plan_current(p, x, cfg_only);
	if (x->has_max && x->vmax < x->cfg_max)
		plan_max(p, x);
}

/* Refusals of maxima that the scope or the guest cannot take. */
static void
check_max_scope(struct resize_plan *p, const struct resize_now *now, enum resize_scope scope,
                const char *label)
{
	if (scope == RESIZE_LIVE)
		refuse(p, "%s: the maximum changes only in the saved configuration, at next boot; "
		       "drop --live.", label);
	else if (!now->persistent)
		refuse(p, "%s: %s is a transient guest (no saved configuration), so its maximum "
		       "cannot change.", label, now->name);
}

static const struct resize_disk *
find_disk(const struct resize_now *now, const char *target)
{
	size_t i;

	for (i = 0; i < now->ndisks; i++)
		if (strcmp(now->disks[i].target, target) == 0)
			return &now->disks[i];
	return NULL;
}

/* "vda, vdb" or "none". */
static char *
disk_names(const struct resize_now *now)
{
	char *s = xstrdup(""), *t;
	size_t i;

	for (i = 0; i < now->ndisks; i++) {
		t = xasprintf("%s%s%s", s, i ? ", " : "", now->disks[i].target);
		free(s);
		s = t;
	}
	if (now->ndisks == 0) {
		free(s);
		s = xstrdup("none");
	}
	return s;
}

/* Whether request i names the same disk as an earlier one. */
static bool
disk_repeated(const struct resize_req *req, size_t i)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (req->disks[j].target && strcmp(req->disks[j].target, req->disks[i].target) == 0)
			return true;
	return false;
}

/* One disk: it exists, is a disk, grows (never shrinks). */
static void
plan_disk(struct resize_plan *p, const struct resize_now *now, const struct resize_req *req,
          size_t i)
{
	const struct resize_disk_req *r = &req->disks[i];
	const struct resize_disk *d;
	char *size = trimmed(r->size), *names, a[32], b[32];
	uint64_t bytes;
	struct resize_op *op;

	if (r->target == NULL || r->target[0] == '\0') {
		refuse(p, "A disk size needs the disk's name, as in vda=20G.");
		goto cleanup;
	}
	if ((d = find_disk(now, r->target)) == NULL) {
		names = disk_names(now);
		refuse(p, "%s has no disk %s; its disks: %s.", now->name, r->target, names);
		free(names);
		goto cleanup;
	}
	if (disk_repeated(req, i)) {
		refuse(p, "%s: the disk is given twice; give it once.", r->target);
		goto cleanup;
	}
	if (size == NULL)
		goto cleanup;
	if (!parse_size(p, r->target, size, GIB, 512, &bytes))
		goto cleanup;
	if (strcmp(d->device, "disk") != 0) {
		refuse(p, "%s is a %s, not a disk; only disks grow.", d->target, d->device);
		goto cleanup;
	}
	if (d->bytes == 0) {
		refuse(p, "%s: libvirt cannot tell its size, so vmtui cannot grow it.", d->target);
		goto cleanup;
	}
	plan_fmt_size(a, sizeof a, d->bytes);
	if (bytes < d->bytes) {
		refuse(p, "%s is %s; vmtui never shrinks a disk.", d->target, a);
		goto cleanup;
	}
	if (bytes == d->bytes)
		goto cleanup;
	if (now->active && req->scope == RESIZE_CONFIG) {
		refuse(p, "%s: the disk of a running guest grows only live; drop --config, or shut "
		       "%s down first.", d->target, now->name);
		goto cleanup;
	}
	if (!now->active && d->path == NULL) {
		refuse(p, "%s: it has no file or volume that libvirt could grow.", d->target);
		goto cleanup;
	}
	op = add_op(p, RESIZE_DISK, false,
	            now->active ? VIR_DOMAIN_AFFECT_LIVE : VIR_DOMAIN_AFFECT_CONFIG, bytes,
	            now->active ? RESIZE_NOW : RESIZE_NEXT_START);
	op->target = xstrdup(d->target);
	op->path = d->path ? xstrdup(d->path) : NULL;
	plan_fmt_size(b, sizeof b, bytes);
	op->what = xasprintf("%s %s -> %s", d->target, a, b);

cleanup:
	free(size);
}

/* The parsed request; has_* false for values left as they are. */
struct wants {
	bool has_v, has_vmax, has_m, has_mmax;
	uint64_t v, vmax, m, mmax;
};

static void
parse_wants(struct resize_plan *p, const struct resize_req *req, struct wants *w)
{
	char *s;

	memset(w, 0, sizeof *w);
	if ((s = trimmed(req->vcpus)) != NULL)
		w->has_v = parse_count(p, "vCPUs", s, &w->v);
	free(s);
	if ((s = trimmed(req->vcpus_max)) != NULL)
		w->has_vmax = parse_count(p, "maximum vCPUs", s, &w->vmax);
	free(s);
	if ((s = trimmed(req->mem)) != NULL)
		w->has_m = parse_mem(p, "memory", s, &w->m);
	free(s);
	if ((s = trimmed(req->mem_max)) != NULL)
		w->has_mmax = parse_mem(p, "maximum memory", s, &w->mmax);
	free(s);
}

void
resize_plan_make(const struct resize_now *now, const struct resize_req *req,
                 struct resize_plan *p)
{
	struct wants w;
	struct pair cpu, mem;
	bool live_ok, cfg_ok;
	size_t i;

	memset(p, 0, sizeof *p);
	if (req->scope == RESIZE_LIVE && !now->active) {
		refuse(p, "%s is %s; --live changes only a running guest. Drop --live to change "
		       "its saved configuration.", now->name, now->state);
		return;
	}
	if (req->scope == RESIZE_CONFIG && !now->persistent) {
		refuse(p, "%s is a transient guest (no saved configuration); drop --config.",
		       now->name);
		return;
	}
	live_ok = now->active && req->scope != RESIZE_CONFIG;
	cfg_ok = now->persistent && req->scope != RESIZE_LIVE;
	parse_wants(p, req, &w);
	/* A maximum the scope cannot change is refused, and not planned. */
	if (w.has_vmax && (req->scope == RESIZE_LIVE || !now->persistent)) {
		check_max_scope(p, now, req->scope, "maximum vCPUs");
		w.has_vmax = false;
	}
	if (w.has_mmax && (req->scope == RESIZE_LIVE || !now->persistent)) {
		check_max_scope(p, now, req->scope, "maximum memory");
		w.has_mmax = false;
	}
	cpu = (struct pair){
		.kind = RESIZE_VCPUS, .label = "vCPUs", .max_label = "maximum vCPUs",
		.name = now->name, .live = now->vcpus, .live_max = now->vcpus_max,
		.cfg = now->cfg_vcpus, .cfg_max = now->cfg_vcpus_max, .host = now->host_cpus,
		.has_v = w.has_v, .has_max = w.has_vmax, .v = w.v, .vmax = w.vmax,
		.live_ok = live_ok, .cfg_ok = cfg_ok, .active = now->active,
	};
	mem = (struct pair){
		.kind = RESIZE_MEM, .label = "memory", .max_label = "maximum memory",
		.name = now->name, .live = now->mem_kib, .live_max = now->mem_max_kib,
		.cfg = now->cfg_mem_kib, .cfg_max = now->cfg_mem_max_kib, .host = now->host_mem_kib,
		.has_v = w.has_m, .has_max = w.has_mmax, .v = w.m, .vmax = w.mmax,
		.live_ok = live_ok, .cfg_ok = cfg_ok, .active = now->active,
	};
	plan_pair(p, &cpu);
	plan_pair(p, &mem);
	for (i = 0; i < req->ndisks; i++)
		plan_disk(p, now, req, i);
	if (p->nerrors) {
		/* A refused request changes nothing: no operations at all, and
		 * no warnings about what will not happen. */
		xfree_strv(p->warnings, p->nwarnings);
		p->warnings = NULL;
		p->nwarnings = 0;
		for (i = 0; i < p->nops; i++) {
			free(p->ops[i].target);
			free(p->ops[i].path);
			free(p->ops[i].what);
		}
		free(p->ops);
		p->ops = NULL;
		p->nops = 0;
	}
}

void
resize_plan_free(struct resize_plan *p)
{
	size_t i;

	for (i = 0; i < p->nops; i++) {
		free(p->ops[i].target);
		free(p->ops[i].path);
		free(p->ops[i].what);
	}
	free(p->ops);
	xfree_strv(p->errors, p->nerrors);
	xfree_strv(p->warnings, p->nwarnings);
	memset(p, 0, sizeof *p);
}

const char *
resize_when_text(enum resize_when w)
{
	switch (w) {
	case RESIZE_NOW_AND_BOOT:
		return "now and at next boot";
	case RESIZE_NOW_ONLY:
		return "now, until the guest shuts down";
	case RESIZE_NOW:
		return "now";
	case RESIZE_NEXT_BOOT:
		return "at next boot";
	default:
		return "when it starts";
	}
}

const char *
resize_field_when(const struct resize_now *now, enum resize_field f)
{
	bool max = f == RF_VCPUS_MAX || f == RF_MEM_MAX;

	if (f == RF_DISK)
		return now->active ? "now; disks only grow" : "now, seen when it starts; disks only grow";
	if (!now->active)
		return "when it starts";
	if (!now->persistent)
		return max ? "cannot change (transient guest)" : "now only (transient guest)";
	return max ? "at next boot" : "now and at next boot";
}

/* The plain value of a field; live figures when the guest runs. */
static void
field_plain(char *buf, size_t n, const struct resize_now *now, enum resize_field f,
            size_t disk)
{
	switch (f) {
	case RF_VCPUS:
		snprintf(buf, n, "%u", now->vcpus);
		break;
	case RF_VCPUS_MAX:
		snprintf(buf, n, "%u", now->active ? now->vcpus_max : now->cfg_vcpus_max);
		break;
	case RF_MEM:
		plan_fmt_size(buf, n, now->mem_kib * 1024);
		break;
	case RF_MEM_MAX:
		plan_fmt_size(buf, n, now->mem_max_kib * 1024);
		break;
	default:
		if (disk < now->ndisks && now->disks[disk].bytes)
			plan_fmt_size(buf, n, now->disks[disk].bytes);
		else
			snprintf(buf, n, "?");
	}
}

char *
resize_field_initial(const struct resize_now *now, enum resize_field f, size_t disk)
{
	char buf[32];

	field_plain(buf, sizeof buf, now, f, disk);
	return xstrdup(buf);
}

char *
resize_field_value(const struct resize_now *now, enum resize_field f, size_t disk)
{
	char buf[32], cfg[32];
	uint64_t live = 0, saved = 0;

	field_plain(buf, sizeof buf, now, f, disk);
	switch (f) {
	case RF_VCPUS:
		live = now->vcpus, saved = now->cfg_vcpus;
		break;
	case RF_VCPUS_MAX:
		live = now->vcpus_max, saved = now->cfg_vcpus_max;
		break;
	case RF_MEM:
		live = now->mem_kib, saved = now->cfg_mem_kib;
		break;
	case RF_MEM_MAX:
		live = now->mem_max_kib, saved = now->cfg_mem_max_kib;
		break;
	default:
		break;
	}
	if (!now->active || !now->persistent || live == saved)
		return xstrdup(buf);
	fmt_val(cfg, sizeof cfg, f == RF_VCPUS || f == RF_VCPUS_MAX ? RESIZE_VCPUS : RESIZE_MEM,
	        saved);
	return xasprintf("%s (%s at next boot)", buf, cfg);
}

/* Append "a; b" style: s + sep + t, freeing s. */
static char *
join(char *s, const char *sep, const char *t)
{
	char *r = xasprintf("%s%s%s", s ? s : "", s && *s ? sep : "", t);

	free(s);
	return r;
}

char *
resize_reboot_note(const struct resize_now *now, const struct resize_plan *p)
{
	char *list = NULL, *note;
	size_t i;

	for (i = 0; i < p->nops; i++)
		if (p->ops[i].when == RESIZE_NEXT_BOOT)
			list = join(list, "; ", p->ops[i].what);
	if (list == NULL)
		return NULL;
	note = xasprintf("Waits for the next boot of %s (shut it down and start it again; a "
	                 "reboot from inside is not enough): %s.", now->name, list);
	free(list);
	return note;
}

char *
resize_summary(const struct resize_now *now, const struct resize_plan *p)
{
	char *list = NULL, *item, *note, *s;
	size_t i;

	for (i = 0; i < p->nops; i++) {
		item = xasprintf("%s (%s)", p->ops[i].what, resize_when_text(p->ops[i].when));
		list = join(list, "; ", item);
		free(item);
	}
	s = xasprintf("%s resized: %s.", now->name, list ? list : "nothing changed");
	free(list);
	if ((note = resize_reboot_note(now, p)) != NULL) {
		s = join(s, " ", note);
		free(note);
	}
	for (i = 0; i < p->nwarnings; i++) {
		item = xasprintf("Warning: %s", p->warnings[i]);
		s = join(s, " ", item);
		free(item);
	}
	return s;
}

/* ---- applying ---- */

/* The storage volume of a disk file; refreshes the active pools once when
 * no pool knows it yet (their lists of volumes may be stale). */
static virStorageVolPtr
find_volume(virConnectPtr conn, const struct resize_op *op, char **err)
{
	virStorageVolPtr vol = virStorageVolLookupByPath(conn, op->path);
	virStoragePoolPtr *pools = NULL;
	int n, i;

	if (vol != NULL)
		return vol;
	n = virConnectListAllStoragePools(conn, &pools, VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE);
	for (i = 0; i < n; i++) {
		virStoragePoolRefresh(pools[i], 0);
		virStoragePoolFree(pools[i]);
	}
	free(pools);
	if ((vol = virStorageVolLookupByPath(conn, op->path)) == NULL)
		*err = xasprintf("its file %s is in no storage pool, so libvirt cannot grow it while "
		                 "the guest is shut off. Start the guest and grow it then, or make the "
		                 "file's folder a storage pool", op->path);
	return vol;
}

/* One libvirt call; -1 with *err (no final period). */
static int
run_op(virConnectPtr conn, virDomainPtr dom, const struct resize_op *op, char **err)
{
	virStorageVolPtr vol;
	int rc;

	switch (op->kind) {
	case RESIZE_VCPUS:
		rc = virDomainSetVcpusFlags(dom, (unsigned)op->value,
		                            op->flags | (op->max ? VIR_DOMAIN_VCPU_MAXIMUM : 0));
		break;
	case RESIZE_MEM:
		rc = virDomainSetMemoryFlags(dom, (unsigned long)op->value,
		                             op->flags | (op->max ? VIR_DOMAIN_MEM_MAXIMUM : 0));
		break;
	default:
		if (op->flags & VIR_DOMAIN_AFFECT_LIVE) {
			rc = virDomainBlockResize(dom, op->target, op->value,
			                          VIR_DOMAIN_BLOCK_RESIZE_BYTES);
			break;
		}
		if ((vol = find_volume(conn, op, err)) == NULL)
			return -1;
		rc = virStorageVolResize(vol, op->value, 0);
		virStorageVolFree(vol);
	}
	if (rc < 0)
		*err = xstrdup(virGetLastErrorMessage());
	return rc < 0 ? -1 : 0;
}

int
resize_apply(virConnectPtr conn, const char *vm, const struct resize_plan *p,
             void (*done)(const struct resize_op *op, void *opaque), void *opaque,
             char **err)
{
	virDomainPtr dom = lv_domain_lookup(conn, vm, NULL);
	char *why = NULL, *did = NULL;
	size_t i;
	int rc = 0;

	*err = NULL;
	if (dom == NULL) {
		*err = xasprintf("There is no guest \"%s\" on this host any more.", vm);
		return -1;
	}
	/* Volumes first: a disk that cannot grow stops everything before any
	 * change is made. */
	for (i = 0; i < p->nops; i++) {
		const struct resize_op *op = &p->ops[i];
		virStorageVolPtr vol;
		if (op->kind != RESIZE_DISK || (op->flags & VIR_DOMAIN_AFFECT_LIVE))
			continue;
		if ((vol = find_volume(conn, op, &why)) == NULL) {
			*err = xasprintf("Cannot grow %s: %s. Nothing was changed.", op->target, why);
			free(why);
			virDomainFree(dom);
			return -1;
		}
		virStorageVolFree(vol);
	}
	for (i = 0; i < p->nops && rc == 0; i++) {
		if (run_op(conn, dom, &p->ops[i], &why) < 0) {
			*err = xasprintf("Cannot set %s: %s.%s%s%s", p->ops[i].what, why,
			                 did ? " Done before it: " : " Nothing else was changed.",
			                 did ? did : "", did ? "." : "");
			free(why);
			rc = -1;
			break;
		}
		did = join(did, "; ", p->ops[i].what);
		if (done)
			done(&p->ops[i], opaque);
	}
	free(did);
	virDomainFree(dom);
	return rc;
}

char *
resize_op_virsh(const struct resize_op *op, const char *vm, const char *uri)
{
	const char *live = (op->flags & VIR_DOMAIN_AFFECT_LIVE) ? "--live" : NULL;
	const char *cfg = (op->flags & VIR_DOMAIN_AFFECT_CONFIG) ? "--config" : NULL;
	char num[32];

	/* A NULL ends the list early: put the optional flags last, live first. */
	if (live == NULL) {
		live = cfg;
		cfg = NULL;
	}
	switch (op->kind) {
	case RESIZE_VCPUS:
		snprintf(num, sizeof num, "%" PRIu64, op->value);
		if (op->max)
			return msglog_virsh(uri, "setvcpus", vm, num, "--maximum", live, cfg, NULL);
		return msglog_virsh(uri, "setvcpus", vm, num, live, cfg, NULL);
	case RESIZE_MEM:
		snprintf(num, sizeof num, "%" PRIu64 "KiB", op->value);
		return msglog_virsh(uri, op->max ? "setmaxmem" : "setmem", vm, num, live, cfg, NULL);
	default:
		snprintf(num, sizeof num, "%" PRIu64 "B", op->value);
		if (op->flags & VIR_DOMAIN_AFFECT_LIVE)
			return msglog_virsh(uri, "blockresize", vm, op->target, num, NULL);
		return msglog_virsh(uri, "vol-resize", op->path ? op->path : op->target, num,
		                    NULL);
	}
}

/* ---- the TUI's job ---- */

/* A copy of a request that the worker owns. */
struct apply_call {
	struct resize_job *job;
	struct resize_req req;
	char *text[4];
	struct resize_disk_req *disks;
	char **disk_text;
};

static struct apply_call *
call_new(struct resize_job *j, const struct resize_req *r)
{
	struct apply_call *c = xcalloc(1, sizeof *c);
	size_t i;

	c->job = j;
	c->text[0] = r->vcpus ? xstrdup(r->vcpus) : NULL;
	c->text[1] = r->vcpus_max ? xstrdup(r->vcpus_max) : NULL;
	c->text[2] = r->mem ? xstrdup(r->mem) : NULL;
	c->text[3] = r->mem_max ? xstrdup(r->mem_max) : NULL;
	c->disks = xcalloc(r->ndisks ? r->ndisks : 1, sizeof *c->disks);
	c->disk_text = xcalloc(r->ndisks ? r->ndisks * 2 : 1, sizeof *c->disk_text);
	for (i = 0; i < r->ndisks; i++) {
		c->disk_text[2 * i] = r->disks[i].target ? xstrdup(r->disks[i].target) : NULL;
		c->disk_text[2 * i + 1] = r->disks[i].size ? xstrdup(r->disks[i].size) : NULL;
		c->disks[i].target = c->disk_text[2 * i];
		c->disks[i].size = c->disk_text[2 * i + 1];
	}
	c->req = (struct resize_req){ c->text[0], c->text[1], c->text[2], c->text[3], c->disks,
	                              r->ndisks, r->scope };
	return c;
}

static void
call_free(struct apply_call *c)
{
	size_t i;

	for (i = 0; i < 4; i++)
		free(c->text[i]);
	xfree_strv(c->disk_text, c->req.ndisks * 2);
	free(c->disks);
	free(c);
}

/* Hand the worker's result to the dialog: new values, or an error. */
static void
publish(struct resize_job *j, struct resize_now *now, char *err, char *summary)
{
	struct host *h = j->host;

	host_lock(h);
	if (now != NULL) {
		resize_now_free(&j->now);
		j->now = *now;
		j->reads++;
	}
	free(j->error);
	j->error = err;
	free(j->summary);
	j->summary = summary;
	j->state = j->reads ? RJ_READY : RJ_FAILED;
	host_publish_unlock(h);
}

/* Worker: read the guest. */
static void
job_read(struct host *h, virConnectPtr conn, void *arg)
{
	struct resize_job *j = arg;
	struct resize_now now;
	char *err = NULL;

	if (conn == NULL)
		publish(j, NULL, host_not_connected(h), NULL);
	else if (resize_read(conn, j->uuid, &now, &err) == 0)
		publish(j, &now, NULL, NULL);
	else
		publish(j, NULL, err, NULL);
	resize_job_release(j);
}

/* Worker: plan from fresh values, apply, report. Returns the error, or
 * NULL with *summary set when applied (NULL when nothing changed);
 * *balloon is the live memory asked for, in KiB (0: none). */
struct op_log {
	const char *vm;
	char *uri;
	size_t done;
};

static void
log_op(const struct resize_op *op, void *opaque)
{
	struct op_log *l = opaque;
	char *virsh = resize_op_virsh(op, l->vm, l->uri);

	msglog_action(virsh, NULL, "%s: %s", l->vm, op->what);
	free(virsh);
	l->done++;
}

static char *
job_apply_run(struct host *h, virConnectPtr conn, struct apply_call *c, char **summary,
              uint64_t *balloon)
{
	struct resize_now now;
	struct resize_plan p;
	struct op_log log = { 0 };
	char *err = NULL;
	size_t i;

	*summary = NULL;
	*balloon = 0;
	if (resize_read(conn, c->job->uuid, &now, &err) < 0)
		return err;
	resize_plan_make(&now, &c->req, &p);
	if (p.nerrors) {
		err = xstrdup(p.errors[0]);
	} else if (p.nops == 0) {
		msglog_add(MSG_INFO, "%s: nothing to change.", now.name);
	} else {
		log.vm = now.name;
		log.uri = host_virsh_uri(h);
		if (resize_apply(conn, c->job->uuid, &p, log_op, &log, &err) < 0 &&
		    log.done < p.nops) {
			char *virsh = resize_op_virsh(&p.ops[log.done], now.name, log.uri);
			msglog_action(virsh, err, "%s: %s", now.name, p.ops[log.done].what);
			free(virsh);
			log.done = SIZE_MAX; /* reported */
		}
		free(log.uri);
	}
	if (err == NULL && p.nops > 0 && p.nerrors == 0) {
		*summary = resize_summary(&now, &p);
		msglog_add(MSG_INFO, "%s", *summary);
		for (i = 0; i < p.nops; i++)
			if (p.ops[i].kind == RESIZE_MEM && !p.ops[i].max &&
			    (p.ops[i].flags & VIR_DOMAIN_AFFECT_LIVE))
				*balloon = p.ops[i].value;
	}
	if (err != NULL && log.done != SIZE_MAX)
		msglog_add(MSG_ERROR, "%s: %s", now.name, err);
	resize_plan_free(&p);
	resize_now_free(&now);
	return err;
}

/* Read the guest again; after a live memory change, give the balloon a
 * few seconds to get there (libvirt shows the memory the guest has, not
 * the target). */
static int
reread(virConnectPtr conn, const char *uuid, uint64_t balloon, struct resize_now *now,
       char **err)
{
	const struct timespec step = { 0, 250000000 };
	int tries;

	for (tries = 0; resize_read(conn, uuid, now, err) == 0; tries++) {
		if (balloon == 0 || now->mem_kib == balloon || tries == 20)
			return 0;
		resize_now_free(now);
		nanosleep(&step, NULL);
	}
	return -1;
}

/* Worker: apply a request, then show the new values. */
static void
job_apply(struct host *h, virConnectPtr conn, void *arg)
{
	struct apply_call *c = arg;
	struct resize_job *j = c->job;
	struct resize_now now;
	char *err = NULL, *rerr = NULL, *summary = NULL;
	uint64_t balloon = 0;

	if (conn == NULL) {
		publish(j, NULL, host_not_connected(h), NULL);
		goto cleanup;
	}
	err = job_apply_run(h, conn, c, &summary, &balloon);
	if (reread(conn, j->uuid, balloon, &now, &rerr) == 0) {
		publish(j, &now, err, summary);
		free(rerr);
	} else {
		publish(j, NULL, err ? err : rerr, summary);
		if (err)
			free(rerr);
	}

cleanup:
	call_free(c);
	resize_job_release(j);
}

struct resize_job *
resize_job_new(struct host *h, const char *uuid)
{
	struct resize_job *j = xcalloc(1, sizeof *j);

	j->host = h;
	snprintf(j->uuid, sizeof j->uuid, "%s", uuid);
	j->refs = 2; /* the caller's and the queued read's */
	j->state = RJ_READING;
	host_call(h, job_read, j);
	return j;
}

void
resize_job_apply(struct resize_job *j, const struct resize_req *req)
{
	host_lock(j->host);
	j->refs++;
	j->state = RJ_APPLYING;
	free(j->error);
	j->error = NULL;
	free(j->summary);
	j->summary = NULL;
	host_unlock(j->host);
	host_call(j->host, job_apply, call_new(j, req));
}

void
resize_job_release(struct resize_job *j)
{
	if (j == NULL || !host_unref(j->host, &j->refs))
		return;
	resize_now_free(&j->now);
	free(j->error);
	free(j->summary);
	free(j);
}
