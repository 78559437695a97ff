/* console.c — a guest's serial console through the whole terminal.
 *
 * From the TUI (C): the open runs on the host's worker (host_call); when
 * it is done, console_poll leaves curses, puts the tty in raw mode and
 * passes bytes both ways until the escape byte, the end of the stream or
 * a quit signal, then hands the stream to the worker to close and redraws
 * the screen in full. A busy console asks to be taken over. From the
 * shell (`vmtui console VM`) the same pass-through runs without curses.
 * The stream itself is model/console.c; this file owns the terminal. */
#include "console.h"
#include "conpane.h"

#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "../model/console.h"
#include "../model/eventloop.h"
#include "../model/notify.h"
#include "../model/xmalloc.h"
#include "../tui/app.h"
#include "../tui/screen.h"

/* How a pass-through ended. */
enum pt_end { PT_ESCAPE, PT_EOF, PT_BROKEN, PT_SIGNAL, PT_TTY };

/* ---- the escape byte ---- */

bool
console_parse_escape(const char *s, unsigned char *out)
{
	int ch;

	if (s == NULL || s[0] != '^' || s[1] == '\0' || s[2] != '\0')
		return false;
	ch = (unsigned char)s[1];
	if (ch == '?') {
		*out = 0x7f;
		return true;
	}
	if (ch >= 'a' && ch <= 'z')
		ch -= 'a' - 'A';
	if (ch < '@' || ch > '_')
		return false;
	*out = (unsigned char)(ch & 0x1f);
	return true;
}

/* The escape byte as typed: ^]. */
const char *
console_escape_label(unsigned char esc, char buf[4])
{
	buf[0] = '^';
	buf[1] = esc == 0x7f ? '?' : (char)((esc & 0x1f) + '@');
	buf[2] = '\0';
	return buf;
}

/* ---- the pass-through (no curses) ---- */

/* All of p to fd, through interruptions and a full non-blocking fd. */
static bool
write_all(int fd, const unsigned char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN) {
			struct pollfd pf = { .fd = fd, .events = POLLOUT };
			poll(&pf, 1, 100);
			continue;
		}
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

/* Guest output to the terminal; false when the terminal is gone. */
static bool
drain_guest(struct console *c)
{
	unsigned char buf[16384];
	size_t n;

	while ((n = console_take(c, buf, sizeof buf)) > 0)
		if (!write_all(STDOUT_FILENO, buf, n))
			return false;
	return true;
}

/* Keys to the guest, up to the escape byte; what follows it in the same
 * read (the rest of a paste) is dropped. Returns whether it was seen. */
static bool
pass_keys(struct console *c, const unsigned char *buf, size_t n, unsigned char esc)
{
	const unsigned char *hit = memchr(buf, esc, n);
	size_t len = hit ? (size_t)(hit - buf) : n;

	/* A full queue (the guest stopped reading) drops keys, never the escape. */
	console_give(c, buf, len);
	return hit != NULL;
}

/* Pump until the escape byte, the end of the stream, *quit or the loss of
 * the terminal. The tty is already raw. *why gets a stream error. */
static enum pt_end
passthrough(struct console *c, unsigned char esc, volatile sig_atomic_t *quit, char **why)
{
	unsigned char buf[4096];
	struct pollfd fds[2];
	enum console_end e;
	ssize_t n;

	*why = NULL;
	for (;;) {
		if (!drain_guest(c))
			return PT_TTY;
		if (*quit)
			return PT_SIGNAL;
		e = console_status(c, why);
		if (e != CONSOLE_OPEN) /* what came before the end still shows */
			return !drain_guest(c) ? PT_TTY : e == CONSOLE_EOF ? PT_EOF : PT_BROKEN;
		fds[0].fd = STDIN_FILENO;
		fds[0].events = POLLIN;
		fds[1].fd = notify_fd();
		fds[1].events = POLLIN;
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return PT_TTY;
		}
		if (fds[1].revents & POLLIN)
			notify_drain();
		if (fds[0].revents & POLLIN) {
			n = read(STDIN_FILENO, buf, sizeof buf);
			if (n < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (n <= 0)
				return PT_TTY;
			if (pass_keys(c, buf, (size_t)n, esc))
				return PT_ESCAPE;
		} else if (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)) {
			return PT_TTY;
		}
	}
}

