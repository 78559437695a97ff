/* test_domstats.c — model/stats/domstats.h: one bulk-stats record to a vm_sample. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "model/stats/domstats.h"

#define UUID "0b5c3e0e-2222-4d4d-9999-00000000000a"
#define MAXP 64

/* Typed parameters built by hand, as virConnectGetAllDomainStats returns. */
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
p_int(struct params *ps, const char *f, int v)
{
	slot(ps, f, VIR_TYPED_PARAM_INT)->value.i = v;
}

static void
p_uint(struct params *ps, const char *f, unsigned v)
{
	slot(ps, f, VIR_TYPED_PARAM_UINT)->value.ui = v;
}

static void
p_llong(struct params *ps, const char *f, long long v)
{
	slot(ps, f, VIR_TYPED_PARAM_LLONG)->value.l = v;
}

static void
p_ull(struct params *ps, const char *f, unsigned long long v)
{
	slot(ps, f, VIR_TYPED_PARAM_ULLONG)->value.ul = v;
}

static void
p_str(struct params *ps, const char *f, const char *v)
{
	/* The parser only reads the string; it never frees it. */
	slot(ps, f, VIR_TYPED_PARAM_STRING)->value.s = (char *)v;
}

static void
p_double(struct params *ps, const char *f, double v)
{
	slot(ps, f, VIR_TYPED_PARAM_DOUBLE)->value.d = v;
}

static void
p_bool(struct params *ps, const char *f, int v)
{
	slot(ps, f, VIR_TYPED_PARAM_BOOLEAN)->value.b = (char)v;
}

static void
parse(struct params *ps, struct vm_sample *s)
{
	domstats_parse("guest-a", UUID, 3, ps->p, ps->n, s);
}

/* ---- state mapping ---- */

static void
test_state_mapping(void **state)
{
	(void)state;
	assert_int_equal(domstats_state(VIR_DOMAIN_NOSTATE), VM_NOSTATE);
	assert_int_equal(domstats_state(VIR_DOMAIN_RUNNING), VM_RUNNING);
	assert_int_equal(domstats_state(VIR_DOMAIN_BLOCKED), VM_BLOCKED);
	assert_int_equal(domstats_state(VIR_DOMAIN_PAUSED), VM_PAUSED);
	assert_int_equal(domstats_state(VIR_DOMAIN_SHUTDOWN), VM_SHUTDOWN);
	assert_int_equal(domstats_state(VIR_DOMAIN_SHUTOFF), VM_SHUTOFF);
	assert_int_equal(domstats_state(VIR_DOMAIN_CRASHED), VM_CRASHED);
	assert_int_equal(domstats_state(VIR_DOMAIN_PMSUSPENDED), VM_PMSUSPENDED);
	assert_int_equal(domstats_state(99), VM_NOSTATE);
	assert_int_equal(domstats_state(-1), VM_NOSTATE);
}

/* ---- whole records ---- */

static void
test_empty_record(void **state)
{
	struct vm_sample s;

	(void)state;
	domstats_parse("guest-a", UUID, -1, NULL, 0, &s);
	assert_string_equal(s.name, "guest-a");
	assert_string_equal(s.uuid, UUID);
	assert_int_equal(s.id, -1);
	assert_int_equal(s.state, VM_NOSTATE);
	assert_false(s.have_cpu);
	assert_false(s.have_balloon_cur);
	assert_false(s.have_avail);
	assert_int_equal(s.ndisks, 0);
	assert_int_equal(s.nnics, 0);
	vm_sample_clear(&s);
}

