/* main.c — the command dispatcher (the rows are in subcmd.c) and the
 * screen's command line, start-up and shut-down. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <getopt.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "../config/config.h"
#include "../config/theme.h"
#include "../model/host/host.h"
#include "../model/host/lvutil.h"
#include "../model/host/marks.h"
#include "../model/base/msglog.h"
#include "../model/base/notify.h"
#include "../model/record/recording.h"
#include "../model/record/replay.h"
#include "../model/base/xmalloc.h"
#include "app.h"
#include "command.h"
#include "gfxterm.h"
#include "passthru.h"
#include "subcmd.h"
#include "top.h"
#include "screen.h"

struct opts {
	struct host_args h;
	double interval;
	int graphs;   /* -1 unset, else enum graph_mode */
	int color;    /* -1 unset */
	unsigned char escape; /* leaves a console; 0: ^] */
	const char *gfx_protocol; /* --graphics-protocol, or NULL: ask the terminal */
	unsigned history;
	const char *record;   /* --record FILE */
	const char *replay;   /* --replay FILE */
	double speed;         /* --speed of the replay */
	struct recorder *rec;
	const char *theme;    /* --theme NAME|PATH, or NULL */
};

static int
parse_graphs(const char *s)
{
	if (strcmp(s, "braille") == 0)
		return GRAPH_BRAILLE;
	if (strcmp(s, "block") == 0)
		return GRAPH_BLOCK;
	if (strcmp(s, "ascii") == 0)
		return GRAPH_ASCII;
	return -1;
}

/* While the screen is ours, anything a library writes to stderr would land
 * on top of it: send it to $XDG_STATE_HOME/vmtui/vmtui.log (else
 * ~/.local/state/vmtui/vmtui.log, else /dev/null). Returns the saved fd. */
static int
stderr_to_log(char **logpath)
{
	const char *st = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char *dir;
	int fd, saved = dup(STDERR_FILENO);

	if (st && st[0] == '/')
		dir = xasprintf("%s/vmtui", st);
	else
		dir = xasprintf("%s/.local/state/vmtui", home && home[0] ? home : "/tmp");
	*logpath = xasprintf("%s/vmtui.log", dir);
	if (strncmp(dir, "/tmp", 4) != 0) {
		char *parent = xstrdup(dir);
		char *slash = strrchr(parent, '/');
		if (slash) {
			*slash = '\0';
			mkdir(parent, 0700); /* ~/.local/state may not exist yet */
		}
		free(parent);
	}
	mkdir(dir, 0700);
	fd = open(*logpath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0) {
		free(*logpath);
		*logpath = NULL;
		fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	}
	if (fd >= 0) {
		dup2(fd, STDERR_FILENO);
		close(fd);
	}
	free(dir);
	return saved;
}

static void
stderr_restore(int saved)
{
	if (saved >= 0) {
		dup2(saved, STDERR_FILENO);
		close(saved);
	}
}

