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
	bool bus_given;     /* bus was written (os: leaves it alone) */
	bool size_from_os;  /* the disk os: adds: 20G, or what osdefaults finds */
	struct vmdef_pos pos;
};

struct vmdef_net {
	enum vmdef_net_kind kind;
	char *source;       /* network or bridge name; NULL for user */
	char *mac;          /* lower case aa:bb:cc:dd:ee:ff, or NULL: libvirt picks */
	char *model;        /* "virtio", "e1000", "e1000e" or "rtl8139" */
	bool model_given;   /* model was written (os: leaves it alone) */
	struct vmdef_pos pos;
};

enum vmdef_firmware { VMDEF_FW_BIOS, VMDEF_FW_EFI };
enum vmdef_cpu_mode {
	VMDEF_CPU_AUTO,        /* cpu left out: host-passthrough with kvm, QEMU's with qemu */
	VMDEF_CPU_PASSTHROUGH, /* host-passthrough */
	VMDEF_CPU_HOST_MODEL,  /* host-model */
	VMDEF_CPU_CUSTOM,      /* a named model */
};
enum vmdef_tpm { VMDEF_TPM_NONE, VMDEF_TPM_CRB, VMDEF_TPM_TIS };

struct vmdef_cpu {
	enum vmdef_cpu_mode mode;
	char *model;        /* VMDEF_CPU_CUSTOM: e.g. "Skylake-Client" */
	unsigned sockets, cores, threads; /* all 0, or their product is max_vcpus */
};

/* A host device passed through: a PCI address or a USB vendor:product. */
struct vmdef_hostdev {
	bool usb;
	unsigned domain, bus, slot, function; /* PCI */
	unsigned vendor, product;             /* USB */
	struct vmdef_pos pos;
};

/* What `os:` may fill in, as bits of vmdef.given and vmdef.from_os. */
enum {
	VMDEF_OS_MEMORY = 1 << 0,
	VMDEF_OS_VCPUS = 1 << 1,
	VMDEF_OS_DISK = 1 << 2,       /* the size of the disk os: adds */
	VMDEF_OS_DISK_BUS = 1 << 3,
	VMDEF_OS_NIC_MODEL = 1 << 4,
	VMDEF_OS_FIRMWARE = 1 << 5,
	VMDEF_OS_SECURE_BOOT = 1 << 6,
	VMDEF_OS_TPM = 1 << 7,
	/* Keys os: does not fill, but plan compares only where written. */
	VMDEF_KEY_HOSTDEVS = 1 << 8,
	VMDEF_KEY_RNG = 1 << 9,
	VMDEF_KEY_BOOT_MENU = 1 << 10,
	VMDEF_KEY_AGENT = 1 << 11,
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
	bool start;         /* start after create, default false (true with iso) */
	/* Install media: a CD-ROM drive holding it, booted first on the first
	 * start (see vmtui.yaml(5), "Installing from an ISO"). */
	char *iso;          /* "/abs/path.iso" or "pool/volume"; NULL: none */
	struct vmdef_pos iso_pos;
	enum vmdef_firmware firmware;
	bool secure_boot;   /* efi only */
	enum vmdef_tpm tpm; /* an emulated TPM 2.0 */
	struct vmdef_cpu cpu;
	struct vmdef_hostdev *hostdevs;
	size_t nhostdevs;
	bool rng;           /* virtio-rng from /dev/urandom, default true */
	bool boot_menu;
	bool agent;         /* a QEMU guest agent channel, default true */
	char *ssh_user;     /* the user vmtui ssh logs in as; NULL: not said */
	/* os: libosinfo's defaults for what is left out (model/defs/osdefaults.h
	 * fills them in after parsing; "generic": none). */
	char *os;
	struct vmdef_pos os_pos;
	unsigned given;     /* VMDEF_OS_* and VMDEF_KEY_* bits of the keys written */
	unsigned from_os;   /* VMDEF_OS_* bits osdefaults filled in */
	/* tags: and notes: (or note:), kept in the domain's <metadata>
	 * (model/defs/tagxml.h); apply manages each only when written. tags
	 * sorted, no repeats; notes NULL for none. */
	char **tags;
	size_t ntags;
	bool tags_given;
	char *notes;
	bool notes_given;
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
