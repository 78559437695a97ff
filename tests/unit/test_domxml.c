/* test_domxml.c — model/defs/domxml.h: the detail view's part of a domain XML. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/defs/domxml.h"

/* Shaped like `virsh dumpxml` output for a small KVM guest. */
static const char realistic[] =
	"<domain type='kvm' id='3'>\n"
	"  <name>web-01</name>\n"
	"  <uuid>6f1c9a2e-1111-4c4c-8888-000000000001</uuid>\n"
	"  <metadata>\n"
	"    <libosinfo:libosinfo xmlns:libosinfo='http://libosinfo.org/xmlns/libvirt/domain/1.0'>\n"
	"      <libosinfo:os id='http://debian.org/debian/12'/>\n"
	"    </libosinfo:libosinfo>\n"
	"  </metadata>\n"
	"  <memory unit='GiB'>4</memory>\n"
	"  <currentMemory unit='MiB'>3072</currentMemory>\n"
	"  <vcpu placement='static' current='2'>4</vcpu>\n"
	"  <os>\n"
	"    <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>\n"
	"    <boot dev='hd'/>\n"
	"  </os>\n"
	"  <features><acpi/><apic/></features>\n"
	"  <cpu mode='host-passthrough' check='none' migratable='on'/>\n"
	"  <devices>\n"
	"    <emulator>/usr/bin/qemu-system-x86_64</emulator>\n"
	"    <disk type='file' device='disk'>\n"
	"      <driver name='qemu' type='qcow2' discard='unmap'/>\n"
	"      <source file='/var/lib/libvirt/images/web-01.qcow2' index='2'/>\n"
	"      <backingStore/>\n"
	"      <target dev='vda' bus='virtio'/>\n"
	"      <alias name='virtio-disk0'/>\n"
	"    </disk>\n"
	"    <disk type='file' device='cdrom'>\n"
	"      <driver name='qemu' type='raw'/>\n"
	"      <target dev='sda' bus='sata'/>\n"
	"      <readonly/>\n"
	"    </disk>\n"
	"    <controller type='usb' index='0' model='qemu-xhci'/>\n"
	"    <interface type='network'>\n"
	"      <mac address='52:54:00:6b:3c:58'/>\n"
	"      <source network='default' portid='0b7f' bridge='virbr0'/>\n"
	"      <target dev='vnet2'/>\n"
	"      <model type='virtio'/>\n"
	"    </interface>\n"
	"    <interface type='user'>\n"
	"      <mac address='52:54:00:aa:bb:cc'/>\n"
	"      <model type='e1000e'/>\n"
	"    </interface>\n"
	"    <serial type='pty'><target port='0'/></serial>\n"
	"  </devices>\n"
	"</domain>\n";

static struct vm_config *
parse_ok(const char *xml)
{
	char *err = (char *)"sentinel";
	struct vm_config *c = domxml_parse(xml, &err);

	assert_non_null(c);
	assert_null(err);
	return c;
}

static void
test_realistic_top_level(void **state)
{
	struct vm_config *c = parse_ok(realistic);

	(void)state;
	assert_int_equal(c->vcpus_max, 4);
	assert_int_equal(c->vcpus_cur, 2);
	assert_int_equal(c->mem_max_kib, 4ull * 1024 * 1024);
	assert_int_equal(c->mem_cur_kib, 3072ull * 1024);
	assert_string_equal(c->os_type, "kvm");
	assert_string_equal(c->arch, "x86_64");
	assert_string_equal(c->machine, "pc-q35-7.2");
	assert_string_equal(c->emulator, "/usr/bin/qemu-system-x86_64");
	assert_false(c->addrs_known);
	vm_config_free(c);
}

