/* top.c — `vmtui top --batch`: the hosts' workers refresh as in the screen
 * (one bulk stats call per host per interval); each completed refresh
 * after the first becomes one record per guest on standard output. The
 * first refresh only primes the counters, so every record has rates over
 * a whole interval and `-n 1` waits one interval. No curses here. */
#include "top.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "../config/config.h"
#include "../model/host/host.h"
#include "../model/base/msglog.h"
#include "../model/host/lvutil.h"
#include "../model/base/notify.h"
#include "../model/base/xmalloc.h"
#include "subcmd.h"
#include "topfmt.h"

struct top_opts {
	struct host_args h;
	double interval;
	unsigned long count;     /* 0: until interrupted */
	enum top_format fmt;
};

static volatile sig_atomic_t got_signal;

static void
on_signal(int sig)
{
	got_signal = sig;
}

/* Whether the arguments after "top" ask for batch mode (or its help). */
static bool
top_is_batch(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--batch") == 0 || strcmp(argv[i], "-b") == 0 ||
		    strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return true;
	return false;
}

bool
top_parse_delay(const char *arg, double *secs)
{
	char *end;

	errno = 0;
	*secs = strtod(arg, &end);
	return !(end == arg || *end || errno || !isfinite(*secs) || *secs < 0.25 || *secs > 3600);
}

static const char **
push(const char **v, size_t *n, const char *s)
{
	v = xreallocarray(v, *n + 1, sizeof *v);
	v[(*n)++] = s;
	return v;
}

bool
top_host_arg(struct host_args *ha, int ch, const char *arg)
{
	switch (ch) {
	case 'c':
		ha->uris = push(ha->uris, &ha->nuris, arg);
		return true;
	case 'H':
		ha->ssh = push(ha->ssh, &ha->nssh, arg);
		return true;
	case 'K' + 256:
		ha->known_hosts = arg;
		return true;
	case 'r':
		ha->readonly = true;
		return true;
	case 'f':
		ha->config_path = arg;
		return true;
	default:
		return false;
	}
}

/* Returns -1 to fail, 1 to exit with success, 0 to run. */
static int
parse(const struct subcmd *cmd, int argc, char **argv, struct top_opts *o)
{
	static const struct option longopts[] = {
		{ "batch", no_argument, NULL, 'b' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "delay", required_argument, NULL, 'd' },
		{ "csv", no_argument, NULL, 'C' + 256 },
		{ "json", no_argument, NULL, 'J' + 256 },
		HOST_ARGS_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;
	char *end;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":bn:d:h" HOST_ARGS_SHORTOPTS, longopts,
	                         NULL)) != -1) {
		if (top_host_arg(&o->h, ch, optarg))
			continue;
		switch (ch) {
		case 'b':
			break;
		case 'n':
			errno = 0;
			o->count = strtoul(optarg, &end, 10);
			if (end == optarg || *end || errno || optarg[0] == '-' || o->count == 0) {
				fprintf(stderr, "vmtui top: -n: \"%s\" is not a count of samples "
				        "(1 or more)\n", optarg);
				return -1;
			}
			break;
		case 'd':
			if (!top_parse_delay(optarg, &o->interval)) {
				fprintf(stderr, "vmtui top: -d: \"%s\" is not a number of seconds "
				        "between 0.25 and 3600\n", optarg);
				return -1;
			}
			break;
		case 'C' + 256:
		case 'J' + 256:
			if (o->fmt != TOP_TEXT && o->fmt != (ch == 'C' + 256 ? TOP_CSV : TOP_JSON)) {
				fprintf(stderr, "vmtui top: --csv and --json exclude each other\n");
				return -1;
			}
			o->fmt = ch == 'C' + 256 ? TOP_CSV : TOP_JSON;
			break;
		case 'h':
			subcmd_help(cmd, stdout);
			return 1;
		default:
			subcmd_bad_option(cmd, ch, argv, longopts);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "vmtui top: unexpected argument \"%s\"\n", argv[optind]);
		subcmd_hint(cmd);
		return -1;
	}
	return 0;
}

static void
add_host(struct host ***hosts, size_t *n, const struct host_opts *ho)
{
	*hosts = xreallocarray(*hosts, *n + 1, sizeof **hosts);
	(*hosts)[(*n)++] = host_new(ho);
}

void
top_add_hosts(const struct host_opts *base, const char *const *uris, size_t nuris,
              const char *const *ssh, size_t nssh, const struct config_host *ch, size_t nch,
              struct host ***hosts, size_t *n)
{
	struct host_opts ho = *base;
	size_t i, before = *n;

