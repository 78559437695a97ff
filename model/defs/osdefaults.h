/* osdefaults.h — defaults for what a VM definition leaves out, from
 * libosinfo's database of operating systems (`os: NAME` in vmtui.yaml(5)):
 * memory, vCPUs, the size of the disk os: adds, the disk bus and NIC model
 * the OS has drivers for, UEFI firmware, Secure Boot and a TPM where the OS
 * needs them. libosinfo is a GObject library: nothing of it shows here.
 * Loading its database reads hundreds of files (once per process, on
 * first use): call this from the CLI or a host's worker, never from the UI
 * thread. Every function is safe to call from several threads. */
#ifndef VMTUI_OSDEFAULTS_H
#define VMTUI_OSDEFAULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/vmdef.h"

struct osdefaults {
	char *id;              /* the short id asked for: "debian11" */
	char *name;            /* the database's name: "Debian 11" */
	uint64_t memory;       /* bytes, recommended else minimum; 0: not known */
	unsigned vcpus;        /* recommended else minimum; 0: not known */
	uint64_t disk_size;    /* bytes, recommended else minimum; 0: not known */
	const char *disk_bus;  /* "virtio" when the OS has virtio-blk, else "sata" */
	const char *nic_model; /* "virtio", "e1000e", "e1000" or "rtl8139" */
	bool efi;              /* the OS does not boot with BIOS */
	bool secure_boot;      /* ... and expects Secure Boot (Windows 11) */
	bool tpm;              /* ... and a TPM 2.0 (Windows 11) */
};

/* The defaults of OS `id` (a libosinfo short id) for guests of `arch`
 * (NULL: x86_64). Returns 0, or -1 with *err set (a new string): an
 * unknown id's message names the closest known ones. */
int osdefaults_lookup(const char *id, const char *arch, struct osdefaults *out, char **err);
void osdefaults_free(struct osdefaults *d);

/* For each VM of f with os: (other than "generic"), fill in what its
 * definition left out (vmdef.given) and mark it in vmdef.from_os. Errors
 * (an unknown OS, Secure Boot without UEFI after filling) are appended to
 * errs as "file:line:col: message" and counted in f->nerrors. Returns the
 * number of errors added. */
size_t osdefaults_fill(struct vmdef_file *f, struct config_errors *errs);

/* What the VM took from its os:, "memory 4G, firmware efi, TPM" (a new
 * string), or NULL when nothing. */
char *osdefaults_describe(const struct vmdef *vm);

#endif
