/* screen.c — terminal set-up, colours, restoration and signals.
 *
 * A crash on any thread puts the terminal back: the fatal signals run a
 * handler on the thread that crashed (model/base/threads.h keeps them
 * unblocked everywhere) that writes a reset sequence made at start-up and
 * restores the tty modes saved then, both async-signal-safe, and hands
 * the signal on to the handler that was there before: the default action
 * (a core dump, "killed by SIGSEGV"), or, in an ASan build, ASan's own,
 * which then prints its report on the normal screen. ASan also calls
 * __asan_on_error before any report of its own, signal or not; that puts
 * the terminal back first too. */
#include "screen.h"

#include <errno.h>
#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include <curses.h>
#include <term.h>

#include "../config/theme.h"
#include "../model/base/notify.h"
#include "../model/base/threads.h"
#include "../model/base/xmalloc.h"
#include "termout.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VMTUI_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define VMTUI_ASAN 1
#endif
#ifdef VMTUI_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif

volatile sig_atomic_t screen_got_quit_signal;
volatile sig_atomic_t screen_got_winch;

static struct termios saved_tio;
static bool have_tio;
static volatile sig_atomic_t active;
/* Bytes that undo what curses did, precomputed so the fatal-signal path
 * only needs write(2). */
static char restore_seq[256];
static size_t restore_len;
static int attrs[C_COUNT];

/* The theme in force (the built-in dark one until screen_set_theme). */
static struct theme theme;
static bool have_theme;

_Static_assert((int)C_COUNT == (int)TS_COUNT, "enum color and enum theme_slot differ");

/* Without colour, meanings still need to stand apart. */
static const int mono[C_COUNT] = {
	[C_TITLE] = A_BOLD,      [C_COLUMNS] = A_REVERSE, [C_KEY] = A_REVERSE,
	[C_SELECTION] = A_REVERSE, [C_RUNNING] = A_BOLD,  [C_PAUSED] = A_UNDERLINE,
	[C_OFF] = A_DIM,         [C_CRASHED] = A_BOLD | A_UNDERLINE,
	[C_AXIS] = A_DIM,        [C_WARNING] = A_BOLD,    [C_ERROR] = A_REVERSE | A_BOLD,
	[C_DIM] = A_DIM,         [C_DIALOG] = A_REVERSE,
};

static void
add_bytes(const char *s)
{
	size_t n = strlen(s);

	if (restore_len + n < sizeof restore_seq) {
		memcpy(restore_seq + restore_len, s, n);
		restore_len += n;
	}
}

static bool
cap_ok(const char *s)
{
	return s != NULL && s != (char *)-1;
}

static void
add_seq(const char *cap)
{
	char *s = tigetstr((char *)cap);

	if (cap_ok(s))
		add_bytes(s);
}

/* Mouse reports off, as curses turns them off in endwin: the terminal's
 * XM, else xterm's mode 1000 (with 1006 when keys come in SGR form). */
static void
add_mouse_off(void)
{
	char *km = tigetstr((char *)"kmous"), *xm = tigetstr((char *)"XM"), *s;

	if (!cap_ok(km))
		return;
	if (cap_ok(xm) && (s = tiparm(xm, 0)) != NULL)
		add_bytes(s);
	else if (strncmp(km, "\033[<", 3) == 0)
		add_bytes("\033[?1006;1000l");
	else if (strncmp(km, "\033[M", 3) == 0)
		add_bytes("\033[?1000l");
}

void
screen_emergency_restore(void)
{
	if (!active)
		return;
	active = 0;
	if (restore_len && write(STDOUT_FILENO, restore_seq, restore_len) < 0) {
		/* Nothing more can be done on a dead terminal. */
	}
	if (have_tio)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tio);
}

/* Puts the terminal back on a crash; the handlers that were there before
 * screen_signals, to hand each fatal signal on to. */
static void (*volatile fatal_restore)(void);
static struct sigaction fatal_prev[THREADS_NFATAL];
/* The UI thread's stack for the handler, should its own have overflowed. */
static char fatal_stack[64 * 1024];

/* A crash, on whichever thread: the terminal back, then the signal handed
 * on. Only async-signal-safe calls. A fault the kernel raised happens
 * again when the instruction is retried on return, now to the handler
 * before; a signal that was sent (kill, tgkill, abort) is raised again. */
