/* marks.h — the guests the user marked for a bulk action, kept by UUID so
 * they survive refreshes, re-sorting, filters and reconnects; selecting
 * them by glob, regex, tag, host or state; invert and clear.
 *
 * Pure: no libvirt, no locks of its own. The TUI's set (struct app's
 * marks) is read and written by the UI thread alone; the selections read
 * guests through rows whose hosts' locks the caller holds. */
#ifndef VMTUI_MARKS_H
#define VMTUI_MARKS_H

#include <stdbool.h>
#include <stddef.h>

#include "vmsel.h"

struct marks;

struct marks *marks_new(void);
void marks_free(struct marks *m);

/* Is the guest with this UUID marked? */
bool marks_has(const struct marks *m, const char *uuid);
/* Mark (on) or unmark it; true when that changed anything. */
bool marks_set(struct marks *m, const char *uuid, bool on);
/* Flip it; returns whether it is marked now. */
bool marks_toggle(struct marks *m, const char *uuid);
void marks_clear(struct marks *m);
/* UUIDs marked, guests present or not (a host down keeps its marks). */
size_t marks_count(const struct marks *m);
/* The i-th UUID in UUID order. */
const char *marks_uuid(const struct marks *m, size_t i);

/* How a selection picks guests (the `;` menu). */
enum mark_by {
	MARK_ALL,    /* every row given */
	MARK_GLOB,   /* name matches a shell glob (fnmatch, case-sensitive) */
	MARK_REGEX,  /* name matches an extended regex (case-insensitive) */
	MARK_TAG,    /* the guest carries the tag (exact) */
	MARK_HOST,   /* its host's label matches a glob (a plain name matches itself) */
	MARK_STATE,  /* its state's name starts with the text ("run", "shut") */
};

struct mark_sel {
	enum mark_by by;
	const char *text;   /* the pattern; unused by MARK_ALL */
};

/* Mark every guest row (rows with a vm) that sel picks; returns how many
 * were newly marked, or -1 with *err (newly allocated, a sentence) when
 * the pattern is bad (an empty pattern, a regex that does not compile, a
 * state no state's name starts with). Host locks held by the caller. */
long marks_select(struct marks *m, const struct row *rows, size_t n, const struct mark_sel *sel,
                  char **err);
/* Mark the unmarked and unmark the marked among the guest rows given;
 * marks of guests not among them stay. Returns how many are marked among
 * the rows afterwards. */
size_t marks_invert(struct marks *m, const struct row *rows, size_t n);

/* Among the guest rows given: how many are marked, and on how many
 * distinct hosts. */
void marks_tally(const struct marks *m, const struct row *rows, size_t n, size_t *guests,
                 size_t *hosts);
/* "12 marked on 3 hosts", "1 marked", or "" for none; into buf. */
const char *marks_describe(size_t guests, size_t hosts, char *buf, size_t len);

#endif
