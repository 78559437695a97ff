/* keymap.c — read and check the `keys:` section of config.yaml. */
#include "keymap.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "../model/base/xmalloc.h"

static const struct {
	const char *name;
	int code;
} named[] = {
	{ "Enter", '\r' }, { "Return", '\r' }, { "Esc", 27 }, { "Escape", 27 },
	{ "Tab", '\t' }, { "S-Tab", KMK_BTAB }, { "BTab", KMK_BTAB }, { "Space", ' ' },
	{ "Up", KMK_UP }, { "Down", KMK_DOWN }, { "Left", KMK_LEFT }, { "Right", KMK_RIGHT },
	{ "PgUp", KMK_PGUP }, { "PageUp", KMK_PGUP }, { "PgDn", KMK_PGDN },
	{ "PageDown", KMK_PGDN }, { "Home", KMK_HOME }, { "End", KMK_END },
	{ "Ins", KMK_INSERT }, { "Insert", KMK_INSERT }, { "Del", KMK_DELETE },
	{ "Delete", KMK_DELETE }, { "Backspace", KMK_BACKSPACE }, { "BS", KMK_BACKSPACE },
	{ "KpEnter", KMK_KPENTER },
};

int
keymap_key_parse(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 1 && s[0] >= 32 && s[0] < 127)
		return s[0];
	if (n == 2 && s[0] == '^') {
		int c = toupper((unsigned char)s[1]);
		if (c > '@' && c <= '_')
			return c - '@'; /* ^@ (NUL) is not a key */
		if (c == '?')
			return 127;
	}
	if (n == 3 && s[0] == 'C' && s[1] == '-') {
		int c = toupper((unsigned char)s[2]);
		if (c > '@' && c <= '_')
			return c - '@';
	}
	if ((s[0] == 'F' || s[0] == 'f') && n >= 2 && n <= 3 && isdigit((unsigned char)s[1]) &&
	    (n == 2 || isdigit((unsigned char)s[2]))) {
		int f = atoi(s + 1);
		if (f >= 1 && f <= 12 && s[1] != '0')
			return KMK_F1 + f - 1;
		return -1;
	}
	for (i = 0; i < sizeof named / sizeof named[0]; i++)
		if (strcasecmp(s, named[i].name) == 0)
			return named[i].code;
	return -1;
}

void
keymap_free(struct keymap *km)
{
	size_t i, j;

	for (i = 0; i < km->n; i++) {
		struct keymap_bind *b = &km->v[i];
		for (j = 0; j < b->nkeys; j++)
			free(b->names[j]);
		free(b->cmd);
		free(b->keys);
		free(b->names);
		free(b->kline);
		free(b->kcol);
	}
	free(km->v);
	km->v = NULL;
	km->n = 0;
}

