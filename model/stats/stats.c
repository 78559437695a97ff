/* stats.c — counter deltas, rates and percentages. */
#include "stats.h"

double
stats_dt(uint64_t prev_ns, uint64_t cur_ns)
{
	if (prev_ns == 0 || cur_ns <= prev_ns)
		return 0;
	return (double)(cur_ns - prev_ns) / 1e9;
}

double
stats_rate(uint64_t prev, uint64_t cur, double dt_s)
{
	if (dt_s <= 0 || cur < prev)
		return STATS_UNKNOWN;
	return (double)(cur - prev) / dt_s;
}

double
stats_cpu_pct(uint64_t prev_ns, uint64_t cur_ns, double dt_s, unsigned ncpus)
{
	double pct;

	if (dt_s <= 0 || cur_ns < prev_ns || ncpus == 0)
		return STATS_UNKNOWN;
	pct = (double)(cur_ns - prev_ns) / (dt_s * 1e9 * ncpus) * 100.0;
	/* Scheduling jitter can push a busy guest a hair above its share. */
	if (pct > 100.0)
		pct = 100.0;
	return pct;
}

double
stats_wait_pct(uint64_t prev_ns, uint64_t cur_ns, double dt_s, unsigned nvcpus)
{
	/* A vCPU thread runs, waits or sleeps: its delay grows no faster
	 * than the clock, but the two are read at slightly different times. */
	return stats_cpu_pct(prev_ns, cur_ns, dt_s, nvcpus);
}

double
stats_overcommit(unsigned vcpus, unsigned host_cpus)
{
	if (host_cpus == 0)
		return STATS_UNKNOWN;
	return (double)vcpus / host_cpus;
}

double
stats_host_cpu_pct(uint64_t prev_busy, uint64_t prev_total, uint64_t cur_busy,
                   uint64_t cur_total)
{
	double pct;

	if (cur_total <= prev_total || cur_busy < prev_busy)
		return STATS_UNKNOWN;
	pct = (double)(cur_busy - prev_busy) / (double)(cur_total - prev_total) * 100.0;
	return pct > 100.0 ? 100.0 : pct;
}

uint64_t
stats_mem_used(bool have_avail, uint64_t avail, bool have_unused,
               uint64_t unused, bool have_usable, uint64_t usable,
               uint64_t current)
{
	/* "usable" counts reclaimable caches as free, which is what a sysadmin
	 * means by used; "unused" alone would count page cache as used. */
	if (have_avail && have_usable && usable <= avail)
		return avail - usable;
	if (have_avail && have_unused && unused <= avail)
		return avail - unused;
	return current;
}
