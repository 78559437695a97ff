/* test_migrate.c — model/guest/migrate.h's pure parts: the networks and
 * disks a domain XML uses, the pre-flight plan built from facts (each
 * check passing, warning and failing, with its fix), the progress line
 * from job statistics, and the virsh line. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/base/xmalloc.h"
#include "model/guest/migrate.h"

static const char DOMAIN[] =
	"<domain type='qemu'><name>web</name>"
	"<os><type arch='x86_64' machine='pc'>hvm</type></os><devices>"
	"<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
	"<source file='/var/lib/libvirt/images/web.qcow2'/><target dev='vda'/></disk>"
	"<disk type='volume' device='disk'><source pool='data' volume='web-data'/>"
	"<target dev='vdb'/></disk>"
	"<disk type='file' device='cdrom'><source file='/iso/debian.iso'/>"
	"<target dev='sda'/><readonly/></disk>"
	"<disk type='file' device='cdrom'><target dev='sdb'/><readonly/></disk>"
	"<interface type='network'><source network='default'/></interface>"
	"<interface type='bridge'><source bridge='br0'/></interface>"
	"<interface type='ethernet'/>"
	"</devices></domain>";

static void
xml_refs(void **state)
{
	struct mig_facts f = { 0 };

	(void)state;
	assert_int_equal(mig_xml_refs(DOMAIN, &f), 0);
	assert_int_equal(f.nnets, 1);
	assert_string_equal(f.nets[0].name, "default");
	assert_int_equal(f.nbridges, 1);
	assert_string_equal(f.bridges[0], "br0");
	assert_int_equal(f.ndisks, 3); /* the empty CD-ROM drive is not one */
	assert_string_equal(f.disks[0].target, "vda");
	assert_string_equal(f.disks[0].path, "/var/lib/libvirt/images/web.qcow2");
	assert_string_equal(f.disks[0].format, "qcow2");
	assert_false(f.disks[0].readonly);
	assert_null(f.disks[1].path);
	assert_string_equal(f.disks[1].pool, "data");
	assert_true(f.disks[2].readonly);
	assert_string_equal(f.disks[2].path, "/iso/debian.iso");
	mig_facts_clear(&f);
	assert_int_equal(mig_xml_refs("<network/>", &f), -1);
	assert_int_equal(mig_xml_refs("not xml", &f), -1);
	mig_facts_clear(&f);
}

/* Facts of a running guest that may go anywhere. */
static void
good_facts(struct mig_facts *f)
{
	memset(f, 0, sizeof(*f));
	f->name = xstrdup("web");
	f->state = VIR_DOMAIN_RUNNING;
	f->reachable = true;
	f->target_label = xstrdup("b");
	f->cpu_cmp = VIR_CPU_COMPARE_SUPERSET;
	f->nets = xcalloc(1, sizeof(*f->nets));
	f->nets[0] = (struct mig_net){ xstrdup("default"), true, true };
	f->nnets = 1;
	f->disks = xcalloc(1, sizeof(*f->disks));
	f->disks[0] = (struct mig_disk){ .target = xstrdup("vda"), .path = xstrdup("/p/web.qcow2"),
	                                 .pool = xstrdup("images"), .pool_on_target = true,
	                                 .pool_active = true, .capacity = 32u << 20 };
	f->ndisks = 1;
	f->need_kib = 128 * 1024;
	f->free_kib = 4096 * 1024;
}

/* The plan's line about what; fails the test when there is none. */
static const struct mig_line *
find(const struct mig_plan *p, const char *what)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->v[i].what, what) == 0)
			return &p->v[i];
	fail_msg("no line \"%s\" in the plan", what);
	return NULL;
}

