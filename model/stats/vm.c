/* vm.c — merging samples into a guest's running figures and history. */
#include "vm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/xmalloc.h"
#include "stats.h"

static const char *const state_names[VM_STATE_COUNT] = {
	[VM_NOSTATE] = "nostate",
	[VM_RUNNING] = "running",
	[VM_BLOCKED] = "blocked",
	[VM_PAUSED] = "paused",
	[VM_SHUTDOWN] = "stopping",
	[VM_SHUTOFF] = "shut off",
	[VM_CRASHED] = "crashed",
	[VM_PMSUSPENDED] = "pmsusp",
};

const char *
vm_state_name(enum vm_state s)
{
	if ((unsigned)s >= VM_STATE_COUNT)
		return "?";
	return state_names[s];
}

const char *
vm_wait_src_name(enum vm_wait_src s)
{
	switch (s) {
	case VM_WAIT_DELAY:
		return "delay";
	case VM_WAIT_SCHED:
		return "wait";
	default:
		return "none";
	}
}

bool
vm_state_active(enum vm_state s)
{
	return s == VM_RUNNING || s == VM_BLOCKED || s == VM_PAUSED ||
	       s == VM_SHUTDOWN || s == VM_PMSUSPENDED;
}

void
vm_sample_clear(struct vm_sample *s)
{
	free(s->disks);
	free(s->nics);
	free(s->text);
	memset(s, 0, sizeof *s);
}

/* A guest's seven histories are pushed together on every refresh: kept
 * side by side (ring.h). */
#define VM_RINGS(vm) { &(vm)->cpu_hist, &(vm)->mem_hist, &(vm)->rd_hist, \
                       &(vm)->wr_hist, &(vm)->rx_hist, &(vm)->tx_hist, \
                       &(vm)->wait_hist }

static void
rings_init(struct vm *vm, size_t history)
{
	struct ring *const rings[] = VM_RINGS(vm);

	ring_group_init(rings, sizeof rings / sizeof rings[0], history);
}

struct vm *
vm_new(const char *uuid, const char *name, size_t history)
{
	struct vm *vm = xcalloc(1, sizeof *vm);

	snprintf(vm->uuid, sizeof vm->uuid, "%s", uuid);
	vm->name = xstrdup(name);
	vm->id = -1;
	vm->started_ns = VM_START_UNKNOWN;
	vm->cpu_pct = STATS_UNKNOWN;
	vm->rd_rate = vm->wr_rate = vm->rx_rate = vm->tx_rate = STATS_UNKNOWN;
	vm->rd_ops_rate = vm->wr_ops_rate = STATS_UNKNOWN;
	vm->wait_pct = STATS_UNKNOWN;
	vm->vcpus_halted = -1;
	rings_init(vm, history);
	return vm;
}

static void
devs_free(struct vm_dev *d, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(d[i].name);
		free(d[i].path);
	}
	free(d);
}

void
vm_free(struct vm *vm)
{
	if (vm == NULL)
		return;
	free(vm->name);
	ring_free(&vm->cpu_hist);
	ring_free(&vm->mem_hist);
	ring_free(&vm->rd_hist);
	ring_free(&vm->wr_hist);
	ring_free(&vm->rx_hist);
	ring_free(&vm->tx_hist);
	ring_free(&vm->wait_hist);
	devs_free(vm->disks, vm->ndisks);
	devs_free(vm->nics, vm->nnics);
	vm_set_meta(vm, NULL, 0, NULL);
	free(vm);
}

bool
vm_has_tag(const struct vm *vm, const char *t)
{
	size_t i;

	for (i = 0; i < vm->ntags; i++)
		if (strcmp(vm->tags[i], t) == 0)
			return true;
	return false;
}

