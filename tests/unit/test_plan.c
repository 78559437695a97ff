/* test_plan.c — model/defs/plan.h and model/defs/apply.h against libvirt's test
 * driver (test:///default: a "default-pool" dir pool that creates, clones
 * and deletes volumes, but cannot upload into them): plans for new, same
 * and changed VMs, their text, the checks that make apply refuse, the
 * refusal of definitions with errors or missing parts, apply itself, its
 * roll-back, and export. Each test opens the driver afresh, so each starts
 * from the driver's own default state. */
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
#include <libxml/parser.h>

#include "config/vmdef.h"
#include "model/defs/apply.h"
#include "model/defs/plan.h"

#define MiB (1024ull * 1024)
#define GiB (1024 * MiB)

/* ---- helpers ---- */

static void
quiet(void *data, virErrorPtr e)
{
	(void)data;
	(void)e;
}

/* A fresh test driver with base.qcow2 (1G) in default-pool. */
static int
setup(void **state)
{
	virConnectPtr conn;
	virStoragePoolPtr pool;
	virStorageVolPtr vol;

	virSetErrorFunc(NULL, quiet);
	conn = virConnectOpen("test:///default");
	if (conn == NULL)
		return -1;
	pool = virStoragePoolLookupByName(conn, "default-pool");
	assert_non_null(pool);
	vol = virStorageVolCreateXML(pool, "<volume><name>base.qcow2</name>"
	                             "<capacity unit='G'>1</capacity><target>"
	                             "<format type='qcow2'/></target></volume>", 0);
	if (vol) /* else left over by a test that failed while holding a reference */
		virStorageVolFree(vol);
	virStoragePoolFree(pool);
	*state = conn;
	return 0;
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

/* Lines "BEGIN step" / "NOTE text" the callback saw, one string. */
struct seen {
	char buf[4096];
};

static void
record(const struct apply_progress *p, void *opaque)
{
	struct seen *s = opaque;
	size_t n = strlen(s->buf);

	if (p->phase == APPLY_BEGIN || p->phase == APPLY_NOTE)
		snprintf(s->buf + n, sizeof s->buf - n, "%s %s: %s\n",
		         p->phase == APPLY_BEGIN ? "BEGIN" : "NOTE", p->vm, p->step);
}

static void
apply_ok(virConnectPtr conn, const struct plan *p, struct seen *s)
{
	char *err = NULL;

	if (apply_run(conn, p, record, s, &err) != 0)
		fail_msg("apply_run: %s", err);
}

static bool
vol_exists(virConnectPtr conn, const char *name)
{
	virStoragePoolPtr pool = virStoragePoolLookupByName(conn, "default-pool");
	virStorageVolPtr vol = virStorageVolLookupByName(pool, name);

	virStoragePoolFree(pool);
	if (vol)
		virStorageVolFree(vol);
	return vol != NULL;
}

static uint64_t
vol_capacity(virConnectPtr conn, const char *name)
{
	virStoragePoolPtr pool = virStoragePoolLookupByName(conn, "default-pool");
	virStorageVolPtr vol = virStorageVolLookupByName(pool, name);
	virStorageVolInfo info = { 0 };

	assert_non_null(vol);
	assert_int_equal(virStorageVolGetInfo(vol, &info), 0);
	virStorageVolFree(vol);
	virStoragePoolFree(pool);
	return info.capacity;
}

static bool
dom_exists(virConnectPtr conn, const char *name)
{
	virDomainPtr dom = virDomainLookupByName(conn, name);

	if (dom)
		virDomainFree(dom);
	return dom != NULL;
}

/* text must contain want; the whole text is shown when not. */
static void
assert_contains(const char *text, const char *want)
{
	if (text == NULL || strstr(text, want) == NULL)
		fail_msg("expected\n%s\nin\n%s", want, text ? text : "(null)");
}

/* ---- tests ---- */

static const char new_vm[] =
	"name: t1\n"
	"memory: {current: 256M, max: 512M}\n"
	"vcpus: {current: 1, max: 2}\n"
	"disks:\n"
	"  - {size: 2G, pool: default-pool}\n"
	"  - {image: base.qcow2, pool: default-pool}\n"
	"  - {image: default-pool/base.qcow2, copy: true, size: 3G, pool: default-pool,\n"
	"     format: raw, bus: sata}\n"
	"  - {path: /dev/sdz}\n"
	"networks: []\n"
	"cloud_init: false\n"
	"autostart: true\n"
	"start: true\n";

static void
test_plan_create(void **state)
{
	virConnectPtr conn = *state;
	struct vmdef_file f;
	struct plan p;
	const struct plan_vm *v;
	char *text;

	parse_ok(&f, new_vm);
	plan_ok(conn, &f, &p);
	assert_int_equal(p.nvms, 1);
	v = &p.vms[0];
	assert_int_equal(v->kind, PLAN_CREATE);
	assert_int_equal(p.nerrors, 0);
	assert_string_equal(v->domain_type, "qemu"); /* the test driver has no kvm */
	assert_int_equal(v->nvols, 4);
	assert_int_equal(v->vols[0].kind, PLAN_VOL_BLANK);
	assert_string_equal(v->vols[0].name, "t1-vda.qcow2");
	assert_int_equal(v->vols[0].capacity, 2 * GiB);
	assert_int_equal(v->vols[1].kind, PLAN_VOL_OVERLAY);
	assert_int_equal(v->vols[1].capacity, GiB); /* the image's */
	assert_string_equal(v->vols[1].base_path, "/default-pool/base.qcow2");
	assert_string_equal(v->vols[1].base_format, "qcow2");
	assert_int_equal(v->vols[2].kind, PLAN_VOL_COPY);
	assert_string_equal(v->vols[2].target, "sda");
	assert_string_equal(v->vols[2].name, "t1-sda.img");
	assert_int_equal(v->vols[3].kind, PLAN_VOL_PATH);
	assert_string_equal(v->vols[3].target, "vdc");
	assert_null(v->seed_name);
	assert_true(plan_has_work(&p));
	text = plan_render(&p);
	assert_contains(text, "\n"
		"t1: create\n"
		"  + disk vda: new volume default-pool/t1-vda.qcow2, 2G qcow2, blank\n"
		"  + disk vdb: new volume default-pool/t1-vdb.qcow2, 1G qcow2, overlay on "
		"default-pool/base.qcow2 (qcow2)\n"
		"  + disk sda: new volume default-pool/t1-sda.img, 3G raw, copy of "
		"default-pool/base.qcow2 (qcow2)\n"
		"  + disk vdc: /dev/sdz, raw, used as it is\n"
		"  + define VM t1: type qemu, 1 vCPU (max 2), memory 256M (max 512M), 4 disks, "
		"0 interfaces\n"
		"  + autostart on\n"
		"  + start\n"
		"1 to create, 0 to update, 0 unchanged.\n");
	assert_true(strncmp(text, "Plan for test:///default", 24) == 0);
	free(text);
	plan_free(&p);
	vmdef_file_free(&f);
}

static void
test_apply_create_then_same(void **state)
{
	virConnectPtr conn = *state;
	struct seen s = { "" };
	struct vmdef_file f;
	struct plan p;
	virDomainPtr dom;
	int autostart = 0;
	char *text;

	parse_ok(&f, new_vm);
	plan_ok(conn, &f, &p);
	apply_ok(conn, &p, &s);
	assert_string_equal(s.buf,
		"BEGIN t1: create volume t1-vda.qcow2 in pool default-pool\n"
		"BEGIN t1: create volume t1-vdb.qcow2 in pool default-pool\n"
		"BEGIN t1: copy the image into volume t1-sda.img in pool default-pool\n"
		"BEGIN t1: define VM t1\n"
		"BEGIN t1: turn autostart on\n"
		"BEGIN t1: start VM t1\n");
	plan_free(&p);
	assert_int_equal(vol_capacity(conn, "t1-vda.qcow2"), 2 * GiB);
	assert_int_equal(vol_capacity(conn, "t1-vdb.qcow2"), GiB);
	assert_int_equal(vol_capacity(conn, "t1-sda.img"), 3 * GiB); /* grown after the copy */
	dom = virDomainLookupByName(conn, "t1");
	assert_non_null(dom);
	assert_int_equal(virDomainIsActive(dom), 1);
	assert_int_equal(virDomainGetAutostart(dom, &autostart), 0);
	assert_int_equal(autostart, 1);
	virDomainFree(dom);

	plan_ok(conn, &f, &p);
	assert_int_equal(p.vms[0].kind, PLAN_SAME);
	assert_int_equal(p.vms[0].nchanges, 0);
	assert_false(plan_has_work(&p));
	text = plan_render(&p);
	assert_contains(text, "\nt1: no changes (running)\n0 to create, 0 to update, "
	                             "1 unchanged.\n");
	free(text);
	plan_free(&p);
	vmdef_file_free(&f);
}

static void
test_plan_update(void **state)
{
	virConnectPtr conn = *state;
	struct seen s = { "" };
	struct vmdef_file f, g;
	struct plan p;
	virDomainPtr dom;
	char *text;

	parse_ok(&f, "name: t2\nmemory: 256M\nvcpus: {current: 1, max: 2}\n"
	             "disks: [{size: 1G, pool: default-pool}, {size: 1G, pool: default-pool}]\n"
	             "networks: [{user: true}]\n");
	plan_ok(conn, &f, &p);
	apply_ok(conn, &p, &s);
	plan_free(&p);

	parse_ok(&g, "name: t2\nmemory: 128M\nvcpus: {current: 2, max: 4}\n"
	             "disks: [{size: 512M, pool: default-pool}]\nnetworks: []\nautostart: true\n");
	plan_ok(conn, &g, &p);
	assert_int_equal(p.vms[0].kind, PLAN_UPDATE);
	assert_false(p.vms[0].running);
	text = plan_render(&p);
	assert_contains(text, "\nt2: update\n"
		"  ~ vcpus: 1 -> 2 (saved; takes effect at the next boot)\n"
		"  ~ max_vcpus: 2 -> 4 (saved; takes effect at the next boot)\n"
		"  ~ memory: 256M -> 128M (saved; takes effect at the next boot)\n"
		"  ~ max_memory: 256M -> 128M (saved; takes effect at the next boot)\n"
		"  ! disks: 2 -> 1 (not applied: apply never deletes a disk)\n"
		"  ! disks[0].size: 1G -> 512M (not applied: apply never shrinks a disk)\n"
		"  ! networks: 1 -> 0 (not applied: apply never removes an interface)\n"
		"  ~ autostart: off -> on\n"
		"0 to create, 1 to update, 0 unchanged.\n");
	free(text);

	s.buf[0] = '\0';
	apply_ok(conn, &p, &s);
	assert_string_equal(s.buf, "BEGIN t2: look up VM t2\n"
	                           "BEGIN t2: set max_vcpus to 4\n"
	                           "BEGIN t2: set vcpus to 2\n"
	                           "BEGIN t2: set memory to 128M\n"
	                           "BEGIN t2: set max_memory to 128M\n"
	                           "BEGIN t2: turn autostart on\n");
	plan_free(&p);
	dom = virDomainLookupByName(conn, "t2");
	assert_int_equal(virDomainGetVcpusFlags(dom, VIR_DOMAIN_AFFECT_CONFIG |
	                                             VIR_DOMAIN_VCPU_MAXIMUM), 4);
	assert_int_equal(virDomainGetVcpusFlags(dom, VIR_DOMAIN_AFFECT_CONFIG), 2);
	virDomainFree(dom);
	assert_int_equal(vol_capacity(conn, "t2-vdb.qcow2"), GiB); /* never deleted */

	/* What is left is what apply does not do. */
	plan_ok(conn, &g, &p);
	assert_int_equal(p.vms[0].nchanges, 3);
	assert_false(plan_has_work(&p));
	plan_free(&p);
	vmdef_file_free(&f);
	vmdef_file_free(&g);
}

/* The error on the plan's only VM that contains `want`. */
static void
expect_error(virConnectPtr conn, const char *yaml, const char *want)
{
	struct vmdef_file f;
	struct plan p;
	size_t i;
	char *err = NULL;

	parse_ok(&f, yaml);
	plan_ok(conn, &f, &p);
	for (i = 0; i < p.vms[0].nerrors && !strstr(p.vms[0].errors[i], want); i++)
		;
	if (i == p.vms[0].nerrors)
		fail_msg("no error \"%s\"; first: %s", want,
		         p.vms[0].nerrors ? p.vms[0].errors[0] : "(none)");
	assert_int_equal(apply_run(conn, &p, NULL, NULL, &err), -1);
	assert_contains(err, "The plan has ");
	free(err);
	plan_free(&p);
	vmdef_file_free(&f);
}

static void
test_plan_errors(void **state)
{
	virConnectPtr conn = *state;
	virStoragePoolPtr pool = virStoragePoolLookupByName(conn, "default-pool");
	virStorageVolPtr vol;

	expect_error(conn, "name: e1\ndisks: [{size: 1G, pool: nopool}]\nnetworks: []\n",
	             "t.yaml:2:9: e1: disk 1: storage pool \"nopool\" does not exist on "
	             "test:///default; create it (virsh pool-define-as, pool-build, "
	             "pool-start) or name another pool.");
	expect_error(conn, "name: e2\ndisks: [{image: nosuch.qcow2, pool: default-pool}]\n"
	             "networks: []\ncloud_init: false\n",
	             "e2: disk 1: image \"nosuch.qcow2\": pool \"default-pool\" has no volume "
	             "\"nosuch.qcow2\"");
	expect_error(conn, "name: e3\ndisks: [{image: /x/nosuch.qcow2, pool: default-pool}]\n"
	             "networks: []\ncloud_init: false\n",
	             "e3: disk 1: image /x/nosuch.qcow2 is not a volume of any active storage "
	             "pool on test:///default");
	expect_error(conn, "name: e4\ndisks: [{image: base.qcow2, size: 512M, "
	             "pool: default-pool}]\nnetworks: []\ncloud_init: false\n",
	             "e4: disk 1: size 512M is smaller than its image (1G); apply never shrinks "
	             "a disk: give at least 1G or leave size out.");
	expect_error(conn, "name: e5\ntype: kvm\nnetworks: []\n",
	             "e5: type kvm: test:///default has no KVM");
	expect_error(conn, "name: e6\narch: aarch64\nnetworks: []\n",
	             "e6: arch aarch64: test:///default cannot run such guests");
	expect_error(conn, "name: e7\nhost: elsewhere.invalid\nnetworks: []\n",
	             "e7: it is meant for host \"elsewhere.invalid\"");
	expect_error(conn, "name: e8\nnetworks: [nonet]\nstart: true\n",
	             "e8: network 1: libvirt network \"nonet\" does not exist on test:///default");
	vol = virStorageVolCreateXML(pool, "<volume><name>e9-vda.qcow2</name><capacity>1"
	                             "</capacity></volume>", 0);
	assert_non_null(vol);
	expect_error(conn, "name: e9\ndisks: [{size: 1G, pool: default-pool}]\nnetworks: []\n",
	             "e9: disk 1: volume \"e9-vda.qcow2\" already exists in pool "
	             "\"default-pool\"; apply never overwrites a volume");
	virStorageVolFree(vol);
	virStoragePoolFree(pool);
}

static void
test_warnings(void **state)
{
	virConnectPtr conn = *state;
	struct vmdef_file f;
	struct plan p;
	char *text;

	/* A missing network only stops a VM that is not to start now. */
	parse_ok(&f, "name: w1\nnetworks: [nonet]\ndisks: [{size: 1T, pool: default-pool}]\n");
	plan_ok(conn, &f, &p);
	assert_int_equal(p.nerrors, 0);
	assert_int_equal(p.vms[0].nwarnings, 2);
	text = plan_render(&p);
	assert_contains(text, "  warning: t.yaml:3:9: w1: disk 1: the new volume may "
	                      "grow to 1T, more than the ");
	assert_contains(text, "  warning: t.yaml:2:12: w1: network 1: libvirt network "
	                             "\"nonet\" does not exist on test:///default; the VM "
	                             "cannot start until it does (virsh net-list --all).\n");
	free(text);
	plan_free(&p);
	vmdef_file_free(&f);
}

/* The test driver cannot upload: the seed fails after the disk volume
 * was made, and the run takes everything back. */
static void
test_apply_rolls_back(void **state)
{
	virConnectPtr conn = *state;
	struct vmdef_file f;
	struct plan p;
	char *err = NULL;

	parse_ok(&f, "- name: r0\n  networks: []\n"
	             "- name: r1\n  disks: [{size: 1G, pool: default-pool}]\n  networks: []\n"
	             "  cloud_init: true\n");
	plan_ok(conn, &f, &p);
	assert_int_equal(p.nerrors, 0);
	assert_string_equal(p.vms[1].seed_name, "r1-seed.iso");
	assert_int_equal(apply_run(conn, &p, NULL, NULL, &err), -1);
	assert_contains(err, "r1: upload the cloud-init seed to volume r1-seed.iso in pool "
	                     "default-pool failed: ");
	assert_contains(err, ". Rolled back: deleted volume r1-seed.iso in pool "
	                            "default-pool; deleted volume r1-vda.qcow2 in pool "
	                            "default-pool; undefined VM r0.");
	free(err);
	assert_false(vol_exists(conn, "r1-vda.qcow2"));
	assert_false(vol_exists(conn, "r1-seed.iso"));
	assert_false(dom_exists(conn, "r0"));
	assert_false(dom_exists(conn, "r1"));
	plan_free(&p);
	vmdef_file_free(&f);
}

/* Parse text that has errors into *f (kept, partly filled). */
static void
parse_bad(struct vmdef_file *f, const char *text)
{
	struct config_errors e = { 0 };

	memset(f, 0, sizeof *f);
	assert_int_equal(vmdef_parse(f, "bad.yaml", NULL, text, strlen(text), &e), -1);
	config_errors_free(&e);
}

/* plan_make is refused f, without touching its VMs; err holds want. */
static void
plan_refused(virConnectPtr conn, const struct vmdef_file *f, const char *want)
{
	struct plan p;
	char *err = NULL;

	assert_int_equal(plan_make(conn, f, &p, &err), -1);
	assert_contains(err, want);
	assert_int_equal(p.nvms, 0);
	assert_null(p.uri);
	free(err);
	plan_free(&p);
}

/* Definitions with errors are never planned: a VM without a name, wrong
 * types, an empty file, vmtui's configuration file, one bad VM among good
 * ones. Each would have sent a NULL name or bus to libvirt or xstrdup. */
static void
test_plan_refuses_invalid(void **state)
{
	virConnectPtr conn = *state;
	static const char *const bad[] = {
		"vcpus: 1\nmemory: 256M\n",
		"name: [a]\nvcpus: {current: x}\nmemory: [1]\ndisks: 7\nnets: {a: 1}\n",
		"name: w\nnets: [{mac: 1}]\n",
		"",
		"---\n---\n",
		"- name: fine\n  networks: []\n- vcpus: 2\n",
		"interval: 2\nreadonly: false\ngraphs: auto\nkeys: {quit: q}\n",
	};
	struct vmdef_file f;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof *bad; i++) {
		parse_bad(&f, bad[i]);
		plan_refused(conn, &f, "; nothing was planned. Fix them (vmtui validate)");
		vmdef_file_free(&f);
	}
	assert_false(dom_exists(conn, "fine"));
}

