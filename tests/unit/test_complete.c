/* test_complete.c — path completion for the open prompt. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tui/complete.h"

static char dir[] = "/tmp/vmtui-complete.XXXXXX";

static void
touch(const char *name)
{
	char p[256];
	FILE *f;

	snprintf(p, sizeof p, "%s/%s", dir, name);
	f = fopen(p, "w");
	assert_non_null(f);
	fclose(f);
}

static int
setup(void **state)
{
	char p[256];

	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	touch("web.yaml");
	touch("web-2.yaml");
	touch("db.yaml");
	touch(".hidden.yaml");
	snprintf(p, sizeof p, "%s/vms", dir);
	mkdir(p, 0700);
	return 0;
}

static int
teardown(void **state)
{
	char p[256];
	const char *names[] = { "web.yaml", "web-2.yaml", "db.yaml", ".hidden.yaml" };
	size_t i;

	(void)state;
	for (i = 0; i < 4; i++) {
		snprintf(p, sizeof p, "%s/%s", dir, names[i]);
		unlink(p);
	}
	snprintf(p, sizeof p, "%s/vms", dir);
	rmdir(p);
	rmdir(dir);
	return 0;
}

static void
test_unique_match_completes(void **state)
{
	struct completion c;
	char in[256], want[256];

	(void)state;
	snprintf(in, sizeof in, "%s/d", dir);
	snprintf(want, sizeof want, "%s/db.yaml", dir);
	assert_int_equal(complete_path(in, &c), 1);
	assert_string_equal(c.line, want);
	completion_free(&c);
}

static void
test_common_prefix_and_list(void **state)
{
	struct completion c;
	char in[256], want[256];

	(void)state;
	snprintf(in, sizeof in, "%s/w", dir);
	snprintf(want, sizeof want, "%s/web", dir);
	assert_int_equal(complete_path(in, &c), 2);
	assert_string_equal(c.line, want);
	assert_string_equal(c.matches[0], "web-2.yaml");
	assert_string_equal(c.matches[1], "web.yaml");
	completion_free(&c);
}

static void
test_directories_get_a_slash(void **state)
{
	struct completion c;
	char in[256], want[256];

	(void)state;
	snprintf(in, sizeof in, "%s/v", dir);
	snprintf(want, sizeof want, "%s/vms/", dir);
	assert_int_equal(complete_path(in, &c), 1);
	assert_string_equal(c.line, want);
	completion_free(&c);
}

static void
test_hidden_only_when_asked(void **state)
{
	struct completion c;
	char in[256];

	(void)state;
	snprintf(in, sizeof in, "%s/", dir);
	assert_int_equal(complete_path(in, &c), 4); /* db, vms/, web-2, web */
	completion_free(&c);
	snprintf(in, sizeof in, "%s/.h", dir);
	assert_int_equal(complete_path(in, &c), 1);
	assert_string_equal(c.matches[0], ".hidden.yaml");
	completion_free(&c);
}

static void
test_no_match_keeps_input(void **state)
{
	struct completion c;
	char in[256];

	(void)state;
	snprintf(in, sizeof in, "%s/zzz", dir);
	assert_int_equal(complete_path(in, &c), 0);
	assert_string_equal(c.line, in);
	completion_free(&c);
	assert_int_equal(complete_path("/nonexistent-dir-vmtui/x", &c), 0);
	assert_string_equal(c.line, "/nonexistent-dir-vmtui/x");
	completion_free(&c);
}

static void
test_tilde_is_home(void **state)
{
	struct completion c;
	char *old = getenv("HOME") ? strdup(getenv("HOME")) : NULL;

	(void)state;
	setenv("HOME", dir, 1);
	assert_int_equal(complete_path("~/db", &c), 1);
	assert_string_equal(c.line, "~/db.yaml");
	completion_free(&c);
	if (old) {
		setenv("HOME", old, 1);
		free(old);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unique_match_completes),
		cmocka_unit_test(test_common_prefix_and_list),
		cmocka_unit_test(test_directories_get_a_slash),
		cmocka_unit_test(test_hidden_only_when_asked),
		cmocka_unit_test(test_no_match_keeps_input),
		cmocka_unit_test(test_tilde_is_home),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
