/* vm.h — one guest as vmtui knows it: identity, state, configuration seen
 * in the bulk stats, derived rates and their history. */
#ifndef VMTUI_VM_H
#define VMTUI_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ring.h"

/* A start time that is not known: no time a clock reading can give. */
#define VM_START_UNKNOWN INT64_MIN

enum vm_state {
	VM_NOSTATE,
	VM_RUNNING,
	VM_BLOCKED,
	VM_PAUSED,
	VM_SHUTDOWN, /* shutting down */
	VM_SHUTOFF,
	VM_CRASHED,
	VM_PMSUSPENDED,
	VM_STATE_COUNT
};

const char *vm_state_name(enum vm_state s);
/* True for states in which the guest has a live process (stats flow). */
bool vm_state_active(enum vm_state s);

#define VM_UUID_LEN 37

/* One block device or NIC in one bulk-stats sample. Its strings point
 * into the stats record parsed, at `fallback`, or into the sample's own
 * text once domstats_own_strings copied them there. */
struct dev_sample {
	const char *name; /* target: vda, vnet0 */
	const char *path; /* disk source path, or NULL */
	uint64_t rd;     /* bytes read / received */
	uint64_t wr;     /* bytes written / sent */
	uint64_t capacity;
	uint64_t allocation;
	uint64_t rd_ops, wr_ops; /* disk requests / packets */
	bool have_rd, have_wr, have_capacity, have_rd_ops, have_wr_ops;
	char fallback[24]; /* "disk2", "net0": the name of an unnamed device */
};

/* What one record of virConnectGetAllDomainStats says about a domain. */
struct vm_sample {
	const char *name; /* like the devices' strings, see dev_sample */
	char uuid[VM_UUID_LEN];
	int id;
	enum vm_state state;
	int reason;
	bool have_cpu;
	uint64_t cpu_time_ns;
	unsigned vcpus_cur, vcpus_max;
	bool have_balloon_cur, have_balloon_max;
	uint64_t mem_cur_kib, mem_max_kib;
	bool have_avail, have_unused, have_usable, have_rss;
	uint64_t mem_avail_kib, mem_unused_kib, mem_usable_kib, mem_rss_kib;
	/* vcpu.N.delay (ns a vCPU's thread was runnable but queued behind
	 * another task on the host: the guest's steal time), vcpu.N.wait (the
	 * same from the scheduler's statistics, where the host enables them)
	 * summed over the vCPUs that report it; vcpu.N.halted counted. */
	uint64_t vcpu_delay_ns, vcpu_wait_ns;
	unsigned vcpus_delay, vcpus_wait; /* vCPUs reporting each (0: absent) */
	unsigned vcpus_halted;
	bool have_halted;
	struct dev_sample *disks;
	size_t ndisks, disks_cap; /* cap: room kept for the next parse */
	struct dev_sample *nics;
	size_t nnics, nics_cap;
	char *text;       /* the strings' copies (domstats_own_strings) */
	size_t text_cap;
};

/* Free the device arrays and text, and zero the sample. */
void vm_sample_clear(struct vm_sample *s);

/* Where a guest's WAIT% comes from. */
enum vm_wait_src { VM_WAIT_NONE, VM_WAIT_DELAY, VM_WAIT_SCHED };
/* "delay", "wait" or "none": the stats field a WAIT% is read from. */
const char *vm_wait_src_name(enum vm_wait_src s);

/* A device with its running counters and current rates. */
struct vm_dev {
	char *name;
	char *path;
	uint64_t rd, wr;
	uint64_t rd_ops, wr_ops;
	bool have_rd, have_wr, have_rd_ops, have_wr_ops; /* in the last sample */
	uint64_t capacity, allocation;
	double rd_rate, wr_rate; /* per second, STATS_UNKNOWN if not known */
	double rd_ops_rate, wr_ops_rate; /* requests (packets) per second */
	/* No history per device: the guest's totals have graphs, and a
	 * thousand guests' per-device rings would cost more than the rest. */
};

