/* agent.c — a guest's QEMU guest agent through libvirt: its facts (cached,
 * see agent.h for the rule), power through it with ACPI as the fallback,
 * freezing filesystems, users' passwords, the best address of a guest. */
#include "agent.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <libvirt/virterror.h>

#include "../base/msglog.h"
#include "../base/xmalloc.h"
#include "../defs/xpath.h"
#include "../host/lvutil.h"

/* ---- facts ---- */

struct agent_facts *
agent_facts_ref(struct agent_facts *f)
{
	if (f)
		__atomic_add_fetch(&f->refs, 1, __ATOMIC_RELAXED);
	return f;
}

void
agent_facts_unref(struct agent_facts *f)
{
	size_t i, j;

	if (f == NULL || __atomic_sub_fetch(&f->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	free(f->os_id);
	free(f->os_name);
	free(f->os_pretty);
	free(f->os_version);
	free(f->os_version_id);
	free(f->kernel_release);
	free(f->kernel_version);
	free(f->machine);
	free(f->hostname);
	free(f->tz_name);
	for (i = 0; i < f->nusers; i++) {
		free(f->users[i].name);
		free(f->users[i].domain);
	}
	free(f->users);
	for (i = 0; i < f->nifaces; i++) {
		for (j = 0; j < f->ifaces[i].naddrs; j++)
			free(f->ifaces[i].addrs[j].addr);
		free(f->ifaces[i].addrs);
		free(f->ifaces[i].name);
		free(f->ifaces[i].hwaddr);
	}
	free(f->ifaces);
	for (i = 0; i < f->nfs; i++) {
		free(f->fs[i].mountpoint);
		free(f->fs[i].name);
		free(f->fs[i].type);
	}
	free(f->fs);
	free(f);
}

/* The number after prefix in name ("fs.12.name" -> 12, rest ".name"); -1
 * when name is not prefix, digits, a dot. */
static long
indexed(const char *name, const char *prefix, const char **rest)
{
	size_t n = strlen(prefix);
	char *end;
	long v;

	if (strncmp(name, prefix, n) != 0 || name[n] < '0' || name[n] > '9')
		return -1;
	errno = 0;
	v = strtol(name + n, &end, 10);
	if (errno != 0 || *end != '.' || v < 0 || v > 100000)
		return -1;
	*rest = end + 1;
	return v;
}

static const char *
pstr(const virTypedParameter *p)
{
	return p->type == VIR_TYPED_PARAM_STRING && p->value.s ? p->value.s : NULL;
}

/* An unsigned value of any integer type, or false. */
static bool
puint(const virTypedParameter *p, uint64_t *v)
{
	switch (p->type) {
	case VIR_TYPED_PARAM_UINT: *v = p->value.ui; return true;
	case VIR_TYPED_PARAM_ULLONG: *v = p->value.ul; return true;
	case VIR_TYPED_PARAM_INT:
		if (p->value.i < 0)
			return false;
		*v = (uint64_t)p->value.i;
		return true;
	case VIR_TYPED_PARAM_LLONG:
		if (p->value.l < 0)
			return false;
		*v = (uint64_t)p->value.l;
		return true;
	default: return false;
	}
}

static void
setstr(char **dst, const virTypedParameter *p)
{
	const char *s = pstr(p);

	if (s == NULL)
		return;
	free(*dst);
	*dst = xstrdup(s);
}

/* The count of an indexed list ("fs.count"): at most 4096 kept. */
static size_t
pcount(const virTypedParameter *p)
{
	uint64_t v;

	if (!puint(p, &v))
		return 0;
	return v > 4096 ? 4096 : (size_t)v;
}

static void
user_param(struct agent_facts *f, size_t i, const char *rest, const virTypedParameter *p)
{
	uint64_t v;

	if (strcmp(rest, "name") == 0)
		setstr(&f->users[i].name, p);
	else if (strcmp(rest, "domain") == 0)
		setstr(&f->users[i].domain, p);
	else if (strcmp(rest, "login-time") == 0 && puint(p, &v))
		f->users[i].login_s = (double)v / 1000.0;
}

static void
fs_param(struct agent_facts *f, size_t i, const char *rest, const virTypedParameter *p)
{
	uint64_t v;

	if (strcmp(rest, "mountpoint") == 0)
		setstr(&f->fs[i].mountpoint, p);
	else if (strcmp(rest, "name") == 0)
		setstr(&f->fs[i].name, p);
	else if (strcmp(rest, "fstype") == 0)
		setstr(&f->fs[i].type, p);
	else if (strcmp(rest, "total-bytes") == 0 && puint(p, &v))
		f->fs[i].total = v, f->fs[i].have_size = true;
	else if (strcmp(rest, "used-bytes") == 0 && puint(p, &v))
		f->fs[i].used = v;
}

static void
scalar_param(struct agent_facts *f, const virTypedParameter *p)
{
	static const struct { const char *name; size_t off; } strs[] = {
		{ "os.id", offsetof(struct agent_facts, os_id) },
		{ "os.name", offsetof(struct agent_facts, os_name) },
		{ "os.pretty-name", offsetof(struct agent_facts, os_pretty) },
		{ "os.version", offsetof(struct agent_facts, os_version) },
		{ "os.version-id", offsetof(struct agent_facts, os_version_id) },
		{ "os.kernel-release", offsetof(struct agent_facts, kernel_release) },
		{ "os.kernel-version", offsetof(struct agent_facts, kernel_version) },
		{ "os.machine", offsetof(struct agent_facts, machine) },
		{ "hostname", offsetof(struct agent_facts, hostname) },
		{ "timezone.name", offsetof(struct agent_facts, tz_name) },
	};
	size_t i;

	for (i = 0; i < sizeof strs / sizeof *strs; i++)
		if (strcmp(p->field, strs[i].name) == 0) {
			setstr((char **)((char *)f + strs[i].off), p);
			return;
		}
	if (strcmp(p->field, "timezone.offset") == 0 && p->type == VIR_TYPED_PARAM_INT) {
		f->tz_offset = p->value.i;
		f->have_tz_offset = true;
	}
}

struct agent_facts *
agent_facts_from_params(const virTypedParameter *p, int n)
{
	struct agent_facts *f = xcalloc(1, sizeof *f);
	const char *rest;
	long idx;
	int i;

	f->refs = 1;
	f->fetched_epoch = (double)time(NULL);
	/* Counts first: the indexed fields may come before them. */
	for (i = 0; i < n; i++) {
		size_t c;
		if (strcmp(p[i].field, "user.count") == 0 && f->users == NULL) {
			c = pcount(&p[i]);
			f->users = xcalloc(c ? c : 1, sizeof *f->users);
			f->nusers = c;
			f->have_users = true;
			for (size_t k = 0; k < c; k++)
				f->users[k].login_s = -1;
		} else if (strcmp(p[i].field, "fs.count") == 0 && f->fs == NULL) {
			c = pcount(&p[i]);
			f->fs = xcalloc(c ? c : 1, sizeof *f->fs);
			f->nfs = c;
			f->have_fs = true;
		}
	}
	for (i = 0; i < n; i++) {
		if ((idx = indexed(p[i].field, "user.", &rest)) >= 0) {
			if ((size_t)idx < f->nusers)
				user_param(f, (size_t)idx, rest, &p[i]);
		} else if ((idx = indexed(p[i].field, "fs.", &rest)) >= 0) {
			if ((size_t)idx < f->nfs)
				fs_param(f, (size_t)idx, rest, &p[i]);
		} else {
			scalar_param(f, &p[i]);
		}
	}
	return f;
}

static void
add_addr(struct agent_iface *ifc, const char *addr, unsigned prefix, bool v6)
{
	struct agent_addr *a;

	ifc->addrs = xreallocarray(ifc->addrs, ifc->naddrs + 1, sizeof *ifc->addrs);
	a = &ifc->addrs[ifc->naddrs++];
	a->addr = xstrdup(addr);
	a->prefix = prefix;
	a->v6 = v6;
}

void
agent_facts_set_ifaces(struct agent_facts *f, virDomainInterfacePtr *ifs, int n)
{
	int i;
	unsigned j;

	f->have_ifaces = true;
	if (n <= 0)
		return;
	f->ifaces = xcalloc((size_t)n, sizeof *f->ifaces);
	for (i = 0; i < n; i++) {
		struct agent_iface *ifc = &f->ifaces[f->nifaces++];
		ifc->name = xstrdup(ifs[i]->name ? ifs[i]->name : "?");
		ifc->hwaddr = ifs[i]->hwaddr ? xstrdup(ifs[i]->hwaddr) : NULL;
		for (j = 0; j < ifs[i]->naddrs; j++)
			if (ifs[i]->addrs[j].addr)
				add_addr(ifc, ifs[i]->addrs[j].addr, ifs[i]->addrs[j].prefix,
				         ifs[i]->addrs[j].type == VIR_IP_ADDR_TYPE_IPV6);
	}
}

double
agent_fs_pct(const struct agent_fs *fs)
{
	if (!fs->have_size || fs->total == 0)
		return -1;
	return 100.0 * (double)fs->used / (double)fs->total;
}

int
agent_fs_fullest(const struct agent_facts *f)
{
	int best = -1;
	double bp = -1, p;
	size_t i;

	for (i = 0; f && i < f->nfs; i++)
		if ((p = agent_fs_pct(&f->fs[i])) > bp) {
			bp = p;
			best = (int)i;
		}
	return best;
}

const struct agent_iface *
agent_iface_by_mac(const struct agent_facts *f, const char *mac)
{
	size_t i;

	for (i = 0; f && mac && i < f->nifaces; i++)
		if (f->ifaces[i].hwaddr && strcasecmp(f->ifaces[i].hwaddr, mac) == 0)
			return &f->ifaces[i];
	return NULL;
}

const char *
agent_status_text(enum agent_status s)
{
	switch (s) {
	case AGENT_NOT_RUNNING: return "not running";
	case AGENT_NO_CHANNEL: return "no agent (no guest agent channel)";
	case AGENT_NOT_CONNECTED: return "no agent (channel not connected)";
	case AGENT_NO_ANSWER: return "no agent (it did not answer)";
	case AGENT_OK: return "agent answers";
	default: return "not asked yet";
	}
}

enum agent_status
agent_channel_state(const char *xml)
{
	xmlDocPtr doc = xml ? xml_read_quiet(xml, "domain.xml") : NULL;
	xmlXPathContextPtr ctx;
	enum agent_status st = AGENT_NO_CHANNEL;
	char *state;

	if (doc == NULL)
		return AGENT_NO_CHANNEL;
	if ((ctx = xmlXPathNewContext(doc)) != NULL) {
		static const char path[] = "/domain/devices/channel/target[@type='virtio' and "
		                           "@name='" AGENT_CHANNEL "']";
		if (xpath_count(ctx, path) > 0) {
			state = xpath_str(ctx, "string(/domain/devices/channel/target[@type='virtio' "
			                  "and @name='" AGENT_CHANNEL "']/@state)");
			st = state && strcmp(state, "connected") != 0 ? AGENT_NOT_CONNECTED : AGENT_OK;
			free(state);
		}
		xmlXPathFreeContext(ctx);
	}
	xmlFreeDoc(doc);
	return st;
}

void
agent_result_clear(struct agent_result *r)
{
	agent_facts_unref(r->facts);
	free(r->error);
	memset(r, 0, sizeof *r);
}

static char *
lv_error(void)
{
	const char *m = virGetLastErrorMessage();

	return xstrdup(m && *m ? m : "unknown libvirt error");
}

int
agent_fetch(virDomainPtr dom, struct agent_facts **out, char **err)
{
	virTypedParameterPtr params = NULL;
	virDomainInterfacePtr *ifs = NULL;
	int nparams = 0, n, i;
	unsigned types = VIR_DOMAIN_GUEST_INFO_USERS | VIR_DOMAIN_GUEST_INFO_OS |
	                 VIR_DOMAIN_GUEST_INFO_TIMEZONE | VIR_DOMAIN_GUEST_INFO_HOSTNAME |
	                 VIR_DOMAIN_GUEST_INFO_FILESYSTEM;

	*out = NULL;
	*err = NULL;
	if (virDomainGetGuestInfo(dom, types, &params, &nparams, 0) < 0) {
		*err = lv_error();
		return -1;
	}
	*out = agent_facts_from_params(params, nparams);
	virTypedParamsFree(params, nparams);
	n = virDomainInterfaceAddresses(dom, &ifs, VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT, 0);
	if (n >= 0) {
		agent_facts_set_ifaces(*out, ifs, n);
		for (i = 0; i < n; i++)
			virDomainInterfaceFree(ifs[i]);
		free(ifs);
	}
	return 0;
}

/* ---- the cache ---- */

struct centry {
	const void *key;
	char uuid[VM_UUID_LEN];
	int id;
	enum agent_status status;
	struct agent_facts *facts;
	char *error;
	uint64_t at_ns;      /* when it was asked */
	unsigned fails;      /* answers missed in a row */
	struct centry *next;
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct centry *cache; /* under cache_lock */

static struct centry *
centry_find(const void *key, const char *uuid)
{
	struct centry *e;

	for (e = cache; e; e = e->next)
		if (e->key == key && strcmp(e->uuid, uuid) == 0)
			return e;
	e = xcalloc(1, sizeof *e);
	e->key = key;
	snprintf(e->uuid, sizeof e->uuid, "%s", uuid);
	e->id = -2;
	e->next = cache;
	cache = e;
	return e;
}

static void
centry_reset(struct centry *e)
{
	agent_facts_unref(e->facts);
	e->facts = NULL;
	free(e->error);
	e->error = NULL;
	e->status = AGENT_UNKNOWN;
	e->fails = 0;
	e->at_ns = 0;
}

/* Is what e holds still good at now_ns? */
static bool
centry_fresh(const struct centry *e, uint64_t now_ns)
{
	uint64_t age = now_ns - e->at_ns, wait;
	unsigned k;

	if (e->status == AGENT_OK)
		return age < (uint64_t)AGENT_TTL_S * 1000000000u;
	if (e->status == AGENT_NO_ANSWER) {
		wait = AGENT_RETRY_S;
		for (k = 1; k < e->fails && wait < AGENT_RETRY_MAX_S; k++)
			wait *= 2;
		if (wait > AGENT_RETRY_MAX_S)
			wait = AGENT_RETRY_MAX_S;
		return age < wait * 1000000000u;
	}
	return false;
}

static void
fill_out(const struct centry *e, bool cached, struct agent_result *out)
{
	out->status = e->status;
	out->facts = agent_facts_ref(e->facts);
	out->error = e->error ? xstrdup(e->error) : NULL;
	out->cached = cached;
}

void
agent_cache_get(const void *key, const char *uuid, int id, enum agent_status channel,
                uint64_t now_ns, agent_fetch_fn fetch, void *ctx, bool force,
                struct agent_result *out)
{
	struct centry *e;
	struct agent_facts *f = NULL;
	char *err = NULL;
	int rc;

	memset(out, 0, sizeof *out);
	pthread_mutex_lock(&cache_lock);
	e = centry_find(key, uuid);
	if (e->id != id) {
		centry_reset(e);
		e->id = id;
	}
	if (channel != AGENT_OK) {
		/* Nothing to ask: the XML said so. */
		centry_reset(e);
		e->status = channel;
		fill_out(e, true, out);
		pthread_mutex_unlock(&cache_lock);
		return;
	}
	if (!force && e->at_ns != 0 && centry_fresh(e, now_ns)) {
		fill_out(e, true, out);
		pthread_mutex_unlock(&cache_lock);
		return;
	}
	pthread_mutex_unlock(&cache_lock);

	/* Asked without the cache's lock: another worker may ask meanwhile
	 * for another guest. */
	rc = fetch(ctx, &f, &err);

	pthread_mutex_lock(&cache_lock);
	e = centry_find(key, uuid);
	agent_facts_unref(e->facts);
	free(e->error);
	e->id = id;
	e->at_ns = now_ns;
	e->facts = rc == 0 ? f : NULL;
	e->error = rc == 0 ? NULL : err;
	e->status = rc == 0 ? AGENT_OK : AGENT_NO_ANSWER;
	e->fails = rc == 0 ? 0 : e->fails + 1;
	if (rc == 0) {
		free(err);
	} else {
		agent_facts_unref(f);
	}
	fill_out(e, false, out);
	pthread_mutex_unlock(&cache_lock);
}

void
agent_cache_forget(const void *key, const char *uuid)
{
	struct centry **pp, *e;

	pthread_mutex_lock(&cache_lock);
	for (pp = &cache; (e = *pp) != NULL;) {
		if (e->key == key && (uuid == NULL || strcmp(e->uuid, uuid) == 0)) {
			*pp = e->next;
			centry_reset(e);
			free(e);
		} else {
			pp = &e->next;
		}
	}
	pthread_mutex_unlock(&cache_lock);
}

static int
fetch_dom(void *ctx, struct agent_facts **out, char **err)
{
	return agent_fetch(ctx, out, err);
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The agent channel's state in dom's live XML. */
static enum agent_status
dom_channel(virDomainPtr dom)
{
	char *xml;
	enum agent_status st;

	if (virDomainIsActive(dom) != 1)
		return AGENT_NOT_RUNNING;
	if ((xml = virDomainGetXMLDesc(dom, 0)) == NULL)
		return AGENT_NO_CHANNEL;
	st = agent_channel_state(xml);
	free(xml);
	return st;
}

void
agent_lookup(const void *key, virDomainPtr dom, bool force, struct agent_result *out)
{
	char uuid[VIR_UUID_STRING_BUFLEN];
	enum agent_status ch = dom_channel(dom);

	if (virDomainGetUUIDString(dom, uuid) < 0) {
		memset(out, 0, sizeof *out);
		out->status = AGENT_NO_ANSWER;
		out->error = lv_error();
		return;
	}
	agent_cache_get(key, uuid, virDomainGetID(dom) == (unsigned)-1 ? -1 : (int)virDomainGetID(dom),
	                ch, now_ns(), fetch_dom, dom, force, out);
}

/* ---- acting through the agent ---- */

int
agent_power(virDomainPtr dom, bool reboot, const char **mode, char **err)
{
	char *why = NULL;
	int rc;

	*err = NULL;
	if (dom_channel(dom) == AGENT_OK) {
		rc = reboot ? virDomainReboot(dom, VIR_DOMAIN_REBOOT_GUEST_AGENT)
		            : virDomainShutdownFlags(dom, VIR_DOMAIN_SHUTDOWN_GUEST_AGENT);
		if (rc == 0) {
			*mode = "guest agent";
			return 0;
		}
		why = lv_error();
	}
	rc = reboot ? virDomainReboot(dom, VIR_DOMAIN_REBOOT_ACPI_POWER_BTN)
	            : virDomainShutdownFlags(dom, VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN);
	*mode = why ? "ACPI, the agent failed" : "ACPI";
	if (rc < 0 && virGetLastErrorCode() == VIR_ERR_INVALID_ARG) {
		/* A driver without the choice (the test driver, Xen's): its own
		 * way, as a request without flags asks. */
		rc = reboot ? virDomainReboot(dom, 0) : virDomainShutdown(dom);
		*mode = why ? "the hypervisor's way, the agent failed" : "the hypervisor's way";
	}
	if (rc < 0) {
		char *e = lv_error();
		*err = why ? xasprintf("%s (the agent also failed: %s)", e, why) : xstrdup(e);
		free(e);
	}
	free(why);
	return rc < 0 ? -1 : 0;
}

int
agent_freeze(virDomainPtr dom, char **err)
{
	int n = virDomainFSFreeze(dom, NULL, 0, 0);

	*err = n < 0 ? lv_error() : NULL;
	return n;
}

int
agent_thaw(virDomainPtr dom, char **err)
{
	int n = virDomainFSThaw(dom, NULL, 0, 0);

	*err = n < 0 ? lv_error() : NULL;
	return n;
}

int
agent_set_password(virDomainPtr dom, const char *user, const char *password, bool crypted,
                   char **err)
{
	*err = NULL;
	if (user == NULL || !*user) {
		*err = xstrdup("no user name given");
		return -1;
	}
	if (virDomainSetUserPassword(dom, user, password,
	                             crypted ? VIR_DOMAIN_PASSWORD_ENCRYPTED : 0) < 0) {
		*err = lv_error();
		return -1;
	}
	return 0;
}

/* How good an address is to log in at: 3 IPv4, 2 global IPv6, 0 none
 * (loopback, link-local). */
static int
addr_rank(const char *a, bool v6)
{
	if (!v6)
		return strncmp(a, "127.", 4) == 0 || strncmp(a, "169.254.", 8) == 0 ? 0 : 3;
	if (strcmp(a, "::1") == 0 || strncasecmp(a, "fe80:", 5) == 0)
		return 0;
	return 2;
}

/* The best address among the agent's interfaces, or NULL. */
static char *
best_of_facts(const struct agent_facts *f)
{
	const char *best = NULL;
	int rank = 0, r;
	size_t i, j;

	for (i = 0; f && i < f->nifaces; i++)
		for (j = 0; j < f->ifaces[i].naddrs; j++) {
			r = addr_rank(f->ifaces[i].addrs[j].addr, f->ifaces[i].addrs[j].v6);
			if (r > rank) {
				rank = r;
				best = f->ifaces[i].addrs[j].addr;
			}
		}
	return best ? xstrdup(best) : NULL;
}

static char *guest_address(virDomainPtr dom, bool ask_agent, const char **source, char **err);

char *
agent_guest_address_known(virDomainPtr dom, const struct agent_facts *facts,
                          const char **source, char **err)
{
	char *a = best_of_facts(facts);

	if (a != NULL) {
		*err = NULL;
		*source = "agent";
		return a;
	}
	return guest_address(dom, false, source, err);
}

char *
agent_guest_address(virDomainPtr dom, const char **source, char **err)
{
	return guest_address(dom, true, source, err);
}

static char *
guest_address(virDomainPtr dom, bool ask_agent, const char **source, char **err)
{
	static const struct { unsigned src; const char *name; } srcs[] = {
		{ VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT, "agent" },
		{ VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE, "lease" },
		{ VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_ARP, "arp" },
	};
	char *best = NULL, *firsterr = NULL;
	size_t s;
	int i, n, rank = 0, r;
	unsigned j;

	*err = NULL;
	for (s = 0; s < sizeof srcs / sizeof *srcs && best == NULL; s++) {
		virDomainInterfacePtr *ifs = NULL;
		if (s == 0 && (!ask_agent || dom_channel(dom) != AGENT_OK))
			continue;
		n = virDomainInterfaceAddresses(dom, &ifs, srcs[s].src, 0);
		if (n < 0 && firsterr == NULL)
			firsterr = lv_error();
		for (i = 0; i < n; i++) {
			for (j = 0; j < ifs[i]->naddrs; j++) {
				const char *a = ifs[i]->addrs[j].addr;
				r = a ? addr_rank(a, ifs[i]->addrs[j].type == VIR_IP_ADDR_TYPE_IPV6) : 0;
				if (r > rank) {
					free(best);
					best = xstrdup(a);
					rank = r;
					*source = srcs[s].name;
				}
			}
			virDomainInterfaceFree(ifs[i]);
		}
		free(ifs);
	}
	if (best == NULL)
		*err = xasprintf("no address of %s is known (no guest agent answered, no DHCP lease, "
		                 "nothing in the host's ARP table)%s%s", virDomainGetName(dom),
		                 firsterr ? ": " : "", firsterr ? firsterr : "");
	free(firsterr);
	return best;
}

char *
agent_ssh_user_xml(const char *xml)
{
	xmlDocPtr doc = xml ? xml_read_quiet(xml, "metadata") : NULL;
	xmlXPathContextPtr ctx;
	char *u = NULL;

	if (doc == NULL)
		return NULL;
	if ((ctx = xmlXPathNewContext(doc)) != NULL) {
		u = xpath_str(ctx, "string(/*[local-name()='ssh']/@user)");
		xmlXPathFreeContext(ctx);
	}
	xmlFreeDoc(doc);
	return u;
}

char *
agent_ssh_user(virDomainPtr dom)
{
	char *xml = virDomainGetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, AGENT_SSH_NS, 0);
	char *u = agent_ssh_user_xml(xml);
	const char *env = getenv("VMTUI_SSH_USER");

	free(xml);
	if (u == NULL && env && *env)
		u = xstrdup(env);
	return u;
}

const char *
agent_source_text(const char *source)
{
	if (source == NULL)
		return "nowhere";
	if (strcmp(source, "agent") == 0)
		return "guest agent";
	return strcmp(source, "lease") == 0 ? "DHCP lease" : "ARP table";
}

/* ---- the TUI's job ---- */

struct job_call {
	struct agent_job *job;
	bool force;
};

static void
job_work(struct host *h, virConnectPtr conn, void *arg)
{
	struct job_call *c = arg;
	struct agent_job *j = c->job;
	struct agent_result r = { 0 };
	virDomainPtr dom = NULL;
	const char *src = NULL;
	char *addr = NULL, *aerr = NULL;

	if (conn == NULL) {
		r.status = AGENT_NO_ANSWER;
		r.error = host_not_connected(h);
	} else if ((dom = virDomainLookupByUUIDString(conn, j->uuid)) == NULL) {
		r.status = AGENT_NO_ANSWER;
		r.error = lv_error();
	} else {
		agent_lookup(h, dom, c->force, &r);
		if (r.status != AGENT_NOT_RUNNING)
			addr = agent_guest_address_known(dom, r.facts, &src, &aerr);
		free(aerr);
		virDomainFree(dom);
	}
	host_lock(h);
	agent_result_clear(&j->result);
	j->result = r;
	free(j->addr);
	free(j->addr_source);
	j->addr = addr;
	j->addr_source = src ? xstrdup(src) : NULL;
	j->reads++;
	j->busy = false;
	host_publish_unlock(h);
	free(c);
	agent_job_release(j);
}

struct agent_job *
agent_job_new(struct host *h, const char *uuid)
{
	struct agent_job *j = xcalloc(1, sizeof *j);

	j->host = h;
	snprintf(j->uuid, sizeof j->uuid, "%s", uuid);
	j->refs = 1;
	agent_job_read(j, false);
	return j;
}

void
agent_job_read(struct agent_job *j, bool force)
{
	struct job_call *c = xcalloc(1, sizeof *c);

	c->job = j;
	c->force = force;
	host_lock(j->host);
	j->refs++;
	j->busy = true;
	host_unlock(j->host);
	host_call(j->host, job_work, c);
}

void
agent_job_release(struct agent_job *j)
{
	if (j == NULL || !host_unref(j->host, &j->refs))
		return;
	agent_result_clear(&j->result);
	free(j->addr);
	free(j->addr_source);
	free(j);
}

struct pw_call {
	char uuid[VM_UUID_LEN];
	char *name, *user, *password;
};

static void
pw_work(struct host *h, virConnectPtr conn, void *arg)
{
	struct pw_call *c = arg;
	virDomainPtr dom = NULL;
	char *err = NULL;

	if (conn == NULL)
		err = host_not_connected(h);
	else if ((dom = virDomainLookupByUUIDString(conn, c->uuid)) == NULL)
		err = lv_error();
	else
		agent_set_password(dom, c->user, c->password, false, &err);
	msglog_action(NULL, err, "%s: set the password of %s", c->name, c->user);
	if (dom)
		virDomainFree(dom);
	free(err);
	if (c->password) {
		memset(c->password, 0, strlen(c->password));
		free(c->password);
	}
	free(c->user);
	free(c->name);
	free(c);
}

void
agent_password_request(struct host *h, const char *uuid, const char *name, const char *user,
                       const char *password)
{
	struct pw_call *c = xcalloc(1, sizeof *c);

	snprintf(c->uuid, sizeof c->uuid, "%s", uuid);
	c->name = xstrdup(name);
	c->user = xstrdup(user);
	c->password = xstrdup(password);
	host_call(h, pw_work, c);
}
