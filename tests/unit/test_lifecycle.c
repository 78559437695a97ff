/* test_lifecycle.c — the pure parts of snapshots, clone and delete
 * (model/guest/snapshot.h, clone.h, vmdelete.h): snapshot XML with escaping,
 * names, the disk check; the clone's names, plan and domain XML (UUID,
 * MACs, disks, logs, NVRAM); the delete backup's path, text and file;
 * then snapshots against libvirt's test driver (test:///default). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "model/base/xmalloc.h"
#include "model/guest/clone.h"
#include "model/guest/snapshot.h"
#include "model/guest/vmdelete.h"
#include "model/host/lvutil.h"

/* 2026-11-24 14:05:09 UTC */
#define T0 ((time_t)1795529109)

/* ---- snapshots ---- */

static void
snap_xml_escapes(void **state)
{
	char *x = snapshot_xml("it's \"a\" <b> & c", "say \"hi\" <&> 'there'");

	(void)state;
	assert_string_equal(x, "<domainsnapshot><name>it's &quot;a&quot; &lt;b&gt; &amp; c</name>"
	                       "<description>say &quot;hi&quot; &lt;&amp;&gt; 'there'</description>"
	                       "</domainsnapshot>");
	free(x);
	x = snapshot_xml("s1", "");
	assert_string_equal(x, "<domainsnapshot><name>s1</name></domainsnapshot>");
	free(x);
	x = snapshot_xml("s1", NULL);
	assert_string_equal(x, "<domainsnapshot><name>s1</name></domainsnapshot>");
	free(x);
}

static void
snap_parse_roundtrip(void **state)
{
	struct snapshot s;
	char *x = snapshot_xml("a<&>\"b", "d & <e>");

	(void)state;
	assert_int_equal(snapshot_parse(x, &s), 0);
	assert_string_equal(s.name, "a<&>\"b");
	assert_string_equal(s.description, "d & <e>");
	assert_null(s.state);
	assert_null(s.parent);
	assert_null(s.no_revert);
	free(s.name);
	free(s.description);
	free(x);
	assert_int_equal(snapshot_parse("<domainsnapshot><name>s2</name><state>running</state>"
	                                "<parent><name>s1</name></parent><creationTime>1795529109"
	                                "</creationTime><domain type='qemu'/></domainsnapshot>",
	                                &s), 0);
	assert_string_equal(s.name, "s2");
	assert_string_equal(s.state, "running");
	assert_string_equal(s.parent, "s1");
	assert_null(s.description);
	assert_int_equal(s.created, 1795529109);
	free(s.name);
	free(s.state);
	free(s.parent);
	assert_int_equal(snapshot_parse("<domain/>", &s), -1);
	assert_int_equal(snapshot_parse("not xml", &s), -1);
}

static void
check_name(const char *name, const char *want)
{
	char *why = snapshot_name_check(name);

	if (want == NULL)
		assert_null(why);
	else
		assert_string_equal(why, want);
	free(why);
}

static void
snap_names(void **state)
{
	char buf[64], long_name[200];

	(void)state;
	check_name("snap-1 before upgrade", NULL);
	check_name("", "A snapshot needs a name.");
	check_name(NULL, "A snapshot needs a name.");
	check_name("a/b", "\"a/b\": a snapshot name cannot contain \"/\".");
	check_name(".x", "\".x\": a snapshot name cannot start with \".\".");
	check_name("-x", "\"-x\": a snapshot name cannot start with \"-\".");
	check_name("a\tb", "A snapshot name cannot contain control characters.");
	memset(long_name, 'x', 129);
	long_name[129] = '\0';
	check_name(long_name, "The name is 129 bytes long; keep it to 128.");
	setenv("TZ", "UTC", 1);
	tzset();
	snapshot_default_name(buf, sizeof buf, T0);
	assert_string_equal(buf, "snap-20261124-140509");
	assert_string_equal(snapshot_revert_outcome("running"), "running");
	assert_string_equal(snapshot_revert_outcome("paused"), "paused");
	assert_string_equal(snapshot_revert_outcome("shutoff"), "shut off");
	assert_string_equal(snapshot_revert_outcome(NULL), "shut off");
}

