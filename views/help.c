/* help.c — every key binding in force, grouped by where it works. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/base/xmalloc.h"
#include "../tui/format.h"

#include "../tui/scroll.h"
#include "../tui/screen.h"
#include "views.h"

static struct scroller help_scroll;

/* Every view a binding works in, e.g. "list,detail,help". */
static const char *
where(unsigned views, char *buf, size_t n)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {
		{ KV_LIST, "list" }, { KV_DETAIL, "detail" }, { KV_HELP, "help" },
		{ KV_JOB, "plan" }, { KV_FORM, "forms" }, { KV_HOST, "host" },
		{ KV_PANE, "pane" }, { KV_SNAP, "snapshots" }, { KV_LOG, "log" },
		{ KV_POOLS, "pools" }, { KV_VOLS, "volumes" },
		{ KV_NET, "networks" }, { KV_LEASES, "leases" },
		{ KV_XFER, "transfer" },
		{ KV_HW, "hardware" }, { KV_HOSTDEV, "host devices" }, { KV_EDIT, "edit" },
		{ KV_HOSTLOAD, "host load" },
	};
	size_t i, used = 0;

	if (views & KV_GLOBAL)
		return "everywhere";
	buf[0] = '\0';
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		int w;
		if (!(views & names[i].bit) || used >= n)
			continue;
		w = snprintf(buf + used, n - used, "%s%s", used ? "," : "", names[i].name);
		if (w > 0)
			used += (size_t)w;
	}
	return buf;
}

/* The next piece of text (at most width columns, broken after a comma or
 * at a space) into out; returns where the rest starts. */
static const char *
piece(const char *text, int width, char *out, size_t n)
{
	const char *next;
	size_t len = fmt_wrap(text, width, &next);

	snprintf(out, n, "%.*s", (int)len, text);
	return next;
}

/* The help as lines for this width: a row per binding, KEY COMMAND WHERE
 * WHAT IT DOES, each column as wide as what it holds where the screen
 * allows; a WHERE or description that does not fit goes on under its own
 * column on the next lines, never cut. Then the notes, wrapped. */
static size_t
help_lines(int width, char ***out)
{
	size_t n, i, nl = 0;
	const struct binding *t = keys_table(&n);
	int kw = 3, cw = 7, wfull = 5, ww, dw, rest;
	char kb[16], wb[96], wp[96], dp[256], buf[512], **v = NULL;
	static const char *const notes[] = {
		"Mouse: click a row to select it, double-click to open it, click a column "
		"title to sort.",
		"Uptime \">\" means at least: the guest ran before vmtui connected. \"*\" "
		"before a name: autostart.",
	};

	for (i = 0; i < n; i++) {
		int l = (int)strlen(keys_label(t[i].key, kb, sizeof kb));
		kw = l > kw ? l : kw;
		l = (int)strlen(cmd_name(t[i].cmd));
		cw = l > cw ? l : cw;
		l = (int)strlen(where(t[i].views, wb, sizeof wb));
		wfull = l > wfull ? l : wfull;
	}
	rest = width - kw - cw - 3;
	if (rest < 30) {
		/* Too narrow for four columns: each binding's key and command on
		 * a line, then where and what it does under them, wrapped. */
		for (i = 0; i < n; i++) {
			const char *wr = where(t[i].views, wb, sizeof wb), *de = cmd_help(t[i].cmd);
			char text[400];
			snprintf(buf, sizeof buf, "%-*s %s", kw, keys_label(t[i].key, kb, sizeof kb),
			         cmd_name(t[i].cmd));
			v = xreallocarray(v, nl + 1, sizeof *v);
			v[nl++] = xstrdup(buf);
			snprintf(text, sizeof text, "%s (%s)", de, wr);
			for (de = text; *de;) {
				de = piece(de, width - 4, dp, sizeof dp);
				snprintf(buf, sizeof buf, "    %s", dp);
				v = xreallocarray(v, nl + 1, sizeof *v);
				v[nl++] = xstrdup(buf);
			}
		}
		goto notes;
	}
	ww = rest - 40 >= wfull ? wfull : rest / 3;
	if (ww < 10)
		ww = 10;
	dw = rest - ww;
	if (dw < 12)
		dw = 12;
	v = xreallocarray(v, nl + 1, sizeof *v);
	snprintf(buf, sizeof buf, "%-*s %-*s %-*s %s", kw, "KEY", cw, "COMMAND", ww, "WHERE",
	         "WHAT IT DOES");
	v[nl++] = xstrdup(buf);
	for (i = 0; i < n; i++) {
		const char *wr = where(t[i].views, wb, sizeof wb), *de = cmd_help(t[i].cmd);
		bool first = true;
		while (first || *wr || *de) {
			wr = piece(wr, ww, wp, sizeof wp);
			de = piece(de, dw, dp, sizeof dp);
			snprintf(buf, sizeof buf, "%-*s %-*s %-*s %s", kw,
			         first ? keys_label(t[i].key, kb, sizeof kb) : "", cw,
			         first ? cmd_name(t[i].cmd) : "", ww, wp, dp);
			v = xreallocarray(v, nl + 1, sizeof *v);
			v[nl++] = xstrdup(buf);
			first = false;
		}
	}
notes:
	v = xreallocarray(v, nl + 1, sizeof *v);
	v[nl++] = xstrdup(" ");
	for (i = 0; i < sizeof notes / sizeof notes[0]; i++) {
		const char *p = notes[i];
		while (*p) {
			p = piece(p, width, dp, sizeof dp);
			v = xreallocarray(v, nl + 1, sizeof *v);
			v[nl++] = xstrdup(dp);
		}
	}
	*out = v;
	return nl;
}

static void
help_draw(struct app *a, WINDOW *w)
{
	int height = getmaxy(w), width = getmaxx(w), y = 1;
	char **lines;
	size_t nl = help_lines(width, &lines), i;

	(void)a;
	draw_fill(w, 0, 0, width, ' ' | (chtype)screen_attr(C_COLUMNS));
	draw_text(w, 0, 0, width, screen_attr(C_COLUMNS), lines[0]);
	scroll_fit(&help_scroll, (int)nl - 1, height - 1);
	for (i = 1; i < nl; i++) {
		if ((int)i - 1 >= help_scroll.top && y < height)
			draw_text(w, y++, 0, width, 0, lines[i]);
		free(lines[i]);
	}
	free(lines[0]);
	free(lines);
}

static int
help_key(struct app *a, enum cmd c, int key)
{
	(void)a;
	(void)key;
	return scroll_cmd(&help_scroll, c) ? REDRAW_BODY : 0;
}

static void
help_enter(struct app *a)
{
	(void)a;
	scroll_init(&help_scroll, false);
}

const struct view_ops help_ops = {
	.name = "help",
	.enter = help_enter,
	.keyview = KV_HELP,
	.draw = help_draw,
	.key = help_key,
};
