/* bulk.c — the marks menu (;) and the bulk actions on the marked guests:
 * one confirmation listing them (it scrolls; delete wants the count and
 * the word typed), then a live progress list of the run (model/guest/
 * bulk.h): each guest's host, step and outcome, the counts; c cancels
 * what has not started; Esc leaves the run going in the background, and
 * `;` p brings its list back. The run's threads do the work on
 * connections of their own; this file only reads the run under its lock
 * to draw, on the UI thread. */
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../model/base/notify.h"
#include "../model/base/xmalloc.h"
#include "../model/base/tagrule.h"
#include "../model/guest/bulkops.h"
#include "../model/guest/migrate.h"
#include "../model/guest/tagbulk.h"
#include "../model/guest/snapshot.h"
#include "../model/host/marks.h"
#include "../tui/format.h"
#include "../tui/screen.h"
#include "bulkview.h"
#include "views.h"

#define BULK_LIMIT_DEFAULT 4

enum phase { PH_MENU, PH_CHOOSE, PH_NAME, PH_CONFIRM, PH_RUN };
enum kind { BK_ACTION, BK_SNAP_CREATE, BK_SNAP_DELETE, BK_DELETE, BK_CUSTOM };

/* A marked guest as it was when the dialog opened. */
struct bguest {
	size_t hi;                /* index of its host in the app's hosts */
	char uuid[VM_UUID_LEN];
	char name[256];
	enum vm_state state;
};

/* The dialog: UI thread only. */
static struct dlg {
	enum phase phase;
	enum kind kind;
	char choose;              /* PH_CHOOSE: 'T' snapshots, 'A' autostart */
	enum action act;
	struct bguest *g;
	size_t ng, nhosts;
	struct lineedit typed;    /* the snapshot's name, or the delete's words */
	bool storage;             /* delete: the volumes too */
	struct scroller sc;
	char *refusal;
	/* BK_CUSTOM (bulk_marked) */
	char *what;
	bulk_fn fn;
	void *(*arg_for)(void *ud, const char *uuid);
	void (*free_arg)(void *arg);
	void *ud;
} *d;

/* The last run, going or ended: it outlives the view (Esc leaves it
 * running). Written by the UI thread; `changes` by the run's threads. */
static struct bulk_run *run;
static atomic_uint changes;
static unsigned changes_seen;
static bool end_told;
static struct scroller run_sc;

static void
dlg_free(void)
{
	if (d == NULL)
		return;
	free(d->g);
	free(d->refusal);
	free(d->what);
	free(d);
	d = NULL;
}

static void
bulk_leave(struct app *a)
{
	(void)a;
	dlg_free();
}

/* The run's threads: after every change. */
static void
run_changed(void *ud)
{
	(void)ud;
	atomic_fetch_add(&changes, 1);
	notify_post();
}

/* ---- the marked guests ---- */

static int
guest_cmp(const void *x, const void *y)
{
	const struct bguest *a = x, *b = y;

	if (a->hi != b->hi)
		return a->hi < b->hi ? -1 : 1;
	return strcmp(a->name, b->name);
}

/* The marked guests present on the hosts now, by host then name. */
static void
collect(struct app *a, struct dlg *x)
{
	size_t i, j, cap = 0;

	x->ng = x->nhosts = 0;
	for (i = 0; i < a->nhosts; i++) {
		struct host *h = a->hosts[i];
		size_t before = x->ng;
		host_lock(h);
		for (j = 0; j < h->nvms; j++) {
			const struct vm *vm = h->vms[j];
			if (!marks_has(a->marks, vm->uuid))
				continue;
			if (x->ng == cap) {
				cap = cap ? cap * 2 : 16;
				x->g = xreallocarray(x->g, cap, sizeof *x->g);
			}
			x->g[x->ng].hi = i;
			snprintf(x->g[x->ng].uuid, sizeof x->g[x->ng].uuid, "%s", vm->uuid);
			snprintf(x->g[x->ng].name, sizeof x->g[x->ng].name, "%s", vm->name);
			x->g[x->ng].state = vm->state;
			x->ng++;
		}
		host_unlock(h);
		x->nhosts += x->ng > before;
	}
	qsort(x->g, x->ng, sizeof *x->g, guest_cmp);
}

/* "12 guests on 3 hosts" */
static const char *
count_words(char *buf, size_t n, size_t guests, size_t hosts)
{
	if (hosts > 1)
		snprintf(buf, n, "%zu guest%s on %zu hosts", guests, guests == 1 ? "" : "s", hosts);
	else
		snprintf(buf, n, "%zu guest%s", guests, guests == 1 ? "" : "s");
	return buf;
}

