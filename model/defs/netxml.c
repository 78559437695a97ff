/* netxml.c — a virtual network definition as libvirt's <network> XML,
 * written with xmlTextWriter (which escapes every string); a network's XML
 * read back through XPath; a fixed DHCP host for virNetworkUpdate (see
 * netxml.h). */
#include "netxml.h"

#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "../base/xmalloc.h"
#include "xpath.h"
#include "xwrite.h"

static bool
is(const char *a, const char *b)
{
	return a && strcmp(a, b) == 0;
}

/* <forward>: none for isolated. */
static void
w_forward(struct xw *x, const struct netdef *n)
{
	if (is(n->forward, "isolated"))
		return;
	xw_start(x, "forward");
	xw_attr(x, "mode", n->forward);
	if (n->dev)
		xw_attr(x, "dev", n->dev);
	xw_end(x);
}

static void
w_host(struct xw *x, const char *mac, const char *ip, const char *name)
{
	xw_start(x, "host");
	xw_attr(x, "mac", mac);
	if (name)
		xw_attr(x, "name", name);
	xw_attr(x, "ip", ip);
	xw_end(x);
}

/* <ip> for cidr, with its DHCP server, and for cidr6. */
static void
w_ip(struct xw *x, const struct netdef *n, const struct netdef_ipv4 *a)
{
	size_t i;
	char *addr6;
	const char *slash;

	xw_start(x, "ip");
	xw_attr(x, "address", a->host_s);
	xw_attr(x, "netmask", a->mask_s);
	if (n->dhcp) {
		xw_start(x, "dhcp");
		xw_start(x, "range");
		xw_attr(x, "start", a->start_s);
		xw_attr(x, "end", a->end_s);
		xw_end(x);
		for (i = 0; i < n->nhosts; i++)
			w_host(x, n->hosts[i].mac, n->hosts[i].ip, n->hosts[i].name);
		xw_end(x); /* dhcp */
	}
	xw_end(x); /* ip */
	if (n->cidr6 == NULL)
		return;
	/* The host takes the network's address + 1 ("fd00:1::" -> "fd00:1::1")
	 * when the host part is written empty, else the address written. */
	slash = strchr(n->cidr6, '/');
	if (slash - n->cidr6 >= 2 && slash[-1] == ':' && slash[-2] == ':')
		addr6 = xasprintf("%.*s1", (int)(slash - n->cidr6), n->cidr6);
	else
		addr6 = xstrndup(n->cidr6, (size_t)(slash - n->cidr6));
	xw_start(x, "ip");
	xw_attr(x, "family", "ipv6");
	xw_attr(x, "address", addr6);
	xw_attr(x, "prefix", slash + 1);
	xw_end(x);
	free(addr6);
}

/* Whether every string of n can be written as XML. */
static bool
strings_ok(const struct netdef *n)
{
	size_t i;

	if (!xw_ok(n->name) || !xw_ok(n->bridge) || !xw_ok(n->dev) || !xw_ok(n->domain))
		return false;
	for (i = 0; i < n->nhosts; i++)
		if (!xw_ok(n->hosts[i].name))
			return false;
	return true;
}

char *
netxml_make(const struct netdef *n, char **err)
{
	struct netdef_ipv4 a;
	struct xw x;
	const char *why;
	bool bridged;
	char *out;

	*err = NULL;
	if ((why = netdef_check(n)) != NULL) {
		*err = xasprintf("network %s: %s.", n->name ? n->name : "(no name)", why);
		return NULL;
	}
	if (!strings_ok(n)) {
		*err = xasprintf("network %s: a value holds a character XML cannot carry.", n->name);
		return NULL;
	}
	bridged = is(n->forward, "bridge");
	if ((!bridged && netdef_ipv4(n, &a) < 0) || xw_open(&x) < 0) {
		*err = xstrdup("Cannot create an XML writer.");
		return NULL;
	}
	xw_start(&x, "network");
	xw_elem(&x, "name", n->name);
	w_forward(&x, n);
	if (n->bridge) {
		xw_start(&x, "bridge");
		xw_attr(&x, "name", n->bridge);
		if (!bridged) {
			xw_attr(&x, "stp", "on");
			xw_attr(&x, "delay", "0");
		}
		xw_end(&x);
	}
	if (n->domain)
		xw_empty(&x, "domain", "name", n->domain);
	if (!bridged)
		w_ip(&x, n, &a);
	xw_end(&x); /* network */
	if ((out = xw_close(&x)) == NULL)
		*err = xasprintf("Cannot write the XML of network %s.", n->name);
	return out;
}

