/* floor.c — the least a client can spend per refresh: open a connection and
 * call virConnectGetAllDomainStats with vmtui's stats groups and flags
 * (DOMSTATS_GROUPS, NOWAIT: as model/host/host.c refresh does), COUNT times,
 * INTERVAL_MS apart, printing the client CPU time per call (all threads)
 * and the wall time a call takes (the daemon's answer time).
 * The figure vmtui is measured against. One call before the clock starts
 * warms the connection up. Usage: floor URI [COUNT] [INTERVAL_MS] */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <libvirt/libvirt.h>

#include "model/stats/domstats.h"

static double
clock_s(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double
cpu_s(void)
{
	return clock_s(CLOCK_PROCESS_CPUTIME_ID);
}

/* This process's resident set, in KiB (0 if unknown). */
static long
rss_kib(void)
{
	char line[256];
	long kib = 0;
	FILE *f = fopen("/proc/self/status", "r");

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof line, f) != NULL)
		if (sscanf(line, "VmRSS: %ld", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

int
main(int argc, char **argv)
{
	const char *uri = argc > 1 ? argv[1] : NULL;
	int count = argc > 2 ? atoi(argv[2]) : 100, i, doms = 0;
	int interval = argc > 3 ? atoi(argv[3]) : 0;
	virConnectPtr conn = virConnectOpen(uri);
	double t0 = 0, wall = 0;

	if (conn == NULL || count <= 0) {
		fprintf(stderr, "floor: cannot connect to %s\n", uri ? uri : "(default)");
		return 1;
	}
	for (i = -1; i < count; i++) {
		virDomainStatsRecordPtr *recs = NULL;
		int n;
		if (i == 0)
			t0 = cpu_s();
		double w0 = clock_s(CLOCK_MONOTONIC);
		n = virConnectGetAllDomainStats(conn, DOMSTATS_GROUPS, &recs,
		                                VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT);
		if (i >= 0)
			wall += clock_s(CLOCK_MONOTONIC) - w0;
		if (n < 0) {
			fprintf(stderr, "floor: stats call failed\n");
			return 1;
		}
		doms = n;
		virDomainStatsRecordListFree(recs);
		if (interval)
			usleep((useconds_t)interval * 1000);
	}
	printf("floor: %d domains, %d calls, %.3f ms client CPU per call, RSS %.1f MiB, "
	       "%.1f ms wall per call\n", doms, count, (cpu_s() - t0) * 1000.0 / count,
	       rss_kib() / 1024.0, wall * 1000.0 / count);
	virConnectClose(conn);
	return 0;
}
