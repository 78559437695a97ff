/* domstats.c — parse the typed parameters of a bulk domain stats record. */
#include "domstats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

enum vm_state
domstats_state(int st)
{
	switch (st) {
	case VIR_DOMAIN_RUNNING:
		return VM_RUNNING;
	case VIR_DOMAIN_BLOCKED:
		return VM_BLOCKED;
	case VIR_DOMAIN_PAUSED:
		return VM_PAUSED;
	case VIR_DOMAIN_SHUTDOWN:
		return VM_SHUTDOWN;
	case VIR_DOMAIN_SHUTOFF:
		return VM_SHUTOFF;
	case VIR_DOMAIN_CRASHED:
		return VM_CRASHED;
	case VIR_DOMAIN_PMSUSPENDED:
		return VM_PMSUSPENDED;
	default:
		return VM_NOSTATE;
	}
}

/* Any integer-typed parameter as an unsigned 64-bit value. */
static bool
param_u64(const virTypedParameter *p, uint64_t *out)
{
	switch (p->type) {
	case VIR_TYPED_PARAM_INT:
		*out = p->value.i < 0 ? 0 : (uint64_t)p->value.i;
		return true;
	case VIR_TYPED_PARAM_UINT:
		*out = p->value.ui;
		return true;
	case VIR_TYPED_PARAM_LLONG:
		*out = p->value.l < 0 ? 0 : (uint64_t)p->value.l;
		return true;
	case VIR_TYPED_PARAM_ULLONG:
		*out = p->value.ul;
		return true;
	default:
		return false;
	}
}

/* Parse "<prefix>.<N>.<rest>"; returns rest or NULL. */
static const char *
dev_key(const char *field, const char *prefix, size_t *index)
{
	size_t plen = strlen(prefix);
	char *end;
	unsigned long n;

	if (strncmp(field, prefix, plen) != 0 || field[plen] != '.')
		return NULL;
	field += plen + 1;
	if (*field < '0' || *field > '9')
		return NULL;
	n = strtoul(field, &end, 10);
	if (*end != '.' || n > 4096)
		return NULL;
	*index = n;
	return end + 1;
}

/* Make sure the device array holds index i. */
static struct dev_sample *
dev_at(struct dev_sample **devs, size_t *n, size_t i)
{
	if (i >= *n) {
		*devs = xreallocarray(*devs, i + 1, sizeof **devs);
		memset(*devs + *n, 0, (i + 1 - *n) * sizeof **devs);
		*n = i + 1;
	}
	return &(*devs)[i];
}

static void
dev_field(struct dev_sample *d, const char *rest, const virTypedParameter *p,
          const char *rd_key, const char *wr_key, const char *rd_ops_key,
          const char *wr_ops_key)
{
	uint64_t v;

	if (strcmp(rest, "name") == 0 && p->type == VIR_TYPED_PARAM_STRING) {
		free(d->name);
		d->name = xstrdup(p->value.s);
	} else if (strcmp(rest, "path") == 0 && p->type == VIR_TYPED_PARAM_STRING) {
		free(d->path);
		d->path = xstrdup(p->value.s);
	} else if (!param_u64(p, &v)) {
		return;
	} else if (strcmp(rest, rd_key) == 0) {
		d->rd = v;
		d->have_rd = true;
	} else if (strcmp(rest, wr_key) == 0) {
		d->wr = v;
		d->have_wr = true;
	} else if (strcmp(rest, rd_ops_key) == 0) {
		d->rd_ops = v;
		d->have_rd_ops = true;
	} else if (strcmp(rest, wr_ops_key) == 0) {
		d->wr_ops = v;
		d->have_wr_ops = true;
	} else if (strcmp(rest, "capacity") == 0) {
		d->capacity = v;
		d->have_capacity = true;
	} else if (strcmp(rest, "allocation") == 0) {
		d->allocation = v;
	}
}

/* Drop devices that never got a name (sparse indexes) and name the rest. */
static void
devs_tidy(struct dev_sample *devs, size_t *n, const char *fallback)
{
	size_t i, j = 0;

	for (i = 0; i < *n; i++) {
		if (devs[i].name == NULL && !devs[i].have_rd && !devs[i].have_wr) {
			free(devs[i].path);
			continue;
		}
		if (devs[i].name == NULL)
			devs[i].name = xasprintf("%s%zu", fallback, i);
		devs[j++] = devs[i];
	}
	*n = j;
}

static void
balloon_field(struct vm_sample *s, const char *key, uint64_t v)
{
	if (strcmp(key, "current") == 0) {
		s->mem_cur_kib = v;
		s->have_balloon_cur = true;
	} else if (strcmp(key, "maximum") == 0) {
		s->mem_max_kib = v;
		s->have_balloon_max = true;
	} else if (strcmp(key, "available") == 0) {
		s->mem_avail_kib = v;
		s->have_avail = true;
	} else if (strcmp(key, "unused") == 0) {
		s->mem_unused_kib = v;
		s->have_unused = true;
	} else if (strcmp(key, "usable") == 0) {
		s->mem_usable_kib = v;
		s->have_usable = true;
	} else if (strcmp(key, "rss") == 0) {
		s->mem_rss_kib = v;
		s->have_rss = true;
	}
}

void
domstats_parse(const char *name, const char *uuid, int id,
               virTypedParameterPtr params, int nparams, struct vm_sample *s)
{
	int i;

	memset(s, 0, sizeof *s);
	s->name = xstrdup(name);
	snprintf(s->uuid, sizeof s->uuid, "%s", uuid);
	s->id = id;
	for (i = 0; i < nparams; i++) {
		const virTypedParameter *p = &params[i];
		const char *f = p->field, *rest;
		size_t idx;
		uint64_t v;

		/* Hundreds of fields per guest: go by the first letter before
		 * comparing whole names. */
		switch (f[0]) {
		case 'b':
			if ((rest = dev_key(f, "block", &idx)) != NULL)
				dev_field(dev_at(&s->disks, &s->ndisks, idx), rest, p,
				          "rd.bytes", "wr.bytes", "rd.reqs", "wr.reqs");
			else if (strncmp(f, "balloon.", 8) == 0 && param_u64(p, &v))
				balloon_field(s, f + 8, v);
			break;
		case 'n':
			if ((rest = dev_key(f, "net", &idx)) != NULL)
				dev_field(dev_at(&s->nics, &s->nnics, idx), rest, p,
				          "rx.bytes", "tx.bytes", "rx.pkts", "tx.pkts");
			break;
		case 's':
			if (!param_u64(p, &v))
				break;
			if (strcmp(f, "state.state") == 0)
				s->state = domstats_state((int)v);
			else if (strcmp(f, "state.reason") == 0)
				s->reason = (int)v;
			break;
		case 'c':
			if (strcmp(f, "cpu.time") == 0 && param_u64(p, &v)) {
				s->cpu_time_ns = v;
				s->have_cpu = true;
			}
			break;
		case 'v':
			/* vcpu.N.* (one set per vCPU) are not read. */
			if (strncmp(f, "vcpu.", 5) != 0 || (f[5] >= '0' && f[5] <= '9') ||
			    !param_u64(p, &v))
				break;
			if (strcmp(f + 5, "current") == 0)
				s->vcpus_cur = (unsigned)v;
			else if (strcmp(f + 5, "maximum") == 0)
				s->vcpus_max = (unsigned)v;
			break;
		default:
			break;
		}
	}
	devs_tidy(s->disks, &s->ndisks, "disk");
	devs_tidy(s->nics, &s->nnics, "net");
}
