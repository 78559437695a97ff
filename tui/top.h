/* top.h — `vmtui top`: with --batch, live figures of every guest written
 * as text, CSV or JSON Lines without a terminal; without it, the screen
 * (tui/main.c), optionally recorded with --record. */
#ifndef VMTUI_TOP_H
#define VMTUI_TOP_H

#include <stdbool.h>

/* Whether the arguments after "top" ask for batch mode (or its help). */
bool top_is_batch(int argc, char **argv);

/* Run `vmtui top --batch ...` (argv[0] is "top"); returns the exit status:
 * 0, or 1 when a host cannot be reached or the options are wrong. */
int top_batch_main(int argc, char **argv);

#endif
