/* termout.h — sending frames to the terminal: the changed cells of curses'
 * next screen, without curses' cursor-motion optimiser. */
#ifndef VMTUI_TERMOUT_H
#define VMTUI_TERMOUT_H

#include <stdbool.h>

/* In place of doupdate(), after the windows' wnoutrefresh. */
void termout_update(void);
/* After init_pair gave pairs other colours. */
void termout_colors_changed(void);
/* Before endwin(): curses is told the truth about the cursor again. */
void termout_leave(void);
/* Whether frames go out through this module (false: curses' doupdate,
 * chosen by VMTUI_CURSES_OUTPUT=1 or forced by the terminal). */
bool termout_direct(void);

#endif
