/* test_resplan.c — storage pools and networks in plans (model/defs/plan.h,
 * resplan.c), apply and export, against libvirt's test driver
 * (test:///default: a "default-pool" dir pool on /default-pool and a
 * "default" NAT network on 192.168.122.0/24, both running, neither
 * autostarted). Each test opens the driver afresh, so each starts from
 * its default state. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "config/resdef.h"
#include "config/vmdef.h"
#include "model/defs/apply.h"
#include "model/defs/plan.h"
#include "model/defs/resexport.h"

#ifndef EXAMPLES_DIR
#define EXAMPLES_DIR "examples"
#endif

static void
quiet(void *data, virErrorPtr e)
{
	(void)data;
	(void)e;
}

static int
setup(void **state)
{
	virSetErrorFunc(NULL, quiet);
	*state = virConnectOpen("test:///default");
	return *state ? 0 : -1;
}

static int
teardown(void **state)
{
	virConnectClose(*state);
	return 0;
}

static void
parse_ok(struct vmdef_file *f, const char *text)
{
	struct config_errors e = { 0 };

	memset(f, 0, sizeof *f);
	if (vmdef_parse(f, "t.yaml", NULL, text, strlen(text), &e) != 0)
		fail_msg("unexpected error: %s", e.n ? e.v[0] : "(none)");
	config_errors_free(&e);
}

static void
plan_ok(virConnectPtr conn, const struct vmdef_file *f, struct plan *p)
{
	char *err = NULL;

	if (plan_make(conn, f, p, &err) != 0)
		fail_msg("plan_make: %s", err);
}

static void
assert_contains(const char *text, const char *want)
{
	if (text == NULL || strstr(text, want) == NULL)
		fail_msg("expected\n%s\nin\n%s", want, text ? text : "(null)");
}

/* The plan's text holds want. */
static void
render_has(const struct plan *p, const char *want)
{
	char *t = plan_render(p);

	assert_contains(t, want);
	free(t);
}

static bool
pool_exists(virConnectPtr conn, const char *name, int *active, int *autostart)
{
	virStoragePoolPtr p = virStoragePoolLookupByName(conn, name);

	if (p == NULL)
		return false;
	*active = virStoragePoolIsActive(p);
	virStoragePoolGetAutostart(p, autostart);
	virStoragePoolFree(p);
	return true;
}

static bool
net_exists(virConnectPtr conn, const char *name, int *active, int *autostart)
{
	virNetworkPtr n = virNetworkLookupByName(conn, name);

	if (n == NULL)
		return false;
	*active = virNetworkIsActive(n);
	virNetworkGetAutostart(n, autostart);
	virNetworkFree(n);
	return true;
}

static const char lab[] =
	"labpool:\n"
	"  type: pool\n"
	"  path: /var/tmp/vmtuitest-defs-labpool\n"
	"labnet:\n"
	"  type: network\n"
	"  cidr: 192.168.231.0/24\n"
	"  domain: lab\n"
	"  hosts:\n"
	"    - {mac: \"52:54:00:00:23:0a\", ip: 192.168.231.10, name: web}\n"
	"web:\n"
	"  memory: 256M\n"
	"  pool: labpool\n"
	"  disks: [1]\n"
	"  nets: [labnet]\n"
	"  start: true\n";

/* A guest on a pool and a network of the same file plans cleanly; apply
 * makes the pool and the network first; the plan after says no changes. */
