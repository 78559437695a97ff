/* test_ring.c — model/stats/ring.h: fixed-size history buffers. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "model/stats/ring.h"

static void
test_init_empty(void **state)
{
	struct ring r;

	(void)state;
	ring_init(&r, 5);
	assert_non_null(r.v);
	assert_int_equal(r.cap, 5);
	assert_int_equal(r.len, 0);
	assert_int_equal(r.head, 0);
	assert_true(ring_max(&r, 5) == 0.0);
	/* Reading past len is harmless and gives 0. */
	assert_true(ring_get(&r, 0) == 0.0);
	ring_free(&r);
	assert_null(r.v);
	assert_int_equal(r.cap, 0);
	assert_int_equal(r.len, 0);
}

static void
test_push_get_order(void **state)
{
	struct ring r;

	(void)state;
	ring_init(&r, 4);
	ring_push(&r, 1);
	assert_int_equal(r.len, 1);
	assert_true(ring_get(&r, 0) == 1.0);
	ring_push(&r, 2);
	ring_push(&r, 3);
	assert_int_equal(r.len, 3);
	/* Age 0 is the newest. */
	assert_true(ring_get(&r, 0) == 3.0);
	assert_true(ring_get(&r, 1) == 2.0);
	assert_true(ring_get(&r, 2) == 1.0);
	/* Beyond len: 0, not stale memory. */
	assert_true(ring_get(&r, 3) == 0.0);
	ring_free(&r);
}

static void
test_wrap_around(void **state)
{
	struct ring r;
	int i;

	(void)state;
	ring_init(&r, 3);
	for (i = 1; i <= 7; i++)
		ring_push(&r, i);
	assert_int_equal(r.len, 3);
	assert_int_equal(r.cap, 3);
	assert_true(ring_get(&r, 0) == 7.0);
	assert_true(ring_get(&r, 1) == 6.0);
	assert_true(ring_get(&r, 2) == 5.0);
	assert_true(ring_get(&r, 3) == 0.0);
	/* Exactly full, not wrapped yet. */
	ring_clear(&r);
	ring_push(&r, 10);
	ring_push(&r, 20);
	ring_push(&r, 30);
	assert_int_equal(r.len, 3);
	assert_true(ring_get(&r, 0) == 30.0);
	assert_true(ring_get(&r, 2) == 10.0);
	ring_push(&r, 40);
	assert_true(ring_get(&r, 0) == 40.0);
	assert_true(ring_get(&r, 2) == 20.0);
	ring_free(&r);
}

static void
test_max(void **state)
{
	struct ring r;

	(void)state;
	ring_init(&r, 8);
	ring_push(&r, 5);
	ring_push(&r, 9);
	ring_push(&r, 2);
	ring_push(&r, 3);
	/* Newest first: 3, 2, 9, 5. */
	assert_true(ring_max(&r, 1) == 3.0);
	assert_true(ring_max(&r, 2) == 3.0);
	assert_true(ring_max(&r, 3) == 9.0);
	assert_true(ring_max(&r, 4) == 9.0);
	/* n larger than len is clamped. */
	assert_true(ring_max(&r, 100) == 9.0);
	assert_true(ring_max(&r, 0) == 0.0);
	ring_free(&r);
}

static void
test_negatives_read_as_zero(void **state)
{
	struct ring r;

	(void)state;
	/* Histories hold rates and sizes; "unknown" (negative) is never
	 * pushed, and would read back as 0, not as a made-up value. */
	ring_init(&r, 4);
	ring_push(&r, -3);
	ring_push(&r, -1);
	assert_int_equal(r.len, 2);
	assert_true(ring_get(&r, 0) == 0.0);
	assert_true(ring_max(&r, 2) == 0.0);
	ring_free(&r);
}

static void
test_sixteen_bit_samples(void **state)
{
	double x;

	(void)state;
	assert_int_equal(ring_encode(0), 0);
	assert_true(ring_decode(0) == 0.0);
	/* Whole numbers up to 2048 and simple fractions come back exactly. */
	for (x = 1; x <= 2048; x++)
		assert_true(ring_decode(ring_encode(x)) == x);
	assert_true(ring_decode(ring_encode(0.5)) == 0.5);
	assert_true(ring_decode(ring_encode(12.25)) == 12.25);
	/* Everything else within half a step: 1/2048 of the value. */
	for (x = 3.1e-5; x < 2.7e14; x *= 1.0173) {
		double y = ring_decode(ring_encode(x));
		if (fabs(y - x) > x / 2048.0 * 1.0001)
			fail_msg("%.9g came back as %.9g", x, y);
	}
	/* Rounding up to the next power of two. */
	assert_true(ring_decode(ring_encode(2047.9)) == 2048.0);
	/* Out of range: too small reads 0, too large the largest (2.8e14). */
	assert_true(ring_decode(ring_encode(1e-6)) == 0.0);
	assert_true(ring_decode(ring_encode(1e20)) > 2.8e14);
	assert_true(ring_decode(ring_encode(1e20)) < 2.9e14);
	assert_int_equal(ring_encode(NAN), 0);
	/* Two bytes a sample: a thousand guests, six graphs, ten minutes at 1 s. */
	assert_int_equal(sizeof ((struct ring *)0)->v[0], 2);
}

