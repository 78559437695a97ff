/* test_resdef.c — config/resdef.h's checks (every error), and the XML
 * model/defs/poolxml.h and netxml.h make of each pool type and forward
 * mode (parsed back with libxml2), and read from libvirt's own XML. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "config/resdef.h"
#include "model/defs/netxml.h"
#include "model/defs/poolxml.h"
#include "model/defs/xpath.h"

/* ---- reading what was made ---- */

/* The string value of expr in xml, as a new string ("" when empty). */
static char *
xp(const char *xml, const char *expr)
{
	xmlDocPtr doc = xml_read_quiet(xml, "t.xml");
	xmlXPathContextPtr ctx;
	char *s;

	assert_non_null(doc);
	ctx = xmlXPathNewContext(doc);
	s = xpath_str(ctx, expr);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return s ? s : strdup("");
}

#define assert_xp(xml, expr, want)                    \
	do {                                           \
		char *got_ = xp((xml), (expr));        \
		assert_string_equal(got_, (want));     \
		free(got_);                            \
	} while (0)

/* ---- pools ---- */

static struct pooldef
pool(const char *type)
{
	struct pooldef p = { .name = "p1", .type = (char *)type, .start = true,
		             .autostart = true };

	if (strcmp(type, "dir") == 0 || strcmp(type, "fs") == 0 || strcmp(type, "netfs") == 0)
		p.path = "/var/lib/vmtui/p1";
	if (strcmp(type, "fs") == 0 || strcmp(type, "disk") == 0 || strcmp(type, "logical") == 0)
		p.source_device = "/dev/sdb";
	if (strcmp(type, "netfs") == 0 || strcmp(type, "iscsi") == 0)
		p.source_host = "nas.lab";
	if (strcmp(type, "netfs") == 0)
		p.source_dir = "/srv/images";
	if (strcmp(type, "iscsi") == 0)
		p.source_dir = "iqn.2024-01.lab.nas:images";
	return p;
}

static void
pool_types_pass(void **state)
{
	const char *const *t;

	(void)state;
	for (t = pooldef_types; *t; t++) {
		struct pooldef p = pool(*t);
		assert_null(pooldef_check(&p));
	}
	assert_string_equal(pooldef_types[0], "dir");
}

static void
pool_check_errors(void **state)
{
	struct pooldef p;

	(void)state;
#define POOL_ERR(type, change, msg)                     \
	do {                                            \
		p = pool(type);                         \
		change;                                 \
		assert_string_equal(pooldef_check(&p), msg); \
	} while (0)
	POOL_ERR("dir", p.name = NULL, "the pool has no name");
	POOL_ERR("dir", p.name = "", "the pool has no name");
	POOL_ERR("dir", p.name = "a/b", "a pool name cannot hold '/' or control characters");
	POOL_ERR("dir", p.name = "a\tb", "a pool name cannot hold '/' or control characters");
	POOL_ERR("dir", p.type = NULL, "the pool has no type");
	POOL_ERR("dir", p.type = "rbd",
	         "the pool type is not one of dir, fs, netfs, logical, disk, iscsi");
	POOL_ERR("dir", p.path = "images",
	         "a pool's path must be an absolute path without control characters");
	POOL_ERR("dir", p.path = "/a\x01b",
	         "a pool's path must be an absolute path without control characters");
	POOL_ERR("dir", p.path = NULL, "a dir pool needs path");
	POOL_ERR("fs", p.path = NULL, "an fs pool needs path (where to mount it)");
	POOL_ERR("fs", p.source_device = NULL, "an fs pool needs source_device");
	POOL_ERR("fs", p.source_device = "sdb", "source_device must be an absolute path (/dev/...)");
	POOL_ERR("netfs", p.path = NULL, "a netfs pool needs path (where to mount it)");
	POOL_ERR("netfs", p.source_host = NULL, "a netfs pool needs source_host");
	POOL_ERR("netfs", p.source_dir = NULL, "a netfs pool needs source_dir (the export)");
	POOL_ERR("netfs", p.source_dir = "srv", "source_dir must be an absolute path (the export)");
	POOL_ERR("netfs", p.source_format = "ext4",
	         "a netfs pool's source_format is nfs, glusterfs or cifs");
	POOL_ERR("netfs", p.source_host = "",
	         "a pool's source fields cannot be empty or hold control characters");
	POOL_ERR("disk", p.source_device = NULL, "a disk pool needs source_device");
	POOL_ERR("iscsi", p.source_host = NULL, "an iscsi pool needs source_host");
	POOL_ERR("iscsi", p.source_dir = NULL, "an iscsi pool needs source_dir (the target's IQN)");
	POOL_ERR("dir", p.source_host = "nas", "source_host is only for netfs and iscsi pools");
	POOL_ERR("dir", p.source_dir = "/x", "source_dir is only for netfs and iscsi pools");
	POOL_ERR("dir", p.source_device = "/dev/sdb",
	         "source_device is only for fs, disk and logical pools");
	POOL_ERR("fs", p.source_name = "vg", "source_name is only for logical pools");
	POOL_ERR("dir", p.source_format = "raw", "source_format is not for dir and iscsi pools");
	POOL_ERR("iscsi", p.build = true, "an iscsi pool cannot be built: leave build out");
#undef POOL_ERR
}

