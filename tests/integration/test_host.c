/* test_host.c — the model against a real libvirt daemon and real guests.
 *
 * Needs (set by tests/integration/run.sh):
 *   VMTUI_TEST_URI    the daemon's URI
 *   VMTUI_TEST_BUSY   a running guest spinning its CPU
 *   VMTUI_TEST_IDLE   a running idle guest
 *   VMTUI_TEST_OFF    a defined guest that is shut off
 *   VMTUI_DAEMON      tests/realstack/daemon.sh (kill/restart)
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "model/base/msglog.h"
#include "model/base/notify.h"
#include "model/host/eventloop.h"
#include "model/host/host.h"
#include "model/stats/procinfo.h"
#include "model/stats/stats.h"

static const char *uri, *busy, *idle, *off, *daemon_sh;

static void
quiet(void *d, virErrorPtr e)
{
	(void)d;
	(void)e;
}

static struct host *
open_host(unsigned interval_ms, bool readonly)
{
	struct host_opts o = { .uri = uri, .interval_ms = interval_ms,
	                       .history = 120, .readonly = readonly };
	struct host *h = host_new(&o);

	host_start(h);
	return h;
}

/* The VM of that name, with the lock held by the caller. */
static struct vm *
by_name(struct host *h, const char *name)
{
	size_t i;

	for (i = 0; i < h->nvms; i++)
		if (strcmp(h->vms[i]->name, name) == 0)
			return h->vms[i];
	return NULL;
}

typedef bool (*cond_fn)(struct host *, const void *);

/* Poll a condition (under the lock) until it holds or the time runs out. */
static bool
wait_for(struct host *h, cond_fn f, const void *arg, double seconds)
{
	uint64_t end = host_now_ns() + (uint64_t)(seconds * 1e9);

	for (;;) {
		bool ok;
		host_lock(h);
		ok = f(h, arg);
		host_unlock(h);
		if (ok)
			return true;
		if (host_now_ns() > end)
			return false;
		usleep(50000);
	}
}

static bool
is_up(struct host *h, const void *arg)
{
	(void)arg;
	return h->state == HOST_UP && h->refreshes > 0;
}

static bool
is_down(struct host *h, const void *arg)
{
	(void)arg;
	return h->state == HOST_DOWN;
}

struct want_state {
	const char *name;
	enum vm_state st;
};

static bool
has_state(struct host *h, const void *arg)
{
	const struct want_state *w = arg;
	struct vm *vm = by_name(h, w->name);

	return vm != NULL && vm->state == w->st;
}

static bool
cpu_settled(struct host *h, const void *arg)
{
	struct vm *b = by_name(h, busy), *i = by_name(h, idle);

	(void)arg;
	return b && i && b->cpu_hist.len >= 4 && i->cpu_hist.len >= 4;
}

static bool
refreshed_since(struct host *h, const void *arg)
{
	return h->refreshes > *(const uint64_t *)arg;
}

static bool
host_cpu_known(struct host *h, const void *arg)
{
	(void)arg;
	return h->cpu_hist.len > 0;
}

static bool
guest_memory(struct host *h, const void *arg)
{
	struct vm *vm = by_name(h, arg);

	return vm && vm->mem_from_guest;
}

static bool
net_moves(struct host *h, const void *arg)
{
	struct vm *vm = by_name(h, arg);

	return vm && vm->tx_rate > 0 && vm->tx_hist.len > 0;
}

/* Change a guest behind vmtui's back, as another admin would. */
static void
virsh_do(const char *verb, const char *dom)
{
	char cmd[512];

	snprintf(cmd, sizeof cmd, "virsh -q -c '%s' %s '%s' >/dev/null", uri, verb, dom);
	assert_int_equal(system(cmd), 0);
}

