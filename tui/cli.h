/* cli.h — vmtui's non-interactive subcommands: validate, plan, apply and
 * export of VM definition files (vmtui.yaml(5)); see vmtui(1). */
#ifndef VMTUI_CLI_H
#define VMTUI_CLI_H

#include <stdbool.h>
#include <libvirt/libvirt.h>

/* Whether `arg` (argv[1]) names a subcommand. */
bool cli_is_command(const char *arg);

/* Run the subcommand argv[0] with its arguments; returns the exit status. */
int cli_main(int argc, char **argv);

/* Connect to uri (NULL: libvirt's default) with libvirt's own error
 * printing off; NULL after saying why on stderr. */
virConnectPtr cli_connect(const char *uri, bool readonly);

#endif