static void
test_realistic_disks(void **state)
{
	struct vm_config *c = parse_ok(realistic);

	(void)state;
	assert_int_equal(c->ndisks, 2);
	assert_string_equal(c->disks[0].target, "vda");
	assert_string_equal(c->disks[0].bus, "virtio");
	assert_string_equal(c->disks[0].device, "disk");
	assert_string_equal(c->disks[0].format, "qcow2");
	assert_string_equal(c->disks[0].source, "/var/lib/libvirt/images/web-01.qcow2");
	/* An empty CD-ROM drive: no source. */
	assert_string_equal(c->disks[1].target, "sda");
	assert_string_equal(c->disks[1].bus, "sata");
	assert_string_equal(c->disks[1].device, "cdrom");
	assert_string_equal(c->disks[1].format, "raw");
	assert_null(c->disks[1].source);
	vm_config_free(c);
}

static void
test_realistic_nics(void **state)
{
	struct vm_config *c = parse_ok(realistic);

	(void)state;
	assert_int_equal(c->nnics, 2);
	assert_string_equal(c->nics[0].type, "network");
	assert_string_equal(c->nics[0].mac, "52:54:00:6b:3c:58");
	assert_string_equal(c->nics[0].model, "virtio");
	assert_string_equal(c->nics[0].target, "vnet2");
	/* The network's name, not the bridge libvirt reports beside it. */
	assert_string_equal(c->nics[0].source, "default");
	assert_null(c->nics[0].addrs);
	assert_int_equal(c->nics[0].naddrs, 0);

	assert_string_equal(c->nics[1].type, "user");
	assert_string_equal(c->nics[1].mac, "52:54:00:aa:bb:cc");
	assert_string_equal(c->nics[1].model, "e1000e");
	assert_null(c->nics[1].target);
	assert_null(c->nics[1].source);
	vm_config_free(c);
}

static void
test_memory_units(void **state)
{
	static const struct {
		const char *unit;
		uint64_t want_kib;
	} cases[] = {
		{ NULL, 2048 },      /* no unit: KiB */
		{ "KiB", 2048 },
		{ "k", 2048 },
		{ "MiB", 2048ull * 1024 },
		{ "M", 2048ull * 1024 },
		{ "GiB", 2048ull * 1024 * 1024 },
		{ "G", 2048ull * 1024 * 1024 },
		{ "b", 2 },
		{ "bytes", 2 },
		{ "K", 2048 },
		{ "KB", 2000 },
		{ "MB", 2048000000ull / 1024 },
		{ "GB", 2048000000000ull / 1024 },
		{ "TiB", 2048ull * 1024 * 1024 * 1024 },
		{ "TB", 2048000000000000ull / 1024 },
	};
	char xml[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct vm_config *c;
		if (cases[i].unit)
			snprintf(xml, sizeof xml, "<domain><memory unit='%s'>2048</memory></domain>",
			         cases[i].unit);
		else
			snprintf(xml, sizeof xml, "<domain><memory>2048</memory></domain>");
		c = parse_ok(xml);
		if (c->mem_max_kib != cases[i].want_kib)
			fail_msg("unit %s: %llu KiB, want %llu", cases[i].unit ? cases[i].unit : "(none)",
			         (unsigned long long)c->mem_max_kib,
			         (unsigned long long)cases[i].want_kib);
		/* No currentMemory: current is the maximum. */
		assert_int_equal(c->mem_cur_kib, c->mem_max_kib);
		vm_config_free(c);
	}
}

static void
test_vcpu_without_current(void **state)
{
	struct vm_config *c = parse_ok("<domain type='qemu'><vcpu placement='static'>3</vcpu></domain>");

	(void)state;
	assert_int_equal(c->vcpus_max, 3);
	assert_int_equal(c->vcpus_cur, 3);
	assert_string_equal(c->os_type, "qemu");
	vm_config_free(c);
}

static void
test_minimal_domain(void **state)
{
	struct vm_config *c = parse_ok("<domain/>");

	(void)state;
	assert_int_equal(c->vcpus_max, 0);
	assert_int_equal(c->vcpus_cur, 0);
	assert_int_equal(c->mem_max_kib, 0);
	assert_int_equal(c->mem_cur_kib, 0);
	assert_null(c->os_type);
	assert_null(c->arch);
	assert_null(c->machine);
	assert_null(c->emulator);
	assert_int_equal(c->ndisks, 0);
	assert_int_equal(c->nnics, 0);
	vm_config_free(c);
}

