/* vmdef.h — VM definitions as sysadmins write them in YAML (vmtui.yaml(5)):
 * one VM, a list of VMs, or a mapping of name to VM. Parsing and validation
 * only; turning a definition into libvirt objects is model/'s job.
 *
 * After a successful parse every default is filled in, so users of a
 * struct vmdef never guess: sizes are bytes, counts are final. */
#ifndef VMTUI_VMDEF_H
#define VMTUI_VMDEF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h" /* struct config_errors */

/* Where a value came from, for messages after parsing (plan, apply). */
struct pooldef;
struct netdef;

struct vmdef_pos {
	const char *file; /* borrowed from the vmdef_file's names */
	unsigned line, col; /* 1-based */
};

enum vmdef_type { VMDEF_TYPE_AUTO, VMDEF_TYPE_KVM, VMDEF_TYPE_QEMU };
enum vmdef_net_kind { VMDEF_NET_NETWORK, VMDEF_NET_BRIDGE, VMDEF_NET_USER };

struct vmdef_disk {
	uint64_t size;      /* bytes; 0: the size of the image */
	char *pool;         /* storage pool; NULL only for path disks */
	char *format;       /* "qcow2" or "raw" */
	char *bus;          /* "virtio", "sata", "scsi" or "ide" */
	char *image;        /* base image: "/abs/path", "pool/volume" or "volume" */
	bool image_copy;    /* copy the image instead of a qcow2 overlay */
	char *path;         /* an existing file on the host, used as is */
	struct vmdef_pos pos;
};

struct vmdef_net {
	enum vmdef_net_kind kind;
	char *source;       /* network or bridge name; NULL for user */
	char *mac;          /* lower case aa:bb:cc:dd:ee:ff, or NULL: libvirt picks */
	char *model;        /* "virtio", "e1000", "e1000e" or "rtl8139" */
	struct vmdef_pos pos;
};

struct vmdef_cloud_init {
	bool enabled;       /* attach a NoCloud seed */
	char *user_data;    /* the text, inline or read from user_data_file */
	char *meta_data;
	char *hostname;     /* NULL: the VM name */
	char **ssh_authorized_keys;
	size_t nkeys;
	char **runcmd;      /* kcli "cmds" */
	size_t nruncmd;
};

struct vmdef {
	char *name;
	char *host;         /* configured host name; NULL: local/default */
	enum vmdef_type type;
	char *arch;         /* NULL: the host's */
	char *machine;      /* NULL: libvirt's default */
	unsigned vcpus, max_vcpus;            /* vcpus <= max_vcpus */
	uint64_t memory, max_memory;          /* bytes; memory <= max_memory */
	struct vmdef_disk *disks;
	size_t ndisks;
	struct vmdef_net *nets;
	size_t nnets;
	/* Boot: direct kernel boot, or a device order (none: the default). */
	char *kernel, *initrd, *cmdline;
	char **boot_order;  /* "hd", "cdrom", "network" */
	size_t nboot;
	struct vmdef_cloud_init cloud_init;
	bool console;       /* serial console, default true */
	bool vnc;           /* graphics: vnc (VNC on 127.0.0.1, the default) or none */
	bool autostart;
	bool start;         /* start after create, default false */
	struct vmdef_pos pos; /* where the VM's mapping (or its plan key) starts */
};

/* Every VM of one or more files. Start from { 0 }. */
struct vmdef_file {
	char **names;       /* file names, owned */
	size_t nnames;
	struct vmdef *vms;
	size_t nvms;
	/* Storage pools and networks defined beside the VMs (resdef.h). */
	struct pooldef *pools;
	size_t npools;
	struct netdef *nets;
	size_t nnets;
	/* Problems found while parsing into it. Not 0: its VMs may be partly
	 * filled (no name, no disk bus...), and plan_make refuses it. */
	size_t nerrors;
};

/* Parse YAML text and append its VMs, storage pools and networks (entries
 * whose type is pool or network, config/resdef.h) to f; every problem is
 * appended to errs as "file:line:col: message". `name` is the file name
 * used in messages, `dir` resolves relative paths (user_data_file; NULL:
 * "."). VM names must be unique across everything parsed into f, and so
 * must pool names and network names. Returns 0, or -1
 * if this text had any error: then nothing may be created, and f may hold
 * partly filled VMs that only vmdef_file_free should touch. */
int vmdef_parse(struct vmdef_file *f, const char *name, const char *dir,
                const char *text, size_t len, struct config_errors *errs);
/* Read and parse a file; relative paths in it are relative to its folder. */
int vmdef_load(struct vmdef_file *f, const char *path, struct config_errors *errs);
/* Whether vm holds everything a successful parse fills in (a name,
 * counts and sizes within their maxima, each disk's format, bus and pool
 * or path, each interface's model and source): NULL, or what is missing,
 * as static text ("it has no name"). For code handed definitions it did
 * not parse itself, so that a partly filled one is refused, not used. */
const char *vmdef_check(const struct vmdef *vm);
void vmdef_free(struct vmdef *vm);
void vmdef_file_free(struct vmdef_file *f);

enum vmdef_size_status {
	VMDEF_SIZE_OK,
	VMDEF_SIZE_SYNTAX,   /* not a number */
	VMDEF_SIZE_NEGATIVE,
	VMDEF_SIZE_UNIT,     /* unknown unit */
	VMDEF_SIZE_FRACTION, /* not a whole number of bytes */
	VMDEF_SIZE_OVERFLOW, /* more than 2^64-1 bytes */
};

/* "512M", "2G", "1.5GiB", "2 gb", "1024K", "100B" -> bytes; every unit is
 * binary (K = KB = KiB = 1024). A bare number is in `bare_unit` bytes, a
 * power of two up to 2^40 (1: bytes; 1 << 20: MiB). */
enum vmdef_size_status vmdef_parse_size(const char *s, uint64_t bare_unit, uint64_t *out);

#endif
