/* countstats.c — an LD_PRELOAD shim for the benchmarks: counts the
 * virConnectGetAllDomainStats calls of the process it is loaded into (vmtui
 * makes one per refresh of each host) and keeps the running count, as
 * decimal text, in the file named by $VMTUI_BENCH_COUNT. A benchmark then
 * divides by the refreshes really made instead of guessing them from the
 * interval. Costs one pwrite per call. */
#include <dlfcn.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <libvirt/libvirt.h>

typedef int (*stats_fn)(virConnectPtr, unsigned int, virDomainStatsRecordPtr **,
                        unsigned int);

static atomic_ulong calls;

/* Record one more call in the count file (opened on first use). */
static void
count_call(void)
{
	static atomic_int fd = -2;
	unsigned long n = atomic_fetch_add(&calls, 1) + 1;
	char buf[32];
	int len, f = atomic_load(&fd);

	if (f == -2) {
		const char *path = getenv("VMTUI_BENCH_COUNT");
		int want = path ? open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644) : -1;
		int expect = -2;
		if (!atomic_compare_exchange_strong(&fd, &expect, want) && want >= 0)
			close(want);
		f = atomic_load(&fd);
	}
	if (f < 0)
		return;
	len = snprintf(buf, sizeof buf, "%lu\n", n);
	if (pwrite(f, buf, (size_t)len, 0) < 0)
		return;
}

/* The interposed call: the real one, then the count. */
int
virConnectGetAllDomainStats(virConnectPtr conn, unsigned int stats,
                            virDomainStatsRecordPtr **retStats, unsigned int flags)
{
	static stats_fn real;
	int ret;

	if (real == NULL) {
		*(void **)&real = dlsym(RTLD_NEXT, "virConnectGetAllDomainStats");
		if (real == NULL)
			abort();
	}
	ret = real(conn, stats, retStats, flags);
	count_call();
	return ret;
}
