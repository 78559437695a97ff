/* snapcheck.c — whether a snapshot's memory can be reverted to, and how a
 * running guest's hardware differs from its saved configuration (see
 * snapcheck.h). */
#include "snapcheck.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "../base/xmalloc.h"
#include "plan.h"
#include "xpath.h"

/* Enabled vCPUs that are not boot vCPUs, under a <domain> at `dom`. */
#define PLUGGED "/vcpus/vcpu[@enabled='yes'][@hotpluggable='yes']/@id"
#define MODULES "string(count(/domain/devices/memory))"
#define HOSTDEVS "string(count(/domain/devices/hostdev))"

/* One parsed document and its XPath context. */
struct xdoc {
	xmlDocPtr doc;
	xmlXPathContextPtr ctx;
};

static bool
xdoc_open(struct xdoc *d, const char *xml)
{
	d->doc = xml ? xml_read_quiet(xml, "domain.xml") : NULL;
	d->ctx = d->doc ? xmlXPathNewContext(d->doc) : NULL;
	return d->ctx != NULL;
}

static void
xdoc_close(struct xdoc *d)
{
	xmlXPathFreeContext(d->ctx);
	xmlFreeDoc(d->doc);
}

/* The string values of the nodes expr selects (a new array of *n). */
static char **
strings(struct xdoc *d, const char *expr, size_t *n)
{
	xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, d->ctx);
	char **v = NULL;
	int i;

	*n = 0;
	if (o && o->nodesetval && o->nodesetval->nodeNr > 0) {
		v = xcalloc((size_t)o->nodesetval->nodeNr, sizeof *v);
		for (i = 0; i < o->nodesetval->nodeNr; i++) {
			xmlChar *s = xmlNodeGetContent(o->nodesetval->nodeTab[i]);
			v[(*n)++] = xstrdup(s ? (const char *)s : "");
			xmlFree(s);
		}
	}
	xmlXPathFreeObject(o);
	return v;
}

/* "vCPU 1" or "vCPUs 1, 2 and 3" for the ids in v; NULL when n is 0. */
static char *
vcpu_list(char **v, size_t n)
{
	char *s;
	size_t i;

	if (n == 0)
		return NULL;
	s = xstrdup(n == 1 ? "vCPU " : "vCPUs ");
	for (i = 0; i < n; i++)
		s = xjoin(s, i == 0 ? "" : i + 1 == n ? " and " : ", ", v[i]);
	return s;
}

/* The non-boot vCPUs of the <domain> at `dom`, as vcpu_list says them. */
static char *
plugged_vcpus(struct xdoc *d, const char *dom)
{
	char *expr = xasprintf("%s" PLUGGED, dom), **v, *s;
	size_t n;

	v = strings(d, expr, &n);
	free(expr);
	s = vcpu_list(v, n);
	xfree_strv(v, n);
	return s;
}

/* A whole number at expr, or 0. */
static unsigned long long
number(struct xdoc *d, const char *expr)
{
	char *s = xpath_str(d->ctx, expr);
	unsigned long long v = s ? strtoull(s, NULL, 10) : 0;

	free(s);
	return v;
}

/* The running vCPU count of a <domain>: @current, else the maximum. */
static unsigned long long
vcpus_now(struct xdoc *d)
{
	unsigned long long c = number(d, "string(/domain/vcpu/@current)");

	return c ? c : number(d, "string(/domain/vcpu)");
}

/* Append "what A running, B at next boot" to *out when a and b differ. */
static void
differs(char **out, const char *what, unsigned long long a, unsigned long long b, bool kib)
{
	char x[32], y[32], *t;

	if (a == b)
		return;
	if (kib) {
		plan_fmt_size(x, sizeof x, (uint64_t)a * 1024);
		plan_fmt_size(y, sizeof y, (uint64_t)b * 1024);
		t = xasprintf("%s %s running, %s at next boot", what, x, y);
	} else
		t = xasprintf("%s %llu running, %llu at next boot", what, a, b);
	*out = xjoin(*out, "; ", t);
	free(t);
}

/* Append "KIND X only in WHERE" for each value of expr in a but not b. */
static void
only_in(char **out, struct xdoc *a, struct xdoc *b, const char *expr, const char *kind,
        const char *where)
{
	size_t na, nb, i, j;
	char **va = strings(a, expr, &na), **vb = strings(b, expr, &nb), *t;

	for (i = 0; i < na; i++) {
		for (j = 0; j < nb && strcmp(va[i], vb[j]) != 0; j++)
			;
		if (j < nb)
			continue;
		t = xasprintf("%s %s only in %s", kind, va[i], where);
		*out = xjoin(*out, "; ", t);
		free(t);
	}
	xfree_strv(va, na);
	xfree_strv(vb, nb);
}

/* Both directions of only_in for one kind of device. */
static void
devices(char **out, struct xdoc *live, struct xdoc *cfg, const char *expr, const char *kind)
{
	only_in(out, live, cfg, expr, kind, "the running guest");
	only_in(out, cfg, live, expr, kind, "the saved configuration");
}

