/* test_topfmt.c — tui/topfmt.h: the records of `vmtui top --batch` as text,
 * CSV and JSON Lines, byte for byte; model/base/json.h string escaping; the
 * disk request rates that feed them (domstats -> vm_merge -> record). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/base/json.h"
#include "model/stats/domstats.h"
#include "model/stats/vm.h"
#include "tui/topfmt.h"

#define UUID "aefa3b5e-5c29-46ef-8546-541d7c46b840"

/* A running guest with every figure known. */
static struct top_rec
busy(const char *name)
{
	struct top_rec r = {
		.epoch = 1795530175.173, .host = "h1", .name = name, .uuid = UUID,
		.state = "running", .vcpus = 2, .cpu_pct = 93.836, .mem_used = 21721088,
		.mem_alloc = 67108864, .rd_bps = 1536, .wr_bps = 0, .rd_ops = 3, .wr_ops = 0.25,
		.rx_bps = 111, .tx_bps = 222.25, .uptime = 422, .wait_pct = 7.5,
	};
	return r;
}

/* A shut-off guest: no rates, no use, no uptime. */
static struct top_rec
off(const char *name)
{
	struct top_rec r = {
		.epoch = 1795530176.0, .host = "h1", .name = name, .uuid = UUID,
		.state = "shut off", .vcpus = 1, .cpu_pct = -1, .mem_used = -1,
		.mem_alloc = 100663296, .rd_bps = -1, .wr_bps = -1, .rd_ops = -1, .wr_ops = -1,
		.rx_bps = -1, .tx_bps = -1, .uptime = -1, .wait_pct = -1,
	};
	return r;
}

/* Output of fn as a string (caller frees). */
static char *
capture(enum top_format fmt, bool header, const struct top_rec *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	if (header)
		topfmt_header(f, fmt);
	if (r)
		topfmt_record(f, fmt, r);
	fclose(f);
	return buf;
}

static void
check(enum top_format fmt, bool header, const struct top_rec *r, const char *want)
{
	char *got = capture(fmt, header, r);
	assert_string_equal(got, want);
	free(got);
}

static void
test_iso8601(void **state)
{
	char b[40];

	(void)state;
	assert_string_equal(topfmt_iso8601(b, sizeof b, 0, false), "1970-01-01T00:00:00Z");
	assert_string_equal(topfmt_iso8601(b, sizeof b, 1795530175.173, true),
	                    "2026-11-24T14:22:55.173Z");
	/* Rounds like the epoch field: .9996 is the next second. */
	assert_string_equal(topfmt_iso8601(b, sizeof b, 1795530175.9996, true),
	                    "2026-11-24T14:22:56.000Z");
	assert_string_equal(topfmt_iso8601(b, sizeof b, 1795530175.9996, false),
	                    "2026-11-24T14:22:55Z");
}

static void
test_csv_header_and_record(void **state)
{
	struct top_rec r = busy("web-1");

	(void)state;
	check(TOP_CSV, true, &r,
	      "time,epoch,host,name,uuid,state,vcpus,cpu_pct,mem_used,mem_alloc,disk_rd_bps,"
	      "disk_wr_bps,disk_rd_ops,disk_wr_ops,net_rx_bps,net_tx_bps,uptime,wait_pct\r\n"
	      "2026-11-24T14:22:55.173Z,1795530175.173,h1,web-1," UUID ",running,2,93.84,21721088,"
	      "67108864,1536.0,0.0,3.0,0.2,111.0,222.2,422,7.50\r\n");
}

static void
test_csv_unknown_fields_empty(void **state)
{
	struct top_rec r = off("db");

	(void)state;
	check(TOP_CSV, false, &r,
	      "2026-11-24T14:22:56.000Z,1795530176.000,h1,db," UUID ",shut off,1,,,100663296,,,,,,,,\r\n");
}

static void
test_csv_quoting(void **state)
{
	struct top_rec r = off("a \"quoted\", name\nline2");

	(void)state;
	r.host = "x,y";
	check(TOP_CSV, false, &r,
	      "2026-11-24T14:22:56.000Z,1795530176.000,\"x,y\",\"a \"\"quoted\"\", name\nline2\","
	      UUID ",shut off,1,,,100663296,,,,,,,,\r\n");
	r.name = "caf\xc3\xa9\r";
	r.host = "plain";
	check(TOP_CSV, false, &r,
	      "2026-11-24T14:22:56.000Z,1795530176.000,plain,\"caf\xc3\xa9\r\"," UUID
	      ",shut off,1,,,100663296,,,,,,,,\r\n");
}

