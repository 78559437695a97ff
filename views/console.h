/* console.h — the serial console "view": the guest's console passed
 * through the whole terminal, from the TUI (key C) and from the shell
 * (`vmtui console VM`). See model/console.h for the stream itself. */
#ifndef VMTUI_VIEWS_CONSOLE_H
#define VMTUI_VIEWS_CONSOLE_H

#include <stdbool.h>

struct app;

#define CONSOLE_ESCAPE_DEFAULT 0x1d /* ^] */

/* C (pane false) or V (pane true) in the list or detail view: open guest
 * g's console, for the pass-through or the pane. */
struct sel_guest;
int console_open_tui(struct app *a, const struct sel_guest *g, bool pane);
/* Close a stream on its host's worker (the close is an RPC). */
struct host;
struct console;
void console_close_later(struct host *h, struct console *c);
/* From the main loop: when an open finished, pass the terminal through,
 * ask to take a busy console over, or say why it failed. */
void console_poll(struct app *a);
/* On quit: forget an open still under way (the worker closes it). */
void console_forget(void);

/* "^]", "^X", "^a" -> the control byte; false if s is not one. */
bool console_parse_escape(const char *s, unsigned char *out);
/* The escape byte as typed: "^]". */
const char *console_escape_label(unsigned char esc, char buf[4]);

/* `vmtui console [--force] [--escape ^X] [-c URI] VM`; the exit status. */
int console_cli(const char *uri, const char *vm, bool force, unsigned char esc);

#endif
