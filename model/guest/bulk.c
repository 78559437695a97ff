/* bulk.c — one operation on many guests across hosts: the scheduler (per
 * host at most `limit` threads, each with a connection of its own, taking
 * the host's queued guests in order) and the lifecycle actions as a
 * bulk_fn, shutdown and reboot followed to their outcome. */
#include "bulk.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libvirt/virterror.h>

#include "../base/msglog.h"
#include "../base/threads.h"
#include "../base/xmalloc.h"
#include "../host/eventloop.h"
#include "../host/lifewatch.h"
#include "../host/lvutil.h"
#include "snapshot.h"
#include "vmdelete.h"
#include "../stats/domstats.h"

#define NS 1000000000ull
/* How often a followed shutdown or reboot looks at the guest's state. */
#define POLL_NS (200 * 1000000ull)

/* A thread of the run, serving one host. */
struct worker {
	struct bulk_run *b;
	size_t host;
	pthread_t thread;
	bool started;
};

struct bulk_run {
	/* Fixed after bulk_start. */
	char *what;
	bulk_connect_fn connect;
	void (*changed)(void *ud);
	void *ud;
	bool log;
	unsigned wait_ms;
	pthread_t owner;           /* the thread that made it and fills it */
	struct bulk_host *hosts;
	size_t nhosts, caphosts;
	struct bulk_item *items;
	size_t n, cap;
	struct worker *workers;
	size_t nworkers;
	bool started;

	pthread_mutex_t mu;
	pthread_cond_t ended_cv;   /* broadcast when `ended` reaches n */
	/* Under lock. */
	size_t *next;              /* per host: first item index that may be queued */
	size_t ended;              /* items ended (done, failed, skipped, cancelled) */
	atomic_bool cancelled;     /* written under lock, read by bulk_ctx_cancelled without */
#ifndef NDEBUG
	_Atomic(const char *) holder; /* the thread holding mu (its tag), or NULL */
#endif
};

struct bulk_ctx {
	struct bulk_run *b;
	size_t host, item;
	virConnectPtr conn;
};

static const char *const status_names[] = {
	[BULK_QUEUED] = "queued",     [BULK_RUNNING] = "running",
	[BULK_OK] = "done",           [BULK_FAILED] = "failed",
	[BULK_CANCELLED] = "cancelled", [BULK_SKIPPED] = "skipped",
};

const char *
bulk_status_name(enum bulk_status s)
{
	return (unsigned)s <= BULK_SKIPPED ? status_names[s] : "?";
}

/* ---- the rule, checked (builds without NDEBUG) ---- */

#ifndef NDEBUG
static _Thread_local const char thread_tag;

/* Abort, naming the rule broken. */
static void
broken(const struct bulk_run *b, const char *what)
{
	fprintf(stderr, "vmtui: bulk run \"%s\": %s (see the rule in model/guest/bulk.h)\n",
	        b->what, what);
	abort();
}

/* The run's data under lock is touched: the caller must hold it. */
static void
assert_locked(const struct bulk_run *b)
{
	if (atomic_load_explicit(&b->holder, memory_order_relaxed) != &thread_tag)
		broken(b, "its data read or written without its lock");
}

/* The run is being filled: only by its owner, only before bulk_start. */
static void
assert_filling(const struct bulk_run *b)
{
	if (!pthread_equal(pthread_self(), b->owner))
		broken(b, "filled by a thread other than the one that made it");
	if (b->started)
		broken(b, "filled after bulk_start");
}
#else
#define assert_locked(b) ((void)(b))
#define assert_filling(b) ((void)(b))
#endif

void
bulk_lock(struct bulk_run *b)
{
	pthread_mutex_lock(&b->mu);
#ifndef NDEBUG
	atomic_store_explicit(&b->holder, &thread_tag, memory_order_relaxed);
#endif
}

void
bulk_unlock(struct bulk_run *b)
{
	assert_locked(b);
#ifndef NDEBUG
	atomic_store_explicit(&b->holder, NULL, memory_order_relaxed);
#endif
	pthread_mutex_unlock(&b->mu);
}

/* pthread_cond_wait releases and takes mu again: keep holder true. */
static void
wait_ended(struct bulk_run *b)
{
#ifndef NDEBUG
	atomic_store_explicit(&b->holder, NULL, memory_order_relaxed);
#endif
	pthread_cond_wait(&b->ended_cv, &b->mu);
#ifndef NDEBUG
	atomic_store_explicit(&b->holder, &thread_tag, memory_order_relaxed);
#endif
}

