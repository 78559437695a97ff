/* lineedit.c — editing a single line of text. */
#include "lineedit.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <curses.h>

void
lineedit_set(struct lineedit *le, const char *s)
{
	snprintf(le->text, sizeof le->text, "%s", s ? s : "");
	le->len = strlen(le->text);
}

/* Remove the last character, whole UTF-8 sequence included. */
static void
erase_char(struct lineedit *le)
{
	while (le->len > 0 && ((unsigned char)le->text[le->len - 1] & 0xC0) == 0x80)
		le->len--;
	if (le->len > 0)
		le->len--;
	le->text[le->len] = '\0';
}

/* ^W: remove the word before the cursor and the spaces after it. */
static void
erase_word(struct lineedit *le)
{
	while (le->len > 0 && le->text[le->len - 1] == ' ')
		le->len--;
	while (le->len > 0 && le->text[le->len - 1] != ' ' && le->text[le->len - 1] != '/')
		le->len--;
	le->text[le->len] = '\0';
}

static bool
insert(struct lineedit *le, wint_t wc)
{
	char mb[MB_LEN_MAX];
	mbstate_t st;
	size_t n;

	memset(&st, 0, sizeof st);
	n = wcrtomb(mb, (wchar_t)wc, &st);
	if (n == (size_t)-1 || le->len + n >= sizeof le->text)
		return false;
	memcpy(le->text + le->len, mb, n);
	le->len += n;
	le->text[le->len] = '\0';
	return true;
}

enum le_result
lineedit_key(struct lineedit *le, wint_t wc, bool is_key)
{
	if (is_key) {
		if (wc == KEY_BACKSPACE) {
			erase_char(le);
			return LE_CHANGED;
		}
		return wc == KEY_ENTER ? LE_ENTER : LE_NONE;
	}
	switch (wc) {
	case '\r':
	case '\n':
		return LE_ENTER;
	case 27:
		return LE_CANCEL;
	case '\t':
		return LE_TAB;
	case 127:
	case 8:
		erase_char(le);
		return LE_CHANGED;
	case 21: /* ^U */
		le->len = 0;
		le->text[0] = '\0';
		return LE_CHANGED;
	case 23: /* ^W */
		erase_word(le);
		return LE_CHANGED;
	}
	if (wc < 32)
		return LE_NONE;
	return insert(le, wc) ? LE_CHANGED : LE_NONE;
}
