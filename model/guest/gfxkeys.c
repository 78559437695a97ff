/* gfxkeys.c — the pure parts of gfx.h: rectangles, keysyms to Linux key
 * codes, text and combos to key events, the PPM decoder, the domain XML's
 * <graphics>. No libvirt connection, no threads: unit-tested and fuzzed. */
#include "gfx.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "../base/xmalloc.h"
#include "../defs/xpath.h"

/* ---- rectangles ---- */

void
gfx_rect_merge(struct gfx_rect *a, const struct gfx_rect *b)
{
	int x1, y1, x2, y2;

	if (b->w <= 0 || b->h <= 0)
		return;
	if (a->w <= 0 || a->h <= 0) {
		*a = *b;
		return;
	}
	x1 = a->x < b->x ? a->x : b->x;
	y1 = a->y < b->y ? a->y : b->y;
	x2 = a->x + a->w > b->x + b->w ? a->x + a->w : b->x + b->w;
	y2 = a->y + a->h > b->y + b->h ? a->y + a->h : b->y + b->h;
	*a = (struct gfx_rect){ x1, y1, x2 - x1, y2 - y1 };
}

void
gfx_rect_clamp(struct gfx_rect *r, int width, int height)
{
	int x2 = r->x + r->w, y2 = r->y + r->h;

	if (r->x < 0)
		r->x = 0;
	if (r->y < 0)
		r->y = 0;
	if (x2 > width)
		x2 = width;
	if (y2 > height)
		y2 = height;
	if (x2 <= r->x || y2 <= r->y) {
		*r = (struct gfx_rect){ 0, 0, 0, 0 };
		return;
	}
	r->w = x2 - r->x;
	r->h = y2 - r->y;
}

/* ---- keys ---- */

/* Linux input codes (linux/input-event-codes.h), spelt here so the table
 * reads without that header. */
enum {
	K_ESC = 1, K_1 = 2, K_0 = 11, K_MINUS = 12, K_EQUAL = 13, K_BACKSPACE = 14,
	K_TAB = 15, K_Q = 16, K_W, K_E, K_R, K_T, K_Y, K_U, K_I, K_O, K_P,
	K_LEFTBRACE = 26, K_RIGHTBRACE = 27, K_ENTER = 28, K_LEFTCTRL = 29,
	K_A = 30, K_S, K_D, K_F, K_G, K_H, K_J, K_K, K_L, K_SEMICOLON = 39,
	K_APOSTROPHE = 40, K_GRAVE = 41, K_LEFTSHIFT = 42, K_BACKSLASH = 43,
	K_Z = 44, K_X, K_C, K_V, K_B, K_N, K_M, K_COMMA = 51, K_DOT = 52,
	K_SLASH = 53, K_RIGHTSHIFT = 54, K_KPASTERISK = 55, K_LEFTALT = 56,
	K_SPACE = 57, K_CAPSLOCK = 58, K_F1 = 59, K_F10 = 68, K_NUMLOCK = 69,
	K_SCROLLLOCK = 70, K_KP7 = 71, K_KP8, K_KP9, K_KPMINUS, K_KP4, K_KP5, K_KP6,
	K_KPPLUS, K_KP1, K_KP2, K_KP3, K_KP0, K_KPDOT = 83, K_F11 = 87, K_F12 = 88,
	K_KPENTER = 96, K_RIGHTCTRL = 97, K_KPSLASH = 98, K_SYSRQ = 99,
	K_RIGHTALT = 100, K_HOME = 102, K_UP = 103, K_PAGEUP = 104, K_LEFT = 105,
	K_RIGHT = 106, K_END = 107, K_DOWN = 108, K_PAGEDOWN = 109, K_INSERT = 110,
	K_DELETE = 111, K_PAUSE = 119, K_LEFTMETA = 125, K_RIGHTMETA = 126,
	K_COMPOSE = 127,
};