static void
pool_xml_dir(void **state)
{
	struct pooldef p = pool("dir");
	char *err, *xml = poolxml_make(&p, &err);

	(void)state;
	assert_non_null(xml);
	assert_null(err);
	assert_xp(xml, "string(/pool/@type)", "dir");
	assert_xp(xml, "string(/pool/name)", "p1");
	assert_xp(xml, "string(/pool/target/path)", "/var/lib/vmtui/p1");
	assert_xp(xml, "string(count(/pool/source))", "0");
	free(xml);
}

static void
pool_xml_source_types(void **state)
{
	struct pooldef p;
	char *err, *xml;

	(void)state;
	p = pool("fs");
	xml = poolxml_make(&p, &err);
	assert_xp(xml, "string(/pool/source/device/@path)", "/dev/sdb");
	assert_xp(xml, "string(/pool/source/format/@type)", "auto");
	assert_xp(xml, "string(/pool/target/path)", "/var/lib/vmtui/p1");
	free(xml);

	p = pool("netfs");
	xml = poolxml_make(&p, &err);
	assert_xp(xml, "string(/pool/source/host/@name)", "nas.lab");
	assert_xp(xml, "string(/pool/source/dir/@path)", "/srv/images");
	assert_xp(xml, "string(/pool/source/format/@type)", "nfs");
	free(xml);
	p.source_format = "cifs";
	xml = poolxml_make(&p, &err);
	assert_xp(xml, "string(/pool/source/format/@type)", "cifs");
	free(xml);

	p = pool("logical");
	xml = poolxml_make(&p, &err);
	assert_xp(xml, "string(/pool/source/device/@path)", "/dev/sdb");
	assert_xp(xml, "string(/pool/source/name)", "p1");
	assert_xp(xml, "string(/pool/target/path)", "/dev/p1");
	free(xml);
	p.source_name = "vg0";
	p.source_device = NULL;
	xml = poolxml_make(&p, &err);
	assert_xp(xml, "string(/pool/source/name)", "vg0");
	assert_xp(xml, "string(count(/pool/source/device))", "0");
	assert_xp(xml, "string(/pool/target/path)", "/dev/vg0");
	free(xml);

	p = pool("disk");
	p.source_format = "gpt";
	xml = poolxml_make(&p, &err);
	assert_xp(xml, "string(/pool/source/device/@path)", "/dev/sdb");
	assert_xp(xml, "string(/pool/source/format/@type)", "gpt");
	assert_xp(xml, "string(/pool/target/path)", "/dev");
	free(xml);

	p = pool("iscsi");
	xml = poolxml_make(&p, &err);
	assert_xp(xml, "string(/pool/source/host/@name)", "nas.lab");
	assert_xp(xml, "string(/pool/source/device/@path)", "iqn.2024-01.lab.nas:images");
	assert_xp(xml, "string(/pool/target/path)", "/dev/disk/by-path");
	free(xml);
}

static void
pool_xml_escapes_and_refuses(void **state)
{
	struct pooldef p = pool("dir");
	char *err, *xml;

	(void)state;
	p.name = "a<b>&'c\"";
	p.path = "/srv/it's <here>";
	xml = poolxml_make(&p, &err);
	assert_non_null(xml);
	assert_xp(xml, "string(/pool/name)", "a<b>&'c\"");
	assert_xp(xml, "string(/pool/target/path)", "/srv/it's <here>");
	free(xml);

	/* Quotes of both kinds in attributes. */
	p = pool("netfs");
	p.source_dir = "/srv/it's \"x\"";
	xml = poolxml_make(&p, &err);
	assert_non_null(xml);
	assert_xp(xml, "string(/pool/source/dir/@path)", "/srv/it's \"x\"");
	free(xml);

	p = pool("dir");
	p.name = "a<b>&'c\"";
	p.path = NULL;
	assert_null(poolxml_make(&p, &err));
	assert_string_equal(err, "pool a<b>&'c\": a dir pool needs path.");
	free(err);
}