/* What the run is called: "shutdown", "snapshot create pre-upgrade". */
static char *
run_what(void)
{
	switch (d->kind) {
	case BK_ACTION:
		return xstrdup(action_name(d->act));
	case BK_SNAP_CREATE:
		return xasprintf("snapshot create %s", d->typed.text);
	case BK_SNAP_DELETE:
		return xasprintf("snapshot delete %s", d->typed.text);
	case BK_DELETE:
		return xstrdup(d->storage ? "delete with storage" : "delete");
	default:
		return xstrdup(d->what);
	}
}

/* ---- starting the run ---- */

static void
start_run(struct app *a)
{
	size_t *host_index = xcalloc(a->nhosts ? a->nhosts : 1, sizeof *host_index);
	char *what = run_what();
	size_t i;

	bulk_free(run); /* the last one has ended (bulk_marked_open refuses otherwise) */
	run = bulk_new(what, bulkops_connect, run_changed, NULL);
	for (i = 0; i < a->nhosts; i++)
		host_index[i] = SIZE_MAX;
	for (i = 0; i < d->ng; i++) {
		size_t hi = d->g[i].hi;
		struct host *h = a->hosts[hi];
		void *arg = NULL;
		void (*free_arg)(void *) = NULL;
		bulk_fn fn = bulk_action_fn;

		if (host_index[hi] == SIZE_MAX) {
			unsigned limit = a->host_bulk_limit && a->host_bulk_limit[hi] ?
			                 a->host_bulk_limit[hi] :
			                 a->bulk_limit ? a->bulk_limit : BULK_LIMIT_DEFAULT;
			char *virsh_uri = host_virsh_uri(h), *uri;
			host_lock(h);
			uri = h->uri ? xstrdup(h->uri) : h->uri_req ? xstrdup(h->uri_req) : NULL;
			host_unlock(h);
			host_index[hi] = bulk_add_host(run, host_label(h), uri, virsh_uri, limit, h);
			free(uri);
			free(virsh_uri);
		}
		switch (d->kind) {
		case BK_ACTION:
			arg = (void *)(intptr_t)d->act;
			break;
		case BK_SNAP_CREATE:
		case BK_SNAP_DELETE:
			fn = d->kind == BK_SNAP_CREATE ? bulk_snap_create_fn : bulk_snap_delete_fn;
			arg = bulk_snap_arg_new(d->typed.text, NULL);
			free_arg = bulk_snap_arg_free;
			break;
		case BK_DELETE:
			fn = bulk_delete_fn;
			arg = bulk_del_arg_new(d->storage, getenv("XDG_STATE_HOME"), getenv("HOME"));
			free_arg = bulk_del_arg_free;
			break;
		case BK_CUSTOM:
			fn = d->fn;
			arg = d->arg_for ? d->arg_for(d->ud, d->g[i].uuid) : d->ud;
			free_arg = d->arg_for ? d->free_arg : NULL;
			break;
		}
		bulk_add(run, host_index[hi], d->g[i].uuid, d->g[i].name, fn, arg, free_arg);
	}
	bulk_log_outcomes(run, true);
	atomic_store(&changes, 0);
	changes_seen = 0;
	end_told = false;
	scroll_init(&run_sc, false);
	bulk_start(run);
	app_status(a, MSG_INFO, "%s: %zu guest%s...", what, d->ng, d->ng == 1 ? "" : "s");
	free(what);
	free(host_index);
	d->phase = PH_RUN;
}

/* The confirmation's Enter or y. */
static void
confirm(struct app *a)
{
	char want[32];

	if (d->kind == BK_DELETE) {
		snprintf(want, sizeof want, "delete %zu", d->ng);
		if (strcmp(d->typed.text, want) != 0) {
			free(d->refusal);
			d->refusal = xasprintf("Nothing deleted: type \"%s\" to confirm (typed: \"%s\").",
			                       want, d->typed.text);
			app_status(a, MSG_ERROR, "%s", d->refusal);
			return;
		}
	}
	start_run(a);
}

/* ---- opening ---- */

/* Refused while a run goes: one at a time. */
static bool
run_busy(struct app *a)
{
	size_t c[BULK_SKIPPED + 1];
	bool done;

	if (run == NULL)
		return false;
	bulk_lock(run);
	done = bulk_tally(run, c);
	bulk_unlock(run);
	if (!done)
		app_status(a, MSG_ERROR, "A bulk %s is still going (; p shows it); wait for it or "
		           "cancel it first.", bulk_what(run));
	return !done;
}

