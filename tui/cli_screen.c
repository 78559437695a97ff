/* cli_screen.c — `vmtui screen VM`: a guest's graphical screen on the
 * whole terminal from the shell, as the TUI's O shows it (tui/gfxterm.c),
 * on one host: -c URI, -H [user@]host (SSH, in-process), or libvirt's
 * default. Exits 0 on the escape key, 1 when the screen cannot be opened
 * or ends by itself (the guest shut down: the reason on stderr), and
 * puts the terminal back on SIGTERM and SIGHUP. */
#include "subcmd.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "../config/config.h"
#include "../model/base/msglog.h"
#include "../model/base/notify.h"
#include "../model/base/xmalloc.h"
#include "../model/guest/gfx.h"
#include "../model/host/host.h"
#include "gfxterm.h"
#include "passthru.h"
#include "screen.h"
#include "top.h"

#define FIND_WAIT_S 30     /* for the host to connect and list its guests */

static volatile sig_atomic_t scr_quit, scr_winch, scr_raw, scr_shown;
static struct termios scr_tio;

/* The terminal as it was; safe in signal handlers and atexit. */
static void
scr_restore(void)
{
	size_t n;
	const char *seq;

	if (scr_shown) {
		scr_shown = 0;
		seq = gfxterm_restore_seq(&n);
		if (write(STDOUT_FILENO, seq, n) < 0) {
			/* nothing more to do in a handler */
		}
	}
	if (!scr_raw)
		return;
	scr_raw = 0;
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &scr_tio);
}

static void
scr_on_quit(int sig)
{
	(void)sig;
	scr_quit = 1;
	notify_post();
}

static void
scr_on_winch(int sig)
{
	(void)sig;
	scr_winch = 1;
	notify_post();
}

static void
sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* Answer the host's question (an SSH host key, a passphrase) on the
 * terminal, still cooked. */
static void
answer(struct host *h, const struct host_question *q)
{
	char line[512];
	struct termios t, quiet;
	bool hide = !q->echo && tcgetattr(STDIN_FILENO, &t) == 0;

	fprintf(stderr, "%s%s", q->text ? q->text : "?", q->yes_no ? " [y/n] " : " ");
	if (hide) {
		quiet = t;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
	}
	if (fgets(line, sizeof line, stdin) == NULL)
		line[0] = '\0';
	if (hide) {
		tcsetattr(STDIN_FILENO, TCSANOW, &t);
		fputc('\n', stderr);
	}
	line[strcspn(line, "\r\n")] = '\0';
	host_answer(h, line);
}

/* Wait for h to list its guests and find vm by name (or UUID): 0 and the
 * UUID, or -1 after saying why. */
static int
find_vm(struct host *h, const char *vm, char uuid[VM_UUID_LEN], bool *running)
{
	uint64_t seen_q = 0;
	unsigned waited = 0;
	size_t i;

	for (;;) {
		struct host_question q = { 0 };
		char *err = NULL;
		bool listed;
		enum host_state st;

		if (scr_quit)
			return -1;
		host_lock(h);
		st = h->state;
		listed = st == HOST_UP && h->refreshes > 0;
		if (h->question.pending && h->question.seq != seen_q) {
			q = h->question;
			q.text = h->question.text ? xstrdup(h->question.text) : NULL;
			seen_q = q.seq;
		}
		if (listed) {
			for (i = 0; i < h->nvms; i++) {
				struct vm *v = h->vms[i];
				if (strcmp(v->name, vm) == 0 || strcmp(v->uuid, vm) == 0) {
					snprintf(uuid, VM_UUID_LEN, "%s", v->uuid);
					*running = vm_state_active(v->state);
					host_unlock(h);
					return 0;
				}
			}
		}
		if (st == HOST_DOWN && h->error)
			err = xstrdup(h->error);
		host_unlock(h);
		if (q.pending) {
			answer(h, &q);
			free(q.text);
			continue;
		}
		if (listed) {
			fprintf(stderr, "vmtui: there is no VM named %s on %s.\n", vm, host_label(h));
			return -1;
		}
		if (err != NULL || waited >= FIND_WAIT_S * 1000) {
			fprintf(stderr, "vmtui: cannot reach %s: %s\n", host_label(h),
			        err ? err : "no answer");
			free(err);
			return -1;
		}
		sleep_ms(50);
		waited += 50;
	}
}

