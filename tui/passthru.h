/* passthru.h — a guest's console stream (model/guest/console.h) passed through
 * the raw terminal, without curses: the TUI's C key (views/console.c) and
 * `vmtui console` (tui/cli_console.c) both run it. Also the escape byte
 * that ends it, and the sentences that say why an open failed or how a
 * session ended. */
#ifndef VMTUI_PASSTHRU_H
#define VMTUI_PASSTHRU_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <termios.h>

#include "../model/guest/console.h"

#define CONSOLE_ESCAPE_DEFAULT 0x1d /* ^] */

/* How a pass-through ended. */
enum pt_end { PT_ESCAPE, PT_EOF, PT_BROKEN, PT_SIGNAL, PT_TTY };

/* "^]", "^X", "^a" -> the control byte; false if s is not one. */
bool console_parse_escape(const char *s, unsigned char *out);
/* The escape byte as typed: "^]". */
const char *console_escape_label(unsigned char esc, char buf[4]);

/* All of p to fd, through interruptions and a full non-blocking fd;
 * false when fd fails. */
bool passthru_write_all(int fd, const unsigned char *p, size_t n);
/* Raw mode on standard input from its current settings, saved in *saved. */
bool passthru_tty_raw(struct termios *saved);
/* Pump c both ways until the escape byte, the end of the stream, *quit
 * or the loss of the terminal; the tty is already raw. *why gets a
 * stream error (to free). */
enum pt_end passthru_run(struct console *c, unsigned char esc, volatile sig_atomic_t *quit,
                         char **why);
/* Why an open of name's console failed, as a new sentence; tui picks the
 * hints (keys, or command-line options). */
char *passthru_open_error(const char *name, enum console_error err, const char *detail,
                          bool tui);
/* How a session of name's console ended, as a new sentence; NULL for the
 * escape. */
char *passthru_end_message(const char *name, enum pt_end e, const char *why);

#endif
