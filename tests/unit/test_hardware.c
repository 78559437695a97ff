/* test_hardware.c — model/guest/hardware.h: a guest's devices live and
 * saved merged (what differs marked), and every disk, CD-ROM and NIC change
 * planned: its steps, flags, when, virsh lines, diffs and refusals; then
 * hw_build against libvirt's test driver. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/defs/textdiff.h"
#include "model/guest/hardware.h"
#include "model/host/lvutil.h"

/* The running guest: vdb plugged in live only, a CD in the drive live
 * only, NIC ...:01 with its link down now. */
static const char live[] =
	"<domain type='qemu' id='7'><name>web1</name><devices>"
	"<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
	"<source file='/pool/web1.qcow2' index='2'/><backingStore/>"
	"<target dev='vda' bus='virtio'/><alias name='virtio-disk0'/></disk>"
	"<disk type='file' device='disk'><driver name='qemu' type='raw'/>"
	"<source file='/pool/extra.img'/><target dev='vdb' bus='virtio'/></disk>"
	"<disk type='file' device='cdrom'><driver name='qemu' type='raw'/>"
	"<source file='/iso/a.iso'/><target dev='sda' bus='sata'/><readonly/></disk>"
	"<interface type='network'><mac address='52:54:00:00:00:01'/>"
	"<source network='default' bridge='virbr0'/><target dev='vnet0'/>"
	"<model type='virtio'/><link state='down'/><alias name='net0'/></interface>"
	"<serial type='pty'><source path='/dev/pts/3'/><target port='0'/></serial>"
	"</devices></domain>";

/* Its saved configuration: no vdb, an empty drive, a second NIC to come. */
static const char saved[] =
	"<domain type='qemu'><name>web1</name><devices>"
	"<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
	"<source file='/pool/web1.qcow2'/><target dev='vda' bus='virtio'/></disk>"
	"<disk type='file' device='cdrom'><driver name='qemu' type='raw'/>"
	"<target dev='sda' bus='sata'/><readonly/></disk>"
	"<interface type='network'><mac address='52:54:00:00:00:01'/>"
	"<source network='default'/><model type='virtio'/></interface>"
	"<interface type='bridge'><mac address='52:54:00:00:00:02'/>"
	"<source bridge='br0'/><model type='e1000'/></interface>"
	"<serial type='pty'><target port='0'/></serial>"
	"</devices></domain>";

static struct hw_devices running, off;

static int
setup(void **state)
{
	char *err = NULL;

	(void)state;
	if (hw_devices_set(&running, "web1", live, saved, &err) < 0 ||
	    hw_devices_set(&off, "web1", NULL, saved, &err) < 0)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	hw_devices_free(&running);
	hw_devices_free(&off);
	return 0;
}

static const struct hw_item *
item(const struct hw_devices *h, const char *name)
{
	const struct hw_item *it = hw_devices_lookup(h, name);

	if (it == NULL)
		fail_msg("no device %s", name);
	return it;
}

static void
test_merge(void **state)
{
	(void)state;
	assert_true(running.running);
	assert_true(running.persistent);
	assert_int_equal(running.n, 6);
	assert_int_equal(item(&running, "vda")->diff, HWD_SAME);
	assert_int_equal(item(&running, "vdb")->diff, HWD_LIVE_ONLY);
	assert_null(item(&running, "vdb")->saved);
	assert_int_equal(item(&running, "sda")->diff, HWD_CHANGED);
	assert_int_equal(item(&running, "52:54:00:00:00:01")->diff, HWD_CHANGED);
	assert_int_equal(item(&running, "52:54:00:00:00:02")->diff, HWD_SAVED_ONLY);
	assert_null(item(&running, "52:54:00:00:00:02")->live);
	assert_int_equal(item(&running, "serial:0")->diff, HWD_SAME);
	/* The saved-only NIC sits after the NIC before it in the saved XML. */
	assert_ptr_equal(&running.v[4], item(&running, "52:54:00:00:00:02"));
	assert_string_equal(hw_diff_text(HWD_SAVED_ONLY), "next boot");
	assert_string_equal(hw_diff_text(HWD_SAME), "");

	assert_false(off.running);
	assert_int_equal(off.n, 5);
	assert_int_equal(item(&off, "sda")->diff, HWD_SAME);
	assert_ptr_equal(hw_item_dev(item(&off, "vda")), item(&off, "vda")->saved);
	assert_null(hw_devices_lookup(&off, "vdb"));
}

