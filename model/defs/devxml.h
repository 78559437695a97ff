/* devxml.h — a domain's devices read from its XML, device XML made for new
 * disks, CD-ROM drives and media, and NICs, and the domain XML with one
 * device added, removed or replaced (for the diffs shown before a change).
 * Pure: no connection. The hardware view and the CLI (model/guest/hardware.h)
 * build their changes from these. */
#ifndef VMTUI_DEVXML_H
#define VMTUI_DEVXML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum dev_kind {
	DEV_DISK,
	DEV_CDROM,
	DEV_FLOPPY,
	DEV_NIC,
	DEV_GRAPHICS,
	DEV_VIDEO,
	DEV_SERIAL,
	DEV_CONSOLE,
	DEV_CHANNEL,
	DEV_TPM,
	DEV_RNG,
	DEV_WATCHDOG,
	DEV_HOSTDEV_USB,
	DEV_HOSTDEV_PCI,
	DEV_HOSTDEV,     /* another host device (SCSI, mdev...) */
	DEV_CONTROLLER,
	DEV_INPUT,
	DEV_SOUND,
	DEV_OTHER,       /* memballoon, filesystem, redirdev, ... */
	DEV_NKINDS
};

/* One device of a domain. Every string is NULL when the XML has none. */
struct dev {
	enum dev_kind kind;
	char *key;      /* finds it again in another XML of the same domain:
	                 * "disk:vda", "nic:52:54:00:12:34:56", "controller:usb:0",
	                 * "hostdev:pci:0000:01:00.0"; unique in the list */
	char *summary;  /* one line, without what only a running guest has
	                 * (aliases, ports, tap devices): equal summaries of a
	                 * live and a saved device mean the same settings */
	char *xml;      /* the element, as the domain XML has it */
	/* Disks, CD-ROMs and floppies. */
	char *target, *bus, *disk_type; /* "vda", "virtio", "file|block|volume|network" */
	char *path;     /* a file or block device: source/@file or @dev */
	char *pool, *vol; /* source/@pool, @volume */
	char *format, *cache, *discard;
	bool readonly;
	/* NICs. */
	char *mac;      /* lower case */
	char *nic_type; /* "network", "bridge", "direct", "user", ... */
	char *source;   /* the network or bridge (or direct device) */
	char *model;
	bool link_down;
};

struct dev_list {
	struct dev *v;  /* in the XML's order */
	size_t n;
};

/* The devices of a domain XML: 0, or -1 with *err (a new sentence) when it
 * is not a well-formed <domain>. */
int devxml_parse(const char *domxml, struct dev_list *out, char **err);
void dev_list_free(struct dev_list *l);
/* The device of key, or NULL. */
const struct dev *dev_list_find(const struct dev_list *l, const char *key);
/* A disk, CD-ROM or NIC named the way a user does: a target ("vdb"), a MAC
 * (any case) or a key; NULL when none. */
const struct dev *dev_list_lookup(const struct dev_list *l, const char *name);
/* "disk", "CD-ROM", "NIC", "USB host device"... */
const char *dev_kind_name(enum dev_kind k);

/* ---- device XML made ---- */

enum disk_src { DISK_SRC_NONE, DISK_SRC_FILE, DISK_SRC_BLOCK, DISK_SRC_VOLUME };

struct disk_spec {
	bool cdrom;           /* a CD-ROM drive (read-only, raw) */
	enum disk_src src;    /* NONE: an empty CD-ROM drive */
	const char *path;     /* FILE, BLOCK */
	const char *pool, *vol; /* VOLUME */
	const char *target;   /* "vdb" */
	const char *bus;      /* virtio, sata, scsi, usb (ide for CD-ROMs too) */
	const char *format;   /* raw, qcow2...; NULL: raw */
	const char *cache;    /* NULL: libvirt's default */
	const char *discard;  /* unmap, ignore; NULL: libvirt's default */
};

/* <disk> XML for s, or NULL with *err (a new sentence) when a value is
 * not one libvirt takes. */
char *devxml_disk(const struct disk_spec *s, char **err);
/* The CD-ROM element cdrom_xml with its medium replaced by path (a file or
 * block device; NULL: ejected), for virDomainUpdateDeviceFlags. NULL with
 * *err when cdrom_xml is not a <disk>. */
char *devxml_media(const char *cdrom_xml, const char *path, bool block, char **err);
/* The <disk> element with its driver's cache and discard set (NULL: left
 * as they are; "" : removed, libvirt's default). */
char *devxml_disk_tune(const char *disk_xml, const char *cache, const char *discard,
                       char **err);

struct nic_spec {
	const char *type;   /* "network" or "bridge" */
	const char *source; /* the network's or the bridge's name */
	const char *model;  /* NULL: virtio */
	const char *mac;    /* NULL: none (libvirt makes one) */
	bool link_down;
};
char *devxml_nic(const struct nic_spec *s, char **err);
/* The <interface> element with its link state set. */
char *devxml_nic_link(const char *nic_xml, bool down, char **err);
/* The <interface> element moved to another network or bridge (its MAC,
 * model and address kept; what the running guest's source had dropped). */
char *devxml_nic_move(const char *nic_xml, const char *type, const char *source, char **err);

/* <volume> XML for a new volume of capacity bytes (format NULL: raw). */
char *devxml_volume(const char *name, uint64_t capacity, const char *format, char **err);

/* ---- checks ---- */

/* NULL when v is one of the values libvirt takes for it, else a sentence
 * naming them. */
const char *devxml_check_bus(const char *bus, bool cdrom);
const char *devxml_check_cache(const char *cache);
const char *devxml_check_discard(const char *discard);
const char *devxml_check_format(const char *format);
const char *devxml_check_model(const char *model);
/* A MAC as 6 hex pairs with colons; unicast. */
bool devxml_mac_ok(const char *mac);
/* A locally administered MAC in libvirt's 52:54:00 range from seed. */
void devxml_mac_make(uint32_t seed, char out[18]);
/* A disk target name: hd, sd, vd or xvd and lower-case letters. */
bool devxml_target_ok(const char *target);

/* The first free target for bus (virtio: vdX; sata, scsi, usb: sdX; ide:
 * hdX) among the disks of both lists (b may be NULL), as a new string:
 * "vdb" after vda, "sdaa" after sdz. */
char *devxml_next_target(const struct dev_list *a, const struct dev_list *b, const char *bus);

/* ---- the domain XML changed ---- */

/* The domain XML laid out the way the three functions below lay out
 * theirs (so that a diff shows the change alone), as a new string. */
char *devxml_dom_normal(const char *domxml, char **err);
/* With the device element dev_xml added among <devices> (after the last
 * one of the same element). */
char *devxml_dom_add(const char *domxml, const char *dev_xml, char **err);
/* Without the device of key. */
char *devxml_dom_remove(const char *domxml, const char *key, char **err);
/* With the device of key replaced by dev_xml. */
char *devxml_dom_replace(const char *domxml, const char *key, const char *dev_xml, char **err);

#endif
