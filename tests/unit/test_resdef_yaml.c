/* test_resdef_yaml.c — storage pools and networks in VM definition files
 * (config/vmdef.h, vmtui.yaml(5)): kcli's plan entries, the native list
 * and mapping forms, their defaults, and every error with its line:col. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/resdef.h"
#include "config/vmdef.h"

static int
parse(struct vmdef_file *f, const char *text, struct config_errors *e)
{
	return vmdef_parse(f, "t.yaml", NULL, text, strlen(text), e);
}

static void
parse_ok(struct vmdef_file *f, const char *text)
{
	struct config_errors e = { 0 };

	memset(f, 0, sizeof *f);
	if (parse(f, text, &e) != 0)
		fail_msg("unexpected error: %s", e.n ? e.v[0] : "(none)");
	config_errors_free(&e);
}

/* text fails with exactly the errors of want (NULL-ended), in order. */
static void
parse_errs(const char *text, const char *const *want)
{
	struct vmdef_file f = { 0 };
	struct config_errors e = { 0 };
	size_t i, n = 0;

	while (want[n])
		n++;
	assert_int_equal(parse(&f, text, &e), -1);
	for (i = 0; i < e.n && i < n; i++)
		assert_string_equal(e.v[i], want[i]);
	if (e.n != n)
		fail_msg("%zu errors, wanted %zu; first: %s", e.n, n, e.n ? e.v[0] : "(none)");
	config_errors_free(&e);
	vmdef_file_free(&f);
}

static void
parse_err1(const char *text, const char *want)
{
	const char *const w[] = { want, NULL };

	parse_errs(text, w);
}

/* kcli's plan entries mean what they mean in kcli, next to a VM that
 * uses them. */
static void
kcli_plan(void **state)
{
	struct vmdef_file f;

	(void)state;
	parse_ok(&f, "images:\n"
	             "  type: pool\n"
	             "  path: /var/lib/libvirt/images\n"
	             "lab:\n"
	             "  type: network\n"
	             "  cidr: 192.168.122.0/24\n"
	             "  dhcp: true\n"
	             "  nat: true\n"
	             "  domain: lab\n"
	             "closed: {type: network, cidr: 10.9.0.0/24, nat: false, dhcp: false}\n"
	             "web:\n"
	             "  memory: 1G\n"
	             "  pool: images\n"
	             "  disks: [10]\n"
	             "  nets: [lab]\n");
	assert_int_equal(f.nvms, 1);
	assert_string_equal(f.vms[0].disks[0].pool, "images");
	assert_int_equal(f.npools, 1);
	assert_string_equal(f.pools[0].name, "images");
	assert_string_equal(f.pools[0].type, "dir");
	assert_string_equal(f.pools[0].path, "/var/lib/libvirt/images");
	assert_true(f.pools[0].build);
	assert_true(f.pools[0].start);
	assert_true(f.pools[0].autostart);
	assert_int_equal(f.pools[0].pos.line, 1);
	assert_int_equal(f.pools[0].pos.col, 1);
	assert_int_equal(f.nnets, 2);
	assert_string_equal(f.nets[0].name, "lab");
	assert_string_equal(f.nets[0].forward, "nat");
	assert_string_equal(f.nets[0].cidr, "192.168.122.0/24");
	assert_true(f.nets[0].dhcp);
	assert_null(f.nets[0].dhcp_start);
	assert_string_equal(f.nets[0].domain, "lab");
	assert_true(f.nets[0].start);
	assert_true(f.nets[0].autostart);
	assert_int_equal(f.nets[0].pos.line, 4);
	assert_string_equal(f.nets[1].forward, "isolated");
	assert_false(f.nets[1].dhcp);
	vmdef_file_free(&f);
}

