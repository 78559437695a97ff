/* hwfirm.c — the forms of one guest's boot order and menu (b), CPU mode,
 * model and topology (u), and firmware, Secure Boot and TPM (f): each
 * field starts at what the saved configuration has, the change the fields
 * make is checked as they are typed (model/guest/hwfirm.h: refused with
 * the reason, or what it does), and Enter or F2 opens its review (the XML
 * diff and the virsh lines, views/hwreview.c) before anything changes.
 * The outcome comes back here, from the host's worker. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/base/xmalloc.h"
#include "../model/guest/hwfirm.h"
#include "../tui/screen.h"
#include "views.h"

enum field { F_ORDER, F_MENU, F_MODE, F_MODEL, F_TOPO, F_FIRM, F_SECURE, F_TPM, F_N };

static const char *const labels[F_N] = {
	"Boot order", "Boot menu", "CPU mode", "CPU model", "Topology S,C,T", "Firmware",
	"Secure Boot", "TPM",
};

static const char *const hints[F_N] = {
	"hd, cdrom, network, fd (comma-separated)", "on or off",
	"host-passthrough, host-model or custom", "a named model (custom mode)",
	"sockets,cores,threads = maximum vCPUs", "bios or efi", "on or off (UEFI, q35)",
	"none, tpm-crb or tpm-tis (emulated TPM 2.0)",
};

struct form {
	enum hwfirm_form kind;
	struct hwfirm_job *job;
	char *name;
	unsigned seen_reads;
	bool filled;
	enum field f[4];
	size_t nf, cur;
	struct lineedit le[4];
	char initial[4][LINEEDIT_MAX];
};

static struct form *fm;

static void
form_leave(struct app *a)
{
	(void)a;
	if (fm == NULL)
		return;
	hwfirm_job_release(fm->job);
	free(fm->name);
	free(fm);
	fm = NULL;
}

/* A field's value in the saved configuration, as typed. */
static void
initial(const struct hwfirm_now *now, enum field f, char *buf, size_t n)
{
	const struct firm_info *fi = &now->fi;
	char *s = NULL;
	size_t i;

	switch (f) {
	case F_ORDER:
		if (fi->nbootdevs)
			for (i = 0; i < fi->nbootdevs; i++)
				s = xjoin(s, ",", fi->bootdevs[i].kind);
		else
			for (i = 0; i < fi->nboot; i++)
				s = xjoin(s, ",", fi->boot[i]);
		snprintf(buf, n, "%s", s ? s : "hd");
		break;
	case F_MENU:
		snprintf(buf, n, "%s", fi->boot_menu == 1 ? "on" : "off");
		break;
	case F_MODE:
		snprintf(buf, n, "%s", fi->cpu_mode ? fi->cpu_mode : "custom");
		break;
	case F_MODEL:
		snprintf(buf, n, "%s", fi->cpu_model ? fi->cpu_model : "");
		break;
	case F_TOPO:
		if (fi->sockets)
			snprintf(buf, n, "%u,%u,%u", fi->sockets, fi->cores, fi->threads);
		else
			snprintf(buf, n, "1,%u,1", fi->vcpus_max);
		break;
	case F_FIRM:
		snprintf(buf, n, "%s", fi->efi ? "efi" : "bios");
		break;
	case F_SECURE:
		snprintf(buf, n, "%s", fi->secure_boot == 1 ? "on" : "off");
		break;
	case F_TPM:
	default:
		snprintf(buf, n, "%s", fi->tpm_model ? fi->tpm_model : "none");
		break;
	}
	free(s);
}

static void
fill(struct form *f, const struct hwfirm_now *now)
{
	size_t i;

	for (i = 0; i < f->nf; i++) {
		initial(now, f->f[i], f->initial[i], sizeof f->initial[i]);
		lineedit_set(&f->le[i], f->initial[i]);
	}
	f->filled = true;
}

static int
on_off(const char *s)
{
	return strcmp(s, "on") == 0 || strcmp(s, "yes") == 0 ? 1 :
	       strcmp(s, "off") == 0 || strcmp(s, "no") == 0 ? 0 : -1;
}

