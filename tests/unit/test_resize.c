/* test_resize.c — model/guest/resize.h: the pure checks and plans for running,
 * shut-off and transient guests (every refusal with its exact message, the
 * order of operations, when each change takes effect, the texts shown
 * after applying), then reading and applying against libvirt's test
 * driver (test:///default). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "model/base/xmalloc.h"
#include "model/guest/resize.h"

#define MiB (1024ull * 1024)
#define KiB_OF_MiB 1024ull

/* ---- fixtures ---- */

static struct resize_disk disks[] = {
	{ "vda", "disk", "/pool/g/disk.qcow2", 32 * MiB },
	{ "hdc", "cdrom", "/iso/x.iso", 4 * MiB },
	{ "vdb", "disk", NULL, 0 },
};

/* As tests/realstack/guest.sh makes them: 1 of 2 vCPUs, 96M of 128M, a
 * 32M vda, on a host of 2 CPUs and 24G. */
static struct resize_now
guest(bool running)
{
	struct resize_now n = {
		.name = "g1",
		.state = running ? "running" : "shut off",
		.active = running,
		.persistent = true,
		.vcpus = 1, .vcpus_max = 2, .mem_kib = 96 * 1024, .mem_max_kib = 128 * 1024,
		.cfg_vcpus = 1, .cfg_vcpus_max = 2, .cfg_mem_kib = 96 * 1024,
		.cfg_mem_max_kib = 128 * 1024,
		.disks = disks, .ndisks = 3,
		.host_cpus = 2, .host_mem_kib = 24 * 1024 * 1024,
	};
	return n;
}

/* Plan req on now; the caller frees. */
static struct resize_plan
plan(const struct resize_now *now, struct resize_req req)
{
	struct resize_plan p;

	resize_plan_make(now, &req, &p);
	return p;
}

/* Exactly one refusal, with this text, and no operations. */
static void
refused(const struct resize_now *now, struct resize_req req, const char *want)
{
	struct resize_plan p = plan(now, req);

	if (p.nerrors != 1 || strcmp(p.errors[0], want) != 0) {
		size_t i;
		for (i = 0; i < p.nerrors; i++)
			print_error("got: %s\n", p.errors[i]);
		print_error("want: %s\n", want);
		fail();
	}
	assert_int_equal(p.nops, 0);
	resize_plan_free(&p);
}

static void
op_is(const struct resize_op *op, enum resize_kind k, bool max, unsigned flags, uint64_t value,
      enum resize_when when, const char *what)
{
	assert_int_equal(op->kind, k);
	assert_int_equal(op->max, max);
	assert_int_equal(op->flags, flags);
	assert_int_equal(op->value, value);
	assert_int_equal(op->when, when);
	assert_string_equal(op->what, what);
}

#define LIVE VIR_DOMAIN_AFFECT_LIVE
#define CONFIG VIR_DOMAIN_AFFECT_CONFIG

/* ---- running guest ---- */

static void
test_running_vcpus_live_and_config(void **state)
{
	struct resize_now n = guest(true);
	struct resize_plan p = plan(&n, (struct resize_req){ .vcpus = "2" });
	char *s;

	(void)state;
	assert_int_equal(p.nerrors, 0);
	assert_int_equal(p.nops, 1);
	op_is(&p.ops[0], RESIZE_VCPUS, false, LIVE | CONFIG, 2, RESIZE_NOW_AND_BOOT, "vCPUs 1 -> 2");
	assert_null(resize_reboot_note(&n, &p));
	s = resize_summary(&n, &p);
	assert_string_equal(s, "g1 resized: vCPUs 1 -> 2 (now and at next boot).");
	free(s);
	resize_plan_free(&p);
}

