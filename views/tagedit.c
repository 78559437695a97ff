/* tagedit.c — the `#` dialog: the selected guest's tags (words) and note
 * edited in two fields, checked as typed on Enter, then written on its
 * host's worker (model/guest/tagjob.h). In the note's field a line break
 * shows as \n and \\ is a backslash, so a note of several lines is edited
 * on one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/base/xmalloc.h"
#include "../model/guest/tagjob.h"
#include "../tui/screen.h"
#include "views.h"

enum { F_TAGS, F_NOTE, NFIELDS };

struct tagedit {
	struct host *host;
	char uuid[VM_UUID_LEN];
	char *name;
	struct lineedit f[NFIELDS];
	bool note_too_long;   /* the note does not fit the field: kept as it is */
	int cur;
	char *refusal;
};

static struct tagedit *te;

static void
te_leave(struct app *a)
{
	(void)a;
	if (te == NULL)
		return;
	free(te->name);
	free(te->refusal);
	free(te);
	te = NULL;
}

/* The note as the field shows it (\n, \\), or NULL when it does not fit. */
static char *
note_escape(const char *note)
{
	size_t n = 0, i;
	char *out = xmalloc(2 * strlen(note) + 1);

	for (i = 0; note[i]; i++) {
		if (note[i] == '\n' || note[i] == '\\') {
			out[n++] = '\\';
			out[n++] = note[i] == '\n' ? 'n' : '\\';
		} else {
			out[n++] = note[i];
		}
	}
	out[n] = '\0';
	if (n >= LINEEDIT_MAX) {
		free(out);
		return NULL;
	}
	return out;
}

/* The field's text back to a note: \n a line break, \\ a backslash. */
static char *
note_unescape(const char *s)
{
	char *out = xmalloc(strlen(s) + 1);
	size_t n = 0;

	for (; *s; s++) {
		if (s[0] == '\\' && (s[1] == 'n' || s[1] == '\\')) {
			out[n++] = s[1] == 'n' ? '\n' : '\\';
			s++;
		} else {
			out[n++] = *s;
		}
	}
	out[n] = '\0';
	return out;
}

static void
te_draw(struct app *a, WINDOW *w)
{
	static const char *const labels[NFIELDS] = { "Tags:", "Note:" };
	int width = getmaxx(w), y = 0, i;
	char line[512];

	if (te == NULL)
		return;
	snprintf(line, sizeof line, "Tags and note of %s", te->name);
	draw_text(w, y++, 0, width, screen_attr(C_COLUMNS), line);
	draw_text(w, y++, 0, width, screen_attr(C_DIM),
	          "Enter or F2: save  Tab: next field  Esc: cancel");
	y++;
	for (i = 0; i < NFIELDS; i++) {
		bool on = te->cur == i;
		const char *text = te->f[i].text;
		if (i == F_NOTE && te->note_too_long)
			text = "(longer than fits here: kept; change it with vmtui note)";
		draw_text(w, y, 0, 6, on ? A_BOLD : 0, labels[i]);
		if (on)
			app_form_focus(a, y);
		draw_text(w, y++, 7, width - 7, on ? screen_attr(C_SELECTION) : 0, text);
	}
	y++;
	draw_wrapped(w, &y, screen_attr(C_DIM),
	             "Tags: words separated by spaces or commas; a-z, 0-9, '.', '_', '-', up to "
	             "32 characters each. Note: free text; \\n is a line break. Both live in "
	             "the guest's own XML and go wherever it goes.");
	y++;
	if (te->refusal)
		draw_wrapped(w, &y, screen_attr(C_ERROR), te->refusal);
}

