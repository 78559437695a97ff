/* test_devxml.c — model/defs/devxml.h: the devices of a domain XML (kinds,
 * keys, summaries, elements), the device XML made for disks, CD-ROM media,
 * NICs and volumes, the checks, the next free target, and the domain XML
 * with a device added, removed or replaced. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/defs/devxml.h"
#include "model/defs/textdiff.h"

/* A running guest's XML, as libvirt writes it, with one of each kind. */
static const char dom[] =
	"<domain type='kvm' id='3'>\n"
	"  <name>web1</name>\n"
	"  <memory unit='KiB'>524288</memory>\n"
	"  <devices>\n"
	"    <emulator>/usr/bin/qemu-system-x86_64</emulator>\n"
	"    <disk type='file' device='disk'>\n"
	"      <driver name='qemu' type='qcow2' cache='none' discard='unmap'/>\n"
	"      <source file='/var/lib/libvirt/images/web1.qcow2' index='1'/>\n"
	"      <backingStore/>\n"
	"      <target dev='vda' bus='virtio'/>\n"
	"      <alias name='virtio-disk0'/>\n"
	"    </disk>\n"
	"    <disk type='volume' device='disk'>\n"
	"      <driver name='qemu' type='raw'/>\n"
	"      <source pool='default' volume='data.img'/>\n"
	"      <target dev='vdc' bus='virtio'/>\n"
	"    </disk>\n"
	"    <disk type='file' device='cdrom'>\n"
	"      <driver name='qemu' type='raw'/>\n"
	"      <target dev='sda' bus='sata'/>\n"
	"      <readonly/>\n"
	"      <alias name='sata0-0-0'/>\n"
	"    </disk>\n"
	"    <controller type='usb' index='0' model='qemu-xhci'/>\n"
	"    <controller type='pci' index='0' model='pcie-root'/>\n"
	"    <controller type='pci' index='1' model='pcie-root-port'/>\n"
	"    <interface type='network'>\n"
	"      <mac address='52:54:00:AA:bb:01'/>\n"
	"      <source network='default' portid='x' bridge='virbr0'/>\n"
	"      <target dev='vnet3'/>\n"
	"      <model type='virtio'/>\n"
	"      <link state='down'/>\n"
	"      <alias name='net0'/>\n"
	"    </interface>\n"
	"    <interface type='bridge'>\n"
	"      <mac address='52:54:00:aa:bb:02'/>\n"
	"      <source bridge='br0'/>\n"
	"      <model type='e1000'/>\n"
	"    </interface>\n"
	"    <serial type='pty'>\n"
	"      <source path='/dev/pts/4'/>\n"
	"      <target type='isa-serial' port='0'/>\n"
	"    </serial>\n"
	"    <console type='pty' tty='/dev/pts/4'>\n"
	"      <target type='serial' port='0'/>\n"
	"    </console>\n"
	"    <channel type='unix'>\n"
	"      <target type='virtio' name='org.qemu.guest_agent.0'/>\n"
	"    </channel>\n"
	"    <input type='tablet' bus='usb'/>\n"
	"    <input type='mouse' bus='ps2'/>\n"
	"    <graphics type='vnc' port='5901' autoport='yes' listen='127.0.0.1'/>\n"
	"    <sound model='ich9'/>\n"
	"    <video><model type='virtio' heads='1'/></video>\n"
	"    <hostdev mode='subsystem' type='usb' managed='yes'>\n"
	"      <source><vendor id='0x1234'/><product id='0x5678'/></source>\n"
	"    </hostdev>\n"
	"    <hostdev mode='subsystem' type='pci' managed='yes'>\n"
	"      <source><address domain='0x0000' bus='0x01' slot='0x00' function='0x1'/></source>\n"
	"    </hostdev>\n"
	"    <watchdog model='i6300esb' action='reset'/>\n"
	"    <memballoon model='virtio'/>\n"
	"    <rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>\n"
	"    <tpm model='tpm-crb'><backend type='emulator' version='2.0'/></tpm>\n"
	"  </devices>\n"
	"</domain>\n";

