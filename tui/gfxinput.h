/* gfxinput.h — what a terminal sends (keys, Ctrl/Alt combinations,
 * function keys, SGR mouse reports) as the X11 keysyms and pointer events
 * a guest's graphical screen takes. Pure: bytes in, events out, no
 * terminal and no session (the screen's loop is tui/gfxterm.c).
 *
 * The terminal is read raw (no curses): the bytes are those xterm, VTE,
 * kitty, tmux and the Linux console send — CSI and SS3 sequences with
 * xterm's modifier parameter (1 + Shift 1, Alt 2, Ctrl 4), ESC before a
 * key for Alt, control bytes for Ctrl+letter, UTF-8 text, and SGR mouse
 * reports (mode 1006). */
#ifndef VMTUI_GFXINPUT_H
#define VMTUI_GFXINPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../model/guest/gfx.h"

enum {
	GFXIN_SHIFT = 1,
	GFXIN_ALT = 2,
	GFXIN_CTRL = 4,
};

enum gfxin_kind {
	GFXIN_NONE,   /* bytes that mean nothing to the guest (an unknown sequence) */
	GFXIN_KEY,
	GFXIN_MOUSE,
};

/* Mouse buttons as reported: 0 left, 1 middle, 2 right, 3 wheel up, 4
 * wheel down; GFXIN_NO_BUTTON: motion with no button held. */
#define GFXIN_NO_BUTTON (-1)

struct gfxin_ev {
	enum gfxin_kind kind;
	/* GFXIN_KEY: an X11 keysym (printable ASCII is its own keysym: 'a',
	 * 'A', '!'; other text 0x01000000 + its code point, Latin-1 as
	 * itself) and the modifiers held (GFXIN_*). */
	uint32_t keysym;
	unsigned mods;
	/* The one byte the key came as when it is a control byte (< 0x20 or
	 * 0x7f) on its own, else 0: how the escape byte (^]) is recognised. */
	unsigned char byte;
	/* GFXIN_MOUSE: the cell (0-based), the button, press (or motion)
	 * rather than release, and motion (a drag, or a move). */
	int row, col;
	int button;
	bool press, motion;
};

/* Decode the first event of buf[0..n). Returns the bytes it used; 0 when
 * buf holds only the start of a sequence (wait for more). With final
 * true (nothing more came in time) an incomplete start is taken as it
 * is: a lone ESC is the Escape key, ESC and a key is Alt and that key.
 * Never reads past n; n > 0 with final always uses at least a byte. */
size_t gfxin_decode(const unsigned char *buf, size_t n, bool final, struct gfxin_ev *ev);

/* The key events of a decoded key: the modifiers pressed, the key pressed
 * and released (Shift around it where a US keyboard needs it: 'A', '!'),
 * the modifiers released in reverse. Returns the count (at most
 * GFXIN_KEYEV_MAX); 0 for anything that is not a key. */
#define GFXIN_KEYEV_MAX 10
size_t gfxin_key_events(const struct gfxin_ev *ev, struct gfx_keyev out[GFXIN_KEYEV_MAX]);

/* The button mask gfx_pointer takes after a mouse report, from the mask
 * before it (bits 0 left, 1 middle, 2 right held; the wheel's bits 3 and 4
 * are a press in *wheel, to be sent and released at once). */
unsigned gfxin_buttons(unsigned held, const struct gfxin_ev *ev, unsigned *wheel);

/* A key for the status line and tests: "Ctrl+Alt+F1", "Shift+Tab", "a". */
const char *gfxin_key_name(const struct gfxin_ev *ev, char *buf, size_t size);

#endif
