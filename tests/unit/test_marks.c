/* test_marks.c — model/host/marks.h: marking guests by UUID and the
 * selections of the marks menu (glob, regex, tag, host, state, invert). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/host/host.h"
#include "model/host/marks.h"
#include "model/stats/vm.h"

struct fixture {
	struct host *h[2];
	struct vm *vm[6];
	struct row rows[6];
	struct marks *m;
};

static const struct {
	const char *uuid, *name;
	enum vm_state st;
	int host;
	const char *tag;
} guests[6] = {
	{ "00000000-0000-0000-0000-000000000001", "web-1", VM_RUNNING, 0, "web" },
	{ "00000000-0000-0000-0000-000000000002", "web-2", VM_SHUTOFF, 0, "web" },
	{ "00000000-0000-0000-0000-000000000003", "db-1", VM_RUNNING, 0, "db" },
	{ "00000000-0000-0000-0000-000000000004", "Web-3", VM_PAUSED, 1, "web" },
	{ "00000000-0000-0000-0000-000000000005", "cache", VM_SHUTOFF, 1, NULL },
	{ "00000000-0000-0000-0000-000000000006", "db-2", VM_RUNNING, 1, "db" },
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	size_t i;

	assert_non_null(f);
	f->h[0] = host_new(&(struct host_opts){ .uri = "test:///default", .name = "alpha" });
	f->h[1] = host_new(&(struct host_opts){ .uri = "test:///default", .name = "beta" });
	for (i = 0; i < 6; i++) {
		char *tag = (char *)guests[i].tag;
		f->vm[i] = vm_new(guests[i].uuid, guests[i].name, 4);
		f->vm[i]->state = guests[i].st;
		if (tag)
			vm_set_meta(f->vm[i], &tag, 1, NULL);
		f->rows[i].host = f->h[guests[i].host];
		f->rows[i].vm = f->vm[i];
	}
	f->m = marks_new();
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	size_t i;

	for (i = 0; i < 6; i++)
		vm_free(f->vm[i]);
	host_free(f->h[0]);
	host_free(f->h[1]);
	marks_free(f->m);
	free(f);
	return 0;
}

/* Which of the six are marked, as a string of 0 and 1. */
static const char *
which(const struct fixture *f)
{
	static char s[7];
	size_t i;

	for (i = 0; i < 6; i++)
		s[i] = marks_has(f->m, guests[i].uuid) ? '1' : '0';
	s[6] = '\0';
	return s;
}

static long
sel(struct fixture *f, enum mark_by by, const char *text)
{
	char *err = NULL;
	long n = marks_select(f->m, f->rows, 6, &(struct mark_sel){ by, text }, &err);

	if (n < 0) {
		assert_non_null(err);
		free(err);
	} else {
		assert_null(err);
	}
	return n;
}

static void
test_set_toggle(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(marks_count(f->m), 0);
	assert_true(marks_set(f->m, guests[2].uuid, true));
	assert_false(marks_set(f->m, guests[2].uuid, true)); /* already */
	assert_true(marks_toggle(f->m, guests[0].uuid));
	assert_string_equal(which(f), "101000");
	assert_int_equal(marks_count(f->m), 2);
	/* kept in UUID order whatever order they came in */
	assert_string_equal(marks_uuid(f->m, 0), guests[0].uuid);
	assert_string_equal(marks_uuid(f->m, 1), guests[2].uuid);
	assert_null(marks_uuid(f->m, 2));
	assert_false(marks_toggle(f->m, guests[0].uuid));
	assert_string_equal(which(f), "001000");
	assert_true(marks_set(f->m, guests[2].uuid, false));
	assert_false(marks_set(f->m, guests[2].uuid, false));
	assert_int_equal(marks_count(f->m), 0);
	assert_false(marks_has(NULL, guests[0].uuid));
	marks_free(NULL);
}

/* Marks are UUIDs: a guest that leaves the rows (filtered, or its host
 * down) keeps its mark and has it again when it comes back, in any order. */
static void
test_survive_rows(void **state)
{
	struct fixture *f = *state;
	struct row r[2];
	size_t g, h;

	marks_set(f->m, guests[3].uuid, true);
	marks_set(f->m, guests[5].uuid, true);
	r[0] = f->rows[5];
	r[1] = f->rows[0];
	marks_tally(f->m, r, 2, &g, &h);
	assert_int_equal(g, 1);
	assert_int_equal(h, 1);
	marks_tally(f->m, f->rows, 6, &g, &h);
	assert_int_equal(g, 2);
	assert_int_equal(h, 1);
	assert_int_equal(marks_count(f->m), 2);
}

