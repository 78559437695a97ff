/* volume.h — the storage volumes of one pool: listed with format, sizes,
 * backing chain and the guests using each; created (raw, qcow2, or a qcow2
 * overlay on a backing volume), grown (never shrunk), cloned, wiped and
 * deleted, each refused while a guest uses the volume. The XML written
 * and read and the size arithmetic are pure; the rest takes a connection
 * (the CLI's, or a host worker's through storejob.h). */
#ifndef VMTUI_STORE_VOLUME_H
#define VMTUI_STORE_VOLUME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libvirt/libvirt.h>

#include "../host/guestuse.h"

#define VOL_BACKING_MAX 8 /* backing-chain levels followed */

struct store_vol {
	char *name;
	char *path;
	char *format;      /* "qcow2", "raw", "iso"..., or NULL */
	const char *kind;  /* "file", "block", "dir", "network"... (static) */
	uint64_t capacity, allocation; /* bytes */
	char *backing;     /* the backing chain, nearest first, joined by " <- ",
	                    * or NULL */
	char *users;       /* guests using it, joined by ", ", or NULL */
	size_t nusers;     /* two or more: a warning (two guests, one disk) */
};

struct store_vols {
	char *pool;
	struct store_vol *v; /* by name */
	size_t n;
};

/* ---- pure ---- */

/* A volume's XML into v (name, path, format, sizes); the backing file of
 * its <backingStore> into *backing (a new string, or NULL). -1 when it is
 * not a <volume>. */
int vol_xml_read(const char *xml, struct store_vol *v, char **backing);
/* <volume> XML for virStorageVolCreateXML: a volume of `bytes` bytes in
 * format (NULL: raw), a qcow2 overlay on backing (a path, of
 * backing_format: NULL lets libvirt probe) when it is not NULL; sparse
 * (allocation 0) or allocated whole (logical pools, where a sparse LV is
 * a thin snapshot). Every string escaped. NULL with *err when the request
 * makes no sense (an overlay that is not qcow2, an empty name). */
char *vol_create_xml(const char *name, uint64_t bytes, const char *format,
                     const char *backing, const char *backing_format, bool sparse,
                     char **err);
/* NULL when name can name a new volume, else a new sentence why not. */
char *vol_name_check(const char *name);
/* The formats vol create takes: "qcow2", "raw"; NULL-terminated. */
extern const char *const vol_formats[];
/* A size as users type it ("20G", "512M", bare numbers are GiB) into
 * *bytes; NULL, or a new sentence naming the problem. */
char *vol_size_parse(const char *s, uint64_t *bytes);
/* "20 GiB", "1.5 GiB", "512 MiB", "4096 B": binary units, at most one
 * decimal, no decimal when exact. */
char *vol_size_fmt(char *buf, size_t n, uint64_t bytes);
/* NULL when a volume of `now` bytes may grow to `want` bytes, else a new
 * sentence (a shrink is refused with the present size; growing to the
 * same size does nothing and is said so). */
char *vol_grow_check(const char *vol, uint64_t now, uint64_t want);
void store_vol_clear(struct store_vol *v);
void store_vols_free(struct store_vols *l);

/* ---- on a connection ---- */

/* Every volume of pool (refreshed first when refresh), with backing
 * chains and users (the guests read once). -1 with *err. */
int store_vols_read(virConnectPtr conn, const char *pool, bool refresh,
                    struct store_vols *out, char **err);

/* The same with the guests read already. */
int store_vols_read_uses(virConnectPtr conn, const char *pool, bool refresh,
                         const struct guest_uses *g, struct store_vols *out, char **err);

enum vol_op { VOL_CREATE, VOL_GROW, VOL_CLONE, VOL_WIPE, VOL_DELETE, VOL_OP_COUNT };

/* What an operation is asked to do. */
struct vol_req {
	enum vol_op op;
	const char *pool, *name;
	uint64_t bytes;        /* create: the size (0 with a backing volume:
	                        * its size); grow: the new size */
	const char *format;    /* create: "qcow2" or "raw" (NULL: qcow2) */
	const char *backing;   /* create: a volume of the pool, or a path */
	const char *newname;   /* clone */
};

const char *vol_op_name(enum vol_op op);
/* The virsh command doing r (a new string). */
char *vol_op_virsh(const char *uri, const struct vol_req *r);
/* Why r would be refused because guests use the volume (a new sentence,
 * as vol_op_run says it), or NULL: for asking only what may go on. */
char *vol_refusal(virConnectPtr conn, const struct vol_req *r);
/* Run r; *result says what was done. Refused, naming the guests, while a
 * guest uses the volume: every guest for wipe and delete, a running one
 * for grow and clone. Logged with its virsh command when log is true. */
int vol_op_run(virConnectPtr conn, const char *uri, const struct vol_req *r, bool log,
               char **result, char **err);

#endif