static const char domain_raw[] =
	"<domain type='qemu'><name>g</name><devices>"
	"<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
	"<source file='/p/a.qcow2'/><target dev='vda'/></disk>"
	"<disk type='file' device='cdrom'><driver name='qemu' type='raw'/>"
	"<source file='/iso/x.iso'/><target dev='hdc'/><readonly/></disk>"
	"<disk type='file' device='disk'><driver name='qemu' type='raw'/>"
	"<source file='/p/b.img'/><target dev='vdb'/></disk>"
	"</devices></domain>";

static void
snap_disks(void **state)
{
	char *why = snapshot_disks_check(domain_raw, "g");

	(void)state;
	assert_string_equal(why, "g: disk vdb (/p/b.img) is a raw image; internal snapshots "
	                         "need qcow2 disks. Convert it while g is shut off (qemu-img "
	                         "convert -O qcow2) or use virsh snapshot-create-as --disk-only.");
	free(why);
	assert_null(snapshot_disks_check("<domain><devices><disk device='disk'><driver "
	                                 "type='qcow2'/><source file='/a'/><target dev='vda'/>"
	                                 "</disk><disk device='cdrom'><driver type='raw'/>"
	                                 "<target dev='hdc'/><readonly/></disk></devices>"
	                                 "</domain>", "g"));
	why = snapshot_disks_check("<oops", "g");
	assert_string_equal(why, "Cannot read the definition of g.");
	free(why);
}

static void
snap_virsh(void **state)
{
	char *v = snapshot_virsh_create("qemu:///system", "web 1", "s'1", "a \"b\"");

	(void)state;
	assert_string_equal(v, "virsh -c qemu:///system snapshot-create-as 'web 1' 's'\\''1' "
	                       "--description 'a \"b\"' --atomic");
	free(v);
	v = snapshot_virsh_create(NULL, "g", "s1", "");
	assert_string_equal(v, "virsh snapshot-create-as g s1 --atomic");
	free(v);
	v = snapshot_virsh_revert("qemu:///system", "g", "s1");
	assert_string_equal(v, "virsh -c qemu:///system snapshot-revert g s1");
	free(v);
	v = snapshot_virsh_delete(NULL, "g", "s1");
	assert_string_equal(v, "virsh snapshot-delete g s1");
	free(v);
}

/* ---- clone ---- */

static const char domain_src[] =
	"<domain type='qemu'>\n"
	"  <name>web</name>\n"
	"  <uuid>3c7e7cf2-0f50-4a4b-9d1c-6f5e0b7f0b1a</uuid>\n"
	"  <os><type>hvm</type><loader readonly='yes' type='pflash'>/fw/CODE.fd</loader>"
	"<nvram>/var/lib/libvirt/qemu/nvram/web_VARS.fd</nvram></os>\n"
	"  <devices>\n"
	"    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
	"<source file='/pool/web.qcow2'/><backingStore/><target dev='vda' bus='virtio'/></disk>\n"
	"    <disk type='volume' device='disk'><driver name='qemu' type='raw'/>"
	"<source pool='data' volume='web-data.img'/><target dev='vdb' bus='virtio'/></disk>\n"
	"    <disk type='file' device='cdrom'><driver name='qemu' type='raw'/>"
	"<source file='/iso/seed.iso'/><target dev='sda' bus='sata'/><readonly/></disk>\n"
	"    <interface type='network'><mac address='52:54:00:11:22:33'/>"
	"<source network='default'/><target dev='vnet7'/><model type='virtio'/></interface>\n"
	"    <interface type='ethernet'><mac address='52:54:00:44:55:66'/></interface>\n"
	"    <serial type='pty'><log file='/var/log/vm/web-serial.log' append='off'/></serial>\n"
	"    <console type='pty'><log file='/g/web/console.log'/></console>\n"
	"  </devices>\n"
	"</domain>\n";

