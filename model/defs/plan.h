/* plan.h — what applying VM definitions (config/vmdef.h) to one libvirt
 * host would do, found with read-only calls: each missing VM is created
 * (its volumes, cloud-init seed, domain), the safe parts of each existing
 * one are changed, and what apply would refuse or what would make it fail
 * is said. plan_render gives the text `vmtui plan` prints and the TUI
 * shows. Nothing here keeps global state or touches the terminal: call it
 * from any thread that owns the connection. */
#ifndef VMTUI_PLAN_H
#define VMTUI_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libvirt/libvirt.h>

#include "config/vmdef.h"

enum plan_kind { PLAN_CREATE, PLAN_UPDATE, PLAN_SAME };

/* How a disk of a new VM comes to be. */
enum plan_vol_kind {
	PLAN_VOL_BLANK,   /* a new empty volume */
	PLAN_VOL_OVERLAY, /* a new qcow2 volume backed by the image */
	PLAN_VOL_COPY,    /* a new volume that is a full copy of the image */
	PLAN_VOL_PATH,    /* an existing file or device, used as is */
};

struct plan_vol {
	enum plan_vol_kind kind;
	char *target;        /* "vda": the guest's name for it */
	char *pool, *name;   /* the new volume; NULL for PLAN_VOL_PATH */
	char *format;        /* "qcow2" or "raw" */
	uint64_t capacity;   /* bytes the guest sees; 0 for PLAN_VOL_PATH */
	char *path;          /* PLAN_VOL_PATH: the file or device */
	/* The image, for overlays and copies, as found on the host. */
	char *base_pool, *base_name, *base_path, *base_format;
	uint64_t base_capacity;
};

/* When a change to an existing VM takes effect. */
enum plan_when {
	PLAN_NOW,         /* a host setting (autostart) */
	PLAN_LIVE,        /* the running VM and its saved definition */
	PLAN_NEXT_BOOT,   /* the saved definition: at the next start */
	PLAN_NOT_APPLIED, /* apply will not do it; `why` says what to do */
};

struct plan_change {
	char *field;         /* as in vmxml_diff, or "autostart" */
	char *have, *want;
	enum plan_when when;
	const char *why;     /* static text for PLAN_NOT_APPLIED, else NULL */
};

struct plan_vm {
	const struct vmdef *def;   /* borrowed: the vmdef_file must outlive the plan */
	enum plan_kind kind;
	/* PLAN_CREATE */
	char *domain_type;         /* "kvm" or "qemu", from the host's capabilities */
	struct plan_vol *vols;     /* one per disk of def, same order */
	size_t nvols;
	char *seed_pool, *seed_name; /* the cloud-init seed volume, or NULL */
	unsigned char *seed_iso;   /* its bytes */
	size_t seed_len;
	/* Install media (def->iso): its path on the host, and "pool/volume"
	 * when it is a volume; NULL when none or not found. */
	char *iso_path, *iso_vol;
	/* PLAN_UPDATE and PLAN_SAME */
	char uuid[VIR_UUID_STRING_BUFLEN];
	bool running;
	struct plan_change *changes;
	size_t nchanges;
	/* Problems: errors make apply refuse the whole plan; warnings do not.
	 * Each is a whole sentence, "file:line:col: " first when known. */
	char **errors, **warnings;
	size_t nerrors, nwarnings;
};

/* A storage pool or a network of the definitions (config/resdef.h):
 * made before the VMs. An existing one's definition is never changed:
 * apply starts it and sets its autostart as the definition says, and
 * adds a network's missing fixed DHCP hosts (live and saved); any other
 * difference is a PLAN_NOT_APPLIED change saying so. */
struct plan_res {
	const struct pooldef *pool; /* borrowed; exactly one of pool and net */
	const struct netdef *net;
	const char *name;           /* the pool's or network's */
	enum plan_kind kind;
	char *xml;                  /* PLAN_CREATE: the XML apply defines */
	bool active;                /* an existing one: running now */
	struct plan_change *changes; /* "state", "autostart", "hosts[MAC]" (made),
	                             * other fields (PLAN_NOT_APPLIED) */
	size_t nchanges;
	char **errors, **warnings;  /* as a plan_vm's */
	size_t nerrors, nwarnings;
};

struct plan {
	char *uri;           /* the connection's canonical URI */
	char *hostname;      /* the host's name, or NULL */
	struct plan_vm *vms; /* in the order of the definitions */
	size_t nvms;
	size_t nerrors;      /* over every VM, pool and network */
	struct plan_res *pools, *nets; /* in the order of the definitions */
	size_t npools, nnets;
};

/* Look at the host through conn and plan every VM of f into *p (zeroed
 * first). Returns 0, with problems in each VM's errors and warnings, or -1
 * with *err set (a new string) when the host cannot be read at all, or
 * when f had parse errors or holds a VM vmdef_check finds incomplete
 * (then nothing of f is used); *p must be given to plan_free either way. */
int plan_make(virConnectPtr conn, const struct vmdef_file *f, struct plan *p, char **err);
void plan_free(struct plan *p);

/* The plan as text, one line per step or change, ending with a summary
 * line: a new string. */
char *plan_render(const struct plan *p);

/* Whether apply would do anything: a VM to create, or a change it makes. */
bool plan_has_work(const struct plan *p);
bool plan_vm_has_work(const struct plan_vm *v);
bool plan_res_has_work(const struct plan_res *r);

/* The domain `name` as a vmtui.yaml(5) definition that apply would create
 * again (vmxml_export_yaml, with each disk's size and pool found from its
 * volume): a new string, or NULL with *err set. */
char *plan_export(virConnectPtr conn, const char *name, char **err);

/* The storage pool or network `name` as a vmtui.yaml(5) entry that apply
 * would create again (type: pool / type: network, with its start and
 * autostart): a new string, or NULL with *err set (a sentence without
 * its final period); *missing is set when there is no such object. */
char *plan_export_pool(virConnectPtr conn, const char *name, bool *missing, char **err);
char *plan_export_net(virConnectPtr conn, const char *name, bool *missing, char **err);

/* "64M", "1.5G", "366K": a size for people, binary units. */
void plan_fmt_size(char *buf, size_t n, uint64_t bytes);

#endif