/* A guest in a host's table (host.h): the host's lock guards every field,
 * read by any thread holding it. The host's one writer (its worker, or a
 * replay host's player) writes them; the event-loop thread writes those
 * vm_set_state changes (state and the figures that go with it). uuid
 * never changes after vm_new and name only by the host's writer, which
 * may therefore read both without the lock (host.c's parse_records). */
struct vm {
	char *name;
	char uuid[VM_UUID_LEN];
	int id;
	enum vm_state state;
	int reason;
	bool persistent;
	bool autostart;
	bool managed_save;   /* shut off with a managed save image: start restores it */
	unsigned vcpus_cur, vcpus_max;
	uint64_t mem_cur_kib, mem_max_kib;
	uint64_t mem_used_kib;
	bool mem_from_guest; /* used figure came from balloon stats */

	uint64_t cpu_time_ns;
	uint64_t sampled_ns; /* monotonic time of the last merged sample */
	double cpu_pct;      /* STATS_UNKNOWN until two samples exist */
	double rd_rate, wr_rate, rx_rate, tx_rate;
	double rd_ops_rate, wr_ops_rate; /* disk requests per second */
	/* WAIT%: the share of the vCPUs' time spent runnable but waiting for
	 * a host CPU (stats_wait_pct), from vcpu.N.delay, else vcpu.N.wait;
	 * STATS_UNKNOWN until two samples carry the same source. */
	double wait_pct;
	uint64_t wait_ns;      /* the summed counter of the last sample */
	enum vm_wait_src wait_src;
	int vcpus_halted;      /* vcpu.N.halted "yes" count, -1 when not reported */

	/* When the guest started, in ns on host_now_ns' clock (monotonic, from
	 * this machine's boot): negative for a start before that boot (a
	 * replayed or remote guest up longer than this machine, or one seen
	 * through a suspend); VM_START_UNKNOWN when not running or not known.
	 * When `since_exact` is false, the start predates vmtui and this is
	 * when vmtui first saw it running. */
	int64_t started_ns;
	bool since_exact;
	bool start_probed; /* looked for the real start time once */
	bool balloon_period_set;

	struct ring cpu_hist, mem_hist, rd_hist, wr_hist, rx_hist, tx_hist;
	struct ring wait_hist;

	struct vm_dev *disks;
	size_t ndisks;
	struct vm_dev *nics;
	size_t nnics;

	/* Tags and note from the domain's <metadata> under vmtui's namespace
	 * (model/defs/tagxml.h), read by the host's worker when it first sees
	 * the guest and on metadata-change events, never per refresh. Under
	 * the host's lock like the rest; tags are short words, sorted, no
	 * duplicates; note is NULL when there is none. */
	char **tags;
	size_t ntags;
	char *note;
	bool meta_read; /* tags and note read at least once */

	bool known; /* at least one sample merged */
	bool seen;  /* mark for sweeping domains that vanished */
};

struct vm *vm_new(const char *uuid, const char *name, size_t history);
void vm_free(struct vm *vm);

/* Merge a sample taken at monotonic time now_ns: counters become rates,
 * rates go into the history rings. */
void vm_merge(struct vm *vm, const struct vm_sample *s, uint64_t now_ns);

/* A state change learnt from an event (no counters). */
void vm_set_state(struct vm *vm, enum vm_state st, int reason, uint64_t now_ns);

/* Does the guest carry tag t (exact, case-sensitive)? */
bool vm_has_tag(const struct vm *vm, const char *t);
/* Replace the guest's tags (copied, sorted, duplicates dropped) and note
 * (copied; NULL or "" for none). */
void vm_set_meta(struct vm *vm, char *const *tags, size_t ntags, const char *note);

/* Uptime in seconds at now_ns, or -1 when not running or not known. */
double vm_uptime(const struct vm *vm, uint64_t now_ns);

/* The start (as started_ns) of a guest up uptime_s seconds at now_ns, which
 * may be before now_ns' clock began; VM_START_UNKNOWN when uptime_s is
 * negative, not a number, or too long to hold (centuries). */
int64_t vm_start_from_uptime(double uptime_s, uint64_t now_ns);

/* Change history length for every ring of the VM. */
void vm_set_history(struct vm *vm, size_t history);

#endif
