/* vmsel.c — filtering and sorting the guest list. */
#include "vmsel.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../base/xmalloc.h"

static const char *const key_names[SORT_COUNT] = {
	[SORT_NAME] = "name", [SORT_STATE] = "state", [SORT_VCPUS] = "vcpus",
	[SORT_CPU] = "cpu", [SORT_MEM] = "memory", [SORT_DISK] = "disk",
	[SORT_NET] = "net", [SORT_UPTIME] = "uptime",
	[SORT_WAIT] = "wait",
};

const char *
sort_key_name(enum sort_key k)
{
	return (unsigned)k < SORT_COUNT ? key_names[k] : "?";
}

/* ASCII letters folded to lower case; every other byte as it is (in a
 * UTF-8 locale tolower leaves bytes past 127 alone too). Inline: the
 * filter runs over every guest's name on each key typed. */
static inline unsigned char
fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + ('a' - 'A')) : c;
}

/* Case-insensitive substring search over the first n bytes of needle. */
static bool
contains(const char *hay, const char *needle, size_t n)
{
	const unsigned char *h = (const unsigned char *)hay;
	const unsigned char *nd = (const unsigned char *)needle;
	unsigned char first;
	size_t i;

	if (n == 0)
		return true;
	first = fold(nd[0]);
	for (; *h; h++) {
		if (fold(*h) != first)
			continue;
		for (i = 1; i < n && h[i]; i++)
			if (fold(h[i]) != fold(nd[i]))
				break;
		if (i == n)
			return true;
	}
	return false;
}

/* "tag:web": the guest carries tag web (any case typed: tags are lower
 * case); "tag:web*": a tag starting with web. */
static bool
tag_match(const struct vm *vm, const char *t, size_t n)
{
	bool prefix = n > 0 && t[n - 1] == '*';
	size_t i;

	if (prefix)
		n--;
	for (i = 0; i < vm->ntags; i++)
		if (strncasecmp(vm->tags[i], t, n) == 0 && (prefix || vm->tags[i][n] == '\0'))
			return true;
	return false;
}

static bool
term_match(const struct vm *vm, const char *t, size_t n)
{
	if (n > 6 && strncasecmp(t, "state:", 6) == 0)
		return strncasecmp(vm_state_name(vm->state), t + 6, n - 6) == 0;
	if (n > 4 && strncasecmp(t, "tag:", 4) == 0)
		return tag_match(vm, t + 4, n - 4);
	if (n > 5 && strncasecmp(t, "note:", 5) == 0)
		return vm->note != NULL && contains(vm->note, t + 5, n - 5);
	return contains(vm->name, t, n);
}

bool
vmsel_match(const struct vm *vm, const char *filter)
{
	const char *p = filter;

	if (filter == NULL)
		return true;
	while (*p) {
		size_t n;
		while (*p == ' ')
			p++;
		n = strcspn(p, " ");
		if (n && !term_match(vm, p, n))
			return false;
		p += n;
	}
	return true;
}

/* Numbers compare with unknown (negative) values last in either order. */
static int
cmp_num(double a, double b, bool reverse)
{
	if (a < 0 && b < 0)
		return 0;
	if (a < 0)
		return 1;
	if (b < 0)
		return -1;
	if (a == b)
		return 0;
	return (a < b) != reverse ? -1 : 1;
}

static double
sum_rate(double a, double b)
{
	if (a < 0 && b < 0)
		return -1;
	return (a < 0 ? 0 : a) + (b < 0 ? 0 : b);
}

