/* test_stats.c — model/stats/stats.h (rates and percentages) and model/stats/vm.h
 * (merging samples into a guest's figures, history and uptime). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/stats/stats.h"
#include "model/stats/vm.h"

#define SEC 1000000000ull
#define T0 (1000 * SEC) /* an arbitrary monotonic start */
#define UUID "6f1c9a2e-1111-4c4c-8888-000000000001"

static void
assert_close_at(double a, double b, int line)
{
	if (fabs(a - b) > 1e-6 * (fabs(b) > 1 ? fabs(b) : 1))
		fail_msg("line %d: %.9g is not %.9g", line, a, b);
}
#define assert_close(a, b) assert_close_at((a), (b), __LINE__)

/* ================= stats ================= */

static void
test_rate_normal(void **state)
{
	(void)state;
	assert_close(stats_rate(1000, 3000, 2.0), 1000);
	assert_close(stats_rate(0, 1 << 20, 0.5), 2 << 20);
	assert_close(stats_rate(5, 5, 1.0), 0);
}

static void
test_rate_bad_interval_unknown(void **state)
{
	(void)state;
	assert_true(stats_rate(0, 100, 0) == STATS_UNKNOWN);
	assert_true(stats_rate(0, 100, -1) == STATS_UNKNOWN);
}

static void
test_rate_counter_reset_unknown(void **state)
{
	(void)state;
	assert_true(stats_rate(5000, 10, 1.0) == STATS_UNKNOWN);
	assert_true(stats_rate(UINT64_MAX, 0, 1.0) == STATS_UNKNOWN);
}

static void
test_rate_large_counters(void **state)
{
	(void)state;
	/* Counters deep into uint64 still give exact-enough deltas. */
	assert_close(stats_rate(UINT64_MAX - 4096, UINT64_MAX, 2.0), 2048);
}

static void
test_cpu_pct_one_vcpu_busy(void **state)
{
	(void)state;
	assert_close(stats_cpu_pct(0, SEC, 1.0, 1), 100);
	assert_close(stats_cpu_pct(7 * SEC, 8 * SEC, 1.0, 1), 100);
}

static void
test_cpu_pct_half(void **state)
{
	(void)state;
	assert_close(stats_cpu_pct(0, SEC / 2, 1.0, 1), 50);
	assert_close(stats_cpu_pct(0, SEC, 2.0, 1), 50);
	assert_close(stats_cpu_pct(10, 10, 1.0, 1), 0);
}

static void
test_cpu_pct_two_vcpus(void **state)
{
	(void)state;
	/* One of two vCPUs busy for the whole second is half the guest. */
	assert_close(stats_cpu_pct(0, SEC, 1.0, 2), 50);
	assert_close(stats_cpu_pct(0, 2 * SEC, 1.0, 2), 100);
	assert_close(stats_cpu_pct(0, 3 * SEC, 2.0, 4), 37.5);
}

static void
test_cpu_pct_clamped(void **state)
{
	(void)state;
	assert_close(stats_cpu_pct(0, SEC + SEC / 100, 1.0, 1), 100);
	assert_close(stats_cpu_pct(0, 5 * SEC, 1.0, 2), 100);
}

static void
test_cpu_pct_unknown(void **state)
{
	(void)state;
	assert_true(stats_cpu_pct(2 * SEC, SEC, 1.0, 1) == STATS_UNKNOWN);
	assert_true(stats_cpu_pct(0, SEC, 0, 1) == STATS_UNKNOWN);
	assert_true(stats_cpu_pct(0, SEC, -1.0, 1) == STATS_UNKNOWN);
	assert_true(stats_cpu_pct(0, SEC, 1.0, 0) == STATS_UNKNOWN);
}

static void
test_host_cpu_pct(void **state)
{
	(void)state;
	assert_close(stats_host_cpu_pct(100, 1000, 150, 1100), 50);
	assert_close(stats_host_cpu_pct(100, 1000, 100, 1100), 0);
	assert_close(stats_host_cpu_pct(0, 0, 400, 400), 100);
	/* More busy than total ticks (counters read at different moments). */
	assert_close(stats_host_cpu_pct(0, 0, 500, 400), 100);
}

static void
test_host_cpu_pct_unknown(void **state)
{
	(void)state;
	/* No ticks elapsed, total went back, busy went back. */
	assert_true(stats_host_cpu_pct(100, 1000, 100, 1000) == STATS_UNKNOWN);
	assert_true(stats_host_cpu_pct(100, 1000, 150, 900) == STATS_UNKNOWN);
	assert_true(stats_host_cpu_pct(100, 1000, 50, 1100) == STATS_UNKNOWN);
}