/* Plan r on h with e; the change, which must succeed. */
static struct hw_change
plan(const struct hw_devices *h, const struct hw_req *r, const struct hw_env *e)
{
	struct hw_change c;
	char *err = NULL;

	if (hw_plan(h, r, e, &c, &err) < 0)
		fail_msg("refused: %s", err);
	return c;
}

static void
expect_refusal(const struct hw_devices *h, const struct hw_req *r, const struct hw_env *e,
               const char *part)
{
	struct hw_change c;
	char *err = NULL;

	assert_int_equal(hw_plan(h, r, e, &c, &err), -1);
	assert_non_null(err);
	if (strstr(err, part) == NULL)
		fail_msg("\"%s\" lacks \"%s\"", err, part);
	assert_int_equal(c.nsteps, 0);
	free(err);
}

static void
test_disk_add_volume(void **state)
{
	struct hw_req r = { .op = HWOP_DISK_ADD, .pool = "default", .size = 10ull << 30 };
	struct hw_env e = { .uri = "qemu:///system" };
	struct hw_change c;
	size_t rm, add;

	(void)state;
	c = plan(&running, &r, &e);
	assert_int_equal(c.when, HW_LIVE | HW_CONFIG);
	assert_int_equal(c.nsteps, 2);
	assert_int_equal(c.steps[0].kind, HW_VOL_CREATE);
	assert_string_equal(c.steps[0].pool, "default");
	/* vdb is taken by the running guest only: the next free is vdc. */
	assert_string_equal(c.steps[0].vol, "web1-vdc.qcow2");
	assert_non_null(strstr(c.steps[0].xml, "<capacity unit=\"bytes\">10737418240</capacity>"));
	assert_string_equal(c.steps[0].virsh, "virsh -c qemu:///system vol-create-as default "
	                                      "web1-vdc.qcow2 10G --format qcow2");
	assert_int_equal(c.steps[1].kind, HW_ATTACH);
	assert_int_equal(c.steps[1].flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG);
	assert_non_null(strstr(c.steps[1].xml, "<source pool=\"default\" volume=\"web1-vdc.qcow2\"/>"));
	assert_string_equal(c.steps[1].virsh, "virsh -c qemu:///system attach-device web1 "
	                                      "web1-vdc.xml --live --config");
	assert_string_equal(c.what, "Add disk vdc (new 10 GiB qcow2 volume web1-vdc.qcow2 in pool "
	                            "default, virtio) to web1");
	assert_non_null(c.diff_live);
	assert_non_null(c.diff_saved);
	textdiff_count(c.diff_saved, &rm, &add);
	assert_int_equal(rm, 0);
	assert_int_equal(add, 5);
	assert_non_null(strstr(c.diff_saved, "+    <disk type=\"volume\" device=\"disk\">"));
	hw_change_free(&c);

	/* Shut off: saved for the next boot only; a name given. */
	r.vol = "data.img";
	r.format = "raw";
	r.when = 0;
	c = plan(&off, &r, &e);
	assert_int_equal(c.when, HW_CONFIG);
	assert_string_equal(c.steps[0].vol, "data.img");
	assert_int_equal(c.steps[1].flags, VIR_DOMAIN_AFFECT_CONFIG);
	assert_null(c.diff_live);
	assert_string_equal(c.steps[1].virsh, "virsh -c qemu:///system attach-device web1 "
	                                      "web1-vdb.xml --config");
	hw_change_free(&c);

	e.vol_exists = true;
	expect_refusal(&off, &r, &e, "already has a volume data.img");
	e.vol_exists = false;
	r.when = HW_LIVE;
	expect_refusal(&off, &r, &e, "is not running");
	r.when = 0;
	r.pool = NULL;
	expect_refusal(&off, &r, &e, "pool to make it in");
}

