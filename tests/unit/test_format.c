/* test_format.c — tui/format.h: compact human-readable numbers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "tui/format.h"

static char buf[32];

#define BYTES(v) fmt_bytes(buf, sizeof buf, (v))
#define RATE(v) fmt_rate(buf, sizeof buf, (v))
#define PCT(v) fmt_pct(buf, sizeof buf, (v))
#define DUR(v) fmt_duration(buf, sizeof buf, (v))

static void
test_bytes_small(void **state)
{
	(void)state;
	assert_string_equal(BYTES(0), "0B");
	assert_string_equal(BYTES(1), "1B");
	assert_string_equal(BYTES(999), "999B");
	assert_string_equal(BYTES(1023), "1023B");
}

static void
test_bytes_returns_buf(void **state)
{
	(void)state;
	assert_ptr_equal(fmt_bytes(buf, sizeof buf, 5), buf);
	assert_ptr_equal(fmt_rate(buf, sizeof buf, 5), buf);
	assert_ptr_equal(fmt_pct(buf, sizeof buf, 5), buf);
	assert_ptr_equal(fmt_duration(buf, sizeof buf, 5), buf);
}

static void
test_bytes_kib(void **state)
{
	(void)state;
	assert_string_equal(BYTES(1024), "1.00K");
	assert_string_equal(BYTES(1536), "1.50K");
	assert_string_equal(BYTES(10 * 1024), "10.0K");
	assert_string_equal(BYTES(100 * 1024), "100K");
	assert_string_equal(BYTES(512 * 1024), "512K");
}

static void
test_bytes_units(void **state)
{
	(void)state;
	assert_string_equal(BYTES(10 << 20), "10.0M");
	assert_string_equal(BYTES(1.5 * (1 << 20)), "1.50M");
	assert_string_equal(BYTES(10.0 * (1 << 30)), "10.0G");
	assert_string_equal(BYTES(256.0 * (1 << 30)), "256G");
	assert_string_equal(BYTES(2.0 * 1099511627776.0), "2.00T");
	assert_string_equal(BYTES(3.0 * 1125899906842624.0), "3.00P");
	assert_string_equal(BYTES(4.0 * 1152921504606846976.0), "4.00E");
}

static void
test_bytes_huge_stays_in_exbibytes(void **state)
{
	(void)state;
	/* There is no unit past E: the number just grows. */
	assert_string_equal(BYTES(2000.0 * 1152921504606846976.0), "2000E");
}

static void
test_bytes_rounding_boundaries(void **state)
{
	(void)state;
	/* Values that would round up to the next width use the next format. */
	assert_string_equal(BYTES(9.996 * 1024), "10.0K");
	assert_string_equal(BYTES(99.96 * 1024), "100K");
	/* Just under 1 KiB that would print as "1024B" goes to K. */
	assert_string_equal(BYTES(1023.96), "1.00K");
	/* Near the top of a unit, the next unit takes over. */
	assert_string_equal(BYTES(1023.96 * 1024), "1.00M");
	/* Fractional rates between 1023.5 and 1023.95 never print as "1024". */
	assert_string_equal(BYTES(1023.7), "1.00K");
	assert_string_equal(BYTES(1023.7 * 1024), "1.00M");
	assert_string_equal(BYTES(1023.4), "1023B");
}

static void
test_bytes_negative(void **state)
{
	(void)state;
	assert_string_equal(BYTES(-1), "-");
	assert_string_equal(BYTES(-1e9), "-");
}

static void
test_bytes_small_buffer_truncates(void **state)
{
	char small[3];

	(void)state;
	fmt_bytes(small, sizeof small, 1536);
	assert_string_equal(small, "1.");
}

static void
test_rate(void **state)
{
	(void)state;
	assert_string_equal(RATE(0), "0B/s");
	assert_string_equal(RATE(512), "512B/s");
	assert_string_equal(RATE(1536), "1.50K/s");
	assert_string_equal(RATE(1.2 * (1 << 20)), "1.20M/s");
	assert_string_equal(RATE(125.0 * (1 << 20)), "125M/s");
	assert_string_equal(RATE(-1), "-");
}