static bool
open_dlg(struct app *a, enum phase ph, enum kind k)
{
	if (run_busy(a))
		return false;
	dlg_free();
	d = xcalloc(1, sizeof *d);
	d->phase = ph;
	d->kind = k;
	scroll_init(&d->sc, false);
	collect(a, d);
	if (d->ng == 0) {
		app_status(a, MSG_ERROR, "None of the marked guests is on a connected host now.");
		dlg_free();
		return false;
	}
	if (a->view != &bulk_ops)
		app_push_view(a, &bulk_ops);
	return true;
}

/* ---- tags and migration of the marked (their bulk_fns) ---- */

/* The edit typed for the marked guests, kept until the next one: each
 * guest's run gets a copy. */
static struct tag_edit *marked_edit;

static void *
tag_arg_for(void *ud, const char *uuid)
{
	const struct tag_edit *e = ud;

	(void)uuid;
	return tagbulk_edit_new(e->add, e->nadd, e->del, e->ndel);
}

/* "+web -old db": tags to add (bare or +) and to remove (-). */
static void
tags_submit(struct app *a, const char *text)
{
	char *copy = xstrdup(text), *save = NULL, *w, *why = NULL, what[200];
	struct tag_edit *e = xcalloc(1, sizeof *e);
	size_t at = 0;

	for (w = strtok_r(copy, " \t,", &save); w != NULL; w = strtok_r(NULL, " \t,", &save)) {
		bool del = w[0] == '-';
		const char *t = w[0] == '-' || w[0] == '+' ? w + 1 : w;
		if ((why = tag_check(t)) != NULL)
			break;
		if (del) {
			e->del = xreallocarray(e->del, e->ndel + 1, sizeof *e->del);
			e->del[e->ndel++] = xstrdup(t);
		} else {
			e->add = xreallocarray(e->add, e->nadd + 1, sizeof *e->add);
			e->add[e->nadd++] = xstrdup(t);
		}
		fmt_append(what, sizeof what, &at, at ? " " : "tag ");
		fmt_append(what, sizeof what, &at, del ? "-" : "+");
		fmt_append(what, sizeof what, &at, t);
	}
	free(copy);
	if (why == NULL && e->nadd + e->ndel == 0)
		why = xstrdup("no tag given: type +TAG to add, -TAG to remove");
	if (why != NULL) {
		app_status(a, MSG_ERROR, "Cannot tag the marked guests: %s", why);
		free(why);
		tag_edit_free(e);
		return;
	}
	tag_edit_free(marked_edit);
	marked_edit = e;
	bulk_marked(a, what, tagbulk_fn, tag_arg_for, tagbulk_free_arg, e);
}

/* The target typed for the marked guests, kept until the next one. */
static struct mig_bulk_arg *marked_mig;

static void *
mig_arg_for(void *ud, const char *uuid)
{
	const struct mig_bulk_arg *m = ud;

	(void)uuid;
	return mig_bulk_arg_new(m->target_uri, m->target_label, m->virsh_target, &m->opts);
}

/* A host of the list by its label: the marked guests migrate there,
 * live when running, offline when shut off, on shared storage (the M
 * dialog on one guest has the other choices). */
static void
migrate_submit(struct app *a, const char *text)
{
	struct host *t = NULL;
	struct mig_opts o = { .mode = MIG_AUTO };
	char *uri = NULL, *virsh, what[160];
	size_t i;

	for (i = 0; i < a->nhosts; i++)
		if (strcmp(host_label(a->hosts[i]), text) == 0)
			t = a->hosts[i];
	if (t == NULL) {
		app_status(a, MSG_ERROR, "Cannot migrate the marked guests: no host called \"%s\" "
		           "in the list (its name as the host line shows it).", text);
		return;
	}
	if (t->ssh != NULL) {
		app_status(a, MSG_ERROR, "Cannot migrate the marked guests to %s: it is reached over "
		           "SSH; migrate them one by one with M (its dialog says what the source "
		           "needs), or with vmtui migrate --p2p.", text);
		return;
	}
	host_lock(t);
	if (t->uri != NULL)
		uri = xstrdup(t->uri);
	host_unlock(t);
	if (uri == NULL && t->uri_req != NULL)
		uri = xstrdup(t->uri_req);
	if (uri == NULL) {
		app_status(a, MSG_ERROR, "Cannot migrate the marked guests to %s: it is not "
		           "connected.", text);
		return;
	}
	virsh = host_virsh_uri(t);
	mig_bulk_arg_free(marked_mig);
	marked_mig = mig_bulk_arg_new(uri, host_label(t), virsh ? virsh : uri, &o);
	free(uri);
	free(virsh);
	snprintf(what, sizeof what, "migrate to %s", host_label(t));
	bulk_marked(a, what, mig_bulk_fn, mig_arg_for, mig_bulk_arg_free, marked_mig);
}