/* Raw mode from the current settings, which go to *saved. */
static bool
tty_raw(struct termios *saved)
{
	struct termios raw;

	if (tcgetattr(STDIN_FILENO, saved) < 0)
		return false;
	raw = *saved;
	cfmakeraw(&raw);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	return tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0;
}

/* Why an open failed, as a sentence; `tui` picks the hints. */
static char *
open_error(const char *name, enum console_error err, const char *detail, bool tui)
{
	switch (err) {
	case CONSOLE_NOT_RUNNING:
		if (tui)
			return xasprintf("%s is %s: start it first (S).", name, detail);
		return xasprintf("%s is %s: start it first (virsh start %s).", name, detail, name);
	case CONSOLE_NO_DEVICE:
		return xasprintf("%s has no console to connect to (libvirt: %s); its definition "
		                 "needs a <serial type='pty'> device.", name, detail);
	case CONSOLE_BUSY:
		return xasprintf("The console of %s is busy: another client is connected "
		                 "(libvirt: %s). %s", name, detail,
		                 tui ? "Press C and answer y to take it over."
		                     : "Use --force to take it over.");
	case CONSOLE_DENIED:
		return xasprintf("Cannot open the console of %s: libvirt refused (%s); consoles "
		                 "need a read-write connection.", name, detail);
	default:
		return xasprintf("Cannot open the console of %s: %s.", name,
		                 detail ? detail : "unknown error");
	}
}

/* How a session ended, as a sentence (NULL for the escape). */
static char *
end_message(const char *name, enum pt_end e, const char *why)
{
	switch (e) {
	case PT_EOF:
		return xasprintf("The console of %s closed: the guest stopped.", name);
	case PT_BROKEN:
		/* A take-over (--force elsewhere) ends ours as an I/O failure. */
		return xasprintf("The console of %s closed: %s; another client may have taken "
		                 "it over.", name, why ? why : "stream error");
	case PT_SIGNAL:
		return xasprintf("Left the console of %s on a signal.", name);
	case PT_TTY:
		return xasprintf("Left the console of %s: the terminal went away.", name);
	default:
		return NULL;
	}
}

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

/* C or V: open the selected guest's console for the pass-through or the pane. */
static int
open_cmd(struct app *a, bool pane)
{
	struct sel_guest g;

	if (pending != NULL) {
		app_status(a, MSG_INFO, "Still opening the console of %s...", pending->name);
		return HANDLED;
	}
	if (!app_selected_guest(a, &g))
		return HANDLED;
	if (a->readonly)
		app_status(a, MSG_ERROR, "Cannot open the console of %s: vmtui runs read-only (-r), "
		           "and libvirt opens consoles on read-write connections only.", g.name);
	else if (!g.host_up)
		app_status(a, MSG_ERROR, "Cannot open the console of %s: its host is not connected.",
		           g.name);
	else if (!vm_state_active(g.state))
		app_status(a, MSG_ERROR, "%s is %s: start it first (S).", g.name,
		           vm_state_name(g.state));
	else
		start_open(a, g.host, g.uuid, g.name, false, pane);
	return HANDLED;
}

int
console_cmd(struct app *a)
{
	return open_cmd(a, false);
}

int
console_pane_cmd(struct app *a)
{
	return open_cmd(a, true);
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
	if (write_all(STDOUT_FILENO, (const unsigned char *)hint, strlen(hint)) &&
	    tty_raw(&shell)) {
		e = passthrough(r->c, esc, &screen_got_quit_signal, &why);
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
		write_all(STDOUT_FILENO, (const unsigned char *)"\r\n", 2);
		a->quit = e == PT_TTY;
		free(why);
		return;
	}
	app_resume(a);
	msg = end_message(r->name, e, why);
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
		msg = open_error(r->name, r->err, r->detail, true);
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

/* ---- from the shell ---- */

static volatile sig_atomic_t cli_quit;
static volatile sig_atomic_t cli_raw;
static struct termios cli_tio;

/* The terminal as it was; safe in signal handlers and atexit. */
static void
cli_restore(void)
{
	if (!cli_raw)
		return;
	cli_raw = 0;
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &cli_tio);
}

