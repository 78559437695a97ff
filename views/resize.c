/* resize.c — the resize dialog of one guest: vCPUs, memory and disk sizes,
 * each with its value now, a field for the new one and when a change takes
 * effect. What the fields would do is shown as they are typed (the plan of
 * model/guest/resize.h, or why it is refused); F2 applies it on the host's
 * worker, and the result comes back in the status line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/defs/plan.h"
#include "../model/guest/resize.h"
#include "../model/base/xmalloc.h"
#include "views.h"
#include "../tui/screen.h"

#define NFIXED 4
#define FIELD_W 12

struct dialog {
	struct resize_job *job;
	char *name;
	unsigned seen_reads;         /* job->reads the fields were filled from */
	struct lineedit *f;
	char **initial;              /* each field's text as it started */
	enum resize_field *kind;
	size_t *disk;                /* index in now.disks, for disk fields */
	size_t nf;
	size_t cur;
};

static struct dialog *dlg;

static const char *const labels[NFIXED] = { "vCPUs", "Maximum vCPUs", "Memory",
	                                    "Maximum memory" };

static void
free_fields(struct dialog *d)
{
	xfree_strv(d->initial, d->nf);
	free(d->f);
	free(d->kind);
	free(d->disk);
	d->initial = NULL;
	d->f = NULL;
	d->kind = NULL;
	d->disk = NULL;
	d->nf = 0;
}

/* Popped: the dialog goes. */
static void
resize_leave(struct app *a)
{
	(void)a;
	if (dlg == NULL)
		return;
	resize_job_release(dlg->job);
	free_fields(dlg);
	free(dlg->name);
	free(dlg);
	dlg = NULL;
}

/* One field per value and per disk, filled with what the guest has now
 * (host locks held). */
static void
fill_fields(struct dialog *d, const struct resize_now *now)
{
	size_t i, n = NFIXED;

	free_fields(d);
	for (i = 0; i < now->ndisks; i++)
		n += strcmp(now->disks[i].device, "disk") == 0;
	d->f = xcalloc(n, sizeof *d->f);
	d->initial = xcalloc(n, sizeof *d->initial);
	d->kind = xcalloc(n, sizeof *d->kind);
	d->disk = xcalloc(n, sizeof *d->disk);
	for (i = 0; i < NFIXED; i++)
		d->kind[d->nf++] = (enum resize_field)i;
	for (i = 0; i < now->ndisks; i++)
		if (strcmp(now->disks[i].device, "disk") == 0) {
			d->kind[d->nf] = RF_DISK;
			d->disk[d->nf++] = i;
		}
	for (i = 0; i < d->nf; i++) {
		d->initial[i] = resize_field_initial(now, d->kind[i], d->disk[i]);
		lineedit_set(&d->f[i], d->initial[i]);
	}
	if (d->cur >= d->nf)
		d->cur = 0;
}

/* The request: fields left as they started change nothing. disks has
 * room for every field. */
static struct resize_req
make_req(const struct dialog *d, const struct resize_now *now, struct resize_disk_req *disks)
{
	struct resize_req r = { 0 };
	const char **fixed[NFIXED] = { &r.vcpus, &r.vcpus_max, &r.mem, &r.mem_max };
	size_t i;

	r.disks = disks;
	for (i = 0; i < d->nf; i++) {
		if (strcmp(d->f[i].text, d->initial[i]) == 0)
			continue;
		if (d->kind[i] != RF_DISK)
			*fixed[d->kind[i]] = d->f[i].text;
		else
			disks[r.ndisks++] = (struct resize_disk_req){ now->disks[d->disk[i]].target,
			                                              d->f[i].text };
	}
	return r;
}

static const char *
field_label(const struct dialog *d, const struct resize_now *now, size_t i, char *buf,
            size_t n)
{
	if (d->kind[i] != RF_DISK)
		return labels[d->kind[i]];
	snprintf(buf, n, "Disk %s", now->disks[d->disk[i]].target);
	return buf;
}

/* Width of the "now" column: its longest value. */
static int
now_width(const struct dialog *d, const struct resize_now *now)
{
	size_t i;
	int w = 5;

	for (i = 0; i < d->nf; i++) {
		char *v = resize_field_value(now, d->kind[i], d->disk[i]);
		if ((int)strlen(v) > w)
			w = (int)strlen(v);
		free(v);
	}
	return w;
}

