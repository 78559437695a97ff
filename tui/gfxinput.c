/* gfxinput.c — terminal bytes to keysyms and pointer events (see
 * gfxinput.h). Tables first, then the decoder. */
#include "gfxinput.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <rfb/keysym.h>

#define ESC 0x1b

/* ---- tables ---- */

/* CSI n ~ (VT220 editing and function keys). */
static const struct {
	int n;
	uint32_t sym;
} tilde_keys[] = {
	{ 1, XK_Home }, { 2, XK_Insert }, { 3, XK_Delete }, { 4, XK_End },
	{ 5, XK_Prior }, { 6, XK_Next }, { 7, XK_Home }, { 8, XK_End },
	{ 11, XK_F1 }, { 12, XK_F2 }, { 13, XK_F3 }, { 14, XK_F4 }, { 15, XK_F5 },
	{ 17, XK_F6 }, { 18, XK_F7 }, { 19, XK_F8 }, { 20, XK_F9 }, { 21, XK_F10 },
	{ 23, XK_F11 }, { 24, XK_F12 },
};

/* The final byte of CSI [1;m]X and SS3 X. */
static uint32_t
letter_key(unsigned char f)
{
	switch (f) {
	case 'A': return XK_Up;
	case 'B': return XK_Down;
	case 'C': return XK_Right;
	case 'D': return XK_Left;
	case 'H': return XK_Home;
	case 'F': return XK_End;
	case 'P': return XK_F1;
	case 'Q': return XK_F2;
	case 'R': return XK_F3;
	case 'S': return XK_F4;
	case 'M': return XK_Return;   /* SS3 M: the keypad's Enter */
	default: return 0;
	}
}

/* SS3 j..y: the keypad in application mode, as the characters it types. */
static uint32_t
keypad_key(unsigned char f)
{
	static const char kp[] = "*+,-./0123456789";
	if (f >= 'j' && f <= 'y')
		return (uint32_t)kp[f - 'j'];
	return 0;
}

/* A control byte on its own: Ctrl and the key that types it. */
static void
control_key(unsigned char b, struct gfxin_ev *ev)
{
	ev->kind = GFXIN_KEY;
	ev->byte = b;
	ev->mods = GFXIN_CTRL;
	switch (b) {
	case 0x00: ev->keysym = ' '; break;
	case 0x08: /* what many terminals send for Backspace */
	case 0x7f: ev->keysym = XK_BackSpace; ev->mods = 0; break;
	case 0x09: ev->keysym = XK_Tab; ev->mods = 0; break;
	case 0x0d: ev->keysym = XK_Return; ev->mods = 0; break;
	case 0x1c: ev->keysym = '\\'; break;
	case 0x1d: ev->keysym = ']'; break;
	case 0x1e: ev->keysym = '^'; break;
	case 0x1f: ev->keysym = '-'; break;
	default: ev->keysym = (uint32_t)('a' + b - 1); break;
	}
}

/* xterm's modifier parameter (2 Shift, 3 Alt, 5 Ctrl, ...; 9+ Meta). */
static unsigned
mods_of(long m)
{
	unsigned bits, mods = 0;

	if (m < 2 || m > 16)
		return 0;
	bits = (unsigned)(m - 1);
	if (bits & 1)
		mods |= GFXIN_SHIFT;
	if (bits & (2 | 8))
		mods |= GFXIN_ALT;
	if (bits & 4)
		mods |= GFXIN_CTRL;
	return mods;
}

/* ---- the decoder ---- */

/* UTF-8 text from buf: the keysym of its first character. */
static size_t
utf8_key(const unsigned char *buf, size_t n, bool final, struct gfxin_ev *ev)
{
	unsigned char b = buf[0];
	size_t len = b >= 0xf0 && b < 0xf8 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 ? 2 : 0;
	uint32_t cp;
	size_t i;

	if (len == 0 || b >= 0xf8)
		return 1; /* a stray continuation byte or an invalid lead: dropped */
	if (n < len)
		return final ? n : 0;
	cp = b & (0x7f >> len);
	for (i = 1; i < len; i++) {
		if ((buf[i] & 0xc0) != 0x80)
			return i; /* broken: drop what was read */
		cp = cp << 6 | (buf[i] & 0x3f);
	}
	ev->kind = GFXIN_KEY;
	ev->keysym = cp <= 0xff ? cp : 0x01000000u | cp;
	return len;
}

/* SGR mouse: CSI < b ; x ; y M|m, params already split. */
static void
sgr_mouse(const long *p, int np, unsigned char fin, struct gfxin_ev *ev)
{
	long b;

	if (np != 3 || p[1] < 1 || p[2] < 1)
		return;
	b = p[0];
	ev->kind = GFXIN_MOUSE;
	ev->col = (int)(p[1] - 1);
	ev->row = (int)(p[2] - 1);
	ev->mods = (b & 4 ? GFXIN_SHIFT : 0) | (b & 8 ? GFXIN_ALT : 0) | (b & 16 ? GFXIN_CTRL : 0);
	ev->motion = (b & 32) != 0;
	ev->press = fin == 'M';
	if (b & 64)
		ev->button = 3 + (int)(b & 1);
	else if ((b & 3) == 3)
		ev->button = GFXIN_NO_BUTTON;
	else
		ev->button = (int)(b & 3);
}

