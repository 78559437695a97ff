/* domstats.c — parse the typed parameters of a bulk domain stats record. */
#include "domstats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/xmalloc.h"

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

/* After "block." or "net.": "<N>.<rest>" gives rest and N, else NULL.
 * Indexes above 4096 are refused (no libvirt reports so many devices, and
 * the array is as long as the largest index). */
static const char *
dev_index(const char *field, size_t *index)
{
	size_t n = 0;

	if (*field < '0' || *field > '9')
		return NULL;
	for (; *field >= '0' && *field <= '9'; field++) {
		n = n * 10 + (size_t)(*field - '0');
		if (n > 4096)
			return NULL;
	}
	if (*field != '.')
		return NULL;
	*index = n;
	return field + 1;
}

/* Make sure the device array holds index i; entries from *n on start
 * zeroed (the array may hold a previous parse's devices beyond *n). */
static struct dev_sample *
dev_at(struct dev_sample **devs, size_t *n, size_t *cap, size_t i)
{
	if (i >= *cap) {
		size_t want = *cap * 2 > i + 1 ? *cap * 2 : i + 1;
		*devs = xreallocarray(*devs, want, sizeof **devs);
		*cap = want;
	}
	if (i >= *n) {
		memset(*devs + *n, 0, (i + 1 - *n) * sizeof **devs);
		*n = i + 1;
	}
	return &(*devs)[i];
}

/* The counter names of a kind of device: "rd"/"wr" + "bytes"/"reqs" for
 * disks, "rx"/"tx" + "bytes"/"pkts" for NICs. */
struct dev_keys {
	char rd[2], wr[2];
	const char *ops;
};
static const struct dev_keys disk_keys = { { 'r', 'd' }, { 'w', 'r' }, "reqs" };
static const struct dev_keys nic_keys = { { 'r', 'x' }, { 't', 'x' }, "pkts" };

/* One "<rest>" field of a device. About twenty per device and refresh:
 * dispatched on the first letters instead of a chain of compares. */
static void
dev_field(struct dev_sample *d, const char *rest, const virTypedParameter *p,
          const struct dev_keys *k)
{
	uint64_t v;
	bool rd, wr;

	/* The first letter is checked before each compare: most fields
	 * (rd.times, fl.reqs, physical, ...) are then ruled out without one. */
	if (p->type == VIR_TYPED_PARAM_STRING) {
		if (rest[0] == 'n' && strcmp(rest, "name") == 0)
			d->name = p->value.s;
		else if (rest[0] == 'p' && strcmp(rest, "path") == 0)
			d->path = p->value.s;
		return;
	}
	if (!param_u64(p, &v))
		return;
	rd = rest[0] == k->rd[0] && rest[1] == k->rd[1];
	wr = rest[0] == k->wr[0] && rest[1] == k->wr[1];
	if ((rd || wr) && rest[2] == '.') {
		if (rest[3] == 'b' && strcmp(rest + 3, "bytes") == 0) {
			if (rd) {
				d->rd = v;
				d->have_rd = true;
			} else {
				d->wr = v;
				d->have_wr = true;
			}
		} else if (rest[3] == k->ops[0] && strcmp(rest + 3, k->ops) == 0) {
			if (rd) {
				d->rd_ops = v;
				d->have_rd_ops = true;
			} else {
				d->wr_ops = v;
				d->have_wr_ops = true;
			}
		}
	} else if (rest[0] == 'c' && strcmp(rest, "capacity") == 0) {
		d->capacity = v;
		d->have_capacity = true;
	} else if (rest[0] == 'a' && strcmp(rest, "allocation") == 0) {
		d->allocation = v;
	}
}

/* Drop devices that never got a name (sparse indexes) and name the rest.
 * Names point into the record or at the device's own fallback, which
 * is why they are set here, where entries stop moving. */
static void
devs_tidy(struct dev_sample *devs, size_t *n, const char *fallback)
{
	size_t i, j = 0;

	for (i = 0; i < *n; i++) {
		if (devs[i].name == NULL && !devs[i].have_rd && !devs[i].have_wr)
			continue;
		if (j != i)
			devs[j] = devs[i];
		if (devs[j].name == NULL) {
			snprintf(devs[j].fallback, sizeof devs[j].fallback, "%s%zu", fallback, i);
			devs[j].name = devs[j].fallback;
		}
		j++;
	}
	*n = j;
}

static void
balloon_field(struct vm_sample *s, const char *key, uint64_t v)
{
	switch (key[0]) {
	case 'c':
		if (strcmp(key, "current") == 0) {
			s->mem_cur_kib = v;
			s->have_balloon_cur = true;
		}
		break;
	case 'm':
		if (strcmp(key, "maximum") == 0) {
			s->mem_max_kib = v;
			s->have_balloon_max = true;
		}
		break;
	case 'a':
		if (strcmp(key, "available") == 0) {
			s->mem_avail_kib = v;
			s->have_avail = true;
		}
		break;
	case 'u':
		if (strcmp(key, "unused") == 0) {
			s->mem_unused_kib = v;
			s->have_unused = true;
		} else if (strcmp(key, "usable") == 0) {
			s->mem_usable_kib = v;
			s->have_usable = true;
		}
		break;
	case 'r':
		if (strcmp(key, "rss") == 0) {
			s->mem_rss_kib = v;
			s->have_rss = true;
		}
		break;
	default:
		break;
	}
}

/* One "vcpu.N.<rest>" field: the run-queue delay and wait summed over
 * the vCPUs, the halted ones counted (state and time are not read). */
