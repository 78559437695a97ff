/* hostinfo.h — what the host view shows beyond the refresh figures: the
 * node's CPU model, versions and storage pools with their free space. Read
 * on demand on the host's worker, never in the refresh path. */
#ifndef VMTUI_HOSTINFO_H
#define VMTUI_HOSTINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "host.h"

struct pool_info {
	char *name;
	bool active, autostart;
	uint64_t capacity, allocation, available; /* bytes */
	char *type;    /* "dir", "logical"... */
};

/* Made whole on the worker and put in h->info under the host's lock,
 * never changed after: the UI reads it with the lock held. */
struct host_info {
	char model[32];          /* CPU model */
	unsigned cpus, mhz, sockets, cores, threads;
	char *hv_type;           /* "QEMU" */
	unsigned long hv_version, lib_version;
	struct pool_info *pools;
	size_t npools;
	char *error;             /* why something could not be read */
};

/* Ask h's worker to read it; the result replaces h->info. */
void hostinfo_request(struct host *h);
void hostinfo_free(struct host_info *i);
/* "9.0.0" from libvirt's encoded version. */
void hostinfo_version(char *buf, size_t n, unsigned long v);

#endif