static struct clone_disk src_disks[3];

static struct clone_src
make_src(bool active)
{
	struct clone_src s = { 0 };

	memset(src_disks, 0, sizeof src_disks);
	src_disks[0] = (struct clone_disk){ xstrdup("vda"), xstrdup("/pool/web.qcow2"),
	                                    xstrdup("qcow2"), false, xstrdup("default"),
	                                    xstrdup("web.qcow2"), 1 << 30, 1 << 20, NULL, NULL };
	src_disks[1] = (struct clone_disk){ xstrdup("vdb"), xstrdup("/data/web-data.img"),
	                                    xstrdup("raw"), false, xstrdup("data"),
	                                    xstrdup("web-data.img"), 1 << 30, 1 << 30, NULL, NULL };
	src_disks[2] = (struct clone_disk){ xstrdup("sda"), xstrdup("/iso/seed.iso"),
	                                    xstrdup("raw"), true, NULL, NULL, 0, 0, NULL, NULL };
	s.name = xstrdup("web");
	s.state = xstrdup(active ? "running" : "shut off");
	s.active = active;
	s.xml = xstrdup(domain_src);
	s.disks = xmalloc(sizeof src_disks);
	memcpy(s.disks, src_disks, sizeof src_disks);
	s.ndisks = 3;
	return s;
}

static void
check_clone_name(const char *name, const char *want)
{
	char *why = clone_name_check(name);

	if (want == NULL)
		assert_null(why);
	else
		assert_string_equal(why, want);
	free(why);
}

static void
clone_names(void **state)
{
	char *s;

	(void)state;
	check_clone_name("web-2.test_a+b", NULL);
	check_clone_name("", "The clone needs a name.");
	check_clone_name("-web", "\"-web\": a name cannot start with \"-\".");
	check_clone_name("a b", "\"a b\": use letters, digits and . _ + - only (it names files "
	                        "too).");
	check_clone_name("a/b", "\"a/b\": use letters, digits and . _ + - only (it names files "
	                        "too).");
	check_clone_name("0123456789012345678901234567890123456789012345678901234567890123456789",
	                 "\"0123456789012345678901234567890123456789012345678901234567890123456789\""
	                 " is longer than 64 characters.");
	s = clone_volume_name("web.qcow2", "web", "web2", "vda", false);
	assert_string_equal(s, "web2.qcow2");
	free(s);
	s = clone_volume_name("web-data.img", "web", "db", "vdb", false);
	assert_string_equal(s, "db-data.img");
	free(s);
	s = clone_volume_name("web-data.img", "web", "db", "vdb", true);
	assert_string_equal(s, "db-data.qcow2");
	free(s);
	s = clone_volume_name("disk.qcow2", "web", "db", "vda", false);
	assert_string_equal(s, "db-vda.qcow2");
	free(s);
	s = clone_volume_name("disk.img", "web", "db", "vdb", false);
	assert_string_equal(s, "db-vdb.img");
	free(s);
	s = clone_volume_name("disk.img", "web", "db", "vdb", true);
	assert_string_equal(s, "db-vdb.qcow2");
	free(s);
	s = clone_volume_name("lv_root", "web", "db", "vda", false);
	assert_string_equal(s, "db-vda.qcow2");
	free(s);
	s = clone_log_path("/var/log/vm/web-serial.log", "web", "db");
	assert_string_equal(s, "/var/log/vm/db-serial.log");
	free(s);
	s = clone_log_path("/g/web/console.log", "web", "db");
	assert_string_equal(s, "/g/web/db-console.log");
	free(s);
}

