/* test_firmxml.c — model/defs/firmxml.h and the planning half of
 * model/guest/hwfirm.h: boot order and menu, CPU, firmware and TPM read
 * from and written into a domain's XML; the host's domain capabilities;
 * every refusal of hwfirm_plan and the change it makes.
 *
 * tests/unit/firm/ holds XML of the machine this was written on: a tiny
 * test guest's saved XML (`virsh dumpxml --inactive` of a guest defined by
 * tests/realstack/guest.sh) and `virsh domcapabilities --virttype qemu`
 * for the pc and q35 machines, with Debian's ovmf and swtpm installed. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/base/xmalloc.h"
#include "model/defs/firmxml.h"
#include "model/guest/hwfirm.h"

#ifndef FIRM_DATA
#define FIRM_DATA "tests/unit/firm"
#endif

static char *
slurp(const char *name)
{
	char path[512], *buf;
	FILE *f;
	long n;

	snprintf(path, sizeof path, "%s/%s", FIRM_DATA, name);
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

static void
read_ok(const char *xml, struct firm_info *fi)
{
	char *err = NULL;

	assert_int_equal(firmxml_read(xml, fi, &err), 0);
	assert_null(err);
}

static void
test_read_and_layout(void **state)
{
	char *x = slurp("guest-tiny.xml"), *n, *err = NULL;
	struct firm_info fi;

	(void)state;
	/* firmxml writes libvirt's layout: an unchanged XML is the same text */
	n = firmxml_normalize(x);
	assert_string_equal(n, x);
	free(n);
	read_ok(x, &fi);
	assert_string_equal(fi.name, "vmtui-hwfw-c");
	assert_string_equal(fi.type, "qemu");
	assert_string_equal(fi.machine, "pc-i440fx-7.2");
	assert_int_equal(fi.vcpus_max, 2);
	assert_int_equal(fi.nboot, 1);
	assert_string_equal(fi.boot[0], "hd");
	assert_int_equal(fi.boot_menu, -1);
	assert_true(fi.direct_kernel);
	assert_string_equal(fi.cpu_mode, "custom");
	assert_string_equal(fi.cpu_model, "qemu64");
	assert_int_equal(fi.sockets, 0);
	assert_false(fi.efi);
	assert_null(fi.tpm_model);
	n = firm_firmware_text(&fi);
	assert_string_equal(n, "BIOS");
	free(n);
	firm_info_free(&fi);
	assert_int_equal(firmxml_read("<network/>", &fi, &err), -1);
	assert_string_equal(err, "This is not a domain's XML.");
	free(err);
	free(x);
}

static void
test_boot(void **state)
{
	char *x = slurp("guest-tiny.xml"), *y, *z, *err = NULL, *t;
	const char *order[] = { "cdrom", "hd" }, *net[] = { "network", "hd" };
	struct firm_info fi;

	(void)state;
	y = firmxml_set_boot(x, order, 2, 1, &err);
	assert_non_null(y);
	assert_non_null(strstr(y, "    <boot dev='cdrom'/>\n    <boot dev='hd'/>\n"
	                       "    <bootmenu enable='yes'/>\n  </os>\n"));
	read_ok(y, &fi);
	assert_int_equal(fi.nboot, 2);
	assert_int_equal(fi.boot_menu, 1);
	t = firm_boot_text(&fi);
	assert_string_equal(t, "cdrom,hd (menu on) [direct kernel boot: the order is not used]");
	free(t);
	firm_info_free(&fi);
	/* menu alone leaves the order */
	z = firmxml_set_boot(y, NULL, 0, 0, &err);
	assert_non_null(strstr(z, "<boot dev='cdrom'/>"));
	assert_non_null(strstr(z, "<bootmenu enable='no'/>"));
	free(z);
	free(y);
	/* per-device order stays per device: network first, then the disk */
	y = xasprintf("<domain type='kvm'><name>p</name><os><type>hvm</type></os><devices>"
	              "<disk type='file' device='disk'><target dev='vda'/><boot order='1'/></disk>"
	              "<disk type='file' device='cdrom'><target dev='sda'/><boot order='2'/></disk>"
	              "<interface type='network'><mac address='52:54:00:00:00:01'/></interface>"
	              "</devices></domain>");
	z = firmxml_set_boot(y, net, 2, -1, &err);
	assert_non_null(z);
	assert_null(strstr(z, "<boot dev="));
	read_ok(z, &fi);
	assert_int_equal(fi.nbootdevs, 2);
	assert_string_equal(fi.bootdevs[0].kind, "network");
	assert_string_equal(fi.bootdevs[0].name, "52:54:00:00:00:01");
	assert_int_equal(fi.bootdevs[0].order, 1);
	assert_string_equal(fi.bootdevs[1].name, "vda");
	assert_int_equal(fi.bootdevs[1].order, 2);
	firm_info_free(&fi);
	free(z);
	free(y);
	/* a host device booted from keeps the per-device form, after the kinds */
	y = xasprintf("<domain type='kvm'><name>h</name><os><type>hvm</type></os><devices>"
	              "<disk type='file' device='disk'><target dev='vda'/></disk>"
	              "<hostdev mode='subsystem' type='pci'><source><address domain='0x0000' "
	              "bus='0x00' slot='0x05' function='0x0'/></source><boot order='1'/></hostdev>"
	              "</devices></domain>");
	z = firmxml_set_boot(y, order, 2, -1, &err);
	assert_null(strstr(z, "<boot dev="));
	read_ok(z, &fi);
	assert_int_equal(fi.nbootdevs, 2);
	assert_string_equal(fi.bootdevs[0].name, "vda");
	assert_string_equal(fi.bootdevs[1].kind, "hostdev");
	assert_string_equal(fi.bootdevs[1].name, "pci 0000:00:05.0");
	assert_int_equal(fi.bootdevs[1].order, 2);
	firm_info_free(&fi);
	free(z);
	free(y);
	free(x);
}