static void
create_then_same(void **state)
{
	virConnectPtr conn = *state;
	struct vmdef_file f;
	struct plan p;
	char *err = NULL;
	int active = 0, autostart = 0;

	parse_ok(&f, lab);
	plan_ok(conn, &f, &p);
	assert_int_equal(p.nerrors, 0);
	assert_int_equal(p.npools, 1);
	assert_int_equal(p.nnets, 1);
	assert_int_equal(p.pools[0].kind, PLAN_CREATE);
	assert_int_equal(p.nets[0].kind, PLAN_CREATE);
	assert_int_equal(p.vms[0].kind, PLAN_CREATE);
	assert_int_equal(p.vms[0].nwarnings, 0);
	assert_true(plan_has_work(&p));
	render_has(&p, "pool labpool: create\n"
	               "  + define pool labpool: dir, /var/tmp/vmtuitest-defs-labpool\n"
	               "  + build it: make its folder\n  + autostart on\n  + start\n"
	               "network labnet: create\n"
	               "  + define network labnet: nat, 192.168.231.0/24 (host 192.168.231.1), "
	               "DHCP 192.168.231.2-192.168.231.254, domain lab, 1 fixed host\n"
	               "  + autostart on\n  + start\n"
	               "web: create\n"
	               "  + disk vda: new volume labpool/web-vda.qcow2, 1G qcow2, blank\n");
	render_has(&p, "3 to create, 0 to update, 0 unchanged.");
	if (apply_run(conn, &p, NULL, NULL, &err) != 0)
		fail_msg("apply_run: %s", err);
	plan_free(&p);
	assert_true(pool_exists(conn, "labpool", &active, &autostart));
	assert_int_equal(active, 1);
	assert_int_equal(autostart, 1);
	assert_true(net_exists(conn, "labnet", &active, &autostart));
	assert_int_equal(active, 1);
	assert_int_equal(autostart, 1);

	plan_ok(conn, &f, &p);
	assert_int_equal(p.nerrors, 0);
	assert_false(plan_has_work(&p));
	assert_int_equal(p.pools[0].kind, PLAN_SAME);
	assert_int_equal(p.pools[0].nchanges, 0);
	assert_int_equal(p.nets[0].kind, PLAN_SAME);
	assert_int_equal(p.nets[0].nchanges, 0);
	render_has(&p, "pool labpool: no changes (active)\nnetwork labnet: no changes (active)\n");
	render_has(&p, "0 to create, 0 to update, 3 unchanged.");
	plan_free(&p);
	vmdef_file_free(&f);
}

/* Export of what apply made reads back as the same definitions. */
static void
export_round_trip(void **state)
{
	virConnectPtr conn = *state;
	struct vmdef_file f, g;
	struct plan p;
	char *err = NULL, *py, *ny, *both;
	bool missing = true;

	parse_ok(&f, lab);
	plan_ok(conn, &f, &p);
	if (apply_run(conn, &p, NULL, NULL, &err) != 0)
		fail_msg("apply_run: %s", err);
	plan_free(&p);
	py = plan_export_pool(conn, "labpool", &missing, &err);
	assert_non_null(py);
	assert_false(missing);
	assert_string_equal(py, "labpool:\n  type: pool\n  pooltype: dir\n"
	                        "  path: /var/tmp/vmtuitest-defs-labpool\n"
	                        "  start: true\n  autostart: true\n");
	ny = plan_export_net(conn, "labnet", &missing, &err);
	assert_non_null(ny);
	assert_string_equal(ny, "labnet:\n  type: network\n  forward: nat\n"
	                        "  cidr: \"192.168.231.0/24\"\n  dhcp: true\n  domain: lab\n"
	                        "  hosts:\n"
	                        "  - {mac: \"52:54:00:00:23:0a\", ip: \"192.168.231.10\", name: web}\n"
	                        "  start: true\n  autostart: true\n");
	both = malloc(strlen(py) + strlen(ny) + 1);
	strcat(strcpy(both, py), ny);
	parse_ok(&g, both);
	assert_int_equal(g.npools, 1);
	assert_int_equal(g.nnets, 1);
	assert_string_equal(g.pools[0].path, f.pools[0].path);
	assert_string_equal(g.nets[0].cidr, f.nets[0].cidr);
	assert_string_equal(g.nets[0].hosts[0].mac, f.nets[0].hosts[0].mac);
	/* Applied again, it is what exists: no changes. */
	plan_ok(conn, &g, &p);
	assert_false(plan_has_work(&p));
	plan_free(&p);
	assert_null(plan_export_pool(conn, "nosuch", &missing, &err));
	assert_true(missing);
	assert_string_equal(err, "there is no storage pool named \"nosuch\" (virsh pool-list "
	                         "--all shows them)");
	free(err);
	assert_null(plan_export_net(conn, "nosuch", &missing, &err));
	assert_true(missing);
	free(err);
	free(both);
	free(py);
	free(ny);
	vmdef_file_free(&g);
	vmdef_file_free(&f);
}

