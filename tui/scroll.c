/* scroll.c — one scrolling list for every list-like view. */
#include "scroll.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "../model/base/xmalloc.h"

void
scroll_init(struct scroller *s, bool cursor)
{
	s->top = 0;
	s->sel = 0;
	s->cursor = cursor;
	s->n = 0;
	s->page = 1;
}

/* Clamp v to [lo, hi] (hi below lo: lo). */
static int
clamp(int v, int lo, int hi)
{
	if (v > hi)
		v = hi;
	return v < lo ? lo : v;
}

bool
scroll_cmd(struct scroller *s, enum cmd c)
{
	int *at = s->cursor ? &s->sel : &s->top;
	/* A page keeps one line of the last in sight. */
	int page = s->page > 1 ? s->page - 1 : 1;

	switch (c) {
	case CMD_UP:
		(*at)--;
		break;
	case CMD_DOWN:
		(*at)++;
		break;
	case CMD_PAGE_UP:
		*at -= page;
		break;
	case CMD_PAGE_DOWN:
		*at += page;
		break;
	case CMD_HOME:
		*at = 0;
		break;
	case CMD_END:
		*at = INT_MAX / 2;
		break;
	default:
		return false;
	}
	scroll_fit(s, s->n, s->page);
	return true;
}

void
scroll_fit(struct scroller *s, int n, int page)
{
	s->n = n < 0 ? 0 : n;
	s->page = page < 1 ? 1 : page;
	if (s->cursor) {
		s->sel = clamp(s->sel, 0, s->n - 1);
		if (s->sel < s->top)
			s->top = s->sel;
		if (s->sel >= s->top + s->page)
			s->top = s->sel - s->page + 1;
	}
	s->top = clamp(s->top, 0, s->n - s->page);
}

void
scroll_select(struct scroller *s, int i)
{
	s->sel = i;
	scroll_fit(s, s->n, s->page);
}

int
scroll_keep_named(struct scroller *s, char **name, const void *items, size_t n,
                  size_t size, size_t off, bool hold)
{
	const char *base = items;
	size_t i;

	if (*name)
		for (i = 0; i < n; i++)
			if (strcmp(*(char *const *)(base + i * size + off), *name) == 0)
				return s->sel = (int)i;
	if (n == 0)
		return -1;
	if (s->sel >= (int)n)
		s->sel = (int)n - 1;
	if (s->sel < 0)
		s->sel = 0;
	if (!hold || *name == NULL) {
		free(*name);
		*name = xstrdup(*(char *const *)(base + (size_t)s->sel * size + off));
	}
	return s->sel;
}