bool
bulk_cmd(struct app *a, enum cmd c)
{
	static const struct {
		enum cmd c;
		enum action act;
	} acts[] = {
		{ CMD_START, ACT_START }, { CMD_SHUTDOWN, ACT_SHUTDOWN }, { CMD_REBOOT, ACT_REBOOT },
		{ CMD_FORCE_OFF, ACT_DESTROY }, { CMD_PAUSE, ACT_SUSPEND }, { CMD_RESUME, ACT_RESUME },
	};
	size_t i;

	for (i = 0; i < sizeof acts / sizeof acts[0]; i++)
		if (acts[i].c == c) {
			if (open_dlg(a, PH_CONFIRM, BK_ACTION))
				d->act = acts[i].act;
			return true;
		}
	if (c == CMD_AUTOSTART || c == CMD_SNAPSHOTS) {
		if (open_dlg(a, PH_CHOOSE, BK_ACTION))
			d->choose = c == CMD_AUTOSTART ? 'A' : 'T';
		return true;
	}
	if (strcmp(command_row(c)->name, "delete") == 0) {
		open_dlg(a, PH_CONFIRM, BK_DELETE);
		return true;
	}
	if (strcmp(command_row(c)->name, "tags") == 0) {
		app_prompt_text(a, "Tags +add -remove: ", "", tags_submit);
		return true;
	}
	if (strcmp(command_row(c)->name, "migrate") == 0) {
		app_prompt_text(a, "Migrate to host: ", "", migrate_submit);
		return true;
	}
	return false;
}

int
bulk_marked(struct app *a, const char *what, bulk_fn fn, void *(*arg_for)(void *ud, const char *uuid),
            void (*free_arg)(void *arg), void *ud)
{
	if (marks_count(a->marks) == 0) {
		app_status(a, MSG_ERROR, "No guest is marked (Space marks the selected one).");
		return HANDLED;
	}
	if (!open_dlg(a, PH_CONFIRM, BK_CUSTOM)) {
		if (arg_for == NULL && free_arg)
			free_arg(ud);
		return HANDLED;
	}
	d->what = xstrdup(what);
	d->fn = fn;
	d->arg_for = arg_for;
	d->free_arg = free_arg;
	d->ud = ud;
	return HANDLED;
}

int
marksmenu_open(struct app *a)
{
	dlg_free();
	d = xcalloc(1, sizeof *d);
	d->phase = PH_MENU;
	app_push_view(a, &bulk_ops);
	return HANDLED;
}

/* ---- the marks menu's selections ---- */

static enum mark_by prompt_by;

/* Every guest of every host as rows (host locks held). */
static struct row *
all_rows(struct app *a, size_t *n)
{
	struct row *rows = NULL;
	size_t i, j;

	*n = 0;
	for (i = 0; i < a->nhosts; i++) {
		rows = xreallocarray(rows, *n + a->hosts[i]->nvms + 1, sizeof *rows);
		for (j = 0; j < a->hosts[i]->nvms; j++) {
			rows[*n].host = a->hosts[i];
			rows[(*n)++].vm = a->hosts[i]->vms[j];
		}
	}
	return rows;
}

static void
select_submit(struct app *a, const char *text)
{
	static const char *const how[] = { "", "glob", "regex", "tag", "host", "state" };
	struct mark_sel sel = { prompt_by, text };
	struct row *rows;
	size_t n, i;
	long added;
	char *err = NULL;

	if (a->marks == NULL)
		a->marks = marks_new();
	for (i = 0; i < a->nhosts; i++)
		host_lock(a->hosts[i]);
	rows = all_rows(a, &n);
	added = marks_select(a->marks, rows, n, &sel, &err);
	for (i = 0; i < a->nhosts; i++)
		host_unlock(a->hosts[i]);
	free(rows);
	if (added < 0)
		app_status(a, MSG_ERROR, "%s", err);
	else
		app_status(a, MSG_INFO, "Marked %ld more by %s %s; %zu marked in all.", added,
		           how[prompt_by], text, marks_count(a->marks));
	free(err);
	a->dirty = DIRTY_ALL;
}

