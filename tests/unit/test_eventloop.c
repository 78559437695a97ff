/* test_eventloop.c — model/host/eventloop.c: vmtui's libvirt event loop, driven
 * through libvirt's public virEvent* calls on pipes and timers. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <libvirt/libvirt.h>

#include "model/host/eventloop.h"

static pthread_t test_thread;

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Wait up to ms for *v to reach at least want; its final value. */
static int
wait_for(atomic_int *v, int want, unsigned ms)
{
	uint64_t end = now_ms() + ms;

	while (atomic_load(v) < want && now_ms() < end)
		sleep_ms(1);
	return atomic_load(v);
}

static void
make_pipe(int p[2])
{
	assert_int_equal(pipe2(p, O_NONBLOCK | O_CLOEXEC), 0);
}

static void
close_pipe(int p[2])
{
	close(p[0]);
	close(p[1]);
}

/* ---- a handle's record of what happened to it ---- */

struct rec {
	atomic_int calls;        /* callback runs */
	atomic_int frees;        /* free function runs */
	atomic_int last_events;
	atomic_int last_fd;
	atomic_bool in_remove;   /* a callback is inside virEventRemove* */
	atomic_bool freed_inside; /* the free function ran inside remove */
	atomic_bool freed_on_caller; /* ... or on the test's thread */
	atomic_bool running;     /* the callback is running */
	atomic_bool freed_while_running;
	atomic_bool remove_failed; /* a remove in the callback was refused */
	bool drain;              /* read the pipe in the callback */
	int remove_self;         /* remove this watch/timer in the callback */
	unsigned hold_ms;        /* sleep in the callback */
};

static void
rec_free(void *opaque)
{
	struct rec *r = opaque;

	if (atomic_load(&r->in_remove))
		atomic_store(&r->freed_inside, true);
	if (pthread_equal(pthread_self(), test_thread))
		atomic_store(&r->freed_on_caller, true);
	if (atomic_load(&r->running))
		atomic_store(&r->freed_while_running, true);
	atomic_fetch_add(&r->frees, 1);
}

static void
on_fd(int watch, int fd, int events, void *opaque)
{
	struct rec *r = opaque;
	char buf[64];

	atomic_store(&r->running, true);
	atomic_store(&r->last_events, events);
	atomic_store(&r->last_fd, fd);
	if (r->drain)
		while (read(fd, buf, sizeof buf) > 0)
			;
	if (r->remove_self) {
		atomic_store(&r->in_remove, true);
		if (virEventRemoveHandle(watch) != 0)
			atomic_store(&r->remove_failed, true);
		atomic_store(&r->in_remove, false);
	}
	if (r->hold_ms)
		sleep_ms(r->hold_ms);
	atomic_fetch_add(&r->calls, 1);
	atomic_store(&r->running, false);
}

static void
on_timer(int timer, void *opaque)
{
	struct rec *r = opaque;

	atomic_store(&r->running, true);
	if (r->remove_self) {
		atomic_store(&r->in_remove, true);
		if (virEventRemoveTimeout(timer) != 0)
			atomic_store(&r->remove_failed, true);
		atomic_store(&r->in_remove, false);
	}
	if (r->hold_ms)
		sleep_ms(r->hold_ms);
	atomic_fetch_add(&r->calls, 1);
	atomic_store(&r->running, false);
}

/* Remove from the test's thread. (Whether the free function ran inside the
 * remove is told by the thread it ran on: the loop may run it as soon as
 * the remove returns, so a flag around the call would race.) */
static void
remove_handle(struct rec *r, int watch)
{
	(void)r;
	assert_int_equal(virEventRemoveHandle(watch), 0);
}

static void
remove_timer(struct rec *r, int timer)
{
	(void)r;
	assert_int_equal(virEventRemoveTimeout(timer), 0);
}

/* The free function ran once, later, on the loop's thread. */
static void
assert_freed_once(struct rec *r)
{
	assert_int_equal(wait_for(&r->frees, 1, 2000), 1);
	sleep_ms(30);
	assert_int_equal(atomic_load(&r->frees), 1);
	assert_false(atomic_load(&r->freed_inside));
	assert_false(atomic_load(&r->freed_on_caller));
	assert_false(atomic_load(&r->freed_while_running));
	assert_false(atomic_load(&r->remove_failed));
}

/* ---- tests ---- */