static void
test_pct(void **state)
{
	(void)state;
	assert_string_equal(PCT(0), "0.0");
	assert_string_equal(PCT(42), "42.0");
	assert_string_equal(PCT(42.04), "42.0");
	assert_string_equal(PCT(42.06), "42.1");
	assert_string_equal(PCT(100), "100.0");
	assert_string_equal(PCT(-1), "-");
	assert_string_equal(PCT(-0.5), "-");
}

static void
test_duration_seconds(void **state)
{
	(void)state;
	assert_string_equal(DUR(0), "0s");
	assert_string_equal(DUR(1), "1s");
	assert_string_equal(DUR(59), "59s");
	assert_string_equal(DUR(59.9), "59s"); /* truncated, never rounded up */
}

static void
test_duration_minutes(void **state)
{
	(void)state;
	assert_string_equal(DUR(60), "1m00s");
	assert_string_equal(DUR(75), "1m15s");
	assert_string_equal(DUR(3599), "59m59s");
}

static void
test_duration_hours(void **state)
{
	(void)state;
	assert_string_equal(DUR(3600), "1h00m");
	assert_string_equal(DUR(7300), "2h01m");
	assert_string_equal(DUR(86399), "23h59m");
}

static void
test_duration_days(void **state)
{
	(void)state;
	assert_string_equal(DUR(86400), "1d00h");
	assert_string_equal(DUR(200000), "2d07h");
	assert_string_equal(DUR(400.0 * 86400 + 5 * 3600), "400d05h");
}

static void
test_duration_negative(void **state)
{
	(void)state;
	assert_string_equal(DUR(-1), "-");
	assert_string_equal(DUR(-0.001), "-");
}

/* fmt_append: pieces put together, cut where the buffer ends (the string
 * always ended), nothing written to a buffer of no bytes. */
static void
test_append(void **state)
{
	char b[8];
	size_t at = 0;

	(void)state;
	fmt_append(b, sizeof b, &at, "ab");
	fmt_append(b, sizeof b, &at, "");
	fmt_append(b, sizeof b, &at, "cd");
	assert_string_equal(b, "abcd");
	assert_int_equal(at, 4);
	fmt_append(b, sizeof b, &at, "efghij");
	assert_string_equal(b, "abcdefg");
	assert_int_equal(at, 7);
	fmt_append(b, sizeof b, &at, "k");
	assert_string_equal(b, "abcdefg");
	at = 0;
	memset(b, 'x', sizeof b);
	fmt_append(b, 1, &at, "abc");
	assert_int_equal(b[0], '\0');
	assert_int_equal(b[1], 'x');
	at = 0;
	fmt_append(b, 0, &at, "abc");
	assert_int_equal(b[0], '\0');
	assert_int_equal(at, 0);
}

/* fmt_duration formats by hand: the same text as the printf formats it
 * replaced, for every second of the first two days, spread values up to
 * centuries, and buffers too small (cut as snprintf cuts). */
static void
ref_duration(char *out, size_t n, unsigned long s)
{
	if (s < 60)
		snprintf(out, n, "%lus", s);
	else if (s < 3600)
		snprintf(out, n, "%lum%02lus", s / 60, s % 60);
	else if (s < 86400)
		snprintf(out, n, "%luh%02lum", s / 3600, s % 3600 / 60);
	else
		snprintf(out, n, "%lud%02luh", s / 86400, s % 86400 / 3600);
}

static void
test_duration_as_printf(void **state)
{
	char want[32], got[32];
	unsigned long s;
	size_t n;

	(void)state;
	for (s = 0; s < 2 * 86400 + 5; s++) {
		ref_duration(want, sizeof want, s);
		fmt_duration(got, sizeof got, (double)s + 0.75);
		assert_string_equal(got, want);
	}
	for (s = 1; s < 4000000000ul; s = s * 3 + 7) {
		for (n = 1; n <= 12; n++) {
			memset(got, 'x', sizeof got);
			ref_duration(want, n, s);
			fmt_duration(got, n, (double)s);
			assert_string_equal(got, want);
			memset(got, 'x', sizeof got);
			snprintf(want, n, "%lu", s);
			fmt_count(got, n, s);
			assert_string_equal(got, want);
		}
	}
}