static const char dir_dump[] =
	"<pool type='dir'>\n"
	"  <name>default</name>\n"
	"  <uuid>0b1c9d3a-43e1-4a55-8b3c-9d5e5c64a111</uuid>\n"
	"  <capacity unit='bytes'>105089261568</capacity>\n"
	"  <allocation unit='bytes'>22540148736</allocation>\n"
	"  <available unit='bytes'>82549112832</available>\n"
	"  <source>\n  </source>\n"
	"  <target>\n    <path>/var/lib/libvirt/images</path>\n"
	"    <permissions>\n      <mode>0711</mode>\n      <owner>0</owner>\n"
	"      <group>0</group>\n    </permissions>\n  </target>\n"
	"</pool>\n";

static const char netfs_dump[] =
	"<pool type='netfs'>\n"
	"  <name>nfsimages</name>\n"
	"  <uuid>7d0a0a52-7cbe-4a0c-a3f4-4f1e6d1b2c33</uuid>\n"
	"  <capacity unit='bytes'>0</capacity>\n"
	"  <allocation unit='bytes'>0</allocation>\n"
	"  <available unit='bytes'>0</available>\n"
	"  <source>\n    <host name='nas.lab'/>\n    <dir path='/srv/images'/>\n"
	"    <format type='nfs'/>\n  </source>\n"
	"  <target>\n    <path>/var/lib/libvirt/nfs</path>\n  </target>\n"
	"</pool>\n";

static void
pool_read(void **state)
{
	struct pooldef p = { 0 };
	char *err;

	(void)state;
	assert_int_equal(poolxml_read(dir_dump, &p, &err), 0);
	assert_string_equal(p.name, "default");
	assert_string_equal(p.type, "dir");
	assert_string_equal(p.path, "/var/lib/libvirt/images");
	assert_null(p.source_host);
	assert_null(p.source_format);
	assert_true(p.build);
	assert_false(p.start);
	assert_false(p.autostart);
	pooldef_free(&p);

	assert_int_equal(poolxml_read(netfs_dump, &p, &err), 0);
	assert_string_equal(p.type, "netfs");
	assert_string_equal(p.path, "/var/lib/libvirt/nfs");
	assert_string_equal(p.source_host, "nas.lab");
	assert_string_equal(p.source_dir, "/srv/images");
	assert_string_equal(p.source_format, "nfs");
	assert_false(p.build);
	pooldef_free(&p);
	pooldef_free(NULL);
}

static void
pool_read_refuses(void **state)
{
	struct pooldef p = { 0 };
	char *err;

	(void)state;
	assert_int_equal(poolxml_read("<network/>", &p, &err), -1);
	assert_string_equal(err, "This is not a storage pool's XML.");
	free(err);
	pooldef_free(&p);
	assert_int_equal(poolxml_read("<pool", &p, &err), -1);
	free(err);
	pooldef_free(&p);
	assert_int_equal(poolxml_read("<pool type='rbd'><name>ceph</name></pool>", &p, &err), -1);
	assert_string_equal(err, "Pool ceph is of type rbd, which vmtui.yaml cannot describe "
	                         "(it knows dir, fs, netfs, logical, disk, iscsi).");
	free(err);
	pooldef_free(&p);
	assert_int_equal(poolxml_read("<pool type='logical'><name>vg</name><source>"
	                              "<device path='/dev/sdb'/><device path='/dev/sdc'/>"
	                              "</source></pool>", &p, &err), -1);
	assert_string_equal(err, "Pool vg has several source devices or hosts, which "
	                         "vmtui.yaml cannot describe.");
	free(err);
	pooldef_free(&p);
}

/* Every pool type made into XML and read back is the same pool. */
static void
pool_round_trip(void **state)
{
	const char *const *t;

	(void)state;
	for (t = pooldef_types; *t; t++) {
		struct pooldef p = pool(*t), back = { 0 };
		char *err, *xml = poolxml_make(&p, &err);

		assert_non_null(xml);
		assert_int_equal(poolxml_read(xml, &back, &err), 0);
		assert_string_equal(back.name, p.name);
		assert_string_equal(back.type, p.type);
		if (p.path)
			assert_string_equal(back.path, p.path);
		if (p.source_host)
			assert_string_equal(back.source_host, p.source_host);
		if (p.source_dir)
			assert_string_equal(back.source_dir, p.source_dir);
		if (p.source_device)
			assert_string_equal(back.source_device, p.source_device);
		assert_null(back.source_name);
		free(xml);
		pooldef_free(&back);
	}
}

/* ---- networks ---- */

static struct netdef_host two_hosts[] = {
	{ .mac = "52:54:00:00:00:0a", .ip = "192.168.100.10", .name = "web" },
	{ .mac = "52:54:00:00:00:0b", .ip = "192.168.100.11" },
};

