/* agent.h — what a guest's QEMU guest agent says about its inside: OS,
 * kernel, hostname, time zone, logged-in users, every interface with all
 * its addresses, filesystems with used/total. Read through libvirt
 * (virDomainGetGuestInfo, virDomainInterfaceAddresses with the agent as
 * source), so vmtui parses only libvirt's typed parameters.
 *
 * A cache (one for the whole program, its own mutex) keeps each guest's
 * facts for AGENT_TTL_S seconds, and a guest whose live XML has no agent
 * channel, or whose channel is not connected, costs no agent call at all;
 * one whose agent fails to answer is tried again only after a backoff
 * (AGENT_RETRY_S, doubling to AGENT_RETRY_MAX_S), or when it restarts.
 *
 * Also: shutdown and reboot through the agent with ACPI as the fallback,
 * freezing and thawing filesystems around a snapshot, a user's password.
 * The TUI's job (agent_job) runs on the host's worker. */
#ifndef VMTUI_AGENT_H
#define VMTUI_AGENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libvirt/libvirt.h>

#include "../defs/tagxml.h"
#include "../host/host.h"

#define AGENT_CHANNEL "org.qemu.guest_agent.0"
#define AGENT_TTL_S 30
#define AGENT_RETRY_S 60
#define AGENT_RETRY_MAX_S 600
/* A filesystem fuller than this (percent used) is drawn in the warning
 * colour. */
#define AGENT_FS_WARN_PCT 90.0

struct agent_user {
	char *name, *domain;
	double login_s; /* seconds since 1970, or -1 */
};
struct agent_addr {
	char *addr;
	unsigned prefix;
	bool v6;
};
struct agent_iface {
	char *name, *hwaddr;
	struct agent_addr *addrs;
	size_t naddrs;
};
struct agent_fs {
	char *mountpoint, *name, *type;
	uint64_t used, total;
	bool have_size;
};

/* Immutable once made; shared by reference (agent_facts_ref/unref, any
 * thread). */
struct agent_facts {
	int refs;
	char *os_id, *os_name, *os_pretty, *os_version, *os_version_id;
	char *kernel_release, *kernel_version, *machine;
	char *hostname, *tz_name;
	int tz_offset; /* seconds east of UTC */
	bool have_tz_offset;
	struct agent_user *users;
	size_t nusers;
	bool have_users;
	struct agent_iface *ifaces;
	size_t nifaces;
	bool have_ifaces;
	struct agent_fs *fs;
	size_t nfs;
	bool have_fs;
	double fetched_epoch; /* when it was read, seconds since 1970 */
};

struct agent_facts *agent_facts_ref(struct agent_facts *f);
void agent_facts_unref(struct agent_facts *f);

/* The facts in virDomainGetGuestInfo's typed parameters (any order, any
 * subset; unknown names ignored, indices out of their count dropped). */
struct agent_facts *agent_facts_from_params(const virTypedParameter *p, int n);
/* Add the interfaces of virDomainInterfaceAddresses (agent source). */
void agent_facts_set_ifaces(struct agent_facts *f, virDomainInterfacePtr *ifs, int n);
/* Used share of a filesystem in percent, -1 when its size is unknown. */
double agent_fs_pct(const struct agent_fs *fs);
/* Index of the fullest filesystem with a size, or -1. */
int agent_fs_fullest(const struct agent_facts *f);
/* The interface whose MAC is mac (case-insensitive), or NULL. */
const struct agent_iface *agent_iface_by_mac(const struct agent_facts *f, const char *mac);

enum agent_status {
	AGENT_UNKNOWN,       /* not asked yet */
	AGENT_NOT_RUNNING,   /* the guest is not running */
	AGENT_NO_CHANNEL,    /* no org.qemu.guest_agent.0 channel */
	AGENT_NOT_CONNECTED, /* the channel is there; no agent on its end */
	AGENT_NO_ANSWER,     /* asked; it failed (error says why) */
	AGENT_OK,
};
/* "no agent", "agent not connected", ... for the screen and scripts. */
const char *agent_status_text(enum agent_status s);
/* The channel in a live domain XML: AGENT_NO_CHANNEL, AGENT_NOT_CONNECTED
 * (state='disconnected'), or AGENT_OK (connected, or a libvirt that does
 * not say: then only a call tells). */
