/* network.h — libvirt's virtual networks on one connection: the list
 * (state, forward mode, bridge, addresses, DHCP range, leases, the guests
 * on each), create from a struct netdef (config/resdef.h), start, stop,
 * autostart, delete; the DHCP leases of one network matched to guests by
 * MAC; and pinning: a guest's MAC → IP as a fixed DHCP host entry, live
 * and saved, so the guest keeps its address.
 *
 * The libvirt calls take a connection: the CLI's, or a host worker's
 * through net_job (model/net/netjob.h). The pure parts (reading a
 * network's XML, address checks, matching leases, expiry text) are
 * separate for the unit tests. */
#ifndef VMTUI_NETWORK_H
#define VMTUI_NETWORK_H

#include <stdbool.h>
#include <stddef.h>
#include <libvirt/libvirt.h>

#include "../../config/resdef.h"
#include "../host/guestuse.h"

/* A fixed DHCP host entry of a network's IPv4 range. */
struct net_pin {
	char *mac;       /* lower case */
	char *ip;        /* NULL: an entry by name only */
	char *name;      /* hostname, or NULL */
};

struct net_info {
	char *name;
	bool active, autostart, persistent;
	/* "nat", "route", "open", "isolated" (no <forward>), "bridge", or
	 * another of libvirt's modes as it names it ("passthrough"...). */
	char *forward;
	char *dev;       /* the host interface a nat or route network forwards
	                  * through, or NULL */
	char *bridge;    /* the bridge device, or NULL */
	char *ipv4;      /* the host's address and prefix, "192.168.100.1/24" */
	char *ipv6;      /* the same, "fd00:1::1/64"; NULL when none */
	char *dhcp_start, *dhcp_end; /* the IPv4 DHCP range, or NULL: none */
	struct net_pin *pins;
	size_t npins;
	int nleases;     /* -1: not running (no leases to read) */
	/* The guests with a NIC on it (by its name, or its bridge): names
	 * joined by ", ", or NULL; and those of them running. */
	char *users, *running;
	size_t nusers, nrunning;
};

struct net_list {
	struct net_info *v; /* by name */
	size_t n;
};

/* A lease, or a pin without a lease (its guest is off): a leases view row. */
struct net_lease {
	char *mac;       /* lower case */
	char *ip;        /* NULL for a pin without an address */
	unsigned prefix;
	bool ipv6;
	char *hostname;  /* what the guest said, or NULL */
	long long expiry; /* seconds since the epoch; 0: never; -1: no lease */
	char *guest;     /* the guest with this MAC, or NULL */
	char *pin_ip;    /* the address pinned for this MAC, or NULL: not pinned */
	char *pin_name;  /* the pin's hostname, or NULL */
};

struct net_leases {
	char *net;
	struct net_lease *v; /* leases by IP, then pins without a lease */
	size_t n;
	struct net_info info; /* the network, as read with the leases */
	char *note;          /* why there are no leases to show (the driver
	                      * cannot list them), or NULL */
};

void net_info_clear(struct net_info *n);
void net_list_free(struct net_list *l);
void net_leases_free(struct net_leases *l);

/* ---- pure ---- */

/* Fill from a <network> XML the fields it holds: forward, dev, bridge,
 * ipv4, ipv6, the DHCP range and the pins (name, state and the rest are
 * left alone). -1 when it is not a network. */
int net_xml_parse(const char *xml, struct net_info *n);
/* mac in lower case when it is one (aa:bb:cc:dd:ee:ff, any case), else
 * NULL. New string. */
char *net_mac_norm(const char *mac);
/* Whether ip is an IPv4 address of the network of cidr ("192.168.1.1/24"),
 * neither the network's own address nor its broadcast. */
bool net_ip_in(const char *cidr, const char *ip);
/* Why mac cannot be pinned to ip on n (a new sentence), or NULL: mac and
 * ip must be valid, ip inside n's IPv4 network and not the host's own,
 * and no other MAC's pin may hold ip. */
char *net_pin_check(const struct net_info *n, const char *mac, const char *ip);
/* The pin of mac on n (any case), or NULL. */
const struct net_pin *net_pin_of(const struct net_info *n, const char *mac);
/* A lease's expiry as text: "in 59m 58s", "in 3h 02m", "expired",
 * "never" (0), "-" (no lease). */
void net_fmt_expiry(char *buf, size_t size, long long expiry, long long now);
/* Name each row's guest (by MAC, from g) and pin (from l->info's pins),
 * and add a row for each pin no lease has. */
void net_leases_match(struct net_leases *l, const struct guest_uses *g);
/* Whether name can be a DHCP host's name (letters, digits and '-', at
 * most 63): a guest's name is given with a pin only then. */
bool net_hostname_ok(const char *name);
/* "nat via eth0", "isolated"... for the list. */
const char *net_forward_label(const struct net_info *n, char *buf, size_t size);

/* ---- on a connection ---- */

/* Every network of conn with its users (guest_uses_read once). */
int net_list_read(virConnectPtr conn, struct net_list *l, char **err);
/* One network, the same (for info). */
int net_info_read(virConnectPtr conn, const char *name, struct net_info *n, char **err);
/* The leases and pins of a network, matched to guests. */
int net_leases_read(virConnectPtr conn, const char *name, struct net_leases *l, char **err);

/* Define d's network; start it and set autostart as d says. *result
 * says what was done. On a failure after the define, the network is
 * undefined again. */
int net_create(virConnectPtr conn, const struct netdef *d, char **result, char **err);
int net_start(virConnectPtr conn, const char *name, char **err);
int net_stop(virConnectPtr conn, const char *name, char **err);
int net_set_autostart(virConnectPtr conn, const char *name, bool on, char **err);
/* The running guests using name (a new ", "-joined list), or NULL when
 * none; *count how many. NULL too when the guests cannot be read (*err). */
char *net_running_users(virConnectPtr conn, const char *name, size_t *count, char **err);
/* Stop (when running) and undefine (when persistent). Refused while
 * running guests use it, naming them, unless force. */
int net_delete(virConnectPtr conn, const char *name, bool force, char **err);
/* Pin mac to ip (with hostname, or NULL) on network name, in the running
 * network and its saved definition as it has them; an existing pin of
 * mac is replaced. *result says what was done; *virsh (also on failure,
 * when something was tried) the virsh commands that do the same on uri,
 * "; "-joined. */
int net_pin(virConnectPtr conn, const char *uri, const char *name, const char *mac,
            const char *ip, const char *hostname, char **result, char **virsh, char **err);
/* Remove the pin of mac, the same. */
int net_unpin(virConnectPtr conn, const char *uri, const char *name, const char *mac,
              char **result, char **virsh, char **err);

/* The equivalent virsh commands (new strings; uri NULL: none). */
char *net_virsh_define(const char *uri, const char *name);
char *net_virsh_simple(const char *uri, const char *verb, const char *name);
char *net_virsh_autostart(const char *uri, const char *name, bool on);
/* net-update NAME add-last|modify|delete ip-dhcp-host XML --live --config,
 * with the flags the network's state allows. */
char *net_virsh_update(const char *uri, const char *name, const char *command,
                       const char *hostxml, bool live, bool config);

#endif