int
vmsel_compare(const struct row *ra, const struct row *rb, enum sort_key k,
              bool reverse, uint64_t now_ns)
{
	const struct vm *a = ra->vm, *b = rb->vm;
	int c = 0;

	switch (k) {
	case SORT_NAME:
		break;
	case SORT_STATE:
		c = (int)a->state - (int)b->state;
		if (reverse)
			c = -c;
		break;
	case SORT_VCPUS:
		c = cmp_num(a->vcpus_cur, b->vcpus_cur, reverse);
		break;
	case SORT_CPU:
		c = cmp_num(a->cpu_pct, b->cpu_pct, reverse);
		break;
	case SORT_MEM:
		c = cmp_num((double)a->mem_used_kib, (double)b->mem_used_kib, reverse);
		break;
	case SORT_DISK:
		c = cmp_num(sum_rate(a->rd_rate, a->wr_rate), sum_rate(b->rd_rate, b->wr_rate), reverse);
		break;
	case SORT_NET:
		c = cmp_num(sum_rate(a->rx_rate, a->tx_rate), sum_rate(b->rx_rate, b->tx_rate), reverse);
		break;
	case SORT_UPTIME:
		c = cmp_num(vm_uptime(a, now_ns), vm_uptime(b, now_ns), reverse);
		break;
	case SORT_WAIT:
		c = cmp_num(vm_state_active(a->state) ? a->wait_pct : -1,
		            vm_state_active(b->state) ? b->wait_pct : -1, reverse);
		break;
	default:
		break;
	}
	if (c == 0) {
		c = strcmp(a->name, b->name);
		if (k == SORT_NAME && reverse)
			c = -c;
	}
	if (c == 0)
		c = strcmp(host_label(ra->host), host_label(rb->host));
	return c;
}

/* qsort has no context argument; the sort runs on the UI thread only. */
static enum sort_key sort_k;
static bool sort_rev;
static uint64_t sort_now;

static int
cmp_rows(const void *a, const void *b)
{
	return vmsel_compare(a, b, sort_k, sort_rev, sort_now);
}

size_t
vmsel_build(struct host **hosts, size_t nhosts, const char *filter,
            enum sort_key k, bool reverse, uint64_t now_ns, struct row **rows,
            size_t *cap)
{
	size_t n = 0, i, j;

	for (i = 0; i < nhosts; i++) {
		for (j = 0; j < hosts[i]->nvms; j++) {
			struct vm *vm = hosts[i]->vms[j];
			if (!vmsel_match(vm, filter))
				continue;
			if (n == *cap) {
				*cap = *cap ? *cap * 2 : 64;
				*rows = xreallocarray(*rows, *cap, sizeof **rows);
			}
			(*rows)[n].host = hosts[i];
			(*rows)[n].vm = vm;
			(*rows)[n].tag = NULL;
			n++;
		}
	}
	sort_k = k;
	sort_rev = reverse;
	sort_now = now_ns;
	if (n > 1)
		qsort(*rows, n, sizeof **rows, cmp_rows);
	return n;
}

void
vmsel_resort(struct row *rows, size_t n, enum sort_key k, bool reverse, uint64_t now_ns)
{
	/* Insertion sort costs a compare per row plus one per step a row
	 * moves; past about half what qsort would cost (n log2 n), qsort
	 * takes over. */
	size_t i, j, moves = 0, budget = 16, lg = 0;

	for (i = n; i > 1; i >>= 1)
		lg++;
	budget += n * lg / 2;

	for (i = 1; i < n; i++) {
		struct row r = rows[i];

		for (j = i; j > 0 && vmsel_compare(&rows[j - 1], &r, k, reverse, now_ns) > 0; j--) {
			rows[j] = rows[j - 1];
			if (++moves > budget) {
				rows[j - 1] = r; /* the hole moved there */
				sort_k = k;
				sort_rev = reverse;
				sort_now = now_ns;
				qsort(rows, n, sizeof *rows, cmp_rows);
				return;
			}
		}
		rows[j] = r;
	}
}

static void
push_row(struct row **out, size_t *n, size_t *cap, struct host *h, struct vm *vm)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*out = xreallocarray(*out, *cap, sizeof **out);
	}
	(*out)[*n].host = h;
	(*out)[*n].vm = vm;
	(*out)[*n].tag = NULL;
	(*n)++;
}

static int
cmp_strp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

size_t
vmsel_group_tags(const struct row *rows, size_t n, struct host **hosts, size_t nhosts,
                 struct row **out, size_t *cap)
{
	const char **tags = NULL;
	size_t i, j, ntags = 0, uniq = 0, k = 0, tcap = 0;
	bool untagged = false;