static struct netdef
net(const char *forward)
{
	struct netdef n = { .name = "lab", .forward = (char *)forward, .dhcp = true,
		            .start = true, .autostart = true };

	if (strcmp(forward, "bridge") == 0) {
		n.bridge = "br0";
		n.dhcp = false;
	} else {
		n.cidr = "192.168.100.0/24";
	}
	return n;
}

static void
net_forwards_pass(void **state)
{
	const char *const *f;

	(void)state;
	for (f = netdef_forwards; *f; f++) {
		struct netdef n = net(*f);
		assert_null(netdef_check(&n));
	}
	assert_string_equal(netdef_forwards[0], "nat");
}

static void
net_check_errors(void **state)
{
	struct netdef n;
	struct netdef_host bad[2];

	(void)state;
#define NET_ERR(forward, change, msg)                   \
	do {                                            \
		n = net(forward);                       \
		change;                                 \
		assert_string_equal(netdef_check(&n), msg); \
	} while (0)
	NET_ERR("nat", n.name = NULL, "the network has no name");
	NET_ERR("nat", n.name = "x/y", "a network name cannot hold '/' or control characters");
	NET_ERR("nat", n.forward = "vepa",
	        "the forward mode is not one of nat, route, open, isolated, bridge");
	NET_ERR("nat", n.forward = NULL,
	        "the forward mode is not one of nat, route, open, isolated, bridge");
	NET_ERR("nat", n.bridge = "virbr-much-too-long",
	        "bridge must be an interface name of 1 to 15 characters");
	NET_ERR("nat", n.bridge = "br 0", "bridge must be an interface name of 1 to 15 characters");
	NET_ERR("nat", n.dev = "", "dev must be an interface name of 1 to 15 characters");
	NET_ERR("nat", n.domain = "lab_1", "domain must be a DNS domain (letters, digits, '-', '.')");
	NET_ERR("nat", n.domain = "lab..x", "domain must be a DNS domain (letters, digits, '-', '.')");
	NET_ERR("nat", n.cidr6 = "fd00::", "cidr6 must be an IPv6 network like fd00:1::/64");
	NET_ERR("nat", n.cidr6 = "fd00::/129", "cidr6 must be an IPv6 network like fd00:1::/64");
	NET_ERR("nat", n.cidr6 = "10.0.0.0/8", "cidr6 must be an IPv6 network like fd00:1::/64");
	NET_ERR("bridge", n.bridge = NULL,
	        "a bridge network needs bridge (the host's bridge, e.g. br0)");
	NET_ERR("bridge", n.cidr = "10.0.0.0/24",
	        "a bridge network uses the host bridge's own addresses: no cidr, "
	        "cidr6, dhcp range, hosts or domain");
	NET_ERR("bridge", n.dev = "eth0", "dev is only for nat and route networks");
	NET_ERR("isolated", n.dev = "eth0", "dev is only for nat and route networks");
	NET_ERR("open", n.dev = "eth0", "dev is only for nat and route networks");
	NET_ERR("nat", n.cidr = NULL,
	        "the network needs cidr, an IPv4 network like 192.168.100.0/24");
	NET_ERR("nat", n.cidr = "192.168.100.0", "cidr must be an IPv4 network like 192.168.100.0/24");
	NET_ERR("nat", n.cidr = "192.168.100.0/", "cidr must be an IPv4 network like 192.168.100.0/24");
	NET_ERR("nat", n.cidr = "192.168.300.0/24",
	        "cidr must be an IPv4 network like 192.168.100.0/24");
	NET_ERR("nat", n.cidr = "192.168.100.0/33",
	        "cidr must be an IPv4 network like 192.168.100.0/24");
	NET_ERR("nat", n.cidr = "192.168.100.0/31", "cidr's prefix must be between 1 and 30");
	NET_ERR("nat", n.cidr = "0.0.0.0/0", "cidr's prefix must be between 1 and 30");
	NET_ERR("nat", n.cidr = "192.168.100.255/24",
	        "cidr names the broadcast address, which the host cannot take");
	NET_ERR("nat", n.dhcp_start = "192.168.100.10", "a dhcp range needs both start and end");
	NET_ERR("nat", (n.dhcp_start = "192.168.100.10", n.dhcp_end = "x"),
	        "the dhcp range must be IPv4 addresses like 192.168.100.10");
	NET_ERR("nat", (n.dhcp_start = "192.168.100.10", n.dhcp_end = "192.168.101.20"),
	        "the dhcp range is not inside the network's cidr");
	NET_ERR("nat", (n.dhcp_start = "192.168.100.0", n.dhcp_end = "192.168.100.20"),
	        "the dhcp range is not inside the network's cidr");
	NET_ERR("nat", (n.dhcp_start = "192.168.100.10", n.dhcp_end = "192.168.100.255"),
	        "the dhcp range is not inside the network's cidr");
	NET_ERR("nat", (n.dhcp_start = "192.168.100.30", n.dhcp_end = "192.168.100.20"),
	        "the dhcp range starts after its end");
	NET_ERR("nat", (n.cidr = "10.0.0.0/8", n.dhcp_start = "10.0.255.2", n.dhcp_end = "10.1.0.1"),
	        "the dhcp range must lie within one /16 (its start and end sharing their first "
	        "two numbers), as libvirt wants");
	NET_ERR("nat", (n.dhcp_start = "192.168.100.1", n.dhcp_end = "192.168.100.20"),
	        "the dhcp range holds the host's address on the network");
	NET_ERR("nat", (n.dhcp = false, n.dhcp_start = "192.168.100.2",
	                n.dhcp_end = "192.168.100.20"),
	        "a dhcp range is given but dhcp is off");
	NET_ERR("nat", (n.dhcp = false, n.hosts = two_hosts, n.nhosts = 1),
	        "fixed hosts need dhcp");

#define HOST_ERR(change, msg)                                          \
	do {                                                           \
		const struct vmdef_pos *where_;                        \
		memcpy(bad, two_hosts, sizeof bad);                    \
		bad[1].pos.line = 7;                                   \
		n = net("nat");                                        \
		n.hosts = bad;                                         \
		n.nhosts = 2;                                          \
		change;                                                \
		assert_string_equal(netdef_check_at(&n, &where_), msg); \
		assert_non_null(where_);                               \
		assert_int_equal(where_->line, 7);                     \
	} while (0)
	HOST_ERR(bad[1].mac = NULL, "a fixed host needs mac, like 52:54:00:12:34:56 (lower case)");
	HOST_ERR(bad[1].mac = "52:54:00:00:00:0B",
	         "a fixed host needs mac, like 52:54:00:12:34:56 (lower case)");
	HOST_ERR(bad[1].mac = "52-54-00-00-00-0b",
	         "a fixed host needs mac, like 52:54:00:12:34:56 (lower case)");
	HOST_ERR(bad[1].ip = "web", "a fixed host needs ip, an IPv4 address like 192.168.100.10");
	HOST_ERR(bad[1].ip = "10.1.1.1", "a fixed host's ip is outside the network's cidr");
	HOST_ERR(bad[1].ip = "192.168.100.255",
	         "a fixed host's ip is the network's own or broadcast address");
	HOST_ERR(bad[1].ip = "192.168.100.1", "a fixed host's ip is the host's address on the network");
	HOST_ERR(bad[1].name = "a b",
	         "a fixed host's name must be a host name (letters, digits, '-', '.')");
	HOST_ERR(bad[1].mac = "52:54:00:00:00:0a", "two fixed hosts have the same mac");
	HOST_ERR(bad[1].ip = "192.168.100.10", "two fixed hosts have the same ip");
#undef HOST_ERR
#undef NET_ERR
}

