/* vmsel.h — which guests the list shows and in what order: filtering and
 * sorting across all hosts. */
#ifndef VMTUI_VMSEL_H
#define VMTUI_VMSEL_H

#include <stdbool.h>
#include <stddef.h>

#include "host.h"

enum sort_key {
	SORT_NAME,
	SORT_STATE,
	SORT_VCPUS,
	SORT_CPU,
	SORT_MEM,
	SORT_DISK,
	SORT_NET,
	SORT_UPTIME,
	SORT_WAIT,   /* WAIT%: vCPU time queued for a host CPU */
	SORT_COUNT
};

/* A line of the guest list: a guest, or (vm NULL) the heading of its
 * host when several hosts are shown. */
struct row {
	struct host *host;
	struct vm *vm;
	/* Grouped by tag (vmsel_group_tags): the group's tag ("" for the
	 * untagged) on its heading and on each of its guests; else NULL.
	 * Points into a guest's tags: good while the hosts' locks are held,
	 * as vm is. */
	const char *tag;
};

const char *sort_key_name(enum sort_key k);

/* Does the VM match the filter? Terms separated by spaces must all match;
 * a term matches a name containing it (ignoring case), and "state:X"
 * matches a state whose name starts with X. Empty filter matches all. */
bool vmsel_match(const struct vm *vm, const char *filter);

/* Compare two rows for sort key k (ties by name, then host). */
int vmsel_compare(const struct row *a, const struct row *b, enum sort_key k,
                  bool reverse, uint64_t now_ns);

/* Fill *rows (grown as needed) with the matching VMs of all hosts, sorted.
 * Host locks must be held. Returns the row count. */
size_t vmsel_build(struct host **hosts, size_t nhosts, const char *filter,
                   enum sort_key k, bool reverse, uint64_t now_ns,
                   struct row **rows, size_t *cap);

/* Sort rows again that were sorted earlier by the same rules (figures have
 * changed since): linear when little moved, as from one frame to the
 * next; when much moved, no worse than a sort from scratch. */
void vmsel_resort(struct row *rows, size_t n, enum sort_key k, bool reverse,
                  uint64_t now_ns);

/* Group sorted rows by host, in host order: each host's heading row (vm
 * NULL), then its rows unless collapsed[i]. A host with no matching guest
 * still gets its heading. Returns the row count of *out. */
size_t vmsel_group(const struct row *rows, size_t n, struct host **hosts, size_t nhosts,
                   const bool *collapsed, struct row **out, size_t *cap);

/* Group sorted rows by tag instead: each tag's heading row (vm NULL, tag
 * set, host the first host) in tag order, then the guests carrying it, in
 * the rows' order; a guest with several tags appears under each. Guests
 * without tags come last, under the heading of tag "". Returns the row
 * count of *out. Host locks must be held. */
size_t vmsel_group_tags(const struct row *rows, size_t n, struct host **hosts,
                        size_t nhosts, struct row **out, size_t *cap);
/* Guests in the tag group whose heading is rows[at] (up to the next
 * heading). */
size_t vmsel_group_size(const struct row *rows, size_t n, size_t at);

/* Totals for a host heading, over the host's guests (lock held). */
struct host_totals {
	unsigned running, paused, off, other;
	unsigned vcpus_running;     /* vCPUs of running guests */
	uint64_t mem_running_kib;   /* memory of running guests */
	/* The running guest with the highest WAIT% (NULL: none known) and
	 * that figure (STATS_UNKNOWN then); the name points into the guest:
	 * good while the host's lock is held. */
	const char *wait_worst_name;
	double wait_worst;
};
void vmsel_host_totals(const struct host *h, struct host_totals *t);

/* The whole fleet at a glance, for the header when several hosts are
 * shown: hosts by state, guests by state (of every host, the last data
 * of a host that is down included), and which hosts give their running
 * guests more vCPUs or memory than they have. Every host's lock held. */
struct fleet_totals {
	unsigned hosts, up, down, connecting;
	struct host *first_down;     /* the first host down, NULL if none */
	unsigned running, paused, off, other;
	unsigned vcpu_over, mem_over; /* hosts overcommitted (up ones) */
	struct host *worst_vcpu, *worst_mem; /* the highest ratio of each */
	double worst_vcpu_ratio, worst_mem_ratio; /* given / has */
};
void vmsel_fleet_totals(struct host **hosts, size_t nhosts, struct fleet_totals *t);

#endif
