/* test_starttime.c — guests' start times (model/stats/vm.h started_ns): a guest
 * up longer than the viewing machine has been (replayed, remote, seen
 * through a suspend) keeps its uptime, on the screen's list, in a
 * recording and in top's batch output; a start not known stays unknown,
 * a lower bound stays one through a recording, and the clock's own zero
 * is a start like any other. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/base/xmalloc.h"
#include "model/host/host.h"
#include "model/host/vmsel.h"
#include "model/record/recording.h"
#include "model/record/replay.h"
#include "model/stats/vm.h"
#include "tui/format.h"
#include "tui/topfmt.h"

#define SEC 1000000000ull
#define DAY (86400.0)
#define U1 "11111111-1111-1111-1111-111111111111"
#define U2 "22222222-2222-2222-2222-222222222222"
/* This machine booted ten minutes ago: its monotonic clock reads that. */
#define BOOTED_10MIN (600 * SEC)

/* A recorded running guest with no figures but its uptime (-1: null). */
static struct rec_vm
rec_guest(const char *uuid, const char *name, enum vm_state st, double uptime)
{
	struct rec_vm v;

	memset(&v, 0, sizeof v);
	v.name = (char *)name;
	snprintf(v.uuid, sizeof v.uuid, "%s", uuid);
	v.state = st;
	v.mem_alloc = v.mem_max = v.mem_used = -1;
	v.cpu_pct = v.rd = v.wr = v.rd_ops = v.wr_ops = v.rx = v.tx = -1;
	v.uptime = uptime;
	return v;
}

/* A replay host showing one sample of the given guests at now_ns. */
static struct host *
replayed(struct rec_vm *vms, size_t n, uint64_t now_ns)
{
	struct host_opts o = { .name = "old", .history = 4, .replay = true };
	struct host *h = host_new(&o);
	struct rec_sample s;

	memset(&s, 0, sizeof s);
	s.host = (char *)"old";
	s.t = 1795530190.0;
	s.mem_total = s.mem_free = s.cpu_pct = -1;
	s.vms = vms;
	s.nvms = n;
	host_lock(h);
	replay_apply(h, &s, now_ns);
	host_unlock(h);
	return h;
}

static const struct vm *
by_uuid(const struct host *h, const char *uuid)
{
	size_t i;

	for (i = 0; i < h->nvms; i++)
		if (strcmp(h->vms[i]->uuid, uuid) == 0)
			return h->vms[i];
	fail_msg("no guest %s", uuid);
	return NULL;
}

/* A server's guest up 30 days, replayed on a machine booted 10 minutes
 * ago: its uptime, counting on, and the list's cell. */
static void
test_replay_older_than_boot(void **state)
{
	struct rec_vm v[] = { rec_guest(U1, "web", VM_RUNNING, 30 * DAY + 30) };
	struct host *h = replayed(v, 1, BOOTED_10MIN);
	const struct vm *vm = by_uuid(h, U1);
	char up[16];

	(void)state;
	assert_true(vm->since_exact);
	assert_true(vm->started_ns < 0); /* before this boot */
	assert_true(vm_uptime(vm, BOOTED_10MIN) == 30 * DAY + 30);
	assert_true(vm_uptime(vm, BOOTED_10MIN + 5 * SEC) == 30 * DAY + 35);
	assert_string_equal(fmt_duration(up, sizeof up, vm_uptime(vm, BOOTED_10MIN)), "30d00h");
	host_free(h);
}

/* An uptime longer than the clock has run but for a nanosecond, and one
 * exactly as long: both are known. */
static void
test_replay_at_the_edge(void **state)
{
	struct rec_vm v[] = { rec_guest(U1, "a", VM_RUNNING, 600), rec_guest(U2, "b", VM_RUNNING, 601) };
	struct host *h = replayed(v, 2, BOOTED_10MIN);

	(void)state;
	assert_true(by_uuid(h, U1)->started_ns == 0);
	assert_true(vm_uptime(by_uuid(h, U1), BOOTED_10MIN) == 600);
	assert_true(vm_uptime(by_uuid(h, U2), BOOTED_10MIN) == 601);
	host_free(h);
}