static void
test_running_memory_sizes(void **state)
{
	struct resize_now n = guest(true);
	struct resize_plan p = plan(&n, (struct resize_req){ .mem = "64M" });

	(void)state;
	assert_int_equal(p.nops, 1);
	op_is(&p.ops[0], RESIZE_MEM, false, LIVE | CONFIG, 64 * 1024, RESIZE_NOW_AND_BOOT,
	      "memory 96M -> 64M");
	resize_plan_free(&p);
	/* Bare numbers are MiB; spaces around are fine. */
	p = plan(&n, (struct resize_req){ .mem = " 100 " });
	assert_int_equal(p.nops, 1);
	op_is(&p.ops[0], RESIZE_MEM, false, LIVE | CONFIG, 100 * 1024, RESIZE_NOW_AND_BOOT,
	      "memory 96M -> 100M");
	resize_plan_free(&p);
	p = plan(&n, (struct resize_req){ .mem = "0.125G" });
	assert_int_equal(p.nops, 1);
	assert_int_equal(p.ops[0].value, 128 * 1024);
	resize_plan_free(&p);
}

static void
test_running_max_waits_for_boot(void **state)
{
	struct resize_now n = guest(true);
	struct resize_plan p = plan(&n, (struct resize_req){ .mem_max = "256M", .vcpus_max = "1" });
	char *s;

	(void)state;
	assert_int_equal(p.nerrors, 0);
	assert_int_equal(p.nops, 2);
	op_is(&p.ops[0], RESIZE_VCPUS, true, CONFIG, 1, RESIZE_NEXT_BOOT, "maximum vCPUs 2 -> 1");
	op_is(&p.ops[1], RESIZE_MEM, true, CONFIG, 256 * 1024, RESIZE_NEXT_BOOT,
	      "maximum memory 128M -> 256M");
	s = resize_reboot_note(&n, &p);
	assert_string_equal(s, "Waits for the next boot of g1 (shut it down and start it again; "
	                       "a reboot from inside is not enough): maximum vCPUs 2 -> 1; "
	                       "maximum memory 128M -> 256M.");
	free(s);
	s = resize_summary(&n, &p);
	assert_string_equal(s, "g1 resized: maximum vCPUs 2 -> 1 (at next boot); maximum memory "
	                       "128M -> 256M (at next boot). Waits for the next boot of g1 (shut it "
	                       "down and start it again; a reboot from inside is not enough): "
	                       "maximum vCPUs 2 -> 1; maximum memory 128M -> 256M.");
	free(s);
	resize_plan_free(&p);
}

static void
test_running_above_max_refused(void **state)
{
	struct resize_now n = guest(true);

	(void)state;
	refused(&n, (struct resize_req){ .mem = "256M" },
	        "memory: 256M is above the maximum of 128M of the running guest; raise maximum "
	        "memory to 256M first (that takes effect at next boot).");
	n.host_cpus = 8;
	refused(&n, (struct resize_req){ .vcpus = "3" },
	        "vCPUs: 3 is above the maximum of 2 of the running guest; raise maximum vCPUs to 3 "
	        "first (that takes effect at next boot).");
}

/* Raising the maximum and the value together: the value cannot be live
 * above the running maximum, so it waits for the next boot too. */
static void
test_running_raise_both(void **state)
{
	struct resize_now n = guest(true);
	struct resize_plan p;
	char *s;

	(void)state;
	n.host_cpus = 8;
	p = plan(&n, (struct resize_req){ .vcpus = "3", .vcpus_max = "4", .mem = "200M",
	                                  .mem_max = "256M" });
	assert_int_equal(p.nerrors, 0);
	assert_int_equal(p.nops, 4);
	op_is(&p.ops[0], RESIZE_VCPUS, true, CONFIG, 4, RESIZE_NEXT_BOOT, "maximum vCPUs 2 -> 4");
	op_is(&p.ops[1], RESIZE_VCPUS, false, CONFIG, 3, RESIZE_NEXT_BOOT,
	      "vCPUs 1 -> 3 (above the running maximum of 2)");
	op_is(&p.ops[2], RESIZE_MEM, true, CONFIG, 256 * 1024, RESIZE_NEXT_BOOT,
	      "maximum memory 128M -> 256M");
	op_is(&p.ops[3], RESIZE_MEM, false, CONFIG, 200 * 1024, RESIZE_NEXT_BOOT,
	      "memory 96M -> 200M (above the running maximum of 128M)");
	s = resize_reboot_note(&n, &p);
	assert_non_null(strstr(s, "vCPUs 1 -> 3 (above the running maximum of 2)"));
	free(s);
	resize_plan_free(&p);
	/* Within the running maximum the value is live at once. */
	p = plan(&n, (struct resize_req){ .vcpus = "2", .vcpus_max = "4" });
	assert_int_equal(p.nops, 2);
	op_is(&p.ops[0], RESIZE_VCPUS, true, CONFIG, 4, RESIZE_NEXT_BOOT, "maximum vCPUs 2 -> 4");
	op_is(&p.ops[1], RESIZE_VCPUS, false, LIVE | CONFIG, 2, RESIZE_NOW_AND_BOOT,
	      "vCPUs 1 -> 2");
	resize_plan_free(&p);
}