static void
test_full_record(void **state)
{
	struct params ps = { .n = 0 };
	struct vm_sample s;

	(void)state;
	p_int(&ps, "state.state", VIR_DOMAIN_RUNNING);
	p_int(&ps, "state.reason", 1);
	p_ull(&ps, "cpu.time", 123456789012ull);
	p_ull(&ps, "cpu.user", 1);
	p_ull(&ps, "balloon.current", 2097152);
	p_ull(&ps, "balloon.maximum", 4194304);
	p_ull(&ps, "balloon.available", 2000000);
	p_ull(&ps, "balloon.unused", 500000);
	p_ull(&ps, "balloon.usable", 1200000);
	p_ull(&ps, "balloon.rss", 1900000);
	p_uint(&ps, "vcpu.current", 2);
	p_uint(&ps, "vcpu.maximum", 8);
	p_uint(&ps, "block.count", 2);
	p_str(&ps, "block.0.name", "vda");
	p_str(&ps, "block.0.path", "/var/lib/libvirt/images/a.qcow2");
	p_ull(&ps, "block.0.rd.reqs", 100);
	p_ull(&ps, "block.0.rd.bytes", 4096000);
	p_ull(&ps, "block.0.wr.bytes", 8192000);
	p_ull(&ps, "block.0.capacity", 21474836480ull);
	p_ull(&ps, "block.0.allocation", 3221225472ull);
	p_ull(&ps, "block.0.physical", 5368709120ull);
	p_str(&ps, "block.1.name", "sda");
	p_ull(&ps, "block.1.rd.bytes", 512);
	p_ull(&ps, "block.1.wr.bytes", 0);
	p_uint(&ps, "net.count", 1);
	p_str(&ps, "net.0.name", "vnet3");
	p_ull(&ps, "net.0.rx.bytes", 1000);
	p_ull(&ps, "net.0.rx.pkts", 10);
	p_ull(&ps, "net.0.tx.bytes", 2000);
	parse(&ps, &s);

	assert_string_equal(s.name, "guest-a");
	assert_string_equal(s.uuid, UUID);
	assert_int_equal(s.id, 3);
	assert_int_equal(s.state, VM_RUNNING);
	assert_int_equal(s.reason, 1);
	assert_true(s.have_cpu);
	assert_int_equal(s.cpu_time_ns, 123456789012ull);
	assert_int_equal(s.vcpus_cur, 2);
	assert_int_equal(s.vcpus_max, 8);
	assert_true(s.have_balloon_cur && s.have_balloon_max);
	assert_int_equal(s.mem_cur_kib, 2097152);
	assert_int_equal(s.mem_max_kib, 4194304);
	assert_true(s.have_avail && s.have_unused && s.have_usable && s.have_rss);
	assert_int_equal(s.mem_avail_kib, 2000000);
	assert_int_equal(s.mem_unused_kib, 500000);
	assert_int_equal(s.mem_usable_kib, 1200000);
	assert_int_equal(s.mem_rss_kib, 1900000);

	assert_int_equal(s.ndisks, 2);
	assert_string_equal(s.disks[0].name, "vda");
	assert_string_equal(s.disks[0].path, "/var/lib/libvirt/images/a.qcow2");
	assert_true(s.disks[0].have_rd && s.disks[0].have_wr && s.disks[0].have_capacity);
	assert_int_equal(s.disks[0].rd, 4096000);
	assert_int_equal(s.disks[0].wr, 8192000);
	assert_int_equal(s.disks[0].capacity, 21474836480ull);
	assert_int_equal(s.disks[0].allocation, 3221225472ull);
	assert_int_equal(s.disks[0].physical, 5368709120ull);
	assert_int_equal(s.disks[1].physical, 0);
	assert_string_equal(s.disks[1].name, "sda");
	assert_null(s.disks[1].path);
	assert_int_equal(s.disks[1].rd, 512);
	assert_true(s.disks[1].have_wr);
	assert_false(s.disks[1].have_capacity);

	assert_int_equal(s.nnics, 1);
	assert_string_equal(s.nics[0].name, "vnet3");
	assert_int_equal(s.nics[0].rd, 1000);
	assert_int_equal(s.nics[0].wr, 2000);
	assert_true(s.nics[0].have_rd && s.nics[0].have_wr);
	vm_sample_clear(&s);
}