static void
test_cpu(void **state)
{
	char *x = slurp("guest-tiny.xml"), *y, *z, *err = NULL, *t;
	struct firm_info fi;

	(void)state;
	y = firmxml_set_cpu(x, "host-model", NULL, 1, 2, 1, &err);
	assert_non_null(y);
	assert_non_null(strstr(y, "  <cpu mode='host-model' check='none'>\n"
	                       "    <topology sockets='1' cores='2' threads='1'/>\n  </cpu>\n"));
	read_ok(y, &fi);
	t = firm_cpu_text(&fi);
	assert_string_equal(t, "host-model, 1 socket x 2 cores x 1 thread");
	free(t);
	firm_info_free(&fi);
	z = firmxml_set_cpu(y, NULL, "Nehalem", 0, 0, 0, &err);
	assert_non_null(strstr(z, "<cpu mode='custom' check='none' match='exact'>\n"
	                       "    <model fallback='forbid'>Nehalem</model>\n"
	                       "    <topology sockets='1' cores='2' threads='1'/>\n"));
	free(z);
	/* custom without any model is refused */
	assert_null(firmxml_set_cpu(y, "custom", NULL, 0, 0, 0, &err));
	assert_non_null(strstr(err, "needs a model name"));
	free(err);
	free(y);
	free(x);
}

static void
test_firmware_and_tpm(void **state)
{
	char *x = slurp("guest-tiny.xml"), *y, *z, *err = NULL;
	struct firm_info fi;

	(void)state;
	y = firmxml_set_firmware(x, true, 1, &err);
	assert_non_null(strstr(y, "<os firmware='efi'>\n    <type arch='x86_64' "
	                       "machine='pc-i440fx-7.2'>hvm</type>\n    <firmware>\n"
	                       "      <feature enabled='yes' name='enrolled-keys'/>\n"
	                       "      <feature enabled='yes' name='secure-boot'/>\n"));
	assert_non_null(strstr(y, "<features>\n    <acpi/>\n    <smm state='on'/>\n"));
	read_ok(y, &fi);
	assert_true(fi.efi);
	assert_int_equal(fi.secure_boot, 1);
	assert_true(fi.smm);
	firm_info_free(&fi);
	/* a loader libvirt filled in goes with the switch back to BIOS */
	z = firmxml_set_firmware(y, false, -1, &err);
	free(y);
	y = xasprintf("%s", z);
	free(z);
	assert_null(strstr(y, "firmware"));
	read_ok(y, &fi);
	assert_false(fi.efi);
	firm_info_free(&fi);
	free(y);
	y = xasprintf("<domain><name>l</name><os firmware='efi'><type>hvm</type>"
	              "<loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.fd</loader>"
	              "<nvram>/var/lib/libvirt/qemu/nvram/l_VARS.fd</nvram></os></domain>");
	z = firmxml_set_firmware(y, false, -1, &err);
	assert_null(strstr(z, "loader"));
	assert_null(strstr(z, "nvram"));
	free(z);
	free(y);
	y = firmxml_set_tpm(x, "tpm-crb", &err);
	assert_non_null(strstr(y, "    <tpm model='tpm-crb'>\n"
	                       "      <backend type='emulator' version='2.0'/>\n    </tpm>\n"));
	read_ok(y, &fi);
	assert_string_equal(fi.tpm_model, "tpm-crb");
	assert_string_equal(fi.tpm_version, "2.0");
	firm_info_free(&fi);
	z = firmxml_set_tpm(y, NULL, &err);
	assert_string_equal(z, x);
	free(z);
	free(y);
	free(x);
}