/* Returns -1 to exit with failure, 1 to exit with success, 0 to run. */
static int
parse_args(const struct subcmd *cmd, int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		HOST_ARGS_LONGOPTS,
		{ "delay", required_argument, NULL, 'd' },
		{ "graphs", required_argument, NULL, 'g' },
		{ "history", required_argument, NULL, 'H' + 256 },
		{ "record", required_argument, NULL, 'R' + 256 },
		{ "replay", required_argument, NULL, 'P' + 256 },
		{ "speed", required_argument, NULL, 'S' + 256 },
		{ "no-color", no_argument, NULL, 'C' + 256 },
		{ "theme", required_argument, NULL, 'T' + 256 },
		{ "escape", required_argument, NULL, 'E' + 256 },
		{ "graphics-protocol", required_argument, NULL, 'G' + 256 },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;
	char *end;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":d:g:hV" HOST_ARGS_SHORTOPTS, longopts,
	                         NULL)) != -1) {
		if (top_host_arg(&o->h, ch, optarg))
			continue;
		switch (ch) {
		case 'd':
			if (!top_parse_delay(optarg, &o->interval)) {
				fprintf(stderr, "vmtui: -d: \"%s\" is not a number of seconds "
				        "between 0.25 and 3600\n", optarg);
				return -1;
			}
			break;
		case 'g':
			o->graphs = parse_graphs(optarg);
			if (o->graphs < 0) {
				fprintf(stderr, "vmtui: -g: \"%s\" is not braille, block or ascii\n", optarg);
				return -1;
			}
			break;
		case 'H' + 256: {
			unsigned long h;
			errno = 0;
			h = strtoul(optarg, &end, 10);
			if (end == optarg || *end || errno || h < 10 || h > 86400 || optarg[0] == '-') {
				fprintf(stderr, "vmtui: --history: \"%s\" is not a count between 10 "
				        "and 86400\n", optarg);
				return -1;
			}
			o->history = (unsigned)h;
			break;
		}
		case 'C' + 256:
			o->color = 0;
			break;
		case 'R' + 256:
			o->record = optarg;
			break;
		case 'P' + 256:
			o->replay = optarg;
			break;
		case 'S' + 256:
			errno = 0;
			o->speed = strtod(optarg, &end);
			if (end == optarg || *end || errno || !isfinite(o->speed) ||
			    o->speed < 1.0 / 16 || o->speed > 1024) {
				fprintf(stderr, "vmtui: --speed: \"%s\" is not a factor between 0.0625 "
				        "and 1024\n", optarg);
				return -1;
			}
			break;
		case 'T' + 256:
			if (optarg[0] == '\0') {
				fprintf(stderr, "vmtui: --theme: expected a theme name or file\n");
				return -1;
			}
			o->theme = optarg;
			break;
		case 'E' + 256:
			if (!console_parse_escape(optarg, &o->escape)) {
				fprintf(stderr, "vmtui: --escape: \"%s\" is not a control key such as "
				        "^] or ^X\n", optarg);
				return -1;
			}
			break;
		case 'G' + 256:
			if (!gfxterm_protocol_valid(optarg)) {
				fprintf(stderr, "vmtui: --graphics-protocol: \"%s\" is not one of kitty, "
				        "sixel, iterm, symbols\n", optarg);
				return -1;
			}
			o->gfx_protocol = optarg;
			break;
		case 'h':
			subcmd_help(cmd, stdout);
			return 1;
		case 'V':
			printf("vmtui %s\n", PACKAGE_VERSION);
			return 1;
		default:
			subcmd_bad_option(cmd, ch, argv, longopts);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "vmtui: unexpected argument \"%s\"\n", argv[optind]);
		subcmd_hint(cmd);
		return -1;
	}
	if (o->replay && (o->record || o->h.nuris || o->h.nssh)) {
		fprintf(stderr, "vmtui: --replay shows a recording: it takes no %s\n",
		        o->record ? "--record" : "-c or -H");
		return -1;
	}
	if (o->speed && !o->replay) {
		fprintf(stderr, "vmtui: --speed is for --replay FILE\n");
		return -1;
	}
	return 0;
}

/* Config file values fill in what the command line left unset. */
static int
merge_config(struct opts *o, struct config *cfg)
{
	struct config_errors errs = { 0 };
	char *path = o->h.config_path ? xstrdup(o->h.config_path) : config_default_path();
	size_t i;
	int rc = config_load(cfg, path, o->h.config_path == NULL, &errs);

	if (rc == 0 && keys_apply(&cfg->keys, path, &errs) < 0)
		rc = -1;
	for (i = 0; i < errs.n; i++)
		fprintf(stderr, "%s\n", errs.v[i]);
	if (rc < 0)
		fprintf(stderr, "vmtui: %s has errors; nothing was changed. Fix them or "
		        "start with -f /dev/null.\n", path);
	config_errors_free(&errs);
	free(path);
	if (rc < 0)
		return -1;
	if (o->h.nuris == 0 && o->h.nssh == 0)
		for (i = 0; i < cfg->nuris; i++) {
			o->h.uris = xreallocarray(o->h.uris, o->h.nuris + 1, sizeof *o->h.uris);
			o->h.uris[o->h.nuris++] = cfg->uris[i];
		}
	if (!o->h.readonly && cfg->readonly_set)
		o->h.readonly = cfg->readonly;
	if (o->interval == 0)
		o->interval = cfg->interval ? cfg->interval : 2.0;
	if (o->history == 0)
		o->history = cfg->history ? cfg->history : 600;
	if (o->graphs < 0 && cfg->graphs != CFG_GRAPHS_AUTO)
		o->graphs = cfg->graphs - CFG_GRAPHS_BRAILLE + GRAPH_BRAILLE;
	if (o->color < 0)
		o->color = cfg->color;
	return 0;
}

/* The theme of --theme or config.yaml, else dark. A broken or missing
 * theme leaves dark in force; its errors go to the status line. */
static void
load_theme(const char *name)
{
	struct theme_dirs d;
	struct theme t;
	struct config_errors errs = { 0 };
	size_t i;

	if (name == NULL)
		return;
	theme_dirs_init(&d, VMTUI_DATADIR);
	if (theme_load(&t, name, &d, &errs) < 0) {
		for (i = 1; i < errs.n; i++)
			msglog_add(MSG_ERROR, "%s", errs.v[i]);
		msglog_add(MSG_ERROR, "%s (the dark theme is used%s)", errs.n ? errs.v[0] : name,
		           errs.n > 1 ? "; L shows every error" : "");
	}
	screen_set_theme(&t);
	config_errors_free(&errs);
	theme_dirs_free(&d);
}

