/* tagxml.c — tags and note: their rules, a set edited, and vmtui's element
 * in a domain's <metadata> made and read (see tagxml.h). */
#include "tagxml.h"

#include <stdlib.h>
#include <string.h>
#include <libxml/tree.h>

#include "../base/xmalloc.h"
#include "xpath.h"
#include "xwrite.h"

void
tagset_free(struct tagset *ts)
{
	if (ts == NULL)
		return;
	xfree_strv(ts->tags, ts->ntags);
	free(ts->note);
	ts->tags = NULL;
	ts->ntags = 0;
	ts->note = NULL;
}

/* Where t is or would go in the sorted tags. */
static size_t
tag_pos(const struct tagset *ts, const char *t, bool *found)
{
	size_t lo = 0, hi = ts->ntags;

	*found = false;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(ts->tags[mid], t);
		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool
tagset_has(const struct tagset *ts, const char *t)
{
	bool found;

	tag_pos(ts, t, &found);
	return found;
}

bool
tagset_add(struct tagset *ts, const char *t)
{
	bool found;
	size_t at = tag_pos(ts, t, &found);

	if (found)
		return false;
	ts->tags = xrealloc(ts->tags, (ts->ntags + 1) * sizeof *ts->tags);
	memmove(ts->tags + at + 1, ts->tags + at, (ts->ntags - at) * sizeof *ts->tags);
	ts->tags[at] = xstrdup(t);
	ts->ntags++;
	return true;
}

bool
tagset_remove(struct tagset *ts, const char *t)
{
	bool found;
	size_t at = tag_pos(ts, t, &found);

	if (!found)
		return false;
	free(ts->tags[at]);
	memmove(ts->tags + at, ts->tags + at + 1, (ts->ntags - at - 1) * sizeof *ts->tags);
	ts->ntags--;
	return true;
}

static bool
blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

void
tagset_set_note(struct tagset *ts, const char *note)
{
	size_t n;

	free(ts->note);
	ts->note = NULL;
	if (note == NULL)
		return;
	while (blank(*note))
		note++;
	n = strlen(note);
	while (n > 0 && blank(note[n - 1]))
		n--;
	if (n > 0)
		ts->note = xstrndup(note, n);
}

bool
tagset_empty(const struct tagset *ts)
{
	return ts->ntags == 0 && ts->note == NULL;
}

bool
tagset_equal(const struct tagset *a, const struct tagset *b)
{
	size_t i;

	if (a->ntags != b->ntags || (a->note == NULL) != (b->note == NULL) ||
	    (a->note && strcmp(a->note, b->note) != 0))
		return false;
	for (i = 0; i < a->ntags; i++)
		if (strcmp(a->tags[i], b->tags[i]) != 0)
			return false;
	return true;
}

void
tagset_copy(struct tagset *dst, const struct tagset *src)
{
	size_t i;

	dst->tags = src->ntags ? xcalloc(src->ntags, sizeof *dst->tags) : NULL;
	for (i = 0; i < src->ntags; i++)
		dst->tags[i] = xstrdup(src->tags[i]);
	dst->ntags = src->ntags;
	dst->note = src->note ? xstrdup(src->note) : NULL;
}

char *
tagset_join(const struct tagset *ts, const char *sep)
{
	size_t i, len = 1, sl = strlen(sep);
	char *out, *p;

	for (i = 0; i < ts->ntags; i++)
		len += strlen(ts->tags[i]) + sl;
	out = p = xmalloc(len);
	*p = '\0';
	for (i = 0; i < ts->ntags; i++) {
		if (i > 0) {
			memcpy(p, sep, sl);
			p += sl;
		}
		strcpy(p, ts->tags[i]);
		p += strlen(p);
	}
	return out;
}

int
tagset_parse_words(struct tagset *ts, const char *words, char **err)
{
	struct tagset out;
	const char *p = words ? words : "";

	tagset_copy(&out, ts);
	while (*p) {
		size_t n = 0;
		char *w, *why;

		while (*p && (blank(*p) || *p == ','))
			p++;
		while (p[n] && !blank(p[n]) && p[n] != ',')
			n++;
		if (n == 0)
			break;
		w = xstrndup(p, n);
		p += n;
		if ((why = tag_check(w)) != NULL) {
			free(w);
			*err = why;
			tagset_free(&out);
			return -1;
		}
		tagset_add(&out, w);
		free(w);
		if (out.ntags > TAGS_MAX) {
			*err = xasprintf("A guest carries at most %d tags.", TAGS_MAX);
			tagset_free(&out);
			return -1;
		}
	}
	tagset_free(ts);
	*ts = out;
	return 0;
}

char *
tagxml_make(const struct tagset *ts)
{
	struct xw x;
	size_t i;
	char *out, *nl;

	if (tagset_empty(ts) || xw_open(&x) < 0)
		return NULL;
	xw_start(&x, "guest");
	for (i = 0; i < ts->ntags; i++)
		xw_elem(&x, "tag", ts->tags[i]);
	if (ts->note != NULL)
		xw_elem(&x, "note", ts->note);
	xw_end(&x);
	out = xw_close(&x);
	/* On one line (virsh lines, the action log): the writer's indents
	 * are dropped. Between elements only: a '<' in the note is "&lt;". */
	if (out != NULL) {
		char *r = out, *w = out;
		while (*r) {
			if (r[0] == '>' && r[1] == '\n') {
				nl = r + 1;
				while (*nl == '\n' || *nl == ' ')
					nl++;
				if (*nl == '<' || *nl == '\0') {
					*w++ = '>';
					r = nl;
					continue;
				}
			}
			*w++ = *r++;
		}
		*w = '\0';
	}
	return out;
}

static bool
named(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* Cut s to at most max bytes at a character's boundary. */
static void
cut_utf8(char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max)
		return;
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	s[n] = '\0';
}

/* Fill ts from the element g (<guest>): the rules above. */
static void
read_guest(xmlNodePtr g, struct tagset *ts)
{
	xmlNodePtr c;

	for (c = g->children; c != NULL; c = c->next) {
		char *text, *why;

		if (!named(c, "tag") && !named(c, "note"))
			continue;
		text = (char *)xmlNodeGetContent(c);
		if (text == NULL)
			continue;
		if (named(c, "tag")) {
			if ((why = tag_check(text)) == NULL && ts->ntags < TAGS_MAX)
				tagset_add(ts, text);
			free(why);
		} else if (ts->note == NULL) {
			cut_utf8(text, NOTE_MAX);
			/* libxml2 turns every control character that XML can
			 * carry into text; one the rules refuse drops the note. */
			if ((why = note_check(text)) == NULL)
				tagset_set_note(ts, text);
			free(why);
		}
		xmlFree(text);
	}
}

int
tagxml_parse(const char *xml, struct tagset *ts, char **err)
{
	xmlDocPtr doc = xml_read_quiet(xml ? xml : "", "metadata.xml");
	xmlNodePtr root;

	memset(ts, 0, sizeof *ts);
	if (doc == NULL) {
		*err = xstrdup("The guest's vmtui metadata is not well-formed XML.");
		return -1;
	}
	root = xmlDocGetRootElement(doc);
	if (root == NULL || !named(root, "guest")) {
		*err = xstrdup("The guest's vmtui metadata is not a <guest> element.");
		xmlFreeDoc(doc);
		return -1;
	}
	read_guest(root, ts);
	xmlFreeDoc(doc);
	return 0;
}

int
tagxml_from_domain(const char *domxml, struct tagset *ts, char **err)
{
	xmlDocPtr doc = xml_read_quiet(domxml ? domxml : "", "domain.xml");
	xmlNodePtr root, m, c;

	memset(ts, 0, sizeof *ts);
	if (doc == NULL) {
		*err = xstrdup("The domain's XML is not well-formed.");
		return -1;
	}
	root = xmlDocGetRootElement(doc);
	for (m = root ? root->children : NULL; m != NULL; m = m->next) {
		if (!named(m, "metadata"))
			continue;
		for (c = m->children; c != NULL; c = c->next)
			if (named(c, "guest") && c->ns != NULL && c->ns->href != NULL &&
			    strcmp((const char *)c->ns->href, TAGXML_NS) == 0) {
				read_guest(c, ts);
				break;
			}
		break;
	}
	xmlFreeDoc(doc);
	return 0;
}