static void
test_caps(void **state)
{
	char *x = slurp("domcaps-qemu-q35.xml"), *err = NULL;
	struct firm_caps c;
	int k;

	(void)state;
	assert_int_equal(firmxml_caps_read(x, &c, &err), 0);
	assert_string_equal(c.machine, "pc-q35-7.2");
	assert_false(c.passthrough); /* TCG */
	assert_true(c.host_model);
	assert_true(c.custom);
	assert_true(c.efi);
	assert_true(c.secure);
	assert_true(c.tpm && c.tpm_emulator && c.tpm_crb && c.tpm_tis);
	assert_true(c.pci_hostdev && c.usb_hostdev);
	k = firm_caps_model(&c, "Nehalem");
	assert_true(k >= 0);
	assert_int_equal(c.usable[k], 1);
	k = firm_caps_model(&c, "Haswell");
	assert_int_equal(c.usable[k], 0);
	assert_int_equal(firm_caps_model(&c, "Pentium9"), -1);
	firm_caps_free(&c);
	free(x);
	x = slurp("domcaps-qemu-pc.xml");
	assert_int_equal(firmxml_caps_read(x, &c, &err), 0);
	assert_true(c.efi);
	assert_false(c.secure); /* no Secure Boot firmware for i440fx */
	firm_caps_free(&c);
	free(x);
	assert_int_equal(firmxml_caps_read("<domain/>", &c, &err), -1);
	free(err);
}

/* A tiny guest as hwfirm_read would give it, on machine caps. */
static void
make_now(struct hwfirm_now *now, const char *caps, bool q35)
{
	char *x = slurp("guest-tiny.xml"), *c = slurp(caps), *err = NULL;

	memset(now, 0, sizeof *now);
	if (q35) {
		char *p = strstr(x, "pc-i440fx-7.2");
		memcpy(p, "pc-q35-7.2   ", 13);
		memmove(p + 10, p + 13, strlen(p + 13) + 1);
	}
	now->name = xstrdup("vmtui-hwfw-c");
	now->persistent = true;
	now->saved = x;
	read_ok(x, &now->fi);
	assert_int_equal(firmxml_caps_read(c, &now->caps, &err), 0);
	now->caps_ok = true;
	free(c);
}

/* hwfirm_plan of r must be refused with a reason holding want. */
static void
refused(struct hwfirm_now *now, struct hwfirm_req r, const char *want)
{
	struct hw_change c;
	char *err = NULL;

	assert_int_equal(hwfirm_plan(now, &r, NULL, &c, &err, NULL), -1);
	if (strstr(err, want) == NULL)
		fail_msg("refusal \"%s\" lacks \"%s\"", err, want);
	free(err);
}

