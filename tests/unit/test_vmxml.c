/* test_vmxml.c — model/defs/vmxml.h: domain XML from VM definitions, checked
 * value by value with XPath, against libvirt's schema (virt-xml-validate)
 * and by libvirt's test driver; the differences between a definition and a
 * domain; and export to vmtui.yaml and back. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "config/vmdef.h"
#include "model/defs/vmxml.h"

#define MiB (1024ull * 1024)
#define GiB (1024 * MiB)

static virConnectPtr test_conn; /* test:///default, or NULL */
static bool validator_missing;

/* ---- helpers ---- */

/* Parse YAML expected to be valid; the VM is f->vms[0]. */
static void
parse_ok(struct vmdef_file *f, const char *text)
{
	struct config_errors e = { 0 };

	memset(f, 0, sizeof *f);
	if (vmdef_parse(f, "t.yaml", NULL, text, strlen(text), &e) != 0)
		fail_msg("unexpected error: %s", e.n ? e.v[0] : "(none)");
	config_errors_free(&e);
	assert_true(f->nvms >= 1);
}

/* The whole of a small file (new string). */
static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 65536);
	size_t n;

	assert_non_null(f);
	assert_non_null(buf);
	n = fread(buf, 1, 65535, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Run virt-xml-validate on xml as a domain; skipped when not installed. */
static void
validate(const char *xml)
{
	char path[] = "/tmp/test_vmxml-XXXXXX", out[] = "/tmp/test_vmxml-out-XXXXXX", *msg;
	int fd = mkstemp(path), ofd = mkstemp(out), status;
	pid_t pid;

	assert_true(fd >= 0 && ofd >= 0);
	assert_int_equal(write(fd, xml, strlen(xml)), (ssize_t)strlen(xml));
	close(fd);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char *const argv[] = { "virt-xml-validate", path, "domain", NULL };

		dup2(ofd, STDOUT_FILENO);
		dup2(ofd, STDERR_FILENO);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(ofd);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	msg = slurp(out);
	unlink(path);
	unlink(out);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == 127) {
		if (!validator_missing)
			print_message("virt-xml-validate not found: schema checks skipped\n");
		validator_missing = true;
	} else if (WEXITSTATUS(status) != 0) {
		fail_msg("virt-xml-validate rejects:\n%s\n%s", msg, xml);
	}
	free(msg);
}

/* Where fake_srcs puts disk i of d. */
static const char *
disk_path(const struct vmdef *d, size_t i, char *buf, size_t n)
{
	if (d->disks[i].path)
		return d->disks[i].path;
	snprintf(buf, n, "/var/lib/libvirt/images/%s-%zu.qcow2", d->name, i);
	return buf;
}

/* The capacities a pool would report for the disks of xml, in its order:
 * the sizes of d's disks, found by path as plan would. */
static uint64_t *
caps_for(const struct vmdef *d, const char *xml)
{
	xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "t.xml", NULL, XML_PARSE_NONET);
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr obj = xmlXPathEvalExpression(
		(const xmlChar *)"/domain/devices/disk[@device='disk']/source", ctx);
	xmlNodeSetPtr set;
	uint64_t *cap;
	char buf[256];
	int k;
	size_t i;

	assert_non_null(obj);
	set = obj->nodesetval;
	cap = calloc(set ? (size_t)set->nodeNr + 1 : 1, sizeof *cap);
	for (k = 0; set && k < set->nodeNr; k++) {
		xmlNodePtr src = set->nodeTab[k];
		xmlChar *p = xmlGetProp(src, (const xmlChar *)"file");

		if (p == NULL)
			p = xmlGetProp(src, (const xmlChar *)"dev");
		for (i = 0; p && i < d->ndisks; i++)
			if (strcmp((const char *)p, disk_path(d, i, buf, sizeof buf)) == 0)
				cap[k] = d->disks[i].size;
		xmlFree(p);
	}
	xmlXPathFreeObject(obj);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return cap;
}

/* Define xml on the test driver, read it back, and compare it with d:
 * libvirt must take it, and keep everything vmxml_compare looks at. */
static void
define_check(const struct vmdef *d, const char *xml)
{
	struct vmxml_diff *diffs;
	virDomainPtr dom;
	uint64_t *cap;
	char *back, *err;
	size_t n;

	if (test_conn == NULL)
		return;
	dom = virDomainDefineXML(test_conn, xml);
	if (dom == NULL)
		fail_msg("libvirt rejects: %s\n%s", virGetLastErrorMessage(), xml);
	back = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE);
	assert_non_null(back);
	cap = caps_for(d, back);
	assert_int_equal(vmxml_compare(d, back, cap, &diffs, &n, &err), 0);
	if (n)
		fail_msg("%s: %s -> %s after libvirt read it:\n%s", diffs[0].field,
		         diffs[0].have, diffs[0].want, back);
	assert_int_equal(virDomainUndefine(dom), 0);
	virDomainFree(dom);
	free(back);
	free(cap);
}

/* Volume paths as apply would report them, for disks without a path. */
static struct vmxml_disk_src *
fake_srcs(const struct vmdef *d, char (*paths)[256])
{
	struct vmxml_disk_src *s = calloc(d->ndisks + 1, sizeof *s);
	size_t i;

	assert_non_null(s);
	for (i = 0; i < d->ndisks; i++)
		if (d->disks[i].path == NULL) {
			s[i].path = disk_path(d, i, paths[i], sizeof paths[i]);
			s[i].format = d->disks[i].format;
		}
	return s;
}

/* XML for d with fake volume paths, schema-checked and defined. */
static char *
gen_opts(const struct vmdef *d, struct vmxml_opts *o)
{
	char (*paths)[256] = calloc(d->ndisks + 1, sizeof *paths);
	struct vmxml_disk_src *srcs = fake_srcs(d, paths);
	char *xml, *err;

	o->disks = srcs;
	xml = vmxml_domain(d, o, &err);
	if (xml == NULL)
		fail_msg("vmxml_domain: %s", err);
	assert_null(err);
	validate(xml);
	if (o->arch == NULL || strcmp(o->arch, "x86_64") == 0)
		define_check(d, xml);
	o->disks = NULL;
	free(srcs);
	free(paths);
	return xml;
}

static char *
gen(const struct vmdef *d, const char *type)
{
	struct vmxml_opts o = { .domain_type = type, .arch = "x86_64" };

	return gen_opts(d, &o);
}

static xmlDocPtr
doc_of(const char *xml)
{
	xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "t.xml", NULL, XML_PARSE_NONET);

	assert_non_null(doc);
	return doc;
}

