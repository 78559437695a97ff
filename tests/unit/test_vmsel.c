/* test_vmsel.c — model/host/vmsel.h: filtering and sorting the guest list. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/host/host.h"
#include "model/host/vmsel.h"
#include "model/stats/stats.h"
#include "model/stats/vm.h"

#define SEC 1000000000ull
#define NOW (100000 * SEC)

/* ---- helpers ---- */

static struct vm *
mkvm(const char *uuid, const char *name, enum vm_state st)
{
	struct vm *vm = vm_new(uuid, name, 10);

	vm->state = st;
	return vm;
}

static struct host *
mkhost(const char *uri)
{
	return host_new(&(struct host_opts){ .uri = uri });
}

/* Add a VM, keeping h->vms sorted by UUID as host.c does. */
static struct vm *
add(struct host *h, struct vm *vm)
{
	size_t i;

	h->vms = realloc(h->vms, (h->nvms + 1) * sizeof *h->vms);
	assert_non_null(h->vms);
	for (i = h->nvms; i > 0 && strcmp(h->vms[i - 1]->uuid, vm->uuid) > 0; i--)
		h->vms[i] = h->vms[i - 1];
	h->vms[i] = vm;
	h->nvms++;
	return vm;
}

static char *
names(const struct row *rows, size_t n)
{
	static char buf[512];
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i)
			strcat(buf, " ");
		/* A host heading shows as [host URI]. */
		if (rows[i].vm == NULL) {
			strcat(buf, "[");
			strcat(buf, rows[i].host->uri_req);
			strcat(buf, "]");
		} else {
			strcat(buf, rows[i].vm->name);
		}
	}
	return buf;
}

/* Running for `up` seconds at NOW (exact start). */
static void
set_uptime(struct vm *vm, double up)
{
	vm->started_ns = NOW - (uint64_t)(up * 1e9);
	vm->since_exact = true;
}

/* ---- vmsel_match ---- */

static void
test_match_empty_and_null(void **state)
{
	struct vm *vm = mkvm("u1", "web-01", VM_RUNNING);

	(void)state;
	assert_true(vmsel_match(vm, NULL));
	assert_true(vmsel_match(vm, ""));
	assert_true(vmsel_match(vm, "   "));
	vm_free(vm);
}

static void
test_match_substring_ignoring_case(void **state)
{
	struct vm *vm = mkvm("u1", "Web-Frontend-01", VM_RUNNING);

	(void)state;
	assert_true(vmsel_match(vm, "web"));
	assert_true(vmsel_match(vm, "WEB"));
	assert_true(vmsel_match(vm, "frontend"));
	assert_true(vmsel_match(vm, "nd-0"));
	assert_true(vmsel_match(vm, "Web-Frontend-01"));
	assert_false(vmsel_match(vm, "db"));
	assert_false(vmsel_match(vm, "Web-Frontend-012"));
	assert_false(vmsel_match(vm, "webf"));
	vm_free(vm);
}

static void
test_match_terms_and(void **state)
{
	struct vm *vm = mkvm("u1", "prod-db-02", VM_RUNNING);

	(void)state;
	assert_true(vmsel_match(vm, "prod db"));
	assert_true(vmsel_match(vm, "  db   prod  "));
	assert_false(vmsel_match(vm, "prod web"));
	assert_false(vmsel_match(vm, "web prod"));
	vm_free(vm);
}

static void
test_match_state_prefix(void **state)
{
	struct vm *run = mkvm("u1", "alpha", VM_RUNNING);
	struct vm *off = mkvm("u2", "beta", VM_SHUTOFF);
	struct vm *paused = mkvm("u3", "gamma", VM_PAUSED);

	(void)state;
	assert_true(vmsel_match(run, "state:run"));
	assert_true(vmsel_match(run, "state:running"));
	assert_true(vmsel_match(run, "STATE:RUN"));
	assert_true(vmsel_match(run, "state:r"));
	assert_false(vmsel_match(off, "state:run"));
	assert_true(vmsel_match(off, "state:shut"));
	assert_false(vmsel_match(run, "state:runningx"));
	assert_true(vmsel_match(paused, "state:pa"));
	assert_false(vmsel_match(paused, "state:run"));
	vm_free(run);
	vm_free(off);
	vm_free(paused);
}

