/* console.c — serial console streams pumped on libvirt's event thread.
 *
 * Threads: console_open/console_close run where libvirt may block (a host
 * worker or the command line); the stream callback and the poke timer run
 * on the event-loop thread and are the only places that move data through
 * the stream; the UI thread touches only the two queues under `lock`.
 * `io` serialises stream use between the event thread and console_close,
 * which clears `st` first so a late callback does nothing. The struct is
 * freed when both the owner and the event loop have let go. The loop lets
 * go in the poke timer's free function, which libvirt runs on the loop's
 * thread after the timer is removed: the stream callback was removed
 * before it, and callbacks run one at a time on that thread, so none can
 * still be running. (The stream callback's own free function is not used:
 * the remote driver of libvirt before 11.5 never calls it.) */
#include "console.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libvirt/virterror.h>

#include "../base/notify.h"
#include "../base/xmalloc.h"
#include "../stats/vm.h"

#define QUEUE_CAP (64 * 1024)
#define CHUNK (16 * 1024)

struct console {
	pthread_mutex_t lock;        /* the queues, the end state, refs */
	unsigned char in[QUEUE_CAP]; /* guest -> UI */
	size_t in_len;
	unsigned char out[QUEUE_CAP]; /* UI -> guest */
	size_t out_len;
	enum console_end end;
	char *why;
	int refs;                    /* the owner, the event loop */
	pthread_cond_t released;     /* signalled when the loop lets go */
	bool loop_done;
	bool in_full;                /* reading paused until the UI takes */

	pthread_mutex_t io;          /* stream use; guards the fields below */
	virStreamPtr st;             /* NULL once closing */
	int timer;                   /* the UI's poke: flush and resume */
	int events;                  /* what the stream callback listens for */
	bool send_blocked;           /* the last send would have blocked */
};

/* Drop a reference; the last one frees. */
static void
unref(struct console *c)
{
	bool last;

	pthread_mutex_lock(&c->lock);
	last = --c->refs == 0;
	pthread_mutex_unlock(&c->lock);
	if (!last)
		return;
	pthread_cond_destroy(&c->released);
	pthread_mutex_destroy(&c->lock);
	pthread_mutex_destroy(&c->io);
	free(c->why);
	free(c);
}

/* The poke timer's free function: the event loop is done with c. */
static void
loop_release(void *opaque)
{
	struct console *c = opaque;

	pthread_mutex_lock(&c->lock);
	c->loop_done = true;
	pthread_cond_broadcast(&c->released);
	pthread_mutex_unlock(&c->lock);
	unref(c);
}

/* Wait (up to 2 s: the loop may be stopping) until the event loop has let
 * go; the owner's reference is dropped only then, so that a lingering
 * loop reference never frees c under the loop's feet, and nothing leaks
 * when it does let go in time. */
