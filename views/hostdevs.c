/* hostdevs.c — the host's PCI and USB devices (p from a guest's hardware):
 * address, ids and names, the host driver bound, the IOMMU group, the
 * host's own use and the guest that has each. a passes the selected one
 * through to the guest the view was opened for; r releases it from the
 * guest that has it. Either is refused here with the host's reason (no
 * IOMMU, a bridge, the host's disk controller, another guest's), or
 * reviewed (views/hwreview.c) and run on the host's worker; the outcome
 * comes back under the list. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/base/xmalloc.h"
#include "../model/guest/hwfirm.h"
#include "../tui/screen.h"
#include "views.h"

struct devview {
	struct hwfirm_job *job;
	char *vm;              /* the guest the view is for */
	char *sel;             /* the selected device's name */
	struct scroller sc;
};

static struct devview *dv;

static void
devs_leave(struct app *a)
{
	(void)a;
	if (dv == NULL)
		return;
	hwfirm_job_release(dv->job);
	free(dv->vm);
	free(dv->sel);
	free(dv);
	dv = NULL;
}

/* The selected device (host lock held), or NULL. */
static const struct nodedev *
selected(void)
{
	const struct nodedev_list *l = &dv->job->devs;
	int i = scroll_keep_named(&dv->sc, &dv->sel, l->v, l->n, sizeof *l->v,
	                          offsetof(struct nodedev, name), dv->job->busy);

	return i < 0 ? NULL : &l->v[i];
}

static void
draw_row(WINDOW *w, int y, int attr, const struct nodedev *d)
{
	int width = getmaxx(w);
	char grp[16], line[512], *label = nodedev_label(d);

	if (d->iommu_group >= 0)
		snprintf(grp, sizeof grp, "%d", d->iommu_group);
	else
		snprintf(grp, sizeof grp, "%s", d->bus == NODEDEV_PCI ? "none" : "-");
	snprintf(line, sizeof line, "%-3s %-12s %-5s %-12.12s %-14.14s %s%s%s",
	         d->bus == NODEDEV_PCI ? "pci" : "usb", d->addr, grp, d->driver ? d->driver : "-",
	         d->guest ? d->guest : "-", label, d->host_use ? "  [host's: " : "",
	         d->host_use ? d->host_use : "");
	if (d->host_use)
		snprintf(line + strlen(line), sizeof line - strlen(line), "]");
	draw_text(w, y, 0, width, attr, line);
	free(label);
}

static void
devs_draw(struct app *a, WINDOW *w)
{
	struct hwfirm_job *j = dv ? dv->job : NULL;
	const struct nodedev_list *l;
	const struct nodedev *d;
	int width = getmaxx(w), height = getmaxy(w), y = 0, rows, i;
	char line[512], *why;

	(void)a;
	if (j == NULL)
		return;
	l = &j->devs;
	snprintf(line, sizeof line, "Host devices of %s (%zu PCI and USB) for %s   a: pass "
	         "through  r: release", host_label(j->host), l->n, dv->vm);
	draw_text(w, y++, 0, width, screen_attr(C_TITLE), line);
	draw_text(w, y++, 0, width, screen_attr(C_COLUMNS),
	          "BUS ADDRESS      IOMMU DRIVER       GUEST          DEVICE");
	rows = height - y - 4;
	if (rows < 1)
		rows = 1;
	scroll_fit(&dv->sc, (int)l->n, rows);
	d = selected();
	for (i = dv->sc.top; i < (int)l->n && i < dv->sc.top + rows; i++)
		draw_row(w, y++, &l->v[i] == d ? screen_attr(C_SELECTION) : 0, &l->v[i]);
	if (l->n == 0)
		draw_text(w, y++, 0, width, screen_attr(C_DIM),
		          j->busy ? "Reading the host's devices..." : "No PCI or USB devices.");
	y = height - 4 > y ? height - 4 : y;
	if (d != NULL && d->guest == NULL && (why = nodedev_refusal(d, l, dv->vm)) != NULL) {
		draw_wrapped(w, &y, screen_attr(C_DIM), why);
		free(why);
	}
	draw_outcome(w, &y, j->busy, j->error, j->result);
}

static int
devs_key(struct app *a, enum cmd c, int key)
{
	(void)key;
	if (dv == NULL)
		return 0;
	host_lock(dv->job->host);
	selected();
	dv->sc.n = (int)dv->job->devs.n;
	if (scroll_cmd(&dv->sc, c)) {
		const struct nodedev_list *l = &dv->job->devs;
		if (l->n > 0) {
			int i = dv->sc.sel >= (int)l->n ? (int)l->n - 1 : dv->sc.sel < 0 ? 0 : dv->sc.sel;
			dv->sc.sel = i;
			free(dv->sel);
			dv->sel = xstrdup(l->v[i].name);
		}
		host_unlock(dv->job->host);
		return REDRAW_BODY;
	}
	host_unlock(dv->job->host);
	if (c == CMD_REFRESH)
		hwfirm_job_read(dv->job);
	(void)a;
	return 0;
}

/* a and r: the change for the selected device, then its review. */
int
hostdevs_change(struct app *a, bool attach)
{
	struct hwfirm_job *j;
	const struct nodedev *d;
	struct hw_change c;
	char *err = NULL, *uri, *vm = NULL, *live = NULL, *saved = NULL;
	int rc = -1;

	if (dv == NULL)
		return HANDLED;
	j = dv->job;
	uri = host_virsh_uri(j->host);
	host_lock(j->host);
	if (j->busy) {
		err = xstrdup("the host's devices are still being read or changed; wait.");
	} else if ((d = selected()) == NULL) {
		err = xstrdup("no device is selected.");
	} else {
		/* release from whichever guest has it; pass through to ours */
		vm = xstrdup(!attach && d->guest ? d->guest : dv->vm);
		if (strcmp(vm, dv->vm) == 0 && j->have_now) {
			live = j->live_xml ? xstrdup(j->live_xml) : NULL;
			saved = xstrdup(j->now.saved);
			rc = hwfirm_hostdev_plan(&j->devs, d, vm, live, saved, attach, uri, &c, &err);
		} else if (!attach && d->guest) {
			err = xasprintf("%s is %s's; open that guest's hardware to release it.", d->name,
			                d->guest);
		} else {
			err = xasprintf("%s is not read yet; wait.", vm);
		}
	}
	host_unlock(j->host);
	if (rc < 0) {
		app_status(a, MSG_ERROR, "Cannot %s: %s", attach ? "pass the device through" :
		           "release the device", err);
	} else {
		hwreview_open(a, j, vm, &c, NULL, NULL);
		hw_change_free(&c);
	}
	free(err), free(uri), free(vm), free(live), free(saved);
	return HANDLED;
}

int
hostdevs_open(struct app *a, const struct sel_guest *g)
{
	if (dv != NULL)
		return HANDLED;
	dv = xcalloc(1, sizeof *dv);
	dv->vm = xstrdup(g->name);
	scroll_init(&dv->sc, true);
	dv->job = hwfirm_job_new(g->host, g->uuid, true);
	app_push_view(a, &hostdevs_ops);
	return HANDLED;
}

const struct view_ops hostdevs_ops = {
	.name = "host devices",
	.reports = true,
	.keyview = KV_HOSTDEV,
	.leave = devs_leave,
	.draw = devs_draw,
	.key = devs_key,
};
