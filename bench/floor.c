/* floor.c — the least a client can spend per refresh: open a connection and
 * call virConnectGetAllDomainStats with vmtui's stats groups, N times,
 * printing the client CPU time per call. The figure vmtui is measured
 * against. Usage: floor URI [COUNT] [INTERVAL_MS] */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <libvirt/libvirt.h>

#include "model/domstats.h"

static double
cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	const char *uri = argc > 1 ? argv[1] : NULL;
	int count = argc > 2 ? atoi(argv[2]) : 100, i, doms = 0;
	int interval = argc > 3 ? atoi(argv[3]) : 0;
	virConnectPtr conn = virConnectOpen(uri);
	double t0;

	if (conn == NULL || count <= 0) {
		fprintf(stderr, "floor: cannot connect to %s\n", uri ? uri : "(default)");
		return 1;
	}
	t0 = cpu_s();
	for (i = 0; i < count; i++) {
		virDomainStatsRecordPtr *recs = NULL;
		int n = virConnectGetAllDomainStats(conn, DOMSTATS_GROUPS, &recs, 0);
		if (n < 0) {
			fprintf(stderr, "floor: stats call failed\n");
			return 1;
		}
		doms = n;
		virDomainStatsRecordListFree(recs);
		if (interval)
			usleep((useconds_t)interval * 1000);
	}
	printf("floor: %d domains, %d calls, %.3f ms client CPU per call\n", doms, count,
	       (cpu_s() - t0) * 1000.0 / count);
	virConnectClose(conn);
	return 0;
}