static void
test_host_limits(void **state)
{
	struct resize_now n = guest(true);
	struct resize_plan p;

	(void)state;
	n.vcpus_max = n.cfg_vcpus_max = 8;
	refused(&n, (struct resize_req){ .vcpus = "3" },
	        "vCPUs: 3 is more than the host's 2 CPUs; vmtui does not overcommit CPUs.");
	/* A maximum above the host is allowed, with a warning. */
	p = plan(&n, (struct resize_req){ .vcpus_max = "16" });
	assert_int_equal(p.nerrors, 0);
	assert_int_equal(p.nops, 1);
	assert_int_equal(p.nwarnings, 1);
	assert_string_equal(p.warnings[0], "maximum vCPUs: 16 is more than the host's 2 CPUs; "
	                                   "vmtui will not raise vCPUs above 2 here.");
	resize_plan_free(&p);
	/* Memory above the host's: warned, still done. */
	n = guest(false);
	p = plan(&n, (struct resize_req){ .mem = "32G", .mem_max = "32G" });
	assert_int_equal(p.nerrors, 0);
	assert_int_equal(p.nops, 2);
	assert_int_equal(p.nwarnings, 2);
	assert_string_equal(p.warnings[0], "memory: 32G is more than the host's 24G; the guest may "
	                                   "make the host swap.");
	assert_string_equal(p.warnings[1], "maximum memory: 32G is more than the host's 24G; the "
	                                   "guest may not start or may make the host swap.");
	resize_plan_free(&p);
	/* Unknown host figures check nothing. */
	n.host_cpus = 0;
	n.host_mem_kib = 0;
	p = plan(&n, (struct resize_req){ .vcpus = "2", .mem_max = "32G" });
	assert_int_equal(p.nerrors + p.nwarnings, 0);
	resize_plan_free(&p);
}

/* ---- what is typed ---- */

static void
test_vcpus_not_numbers(void **state)
{
	struct resize_now n = guest(true);

	(void)state;
	refused(&n, (struct resize_req){ .vcpus = "two" },
	        "vCPUs: \"two\" is not a whole number from 1 to 4096.");
	refused(&n, (struct resize_req){ .vcpus = "1.5" },
	        "vCPUs: \"1.5\" is not a whole number from 1 to 4096.");
	refused(&n, (struct resize_req){ .vcpus = "2G" },
	        "vCPUs: \"2G\" is not a whole number from 1 to 4096.");
	refused(&n, (struct resize_req){ .vcpus = "99999999999999999999999" },
	        "vCPUs: \"99999999999999999999999\" is not a whole number from 1 to 4096.");
	refused(&n, (struct resize_req){ .vcpus = "-1" },
	        "vCPUs: \"-1\" is negative; give a whole number from 1 to 4096.");
	refused(&n, (struct resize_req){ .vcpus = "0" },
	        "vCPUs: 0 is too few; a guest needs at least 1.");
	refused(&n, (struct resize_req){ .vcpus_max = "00" },
	        "maximum vCPUs: 0 is too few; a guest needs at least 1.");
}

