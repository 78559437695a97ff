/* ring.c — fixed-size history buffers for graphs. */
#include "ring.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

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
}

void
ring_free(struct ring *r)
{
	if (r == NULL)
		return;
	free(r->v);
	r->v = NULL;
	r->cap = r->alloc = r->len = r->head = 0;
}

void
ring_clear(struct ring *r)
{
	r->len = 0;
	r->head = 0;
}

void
ring_push(struct ring *r, double x)
{
	/* Until full, samples sit in order at v[0..len-1] and head == len. */
	if (r->len < r->cap && r->len == r->alloc) {
		r->alloc = r->alloc * 2 < r->cap ? r->alloc * 2 : r->cap;
		r->v = xreallocarray(r->v, r->alloc, sizeof *r->v);
	}
	r->v[r->head] = ring_encode(x);
	if (++r->head == r->cap)
		r->head = 0;
	if (r->len < r->cap)
		r->len++;
}

double
ring_get(const struct ring *r, size_t age)
{
	if (age >= r->len)
		return 0;
	return ring_decode(r->v[(r->head + r->cap - 1 - age) % r->cap]);
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
	struct ring n;
	size_t i, keep;

	if (cap == 0)
		cap = 1;
	if (cap == r->cap)
		return;
	ring_init(&n, cap);
	keep = r->len < cap ? r->len : cap;
	for (i = keep; i > 0; i--)
		ring_push(&n, ring_get(r, i - 1));
	free(r->v);
	*r = n;
}