/* ---- making and filling ---- */

/* libvirt's default auth, with the event loop kept out of the connection
 * (as model/store/transfer.h's xfer_connect): the thread making each call
 * does its IO. */
static virConnectPtr
default_connect(const struct bulk_host *bh, char **err)
{
	virConnectPtr c;

	eventloop_deny_watches(true);
	c = lv_open(bh->uri, false, NULL);
	eventloop_deny_watches(false);
	if (c == NULL)
		*err = lv_err_line();
	return c;
}

struct bulk_run *
bulk_new(const char *what, bulk_connect_fn connect, void (*changed)(void *ud), void *ud)
{
	struct bulk_run *b = xcalloc(1, sizeof *b);

	b->what = xstrdup(what ? what : "");
	b->connect = connect ? connect : default_connect;
	b->changed = changed;
	b->ud = ud;
	b->owner = pthread_self();
	pthread_mutex_init(&b->mu, NULL);
	pthread_cond_init(&b->ended_cv, NULL);
	atomic_init(&b->cancelled, false);
	return b;
}

size_t
bulk_add_host(struct bulk_run *b, const char *label, const char *uri, const char *virsh_uri,
              unsigned limit, void *conn_arg)
{
	struct bulk_host *h;

	assert_filling(b);
	if (b->nhosts == b->caphosts) {
		b->caphosts = b->caphosts ? b->caphosts * 2 : 4;
		b->hosts = xreallocarray(b->hosts, b->caphosts, sizeof *b->hosts);
	}
	h = &b->hosts[b->nhosts];
	h->label = xstrdup(label ? label : (uri ? uri : "default"));
	h->uri = uri ? xstrdup(uri) : NULL;
	h->virsh_uri = virsh_uri ? xstrdup(virsh_uri) : NULL;
	h->limit = limit ? limit : 1;
	h->conn_arg = conn_arg;
	return b->nhosts++;
}

size_t
bulk_add(struct bulk_run *b, size_t hi, const char *uuid, const char *name, bulk_fn fn,
         void *arg, void (*free_arg)(void *arg))
{
	struct bulk_item *it;

	assert_filling(b);
	if (hi >= b->nhosts) {
		fprintf(stderr, "vmtui: bulk_add: no host %zu in the run\n", hi);
		abort();
	}
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 8;
		b->items = xreallocarray(b->items, b->cap, sizeof *b->items);
	}
	it = &b->items[b->n];
	memset(it, 0, sizeof *it);
	it->host = hi;
	snprintf(it->uuid, sizeof it->uuid, "%s", uuid ? uuid : "");
	it->name = xstrdup(name ? name : it->uuid);
	it->fn = fn;
	it->arg = arg;
	it->free_arg = free_arg;
	it->status = BULK_QUEUED;
	return b->n++;
}

void
bulk_log_outcomes(struct bulk_run *b, bool on)
{
	assert_filling(b);
	b->log = on;
}

void
bulk_set_wait(struct bulk_run *b, unsigned wait_ms)
{
	assert_filling(b);
	b->wait_ms = wait_ms;
}

/* ---- running ---- */

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NS + (uint64_t)ts.tv_nsec;
}

static void
changed(struct bulk_run *b)
{
	if (b->changed)
		b->changed(b->ud);
}

/* The item's outcome to the action log, with its virsh line. Under lock
 * (msglog's own lock is taken inside, and never the other way). */
static void
log_outcome(struct bulk_run *b, const struct bulk_item *it)
{
	if (!b->log)
		return;
	switch (it->status) {
	case BULK_OK:
		msglog_action(it->virsh, NULL, "%s %s", b->what, it->name);
		break;
	case BULK_FAILED:
		msglog_action(it->virsh, it->msg ? it->msg : "unknown error", "%s %s", b->what,
		              it->name);
		break;
	case BULK_SKIPPED:
		msglog_add(MSG_NOTE, "%s %s skipped: %s", b->what, it->name,
		           it->msg ? it->msg : "nothing to do");
		break;
	case BULK_CANCELLED:
		msglog_add(MSG_NOTE, "%s %s cancelled before it started", b->what, it->name);
		break;
	default:
		break;
	}
}