static void
err(struct config_errors *e, const char *file, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void
err(struct config_errors *e, const char *file, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	config_verror(e, file, n->start_mark.line + 1, n->start_mark.column + 1, "keys: ", fmt,
	              ap);
	va_end(ap);
}

static const char *
scalar(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

/* One key of a command onto b. */
static void
add_key(struct keymap_bind *b, yaml_node_t *k, const char *file, struct config_errors *e)
{
	int code;
	size_t i;

	if (k->type != YAML_SCALAR_NODE || scalar(k)[0] == '\0') {
		err(e, file, k, "%s: expected a key such as q, ^L, F10, Enter or PgDn%s", b->cmd,
		    k->type == YAML_SCALAR_NODE ? " (quote punctuation: \"#\", \"*\", \"?\", \"-\")" : "");
		return;
	}
	code = keymap_key_parse(scalar(k));
	if (code < 0) {
		err(e, file, k, "%s: \"%s\" is not a key (use a character, ^X for Ctrl-X, F1-F12, "
		    "Enter, Esc, Tab, Space, Up, Down, Left, Right, PgUp, PgDn, Home, End, Ins, Del, "
		    "Backspace)", b->cmd, scalar(k));
		return;
	}
	for (i = 0; i < b->nkeys; i++)
		if (b->keys[i] == code) {
			err(e, file, k, "%s: \"%s\" is listed twice", b->cmd, scalar(k));
			return;
		}
	b->keys = xreallocarray(b->keys, b->nkeys + 1, sizeof *b->keys);
	b->names = xreallocarray(b->names, b->nkeys + 1, sizeof *b->names);
	b->kline = xreallocarray(b->kline, b->nkeys + 1, sizeof *b->kline);
	b->kcol = xreallocarray(b->kcol, b->nkeys + 1, sizeof *b->kcol);
	b->keys[b->nkeys] = code;
	b->names[b->nkeys] = xstrdup(scalar(k));
	b->kline[b->nkeys] = (unsigned)k->start_mark.line + 1;
	b->kcol[b->nkeys] = (unsigned)k->start_mark.column + 1;
	b->nkeys++;
}

void
keymap_parse_node(struct keymap *km, yaml_document_t *doc, yaml_node_t *v, const char *file,
                  struct config_errors *e)
{
	yaml_node_pair_t *p;
	size_t i;

	if (v->type != YAML_MAPPING_NODE) {
		if (v->type != YAML_SCALAR_NODE || scalar(v)[0] != '\0')
			err(e, file, v, "expected a mapping of command names to keys, such as "
			    "quit: [q, F10]");
		return;
	}
	for (p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(doc, p->key);
		yaml_node_t *val = yaml_document_get_node(doc, p->value);
		struct keymap_bind b;
		bool dup = false;

		if (k == NULL || val == NULL)
			continue;
		if (k->type != YAML_SCALAR_NODE || scalar(k)[0] == '\0') {
			err(e, file, k, "expected a command name such as quit or start");
			continue;
		}
		for (i = 0; i < km->n && !dup; i++)
			if (strcmp(km->v[i].cmd, scalar(k)) == 0) {
				err(e, file, k, "duplicate key \"%s\" (already given at line %u)",
				    scalar(k), km->v[i].line);
				dup = true;
			}
		if (dup)
			continue;
		memset(&b, 0, sizeof b);
		b.cmd = xstrdup(scalar(k));
		b.line = (unsigned)k->start_mark.line + 1;
		b.col = (unsigned)k->start_mark.column + 1;
		if (val->type == YAML_SEQUENCE_NODE) {
			yaml_node_item_t *it;
			if (val->data.sequence.items.start == val->data.sequence.items.top)
				err(e, file, val, "%s: expected at least one key", b.cmd);
			for (it = val->data.sequence.items.start; it < val->data.sequence.items.top; it++) {
				yaml_node_t *kk = yaml_document_get_node(doc, *it);
				if (kk != NULL)
					add_key(&b, kk, file, e);
			}
		} else {
			add_key(&b, val, file, e);
		}
		km->v = xreallocarray(km->v, km->n + 1, sizeof *km->v);
		km->v[km->n++] = b;
	}
}

int
keymap_parse(struct keymap *km, const char *file, const char *text, size_t len,
             struct config_errors *e)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root;
	size_t before = e->n;

	if (config_yaml_load(&parser, &doc, file, text, len, e) < 0)
		return -1;
	root = yaml_document_get_root_node(&doc);
	if (root != NULL)
		keymap_parse_node(km, &doc, root, file, e);
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	if (e->n > before) {
		keymap_free(km);
		return -1;
	}
	return 0;
}

/* ---- putting it in force ---- */

static void
errb(struct config_errors *e, const char *file, unsigned line, unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void
errb(struct config_errors *e, const char *file, unsigned line, unsigned col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	config_verror(e, file, line, col, "keys: ", fmt, ap);
	va_end(ap);
}

/* Do two view masks share a view? Global bindings reach every view but the
 * typing ones. */
static bool
overlap(unsigned a, unsigned b, const struct keymap_rules *r)
{
	if (a & b)
		return true;
	if ((a & r->global_view) && (b & ~r->typing_views & ~r->global_view))
		return true;
	return (b & r->global_view) && (a & ~r->typing_views & ~r->global_view);
}

static int
cmd_number(const struct keymap_rules *r, const char *name)
{
	int i;

	for (i = 1; r->cmd_names[i]; i++) /* 0 is "none" */
		if (strcmp(r->cmd_names[i], name) == 0)
			return i;
	return -1;
}

/* The views command c works in, its footer label. */
static unsigned
cmd_views(const struct keymap_rules *r, int c, const char **label)
{
	unsigned v = 0;
	size_t i;

	*label = NULL;
	for (i = 0; i < r->ndefaults; i++)
		if (r->defaults[i].cmd == c) {
			v |= r->defaults[i].views;
			if (*label == NULL)
				*label = r->defaults[i].label;
		}
	return v;
}

/* New bindings for one `command: keys` entry, onto *nb. */
static void
bind_one(const struct keymap_bind *b, int c, const char *file, const struct keymap_rules *r,
         struct keymap_binding **nb, size_t *nnb, struct config_errors *e)
{
	const char *label;
	unsigned views = cmd_views(r, c, &label), v;
	size_t j, k;

	for (j = 0; j < b->nkeys; j++) {
		int code = r->code(b->keys[j]);
		bool bad = false;

		for (k = 0; r->reserved && r->reserved[k] >= 0; k++)
			if (r->reserved[k] == code) {
				errb(e, file, b->kline[j], b->kcol[j], "%s: \"%s\" cannot be rebound "
				     "(it always quits)", b->cmd, b->names[j]);
				bad = true;
			}
		if (bad)
			continue;
		v = views;
		if (b->keys[j] >= 32 && b->keys[j] < 127) {
			v &= ~r->typing_views;
			if (v == 0) {
				errb(e, file, b->kline[j], b->kcol[j], "%s: \"%s\" would be typed into "
				     "the form; use a key such as Tab, F3 or ^N", b->cmd, b->names[j]);
				continue;
			}
		}
		*nb = xreallocarray(*nb, *nnb + 1, sizeof **nb);
		(*nb)[*nnb].key = code;
		(*nb)[*nnb].cmd = c;
		(*nb)[*nnb].views = v;
		(*nb)[*nnb].label = j == 0 ? label : NULL;
		(*nnb)++;
	}
}

/* Where the bindings of b (by command) came from, for messages. */
static const struct keymap_bind *
bind_of(const struct keymap *km, const struct keymap_rules *r, int c)
{
	size_t i;

	for (i = 0; i < km->n; i++)
		if (cmd_number(r, km->v[i].cmd) == c)
			return &km->v[i];
	return NULL;
}

/* A new binding's key sharing a view with another command's. */
static void
check_conflicts(const struct keymap *km, const char *file, const struct keymap_rules *r,
                const struct keymap_binding *t, size_t n, const bool *isnew,
                struct config_errors *e)
{
	size_t i, j, k;

	for (i = 0; i < n; i++) {
		const struct keymap_bind *b;
		if (!isnew[i])
			continue;
		for (j = 0; j < n; j++) {
			if (j == i || t[j].cmd == t[i].cmd || t[j].key != t[i].key ||
			    (isnew[j] && j < i) || !overlap(t[i].views, t[j].views, r))
				continue;
			b = bind_of(km, r, t[i].cmd);
			for (k = 0; b && k < b->nkeys && r->code(b->keys[k]) != t[i].key; k++)
				;
			if (b == NULL || k == b->nkeys)
				continue;
			errb(e, file, b->kline[k], b->kcol[k], "%s: \"%s\" is already the key of %s "
			     "in the same view (rebind %s too, or pick another key)", b->cmd,
			     b->names[k], r->cmd_names[t[j].cmd], r->cmd_names[t[j].cmd]);
		}
	}
}

int
keymap_resolve(const struct keymap *km, const char *file, const struct keymap_rules *r,
               struct keymap_binding **out, size_t *nout, struct config_errors *e)
{
	struct keymap_binding *nb = NULL, *t;
	size_t nnb = 0, i, j, n = 0, before = e->n;
	bool *rebound, *isnew;
	size_t ncmds = 0;
	char sb[96];

	while (r->cmd_names[ncmds])
		ncmds++;
	rebound = xcalloc(ncmds + 1, sizeof *rebound);
	for (i = 0; i < km->n; i++) {
		const struct keymap_bind *b = &km->v[i];
		int c = cmd_number(r, b->cmd);
		if (c < 0) {
			const char *s = config_suggest(b->cmd, r->cmd_names + 1);
			if (s)
				snprintf(sb, sizeof sb, " (did you mean \"%s\"?)", s);
			errb(e, file, b->line, b->col, "unknown command \"%s\"%s", b->cmd,
			     s ? sb : " (the help screen, ?, lists every command)");
			continue;
		}
		rebound[c] = true;
		bind_one(b, c, file, r, &nb, &nnb, e);
	}
	/* Defaults of commands not rebound, with the new bindings where the
	 * command's first default was. */
	t = xcalloc(r->ndefaults + nnb + 1, sizeof *t);
	isnew = xcalloc(r->ndefaults + nnb + 1, sizeof *isnew);
	for (i = 0; i < r->ndefaults; i++) {
		int c = r->defaults[i].cmd;
		if (c < 0 || (size_t)c >= ncmds || !rebound[c]) {
			t[n++] = r->defaults[i];
			continue;
		}
		for (j = 0; j < nnb; j++)
			if (nb[j].cmd == c) {
				isnew[n] = true;
				t[n++] = nb[j];
				nb[j].cmd = -1;
			}
	}
	check_conflicts(km, file, r, t, n, isnew, e);
	free(nb);
	free(rebound);
	free(isnew);
	if (e->n > before) {
		free(t);
		return -1;
	}
	*out = t;
	*nout = n;
	return 0;
}