/* No recorded uptime (null), or a guest not running: unknown, and a
 * later sample without one makes a known uptime unknown again. */
static void
test_replay_unknown_stays_unknown(void **state)
{
	struct rec_vm v[] = { rec_guest(U1, "nofig", VM_RUNNING, -1),
	                      rec_guest(U2, "off", VM_SHUTOFF, -1) };
	struct host *h = replayed(v, 2, BOOTED_10MIN);
	struct rec_sample s;

	(void)state;
	assert_true(by_uuid(h, U1)->started_ns == VM_START_UNKNOWN);
	assert_true(vm_uptime(by_uuid(h, U1), BOOTED_10MIN) < 0);
	assert_true(vm_uptime(by_uuid(h, U1), UINT64_MAX / 2) < 0);
	assert_true(vm_uptime(by_uuid(h, U2), BOOTED_10MIN) < 0);

	memset(&s, 0, sizeof s);
	s.host = (char *)"old";
	s.mem_total = s.mem_free = s.cpu_pct = -1;
	s.vms = v;
	s.nvms = 1;
	v[0].uptime = 7 * DAY;
	host_lock(h);
	replay_apply(h, &s, BOOTED_10MIN + SEC);
	host_unlock(h);
	assert_true(vm_uptime(by_uuid(h, U1), BOOTED_10MIN + SEC) == 7 * DAY);
	v[0].uptime = -1;
	host_lock(h);
	replay_apply(h, &s, BOOTED_10MIN + 2 * SEC);
	host_unlock(h);
	assert_true(vm_uptime(by_uuid(h, U1), BOOTED_10MIN + 2 * SEC) < 0);
	host_free(h);
}

/* A start from an uptime: any age the clock can hold, the unknown kept
 * apart from every real time. */
static void
test_start_from_uptime(void **state)
{
	(void)state;
	assert_true(vm_start_from_uptime(0, 5 * SEC) == (int64_t)(5 * SEC));
	assert_true(vm_start_from_uptime(7, 5 * SEC) == -(int64_t)(2 * SEC));
	assert_true(vm_start_from_uptime(5, 5 * SEC) == 0);
	assert_true(vm_start_from_uptime(100 * 365 * DAY, 0) != VM_START_UNKNOWN);
	assert_true(vm_start_from_uptime(-1, 5 * SEC) == VM_START_UNKNOWN);
	assert_true(vm_start_from_uptime(NAN, 5 * SEC) == VM_START_UNKNOWN);
	assert_true(vm_start_from_uptime(INFINITY, 5 * SEC) == VM_START_UNKNOWN);
	assert_true(vm_start_from_uptime(1e300, 5 * SEC) == VM_START_UNKNOWN);
	assert_true(vm_start_from_uptime(1, UINT64_MAX) == VM_START_UNKNOWN);
}

/* A guest seen starting when the clock read 0, or first seen then: a
 * start like any other, not "unknown". */
static void
test_start_at_clock_zero(void **state)
{
	struct vm *a = vm_new(U1, "a", 4), *b = vm_new(U2, "b", 4);
	struct vm_sample s;

	(void)state;
	assert_true(a->started_ns == VM_START_UNKNOWN);
	assert_true(vm_uptime(a, 5 * SEC) < 0);
	a->state = VM_SHUTOFF;
	vm_set_state(a, VM_RUNNING, 1, 0);
	assert_true(vm_uptime(a, 5 * SEC) == 5);

	memset(&s, 0, sizeof s);
	s.name = "b";
	s.state = VM_RUNNING;
	vm_merge(b, &s, 0);
	assert_false(b->since_exact);
	assert_true(vm_uptime(b, 3 * SEC) == 3);
	vm_free(a);
	vm_free(b);
}

/* A guest up 30 days on a machine booted 10 minutes ago, as the local
 * host's pid file tells (a day in suspend) or a replay does: written to a
 * recording, shown by top --batch, sorted by uptime. */
