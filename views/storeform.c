/* storeform.c — the forms over the storage views: a new pool (name, type,
 * path, source, build, start, autostart), a new volume (name, size,
 * format, backing volume), a volume's new size (it only grows), a clone's
 * name, and the typed confirmations (the pool's name to delete it with its
 * contents, the volume's name to wipe or delete it). What is typed is
 * checked here (names, sizes, the pool definition); the operation then
 * goes to the storage job and the form closes: its outcome shows under
 * the list below. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../config/resdef.h"
#include "../model/base/xmalloc.h"
#include "../tui/screen.h"
#include "storeview.h"
#include "views.h"

#define MAXF 11
#define LABEL_W 18

struct sfield {
	const char *label;
	struct lineedit le;
	const char *const *choices; /* a choice (Space changes it), else typed */
	int choice;
};

struct storeform {
	enum storeform_kind kind;
	char *pool, *vol;
	uint64_t now;           /* the volume's size */
	struct sfield f[MAXF];
	int nf, cur;
	char *error;            /* why the last Enter did not go */
};

static struct storeform *sf;

static const char *const yes_no[] = { "yes", "no", NULL };
static const char *const build_choices[] = { "default (dir only)", "yes", "no", NULL };

enum { P_NAME, P_TYPE, P_PATH, P_SHOST, P_SDIR, P_SDEV, P_SNAME, P_SFMT, P_BUILD, P_START,
       P_AUTO };
enum { V_NAME, V_SIZE, V_FORMAT, V_BACKING };

static void
add(const char *label, const char *text, const char *const *choices)
{
	struct sfield *f = &sf->f[sf->nf++];

	f->label = label;
	lineedit_set(&f->le, text ? text : "");
	f->choices = choices;
}

/* The text of field i, or NULL when empty; a choice's chosen word. */
static const char *
val(int i)
{
	const struct sfield *f = &sf->f[i];

	if (f->choices)
		return f->choices[f->choice];
	return f->le.text[0] ? f->le.text : NULL;
}

static void
form_leave(struct app *a)
{
	(void)a;
	if (sf == NULL)
		return;
	free(sf->pool);
	free(sf->vol);
	free(sf->error);
	free(sf);
	sf = NULL;
}

static const char *
title(char *buf, size_t n)
{
	switch (sf->kind) {
	case SF_POOL_CREATE:
		snprintf(buf, n, "New storage pool on %s", host_label(storeview->host));
		break;
	case SF_POOL_DELETE_CONTENTS:
		snprintf(buf, n, "Delete storage pool %s with its contents", sf->pool);
		break;
	case SF_VOL_CREATE:
		snprintf(buf, n, "New volume in pool %s", sf->pool);
		break;
	case SF_VOL_GROW:
		snprintf(buf, n, "Grow volume %s of pool %s", sf->vol, sf->pool);
		break;
	case SF_VOL_CLONE:
		snprintf(buf, n, "Clone volume %s of pool %s", sf->vol, sf->pool);
		break;
	case SF_VOL_DELETE:
		snprintf(buf, n, "Delete volume %s of pool %s", sf->vol, sf->pool);
		break;
	default:
		snprintf(buf, n, "Wipe volume %s of pool %s", sf->vol, sf->pool);
		break;
	}
	return buf;
}

/* What the form is about, above the fields. */
static void
draw_about(WINDOW *w, int *y)
{
	char line[600], size[32];

	switch (sf->kind) {
	case SF_POOL_CREATE:
		draw_wrapped(w, y, screen_attr(C_DIM), "dir: a folder (Path). netfs: Source host and "
		             "Source dir (an NFS export), mounted on Path. logical: an LVM volume "
		             "group (Source name; Source device to make it on a disk). fs: Source "
		             "device mounted on Path. disk, iscsi: see vmtui(1).");
		break;
	case SF_POOL_DELETE_CONTENTS:
		snprintf(line, sizeof line, "Every volume of %s and its storage are deleted, then "
		         "the pool is stopped and undefined. Nothing of it can be brought back. "
		         "Refused while a guest has a disk in it. Type %s to confirm.", sf->pool,
		         sf->pool);
		draw_wrapped(w, y, screen_attr(C_WARNING), line);
		break;
	case SF_VOL_GROW:
		snprintf(line, sizeof line, "%s is %s now; it only grows (the filesystem inside "
		         "still has to be grown by the guest). Refused while a running guest uses it.",
		         sf->vol, vol_size_fmt(size, sizeof size, sf->now));
		draw_wrapped(w, y, 0, line);
		break;
	case SF_VOL_CREATE:
		draw_wrapped(w, y, screen_attr(C_DIM), "Size: e.g. 20G or 512M (a bare number is "
		             "GiB). Backing: a volume of this pool (or a path): the new volume is a "
		             "qcow2 overlay on it, of its size unless a size is given.");
		break;
	case SF_VOL_CLONE:
		snprintf(line, sizeof line, "A full copy of %s (%s) in pool %s. Refused while a "
		         "running guest uses it.", sf->vol, vol_size_fmt(size, sizeof size, sf->now),
		         sf->pool);
		draw_wrapped(w, y, 0, line);
		break;
	default:
		snprintf(line, sizeof line, "%s %s of pool %s: %s Refused while a guest uses it. "
		         "Type %s to confirm.", sf->kind == SF_VOL_WIPE ? "Wipe" : "Delete", sf->vol,
		         sf->pool, sf->kind == SF_VOL_WIPE ? "its data is overwritten with zeros." :
		         "the volume and its data are gone for good.", sf->vol);
		draw_wrapped(w, y, screen_attr(C_WARNING), line);
		break;
	}
}