/* The encoding as first written, with frexp and lround: the bit-reading
 * ring_encode must give the same code for every finite value. */
static uint16_t
encode_reference(double x)
{
	int e, code;
	long m;

	if (!(x > 0))
		return 0;
	m = lround((2.0 * frexp(x, &e) - 1.0) * 1024.0);
	code = e - 1 + 16;
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

static void
test_encode_matches_reference(void **state)
{
	const double edges[] = {
		0.0, -0.0, -1.0, 1e-320 /* subnormal */, 2.2250738585072014e-308,
		1.0 / 65536, 3.0517578125e-05, 3.05e-05, 3.0e-05, 1.0, 1.0 + 1.0 / 2048,
		1.0 + 3.0 / 2048, 2047.5, 2047.9, 2048.0, 4095.0, 1e9, 2.8e14,
		2.81474976710656e14, 5.6e14, 1e20, 1.7976931348623157e308,
	};
	uint64_t seed = 88172645463325252ull;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof edges / sizeof edges[0]; i++)
		if (ring_encode(edges[i]) != encode_reference(edges[i]))
			fail_msg("%.17g: %#x, not %#x", edges[i], ring_encode(edges[i]),
			         encode_reference(edges[i]));
	/* A million doubles spread over every exponent (xorshift bits, the
	 * sign cleared), and a million around the halfway points. */
	for (i = 0; i < 2000000; i++) {
		uint64_t bits;
		double x;
		seed ^= seed << 13;
		seed ^= seed >> 7;
		seed ^= seed << 17;
		bits = seed & ~(1ull << 63);
		if (i % 2)
			bits = (bits & ~((1ull << 42) - 1)) | (1ull << 41) | (seed >> 60);
		memcpy(&x, &bits, sizeof x);
		if (isnan(x) || isinf(x))
			continue;
		if (ring_encode(x) != encode_reference(x))
			fail_msg("%.17g: %#x, not %#x", x, ring_encode(x), encode_reference(x));
	}
	/* Infinity: the largest. */
	assert_int_equal(ring_encode(INFINITY), 0xffff);
}

static void
test_max_after_wrap(void **state)
{
	struct ring r;

	(void)state;
	ring_init(&r, 3);
	ring_push(&r, 100); /* will be overwritten */
	ring_push(&r, 1);
	ring_push(&r, 2);
	ring_push(&r, 3);
	assert_true(ring_max(&r, 3) == 3.0);
	ring_free(&r);
}

static void
test_clear(void **state)
{
	struct ring r;

	(void)state;
	ring_init(&r, 4);
	ring_push(&r, 1);
	ring_push(&r, 2);
	ring_clear(&r);
	assert_int_equal(r.len, 0);
	assert_int_equal(r.cap, 4);
	assert_true(ring_max(&r, 4) == 0.0);
	assert_true(ring_get(&r, 0) == 0.0);
	ring_push(&r, 8);
	assert_int_equal(r.len, 1);
	assert_true(ring_get(&r, 0) == 8.0);
	ring_free(&r);
}

static void
test_cap_zero_is_one(void **state)
{
	struct ring r;

	(void)state;
	ring_init(&r, 0);
	assert_int_equal(r.cap, 1);
	ring_push(&r, 1);
	ring_push(&r, 2);
	assert_int_equal(r.len, 1);
	assert_true(ring_get(&r, 0) == 2.0);
	assert_true(ring_get(&r, 1) == 0.0);
	ring_resize(&r, 0);
	assert_int_equal(r.cap, 1);
	assert_true(ring_get(&r, 0) == 2.0);
	ring_free(&r);
}

static void
test_resize_shrink_keeps_newest(void **state)
{
	struct ring r;
	int i;

	(void)state;
	ring_init(&r, 5);
	for (i = 1; i <= 8; i++) /* holds 4..8 */
		ring_push(&r, i);
	ring_resize(&r, 3);
	assert_int_equal(r.cap, 3);
	assert_int_equal(r.len, 3);
	assert_true(ring_get(&r, 0) == 8.0);
	assert_true(ring_get(&r, 1) == 7.0);
	assert_true(ring_get(&r, 2) == 6.0);
	/* Order continues after further pushes. */
	ring_push(&r, 9);
	assert_true(ring_get(&r, 0) == 9.0);
	assert_true(ring_get(&r, 2) == 7.0);
	ring_free(&r);
}