	for (i = 0; i < nuris; i++) {
		ho.uri = uris[i];
		add_host(hosts, n, &ho);
	}
	ho.uri = NULL;
	for (i = 0; i < nssh; i++) {
		ho.ssh = ho.name = ssh[i];
		add_host(hosts, n, &ho);
	}
	for (i = 0; i < nch; i++) {
		ho.name = ch[i].name;
		ho.ssh = ch[i].ssh;
		ho.uri = ch[i].uri;
		ho.key = ch[i].key;
		add_host(hosts, n, &ho);
	}
	if (*n == before)
		add_host(hosts, n, base); /* nothing above: libvirt's default URI */
}

/* -c and -H hosts as given; else the config file's; else libvirt's default. */
static int
make_hosts(const struct top_opts *o, struct host ***hosts, size_t *n)
{
	struct host_opts ho = {
		.readonly = o->h.readonly,
		.interval_ms = (unsigned)(o->interval * 1000),
		.history = 10,
		.known_hosts = o->h.known_hosts,
	};
	struct config cfg;
	struct config_errors errs = { 0 };
	char *path;
	size_t i;
	int rc = 0;

	if (o->h.nuris || o->h.nssh) {
		top_add_hosts(&ho, o->h.uris, o->h.nuris, o->h.ssh, o->h.nssh, NULL, 0, hosts, n);
		return 0;
	}
	config_init(&cfg);
	path = o->h.config_path ? xstrdup(o->h.config_path) : config_default_path();
	if (config_load(&cfg, path, o->h.config_path == NULL, &errs) < 0) {
		for (i = 0; i < errs.n; i++)
			fprintf(stderr, "%s\n", errs.v[i]);
		fprintf(stderr, "vmtui top: %s has errors; fix them or use -c URI.\n", path);
		rc = -1;
	} else {
		top_add_hosts(&ho, (const char *const *)cfg.uris, cfg.nuris, NULL, 0, cfg.hosts,
		              cfg.nhosts, hosts, n);
	}
	config_errors_free(&errs);
	config_free(&cfg);
	free(path);
	return rc;
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp((*(struct vm *const *)a)->name, (*(struct vm *const *)b)->name);
}

/* The records of a host's newest sample, by guest name (lock held). */
static void
format_sample(struct host *h, enum top_format fmt, FILE *out)
{
	struct vm **vms = xcalloc(h->nvms ? h->nvms : 1, sizeof *vms);
	struct top_rec r;
	size_t i;

	memcpy(vms, h->vms, h->nvms * sizeof *vms);
	qsort(vms, h->nvms, sizeof *vms, cmp_name);
	for (i = 0; i < h->nvms; i++) {
		topfmt_from_vm(&r, host_label(h), vms[i], h->sampled_epoch, h->sampled_ns);
		topfmt_record(out, fmt, &r);
	}
	free(vms);
}

/* What stops a host from being sampled, or NULL (lock held). A question
 * (unknown SSH host key, password) cannot be answered here. */
static char *
host_problem(struct host *h, bool *ask)
{
	*ask = h->question.pending;
	if (h->question.pending)
		return xasprintf("%s; batch mode cannot answer: run vmtui once to answer it",
		                 h->question.text ? h->question.text : host_label(h));
	if (h->state == HOST_DOWN)
		return xasprintf("cannot %s %s: %s", h->refreshes ? "stay connected to" :
		                 "connect to", h->uri ? h->uri : h->uri_req ? h->uri_req :
		                 h->ssh ? h->ssh : "libvirt's default host",
		                 h->error ? h->error : "unknown error");
	return NULL;
}

/* Write buf to stdout; false when stdout is gone or failing (*quiet: the
 * reader closed the pipe, which ends the run without a message). */
static bool
emit(const char *buf, size_t len, bool *quiet)
{
	if (len && fwrite(buf, 1, len, stdout) != len)
		goto fail;
	if (fflush(stdout) != 0)
		goto fail;
	return true;
fail:
	*quiet = errno == EPIPE;
	if (!*quiet)
		fprintf(stderr, "vmtui top: cannot write the output: %s\n", strerror(errno));
	return false;
}