static void
test_plan_refusals(void **state)
{
	struct hwfirm_now now;
	struct hwfirm_req r = HWFIRM_REQ_NONE;

	(void)state;
	make_now(&now, "domcaps-qemu-pc.xml", false);
	r.order = "hd,floppy";
	refused(&now, r, "\"floppy\" is not a boot device");
	r.order = "hd,cdrom,hd";
	refused(&now, r, "hd is twice");
	r = (struct hwfirm_req)HWFIRM_REQ_NONE;
	r.topology = "2,2,1";
	refused(&now, r, "2 x 2 x 1 (sockets x cores x threads) = 4 vCPUs, but vmtui-hwfw-c has 2 at most");
	r.topology = "1,x,1";
	refused(&now, r, "is not a CPU topology");
	r = (struct hwfirm_req)HWFIRM_REQ_NONE;
	r.cpu_mode = "host-passthrough";
	refused(&now, r, "it needs KVM; this guest is emulated");
	r.cpu_mode = "fast";
	refused(&now, r, "\"fast\" is not a CPU mode");
	r.cpu_mode = "host-model";
	r.cpu_model = "Nehalem";
	refused(&now, r, "A CPU model goes with the custom mode");
	r.cpu_mode = NULL;
	r.cpu_model = "Haswell";
	refused(&now, r, "CPU model Haswell cannot run on this host");
	r.cpu_model = "Pentium9";
	refused(&now, r, "\"Pentium9\" is not a CPU model this host knows. Usable: qemu64");
	r = (struct hwfirm_req)HWFIRM_REQ_NONE;
	r.secure = 1;
	refused(&now, r, "Secure Boot needs UEFI firmware");
	r.efi = 1;
	refused(&now, r, "needs the q35 machine type; vmtui-hwfw-c has pc-i440fx-7.2");
	r = (struct hwfirm_req)HWFIRM_REQ_NONE;
	r.tpm = 0;
	refused(&now, r, "has no TPM to remove");
	r.tpm = 1;
	r.tpm_model = "tpm-spi";
	refused(&now, r, "\"tpm-spi\" is not a TPM model");
	now.persistent = false;
	r = (struct hwfirm_req)HWFIRM_REQ_NONE;
	r.menu = 1;
	refused(&now, r, "is transient");
	/* a host without swtpm */
	now.persistent = true;
	now.caps.tpm_emulator = false;
	r = (struct hwfirm_req)HWFIRM_REQ_NONE;
	r.tpm = 1;
	refused(&now, r, "libvirt finds no swtpm");
	hwfirm_now_free(&now);
}

static void
test_plan_changes(void **state)
{
	struct hwfirm_now now;
	struct hwfirm_req r = HWFIRM_REQ_NONE;
	struct hw_change c;
	char *err = NULL, *note = NULL;

	(void)state;
	make_now(&now, "domcaps-qemu-q35.xml", true);
	r.efi = 1;
	r.secure = 1;
	r.tpm = 1;
	assert_int_equal(hwfirm_plan(&now, &r, "qemu:///system", &c, &err, &note), 0);
	assert_string_equal(c.what, "vmtui-hwfw-c: firmware BIOS -> UEFI, Secure Boot on; "
	                    "TPM none -> tpm-crb");
	assert_int_equal(c.when, HW_CONFIG);
	assert_null(c.diff_live);
	assert_non_null(strstr(c.diff_saved, "-  <os>\n+  <os firmware='efi'>\n"));
	assert_non_null(strstr(c.diff_saved, "+    <smm state='on'/>\n"));
	assert_int_equal(c.nsteps, 1);
	assert_int_equal(c.steps[0].kind, HW_DEFINE);
	assert_string_equal(c.steps[0].virsh, "virsh -c qemu:///system define vmtui-hwfw-c.xml");
	assert_null(note);
	hw_change_free(&c);
	/* the same on a running guest: said to wait for the next boot */
	now.active = true;
	r = (struct hwfirm_req)HWFIRM_REQ_NONE;
	r.order = "cdrom,hd";
	r.topology = "1,1,2";
	r.cpu_model = "Nehalem";
	assert_int_equal(hwfirm_plan(&now, &r, NULL, &c, &err, &note), 0);
	assert_string_equal(c.what, "vmtui-hwfw-c: boot hd (menu off) [direct kernel boot: the "
	                    "order is not used] -> cdrom,hd (menu off) [direct kernel boot: the "
	                    "order is not used]; CPU qemu64 -> Nehalem, 1 socket x 1 core x 2 "
	                    "threads");
	assert_string_equal(c.steps[0].virsh, "virsh define vmtui-hwfw-c.xml");
	assert_non_null(strstr(note, "boots a kernel directly"));
	assert_non_null(strstr(note, "is running: this takes effect at the next boot"));
	free(note);
	hw_change_free(&c);
	/* what it has already: nothing to do */
	r = (struct hwfirm_req)HWFIRM_REQ_NONE;
	r.order = "hd";
	r.efi = 0;
	assert_int_equal(hwfirm_plan(&now, &r, NULL, &c, &err, &note), 1);
	assert_string_equal(err, "Nothing to change: vmtui-hwfw-c has that already.");
	free(err);
	hwfirm_now_free(&now);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_and_layout),
		cmocka_unit_test(test_boot),
		cmocka_unit_test(test_cpu),
		cmocka_unit_test(test_firmware_and_tpm),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_plan_refusals),
		cmocka_unit_test(test_plan_changes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
