/* test_wait.c — WAIT% (vCPU time queued for a host CPU) from the parse of
 * vcpu.N.delay/wait/halted to the rate, the list's sort and the host's
 * worst, `top --batch` and recordings (old ones replay unchanged); and the
 * by-host-CPU table's rates and rows (model/host/cpumap.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/base/xmalloc.h"
#include "model/host/cpumap.h"
#include "model/host/host.h"
#include "model/host/vmsel.h"
#include "model/record/recording.h"
#include "model/record/replay.h"
#include "model/stats/domstats.h"
#include "model/stats/stats.h"
#include "model/stats/vm.h"
#include "tui/app.h"
#include "tui/topfmt.h"

#define U1 "11111111-1111-1111-1111-111111111111"
#define U2 "22222222-2222-2222-2222-222222222222"
#define SEC 1000000000ull

/* ---- the arithmetic ---- */

static void
test_wait_pct(void **state)
{
	(void)state;
	/* 0.5 s queued of one vCPU in 1 s: 50%. */
	assert_true(stats_wait_pct(1 * SEC, 1 * SEC + SEC / 2, 1.0, 1) == 50.0);
	/* Two vCPUs, 1 s queued between them in 2 s: 25% of their time. */
	assert_true(stats_wait_pct(0, SEC, 2.0, 2) == 25.0);
	assert_true(stats_wait_pct(5, 5, 1.0, 1) == 0.0);
	/* Read a hair apart from the clock: never above 100. */
	assert_true(stats_wait_pct(0, 3 * SEC, 2.0, 1) == 100.0);
	/* Unknown: backwards (a vCPU unplugged), no interval, no vCPU. */
	assert_true(stats_wait_pct(2 * SEC, SEC, 1.0, 1) == STATS_UNKNOWN);
	assert_true(stats_wait_pct(0, SEC, 0, 1) == STATS_UNKNOWN);
	assert_true(stats_wait_pct(0, SEC, 1.0, 0) == STATS_UNKNOWN);
}

static void
test_overcommit(void **state)
{
	(void)state;
	assert_true(stats_overcommit(6, 4) == 1.5);
	assert_true(stats_overcommit(0, 4) == 0.0);
	assert_true(stats_overcommit(3, 0) == STATS_UNKNOWN);
}

/* ---- the parse ---- */

#define MAXP 32
struct params {
	virTypedParameter p[MAXP];
	int n;
};

static virTypedParameter *
slot(struct params *ps, const char *field, int type)
{
	virTypedParameter *p;

	assert_true(ps->n < MAXP);
	p = &ps->p[ps->n++];
	memset(p, 0, sizeof *p);
	snprintf(p->field, sizeof p->field, "%s", field);
	p->type = type;
	return p;
}

static void
p_ull(struct params *ps, const char *f, unsigned long long v)
{
	slot(ps, f, VIR_TYPED_PARAM_ULLONG)->value.ul = v;
}

static void
p_int(struct params *ps, const char *f, int v)
{
	slot(ps, f, VIR_TYPED_PARAM_INT)->value.i = v;
}

static void
p_bool(struct params *ps, const char *f, bool v)
{
	slot(ps, f, VIR_TYPED_PARAM_BOOLEAN)->value.b = v;
}

/* What libvirt 9 sends for a running guest's vCPUs (virsh domstats --vcpu). */
static void
running_record(struct params *ps, unsigned long long d0, unsigned long long d1)
{
	memset(ps, 0, sizeof *ps);
	p_int(ps, "state.state", VIR_DOMAIN_RUNNING);
	p_ull(ps, "cpu.time", 5000000000ull);
	p_int(ps, "vcpu.current", 2);
	p_int(ps, "vcpu.maximum", 4);
	p_int(ps, "vcpu.0.state", 1);
	p_ull(ps, "vcpu.0.time", 4280000000ull);
	p_ull(ps, "vcpu.0.wait", 0);
	p_ull(ps, "vcpu.0.delay", d0);
	p_int(ps, "vcpu.1.state", 1);
	p_ull(ps, "vcpu.1.time", 1000000000ull);
	p_ull(ps, "vcpu.1.wait", 0);
	p_ull(ps, "vcpu.1.delay", d1);
}