static void
test_memory_not_sizes(void **state)
{
	struct resize_now n = guest(true);

	(void)state;
	refused(&n, (struct resize_req){ .mem = "lots" },
	        "memory: \"lots\" is not a size (e.g. 512M, 2G; a bare number is MiB).");
	refused(&n, (struct resize_req){ .mem = "-64M" },
	        "memory: \"-64M\" is negative; give a size such as 512M.");
	refused(&n, (struct resize_req){ .mem = "64X" },
	        "memory: unknown unit \"X\" in \"64X\" (use K, M, G or T, e.g. 512M, 2G; a bare "
	        "number is MiB).");
	refused(&n, (struct resize_req){ .mem = "0" },
	        "memory: \"0\" is too little; give at least 1M.");
	refused(&n, (struct resize_req){ .mem = "512K" },
	        "memory: \"512K\" is too little; give at least 1M.");
	refused(&n, (struct resize_req){ .mem = "1000B" },
	        "memory: \"1000B\" is not a whole number of KiB.");
	refused(&n, (struct resize_req){ .mem = "1.3K" },
	        "memory: \"1.3K\" is not a whole number of bytes.");
	refused(&n, (struct resize_req){ .mem_max = "99999999999T" },
	        "maximum memory: \"99999999999T\" is too large.");
}

/* Every mistake is reported, not just the first. */
static void
test_all_errors(void **state)
{
	struct resize_now n = guest(true);
	struct resize_disk_req d[] = { { "vda", "1M" } };
	struct resize_plan p = plan(&n, (struct resize_req){ .vcpus = "x", .mem = "y", .disks = d,
	                                                     .ndisks = 1 });

	(void)state;
	assert_int_equal(p.nerrors, 3);
	assert_string_equal(p.errors[0], "vCPUs: \"x\" is not a whole number from 1 to 4096.");
	assert_string_equal(p.errors[1], "memory: \"y\" is not a size (e.g. 512M, 2G; a bare "
	                                 "number is MiB).");
	assert_string_equal(p.errors[2], "vda is 32M; vmtui never shrinks a disk.");
	assert_int_equal(p.nops, 0);
	resize_plan_free(&p);
}

static void
test_nothing_to_do(void **state)
{
	struct resize_now n = guest(true);
	struct resize_disk_req d[] = { { "vda", "32M" } };
	struct resize_plan p = plan(&n, (struct resize_req){ 0 });

	(void)state;
	assert_int_equal(p.nops + p.nerrors + p.nwarnings, 0);
	resize_plan_free(&p);
	p = plan(&n, (struct resize_req){ .vcpus = "1", .vcpus_max = "2", .mem = "96M",
	                                  .mem_max = "0.125G", .disks = d, .ndisks = 1 });
	assert_int_equal(p.nops + p.nerrors + p.nwarnings, 0);
	resize_plan_free(&p);
	p = plan(&n, (struct resize_req){ .vcpus = "", .mem = "  " });
	assert_int_equal(p.nops + p.nerrors, 0);
	resize_plan_free(&p);
}

/* ---- disks ---- */

static void
test_disk_grows(void **state)
{
	struct resize_now n = guest(true);
	struct resize_disk_req d[] = { { "vda", "48M" } };
	struct resize_plan p = plan(&n, (struct resize_req){ .disks = d, .ndisks = 1 });
	char *s;

	(void)state;
	assert_int_equal(p.nops, 1);
	op_is(&p.ops[0], RESIZE_DISK, false, LIVE, 48 * MiB, RESIZE_NOW, "vda 32M -> 48M");
	assert_string_equal(p.ops[0].target, "vda");
	s = resize_summary(&n, &p);
	assert_string_equal(s, "g1 resized: vda 32M -> 48M (now).");
	free(s);
	resize_plan_free(&p);
	/* Bare numbers are GiB, as in definition files. */
	d[0].size = "1";
	p = plan(&n, (struct resize_req){ .disks = d, .ndisks = 1 });
	assert_int_equal(p.nops, 1);
	assert_int_equal(p.ops[0].value, 1024 * MiB);
	resize_plan_free(&p);
	/* Shut off: the volume grows, found by its path. */
	n = guest(false);
	d[0].size = "48M";
	p = plan(&n, (struct resize_req){ .disks = d, .ndisks = 1 });
	assert_int_equal(p.nops, 1);
	op_is(&p.ops[0], RESIZE_DISK, false, CONFIG, 48 * MiB, RESIZE_NEXT_START, "vda 32M -> 48M");
	assert_string_equal(p.ops[0].path, "/pool/g/disk.qcow2");
	resize_plan_free(&p);
}