static int
menu_key(struct app *a, wint_t wc)
{
	static const struct {
		char key;
		enum mark_by by;
		const char *label;
	} prompts[] = {
		{ 'g', MARK_GLOB, "Mark by name glob: " }, { 'r', MARK_REGEX, "Mark by name regex: " },
		{ 't', MARK_TAG, "Mark by tag: " }, { 'h', MARK_HOST, "Mark by host: " },
		{ 's', MARK_STATE, "Mark by state: " },
	};
	size_t i, on;
	char *err = NULL;

	if (a->marks == NULL)
		a->marks = marks_new();
	for (i = 0; i < sizeof prompts / sizeof prompts[0]; i++)
		if ((wint_t)prompts[i].key == wc) {
			prompt_by = prompts[i].by;
			app_pop_view(a);
			app_prompt_text(a, prompts[i].label, "", select_submit);
			return REDRAW_ALL;
		}
	switch (wc) {
	case 'a':
		app_lock_hosts(a);
		marks_select(a->marks, a->rows, a->nrows, &(struct mark_sel){ MARK_ALL, NULL }, &err);
		app_unlock_hosts(a);
		free(err);
		app_status(a, MSG_INFO, "Marked every guest shown; %zu marked in all.",
		           marks_count(a->marks));
		break;
	case 'i':
		app_lock_hosts(a);
		on = marks_invert(a->marks, a->rows, a->nrows);
		app_unlock_hosts(a);
		app_status(a, MSG_INFO, "Inverted the marks of the guests shown: %zu of them marked.", on);
		break;
	case 'c':
		app_status(a, MSG_INFO, "Cleared %zu mark%s.", marks_count(a->marks),
		           marks_count(a->marks) == 1 ? "" : "s");
		marks_clear(a->marks);
		break;
	case 'p':
		if (run == NULL) {
			app_status(a, MSG_ERROR, "No bulk action has run yet.");
			return HANDLED;
		}
		d->phase = PH_RUN;
		return REDRAW_ALL;
	case 27:
	case ';':
		break;
	default:
		return HANDLED;
	}
	app_pop_view(a);
	return REDRAW_ALL;
}

/* ---- drawing ---- */

static void
draw_menu(struct app *a, WINDOW *w)
{
	static const char *const lines[] = {
		"a   mark every guest shown (the list as filtered)",
		"g   mark by name glob           web-*, db-[0-9]",
		"r   mark by name regex          ^(web|db)-[0-9]+$ (any case)",
		"t   mark by tag",
		"h   mark by host                its name in the list, or a glob",
		"s   mark by state               running, paused, shut off...",
		"i   invert the marks of the guests shown",
		"c   clear every mark",
		"p   the last bulk action's progress",
		"Esc back",
	};
	/* The same, short, packed on as few lines as the width takes, for a
	 * window too low for the list (40x12 has 8 lines for it). */
	static const char *const brief[] = {
		"a all shown", "g glob", "r regex", "t tag", "h host",
		"s state", "i invert", "c clear", "p progress", "Esc back",
	};
	char head[96], m[64], packed[128];
	size_t i, g = 0, h = 0, n, len;
	struct row *rows;
	int y = 0, width = getmaxx(w) - 2;

	rows = all_rows(a, &n); /* views draw with the host locks held */
	marks_tally(a->marks, rows, n, &g, &h);
	free(rows);
	marks_describe(g, h, m, sizeof m);
	snprintf(head, sizeof head, "Marks: %s", g ? m : "none");
	draw_text(w, y++, 0, getmaxx(w), screen_attr(C_COLUMNS), head);
	if (getmaxy(w) < 2 + (int)(sizeof lines / sizeof lines[0])) {
		packed[0] = '\0';
		for (i = 0, len = 0; i < sizeof brief / sizeof brief[0]; i++) {
			size_t add = strlen(brief[i]) + (len ? 2 : 0);
			if (len && (int)(len + add) > width) {
				draw_text(w, y++, 2, width, 0, packed);
				len = 0;
				add = strlen(brief[i]);
			}
			len += (size_t)snprintf(packed + len, sizeof packed - len, "%s%s",
			                        len ? "  " : "", brief[i]);
		}
		draw_text(w, y++, 2, width, 0, packed);
		if (getmaxy(w) - y >= 3) {
			y++;
			draw_wrapped(w, &y, screen_attr(C_DIM), "Space marks or unmarks the selected guest.");
		}
		return;
	}
	y++;
	for (i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		char shorter[96];
		const char *l = lines[i], *ex;
		/* Narrow: without the examples column, or the note in brackets. */
		if ((int)strlen(l) > width) {
			ex = strstr(l + 4, "  ");
			if (ex == NULL)
				ex = strstr(l, " (");
			snprintf(shorter, sizeof shorter, "%.*s", ex ? (int)(ex - l) : (int)strlen(l), l);
			l = shorter;
		}
		draw_text(w, y++, 2, width, i == 8 && run == NULL ? screen_attr(C_DIM) : 0, l);
	}
	y++;
	draw_wrapped(w, &y, screen_attr(C_DIM), "When guests are marked, S H R F P U A D and T act on "
	             "all of them (after one confirmation). Space marks or unmarks the selected "
	             "guest; so does a right click or Ctrl+click.");
}

