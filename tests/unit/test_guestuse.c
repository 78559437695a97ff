/* test_guestuse.c — model/host/guestuse.h: a guest's disks and interfaces
 * from its live and saved XML, each once, and which guests use a volume
 * (by path or by pool and name), a network (by name or by bridge) or a
 * MAC address. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "model/host/guestuse.h"

#define LIVE_WEB                                                                       \
	"<domain type='qemu' id='3'><name>web</name>"                                  \
	"<uuid>11111111-2222-3333-4444-555555555555</uuid><devices>"                   \
	"<disk type='file' device='disk'><source file='/var/lib/img/web.qcow2'/>"      \
	"<target dev='vda' bus='virtio'/></disk>"                                      \
	"<disk type='volume' device='cdrom'><source pool='isos' volume='debian.iso'/>" \
	"<target dev='sda' bus='sata'/><readonly/></disk>"                             \
	"<interface type='network'><mac address='52:54:00:AA:BB:01'/>"                 \
	"<source network='lab' bridge='virbr7'/></interface>"                          \
	"</devices></domain>"
/* The saved definition: the same disk and NIC, and a disk added for the
 * next boot. */
#define SAVED_WEB                                                                      \
	"<domain type='qemu'><name>web</name>"                                         \
	"<uuid>11111111-2222-3333-4444-555555555555</uuid><devices>"                   \
	"<disk type='file' device='disk'><source file='/var/lib/img/web.qcow2'/>"      \
	"<target dev='vda' bus='virtio'/></disk>"                                      \
	"<disk type='block' device='disk'><source dev='/dev/vg0/data'/>"               \
	"<target dev='vdb' bus='virtio'/></disk>"                                      \
	"<interface type='network'><mac address='52:54:00:aa:bb:01'/>"                 \
	"<source network='lab'/></interface>"                                          \
	"</devices></domain>"
#define DB                                                                             \
	"<domain type='qemu'><name>db</name><devices>"                                 \
	"<disk type='file' device='disk'><source file='/var/lib/img/web.qcow2'/>"      \
	"<target dev='vda' bus='virtio'/></disk>"                                      \
	"<interface type='bridge'><mac address='52:54:00:aa:bb:02'/>"                  \
	"<source bridge='br0'/></interface>"                                           \
	"</devices></domain>"

static void
fill(struct guest_uses *g)
{
	g->n = 2;
	g->v = calloc(2, sizeof *g->v);
	assert_int_equal(guest_use_add_xml(&g->v[0], DB), 0);
	assert_int_equal(guest_use_add_xml(&g->v[1], LIVE_WEB), 0);
	assert_int_equal(guest_use_add_xml(&g->v[1], SAVED_WEB), 0);
	g->v[1].active = true;
}

static void
live_and_saved_once(void **state)
{
	struct guest_uses g = { 0 };
	struct guest_use *w;

	(void)state;
	fill(&g);
	w = &g.v[1];
	assert_string_equal(w->name, "web");
	assert_string_equal(w->uuid, "11111111-2222-3333-4444-555555555555");
	assert_int_equal(w->ndisks, 3);
	assert_string_equal(w->disks[1].pool, "isos");
	assert_string_equal(w->disks[1].device, "cdrom");
	assert_true(w->disks[1].readonly);
	assert_false(w->disks[0].readonly);
	assert_string_equal(w->disks[2].file, "/dev/vg0/data");
	assert_int_equal(w->nnics, 1);
	assert_string_equal(w->nics[0].mac, "52:54:00:aa:bb:01");
	assert_string_equal(w->nics[0].bridge, "virbr7");
	guest_uses_free(&g);
}

static void
volume_users(void **state)
{
	struct guest_uses g = { 0 };
	size_t n = 9;
	char *s;

	(void)state;
	fill(&g);
	s = guest_uses_volume(&g, "/var/lib/img/web.qcow2", NULL, NULL, &n);
	assert_string_equal(s, "db, web");
	assert_int_equal(n, 2);
	free(s);
	s = guest_uses_volume(&g, "/srv/isos/debian.iso", "isos", "debian.iso", &n);
	assert_string_equal(s, "web");
	assert_int_equal(n, 1);
	free(s);
	assert_null(guest_uses_volume(&g, "/var/lib/img/other.qcow2", "default", "other", &n));
	assert_int_equal(n, 0);
	guest_uses_free(&g);
}

static void
network_users(void **state)
{
	struct guest_uses g = { 0 };
	size_t n;
	char *s;

	(void)state;
	fill(&g);
	s = guest_uses_network(&g, "lab", NULL, false, &n);
	assert_string_equal(s, "web");
	free(s);
	s = guest_uses_network(&g, NULL, "br0", false, &n);
	assert_string_equal(s, "db");
	free(s);
	/* db is shut off. */
	assert_null(guest_uses_network(&g, NULL, "br0", true, &n));
	assert_int_equal(n, 0);
	assert_string_equal(guest_uses_mac(&g, "52:54:00:AA:BB:02")->name, "db");
	assert_null(guest_uses_mac(&g, "52:54:00:aa:bb:03"));
	guest_uses_free(&g);
}

static void
not_a_domain(void **state)
{
	struct guest_use u = { 0 };

	(void)state;
	assert_int_equal(guest_use_add_xml(&u, "<network><name>x</name></network>"), -1);
	assert_int_equal(guest_use_add_xml(&u, "<domain"), -1);
	assert_null(u.name);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(live_and_saved_once),
		cmocka_unit_test(volume_users),
		cmocka_unit_test(network_users),
		cmocka_unit_test(not_a_domain),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