static void
test_disk_refusals(void **state)
{
	struct resize_now n = guest(true);
	struct resize_disk_req d[2] = { { "vda", "16M" }, { "vda", "64M" } };

	(void)state;
	refused(&n, (struct resize_req){ .disks = d, .ndisks = 1 },
	        "vda is 32M; vmtui never shrinks a disk.");
	d[0].size = "0";
	refused(&n, (struct resize_req){ .disks = d, .ndisks = 1 },
	        "vda is 32M; vmtui never shrinks a disk.");
	d[0].size = "-1G";
	refused(&n, (struct resize_req){ .disks = d, .ndisks = 1 },
	        "vda: \"-1G\" is negative; give a size such as 20G.");
	d[0].size = "big";
	refused(&n, (struct resize_req){ .disks = d, .ndisks = 1 },
	        "vda: \"big\" is not a size (e.g. 20G, 512M; a bare number is GiB).");
	d[0].size = "1000B";
	refused(&n, (struct resize_req){ .disks = d, .ndisks = 1 },
	        "vda: \"1000B\" is not a whole number of 512-byte sectors.");
	d[0].size = "40M";
	refused(&n, (struct resize_req){ .disks = d, .ndisks = 2 },
	        "vda: the disk is given twice; give it once.");
	d[0].target = "vdz";
	refused(&n, (struct resize_req){ .disks = d, .ndisks = 1 },
	        "g1 has no disk vdz; its disks: vda, hdc, vdb.");
	d[0].target = "";
	refused(&n, (struct resize_req){ .disks = d, .ndisks = 1 },
	        "A disk size needs the disk's name, as in vda=20G.");
	d[0].target = "hdc";
	refused(&n, (struct resize_req){ .disks = d, .ndisks = 1 },
	        "hdc is a cdrom, not a disk; only disks grow.");
	d[0].target = "vdb";
	refused(&n, (struct resize_req){ .disks = d, .ndisks = 1 },
	        "vdb: libvirt cannot tell its size, so vmtui cannot grow it.");
	d[0].target = "vda";
	refused(&n, (struct resize_req){ .disks = d, .ndisks = 1, .scope = RESIZE_CONFIG },
	        "vda: the disk of a running guest grows only live; drop --config, or shut g1 "
	        "down first.");
	n.ndisks = 0;
	refused(&n, (struct resize_req){ .disks = d, .ndisks = 1 },
	        "g1 has no disk vda; its disks: none.");
}

/* ---- shut-off guest ---- */

static void
test_stopped_is_config(void **state)
{
	struct resize_now n = guest(false);
	struct resize_plan p = plan(&n, (struct resize_req){ .vcpus = "2", .mem = "64M",
	                                                     .mem_max = "256M" });
	char *s;

	(void)state;
	assert_int_equal(p.nerrors, 0);
	assert_int_equal(p.nops, 3);
	op_is(&p.ops[0], RESIZE_VCPUS, false, CONFIG, 2, RESIZE_NEXT_START, "vCPUs 1 -> 2");
	op_is(&p.ops[1], RESIZE_MEM, true, CONFIG, 256 * 1024, RESIZE_NEXT_START,
	      "maximum memory 128M -> 256M");
	op_is(&p.ops[2], RESIZE_MEM, false, CONFIG, 64 * 1024, RESIZE_NEXT_START,
	      "memory 96M -> 64M");
	assert_null(resize_reboot_note(&n, &p));
	s = resize_summary(&n, &p);
	assert_string_equal(s, "g1 resized: vCPUs 1 -> 2 (when it starts); maximum memory 128M -> "
	                       "256M (when it starts); memory 96M -> 64M (when it starts).");
	free(s);
	resize_plan_free(&p);
}