/* A definition put together by hand with a part missing is refused too,
 * naming the VM's place and what it lacks. */
static void
test_plan_refuses_incomplete(void **state)
{
	virConnectPtr conn = *state;
	struct vmdef_file f;
	char *name;

	parse_ok(&f, "- name: one\n  networks: []\n- name: two\n  disks: [1]\n"
	             "  networks: []\n");
	name = f.vms[1].name;
	f.vms[1].name = NULL;
	plan_refused(conn, &f, "VM 2 of the definitions (t.yaml:3:3) is incomplete: it has no "
	                       "name; nothing was planned.");
	f.vms[1].name = name;
	free(f.vms[1].disks[0].bus);
	f.vms[1].disks[0].bus = NULL;
	plan_refused(conn, &f, "is incomplete: a disk has no bus;");
	vmdef_file_free(&f);
}

/* apply_run takes only a finished plan of complete definitions. */
static void
test_apply_refuses_unfinished(void **state)
{
	virConnectPtr conn = *state;
	struct vmdef_file f;
	struct plan p, none;
	char *err = NULL, *name;

	memset(&none, 0, sizeof none);
	assert_int_equal(apply_run(conn, &none, NULL, NULL, &err), -1);
	assert_contains(err, "There is no finished plan to apply");
	free(err);
	parse_ok(&f, "name: late\nnetworks: []\n");
	plan_ok(conn, &f, &p);
	assert_int_equal(p.nerrors, 0);
	/* The definition loses its name after planning. */
	name = f.vms[0].name;
	f.vms[0].name = NULL;
	assert_int_equal(apply_run(conn, &p, NULL, NULL, &err), -1);
	assert_contains(err, "VM 1 of the plan is incomplete: it has no name; nothing was "
	                     "changed.");
	free(err);
	f.vms[0].name = name;
	assert_false(dom_exists(conn, "late"));
	plan_free(&p);
	vmdef_file_free(&f);
}

