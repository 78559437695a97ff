/* clicomp.c — a command's options, verbs and arguments read from its help
 * text, and what the word under the cursor can be (see clicomp.h). */
#include "clicomp.h"

#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../model/base/xmalloc.h"

/* Values the help texts give in prose ("braille, block or ascii") rather
 * than as a|b|c, by long option name. */
static const struct {
	const char *opt, *words;
} prose_values[] = {
	{ "--graphs", "braille block ascii" },
	{ "--forward", "nat route open isolated bridge" },
	{ "--mode", "host-passthrough host-model custom" },
	{ "--cache", "default none writethrough writeback directsync unsafe" },
	{ "--discard", "unmap ignore" },
	{ "--bus", "virtio sata scsi usb ide" },
	{ "--type", "dir fs netfs logical disk iscsi" },
	{ "--format", "qcow2 raw iso" },
};

static void
push(char ***v, size_t *n, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strlen((*v)[i]) == len && strncmp((*v)[i], s, len) == 0)
			return;
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[(*n)++] = xstrndup(s, len);
}

/* Split s on sep into *v (no empty parts, no duplicates). */
static void
push_split(char ***v, size_t *n, const char *s, char sep)
{
	while (*s) {
		size_t k = strcspn(s, (char[]){ sep, '\0' });
		if (k)
			push(v, n, s, k);
		s += k;
		if (*s)
			s++;
	}
}

/* A metavariable ("URI", "[USER@]HOST[:PORT]", "FILE.png", "on|off"),
 * not a word of prose: its first letter is a capital, or it lists
 * choices with |. */
static bool
is_metavar(const char *t, size_t len)
{
	size_t i;

	if (len == 0 || t[0] == '-' || (len == 1 && t[0] == '|') || (len > 1 && strchr("[(", t[0]) && t[1] == '-'))
		return false;
	if (memchr(t, '|', len))
		return true;
	for (i = 0; i < len; i++)
		if (isalpha((unsigned char)t[i]))
			return isupper((unsigned char)t[i]);
	return t[0] == '^';
}

/* Verbs are lower-case words (a|b|c allowed): "list", "wipe|delete". */
static bool
is_verb(const char *t)
{
	size_t i;

	for (i = 0; t[i]; i++)
		if (!islower((unsigned char)t[i]) && t[i] != '|' && t[i] != '-')
			return false;
	return i > 0;
}

static struct cc_option *
find_opt(struct cc_spec *s, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < s->nopts; i++) {
		const char *o = name[1] == '-' ? s->opts[i].longname : s->opts[i].shortname;
		if (o && strlen(o) == len && strncmp(o, name, len) == 0)
			return &s->opts[i];
	}
	return NULL;
}

/* Record an option (name: "-c" or "--connect"; arg its metavariable or
 * NULL), merged with what is known of it; pair: the option of the same
 * line ("-c, --connect") to merge into, or NULL. */
static struct cc_option *
add_opt(struct cc_spec *s, struct cc_option *pair, const char *name, size_t len,
        const char *arg, size_t alen)
{
	struct cc_option *o = find_opt(s, name, len);
	bool is_long = len > 2 && name[1] == '-';

	if (o == NULL && pair && (is_long ? pair->longname : pair->shortname) == NULL)
		o = pair;
	if (o == NULL) {
		s->opts = xreallocarray(s->opts, s->nopts + 1, sizeof *s->opts);
		o = &s->opts[s->nopts++];
		memset(o, 0, sizeof *o);
	}
	if (is_long && o->longname == NULL)
		o->longname = xstrndup(name, len);
	else if (!is_long && o->shortname == NULL)
		o->shortname = xstrndup(name, len);
	/* Choices (a|b) say more than a name (P), and two lists of choices
	 * (vol create's, vol upload's) make one; else the first name stays. */
	if (arg && alen && o->arg && memchr(arg, '|', alen) && strchr(o->arg, '|')) {
		char **v = NULL, *joined = xstrndup(arg, alen);
		size_t n = 0, i;
		push_split(&v, &n, o->arg, '|');
		push_split(&v, &n, joined, '|');
		free(joined);
		free(o->arg);
		o->arg = xstrdup(v[0]);
		for (i = 1; i < n; i++) {
			joined = xasprintf("%s|%s", o->arg, v[i]);
			free(o->arg);
			o->arg = joined;
		}
		for (i = 0; i < n; i++)
			free(v[i]);
		free(v);
	} else if (arg && alen && (o->arg == NULL || (memchr(arg, '|', alen) && !strchr(o->arg, '|')))) {
		free(o->arg);
		o->arg = xstrndup(arg, alen);
	}
	return o;
}