static void
test_match_state_and_name(void **state)
{
	struct vm *a = mkvm("u1", "web-1", VM_RUNNING);
	struct vm *b = mkvm("u2", "web-2", VM_SHUTOFF);

	(void)state;
	assert_true(vmsel_match(a, "web state:run"));
	assert_false(vmsel_match(b, "web state:run"));
	assert_true(vmsel_match(b, "state:shut web-2"));
	assert_false(vmsel_match(a, "state:run db"));
	vm_free(a);
	vm_free(b);
}

static void
test_match_bare_state_word(void **state)
{
	struct vm *a = mkvm("u1", "web-1", VM_RUNNING);
	struct vm *b = mkvm("u2", "state:x", VM_RUNNING);

	(void)state;
	/* "state:" with nothing after is a plain name search. */
	assert_false(vmsel_match(a, "state:"));
	assert_true(vmsel_match(b, "state:"));
	vm_free(a);
	vm_free(b);
}

/* ---- vmsel_compare ---- */

static void
test_sort_key_names(void **state)
{
	(void)state;
	assert_string_equal(sort_key_name(SORT_NAME), "name");
	assert_string_equal(sort_key_name(SORT_MEM), "memory");
	assert_string_equal(sort_key_name(SORT_UPTIME), "uptime");
	assert_string_equal(sort_key_name(SORT_COUNT), "?");
}

static void
test_compare_basic(void **state)
{
	struct host *h = mkhost("test:///default");
	struct vm *a = add(h, mkvm("u1", "aaa", VM_RUNNING));
	struct vm *b = add(h, mkvm("u2", "bbb", VM_RUNNING));
	struct row ra = { .host = h, .vm = a }, rb = { .host = h, .vm = b };

	(void)state;
	a->cpu_pct = 10;
	b->cpu_pct = 90;
	assert_true(vmsel_compare(&ra, &rb, SORT_NAME, false, NOW) < 0);
	assert_true(vmsel_compare(&rb, &ra, SORT_NAME, false, NOW) > 0);
	assert_true(vmsel_compare(&ra, &rb, SORT_NAME, true, NOW) > 0);
	assert_true(vmsel_compare(&ra, &rb, SORT_CPU, false, NOW) < 0);
	assert_true(vmsel_compare(&ra, &rb, SORT_CPU, true, NOW) > 0);
	assert_int_equal(vmsel_compare(&ra, &ra, SORT_CPU, false, NOW), 0);
	host_free(h);
}

static void
test_compare_unknown_last_both_ways(void **state)
{
	struct host *h = mkhost("test:///default");
	struct vm *a = add(h, mkvm("u1", "aaa", VM_SHUTOFF));
	struct vm *b = add(h, mkvm("u2", "bbb", VM_RUNNING));
	struct row ra = { .host = h, .vm = a }, rb = { .host = h, .vm = b };

	(void)state;
	b->cpu_pct = 0;
	/* a is unknown: after b whatever the direction. */
	assert_true(vmsel_compare(&ra, &rb, SORT_CPU, false, NOW) > 0);
	assert_true(vmsel_compare(&ra, &rb, SORT_CPU, true, NOW) > 0);
	assert_true(vmsel_compare(&rb, &ra, SORT_CPU, false, NOW) < 0);
	assert_true(vmsel_compare(&rb, &ra, SORT_CPU, true, NOW) < 0);
	host_free(h);
}