static void
net_addresses(void **state)
{
	struct netdef n = net("nat");
	struct netdef_ipv4 a;

	(void)state;
	assert_int_equal(netdef_ipv4(&n, &a), 0);
	assert_string_equal(a.host_s, "192.168.100.1");
	assert_string_equal(a.mask_s, "255.255.255.0");
	assert_string_equal(a.start_s, "192.168.100.2");
	assert_string_equal(a.end_s, "192.168.100.254");
	n.cidr = "10.0.0.254/24"; /* the host at the top: the range below it */
	assert_int_equal(netdef_ipv4(&n, &a), 0);
	assert_string_equal(a.host_s, "10.0.0.254");
	assert_string_equal(a.start_s, "10.0.0.1");
	assert_string_equal(a.end_s, "10.0.0.253");
	assert_null(netdef_check(&n));
	n.cidr = "10.0.0.0/8"; /* within one /16 by default */
	assert_int_equal(netdef_ipv4(&n, &a), 0);
	assert_string_equal(a.start_s, "10.0.0.2");
	assert_string_equal(a.end_s, "10.0.255.255");
	assert_null(netdef_check(&n));
	n.cidr = "10.0.0.0/16";
	assert_int_equal(netdef_ipv4(&n, &a), 0);
	assert_string_equal(a.end_s, "10.0.255.254");
	n.cidr = "10.0.0.0/30";
	assert_int_equal(netdef_ipv4(&n, &a), 0);
	assert_string_equal(a.start_s, "10.0.0.2");
	assert_string_equal(a.end_s, "10.0.0.2");
	assert_true(resdef_ip_in("192.168.100.0/24", "192.168.100.77"));
	assert_false(resdef_ip_in("192.168.100.0/24", "192.168.101.77"));
	assert_false(resdef_ip_in("192.168.100.0/24", "nope"));
	assert_true(resdef_mac_ok("52:54:00:ab:cd:ef"));
	assert_false(resdef_mac_ok("52:54:00:ab:cd:e"));
}