static int
tag_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
vm_set_meta(struct vm *vm, char *const *tags, size_t ntags, const char *note)
{
	size_t i, n = 0;
	char **t = ntags > 0 ? xcalloc(ntags, sizeof *t) : NULL;

	for (i = 0; i < ntags; i++)
		t[i] = xstrdup(tags[i]);
	if (ntags > 1)
		qsort(t, ntags, sizeof *t, tag_cmp);
	for (i = 0; i < ntags; i++) {
		if (n > 0 && strcmp(t[n - 1], t[i]) == 0) {
			free(t[i]);
			continue;
		}
		t[n++] = t[i];
	}
	for (i = 0; i < vm->ntags; i++)
		free(vm->tags[i]);
	free(vm->tags);
	vm->tags = t;
	vm->ntags = n;
	free(vm->note);
	vm->note = note != NULL && note[0] != '\0' ? xstrdup(note) : NULL;
}

static struct vm_dev *
dev_find(struct vm_dev *devs, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++) /* claimed entries have a NULL name */
		if (devs[i].name != NULL && strcmp(devs[i].name, name) == 0)
			return &devs[i];
	return NULL;
}

/* Known rates add up; an unknown one makes the sum unknown only if all are. */
static double
rate_add(double sum, double r)
{
	if (r < 0)
		return sum;
	return sum < 0 ? r : sum + r;
}

/* Take the sample's figures into d, whose counters are the previous
 * sample's (or none, for a new device), and work out the rates. */
static void
dev_update(struct vm_dev *d, const struct dev_sample *s, bool had, double dt)
{
	/* A rate needs the counter in both samples: a bulk call that skipped
	 * a busy domain's devices (NOWAIT) leaves it out. */
	if (had) {
		d->rd_rate = s->have_rd && d->have_rd ? stats_rate(d->rd, s->rd, dt) : STATS_UNKNOWN;
		d->wr_rate = s->have_wr && d->have_wr ? stats_rate(d->wr, s->wr, dt) : STATS_UNKNOWN;
		d->rd_ops_rate = s->have_rd_ops && d->have_rd_ops
		                 ? stats_rate(d->rd_ops, s->rd_ops, dt) : STATS_UNKNOWN;
		d->wr_ops_rate = s->have_wr_ops && d->have_wr_ops
		                 ? stats_rate(d->wr_ops, s->wr_ops, dt) : STATS_UNKNOWN;
	} else {
		d->rd_rate = d->wr_rate = STATS_UNKNOWN;
		d->rd_ops_rate = d->wr_ops_rate = STATS_UNKNOWN;
	}
	/* The path changes with removable media only: keep the copy. */
	if (s->path == NULL || d->path == NULL || strcmp(s->path, d->path) != 0) {
		free(d->path);
		d->path = s->path ? xstrdup(s->path) : NULL;
	}
	d->rd = s->rd;
	d->wr = s->wr;
	d->rd_ops = s->rd_ops;
	d->wr_ops = s->wr_ops;
	d->have_rd = s->have_rd;
	d->have_wr = s->have_wr;
	d->have_rd_ops = s->have_rd_ops;
	d->have_wr_ops = s->have_wr_ops;
	d->capacity = s->capacity;
	d->allocation = s->allocation;
}

/* Are the devices those of the sample, in its order? */
static bool
devs_same(const struct vm_dev *devs, size_t n, const struct dev_sample *s, size_t ns)
{
	size_t i;

	if (n != ns)
		return false;
	for (i = 0; i < n; i++)
		if (strcmp(devs[i].name, s[i].name) != 0)
			return false;
	return true;
}

/* Sum the device rates into sums[4]: bytes read, written, then requests
 * read, written (NICs: rx, tx, packets). */
static void
devs_sum(const struct vm_dev *devs, size_t n, double *sums)
{
	size_t i;

	sums[0] = sums[1] = sums[2] = sums[3] = STATS_UNKNOWN;
	for (i = 0; i < n; i++) {
		sums[0] = rate_add(sums[0], devs[i].rd_rate);
		sums[1] = rate_add(sums[1], devs[i].wr_rate);
		sums[2] = rate_add(sums[2], devs[i].rd_ops_rate);
		sums[3] = rate_add(sums[3], devs[i].wr_ops_rate);
	}
}

/* Rebuild the device list from a sample, carrying counters of devices that
 * were there before so their rates continue, and sum the rates (devs_sum).
 * The usual case, the same devices as last time, updates them in place. */