static void
test_glob_regex(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(sel(f, MARK_GLOB, "web-*"), 2); /* case-sensitive: not Web-3 */
	assert_string_equal(which(f), "110000");
	assert_int_equal(sel(f, MARK_GLOB, "web-*"), 0); /* nothing new */
	marks_clear(f->m);
	assert_int_equal(sel(f, MARK_REGEX, "^web-[0-9]$"), 3); /* ignores case */
	assert_string_equal(which(f), "110100");
	assert_int_equal(sel(f, MARK_REGEX, "db|cache"), 3);
	assert_string_equal(which(f), "111111");
	marks_clear(f->m);
	assert_int_equal(sel(f, MARK_GLOB, "?b-[12]"), 2);
	assert_string_equal(which(f), "001001");
}

static void
test_bad_patterns(void **state)
{
	struct fixture *f = *state;
	char *err = NULL;

	assert_int_equal(sel(f, MARK_REGEX, "web-("), -1);
	assert_int_equal(sel(f, MARK_GLOB, ""), -1);
	assert_int_equal(sel(f, MARK_STATE, "sleepy"), -1);
	assert_int_equal(marks_select(f->m, f->rows, 6, &(struct mark_sel){ MARK_REGEX, "a[" }, &err),
	                 -1);
	assert_non_null(strstr(err, "is not a regular expression"));
	free(err);
	assert_int_equal(marks_count(f->m), 0); /* a bad pattern marks nothing */
}

static void
test_tag_host_state(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(sel(f, MARK_TAG, "db"), 2);
	assert_string_equal(which(f), "001001");
	assert_int_equal(sel(f, MARK_TAG, "nosuch"), 0);
	marks_clear(f->m);
	assert_int_equal(sel(f, MARK_HOST, "beta"), 3);
	assert_string_equal(which(f), "000111");
	marks_clear(f->m);
	assert_int_equal(sel(f, MARK_HOST, "al*"), 3);
	assert_string_equal(which(f), "111000");
	marks_clear(f->m);
	assert_int_equal(sel(f, MARK_STATE, "run"), 3);
	assert_string_equal(which(f), "101001");
	assert_int_equal(sel(f, MARK_STATE, "PAUSED"), 1);
	assert_string_equal(which(f), "101101");
	marks_clear(f->m);
	assert_int_equal(sel(f, MARK_STATE, "shut"), 2);
	assert_string_equal(which(f), "010010");
}

/* All shown and invert work on the rows given (the list as filtered);
 * marks of guests not shown stay as they are. */
static void
test_all_invert(void **state)
{
	struct fixture *f = *state;
	struct row shown[4] = { f->rows[0], { .host = f->h[0], .vm = NULL }, f->rows[1], f->rows[2] };
	size_t g, h;

	marks_set(f->m, guests[5].uuid, true); /* not shown */
	assert_int_equal(marks_select(f->m, shown, 4, &(struct mark_sel){ MARK_ALL, NULL },
	                              &(char *){ NULL }), 3);
	assert_string_equal(which(f), "111001");
	marks_set(f->m, guests[1].uuid, false);
	assert_int_equal(marks_invert(f->m, shown, 4), 1);
	assert_string_equal(which(f), "010001");
	/* the same guest twice among the rows flips once */
	shown[3] = f->rows[1];
	assert_int_equal(marks_invert(f->m, shown, 4), 1);
	assert_string_equal(which(f), "100001");
	marks_tally(f->m, f->rows, 6, &g, &h);
	assert_int_equal(g, 2);
	assert_int_equal(h, 2);
}

static void
test_describe(void **state)
{
	char b[64];

	(void)state;
	assert_string_equal(marks_describe(0, 0, b, sizeof b), "");
	assert_string_equal(marks_describe(1, 1, b, sizeof b), "1 marked");
	assert_string_equal(marks_describe(12, 3, b, sizeof b), "12 marked on 3 hosts");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_set_toggle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_survive_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_glob_regex, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_patterns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tag_host_state, setup, teardown),
		cmocka_unit_test_setup_teardown(test_all_invert, setup, teardown),
		cmocka_unit_test(test_describe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
