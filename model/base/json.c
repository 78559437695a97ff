/* json.c — JSON string output and a small strict parser (RFC 8259). */
#include "json.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

#define MAX_DEPTH 32

/* Length of the valid UTF-8 sequence at s, or 0 when it is not one. */
static size_t
utf8_len(const unsigned char *s)
{
	size_t n, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		n = 2, cp = s[0] & 0x1F;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		n = 3, cp = s[0] & 0x0F;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3F);
	}
	/* Overlong forms, surrogates and beyond U+10FFFF are not UTF-8. */
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return n;
}

void
json_put_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (s == NULL) {
		fputs("null", f);
		return;
	}
	putc('"', f);
	while (*p) {
		size_t n;
		switch (*p) {
		case '"': fputs("\\\"", f); p++; continue;
		case '\\': fputs("\\\\", f); p++; continue;
		case '\n': fputs("\\n", f); p++; continue;
		case '\r': fputs("\\r", f); p++; continue;
		case '\t': fputs("\\t", f); p++; continue;
		case '\b': fputs("\\b", f); p++; continue;
		case '\f': fputs("\\f", f); p++; continue;
		}
		if (*p < 0x20 || *p == 0x7F) {
			fprintf(f, "\\u%04x", *p);
			p++;
			continue;
		}
		n = utf8_len(p);
		if (n == 0) {
			fputs("\xEF\xBF\xBD", f); /* U+FFFD for a stray byte */
			p++;
			continue;
		}
		fwrite(p, 1, n, f);
		p += n;
	}
	putc('"', f);
}

void
json_put_number(FILE *f, double v, int decimals)
{
	if (v < 0 || !isfinite(v))
		fputs("null", f);
	else
		fprintf(f, "%.*f", decimals, v);
}

const char *
json_type_name(enum json_type t)
{
	static const char *const names[] = {
		[JSON_NULL] = "null", [JSON_BOOL] = "a boolean", [JSON_NUMBER] = "a number",
		[JSON_STRING] = "a string", [JSON_ARRAY] = "an array", [JSON_OBJECT] = "an object",
	};
	return (unsigned)t <= JSON_OBJECT ? names[t] : "?";
}

/* ---- parser ---- */

struct parser {
	const char *s;
	size_t len, pos;
	const char *why;
	size_t err_pos;
};

static bool
fail(struct parser *p, const char *why)
{
	if (p->why == NULL) {
		p->why = why;
		p->err_pos = p->pos;
	}
	return false;
}

static void
skip_ws(struct parser *p)
{
	while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' ||
	                           p->s[p->pos] == '\n' || p->s[p->pos] == '\r'))
		p->pos++;
}

static void
clear(struct json *j)
{
	size_t i;

	free(j->str);
	for (i = 0; i < j->n; i++) {
		clear(&j->items[i]);
		if (j->keys)
			free(j->keys[i]);
	}
	free(j->items);
	free(j->keys);
	memset(j, 0, sizeof *j);
}

