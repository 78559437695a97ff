/* resdef.c — what a storage pool or a virtual network definition must
 * hold to become libvirt XML (resdef.h): each pool type's fields, a
 * network's addresses (the DHCP range and fixed hosts inside its cidr),
 * and the defaults the XML is written with. */
#include "resdef.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/base/xmalloc.h"

const char *const pooldef_types[] = {
	"dir", "fs", "netfs", "logical", "disk", "iscsi", NULL,
};

const char *const netdef_forwards[] = {
	"nat", "route", "open", "isolated", "bridge", NULL,
};

static const char *const netfs_formats[] = { "nfs", "glusterfs", "cifs", NULL };

static bool
in_list(const char *s, const char *const *list)
{
	for (; s && *list; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

static bool
empty(const char *s)
{
	return s == NULL || *s == '\0';
}

/* No control characters (XML cannot carry most, and none belongs in a
 * name or a path). */
static bool
printable(const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)(s ? s : ""); *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

/* A libvirt object name: not empty, no '/', no control character. */
static const char *
check_name(const char *name, const char *what)
{
	if (empty(name))
		return what[0] == 'p' ? "the pool has no name" : "the network has no name";
	if (strchr(name, '/') || !printable(name))
		return what[0] == 'p' ? "a pool name cannot hold '/' or control characters"
		                      : "a network name cannot hold '/' or control characters";
	return NULL;
}

static bool
abs_path(const char *s)
{
	return s && s[0] == '/' && printable(s);
}

/* ---- pools ---- */

/* What a pool of p's type lacks, or NULL. */
static const char *
pool_needs(const struct pooldef *p)
{
	const char *t = p->type;

	if (strcmp(t, "dir") == 0 && empty(p->path))
		return "a dir pool needs path";
	if (strcmp(t, "fs") == 0) {
		if (empty(p->path))
			return "an fs pool needs path (where to mount it)";
		if (empty(p->source_device))
			return "an fs pool needs source_device";
	}
	if (strcmp(t, "netfs") == 0) {
		if (empty(p->path))
			return "a netfs pool needs path (where to mount it)";
		if (empty(p->source_host))
			return "a netfs pool needs source_host";
		if (empty(p->source_dir))
			return "a netfs pool needs source_dir (the export)";
		if (p->source_format && !in_list(p->source_format, netfs_formats))
			return "a netfs pool's source_format is nfs, glusterfs or cifs";
	}
	if (strcmp(t, "disk") == 0 && empty(p->source_device))
		return "a disk pool needs source_device";
	if (strcmp(t, "iscsi") == 0) {
		if (empty(p->source_host))
			return "an iscsi pool needs source_host";
		if (empty(p->source_dir))
			return "an iscsi pool needs source_dir (the target's IQN)";
	}
	return NULL;
}

/* Fields p's type does not use, which would otherwise be dropped
 * silently. */
static const char *
pool_extra(const struct pooldef *p)
{
	const char *t = p->type;
	bool host = strcmp(t, "netfs") == 0 || strcmp(t, "iscsi") == 0;
	bool device = strcmp(t, "fs") == 0 || strcmp(t, "disk") == 0 ||
	              strcmp(t, "logical") == 0;

	if (p->source_host && !host)
		return "source_host is only for netfs and iscsi pools";
	if (p->source_dir && !host)
		return "source_dir is only for netfs and iscsi pools";
	if (p->source_device && !device)
		return "source_device is only for fs, disk and logical pools";
	if (p->source_name && strcmp(t, "logical") != 0)
		return "source_name is only for logical pools";
	if (p->source_format && (strcmp(t, "dir") == 0 || strcmp(t, "iscsi") == 0))
		return "source_format is not for dir and iscsi pools";
	if (p->build && strcmp(t, "iscsi") == 0)
		return "an iscsi pool cannot be built: leave build out";
	return NULL;
}

const char *
pooldef_check(const struct pooldef *p)
{
	const char *why;
	const char *const strs[] = { p->source_host, p->source_dir, p->source_device,
	                             p->source_name, p->source_format };
	size_t i;

	if ((why = check_name(p->name, "pool")) != NULL)
		return why;
	if (empty(p->type))
		return "the pool has no type";
	if (!in_list(p->type, pooldef_types))
		return "the pool type is not one of dir, fs, netfs, logical, disk, iscsi";
	if (p->path && !abs_path(p->path))
		return "a pool's path must be an absolute path without control characters";
	if (p->source_device && strcmp(p->type, "iscsi") != 0 && !abs_path(p->source_device))
		return "source_device must be an absolute path (/dev/...)";
	if (p->source_dir && strcmp(p->type, "netfs") == 0 && !abs_path(p->source_dir))
		return "source_dir must be an absolute path (the export)";
	for (i = 0; i < sizeof strs / sizeof *strs; i++)
		if (strs[i] && (strs[i][0] == '\0' || !printable(strs[i])))
			return "a pool's source fields cannot be empty or hold control characters";
	if ((why = pool_needs(p)) != NULL)
		return why;
	return pool_extra(p);
}

void
pooldef_free(struct pooldef *p)
{
	if (p == NULL)
		return;
	free(p->name);
	free(p->type);
	free(p->path);
	free(p->source_host);
	free(p->source_dir);
	free(p->source_device);
	free(p->source_name);
	free(p->source_format);
	memset(p, 0, sizeof *p);
}

/* ---- addresses ---- */

int
resdef_ipv4(const char *s, uint32_t *out)
{
	struct in_addr a;

	if (s == NULL || inet_pton(AF_INET, s, &a) != 1)
		return -1;
	*out = ntohl(a.s_addr);
	return 0;
}

void
resdef_ipv4_str(uint32_t a, char buf[16])
{
	snprintf(buf, 16, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff);
}

int
resdef_cidr4(const char *cidr, uint32_t *addr, unsigned *prefix)
{
	char ip[16], *end;
	const char *slash;
	unsigned long pl;

	if (cidr == NULL || (slash = strchr(cidr, '/')) == NULL ||
	    (size_t)(slash - cidr) >= sizeof ip)
		return -1;
	memcpy(ip, cidr, (size_t)(slash - cidr));
	ip[slash - cidr] = '\0';
	if (!isdigit((unsigned char)slash[1]))
		return -1;
	pl = strtoul(slash + 1, &end, 10);
	if (*end || pl > 32 || resdef_ipv4(ip, addr) < 0)
		return -1;
	*prefix = (unsigned)pl;
	return 0;
}

static uint32_t
mask_of(unsigned prefix)
{
	return prefix == 0 ? 0 : 0xffffffffu << (32 - prefix);
}

int
netdef_ipv4(const struct netdef *n, struct netdef_ipv4 *o)
{
	uint32_t a, mask, net, bcast, host;
	unsigned pl;

	if (resdef_cidr4(n->cidr, &a, &pl) < 0 || pl < 1 || pl > 30)
		return -1;
	mask = mask_of(pl);
	net = a & mask;
	bcast = net | ~mask;
	host = a == net ? net + 1 : a;
	if (host == bcast)
		return -1;
	memset(o, 0, sizeof *o);
	o->prefix = pl;
	o->net = net;
	o->host = host;
	/* The default range: the larger side of the host's address, within
	 * one /16 as libvirt wants. */
	if (host - net - 1 >= bcast - host - 1) {
		o->start = net + 1;
		o->end = host - 1;
	} else {
		o->start = host + 1;
		o->end = bcast - 1;
	}
	if (o->end > (o->start | 0xffffu))
		o->end = o->start | 0xffffu;
	if (n->dhcp_start && resdef_ipv4(n->dhcp_start, &o->start) < 0)
		return -1;
	if (n->dhcp_end && resdef_ipv4(n->dhcp_end, &o->end) < 0)
		return -1;
	resdef_ipv4_str(o->host, o->host_s);
	resdef_ipv4_str(mask, o->mask_s);
	resdef_ipv4_str(o->start, o->start_s);
	resdef_ipv4_str(o->end, o->end_s);
	return 0;
}

bool
resdef_ip_in(const char *cidr, const char *ip)
{
	uint32_t a, net, mask;
	unsigned pl;

	if (resdef_cidr4(cidr, &net, &pl) < 0 || resdef_ipv4(ip, &a) < 0)
		return false;
	mask = mask_of(pl);
	return (a & mask) == (net & mask);
}

bool
resdef_mac_ok(const char *s)
{
	size_t i;

	if (s == NULL || strlen(s) != 17)
		return false;
	for (i = 0; i < 17; i++) {
		if (i % 3 == 2 ? s[i] != ':' : !isxdigit((unsigned char)s[i]))
			return false;
		if (i % 3 != 2 && isupper((unsigned char)s[i]))
			return false;
	}
	return true;
}

/* An IPv6 network "fd00:1::/64", prefix 1 to 128, or NULL. */
static bool
cidr6_ok(const char *s)
{
	char ip[INET6_ADDRSTRLEN], *end;
	const char *slash = strchr(s, '/');
	unsigned char a[16];
	unsigned long pl;

	if (slash == NULL || (size_t)(slash - s) >= sizeof ip || !isdigit((unsigned char)slash[1]))
		return false;
	memcpy(ip, s, (size_t)(slash - s));
	ip[slash - s] = '\0';
	pl = strtoul(slash + 1, &end, 10);
	return *end == '\0' && pl >= 1 && pl <= 128 && inet_pton(AF_INET6, ip, a) == 1;
}

/* A DNS domain: labels of letters, digits and '-', split by dots. */
static bool
domain_ok(const char *s)
{
	size_t label = 0;

	if (empty(s) || strlen(s) > 253)
		return false;
	for (; *s; s++) {
		if (*s == '.') {
			if (label == 0)
				return false;
			label = 0;
		} else if (isalnum((unsigned char)*s) || *s == '-') {
			if (++label > 63)
				return false;
		} else {
			return false;
		}
	}
	return label > 0;
}

/* A Linux interface name: 1 to 15 characters, no '/', ':' or space. */
static bool
ifname_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n > 15)
		return false;
	for (; *s; s++)
		if (*s == '/' || *s == ':' || isspace((unsigned char)*s) || !isgraph((unsigned char)*s))
			return false;
	return true;
}

