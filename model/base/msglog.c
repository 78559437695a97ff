/* msglog.c — a bounded, thread-safe log of user-facing messages. */
#include "msglog.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>

#include "notify.h"
#include "xmalloc.h"

#define MSGLOG_MAX 1000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct msg ring[MSGLOG_MAX];
static size_t head, len;
static uint64_t next_seq = 1;

static void
push_flagged(enum msg_kind kind, char *text, char *virsh, bool host_down)
{
	struct timespec ts;
	struct msg *m;

	clock_gettime(CLOCK_REALTIME, &ts);

	pthread_mutex_lock(&lock);
	m = &ring[head];
	free(m->text);
	free(m->virsh);
	m->virsh = virsh;
	m->seq = next_seq++;
	m->wall = (double)ts.tv_sec + ts.tv_nsec / 1e9;
	m->kind = kind;
	m->text = text;
	m->host_down = host_down;
	head = (head + 1) % MSGLOG_MAX;
	if (len < MSGLOG_MAX)
		len++;
	pthread_mutex_unlock(&lock);
	notify_post();
}

static void
push(enum msg_kind kind, char *text, char *virsh)
{
	push_flagged(kind, text, virsh, false);
}

/* The text of fmt and ap, newly allocated (a note in its place when
 * memory runs out). */
static char *
vformat(const char *fmt, va_list ap)
{
	char *text;

	if (vasprintf(&text, fmt, ap) < 0)
		text = xstrdup("(message lost: out of memory)");
	return text;
}

void
msglog_host_down(const char *fmt, ...)
{
	va_list ap;
	char *text;

	va_start(ap, fmt);
	text = vformat(fmt, ap);
	va_end(ap);
	push_flagged(MSG_ERROR, text, NULL, true);
}

void
msglog_add(enum msg_kind kind, const char *fmt, ...)
{
	va_list ap;
	char *text;

	va_start(ap, fmt);
	text = vformat(fmt, ap);
	va_end(ap);
	push(kind, text, NULL);
}

/* An action's record: "WHAT" then the outcome (": done", " requested") on
 * success, else "WHAT failed: ERR". */
static void
action_msg(const char *virsh, const char *err, const char *outcome, const char *fmt,
           va_list ap)
{
	char *what, *text;

	if (vasprintf(&what, fmt, ap) < 0)
		what = xstrdup("(action)");
	if (err == NULL)
		text = xasprintf("%s%s", what, outcome);
	else
		text = xasprintf("%s failed: %s", what, err);
	free(what);
	push(err ? MSG_ERROR : MSG_INFO, text, virsh ? xstrdup(virsh) : NULL);
}

void
msglog_action(const char *virsh, const char *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	action_msg(virsh, err, ": done", fmt, ap);
	va_end(ap);
}

void
msglog_requested(const char *virsh, const char *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	action_msg(virsh, err, " requested", fmt, ap);
	va_end(ap);
}

/* Append s to the buffer, single-quoted when a shell would read it as
 * anything but one plain word. */
static void
append_word(char **buf, size_t *used, const char *s)
{
	static const char plain[] = "abcdefghijklmnopqrstuvwxyz"
	                            "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@+,%";
	bool quote = *s == '\0' || s[strspn(s, plain)] != '\0';
	size_t need = strlen(s) * 4 + 4;
	char *p;

	*buf = xrealloc(*buf, *used + need + 1);
	p = *buf + *used;
	if (*used)
		*p++ = ' ';
	if (quote)
		*p++ = '\'';
	for (; *s; s++) {
		if (*s == '\'') {
			memcpy(p, "'\\''", 4);
			p += 4;
		} else {
			*p++ = *s;
		}
	}
	if (quote)
		*p++ = '\'';
	*p = '\0';
	*used = (size_t)(p - *buf);
}

char *
msglog_virsh(const char *uri, ...)
{
	char *buf = NULL;
	size_t used = 0;
	const char *arg;
	va_list ap;

	append_word(&buf, &used, "virsh");
	if (uri != NULL) {
		append_word(&buf, &used, "-c");
		append_word(&buf, &used, uri);
	}
	va_start(ap, uri);
	while ((arg = va_arg(ap, const char *)) != NULL)
		append_word(&buf, &used, arg);
	va_end(ap);
	return buf;
}

void
msg_clear(struct msg *m)
{
	free(m->text);
	free(m->virsh);
	m->text = m->virsh = NULL;
}

static void
copy_out(const struct msg *m, struct msg *out)
{
	*out = *m;
	out->text = xstrdup(m->text);
	out->virsh = m->virsh ? xstrdup(m->virsh) : NULL;
}

bool
msglog_latest(unsigned kinds, uint64_t after, struct msg *out)
{
	bool found = false;
	size_t i;

	pthread_mutex_lock(&lock);
	for (i = 0; i < len; i++) {
		const struct msg *m = &ring[(head + MSGLOG_MAX - 1 - i) % MSGLOG_MAX];
		if (m->seq <= after)
			break;
		if (kinds & (1u << m->kind)) {
			copy_out(m, out);
			found = true;
			break;
		}
	}
	pthread_mutex_unlock(&lock);
	return found;
}

uint64_t
msglog_seq(void)
{
	uint64_t seq;

	pthread_mutex_lock(&lock);
	seq = next_seq - 1;
	pthread_mutex_unlock(&lock);
	return seq;
}

size_t
msglog_count(void)
{
	size_t n;

	pthread_mutex_lock(&lock);
	n = len;
	pthread_mutex_unlock(&lock);
	return n;
}

bool
msglog_get(size_t age, struct msg *out)
{
	bool ok = false;

	pthread_mutex_lock(&lock);
	if (age < len) {
		copy_out(&ring[(head + MSGLOG_MAX - 1 - age) % MSGLOG_MAX], out);
		ok = true;
	}
	pthread_mutex_unlock(&lock);
	return ok;
}

void
msglog_free_all(void)
{
	size_t i;

	pthread_mutex_lock(&lock);
	for (i = 0; i < MSGLOG_MAX; i++) {
		msg_clear(&ring[i]);
	}
	head = len = 0;
	pthread_mutex_unlock(&lock);
}
