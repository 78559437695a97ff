/* cpumap.c — vCPU placement on the host's CPUs: read, rates, rows. */
#include "cpumap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvirt/virterror.h>

#include "../base/xmalloc.h"
#include "../stats/stats.h"

void
cpumap_sample_clear(struct cpumap_sample *s)
{
	size_t i;

	for (i = 0; i < s->nguests; i++)
		free(s->guests[i].name);
	free(s->guests);
	free(s->vcpus);
	free(s->error);
	memset(s, 0, sizeof *s);
}

/* The vCPU of prev that is v's (same guest UUID and number), or NULL. */
static const struct cpumap_vcpu *
prev_vcpu(const struct cpumap_sample *cur, const struct cpumap_vcpu *v,
          const struct cpumap_sample *prev)
{
	const char *uuid = cur->guests[v->guest].uuid;
	size_t i;

	for (i = 0; i < prev->nvcpus; i++) {
		const struct cpumap_vcpu *p = &prev->vcpus[i];
		if (p->vcpu == v->vcpu && strcmp(prev->guests[p->guest].uuid, uuid) == 0)
			return p;
	}
	return NULL;
}

void
cpumap_rates(struct cpumap_sample *cur, const struct cpumap_sample *prev)
{
	double dt = prev ? stats_dt(prev->taken_ns, cur->taken_ns) : 0;
	size_t i;

	for (i = 0; i < cur->nvcpus; i++) {
		struct cpumap_vcpu *v = &cur->vcpus[i];
		const struct cpumap_vcpu *p = dt > 0 ? prev_vcpu(cur, v, prev) : NULL;

		v->pct = p ? stats_cpu_pct(p->cpu_time_ns, v->cpu_time_ns, dt, 1) : STATS_UNKNOWN;
	}
}

/* Busiest first, then by guest and vCPU: the order of a row's list. */
static const struct cpumap_sample *order_of;

static int
cmp_busy(const void *a, const void *b)
{
	const struct cpumap_vcpu *x = *(const struct cpumap_vcpu *const *)a;
	const struct cpumap_vcpu *y = *(const struct cpumap_vcpu *const *)b;
	int c;

	if (x->pct != y->pct)
		return x->pct > y->pct ? -1 : 1;
	c = strcmp(order_of->guests[x->guest].name, order_of->guests[y->guest].name);
	if (c)
		return c;
	return x->vcpu < y->vcpu ? -1 : x->vcpu > y->vcpu;
}

/* The guest/vCPU list of one host CPU's vCPUs. */
static char *
row_guests(const struct cpumap_sample *s, const struct cpumap_vcpu **on, size_t n)
{
	char *out = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&out, &len);

	if (f == NULL)
		return xstrdup("");
	order_of = s;
	qsort(on, n, sizeof *on, cmp_busy);
	for (i = 0; i < n; i++)
		fprintf(f, "%s%s/%u", i ? " " : "", s->guests[on[i]->guest].name, on[i]->vcpu);
	fclose(f);
	return out ? out : xstrdup("");
}

struct cpumap_row *
cpumap_rows(const struct cpumap_sample *s, size_t *n)
{
	unsigned ncpu = s->host_cpus, c;
	const struct cpumap_vcpu **on;
	struct cpumap_row *rows;
	size_t i;

	for (i = 0; i < s->nvcpus; i++)
		if (s->vcpus[i].cpu >= 0 && (unsigned)s->vcpus[i].cpu >= ncpu)
			ncpu = (unsigned)s->vcpus[i].cpu + 1;
	rows = xcalloc(ncpu ? ncpu : 1, sizeof *rows);
	on = xcalloc(s->nvcpus ? s->nvcpus : 1, sizeof *on);
	for (c = 0; c < ncpu; c++) {
		struct cpumap_row *r = &rows[c];
		size_t k = 0;

		r->cpu = c;
		r->load = STATS_UNKNOWN;
		for (i = 0; i < s->nvcpus; i++) {
			const struct cpumap_vcpu *v = &s->vcpus[i];
			if (v->pinned_cpu == (int)c)
				r->npinned++;
			if (v->cpu != (int)c)
				continue;
			on[k++] = v;
			if (v->pct >= 0)
				r->load = r->load < 0 ? v->pct : r->load + v->pct;
		}
		r->nvcpus = (unsigned)k;
		r->guests = row_guests(s, on, k);
	}
	free(on);
	*n = ncpu;
	return rows;
}

void
cpumap_rows_free(struct cpumap_row *r, size_t n)
{
	size_t i;

	for (i = 0; r && i < n; i++)
		free(r[i].guests);
	free(r);
}

/* ---- the worker's read ---- */

/* Room for the vCPUs of a guest whose count the stats did not give (a
 * new guest, a driver without vcpu.current): libvirt fills what exists. */
#define CPUMAP_VCPUS_UNKNOWN 256

/* The largest vCPU count the table knows of uuid's guest (its maximum,
 * so a hot-plugged vCPU is not missed); with the lock held. */
static unsigned
vcpus_of(struct host *h, const char *uuid)
{
	struct vm *vm = host_find_vm(h, uuid);
	unsigned n = vm ? (vm->vcpus_max > vm->vcpus_cur ? vm->vcpus_max : vm->vcpus_cur) : 0;

	return n ? n : CPUMAP_VCPUS_UNKNOWN;
}

