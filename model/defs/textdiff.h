/* textdiff.h — what differs between two texts, line by line, as a
 * unified diff (the form `diff -u` and `virsh edit` users read): the
 * hardware view and `vmtui edit` show it before a domain's XML changes. */
#ifndef VMTUI_TEXTDIFF_H
#define VMTUI_TEXTDIFF_H

#include <stddef.h>

/* The unified diff from a to b (either may be NULL: empty), with `context`
 * unchanged lines around each change and "--- a_name" / "+++ b_name"
 * headers, as a new string; "" when the texts have the same lines. A last
 * line without its newline compares equal to the same line with one.
 * The hunks keep the changed lines in a's order, removals before
 * additions. Texts too long to compare line by line in reasonable memory
 * (more than about 16 million line pairs after their common start and end)
 * are shown as one hunk removing a's middle and adding b's. */
char *textdiff_unified(const char *a, const char *b, const char *a_name, const char *b_name,
                       int context);

/* Counts of the lines a diff made by textdiff_unified removes and adds. */
void textdiff_count(const char *diff, size_t *removed, size_t *added);

#endif
