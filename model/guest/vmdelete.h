/* vmdelete.h — delete a guest: its definition always, each of its storage
 * volumes only when asked. Before anything its inactive domain XML (with
 * the names of its snapshots in a comment) is written to a backup file
 * that `virsh define` takes back; a running guest is forced off first; the
 * undefine also removes snapshot and checkpoint metadata, a managed save
 * image and the NVRAM file. */
#ifndef VMTUI_VMDELETE_H
#define VMTUI_VMDELETE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include <libvirt/libvirt.h>

#include "../host/host.h"

struct vmdel_vol {
	char *target;   /* "vda" */
	char *device;   /* "disk", "cdrom" */
	char *path;     /* the source, or NULL when empty */
	char *pool, *vol; /* its volume; NULL when in no pool */
	char *why_not;  /* why it cannot be removed, or NULL */
};

struct vmdel_info {
	char *name;
	char *state;
	bool active, persistent;
	struct vmdel_vol *vols;
	size_t nvols;
	size_t nsnapshots;
};

int vmdelete_read(virConnectPtr conn, const char *vm, struct vmdel_info *in, char **err);
void vmdelete_info_free(struct vmdel_info *in);

/* The backup file for guest `name` at time t (local time):
 * STATE/vmtui/backups/NAME-YYYYmmdd-HHMMSS.xml, STATE being state_home
 * when set and absolute, else HOME/.local/state. A "/" in the name
 * becomes "_". NULL (with *err) when neither gives a place. Pure. */
char *vmdelete_backup_path(const char *state_home, const char *home, const char *name,
                           time_t t, char **err);
/* The backup's text: a comment (guest, host, time, snapshots, how to
 * define it again) and the XML. Pure; "--" in names is made safe. */
char *vmdelete_backup_text(const char *xml, const char *name, const char *uri,
                           char *const *snapshots, size_t nsnapshots, time_t t);
/* Write text to a new file at path (mode 0600, folders 0700 made as
 * needed); when path exists, path-2, path-3... *written is the path used. */
int vmdelete_write_backup(const char *path, const char *text, char **written, char **err);

/* Called for each step done (virsh: the equivalent command). */
typedef void (*vmdel_action_cb)(const char *virsh, const char *err, const char *what,
                                void *opaque);

/* Delete guest vm and the volumes named in `remove` (targets, e.g. "vda";
 * may be NULL). Writes the backup first (backup_dir: as
 * vmdelete_backup_path's state_home/home). On success *result says what
 * was done and where the backup is; on failure *err says what failed and
 * what was already done. */
int vmdelete_run(virConnectPtr conn, const char *uri, const char *vm, char *const *remove,
                 size_t nremove, const char *state_home, const char *home,
                 vmdel_action_cb action, void *opaque, char **backup, char **result,
                 char **err);

/* ---- the TUI's job ---- */

enum vmdel_state { VD_READING, VD_READY, VD_RUNNING, VD_DONE, VD_FAILED };

struct vmdel_job {
	struct host *host;
	char uuid[VM_UUID_LEN];
	int refs;
	enum vmdel_state state;
	struct vmdel_info info;  /* from VD_READY on */
	char *error, *result, *backup;
};

struct vmdel_job *vmdel_job_new(struct host *h, const char *uuid);
/* Delete, removing the volumes of these targets too (copied). */
void vmdel_job_start(struct vmdel_job *j, char *const *remove, size_t n);
void vmdel_job_release(struct vmdel_job *j);

#endif