/* The guests listed, from line y on (the confirmation). */
static void
draw_guests(struct app *a, WINDOW *w, int y)
{
	int page = getmaxy(w) - y - 1, i, width = getmaxx(w);
	char line[400];

	if (page < 1)
		return;
	scroll_fit(&d->sc, (int)d->ng, page);
	for (i = 0; i < page && d->sc.top + i < (int)d->ng; i++) {
		const struct bguest *g = &d->g[d->sc.top + i];
		snprintf(line, sizeof line, "  %-16.16s %-10s %s", host_label(a->hosts[g->hi]),
		         vm_state_name(g->state), g->name);
		draw_text(w, y + i, 0, width, 0, line);
	}
	if ((int)d->ng > page) {
		snprintf(line, sizeof line, "  (%d-%d of %zu; arrows and PgUp/PgDn scroll)",
		         d->sc.top + 1, d->sc.top + i, d->ng);
		draw_text(w, y + page, 0, width, screen_attr(C_DIM), line);
	}
}

static void
draw_confirm(struct app *a, WINDOW *w)
{
	char line[512], cnt[64];
	int y = 0, width = getmaxx(w);
	char *what = run_what();

	count_words(cnt, sizeof cnt, d->ng, d->nhosts);
	if (d->kind == BK_DELETE)
		snprintf(line, sizeof line, "Delete %s? Running ones are forced off first; each "
		         "definition is backed up first.", cnt);
	else
		snprintf(line, sizeof line, "%s on %s?", what, cnt);
	free(what);
	draw_wrapped(w, &y, A_BOLD, line);
	if (d->kind == BK_ACTION && action_loses_work(d->act))
		draw_wrapped(w, &y, screen_attr(C_WARNING), "Unsaved data in the guests is lost, as "
		             "when pulling the power cord.");
	if (d->kind == BK_DELETE) {
		snprintf(line, sizeof line, "[%c] also delete their storage volumes (Tab ticks)",
		         d->storage ? 'x' : ' ');
		draw_text(w, y++, 0, width, d->storage ? screen_attr(C_WARNING) : 0, line);
		snprintf(line, sizeof line, "Type \"delete %zu\" and Enter to confirm: ", d->ng);
		draw_text(w, y, 0, width, 0, line);
		draw_text(w, y++, (int)strlen(line), width - (int)strlen(line),
		          screen_attr(C_SELECTION), d->typed.text);
		if (d->refusal)
			draw_wrapped(w, &y, screen_attr(C_ERROR), d->refusal);
	} else {
		draw_hints(w, &y, screen_attr(C_DIM), "y or Enter: go   n or Esc: cancel");
	}
	y++;
	draw_guests(a, w, y);
}

static void
draw_choose(WINDOW *w)
{
	char line[256];
	int y = 0;

	if (d->choose == 'T') {
		snprintf(line, sizeof line, "Snapshots of the %zu marked guests:", d->ng);
		draw_text(w, y++, 0, getmaxx(w), A_BOLD, line);
		draw_text(w, y++, 2, getmaxx(w) - 2, 0, "c   create a snapshot, the same name on each");
		draw_text(w, y++, 2, getmaxx(w) - 2, 0, "x   delete the snapshot of a name on each");
	} else {
		snprintf(line, sizeof line, "Autostart of the %zu marked guests:", d->ng);
		draw_text(w, y++, 0, getmaxx(w), A_BOLD, line);
		draw_text(w, y++, 2, getmaxx(w) - 2, 0, "e   on: start them at host boot");
		draw_text(w, y++, 2, getmaxx(w) - 2, 0, "d   off");
	}
	draw_text(w, y + 1, 0, getmaxx(w), screen_attr(C_DIM), "Esc: cancel");
}

static void
draw_name(WINDOW *w)
{
	char line[256];
	int y = 3;

	snprintf(line, sizeof line, "Snapshot to %s on the %zu marked guests; its name:",
	         d->kind == BK_SNAP_CREATE ? "create" : "delete", d->ng);
	draw_text(w, 0, 0, getmaxx(w), A_BOLD, line);
	draw_text(w, 1, 2, getmaxx(w) - 2, screen_attr(C_SELECTION), d->typed.text);
	draw_hints(w, &y, screen_attr(C_DIM), "Enter: next (the list to confirm)   Esc: cancel");
	if (d->refusal)
		draw_wrapped(w, &y, screen_attr(C_ERROR), d->refusal);
}