static void
on_fatal(int sig, siginfo_t *si, void *uc)
{
	void (*restore)(void) = fatal_restore;
	int i, saved = errno;

	(void)uc;
	if (restore != NULL)
		restore();
	for (i = 0; i < THREADS_NFATAL && threads_fatal_signals[i] != sig; i++)
		;
	if (i < THREADS_NFATAL)
		sigaction(sig, &fatal_prev[i], NULL);
	else
		signal(sig, SIG_DFL);
	if (si == NULL || si->si_code <= 0)
		raise(sig);
	errno = saved;
}

#ifdef VMTUI_ASAN
/* ASan found an error (a bad access, a leak at exit...): the terminal
 * back before it prints the report. */
void
__asan_on_error(void)
{
	void (*restore)(void) = fatal_restore;

	if (restore != NULL)
		restore();
}
#endif

/* The handler's own stack for this thread, unless it has one (ASan's). */
static void
fatal_altstack(void)
{
	stack_t ss, cur;

	if (sigaltstack(NULL, &cur) < 0 || !(cur.ss_flags & SS_DISABLE))
		return;
	ss.ss_sp = fatal_stack;
	ss.ss_size = sizeof fatal_stack;
	ss.ss_flags = 0;
	sigaltstack(&ss, NULL);
}

/* on_fatal for every fatal signal; what was there before is kept (once:
 * a second call must not chain on_fatal to itself). */
static void
fatal_signals(void (*restore_fn)(void))
{
	struct sigaction sa, prev;
	int i;

	fatal_restore = restore_fn;
	fatal_altstack();
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_sigaction = on_fatal;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	for (i = 0; i < THREADS_NFATAL; i++) {
		if (sigaction(threads_fatal_signals[i], &sa, &prev) < 0)
			continue;
		if (!((prev.sa_flags & SA_SIGINFO) && prev.sa_sigaction == on_fatal))
			fatal_prev[i] = prev;
	}
#ifdef VMTUI_ASAN
	/* ASan dies without a signal too (halt_on_error): tty modes back. */
	__sanitizer_set_death_callback(restore_fn);
#endif
}

static void
on_quit(int sig)
{
	(void)sig;
	screen_got_quit_signal = 1;
	notify_post();
}

static void
on_winch(int sig)
{
	(void)sig;
	screen_got_winch = 1;
	notify_post();
}

