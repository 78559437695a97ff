/* test_graph.c — tui/graph.h: scaling and rendering of history graphs. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <wchar.h>

#include "tui/graph.h"

#define BRAILLE_BLANK 0x2800
#define BRAILLE_FULL 0x28FF
/* Dots by column, bottom row first (see the Unicode braille layout). */
#define L1 0x40
#define L2 0x04
#define L3 0x02
#define L4 0x01
#define R1 0x80
#define R2 0x20
#define R3 0x10
#define R4 0x08

static void
fill(struct ring *r, size_t cap, const double *v, size_t n)
{
	size_t i;

	ring_init(r, cap);
	for (i = 0; i < n; i++) /* oldest first */
		ring_push(r, v[i]);
}

static void
assert_close(double a, double b)
{
	assert_true(fabs(a - b) <= 1e-9 * (fabs(b) > 1 ? fabs(b) : 1));
}

/* ---- scaling ---- */

static void
test_nice_max_zero_and_negative(void **state)
{
	(void)state;
	assert_close(graph_nice_max(0), 1);
	assert_close(graph_nice_max(-5), 1);
	assert_close(graph_nice_max(NAN), 1);
}

static void
test_nice_max_steps(void **state)
{
	(void)state;
	assert_close(graph_nice_max(1), 1);
	assert_close(graph_nice_max(1.5), 2);
	assert_close(graph_nice_max(2), 2);
	assert_close(graph_nice_max(3), 5);
	assert_close(graph_nice_max(5), 5);
	assert_close(graph_nice_max(7), 10);
	assert_close(graph_nice_max(10), 10);
	assert_close(graph_nice_max(11), 20);
	assert_close(graph_nice_max(100), 100);
	assert_close(graph_nice_max(101), 200);
	assert_close(graph_nice_max(499), 500);
	assert_close(graph_nice_max(501), 1000);
}

static void
test_nice_max_fractions(void **state)
{
	(void)state;
	assert_close(graph_nice_max(0.3), 0.5);
	assert_close(graph_nice_max(0.1), 0.1);
	assert_close(graph_nice_max(0.15), 0.2);
	assert_close(graph_nice_max(0.07), 0.1);
	assert_close(graph_nice_max(0.0012), 0.002);
}

static void
test_nice_max_large(void **state)
{
	(void)state;
	assert_close(graph_nice_max(1e9), 1e9);
	assert_close(graph_nice_max(1.2e9), 2e9);
	assert_close(graph_nice_max(987654321.0), 1e9);
	assert_close(graph_nice_max(3.3e12), 5e12);
	/* A gigabit link's bytes/s. */
	assert_close(graph_nice_max(125e6), 200e6);
}

static void
test_nice_max_never_below_input(void **state)
{
	double x;

	(void)state;
	for (x = 0.001; x < 1e7; x *= 1.37) {
		double m = graph_nice_max(x);
		assert_true(m >= x);
		assert_true(m <= x * 5.0 + 1e-12);
	}
}

static void
test_scale_fixed(void **state)
{
	struct ring r;
	const double v[] = { 10, 250, 30 };

	(void)state;
	fill(&r, 8, v, 3);
	/* A fixed max wins (CPU graphs are scaled to 100). */
	assert_close(graph_scale(&r, 3, 100), 100);
	assert_close(graph_scale(&r, 3, 42.5), 42.5);
	ring_free(&r);
}

static void
test_scale_auto(void **state)
{
	struct ring r;
	const double v[] = { 10, 250, 30 };

	(void)state;
	fill(&r, 8, v, 3);
	assert_close(graph_scale(&r, 3, 0), 500);
	assert_close(graph_scale(&r, 3, -1), 500);
	/* Only the samples shown count: the newest one is 30. */
	assert_close(graph_scale(&r, 1, 0), 50);
	ring_free(&r);
}

static void
test_scale_auto_empty(void **state)
{
	struct ring r;

	(void)state;
	ring_init(&r, 4);
	assert_close(graph_scale(&r, 4, 0), 1);
	ring_free(&r);
}

static void
test_samples_per_col(void **state)
{
	(void)state;
	assert_int_equal(graph_samples_per_col(GRAPH_BRAILLE), 2);
	assert_int_equal(graph_samples_per_col(GRAPH_BLOCK), 1);
	assert_int_equal(graph_samples_per_col(GRAPH_ASCII), 1);
}

/* ---- braille ---- */

