/* theme.c — read colour theme files (YAML, libyaml), every error with
 * file:line:col, and bring colours down to what a terminal has. */
#include "theme.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "../model/base/xmalloc.h"

const char *const theme_slot_names[] = {
	"normal", "title", "header", "columns", "footer", "key", "selection",
	"running", "paused", "off", "crashed", "graph-cpu", "graph-mem",
	"graph-disk", "graph-net", "axis", "warning", "error", "dim", "dialog", NULL,
};

static const char *const color_names[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
	"bright-black", "bright-red", "bright-green", "bright-yellow",
	"bright-blue", "bright-magenta", "bright-cyan", "bright-white", "default", NULL,
};

static const char *const attr_names[] = {
	"bold", "dim", "underline", "reverse", "standout", "italic", NULL,
};

static const char *const style_keys[] = { "fg", "bg", "attr", NULL };

/* xterm's default colours for the 16 basic indices. */
static const unsigned basic_rgb[16] = {
	0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5,
	0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
};

#define DEF { TC_DEFAULT, 0 }
#define IX(n) { TC_INDEX, n }

/* Same look as before themes existed (and as themes/dark.yaml). */
static const struct theme_style dark[TS_COUNT] = {
	[TS_NORMAL] = { DEF, DEF, 0 },
	[TS_TITLE] = { IX(6), DEF, TA_BOLD },
	[TS_HEADER] = { DEF, DEF, 0 },
	[TS_COLUMNS] = { IX(0), IX(6), 0 },
	[TS_FOOTER] = { DEF, DEF, 0 },
	[TS_KEY] = { IX(0), IX(6), 0 },
	[TS_SELECTION] = { IX(0), IX(3), 0 },
	[TS_RUNNING] = { IX(2), DEF, TA_BOLD },
	[TS_PAUSED] = { IX(3), DEF, TA_BOLD },
	[TS_OFF] = { DEF, DEF, TA_DIM },
	[TS_CRASHED] = { IX(1), DEF, TA_BOLD },
	[TS_GRAPH_CPU] = { IX(2), DEF, 0 },
	[TS_GRAPH_MEM] = { IX(5), DEF, 0 },
	[TS_GRAPH_DISK] = { IX(3), DEF, 0 },
	[TS_GRAPH_NET] = { IX(6), DEF, 0 },
	[TS_AXIS] = { DEF, DEF, TA_DIM },
	[TS_WARNING] = { IX(3), DEF, TA_BOLD },
	[TS_ERROR] = { IX(7), IX(1), TA_BOLD },
	[TS_DIM] = { DEF, DEF, TA_DIM },
	[TS_DIALOG] = { IX(7), IX(4), 0 },
};

void
theme_default(struct theme *t)
{
	memset(t, 0, sizeof *t);
	snprintf(t->name, sizeof t->name, "dark");
	memcpy(t->s, dark, sizeof dark);
}

/* ---- colours ---- */

static unsigned
index_rgb(int i)
{
	static const unsigned level[6] = { 0, 95, 135, 175, 215, 255 };

	if (i < 16)
		return basic_rgb[i];
	if (i >= 232) {
		unsigned g = 8 + 10 * (unsigned)(i - 232);
		return g << 16 | g << 8 | g;
	}
	i -= 16;
	return level[i / 36] << 16 | level[i / 6 % 6] << 8 | level[i % 6];
}

static unsigned long
rgb_dist(unsigned a, unsigned b)
{
	long dr = (long)(a >> 16 & 255) - (long)(b >> 16 & 255);
	long dg = (long)(a >> 8 & 255) - (long)(b >> 8 & 255);
	long db = (long)(a & 255) - (long)(b & 255);

	return (unsigned long)(dr * dr + dg * dg + db * db);
}

/* The index in [from, to) whose colour is nearest to rgb. */
static int
nearest(unsigned rgb, int from, int to)
{
	int i, best = from;
	unsigned long bd = (unsigned long)-1;

	for (i = from; i < to; i++) {
		unsigned long d = rgb_dist(rgb, index_rgb(i));
		if (d < bd) {
			bd = d;
			best = i;
		}
	}
	return best;
}

int
theme_rgb_to_256(unsigned rgb)
{
	return nearest(rgb, 16, 256);
}