enum agent_status agent_channel_state(const char *xml);

/* What one look-up gives: the status and, with AGENT_OK, the facts (a
 * reference, the caller's to unref); error says why with AGENT_NO_ANSWER. */
struct agent_result {
	enum agent_status status;
	struct agent_facts *facts;
	char *error;
	bool cached; /* from the cache, no call made */
};
void agent_result_clear(struct agent_result *r);

/* Read the facts of a running dom now (two agent calls): 0, or -1 with
 * *err set. */
int agent_fetch(virDomainPtr dom, struct agent_facts **out, char **err);

/* The cache. key names the host (any stable pointer), uuid and id the
 * guest's run (a restart gives a new id, and a fresh try). fetch is what
 * asks the agent (agent_fetch for real; tests count calls). channel is
 * agent_channel_state of the live XML. */
typedef int (*agent_fetch_fn)(void *ctx, struct agent_facts **out, char **err);
void agent_cache_get(const void *key, const char *uuid, int id, enum agent_status channel,
                     uint64_t now_ns, agent_fetch_fn fetch, void *ctx, bool force,
                     struct agent_result *out);
/* Forget a guest (after a shutdown through its agent) or, uuid NULL,
 * every guest of key. */
void agent_cache_forget(const void *key, const char *uuid);

/* The facts of a running dom through the cache: its live XML read for the
 * channel, the agent asked only as the cache allows. */
void agent_lookup(const void *key, virDomainPtr dom, bool force, struct agent_result *out);

/* Shut down or reboot dom: through the agent when it answers, else ACPI
 * (else the driver's own way where it offers no choice). *mode says which
 * ("guest agent", "ACPI", ...); 0, or -1 with *err. */
int agent_power(virDomainPtr dom, bool reboot, const char **mode, char **err);
/* Freeze dom's filesystems through its agent: the count frozen (>= 0), or
 * -1 with *err. agent_thaw undoes it. */
int agent_freeze(virDomainPtr dom, char **err);
int agent_thaw(virDomainPtr dom, char **err);
/* Set user's password in dom (through the agent); crypted: password is
 * already crypt(3)ed. 0, or -1 with *err. */
int agent_set_password(virDomainPtr dom, const char *user, const char *password, bool crypted,
                       char **err);

/* The best address to reach dom at (IPv4 before IPv6, no loopback or
 * link-local): from the agent, else the DHCP leases, else the ARP table;
 * *source says which ("agent", "lease", "arp"). NULL with *err. */
char *agent_guest_address(virDomainPtr dom, const char **source, char **err);
/* The same with the agent's interfaces already known (facts, e.g. from
 * the cache: no agent call; NULL: the agent is not asked at all). */
char *agent_guest_address_known(virDomainPtr dom, const struct agent_facts *facts,
                                const char **source, char **err);
/* "guest agent", "DHCP lease", "ARP table" for a source above. */
const char *agent_source_text(const char *source);

/* The user `vmtui ssh` logs into dom as: its vmtui.yaml ssh_user (kept in
 * the domain's metadata, AGENT_SSH_NS), else $VMTUI_SSH_USER, else NULL
 * (ssh's own: ~/.ssh/config, else the local user). New string. */
#define AGENT_SSH_NS SSHXML_NS
char *agent_ssh_user(virDomainPtr dom);
/* The user in the metadata element's XML, or NULL (pure). */
char *agent_ssh_user_xml(const char *xml);

/* ---- the TUI's job on the host's worker ---- */

/* Shared by the view and the worker; fields after uuid under host->lock.
 * The worker writes result and clears busy; the UI sets busy. */
struct agent_job {
	struct host *host;       /* immutable */
	char uuid[VM_UUID_LEN];  /* immutable */
	int refs;
	bool busy;
	unsigned reads;          /* bumps with each result */
	struct agent_result result;
	char *addr_source;       /* where the best address came from, or NULL */
	char *addr;
};
struct agent_job *agent_job_new(struct host *h, const char *uuid);
/* Ask again (force: past the cache). */
void agent_job_read(struct agent_job *j, bool force);
void agent_job_release(struct agent_job *j);

/* Set a user's password in a guest on the host's worker; the outcome in
 * the message log. The strings are copied (the password wiped after). */
void agent_password_request(struct host *h, const char *uuid, const char *name,
                            const char *user, const char *password);

#endif