static void
test_braille_full_column(void **state)
{
	struct ring r;
	const double v[] = { 100, 100 };
	wchar_t c[3];

	(void)state;
	fill(&r, 8, v, 2);
	graph_render(&r, 100, 1, 3, GRAPH_BRAILLE, c);
	assert_int_equal(c[0], BRAILLE_FULL);
	assert_int_equal(c[1], BRAILLE_FULL);
	assert_int_equal(c[2], BRAILLE_FULL);
	ring_free(&r);
}

static void
test_braille_empty_is_space(void **state)
{
	struct ring r;
	const double v[] = { 0, 0, 0, 0 };
	wchar_t c[4];
	int i;

	(void)state;
	fill(&r, 8, v, 4);
	graph_render(&r, 100, 2, 2, GRAPH_BRAILLE, c);
	for (i = 0; i < 4; i++)
		assert_int_equal(c[i], L' ');
	ring_free(&r);
}

static void
test_braille_no_samples_is_space(void **state)
{
	struct ring r;
	wchar_t c[6];
	int i;

	(void)state;
	ring_init(&r, 8);
	graph_render(&r, 100, 3, 2, GRAPH_BRAILLE, c);
	for (i = 0; i < 6; i++)
		assert_int_equal(c[i], L' ');
	ring_free(&r);
}

static void
test_braille_right_dot_is_newest(void **state)
{
	struct ring r;
	const double v[] = { 0, 100 }; /* older 0 (left), newest 100 (right) */
	wchar_t c[1];

	(void)state;
	fill(&r, 8, v, 2);
	graph_render(&r, 100, 1, 1, GRAPH_BRAILLE, c);
	assert_int_equal(c[0], BRAILLE_BLANK + R1 + R2 + R3 + R4); /* U+28B8 */
	ring_free(&r);

	{
		const double w[] = { 100, 0 };
		fill(&r, 8, w, 2);
		graph_render(&r, 100, 1, 1, GRAPH_BRAILLE, c);
		assert_int_equal(c[0], BRAILLE_BLANK + L1 + L2 + L3 + L4); /* U+2847 */
		ring_free(&r);
	}
}

static void
test_braille_partial_heights(void **state)
{
	struct ring r;
	const double v[] = { 25, 50 }; /* left 1 dot, right 2 dots */
	wchar_t c[1];

	(void)state;
	fill(&r, 8, v, 2);
	graph_render(&r, 100, 1, 1, GRAPH_BRAILLE, c);
	assert_int_equal(c[0], BRAILLE_BLANK + L1 + R1 + R2); /* U+28E0 */
	ring_free(&r);
}

static void
test_braille_two_rows_half(void **state)
{
	struct ring r;
	const double v[] = { 50, 50 };
	wchar_t c[2];

	(void)state;
	fill(&r, 8, v, 2);
	/* 8 dots high: 50% fills the bottom cell only. */
	graph_render(&r, 100, 1, 2, GRAPH_BRAILLE, c);
	assert_int_equal(c[0], L' ');
	assert_int_equal(c[1], BRAILLE_FULL);
	ring_free(&r);
}

static void
test_braille_tiny_value_shows_one_dot(void **state)
{
	struct ring r;
	const double v[] = { 0, 0.001 };
	wchar_t c[2];

	(void)state;
	fill(&r, 8, v, 2);
	graph_render(&r, 100, 1, 2, GRAPH_BRAILLE, c);
	assert_int_equal(c[0], L' ');
	assert_int_equal(c[1], BRAILLE_BLANK + R1);
	ring_free(&r);
}

static void
test_braille_clamps_above_max(void **state)
{
	struct ring r;
	const double v[] = { 1000, 300 };
	wchar_t c[1];

	(void)state;
	fill(&r, 8, v, 2);
	graph_render(&r, 100, 1, 1, GRAPH_BRAILLE, c);
	assert_int_equal(c[0], BRAILLE_FULL);
	ring_free(&r);
}

static void
test_braille_right_aligned(void **state)
{
	struct ring r;
	const double v[] = { 100, 100 };
	wchar_t c[3];

	(void)state;
	fill(&r, 8, v, 2);
	graph_render(&r, 100, 3, 1, GRAPH_BRAILLE, c);
	assert_int_equal(c[0], L' ');
	assert_int_equal(c[1], L' ');
	assert_int_equal(c[2], BRAILLE_FULL);
	ring_free(&r);
}