/* Every domain shows up with the state libvirt reports. */
static void
test_lists_guests(void **state)
{
	struct host *h = open_host(1000, false);
	struct want_state run_b = { busy, VM_RUNNING }, run_i = { idle, VM_RUNNING },
	                  shut = { off, VM_SHUTOFF };

	(void)state;
	assert_true(wait_for(h, is_up, NULL, 30));
	assert_true(wait_for(h, has_state, &run_b, 10));
	assert_true(wait_for(h, has_state, &run_i, 10));
	assert_true(wait_for(h, has_state, &shut, 10));
	host_lock(h);
	assert_non_null(h->hostname);
	assert_true(h->cpus > 0);
	assert_true(h->mem_total_kib > 0);
	assert_int_equal(by_name(h, busy)->vcpus_max, 2);
	assert_int_equal(by_name(h, busy)->vcpus_cur, 1);
	/* Started before this connection, yet its uptime is known exactly from
	 * the local qemu pid file, and counts from the real start. */
	assert_true(by_name(h, busy)->since_exact);
	assert_true(vm_uptime(by_name(h, busy), host_now_ns()) > 1.0);
	assert_true(vm_uptime(by_name(h, off), host_now_ns()) < 0);
	host_unlock(h);
	host_free(h);
}

/* CPU% follows the guest: the busy one near 100, the idle one low; memory
 * comes from the guest's balloon; disks and NICs have figures. */
static void
test_stats_move(void **state)
{
	struct host *h = open_host(1000, false);
	struct vm *b, *i;

	(void)state;
	assert_true(wait_for(h, is_up, NULL, 30));
	assert_true(wait_for(h, cpu_settled, NULL, 20));
	assert_true(wait_for(h, guest_memory, busy, 20));
	/* The guest pings once a second once eth0 has its link-local address;
	 * a guest just booted under a loaded host's TCG takes a while to get
	 * there (20 s was not always enough in CI). */
	if (!wait_for(h, net_moves, busy, 60)) {
		host_lock(h);
		b = by_name(h, busy);
		print_message("busy: no tx after 60 s: %s, %zu NIC(s), tx rate %.1f, tx history %zu\n",
		              b ? "listed" : "not listed", b ? (size_t)b->nnics : 0,
		              b ? (double)b->tx_rate : 0.0, b ? (size_t)b->tx_hist.len : 0);
		host_unlock(h);
		fail();
	}
	host_lock(h);
	b = by_name(h, busy);
	i = by_name(h, idle);
	print_message("busy cpu %.1f%% idle cpu %.1f%% busy mem %llu/%llu KiB host cpu %.1f%%\n",
	              b->cpu_pct, i->cpu_pct, (unsigned long long)b->mem_used_kib,
	              (unsigned long long)b->mem_cur_kib, h->cpu_pct);
	assert_true(b->cpu_pct > 60.0);
	assert_true(i->cpu_pct >= 0 && i->cpu_pct < 40.0);
	assert_true(b->mem_used_kib > 1024);
	assert_true(b->mem_used_kib < b->mem_cur_kib);
	assert_true(b->mem_hist.len > 0);
	assert_true(b->ndisks >= 1);
	assert_string_equal(b->disks[0].name, "vda");
	assert_true(b->disks[0].capacity == 32ull << 20);
	assert_true(b->nnics >= 1);
	assert_true(b->tx_rate > 0);
	assert_true(h->cpu_pct >= 0);
	host_unlock(h);
	host_free(h);
}

/* On a local URI the host figures come from /proc instead of two node
 * RPCs per refresh: they must say what libvirt's node calls say. */