static void
test_resize_grow(void **state)
{
	struct ring r;

	(void)state;
	ring_init(&r, 2);
	ring_push(&r, 1);
	ring_push(&r, 2);
	ring_push(&r, 3); /* holds 2, 3 */
	ring_resize(&r, 5);
	assert_int_equal(r.cap, 5);
	assert_int_equal(r.len, 2);
	assert_true(ring_get(&r, 0) == 3.0);
	assert_true(ring_get(&r, 1) == 2.0);
	ring_push(&r, 4);
	ring_push(&r, 5);
	ring_push(&r, 6);
	assert_int_equal(r.len, 5);
	assert_true(ring_get(&r, 0) == 6.0);
	assert_true(ring_get(&r, 4) == 2.0);
	ring_free(&r);
}

static void
test_resize_same_and_empty(void **state)
{
	struct ring r;

	(void)state;
	ring_init(&r, 3);
	ring_push(&r, 1);
	ring_resize(&r, 3);
	assert_int_equal(r.cap, 3);
	assert_int_equal(r.len, 1);
	assert_true(ring_get(&r, 0) == 1.0);
	ring_clear(&r);
	ring_resize(&r, 7);
	assert_int_equal(r.cap, 7);
	assert_int_equal(r.len, 0);
	ring_free(&r);
}

static void
test_free_null_and_twice(void **state)
{
	struct ring r;

	(void)state;
	ring_free(NULL);
	ring_init(&r, 2);
	ring_free(&r);
	ring_free(&r); /* v is NULL now: free(NULL) */
	assert_null(r.v);
}

/* A group behaves as its rings would apart: each ring, pushed a different
 * number of times (some wrapped, some not), reads back what a lone ring
 * fed the same values reads; and after the group is resized smaller and
 * larger, each keeps its newest samples, as ring_resize does. */
static void
test_group_same_as_apart(void **state)
{
	enum { N = 4, CAP = 20 };
	struct ring g[N], lone[N];
	struct ring *const rings[N] = { &g[0], &g[1], &g[2], &g[3] };
	static const size_t caps[] = { 5, 20, 40, 3 };
	size_t k, i, c;

	(void)state;
	ring_group_init(rings, N, CAP);
	for (k = 0; k < N; k++)
		ring_init(&lone[k], CAP);
	for (k = 0; k < N; k++)
		for (i = 0; i < 3 + k * 9; i++) { /* storage grows 8, 16, 20; two wrap */
			double x = (double)(k * 100 + i + 1);
			ring_push(&g[k], x);
			ring_push(&lone[k], x);
		}
	for (c = 0; c < sizeof caps / sizeof caps[0]; c++) {
		for (k = 0; k < N; k++) {
			assert_int_equal(g[k].len, lone[k].len);
			for (i = 0; i < lone[k].len; i++)
				assert_true(ring_get(&g[k], i) == ring_get(&lone[k], i));
			assert_true(ring_max(&g[k], CAP) == ring_max(&lone[k], CAP));
		}
		ring_group_resize(rings, N, caps[c]);
		for (k = 0; k < N; k++)
			ring_resize(&lone[k], caps[c]);
		/* and pushing goes on, growing and wrapping again */
		for (k = 0; k < N; k++)
			for (i = 0; i < 1 + k * 7; i++) {
				ring_push(&g[k], (double)(1000 + c * 100 + k * 10 + i));
				ring_push(&lone[k], (double)(1000 + c * 100 + k * 10 + i));
			}
	}
	for (k = 0; k < N; k++) {
		assert_int_equal(g[k].len, lone[k].len);
		for (i = 0; i < lone[k].len; i++)
			assert_true(ring_get(&g[k], i) == ring_get(&lone[k], i));
	}
	/* the first ring owns the block: freeing in any order frees it once */
	for (k = N; k > 0; k--)
		ring_free(&g[k - 1]);
	for (k = 0; k < N; k++)
		ring_free(&lone[k]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_empty),
		cmocka_unit_test(test_push_get_order),
		cmocka_unit_test(test_wrap_around),
		cmocka_unit_test(test_max),
		cmocka_unit_test(test_negatives_read_as_zero),
		cmocka_unit_test(test_sixteen_bit_samples),
		cmocka_unit_test(test_encode_matches_reference),
		cmocka_unit_test(test_max_after_wrap),
		cmocka_unit_test(test_clear),
		cmocka_unit_test(test_cap_zero_is_one),
		cmocka_unit_test(test_resize_shrink_keeps_newest),
		cmocka_unit_test(test_resize_grow),
		cmocka_unit_test(test_resize_same_and_empty),
		cmocka_unit_test(test_free_null_and_twice),
		cmocka_unit_test(test_group_same_as_apart),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
