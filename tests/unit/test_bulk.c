/* test_bulk.c — model/guest/bulk.h: the scheduler with fake operations and
 * a counting connect (each host's limit honoured and reached, one
 * connection per thread, failures and a host that cannot be reached never
 * stopping the others, cancel leaving the started one to end and the rest
 * cancelled, skips, steps, the action log), then bulk_action_fn on
 * libvirt's test driver (skip with the reason, pause and resume, a
 * shutdown followed to shut off). Also run under ThreadSanitizer. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "model/base/msglog.h"
#include "model/guest/bulk.h"
#include "model/host/lvutil.h"

#define MAXH 4

/* What a fake host counts; conn_arg of its bulk_host. */
struct fakehost {
	atomic_int now, max;      /* operations running at once, and the most seen */
	atomic_int connects;      /* connections made */
	atomic_int calls;         /* operations run */
	bool refuse;              /* connect fails */
	unsigned limit;
};

static void
quiet(void *d, virErrorPtr e)
{
	(void)d;
	(void)e;
}

/* A real connection per call (closed by the run's thread), counted. */
static virConnectPtr
fake_connect(const struct bulk_host *bh, char **err)
{
	struct fakehost *fh = bh->conn_arg;

	atomic_fetch_add(&fh->connects, 1);
	if (fh->refuse) {
		*err = strdup("no route to host");
		return NULL;
	}
	return virConnectOpen("test:///default");
}

static void
nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Counts the operations at once on its host and holds each until the
 * host's limit is reached (or 2 s pass, when the guests left are fewer),
 * so that the most seen is the limit exactly when the run honours it.
 * Fails items whose name starts with "bad". */
static enum bulk_status
counting_fn(struct bulk_ctx *ctx, void *arg, char **msg, char **virsh)
{
	struct fakehost *fh = bulk_ctx_host(ctx)->conn_arg;
	const char *name = bulk_ctx_item(ctx)->name;
	int n, i;

	(void)arg;
	if (bulk_ctx_conn(ctx) == NULL)
		abort(); /* cmocka's asserts belong to the test's own thread */
	atomic_fetch_add(&fh->calls, 1);
	n = atomic_fetch_add(&fh->now, 1) + 1;
	for (int m = atomic_load(&fh->max); n > m && !atomic_compare_exchange_weak(&fh->max, &m, n);)
		;
	bulk_step(ctx, "working on %s", name);
	for (i = 0; i < 200 && atomic_load(&fh->max) < (int)fh->limit; i++)
		nap_ms(10);
	nap_ms(5);
	atomic_fetch_sub(&fh->now, 1);
	*virsh = strdup("virsh true");
	if (strncmp(name, "bad", 3) == 0) {
		*msg = strdup("it broke on purpose");
		return BULK_FAILED;
	}
	*msg = strdup("fine");
	return BULK_OK;
}

static atomic_int changes;

static void
count_changes(void *ud)
{
	(void)ud;
	atomic_fetch_add(&changes, 1);
}

/* A run over hosts with these limits, n guests each, the names given by
 * bad(i) starting with "bad". */
static struct bulk_run *
make_run(struct fakehost *fh, const unsigned *limits, size_t nh, size_t per,
         bool (*bad)(size_t h, size_t i))
{
	struct bulk_run *b = bulk_new("test", fake_connect, count_changes, NULL);
	size_t h, i;

	for (h = 0; h < nh; h++) {
		char label[32];
		fh[h].limit = limits[h];
		snprintf(label, sizeof label, "h%u", (unsigned)h);
		assert_int_equal(bulk_add_host(b, label, "test:///default", NULL, limits[h], &fh[h]),
		                 h);
		for (i = 0; i < per; i++) {
			char name[64], uuid[64];
			snprintf(name, sizeof name, "%s-h%u-%u", bad && bad(h, i) ? "bad" : "vm",
			         (unsigned)h, (unsigned)i);
			snprintf(uuid, sizeof uuid, "00000000-0000-0000-%04x-%012x", (unsigned)h & 0xffff,
			         (unsigned)i);
			bulk_add(b, h, uuid, name, counting_fn, NULL, NULL);
		}
	}
	return b;
}