static void
test_shutoff_record(void **state)
{
	struct params ps = { .n = 0 };
	struct vm_sample s;

	(void)state;
	p_int(&ps, "state.state", VIR_DOMAIN_SHUTOFF);
	p_int(&ps, "state.reason", 5);
	p_ull(&ps, "balloon.current", 1048576);
	p_ull(&ps, "balloon.maximum", 1048576);
	p_uint(&ps, "vcpu.current", 1);
	p_uint(&ps, "vcpu.maximum", 1);
	p_uint(&ps, "block.count", 1);
	p_str(&ps, "block.0.name", "vda");
	p_str(&ps, "block.0.path", "/img/b.qcow2");
	p_ull(&ps, "block.0.capacity", 1000);
	parse(&ps, &s);
	assert_int_equal(s.state, VM_SHUTOFF);
	assert_int_equal(s.reason, 5);
	assert_false(s.have_cpu);
	/* A named disk without counters is kept (the detail view lists it). */
	assert_int_equal(s.ndisks, 1);
	assert_string_equal(s.disks[0].name, "vda");
	assert_false(s.disks[0].have_rd);
	assert_true(s.disks[0].have_capacity);
	vm_sample_clear(&s);
}

/* ---- devices ---- */

static void
test_sparse_indexes(void **state)
{
	struct params ps = { .n = 0 };
	struct vm_sample s;

	(void)state;
	p_uint(&ps, "block.count", 2);
	p_str(&ps, "block.0.name", "vda");
	p_ull(&ps, "block.0.rd.bytes", 1);
	p_str(&ps, "block.3.name", "vdd");
	p_ull(&ps, "block.3.rd.bytes", 4);
	parse(&ps, &s);
	/* Indexes 1 and 2 never appeared: no phantom devices. */
	assert_int_equal(s.ndisks, 2);
	assert_string_equal(s.disks[0].name, "vda");
	assert_string_equal(s.disks[1].name, "vdd");
	assert_int_equal(s.disks[1].rd, 4);
	vm_sample_clear(&s);
}

static void
test_out_of_order_fields(void **state)
{
	struct params ps = { .n = 0 };
	struct vm_sample s;

	(void)state;
	p_ull(&ps, "net.1.tx.bytes", 22);
	p_ull(&ps, "net.0.rx.bytes", 10);
	p_str(&ps, "net.1.name", "vnet1");
	p_str(&ps, "net.0.name", "vnet0");
	p_ull(&ps, "net.1.rx.bytes", 21);
	parse(&ps, &s);
	assert_int_equal(s.nnics, 2);
	assert_string_equal(s.nics[0].name, "vnet0");
	assert_int_equal(s.nics[0].rd, 10);
	assert_false(s.nics[0].have_wr);
	assert_string_equal(s.nics[1].name, "vnet1");
	assert_int_equal(s.nics[1].rd, 21);
	assert_int_equal(s.nics[1].wr, 22);
	vm_sample_clear(&s);
}

static void
test_unnamed_devices_fallback_names(void **state)
{
	struct params ps = { .n = 0 };
	struct vm_sample s;

	(void)state;
	p_ull(&ps, "block.0.rd.bytes", 5);
	p_ull(&ps, "block.2.wr.bytes", 6);
	p_ull(&ps, "net.1.tx.bytes", 7);
	parse(&ps, &s);
	assert_int_equal(s.ndisks, 2);
	assert_string_equal(s.disks[0].name, "disk0");
	assert_int_equal(s.disks[0].rd, 5);
	assert_string_equal(s.disks[1].name, "disk2"); /* named by its index */
	assert_int_equal(s.disks[1].wr, 6);
	assert_int_equal(s.nnics, 1);
	assert_string_equal(s.nics[0].name, "net1");
	assert_int_equal(s.nics[0].wr, 7);
	vm_sample_clear(&s);
}

static void
test_devices_with_nothing_dropped(void **state)
{
	struct params ps = { .n = 0 };
	struct vm_sample s;

	(void)state;
	/* No name and no counters: nothing to show, even with a path. */
	p_str(&ps, "block.0.path", "/img/orphan.qcow2");
	p_ull(&ps, "block.0.capacity", 100);
	p_ull(&ps, "block.1.rd.reqs", 9);
	p_ull(&ps, "net.0.rx.pkts", 3);
	parse(&ps, &s);
	assert_int_equal(s.ndisks, 0);
	assert_int_equal(s.nnics, 0);
	vm_sample_clear(&s); /* the dropped path must not leak */
}