/* An option name at p ("-c", "--connect"): its length, 0 when none. */
static size_t
opt_len(const char *p)
{
	size_t k;

	if (p[0] != '-' || p[1] == '\0' || p[1] == ' ')
		return 0;
	k = strspn(p + 1, "-abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") + 1;
	if (k == 2 && p[1] == '-')
		return 0; /* "--": the end of the options, none itself */
	return k > 1 ? k : 0;
}

/* An option line of the list ("  -c, --connect URI   the host",
 * "      --dhcp-start IP, --dhcp-end IP  create: ..."). */
static void
parse_option_line(struct cc_spec *s, const char *p)
{
	struct cc_option *pair = NULL;
	size_t k, a;

	while ((k = opt_len(p)) > 0) {
		const char *name = p, *arg = NULL;
		size_t alen = 0;

		p += k;
		if (*p == '=' || (p[0] == ' ' && p[1] != ' ')) {
			a = strcspn(p + 1, " ,");
			if (is_metavar(p + 1, a)) {
				arg = p + 1;
				alen = a;
				p += 1 + a;
			}
		}
		pair = add_opt(s, pair, name, k, arg, alen);
		if (strncmp(p, ", -", 3) != 0)
			break;
		/* "-c, --connect": one option; "--a X, --b Y": two. */
		if (arg)
			pair = NULL;
		p += 2;
	}
}

/* The tokens of a usage form: split at spaces outside [] and (). */
static size_t
next_token(const char *p, size_t *len)
{
	size_t skip = strspn(p, " "), i = skip;
	int depth = 0;

	for (; p[i] && (depth > 0 || p[i] != ' '); i++) {
		if (p[i] == '[' || p[i] == '(')
			depth++;
		else if ((p[i] == ']' || p[i] == ')') && depth > 0)
			depth--;
	}
	*len = i - skip;
	return skip;
}

/* Whether the token t is one group, [...] or (...), with "..." after it
 * allowed: then *inner is its inside. */
static bool
group(const char *t, size_t len, const char **inner, size_t *ilen)
{
	char open = t[0], close = open == '[' ? ']' : ')';
	size_t i, end = len;
	int depth = 0;

	if (open != '[' && open != '(')
		return false;
	if (len >= 3 && strncmp(t + len - 3, "...", 3) == 0)
		end = len - 3;
	for (i = 0; i < end; i++) {
		if (t[i] == '[' || t[i] == '(')
			depth++;
		else if (t[i] == ']' || t[i] == ')')
			if (--depth == 0)
				break;
	}
	if (i + 1 != end || t[i] != close)
		return false;
	*inner = t + 1;
	*ilen = end - 2;
	return true;
}

struct form_state {
	struct cc_form *f;
	bool any;     /* a word after the command seen (no verb can come then) */
	bool args_ok; /* a word not an option is an argument (not in [a b]) */
};

static void parse_tokens(struct cc_spec *s, struct form_state *fs, const char *p, size_t len,
                         bool optional);