/* The host's pool and network of the same names: only state, autostart
 * and missing fixed hosts are changed; everything else is said. */
static void
existing_differs(void **state)
{
	virConnectPtr conn = *state;
	struct vmdef_file f;
	struct plan p;
	char *err = NULL;

	parse_ok(&f, "default-pool: {type: pool, path: /elsewhere}\n"
	             "default:\n"
	             "  type: network\n"
	             "  cidr: 192.168.122.0/24\n"
	             "  dhcp: {start: 192.168.122.100, end: 192.168.122.200}\n"
	             "  hosts: [{mac: \"52:54:00:00:00:0b\", ip: 192.168.122.11}]\n");
	plan_ok(conn, &f, &p);
	assert_int_equal(p.nerrors, 0);
	assert_int_equal(p.pools[0].kind, PLAN_UPDATE);
	assert_int_equal(p.nets[0].kind, PLAN_UPDATE);
	render_has(&p, "pool default-pool: update (active)\n"
	               "  ~ autostart: off -> on\n"
	               "  ! path: /default-pool -> /elsewhere (not applied: vmtui does not change "
	               "an existing pool's definition; edit it with virsh pool-edit, or give this "
	               "one another name)\n");
	render_has(&p, "network default: update (active)\n"
	               "  ~ autostart: off -> on\n"
	               "  ! dhcp: 192.168.122.2-192.168.122.254 -> 192.168.122.100-192.168.122.200 "
	               "(not applied: vmtui does not change an existing network's definition; "
	               "edit it with virsh net-edit, or give this one another name)\n"
	               "  ~ hosts[52:54:00:00:00:0b]: none -> 192.168.122.11 (now, and saved)\n");
	render_has(&p, "0 to create, 2 to update, 0 unchanged.");
	if (apply_run(conn, &p, NULL, NULL, &err) != 0)
		fail_msg("apply_run: %s", err);
	plan_free(&p);
	/* The host added, autostart on: only what is not applied is left. */
	plan_ok(conn, &f, &p);
	assert_false(plan_has_work(&p));
	assert_int_equal(p.nets[0].nchanges, 1);
	assert_string_equal(p.nets[0].changes[0].field, "dhcp");
	plan_free(&p);
	vmdef_file_free(&f);
}

