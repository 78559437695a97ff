/* console.c — a guest's serial console through the whole terminal.
 *
 * From the TUI (C): the open runs on the host's worker (host_call); when
 * it is done, console_poll leaves curses, puts the tty in raw mode and
 * passes bytes both ways until the escape byte, the end of the stream or
 * a quit signal, then hands the stream to the worker to close and redraws
 * the screen in full. A busy console asks to be taken over. The
 * pass-through itself is tui/passthru.c (shared with `vmtui console`,
 * tui/cli_console.c); the stream is model/guest/console.c. */
#include "console.h"
#include "conpane.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "../model/base/notify.h"
#include "../model/base/xmalloc.h"
#include "../model/guest/console.h"
#include "../tui/app.h"
#include "../tui/passthru.h"
#include "../tui/screen.h"

/* ---- from the TUI ---- */

struct open_req {
	struct host *h;
	char uuid[VM_UUID_LEN];
	char name[256];
	bool force;
	bool pane;              /* for the console pane, not the pass-through */
	bool done, forgotten;   /* under req_lock */
	enum console_error err;
	char *detail;
	struct console *c;
};

static pthread_mutex_t req_lock = PTHREAD_MUTEX_INITIALIZER;
static struct open_req *pending; /* the UI thread's */
/* The guest of the take-over question. */
static struct {
	struct host *h;
	char uuid[VM_UUID_LEN];
	char name[256];
	bool pane;
} asked;

/* An open request with its result, the console already handed on. */
static void
req_free(struct open_req *r)
{
	free(r->detail);
	free(r);
}

/* On the worker: look the guest up and open its console. */
static void
open_on_worker(struct host *h, virConnectPtr conn, void *arg)
{
	struct open_req *r = arg;
	virDomainPtr dom = NULL;
	bool forgotten;

	(void)h;
	if (conn == NULL) {
		r->err = CONSOLE_FAILED;
		r->detail = xstrdup("its host is not connected");
	} else if ((dom = virDomainLookupByUUIDString(conn, r->uuid)) == NULL) {
		r->err = CONSOLE_FAILED;
		r->detail = xstrdup(virGetLastErrorMessage());
	} else {
		r->c = console_open(dom, r->force, &r->err, &r->detail);
		virDomainFree(dom);
	}
	pthread_mutex_lock(&req_lock);
	forgotten = r->forgotten;
	r->done = true;
	pthread_mutex_unlock(&req_lock);
	if (forgotten) {
		console_close(r->c, conn != NULL);
		req_free(r);
		return;
	}
	notify_post();
}

/* On the worker: end the stream (an RPC); locally only when quitting. */
static void
close_on_worker(struct host *h, virConnectPtr conn, void *arg)
{
	(void)h;
	console_close(arg, conn != NULL);
}

/* Queue the open on the guest's host worker; console_poll takes it on. */
static void
start_open(struct app *a, struct host *h, const char *uuid, const char *name, bool force,
           bool pane)
{
	struct open_req *r = xcalloc(1, sizeof *r);

	r->pane = pane;
	r->h = h;
	snprintf(r->uuid, sizeof r->uuid, "%s", uuid);
	snprintf(r->name, sizeof r->name, "%s", name);
	r->force = force;
	pending = r;
	host_call(h, open_on_worker, r);
	app_status(a, MSG_INFO, "%s the console of %s...", force ? "Taking over" : "Opening", name);
}

void
console_close_later(struct host *h, struct console *c)
{
	host_call(h, close_on_worker, c);
}

/* C or V: open guest g's console for the pass-through or the pane (the
 * dispatcher checked read-only mode and the host). */
int
console_open_tui(struct app *a, const struct sel_guest *g, bool pane)
{
	if (pending != NULL)
		app_status(a, MSG_INFO, "Still opening the console of %s...", pending->name);
	else if (!vm_state_active(g->state))
		app_status(a, MSG_ERROR, "%s is %s: start it first (S).", g->name,
		           vm_state_name(g->state));
	else
		start_open(a, g->host, g->uuid, g->name, false, pane);
	return HANDLED;
}

/* y to the take-over question. */
static void
take_over(struct app *a)
{
	start_open(a, asked.h, asked.uuid, asked.name, true, asked.pane);
}

/* The terminal is the guest's until the session ends. */
static void
run_tui(struct app *a, struct open_req *r)
{
	unsigned char esc = a->console_escape ? a->console_escape : CONSOLE_ESCAPE_DEFAULT;
	struct termios shell;
	char label[4], *why = NULL, *msg, *hint;
	enum pt_end e = PT_TTY;

	app_suspend(a);
	hint = xasprintf("\r\nConnected to the console of %s; escape with %s\r\n", r->name,
	                 console_escape_label(esc, label));
	if (passthru_write_all(STDOUT_FILENO, (const unsigned char *)hint, strlen(hint)) &&
	    passthru_tty_raw(&shell)) {
		e = passthru_run(r->c, esc, &screen_got_quit_signal, &why);
		/* TCSAFLUSH: the rest of a paste after the escape is no key for us. */
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &shell);
	}
	free(hint);
	host_call(r->h, close_on_worker, r->c);
	r->c = NULL;
	if (e == PT_SIGNAL || e == PT_TTY) {
		/* vmtui is ending: main's screen_end puts the terminal back,
		 * and what main says goes on a line of its own, not after the
		 * guest's prompt. */
		passthru_write_all(STDOUT_FILENO, (const unsigned char *)"\r\n", 2);
		a->quit = e == PT_TTY;
		free(why);
		return;
	}
	app_resume(a);
	msg = passthru_end_message(r->name, e, why);
	if (msg != NULL)
		app_status(a, MSG_ERROR, "%s", msg);
	else
		app_status(a, MSG_INFO, "Left the console of %s.", r->name);
	free(msg);
	free(why);
}

void
console_poll(struct app *a)
{
	struct open_req *r = pending;
	char *msg;
	bool done;

	if (r == NULL)
		return;
	pthread_mutex_lock(&req_lock);
	done = r->done;
	pthread_mutex_unlock(&req_lock);
	if (!done)
		return;
	pending = NULL;
	if (r->c != NULL && r->pane) {
		conpane_attach(a, r->h, r->uuid, r->name, r->c);
		r->c = NULL;
	} else if (r->c != NULL) {
		run_tui(a, r);
	} else if (r->err == CONSOLE_BUSY && !r->force) {
		asked.h = r->h;
		snprintf(asked.uuid, sizeof asked.uuid, "%s", r->uuid);
		snprintf(asked.name, sizeof asked.name, "%s", r->name);
		asked.pane = r->pane;
		app_status(a, MSG_INFO, "Console of %s busy (libvirt: %s).", r->name, r->detail);
		app_ask(a, "Console busy: take it over? y/N", take_over);
	} else {
		msg = passthru_open_error(r->name, r->err, r->detail, true);
		app_status(a, MSG_ERROR, "%s", msg);
		free(msg);
	}
	req_free(r);
}

void
console_forget(void)
{
	struct open_req *r = pending;
	bool done;

	if (r == NULL)
		return;
	pending = NULL;
	pthread_mutex_lock(&req_lock);
	done = r->done;
	r->forgotten = !done;
	pthread_mutex_unlock(&req_lock);
	if (!done)
		return; /* the worker closes and frees it */
	console_close(r->c, false); /* local only: no RPC on the UI thread */
	req_free(r);
}