static void
test_local_node_stats_match_libvirt(void **state)
{
	virConnectPtr c;
	virNodeMemoryStats ms[16];
	int nms = 0, k, mem_fd = -1, cpu_fd = -1;
	uint64_t lv_total = 0, lv_avail = 0, total, avail, busy0, tot0, busy1, tot1;
	unsigned long long lv_busy0 = 0, lv_tot0 = 0, lv_busy1 = 0, lv_tot1 = 0;
	double ours, theirs;
	struct host *h;

	(void)state;
	if (!procinfo_is_local(uri))
		skip();
	c = virConnectOpen(uri);
	assert_non_null(c);
	/* libvirt wants exactly the count it announces. */
	assert_int_equal(virNodeGetMemoryStats(c, VIR_NODE_MEMORY_STATS_ALL_CELLS, NULL, &nms, 0), 0);
	assert_true(nms > 0 && nms <= 16);
	assert_int_equal(virNodeGetMemoryStats(c, VIR_NODE_MEMORY_STATS_ALL_CELLS, ms, &nms, 0), 0);
	assert_int_equal(procinfo_node_mem(&mem_fd, &total, &avail), 0);
	for (k = 0; k < nms; k++) {
		if (strcmp(ms[k].field, VIR_NODE_MEMORY_STATS_TOTAL) == 0)
			lv_total = ms[k].value;
		else if (strcmp(ms[k].field, VIR_NODE_MEMORY_STATS_FREE) == 0 ||
		         strcmp(ms[k].field, VIR_NODE_MEMORY_STATS_BUFFERS) == 0 ||
		         strcmp(ms[k].field, VIR_NODE_MEMORY_STATS_CACHED) == 0)
			lv_avail += ms[k].value;
	}
	print_message("memory total %llu KiB (libvirt %llu), free+buffers+cached %llu KiB "
	              "(libvirt %llu)\n", (unsigned long long)total,
	              (unsigned long long)lv_total, (unsigned long long)avail,
	              (unsigned long long)lv_avail);
	assert_true(total == lv_total);
	/* Read a moment apart: within 2% of the total. */
	assert_true((avail > lv_avail ? avail - lv_avail : lv_avail - avail) < total / 50);

	/* CPU: busy share over the same second, both ways. */
	for (k = 0; k < 2; k++) {
		virNodeCPUStats cs[16];
		int ncs = 0, i;
		unsigned long long b = 0, t = 0;
		assert_int_equal(virNodeGetCPUStats(c, VIR_NODE_CPU_STATS_ALL_CPUS, NULL, &ncs, 0), 0);
		assert_true(ncs > 0 && ncs <= 16);
		assert_int_equal(virNodeGetCPUStats(c, VIR_NODE_CPU_STATS_ALL_CPUS, cs, &ncs, 0), 0);
		/* The second read goes through the file kept open by the first. */
		assert_int_equal(procinfo_node_cpu(&cpu_fd, k ? &busy1 : &busy0, k ? &tot1 : &tot0), 0);
		for (i = 0; i < ncs; i++) {
			t += cs[i].value;
			if (strcmp(cs[i].field, VIR_NODE_CPU_STATS_IDLE) != 0 &&
			    strcmp(cs[i].field, VIR_NODE_CPU_STATS_IOWAIT) != 0)
				b += cs[i].value;
		}
		if (k) {
			lv_busy1 = b;
			lv_tot1 = t;
		} else {
			lv_busy0 = b;
			lv_tot0 = t;
			sleep(2);
		}
	}
	ours = 100.0 * (double)(busy1 - busy0) / (double)(tot1 - tot0);
	theirs = 100.0 * (double)(lv_busy1 - lv_busy0) / (double)(lv_tot1 - lv_tot0);
	print_message("host CPU busy over 2 s: /proc %.1f%%, libvirt %.1f%%\n", ours, theirs);
	assert_true(ours > theirs - 10 && ours < theirs + 10);
	procinfo_close(&mem_fd);
	procinfo_close(&cpu_fd);
	assert_int_equal(cpu_fd, -1);
	virConnectClose(c);

	/* And the model shows them. */
	h = open_host(500, false);
	assert_true(wait_for(h, is_up, NULL, 30));
	assert_true(wait_for(h, cpu_settled, NULL, 20));
	host_lock(h);
	assert_true(h->mem_total_kib == lv_total);
	assert_true(h->mem_free_kib != HOST_MEM_UNKNOWN && h->mem_free_kib <= lv_total);
	assert_true(h->cpu_pct >= 0 && h->cpu_pct <= 100);
	assert_true(h->cpu_hist.len > 0);
	host_unlock(h);
	host_free(h);
}

/* At a quarter-second interval, guests are sampled at every refresh but
 * the host's own figures at most once a second: each refresh carries the
 * last ones (the host's graphs keep a point per refresh), and they still
 * move. */
