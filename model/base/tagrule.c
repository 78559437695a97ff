/* tagrule.c — what a tag and a note may hold (see tagrule.h). */
#include "tagrule.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "xmalloc.h"

static bool
tag_char(char c, bool first)
{
	if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
		return true;
	return !first && (c == '.' || c == '_' || c == '-');
}

char *
tag_check(const char *t)
{
	size_t i, n = t ? strlen(t) : 0;

	if (n == 0)
		return xstrdup("A tag cannot be empty.");
	if (n > TAG_MAX)
		return xasprintf("Tag \"%.40s%s\" is longer than %d characters.", t,
		                 n > 40 ? "..." : "", TAG_MAX);
	for (i = 0; i < n; i++) {
		if (tag_char(t[i], i == 0))
			continue;
		if (t[i] >= 'A' && t[i] <= 'Z')
			return xasprintf("Tag \"%s\": tags are lower case (a-z, 0-9, '.', '_', '-').", t);
		if (i == 0 && tag_char(t[i], false))
			return xasprintf("Tag \"%s\" must start with a letter or a digit.", t);
		return xasprintf("Tag \"%s\": use only a-z, 0-9, '.', '_' and '-'.", t);
	}
	return NULL;
}

/* Length of the valid UTF-8 sequence at s (1-4), or 0 when it is not one. */
static size_t
utf8_len(const unsigned char *s)
{
	size_t n, i;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0)
		n = 2, cp = s[0] & 0x1f;
	else if ((s[0] & 0xf0) == 0xe0)
		n = 3, cp = s[0] & 0x0f;
	else if ((s[0] & 0xf8) == 0xf0)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates, beyond U+10FFFF, and the two
	 * non-characters XML refuses. */
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff || cp == 0xfffe || cp == 0xffff)
		return 0;
	return n;
}

char *
note_check(const char *n)
{
	const unsigned char *s = (const unsigned char *)(n ? n : "");
	size_t len = strlen((const char *)s), i, k;

	if (len > NOTE_MAX)
		return xasprintf("The note is %zu bytes long; at most %d fit.", len, NOTE_MAX);
	for (i = 0; i < len; i += k) {
		if (s[i] < 0x20 && s[i] != '\t' && s[i] != '\n')
			return xasprintf("The note has a control character (byte %zu); only tab "
			                 "and newline may be used.", i + 1);
		if (s[i] == 0x7f)
			return xasprintf("The note has a control character (byte %zu).", i + 1);
		if ((k = utf8_len(s + i)) == 0)
			return xasprintf("The note is not valid UTF-8 (at byte %zu).", i + 1);
	}
	return NULL;
}
