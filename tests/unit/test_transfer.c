/* test_transfer.c — model/store/transfer.h without a daemon: the progress
 * arithmetic (bytes, smoothed rate, ETA; holes count as done; no rate in
 * the first second; a stall brings the rate down), format detection from
 * a file's first bytes, volume names, and the virsh lines. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/base/xmalloc.h"
#include "model/store/transfer.h"

#define S(x) ((uint64_t)((x) * (double)XFER_NS)) /* seconds to ns */
#define MiB (1024ull * 1024)
#define T0 S(1000)

/* Nothing is known in the first second: no rate, no ETA. */
static void
first_second(void **state)
{
	struct xfer_progress p;

	(void)state;
	xfer_progress_start(&p, 100 * MiB, T0);
	assert_true(xfer_progress_rate(&p, T0) < 0);
	assert_true(xfer_progress_eta(&p, T0) < 0);
	xfer_progress_add(&p, 10 * MiB, false, T0 + S(0.5));
	assert_int_equal(p.done, 10 * MiB);
	assert_true(xfer_progress_rate(&p, T0 + S(0.9)) < 0);
	assert_true(xfer_progress_eta(&p, T0 + S(0.9)) < 0);
	assert_float_equal(xfer_progress_pct(&p), 10.0, 1e-9);
	/* The mean is known at once (the CLI's summary line). */
	assert_float_equal(xfer_progress_mean(&p, T0 + S(0.5)), 20.0 * MiB, 1.0);
}

/* A steady 10 MiB/s: rate 10 MiB/s, ETA what is left over it. */
static void
steady_rate_and_eta(void **state)
{
	struct xfer_progress p;
	int i;

	(void)state;
	xfer_progress_start(&p, 100 * MiB, T0);
	for (i = 1; i <= 30; i++)
		xfer_progress_add(&p, 1 * MiB, false, T0 + S(0.1 * i));
	assert_int_equal(p.done, 30 * MiB);
	assert_true(p.rate_known);
	assert_float_equal(xfer_progress_rate(&p, T0 + S(3.0)), 10.0 * MiB, 1.0);
	assert_float_equal(xfer_progress_eta(&p, T0 + S(3.0)), 7.0, 1e-6);
	assert_float_equal(xfer_progress_pct(&p), 30.0, 1e-9);
}

/* The smoothed rate follows a change of speed without jumping to it. */
static void
rate_smoothed(void **state)
{
	struct xfer_progress p;
	double r;
	int i;

	(void)state;
	xfer_progress_start(&p, 1000 * MiB, T0);
	xfer_progress_add(&p, 10 * MiB, false, T0 + S(1));  /* 10 MiB/s */
	xfer_progress_add(&p, 40 * MiB, false, T0 + S(2));  /* then 40 MiB/s */
	r = xfer_progress_rate(&p, T0 + S(2));
	assert_float_equal(r, (0.7 * 10 + 0.3 * 40) * MiB, 1.0);
	for (i = 3; i < 30; i++)
		xfer_progress_add(&p, 40 * MiB, false, T0 + S(i));
	assert_float_equal(xfer_progress_rate(&p, T0 + S(29)), 40.0 * MiB, 0.01 * MiB);
}

/* Holes count as done: a mostly empty file finishes at 100 %, and the
 * holes are counted apart. */
static void
holes_count_as_done(void **state)
{
	struct xfer_progress p;

	(void)state;
	xfer_progress_start(&p, 1024 * MiB, T0);
	xfer_progress_add(&p, 4 * MiB, false, T0 + S(0.2));
	xfer_progress_add(&p, 1000 * MiB, true, T0 + S(0.3));
	xfer_progress_add(&p, 20 * MiB, false, T0 + S(1.2));
	assert_int_equal(p.done, 1024 * MiB);
	assert_int_equal(p.holes, 1000 * MiB);
	assert_float_equal(xfer_progress_pct(&p), 100.0, 1e-9);
	assert_float_equal(xfer_progress_eta(&p, T0 + S(1.2)), 0.0, 1e-9);
	/* A hole half-way: the ETA counts it as gone. */
	xfer_progress_start(&p, 100 * MiB, T0);
	xfer_progress_add(&p, 10 * MiB, false, T0 + S(1));
	xfer_progress_add(&p, 50 * MiB, true, T0 + S(1));
	assert_float_equal(xfer_progress_eta(&p, T0 + S(1)), 4.0, 1e-6);
}

/* Nothing for more than two windows: the rate falls, then ETA is unknown. */
static void
stall(void **state)
{
	struct xfer_progress p;

	(void)state;
	xfer_progress_start(&p, 100 * MiB, T0);
	xfer_progress_add(&p, 10 * MiB, false, T0 + S(1));
	assert_float_equal(xfer_progress_rate(&p, T0 + S(1.5)), 10.0 * MiB, 1.0);
	assert_float_equal(xfer_progress_rate(&p, T0 + S(5)), 0.0, 1e-9);
	assert_true(xfer_progress_eta(&p, T0 + S(5)) < 0);
	/* Some bytes in the stalled window: their own rate. */
	xfer_progress_add(&p, 1 * MiB, false, T0 + S(1.5));
	assert_float_equal(xfer_progress_rate(&p, T0 + S(3)), 0.5 * MiB, 1.0);
}