static const struct dev *
must_find(const struct dev_list *l, const char *key)
{
	const struct dev *d = dev_list_find(l, key);

	if (d == NULL)
		fail_msg("no device %s", key);
	return d;
}

static void
test_parse_kinds(void **state)
{
	struct dev_list l;
	char *err = NULL;
	const struct dev *d;
	size_t i;

	(void)state;
	assert_int_equal(devxml_parse(dom, &l, &err), 0);
	assert_null(err);
	assert_int_equal(l.n, 22);
	d = must_find(&l, "disk:vda");
	assert_int_equal(d->kind, DEV_DISK);
	assert_string_equal(d->summary,
	                    "vda virtio qcow2 /var/lib/libvirt/images/web1.qcow2 cache=none "
	                    "discard=unmap");
	assert_string_equal(d->cache, "none");
	assert_non_null(strstr(d->xml, "virtio-disk0"));
	assert_true(strncmp(d->xml, "<disk", 5) == 0);
	d = must_find(&l, "disk:vdc");
	assert_string_equal(d->summary, "vdc virtio raw default/data.img");
	assert_string_equal(d->pool, "default");
	assert_string_equal(d->vol, "data.img");
	d = must_find(&l, "disk:sda");
	assert_int_equal(d->kind, DEV_CDROM);
	assert_string_equal(d->summary, "sda sata (no media)");
	assert_true(d->readonly);
	d = must_find(&l, "nic:52:54:00:aa:bb:01");
	assert_int_equal(d->kind, DEV_NIC);
	assert_string_equal(d->summary, "52:54:00:aa:bb:01 network default virtio link down");
	assert_true(d->link_down);
	d = must_find(&l, "nic:52:54:00:aa:bb:02");
	assert_string_equal(d->summary, "52:54:00:aa:bb:02 bridge br0 e1000");
	assert_string_equal(must_find(&l, "controller:pci:1")->summary,
	                    "pci pcie-root-port index=1");
	assert_string_equal(must_find(&l, "serial:0")->summary, "pty port=0");
	assert_string_equal(must_find(&l, "console:serial:0")->summary, "pty serial");
	assert_string_equal(must_find(&l, "channel:org.qemu.guest_agent.0")->summary,
	                    "unix org.qemu.guest_agent.0");
	assert_string_equal(must_find(&l, "graphics:vnc")->summary, "vnc listen=127.0.0.1");
	assert_string_equal(must_find(&l, "video:virtio")->summary, "virtio");
	assert_string_equal(must_find(&l, "hostdev:usb:0x1234:0x5678")->summary,
	                    "USB 0x1234:0x5678 managed");
	d = must_find(&l, "hostdev:pci:0000:01:00.1");
	assert_int_equal(d->kind, DEV_HOSTDEV_PCI);
	assert_string_equal(d->summary, "PCI 0000:01:00.1 managed");
	assert_string_equal(must_find(&l, "watchdog:i6300esb")->summary, "i6300esb action=reset");
	assert_string_equal(must_find(&l, "rng:virtio")->summary, "virtio random /dev/urandom");
	assert_string_equal(must_find(&l, "tpm:tpm-crb")->summary, "tpm-crb emulator version=2.0");
	assert_int_equal(must_find(&l, "memballoon:virtio")->kind, DEV_OTHER);
	assert_int_equal(must_find(&l, "input:mouse:ps2")->kind, DEV_INPUT);
	assert_int_equal(must_find(&l, "sound:ich9")->kind, DEV_SOUND);
	/* Keys are unique; every device has its element. */
	for (i = 0; i < l.n; i++) {
		size_t j;
		assert_non_null(l.v[i].xml);
		for (j = i + 1; j < l.n; j++)
			assert_string_not_equal(l.v[i].key, l.v[j].key);
	}
	assert_ptr_equal(dev_list_lookup(&l, "vda"), must_find(&l, "disk:vda"));
	assert_ptr_equal(dev_list_lookup(&l, "52:54:00:AA:BB:02"),
	                 must_find(&l, "nic:52:54:00:aa:bb:02"));
	assert_null(dev_list_lookup(&l, "vdz"));
	assert_string_equal(dev_kind_name(DEV_CDROM), "CD-ROM");
	dev_list_free(&l);
	dev_list_free(NULL);
}