/* The native form: every field, in a list. */
static void
native_list(void **state)
{
	struct vmdef_file f;
	const struct netdef *n;
	const struct pooldef *p;

	(void)state;
	parse_ok(&f, "- name: nfs\n"
	             "  type: pool\n"
	             "  pooltype: netfs\n"
	             "  path: /var/lib/vmtui/nfs\n"
	             "  source_host: nas.lab\n"
	             "  source_dir: /srv/images\n"
	             "  source_format: nfs\n"
	             "  build: true\n"
	             "  start: false\n"
	             "  autostart: false\n"
	             "- name: vg\n"
	             "  type: pool\n"
	             "  pool_type: logical\n"
	             "  source_device: /dev/sdb\n"
	             "  source_name: vg0\n"
	             "- name: lab\n"
	             "  type: network\n"
	             "  forward: route\n"
	             "  bridge: vmtdef9\n"
	             "  dev: eth0\n"
	             "  cidr: 192.168.100.0/24\n"
	             "  dhcp: {start: 192.168.100.100, end: 192.168.100.199}\n"
	             "  cidr6: fd00:1::/64\n"
	             "  domain: lab.example\n"
	             "  hosts:\n"
	             "    - {mac: \"52:54:00:AA:00:01\", ip: 192.168.100.10, name: web}\n"
	             "    - mac: \"52:54:00:aa:00:02\"\n"
	             "      ip: 192.168.100.11\n"
	             "  start: false\n"
	             "  autostart: false\n"
	             "- name: hostbr\n"
	             "  type: network\n"
	             "  forward: bridge\n"
	             "  bridge: br0\n");
	assert_int_equal(f.nvms, 0);
	assert_int_equal(f.npools, 2);
	p = &f.pools[0];
	assert_string_equal(p->type, "netfs");
	assert_string_equal(p->source_host, "nas.lab");
	assert_string_equal(p->source_dir, "/srv/images");
	assert_string_equal(p->source_format, "nfs");
	assert_true(p->build);
	assert_false(p->start);
	assert_false(p->autostart);
	p = &f.pools[1];
	assert_string_equal(p->type, "logical");
	assert_null(p->path);
	assert_string_equal(p->source_device, "/dev/sdb");
	assert_string_equal(p->source_name, "vg0");
	assert_false(p->build); /* only dir pools are built by default */
	assert_int_equal(p->pos.line, 11);
	assert_int_equal(p->pos.col, 3);
	assert_int_equal(f.nnets, 2);
	n = &f.nets[0];
	assert_string_equal(n->forward, "route");
	assert_string_equal(n->bridge, "vmtdef9");
	assert_string_equal(n->dev, "eth0");
	assert_true(n->dhcp);
	assert_string_equal(n->dhcp_start, "192.168.100.100");
	assert_string_equal(n->dhcp_end, "192.168.100.199");
	assert_string_equal(n->cidr6, "fd00:1::/64");
	assert_string_equal(n->domain, "lab.example");
	assert_int_equal(n->nhosts, 2);
	assert_string_equal(n->hosts[0].mac, "52:54:00:aa:00:01");
	assert_string_equal(n->hosts[0].name, "web");
	assert_int_equal(n->hosts[0].pos.line, 26);
	assert_int_equal(n->hosts[0].pos.col, 7);
	assert_null(n->hosts[1].name);
	assert_false(n->start);
	assert_false(n->autostart);
	n = &f.nets[1];
	assert_string_equal(n->forward, "bridge");
	assert_false(n->dhcp);
	assert_null(netdef_check(n));
	vmdef_file_free(&f);
}

/* A file that is one pool or one network; and several files into one. */
static void
single_and_files(void **state)
{
	struct vmdef_file f;
	struct config_errors e = { 0 };

	(void)state;
	parse_ok(&f, "name: images\ntype: pool\npath: /srv/images\n");
	assert_int_equal(f.npools, 1);
	assert_int_equal(f.nvms, 0);
	static const char u[] = "name: lab\ntype: network\ncidr: 10.0.0.0/24\n";
	static const char v[] = "images: {type: pool, path: /x}\n"
	                        "lab: {type: network, cidr: 10.1.0.0/24}\n";

	assert_int_equal(vmdef_parse(&f, "u.yaml", NULL, u, strlen(u), &e), 0);
	assert_int_equal(f.nnets, 1);
	/* The same names again in another file: duplicates. */
	assert_int_equal(vmdef_parse(&f, "v.yaml", NULL, v, strlen(v), &e), -1);
	assert_int_equal(e.n, 2);
	assert_string_equal(e.v[0], "v.yaml:1:1: duplicate pool name \"images\" "
	                            "(first at t.yaml:1:1)");
	assert_string_equal(e.v[1], "v.yaml:2:1: duplicate network name \"lab\" "
	                            "(first at u.yaml:1:1)");
	config_errors_free(&e);
	vmdef_file_free(&f);
	/* A pool, a network and a VM may share a name. */
	parse_ok(&f, "- {name: lab, type: pool, path: /srv/lab}\n"
	             "- {name: lab, type: network, cidr: 10.0.0.0/24}\n"
	             "- {name: lab, memory: 1G}\n");
	assert_int_equal(f.npools + f.nnets + f.nvms, 3);
	vmdef_file_free(&f);
}

