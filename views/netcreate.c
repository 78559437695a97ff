/* netcreate.c — the form that creates a network (c in the networks view):
 * name, forward mode, IPv4 network, DHCP on or off and its range, bridge,
 * autostart. Checked with netdef_check (config/resdef.h) before anything
 * is sent; the networks view's job defines, starts and autostarts it and
 * its outcome shows there. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../config/resdef.h"
#include "../model/base/xmalloc.h"
#include "../model/net/netjob.h"
#include "../tui/screen.h"
#include "views.h"

enum { F_NAME, F_MODE, F_CIDR, F_DHCP, F_START, F_END, F_BRIDGE, F_AUTO, F_COUNT };

static const struct {
	const char *label, *hint;
} fields[F_COUNT] = {
	[F_NAME] = { "Name", "letters, digits, - _ ." },
	[F_MODE] = { "Mode", "nat, route, open, isolated, or bridge (a host bridge)" },
	[F_CIDR] = { "IPv4 network", "e.g. 192.168.100.0/24 (empty for bridge)" },
	[F_DHCP] = { "DHCP", "yes or no" },
	[F_START] = { "DHCP start", "empty: the second address" },
	[F_END] = { "DHCP end", "empty: the last but one" },
	[F_BRIDGE] = { "Bridge", "empty: libvirt picks virbrN; bridge mode: the host's" },
	[F_AUTO] = { "Autostart", "yes or no: start at host boot" },
};

struct createform {
	struct lineedit f[F_COUNT];
	int cur;
	char *error;
};

static struct createform *cf;

static void
create_leave(struct app *a)
{
	(void)a;
	if (cf == NULL)
		return;
	free(cf->error);
	free(cf);
	cf = NULL;
}

static void
create_draw(struct app *a, WINDOW *w)
{
	int width = getmaxx(w), i, y = 2;
	char line[700];

	if (cf == NULL)
		return;
	y = form_title(w, "New network", "Enter or F2: create  Tab/arrows: next field  Esc: cancel");
	for (i = 0; i < F_COUNT; i++, y++) {
		int attr = i == cf->cur ? screen_attr(C_SELECTION) : 0;
		snprintf(line, sizeof line, "%-13s %s", fields[i].label, cf->f[i].text);
		draw_text(w, y, 0, width > 40 ? 40 : width, attr, line);
		if (i == cf->cur)
			app_form_focus(a, y);
		if (width > 42)
			draw_text(w, y, 42, width - 42, screen_attr(C_DIM), fields[i].hint);
	}
	y++;
	if (cf->error)
		draw_wrapped(w, &y, screen_attr(C_ERROR), cf->error);
}

static const char *
or_null(const struct lineedit *le)
{
	return le->text[0] ? le->text : NULL;
}

static bool
yes_no(const char *label, const char *text, bool *out)
{
	if (strcmp(text, "yes") == 0 || strcmp(text, "no") == 0) {
		*out = text[0] == 'y';
		return true;
	}
	free(cf->error);
	cf->error = xasprintf("%s: answer yes or no.", label);
	return false;
}

static void
submit(struct app *a)
{
	struct net_job *j = networks_job();
	struct netdef d = { 0 };
	const char *why;
	bool taken = false;
	size_t i;

	if (j == NULL)
		return;
	d.name = cf->f[F_NAME].text;
	d.forward = cf->f[F_MODE].text;
	d.cidr = (char *)or_null(&cf->f[F_CIDR]);
	d.dhcp_start = (char *)or_null(&cf->f[F_START]);
	d.dhcp_end = (char *)or_null(&cf->f[F_END]);
	d.bridge = (char *)or_null(&cf->f[F_BRIDGE]);
	d.start = true;
	if (!yes_no("DHCP", cf->f[F_DHCP].text, &d.dhcp) ||
	    !yes_no("Autostart", cf->f[F_AUTO].text, &d.autostart))
		return;
	if (!d.dhcp && (d.dhcp_start || d.dhcp_end)) {
		free(cf->error);
		cf->error = xstrdup("DHCP is off: leave the DHCP range empty, or turn DHCP on.");
		return;
	}
	host_lock(j->host);
	for (i = 0; i < j->list.n; i++)
		taken |= strcmp(j->list.v[i].name, d.name) == 0;
	host_unlock(j->host);
	free(cf->error);
	cf->error = NULL;
	if (d.name[0] == '\0')
		cf->error = xstrdup("Name: give the new network a name.");
	else if (taken)
		cf->error = xasprintf("There is a network %s already; pick another name.", d.name);
	else if ((why = netdef_check(&d)) != NULL)
		cf->error = xasprintf("Cannot create network %s: %s.", d.name, why);
	if (cf->error)
		return;
	networks_select(d.name);
	networks_run(a, NETOP_CREATE, d.name, &d, "Creating");
	app_pop_view(a);
}

static int
create_key(struct app *a, enum cmd c, int key)
{
	(void)key;
	if (cf == NULL)
		return 0;
	switch (c) {
	case CMD_BACK:
		app_status(a, MSG_INFO, "Cancelled.");
		return 0; /* popped by the command */
	case CMD_NEXT_FIELD:
		cf->cur = (cf->cur + 1) % F_COUNT;
		return REDRAW_BODY;
	case CMD_PREV_FIELD:
		cf->cur = (cf->cur + F_COUNT - 1) % F_COUNT;
		return REDRAW_BODY;
	case CMD_APPLY:
		submit(a);
		return REDRAW_BODY;
	default:
		return 0;
	}
}

static int
create_text(struct app *a, wint_t wc, bool is_key)
{
	enum le_result r;

	if (cf == NULL)
		return HANDLED;
	r = lineedit_key(&cf->f[cf->cur], wc, is_key);
	if (r == LE_ENTER)
		return command_dispatch(a, CMD_APPLY, 0);
	if (r == LE_CANCEL)
		return command_dispatch(a, CMD_BACK, 0);
	if (r == LE_TAB)
		return create_key(a, CMD_NEXT_FIELD, 0);
	return REDRAW_BODY;
}

/* A /24 in 192.168.100-254 that no listed network has, for the form. */
static void
free_cidr(char *buf, size_t size)
{
	struct net_job *j = networks_job();
	char prefix[32];
	size_t i;
	int k;
	bool used;

	snprintf(buf, size, "192.168.100.0/24");
	if (j == NULL)
		return;
	host_lock(j->host);
	for (k = 100; k < 255; k++) {
		snprintf(prefix, sizeof prefix, "192.168.%d.", k);
		for (used = false, i = 0; i < j->list.n && !used; i++)
			used = j->list.v[i].ipv4 && strncmp(j->list.v[i].ipv4, prefix, strlen(prefix)) == 0;
		if (!used) {
			snprintf(buf, size, "192.168.%d.0/24", k);
			break;
		}
	}
	host_unlock(j->host);
}

void
netcreate_open(struct app *a)
{
	char cidr[32];

	create_leave(a);
	cf = xcalloc(1, sizeof *cf);
	free_cidr(cidr, sizeof cidr);
	lineedit_set(&cf->f[F_MODE], "nat");
	lineedit_set(&cf->f[F_CIDR], cidr);
	lineedit_set(&cf->f[F_DHCP], "yes");
	lineedit_set(&cf->f[F_AUTO], "yes");
	app_push_view(a, &netcreate_ops);
}

const struct view_ops netcreate_ops = {
	.name = "new network",
	.keyview = KV_FORM,
	.tall = true,
	.leave = create_leave,
	.draw = create_draw,
	.key = create_key,
	.text = create_text,
};