static void
test_compare_ties_by_name_then_host(void **state)
{
	struct host *h1 = mkhost("qemu+ssh://b.example/system");
	struct host *h2 = mkhost("qemu+ssh://a.example/system");
	struct vm *a = add(h1, mkvm("u1", "same", VM_RUNNING));
	struct vm *b = add(h2, mkvm("u1", "same", VM_RUNNING));
	struct vm *c = add(h1, mkvm("u2", "other", VM_RUNNING));
	struct row ra = { .host = h1, .vm = a }, rb = { .host = h2, .vm = b }, rc = { .host = h1, .vm = c };

	(void)state;
	a->cpu_pct = b->cpu_pct = c->cpu_pct = 5;
	/* Equal CPU: by name ascending, in both directions. */
	assert_true(vmsel_compare(&rc, &ra, SORT_CPU, false, NOW) < 0);
	assert_true(vmsel_compare(&rc, &ra, SORT_CPU, true, NOW) < 0);
	/* Same name: by host label. */
	assert_true(vmsel_compare(&rb, &ra, SORT_CPU, false, NOW) < 0);
	assert_true(vmsel_compare(&ra, &rb, SORT_NAME, false, NOW) > 0);
	host_free(h1);
	host_free(h2);
}

/* ---- vmsel_build ---- */

struct fleet {
	struct host *h[2];
	struct row *rows;
	size_t cap;
};

/*
 * name   state    vcpus cpu  mem(KiB) disk(rd+wr) net(rx+tx) uptime
 * delta  running  4     80   4000     100+?       ?+?        100
 * alpha  running  2     20   2000     ?+300       50+50      5000
 * echo   shutoff  0     ?    0        ?           ?          -
 * bravo  paused   1     0    3000     0+0         10+?       20
 * charly running  2     20   1000     10+10       500+500    200   (host 2)
 */
static int
fleet_setup(void **state)
{
	struct fleet *f = calloc(1, sizeof *f);
	struct vm *v;

	f->h[0] = mkhost("test:///default");
	f->h[1] = mkhost("test:///other");

	v = add(f->h[0], mkvm("40000000-0000-0000-0000-000000000000", "delta", VM_RUNNING));
	v->vcpus_cur = 4;
	v->cpu_pct = 80;
	v->mem_used_kib = 4000;
	v->rd_rate = 100;
	set_uptime(v, 100);

	v = add(f->h[0], mkvm("10000000-0000-0000-0000-000000000000", "alpha", VM_RUNNING));
	v->vcpus_cur = 2;
	v->cpu_pct = 20;
	v->mem_used_kib = 2000;
	v->wr_rate = 300;
	v->rx_rate = 50;
	v->tx_rate = 50;
	set_uptime(v, 5000);

	v = add(f->h[0], mkvm("50000000-0000-0000-0000-000000000000", "echo", VM_SHUTOFF));

	v = add(f->h[0], mkvm("20000000-0000-0000-0000-000000000000", "bravo", VM_PAUSED));
	v->vcpus_cur = 1;
	v->cpu_pct = 0;
	v->mem_used_kib = 3000;
	v->rd_rate = 0;
	v->wr_rate = 0;
	v->rx_rate = 10;
	set_uptime(v, 20);

	v = add(f->h[1], mkvm("30000000-0000-0000-0000-000000000000", "charly", VM_RUNNING));
	v->vcpus_cur = 2;
	v->cpu_pct = 20;
	v->mem_used_kib = 1000;
	v->rd_rate = 10;
	v->wr_rate = 10;
	v->rx_rate = 500;
	v->tx_rate = 500;
	set_uptime(v, 200);

	*state = f;
	return 0;
}

static int
fleet_teardown(void **state)
{
	struct fleet *f = *state;

	host_free(f->h[0]);
	host_free(f->h[1]);
	free(f->rows);
	free(f);
	return 0;
}

static const char *
build(struct fleet *f, const char *filter, enum sort_key k, bool rev)
{
	size_t n = vmsel_build(f->h, 2, filter, k, rev, NOW, &f->rows, &f->cap);

	return names(f->rows, n);
}

