/* countstats.c — an LD_PRELOAD shim for the benchmarks: counts the
 * virConnectGetAllDomainStats calls of the process it is loaded into (vmtui
 * makes one per refresh of each host) and keeps the running count, as
 * decimal text followed by the CPU ns the shim spent making up stats (see
 * below), in the file named by $VMTUI_BENCH_COUNT. A benchmark then
 * divides by the refreshes really made instead of guessing them from the
 * interval. The file is mapped, so counting costs no system call (the
 * floor pays none either): fixed-width numbers, read twice by
 * bench/benchlib.py until two reads agree.
 * With $VMTUI_BENCH_FAKESTATS set it also fills the record of every running
 * or paused domain with what a real qemu guest reports (cpu, balloon, vcpu,
 * one disk, one NIC, counters growing from call to call): the test:///
 * driver reports only the state, which would leave vmtui's graphs and
 * their history rings empty. */
#include <dlfcn.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <libvirt/libvirt.h>

typedef int (*stats_fn)(virConnectPtr, unsigned int, virDomainStatsRecordPtr **,
                        unsigned int);

static atomic_ulong calls;
static atomic_ullong fake_ns; /* CPU time spent making up stats */

#define COUNT_LEN 42 /* "%020lu %020llu\n" */

/* The count file, mapped (on first use); NULL without one. */
static char *
count_map(void)
{
	static char *_Atomic map;
	static atomic_int state; /* 0 not tried, 1 trying, 2 done */
	int expect = 0;

	if (atomic_load(&state) == 2)
		return atomic_load(&map);
	if (atomic_compare_exchange_strong(&state, &expect, 1)) {
		const char *path = getenv("VMTUI_BENCH_COUNT");
		int fd = path ? open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644) : -1;
		if (fd >= 0 && ftruncate(fd, COUNT_LEN) == 0) {
			void *m = mmap(NULL, COUNT_LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
			if (m != MAP_FAILED)
				atomic_store(&map, (char *)m);
		}
		if (fd >= 0)
			close(fd);
		atomic_store(&state, 2);
	}
	while (atomic_load(&state) != 2)
		; /* another thread is mapping it: a moment */
	return atomic_load(&map);
}

/* Digits of v, zero-padded, into p[0..width). */
static void
put_digits(char *p, int width, unsigned long long v)
{
	while (width-- > 0) {
		p[width] = (char)('0' + v % 10);
		v /= 10;
	}
}

/* Record one more call in the count file. */
static void
count_call(void)
{
	unsigned long n = atomic_fetch_add(&calls, 1) + 1;
	char *m = count_map();

	if (m == NULL)
		return;
	put_digits(m, 20, n);
	m[20] = ' ';
	put_digits(m + 21, 20, atomic_load(&fake_ns));
	m[41] = '\n';
}

/* One parameter at P[*N]. */
static void
put(virTypedParameterPtr p, int *n, const char *field, int type, unsigned long long v,
    const char *str)
{
	virTypedParameterPtr q = &p[(*n)++];

	memset(q, 0, sizeof *q);
	snprintf(q->field, sizeof q->field, "%s", field);
	q->type = type;
	if (type == VIR_TYPED_PARAM_STRING)
		q->value.s = strdup(str);
	else if (type == VIR_TYPED_PARAM_UINT)
		q->value.ui = (unsigned int)v;
	else
		q->value.ul = v;
}

#define U64(k, v) put(p, &np, k, VIR_TYPED_PARAM_ULLONG, (unsigned long long)(v), NULL)
#define U32(k, v) put(p, &np, k, VIR_TYPED_PARAM_UINT, (unsigned long long)(v), NULL)
#define STR(k, v) put(p, &np, k, VIR_TYPED_PARAM_STRING, 0, v)
#define NFAKE 44

/* Add a real guest's stats to one record; CALL grows with every call. */
static void
fake_record(virDomainStatsRecordPtr rec, unsigned long long call, unsigned long long seed)
{
	virTypedParameterPtr p;
	int np = rec->nparams, i, state = 0;
	unsigned long long t = call * (seed % 13 + 1);

	for (i = 0; i < np; i++)
		if (strcmp(rec->params[i].field, "state.state") == 0)
			state = rec->params[i].value.i;
	if (state != VIR_DOMAIN_RUNNING && state != VIR_DOMAIN_PAUSED)
		return;
	/* libvirt frees the array and its strings with free() (via g_free). */
	p = malloc(sizeof *p * (size_t)(np + NFAKE));
	if (p == NULL)
		return;
	memcpy(p, rec->params, sizeof *p * (size_t)np);
	U64("cpu.time", t * 37000000ull);
	U64("cpu.user", t * 20000000ull);
	U64("cpu.system", t * 9000000ull);
	U64("balloon.current", 1048576);
	U64("balloon.maximum", 2097152);
	U64("balloon.swap_in", 0);
	U64("balloon.swap_out", 0);
	U64("balloon.major_fault", 100 + seed % 50);
	U64("balloon.minor_fault", 50000 + t * 3);
	U64("balloon.unused", 400000 + (t * 997) % 300000);
	U64("balloon.available", 1000000);
	U64("balloon.usable", 500000 + (t * 991) % 300000);
	U64("balloon.last-update", 1700000000ull + call);
	U64("balloon.disk_caches", 80000);
	U64("balloon.rss", 900000 + seed % 100000);
	U32("vcpu.current", 1 + seed % 4);
	U32("vcpu.maximum", 4);
	U32("net.count", 1);
	STR("net.0.name", "vnet0");
	U64("net.0.rx.bytes", t * 1500);
	U64("net.0.rx.pkts", t * 3);
	U64("net.0.rx.errs", 0);
	U64("net.0.rx.drop", 0);
	U64("net.0.tx.bytes", t * 700);
	U64("net.0.tx.pkts", t * 2);
	U64("net.0.tx.errs", 0);
	U64("net.0.tx.drop", 0);
	U32("block.count", 1);
	STR("block.0.name", "vda");
	STR("block.0.path", "/var/lib/libvirt/images/disk.qcow2");
	U64("block.0.rd.reqs", t * 5);
	U64("block.0.rd.bytes", t * 40960);
	U64("block.0.rd.times", t * 100000);
	U64("block.0.wr.reqs", t * 2);
	U64("block.0.wr.bytes", t * 8192);
	U64("block.0.wr.times", t * 200000);
	U64("block.0.fl.reqs", t);
	U64("block.0.fl.times", t * 50000);
	U64("block.0.allocation", 2147483648ull);
	U64("block.0.capacity", 10737418240ull);
	U64("block.0.physical", 2147483648ull);
	free(rec->params);
	rec->params = p;
	rec->nparams = np;
}

static unsigned long long
thread_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ull + (unsigned long long)ts.tv_nsec;
}

/* The interposed call: the real one, the count, the filling in. */
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
	if (ret > 0 && getenv("VMTUI_BENCH_FAKESTATS") != NULL) {
		unsigned long long t0 = thread_ns(), call = atomic_load(&calls) + 1;
		for (int i = 0; i < ret; i++)
			fake_record((*retStats)[i], call, (unsigned long long)i * 2654435761ull);
		atomic_fetch_add(&fake_ns, thread_ns() - t0);
	}
	count_call();
	return ret;
}