static void
test_parse_delay(void **state)
{
	struct params ps;
	struct vm_sample s;

	(void)state;
	running_record(&ps, 6851056679ull, 1000ull);
	p_bool(&ps, "vcpu.0.halted", true);
	p_bool(&ps, "vcpu.1.halted", false);
	domstats_parse("g", U1, 1, ps.p, ps.n, &s);
	assert_int_equal(s.vcpus_cur, 2);
	assert_int_equal(s.vcpus_max, 4);
	assert_int_equal(s.vcpus_delay, 2);
	assert_true(s.vcpu_delay_ns == 6851056679ull + 1000ull);
	assert_int_equal(s.vcpus_wait, 2);
	assert_true(s.vcpu_wait_ns == 0);
	assert_true(s.have_halted);
	assert_int_equal(s.vcpus_halted, 1);
	/* A reparse starts the sums afresh. */
	running_record(&ps, 10, 20);
	domstats_reparse("g", U1, 1, ps.p, ps.n, &s);
	assert_true(s.vcpu_delay_ns == 30);
	assert_false(s.have_halted);
	assert_int_equal(s.vcpus_halted, 0);
	vm_sample_clear(&s);
}

/* Older daemons send no delay (only wait, or neither); odd fields and
 * types are ignored. */
static void
test_parse_no_delay(void **state)
{
	struct params ps = { 0 };
	struct vm_sample s;

	(void)state;
	p_int(&ps, "state.state", VIR_DOMAIN_RUNNING);
	p_ull(&ps, "vcpu.0.wait", 700);
	p_ull(&ps, "vcpu.7.wait", 300);
	slot(&ps, "vcpu.1.delay", VIR_TYPED_PARAM_STRING)->value.s = (char *)"x";
	p_ull(&ps, "vcpu.x.delay", 99);
	p_ull(&ps, "vcpu.99999.delay", 99);
	p_ull(&ps, "vcpu.2.delayed", 99);
	domstats_parse("g", U1, 1, ps.p, ps.n, &s);
	assert_int_equal(s.vcpus_delay, 0);
	assert_int_equal(s.vcpus_wait, 2);
	assert_true(s.vcpu_wait_ns == 1000);
	vm_sample_clear(&s);
}

/* ---- merged into the guest ---- */

static struct vm_sample
sample(enum vm_state st, unsigned ndelay, uint64_t delay, unsigned nwait, uint64_t wait)
{
	struct vm_sample s;

	memset(&s, 0, sizeof s);
	s.name = "g";
	snprintf(s.uuid, sizeof s.uuid, "%s", U1);
	s.state = st;
	s.vcpus_cur = 2;
	s.vcpus_delay = ndelay;
	s.vcpu_delay_ns = delay;
	s.vcpus_wait = nwait;
	s.vcpu_wait_ns = wait;
	return s;
}