/* The string value of an XPath expression (new string). */
static char *
xp(xmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr obj = xmlXPathEvalExpression((const xmlChar *)expr, ctx);
	xmlChar *s;
	char *out;

	assert_non_null(obj);
	s = xmlXPathCastToString(obj);
	out = strdup((const char *)s);
	xmlFree(s);
	xmlXPathFreeObject(obj);
	xmlXPathFreeContext(ctx);
	return out;
}

#define assert_xp(doc, expr, want) assert_xp_at(doc, expr, want, __FILE__, __LINE__)

static void
assert_xp_at(xmlDocPtr doc, const char *expr, const char *want, const char *file, int line)
{
	char *got = xp(doc, expr);

	if (strcmp(got, want) != 0)
		fail_msg("%s:%d: %s is \"%s\", wanted \"%s\"", file, line, expr, got, want);
	free(got);
}

/* ---- generating ---- */

static void
test_sizes_and_defaults(void **state)
{
	struct vmdef_file f;
	xmlDocPtr doc;
	char *xml;

	(void)state;
	parse_ok(&f, "name: web01\nvcpus: {current: 2, max: 4}\nmemory: {current: 1G, max: 2G}\n");
	xml = gen(&f.vms[0], "kvm");
	doc = doc_of(xml);
	assert_xp(doc, "string(/domain/@type)", "kvm");
	assert_xp(doc, "string(/domain/name)", "web01");
	assert_xp(doc, "count(/domain/uuid)", "0");
	assert_xp(doc, "string(/domain/memory/@unit)", "KiB");
	assert_xp(doc, "string(/domain/memory)", "2097152");
	assert_xp(doc, "string(/domain/currentMemory/@unit)", "KiB");
	assert_xp(doc, "string(/domain/currentMemory)", "1048576");
	assert_xp(doc, "string(/domain/vcpu/@placement)", "static");
	assert_xp(doc, "string(/domain/vcpu/@current)", "2");
	assert_xp(doc, "string(/domain/vcpu)", "4");
	assert_xp(doc, "string(/domain/os/type)", "hvm");
	assert_xp(doc, "string(/domain/os/type/@arch)", "x86_64");
	assert_xp(doc, "count(/domain/os/type/@machine)", "0");
	assert_xp(doc, "count(/domain/os/boot)", "1");
	assert_xp(doc, "string(/domain/os/boot/@dev)", "hd");
	assert_xp(doc, "count(/domain/os/kernel)", "0");
	assert_xp(doc, "count(/domain/features/acpi)", "1");
	assert_xp(doc, "count(/domain/features/apic)", "1");
	assert_xp(doc, "string(/domain/cpu/@mode)", "host-passthrough");
	assert_xp(doc, "string(/domain/clock/@offset)", "utc");
	assert_xp(doc, "string(/domain/on_poweroff)", "destroy");
	assert_xp(doc, "string(/domain/on_reboot)", "restart");
	assert_xp(doc, "string(/domain/on_crash)", "destroy");
	assert_xp(doc, "count(/domain/devices/emulator)", "0");
	assert_xp(doc, "count(/domain/devices/disk)", "0");
	/* One virtio interface on "default", libvirt picking the MAC. */
	assert_xp(doc, "count(/domain/devices/interface)", "1");
	assert_xp(doc, "string(/domain/devices/interface/@type)", "network");
	assert_xp(doc, "string(/domain/devices/interface/source/@network)", "default");
	assert_xp(doc, "string(/domain/devices/interface/model/@type)", "virtio");
	assert_xp(doc, "count(/domain/devices/interface/mac)", "0");
	assert_xp(doc, "string(/domain/devices/serial/@type)", "pty");
	assert_xp(doc, "string(/domain/devices/serial/target/@port)", "0");
	assert_xp(doc, "string(/domain/devices/console/@type)", "pty");
	assert_xp(doc, "string(/domain/devices/console/target/@type)", "serial");
	/* and VNC on localhost, for the graphical console */
	assert_xp(doc, "count(/domain/devices/graphics)", "1");
	assert_xp(doc, "string(/domain/devices/graphics/@type)", "vnc");
	assert_xp(doc, "string(/domain/devices/graphics/listen/@address)", "127.0.0.1");
	assert_xp(doc, "string(/domain/devices/memballoon/@model)", "virtio");
	assert_xp(doc, "string(/domain/devices/memballoon/stats/@period)", "2");
	assert_xp(doc, "string(/domain/devices/rng/@model)", "virtio");
	assert_xp(doc, "string(/domain/devices/rng/backend/@model)", "random");
	assert_xp(doc, "string(/domain/devices/rng/backend)", "/dev/urandom");
	xmlFreeDoc(doc);
	free(xml);
	vmdef_file_free(&f);
}

/* qemu (TCG): no host CPU; another arch: no x86 features; a fixed UUID. */
static void
test_qemu_arch_machine_uuid(void **state)
{
	struct vmdef_file f;
	struct vmxml_opts o = { .domain_type = "qemu", .arch = "aarch64",
	                        .uuid = "6f1c9a2e-1111-4c4c-8888-000000000001" };
	xmlDocPtr doc;
	char *xml;

	(void)state;
	parse_ok(&f, "name: arm\ntype: qemu\narch: aarch64\nmachine: virt\nmemory: 300\n");
	xml = gen_opts(&f.vms[0], &o);
	doc = doc_of(xml);
	assert_xp(doc, "string(/domain/@type)", "qemu");
	assert_xp(doc, "string(/domain/uuid)", "6f1c9a2e-1111-4c4c-8888-000000000001");
	assert_xp(doc, "string(/domain/os/type/@arch)", "aarch64");
	assert_xp(doc, "string(/domain/os/type/@machine)", "virt");
	assert_xp(doc, "string(/domain/memory)", "307200");
	assert_xp(doc, "string(/domain/currentMemory)", "307200");
	assert_xp(doc, "string(/domain/vcpu/@current)", "1");
	assert_xp(doc, "string(/domain/vcpu)", "1");
	assert_xp(doc, "count(/domain/cpu)", "0");
	assert_xp(doc, "count(/domain/features)", "0");
	xmlFreeDoc(doc);
	free(xml);
	vmdef_file_free(&f);
}

