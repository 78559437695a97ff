/* hwreview.c — the last look at a hardware change before it is made: what
 * it does, when it takes effect, the running and saved XML diffs and the
 * virsh lines, scrolled with the arrows and PgUp/PgDn. y (or Enter, F2)
 * applies it on the host's worker and goes back to the view that made it,
 * which shows the outcome; n or Esc goes back with nothing done. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/base/xmalloc.h"
#include "../model/guest/hwfirm.h"
#include "../tui/screen.h"
#include "views.h"

struct review {
	struct hwfirm_job *job;
	char *vm;
	struct hw_change change;
	char *saved_before;
	char **lines;        /* the text shown, one line each */
	size_t nlines;
	struct scroller sc;
};

static struct review *rv;

static void
add_line(struct review *r, const char *s, size_t len)
{
	r->lines = xreallocarray(r->lines, r->nlines + 1, sizeof *r->lines);
	r->lines[r->nlines++] = xstrndup(s, len);
}

/* Each line of text (with its newlines) as a line of the review. */
static void
add_text(struct review *r, const char *text)
{
	const char *p = text, *nl;

	while (p && *p) {
		nl = strchr(p, '\n');
		add_line(r, p, nl ? (size_t)(nl - p) : strlen(p));
		p = nl ? nl + 1 : NULL;
	}
}

static void
review_leave(struct app *a)
{
	(void)a;
	if (rv == NULL)
		return;
	hwfirm_job_release(rv->job);
	hw_change_free(&rv->change);
	xfree_strv(rv->lines, rv->nlines);
	free(rv->vm);
	free(rv->saved_before);
	free(rv);
	rv = NULL;
}

static void
review_draw(struct app *a, WINDOW *w)
{
	int width = getmaxx(w), height = getmaxy(w), y = 0, i, page;
	char line[512];

	(void)a;
	if (rv == NULL)
		return;
	draw_text(w, y++, 0, width, screen_attr(C_COLUMNS), rv->change.what);
	snprintf(line, sizeof line, "Takes effect %s.  y or Enter: apply  n or Esc: cancel  "
	         "arrows, PgUp/PgDn: scroll", hw_when_text(rv->change.when));
	draw_hints(w, &y, screen_attr(C_DIM), line);
	page = height - y;
	scroll_fit(&rv->sc, (int)rv->nlines, page);
	for (i = rv->sc.top; i < (int)rv->nlines && y < height; i++, y++) {
		const char *s = rv->lines[i];
		int attr = 0;
		if (s[0] == '+' && strncmp(s, "+++", 3) != 0)
			attr = screen_attr(C_RUNNING);
		else if (s[0] == '-' && strncmp(s, "---", 3) != 0)
			attr = screen_attr(C_ERROR);
		else if (s[0] == '@' || strncmp(s, "virsh", 5) == 0)
			attr = screen_attr(C_DIM);
		draw_text(w, y, 0, width, attr, s);
	}
}

static void
apply(struct app *a)
{
	app_status(a, MSG_INFO, "Applying: %s...", rv->change.what);
	hwfirm_job_apply(rv->job, rv->vm, &rv->change, rv->saved_before);
	app_pop_view(a);
}

static int
review_key(struct app *a, enum cmd c, int key)
{
	(void)key;
	if (rv == NULL)
		return 0;
	switch (c) {
	case CMD_NEXT_FIELD:
		scroll_cmd(&rv->sc, CMD_DOWN);
		return REDRAW_BODY;
	case CMD_PREV_FIELD:
		scroll_cmd(&rv->sc, CMD_UP);
		return REDRAW_BODY;
	case CMD_APPLY:
		apply(a);
		return HANDLED;
	default:
		return 0;
	}
}

static int
review_text(struct app *a, wint_t wc, bool is_key)
{
	if (rv == NULL)
		return HANDLED;
	if (is_key && wc == KEY_NPAGE)
		scroll_cmd(&rv->sc, CMD_PAGE_DOWN);
	else if (is_key && wc == KEY_PPAGE)
		scroll_cmd(&rv->sc, CMD_PAGE_UP);
	else if (!is_key && (wc == 'y' || wc == 'Y' || wc == '\r' || wc == '\n'))
		apply(a);
	else if ((is_key && wc == KEY_ENTER))
		apply(a);
	else if (!is_key && (wc == 'n' || wc == 'N'))
		return command_dispatch(a, CMD_BACK, 0);
	return REDRAW_BODY;
}

void
hwreview_open(struct app *a, struct hwfirm_job *j, const char *vm, const struct hw_change *c,
              const char *saved_before, const char *note)
{
	char *v;

	if (rv != NULL)
		return;
	rv = xcalloc(1, sizeof *rv);
	host_lock(j->host);
	j->refs++;
	host_unlock(j->host);
	rv->job = j;
	rv->vm = xstrdup(vm);
	hw_change_copy(&rv->change, c);
	rv->saved_before = saved_before ? xstrdup(saved_before) : NULL;
	scroll_init(&rv->sc, false);
	if (note) {
		add_text(rv, note);
		add_line(rv, "", 0);
	}
	if (c->diff_live) {
		add_line(rv, "The running guest's XML:", 24);
		add_text(rv, c->diff_live);
		add_line(rv, "", 0);
	}
	if (c->diff_saved) {
		add_line(rv, "The saved configuration (the next boot):", 40);
		add_text(rv, c->diff_saved);
		add_line(rv, "", 0);
	}
	add_line(rv, "The same with virsh:", 20);
	v = hw_change_virsh(c);
	add_text(rv, v);
	free(v);
	app_push_view(a, &hwreview_ops);
}

const struct view_ops hwreview_ops = {
	.name = "hardware change",
	.keyview = KV_FORM,
	.leave = review_leave,
	.draw = review_draw,
	.key = review_key,
	.text = review_text,
};
