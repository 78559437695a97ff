/* network.c — virtual networks, their DHCP leases and pins: reading a
 * network's XML, the address checks and lease matching (pure), and the
 * libvirt calls on a connection. */
#include "network.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libvirt/virterror.h>
#include <libxml/xpath.h>

#include "../base/msglog.h"
#include "../base/xmalloc.h"
#include "../defs/netxml.h"
#include "../defs/xpath.h"
#include "../host/lvutil.h"

/* ---- freeing ---- */

static void
pins_free(struct net_pin *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(p[i].mac);
		free(p[i].ip);
		free(p[i].name);
	}
	free(p);
}

void
net_info_clear(struct net_info *n)
{
	free(n->name);
	free(n->forward);
	free(n->dev);
	free(n->bridge);
	free(n->ipv4);
	free(n->ipv6);
	free(n->dhcp_start);
	free(n->dhcp_end);
	pins_free(n->pins, n->npins);
	free(n->users);
	free(n->running);
	memset(n, 0, sizeof *n);
}

void
net_list_free(struct net_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		net_info_clear(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static void
lease_clear(struct net_lease *r)
{
	free(r->mac);
	free(r->ip);
	free(r->hostname);
	free(r->guest);
	free(r->pin_ip);
	free(r->pin_name);
}

void
net_leases_free(struct net_leases *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		lease_clear(&l->v[i]);
	free(l->v);
	free(l->net);
	free(l->note);
	net_info_clear(&l->info);
	memset(l, 0, sizeof *l);
}

/* ---- pure ---- */

/* The prefix length of a dotted netmask, or -1. */
static int
mask_prefix(const char *mask)
{
	struct in_addr a;
	uint32_t m;
	int p = 0;

	if (mask == NULL || inet_pton(AF_INET, mask, &a) != 1)
		return -1;
	m = ntohl(a.s_addr);
	while (m & 0x80000000u) {
		p++;
		m <<= 1;
	}
	return m ? -1 : p;
}

/* "ADDRESS/PREFIX" of the <ip> element at node, or NULL. */
static char *
ip_cidr(xmlXPathContextPtr ctx, xmlNodePtr node)
{
	char *addr = xpath_str_at(ctx, node, "string(@address)");
	char *prefix = xpath_str_at(ctx, node, "string(@prefix)");
	char *mask = xpath_str_at(ctx, node, "string(@netmask)");
	char *out = NULL;
	int p = prefix ? atoi(prefix) : mask_prefix(mask);

	if (addr && p >= 0)
		out = xasprintf("%s/%d", addr, p);
	else if (addr)
		out = xstrdup(addr);
	free(addr);
	free(prefix);
	free(mask);
	return out;
}

/* The first node of expr, or NULL. */
static xmlNodePtr
first_node(xmlXPathContextPtr ctx, const char *expr)
{
	xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, ctx);
	xmlNodePtr n = NULL;

	if (o && o->nodesetval && o->nodesetval->nodeNr > 0)
		n = o->nodesetval->nodeTab[0];
	xmlXPathFreeObject(o);
	return n;
}

/* The fixed hosts of the IPv4 <ip> at node. */
static void
read_pins(xmlXPathContextPtr ctx, xmlNodePtr ip, struct net_info *n)
{
	xmlXPathObjectPtr o;
	int i;

	ctx->node = ip;
	o = xmlXPathEvalExpression(BAD_CAST "dhcp/host", ctx);
	for (i = 0; o && o->nodesetval && i < o->nodesetval->nodeNr; i++) {
		xmlNodePtr h = o->nodesetval->nodeTab[i];
		struct net_pin p = { 0 };
		char *mac = xpath_str_at(ctx, h, "string(@mac)");
		p.mac = mac ? net_mac_norm(mac) : NULL;
		if (p.mac == NULL && mac)
			p.mac = xstrdup(mac);
		free(mac);
		p.ip = xpath_str_at(ctx, h, "string(@ip)");
		p.name = xpath_str_at(ctx, h, "string(@name)");
		n->pins = xreallocarray(n->pins, n->npins + 1, sizeof *n->pins);
		n->pins[n->npins++] = p;
	}
	xmlXPathFreeObject(o);
}

int
net_xml_parse(const char *xml, struct net_info *n)
{
	xmlDocPtr doc = xml_read_quiet(xml, "network.xml");
	xmlXPathContextPtr ctx;
	xmlNodePtr ip;
	char *mode;

	if (doc == NULL)
		return -1;
	ctx = xmlXPathNewContext(doc);
	if (first_node(ctx, "/network") == NULL) {
		xmlXPathFreeContext(ctx);
		xmlFreeDoc(doc);
		return -1;
	}
	mode = xpath_str_at(ctx, NULL, "string(/network/forward/@mode)");
	if (first_node(ctx, "/network/forward") == NULL)
		n->forward = xstrdup("isolated");
	else
		n->forward = mode ? xstrdup(mode) : xstrdup("nat");
	free(mode);
	n->dev = xpath_str_at(ctx, NULL, "string(/network/forward/@dev)");
	n->bridge = xpath_str_at(ctx, NULL, "string(/network/bridge/@name)");
	ip = first_node(ctx, "/network/ip[not(@family) or @family='ipv4']");
	if (ip != NULL) {
		n->ipv4 = ip_cidr(ctx, ip);
		n->dhcp_start = xpath_str_at(ctx, ip, "string(dhcp/range[1]/@start)");
		n->dhcp_end = xpath_str_at(ctx, ip, "string(dhcp/range[1]/@end)");
		read_pins(ctx, ip, n);
	}
	ip = first_node(ctx, "/network/ip[@family='ipv6']");
	if (ip != NULL)
		n->ipv6 = ip_cidr(ctx, ip);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return 0;
}

char *
net_mac_norm(const char *mac)
{
	char *out;
	size_t i;

	if (mac == NULL || strlen(mac) != 17)
		return NULL;
	for (i = 0; i < 17; i++)
		if (i % 3 == 2 ? mac[i] != ':' : !isxdigit((unsigned char)mac[i]))
			return NULL;
	out = xstrdup(mac);
	for (i = 0; out[i]; i++)
		out[i] = (char)tolower((unsigned char)out[i]);
	return out;
}

/* cidr's address and prefix; false when it is not IPv4 "a.b.c.d/p". */
static bool
parse_cidr(const char *cidr, uint32_t *addr, unsigned *prefix)
{
	char buf[64], *slash, *end;
	struct in_addr a;
	long p;

	if (cidr == NULL || strlen(cidr) >= sizeof buf)
		return false;
	snprintf(buf, sizeof buf, "%s", cidr);
	if ((slash = strchr(buf, '/')) == NULL)
		return false;
	*slash = '\0';
	p = strtol(slash + 1, &end, 10);
	if (*end != '\0' || end == slash + 1 || p < 0 || p > 32 ||
	    inet_pton(AF_INET, buf, &a) != 1)
		return false;
	*addr = ntohl(a.s_addr);
	*prefix = (unsigned)p;
	return true;
}

static bool
parse_ip4(const char *ip, uint32_t *out)
{
	struct in_addr a;

	if (ip == NULL || inet_pton(AF_INET, ip, &a) != 1)
		return false;
	*out = ntohl(a.s_addr);
	return true;
}

bool
net_ip_in(const char *cidr, const char *ip)
{
	uint32_t net, a, mask;
	unsigned prefix;

	if (!parse_cidr(cidr, &net, &prefix) || !parse_ip4(ip, &a))
		return false;
	mask = prefix == 0 ? 0 : 0xffffffffu << (32 - prefix);
	if ((net & mask) != (a & mask))
		return false;
	if (prefix >= 31)
		return true;
	return (a & ~mask) != 0 && (a & ~mask) != ~mask;
}

const struct net_pin *
net_pin_of(const struct net_info *n, const char *mac)
{
	size_t i;

	for (i = 0; mac && i < n->npins; i++)
		if (n->pins[i].mac && strcasecmp(n->pins[i].mac, mac) == 0)
			return &n->pins[i];
	return NULL;
}

char *
net_pin_check(const struct net_info *n, const char *mac, const char *ip)
{
	char *m = net_mac_norm(mac), host[64];
	uint32_t a;
	size_t i;

	if (m == NULL)
		return xasprintf("\"%s\" is not a MAC address (write it as 52:54:00:12:34:56).",
		                 mac ? mac : "");
	free(m);
	if (!parse_ip4(ip, &a))
		return xasprintf("\"%s\" is not an IPv4 address (write it as 192.168.100.10).",
		                 ip ? ip : "");
	if (n->ipv4 == NULL)
		return xasprintf("Network %s has no IPv4 network to pin addresses in.", n->name);
	if (n->dhcp_start == NULL)
		return xasprintf("Network %s runs no DHCP server, so a pinned address would never "
		                 "be handed out.", n->name);
	if (!net_ip_in(n->ipv4, ip))
		return xasprintf("%s is outside network %s (%s); pick an address inside it.", ip,
		                 n->name, n->ipv4);
	snprintf(host, sizeof host, "%s", n->ipv4);
	host[strcspn(host, "/")] = '\0';
	if (strcmp(host, ip) == 0)
		return xasprintf("%s is the host's own address on network %s; pick another.", ip,
		                 n->name);
	for (i = 0; i < n->npins; i++)
		if (n->pins[i].ip && strcmp(n->pins[i].ip, ip) == 0 && n->pins[i].mac &&
		    strcasecmp(n->pins[i].mac, mac) != 0)
			return xasprintf("%s is pinned to %s%s%s%s already; unpin that first or pick "
			                 "another address.", ip, n->pins[i].mac,
			                 n->pins[i].name ? " (" : "", n->pins[i].name ? n->pins[i].name : "",
			                 n->pins[i].name ? ")" : "");
	return NULL;
}

void
net_fmt_expiry(char *buf, size_t size, long long expiry, long long now)
{
	long long d = expiry - now;

	if (expiry < 0)
		snprintf(buf, size, "-");
	else if (expiry == 0)
		snprintf(buf, size, "never");
	else if (d <= 0)
		snprintf(buf, size, "expired");
	else if (d < 3600)
		snprintf(buf, size, "in %lldm %02llds", d / 60, d % 60);
	else if (d < 86400)
		snprintf(buf, size, "in %lldh %02lldm", d / 3600, d % 3600 / 60);
	else
		snprintf(buf, size, "in %lldd %02lldh", d / 86400, d % 86400 / 3600);
}

/* Rows by address family, then address; rows without one last. */
static int
by_ip(const void *x, const void *y)
{
	const struct net_lease *a = x, *b = y;
	uint32_t ia = 0, ib = 0;
	bool pa, pb;

	if ((a->ip == NULL) != (b->ip == NULL))
		return a->ip == NULL ? 1 : -1;
	if (a->ip == NULL)
		return strcmp(a->mac, b->mac);
	if (a->ipv6 != b->ipv6)
		return a->ipv6 ? 1 : -1;
	pa = parse_ip4(a->ip, &ia);
	pb = parse_ip4(b->ip, &ib);
	if (pa && pb && ia != ib)
		return ia < ib ? -1 : 1;
	return strcmp(a->ip, b->ip);
}

void
net_leases_match(struct net_leases *l, const struct guest_uses *g)
{
	const struct guest_use *u;
	const struct net_pin *p;
	size_t i, k, nleases = l->n;

	for (i = 0; i < l->info.npins; i++) {
		p = &l->info.pins[i];
		for (k = 0; k < nleases && !(p->mac && strcasecmp(l->v[k].mac, p->mac) == 0); k++)
			;
		if (k < nleases || p->mac == NULL)
			continue;
		l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
		memset(&l->v[l->n], 0, sizeof l->v[l->n]);
		l->v[l->n].mac = xstrdup(p->mac);
		l->v[l->n].ip = p->ip ? xstrdup(p->ip) : NULL;
		l->v[l->n].expiry = -1;
		l->n++;
	}
	for (i = 0; i < l->n; i++) {
		struct net_lease *r = &l->v[i];
		free(r->guest);
		free(r->pin_ip);
		free(r->pin_name);
		r->guest = r->pin_ip = r->pin_name = NULL;
		if (g != NULL && (u = guest_uses_mac(g, r->mac)) != NULL)
			r->guest = xstrdup(u->name);
		if (!r->ipv6 && (p = net_pin_of(&l->info, r->mac)) != NULL) {
			r->pin_ip = p->ip ? xstrdup(p->ip) : NULL;
			r->pin_name = p->name ? xstrdup(p->name) : NULL;
			if (r->pin_ip == NULL)
				r->pin_ip = xstrdup("(by name)");
		}
	}
	if (l->n > 1)
		qsort(l->v, l->n, sizeof *l->v, by_ip);
}

bool
net_hostname_ok(const char *name)
{
	const char *p;

	if (name == NULL || name[0] == '\0' || strlen(name) > 63 || name[0] == '-')
		return false;
	for (p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-')
			return false;
	return true;
}

const char *
net_forward_label(const struct net_info *n, char *buf, size_t size)
{
	if (n->dev && n->forward && strcmp(n->forward, "bridge") != 0)
		snprintf(buf, size, "%s via %s", n->forward, n->dev);
	else
		snprintf(buf, size, "%s", n->forward ? n->forward : "?");
	return buf;
}

/* ---- libvirt ---- */

/* err: "WHAT NAME: libvirt's last error." */
static int
fail(char **err, const char *what, const char *name)
{
	char *e = lv_err_line();

	*err = xasprintf("Cannot %s %s: %s.", what, name, e);
	free(e);
	return -1;
}

static virNetworkPtr
lookup(virConnectPtr conn, const char *name, char **err)
{
	virNetworkPtr net = virNetworkLookupByName(conn, name);

	if (net == NULL) {
		if (virGetLastErrorCode() == VIR_ERR_NO_NETWORK)
			*err = xasprintf("There is no network %s on this host (vmtui net list lists "
			                 "them).", name);
		else
			fail(err, "find network", name);
	}
	return net;
}

/* Fill n from net (and its users from g, when not NULL); the XML as
 * asked (flags: 0 live, VIR_NETWORK_XML_INACTIVE saved). */
static int
fill_info(virNetworkPtr net, const struct guest_uses *g, struct net_info *n, char **err)
{
	virNetworkDHCPLeasePtr *leases = NULL;
	char *xml;
	int on = 0, c, i;

	memset(n, 0, sizeof *n);
	n->name = xstrdup(virNetworkGetName(net));
	n->active = virNetworkIsActive(net) == 1;
	n->persistent = virNetworkIsPersistent(net) == 1;
	n->autostart = virNetworkGetAutostart(net, &on) == 0 && on;
	if ((xml = virNetworkGetXMLDesc(net, 0)) == NULL || net_xml_parse(xml, n) < 0) {
		free(xml);
		fail(err, "read network", n->name);
		net_info_clear(n);
		return -1;
	}
	free(xml);
	n->nleases = -1;
	if (n->active && (c = virNetworkGetDHCPLeases(net, NULL, &leases, 0)) >= 0) {
		n->nleases = c;
		for (i = 0; i < c; i++)
			virNetworkDHCPLeaseFree(leases[i]);
		free(leases);
	}
	if (g != NULL) {
		n->users = guest_uses_network(g, n->name, n->bridge, false, &n->nusers);
		n->running = guest_uses_network(g, n->name, n->bridge, true, &n->nrunning);
	}
	return 0;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(((const struct net_info *)a)->name, ((const struct net_info *)b)->name);
}

int
net_list_read(virConnectPtr conn, struct net_list *l, char **err)
{
	virNetworkPtr *nets = NULL;
	struct guest_uses g = { 0 };
	char *gerr = NULL, *e = NULL;
	int n, i;

	memset(l, 0, sizeof *l);
	if ((n = virConnectListAllNetworks(conn, &nets, 0)) < 0) {
		e = lv_err_line();
		*err = xasprintf("Cannot list the networks: %s.", e);
		free(e);
		return -1;
	}
	if (guest_uses_read(conn, &g, &gerr) < 0) /* users unknown: shown as none */
		free(gerr);
	l->v = xcalloc(n ? (size_t)n : 1, sizeof *l->v);
	for (i = 0; i < n; i++) {
		if (fill_info(nets[i], &g, &l->v[l->n], &e) == 0)
			l->n++;
		free(e); /* vanished meanwhile */
		e = NULL;
		virNetworkFree(nets[i]);
	}
	free(nets);
	guest_uses_free(&g);
	qsort(l->v, l->n, sizeof *l->v, by_name);
	return 0;
}

int
net_info_read(virConnectPtr conn, const char *name, struct net_info *n, char **err)
{
	virNetworkPtr net = lookup(conn, name, err);
	struct guest_uses g = { 0 };
	char *gerr = NULL;
	int rc;

	if (net == NULL)
		return -1;
	if (guest_uses_read(conn, &g, &gerr) < 0)
		free(gerr);
	rc = fill_info(net, &g, n, err);
	guest_uses_free(&g);
	virNetworkFree(net);
	return rc;
}

int
net_leases_read(virConnectPtr conn, const char *name, struct net_leases *l, char **err)
{
	virNetworkPtr net = lookup(conn, name, err);
	virNetworkDHCPLeasePtr *leases = NULL;
	struct guest_uses g = { 0 };
	char *gerr = NULL;
	int c = 0, i;

	memset(l, 0, sizeof *l);
	if (net == NULL)
		return -1;
	if (guest_uses_read(conn, &g, &gerr) < 0)
		free(gerr);
	if (fill_info(net, &g, &l->info, err) < 0)
		goto fail;
	if (l->info.active && (c = virNetworkGetDHCPLeases(net, NULL, &leases, 0)) < 0) {
		if (virGetLastErrorCode() != VIR_ERR_NO_SUPPORT) {
			fail(err, "read the DHCP leases of network", name);
			goto fail;
		}
		l->note = xstrdup("This host's libvirt driver cannot list DHCP leases; only the "
		                  "pinned addresses are shown.");
		c = 0;
	}
	l->net = xstrdup(name);
	l->v = xcalloc(c ? (size_t)c : 1, sizeof *l->v);
	for (i = 0; i < c; i++) {
		struct net_lease *r = &l->v[l->n];
		char *mac = net_mac_norm(leases[i]->mac);
		if (mac != NULL) {
			r->mac = mac;
			r->ip = leases[i]->ipaddr ? xstrdup(leases[i]->ipaddr) : NULL;
			r->prefix = leases[i]->prefix;
			r->ipv6 = leases[i]->type == VIR_IP_ADDR_TYPE_IPV6;
			r->hostname = leases[i]->hostname ? xstrdup(leases[i]->hostname) : NULL;
			r->expiry = leases[i]->expirytime;
			l->n++;
		}
		virNetworkDHCPLeaseFree(leases[i]);
	}
	free(leases);
	net_leases_match(l, &g);
	guest_uses_free(&g);
	virNetworkFree(net);
	return 0;

fail:
	guest_uses_free(&g);
	virNetworkFree(net);
	net_leases_free(l);
	return -1;
}

int
net_create(virConnectPtr conn, const struct netdef *d, char **result, char **err)
{
	virNetworkPtr net = NULL;
	const char *why = netdef_check(d);
	char *xml;

	if (why != NULL) {
		*err = xasprintf("Cannot create network %s: %s.", d->name ? d->name : "", why);
		return -1;
	}
	if ((net = virNetworkLookupByName(conn, d->name)) != NULL) {
		virNetworkFree(net);
		*err = xasprintf("There is a network %s already; pick another name.", d->name);
		return -1;
	}
	if ((xml = netxml_make(d, err)) == NULL)
		return -1;
	net = virNetworkDefineXML(conn, xml);
	free(xml);
	if (net == NULL)
		return fail(err, "define network", d->name);
	if (d->start && virNetworkCreate(net) < 0) {
		fail(err, "start network", d->name);
		virNetworkUndefine(net);
		virNetworkFree(net);
		return -1;
	}
	if (d->autostart && virNetworkSetAutostart(net, 1) < 0) {
		fail(err, "set autostart of network", d->name);
		if (d->start)
			virNetworkDestroy(net);
		virNetworkUndefine(net);
		virNetworkFree(net);
		return -1;
	}
	*result = xasprintf("Network %s created (%s%s%s)%s%s.", d->name, d->forward,
	                    d->cidr ? ", " : "", d->cidr ? d->cidr : "",
	                    d->start ? ", started" : ", not started",
	                    d->autostart ? ", starts at boot" : "");
	virNetworkFree(net);
	return 0;
}

/* Start (start) or stop a network, refused when it is so already. */
static int
start_stop(virConnectPtr conn, const char *name, bool start, char **err)
{
	virNetworkPtr net = lookup(conn, name, err);
	int rc = 0;

	if (net == NULL)
		return -1;
	if ((virNetworkIsActive(net) == 1) == start) {
		*err = xasprintf("Network %s %s.", name,
		                 start ? "is running already" : "is not running");
		rc = -1;
	} else if ((start ? virNetworkCreate(net) : virNetworkDestroy(net)) < 0) {
		rc = fail(err, start ? "start network" : "stop network", name);
	}
	virNetworkFree(net);
	return rc;
}

int
net_start(virConnectPtr conn, const char *name, char **err)
{
	return start_stop(conn, name, true, err);
}

int
net_stop(virConnectPtr conn, const char *name, char **err)
{
	return start_stop(conn, name, false, err);
}

int
net_set_autostart(virConnectPtr conn, const char *name, bool on, char **err)
{
	virNetworkPtr net = lookup(conn, name, err);
	int rc = 0;

	if (net == NULL)
		return -1;
	if (virNetworkIsPersistent(net) != 1) {
		*err = xasprintf("Network %s is transient (not defined): it cannot start at boot.",
		                 name);
		rc = -1;
	} else if (virNetworkSetAutostart(net, on ? 1 : 0) < 0) {
		rc = fail(err, on ? "turn on autostart of network" : "turn off autostart of network",
		          name);
	}
	virNetworkFree(net);
	return rc;
}

char *
net_running_users(virConnectPtr conn, const char *name, size_t *count, char **err)
{
	struct net_info n;
	char *users;

	*count = 0;
	if (net_info_read(conn, name, &n, err) < 0)
		return NULL;
	users = n.running;
	*count = n.nrunning;
	n.running = NULL;
	net_info_clear(&n);
	return users;
}

int
net_delete(virConnectPtr conn, const char *name, bool force, char **err)
{
	virNetworkPtr net;
	size_t count = 0;
	char *users;
	int rc = 0;

	users = net_running_users(conn, name, &count, err);
	if (*err != NULL)
		return -1;
	if (users != NULL && !force) {
		*err = xasprintf("Not deleting network %s: running guest%s %s use%s it (%s "
		                 "would lose it). Stop %s first, or delete it anyway (--force).",
		                 name, count == 1 ? "" : "s", users, count == 1 ? "s" : "",
		                 count == 1 ? "its NIC" : "their NICs", count == 1 ? "it" : "them");
		free(users);
		return -1;
	}
	free(users);
	if ((net = lookup(conn, name, err)) == NULL)
		return -1;
	if (virNetworkIsActive(net) == 1 && virNetworkDestroy(net) < 0)
		rc = fail(err, "stop network", name);
	else if (virNetworkIsPersistent(net) == 1 && virNetworkUndefine(net) < 0)
		rc = fail(err, "undefine network", name);
	virNetworkFree(net);
	return rc;
}

/* ---- pins ---- */

/* One part of a network (live or saved) and what a pin does to it. */
struct part {
	unsigned flag;            /* VIR_NETWORK_UPDATE_AFFECT_LIVE or _CONFIG */
	struct net_info info;
	int cmd;                  /* VIR_NETWORK_UPDATE_COMMAND_*, or -1: nothing to do */
	char *xml;                /* the <host> given */
};

/* Read the parts the network has: [0] live when running, [1] saved when
 * persistent; each part's info.name is set. Returns how many. */
static int
read_parts(virNetworkPtr net, struct part p[2], char **err)
{
	const char *name = virNetworkGetName(net);
	unsigned flags[2] = { 0, VIR_NETWORK_XML_INACTIVE };
	bool has[2] = { virNetworkIsActive(net) == 1, virNetworkIsPersistent(net) == 1 };
	int i, n = 0;

	memset(p, 0, 2 * sizeof *p);
	for (i = 0; i < 2; i++) {
		char *xml;
		if (!has[i])
			continue;
		p[n].flag = i == 0 ? VIR_NETWORK_UPDATE_AFFECT_LIVE : VIR_NETWORK_UPDATE_AFFECT_CONFIG;
		p[n].cmd = -1;
		xml = virNetworkGetXMLDesc(net, flags[i]);
		if (xml == NULL || net_xml_parse(xml, &p[n].info) < 0) {
			free(xml);
			return fail(err, "read network", name);
		}
		free(xml);
		p[n].info.name = xstrdup(name);
		n++;
	}
	return n;
}

static void
parts_free(struct part p[2])
{
	int i;

	for (i = 0; i < 2; i++) {
		net_info_clear(&p[i].info);
		free(p[i].xml);
	}
}

static const char *
cmd_word(int cmd)
{
	return cmd == VIR_NETWORK_UPDATE_COMMAND_MODIFY   ? "modify"
	       : cmd == VIR_NETWORK_UPDATE_COMMAND_DELETE ? "delete"
	                                                  : "add-last";
}

/* Add one virsh command to *all ("A; B"). */
static void
add_virsh(char **all, char *one)
{
	char *s = *all ? xasprintf("%s; %s", *all, one) : xstrdup(one);

	free(*all);
	*all = s;
	free(one);
}

/* Run the parts' updates: one call when they do the same, else one each;
 * *virsh gets their virsh equivalents. */
static int
run_parts(const char *uri, virNetworkPtr net, struct part p[2], int n, const char *what,
          char **virsh, char **err)
{
	const char *name = virNetworkGetName(net);
	int i, rc = 0;
	bool same = n == 2 && p[0].cmd == p[1].cmd && p[0].cmd >= 0 &&
	            strcmp(p[0].xml, p[1].xml) == 0;

	for (i = 0; i < n && rc == 0; i++) {
		unsigned flags = p[i].flag | (same ? p[1].flag : 0);
		if (p[i].cmd < 0)
			continue;
		add_virsh(virsh, net_virsh_update(uri, name, cmd_word(p[i].cmd), p[i].xml,
		                                  flags & VIR_NETWORK_UPDATE_AFFECT_LIVE,
		                                  flags & VIR_NETWORK_UPDATE_AFFECT_CONFIG));
		if (virNetworkUpdate(net, (unsigned)p[i].cmd, VIR_NETWORK_SECTION_IP_DHCP_HOST, -1,
		                     p[i].xml, flags) < 0)
			rc = fail(err, what, name);
		if (same)
			break;
	}
	return rc;
}

int
net_pin(virConnectPtr conn, const char *uri, const char *name, const char *mac,
        const char *ip, const char *hostname, char **result, char **virsh, char **err)
{
	virNetworkPtr net = lookup(conn, name, err);
	struct part p[2];
	char *m = net_mac_norm(mac), *why = NULL, what[160];
	uint32_t addr;
	int n, i, todo = 0, rc = -1;

	if (net == NULL) {
		free(m);
		return -1;
	}
	if (hostname && hostname[0] == '\0')
		hostname = NULL;
	memset(p, 0, sizeof p);
	if (m == NULL || !parse_ip4(ip, &addr)) { /* before reading anything */
		struct net_info none = { .name = (char *)name };
		*err = net_pin_check(&none, mac, ip);
		goto cleanup;
	}
	if ((n = read_parts(net, p, err)) < 0)
		goto cleanup;
	for (i = 0; i < n && why == NULL; i++) {
		const struct net_pin *old;
		if ((why = net_pin_check(&p[i].info, mac, ip)) != NULL)
			break;
		old = net_pin_of(&p[i].info, m);
		if (old && old->ip && strcmp(old->ip, ip) == 0 &&
		    ((old->name == NULL && hostname == NULL) ||
		     (old->name && hostname && strcmp(old->name, hostname) == 0)))
			continue; /* there already */
		p[i].cmd = old ? VIR_NETWORK_UPDATE_COMMAND_MODIFY : VIR_NETWORK_UPDATE_COMMAND_ADD_LAST;
		p[i].xml = netxml_dhcp_host(m, ip, hostname);
		todo++;
	}
	if (why != NULL) {
		*err = why;
		goto cleanup;
	}
	snprintf(what, sizeof what, "pin %s to %s", m, ip);
	if (todo && run_parts(uri, net, p, n, what, virsh, err) < 0)
		goto cleanup;
	*result = xasprintf(todo ? "%s is pinned to %s on network %s%s." :
	                           "%s is pinned to %s on network %s already%s.", m, ip, name,
	                    n == 2 ? " (running and saved)" :
	                    p[0].flag == VIR_NETWORK_UPDATE_AFFECT_LIVE ?
	                    " (running network only: it is transient)" :
	                    " (saved: in force when the network starts)");
	rc = 0;

cleanup:
	parts_free(p);
	free(m);
	virNetworkFree(net);
	return rc;
}

int
net_unpin(virConnectPtr conn, const char *uri, const char *name, const char *mac,
          char **result, char **virsh, char **err)
{
	virNetworkPtr net = lookup(conn, name, err);
	struct part p[2];
	char *m = net_mac_norm(mac), what[160];
	int n, i, todo = 0, rc = -1;

	if (net == NULL) {
		free(m);
		return -1;
	}
	memset(p, 0, sizeof p);
	if (m == NULL) {
		*err = xasprintf("\"%s\" is not a MAC address (write it as 52:54:00:12:34:56).",
		                 mac ? mac : "");
		goto cleanup;
	}
	if ((n = read_parts(net, p, err)) < 0)
		goto cleanup;
	for (i = 0; i < n; i++) {
		const struct net_pin *old = net_pin_of(&p[i].info, m);
		if (old == NULL)
			continue;
		p[i].cmd = VIR_NETWORK_UPDATE_COMMAND_DELETE;
		p[i].xml = netxml_dhcp_host(old->mac, old->ip, old->name);
		todo++;
	}
	if (todo == 0) {
		*err = xasprintf("%s is not pinned on network %s.", m, name);
		goto cleanup;
	}
	snprintf(what, sizeof what, "unpin %s", m);
	if (run_parts(uri, net, p, n, what, virsh, err) < 0)
		goto cleanup;
	*result = xasprintf("%s is no longer pinned on network %s; it keeps its lease until "
	                    "that expires.", m, name);
	rc = 0;

cleanup:
	parts_free(p);
	free(m);
	virNetworkFree(net);
	return rc;
}

/* ---- virsh ---- */

char *
net_virsh_define(const char *uri, const char *name)
{
	char file[300];

	snprintf(file, sizeof file, "%s.xml", name);
	return msglog_virsh(uri, "net-define", file, NULL);
}

char *
net_virsh_simple(const char *uri, const char *verb, const char *name)
{
	return msglog_virsh(uri, verb, name, NULL);
}

char *
net_virsh_autostart(const char *uri, const char *name, bool on)
{
	if (on)
		return msglog_virsh(uri, "net-autostart", name, NULL);
	return msglog_virsh(uri, "net-autostart", name, "--disable", NULL);
}

char *
net_virsh_update(const char *uri, const char *name, const char *command, const char *hostxml,
                 bool live, bool config)
{
	if (live && config)
		return msglog_virsh(uri, "net-update", name, command, "ip-dhcp-host", hostxml,
		                    "--live", "--config", NULL);
	return msglog_virsh(uri, "net-update", name, command, "ip-dhcp-host", hostxml,
	                    live ? "--live" : "--config", NULL);
}