static void
test_mem_used_prefers_usable(void **state)
{
	(void)state;
	/* avail 4 GiB, unused 1 GiB, usable (incl. caches) 3 GiB. */
	assert_int_equal(stats_mem_used(true, 4194304, true, 1048576, true, 3145728, 4194304),
	                 1048576);
}

static void
test_mem_used_unused_fallback(void **state)
{
	(void)state;
	assert_int_equal(stats_mem_used(true, 4194304, true, 1048576, false, 0, 4194304),
	                 3145728);
}

static void
test_mem_used_current_fallback(void **state)
{
	(void)state;
	/* No balloon driver in the guest: only the allocation is known. */
	assert_int_equal(stats_mem_used(false, 0, false, 0, false, 0, 2097152), 2097152);
	/* Unused/usable without "available" say nothing. */
	assert_int_equal(stats_mem_used(false, 0, true, 10, true, 20, 2097152), 2097152);
	/* Available alone says nothing either. */
	assert_int_equal(stats_mem_used(true, 4096, false, 0, false, 0, 2097152), 2097152);
}

static void
test_mem_used_inconsistent(void **state)
{
	(void)state;
	/* usable > available: ignore usable, use unused. */
	assert_int_equal(stats_mem_used(true, 1000, true, 400, true, 2000, 5000), 600);
	/* Both larger than available: fall back to current. */
	assert_int_equal(stats_mem_used(true, 1000, true, 1001, true, 2000, 5000), 5000);
	/* Equal is fine: nothing used. */
	assert_int_equal(stats_mem_used(true, 1000, false, 0, true, 1000, 5000), 0);
}

static void
test_dt(void **state)
{
	(void)state;
	assert_close(stats_dt(T0, T0 + SEC), 1.0);
	assert_close(stats_dt(T0, T0 + SEC / 4), 0.25);
	/* No previous sample, no time, time going backwards. */
	assert_close(stats_dt(0, T0), 0);
	assert_close(stats_dt(T0, T0), 0);
	assert_close(stats_dt(T0 + SEC, T0), 0);
}

/* ================= vm ================= */

struct dev {
	const char *name;
	uint64_t rd, wr;
};

/* A sample of a running one-vCPU guest. Devices end with a NULL name.
 * Its strings are the caller's (a sample does not own them). */
static void
sample(struct vm_sample *s, enum vm_state st, uint64_t cpu_ns, const struct dev *disks,
       const struct dev *nics)
{
	size_t i, n;

	memset(s, 0, sizeof *s);
	s->name = "guest1";
	snprintf(s->uuid, sizeof s->uuid, "%s", UUID);
	s->id = vm_state_active(st) ? 7 : -1;
	s->state = st;
	s->reason = 1;
	s->have_cpu = true;
	s->cpu_time_ns = cpu_ns;
	s->vcpus_cur = s->vcpus_max = 1;
	s->have_balloon_cur = s->have_balloon_max = true;
	s->mem_cur_kib = 1048576;
	s->mem_max_kib = 2097152;
	for (n = 0; disks && disks[n].name; n++)
		;
	s->disks = calloc(n ? n : 1, sizeof *s->disks);
	s->ndisks = n;
	for (i = 0; i < n; i++) {
		s->disks[i].name = disks[i].name;
		s->disks[i].rd = disks[i].rd;
		s->disks[i].wr = disks[i].wr;
		s->disks[i].have_rd = s->disks[i].have_wr = true;
	}
	for (n = 0; nics && nics[n].name; n++)
		;
	s->nics = calloc(n ? n : 1, sizeof *s->nics);
	s->nnics = n;
	for (i = 0; i < n; i++) {
		s->nics[i].name = nics[i].name;
		s->nics[i].rd = nics[i].rd;
		s->nics[i].wr = nics[i].wr;
		s->nics[i].have_rd = s->nics[i].have_wr = true;
	}
}

/* Merge a fresh sample and release it. */
static void
merge(struct vm *vm, enum vm_state st, uint64_t cpu_ns, const struct dev *disks,
      const struct dev *nics, uint64_t now)
{
	struct vm_sample s;

	sample(&s, st, cpu_ns, disks, nics);
	vm_merge(vm, &s, now);
	vm_sample_clear(&s);
}

static void
test_vm_state_names(void **state)
{
	(void)state;
	assert_string_equal(vm_state_name(VM_RUNNING), "running");
	assert_string_equal(vm_state_name(VM_SHUTOFF), "shut off");
	assert_string_equal(vm_state_name(VM_SHUTDOWN), "stopping");
	assert_string_equal(vm_state_name(VM_STATE_COUNT), "?");
	assert_string_equal(vm_state_name((enum vm_state)-1), "?");
	assert_true(vm_state_active(VM_RUNNING));
	assert_true(vm_state_active(VM_PAUSED));
	assert_true(vm_state_active(VM_PMSUSPENDED));
	assert_false(vm_state_active(VM_SHUTOFF));
	assert_false(vm_state_active(VM_CRASHED));
	assert_false(vm_state_active(VM_NOSTATE));
}