static void
plan_all_good(void **state)
{
	struct mig_facts f;
	struct mig_opts o = { .copy_storage = true };
	struct mig_plan p;
	char *t;

	(void)state;
	good_facts(&f);
	mig_plan_build(&f, &o, &p);
	assert_int_equal(p.mode, MIG_LIVE);
	assert_int_equal(mig_plan_worst(&p), MIG_OK);
	assert_int_equal(p.n, 7); /* state, reachable, cpu, network, disk, name, memory */
	assert_non_null(strstr(find(&p, "disk")->detail, "copied into pool images"));
	t = mig_plan_text(&p);
	assert_null(strstr(t, "fix:"));
	assert_non_null(strstr(t, "  ok    target reachable: b answers\n"));
	free(t);
	mig_plan_clear(&p);
	f.state = VIR_DOMAIN_SHUTOFF;
	mig_plan_build(&f, &o, &p);
	assert_int_equal(p.mode, MIG_OFFLINE);
	assert_int_equal(mig_plan_worst(&p), MIG_OK);
	mig_plan_clear(&p);
	mig_facts_clear(&f);
}

static void
plan_state_mode(void **state)
{
	struct mig_facts f;
	struct mig_opts o = { .mode = MIG_OFFLINE, .copy_storage = true };
	struct mig_plan p;

	(void)state;
	good_facts(&f);
	mig_plan_build(&f, &o, &p);
	assert_int_equal(find(&p, "guest state")->level, MIG_FAIL);
	assert_non_null(strstr(find(&p, "guest state")->fix, "shut it down first"));
	mig_plan_clear(&p);
	f.state = VIR_DOMAIN_SHUTOFF;
	o.mode = MIG_LIVE;
	mig_plan_build(&f, &o, &p);
	assert_int_equal(find(&p, "guest state")->level, MIG_FAIL);
	assert_non_null(strstr(find(&p, "guest state")->fix, "offline"));
	mig_plan_clear(&p);
	o.mode = MIG_OFFLINE;
	o.transient = true;
	mig_plan_build(&f, &o, &p);
	assert_int_equal(find(&p, "options")->level, MIG_FAIL);
	mig_plan_clear(&p);
	o.transient = false;
	o.p2p = true;
	mig_plan_build(&f, &o, &p);
	assert_int_equal(find(&p, "options")->level, MIG_FAIL);
	mig_plan_clear(&p);
	mig_facts_clear(&f);
}

static void
plan_unreachable(void **state)
{
	struct mig_facts f;
	struct mig_opts o = { 0 };
	struct mig_plan p;

	(void)state;
	good_facts(&f);
	f.reachable = false;
	f.reach_err = xstrdup("Connection refused");
	mig_plan_build(&f, &o, &p);
	assert_int_equal(p.n, 2); /* nothing else is asked of a host that does not answer */
	assert_int_equal(find(&p, "target reachable")->level, MIG_FAIL);
	assert_non_null(strstr(find(&p, "target reachable")->detail, "Connection refused"));
	assert_non_null(find(&p, "target reachable")->fix);
	mig_plan_clear(&p);
	f.reachable = true;
	f.same_host = true;
	mig_plan_build(&f, &o, &p);
	assert_int_equal(find(&p, "target reachable")->level, MIG_FAIL);
	assert_non_null(strstr(find(&p, "target reachable")->fix, "host_uuid"));
	mig_plan_clear(&p);
	mig_facts_clear(&f);
}

static void
plan_cpu(void **state)
{
	struct mig_facts f;
	struct mig_opts o = { .copy_storage = true };
	struct mig_plan p;

	(void)state;
	good_facts(&f);
	f.cpu_cmp = VIR_CPU_COMPARE_INCOMPATIBLE;
	f.cpu_err = xstrdup("host CPU does not provide required features: avx512f");
	f.cpu_what = xstrdup("CPU model Skylake-Server");
	mig_plan_build(&f, &o, &p);
	assert_int_equal(find(&p, "CPU compatible")->level, MIG_FAIL);
	assert_non_null(strstr(find(&p, "CPU compatible")->detail, "avx512f"));
	assert_non_null(strstr(find(&p, "CPU compatible")->fix, "CPU model both hosts"));
	mig_plan_clear(&p);
	f.state = VIR_DOMAIN_SHUTOFF; /* offline: it only matters when it starts */
	mig_plan_build(&f, &o, &p);
	assert_int_equal(find(&p, "CPU compatible")->level, MIG_WARN);
	mig_plan_clear(&p);
	f.cpu_cmp = VIR_CPU_COMPARE_ERROR;
	mig_plan_build(&f, &o, &p);
	assert_int_equal(find(&p, "CPU compatible")->level, MIG_WARN);
	mig_plan_clear(&p);
	f.cpu_cmp = -2;
	mig_plan_build(&f, &o, &p);
	assert_int_equal(find(&p, "CPU compatible")->level, MIG_OK);
	mig_plan_clear(&p);
	mig_facts_clear(&f);
}

