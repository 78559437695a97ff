/* test_hostline.c — the header's line for a host (app_host_summary): its
 * figures, and its warnings when vCPUs or memory are overcommitted; and
 * the lock rule it keeps (host.h): made without the host's lock, it
 * aborts. The fleet's line (app_fleet_summary, vmsel_fleet_totals) of the
 * header when several hosts are shown: hosts by state, guests by state,
 * the hosts overcommitted and the worst of each kind. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "model/base/xmalloc.h"
#include "model/host/host.h"
#include "model/host/vmsel.h"
#include "model/stats/vm.h"
#include "tui/app.h"

static void
add_running(struct host *h, const char *uuid, const char *name, int vcpus, uint64_t mem_kib)
{
	struct vm *vm = vm_new(uuid, name, 4);

	vm->state = VM_RUNNING;
	vm->vcpus_cur = vcpus;
	vm->mem_cur_kib = mem_kib;
	h->vms = xreallocarray(h->vms, h->nvms + 1, sizeof *h->vms);
	h->vms[h->nvms++] = vm;
}

/* The line as the UI makes it: with the host's lock held. */
static enum color
summary(struct host *h, char *line, size_t n)
{
	enum color c;

	host_lock(h);
	c = app_host_summary(h, line, n);
	host_unlock(h);
	return c;
}

static struct host *
up_host(void)
{
	struct host *h = host_new(&(struct host_opts){ .uri = "qemu:///system", .name = "lab" });

	h->state = HOST_UP;
	h->uri = xstrdup("qemu:///system");
	h->cpus = 4;
	h->mem_total_kib = 8 * 1024 * 1024;
	h->mem_free_kib = 6 * 1024 * 1024;
	h->cpu_pct = 12.25;
	return h;
}

static void
test_figures(void **state)
{
	struct host *h = up_host();
	char line[512];

	(void)state;
	add_running(h, "00000000-0000-0000-0000-000000000001", "a", 2, 1024 * 1024);
	assert_int_equal(summary(h, line, sizeof line), C_HEADER);
	assert_string_equal(line, "lab  qemu:///system  CPU 12.2%  Mem 2.00G/8.00G  vCPUs 2/4  "
	                          "Alloc 1.00G  VMs: 1 running, 0 paused, 0 off");
	host_free(h);
}

/* Ten vCPUs on four CPUs: said with the ratio, and the line warns. */
static void
test_vcpu_overcommit(void **state)
{
	struct host *h = up_host();
	char line[512];

	(void)state;
	add_running(h, "00000000-0000-0000-0000-000000000001", "a", 4, 1024);
	add_running(h, "00000000-0000-0000-0000-000000000002", "b", 6, 1024);
	assert_int_equal(summary(h, line, sizeof line), C_WARNING);
	assert_non_null(strstr(line, "vCPUs 10/4 "));
	assert_non_null(strstr(line, " off vCPU overcommit 2.5x"));
	assert_int_equal(line[strlen(line) - 1], 'x');
	host_free(h);
}

/* More memory given to running guests than the host has: a warning too,
 * with the ratio. */
static void
test_memory_overcommit(void **state)
{
	struct host *h = up_host();
	char line[512];

	(void)state;
	add_running(h, "00000000-0000-0000-0000-000000000001", "a", 1, 9 * 1024 * 1024);
	assert_int_equal(summary(h, line, sizeof line), C_WARNING);
	assert_non_null(strstr(line, "Alloc 9.00G"));
	assert_null(strstr(line, "vCPU overcommit"));
	assert_non_null(strstr(line, " off mem overcommit 1.1x"));
	host_free(h);
}

static void *
lock_and_stay(void *arg)
{
	host_lock(arg);
	return NULL;
}

/* Whether making h's line in a child process aborts; with other_holds,
 * another thread of the child holds the lock (and never lets it go). The
 * child's stderr, saying why, goes to /dev/null. */
