/* storejob.h — the storage views' work on a host's worker: the pools (with
 * the guests using them), the volumes of the pool opened, and one
 * operation at a time on a pool or a volume, each followed by a fresh
 * read. The UI thread never calls libvirt: it queues with these and reads
 * the job under the host's lock. */
#ifndef VMTUI_STOREJOB_H
#define VMTUI_STOREJOB_H

#include <stdbool.h>

#include "../host/host.h"
#include "pool.h"
#include "volume.h"

/* Shared by the views and the worker. Every field after host is guarded
 * by host->lock; the worker writes pools, vols, reads, error, result and
 * clears busy; the UI thread sets busy and vols_pool. */
struct store_job {
	struct host *host;        /* immutable */
	int refs;
	bool busy;                /* an operation or a read is queued or running */
	unsigned reads;           /* bumps each time pools is read */
	struct store_pools pools;
	char *vols_pool;          /* whose volumes to read (set by the UI), or NULL */
	unsigned vol_reads;       /* bumps each time vols is read */
	struct store_vols vols;   /* of vols.pool (the last read); vols.pool NULL: none */
	char *vols_error;         /* why the volumes could not be read, or NULL */
	char *error;              /* why the last operation or read failed, or NULL */
	char *result;             /* what the last operation did, or NULL */
};

/* A job on h; the pools are read at once. */
struct store_job *store_job_new(struct host *h);
void store_job_release(struct store_job *j);
/* Read again: the pools, and the volumes of vols_pool when set (with a
 * pool refresh when refresh). */
void store_job_read(struct store_job *j, bool refresh);
/* Show the volumes of pool from now on (NULL: none); read them. */
void store_job_open_pool(struct store_job *j, const char *pool);
/* Queue an operation on a pool. */
void store_job_pool_op(struct store_job *j, const char *pool, enum pool_op op);
/* Queue a pool's creation; d is taken over (freed by the job). */
void store_job_pool_create(struct store_job *j, struct pooldef *d);
/* Queue an operation on a volume (r's strings are copied). */
void store_job_vol_op(struct store_job *j, const struct vol_req *r);
/* An operation refused up front: why becomes the job's error, and goes
 * to the message log. */
void store_job_refuse(struct store_job *j, const char *why);

#endif