/* Item i ended as st (under lock); takes msg and virsh. */
static void
end_item(struct bulk_run *b, size_t i, enum bulk_status st, char *msg, char *virsh, double secs)
{
	struct bulk_item *it = &b->items[i];

	assert_locked(b);
	it->status = st;
	free(it->step);
	it->step = NULL;
	free(it->msg);
	it->msg = msg;
	free(it->virsh);
	it->virsh = virsh;
	it->secs = secs;
	if (++b->ended == b->n)
		pthread_cond_broadcast(&b->ended_cv);
	log_outcome(b, it);
}

/* The next queued item of host hi, made running; (size_t)-1 when none
 * is left or the run is cancelled. Under lock. */
static size_t
take(struct bulk_run *b, size_t hi)
{
	size_t i;

	assert_locked(b);
	if (atomic_load(&b->cancelled))
		return (size_t)-1;
	for (i = b->next[hi]; i < b->n; i++) {
		if (b->items[i].host == hi && b->items[i].status == BULK_QUEUED) {
			b->items[i].status = BULK_RUNNING;
			b->next[hi] = i + 1;
			return i;
		}
	}
	b->next[hi] = b->n;
	return (size_t)-1;
}

/* Run item i on the worker's connection (made on first need). */
static void
run_item(struct worker *w, size_t i, virConnectPtr *conn, char **conn_err)
{
	struct bulk_run *b = w->b;
	struct bulk_item *it = &b->items[i];
	struct bulk_ctx ctx = { .b = b, .host = w->host, .item = i };
	enum bulk_status st;
	char *msg = NULL, *virsh = NULL;
	uint64_t t0 = now_ns();

	if (*conn == NULL && *conn_err == NULL) {
		char *err = NULL;

		bulk_step(&ctx, "connecting to %s", b->hosts[w->host].label);
		*conn = b->connect(&b->hosts[w->host], &err);
		if (*conn == NULL)
			*conn_err = xasprintf("Cannot connect to %s: %s", b->hosts[w->host].label,
			                      err ? err : "unknown error");
		free(err);
	}
	if (*conn == NULL) {
		st = BULK_FAILED;
		msg = xstrdup(*conn_err);
	} else {
		ctx.conn = *conn;
		st = it->fn ? it->fn(&ctx, it->arg, &msg, &virsh) : BULK_FAILED;
		if (st != BULK_OK && st != BULK_FAILED && st != BULK_SKIPPED) {
			free(msg);
			msg = xasprintf("%s: the operation gave no outcome (%s)", it->name,
			                bulk_status_name(st));
			st = BULK_FAILED;
		}
		if (msg == NULL)
			msg = xstrdup(st == BULK_OK ? "done" : st == BULK_SKIPPED ? "nothing to do"
			                                                           : "failed");
	}
	bulk_lock(b);
	end_item(b, i, st, msg, virsh, (double)(now_ns() - t0) / 1e9);
	bulk_unlock(b);
	changed(b);
}

/* A thread of the run: take host w->host's queued items until none is left. */
static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct bulk_run *b = w->b;
	virConnectPtr conn = NULL;
	char *conn_err = NULL;
	size_t i;

	for (;;) {
		bulk_lock(b);
		i = take(b, w->host);
		bulk_unlock(b);
		if (i == (size_t)-1)
			break;
		changed(b);
		run_item(w, i, &conn, &conn_err);
	}
	if (conn != NULL)
		virConnectClose(conn);
	free(conn_err);
	return NULL;
}