static void
draw_fields(struct app *a, WINDOW *w, int *y, const struct dialog *d,
            const struct resize_now *now)
{
	int width = getmaxx(w), nw = now_width(d, now), x1 = 16, x2 = x1 + nw + 2,
	    x3 = x2 + FIELD_W + 2;
	char lb[48];
	size_t i;

	draw_text(w, *y, 0, width, screen_attr(C_COLUMNS), "");
	draw_text(w, *y, x1, nw, screen_attr(C_COLUMNS), "now");
	draw_text(w, *y, x2, FIELD_W, screen_attr(C_COLUMNS), "new");
	draw_text(w, *y, x3, width - x3, screen_attr(C_COLUMNS), "a change takes effect");
	for (i = 0, (*y)++; i < d->nf && *y < getmaxy(w); i++, (*y)++) {
		char *v = resize_field_value(now, d->kind[i], d->disk[i]);
		int attr = i == d->cur ? screen_attr(C_SELECTION) : 0;
		const char *t = d->f[i].text;
		/* A long text shows its end, where the typing happens. */
		if (strlen(t) > FIELD_W - 1)
			t += strlen(t) - (FIELD_W - 1);
		draw_text(w, *y, 0, x1, 0, field_label(d, now, i, lb, sizeof lb));
		draw_text(w, *y, x1, nw + 2, 0, v);
		draw_text(w, *y, x2, FIELD_W, attr, t);
		if (i == d->cur)
			app_form_focus(a, *y);
		draw_text(w, *y, x3, width - x3, screen_attr(C_DIM), resize_field_when(now, d->kind[i]));
		free(v);
	}
}

/* Draw text over as many lines as it needs, broken at spaces. */
static void
draw_wrapped_indent(WINDOW *w, int *y, int attr, const char *text, int indent)
{
	int width = getmaxx(w), x = 0;
	const char *p = text;
	char *line;

	while (*p && *y < getmaxy(w)) {
		int room = width - x > 8 ? width - x : width, cut = (int)strlen(p);
		if (cut > room) {
			for (cut = room; cut > 0 && p[cut] != ' '; cut--)
				;
			if (cut == 0)
				cut = room;
		}
		line = xstrndup(p, (size_t)cut);
		draw_text(w, (*y)++, x, width - x, attr, line);
		free(line);
		for (p += cut; *p == ' '; p++)
			;
		x = indent;
	}
}

/* Lines under the fields: what applying would do, or why it would not. */
static void
draw_preview(WINDOW *w, int *y, const struct dialog *d, const struct resize_now *now)
{
	struct resize_disk_req *disks = xcalloc(d->nf, sizeof *disks);
	struct resize_req req = make_req(d, now, disks);
	struct resize_plan p;
	int width = getmaxx(w);
	size_t i;
	char *s;

	resize_plan_make(now, &req, &p);
	for (i = 0; i < p.nerrors; i++)
		draw_wrapped_indent(w, y, screen_attr(C_ERROR), p.errors[i], 2);
	for (i = 0; i < p.nwarnings; i++) {
		s = xasprintf("Warning: %s", p.warnings[i]);
		draw_wrapped_indent(w, y, screen_attr(C_WARNING), s, 2);
		free(s);
	}
	if (p.nerrors == 0 && p.nops == 0)
		draw_text(w, (*y)++, 0, width, screen_attr(C_DIM), "Nothing to change yet.");
	if (p.nops)
		draw_text(w, (*y)++, 0, width, A_BOLD, "F2 applies:");
	for (i = 0; i < p.nops; i++) {
		s = xasprintf("  %s: %s", p.ops[i].what, resize_when_text(p.ops[i].when));
		draw_wrapped_indent(w, y, 0, s, 4);
		free(s);
	}
	if ((s = resize_reboot_note(now, &p)) != NULL) {
		draw_wrapped_indent(w, y, screen_attr(C_WARNING), s, 2);
		free(s);
	}
	resize_plan_free(&p);
	free(disks);
}

