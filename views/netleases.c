/* netleases.c — the DHCP leases of one network (Enter in the networks
 * view): MAC, address, hostname, expiry, the guest with that MAC, and
 * whether the MAC is pinned; a pinned MAC without a lease has a row too.
 * p pins the selected row's MAC to its address (named after its guest),
 * u unpins it. The work is the networks view's job (model/net/netjob.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../model/base/xmalloc.h"
#include "../model/net/netjob.h"
#include "../tui/screen.h"
#include "views.h"

struct leaseview {
	struct net_job *job;   /* the networks view's */
	char *net;
	struct scroller list;
	char *sel_mac;         /* the selection survives re-reads */
	bool working;          /* a pin or unpin has not ended yet */
};

static struct leaseview *lv;

static void
leases_leave(struct app *a)
{
	(void)a;
	if (lv == NULL)
		return;
	net_job_leases(lv->job, NULL);
	free(lv->net);
	free(lv->sel_mac);
	free(lv);
	lv = NULL;
}

/* The leases shown (host lock held): the job's, when they are lv->net's. */
static const struct net_leases *
shown(void)
{
	const struct net_leases *l = &lv->job->leases;

	return l->net && strcmp(l->net, lv->net) == 0 ? l : NULL;
}

/* The selected row (host lock held), or NULL. */
static const struct net_lease *
selected(void)
{
	const struct net_leases *l = shown();
	size_t i;

	if (l == NULL || l->n == 0)
		return NULL;
	if (lv->sel_mac)
		for (i = 0; i < l->n; i++)
			if (strcmp(l->v[i].mac, lv->sel_mac) == 0) {
				lv->list.sel = (int)i;
				return &l->v[i];
			}
	if (lv->list.sel >= (int)l->n)
		lv->list.sel = (int)l->n - 1;
	if (lv->list.sel < 0)
		lv->list.sel = 0;
	free(lv->sel_mac);
	lv->sel_mac = xstrdup(l->v[lv->list.sel].mac);
	return &l->v[lv->list.sel];
}

static const char *
dash(const char *s)
{
	return s && s[0] ? s : "-";
}

static void
draw_rows(WINDOW *w, int *y, int rows, const struct net_leases *l)
{
	int width = getmaxx(w);
	char line[1024], ip[80], exp[32], pin[80];
	long long now = (long long)time(NULL);
	size_t i;

	draw_text(w, (*y)++, 0, width, screen_attr(C_COLUMNS),
	          "MAC                IP                  HOSTNAME          EXPIRES       "
	          "GUEST                 PINNED");
	if (l->n == 0) {
		draw_text(w, (*y)++, 2, width - 2, screen_attr(C_DIM), l->info.active ?
		          "No leases yet: a guest on this network gets one when it asks (DHCP)." :
		          "The network is not running: no leases.");
		return;
	}
	selected();
	scroll_fit(&lv->list, (int)l->n, rows);
	for (i = (size_t)lv->list.top; i < l->n && rows-- > 0; i++, (*y)++) {
		const struct net_lease *r = &l->v[i];
		int attr = (int)i == lv->list.sel ? screen_attr(C_SELECTION) : 0;
		if (r->ip && r->expiry >= 0)
			snprintf(ip, sizeof ip, "%s/%u", r->ip, r->prefix);
		else
			snprintf(ip, sizeof ip, "%s", dash(r->ip));
		if (r->expiry >= 0)
			net_fmt_expiry(exp, sizeof exp, r->expiry, now);
		else
			snprintf(exp, sizeof exp, "(no lease)");
		if (r->pin_ip == NULL)
			snprintf(pin, sizeof pin, "-");
		else if (r->ip && strcmp(r->ip, r->pin_ip) == 0)
			snprintf(pin, sizeof pin, "pinned");
		else
			snprintf(pin, sizeof pin, "pinned: %s", r->pin_ip);
		snprintf(line, sizeof line, "%-17s  %-18.18s  %-16.16s  %-12s  %-20.20s  %s", r->mac,
		         ip, dash(r->hostname), exp, dash(r->guest), pin);
		draw_text(w, *y, 0, width, attr, line);
	}
}

