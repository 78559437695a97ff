/* test_recording.c — model/record/recording.h and model/base/json.h: reading
 * recordings (good, cut short at the end, bad lines with their line and
 * column, not a recording at all, a newer version), the JSON parser's
 * errors and decoding, a written host line read back, and model/record/replay.h
 * putting samples into a replay host. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/base/json.h"
#include "model/base/xmalloc.h"
#include "model/host/host.h"
#include "model/record/recording.h"
#include "model/record/replay.h"
#include "model/stats/stats.h"

#define U1 "11111111-1111-1111-1111-111111111111"
#define U2 "22222222-2222-2222-2222-222222222222"

#define HEADER "{\"vmtui-recording\":1,\"program\":\"vmtui 0.1.0\",\"started\":" \
	"\"2026-11-24T14:23:10Z\",\"epoch\":1795530190.316,\"interval\":2.000}\n"
#define SAMPLE(t, cpu) "{\"t\":" t ",\"host\":\"h1\",\"uri\":\"qemu:///system\",\"cpus\":2," \
	"\"mem_total\":2147483648,\"mem_free\":1073741824,\"cpu_pct\":12.50,\"vms\":[" \
	"{\"name\":\"web \\\"1\\\"\",\"uuid\":\"" U1 "\",\"state\":\"running\",\"id\":3," \
	"\"vcpus\":2,\"vcpus_max\":4,\"mem_alloc\":1048576,\"mem_max\":2097152,\"mem_used\":524288," \
	"\"mem_from_guest\":true,\"cpu_pct\":" cpu ",\"disk_rd_bps\":100.0,\"disk_wr_bps\":200.0," \
	"\"disk_rd_ops\":1.0,\"disk_wr_ops\":2.0,\"net_rx_bps\":300.0,\"net_tx_bps\":400.0," \
	"\"uptime\":60,\"autostart\":true,\"persistent\":true,\"disks\":[{\"name\":\"vda\"," \
	"\"path\":\"/d/a.qcow2\",\"rd_bps\":100.0,\"wr_bps\":200.0,\"capacity\":33554432," \
	"\"allocation\":4096}],\"nics\":[{\"name\":\"vnet0\",\"rx_bps\":300.0,\"tx_bps\":400.0}]}," \
	"{\"name\":\"caf\\u00e9 \\ud83d\\udc27\",\"uuid\":\"" U2 "\",\"state\":\"shut off\"," \
	"\"vcpus\":1,\"cpu_pct\":null,\"mem_used\":null,\"future_member\":[1,{\"x\":null}]}]}\n"

static char dir[64];

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

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/vmtui-rec-test.XXXXXX");
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

static void
test_good_file(void **state)
{
	char *path = write_file("good.jsonl", HEADER SAMPLE("1795530192.5", "50.25")
	                        "\n" SAMPLE("1795530194.5", "75.00"));
	struct recording r;
	const struct rec_vm *v;

	(void)state;
	assert_int_equal(recording_read(path, &r), 0);
	assert_int_equal(r.nerrors, 0);
	assert_null(r.note);
	assert_int_equal(r.n, 2);
	assert_true(r.started > 1795530190.3 && r.started < 1795530190.4);
	assert_true(r.interval == 2.0);
	assert_int_equal(r.samples[0].line, 2);
	assert_int_equal(r.samples[1].line, 4); /* the empty line 3 is skipped */
	assert_string_equal(r.samples[0].host, "h1");
	assert_string_equal(r.samples[0].uri, "qemu:///system");
	assert_int_equal(r.samples[0].cpus, 2);
	assert_true(r.samples[0].mem_free == 1073741824.0);
	assert_int_equal(r.samples[0].nvms, 2);
	v = &r.samples[0].vms[0];
	assert_string_equal(v->name, "web \"1\"");
	assert_string_equal(v->uuid, U1);
	assert_int_equal(v->state, VM_RUNNING);
	assert_int_equal(v->id, 3);
	assert_int_equal(v->vcpus, 2);
	assert_int_equal(v->vcpus_max, 4);
	assert_true(v->cpu_pct == 50.25);
	assert_true(v->mem_used == 524288.0);
	assert_true(v->rd_ops == 1.0 && v->wr_ops == 2.0 && v->rx == 300.0 && v->tx == 400.0);
	assert_true(v->uptime == 60.0);
	assert_true(v->autostart && v->persistent && v->mem_from_guest);
	assert_int_equal(v->ndisks, 1);
	assert_string_equal(v->disks[0].name, "vda");
	assert_string_equal(v->disks[0].path, "/d/a.qcow2");
	assert_true(v->disks[0].capacity == 33554432.0);
	assert_int_equal(v->nnics, 1);
	assert_string_equal(v->nics[0].name, "vnet0");
	assert_true(v->nics[0].wr == 400.0);
	v = &r.samples[0].vms[1];
	/* \u00e9 and a surrogate pair decoded to UTF-8; unknown members ignored. */
	assert_string_equal(v->name, "caf\xc3\xa9 \xf0\x9f\x90\xa7");
	assert_int_equal(v->state, VM_SHUTOFF);
	assert_true(v->cpu_pct < 0 && v->mem_used < 0 && v->uptime < 0);
	assert_int_equal(v->id, -1);
	assert_true(r.samples[1].vms[0].cpu_pct == 75.0);
	recording_free(&r);
	free(path);
}