static void
net_xml_nat(void **state)
{
	struct netdef n = net("nat");
	char *err, *xml;

	(void)state;
	n.domain = "lab";
	n.dev = "eth0";
	n.bridge = "vmtdef0";
	n.hosts = two_hosts;
	n.nhosts = 2;
	n.cidr6 = "fd00:1::/64";
	xml = netxml_make(&n, &err);
	assert_non_null(xml);
	assert_xp(xml, "string(/network/name)", "lab");
	assert_xp(xml, "string(/network/forward/@mode)", "nat");
	assert_xp(xml, "string(/network/forward/@dev)", "eth0");
	assert_xp(xml, "string(/network/bridge/@name)", "vmtdef0");
	assert_xp(xml, "string(/network/bridge/@stp)", "on");
	assert_xp(xml, "string(/network/domain/@name)", "lab");
	assert_xp(xml, "string(/network/ip[1]/@address)", "192.168.100.1");
	assert_xp(xml, "string(/network/ip[1]/@netmask)", "255.255.255.0");
	assert_xp(xml, "string(/network/ip[1]/dhcp/range/@start)", "192.168.100.2");
	assert_xp(xml, "string(/network/ip[1]/dhcp/range/@end)", "192.168.100.254");
	assert_xp(xml, "string(count(/network/ip[1]/dhcp/host))", "2");
	assert_xp(xml, "string(/network/ip[1]/dhcp/host[1]/@mac)", "52:54:00:00:00:0a");
	assert_xp(xml, "string(/network/ip[1]/dhcp/host[1]/@ip)", "192.168.100.10");
	assert_xp(xml, "string(/network/ip[1]/dhcp/host[1]/@name)", "web");
	assert_xp(xml, "string(count(/network/ip[1]/dhcp/host[2]/@name))", "0");
	assert_xp(xml, "string(/network/ip[2]/@family)", "ipv6");
	assert_xp(xml, "string(/network/ip[2]/@address)", "fd00:1::1");
	assert_xp(xml, "string(/network/ip[2]/@prefix)", "64");
	free(xml);
}

static void
net_xml_modes(void **state)
{
	struct netdef n;
	char *err, *xml;

	(void)state;
	n = net("route");
	n.dhcp_start = "192.168.100.100";
	n.dhcp_end = "192.168.100.199";
	xml = netxml_make(&n, &err);
	assert_xp(xml, "string(/network/forward/@mode)", "route");
	assert_xp(xml, "string(count(/network/bridge))", "0");
	assert_xp(xml, "string(/network/ip/dhcp/range/@start)", "192.168.100.100");
	assert_xp(xml, "string(/network/ip/dhcp/range/@end)", "192.168.100.199");
	free(xml);

	n = net("open");
	n.dhcp = false;
	xml = netxml_make(&n, &err);
	assert_xp(xml, "string(/network/forward/@mode)", "open");
	assert_xp(xml, "string(/network/ip/@address)", "192.168.100.1");
	assert_xp(xml, "string(count(/network/ip/dhcp))", "0");
	free(xml);

	n = net("isolated");
	xml = netxml_make(&n, &err);
	assert_xp(xml, "string(count(/network/forward))", "0");
	assert_xp(xml, "string(count(/network/ip/dhcp/range))", "1");
	free(xml);

	n = net("bridge");
	xml = netxml_make(&n, &err);
	assert_xp(xml, "string(/network/forward/@mode)", "bridge");
	assert_xp(xml, "string(/network/bridge/@name)", "br0");
	assert_xp(xml, "string(count(/network/bridge/@stp))", "0");
	assert_xp(xml, "string(count(/network/ip))", "0");
	free(xml);

	n = net("nat");
	n.cidr = "10.9.0.0/33";
	assert_null(netxml_make(&n, &err));
	assert_string_equal(err, "network lab: cidr must be an IPv4 network like 192.168.100.0/24.");
	free(err);

	n = net("nat");
	n.name = "<lab & 'co'>";
	xml = netxml_make(&n, &err);
	assert_xp(xml, "string(/network/name)", "<lab & 'co'>");
	free(xml);
}

