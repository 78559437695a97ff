/* test_hostjob.c — model/host/hostjob.h on a host's real worker thread against
 * libvirt's test driver (test:///default): files with errors (a VM without
 * a name, wrong types, empty documents, vmtui's configuration file, one
 * bad VM among good ones, a file that is not there) end the job as failed
 * with every error listed, no VM names and nothing to apply; a good file
 * is planned and names its VMs; a failed job can be replaced. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "model/base/notify.h"
#include "model/host/eventloop.h"
#include "model/host/host.h"
#include "model/host/hostjob.h"

#ifndef EXAMPLES_DIR
#define EXAMPLES_DIR "examples"
#endif

static char dir[] = "/tmp/vmtui-hostjob-XXXXXX";

static void
quiet(void *d, virErrorPtr e)
{
	(void)d;
	(void)e;
}

/* A file `name` in the test's folder holding text; its path (static). */
static const char *
write_file(const char *name, const char *text)
{
	static char path[4][256];
	static int next;
	char *p = path[next++ % 4];
	FILE *f;

	snprintf(p, sizeof path[0], "%s/%s", dir, name);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	return p;
}

/* A started host on a fresh test driver. */
static int
setup(void **state)
{
	struct host_opts o = { .uri = "test:///default", .interval_ms = 60000, .history = 4 };
	struct host *h = host_new(&o);

	host_start(h);
	*state = h;
	return 0;
}

static int
teardown(void **state)
{
	host_free(*state);
	return 0;
}

/* Plan the files and wait (10 s at most) for the worker to finish; the
 * job's state. The job stays on h for the caller to look at. */
static enum job_state
plan_files(struct host *h, const char *const *paths, size_t n)
{
	const char *why = NULL;
	enum job_state st = JOB_PLANNING;
	int i;

	if (!hostjob_plan(h, (char *const *)paths, n, &why))
		fail_msg("hostjob_plan: %s", why);
	for (i = 0; i < 1000 && st == JOB_PLANNING; i++) {
		host_lock(h);
		st = h->job->state;
		host_unlock(h);
		if (st == JOB_PLANNING)
			usleep(10000);
	}
	return st;
}

/* text must contain want. */
static void
assert_contains(const char *text, const char *want)
{
	if (text == NULL || strstr(text, want) == NULL)
		fail_msg("expected\n%s\nin\n%s", want, text ? text : "(null)");
}

/* One file of text fails: its errors listed, no names, nothing to apply,
 * and y does nothing. */
static void
fails_with(struct host *h, const char *text, const char *want)
{
	const char *path = write_file("bad.yaml", text);

	assert_int_equal(plan_files(h, &path, 1), JOB_FAILED);
	hostjob_apply(h);
	host_lock(h);
	assert_int_equal(h->job->state, JOB_FAILED);
	assert_contains(h->job->text, "; nothing was changed.\n");
	assert_contains(h->job->text, want);
	assert_int_equal(h->job->nnames, 0);
	assert_null(h->job->names);
	assert_false(h->job->can_apply);
	host_unlock(h);
}

/* The file of the report: two lines and no name. */
static void
test_no_name(void **state)
{
	fails_with(*state, "vcpus: 1\nmemory: 256M\n",
	           "1 error; nothing was changed.\n");
	fails_with(*state, "vcpus: 1\nmemory: 256M\n",
	           "bad.yaml:1:1: missing key \"name\" (every VM needs one)");
}

static void
test_wrong_types(void **state)
{
	fails_with(*state, "name: [a, b]\nvcpus: many\nmemory: {current: x}\ndisks: 7\n",
	           "bad.yaml:1:7: name: expected a VM name, not a list");
	fails_with(*state, "name: w\nnets: [{mac: 1}]\n",
	           "a network interface needs one of network, bridge or user: true");
}

static void
test_empty_documents(void **state)
{
	fails_with(*state, "", "bad.yaml:1:1: no VM defined");
	fails_with(*state, "---\n---\n", "bad.yaml:1:1: no VM defined");
	fails_with(*state, "# only a comment\n", "bad.yaml:1:1: no VM defined");
}

/* One bad VM among good ones: none of them is planned or named. */
static void
test_one_bad_among_good(void **state)
{
	fails_with(*state, "- name: good1\n  networks: []\n- vcpus: 2\n- name: good2\n",
	           "bad.yaml:3:3: missing key \"name\" (every VM needs one)");
}

/* examples/config.yaml, which Tab offers first in the open prompt. */
static void
test_config_file(void **state)
{
	struct host *h = *state;
	const char *path = EXAMPLES_DIR "/config.yaml";

	assert_int_equal(plan_files(h, &path, 1), JOB_FAILED);
	host_lock(h);
	assert_contains(h->job->text, "config.yaml:8:1: missing key \"name\" (every VM needs one)");
	assert_contains(h->job->text, "config.yaml:8:1: unknown key \"interval\" for a VM");
	assert_int_equal(h->job->nnames, 0);
	host_unlock(h);
}

/* A good file with a bad one, and a file that is not there. */
static void
test_several_files(void **state)
{
	struct host *h = *state;
	const char *paths[2];

	paths[0] = write_file("good.yaml", "name: fine\nnetworks: []\n");
	paths[1] = write_file("bad.yaml", "memory: 256M\n");
	assert_int_equal(plan_files(h, paths, 2), JOB_FAILED);
	host_lock(h);
	assert_contains(h->job->text, "1 error; nothing was changed.\n");
	assert_contains(h->job->text, "bad.yaml:1:1: missing key \"name\"");
	assert_int_equal(h->job->nnames, 0);
	host_unlock(h);
	paths[1] = "/nonexistent/vmtui-hostjob.yaml";
	assert_int_equal(plan_files(h, paths, 2), JOB_FAILED);
	host_lock(h);
	assert_contains(h->job->text, "/nonexistent/vmtui-hostjob.yaml:1:1: cannot read: ");
	assert_int_equal(h->job->nnames, 0);
	host_unlock(h);
}

/* After a failure the same host plans a good file, naming its VMs. */
static void
test_good_after_bad(void **state)
{
	struct host *h = *state;
	const char *path;

	fails_with(h, "vcpus: 1\n", "missing key \"name\"");
	path = write_file("good.yaml", "- name: fine1\n  networks: []\n"
	                               "- name: fine2\n  networks: []\n");
	assert_int_equal(plan_files(h, &path, 1), JOB_PLANNED);
	host_lock(h);
	assert_contains(h->job->text, "fine1: create\n");
	assert_true(h->job->can_apply);
	assert_int_equal(h->job->nerrors, 0);
	assert_int_equal(h->job->nnames, 2);
	assert_string_equal(h->job->names[0], "fine1");
	assert_string_equal(h->job->names[1], "fine2");
	host_unlock(h);
	hostjob_discard(h);
	host_lock(h);
	assert_null(h->job);
	host_unlock(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_no_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_types, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_documents, setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_bad_among_good, setup, teardown),
		cmocka_unit_test_setup_teardown(test_config_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_several_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_good_after_bad, setup, teardown),
	};
	char cmd[64];
	int rc;

	virSetErrorFunc(NULL, quiet);
	if (virInitialize() < 0 || notify_init() < 0 || eventloop_start() < 0)
		return 1;
	if (mkdtemp(dir) == NULL)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		rc = 1;
	eventloop_stop();
	notify_close();
	return rc;
}