static void
test_vm_new_defaults(void **state)
{
	struct vm *vm = vm_new(UUID, "guest1", 10);

	(void)state;
	assert_string_equal(vm->uuid, UUID);
	assert_string_equal(vm->name, "guest1");
	assert_int_equal(vm->id, -1);
	assert_true(vm->cpu_pct == STATS_UNKNOWN);
	assert_true(vm->rd_rate == STATS_UNKNOWN);
	assert_true(vm->tx_rate == STATS_UNKNOWN);
	assert_int_equal(vm->cpu_hist.cap, 10);
	assert_int_equal(vm->cpu_hist.len, 0);
	assert_false(vm->known);
	assert_true(vm_uptime(vm, T0) < 0);
	vm_free(vm);
	vm_free(NULL);
}

static void
test_vm_cpu_after_two_samples(void **state)
{
	struct vm *vm = vm_new(UUID, "guest1", 10);

	(void)state;
	merge(vm, VM_RUNNING, 50 * SEC, NULL, NULL, T0);
	assert_true(vm->known);
	assert_true(vm->cpu_pct == STATS_UNKNOWN); /* one sample: no rate */
	assert_int_equal(vm->cpu_hist.len, 0);
	assert_int_equal(vm->id, 7);
	assert_int_equal(vm->vcpus_cur, 1);
	assert_int_equal(vm->mem_cur_kib, 1048576);
	assert_int_equal(vm->mem_max_kib, 2097152);

	merge(vm, VM_RUNNING, 50 * SEC + SEC / 4, NULL, NULL, T0 + SEC);
	assert_close(vm->cpu_pct, 25);
	assert_int_equal(vm->cpu_hist.len, 1);
	assert_close(ring_get(&vm->cpu_hist, 0), 25);
	assert_int_equal(vm->sampled_ns, T0 + SEC);
	vm_free(vm);
}

static void
test_vm_cpu_uses_current_vcpus(void **state)
{
	struct vm *vm = vm_new(UUID, "guest1", 10);
	struct vm_sample s;

	(void)state;
	sample(&s, VM_RUNNING, 0, NULL, NULL);
	s.vcpus_cur = 4;
	s.vcpus_max = 8;
	vm_merge(vm, &s, T0);
	s.cpu_time_ns = 2 * SEC; /* two of four vCPUs busy */
	vm_merge(vm, &s, T0 + SEC);
	vm_sample_clear(&s);
	assert_int_equal(vm->vcpus_cur, 4);
	assert_int_equal(vm->vcpus_max, 8);
	assert_close(vm->cpu_pct, 50);
	vm_free(vm);
}

static void
test_vm_history_grows_and_wraps(void **state)
{
	struct vm *vm = vm_new(UUID, "guest1", 3);
	int i;

	(void)state;
	for (i = 0; i < 6; i++) /* CPU use 0%, 10%, 20%, ... */
		merge(vm, VM_RUNNING, (uint64_t)(i * (i - 1) / 2) * (SEC / 10), NULL, NULL,
		      T0 + (uint64_t)i * SEC);
	/* 5 rates into a ring of 3: the newest three. */
	assert_int_equal(vm->cpu_hist.len, 3);
	assert_close(ring_get(&vm->cpu_hist, 0), 40);
	assert_close(ring_get(&vm->cpu_hist, 1), 30);
	assert_close(ring_get(&vm->cpu_hist, 2), 20);
	/* Memory history gets one point per running sample, in bytes. */
	assert_int_equal(vm->mem_hist.len, 3);
	assert_close(ring_get(&vm->mem_hist, 0), 1048576.0 * 1024);

	vm_set_history(vm, 5);
	assert_int_equal(vm->cpu_hist.cap, 5);
	assert_int_equal(vm->cpu_hist.len, 3);
	assert_close(ring_get(&vm->cpu_hist, 0), 40);
	vm_free(vm);
}

