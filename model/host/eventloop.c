/* eventloop.c — libvirt's event loop done by vmtui: poll() on one thread.
 *
 * Why not virEventRegisterDefaultImpl: libvirt's remote client takes its
 * socket out of the loop for every call (an update to no events) and puts
 * it back after; the default (GLib) implementation destroys and attaches a
 * GSource each time and wakes the loop's thread through its eventfd,
 * several times per refresh. Here the loop is woken only when a change must
 * reach a poll() in progress: a handle wanting events that poll() does not
 * wait for, a timer due before poll()'s deadline, a removal whose free
 * function should run. Disabling is lazy: if poll() then returns for a
 * handle that no longer wants events, the loop polls again without it.
 *
 * libvirt's contracts (virEventRegisterImpl): every function may be called
 * from any thread and from inside a callback; callbacks run on the loop's
 * thread, one at a time, without our lock held (they call back in); a
 * removed entry's free function runs later, on the loop's thread, from a
 * clean stack and after any running callback of that entry has returned:
 * libvirt removes with its own locks held and its free functions take them,
 * so calling one from inside remove deadlocks. Removed entries are only
 * marked, and the tables are compacted by the loop between dispatches, so
 * an index stays valid across a callback (adding only appends). */
#include "eventloop.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <libvirt/libvirt.h>

#include "../base/threads.h"
#include "../base/xmalloc.h"

struct handle {
	int watch, fd;
	int events;          /* VIR_EVENT_HANDLE_* wanted; 0: disabled */
	int polled;          /* what the poll() in progress waits for */
	virEventHandleCallback cb;
	void *opaque;
	virFreeCallback ff;
	bool deleted;
};

struct timer {
	int id;
	int interval;        /* ms; -1: disabled, 0: every iteration */
	uint64_t due;        /* monotonic ns */
	virEventTimeoutCallback cb;
	void *opaque;
	virFreeCallback ff;
	bool deleted;
};

/* A free function owed to a removed entry. */
struct freeing {
	virFreeCallback ff;
	void *opaque;
};

static struct {
	pthread_mutex_t lock;
	struct handle *h;
	size_t nh, caph;
	struct timer *t;
	size_t nt, capt;
	int next_watch, next_timer;
	int wakefd;          /* an eventfd the loop always polls */
	bool polling;        /* the loop is in (or entering) poll() */
	bool woken;          /* wakefd was written since the loop read it */
	uint64_t deadline;   /* when that poll() times out; UINT64_MAX: never */
	bool quit;
	unsigned long wakeups;
	pthread_t thread;
	bool started, registered;
} L = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.next_watch = 1,
	.next_timer = 1,
	.wakefd = -1,
};

static _Thread_local bool deny;
static _Thread_local int denied_fd = -1;

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Interrupt the poll() in progress, once. Lock held. */
static void
wake_locked(void)
{
	uint64_t one = 1;

	if (!L.polling || L.woken)
		return;
	L.woken = true;
	if (write(L.wakefd, &one, sizeof one) < 0) {
		/* Only EAGAIN (the counter is full) is possible: already woken. */
	}
}

static short
to_poll(int events)
{
	short e = 0;

	if (events & VIR_EVENT_HANDLE_READABLE)
		e |= POLLIN;
	if (events & VIR_EVENT_HANDLE_WRITABLE)
		e |= POLLOUT;
	return e;
}

static int
from_poll(short revents)
{
	int e = 0;

	if (revents & POLLIN)
		e |= VIR_EVENT_HANDLE_READABLE;
	if (revents & POLLOUT)
		e |= VIR_EVENT_HANDLE_WRITABLE;
	if (revents & (POLLERR | POLLNVAL))
		e |= VIR_EVENT_HANDLE_ERROR;
	if (revents & POLLHUP)
		e |= VIR_EVENT_HANDLE_HANGUP;
	return e;
}

/* The live handle with this watch, or NULL. Lock held. */
static struct handle *
find_handle(int watch)
{
	size_t i;

	for (i = 0; i < L.nh; i++)
		if (L.h[i].watch == watch && !L.h[i].deleted)
			return &L.h[i];
	return NULL;
}

static struct timer *
find_timer(int id)
{
	size_t i;

	for (i = 0; i < L.nt; i++)
		if (L.t[i].id == id && !L.t[i].deleted)
			return &L.t[i];
	return NULL;
}

/* ---- the six functions libvirt calls ---- */

static int
add_handle(int fd, int events, virEventHandleCallback cb, void *opaque, virFreeCallback ff)
{
	struct handle *h;
	int watch;

	if (deny) {
		denied_fd = fd;
		return -1;
	}
	pthread_mutex_lock(&L.lock);
	if (L.nh == L.caph) {
		L.caph = L.caph ? 2 * L.caph : 8;
		L.h = xreallocarray(L.h, L.caph, sizeof *L.h);
	}
	watch = L.next_watch++;
	h = &L.h[L.nh++];
	*h = (struct handle){ .watch = watch, .fd = fd, .events = events, .cb = cb,
	                      .opaque = opaque, .ff = ff };
	if (to_poll(events))
		wake_locked();
	pthread_mutex_unlock(&L.lock);
	return watch;
}

