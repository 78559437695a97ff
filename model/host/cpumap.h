/* cpumap.h — which guests' vCPUs ran on which host CPUs: the data of the
 * host view's "by host CPU" (views/hostload.c), virt-top's physical CPU
 * view.
 *
 * The bulk stats carry no placement, so it is read on the host's worker
 * with one virDomainGetVcpus per running guest (the CPU each vCPU last
 * ran on, its CPU time and its affinity in one answer), and only while
 * the view is open: the view asks for a read once per refresh. The pure
 * part (cpumap_rates, cpumap_rows) turns two such samples into one row
 * per host CPU, and is what the unit tests hold. */
#ifndef VMTUI_CPUMAP_H
#define VMTUI_CPUMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "host.h"

/* One vCPU in one sample. */
struct cpumap_vcpu {
	size_t guest;          /* index into the sample's guests */
	unsigned vcpu;         /* the vCPU's number in the guest */
	int cpu;               /* host CPU it last ran on; -1: not known */
	bool running;          /* VIR_VCPU_RUNNING (else offline or blocked) */
	uint64_t cpu_time_ns;
	unsigned npinned;      /* host CPUs its affinity allows (0: not known) */
	int pinned_cpu;        /* the one host CPU it may run on, else -1 */
	double pct;            /* % of one host CPU since the last sample; -1 unknown */
};

struct cpumap_guest {
	char *name;
	char uuid[VM_UUID_LEN];
};

struct cpumap_sample {
	struct cpumap_guest *guests;
	size_t nguests;
	struct cpumap_vcpu *vcpus;
	size_t nvcpus;
	unsigned host_cpus;    /* from the affinity maps' width (node CPUs) */
	uint64_t taken_ns;     /* host_now_ns() when read */
	uint64_t cost_ns;      /* the calls' wall time */
	unsigned calls;        /* RPCs it took */
	bool no_affinity;      /* the daemon refused affinity (read-only
	                        * connection): placement only, npinned 0 */
	char *error;           /* why it could not be read, or NULL */
};

/* One host CPU. */
struct cpumap_row {
	unsigned cpu;
	unsigned nvcpus;       /* vCPUs that last ran on it */
	unsigned npinned;      /* vCPUs that may run on it alone */
	double load;           /* their CPU% summed (% of this CPU); -1 none known */
	char *guests;          /* "web1/0 db/1": guest/vCPU of each, busiest first */
};

/* The CPU% of each vCPU of cur against prev (the same guest by UUID and
 * the same vCPU number), -1 where prev has none or the time went back. */
void cpumap_rates(struct cpumap_sample *cur, const struct cpumap_sample *prev);
/* One row per host CPU, 0 up to the sample's host CPUs (and any higher
 * one a vCPU ran on), in CPU order. Newly allocated (n rows). */
struct cpumap_row *cpumap_rows(const struct cpumap_sample *s, size_t *n);
void cpumap_rows_free(struct cpumap_row *r, size_t n);
void cpumap_sample_clear(struct cpumap_sample *s);

/* Read a sample on h's worker: the running guests (one call), then each
 * one's vCPUs (one call each; the vCPU counts and host CPUs from h's
 * table, under its lock). A guest that went away meanwhile has none. */
void cpumap_read(struct host *h, virConnectPtr conn, struct cpumap_sample *out);

/* The view's job: samples read on the worker, kept under the host's lock
 * (every field below), the newest with its rates against the one before. */
struct cpumap_job {
	struct host *host;
	int refs;
	bool busy;             /* a read is queued or running */
	unsigned reads;        /* bumps with each sample */
	uint64_t asked_refresh; /* the host's refresh count at the last ask */
	struct cpumap_sample cur, prev;
};

struct cpumap_job *cpumap_job_new(struct host *h);
/* Ask for a sample unless one is on its way or the host has not refreshed
 * since the last ask (host lock not held). */
void cpumap_job_poll(struct cpumap_job *j);
void cpumap_job_release(struct cpumap_job *j);

#endif