/* fmt_duration_steady: the text stays until just before the time it
 * gives, and has changed just after it; checked at every quarter second of
 * the first two days and beyond, across each unit's boundaries. */
static void
test_duration_steady(void **state)
{
	char at[32], before[32], after[32];
	double t;

	(void)state;
	for (t = 0; t < 2 * 86400 + 4000; t += 0.25) {
		double s = fmt_duration_steady(t);
		assert_true(s > 0);
		assert_true(s <= (t < 3600 ? 1 : t < 86400 ? 60 : 3600));
		fmt_duration(at, sizeof at, t);
		fmt_duration(before, sizeof before, t + s - 0.01);
		fmt_duration(after, sizeof after, t + s + 0.01);
		assert_string_equal(at, before);
		assert_string_not_equal(at, after);
	}
	assert_true(fmt_duration_steady(59.5) == 0.5);     /* 59s -> 1m00s */
	assert_true(fmt_duration_steady(3599) == 1);       /* 59m59s -> 1h00m */
	assert_true(fmt_duration_steady(3600) == 60);      /* 1h00m -> 1h01m */
	assert_true(fmt_duration_steady(86399) == 1 * 60 - 59); /* 23h59m -> 1d00h */
	assert_true(fmt_duration_steady(90000) == 3600);   /* 1d01h -> 1d02h */
	assert_true(fmt_duration_steady(-1) == 0);          /* "-": never moves */
	/* Seconds: on time between refreshes more than 2 s apart (or none to
	 * come), else left to the next refresh, with half a second's grace. */
	assert_true(fmt_duration_late(59, 0) == 0);
	assert_true(fmt_duration_late(59, 30) == 0);
	assert_true(fmt_duration_late(59, 2.5) == 0);
	assert_true(fmt_duration_late(59, 2) == 2.5);
	assert_true(fmt_duration_late(3599.5, 0.5) == 1);
	assert_true(fmt_duration_late(3599.5, 0) == 0);
	/* Minutes: 2 s; hours: 2 min; whatever the interval. */
	assert_true(fmt_duration_late(3600, 0) == 2);
	assert_true(fmt_duration_late(3600, 0.5) == 2);
	assert_true(fmt_duration_late(86399, 30) == 2);
	assert_true(fmt_duration_late(86400, 2) == 120);
	assert_true(fmt_duration_late(-1, 2) == 0);
	assert_true(fmt_duration_steady(0.0 / 0.0) == 0);
}

/* fmt_bytes and fmt_pct format without printf: they must print exactly
 * what printf prints, ties (1.125 -> "1.12", 0.25 -> "0.2") included. */
static void
ref_bytes(char *out, size_t n, double v)
{
	static const char units[] = "BKMGTPE";
	size_t u = 0;

	while (v >= 1023.5 && u < sizeof units - 2) {
		v /= 1024.0;
		u++;
	}
	if (u == 0)
		snprintf(out, n, "%.0fB", v);
	else if (v < 9.995)
		snprintf(out, n, "%.2f%c", v, units[u]);
	else if (v < 99.95)
		snprintf(out, n, "%.1f%c", v, units[u]);
	else
		snprintf(out, n, "%.0f%c", v, units[u]);
}

static void
test_same_digits_as_printf(void **state)
{
	char want[32];
	unsigned long long x = 88172645463325252ull;
	int i;

	(void)state;
	assert_string_equal(BYTES(1152), "1.12K");       /* 1.125: tie, to even */
	assert_string_equal(BYTES(1.375 * 1024), "1.38K"); /* 1.375: tie, to even */
	assert_string_equal(PCT(0.25), "0.2");
	assert_string_equal(PCT(0.75), "0.8");
	assert_string_equal(PCT(99.95), "100.0"); /* 99.9500000000000028... */
	for (i = 0; i < 400000; i++) {
		double v;
		if (i < 100000) {
			v = i / 8.0; /* every tie of one and two decimals */
		} else {
			x ^= x << 13; /* xorshift: values over the whole range */
			x ^= x >> 7;
			x ^= x << 17;
			v = (double)(x >> 11) / (double)(1ull << 53) *
			    (double)(1ull << (x % 62));
		}
		ref_bytes(want, sizeof want, v);
		assert_string_equal(BYTES(v), want);
		snprintf(want, sizeof want, "%.1f", v);
		if (v < 1e15)
			assert_string_equal(PCT(v), want);
	}
}