static void
test_merge(void **state)
{
	struct vm *vm = vm_new(U1, "g", 8);
	struct vm_sample s;
	uint64_t t = 100 * SEC;

	(void)state;
	s = sample(VM_RUNNING, 2, 10 * SEC, 2, 0);
	vm_merge(vm, &s, t);
	assert_true(vm->wait_pct == STATS_UNKNOWN); /* one sample: no rate */
	assert_int_equal(vm->wait_src, VM_WAIT_DELAY);
	assert_int_equal(vm->wait_hist.len, 0);
	assert_int_equal(vm->vcpus_halted, -1);
	/* 1.5 s queued of 2 vCPUs x 2 s: 37.5%. */
	s = sample(VM_RUNNING, 2, 10 * SEC + 3 * SEC / 2, 2, 0);
	vm_merge(vm, &s, t + 2 * SEC);
	assert_true(vm->wait_pct == 37.5);
	assert_int_equal(vm->wait_hist.len, 1);
	assert_true(ring_get(&vm->wait_hist, 0) > 37.4 && ring_get(&vm->wait_hist, 0) < 37.6);
	/* No vCPU figures this time (a NOWAIT call skipped them): unknown,
	 * and the next one too (no same-source pair). */
	s = sample(VM_RUNNING, 0, 0, 0, 0);
	vm_merge(vm, &s, t + 4 * SEC);
	assert_true(vm->wait_pct == STATS_UNKNOWN);
	assert_int_equal(vm->wait_src, VM_WAIT_NONE);
	s = sample(VM_RUNNING, 2, 12 * SEC, 2, 0);
	vm_merge(vm, &s, t + 6 * SEC);
	assert_true(vm->wait_pct == STATS_UNKNOWN);
	/* Only wait (schedstats): taken when delay is missing. */
	s = sample(VM_RUNNING, 0, 0, 2, 1 * SEC);
	vm_merge(vm, &s, t + 8 * SEC);
	assert_int_equal(vm->wait_src, VM_WAIT_SCHED);
	s = sample(VM_RUNNING, 0, 0, 2, 2 * SEC);
	vm_merge(vm, &s, t + 10 * SEC);
	assert_true(vm->wait_pct == 25.0);
	assert_string_equal(vm_wait_src_name(vm->wait_src), "wait");
	/* Shut off: unknown, no point added. */
	s = sample(VM_SHUTOFF, 0, 0, 0, 0);
	vm_merge(vm, &s, t + 12 * SEC);
	assert_true(vm->wait_pct == STATS_UNKNOWN);
	assert_int_equal(vm->wait_hist.len, 2);
	/* Started again: the counters start over, no rate from the old ones. */
	s = sample(VM_RUNNING, 2, 1000, 0, 0);
	vm_merge(vm, &s, t + 14 * SEC);
	assert_true(vm->wait_pct == STATS_UNKNOWN);
	vm_free(vm);
}

/* The host's worst guest and the list sorted by WAIT%. */
static struct vm *
guest(struct host *h, const char *uuid, const char *name, enum vm_state st, double wait)
{
	struct vm *vm = vm_new(uuid, name, 4);

	vm->state = st;
	vm->vcpus_cur = 2;
	vm->wait_pct = wait;
	h->vms = xreallocarray(h->vms, h->nvms + 1, sizeof *h->vms);
	h->vms[h->nvms++] = vm;
	return vm;
}

static void
test_worst_and_sort(void **state)
{
	struct host *h = host_new(&(struct host_opts){ .name = "lab" });
	struct host_totals t;
	struct row ra, rb, rc;

	(void)state;
	guest(h, U1, "calm", VM_RUNNING, 1.5);
	guest(h, U2, "busy", VM_RUNNING, 62.0);
	guest(h, "33333333-3333-3333-3333-333333333333", "off", VM_SHUTOFF, 99.0);
	host_lock(h);
	vmsel_host_totals(h, &t);
	host_unlock(h);
	assert_string_equal(t.wait_worst_name, "busy");
	assert_true(t.wait_worst == 62.0);
	assert_int_equal(t.vcpus_running, 4);
	ra = (struct row){ .host = h, .vm = h->vms[0] };
	rb = (struct row){ .host = h, .vm = h->vms[1] };
	rc = (struct row){ .host = h, .vm = h->vms[2] };
	/* Reversed (as the key first sorts numbers): biggest first; a guest
	 * not running (no figure) last either way. */
	assert_true(vmsel_compare(&rb, &ra, SORT_WAIT, false, 0) > 0);
	assert_true(vmsel_compare(&rb, &ra, SORT_WAIT, true, 0) < 0);
	assert_true(vmsel_compare(&rc, &ra, SORT_WAIT, false, 0) > 0);
	assert_true(vmsel_compare(&rc, &ra, SORT_WAIT, true, 0) > 0);
	assert_string_equal(sort_key_name(SORT_WAIT), "wait");
	/* No guest with a figure: no worst. */
	h->vms[0]->wait_pct = h->vms[1]->wait_pct = STATS_UNKNOWN;
	host_lock(h);
	vmsel_host_totals(h, &t);
	host_unlock(h);
	assert_null(t.wait_worst_name);
	host_free(h);
}