static void
test_disk_add_file(void **state)
{
	struct hw_req r = { .op = HWOP_DISK_ADD, .path = "/srv/x.img", .bus = "sata",
		            .target = "sdc", .cache = "none" };
	struct hw_env e = { 0 };
	struct hw_change c;

	(void)state;
	/* SATA cannot be hot-plugged: saved for the next boot, and said. */
	c = plan(&running, &r, &e);
	assert_int_equal(c.when, HW_CONFIG);
	assert_int_equal(c.nsteps, 1);
	assert_string_equal(c.what, "Add disk sdc (/srv/x.img, sata, raw) to web1 (SATA disks "
	                            "cannot be hot-plugged)");
	assert_non_null(strstr(c.steps[0].xml, "cache=\"none\""));
	assert_string_equal(c.steps[0].virsh, "virsh attach-device web1 web1-sdc.xml --config");
	hw_change_free(&c);
	r.when = HW_LIVE | HW_CONFIG;
	expect_refusal(&running, &r, &e, "SATA disks cannot be hot-plugged");
	r.when = 0;
	r.bus = "virtio";
	r.target = "vdb";
	expect_refusal(&running, &r, &e, "already has a disk vdb");
	r.target = "vd0";
	expect_refusal(&running, &r, &e, "not a disk target name");
	r.target = NULL;
	e.users = "db1";
	expect_refusal(&running, &r, &e, "is the disk of db1 too");
	e.users = NULL;
	/* A block device of a pool, its format as the pool knows it. */
	e.src_path = "/dev/vg/lv1";
	e.src_block = true;
	e.src_format = "raw";
	r.path = NULL;
	r.pool = "vg";
	r.vol = "lv1";
	c = plan(&running, &r, &e);
	assert_non_null(strstr(c.steps[0].xml, "<source dev=\"/dev/vg/lv1\"/>"));
	assert_int_equal(c.when, HW_LIVE | HW_CONFIG);
	hw_change_free(&c);
	r.pool = r.vol = NULL;
	e.src_path = NULL;
	expect_refusal(&running, &r, &e, "Say what the new disk is");
	r.bus = "floppy";
	expect_refusal(&running, &r, &e, "virtio, sata, scsi or usb");
}

static void
test_cd_drive_add(void **state)
{
	struct hw_req r = { .op = HWOP_DISK_ADD, .cdrom = true };
	struct hw_env e = { 0 };
	struct hw_change c;

	(void)state;
	c = plan(&off, &r, &e);
	assert_string_equal(c.what, "Add an empty CD-ROM drive sdb (sata) to web1");
	assert_non_null(strstr(c.steps[0].xml, "device=\"cdrom\""));
	hw_change_free(&c);
	r.bus = "scsi";
	r.path = "/iso/b.iso";
	c = plan(&running, &r, &e);
	assert_int_equal(c.when, HW_LIVE | HW_CONFIG);
	assert_string_equal(c.what, "Add CD-ROM drive sdb (with /iso/b.iso, scsi) to web1");
	hw_change_free(&c);
	r.size = 1;
	r.pool = "default";
	expect_refusal(&running, &r, &e, "takes an ISO");
}

static void
test_disk_remove(void **state)
{
	struct hw_req r = { .op = HWOP_DISK_REMOVE, .dev = "vda" };
	struct hw_env e = { .rm_pool = "default", .rm_vol = "web1.qcow2" };
	struct hw_change c;

	(void)state;
	c = plan(&running, &r, &e);
	assert_int_equal(c.nsteps, 1);
	assert_int_equal(c.steps[0].kind, HW_DETACH);
	assert_int_equal(c.steps[0].flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG);
	/* Both sides alike: the saved element, without the runtime parts. */
	assert_null(strstr(c.steps[0].xml, "alias"));
	assert_string_equal(c.steps[0].virsh, "virsh detach-disk web1 vda --live --config");
	assert_string_equal(c.what, "Remove disk vda (/pool/web1.qcow2) from web1, keeping its "
	                            "volume");
	assert_non_null(strstr(c.diff_live, "-      <source file=\"/pool/web1.qcow2\" index=\"2\"/>"));
	hw_change_free(&c);

	r.delete_vol = true;
	c = plan(&running, &r, &e);
	assert_int_equal(c.nsteps, 2);
	assert_int_equal(c.steps[1].kind, HW_VOL_DELETE);
	assert_string_equal(c.steps[1].pool, "default");
	assert_string_equal(c.steps[1].vol, "web1.qcow2");
	assert_string_equal(c.steps[1].virsh, "virsh vol-delete web1.qcow2 --pool default");
	hw_change_free(&c);
	e.users = "web2";
	expect_refusal(&running, &r, &e, "used by web2 too");
	e.users = NULL;
	r.when = HW_LIVE;
	expect_refusal(&running, &r, &e, "stays in the saved configuration");
	r.when = 0;
	e.rm_pool = e.rm_vol = NULL;
	expect_refusal(&running, &r, &e, "in no storage pool");
	r.dev = "sda";
	expect_refusal(&running, &r, &e, "its medium is not deleted");
	r.delete_vol = false;

	/* vdb is in the running guest only: detached from it alone. */
	r.dev = "vdb";
	c = plan(&running, &r, &e);
	assert_int_equal(c.when, HW_LIVE);
	assert_int_equal(c.steps[0].flags, VIR_DOMAIN_AFFECT_LIVE);
	assert_null(c.diff_saved);
	hw_change_free(&c);
	r.when = HW_CONFIG;
	expect_refusal(&running, &r, &e, "not in the saved configuration");
	r.when = 0;
	r.dev = "vdz";
	expect_refusal(&running, &r, &e, "has no disk vdz");
	r.dev = "52:54:00:00:00:01";
	expect_refusal(&running, &r, &e, "has no disk");
	r.dev = NULL;
	expect_refusal(&running, &r, &e, "Name the disk");
}

