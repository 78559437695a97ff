/* test_network.c — model/net/network.h's pure parts: a network's XML read
 * (forward modes, addresses, DHCP range, pins), MAC and address checks
 * for pinning, lease expiry text, and leases matched to guests and pins. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "model/defs/domxml.h"
#include "model/net/network.h"

#define NAT_XML                                                                         \
	"<network><name>lab</name><forward mode='nat' dev='eth0'/>"                     \
	"<bridge name='vmtnet0' stp='on'/>"                                             \
	"<ip address='192.168.210.1' netmask='255.255.255.0'>"                          \
	"<dhcp><range start='192.168.210.100' end='192.168.210.200'/>"                  \
	"<host mac='52:54:00:AA:BB:01' ip='192.168.210.10' name='web'/>"                \
	"<host mac='52:54:00:aa:bb:02' ip='192.168.210.11'/></dhcp></ip>"               \
	"<ip family='ipv6' address='fd00:210::1' prefix='64'/></network>"

static void
reads_nat(void **state)
{
	struct net_info n = { 0 };
	char b[64];

	(void)state;
	assert_int_equal(net_xml_parse(NAT_XML, &n), 0);
	assert_string_equal(n.forward, "nat");
	assert_string_equal(n.dev, "eth0");
	assert_string_equal(net_forward_label(&n, b, sizeof b), "nat via eth0");
	assert_string_equal(n.bridge, "vmtnet0");
	assert_string_equal(n.ipv4, "192.168.210.1/24");
	assert_string_equal(n.ipv6, "fd00:210::1/64");
	assert_string_equal(n.dhcp_start, "192.168.210.100");
	assert_string_equal(n.dhcp_end, "192.168.210.200");
	assert_int_equal(n.npins, 2);
	assert_string_equal(n.pins[0].mac, "52:54:00:aa:bb:01"); /* lower case */
	assert_string_equal(n.pins[0].name, "web");
	assert_null(n.pins[1].name);
	assert_string_equal(net_pin_of(&n, "52:54:00:AA:BB:02")->ip, "192.168.210.11");
	assert_null(net_pin_of(&n, "52:54:00:aa:bb:03"));
	net_info_clear(&n);
}

static void
reads_modes(void **state)
{
	struct net_info n = { 0 };

	(void)state;
	assert_int_equal(net_xml_parse("<network><name>i</name><bridge name='b'/>"
	                               "<ip address='10.0.0.1' prefix='24'/></network>", &n), 0);
	assert_string_equal(n.forward, "isolated");
	assert_null(n.dhcp_start);
	assert_null(n.ipv6);
	net_info_clear(&n);
	assert_int_equal(net_xml_parse("<network><name>o</name><forward/></network>", &n), 0);
	assert_string_equal(n.forward, "nat"); /* libvirt's default mode */
	assert_null(n.ipv4);
	net_info_clear(&n);
	assert_int_equal(net_xml_parse("<network><name>h</name><forward mode='bridge'/>"
	                               "<bridge name='br0'/></network>", &n), 0);
	assert_string_equal(n.forward, "bridge");
	assert_string_equal(n.bridge, "br0");
	net_info_clear(&n);
	assert_int_equal(net_xml_parse("<domain/>", &n), -1);
	assert_int_equal(net_xml_parse("not xml", &n), -1);
	net_info_clear(&n);
}

static void
macs(void **state)
{
	char *m;

	(void)state;
	m = net_mac_norm("52:54:00:AB:cd:EF");
	assert_string_equal(m, "52:54:00:ab:cd:ef");
	free(m);
	assert_null(net_mac_norm("52:54:00:ab:cd"));
	assert_null(net_mac_norm("52-54-00-ab-cd-ef"));
	assert_null(net_mac_norm("52:54:00:ab:cd:eg"));
	assert_null(net_mac_norm(NULL));
}