/* The host's line: its worst guest and vCPUs per CPU, in the warning
 * colour above wait_warn; nothing of it before any guest has a WAIT%. */
static void
test_host_line(void **state)
{
	struct host *h = host_new(&(struct host_opts){ .uri = "qemu:///system", .name = "lab" });
	char line[512];
	enum color c;

	(void)state;
	h->state = HOST_UP;
	h->uri = xstrdup("qemu:///system");
	h->cpus = 4;
	h->mem_total_kib = 8 * 1024 * 1024;
	h->mem_free_kib = 6 * 1024 * 1024;
	guest(h, U1, "calm", VM_RUNNING, 4.0);
	guest(h, U2, "busy", VM_RUNNING, 6.5);
	host_lock(h);
	c = app_host_summary(h, line, sizeof line);
	host_unlock(h);
	assert_int_equal(c, C_HEADER);
	assert_non_null(strstr(line, " off  Wait 6.5% busy, vCPU/CPU 1.0x"));
	h->vms[1]->wait_pct = 62.0;
	host_lock(h);
	c = app_host_summary(h, line, sizeof line);
	host_unlock(h);
	assert_int_equal(c, C_WARNING);
	assert_non_null(strstr(line, "Wait 62.0% busy, vCPU/CPU 1.0x"));
	app_wait_warn = 70;
	host_lock(h);
	c = app_host_summary(h, line, sizeof line);
	host_unlock(h);
	assert_int_equal(c, C_HEADER);
	app_wait_warn = APP_WAIT_WARN_DEFAULT;
	h->vms[0]->wait_pct = h->vms[1]->wait_pct = STATS_UNKNOWN;
	host_lock(h);
	app_host_summary(h, line, sizeof line);
	host_unlock(h);
	assert_null(strstr(line, "Wait"));
	host_free(h);
}

/* ---- top --batch ---- */

static char *
record_text(enum top_format fmt, const struct top_rec *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	topfmt_header(f, fmt);
	topfmt_record(f, fmt, r);
	fclose(f);
	return buf;
}

static void
test_top(void **state)
{
	struct vm *vm = vm_new(U1, "web", 4);
	struct top_rec r;
	char *out;

	(void)state;
	vm->state = VM_RUNNING;
	vm->wait_pct = 12.75;
	topfmt_from_vm(&r, "lab", vm, 1795530192.5, 0);
	out = record_text(TOP_JSON, &r);
	assert_non_null(strstr(out, ",\"wait_pct\":12.75}"));
	free(out);
	out = record_text(TOP_CSV, &r);
	assert_non_null(strstr(out, ",uptime,wait_pct\r\n"));
	assert_non_null(strstr(out, ",12.75\r\n"));
	free(out);
	out = record_text(TOP_TEXT, &r);
	assert_non_null(strstr(out, " UPTIME  WAIT%\n"));
	assert_non_null(strstr(out, "   12.8\n"));
	free(out);
	/* Not running: null, empty, "-". */
	vm->state = VM_SHUTOFF;
	topfmt_from_vm(&r, "lab", vm, 1795530192.5, 0);
	out = record_text(TOP_JSON, &r);
	assert_non_null(strstr(out, ",\"wait_pct\":null}"));
	free(out);
	vm_free(vm);
}

/* ---- recordings ---- */

static char dir[64];

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/vmtui-wait-test.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int
teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);

	(void)state;
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	free(cmd);
	return 0;
}

