/* lineedit.h — one line of editable text (prompts, form fields): UTF-8
 * aware backspace, ^U, ^W. Pure: keys in, text and an outcome out. */
#ifndef VMTUI_LINEEDIT_H
#define VMTUI_LINEEDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#define LINEEDIT_MAX 512

struct lineedit {
	char text[LINEEDIT_MAX];
	size_t len;
};

enum le_result { LE_NONE, LE_CHANGED, LE_ENTER, LE_CANCEL, LE_TAB };

void lineedit_set(struct lineedit *le, const char *s);
/* Apply a key (wc from wget_wch; is_key for function keys). */
enum le_result lineedit_key(struct lineedit *le, wint_t wc, bool is_key);

#endif