static void
test_readable_fires(void **state)
{
	struct rec r = { .drain = true };
	int p[2], w;

	(void)state;
	make_pipe(p);
	w = virEventAddHandle(p[0], VIR_EVENT_HANDLE_READABLE, on_fd, &r, rec_free);
	assert_true(w > 0);
	sleep_ms(30);
	assert_int_equal(atomic_load(&r.calls), 0); /* nothing to read yet */
	assert_int_equal(write(p[1], "x", 1), 1);
	assert_int_equal(wait_for(&r.calls, 1, 1000), 1);
	assert_int_equal(atomic_load(&r.last_fd), p[0]);
	assert_true(atomic_load(&r.last_events) & VIR_EVENT_HANDLE_READABLE);
	assert_int_equal(write(p[1], "yz", 2), 2);
	assert_int_equal(wait_for(&r.calls, 2, 1000), 2);
	remove_handle(&r, w);
	assert_freed_once(&r);
	/* A second remove of the same watch is refused, and frees nothing. */
	assert_int_equal(virEventRemoveHandle(w), -1);
	sleep_ms(20);
	assert_int_equal(atomic_load(&r.frees), 1);
	close_pipe(p);
}

/* Data waiting on a disabled handle calls nothing, and does not keep the
 * loop busy; enabling it from this thread wakes the loop at once. */
static void
test_disabled_does_not_fire(void **state)
{
	struct rec r = { .drain = true };
	int p[2], w;
	unsigned long before;
	uint64_t t0;

	(void)state;
	make_pipe(p);
	assert_int_equal(write(p[1], "x", 1), 1);
	w = virEventAddHandle(p[0], 0, on_fd, &r, rec_free);
	assert_true(w > 0);
	sleep_ms(30);
	before = eventloop_wakeups();
	sleep_ms(100);
	assert_int_equal(atomic_load(&r.calls), 0);
	assert_true(eventloop_wakeups() - before <= 1);
	t0 = now_ms();
	virEventUpdateHandle(w, VIR_EVENT_HANDLE_READABLE);
	assert_int_equal(wait_for(&r.calls, 1, 1000), 1);
	assert_true(now_ms() - t0 < 200);
	remove_handle(&r, w);
	assert_freed_once(&r);
	close_pipe(p);
}

/* Disabling while poll() waits on the handle needs no wake-up; the loop
 * drops it when it next wakes, and the callback is not called. */
static void
test_disable_is_lazy(void **state)
{
	struct rec r = { 0 }; /* does not read: stays readable */
	int p[2], w;
	unsigned long before, woke;

	(void)state;
	make_pipe(p);
	w = virEventAddHandle(p[0], VIR_EVENT_HANDLE_READABLE, on_fd, &r, rec_free);
	assert_true(w > 0);
	sleep_ms(50);
	before = eventloop_wakeups();
	virEventUpdateHandle(w, 0);
	sleep_ms(50);
	assert_int_equal(eventloop_wakeups(), before);
	/* Enabling again what poll() still waits for needs none either. */
	virEventUpdateHandle(w, VIR_EVENT_HANDLE_READABLE);
	sleep_ms(50);
	assert_int_equal(eventloop_wakeups(), before);
	/* Disabled, then data: one wake-up for the pipe, no call, no spinning. */
	virEventUpdateHandle(w, 0);
	assert_int_equal(write(p[1], "x", 1), 1);
	sleep_ms(100);
	woke = eventloop_wakeups() - before;
	assert_true(woke >= 1 && woke <= 2);
	assert_int_equal(atomic_load(&r.calls), 0);
	remove_handle(&r, w);
	assert_freed_once(&r);
	close_pipe(p);
}

/* A handle that stays readable keeps firing until it is disabled. */
static void
test_update_stops_firing(void **state)
{
	struct rec r = { 0 };
	int p[2], w, n;

	(void)state;
	make_pipe(p);
	assert_int_equal(write(p[1], "x", 1), 1);
	w = virEventAddHandle(p[0], VIR_EVENT_HANDLE_READABLE, on_fd, &r, rec_free);
	assert_true(wait_for(&r.calls, 5, 1000) >= 5);
	virEventUpdateHandle(w, 0);
	sleep_ms(20);
	n = atomic_load(&r.calls);
	sleep_ms(50);
	assert_int_equal(atomic_load(&r.calls), n);
	remove_handle(&r, w);
	assert_freed_once(&r);
	close_pipe(p);
}

static void
test_hangup_reported(void **state)
{
	struct rec r = { .drain = true, .remove_self = 1 };
	int p[2], w;

	(void)state;
	make_pipe(p);
	w = virEventAddHandle(p[0], VIR_EVENT_HANDLE_READABLE, on_fd, &r, rec_free);
	assert_true(w > 0);
	close(p[1]);
	assert_int_equal(wait_for(&r.calls, 1, 1000), 1);
	assert_true(atomic_load(&r.last_events) & VIR_EVENT_HANDLE_HANGUP);
	assert_freed_once(&r);
	assert_int_equal(atomic_load(&r.calls), 1);
	close(p[0]);
}