static void
test_json_record(void **state)
{
	struct top_rec r = busy("web-1");

	(void)state;
	check(TOP_JSON, true, &r,
	      "{\"time\":\"2026-11-24T14:22:55.173Z\",\"epoch\":1795530175.173,\"host\":\"h1\","
	      "\"name\":\"web-1\",\"uuid\":\"" UUID "\",\"state\":\"running\",\"vcpus\":2,"
	      "\"cpu_pct\":93.84,\"mem_used\":21721088,\"mem_alloc\":67108864,"
	      "\"disk_rd_bps\":1536.0,\"disk_wr_bps\":0.0,\"disk_rd_ops\":3.0,\"disk_wr_ops\":0.2,"
	      "\"net_rx_bps\":111.0,\"net_tx_bps\":222.2,\"uptime\":422,\"wait_pct\":7.50}\n");
}

static void
test_json_unknown_is_null(void **state)
{
	struct top_rec r = off("db");

	(void)state;
	check(TOP_JSON, false, &r,
	      "{\"time\":\"2026-11-24T14:22:56.000Z\",\"epoch\":1795530176.000,\"host\":\"h1\","
	      "\"name\":\"db\",\"uuid\":\"" UUID "\",\"state\":\"shut off\",\"vcpus\":1,"
	      "\"cpu_pct\":null,\"mem_used\":null,\"mem_alloc\":100663296,"
	      "\"disk_rd_bps\":null,\"disk_wr_bps\":null,\"disk_rd_ops\":null,\"disk_wr_ops\":null,"
	      "\"net_rx_bps\":null,\"net_tx_bps\":null,\"uptime\":null,\"wait_pct\":null}\n");
}

static void
test_json_escaping(void **state)
{
	/* quote, backslash, newline, tab, a control byte, DEL, UTF-8 (2, 3 and
	 * 4 bytes) passed through, a stray byte as U+FFFD. */
	struct top_rec r = off("a\"b\\c\nd\te\x01" "f\x7f" "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xa7 \xff!");
	char *got = capture(TOP_JSON, false, &r);

	(void)state;
	assert_non_null(strstr(got, "\"name\":\"a\\\"b\\\\c\\nd\\te\\u0001f\\u007f"
	                            "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xa7 \xef\xbf\xbd!\","));
	/* One line: the only newline ends it. */
	assert_ptr_equal(strchr(got, '\n'), got + strlen(got) - 1);
	free(got);
}

static void
test_json_put_string_cases(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "", "\"\"" },
		{ "plain", "\"plain\"" },
		{ "\b\f\r", "\"\\b\\f\\r\"" },
		{ "\x1f", "\"\\u001f\"" },
		{ "\xc3", "\"\xef\xbf\xbd\"" },               /* cut sequence */
		{ "\xc0\xaf", "\"\xef\xbf\xbd\xef\xbf\xbd\"" }, /* overlong */
		{ "\xed\xa0\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"" }, /* surrogate */
		{ "/", "\"/\"" },
		{ NULL, "null" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);
		json_put_string(f, cases[i].in);
		fclose(f);
		assert_string_equal(buf, cases[i].out);
		free(buf);
	}
}

static void
test_text(void **state)
{
	struct top_rec r = busy("web-1");
	struct top_rec o = off("db");
	char *got;

	(void)state;
	check(TOP_TEXT, true, NULL,
	      "TIME                 HOST         NAME             STATE    VCPU   CPU%    MEM  ALLOC"
	      "   RD/s   WR/s RDOP/s WROP/s   RX/s   TX/s  UPTIME  WAIT%\n");
	check(TOP_TEXT, false, &r,
	      "2026-11-24T14:22:55Z h1           web-1            running     2   93.8  20.7M  64.0M"
	      "  1.50K     0B      3      0   111B   222B   7m02s    7.5\n");
	check(TOP_TEXT, false, &o,
	      "2026-11-24T14:22:56Z h1           db               shut off    1      -      -  96.0M"
	      "      -      -      -      -      -      -       -      -\n");
	/* A long name with a newline: one line still, the rest pushed right. */
	r.name = "a-very-long-guest-name\nx";
	got = capture(TOP_TEXT, false, &r);
	assert_string_equal(got,
	      "2026-11-24T14:22:55Z h1           a-very-long-guest-name?x running     2   93.8  20.7M"
	      "  64.0M  1.50K     0B      3      0   111B   222B   7m02s    7.5\n");
	free(got);
	/* UTF-8 names pad by characters, not bytes. */
	r.name = "caf\xc3\xa9";
	got = capture(TOP_TEXT, false, &r);
	assert_non_null(strstr(got, " caf\xc3\xa9             running"));
	free(got);
}