static void
test_stopped_maximum_checks(void **state)
{
	struct resize_now n = guest(false);
	struct resize_plan p;

	(void)state;
	refused(&n, (struct resize_req){ .mem = "256M" },
	        "memory: 256M is above maximum memory 128M; raise maximum memory too.");
	n.host_cpus = 8;
	refused(&n, (struct resize_req){ .vcpus = "3" },
	        "vCPUs: 3 is above maximum vCPUs 2; raise maximum vCPUs too.");
	refused(&n, (struct resize_req){ .vcpus = "3", .vcpus_max = "2" },
	        "vCPUs: 3 is above maximum vCPUs 2.");
	n.cfg_vcpus = n.vcpus = 2;
	refused(&n, (struct resize_req){ .vcpus_max = "1" },
	        "maximum vCPUs: 1 is below the 2 vCPUs g1 has; lower vCPUs too.");
	refused(&n, (struct resize_req){ .mem_max = "64M" },
	        "maximum memory: 64M is below the 96M of memory g1 has; lower memory too.");
	/* Lowering both: the value first, then the maximum. */
	p = plan(&n, (struct resize_req){ .vcpus = "1", .vcpus_max = "1", .mem = "32M",
	                                  .mem_max = "64M" });
	assert_int_equal(p.nerrors, 0);
	assert_int_equal(p.nops, 4);
	op_is(&p.ops[0], RESIZE_VCPUS, false, CONFIG, 1, RESIZE_NEXT_START, "vCPUs 2 -> 1");
	op_is(&p.ops[1], RESIZE_VCPUS, true, CONFIG, 1, RESIZE_NEXT_START, "maximum vCPUs 2 -> 1");
	op_is(&p.ops[2], RESIZE_MEM, false, CONFIG, 32 * 1024, RESIZE_NEXT_START,
	      "memory 96M -> 32M");
	op_is(&p.ops[3], RESIZE_MEM, true, CONFIG, 64 * 1024, RESIZE_NEXT_START,
	      "maximum memory 128M -> 64M");
	resize_plan_free(&p);
	/* Raising both: the maximum first. */
	p = plan(&n, (struct resize_req){ .vcpus = "4", .vcpus_max = "4" });
	assert_int_equal(p.nops, 2);
	assert_true(p.ops[0].max);
	assert_false(p.ops[1].max);
	resize_plan_free(&p);
}

/* ---- --live and --config ---- */

static void
test_scopes(void **state)
{
	struct resize_now n = guest(false);
	struct resize_disk_req d[] = { { "vda", "48M" } };
	struct resize_plan p;

	(void)state;
	refused(&n, (struct resize_req){ .vcpus = "2", .scope = RESIZE_LIVE },
	        "g1 is shut off; --live changes only a running guest. Drop --live to change its "
	        "saved configuration.");
	n = guest(true);
	p = plan(&n, (struct resize_req){ .vcpus = "2", .mem = "64M", .scope = RESIZE_LIVE });
	assert_int_equal(p.nops, 2);
	op_is(&p.ops[0], RESIZE_VCPUS, false, LIVE, 2, RESIZE_NOW_ONLY, "vCPUs 1 -> 2");
	op_is(&p.ops[1], RESIZE_MEM, false, LIVE, 64 * 1024, RESIZE_NOW_ONLY, "memory 96M -> 64M");
	resize_plan_free(&p);
	refused(&n, (struct resize_req){ .vcpus_max = "2", .scope = RESIZE_LIVE },
	        "maximum vCPUs: the maximum changes only in the saved configuration, at next boot; "
	        "drop --live.");
	refused(&n, (struct resize_req){ .mem_max = "1G", .scope = RESIZE_LIVE },
	        "maximum memory: the maximum changes only in the saved configuration, at next "
	        "boot; drop --live.");
	/* --live disks grow as always. */
	p = plan(&n, (struct resize_req){ .disks = d, .ndisks = 1, .scope = RESIZE_LIVE });
	assert_int_equal(p.nops, 1);
	assert_int_equal(p.ops[0].flags, LIVE);
	resize_plan_free(&p);
	/* --config on a running guest: saved only, waits for the next boot. */
	p = plan(&n, (struct resize_req){ .vcpus = "2", .scope = RESIZE_CONFIG });
	assert_int_equal(p.nops, 1);
	op_is(&p.ops[0], RESIZE_VCPUS, false, CONFIG, 2, RESIZE_NEXT_BOOT, "vCPUs 1 -> 2");
	resize_plan_free(&p);
	/* --config above the running maximum is fine: it is not live. */
	p = plan(&n, (struct resize_req){ .mem = "200M", .mem_max = "256M",
	                                  .scope = RESIZE_CONFIG });
	assert_int_equal(p.nerrors, 0);
	assert_int_equal(p.nops, 2);
	op_is(&p.ops[1], RESIZE_MEM, false, CONFIG, 200 * 1024, RESIZE_NEXT_BOOT,
	      "memory 96M -> 200M");
	resize_plan_free(&p);
}