static void
test_vm_disk_net_rates_summed(void **state)
{
	struct vm *vm = vm_new(UUID, "guest1", 10);
	const struct dev d0[] = { { "vda", 1000, 2000 }, { "vdb", 0, 0 }, { NULL, 0, 0 } };
	const struct dev d1[] = { { "vda", 3000, 2500 }, { "vdb", 100, 4000 }, { NULL, 0, 0 } };
	const struct dev n0[] = { { "vnet0", 10, 20 }, { "vnet1", 0, 0 }, { NULL, 0, 0 } };
	const struct dev n1[] = { { "vnet0", 1010, 20 }, { "vnet1", 500, 60 }, { NULL, 0, 0 } };

	(void)state;
	merge(vm, VM_RUNNING, 0, d0, n0, T0);
	assert_int_equal(vm->ndisks, 2);
	assert_int_equal(vm->nnics, 2);
	assert_true(vm->rd_rate == STATS_UNKNOWN);
	assert_true(vm->disks[0].rd_rate == STATS_UNKNOWN);
	assert_int_equal(vm->rd_hist.len, 0);

	merge(vm, VM_RUNNING, 0, d1, n1, T0 + 2 * SEC);
	assert_close(vm->disks[0].rd_rate, 1000);
	assert_close(vm->disks[0].wr_rate, 250);
	assert_close(vm->disks[1].rd_rate, 50);
	assert_close(vm->disks[1].wr_rate, 2000);
	assert_close(vm->rd_rate, 1050);
	assert_close(vm->wr_rate, 2250);
	assert_close(vm->rx_rate, 750);
	assert_close(vm->tx_rate, 30);
	assert_int_equal(vm->rd_hist.len, 1);
	assert_close(ring_get(&vm->rd_hist, 0), 1050);
	assert_close(ring_get(&vm->tx_hist, 0), 30);
	assert_int_equal(vm->disks[0].rd, 3000);
	vm_free(vm);
}

static void
test_vm_counter_reset_unknown(void **state)
{
	struct vm *vm = vm_new(UUID, "guest1", 10);
	const struct dev d0[] = { { "vda", 5000000, 9000000 }, { NULL, 0, 0 } };
	const struct dev d1[] = { { "vda", 6000000, 9500000 }, { NULL, 0, 0 } };
	const struct dev d2[] = { { "vda", 1000, 2000 }, { NULL, 0, 0 } }; /* rebooted */
	const struct dev d3[] = { { "vda", 3000, 2000 }, { NULL, 0, 0 } };

	(void)state;
	merge(vm, VM_RUNNING, 100 * SEC, d0, NULL, T0);
	merge(vm, VM_RUNNING, 100 * SEC + SEC / 2, d1, NULL, T0 + SEC);
	assert_close(vm->cpu_pct, 50);
	assert_close(vm->rd_rate, 1000000);
	assert_int_equal(vm->cpu_hist.len, 1);
	assert_int_equal(vm->rd_hist.len, 1);

	/* Guest reboot inside the same qemu process: counters start over. */
	merge(vm, VM_RUNNING, SEC / 10, d2, NULL, T0 + 2 * SEC);
	assert_true(vm->cpu_pct == STATS_UNKNOWN);
	assert_true(vm->rd_rate == STATS_UNKNOWN);
	assert_true(vm->wr_rate == STATS_UNKNOWN);
	assert_true(vm->disks[0].rd_rate == STATS_UNKNOWN);
	/* No bogus point in the history either. */
	assert_int_equal(vm->cpu_hist.len, 1);
	assert_int_equal(vm->rd_hist.len, 1);

	/* The next sample measures from the new counters. */
	merge(vm, VM_RUNNING, SEC / 10 + SEC / 5, d3, NULL, T0 + 3 * SEC);
	assert_close(vm->cpu_pct, 20);
	assert_close(vm->rd_rate, 2000);
	assert_close(vm->wr_rate, 0);
	vm_free(vm);
}

static void
test_vm_device_appears(void **state)
{
	struct vm *vm = vm_new(UUID, "guest1", 10);
	const struct dev d0[] = { { "vda", 1000, 0 }, { NULL, 0, 0 } };
	const struct dev d1[] = { { "vda", 2000, 0 }, { "vdb", 7777777, 0 }, { NULL, 0, 0 } };
	const struct dev d2[] = { { "vda", 3000, 0 }, { "vdb", 7777877, 0 }, { NULL, 0, 0 } };

	(void)state;
	merge(vm, VM_RUNNING, 0, d0, NULL, T0);
	merge(vm, VM_RUNNING, 0, d1, NULL, T0 + SEC);
	assert_int_equal(vm->ndisks, 2);
	assert_string_equal(vm->disks[1].name, "vdb");
	/* A hot-plugged disk has no rate yet, its counter is not a delta. */
	assert_true(vm->disks[1].rd_rate == STATS_UNKNOWN);
	assert_close(vm->disks[0].rd_rate, 1000);
	/* The sum is of the known rates only. */
	assert_close(vm->rd_rate, 1000);

	merge(vm, VM_RUNNING, 0, d2, NULL, T0 + 2 * SEC);
	assert_close(vm->disks[1].rd_rate, 100);
	assert_close(vm->rd_rate, 1100);
	vm_free(vm);
}