/* The request of the fields changed; NULL, or the field that is wrong. */
static const char *
make_req(const struct form *f, const struct hwfirm_now *now, struct hwfirm_req *r)
{
	size_t i;

	*r = (struct hwfirm_req)HWFIRM_REQ_NONE;
	for (i = 0; i < f->nf; i++) {
		const char *t = f->le[i].text;
		if (strcmp(t, f->initial[i]) == 0)
			continue;
		switch (f->f[i]) {
		case F_ORDER: r->order = t; break;
		case F_MENU:
			if ((r->menu = on_off(t)) < 0)
				return "Boot menu: type on or off.";
			break;
		case F_MODE: r->cpu_mode = t; break;
		case F_MODEL: r->cpu_model = t[0] ? t : NULL; break;
		case F_TOPO: r->topology = t; break;
		case F_FIRM:
			if (strcmp(t, "efi") != 0 && strcmp(t, "bios") != 0)
				return "Firmware: type bios or efi.";
			r->efi = strcmp(t, "efi") == 0;
			break;
		case F_SECURE:
			if ((r->secure = on_off(t)) < 0)
				return "Secure Boot: type on or off.";
			break;
		case F_TPM:
			if (strcmp(t, "none") == 0) {
				r->tpm = 0;
			} else {
				r->tpm = 1;
				r->tpm_model = t;
			}
			break;
		default:
			break;
		}
	}
	/* a model typed keeps the custom mode it needs */
	if (r->cpu_model && r->cpu_mode == NULL && now->fi.cpu_mode &&
	    strcmp(now->fi.cpu_mode, "custom") != 0)
		r->cpu_mode = "custom";
	return NULL;
}

static const char *
title(enum hwfirm_form k)
{
	return k == HWF_BOOT ? "Boot order" : k == HWF_CPU ? "CPU" : "Firmware and TPM";
}

/* Under the fields: what Enter would do, or why not. */
static void
draw_preview(WINDOW *w, int *y, const struct hwfirm_now *now, char *uri)
{
	struct hwfirm_req r;
	struct hw_change c;
	char *err = NULL, *note = NULL, *s;
	const char *bad = make_req(fm, now, &r);
	int rc;

	if (bad) {
		draw_wrapped(w, y, screen_attr(C_ERROR), bad);
		return;
	}
	rc = hwfirm_plan(now, &r, uri, &c, &err, &note);
	if (rc < 0) {
		draw_wrapped(w, y, screen_attr(C_ERROR), err);
	} else if (rc > 0 || err) {
		draw_wrapped(w, y, screen_attr(C_DIM), "Nothing to change yet.");
	} else {
		s = xasprintf("Enter: review and apply: %s (%s).", c.what, hw_when_text(c.when));
		draw_wrapped(w, y, A_BOLD, s);
		free(s);
		if (note)
			draw_wrapped(w, y, screen_attr(C_WARNING), note);
		hw_change_free(&c);
	}
	free(err);
	free(note);
}

static void
form_draw(struct app *a, WINDOW *w)
{
	struct hwfirm_job *j = fm ? fm->job : NULL;
	int width = getmaxx(w), y = 0;
	char line[512];
	size_t i;

	if (j == NULL)
		return;
	if (!j->have_now) {
		snprintf(line, sizeof line, "%s of %s: %s", title(fm->kind), fm->name,
		         j->busy ? "reading..." : "cannot read it (Esc: back)");
		draw_text(w, 0, 0, width, screen_attr(C_COLUMNS), line);
		if (j->error)
			draw_text(w, 2, 0, width, screen_attr(C_ERROR), j->error);
		return;
	}
	if (!fm->filled || j->reads != fm->seen_reads) {
		if (!fm->filled || j->result)
			fill(fm, &j->now);
		fm->seen_reads = j->reads;
	}
	snprintf(line, sizeof line, "%s of %s (%s; saved configuration: the next boot)",
	         title(fm->kind), j->now.name, j->now.active ? "running" : "shut off");
	draw_text(w, y++, 0, width, screen_attr(C_COLUMNS), line);
	draw_hints(w, &y, screen_attr(C_DIM), "Enter or F2: review the change  "
	          "Tab/arrows: next field  Esc: cancel");
	y++;
	for (i = 0; i < fm->nf; i++, y++) {
		int attr = i == fm->cur ? screen_attr(C_SELECTION) : 0;
		draw_text(w, y, 0, 16, 0, labels[fm->f[i]]);
		draw_text(w, y, 16, 20, attr, fm->le[i].text);
		draw_text(w, y, 38, width - 38, screen_attr(C_DIM), hints[fm->f[i]]);
		if (i == fm->cur)
			app_form_focus(a, y);
	}
	y++;
	if (fm->kind == HWF_CPU && j->now.caps_ok) {
		snprintf(line, sizeof line, "The host runs host-passthrough: %s, host-model: %s; %u "
		         "vCPUs at most for this guest.", j->now.caps.passthrough ? "yes" : "no",
		         j->now.caps.host_model ? "yes" : "no", j->now.fi.vcpus_max);
		draw_wrapped(w, &y, screen_attr(C_DIM), line);
	} else if (!j->now.caps_ok && j->now.caps_err) {
		snprintf(line, sizeof line, "Not checked against the host: %s", j->now.caps_err);
		draw_wrapped(w, &y, screen_attr(C_WARNING), line);
	}
	draw_outcome(w, &y, j->busy, j->error, j->result);
	{
		char *uri = host_virsh_uri(j->host);
		draw_preview(w, &y, &j->now, uri);
		free(uri);
	}
}