static void
test_transient(void **state)
{
	struct resize_now n = guest(true);
	struct resize_plan p;

	(void)state;
	n.persistent = false;
	refused(&n, (struct resize_req){ .vcpus_max = "2" },
	        "maximum vCPUs: g1 is a transient guest (no saved configuration), so its maximum "
	        "cannot change.");
	refused(&n, (struct resize_req){ .vcpus = "2", .scope = RESIZE_CONFIG },
	        "g1 is a transient guest (no saved configuration); drop --config.");
	p = plan(&n, (struct resize_req){ .vcpus = "2" });
	assert_int_equal(p.nops, 1);
	op_is(&p.ops[0], RESIZE_VCPUS, false, LIVE, 2, RESIZE_NOW_ONLY, "vCPUs 1 -> 2");
	resize_plan_free(&p);
	assert_string_equal(resize_field_when(&n, RF_VCPUS_MAX), "cannot change (transient guest)");
}

/* A running guest whose saved configuration already differs. */
static void
test_pending_config(void **state)
{
	struct resize_now n = guest(true);
	struct resize_plan p;
	char *s;

	(void)state;
	n.cfg_vcpus = 2;
	n.cfg_mem_max_kib = 256 * 1024;
	s = resize_field_value(&n, RF_VCPUS, 0);
	assert_string_equal(s, "1 (2 at next boot)");
	free(s);
	s = resize_field_value(&n, RF_MEM_MAX, 0);
	assert_string_equal(s, "128M (256M at next boot)");
	free(s);
	s = resize_field_initial(&n, RF_VCPUS, 0);
	assert_string_equal(s, "1");
	free(s);
	/* Asking for the running value again puts the saved one back. */
	p = plan(&n, (struct resize_req){ .vcpus = "1" });
	assert_int_equal(p.nops, 1);
	op_is(&p.ops[0], RESIZE_VCPUS, false, CONFIG, 1, RESIZE_NEXT_BOOT, "vCPUs 2 -> 1");
	resize_plan_free(&p);
}

static void
test_field_texts(void **state)
{
	struct resize_now n = guest(true);
	char *s;

	(void)state;
	assert_string_equal(resize_field_when(&n, RF_VCPUS), "now and at next boot");
	assert_string_equal(resize_field_when(&n, RF_MEM_MAX), "at next boot");
	assert_string_equal(resize_field_when(&n, RF_DISK), "now; disks only grow");
	s = resize_field_value(&n, RF_DISK, 0);
	assert_string_equal(s, "32M");
	free(s);
	s = resize_field_value(&n, RF_DISK, 2);
	assert_string_equal(s, "?");
	free(s);
	s = resize_field_initial(&n, RF_MEM, 0);
	assert_string_equal(s, "96M");
	free(s);
	n = guest(false);
	assert_string_equal(resize_field_when(&n, RF_MEM), "when it starts");
	assert_string_equal(resize_field_when(&n, RF_DISK),
	                    "now, seen when it starts; disks only grow");
	assert_string_equal(resize_when_text(RESIZE_NOW_ONLY), "now, until the guest shuts down");
}

/* ---- against libvirt's test driver ---- */

static void
quiet(void *data, virErrorPtr e)
{
	(void)data;
	(void)e;
}

