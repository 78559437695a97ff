/* procinfo.h — what the local machine can tell about a guest that libvirt's
 * API does not: when its emulator process started. Local URIs only. */
#ifndef VMTUI_PROCINFO_H
#define VMTUI_PROCINFO_H

#include <stdint.h>

/* Seconds since the qemu process of guest `name` started, read from the pid
 * file the local qemu driver keeps, time the machine spent suspended
 * included; negative when unknown (remote host, other driver, no
 * permission). An age, not a time: it holds on any clock. */
double procinfo_guest_age(const char *uri, const char *name);

/* The age of a process that started start_s seconds after boot, boot_s
 * seconds after boot (CLOCK_BOOTTIME); negative when either is unknown or
 * the start is later. Exposed for tests. */
double procinfo_age(double start_s, double boot_s);

/* Start of process `pid` in seconds since boot, from /proc/PID/stat text;
 * negative when the text is malformed. Exposed for tests. */
double procinfo_parse_starttime(const char *stat, long ticks_per_s);

/* Whether the URI's daemon runs on this machine, so /proc here describes
 * its host (qemu:///system, qemu:///session). */
int procinfo_is_local(const char *uri);

/* Host CPU counters and memory read from /proc, as libvirt's node stats
 * calls read them on the daemon's side, without a round trip: busy and
 * total ticks (busy = user + nice + system + irq + softirq; total adds
 * idle and iowait); memory in KiB (avail = free + buffers + cached).
 * The file is read through *fd: -1 the first time, then kept open (a read
 * from offset 0 makes a /proc file anew), saving an open and a close per
 * refresh; procinfo_close closes it. Return 0, or -1 when /proc cannot be
 * read. */
int procinfo_node_cpu(int *fd, uint64_t *busy, uint64_t *total);
int procinfo_node_mem(int *fd, uint64_t *total_kib, uint64_t *avail_kib);
void procinfo_close(int *fd);
/* The same from /proc/stat and /proc/meminfo text (for tests). */
int procinfo_parse_cpu(const char *stat, uint64_t *busy, uint64_t *total);
int procinfo_parse_mem(const char *meminfo, uint64_t *total_kib, uint64_t *avail_kib);

#endif