/* Several hosts: each host's heading, then its guests in sort order. */
static void
test_group_by_host(void **state)
{
	struct fleet *f = *state;
	struct row *g = NULL;
	size_t cap = 0, n, nflat;
	bool collapsed[2] = { false, false };

	nflat = vmsel_build(f->h, 2, NULL, SORT_CPU, true, NOW, &f->rows, &f->cap);
	n = vmsel_group(f->rows, nflat, f->h, 2, collapsed, &g, &cap);
	assert_int_equal(n, 7);
	assert_string_equal(names(g, n), "[test:///default] delta alpha bravo echo "
	                                 "[test:///other] charly");
	collapsed[0] = true;
	n = vmsel_group(f->rows, nflat, f->h, 2, collapsed, &g, &cap);
	assert_string_equal(names(g, n), "[test:///default] [test:///other] charly");
	/* A filter that leaves a host empty keeps its heading. */
	collapsed[0] = false;
	nflat = vmsel_build(f->h, 2, "char", SORT_NAME, false, NOW, &f->rows, &f->cap);
	n = vmsel_group(f->rows, nflat, f->h, 2, NULL, &g, &cap);
	assert_string_equal(names(g, n), "[test:///default] [test:///other] charly");
	free(g);
}

/* Host totals count states and what running guests were given. */
static void
test_host_totals(void **state)
{
	struct fleet *f = *state;
	struct host_totals t;

	f->h[0]->vms[0]->mem_cur_kib = 1000; /* whichever VM sorts first by UUID: alpha */
	vmsel_host_totals(f->h[0], &t);
	assert_int_equal(t.running, 2);
	assert_int_equal(t.paused, 1);
	assert_int_equal(t.off, 1);
	assert_int_equal(t.other, 0);
	/* delta 4 + alpha 2 running + bravo 1 paused (a paused guest keeps its vCPUs). */
	assert_int_equal(t.vcpus_running, 7);
	assert_true(t.mem_running_kib == 1000);
}

static void
test_fleet_sorted_by_uuid(void **state)
{
	struct fleet *f = *state;

	assert_int_equal(f->h[0]->nvms, 4);
	assert_string_equal(f->h[0]->vms[0]->name, "alpha");
	assert_string_equal(f->h[0]->vms[3]->name, "echo");
	host_lock(f->h[0]);
	assert_ptr_equal(host_find_vm(f->h[0], "40000000-0000-0000-0000-000000000000"),
	                 f->h[0]->vms[2]);
	host_unlock(f->h[0]);
}

static void
test_build_by_name(void **state)
{
	struct fleet *f = *state;

	assert_string_equal(build(f, "", SORT_NAME, false), "alpha bravo charly delta echo");
	assert_string_equal(build(f, "", SORT_NAME, true), "echo delta charly bravo alpha");
}

static void
test_build_rows_point_at_hosts(void **state)
{
	struct fleet *f = *state;
	size_t n = vmsel_build(f->h, 2, NULL, SORT_NAME, false, NOW, &f->rows, &f->cap);

	assert_int_equal(n, 5);
	assert_true(f->cap >= 5);
	assert_ptr_equal(f->rows[0].host, f->h[0]); /* alpha */
	assert_ptr_equal(f->rows[2].host, f->h[1]); /* charly */
	assert_string_equal(f->rows[2].vm->name, "charly");
}

static void
test_build_by_state(void **state)
{
	struct fleet *f = *state;

	/* Enum order: running < paused < shutoff; ties by name. */
	assert_string_equal(build(f, "", SORT_STATE, false), "alpha charly delta bravo echo");
	assert_string_equal(build(f, "", SORT_STATE, true), "echo bravo alpha charly delta");
}

static void
test_build_by_vcpus(void **state)
{
	struct fleet *f = *state;

	assert_string_equal(build(f, "", SORT_VCPUS, false), "echo bravo alpha charly delta");
	assert_string_equal(build(f, "", SORT_VCPUS, true), "delta alpha charly bravo echo");
}