/* The test driver's running "test" domain: read, resize, read again. */
static void
test_driver_roundtrip(void **state)
{
	virConnectPtr conn;
	struct resize_now n;
	struct resize_plan p;
	char *err = NULL;

	(void)state;
	virSetErrorFunc(NULL, quiet);
	conn = virConnectOpen("test:///default");
	assert_non_null(conn);
	assert_int_equal(resize_read(conn, "test", &n, &err), 0);
	assert_string_equal(n.name, "test");
	assert_true(n.active);
	assert_true(n.persistent);
	assert_true(n.host_cpus > 0);
	assert_true(n.host_mem_kib > 0);
	/* The test driver takes memory live or saved, not both at once. */
	p = plan(&n, (struct resize_req){ .mem = "1G", .scope = RESIZE_LIVE });
	assert_int_equal(p.nerrors, 0);
	assert_int_equal(p.nops, 1);
	if (resize_apply(conn, "test", &p, NULL, NULL, &err) < 0)
		fail_msg("%s", err);
	resize_plan_free(&p);
	resize_now_free(&n);
	assert_int_equal(resize_read(conn, "test", &n, &err), 0);
	assert_int_equal(n.mem_kib, 1024 * 1024);
	/* vCPUs go live and saved together. */
	p = plan(&n, (struct resize_req){ .vcpus = "1" });
	assert_int_equal(p.nops, 1);
	assert_int_equal(p.ops[0].flags, LIVE | CONFIG);
	if (resize_apply(conn, "test", &p, NULL, NULL, &err) < 0)
		fail_msg("%s", err);
	resize_plan_free(&p);
	resize_now_free(&n);
	assert_int_equal(resize_read(conn, "test", &n, &err), 0);
	assert_int_equal(n.vcpus, 1);
	assert_int_equal(n.cfg_vcpus, 1);
	resize_now_free(&n);
	assert_int_equal(resize_read(conn, "no-such-guest", &n, &err), -1);
	assert_string_equal(err, "There is no guest \"no-such-guest\" on this host; check the name "
	                         "with virsh list --all.");
	free(err);
	virConnectClose(conn);
}

/* A failing call names itself and what was done before it. */
static void
test_driver_failure_report(void **state)
{
	virConnectPtr conn;
	struct resize_now n;
	struct resize_plan p;
	char *err = NULL;

	(void)state;
	virSetErrorFunc(NULL, quiet);
	conn = virConnectOpen("test:///default");
	assert_non_null(conn);
	assert_int_equal(resize_read(conn, "test", &n, &err), 0);
	p = plan(&n, (struct resize_req){ .mem = "1G", .scope = RESIZE_LIVE });
	assert_int_equal(p.nops, 1);
	/* A second operation the driver must refuse: more than the maximum. */
	p.ops = xreallocarray(p.ops, 2, sizeof *p.ops);
	p.ops[1] = p.ops[0];
	p.ops[1].value = n.mem_max_kib * 4;
	p.ops[1].flags = VIR_DOMAIN_AFFECT_LIVE;
	p.ops[1].what = xstrdup("memory (too much)");
	p.ops[1].target = p.ops[1].path = NULL;
	p.nops = 2;
	assert_int_equal(resize_apply(conn, "test", &p, NULL, NULL, &err), -1);
	assert_non_null(strstr(err, "Cannot set memory (too much): "));
	assert_non_null(strstr(err, " Done before it: memory "));
	free(err);
	resize_plan_free(&p);
	resize_now_free(&n);
	virConnectClose(conn);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_running_vcpus_live_and_config),
		cmocka_unit_test(test_running_memory_sizes),
		cmocka_unit_test(test_running_max_waits_for_boot),
		cmocka_unit_test(test_running_above_max_refused),
		cmocka_unit_test(test_running_raise_both),
		cmocka_unit_test(test_host_limits),
		cmocka_unit_test(test_vcpus_not_numbers),
		cmocka_unit_test(test_memory_not_sizes),
		cmocka_unit_test(test_all_errors),
		cmocka_unit_test(test_nothing_to_do),
		cmocka_unit_test(test_disk_grows),
		cmocka_unit_test(test_disk_refusals),
		cmocka_unit_test(test_stopped_is_config),
		cmocka_unit_test(test_stopped_maximum_checks),
		cmocka_unit_test(test_scopes),
		cmocka_unit_test(test_transient),
		cmocka_unit_test(test_pending_config),
		cmocka_unit_test(test_field_texts),
		cmocka_unit_test(test_driver_roundtrip),
		cmocka_unit_test(test_driver_failure_report),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