static int
status_attr(enum bulk_status s)
{
	switch (s) {
	case BULK_OK:
		return screen_attr(C_RUNNING);
	case BULK_FAILED:
		return screen_attr(C_ERROR);
	case BULK_RUNNING:
		return screen_attr(C_PAUSED) | A_BOLD;
	default:
		return screen_attr(C_DIM);
	}
}

static void
draw_run(WINDOW *w)
{
	size_t c[BULK_SKIPPED + 1], n = bulk_count(run);
	int width = getmaxx(w), page = getmaxy(w) - 3, y;
	char line[640];
	bool done;

	bulk_lock(run);
	done = bulk_tally(run, c);
	snprintf(line, sizeof line, "bulk %s: %zu guests  %zu done  %zu failed  %zu running  "
	         "%zu queued  %zu skipped  %zu cancelled%s", bulk_what(run), n, c[BULK_OK],
	         c[BULK_FAILED], c[BULK_RUNNING], c[BULK_QUEUED], c[BULK_SKIPPED],
	         c[BULK_CANCELLED], done ? "  - finished" : "");
	draw_text(w, 0, 0, width, A_BOLD, line);
	draw_text(w, 1, 0, width, screen_attr(C_COLUMNS),
	          "HOST             GUEST                STATUS     STEP / OUTCOME");
	if (page < 1)
		page = 1;
	scroll_fit(&run_sc, (int)n, page);
	for (y = 0; y < page && run_sc.top + y < (int)n; y++) {
		const struct bulk_item *it = bulk_item(run, (size_t)(run_sc.top + y));
		const char *text = it->msg ? it->msg : it->step ? it->step : "";
		snprintf(line, sizeof line, "%-16.16s %-20.20s ", bulk_host(run, it->host)->label,
		         it->name);
		draw_text(w, 2 + y, 0, width, 0, line);
		draw_text(w, 2 + y, 38, 10, status_attr(it->status), bulk_status_name(it->status));
		draw_text(w, 2 + y, 49, width - 49, it->status == BULK_FAILED ?
		          screen_attr(C_ERROR) : 0, text);
	}
	bulk_unlock(run);
	draw_text(w, getmaxy(w) - 1, 0, width, screen_attr(C_DIM), done ?
	          "Esc: back to the list (the action log, L, keeps every outcome)" :
	          "c: cancel what has not started   Esc: leave it running (; p brings it back)");
}

static void
bulk_draw(struct app *a, WINDOW *w)
{
	if (d == NULL)
		return;
	switch (d->phase) {
	case PH_MENU:
		draw_menu(a, w);
		break;
	case PH_CHOOSE:
		draw_choose(w);
		break;
	case PH_NAME:
		draw_name(w);
		break;
	case PH_CONFIRM:
		draw_confirm(a, w);
		break;
	case PH_RUN:
		if (run)
			draw_run(w);
		break;
	}
}

/* ---- keys ---- */

/* Arrows and pages scroll s; true when the key was one of them. */
static bool
scroll_key(struct scroller *s, wint_t wc, bool is_key)
{
	enum cmd c = CMD_NONE;

	if (is_key && wc == KEY_UP)
		c = CMD_UP;
	else if (is_key && wc == KEY_DOWN)
		c = CMD_DOWN;
	else if (is_key && wc == KEY_PPAGE)
		c = CMD_PAGE_UP;
	else if (is_key && wc == KEY_NPAGE)
		c = CMD_PAGE_DOWN;
	else if (is_key && wc == KEY_HOME)
		c = CMD_HOME;
	else if (is_key && wc == KEY_END)
		c = CMD_END;
	return c != CMD_NONE && scroll_cmd(s, c);
}

static int
name_key(struct app *a, wint_t wc, bool is_key)
{
	enum le_result r = lineedit_key(&d->typed, wc, is_key);
	char *why;

	if (r == LE_CANCEL) {
		app_pop_view(a);
		app_status(a, MSG_INFO, "Cancelled.");
		return REDRAW_ALL;
	}
	if (r != LE_ENTER)
		return REDRAW_BODY;
	free(d->refusal);
	d->refusal = NULL;
	if ((why = snapshot_name_check(d->typed.text)) != NULL) {
		d->refusal = why;
		return REDRAW_BODY;
	}
	d->phase = PH_CONFIRM;
	return REDRAW_BODY;
}