static void
test_disk_set(void **state)
{
	struct hw_req r = { .op = HWOP_DISK_SET, .dev = "vda", .cache = "writeback",
		            .discard = "unmap" };
	struct hw_env e = { 0 };
	struct hw_change c;

	(void)state;
	c = plan(&running, &r, &e);
	assert_int_equal(c.when, HW_CONFIG);
	assert_int_equal(c.steps[0].kind, HW_UPDATE);
	assert_int_equal(c.steps[0].flags, VIR_DOMAIN_AFFECT_CONFIG);
	assert_non_null(strstr(c.steps[0].xml, "cache=\"writeback\" discard=\"unmap\""));
	assert_string_equal(c.steps[0].virsh, "virsh update-device web1 web1-vda.xml --config");
	assert_string_equal(c.what, "Set disk vda of web1 to cache writeback, discard unmap");
	assert_null(c.diff_live);
	assert_non_null(strstr(c.diff_saved, "+      <driver name=\"qemu\" type=\"qcow2\" "
	                                     "cache=\"writeback\" discard=\"unmap\"/>"));
	hw_change_free(&c);
	r.when = HW_LIVE;
	expect_refusal(&running, &r, &e, "next boot only");
	r.when = 0;
	r.cache = "default";
	r.discard = NULL;
	expect_refusal(&running, &r, &e, "already has those settings");
	r.cache = NULL;
	expect_refusal(&running, &r, &e, "Say what to change");
	r.cache = "none";
	r.dev = "vdb";
	expect_refusal(&running, &r, &e, "not in the saved configuration");
	r.dev = "sda";
	expect_refusal(&running, &r, &e, "has no disk sda");
	r.dev = "vda";
	r.cache = "quick";
	expect_refusal(&running, &r, &e, "cache \"quick\"");
}

