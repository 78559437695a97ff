/* resplan.c — plan the storage pools and networks of VM definition files
 * (see resplan.h) with read-only libvirt calls: each missing one is made
 * from poolxml / netxml; an existing one is compared with the definition,
 * both read back through the same XML reader so that defaults compare
 * equal, and only its state, autostart and a network's missing fixed
 * hosts are changed. Conflicts libvirt would refuse later (a folder of
 * another pool, an address range of another network) are said now. */
#include "resplan.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libvirt/virterror.h>

#include "../base/xmalloc.h"
#include "netxml.h"
#include "poolxml.h"

static const char *
kind_word(const struct plan_res *r)
{
	return r->pool ? "pool" : "network";
}

static const struct vmdef_pos *
pos_of(const struct plan_res *r)
{
	return r->pool ? &r->pool->pos : &r->net->pos;
}

/* "file:line:col: pool NAME: text" onto a list. */
static void __attribute__((format(printf, 4, 0)))
add_msg(char ***v, size_t *n, const struct plan_res *r, const char *fmt, va_list ap)
{
	const struct vmdef_pos *pos = pos_of(r);
	char *text = NULL;

	if (vasprintf(&text, fmt, ap) < 0)
		text = NULL;
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	if (pos->file)
		(*v)[(*n)++] = xasprintf("%s:%u:%u: %s %s: %s", pos->file, pos->line, pos->col,
		                         kind_word(r), r->name, text ? text : fmt);
	else
		(*v)[(*n)++] = xasprintf("%s %s: %s", kind_word(r), r->name, text ? text : fmt);
	free(text);
}

static void __attribute__((format(printf, 2, 3)))
res_error(struct plan_res *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_msg(&r->errors, &r->nerrors, r, fmt, ap);
	va_end(ap);
}

static void __attribute__((format(printf, 2, 3)))
res_warning(struct plan_res *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_msg(&r->warnings, &r->nwarnings, r, fmt, ap);
	va_end(ap);
}

static void
add_change(struct plan_res *r, const char *field, const char *have, const char *want,
           enum plan_when when, const char *why)
{
	struct plan_change *ch;

	r->changes = xreallocarray(r->changes, r->nchanges + 1, sizeof *r->changes);
	ch = &r->changes[r->nchanges++];
	ch->field = xstrdup(field);
	ch->have = xstrdup(have ? have : "none");
	ch->want = xstrdup(want ? want : "none");
	ch->when = when;
	ch->why = why;
}

static bool
same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

/* libvirt's last error, without a final period. */
static char *
lv_err(void)
{
	const char *m = virGetLastErrorMessage();
	size_t n = m ? strlen(m) : 0;

	if (n == 0)
		return xstrdup("unknown libvirt error");
	return xstrndup(m, m[n - 1] == '.' ? n - 1 : n);
}

/* The saved definition; the live one where the driver cannot give the
 * saved one apart (the test driver). */
char *
resplan_pool_xml(virStoragePoolPtr pool)
{
	char *xml = virStoragePoolGetXMLDesc(pool, VIR_STORAGE_XML_INACTIVE);

	return xml ? xml : virStoragePoolGetXMLDesc(pool, 0);
}

char *
resplan_net_xml(virNetworkPtr net)
{
	char *xml = virNetworkGetXMLDesc(net, VIR_NETWORK_XML_INACTIVE);

	return xml ? xml : virNetworkGetXMLDesc(net, 0);
}

bool
resplan_pool_build(const struct pooldef *p, unsigned *flags, bool *folder, const char **what)
{
	const char *t = p->type;
	bool mount = strcmp(t, "fs") == 0 || strcmp(t, "netfs") == 0;

	*flags = 0;
	*folder = strcmp(t, "dir") == 0 || mount;
	*what = "make its folder";
	if (mount && !p->build) {
		*what = "make its mount point";
		return true;
	}
	if (strcmp(t, "netfs") == 0)
		*what = "make its mount point";
	if (strcmp(t, "fs") == 0)
		*what = "make its mount point, and a file system if the device has none";
	if (strcmp(t, "logical") == 0)
		*what = "make a volume group, if the device holds none";
	if (strcmp(t, "disk") == 0)
		*what = "write a partition table, if the device holds none";
	if (strcmp(t, "dir") != 0 && strcmp(t, "netfs") != 0)
		*flags = VIR_STORAGE_POOL_BUILD_NO_OVERWRITE;
	return p->build || mount;
}

