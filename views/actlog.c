/* actlog.c — the action log: every action taken with its result and the
 * virsh command that does the same, libvirt events and connection changes,
 * newest first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "../model/base/msglog.h"
#include "../model/base/xmalloc.h"
#include "../tui/scroll.h"
#include "../tui/screen.h"
#include "views.h"

#define INDENT 19 /* "HH:MM:SS  action   " */

/* The log's own state: where it is scrolled, the newest entry drawn. */
static struct scroller log_scroll;
static uint64_t seen_seq;

/* Bytes of s that fit in width cells, broken after a space when one is
 * near the end; at least one character so a narrow window still moves. */
static size_t
fit(const char *s, int width)
{
	mbstate_t st;
	size_t off = 0, last_space = 0;
	int used = 0;

	memset(&st, 0, sizeof st);
	while (s[off]) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, s + off, MB_CUR_MAX, &st);
		int cw;

		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&st, 0, sizeof st);
			n = 1;
			cw = 1;
		} else if ((cw = wcwidth(wc)) < 0) {
			cw = 1;
		}
		if (used + cw > width && off > 0)
			return last_space > off / 2 ? last_space : off;
		used += cw;
		off += n;
		if (wc == L' ')
			last_space = off;
	}
	return off;
}

/* Draw s from line *y on, wrapped to the window; lines above `first` are
 * counted but not drawn. */
static void
put_wrapped(WINDOW *w, int *y, int first, int x, int attr, const char *s)
{
	int width = getmaxx(w) - x, height = getmaxy(w);
	char line[1024];

	if (width < 1)
		width = 1;
	do {
		size_t n = fit(s, width);
		if (n >= sizeof line)
			n = sizeof line - 1;
		memcpy(line, s, n);
		line[n] = '\0';
		if (*y >= first && *y - first + 1 < height)
			draw_text(w, *y - first + 1, x, width, attr, line);
		(*y)++;
		s += n;
	} while (*s);
}

static void
kind_of(const struct msg *m, const char **tag, int *attr)
{
	if (m->kind == MSG_ERROR) {
		*tag = m->virsh ? "failed" : "error";
		*attr = screen_attr(C_WARNING);
	} else if (m->virsh != NULL) {
		*tag = "action";
		*attr = screen_attr(C_RUNNING);
	} else if (m->kind == MSG_EVENT) {
		*tag = "event";
		*attr = screen_attr(C_DIM);
	} else if (m->kind == MSG_REFUSED) {
		*tag = "refused";
		*attr = screen_attr(C_WARNING);
	} else if (m->kind == MSG_NOTE) {
		*tag = "note";
		*attr = screen_attr(C_DIM);
	} else {
		*tag = "info";
		*attr = 0;
	}
}

/* Draw the entries from wrapped line `first` on; returns how many wrapped
 * lines there are in all. */
static int
render(WINDOW *w, int first)
{
	size_t i, n = msglog_count();
	int width = getmaxx(w), y = 0;
	int x = width > INDENT + 10 ? INDENT : 2;

	for (i = 0; i < n; i++) {
		struct msg m;
		struct tm tm;
		time_t t;
		char stamp[16];
		const char *tag;
		int attr;

		if (!msglog_get(i, &m))
			break;
		t = (time_t)m.wall;
		localtime_r(&t, &tm);
		strftime(stamp, sizeof stamp, "%H:%M:%S", &tm);
		kind_of(&m, &tag, &attr);
		if (y >= first && y - first + 1 < getmaxy(w) && x == INDENT) {
			draw_text(w, y - first + 1, 0, 8, screen_attr(C_DIM), stamp);
			draw_text(w, y - first + 1, 10, 8, attr, tag);
		}
		put_wrapped(w, &y, first, x, x == INDENT ? 0 : attr, m.text);
		if (m.virsh != NULL) {
			char *line = xasprintf("$ %s", m.virsh);
			put_wrapped(w, &y, first, x + 2, screen_attr(C_TITLE), line);
			free(line);
		}
		msg_clear(&m);
	}
	return y;
}

static void
actlog_draw(struct app *a, WINDOW *w)
{
	size_t n = msglog_count();
	int width = getmaxx(w), rows = getmaxy(w) - 1, total, first;
	char head[160];

	(void)a;
	snprintf(head, sizeof head, "ACTION LOG  %zu entr%s, newest first; \"$\" lines: the "
	         "virsh command that does the same", n, n == 1 ? "y" : "ies");
	if ((int)strlen(head) > width) /* the short form where the long one is cut */
		snprintf(head, sizeof head, "ACTION LOG  %zu entr%s", n, n == 1 ? "y" : "ies");
	draw_fill(w, 0, 0, width, ' ' | (chtype)screen_attr(C_COLUMNS));
	draw_text(w, 0, 0, width, screen_attr(C_COLUMNS), head);
	if (n == 0) {
		int y = 2;
		draw_wrapped(w, &y, screen_attr(C_DIM),
		             "Nothing yet: actions, their results and libvirt events appear here.");
		return;
	}
	total = render(w, log_scroll.top);
	/* Scrolled past the end (End, or entries went away): the last page. */
	first = log_scroll.top;
	scroll_fit(&log_scroll, total, rows);
	if (log_scroll.top != first) {
		werase(w);
		actlog_draw(a, w);
	}
}

static int
actlog_key(struct app *a, enum cmd c, int key)
{
	(void)a;
	(void)key;
	return scroll_cmd(&log_scroll, c) ? REDRAW_BODY : 0;
}

static void
actlog_enter(struct app *a)
{
	(void)a;
	scroll_init(&log_scroll, false);
	seen_seq = msglog_seq();
}

/* New entries are drawn as they come. */
static void
actlog_poll(struct app *a)
{
	if (a->view == &actlog_ops && msglog_seq() != seen_seq) {
		seen_seq = msglog_seq();
		a->dirty |= DIRTY_BODY;
	}
}

const struct view_ops actlog_ops = {
	.name = "action log",
	.enter = actlog_enter,
	.keyview = KV_LOG,
	.draw = actlog_draw,
	.key = actlog_key,
	.poll = actlog_poll,
};
