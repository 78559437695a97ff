/* lines.h — drawing text into curses windows: clipped strings, wide
 * characters, wrapped paragraphs, graphs, and whole lines built in memory
 * and handed to curses in one call (only the stretches that changed since
 * the line was last drawn, when the window has a memo). */
#ifndef VMTUI_LINES_H
#define VMTUI_LINES_H

#include <stdbool.h>
#include <stddef.h>
#include <curses.h>
#include <wchar.h>

#include "graph.h"

struct ring;

/* A whole line of a window built in memory and given to curses in one
 * call, for lines drawn again on every refresh (the guest list): begin
 * fills it with spaces in attr, text and wide put stretches as draw_text
 * and draw_wide do, end hands it to curses. Columns past CELLS_MAX are
 * left alone. */
#define CELLS_MAX 1024
/* A cell of such a line: eight bytes, compared as one, where curses'
 * cchar_t takes 28. ch 0 is the second column of a wide character. */
struct lcell {
	wchar_t ch;
	attr_t attr;    /* colour pair included */
};
/* Combining marks, rare, are kept apart: for this many cells of a line. */
#define LINE_MARKED 16
struct line_cells {
	WINDOW *w;
	int y, width;
	bool wide;      /* second halves of wide characters to pack away */
	int nmarked;
	struct lcell c[CELLS_MAX];
	struct {
		int x;
		wchar_t marks[CCHARW_MAX - 1]; /* after the base character, 0-ended */
	} marked[LINE_MARKED];
};

/* What the lines of a window hold as line_end last gave them, so a line
 * sends curses only the stretches that changed since (the rest of the
 * window is then neither erased nor compared again by curses). */
struct line_memo {
	WINDOW *w;
	int rows, cols;
	struct lcell *c; /* rows x cols */
	bool *valid;    /* per row: c holds it */
};

void line_begin(struct line_cells *l, WINDOW *w, int y, int attr);
void line_text(struct line_cells *l, int x, int width, int attr, const char *s);
void line_wide(struct line_cells *l, int x, int attr, const wchar_t *s, int n);
/* m: the memo of l's window, or NULL. */
void line_end(struct line_cells *l, struct line_memo *m);

/* Draw helpers: each clips to the window and to width. */
void draw_fill(WINDOW *w, int y, int x, int width, chtype ch);
void draw_text(WINDOW *w, int y, int x, int width, int attr, const char *s);
void draw_wide(WINDOW *w, int y, int x, int attr, const wchar_t *s, int n);
/* text from line *y on, over as many lines of w as it needs (broken at
 * spaces); *y ends after the last line drawn. */
void draw_wrapped(WINDOW *w, int *y, int attr, const char *text);
/* A line of key hints ("Enter or F2: go  Esc: cancel", hints apart by
 * two or more spaces) from line *y on: as many whole hints on a line as
 * fit, the rest on the next lines, so a narrow terminal never shows
 * "Esc: bac"; *y ends after the last line drawn. */
void draw_hints(WINDOW *w, int *y, int attr, const char *hints);
/* A table cell: text in at most width columns at (y, x); a longer one is
 * cut with an ellipsis ("~" without UTF-8), so a cut never passes for a
 * whole word and never runs into the next column. */
void draw_cut(WINDOW *w, int y, int x, int width, int attr, const char *text);
/* A form's first line, "TITLE  (HINTS)", where it fits; else the title,
 * then the hints on lines of their own. Returns the line after a blank
 * one, where the form's fields start. */
int form_title(WINDOW *w, const char *title, const char *hints);
/* A job's outcome under a view's list, from line *y on: "Working..."
 * while busy, else its error, else its result (NULL: none). */
void draw_outcome(WINDOW *w, int *y, bool busy, const char *error, const char *result);
void draw_graph(WINDOW *w, int y, int x, int width, int height,
                const struct ring *r, double max, enum graph_mode m, int attr);

#endif
