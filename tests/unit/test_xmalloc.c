/* test_xmalloc.c — xmalloc_init: no fast bins to merge before a large
 * block. xmalloc_expect: the heap a refresh uses stays with the
 * process between refreshes (no page faults when the next one allocates
 * it again), up to its cap (past it, memory is given back).
 * Measured as the minor page faults of a thread's second round of
 * allocating, touching and freeing a refresh's worth of blocks. Only
 * glibc's allocator trims heaps this way: under valgrind or ASan, whose
 * allocators replace it, and where the round without xmalloc_expect does
 * not fault, there is nothing to compare and the tests are skipped. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <cmocka.h>

#include "model/base/xmalloc.h"

#define BLOCK 1024

struct round {
	size_t bytes;
	long faults;    /* minor faults of the second round */
};

static void
alloc_touch_free(size_t bytes)
{
	size_t n = bytes / BLOCK, i;
	char **b = xcalloc(n, sizeof *b);

	for (i = 0; i < n; i++) {
		b[i] = xmalloc(BLOCK);
		memset(b[i], (int)i, BLOCK);
	}
	for (i = 0; i < n; i++)
		free(b[i]);
	free(b);
}

static void *
two_rounds(void *arg)
{
	struct round *r = arg;
	struct rusage before, after;

	alloc_touch_free(r->bytes);
	getrusage(RUSAGE_THREAD, &before);
	alloc_touch_free(r->bytes);
	getrusage(RUSAGE_THREAD, &after);
	r->faults = after.ru_minflt - before.ru_minflt;
	return NULL;
}

/* A refresh's worth of bytes twice in a new thread (a heap of its own, as
 * a host's worker has): the second round's page faults. */
static long
second_round_faults(size_t bytes)
{
	struct round r = { bytes, 0 };
	pthread_t t;

	assert_int_equal(pthread_create(&t, NULL, two_rounds, &r), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	return r.faults;
}

static long base_faults; /* 600 KiB without xmalloc_expect */
static bool other_malloc;

/* malloc is not glibc's own: valgrind's preload, ASan's or TSan's. */
static bool
malloc_replaced(void)
{
	const char *pre = getenv("LD_PRELOAD");

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
	return true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
	return true;
#endif
#endif
	return pre != NULL && strstr(pre, "vgpreload") != NULL;
}

static int
measure_base(void **state)
{
	(void)state;
	other_malloc = malloc_replaced();
	base_faults = second_round_faults(600 * 1024);
	return 0;
}

static void
test_expect_keeps_heap(void **state)
{
	long with;

	(void)state;
	if (other_malloc || base_faults < 20)
		skip(); /* not glibc's allocator, or one that keeps its heap anyway */
	xmalloc_expect(600 * 1024);
	with = second_round_faults(600 * 1024);
	print_message("600 KiB twice: %ld faults in the second round, %ld without "
	              "xmalloc_expect\n", with, base_faults);
	assert_true(with * 4 < base_faults);
}

/* Past the cap (1 MiB kept), 3 MiB freed go back to the kernel: the next
 * round faults them in again, however much was announced. */
static void
test_expect_capped(void **state)
{
	long with;

	(void)state;
	if (other_malloc || base_faults < 20)
		skip();
	xmalloc_expect(64 * 1024 * 1024);
	with = second_round_faults(3 * 1024 * 1024);
	print_message("3 MiB twice after asking for 64 MiB: %ld faults in the second round\n",
	              with);
	assert_true(with > 256); /* at least the 2 MiB past the cap */
}

/* Fast-bin space (free blocks kept unmerged) after 400 small blocks were
 * freed, in this thread's (the main) heap. -1: not measurable here. */
static long
fastbin_bytes_after_frees(void)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 33)
	void *b[400];
	size_t i;

	for (i = 0; i < 400; i++)
		b[i] = xmalloc(48 + i % 4 * 16);
	for (i = 0; i < 400; i++)
		free(b[i]);
	return (long)mallinfo2().fsmblks;
#else
	return -1;
#endif
}

/* Freed small blocks sit in fast bins by default (the per-size caches
 * take only a few); after xmalloc_init none do, so no large request has
 * to merge them first. */
static void
test_init_no_fast_bins(void **state)
{
	long before, after;

	(void)state;
	before = fastbin_bytes_after_frees();
	if (other_malloc || before <= 0)
		skip(); /* not glibc's allocator, or none kept there anyway */
	xmalloc_init();
	after = fastbin_bytes_after_frees();
	print_message("fast-bin bytes after 400 frees: %ld before xmalloc_init, %ld after\n",
	              before, after);
	assert_int_equal(after, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expect_keeps_heap),
		cmocka_unit_test(test_expect_capped),
		cmocka_unit_test(test_init_no_fast_bins),
	};

	return cmocka_run_group_tests(tests, measure_base, NULL);
}