/* X11 keysyms used here (X11/keysymdef.h). */
enum {
	XK_BackSpace = 0xff08, XK_Tab = 0xff09, XK_Return = 0xff0d, XK_Pause = 0xff13,
	XK_Scroll_Lock = 0xff14, XK_Sys_Req = 0xff15, XK_Escape = 0xff1b,
	XK_Home = 0xff50, XK_Left, XK_Up, XK_Right, XK_Down, XK_Prior, XK_Next, XK_End,
	XK_Print = 0xff61, XK_Insert = 0xff63, XK_Menu = 0xff67, XK_Num_Lock = 0xff7f,
	XK_KP_Enter = 0xff8d, XK_KP_Home = 0xff95, XK_KP_Left, XK_KP_Up, XK_KP_Right,
	XK_KP_Down, XK_KP_Prior, XK_KP_Next, XK_KP_End, XK_KP_Begin, XK_KP_Insert,
	XK_KP_Delete, XK_KP_Multiply = 0xffaa, XK_KP_Add = 0xffab,
	XK_KP_Subtract = 0xffad, XK_KP_Decimal = 0xffae, XK_KP_Divide = 0xffaf,
	XK_KP_0 = 0xffb0, XK_F1 = 0xffbe, XK_F12 = 0xffc9, XK_Shift_L = 0xffe1,
	XK_Shift_R, XK_Control_L, XK_Control_R, XK_Caps_Lock, XK_Meta_L = 0xffe7,
	XK_Meta_R, XK_Alt_L, XK_Alt_R, XK_Super_L, XK_Super_R, XK_Delete = 0xffff,
};

/* The US keyboard: each printable ASCII character, its key and whether
 * Shift makes it. */
struct uskey {
	char c;
	unsigned char code;
	bool shift;
};
static const struct uskey us[] = {
	{ ' ', K_SPACE, false }, { '!', K_1, true }, { '"', K_APOSTROPHE, true },
	{ '#', K_1 + 2, true }, { '$', K_1 + 3, true }, { '%', K_1 + 4, true },
	{ '&', K_1 + 6, true }, { '\'', K_APOSTROPHE, false }, { '(', K_1 + 8, true },
	{ ')', K_0, true }, { '*', K_1 + 7, true }, { '+', K_EQUAL, true },
	{ ',', K_COMMA, false }, { '-', K_MINUS, false }, { '.', K_DOT, false },
	{ '/', K_SLASH, false }, { ':', K_SEMICOLON, true }, { ';', K_SEMICOLON, false },
	{ '<', K_COMMA, true }, { '=', K_EQUAL, false }, { '>', K_DOT, true },
	{ '?', K_SLASH, true }, { '@', K_1 + 1, true }, { '[', K_LEFTBRACE, false },
	{ '\\', K_BACKSLASH, false }, { ']', K_RIGHTBRACE, false }, { '^', K_1 + 5, true },
	{ '_', K_MINUS, true }, { '`', K_GRAVE, false }, { '{', K_LEFTBRACE, true },
	{ '|', K_BACKSLASH, true }, { '}', K_RIGHTBRACE, true }, { '~', K_GRAVE, true },
};

static const unsigned char letters[26] = {
	K_A, K_B, K_C, K_D, K_E, K_F, K_G, K_H, K_I, K_J, K_K, K_L, K_M,
	K_N, K_O, K_P, K_Q, K_R, K_S, K_T, K_U, K_V, K_W, K_X, K_Y, K_Z,
};