/* Without opts the vmdef's own type is used, and x86 is assumed. */
static void
test_no_opts(void **state)
{
	struct vmdef_file f;
	xmlDocPtr doc;
	char *xml, *err;

	(void)state;
	parse_ok(&f, "name: plain\ntype: qemu\ndisks: [{path: /srv/a.img}]\n");
	xml = vmxml_domain(&f.vms[0], NULL, &err);
	assert_non_null(xml);
	validate(xml);
	define_check(&f.vms[0], xml);
	doc = doc_of(xml);
	assert_xp(doc, "string(/domain/@type)", "qemu");
	assert_xp(doc, "count(/domain/os/type/@arch)", "0");
	assert_xp(doc, "count(/domain/features/apic)", "1");
	assert_xp(doc, "string(/domain/devices/disk/source/@file)", "/srv/a.img");
	assert_xp(doc, "string(/domain/devices/disk/driver/@type)", "raw");
	xmlFreeDoc(doc);
	free(xml);
	vmdef_file_free(&f);
}

/* Targets per bus (sata and scsi share sdX), the seed after them. */
static void
test_disk_targets(void **state)
{
	static const char yaml[] =
		"name: disks\n"
		"disks:\n"
		"  - 10\n"
		"  - {size: 1G, bus: sata, format: raw}\n"
		"  - {size: 2G, bus: scsi}\n"
		"  - {size: 3G, bus: ide}\n"
		"  - {path: /dev/vg0/data, bus: virtio}\n"
		"  - {path: /srv/images/old.qcow2, bus: sata}\n";
	static const char *const want[][4] = {
		/* target, bus, type, format */
		{ "vda", "virtio", "file", "qcow2" }, { "sda", "sata", "file", "raw" },
		{ "sdb", "scsi", "file", "qcow2" }, { "hda", "ide", "file", "qcow2" },
		{ "vdb", "virtio", "block", "raw" }, { "sdc", "sata", "file", "qcow2" },
	};
	struct vmdef_file f;
	struct vmxml_opts o = { .domain_type = "kvm", .arch = "x86_64",
	                        .seed_path = "/var/lib/libvirt/images/disks-seed.iso" };
	xmlDocPtr doc;
	char *xml, expr[128];
	size_t i;

	(void)state;
	parse_ok(&f, yaml);
	xml = gen_opts(&f.vms[0], &o);
	doc = doc_of(xml);
	assert_xp(doc, "count(/domain/devices/disk[@device='disk'])", "6");
	for (i = 0; i < 6; i++) {
		snprintf(expr, sizeof expr, "string(/domain/devices/disk[%zu]/target/@dev)", i + 1);
		assert_xp(doc, expr, want[i][0]);
		snprintf(expr, sizeof expr, "string(/domain/devices/disk[%zu]/target/@bus)", i + 1);
		assert_xp(doc, expr, want[i][1]);
		snprintf(expr, sizeof expr, "string(/domain/devices/disk[%zu]/@type)", i + 1);
		assert_xp(doc, expr, want[i][2]);
		snprintf(expr, sizeof expr, "string(/domain/devices/disk[%zu]/driver/@type)", i + 1);
		assert_xp(doc, expr, want[i][3]);
		snprintf(expr, sizeof expr, "string(/domain/devices/disk[%zu]/driver/@name)", i + 1);
		assert_xp(doc, expr, "qemu");
	}
	assert_xp(doc, "string(/domain/devices/disk[1]/source/@file)",
	          "/var/lib/libvirt/images/disks-0.qcow2");
	assert_xp(doc, "string(/domain/devices/disk[5]/source/@dev)", "/dev/vg0/data");
	assert_xp(doc, "string(/domain/devices/disk[6]/source/@file)", "/srv/images/old.qcow2");
	assert_xp(doc, "count(/domain/devices/disk[@device='disk']/readonly)", "0");
	/* The seed: a read-only raw CD-ROM on sata, after sda..sdc. */
	assert_xp(doc, "count(/domain/devices/disk[@device='cdrom'])", "1");
	assert_xp(doc, "string(/domain/devices/disk[7]/@device)", "cdrom");
	assert_xp(doc, "string(/domain/devices/disk[7]/target/@dev)", "sdd");
	assert_xp(doc, "string(/domain/devices/disk[7]/target/@bus)", "sata");
	assert_xp(doc, "string(/domain/devices/disk[7]/driver/@type)", "raw");
	assert_xp(doc, "string(/domain/devices/disk[7]/source/@file)",
	          "/var/lib/libvirt/images/disks-seed.iso");
	assert_xp(doc, "count(/domain/devices/disk[7]/readonly)", "1");
	assert_xp(doc, "string(/domain/devices/controller[@type='scsi']/@model)", "virtio-scsi");
	xmlFreeDoc(doc);
	free(xml);
	vmdef_file_free(&f);
}

/* Past z: vdaa, as libvirt names them. No scsi disk: no controller. */
static void
test_many_disks(void **state)
{
	struct vmdef_file f;
	xmlDocPtr doc;
	char yaml[512] = "name: many\ndisks: [", *xml;
	size_t i;

	(void)state;
	for (i = 0; i < 28; i++)
		strcat(yaml, i ? ", 1" : "1");
	strcat(yaml, "]\n");
	parse_ok(&f, yaml);
	xml = gen(&f.vms[0], "kvm");
	doc = doc_of(xml);
	assert_xp(doc, "string(/domain/devices/disk[26]/target/@dev)", "vdz");
	assert_xp(doc, "string(/domain/devices/disk[27]/target/@dev)", "vdaa");
	assert_xp(doc, "string(/domain/devices/disk[28]/target/@dev)", "vdab");
	assert_xp(doc, "count(/domain/devices/controller)", "0");
	xmlFreeDoc(doc);
	free(xml);
	vmdef_file_free(&f);
}

static void
test_boot_order(void **state)
{
	struct vmdef_file f;
	xmlDocPtr doc;
	char *xml;

	(void)state;
	parse_ok(&f, "name: pxe\ndisks: [5]\nboot: {order: [network, cdrom, hd]}\n");
	xml = gen(&f.vms[0], "kvm");
	doc = doc_of(xml);
	assert_xp(doc, "count(/domain/os/boot)", "3");
	assert_xp(doc, "string(/domain/os/boot[1]/@dev)", "network");
	assert_xp(doc, "string(/domain/os/boot[2]/@dev)", "cdrom");
	assert_xp(doc, "string(/domain/os/boot[3]/@dev)", "hd");
	xmlFreeDoc(doc);
	free(xml);
	vmdef_file_free(&f);
}