/* One token of a form (or of a group in it, optional when in [...]). */
static size_t
parse_token(struct cc_spec *s, struct form_state *fs, const char *t, size_t len,
            const char *rest, size_t rlen, bool optional)
{
	const char *in;
	size_t ilen, k, a, skip;
	char *word;

	if (group(t, len, &in, &ilen)) {
		bool one = in[0] != '-' && !memchr(in, ' ', ilen) && t[0] == '[';
		bool was = fs->args_ok;
		if (one) { /* [NAME], [bios|efi], [ARG]...: an optional argument */
			if (was && !optional) {
				bool dots = t[len - 1] == '.';
				char *arg = xasprintf("%.*s%s", (int)ilen, in, dots ? "..." : "");
				parse_token(s, fs, arg, strlen(arg), "", 0, true);
				free(arg);
			}
			return 0;
		}
		/* (A | --x B): A is an argument; [--x B | --y]: none is */
		fs->args_ok = was && t[0] == '(';
		parse_tokens(s, fs, in, ilen, t[0] == '[' || optional);
		fs->args_ok = was;
		return 0;
	}
	if ((k = opt_len(t)) > 0) {
		skip = next_token(rest, &a);
		if (k < len && t[k] == '=')
			add_opt(s, NULL, t, k, t + k + 1, len - k - 1);
		else if (k == len && rlen && is_metavar(rest + skip, a)) {
			add_opt(s, NULL, t, k, rest + skip, a);
			return skip + a;
		} else
			add_opt(s, NULL, t, k, NULL, 0);
		return 0;
	}
	if (len == 1 && t[0] == '|')
		return 0;
	if (!fs->args_ok)
		return 0; /* [vmtui options], [--file ISO | ...]: no argument */
	word = xstrndup(t, len);
	if (!fs->any && fs->f->nverbs == 0 && !optional && is_verb(word)) {
		push_split(&fs->f->verbs, &fs->f->nverbs, word, '|');
	} else if (is_metavar(t, len) || optional || is_verb(word)) {
		bool rep = len > 3 && strcmp(word + len - 3, "...") == 0;
		if (rep)
			word[len - 3] = '\0';
		fs->f->pos = xreallocarray(fs->f->pos, fs->f->npos + 1, sizeof *fs->f->pos);
		fs->f->pos[fs->f->npos++] = xstrdup(word);
		fs->f->repeat = rep;
	}
	fs->any = true;
	free(word);
	return 0;
}

/* The tokens of p (len bytes); in a (...) of alternatives only the first
 * alternative's arguments count ("(ISO | --volume POOL/VOL)"). */
static void
parse_tokens(struct cc_spec *s, struct form_state *fs, const char *p, size_t len, bool optional)
{
	char *buf = xmalloc(3 * len + 1), *q = buf;
	size_t skip, tl, i;
	bool alt = false;

	/* "-c URI|-H HOST": the | between two options is a word of its own */
	for (i = 0; i < len; i++) {
		if (p[i] == '|' && i + 1 < len && p[i + 1] == '-') {
			*q++ = ' ';
			*q++ = '|';
			*q++ = ' ';
		} else
			*q++ = p[i];
	}
	*q = '\0';
	q = buf;

	while (*q) {
		skip = next_token(q, &tl);
		if (tl == 0)
			break;
		q += skip;
		if (tl == 1 && *q == '|')
			alt = true;
		else if (alt && opt_len(q) == 0)
			; /* a later alternative's argument */
		else
			q += parse_token(s, fs, q, tl, q + tl, strlen(q + tl), optional);
		q += tl;
	}
	free(buf);
}

/* One usage form: "vmtui NAME ..." (for the screen, "vmtui [OPTION]...":
 * only its options). */
static void
parse_form(struct cc_spec *s, const char *cmdname, const char *p)
{
	struct form_state fs = { .args_ok = true };
	size_t tl, skip = next_token(p, &tl);

	if (tl != 5 || strncmp(p + skip, "vmtui", 5) != 0)
		return;
	p += skip + tl;
	if (cmdname) {
		skip = next_token(p, &tl);
		if (tl != strlen(cmdname) || strncmp(p + skip, cmdname, tl) != 0)
			return;
		p += skip + tl;
	}
	s->forms = xreallocarray(s->forms, s->nforms + 1, sizeof *s->forms);
	fs.f = &s->forms[s->nforms++];
	memset(fs.f, 0, sizeof *fs.f);
	parse_tokens(s, &fs, p, strlen(p), false);
	if (cmdname == NULL) { /* the screen: no arguments */
		s->nforms--;
		while (fs.f->npos)
			free(fs.f->pos[--fs.f->npos]);
		while (fs.f->nverbs)
			free(fs.f->verbs[--fs.f->nverbs]);
		free(fs.f->pos);
		free(fs.f->verbs);
	}
}