static void
test_limits(void **state)
{
	static const unsigned limits[] = { 1, 2, 4, 3 };
	struct fakehost fh[MAXH] = { 0 };
	struct bulk_run *b;
	size_t counts[BULK_SKIPPED + 1], h, i;

	(void)state;
	b = make_run(fh, limits, 4, 9, NULL);
	assert_int_equal(bulk_count(b), 36);
	assert_int_equal(bulk_host_count(b), 4);
	bulk_start(b);
	bulk_wait(b);
	for (h = 0; h < 4; h++) {
		assert_int_equal(atomic_load(&fh[h].max), (int)limits[h]);
		assert_int_equal(atomic_load(&fh[h].calls), 9);
		/* One connection per thread, never one per guest. */
		assert_int_equal(atomic_load(&fh[h].connects), (int)limits[h]);
	}
	bulk_lock(b);
	assert_true(bulk_tally(b, counts));
	assert_int_equal(counts[BULK_OK], 36);
	for (i = 0; i < bulk_count(b); i++) {
		const struct bulk_item *it = bulk_item(b, i);
		assert_int_equal(it->status, BULK_OK);
		assert_string_equal(it->msg, "fine");
		assert_string_equal(it->virsh, "virsh true");
		assert_null(it->step);
		assert_true(it->secs >= 0);
	}
	bulk_unlock(b);
	assert_true(atomic_load(&changes) >= 36 * 2);
	bulk_free(b);
}

static bool
every_third(size_t h, size_t i)
{
	(void)h;
	return i % 3 == 1;
}

static void
test_failures_do_not_stop_others(void **state)
{
	static const unsigned limits[] = { 2, 1 };
	struct fakehost fh[MAXH] = { 0 };
	struct bulk_run *b;
	size_t counts[BULK_SKIPPED + 1], i;

	(void)state;
	b = make_run(fh, limits, 2, 7, every_third);
	bulk_start(b);
	bulk_wait(b);
	bulk_lock(b);
	assert_true(bulk_tally(b, counts));
	assert_int_equal(counts[BULK_FAILED], 4);
	assert_int_equal(counts[BULK_OK], 10);
	for (i = 0; i < bulk_count(b); i++) {
		const struct bulk_item *it = bulk_item(b, i);
		bool bad = strncmp(it->name, "bad", 3) == 0;
		assert_int_equal(it->status, bad ? BULK_FAILED : BULK_OK);
		assert_string_equal(it->msg, bad ? "it broke on purpose" : "fine");
	}
	bulk_unlock(b);
	bulk_free(b);
}

static void
test_unreachable_host(void **state)
{
	static const unsigned limits[] = { 3, 2 };
	struct fakehost fh[MAXH] = { 0 };
	struct bulk_run *b;
	size_t counts[BULK_SKIPPED + 1], i;

	(void)state;
	fh[0].refuse = true;
	b = make_run(fh, limits, 2, 5, NULL);
	bulk_start(b);
	bulk_wait(b);
	bulk_lock(b);
	assert_true(bulk_tally(b, counts));
	assert_int_equal(counts[BULK_FAILED], 5);
	assert_int_equal(counts[BULK_OK], 5);
	for (i = 0; i < bulk_count(b); i++) {
		const struct bulk_item *it = bulk_item(b, i);
		if (it->host == 0) {
			assert_int_equal(it->status, BULK_FAILED);
			assert_string_equal(it->msg, "Cannot connect to h0: no route to host");
			assert_null(it->virsh);
		} else {
			assert_int_equal(it->status, BULK_OK);
		}
	}
	bulk_unlock(b);
	/* Each thread tried at most once, then failed the rest without
	 * trying again (a thread may end them all before another starts). */
	assert_in_range(atomic_load(&fh[0].connects), 1, 3);
	assert_int_equal(atomic_load(&fh[0].calls), 0);
	assert_int_equal(atomic_load(&fh[1].calls), 5);
	bulk_free(b);
}

/* Cancel: the first guest's operation waits for the cancel. */
static pthread_mutex_t gate_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cv = PTHREAD_COND_INITIALIZER;
static bool gate_running;
static atomic_int waiter_calls;