static const struct { uint32_t sym; unsigned char code; } special[] = {
	{ XK_BackSpace, K_BACKSPACE }, { XK_Tab, K_TAB }, { XK_Return, K_ENTER },
	{ XK_Pause, K_PAUSE }, { XK_Scroll_Lock, K_SCROLLLOCK }, { XK_Sys_Req, K_SYSRQ },
	{ XK_Escape, K_ESC }, { XK_Home, K_HOME }, { XK_Left, K_LEFT }, { XK_Up, K_UP },
	{ XK_Right, K_RIGHT }, { XK_Down, K_DOWN }, { XK_Prior, K_PAGEUP },
	{ XK_Next, K_PAGEDOWN }, { XK_End, K_END }, { XK_Print, K_SYSRQ },
	{ XK_Insert, K_INSERT }, { XK_Menu, K_COMPOSE }, { XK_Num_Lock, K_NUMLOCK },
	{ XK_KP_Enter, K_KPENTER }, { XK_KP_Home, K_KP7 }, { XK_KP_Left, K_KP4 },
	{ XK_KP_Up, K_KP8 }, { XK_KP_Right, K_KP6 }, { XK_KP_Down, K_KP2 },
	{ XK_KP_Prior, K_KP9 }, { XK_KP_Next, K_KP3 }, { XK_KP_End, K_KP1 },
	{ XK_KP_Begin, K_KP5 }, { XK_KP_Insert, K_KP0 }, { XK_KP_Delete, K_KPDOT },
	{ XK_KP_Multiply, K_KPASTERISK }, { XK_KP_Add, K_KPPLUS },
	{ XK_KP_Subtract, K_KPMINUS }, { XK_KP_Decimal, K_KPDOT },
	{ XK_KP_Divide, K_KPSLASH }, { XK_Shift_L, K_LEFTSHIFT },
	{ XK_Shift_R, K_RIGHTSHIFT }, { XK_Control_L, K_LEFTCTRL },
	{ XK_Control_R, K_RIGHTCTRL }, { XK_Caps_Lock, K_CAPSLOCK },
	{ XK_Meta_L, K_LEFTALT }, { XK_Meta_R, K_RIGHTALT }, { XK_Alt_L, K_LEFTALT },
	{ XK_Alt_R, K_RIGHTALT }, { XK_Super_L, K_LEFTMETA }, { XK_Super_R, K_RIGHTMETA },
	{ XK_Delete, K_DELETE },
};

static const struct uskey *
us_key(uint32_t c)
{
	size_t i;

	for (i = 0; i < sizeof us / sizeof us[0]; i++)
		if ((unsigned char)us[i].c == c)
			return &us[i];
	return NULL;
}

int
gfx_keysym_linux(uint32_t sym)
{
	const struct uskey *k;
	size_t i;

	if (sym >= 'a' && sym <= 'z')
		return letters[sym - 'a'];
	if (sym >= 'A' && sym <= 'Z')
		return letters[sym - 'A'];
	if (sym >= '1' && sym <= '9')
		return K_1 + (int)(sym - '1');
	if (sym == '0')
		return K_0;
	if (sym >= XK_F1 && sym <= XK_F12)
		return sym - XK_F1 < 10 ? K_F1 + (int)(sym - XK_F1) : K_F11 + (int)(sym - XK_F1 - 10);
	if (sym >= XK_KP_0 && sym <= XK_KP_0 + 9) {
		static const unsigned char kp[10] = { K_KP0, K_KP1, K_KP2, K_KP3, K_KP4,
		                                      K_KP5, K_KP6, K_KP7, K_KP8, K_KP9 };
		return kp[sym - XK_KP_0];
	}
	if ((k = us_key(sym)) != NULL)
		return k->code;
	for (i = 0; i < sizeof special / sizeof special[0]; i++)
		if (special[i].sym == sym)
			return special[i].code;
	return -1;
}

/* Whether typing ASCII c on a US keyboard takes Shift; -1: not typeable. */
static int
needs_shift(uint32_t c)
{
	const struct uskey *k;

	if (c >= 'A' && c <= 'Z')
		return 1;
	if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
		return 0;
	k = us_key(c);
	return k ? k->shift : -1;
}