static void
test_other_disk_sources(void **state)
{
	struct vm_config *c = parse_ok(
		"<domain><devices>"
		"<disk type='block' device='disk'><source dev='/dev/vg0/db'/>"
		"<target dev='vdb' bus='virtio'/></disk>"
		"<disk type='volume' device='disk'><source pool='default' volume='data.img'/>"
		"<target dev='vdc'/></disk>"
		"<disk type='network' device='disk'><source protocol='rbd' name='pool/image'/>"
		"<target dev='vdd'/></disk>"
		"</devices></domain>");

	(void)state;
	assert_int_equal(c->ndisks, 3);
	assert_string_equal(c->disks[0].source, "/dev/vg0/db");
	assert_string_equal(c->disks[1].source, "data.img");
	assert_string_equal(c->disks[2].source, "pool/image");
	assert_null(c->disks[1].bus);
	assert_null(c->disks[2].format);
	vm_config_free(c);
}

static void
test_bridge_and_direct_nics(void **state)
{
	struct vm_config *c = parse_ok(
		"<domain><devices>"
		"<interface type='bridge'><source bridge='br0'/><target dev='vnet9'/></interface>"
		"<interface type='direct'><source dev='eth0' mode='vepa'/></interface>"
		"</devices></domain>");

	(void)state;
	assert_int_equal(c->nnics, 2);
	assert_string_equal(c->nics[0].type, "bridge");
	assert_string_equal(c->nics[0].source, "br0");
	assert_string_equal(c->nics[0].target, "vnet9");
	assert_null(c->nics[0].mac);
	assert_null(c->nics[0].model);
	assert_string_equal(c->nics[1].source, "eth0");
	vm_config_free(c);
}

static void
test_nested_devices_not_counted(void **state)
{
	/* Only /domain/devices/disk: a <disk> elsewhere is not a device. */
	struct vm_config *c = parse_ok(
		"<domain><metadata><disk><target dev='bogus'/></disk></metadata>"
		"<devices><disk device='disk'><target dev='vda'/></disk></devices></domain>");

	(void)state;
	assert_int_equal(c->ndisks, 1);
	assert_string_equal(c->disks[0].target, "vda");
	vm_config_free(c);
}

static void
test_malformed(void **state)
{
	static const char *const bad[] = {
		"",
		"not xml at all",
		"<domain><vcpu>2</domain>",
		"<domain type='kvm'",
		"<domain></domain><domain></domain>",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof *bad; i++) {
		char *err = NULL;
		struct vm_config *c = domxml_parse(bad[i], &err);
		if (c != NULL)
			fail_msg("parsed malformed input %zu", i);
		assert_non_null(err);
		assert_string_equal(err, "the domain XML is not well-formed");
		free(err);
		vm_config_free(c); /* NULL: callers free unconditionally */
	}
}

static void
test_free_with_addresses(void **state)
{
	struct vm_config *c = parse_ok(realistic);

	(void)state;
	/* host.c fills addresses later; vm_config_free owns them. */
	c->nics[0].addrs = calloc(2, sizeof *c->nics[0].addrs);
	c->nics[0].addrs[0] = strdup("192.0.2.10/24");
	c->nics[0].addrs[1] = strdup("2001:db8::10/64");
	c->nics[0].naddrs = 2;
	c->addrs_known = true;
	assert_string_equal(c->nics[0].addrs[1], "2001:db8::10/64");
	vm_config_free(c); /* valgrind checks nothing leaks */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_realistic_top_level),
		cmocka_unit_test(test_realistic_disks),
		cmocka_unit_test(test_realistic_nics),
		cmocka_unit_test(test_memory_units),
		cmocka_unit_test(test_vcpu_without_current),
		cmocka_unit_test(test_minimal_domain),
		cmocka_unit_test(test_other_disk_sources),
		cmocka_unit_test(test_bridge_and_direct_nics),
		cmocka_unit_test(test_nested_devices_not_counted),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_free_with_addresses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