static void
test_cut_last_line(void **state)
{
	char full[] = SAMPLE("1795530194.5", "75.00");
	char *text, *path;
	struct recording r;

	(void)state;
	full[strlen(full) / 2] = '\0'; /* cut in the middle, no newline */
	text = xasprintf(HEADER SAMPLE("1795530192.5", "50.25") "%s", full);
	path = write_file("cut.jsonl", text);
	assert_int_equal(recording_read(path, &r), 0);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.nerrors, 0);
	assert_non_null(r.note);
	assert_non_null(strstr(r.note, "cut.jsonl:3: the last line is cut short (the recording "
	                               "was interrupted); it is ignored"));
	recording_free(&r);
	free(path);
	free(text);
}

/* The error of a one-bad-line file whose bad line is `line` (line 3). */
static char *
error_of(const char *line)
{
	char *text = xasprintf(HEADER SAMPLE("1795530192.5", "1") "%s\n"
	                       SAMPLE("1795530196.5", "3"), line);
	char *path = write_file("bad.jsonl", text);
	struct recording r;
	char *e;

	assert_int_equal(recording_read(path, &r), 0);
	assert_int_equal(r.n, 2); /* the good lines around it are kept */
	assert_int_equal(r.samples[1].line, 4);
	assert_int_equal(r.nerrors, 1);
	assert_null(r.note);
	e = xstrdup(r.errors[0] + strlen(dir) + 1);
	recording_free(&r);
	free(path);
	free(text);
	return e;
}

#define ERR(line, want) do { \
	char *e_ = error_of(line); \
	assert_string_equal(e_, want); \
	free(e_); \
} while (0)

static void
test_bad_lines(void **state)
{
	(void)state;
	ERR("{\"t\":1,\"host\":\"h\",\"vms\":[{\"name\":\"a\",\"uuid\":\"" U1 "\","
	    "\"state\":\"running\",\"cpu_pct\":\"high\"}]}",
	    "bad.jsonl:3:112: \"cpu_pct\" should be a number of at least 0 or null, not a string");
	ERR("{\"t\":1,\"host\":\"h\" \"vms\":[]}", "bad.jsonl:3:19: expected ',' or '}'");
	ERR("{\"t\":1,\"vms\":[]}", "bad.jsonl:3:1: \"host\" is missing");
	ERR("{\"host\":\"h\",\"vms\":[]}", "bad.jsonl:3:1: \"t\" (the time of the sample) is missing");
	ERR("{\"t\":1,\"host\":\"h\",\"vms\":{}}",
	    "bad.jsonl:3:25: \"vms\" should be an array, not an object");
	ERR("{\"t\":1,\"host\":\"h\",\"vms\":[{\"name\":\"a\",\"uuid\":\"123\",\"state\":\"running\"}]}",
	    "bad.jsonl:3:45: \"uuid\" should be 36 characters, not \"123\"");
	ERR("{\"t\":1,\"host\":\"h\",\"vms\":[{\"name\":\"a\",\"uuid\":\"" U1 "\",\"state\":\"dancing\"}]}",
	    "bad.jsonl:3:92: \"state\" \"dancing\" is no state vmtui knows (running, paused, shut off, ...)");
	ERR("[1,2]", "bad.jsonl:3:1: a line should be an object, not an array");
	ERR("{\"t\":1,\"host\":\"h\",\"vms\":[],\"cpus\":-2}",
	    "bad.jsonl:3:35: \"cpus\" should be a number of at least 0 or null, not a negative number");
	ERR("{\"t\":1,\"host\":\"a\x01\",\"vms\":[]}",
	    "bad.jsonl:3:17: a control character inside a string (escape it)");
	ERR("{\"t\":1,\"host\":\"\\x\",\"vms\":[]}", "bad.jsonl:3:17: an unknown escape in a string");
	ERR("{\"t\":1,\"host\":\"\\ud800\",\"vms\":[]}",
	    "bad.jsonl:3:22: a high surrogate \\u escape without a low one");
	ERR("{\"t\":01}", "bad.jsonl:3:7: expected ',' or '}'");
	ERR("{\"t\":1} x", "bad.jsonl:3:9: unexpected text after the value");
	ERR("{\"t\":tru}", "bad.jsonl:3:6: expected a value");
	ERR("{\"t\":1.}", "bad.jsonl:3:8: expected digits after the decimal point");
	ERR("{\"vmtui-recording\":1,\"epoch\":\"x\"}",
	    "bad.jsonl:3:30: \"epoch\" should be a number of at least 0 or null, not a string");
}