static void
test_node_once_a_second(void **state)
{
	struct host *h;
	uint64_t seen[64], start_refreshes = 0, cpu_pushes = 0, refreshes = 0, target;
	size_t nseen = 0, i, len0 = 0;
	struct vm *b;

	(void)state;
	h = open_host(250, false);
	assert_true(wait_for(h, is_up, NULL, 30));
	assert_true(wait_for(h, cpu_settled, NULL, 20));
	assert_true(wait_for(h, host_cpu_known, NULL, 5));
	host_lock(h);
	start_refreshes = h->refreshes;
	len0 = h->cpu_hist.len;
	host_unlock(h);
	target = start_refreshes + 16;
	/* Watch every refresh for about 4 s. */
	while (refreshes < target && nseen < 64) {
		uint64_t r = refreshes;
		assert_true(wait_for(h, refreshed_since, &r, 5));
		host_lock(h);
		refreshes = h->refreshes;
		if (nseen == 0 || seen[nseen - 1] != h->node_sampled_ns)
			seen[nseen++] = h->node_sampled_ns;
		cpu_pushes = h->cpu_hist.len - len0;
		b = by_name(h, busy);
		assert_non_null(b);
		assert_true(b->sampled_ns == h->sampled_ns);
		assert_true(h->node_sampled_ns <= h->sampled_ns);
		assert_true(h->sampled_ns - h->node_sampled_ns < 1000000000ull);
		host_unlock(h);
	}
	print_message("%llu refreshes at 250 ms: the host's figures read %zu times\n",
	              (unsigned long long)(refreshes - start_refreshes), nseen);
	for (i = 1; i < nseen; i++)
		assert_true(seen[i] - seen[i - 1] >= 950000000ull);
	assert_true(nseen >= 3);
	assert_true(nseen * 2 <= refreshes - start_refreshes + 2);
	/* A point per refresh, the host's CPU figure carried in between
	 * (the ring may be full: then it stays at its capacity). */
	assert_true(cpu_pushes == refreshes - start_refreshes || h->cpu_hist.len == h->cpu_hist.cap);
	host_free(h);
}

/* State changes made outside vmtui arrive by event, long before the next
 * refresh (the interval here is a minute). */
static void
test_events_update_at_once(void **state)
{
	struct host *h = open_host(60000, false);
	struct want_state paused = { idle, VM_PAUSED }, running = { idle, VM_RUNNING };
	uint64_t t0, refreshes;

	(void)state;
	assert_true(wait_for(h, is_up, NULL, 30));
	assert_true(wait_for(h, has_state, &running, 10));
	host_lock(h);
	refreshes = h->refreshes;
	host_unlock(h);
	t0 = host_now_ns();
	virsh_do("suspend", idle);
	assert_true(wait_for(h, has_state, &paused, 5));
	print_message("pause seen after %.0f ms\n", (host_now_ns() - t0) / 1e6);
	virsh_do("resume", idle);
	assert_true(wait_for(h, has_state, &running, 5));
	/* Each event also asks for a refresh (new figures, new domains), long
	 * before the minute-long timer would. */
	assert_true(wait_for(h, refreshed_since, &refreshes, 5));
	host_free(h);
}

struct want_uuid {
	const char *name;
	const char *uuid;  /* the guest of that name has this UUID ... */
	bool same;         /* ... or, when false, any other */
	const char *gone;  /* and no guest has this UUID (NULL: no check) */
};

static bool
has_uuid(struct host *h, const void *arg)
{
	const struct want_uuid *w = arg;
	struct vm *vm = by_name(h, w->name);

	if (vm == NULL || (strcmp(vm->uuid, w->uuid) == 0) != w->same)
		return false;
	return w->gone == NULL || host_find_vm(h, w->gone) == NULL;
}

/* The refresh matches records to guests by name while nothing is defined
 * or undefined: a name given to another domain, or a guest renamed, must
 * still end up as the right guest. */