/* Quotes, ampersands and angle brackets reach libvirt as the text. */
static void
test_escaping(void **state)
{
	virConnectPtr conn = *state;
	struct seen s = { "" };
	struct vmdef_file f;
	struct plan p;
	virDomainPtr dom;
	char *xml;

	parse_ok(&f, "name: q1\nnetworks: []\nboot:\n  kernel: \"/k/a&b'c\\\"<d>\"\n"
	             "  cmdline: \"x='1 & 2' y=\\\"<3>\\\"\"\n");
	plan_ok(conn, &f, &p);
	apply_ok(conn, &p, &s);
	dom = virDomainLookupByName(conn, "q1");
	assert_non_null(dom);
	xml = virDomainGetXMLDesc(dom, 0);
	assert_contains(xml, "<kernel>/k/a&amp;b&apos;c&quot;&lt;d&gt;</kernel>");
	assert_contains(xml, "<cmdline>x=&apos;1 &amp; 2&apos; y=&quot;&lt;3&gt;&quot;</cmdline>");
	free(xml);
	virDomainFree(dom);
	plan_free(&p);
	vmdef_file_free(&f);
}

/* An exported VM planned under another name: the same shape. */
static void
test_export_roundtrip(void **state)
{
	virConnectPtr conn = *state;
	struct seen s = { "" };
	struct vmdef_file f, g;
	struct plan p;
	char *yaml, *err = NULL;

	parse_ok(&f, "name: x1\nmemory: {current: 200M, max: 300M}\nvcpus: 3\n"
	             "disks: [{size: 2G, pool: default-pool},\n"
	             "        {image: base.qcow2, pool: default-pool, bus: sata}]\n"
	             "networks: [{user: true, model: e1000}]\ncloud_init: false\n");
	plan_ok(conn, &f, &p);
	apply_ok(conn, &p, &s);
	plan_free(&p);
	yaml = plan_export(conn, "x1", &err);
	if (yaml == NULL)
		fail_msg("plan_export: %s", err);
	assert_contains(yaml, "vcpus: 3\nmemory: {current: 200M, max: 300M}\n"
	                             "disks:\n- size: 2G\n  pool: default-pool\n  format: qcow2\n"
	                             "  bus: virtio\n- size: 1G\n  pool: default-pool\n"
	                             "  format: qcow2\n  bus: sata\nnetworks:\n- user: true\n"
	                             "  model: e1000\n");
	parse_ok(&g, yaml);
	free(g.vms[0].name);
	g.vms[0].name = strdup("x2");
	plan_ok(conn, &g, &p);
	assert_int_equal(p.nerrors, 0);
	assert_int_equal(p.vms[0].kind, PLAN_CREATE);
	assert_int_equal(p.vms[0].vols[1].capacity, GiB);
	apply_ok(conn, &p, &s);
	plan_free(&p);
	/* The copy compares equal with the original's definition. */
	free(f.vms[0].name);
	f.vms[0].name = strdup("x2");
	plan_ok(conn, &f, &p);
	assert_int_equal(p.vms[0].kind, PLAN_SAME);
	plan_free(&p);
	assert_null(plan_export(conn, "nosuch", &err));
	assert_string_equal(err, "there is no VM named \"nosuch\" (virsh list --all shows them)");
	free(err);
	free(yaml);
	vmdef_file_free(&f);
	vmdef_file_free(&g);
}

