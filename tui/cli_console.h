/* cli_console.h — `vmtui console [--force] [--escape ^X] [-c URI] VM`:
 * a guest's serial console from the shell; see vmtui(1). */
#ifndef VMTUI_CLI_CONSOLE_H
#define VMTUI_CLI_CONSOLE_H

#include <stdbool.h>

/* Connect the terminal to vm's console on uri until the escape byte esc;
 * returns the exit status. */
int console_cli(const char *uri, const char *vm, bool force, unsigned char esc);

#endif