static enum bulk_status
waiter_fn(struct bulk_ctx *ctx, void *arg, char **msg, char **virsh)
{
	(void)arg;
	(void)virsh;
	atomic_fetch_add(&waiter_calls, 1);
	pthread_mutex_lock(&gate_mu);
	gate_running = true;
	pthread_cond_broadcast(&gate_cv);
	pthread_mutex_unlock(&gate_mu);
	bulk_step(ctx, "waiting for the cancel");
	while (!bulk_ctx_cancelled(ctx))
		nap_ms(5);
	*msg = strdup("stopped: cancelled");
	return BULK_FAILED;
}

static atomic_int freed;

static void
free_counted(void *arg)
{
	atomic_fetch_add(&freed, 1);
	free(arg);
}

static void
test_cancel(void **state)
{
	struct fakehost fh = { .limit = 1 };
	struct bulk_run *b = bulk_new("wait", fake_connect, NULL, NULL);
	size_t counts[BULK_SKIPPED + 1], i;

	(void)state;
	atomic_store(&freed, 0);
	bulk_add_host(b, "h", "test:///default", NULL, 1, &fh);
	for (i = 0; i < 6; i++) {
		char name[32];
		snprintf(name, sizeof name, "w%u", (unsigned)i);
		bulk_add(b, 0, "", name, waiter_fn, malloc(8), free_counted);
	}
	bulk_start(b);
	pthread_mutex_lock(&gate_mu);
	while (!gate_running)
		pthread_cond_wait(&gate_cv, &gate_mu);
	pthread_mutex_unlock(&gate_mu);
	bulk_lock(b);
	assert_false(bulk_tally(b, counts));
	assert_int_equal(counts[BULK_RUNNING], 1);
	assert_int_equal(counts[BULK_QUEUED], 5);
	bulk_unlock(b);
	bulk_cancel(b);
	bulk_cancel(b); /* idempotent */
	bulk_wait(b);
	bulk_lock(b);
	assert_true(bulk_tally(b, counts));
	assert_int_equal(counts[BULK_FAILED], 1);
	assert_int_equal(counts[BULK_CANCELLED], 5);
	assert_int_equal(bulk_item(b, 0)->status, BULK_FAILED);
	assert_string_equal(bulk_item(b, 0)->msg, "stopped: cancelled");
	for (i = 1; i < 6; i++) {
		assert_int_equal(bulk_item(b, i)->status, BULK_CANCELLED);
		assert_string_equal(bulk_item(b, i)->msg, "cancelled before it started");
	}
	bulk_unlock(b);
	assert_int_equal(atomic_load(&waiter_calls), 1);
	bulk_free(b);
	assert_int_equal(atomic_load(&freed), 6);
}

/* bulk_free on a run still going cancels it and joins its threads. */
static void
test_free_while_running(void **state)
{
	struct fakehost fh = { .limit = 2 };
	struct bulk_run *b = bulk_new("wait", fake_connect, NULL, NULL);
	size_t i;

	(void)state;
	atomic_store(&waiter_calls, 0);
	pthread_mutex_lock(&gate_mu);
	gate_running = false;
	pthread_mutex_unlock(&gate_mu);
	bulk_add_host(b, "h", "test:///default", NULL, 2, &fh);
	for (i = 0; i < 4; i++)
		bulk_add(b, 0, "", "w", waiter_fn, NULL, NULL);
	bulk_start(b);
	pthread_mutex_lock(&gate_mu);
	while (!gate_running)
		pthread_cond_wait(&gate_cv, &gate_mu);
	pthread_mutex_unlock(&gate_mu);
	bulk_free(b);
	assert_true(atomic_load(&waiter_calls) <= 2);
}

static enum bulk_status
skip_fn(struct bulk_ctx *ctx, void *arg, char **msg, char **virsh)
{
	(void)ctx;
	(void)virsh;
	*msg = strdup((const char *)arg);
	return BULK_SKIPPED;
}

/* A function that sets no message, and one that returns a status a
 * function may not: the run says so instead of leaving it empty. */
static enum bulk_status
silent_fn(struct bulk_ctx *ctx, void *arg, char **msg, char **virsh)
{
	(void)ctx;
	(void)msg;
	(void)virsh;
	return arg ? BULK_RUNNING : BULK_OK;
}

