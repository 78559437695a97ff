/* msglog.c — a bounded, thread-safe log of user-facing messages. */
#include "msglog.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "notify.h"
#include "xmalloc.h"

#define MSGLOG_MAX 512

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct msg ring[MSGLOG_MAX];
static size_t head, len;
static uint64_t next_seq = 1;

void
msglog_add(enum msg_kind kind, const char *fmt, ...)
{
	struct timespec ts;
	struct msg *m;
	va_list ap;
	char *text;

	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) < 0)
		text = xstrdup("(message lost: out of memory)");
	va_end(ap);
	clock_gettime(CLOCK_REALTIME, &ts);

	pthread_mutex_lock(&lock);
	m = &ring[head];
	free(m->text);
	m->seq = next_seq++;
	m->wall = (double)ts.tv_sec + ts.tv_nsec / 1e9;
	m->kind = kind;
	m->text = text;
	head = (head + 1) % MSGLOG_MAX;
	if (len < MSGLOG_MAX)
		len++;
	pthread_mutex_unlock(&lock);
	notify_post();
}

static void
copy_out(const struct msg *m, struct msg *out)
{
	*out = *m;
	out->text = xstrdup(m->text);
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
		free(ring[i].text);
		ring[i].text = NULL;
	}
	head = len = 0;
	pthread_mutex_unlock(&lock);
}