/* ---- networks ---- */

/* What is wrong with a "bridge" network (a host bridge), or NULL. */
static const char *
check_bridge_mode(const struct netdef *n)
{
	if (empty(n->bridge))
		return "a bridge network needs bridge (the host's bridge, e.g. br0)";
	if (n->cidr || n->cidr6 || n->dhcp_start || n->dhcp_end || n->nhosts || n->domain)
		return "a bridge network uses the host bridge's own addresses: no cidr, "
		       "cidr6, dhcp range, hosts or domain";
	if (n->dev)
		return "dev is only for nat and route networks";
	return NULL;
}

/* What is wrong with fixed host h of n, or NULL. */
static const char *
check_host(const struct netdef *n, const struct netdef_ipv4 *a, size_t i)
{
	const struct netdef_host *h = &n->hosts[i];
	uint32_t ip, mask = mask_of(a->prefix);
	size_t j;

	if (!resdef_mac_ok(h->mac))
		return "a fixed host needs mac, like 52:54:00:12:34:56 (lower case)";
	if (resdef_ipv4(h->ip, &ip) < 0)
		return "a fixed host needs ip, an IPv4 address like 192.168.100.10";
	if ((ip & mask) != a->net)
		return "a fixed host's ip is outside the network's cidr";
	if (ip == a->net || ip == (a->net | ~mask))
		return "a fixed host's ip is the network's own or broadcast address";
	if (ip == a->host)
		return "a fixed host's ip is the host's address on the network";
	if (h->name && (!domain_ok(h->name)))
		return "a fixed host's name must be a host name (letters, digits, '-', '.')";
	for (j = 0; j < i; j++) {
		if (strcmp(n->hosts[j].mac, h->mac) == 0)
			return "two fixed hosts have the same mac";
		if (strcmp(n->hosts[j].ip, h->ip) == 0)
			return "two fixed hosts have the same ip";
	}
	return NULL;
}