static void
test_braille_pairs_across_columns(void **state)
{
	struct ring r;
	/* Oldest to newest: 100 0 | 0 100 | 25 25 */
	const double v[] = { 100, 0, 0, 100, 25, 25 };
	wchar_t c[3];

	(void)state;
	fill(&r, 8, v, 6);
	graph_render(&r, 100, 3, 1, GRAPH_BRAILLE, c);
	assert_int_equal(c[0], BRAILLE_BLANK + L1 + L2 + L3 + L4);
	assert_int_equal(c[1], BRAILLE_BLANK + R1 + R2 + R3 + R4);
	assert_int_equal(c[2], BRAILLE_BLANK + L1 + R1);
	ring_free(&r);
}

/* ---- blocks ---- */

static void
test_block_half_one_row(void **state)
{
	struct ring r;
	const double v[] = { 50 };
	wchar_t c[1];

	(void)state;
	fill(&r, 8, v, 1);
	graph_render(&r, 100, 1, 1, GRAPH_BLOCK, c);
	assert_int_equal(c[0], 0x2584);
	ring_free(&r);
}

static void
test_block_eighths(void **state)
{
	struct ring r;
	const double v[] = { 0, 12.5, 25, 37.5, 50, 62.5, 75, 87.5, 100 };
	wchar_t c[9];
	int i;

	(void)state;
	fill(&r, 16, v, 9);
	graph_render(&r, 100, 9, 1, GRAPH_BLOCK, c);
	assert_int_equal(c[0], L' ');
	for (i = 1; i <= 8; i++)
		assert_int_equal(c[i], 0x2580 + i); /* U+2581..U+2588 */
	ring_free(&r);
}

static void
test_block_rounds_up(void **state)
{
	struct ring r;
	const double v[] = { 1, 13 };
	wchar_t c[2];

	(void)state;
	fill(&r, 8, v, 2);
	graph_render(&r, 100, 2, 1, GRAPH_BLOCK, c);
	/* Any non-zero value shows at least one eighth; 13% needs two. */
	assert_int_equal(c[0], 0x2581);
	assert_int_equal(c[1], 0x2582);
	ring_free(&r);
}

static void
test_block_multi_row(void **state)
{
	struct ring r;
	const double v[] = { 75 };
	wchar_t c[2];

	(void)state;
	fill(&r, 8, v, 1);
	/* Two rows = 16 eighths; 75% = 12: bottom full, top half. */
	graph_render(&r, 100, 1, 2, GRAPH_BLOCK, c);
	assert_int_equal(c[0], 0x2584);
	assert_int_equal(c[1], 0x2588);
	ring_free(&r);
}

static void
test_block_right_aligned_newest(void **state)
{
	struct ring r;
	const double v[] = { 100, 50 };
	wchar_t c[4];

	(void)state;
	fill(&r, 8, v, 2);
	graph_render(&r, 100, 4, 1, GRAPH_BLOCK, c);
	assert_int_equal(c[0], L' ');
	assert_int_equal(c[1], L' ');
	assert_int_equal(c[2], 0x2588);
	assert_int_equal(c[3], 0x2584); /* newest at the right edge */
	ring_free(&r);
}

static void
test_block_more_samples_than_width(void **state)
{
	struct ring r;
	const double v[] = { 100, 100, 100, 0, 50 };
	wchar_t c[2];

	(void)state;
	fill(&r, 8, v, 5);
	graph_render(&r, 100, 2, 1, GRAPH_BLOCK, c);
	assert_int_equal(c[0], L' ');
	assert_int_equal(c[1], 0x2584);
	ring_free(&r);
}

static void
test_block_zero_max_is_blank(void **state)
{
	struct ring r;
	const double v[] = { 5 };
	wchar_t c[1];

	(void)state;
	fill(&r, 8, v, 1);
	graph_render(&r, 0, 1, 1, GRAPH_BLOCK, c);
	assert_int_equal(c[0], L' ');
	ring_free(&r);
}

static void
test_block_negative_is_blank(void **state)
{
	struct ring r;
	const double v[] = { -1 };
	wchar_t c[1];

	(void)state;
	fill(&r, 8, v, 1);
	graph_render(&r, 100, 1, 1, GRAPH_BLOCK, c);
	assert_int_equal(c[0], L' ');
	ring_free(&r);
}

/* ---- ascii ---- */

static void
test_ascii_levels(void **state)
{
	struct ring r;
	const double v[] = { 0, 20, 50, 100 };
	wchar_t c[4];

	(void)state;
	fill(&r, 8, v, 4);
	graph_render(&r, 100, 4, 1, GRAPH_ASCII, c);
	assert_int_equal(c[0], L' ');
	assert_int_equal(c[1], L'.');
	assert_int_equal(c[2], L':');
	assert_int_equal(c[3], L'#');
	ring_free(&r);
}