int
gfx_text_keys(const char *text, struct gfx_keyev **ev, size_t *n, uint32_t *bad)
{
	size_t len = strlen(text), i, k = 0;
	struct gfx_keyev *v = xcalloc(len * 4 + 1, sizeof *v);

	for (i = 0; i < len; i++) {
		uint32_t c = (unsigned char)text[i], sym = c;
		int sh;

		if (c == '\n' || c == '\r') {
			sym = XK_Return;
			sh = 0;
		} else if (c == '\t') {
			sym = XK_Tab;
			sh = 0;
		} else {
			sh = needs_shift(c);
		}
		if (sh < 0) {
			free(v);
			*ev = NULL;
			*n = 0;
			if (bad)
				*bad = c;
			return -1;
		}
		if (sh)
			v[k++] = (struct gfx_keyev){ XK_Shift_L, true };
		v[k++] = (struct gfx_keyev){ sym, true };
		v[k++] = (struct gfx_keyev){ sym, false };
		if (sh)
			v[k++] = (struct gfx_keyev){ XK_Shift_L, false };
	}
	*ev = v;
	*n = k;
	return 0;
}

const char *
gfx_combo_name(enum gfx_combo c)
{
	static const char *const fkeys[12] = {
		"Ctrl+Alt+F1", "Ctrl+Alt+F2", "Ctrl+Alt+F3", "Ctrl+Alt+F4",
		"Ctrl+Alt+F5", "Ctrl+Alt+F6", "Ctrl+Alt+F7", "Ctrl+Alt+F8",
		"Ctrl+Alt+F9", "Ctrl+Alt+F10", "Ctrl+Alt+F11", "Ctrl+Alt+F12",
	};

	if (c == GFX_CTRL_ALT_DEL)
		return "Ctrl+Alt+Del";
	if (c >= GFX_CTRL_ALT_F1 && c <= GFX_CTRL_ALT_F12)
		return fkeys[c - GFX_CTRL_ALT_F1];
	if (c == GFX_SYSRQ)
		return "Alt+SysRq";
	if (c == GFX_PRINT)
		return "Print";
	return "?";
}

size_t
gfx_combo_keys(enum gfx_combo c, struct gfx_keyev ev[8])
{
	uint32_t keys[3];
	size_t n = 0, i, k = 0;

	if (c == GFX_CTRL_ALT_DEL || (c >= GFX_CTRL_ALT_F1 && c <= GFX_CTRL_ALT_F12)) {
		keys[n++] = XK_Control_L;
		keys[n++] = XK_Alt_L;
		keys[n++] = c == GFX_CTRL_ALT_DEL ? (uint32_t)XK_Delete
		                                  : (uint32_t)XK_F1 + (uint32_t)(c - GFX_CTRL_ALT_F1);
	} else if (c == GFX_SYSRQ) {
		keys[n++] = XK_Alt_L;
		keys[n++] = XK_Sys_Req;
	} else if (c == GFX_PRINT) {
		keys[n++] = XK_Print;
	}
	for (i = 0; i < n; i++)
		ev[k++] = (struct gfx_keyev){ keys[i], true };
	for (i = n; i-- > 0;)
		ev[k++] = (struct gfx_keyev){ keys[i], false };
	return k;
}

/* ---- PPM ---- */

/* Skip whitespace and comments, then read a decimal number. -1: none. */
static long
ppm_number(const unsigned char *b, size_t n, size_t *pos)
{
	long v = 0;
	size_t p = *pos;
	bool any = false;

	for (;;) {
		while (p < n && isspace(b[p]))
			p++;
		if (p < n && b[p] == '#') {
			while (p < n && b[p] != '\n')
				p++;
			continue;
		}
		break;
	}
	while (p < n && b[p] >= '0' && b[p] <= '9') {
		v = v * 10 + (b[p] - '0');
		if (v > 1000000)
			return -1;
		any = true;
		p++;
	}
	*pos = p;
	return any ? v : -1;
}

