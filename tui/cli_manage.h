/* cli_manage.h — `vmtui snapshot`, `vmtui clone` and `vmtui delete`:
 * a guest's lifecycle from the shell (model/snapshot.h, clone.h,
 * vmdelete.h); see vmtui(1). */
#ifndef VMTUI_CLI_MANAGE_H
#define VMTUI_CLI_MANAGE_H

/* Run `vmtui snapshot|clone|delete ARGS` (argv[0] is the subcommand);
 * returns the exit status. */
int cli_manage(int argc, char **argv);

#endif
