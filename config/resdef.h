/* resdef.h — storage pools and virtual networks as sysadmins write them
 * in YAML, next to their VMs (vmtui.yaml(5)): what `vmdef_parse` fills in
 * struct vmdef_file's pools and nets, and what `vmtui pool create` and
 * `vmtui net create` build from their options. Parsing and validation
 * only; the libvirt XML is model/defs/poolxml.h and netxml.h.
 *
 * After a successful parse every default is filled in. */
#ifndef VMTUI_RESDEF_H
#define VMTUI_RESDEF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmdef.h" /* struct vmdef_pos */

/* A storage pool. Which fields a type needs: pooldef_check. */
struct pooldef {
	char *name;
	char *type;          /* "dir", "fs", "netfs", "logical", "disk", "iscsi" */
	char *path;          /* target path: the folder (dir, fs, netfs), /dev/VG
	                      * (logical, may be NULL: /dev/NAME), /dev (disk,
	                      * iscsi: may be NULL) */
	char *source_host;   /* netfs, iscsi: the server */
	char *source_dir;    /* netfs: the export ("/srv/images"); iscsi: the IQN */
	char *source_device; /* fs, disk: the block device; logical: a PV (NULL:
	                      * an existing volume group) */
	char *source_name;   /* logical: the volume group (NULL: the pool's name) */
	char *source_format; /* netfs: "nfs", "glusterfs", "cifs" (default nfs);
	                      * fs: "auto", "ext4", "xfs"...; logical: "lvm2" */
	bool build;          /* build it when created (mkdir, vgcreate, mkfs...);
	                      * default true for dir, false otherwise */
	bool start;          /* default true */
	bool autostart;      /* default true */
	struct vmdef_pos pos;
};

/* A fixed address handed out by a network's DHCP server. */
struct netdef_host {
	char *mac;           /* lower case aa:bb:cc:dd:ee:ff */
	char *ip;            /* "192.168.100.10" */
	char *name;          /* hostname, or NULL */
	struct vmdef_pos pos;
};

/* A virtual network. */
struct netdef {
	char *name;
	char *forward;       /* "nat" (default), "route", "open", "isolated",
	                      * "bridge" (a host bridge that exists: `bridge`) */
	char *bridge;        /* the bridge device: for "bridge" the host's, else
	                      * the one libvirt makes (NULL: libvirt picks virbrN) */
	char *dev;           /* nat, route: forward only through this host
	                      * interface, or NULL */
	char *cidr;          /* IPv4 network, "192.168.100.0/24"; the host gets
	                      * the first address, or the one written when its
	                      * host bits are set ("192.168.100.254/24").
	                      * NULL only for "bridge" */
	bool dhcp;           /* a DHCP server on cidr; default true */
	char *dhcp_start, *dhcp_end; /* NULL: the second address to the last
	                      * but one */
	char *cidr6;         /* IPv6 network, "fd00:1::/64", or NULL */
	char *domain;        /* DNS domain for the guests, or NULL */
	struct netdef_host *hosts;
	size_t nhosts;
	bool start;          /* default true */
	bool autostart;      /* default true */
	struct vmdef_pos pos;
};

/* NULL when p holds what its type needs (and only known types), else
 * static text saying what is wrong ("a netfs pool needs source_host"). */
const char *pooldef_check(const struct pooldef *p);
/* The same for n: cidr valid and the DHCP range and fixed hosts inside
 * it, a bridge for "bridge"... */
const char *netdef_check(const struct netdef *n);

/* netdef_check, also saying where: *where is set to the position of the
 * fixed host at fault, or NULL when the problem is the network's. */
const char *netdef_check_at(const struct netdef *n, const struct vmdef_pos **where);

/* A network's IPv4 addresses, with the defaults filled in: numbers in
 * host byte order and the same as dotted text. */
struct netdef_ipv4 {
	unsigned prefix;
	uint32_t net, host, start, end;
	char host_s[16], mask_s[16], start_s[16], end_s[16];
};
/* 0, or -1 when n's cidr or dhcp range is not valid IPv4. The default
 * DHCP range is the larger side of the host's address, without the
 * network's own and broadcast addresses, and within the /16 of its
 * start (libvirt's limit). */
int netdef_ipv4(const struct netdef *n, struct netdef_ipv4 *out);

/* Address helpers (also for the network views and pinning). */
int resdef_ipv4(const char *s, uint32_t *out);          /* dotted quad */
void resdef_ipv4_str(uint32_t a, char buf[16]);
int resdef_cidr4(const char *cidr, uint32_t *addr, unsigned *prefix);
bool resdef_ip_in(const char *cidr, const char *ip);    /* ip inside cidr */
bool resdef_mac_ok(const char *s);  /* aa:bb:cc:dd:ee:ff, lower case */

void pooldef_free(struct pooldef *p);
void netdef_free(struct netdef *n);

/* The pool types vmtui knows, NULL-terminated, for help and completion. */
extern const char *const pooldef_types[];
/* The forward modes, the same. */
extern const char *const netdef_forwards[];

#endif
