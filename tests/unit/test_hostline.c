/* test_hostline.c — the header's line for a host (app_host_summary): its
 * figures, and its warnings when vCPUs or memory are overcommitted; and
 * the lock rule it keeps (host.h): made without the host's lock, it
 * aborts. */
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_figures),
		cmocka_unit_test(test_vcpu_overcommit),
		cmocka_unit_test(test_memory_overcommit),
		cmocka_unit_test(test_unlocked_aborts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
