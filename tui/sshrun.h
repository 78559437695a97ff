/* sshrun.h — logging into a guest with the user's own ssh: its command
 * line, the relay that carries it through vmtui's SSH link to the guest's
 * host (a UNIX socket that `vmtui ssh-proxy`, ssh's ProxyCommand, joins),
 * and running ssh on the terminal, waited for. `vmtui ssh` and the TUI's
 * ssh key (after app_suspend) use it. */
#ifndef VMTUI_SSHRUN_H
#define VMTUI_SSHRUN_H

#include <stdbool.h>

/* A connected socket to the guest's port, or -1 with *err: what the relay
 * calls for each connection ssh makes. */
typedef int (*sshrun_open_fn)(void *ctx, char **err);

struct sshrelay;
/* Listen on a new UNIX socket (in a private directory) and carry each
 * connection to what open gives, on a thread of its own. NULL with *err. */
struct sshrelay *sshrelay_start(sshrun_open_fn open, void *ctx, char **err);
const char *sshrelay_path(const struct sshrelay *r);
/* Stop the thread, close everything, remove the socket and directory. */
void sshrelay_stop(struct sshrelay *r);

/* ssh's argv (NULL-terminated, new strings; sshrun_argv_free): the
 * program and options of $VMTUI_SSH (split at blanks; default "ssh"),
 * -l user when user is set, the ProxyCommand `EXE ssh-proxy PATH` when
 * relay is set (and HostKeyAlias alias, so the guest's key is known by
 * the guest's name and host, not a private address), the address, and
 * the remote command. */
char **sshrun_argv(const char *user, const char *addr, const char *relay, const char *alias,
                   char *const *cmd, int ncmd);
void sshrun_argv_free(char **argv);
/* Run argv on the terminal as system(3) does and wait: ssh's exit
 * status, or -1 with *err when it could not start. */
int sshrun_exec(char **argv, char **err);
/* `vmtui ssh-proxy SOCKET`: stdin and stdout carried to the socket. */
int sshrun_proxy(const char *path);

#endif