static int
hex4(const char *s)
{
	int v = 0, i;

	for (i = 0; i < 4; i++) {
		char c = s[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

static void
put_utf8(char *out, size_t *n, uint32_t cp)
{
	if (cp < 0x80) {
		out[(*n)++] = (char)cp;
	} else if (cp < 0x800) {
		out[(*n)++] = (char)(0xC0 | cp >> 6);
		out[(*n)++] = (char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		out[(*n)++] = (char)(0xE0 | cp >> 12);
		out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[(*n)++] = (char)(0x80 | (cp & 0x3F));
	} else {
		out[(*n)++] = (char)(0xF0 | cp >> 18);
		out[(*n)++] = (char)(0x80 | ((cp >> 12) & 0x3F));
		out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[(*n)++] = (char)(0x80 | (cp & 0x3F));
	}
}

/* A \u escape at p->pos (after the backslash and u); surrogate pairs joined. */
static bool
unicode_escape(struct parser *p, char *out, size_t *n)
{
	int hi, lo;

	if (p->pos + 4 > p->len || (hi = hex4(p->s + p->pos)) < 0)
		return fail(p, "\\u needs four hex digits");
	p->pos += 4;
	if (hi >= 0xDC00 && hi <= 0xDFFF)
		return fail(p, "a low surrogate \\u escape without a high one");
	if (hi >= 0xD800 && hi <= 0xDBFF) {
		if (p->pos + 6 > p->len || p->s[p->pos] != '\\' || p->s[p->pos + 1] != 'u' ||
		    (lo = hex4(p->s + p->pos + 2)) < 0xDC00 || lo > 0xDFFF)
			return fail(p, "a high surrogate \\u escape without a low one");
		p->pos += 6;
		put_utf8(out, n, 0x10000 + (((uint32_t)hi - 0xD800) << 10) + ((uint32_t)lo - 0xDC00));
		return true;
	}
	if (hi == 0)
		return fail(p, "\\u0000 is not allowed in a string");
	put_utf8(out, n, (uint32_t)hi);
	return true;
}

/* A string at p->pos (the opening quote); *out newly allocated. */
static bool
parse_string(struct parser *p, char **out)
{
	char *buf;
	size_t n = 0;

	p->pos++;
	/* Decoded text is never longer than the escaped text. */
	buf = xmalloc(p->len - p->pos + 1);
	while (p->pos < p->len) {
		unsigned char c = (unsigned char)p->s[p->pos];
		if (c == '"') {
			p->pos++;
			buf[n] = '\0';
			*out = buf;
			return true;
		}
		if (c < 0x20) {
			free(buf);
			return fail(p, "a control character inside a string (escape it)");
		}
		p->pos++;
		if (c != '\\') {
			buf[n++] = (char)c;
			continue;
		}
		if (p->pos >= p->len)
			break;
		c = (unsigned char)p->s[p->pos++];
		switch (c) {
		case '"': case '\\': case '/': buf[n++] = (char)c; break;
		case 'n': buf[n++] = '\n'; break;
		case 'r': buf[n++] = '\r'; break;
		case 't': buf[n++] = '\t'; break;
		case 'b': buf[n++] = '\b'; break;
		case 'f': buf[n++] = '\f'; break;
		case 'u':
			if (!unicode_escape(p, buf, &n)) {
				free(buf);
				return false;
			}
			break;
		default:
			p->pos--;
			free(buf);
			return fail(p, "an unknown escape in a string");
		}
	}
	free(buf);
	return fail(p, "the string does not end (missing \")");
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
parse_number(struct parser *p, struct json *j)
{
	size_t start = p->pos;
	char *tmp;

	if (p->s[p->pos] == '-')
		p->pos++;
	if (p->pos >= p->len || !is_digit(p->s[p->pos]))
		return fail(p, "expected a value");
	if (p->s[p->pos] == '0')
		p->pos++;
	else
		while (p->pos < p->len && is_digit(p->s[p->pos]))
			p->pos++;
	if (p->pos < p->len && p->s[p->pos] == '.') {
		p->pos++;
		if (p->pos >= p->len || !is_digit(p->s[p->pos]))
			return fail(p, "expected digits after the decimal point");
		while (p->pos < p->len && is_digit(p->s[p->pos]))
			p->pos++;
	}
	if (p->pos < p->len && (p->s[p->pos] == 'e' || p->s[p->pos] == 'E')) {
		p->pos++;
		if (p->pos < p->len && (p->s[p->pos] == '+' || p->s[p->pos] == '-'))
			p->pos++;
		if (p->pos >= p->len || !is_digit(p->s[p->pos]))
			return fail(p, "expected digits in the exponent");
		while (p->pos < p->len && is_digit(p->s[p->pos]))
			p->pos++;
	}
	tmp = xstrndup(p->s + start, p->pos - start);
	j->type = JSON_NUMBER;
	j->num = strtod(tmp, NULL);
	free(tmp);
	return true;
}

static bool parse_value(struct parser *p, struct json *j, int depth);

/* The members of an array (keys == false) or object after the bracket. */
static bool
parse_members(struct parser *p, struct json *j, bool keys, int depth)
{
	char close = keys ? '}' : ']';
	size_t cap = 0;

	p->pos++;
	skip_ws(p);
	if (p->pos < p->len && p->s[p->pos] == close) {
		p->pos++;
		return true;
	}
	for (;;) {
		char *key = NULL;
		skip_ws(p);
		if (keys) {
			if (p->pos >= p->len || p->s[p->pos] != '"')
				return fail(p, "expected a member name in quotes");
			if (!parse_string(p, &key))
				return false;
			skip_ws(p);
			if (p->pos >= p->len || p->s[p->pos] != ':') {
				free(key);
				return fail(p, "expected ':' after the member name");
			}
			p->pos++;
		}
		if (j->n == cap) {
			cap = cap ? cap * 2 : 8;
			j->items = xreallocarray(j->items, cap, sizeof *j->items);
			if (keys)
				j->keys = xreallocarray(j->keys, cap, sizeof *j->keys);
		}
		memset(&j->items[j->n], 0, sizeof *j->items);
		if (keys)
			j->keys[j->n] = key;
		j->n++;
		if (!parse_value(p, &j->items[j->n - 1], depth + 1))
			return false;
		skip_ws(p);
		if (p->pos < p->len && p->s[p->pos] == ',') {
			p->pos++;
			continue;
		}
		if (p->pos < p->len && p->s[p->pos] == close) {
			p->pos++;
			return true;
		}
		return fail(p, keys ? "expected ',' or '}'" : "expected ',' or ']'");
	}
}

static bool
literal(struct parser *p, const char *word)
{
	size_t n = strlen(word);

	if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n) != 0)
		return fail(p, "expected a value");
	p->pos += n;
	return true;
}

static bool
parse_value(struct parser *p, struct json *j, int depth)
{
	skip_ws(p);
	j->col = p->pos + 1;
	if (depth > MAX_DEPTH)
		return fail(p, "nested too deeply");
	if (p->pos >= p->len)
		return fail(p, "expected a value, found the end of the line");
	switch (p->s[p->pos]) {
	case '{':
		j->type = JSON_OBJECT;
		return parse_members(p, j, true, depth);
	case '[':
		j->type = JSON_ARRAY;
		return parse_members(p, j, false, depth);
	case '"':
		j->type = JSON_STRING;
		return parse_string(p, &j->str);
	case 't':
		j->type = JSON_BOOL;
		j->b = true;
		return literal(p, "true");
	case 'f':
		j->type = JSON_BOOL;
		return literal(p, "false");
	case 'n':
		j->type = JSON_NULL;
		return literal(p, "null");
	default:
		return parse_number(p, j);
	}
}

struct json *
json_parse(const char *text, size_t len, size_t *col, const char **why)
{
	struct parser p = { .s = text, .len = len };
	struct json *j = xcalloc(1, sizeof *j);

	if (parse_value(&p, j, 0)) {
		skip_ws(&p);
		if (p.pos == p.len)
			return j;
		fail(&p, "unexpected text after the value");
	}
	*col = p.err_pos + 1;
	*why = p.why;
	json_free(j);
	return NULL;
}

void
json_free(struct json *j)
{
	if (j == NULL)
		return;
	clear(j);
	free(j);
}

const struct json *
json_get(const struct json *j, const char *key)
{
	size_t i;

	if (j == NULL || j->type != JSON_OBJECT)
		return NULL;
	for (i = 0; i < j->n; i++)
		if (strcmp(j->keys[i], key) == 0)
			return &j->items[i];
	return NULL;
}