static void
test_not_a_recording(void **state)
{
	char *p1 = write_file("plain.txt", "root:x:0:0:root:/root:/bin/bash\n");
	char *p2 = write_file("nohdr.jsonl", SAMPLE("1795530192.5", "1"));
	char *p3 = write_file("v2.jsonl", "{\"vmtui-recording\":2}\n" SAMPLE("1795530192.5", "1"));
	char *p4 = write_file("empty.jsonl", "");
	char *p5 = xasprintf("%s/missing.jsonl", dir);
	struct recording r;

	(void)state;
	assert_int_equal(recording_read(p1, &r), -1);
	assert_int_equal(r.nerrors, 1);
	assert_string_equal(r.errors[0] + strlen(dir) + 1,
	                    "plain.txt:1:1: not a vmtui recording: expected a value");
	recording_free(&r);
	assert_int_equal(recording_read(p2, &r), -1);
	assert_string_equal(r.errors[0] + strlen(dir) + 1,
	                    "nohdr.jsonl:1:1: not a vmtui recording: the first line should be a "
	                    "header {\"vmtui-recording\":1,...}");
	assert_int_equal(r.n, 0);
	recording_free(&r);
	assert_int_equal(recording_read(p3, &r), -1);
	assert_string_equal(r.errors[0] + strlen(dir) + 1,
	                    "v2.jsonl:1:20: the recording has format version 2; this vmtui reads "
	                    "version 1 (use a newer vmtui)");
	recording_free(&r);
	assert_int_equal(recording_read(p4, &r), -1);
	assert_string_equal(r.errors[0] + strlen(dir) + 1,
	                    "empty.jsonl: empty file, not a vmtui recording");
	recording_free(&r);
	assert_int_equal(recording_read(p5, &r), -1);
	assert_string_equal(r.errors[0] + strlen(dir) + 1,
	                    "missing.jsonl: cannot open: No such file or directory");
	recording_free(&r);
	free(p1);
	free(p2);
	free(p3);
	free(p4);
	free(p5);
}

static void
test_appended_sessions(void **state)
{
	char *path = write_file("two.jsonl", HEADER SAMPLE("1795530192.5", "1")
	                        HEADER SAMPLE("1795539999.5", "2"));
	struct recording r;

	(void)state;
	assert_int_equal(recording_read(path, &r), 0);
	assert_int_equal(r.nerrors, 0);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.samples[1].line, 4);
	recording_free(&r);
	free(path);
}

/* A new session appended after one killed mid-line: the cut line is
 * ended, reported as bad, and both sessions' samples are kept. */
static void
test_recorder_appends_after_cut_line(void **state)
{
	char *path = write_file("append.jsonl", HEADER "{\"t\":17955301");
	char *err = NULL;
	struct recorder *rec = recorder_open(path, 1.5, &err);
	struct recording r;

	(void)state;
	assert_non_null(rec);
	recorder_write(rec, SAMPLE("1795530200.5", "9"));
	assert_null(recorder_error(rec));
	recorder_close(rec);
	assert_int_equal(recording_read(path, &r), 0);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.samples[0].line, 4);
	assert_int_equal(r.nerrors, 1);
	assert_string_equal(r.errors[0] + strlen(dir) + 1,
	                    "append.jsonl:2:14: expected ',' or '}'");
	recording_free(&r);
	assert_null(recorder_open("/nonexistent/dir/x.jsonl", 1, &err));
	assert_string_equal(err, "cannot open /nonexistent/dir/x.jsonl: No such file or directory");
	free(err);
	free(path);
}

