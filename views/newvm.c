/* newvm.c — the quick-create form: a few answers become a YAML definition
 * file (kept, so the VM can be recreated or put under version control),
 * which then goes through the same plan and apply as any opened file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../config/config.h"
#include "../config/quickdef.h"
#include "../config/vmdef.h"
#include "../model/base/xmalloc.h"
#include "../model/host/hostinfo.h"
#include "views.h"
#include "../tui/screen.h"

enum { F_NAME, F_VCPUS, F_MEMORY, F_DISK, F_IMAGE, F_POOL, F_NET, F_START, F_COUNT };

static const struct {
	const char *label;
	const char *initial;
	const char *hint;
} fields[F_COUNT] = {
	[F_NAME] = { "Name", "", "letters, digits, - _ . +" },
	[F_VCPUS] = { "vCPUs", "1", "e.g. 2" },
	[F_MEMORY] = { "Memory", "1G", "e.g. 512M, 2G" },
	[F_DISK] = { "Disk size", "10G", "empty: no disk (with an image: its size)" },
	[F_IMAGE] = { "Base image", "", "optional: /path/to/base.qcow2 or pool/volume" },
	[F_POOL] = { "Storage pool", "default", "where the disk volume is made" },
	[F_NET] = { "Network", "default", "network name, user, bridge:br0, or empty" },
	[F_START] = { "Start it", "yes", "yes or no" },
};

struct newvm_form {
	struct lineedit f[F_COUNT];
	int cur;
	char *errors; /* from the last check, shown under the form */
	char *written; /* the file this form wrote last: a retry overwrites it */
	bool pool_checked; /* the pool's default held against the host's pools */
	char *pool_note;  /* why the pool is not "default", or NULL */
};

/* The form: kept when the view goes (Esc, or a plan that failed), so N
 * comes back to what was typed; freed at quit (newvm_forget). */
static struct newvm_form *the_form;

static struct newvm_form *
form(struct app *a)
{
	(void)a;
	if (the_form == NULL) {
		int i;
		the_form = xcalloc(1, sizeof *the_form);
		for (i = 0; i < F_COUNT; i++)
			lineedit_set(&the_form->f[i], fields[i].initial);
	}
	return the_form;
}

/* The default pool "default" where the host has it; else, while the
 * field is untouched, the first active pool it has (host locked). */
static void
check_pool(struct app *a, struct newvm_form *f)
{
	struct host *h = app_target_host(a);
	const struct host_info *in;
	size_t i;

	if (f->pool_checked || h == NULL || (in = h->info) == NULL)
		return;
	f->pool_checked = true;
	if (strcmp(f->f[F_POOL].text, fields[F_POOL].initial) != 0)
		return;
	for (i = 0; i < in->npools; i++)
		if (strcmp(in->pools[i].name, fields[F_POOL].initial) == 0)
			return;
	for (i = 0; i < in->npools; i++)
		if (in->pools[i].active) {
			lineedit_set(&f->f[F_POOL], in->pools[i].name);
			free(f->pool_note);
			f->pool_note = xasprintf("Storage pool: %s has no pool called default; %s is "
			                         "the first active one.", host_label(h),
			                         in->pools[i].name);
			return;
		}
	f->pool_note = xasprintf("Storage pool: %s has no active pool; create one (p in the "
	                         "host view) or give a base image's pool.", host_label(h));
}

static void
newvm_draw(struct app *a, WINDOW *w)
{
	struct newvm_form *f = form(a);
	int width = getmaxx(w), height = getmaxy(w), i, y = 2;
	char line[700];
	bool narrow_hint = false;

	check_pool(a, f);

	y = form_title(w, "New VM", "Enter or F2: create  Tab/arrows: next field  Esc: back, typing kept");
	for (i = 0; i < F_COUNT && y < height; i++, y++) {
		int attr = i == f->cur ? screen_attr(C_SELECTION) : 0;
		snprintf(line, sizeof line, "%-13s %s", fields[i].label, f->f[i].text);
		draw_text(w, y, 0, width > 48 ? 48 : width, attr, line);
		if (i == f->cur)
			app_form_focus(a, y);
		/* Each field's hint beside it where it fits whole; else only
		 * the focused field's, under the form, wrapped. */
		if (width - 50 >= (int)strlen(fields[i].hint))
			draw_text(w, y, 50, width - 50, screen_attr(C_DIM), fields[i].hint);
		else
			narrow_hint |= i == f->cur;
	}
	y++;
	if (narrow_hint && fields[f->cur].hint[0]) {
		snprintf(line, sizeof line, "%s: %s", fields[f->cur].label, fields[f->cur].hint);
		draw_wrapped(w, &y, screen_attr(C_DIM), line);
	}
	if (f->pool_note && y < height)
		draw_wrapped(w, &y, screen_attr(C_DIM), f->pool_note);
	if (f->errors)
		draw_wrapped(w, &y, screen_attr(C_ERROR), f->errors);
}