static void
wait_loop(struct console *c)
{
	struct timespec ts;

	/* On the condvar's clock, which a wall-clock step cannot stretch. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += 2;
	pthread_mutex_lock(&c->lock);
	while (!c->loop_done)
		if (pthread_cond_timedwait(&c->released, &c->lock, &ts) != 0)
			break;
	pthread_mutex_unlock(&c->lock);
}

/* Record the first way the stream ended. */
static void
set_end(struct console *c, enum console_end e, const char *why)
{
	pthread_mutex_lock(&c->lock);
	if (c->end == CONSOLE_OPEN) {
		c->end = e;
		c->why = why ? xstrdup(why) : NULL;
	}
	pthread_mutex_unlock(&c->lock);
}

static bool
ended(struct console *c)
{
	bool e;

	pthread_mutex_lock(&c->lock);
	e = c->end != CONSOLE_OPEN;
	pthread_mutex_unlock(&c->lock);
	return e;
}

static const char *
last_error(void)
{
	const char *m = virGetLastErrorMessage();
	return m ? m : "unknown error";
}

/* ---- the event thread (io held) ---- */

/* Receive what the stream has, while the input queue has room. Returns
 * whether anything changed for the UI. */
static bool
pump_in(struct console *c)
{
	char buf[CHUNK];
	bool news = false;

	for (;;) {
		size_t room;
		int n;

		pthread_mutex_lock(&c->lock);
		room = QUEUE_CAP - c->in_len;
		c->in_full = room == 0;
		pthread_mutex_unlock(&c->lock);
		if (room == 0)
			return news;
		n = virStreamRecv(c->st, buf, room < sizeof buf ? room : sizeof buf);
		if (n == -2)
			return news;
		if (n <= 0) {
			set_end(c, n == 0 ? CONSOLE_EOF : CONSOLE_BROKEN, n == 0 ? NULL : last_error());
			return true;
		}
		pthread_mutex_lock(&c->lock);
		memcpy(c->in + c->in_len, buf, (size_t)n);
		c->in_len += (size_t)n;
		pthread_mutex_unlock(&c->lock);
		news = true;
	}
}

/* Send the output queue until it is empty or the stream would block. */
static bool
pump_out(struct console *c)
{
	char buf[CHUNK];

	c->send_blocked = false;
	for (;;) {
		size_t len;
		int n;

		pthread_mutex_lock(&c->lock);
		len = c->out_len < sizeof buf ? c->out_len : sizeof buf;
		memcpy(buf, c->out, len);
		pthread_mutex_unlock(&c->lock);
		if (len == 0)
			return false;
		n = virStreamSend(c->st, buf, len);
		if (n == -2) {
			c->send_blocked = true;
			return false;
		}
		if (n < 0) {
			set_end(c, CONSOLE_BROKEN, last_error());
			return true;
		}
		pthread_mutex_lock(&c->lock);
		memmove(c->out, c->out + n, c->out_len - (size_t)n);
		c->out_len -= (size_t)n;
		pthread_mutex_unlock(&c->lock);
	}
}

/* Listen for what is wanted now: nothing once ended, readable while the
 * input queue has room, writable only while a send is pending (remote
 * streams report writable all the time). */
static void
rearm(struct console *c)
{
	int want = 0;

	if (!ended(c)) {
		pthread_mutex_lock(&c->lock);
		if (!c->in_full)
			want |= VIR_STREAM_EVENT_READABLE;
		if (c->send_blocked && c->out_len > 0)
			want |= VIR_STREAM_EVENT_WRITABLE;
		pthread_mutex_unlock(&c->lock);
		want |= VIR_STREAM_EVENT_ERROR | VIR_STREAM_EVENT_HANGUP;
	}
	if (want != c->events && virStreamEventUpdateCallback(c->st, want) == 0)
		c->events = want;
}

/* The stream callback: pump whichever way is ready, note the end. */
static void
on_stream(virStreamPtr st, int events, void *opaque)
{
	struct console *c = opaque;
	bool news = false;

	(void)st;
	pthread_mutex_lock(&c->io);
	if (c->st == NULL) {
		pthread_mutex_unlock(&c->io);
		return;
	}
	if (events & VIR_STREAM_EVENT_READABLE)
		news |= pump_in(c);
	if (events & VIR_STREAM_EVENT_WRITABLE)
		news |= pump_out(c);
	if ((events & (VIR_STREAM_EVENT_HANGUP | VIR_STREAM_EVENT_ERROR)) && !ended(c)) {
		/* Whatever is still readable comes first. */
		news |= pump_in(c);
		set_end(c, events & VIR_STREAM_EVENT_ERROR ? CONSOLE_BROKEN : CONSOLE_EOF,
		        events & VIR_STREAM_EVENT_ERROR ? "the stream reported an error" : NULL);
		news = true;
	}
	rearm(c);
	pthread_mutex_unlock(&c->io);
	if (news)
		notify_post();
}

/* The UI's poke: send what it queued, read again if it made room. */
static void
on_poke(int timer, void *opaque)
{
	struct console *c = opaque;
	bool news = false;

	pthread_mutex_lock(&c->io);
	virEventUpdateTimeout(timer, -1);
	if (c->st != NULL && !ended(c)) {
		news |= pump_out(c);
		news |= pump_in(c);
		rearm(c);
	}
	pthread_mutex_unlock(&c->io);
	if (news)
		notify_post();
}

/* ---- opening and closing (may block) ---- */

/* What a libvirt error means for opening; *detail gets its message. */
static enum console_error
classify(const virError *e, char **detail)
{
	const char *m = e && e->message ? e->message : "unknown error";

	*detail = xstrdup(m);
	if (e == NULL)
		return CONSOLE_FAILED;
	switch (e->code) {
	case VIR_ERR_OPERATION_DENIED:
	case VIR_ERR_AUTH_FAILED:
		return CONSOLE_DENIED;
	case VIR_ERR_OPERATION_INVALID:
		/* "domain is not running": it stopped since we looked. */
		free(*detail);
		*detail = xstrdup("shut off");
		return CONSOLE_NOT_RUNNING;
	case VIR_ERR_OPERATION_FAILED:
		/* qemu, lxc, libxl: "Active console session exists for this domain". */
		return CONSOLE_BUSY;
	case VIR_ERR_INTERNAL_ERROR:
		/* "cannot find character device", "... is not using a PTY" */
		if (strstr(m, "character device") != NULL)
			return CONSOLE_NO_DEVICE;
		return CONSOLE_FAILED;
	default:
		return CONSOLE_FAILED;
	}
}

/* Refuse guests that are not running before asking for a stream. */
static bool
is_running(virDomainPtr dom, char **detail)
{
	int state = VIR_DOMAIN_NOSTATE, reason = 0;

	if (virDomainGetState(dom, &state, &reason, 0) < 0)
		return true; /* let virDomainOpenConsole say what is wrong */
	switch (state) {
	case VIR_DOMAIN_RUNNING:
	case VIR_DOMAIN_BLOCKED:
	case VIR_DOMAIN_PAUSED:
	case VIR_DOMAIN_SHUTDOWN:
	case VIR_DOMAIN_PMSUSPENDED:
		return true;
	default:
		*detail = xstrdup(vm_state_name((enum vm_state)state));
		return false;
	}
}

struct console *
console_open(virDomainPtr dom, bool force, enum console_error *err, char **detail)
{
	virConnectPtr conn = virDomainGetConnect(dom);
	virStreamPtr st = NULL;
	struct console *c = NULL;
	pthread_condattr_t ca;

	*err = CONSOLE_OK;
	*detail = NULL;
	if (!is_running(dom, detail)) {
		*err = CONSOLE_NOT_RUNNING;
		return NULL;
	}
	st = virStreamNew(conn, VIR_STREAM_NONBLOCK);
	if (st == NULL ||
	    virDomainOpenConsole(dom, NULL, st, force ? VIR_DOMAIN_CONSOLE_FORCE : 0) < 0) {
		*err = classify(virGetLastError(), detail);
		goto cleanup;
	}
	c = xcalloc(1, sizeof *c);
	pthread_mutex_init(&c->lock, NULL);
	pthread_mutex_init(&c->io, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&c->released, &ca);
	pthread_condattr_destroy(&ca);
	c->st = st;
	c->refs = 2;
	c->events = VIR_STREAM_EVENT_READABLE | VIR_STREAM_EVENT_ERROR | VIR_STREAM_EVENT_HANGUP;
	c->timer = virEventAddTimeout(-1, on_poke, c, loop_release);
	if (c->timer < 0) {
		c->refs = 1;
		goto fail;
	}
	if (virStreamEventAddCallback(st, c->events, on_stream, c, NULL) < 0)
		goto fail;
	return c;

fail:
	*err = classify(virGetLastError(), detail);
	c->st = NULL;
	if (c->timer >= 0) {
		virEventRemoveTimeout(c->timer);
		wait_loop(c);
	}
	unref(c);
	c = NULL;
	virStreamAbort(st);
cleanup:
	if (st != NULL)
		virStreamFree(st);
	return c;
}

size_t
console_take(struct console *c, void *buf, size_t n)
{
	bool poke;

	pthread_mutex_lock(&c->lock);
	if (n > c->in_len)
		n = c->in_len;
	memcpy(buf, c->in, n);
	memmove(c->in, c->in + n, c->in_len - n);
	c->in_len -= n;
	poke = c->in_full && n > 0;
	pthread_mutex_unlock(&c->lock);
	if (poke)
		virEventUpdateTimeout(c->timer, 0); /* no RPC: wakes the loop */
	return n;
}

size_t
console_give(struct console *c, const void *buf, size_t n)
{
	pthread_mutex_lock(&c->lock);
	if (n > QUEUE_CAP - c->out_len)
		n = QUEUE_CAP - c->out_len;
	memcpy(c->out + c->out_len, buf, n);
	c->out_len += n;
	pthread_mutex_unlock(&c->lock);
	if (n > 0)
		virEventUpdateTimeout(c->timer, 0);
	return n;
}

enum console_end
console_status(struct console *c, char **why)
{
	enum console_end e;

	pthread_mutex_lock(&c->lock);
	e = c->end;
	if (why != NULL)
		*why = c->why ? xstrdup(c->why) : NULL;
	pthread_mutex_unlock(&c->lock);
	return e;
}

void
console_close(struct console *c, bool graceful)
{
	virStreamPtr st;
	int timer;
	bool eof;

	if (c == NULL)
		return;
	pthread_mutex_lock(&c->io);
	st = c->st;
	/* Keys typed just before the escape may still wait for the poke. */
	if (st != NULL && graceful && !ended(c))
		pump_out(c);
	c->st = NULL;
	timer = c->timer;
	pthread_mutex_unlock(&c->io);
	eof = console_status(c, NULL) == CONSOLE_EOF;
	if (st != NULL) {
		virStreamEventRemoveCallback(st);
		/* After the daemon's end of file, finishing is the handshake;
		 * otherwise tell it we are gone so the console is free at once. */
		if (graceful && eof)
			virStreamFinish(st);
		else if (graceful)
			virStreamAbort(st);
		virStreamFree(st);
	}
	/* After the stream callback: see the top of the file. */
	virEventRemoveTimeout(timer);
	wait_loop(c);
	unref(c);
}