static void
net_dhcp_host(void **state)
{
	char *s;

	(void)state;
	s = netxml_dhcp_host("52:54:00:00:00:0a", "192.168.100.10", "web");
	assert_string_equal(s, "<host mac=\"52:54:00:00:00:0a\" name=\"web\" ip=\"192.168.100.10\"/>");
	free(s);
	s = netxml_dhcp_host("52:54:00:00:00:0a", "192.168.100.10", NULL);
	assert_string_equal(s, "<host mac=\"52:54:00:00:00:0a\" ip=\"192.168.100.10\"/>");
	free(s);
	s = netxml_dhcp_host("52:54:00:00:00:0a", "192.168.100.10", "a'<b");
	assert_string_equal(s, "<host mac=\"52:54:00:00:00:0a\" name=\"a'&lt;b\" ip=\"192.168.100.10\"/>");
	free(s);
}

/* As `virsh net-dumpxml` prints a NAT network with two fixed hosts. */
static const char nat_dump[] =
	"<network>\n"
	"  <name>lab</name>\n"
	"  <uuid>3e5b4c8f-2d3a-4a8e-9d1b-6b2f3c4d5e6f</uuid>\n"
	"  <forward mode='nat'>\n"
	"    <nat>\n"
	"      <port start='1024' end='65535'/>\n"
	"    </nat>\n"
	"  </forward>\n"
	"  <bridge name='virbr1' stp='on' delay='0'/>\n"
	"  <mac address='52:54:00:9a:3c:11'/>\n"
	"  <domain name='lab' localOnly='yes'/>\n"
	"  <ip address='192.168.122.1' netmask='255.255.255.0'>\n"
	"    <dhcp>\n"
	"      <range start='192.168.122.2' end='192.168.122.254'/>\n"
	"      <host mac='52:54:00:AA:00:01' name='web' ip='192.168.122.10'/>\n"
	"      <host mac='52:54:00:aa:00:02' ip='192.168.122.11'/>\n"
	"    </dhcp>\n"
	"  </ip>\n"
	"  <ip family='ipv6' address='fd00:7::1' prefix='64'>\n"
	"  </ip>\n"
	"</network>\n";

static void
net_read_nat(void **state)
{
	struct netdef n = { 0 };
	char *err;

	(void)state;
	assert_int_equal(netxml_read(nat_dump, &n, &err), 0);
	assert_string_equal(n.name, "lab");
	assert_string_equal(n.forward, "nat");
	assert_null(n.dev);
	assert_string_equal(n.bridge, "virbr1");
	assert_string_equal(n.cidr, "192.168.122.0/24");
	assert_true(n.dhcp);
	assert_null(n.dhcp_start); /* the default range */
	assert_null(n.dhcp_end);
	assert_string_equal(n.domain, "lab");
	assert_string_equal(n.cidr6, "fd00:7::1/64");
	assert_int_equal(n.nhosts, 2);
	assert_string_equal(n.hosts[0].mac, "52:54:00:aa:00:01");
	assert_string_equal(n.hosts[0].ip, "192.168.122.10");
	assert_string_equal(n.hosts[0].name, "web");
	assert_null(n.hosts[1].name);
	assert_false(n.start);
	assert_false(n.autostart);
	netdef_free(&n);
	netdef_free(NULL);
}

static void
net_read_others(void **state)
{
	struct netdef n = { 0 };
	char *err;

	(void)state;
	assert_int_equal(netxml_read("<network><name>iso</name>"
	                             "<ip address='10.5.0.254' prefix='24'>"
	                             "<dhcp><range start='10.5.0.100' end='10.5.0.200'/></dhcp>"
	                             "</ip></network>", &n, &err), 0);
	assert_string_equal(n.forward, "isolated");
	assert_string_equal(n.cidr, "10.5.0.254/24");
	assert_string_equal(n.dhcp_start, "10.5.0.100");
	assert_string_equal(n.dhcp_end, "10.5.0.200");
	netdef_free(&n);

	/* a prefix with a leading zero reads as the number it is, as the
	 * netmask it is written back with says (the fuzzer's find) */
	assert_int_equal(netxml_read("<network><name>z</name>"
	                             "<ip address='193.168.122.1' prefix='07'/></network>", &n, &err), 0);
	assert_string_equal(n.cidr, "193.168.122.1/7");
	netdef_free(&n);

	assert_int_equal(netxml_read("<network><name>host</name><forward mode='bridge'/>"
	                             "<bridge name='br0'/></network>", &n, &err), 0);
	assert_string_equal(n.forward, "bridge");
	assert_string_equal(n.bridge, "br0");
	assert_false(n.dhcp);
	netdef_free(&n);

	assert_int_equal(netxml_read("<network><name>r</name><forward dev='eth1'/>"
	                             "<ip address='10.6.0.1' netmask='255.255.0.0'/></network>",
	                             &n, &err), 0);
	assert_string_equal(n.forward, "nat");
	assert_string_equal(n.dev, "eth1");
	assert_string_equal(n.cidr, "10.6.0.0/16");
	assert_false(n.dhcp);
	netdef_free(&n);
}