/* Wait for the session to be up (or over): its state. */
static enum gfx_state
wait_open(struct gfx *g, char **text)
{
	struct gfx_status st;
	enum gfx_state m;

	for (;;) {
		gfx_status(g, &st);
		m = st.mode;
		if (m != GFX_OPENING || scr_quit) {
			*text = st.text ? xstrdup(st.text) : NULL;
			gfx_status_free(&st);
			return m;
		}
		gfx_status_free(&st);
		sleep_ms(20);
	}
}

struct screen_opts {
	struct host_args h;
	unsigned char esc;
	const char *protocol;
	unsigned symbols;
	unsigned fps;     /* config.yaml's graphics_fps:, 0: the default */
	const char *vm;
};

/* config.yaml's graphics_protocol: and graphics_symbols: (its hosts are
 * not used: one host, from -c or -H). -1 after saying what is wrong. */
static int
read_config(struct screen_opts *o)
{
	struct config cfg;
	struct config_errors errs = { 0 };
	char *path = o->h.config_path ? xstrdup(o->h.config_path) : config_default_path();
	size_t i;
	int rc = 0;

	config_init(&cfg);
	if (config_load(&cfg, path, o->h.config_path == NULL, &errs) < 0) {
		for (i = 0; i < errs.n; i++)
			fprintf(stderr, "%s\n", errs.v[i]);
		fprintf(stderr, "vmtui screen: %s has errors; fix them.\n", path);
		rc = -1;
	} else {
		if (o->protocol == NULL && cfg.gfx_protocol != CFG_GFX_AUTO)
			o->protocol = cfg_gfx_protocols[cfg.gfx_protocol];
		o->symbols = gfxterm_symbols(cfg.gfx_symbols);
		o->fps = cfg.gfx_fps;
	}
	config_errors_free(&errs);
	config_free(&cfg);
	free(path);
	return rc;
}

static int
screen_run(struct screen_opts *o)
{
	struct host_opts ho = {
		.readonly = o->h.readonly,
		.interval_ms = 2000,
		.history = 2,
		.known_hosts = o->h.known_hosts,
		.uri = o->h.nuris ? o->h.uris[0] : NULL,
		.ssh = o->h.nssh ? o->h.ssh[0] : NULL,
		.name = o->h.nssh ? o->h.ssh[0] : NULL,
	};
	struct gfx_open_opts go = { .readonly = o->h.readonly, .fps = o->fps };
	struct gfxterm_opts to = {
		.name = o->vm,
		.esc = o->esc,
		.readonly = o->h.readonly,
		.protocol = o->protocol,
		.symbols = o->symbols,
		.colors = gfxterm_colors_from_env(),
	};
	char uuid[VM_UUID_LEN], *text = NULL, *why = NULL, label[4];
	struct host *h;
	struct gfx *g = NULL;
	enum gfxterm_end e;
	bool running = false;
	int rc = EXIT_FAILURE;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "vmtui screen: standard input and output must be a terminal to show "
		        "the screen and pass keys through.\n");
		return EXIT_FAILURE;
	}
	screen_signals(scr_restore, scr_on_quit, scr_on_winch);
	xmalloc_fatal_hook = scr_restore;
	atexit(scr_restore);
	h = host_new(&ho);
	host_start(h);
	if (find_vm(h, o->vm, uuid, &running) < 0)
		goto out;
	if (!running) {
		fprintf(stderr, "vmtui: %s is not running; start it first (virsh start %s) "
		        "to see its screen.\n", o->vm, o->vm);
		goto out;
	}
	g = gfx_open(h, uuid, &go);
	if (wait_open(g, &text) == GFX_ENDED) {
		fprintf(stderr, "vmtui: %s\n", text ? text : "the screen did not open.");
		goto out;
	}
	if (scr_quit)
		goto out;
	if (!passthru_tty_raw(&scr_tio)) {
		fprintf(stderr, "vmtui: cannot put the terminal in raw mode: %s.\n", strerror(errno));
		goto out;
	}
	scr_raw = 1;
	scr_shown = 1;
	e = gfxterm_run(g, &to, &scr_quit, &scr_winch, &why);
	scr_shown = 0; /* gfxterm_run put the screen back */
	scr_restore();
	switch (e) {
	case GT_ESCAPE:
		fprintf(stderr, "Left the screen of %s (%s q).\n", o->vm,
		        console_escape_label(o->esc ? o->esc : CONSOLE_ESCAPE_DEFAULT, label));
		rc = EXIT_SUCCESS;
		break;
	case GT_ENDED:
		fprintf(stderr, "vmtui: the screen of %s closed: %s\n", o->vm,
		        why ? why : "the session ended.");
		break;
	case GT_SIGNAL:
		fprintf(stderr, "vmtui: left the screen of %s on a signal.\n", o->vm);
		break;
	default:
		fprintf(stderr, "vmtui: left the screen of %s: the terminal went away.\n", o->vm);
		break;
	}