static void
test_fmt_size(void **state)
{
	char b[32];

	(void)state;
	plan_fmt_size(b, sizeof b, 0);
	assert_string_equal(b, "0B");
	plan_fmt_size(b, sizeof b, 1000);
	assert_string_equal(b, "1000B");
	plan_fmt_size(b, sizeof b, 64 * MiB);
	assert_string_equal(b, "64M");
	plan_fmt_size(b, sizeof b, 3 * GiB / 2);
	assert_string_equal(b, "1.5G");
	plan_fmt_size(b, sizeof b, 57344 + 100);
	assert_string_equal(b, "56.1K");
	plan_fmt_size(b, sizeof b, 2048ull * GiB * 1024);
	assert_string_equal(b, "2048T");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_plan_create, setup, teardown),
		cmocka_unit_test_setup_teardown(test_apply_create_then_same, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plan_update, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plan_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_warnings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_apply_rolls_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plan_refuses_invalid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plan_refuses_incomplete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_apply_refuses_unfinished, setup, teardown),
		cmocka_unit_test_setup_teardown(test_escaping, setup, teardown),
		cmocka_unit_test_setup_teardown(test_export_roundtrip, setup, teardown),
		cmocka_unit_test(test_fmt_size),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	xmlCleanupParser();
	return rc;
}
