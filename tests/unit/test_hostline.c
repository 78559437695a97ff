/* test_hostline.c — the header's line for a host (app_host_summary): its
 * figures, and its warnings when vCPUs or memory are overcommitted. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "model/host.h"
#include "model/vm.h"
#include "model/xmalloc.h"
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
	assert_int_equal(app_host_summary(h, line, sizeof line), C_HEADER);
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
	assert_int_equal(app_host_summary(h, line, sizeof line), C_WARNING);
	assert_non_null(strstr(line, "vCPUs 10/4 "));
	assert_non_null(strstr(line, " off vCPU overcommit 2.5x"));
	assert_int_equal(line[strlen(line) - 1], 'x');
	host_free(h);
}

/* More memory given to running guests than the host has: a warning too. */
static void
test_memory_overcommit(void **state)
{
	struct host *h = up_host();
	char line[512];

	(void)state;
	add_running(h, "00000000-0000-0000-0000-000000000001", "a", 1, 9 * 1024 * 1024);
	assert_int_equal(app_host_summary(h, line, sizeof line), C_WARNING);
	assert_non_null(strstr(line, "Alloc 9.00G"));
	assert_null(strstr(line, "overcommit"));
	host_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_figures),
		cmocka_unit_test(test_vcpu_overcommit),
		cmocka_unit_test(test_memory_overcommit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