static void
test_identity_follows_uuid(void **state)
{
	struct host *h = open_host(200, false);
	char uuid1[VIR_UUID_STRING_BUFLEN], cmd[1024], renamed[256];
	char xml[] = "/tmp/vmtui-test-identity-XXXXXX";
	struct vm *vm;
	int fd = mkstemp(xml);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_true(wait_for(h, is_up, NULL, 30));
	host_lock(h);
	vm = by_name(h, off);
	assert_non_null(vm);
	memcpy(uuid1, vm->uuid, sizeof uuid1);
	host_unlock(h);

	/* The same name, another domain: a new UUID, the old guest gone. */
	snprintf(cmd, sizeof cmd,
	         "virsh -q -c '%s' dumpxml --inactive --security-info '%s' > '%s' && "
	         "virsh -q -c '%s' undefine --nvram '%s' >/dev/null && "
	         "grep -v '<uuid>' '%s' | virsh -q -c '%s' define /dev/stdin >/dev/null",
	         uri, off, xml, uri, off, xml, uri);
	assert_int_equal(system(cmd), 0);
	struct want_uuid other = { off, uuid1, false, uuid1 };
	assert_true(wait_for(h, has_uuid, &other, 10));

	/* A rename keeps the guest (its UUID) under the new name. */
	char uuid2[VIR_UUID_STRING_BUFLEN];
	host_lock(h);
	memcpy(uuid2, by_name(h, off)->uuid, sizeof uuid2);
	host_unlock(h);
	snprintf(renamed, sizeof renamed, "%s-renamed", off);
	snprintf(cmd, sizeof cmd, "virsh -q -c '%s' domrename '%s' '%s' >/dev/null", uri, off,
	         renamed);
	assert_int_equal(system(cmd), 0);
	struct want_uuid moved = { renamed, uuid2, true, NULL };
	assert_true(wait_for(h, has_uuid, &moved, 10));
	host_lock(h);
	assert_null(by_name(h, off));
	host_unlock(h);

	/* Back as it was, UUID and all. */
	snprintf(cmd, sizeof cmd,
	         "virsh -q -c '%s' undefine --nvram '%s' >/dev/null && "
	         "virsh -q -c '%s' define '%s' >/dev/null",
	         uri, renamed, uri, xml);
	assert_int_equal(system(cmd), 0);
	struct want_uuid back = { off, uuid1, true, uuid2 };
	assert_true(wait_for(h, has_uuid, &back, 10));
	unlink(xml);
	host_free(h);
}

struct want_persist {
	const char *name;
	int persistent; /* -1: the guest gone */
};

static bool
persistence_is(struct host *h, const void *arg)
{
	const struct want_persist *w = arg;
	struct vm *vm = by_name(h, w->name);

	if (w->persistent < 0)
		return vm == NULL;
	return vm != NULL && vm->persistent == (w->persistent == 1);
}

/* Persistence follows define and undefine done elsewhere: read after
 * their events, not on a timer. A transient guest started from the off
 * guest's definition under another name, defined, undefined, destroyed. */
static void
test_persistence_follows_events(void **state)
{
	struct host *h = open_host(200, false);
	char cmd[2048], name[256];
	char xml[] = "/tmp/vmtui-test-transient-XXXXXX";
	int fd = mkstemp(xml);
	struct want_persist transient, persistent, gone;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	snprintf(name, sizeof name, "%s-transient", off);
	transient = (struct want_persist){ name, 0 };
	persistent = (struct want_persist){ name, 1 };
	gone = (struct want_persist){ name, -1 };
	assert_true(wait_for(h, is_up, NULL, 30));
	snprintf(cmd, sizeof cmd,
	         "virsh -q -c '%s' dumpxml --inactive '%s' | grep -v '<uuid>' | "
	         "sed 's|<name>[^<]*</name>|<name>%s</name>|' > '%s' && "
	         "virsh -q -c '%s' create '%s' >/dev/null",
	         uri, off, name, xml, uri, xml);
	assert_int_equal(system(cmd), 0);
	assert_true(wait_for(h, persistence_is, &transient, 10));
	snprintf(cmd, sizeof cmd,
	         "virsh -q -c '%s' dumpxml '%s' > '%s' && virsh -q -c '%s' define '%s' >/dev/null",
	         uri, name, xml, uri, xml);
	assert_int_equal(system(cmd), 0);
	assert_true(wait_for(h, persistence_is, &persistent, 5));
	snprintf(cmd, sizeof cmd, "virsh -q -c '%s' undefine '%s' >/dev/null", uri, name);
	assert_int_equal(system(cmd), 0);
	assert_true(wait_for(h, persistence_is, &transient, 5));
	snprintf(cmd, sizeof cmd, "virsh -q -c '%s' destroy '%s' >/dev/null", uri, name);
	assert_int_equal(system(cmd), 0);
	assert_true(wait_for(h, persistence_is, &gone, 5));
	unlink(xml);
	host_free(h);
}

