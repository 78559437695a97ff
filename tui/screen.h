/* screen.h — owning the terminal: curses set-up and tear-down, colour
 * meanings, and putting the terminal back on every way out, crashes
 * included. */
#ifndef VMTUI_SCREEN_H
#define VMTUI_SCREEN_H

#include <stdbool.h>
#include <signal.h>

#include "graph.h"

/* What a colour means; the theme maps each to a colour pair + attributes. */
enum color {
	C_NORMAL,
	C_TITLE,
	C_HEADER,
	C_COLUMNS,
	C_FOOTER,
	C_KEY,
	C_SELECTION,
	C_RUNNING,
	C_PAUSED,
	C_OFF,
	C_CRASHED,
	C_GRAPH_CPU,
	C_GRAPH_MEM,
	C_GRAPH_DISK,
	C_GRAPH_NET,
	C_AXIS,
	C_WARNING,
	C_ERROR,
	C_DIM,
	C_DIALOG,
	C_COUNT
};

/* Set by signal handlers; the loop acts on them. */
extern volatile sig_atomic_t screen_got_quit_signal;
extern volatile sig_atomic_t screen_got_winch;

/* Handlers for the fatal signals (SEGV, BUS, ILL, FPE, ABRT on any
 * thread: restore_fn puts the terminal back, then the signal goes on to
 * the handler that was there before, ASan's or the default), the quit
 * signals (TERM, HUP, INT, QUIT) and, unless NULL, SIGWINCH; SIGPIPE
 * ignored. restore_fn runs in a signal handler: async-signal-safe calls
 * only. screen_init installs its own; a pass-through without curses uses
 * this with its own. */
void screen_signals(void (*restore_fn)(void), void (*quit_fn)(int), void (*winch_fn)(int));

int screen_init(bool want_color);
/* Why the terminal on stdout cannot show the screen (TERM unset, unknown,
 * or a type that cannot place the cursor, such as "dumb"), as a sentence
 * for "vmtui: ..."; NULL when it can. Before screen_init. */
const char *screen_unusable(void);
void screen_end(void);
/* Restore the tty without curses (safe in atexit and fatal paths). */
void screen_emergency_restore(void);
/* Re-read the window size after SIGWINCH and tell curses. */
void screen_resize(void);
bool screen_utf8(void);
/* Attributes for a meaning under the current theme. */
int screen_attr(enum color c);
/* Whether colours are on (a colour terminal, NO_COLOR unset...). */
bool screen_color(void);
/* Colours the theme is brought down to: 256, 16, 8, or 0 without colour. */
int screen_ncolors(void);
/* Put a theme in force (now, if the screen is up; else at screen_init). */
struct theme;
void screen_set_theme(const struct theme *t);
/* Name of the theme in force. */
const char *screen_theme_name(void);
/* Pick the best graph mode the terminal supports. */
enum graph_mode screen_graph_mode(void);

#endif
