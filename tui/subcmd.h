/* subcmd.h — vmtui's commands as one table (as virsh's vshCmdDef): each
 * row is a command's name, one-line summary, help text, handler and what
 * it needs from libvirt. main() looks the name up and starts libvirt as
 * the row says; `vmtui help COMMAND` and `vmtui COMMAND --help` print the
 * row's help. See vmtui(1). */
#ifndef VMTUI_SUBCMD_H
#define VMTUI_SUBCMD_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <libvirt/libvirt.h>

/* What a command needs from libvirt before its handler runs. */
enum subcmd_conn {
	CONN_NONE,   /* no libvirt at all */
	CONN_READ,   /* one read-only connection */
	CONN_WRITE,  /* one read-write connection (read-only with -r) */
	CONN_HOSTS,  /* the hosts' workers (model/host/host.h), read-only with -r */
};

struct subcmd {
	const char *name;     /* argv[1]; NULL: the screen, vmtui without a command */
	const char *summary;  /* one line for `vmtui help` */
	const char *help;     /* usage and options, from "Usage:" on */
	/* Runs the command: argv[0] is its name ("vmtui" for the screen), the
	 * options and arguments follow; returns the exit status. */
	int (*run)(const struct subcmd *cmd, int argc, char **argv);
	enum subcmd_conn conn;
	bool events;          /* libvirt's event loop too (streams, host workers) */
};

/* The row of argv[1]: the screen when there is none or it is an option;
 * NULL when it names no command. The options every command shares (-c,
 * -H, -f, --known-hosts, -r) may come before the command's name: argv is
 * then reordered so that the name is argv[1] ("vmtui -c URI top -b" runs
 * as "vmtui top -c URI -b"). */
const struct subcmd *subcmd_find(int argc, char **argv);
/* The row named name, or NULL. */
const struct subcmd *subcmd_named(const char *name);

/* The command's help on f; the screen's ends with the list of commands. */
void subcmd_help(const struct subcmd *cmd, FILE *f);
/* After a usage error: where to read the usage, on stderr. */
void subcmd_hint(const struct subcmd *cmd);
/* getopt_long returned '?' or ':' (optstring starts with ':', opterr is
 * 0): say which option is wrong and how, naming the command and its help,
 * on stderr; an unknown option that other commands take is said to be
 * theirs on a second line. */
void subcmd_bad_option(const struct subcmd *cmd, int ch, char **argv,
                        const struct option *longopts);
/* getopt_long returned ch, an option the command's parser knows but this
 * command (of the several the parser serves) does not take: say which,
 * whose option it is (as subcmd_bad_option does) and where the usage is,
 * on stderr. */
void subcmd_not_here(const struct subcmd *cmd, int ch, char **argv,
                     const struct option *longopts);
/* "vmtui" or "vmtui NAME", for messages. */
const char *subcmd_label(const struct subcmd *cmd, char *buf, size_t size);

/* A line typed on the terminal after the prompt fmt (on stderr), into buf
 * without its newline; empty at the end of input. False without a
 * terminal. */
