/* test_procinfo.c — parsing /proc/PID/stat and local guests' ages. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/stats/procinfo.h"

static void
test_parse_starttime(void **state)
{
	/* comm may hold spaces and parentheses; parsing starts after the last ')'. */
	const char *stat = "1234 (qemu (x) y) S 1 1234 1234 0 -1 4194560 100 0 0 0 "
	                   "5 6 0 0 20 0 3 0 250 12345678 1000 18446744073709551615";

	(void)state;
	assert_true(procinfo_parse_starttime(stat, 100) == 2.5);
	assert_true(procinfo_parse_starttime(stat, 50) == 5.0);
}

static void
test_parse_malformed(void **state)
{
	(void)state;
	assert_true(procinfo_parse_starttime("garbage", 100) < 0);
	assert_true(procinfo_parse_starttime("1 (x) S 1 2", 100) < 0);
	assert_true(procinfo_parse_starttime("1 (x) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20", 0) < 0);
}

static void
test_remote_and_unknown_uris(void **state)
{
	(void)state;
	assert_true(procinfo_guest_age("qemu+ssh://h/system", "vm") < 0);
	assert_true(procinfo_guest_age("test:///default", "vm") < 0);
	assert_true(procinfo_guest_age(NULL, "vm") < 0);
	/* A name cannot walk out of the pid directory. */
	assert_true(procinfo_guest_age("qemu:///system", "../../etc/x") < 0);
}

/* A process's age from its start and the time, both since boot: as old as
 * it is, however much longer than this boot's monotonic clock (a day of
 * suspend leaves that clock a day behind). */
static void
test_age(void **state)
{
	(void)state;
	assert_true(procinfo_age(2.5, 10) == 7.5);
	assert_true(procinfo_age(100, 100) == 0);
	assert_true(procinfo_age(60, 90060) == 90000);
	assert_true(procinfo_age(-1, 10) < 0);  /* start unreadable */
	assert_true(procinfo_age(20, 10) < 0);  /* started after now: no age */
	assert_true(procinfo_age(NAN, 10) < 0);
}

/* A session pid file pointing at this very process gives its age. */
static void
test_session_pidfile(void **state)
{
	char dir[] = "/tmp/vmtui-procinfo.XXXXXX", path[256];
	double age;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/libvirt", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof path, "%s/libvirt/qemu", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof path, "%s/libvirt/qemu/run", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof path, "%s/libvirt/qemu/run/guest.pid", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "%ld\n", (long)getpid());
	fclose(f);
	setenv("XDG_RUNTIME_DIR", dir, 1);
	age = procinfo_guest_age("qemu:///session", "guest");
	/* This test process started less than a minute ago. */
	assert_true(age >= 0);
	assert_true(age < 60);
	unlink(path);
	snprintf(path, sizeof path, "%s/libvirt/qemu/run", dir);
	rmdir(path);
	snprintf(path, sizeof path, "%s/libvirt/qemu", dir);
	rmdir(path);
	snprintf(path, sizeof path, "%s/libvirt", dir);
	rmdir(path);
	rmdir(dir);
}

static void
test_parse_node_cpu(void **state)
{
	uint64_t busy, total;

	(void)state;
	/* user nice system idle iowait irq softirq steal guest guest_nice */
	assert_int_equal(procinfo_parse_cpu("cpu  100 5 50 1000 20 3 2 7 0 0\n"
	                                    "cpu0 50 2 25 500 10 1 1 3 0 0\n", &busy, &total), 0);
	assert_int_equal(busy, 100 + 5 + 50 + 3 + 2);
	assert_int_equal(total, 160 + 1000 + 20);
	/* The per-CPU line or anything else first is not the total. */
	assert_int_equal(procinfo_parse_cpu("cpu0 1 2 3 4 5 6 7\n", &busy, &total), -1);
	assert_int_equal(procinfo_parse_cpu("cpu  1 2 3\n", &busy, &total), -1);
	assert_int_equal(procinfo_parse_cpu("", &busy, &total), -1);
}

static void
test_parse_node_mem(void **state)
{
	uint64_t total, avail;

	(void)state;
	assert_int_equal(procinfo_parse_mem("MemTotal:       24563412 kB\n"
	                                    "MemFree:         1000000 kB\n"
	                                    "MemAvailable:   20000000 kB\n"
	                                    "Buffers:           20000 kB\n"
	                                    "Cached:          3000000 kB\n"
	                                    "SwapCached:          999 kB\n", &total, &avail), 0);
	assert_int_equal(total, 24563412);
	/* SwapCached is not Cached; MemAvailable is not used (libvirt's sum). */
	assert_int_equal(avail, 1000000 + 20000 + 3000000);
	assert_int_equal(procinfo_parse_mem("MemTotal: 5 kB\nMemFree: 1 kB\n", &total, &avail), -1);
	assert_int_equal(procinfo_parse_mem("MemTotal: x kB\nMemFree: 1 kB\nBuffers: 1 kB\n"
	                                    "Cached: 1 kB\n", &total, &avail), -1);
}

static void
test_local_uris(void **state)
{
	(void)state;
	assert_true(procinfo_is_local("qemu:///system"));
	assert_true(procinfo_is_local("qemu:///session"));
	assert_false(procinfo_is_local("qemu+ssh://h/system"));
	assert_false(procinfo_is_local("qemu://h/system"));
	assert_false(procinfo_is_local("test:///default"));
	assert_false(procinfo_is_local(NULL));
}

/* The /proc files are opened once and read again through the same
 * descriptor: the figures move on from read to read. */
static void
test_node_files_kept_open(void **state)
{
	int cpu_fd = -1, mem_fd = -1, first;
	uint64_t busy0, total0, busy1, total1, mem_total, avail;
	volatile unsigned long spin = 0;

	(void)state;
	assert_int_equal(procinfo_node_cpu(&cpu_fd, &busy0, &total0), 0);
	assert_true(cpu_fd >= 0);
	first = cpu_fd;
	/* Burn a few ticks so the counters must move. */
	for (time_t t0 = time(NULL); time(NULL) < t0 + 2;)
		spin++;
	assert_int_equal(procinfo_node_cpu(&cpu_fd, &busy1, &total1), 0);
	assert_int_equal(cpu_fd, first);
	assert_true(total1 > total0);
	assert_true(busy1 > busy0);
	assert_int_equal(procinfo_node_mem(&mem_fd, &mem_total, &avail), 0);
	assert_int_equal(procinfo_node_mem(&mem_fd, &mem_total, &avail), 0);
	assert_true(mem_fd >= 0 && mem_fd != cpu_fd);
	assert_true(mem_total > 0 && avail <= mem_total);
	procinfo_close(&cpu_fd);
	procinfo_close(&mem_fd);
	assert_int_equal(cpu_fd, -1);
	assert_int_equal(mem_fd, -1);
	procinfo_close(&cpu_fd); /* closing twice is harmless */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_starttime),
		cmocka_unit_test(test_parse_node_cpu),
		cmocka_unit_test(test_parse_node_mem),
		cmocka_unit_test(test_local_uris),
		cmocka_unit_test(test_parse_malformed),
		cmocka_unit_test(test_remote_and_unknown_uris),
		cmocka_unit_test(test_age),
		cmocka_unit_test(test_session_pidfile),
		cmocka_unit_test(test_node_files_kept_open),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