static void
test_non_integer_types_ignored(void **state)
{
	struct params ps = { .n = 0 };
	struct vm_sample s;

	(void)state;
	p_double(&ps, "cpu.time", 12.5);
	p_str(&ps, "state.state", "running");
	p_bool(&ps, "vcpu.current", 1);
	p_double(&ps, "balloon.current", 1e6);
	p_double(&ps, "block.0.rd.bytes", 77.0);
	p_str(&ps, "block.0.wr.bytes", "88");
	p_ull(&ps, "block.1.rd.bytes", 9);
	p_ull(&ps, "net.0.name", 5); /* a name that is not a string */
	p_ull(&ps, "net.0.rx.bytes", 50);
	parse(&ps, &s);
	assert_false(s.have_cpu);
	assert_int_equal(s.cpu_time_ns, 0);
	assert_int_equal(s.state, VM_NOSTATE);
	assert_int_equal(s.vcpus_cur, 0);
	assert_false(s.have_balloon_cur);
	/* block.0 got nothing usable and is dropped. */
	assert_int_equal(s.ndisks, 1);
	assert_string_equal(s.disks[0].name, "disk1");
	assert_int_equal(s.disks[0].rd, 9);
	assert_int_equal(s.nnics, 1);
	assert_string_equal(s.nics[0].name, "net0");
	assert_int_equal(s.nics[0].rd, 50);
	vm_sample_clear(&s);
}

static void
test_integer_widths(void **state)
{
	struct params ps = { .n = 0 };
	struct vm_sample s;

	(void)state;
	p_uint(&ps, "state.state", VIR_DOMAIN_PAUSED);
	p_llong(&ps, "cpu.time", 5000000000ll);
	p_int(&ps, "vcpu.current", 3);
	p_llong(&ps, "block.0.rd.bytes", -5); /* negative counters read as 0 */
	p_int(&ps, "block.0.wr.bytes", -1);
	p_str(&ps, "block.0.name", "hda");
	p_uint(&ps, "net.0.rx.bytes", 4000000000u);
	p_str(&ps, "net.0.name", "tap0");
	parse(&ps, &s);
	assert_int_equal(s.state, VM_PAUSED);
	assert_true(s.have_cpu);
	assert_int_equal(s.cpu_time_ns, 5000000000ull);
	assert_int_equal(s.vcpus_cur, 3);
	assert_int_equal(s.disks[0].rd, 0);
	assert_int_equal(s.disks[0].wr, 0);
	assert_true(s.disks[0].have_rd);
	assert_int_equal(s.nics[0].rd, 4000000000ull);
	vm_sample_clear(&s);
}

static void
test_malformed_device_keys(void **state)
{
	struct params ps = { .n = 0 };
	struct vm_sample s;

	(void)state;
	p_ull(&ps, "block.x.rd.bytes", 1);    /* not an index */
	p_ull(&ps, "block.-1.rd.bytes", 1);   /* not an index */
	p_ull(&ps, "block.9999.rd.bytes", 1); /* absurd index */
	p_ull(&ps, "block.0", 1);             /* nothing after the index */
	p_ull(&ps, "blockx.0.rd.bytes", 1);   /* another prefix */
	p_ull(&ps, "network.0.rx.bytes", 1);
	parse(&ps, &s);
	assert_int_equal(s.ndisks, 0);
	assert_int_equal(s.nnics, 0);
	vm_sample_clear(&s);
}

static void
test_unknown_fields_ignored(void **state)
{
	struct params ps = { .n = 0 };
	struct vm_sample s;

	(void)state;
	p_ull(&ps, "vcpu.0.state", 1);
	p_ull(&ps, "vcpu.0.time", 1000);
	p_ull(&ps, "balloon.swap_in", 3);
	p_ull(&ps, "block.0.fl.reqs", 3);
	p_str(&ps, "block.0.name", "vda");
	p_ull(&ps, "block.0.physical", 77);
	parse(&ps, &s);
	assert_int_equal(s.vcpus_cur, 0);
	assert_false(s.have_avail);
	assert_int_equal(s.ndisks, 1);
	assert_int_equal(s.disks[0].rd, 0);
	assert_false(s.disks[0].have_rd);
	assert_int_equal(s.disks[0].capacity, 0);
	vm_sample_clear(&s);
}

