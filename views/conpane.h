/* conpane.h — the console pane: a guest's serial console in a curses
 * window, through libvterm, beside its live CPU and memory graphs (key V).
 * The stream is opened like the pass-through's (views/console.c). */
#ifndef VMTUI_VIEWS_CONPANE_H
#define VMTUI_VIEWS_CONPANE_H

struct app;
struct host;
struct console;

/* Show the pane on an opened console, which it now owns. */
void conpane_attach(struct app *a, struct host *h, const char *uuid, const char *name,
                    struct console *c);
/* On quit: close the stream locally (no RPC on the UI thread). */
void conpane_forget(void);

#endif
