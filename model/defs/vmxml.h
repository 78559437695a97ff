/* vmxml.h — a VM definition (config/vmdef.h) as libvirt domain XML, and
 * back: what differs between a definition and a domain (plan), and a
 * domain as a vmtui.yaml(5) definition (export). */
#ifndef VMTUI_VMXML_H
#define VMTUI_VMXML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/vmdef.h"

/* What apply made of disk i of the definition. For a disk with path, both
 * may be NULL: the definition's path and format are used. */
struct vmxml_disk_src {
	const char *path;   /* the volume's (or file's) path on the host */
	const char *format; /* "qcow2" or "raw" as created; NULL: the disk's */
};

/* What the definition leaves to the host, resolved by apply. Any field may
 * be NULL (and the whole struct too) when the definition needs no more. */
struct vmxml_opts {
	const char *domain_type; /* "kvm" or "qemu"; NULL: the vmdef's type,
	                          * which must not be auto then */
	const char *arch;        /* e.g. "x86_64"; NULL: the vmdef's, else the host's */
	const struct vmxml_disk_src *disks; /* one per vmdef disk, same order */
	const char *seed_path;   /* cloud-init seed ISO, or NULL for none */
	const char *uuid;        /* a fixed UUID (tests), else libvirt picks */
	const char *iso_path;    /* the install media's path (the vmdef's iso
	                          * resolved); NULL: the vmdef's, which must then
	                          * be a path */
	bool install;            /* the first start from the install media: boot
	                          * the CD first and stop at the first reboot,
	                          * else the disk first, then the CD */
};

/* The domain XML for d: a new string, or NULL with *err set (a new string)
 * when something cannot be written (unresolved type, a disk without path,
 * a string XML cannot hold). */
char *vmxml_domain(const struct vmdef *d, const struct vmxml_opts *o, char **err);

/* One difference between a domain and a definition. `field` names the
 * vmtui.yaml key: "vcpus", "max_vcpus", "memory", "max_memory", "disks"
 * (the count), "disks[I].bus|format|size|path", "networks" (the count),
 * "networks[I].kind|source|mac|model", I counting from 0. Sizes are
 * written as in vmtui.yaml ("512M", "20G"), absent values as "none". */
struct vmxml_diff {
	char *field;
	char *have;     /* the domain's */
	char *want;     /* the definition's */
	bool safe_live; /* can be applied without recreating the domain: a
	                 * current vCPU count or memory within the domain's max */
};

/* Compare the domain XML with d. The domain's disks are its device='disk'
 * ones (CD-ROMs, such as the seed, are left out), in the XML's order;
 * disk_capacity (NULL, or one per such disk, 0 when unknown) gives their
 * sizes in bytes. libvirt sorts disks by bus, so disk i of d is compared
 * with the domain disk that has the target vmxml_domain gives it, else
 * with the next one left over. Sizes are compared where both are known (a
 * disk made from an image may have no size of its own), MACs only where d
 * gives one; interfaces by position. Returns 0 with a new array in *out
 * (free with vmxml_diffs_free; NULL when *n is 0), or -1 with *err set
 * when the XML is malformed or not a domain. */
int vmxml_compare(const struct vmdef *d, const char *domain_xml,
                  const uint64_t *disk_capacity, struct vmxml_diff **out, size_t *n,
                  char **err);
/* The same, and also "firmware", "secure_boot", "tpm", "cpu.mode",
 * "cpu.model", "cpu.topology", "hostdevs", "rng", "boot_menu" and "iso"
 * (the first CD-ROM that is not the cloud-init seed; iso_path: d's iso
 * resolved to its path, or NULL when d's is one), each where d writes it
 * or took it from os: (vmdef.given, vmdef.from_os). */
int vmxml_compare_iso(const struct vmdef *d, const char *domain_xml,
                      const uint64_t *disk_capacity, const char *iso_path,
                      struct vmxml_diff **out, size_t *n, char **err);
void vmxml_diffs_free(struct vmxml_diff *v, size_t n);

/* The domain as a vmtui.yaml(5) definition of one VM: a new string, or NULL
 * with *err set when the XML is malformed or holds something vmtui.yaml
 * cannot say (a disk bus, format or interface type it does not know).
 * disk_capacity and disk_pool (either may be NULL) are per device='disk'
 * disk in the XML's order, as for vmxml_compare: a disk with both becomes
 * a new blank volume {size, pool, format, bus}, any other {path, format,
 * bus}. MACs, CD-ROMs and anything vmxml_domain adds by itself are left
 * out; the disks are ordered so that vmxml_domain gives each its target
 * again. */
char *vmxml_export_yaml(const char *domain_xml, const uint64_t *disk_capacity,
                        const char *const *disk_pool, char **err);
/* The same; the install media (a CD-ROM other than the seed, with the
 * boot order iso gives) is written as iso: iso_vol ("pool/volume", as the
 * caller found the CD's source) or else its path. Firmware, Secure Boot,
 * TPM, CPU, host devices, RNG and the boot menu are written where they
 * differ from vmtui.yaml's defaults. */
char *vmxml_export_yaml_iso(const char *domain_xml, const uint64_t *disk_capacity,
                            const char *const *disk_pool, const char *iso_vol, char **err);

#endif