/* Direct kernel boot; every special character comes back as written. */
static void
test_kernel_and_escaping(void **state)
{
	static const char yaml[] =
		"name: tiny\n"
		"memory: 256M\n"
		"boot:\n"
		"  kernel: /boot/vmlinuz-\"q'&<x>\n"
		"  initrd: /boot/initrd & co.img\n"
		"  cmdline: 'console=ttyS0 a=\"b c\" d=''e'' <f> & g=\xc3\xa9'\n";
	static const char weird[] = "we\"ir'd<n>&me";
	struct vmdef_file f;
	xmlDocPtr doc;
	char *xml;

	(void)state;
	parse_ok(&f, yaml);
	free(f.vms[0].name); /* vmdef would refuse it; libvirt does not */
	f.vms[0].name = strdup(weird);
	xml = gen(&f.vms[0], "kvm");
	doc = doc_of(xml);
	assert_xp(doc, "string(/domain/name)", weird);
	assert_xp(doc, "string(/domain/os/kernel)", "/boot/vmlinuz-\"q'&<x>");
	assert_xp(doc, "string(/domain/os/initrd)", "/boot/initrd & co.img");
	assert_xp(doc, "string(/domain/os/cmdline)",
	          "console=ttyS0 a=\"b c\" d='e' <f> & g=\xc3\xa9");
	assert_xp(doc, "count(/domain/os/boot)", "0");
	assert_xp(doc, "string(/domain/memory)", "262144");
	assert_null(strstr(xml, "<f>"));
	assert_null(strstr(xml, " & "));
	assert_non_null(strstr(xml, "&lt;f&gt; &amp; g=\xc3\xa9"));
	xmlFreeDoc(doc);
	free(xml);
	vmdef_file_free(&f);
}

/* Quotes of both kinds in attribute values (a disk path, a network
 * name) come back as written: libxml2 escapes " in attributes, never '. */
static void
test_attribute_quotes(void **state)
{
	static const char yaml[] =
		"name: q\n"
		"disks:\n"
		"  - path: \"/srv/it's \\\"mine\\\".img\"\n"
		"networks:\n"
		"  - network: \"lab' x='y\"\n";
	struct vmdef_file f;
	xmlDocPtr doc;
	char *xml;

	(void)state;
	parse_ok(&f, yaml);
	xml = gen(&f.vms[0], "kvm");
	doc = doc_of(xml);
	assert_xp(doc, "string(/domain/devices/disk[@device='disk']/source/@file)",
	          "/srv/it's \"mine\".img");
	assert_xp(doc, "string(/domain/devices/interface/source/@network)", "lab' x='y");
	assert_xp(doc, "count(/domain/devices/interface/source/@x)", "0");
	xmlFreeDoc(doc);
	free(xml);
	vmdef_file_free(&f);
}

/* No serial console: VNC on localhost still. */
static void
test_no_console(void **state)
{
	struct vmdef_file f;
	xmlDocPtr doc;
	char *xml;

	(void)state;
	parse_ok(&f, "name: quiet\nconsole: false\nnetworks: []\n");
	xml = gen(&f.vms[0], "kvm");
	doc = doc_of(xml);
	assert_xp(doc, "count(/domain/devices/serial|/domain/devices/console)", "0");
	assert_xp(doc, "string(/domain/devices/graphics/@type)", "vnc");
	assert_xp(doc, "string(/domain/devices/graphics/@autoport)", "yes");
	assert_xp(doc, "string(/domain/devices/graphics/listen/@type)", "address");
	assert_xp(doc, "string(/domain/devices/graphics/listen/@address)", "127.0.0.1");
	assert_xp(doc, "count(/domain/devices/interface)", "0");
	xmlFreeDoc(doc);
	free(xml);
	vmdef_file_free(&f);
}

/* graphics: none: no VNC; with console: false too, neither. */
static void
test_no_graphics(void **state)
{
	struct vmdef_file f;
	xmlDocPtr doc;
	char *xml;

	(void)state;
	parse_ok(&f, "name: plain\ngraphics: none\nnetworks: []\n");
	xml = gen(&f.vms[0], "kvm");
	doc = doc_of(xml);
	assert_xp(doc, "count(/domain/devices/graphics)", "0");
	assert_xp(doc, "string(/domain/devices/serial/@type)", "pty");
	xmlFreeDoc(doc);
	free(xml);
	vmdef_file_free(&f);
	parse_ok(&f, "name: headless\ngraphics: none\nconsole: false\nnetworks: []\n");
	xml = gen(&f.vms[0], "kvm");
	doc = doc_of(xml);
	assert_xp(doc, "count(/domain/devices/graphics|/domain/devices/serial|/domain/devices/console)", "0");
	xmlFreeDoc(doc);
	free(xml);
	vmdef_file_free(&f);
}

static void
test_nics(void **state)
{
	static const char yaml[] =
		"name: nets\n"
		"networks:\n"
		"  - {network: default, mac: \"52:54:00:AB:cd:01\"}\n"
		"  - {bridge: br0, model: e1000}\n"
		"  - {user: true, model: rtl8139}\n"
		"  - {network: default, model: e1000e}\n";
	struct vmdef_file f;
	xmlDocPtr doc;
	char *xml;

	(void)state;
	parse_ok(&f, yaml);
	xml = gen(&f.vms[0], "kvm");
	doc = doc_of(xml);
	assert_xp(doc, "count(/domain/devices/interface)", "4");
	assert_xp(doc, "string(/domain/devices/interface[1]/@type)", "network");
	assert_xp(doc, "string(/domain/devices/interface[1]/source/@network)", "default");
	assert_xp(doc, "string(/domain/devices/interface[1]/mac/@address)", "52:54:00:ab:cd:01");
	assert_xp(doc, "string(/domain/devices/interface[1]/model/@type)", "virtio");
	assert_xp(doc, "string(/domain/devices/interface[2]/@type)", "bridge");
	assert_xp(doc, "string(/domain/devices/interface[2]/source/@bridge)", "br0");
	assert_xp(doc, "count(/domain/devices/interface[2]/mac)", "0");
	assert_xp(doc, "string(/domain/devices/interface[2]/model/@type)", "e1000");
	assert_xp(doc, "string(/domain/devices/interface[3]/@type)", "user");
	assert_xp(doc, "count(/domain/devices/interface[3]/source)", "0");
	assert_xp(doc, "string(/domain/devices/interface[3]/model/@type)", "rtl8139");
	assert_xp(doc, "string(/domain/devices/interface[4]/model/@type)", "e1000e");
	xmlFreeDoc(doc);
	free(xml);
	vmdef_file_free(&f);
}