/* config.yaml's bulk_limit:, everywhere and for each host by its name. */
static void
bulk_limits(struct app *a, const struct config *cfg)
{
	size_t i, j;

	a->bulk_limit = cfg->bulk_limit;
	a->host_bulk_limit = xcalloc(a->nhosts ? a->nhosts : 1, sizeof *a->host_bulk_limit);
	for (i = 0; i < a->nhosts; i++)
		for (j = 0; j < cfg->nhosts; j++)
			if (cfg->hosts[j].name && cfg->hosts[j].bulk_limit &&
			    strcmp(cfg->hosts[j].name, host_label(a->hosts[i])) == 0)
				a->host_bulk_limit[i] = cfg->hosts[j].bulk_limit;
}

/* The hosts to manage: -c URIs and -H SSH targets as given; else the hosts
 * (and connect URIs) of the config file; else libvirt's default. */
static void
make_hosts(struct app *a, const struct opts *o, const struct config *cfg)
{
	char fbuf[16], sbuf[16];
	int fkey = keys_first(CMD_FORCE_OFF), skey = keys_first(CMD_START);
	struct host_opts ho = {
		.readonly = o->h.readonly,
		.interval_ms = a->interval_ms,
		.history = o->history,
		.known_hosts = o->h.known_hosts,
		.rec = o->rec,
		/* For "still runs ... after the shutdown request: F forces it off". */
		.shutdown_wait_ms = cfg->shutdown_wait_ms,
		.force_key = fkey >= 0 ? keys_label(fkey, fbuf, sizeof fbuf) : NULL,
		.start_key = skey >= 0 ? keys_label(skey, sbuf, sizeof sbuf) : NULL,
	};
	bool from_cfg = o->h.nuris == 0 && o->h.nssh == 0;

	top_add_hosts(&ho, o->h.uris, o->h.nuris, o->h.ssh, o->h.nssh,
	              from_cfg ? cfg->hosts : NULL, from_cfg ? cfg->nhosts : 0,
	              &a->hosts, &a->nhosts);
	a->collapsed = xcalloc(a->nhosts, sizeof *a->collapsed);
	bulk_limits(a, cfg);
}

/* --replay: read the recording and make its hosts; bad lines become
 * messages (status line, action log), the good ones are played. */
static int
open_replay(struct app *a, const struct opts *o, struct recording *rec)
{
	size_t i;

	if (recording_read(o->replay, rec) < 0 || rec->n == 0) {
		for (i = 0; i < rec->nerrors; i++)
			fprintf(stderr, "vmtui: %s\n", rec->errors[i]);
		if (rec->n == 0)
			fprintf(stderr, "vmtui: %s: no samples to replay\n", o->replay);
		return -1;
	}
	for (i = 0; i < rec->nerrors; i++)
		msglog_add(MSG_ERROR, "%s", rec->errors[i]);
	if (rec->note)
		msglog_add(MSG_INFO, "%s", rec->note);
	if (rec->nerrors)
		msglog_add(MSG_ERROR, "%s: %zu bad line%s skipped (L lists them); first: %s",
		           o->replay, rec->nerrors, rec->nerrors == 1 ? "" : "s", rec->errors[0]);
	a->replay = replay_new(rec, o->speed ? o->speed : 1.0, o->history, &a->hosts, &a->nhosts);
	a->collapsed = xcalloc(a->nhosts, sizeof *a->collapsed);
	a->readonly = true;
	return 0;
}

/* The screen: `vmtui [OPTION]...` and `vmtui top [--record FILE]`;
 * libvirt and its event loop are running (the row's needs). */