static void
test_parse_bad(void **state)
{
	struct dev_list l;
	char *err = NULL;

	(void)state;
	assert_int_equal(devxml_parse("<domain><devices>", &l, &err), -1);
	assert_string_equal(err, "The domain XML is not well-formed.");
	free(err);
	assert_int_equal(devxml_parse("<network/>", &l, &err), -1);
	assert_non_null(strstr(err, "not a domain"));
	free(err);
	/* No devices at all, and repeated keys numbered. */
	assert_int_equal(devxml_parse("<domain/>", &l, &err), 0);
	assert_int_equal(l.n, 0);
	dev_list_free(&l);
	assert_int_equal(devxml_parse("<domain><devices><input type='keyboard' bus='usb'/>"
	                              "<input type='keyboard' bus='usb'/><interface type='user'/>"
	                              "</devices></domain>", &l, &err), 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0].key, "input:keyboard:usb");
	assert_string_equal(l.v[1].key, "input:keyboard:usb#2");
	assert_string_equal(l.v[2].key, "nic:");
	assert_string_equal(l.v[2].summary, "(no MAC) user");
	dev_list_free(&l);
}

static void
test_disk_xml(void **state)
{
	struct disk_spec s = { .src = DISK_SRC_FILE, .path = "/srv/a b.qcow2", .target = "vdb",
		               .bus = "virtio", .format = "qcow2", .cache = "writeback",
		               .discard = "unmap" };
	char *err = NULL, *x;

	(void)state;
	x = devxml_disk(&s, &err);
	assert_non_null(x);
	assert_string_equal(x, "<disk type=\"file\" device=\"disk\">\n"
	                       "  <driver name=\"qemu\" type=\"qcow2\" cache=\"writeback\" "
	                       "discard=\"unmap\"/>\n"
	                       "  <source file=\"/srv/a b.qcow2\"/>\n"
	                       "  <target dev=\"vdb\" bus=\"virtio\"/>\n"
	                       "</disk>\n");
	free(x);
	s = (struct disk_spec){ .src = DISK_SRC_VOLUME, .pool = "default", .vol = "d&<.img",
		                .target = "sdb", .bus = "scsi" };
	x = devxml_disk(&s, &err);
	assert_non_null(strstr(x, "<disk type=\"volume\" device=\"disk\">"));
	assert_non_null(strstr(x, "<source pool=\"default\" volume=\"d&amp;&lt;.img\"/>"));
	assert_non_null(strstr(x, "type=\"raw\""));
	free(x);
	s = (struct disk_spec){ .src = DISK_SRC_BLOCK, .path = "/dev/vg/data", .target = "sdc",
		                .bus = "sata", .cache = "default" };
	x = devxml_disk(&s, &err);
	assert_non_null(strstr(x, "<disk type=\"block\""));
	assert_non_null(strstr(x, "<source dev=\"/dev/vg/data\"/>"));
	assert_null(strstr(x, "cache="));
	free(x);
	/* An empty CD-ROM drive. */
	s = (struct disk_spec){ .cdrom = true, .target = "sdb", .bus = "sata", .discard = "unmap" };
	x = devxml_disk(&s, &err);
	assert_string_equal(x, "<disk type=\"file\" device=\"cdrom\">\n"
	                       "  <driver name=\"qemu\" type=\"raw\"/>\n"
	                       "  <target dev=\"sdb\" bus=\"sata\"/>\n"
	                       "  <readonly/>\n"
	                       "</disk>\n");
	free(x);
}