static bool
msg_contains(const char *needle, uint64_t after)
{
	size_t n = msglog_count(), i;
	struct msg m;
	bool found = false;

	for (i = 0; i < n && !found; i++) {
		if (!msglog_get(i, &m))
			break;
		found = m.seq > after && strstr(m.text, needle) != NULL;
		msg_clear(&m);
	}
	return found;
}

/* The message may come a moment after the state it reports (the event
 * can beat the action's own reply): poll for it. */
static bool
msg_wait(const char *needle, uint64_t after, double seconds)
{
	uint64_t end = host_now_ns() + (uint64_t)(seconds * 1e9);

	while (!msg_contains(needle, after)) {
		if (host_now_ns() > end)
			return false;
		usleep(50000);
	}
	return true;
}

static uint64_t
last_seq(void)
{
	struct msg m;
	uint64_t s = 0;

	if (msglog_get(0, &m)) {
		s = m.seq;
		msg_clear(&m);
	}
	return s;
}

static bool
autostart_is(struct host *h, const void *arg)
{
	struct vm *vm = by_name(h, off);

	return vm && vm->autostart == (arg != NULL);
}

/* Each action changes the guest, and reports success or libvirt's error. */
static void
test_actions(void **state)
{
	struct host *h = open_host(2000, false);
	struct want_state run = { off, VM_RUNNING }, shut = { off, VM_SHUTOFF },
	                  paused = { off, VM_PAUSED };
	char uuid[VM_UUID_LEN];
	uint64_t seq;

	(void)state;
	assert_true(wait_for(h, is_up, NULL, 30));
	assert_true(wait_for(h, has_state, &shut, 10));
	host_lock(h);
	snprintf(uuid, sizeof uuid, "%s", by_name(h, off)->uuid);
	host_unlock(h);

	seq = last_seq();
	host_action(h, uuid, ACT_START);
	assert_true(wait_for(h, has_state, &run, 15));
	assert_true(msg_wait("start: done", seq, 10));

	host_action(h, uuid, ACT_SUSPEND);
	assert_true(wait_for(h, has_state, &paused, 10));
	host_action(h, uuid, ACT_RESUME);
	assert_true(wait_for(h, has_state, &run, 10));

	seq = last_seq();
	host_action(h, uuid, ACT_START); /* already running: libvirt says why */
	assert_true(msg_wait("start failed", seq, 10));

	host_action(h, uuid, ACT_AUTOSTART_ON);
	assert_true(wait_for(h, autostart_is, "on", 10));
	host_action(h, uuid, ACT_AUTOSTART_OFF);
	assert_true(wait_for(h, autostart_is, NULL, 10));

	host_action(h, uuid, ACT_DESTROY);
	assert_true(wait_for(h, has_state, &shut, 10));
	host_free(h);
}

static bool
all_autostart(struct host *h, const void *arg)
{
	struct vm *a = by_name(h, busy), *b = by_name(h, idle), *c = by_name(h, off);

	return a && b && c && a->autostart == (arg != NULL) && b->autostart == (arg != NULL) &&
	       c->autostart == (arg != NULL);
}

/* Several autostart guests are all marked (the autostart list is searched
 * as a sorted list of UUIDs). */
static void
test_autostart_many(void **state)
{
	struct host *h;

	(void)state;
	virsh_do("autostart", busy);
	virsh_do("autostart", idle);
	virsh_do("autostart", off);
	h = open_host(1000, false);
	assert_true(wait_for(h, is_up, NULL, 30));
	assert_true(wait_for(h, all_autostart, "on", 10));
	virsh_do("autostart --disable", busy);
	virsh_do("autostart --disable", idle);
	virsh_do("autostart --disable", off);
	host_refresh_now(h);
	/* No event says so: the flags are re-read every 10 s. */
	if (!wait_for(h, all_autostart, NULL, 20)) {
		struct vm *a, *b, *c;
		host_lock(h);
		a = by_name(h, busy);
		b = by_name(h, idle);
		c = by_name(h, off);
		print_message("refreshes %llu; autostart %d %d %d\n", (unsigned long long)h->refreshes,
		              a ? a->autostart : -1, b ? b->autostart : -1, c ? c->autostart : -1);
		host_unlock(h);
		fail();
	}
	host_free(h);
}