	if (nhosts == 0)
		return 0;
	for (i = 0; i < n; i++) {
		const struct vm *vm = rows[i].vm;
		if (vm->ntags == 0)
			untagged = true;
		for (j = 0; j < vm->ntags; j++) {
			if (ntags == tcap) {
				tcap = tcap ? tcap * 2 : 64;
				tags = xreallocarray(tags, tcap, sizeof *tags);
			}
			tags[ntags++] = vm->tags[j];
		}
	}
	if (ntags > 1)
		qsort(tags, ntags, sizeof *tags, cmp_strp);
	for (i = 0; i < ntags; i++)
		if (uniq == 0 || strcmp(tags[uniq - 1], tags[i]) != 0)
			tags[uniq++] = tags[i];
	for (i = 0; i < uniq; i++) {
		push_row(out, &k, cap, hosts[0], NULL);
		(*out)[k - 1].tag = tags[i];
		for (j = 0; j < n; j++)
			if (vm_has_tag(rows[j].vm, tags[i])) {
				push_row(out, &k, cap, rows[j].host, rows[j].vm);
				(*out)[k - 1].tag = tags[i];
			}
	}
	if (untagged) {
		push_row(out, &k, cap, hosts[0], NULL);
		(*out)[k - 1].tag = "";
		for (j = 0; j < n; j++)
			if (rows[j].vm->ntags == 0) {
				push_row(out, &k, cap, rows[j].host, rows[j].vm);
				(*out)[k - 1].tag = "";
			}
	}
	free(tags);
	return k;
}

size_t
vmsel_group_size(const struct row *rows, size_t n, size_t at)
{
	size_t i;

	for (i = at + 1; i < n && rows[i].vm != NULL; i++)
		;
	return i - at - 1;
}

size_t
vmsel_group(const struct row *rows, size_t n, struct host **hosts, size_t nhosts,
            const bool *collapsed, struct row **out, size_t *cap)
{
	size_t i, j, k = 0;

	for (i = 0; i < nhosts; i++) {
		push_row(out, &k, cap, hosts[i], NULL);
		if (collapsed && collapsed[i])
			continue;
		for (j = 0; j < n; j++)
			if (rows[j].host == hosts[i])
				push_row(out, &k, cap, hosts[i], rows[j].vm);
	}
	return k;
}

void
vmsel_host_totals(const struct host *h, struct host_totals *t)
{
	size_t i;

	memset(t, 0, sizeof *t);
	t->wait_worst = -1;
	for (i = 0; i < h->nvms; i++) {
		const struct vm *vm = h->vms[i];
		switch (vm->state) {
		case VM_RUNNING:
		case VM_BLOCKED:
			t->running++;
			break;
		case VM_PAUSED:
		case VM_PMSUSPENDED:
			t->paused++;
			break;
		case VM_SHUTOFF:
			t->off++;
			break;
		default:
			t->other++;
		}
		if (vm_state_active(vm->state)) {
			t->vcpus_running += vm->vcpus_cur;
			t->mem_running_kib += vm->mem_cur_kib;
			if (vm->wait_pct >= 0 && vm->wait_pct > t->wait_worst) {
				t->wait_worst = vm->wait_pct;
				t->wait_worst_name = vm->name;
			}
		}
	}
}

void
vmsel_fleet_totals(struct host **hosts, size_t nhosts, struct fleet_totals *t)
{
	size_t i;

	memset(t, 0, sizeof *t);
	t->hosts = (unsigned)nhosts;
	for (i = 0; i < nhosts; i++) {
		struct host *h = hosts[i];
		struct host_totals ht;
		double r;

		vmsel_host_totals(h, &ht);
		t->running += ht.running;
		t->paused += ht.paused;
		t->off += ht.off;
		t->other += ht.other;
		if (h->state == HOST_DOWN) {
			t->down++;
			if (t->first_down == NULL)
				t->first_down = h;
			continue;
		}
		if (h->state == HOST_CONNECTING) {
			t->connecting++;
			continue;
		}
		t->up++;
		if (h->cpus && ht.vcpus_running > h->cpus) {
			r = (double)ht.vcpus_running / h->cpus;
			t->vcpu_over++;
			if (r > t->worst_vcpu_ratio) {
				t->worst_vcpu_ratio = r;
				t->worst_vcpu = h;
			}
		}
		if (h->mem_total_kib && ht.mem_running_kib > h->mem_total_kib) {
			r = (double)ht.mem_running_kib / (double)h->mem_total_kib;
			t->mem_over++;
			if (r > t->worst_mem_ratio) {
				t->worst_mem_ratio = r;
				t->worst_mem = h;
			}
		}
	}
}