int
tui_main(const struct subcmd *cmd, int argc, char **argv)
{
	struct opts o = { .graphs = -1, .color = -1 };
	struct config cfg;
	struct app a;
	size_t i;
	int rc, saved_stderr;
	char *logpath = NULL, *err = NULL;
	const char *nocolor, *why;
	struct recording rec = { 0 };

	ui_set(&vmtui_ui); /* the views' commands, before keys: of config.yaml */
	config_init(&cfg);
	rc = parse_args(cmd, argc, argv, &o);
	if (rc == 0)
		rc = merge_config(&o, &cfg) < 0 ? -1 : 0;
	if (rc != 0) {
		free(o.h.uris);
		free(o.h.ssh);
		config_free(&cfg);
		return rc < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "vmtui: needs a terminal on standard input and output\n");
		free(o.h.uris);
		free(o.h.ssh);
		config_free(&cfg);
		return EXIT_FAILURE;
	}

	memset(&a, 0, sizeof a);
	a.readonly = o.h.readonly;
	a.console_escape = o.escape;
	a.gfx_protocol = o.gfx_protocol ? o.gfx_protocol
	                 : cfg.gfx_protocol != CFG_GFX_AUTO ? cfg_gfx_protocols[cfg.gfx_protocol] : NULL;
	a.gfx_symbols = gfxterm_symbols(cfg.gfx_symbols);
	a.gfx_fps = cfg.gfx_fps;
	if (cfg.wait_warn > 0)
		app_wait_warn = cfg.wait_warn;
	a.interval_ms = (unsigned)(o.interval * 1000);
	a.sort = SORT_NAME;
	if (o.replay) {
		if (open_replay(&a, &o, &rec) < 0) {
			recording_free(&rec);
			return EXIT_FAILURE;
		}
	} else {
		if (o.record && (o.rec = recorder_open(o.record, o.interval, &err)) == NULL) {
			fprintf(stderr, "vmtui: --record: %s\n", err);
			free(err);
			free(o.h.uris);
			free(o.h.ssh);
			config_free(&cfg);
			return EXIT_FAILURE;
		}
		make_hosts(&a, &o, &cfg);
	}

	load_theme(o.theme ? o.theme : cfg.theme);
	if ((why = screen_unusable()) != NULL) {
		fprintf(stderr, "vmtui: %s\n", why);
		return EXIT_FAILURE;
	}
	nocolor = getenv("NO_COLOR");
	if (screen_init(o.color != 0 && (nocolor == NULL || nocolor[0] == '\0')) < 0) {
		fprintf(stderr, "vmtui: cannot initialise the terminal\n");
		return EXIT_FAILURE;
	}
	a.gmode = o.graphs >= 0 ? (enum graph_mode)o.graphs : screen_graph_mode();
	if (a.gmode == GRAPH_BRAILLE && !screen_utf8())
		a.gmode = GRAPH_ASCII;
	if (a.replay)
		replay_start(a.replay);
	for (i = 0; i < a.nhosts && a.replay == NULL; i++)
		host_start(a.hosts[i]);

	saved_stderr = stderr_to_log(&logpath);
	rc = app_run(&a);
	screen_end();
	stderr_restore(saved_stderr);
	if (screen_got_quit_signal)
		fprintf(stderr, "vmtui: quit on signal\n");
	free(logpath);

	replay_stop(a.replay);
	for (i = 0; i < a.nhosts; i++)
		host_free(a.hosts[i]);
	replay_free(a.replay);
	for (i = 0; i < rec.nerrors; i++)
		fprintf(stderr, "vmtui: %s\n", rec.errors[i]);
	recording_free(&rec);
	if (o.rec && recorder_error(o.rec))
		fprintf(stderr, "vmtui: --record: %s\n", recorder_error(o.rec));
	recorder_close(o.rec);
	lv_stop();
	free(a.hosts);
	free(a.rows);
	free(a.flat);
	free(a.rows_gens);
	app_rows_free(&a);
	free(a.collapsed);
	free(a.host_bulk_limit);
	marks_free(a.marks);
	free(a.status);
	free(a.confirm.text);
	free(o.h.uris);
	free(o.h.ssh);
	config_free(&cfg);
	keys_reset();
	msglog_free_all();
	return rc;
}

int
main(int argc, char **argv)
{
	const struct subcmd *cmd;
	int rc;

	setlocale(LC_ALL, "");
	xmalloc_init();
	cmd = subcmd_find(argc, argv);
	if (cmd == NULL) {
		fprintf(stderr, "vmtui: unknown command \"%s\"; vmtui help lists the commands.\n",
		        argv[1]);
		return EXIT_FAILURE;
	}
	/* A daemon that dies mid-call would kill us with SIGPIPE, without a
	 * word and before any roll-back: libvirt wants it ignored. A reader
	 * that goes away (| head) then shows as a write error instead. */
	signal(SIGPIPE, SIG_IGN);
	if (cmd->conn != CONN_NONE && lv_start(cmd->events) < 0) {
		fprintf(stderr, "vmtui: cannot initialise libvirt%s.\n",
		        cmd->events ? " or its event loop" : "");
		return EXIT_FAILURE;
	}
	rc = cmd->name ? cmd->run(cmd, argc - 1, argv + 1) : cmd->run(cmd, argc, argv);
	lv_stop();
	return rc;
}