void
bulk_start(struct bulk_run *b)
{
	size_t hi, i, *count, nw = 0;
	sigset_t old;

	assert_filling(b);
	b->started = true;
	b->next = xcalloc(b->nhosts ? b->nhosts : 1, sizeof *b->next);
	count = xcalloc(b->nhosts ? b->nhosts : 1, sizeof *count);
	for (i = 0; i < b->n; i++)
		count[b->items[i].host]++;
	for (hi = 0; hi < b->nhosts; hi++)
		nw += count[hi] < b->hosts[hi].limit ? count[hi] : b->hosts[hi].limit;
	b->workers = xcalloc(nw ? nw : 1, sizeof *b->workers);
	for (hi = 0; hi < b->nhosts; hi++) {
		size_t k, want = count[hi] < b->hosts[hi].limit ? count[hi] : b->hosts[hi].limit;
		for (k = 0; k < want; k++) {
			b->workers[b->nworkers].b = b;
			b->workers[b->nworkers].host = hi;
			b->nworkers++;
		}
	}
	free(count);
	if (b->n == 0)
		return;
	threads_block_signals(&old);
	for (i = 0; i < b->nworkers; i++)
		b->workers[i].started = pthread_create(&b->workers[i].thread, NULL, worker_main,
		                                       &b->workers[i]) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	/* A host none of whose threads started: its guests fail here. */
	for (hi = 0; hi < b->nhosts; hi++) {
		bool any = false;
		for (i = 0; i < b->nworkers; i++)
			any |= b->workers[i].host == hi && b->workers[i].started;
		if (any)
			continue;
		bulk_lock(b);
		for (i = 0; i < b->n; i++)
			if (b->items[i].host == hi && b->items[i].status == BULK_QUEUED)
				end_item(b, i, BULK_FAILED,
				         xasprintf("Cannot start a thread for %s: %s",
				                   b->hosts[hi].label, strerror(EAGAIN)),
				         NULL, 0);
		bulk_unlock(b);
		changed(b);
	}
}

void
bulk_cancel(struct bulk_run *b)
{
	size_t i;
	bool any = false;

	bulk_lock(b);
	atomic_store(&b->cancelled, true);
	for (i = 0; i < b->n; i++) {
		if (b->items[i].status == BULK_QUEUED) {
			end_item(b, i, BULK_CANCELLED, xstrdup("cancelled before it started"), NULL, 0);
			any = true;
		}
	}
	bulk_unlock(b);
	if (any)
		changed(b);
}

void
bulk_wait(struct bulk_run *b)
{
	bulk_lock(b);
	/* Not started: nothing would end the queued ones. */
	while (b->started && b->ended < b->n)
		wait_ended(b);
	bulk_unlock(b);
}

void
bulk_free(struct bulk_run *b)
{
	size_t i;

	if (b == NULL)
		return;
	if (b->started) {
		bool running;

		bulk_lock(b);
		running = b->ended < b->n;
		bulk_unlock(b);
		if (running)
			bulk_cancel(b);
		for (i = 0; i < b->nworkers; i++)
			if (b->workers[i].started)
				pthread_join(b->workers[i].thread, NULL);
	}
	for (i = 0; i < b->n; i++) {
		struct bulk_item *it = &b->items[i];
		if (it->free_arg)
			it->free_arg(it->arg);
		free(it->name);
		free(it->step);
		free(it->msg);
		free(it->virsh);
	}
	for (i = 0; i < b->nhosts; i++) {
		free(b->hosts[i].label);
		free(b->hosts[i].uri);
		free(b->hosts[i].virsh_uri);
	}
	free(b->items);
	free(b->hosts);
	free(b->workers);
	free(b->next);
	free(b->what);
	pthread_cond_destroy(&b->ended_cv);
	pthread_mutex_destroy(&b->mu);
	free(b);
}

/* ---- reading ---- */

const char *
bulk_what(const struct bulk_run *b)
{
	return b->what;
}

size_t
bulk_count(const struct bulk_run *b)
{
	return b->n;
}

const struct bulk_item *
bulk_item(const struct bulk_run *b, size_t i)
{
	return i < b->n ? &b->items[i] : NULL;
}

size_t
bulk_host_count(const struct bulk_run *b)
{
	return b->nhosts;
}

const struct bulk_host *
bulk_host(const struct bulk_run *b, size_t hi)
{
	return hi < b->nhosts ? &b->hosts[hi] : NULL;
}

bool
bulk_tally(const struct bulk_run *b, size_t counts[BULK_SKIPPED + 1])
{
	size_t i;

	assert_locked(b);
	memset(counts, 0, sizeof counts[0] * (BULK_SKIPPED + 1));
	for (i = 0; i < b->n; i++)
		if ((unsigned)b->items[i].status <= BULK_SKIPPED)
			counts[b->items[i].status]++;
	return b->ended == b->n;
}

/* ---- for a bulk_fn ---- */

virConnectPtr
bulk_ctx_conn(struct bulk_ctx *ctx)
{
	return ctx->conn;
}

const struct bulk_host *
bulk_ctx_host(struct bulk_ctx *ctx)
{
	return &ctx->b->hosts[ctx->host];
}

const struct bulk_item *
bulk_ctx_item(struct bulk_ctx *ctx)
{
	return &ctx->b->items[ctx->item];
}

