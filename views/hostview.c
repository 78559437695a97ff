/* hostview.c — one hypervisor host: CPU and memory history graphs, what
 * its running guests were given against what it has, node details and
 * storage pools with their free space. */
#include <stdio.h>
#include <string.h>

#include "../model/host/hostinfo.h"
#include "../model/stats/stats.h"
#include "../tui/format.h"
#include "../tui/screen.h"
#include "views.h"

#define AXIS_W 7

/* The host the view is about: the selected row's. */
static struct host *
shown_host(struct app *a)
{
	return a->sel_host ? a->sel_host : (a->nhosts ? a->hosts[0] : NULL);
}

static void
hostview_enter(struct app *a)
{
	struct host *h = shown_host(a);

	if (h != NULL)
		hostinfo_request(h);
}

static char *
pct_label(char *b, size_t n, double v)
{
	char t[16];

	snprintf(b, n, "%s%%", fmt_pct(t, sizeof t, v));
	return b;
}

/* A titled graph with its scale on the left. */
static void
graph(struct app *a, WINDOW *w, int y, int x, int width, int height, const char *title,
      const struct ring *r, double max, const char *top, int attr)
{
	if (width < AXIS_W + 4 || height < 2)
		return;
	draw_text(w, y, x, width, screen_attr(C_TITLE), title);
	draw_text(w, y + 1, x, AXIS_W - 1, screen_attr(C_AXIS), top);
	if (height > 2)
		draw_text(w, y + height - 1, x, AXIS_W - 1, screen_attr(C_AXIS), "0");
	draw_graph(w, y + 1, x + AXIS_W, width - AXIS_W, height - 1, r, max, a->gmode, attr);
}

static void
draw_pools(WINDOW *w, int y, int height, const struct host_info *i)
{
	int width = getmaxx(w);
	size_t k;
	char line[256], cap[16], used[16], avail[16];

	draw_text(w, y++, 0, width, screen_attr(C_COLUMNS),
	          "POOL                 TYPE      STATE     CAPACITY  ALLOCATED  AVAILABLE  USED");
	for (k = 0; k < i->npools && y < height; k++, y++) {
		const struct pool_info *p = &i->pools[k];
		double pct = p->capacity ? 100.0 * (double)p->allocation / (double)p->capacity : 0;
		snprintf(line, sizeof line, "%-20.20s %-9.9s %-9s %8s  %9s  %9s  %3.0f%%%s",
		         p->name, p->type ? p->type : "?", p->active ? "active" : "inactive",
		         fmt_bytes(cap, sizeof cap, (double)p->capacity),
		         fmt_bytes(used, sizeof used, (double)p->allocation),
		         fmt_bytes(avail, sizeof avail, (double)p->available), pct,
		         p->autostart ? "  autostart" : "");
		draw_text(w, y, 0, width, pct > 90 ? screen_attr(C_WARNING) : 0, line);
	}
	if (i->npools == 0 && y < height)
		draw_text(w, y, 2, width - 2, screen_attr(C_DIM), "No storage pools: p opens the storage view, where c creates one.");
}

static void
hostview_draw(struct app *a, WINDOW *w)
{
	struct host *h = shown_host(a);
	int width = getmaxx(w), height = getmaxy(w), gh, y;
	char line[600], top[16], v1[16], v2[16];

	if (h == NULL)
		return;
	/* The header has the host's figures already: here, what it is. */
	snprintf(line, sizeof line, "Host %s%s%s%s  %s", host_label(h),
	         h->hostname && strcmp(h->hostname, host_label(h)) != 0 ? " (" : "",
	         h->hostname && strcmp(h->hostname, host_label(h)) != 0 ? h->hostname : "",
	         h->hostname && strcmp(h->hostname, host_label(h)) != 0 ? ")" : "",
	         h->uri ? h->uri : h->uri_req ? h->uri_req : "");
	draw_text(w, 0, 0, width, screen_attr(C_COLUMNS), line);
	gh = (height - 4) / 2;
	if (gh > 12)
		gh = 12;
	if (gh >= 3) {
		snprintf(line, sizeof line, "Host CPU %s", pct_label(v1, sizeof v1, h->cpu_pct));
		graph(a, w, 1, 0, width / 2 - 1, gh, line, &h->cpu_hist, 100.0, "100%",
		      screen_attr(C_GRAPH_CPU));
		snprintf(line, sizeof line, "Host memory used %s of %s",
		         fmt_bytes(v1, sizeof v1, h->mem_hist.len ? ring_get(&h->mem_hist, 0) : -1),
		         fmt_bytes(v2, sizeof v2, (double)h->mem_total_kib * 1024));
		fmt_bytes(top, sizeof top, (double)h->mem_total_kib * 1024);
		graph(a, w, 1, width / 2, width - width / 2, gh, line, &h->mem_hist,
		      (double)h->mem_total_kib * 1024, top, screen_attr(C_GRAPH_MEM));
	}
	y = 1 + (gh >= 3 ? gh : 0);
	if (h->info == NULL) {
		draw_text(w, y, 2, width - 2, screen_attr(C_DIM), h->replay ?
		          "Node details and storage pools are not in recordings." :
		          "Reading the host's details...");
		return;
	}
	hostinfo_version(v1, sizeof v1, h->info->hv_version);
	hostinfo_version(v2, sizeof v2, h->info->lib_version);
	snprintf(line, sizeof line, "%s, %u CPU%s (%u socket%s x %u core%s x %u thread%s) at %u MHz;"
	         " %s %s, libvirt %s", h->info->model, h->info->cpus, h->info->cpus == 1 ? "" : "s",
	         h->info->sockets, h->info->sockets == 1 ? "" : "s", h->info->cores,
	         h->info->cores == 1 ? "" : "s", h->info->threads, h->info->threads == 1 ? "" : "s",
	         h->info->mhz, h->info->hv_type, v1, v2);
	draw_text(w, y++, 0, width, 0, line);
	if (h->info->error)
		draw_text(w, y++, 0, width, screen_attr(C_ERROR), h->info->error);
	draw_pools(w, y, height, h->info);
}

static int
hostview_key(struct app *a, enum cmd c, int key)
{
	(void)key;
	switch (c) {
	case CMD_REFRESH:
		hostview_enter(a);
		return 0;
	default:
		return 0;
	}
}

const struct view_ops hostview_ops = {
	.name = "host",
	.keyview = KV_HOST,
	.enter = hostview_enter,
	.draw = hostview_draw,
	.key = hostview_key,
};