static void
clone_plan_refusals(void **state)
{
	struct clone_src s = make_src(true);
	char *why;

	(void)state;
	free(s.disks[1].pool);
	free(s.disks[1].vol);
	s.disks[1].pool = s.disks[1].vol = NULL;
	why = clone_plan(&s, "web", true);
	assert_string_equal(why, "web is running; shut it down first: a copy of a disk in use is "
	                         "inconsistent, and an overlay on it breaks when it writes on. The "
	                         "clone needs a name of its own. Disk vdb (/data/web-data.img) is in "
	                         "no storage pool, so libvirt cannot copy it; make its folder one "
	                         "(virsh pool-define-as NAME dir --target /data; virsh pool-start "
	                         "NAME) and clone again.");
	free(why);
	why = clone_plan(&s, "bad name", false);
	assert_non_null(strstr(why, "\"bad name\": use letters"));
	free(why);
	clone_src_free(&s);
}

/* The string value of an XPath expression on xml. */
static char *
xpath(const char *xml, const char *expr)
{
	xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "x.xml", NULL, 0);
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, ctx);
	char *s = xstrdup(o && o->stringval ? (const char *)o->stringval : "");

	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return s;
}

static void
expect(const char *xml, const char *expr, const char *want)
{
	char *got = xpath(xml, expr);

	if (strcmp(got, want) != 0)
		fail_msg("%s: got \"%s\", want \"%s\"", expr, got, want);
	free(got);
}

static void
clone_xml_full(void **state)
{
	struct clone_src s = make_src(false);
	char *why = clone_plan(&s, "web2", false), *err = NULL, *x;

	(void)state;
	assert_null(why);
	assert_string_equal(s.disks[0].new_vol, "web2.qcow2");
	assert_string_equal(s.disks[0].new_path, "/pool/web2.qcow2");
	assert_string_equal(s.disks[1].new_vol, "web2-data.img");
	assert_null(s.disks[2].new_vol);
	x = clone_domain_xml(&s, "web2", &err);
	assert_non_null(x);
	expect(x, "string(/domain/name)", "web2");
	expect(x, "string(count(/domain/uuid))", "0");
	expect(x, "string(count(//mac))", "0");
	expect(x, "string(count(//interface))", "2");
	expect(x, "string(count(//interface/target))", "0");
	expect(x, "string(//interface[1]/source/@network)", "default");
	expect(x, "string(count(/domain/os/nvram))", "0");
	expect(x, "string(/domain/os/loader)", "/fw/CODE.fd");
	expect(x, "string(//disk[target/@dev='vda']/source/@file)", "/pool/web2.qcow2");
	expect(x, "string(count(//disk[target/@dev='vda']/backingStore))", "0");
	expect(x, "string(//disk[target/@dev='vda']/driver/@type)", "qcow2");
	expect(x, "string(//disk[target/@dev='vdb']/source/@volume)", "web2-data.img");
	expect(x, "string(//disk[target/@dev='vdb']/source/@pool)", "data");
	expect(x, "string(//disk[target/@dev='vdb']/driver/@type)", "raw");
	expect(x, "string(//disk[target/@dev='sda']/source/@file)", "/iso/seed.iso");
	expect(x, "string(//serial/log/@file)", "/var/log/vm/web2-serial.log");
	expect(x, "string(//console/log/@file)", "/g/web/web2-console.log");
	free(x);
	/* The name is text: escaped when written. */
	x = clone_domain_xml(&s, "a&b<c", &err);
	assert_non_null(strstr(x, "<name>a&amp;b&lt;c</name>"));
	free(x);
	clone_src_free(&s);
}

static void
clone_xml_linked(void **state)
{
	struct clone_src s = make_src(false);
	char *why = clone_plan(&s, "t1", true), *err = NULL, *x;

	(void)state;
	assert_null(why);
	assert_string_equal(s.disks[0].new_vol, "t1.qcow2");
	assert_string_equal(s.disks[1].new_vol, "t1-data.qcow2");
	x = clone_domain_xml(&s, "t1", &err);
	expect(x, "string(//disk[target/@dev='vda']/source/@file)", "/pool/t1.qcow2");
	expect(x, "string(//disk[target/@dev='vdb']/source/@volume)", "t1-data.qcow2");
	expect(x, "string(//disk[target/@dev='vdb']/driver/@type)", "qcow2");
	expect(x, "string(//disk[target/@dev='sda']/driver/@type)", "raw");
	free(x);
	free(s.xml);
	s.xml = xstrdup("<network/>");
	x = clone_domain_xml(&s, "t1", &err);
	assert_null(x);
	assert_string_equal(err, "The definition of web is not domain XML.");
	free(err);
	clone_src_free(&s);
}