static void
test_vm_device_disappears(void **state)
{
	struct vm *vm = vm_new(UUID, "guest1", 10);
	const struct dev n0[] = { { "vnet0", 0, 0 }, { "vnet1", 0, 0 }, { NULL, 0, 0 } };
	const struct dev n1[] = { { "vnet0", 100, 0 }, { "vnet1", 200, 0 }, { NULL, 0, 0 } };
	const struct dev n2[] = { { "vnet1", 500, 0 }, { NULL, 0, 0 } };

	(void)state;
	merge(vm, VM_RUNNING, 0, NULL, n0, T0);
	merge(vm, VM_RUNNING, 0, NULL, n1, T0 + SEC);
	assert_close(vm->rx_rate, 300);
	/* vnet0 unplugged: vnet1 keeps its counter. */
	merge(vm, VM_RUNNING, 0, NULL, n2, T0 + 2 * SEC);
	assert_int_equal(vm->nnics, 1);
	assert_string_equal(vm->nics[0].name, "vnet1");
	assert_close(vm->nics[0].rd_rate, 300);
	assert_close(vm->rx_rate, 300);

	/* All gone. */
	merge(vm, VM_RUNNING, 0, NULL, NULL, T0 + 3 * SEC);
	assert_int_equal(vm->nnics, 0);
	assert_true(vm->rx_rate == STATS_UNKNOWN);
	vm_free(vm);
}

static void
test_vm_device_reordered(void **state)
{
	struct vm *vm = vm_new(UUID, "guest1", 10);
	const struct dev d0[] = { { "vda", 0, 0 }, { "sda", 0, 0 }, { NULL, 0, 0 } };
	const struct dev d1[] = { { "sda", 400, 0 }, { "vda", 100, 0 }, { NULL, 0, 0 } };

	(void)state;
	merge(vm, VM_RUNNING, 0, d0, NULL, T0);
	merge(vm, VM_RUNNING, 0, d1, NULL, T0 + SEC);
	/* Matched by name, not by position. */
	assert_string_equal(vm->disks[0].name, "sda");
	assert_close(vm->disks[0].rd_rate, 400);
	assert_string_equal(vm->disks[1].name, "vda");
	assert_close(vm->disks[1].rd_rate, 100);
	vm_free(vm);
}

static void
test_vm_device_path_updates(void **state)
{
	struct vm *vm = vm_new(UUID, "guest1", 10);
	struct vm_sample s;
	const struct dev d[] = { { "sda", 0, 0 }, { NULL, 0, 0 } };

	(void)state;
	sample(&s, VM_RUNNING, 0, d, NULL);
	s.disks[0].path = "/iso/a.iso";
	s.disks[0].capacity = 1000;
	vm_merge(vm, &s, T0);
	assert_string_equal(vm->disks[0].path, "/iso/a.iso");
	assert_int_equal(vm->disks[0].capacity, 1000);
	s.disks[0].path = "/iso/b.iso"; /* media change */
	vm_merge(vm, &s, T0 + SEC);
	assert_string_equal(vm->disks[0].path, "/iso/b.iso");
	s.disks[0].path = NULL; /* ejected */
	vm_merge(vm, &s, T0 + 2 * SEC);
	assert_null(vm->disks[0].path);
	vm_sample_clear(&s);
	vm_free(vm);
}

static void
test_vm_devices_kept_in_place(void **state)
{
	struct vm *vm = vm_new(UUID, "guest1", 10);
	struct vm_sample s;
	const struct dev d[] = { { "vda", 0, 0 }, { "vdb", 0, 0 }, { NULL, 0, 0 } };
	char path[] = "/img/a.qcow2";
	struct vm_dev *devs;
	char *kept;

	(void)state;
	sample(&s, VM_RUNNING, 0, d, NULL);
	s.disks[0].path = path;
	vm_merge(vm, &s, T0);
	devs = vm->disks;
	kept = vm->disks[0].path;
	/* The guest keeps its own copy of the path, not the record's. */
	path[1] = 'X';
	assert_string_equal(vm->disks[0].path, "/img/a.qcow2");
	path[1] = 'i';
	/* The same devices: updated where they are, the path not copied
	 * again. */
	s.disks[0].rd = 1000;
	s.disks[1].wr = 500;
	vm_merge(vm, &s, T0 + SEC);
	assert_ptr_equal(vm->disks, devs);
	assert_ptr_equal(vm->disks[0].path, kept);
	path[1] = 'X'; /* media change */
	vm_merge(vm, &s, T0 + 2 * SEC);
	assert_ptr_equal(vm->disks, devs);
	assert_string_equal(vm->disks[0].path, "/Xmg/a.qcow2");
	s.disks[0].rd = 3000;
	vm_merge(vm, &s, T0 + 3 * SEC);
	assert_close(vm->disks[0].rd_rate, 2000);
	assert_close(vm->disks[1].wr_rate, 0);
	assert_close(vm->rd_rate, 2000);
	assert_close(vm->wr_rate, 0);
	/* Same count, another name: the general merge, counters by name. */
	s.disks[1].name = "vdc";
	s.disks[0].rd = 4000;
	vm_merge(vm, &s, T0 + 4 * SEC);
	assert_string_equal(vm->disks[1].name, "vdc");
	assert_true(vm->disks[1].wr_rate == STATS_UNKNOWN);
	assert_close(vm->disks[0].rd_rate, 1000);
	assert_string_equal(vm->disks[0].path, "/Xmg/a.qcow2");
	vm_sample_clear(&s);
	vm_free(vm);
}