static void
test_media(void **state)
{
	struct hw_req r = { .op = HWOP_CD_INSERT, .dev = "sda", .path = "/iso/new.iso" };
	struct hw_env e = { .uri = "qemu:///system" };
	struct hw_change c;

	(void)state;
	/* The drive differs (a CD in it now only): one update each side. */
	c = plan(&running, &r, &e);
	assert_int_equal(c.when, HW_LIVE | HW_CONFIG);
	assert_int_equal(c.nsteps, 2);
	assert_int_equal(c.steps[0].flags, VIR_DOMAIN_AFFECT_LIVE);
	assert_int_equal(c.steps[1].flags, VIR_DOMAIN_AFFECT_CONFIG);
	assert_non_null(strstr(c.steps[0].xml, "<source file=\"/iso/new.iso\"/>"));
	assert_non_null(strstr(c.steps[1].xml, "<source file=\"/iso/new.iso\"/>"));
	assert_string_equal(c.steps[0].virsh, "virsh -c qemu:///system change-media web1 sda "
	                                      "/iso/new.iso --update --live");
	assert_string_equal(c.what, "Insert /iso/new.iso into CD-ROM sda of web1");
	assert_non_null(strstr(c.diff_live, "-      <source file=\"/iso/a.iso\"/>\n"
	                                    "+      <source file=\"/iso/new.iso\"/>"));
	hw_change_free(&c);
	/* Shut off, the empty drive: inserted. */
	c = plan(&off, &r, &e);
	assert_int_equal(c.nsteps, 1);
	assert_string_equal(c.steps[0].virsh, "virsh -c qemu:///system change-media web1 sda "
	                                      "/iso/new.iso --insert --config");
	hw_change_free(&c);

	r.op = HWOP_CD_EJECT;
	r.path = NULL;
	c = plan(&running, &r, &e);
	/* Only the running guest's drive holds a medium, but both are set. */
	assert_string_equal(c.what, "Eject /iso/a.iso from CD-ROM sda of web1");
	assert_null(strstr(c.steps[0].xml, "<source"));
	hw_change_free(&c);
	r.when = HW_LIVE;
	c = plan(&running, &r, &e);
	assert_int_equal(c.nsteps, 1);
	assert_string_equal(c.steps[0].virsh, "virsh -c qemu:///system change-media web1 sda "
	                                      "--eject --live");
	hw_change_free(&c);
	r.when = 0;
	expect_refusal(&off, &r, &e, "holds no medium");
	r.op = HWOP_CD_INSERT;
	expect_refusal(&off, &r, &e, "Say what to insert");
	r.dev = "vda";
	r.path = "/iso/x.iso";
	expect_refusal(&off, &r, &e, "has no CD-ROM drive vda");
}

static void
test_nics(void **state)
{
	struct hw_req r = { .op = HWOP_NIC_ADD, .source = "lab" };
	struct hw_env e = { .mac = "52:54:00:12:34:56" };
	struct hw_change c;

	(void)state;
	c = plan(&running, &r, &e);
	assert_int_equal(c.when, HW_LIVE | HW_CONFIG);
	assert_string_equal(c.what, "Add NIC 52:54:00:12:34:56 on network lab (virtio) to web1");
	assert_non_null(strstr(c.steps[0].xml, "<mac address=\"52:54:00:12:34:56\"/>"));
	assert_string_equal(c.steps[0].virsh, "virsh attach-device web1 web1-52-54-00-12-34-56.xml "
	                                      "--live --config");
	hw_change_free(&c);
	r.mac = "52:54:00:00:00:02";
	expect_refusal(&running, &r, &e, "already has a NIC with MAC");
	r.mac = NULL;
	r.model = "tulip";
	expect_refusal(&running, &r, &e, "NIC model");

	r = (struct hw_req){ .op = HWOP_NIC_REMOVE, .dev = "52:54:00:00:00:02" };
	c = plan(&running, &r, &e);
	assert_int_equal(c.when, HW_CONFIG);
	assert_string_equal(c.steps[0].virsh, "virsh detach-interface web1 bridge --mac "
	                                      "52:54:00:00:00:02 --config");
	assert_string_equal(c.what, "Remove NIC 52:54:00:00:00:02 (bridge br0) from web1");
	hw_change_free(&c);
	r.dev = "vda";
	expect_refusal(&running, &r, &e, "has no NIC vda");

	/* The link is down now, up in the saved configuration. */
	r = (struct hw_req){ .op = HWOP_NIC_LINK, .dev = "52:54:00:00:00:01", .link_down = false };
	c = plan(&running, &r, &e);
	assert_int_equal(c.nsteps, 2);
	assert_non_null(strstr(c.steps[0].xml, "<link state=\"up\"/>"));
	assert_string_equal(c.steps[0].virsh, "virsh domif-setlink web1 52:54:00:00:00:01 up");
	assert_string_equal(c.steps[1].virsh, "virsh domif-setlink web1 52:54:00:00:00:01 up "
	                                      "--config");
	assert_string_equal(c.what, "Set the link of NIC 52:54:00:00:00:01 of web1 up");
	hw_change_free(&c);
	r.link_down = true;
	r.when = HW_LIVE;
	expect_refusal(&running, &r, &e, "is down already");
	r.when = 0;
	c = plan(&off, &r, &e);
	assert_int_equal(c.nsteps, 1);
	assert_string_equal(c.steps[0].virsh, "virsh domif-setlink web1 52:54:00:00:00:01 down "
	                                      "--config");
	hw_change_free(&c);

	r = (struct hw_req){ .op = HWOP_NIC_MOVE, .dev = "52:54:00:00:00:02", .net_type = "network",
		             .source = "lab" };
	c = plan(&running, &r, &e);
	assert_int_equal(c.when, HW_CONFIG);
	assert_string_equal(c.what, "Move NIC 52:54:00:00:00:02 of web1 from bridge br0 to "
	                            "network lab");
	assert_non_null(strstr(c.steps[0].xml, "<source network=\"lab\"/>"));
	assert_string_equal(c.steps[0].virsh, "virsh update-device web1 web1-52-54-00-00-00-02.xml "
	                                      "--config");
	hw_change_free(&c);
	r.source = "br0";
	r.net_type = "bridge";
	expect_refusal(&running, &r, &e, "is on bridge br0 already");
}