static void
update_handle(int watch, int events)
{
	struct handle *h;

	pthread_mutex_lock(&L.lock);
	h = find_handle(watch);
	if (h != NULL) {
		h->events = events;
		/* Less than poll() waits for needs nothing now (see the top). */
		if (to_poll(events) & ~to_poll(h->polled))
			wake_locked();
	}
	pthread_mutex_unlock(&L.lock);
}

static int
remove_handle(int watch)
{
	struct handle *h;

	pthread_mutex_lock(&L.lock);
	h = find_handle(watch);
	if (h != NULL) {
		h->deleted = true;
		h->events = 0;
		/* So that the free function runs soon. */
		if (h->ff != NULL)
			wake_locked();
	}
	pthread_mutex_unlock(&L.lock);
	return h != NULL ? 0 : -1;
}

/* Set when a timer is next due. Lock held. */
static void
arm(struct timer *t, int interval, uint64_t now)
{
	t->interval = interval;
	if (interval < 0)
		return;
	t->due = now + (uint64_t)interval * 1000000ull;
	if (t->due < L.deadline)
		wake_locked();
}

static int
add_timeout(int interval, virEventTimeoutCallback cb, void *opaque, virFreeCallback ff)
{
	struct timer *t;
	uint64_t now = now_ns();
	int id;

	pthread_mutex_lock(&L.lock);
	if (L.nt == L.capt) {
		L.capt = L.capt ? 2 * L.capt : 8;
		L.t = xreallocarray(L.t, L.capt, sizeof *L.t);
	}
	id = L.next_timer++;
	t = &L.t[L.nt++];
	*t = (struct timer){ .id = id, .cb = cb, .opaque = opaque, .ff = ff };
	arm(t, interval, now);
	pthread_mutex_unlock(&L.lock);
	return id;
}

static void
update_timeout(int id, int interval)
{
	struct timer *t;
	uint64_t now = now_ns();

	pthread_mutex_lock(&L.lock);
	t = find_timer(id);
	if (t != NULL)
		arm(t, interval, now); /* disabling is lazy too */
	pthread_mutex_unlock(&L.lock);
}

static int
remove_timeout(int id)
{
	struct timer *t;

	pthread_mutex_lock(&L.lock);
	t = find_timer(id);
	if (t != NULL) {
		t->deleted = true;
		t->interval = -1;
		if (t->ff != NULL)
			wake_locked();
	}
	pthread_mutex_unlock(&L.lock);
	return t != NULL ? 0 : -1;
}

/* ---- the loop ---- */

/* The descriptors to poll (the wake-up eventfd first, then each handle
 * wanting events, whose watch goes to watches[]) and the earliest timer.
 * Lock held. */
static size_t
make_pollfds(struct pollfd **fds, int **watches, size_t *cap, uint64_t *deadline)
{
	size_t i, n = 1;

	if (*cap < L.nh + 1) {
		*cap = L.nh + 1;
		*fds = xreallocarray(*fds, *cap, sizeof **fds);
		*watches = xreallocarray(*watches, *cap, sizeof **watches);
	}
	(*fds)[0] = (struct pollfd){ .fd = L.wakefd, .events = POLLIN };
	(*watches)[0] = 0;
	for (i = 0; i < L.nh; i++) {
		struct handle *h = &L.h[i];
		short e = h->deleted ? 0 : to_poll(h->events);

		h->polled = e ? h->events : 0;
		if (e == 0)
			continue;
		(*fds)[n] = (struct pollfd){ .fd = h->fd, .events = e };
		(*watches)[n++] = h->watch;
	}
	*deadline = UINT64_MAX;
	for (i = 0; i < L.nt; i++)
		if (!L.t[i].deleted && L.t[i].interval >= 0 && L.t[i].due < *deadline)
			*deadline = L.t[i].due;
	return n;
}

/* poll()'s timeout in ms for a deadline, rounded up so that a timer is due
 * when poll() returns. */
static int
poll_timeout(uint64_t deadline, uint64_t now)
{
	uint64_t ms;

	if (deadline == UINT64_MAX)
		return -1;
	if (deadline <= now)
		return 0;
	ms = (deadline - now + 999999) / 1000000;
	return ms > INT_MAX ? INT_MAX : (int)ms;
}

/* Run the timers that are due. Lock held; dropped around each callback. */
static void
dispatch_timers(void)
{
	size_t i, n = L.nt; /* timers added meanwhile wait for the next turn */
	uint64_t now = now_ns();

	for (i = 0; i < n; i++) {
		struct timer *t = &L.t[i];
		virEventTimeoutCallback cb = t->cb;
		void *opaque = t->opaque;
		int id = t->id;

		if (t->deleted || t->interval < 0 || t->due > now)
			continue;
		t->due = now + (uint64_t)t->interval * 1000000ull;
		pthread_mutex_unlock(&L.lock);
		cb(id, opaque);
		pthread_mutex_lock(&L.lock);
	}
}

/* Run the callbacks of the handles poll() found ready. Lock held; dropped
 * around each callback. A handle removed or disabled meanwhile is skipped. */