static void
cli_on_quit(int sig)
{
	(void)sig;
	cli_quit = 1;
	notify_post();
}

/* Quit signals end the pass-through; fatal ones restore the tty. */
static void
cli_signals(void)
{
	screen_signals(cli_restore, cli_on_quit, NULL);
	xmalloc_fatal_hook = cli_restore;
	atexit(cli_restore);
}

static void
quiet(void *data, virErrorPtr e)
{
	(void)data;
	(void)e;
}

/* By name, else UUID, else ID, as virsh does. */
static virDomainPtr
lookup(virConnectPtr conn, const char *vm)
{
	virDomainPtr dom = virDomainLookupByName(conn, vm);
	char *end;
	long id;

	if (dom == NULL)
		dom = virDomainLookupByUUIDString(conn, vm);
	if (dom == NULL) {
		id = strtol(vm, &end, 10);
		if (end != vm && *end == '\0' && id >= 0 && id <= 0x7fffffff)
			dom = virDomainLookupByID(conn, (int)id);
	}
	return dom;
}

/* "vmtui: " and the sentence on stderr, lower case after the colon unless
 * it starts with the VM's name; frees msg. */
static void
cli_say(const char *before, const char *vm, char *msg)
{
	if (strncmp(msg, vm, strlen(vm)) != 0)
		msg[0] = (char)tolower((unsigned char)msg[0]);
	fprintf(stderr, "%svmtui: %s\n", before, msg);
	free(msg);
}

/* Connect, look the VM up and open its console; errors on stderr. */
static struct console *
cli_open(const char *uri, const char *vm, bool force, virConnectPtr *conn)
{
	virDomainPtr dom;
	struct console *c;
	enum console_error err;
	char *detail = NULL;

	*conn = virConnectOpenAuth(uri, virConnectAuthPtrDefault, 0);
	if (*conn == NULL) {
		fprintf(stderr, "vmtui: cannot connect to %s: %s.\n",
		        uri ? uri : "libvirt's default host", virGetLastErrorMessage());
		return NULL;
	}
	dom = lookup(*conn, vm);
	if (dom == NULL) {
		char *u = virConnectGetURI(*conn);
		fprintf(stderr, "vmtui: there is no VM named %s on %s.\n", vm, u ? u : "the host");
		free(u);
		return NULL;
	}
	c = console_open(dom, force, &err, &detail);
	virDomainFree(dom);
	if (c == NULL) {
		cli_say("", vm, open_error(vm, err, detail, false));
	}
	free(detail);
	return c;
}

int
console_cli(const char *uri, const char *vm, bool force, unsigned char esc)
{
	virConnectPtr conn = NULL;
	struct console *c = NULL;
	char label[4], *why = NULL, *msg;
	enum pt_end e;
	int rc = EXIT_FAILURE;

	if (!isatty(STDIN_FILENO)) {
		fprintf(stderr, "vmtui console: standard input is not a terminal; the console "
		        "needs one to pass keys through.\n");
		return EXIT_FAILURE;
	}
	virSetErrorFunc(NULL, quiet);
	if (virInitialize() < 0 || notify_init() < 0 || eventloop_start() < 0) {
		fprintf(stderr, "vmtui: cannot initialise libvirt.\n");
		return EXIT_FAILURE;
	}
	c = cli_open(uri, vm, force, &conn);
	if (c == NULL)
		goto cleanup;
	fprintf(stderr, "Connected to %s; escape with %s\n", vm, console_escape_label(esc, label));
	cli_signals();
	if (!tty_raw(&cli_tio)) {
		fprintf(stderr, "vmtui: cannot put the terminal in raw mode: %s.\n", strerror(errno));
		console_close(c, true);
		goto cleanup;
	}
	cli_raw = 1;
	e = passthrough(c, esc, &cli_quit, &why);
	cli_restore();
	console_close(c, e != PT_TTY);
	msg = end_message(vm, e, why);
	if (msg != NULL)
		cli_say("\n", vm, msg);
	else
		fputc('\n', stderr);
	free(why);
	rc = e == PT_ESCAPE || e == PT_EOF ? EXIT_SUCCESS : EXIT_FAILURE;
cleanup:
	if (conn != NULL)
		virConnectClose(conn);
	eventloop_stop();
	notify_close();
	return rc;
}