/* One guest's vCPUs into out (the guest is the last one added). */
static void
read_guest(virDomainPtr dom, unsigned maxinfo, unsigned ncpu, struct cpumap_sample *out)
{
	int maplen = VIR_CPU_MAPLEN(ncpu), got, i;
	virVcpuInfoPtr info = xcalloc(maxinfo, sizeof *info);
	unsigned char *maps = xcalloc(maxinfo, (size_t)maplen);

	got = -1;
	if (!out->no_affinity) {
		got = virDomainGetVcpus(dom, info, (int)maxinfo, maps, maplen);
		out->calls++;
	}
	/* A read-only connection may not read affinity: placement without it,
	 * for this guest and (not asking again) the rest. */
	if (got < 0) {
		got = virDomainGetVcpus(dom, info, (int)maxinfo, NULL, 0);
		out->calls++;
		if (got >= 0)
			out->no_affinity = true;
	}
	if (got > 0)
		out->vcpus = xreallocarray(out->vcpus, out->nvcpus + (size_t)got, sizeof *out->vcpus);
	for (i = 0; i < got; i++) {
		struct cpumap_vcpu *v = &out->vcpus[out->nvcpus++];
		unsigned c;

		memset(v, 0, sizeof *v);
		v->guest = out->nguests - 1;
		v->vcpu = info[i].number;
		v->cpu = info[i].cpu;
		v->running = info[i].state == VIR_VCPU_RUNNING;
		v->cpu_time_ns = info[i].cpuTime;
		v->pinned_cpu = -1;
		v->pct = STATS_UNKNOWN;
		for (c = 0; c < ncpu && !out->no_affinity; c++)
			if (VIR_CPU_USABLE(maps, maplen, i, c)) {
				v->npinned++;
				v->pinned_cpu = (int)c;
			}
		if (v->npinned != 1)
			v->pinned_cpu = -1;
	}
	free(info);
	free(maps);
}

void
cpumap_read(struct host *h, virConnectPtr conn, struct cpumap_sample *out)
{
	virDomainPtr *doms = NULL;
	unsigned *maxinfo;
	uint64_t t0 = host_now_ns();
	int n, i;

	memset(out, 0, sizeof *out);
	n = virConnectListAllDomains(conn, &doms, VIR_CONNECT_LIST_DOMAINS_ACTIVE);
	out->calls = 1;
	if (n < 0) {
		const char *m = virGetLastErrorMessage();
		out->error = xasprintf("cannot list the running guests: %s", m ? m : "unknown error");
		return;
	}
	out->guests = xcalloc(n ? (size_t)n : 1, sizeof *out->guests);
	maxinfo = xcalloc(n ? (size_t)n : 1, sizeof *maxinfo);
	for (i = 0; i < n; i++)
		virDomainGetUUIDString(doms[i], out->guests[i].uuid);
	/* What the bulk stats said: the vCPUs each may have, the host's CPUs. */
	host_lock(h);
	out->host_cpus = h->cpus;
	for (i = 0; i < n; i++)
		maxinfo[i] = vcpus_of(h, out->guests[i].uuid);
	host_unlock(h);
	if (out->host_cpus == 0)
		out->host_cpus = 1;
	for (i = 0; i < n; i++) {
		const char *name = virDomainGetName(doms[i]);

		out->guests[i].name = xstrdup(name ? name : "?");
		out->nguests = (size_t)i + 1;
		read_guest(doms[i], maxinfo[i], out->host_cpus, out);
		virDomainFree(doms[i]);
	}
	free(maxinfo);
	free(doms);
	out->taken_ns = host_now_ns();
	out->cost_ns = out->taken_ns - t0;
}

/* ---- the job ---- */

static void
job_read(struct host *h, virConnectPtr conn, void *arg)
{
	struct cpumap_job *j = arg;
	struct cpumap_sample s;

	if (conn == NULL) {
		memset(&s, 0, sizeof s);
		s.error = host_not_connected(h);
	} else {
		cpumap_read(h, conn, &s);
	}
	host_lock(h);
	cpumap_sample_clear(&j->prev);
	j->prev = j->cur;
	j->cur = s;
	cpumap_rates(&j->cur, &j->prev);
	j->busy = false;
	j->reads++;
	host_publish_unlock(h);
	cpumap_job_release(j);
}

struct cpumap_job *
cpumap_job_new(struct host *h)
{
	struct cpumap_job *j = xcalloc(1, sizeof *j);

	j->host = h;
	j->refs = 1;
	cpumap_job_poll(j);
	return j;
}

void
cpumap_job_poll(struct cpumap_job *j)
{
	struct host *h = j->host;

	host_lock(h);
	if (j->busy || (j->reads > 0 && j->asked_refresh == h->refreshes)) {
		host_unlock(h);
		return;
	}
	j->busy = true;
	j->asked_refresh = h->refreshes;
	j->refs++;
	host_unlock(h);
	host_call(h, job_read, j);
}

void
cpumap_job_release(struct cpumap_job *j)
{
	if (j == NULL || !host_unref(j->host, &j->refs))
		return;
	cpumap_sample_clear(&j->cur);
	cpumap_sample_clear(&j->prev);
	free(j);
}