static void
plan_networks(void **state)
{
	struct mig_facts f;
	struct mig_opts o = { .copy_storage = true };
	struct mig_plan p;

	(void)state;
	good_facts(&f);
	f.nets[0].exists = false;
	f.nets[0].active = false;
	mig_plan_build(&f, &o, &p);
	assert_int_equal(find(&p, "network")->level, MIG_FAIL);
	assert_non_null(strstr(find(&p, "network")->fix, "define network default"));
	mig_plan_clear(&p);
	f.nets[0].exists = true;
	mig_plan_build(&f, &o, &p);
	assert_int_equal(find(&p, "network")->level, MIG_FAIL);
	assert_non_null(strstr(find(&p, "network")->fix, "start network default"));
	mig_plan_clear(&p);
	f.state = VIR_DOMAIN_SHUTOFF;
	mig_plan_build(&f, &o, &p);
	assert_int_equal(find(&p, "network")->level, MIG_WARN);
	mig_plan_clear(&p);
	f.bridges = xcalloc(1, sizeof(char *));
	f.bridges[0] = xstrdup("br0");
	f.nbridges = 1;
	mig_plan_build(&f, &o, &p);
	assert_int_equal(find(&p, "bridge")->level, MIG_WARN);
	mig_plan_clear(&p);
	mig_facts_clear(&f);
}

static void
plan_disks_copy(void **state)
{
	struct mig_facts f;
	struct mig_opts o = { .copy_storage = true };
	struct mig_plan p;

	(void)state;
	good_facts(&f);
	f.disks[0].pool_active = false;
	mig_plan_build(&f, &o, &p);
	assert_int_equal(find(&p, "disk")->level, MIG_FAIL);
	assert_non_null(strstr(find(&p, "disk")->fix, "vmtui pool start images"));
	mig_plan_clear(&p);
	f.disks[0].pool_on_target = false;
	mig_plan_build(&f, &o, &p);
	assert_non_null(strstr(find(&p, "disk")->fix, "define pool images"));
	mig_plan_clear(&p);
	free(f.disks[0].pool);
	f.disks[0].pool = NULL;
	mig_plan_build(&f, &o, &p);
	assert_int_equal(find(&p, "disk")->level, MIG_FAIL);
	assert_non_null(strstr(find(&p, "disk")->detail, "in no storage pool"));
	mig_plan_clear(&p);
	f.disks[0].pool = xstrdup("images");
	f.disks[0].pool_on_target = f.disks[0].pool_active = true;
	f.disks[0].seen_on_target = true; /* copying over it would destroy it */
	mig_plan_build(&f, &o, &p);
	assert_int_equal(find(&p, "disk")->level, MIG_FAIL);
	mig_plan_clear(&p);
	mig_facts_clear(&f);
}