static void
test_repeated_name_keeps_last(void **state)
{
	struct params ps = { .n = 0 };
	struct vm_sample s;

	(void)state;
	p_str(&ps, "block.0.name", "vda");
	p_str(&ps, "block.0.name", "vdb");
	p_str(&ps, "block.0.path", "/a");
	p_str(&ps, "block.0.path", "/b");
	parse(&ps, &s);
	assert_int_equal(s.ndisks, 1);
	assert_string_equal(s.disks[0].name, "vdb");
	assert_string_equal(s.disks[0].path, "/b");
	vm_sample_clear(&s); /* and the replaced strings do not leak */
}

static void
test_parse_overwrites_output(void **state)
{
	struct params ps = { .n = 0 };
	struct vm_sample s;

	(void)state;
	memset(&s, 0xA5, sizeof s); /* garbage in: the parser starts clean */
	p_int(&ps, "state.state", VIR_DOMAIN_CRASHED);
	parse(&ps, &s);
	assert_int_equal(s.state, VM_CRASHED);
	assert_false(s.have_cpu);
	assert_int_equal(s.ndisks, 0);
	assert_null(s.disks);
	vm_sample_clear(&s);
}

static void
test_long_uuid_truncated(void **state)
{
	struct vm_sample s;
	char uuid[64];

	(void)state;
	memset(uuid, 'f', sizeof uuid - 1);
	uuid[sizeof uuid - 1] = '\0';
	domstats_parse("x", uuid, 1, NULL, 0, &s);
	assert_int_equal(strlen(s.uuid), VM_UUID_LEN - 1);
	vm_sample_clear(&s);
}

/* ---- parsing again into the same sample ---- */

static void
test_strings_point_into_record(void **state)
{
	struct params ps = { .n = 0 };
	struct vm_sample s;
	char name[] = "guest-z";

	(void)state;
	p_str(&ps, "block.0.name", "vda");
	p_str(&ps, "block.0.path", "/img/a.qcow2");
	domstats_parse(name, UUID, 1, ps.p, ps.n, &s);
	/* Nothing copied: the record's strings, read before it is freed. */
	assert_ptr_equal(s.name, name);
	assert_ptr_equal(s.disks[0].name, ps.p[0].value.s);
	assert_ptr_equal(s.disks[0].path, ps.p[1].value.s);
	vm_sample_clear(&s);
}

static void
test_reparse_leaves_nothing_stale(void **state)
{
	struct params a = { .n = 0 }, b = { .n = 0 };
	struct vm_sample s;
	struct dev_sample *disks;

	(void)state;
	p_int(&a, "state.state", VIR_DOMAIN_RUNNING);
	p_ull(&a, "cpu.time", 1000);
	p_ull(&a, "balloon.available", 500);
	p_uint(&a, "vcpu.current", 2);
	p_str(&a, "block.0.name", "vda");
	p_str(&a, "block.0.path", "/img/a.qcow2");
	p_ull(&a, "block.0.rd.bytes", 10);
	p_ull(&a, "block.0.capacity", 100);
	p_str(&a, "block.1.name", "vdb");
	p_ull(&a, "block.1.wr.bytes", 20);
	p_str(&a, "net.0.name", "vnet0");
	p_ull(&a, "net.0.tx.pkts", 30);
	domstats_parse("guest-a", UUID, 3, a.p, a.n, &s);
	assert_int_equal(s.ndisks, 2);
	disks = s.disks;

	/* A paused guest with one unnamed disk and no NIC this time. */
	p_int(&b, "state.state", VIR_DOMAIN_PAUSED);
	p_ull(&b, "block.0.wr.reqs", 4);
	p_ull(&b, "block.0.wr.bytes", 40);
	domstats_reparse("guest-b", "other", -1, b.p, b.n, &s);
	assert_ptr_equal(s.disks, disks); /* the array was reused */
	assert_string_equal(s.name, "guest-b");
	assert_string_equal(s.uuid, "other");
	assert_int_equal(s.id, -1);
	assert_int_equal(s.state, VM_PAUSED);
	assert_false(s.have_cpu);
	assert_int_equal(s.cpu_time_ns, 0);
	assert_false(s.have_avail);
	assert_int_equal(s.vcpus_cur, 0);
	assert_int_equal(s.ndisks, 1);
	assert_string_equal(s.disks[0].name, "disk0");
	assert_null(s.disks[0].path);
	assert_false(s.disks[0].have_rd);
	assert_int_equal(s.disks[0].rd, 0);
	assert_false(s.disks[0].have_capacity);
	assert_int_equal(s.disks[0].capacity, 0);
	assert_true(s.disks[0].have_wr && s.disks[0].have_wr_ops);
	assert_int_equal(s.disks[0].wr, 40);
	assert_int_equal(s.disks[0].wr_ops, 4);
	assert_int_equal(s.nnics, 0);

	/* And back: the first record parses as it did the first time. */
	domstats_reparse("guest-a", UUID, 3, a.p, a.n, &s);
	assert_int_equal(s.ndisks, 2);
	assert_string_equal(s.disks[0].name, "vda");
	assert_int_equal(s.disks[0].rd, 10);
	assert_false(s.disks[0].have_wr);
	assert_string_equal(s.disks[1].name, "vdb");
	assert_false(s.disks[1].have_rd);
	assert_int_equal(s.disks[1].wr, 20);
	assert_int_equal(s.nnics, 1);
	assert_true(s.nics[0].have_wr_ops);
	assert_false(s.nics[0].have_wr);
	vm_sample_clear(&s);
	assert_null(s.disks);
	assert_int_equal(s.disks_cap, 0);
}