static void
ip_in_range(void **state)
{
	(void)state;
	assert_true(net_ip_in("192.168.210.1/24", "192.168.210.10"));
	assert_true(net_ip_in("192.168.210.1/24", "192.168.210.254"));
	assert_false(net_ip_in("192.168.210.1/24", "192.168.210.255")); /* broadcast */
	assert_false(net_ip_in("192.168.210.1/24", "192.168.210.0"));   /* the network */
	assert_false(net_ip_in("192.168.210.1/24", "192.168.211.10"));
	assert_true(net_ip_in("10.1.0.1/16", "10.1.200.3"));
	assert_false(net_ip_in("10.1.0.1/16", "10.2.0.3"));
	assert_false(net_ip_in("192.168.210.1/24", "192.168.210.300"));
	assert_false(net_ip_in("192.168.210.1", "192.168.210.3"));     /* no prefix */
	assert_false(net_ip_in("192.168.210.1/33", "192.168.210.3"));
	assert_true(net_ip_in("192.168.210.1/31", "192.168.210.0"));
}

/* The check's sentence contains want, or is NULL when want is. */
static void
check_says(const struct net_info *n, const char *mac, const char *ip, const char *want)
{
	char *why = net_pin_check(n, mac, ip);

	if (want == NULL) {
		if (why)
			fail_msg("unexpected refusal: %s", why);
		return;
	}
	assert_non_null(why);
	if (strstr(why, want) == NULL)
		fail_msg("\"%s\" does not say \"%s\"", why, want);
	free(why);
}

static void
pin_checks(void **state)
{
	struct net_info n = { 0 };

	(void)state;
	assert_int_equal(net_xml_parse(NAT_XML, &n), 0);
	n.name = strdup("lab");
	check_says(&n, "52:54:00:aa:bb:09", "192.168.210.50", NULL);
	check_says(&n, "52:54:00:AA:BB:01", "192.168.210.10", NULL); /* its own pin again */
	check_says(&n, "52:54:00:aa:bb:01", "192.168.210.12", NULL); /* moved */
	check_says(&n, "52:54:00:aa:bb:09", "192.168.210.10",
	           "is pinned to 52:54:00:aa:bb:01 (web) already");
	check_says(&n, "52:54:00:aa:bb:09", "192.168.99.10",
	           "192.168.99.10 is outside network lab (192.168.210.1/24)");
	check_says(&n, "52:54:00:aa:bb:09", "192.168.210.255", "is outside network lab");
	check_says(&n, "52:54:00:aa:bb:09", "192.168.210.1", "the host's own address");
	check_says(&n, "zz", "192.168.210.50", "\"zz\" is not a MAC address");
	check_says(&n, "52:54:00:aa:bb:09", "fd00::5", "\"fd00::5\" is not an IPv4 address");
	free(n.dhcp_start);
	n.dhcp_start = NULL;
	check_says(&n, "52:54:00:aa:bb:09", "192.168.210.50", "runs no DHCP server");
	free(n.ipv4);
	n.ipv4 = NULL;
	check_says(&n, "52:54:00:aa:bb:09", "192.168.210.50", "has no IPv4 network");
	net_info_clear(&n);
}

static void
hostnames(void **state)
{
	(void)state;
	assert_true(net_hostname_ok("web-1"));
	assert_true(net_hostname_ok("vmtuitest-net-guest"));
	assert_false(net_hostname_ok("web_1"));
	assert_false(net_hostname_ok("web.example"));
	assert_false(net_hostname_ok("-web"));
	assert_false(net_hostname_ok(""));
	assert_false(net_hostname_ok(NULL));
	assert_false(net_hostname_ok("a'b"));
}

static void
expiry(void **state)
{
	char b[32];

	(void)state;
	net_fmt_expiry(b, sizeof b, 1000 + 3598, 1000);
	assert_string_equal(b, "in 59m 58s");
	net_fmt_expiry(b, sizeof b, 1000 + 3 * 3600 + 120, 1000);
	assert_string_equal(b, "in 3h 02m");
	net_fmt_expiry(b, sizeof b, 1000 + 2 * 86400 + 7200, 1000);
	assert_string_equal(b, "in 2d 02h");
	net_fmt_expiry(b, sizeof b, 999, 1000);
	assert_string_equal(b, "expired");
	net_fmt_expiry(b, sizeof b, 0, 1000);
	assert_string_equal(b, "never");
	net_fmt_expiry(b, sizeof b, -1, 1000);
	assert_string_equal(b, "-");
}