/* Check both fields; run the change and close, or say what is wrong. */
static void
te_submit(struct app *a)
{
	struct tagset ts = { 0 };
	struct tag_edit *e;
	char *why = NULL;

	free(te->refusal);
	te->refusal = NULL;
	if (tagset_parse_words(&ts, te->f[F_TAGS].text, &why) < 0) {
		te->cur = F_TAGS;
		te->refusal = why;
		return;
	}
	e = xcalloc(1, sizeof *e);
	e->clear_tags = true;
	e->add = ts.tags;
	e->nadd = ts.ntags;
	if (!te->note_too_long) {
		e->set_note = true;
		e->note = note_unescape(te->f[F_NOTE].text);
		if ((why = note_check(e->note)) != NULL) {
			te->cur = F_NOTE;
			te->refusal = why;
			tag_edit_free(e);
			return;
		}
	}
	tagjob_run(te->host, te->uuid, te->name, e);
	app_status(a, MSG_INFO, "tag %s...", te->name);
	app_pop_view(a);
}

static int
te_key(struct app *a, enum cmd c, int key)
{
	(void)key;
	if (te == NULL)
		return 0;
	switch (c) {
	case CMD_NEXT_FIELD:
		te->cur = (te->cur + 1) % NFIELDS;
		return REDRAW_BODY;
	case CMD_PREV_FIELD:
		te->cur = (te->cur + NFIELDS - 1) % NFIELDS;
		return REDRAW_BODY;
	case CMD_APPLY:
		te_submit(a);
		return REDRAW_ALL;
	case CMD_BACK:
		app_status(a, MSG_INFO, "Tags and note of %s left as they were.", te->name);
		return 0;
	default:
		return 0;
	}
}

static int
te_text(struct app *a, wint_t wc, bool is_key)
{
	enum le_result r;

	if (te == NULL)
		return HANDLED;
	if (te->cur == F_NOTE && te->note_too_long) {
		if (!is_key && (wc == '\r' || wc == '\n'))
			return command_dispatch(a, CMD_APPLY, 0);
		if (!is_key && wc == 27)
			return command_dispatch(a, CMD_BACK, 0);
		if (!is_key && wc == '\t')
			return te_key(a, CMD_NEXT_FIELD, 0);
		return HANDLED;
	}
	r = lineedit_key(&te->f[te->cur], wc, is_key);
	if (r == LE_ENTER)
		return command_dispatch(a, CMD_APPLY, 0);
	if (r == LE_CANCEL)
		return command_dispatch(a, CMD_BACK, 0);
	if (r == LE_TAB)
		return te_key(a, CMD_NEXT_FIELD, 0);
	return REDRAW_BODY;
}

int
tagedit_open(struct app *a, const struct sel_guest *g)
{
	struct vm *vm;
	char *words = NULL, *note = NULL;

	te_leave(a);
	te = xcalloc(1, sizeof *te);
	te->host = g->host;
	snprintf(te->uuid, sizeof te->uuid, "%s", g->uuid);
	te->name = xstrdup(g->name);
	host_lock(g->host);
	if ((vm = host_find_vm(g->host, g->uuid)) != NULL) {
		struct tagset ts = { vm->tags, vm->ntags, vm->note };
		words = tagset_join(&ts, " ");
		if (vm->note != NULL && (note = note_escape(vm->note)) == NULL)
			te->note_too_long = true;
	}
	host_unlock(g->host);
	if (words != NULL && strlen(words) >= LINEEDIT_MAX) {
		app_status(a, MSG_ERROR, "%s carries more tags than the dialog holds: use vmtui tag "
		           "and vmtui untag.", g->name);
		free(words);
		free(note);
		te_leave(a);
		return HANDLED;
	}
	lineedit_set(&te->f[F_TAGS], words);
	lineedit_set(&te->f[F_NOTE], note ? note : "");
	free(words);
	free(note);
	app_push_view(a, &tagedit_ops);
	return HANDLED;
}

const struct view_ops tagedit_ops = {
	.name = "tags",
	.keyview = KV_FORM,
	.tall = true,
	.leave = te_leave,
	.draw = te_draw,
	.key = te_key,
	.text = te_text,
};
