/* gfxterm.h — a guest's graphical screen on the whole terminal, without
 * curses: the TUI's G key (views/gscreen.c, after app_suspend, as the
 * serial console's C does) and `vmtui screen` (tui/cli_screen.c) both run
 * it. The framebuffer (model/guest/gfx.h) is drawn by tui/gfx/'s renderer
 * in every row but the last, which is the status line: the guest's name,
 * its resolution, how input reaches it, the rendering mode, the zoom and
 * the escape key.
 *
 * Every key goes to the guest (tui/gfxinput.h maps the terminal's bytes to
 * X11 keysyms) except the escape byte (^] by default), a prefix: then q
 * (or the escape byte again) leaves, m opens the menu of what a terminal
 * cannot send (Ctrl+Alt+Del, Ctrl+Alt+F1..F12, SysRq, Print), t types a
 * line of text as keystrokes, z cycles the zoom (fit, 1:1, 2:1), the
 * arrows pan the zoomed picture, Esc goes back to the guest. The mouse
 * (SGR reports) is mapped from cells to guest pixels by the renderer's
 * placement.
 *
 * Curses is not running while this is: the terminal is the screen's
 * alone (the alternate screen, the cursor hidden, mouse reports on), so
 * images and curses' cells never overwrite each other. */
#ifndef VMTUI_GFXTERM_H
#define VMTUI_GFXTERM_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "../model/guest/gfx.h"

struct gfxterm_opts {
	const char *name;       /* the guest's, for the status line */
	unsigned char esc;      /* the escape byte; 0: ^] */
	bool readonly;          /* nothing is sent, and the status line says so */
	const char *protocol;   /* "kitty", "sixel", "iterm", "symbols", or NULL:
	                           ask the terminal (tui/gfx/detect.h) */
	unsigned symbols;       /* GFX_SYM_* beyond the half blocks (config.yaml's
	                           graphics_symbols: gfxterm_symbols) */
	int colors;             /* the terminal's colours (curses' COLORS, or
	                           from TERM); 0: 16 */
};

enum gfxterm_end {
	GT_ESCAPE,   /* the user left */
	GT_ENDED,    /* the session ended: *why says why */
	GT_SIGNAL,   /* *quit was set */
	GT_TTY,      /* the terminal went away */
};

/* Run the screen of g until one of the ends; standard input is already
 * raw. *why gets the session's reason with GT_ENDED (to free). The
 * terminal is left as it was found (main screen, cursor, no mouse). */
enum gfxterm_end gfxterm_run(struct gfx *g, const struct gfxterm_opts *o,
                             volatile sig_atomic_t *quit, volatile sig_atomic_t *winch,
                             char **why);

/* The bytes that put the terminal back (mouse reports off, cursor shown,
 * main screen): for a signal handler (write(2) them; async-signal-safe). */
const char *gfxterm_restore_seq(size_t *len);

/* Whether s names a rendering mode: kitty, sixel, iterm, symbols. */
bool gfxterm_protocol_valid(const char *s);

/* config.yaml's graphics_symbols: (enum cfg_gfx_symbols) as GFX_SYM_*. */
unsigned gfxterm_symbols(int cfg_symbols);

/* Colours to tell the renderer when curses is not there to ask: 256 for a
 * TERM naming 256 colours or truecolor, else 16. */
int gfxterm_colors_from_env(void);

#endif
