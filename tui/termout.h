/* termout.h — sending frames to the terminal: the changed cells of curses'
 * next screen, without curses' cursor-motion optimiser.
 *
 * One output path. The views draw into curses windows; after their
 * wnoutrefresh, termout_update reads the lines curses marked as changed
 * through curses' public calls only (is_linetouched, mvwin_wchnstr,
 * getcchar on newscr, the next screen ncurses documents in
 * curs_variables(3X)), compares each cell with its copy of what the
 * terminal shows, and sends the changed stretches in one write(2).
 * Nothing reads the fields of curses' cchar_t, so a newer ncurses that
 * lays them out otherwise changes nothing here. curses itself draws only
 * when it must repaint (cleared or resized screen, back from endwin), or
 * every frame with VMTUI_CURSES_OUTPUT=1 or a terminal this module does
 * not take on.
 *
 * The graphical console (tui/gfxterm.c) does not share the screen with
 * curses: like the serial console it takes the whole terminal after
 * app_suspend and gives it back with a full repaint, so none of the calls
 * below exists. They are what a graphical console inside a curses view
 * (beside the header and footer) would need from this module:
 *
 *   bool termout_claim(int y, int x, int h, int w);
 *     The rectangle's cells come from the view from now on, not from
 *     curses: when a line is read, its columns inside the rectangle are
 *     taken from the view's cells instead (the view leaves its window
 *     blank there). false with curses drawing every frame: the view then
 *     draws half-blocks through curses with the nearest colour pairs.
 *   void termout_cells(int y, int x, int n, const struct termout_cell *c);
 *     n changed cells of a line of the rectangle: a character with its
 *     own 24-bit foreground and background (half-blocks need colours
 *     curses' pairs cannot give). Their line counts as touched; its cells
 *     are compared with what the terminal shows as curses' are, and the
 *     changed ones go out with the next frame, in the same write.
 *   void termout_image(int y, int x, int h, int w, const char *seq, size_t len);
 *     An image placement (a kitty graphics command, a sixel) covering
 *     h x w cells of the rectangle: sent after a move to (y, x), after
 *     the frame's cells; the covered cells are held as showing an image,
 *     so the text comparison leaves them alone, and a repaint by curses
 *     sends the placement again.
 *   void termout_release(void);
 *     The rectangle goes back to curses: its cells are held as equal to
 *     nothing (as a cell with combining marks is), so curses' cells there
 *     go out with the next frame.
 */
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
