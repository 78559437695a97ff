/* test_vmhw.c — the install media, firmware, TPM, CPU, host device, RNG and
 * boot menu keys of vmtui.yaml(5): parsed (and every bad value refused at
 * its line and column), written as domain XML (checked with XPath and
 * libvirt's schema), compared with a domain, and exported back to the same
 * definition. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "config/vmdef.h"
#include "model/defs/vmxml.h"

static const char full[] =
	"name: inst\n"
	"type: kvm\n"
	"vcpus: 4\n"
	"memory: 2G\n"
	"iso: isos/debian.iso\n"
	"disks: [{size: 20G, pool: default}]\n"
	"networks: []\n"
	"firmware: efi\n"
	"secure_boot: true\n"
	"tpm: {model: tis}\n"
	"cpu: {mode: custom, model: Skylake-Client, sockets: 1, cores: 2, threads: 2}\n"
	"hostdevs: [\"0000:01:00.0\", \"046d:c52b\", \"02:1f.7\"]\n"
	"rng: false\n"
	"boot_menu: true\n";

/* ---- helpers ---- */

static void
parse_ok(struct vmdef_file *f, const char *text)
{
	struct config_errors e = { 0 };

	memset(f, 0, sizeof *f);
	if (vmdef_parse(f, "t.yaml", NULL, text, strlen(text), &e) != 0)
		fail_msg("unexpected error: %s", e.n ? e.v[0] : "(none)");
	config_errors_free(&e);
	assert_int_equal(f->nvms, 1);
	assert_null(vmdef_check(&f->vms[0]));
}

/* The string value of an XPath expression over xml ("" when none). */
static char *
xp(const char *xml, const char *expr)
{
	xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "d.xml", NULL, XML_PARSE_NONET);
	xmlXPathContextPtr ctx;
	xmlXPathObjectPtr o;
	char *out;

	assert_non_null(doc);
	ctx = xmlXPathNewContext(doc);
	o = xmlXPathEvalExpression(BAD_CAST expr, ctx);
	assert_non_null(o);
	out = strdup(o->type == XPATH_STRING && o->stringval ? (const char *)o->stringval : "");
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return out;
}

static void
xp_eq(const char *xml, const char *expr, const char *want)
{
	char *got = xp(xml, expr);

	if (strcmp(got, want) != 0)
		fail_msg("%s: got \"%s\", want \"%s\"", expr, got, want);
	free(got);
}

/* libvirt's schema, through virt-xml-validate; skipped when missing. */
static void
validate(const char *xml)
{
	char path[] = "/tmp/test_vmhw-XXXXXX", *cmd;
	int fd = mkstemp(path), rc;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, xml, strlen(xml)), (ssize_t)strlen(xml));
	close(fd);
	if (system("command -v virt-xml-validate >/dev/null 2>&1") != 0) {
		unlink(path);
		return;
	}
	assert_true(asprintf(&cmd, "virt-xml-validate %s domain >/dev/null 2>&1", path) > 0);
	rc = system(cmd);
	free(cmd);
	if (rc != 0) {
		fprintf(stderr, "%s\n", xml);
		fail_msg("virt-xml-validate refused the XML above");
	}
	unlink(path);
}

static char *
domain(const struct vmdef *d, bool install)
{
	static const struct vmxml_disk_src src[] = { { "/srv/pool/inst-vda.qcow2", "qcow2" } };
	struct vmxml_opts o = { .iso_path = "/srv/isos/debian.iso", .install = install,
	                        .disks = src };
	char *err = NULL, *xml = vmxml_domain(d, &o, &err);

	if (xml == NULL)
		fail_msg("vmxml_domain: %s", err);
	return xml;
}

/* ---- parsing ---- */

