/* cli.h — vmtui's non-interactive subcommands: validate, plan, apply and
 * export of VM definition files (vmtui.yaml(5)); see vmtui(1). */
#ifndef VMTUI_CLI_H
#define VMTUI_CLI_H

#include <stdbool.h>

/* Whether `arg` (argv[1]) names a subcommand. */
bool cli_is_command(const char *arg);

/* Run the subcommand argv[0] with its arguments; returns the exit status. */
int cli_main(int argc, char **argv);

#endif