static void
expect_disk_error(struct disk_spec s, const char *part)
{
	char *err = NULL, *x = devxml_disk(&s, &err);

	assert_null(x);
	assert_non_null(err);
	if (strstr(err, part) == NULL)
		fail_msg("\"%s\" lacks \"%s\"", err, part);
	free(err);
}

static void
test_disk_errors(void **state)
{
	(void)state;
	expect_disk_error((struct disk_spec){ .src = DISK_SRC_FILE, .path = "/a", .target = "vdb",
	                                      .bus = "floppy" }, "virtio, sata, scsi or usb");
	expect_disk_error((struct disk_spec){ .cdrom = true, .target = "sdb", .bus = "virtio" },
	                  "sata, scsi, usb or ide");
	expect_disk_error((struct disk_spec){ .src = DISK_SRC_FILE, .path = "rel", .target = "vdb",
	                                      .bus = "virtio" }, "not an absolute path");
	expect_disk_error((struct disk_spec){ .src = DISK_SRC_FILE, .path = "/a", .target = "vd1",
	                                      .bus = "virtio" }, "not a disk target");
	expect_disk_error((struct disk_spec){ .src = DISK_SRC_FILE, .path = "/a", .target = "vdb",
	                                      .bus = "virtio", .cache = "fast" }, "cache \"fast\"");
	expect_disk_error((struct disk_spec){ .src = DISK_SRC_FILE, .path = "/a", .target = "vdb",
	                                      .bus = "virtio", .discard = "on" }, "unmap");
	expect_disk_error((struct disk_spec){ .src = DISK_SRC_FILE, .path = "/a", .target = "vdb",
	                                      .bus = "virtio", .format = "zip" }, "qcow2");
	expect_disk_error((struct disk_spec){ .src = DISK_SRC_NONE, .target = "vdb",
	                                      .bus = "virtio" }, "needs a file");
	expect_disk_error((struct disk_spec){ .src = DISK_SRC_VOLUME, .pool = "p", .target = "vdb",
	                                      .bus = "virtio" }, "pool and a volume");
	expect_disk_error((struct disk_spec){ .src = DISK_SRC_FILE, .path = "/a\001",
	                                      .target = "vdb", .bus = "virtio" }, "control");
}

static void
test_media(void **state)
{
	struct dev_list l;
	char *err = NULL, *x;
	const struct dev *cd;

	(void)state;
	assert_int_equal(devxml_parse(dom, &l, &err), 0);
	cd = must_find(&l, "disk:sda");
	x = devxml_media(cd->xml, "/iso/debian 12.iso", false, &err);
	assert_non_null(x);
	assert_string_equal(x, "<disk type=\"file\" device=\"cdrom\">\n"
	                       "  <driver name=\"qemu\" type=\"raw\"/>\n"
	                       "  <source file=\"/iso/debian 12.iso\"/>\n"
	                       "  <target dev=\"sda\" bus=\"sata\"/>\n"
	                       "  <readonly/>\n"
	                       "  <alias name=\"sata0-0-0\"/>\n"
	                       "</disk>\n");
	{
		/* And ejected again: no source left. */
		char *y = devxml_media(x, NULL, false, &err);
		assert_non_null(y);
		assert_null(strstr(y, "<source"));
		assert_non_null(strstr(y, "<target dev=\"sda\""));
		free(y);
		y = devxml_media(x, "/dev/sr0", true, &err);
		assert_non_null(strstr(y, "<disk type=\"block\""));
		assert_non_null(strstr(y, "<source dev=\"/dev/sr0\"/>"));
		assert_null(strstr(y, "debian"));
		free(y);
	}
	free(x);
	assert_null(devxml_media(must_find(&l, "disk:vda")->xml, "/a.iso", false, &err));
	assert_non_null(strstr(err, "no CD-ROM"));
	free(err);
	assert_null(devxml_media(cd->xml, "a.iso", false, &err));
	assert_non_null(strstr(err, "absolute"));
	free(err);
	assert_null(devxml_media("<interface/>", NULL, false, &err));
	assert_non_null(strstr(err, "<disk>"));
	free(err);
	dev_list_free(&l);
}