/* Unknown keys and values of the wrong type, at the key or value. */
static void
errors_keys_and_types(void **state)
{
	(void)state;
	parse_err1("p: {type: pool, path: /x, colour: red}\n",
	           "t.yaml:1:27: unknown key \"colour\" for a storage pool (known: name, type, "
	           "pooltype, pool_type, path, source_host, source_dir, source_device, "
	           "source_name, source_format, build, start, autostart)");
	parse_err1("p: {type: pool, path: /x, autostrat: true}\n",
	           "t.yaml:1:27: unknown key \"autostrat\" (did you mean \"autostart\"?)");
	parse_err1("n: {type: network, cidr: 10.0.0.0/24, gateway: 10.0.0.1}\n",
	           "t.yaml:1:39: unknown key \"gateway\" for a network (known: name, type, "
	           "forward, nat, bridge, dev, cidr, dhcp, cidr6, domain, hosts, start, "
	           "autostart)");
	parse_err1("n: {type: network, cidr: 10.0.0.0/24, dhcp: {start: 10.0.0.5, end: 10.0.0.9, "
	           "lease: 1h}}\n",
	           "t.yaml:1:78: unknown key \"lease\" for dhcp (known: start, end)");
	parse_err1("n: {type: network, cidr: 10.0.0.0/24, hosts: [{mac: \"52:54:00:00:00:01\", "
	           "ip: 10.0.0.5, host: a}]}\n",
	           "t.yaml:1:88: unknown key \"host\" for a fixed host (known: mac, ip, name)");
	parse_err1("p: {type: pool, path: {a: b}}\n",
	           "t.yaml:1:23: path: expected an absolute path on the host, not a mapping");
	parse_err1("p: {type: pool, path: images}\n",
	           "t.yaml:1:23: path: expected an absolute path on the host, not \"images\"");
	parse_err1("p: {type: pool, path: /x, build: maybe}\n",
	           "t.yaml:1:34: build: expected true or false, not \"maybe\"");
	parse_err1("p: {type: pool, pooltype: rbd, path: /x}\n",
	           "t.yaml:1:27: pooltype: \"rbd\" is not one of dir, fs, netfs, logical, disk, "
	           "iscsi");
	parse_err1("n: {type: network, forward: vepa, cidr: 10.0.0.0/24}\n",
	           "t.yaml:1:29: forward: \"vepa\" is not one of nat, route, open, isolated, "
	           "bridge");
	parse_err1("n: {type: network, nat: true, forward: route, cidr: 10.0.0.0/24}\n",
	           "t.yaml:1:20: nat: cannot be combined with forward (line 1)");
	parse_err1("n: {type: network, cidr: [10.0.0.0/24]}\n",
	           "t.yaml:1:26: cidr: expected an IPv4 network like 192.168.100.0/24, not a list");
	parse_err1("n: {type: network, cidr: 10.0.0.0/24, dhcp: [a]}\n",
	           "t.yaml:1:45: dhcp: expected true, false or a mapping with start and end, "
	           "not a list");
	parse_err1("n: {type: network, cidr: 10.0.0.0/24, dhcp: sometimes}\n",
	           "t.yaml:1:45: dhcp: expected true or false, not \"sometimes\"");
	parse_err1("n: {type: network, cidr: 10.0.0.0/24, hosts: web}\n",
	           "t.yaml:1:46: hosts: expected a list of fixed hosts {mac, ip, name}, not a "
	           "single value");
	parse_err1("n: {type: network, cidr: 10.0.0.0/24, hosts: [web]}\n",
	           "t.yaml:1:47: hosts: expected a mapping with mac and ip, not a single value");
	parse_err1("n: {type: network, cidr: 10.0.0.0/24, hosts: [{ip: 10.0.0.5}]}\n",
	           "t.yaml:1:47: a fixed host needs mac");
	parse_err1("n: {type: network, cidr: 10.0.0.0/24, hosts: [{mac: \"52:54:00:00:00:01\"}]}\n",
	           "t.yaml:1:47: a fixed host needs ip");
	parse_err1("n: {type: network, cidr: 10.0.0.0/24, hosts: [{mac: \"52:54:00\", "
	           "ip: 10.0.0.5}]}\n",
	           "t.yaml:1:53: mac: \"52:54:00\" is not a MAC address like 52:54:00:12:34:56");
	parse_err1("n: {type: network, cidr: 10.0.0.0/24, hosts: [{mac: \"52:54:00:00:00:01\", "
	           "ip: 10.0.0.5, name: \"a b\"}]}\n",
	           "t.yaml:1:94: hostname: \"a b\" is not a host name (letters, digits, - and .)");
}