void
bulk_step(struct bulk_ctx *ctx, const char *fmt, ...)
{
	struct bulk_run *b = ctx->b;
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	bulk_lock(b);
	free(b->items[ctx->item].step);
	b->items[ctx->item].step = s;
	bulk_unlock(b);
	changed(b);
}

bool
bulk_ctx_cancelled(struct bulk_ctx *ctx)
{
	return atomic_load(&ctx->b->cancelled);
}

unsigned
bulk_ctx_wait_ms(struct bulk_ctx *ctx)
{
	return ctx->b->wait_ms ? ctx->b->wait_ms : LIFEWATCH_WAIT_DEFAULT_MS;
}

/* Sleep up to ns, returning early once the run is cancelled. */
static void
nap(struct bulk_ctx *ctx, uint64_t ns)
{
	uint64_t end = now_ns() + ns;

	while (!bulk_ctx_cancelled(ctx)) {
		uint64_t now = now_ns(), step;
		struct timespec ts;

		if (now >= end)
			break;
		step = end - now < 50000000ull ? end - now : 50000000ull;
		ts.tv_sec = (time_t)(step / NS);
		ts.tv_nsec = (long)(step % NS);
		nanosleep(&ts, NULL);
	}
}

/* ---- lifecycle actions ---- */

/* "Started web-1." and the like: what action a did to name. */
static char *
done_sentence(enum action a, const char *name)
{
	switch (a) {
	case ACT_START: return xasprintf("Started %s.", name);
	case ACT_SHUTDOWN: return xasprintf("Shutdown of %s requested.", name);
	case ACT_REBOOT: return xasprintf("Reboot of %s requested.", name);
	case ACT_DESTROY: return xasprintf("Forced %s off.", name);
	case ACT_SUSPEND: return xasprintf("Paused %s.", name);
	case ACT_RESUME: return xasprintf("Resumed %s.", name);
	case ACT_AUTOSTART_ON: return xasprintf("Autostart of %s turned on.", name);
	case ACT_AUTOSTART_OFF: return xasprintf("Autostart of %s turned off.", name);
	default: return xasprintf("%s: %s done.", name, action_name(a));
	}
}

/* "12 s", "0.4 s": seconds since t0. */
static void
since(uint64_t t0, char *buf, size_t len)
{
	double s = (double)(now_ns() - t0) / 1e9;

	snprintf(buf, len, s < 9.95 ? "%.1f s" : "%.0f s", s);
}

/* libvirt's REBOOT event for the followed guest: a flag the following
 * thread reads (the callback runs on the event loop's thread). */
struct reboot_seen {
	atomic_bool seen;
};

static void
on_reboot(virConnectPtr conn, virDomainPtr dom, void *opaque)
{
	(void)conn;
	(void)dom;
	atomic_store(&((struct reboot_seen *)opaque)->seen, true);
}

/* Follow a shutdown or reboot libvirt accepted until the guest has done
 * it, the wait passes, or the run is cancelled. id: the domain ID when it
 * was asked. */
static enum bulk_status
follow(struct bulk_ctx *ctx, virDomainPtr dom, enum action a, int id, int cb,
       struct reboot_seen *rs, char **msg)
{
	const char *name = bulk_ctx_item(ctx)->name;
	uint64_t t0 = now_ns(), wait = (uint64_t)bulk_ctx_wait_ms(ctx) * 1000000ull;
	uint64_t last_step = t0;
	bool saw_off = false;
	char t[32];
	const char *doing = a == ACT_SHUTDOWN ? "waiting for the guest to shut down"
	                                      : "waiting for the guest to reboot";