static void
test_parse_full(void **state)
{
	struct vmdef_file f;
	const struct vmdef *d;

	(void)state;
	parse_ok(&f, full);
	d = &f.vms[0];
	assert_string_equal(d->iso, "isos/debian.iso");
	assert_int_equal(d->iso_pos.line, 5);
	assert_true(d->start); /* iso: starts the install */
	assert_int_equal(d->firmware, VMDEF_FW_EFI);
	assert_true(d->secure_boot);
	assert_int_equal(d->tpm, VMDEF_TPM_TIS);
	assert_int_equal(d->cpu.mode, VMDEF_CPU_CUSTOM);
	assert_string_equal(d->cpu.model, "Skylake-Client");
	assert_int_equal(d->cpu.sockets * 100 + d->cpu.cores * 10 + d->cpu.threads, 122);
	assert_int_equal(d->nhostdevs, 3);
	assert_false(d->hostdevs[0].usb);
	assert_int_equal(d->hostdevs[0].bus, 1);
	assert_true(d->hostdevs[1].usb);
	assert_int_equal(d->hostdevs[1].vendor, 0x046d);
	assert_int_equal(d->hostdevs[1].product, 0xc52b);
	assert_int_equal(d->hostdevs[2].domain, 0);
	assert_int_equal(d->hostdevs[2].slot, 0x1f);
	assert_int_equal(d->hostdevs[2].function, 7);
	assert_false(d->rng);
	assert_true(d->boot_menu);
	vmdef_file_free(&f);
}

static void
test_parse_defaults(void **state)
{
	struct vmdef_file f;
	const struct vmdef *d;

	(void)state;
	parse_ok(&f, "name: a\ncdrom: /srv/a.iso\nstart: false\nsecure_boot: true\n"
	             "tpm: true\ncpu: host-model\n");
	d = &f.vms[0];
	assert_string_equal(d->iso, "/srv/a.iso");
	assert_false(d->start);
	assert_int_equal(d->firmware, VMDEF_FW_EFI); /* implied by secure_boot */
	assert_int_equal(d->tpm, VMDEF_TPM_CRB);
	assert_int_equal(d->cpu.mode, VMDEF_CPU_HOST_MODEL);
	assert_true(d->rng);
	assert_false(d->boot_menu);
	vmdef_file_free(&f);
	/* A topology alone gives the vCPU count. */
	parse_ok(&f, "name: a\ncpu: {sockets: 2, cores: 3}\n");
	assert_int_equal(f.vms[0].vcpus, 6);
	assert_int_equal(f.vms[0].cpu.threads, 1);
	assert_int_equal(f.vms[0].cpu.mode, VMDEF_CPU_AUTO);
	vmdef_file_free(&f);
}