/* The option list's lines ("  -c, --connect URI  ..."). */
static void
parse_option_lines(struct cc_spec *s, const char *help)
{
	const char *line = help, *nl;
	char *l;
	bool in_usage = false;

	for (; *line; line = *nl ? nl + 1 : nl) {
		nl = line + strcspn(line, "\n");
		l = xstrndup(line, (size_t)(nl - line));
		if (strncmp(l, "Usage: ", 7) == 0)
			in_usage = true;
		else if (l[0] != ' ')
			in_usage = false;
		else if (!in_usage && opt_len(l + strspn(l, " ")))
			parse_option_line(s, l + strspn(l, " "));
		free(l);
	}
}

void
cc_spec_parse(struct cc_spec *s, const char *cmdname, const char *help)
{
	const char *line = help, *nl;
	char *form = NULL, *l;
	bool in_usage = false;

	memset(s, 0, sizeof *s);
	/* the list first: its "-c, --connect" pairs the names usage gives apart */
	parse_option_lines(s, help);
	for (; *line; line = *nl ? nl + 1 : nl) {
		nl = line + strcspn(line, "\n");
		l = xstrndup(line, (size_t)(nl - line));
		if (strncmp(l, "Usage: ", 7) == 0) {
			if (form)
				parse_form(s, cmdname, form);
			free(form);
			in_usage = true;
			form = xstrdup(l + 7);
		} else if (in_usage && l[0] == ' ') {
			const char *t = l + strspn(l, " ");
			if (strncmp(t, "vmtui ", 6) == 0 || strcmp(t, "vmtui") == 0) {
				parse_form(s, cmdname, form);
				free(form);
				form = xstrdup(t);
			} else {
				char *longer = xasprintf("%s %s", form, t);
				free(form);
				form = longer;
			}
		} else if (form) {
			parse_form(s, cmdname, form);
			free(form);
			form = NULL;
			in_usage = false;
		}
		free(l);
	}
	if (form)
		parse_form(s, cmdname, form);
	free(form);
}

void
cc_spec_free(struct cc_spec *s)
{
	size_t i, j;

	for (i = 0; i < s->nopts; i++) {
		free(s->opts[i].shortname);
		free(s->opts[i].longname);
		free(s->opts[i].arg);
	}
	for (i = 0; i < s->nforms; i++) {
		for (j = 0; j < s->forms[i].nverbs; j++)
			free(s->forms[i].verbs[j]);
		for (j = 0; j < s->forms[i].npos; j++)
			free(s->forms[i].pos[j]);
		free(s->forms[i].verbs);
		free(s->forms[i].pos);
	}
	free(s->opts);
	free(s->forms);
	memset(s, 0, sizeof *s);
}

const struct cc_option *
cc_spec_option(const struct cc_spec *s, const char *name)
{
	return find_opt((struct cc_spec *)s, name, strlen(name));
}

/* ---- the word under the cursor ---- */

static bool
has(const char *mv, const char *word)
{
	const char *p = strstr(mv, word);
	size_t n = strlen(word);

	while (p) {
		bool start = p == mv || !isalpha((unsigned char)p[-1]);
		bool end = !isalpha((unsigned char)p[n]);
		if (start && end)
			return true;
		p = strstr(p + 1, word);
	}
	return false;
}

/* The kinds of a value of metavariable mv (of option opt, or NULL for
 * an argument); literal choices go to a->words. */
