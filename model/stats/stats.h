/* stats.h — the arithmetic of live statistics: counter deltas, rates and
 * percentages. Pure functions, no libvirt and no clock. */
#ifndef VMTUI_STATS_H
#define VMTUI_STATS_H

#include <stdbool.h>
#include <stdint.h>

/* A rate is unknown when there is no previous sample, the interval is not
 * positive, or the counter went backwards (guest reboot, device replug). */
#define STATS_UNKNOWN (-1.0)

/* Per-second rate of a monotonic counter between two samples. */
double stats_rate(uint64_t prev, uint64_t cur, double dt_s);

/* CPU use in percent of `ncpus` CPUs from cumulative CPU time (ns) deltas.
 * 100 means every one of the ncpus was busy for the whole interval. */
double stats_cpu_pct(uint64_t prev_ns, uint64_t cur_ns, double dt_s,
                     unsigned ncpus);

/* WAIT%: the share of the vCPUs' time that they were runnable but queued
 * for a host CPU, from the summed vcpu.N.delay (or .wait) counters in ns
 * of `nvcpus` vCPUs. 100 means every vCPU waited the whole interval;
 * unknown as stats_cpu_pct is (and when the counter went backwards: a
 * vCPU unplugged). */
double stats_wait_pct(uint64_t prev_ns, uint64_t cur_ns, double dt_s,
                      unsigned nvcpus);

/* vCPUs of running guests per host CPU (1.5: half again as many), or
 * STATS_UNKNOWN when the host's CPUs are not known. */
double stats_overcommit(unsigned vcpus, unsigned host_cpus);

/* Host CPU percent from two (busy, total) tick pairs. */
double stats_host_cpu_pct(uint64_t prev_busy, uint64_t prev_total,
                          uint64_t cur_busy, uint64_t cur_total);

/* Guest memory in use (KiB) from balloon figures; falls back to the
 * allocation when the guest reports nothing. `have_*` say what exists. */
uint64_t stats_mem_used(bool have_avail, uint64_t avail, bool have_unused,
                        uint64_t unused, bool have_usable, uint64_t usable,
                        uint64_t current);

/* Seconds between two timespec-like monotonic readings in ns. */
double stats_dt(uint64_t prev_ns, uint64_t cur_ns);

#endif
