/* procinfo.c — guest start times from the qemu driver's pid files. */
#include "procinfo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>

double
procinfo_parse_starttime(const char *stat, long ticks)
{
	const char *p = strrchr(stat, ')');
	unsigned long long start;
	int field;

	/* Fields after "pid (comm)": state is field 3, starttime field 22. */
	if (p == NULL || ticks <= 0)
		return -1;
	p++;
	for (field = 3; field < 22; field++) {
		p = strchr(p + 1, ' ');
		if (p == NULL)
			return -1;
	}
	if (sscanf(p, " %llu", &start) != 1)
		return -1;
	return (double)start / (double)ticks;
}

/* Where the local qemu driver keeps NAME.pid for this URI, or NULL. */
static char *
pid_path(const char *uri, const char *name)
{
	const char *rt = getenv("XDG_RUNTIME_DIR");
	char *path = NULL;

	if (uri == NULL || strchr(name, '/') != NULL)
		return NULL;
	if (strcmp(uri, "qemu:///system") == 0) {
		if (asprintf(&path, "/run/libvirt/qemu/%s.pid", name) < 0)
			path = NULL;
	} else if (strcmp(uri, "qemu:///session") == 0 && rt && rt[0] == '/') {
		if (asprintf(&path, "%s/libvirt/qemu/run/%s.pid", rt, name) < 0)
			path = NULL;
	}
	return path;
}

static int
read_small(const char *path, char *buf, size_t n)
{
	FILE *f = fopen(path, "r");
	size_t got;

	if (f == NULL)
		return -1;
	got = fread(buf, 1, n - 1, f);
	fclose(f);
	buf[got] = '\0';
	return got > 0 ? 0 : -1;
}

double
procinfo_age(double start_s, double boot_s)
{
	if (!(start_s >= 0 && boot_s >= start_s))
		return -1;
	return boot_s - start_s;
}

double
procinfo_guest_age(const char *uri, const char *name)
{
	char *path = pid_path(uri, name), buf[1024], stat_path[64];
	struct timespec boot;
	long pid;

	if (path == NULL)
		return -1;
	if (read_small(path, buf, sizeof buf) < 0 || (pid = strtol(buf, NULL, 10)) <= 0) {
		free(path);
		return -1;
	}
	free(path);
	snprintf(stat_path, sizeof stat_path, "/proc/%ld/stat", pid);
	if (read_small(stat_path, buf, sizeof buf) < 0 || clock_gettime(CLOCK_BOOTTIME, &boot) < 0)
		return -1;
	/* Both counted from boot on the clock that goes on in suspend. */
	return procinfo_age(procinfo_parse_starttime(buf, sysconf(_SC_CLK_TCK)),
	                    (double)boot.tv_sec + boot.tv_nsec / 1e9);
}

int
procinfo_is_local(const char *uri)
{
	return uri != NULL &&
	       (strcmp(uri, "qemu:///system") == 0 || strcmp(uri, "qemu:///session") == 0);
}

int
procinfo_parse_cpu(const char *stat, uint64_t *busy, uint64_t *total)
{
	unsigned long long user, nice, sys, idle, iowait, irq, softirq;

	if (strncmp(stat, "cpu ", 4) != 0 ||
	    sscanf(stat + 4, "%llu %llu %llu %llu %llu %llu %llu", &user, &nice, &sys, &idle,
	           &iowait, &irq, &softirq) != 7)
		return -1;
	*busy = user + nice + sys + irq + softirq;
	*total = *busy + idle + iowait;
	return 0;
}

/* The kB value of "Key:" at the start of a line of /proc/meminfo. */
static int
meminfo_value(const char *text, const char *key, uint64_t *out)
{
	size_t n = strlen(key);
	const char *p = text;
	unsigned long long v;

	while (p != NULL && *p) {
		if (strncmp(p, key, n) == 0 && p[n] == ':') {
			if (sscanf(p + n + 1, "%llu", &v) != 1)
				return -1;
			*out = v;
			return 0;
		}
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	return -1;
}

int
procinfo_parse_mem(const char *meminfo, uint64_t *total_kib, uint64_t *avail_kib)
{
	uint64_t fr, buffers, cached;

	if (meminfo_value(meminfo, "MemTotal", total_kib) < 0 ||
	    meminfo_value(meminfo, "MemFree", &fr) < 0 ||
	    meminfo_value(meminfo, "Buffers", &buffers) < 0 ||
	    meminfo_value(meminfo, "Cached", &cached) < 0)
		return -1;
	*avail_kib = fr + buffers + cached;
	return 0;
}

/* The start of a /proc file in one read: these files are made whole on
 * the first read, at offset 0 each time. */
static int
read_proc(int *fd, const char *path, char *buf, size_t n)
{
	ssize_t got;

	if (*fd < 0 && (*fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	got = pread(*fd, buf, n - 1, 0);
	if (got <= 0) {
		procinfo_close(fd); /* opened afresh next time */
		return -1;
	}
	buf[got] = '\0';
	return 0;
}

void
procinfo_close(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

int
procinfo_node_cpu(int *fd, uint64_t *busy, uint64_t *total)
{
	char buf[512];

	/* Only the first line (all CPUs) is needed. */
	if (read_proc(fd, "/proc/stat", buf, sizeof buf) < 0)
		return -1;
	return procinfo_parse_cpu(buf, busy, total);
}

int
procinfo_node_mem(int *fd, uint64_t *total_kib, uint64_t *avail_kib)
{
	char buf[1024];

	/* MemTotal, MemFree, MemAvailable, Buffers, Cached are the first five. */
	if (read_proc(fd, "/proc/meminfo", buf, sizeof buf) < 0)
		return -1;
	return procinfo_parse_mem(buf, total_kib, avail_kib);
}