static unsigned
kinds_of(struct cc_answer *a, const char *mv, const char *opt)
{
	size_t i;
	bool lower = true;

	if (opt && strcmp(opt, "--theme") == 0)
		return 1u << CC_THEMES | 1u << CC_FILES;
	for (i = 0; opt && i < sizeof prose_values / sizeof *prose_values; i++)
		if (strcmp(opt, prose_values[i].opt) == 0 && !strchr(mv, '|')) {
			push_split(&a->words, &a->nwords, prose_values[i].words, ' ');
			return 1u << CC_WORDS;
		}
	for (i = 0; mv[i]; i++)
		if (isupper((unsigned char)mv[i]))
			lower = false;
	if (strchr(mv, '|') && lower) {
		push_split(&a->words, &a->nwords, mv, '|');
		return 1u << CC_WORDS;
	}
	if (strchr(mv, '/'))
		return 0; /* POOL/VOL: nothing to offer */
	if (has(mv, "URI"))
		return 1u << CC_URIS;
	if (has(mv, "HOST"))
		return 1u << CC_SSH_HOSTS;
	if (has(mv, "FILE") || has(mv, "PATH") || has(mv, "ISO"))
		return 1u << CC_FILES;
	if (has(mv, "DIR"))
		return 1u << CC_DIRS;
	if (has(mv, "VM") || has(mv, "SRC"))
		return 1u << CC_GUESTS;
	if (has(mv, "POOL"))
		return 1u << CC_POOLS;
	if (has(mv, "NET"))
		return 1u << CC_NETS;
	if (has(mv, "VOL"))
		return 1u << CC_VOLS;
	if (has(mv, "COMMAND"))
		return 1u << CC_COMMANDS;
	return 0;
}

/* Every option name, long ones first. */
static void
all_options(struct cc_answer *a, const struct cc_spec *s)
{
	size_t i;

	for (i = 0; i < s->nopts; i++)
		if (s->opts[i].longname)
			push(&a->words, &a->nwords, s->opts[i].longname, strlen(s->opts[i].longname));
	for (i = 0; i < s->nopts; i++)
		if (s->opts[i].shortname)
			push(&a->words, &a->nwords, s->opts[i].shortname, strlen(s->opts[i].shortname));
	a->kinds |= 1u << CC_WORDS;
}

static bool
in_list(char *const *v, size_t n, const char *w)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], w) == 0)
			return true;
	return false;
}

/* The arguments given (args, nargs of them) and the next one's kinds;
 * false when no form has a next one. */
static bool
positional(struct cc_answer *a, const struct cc_spec *s, char *const *args, size_t nargs)
{
	size_t i, j, at;
	bool slot = false;

	for (i = 0; i < s->nforms; i++) {
		const struct cc_form *f = &s->forms[i];
		at = nargs;
		if (f->nverbs) {
			if (nargs == 0) {
				for (j = 0; j < f->nverbs; j++)
					push(&a->words, &a->nwords, f->verbs[j], strlen(f->verbs[j]));
				a->kinds |= 1u << CC_WORDS;
				slot = true;
				continue;
			}
			if (!in_list(f->verbs, f->nverbs, args[0]))
				continue;
			at = nargs - 1;
		}
		if (at >= f->npos && !(f->repeat && f->npos))
			continue;
		if (at >= f->npos)
			at = f->npos - 1;
		a->kinds |= kinds_of(a, f->pos[at], NULL);
		slot = true;
		if (has(f->pos[at], "VOL") && a->pool == NULL)
			for (j = 0; j < at && j < f->npos && a->pool == NULL; j++)
				if (strcmp(f->pos[j], "POOL") == 0) /* the first POOL only */
					a->pool = xstrdup(args[j + (f->nverbs ? 1 : 0)]);
	}
	return slot;
}

void
cc_answer_for(struct cc_answer *a, const struct cc_spec *s, bool screen, char *const *w,
              size_t n)
{
	const struct cc_option *pending = NULL, *o;
	const char *cur = n ? w[n - 1] : "";
	char **args = NULL;
	size_t i, k, nargs = 0;
	bool dashdash = false;

	memset(a, 0, sizeof *a);
	for (i = 0; i + 1 < n; i++) {
		const char *x = w[i];
		if (pending) {
			pending = NULL;
		} else if (!dashdash && strcmp(x, "--") == 0) {
			dashdash = true;
		} else if (!dashdash && x[0] == '-' && x[1] == '-') {
			k = strcspn(x, "=");
			o = find_opt((struct cc_spec *)s, x, k);
			if (o && o->arg && x[k] == '\0')
				pending = o;
		} else if (!dashdash && x[0] == '-' && x[1]) {
			/* -ry, -cURI, -c URI */
			for (k = 1; x[k]; k++) {
				char sh[3] = { '-', x[k], '\0' };
				o = find_opt((struct cc_spec *)s, sh, 2);
				if (o && o->arg) {
					if (x[k + 1] == '\0')
						pending = o;
					break;
				}
			}
		} else {
			args = xreallocarray(args, nargs + 1, sizeof *args);
			args[nargs++] = w[i];
		}
	}
	if (pending) {
		a->kinds = kinds_of(a, pending->arg, pending->longname);
	} else if (!dashdash && cur[0] == '-' && cur[1] == '-' && strchr(cur, '=')) {
		k = strcspn(cur, "=");
		o = find_opt((struct cc_spec *)s, cur, k);
		if (o && o->arg) {
			a->kinds = kinds_of(a, o->arg, o->longname);
			a->prefix = xstrndup(cur, k + 1);
		}
	} else if (!dashdash && cur[0] == '-') {
		all_options(a, s);
	} else if (screen) {
		if (n == 1) /* a command only as the first word */
			a->kinds = 1u << CC_COMMANDS;
	} else {
		if (!positional(a, s, args, nargs) && !dashdash)
			all_options(a, s);
	}
	free(args);
}

