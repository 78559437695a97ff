/* ring.c — fixed-size history buffers for graphs. */
#include "ring.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/xmalloc.h"

/* 0 is zero; otherwise 6 bits of exponent e (1-63) over 10 bits of
 * mantissa m: (1 + m / 1024) * 2^(e - BIAS). */
#define BIAS 16

uint16_t
ring_encode(double x)
{
	uint64_t bits, m;
	int code;

	if (!(x > 0)) /* negatives and NaN */
		return 0;
	/* A push per graph, guest and refresh: read the double's own
	 * exponent and mantissa rather than call frexp and lround. For
	 * x = (1 + f) * 2^(e - 1023), m is f to 10 bits, rounded half up. */
	memcpy(&bits, &x, sizeof bits);
	if (bits >> 52 == 0) /* subnormal: far below the smallest kept */
		return 0;
	if (bits >> 52 == 2047) /* infinity */
		return 0xffff;
	m = ((bits & ((1ull << 52) - 1)) + (1ull << 41)) >> 42;
	code = (int)(bits >> 52) - 1023 + BIAS;
	if (m == 1024) {
		m = 0;
		code++;
	}
	if (code < 1)
		return 0;
	if (code > 63)
		return 0xffff;
	return (uint16_t)((unsigned)code << 10 | (unsigned)m);
}

double
ring_decode(uint16_t v)
{
	if (v == 0)
		return 0;
	return ldexp(1.0 + (v & 1023) / 1024.0, (int)(v >> 10) - BIAS);
}

void
ring_init(struct ring *r, size_t cap)
{
	r->cap = cap ? cap : 1;
	r->alloc = r->cap < 8 ? r->cap : 8;
	r->v = xcalloc(r->alloc, sizeof *r->v);
	r->len = 0;
	r->head = 0;
	r->stride = 1;
	r->group = NULL;
	r->owner = 0;
}

void
ring_free(struct ring *r)
{
	if (r == NULL)
		return;
	if (r->group == NULL || r->owner) {
		free(r->v);
		free(r->group);
	}
	r->group = NULL;
	r->v = NULL;
	r->cap = r->alloc = r->len = r->head = 0;
}

void
ring_clear(struct ring *r)
{
	r->len = 0;
	r->head = 0;
}

struct ring_group {
	size_t n;
	struct ring *rings[];
};

/* The group's block to `alloc` samples a ring. No ring of it has wrapped
 * (that needs alloc == cap), so the samples in place stay in place. */
static void
group_alloc(struct ring_group *g, size_t alloc)
{
	uint16_t *block = xreallocarray(g->rings[0]->v, alloc * g->n, sizeof *block);
	size_t k;

	for (k = 0; k < g->n; k++) {
		g->rings[k]->v = block + k;
		g->rings[k]->alloc = alloc;
	}
}

void
ring_push(struct ring *r, double x)
{
	/* Until full, samples sit in order at v[0..len-1] and head == len. */
	if (r->len < r->cap && r->len == r->alloc) {
		size_t alloc = r->alloc * 2 < r->cap ? r->alloc * 2 : r->cap;
		if (r->group != NULL) {
			group_alloc(r->group, alloc);
		} else {
			r->alloc = alloc;
			r->v = xreallocarray(r->v, r->alloc, sizeof *r->v);
		}
	}
	r->v[r->head * r->stride] = ring_encode(x);
	if (++r->head == r->cap)
		r->head = 0;
	if (r->len < r->cap)
		r->len++;
}

/* Where the sample `age` steps back is (age < len <= cap, head < cap:
 * one subtraction instead of a division). */
static size_t
slot(const struct ring *r, size_t age)
{
	size_t i = r->head + r->cap - 1 - age;

	return i >= r->cap ? i - r->cap : i;
}

double
ring_get(const struct ring *r, size_t age)
{
	if (age >= r->len)
		return 0;
	return ring_decode(r->v[slot(r, age) * r->stride]);
}

double
ring_max(const struct ring *r, size_t n)
{
	double m = 0;
	size_t i;

	if (n > r->len)
		n = r->len;
	for (i = 0; i < n; i++) {
		double x = ring_get(r, i);
		if (i == 0 || x > m)
			m = x;
	}
	return m;
}

void
ring_resize(struct ring *r, size_t cap)
{
	/* A lone ring resizes as a group of one. */
	ring_group_resize(&r, 1, cap);
}

void
ring_group_init(struct ring *const *rings, size_t n, size_t cap)
{
	struct ring_group *g;
	size_t k;

	if (cap == 0)
		cap = 1;
	g = xmalloc(sizeof *g + n * sizeof g->rings[0]);
	g->n = n;
	for (k = 0; k < n; k++) {
		struct ring *r = rings[k];

		g->rings[k] = r;
		r->v = NULL;
		r->cap = cap;
		r->len = r->head = 0;
		r->stride = n;
		r->group = g;
		r->owner = k == 0;
	}
	group_alloc(g, cap < 8 ? cap : 8);
}

void
ring_group_resize(struct ring *const *rings, size_t n, size_t cap)
{
	uint16_t *block, *old;
	size_t k, alloc;

	if (cap == 0)
		cap = 1;
	if (n == 0 || rings[0]->cap == cap)
		return;
	/* Room for the longest kept history (all of it once one is full). */
	alloc = cap < 8 ? cap : 8;
	for (k = 0; k < n; k++)
		if (rings[k]->len > alloc)
			alloc = rings[k]->len < cap ? rings[k]->len : cap;
	block = xcalloc(alloc * n, sizeof *block);
	old = rings[0]->v;
	for (k = 0; k < n; k++) {
		struct ring *r = rings[k];
		size_t keep = r->len < cap ? r->len : cap, i;

		/* the newest `keep`, oldest first */
		for (i = 0; i < keep; i++)
			block[i * n + k] = r->v[slot(r, keep - 1 - i) * r->stride];
		r->v = block + k;
		r->cap = cap;
		r->alloc = alloc;
		r->len = keep;
		r->head = keep == cap ? 0 : keep;
	}
	free(old);
}
