/* pool.h — a host's storage pools: listed with what each holds and which
 * guests use it, created from a struct pooldef (config/resdef.h), built,
 * started, stopped, refreshed, autostarted and deleted. The libvirt calls
 * take a connection (the CLI's, or a host worker's through store_job in
 * storejob.h); the XML readers and the guests-per-pool match are pure. */
#ifndef VMTUI_STORE_POOL_H
#define VMTUI_STORE_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libvirt/libvirt.h>

#include "../../config/resdef.h"
#include "../host/guestuse.h"

struct store_pool {
	char *name;
	char *type;        /* "dir", "logical", "netfs"... */
	const char *state; /* "running", "inactive", "building", "degraded",
	                    * "inaccessible" (static text) */
	bool active, autostart, persistent;
	uint64_t capacity, allocation, available; /* bytes; 0 while inactive */
	char *target;      /* the target path, or NULL */
	char *source;      /* "server:/export", "/dev/sdb", "vg0"..., or NULL */
	char *users;       /* the guests with a disk in it, joined by ", ", or NULL */
	size_t nusers;
};

struct store_pools {
	struct store_pool *v; /* by name */
	size_t n;
};

/* What a pool's XML says: type, target and source into p (its other
 * fields untouched); -1 when xml is not a <pool>. Pure. */
int pool_xml_read(const char *xml, struct store_pool *p);
/* The guests of g with a disk in pool p (by pool name, or a file under
 * its target path): joined by ", " into a new string, or NULL; *count
 * says how many. Pure. */
char *pool_users(const struct guest_uses *g, const char *pool, const char *target,
                 size_t *count);
void store_pool_clear(struct store_pool *p);
void store_pools_free(struct store_pools *l);
/* The pool named name in l, or NULL. */
const struct store_pool *store_pools_find(const struct store_pools *l, const char *name);

/* ---- on a connection ---- */

/* Every pool of conn, with its users (the guests are read once). -1 with
 * *err (a new sentence) when the pools cannot be listed. */
int store_pools_read(virConnectPtr conn, struct store_pools *out, char **err);
/* The same with the guests read already (g; the storage job reads them
 * once for the pools and the volumes shown). */
int store_pools_read_uses(virConnectPtr conn, const struct guest_uses *g,
                          struct store_pools *out, char **err);
/* One pool, the same way; -1 with *err when there is none of that name. */
int store_pool_read(virConnectPtr conn, const char *name, struct store_pool *out, char **err);

enum pool_op {
	POOL_BUILD,
	POOL_START,
	POOL_STOP,
	POOL_REFRESH,
	POOL_AUTOSTART_ON,
	POOL_AUTOSTART_OFF,
	POOL_DELETE,          /* stop and undefine; the contents stay */
	POOL_DELETE_CONTENTS, /* stop, delete every volume and the pool's
	                       * storage (virStoragePoolDelete), undefine */
	POOL_OP_COUNT
};

/* "build", "start"... for messages ("delete with its contents"). */
const char *pool_op_name(enum pool_op op);
/* The virsh command line(s) doing op, joined by " && " (a new string). */
char *pool_op_virsh(const char *uri, const char *pool, enum pool_op op);
/* Why op would be refused because guests use the pool (as pool_op_run
 * says it, a new sentence), or NULL: for asking only what may go on. */
char *pool_refusal(virConnectPtr conn, const char *pool, enum pool_op op);
/* Run op on the pool named pool; on success *result says what was done (a
 * new sentence). Refused, with the guests named, when op would take
 * storage from guests: stopping or deleting a pool a running guest uses,
 * deleting the contents of a pool any guest uses. Each libvirt call is
 * logged to the action log with its virsh command when log is true. */
int pool_op_run(virConnectPtr conn, const char *uri, const char *pool, enum pool_op op,
                bool log, char **result, char **err);

/* One libvirt step of a pool operation: rc < 0 becomes *err ("Cannot
 * WHAT storage pool P: why."); logged with vop's virsh command when log.
 * Returns 0 or -1. */
int pool_step(int rc, const char *uri, const char *pool, enum pool_op vop, const char *what,
              bool log, char **err);

/* ---- poolcreate.c ---- */

/* virsh pool-define-as for d (a new string). */
char *pool_create_virsh(const char *uri, const struct pooldef *d);
/* Define the pool d describes (poolxml_make), build it when d->build,
 * start it when d->start and mark it autostart when d->autostart; a step
 * that fails undoes what the earlier ones did to leave no half pool. */
int pool_create(virConnectPtr conn, const char *uri, const struct pooldef *d, bool log,
                char **result, char **err);

#endif