/* A CSI (ESC [) or SS3 (ESC O) sequence at buf (after the ESC and its
 * introducer, which are `intro` bytes). */
static size_t
sequence(const unsigned char *buf, size_t n, size_t intro, bool ss3, struct gfxin_ev *ev)
{
	long p[8] = { 0 };
	int np = 0;
	bool lt = false, have = false;
	size_t i = intro;
	unsigned char fin;

	if (!ss3 && i < n && buf[i] == '[') { /* the Linux console's F1..F5: ESC [ [ A..E */
		if (i + 1 >= n)
			return 0;
		if (buf[i + 1] >= 'A' && buf[i + 1] <= 'E') {
			ev->kind = GFXIN_KEY;
			ev->keysym = XK_F1 + (uint32_t)(buf[i + 1] - 'A');
		}
		return i + 2;
	}
	if (!ss3 && i < n && buf[i] == '<') {
		lt = true;
		i++;
	}
	for (; i < n; i++) {
		unsigned char c = buf[i];
		if (c >= '0' && c <= '9') {
			if (np < 8 && p[np] < 100000)
				p[np] = p[np] * 10 + (c - '0');
			have = true;
		} else if (c == ';') {
			if (np < 7)
				np++;
		} else if (c >= 0x20 && c <= 0x3f) {
			continue; /* other parameter or intermediate bytes: ignored */
		} else {
			break;
		}
	}
	if (i >= n)
		return 0;
	fin = buf[i];
	if (fin < 0x40 || fin > 0x7e)
		return i; /* not a sequence after all: drop up to that byte */
	np = have || np > 0 ? np + 1 : 0;
	if (lt) {
		if (fin == 'M' || fin == 'm')
			sgr_mouse(p, np, fin, ev);
		return i + 1;
	}
	if (ss3) {
		uint32_t k = letter_key(fin);
		if (k == 0)
			k = keypad_key(fin);
		if (k != 0) {
			ev->kind = GFXIN_KEY;
			ev->keysym = k;
			ev->mods = np >= 1 ? mods_of(p[np - 1]) : 0;
		}
		return i + 1;
	}
	if (fin == '~') {
		size_t t;
		for (t = 0; t < sizeof tilde_keys / sizeof tilde_keys[0]; t++)
			if (np >= 1 && tilde_keys[t].n == p[0]) {
				ev->kind = GFXIN_KEY;
				ev->keysym = tilde_keys[t].sym;
				ev->mods = np >= 2 ? mods_of(p[1]) : 0;
			}
		return i + 1;
	}
	if (fin == 'Z') { /* back tab */
		ev->kind = GFXIN_KEY;
		ev->keysym = XK_Tab;
		ev->mods = GFXIN_SHIFT;
		return i + 1;
	}
	if (fin != 'M' && letter_key(fin) != 0) {
		ev->kind = GFXIN_KEY;
		ev->keysym = letter_key(fin);
		ev->mods = np >= 2 ? mods_of(p[1]) : 0;
	}
	return i + 1;
}

size_t
gfxin_decode(const unsigned char *buf, size_t n, bool final, struct gfxin_ev *ev)
{
	size_t used;

	memset(ev, 0, sizeof *ev);
	ev->button = GFXIN_NO_BUTTON;
	if (n == 0)
		return 0;
	if (buf[0] != ESC) {
		if (buf[0] < 0x20 || buf[0] == 0x7f) {
			control_key(buf[0], ev);
			return 1;
		}
		if (buf[0] < 0x80) {
			ev->kind = GFXIN_KEY;
			ev->keysym = buf[0];
			return 1;
		}
		return utf8_key(buf, n, final, ev);
	}
	/* ESC: a lone Escape, a sequence, or Alt and the key after it. */
	if (n == 1) {
		if (!final)
			return 0;
		ev->kind = GFXIN_KEY;
		ev->keysym = XK_Escape;
		ev->byte = ESC;
		return 1;
	}
	if (buf[1] == '[' || buf[1] == 'O') {
		used = sequence(buf, n, 2, buf[1] == 'O', ev);
		if (used > 0)
			return used;
		if (!final)
			return 0;
		/* cut short: Alt and the introducer */
		memset(ev, 0, sizeof *ev);
		ev->button = GFXIN_NO_BUTTON;
		ev->kind = GFXIN_KEY;
		ev->keysym = buf[1];
		ev->mods = GFXIN_ALT;
		return 2;
	}
	if (buf[1] == ESC && n >= 3 && (buf[2] == '[' || buf[2] == 'O')) {
		/* ESC ESC [ A: Alt and a key (rxvt) */
		used = sequence(buf + 1, n - 1, 2, buf[2] == 'O', ev);
		if (used == 0 && !final)
			return 0;
		if (used > 0) {
			if (ev->kind == GFXIN_KEY)
				ev->mods |= GFXIN_ALT;
			return used + 1;
		}
	}
	used = gfxin_decode(buf + 1, n - 1, final, ev);
	if (used == 0)
		return 0;
	if (ev->kind == GFXIN_KEY) {
		ev->mods |= GFXIN_ALT;
		ev->byte = 0; /* Alt+^] is not the escape byte */
	}
	return used + 1;
}

