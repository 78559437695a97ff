/* xwrite.h — writing libvirt XML with libxml2's xmlTextWriter, which
 * escapes every string, behind a sticky error so that callers check once
 * at the end. */
#ifndef VMTUI_XWRITE_H
#define VMTUI_XWRITE_H

#include <stdbool.h>
#include <stdint.h>
#include <libxml/xmlwriter.h>

struct xw {
	xmlBufferPtr buf;
	xmlTextWriterPtr w;
	bool bad;
};

/* Whether XML 1.0 can carry s (NULL can): no C0 control character but
 * tab and newlines, no U+FFFE or U+FFFF. */
bool xw_ok(const char *s);

/* Start writing (indented by two spaces, attributes in single quotes):
 * 0, or -1 when no writer could be made. */
int xw_open(struct xw *x);
/* The XML written, as a new string, or NULL when anything failed; frees
 * the writer either way. */
char *xw_close(struct xw *x);

void xw_start(struct xw *x, const char *name);
void xw_attr(struct xw *x, const char *name, const char *value);
void xw_attr_u(struct xw *x, const char *name, uint64_t v);
void xw_text(struct xw *x, const char *s);
void xw_end(struct xw *x);
/* <name>text</name> */
void xw_elem(struct xw *x, const char *name, const char *text);
/* <name attr='value'/>, or <name/> when attr is NULL. */
void xw_empty(struct xw *x, const char *name, const char *attr, const char *value);

#endif
