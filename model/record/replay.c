/* replay.c — play a recording into replay hosts at the recorded pace.
 *
 * The player thread is a replay host's one writer, as a worker is a live
 * host's (the rule in host.h): it writes under the host's lock, through
 * replay_apply, and publishes with host_publish_unlock. */
#include "replay.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../base/xmalloc.h"
#include "../stats/stats.h"

/* A pause longer than this in the recording (vmtui was not running, or
 * sessions were appended) plays as this many recorded seconds. */
#define MAX_GAP_S 10.0

struct replay {
	pthread_mutex_t lock;
	pthread_cond_t cond;  /* CLOCK_MONOTONIC */
	pthread_t thread;
	bool started, quit, paused;
	double speed;
	struct rec_sample *samples;
	size_t n, next;
	struct host **hosts;  /* one per sample, parallel to samples */
	double base_t;        /* recorded time shown at base_ns */
	uint64_t base_ns;
	double shown_t;       /* time of the newest sample applied */
};

/* ---- applying one sample ---- */

static uint64_t
bytes_to_kib(double b)
{
	return b < 0 ? 0 : (uint64_t)(b / 1024.0);
}

static void
push_known(struct ring *r, double v)
{
	if (v >= 0)
		ring_push(r, v);
}

/* Rebuild a device list from the recorded one, keeping the history of
 * devices seen before. */
static void
apply_devs(struct vm_dev **devsp, size_t *np, const struct rec_dev *rd, size_t nr,
           size_t history)
{
	struct vm_dev *old = *devsp, *devs = xcalloc(nr ? nr : 1, sizeof *devs);
	size_t i, j, nold = *np;

	for (i = 0; i < nr; i++) {
		struct vm_dev *d = &devs[i];
		for (j = 0; j < nold; j++)
			if (old[j].name && strcmp(old[j].name, rd[i].name) == 0)
				break;
		if (j < nold) {
			*d = old[j];
			memset(&old[j], 0, sizeof old[j]);
			free(d->path);
		} else {
			d->name = xstrdup(rd[i].name);
		}
		d->path = rd[i].path ? xstrdup(rd[i].path) : NULL;
		d->rd_rate = rd[i].rd;
		d->wr_rate = rd[i].wr;
		d->rd_ops_rate = d->wr_ops_rate = STATS_UNKNOWN;
		d->capacity = rd[i].capacity < 0 ? 0 : (uint64_t)rd[i].capacity;
		d->allocation = rd[i].allocation < 0 ? 0 : (uint64_t)rd[i].allocation;
	}
	for (j = 0; j < nold; j++) {
		free(old[j].name);
		free(old[j].path);
	}
	free(old);
	*devsp = devs;
	*np = nr;
}

static void
apply_vm(struct vm *vm, const struct rec_vm *r, size_t history, uint64_t now_ns)
{
	bool active = vm_state_active(r->state);

	if (strcmp(vm->name, r->name) != 0) {
		free(vm->name);
		vm->name = xstrdup(r->name);
	}
	vm->known = true;
	vm->state = r->state;
	vm->id = r->id;
	vm->vcpus_cur = r->vcpus;
	vm->vcpus_max = r->vcpus_max;
	vm->mem_cur_kib = bytes_to_kib(r->mem_alloc);
	vm->mem_max_kib = bytes_to_kib(r->mem_max);
	vm->mem_used_kib = bytes_to_kib(r->mem_used);
	vm->mem_from_guest = r->mem_from_guest;
	vm->autostart = r->autostart;
	vm->persistent = r->persistent;
	vm->cpu_pct = r->cpu_pct;
	vm->rd_rate = r->rd;
	vm->wr_rate = r->wr;
	vm->rd_ops_rate = r->rd_ops;
	vm->wr_ops_rate = r->wr_ops;
	vm->rx_rate = r->rx;
	vm->tx_rate = r->tx;
	vm->wait_pct = r->wait_pct; /* -1 in recordings made before WAIT% */
	/* Uptime counts on from the recorded figure, however long it is next
	 * to this machine's own. */
	vm->started_ns = vm_start_from_uptime(r->uptime, now_ns);
	vm->since_exact = !r->uptime_lower_bound;
	vm->sampled_ns = now_ns;
	push_known(&vm->cpu_hist, r->cpu_pct);
	if (active)
		push_known(&vm->mem_hist, r->mem_used);
	push_known(&vm->rd_hist, r->rd);
	push_known(&vm->wr_hist, r->wr);
	push_known(&vm->rx_hist, r->rx);
	push_known(&vm->tx_hist, r->tx);
	push_known(&vm->wait_hist, r->wait_pct);
	apply_devs(&vm->disks, &vm->ndisks, r->disks, r->ndisks, history);
	apply_devs(&vm->nics, &vm->nnics, r->nics, r->nnics, history);
}