	bulk_step(ctx, "%s", doing);
	for (;;) {
		int st = VIR_DOMAIN_NOSTATE, reason = 0;
		enum vm_state vs;
		bool off;

		if (virDomainGetState(dom, &st, &reason, 0) < 0) {
			virErrorPtr e = virGetLastError();
			since(t0, t, sizeof t);
			if (e && e->code == VIR_ERR_NO_DOMAIN && a == ACT_SHUTDOWN) {
				*msg = xasprintf("%s shut off and is gone (after %s).", name, t);
				return BULK_OK;
			}
			char *err = lv_err_line();
			*msg = xasprintf("Lost sight of %s while waiting for its %s: %s", name,
			                 action_name(a), err);
			free(err);
			return BULK_FAILED;
		}
		vs = domstats_state(st);
		off = vs == VM_SHUTOFF || vs == VM_CRASHED || vs == VM_SHUTDOWN ||
		      (vs == VM_PAUSED && reason == VIR_DOMAIN_PAUSED_SHUTTING_DOWN);
		since(t0, t, sizeof t);
		if (a == ACT_SHUTDOWN && vs == VM_SHUTOFF) {
			*msg = xasprintf("%s shut off (after %s).", name, t);
			return BULK_OK;
		}
		if (vs == VM_CRASHED) {
			*msg = xasprintf("%s crashed %s after the %s request.", name, t, action_name(a));
			return BULK_FAILED;
		}
		if (a == ACT_REBOOT) {
			int nid = vm_state_active(vs) ? (int)virDomainGetID(dom) : -1;
			saw_off |= off;
			if ((cb >= 0 && atomic_load(&rs->seen)) ||
			    (vm_state_active(vs) && !off &&
			     (saw_off || (id > 0 && nid > 0 && nid != id)))) {
				*msg = xasprintf("%s rebooted (after %s).", name, t);
				return BULK_OK;
			}
		}
		if (bulk_ctx_cancelled(ctx)) {
			*msg = xasprintf("Stopped waiting for %s to %s (cancelled after %s); the "
			                 "request was sent.", name,
			                 a == ACT_SHUTDOWN ? "shut down" : "reboot", t);
			return BULK_FAILED;
		}
		if (now_ns() - t0 >= wait) {
			if (a == ACT_SHUTDOWN)
				*msg = xasprintf("%s still runs %s after the shutdown request (its OS "
				                 "may ignore ACPI): force it off to stop it.", name, t);
			else if (saw_off)
				*msg = xasprintf("%s stopped but has not started again %s after the "
				                 "reboot request: start it.", name, t);
			else
				*msg = xasprintf("%s has not rebooted %s after the reboot request, which "
				                 "was only passed on (its OS may ignore ACPI): force it "
				                 "off, then start it.", name, t);
			return BULK_FAILED;
		}
		if (now_ns() - last_step >= NS) {
			last_step = now_ns();
			bulk_step(ctx, "%s (%s)", doing, t);
		}
		nap(ctx, POLL_NS);
	}
}

/* Run a on the guest; shutdown and reboot followed to their outcome. */
static enum bulk_status
act(struct bulk_ctx *ctx, virDomainPtr dom, enum action a, char **msg)
{
	const struct bulk_item *it = bulk_ctx_item(ctx);
	struct reboot_seen *rs = NULL;
	enum bulk_status ret;
	char *err = NULL;
	int cb = -1, id = (int)virDomainGetID(dom);

	if (a == ACT_REBOOT) {
		rs = xcalloc(1, sizeof *rs);
		atomic_init(&rs->seen, false);
		/* Without an event loop this fails: the state alone is followed. */
		/* libvirt frees rs once no callback can run any more. */
		cb = virConnectDomainEventRegisterAny(bulk_ctx_conn(ctx), dom,
		                                      VIR_DOMAIN_EVENT_ID_REBOOT,
		                                      VIR_DOMAIN_EVENT_CALLBACK(on_reboot), rs, free);
		virResetLastError();
	}
	if (action_run(bulk_ctx_conn(ctx), it->uuid, a, &err) < 0) {
		*msg = xasprintf("Cannot %s %s: %s", action_verb(a), it->name, err);
		ret = BULK_FAILED;
	} else if ((a == ACT_SHUTDOWN || a == ACT_REBOOT) && bulk_ctx_wait_ms(ctx) != BULK_NO_WAIT) {
		ret = follow(ctx, dom, a, id, cb, rs, msg);
	} else {
		*msg = done_sentence(a, it->name);
		ret = BULK_OK;
	}
	if (cb >= 0)
		virConnectDomainEventDeregisterAny(bulk_ctx_conn(ctx), cb);
	else
		free(rs);
	free(err);
	return ret;
}

