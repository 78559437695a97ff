/* textdiff.c — unified diffs of two texts by their longest common
 * subsequence of lines, after trimming the common start and end (which
 * is nearly everything in an edited domain XML). */
#include "textdiff.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/xmalloc.h"

#define MAX_CELLS ((size_t)16 << 20)

struct line {
	const char *s;
	size_t len; /* without the newline */
};

struct lines {
	struct line *v;
	size_t n;
};

static void
split(const char *t, struct lines *out)
{
	size_t cap = 16;
	const char *p = t ? t : "";

	out->v = xcalloc(cap, sizeof *out->v);
	out->n = 0;
	while (*p != '\0') {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (out->n == cap) {
			cap *= 2;
			out->v = xreallocarray(out->v, cap, sizeof *out->v);
		}
		out->v[out->n++] = (struct line){ p, len };
		p += len + (nl != NULL);
	}
}

static bool
same(const struct line *x, const struct line *y)
{
	return x->len == y->len && memcmp(x->s, y->s, x->len) == 0;
}

/* One line of the edit script: ' ' kept, '-' from a, '+' from b. */
struct op {
	char kind;
	size_t ai, bi; /* the line's index in a (for ' ' and '-') and b (' ' and '+') */
};

struct buf {
	char *s;
	size_t len, cap;
};