/* What is wrong with n's DHCP range, or NULL. */
static const char *
check_range(const struct netdef *n, const struct netdef_ipv4 *a)
{
	uint32_t mask = mask_of(a->prefix), bcast = a->net | ~mask;

	if (!n->dhcp && (n->dhcp_start || n->dhcp_end))
		return "a dhcp range is given but dhcp is off";
	if (!n->dhcp && n->nhosts)
		return "fixed hosts need dhcp";
	if (!n->dhcp)
		return NULL;
	if ((a->start & mask) != a->net || (a->end & mask) != a->net ||
	    a->start == a->net || a->end == bcast)
		return "the dhcp range is not inside the network's cidr";
	if (a->start > a->end)
		return "the dhcp range starts after its end";
	if ((a->start >> 16) != (a->end >> 16))
		return "the dhcp range must lie within one /16 (its start and end sharing their "
		       "first two numbers), as libvirt wants";
	if (a->host >= a->start && a->host <= a->end)
		return "the dhcp range holds the host's address on the network";
	return NULL;
}

const char *
netdef_check_at(const struct netdef *n, const struct vmdef_pos **where)
{
	struct netdef_ipv4 a;
	const char *why;
	uint32_t ip;
	unsigned pl;
	size_t i;

	if (where)
		*where = NULL;
	if ((why = check_name(n->name, "network")) != NULL)
		return why;
	if (empty(n->forward) || !in_list(n->forward, netdef_forwards))
		return "the forward mode is not one of nat, route, open, isolated, bridge";
	if (n->bridge && !ifname_ok(n->bridge))
		return "bridge must be an interface name of 1 to 15 characters";
	if (n->dev && !ifname_ok(n->dev))
		return "dev must be an interface name of 1 to 15 characters";
	if (n->domain && !domain_ok(n->domain))
		return "domain must be a DNS domain (letters, digits, '-', '.')";
	if (n->cidr6 && !cidr6_ok(n->cidr6))
		return "cidr6 must be an IPv6 network like fd00:1::/64";
	if (strcmp(n->forward, "bridge") == 0)
		return check_bridge_mode(n);
	if (n->dev && strcmp(n->forward, "nat") != 0 && strcmp(n->forward, "route") != 0)
		return "dev is only for nat and route networks";
	if (empty(n->cidr))
		return "the network needs cidr, an IPv4 network like 192.168.100.0/24";
	if (resdef_cidr4(n->cidr, &ip, &pl) < 0)
		return "cidr must be an IPv4 network like 192.168.100.0/24";
	if (pl < 1 || pl > 30)
		return "cidr's prefix must be between 1 and 30";
	if ((n->dhcp_start == NULL) != (n->dhcp_end == NULL))
		return "a dhcp range needs both start and end";
	if (netdef_ipv4(n, &a) < 0) {
		if ((ip | mask_of(pl)) == 0xffffffffu)
			return "cidr names the broadcast address, which the host cannot take";
		return "the dhcp range must be IPv4 addresses like 192.168.100.10";
	}
	if ((why = check_range(n, &a)) != NULL)
		return why;
	for (i = 0; i < n->nhosts; i++)
		if ((why = check_host(n, &a, i)) != NULL) {
			if (where)
				*where = &n->hosts[i].pos;
			return why;
		}
	return NULL;
}

const char *
netdef_check(const struct netdef *n)
{
	return netdef_check_at(n, NULL);
}

void
netdef_free(struct netdef *n)
{
	size_t i;

	if (n == NULL)
		return;
	free(n->name);
	free(n->forward);
	free(n->bridge);
	free(n->dev);
	free(n->cidr);
	free(n->dhcp_start);
	free(n->dhcp_end);
	free(n->cidr6);
	free(n->domain);
	for (i = 0; i < n->nhosts; i++) {
		free(n->hosts[i].mac);
		free(n->hosts[i].ip);
		free(n->hosts[i].name);
	}
	free(n->hosts);
	memset(n, 0, sizeof *n);
}
