/* config.c — read config.yaml with libyaml, reporting every error with
 * file, line and column. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yaml.h>

#include "../model/base/xmalloc.h"

static const char *const keys[] = {
	"interval", "connect", "hosts", "readonly", "graphs", "history", "color", "theme",
	"keys", "shutdown_wait", "graphics_protocol", "graphics_symbols", "graphics_fps",
	"bulk_limit", NULL,
	"wait_warn", NULL,
};

const char *const cfg_gfx_protocols[] = { "auto", "kitty", "sixel", "iterm", "symbols", NULL };
const char *const cfg_gfx_symbols[] = { "half", "quadrants", "sextants", NULL };

/* The index of s in names (NULL-terminated), or -1. */
static int
name_index(const char *const *names, const char *s)
{
	for (int i = 0; names[i]; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

static void host_clear(struct config_host *ch);

void
config_init(struct config *c)
{
	memset(c, 0, sizeof *c);
	c->color = -1;
}

void
config_free(struct config *c)
{
	size_t i;

	for (i = 0; i < c->nuris; i++)
		free(c->uris[i]);
	free(c->uris);
	for (i = 0; i < c->nhosts; i++)
		host_clear(&c->hosts[i]);
	free(c->hosts);
	free(c->theme);
	keymap_free(&c->keys);
	config_init(c);
}

void
config_errors_free(struct config_errors *e)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		free(e->v[i]);
	free(e->v);
	e->v = NULL;
	e->n = 0;
}

char *
config_errors_text(const struct config_errors *e)
{
	size_t i, len = 0;
	char *text = xstrdup("");

	for (i = 0; i < e->n; i++) {
		text = xrealloc(text, len + strlen(e->v[i]) + 2);
		len += (size_t)sprintf(text + len, "%s\n", e->v[i]);
	}
	return text;
}

static void
err_at(struct config_errors *e, const char *name, yaml_mark_t m, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void
err_at(struct config_errors *e, const char *name, yaml_mark_t m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	config_verror(e, name, m.line + 1, m.column + 1, "", fmt, ap);
	va_end(ap);
}

void
config_verror(struct config_errors *e, const char *file, size_t line, size_t col,
              const char *prefix, const char *fmt, va_list ap)
{
	char *msg;

	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	e->v = xreallocarray(e->v, e->n + 1, sizeof *e->v);
	if (line)
		e->v[e->n++] = xasprintf("%s:%zu:%zu: %s%s", file, line, col, prefix,
		                         msg ? msg : "error");
	else
		e->v[e->n++] = xasprintf("%s: %s%s", file, prefix, msg ? msg : "error");
	free(msg);
}

void
config_error(struct config_errors *e, const char *file, size_t line, size_t col,
             const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	config_verror(e, file, line, col, "", fmt, ap);
	va_end(ap);
}

int
config_yaml_load(yaml_parser_t *parser, yaml_document_t *doc, const char *file,
                 const char *text, size_t len, struct config_errors *e)
{
	if (config_check_nesting(file, text, len, e) < 0)
		return -1;
	yaml_parser_initialize(parser);
	yaml_parser_set_input_string(parser, (const unsigned char *)text, len);
	if (yaml_parser_load(parser, doc))
		return 0;
	config_error(e, file, parser->problem_mark.line + 1, parser->problem_mark.column + 1,
	             "%s%s%s", parser->problem ? parser->problem : "syntax error",
	             parser->context ? " " : "", parser->context ? parser->context : "");
	yaml_parser_delete(parser);
	return -1;
}

size_t
config_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t *prev = xcalloc(lb + 1, sizeof *prev), *cur = xcalloc(lb + 1, sizeof *cur), d;

	for (j = 0; j <= lb; j++)
		prev[j] = j;
	for (i = 1; i <= la; i++) {
		cur[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
		memcpy(prev, cur, (lb + 1) * sizeof *prev);
	}
	d = prev[lb];
	free(prev);
	free(cur);
	return d;
}

const char *
config_suggest(const char *w, const char *const *words)
{
	const char *best = NULL;
	size_t bestd = (size_t)-1, i;

	for (i = 0; words[i]; i++) {
		size_t d = config_distance(w, words[i]);
		if (d < bestd) {
			bestd = d;
			best = words[i];
		}
	}
	/* Close enough: at most a third of the word wrong, and at least 1. */
	if (best && bestd <= (strlen(w) > 5 ? strlen(w) / 3 : 2))
		return best;
	return NULL;
}

static const char *
scalar(yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

bool
config_parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "true", "yes", "on", "True", "Yes", "On", "TRUE", NULL };
	static const char *const no[] = { "false", "no", "off", "False", "No", "Off", "FALSE", NULL };
	size_t i;

	for (i = 0; yes[i]; i++)
		if (strcmp(s, yes[i]) == 0)
			return *out = true, true;
	for (i = 0; no[i]; i++)
		if (strcmp(s, no[i]) == 0)
			return *out = false, true;
	return false;
}

static const char *const host_keys[] = { "name", "ssh", "uri", "key", "bulk_limit", NULL };

/* bulk_limit: a whole number of operations at once, 1 to 64. */
static bool
parse_bulk_limit(const char *s, unsigned *out)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(s, &end, 10);
	if (end == s || *end || errno || n < 1 || n > 64 || s[0] == '-')
		return false;
	*out = (unsigned)n;
	return true;
}