static int
cmp_vmp(const void *a, const void *b)
{
	return strcmp((*(struct vm *const *)a)->uuid, (*(struct vm *const *)b)->uuid);
}

void
replay_apply(struct host *h, const struct rec_sample *s, uint64_t now_ns)
{
	struct vm **out;
	size_t i, k = 0;
	bool joined_or_left = false;

	host_assert_locked(h);
	if (!h->replay)
		abort(); /* a live host's one writer is its worker */
	out = xcalloc(s->nvms ? s->nvms : 1, sizeof *out);

	for (i = 0; i < s->nvms; i++) {
		struct vm *vm = host_find_vm(h, s->vms[i].uuid);
		size_t j;
		for (j = 0; j < k; j++) /* the same UUID twice in a line: the first counts */
			if (strcmp(out[j]->uuid, s->vms[i].uuid) == 0)
				break;
		if (j < k)
			continue;
		if (vm == NULL) {
			vm = vm_new(s->vms[i].uuid, s->vms[i].name, h->history);
			joined_or_left = true;
		} else
			vm->seen = true; /* taken over: not freed below */
		apply_vm(vm, &s->vms[i], h->history, now_ns);
		out[k++] = vm;
	}
	for (i = 0; i < h->nvms; i++) {
		if (!h->vms[i]->seen) {
			vm_free(h->vms[i]);
			joined_or_left = true;
		} else {
			h->vms[i]->seen = false;
		}
	}
	free(h->vms);
	qsort(out, k, sizeof *out, cmp_vmp);
	h->vms = out;
	h->nvms = k;
	if (joined_or_left)
		h->vms_gen++;

	h->state = HOST_UP;
	host_set_uri(h, s->uri);
	h->cpus = s->cpus;
	h->mem_total_kib = bytes_to_kib(s->mem_total);
	h->mem_free_kib = s->mem_free < 0 ? HOST_MEM_UNKNOWN : bytes_to_kib(s->mem_free);
	h->cpu_pct = s->cpu_pct;
	push_known(&h->cpu_hist, s->cpu_pct);
	if (s->mem_total > 0 && s->mem_free >= 0)
		ring_push(&h->mem_hist, s->mem_total - (s->mem_free < s->mem_total ? s->mem_free :
		                                        s->mem_total));
	h->refreshes++;
	h->sampled_ns = now_ns;
	h->sampled_epoch = s->t;
}

/* ---- the player ---- */

struct replay *
replay_new(struct recording *rec, double speed, size_t history, struct host ***hostsp,
           size_t *nhostsp)
{
	struct replay *rp = xcalloc(1, sizeof *rp);
	struct host **hosts = NULL;
	size_t nhosts = 0, i, j;
	pthread_condattr_t ca;

	pthread_mutex_init(&rp->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&rp->cond, &ca);
	pthread_condattr_destroy(&ca);
	rp->speed = speed > 0 ? speed : 1;
	rp->samples = rec->samples;
	rp->n = rec->n;
	rec->samples = NULL;
	rec->n = 0;
	rp->hosts = xcalloc(rp->n ? rp->n : 1, sizeof *rp->hosts);
	for (i = 0; i < rp->n; i++) {
		for (j = 0; j < nhosts; j++)
			if (strcmp(hosts[j]->name, rp->samples[i].host) == 0)
				break;
		if (j == nhosts) {
			struct host_opts o = { .name = rp->samples[i].host, .history = history,
			                       .replay = true, .readonly = true };
			hosts = xreallocarray(hosts, nhosts + 1, sizeof *hosts);
			hosts[nhosts] = host_new(&o);
			nhosts++;
		}
		rp->hosts[i] = hosts[j];
	}
	if (rp->n)
		rp->shown_t = rp->samples[0].t;
	*hostsp = hosts;
	*nhostsp = nhosts;
	return rp;
}