int
theme_index_down(int index, int ncolors)
{
	if (index < 0 || index > 255)
		return -1;
	if (ncolors >= 256 || index < (ncolors >= 16 ? 16 : 8))
		return index;
	if (index >= 16)
		index = nearest(index_rgb(index), 0, 16);
	if (ncolors >= 16 || index < 8)
		return index;
	return index - 8; /* 256 -> 16 -> 8: bright-red on 8 colours is red */
}

int
theme_color_index(const struct theme_color *c, int ncolors)
{
	switch (c->kind) {
	case TC_INDEX:
		return theme_index_down((int)c->value, ncolors);
	case TC_RGB:
		if (ncolors >= 256)
			return theme_rgb_to_256(c->value);
		return theme_index_down(nearest(c->value, 0, 16), ncolors);
	default:
		return -1;
	}
}

/* ---- parsing ---- */

struct parse {
	yaml_document_t *doc;
	const char *file;
	struct config_errors *e;
};

static void
err(struct parse *p, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
err(struct parse *p, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	config_verror(p->e, p->file, n->start_mark.line + 1, n->start_mark.column + 1, "", fmt, ap);
	va_end(ap);
}

static const char *
scalar(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

static const char *
kind(const yaml_node_t *n)
{
	return n->type == YAML_MAPPING_NODE ? "a mapping" :
	       n->type == YAML_SEQUENCE_NODE ? "a list" : "a single value";
}

/* " (did you mean \"x\"?)" or "" */
static const char *
did_you_mean(const char *w, const char *const *words, char *buf, size_t n)
{
	const char *s = config_suggest(w, words);

	if (s == NULL)
		return "";
	snprintf(buf, n, " (did you mean \"%s\"?)", s);
	return buf;
}

static bool
parse_hex(const char *s, unsigned *out)
{
	size_t i;

	if (s[0] != '#' || strlen(s) != 7)
		return false;
	for (i = 1; i < 7; i++)
		if (!strchr("0123456789abcdefABCDEF", s[i]))
			return false;
	*out = (unsigned)strtoul(s + 1, NULL, 16);
	return true;
}

/* A colour name, 0-255 or #rrggbb; false when it is none of them. */
static bool
parse_color(const char *s, struct theme_color *c)
{
	size_t i;

	for (i = 0; color_names[i]; i++)
		if (strcmp(s, color_names[i]) == 0) {
			c->kind = i == 16 ? TC_DEFAULT : TC_INDEX;
			c->value = i == 16 ? 0 : (unsigned)i;
			return true;
		}
	if (s[0] >= '0' && s[0] <= '9' && strlen(s) <= 3 && strspn(s, "0123456789") == strlen(s)) {
		i = strtoul(s, NULL, 10);
		if (i > 255)
			return false;
		c->kind = TC_INDEX;
		c->value = (unsigned)i;
		return true;
	}
	if (parse_hex(s, &c->value)) {
		c->kind = TC_RGB;
		return true;
	}
	return false;
}

static void
style_color(struct parse *p, const char *slot, const char *key, yaml_node_t *v,
            struct theme_color *out)
{
	char sb[64];

	if (v->type != YAML_SCALAR_NODE) {
		err(p, v, "%s: %s: expected a colour, not %s", slot, key, kind(v));
	} else if (scalar(v)[0] == '\0') {
		err(p, v, "%s: %s: expected a colour (a name such as red or bright-blue, "
		    "a number 0-255, or \"#rrggbb\" in quotes: # starts a comment)", slot, key);
	} else if (!parse_color(scalar(v), out)) {
		const char *dym = did_you_mean(scalar(v), color_names, sb, sizeof sb);
		err(p, v, "%s: %s: \"%s\" is not a colour%s%s", slot, key, scalar(v), dym,
		    dym[0] ? "" : " (use a name such as red or bright-blue, default, a number "
		    "0-255, or #rrggbb)");
	}
}

/* One attribute name onto *attr. */
static void
style_attr1(struct parse *p, const char *slot, yaml_node_t *v, unsigned *attr)
{
	char sb[64];
	size_t i;

	if (v->type != YAML_SCALAR_NODE) {
		err(p, v, "%s: attr: expected an attribute name, not %s", slot, kind(v));
		return;
	}
	for (i = 0; attr_names[i]; i++)
		if (strcmp(scalar(v), attr_names[i]) == 0) {
			*attr |= 1u << i;
			return;
		}
	{
		const char *dym = did_you_mean(scalar(v), attr_names, sb, sizeof sb);
		err(p, v, "%s: attr: \"%s\" is not an attribute%s%s", slot, scalar(v), dym,
		    dym[0] ? "" : " (known: bold, dim, underline, reverse, standout, italic)");
	}
}

/* attr: bold, or attr: [bold, underline], or attr: [] for none. */
static void
style_attrs(struct parse *p, const char *slot, yaml_node_t *v, unsigned *attr)
{
	yaml_node_item_t *it;

	*attr = 0;
	if (v->type == YAML_MAPPING_NODE) {
		err(p, v, "%s: attr: expected a list of attributes such as [bold, underline]", slot);
		return;
	}
	if (v->type == YAML_SCALAR_NODE) {
		if (scalar(v)[0] != '\0' || v->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
			style_attr1(p, slot, v, attr);
		return;
	}
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		yaml_node_t *a = yaml_document_get_node(p->doc, *it);
		if (a != NULL)
			style_attr1(p, slot, a, attr);
	}
}

/* `slot: {fg: ..., bg: ..., attr: [...]}`: what is given replaces what was
 * inherited, the rest stays. */
static void
parse_style(struct parse *p, const char *slot, yaml_node_t *v, struct theme_style *st)
{
	yaml_node_pair_t *pr;
	int seen[3] = { 0, 0, 0 };
	char sb[64];

	if (v->type != YAML_MAPPING_NODE) {
		err(p, v, "%s: expected a mapping such as {fg: cyan, bg: default, attr: [bold]}, "
		    "not %s", slot, kind(v));
		return;
	}
	for (pr = v->data.mapping.pairs.start; pr < v->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = yaml_document_get_node(p->doc, pr->key);
		yaml_node_t *val = yaml_document_get_node(p->doc, pr->value);
		size_t i;

		if (k == NULL || val == NULL)
			continue;
		if (k->type != YAML_SCALAR_NODE) {
			err(p, k, "%s: expected fg, bg or attr", slot);
			continue;
		}
		for (i = 0; style_keys[i]; i++)
			if (strcmp(scalar(k), style_keys[i]) == 0)
				break;
		if (style_keys[i] == NULL) {
			const char *dym = did_you_mean(scalar(k), style_keys, sb, sizeof sb);
			err(p, k, "%s: unknown key \"%s\"%s%s", slot, scalar(k), dym,
			    dym[0] ? "" : " (known: fg, bg, attr)");
			continue;
		}
		if (seen[i]) {
			err(p, k, "%s: duplicate key \"%s\" (already given at line %d)", slot,
			    scalar(k), seen[i]);
			continue;
		}
		seen[i] = (int)k->start_mark.line + 1;
		if (i == 0)
			style_color(p, slot, "fg", val, &st->fg);
		else if (i == 1)
			style_color(p, slot, "bg", val, &st->bg);
		else
			style_attrs(p, slot, val, &st->attr);
	}
}

static int
slot_index(const char *s)
{
	int i;

	for (i = 0; i < TS_COUNT; i++)
		if (strcmp(s, theme_slot_names[i]) == 0)
			return i;
	return -1;
}

/* `inherits: NAME` sets the starting point; without it every meaning
 * starts as the terminal's default colours, no attributes. */
static void
parse_inherits(struct parse *p, yaml_node_t *root, struct theme *t, theme_resolve_fn resolve,
               void *ctx, int depth)
{
	yaml_node_pair_t *pr;
	yaml_node_t *at = NULL;

	for (pr = root->data.mapping.pairs.start; pr < root->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = yaml_document_get_node(p->doc, pr->key);
		yaml_node_t *v = yaml_document_get_node(p->doc, pr->value);
		if (k == NULL || v == NULL || k->type != YAML_SCALAR_NODE ||
		    strcmp(scalar(k), "inherits") != 0)
			continue;
		if (at != NULL) {
			err(p, k, "duplicate key \"inherits\" (already given at line %zu)",
			    at->start_mark.line + 1);
			continue;
		}
		at = k;
		if (v->type != YAML_SCALAR_NODE || scalar(v)[0] == '\0') {
			err(p, v, "inherits: expected the name of a theme such as dark");
		} else if (depth >= 8) {
			err(p, v, "inherits: \"%s\": themes inherit 8 deep; is there a loop?",
			    scalar(v));
		} else if (resolve != NULL) {
			size_t before = p->e->n;
			if (resolve(ctx, scalar(v), t, depth + 1, p->e) < 0 && p->e->n == before)
				err(p, v, "inherits: cannot load theme \"%s\"", scalar(v));
		} else if (strcmp(scalar(v), "dark") == 0) {
			memcpy(t->s, dark, sizeof dark);
		} else {
			err(p, v, "inherits: unknown theme \"%s\" (only dark is built in)", scalar(v));
		}
	}
}

static void
parse_root(struct parse *p, yaml_node_t *root, struct theme *t)
{
	yaml_node_pair_t *pr;
	int seen[TS_COUNT] = { 0 };
	char sb[64];

	for (pr = root->data.mapping.pairs.start; pr < root->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = yaml_document_get_node(p->doc, pr->key);
		yaml_node_t *v = yaml_document_get_node(p->doc, pr->value);
		int i;

		if (k == NULL || v == NULL)
			continue;
		if (k->type != YAML_SCALAR_NODE) {
			err(p, k, "expected a colour meaning such as title or running");
			continue;
		}
		if (strcmp(scalar(k), "inherits") == 0)
			continue;
		i = slot_index(scalar(k));
		if (i < 0) {
			const char *dym = did_you_mean(scalar(k), theme_slot_names, sb, sizeof sb);
			err(p, k, "unknown meaning \"%s\"%s%s", scalar(k), dym,
			    dym[0] ? "" : " (see THEMES in vmtui-config(5) for the list)");
			continue;
		}
		if (seen[i]) {
			err(p, k, "duplicate key \"%s\" (already given at line %d)", scalar(k), seen[i]);
			continue;
		}
		seen[i] = (int)k->start_mark.line + 1;
		parse_style(p, scalar(k), v, &t->s[i]);
	}
}

int
theme_parse(struct theme *out, const char *file, const char *text, size_t len,
            theme_resolve_fn resolve, void *ctx, int depth, struct config_errors *e)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root;
	struct theme t;
	struct parse p = { &doc, file, e };
	size_t before = e->n;

	if (config_yaml_load(&parser, &doc, file, text, len, e) < 0)
		return -1;
	memset(&t, 0, sizeof t);
	memcpy(t.name, out->name, sizeof t.name);
	root = yaml_document_get_root_node(&doc);
	if (root == NULL || (root->type == YAML_SCALAR_NODE && !scalar(root)[0] &&
	                     root->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)) {
		config_error(e, file, root ? root->start_mark.line + 1 : 1,
		             root ? root->start_mark.column + 1 : 1,
		             "empty theme: expected meanings such as title: {fg: cyan}");
	} else if (root->type != YAML_MAPPING_NODE) {
		err(&p, root, "expected a mapping of colour meanings (title: {fg: cyan})");
	} else {
		parse_inherits(&p, root, &t, resolve, ctx, depth);
		parse_root(&p, root, &t);
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	if (e->n > before)
		return -1;
	*out = t;
	return 0;
}

/* ---- finding themes ---- */

static bool
is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The themes/ of the source tree a binary in its build folder came from:
 * beside the binary (a build in the tree) or one folder up (build/). */
static void
source_tree_themes(struct theme_dirs *d)
{
	static const char *const up[] = { "themes", "../themes" };
	char exe[PATH_MAX], *slash, *p;
	ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
	size_t i;

	if (len <= 0)
		return;
	exe[len] = '\0';
	if ((slash = strrchr(exe, '/')) == NULL)
		return;
	*slash = '\0';
	for (i = 0; i < sizeof up / sizeof up[0]; i++) {
		p = xasprintf("%s/%s/dark.yaml", exe, up[i]);
		if (access(p, R_OK) == 0) {
			p[strlen(p) - strlen("/dark.yaml")] = '\0';
			d->dirs[d->n++] = p;
			return;
		}
		free(p);
	}
}

void
theme_dirs_init(struct theme_dirs *d, const char *datadir)
{
	const char *x = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	const char *env = getenv("VMTUI_THEMES_DIR");

	memset(d, 0, sizeof d[0]);
	if (x && x[0] == '/')
		d->dirs[d->n++] = xasprintf("%s/vmtui/themes", x);
	else if (home && home[0])
		d->dirs[d->n++] = xasprintf("%s/.config/vmtui/themes", home);
	if (env && env[0]) {
		d->dirs[d->n++] = xstrdup(env);
		return;
	}
	if (datadir && datadir[0]) {
		d->dirs[d->n++] = xasprintf("%s/themes", datadir);
		if (is_dir(d->dirs[d->n - 1]))
			return;
	}
	source_tree_themes(d);
}

void
theme_dirs_free(struct theme_dirs *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		free(d->dirs[i]);
	memset(d, 0, sizeof *d);
}

static bool
is_path(const char *s)
{
	size_t n = strlen(s);

	return strchr(s, '/') != NULL || (n > 5 && strcmp(s + n - 5, ".yaml") == 0);
}

static int load_file(struct theme *t, const char *path, const struct theme_dirs *d, int depth,
                     struct config_errors *e);

/* By name: the first dir that has NAME.yaml, else the built-in dark. */
static int
resolve_name(void *ctx, const char *name, struct theme *out, int depth, struct config_errors *e)
{
	const struct theme_dirs *d = ctx;
	size_t i, nl;
	char **names, sb[96];
	const char *dym;

	for (i = 0; d && i < d->n; i++) {
		char *path = xasprintf("%s/%s.yaml", d->dirs[i], name);
		if (name[0] != '.' && !strchr(name, '/') && access(path, F_OK) == 0) {
			int rc = load_file(out, path, d, depth, e);
			free(path);
			return rc;
		}
		free(path);
	}
	if (strcmp(name, "dark") == 0) {
		memcpy(out->s, dark, sizeof dark);
		return 0;
	}
	names = theme_list(d, &nl);
	names = xreallocarray(names, nl + 1, sizeof *names);
	names[nl] = NULL;
	dym = did_you_mean(name, (const char *const *)names, sb, sizeof sb);
	{
		char *known = xstrdup("");
		for (i = 0; i < nl; i++) {
			char *k = xasprintf("%s%s%s", known, i ? ", " : "", names[i]);
			free(known);
			known = k;
		}
		config_error(e, "theme", 0, 0, "\"%s\" not found%s (themes: %s)", name, dym, known);
		free(known);
	}
	theme_list_free(names, nl);
	return -1;
}

static int
load_file(struct theme *t, const char *path, const struct theme_dirs *d, int depth,
          struct config_errors *e)
{
	size_t len;
	char *buf = config_read_file(path, &len, e);
	int rc;

	if (buf == NULL)
		return -1;
	rc = theme_parse(t, path, buf, len, resolve_name, (void *)d, depth, e);
	free(buf);
	return rc;
}

int
theme_load(struct theme *out, const char *name_or_path, const struct theme_dirs *d,
           struct config_errors *e)
{
	struct theme t;
	int rc;
	const char *base, *dot;

	memset(&t, 0, sizeof t);
	base = strrchr(name_or_path, '/');
	base = base ? base + 1 : name_or_path;
	dot = strrchr(base, '.');
	snprintf(t.name, sizeof t.name, "%.*s",
	         (int)(dot && strcmp(dot, ".yaml") == 0 ? dot - base : (long)strlen(base)), base);
	if (is_path(name_or_path))
		rc = load_file(&t, name_or_path, d, 0, e);
	else
		rc = resolve_name((void *)d, name_or_path, &t, 0, e);
	if (rc < 0) {
		theme_default(out);
		return -1;
	}
	*out = t;
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **
theme_list(const struct theme_dirs *d, size_t *n)
{
	char **v = xmalloc(sizeof *v);
	size_t i, j, k;

	v[0] = xstrdup("dark");
	*n = 1;
	for (i = 0; d && i < d->n; i++) {
		DIR *dir = opendir(d->dirs[i]);
		struct dirent *de;

		if (dir == NULL)
			continue;
		while ((de = readdir(dir)) != NULL) {
			size_t l = strlen(de->d_name);
			if (de->d_name[0] == '.' || l <= 5 || strcmp(de->d_name + l - 5, ".yaml") != 0)
				continue;
			v = xreallocarray(v, *n + 1, sizeof *v);
			v[(*n)++] = xasprintf("%.*s", (int)(l - 5), de->d_name);
		}
		closedir(dir);
	}
	qsort(v, *n, sizeof *v, cmp_str);
	for (j = k = 0; j < *n; j++) {
		if (k > 0 && strcmp(v[k - 1], v[j]) == 0) {
			free(v[j]);
			continue;
		}
		v[k++] = v[j];
	}
	*n = k;
	return v;
}

void
theme_list_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}