/* One `hosts:` entry; false (with errors added) when it is unusable. */
static bool
parse_host(struct config_host *ch, yaml_document_t *doc, const char *name, yaml_node_t *v,
           struct config_errors *e)
{
	yaml_node_pair_t *p;
	size_t before = e->n;

	memset(ch, 0, sizeof *ch);
	ch->line = (unsigned)v->start_mark.line + 1;
	ch->col = (unsigned)v->start_mark.column + 1;
	if (v->type != YAML_MAPPING_NODE) {
		err_at(e, name, v->start_mark, "hosts: each entry must be a mapping with name, "
		       "and ssh and/or uri");
		return false;
	}
	for (p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(doc, p->key);
		yaml_node_t *val = yaml_document_get_node(doc, p->value);
		const char *key, *sugg;
		char **field = NULL;

		if (k == NULL || val == NULL || k->type != YAML_SCALAR_NODE)
			continue;
		key = scalar(k);
		if (strcmp(key, "name") == 0)
			field = &ch->name;
		else if (strcmp(key, "ssh") == 0)
			field = &ch->ssh;
		else if (strcmp(key, "uri") == 0)
			field = &ch->uri;
		else if (strcmp(key, "key") == 0)
			field = &ch->key;
		if (strcmp(key, "bulk_limit") == 0) {
			if (val->type != YAML_SCALAR_NODE || !parse_bulk_limit(scalar(val), &ch->bulk_limit))
				err_at(e, name, val->start_mark, "hosts: bulk_limit: \"%s\" is not a number "
				       "of operations at once between 1 and 64 (e.g. 4)",
				       val->type == YAML_SCALAR_NODE ? scalar(val) : "");
			continue;
		}
		if (field == NULL) {
			sugg = config_suggest(key, host_keys);
			err_at(e, name, k->start_mark, "hosts: unknown key \"%s\"%s%s%s", key,
			       sugg ? " (did you mean \"" : " (known: name, ssh, uri, key, bulk_limit)",
			       sugg ? sugg : "", sugg ? "\"?)" : "");
		} else if (val->type != YAML_SCALAR_NODE || !scalar(val)[0]) {
			err_at(e, name, val->start_mark, "hosts: %s: expected a non-empty string", key);
		} else {
			free(*field);
			*field = xstrdup(scalar(val));
		}
	}
	if (e->n == before && ch->name == NULL)
		err_at(e, name, v->start_mark, "hosts: this entry needs a name");
	if (e->n == before && ch->ssh == NULL && ch->uri == NULL)
		err_at(e, name, v->start_mark, "hosts: %s needs ssh (a host to reach over SSH) "
		       "or uri (a libvirt URI)", ch->name);
	return e->n == before;
}

static void
host_clear(struct config_host *ch)
{
	free(ch->name);
	free(ch->ssh);
	free(ch->uri);
	free(ch->key);
}

static void
apply_hosts(struct config *c, yaml_document_t *doc, const char *name, yaml_node_t *v,
            struct config_errors *e)
{
	yaml_node_item_t *it;
	size_t i;

	if (v->type != YAML_SEQUENCE_NODE) {
		err_at(e, name, v->start_mark, "hosts: expected a list of hosts");
		return;
	}
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		yaml_node_t *h = yaml_document_get_node(doc, *it);
		struct config_host ch;
		bool dup = false;