static void
test_reparse_grows_past_earlier_room(void **state)
{
	struct params a = { .n = 0 }, b = { .n = 0 };
	struct vm_sample s = { .name = NULL };

	(void)state;
	p_ull(&a, "net.0.rx.bytes", 1);
	domstats_reparse("g", UUID, 1, a.p, a.n, &s); /* from a zeroed sample */
	assert_int_equal(s.nnics, 1);
	assert_string_equal(s.nics[0].name, "net0");
	/* Indexes beyond the room kept: the array grows, and the fallback
	 * names (kept in each device) move with it. */
	p_ull(&b, "net.7.rx.bytes", 7);
	p_ull(&b, "net.2.tx.bytes", 2);
	p_str(&b, "net.40.name", "vnet40");
	p_ull(&b, "net.40.rx.bytes", 40);
	domstats_reparse("g", UUID, 1, b.p, b.n, &s);
	assert_true(s.nics_cap >= 41);
	assert_int_equal(s.nnics, 3);
	assert_string_equal(s.nics[0].name, "net2");
	assert_int_equal(s.nics[0].wr, 2);
	assert_false(s.nics[0].have_rd);
	assert_string_equal(s.nics[1].name, "net7");
	assert_ptr_equal(s.nics[1].name, s.nics[1].fallback);
	assert_int_equal(s.nics[1].rd, 7);
	assert_string_equal(s.nics[2].name, "vnet40");
	assert_int_equal(s.nics[2].rd, 40);
	vm_sample_clear(&s);
}

static void
test_device_counters_by_kind(void **state)
{
	struct params ps = { .n = 0 };
	struct vm_sample s;

	(void)state;
	/* Disks count rd/wr bytes and reqs; NICs rx/tx bytes and pkts. The
	 * other kind's names, and near misses, count nothing. */
	p_str(&ps, "block.0.name", "vda");
	p_ull(&ps, "block.0.rd.reqs", 1);
	p_ull(&ps, "block.0.wr.reqs", 2);
	p_ull(&ps, "block.0.rx.bytes", 3);
	p_ull(&ps, "block.0.rd.pkts", 4);
	p_ull(&ps, "block.0.rd.bytesx", 5);
	p_ull(&ps, "block.0.rd", 6);
	p_ull(&ps, "block.0.r", 7);
	p_ull(&ps, "block.0.", 8);
	p_ull(&ps, "block.0.rdxbytes", 9);
	p_str(&ps, "net.0.name", "vnet0");
	p_ull(&ps, "net.0.rx.pkts", 11);
	p_ull(&ps, "net.0.tx.pkts", 12);
	p_ull(&ps, "net.0.rd.bytes", 13);
	p_ull(&ps, "net.0.tx.reqs", 14);
	p_ull(&ps, "net.0.tx.bytes", 15);
	parse(&ps, &s);
	assert_int_equal(s.disks[0].rd_ops, 1);
	assert_int_equal(s.disks[0].wr_ops, 2);
	assert_true(s.disks[0].have_rd_ops && s.disks[0].have_wr_ops);
	assert_false(s.disks[0].have_rd);
	assert_false(s.disks[0].have_wr);
	assert_int_equal(s.nics[0].rd_ops, 11);
	assert_int_equal(s.nics[0].wr_ops, 12);
	assert_false(s.nics[0].have_rd);
	assert_true(s.nics[0].have_wr);
	assert_int_equal(s.nics[0].wr, 15);
	vm_sample_clear(&s);
}

