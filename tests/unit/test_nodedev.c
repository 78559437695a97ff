/* test_nodedev.c — model/host/nodedev.h: the host's PCI and USB devices
 * parsed from their node device XML, the host's own use of them, the
 * guests using them, the refusals and the <hostdev> XML.
 *
 * tests/unit/nodedev/ holds `virsh nodedev-dumpxml` output of the machine
 * this was written on (a KVM guest itself: virtio PCI devices, no IOMMU,
 * no USB); the handmade-*.xml files, in the same format, add what it has
 * not: a USB root hub, a USB stick, and a PCI device in an IOMMU group. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/host/nodedev.h"

#ifndef NODEDEV_DATA
#define NODEDEV_DATA "tests/unit/nodedev"
#endif

static char *
slurp(const char *name)
{
	char path[512], *buf;
	FILE *f;
	long n;

	snprintf(path, sizeof path, "%s/%s", NODEDEV_DATA, name);
	f = fopen(path, "r");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = calloc(1, (size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return buf;
}

static const char *const files[] = {
	"pci_0000_00_00_0.xml", "pci_0000_00_01_0.xml", "pci_0000_00_02_0.xml",
	"pci_0000_00_03_0.xml", "pci_0000_00_04_0.xml", "pci_0000_00_05_0.xml",
	"block_vda.xml", "net_eth0_02_fc_00_00_00_01.xml", "net_ifb0_e2_99_50_83_b1_04.xml",
	"handmade-usb_1_1.xml", "handmade-usb_1_4.xml", "handmade-pci_0000_00_14_0.xml",
	"handmade-pci_0000_00_14_2.xml",
};

static void
load(struct nodedev_list *l)
{
	size_t i;

	memset(l, 0, sizeof *l);
	for (i = 0; i < sizeof files / sizeof *files; i++) {
		char *x = slurp(files[i]);
		nodedev_list_add_xml(l, x);
		free(x);
	}
	nodedev_list_finish(l);
}

static const struct nodedev *
named(const struct nodedev_list *l, const char *name)
{
	char *err = NULL;
	const struct nodedev *d = nodedev_find(l, name, &err);

	assert_null(err);
	assert_non_null(d);
	return d;
}

static void
test_parse_pci(void **state)
{
	struct nodedev d;
	char *x = slurp("pci_0000_00_02_0.xml"), *err = NULL;

	(void)state;
	assert_int_equal(nodedev_parse(x, &d, &err), 0);
	assert_string_equal(d.name, "pci_0000_00_02_0");
	assert_int_equal(d.bus, NODEDEV_PCI);
	assert_string_equal(d.addr, "0000:00:02.0");
	assert_int_equal(d.slot, 2);
	assert_string_equal(d.pci_class, "0x018000");
	assert_string_equal(d.driver, "virtio-pci");
	assert_string_equal(d.vendor_id, "0x1af4");
	assert_string_equal(d.product_id, "0x1042");
	assert_string_equal(d.parent, "computer");
	assert_int_equal(d.iommu_group, -1);
	assert_false(d.bridge);
	nodedev_free(&d);
	free(x);

	x = slurp("handmade-pci_0000_00_14_0.xml");
	assert_int_equal(nodedev_parse(x, &d, &err), 0);
	assert_string_equal(d.addr, "0000:00:14.0");
	assert_int_equal(d.iommu_group, 3);
	assert_string_equal(d.product, "Cannon Lake PCH USB 3.1 xHCI Host Controller");
	nodedev_free(&d);
	free(x);

	x = slurp("pci_0000_00_00_0.xml");
	assert_int_equal(nodedev_parse(x, &d, &err), 0);
	assert_true(d.bridge);
	assert_null(d.driver);
	nodedev_free(&d);
	free(x);
}

static void
test_parse_usb_and_others(void **state)
{
	struct nodedev d;
	char *x = slurp("handmade-usb_1_4.xml"), *err = NULL;

	(void)state;
	assert_int_equal(nodedev_parse(x, &d, &err), 0);
	assert_int_equal(d.bus, NODEDEV_USB);
	assert_string_equal(d.addr, "001:004");
	assert_int_equal(d.usb_bus, 1);
	assert_int_equal(d.usb_dev, 4);
	assert_string_equal(d.vendor, "SanDisk Corp.");
	assert_false(d.root_hub);
	nodedev_free(&d);
	free(x);
	x = slurp("handmade-usb_1_1.xml");
	assert_int_equal(nodedev_parse(x, &d, &err), 0);
	assert_true(d.root_hub);
	nodedev_free(&d);
	free(x);
	/* a disk is neither PCI nor USB */
	x = slurp("block_vda.xml");
	assert_int_equal(nodedev_parse(x, &d, &err), 1);
	free(x);
	/* not a node device at all */
	assert_int_equal(nodedev_parse("<domain/>", &d, &err), -1);
	assert_non_null(err);
	free(err);
	err = NULL;
	assert_int_equal(nodedev_parse("<device><name>x", &d, &err), -1);
	free(err);
	err = NULL;
	assert_int_equal(nodedev_parse("<device><capability type='pci'/></device>", &d, &err), -1);
	assert_non_null(strstr(err, "no name"));
	free(err);
}

static void
test_list_host_use(void **state)
{
	struct nodedev_list l;
	const struct nodedev *d;

	(void)state;
	load(&l);
	assert_int_equal(l.n, 10); /* 8 PCI, 2 USB */
	assert_string_equal(l.v[0].name, "pci_0000_00_00_0");
	assert_int_equal(l.v[6].bus, NODEDEV_PCI);
	assert_string_equal(l.v[6].addr, "0000:00:14.0");
	assert_string_equal(l.v[7].addr, "0000:00:14.2");
	assert_int_equal(l.v[8].bus, NODEDEV_USB);
	d = named(&l, "pci_0000_00_02_0");
	assert_string_equal(d->host_use, "disk /dev/vda");
	d = named(&l, "00:03.0");
	assert_string_equal(d->host_use, "network interface eth0 (up)");
	assert_null(named(&l, "0000:00:05.0")->host_use);
	nodedev_list_free(&l);
}

