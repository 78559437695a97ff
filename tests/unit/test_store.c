/* test_store.c — the pure parts of model/store: a pool's XML read (type,
 * target, the source of each kind), which guests have a disk in a pool,
 * a volume's XML read and written (raw, qcow2, an overlay; escaping; the
 * requests refused), names, sizes parsed and printed, and growing that
 * never shrinks. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "model/store/pool.h"
#include "model/store/volume.h"

#define GIB ((uint64_t)1 << 30)

static void
pool_dir(void **state)
{
	struct store_pool p = { 0 };

	(void)state;
	assert_int_equal(pool_xml_read("<pool type='dir'><name>images</name><uuid>x</uuid>"
	                               "<source/><target><path>/var/lib/img</path></target></pool>",
	                               &p), 0);
	assert_string_equal(p.name, "images");
	assert_string_equal(p.type, "dir");
	assert_string_equal(p.target, "/var/lib/img");
	assert_null(p.source);
	store_pool_clear(&p);
}

static void
pool_sources(void **state)
{
	struct store_pool p = { 0 };

	(void)state;
	assert_int_equal(pool_xml_read("<pool type='netfs'><name>nfs</name><source>"
	                               "<host name='filer'/><dir path='/srv/img'/>"
	                               "<format type='nfs'/></source>"
	                               "<target><path>/mnt/nfs</path></target></pool>", &p), 0);
	assert_string_equal(p.source, "filer:/srv/img");
	store_pool_clear(&p);
	assert_int_equal(pool_xml_read("<pool type='logical'><name>vg</name><source>"
	                               "<device path='/dev/loop3'/><name>vg0</name></source>"
	                               "<target><path>/dev/vg0</path></target></pool>", &p), 0);
	assert_string_equal(p.source, "vg0 on /dev/loop3");
	assert_string_equal(p.target, "/dev/vg0");
	store_pool_clear(&p);
	assert_int_equal(pool_xml_read("<pool type='fs'><name>f</name><source>"
	                               "<device path='/dev/sdb1'/></source></pool>", &p), 0);
	assert_string_equal(p.source, "/dev/sdb1");
	assert_null(p.target);
	store_pool_clear(&p);
	assert_int_equal(pool_xml_read("<volume><name>x</name></volume>", &p), -1);
	assert_int_equal(pool_xml_read("not xml", &p), -1);
	store_pool_clear(&p);
}

#define GUEST(name, disks) "<domain type='qemu'><name>" name "</name><devices>" disks \
	"</devices></domain>"
#define FILE_DISK(path, dev) "<disk type='file' device='disk'><source file='" path "'/>" \
	"<target dev='" dev "'/></disk>"

static void
fill(struct guest_uses *g)
{
	g->n = 3;
	g->v = calloc(3, sizeof *g->v);
	assert_int_equal(guest_use_add_xml(&g->v[0], GUEST("web", FILE_DISK("/var/lib/img/web.qcow2",
	                 "vda") "<disk type='volume' device='cdrom'><source pool='isos' "
	                 "volume='d.iso'/><target dev='sda'/></disk>")), 0);
	assert_int_equal(guest_use_add_xml(&g->v[1], GUEST("db", FILE_DISK("/var/lib/img/web.qcow2",
	                 "vda") FILE_DISK("/var/lib/img/db.qcow2", "vdb"))), 0);
	assert_int_equal(guest_use_add_xml(&g->v[2], GUEST("other",
	                 FILE_DISK("/var/lib/imgs/o.qcow2", "vda"))), 0);
	g->v[0].active = true;
}

static void
users_of_pool(void **state)
{
	struct guest_uses g = { 0 };
	size_t n = 9;
	char *s;

	(void)state;
	fill(&g);
	s = pool_users(&g, "images", "/var/lib/img", &n);
	assert_string_equal(s, "web, db"); /* each once; not /var/lib/imgs */
	assert_int_equal(n, 2);
	free(s);
	s = pool_users(&g, "images", "/var/lib/img/", &n);
	assert_string_equal(s, "web, db");
	free(s);
	s = pool_users(&g, "isos", "/srv/isos", &n);
	assert_string_equal(s, "web"); /* by <source pool=> */
	assert_int_equal(n, 1);
	free(s);
	assert_null(pool_users(&g, "empty", "/srv/empty", &n));
	assert_int_equal(n, 0);
	assert_null(pool_users(&g, "nopath", NULL, &n));
	guest_uses_free(&g);
}

