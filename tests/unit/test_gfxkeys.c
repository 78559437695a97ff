/* test_gfxkeys.c — tui/gfxinput.h: what a terminal sends, as the X11
 * keysyms (with down/up events and modifiers) and pointer events a
 * guest's graphical screen takes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <rfb/keysym.h>

#include "tui/gfxinput.h"

/* Decode all of s (final: nothing more comes) into one event; the bytes
 * used must be all of them. */
static struct gfxin_ev
one(const char *s)
{
	struct gfxin_ev ev;
	size_t n = strlen(s), used = gfxin_decode((const unsigned char *)s, n, true, &ev);

	assert_int_equal(used, n);
	return ev;
}

static void
key_is(const char *s, uint32_t sym, unsigned mods)
{
	struct gfxin_ev ev = one(s);

	if (ev.kind != GFXIN_KEY || ev.keysym != sym || ev.mods != mods)
		fail_msg("\"%s\": kind %d keysym 0x%x mods %u, want 0x%x mods %u", s, ev.kind,
		         (unsigned)ev.keysym, ev.mods, (unsigned)sym, mods);
}

/* The table: every key the view promises, as xterm/VTE/tmux send it. */
static void
test_table(void **state)
{
	static const struct {
		const char *in;
		uint32_t sym;
		unsigned mods;
	} t[] = {
		{ "a", 'a', 0 }, { "Z", 'Z', 0 }, { "!", '!', 0 }, { " ", ' ', 0 },
		{ "\r", XK_Return, 0 }, { "\t", XK_Tab, 0 }, { "\x7f", XK_BackSpace, 0 },
		{ "\x08", XK_BackSpace, 0 }, { "\x1b", XK_Escape, 0 },
		{ "\x01", 'a', GFXIN_CTRL }, { "\x03", 'c', GFXIN_CTRL }, { "\x1a", 'z', GFXIN_CTRL },
		{ "\x00", ' ', GFXIN_CTRL }, { "\x1c", '\\', GFXIN_CTRL },
		{ "\x1d", ']', GFXIN_CTRL },
		{ "\x1bx", 'x', GFXIN_ALT }, { "\x1b\x18", 'x', GFXIN_CTRL | GFXIN_ALT },
		{ "\x1b\x1b", XK_Escape, GFXIN_ALT },
		{ "\x1b[A", XK_Up, 0 }, { "\x1b[B", XK_Down, 0 }, { "\x1b[C", XK_Right, 0 },
		{ "\x1b[D", XK_Left, 0 }, { "\x1bOA", XK_Up, 0 }, { "\x1bOD", XK_Left, 0 },
		{ "\x1b[H", XK_Home, 0 }, { "\x1b[F", XK_End, 0 }, { "\x1bOH", XK_Home, 0 },
		{ "\x1b[1~", XK_Home, 0 }, { "\x1b[4~", XK_End, 0 }, { "\x1b[7~", XK_Home, 0 },
		{ "\x1b[2~", XK_Insert, 0 }, { "\x1b[3~", XK_Delete, 0 },
		{ "\x1b[5~", XK_Prior, 0 }, { "\x1b[6~", XK_Next, 0 },
		{ "\x1bOP", XK_F1, 0 }, { "\x1bOQ", XK_F2, 0 }, { "\x1bOR", XK_F3, 0 },
		{ "\x1bOS", XK_F4, 0 }, { "\x1b[15~", XK_F5, 0 }, { "\x1b[17~", XK_F6, 0 },
		{ "\x1b[18~", XK_F7, 0 }, { "\x1b[19~", XK_F8, 0 }, { "\x1b[20~", XK_F9, 0 },
		{ "\x1b[21~", XK_F10, 0 }, { "\x1b[23~", XK_F11, 0 }, { "\x1b[24~", XK_F12, 0 },
		{ "\x1b[11~", XK_F1, 0 }, { "\x1b[[A", XK_F1, 0 }, { "\x1b[[E", XK_F5, 0 },
		{ "\x1b[1;5A", XK_Up, GFXIN_CTRL }, { "\x1b[1;3D", XK_Left, GFXIN_ALT },
		{ "\x1b[1;2C", XK_Right, GFXIN_SHIFT },
		{ "\x1b[1;7B", XK_Down, GFXIN_CTRL | GFXIN_ALT },
		{ "\x1b[3;5~", XK_Delete, GFXIN_CTRL }, { "\x1b[5;2~", XK_Prior, GFXIN_SHIFT },
		{ "\x1b[1;5P", XK_F1, GFXIN_CTRL }, { "\x1b[15;3~", XK_F5, GFXIN_ALT },
		{ "\x1b[24;8~", XK_F12, GFXIN_CTRL | GFXIN_ALT | GFXIN_SHIFT },
		{ "\x1b[Z", XK_Tab, GFXIN_SHIFT }, { "\x1b\x1b[A", XK_Up, GFXIN_ALT },
		{ "\x1bOM", XK_Return, 0 }, { "\x1bOp", '0', 0 }, { "\x1bOk", '+', 0 },
		{ "\xc3\xa9", 0xe9, 0 },                /* é: Latin-1 keysym */
		{ "\xe2\x82\xac", 0x010020ac, 0 },      /* €: Unicode keysym */
		{ "\x1b\xc3\xa9", 0xe9, GFXIN_ALT },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		if (t[i].in[0] == '\0') { /* NUL: strlen cannot see it */
			struct gfxin_ev ev;
			const unsigned char nul = 0;
			assert_int_equal(gfxin_decode(&nul, 1, true, &ev), 1);
			assert_int_equal(ev.keysym, ' ');
			assert_int_equal(ev.mods, GFXIN_CTRL);
			continue;
		}
		key_is(t[i].in, t[i].sym, t[i].mods);
	}
}

