/* xmledit.c — x on a guest: its saved domain XML in the user's editor, as
 * `virsh edit`. The XML is read on the host's worker; a kept edit (from
 * an editor that failed, a define refused, or Esc) is offered first, with
 * its age. The editor has the whole terminal (app_suspend, as the serial
 * console). Saved unchanged: nothing is defined, and said so. Changed:
 * this view shows the diff (with a warning when the guest changed on the
 * host meanwhile) and y defines it, e edits again, d discards the edit,
 * Esc keeps it for later. A define libvirt refuses opens the editor again
 * with the reason at the top; the edit lives in its file
 * (model/guest/xmledit.h) until it is defined or discarded. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../model/base/xmalloc.h"
#include "../model/defs/textdiff.h"
#include "../model/guest/xmledit.h"
#include "../tui/editor.h"
#include "../tui/screen.h"
#include "../tui/scroll.h"
#include "views.h"

enum xe_ui {
	U_READING,  /* the source is read */
	U_ASK,      /* a kept edit: resume or start afresh? */
	U_REREAD,   /* after the editor: the host's XML read again */
	U_DIFF,     /* the diff shown: y, e, d or Esc */
	U_DEFINING, /* the define runs */
	U_DONE,     /* the outcome (or why it could not start) */
};

static struct {
	struct xe_job *job;
	enum xe_ui ui;
	struct host *host;
	char uuid[VM_UUID_LEN];
	char name[256];
	char *path, *base; /* the kept file, the XML the edit started from */
	char *body;        /* the user's XML (our comment off) */
	char *last;        /* the body a refused define left, NULL: none */
	char *what, *diff, *host_diff;
	char *outcome;     /* U_DONE: what happened */
	bool failed;
	char age[48];
	bool running;
	struct scroller sc;
} X;

static void
reset_state(void)
{
	xe_job_release(X.job);
	free(X.path);
	free(X.base);
	free(X.body);
	free(X.last);
	free(X.what);
	free(X.diff);
	free(X.host_diff);
	free(X.outcome);
	memset(&X, 0, sizeof X);
}

static void
xe_leave(struct app *a)
{
	if (X.path != NULL && (X.ui == U_DIFF || X.ui == U_ASK))
		app_status(a, MSG_INFO, "The edit of %s is kept in %s: x resumes it.", X.name, X.path);
	else if (X.ui == U_DEFINING)
		app_status(a, MSG_INFO, "The define of %s goes on; the action log (L) tells its "
		           "outcome.", X.name);
	reset_state();
}

/* The view ends here with this outcome (taken over) in its body. */
static void
done(char *outcome, bool failed)
{
	free(X.outcome);
	X.outcome = outcome;
	X.failed = failed;
	X.ui = U_DONE;
}

/* Take the editor's text: unchanged (nothing to do), refused up front
 * (the editor again), or on to the host's XML read again. Returns false
 * when the editor is to open again. */
static bool
take_text(struct app *a, const char *text)
{
	const char *why;
	char *err = NULL, *t;

	free(X.body);
	X.body = xmledit_strip_error(text);
	if (!xmledit_differs(X.base, X.body)) {
		xmledit_forget(X.path);
		app_status(a, MSG_INFO, "No change: %s was not defined.", X.name);
		X.ui = U_DONE;
		app_pop_view(a);
		return true;
	}
	if (X.last != NULL && !xmledit_differs(X.last, X.body)) {
		done(xasprintf("The edit was saved unchanged after the error: not defined. It is "
		               "kept in %s (x resumes it). Esc goes back.", X.path), true);
		return true;
	}
	if ((why = xmledit_refusal(X.body, X.uuid)) == NULL) {
		xe_job_reread(X.job);
		X.ui = U_REREAD;
		return true;
	}
	t = xmledit_add_error(X.body, why);
	free(X.last);
	X.last = xstrdup(X.body);
	if (xmledit_write(X.path, t, &err) < 0) {
		done(xasprintf("%s. Esc goes back.", err), true);
		free(err);
		free(t);
		return true;
	}
	free(t);
	return false;
}