static void
test_skip_and_log(void **state)
{
	struct fakehost fh = { .limit = 2 };
	struct bulk_run *b = bulk_new("start", fake_connect, NULL, NULL);
	size_t counts[BULK_SKIPPED + 1], n, k;
	bool saw_skip = false, saw_fail = false, saw_ok = false;

	(void)state;
	bulk_add_host(b, "h", "test:///default", NULL, 0 /* taken as 1 */, &fh);
	assert_int_equal(bulk_host(b, 0)->limit, 1);
	bulk_add(b, 0, "", "a", skip_fn, strdup("a is already running"), free);
	bulk_add(b, 0, "", "b", silent_fn, NULL, NULL);
	bulk_add(b, 0, "", "c", silent_fn, (void *)1, NULL);
	bulk_log_outcomes(b, true);
	bulk_start(b);
	bulk_wait(b);
	bulk_lock(b);
	assert_true(bulk_tally(b, counts));
	assert_int_equal(counts[BULK_SKIPPED], 1);
	assert_int_equal(counts[BULK_OK], 1);
	assert_int_equal(counts[BULK_FAILED], 1);
	assert_string_equal(bulk_item(b, 0)->msg, "a is already running");
	assert_string_equal(bulk_item(b, 1)->msg, "done");
	assert_non_null(strstr(bulk_item(b, 2)->msg, "no outcome"));
	bulk_unlock(b);
	n = msglog_count();
	for (k = 0; k < n && k < 10; k++) {
		struct msg m;
		assert_true(msglog_get(k, &m));
		saw_skip |= strcmp(m.text, "start a skipped: a is already running") == 0;
		saw_ok |= strcmp(m.text, "start b: done") == 0;
		saw_fail |= strncmp(m.text, "start c failed: ", 16) == 0;
		msg_clear(&m);
	}
	assert_true(saw_skip);
	assert_true(saw_ok);
	assert_true(saw_fail);
	assert_string_equal(bulk_status_name(BULK_OK), "done");
	assert_string_equal(bulk_status_name(BULK_CANCELLED), "cancelled");
	assert_string_equal(bulk_what(b), "start");
	bulk_free(b);
	bulk_free(NULL);
}

/* An empty run ends at once. */
static void
test_empty(void **state)
{
	struct bulk_run *b = bulk_new("nothing", NULL, NULL, NULL);
	size_t counts[BULK_SKIPPED + 1];

	(void)state;
	bulk_add_host(b, "h", "test:///default", NULL, 4, NULL);
	bulk_start(b);
	bulk_wait(b);
	bulk_lock(b);
	assert_true(bulk_tally(b, counts));
	bulk_unlock(b);
	bulk_free(b);
}

/* ---- bulk_action_fn on the test driver (one shared in-process state) ---- */

static virConnectPtr
test_connect(const struct bulk_host *bh, char **err)
{
	virConnectPtr c = virConnectOpen(bh->uri);

	if (c == NULL)
		*err = lv_err_line();
	return c;
}

/* Run action a on the test driver's guest "test"; its item's copy. */
static enum bulk_status
run_action(enum action a, unsigned wait_ms, char **msg, char **virsh)
{
	virConnectPtr c = virConnectOpen("test:///default");
	virDomainPtr d = virDomainLookupByName(c, "test");
	char uuid[VIR_UUID_STRING_BUFLEN];
	struct bulk_run *b = bulk_new(action_name(a), test_connect, NULL, NULL);
	enum bulk_status st;

	assert_int_equal(virDomainGetUUIDString(d, uuid), 0);
	bulk_add_host(b, "test", "test:///default", "test:///default", 1, NULL);
	bulk_add(b, 0, uuid, "test", bulk_action_fn, (void *)(intptr_t)a, NULL);
	bulk_set_wait(b, wait_ms);
	bulk_start(b);
	bulk_wait(b);
	bulk_lock(b);
	st = bulk_item(b, 0)->status;
	*msg = strdup(bulk_item(b, 0)->msg);
	*virsh = bulk_item(b, 0)->virsh ? strdup(bulk_item(b, 0)->virsh) : NULL;
	bulk_unlock(b);
	bulk_free(b);
	if (getenv("BULK_DEBUG"))
		print_message("%s: %s -> %s\n", action_name(a), bulk_status_name(st), *msg);
	virDomainFree(d);
	virConnectClose(c);
	return st;
}