static void
test_vm_missing_counter_unknown(void **state)
{
	struct vm *vm = vm_new(UUID, "guest1", 10);
	struct vm_sample s;
	const struct dev d[] = { { "vda", 100, 100 }, { NULL, 0, 0 } };

	(void)state;
	sample(&s, VM_RUNNING, 0, d, NULL);
	vm_merge(vm, &s, T0);
	s.disks[0].rd = 300;
	s.disks[0].have_wr = false;
	vm_merge(vm, &s, T0 + SEC);
	vm_sample_clear(&s);
	assert_close(vm->disks[0].rd_rate, 200);
	assert_true(vm->disks[0].wr_rate == STATS_UNKNOWN);
	assert_true(vm->wr_rate == STATS_UNKNOWN);
	vm_free(vm);
}

static void
test_vm_mem_used(void **state)
{
	struct vm *vm = vm_new(UUID, "guest1", 10);
	struct vm_sample s;

	(void)state;
	sample(&s, VM_RUNNING, 0, NULL, NULL);
	vm_merge(vm, &s, T0);
	/* No guest figures: the allocation. */
	assert_int_equal(vm->mem_used_kib, 1048576);
	assert_false(vm->mem_from_guest);
	s.have_avail = s.have_usable = true;
	s.mem_avail_kib = 1000000;
	s.mem_usable_kib = 600000;
	vm_merge(vm, &s, T0 + SEC);
	vm_sample_clear(&s);
	assert_int_equal(vm->mem_used_kib, 400000);
	assert_true(vm->mem_from_guest);
	/* Histories keep about three digits (ring.h). */
	assert_true(fabs(ring_get(&vm->mem_hist, 0) - 400000.0 * 1024) < 400000.0 * 1024 / 2048);
	vm_free(vm);
}

static void
test_vm_name_change(void **state)
{
	struct vm *vm = vm_new(UUID, "old-name", 10);

	(void)state;
	merge(vm, VM_SHUTOFF, 0, NULL, NULL, T0);
	assert_string_equal(vm->name, "guest1");
	vm_free(vm);
}

static void
test_vm_first_sample_running_inexact(void **state)
{
	struct vm *vm = vm_new(UUID, "guest1", 10);

	(void)state;
	merge(vm, VM_RUNNING, 500 * SEC, NULL, NULL, T0);
	assert_int_equal(vm->state, VM_RUNNING);
	assert_false(vm->since_exact);
	assert_int_equal(vm->started_ns, T0);
	assert_close(vm_uptime(vm, T0 + 90 * SEC), 90);
	merge(vm, VM_RUNNING, 501 * SEC, NULL, NULL, T0 + SEC);
	assert_false(vm->since_exact);
	assert_int_equal(vm->started_ns, T0);
	vm_free(vm);
}

static void
test_vm_first_sample_shutoff(void **state)
{
	struct vm *vm = vm_new(UUID, "guest1", 10);

	(void)state;
	merge(vm, VM_SHUTOFF, 0, NULL, NULL, T0);
	assert_int_equal(vm->state, VM_SHUTOFF);
	assert_true(vm->started_ns == VM_START_UNKNOWN);
	assert_true(vm_uptime(vm, T0 + SEC) < 0);
	assert_true(vm->cpu_pct == STATS_UNKNOWN);
	assert_int_equal(vm->mem_used_kib, 0);
	assert_int_equal(vm->mem_hist.len, 0);
	vm_free(vm);
}

static void
test_vm_start_observed_exact(void **state)
{
	struct vm *vm = vm_new(UUID, "guest1", 10);

	(void)state;
	merge(vm, VM_SHUTOFF, 0, NULL, NULL, T0);
	merge(vm, VM_RUNNING, SEC / 10, NULL, NULL, T0 + 5 * SEC);
	assert_int_equal(vm->state, VM_RUNNING);
	assert_true(vm->since_exact);
	assert_int_equal(vm->started_ns, T0 + 5 * SEC);
	assert_close(vm_uptime(vm, T0 + 65 * SEC), 60);
	/* Shut-off time does not count as the first interval. */
	assert_true(vm->cpu_pct == STATS_UNKNOWN);
	merge(vm, VM_RUNNING, SEC / 10 + SEC / 2, NULL, NULL, T0 + 6 * SEC);
	assert_close(vm->cpu_pct, 50);
	vm_free(vm);
}

