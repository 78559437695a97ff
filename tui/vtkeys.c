/* vtkeys.c — curses keys to xterm-style byte sequences (normal cursor
 * mode) and characters to UTF-8, for the console pane. */
#include "vtkeys.h"

#include <string.h>
#include <curses.h>

static const struct {
	int key;
	const char *seq;
} seqs[] = {
	{ KEY_UP, "\033[A" }, { KEY_DOWN, "\033[B" },
	{ KEY_RIGHT, "\033[C" }, { KEY_LEFT, "\033[D" },
	{ KEY_HOME, "\033[H" }, { KEY_END, "\033[F" },
	{ KEY_IC, "\033[2~" }, { KEY_DC, "\033[3~" },
	{ KEY_PPAGE, "\033[5~" }, { KEY_NPAGE, "\033[6~" },
	{ KEY_BTAB, "\033[Z" },
	{ KEY_ENTER, "\r" }, { KEY_BACKSPACE, "\177" },
	{ KEY_F(1), "\033OP" }, { KEY_F(2), "\033OQ" },
	{ KEY_F(3), "\033OR" }, { KEY_F(4), "\033OS" },
	{ KEY_F(5), "\033[15~" }, { KEY_F(6), "\033[17~" },
	{ KEY_F(7), "\033[18~" }, { KEY_F(8), "\033[19~" },
	{ KEY_F(9), "\033[20~" }, { KEY_F(10), "\033[21~" },
	{ KEY_F(11), "\033[23~" }, { KEY_F(12), "\033[24~" },
};

/* A code point as UTF-8; 0 for one that has none. */
static size_t
utf8(unsigned long c, char *out)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xc0 | (c >> 6));
		out[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c >= 0xd800 && c <= 0xdfff)
		return 0;
	if (c < 0x10000) {
		out[0] = (char)(0xe0 | (c >> 12));
		out[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		out[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	if (c > 0x10ffff)
		return 0;
	out[0] = (char)(0xf0 | (c >> 18));
	out[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	out[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

size_t
vtkeys_encode(wint_t wc, bool is_key, char out[VTKEYS_MAX])
{
	size_t i, n;

	if (!is_key) /* Enter in raw mode is already \r; ^H and DEL pass as they are */
		return utf8((unsigned long)wc, out);
	for (i = 0; i < sizeof seqs / sizeof seqs[0]; i++) {
		if (seqs[i].key == (int)wc) {
			n = strlen(seqs[i].seq);
			memcpy(out, seqs[i].seq, n);
			return n;
		}
	}
	return 0;
}