static void
test_old_guest_everywhere(void **state)
{
	struct host_opts o = { .name = "lab", .history = 4 };
	struct host *h = host_new(&o);
	struct vm *old = vm_new(U1, "old", 4), *young = vm_new(U2, "young", 4);
	struct top_rec r;
	char *line;

	(void)state;
	old->state = young->state = VM_RUNNING;
	old->started_ns = vm_start_from_uptime(30 * DAY, BOOTED_10MIN);
	old->since_exact = young->since_exact = true;
	young->started_ns = vm_start_from_uptime(60, BOOTED_10MIN);
	h->vms = xcalloc(2, sizeof *h->vms);
	h->vms[0] = old;
	h->vms[1] = young;
	h->nvms = 2;

	line = recording_host_line(h, 1795530192.0, BOOTED_10MIN);
	assert_non_null(strstr(line, "\"uptime\":2592000,"));
	assert_non_null(strstr(line, "\"uptime\":60,"));
	free(line);

	topfmt_from_vm(&r, "lab", old, 1795530192.0, BOOTED_10MIN);
	assert_true(r.uptime == 30 * DAY);

	{
		struct row ra = { .host = h, .vm = old }, rb = { .host = h, .vm = young };
		assert_true(vmsel_compare(&ra, &rb, SORT_UPTIME, false, BOOTED_10MIN) > 0);
		assert_true(vmsel_compare(&rb, &ra, SORT_UPTIME, false, BOOTED_10MIN) < 0);
	}
	host_free(h);
}

/* A lower bound (first sight, '>' in the list) is recorded as one and
 * replays as one; an exact uptime stays exact. */
static void
test_lower_bound_recorded(void **state)
{
	struct host_opts o = { .name = "lab", .history = 4 };
	struct host *h = host_new(&o), *rh;
	struct vm *seen = vm_new(U1, "seen", 4), *exact = vm_new(U2, "exact", 4);
	struct vm_sample smp;
	struct recording rec;
	char path[] = "/tmp/vmtui-starttime.XXXXXX", *line;
	FILE *f;
	int fd;

	(void)state;
	memset(&smp, 0, sizeof smp);
	smp.name = "seen";
	smp.state = VM_RUNNING;
	vm_merge(seen, &smp, BOOTED_10MIN); /* running when first seen */
	exact->state = VM_RUNNING;
	exact->started_ns = vm_start_from_uptime(30 * DAY, BOOTED_10MIN);
	exact->since_exact = true;
	h->vms = xcalloc(2, sizeof *h->vms);
	h->vms[0] = seen;
	h->vms[1] = exact;
	h->nvms = 2;
	line = recording_host_line(h, 1795530192.0, BOOTED_10MIN + 60 * SEC);
	assert_non_null(strstr(line, "\"uptime\":60,\"uptime_lower_bound\":true,"));
	assert_non_null(strstr(line, "\"uptime\":2592060,\"autostart\""));

	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fprintf(f, "{\"vmtui-recording\":1,\"program\":\"vmtui t\",\"epoch\":1795530190,"
	        "\"interval\":2}\n%s", line);
	fclose(f);
	free(line);
	assert_int_equal(recording_read(path, &rec), 0);
	unlink(path);
	assert_int_equal(rec.n, 1);
	rh = replayed(rec.samples[0].vms, rec.samples[0].nvms, BOOTED_10MIN);
	assert_false(by_uuid(rh, U1)->since_exact);
	assert_true(vm_uptime(by_uuid(rh, U1), BOOTED_10MIN) == 60);
	assert_true(by_uuid(rh, U2)->since_exact);
	assert_true(vm_uptime(by_uuid(rh, U2), BOOTED_10MIN) == 30 * DAY + 60);
	recording_free(&rec);
	host_free(rh);
	host_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replay_older_than_boot),
		cmocka_unit_test(test_replay_at_the_edge),
		cmocka_unit_test(test_replay_unknown_stays_unknown),
		cmocka_unit_test(test_start_from_uptime),
		cmocka_unit_test(test_start_at_clock_zero),
		cmocka_unit_test(test_old_guest_everywhere),
		cmocka_unit_test(test_lower_bound_recorded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