/* ---- delete ---- */

static void
check_path(const char *sh, const char *home, const char *name, const char *want)
{
	char *err = NULL, *p = vmdelete_backup_path(sh, home, name, T0, &err);

	if (want[0] == '!') {
		assert_null(p);
		assert_string_equal(err, want + 1);
		free(err);
		return;
	}
	assert_string_equal(p, want);
	free(p);
}

static void
del_backup_path(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	check_path("/st", "/home/u", "web", "/st/vmtui/backups/web-20261124-140509.xml");
	check_path(NULL, "/home/u", "web", "/home/u/.local/state/vmtui/backups/web-20261124-140509.xml");
	check_path("", "/home/u", "web", "/home/u/.local/state/vmtui/backups/web-20261124-140509.xml");
	/* A relative XDG_STATE_HOME is to be ignored (XDG base directory spec). */
	check_path("rel", "/home/u", "w", "/home/u/.local/state/vmtui/backups/w-20261124-140509.xml");
	check_path("/st", NULL, "a/b", "/st/vmtui/backups/a_b-20261124-140509.xml");
	check_path(NULL, NULL, "web", "!Neither XDG_STATE_HOME nor HOME is set, so there is no "
	                              "place for the backup of the definition.");
}

static void
del_backup_text(void **state)
{
	char *snaps[] = { "s1", "a--b" };
	char *t;
	xmlDocPtr doc;

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	t = vmdelete_backup_text("<?xml version=\"1.0\"?>\n<domain type='qemu'><name>x--y</name>"
	                         "</domain>", "x--y", "qemu:///system", snaps, 2, T0);
	assert_string_equal(t, "<!-- vmtui: the definition of guest x- -y on qemu:///system, "
	                       "saved at 2026-11-24 14:05:09 before deleting it.\n"
	                       "     Snapshots (their metadata went with the guest): s1, a- -b\n"
	                       "     Define the guest again with: virsh -c qemu:///system define "
	                       "THIS-FILE -->\n<domain type='qemu'><name>x--y</name></domain>\n");
	doc = xmlReadMemory(t, (int)strlen(t), "b.xml", NULL, XML_PARSE_NOERROR);
	assert_non_null(doc);
	assert_string_equal((const char *)xmlDocGetRootElement(doc)->name, "domain");
	xmlFreeDoc(doc);
	free(t);
	t = vmdelete_backup_text("<domain/>\n", "g-", NULL, NULL, 0, T0);
	assert_string_equal(t, "<!-- vmtui: the definition of guest g-  on libvirt's default host, "
	                       "saved at 2026-11-24 14:05:09 before deleting it.\n"
	                       "     Snapshots (their metadata went with the guest): none\n"
	                       "     Define the guest again with: virsh define THIS-FILE -->\n"
	                       "<domain/>\n");
	doc = xmlReadMemory(t, (int)strlen(t), "b.xml", NULL, XML_PARSE_NOERROR);
	assert_non_null(doc);
	xmlFreeDoc(doc);
	free(t);
}

