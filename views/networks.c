/* networks.c — the virtual networks of a host (n in the host view): state,
 * autostart, persistence, forward mode, bridge, addresses, DHCP range,
 * lease count and the guests on each. c opens the create form, s starts,
 * x stops (asking when running guests use it), a switches autostart, D
 * deletes after the name is typed (views/netdelete.c), Enter opens the
 * leases (views/netleases.c). The work is model/net/netjob.h's job on the
 * host's worker; the job is this view's and the views it opens share it. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/base/xmalloc.h"
#include "../model/net/netjob.h"
#include "../tui/screen.h"
#include "views.h"

/* From this width on the list has an IPv6 column. */
#define WIDE 180

/* Seconds between reads while the view is open (leases come and go). */
#define REREAD_NS (5ull * 1000000000ull)

struct netview {
	struct net_job *job;
	char *host;            /* its label */
	struct scroller list;
	char *sel_name;        /* the selection survives re-reads */
	char *pending;         /* the network a question is about */
	uint64_t read_ns;      /* when the last read was asked for */
	bool working;          /* an operation asked for has not ended yet */
};

static struct netview *nv;

struct net_job *
networks_job(void)
{
	return nv ? nv->job : NULL;
}

static void
net_leave(struct app *a)
{
	(void)a;
	if (nv == NULL)
		return;
	net_job_release(nv->job);
	free(nv->host);
	free(nv->sel_name);
	free(nv->pending);
	free(nv);
	nv = NULL;
}

/* The selected network (host lock held), or NULL. */
static const struct net_info *
selected(void)
{
	const struct net_list *l = &nv->job->list;
	int i = scroll_keep_named(&nv->list, &nv->sel_name, l->v, l->n, sizeof *l->v,
	                          offsetof(struct net_info, name), false);

	return i < 0 ? NULL : &l->v[i];
}

/* Copy what a command needs of the selected network (NULL: none, said). */
static char *
selected_name(struct app *a, bool *active, bool *autostart, char **running)
{
	const struct net_info *n;
	char *name = NULL;

	host_lock(nv->job->host);
	if ((n = selected()) != NULL) {
		name = xstrdup(n->name);
		if (active)
			*active = n->active;
		if (autostart)
			*autostart = n->autostart;
		if (running)
			*running = n->running ? xstrdup(n->running) : NULL;
	}
	host_unlock(nv->job->host);
	if (name == NULL)
		app_status(a, MSG_ERROR, "No network selected.");
	return name;
}

static void
fmt_dhcp(const struct net_info *n, char *buf, size_t size)
{
	if (n->dhcp_start)
		snprintf(buf, size, "%s-%s", n->dhcp_start, n->dhcp_end ? n->dhcp_end : "?");
	else
		snprintf(buf, size, "-");
}

static const char *
dash(const char *s)
{
	return s && s[0] ? s : "-";
}

static void
draw_rows(WINDOW *w, int *y, int rows)
{
	const struct net_list *l = &nv->job->list;
	int width = getmaxx(w);
	char line[1024], fwd[64], dhcp[80], leases[16], v6col[64];
	size_t i;
	bool v6 = width >= WIDE; /* room for the IPv6 column */

	draw_text(w, (*y)++, 0, width, screen_attr(C_COLUMNS), v6 ?
	          "NAME               STATE    AUTO PERS FORWARD      BRIDGE      IPV4"
	          "               IPV6                     DHCP                            "
	          "LEASES GUESTS" :
	          "NAME               STATE    AUTO PERS FORWARD      BRIDGE      IPV4"
	          "               DHCP                            LEASES GUESTS");
	if (l->n == 0) {
		draw_text(w, (*y)++, 2, width - 2, screen_attr(C_DIM),
		          "No networks yet: press c to create one.");
		return;
	}
	selected();
	scroll_fit(&nv->list, (int)l->n, rows);
	for (i = (size_t)nv->list.top; i < l->n && rows-- > 0; i++, (*y)++) {
		const struct net_info *n = &l->v[i];
		int attr = (int)i == nv->list.sel ? screen_attr(C_SELECTION) : 0;
		fmt_dhcp(n, dhcp, sizeof dhcp);
		if (n->nleases >= 0)
			snprintf(leases, sizeof leases, "%d", n->nleases);
		else
			snprintf(leases, sizeof leases, "-");
		snprintf(v6col, sizeof v6col, "%-24s ", dash(n->ipv6));
		snprintf(line, sizeof line, "%-18.18s %-8s %-4s %-4s %-12.12s %-11.11s %-18s %s%-31s "
		         "%-6s %s", n->name, n->active ? "active" : "inactive",
		         n->autostart ? "yes" : "no", n->persistent ? "yes" : "no",
		         net_forward_label(n, fwd, sizeof fwd), dash(n->bridge), dash(n->ipv4),
		         v6 ? v6col : "", dhcp, leases, dash(n->users));
		draw_text(w, *y, 0, width, attr, line);
	}
}

