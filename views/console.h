/* console.h — the serial console "view": the guest's console passed
 * through the whole terminal from the TUI (key C). The pass-through and
 * the escape byte are tui/passthru.h; the stream is model/guest/console.h. */
#ifndef VMTUI_VIEWS_CONSOLE_H
#define VMTUI_VIEWS_CONSOLE_H

#include <stdbool.h>

#include "../tui/passthru.h"

struct app;

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

#endif
