/* cli_console.c — `vmtui console VM`: a guest's serial console from the
 * shell, the terminal passed through (tui/passthru.c) until the escape
 * byte, without curses. Exits 0 on the escape or when the guest stops, 1
 * otherwise. */
#include "subcmd.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "../model/base/notify.h"
#include "../model/base/xmalloc.h"
#include "../model/guest/console.h"
#include "passthru.h"
#include "screen.h"

static volatile sig_atomic_t cli_quit;
static volatile sig_atomic_t cli_raw;
static struct termios cli_tio;

/* The terminal as it was; safe in signal handlers and atexit. */
static void
cli_restore(void)
{
	if (!cli_raw)
		return;
	cli_raw = 0;
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &cli_tio);
}

static void
cli_on_quit(int sig)
{
	(void)sig;
	cli_quit = 1;
	notify_post();
}

/* Quit signals end the pass-through; fatal ones restore the tty. */
static void
cli_signals(void)
{
	screen_signals(cli_restore, cli_on_quit, NULL);
	xmalloc_fatal_hook = cli_restore;
	atexit(cli_restore);
}

/* By name, else UUID, else ID, as virsh does. */
static virDomainPtr
lookup(virConnectPtr conn, const char *vm)
{
	virDomainPtr dom = virDomainLookupByName(conn, vm);
	char *end;
	long id;

	if (dom == NULL)
		dom = virDomainLookupByUUIDString(conn, vm);
	if (dom == NULL) {
		id = strtol(vm, &end, 10);
		if (end != vm && *end == '\0' && id >= 0 && id <= 0x7fffffff)
			dom = virDomainLookupByID(conn, (int)id);
	}
	return dom;
}

/* "vmtui: " and the sentence on stderr, lower case after the colon unless
 * it starts with the VM's name; frees msg. */
static void
cli_say(const char *before, const char *vm, char *msg)
{
	if (strncmp(msg, vm, strlen(vm)) != 0)
		msg[0] = (char)tolower((unsigned char)msg[0]);
	fprintf(stderr, "%svmtui: %s\n", before, msg);
	free(msg);
}

/* Connect, look the VM up and open its console; errors on stderr. */
static struct console *
cli_open(const struct subcmd *cmd, const char *uri, const char *vm, bool force,
         virConnectPtr *conn)
{
	virDomainPtr dom;
	struct console *c;
	enum console_error err;
	char *detail = NULL;

	if ((*conn = subcmd_connect(cmd, uri, false)) == NULL)
		return NULL;
	dom = lookup(*conn, vm);
	if (dom == NULL) {
		char *u = virConnectGetURI(*conn);
		fprintf(stderr, "vmtui: there is no VM named %s on %s.\n", vm, u ? u : "the host");
		free(u);
		return NULL;
	}
	c = console_open(dom, force, &err, &detail);
	virDomainFree(dom);
	if (c == NULL) {
		cli_say("", vm, passthru_open_error(vm, err, detail, false));
	}
	free(detail);
	return c;
}

/* The console of vm on uri until the escape byte esc; the exit status. */
static int
console_run(const struct subcmd *cmd, const char *uri, const char *vm, bool force,
            unsigned char esc)
{
	virConnectPtr conn = NULL;
	struct console *c = NULL;
	char label[4], *why = NULL, *msg;
	enum pt_end e;
	int rc = EXIT_FAILURE;

	if (!isatty(STDIN_FILENO)) {
		fprintf(stderr, "vmtui console: standard input is not a terminal; the console "
		        "needs one to pass keys through.\n");
		return EXIT_FAILURE;
	}
	c = cli_open(cmd, uri, vm, force, &conn);
	if (c == NULL)
		goto cleanup;
	fprintf(stderr, "Connected to %s; escape with %s\n", vm, console_escape_label(esc, label));
	cli_signals();
	if (!passthru_tty_raw(&cli_tio)) {
		fprintf(stderr, "vmtui: cannot put the terminal in raw mode: %s.\n", strerror(errno));
		console_close(c, true);
		goto cleanup;
	}
	cli_raw = 1;
	e = passthru_run(c, esc, &cli_quit, &why);
	cli_restore();
	console_close(c, e != PT_TTY);
	msg = passthru_end_message(vm, e, why);
	if (msg != NULL)
		cli_say("\n", vm, msg);
	else
		fputc('\n', stderr);
	free(why);
	rc = e == PT_ESCAPE || e == PT_EOF ? EXIT_SUCCESS : EXIT_FAILURE;
cleanup:
	if (conn != NULL)
		virConnectClose(conn);
	return rc;
}

/* `vmtui console [-c URI] [--force] [--escape ^X] VM`. */
int
cli_console(const struct subcmd *cmd, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "connect", required_argument, NULL, 'c' },
		{ "force", no_argument, NULL, 'F' + 256 },
		{ "escape", required_argument, NULL, 'E' + 256 },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *uri = NULL;
	unsigned char esc = CONSOLE_ESCAPE_DEFAULT;
	bool force = false;
	int ch;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":c:h", longopts, NULL)) != -1) {
		if (ch == 'c') {
			uri = optarg;
		} else if (ch == 'F' + 256) {
			force = true;
		} else if (ch == 'E' + 256) {
			if (!console_parse_escape(optarg, &esc)) {
				fprintf(stderr, "vmtui console: --escape: \"%s\" is not a control key "
				        "such as ^] or ^X\n", optarg);
				return EXIT_FAILURE;
			}
		} else if (ch == 'h') {
			subcmd_help(cmd, stdout);
			return EXIT_SUCCESS;
		} else {
			subcmd_bad_option(cmd, ch, argv, longopts);
			return EXIT_FAILURE;
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr, "vmtui console: expected %s\n", optind == argc ? "a VM name"
		                                                               : "one VM name");
		subcmd_hint(cmd);
		return EXIT_FAILURE;
	}
	return console_run(cmd, uri, argv[optind], force, esc);
}