static void
devs_merge(struct vm_dev **devsp, size_t *np, const struct dev_sample *s,
           size_t ns, double dt, double *sums)
{
	struct vm_dev *old = *devsp, *devs;
	size_t i, nold = *np;

	if (devs_same(old, nold, s, ns)) {
		for (i = 0; i < ns; i++)
			dev_update(&old[i], &s[i], true, dt);
		devs_sum(old, ns, sums);
		return;
	}
	devs = xcalloc(ns ? ns : 1, sizeof *devs);
	for (i = 0; i < ns; i++) {
		struct vm_dev *d = &devs[i];
		struct vm_dev *prev = dev_find(old, nold, s[i].name);

		if (prev != NULL) {
			*d = *prev;
			prev->name = NULL;
			prev->path = NULL;
		} else {
			d->name = xstrdup(s[i].name);
		}
		dev_update(d, &s[i], prev != NULL, dt);
	}
	for (i = 0; i < nold; i++) {
		if (old[i].name == NULL)
			continue;
		free(old[i].name);
		free(old[i].path);
	}
	free(old);
	*devsp = devs;
	*np = ns;
	devs_sum(devs, ns, sums);
}

void
vm_set_state(struct vm *vm, enum vm_state st, int reason, uint64_t now_ns)
{
	bool was = vm_state_active(vm->state), is = vm_state_active(st);

	if (!was && is) {
		vm->started_ns = vm_start_from_uptime(0, now_ns);
		vm->since_exact = true;
		vm->balloon_period_set = false;
	} else if (was && !is) {
		vm->started_ns = VM_START_UNKNOWN;
		vm->cpu_pct = STATS_UNKNOWN;
		vm->rd_rate = vm->wr_rate = vm->rx_rate = vm->tx_rate = STATS_UNKNOWN;
		vm->rd_ops_rate = vm->wr_ops_rate = STATS_UNKNOWN;
		vm->wait_pct = STATS_UNKNOWN;
		vm->wait_src = VM_WAIT_NONE;
		vm->vcpus_halted = -1;
		vm->sampled_ns = 0;
	}
	vm->state = st;
	vm->reason = reason;
}

/* WAIT% from the sample's vCPU delay (else wait) counters: a rate needs
 * the same source in both samples. */
static void
wait_merge(struct vm *vm, const struct vm_sample *s, double dt)
{
	enum vm_wait_src src = s->vcpus_delay ? VM_WAIT_DELAY :
	                       s->vcpus_wait ? VM_WAIT_SCHED : VM_WAIT_NONE;
	uint64_t ns = src == VM_WAIT_DELAY ? s->vcpu_delay_ns : s->vcpu_wait_ns;
	unsigned n = src == VM_WAIT_DELAY ? s->vcpus_delay : s->vcpus_wait;

	if (dt > 0 && src != VM_WAIT_NONE && src == vm->wait_src)
		vm->wait_pct = stats_wait_pct(vm->wait_ns, ns, dt, n);
	else
		vm->wait_pct = STATS_UNKNOWN;
	vm->wait_src = src;
	vm->wait_ns = ns;
	vm->vcpus_halted = s->have_halted ? (int)s->vcpus_halted : -1;
	if (vm->wait_pct >= 0)
		ring_push(&vm->wait_hist, vm->wait_pct);
}