/* The escape byte is told by .byte, and Alt before it makes it a key. */
static void
test_escape_byte(void **state)
{
	(void)state;
	assert_int_equal(one("\x1d").byte, 0x1d);
	assert_int_equal(one("\x18").byte, 0x18);
	assert_int_equal(one("\x1b\x1d").byte, 0);
	assert_int_equal(one("a").byte, 0);
	assert_int_equal(one("\x1b[A").byte, 0);
}

/* Incomplete sequences wait unless final; a stream of several decodes in
 * order. */
static void
test_partial(void **state)
{
	const unsigned char *s = (const unsigned char *)"\x1b[1;5Aab\x1b[3~";
	struct gfxin_ev ev;
	size_t n = strlen((const char *)s), off = 0, used, count = 0;
	uint32_t want[] = { XK_Up, 'a', 'b', XK_Delete };

	(void)state;
	assert_int_equal(gfxin_decode((const unsigned char *)"\x1b", 1, false, &ev), 0);
	assert_int_equal(gfxin_decode((const unsigned char *)"\x1b[", 2, false, &ev), 0);
	assert_int_equal(gfxin_decode((const unsigned char *)"\x1b[1;5", 5, false, &ev), 0);
	assert_int_equal(gfxin_decode((const unsigned char *)"\xe2\x82", 2, false, &ev), 0);
	/* final: ESC [ cut short is Alt+[ */
	assert_int_equal(gfxin_decode((const unsigned char *)"\x1b[", 2, true, &ev), 2);
	assert_int_equal(ev.keysym, '[');
	assert_int_equal(ev.mods, GFXIN_ALT);
	while (off < n && (used = gfxin_decode(s + off, n - off, false, &ev)) > 0) {
		assert_true(count < 4);
		assert_int_equal(ev.keysym, want[count]);
		count++;
		off += used;
	}
	assert_int_equal(count, 4);
	assert_int_equal(off, n);
}

/* Unknown sequences are eaten whole and mean nothing. */
static void
test_unknown(void **state)
{
	struct gfxin_ev ev;

	(void)state;
	assert_int_equal(gfxin_decode((const unsigned char *)"\x1b[99~x", 6, true, &ev), 5);
	assert_int_equal(ev.kind, GFXIN_NONE);
	assert_int_equal(gfxin_decode((const unsigned char *)"\x1b[?1;2c", 7, true, &ev), 7);
	assert_int_equal(ev.kind, GFXIN_NONE);
	assert_int_equal(gfxin_decode((const unsigned char *)"\x80", 1, true, &ev), 1);
	assert_int_equal(ev.kind, GFXIN_NONE);
}

/* Down/up events: modifiers around the key, Shift where US keys need it. */
static void
test_key_events(void **state)
{
	struct gfx_keyev kv[GFXIN_KEYEV_MAX];
	struct gfxin_ev ev;
	size_t n;

	(void)state;
	ev = one("\x03"); /* Ctrl+C */
	n = gfxin_key_events(&ev, kv);
	assert_int_equal(n, 4);
	assert_int_equal(kv[0].keysym, XK_Control_L);
	assert_true(kv[0].down);
	assert_int_equal(kv[1].keysym, 'c');
	assert_true(kv[1].down);
	assert_int_equal(kv[2].keysym, 'c');
	assert_false(kv[2].down);
	assert_int_equal(kv[3].keysym, XK_Control_L);
	assert_false(kv[3].down);

	ev = one("A"); /* Shift from the US layout */
	n = gfxin_key_events(&ev, kv);
	assert_int_equal(n, 4);
	assert_int_equal(kv[0].keysym, XK_Shift_L);
	assert_int_equal(kv[1].keysym, 'A');
	assert_int_equal(kv[3].keysym, XK_Shift_L);
	assert_false(kv[3].down);

	ev = one("\x1b[1;7B"); /* Ctrl+Alt+Down: released in reverse */
	n = gfxin_key_events(&ev, kv);
	assert_int_equal(n, 6);
	assert_int_equal(kv[0].keysym, XK_Control_L);
	assert_int_equal(kv[1].keysym, XK_Alt_L);
	assert_int_equal(kv[2].keysym, XK_Down);
	assert_int_equal(kv[4].keysym, XK_Alt_L);
	assert_int_equal(kv[5].keysym, XK_Control_L);
	assert_false(kv[5].down);

	ev = one("\x1b[Z"); /* Shift+Tab */
	n = gfxin_key_events(&ev, kv);
	assert_int_equal(n, 4);
	assert_int_equal(kv[0].keysym, XK_Shift_L);
	assert_int_equal(kv[1].keysym, XK_Tab);

	ev = one("\x1b[3~");
	assert_int_equal(gfxin_key_events(&ev, kv), 2);
	assert_int_equal(kv[0].keysym, XK_Delete);

	ev = one("\x1b[99~");
	assert_int_equal(gfxin_key_events(&ev, kv), 0);
}