/* The editor on the kept file until it gives a text to go on with. */
static void
edit(struct app *a)
{
	char *err = NULL, *text;
	bool go_on;
	int rc;

	do {
		app_suspend(a);
		rc = editor_run(X.path, &err);
		screen_got_winch = 1; /* resized meanwhile? curses reads the size again */
		app_resume(a);
		if (rc < 0) {
			done(xasprintf("%s: not defined. The edit is kept in %s (x resumes it). Esc goes "
			               "back.", err, X.path), true);
			free(err);
			return;
		}
		if ((text = xmledit_read(X.path, &err)) == NULL) {
			done(xasprintf("%s. Esc goes back.", err ? err : "The edited file is gone"), true);
			free(err);
			return;
		}
		go_on = take_text(a, text);
		free(text);
	} while (!go_on);
}

/* The kept file and its base, both the XML the edit starts from. */
static int
start_files(char **err)
{
	char *bp = xmledit_base_path(X.path);
	int rc = xmledit_write(bp, X.base, err);

	free(bp);
	return rc < 0 ? -1 : xmledit_write(X.path, X.base, err);
}

/* The source read: the kept edit offered, or the edit started. */
static void
source_read(struct app *a, const struct xmledit_src *s)
{
	char *err = NULL, *kept;
	struct stat st;

	snprintf(X.name, sizeof X.name, "%s", s->name);
	X.running = s->running;
	X.path = xmledit_path(getenv("XDG_STATE_HOME"), getenv("HOME"), s->host, s->name, &err);
	if (X.path == NULL) {
		done(xasprintf("%s. Esc goes back.", err), true);
		free(err);
		return;
	}
	kept = xmledit_read(X.path, &err);
	if (err != NULL) {
		done(xasprintf("%s. Esc goes back.", err), true);
		free(err);
		return;
	}
	if (kept != NULL) {
		free(kept);
		if (stat(X.path, &st) < 0)
			st.st_mtime = time(NULL);
		xmledit_age(st.st_mtime, time(NULL), X.age, sizeof X.age);
		X.base = xstrdup(s->xml); /* until resumed */
		X.ui = U_ASK;
		return;
	}
	X.base = xstrdup(s->xml);
	if (start_files(&err) < 0) {
		done(xasprintf("%s. Esc goes back.", err), true);
		free(err);
		return;
	}
	edit(a);
}

/* The host's XML read again: the diffs, and on to the question. */
static void
reread(const struct xmledit_src *s)
{
	struct hw_change c;

	xmledit_change(&c, X.name, s->running, NULL, X.path, X.base, X.body);
	free(X.what);
	free(X.diff);
	free(X.host_diff);
	X.what = xstrdup(c.what);
	X.diff = xstrdup(c.diff_saved ? c.diff_saved : "");
	X.host_diff = NULL;
	if (xmledit_differs(X.base, s->xml)) {
		char *hd = textdiff_unified(X.base, s->xml, "when the edit started",
		                            "on the host now", 3), *both;
		/* One text to scroll: the edit's diff, then the host's. */
		both = xasprintf("%s\nChanged on the host since the edit started:\n%s", X.diff, hd);
		free(X.diff);
		X.diff = both;
		X.host_diff = hd;
	}
	X.running = s->running;
	hw_change_free(&c);
	X.sc.top = 0;
	X.ui = U_DIFF;
}

/* The define failed: the editor again with the reason at the top. */
static void
define_failed(struct app *a, const char *why)
{
	char *t = xmledit_add_error(X.body, why), *err = NULL;

	free(X.last);
	X.last = xstrdup(X.body);
	if (xmledit_write(X.path, t, &err) < 0) {
		done(xasprintf("%s. Esc goes back.", err), true);
		free(err);
	} else {
		edit(a);
	}
	free(t);
}