static void
test_tune(void **state)
{
	struct dev_list l;
	char *err = NULL, *x;

	(void)state;
	assert_int_equal(devxml_parse(dom, &l, &err), 0);
	x = devxml_disk_tune(must_find(&l, "disk:vda")->xml, "writeback", "", &err);
	assert_non_null(x);
	assert_non_null(strstr(x, "<driver name=\"qemu\" type=\"qcow2\" cache=\"writeback\"/>"));
	free(x);
	x = devxml_disk_tune(must_find(&l, "disk:vdc")->xml, NULL, "unmap", &err);
	assert_non_null(strstr(x, "<driver name=\"qemu\" type=\"raw\" discard=\"unmap\"/>"));
	free(x);
	x = devxml_disk_tune(must_find(&l, "disk:vda")->xml, "default", NULL, &err);
	assert_non_null(strstr(x, "<driver name=\"qemu\" type=\"qcow2\" discard=\"unmap\"/>"));
	free(x);
	assert_null(devxml_disk_tune(must_find(&l, "disk:vda")->xml, "turbo", NULL, &err));
	assert_non_null(strstr(err, "cache \"turbo\""));
	free(err);
	dev_list_free(&l);
}

static void
test_nic_xml(void **state)
{
	struct nic_spec s = { .type = "network", .source = "lab", .mac = "52:54:00:AB:CD:EF" };
	struct dev_list l;
	char *err = NULL, *x;

	(void)state;
	x = devxml_nic(&s, &err);
	assert_string_equal(x, "<interface type=\"network\">\n"
	                       "  <mac address=\"52:54:00:ab:cd:ef\"/>\n"
	                       "  <source network=\"lab\"/>\n"
	                       "  <model type=\"virtio\"/>\n"
	                       "</interface>\n");
	free(x);
	s = (struct nic_spec){ .type = "bridge", .source = "br0", .model = "e1000e",
		               .link_down = true };
	x = devxml_nic(&s, &err);
	assert_string_equal(x, "<interface type=\"bridge\">\n"
	                       "  <source bridge=\"br0\"/>\n"
	                       "  <model type=\"e1000e\"/>\n"
	                       "  <link state=\"down\"/>\n"
	                       "</interface>\n");
	free(x);
	s = (struct nic_spec){ .type = "direct", .source = "eth0" };
	assert_null(devxml_nic(&s, &err));
	free(err);
	s = (struct nic_spec){ .type = "network", .source = "x", .mac = "53:54:00:00:00:01" };
	assert_null(devxml_nic(&s, &err));
	assert_non_null(strstr(err, "unicast"));
	free(err);
	s = (struct nic_spec){ .type = "network", .source = "x", .model = "tulip" };
	assert_null(devxml_nic(&s, &err));
	assert_non_null(strstr(err, "virtio, e1000"));
	free(err);
	s = (struct nic_spec){ .type = "network" };
	assert_null(devxml_nic(&s, &err));
	free(err);

	assert_int_equal(devxml_parse(dom, &l, &err), 0);
	x = devxml_nic_link(must_find(&l, "nic:52:54:00:aa:bb:01")->xml, false, &err);
	assert_non_null(strstr(x, "<link state=\"up\"/>"));
	assert_null(strstr(x, "down"));
	free(x);
	x = devxml_nic_link(must_find(&l, "nic:52:54:00:aa:bb:02")->xml, true, &err);
	assert_non_null(strstr(x, "  <model type=\"e1000\"/>\n  <link state=\"down\"/>\n"));
	free(x);
	x = devxml_nic_move(must_find(&l, "nic:52:54:00:aa:bb:01")->xml, "bridge", "br1", &err);
	assert_non_null(x);
	assert_non_null(strstr(x, "<interface type=\"bridge\">\n"
	                          "  <mac address=\"52:54:00:AA:bb:01\"/>\n"
	                          "  <source bridge=\"br1\"/>\n"));
	assert_null(strstr(x, "portid"));
	assert_non_null(strstr(x, "<alias name=\"net0\"/>"));
	free(x);
	assert_null(devxml_nic_move(must_find(&l, "nic:52:54:00:aa:bb:01")->xml, "user", "x",
	                            &err));
	free(err);
	dev_list_free(&l);
}