static void
dispatch_handles(const struct pollfd *fds, const int *watches, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++) {
		struct handle *h;
		virEventHandleCallback cb;
		void *opaque;
		int ev, fd;

		if (fds[i].revents == 0 || (h = find_handle(watches[i])) == NULL)
			continue;
		ev = from_poll(fds[i].revents) &
		     (h->events | VIR_EVENT_HANDLE_ERROR | VIR_EVENT_HANDLE_HANGUP);
		if (h->events == 0 || ev == 0)
			continue;
		cb = h->cb;
		opaque = h->opaque;
		fd = h->fd;
		pthread_mutex_unlock(&L.lock);
		cb(watches[i], fd, ev, opaque);
		pthread_mutex_lock(&L.lock);
	}
}

/* Note that a removed entry's free function is owed. */
static void
owe(struct freeing **owed, size_t *cap, size_t *n, virFreeCallback ff, void *opaque)
{
	if (ff == NULL)
		return;
	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 8;
		*owed = xreallocarray(*owed, *cap, sizeof **owed);
	}
	(*owed)[(*n)++] = (struct freeing){ ff, opaque };
}

/* Drop removed entries; their free functions go to *owed. Lock held. */
static size_t
sweep(struct freeing **owed, size_t *cap)
{
	size_t i, j, n = 0;

	for (i = j = 0; i < L.nh; i++) {
		if (!L.h[i].deleted)
			L.h[j++] = L.h[i];
		else
			owe(owed, cap, &n, L.h[i].ff, L.h[i].opaque);
	}
	L.nh = j;
	for (i = j = 0; i < L.nt; i++) {
		if (!L.t[i].deleted)
			L.t[j++] = L.t[i];
		else
			owe(owed, cap, &n, L.t[i].ff, L.t[i].opaque);
	}
	L.nt = j;
	return n;
}

static void *
loop(void *arg)
{
	struct pollfd *fds = NULL;
	int *watches = NULL;
	struct freeing *owed = NULL;
	size_t cap = 0, owed_cap = 0;

	(void)arg;
	pthread_mutex_lock(&L.lock);
	while (!L.quit) {
		uint64_t deadline, junk;
		size_t n, nowed, i;
		int timeout, rc, err;

		n = make_pollfds(&fds, &watches, &cap, &deadline);
		timeout = poll_timeout(deadline, now_ns());
		L.polling = timeout != 0;
		L.deadline = deadline;
		pthread_mutex_unlock(&L.lock);
		rc = poll(fds, (nfds_t)n, timeout);
		err = errno;
		pthread_mutex_lock(&L.lock);
		L.polling = false;
		L.deadline = 0;   /* not polling: no wake-ups wanted */
		L.wakeups++;
		if (L.woken) {
			if (read(L.wakefd, &junk, sizeof junk) < 0) {
				/* EAGAIN: written after poll() returned; nothing to do */
			}
			L.woken = false;
		}
		if (rc < 0 && err != EINTR)
			break; /* EINVAL, ENOMEM: nothing to do but stop */
		dispatch_timers();
		if (rc > 0)
			dispatch_handles(fds, watches, n);
		nowed = sweep(&owed, &owed_cap);
		if (nowed == 0)
			continue;
		pthread_mutex_unlock(&L.lock);
		for (i = 0; i < nowed; i++)
			owed[i].ff(owed[i].opaque);
		pthread_mutex_lock(&L.lock);
	}
	pthread_mutex_unlock(&L.lock);
	free(fds);
	free(watches);
	free(owed);
	return NULL;
}

int
eventloop_start(void)
{
	sigset_t old;
	int rc;

	if (L.started)
		return 0;
	if (L.wakefd < 0) {
		L.wakefd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (L.wakefd < 0)
			return -1;
	}
	if (!L.registered) {
		virEventRegisterImpl(add_handle, update_handle, remove_handle, add_timeout,
		                     update_timeout, remove_timeout);
		L.registered = true;
	}
	L.quit = false;
	/* Signals belong to the UI thread, crashes excepted. */
	threads_block_signals(&old);
	rc = pthread_create(&L.thread, NULL, loop, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0)
		return -1;
	L.started = true;
	return 0;
}

void
eventloop_stop(void)
{
	if (!L.started)
		return;
	pthread_mutex_lock(&L.lock);
	L.quit = true;
	L.polling = true; /* wake it wherever it is */
	L.woken = false;
	wake_locked();
	pthread_mutex_unlock(&L.lock);
	pthread_join(L.thread, NULL);
	pthread_mutex_lock(&L.lock);
	L.polling = false;
	pthread_mutex_unlock(&L.lock);
	L.started = false;
}

void
eventloop_deny_watches(bool on)
{
	deny = on;
	if (on)
		denied_fd = -1;
}

int
eventloop_denied_fd(void)
{
	return denied_fd;
}

unsigned long
eventloop_wakeups(void)
{
	unsigned long n;

	pthread_mutex_lock(&L.lock);
	n = L.wakeups;
	pthread_mutex_unlock(&L.lock);
	return n;
}