/* Enter: the review of the change, when there is one. */
static void
submit(struct app *a)
{
	struct hwfirm_job *j = fm->job;
	struct hwfirm_req r;
	struct hw_change c;
	char *err = NULL, *note = NULL, *uri = host_virsh_uri(j->host), *saved = NULL;
	const char *bad;
	int rc = -1;

	host_lock(j->host);
	if (j->busy || !j->have_now) {
		host_unlock(j->host);
		app_status(a, MSG_ERROR, "Wait: %s is still being read or changed.", fm->name);
		free(uri);
		return;
	}
	if ((bad = make_req(fm, &j->now, &r)) == NULL) {
		rc = hwfirm_plan(&j->now, &r, uri, &c, &err, &note);
		saved = xstrdup(j->now.saved);
	}
	host_unlock(j->host);
	if (bad)
		app_status(a, MSG_ERROR, "%s", bad);
	else if (rc < 0)
		app_status(a, MSG_ERROR, "Cannot change %s: %s", fm->name, err);
	else if (rc > 0)
		app_status(a, MSG_INFO, "Nothing to change: type a new value in a field first.");
	else {
		hwreview_open(a, j, fm->name, &c, saved, note);
		hw_change_free(&c);
	}
	free(err);
	free(note);
	free(saved);
	free(uri);
}

static int
form_key(struct app *a, enum cmd c, int key)
{
	(void)key;
	if (fm == NULL)
		return 0;
	switch (c) {
	case CMD_NEXT_FIELD:
		fm->cur = (fm->cur + 1) % fm->nf;
		return REDRAW_BODY;
	case CMD_PREV_FIELD:
		fm->cur = (fm->cur + fm->nf - 1) % fm->nf;
		return REDRAW_BODY;
	case CMD_APPLY:
		submit(a);
		return HANDLED;
	default:
		return 0;
	}
}

static int
form_text(struct app *a, wint_t wc, bool is_key)
{
	enum le_result r;

	if (fm == NULL)
		return HANDLED;
	r = lineedit_key(&fm->le[fm->cur], wc, is_key);
	if (r == LE_ENTER)
		return command_dispatch(a, CMD_APPLY, 0);
	if (r == LE_CANCEL)
		return command_dispatch(a, CMD_BACK, 0);
	if (r == LE_TAB)
		return form_key(a, CMD_NEXT_FIELD, 0);
	return REDRAW_BODY;
}

int
hwfirm_open(struct app *a, const struct sel_guest *g, enum hwfirm_form kind)
{
	static const enum field sets[3][4] = {
		{ F_ORDER, F_MENU }, { F_MODE, F_MODEL, F_TOPO }, { F_FIRM, F_SECURE, F_TPM },
	};
	static const size_t counts[3] = { 2, 3, 3 };

	if (fm != NULL)
		return HANDLED;
	fm = xcalloc(1, sizeof *fm);
	fm->kind = kind;
	fm->name = xstrdup(g->name);
	memcpy(fm->f, sets[kind], sizeof fm->f);
	fm->nf = counts[kind];
	fm->job = hwfirm_job_new(g->host, g->uuid, false);
	app_push_view(a, &hwfirm_ops);
	return HANDLED;
}

const struct view_ops hwfirm_ops = {
	.name = "boot, CPU, firmware",
	.reports = true,
	.keyview = KV_FORM,
	.tall = true,
	.leave = form_leave,
	.draw = form_draw,
	.key = form_key,
	.text = form_text,
};