		if (h == NULL)
			continue;
		if (!parse_host(&ch, doc, name, h, e)) {
			host_clear(&ch);
			continue;
		}
		for (i = 0; i < c->nhosts; i++)
			if (strcmp(c->hosts[i].name, ch.name) == 0) {
				err_at(e, name, h->start_mark, "hosts: \"%s\" is already defined at "
				       "line %u", ch.name, c->hosts[i].line);
				dup = true;
			}
		if (dup) {
			host_clear(&ch);
			continue;
		}
		c->hosts = xreallocarray(c->hosts, c->nhosts + 1, sizeof *c->hosts);
		c->hosts[c->nhosts++] = ch;
	}
}

/* A time such as 60s, 2m or 90 (seconds) into milliseconds, between 1 s
 * and an hour; false when it is not one. */
static bool
parse_wait(const char *s, unsigned *ms)
{
	char *end;
	double d;

	errno = 0;
	d = strtod(s, &end);
	if (end == s || errno || !isfinite(d))
		return false;
	if (strcmp(end, "m") == 0 || strcmp(end, "min") == 0)
		d *= 60;
	else if (*end && strcmp(end, "s") != 0)
		return false;
	if (d < 1 || d > 3600)
		return false;
	*ms = (unsigned)(d * 1000 + 0.5);
	return true;
}