/* Typed parameters of one bulk-stats record with a disk. */
static void
disk_params(virTypedParameter *p, uint64_t cpu, uint64_t rd, uint64_t rdreq, uint64_t wrreq)
{
	memset(p, 0, 7 * sizeof *p);
	snprintf(p[0].field, sizeof p[0].field, "state.state");
	p[0].type = VIR_TYPED_PARAM_INT;
	p[0].value.i = VIR_DOMAIN_RUNNING;
	snprintf(p[1].field, sizeof p[1].field, "cpu.time");
	p[1].type = VIR_TYPED_PARAM_ULLONG;
	p[1].value.ul = cpu;
	snprintf(p[2].field, sizeof p[2].field, "vcpu.current");
	p[2].type = VIR_TYPED_PARAM_UINT;
	p[2].value.ui = 2;
	snprintf(p[3].field, sizeof p[3].field, "block.0.name");
	p[3].type = VIR_TYPED_PARAM_STRING;
	p[3].value.s = (char *)"vda";
	snprintf(p[4].field, sizeof p[4].field, "block.0.rd.bytes");
	p[4].type = VIR_TYPED_PARAM_ULLONG;
	p[4].value.ul = rd;
	snprintf(p[5].field, sizeof p[5].field, "block.0.rd.reqs");
	p[5].type = VIR_TYPED_PARAM_ULLONG;
	p[5].value.ul = rdreq;
	snprintf(p[6].field, sizeof p[6].field, "block.0.wr.reqs");
	p[6].type = VIR_TYPED_PARAM_ULLONG;
	p[6].value.ul = wrreq;
}

static void
test_from_vm_with_disk_ops(void **state)
{
	virTypedParameter p[7];
	struct vm_sample s;
	struct vm *vm = vm_new(UUID, "web-1", 10);
	struct top_rec r;
	const uint64_t t0 = 1000000000000ull;

	(void)state;
	disk_params(p, 5000000000ull, 4096, 10, 100);
	domstats_parse("web-1", UUID, 3, p, 7, &s);
	assert_true(s.disks[0].have_rd_ops);
	assert_int_equal(s.disks[0].rd_ops, 10);
	vm_merge(vm, &s, t0);
	vm_sample_clear(&s);
	topfmt_from_vm(&r, "h1", vm, 1795530175.0, t0);
	assert_true(r.rd_ops < 0); /* one sample: no rates yet */
	assert_true(r.cpu_pct < 0);

	/* Two seconds later: 1 s of CPU on 2 vCPUs, 8 KiB and 30 reads, 50 writes. */
	disk_params(p, 6000000000ull, 4096 + 16384, 70, 200);
	domstats_parse("web-1", UUID, 3, p, 7, &s);
	vm_merge(vm, &s, t0 + 2000000000ull);
	vm_sample_clear(&s);
	topfmt_from_vm(&r, "h1", vm, 1795530177.0, t0 + 2000000000ull);
	assert_string_equal(r.name, "web-1");
	assert_string_equal(r.state, "running");
	assert_int_equal(r.vcpus, 2);
	assert_true(r.cpu_pct > 24.99 && r.cpu_pct < 25.01);
	assert_true(r.rd_bps > 8191.9 && r.rd_bps < 8192.1);
	assert_true(r.rd_ops > 29.99 && r.rd_ops < 30.01);
	assert_true(r.wr_ops > 49.99 && r.wr_ops < 50.01);
	assert_true(r.uptime > 1.99 && r.uptime < 2.01);
	vm_free(vm);
}

/* A bulk call that skipped a busy guest's devices (NOWAIT) leaves their
 * counters out: no rate from that sample nor from the next, rather than
 * one against a counter of 0. */
static void
test_missing_counters_give_no_rate(void **state)
{
	virTypedParameter p[7];
	struct vm_sample s;
	struct vm *vm = vm_new(UUID, "web-1", 10);
	const uint64_t t0 = 1000000000000ull, sec = 1000000000ull;

	(void)state;
	disk_params(p, 1, 4608, 2, 0);
	domstats_parse("web-1", UUID, 3, p, 4, &s); /* name only: no counters */
	assert_false(s.disks[0].have_rd);
	vm_merge(vm, &s, t0);
	vm_sample_clear(&s);
	domstats_parse("web-1", UUID, 3, p, 7, &s);
	vm_merge(vm, &s, t0 + sec);
	vm_sample_clear(&s);
	assert_true(vm->rd_rate < 0);
	assert_true(vm->rd_ops_rate < 0);
	domstats_parse("web-1", UUID, 3, p, 7, &s); /* unchanged counters */
	vm_merge(vm, &s, t0 + 2 * sec);
	vm_sample_clear(&s);
	assert_true(vm->rd_rate == 0.0);
	assert_true(vm->rd_ops_rate == 0.0);
	vm_free(vm);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_iso8601),
		cmocka_unit_test(test_csv_header_and_record),
		cmocka_unit_test(test_csv_unknown_fields_empty),
		cmocka_unit_test(test_csv_quoting),
		cmocka_unit_test(test_json_record),
		cmocka_unit_test(test_json_unknown_is_null),
		cmocka_unit_test(test_json_escaping),
		cmocka_unit_test(test_json_put_string_cases),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_from_vm_with_disk_ops),
		cmocka_unit_test(test_missing_counters_give_no_rate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