static void
vcpu_field(struct vm_sample *s, const char *rest, const virTypedParameter *p)
{
	uint64_t v;

	if (rest[0] == 'h' && strcmp(rest, "halted") == 0) {
		s->have_halted = true;
		if ((p->type == VIR_TYPED_PARAM_BOOLEAN && p->value.b) ||
		    (p->type == VIR_TYPED_PARAM_STRING && p->value.s && strcmp(p->value.s, "yes") == 0))
			s->vcpus_halted++;
		return;
	}
	if (!param_u64(p, &v))
		return;
	if (rest[0] == 'd' && strcmp(rest, "delay") == 0) {
		s->vcpu_delay_ns += v;
		s->vcpus_delay++;
	} else if (rest[0] == 'w' && strcmp(rest, "wait") == 0) {
		s->vcpu_wait_ns += v;
		s->vcpus_wait++;
	}
}

/* One field of the record. Hundreds per guest: go by the first letter
 * before comparing whole names. Prefixes are compared with memcmp, which
 * the compiler does inline (the field is a fixed array of
 * VIR_TYPED_PARAM_FIELD_LENGTH bytes: reading a few past its end of
 * string stays inside it). */
static void
record_field(struct vm_sample *s, const virTypedParameter *p)
{
	const char *f = p->field, *rest;
	size_t idx;
	uint64_t v;

	switch (f[0]) {
	case 'b':
		if (memcmp(f, "block.", 6) == 0) {
			if ((rest = dev_index(f + 6, &idx)) != NULL)
				dev_field(dev_at(&s->disks, &s->ndisks, &s->disks_cap, idx), rest, p,
				          &disk_keys);
		} else if (memcmp(f, "balloon.", 8) == 0 && param_u64(p, &v)) {
			balloon_field(s, f + 8, v);
		}
		break;
	case 'n':
		if (memcmp(f, "net.", 4) == 0 && (rest = dev_index(f + 4, &idx)) != NULL)
			dev_field(dev_at(&s->nics, &s->nnics, &s->nics_cap, idx), rest, p, &nic_keys);
		break;
	case 's':
		if (memcmp(f, "state.", 6) != 0 || !param_u64(p, &v))
			break;
		if (strcmp(f + 6, "state") == 0)
			s->state = domstats_state((int)v);
		else if (strcmp(f + 6, "reason") == 0)
			s->reason = (int)v;
		break;
	case 'c':
		if (strcmp(f, "cpu.time") == 0 && param_u64(p, &v)) {
			s->cpu_time_ns = v;
			s->have_cpu = true;
		}
		break;
	case 'v':
		if (memcmp(f, "vcpu.", 5) != 0)
			break;
		if (f[5] >= '0' && f[5] <= '9') {
			if ((rest = dev_index(f + 5, &idx)) != NULL)
				vcpu_field(s, rest, p);
			break;
		}
		if (!param_u64(p, &v))
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

void
domstats_reparse(const char *name, const char *uuid, int id,
                 virTypedParameterPtr params, int nparams, struct vm_sample *s)
{
	struct vm_sample keep = *s;
	size_t ulen = strnlen(uuid, VM_UUID_LEN - 1);
	int i;

	/* All but the storage kept for reuse starts clean. */
	memset(s, 0, sizeof *s);
	s->disks = keep.disks;
	s->disks_cap = keep.disks_cap;
	s->nics = keep.nics;
	s->nics_cap = keep.nics_cap;
	s->text = keep.text;
	s->text_cap = keep.text_cap;
	s->name = name;
	memcpy(s->uuid, uuid, ulen);
	s->uuid[ulen] = '\0';
	s->id = id;
	for (i = 0; i < nparams; i++)
		record_field(s, &params[i]);
	devs_tidy(s->disks, &s->ndisks, "disk");
	devs_tidy(s->nics, &s->nnics, "net");
}

void
domstats_parse(const char *name, const char *uuid, int id,
               virTypedParameterPtr params, int nparams, struct vm_sample *s)
{
	memset(s, 0, sizeof *s);
	domstats_reparse(name, uuid, id, params, nparams, s);
}

/* Length of a string to copy (0 for none), with its terminator. */
static size_t
text_len(const char *str)
{
	return str ? strlen(str) + 1 : 0;
}

/* Copy str to *at in the text, advancing *at; the copy (or NULL). */
static const char *
text_put(char **at, const char *str)
{
	char *copy = *at;

	if (str == NULL)
		return NULL;
	*at = stpcpy(copy, str) + 1;
	return copy;
}

/* Devices' strings into the text (fallback names are the device's own). */
static void
devs_put(char **at, struct dev_sample *d, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (d[i].name != d[i].fallback)
			d[i].name = text_put(at, d[i].name);
		d[i].path = text_put(at, d[i].path);
	}
}

static size_t
devs_text_len(const struct dev_sample *d, size_t n)
{
	size_t i, len = 0;

	for (i = 0; i < n; i++)
		len += (d[i].name != d[i].fallback ? text_len(d[i].name) : 0) + text_len(d[i].path);
	return len;
}

void
domstats_own_strings(struct vm_sample *s)
{
	size_t need = text_len(s->name) + devs_text_len(s->disks, s->ndisks) +
	              devs_text_len(s->nics, s->nnics);
	char *text = s->text, *at;

	if (need > s->text_cap) {
		text = xmalloc(need);
		s->text_cap = need;
	}
	at = text;
	s->name = text_put(&at, s->name);
	devs_put(&at, s->disks, s->ndisks);
	devs_put(&at, s->nics, s->nnics);
	if (text != s->text) {
		free(s->text);
		s->text = text;
	}
}
