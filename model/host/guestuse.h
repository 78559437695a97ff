/* guestuse.h — which guest uses what: every guest's disks and network
 * interfaces, read from the domain XML on demand (the storage and network
 * views, refusals to delete a volume or network in use). Never in the
 * refresh path: it costs one or two RPCs per guest. */
#ifndef VMTUI_GUESTUSE_H
#define VMTUI_GUESTUSE_H

#include <stdbool.h>
#include <stddef.h>
#include <libvirt/libvirt.h>

#include "../stats/vm.h" /* VM_UUID_LEN */

struct guest_disk_use {
	char *target;   /* "vda" */
	char *device;   /* "disk", "cdrom" */
	char *file;     /* a file or block device path, or NULL */
	char *pool, *volume; /* <source pool= volume=>, or NULL */
	bool readonly;
};

struct guest_nic_use {
	char *mac;      /* lower case */
	char *network;  /* type='network': its name, else NULL */
	char *bridge;   /* the bridge it is on (type='bridge', or a running
	                 * guest's network's bridge), or NULL */
};

struct guest_use {
	char *name;
	char uuid[VM_UUID_LEN];
	bool active;    /* running or paused */
	/* A running guest's live devices and those of its saved definition,
	 * each once. */
	struct guest_disk_use *disks;
	size_t ndisks;
	struct guest_nic_use *nics;
	size_t nnics;
};

struct guest_uses {
	struct guest_use *v; /* by name */
	size_t n;
};

/* Every guest of conn. -1 with *err (a new sentence) when the guests
 * cannot be listed; a guest that vanishes meanwhile is left out. */
int guest_uses_read(virConnectPtr conn, struct guest_uses *out, char **err);
/* Add the devices of one domain XML to u (name and uuid taken from the
 * first XML given); -1 when it is not a domain. For tests and the above. */
int guest_use_add_xml(struct guest_use *u, const char *domxml);
void guest_uses_free(struct guest_uses *g);

/* The guests using a storage volume, known by its path and by pool and
 * name (either may be NULL): their names joined by ", " into a new string,
 * or NULL when none; *count says how many. */
char *guest_uses_volume(const struct guest_uses *g, const char *path, const char *pool,
                        const char *volume, size_t *count);
/* The same for a network (by name, or by its bridge; running guests only
 * when running_only). */
char *guest_uses_network(const struct guest_uses *g, const char *network, const char *bridge,
                         bool running_only, size_t *count);
/* The guest with an interface of this MAC (any case), or NULL. */
const struct guest_use *guest_uses_mac(const struct guest_uses *g, const char *mac);

#endif