static void
test_generate_errors(void **state)
{
	struct vmdef_file f;
	struct vmxml_opts o = { .domain_type = "kvm" };
	char *err;

	(void)state;
	parse_ok(&f, "name: e\ndisks: [10]\nboot: {kernel: /k, cmdline: x}\n");
	/* type auto, unresolved */
	assert_null(vmxml_domain(&f.vms[0], NULL, &err));
	assert_string_equal(err, "type: auto must be resolved to kvm or qemu first");
	free(err);
	/* a new volume without its path */
	assert_null(vmxml_domain(&f.vms[0], &o, &err));
	assert_string_equal(err, "disk 1: no volume path: it must be created first");
	free(err);
	/* a control character XML cannot carry, even escaped */
	free(f.vms[0].cmdline);
	f.vms[0].cmdline = strdup("a\x01z");
	assert_null(vmxml_domain(&f.vms[0], &o, &err));
	assert_string_equal(err, "cmdline: holds a control character, which XML cannot carry");
	free(err);
	vmdef_file_free(&f);
}

/* ---- compare ---- */

static const char have_yaml[] =
	"name: cmp\n"
	"vcpus: {current: 1, max: 4}\n"
	"memory: {current: 512M, max: 2G}\n"
	"disks: [10, {size: 5G, bus: sata}]\n"
	"networks: [{network: default, model: e1000}]\n";

/* The domain's XML and its disk sizes. */
static char *
have_xml(uint64_t cap[2])
{
	struct vmdef_file f;
	char *xml;

	parse_ok(&f, have_yaml);
	xml = gen(&f.vms[0], "kvm");
	cap[0] = f.vms[0].disks[0].size;
	cap[1] = f.vms[0].disks[1].size;
	vmdef_file_free(&f);
	return xml;
}

static void
assert_diff(const struct vmxml_diff *d, const char *field, const char *have,
            const char *want, bool live)
{
	assert_string_equal(d->field, field);
	assert_string_equal(d->have, have);
	assert_string_equal(d->want, want);
	assert_int_equal(d->safe_live, live);
}

static void
test_compare_same(void **state)
{
	struct vmdef_file f;
	struct vmxml_diff *d;
	uint64_t cap[2];
	char *xml = have_xml(cap), *err;
	size_t n;

	(void)state;
	parse_ok(&f, have_yaml);
	assert_int_equal(vmxml_compare(&f.vms[0], xml, cap, &d, &n, &err), 0);
	assert_int_equal(n, 0);
	assert_null(d);
	assert_null(err);
	free(xml);
	vmdef_file_free(&f);
}

static void
test_compare_diffs(void **state)
{
	static const char want_yaml[] =
		"name: cmp\n"
		"vcpus: {current: 2, max: 4}\n"
		"memory: {current: 3G, max: 4G}\n"
		"disks: [{size: 20G, format: raw}, {size: 5G, bus: scsi}, 1]\n"
		"networks: [{bridge: br0, mac: \"52:54:00:00:00:01\"}, {user: true}]\n";
	struct vmdef_file f;
	struct vmxml_diff *d;
	uint64_t cap[2];
	char *xml = have_xml(cap), *err;
	size_t n;

	(void)state;
	parse_ok(&f, want_yaml);
	assert_int_equal(vmxml_compare(&f.vms[0], xml, cap, &d, &n, &err), 0);
	assert_int_equal(n, 12);
	assert_diff(&d[0], "vcpus", "1", "2", true);
	assert_diff(&d[1], "memory", "512M", "3G", false); /* more than the max */
	assert_diff(&d[2], "max_memory", "2G", "4G", false);
	assert_diff(&d[3], "disks", "2", "3", false);
	assert_diff(&d[4], "disks[0].format", "qcow2", "raw", false);
	assert_diff(&d[5], "disks[0].size", "10G", "20G", false);
	/* paired by target: sda, which sata and scsi share */
	assert_diff(&d[6], "disks[1].bus", "sata", "scsi", false);
	assert_diff(&d[7], "networks", "1", "2", false);
	assert_diff(&d[8], "networks[0].kind", "network", "bridge", false);
	assert_diff(&d[9], "networks[0].source", "default", "br0", false);
	assert_diff(&d[10], "networks[0].mac", "none", "52:54:00:00:00:01", false);
	assert_diff(&d[11], "networks[0].model", "e1000", "virtio", false);
	vmxml_diffs_free(d, n);
	/* Without capacities sizes are not compared. */
	assert_int_equal(vmxml_compare(&f.vms[0], xml, NULL, &d, &n, &err), 0);
	assert_int_equal(n, 11);
	vmxml_diffs_free(d, n);
	free(xml);
	vmdef_file_free(&f);
}

/* Current values within the domain's max can change live; a new max cannot. */
static void
test_compare_live(void **state)
{
	struct vmdef_file f;
	struct vmxml_diff *d;
	uint64_t cap[2];
	char *xml = have_xml(cap), *err;
	size_t n;

	(void)state;
	parse_ok(&f, "name: cmp\nvcpus: 8\nmemory: {current: 2G, max: 2G}\n"
	             "disks: [10, {size: 5G, bus: sata}]\n"
	             "networks: [{network: default, model: e1000}]\n");
	assert_int_equal(vmxml_compare(&f.vms[0], xml, cap, &d, &n, &err), 0);
	assert_int_equal(n, 3);
	assert_diff(&d[0], "vcpus", "1", "8", false);
	assert_diff(&d[1], "max_vcpus", "4", "8", false);
	assert_diff(&d[2], "memory", "512M", "2G", true);
	vmxml_diffs_free(d, n);
	free(xml);
	vmdef_file_free(&f);
}

/* Path disks compare their path; MACs compare without case; CD-ROMs and
 * other units of memory are read as libvirt means them. */