static void
test_build_by_cpu(void **state)
{
	struct fleet *f = *state;

	assert_string_equal(build(f, "", SORT_CPU, false), "bravo alpha charly delta echo");
	assert_string_equal(build(f, "", SORT_CPU, true), "delta alpha charly bravo echo");
}

static void
test_build_by_mem(void **state)
{
	struct fleet *f = *state;

	assert_string_equal(build(f, "", SORT_MEM, false), "echo charly alpha bravo delta");
	assert_string_equal(build(f, "", SORT_MEM, true), "delta bravo alpha charly echo");
}

static void
test_build_by_disk(void **state)
{
	struct fleet *f = *state;

	/* alpha 300 (read unknown counts as 0), delta 100, charly 20, bravo 0. */
	assert_string_equal(build(f, "", SORT_DISK, false), "bravo charly delta alpha echo");
	assert_string_equal(build(f, "", SORT_DISK, true), "alpha delta charly bravo echo");
}

static void
test_build_by_net(void **state)
{
	struct fleet *f = *state;

	/* delta and echo unknown: last, by name. */
	assert_string_equal(build(f, "", SORT_NET, false), "bravo alpha charly delta echo");
	assert_string_equal(build(f, "", SORT_NET, true), "charly alpha bravo delta echo");
}

static void
test_build_by_uptime(void **state)
{
	struct fleet *f = *state;

	assert_string_equal(build(f, "", SORT_UPTIME, false), "bravo delta charly alpha echo");
	assert_string_equal(build(f, "", SORT_UPTIME, true), "alpha charly delta bravo echo");
}

static void
test_build_filtered(void **state)
{
	struct fleet *f = *state;

	assert_string_equal(build(f, "a", SORT_NAME, false), "alpha bravo charly delta");
	assert_string_equal(build(f, "state:run", SORT_CPU, true), "delta alpha charly");
	assert_string_equal(build(f, "ch state:run", SORT_NAME, false), "charly");
	assert_string_equal(build(f, "nomatch", SORT_NAME, false), "");
}

static void
test_build_grows_rows(void **state)
{
	struct host *h = mkhost("test:///default");
	struct host *hs[1] = { h };
	struct row *rows = NULL;
	size_t cap = 0, n, i;
	char uuid[VM_UUID_LEN], name[32];

	(void)state;
	for (i = 0; i < 100; i++) {
		snprintf(uuid, sizeof uuid, "%08u-0000-0000-0000-000000000000",
		         (unsigned)(i % 100000000));
		snprintf(name, sizeof name, "vm%03zu", 99 - i);
		add(h, mkvm(uuid, name, VM_RUNNING));
	}
	n = vmsel_build(hs, 1, "", SORT_NAME, false, NOW, &rows, &cap);
	assert_int_equal(n, 100);
	assert_true(cap >= 100);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof name, "vm%03zu", i);
		assert_string_equal(rows[i].vm->name, name);
	}
	/* A second build reuses the rows. */
	n = vmsel_build(hs, 1, "vm05", SORT_NAME, true, NOW, &rows, &cap);
	assert_int_equal(n, 10);
	assert_string_equal(rows[0].vm->name, "vm059");
	assert_string_equal(rows[9].vm->name, "vm050");
	free(rows);
	host_free(h);
}

static void
test_build_no_hosts(void **state)
{
	struct row *rows = NULL;
	size_t cap = 0;

	(void)state;
	assert_int_equal(vmsel_build(NULL, 0, "", SORT_NAME, false, NOW, &rows, &cap), 0);
	assert_null(rows);
	assert_int_equal(cap, 0);
}

/* ---- vmsel_resort ---- */