static int
choose_key(struct app *a, wint_t wc)
{
	if (d->choose == 'T' && (wc == 'c' || wc == 'x')) {
		d->kind = wc == 'c' ? BK_SNAP_CREATE : BK_SNAP_DELETE;
		d->phase = PH_NAME;
		if (wc == 'c') {
			char name[64];
			snapshot_default_name(name, sizeof name, time(NULL));
			lineedit_set(&d->typed, name);
		}
	} else if (d->choose == 'A' && (wc == 'e' || wc == 'd')) {
		d->act = wc == 'e' ? ACT_AUTOSTART_ON : ACT_AUTOSTART_OFF;
		d->phase = PH_CONFIRM;
	} else if (wc == 27 || wc == 'n' || wc == 'q') {
		app_pop_view(a);
		app_status(a, MSG_INFO, "Cancelled.");
		return REDRAW_ALL;
	}
	return REDRAW_BODY;
}

static int
confirm_key(struct app *a, wint_t wc, bool is_key)
{
	if (scroll_key(&d->sc, wc, is_key))
		return REDRAW_BODY;
	if (!is_key && wc == 27) {
		app_pop_view(a);
		app_status(a, MSG_INFO, "Cancelled.");
		return REDRAW_ALL;
	}
	if (d->kind == BK_DELETE) {
		if (!is_key && wc == '\t') {
			d->storage = !d->storage;
			return REDRAW_BODY;
		}
		if (!is_key && (wc == '\r' || wc == '\n'))
			confirm(a);
		else
			lineedit_key(&d->typed, wc, is_key);
		return REDRAW_ALL;
	}
	if (!is_key && (wc == 'y' || wc == 'Y' || wc == '\r' || wc == '\n')) {
		confirm(a);
		return REDRAW_ALL;
	}
	if (!is_key && (wc == 'n' || wc == 'N' || wc == 'q')) {
		app_pop_view(a);
		app_status(a, MSG_INFO, "Cancelled.");
		return REDRAW_ALL;
	}
	return HANDLED;
}

static int
run_key(struct app *a, wint_t wc, bool is_key)
{
	if (scroll_key(&run_sc, wc, is_key))
		return REDRAW_BODY;
	if (!is_key && (wc == 'c' || wc == 'C')) {
		bulk_cancel(run);
		app_status(a, MSG_INFO, "bulk %s: cancelled what had not started.", bulk_what(run));
		return REDRAW_ALL;
	}
	if (!is_key && (wc == 27 || wc == 'q' || wc == ';')) {
		app_pop_view(a);
		return REDRAW_ALL;
	}
	return HANDLED;
}

static int
bulk_text(struct app *a, wint_t wc, bool is_key)
{
	if (d == NULL)
		return HANDLED;
	switch (d->phase) {
	case PH_MENU:
		return is_key ? HANDLED : menu_key(a, wc);
	case PH_CHOOSE:
		return is_key ? HANDLED : choose_key(a, wc);
	case PH_NAME:
		return name_key(a, wc, is_key);
	case PH_CONFIRM:
		return confirm_key(a, wc, is_key);
	case PH_RUN:
		return run ? run_key(a, wc, is_key) : HANDLED;
	}
	return HANDLED;
}

static bool
bulk_grab(struct app *a)
{
	(void)a;
	return true;
}

/* ---- the loop's turn ---- */

void
bulk_poll(struct app *a)
{
	unsigned now = atomic_load(&changes);
	size_t c[BULK_SKIPPED + 1];
	bool done;

	if (run == NULL || now == changes_seen)
		return;
	changes_seen = now;
	a->dirty |= DIRTY_BODY | DIRTY_HEADER;
	bulk_lock(run);
	done = bulk_tally(run, c);
	bulk_unlock(run);
	if (done && !end_told) {
		end_told = true;
		if (c[BULK_FAILED])
			app_status(a, MSG_ERROR, "bulk %s: %zu done, %zu failed, %zu skipped, %zu "
			           "cancelled (L: the outcomes).", bulk_what(run), c[BULK_OK],
			           c[BULK_FAILED], c[BULK_SKIPPED], c[BULK_CANCELLED]);
		else
			app_status(a, MSG_INFO, "bulk %s: %zu done, %zu skipped, %zu cancelled.",
			           bulk_what(run), c[BULK_OK], c[BULK_SKIPPED], c[BULK_CANCELLED]);
	}
}

void
bulk_forget(void)
{
	bulk_free(run); /* cancels what has not started, waits for the rest */
	run = NULL;
	dlg_free();
	tag_edit_free(marked_edit);
	marked_edit = NULL;
	mig_bulk_arg_free(marked_mig);
	marked_mig = NULL;
}

const struct view_ops bulk_ops = {
	.name = "bulk",
	.keyview = KV_FORM,
	.reports = true,
	.leave = bulk_leave,
	.draw = bulk_draw,
	.text = bulk_text,
	.grab = bulk_grab,
};