/* Names: given or from the plan key, valid, unique per kind. */
static void
errors_names(void **state)
{
	(void)state;
	parse_err1("- {type: pool, path: /x}\n",
	           "t.yaml:1:3: missing key \"name\" (every pool needs one)");
	parse_err1("- {type: network, cidr: 10.0.0.0/24}\n",
	           "t.yaml:1:3: missing key \"name\" (every network needs one)");
	parse_err1("p: {name: q, type: pool, path: /x}\n",
	           "t.yaml:1:11: name: \"q\" differs from the key \"p\" it is under");
	parse_err1("- {name: \"my pool\", type: pool, path: /x}\n",
	           "t.yaml:1:10: name: \"my pool\" may only hold letters, digits and - _ . +");
	parse_err1("- {name: a, type: pool, path: /x}\n- {name: a, type: pool, path: /y}\n",
	           "t.yaml:2:10: duplicate pool name \"a\" (first at t.yaml:1:3)");
	parse_err1("a: {type: network, cidr: 10.0.0.0/24}\n"
	           "a: {type: network, cidr: 10.1.0.0/24}\n",
	           "t.yaml:2:1: duplicate network name \"a\" (first at t.yaml:1:1)");
}

/* What pooldef_check and netdef_check find, at the key they are about,
 * else where the entry starts; a fixed host's at the host. */