/* Rows of n guests with made-up figures (deterministic), listed fresh. */
static struct host *
big_host(size_t n, unsigned seed)
{
	struct host *h = mkhost("test:///big");
	char uuid[VM_UUID_LEN], name[32];
	size_t i;

	srand(seed);
	for (i = 0; i < n; i++) {
		struct vm *v;
		snprintf(uuid, sizeof uuid, "%08u-0000-0000-0000-000000000000",
		         (unsigned)(i % 100000000));
		/* Some names repeat: ties fall to the host, then stay equal. */
		snprintf(name, sizeof name, "g%03d", rand() % (int)(n * 3 / 4));
		v = add(h, mkvm(uuid, name, (enum vm_state)(1 + rand() % 5)));
		v->cpu_pct = rand() % 10 == 0 ? STATS_UNKNOWN : rand() % 400 / 4.0;
		v->vcpus_cur = (unsigned)(rand() % 8);
		v->mem_used_kib = (uint64_t)(rand() % 5000);
		v->rd_rate = rand() % 7 == 0 ? STATS_UNKNOWN : rand() % 1000;
		v->rx_rate = rand() % 1000;
		if (rand() % 3 != 0)
			set_uptime(v, rand() % 10000); /* else not running long enough to know */
	}
	return h;
}

/* Resorting rows gives what sorting them from scratch gives: compared as
 * the sort compares (equal rows may be in either order). */
static void
assert_sorted_as_fresh(struct host **hs, struct row *rows, size_t n, enum sort_key k,
                       bool rev)
{
	struct row *fresh = NULL;
	size_t cap = 0, i;

	assert_int_equal(vmsel_build(hs, 1, "", k, rev, NOW, &fresh, &cap), n);
	for (i = 0; i < n; i++)
		assert_int_equal(vmsel_compare(&rows[i], &fresh[i], k, rev, NOW), 0);
	for (i = 1; i < n; i++)
		assert_true(vmsel_compare(&rows[i - 1], &rows[i], k, rev, NOW) <= 0);
	free(fresh);
}

static void
test_resort_after_small_changes(void **state)
{
	struct host *h = big_host(300, 1);
	struct host *hs[1] = { h };
	struct row *rows = NULL;
	size_t cap = 0, n, i;
	int k;

	(void)state;
	for (k = 0; k < SORT_COUNT; k++) {
		n = vmsel_build(hs, 1, "", (enum sort_key)k, k % 2 == 1, NOW, &rows, &cap);
		/* A few figures change, as between two frames. */
		for (i = 0; i < 3; i++) {
			struct vm *v = h->vms[(size_t)rand() % h->nvms];
			v->cpu_pct = rand() % 3 == 0 ? STATS_UNKNOWN : rand() % 400 / 4.0;
			v->mem_used_kib = (uint64_t)(rand() % 5000);
			v->rd_rate = rand() % 1000;
			v->state = (enum vm_state)(1 + rand() % 5);
		}
		vmsel_resort(rows, n, (enum sort_key)k, k % 2 == 1, NOW);
		assert_sorted_as_fresh(hs, rows, n, (enum sort_key)k, k % 2 == 1);
	}
	free(rows);
	host_free(h);
}

static void
test_resort_after_large_changes(void **state)
{
	struct host *h = big_host(300, 2);
	struct host *hs[1] = { h };
	struct row *rows = NULL;
	size_t cap = 0, n;

	(void)state;
	/* Another key, the other direction: everything moves (past the
	 * insertion sort's budget). */
	n = vmsel_build(hs, 1, "", SORT_NAME, false, NOW, &rows, &cap);
	vmsel_resort(rows, n, SORT_NAME, true, NOW);
	assert_sorted_as_fresh(hs, rows, n, SORT_NAME, true);
	vmsel_resort(rows, n, SORT_CPU, false, NOW);
	assert_sorted_as_fresh(hs, rows, n, SORT_CPU, false);
	vmsel_resort(rows, n, SORT_CPU, false, NOW); /* already sorted */
	assert_sorted_as_fresh(hs, rows, n, SORT_CPU, false);
	free(rows);
	host_free(h);
}