static void
vol_read(void **state)
{
	struct store_vol v = { 0 };
	char *b;

	(void)state;
	assert_int_equal(vol_xml_read("<volume type='file'><name>web.qcow2</name>"
	                              "<capacity unit='bytes'>21474836480</capacity>"
	                              "<allocation unit='bytes'>196608</allocation>"
	                              "<target><path>/img/web.qcow2</path><format type='qcow2'/>"
	                              "</target><backingStore><path>/img/base.qcow2</path>"
	                              "<format type='qcow2'/></backingStore></volume>", &v, &b), 0);
	assert_string_equal(v.name, "web.qcow2");
	assert_string_equal(v.path, "/img/web.qcow2");
	assert_string_equal(v.format, "qcow2");
	assert_string_equal(v.kind, "file");
	assert_true(v.capacity == 20 * GIB);
	assert_true(v.allocation == 196608);
	assert_string_equal(b, "/img/base.qcow2");
	free(b);
	store_vol_clear(&v);
	assert_int_equal(vol_xml_read("<volume type='block'><name>lv</name><capacity>5</capacity>"
	                              "<target><path>/dev/vg/lv</path></target></volume>", &v, &b),
	                 0);
	assert_string_equal(v.kind, "block");
	assert_null(v.format);
	assert_null(b);
	store_vol_clear(&v);
	assert_int_equal(vol_xml_read("<pool/>", &v, &b), -1);
	store_vol_clear(&v);
}

static void
vol_write(void **state)
{
	char *err = NULL, *x;

	(void)state;
	x = vol_create_xml("a.qcow2", 10 * GIB, "qcow2", NULL, NULL, true, &err);
	assert_null(err);
	assert_non_null(strstr(x, "<name>a.qcow2</name>"));
	assert_non_null(strstr(x, "<capacity unit=\"bytes\">10737418240</capacity>"));
	assert_non_null(strstr(x, "<allocation unit=\"bytes\">0</allocation>"));
	assert_non_null(strstr(x, "<format type=\"qcow2\"/>"));
	assert_null(strstr(x, "backingStore"));
	free(x);
	x = vol_create_xml("o&<'\".qcow2", 0, "qcow2", "/img/b&b.qcow2", "qcow2", true, &err);
	assert_null(err);
	assert_non_null(strstr(x, "<name>o&amp;&lt;'&quot;.qcow2</name>"));
	assert_non_null(strstr(x, "<backingStore><path>/img/b&amp;b.qcow2</path>"
	                          "<format type=\"qcow2\"/></backingStore>"));
	free(x);
	x = vol_create_xml("r.img", 1024, NULL, NULL, NULL, true, &err);
	assert_non_null(strstr(x, "<format type=\"raw\"/>"));
	free(x);
	x = vol_create_xml("lv", 1024, "raw", NULL, NULL, false, &err); /* a logical pool */
	assert_non_null(strstr(x, "<allocation unit=\"bytes\">1024</allocation>"));
	free(x);
	assert_null(vol_create_xml("r.img", 1024, "raw", "/img/b", NULL, true, &err));
	assert_string_equal(err, "A volume on a backing volume is a qcow2 overlay; raw cannot be.");
	free(err);
	assert_null(vol_create_xml("r.img", 0, "raw", NULL, NULL, true, &err));
	assert_string_equal(err, "A new volume needs a size above 0.");
	free(err);
	assert_null(vol_create_xml("a/b", 1, "raw", NULL, NULL, true, &err));
	assert_string_equal(err, "\"a/b\": a volume name cannot contain \"/\".");
	free(err);
}

static void
names(void **state)
{
	char *s;

	(void)state;
	assert_null(vol_name_check("disk-1.qcow2"));
	assert_string_equal(s = vol_name_check(""), "A volume needs a name.");
	free(s);
	assert_string_equal(s = vol_name_check(".."), "\"..\" cannot name a volume.");
	free(s);
	assert_string_equal(s = vol_name_check("-x"), "\"-x\" cannot name a volume.");
	free(s);
	assert_string_equal(s = vol_name_check("a\tb"),
	                    "A volume name cannot contain control characters.");
	free(s);
}