/* More about the selected network under the list. */
static void
draw_selected(WINDOW *w, int *y)
{
	const struct net_info *n = selected();
	char line[1024], fwd[64];

	if (n == NULL)
		return;
	snprintf(line, sizeof line, "%s: %s, bridge %s, IPv4 %s, IPv6 %s, %zu pinned address%s; "
	         "running guests on it: %s", n->name, net_forward_label(n, fwd, sizeof fwd),
	         dash(n->bridge), dash(n->ipv4), dash(n->ipv6), n->npins,
	         n->npins == 1 ? "" : "es", n->running ? n->running : "none");
	draw_wrapped(w, y, screen_attr(C_DIM), line);
}

static void
net_draw(struct app *a, WINDOW *w)
{
	struct net_job *j = nv ? nv->job : NULL;
	int width = getmaxx(w), y = 0, rows;
	char line[512];

	(void)a;
	if (j == NULL)
		return;
	snprintf(line, sizeof line, "Networks of %s  %zu network%s", nv->host, j->list.n,
	         j->list.n == 1 ? "" : "s");
	draw_text(w, y++, 0, width, screen_attr(C_COLUMNS), line);
	draw_hints(w, &y, screen_attr(C_DIM), "Enter: leases  c: create  s: start  "
	          "x: stop  a: autostart  D: delete  Esc: back");
	y++;
	if (j->reads == 0) {
		draw_text(w, y++, 0, width, j->error ? screen_attr(C_ERROR) : 0,
		          j->error ? j->error : "Reading...");
		return;
	}
	rows = getmaxy(w) - y - 5;
	draw_rows(w, &y, rows < 1 ? 1 : rows);
	y++;
	draw_selected(w, &y);
	if (!j->busy)
		nv->working = false;
	draw_outcome(w, &y, nv->working, j->error, j->result);
}

/* ---- actions ---- */

static bool
not_busy(struct app *a)
{
	bool busy;

	host_lock(nv->job->host);
	busy = nv->job->busy;
	host_unlock(nv->job->host);
	if (busy)
		app_status(a, MSG_ERROR, "Wait: the last network operation is still running.");
	return !busy;
}

void
networks_run(struct app *a, enum net_op op, const char *name, const struct netdef *def,
             const char *doing)
{
	if (nv == NULL)
		return;
	net_job_run(nv->job, op, name, NULL, NULL, NULL, def);
	nv->read_ns = host_now_ns();
	nv->working = true;
	app_status(a, MSG_INFO, "%s network %s...", doing, name);
}

static void
stop_yes(struct app *a)
{
	if (nv && nv->pending)
		networks_run(a, NETOP_STOP, nv->pending, NULL, "Stopping");
}