/* hw_build on libvirt's test driver: the running guest "test" has vda and
 * a NIC on network "default". */
static void
test_build(void **state)
{
	virConnectPtr conn = lv_open("test:///default", false, NULL);
	virDomainPtr d;
	struct hw_req r = { .op = HWOP_NIC_ADD };
	struct hw_change c;
	struct hw_devices h;
	char *err = NULL;

	(void)state;
	assert_non_null(conn);
	d = virDomainLookupByName(conn, "test");
	assert_non_null(d);
	assert_int_equal(hw_devices_read(d, &h, &err), 0);
	assert_true(h.running);
	assert_non_null(hw_devices_lookup(&h, "vda"));
	assert_non_null(hw_devices_lookup(&h, "AA:BB:CC:DD:EE:FF"));
	hw_devices_free(&h);

	assert_int_equal(hw_build(d, "test:///default", &r, &c, &err), 0);
	assert_int_equal(c.when, HW_LIVE | HW_CONFIG);
	assert_non_null(strstr(c.what, "Add NIC 52:54:00:"));
	assert_non_null(strstr(c.steps[0].xml, "<source network=\"default\"/>"));
	{
		char *v = hw_virsh_line(&c);
		assert_non_null(strstr(v, "virsh -c test:///default attach-device test test-52-54-00-"));
		free(v);
	}
	hw_change_free(&c);
	r.source = "nowhere";
	assert_int_equal(hw_build(d, NULL, &r, &c, &err), -1);
	assert_string_equal(err, "The host has no network nowhere (vmtui net list shows them).");
	free(err);

	r = (struct hw_req){ .op = HWOP_DISK_ADD, .pool = "nopool", .size = 1 << 20 };
	assert_int_equal(hw_build(d, NULL, &r, &c, &err), -1);
	assert_string_equal(err, "The host has no storage pool nopool.");
	free(err);
	r.pool = "default-pool";
	assert_int_equal(hw_build(d, NULL, &r, &c, &err), 0);
	assert_string_equal(c.steps[0].virsh, "virsh vol-create-as default-pool test-vdb.qcow2 1M "
	                                      "--format qcow2");
	hw_change_free(&c);
	r = (struct hw_req){ .op = HWOP_DISK_ADD, .pool = "default-pool", .vol = "none.img" };
	assert_int_equal(hw_build(d, NULL, &r, &c, &err), -1);
	assert_string_equal(err, "Pool default-pool has no volume none.img.");
	free(err);
	/* A removal whose file is in no pool keeps it. */
	r = (struct hw_req){ .op = HWOP_DISK_REMOVE, .dev = "vda", .delete_vol = true };
	assert_int_equal(hw_build(d, NULL, &r, &c, &err), -1);
	assert_non_null(strstr(err, "/guest/diskimage1, in no storage pool"));
	free(err);
	virDomainFree(d);
	virConnectClose(conn);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_merge),        cmocka_unit_test(test_disk_add_volume),
		cmocka_unit_test(test_disk_add_file), cmocka_unit_test(test_cd_drive_add),
		cmocka_unit_test(test_disk_remove),  cmocka_unit_test(test_disk_set),
		cmocka_unit_test(test_media),        cmocka_unit_test(test_nics),
		cmocka_unit_test(test_build),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