/* An empty total is done; more than the total does not pass 100 %. */
static void
edges(void **state)
{
	struct xfer_progress p;

	(void)state;
	xfer_progress_start(&p, 0, T0);
	assert_float_equal(xfer_progress_pct(&p), 100.0, 1e-9);
	assert_float_equal(xfer_progress_eta(&p, T0), 0.0, 1e-9);
	xfer_progress_start(&p, 10, T0);
	xfer_progress_add(&p, 20, false, T0 + S(2));
	assert_float_equal(xfer_progress_pct(&p), 100.0, 1e-9);
	assert_float_equal(xfer_progress_mean(&p, T0), 0.0, 1e-9);
}

static void
formats(void **state)
{
	unsigned char *b = xcalloc(1, 0x9000);
	enum xfer_format f;

	(void)state;
	assert_int_equal(xfer_format_detect(b, 0x9000), XFER_FMT_RAW);
	memcpy(b, "QFI\xfb\0\0\0\3", 8);
	assert_int_equal(xfer_format_detect(b, 8), XFER_FMT_QCOW2);
	memset(b, 0, 8);
	memcpy(b + 0x8001, "CD001", 5);
	assert_int_equal(xfer_format_detect(b, 0x9000), XFER_FMT_ISO);
	/* Too short to hold the ISO's mark: raw. */
	assert_int_equal(xfer_format_detect(b, 0x8003), XFER_FMT_RAW);
	assert_int_equal(xfer_format_detect(b, 0), XFER_FMT_RAW);
	assert_true(xfer_format_parse("qcow2", &f) && f == XFER_FMT_QCOW2);
	assert_true(xfer_format_parse("iso", &f) && f == XFER_FMT_ISO);
	assert_true(xfer_format_parse("raw", &f) && f == XFER_FMT_RAW);
	assert_false(xfer_format_parse("auto", &f));
	assert_false(xfer_format_parse("vmdk", &f));
	assert_false(xfer_format_parse(NULL, &f));
	assert_string_equal(xfer_format_name(XFER_FMT_QCOW2), "qcow2");
	free(b);
}

static void
names(void **state)
{
	char *why;
	struct xfer_req r = { .dir = XFER_UPLOAD };

	(void)state;
	assert_null(xfer_vol_name_check("debian-12.iso"));
	why = xfer_vol_name_check("a/b");
	assert_non_null(strstr(why, "cannot contain \"/\""));
	free(why);
	why = xfer_vol_name_check("");
	assert_string_equal(why, "A volume needs a name.");
	free(why);
	why = xfer_vol_name_check("..");
	assert_non_null(why);
	free(why);
	why = xfer_vol_name_check("a\nb");
	assert_non_null(why);
	free(why);
	why = xfer_vol_name_check("\xff\xfe\xc3\x28");
	assert_string_equal(why, "A volume name must be UTF-8 text.");
	free(why);
	assert_null(xfer_vol_name_check("caf\xc3\xa9-\xe2\x82\xac.img"));
	r.path = xstrdup("/srv/iso/debian-12.iso");
	xfer_req_default_name(&r);
	assert_string_equal(r.vol, "debian-12.iso");
	xfer_req_clear(&r);
	assert_null(r.path);
}

static void
rates(void **state)
{
	uint64_t r = 0;

	(void)state;
	assert_true(xfer_parse_rate("50M", &r));
	assert_int_equal(r, 50 * MiB);
	assert_true(xfer_parse_rate("512K", &r) && r == 512 * 1024);
	assert_true(xfer_parse_rate("1GiB", &r) && r == 1024 * MiB);
	assert_true(xfer_parse_rate("1000", &r) && r == 1000);
	assert_false(xfer_parse_rate("0", &r));
	assert_false(xfer_parse_rate("-5M", &r));
	assert_false(xfer_parse_rate("5X", &r));
	assert_false(xfer_parse_rate("", &r));
	assert_false(xfer_parse_rate(NULL, &r));
	assert_false(xfer_parse_rate("99999999999999999999", &r));
}

static void
virsh_lines(void **state)
{
	struct xfer_req r = { .dir = XFER_UPLOAD };
	char *s;

	(void)state;
	r.pool = xstrdup("default");
	r.vol = xstrdup("my disk.qcow2");
	r.path = xstrdup("/tmp/a b.qcow2");
	r.format = XFER_FMT_QCOW2;
	s = xfer_virsh("qemu+ssh://root@lab/system", &r, 1048576);
	assert_string_equal(s, "virsh -c qemu+ssh://root@lab/system vol-create-as default "
	                       "'my disk.qcow2' 1048576B --allocation 0 --format raw && "
	                       "virsh -c qemu+ssh://root@lab/system vol-upload --sparse "
	                       "--pool default 'my disk.qcow2' '/tmp/a b.qcow2'");
	free(s);
	r.format = XFER_FMT_ISO;
	s = xfer_virsh(NULL, &r, 10);
	assert_non_null(strstr(s, "vol-create-as default 'my disk.qcow2' 10B --allocation 0 "
	                          "--format iso && virsh vol-upload"));
	free(s);
	r.dir = XFER_DOWNLOAD;
	s = xfer_virsh(NULL, &r, 0);
	assert_string_equal(s, "virsh vol-download --sparse --pool default 'my disk.qcow2' "
	                       "'/tmp/a b.qcow2'");
	free(s);
	s = xfer_what(&r);
	assert_string_equal(s, "download default/my disk.qcow2 to /tmp/a b.qcow2");
	free(s);
	xfer_req_clear(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(first_second),
		cmocka_unit_test(steady_rate_and_eta),
		cmocka_unit_test(rate_smoothed),
		cmocka_unit_test(holes_count_as_done),
		cmocka_unit_test(stall),
		cmocka_unit_test(edges),
		cmocka_unit_test(formats),
		cmocka_unit_test(names),
		cmocka_unit_test(rates),
		cmocka_unit_test(virsh_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