bool subcmd_read_tty(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A y/N question on the terminal; false without one. */
bool subcmd_ask(const char *question);
/* The confirmation of deleting the WHAT called name: typed (--yes-i-typed)
 * is the name, or else the name is typed on the terminal. */
bool subcmd_typed_name(const char *typed, const char *name, const char *what);

/* Open the command's connection to uri (NULL: libvirt's default):
 * read-only when the row says so or readonly is true. NULL after saying
 * why on stderr. */
virConnectPtr subcmd_connect(const struct subcmd *cmd, const char *uri, bool readonly);

/* Where a command's one connection goes: uri (NULL: libvirt's default),
 * on the host ssh ([user@]host[:port], or an alias of ~/.ssh/config)
 * over vmtui's SSH transport when ssh is set (-H). */
struct subcmd_target {
	const char *uri, *ssh, *known_hosts;
};
struct sshlink;
/* Only the SSH tunnel of subcmd_connect_via (t->ssh set), for a command
 * that opens its connection its own way: 0, or -1 after saying why. */
int subcmd_link_open(const struct subcmd_target *t, struct sshlink **link);
/* subcmd_connect to t: over SSH, *link is the tunnel to close
 * (sshlink_close) after the connection; questions of the login (host
 * key, passphrase) are asked on the terminal, refused without one. NULL
 * after saying why on stderr. */
virConnectPtr subcmd_connect_via(const struct subcmd *cmd, const struct subcmd_target *t,
                                 bool readonly, struct sshlink **link);
/* The URI a person gives virsh -c for t (qemu+ssh://HOST/system over
 * SSH), or the one conn has. New string. */
char *subcmd_virsh_uri(virConnectPtr conn, const struct subcmd_target *t);

/* Handlers of the rows (in main.c, cli.c, cli_manage.c, cli_console.c, top.c,
 * cli_gfx.c, cli_screen.c, cli_store.c, cli_xfer.c, cli_net.c). */
int tui_main(const struct subcmd *cmd, int argc, char **argv);
int cli_validate(const struct subcmd *cmd, int argc, char **argv);
int cli_plan(const struct subcmd *cmd, int argc, char **argv);
int cli_apply(const struct subcmd *cmd, int argc, char **argv);
int cli_export(const struct subcmd *cmd, int argc, char **argv);
int cli_resize(const struct subcmd *cmd, int argc, char **argv);
int cli_console(const struct subcmd *cmd, int argc, char **argv);
int cli_screen(const struct subcmd *cmd, int argc, char **argv);
int cli_snapshot(const struct subcmd *cmd, int argc, char **argv);
int cli_clone(const struct subcmd *cmd, int argc, char **argv);
int cli_delete(const struct subcmd *cmd, int argc, char **argv);
int top_main(const struct subcmd *cmd, int argc, char **argv);
/* Storage pools and volumes (cli_store.c). */
int cli_pool(const struct subcmd *cmd, int argc, char **argv);
int cli_vol(const struct subcmd *cmd, int argc, char **argv);
/* The verb of a pool or vol command line ("upload"), or "". */
const char *cli_store_verb(int argc, char **argv);
int cli_net(const struct subcmd *cmd, int argc, char **argv);
/* `vmtui vol upload` and `vmtui vol download` (cli_xfer.c), called by
 * cli_vol with its argc and argv (the verb among the arguments, anywhere
 * before the pool) and cmd the vol row (its help is printed for --help). */
int cli_vol_upload(const struct subcmd *cmd, int argc, char **argv);
int cli_vol_download(const struct subcmd *cmd, int argc, char **argv);
int cli_screenshot(const struct subcmd *cmd, int argc, char **argv);
/* Boot order, CPU, firmware, TPM and host devices (cli_hwfw.c). */
int cli_boot(const struct subcmd *cmd, int argc, char **argv);
int cli_cpu(const struct subcmd *cmd, int argc, char **argv);
int cli_firmware(const struct subcmd *cmd, int argc, char **argv);
int cli_tpm(const struct subcmd *cmd, int argc, char **argv);
int cli_hostdev(const struct subcmd *cmd, int argc, char **argv);
/* vmtui hw, disk, media, nic (cli_hw.c): the row says which. */
int cli_hw(const struct subcmd *cmd, int argc, char **argv);
/* `vmtui edit` (cli_edit.c); reset, save, restore, rename, ctrl-alt-del,
 * nmi and wake (cli_life.c, one handler by the row's name). */
int cli_edit(const struct subcmd *cmd, int argc, char **argv);
int cli_life(const struct subcmd *cmd, int argc, char **argv);
/* `vmtui tag`, `untag`, `note` (cli_tags.c): the row says which. */
int cli_tags(const struct subcmd *cmd, int argc, char **argv);

/* `vmtui migrate` (cli_migrate.c). */
int cli_migrate(const struct subcmd *cmd, int argc, char **argv);
/* Row i of the table (0: the screen), NULL past the last: for `vmtui
 * complete`, whose answers follow the rows. */
const struct subcmd *subcmd_at(size_t i);
/* `vmtui complete` (cli_complete.c): names for the shells' completion. */
int cli_complete(const struct subcmd *cmd, int argc, char **argv);
/* Many guests across hosts (cli_bulk.c): start, shutdown, reboot, off,
 * pause, resume, autostart (one handler by the row's name); list; and
 * snapshot create|delete and delete on many, which cli_snapshot and
 * cli_delete hand over to when cli_bulk_wanted says the command line
 * picks guests the bulk way (--tag, --all, --name, --json, --limit, -H,
 * -f, several -c, a glob) or names more than `singles` (the single form's
 * arguments, the verb included; -1: never by count). */
int cli_bulk_action(const struct subcmd *cmd, int argc, char **argv);
int cli_list(const struct subcmd *cmd, int argc, char **argv);
int cli_bulk_snapshot(const struct subcmd *cmd, int argc, char **argv);
int cli_bulk_delete(const struct subcmd *cmd, int argc, char **argv);
bool cli_bulk_wanted(int argc, char **argv, int singles);
/* vmtui info, ssh, password (cli_agent.c, by the row's name) and
 * ssh-proxy, ssh's ProxyCommand. */
int cli_agent(const struct subcmd *cmd, int argc, char **argv);
int cli_ssh_proxy(const struct subcmd *cmd, int argc, char **argv);

#endif