static char *
write_file(const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

#define HEADER "{\"vmtui-recording\":1,\"program\":\"vmtui 0.1.0\",\"started\":" \
	"\"2026-11-24T14:23:10Z\",\"epoch\":1795530190.316,\"interval\":2.000}\n"

/* Put sample i of rec into a fresh replay host; its guest 0 returned. */
static struct host *
replayed(const struct recording *rec, size_t i)
{
	struct host *h = host_new(&(struct host_opts){ .name = "lab", .history = 8,
	                                                .replay = true });

	host_lock(h);
	replay_apply(h, &rec->samples[i], 5000 * SEC);
	host_publish_unlock(h);
	return h;
}

static void
test_recording_round_trip(void **state)
{
	struct host *h = host_new(&(struct host_opts){ .name = "lab", .history = 8 }), *rh;
	struct recording rec;
	char *line, *text, *path;

	(void)state;
	guest(h, U1, "busy", VM_RUNNING, 42.25);
	guest(h, U2, "off", VM_SHUTOFF, STATS_UNKNOWN);
	h->cpus = 2;
	line = recording_host_line(h, 1795530192.25, 5000 * SEC);
	assert_non_null(strstr(line, "\"wait_pct\":42.25"));
	assert_non_null(strstr(line, "\"wait_pct\":null"));
	text = xasprintf(HEADER "%s", line);
	path = write_file("new.jsonl", text);
	assert_int_equal(recording_read(path, &rec), 0);
	assert_int_equal(rec.nerrors, 0);
	assert_true(rec.samples[0].vms[0].wait_pct == 42.25);
	assert_true(rec.samples[0].vms[1].wait_pct < 0);
	rh = replayed(&rec, 0);
	assert_true(rh->vms[0]->wait_pct == 42.25);
	assert_int_equal(rh->vms[0]->wait_hist.len, 1);
	host_free(rh);
	recording_free(&rec);
	free(path);
	free(text);
	free(line);
	host_free(h);
}

/* A line written before WAIT% existed (no "wait_pct"): read without an
 * error, the figure unknown, no graph point; a bad one is refused. */
static void
test_recording_old(void **state)
{
	static const char old[] = HEADER
		"{\"t\":1795530192.500,\"host\":\"h1\",\"uri\":\"qemu:///system\",\"cpus\":2,"
		"\"mem_total\":2147483648,\"mem_free\":1073741824,\"cpu_pct\":12.50,\"vms\":["
		"{\"name\":\"web\",\"uuid\":\"" U1 "\",\"state\":\"running\",\"id\":3,"
		"\"vcpus\":2,\"vcpus_max\":4,\"mem_alloc\":1048576,\"mem_max\":2097152,"
		"\"mem_used\":524288,\"mem_from_guest\":true,\"cpu_pct\":50.25,"
		"\"disk_rd_bps\":100.0,\"disk_wr_bps\":200.0,\"disk_rd_ops\":1.0,"
		"\"disk_wr_ops\":2.0,\"net_rx_bps\":300.0,\"net_tx_bps\":400.0,\"uptime\":60,"
		"\"autostart\":true,\"persistent\":true,\"disks\":[],\"nics\":[]}]}\n";
	struct recording rec;
	struct host *rh;
	char *path = write_file("old.jsonl", old), *bad, *bpath;

	(void)state;
	assert_int_equal(recording_read(path, &rec), 0);
	assert_int_equal(rec.nerrors, 0);
	assert_int_equal(rec.n, 1);
	assert_true(rec.samples[0].vms[0].cpu_pct == 50.25);
	assert_true(rec.samples[0].vms[0].wait_pct < 0);
	rh = replayed(&rec, 0);
	assert_true(rh->vms[0]->cpu_pct == 50.25);
	assert_true(rh->vms[0]->wait_pct < 0);
	assert_int_equal(rh->vms[0]->wait_hist.len, 0);
	assert_int_equal(rh->vms[0]->cpu_hist.len, 1);
	host_free(rh);
	recording_free(&rec);
	/* "wait_pct" that is no number: that line is an error, named. */
	bad = xasprintf("%.*s,\"wait_pct\":\"high\"}]}\n", (int)(strlen(old) - 4), old);
	bpath = write_file("bad.jsonl", bad);
	assert_int_equal(recording_read(bpath, &rec), 0);
	assert_int_equal(rec.n, 0);
	assert_int_equal(rec.nerrors, 1);
	assert_non_null(strstr(rec.errors[0], "\"wait_pct\" should be a number"));
	recording_free(&rec);
	free(bad);
	free(bpath);
	free(path);
}

/* ---- by host CPU ---- */

static void
add_vcpu(struct cpumap_sample *s, size_t guest, unsigned n, int cpu, uint64_t t, int pinned)
{
	struct cpumap_vcpu *v;

	s->vcpus = xreallocarray(s->vcpus, s->nvcpus + 1, sizeof *s->vcpus);
	v = &s->vcpus[s->nvcpus++];
	memset(v, 0, sizeof *v);
	v->guest = guest;
	v->vcpu = n;
	v->cpu = cpu;
	v->running = true;
	v->cpu_time_ns = t;
	v->pinned_cpu = pinned;
	v->npinned = pinned >= 0 ? 1 : 4;
	v->pct = STATS_UNKNOWN;
}

static void
add_guest(struct cpumap_sample *s, const char *uuid, const char *name)
{
	s->guests = xreallocarray(s->guests, s->nguests + 1, sizeof *s->guests);
	s->guests[s->nguests].name = xstrdup(name);
	snprintf(s->guests[s->nguests].uuid, sizeof s->guests[0].uuid, "%s", uuid);
	s->nguests++;
}

static void
test_cpumap(void **state)
{
	struct cpumap_sample prev = { 0 }, cur = { 0 };
	struct cpumap_row *rows;
	size_t n;

	(void)state;
	prev.host_cpus = cur.host_cpus = 4;
	prev.taken_ns = 10 * SEC;
	cur.taken_ns = 12 * SEC;
	/* prev: web's 2 vCPUs and db's 1; guests in another order in cur. */
	add_guest(&prev, U1, "web");
	add_guest(&prev, U2, "db");
	add_vcpu(&prev, 0, 0, 1, 1 * SEC, -1);
	add_vcpu(&prev, 0, 1, 1, 5 * SEC, -1);
	add_vcpu(&prev, 1, 0, 3, 0, 1);
	add_guest(&cur, U2, "db");
	add_guest(&cur, U1, "web");
	add_vcpu(&cur, 1, 0, 1, 2 * SEC, -1);        /* web/0: 1 s in 2 s: 50% */
	add_vcpu(&cur, 1, 1, 1, 5 * SEC + SEC / 2, -1); /* web/1: 25% */
	add_vcpu(&cur, 0, 0, 1, 2 * SEC, 1);         /* db/0: 100%, pinned to 1 */
	add_vcpu(&cur, 1, 2, 6, 7 * SEC, -1);        /* hot-plugged: unknown; CPU 6 */
	cpumap_rates(&cur, &prev);
	assert_true(cur.vcpus[0].pct == 50.0);
	assert_true(cur.vcpus[1].pct == 25.0);
	assert_true(cur.vcpus[2].pct == 100.0);
	assert_true(cur.vcpus[3].pct == STATS_UNKNOWN);
	rows = cpumap_rows(&cur, &n);
	assert_int_equal(n, 7); /* CPUs 0-3, and up to the 6 a vCPU ran on */
	assert_int_equal(rows[0].nvcpus, 0);
	assert_true(rows[0].load == STATS_UNKNOWN);
	assert_string_equal(rows[0].guests, "");
	assert_int_equal(rows[1].cpu, 1);
	assert_int_equal(rows[1].nvcpus, 3);
	assert_int_equal(rows[1].npinned, 1);
	assert_true(rows[1].load == 175.0);
	assert_string_equal(rows[1].guests, "db/0 web/0 web/1");
	assert_int_equal(rows[6].nvcpus, 1);
	assert_true(rows[6].load == STATS_UNKNOWN);
	assert_string_equal(rows[6].guests, "web/2");
	cpumap_rows_free(rows, n);
	/* No previous sample: every rate unknown. */
	cpumap_rates(&cur, NULL);
	assert_true(cur.vcpus[0].pct == STATS_UNKNOWN);
	cpumap_sample_clear(&prev);
	cpumap_sample_clear(&cur);
	assert_int_equal(cur.nvcpus, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wait_pct),
		cmocka_unit_test(test_overcommit),
		cmocka_unit_test(test_parse_delay),
		cmocka_unit_test(test_parse_no_delay),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_worst_and_sort),
		cmocka_unit_test(test_host_line),
		cmocka_unit_test(test_top),
		cmocka_unit_test(test_recording_round_trip),
		cmocka_unit_test(test_recording_old),
		cmocka_unit_test(test_cpumap),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
