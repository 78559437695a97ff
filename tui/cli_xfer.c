/* cli_xfer.c — `vmtui vol upload` and `vmtui vol download`: a local file
 * into a storage pool as a new volume, a volume to a local file
 * (model/store/transfer.h), on libvirt's default host, -c URI, or -H HOST
 * over the in-process SSH transport. A progress line on stderr when it is
 * a terminal, one summary line otherwise; Ctrl-C cancels cleanly. */
#include "subcmd.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libvirt/virterror.h>

#include "../model/base/xmalloc.h"
#include "../model/host/lvutil.h"
#include "../model/host/sshlink.h"
#include "../model/store/transfer.h"
#include "format.h"

struct xopts {
	const char *uri, *ssh, *known_hosts;
	struct xfer_req req;
	char **args;
	int nargs;
};

enum { OPT_KNOWN_HOSTS = 256, OPT_NAME, OPT_FORMAT, OPT_FORCE, OPT_DENSE, OPT_BWLIMIT };

/* Options of both verbs; the ones a verb does not take are refused after. */
static int
xparse(const struct subcmd *cmd, const char *verb, int argc, char **argv, struct xopts *o)
{
	static const struct option longopts[] = {
		{ "connect", required_argument, NULL, 'c' },
		{ "host", required_argument, NULL, 'H' },
		{ "known-hosts", required_argument, NULL, OPT_KNOWN_HOSTS },
		{ "name", required_argument, NULL, OPT_NAME },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "dense", no_argument, NULL, OPT_DENSE },
		{ "bwlimit", required_argument, NULL, OPT_BWLIMIT },
		{ "readonly", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool upload = strcmp(verb, "upload") == 0;
	int ch;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":c:H:rh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			o->uri = optarg;
			break;
		case 'H':
			o->ssh = optarg;
			break;
		case OPT_KNOWN_HOSTS:
			o->known_hosts = optarg;
			break;
		case OPT_NAME:
		case OPT_FORMAT:
		case OPT_FORCE:
			if (upload == (ch == OPT_FORCE)) {
				fprintf(stderr, "vmtui vol %s: %s applies to %s only.\n", verb,
				        ch == OPT_NAME ? "--name" : ch == OPT_FORMAT ? "--format" : "--force",
				        upload ? "download" : "upload");
				return -1;
			}
			if (ch == OPT_NAME) {
				char *why = xfer_vol_name_check(optarg);
				if (why) {
					fprintf(stderr, "vmtui vol upload: --name: %s\n", why);
					free(why);
					return -1;
				}
				free(o->req.vol);
				o->req.vol = xstrdup(optarg);
			} else if (ch == OPT_FORCE) {
				o->req.force = true;
			} else if (!xfer_format_parse(optarg, &o->req.format)) {
				fprintf(stderr, "vmtui vol upload: --format: \"%s\" is not a format; use "
				        "raw, qcow2 or iso.\n", optarg);
				return -1;
			}
			break;
		case 'r':
			fprintf(stderr, "vmtui vol %s: cannot %s with -r (read-only); nothing was "
			        "changed. Drop -r to %s.\n", verb, verb, verb);
			return -1;
		case OPT_DENSE:
			o->req.dense = true;
			break;
		case OPT_BWLIMIT:
			if (!xfer_parse_rate(optarg, &o->req.bwlimit)) {
				fprintf(stderr, "vmtui vol %s: --bwlimit: \"%s\" is not a rate; use bytes "
				        "a second, e.g. 500K, 20M.\n", verb, optarg);
				return -1;
			}
			break;
		case 'h':
			subcmd_help(cmd, stdout);
			return 1;
		default:
			subcmd_bad_option(cmd, ch, argv, longopts);
			return -1;
		}
	}
	o->args = argv + optind;
	o->nargs = argc - optind;
	/* The verb itself, when the dispatcher left it among the arguments. */
	if (o->nargs > 0 && strcmp(o->args[0], verb) == 0) {
		o->args++;
		o->nargs--;
	}
	return 0;
}

struct xconn {
	virConnectPtr conn;
	struct sshlink *link;
	char *virsh_uri; /* for the virsh line */
};

/* Connect to -c URI, or to -H HOST (where -c names the remote URI). */
static int
xconnect(const struct xopts *o, struct xconn *c)
{
	struct subcmd_target t = { o->uri, o->ssh, o->known_hosts };

	memset(c, 0, sizeof *c);
	if (o->ssh != NULL && subcmd_link_open(&t, &c->link) < 0)
		return -1;
	c->conn = xfer_connect(c->link ? sshlink_uri(c->link) : o->uri, NULL);
	if (c->conn == NULL) {
		fprintf(stderr, "vmtui: cannot connect to %s: %s\n",
		        o->ssh ? o->ssh : o->uri ? o->uri : "libvirt's default host",
		        virGetLastErrorMessage());
		sshlink_close(c->link);
		c->link = NULL;
		return -1;
	}
	c->virsh_uri = subcmd_virsh_uri(c->conn, &t);
	return 0;
}

static void
xclose(struct xconn *c)
{
	if (c->conn)
		virConnectClose(c->conn);
	sshlink_close(c->link);
	free(c->virsh_uri);
}

/* ---- progress and Ctrl-C ---- */

static struct xfer_watch *signal_watch;