/* ---- to key events ---- */

static const struct {
	unsigned bit;
	uint32_t sym;
} modkeys[] = {
	{ GFXIN_CTRL, XK_Control_L },
	{ GFXIN_ALT, XK_Alt_L },
	{ GFXIN_SHIFT, XK_Shift_L },
};

size_t
gfxin_key_events(const struct gfxin_ev *ev, struct gfx_keyev out[GFXIN_KEYEV_MAX])
{
	struct gfx_keyev *typed = NULL;
	size_t n = 0, ntyped = 0, i;
	unsigned mods;
	char s[2];

	if (ev->kind != GFXIN_KEY || ev->keysym == 0)
		return 0;
	mods = ev->mods;
	/* Printable ASCII: Shift where a US keyboard needs it, as typing does. */
	if (ev->keysym >= 0x20 && ev->keysym < 0x7f) {
		s[0] = (char)ev->keysym;
		s[1] = '\0';
		if (gfx_text_keys(s, &typed, &ntyped, NULL) < 0 || ntyped > 4)
			ntyped = 0;
		for (i = 0; i < ntyped; i++)
			if (typed[i].keysym == XK_Shift_L)
				mods &= ~(unsigned)GFXIN_SHIFT; /* pressed by the text's keys */
	}
	for (i = 0; i < 3; i++)
		if (mods & modkeys[i].bit)
			out[n++] = (struct gfx_keyev){ modkeys[i].sym, true };
	if (ntyped > 0) {
		for (i = 0; i < ntyped; i++)
			out[n++] = typed[i];
	} else {
		out[n++] = (struct gfx_keyev){ ev->keysym, true };
		out[n++] = (struct gfx_keyev){ ev->keysym, false };
	}
	for (i = 3; i-- > 0;)
		if (mods & modkeys[i].bit)
			out[n++] = (struct gfx_keyev){ modkeys[i].sym, false };
	free(typed);
	return n;
}

unsigned
gfxin_buttons(unsigned held, const struct gfxin_ev *ev, unsigned *wheel)
{
	*wheel = 0;
	if (ev->kind != GFXIN_MOUSE)
		return held;
	if (ev->button == 3 || ev->button == 4) {
		if (ev->press && !ev->motion)
			*wheel = 1u << ev->button;
		return held;
	}
	if (ev->button < 0 || ev->motion)
		return held; /* a move: the buttons as they were */
	if (ev->press)
		return held | 1u << ev->button;
	return held & ~(1u << ev->button);
}

/* ---- names ---- */

static const struct {
	uint32_t sym;
	const char *name;
} names[] = {
	{ XK_BackSpace, "BackSpace" }, { XK_Tab, "Tab" }, { XK_Return, "Return" },
	{ XK_Escape, "Escape" }, { XK_Home, "Home" }, { XK_End, "End" }, { XK_Left, "Left" },
	{ XK_Up, "Up" }, { XK_Right, "Right" }, { XK_Down, "Down" }, { XK_Prior, "PgUp" },
	{ XK_Next, "PgDn" }, { XK_Insert, "Insert" }, { XK_Delete, "Delete" }, { ' ', "Space" },
};

const char *
gfxin_key_name(const struct gfxin_ev *ev, char *buf, size_t size)
{
	char key[16];
	size_t i;

	if (ev->kind == GFXIN_MOUSE) {
		snprintf(buf, size, "mouse %d at %d,%d", ev->button, ev->row, ev->col);
		return buf;
	}
	if (ev->kind != GFXIN_KEY) {
		snprintf(buf, size, "nothing");
		return buf;
	}
	if (ev->keysym >= XK_F1 && ev->keysym <= XK_F12) {
		snprintf(key, sizeof key, "F%u", (unsigned)(ev->keysym - XK_F1 + 1));
	} else if (ev->keysym > 0x20 && ev->keysym < 0x7f) {
		snprintf(key, sizeof key, "%c", (char)ev->keysym);
	} else {
		snprintf(key, sizeof key, "0x%x", (unsigned)ev->keysym);
		for (i = 0; i < sizeof names / sizeof names[0]; i++)
			if (names[i].sym == ev->keysym)
				snprintf(key, sizeof key, "%s", names[i].name);
	}
	snprintf(buf, size, "%s%s%s%s", ev->mods & GFXIN_CTRL ? "Ctrl+" : "",
	         ev->mods & GFXIN_ALT ? "Alt+" : "", ev->mods & GFXIN_SHIFT ? "Shift+" : "", key);
	return buf;
}