static void
test_action_fn(void **state)
{
	/* The test driver's state lives while a connection to it is open. */
	virConnectPtr keep = virConnectOpen("test:///default");
	char *msg, *virsh;

	(void)state;
	/* The test driver's "test" guest runs. */
	assert_int_equal(run_action(ACT_START, 0, &msg, &virsh), BULK_SKIPPED);
	assert_string_equal(msg, "test was left alone: it is already running.");
	assert_null(virsh);
	free(msg);
	assert_int_equal(run_action(ACT_SUSPEND, 0, &msg, &virsh), BULK_OK);
	assert_string_equal(msg, "Paused test.");
	assert_string_equal(virsh, "virsh -c test:///default suspend test");
	free(msg);
	free(virsh);
	assert_int_equal(run_action(ACT_SHUTDOWN, 0, &msg, &virsh), BULK_SKIPPED);
	assert_string_equal(msg, "test was left alone: it is paused (resume it first).");
	free(msg);
	assert_int_equal(run_action(ACT_RESUME, 0, &msg, &virsh), BULK_OK);
	free(msg);
	free(virsh);
	assert_int_equal(run_action(ACT_AUTOSTART_OFF, 0, &msg, &virsh), BULK_SKIPPED);
	assert_string_equal(msg, "test was left alone: autostart is already off.");
	free(msg);
	/* The test driver shuts a guest off at once: followed to shut off. */
	assert_int_equal(run_action(ACT_SHUTDOWN, 0, &msg, &virsh), BULK_OK);
	assert_non_null(strstr(msg, "test shut off (after "));
	assert_string_equal(virsh, "virsh -c test:///default shutdown test");
	free(msg);
	free(virsh);
	assert_int_equal(run_action(ACT_DESTROY, 0, &msg, &virsh), BULK_SKIPPED);
	free(msg);
	assert_int_equal(run_action(ACT_REBOOT, 0, &msg, &virsh), BULK_SKIPPED);
	assert_string_equal(msg, "test was left alone: it is not running.");
	free(msg);
	assert_int_equal(run_action(ACT_START, BULK_NO_WAIT, &msg, &virsh), BULK_OK);
	assert_string_equal(msg, "Started test.");
	free(msg);
	free(virsh);
	/* The test driver's reboot leaves no trace (no event, the same ID, no
	 * stop seen): the wait passes and the item says what to do. */
	assert_int_equal(run_action(ACT_REBOOT, 300, &msg, &virsh), BULK_FAILED);
	assert_non_null(strstr(msg, "test has not rebooted 0."));
	assert_non_null(strstr(msg, "after the reboot request"));
	assert_string_equal(virsh, "virsh -c test:///default reboot test");
	free(msg);
	free(virsh);
	virConnectClose(keep);
}

/* A guest gone between the choice and the run fails, named. */
static void
test_action_gone(void **state)
{
	struct bulk_run *b = bulk_new("start", test_connect, NULL, NULL);

	(void)state;
	bulk_add_host(b, "test", "test:///default", NULL, 1, NULL);
	bulk_add(b, 0, "11111111-2222-3333-4444-555555555555", "ghost", bulk_action_fn,
	         (void *)(intptr_t)ACT_START, NULL);
	bulk_start(b);
	bulk_wait(b);
	bulk_lock(b);
	assert_int_equal(bulk_item(b, 0)->status, BULK_FAILED);
	assert_non_null(strstr(bulk_item(b, 0)->msg, "ghost is no longer on test"));
	bulk_unlock(b);
	bulk_free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_failures_do_not_stop_others),
		cmocka_unit_test(test_unreachable_host),
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_free_while_running),
		cmocka_unit_test(test_skip_and_log),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_action_fn),
		cmocka_unit_test(test_action_gone),
	};
	int rc;

	virSetErrorFunc(NULL, quiet);
	/* With the event loop: a reboot is seen by libvirt's reboot event. */
	if (lv_start(true) < 0)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	lv_stop();
	msglog_free_all();
	return rc;
}