/* Apply one key: value pair onto `c`. */
static void
apply_key(struct config *c, yaml_document_t *doc, const char *name, yaml_node_t *k,
          yaml_node_t *v, struct config_errors *e)
{
	const char *key = scalar(k), *sugg;
	char *end;

	if (strcmp(key, "interval") == 0) {
		double d;
		if (v->type != YAML_SCALAR_NODE)
			goto want_scalar;
		errno = 0;
		d = strtod(scalar(v), &end);
		if (end == scalar(v) || *end || errno || !isfinite(d) || d < 0.25 || d > 3600)
			err_at(e, name, v->start_mark, "interval: \"%s\" is not a number of seconds "
			       "between 0.25 and 3600 (e.g. 2)", scalar(v));
		else
			c->interval = d;
	} else if (strcmp(key, "history") == 0) {
		unsigned long h;
		if (v->type != YAML_SCALAR_NODE)
			goto want_scalar;
		errno = 0;
		h = strtoul(scalar(v), &end, 10);
		if (end == scalar(v) || *end || errno || h < 10 || h > 86400 || scalar(v)[0] == '-')
			err_at(e, name, v->start_mark, "history: \"%s\" is not a sample count "
			       "between 10 and 86400 (e.g. 600)", scalar(v));
		else
			c->history = (unsigned)h;
	} else if (strcmp(key, "graphics_fps") == 0) {
		unsigned long f;
		if (v->type != YAML_SCALAR_NODE)
			goto want_scalar;
		errno = 0;
		f = strtoul(scalar(v), &end, 10);
		if (end == scalar(v) || *end || errno || f < 1 || f > 60 || scalar(v)[0] == '-')
			err_at(e, name, v->start_mark, "graphics_fps: \"%s\" is not a number of frames "
			       "a second between 1 and 60 (e.g. 15)", scalar(v));
		else
			c->gfx_fps = (unsigned)f;
	} else if (strcmp(key, "bulk_limit") == 0) {
		if (v->type != YAML_SCALAR_NODE)
			goto want_scalar;
		if (!parse_bulk_limit(scalar(v), &c->bulk_limit))
			err_at(e, name, v->start_mark, "bulk_limit: \"%s\" is not a number of "
			       "operations at once between 1 and 64 (e.g. 4)", scalar(v));
	} else if (strcmp(key, "wait_warn") == 0) {
		double d;
		if (v->type != YAML_SCALAR_NODE)
			goto want_scalar;
		errno = 0;
		d = strtod(scalar(v), &end);
		if (end != scalar(v) && *end == '%')
			end++;
		if (end == scalar(v) || *end || errno || !isfinite(d) || d <= 0 || d > 100)
			err_at(e, name, v->start_mark, "wait_warn: \"%s\" is not a percentage "
			       "above 0 and at most 100 (e.g. 10)", scalar(v));
		else
			c->wait_warn = d;
	} else if (strcmp(key, "shutdown_wait") == 0) {
		if (v->type != YAML_SCALAR_NODE)
			goto want_scalar;
		if (!parse_wait(scalar(v), &c->shutdown_wait_ms))
			err_at(e, name, v->start_mark, "shutdown_wait: \"%s\" is not a time between "
			       "1s and 60m (e.g. 60s, 2m)", scalar(v));
	} else if (strcmp(key, "readonly") == 0 || strcmp(key, "color") == 0) {
		bool b;
		if (v->type != YAML_SCALAR_NODE)
			goto want_scalar;
		if (!config_parse_bool(scalar(v), &b))
			err_at(e, name, v->start_mark, "%s: \"%s\" is not true or false", key, scalar(v));
		else if (key[0] == 'r')
			c->readonly = b, c->readonly_set = true;
		else
			c->color = b;
	} else if (strcmp(key, "graphs") == 0) {
		static const char *const modes[] = { "auto", "braille", "block", "ascii", NULL };
		size_t i;
		if (v->type != YAML_SCALAR_NODE)
			goto want_scalar;
		for (i = 0; modes[i]; i++)
			if (strcmp(scalar(v), modes[i]) == 0)
				break;
		if (modes[i] == NULL)
			err_at(e, name, v->start_mark, "graphs: \"%s\" is not one of auto, braille, "
			       "block, ascii", scalar(v));
		else
			c->graphs = (enum cfg_graphs)i;
	} else if (strcmp(key, "connect") == 0) {
		yaml_node_item_t *it;
		if (v->type == YAML_SCALAR_NODE && !scalar(v)[0]) {
			err_at(e, name, v->start_mark, "connect: expected a libvirt URI such as "
			       "qemu:///system, or a list of them");
			return;
		}
		if (v->type == YAML_SCALAR_NODE) {
			c->uris = xreallocarray(c->uris, c->nuris + 1, sizeof *c->uris);
			c->uris[c->nuris++] = xstrdup(scalar(v));
			return;
		}
		if (v->type != YAML_SEQUENCE_NODE) {
			err_at(e, name, v->start_mark, "connect: expected a libvirt URI or a list of them");
			return;
		}
		for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
			yaml_node_t *u = yaml_document_get_node(doc, *it);
			if (u == NULL || u->type != YAML_SCALAR_NODE || !scalar(u)[0]) {
				err_at(e, name, u ? u->start_mark : v->start_mark,
				       "connect: each entry must be a libvirt URI such as qemu:///system");
				continue;
			}
			c->uris = xreallocarray(c->uris, c->nuris + 1, sizeof *c->uris);
			c->uris[c->nuris++] = xstrdup(scalar(u));
		}
	} else if (strcmp(key, "hosts") == 0) {
		apply_hosts(c, doc, name, v, e);
	} else if (strcmp(key, "theme") == 0) {
		if (v->type != YAML_SCALAR_NODE)
			goto want_scalar;
		if (!scalar(v)[0]) {
			err_at(e, name, v->start_mark, "theme: expected a theme name such as light, "
			       "or the path of a theme file");
			return;
		}
		free(c->theme);
		c->theme = xstrdup(scalar(v));
		c->theme_line = (unsigned)v->start_mark.line + 1;
		c->theme_col = (unsigned)v->start_mark.column + 1;
	} else if (strcmp(key, "keys") == 0) {
		keymap_parse_node(&c->keys, doc, v, name, e);
	} else if (strcmp(key, "graphics_protocol") == 0 || strcmp(key, "graphics_symbols") == 0) {
		bool proto = strcmp(key, "graphics_protocol") == 0;
		if (v->type != YAML_SCALAR_NODE)
			goto want_scalar;
		int i = name_index(proto ? cfg_gfx_protocols : cfg_gfx_symbols, scalar(v));
		if (i < 0)
			err_at(e, name, v->start_mark, "%s: \"%s\" is not one of %s", key, scalar(v),
			       proto ? "auto, kitty, sixel, iterm, symbols" : "half, quadrants, sextants");
		else if (proto)
			c->gfx_protocol = (enum cfg_gfx_protocol)i;
		else
			c->gfx_symbols = (enum cfg_gfx_symbols)i;
	} else {
		sugg = config_suggest(key, keys);
		if (sugg)
			err_at(e, name, k->start_mark, "unknown key \"%s\" (did you mean \"%s\"?)", key, sugg);
		else
			err_at(e, name, k->start_mark, "unknown key \"%s\" (known: interval, connect, "
			       "hosts, readonly, graphs, history, color, theme, keys, shutdown_wait, "
			       "graphics_protocol, graphics_symbols, graphics_fps, bulk_limit, wait_warn)",
			       key);
	}
	return;