static void
test_resort_tiny(void **state)
{
	struct host *h = mkhost("test:///default");
	struct host *hs[1] = { h };
	struct row *rows = NULL;
	size_t cap = 0, n;

	(void)state;
	vmsel_resort(NULL, 0, SORT_NAME, false, NOW);
	add(h, mkvm("10000000-0000-0000-0000-000000000000", "b", VM_RUNNING));
	n = vmsel_build(hs, 1, "", SORT_NAME, false, NOW, &rows, &cap);
	vmsel_resort(rows, n, SORT_NAME, true, NOW);
	assert_string_equal(names(rows, n), "b");
	add(h, mkvm("20000000-0000-0000-0000-000000000000", "a", VM_RUNNING));
	n = vmsel_build(hs, 1, "", SORT_NAME, true, NOW, &rows, &cap);
	assert_string_equal(names(rows, n), "b a");
	vmsel_resort(rows, n, SORT_NAME, false, NOW);
	assert_string_equal(names(rows, n), "a b");
	free(rows);
	host_free(h);
}

/* ---- tags: the filter and the grouping (issue 22) ---- */

static void
set_tags(struct vm *vm, const char *a, const char *b, const char *note)
{
	char *t[2] = { (char *)a, (char *)b };

	vm_set_meta(vm, t, b ? 2 : a ? 1 : 0, note);
}

static void
test_match_tags(void **state)
{
	struct vm *vm = mkvm("u1", "web-1", VM_RUNNING);

	(void)state;
	set_tags(vm, "web", "prod", "Owned by the Ops team");
	assert_true(vmsel_match(vm, "tag:web"));
	assert_true(vmsel_match(vm, "tag:WEB"));
	assert_true(vmsel_match(vm, "tag:prod tag:web"));
	assert_false(vmsel_match(vm, "tag:we"));
	assert_true(vmsel_match(vm, "tag:we*"));
	assert_true(vmsel_match(vm, "tag:*"));
	assert_false(vmsel_match(vm, "tag:db"));
	assert_false(vmsel_match(vm, "tag:web tag:db"));
	assert_true(vmsel_match(vm, "tag:web state:run"));
	assert_true(vmsel_match(vm, "note:ops"));
	assert_false(vmsel_match(vm, "note:dev"));
	/* the name is not a tag, nor a tag a name */
	assert_false(vmsel_match(vm, "prod"));
	set_tags(vm, NULL, NULL, NULL);
	assert_false(vmsel_match(vm, "tag:web"));
	assert_false(vmsel_match(vm, "tag:*"));
	assert_false(vmsel_match(vm, "note:ops"));
	vm_free(vm);
}

static char *
tag_names(const struct row *rows, size_t n)
{
	static char buf[512];
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i)
			strcat(buf, " ");
		if (rows[i].vm == NULL) {
			strcat(buf, "[");
			strcat(buf, rows[i].tag);
			strcat(buf, "]");
		} else {
			strcat(buf, rows[i].vm->name);
		}
	}
	return buf;
}