int
gfx_ppm_decode(const void *buf, size_t n, uint32_t **px, int *width, int *height, char **err)
{
	const unsigned char *b = buf;
	size_t pos = 2, need, i, bps;
	long w, h, max;
	uint32_t *out;

	*px = NULL;
	if (n < 2 || b[0] != 'P' || b[1] != '6') {
		*err = xstrdup("not a binary PPM image (no P6 header)");
		return -1;
	}
	w = ppm_number(b, n, &pos);
	h = ppm_number(b, n, &pos);
	max = ppm_number(b, n, &pos);
	if (w <= 0 || h <= 0 || max <= 0 || max > 65535) {
		*err = xstrdup("a PPM header with a bad width, height or maximum value");
		return -1;
	}
	if (w > 16384 || h > 16384) {
		*err = xasprintf("a PPM image of %ldx%ld pixels, larger than 16384 a side", w, h);
		return -1;
	}
	if (pos >= n || !isspace(b[pos])) {
		*err = xstrdup("a PPM header not followed by a blank");
		return -1;
	}
	pos++;
	bps = max < 256 ? 1 : 2;
	need = (size_t)w * (size_t)h * 3 * bps;
	if (n - pos < need) {
		*err = xasprintf("a PPM image cut short (%zu of %zu pixel bytes)", n - pos, need);
		return -1;
	}
	out = xmalloc((size_t)w * (size_t)h * sizeof *out);
	b += pos;
	for (i = 0; i < (size_t)w * (size_t)h; i++) {
		unsigned rgb[3], k;
		for (k = 0; k < 3; k++) {
			unsigned v = bps == 1 ? b[0] : (unsigned)(b[0] << 8 | b[1]);
			b += bps;
			if (v > (unsigned)max)
				v = (unsigned)max;
			rgb[k] = max == 255 ? v : (unsigned)((v * 255u + (unsigned)max / 2) / (unsigned)max);
		}
		out[i] = rgb[0] << 16 | rgb[1] << 8 | rgb[2];
	}
	*px = out;
	*width = (int)w;
	*height = (int)h;
	return 0;
}

/* ---- the domain's <graphics> ---- */

int
gfx_display_parse(const char *xml, struct gfx_display *d)
{
	xmlDocPtr doc = xml_read_quiet(xml, "domain.xml");
	xmlXPathContextPtr ctx;
	char *port, *pw, *vnc;
	const char *g;

	memset(d, 0, sizeof *d);
	d->port = -1;
	if (doc == NULL)
		return -1;
	ctx = xmlXPathNewContext(doc);
	vnc = xpath_str(ctx, "string(/domain/devices/graphics[@type='vnc']/@type)");
	d->has_vnc = vnc != NULL;
	free(vnc);
	vnc = xpath_str(ctx, "string(/domain/devices/video/model[@type!='none']/@type)");
	d->video = vnc != NULL;
	free(vnc);
	g = d->has_vnc ? "/domain/devices/graphics[@type='vnc'][1]" : "/domain/devices/graphics[1]";
	{
		char *e = xasprintf("string(%s/@type)", g);
		d->type = xpath_str(ctx, e);
		free(e);
		e = xasprintf("string(%s/@port)", g);
		port = xpath_str(ctx, e);
		free(e);
		e = xasprintf("string(%s/@passwd)", g);
		pw = xpath_str(ctx, e);
		free(e);
		e = xasprintf("string(%s/listen[@type='socket']/@socket | %s/@socket)", g, g);
		d->socket = xpath_str(ctx, e);
		free(e);
		e = xasprintf("string(%s/listen[@type='address']/@address | %s/@listen)", g, g);
		d->listen = xpath_str(ctx, e);
		free(e);
	}
	if (port) {
		char *end;
		long p = strtol(port, &end, 10);
		if (*end == '\0' && p > 0 && p < 65536)
			d->port = (int)p;
	}
	d->password = pw != NULL;
	free(port);
	free(pw);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return 0;
}

void
gfx_display_free(struct gfx_display *d)
{
	free(d->type);
	free(d->listen);
	free(d->socket);
	memset(d, 0, sizeof *d);
	d->port = -1;
}