static void
test_json_parse(void **state)
{
	const char *t = " {\"a\":[1,-2.5e2,true,false,null,\"x\\/y\\u0041\"],\"b\":{}} ";
	size_t col = 0;
	const char *why = NULL;
	struct json *j = json_parse(t, strlen(t), &col, &why);
	const struct json *a;

	(void)state;
	assert_non_null(j);
	assert_int_equal(j->type, JSON_OBJECT);
	assert_int_equal(j->col, 2);
	a = json_get(j, "a");
	assert_non_null(a);
	assert_int_equal(a->n, 6);
	assert_true(a->items[1].num == -250.0);
	assert_true(a->items[2].b);
	assert_int_equal(a->items[4].type, JSON_NULL);
	assert_string_equal(a->items[5].str, "x/yA");
	assert_int_equal(json_get(j, "b")->type, JSON_OBJECT);
	assert_null(json_get(j, "c"));
	json_free(j);

	assert_null(json_parse("\"\\u0000\"", 8, &col, &why));
	assert_string_equal(why, "\\u0000 is not allowed in a string");
	assert_null(json_parse("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
	                       72, &col, &why));
	assert_string_equal(why, "nested too deeply");
	assert_null(json_parse("\"abc", 4, &col, &why));
	assert_string_equal(why, "the string does not end (missing \")");
	assert_null(json_parse("", 0, &col, &why));
	assert_int_equal(col, 1);
	assert_string_equal(why, "expected a value, found the end of the line");
}

/* A host as a worker leaves it after two refreshes, written and read back,
 * then replayed into a replay host. */
static void
test_write_read_replay(void **state)
{
	struct host_opts o = { .name = "lab", .history = 8 };
	struct host *h = host_new(&o), *rh;
	struct vm *vm = vm_new(U1, "we,ird \"name\"\n", 8);
	struct recording r;
	char *line, *text, *path;
	uint64_t now = 5000000000000ull;
	struct host_opts ro = { .name = "lab", .history = 8, .replay = true };
	struct rec_sample s2;

	(void)state;
	vm->state = VM_RUNNING;
	vm->vcpus_cur = 2;
	vm->mem_cur_kib = 1024;
	vm->mem_used_kib = 512;
	vm->cpu_pct = 42.5;
	vm->rd_rate = 10;
	vm->wr_rate = STATS_UNKNOWN;
	vm->rd_ops_rate = 1.5;
	vm->rx_rate = vm->tx_rate = 7;
	vm->started_ns = now - 90000000000ull;
	vm->disks = xcalloc(1, sizeof *vm->disks);
	vm->ndisks = 1;
	vm->disks[0].name = xstrdup("vda");
	vm->disks[0].rd_rate = 10;
	vm->disks[0].wr_rate = STATS_UNKNOWN;
	h->vms = xcalloc(1, sizeof *h->vms);
	h->vms[0] = vm;
	h->nvms = 1;
	h->cpus = 4;
	h->mem_total_kib = 4096;
	h->mem_free_kib = HOST_MEM_UNKNOWN;
	line = recording_host_line(h, 1795530192.25, now);
	assert_non_null(strstr(line, "\"name\":\"we,ird \\\"name\\\"\\n\""));
	assert_non_null(strstr(line, "\"mem_free\":null,"));
	assert_non_null(strstr(line, "\"uptime\":90,"));
	text = xasprintf(HEADER "%s", line);
	path = write_file("rt.jsonl", text);
	assert_int_equal(recording_read(path, &r), 0);
	assert_int_equal(r.nerrors, 0);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.samples[0].host, "lab");
	assert_true(r.samples[0].t == 1795530192.25);
	assert_string_equal(r.samples[0].vms[0].name, "we,ird \"name\"\n");
	assert_true(r.samples[0].vms[0].cpu_pct == 42.5);
	assert_true(r.samples[0].vms[0].wr < 0);
	assert_true(r.samples[0].vms[0].rd_ops == 1.5);
	assert_true(r.samples[0].vms[0].mem_used == 512.0 * 1024);
	assert_true(r.samples[0].mem_free < 0);

	/* Replay: the guest appears with its figures and one graph point; a
	 * second sample without it makes it vanish. */
	rh = host_new(&ro);
	host_lock(rh);
	replay_apply(rh, &r.samples[0], now);
	host_publish_unlock(rh);
	assert_int_equal(rh->state, HOST_UP);
	assert_int_equal(rh->nvms, 1);
	assert_string_equal(rh->vms[0]->name, "we,ird \"name\"\n");
	assert_true(rh->vms[0]->cpu_pct == 42.5);
	assert_int_equal(rh->vms[0]->cpu_hist.len, 1);
	assert_int_equal(rh->vms[0]->wr_hist.len, 0); /* unknown: no point */
	assert_int_equal(rh->vms[0]->mem_used_kib, 512);
	assert_int_equal(rh->vms[0]->ndisks, 1);
	assert_true(rh->vms[0]->disks[0].rd_rate == 10);
	assert_true(vm_uptime(rh->vms[0], now + 1000000000ull) > 90.9);
	assert_int_equal(rh->cpus, 4);
	assert_int_equal(rh->mem_free_kib, HOST_MEM_UNKNOWN);
	host_lock(rh);
	replay_apply(rh, &r.samples[0], now + 1);
	host_publish_unlock(rh);
	assert_int_equal(rh->nvms, 1);
	assert_int_equal(rh->vms[0]->cpu_hist.len, 2);
	assert_int_equal(rh->refreshes, 2);
	memset(&s2, 0, sizeof s2);
	s2.host = (char *)"lab";
	s2.t = 1795530194.0;
	s2.mem_free = s2.mem_total = s2.cpu_pct = -1;
	host_lock(rh);
	replay_apply(rh, &s2, now + 2);
	host_publish_unlock(rh);
	assert_int_equal(rh->nvms, 0);

	/* Actions on a replay host are refused, detail requests ignored. */
	host_request_detail(rh, U1);
	assert_false(rh->detail_busy);

	host_free(rh);
	recording_free(&r);
	free(path);
	free(text);
	free(line);
	host_free(h);
}