int
networks_start_stop(struct app *a, bool start)
{
	bool active = false;
	char *running = NULL, *name, *q;

	if (nv == NULL || !not_busy(a) ||
	    (name = selected_name(a, &active, NULL, &running)) == NULL)
		return HANDLED;
	if (start && active)
		app_status(a, MSG_ERROR, "Network %s is running already.", name);
	else if (!start && !active)
		app_status(a, MSG_ERROR, "Network %s is not running.", name);
	else if (start)
		networks_run(a, NETOP_START, name, NULL, "Starting");
	else if (running == NULL)
		networks_run(a, NETOP_STOP, name, NULL, "Stopping");
	else {
		free(nv->pending);
		nv->pending = xstrdup(name);
		q = xasprintf("Stop network %s? Running guest%s %s lose%s it until it starts again.",
		              name, strchr(running, ',') ? "s" : "", running,
		              strchr(running, ',') ? "" : "s");
		app_ask(a, q, stop_yes);
		free(q);
	}
	free(running);
	free(name);
	return HANDLED;
}

int
networks_autostart(struct app *a)
{
	bool on = false;
	char *name;

	if (nv == NULL || !not_busy(a) || (name = selected_name(a, NULL, &on, NULL)) == NULL)
		return HANDLED;
	networks_run(a, on ? NETOP_AUTOSTART_OFF : NETOP_AUTOSTART_ON, name, NULL,
	             on ? "Turning off autostart of" : "Turning on autostart of");
	free(name);
	return HANDLED;
}

int
networks_delete(struct app *a)
{
	char *name, *running = NULL;

	if (nv == NULL || !not_busy(a) || (name = selected_name(a, NULL, NULL, &running)) == NULL)
		return HANDLED;
	netdelete_open(a, name, running);
	free(name);
	free(running);
	return HANDLED;
}

int
networks_create(struct app *a)
{
	if (nv == NULL || !not_busy(a))
		return HANDLED;
	netcreate_open(a);
	return HANDLED;
}

/* Land on a network once the list has it (after a create). */
void
networks_select(const char *name)
{
	if (nv == NULL)
		return;
	free(nv->sel_name);
	nv->sel_name = xstrdup(name);
}

static int
net_key(struct app *a, enum cmd c, int key)
{
	char *name;

	(void)key;
	if (nv == NULL)
		return 0;
	host_lock(nv->job->host);
	selected();
	nv->list.n = (int)nv->job->list.n;
	if (scroll_cmd(&nv->list, c)) {
		if (nv->job->list.n > 0) {
			free(nv->sel_name);
			nv->sel_name = xstrdup(nv->job->list.v[nv->list.sel].name);
		}
		host_unlock(nv->job->host);
		return REDRAW_BODY;
	}
	host_unlock(nv->job->host);
	switch (c) {
	case CMD_OPEN:
		if ((name = selected_name(a, NULL, NULL, NULL)) != NULL) {
			netleases_open(a, nv->job, name);
			free(name);
		}
		return HANDLED;
	case CMD_REFRESH:
		net_job_run(nv->job, NETOP_READ, NULL, NULL, NULL, NULL, NULL);
		nv->read_ns = host_now_ns();
		return 0;
	default:
		return 0;
	}
}

/* Read again now and then while open, when nothing runs. */
static void
net_poll(struct app *a)
{
	bool busy;

	(void)a;
	if (nv == NULL || host_now_ns() - nv->read_ns < REREAD_NS)
		return;
	host_lock(nv->job->host);
	busy = nv->job->busy;
	host_unlock(nv->job->host);
	nv->read_ns = host_now_ns();
	if (!busy)
		net_job_run(nv->job, NETOP_READ, NULL, NULL, NULL, NULL, NULL);
}

int
networks_open(struct app *a)
{
	struct host *h = a->nhosts ? app_target_host(a) : NULL;

	if (h == NULL)
		return HANDLED;
	if (app_view_open(a, &networks_ops)) {
		app_push_view(a, &networks_ops); /* back to it */
		return HANDLED;
	}
	nv = xcalloc(1, sizeof *nv);
	scroll_init(&nv->list, true);
	nv->host = xstrdup(host_label(h));
	nv->job = net_job_new(h);
	nv->read_ns = host_now_ns();
	app_push_view(a, &networks_ops);
	return HANDLED;
}

const struct view_ops networks_ops = {
	.name = "networks",
	.reports = true,
	.keyview = KV_NET,
	.leave = net_leave,
	.draw = net_draw,
	.key = net_key,
	.poll = net_poll,
};