void
vm_merge(struct vm *vm, const struct vm_sample *s, uint64_t now_ns)
{
	double dt = stats_dt(vm->sampled_ns, now_ns);
	bool active = vm_state_active(s->state);
	double sums[4]; /* rd, wr, rd ops, wr ops (rx, tx for NICs) */

	if (strcmp(vm->name, s->name) != 0) {
		free(vm->name);
		vm->name = xstrdup(s->name);
	}
	if (!vm->known) {
		/* First sight: a running guest started before we looked, so its
		 * uptime counts from now and is marked inexact. */
		vm->state = s->state;
		vm->reason = s->reason;
		vm->started_ns = active ? vm_start_from_uptime(0, now_ns) : VM_START_UNKNOWN;
		vm->since_exact = false;
		vm->known = true;
	}
	vm_set_state(vm, s->state, s->reason, now_ns);
	vm->id = s->id;
	if (s->vcpus_max)
		vm->vcpus_max = s->vcpus_max;
	if (s->vcpus_cur)
		vm->vcpus_cur = s->vcpus_cur;
	if (s->have_balloon_cur)
		vm->mem_cur_kib = s->mem_cur_kib;
	if (s->have_balloon_max)
		vm->mem_max_kib = s->mem_max_kib;

	if (!active) {
		vm->mem_used_kib = 0;
		vm->mem_from_guest = false;
		vm->cpu_pct = STATS_UNKNOWN;
		devs_merge(&vm->disks, &vm->ndisks, s->disks, s->ndisks, 0, sums);
		devs_merge(&vm->nics, &vm->nnics, s->nics, s->nnics, 0, sums);
		vm->rd_rate = vm->wr_rate = vm->rx_rate = vm->tx_rate = STATS_UNKNOWN;
		vm->rd_ops_rate = vm->wr_ops_rate = STATS_UNKNOWN;
		vm->wait_pct = STATS_UNKNOWN;
		vm->wait_src = VM_WAIT_NONE;
		vm->vcpus_halted = -1;
		vm->sampled_ns = 0;
		return;
	}
	wait_merge(vm, s, dt);

	if (s->have_cpu) {
		vm->cpu_pct = dt > 0 ? stats_cpu_pct(vm->cpu_time_ns, s->cpu_time_ns, dt,
		                                     vm->vcpus_cur ? vm->vcpus_cur : 1)
		                     : STATS_UNKNOWN;
		vm->cpu_time_ns = s->cpu_time_ns;
		if (vm->cpu_pct >= 0)
			ring_push(&vm->cpu_hist, vm->cpu_pct);
	}
	vm->mem_from_guest = s->have_avail && (s->have_usable || s->have_unused);
	vm->mem_used_kib = stats_mem_used(s->have_avail, s->mem_avail_kib,
	                                  s->have_unused, s->mem_unused_kib,
	                                  s->have_usable, s->mem_usable_kib,
	                                  vm->mem_cur_kib);
	ring_push(&vm->mem_hist, (double)vm->mem_used_kib * 1024.0);

	devs_merge(&vm->disks, &vm->ndisks, s->disks, s->ndisks, dt, sums);
	vm->rd_rate = sums[0];
	vm->wr_rate = sums[1];
	vm->rd_ops_rate = sums[2];
	vm->wr_ops_rate = sums[3];
	devs_merge(&vm->nics, &vm->nnics, s->nics, s->nnics, dt, sums);
	vm->rx_rate = sums[0];
	vm->tx_rate = sums[1];
	if (vm->rd_rate >= 0)
		ring_push(&vm->rd_hist, vm->rd_rate);
	if (vm->wr_rate >= 0)
		ring_push(&vm->wr_hist, vm->wr_rate);
	if (vm->rx_rate >= 0)
		ring_push(&vm->rx_hist, vm->rx_rate);
	if (vm->tx_rate >= 0)
		ring_push(&vm->tx_hist, vm->tx_rate);
	vm->sampled_ns = now_ns;
}

double
vm_uptime(const struct vm *vm, uint64_t now_ns)
{
	if (!vm_state_active(vm->state) || vm->started_ns == VM_START_UNKNOWN ||
	    now_ns > INT64_MAX || (int64_t)now_ns < vm->started_ns)
		return -1;
	/* now >= start, so the difference fits and wraps back exactly. */
	return (double)(now_ns - (uint64_t)vm->started_ns) / 1e9;
}

/* Longest uptime held: now_ns minus it stays above INT64_MIN. */
#define UPTIME_MAX_S 9.2e9

int64_t
vm_start_from_uptime(double uptime_s, uint64_t now_ns)
{
	if (!(uptime_s >= 0 && uptime_s < UPTIME_MAX_S) || now_ns > INT64_MAX)
		return VM_START_UNKNOWN;
	return (int64_t)now_ns - (int64_t)(uptime_s * 1e9);
}

void
vm_set_history(struct vm *vm, size_t history)
{
	struct ring *const rings[] = VM_RINGS(vm);

	ring_group_resize(rings, sizeof rings / sizeof rings[0], history);
}
