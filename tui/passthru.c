/* passthru.c — a guest's console through the raw terminal, no curses (see
 * passthru.h): the bytes both ways, the escape byte, and what is said
 * when an open fails or a session ends. The stream itself is
 * model/guest/console.c. */
#include "passthru.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "../model/base/notify.h"
#include "../model/base/xmalloc.h"

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
bool
passthru_write_all(int fd, const unsigned char *p, size_t n)
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
		if (!passthru_write_all(STDOUT_FILENO, buf, n))
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
enum pt_end
passthru_run(struct console *c, unsigned char esc, volatile sig_atomic_t *quit, char **why)
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
bool
passthru_tty_raw(struct termios *saved)
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
char *
passthru_open_error(const char *name, enum console_error err, const char *detail, bool tui)
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
char *
passthru_end_message(const char *name, enum pt_end e, const char *why)
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