/* All the lines fmt_wrap makes of s at width, joined with '|'. */
static const char *
wrapped(const char *s, int width)
{
	static char out[1024];
	size_t at = 0, n;
	const char *next;

	out[0] = '\0';
	while (*s) {
		n = fmt_wrap(s, width, &next);
		assert_true(next > s); /* always on */
		if (at)
			out[at++] = '|';
		memcpy(out + at, s, n);
		at += n;
		out[at] = '\0';
		s = next;
	}
	return out;
}

static void
test_wrap_words(void **state)
{
	(void)state;
	assert_string_equal(wrapped("short", 10), "short");
	assert_string_equal(wrapped("exactly10!", 10), "exactly10!");
	assert_string_equal(wrapped("one two three four", 9), "one two|three|four");
	/* a space right after the width: the line ends before it */
	assert_string_equal(wrapped("abcd efgh", 4), "abcd|efgh");
	assert_string_equal(wrapped("many   spaces here", 6), "many|spaces|here");
	/* newlines are hard breaks, empty lines kept */
	assert_string_equal(wrapped("a\n\nb", 10), "a||b");
	assert_string_equal(wrapped("first line\nsecond", 6), "first|line|second");
}

static void
test_wrap_paths_and_long_words(void **state)
{
	(void)state;
	/* a space wins over a slash: a path is not split while a space fits */
	assert_string_equal(wrapped("saved in /var/tmp/x.xml", 20), "saved in|/var/tmp/x.xml");
	/* a path alone breaks after a slash, a list after a comma */
	assert_string_equal(wrapped("/var/lib/libvirt/images/web.qcow2", 12),
	                    "/var/lib/|libvirt/|images/|web.qcow2");
	assert_string_equal(wrapped("a,b,c,d,e,f", 4), "a,b,|c,d,|e,f");
	/* no break at all: cut at the width */
	assert_string_equal(wrapped("abcdefghij", 4), "abcd|efgh|ij");
	/* an indent is kept, and is no place to break */
	assert_string_equal(wrapped("  abcdefghij", 6), "  abcd|efghij");
	/* width below 1 counts as 1 */
	assert_string_equal(wrapped("ab", 0), "a|b");
}

static void
test_wrap_utf8(void **state)
{
	(void)state;
	/* columns are characters: "é" and "—" are one column each, and a cut
	 * never falls inside one */
	assert_string_equal(wrapped("\xc3\xa9t\xc3\xa9 \xe2\x80\x94 d\xc3\xa9j\xc3\xa0", 5),
	                    "\xc3\xa9t\xc3\xa9 \xe2\x80\x94|d\xc3\xa9j\xc3\xa0");
	assert_string_equal(wrapped("\xc3\xa9\xc3\xa9\xc3\xa9", 2), "\xc3\xa9\xc3\xa9|\xc3\xa9");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bytes_small),
		cmocka_unit_test(test_bytes_returns_buf),
		cmocka_unit_test(test_bytes_kib),
		cmocka_unit_test(test_bytes_units),
		cmocka_unit_test(test_bytes_huge_stays_in_exbibytes),
		cmocka_unit_test(test_bytes_rounding_boundaries),
		cmocka_unit_test(test_bytes_negative),
		cmocka_unit_test(test_bytes_small_buffer_truncates),
		cmocka_unit_test(test_rate),
		cmocka_unit_test(test_pct),
		cmocka_unit_test(test_same_digits_as_printf),
		cmocka_unit_test(test_duration_seconds),
		cmocka_unit_test(test_duration_as_printf),
		cmocka_unit_test(test_duration_minutes),
		cmocka_unit_test(test_duration_hours),
		cmocka_unit_test(test_duration_days),
		cmocka_unit_test(test_duration_negative),
		cmocka_unit_test(test_duration_steady),
		cmocka_unit_test(test_append),
		cmocka_unit_test(test_wrap_words),
		cmocka_unit_test(test_wrap_paths_and_long_words),
		cmocka_unit_test(test_wrap_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