static void
xe_poll(struct app *a)
{
	enum xe_state st;
	char *why = NULL;
	struct xmledit_src s = { 0 };

	if (X.job == NULL || (X.ui != U_READING && X.ui != U_REREAD && X.ui != U_DEFINING))
		return;
	host_lock(X.host);
	st = X.job->state;
	if (st == XE_FAILED)
		why = xstrdup(X.job->error ? X.job->error : "it failed");
	if (st == XE_READY) {
		s.name = xstrdup(X.job->src.name);
		s.xml = xstrdup(X.job->src.xml);
		s.host = xstrdup(X.job->src.host);
		s.running = X.job->src.running;
	}
	if (st == XE_DEFINED)
		why = xstrdup(X.job->result);
	host_unlock(X.host);
	if (st == XE_READING || st == XE_DEFINING)
		return;
	a->dirty |= DIRTY_ALL;
	if (X.ui == U_DEFINING && st == XE_DEFINED) {
		done(xasprintf("%s Esc goes back.", why), false);
	} else if (X.ui == U_DEFINING && st == XE_FAILED) {
		define_failed(a, why);
	} else if (st == XE_FAILED) {
		done(xasprintf("%s. Esc goes back.", why), true);
	} else if (X.ui == U_READING) {
		source_read(a, &s);
	} else {
		reread(&s);
	}
	free(why);
	xmledit_src_free(&s);
}

/* y: define the edit on the worker. */
static void
define(struct app *a)
{
	struct hw_change c;
	char *uri = host_virsh_uri(X.host);

	xmledit_change(&c, X.name, X.running, uri, X.path, X.base, X.body);
	free(uri);
	xe_job_define(X.job, &c, X.path);
	X.ui = U_DEFINING;
	a->dirty |= DIRTY_ALL;
}

static int
xe_key(struct app *a, enum cmd c, int key)
{
	(void)key;
	if (scroll_cmd(&X.sc, c))
		return HANDLED;
	if (c == CMD_APPLY) {
		if (X.ui == U_DIFF)
			define(a);
		else
			app_status(a, MSG_ERROR, "There is no changed edit to define here.");
		return HANDLED;
	}
	return 0;
}

/* r, f (a kept edit), e, d (the diff). */
static int
xe_text(struct app *a, wint_t wc, bool is_key)
{
	char *err = NULL, *bp;

	if (is_key)
		return HANDLED;
	if (X.ui == U_ASK && (wc == 'r' || wc == 'f')) {
		if (wc == 'r') {
			char *b;
			bp = xmledit_base_path(X.path);
			b = xmledit_read(bp, &err);
			free(bp);
			if (b != NULL) {
				free(X.base);
				X.base = b;
			}
			free(err);
		} else if (start_files(&err) < 0) {
			done(xasprintf("%s. Esc goes back.", err), true);
			free(err);
			return HANDLED;
		}
		edit(a);
		return HANDLED;
	}
	if (X.ui == U_DIFF && wc == 'e') {
		edit(a);
		return HANDLED;
	}
	if (X.ui == U_DIFF && wc == 'd') {
		xmledit_forget(X.path);
		app_status(a, MSG_INFO, "Discarded the edit of %s; nothing was defined.", X.name);
		X.ui = U_DONE;
		app_pop_view(a);
		return HANDLED;
	}
	app_status(a, MSG_INFO, "%s", X.ui == U_ASK ? "r resumes the kept edit, f starts afresh, "
	           "Esc leaves it kept." : X.ui == U_DIFF ? "y defines, e edits again, d "
	           "discards, Esc keeps the edit for later." : "Esc goes back.");
	return HANDLED;
}