static void
test_refusals(void **state)
{
	struct nodedev_list l;
	char *why;

	(void)state;
	load(&l);
	why = nodedev_refusal(named(&l, "pci_0000_00_00_0"), &l, "web1");
	assert_non_null(strstr(why, "is a PCI bridge (class 0x060000)"));
	free(why);
	why = nodedev_refusal(named(&l, "pci_0000_00_02_0"), &l, "web1");
	assert_non_null(strstr(why, "host's own"));
	assert_non_null(strstr(why, "disk /dev/vda"));
	free(why);
	why = nodedev_refusal(named(&l, "pci_0000_00_05_0"), &l, "web1");
	assert_non_null(strstr(why, "the host has no IOMMU"));
	free(why);
	why = nodedev_refusal(named(&l, "usb_usb1"), &l, "web1");
	assert_non_null(strstr(why, "root hub of USB bus 1"));
	free(why);
	assert_null(nodedev_refusal(named(&l, "usb_1_4"), &l, "web1"));
	assert_null(nodedev_refusal(named(&l, "pci_0000_00_14_0"), &l, "web1"));
	nodedev_list_free(&l);
}

static const char guest_xml[] =
	"<domain type='kvm'><name>db1</name><devices>"
	"<hostdev mode='subsystem' type='usb' managed='yes'><source>"
	"<vendor id='0x0781'/><product id='0x5567'/></source></hostdev>"
	"<hostdev mode='subsystem' type='pci' managed='yes'><source>"
	"<address domain='0x0000' bus='0x00' slot='0x14' function='0x0'/></source>"
	"<alias name='hostdev0'/></hostdev>"
	"</devices></domain>";

static void
test_guest_use(void **state)
{
	struct nodedev_list l;
	const struct nodedev *d;
	char *why, *in;

	(void)state;
	load(&l);
	nodedev_note_guest(&l, guest_xml, true);
	nodedev_note_guest(&l, "not xml", false);
	d = named(&l, "0781:5567");
	assert_string_equal(d->guest, "db1");
	assert_true(d->guest_live);
	assert_false(d->guest_saved);
	why = nodedev_refusal(d, &l, "web1");
	assert_non_null(strstr(why, "in use by guest db1 (running with it)"));
	free(why);
	why = nodedev_refusal(d, &l, "db1");
	assert_non_null(strstr(why, "passed through to db1 already"));
	free(why);
	d = named(&l, "pci_0000_00_14_0");
	assert_string_equal(d->guest, "db1");
	/* the rest of its IOMMU group goes with it: not to another guest */
	why = nodedev_refusal(named(&l, "pci_0000_00_14_2"), &l, "web1");
	assert_string_equal(why, "pci_0000_00_14_2 shares IOMMU group 3 with pci_0000_00_14_0, which "
	                    "guest db1 has: the group can only go to one guest.");
	free(why);
	assert_null(nodedev_refusal(named(&l, "pci_0000_00_14_2"), &l, "db1"));
	in = nodedev_hostdev_in(guest_xml, d);
	assert_non_null(in);
	assert_non_null(strstr(in, "slot='0x14'"));
	assert_non_null(strstr(in, "<alias name='hostdev0'/>"));
	free(in);
	assert_null(nodedev_hostdev_in(guest_xml, named(&l, "pci_0000_00_05_0")));
	assert_null(named(&l, "pci_0000_00_05_0")->guest);
	nodedev_list_free(&l);
}

static void
test_hostdev_xml_and_find(void **state)
{
	struct nodedev_list l;
	char *x, *err = NULL;

	(void)state;
	load(&l);
	x = nodedev_hostdev_xml(named(&l, "pci_0000_00_14_0"), &l);
	assert_string_equal(x, "<hostdev mode='subsystem' type='pci' managed='yes'>\n"
	                    "  <source>\n"
	                    "    <address domain='0x0000' bus='0x00' slot='0x14' function='0x0'/>\n"
	                    "  </source>\n"
	                    "</hostdev>\n");
	/* what is attached is found again in the guest's XML */
	{
		char *dom = malloc(strlen(x) + 64), *in;
		sprintf(dom, "<domain><name>a</name><devices>%s</devices></domain>", x);
		in = nodedev_hostdev_in(dom, named(&l, "00:14.0"));
		assert_non_null(in);
		free(in);
		free(dom);
	}
	free(x);
	x = nodedev_hostdev_xml(named(&l, "usb_1_4"), &l);
	assert_non_null(strstr(x, "<vendor id='0x0781'/>"));
	assert_non_null(strstr(x, "<product id='0x5567'/>"));
	free(x);
	assert_string_equal(named(&l, "1:4")->name, "usb_1_4");
	assert_null(nodedev_find(&l, "pci_9999", &err));
	assert_non_null(strstr(err, "No PCI or USB device \"pci_9999\""));
	free(err);
	err = NULL;
	assert_null(nodedev_find(&l, "00:1f.7", &err));
	free(err);
	x = nodedev_label(named(&l, "usb_1_4"));
	assert_string_equal(x, "0781:5567 SanDisk Corp. Cruzer Blade");
	free(x);
	nodedev_list_free(&l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_pci),
		cmocka_unit_test(test_parse_usb_and_others),
		cmocka_unit_test(test_list_host_use),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_guest_use),
		cmocka_unit_test(test_hostdev_xml_and_find),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