static void
del_backup_file(void **state)
{
	char dir[] = "/tmp/vmtui-lifecycle-XXXXXX", *path, *got = NULL, *got2 = NULL, *err = NULL;
	char buf[64];
	struct stat st;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	path = xasprintf("%s/state/vmtui/backups/g-1.xml", dir);
	assert_int_equal(vmdelete_write_backup(path, "<domain/>\n", &got, &err), 0);
	assert_string_equal(got, path);
	assert_int_equal(stat(got, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	free(path);
	path = xasprintf("%s/state/vmtui/backups", dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	free(path);
	f = fopen(got, "r");
	assert_non_null(fgets(buf, sizeof buf, f));
	fclose(f);
	assert_string_equal(buf, "<domain/>\n");
	/* The same second again: a new file beside it, nothing overwritten. */
	path = xasprintf("%s/state/vmtui/backups/g-1.xml", dir);
	assert_int_equal(vmdelete_write_backup(path, "two\n", &got2, &err), 0);
	free(path);
	path = xasprintf("%s/state/vmtui/backups/g-1-2.xml", dir);
	assert_string_equal(got2, path);
	unlink(got);
	unlink(got2);
	free(path);
	free(got);
	free(got2);
	/* A folder that cannot be made. */
	path = xasprintf("%s/file", dir);
	f = fopen(path, "w");
	fclose(f);
	free(path);
	path = xasprintf("%s/file/sub/g.xml", dir);
	assert_int_equal(vmdelete_write_backup(path, "x", &got, &err), -1);
	assert_null(got);
	assert_non_null(strstr(err, "Cannot make the folder of "));
	free(err);
	free(path);
	path = xasprintf("rm -rf %s", dir);
	assert_int_equal(system(path), 0);
	free(path);
}

/* ---- snapshots on libvirt's test driver ---- */

static void
quiet(void *data, virErrorPtr e)
{
	(void)data;
	(void)e;
}

static void
snap_test_driver(void **state)
{
	virConnectPtr c;
	virDomainPtr dom;
	struct snapshot_list l;
	char *err = NULL, *what = NULL, *warning = NULL;
	const char *after;

	(void)state;
	virSetErrorFunc(NULL, quiet);
	c = virConnectOpen("test:///default");
	assert_non_null(c);
	dom = lv_domain_lookup(c, "test", &err);
	assert_non_null(dom);
	assert_null(lv_domain_lookup(c, "nope", &err));
	assert_string_equal(err, "There is no guest \"nope\" on this host; check the name with virsh "
	                         "list --all.");
	free(err);
	err = NULL;
	assert_int_equal(snapshot_list_read(dom, &l, &err), 0);
	assert_int_equal(l.n, 0);
	snapshot_list_free(&l);
	assert_int_equal(snapshot_create(dom, "one", "first <1>", &what, &warning, &err), 0);
	assert_null(warning); /* the running guest is as configured */
	assert_string_equal(what, "disks and memory state (a revert brings test back running)");
	free(what);
	assert_int_equal(snapshot_create(dom, "one", NULL, &what, &warning, &err), -1);
	assert_string_equal(err, "test already has a snapshot \"one\"; pick another name.");
	free(err);
	assert_int_equal(snapshot_create(dom, "a/b", NULL, &what, &warning, &err), -1);
	assert_string_equal(err, "\"a/b\": a snapshot name cannot contain \"/\".");
	free(err);
	assert_int_equal(snapshot_create(dom, "two", NULL, &what, &warning, &err), 0);
	free(what);
	assert_int_equal(snapshot_list_read(dom, &l, &err), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].name, "one");
	assert_string_equal(l.v[0].description, "first <1>");
	assert_false(l.v[0].current);
	assert_string_equal(l.v[1].name, "two");
	assert_string_equal(l.v[1].parent, "one");
	assert_true(l.v[1].current);
	snapshot_list_free(&l);
	assert_int_equal(snapshot_revert_check(dom, "one", &err), 0);
	assert_int_equal(snapshot_revert_check(dom, "zz", &err), -1);
	assert_string_equal(err, "test has no snapshot \"zz\" (any more).");
	free(err);
	assert_int_equal(snapshot_revert(dom, "one", &after, &err), 0);
	assert_string_equal(after, "running");
	assert_int_equal(snapshot_revert(dom, "zz", &after, &err), -1);
	assert_string_equal(err, "test has no snapshot \"zz\" (any more).");
	free(err);
	assert_int_equal(snapshot_delete(dom, "two", &err), 0);
	assert_int_equal(snapshot_list_read(dom, &l, &err), 0);
	assert_int_equal(l.n, 1);
	assert_true(l.v[0].current);
	snapshot_list_free(&l);
	virDomainFree(dom);
	virConnectClose(c);
}

/* ---- clone and delete on libvirt's test driver ---- */

static const char test_dom[] =
	"<domain type='test'><name>g</name><memory>65536</memory><os><type>hvm</type></os>"
	"<devices><disk type='file' device='disk'><driver name='qemu' type='raw'/>"
	"<source file='/default-pool/g.img'/><target dev='vda'/></disk>"
	"<interface type='network'><mac address='52:54:00:aa:bb:cc'/>"
	"<source network='default'/></interface></devices></domain>";

static int actions;

static void
count_action(const char *virsh, const char *err, const char *what, void *opaque)
{
	(void)virsh;
	(void)what;
	(void)opaque;
	if (err == NULL)
		actions++;
}

/* A connection to a fresh test driver with guest g on volume g.img. */
static virConnectPtr
test_host(void)
{
	virConnectPtr c;
	virStoragePoolPtr pool;
	virStorageVolPtr vol;
	virDomainPtr dom;

	virSetErrorFunc(NULL, quiet);
	c = virConnectOpen("test:///default");
	assert_non_null(c);
	pool = virStoragePoolLookupByName(c, "default-pool");
	assert_non_null(pool);
	vol = virStorageVolCreateXML(pool, "<volume><name>g.img</name><capacity>1048576</capacity>"
	                                   "</volume>", 0);
	assert_non_null(vol);
	virStorageVolFree(vol);
	virStoragePoolFree(pool);
	dom = virDomainDefineXML(c, test_dom);
	assert_non_null(dom);
	virDomainFree(dom);
	return c;
}

static bool
has_vol(virConnectPtr c, const char *name)
{
	virStoragePoolPtr pool = virStoragePoolLookupByName(c, "default-pool");
	virStorageVolPtr v = virStorageVolLookupByName(pool, name);

	virStoragePoolFree(pool);
	if (v)
		virStorageVolFree(v);
	return v != NULL;
}

static void
clone_test_driver(void **state)
{
	virConnectPtr c = test_host();
	struct clone_src s;
	char *err = NULL, *result = NULL, *xml;
	char u1[VIR_UUID_STRING_BUFLEN], u2[VIR_UUID_STRING_BUFLEN];
	virDomainPtr d1, d2;

	(void)state;
	assert_int_equal(clone_read(c, "g", &s, &err), 0);
	assert_int_equal(s.ndisks, 1);
	assert_string_equal(s.disks[0].pool, "default-pool");
	assert_string_equal(s.disks[0].vol, "g.img");
	actions = 0;
	assert_int_equal(clone_run(c, "test:///default", &s, "g2", false, false, NULL, count_action,
	                           NULL, &result, &err), 0);
	assert_string_equal(result, "g cloned as g2 (new UUID and MACs; disks /default-pool/g2.img "
	                            "(vda)).");
	assert_int_equal(actions, 2); /* vol-clone, define */
	free(result);
	assert_true(has_vol(c, "g2.img"));
	d1 = virDomainLookupByName(c, "g");
	d2 = virDomainLookupByName(c, "g2");
	assert_non_null(d2);
	virDomainGetUUIDString(d1, u1);
	virDomainGetUUIDString(d2, u2);
	assert_string_not_equal(u1, u2);
	xml = virDomainGetXMLDesc(d2, VIR_DOMAIN_XML_INACTIVE);
	assert_non_null(strstr(xml, "<source file='/default-pool/g2.img'/>"));
	assert_null(strstr(xml, "52:54:00:aa:bb:cc"));
	free(xml);
	virDomainFree(d1);
	virDomainFree(d2);
	/* The name is taken now. */
	assert_int_equal(clone_run(c, NULL, &s, "g2", false, false, NULL, NULL, NULL, &result,
	                           &err), -1);
	assert_string_equal(err, "Cannot clone g: a guest named g2 exists already.");
	free(err);
	/* Linked: an overlay backed by g.img. */
	assert_int_equal(clone_run(c, NULL, &s, "g3", true, false, NULL, NULL, NULL, &result,
	                           &err), 0);
	free(result);
	assert_true(has_vol(c, "g3.qcow2"));
	clone_src_free(&s);
	/* The source running: refused. */
	d1 = virDomainLookupByName(c, "g");
	assert_int_equal(virDomainCreate(d1), 0);
	virDomainFree(d1);
	assert_int_equal(clone_read(c, "g", &s, &err), 0);
	assert_int_equal(clone_run(c, NULL, &s, "g4", false, false, NULL, NULL, NULL, &result,
	                           &err), -1);
	assert_string_equal(err, "Cannot clone g: g is running; shut it down first: a copy of a "
	                         "disk in use is inconsistent.");
	free(err);
	assert_false(has_vol(c, "g4.img"));
	clone_src_free(&s);
	virConnectClose(c);
}

static void
delete_test_driver(void **state)
{
	virConnectPtr c = test_host();
	char dir[] = "/tmp/vmtui-lifecycle-XXXXXX", *err = NULL, *result = NULL, *bk = NULL;
	char *want, *rm[] = { "vda" }, *bad[] = { "vdz" };
	struct vmdel_info in;
	struct stat st;
	virDomainPtr d;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(vmdelete_read(c, "g", &in, &err), 0);
	assert_string_equal(in.name, "g");
	assert_false(in.active);
	assert_true(in.persistent);
	assert_int_equal(in.nvols, 1);
	assert_string_equal(in.vols[0].vol, "g.img");
	assert_null(in.vols[0].why_not);
	vmdelete_info_free(&in);
	assert_int_equal(vmdelete_run(c, "test:///default", "g", bad, 1, dir, NULL, NULL, NULL, &bk,
	                              &result, &err), -1);
	assert_string_equal(err, "Cannot delete g: g has no disk vdz; its disks: vda. Nothing was "
	                         "deleted.");
	free(err);
	assert_null(bk);
	/* Running: forced off first. */
	d = virDomainLookupByName(c, "g");
	assert_int_equal(virDomainCreate(d), 0);
	virDomainFree(d);
	actions = 0;
	assert_int_equal(vmdelete_run(c, "test:///default", "g", rm, 1, dir, NULL, count_action, NULL,
	                              &bk, &result, &err), 0);
	assert_int_equal(actions, 3); /* destroy, undefine, vol-delete */
	want = xasprintf("g deleted (forced off first). Storage removed: /default-pool/g.img (vda). "
	                 "Kept: none. Its definition is saved in %s (virsh define it to bring the "
	                 "guest back).", bk);
	assert_string_equal(result, want);
	free(want);
	assert_int_equal(strncmp(bk, dir, strlen(dir)), 0);
	assert_int_equal(stat(bk, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_null(virDomainLookupByName(c, "g"));
	assert_false(has_vol(c, "g.img"));
	free(result);
	free(bk);
	want = xasprintf("rm -rf %s", dir);
	assert_int_equal(system(want), 0);
	free(want);
	virConnectClose(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(snap_xml_escapes),
		cmocka_unit_test(snap_parse_roundtrip),
		cmocka_unit_test(snap_names),
		cmocka_unit_test(snap_disks),
		cmocka_unit_test(snap_virsh),
		cmocka_unit_test(clone_names),
		cmocka_unit_test(clone_plan_refusals),
		cmocka_unit_test(clone_xml_full),
		cmocka_unit_test(clone_xml_linked),
		cmocka_unit_test(del_backup_path),
		cmocka_unit_test(del_backup_text),
		cmocka_unit_test(del_backup_file),
		cmocka_unit_test(snap_test_driver),
		cmocka_unit_test(clone_test_driver),
		cmocka_unit_test(delete_test_driver),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
