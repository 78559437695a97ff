/* nodedev.h — the host's USB and PCI devices (libvirt's node devices):
 * vendor, product, driver, IOMMU group and address, which guest has each
 * (from the guests' <hostdev> elements, running and saved), and whether
 * the host can pass one through at all (refused with the reason: no IOMMU,
 * a PCI bridge, the controller of the host's own disk, a USB root hub,
 * another guest's). The XML parsing is pure (tests, fuzzing); listing
 * takes a connection. */
#ifndef VMTUI_NODEDEV_H
#define VMTUI_NODEDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <libvirt/libvirt.h>

enum nodedev_bus { NODEDEV_PCI, NODEDEV_USB };

struct nodedev {
	char *name;          /* libvirt's: "pci_0000_00_1f_2", "usb_1_2" */
	char *parent;        /* its parent node device, or NULL */
	enum nodedev_bus bus;
	char *addr;          /* "0000:00:1f.2" (PCI), "001:002" (USB bus:device) */
	unsigned domain, pbus, slot, function; /* PCI */
	unsigned usb_bus, usb_dev;             /* USB */
	char *vendor_id, *product_id;          /* "0x8086" */
	char *vendor, *product;                /* names, or NULL when the host has none */
	char *driver;        /* the host driver bound now, or NULL */
	char *pci_class;     /* "0x010601", or NULL */
	int iommu_group;     /* -1: none (no IOMMU) */
	bool bridge;         /* a PCI bridge (class 0x06....) */
	bool root_hub;       /* a USB root hub (Linux Foundation, device 1) */
	char *host_use;      /* the host's own use of it: "the controller of the
	                      * host's disk vda", or NULL */
	char *guest;         /* the guest it is passed to, or NULL */
	bool guest_live;     /* ... running with it now */
	bool guest_saved;    /* ... in its saved configuration */
};

/* One node device's XML (`virsh nodedev-dumpxml`): 0 with d filled, 1 when
 * it is neither a PCI nor a USB device, -1 when it is not a node device's
 * XML (err: a sentence). */
int nodedev_parse(const char *xml, struct nodedev *d, char **err);
void nodedev_free(struct nodedev *d);

/* Another node device met while listing (a disk, an interface, a SCSI
 * host...): kept by name and parent so that nodedev_list_finish can tell
 * which PCI devices the host's own disks and live interfaces hang from. */
struct nodedev_other {
	char *name, *parent;
	char *use;           /* "disk /dev/vda", "interface eth0 (up)", or NULL */
};

struct nodedev_list {
	struct nodedev *v;   /* PCI devices by address, then USB */
	size_t n;
	struct nodedev_other *o;
	size_t no;
};

/* Add one node device's XML to l (any kind; a bad one is left out). */
void nodedev_list_add_xml(struct nodedev_list *l, const char *xml);
/* After the devices: mark the PCI devices the host's disks and live
 * interfaces hang from, and sort. */
void nodedev_list_finish(struct nodedev_list *l);

/* A guest's XML: the host devices it has, marked as used by it (live: its
 * running XML, else its saved one). */
void nodedev_note_guest(struct nodedev_list *l, const char *domxml, bool live);

/* Every PCI and USB device of conn, and who uses each. 0, or -1 with a
 * sentence in *err. */
int nodedev_list_read(virConnectPtr conn, struct nodedev_list *l, char **err);
void nodedev_list_free(struct nodedev_list *l);

/* The device named by what: libvirt's name, a PCI address
 * ("0000:00:1f.2" or "00:1f.2"), a USB "BUS:DEV" or "VENDOR:PRODUCT"
 * (hex ids, unique among the host's); NULL with *err when none or
 * several. */
const struct nodedev *nodedev_find(const struct nodedev_list *l, const char *what,
                                   char **err);

/* Why d cannot be passed through to guest vm on this host, as a new
 * sentence, or NULL when it can. */
char *nodedev_refusal(const struct nodedev *d, const struct nodedev_list *l, const char *vm);

/* The <hostdev> element that passes d through (managed='yes'); USB by
 * vendor and product when that pair is unique on the host, else by its
 * bus and device. New string. */
char *nodedev_hostdev_xml(const struct nodedev *d, const struct nodedev_list *l);

/* The <hostdev> element of d in a guest's XML, as that XML has it, or
 * NULL when the guest has no such device. New string. */
char *nodedev_hostdev_in(const char *domxml, const struct nodedev *d);

/* "8086:2922 Intel Corporation 82801IR/IO/IH ..." or the ids alone. */
char *nodedev_label(const struct nodedev *d);

#endif