char *
netxml_dhcp_host(const char *mac, const char *ip, const char *name)
{
	struct xw x;
	char *out, *nl;

	if (!xw_ok(mac) || !xw_ok(ip) || !xw_ok(name) || xw_open(&x) < 0)
		return NULL;
	w_host(&x, mac, ip, name);
	out = xw_close(&x);
	if (out && (nl = strchr(out, '\n')) != NULL)
		*nl = '\0';
	return out;
}

/* ---- reading ---- */

static bool
netdef_forward_known(const char *mode)
{
	const char *const *k;

	for (k = netdef_forwards; *k; k++)
		if (strcmp(*k, mode) == 0)
			return true;
	return false;
}

/* n->forward from <forward mode>: none is isolated, no mode is nat. */
static int
read_forward(xmlXPathContextPtr ctx, struct netdef *n, char **err)
{
	char *mode;

	if (xpath_count(ctx, "/network/forward") == 0) {
		n->forward = xstrdup("isolated");
		return 0;
	}
	mode = xpath_str(ctx, "string(/network/forward/@mode)");
	n->forward = mode ? mode : xstrdup("nat");
	if (is(n->forward, "isolated") || !netdef_forward_known(n->forward)) {
		*err = xasprintf("Network %s forwards in mode %s, which vmtui.yaml cannot "
		                 "describe (it knows nat, route, open, bridge and none).",
		                 n->name, n->forward);
		return -1;
	}
	n->dev = xpath_str(ctx, "string(/network/forward/@dev)");
	return 0;
}

/* "a.b.c.d/N" from an <ip> with a netmask or a prefix, or NULL. */
static char *
read_cidr4(xmlXPathContextPtr ctx, xmlNodePtr ip)
{
	char *addr = xpath_str_at(ctx, ip, "string(@address)");
	char *mask = xpath_str_at(ctx, ip, "string(@netmask)");
	char *prefix = xpath_str_at(ctx, ip, "string(@prefix)");
	char *out = NULL;
	uint32_t m;
	unsigned pl = 0;

	if (addr && mask && resdef_ipv4(mask, &m) == 0) {
		while (pl < 32 && (m & (0x80000000u >> pl)))
			pl++;
		out = xasprintf("%s/%u", addr, pl);
	} else if (addr && prefix) {
		out = xasprintf("%s/%s", addr, prefix);
	}
	free(addr);
	free(mask);
	free(prefix);
	return out;
}

/* The fixed hosts of the DHCP server of ip. */
static void
read_hosts(xmlXPathContextPtr ctx, xmlNodePtr ip, struct netdef *n)
{
	xmlXPathObjectPtr o;
	int i;

	ctx->node = ip;
	o = xmlXPathEvalExpression(BAD_CAST "dhcp/host[@mac and @ip]", ctx);
	if (o && o->type == XPATH_NODESET && o->nodesetval && o->nodesetval->nodeNr > 0) {
		n->hosts = xcalloc((size_t)o->nodesetval->nodeNr, sizeof *n->hosts);
		for (i = 0; i < o->nodesetval->nodeNr; i++) {
			xmlNodePtr h = o->nodesetval->nodeTab[i];
			struct netdef_host *d = &n->hosts[n->nhosts++];
			char *p;

			d->mac = xpath_str_at(ctx, h, "string(@mac)");
			for (p = d->mac; p && *p; p++)
				*p = (char)(*p >= 'A' && *p <= 'F' ? *p - 'A' + 'a' : *p);
			d->ip = xpath_str_at(ctx, h, "string(@ip)");
			d->name = xpath_str_at(ctx, h, "string(@name)");
		}
	}
	xmlXPathFreeObject(o);
}

/* The IPv4 <ip>: cidr, DHCP range and hosts. Several IPv4 networks or
 * DHCP ranges cannot be said in vmtui.yaml. */