static bool
line_aborts(struct host *h, bool other_holds)
{
	char line[512];
	pthread_t t;
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		if (freopen("/dev/null", "w", stderr) == NULL)
			_exit(2);
		if (other_holds && (pthread_create(&t, NULL, lock_and_stay, h) != 0 ||
		                    pthread_join(t, NULL) != 0))
			_exit(2);
		app_host_summary(h, line, sizeof line);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

/* The line is made only by the thread holding the host's lock. */
static void
test_unlocked_aborts(void **state)
{
	struct host *h = up_host();
	char line[512];

	(void)state;
#ifdef NDEBUG
	skip();
#endif
	assert_true(line_aborts(h, false));
	assert_true(line_aborts(h, true));
	assert_int_equal(summary(h, line, sizeof line), C_HEADER);
	host_free(h);
}


static void
add_guest(struct host *h, const char *uuid, enum vm_state st, int vcpus, uint64_t mem_kib)
{
	add_running(h, uuid, uuid + 30, vcpus, mem_kib);
	h->vms[h->nvms - 1]->state = st;
}

static struct host *
named_host(const char *name, unsigned cpus, uint64_t mem_gib)
{
	struct host *h = host_new(&(struct host_opts){ .uri = "test:///default", .name = name });

	h->state = HOST_UP;
	h->uri = xstrdup("test:///default");
	h->cpus = cpus;
	h->mem_total_kib = mem_gib * 1024 * 1024;
	h->mem_free_kib = h->mem_total_kib / 2;
	return h;
}

/* Four hosts: rack1 overcommits vCPUs 2.5x, rack2 memory 1.5x and vCPUs
 * 1.5x, rack3 neither, rack4 is down (its last guests still counted). */
static void
make_fleet(struct host **h)
{
	h[0] = named_host("rack1", 4, 64);
	add_guest(h[0], "00000000-0000-0000-0000-000000000101", VM_RUNNING, 6, 1024 * 1024);
	add_guest(h[0], "00000000-0000-0000-0000-000000000102", VM_RUNNING, 4, 1024 * 1024);
	add_guest(h[0], "00000000-0000-0000-0000-000000000103", VM_SHUTOFF, 16, 0);
	h[1] = named_host("rack2", 8, 4);
	add_guest(h[1], "00000000-0000-0000-0000-000000000201", VM_PAUSED, 12, 6 * 1024 * 1024);
	add_guest(h[1], "00000000-0000-0000-0000-000000000202", VM_CRASHED, 1, 0);
	h[2] = named_host("rack3", 64, 512);
	add_guest(h[2], "00000000-0000-0000-0000-000000000301", VM_RUNNING, 2, 1024 * 1024);
	h[3] = named_host("rack4", 8, 16);
	h[3]->state = HOST_DOWN;
	add_guest(h[3], "00000000-0000-0000-0000-000000000401", VM_RUNNING, 64, 64 * 1024 * 1024);
}

static void
lock_all(struct host **h, size_t n, bool lock)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (lock)
			host_lock(h[i]);
		else
			host_unlock(h[n - 1 - i]);
}

static void
free_all(struct host **h, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		host_free(h[i]);
}

/* The sums: a down host's guests count by state, not as overcommit. */
static void
test_fleet_totals(void **state)
{
	struct host *h[4];
	struct fleet_totals t;

	(void)state;
	make_fleet(h);
	lock_all(h, 4, true);
	vmsel_fleet_totals(h, 4, &t);
	lock_all(h, 4, false);
	assert_int_equal(t.hosts, 4);
	assert_int_equal(t.up, 3);
	assert_int_equal(t.down, 1);
	assert_int_equal(t.connecting, 0);
	assert_ptr_equal(t.first_down, h[3]);
	assert_int_equal(t.running, 4);
	assert_int_equal(t.paused, 1);
	assert_int_equal(t.off, 1);
	assert_int_equal(t.other, 1);
	assert_int_equal(t.vcpu_over, 2);
	assert_ptr_equal(t.worst_vcpu, h[0]);
	assert_true(t.worst_vcpu_ratio > 2.49 && t.worst_vcpu_ratio < 2.51);
	assert_int_equal(t.mem_over, 1);
	assert_ptr_equal(t.worst_mem, h[1]);
	assert_true(t.worst_mem_ratio > 1.49 && t.worst_mem_ratio < 1.51);
	free_all(h, 4);
}

/* The line at 80 columns (counts only) and at 200 (the worst named). */
static void
test_fleet_line(void **state)
{
	struct host *h[4];
	char line[512];
	enum color c;

	(void)state;
	make_fleet(h);
	lock_all(h, 4, true);
	c = app_fleet_summary(h, 4, 80, line, sizeof line);
	assert_int_equal(c, C_ERROR);
	assert_string_equal(line, "4 hosts: 3 up, 1 down  VMs: 4 run, 1 paused, 1 off, 1 other  "
	                          "Over: vCPU 2, mem 1");
	assert_true(strlen(line) <= 80);
	c = app_fleet_summary(h, 4, 200, line, sizeof line);
	assert_string_equal(line, "Fleet: 4 hosts: 3 up, 1 down (rack4)  7 guests: 4 running, "
	                          "1 paused, 1 off, 1 other  Overcommit: vCPU on 2 hosts (worst "
	                          "rack1 2.5x), memory on 1 host (rack2 1.5x)");
	assert_true(strlen(line) <= 200);
	/* All up, nothing overcommitted: said so, in the header's colour. */
	h[3]->state = HOST_UP;
	h[3]->vms[0]->state = VM_SHUTOFF;
	h[0]->vms[0]->vcpus_cur = 1;
	h[0]->vms[1]->vcpus_cur = 2;
	h[1]->vms[0]->mem_cur_kib = 1024;
	h[1]->vms[0]->vcpus_cur = 1;
	c = app_fleet_summary(h, 4, 80, line, sizeof line);
	assert_int_equal(c, C_HEADER);
	assert_string_equal(line, "4 hosts: 4 up  VMs: 3 run, 1 paused, 2 off, 1 other  "
	                          "No overcommit");
	/* One host still connecting: a warning, no guests yet. */
	h[2]->state = HOST_CONNECTING;
	c = app_fleet_summary(h, 4, 80, line, sizeof line);
	assert_int_equal(c, C_WARNING);
	assert_non_null(strstr(line, "4 hosts: 3 up, 1 connecting  "));
	lock_all(h, 4, false);
	free_all(h, 4);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_figures),
		cmocka_unit_test(test_vcpu_overcommit),
		cmocka_unit_test(test_memory_overcommit),
		cmocka_unit_test(test_unlocked_aborts),
		cmocka_unit_test(test_fleet_totals),
		cmocka_unit_test(test_fleet_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