/* A timer fires every interval; -1 stops it; from -1 to an interval starts
 * it again (the loop, otherwise idle, is woken). */
static void
test_timer_interval(void **state)
{
	struct rec r = { 0 };
	int t, n;
	uint64_t t0 = now_ms();

	(void)state;
	t = virEventAddTimeout(40, on_timer, &r, rec_free);
	assert_true(t > 0);
	/* A loaded machine may let it fire twice before this thread looks. */
	assert_true(wait_for(&r.calls, 1, 1000) >= 1);
	assert_true(now_ms() - t0 >= 40);
	/* It fires again and again, never more often than every 40 ms (a
	 * loaded machine only makes it later). */
	assert_true(wait_for(&r.calls, 3, 5000) >= 3);
	n = atomic_load(&r.calls);
	assert_true((uint64_t)n <= (now_ms() - t0) / 40 + 1);
	virEventUpdateTimeout(t, -1);
	sleep_ms(20);
	n = atomic_load(&r.calls);
	sleep_ms(120);
	assert_int_equal(atomic_load(&r.calls), n);
	t0 = now_ms();
	virEventUpdateTimeout(t, 30);
	assert_true(wait_for(&r.calls, n + 1, 5000) >= n + 1);
	assert_true(now_ms() - t0 >= 30);
	remove_timer(&r, t);
	assert_freed_once(&r);
}

static void
test_timer_disabled_never_fires(void **state)
{
	struct rec r = { 0 };
	int t;

	(void)state;
	t = virEventAddTimeout(-1, on_timer, &r, rec_free);
	assert_true(t > 0);
	sleep_ms(150);
	assert_int_equal(atomic_load(&r.calls), 0);
	/* 0: at once, from another thread, on an idle loop. */
	virEventUpdateTimeout(t, 0);
	assert_true(wait_for(&r.calls, 1, 500) >= 1);
	virEventUpdateTimeout(t, -1);
	remove_timer(&r, t);
	assert_freed_once(&r);
}

/* A timer removing itself from its callback is not called again; its free
 * function runs after the callback returned, not inside the remove. */
static void
test_timer_removes_itself(void **state)
{
	struct rec r = { .remove_self = 1, .hold_ms = 20 };
	int t;

	(void)state;
	t = virEventAddTimeout(0, on_timer, &r, rec_free);
	assert_true(t > 0);
	assert_int_equal(wait_for(&r.calls, 1, 1000), 1);
	assert_freed_once(&r);
	assert_int_equal(atomic_load(&r.calls), 1);
	assert_int_equal(virEventRemoveTimeout(t), -1);
}

/* Removed from this thread while its callback runs: the free function waits
 * for the callback to return. */
static void
test_free_waits_for_callback(void **state)
{
	struct rec r = { .hold_ms = 100 };
	int t;

	(void)state;
	t = virEventAddTimeout(0, on_timer, &r, rec_free);
	while (!atomic_load(&r.running))
		sleep_ms(1);
	remove_timer(&r, t);
	assert_freed_once(&r);
	assert_true(atomic_load(&r.calls) >= 1);
}

/* ---- adding and removing from inside callbacks ---- */

struct nest {
	atomic_int calls;
	int p[2];
	struct rec child_fd, child_timer;
	atomic_int child_watch, child_timer_id;
};

static void
on_nest(int timer, void *opaque)
{
	struct nest *n = opaque;

	virEventUpdateTimeout(timer, -1);
	atomic_store(&n->child_watch, virEventAddHandle(n->p[0], VIR_EVENT_HANDLE_READABLE,
	                                                on_fd, &n->child_fd, rec_free));
	atomic_store(&n->child_timer_id, virEventAddTimeout(10, on_timer, &n->child_timer,
	                                                    rec_free));
	atomic_fetch_add(&n->calls, 1);
}

static void
test_add_inside_callback(void **state)
{
	struct nest n = { .child_fd = { .drain = true }, .child_timer = { .remove_self = 1 } };
	int t;

	(void)state;
	make_pipe(n.p);
	t = virEventAddTimeout(0, on_nest, &n, NULL);
	assert_int_equal(wait_for(&n.calls, 1, 1000), 1);
	assert_true(atomic_load(&n.child_watch) > 0);
	assert_true(atomic_load(&n.child_timer_id) > 0);
	/* The child timer fires (once: it removes itself) and is freed. */
	assert_int_equal(wait_for(&n.child_timer.calls, 1, 1000), 1);
	assert_freed_once(&n.child_timer);
	/* The child handle fires for data. */
	assert_int_equal(write(n.p[1], "x", 1), 1);
	assert_int_equal(wait_for(&n.child_fd.calls, 1, 1000), 1);
	remove_handle(&n.child_fd, atomic_load(&n.child_watch));
	assert_freed_once(&n.child_fd);
	assert_int_equal(virEventRemoveTimeout(t), 0);
	sleep_ms(20);
	assert_int_equal(atomic_load(&n.calls), 1);
	close_pipe(n.p);
}