/* ---- state and autostart of an existing one ---- */

static void
plan_state(struct plan_res *r, bool want_start, bool want_auto, int active, int autostart)
{
	r->active = active == 1;
	if (want_start && active == 0)
		add_change(r, "state", "inactive", "active", PLAN_NOW, NULL);
	if (autostart >= 0 && (autostart != 0) != want_auto)
		add_change(r, "autostart", autostart ? "on" : "off", want_auto ? "on" : "off",
		           PLAN_NOW, NULL);
}

/* An existing one with a change apply makes is updated. */
static void
settle(struct plan_res *r)
{
	size_t i;

	for (i = 0; i < r->nchanges; i++)
		if (r->changes[i].when != PLAN_NOT_APPLIED)
			r->kind = PLAN_UPDATE;
}

/* r's lookup found nothing: an error unless libvirt said none_code (no
 * such pool/network); then r is created. True: check its conflicts. */
static bool
plan_absent(struct plan_res *r, int none_code)
{
	char *err = NULL, *m;

	if (virGetLastErrorCode() != none_code) {
		r->kind = PLAN_SAME;
		m = lv_err();
		res_error(r, "cannot look it up: %s.", m);
		free(m);
		return false;
	}
	r->kind = PLAN_CREATE;
	r->xml = r->pool ? poolxml_make(r->pool, &err) : netxml_make(r->net, &err);
	if (r->xml == NULL) {
		res_error(r, "%s", err);
		free(err);
		return false;
	}
	return true;
}

/* ---- pools ---- */

static const char pool_why[] =
	"vmtui does not change an existing pool's definition; edit it with virsh pool-edit, "
	"or give this one another name";

/* Each field where the host's pool differs from the definition's. */
static void
pool_diff(struct plan_res *r, const struct pooldef *have, const struct pooldef *want)
{
	const char *const fields[] = { "pooltype", "path", "source_host", "source_dir",
		                       "source_device", "source_name", "source_format" };
	const char *const h[] = { have->type, have->path, have->source_host, have->source_dir,
		                  have->source_device, have->source_name, have->source_format };
	const char *const w[] = { want->type, want->path, want->source_host, want->source_dir,
		                  want->source_device, want->source_name, want->source_format };
	size_t i;

	for (i = 0; i < sizeof fields / sizeof *fields; i++)
		if (!same(h[i], w[i]))
			add_change(r, fields[i], h[i], w[i], PLAN_NOT_APPLIED, pool_why);
}

/* Compare an existing pool with its definition. */
static void
pool_existing(struct plan_res *r, virStoragePoolPtr pool)
{
	struct pooldef have = { 0 }, want = { 0 };
	char *xml = resplan_pool_xml(pool), *made, *err = NULL;
	int autostart = -1;

	r->kind = PLAN_SAME;
	if (virStoragePoolGetAutostart(pool, &autostart) < 0)
		autostart = -1;
	plan_state(r, r->pool->start, r->pool->autostart, virStoragePoolIsActive(pool),
	           autostart);
	made = poolxml_make(r->pool, &err);
	if (xml == NULL || made == NULL || poolxml_read(made, &want, &err) < 0) {
		res_warning(r, "cannot compare it with the host's pool of that name.");
	} else if (poolxml_read(xml, &have, &err) < 0) {
		res_warning(r, "the host's pool of that name cannot be compared: %s", err);
	} else {
		pool_diff(r, &have, &want);
	}
	free(err);
	free(made);
	free(xml);
	pooldef_free(&have);
	pooldef_free(&want);
}

