/* gscreen.c — G on a guest: its graphical screen on the whole terminal.
 *
 * The session (model/guest/gfx.h) opens on the host's worker; while it
 * does, the list stays as it is and the status line says so. A guest
 * without a screen to show (no <graphics>, not running, VNC and
 * screenshots both refused) is said in the status line and nothing else
 * happens. Once the session is up, curses steps aside as it does for the
 * serial console (app_suspend) and tui/gfxterm.c has the terminal: the
 * picture, the status line, every key to the guest, the escape key (^]
 * by default) and its menu. Back here with the reason it ended: the
 * escape key, the guest shutting down, the VNC server closing. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "../model/base/xmalloc.h"
#include "../model/guest/gfx.h"
#include "../tui/gfxterm.h"
#include "../tui/passthru.h"
#include "../tui/screen.h"
#include "views.h"

static struct {
	struct gfx *g;         /* opening, NULL when none */
	struct host *h;
	char name[256];
} S;

int
gscreen_open(struct app *a, const struct sel_guest *g)
{
	struct gfx_open_opts o = { .readonly = a->readonly, .fps = a->gfx_fps };

	if (S.g != NULL) {
		app_status(a, MSG_INFO, "Still opening the screen of %s...", S.name);
		return HANDLED;
	}
	if (!vm_state_active(g->state)) {
		app_status(a, MSG_ERROR, "%s is %s: start it first (S) to see its screen.", g->name,
		           vm_state_name(g->state));
		return HANDLED;
	}
	S.h = g->host;
	snprintf(S.name, sizeof S.name, "%s", g->name);
	S.g = gfx_open(g->host, g->uuid, &o);
	app_status(a, MSG_INFO, "Opening the screen of %s...", g->name);
	return HANDLED;
}

/* The terminal is the guest's screen until the session ends. */
static void
run(struct app *a, struct gfx *g)
{
	struct gfxterm_opts o = {
		.name = S.name,
		.esc = a->console_escape,
		.readonly = a->readonly,
		.protocol = a->gfx_protocol,
		.symbols = a->gfx_symbols,
		.colors = COLORS,
	};
	struct termios shell;
	enum gfxterm_end e = GT_TTY;
	char *why = NULL;

	app_suspend(a);
	if (passthru_tty_raw(&shell)) {
		e = gfxterm_run(g, &o, &screen_got_quit_signal, &screen_got_winch, &why);
		/* TCSAFLUSH: what was typed after the escape is no key for us. */
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &shell);
	}
	gfx_close(g);
	screen_got_winch = 1; /* the size may have changed meanwhile: curses reads it again */
	if (e == GT_SIGNAL || e == GT_TTY) {
		/* vmtui is ending: main puts the terminal back. */
		a->quit = e == GT_TTY;
		free(why);
		return;
	}
	app_resume(a);
	if (e == GT_ENDED)
		app_status(a, MSG_ERROR, "The screen of %s closed: %s", S.name,
		           why ? why : "the session ended.");
	else
		app_status(a, MSG_INFO, "Left the screen of %s.", S.name);
	free(why);
}

void
gscreen_poll(struct app *a)
{
	struct gfx_status st;
	struct gfx *g = S.g;

	if (g == NULL)
		return;
	gfx_status(g, &st);
	if (st.mode == GFX_OPENING) {
		gfx_status_free(&st);
		return;
	}
	S.g = NULL;
	if (st.mode == GFX_ENDED) {
		app_status(a, MSG_ERROR, "%s", st.text ? st.text : "The screen did not open.");
		gfx_status_free(&st);
		gfx_close(g);
		return;
	}
	gfx_status_free(&st);
	run(a, g);
}

void
gscreen_forget(void)
{
	gfx_close(S.g);
	S.g = NULL;
}