static void
put(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

/* "@@ -as,an +bs,bn @@" */
static void
put_hunk_head(struct buf *b, size_t as, size_t an, size_t bs, size_t bn)
{
	char tmp[96];
	int n = snprintf(tmp, sizeof tmp, "@@ -%zu,%zu +%zu,%zu @@\n", as, an, bs, bn);
	put(b, tmp, (size_t)n);
}

/* The edit script for a[a0..a1) against b[b0..b1), appended to ops. */
static void
script(const struct lines *a, const struct lines *b, size_t a0, size_t a1, size_t b0, size_t b1,
       struct op *ops, size_t *nops)
{
	size_t n = a1 - a0, m = b1 - b0, i, j;
	uint32_t *t;

	if (n == 0 || m == 0 || (n + 1) > MAX_CELLS / (m + 1)) {
		for (i = a0; i < a1; i++)
			ops[(*nops)++] = (struct op){ '-', i, 0 };
		for (j = b0; j < b1; j++)
			ops[(*nops)++] = (struct op){ '+', 0, j };
		return;
	}
	/* t[i][j]: the longest common subsequence of a[a0+i..] and b[b0+j..]. */
	t = xcalloc((n + 1) * (m + 1), sizeof *t);
#define T(i, j) t[(i) * (m + 1) + (j)]
	for (i = n; i-- > 0;)
		for (j = m; j-- > 0;)
			T(i, j) = same(&a->v[a0 + i], &b->v[b0 + j])
			                  ? T(i + 1, j + 1) + 1
			                  : (T(i + 1, j) >= T(i, j + 1) ? T(i + 1, j) : T(i, j + 1));
	i = 0;
	j = 0;
	while (i < n || j < m) {
		if (i < n && j < m && same(&a->v[a0 + i], &b->v[b0 + j])) {
			ops[(*nops)++] = (struct op){ ' ', a0 + i, b0 + j };
			i++;
			j++;
		} else if (j == m || (i < n && T(i + 1, j) >= T(i, j + 1))) {
			ops[(*nops)++] = (struct op){ '-', a0 + i, 0 };
			i++;
		} else {
			ops[(*nops)++] = (struct op){ '+', 0, b0 + j };
			j++;
		}
	}
#undef T
	free(t);
}

/* Removals of a run of changes before its additions. */
static void
order_runs(struct op *ops, size_t nops)
{
	size_t i = 0, j, k;

	while (i < nops) {
		if (ops[i].kind == ' ') {
			i++;
			continue;
		}
		for (j = i; j < nops && ops[j].kind != ' '; j++)
			;
		/* stable: '-' first, then '+' */
		struct op *tmp = xcalloc(j - i, sizeof *tmp);
		size_t t = 0;
		for (k = i; k < j; k++)
			if (ops[k].kind == '-')
				tmp[t++] = ops[k];
		for (k = i; k < j; k++)
			if (ops[k].kind == '+')
				tmp[t++] = ops[k];
		memcpy(ops + i, tmp, (j - i) * sizeof *tmp);
		free(tmp);
		i = j;
	}
}

static void
put_line(struct buf *out, char kind, const struct line *l)
{
	put(out, &kind, 1);
	put(out, l->s, l->len);
	put(out, "\n", 1);
}

char *
textdiff_unified(const char *a_text, const char *b_text, const char *a_name, const char *b_name,
                 int context)
{
	struct lines a, b;
	size_t pre = 0, suf = 0, nops = 0, i;
	struct op *ops;
	struct buf out = { NULL, 0, 0 };
	size_t ctx = context < 0 ? 0 : (size_t)context;

	split(a_text, &a);
	split(b_text, &b);
	while (pre < a.n && pre < b.n && same(&a.v[pre], &b.v[pre]))
		pre++;
	while (suf < a.n - pre && suf < b.n - pre && same(&a.v[a.n - 1 - suf], &b.v[b.n - 1 - suf]))
		suf++;
	put(&out, "", 0);
	if (pre == a.n && pre == b.n) {
		free(a.v);
		free(b.v);
		return out.s;
	}
	ops = xcalloc(a.n + b.n + 1, sizeof *ops);
	for (i = 0; i < pre; i++)
		ops[nops++] = (struct op){ ' ', i, i };
	script(&a, &b, pre, a.n - suf, pre, b.n - suf, ops, &nops);
	for (i = 0; i < suf; i++)
		ops[nops++] = (struct op){ ' ', a.n - suf + i, b.n - suf + i };
	order_runs(ops, nops);

	put(&out, "--- ", 4);
	put(&out, a_name ? a_name : "a", strlen(a_name ? a_name : "a"));
	put(&out, "\n+++ ", 5);
	put(&out, b_name ? b_name : "b", strlen(b_name ? b_name : "b"));
	put(&out, "\n", 1);

	/* Hunks: each change with ctx lines around it, joined when they touch. */
	i = 0;
	while (i < nops) {
		size_t first, last, k, an = 0, bn = 0, as = 0, bs = 0;
		bool seen_a = false, seen_b = false;

		while (i < nops && ops[i].kind == ' ')
			i++;
		if (i == nops)
			break;
		first = i > ctx ? i - ctx : 0;
		last = i;
		for (k = i; k < nops; k++) {
			if (ops[k].kind != ' ')
				last = k;
			else if (k - last > 2 * ctx)
				break;
		}
		last = last + ctx < nops - 1 ? last + ctx : nops - 1;
		for (k = first; k <= last; k++) {
			if (ops[k].kind != '+') {
				if (!seen_a)
					as = ops[k].ai, seen_a = true;
				an++;
			}
			if (ops[k].kind != '-') {
				if (!seen_b)
					bs = ops[k].bi, seen_b = true;
				bn++;
			}
		}
		/* diff -u: a hunk with no lines on one side starts at the line before. */
		if (!seen_a) {
			size_t before = 0;
			for (k = 0; k < first; k++)
				if (ops[k].kind != '+')
					before++;
			as = before;
		} else {
			as++;
		}
		if (!seen_b) {
			size_t before = 0;
			for (k = 0; k < first; k++)
				if (ops[k].kind != '-')
					before++;
			bs = before;
		} else {
			bs++;
		}
		put_hunk_head(&out, as, an, bs, bn);
		for (k = first; k <= last; k++)
			put_line(&out, ops[k].kind,
			         ops[k].kind == '+' ? &b.v[ops[k].bi] : &a.v[ops[k].ai]);
		i = last + 1;
	}
	free(ops);
	free(a.v);
	free(b.v);
	return out.s;
}

void
textdiff_count(const char *diff, size_t *removed, size_t *added)
{
	const char *p = diff ? diff : "";
	bool in_hunk = false;

	*removed = *added = 0;
	while (*p != '\0') {
		if (p[0] == '@')
			in_hunk = true;
		else if (in_hunk && p[0] == '-')
			(*removed)++;
		else if (in_hunk && p[0] == '+')
			(*added)++;
		p = strchr(p, '\n');
		if (p == NULL)
			break;
		p++;
	}
}