/* Two pools on one folder: libvirt refuses the second. */
static void
pool_conflicts(virConnectPtr conn, struct plan_res *r)
{
	virStoragePoolPtr *all = NULL;
	int n = virConnectListAllStoragePools(conn, &all, 0), i;
	const char *t = r->pool->type;
	bool has_folder = strcmp(t, "dir") == 0 || strcmp(t, "fs") == 0 || strcmp(t, "netfs") == 0;

	for (i = 0; i < n; i++) {
		struct pooldef o = { 0 };
		char *xml = resplan_pool_xml(all[i]), *err = NULL;

		if (has_folder && xml && poolxml_read(xml, &o, &err) == 0 && o.path &&
		    strcmp(o.path, r->pool->path) == 0)
			res_error(r, "path %s is already the folder of pool %s; libvirt refuses two "
			          "pools on one folder: use pool %s, or another path.", o.path,
			          o.name, o.name);
		pooldef_free(&o);
		free(err);
		free(xml);
		virStoragePoolFree(all[i]);
	}
	free(all);
}

static void
plan_pool(virConnectPtr conn, struct plan_res *r)
{
	virStoragePoolPtr pool = virStoragePoolLookupByName(conn, r->name);

	if (pool) {
		pool_existing(r, pool);
		settle(r);
		virStoragePoolFree(pool);
		return;
	}
	if (plan_absent(r, VIR_ERR_NO_STORAGE_POOL))
		pool_conflicts(conn, r);
}

/* ---- networks ---- */

static const char net_why[] =
	"vmtui does not change an existing network's definition; edit it with virsh net-edit, "
	"or give this one another name";

/* "10.0.0.5 (web)" */
static char *
host_text(const struct netdef_host *h)
{
	return h->name ? xasprintf("%s (%s)", h->ip, h->name) : xstrdup(h->ip);
}

/* The definition's fixed hosts the network lacks are added; one that
 * differs is not changed. */
static void
net_hosts(struct plan_res *r, const struct netdef *have, const struct netdef *want)
{
	size_t i, j;

	for (i = 0; i < want->nhosts; i++) {
		const struct netdef_host *w = &want->hosts[i], *h = NULL, *ip = NULL;
		char field[64], *wt, *ht;

		for (j = 0; j < have->nhosts; j++) {
			if (strcmp(have->hosts[j].mac, w->mac) == 0)
				h = &have->hosts[j];
			else if (strcmp(have->hosts[j].ip, w->ip) == 0)
				ip = &have->hosts[j];
		}
		snprintf(field, sizeof field, "hosts[%s]", w->mac);
		wt = host_text(w);
		ht = h ? host_text(h) : NULL;
		if (h && (strcmp(h->ip, w->ip) != 0 || !same(h->name, w->name)))
			add_change(r, field, ht, wt, PLAN_NOT_APPLIED, "vmtui does not change a "
			           "network's existing fixed host; remove it first (virsh net-update "
			           "delete ip-dhcp-host)");
		else if (!h && ip)
			add_change(r, field, "none", wt, PLAN_NOT_APPLIED, "another MAC already has "
			           "that address on this network");
		else if (!h)
			add_change(r, field, "none", wt, r->active ? PLAN_LIVE : PLAN_NEXT_BOOT, NULL);
		free(wt);
		free(ht);
	}
}

/* Each field where the host's network differs from the definition's. */
static void
net_diff(struct plan_res *r, const struct netdef *have, const struct netdef *want)
{
	const char *const fields[] = { "forward", "dev", "cidr", "cidr6", "domain" };
	const char *const h[] = { have->forward, have->dev, have->cidr, have->cidr6, have->domain };
	const char *const w[] = { want->forward, want->dev, want->cidr, want->cidr6, want->domain };
	struct netdef_ipv4 ha, wa;
	size_t i;

	for (i = 0; i < sizeof fields / sizeof *fields; i++)
		if (!same(h[i], w[i]))
			add_change(r, fields[i], h[i], w[i], PLAN_NOT_APPLIED, net_why);
	if (want->bridge && !same(have->bridge, want->bridge))
		add_change(r, "bridge", have->bridge, want->bridge, PLAN_NOT_APPLIED, net_why);
	if (have->dhcp != want->dhcp)
		add_change(r, "dhcp", have->dhcp ? "true" : "false", want->dhcp ? "true" : "false",
		           PLAN_NOT_APPLIED, net_why);
	else if (want->dhcp && (!same(have->dhcp_start, want->dhcp_start) ||
	                        !same(have->dhcp_end, want->dhcp_end)) &&
	         netdef_ipv4(have, &ha) == 0 && netdef_ipv4(want, &wa) == 0) {
		char *a = xasprintf("%s-%s", ha.start_s, ha.end_s);
		char *b = xasprintf("%s-%s", wa.start_s, wa.end_s);
		add_change(r, "dhcp", a, b, PLAN_NOT_APPLIED, net_why);
		free(a);
		free(b);
	}
	if (want->dhcp && have->dhcp)
		net_hosts(r, have, want);
}