static void
form_draw(struct app *a, WINDOW *w)
{
	int width = getmaxx(w), y = 0, i, sel = screen_attr(C_SELECTION);
	char line[600];

	if (sf == NULL || storeview == NULL)
		return;
	draw_text(w, y++, 0, width, screen_attr(C_COLUMNS), title(line, sizeof line));
	draw_hints(w, &y, screen_attr(C_DIM), sf->nf > 1 ?
	          "Enter or F2: go  Space: change a choice  Tab/arrows: next field  Esc: cancel" :
	          sf->kind == SF_VOL_GROW || sf->kind == SF_VOL_CLONE ?
	          "Enter or F2: go  Esc: cancel" : "Type the name, then Enter or F2: go  Esc: cancel");
	y++;
	draw_about(w, &y);
	y++;
	for (i = 0; i < sf->nf; i++, y++) {
		const struct sfield *f = &sf->f[i];
		const char *t = f->le.text;
		int fw = width - LABEL_W;
		if (f->choices) {
			snprintf(line, sizeof line, "< %s >", f->choices[f->choice]);
			t = line;
		} else if (fw > 1 && (int)strlen(t) > fw - 1) {
			t += strlen(t) - (size_t)(fw - 1);
		}
		if (i == sf->cur)
			app_form_focus(a, y);
		draw_text(w, y, 0, LABEL_W, 0, f->label);
		draw_text(w, y, LABEL_W, fw, i == sf->cur ? sel : f->choices ? 0 : (int)A_UNDERLINE, t);
	}
	y++;
	if (sf->error)
		draw_wrapped(w, &y, screen_attr(C_ERROR), sf->error);
}

/* The clone's default name: "web.qcow2" -> "web-clone.qcow2". */
static char *
clone_name(const char *vol)
{
	const char *dot = strrchr(vol, '.');

	if (dot == NULL || dot == vol)
		return xasprintf("%s-clone", vol);
	return xasprintf("%.*s-clone%s", (int)(dot - vol), vol, dot);
}

void
storeform_open(struct app *a, enum storeform_kind k, const char *pool, const char *vol,
               uint64_t now)
{
	char size[32], *s;

	sf = xcalloc(1, sizeof *sf);
	sf->kind = k;
	sf->pool = pool ? xstrdup(pool) : NULL;
	sf->vol = vol ? xstrdup(vol) : NULL;
	sf->now = now;
	switch (k) {
	case SF_POOL_CREATE:
		add("Name", "", NULL);
		add("Type", NULL, pooldef_types);
		add("Path", "", NULL);
		add("Source host", "", NULL);
		add("Source dir", "", NULL);
		add("Source device", "", NULL);
		add("Source name", "", NULL);
		add("Source format", "", NULL);
		add("Build", NULL, build_choices);
		add("Start", NULL, yes_no);
		add("Autostart", NULL, yes_no);
		break;
	case SF_VOL_CREATE:
		add("Name", "", NULL);
		add("Size", "10G", NULL);
		add("Format", NULL, vol_formats);
		add("Backing volume", "", NULL);
		break;
	case SF_VOL_GROW:
		add("New size", vol_size_fmt(size, sizeof size, now), NULL);
		break;
	case SF_VOL_CLONE:
		s = clone_name(vol);
		add("Clone's name", s, NULL);
		free(s);
		break;
	default:
		add("Name to confirm", "", NULL);
		break;
	}
	app_push_view(a, &storeform_ops);
}

/* The pool the form describes; NULL with sf->error set. */
static struct pooldef *
make_pooldef(void)
{
	struct pooldef *d = xcalloc(1, sizeof *d);
	const char *why;

#define DUP(i) (val(i) ? xstrdup(val(i)) : NULL)
	d->name = DUP(P_NAME);
	d->type = DUP(P_TYPE);
	d->path = DUP(P_PATH);
	d->source_host = DUP(P_SHOST);
	d->source_dir = DUP(P_SDIR);
	d->source_device = DUP(P_SDEV);
	d->source_name = DUP(P_SNAME);
	d->source_format = DUP(P_SFMT);
#undef DUP
	d->build = sf->f[P_BUILD].choice == 0 ? strcmp(d->type, "dir") == 0 :
	                                        sf->f[P_BUILD].choice == 1;
	d->start = sf->f[P_START].choice == 0;
	d->autostart = sf->f[P_AUTO].choice == 0;
	why = d->name == NULL ? "Name: give the new pool a name." : pooldef_check(d);
	if (why) {
		sf->error = xstrdup(why);
		pooldef_free(d);
		free(d);
		return NULL;
	}
	return d;
}

