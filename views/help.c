/* help.c — every key binding in force, grouped by where it works. */
#include <stdio.h>
#include <string.h>

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

static void
help_draw(struct app *a, WINDOW *w)
{
	size_t n, i, line = 0;
	const struct binding *t = keys_table(&n);
	int height = getmaxy(w), width = getmaxx(w), y = 1;
	int kw = 3, cw = 7, ww = 5;
	char buf[512], kb[16], wb[96];

	/* Columns as wide as what they hold, WHERE at most 22. */
	for (i = 0; i < n; i++) {
		int l = (int)strlen(keys_label(t[i].key, kb, sizeof kb));
		kw = l > kw ? l : kw;
		l = (int)strlen(cmd_name(t[i].cmd));
		cw = l > cw ? l : cw;
		l = (int)strlen(where(t[i].views, wb, sizeof wb));
		ww = l > ww ? l : ww;
	}
	if (ww > 22)
		ww = 22;
	snprintf(buf, sizeof buf, "%-*s %-*s %-*s %s", kw, "KEY", cw, "COMMAND", ww, "WHERE",
	         "WHAT IT DOES");
	draw_fill(w, 0, 0, width, ' ' | (chtype)screen_attr(C_COLUMNS));
	draw_text(w, 0, 0, width, screen_attr(C_COLUMNS), buf);
	scroll_fit(&help_scroll, (int)n + 3, height - 1);
	for (i = 0; i < n + 3 && y < height; i++, line++) {
		if ((int)line < help_scroll.top)
			continue;
		if (i < n)
			snprintf(buf, sizeof buf, "%-*s %-*s %-*.*s %s", kw,
			         keys_label(t[i].key, kb, sizeof kb), cw, cmd_name(t[i].cmd), ww, ww,
			         where(t[i].views, wb, sizeof wb), cmd_help(t[i].cmd));
		else if (i == n)
			snprintf(buf, sizeof buf, " ");
		else if (i == n + 1)
			snprintf(buf, sizeof buf, "Mouse: click a row to select it, double-click "
			         "to open it, click a column title to sort.");
		else
			snprintf(buf, sizeof buf, "Uptime \">\" means at least: the guest ran before "
			         "vmtui connected. \"*\" before a name: autostart.");
		draw_text(w, y++, 0, width, 0, buf);
	}
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