static void
test_checks(void **state)
{
	char mac[18], mac2[18];

	(void)state;
	assert_true(devxml_mac_ok("52:54:00:12:34:56"));
	assert_false(devxml_mac_ok("52:54:00:12:34"));
	assert_false(devxml_mac_ok("01:00:5e:00:00:01"));
	assert_false(devxml_mac_ok("52-54-00-12-34-56"));
	assert_false(devxml_mac_ok(NULL));
	devxml_mac_make(1, mac);
	devxml_mac_make(2, mac2);
	assert_true(devxml_mac_ok(mac));
	assert_true(strncmp(mac, "52:54:00:", 9) == 0);
	assert_string_not_equal(mac, mac2);
	assert_true(devxml_target_ok("vdb"));
	assert_true(devxml_target_ok("sdaa"));
	assert_true(devxml_target_ok("xvda"));
	assert_false(devxml_target_ok("vd"));
	assert_false(devxml_target_ok("nvme0"));
	assert_false(devxml_target_ok("vdB"));
	assert_null(devxml_check_bus("virtio", false));
	assert_non_null(devxml_check_bus("ide", false));
	assert_null(devxml_check_bus("ide", true));
	assert_null(devxml_check_cache("none"));
	assert_null(devxml_check_discard("ignore"));
	assert_null(devxml_check_format("qcow2"));
	assert_null(devxml_check_model("e1000e"));
}

static void
test_next_target(void **state)
{
	struct dev_list l, saved;
	char *err = NULL, *t, xml[4096], *p;
	int i;

	(void)state;
	assert_int_equal(devxml_parse(dom, &l, &err), 0);
	t = devxml_next_target(&l, NULL, "virtio");
	assert_string_equal(t, "vdb");
	free(t);
	t = devxml_next_target(&l, NULL, "sata");
	assert_string_equal(t, "sdb");
	free(t);
	t = devxml_next_target(&l, NULL, "ide");
	assert_string_equal(t, "hda");
	free(t);
	/* A target only the saved XML has is taken too. */
	assert_int_equal(devxml_parse("<domain><devices><disk device='disk'><target dev='vdb'/>"
	                              "</disk></devices></domain>", &saved, &err), 0);
	t = devxml_next_target(&l, &saved, "virtio");
	assert_string_equal(t, "vdd");
	free(t);
	dev_list_free(&saved);
	dev_list_free(&l);
	/* After vdz comes vdaa. */
	p = xml + sprintf(xml, "<domain><devices>");
	for (i = 0; i < 26; i++)
		p += sprintf(p, "<disk><target dev='vd%c'/></disk>", 'a' + i);
	sprintf(p, "</devices></domain>");
	assert_int_equal(devxml_parse(xml, &l, &err), 0);
	t = devxml_next_target(&l, NULL, "virtio");
	assert_string_equal(t, "vdaa");
	free(t);
	dev_list_free(&l);
}

static void
test_volume(void **state)
{
	char *err = NULL, *x;

	(void)state;
	x = devxml_volume("web1-data.qcow2", 10ull << 30, "qcow2", &err);
	assert_string_equal(x, "<volume>\n"
	                       "  <name>web1-data.qcow2</name>\n"
	                       "  <capacity unit=\"bytes\">10737418240</capacity>\n"
	                       "  <target>\n"
	                       "    <format type=\"qcow2\"/>\n"
	                       "  </target>\n"
	                       "</volume>\n");
	free(x);
	assert_null(devxml_volume("a/b", 1, NULL, &err));
	free(err);
	assert_null(devxml_volume("a", 0, NULL, &err));
	assert_non_null(strstr(err, "size"));
	free(err);
}