char *
snapcheck_drift(const char *live_xml, const char *cfg_xml)
{
	struct xdoc live = { 0 }, cfg = { 0 };
	char *out = NULL, *p;

	if (xdoc_open(&live, live_xml) && xdoc_open(&cfg, cfg_xml)) {
		if ((p = plugged_vcpus(&live, "/domain")) != NULL) {
			out = xjoin(out, "; ", p);
			out = xjoin(out, "", " plugged in after boot");
			free(p);
		}
		differs(&out, "vCPUs", vcpus_now(&live), vcpus_now(&cfg), false);
		differs(&out, "maximum vCPUs", number(&live, "string(/domain/vcpu)"),
		        number(&cfg, "string(/domain/vcpu)"), false);
		differs(&out, "maximum memory", number(&live, "string(/domain/memory)"),
		        number(&cfg, "string(/domain/memory)"), true);
		devices(&out, &live, &cfg, "/domain/devices/disk/target/@dev", "disk");
		devices(&out, &live, &cfg, "/domain/devices/interface/mac/@address", "interface");
		differs(&out, "memory modules", number(&live, MODULES), number(&cfg, MODULES), false);
		differs(&out, "host devices", number(&live, HOSTDEVS), number(&cfg, HOSTDEVS), false);
	}
	xdoc_close(&live);
	xdoc_close(&cfg);
	return out;
}

/* The warning about plugged-in vCPUs for a snapshot of vm taken now. */
static char *
plugged_warning(const char *vm, const char *plugged, bool in_cfg)
{
	return xasprintf("%s runs with %s plugged in after boot, and libvirt cannot revert to a "
	                 "snapshot of its memory taken now: it starts QEMU from that memory "
	                 "before it plugs the vCPUs in again, and QEMU refuses the memory. vmtui "
	                 "will refuse to revert to this snapshot. %s", vm, plugged,
	                 in_cfg ? "Its saved configuration plugs vCPUs in after boot too: make "
	                          "them boot vCPUs (hotpluggable='no' under <vcpus> in virsh "
	                          "edit), shut it down and start it again, then take a new "
	                          "snapshot." :
	                          "For one that reverts, shut it down and start it again (it "
	                          "then boots with all its vCPUs) and take a new snapshot.");
}

char *
snapcheck_create_warning(const char *live_xml, const char *cfg_xml, const char *vm)
{
	struct xdoc live = { 0 }, cfg = { 0 };
	char *plugged = NULL, *cfg_plugged = NULL, *drift = NULL, *w = NULL;

	if (xdoc_open(&live, live_xml) && xdoc_open(&cfg, cfg_xml)) {
		plugged = plugged_vcpus(&live, "/domain");
		cfg_plugged = plugged_vcpus(&cfg, "/domain");
		drift = snapcheck_drift(live_xml, cfg_xml);
	}
	if (plugged)
		w = plugged_warning(vm, plugged, cfg_plugged != NULL);
	else if (drift)
		w = xasprintf("The running hardware of %s differs from its saved configuration (%s): "
		              "the snapshot holds the running hardware, and a revert brings that "
		              "back until %s is shut down.", vm, drift, vm);
	free(plugged);
	free(cfg_plugged);
	free(drift);
	xdoc_close(&live);
	xdoc_close(&cfg);
	return w;
}

/* Whether a <domainsnapshot> holds the guest's memory. */
static bool
with_memory(struct xdoc *d)
{
	char *mem = xpath_str(d->ctx, "string(/domainsnapshot/memory/@snapshot)");
	char *state = xpath_str(d->ctx, "string(/domainsnapshot/state)");
	bool yes;

	if (mem)
		yes = strcmp(mem, "no") != 0;
	else
		yes = state && strcmp(state, "shutoff") != 0 && strcmp(state, "disk-snapshot") != 0;
	free(mem);
	free(state);
	return yes;
}

char *
snapcheck_revert(const char *snap_xml)
{
	struct xdoc d = { 0 };
	char *plugged = NULL, *name = NULL, *vm = NULL, *why = NULL;

	if (xdoc_open(&d, snap_xml) && with_memory(&d))
		plugged = plugged_vcpus(&d, "/domainsnapshot/domain");
	if (plugged) {
		name = xpath_str(d.ctx, "string(/domainsnapshot/name)");
		vm = xpath_str(d.ctx, "string(/domainsnapshot/domain/name)");
		why = xasprintf("Cannot revert %s to \"%s\": the snapshot holds its memory with %s "
		                "plugged in after boot, and libvirt starts QEMU from that memory "
		                "before it plugs the vCPUs in again, so QEMU would refuse the memory "
		                "and leave %s shut off. %s stays as it is; snapshots taken after it "
		                "was shut down and started again revert fine.", vm ? vm : "the guest",
		                name ? name : "?", plugged, vm ? vm : "the guest",
		                vm ? vm : "The guest");
	}
	free(plugged);
	free(name);
	free(vm);
	xdoc_close(&d);
	return why;
}