static int
read_ipv4(xmlXPathContextPtr ctx, struct netdef *n, char **err)
{
	const char *sel = "/network/ip[not(@family) or @family='ipv4']";
	xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST sel, ctx);
	xmlNodePtr ip;
	int rc = -1;

	if (o == NULL || o->type != XPATH_NODESET || o->nodesetval == NULL ||
	    o->nodesetval->nodeNr == 0) {
		rc = 0; /* no IPv4: checked later (only bridge may) */
		goto cleanup;
	}
	if (o->nodesetval->nodeNr > 1) {
		*err = xasprintf("Network %s has several IPv4 networks, which vmtui.yaml "
		                 "cannot describe.", n->name);
		goto cleanup;
	}
	ip = o->nodesetval->nodeTab[0];
	n->cidr = read_cidr4(ctx, ip);
	ctx->node = ip;
	if (xpath_count(ctx, "dhcp/range") > 1) {
		*err = xasprintf("Network %s has several DHCP ranges, which vmtui.yaml "
		                 "cannot describe.", n->name);
		goto cleanup;
	}
	n->dhcp = xpath_count(ctx, "dhcp") > 0;
	n->dhcp_start = xpath_str_at(ctx, ip, "string(dhcp/range/@start)");
	n->dhcp_end = xpath_str_at(ctx, ip, "string(dhcp/range/@end)");
	read_hosts(ctx, ip, n);
	rc = 0;

cleanup:
	xmlXPathFreeObject(o);
	return rc;
}

/* cidr6 from the first IPv6 <ip>. */
static void
read_ipv6(xmlXPathContextPtr ctx, struct netdef *n)
{
	char *addr = xpath_str(ctx, "string(/network/ip[@family='ipv6'][1]/@address)");
	char *prefix = xpath_str(ctx, "string(/network/ip[@family='ipv6'][1]/@prefix)");

	if (addr)
		n->cidr6 = xasprintf("%s/%s", addr, prefix ? prefix : "64");
	free(addr);
	free(prefix);
}

/* Say what libvirt wrote the shortest way vmtui.yaml reads it the same:
 * "192.168.122.1/24" as "192.168.122.0/24", the default DHCP range as
 * none. */
static void
tidy(struct netdef *n)
{
	struct netdef_ipv4 a, d;
	struct netdef plain;
	char net[16];

	if (n->cidr == NULL || netdef_ipv4(n, &a) < 0)
		return;
	/* As written back: the network's own form where the host is its
	 * first address, else the host's, and the prefix as a plain number
	 * either way (prefix='07' reads back as netmask 254.0.0.0, /7). */
	free(n->cidr);
	if (a.host == a.net + 1) {
		resdef_ipv4_str(a.net, net);
		n->cidr = xasprintf("%s/%u", net, a.prefix);
	} else {
		n->cidr = xasprintf("%s/%u", a.host_s, a.prefix);
	}
	plain = *n;
	plain.dhcp_start = plain.dhcp_end = NULL;
	if (n->dhcp_start && n->dhcp_end && netdef_ipv4(&plain, &d) == 0 &&
	    d.start == a.start && d.end == a.end) {
		free(n->dhcp_start);
		free(n->dhcp_end);
		n->dhcp_start = n->dhcp_end = NULL;
	}
}

int
netxml_read(const char *xml, struct netdef *n, char **err)
{
	xmlDocPtr doc = xml_read_quiet(xml, "network.xml");
	xmlXPathContextPtr ctx = NULL;
	const char *why;
	int rc = -1;

	*err = NULL;
	if (doc == NULL || (ctx = xmlXPathNewContext(doc)) == NULL ||
	    xpath_count(ctx, "/network") != 1) {
		*err = xstrdup("This is not a network's XML.");
		goto cleanup;
	}
	if ((n->name = xpath_str(ctx, "string(/network/name)")) == NULL) {
		*err = xstrdup("The network's XML has no name.");
		goto cleanup;
	}
	if (read_forward(ctx, n, err) < 0)
		goto cleanup;
	n->bridge = xpath_str(ctx, "string(/network/bridge/@name)");
	n->domain = xpath_str(ctx, "string(/network/domain/@name)");
	if (read_ipv4(ctx, n, err) < 0)
		goto cleanup;
	read_ipv6(ctx, n);
	tidy(n);
	if ((why = netdef_check(n)) != NULL) {
		*err = xasprintf("Network %s cannot be described: %s.", n->name, why);
		goto cleanup;
	}
	rc = 0;

cleanup:
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return rc;
}