/* Every bad value: its file:line:column and what was expected. */
static void
test_parse_errors(void **state)
{
	static const struct { const char *yaml, *err; } cases[] = {
		{ "name: a\niso: foo.iso\n", "t.yaml:2:6: iso: \"foo.iso\" is neither an absolute "
		  "path nor pool/volume (e.g. default/debian-12.iso or /srv/iso/debian-12.iso)" },
		{ "name: a\ncdrom: [a]\n", "t.yaml:2:8: cdrom: expected an ISO: an absolute path or "
		  "pool/volume, not a list" },
		{ "name: a\niso: /a.iso\nboot: {kernel: /k}\n", "t.yaml:2:1: iso: cannot be combined "
		  "with boot: kernel, which boots no CD" },
		{ "name: a\niso: /a.iso\nboot: {order: [hd]}\n", "t.yaml:2:1: iso: sets the boot "
		  "order itself (CD first on the first start, then the disk); leave boot: order out" },
		{ "name: a\nfirmware: uefi\n", "t.yaml:2:11: firmware: \"uefi\" is not one of bios, efi" },
		{ "name: a\nfirmware: bios\nsecure_boot: true\n", "t.yaml:3:14: secure_boot: needs "
		  "firmware: efi, not bios (line 2)" },
		{ "name: a\nsecure_boot: 1x\n", "t.yaml:2:14: secure_boot: expected true or false, "
		  "not \"1x\"" },
		{ "name: a\ntpm: {model: foo}\n", "t.yaml:2:14: model: \"foo\" is not one of crb, tis" },
		{ "name: a\ntpm: {}\n", "t.yaml:2:6: tpm: give model: crb or tis, or write tpm: true" },
		{ "name: a\ntpm: {version: 2}\n", "t.yaml:2:7: unknown key \"version\" for tpm "
		  "(known: model)" },
		{ "name: a\ntpm: [crb]\n", "t.yaml:2:6: tpm: expected true, false or a mapping with "
		  "model, not a list" },
		{ "name: a\ncpu: host\n", "t.yaml:2:6: cpu: \"host\" is not one of host-passthrough, "
		  "host-model (or a mapping with mode, model, sockets, cores, threads)" },
		{ "name: a\ncpu: custom\n", "t.yaml:2:6: cpu: custom needs a model: write cpu: "
		  "{mode: custom, model: NAME}" },
		{ "name: a\ncpu: {mode: custom}\n", "t.yaml:2:13: mode: custom needs model (e.g. "
		  "model: Skylake-Client)" },
		{ "name: a\ncpu: {mode: host-model, model: EPYC}\n", "t.yaml:2:25: model: only with "
		  "mode: custom, not host-model (line 2)" },
		{ "name: a\ncpu: {model: \"a b\"}\n", "t.yaml:2:14: model: \"a b\" is not a CPU model "
		  "name (letters, digits, - _ .; virsh cpu-models x86_64 lists them)" },
		{ "name: a\nvcpus: 4\ncpu: {sockets: 2, cores: 3}\n", "t.yaml:3:6: cpu: sockets 2 x "
		  "cores 3 x threads 1 = 6, but the VM has 4 vCPUs; they must be equal" },
		{ "name: a\ncpu: {sockets: 4096, cores: 4096, threads: 256}\n", "t.yaml:2:6: cpu: "
		  "sockets 4096 x cores 4096 x threads 256 = 4294967296, but the VM has 1 vCPU; they "
		  "must be equal" },
		{ "name: a\ncpu: {cores: 0}\n", "t.yaml:2:14: cores: \"0\" is not a whole number from 1 "
		  "to 4096" },
		{ "name: a\ncpu: {sokets: 1}\n", "t.yaml:2:7: unknown key \"sokets\" (did you mean "
		  "\"sockets\"?)" },
		{ "name: a\nhostdevs: 0000:01:00.0\n", "t.yaml:2:11: hostdevs: expected a list, each a "
		  "PCI address like 0000:01:00.0 or a USB vendor:product like 046d:c52b, not a single "
		  "value" },
		{ "name: a\nhostdevs: [\"01:20.0\"]\n", "t.yaml:2:12: hostdevs: \"01:20.0\" is not a "
		  "PCI address like 0000:01:00.0 or a USB vendor:product like 046d:c52b (virsh "
		  "nodedev-list --cap pci or lsusb shows them)" },
		{ "name: a\nhostdevs: [\"046d:c52\"]\n", "t.yaml:2:12: hostdevs: \"046d:c52\" is not a "
		  "PCI address like 0000:01:00.0 or a USB vendor:product like 046d:c52b (virsh "
		  "nodedev-list --cap pci or lsusb shows them)" },
		{ "name: a\nhostdevs: [\"01:00.0\", \"0000:01:00.0\"]\n", "t.yaml:2:23: hostdevs: "
		  "\"0000:01:00.0\" is listed twice (first at line 2)" },
		{ "name: a\nrng: urandom\n", "t.yaml:2:6: rng: expected true or false, not \"urandom\"" },
		{ "name: a\nboot_menu: {on: 1}\n", "t.yaml:2:12: boot_menu: expected true or false, "
		  "not a mapping" },
		{ "name: a\nos: \"deb ian\"\n", "t.yaml:2:5: os: \"deb ian\" is not an OS name such as "
		  "debian11, win11 or generic" },
		/* A one-letter key is no typo of the two-letter os. */
		{ "name: a\nx: 1\n", "t.yaml:2:1: unknown key \"x\" for a VM (see vmtui.yaml(5))" },
		{ "name: a\nox: debian11\n", "t.yaml:2:1: unknown key \"ox\" (did you mean \"os\"?)" },
		{ "name: a\nfirmwre: efi\n", "t.yaml:2:1: unknown key \"firmwre\" (did you mean "
		  "\"firmware\"?)" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct vmdef_file f = { 0 };
		struct config_errors e = { 0 };

		assert_int_equal(vmdef_parse(&f, "t.yaml", NULL, cases[i].yaml, strlen(cases[i].yaml),
		                             &e), -1);
		if (e.n != 1 || strcmp(e.v[0], cases[i].err) != 0)
			fail_msg("case %zu:\n got  %s (%zu errors)\n want %s", i, e.n ? e.v[0] : "none",
			         e.n, cases[i].err);
		config_errors_free(&e);
		vmdef_file_free(&f);
	}
}

/* ---- domain XML ---- */

static void
test_xml_install_and_after(void **state)
{
	struct vmdef_file f;
	char *inst, *after;

	(void)state;
	parse_ok(&f, full);
	inst = domain(&f.vms[0], true);
	after = domain(&f.vms[0], false);
	validate(inst);
	validate(after);
	/* The install start: CD first, and the installer's reboot ends it. */
	xp_eq(inst, "string(/domain/os/boot[1]/@dev)", "cdrom");
	xp_eq(inst, "string(/domain/os/boot[2]/@dev)", "hd");
	xp_eq(inst, "string(/domain/on_reboot)", "destroy");
	/* Saved after the start: the disk first, the CD after it. */
	xp_eq(after, "string(/domain/os/boot[1]/@dev)", "hd");
	xp_eq(after, "string(/domain/os/boot[2]/@dev)", "cdrom");
	xp_eq(after, "string(/domain/on_reboot)", "restart");
	xp_eq(after, "string(/domain/devices/disk[@device='cdrom']/source/@file)",
	      "/srv/isos/debian.iso");
	xp_eq(after, "string(/domain/devices/disk[@device='cdrom']/target/@bus)", "sata");
	xp_eq(after, "string(count(/domain/devices/disk[@device='cdrom']/readonly))", "1");
	xp_eq(after, "string(/domain/os/bootmenu/@enable)", "yes");
	/* UEFI with Secure Boot: libvirt picks the firmware; q35 and SMM. */
	xp_eq(after, "string(/domain/os/@firmware)", "efi");
	xp_eq(after, "string(/domain/os/type/@machine)", "q35");
	xp_eq(after, "string(/domain/os/firmware/feature[@name='secure-boot']/@enabled)", "yes");
	xp_eq(after, "string(/domain/os/firmware/feature[@name='enrolled-keys']/@enabled)", "yes");
	xp_eq(after, "string(/domain/features/smm/@state)", "on");
	xp_eq(after, "string(/domain/devices/tpm/@model)", "tpm-tis");
	xp_eq(after, "string(/domain/devices/tpm/backend/@type)", "emulator");
	xp_eq(after, "string(/domain/devices/tpm/backend/@version)", "2.0");
	xp_eq(after, "string(/domain/cpu/@mode)", "custom");
	xp_eq(after, "string(/domain/cpu/model)", "Skylake-Client");
	xp_eq(after, "string(/domain/cpu/model/@fallback)", "forbid");
	xp_eq(after, "concat(/domain/cpu/topology/@sockets, /domain/cpu/topology/@cores, "
	      "/domain/cpu/topology/@threads)", "122");
	xp_eq(after, "string(/domain/devices/hostdev[1]/@type)", "pci");
	xp_eq(after, "string(/domain/devices/hostdev[1]/@managed)", "yes");
	xp_eq(after, "string(/domain/devices/hostdev[1]/source/address/@bus)", "0x01");
	xp_eq(after, "string(/domain/devices/hostdev[2]/source/vendor/@id)", "0x046d");
	xp_eq(after, "string(/domain/devices/hostdev[2]/source/product/@id)", "0xc52b");
	xp_eq(after, "string(/domain/devices/hostdev[3]/source/address/@slot)", "0x1f");
	xp_eq(after, "string(/domain/devices/hostdev[3]/source/address/@function)", "0x7");
	xp_eq(after, "string(count(/domain/devices/rng))", "0");
	free(inst);
	free(after);
	vmdef_file_free(&f);
}

static void
test_xml_plain(void **state)
{
	struct vmdef_file f;
	char *xml, *err = NULL;

	(void)state;
	/* Nothing asked: BIOS, no TPM, an RNG, the host's CPU with kvm. */
	parse_ok(&f, "name: p\ntype: kvm\nnetworks: []\n");
	xml = domain(&f.vms[0], false);
	validate(xml);
	xp_eq(xml, "string(/domain/os/@firmware)", "");
	xp_eq(xml, "string(count(/domain/os/firmware))", "0");
	xp_eq(xml, "string(count(/domain/devices/tpm))", "0");
	xp_eq(xml, "string(/domain/devices/rng/backend)", "/dev/urandom");
	xp_eq(xml, "string(/domain/cpu/@mode)", "host-passthrough");
	xp_eq(xml, "string(count(/domain/os/bootmenu))", "0");
	free(xml);
	vmdef_file_free(&f);
	/* efi without Secure Boot asks for the firmware without it. */
	parse_ok(&f, "name: p\ntype: qemu\nfirmware: efi\ntpm: true\ncpu: {cores: 1}\n");
	xml = domain(&f.vms[0], false);
	validate(xml);
	xp_eq(xml, "string(/domain/os/firmware/feature[@name='secure-boot']/@enabled)", "no");
	xp_eq(xml, "string(/domain/os/type/@machine)", "");
	xp_eq(xml, "string(count(/domain/features/smm))", "0");
	xp_eq(xml, "string(/domain/devices/tpm/@model)", "tpm-crb");
	xp_eq(xml, "string(/domain/cpu/@mode)", ""); /* qemu: QEMU's own model */
	xp_eq(xml, "string(/domain/cpu/topology/@cores)", "1");
	free(xml);
	vmdef_file_free(&f);
	/* A volume ISO needs its path looked up first. */
	parse_ok(&f, "name: p\ntype: qemu\niso: isos/a.iso\n");
	assert_null(vmxml_domain(&f.vms[0], NULL, &err));
	assert_string_equal(err, "iso: volume isos/a.iso: its path must be looked up first");
	free(err);
	vmdef_file_free(&f);
}

/* ---- compare and export ---- */

static void
test_compare(void **state)
{
	struct vmdef_file f, g;
	struct vmxml_diff *v = NULL;
	size_t n = 0, i;
	char *xml, *err = NULL, all[1024] = "";

	(void)state;
	parse_ok(&f, full);
	xml = domain(&f.vms[0], false);
	assert_int_equal(vmxml_compare_iso(&f.vms[0], xml, NULL, "/srv/isos/debian.iso", &v, &n,
	                                   &err), 0);
	for (i = 0; i < n; i++)
		fprintf(stderr, "unexpected: %s: %s -> %s\n", v[i].field, v[i].have, v[i].want);
	assert_int_equal(n, 0);
	vmxml_diffs_free(v, n);
	/* The same domain against a plain definition: each key a difference. */
	parse_ok(&g, "name: inst\ntype: kvm\nvcpus: 4\nmemory: 2G\n"
	             "disks: [{size: 20G, pool: default}]\nnetworks: []\n"
	             "cpu: {mode: host-model, sockets: 4}\nfirmware: bios\nsecure_boot: false\n"
	             "tpm: false\nhostdevs: []\nrng: true\nboot_menu: false\niso: /srv/b.iso\n");
	assert_int_equal(vmxml_compare(&g.vms[0], xml, NULL, &v, &n, &err), 0);
	for (i = 0; i < n; i++)
		snprintf(all + strlen(all), sizeof all - strlen(all), "%s: %s -> %s\n", v[i].field,
		         v[i].have, v[i].want);
	assert_string_equal(all,
		"firmware: efi -> bios\n"
		"secure_boot: true -> false\n"
		"tpm: tis -> none\n"
		"cpu.mode: custom -> host-model\n"
		"cpu.topology: 1x2x2 -> 4x1x1\n"
		"hostdevs: 0000:01:00.0, 046d:c52b, 0000:02:1f.7 -> none\n"
		"rng: false -> true\n"
		"boot_menu: true -> false\n"
		"iso: /srv/isos/debian.iso -> /srv/b.iso\n");
	vmxml_diffs_free(v, n);
	/* Keys a definition leaves out are not held against a domain. */
	vmdef_file_free(&g);
	parse_ok(&g, "name: inst\ntype: kvm\nvcpus: 4\nmemory: 2G\n"
	             "disks: [{size: 20G, pool: default}]\nnetworks: []\n");
	assert_int_equal(vmxml_compare(&g.vms[0], xml, NULL, &v, &n, &err), 0);
	assert_int_equal(n, 0);
	free(xml);
	vmdef_file_free(&f);
	vmdef_file_free(&g);
}

/* definition -> XML -> export -> the same definition. */
static void
test_roundtrip(void **state)
{
	static const char *const defs[] = {
		full,
		"name: r2\ntype: qemu\niso: /srv/isos/debian.iso\nstart: false\nfirmware: efi\n"
		"tpm: true\ncpu: host-model\nnetworks: []\n",
		"name: r3\ntype: qemu\nhostdevs: [\"1d6b:0002\"]\ncpu: {sockets: 2, threads: 2}\n"
		"boot_menu: true\nnetworks: []\n",
	};
	uint64_t cap[] = { 20ull << 30 };
	const char *pool[] = { "default" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof defs / sizeof *defs; i++) {
		struct vmdef_file f, g;
		struct vmxml_diff *v = NULL;
		const struct vmdef *a, *b;
		char *xml, *yaml, *err = NULL;
		size_t n = 0;

		parse_ok(&f, defs[i]);
		a = &f.vms[0];
		xml = domain(a, false);
		yaml = vmxml_export_yaml_iso(xml, cap, pool, i == 0 ? "isos/debian.iso" : NULL, &err);
		if (yaml == NULL)
			fail_msg("export %zu: %s", i, err);
		parse_ok(&g, yaml);
		b = &g.vms[0];
		if ((a->iso == NULL) != (b->iso == NULL) || (a->iso && strcmp(a->iso, b->iso) != 0))
			fail_msg("def %zu: iso %s came back as %s\n%s", i, a->iso, b->iso, yaml);
		assert_int_equal(a->firmware, b->firmware);
		assert_int_equal(a->secure_boot, b->secure_boot);
		assert_int_equal(a->tpm, b->tpm);
		assert_int_equal(a->cpu.mode, b->cpu.mode);
		assert_true((a->cpu.model == NULL) == (b->cpu.model == NULL));
		assert_int_equal(a->cpu.sockets, b->cpu.sockets);
		assert_int_equal(a->cpu.cores, b->cpu.cores);
		assert_int_equal(a->cpu.threads, b->cpu.threads);
		assert_int_equal(a->nhostdevs, b->nhostdevs);
		for (n = 0; n < a->nhostdevs; n++) {
			const struct vmdef_hostdev *x = &a->hostdevs[n], *y = &b->hostdevs[n];

			assert_int_equal(x->usb, y->usb);
			assert_int_equal(x->domain << 16 | x->bus << 8 | x->slot << 3 | x->function,
			                 y->domain << 16 | y->bus << 8 | y->slot << 3 | y->function);
			assert_int_equal(x->vendor << 16 | x->product, y->vendor << 16 | y->product);
		}
		assert_int_equal(a->rng, b->rng);
		assert_int_equal(a->boot_menu, b->boot_menu);
		assert_int_equal(a->vcpus, b->vcpus);
		/* The exported definition has no difference from the domain. */
		assert_int_equal(vmxml_compare_iso(b, xml, cap, "/srv/isos/debian.iso", &v, &n, &err), 0);
		if (n)
			fail_msg("def %zu: %s: %s -> %s\n%s", i, v[0].field, v[0].have, v[0].want, yaml);
		vmxml_diffs_free(v, n);
		free(xml);
		free(yaml);
		vmdef_file_free(&f);
		vmdef_file_free(&g);
	}
}

/* What export cannot say is refused, not dropped. */
static void
test_export_refuses(void **state)
{
	static const char xml[] =
		"<domain type='kvm'><name>x</name><memory>1048576</memory><vcpu>1</vcpu>"
		"<os><type>hvm</type></os><devices>"
		"<hostdev mode='subsystem' type='scsi'><source/></hostdev></devices></domain>";
	static const char tpm[] =
		"<domain type='kvm'><name>x</name><memory>1048576</memory><vcpu>1</vcpu>"
		"<os><type>hvm</type></os><devices>"
		"<tpm model='spapr-tpm-proxy'/></devices></domain>";
	char *err = NULL;

	(void)state;
	assert_null(vmxml_export_yaml(xml, NULL, NULL, &err));
	assert_string_equal(err, "host device of type scsi: vmtui.yaml knows PCI addresses and "
	                         "USB vendor:product ids");
	free(err);
	assert_null(vmxml_export_yaml(tpm, NULL, NULL, &err));
	assert_string_equal(err, "TPM model spapr-tpm-proxy: vmtui.yaml knows crb and tis");
	free(err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_full),
		cmocka_unit_test(test_parse_defaults),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_xml_install_and_after),
		cmocka_unit_test(test_xml_plain),
		cmocka_unit_test(test_compare),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_export_refuses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