static void
plan_disks_shared(void **state)
{
	struct mig_facts f;
	struct mig_opts o = { 0 };
	struct mig_plan p;

	(void)state;
	good_facts(&f);
	mig_plan_build(&f, &o, &p);
	assert_int_equal(find(&p, "disk")->level, MIG_WARN);
	assert_non_null(strstr(find(&p, "disk")->fix, "share"));
	mig_plan_clear(&p);
	f.disks[0].seen_on_target = true;
	mig_plan_build(&f, &o, &p);
	assert_int_equal(find(&p, "disk")->level, MIG_OK);
	mig_plan_clear(&p);
	f.disks[0].readonly = true;
	f.disks[0].seen_on_target = false;
	mig_plan_build(&f, &o, &p);
	assert_int_equal(find(&p, "disk")->level, MIG_WARN);
	mig_plan_clear(&p);
	mig_facts_clear(&f);
}

static void
plan_name(void **state)
{
	struct mig_facts f;
	struct mig_opts o = { .copy_storage = true };
	struct mig_plan p;

	(void)state;
	good_facts(&f);
	f.name_taken = true;
	mig_plan_build(&f, &o, &p);
	assert_int_equal(find(&p, "name free")->level, MIG_FAIL);
	assert_non_null(strstr(find(&p, "name free")->fix, "rename"));
	mig_plan_clear(&p);
	f.uuid_taken = true; /* a stopped copy of the same guest: replaced */
	mig_plan_build(&f, &o, &p);
	assert_int_equal(find(&p, "name free")->level, MIG_WARN);
	mig_plan_clear(&p);
	f.taken_running = true;
	mig_plan_build(&f, &o, &p);
	assert_int_equal(find(&p, "name free")->level, MIG_FAIL);
	mig_plan_clear(&p);
	f.name_taken = f.taken_running = false;
	mig_plan_build(&f, &o, &p);
	assert_int_equal(find(&p, "name free")->level, MIG_FAIL);
	assert_non_null(strstr(find(&p, "name free")->detail, "UUID"));
	mig_plan_clear(&p);
	mig_facts_clear(&f);
}

static void
plan_memory(void **state)
{
	struct mig_facts f;
	struct mig_opts o = { .copy_storage = true };
	struct mig_plan p;
	char *t;

	(void)state;
	good_facts(&f);
	f.free_kib = 64 * 1024;
	mig_plan_build(&f, &o, &p);
	assert_int_equal(find(&p, "memory")->level, MIG_FAIL);
	assert_string_equal(find(&p, "memory")->detail,
	                    "128 MiB needed, the target has 64 MiB free");
	t = mig_plan_text(&p);
	assert_non_null(strstr(t, "  FAIL  memory: 128 MiB needed, the target has 64 MiB free\n"
	                          "        fix: free memory on the target"));
	free(t);
	mig_plan_clear(&p);
	f.state = VIR_DOMAIN_SHUTOFF;
	mig_plan_build(&f, &o, &p);
	assert_int_equal(find(&p, "memory")->level, MIG_WARN);
	mig_plan_clear(&p);
	f.free_kib = 0;
	mig_plan_build(&f, &o, &p);
	assert_int_equal(find(&p, "memory")->level, MIG_WARN);
	mig_plan_clear(&p);
	mig_facts_clear(&f);
}