static void
test_ascii_two_rows(void **state)
{
	struct ring r;
	const double v[] = { 100, 50, 10 };
	wchar_t c[6];

	(void)state;
	fill(&r, 8, v, 3);
	/* 6 units: 100 -> 6, 50 -> 3, 10 -> 1. */
	graph_render(&r, 100, 3, 2, GRAPH_ASCII, c);
	assert_int_equal(c[0], L'#');
	assert_int_equal(c[1], L' ');
	assert_int_equal(c[2], L' ');
	assert_int_equal(c[3], L'#');
	assert_int_equal(c[4], L'#');
	assert_int_equal(c[5], L'.');
	ring_free(&r);
}

static void
test_render_zero_size_writes_nothing(void **state)
{
	struct ring r;
	const double v[] = { 50 };
	wchar_t c[1] = { L'X' };

	(void)state;
	fill(&r, 8, v, 1);
	graph_render(&r, 100, 0, 1, GRAPH_BLOCK, c);
	graph_render(&r, 100, 1, 0, GRAPH_BRAILLE, c);
	graph_render(&r, 100, -1, -1, GRAPH_ASCII, c);
	assert_int_equal(c[0], L'X');
	ring_free(&r);
}

/* ---- sparkline ---- */

static void
test_sparkline_block(void **state)
{
	struct ring r;
	const double v[] = { 25, 100 };
	wchar_t c[3];

	(void)state;
	fill(&r, 8, v, 2);
	graph_sparkline(&r, 100, 3, GRAPH_BLOCK, c);
	assert_int_equal(c[0], L' ');
	assert_int_equal(c[1], 0x2582);
	assert_int_equal(c[2], 0x2588);
	ring_free(&r);
}

static void
test_sparkline_braille_uses_blocks(void **state)
{
	struct ring r;
	const double v[] = { 25, 100 };
	wchar_t c[2];

	(void)state;
	fill(&r, 8, v, 2);
	/* One sample per cell, as eighth blocks, even in braille mode. */
	graph_sparkline(&r, 100, 2, GRAPH_BRAILLE, c);
	assert_int_equal(c[0], 0x2582);
	assert_int_equal(c[1], 0x2588);
	ring_free(&r);
}

static void
test_sparkline_ascii(void **state)
{
	struct ring r;
	const double v[] = { 25, 100 };
	wchar_t c[2];

	(void)state;
	fill(&r, 8, v, 2);
	graph_sparkline(&r, 100, 2, GRAPH_ASCII, c);
	assert_int_equal(c[0], L'.');
	assert_int_equal(c[1], L'#');
	ring_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nice_max_zero_and_negative),
		cmocka_unit_test(test_nice_max_steps),
		cmocka_unit_test(test_nice_max_fractions),
		cmocka_unit_test(test_nice_max_large),
		cmocka_unit_test(test_nice_max_never_below_input),
		cmocka_unit_test(test_scale_fixed),
		cmocka_unit_test(test_scale_auto),
		cmocka_unit_test(test_scale_auto_empty),
		cmocka_unit_test(test_samples_per_col),
		cmocka_unit_test(test_braille_full_column),
		cmocka_unit_test(test_braille_empty_is_space),
		cmocka_unit_test(test_braille_no_samples_is_space),
		cmocka_unit_test(test_braille_right_dot_is_newest),
		cmocka_unit_test(test_braille_partial_heights),
		cmocka_unit_test(test_braille_two_rows_half),
		cmocka_unit_test(test_braille_tiny_value_shows_one_dot),
		cmocka_unit_test(test_braille_clamps_above_max),
		cmocka_unit_test(test_braille_right_aligned),
		cmocka_unit_test(test_braille_pairs_across_columns),
		cmocka_unit_test(test_block_half_one_row),
		cmocka_unit_test(test_block_eighths),
		cmocka_unit_test(test_block_rounds_up),
		cmocka_unit_test(test_block_multi_row),
		cmocka_unit_test(test_block_right_aligned_newest),
		cmocka_unit_test(test_block_more_samples_than_width),
		cmocka_unit_test(test_block_zero_max_is_blank),
		cmocka_unit_test(test_block_negative_is_blank),
		cmocka_unit_test(test_ascii_levels),
		cmocka_unit_test(test_ascii_two_rows),
		cmocka_unit_test(test_render_zero_size_writes_nothing),
		cmocka_unit_test(test_sparkline_block),
		cmocka_unit_test(test_sparkline_braille_uses_blocks),
		cmocka_unit_test(test_sparkline_ascii),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