static void
net_existing(struct plan_res *r, virNetworkPtr net)
{
	struct netdef have = { 0 }, want = { 0 };
	char *xml = resplan_net_xml(net), *made, *err = NULL;
	int autostart = -1;

	r->kind = PLAN_SAME;
	if (virNetworkGetAutostart(net, &autostart) < 0)
		autostart = -1;
	plan_state(r, r->net->start, r->net->autostart, virNetworkIsActive(net), autostart);
	made = netxml_make(r->net, &err);
	if (xml == NULL || made == NULL || netxml_read(made, &want, &err) < 0) {
		res_warning(r, "cannot compare it with the host's network of that name.");
	} else if (netxml_read(xml, &have, &err) < 0) {
		res_warning(r, "the host's network of that name cannot be compared: %s", err);
	} else {
		net_diff(r, &have, &want);
	}
	free(err);
	free(made);
	free(xml);
	netdef_free(&have);
	netdef_free(&want);
}

/* Whether two IPv4 networks share an address. */
static bool
overlap(const char *a, const char *b)
{
	uint32_t x, y, m;
	unsigned pa, pb;

	if (resdef_cidr4(a, &x, &pa) < 0 || resdef_cidr4(b, &y, &pb) < 0)
		return false;
	pa = pa < pb ? pa : pb;
	m = pa == 0 ? 0 : 0xffffffffu << (32 - pa);
	return (x & m) == (y & m);
}

/* The bridge or addresses of another network: libvirt would refuse to
 * define or start this one. */
static void
net_conflicts(virConnectPtr conn, struct plan_res *r)
{
	virNetworkPtr *all = NULL;
	int n = virConnectListAllNetworks(conn, &all, 0), i;

	for (i = 0; i < n; i++) {
		struct netdef o = { 0 };
		char *xml = virNetworkGetXMLDesc(all[i], 0), *err = NULL;

		if (xml && netxml_read(xml, &o, &err) == 0) {
			if (r->net->bridge && same(o.bridge, r->net->bridge))
				res_error(r, "bridge %s is already network %s's; name another bridge or "
				          "leave bridge out.", o.bridge, o.name);
			if (r->net->cidr && o.cidr && overlap(o.cidr, r->net->cidr) &&
			    virNetworkIsActive(all[i]) == 1)
				res_error(r, "cidr %s overlaps network %s's %s; libvirt will not run both: "
				          "pick another range.", r->net->cidr, o.name, o.cidr);
			else if (r->net->cidr && o.cidr && overlap(o.cidr, r->net->cidr))
				res_warning(r, "cidr %s overlaps network %s's %s, which is not running; "
				            "the two cannot run at the same time.", r->net->cidr, o.name,
				            o.cidr);
		}
		netdef_free(&o);
		free(err);
		free(xml);
		virNetworkFree(all[i]);
	}
	free(all);
}

static void
plan_net(virConnectPtr conn, struct plan_res *r)
{
	virNetworkPtr net = virNetworkLookupByName(conn, r->name);

	if (net) {
		net_existing(r, net);
		settle(r);
		virNetworkFree(net);
		return;
	}
	if (plan_absent(r, VIR_ERR_NO_NETWORK))
		net_conflicts(conn, r);
}