/* The diff of the domain before and after, as the confirm dialog shows. */
static char *
diff_of(const char *after)
{
	char *err = NULL, *before = devxml_dom_normal(dom, &err), *d;

	assert_non_null(before);
	d = textdiff_unified(before, after, "a", "b", 0);
	free(before);
	return d;
}

static void
test_dom_changes(void **state)
{
	char *err = NULL, *x, *d, *nic;
	struct disk_spec s = { .src = DISK_SRC_FILE, .path = "/srv/b.img", .target = "vdb",
		               .bus = "virtio" };
	struct nic_spec n = { .type = "network", .source = "lab", .mac = "52:54:00:00:00:09" };
	struct dev_list l;
	size_t rm, add;

	(void)state;
	x = devxml_disk(&s, &err);
	d = devxml_dom_add(dom, x, &err);
	free(x);
	assert_non_null(d);
	/* The new disk sits after the last disk, and is read back. */
	assert_int_equal(devxml_parse(d, &l, &err), 0);
	assert_int_equal(l.n, 23);
	assert_string_equal(l.v[3].key, "disk:vdb");
	dev_list_free(&l);
	x = diff_of(d);
	textdiff_count(x, &rm, &add);
	assert_int_equal(rm, 0);
	assert_int_equal(add, 5);
	assert_non_null(strstr(x, "+    <disk type=\"file\" device=\"disk\">\n"
	                          "+      <driver name=\"qemu\" type=\"raw\"/>\n"));
	free(x);
	free(d);

	nic = devxml_nic(&n, &err);
	d = devxml_dom_add("<domain><name>a</name></domain>", nic, &err);
	assert_non_null(strstr(d, "<devices>\n    <interface type=\"network\">"));
	free(d);
	free(nic);

	d = devxml_dom_remove(dom, "nic:52:54:00:aa:bb:02", &err);
	x = diff_of(d);
	textdiff_count(x, &rm, &add);
	assert_int_equal(rm, 5);
	assert_int_equal(add, 0);
	assert_non_null(strstr(x, "-      <source bridge=\"br0\"/>\n"));
	free(x);
	free(d);

	x = devxml_media(strstr(dom, "<disk type='file' device='cdrom'>"), NULL, false, &err);
	assert_null(x); /* not a lone element: the rest of the domain follows */
	free(err);

	d = devxml_dom_replace(dom, "disk:vda",
	                       "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
	                       "<source file='/var/lib/libvirt/images/web1.qcow2' index='1'/>"
	                       "<backingStore/><target dev='vda' bus='virtio'/>"
	                       "<alias name='virtio-disk0'/></disk>", &err);
	x = diff_of(d);
	textdiff_count(x, &rm, &add);
	assert_int_equal(rm, 1);
	assert_int_equal(add, 1);
	assert_non_null(strstr(x, "+      <driver name=\"qemu\" type=\"qcow2\"/>\n"));
	free(x);
	free(d);

	assert_null(devxml_dom_remove(dom, "disk:vdz", &err));
	assert_string_equal(err, "The domain has no device disk:vdz.");
	free(err);
	assert_null(devxml_dom_add(dom, "<disk", &err));
	assert_non_null(strstr(err, "not well-formed"));
	free(err);
	assert_null(devxml_dom_add("<pool/>", "<disk/>", &err));
	free(err);
	assert_null(devxml_dom_normal("", &err));
	free(err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_kinds), cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_disk_xml),    cmocka_unit_test(test_disk_errors),
		cmocka_unit_test(test_media),       cmocka_unit_test(test_tune),
		cmocka_unit_test(test_nic_xml),     cmocka_unit_test(test_checks),
		cmocka_unit_test(test_next_target), cmocka_unit_test(test_volume),
		cmocka_unit_test(test_dom_changes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