static void
resize_draw(struct app *a, WINDOW *w)
{
	struct resize_job *j = dlg ? dlg->job : NULL;
	int width = getmaxx(w), y;
	char line[512], host[32];

	(void)a;
	if (j == NULL)
		return;
	if (j->reads == 0) {
		snprintf(line, sizeof line, "Resize %s: %s", dlg->name,
		         j->state == RJ_FAILED ? "cannot read it (Esc: back)" : "reading...");
		draw_text(w, 0, 0, width, screen_attr(C_COLUMNS), line);
		if (j->error)
			draw_text(w, 2, 0, width, screen_attr(C_ERROR), j->error);
		return;
	}
	if (j->reads != dlg->seen_reads) {
		fill_fields(dlg, &j->now);
		dlg->seen_reads = j->reads;
	}
	snprintf(line, sizeof line, "Resize %s (%s)", j->now.name, j->now.state);
	draw_text(w, 0, 0, width, screen_attr(C_COLUMNS), line);
	y = 1;
	draw_hints(w, &y, screen_attr(C_DIM), "Enter or F2: apply  Tab/arrows: next field  Esc: cancel");
	y++;
	draw_fields(a, w, &y, dlg, &j->now);
	plan_fmt_size(host, sizeof host, j->now.host_mem_kib * 1024);
	snprintf(line, sizeof line, "The host has %u CPUs and %s of memory. Sizes: memory 4G, "
	         "512M (bare: MiB); disks 20G (bare: GiB).", j->now.host_cpus, host);
	y++;
	draw_wrapped_indent(w, &y, screen_attr(C_DIM), line, 0);
	y++;
	if (j->state == RJ_APPLYING)
		draw_text(w, y++, 0, width, screen_attr(C_WARNING), "Applying...");
	else if (j->error)
		draw_wrapped_indent(w, &y, screen_attr(C_ERROR), j->error, 2);
	else if (j->summary)
		draw_wrapped_indent(w, &y, 0, j->summary, 2);
	draw_preview(w, &y, dlg, &j->now);
}

/* F2: check the fields, then hand them to the host's worker. */
static void
apply(struct app *a)
{
	struct resize_job *j = dlg->job;
	struct resize_disk_req *disks = xcalloc(dlg->nf ? dlg->nf : 1, sizeof *disks);
	struct resize_req req;
	struct resize_plan p = { 0 };
	bool ready;

	host_lock(j->host);
	ready = j->state == RJ_READY && j->reads == dlg->seen_reads;
	if (ready) {
		req = make_req(dlg, &j->now, disks);
		resize_plan_make(&j->now, &req, &p);
	}
	host_unlock(j->host);
	if (!ready)
		app_status(a, MSG_ERROR, "Wait: %s is still being read or resized.", dlg->name);
	else if (p.nerrors)
		app_status(a, MSG_ERROR, "Cannot resize %s: %s", dlg->name, p.errors[0]);
	else if (p.nops == 0)
		app_status(a, MSG_INFO, "Nothing to change: type a new value in a field first.");
	else {
		resize_job_apply(j, &req);
		app_status(a, MSG_INFO, "Resizing %s...", dlg->name);
	}
	resize_plan_free(&p);
	free(disks);
}

static int
resize_key(struct app *a, enum cmd c, int key)
{
	(void)key;
	if (dlg == NULL)
		return 0;
	switch (c) {
	case CMD_NEXT_FIELD:
		if (dlg->nf)
			dlg->cur = (dlg->cur + 1) % dlg->nf;
		return REDRAW_BODY;
	case CMD_PREV_FIELD:
		if (dlg->nf)
			dlg->cur = (dlg->cur + dlg->nf - 1) % dlg->nf;
		return REDRAW_BODY;
	case CMD_APPLY:
		apply(a);
		return HANDLED;
	default:
		return 0;
	}
}

static int
resize_text(struct app *a, wint_t wc, bool is_key)
{
	enum le_result r;

	if (dlg == NULL || dlg->nf == 0)
		return HANDLED;
	r = lineedit_key(&dlg->f[dlg->cur], wc, is_key);
	if (r == LE_ENTER) {
		return command_dispatch(a, CMD_APPLY, 0);
	} else if (r == LE_CANCEL) {
		return command_dispatch(a, CMD_BACK, 0);
	} else if (r == LE_TAB) {
		return resize_key(a, CMD_NEXT_FIELD, 0);
	}
	return HANDLED;
}

int
resize_open(struct app *a, const struct sel_guest *g)
{
	dlg = xcalloc(1, sizeof *dlg);
	dlg->name = xstrdup(g->name);
	dlg->job = resize_job_new(g->host, g->uuid);
	app_push_view(a, &resize_ops);
	return HANDLED;
}

const struct view_ops resize_ops = {
	.name = "resize",
	.reports = true,
	.keyview = KV_FORM,
	.tall = true,
	.leave = resize_leave,
	.draw = resize_draw,
	.key = resize_key,
	.text = resize_text,
};