static void
test_vm_set_state_start_event(void **state)
{
	struct vm *vm = vm_new(UUID, "guest1", 10);

	(void)state;
	merge(vm, VM_SHUTOFF, 0, NULL, NULL, T0);
	vm_set_state(vm, VM_RUNNING, 1, T0 + 3 * SEC);
	assert_int_equal(vm->state, VM_RUNNING);
	assert_int_equal(vm->reason, 1);
	assert_true(vm->since_exact);
	assert_int_equal(vm->started_ns, T0 + 3 * SEC);
	/* The next bulk sample agrees and keeps the event's start time. */
	merge(vm, VM_RUNNING, SEC, NULL, NULL, T0 + 4 * SEC);
	assert_true(vm->since_exact);
	assert_int_equal(vm->started_ns, T0 + 3 * SEC);
	assert_close(vm_uptime(vm, T0 + 13 * SEC), 10);
	vm_free(vm);
}

static void
test_vm_pause_keeps_uptime(void **state)
{
	struct vm *vm = vm_new(UUID, "guest1", 10);

	(void)state;
	merge(vm, VM_SHUTOFF, 0, NULL, NULL, T0);
	vm_set_state(vm, VM_RUNNING, 1, T0 + SEC);
	vm_set_state(vm, VM_PAUSED, 1, T0 + 5 * SEC);
	vm_set_state(vm, VM_RUNNING, 1, T0 + 8 * SEC);
	assert_int_equal(vm->started_ns, T0 + SEC);
	assert_close(vm_uptime(vm, T0 + 11 * SEC), 10);
	vm_free(vm);
}

static void
test_vm_stop_resets(void **state)
{
	struct vm *vm = vm_new(UUID, "guest1", 10);
	const struct dev d0[] = { { "vda", 0, 0 }, { NULL, 0, 0 } };
	const struct dev d1[] = { { "vda", 100, 100 }, { NULL, 0, 0 } };
	const struct dev n1[] = { { "vnet0", 100, 100 }, { NULL, 0, 0 } };

	(void)state;
	merge(vm, VM_RUNNING, 0, d0, n1, T0);
	merge(vm, VM_RUNNING, SEC / 2, d1, n1, T0 + SEC);
	assert_close(vm->cpu_pct, 50);
	assert_close(vm->rd_rate, 100);
	assert_close(vm->rx_rate, 0);

	vm_set_state(vm, VM_SHUTOFF, 1, T0 + 2 * SEC);
	assert_int_equal(vm->state, VM_SHUTOFF);
	assert_true(vm->cpu_pct == STATS_UNKNOWN);
	assert_true(vm->rd_rate == STATS_UNKNOWN);
	assert_true(vm->wr_rate == STATS_UNKNOWN);
	assert_true(vm->rx_rate == STATS_UNKNOWN);
	assert_true(vm->tx_rate == STATS_UNKNOWN);
	assert_true(vm->started_ns == VM_START_UNKNOWN);
	assert_int_equal(vm->sampled_ns, 0);
	assert_true(vm_uptime(vm, T0 + 3 * SEC) < 0);
	/* History is kept for the graphs. */
	assert_int_equal(vm->cpu_hist.len, 1);
	vm_free(vm);
}

static void
test_vm_stop_by_sample(void **state)
{
	struct vm *vm = vm_new(UUID, "guest1", 10);
	const struct dev d0[] = { { "vda", 0, 0 }, { NULL, 0, 0 } };
	const struct dev d1[] = { { "vda", 100, 100 }, { NULL, 0, 0 } };

	(void)state;
	merge(vm, VM_RUNNING, 0, d0, NULL, T0);
	merge(vm, VM_RUNNING, SEC, d1, NULL, T0 + SEC);
	assert_close(vm->rd_rate, 100);
	merge(vm, VM_SHUTOFF, 0, d1, NULL, T0 + 2 * SEC);
	assert_int_equal(vm->state, VM_SHUTOFF);
	assert_true(vm->cpu_pct == STATS_UNKNOWN);
	assert_true(vm->rd_rate == STATS_UNKNOWN);
	assert_int_equal(vm->mem_used_kib, 0);
	assert_false(vm->mem_from_guest);
	assert_int_equal(vm->id, -1);
	assert_true(vm_uptime(vm, T0 + 3 * SEC) < 0);
	vm_free(vm);
}