out:
	gfx_close(g);
	free(text);
	free(why);
	host_free(h);
	msglog_free_all();
	return rc;
}

/* `vmtui screen [-c URI|-H HOST] [-r] [--escape ^X] [--graphics-protocol P] VM`. */
int
cli_screen(const struct subcmd *cmd, int argc, char **argv)
{
	static const struct option longopts[] = {
		HOST_ARGS_LONGOPTS,
		{ "escape", required_argument, NULL, 'E' + 256 },
		{ "graphics-protocol", required_argument, NULL, 'G' + 256 },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct screen_opts o = { .esc = CONSOLE_ESCAPE_DEFAULT };
	int ch, rc;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":" HOST_ARGS_SHORTOPTS "h", longopts, NULL)) != -1) {
		if (top_host_arg(&o.h, ch, optarg))
			continue;
		if (ch == 'E' + 256) {
			if (!console_parse_escape(optarg, &o.esc)) {
				fprintf(stderr, "vmtui screen: --escape: \"%s\" is not a control key "
				        "such as ^] or ^X\n", optarg);
				rc = EXIT_FAILURE;
				goto done;
			}
		} else if (ch == 'G' + 256) {
			if (!gfxterm_protocol_valid(optarg)) {
				fprintf(stderr, "vmtui screen: --graphics-protocol: \"%s\" is not one of "
				        "kitty, sixel, iterm, symbols\n", optarg);
				rc = EXIT_FAILURE;
				goto done;
			}
			o.protocol = optarg;
		} else if (ch == 'h') {
			subcmd_help(cmd, stdout);
			rc = EXIT_SUCCESS;
			goto done;
		} else {
			subcmd_bad_option(cmd, ch, argv, longopts);
			rc = EXIT_FAILURE;
			goto done;
		}
	}
	if (o.h.nuris + o.h.nssh > 1) {
		fprintf(stderr, "vmtui screen: one host only: -c URI or -H HOST, once\n");
		subcmd_hint(cmd);
		rc = EXIT_FAILURE;
		goto done;
	}
	if (argc - optind != 1) {
		fprintf(stderr, "vmtui screen: expected %s\n", optind == argc ? "a VM name"
		                                                              : "one VM name");
		subcmd_hint(cmd);
		rc = EXIT_FAILURE;
		goto done;
	}
	o.vm = argv[optind];
	rc = read_config(&o) < 0 ? EXIT_FAILURE : screen_run(&o);
done:
	free(o.h.uris);
	free(o.h.ssh);
	return rc;
}