/* SGR mouse reports: buttons, drags, wheel, release, modifiers. */
static void
test_mouse(void **state)
{
	struct gfxin_ev ev;
	unsigned held = 0, wheel;

	(void)state;
	ev = one("\x1b[<0;10;5M");
	assert_int_equal(ev.kind, GFXIN_MOUSE);
	assert_int_equal(ev.col, 9);
	assert_int_equal(ev.row, 4);
	assert_int_equal(ev.button, 0);
	assert_true(ev.press);
	assert_false(ev.motion);
	held = gfxin_buttons(held, &ev, &wheel);
	assert_int_equal(held, 1);
	assert_int_equal(wheel, 0);

	ev = one("\x1b[<32;12;6M"); /* drag with the left button */
	assert_true(ev.motion);
	held = gfxin_buttons(held, &ev, &wheel);
	assert_int_equal(held, 1);

	ev = one("\x1b[<2;1;1M"); /* right too */
	held = gfxin_buttons(held, &ev, &wheel);
	assert_int_equal(held, 5);

	ev = one("\x1b[<0;12;6m"); /* left released */
	assert_false(ev.press);
	held = gfxin_buttons(held, &ev, &wheel);
	assert_int_equal(held, 4);

	ev = one("\x1b[<64;3;3M"); /* wheel up: a press of bit 3, once */
	assert_int_equal(ev.button, 3);
	held = gfxin_buttons(held, &ev, &wheel);
	assert_int_equal(held, 4);
	assert_int_equal(wheel, 8);
	ev = one("\x1b[<65;3;3M");
	gfxin_buttons(held, &ev, &wheel);
	assert_int_equal(wheel, 16);

	ev = one("\x1b[<35;7;8M"); /* a move with no button */
	assert_int_equal(ev.button, GFXIN_NO_BUTTON);
	assert_int_equal(gfxin_buttons(held, &ev, &wheel), held);

	ev = one("\x1b[<16;2;2M"); /* Ctrl+click */
	assert_int_equal(ev.mods, GFXIN_CTRL);

	ev = one("\x1b[<0;0;5M"); /* column 0 does not exist */
	assert_int_equal(ev.kind, GFXIN_NONE);
}

static void
test_names(void **state)
{
	char b[48];
	struct gfxin_ev ev;

	(void)state;
	ev = one("\x1b[1;7P");
	assert_string_equal(gfxin_key_name(&ev, b, sizeof b), "Ctrl+Alt+F1");
	ev = one("\x1b[Z");
	assert_string_equal(gfxin_key_name(&ev, b, sizeof b), "Shift+Tab");
	ev = one("x");
	assert_string_equal(gfxin_key_name(&ev, b, sizeof b), "x");
}

/* Every prefix of every byte string decodes without reading past it. */
static void
test_no_overread(void **state)
{
	static const char *const s[] = { "\x1b[<0;10;5M", "\x1b[24;8~", "\xf0\x9f\x98\x80",
		                         "\x1b\x1b[A", "\x1b[[A", "\x1bOp" };
	struct gfxin_ev ev;
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof s / sizeof s[0]; i++) {
		size_t n = strlen(s[i]);
		for (k = 1; k <= n; k++) {
			unsigned char *b = malloc(k); /* exactly k bytes: ASan sees overreads */
			memcpy(b, s[i], k);
			assert_true(gfxin_decode(b, k, false, &ev) <= k);
			assert_true(gfxin_decode(b, k, true, &ev) >= 1);
			free(b);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),     cmocka_unit_test(test_escape_byte),
		cmocka_unit_test(test_partial),   cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_key_events), cmocka_unit_test(test_mouse),
		cmocka_unit_test(test_names),     cmocka_unit_test(test_no_overread),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