static void
leases_draw(struct app *a, WINDOW *w)
{
	struct net_job *j = lv ? lv->job : NULL;
	const struct net_leases *l;
	int width = getmaxx(w), y = 0, rows;
	char line[512], fwd[64];
	size_t i, npinned = 0, nleased = 0;

	(void)a;
	if (j == NULL)
		return;
	l = shown();
	for (i = 0; l && i < l->n; i++) {
		npinned += l->v[i].pin_ip != NULL;
		nleased += l->v[i].expiry >= 0;
	}
	if (l)
		snprintf(line, sizeof line, "Leases of %s (%s, %s)  %zu lease%s, %zu pinned", lv->net,
		         net_forward_label(&l->info, fwd, sizeof fwd), dash(l->info.ipv4), nleased,
		         nleased == 1 ? "" : "s", npinned);
	else
		snprintf(line, sizeof line, "Leases of %s", lv->net);
	draw_text(w, y++, 0, width, screen_attr(C_COLUMNS), line);
	draw_text(w, y++, 0, width, screen_attr(C_DIM),
	          "p: pin the address to the MAC  u: unpin  Esc: back to the networks");
	y++;
	if (l == NULL) {
		draw_text(w, y++, 0, width, j->error ? screen_attr(C_ERROR) : 0,
		          j->error ? j->error : "Reading...");
		return;
	}
	rows = getmaxy(w) - y - 4;
	draw_rows(w, &y, rows < 1 ? 1 : rows, l);
	y++;
	if (l->note)
		draw_wrapped(w, &y, screen_attr(C_DIM), l->note);
	if (!j->busy)
		lv->working = false;
	draw_outcome(w, &y, lv->working, j->error, j->result);
}

/* Pin (or unpin) the selected row's MAC. */
int
netleases_pin(struct app *a, bool pin)
{
	const struct net_lease *r;
	char *mac = NULL, *ip = NULL, *name = NULL, *pinned = NULL;
	bool busy;

	if (lv == NULL)
		return HANDLED;
	host_lock(lv->job->host);
	busy = lv->job->busy;
	if ((r = selected()) != NULL) {
		mac = xstrdup(r->mac);
		ip = r->ip && !r->ipv6 ? xstrdup(r->ip) : NULL;
		/* The pin is named after its guest when that makes a hostname. */
		if (net_hostname_ok(r->guest))
			name = xstrdup(r->guest);
		else if (net_hostname_ok(r->hostname))
			name = xstrdup(r->hostname);
		pinned = r->pin_ip ? xstrdup(r->pin_ip) : NULL;
	}
	host_unlock(lv->job->host);
	if (busy)
		app_status(a, MSG_ERROR, "Wait: the last network operation is still running.");
	else if (mac == NULL)
		app_status(a, MSG_ERROR, "No lease selected.");
	else if (pin && ip == NULL)
		app_status(a, MSG_ERROR, "%s has no IPv4 address to pin.", mac);
	else if (!pin && pinned == NULL)
		app_status(a, MSG_ERROR, "%s is not pinned on network %s.", mac, lv->net);
	else {
		net_job_run(lv->job, pin ? NETOP_PIN : NETOP_UNPIN, lv->net, mac, ip, name, NULL);
		lv->working = true;
		if (pin)
			app_status(a, MSG_INFO, "Pinning %s to %s...", mac, ip);
		else
			app_status(a, MSG_INFO, "Unpinning %s...", mac);
	}
	free(mac);
	free(ip);
	free(name);
	free(pinned);
	return HANDLED;
}

static int
leases_key(struct app *a, enum cmd c, int key)
{
	const struct net_leases *l;

	(void)key;
	if (lv == NULL)
		return 0;
	host_lock(lv->job->host);
	selected();
	l = shown();
	lv->list.n = l ? (int)l->n : 0;
	if (scroll_cmd(&lv->list, c)) {
		if (l && l->n > 0) {
			free(lv->sel_mac);
			lv->sel_mac = xstrdup(l->v[lv->list.sel].mac);
		}
		host_unlock(lv->job->host);
		return REDRAW_BODY;
	}
	host_unlock(lv->job->host);
	if (c == CMD_REFRESH)
		net_job_leases(lv->job, lv->net); /* reads again; the global refresh follows */
	return 0;
}

void
netleases_open(struct app *a, struct net_job *j, const char *net)
{
	free(lv ? lv->net : NULL);
	free(lv ? lv->sel_mac : NULL);
	free(lv);
	lv = xcalloc(1, sizeof *lv);
	scroll_init(&lv->list, true);
	lv->job = j;
	lv->net = xstrdup(net);
	net_job_leases(j, net);
	app_push_view(a, &netleases_ops);
}

const struct view_ops netleases_ops = {
	.name = "leases",
	.reports = true,
	.keyview = KV_LEASES,
	.leave = leases_leave,
	.draw = leases_draw,
	.key = leases_key,
};