enum bulk_status
bulk_action_fn(struct bulk_ctx *ctx, void *arg, char **msg, char **virsh)
{
	enum action a = (enum action)(intptr_t)arg;
	const struct bulk_item *it = bulk_ctx_item(ctx);
	virDomainPtr dom;
	enum bulk_status ret;
	const char *why;
	int st = VIR_DOMAIN_NOSTATE, reason, autostart = 0, saved = 0;
	char *err = NULL;

	*msg = NULL;
	*virsh = NULL;
	dom = virDomainLookupByUUIDString(bulk_ctx_conn(ctx), it->uuid);
	if (dom == NULL) {
		err = lv_err_line();
		*msg = xasprintf("%s is no longer on %s: %s", it->name, bulk_ctx_host(ctx)->label,
		                 err);
		free(err);
		return BULK_FAILED;
	}
	if (virDomainGetState(dom, &st, &reason, 0) < 0 ||
	    virDomainGetAutostart(dom, &autostart) < 0 ||
	    (saved = virDomainHasManagedSaveImage(dom, 0)) < 0) {
		err = lv_err_line();
		*msg = xasprintf("Cannot read the state of %s: %s", it->name, err);
		free(err);
		virDomainFree(dom);
		return BULK_FAILED;
	}
	why = action_refusal(a, domstats_state(st), autostart != 0, saved > 0);
	if (why != NULL) {
		*msg = xasprintf("%s was left alone: %s.", it->name, why);
		virDomainFree(dom);
		return BULK_SKIPPED;
	}
	*virsh = action_virsh_line(a, bulk_ctx_host(ctx)->virsh_uri, it->name);
	ret = act(ctx, dom, a, msg);
	virDomainFree(dom);
	return ret;
}

/* ---- snapshots by name, delete ---- */

struct bulk_snap_arg {
	char *name, *desc;
};

void *
bulk_snap_arg_new(const char *name, const char *desc)
{
	struct bulk_snap_arg *a = xcalloc(1, sizeof *a);

	a->name = xstrdup(name);
	a->desc = desc && *desc ? xstrdup(desc) : NULL;
	return a;
}

void
bulk_snap_arg_free(void *arg)
{
	struct bulk_snap_arg *a = arg;

	if (a == NULL)
		return;
	free(a->name);
	free(a->desc);
	free(a);
}

/* The item's domain by UUID, or NULL with *msg set. */
static virDomainPtr
item_domain(struct bulk_ctx *ctx, char **msg)
{
	const struct bulk_item *it = bulk_ctx_item(ctx);
	virDomainPtr dom = virDomainLookupByUUIDString(bulk_ctx_conn(ctx), it->uuid);

	if (dom == NULL) {
		char *err = lv_err_line();
		*msg = xasprintf("%s is no longer on %s: %s", it->name, bulk_ctx_host(ctx)->label,
		                 err);
		free(err);
	}
	return dom;
}

/* Does dom have a snapshot called name? -1 when libvirt cannot say. */
static int
has_snapshot(virDomainPtr dom, const char *name)
{
	virDomainSnapshotPtr s = virDomainSnapshotLookupByName(dom, name, 0);
	virErrorPtr e;

	if (s != NULL) {
		virDomainSnapshotFree(s);
		return 1;
	}
	e = virGetLastError();
	return e && e->code == VIR_ERR_NO_DOMAIN_SNAPSHOT ? 0 : -1;
}

enum bulk_status
bulk_snap_create_fn(struct bulk_ctx *ctx, void *arg, char **msg, char **virsh)
{
	const struct bulk_snap_arg *a = arg;
	const struct bulk_item *it = bulk_ctx_item(ctx);
	virDomainPtr dom;
	char *what = NULL, *warning = NULL, *err = NULL;
	enum bulk_status ret = BULK_FAILED;

	*msg = *virsh = NULL;
	if ((dom = item_domain(ctx, msg)) == NULL)
		return BULK_FAILED;
	if (has_snapshot(dom, a->name) == 1) {
		*msg = xasprintf("%s was left alone: it already has a snapshot \"%s\".", it->name,
		                 a->name);
		virDomainFree(dom);
		return BULK_SKIPPED;
	}
	bulk_step(ctx, "taking snapshot \"%s\"", a->name);
	*virsh = snapshot_virsh_create(bulk_ctx_host(ctx)->virsh_uri, it->name, a->name, a->desc);
	if (snapshot_create(dom, a->name, a->desc, &what, &warning, &err) == 0) {
		*msg = xasprintf("Snapshot \"%s\" of %s created: %s%s%s.", a->name, it->name, what,
		                 warning ? "; " : "", warning ? warning : "");
		ret = BULK_OK;
	} else {
		*msg = xasprintf("Cannot snapshot %s: %s", it->name, err ? err : "unknown error");
	}
	free(what);
	free(warning);
	free(err);
	virDomainFree(dom);
	return ret;
}

