/* xmalloc.c — checked allocation helpers. */
#include "xmalloc.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

void (*xmalloc_fatal_hook)(void);

/* Restore the terminal and abort: there is nothing sane left to do. */
static void
oom(size_t n)
{
	char msg[96];
	int len;

	if (xmalloc_fatal_hook != NULL)
		xmalloc_fatal_hook();
	len = snprintf(msg, sizeof msg, "vmtui: out of memory (%zu bytes)\n", n);
	if (len > 0 && write(STDERR_FILENO, msg, (size_t)len) < 0)
		abort();
	abort();
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		oom(n);
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		oom(n * size);
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		oom(n);
	return q;
}

void *
xreallocarray(void *p, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		oom(SIZE_MAX);
	return xrealloc(p, n * size);
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = strndup(s, n);

	if (p == NULL)
		oom(n);
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (r < 0)
		oom(0);
	return s;
}

char *
xjoin(char *s, const char *sep, const char *t)
{
	char *r = xasprintf("%s%s%s", s ? s : "", s ? sep : "", t);

	free(s);
	return r;
}

void
xfree_strv(char **v, size_t n)
{
	size_t i;

	for (i = 0; v != NULL && i < n; i++)
		free(v[i]);
	free(v);
}

void
xmalloc_init(void)
{
#ifdef __GLIBC__
	mallopt(M_MXFAST, 0);
#endif
}

void
xmalloc_expect(size_t bytes)
{
#ifdef __GLIBC__
	/* Up to cap: a few hundred guests. Beyond, memory weighs more than
	 * the page faults: a refresh of 1000 guests would keep 6 MB. */
	static const size_t floor = 256 * 1024, cap = 1024 * 1024;
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	static size_t set;
	size_t want = bytes < cap - floor ? bytes + floor : cap;

	pthread_mutex_lock(&lock);
	if (want > set) {
		mallopt(M_MMAP_THRESHOLD, (int)want);
		mallopt(M_TRIM_THRESHOLD, (int)want);
		set = want;
	}
	pthread_mutex_unlock(&lock);
#else
	(void)bytes;
#endif
}