/* What libvirt would refuse later is an error now. */
static void
conflicts(void **state)
{
	virConnectPtr conn = *state;
	virNetworkPtr net;
	struct vmdef_file f;
	struct plan p;

	parse_ok(&f, "p2: {type: pool, path: /default-pool}\n"
	             "n2: {type: network, cidr: 192.168.122.128/25}\n"
	             "n3: {type: network, cidr: 10.7.0.0/16, bridge: virbr0}\n"
	             "n4: {type: network, cidr: 10.7.3.0/24}\n");
	plan_ok(conn, &f, &p);
	assert_int_equal(p.nerrors, 4);
	assert_string_equal(p.pools[0].errors[0],
	                    "t.yaml:1:1: pool p2: path /default-pool is already the folder of "
	                    "pool default-pool; libvirt refuses two pools on one folder: use pool "
	                    "default-pool, or another path.");
	assert_string_equal(p.nets[0].errors[0],
	                    "t.yaml:2:1: network n2: cidr 192.168.122.128/25 overlaps network "
	                    "default's 192.168.122.0/24; libvirt will not run both: pick another "
	                    "range.");
	assert_string_equal(p.nets[1].errors[0],
	                    "t.yaml:3:1: network n3: bridge virbr0 is already network default's; "
	                    "name another bridge or leave bridge out.");
	assert_string_equal(p.nets[2].errors[0],
	                    "t.yaml:4:1: network n4: cidr 10.7.3.0/24 overlaps network n3's "
	                    "10.7.0.0/16 of the same definitions: pick another range.");
	render_has(&p, "4 errors: apply would refuse this plan");
	plan_free(&p);
	vmdef_file_free(&f);

	/* The same range as a network that is not running: a warning. */
	net = virNetworkLookupByName(conn, "default");
	assert_int_equal(virNetworkDestroy(net), 0);
	virNetworkFree(net);
	parse_ok(&f, "n2: {type: network, cidr: 192.168.122.0/24}\n");
	plan_ok(conn, &f, &p);
	assert_int_equal(p.nerrors, 0);
	assert_string_equal(p.nets[0].warnings[0],
	                    "t.yaml:1:1: network n2: cidr 192.168.122.0/24 overlaps network "
	                    "default's 192.168.122.0/24, which is not running; the two cannot run "
	                    "at the same time.");
	plan_free(&p);
	vmdef_file_free(&f);
}

/* A guest's image cannot be in a pool this apply makes; a network made
 * but not started leaves a guest that starts with an error. */
static void
guest_needs(void **state)
{
	virConnectPtr conn = *state;
	struct vmdef_file f;
	struct plan p;

	parse_ok(&f, "newpool: {type: pool, path: /var/tmp/vmtuitest-defs-new}\n"
	             "idle: {type: network, cidr: 10.8.0.0/24, start: false}\n"
	             "g1:\n  pool: newpool\n  image: newpool/base.qcow2\n  nets: [idle]\n"
	             "  start: true\n");
	plan_ok(conn, &f, &p);
	assert_int_equal(p.nerrors, 2);
	assert_string_equal(p.vms[0].errors[0],
	                    "t.yaml:5:3: g1: disk 1: image \"newpool/base.qcow2\": pool "
	                    "\"newpool\" is made or started by this apply, so the image cannot be "
	                    "looked up in it yet; apply the pool first, then this VM.");
	assert_string_equal(p.vms[0].errors[1],
	                    "t.yaml:6:10: g1: network 1: network \"idle\" of these definitions has "
	                    "start: false; the VM cannot start until it runs.");
	plan_free(&p);
	vmdef_file_free(&f);
}

/* A failure in the guests' part rolls the pool and network back too. */
static void
rolls_back(void **state)
{
	virConnectPtr conn = *state;
	struct vmdef_file f;
	struct plan p;
	char *err = NULL;
	int active, autostart;

	/* The test driver cannot upload: the seed fails. */
	parse_ok(&f, "rbpool: {type: pool, path: /var/tmp/vmtuitest-defs-rb}\n"
	             "rbnet: {type: network, cidr: 10.9.0.0/24}\n"
	             "rb1:\n  pool: rbpool\n  disks: [1]\n  nets: [rbnet]\n  cloud_init: true\n");
	plan_ok(conn, &f, &p);
	assert_int_equal(p.nerrors, 0);
	assert_int_equal(apply_run(conn, &p, NULL, NULL, &err), -1);
	assert_contains(err, "rb1: upload the cloud-init seed to volume rb1-seed.iso in pool "
	                     "rbpool failed: ");
	assert_contains(err, ". Rolled back: deleted volume rb1-seed.iso in pool rbpool; "
	                     "deleted volume rb1-vda.qcow2 in pool rbpool; undefined network "
	                     "rbnet; undefined pool rbpool.");
	free(err);
	assert_false(pool_exists(conn, "rbpool", &active, &autostart));
	assert_false(net_exists(conn, "rbnet", &active, &autostart));
	plan_free(&p);
	vmdef_file_free(&f);
}