static void
test_group_by_tag(void **state)
{
	struct host *h1 = mkhost("test:///a"), *h2 = mkhost("test:///b");
	struct host *hs[2] = { h1, h2 };
	struct row *rows = NULL, *out = NULL;
	size_t cap = 0, ocap = 0, n, k;

	(void)state;
	set_tags(add(h1, mkvm("u1", "web-1", VM_RUNNING)), "web", "prod", NULL);
	set_tags(add(h2, mkvm("u2", "web-2", VM_RUNNING)), "web", NULL, NULL);
	set_tags(add(h1, mkvm("u3", "db-1", VM_RUNNING)), "db", "prod", NULL);
	add(h2, mkvm("u4", "lonely", VM_SHUTOFF));
	add(h1, mkvm("u5", "alone", VM_SHUTOFF));
	host_lock(h1);
	host_lock(h2);
	n = vmsel_build(hs, 2, "", SORT_NAME, false, NOW, &rows, &cap);
	assert_int_equal(n, 5);
	k = vmsel_group_tags(rows, n, hs, 2, &out, &ocap);
	/* tags A to Z, each guest under each of its tags, untagged last */
	assert_string_equal(tag_names(out, k),
	                    "[db] db-1 [prod] db-1 web-1 [web] web-1 web-2 [] alone lonely");
	assert_int_equal(vmsel_group_size(out, k, 0), 1);
	assert_int_equal(vmsel_group_size(out, k, 2), 2);
	assert_int_equal(vmsel_group_size(out, k, 8), 2);
	assert_string_equal(out[3].tag, "prod");
	assert_ptr_equal(out[3].host, h1);
	assert_ptr_equal(out[7].host, h2);
	/* filtered: only the groups of the guests shown; no untagged group */
	n = vmsel_build(hs, 2, "tag:prod", SORT_NAME, true, NOW, &rows, &cap);
	k = vmsel_group_tags(rows, n, hs, 2, &out, &ocap);
	assert_string_equal(tag_names(out, k), "[db] db-1 [prod] web-1 db-1 [web] web-1");
	/* nothing shown: no headings */
	n = vmsel_build(hs, 2, "nomatch", SORT_NAME, false, NOW, &rows, &cap);
	assert_int_equal(vmsel_group_tags(rows, n, hs, 2, &out, &ocap), 0);
	host_unlock(h2);
	host_unlock(h1);
	free(rows);
	free(out);
	host_free(h1);
	host_free(h2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match_empty_and_null),
		cmocka_unit_test(test_match_substring_ignoring_case),
		cmocka_unit_test(test_match_terms_and),
		cmocka_unit_test(test_match_state_prefix),
		cmocka_unit_test(test_match_state_and_name),
		cmocka_unit_test(test_match_bare_state_word),
		cmocka_unit_test(test_sort_key_names),
		cmocka_unit_test(test_compare_basic),
		cmocka_unit_test(test_compare_unknown_last_both_ways),
		cmocka_unit_test(test_compare_ties_by_name_then_host),
		cmocka_unit_test_setup_teardown(test_fleet_sorted_by_uuid, fleet_setup, fleet_teardown),
		cmocka_unit_test_setup_teardown(test_build_by_name, fleet_setup, fleet_teardown),
		cmocka_unit_test_setup_teardown(test_group_by_host, fleet_setup, fleet_teardown),
		cmocka_unit_test_setup_teardown(test_host_totals, fleet_setup, fleet_teardown),
		cmocka_unit_test_setup_teardown(test_build_rows_point_at_hosts, fleet_setup, fleet_teardown),
		cmocka_unit_test_setup_teardown(test_build_by_state, fleet_setup, fleet_teardown),
		cmocka_unit_test_setup_teardown(test_build_by_vcpus, fleet_setup, fleet_teardown),
		cmocka_unit_test_setup_teardown(test_build_by_cpu, fleet_setup, fleet_teardown),
		cmocka_unit_test_setup_teardown(test_build_by_mem, fleet_setup, fleet_teardown),
		cmocka_unit_test_setup_teardown(test_build_by_disk, fleet_setup, fleet_teardown),
		cmocka_unit_test_setup_teardown(test_build_by_net, fleet_setup, fleet_teardown),
		cmocka_unit_test_setup_teardown(test_build_by_uptime, fleet_setup, fleet_teardown),
		cmocka_unit_test_setup_teardown(test_build_filtered, fleet_setup, fleet_teardown),
		cmocka_unit_test(test_build_grows_rows),
		cmocka_unit_test(test_build_no_hosts),
		cmocka_unit_test(test_resort_after_small_changes),
		cmocka_unit_test(test_resort_after_large_changes),
		cmocka_unit_test(test_resort_tiny),
		cmocka_unit_test(test_match_tags),
		cmocka_unit_test(test_group_by_tag),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