/* A host that follows shutdown and reboot requests for wait_ms. */
static struct host *
open_host_wait(unsigned interval_ms, unsigned wait_ms)
{
	struct host_opts o = { .uri = uri, .interval_ms = interval_ms, .history = 120,
	                       .shutdown_wait_ms = wait_ms, .force_key = "F", .start_key = "S" };
	struct host *h = host_new(&o);

	host_start(h);
	return h;
}

/* The off guest running, its UUID in uuid. */
static void
off_running(struct host *h, char uuid[VM_UUID_LEN])
{
	struct want_state run = { off, VM_RUNNING };

	system("virsh -q -c \"$VMTUI_TEST_URI\" start \"$VMTUI_TEST_OFF\" >/dev/null 2>&1");
	assert_true(wait_for(h, is_up, NULL, 30));
	assert_true(wait_for(h, has_state, &run, 15));
	host_lock(h);
	snprintf(uuid, VM_UUID_LEN, "%s", by_name(h, off)->uuid);
	host_unlock(h);
}

/* The test guests ignore ACPI: a shutdown is only "requested", and when
 * the wait (3 s here) passes with the guest still running, that is said,
 * with the key that forces it off. Its stop, later, is told; a guest that
 * stops within the wait gets no warning. */
static void
test_shutdown_followed(void **state)
{
	struct host *h = open_host_wait(1000, 3000);
	struct want_state run = { off, VM_RUNNING }, shut = { off, VM_SHUTOFF };
	char uuid[VM_UUID_LEN], want[256];
	uint64_t seq, t0;

	(void)state;
	off_running(h, uuid);
	seq = last_seq();
	t0 = host_now_ns();
	host_action(h, uuid, ACT_SHUTDOWN);
	snprintf(want, sizeof want, "%s: shutdown requested", off);
	assert_true(msg_wait(want, seq, 10));
	assert_false(msg_contains("shutdown: done", seq));
	snprintf(want, sizeof want, "%s still runs ", off);
	assert_true(msg_wait(want, seq, 10));
	/* Not before the wait; soon after it (the worker refreshes then). */
	assert_true(host_now_ns() - t0 >= 3000000000ull);
	assert_true(host_now_ns() - t0 < 6000000000ull);
	assert_true(msg_contains(" s after the shutdown request (its OS may ignore ACPI): "
	                         "F forces it off", seq));
	assert_true(wait_for(h, has_state, &run, 1)); /* it does still run */
	virsh_do("destroy", off);
	snprintf(want, sizeof want, "%s shut off (after ", off);
	assert_true(msg_wait(want, seq, 10));

	/* Stopped within the wait: told, and no warning after it. */
	off_running(h, uuid);
	seq = last_seq();
	host_action(h, uuid, ACT_SHUTDOWN);
	snprintf(want, sizeof want, "%s: shutdown requested", off);
	assert_true(msg_wait(want, seq, 10));
	virsh_do("destroy", off);
	snprintf(want, sizeof want, "%s shut off (after ", off);
	assert_true(msg_wait(want, seq, 10));
	assert_true(wait_for(h, has_state, &shut, 5));
	sleep(4);
	assert_false(msg_contains("still runs", seq));
	host_free(h);
}

/* A reboot the guest ignores is said to have only been requested; the
 * reboot event libvirt sends for a reset makes it done. */
