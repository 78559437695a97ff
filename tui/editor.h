/* editor.h — the user's editor on a file: $VISUAL, else $EDITOR, else vi,
 * run through the shell (so "emacs -nw" works) on the terminal vmtui
 * has, waited for. `vmtui edit` and the TUI's x (after app_suspend) use
 * it; the caller owns the terminal's modes around it. */
#ifndef VMTUI_EDITOR_H
#define VMTUI_EDITOR_H

/* The editor's command line: $VISUAL, else $EDITOR, else "vi". */
const char *editor_command(void);

/* Run the editor on path; 0 when it exited with status 0, else -1 with
 * *err (a new string) saying how it ended. */
int editor_run(const char *path, char **err);

/* Run argv (PATH searched) in the foreground as system(3) does: the child
 * takes ^C and ^\, vmtui ignores them while it waits. 0 with *wstatus
 * (waitpid's), or -1 with errno when it cannot fork. A program that
 * cannot be run says so on stderr and exits with 127. The editor and
 * `vmtui ssh` ($) use it. */
int run_foreground(char *const argv[], int *wstatus);

#endif