/* Text of many lines from line y on, scrolled; returns the lines. */
static int
draw_lines(WINDOW *w, int *y, int skip, int attr_default, const char *text)
{
	int width = getmaxx(w), height = getmaxy(w), n = 0;
	const char *p = text, *nl;
	char buf[1024];

	for (; *p; p = *nl ? nl + 1 : nl, n++) {
		int attr = attr_default;
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		if (n < skip || *y >= height)
			continue;
		snprintf(buf, sizeof buf, "%.*s", (int)(nl - p) < 1000 ? (int)(nl - p) : 1000, p);
		if (attr_default == 0 && buf[0] == '+' && strncmp(buf, "+++", 3) != 0)
			attr = screen_attr(C_RUNNING);
		else if (attr_default == 0 && buf[0] == '-' && strncmp(buf, "---", 3) != 0)
			attr = screen_attr(C_ERROR);
		else if (attr_default == 0 && buf[0] == '@')
			attr = screen_attr(C_DIM);
		draw_text(w, (*y)++, 0, width, attr, buf);
	}
	return n;
}

static void
xe_draw(struct app *a, WINDOW *w)
{
	int width = getmaxx(w), height = getmaxy(w), y = 2, n;
	char line[700];

	(void)a;
	snprintf(line, sizeof line, "Edit the XML of %s on %s", X.name[0] ? X.name : "the guest",
	         host_label(X.host));
	draw_text(w, 0, 0, width, screen_attr(C_COLUMNS), line);
	switch (X.ui) {
	case U_READING:
		draw_text(w, 1, 0, width, screen_attr(C_TITLE), "Reading the XML...");
		return;
	case U_REREAD:
		draw_text(w, 1, 0, width, screen_attr(C_TITLE), "Comparing with the host's XML...");
		return;
	case U_DEFINING:
		draw_text(w, 1, 0, width, screen_attr(C_TITLE), "Defining...");
		return;
	case U_ASK:
		snprintf(line, sizeof line, "An edit of %s from %s ago is kept in %s.", X.name, X.age,
		         X.path);
		draw_wrapped(w, &y, 0, line);
		y++;
		draw_wrapped(w, &y, screen_attr(C_TITLE), "r: resume it   f: start afresh from the "
		             "current XML (the kept edit is dropped)   Esc: leave it kept");
		return;
	case U_DONE:
		y = 1;
		draw_wrapped(w, &y, screen_attr(X.failed ? C_ERROR : C_RUNNING), X.outcome);
		return;
	case U_DIFF:
		break;
	}
	draw_text(w, 1, 0, width, screen_attr(C_TITLE),
	          "y: define   e: edit again   d: discard the edit   Esc: keep it for later");
	draw_text(w, y++, 0, width, 0, X.what ? X.what : "");
	if (X.host_diff != NULL) {
		snprintf(line, sizeof line, "Warning: %s was changed on the host since this edit "
		         "started; defining undoes those changes (shown below the edit's diff).",
		         X.name);
		draw_wrapped(w, &y, screen_attr(C_WARNING), line);
	}
	n = draw_lines(w, &y, X.sc.top, 0, X.diff ? X.diff : "");
	scroll_fit(&X.sc, n, height - 3 > 1 ? height - 3 : 1);
}

int
xmledit_open(struct app *a, const struct sel_guest *g)
{
	if (app_view_open(a, &xmledit_ops)) {
		app_status(a, MSG_INFO, "Already editing the XML of %s.", X.name);
		return HANDLED;
	}
	reset_state();
	X.host = g->host;
	snprintf(X.uuid, sizeof X.uuid, "%s", g->uuid);
	snprintf(X.name, sizeof X.name, "%s", g->name);
	scroll_init(&X.sc, false);
	X.ui = U_READING;
	X.job = xe_job_new(g->host, g->uuid);
	app_push_view(a, &xmledit_ops);
	return HANDLED;
}

const struct view_ops xmledit_ops = {
	.name = "edit",
	.keyview = KV_EDIT,
	.reports = true,
	.leave = xe_leave,
	.draw = xe_draw,
	.key = xe_key,
	.text = xe_text,
	.poll = xe_poll,
};