void
screen_signals(void (*restore_fn)(void), void (*quit_fn)(int), void (*winch_fn)(int))
{
	struct sigaction sa;

	fatal_signals(restore_fn);
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = quit_fn;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
	if (winch_fn != NULL) {
		sa.sa_handler = winch_fn;
		sigaction(SIGWINCH, &sa, NULL);
	}
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

static bool color_on;

bool
screen_color(void)
{
	return color_on;
}

static int ncolors;

int
screen_ncolors(void)
{
	return color_on ? ncolors : 0;
}

static int
curses_attr(unsigned ta)
{
	int a = 0;

	a |= ta & TA_BOLD ? A_BOLD : 0;
	a |= ta & TA_DIM ? A_DIM : 0;
	a |= ta & TA_UNDERLINE ? A_UNDERLINE : 0;
	a |= ta & TA_REVERSE ? A_REVERSE : 0;
	a |= ta & TA_STANDOUT ? A_STANDOUT : 0;
#ifdef A_ITALIC
	a |= ta & TA_ITALIC ? A_ITALIC : 0;
#endif
	return a;
}

/* Colour pairs and attributes of every meaning from the theme, brought
 * down to the colours the terminal has; without colour, the mono table. */
static void
apply_theme(void)
{
	int i;

	for (i = 0; i < C_COUNT; i++)
		attrs[i] = mono[i];
	if (!color_on)
		return;
	if (!have_theme) {
		theme_default(&theme);
		have_theme = true;
	}
	for (i = 0; i < C_COUNT && i + 1 < COLOR_PAIRS; i++) {
		const struct theme_style *st = &theme.s[i];
		init_pair((short)(i + 1), (short)theme_color_index(&st->fg, ncolors),
		          (short)theme_color_index(&st->bg, ncolors));
		attrs[i] = (int)COLOR_PAIR(i + 1) | curses_attr(st->attr);
	}
	termout_colors_changed();
}

static void
init_colors(bool want_color)
{
	if (want_color && has_colors()) {
		start_color();
		use_default_colors();
		color_on = true;
		ncolors = COLORS >= 256 ? 256 : COLORS >= 16 ? 16 : 8;
	}
	apply_theme();
}

void
screen_set_theme(const struct theme *t)
{
	theme = *t;
	have_theme = true;
	if (active)
		apply_theme();
}

const char *
screen_theme_name(void)
{
	return have_theme ? theme.name : "dark";
}

/* Until a screen has been suspended (endwin) and resumed once, ncurses
 * flushes its output after every cursor movement: one write(2) per changed
 * stretch of a frame, 15 for a refresh of ten guests, each a wake-up of the
 * terminal (and a packet of its own over SSH). One suspend and resume before
 * anything is drawn ends that state; the alternate-screen switch is held back
 * meanwhile, so the terminal shows nothing of it. */
static void
leave_initial_state(void)
{
	char *enter = enter_ca_mode, *leave = exit_ca_mode;

	enter_ca_mode = NULL;
	exit_ca_mode = NULL;
	endwin();
	doupdate();
	enter_ca_mode = enter;
	exit_ca_mode = leave;
}

const char *
screen_unusable(void)
{
	static char why[256];
	const char *t = getenv("TERM");
	int err = 0;
	bool can;

	if (t == NULL || *t == '\0')
		return "TERM is not set, so the screen cannot be drawn; set it to your terminal's "
		       "type (e.g. xterm-256color), or use vmtui top --batch for plain text.";
	if (setupterm(NULL, STDOUT_FILENO, &err) != OK) {
		snprintf(why, sizeof why, "the terminal type \"%.60s\" is not known here (no "
		         "terminfo entry); set TERM to one that is (e.g. xterm-256color), or use "
		         "vmtui top --batch for plain text.", t);
		return why;
	}
	can = cursor_address != NULL && cursor_address != (char *)-1;
	del_curterm(cur_term);
	cur_term = NULL;
	if (can)
		return NULL;
	snprintf(why, sizeof why, "the terminal \"%.60s\" cannot place the cursor, which the "
	         "screen needs; run vmtui in one that can (TERM=xterm-256color, screen or tmux), "
	         "or use vmtui top --batch for plain text.", t);
	return why;
}

int
screen_init(bool want_color)
{
	if (tcgetattr(STDIN_FILENO, &saved_tio) == 0)
		have_tio = true;
	if (getenv("ESCDELAY") == NULL)
		set_escdelay(25);
	if (initscr() == NULL)
		return -1;
	active = 1;
	add_seq("sgr0");
	add_seq("cnorm");
	add_seq("rmkx");
	add_mouse_off();
	add_seq("rmcup");
	xmalloc_fatal_hook = screen_emergency_restore;
	atexit(screen_emergency_restore);
	screen_signals(screen_emergency_restore, on_quit, on_winch);
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	/* Keys are read between frames anyway; without this curses polls the
	 * terminal for typed-ahead keys several times per frame. */
	typeahead(-1);
	curs_set(0);
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_DOUBLE_CLICKED |
	          BUTTON4_PRESSED | BUTTON5_PRESSED | BUTTON3_PRESSED | BUTTON_CTRL, NULL);
	mouseinterval(200);
	init_colors(want_color);
	leave_initial_state();
	return 0;
}

void
screen_end(void)
{
	if (!active)
		return;
	/* Left already (a console session ended by a signal): a second
	 * endwin would send the terminal's leave-the-alternate-screen again,
	 * and terminals that take it (tmux, xterm) put the cursor back where
	 * vmtui started, over the console's lines. */
	if (!isendwin()) {
		termout_leave();
		endwin();
	}
	active = 0;
	if (have_tio)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tio);
}

void
screen_resize(void)
{
	struct winsize ws;

	screen_got_winch = 0;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col)
		resizeterm(ws.ws_row, ws.ws_col);
}

bool
screen_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs != NULL && strcmp(cs, "UTF-8") == 0;
}

int
screen_attr(enum color c)
{
	return (unsigned)c < C_COUNT ? attrs[c] : 0;
}

enum graph_mode
screen_graph_mode(void)
{
	return screen_utf8() ? GRAPH_BRAILLE : GRAPH_ASCII;
}
