/* scroll.h — the scrolling list every list-like view uses: which line is
 * first on screen and, for lists with a cursor, which line is selected.
 * The navigation commands move it; the view's draw says how many lines
 * there are and how many fit, which keeps both in range. */
#ifndef VMTUI_SCROLL_H
#define VMTUI_SCROLL_H

#include <stdbool.h>
#include <stddef.h>

#include "keys.h"

struct scroller {
	int top;         /* first line shown */
	int sel;         /* the selected line (with a cursor) */
	bool cursor;     /* moves a selection, else scrolls the text */
	int n, page;     /* lines, and lines shown: as the last draw had them */
};

/* A scroller for text (no cursor) or for a list with a cursor. */
void scroll_init(struct scroller *s, bool cursor);
/* Up, down, PgUp, PgDn, Home, End: moved, true. Other commands: false. */
bool scroll_cmd(struct scroller *s, enum cmd c);
/* From the view's draw: n lines, page of them shown; top (and sel) put
 * back in range, the selection kept on screen. */
void scroll_fit(struct scroller *s, int n, int page);
/* Select line i (clamped to the lines the last fit saw). */
void scroll_select(struct scroller *s, int i);
/* Keep a list's selection on the item called *name, among n items of
 * size bytes at items whose name (a char *) is at offset off: s->sel
 * moves to it. When it is not there, s->sel is put in range and *name
 * becomes the name of the item there, unless hold and *name is set (the
 * item may come with the next read). The selected index, or -1 with no
 * items. */
int scroll_keep_named(struct scroller *s, char **name, const void *items, size_t n,
                      size_t size, size_t off, bool hold);

#endif
