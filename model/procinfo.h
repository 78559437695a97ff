/* procinfo.h — what the local machine can tell about a guest that libvirt's
 * API does not: when its emulator process started. Local URIs only. */
#ifndef VMTUI_PROCINFO_H
#define VMTUI_PROCINFO_H

#include <stdint.h>

/* Monotonic ns at which the qemu process of guest `name` started, read from
 * the pid file the local qemu driver keeps; 0 when unknown (remote host,
 * other driver, no permission). */
uint64_t procinfo_guest_start(const char *uri, const char *name, uint64_t now_ns);

/* Start of process `pid` in seconds since boot, from /proc/PID/stat text;
 * negative when the text is malformed. Exposed for tests. */
double procinfo_parse_starttime(const char *stat, long ticks_per_s);

#endif