/* Sample until every host gave `count` samples; returns the exit status. */
static int
run(const struct top_opts *o, struct host **hosts, size_t n)
{
	uint64_t *seen = xcalloc(n, sizeof *seen);
	unsigned long *done = xcalloc(n, sizeof *done);
	bool header = false, quiet = false;
	int rc = -1;
	uint64_t msg_seq = 0;
	struct msg m;

	for (;;) {
		struct pollfd pfd = { .fd = notify_fd(), .events = POLLIN };
		size_t i, finished = 0;

		if (got_signal) {
			rc = 0;
			break;
		}
		notify_drain();
		/* What the workers report (a stats call that fails) goes to stderr. */
		while (msglog_latest(1u << MSG_ERROR, msg_seq, &m)) {
			msg_seq = m.seq;
			/* A host that cannot connect is said below (host_problem),
			 * in top's own words: not twice. */
			if (strstr(m.text, ": cannot connect: ") == NULL)
				fprintf(stderr, "vmtui top: %s\n", m.text);
			msg_clear(&m);
		}
		for (i = 0; i < n; i++) {
			struct host *h = hosts[i];
			char *buf = NULL, *why;
			size_t len = 0;
			bool ask, ok = true;
			FILE *mem;

			host_lock(h);
			why = host_problem(h, &ask);
			if (why == NULL && h->refreshes != seen[i] &&
			    (o->count == 0 || done[i] < o->count)) {
				bool prime = seen[i] == 0;
				seen[i] = h->refreshes;
				if (!prime && (mem = open_memstream(&buf, &len)) != NULL) {
					if (!header)
						topfmt_header(mem, o->fmt);
					header = true;
					format_sample(h, o->fmt, mem);
					fclose(mem);
					done[i]++;
				}
			}
			host_unlock(h);
			if (why != NULL) {
				if (ask)
					host_answer(h, NULL);
				fprintf(stderr, "vmtui top: %s\n", why);
				free(why);
				goto out;
			}
			if (buf != NULL)
				ok = emit(buf, len, &quiet);
			free(buf);
			if (!ok) {
				rc = quiet ? 0 : -1;
				goto out;
			}
			if (o->count && done[i] >= o->count)
				finished++;
		}
		if (finished == n) {
			rc = 0;
			break;
		}
		if (poll(&pfd, 1, 250) < 0 && errno != EINTR)
			break;
	}
out:
	free(seen);
	free(done);
	return rc;
}

/* `vmtui top --batch ...`; libvirt and its event loop are running (the
 * row's needs). */
static int
top_batch(const struct subcmd *cmd, int argc, char **argv)
{
	struct top_opts o = { .interval = 2.0 };
	struct host **hosts = NULL;
	size_t n = 0, i;
	struct sigaction sa = { .sa_handler = on_signal };
	int rc = parse(cmd, argc, argv, &o);

	if (rc != 0)
		goto done;
	if (make_hosts(&o, &hosts, &n) < 0) {
		rc = -1;
		goto done;
	}
	/* A reader that goes away (| head) ends the run through EPIPE
	 * (main ignores SIGPIPE). */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	for (i = 0; i < n; i++)
		host_start(hosts[i]);
	rc = run(&o, hosts, n);
	for (i = 0; i < n; i++)
		host_free(hosts[i]);
	lv_stop();
	msglog_free_all();
done:
	free(hosts);
	free(o.h.uris);
	free(o.h.ssh);
	return rc < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* The first option of argv that only --batch takes (-n, --iterations,
 * --csv, --json), or NULL. */
static const char *
batch_only_option(int argc, char **argv, char *buf, size_t size)
{
	static const char *const longs[] = { "--iterations", "--csv", "--json" };
	int i;
	size_t k;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		const char *a = argv[i];
		if (a[0] == '-' && a[1] == 'n')
			return "-n";
		for (k = 0; k < sizeof longs / sizeof longs[0]; k++) {
			size_t n = strcspn(a, "=");
			if (n > 3 && strncmp(a, longs[k], n) == 0) {
				snprintf(buf, size, "%s", longs[k]);
				return buf;
			}
		}
	}
	return NULL;
}

int
top_main(const struct subcmd *cmd, int argc, char **argv)
{
	char buf[32];
	const char *opt;

	if (top_is_batch(argc, argv))
		return top_batch(cmd, argc, argv);
	if ((opt = batch_only_option(argc, argv, buf, sizeof buf)) != NULL) {
		fprintf(stderr, "vmtui top: %s needs --batch (vmtui top --batch %s ...); "
		        "without --batch, vmtui top is the screen.\n", opt, opt);
		return EXIT_FAILURE;
	}
	/* vmtui top [--record FILE]: the screen */
	return tui_main(subcmd_named(NULL), argc, argv);
}
