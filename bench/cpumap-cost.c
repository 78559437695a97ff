/* cpumap-cost.c — what the host view's CPU table costs a host's worker per
 * refresh, beside the bulk stats call every refresh makes anyway: the
 * table's read (cpumap_read: a list of the running guests, then one
 * virDomainGetVcpus each) against virConnectGetAllDomainStats with
 * vmtui's groups (which already carry WAIT%'s vcpu.N.delay).
 *
 * Usage: bench/cpumap-cost [URI [ROUNDS]]   (default qemu:///system, 20)
 * Prints the running guests, then for each the median wall time in ms and
 * the calls of one round. Figures, not a test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvirt/libvirt.h>

#include "model/host/cpumap.h"
#include "model/host/host.h"
#include "model/stats/domstats.h"

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static double
median_ms(uint64_t *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_u64);
	return (double)v[n / 2] / 1e6;
}

int
main(int argc, char **argv)
{
	const char *uri = argc > 1 ? argv[1] : "qemu:///system";
	int rounds = argc > 2 ? atoi(argv[2]) : 20, i, n = 0;
	struct host *h;
	virConnectPtr conn;
	virNodeInfo ni;
	uint64_t *bulk, *map;
	unsigned calls = 0;
	size_t nvcpus = 0;

	if (rounds < 1 || rounds > 10000) {
		fprintf(stderr, "cpumap-cost: ROUNDS must be 1 to 10000\n");
		return 2;
	}
	conn = virConnectOpenReadOnly(uri);
	if (conn == NULL) {
		fprintf(stderr, "cpumap-cost: cannot connect to %s\n", uri);
		return 1;
	}
	h = host_new(&(struct host_opts){ .uri = uri, .name = "bench" });
	if (virNodeGetInfo(conn, &ni) == 0)
		h->cpus = ni.cpus;
	bulk = calloc((size_t)rounds, sizeof *bulk);
	map = calloc((size_t)rounds, sizeof *map);
	if (bulk == NULL || map == NULL)
		return 1;
	for (i = 0; i < rounds; i++) {
		virDomainStatsRecordPtr *recs = NULL;
		struct cpumap_sample s;
		uint64_t t0 = host_now_ns();

		n = virConnectGetAllDomainStats(conn, DOMSTATS_GROUPS, &recs,
		                                VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT);
		bulk[i] = host_now_ns() - t0;
		if (n >= 0)
			virDomainStatsRecordListFree(recs);
		cpumap_read(h, conn, &s);
		map[i] = s.cost_ns;
		calls = s.calls;
		nvcpus = s.nvcpus;
		if (i == 0)
			printf("%s: %d guests, %zu running with %zu vCPUs, %u host CPUs\n", uri, n,
			       s.nguests, s.nvcpus, s.host_cpus);
		cpumap_sample_clear(&s);
	}
	printf("bulk stats call (every refresh): median %.2f ms, 1 call\n", median_ms(bulk, rounds));
	printf("CPU table read (while open):     median %.2f ms, %u calls (%zu vCPUs)\n",
	       median_ms(map, rounds), calls, nvcpus);
	free(bulk);
	free(map);
	host_free(h);
	virConnectClose(conn);
	return 0;
}