/* The recorded time the clock has reached (lock held). */
static double
virtual_now(const struct replay *rp, uint64_t now)
{
	if (rp->paused)
		return rp->base_t;
	return rp->base_t + (double)(now - rp->base_ns) / 1e9 * rp->speed;
}

static void
rebase(struct replay *rp, double t)
{
	rp->base_t = t;
	rp->base_ns = host_now_ns();
}

static void
wait_ns(struct replay *rp, uint64_t deadline)
{
	struct timespec ts = { .tv_sec = (time_t)(deadline / 1000000000ull),
	                       .tv_nsec = (long)(deadline % 1000000000ull) };

	pthread_cond_timedwait(&rp->cond, &rp->lock, &ts);
}

static void *
player(void *arg)
{
	struct replay *rp = arg;

	pthread_mutex_lock(&rp->lock);
	rebase(rp, rp->n ? rp->samples[0].t : 0);
	while (!rp->quit) {
		const struct rec_sample *s;
		uint64_t now = host_now_ns();
		double v;

		if (rp->next >= rp->n || rp->paused) {
			pthread_cond_wait(&rp->cond, &rp->lock);
			continue;
		}
		s = &rp->samples[rp->next];
		v = virtual_now(rp, now);
		if (s->t - v > MAX_GAP_S) {
			rebase(rp, s->t - MAX_GAP_S);
			v = rp->base_t;
		}
		if (s->t > v) {
			wait_ns(rp, now + (uint64_t)((s->t - v) / rp->speed * 1e9) + 1);
			continue;
		}
		rp->next++;
		if (s->t > rp->shown_t || rp->next == 1)
			rp->shown_t = s->t;
		/* Never hold our lock while taking a host's: the UI takes them the
		 * other way round. */
		pthread_mutex_unlock(&rp->lock);
		host_lock(rp->hosts[s - rp->samples]);
		replay_apply(rp->hosts[s - rp->samples], s, now);
		host_publish_unlock(rp->hosts[s - rp->samples]);
		pthread_mutex_lock(&rp->lock);
	}
	pthread_mutex_unlock(&rp->lock);
	return NULL;
}

void
replay_start(struct replay *rp)
{
	if (pthread_create(&rp->thread, NULL, player, rp) == 0)
		rp->started = true;
}

void
replay_stop(struct replay *rp)
{
	if (rp == NULL || !rp->started)
		return;
	pthread_mutex_lock(&rp->lock);
	rp->quit = true;
	pthread_cond_signal(&rp->cond);
	pthread_mutex_unlock(&rp->lock);
	pthread_join(rp->thread, NULL);
	rp->started = false;
}

void
replay_free(struct replay *rp)
{
	size_t i;

	if (rp == NULL)
		return;
	replay_stop(rp);
	for (i = 0; i < rp->n; i++)
		rec_sample_clear(&rp->samples[i]);
	free(rp->samples);
	free(rp->hosts);
	pthread_cond_destroy(&rp->cond);
	pthread_mutex_destroy(&rp->lock);
	free(rp);
}

void
replay_toggle_pause(struct replay *rp)
{
	uint64_t now = host_now_ns();

	pthread_mutex_lock(&rp->lock);
	rebase(rp, virtual_now(rp, now));
	rp->paused = !rp->paused;
	pthread_cond_signal(&rp->cond);
	pthread_mutex_unlock(&rp->lock);
}

double
replay_speed_by(struct replay *rp, double factor)
{
	double s;
	uint64_t now = host_now_ns();

	pthread_mutex_lock(&rp->lock);
	rebase(rp, virtual_now(rp, now));
	rp->speed *= factor;
	if (rp->speed < 1.0 / 16)
		rp->speed = 1.0 / 16;
	if (rp->speed > 1024)
		rp->speed = 1024;
	s = rp->speed;
	pthread_cond_signal(&rp->cond);
	pthread_mutex_unlock(&rp->lock);
	return s;
}

void
replay_describe(struct replay *rp, char *buf, size_t n)
{
	char when[32];
	time_t secs;
	struct tm tm;

	pthread_mutex_lock(&rp->lock);
	secs = (time_t)rp->shown_t;
	gmtime_r(&secs, &tm);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M:%SZ", &tm);
	snprintf(buf, n, "REPLAY %s x%g%s", when, rp->speed,
	         rp->paused ? " paused" : (rp->next >= rp->n ? " end" : ""));
	pthread_mutex_unlock(&rp->lock);
}