static void
test_vm_restart_counts_fresh(void **state)
{
	struct vm *vm = vm_new(UUID, "guest1", 10);
	const struct dev d0[] = { { "vda", 0, 0 }, { NULL, 0, 0 } };
	const struct dev d1[] = { { "vda", 9000, 0 }, { NULL, 0, 0 } };
	const struct dev d2[] = { { "vda", 10, 0 }, { NULL, 0, 0 } };
	const struct dev d3[] = { { "vda", 210, 0 }, { NULL, 0, 0 } };

	(void)state;
	merge(vm, VM_RUNNING, 0, d0, NULL, T0);
	merge(vm, VM_RUNNING, SEC, d1, NULL, T0 + SEC);
	merge(vm, VM_SHUTOFF, 0, NULL, NULL, T0 + 2 * SEC);
	assert_int_equal(vm->ndisks, 0);
	merge(vm, VM_RUNNING, SEC / 100, d2, NULL, T0 + 10 * SEC);
	assert_true(vm->since_exact);
	assert_int_equal(vm->started_ns, T0 + 10 * SEC);
	assert_true(vm->cpu_pct == STATS_UNKNOWN);
	assert_true(vm->rd_rate == STATS_UNKNOWN);
	merge(vm, VM_RUNNING, SEC / 100 + SEC / 10, d3, NULL, T0 + 11 * SEC);
	assert_close(vm->cpu_pct, 10);
	assert_close(vm->rd_rate, 200);
	vm_free(vm);
}

static void
test_vm_uptime_before_start(void **state)
{
	struct vm *vm = vm_new(UUID, "guest1", 10);

	(void)state;
	merge(vm, VM_RUNNING, 0, NULL, NULL, T0);
	/* A clock reading older than the start is not a negative uptime. */
	assert_true(vm_uptime(vm, T0 - SEC) < 0);
	assert_close(vm_uptime(vm, T0), 0);
	vm_free(vm);
}

static void
test_vm_sample_clear_zeroes(void **state)
{
	struct vm_sample s;
	const struct dev d[] = { { "vda", 1, 2 }, { NULL, 0, 0 } };

	(void)state;
	sample(&s, VM_RUNNING, 5, d, d);
	vm_sample_clear(&s);
	assert_null(s.name);
	assert_null(s.disks);
	assert_null(s.nics);
	assert_int_equal(s.ndisks, 0);
	assert_int_equal(s.cpu_time_ns, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rate_normal),
		cmocka_unit_test(test_rate_bad_interval_unknown),
		cmocka_unit_test(test_rate_counter_reset_unknown),
		cmocka_unit_test(test_rate_large_counters),
		cmocka_unit_test(test_cpu_pct_one_vcpu_busy),
		cmocka_unit_test(test_cpu_pct_half),
		cmocka_unit_test(test_cpu_pct_two_vcpus),
		cmocka_unit_test(test_cpu_pct_clamped),
		cmocka_unit_test(test_cpu_pct_unknown),
		cmocka_unit_test(test_host_cpu_pct),
		cmocka_unit_test(test_host_cpu_pct_unknown),
		cmocka_unit_test(test_mem_used_prefers_usable),
		cmocka_unit_test(test_mem_used_unused_fallback),
		cmocka_unit_test(test_mem_used_current_fallback),
		cmocka_unit_test(test_mem_used_inconsistent),
		cmocka_unit_test(test_dt),
		cmocka_unit_test(test_vm_state_names),
		cmocka_unit_test(test_vm_new_defaults),
		cmocka_unit_test(test_vm_cpu_after_two_samples),
		cmocka_unit_test(test_vm_cpu_uses_current_vcpus),
		cmocka_unit_test(test_vm_history_grows_and_wraps),
		cmocka_unit_test(test_vm_disk_net_rates_summed),
		cmocka_unit_test(test_vm_counter_reset_unknown),
		cmocka_unit_test(test_vm_device_appears),
		cmocka_unit_test(test_vm_device_disappears),
		cmocka_unit_test(test_vm_device_reordered),
		cmocka_unit_test(test_vm_device_path_updates),
		cmocka_unit_test(test_vm_devices_kept_in_place),
		cmocka_unit_test(test_vm_missing_counter_unknown),
		cmocka_unit_test(test_vm_mem_used),
		cmocka_unit_test(test_vm_name_change),
		cmocka_unit_test(test_vm_first_sample_running_inexact),
		cmocka_unit_test(test_vm_first_sample_shutoff),
		cmocka_unit_test(test_vm_start_observed_exact),
		cmocka_unit_test(test_vm_set_state_start_event),
		cmocka_unit_test(test_vm_pause_keeps_uptime),
		cmocka_unit_test(test_vm_stop_resets),
		cmocka_unit_test(test_vm_stop_by_sample),
		cmocka_unit_test(test_vm_restart_counts_fresh),
		cmocka_unit_test(test_vm_uptime_before_start),
		cmocka_unit_test(test_vm_sample_clear_zeroes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
