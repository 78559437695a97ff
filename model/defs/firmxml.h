/* firmxml.h — the parts of a domain's XML about how it starts: boot order
 * and boot menu, CPU mode, model and topology, firmware (BIOS or UEFI by
 * libvirt's firmware auto-selection, Secure Boot) and an emulated TPM;
 * read, and changed in a copy of the XML that keeps everything else. And
 * the host's domain capabilities that say which of them it can run. Pure:
 * no libvirt calls. */
#ifndef VMTUI_FIRMXML_H
#define VMTUI_FIRMXML_H

#include <stdbool.h>
#include <stddef.h>

/* A device booted from by its own <boot order='N'/>. */
struct firm_bootdev {
	char *kind;     /* "hd", "cdrom", "fd", "network", "hostdev" */
	char *name;     /* "vda", a MAC, a host device's address */
	unsigned order;
};

struct firm_info {
	char *name;
	char *type;       /* <domain type=>: "kvm", "qemu" */
	char *arch, *machine, *emulator;
	unsigned vcpus_max;
	/* boot */
	char **boot;      /* <os><boot dev=/> in order */
	size_t nboot;
	struct firm_bootdev *bootdevs; /* per-device <boot order>, by order */
	size_t nbootdevs;
	int boot_menu;    /* -1: not said (off), 0 off, 1 on */
	bool direct_kernel; /* <os><kernel>: the boot order is not used */
	/* cpu */
	char *cpu_mode;   /* NULL: no <cpu> mode (libvirt's default, custom) */
	char *cpu_model;
	unsigned sockets, dies, cores, threads; /* 0: no <topology> */
	/* firmware */
	bool efi;         /* firmware='efi', or an explicit pflash/UEFI loader */
	char *loader;     /* an explicit <loader> path, or NULL */
	int secure_boot;  /* -1: not said, 0 off, 1 on */
	bool smm;         /* <features><smm state='on'/> (or just <smm/>) */
	/* TPM */
	char *tpm_model, *tpm_backend, *tpm_version; /* NULL: no TPM */
};

/* Read xml (a domain). 0, or -1 with a sentence in *err. */
int firmxml_read(const char *xml, struct firm_info *fi, char **err);
void firm_info_free(struct firm_info *fi);

/* "hd, cdrom (menu on)": what the boot order is, as a new string. */
char *firm_boot_text(const struct firm_info *fi);
/* "host-model, 1 socket x 2 cores x 1 thread" as a new string. */
char *firm_cpu_text(const struct firm_info *fi);
/* "UEFI, Secure Boot on" / "BIOS" as a new string. */
char *firm_firmware_text(const struct firm_info *fi);

/* The domain XML as firmxml writes it (libvirt's layout: two spaces,
 * single quotes), the "before" side of a diff; NULL if not XML. */
char *firmxml_normalize(const char *xml);

/* Each edit returns the changed XML as a new string, or NULL with a
 * sentence in *err. */

/* Boot order: devs are "hd", "cdrom", "network", "fd" (n 0: leave it);
 * a guest booting from per-device <boot order> keeps that form, the
 * devices of each kind numbered in turn and the others left out. menu:
 * -1 leave, 0 off, 1 on. */
char *firmxml_set_boot(const char *xml, const char *const *devs, size_t n, int menu,
                       char **err);
/* CPU: mode "host-passthrough", "host-model", "custom" (model given),
 * NULL: leave; model NULL: leave (custom only); sockets 0: leave the
 * topology, else cores and threads too. */
char *firmxml_set_cpu(const char *xml, const char *mode, const char *model, unsigned sockets,
                      unsigned cores, unsigned threads, char **err);
/* Firmware: efi or BIOS, by libvirt's auto-selection (explicit loader and
 * NVRAM dropped); secure -1: leave (off when turning BIOS), 0/1: Secure
 * Boot with enrolled keys, and SMM on. */
char *firmxml_set_firmware(const char *xml, bool efi, int secure, char **err);
/* TPM: model "tpm-crb" or "tpm-tis" adds an emulated TPM 2.0; NULL
 * removes every TPM. */
char *firmxml_set_tpm(const char *xml, const char *model, char **err);

/* A device element added at the end of <devices>, or the first device
 * element equal to dev (as firmxml_normalize writes both) taken out. */
char *firmxml_add_device(const char *xml, const char *dev, char **err);
char *firmxml_drop_device(const char *xml, const char *dev, char **err);

/* What the host can run for one kind of guest (virConnectGetDomainCapabilities). */
struct firm_caps {
	char *machine;          /* the machine type it is for */
	unsigned vcpu_max;
	bool passthrough, host_model, custom; /* CPU modes supported */
	char **models;          /* custom models */
	char **model_vendor;
	int *usable;            /* 1 yes, 0 no, -1 unknown */
	size_t nmodels;
	bool efi;               /* UEFI firmware found (auto-selection) */
	bool bios;              /* firmware enum lists bios, or none listed */
	bool secure;            /* a loader with Secure Boot */
	bool tpm;               /* <tpm supported='yes'> */
	bool tpm_emulator;      /* backendModel lists emulator (swtpm found) */
	bool tpm_crb, tpm_tis;
	bool tpm_listed;        /* the host said anything about TPMs */
	bool pci_hostdev, usb_hostdev;
};

int firmxml_caps_read(const char *xml, struct firm_caps *c, char **err);
void firm_caps_free(struct firm_caps *c);
/* A custom model's index in c, or -1. */
int firm_caps_model(const struct firm_caps *c, const char *model);

#endif