static void
test_own_strings_outlive_record(void **state)
{
	struct params ps = { .n = 0 };
	struct vm_sample s;
	char name[] = "guest-q", vda[] = "vda", path[] = "/img/q.qcow2", vnet[] = "vnet7";
	char *text;

	(void)state;
	p_str(&ps, "block.0.name", vda);
	p_str(&ps, "block.0.path", path);
	p_ull(&ps, "block.0.rd.bytes", 1);
	p_ull(&ps, "block.1.wr.bytes", 2); /* unnamed: disk1 */
	p_str(&ps, "net.0.name", vnet);
	domstats_parse(name, UUID, 1, ps.p, ps.n, &s);
	domstats_own_strings(&s);
	/* The record and name go (here: are overwritten). */
	memset(name, 'x', sizeof name - 1);
	memset(vda, 'x', sizeof vda - 1);
	memset(path, 'x', sizeof path - 1);
	memset(vnet, 'x', sizeof vnet - 1);
	assert_string_equal(s.name, "guest-q");
	assert_string_equal(s.disks[0].name, "vda");
	assert_string_equal(s.disks[0].path, "/img/q.qcow2");
	assert_string_equal(s.disks[1].name, "disk1");
	assert_ptr_equal(s.disks[1].name, s.disks[1].fallback);
	assert_null(s.disks[1].path);
	assert_string_equal(s.nics[0].name, "vnet7");
	assert_null(s.nics[0].path);
	text = s.text;

	/* The next parse reuses the text when it fits, and grows it when not. */
	domstats_reparse("g", UUID, 1, NULL, 0, &s);
	domstats_own_strings(&s);
	assert_ptr_equal(s.text, text);
	assert_ptr_equal(s.name, text);
	assert_string_equal(s.name, "g");
	{
		struct params big = { .n = 0 };
		char longpath[200];
		memset(longpath, 'p', sizeof longpath - 1);
		longpath[sizeof longpath - 1] = '\0';
		p_str(&big, "block.0.name", "sda");
		p_str(&big, "block.0.path", longpath);
		domstats_reparse("guest-long", UUID, 1, big.p, big.n, &s);
		domstats_own_strings(&s);
		memset(longpath, 'z', sizeof longpath - 1);
		assert_true(s.text_cap >= 199 + 4 + 11);
		assert_string_equal(s.name, "guest-long");
		assert_string_equal(s.disks[0].name, "sda");
		assert_int_equal(strlen(s.disks[0].path), 199);
		assert_true(s.disks[0].path[0] == 'p' && s.disks[0].path[198] == 'p');
	}
	vm_sample_clear(&s);
	assert_null(s.text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_mapping),
		cmocka_unit_test(test_empty_record),
		cmocka_unit_test(test_full_record),
		cmocka_unit_test(test_shutoff_record),
		cmocka_unit_test(test_sparse_indexes),
		cmocka_unit_test(test_out_of_order_fields),
		cmocka_unit_test(test_unnamed_devices_fallback_names),
		cmocka_unit_test(test_devices_with_nothing_dropped),
		cmocka_unit_test(test_non_integer_types_ignored),
		cmocka_unit_test(test_integer_widths),
		cmocka_unit_test(test_malformed_device_keys),
		cmocka_unit_test(test_unknown_fields_ignored),
		cmocka_unit_test(test_repeated_name_keeps_last),
		cmocka_unit_test(test_parse_overwrites_output),
		cmocka_unit_test(test_long_uuid_truncated),
		cmocka_unit_test(test_strings_point_into_record),
		cmocka_unit_test(test_reparse_leaves_nothing_stale),
		cmocka_unit_test(test_reparse_grows_past_earlier_room),
		cmocka_unit_test(test_device_counters_by_kind),
		cmocka_unit_test(test_own_strings_outlive_record),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