/* examples/host.yaml and lab.yaml plan without a problem: host.yaml's
 * network is the driver's own default, its pool is new; lab.yaml makes
 * its pool, its network and its guest. */
static void
examples_plan(void **state)
{
	virConnectPtr conn = *state;
	struct vmdef_file f = { 0 };
	struct config_errors e = { 0 };
	struct plan p;

	if (vmdef_load(&f, EXAMPLES_DIR "/host.yaml", &e) != 0 ||
	    vmdef_load(&f, EXAMPLES_DIR "/lab.yaml", &e) != 0)
		fail_msg("%s", e.v[0]);
	plan_ok(conn, &f, &p);
	assert_int_equal(p.nerrors, 0);
	assert_int_equal(p.nvms, 1);
	assert_int_equal(p.vms[0].nwarnings, 0);
	assert_int_equal(p.npools, 2);
	assert_int_equal(p.pools[0].kind, PLAN_CREATE);
	assert_int_equal(p.pools[1].kind, PLAN_CREATE);
	assert_int_equal(p.nnets, 2);
	assert_int_equal(p.nets[0].kind, PLAN_UPDATE); /* autostart on */
	assert_int_equal(p.nets[0].nchanges, 1);
	assert_int_equal(p.nets[1].kind, PLAN_CREATE);
	render_has(&p, "4 to create, 1 to update, 0 unchanged.");
	plan_free(&p);
	vmdef_file_free(&f);
}

/* The YAML of export, by hand: defaults left out, a bridge libvirt named
 * itself left out, a host bridge kept, a range and build written. */
static void
export_yaml(void **state)
{
	struct netdef_host h = { .mac = "52:54:00:00:00:01", .ip = "10.0.0.5" };
	struct netdef n = { .name = "routed", .forward = "route", .bridge = "virbr7", .dev = "eth0",
		            .cidr = "10.0.0.0/24", .dhcp = true, .dhcp_start = "10.0.0.100",
		            .dhcp_end = "10.0.0.200", .cidr6 = "fd00::1/64", .hosts = &h,
		            .nhosts = 1 };
	struct netdef b = { .name = "yes", .forward = "bridge", .bridge = "br0", .start = true };
	struct pooldef p = { .name = "p", .type = "logical", .source_device = "/dev/sdb",
		             .source_name = "vg0", .build = true };
	char *s;

	(void)state;
	s = resexport_net_yaml(&n);
	assert_string_equal(s, "routed:\n  type: network\n  forward: route\n  dev: eth0\n"
	                       "  cidr: \"10.0.0.0/24\"\n"
	                       "  dhcp: {start: \"10.0.0.100\", end: \"10.0.0.200\"}\n"
	                       "  cidr6: \"fd00::1/64\"\n"
	                       "  hosts:\n  - {mac: \"52:54:00:00:00:01\", ip: \"10.0.0.5\"}\n"
	                       "  start: false\n  autostart: false\n");
	free(s);
	s = resexport_net_yaml(&b);
	assert_string_equal(s, "\"yes\":\n  type: network\n  forward: bridge\n  bridge: br0\n"
	                       "  start: true\n  autostart: false\n");
	free(s);
	s = resexport_pool_yaml(&p);
	assert_string_equal(s, "p:\n  type: pool\n  pooltype: logical\n  source_device: /dev/sdb\n"
	                       "  source_name: vg0\n  build: true\n  start: false\n"
	                       "  autostart: false\n");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(create_then_same, setup, teardown),
		cmocka_unit_test_setup_teardown(export_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(existing_differs, setup, teardown),
		cmocka_unit_test_setup_teardown(conflicts, setup, teardown),
		cmocka_unit_test_setup_teardown(guest_needs, setup, teardown),
		cmocka_unit_test_setup_teardown(rolls_back, setup, teardown),
		cmocka_unit_test_setup_teardown(examples_plan, setup, teardown),
		cmocka_unit_test(export_yaml),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
