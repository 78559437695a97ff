/* vmdef.h — VM definitions as sysadmins write them in YAML: one VM, a list
 * of VMs, or a mapping of name to VM. Parsing and validation only; turning
 * a definition into libvirt objects is model/'s job.
 *
 * Sizes are bytes; 0 means "not given" where a default applies. */
#ifndef VMTUI_VMDEF_H
#define VMTUI_VMDEF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h" /* struct config_errors */

/* Where a value came from, for messages after parsing (plan, apply). */
struct vmdef_pos {
	const char *file; /* borrowed from the vmdef_file */
	unsigned line, col;
};

enum vmdef_type { VMDEF_TYPE_AUTO, VMDEF_TYPE_KVM, VMDEF_TYPE_QEMU };
enum vmdef_net_kind { VMDEF_NET_NETWORK, VMDEF_NET_BRIDGE, VMDEF_NET_USER };

struct vmdef_disk {
	uint64_t size;      /* bytes; 0: from the image, or required */
	char *pool;         /* storage pool; default "default" */
	char *format;       /* qcow2 (default) or raw */
	char *bus;          /* virtio (default), sata, scsi, ide */
	char *image;        /* base image: a path or pool/volume name */
	bool image_copy;    /* copy the image instead of a qcow2 overlay */
	char *path;         /* an existing file, used as is */
	struct vmdef_pos pos;
};

struct vmdef_net {
	enum vmdef_net_kind kind;
	char *source;       /* network or bridge name; NULL for user */
	char *mac;          /* aa:bb:cc:dd:ee:ff, or NULL for libvirt's choice */
	char *model;        /* virtio (default), e1000, rtl8139 */
	struct vmdef_pos pos;
};

struct vmdef_cloud_init {
	bool enabled;
	char *user_data;    /* the text, inline or read from user_data_file */
	char *meta_data;
	char *hostname;
	char **ssh_authorized_keys;
	size_t nkeys;
	char **runcmd;      /* kcli "cmds" */
	size_t nruncmd;
};

struct vmdef {
	char *name;
	char *host;         /* configured host name; NULL: local/default */
	enum vmdef_type type;
	char *arch;         /* default: host's */
	char *machine;
	unsigned vcpus, max_vcpus;           /* max_vcpus 0: = vcpus */
	uint64_t memory, max_memory;          /* bytes; max 0: = memory */
	struct vmdef_disk *disks;
	size_t ndisks;
	struct vmdef_net *nets;
	size_t nnets;
	/* Boot: direct kernel boot, or a device order. */
	char *kernel, *initrd, *cmdline;
	char **boot_order;  /* "hd", "cdrom", "network" */
	size_t nboot;
	struct vmdef_cloud_init cloud_init;
	bool console;       /* serial console, default true */
	bool autostart;
	bool start;         /* start after create */
	struct vmdef_pos pos; /* where the VM's mapping starts */
};

/* Every VM of one or more files, with their errors. */
struct vmdef_file {
	char **names;       /* file names, owned */
	size_t nnames;
	struct vmdef *vms;
	size_t nvms;
};

/* Parse YAML text; append VMs to f and every problem to errs. `name` is
 * the file name used in messages, `dir` resolves relative file paths
 * (user_data_file, images). Returns 0, or -1 if any error was found. */
int vmdef_parse(struct vmdef_file *f, const char *name, const char *text,
                size_t len, struct config_errors *errs);
/* Read and parse a file. */
int vmdef_load(struct vmdef_file *f, const char *path, struct config_errors *errs);
void vmdef_file_free(struct vmdef_file *f);

/* "512M", "2G", "1.5GiB", "1048576" (bytes) -> bytes. 0 on success, -1 on
 * a malformed or overflowing size. */
int vmdef_parse_size(const char *s, uint64_t *out);

#endif