/* Two hosts in one recording become two replay hosts, in order; the
 * header text follows speed and pause. The player thread is not started. */
static void
test_replay_hosts_and_controls(void **state)
{
	char *text = xasprintf(HEADER SAMPLE("1795530192.5", "1") "%s" SAMPLE("1795530194.5", "2"),
	                       "{\"t\":1795530193,\"host\":\"other\",\"vms\":[]}\n");
	char *path = write_file("two-hosts.jsonl", text);
	struct recording r;
	struct replay *rp;
	struct host **hosts = NULL;
	size_t n = 0, i;
	char buf[96];

	(void)state;
	assert_int_equal(recording_read(path, &r), 0);
	assert_int_equal(r.n, 3);
	rp = replay_new(&r, 2, 16, &hosts, &n);
	assert_int_equal(r.n, 0); /* the samples were taken over */
	assert_int_equal(n, 2);
	assert_string_equal(hosts[0]->name, "h1");
	assert_string_equal(hosts[1]->name, "other");
	assert_true(hosts[0]->replay && hosts[0]->readonly);
	assert_int_equal(hosts[1]->state, HOST_UP);
	replay_describe(rp, buf, sizeof buf);
	assert_string_equal(buf, "REPLAY 2026-11-24 14:23:12Z x2");
	assert_true(replay_speed_by(rp, 0.5) == 1.0);
	assert_true(replay_speed_by(rp, 1e6) == 1024.0);
	assert_true(replay_speed_by(rp, 1e-9) == 1.0 / 16);
	replay_toggle_pause(rp);
	replay_describe(rp, buf, sizeof buf);
	assert_string_equal(buf, "REPLAY 2026-11-24 14:23:12Z x0.0625 paused");
	replay_free(rp);
	for (i = 0; i < n; i++)
		host_free(hosts[i]);
	free(hosts);
	recording_free(&r);
	free(path);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_file),
		cmocka_unit_test(test_cut_last_line),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_not_a_recording),
		cmocka_unit_test(test_appended_sessions),
		cmocka_unit_test(test_recorder_appends_after_cut_line),
		cmocka_unit_test(test_json_parse),
		cmocka_unit_test(test_write_read_replay),
		cmocka_unit_test(test_replay_hosts_and_controls),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