/* $XDG_CONFIG_HOME/vmtui/vms (else ~/.config/vmtui/vms), created with
 * its parents as needed. */
static char *
vms_dir(void)
{
	char *cfg = config_default_path(), *dir, *p;

	p = strrchr(cfg, '/');
	if (p)
		*p = '\0'; /* drop "config.yaml" */
	dir = xasprintf("%s/vms", cfg);
	for (p = strchr(dir + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		mkdir(dir, 0700); /* existing folders simply fail */
		*p = '/';
	}
	mkdir(dir, 0700);
	free(cfg);
	return dir;
}

static void
set_errors(struct newvm_form *f, char *text)
{
	free(f->errors);
	f->errors = text;
}

/* Check the answers by parsing the YAML they make, write the file, then
 * plan it. */
static void
submit(struct app *a)
{
	struct newvm_form *f = form(a);
	struct quickdef q = {
		f->f[F_NAME].text, f->f[F_VCPUS].text, f->f[F_MEMORY].text, f->f[F_DISK].text,
		f->f[F_IMAGE].text, f->f[F_POOL].text, f->f[F_NET].text,
		strcmp(f->f[F_START].text, "yes") == 0,
	};
	struct vmdef_file defs = { 0 };
	struct config_errors errs = { 0 };
	char *yaml, *dir, *path;
	FILE *out;

	if (strcmp(f->f[F_START].text, "yes") != 0 && strcmp(f->f[F_START].text, "no") != 0) {
		set_errors(f, xstrdup("Start it: answer yes or no."));
		return;
	}
	if (q.name[0] == '\0') {
		set_errors(f, xstrdup("Name: give the new VM a name."));
		return;
	}
	yaml = quickdef_yaml(&q);
	if (vmdef_parse(&defs, "the form", NULL, yaml, strlen(yaml), &errs) < 0) {
		set_errors(f, config_errors_text(&errs));
		goto cleanup;
	}
	dir = vms_dir();
	path = xasprintf("%s/%s.yaml", dir, q.name);
	free(dir);
	/* A retry of this form overwrites what it wrote; any other file of
	 * that name is the user's and is never overwritten. */
	out = fopen(path, f->written && strcmp(f->written, path) == 0 ? "w" : "wx");
	if (out == NULL) {
		set_errors(f, xasprintf("Cannot write %s: %s%s", path, strerror(errno),
		                        errno == EEXIST ? " (open it with o, or pick another name)" : ""));
	} else if (fputs(yaml, out) < 0 || fclose(out) != 0) {
		set_errors(f, xasprintf("Cannot write %s: %s", path, strerror(errno)));
	} else {
		app_status(a, MSG_INFO, "Wrote %s.", path);
		set_errors(f, NULL);
		free(f->written);
		f->written = xstrdup(path);
		/* The plan takes the form's place: Esc from it goes to the list. */
		app_pop_view(a);
		job_open(a, app_target_host(a), &path, 1);
	}
	free(path);

cleanup:
	vmdef_file_free(&defs);
	config_errors_free(&errs);
	free(yaml);
}

/* Popped: the form goes. */
static void
newvm_leave(struct app *a)
{
	(void)a; /* the form stays for the next N (newvm_forget frees it) */
}

void
newvm_forget(void)
{
	if (the_form) {
		free(the_form->errors);
		free(the_form->written);
		free(the_form->pool_note);
		free(the_form);
		the_form = NULL;
	}
}

static int
newvm_key(struct app *a, enum cmd c, int key)
{
	struct newvm_form *f = form(a);

	(void)key;
	switch (c) {
	case CMD_BACK:
		app_status(a, MSG_INFO, "Cancelled.");
		return 0; /* popped by the command */
	case CMD_NEXT_FIELD:
		f->cur = (f->cur + 1) % F_COUNT;
		return REDRAW_BODY;
	case CMD_PREV_FIELD:
		f->cur = (f->cur + F_COUNT - 1) % F_COUNT;
		return REDRAW_BODY;
	case CMD_APPLY:
		submit(a);
		return HANDLED;
	default:
		return 0;
	}
}

static int
newvm_text(struct app *a, wint_t wc, bool is_key)
{
	struct newvm_form *f = form(a);
	enum le_result r = lineedit_key(&f->f[f->cur], wc, is_key);

	if (r == LE_ENTER) {
		return command_dispatch(a, CMD_APPLY, 0);
	} else if (r == LE_CANCEL) {
		return command_dispatch(a, CMD_BACK, 0);
	}
	return HANDLED;
}

/* The host's pools, to hold the default pool against (once per form). */
static void
newvm_enter(struct app *a)
{
	struct host *h = app_target_host(a);

	if (h != NULL && !h->replay && !form(a)->pool_checked)
		hostinfo_request(h);
}

const struct view_ops newvm_ops = {
	.name = "new",
	.enter = newvm_enter,
	.keyview = KV_FORM,
	.tall = true,
	.leave = newvm_leave,
	.draw = newvm_draw,
	.key = newvm_key,
	.text = newvm_text,
};