enum bulk_status
bulk_snap_delete_fn(struct bulk_ctx *ctx, void *arg, char **msg, char **virsh)
{
	const struct bulk_snap_arg *a = arg;
	const struct bulk_item *it = bulk_ctx_item(ctx);
	virDomainPtr dom;
	char *err = NULL;
	enum bulk_status ret = BULK_FAILED;

	*msg = *virsh = NULL;
	if ((dom = item_domain(ctx, msg)) == NULL)
		return BULK_FAILED;
	if (has_snapshot(dom, a->name) == 0) {
		*msg = xasprintf("%s was left alone: it has no snapshot \"%s\".", it->name, a->name);
		virDomainFree(dom);
		return BULK_SKIPPED;
	}
	bulk_step(ctx, "deleting snapshot \"%s\"", a->name);
	*virsh = snapshot_virsh_delete(bulk_ctx_host(ctx)->virsh_uri, it->name, a->name);
	if (snapshot_delete(dom, a->name, &err) == 0) {
		*msg = xasprintf("Snapshot \"%s\" of %s deleted.", a->name, it->name);
		ret = BULK_OK;
	} else {
		*msg = xasprintf("Cannot delete snapshot \"%s\" of %s: %s", a->name, it->name,
		                 err ? err : "unknown error");
	}
	free(err);
	virDomainFree(dom);
	return ret;
}

struct bulk_del_arg {
	bool storage;
	char *state_home, *home;
};

void *
bulk_del_arg_new(bool storage, const char *state_home, const char *home)
{
	struct bulk_del_arg *a = xcalloc(1, sizeof *a);

	a->storage = storage;
	a->state_home = state_home ? xstrdup(state_home) : NULL;
	a->home = home ? xstrdup(home) : NULL;
	return a;
}

void
bulk_del_arg_free(void *arg)
{
	struct bulk_del_arg *a = arg;

	if (a == NULL)
		return;
	free(a->state_home);
	free(a->home);
	free(a);
}

/* vmdelete_run's steps, as the item's step; the virsh lines joined. */
struct del_steps {
	struct bulk_ctx *ctx;
	char *virsh;
};

static void
del_step(const char *virsh, const char *err, const char *what, void *opaque)
{
	struct del_steps *d = opaque;

	if (err == NULL && virsh != NULL) {
		char *v = d->virsh ? xasprintf("%s && %s", d->virsh, virsh) : xstrdup(virsh);
		free(d->virsh);
		d->virsh = v;
	}
	bulk_step(d->ctx, "%s", what);
}

enum bulk_status
bulk_delete_fn(struct bulk_ctx *ctx, void *arg, char **msg, char **virsh)
{
	const struct bulk_del_arg *a = arg;
	const struct bulk_item *it = bulk_ctx_item(ctx);
	struct vmdel_info in;
	struct del_steps d = { ctx, NULL };
	char **rm = NULL, *err = NULL, *backup = NULL, *result = NULL;
	size_t nrm = 0, i;
	enum bulk_status ret = BULK_FAILED;

	*msg = *virsh = NULL;
	bulk_step(ctx, "reading its definition");
	/* By UUID: a guest of the same name made meanwhile is not this one. */
	if (vmdelete_read(bulk_ctx_conn(ctx), it->uuid, &in, &err) < 0) {
		*msg = xasprintf("Cannot delete %s: %s", it->name, err ? err : "unknown error");
		free(err);
		return BULK_FAILED;
	}
	for (i = 0; a->storage && i < in.nvols; i++) {
		if (in.vols[i].why_not == NULL) {
			rm = xreallocarray(rm, nrm + 1, sizeof *rm);
			rm[nrm++] = xstrdup(in.vols[i].target);
		}
	}
	if (vmdelete_run(bulk_ctx_conn(ctx), bulk_ctx_host(ctx)->virsh_uri, in.name, rm, nrm,
	                 a->state_home, a->home, del_step, &d, &backup, &result, &err) == 0) {
		*msg = xstrdup(result ? result : "deleted");
		ret = BULK_OK;
	} else {
		*msg = xasprintf("Cannot delete %s: %s", it->name, err ? err : "unknown error");
	}
	*virsh = d.virsh;
	vmdelete_info_free(&in);
	xfree_strv(rm, nrm);
	free(err);
	free(backup);
	free(result);
	return ret;
}