/* Two networks of the definitions on one range or bridge. */
static void
nets_among(struct plan *p)
{
	size_t i, j;

	for (i = 0; i < p->nnets; i++)
		for (j = 0; j < i; j++) {
			const struct netdef *a = p->nets[j].net, *b = p->nets[i].net;

			if (a->cidr && b->cidr && overlap(a->cidr, b->cidr))
				res_error(&p->nets[i], "cidr %s overlaps network %s's %s of the same "
				          "definitions: pick another range.", b->cidr, a->name, a->cidr);
			if (a->bridge && same(a->bridge, b->bridge))
				res_error(&p->nets[i], "bridge %s is also network %s's.", b->bridge,
				          a->name);
		}
}

void
resplan_make(virConnectPtr conn, const struct vmdef_file *f, struct plan *p)
{
	size_t i;

	p->pools = xcalloc(f->npools + 1, sizeof *p->pools);
	p->nets = xcalloc(f->nnets + 1, sizeof *p->nets);
	for (i = 0; i < f->npools; i++) {
		struct plan_res *r = &p->pools[p->npools++];

		r->pool = &f->pools[i];
		r->name = r->pool->name;
		plan_pool(conn, r);
	}
	for (i = 0; i < f->nnets; i++) {
		struct plan_res *r = &p->nets[p->nnets++];

		r->net = &f->nets[i];
		r->name = r->net->name;
		plan_net(conn, r);
	}
	nets_among(p);
	for (i = 0; i < p->npools; i++)
		p->nerrors += p->pools[i].nerrors;
	for (i = 0; i < p->nnets; i++)
		p->nerrors += p->nets[i].nerrors;
}

/* ---- lookups for the VMs' plan ---- */

const struct plan_res *
resplan_find(const struct plan_res *v, size_t n, const char *name)
{
	size_t i;

	for (i = 0; name && i < n; i++)
		if (strcmp(v[i].name, name) == 0)
			return &v[i];
	return NULL;
}

/* Made, or started by apply. */
static const struct plan_res *
pending(const struct plan_res *r)
{
	size_t i;

	if (r == NULL || r->nerrors)
		return NULL;
	if (r->kind == PLAN_CREATE)
		return (r->pool ? r->pool->start : r->net->start) ? r : NULL;
	for (i = 0; i < r->nchanges; i++)
		if (strcmp(r->changes[i].field, "state") == 0)
			return r;
	return NULL;
}

const struct plan_res *
resplan_pending_pool(const struct plan *p, const char *name)
{
	return pending(resplan_find(p->pools, p->npools, name));
}

const struct plan_res *
resplan_pending_net(const struct plan *p, const char *name)
{
	return pending(resplan_find(p->nets, p->nnets, name));
}

/* ---- text ---- */