void
cc_answer_free(struct cc_answer *a)
{
	size_t i;

	for (i = 0; i < a->nwords; i++)
		free(a->words[i]);
	free(a->words);
	free(a->prefix);
	free(a->pool);
	memset(a, 0, sizeof *a);
}

void
cc_target_of(struct cc_target *t, char *const *w, size_t n)
{
	static const struct {
		const char *sh, *lo;
		size_t off;
	} names[] = {
		{ "-c", "--connect", offsetof(struct cc_target, uri) },
		{ "-H", "--host", offsetof(struct cc_target, ssh) },
		{ NULL, "--known-hosts", offsetof(struct cc_target, known_hosts) },
		{ "-f", "--config", offsetof(struct cc_target, config) },
	};
	size_t i, j, k;

	memset(t, 0, sizeof *t);
	for (i = 0; i < n; i++) {
		if (strcmp(w[i], "--") == 0)
			break;
		for (j = 0; j < sizeof names / sizeof *names; j++) {
			const char **slot = (const char **)((char *)t + names[j].off);
			k = strlen(names[j].lo);
			if (strcmp(w[i], names[j].lo) == 0 || (names[j].sh && strcmp(w[i], names[j].sh) == 0)) {
				if (i + 1 < n)
					*slot = w[i + 1];
			} else if (strncmp(w[i], names[j].lo, k) == 0 && w[i][k] == '=') {
				*slot = w[i] + k + 1;
			} else if (names[j].sh && strncmp(w[i], names[j].sh, 2) == 0 && w[i][2] &&
			           w[i][1] != '-') {
				*slot = w[i] + 2;
			}
		}
	}
}

void
cc_ssh_config_hosts(const char *text, char ***v, size_t *n, char ***inc, size_t *ninc)
{
	const char *line = text, *nl;

	for (; *line; line = *nl ? nl + 1 : nl) {
		const char *p = line + strspn(line, " \t");
		size_t kw, k;
		bool is_host, is_inc;

		nl = line + strcspn(line, "\n");
		kw = strcspn(p, " \t=");
		if (p + kw > nl)
			continue;
		is_host = kw == 4 && strncasecmp(p, "host", 4) == 0;
		is_inc = kw == 7 && strncasecmp(p, "include", 7) == 0;
		if (!is_host && !is_inc)
			continue;
		p += kw;
		while (p < nl) {
			/* (a CR of a CRLF file is a separator too: a word of no
			 * length would never move on) */
			p += strspn(p, " \t=\r");
			if (p >= nl || *p == '#')
				break;
			if (*p == '"') {
				p++;
				k = strcspn(p, "\"\n");
			} else {
				k = strcspn(p, " \t\r\n");
			}
			if (p + k > nl)
				k = (size_t)(nl - p);
			if (is_inc)
				push(inc, ninc, p, k);
			else if (k && !memchr(p, '*', k) && !memchr(p, '?', k) && !memchr(p, '!', k))
				push(v, n, p, k);
			p += k;
			/* nothing taken: never the same place twice; an opening
			 * quote at the end of the text leaves p at its end */
			if (p < nl && (*p == '"' || k == 0))
				p++;
		}
	}
}