static void
progress(void **state)
{
	virTypedParameterPtr par = NULL;
	int n = 0, max = 0;
	struct mig_progress p;
	char buf[300];

	(void)state;
	virTypedParamsAddULLong(&par, &n, &max, VIR_DOMAIN_JOB_DATA_TOTAL, 128ull << 20);
	virTypedParamsAddULLong(&par, &n, &max, VIR_DOMAIN_JOB_DATA_PROCESSED, 40ull << 20);
	virTypedParamsAddULLong(&par, &n, &max, VIR_DOMAIN_JOB_DATA_REMAINING, 88ull << 20);
	virTypedParamsAddULLong(&par, &n, &max, VIR_DOMAIN_JOB_MEMORY_DIRTY_RATE, 300);
	virTypedParamsAddULLong(&par, &n, &max, VIR_DOMAIN_JOB_MEMORY_PAGE_SIZE, 4096);
	virTypedParamsAddULLong(&par, &n, &max, VIR_DOMAIN_JOB_DOWNTIME, 300);
	virTypedParamsAddULLong(&par, &n, &max, VIR_DOMAIN_JOB_MEMORY_ITERATION, 2);
	mig_progress_from_params(&p, par, n);
	assert_true(p.known);
	assert_int_equal(p.dirty_rate, 300 * 4096);
	mig_progress_line(&p, buf, sizeof(buf));
	assert_string_equal(buf, "memory: 40.0 of 128.0 MiB, 88.0 MiB left, pass 2, "
	                         "dirtied 1.2 MiB/s, downtime ~300 ms");
	virTypedParamsFree(par, n);
	par = NULL;
	n = max = 0;
	virTypedParamsAddULLong(&par, &n, &max, VIR_DOMAIN_JOB_DATA_TOTAL, 160ull << 20);
	virTypedParamsAddULLong(&par, &n, &max, VIR_DOMAIN_JOB_DATA_PROCESSED, 16ull << 20);
	virTypedParamsAddULLong(&par, &n, &max, VIR_DOMAIN_JOB_DATA_REMAINING, 144ull << 20);
	virTypedParamsAddULLong(&par, &n, &max, VIR_DOMAIN_JOB_DISK_TOTAL, 32ull << 20);
	virTypedParamsAddULLong(&par, &n, &max, VIR_DOMAIN_JOB_DISK_PROCESSED, 8ull << 20);
	mig_progress_from_params(&p, par, n);
	mig_progress_line(&p, buf, sizeof(buf));
	assert_string_equal(buf, "disks: 16.0 of 160.0 MiB, 144.0 MiB left, disks 25%");
	virTypedParamsFree(par, n);
	mig_progress_from_params(&p, NULL, 0);
	assert_false(p.known);
	mig_progress_line(&p, buf, 8); /* cut, never overrun */
	assert_string_equal(buf, "memory");
	p.known = true; /* a job whose figures are not in yet */
	mig_progress_line(&p, buf, sizeof(buf));
	assert_string_equal(buf, "starting");
}

static void
virsh_line(void **state)
{
	struct mig_opts o = { .mode = MIG_LIVE, .copy_storage = true };
	char *s;

	(void)state;
	s = mig_virsh("web", &o, "qemu:///system", "qemu:///system?socket=/run/b/sock");
	assert_string_equal(s, "virsh -c qemu:///system migrate --live --persistent "
	                       "--undefinesource --copy-storage-all web "
	                       "'qemu:///system?socket=/run/b/sock'");
	free(s);
	o = (struct mig_opts){ .mode = MIG_OFFLINE, .keep_source = true };
	s = mig_virsh("it's", &o, "qemu:///system", "qemu+ssh://b/system");
	assert_string_equal(s, "virsh -c qemu:///system migrate --offline --persistent "
	                       "'it'\\''s' qemu+ssh://b/system");
	free(s);
	o = (struct mig_opts){ .mode = MIG_PAUSED, .transient = true, .p2p = true,
	                       .p2p_uri = "qemu+ssh://b/system", .migrate_uri = "tcp://10.0.0.2",
	                       .bandwidth = 100 };
	s = mig_virsh("web", &o, "qemu:///system", "b");
	assert_string_equal(s, "virsh -c qemu:///system migrate --undefinesource --p2p web "
	                       "qemu+ssh://b/system --migrateuri tcp://10.0.0.2 --bandwidth 100");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(xml_refs),
		cmocka_unit_test(plan_all_good),
		cmocka_unit_test(plan_state_mode),
		cmocka_unit_test(plan_unreachable),
		cmocka_unit_test(plan_cpu),
		cmocka_unit_test(plan_networks),
		cmocka_unit_test(plan_disks_copy),
		cmocka_unit_test(plan_disks_shared),
		cmocka_unit_test(plan_name),
		cmocka_unit_test(plan_memory),
		cmocka_unit_test(progress),
		cmocka_unit_test(virsh_line),
	};
	virInitialize(); /* the typed-parameter helpers use libvirt's error state */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