/* The typed confirmation matches name; else sf->error says so. */
static bool
typed(const char *name)
{
	if (strcmp(sf->f[0].le.text, name) == 0)
		return true;
	sf->error = xasprintf("Not done: type the exact name %s to confirm (typed: \"%s\").", name,
	                      sf->f[0].le.text);
	return false;
}

/* Enter: check, then queue the operation and close; or say why not. */
static void
submit(struct app *a)
{
	struct vol_req r = { .pool = sf->pool, .name = sf->vol };
	struct pooldef *d;
	char *why = NULL;

	free(sf->error);
	sf->error = NULL;
	if (!storeview_may_act(a))
		return;
	switch (sf->kind) {
	case SF_POOL_CREATE:
		if ((d = make_pooldef()) == NULL)
			break;
		app_status(a, MSG_INFO, "Creating storage pool %s...", d->name);
		store_job_pool_create(storeview->job, d);
		app_pop_view(a);
		return;
	case SF_POOL_DELETE_CONTENTS:
		if (!typed(sf->pool))
			break;
		store_job_pool_op(storeview->job, sf->pool, POOL_DELETE_CONTENTS);
		app_status(a, MSG_INFO, "Deleting storage pool %s with its contents...", sf->pool);
		app_pop_view(a);
		return;
	case SF_VOL_CREATE:
		r.op = VOL_CREATE;
		r.name = val(V_NAME) ? val(V_NAME) : "";
		r.format = val(V_FORMAT);
		r.backing = val(V_BACKING);
		if ((why = vol_name_check(r.name)) == NULL && (val(V_SIZE) || !r.backing) &&
		    (why = vol_size_parse(val(V_SIZE) ? val(V_SIZE) : "", &r.bytes)) != NULL) {
			char *w = xasprintf("Size: %s", why);
			free(why);
			why = w;
		}
		if (why == NULL && r.backing && strcmp(r.format, "qcow2") != 0)
			why = xstrdup("Format: a volume on a backing volume is a qcow2 overlay.");
		break;
	case SF_VOL_GROW:
		r.op = VOL_GROW;
		if ((why = vol_size_parse(sf->f[0].le.text, &r.bytes)) == NULL)
			why = vol_grow_check(sf->vol, sf->now, r.bytes);
		break;
	case SF_VOL_CLONE:
		r.op = VOL_CLONE;
		r.newname = sf->f[0].le.text;
		why = vol_name_check(r.newname);
		break;
	default:
		if (!typed(sf->vol))
			break;
		r.op = sf->kind == SF_VOL_WIPE ? VOL_WIPE : VOL_DELETE;
		break;
	}
	if (sf->error || why) {
		if (why)
			sf->error = why;
		app_status(a, MSG_ERROR, "%s", sf->error);
		return;
	}
	store_job_vol_op(storeview->job, &r);
	app_status(a, MSG_INFO, "Volume %s of pool %s: %s...", r.name, sf->pool,
	           vol_op_name(r.op));
	if (r.op == VOL_CREATE) {
		free(storeview->sel_vol);
		storeview->sel_vol = xstrdup(r.name); /* land on the new one */
	}
	app_pop_view(a);
}

static int
form_key(struct app *a, enum cmd c, int key)
{
	(void)key;
	if (sf == NULL)
		return 0;
	switch (c) {
	case CMD_NEXT_FIELD:
		sf->cur = (sf->cur + 1) % sf->nf;
		return REDRAW_BODY;
	case CMD_PREV_FIELD:
		sf->cur = (sf->cur + sf->nf - 1) % sf->nf;
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
	struct sfield *f;
	int n;

	if (sf == NULL)
		return HANDLED;
	if (!is_key && (wc == '\r' || wc == '\n'))
		return command_dispatch(a, CMD_APPLY, 0);
	if (!is_key && wc == 27)
		return command_dispatch(a, CMD_BACK, 0);
	f = &sf->f[sf->cur];
	if (f->choices) {
		for (n = 0; f->choices[n]; n++)
			;
		if ((!is_key && wc == ' ') || (is_key && wc == KEY_RIGHT))
			f->choice = (f->choice + 1) % n;
		else if (is_key && wc == KEY_LEFT)
			f->choice = (f->choice + n - 1) % n;
		else if (!is_key && wc == '\t')
			return form_key(a, CMD_NEXT_FIELD, 0);
		return REDRAW_BODY;
	}
	if (lineedit_key(&f->le, wc, is_key) == LE_TAB)
		return form_key(a, CMD_NEXT_FIELD, 0);
	return REDRAW_BODY;
}

const struct view_ops storeform_ops = {
	.name = "storage form",
	.keyview = KV_FORM,
	.tall = true,
	.leave = form_leave,
	.draw = form_draw,
	.key = form_key,
	.text = form_text,
};