static void
test_compare_handwritten(void **state)
{
	static const char xml[] =
		"<domain type='kvm'><name>h</name>"
		"<memory unit='GiB'>1</memory><vcpu>2</vcpu>"
		"<os><type>hvm</type></os><devices>"
		"<disk type='file' device='cdrom'><source file='/x.iso'/>"
		"<target dev='sda' bus='sata'/></disk>"
		"<disk type='file' device='disk'><driver name='qemu' type='raw'/>"
		"<source file='/srv/other.img'/><target dev='vda' bus='virtio'/></disk>"
		"<interface type='network'><mac address='52:54:00:AA:BB:CC'/>"
		"<source network='default'/><model type='virtio'/></interface>"
		"</devices></domain>";
	struct vmdef_file f;
	struct vmxml_diff *d;
	char *err;
	size_t n;

	(void)state;
	parse_ok(&f, "name: h\nvcpus: 2\nmemory: 1G\ndisks: [{path: /srv/disk.img}]\n"
	             "networks: [{network: default, mac: \"52:54:00:aa:bb:cc\"}]\n");
	assert_int_equal(vmxml_compare(&f.vms[0], xml, NULL, &d, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_diff(&d[0], "disks[0].path", "/srv/other.img", "/srv/disk.img", false);
	vmxml_diffs_free(d, n);
	vmdef_file_free(&f);
}

/* A disk moved to another family of targets is paired with the one left. */
static void
test_compare_bus_change(void **state)
{
	static const char xml[] =
		"<domain type='kvm'><name>b</name><memory>524288</memory><vcpu>1</vcpu>"
		"<os><type>hvm</type></os><devices>"
		"<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
		"<source file='/a.qcow2'/><target dev='vda' bus='virtio'/></disk>"
		"</devices></domain>";
	const uint64_t cap[] = { 10 * GiB };
	struct vmdef_file f;
	struct vmxml_diff *d;
	char *err;
	size_t n;

	(void)state;
	parse_ok(&f, "name: b\ndisks: [{size: 10G, bus: scsi}]\nnetworks: []\n");
	assert_int_equal(vmxml_compare(&f.vms[0], xml, cap, &d, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_diff(&d[0], "disks[0].bus", "virtio", "scsi", false);
	vmxml_diffs_free(d, n);
	vmdef_file_free(&f);
}

static void
test_compare_malformed(void **state)
{
	struct vmdef_file f;
	struct vmxml_diff *d;
	char *err;
	size_t n;

	(void)state;
	parse_ok(&f, "name: m\n");
	assert_int_equal(vmxml_compare(&f.vms[0], "<domain><name>", NULL, &d, &n, &err), -1);
	assert_string_equal(err, "the domain XML is not well-formed");
	free(err);
	assert_int_equal(vmxml_compare(&f.vms[0], "<network/>", NULL, &d, &n, &err), -1);
	assert_string_equal(err, "the XML is not a libvirt domain");
	free(err);
	assert_null(d);
	assert_int_equal(n, 0);
	vmdef_file_free(&f);
}

/* ---- export ---- */

/* Everything vmxml_domain takes from d is the same in a and b; disks are
 * matched by target, as their order may differ. */
static void
assert_same_domain(const char *xml_a, const char *xml_b)
{
	static const char *const exprs[] = {
		"string(/domain/@type)", "string(/domain/name)", "string(/domain/memory)",
		"string(/domain/currentMemory)", "string(/domain/vcpu)",
		"string(/domain/vcpu/@current)", "string(/domain/os/type/@arch)",
		"string(/domain/os/type/@machine)", "string(/domain/os/kernel)",
		"string(/domain/os/initrd)", "string(/domain/os/cmdline)",
		"count(/domain/os/boot)", "string(/domain/os/boot[1]/@dev)",
		"string(/domain/os/boot[2]/@dev)", "count(/domain/devices/serial)",
		"count(/domain/devices/graphics)",
		"count(/domain/devices/disk[@device='disk'])",
		"string(/domain/devices/disk[@device='disk'][1]/target/@dev)",
		"count(/domain/devices/interface)",
	};
	static const char *const per_disk[] = { "target/@bus", "driver/@type", "@type" };
	static const char *const per_nic[] = { "@type", "source/@network", "source/@bridge",
	                                       "model/@type" };
	xmlDocPtr a = doc_of(xml_a), b = doc_of(xml_b);
	char expr[200], *va, *vb, *t;
	size_t i, k, n = sizeof exprs / sizeof *exprs;

	for (i = 0; i < n + 8 * (3 + 4); i++) {
		k = (i - n) / 7 + 1;
		if (i < n) {
			snprintf(expr, sizeof expr, "%s", exprs[i]);
		} else if ((i - n) % 7 < 3) {
			snprintf(expr, sizeof expr, "string(/domain/devices/disk[@device='disk']"
			         "[%zu]/target/@dev)", k);
			t = xp(a, expr);
			snprintf(expr, sizeof expr, "string(/domain/devices/disk[@device='disk']"
			         "[target/@dev='%s']/%s)", t, per_disk[(i - n) % 7]);
			free(t);
		} else {
			snprintf(expr, sizeof expr, "string(/domain/devices/interface[%zu]/%s)", k,
			         per_nic[(i - n) % 7 - 3]);
		}
		va = xp(a, expr);
		vb = xp(b, expr);
		if (strcmp(va, vb) != 0)
			fail_msg("%s: \"%s\" became \"%s\"", expr, va, vb);
		free(va);
		free(vb);
	}
	xmlFreeDoc(a);
	xmlFreeDoc(b);
}

/* The domain as libvirt keeps it (disks sorted by bus), or xml itself
 * without the test driver. */
static char *
libvirt_view(const char *xml)
{
	virDomainPtr dom;
	char *back;

	if (test_conn == NULL)
		return strdup(xml);
	dom = virDomainDefineXML(test_conn, xml);
	assert_non_null(dom);
	back = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE);
	assert_non_null(back);
	assert_int_equal(virDomainUndefine(dom), 0);
	virDomainFree(dom);
	return back;
}

/* The pool of each disk of xml, found by path as export would. */
static void
pools_for(const struct vmdef *d, const char *xml, const char **pools, size_t max)
{
	xmlDocPtr doc = doc_of(xml);
	char expr[128], buf[256], *p;
	size_t i, k;

	for (k = 0; k < max; k++) {
		snprintf(expr, sizeof expr, "string(/domain/devices/disk[@device='disk'][%zu]/"
		         "source/@file)", k + 1);
		p = xp(doc, expr);
		pools[k] = NULL;
		for (i = 0; i < d->ndisks; i++)
			if (strcmp(p, disk_path(d, i, buf, sizeof buf)) == 0)
				pools[k] = d->disks[i].pool;
		free(p);
	}
	xmlFreeDoc(doc);
}

/* d -> XML -> libvirt -> YAML -> vmdef -> XML: the same VM, but for MACs
 * and the seed. */
static void
roundtrip(const char *yaml, const char *type, const char *want_yaml)
{
	struct vmdef_file f, g;
	struct vmxml_diff *diffs;
	struct vmxml_opts o = { .domain_type = type, .arch = "x86_64" };
	const char *pools[8];
	uint64_t *cap, *cap2;
	char *xml1, *kept, *xml2, *out, *err;
	size_t i, n;

	parse_ok(&f, yaml);
	if (f.vms[0].cloud_init.enabled)
		o.seed_path = "/var/lib/libvirt/images/seed.iso";
	xml1 = gen_opts(&f.vms[0], &o);
	kept = libvirt_view(xml1);
	cap = caps_for(&f.vms[0], kept);
	pools_for(&f.vms[0], kept, pools, 8);
	out = vmxml_export_yaml(kept, cap, pools, &err);
	if (out == NULL)
		fail_msg("export: %s", err);
	if (want_yaml && strcmp(out, want_yaml) != 0)
		fail_msg("exported:\n%s\nwanted:\n%s", out, want_yaml);
	parse_ok(&g, out);
	o.seed_path = NULL;
	xml2 = gen_opts(&g.vms[0], &o);
	assert_same_domain(xml1, xml2);
	/* The new definition matches the old domain entirely... */
	assert_int_equal(vmxml_compare(&g.vms[0], kept, cap, &diffs, &n, &err), 0);
	if (n)
		fail_msg("%s: %s -> %s", diffs[0].field, diffs[0].have, diffs[0].want);
	/* ...and the old definition the new domain, but for its MACs. */
	cap2 = caps_for(&g.vms[0], xml2);
	assert_int_equal(vmxml_compare(&f.vms[0], xml2, cap2, &diffs, &n, &err), 0);
	for (i = 0; i < n; i++)
		if (strstr(diffs[i].field, ".mac") == NULL)
			fail_msg("%s: %s -> %s", diffs[i].field, diffs[i].have, diffs[i].want);
	vmxml_diffs_free(diffs, n);
	free(xml1);
	free(kept);
	free(xml2);
	free(out);
	free(cap);
	free(cap2);
	vmdef_file_free(&f);
	vmdef_file_free(&g);
}

static void
test_roundtrip_full(void **state)
{
	static const char yaml[] =
		"name: web01\n"
		"type: kvm\n"
		"machine: q35\n"
		"vcpus: {current: 2, max: 4}\n"
		"memory: {current: 1536M, max: 2G}\n"
		"disks:\n"
		"  - image: default/debian.qcow2\n"
		"    size: 20G\n"
		"  - {size: 50G, pool: data, format: raw, bus: sata}\n"
		"  - {size: 1, bus: scsi}\n"
		"  - {path: /srv/old disk.img, bus: ide}\n"
		"networks:\n"
		"  - {network: default, mac: \"52:54:00:0a:00:01\"}\n"
		"  - {bridge: br0, model: e1000}\n"
		"  - {user: true, model: rtl8139}\n"
		"boot: {order: [cdrom, hd]}\n";
	static const char want[] =
		"name: web01\n"
		"type: kvm\n"
		"arch: x86_64\n"
		"machine: q35\n"
		"vcpus: {current: 2, max: 4}\n"
		"memory: {current: 1536M, max: 2G}\n"
		"disks:\n"
		"- size: 20G\n"
		"  pool: default\n"
		"  format: qcow2\n"
		"  bus: virtio\n"
		"- size: 50G\n"
		"  pool: data\n"
		"  format: raw\n"
		"  bus: sata\n"
		"- size: 1G\n"
		"  pool: default\n"
		"  format: qcow2\n"
		"  bus: scsi\n"
		"- path: \"/srv/old disk.img\"\n"
		"  format: raw\n"
		"  bus: ide\n"
		"networks:\n"
		"- network: default\n"
		"  model: virtio\n"
		"- bridge: br0\n"
		"  model: e1000\n"
		"- user: true\n"
		"  model: rtl8139\n"
		"boot:\n"
		"  order: [cdrom, hd]\n";

	(void)state;
	roundtrip(yaml, "kvm", want);
}

/* Kernel boot with quotes to escape, no console, no interface, no disk. */
static void
test_roundtrip_kernel(void **state)
{
	static const char yaml[] =
		"name: tiny\n"
		"memory: 256M\n"
		"console: false\n"
		"networks: []\n"
		"boot:\n"
		"  kernel: /boot/vmlinuz\n"
		"  initrd: /boot/initrd.img\n"
		"  cmdline: 'console=ttyS0 a=\"b: c\" #d ''e'' <f> & \xc3\xa9'\n";
	static const char want[] =
		"name: tiny\n"
		"type: qemu\n"
		"arch: x86_64\n"
		"vcpus: 1\n"
		"memory: 256M\n"
		"networks: []\n"
		"boot:\n"
		"  kernel: /boot/vmlinuz\n"
		"  initrd: /boot/initrd.img\n"
		"  cmdline: \"console=ttyS0 a=\\\"b: c\\\" #d 'e' <f> & \xc3\xa9\"\n"
		"console: false\n";

	(void)state;
	roundtrip(yaml, "qemu", want);
}

/* kcli plan style, the image disk's size unknown: then it is its file. */
static void
test_roundtrip_plan(void **state)
{
	(void)state;
	roundtrip("db1:\n  image: centos9stream\n  numcpus: 4\n  memory: 8192\n"
	          "  disks: [{size: 30}, 100]\n  nets: [default, default]\n", "kvm", NULL);
	roundtrip("app1:\n  image: centos9stream\n  memory: 2048\n", "kvm",
	          "name: app1\ntype: kvm\narch: x86_64\nvcpus: 1\nmemory: 2G\ndisks:\n"
	          "- path: /var/lib/libvirt/images/app1-0.qcow2\n  format: qcow2\n  bus: virtio\n"
	          "networks:\n- network: default\n  model: virtio\n");
}

/* libvirt lists disks by bus; the export puts them back so that every
 * disk gets its target again and the first disk stays first. */
static void
test_roundtrip_reordered(void **state)
{
	(void)state;
	roundtrip("name: mixed\ndisks:\n  - {size: 1, bus: sata}\n  - 2\n"
	          "  - {size: 3, bus: scsi}\n  - {size: 4, bus: sata, format: raw}\n  - 5\n"
	          "  - {size: 6, bus: ide}\n", "kvm",
	          "name: mixed\ntype: kvm\narch: x86_64\nvcpus: 1\nmemory: 512M\ndisks:\n"
	          "- size: 1G\n  pool: default\n  format: qcow2\n  bus: sata\n"
	          "- size: 3G\n  pool: default\n  format: qcow2\n  bus: scsi\n"
	          "- size: 4G\n  pool: default\n  format: raw\n  bus: sata\n"
	          "- size: 2G\n  pool: default\n  format: qcow2\n  bus: virtio\n"
	          "- size: 5G\n  pool: default\n  format: qcow2\n  bus: virtio\n"
	          "- size: 6G\n  pool: default\n  format: qcow2\n  bus: ide\n"
	          "networks:\n- network: default\n  model: virtio\n");
}

/* Families in the order they first appear, by target index within one. */
static void
test_export_order(void **state)
{
	static const char *const disks[][3] = {
		{ "vdaa", "virtio", "/e" }, { "sdb", "scsi", "/d" }, { "vdb", "virtio", "/b" },
		{ "hda", "ide", "/f" }, { "vda", "virtio", "/a" }, { "sda", "sata", "/c" },
	};
	char xml[4096] = "<domain type='kvm'><name>o</name><memory>1024</memory><vcpu>1</vcpu>"
	                 "<os><type>hvm</type></os><devices>", *out, *err, *p;
	const char *want[] = { "/a", "/b", "/e", "/c", "/d", "/f" };
	size_t i;

	(void)state;
	for (i = 0; i < 6; i++)
		snprintf(xml + strlen(xml), sizeof xml - strlen(xml),
		         "<disk type='file' device='disk'><driver name='qemu' type='raw'/>"
		         "<source file='%s'/><target dev='%s' bus='%s'/></disk>",
		         disks[i][2], disks[i][0], disks[i][1]);
	strcat(xml, "</devices></domain>");
	out = vmxml_export_yaml(xml, NULL, NULL, &err);
	assert_non_null(out);
	for (p = out, i = 0; i < 6; i++) {
		char key[16];

		snprintf(key, sizeof key, "path: %s\n", want[i]);
		p = strstr(p, key);
		if (p == NULL)
			fail_msg("%s not in order in:\n%s", want[i], out);
	}
	free(out);
}

/* Names YAML would read as something else are quoted. */
static void
test_export_quoting(void **state)
{
	static const char xml[] =
		"<domain type='test'><name>123</name><memory>1024</memory><vcpu>1</vcpu>"
		"<os><type>hvm</type><boot dev='hd'/></os><devices>"
		"<interface type='bridge'><source bridge='yes'/></interface>"
		"<serial type='pty'/><graphics type='vnc'/></devices></domain>";
	char *out, *err;

	(void)state;
	out = vmxml_export_yaml(xml, NULL, NULL, &err);
	assert_non_null(out);
	/* No <rng>, no agent channel: rng: false and agent: false, so that
	 * applying it again adds neither. */
	assert_string_equal(out, "name: \"123\"\nvcpus: 1\nmemory: 1M\n"
	                         "networks:\n- bridge: \"yes\"\nrng: false\nagent: false\n");
	free(out);
}

/* A VM without VNC exports as graphics: none (applying it again must not
 * add a display). */
static void
test_export_no_graphics(void **state)
{
	static const char xml[] =
		"<domain type='test'><name>plain</name><memory>1024</memory><vcpu>1</vcpu>"
		"<os><type>hvm</type></os><devices><serial type='pty'/>"
		"<graphics type='spice'/></devices></domain>";
	char *out, *err;

	(void)state;
	out = vmxml_export_yaml(xml, NULL, NULL, &err);
	assert_non_null(out);
	assert_non_null(strstr(out, "\ngraphics: none\n"));
	free(out);
}

static void
test_export_refuses(void **state)
{
	static const char *const cases[][2] = {
		{ "<disk type='file' device='disk'><driver name='qemu' type='vmdk'/>"
		  "<source file='/a.vmdk'/><target dev='vda' bus='virtio'/></disk>",
		  "disk vda: bus virtio, format vmdk: vmtui.yaml knows virtio, sata, scsi, ide "
		  "and qcow2, raw" },
		{ "<disk type='file' device='disk'><driver name='qemu' type='raw'/>"
		  "<source file='/a.img'/><target dev='sda' bus='usb'/></disk>",
		  "disk sda: bus usb, format raw: vmtui.yaml knows virtio, sata, scsi, ide "
		  "and qcow2, raw" },
		{ "<disk type='network' device='disk'><driver name='qemu' type='raw'/>"
		  "<source protocol='nbd' name='x'><host name='h'/></source>"
		  "<target dev='vda' bus='virtio'/></disk>",
		  "disk vda: neither a file nor a volume of known pool and size" },
		{ "<interface type='direct'><source dev='eth0' mode='bridge'/></interface>",
		  "interface 1: type direct is not network, bridge or user" },
		{ "<interface type='network'><source network='n'/><model type='ne2k_pci'/>"
		  "</interface>",
		  "interface 1: model ne2k_pci is not virtio, e1000, e1000e or rtl8139" },
	};
	char xml[1024], *err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		snprintf(xml, sizeof xml, "<domain type='kvm'><name>r</name><memory>1024</memory>"
		         "<vcpu>1</vcpu><os><type>hvm</type></os><devices>%s</devices></domain>",
		         cases[i][0]);
		assert_null(vmxml_export_yaml(xml, NULL, NULL, &err));
		assert_string_equal(err, cases[i][1]);
		free(err);
	}
	assert_null(vmxml_export_yaml("<domain type='kvm'><memory>1024</memory></domain>",
	                              NULL, NULL, &err));
	assert_string_equal(err, "the domain has no name");
	free(err);
	assert_null(vmxml_export_yaml("not xml", NULL, NULL, &err));
	assert_string_equal(err, "the domain XML is not well-formed");
	free(err);
}

/* ---- setup ---- */

static void
quiet(void *data, virErrorPtr e)
{
	(void)data;
	(void)e;
}

static int
open_test_driver(void **state)
{
	(void)state;
	virSetErrorFunc(NULL, quiet);
	test_conn = virConnectOpen("test:///default");
	if (test_conn == NULL)
		print_message("libvirt's test driver is not available: not defining domains\n");
	return 0;
}

static int
close_test_driver(void **state)
{
	(void)state;
	if (test_conn)
		virConnectClose(test_conn);
	test_conn = NULL;
	xmlCleanupParser();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes_and_defaults),
		cmocka_unit_test(test_attribute_quotes),
		cmocka_unit_test(test_qemu_arch_machine_uuid),
		cmocka_unit_test(test_no_opts),
		cmocka_unit_test(test_disk_targets),
		cmocka_unit_test(test_many_disks),
		cmocka_unit_test(test_boot_order),
		cmocka_unit_test(test_kernel_and_escaping),
		cmocka_unit_test(test_no_console),
		cmocka_unit_test(test_no_graphics),
		cmocka_unit_test(test_export_no_graphics),
		cmocka_unit_test(test_nics),
		cmocka_unit_test(test_generate_errors),
		cmocka_unit_test(test_compare_same),
		cmocka_unit_test(test_compare_diffs),
		cmocka_unit_test(test_compare_live),
		cmocka_unit_test(test_compare_handwritten),
		cmocka_unit_test(test_compare_bus_change),
		cmocka_unit_test(test_compare_malformed),
		cmocka_unit_test(test_roundtrip_full),
		cmocka_unit_test(test_roundtrip_kernel),
		cmocka_unit_test(test_roundtrip_plan),
		cmocka_unit_test(test_roundtrip_reordered),
		cmocka_unit_test(test_export_order),
		cmocka_unit_test(test_export_quoting),
		cmocka_unit_test(test_export_refuses),
	};

	return cmocka_run_group_tests(tests, open_test_driver, close_test_driver);
}