static void
sizes(void **state)
{
	uint64_t b = 0;
	char buf[32], *s;

	(void)state;
	assert_null(vol_size_parse("20G", &b));
	assert_true(b == 20 * GIB);
	assert_null(vol_size_parse("3", &b)); /* a bare number is GiB */
	assert_true(b == 3 * GIB);
	assert_null(vol_size_parse("512M", &b));
	assert_true(b == 512u << 20);
	assert_string_equal(s = vol_size_parse("0", &b), "\"0\": a size must be above 0.");
	free(s);
	assert_string_equal(s = vol_size_parse("-1G", &b), "\"-1G\": a size cannot be negative.");
	free(s);
	assert_string_equal(s = vol_size_parse("2X", &b),
	                    "\"2X\": unknown unit (use K, M, G or T; a bare number is GiB).");
	free(s);
	assert_string_equal(s = vol_size_parse("abc", &b),
	                    "\"abc\" is not a size (use e.g. 20G or 512M; a bare number is GiB).");
	free(s);
	assert_string_equal(s = vol_size_parse("99999999999T", &b), "\"99999999999T\" is too large.");
	free(s);
	assert_string_equal(vol_size_fmt(buf, sizeof buf, 20 * GIB), "20 GiB");
	assert_string_equal(vol_size_fmt(buf, sizeof buf, 3 * GIB / 2), "1.5 GiB");
	assert_string_equal(vol_size_fmt(buf, sizeof buf, 512u << 20), "512 MiB");
	assert_string_equal(vol_size_fmt(buf, sizeof buf, 1000), "1000 B");
	assert_string_equal(vol_size_fmt(buf, sizeof buf, 0), "0 B");
	assert_string_equal(vol_size_fmt(buf, sizeof buf, UINT64_MAX), "16.0 EiB");
}

static void
grow_never_shrinks(void **state)
{
	char *s;

	(void)state;
	assert_null(vol_grow_check("v", 10 * GIB, 11 * GIB));
	assert_string_equal(s = vol_grow_check("v", 10 * GIB, 5 * GIB),
	                    "Volume v is 10 GiB; it cannot shrink to 5 GiB (volumes only grow: data "
	                    "past the new end would be lost).");
	free(s);
	assert_string_equal(s = vol_grow_check("v", 10 * GIB, 10 * GIB),
	                    "Volume v is 10 GiB already.");
	free(s);
}

static void
virsh_lines(void **state)
{
	struct vol_req r = { .op = VOL_CREATE, .pool = "p", .name = "o.qcow2", .bytes = GIB,
	                     .format = "qcow2", .backing = "base.qcow2" };
	char *s;

	(void)state;
	s = vol_op_virsh("qemu:///system", &r);
	assert_string_equal(s, "virsh -c qemu:///system vol-create-as p o.qcow2 1073741824b "
	                       "--format qcow2 --backing-vol base.qcow2");
	free(s);
	r.op = VOL_GROW;
	s = vol_op_virsh(NULL, &r);
	assert_string_equal(s, "virsh vol-resize --pool p o.qcow2 1073741824b");
	free(s);
	r.op = VOL_CLONE;
	r.newname = "c d";
	s = vol_op_virsh(NULL, &r);
	assert_string_equal(s, "virsh vol-clone --pool p o.qcow2 'c d'");
	free(s);
	s = pool_op_virsh(NULL, "p", POOL_DELETE_CONTENTS);
	assert_string_equal(s, "virsh pool-destroy p && virsh pool-delete p && virsh pool-undefine p");
	free(s);
	s = pool_op_virsh(NULL, "p", POOL_AUTOSTART_OFF);
	assert_string_equal(s, "virsh pool-autostart p --disable");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pool_dir),
		cmocka_unit_test(pool_sources),
		cmocka_unit_test(users_of_pool),
		cmocka_unit_test(vol_read),
		cmocka_unit_test(vol_write),
		cmocka_unit_test(names),
		cmocka_unit_test(sizes),
		cmocka_unit_test(grow_never_shrinks),
		cmocka_unit_test(virsh_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