static void
on_signal(int sig)
{
	(void)sig;
	if (signal_watch)
		xfer_cancel(signal_watch);
}

/* Ctrl-C (and SIGTERM, SIGHUP) cancel; a second one kills at once. */
static void
catch_signals(struct xfer_watch *w, struct sigaction *saved)
{
	struct sigaction sa;
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	size_t i;

	signal_watch = w;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART | SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < 3; i++)
		sigaction(sigs[i], &sa, &saved[i]);
}

static void
restore_signals(const struct sigaction *saved)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	size_t i;

	for (i = 0; i < 3; i++)
		sigaction(sigs[i], &saved[i], NULL);
	signal_watch = NULL;
}

struct tty_progress {
	bool tty;
	bool drawn;
	uint64_t now_ns;
};

static uint64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * XFER_NS + (uint64_t)ts.tv_nsec;
}

/* "  1.2G of 4.0G  30.0%  512M/s  5s left", on stderr, over the last one. */
static void
show_progress(void *opaque, const struct xfer_progress *p)
{
	struct tty_progress *t = opaque;
	uint64_t now = mono_ns();
	char done[16], total[16], rate[16], eta[16], pct[16];
	double e = xfer_progress_eta(p, now);

	if (!t->tty)
		return;
	fmt_bytes(done, sizeof done, (double)p->done);
	fmt_bytes(total, sizeof total, (double)p->total);
	fmt_rate(rate, sizeof rate, xfer_progress_rate(p, now));
	fmt_pct(pct, sizeof pct, xfer_progress_pct(p));
	fmt_duration(eta, sizeof eta, e);
	fprintf(stderr, "\r%6s of %-6s %5s%%  %8s  %s left\033[K", done, total, pct, rate, eta);
	fflush(stderr);
	t->drawn = true;
}

/* Run r on the connection, with progress and Ctrl-C; the exit status. */
static int
xrun(const struct xopts *o, struct xconn *c)
{
	struct tty_progress t = { .tty = isatty(STDERR_FILENO) != 0 };
	struct xfer_watch w = { .progress = show_progress, .opaque = &t };
	struct sigaction saved[3];
	enum xfer_outcome rc;
	char *msg = NULL, *virsh;
	struct stat sb;

	atomic_init(&w.cancel, false);
	catch_signals(&w, saved);
	rc = xfer_run(c->conn, &o->req, &w, &msg, NULL);
	restore_signals(saved);
	if (t.drawn)
		fputc('\n', stderr);
	if (rc == XFER_DONE) {
		virsh = xfer_virsh(c->virsh_uri[0] ? c->virsh_uri : NULL, &o->req,
		                   o->req.dir == XFER_UPLOAD && stat(o->req.path, &sb) == 0 ?
		                   (uint64_t)sb.st_size : 0);
		printf("%s\n(virsh: %s)\n", msg, virsh);
		free(virsh);
	} else {
		fprintf(stderr, "vmtui vol %s: %s\n", o->req.dir == XFER_UPLOAD ? "upload" :
		        "download", msg);
	}
	free(msg);
	return rc == XFER_DONE ? EXIT_SUCCESS : rc == XFER_CANCELLED ? 130 : EXIT_FAILURE;
}

/* Parse, check, connect, run: both verbs. */
static int
xmain(const struct subcmd *cmd, const char *verb, int argc, char **argv)
{
	struct xopts o = { 0 };
	struct xconn c;
	bool upload = strcmp(verb, "upload") == 0;
	int rc = xparse(cmd, verb, argc, argv, &o), want = upload ? 2 : 3;
	char *why;

	if (rc != 0) {
		rc = rc > 0 ? EXIT_SUCCESS : -1; /* --help, or a bad option */
		goto out;
	}
	if (o.nargs != want) {
		fprintf(stderr, "vmtui vol %s: expected %s\n", verb,
		        upload ? "a pool and a file" : "a pool, a volume and a file");
		subcmd_hint(cmd);
		rc = -1;
		goto out;
	}
	o.req.dir = upload ? XFER_UPLOAD : XFER_DOWNLOAD;
	o.req.pool = xstrdup(o.args[0]);
	if (upload) {
		o.req.path = xstrdup(o.args[1]);
		if (access(o.req.path, R_OK) != 0) {
			fprintf(stderr, "vmtui vol upload: cannot read %s: %s.\n", o.req.path,
			        strerror(errno));
			rc = -1;
			goto out;
		}
		xfer_req_default_name(&o.req);
		if ((why = xfer_vol_name_check(o.req.vol)) != NULL) {
			fprintf(stderr, "vmtui vol upload: --name: %s\n", why);
			free(why);
			rc = -1;
			goto out;
		}
	} else {
		o.req.vol = xstrdup(o.args[1]);
		o.req.path = xstrdup(o.args[2]);
	}
	if (xconnect(&o, &c) < 0) {
		rc = -1;
		goto out;
	}
	rc = xrun(&o, &c);
	xclose(&c);
out:
	xfer_req_clear(&o.req);
	return rc < 0 ? EXIT_FAILURE : rc;
}

int
cli_vol_upload(const struct subcmd *cmd, int argc, char **argv)
{
	return xmain(cmd, "upload", argc, argv);
}

int
cli_vol_download(const struct subcmd *cmd, int argc, char **argv)
{
	return xmain(cmd, "download", argc, argv);
}