/* Two ready handles, each removing the other: only the first runs. */
struct pair {
	atomic_int calls;
	int watch[2];
};

static void
on_pair(int watch, int fd, int events, void *opaque)
{
	struct pair *pr = opaque;

	(void)fd;
	(void)events;
	atomic_fetch_add(&pr->calls, 1);
	virEventRemoveHandle(watch == pr->watch[0] ? pr->watch[1] : pr->watch[0]);
	virEventRemoveHandle(watch);
}

static void
test_remove_other_inside_callback(void **state)
{
	struct pair pr = { 0 };
	int a[2], b[2];

	(void)state;
	make_pipe(a);
	make_pipe(b);
	assert_int_equal(write(a[1], "x", 1), 1);
	assert_int_equal(write(b[1], "x", 1), 1);
	/* Added while the loop is stopped, so that one poll() sees both. */
	eventloop_stop();
	pr.watch[0] = virEventAddHandle(a[0], VIR_EVENT_HANDLE_READABLE, on_pair, &pr, NULL);
	pr.watch[1] = virEventAddHandle(b[0], VIR_EVENT_HANDLE_READABLE, on_pair, &pr, NULL);
	assert_int_equal(eventloop_start(), 0);
	assert_int_equal(wait_for(&pr.calls, 1, 1000), 1);
	sleep_ms(50);
	assert_int_equal(atomic_load(&pr.calls), 1);
	close_pipe(a);
	close_pipe(b);
}

/* ---- watches refused on one thread ---- */

static void *
other_thread_adds(void *arg)
{
	int *fd = arg;
	int w = virEventAddHandle(*fd, 0, on_fd, NULL, NULL);

	if (w > 0)
		virEventRemoveHandle(w);
	return (void *)(intptr_t)(w > 0);
}

static void
test_deny_watches(void **state)
{
	int p[2];
	pthread_t t;
	void *ok;

	(void)state;
	make_pipe(p);
	assert_int_equal(eventloop_denied_fd(), -1);
	eventloop_deny_watches(true);
	assert_int_equal(virEventAddHandle(p[0], VIR_EVENT_HANDLE_READABLE, on_fd, NULL, NULL), -1);
	assert_int_equal(eventloop_denied_fd(), p[0]);
	/* Only this thread is refused. */
	assert_int_equal(pthread_create(&t, NULL, other_thread_adds, &p[0]), 0);
	pthread_join(t, &ok);
	assert_true(ok != NULL);
	eventloop_deny_watches(false);
	assert_int_equal(eventloop_denied_fd(), p[0]);
	/* Timers are never refused. */
	eventloop_deny_watches(true);
	{
		int tm = virEventAddTimeout(-1, on_timer, NULL, NULL);
		assert_true(tm > 0);
		assert_int_equal(virEventRemoveTimeout(tm), 0);
	}
	eventloop_deny_watches(false);
	close_pipe(p);
}

/* Stopping and starting again keeps working. */
static void
test_restart(void **state)
{
	struct rec r = { .drain = true };
	int p[2], w;

	(void)state;
	make_pipe(p);
	eventloop_stop();
	w = virEventAddHandle(p[0], VIR_EVENT_HANDLE_READABLE, on_fd, &r, rec_free);
	assert_int_equal(write(p[1], "x", 1), 1);
	sleep_ms(50);
	assert_int_equal(atomic_load(&r.calls), 0); /* no loop, no calls */
	assert_int_equal(eventloop_start(), 0);
	assert_int_equal(wait_for(&r.calls, 1, 1000), 1);
	remove_handle(&r, w);
	assert_freed_once(&r);
	close_pipe(p);
}

static int
setup(void **state)
{
	(void)state;
	test_thread = pthread_self();
	return eventloop_start();
}

static int
teardown(void **state)
{
	(void)state;
	eventloop_stop();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_readable_fires),
		cmocka_unit_test(test_disabled_does_not_fire),
		cmocka_unit_test(test_disable_is_lazy),
		cmocka_unit_test(test_update_stops_firing),
		cmocka_unit_test(test_hangup_reported),
		cmocka_unit_test(test_timer_interval),
		cmocka_unit_test(test_timer_disabled_never_fires),
		cmocka_unit_test(test_timer_removes_itself),
		cmocka_unit_test(test_free_waits_for_callback),
		cmocka_unit_test(test_add_inside_callback),
		cmocka_unit_test(test_remove_other_inside_callback),
		cmocka_unit_test(test_deny_watches),
		cmocka_unit_test(test_restart),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