static void
errors_checks(void **state)
{
	(void)state;
	parse_err1("p: {type: pool}\n", "t.yaml:1:1: pool \"p\": a dir pool needs path");
	parse_err1("p:\n  type: pool\n  pooltype: netfs\n  path: /mnt/nfs\n"
	           "  source_dir: /srv\n",
	           "t.yaml:1:1: pool \"p\": a netfs pool needs source_host");
	parse_err1("p: {type: pool, pooltype: fs, path: /mnt/x}\n",
	           "t.yaml:1:1: pool \"p\": an fs pool needs source_device");
	parse_err1("p: {type: pool, pooltype: iscsi, source_host: nas}\n",
	           "t.yaml:1:1: pool \"p\": an iscsi pool needs source_dir (the target's IQN)");
	parse_err1("p: {type: pool, path: /x, source_host: nas}\n",
	           "t.yaml:1:40: pool \"p\": source_host is only for netfs and iscsi pools");
	parse_err1("p: {type: pool, pooltype: netfs, path: /x, source_host: nas, "
	           "source_dir: /srv, source_format: ext4}\n",
	           "t.yaml:1:95: pool \"p\": a netfs pool's source_format is nfs, glusterfs or "
	           "cifs");
	parse_err1("n: {type: network}\n",
	           "t.yaml:1:1: network \"n\": the network needs cidr, an IPv4 network like "
	           "192.168.100.0/24");
	parse_err1("n: {type: network, cidr: 10.0.0.0/33}\n",
	           "t.yaml:1:26: network \"n\": cidr must be an IPv4 network like "
	           "192.168.100.0/24");
	parse_err1("n: {type: network, cidr: 10.0.0.300/24}\n",
	           "t.yaml:1:26: network \"n\": cidr must be an IPv4 network like "
	           "192.168.100.0/24");
	parse_err1("n: {type: network, cidr: 10.0.0.0/31}\n",
	           "t.yaml:1:26: network \"n\": cidr's prefix must be between 1 and 30");
	parse_err1("n: {type: network, cidr: 10.0.0.0/24, cidr6: fd00::/200}\n",
	           "t.yaml:1:46: network \"n\": cidr6 must be an IPv6 network like fd00:1::/64");
	parse_err1("n: {type: network, cidr: 10.0.0.0/24, dhcp: {start: 10.0.1.5, end: 10.0.1.9}}\n",
	           "t.yaml:1:45: network \"n\": the dhcp range is not inside the network's cidr");
	parse_err1("n: {type: network, cidr: 10.0.0.0/24, dhcp: {start: 10.0.0.9, end: 10.0.0.5}}\n",
	           "t.yaml:1:45: network \"n\": the dhcp range starts after its end");
	parse_err1("n: {type: network, cidr: 10.0.0.0/24, dhcp: {start: 10.0.0.9}}\n",
	           "t.yaml:1:45: dhcp: a range needs both start and end");
	parse_err1("n: {type: network, cidr: 10.0.0.0/24, dhcp: false,\n"
	           "    hosts: [{mac: \"52:54:00:00:00:01\", ip: 10.0.0.5}]}\n",
	           "t.yaml:2:12: network \"n\": fixed hosts need dhcp");
	parse_err1("n:\n  type: network\n  cidr: 10.0.0.0/24\n  hosts:\n"
	           "    - {mac: \"52:54:00:00:00:01\", ip: 10.0.0.5}\n"
	           "    - {mac: \"52:54:00:00:00:02\", ip: 10.0.9.5}\n",
	           "t.yaml:6:7: network \"n\": a fixed host's ip is outside the network's cidr");
	parse_err1("n:\n  type: network\n  cidr: 10.0.0.0/24\n  hosts:\n"
	           "    - {mac: \"52:54:00:00:00:01\", ip: 10.0.0.5}\n"
	           "    - {mac: \"52:54:00:00:00:01\", ip: 10.0.0.6}\n",
	           "t.yaml:6:7: network \"n\": two fixed hosts have the same mac");
	parse_err1("n: {type: network, forward: bridge}\n",
	           "t.yaml:1:1: network \"n\": a bridge network needs bridge (the host's bridge, "
	           "e.g. br0)");
	parse_err1("n: {type: network, forward: bridge, bridge: br0, cidr: 10.0.0.0/24}\n",
	           "t.yaml:1:56: network \"n\": a bridge network uses the host bridge's own "
	           "addresses: no cidr, cidr6, dhcp range, hosts or domain");
	parse_err1("n: {type: network, forward: isolated, dev: eth0, cidr: 10.0.0.0/24}\n",
	           "t.yaml:1:44: network \"n\": dev is only for nat and route networks");
	parse_err1("n: {type: network, bridge: a-very-long-bridge, cidr: 10.0.0.0/24}\n",
	           "t.yaml:1:28: network \"n\": bridge must be an interface name of 1 to 15 "
	           "characters");
	parse_err1("n: {type: network, domain: a_b, cidr: 10.0.0.0/24}\n",
	           "t.yaml:1:28: network \"n\": domain must be a DNS domain (letters, digits, "
	           "'-', '.')");
}

/* VMs are parsed as before beside pools and networks; an empty file is
 * still "no VM defined", a file with only pools is not. */
static void
vms_unchanged(void **state)
{
	struct vmdef_file f;

	(void)state;
	parse_err1("", "t.yaml:1:1: no VM defined");
	parse_err1("web: {type: pool2}\n", "t.yaml:1:13: type: \"pool2\" is not one of kvm, "
	           "qemu, auto");
	parse_ok(&f, "- {name: web, type: kvm}\n- {name: p, type: pool, path: /x}\n");
	assert_int_equal(f.nvms, 1);
	assert_int_equal(f.vms[0].type, VMDEF_TYPE_KVM);
	assert_int_equal(f.npools, 1);
	vmdef_file_free(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kcli_plan),
		cmocka_unit_test(native_list),
		cmocka_unit_test(single_and_files),
		cmocka_unit_test(errors_keys_and_types),
		cmocka_unit_test(errors_names),
		cmocka_unit_test(errors_checks),
		cmocka_unit_test(vms_unchanged),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