static void
net_read_refuses(void **state)
{
	struct netdef n = { 0 };
	char *err;

	(void)state;
	assert_int_equal(netxml_read("<pool/>", &n, &err), -1);
	assert_string_equal(err, "This is not a network's XML.");
	free(err);
	netdef_free(&n);
	assert_int_equal(netxml_read("<network><name>p</name><forward mode='passthrough'/>"
	                             "</network>", &n, &err), -1);
	assert_string_equal(err, "Network p forwards in mode passthrough, which vmtui.yaml "
	                         "cannot describe (it knows nat, route, open, bridge and none).");
	free(err);
	netdef_free(&n);
	assert_int_equal(netxml_read("<network><name>two</name><ip address='10.0.0.1' prefix='24'/>"
	                             "<ip address='10.1.0.1' prefix='24'/></network>", &n, &err), -1);
	assert_string_equal(err, "Network two has several IPv4 networks, which vmtui.yaml "
	                         "cannot describe.");
	free(err);
	netdef_free(&n);
	assert_int_equal(netxml_read("<network><name>r2</name><ip address='10.0.0.1' prefix='24'>"
	                             "<dhcp><range start='10.0.0.2' end='10.0.0.9'/>"
	                             "<range start='10.0.0.20' end='10.0.0.29'/></dhcp></ip>"
	                             "</network>", &n, &err), -1);
	assert_string_equal(err, "Network r2 has several DHCP ranges, which vmtui.yaml "
	                         "cannot describe.");
	free(err);
	netdef_free(&n);
	/* Empty attributes of a fixed host: read as missing, then refused. */
	assert_int_equal(netxml_read("<network><name>e</name><ip address='10.0.0.1' prefix='24'>"
	                             "<dhcp><host mac='' ip=''/></dhcp></ip></network>", &n, &err),
	                 -1);
	assert_string_equal(err, "Network e cannot be described: a fixed host needs mac, like "
	                         "52:54:00:12:34:56 (lower case).");
	free(err);
	netdef_free(&n);
	assert_int_equal(netxml_read("<network><name>bare</name></network>", &n, &err), -1);
	assert_string_equal(err, "Network bare cannot be described: the network needs cidr, "
	                         "an IPv4 network like 192.168.100.0/24.");
	free(err);
	netdef_free(&n);
}

/* Every forward mode made into XML and read back is the same network. */
static void
net_round_trip(void **state)
{
	const char *const *f;

	(void)state;
	for (f = netdef_forwards; *f; f++) {
		struct netdef n = net(*f), back = { 0 };
		char *err, *xml;
		size_t i;

		if (strcmp(*f, "bridge") != 0) {
			n.hosts = two_hosts;
			n.nhosts = 2;
			n.domain = "lab";
		}
		xml = netxml_make(&n, &err);
		assert_non_null(xml);
		assert_int_equal(netxml_read(xml, &back, &err), 0);
		assert_string_equal(back.forward, n.forward);
		assert_int_equal(back.dhcp, n.dhcp);
		assert_int_equal(back.nhosts, n.nhosts);
		for (i = 0; i < n.nhosts; i++)
			assert_string_equal(back.hosts[i].ip, n.hosts[i].ip);
		if (n.cidr)
			assert_string_equal(back.cidr, n.cidr);
		free(xml);
		netdef_free(&back);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pool_types_pass),
		cmocka_unit_test(pool_check_errors),
		cmocka_unit_test(pool_xml_dir),
		cmocka_unit_test(pool_xml_source_types),
		cmocka_unit_test(pool_xml_escapes_and_refuses),
		cmocka_unit_test(pool_read),
		cmocka_unit_test(pool_read_refuses),
		cmocka_unit_test(pool_round_trip),
		cmocka_unit_test(net_forwards_pass),
		cmocka_unit_test(net_check_errors),
		cmocka_unit_test(net_addresses),
		cmocka_unit_test(net_xml_nat),
		cmocka_unit_test(net_xml_modes),
		cmocka_unit_test(net_dhcp_host),
		cmocka_unit_test(net_read_nat),
		cmocka_unit_test(net_read_others),
		cmocka_unit_test(net_read_refuses),
		cmocka_unit_test(net_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
