/* test_textdiff.c — model/defs/textdiff.h: unified diffs as `diff -u`
 * writes them, for the changes the hardware view and `vmtui edit` make. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/defs/textdiff.h"

static void
check(const char *a, const char *b, int ctx, const char *want)
{
	char *got = textdiff_unified(a, b, "old", "new", ctx);
	assert_string_equal(got, want);
	free(got);
}

static void
test_same(void **state)
{
	(void)state;
	check("a\nb\n", "a\nb\n", 3, "");
	check("a\nb", "a\nb\n", 3, "");
	check(NULL, "", 3, "");
}

static void
test_one_changed(void **state)
{
	(void)state;
	check("1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\n2\n3\n4\nfive\n6\n7\n8\n9\n", 3,
	      "--- old\n+++ new\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
}

static void
test_added_at_end_and_start(void **state)
{
	(void)state;
	check("a\nb\n", "a\nb\nc\n", 1, "--- old\n+++ new\n@@ -2,1 +2,2 @@\n b\n+c\n");
	check("a\nb\n", "z\na\nb\n", 1, "--- old\n+++ new\n@@ -1,1 +1,2 @@\n+z\n a\n");
	check("", "x\n", 3, "--- old\n+++ new\n@@ -0,0 +1,1 @@\n+x\n");
	check("x\n", NULL, 3, "--- old\n+++ new\n@@ -1,1 +0,0 @@\n-x\n");
}

static void
test_two_hunks_and_joined(void **state)
{
	(void)state;
	/* changes 6 lines apart with 1 line of context: two hunks */
	check("a\nb\nc\nd\ne\nf\ng\nh\n", "A\nb\nc\nd\ne\nf\ng\nH\n", 1,
	      "--- old\n+++ new\n@@ -1,2 +1,2 @@\n-a\n+A\n b\n@@ -7,2 +7,2 @@\n g\n-h\n+H\n");
	/* 2 lines apart with 1 of context: one hunk */
	check("a\nb\nc\nd\n", "A\nb\nc\nD\n", 1,
	      "--- old\n+++ new\n@@ -1,4 +1,4 @@\n-a\n+A\n b\n c\n-d\n+D\n");
}

static void
test_removals_before_additions(void **state)
{
	(void)state;
	check("<disk>\n<a/>\n<b/>\n</disk>\n", "<disk>\n<x/>\n<y/>\n</disk>\n", 0,
	      "--- old\n+++ new\n@@ -2,2 +2,2 @@\n-<a/>\n-<b/>\n+<x/>\n+<y/>\n");
}

static void
test_device_inserted(void **state)
{
	const char *a = "<devices>\n  <disk type='file'>\n  </disk>\n  <interface/>\n</devices>\n";
	const char *b = "<devices>\n  <disk type='file'>\n  </disk>\n"
	                "  <disk type='file'>\n  </disk>\n  <interface/>\n</devices>\n";
	char *d = textdiff_unified(a, b, "saved", "next boot", 1);
	size_t r, n;

	(void)state;
	textdiff_count(d, &r, &n);
	assert_int_equal(r, 0);
	assert_int_equal(n, 2);
	assert_non_null(strstr(d, "--- saved\n+++ next boot\n"));
	free(d);
}

static void
test_count_ignores_headers(void **state)
{
	size_t r, n;
	char *d = textdiff_unified("-- x\n", "++ y\n", "a", "b", 0);

	(void)state;
	textdiff_count(d, &r, &n);
	assert_int_equal(r, 1);
	assert_int_equal(n, 1);
	free(d);
	textdiff_count("", &r, &n);
	assert_int_equal(r + n, 0);
}

static void
test_big(void **state)
{
	size_t n = 3000, i, r, ad;
	char *a = malloc(n * 8 + 1), *b = malloc(n * 8 + 1), *pa = a, *pb = b, *d;

	(void)state;
	for (i = 0; i < n; i++) {
		pa += sprintf(pa, "%06zu\n", i);
		pb += sprintf(pb, "%06zu\n", i % 7 == 0 ? i + 1000000 : i);
	}
	d = textdiff_unified(a, b, "a", "b", 3);
	textdiff_count(d, &r, &ad);
	assert_int_equal(r, (n + 6) / 7);
	assert_int_equal(ad, (n + 6) / 7);
	free(d);
	free(a);
	free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same),
		cmocka_unit_test(test_one_changed),
		cmocka_unit_test(test_added_at_end_and_start),
		cmocka_unit_test(test_two_hunks_and_joined),
		cmocka_unit_test(test_removals_before_additions),
		cmocka_unit_test(test_device_inserted),
		cmocka_unit_test(test_count_ignores_headers),
		cmocka_unit_test(test_big),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