want_scalar:
	err_at(e, name, v->start_mark, "%s: expected a single value, not a %s", key,
	       v->type == YAML_MAPPING_NODE ? "mapping" : "list");
}

int
config_check_nesting(const char *file, const char *text, size_t len, struct config_errors *e)
{
	size_t i, line = 1, col = 0, depth = 0;
	char quote = 0;
	bool comment = false, space_before = true;

	for (i = 0; i < len; i++) {
		char ch = text[i];

		col++;
		if (ch == '\n') {
			line++;
			col = 0;
			comment = false;
			space_before = true;
			continue; /* quoted scalars may go on over lines */
		}
		if (comment)
			continue;
		if (quote) {
			if (quote == '"' && ch == '\\' && i + 1 < len && text[i + 1] != '\n') {
				i++;
				col++;
			} else if (ch == quote) {
				if (quote == '\'' && i + 1 < len && text[i + 1] == '\'') {
					i++;
					col++;
				} else {
					quote = 0;
				}
			}
			continue;
		}
		if (ch == '#' && space_before) {
			comment = true;
			continue;
		}
		if ((ch == '"' || ch == '\'') && (space_before || (i > 0 && strchr("[{,:", text[i - 1]))))
			quote = ch;
		else if (ch == '[' || ch == '{') {
			if (++depth > CONFIG_MAX_NESTING) {
				config_error(e, file, line, col, "nested deeper than %d levels of [ and {",
				             CONFIG_MAX_NESTING);
				return -1;
			}
		} else if ((ch == ']' || ch == '}') && depth > 0) {
			depth--;
		}
		space_before = ch == ' ' || ch == '\t';
	}
	return 0;
}

int
config_parse(struct config *out, const char *name, const char *text, size_t len,
             struct config_errors *e)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root;
	yaml_node_pair_t *p;
	struct config c;
	size_t before = e->n;

	if (config_yaml_load(&parser, &doc, name, text, len, e) < 0)
		return -1;
	config_init(&c);
	root = yaml_document_get_root_node(&doc);
	if (root == NULL || (root->type == YAML_SCALAR_NODE && !scalar(root)[0] &&
	                     root->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)) {
		/* An empty file (or a bare "---") is a valid, empty config. */
	} else if (root->type != YAML_MAPPING_NODE) {
		err_at(e, name, root->start_mark, "expected a mapping of settings (key: value)");
	} else {
		for (p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
			yaml_node_t *k = yaml_document_get_node(&doc, p->key);
			yaml_node_t *v = yaml_document_get_node(&doc, p->value);
			if (k == NULL || v == NULL)
				continue;
			if (k->type != YAML_SCALAR_NODE) {
				err_at(e, name, k->start_mark, "expected a setting name");
				continue;
			}
			apply_key(&c, &doc, name, k, v, e);
		}
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	if (e->n > before) {
		config_free(&c);
		return -1;
	}
	config_free(out);
	*out = c;
	return 0;
}

char *
config_read_file(const char *path, size_t *lenp, struct config_errors *e)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;
	yaml_mark_t zero = { 0, 0, 0 };

	if (f == NULL) {
		err_at(e, path, zero, "cannot open: %s", strerror(errno));
		return NULL;
	}
	do {
		if (len == cap) {
			cap = cap ? cap * 2 : 4096;
			if (cap > (16u << 20)) {
				err_at(e, path, zero, "file is larger than 16 MiB");
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = xrealloc(buf, cap);
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	if (ferror(f)) {
		err_at(e, path, zero, "cannot read: %s", strerror(errno));
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf = xrealloc(buf, len + 1);
	buf[len] = '\0';
	*lenp = len;
	return buf;
}

int
config_load(struct config *c, const char *path, bool missing_ok, struct config_errors *e)
{
	char *buf;
	size_t len = 0;
	int rc;

	if (missing_ok && access(path, F_OK) != 0 && errno == ENOENT)
		return 0;
	buf = config_read_file(path, &len, e);
	if (buf == NULL)
		return -1;
	rc = config_parse(c, path, buf, len, e);
	free(buf);
	return rc;
}

char *
config_default_path(void)
{
	const char *x = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

	if (x && x[0] == '/')
		return xasprintf("%s/vmtui/config.yaml", x);
	return xasprintf("%s/.config/vmtui/config.yaml", home && home[0] ? home : ".");
}