static void
test_reboot_followed(void **state)
{
	struct host *h = open_host_wait(1000, 3000);
	struct want_state shut = { off, VM_SHUTOFF };
	char uuid[VM_UUID_LEN], want[256];
	uint64_t seq;

	(void)state;
	off_running(h, uuid);
	seq = last_seq();
	host_action(h, uuid, ACT_REBOOT);
	snprintf(want, sizeof want, "%s: reboot requested", off);
	assert_true(msg_wait(want, seq, 10));
	snprintf(want, sizeof want, "%s has not rebooted ", off);
	assert_true(msg_wait(want, seq, 10));
	assert_true(msg_contains(" s after the reboot request, which was only passed on (its OS "
	                         "may ignore ACPI): F forces it off, then S starts it", seq));
	virsh_do("reset", off);
	snprintf(want, sizeof want, "%s rebooted (after ", off);
	assert_true(msg_wait(want, seq, 10));
	virsh_do("destroy", off);
	assert_true(wait_for(h, has_state, &shut, 10));
	host_free(h);
}

/* Read-only connections list guests but every action is refused by libvirt. */
static void
test_readonly(void **state)
{
	struct host *h = open_host(2000, true);
	struct want_state shut = { off, VM_SHUTOFF };
	char uuid[VM_UUID_LEN];
	uint64_t seq;

	(void)state;
	/* Start from a shut-off guest even if an earlier test stopped halfway. */
	system("virsh -q -c \"$VMTUI_TEST_URI\" destroy \"$VMTUI_TEST_OFF\" >/dev/null 2>&1");
	assert_true(wait_for(h, is_up, NULL, 30));
	assert_true(wait_for(h, has_state, &shut, 10));
	host_lock(h);
	snprintf(uuid, sizeof uuid, "%s", by_name(h, off)->uuid);
	host_unlock(h);
	seq = last_seq();
	host_action(h, uuid, ACT_START);
	assert_true(msg_wait("start failed", seq, 10));
	assert_true(wait_for(h, has_state, &shut, 1));
	host_free(h);
}

/* Daemon killed: the host shows disconnected, keeps its last data, and
 * comes back by itself when the daemon does. */
static void
test_daemon_restart(void **state)
{
	struct host *h = open_host(1000, false);
	struct want_state run = { busy, VM_RUNNING };
	size_t nvms;
	char cmd[512];

	(void)state;
	assert_true(wait_for(h, is_up, NULL, 30));
	assert_true(wait_for(h, has_state, &run, 10));
	host_lock(h);
	nvms = h->nvms;
	host_unlock(h);

	snprintf(cmd, sizeof cmd, "'%s' kill >/dev/null 2>&1", daemon_sh);
	assert_int_equal(system(cmd), 0);
	assert_true(wait_for(h, is_down, NULL, 20));
	host_lock(h);
	assert_int_equal(h->nvms, nvms); /* last data kept */
	assert_non_null(h->error);
	host_unlock(h);

	snprintf(cmd, sizeof cmd, "'%s' restart >/dev/null 2>&1", daemon_sh);
	assert_int_equal(system(cmd), 0);
	assert_true(wait_for(h, is_up, NULL, 60));
	assert_true(wait_for(h, has_state, &run, 10));
	host_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lists_guests),
		cmocka_unit_test(test_stats_move),
		cmocka_unit_test(test_local_node_stats_match_libvirt),
		cmocka_unit_test(test_node_once_a_second),
		cmocka_unit_test(test_events_update_at_once),
		cmocka_unit_test(test_identity_follows_uuid),
		cmocka_unit_test(test_persistence_follows_events),
		cmocka_unit_test(test_actions),
		cmocka_unit_test(test_shutdown_followed),
		cmocka_unit_test(test_reboot_followed),
		cmocka_unit_test(test_readonly),
		cmocka_unit_test(test_autostart_many),
		cmocka_unit_test(test_daemon_restart),
	};

	uri = getenv("VMTUI_TEST_URI");
	busy = getenv("VMTUI_TEST_BUSY");
	idle = getenv("VMTUI_TEST_IDLE");
	off = getenv("VMTUI_TEST_OFF");
	daemon_sh = getenv("VMTUI_DAEMON");
	if (!uri || !busy || !idle || !off || !daemon_sh) {
		fprintf(stderr, "test_host: run me through tests/integration/run.sh\n");
		return 1;
	}
	virSetErrorFunc(NULL, quiet);
	if (virInitialize() < 0 || notify_init() < 0 || eventloop_start() < 0)
		return 1;
	if (getenv("VMTUI_TEST_FILTER"))
		cmocka_set_test_filter(getenv("VMTUI_TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
