/* xwrite.c — libvirt XML through xmlTextWriter (see xwrite.h). */
#include "xwrite.h"

#include <inttypes.h>
#include <stdio.h>

#include "../base/xmalloc.h"

bool
xw_ok(const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)(s ? s : ""); *p; p++) {
		if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
			return false;
		if (p[0] == 0xef && p[1] == 0xbf && (p[2] == 0xbe || p[2] == 0xbf))
			return false;
	}
	return true;
}

int
xw_open(struct xw *x)
{
	x->bad = false;
	x->buf = xmlBufferCreate();
	x->w = x->buf ? xmlNewTextWriterMemory(x->buf, 0) : NULL;
	if (x->w == NULL) {
		if (x->buf)
			xmlBufferFree(x->buf);
		x->buf = NULL;
		return -1;
	}
	xmlTextWriterSetIndent(x->w, 1);
	xmlTextWriterSetIndentString(x->w, BAD_CAST "  ");
	xmlTextWriterSetQuoteChar(x->w, '"'); /* libxml2 escapes " in attributes, never ' */
	return 0;
}

char *
xw_close(struct xw *x)
{
	char *out = NULL;

	if (x->w && !x->bad && xmlTextWriterFlush(x->w) >= 0)
		out = xstrdup((const char *)xmlBufferContent(x->buf));
	if (x->w)
		xmlFreeTextWriter(x->w);
	if (x->buf)
		xmlBufferFree(x->buf);
	x->w = NULL;
	x->buf = NULL;
	return out;
}

void
xw_start(struct xw *x, const char *name)
{
	if (!x->bad && xmlTextWriterStartElement(x->w, BAD_CAST name) < 0)
		x->bad = true;
}

void
xw_attr(struct xw *x, const char *name, const char *value)
{
	if (!x->bad && xmlTextWriterWriteAttribute(x->w, BAD_CAST name, BAD_CAST value) < 0)
		x->bad = true;
}

void
xw_attr_u(struct xw *x, const char *name, uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof buf, "%" PRIu64, v);
	xw_attr(x, name, buf);
}

void
xw_text(struct xw *x, const char *s)
{
	if (!x->bad && xmlTextWriterWriteString(x->w, BAD_CAST s) < 0)
		x->bad = true;
}

void
xw_end(struct xw *x)
{
	if (!x->bad && xmlTextWriterEndElement(x->w) < 0)
		x->bad = true;
}

void
xw_elem(struct xw *x, const char *name, const char *text)
{
	xw_start(x, name);
	xw_text(x, text);
	xw_end(x);
}

void
xw_empty(struct xw *x, const char *name, const char *attr, const char *value)
{
	xw_start(x, name);
	if (attr)
		xw_attr(x, attr, value);
	xw_end(x);
}