static char *
cat(char *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static char *
cat(char *s, const char *fmt, ...)
{
	va_list ap;
	char *t = NULL, *out;

	va_start(ap, fmt);
	if (vasprintf(&t, fmt, ap) < 0)
		t = NULL;
	va_end(ap);
	out = xasprintf("%s%s", s, t ? t : "");
	free(s);
	free(t);
	return out;
}

/* What a new pool is: "dir, /var/lib/libvirt/images". */
static char *
r_pool_new(char *s, const struct pooldef *p)
{
	const char *what;
	unsigned flags;
	bool folder;

	s = cat(s, "  + define pool %s: %s", p->name, p->type);
	if (p->path)
		s = cat(s, ", %s", p->path);
	if (p->source_host)
		s = cat(s, ", from %s", p->source_host);
	if (p->source_dir)
		s = cat(s, "%s%s", p->source_host ? ":" : ", from ", p->source_dir);
	if (p->source_device)
		s = cat(s, ", on %s", p->source_device);
	s = cat(s, "\n");
	if (resplan_pool_build(p, &flags, &folder, &what))
		s = cat(s, "  + build it: %s\n", what);
	if (p->autostart)
		s = cat(s, "  + autostart on\n");
	if (p->start)
		s = cat(s, "  + start\n");
	return s;
}

/* What a new network is: "nat, 192.168.100.0/24, DHCP ..., 2 fixed hosts". */
static char *
r_net_new(char *s, const struct netdef *n)
{
	struct netdef_ipv4 a;

	s = cat(s, "  + define network %s: %s", n->name, n->forward);
	if (n->dev)
		s = cat(s, " through %s", n->dev);
	if (n->bridge)
		s = cat(s, ", bridge %s", n->bridge);
	if (n->cidr && netdef_ipv4(n, &a) == 0) {
		s = cat(s, ", %s (host %s)", n->cidr, a.host_s);
		if (n->dhcp)
			s = cat(s, ", DHCP %s-%s", a.start_s, a.end_s);
	}
	if (n->cidr6)
		s = cat(s, ", %s", n->cidr6);
	if (n->domain)
		s = cat(s, ", domain %s", n->domain);
	if (n->nhosts)
		s = cat(s, ", %zu fixed host%s", n->nhosts, n->nhosts == 1 ? "" : "s");
	s = cat(s, "\n");
	if (n->autostart)
		s = cat(s, "  + autostart on\n");
	if (n->start)
		s = cat(s, "  + start\n");
	return s;
}

static char *
r_change(char *s, const struct plan_change *ch)
{
	static const char *const when[] = {
		[PLAN_NOW] = "", [PLAN_LIVE] = " (now, and saved)",
		[PLAN_NEXT_BOOT] = " (saved; takes effect at the next start)",
		[PLAN_NOT_APPLIED] = "",
	};

	s = cat(s, "  %c %s: %s -> %s%s", ch->when == PLAN_NOT_APPLIED ? '!' : '~', ch->field,
	        ch->have, ch->want, when[ch->when]);
	if (ch->when == PLAN_NOT_APPLIED)
		s = cat(s, " (not applied: %s)", ch->why);
	return cat(s, "\n");
}

static char *
r_res(char *s, const struct plan_res *r)
{
	static const char *const kinds[] = {
		[PLAN_CREATE] = "create", [PLAN_UPDATE] = "update", [PLAN_SAME] = "no changes",
	};
	size_t i;

	s = cat(s, "%s %s: %s%s\n", kind_word(r), r->name, kinds[r->kind],
	        r->kind != PLAN_CREATE && r->active ? " (active)" : "");
	if (r->kind == PLAN_CREATE && r->nerrors == 0)
		s = r->pool ? r_pool_new(s, r->pool) : r_net_new(s, r->net);
	for (i = 0; i < r->nchanges; i++)
		s = r_change(s, &r->changes[i]);
	for (i = 0; i < r->nerrors; i++)
		s = cat(s, "  error: %s\n", r->errors[i]);
	for (i = 0; i < r->nwarnings; i++)
		s = cat(s, "  warning: %s\n", r->warnings[i]);
	return s;
}

char *
resplan_render(const struct plan *p, size_t n[3])
{
	char *s = xstrdup("");
	size_t i;

	for (i = 0; i < p->npools; i++) {
		s = r_res(s, &p->pools[i]);
		n[p->pools[i].kind]++;
	}
	for (i = 0; i < p->nnets; i++) {
		s = r_res(s, &p->nets[i]);
		n[p->nets[i].kind]++;
	}
	return s;
}

static void
res_free(struct plan_res *r)
{
	size_t i;

	free(r->xml);
	for (i = 0; i < r->nchanges; i++) {
		free(r->changes[i].field);
		free(r->changes[i].have);
		free(r->changes[i].want);
	}
	free(r->changes);
	xfree_strv(r->errors, r->nerrors);
	xfree_strv(r->warnings, r->nwarnings);
}

void
resplan_free(struct plan *p)
{
	size_t i;

	for (i = 0; i < p->npools; i++)
		res_free(&p->pools[i]);
	for (i = 0; i < p->nnets; i++)
		res_free(&p->nets[i]);
	free(p->pools);
	free(p->nets);
	p->pools = p->nets = NULL;
	p->npools = p->nnets = 0;
}