#define GUEST(name, mac)                                                                \
	"<domain type='qemu'><name>" name "</name><devices>"                            \
	"<interface type='network'><mac address='" mac "'/>"                            \
	"<source network='lab'/></interface></devices></domain>"

static void
add_lease(struct net_leases *l, const char *mac, const char *ip, const char *host)
{
	l->v = realloc(l->v, (l->n + 1) * sizeof *l->v);
	memset(&l->v[l->n], 0, sizeof l->v[l->n]);
	l->v[l->n].mac = strdup(mac);
	l->v[l->n].ip = strdup(ip);
	l->v[l->n].prefix = 24;
	l->v[l->n].hostname = host ? strdup(host) : NULL;
	l->v[l->n].expiry = 5000;
	l->n++;
}

static void
leases_matched(void **state)
{
	struct net_leases l = { 0 };
	struct guest_uses g = { 0 };

	(void)state;
	g.n = 2;
	g.v = calloc(2, sizeof *g.v);
	assert_int_equal(guest_use_add_xml(&g.v[0], GUEST("db", "52:54:00:AA:BB:02")), 0);
	assert_int_equal(guest_use_add_xml(&g.v[1], GUEST("web", "52:54:00:aa:bb:01")), 0);
	assert_int_equal(net_xml_parse(NAT_XML, &l.info), 0);
	add_lease(&l, "52:54:00:aa:bb:05", "192.168.210.150", NULL);
	add_lease(&l, "52:54:00:aa:bb:01", "192.168.210.10", "web");
	net_leases_match(&l, &g);
	/* The leases by address, then bb:02's pin, which has no lease. */
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0].ip, "192.168.210.10");
	assert_string_equal(l.v[0].guest, "web");
	assert_string_equal(l.v[0].pin_ip, "192.168.210.10");
	assert_string_equal(l.v[0].pin_name, "web");
	assert_string_equal(l.v[1].ip, "192.168.210.11");
	assert_string_equal(l.v[1].mac, "52:54:00:aa:bb:02");
	assert_string_equal(l.v[1].guest, "db"); /* MACs match in any case */
	assert_int_equal(l.v[1].expiry, -1);
	assert_string_equal(l.v[1].pin_ip, "192.168.210.11");
	assert_string_equal(l.v[2].ip, "192.168.210.150");
	assert_null(l.v[2].guest);
	assert_null(l.v[2].pin_ip);
	/* Matching again (a new read of the guests) keeps one row per MAC. */
	net_leases_match(&l, NULL);
	assert_int_equal(l.n, 3);
	assert_null(l.v[0].guest);
	net_leases_free(&l);
	guest_uses_free(&g);
}

/* The detail view's pinned address of a NIC, from its network's XML. */
static void
detail_pinned(void **state)
{
	char *ip;

	(void)state;
	ip = domxml_net_pinned(NAT_XML, "52:54:00:aa:bb:01");
	assert_string_equal(ip, "192.168.210.10");
	free(ip);
	ip = domxml_net_pinned(NAT_XML, "52:54:00:AA:BB:02");
	assert_string_equal(ip, "192.168.210.11");
	free(ip);
	assert_null(domxml_net_pinned(NAT_XML, "52:54:00:aa:bb:03"));
	assert_null(domxml_net_pinned("<network/>", "52:54:00:aa:bb:01"));
	assert_null(domxml_net_pinned("junk", "52:54:00:aa:bb:01"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_nat),
		cmocka_unit_test(reads_modes),
		cmocka_unit_test(macs),
		cmocka_unit_test(ip_in_range),
		cmocka_unit_test(pin_checks),
		cmocka_unit_test(hostnames),
		cmocka_unit_test(expiry),
		cmocka_unit_test(leases_matched),
		cmocka_unit_test(detail_pinned),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
