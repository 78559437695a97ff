/* cli_complete.c — `vmtui complete`: the names shell completion offers
 * (contrib: completion/vmtui.bash, _vmtui, vmtui.fish). What a word can
 * be comes from the commands' help texts (tui/clicomp.c); the names from
 * config.yaml, ~/.ssh/config, the themes and, for guests, pools, networks
 * and volumes, the host itself. A host is asked in a child process of its
 * own session that is killed after --timeout (default 2 s; also
 * $VMTUI_COMPLETE_TIMEOUT): no terminal, so no password or host key is
 * ever asked, and an unreachable host costs at most the timeout. */
#include "subcmd.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <libvirt/virterror.h>

#include "../config/config.h"
#include "../config/theme.h"
#include "../model/base/xmalloc.h"
#include "../model/host/lvutil.h"
#include "../model/host/sshlink.h"
#include "clicomp.h"

#define DEFAULT_TIMEOUT 2.0

struct names {
	char **v;
	size_t n;
};

static void
names_add(struct names *nm, const char *s)
{
	size_t i;

	if (s == NULL || *s == '\0' || strchr(s, '\n'))
		return;
	for (i = 0; i < nm->n; i++)
		if (strcmp(nm->v[i], s) == 0)
			return;
	nm->v = xreallocarray(nm->v, nm->n + 1, sizeof *nm->v);
	nm->v[nm->n++] = xstrdup(s);
}

static void
names_free(struct names *nm)
{
	while (nm->n)
		free(nm->v[--nm->n]);
	free(nm->v);
	nm->v = NULL;
}

static void
names_print(const struct names *nm, const char *prefix)
{
	size_t i;

	for (i = 0; i < nm->n; i++)
		printf("%s%s\n", prefix ? prefix : "", nm->v[i]);
}

/* config.yaml (path, or the default one) quietly: a broken or missing
 * file gives no names. */
static void
load_config(struct config *cfg, const char *path)
{
	struct config_errors errs = { 0 };
	char *p = path ? xstrdup(path) : config_default_path();

	config_init(cfg);
	if (config_load(cfg, p, true, &errs) < 0)
		config_init(cfg);
	config_errors_free(&errs);
	free(p);
}

/* -c: the URIs of config.yaml (connect: and the hosts'), the default
 * one, and the local system and session hypervisors. */
static void
uris(struct names *nm, const char *config)
{
	struct config cfg;
	const char *env = getenv("LIBVIRT_DEFAULT_URI");
	size_t i;

	load_config(&cfg, config);
	for (i = 0; i < cfg.nuris; i++)
		names_add(nm, cfg.uris[i]);
	for (i = 0; i < cfg.nhosts; i++) {
		if (cfg.hosts[i].ssh == NULL) {
			names_add(nm, cfg.hosts[i].uri);
		} else if (cfg.hosts[i].uri == NULL) {
			char *u = xasprintf("qemu+ssh://%s/system", cfg.hosts[i].ssh);
			names_add(nm, u);
			free(u);
		}
	}
	names_add(nm, env);
	names_add(nm, "qemu:///system");
	names_add(nm, "qemu:///session");
	config_free(&cfg);
}

/* The Host aliases of an ssh_config file and the files it includes
 * (relative paths are under ~/.ssh, as ssh reads them). */
static void
ssh_config_file(struct names *nm, const char *path, int depth)
{
	struct config_errors errs = { 0 };
	size_t len, i, j, nh = 0, ni = 0;
	char *text = config_read_file(path, &len, &errs), **hosts = NULL, **inc = NULL;
	const char *home = getenv("HOME");

	config_errors_free(&errs);
	if (text == NULL)
		return;
	cc_ssh_config_hosts(text, &hosts, &nh, &inc, &ni);
	for (i = 0; i < nh; i++) {
		names_add(nm, hosts[i]);
		free(hosts[i]);
	}
	for (i = 0; i < ni; i++) {
		glob_t g;
		char *pat = inc[i][0] == '/' ? xstrdup(inc[i])
		            : inc[i][0] == '~' ? xasprintf("%s%s", home ? home : "", inc[i] + 1)
		            : xasprintf("%s/.ssh/%s", home ? home : "", inc[i]);
		if (depth < 8 && glob(pat, 0, NULL, &g) == 0) {
			for (j = 0; j < g.gl_pathc; j++)
				ssh_config_file(nm, g.gl_pathv[j], depth + 1);
			globfree(&g);
		}
		free(pat);
		free(inc[i]);
	}
	free(hosts);
	free(inc);
	free(text);
}

/* -H: config.yaml's SSH hosts, then ~/.ssh/config's aliases. */
static void
ssh_hosts(struct names *nm, const char *config)
{
	struct config cfg;
	const char *home = getenv("HOME");
	size_t i;

	load_config(&cfg, config);
	for (i = 0; i < cfg.nhosts; i++)
		names_add(nm, cfg.hosts[i].ssh);
	config_free(&cfg);
	if (home && *home) {
		char *p = xasprintf("%s/.ssh/config", home);
		ssh_config_file(nm, p, 0);
		free(p);
	}
}

static void
themes(struct names *nm)
{
	struct theme_dirs d;
	size_t i, n;
	char **v;

	theme_dirs_init(&d, VMTUI_DATADIR);
	v = theme_list(&d, &n);
	for (i = 0; i < n; i++)
		names_add(nm, v[i]);
	theme_list_free(v, n);
	theme_dirs_free(&d);
}

/* The commands, without the plumbing: this one (for the shells) and
 * ssh-proxy (the ProxyCommand `vmtui ssh` gives ssh). */
static void
commands(struct names *nm)
{
	const struct subcmd *c;
	size_t i;

	for (i = 1; (c = subcmd_at(i)) != NULL; i++)
		if (strcmp(c->name, "complete") != 0 && strcmp(c->name, "ssh-proxy") != 0)
			names_add(nm, c->name);
}

/* ---- names from a host, in a child that is killed when late ---- */

static const virConnectAuth no_questions = { NULL, 0, NULL, NULL };

/* In the child: write the names of kind on fd, one a line. */
static int
host_names(int fd, enum cc_kind kind, const struct cc_target *t, const char *pool,
           unsigned timeout_s)
{
	struct sshlink *link = NULL;
	virConnectPtr c;
	FILE *out = fdopen(fd, "w");
	int i, n = -1;

	if (out == NULL)
		return 1;
	if (t->ssh) {
		struct sshlink_opts o = {
			.target = t->ssh, .remote_uri = t->uri, .known_hosts = t->known_hosts,
			.timeout_s = timeout_s, .ask = NULL,
		};
		char *err = NULL;
		if (sshlink_open(&o, &link, &err) < 0) {
			fprintf(stderr, "vmtui complete: %s: %s\n", t->ssh, err);
			free(err);
			return 1;
		}
	}
	c = lv_open(link ? sshlink_uri(link) : t->uri, true, (virConnectAuthPtr)&no_questions);
	if (c == NULL) {
		fprintf(stderr, "vmtui complete: %s\n", virGetLastErrorMessage());
		return 1;
	}
	if (kind == CC_GUESTS) {
		virDomainPtr *d = NULL;
		n = virConnectListAllDomains(c, &d, 0);
		for (i = 0; i < n; i++) {
			fprintf(out, "%s\n", virDomainGetName(d[i]));
			virDomainFree(d[i]);
		}
		free(d);
	} else if (kind == CC_POOLS) {
		virStoragePoolPtr *p = NULL;
		n = virConnectListAllStoragePools(c, &p, 0);
		for (i = 0; i < n; i++) {
			fprintf(out, "%s\n", virStoragePoolGetName(p[i]));
			virStoragePoolFree(p[i]);
		}
		free(p);
	} else if (kind == CC_NETS) {
		virNetworkPtr *v = NULL;
		n = virConnectListAllNetworks(c, &v, 0);
		for (i = 0; i < n; i++) {
			fprintf(out, "%s\n", virNetworkGetName(v[i]));
			virNetworkFree(v[i]);
		}
		free(v);
	} else if (kind == CC_VOLS && pool) {
		virStoragePoolPtr p = virStoragePoolLookupByName(c, pool);
		virStorageVolPtr *v = NULL;
		if (p)
			n = virStoragePoolListAllVolumes(p, &v, 0);
		for (i = 0; i < n; i++) {
			fprintf(out, "%s\n", virStorageVolGetName(v[i]));
			virStorageVolFree(v[i]);
		}
		free(v);
		if (p)
			virStoragePoolFree(p);
	}
	fclose(out);
	virConnectClose(c);
	if (link)
		sshlink_close(link);
	return n < 0;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The child: a session of its own (no terminal for ssh to ask on),
 * nothing on stdin, stderr only with $VMTUI_COMPLETE_DEBUG. */
static void
child_setup(void)
{
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);

	setsid();
	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		if (getenv("VMTUI_COMPLETE_DEBUG") == NULL)
			dup2(null, STDERR_FILENO);
		close(null);
	}
	/* ssh never asks through a helper program either */
	setenv("SSH_ASKPASS_REQUIRE", "never", 1);
	unsetenv("SSH_ASKPASS");
	unsetenv("DISPLAY");
	unsetenv("WAYLAND_DISPLAY");
}

/* The names of kind from the line's host into nm, waiting at most
 * timeout seconds. 0; -1 when the host did not answer in time; -2 when
 * it could not be asked. */
static int
from_host(struct names *nm, enum cc_kind kind, const struct cc_target *t, const char *pool,
          double timeout)
{
	int fds[2], status = 0;
	double end = now_s() + timeout;
	char buf[4096], *acc = NULL, *line, *nl;
	size_t len = 0;
	bool late = false;
	pid_t pid;

	fflush(stdout);
	if (pipe(fds) < 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		child_setup();
		_exit(host_names(fds[1], kind, t, pool, (unsigned)ceil(timeout)));
	}
	close(fds[1]);
	for (;;) {
		struct pollfd p = { fds[0], POLLIN, 0 };
		double left = end - now_s();
		ssize_t r;

		if (left <= 0) {
			late = true;
			break;
		}
		if (poll(&p, 1, (int)(left * 1000) + 1) < 0 && errno != EINTR)
			break;
		if (p.revents == 0)
			continue;
		r = read(fds[0], buf, sizeof buf);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		acc = xrealloc(acc, len + (size_t)r + 1);
		memcpy(acc + len, buf, (size_t)r);
		len += (size_t)r;
		acc[len] = '\0';
	}
	close(fds[0]);
	if (late) {
		kill(-pid, SIGKILL); /* its session: ssh and the like too */
		kill(pid, SIGKILL);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	for (line = acc; line && *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (nl == NULL)
			break; /* cut short */
		*nl = '\0';
		names_add(nm, line);
	}
	free(acc);
	if (late)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -2;
}

/* --timeout or $VMTUI_COMPLETE_TIMEOUT: seconds, 0.1 to 60. */
static bool
parse_timeout(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end || errno || !isfinite(v) || v < 0.1 || v > 60)
		return false;
	*out = v;
	return true;
}

/* ---- the subcommand ---- */

/* The names of one kind into nm (CC_WORDS, CC_FILES and CC_DIRS are the
 * caller's). */
static void
gather(struct names *nm, enum cc_kind k, const struct cc_target *t, const char *pool,
       double timeout)
{
	switch (k) {
	case CC_COMMANDS:
		commands(nm);
		break;
	case CC_URIS:
		uris(nm, t->config);
		break;
	case CC_SSH_HOSTS:
		ssh_hosts(nm, t->config);
		break;
	case CC_THEMES:
		themes(nm);
		break;
	case CC_GUESTS:
	case CC_POOLS:
	case CC_NETS:
	case CC_VOLS:
		from_host(nm, k, t, pool, timeout);
		break;
	default:
		break;
	}
}

/* `vmtui complete words -- vmtui WORD... CURRENT`: a first line saying
 * what the shell adds itself (files, dirs, or -), then the candidates. */
static int
complete_words(char **w, int n, double timeout)
{
	const struct subcmd *cmd = NULL;
	struct cc_spec spec;
	struct cc_answer a;
	struct cc_target t;
	struct names nm = { 0 };
	int k, skip;

	if (n < 2) {
		fprintf(stderr, "vmtui complete words: expected the words of the line, "
		        "\"vmtui\" first and the word being completed last\n");
		return EXIT_FAILURE;
	}
	/* the command is the first word after vmtui, when not an option */
	if (n > 2 && w[1][0] != '-')
		cmd = subcmd_named(w[1]);
	if (n > 2 && w[1][0] != '-' && cmd == NULL) {
		puts("-");
		return EXIT_SUCCESS; /* an unknown command: nothing to offer */
	}
	if (cmd == NULL)
		cmd = subcmd_named(NULL);
	skip = cmd->name ? 2 : 1;
	cc_spec_parse(&spec, cmd->name, cmd->help);
	cc_answer_for(&a, &spec, cmd->name == NULL, w + skip, (size_t)(n - skip));
	cc_target_of(&t, w + 1, (size_t)(n - 2));
	puts(a.kinds & 1u << CC_FILES ? "files" : a.kinds & 1u << CC_DIRS ? "dirs" : "-");
	if (a.kinds & 1u << CC_WORDS)
		for (k = 0; k < (int)a.nwords; k++)
			names_add(&nm, a.words[k]);
	for (k = 0; k < CC_NKINDS; k++)
		if (a.kinds & 1u << k)
			gather(&nm, (enum cc_kind)k, &t, a.pool, timeout);
	names_print(&nm, a.prefix);
	names_free(&nm);
	cc_answer_free(&a);
	cc_spec_free(&spec);
	return EXIT_SUCCESS;
}

/* `vmtui complete options [COMMAND]`. */
static int
complete_options(const char *name)
{
	const struct subcmd *cmd = subcmd_named(name);
	struct cc_spec spec;
	size_t i;

	if (cmd == NULL) {
		fprintf(stderr, "vmtui complete options: unknown command \"%s\"\n", name);
		return EXIT_FAILURE;
	}
	cc_spec_parse(&spec, cmd->name, cmd->help);
	for (i = 0; i < spec.nopts; i++)
		printf("%s%s%s%s%s\n", spec.opts[i].shortname ? spec.opts[i].shortname : "",
		       spec.opts[i].shortname && spec.opts[i].longname ? " " : "",
		       spec.opts[i].longname ? spec.opts[i].longname : "",
		       spec.opts[i].arg ? " " : "", spec.opts[i].arg ? spec.opts[i].arg : "");
	cc_spec_free(&spec);
	return EXIT_SUCCESS;
}

static const struct {
	const char *name;
	enum cc_kind kind;
} lists[] = {
	{ "commands", CC_COMMANDS }, { "uris", CC_URIS }, { "hosts", CC_SSH_HOSTS },
	{ "themes", CC_THEMES }, { "guests", CC_GUESTS }, { "pools", CC_POOLS },
	{ "nets", CC_NETS }, { "vols", CC_VOLS },
};

int
cli_complete(const struct subcmd *cmd, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "connect", required_argument, NULL, 'c' },
		{ "host", required_argument, NULL, 'H' },
		{ "known-hosts", required_argument, NULL, 'K' },
		{ "config", required_argument, NULL, 'f' },
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cc_target t = { 0 };
	const char *env = getenv("VMTUI_COMPLETE_TIMEOUT"), *what;
	double timeout = DEFAULT_TIMEOUT;
	struct names nm = { 0 };
	size_t i;
	int ch, rc;

	if (env && *env && !parse_timeout(env, &timeout))
		timeout = DEFAULT_TIMEOUT;
	optind = 1;
	opterr = 0;
	/* options anywhere before "--": the words after "words --" are the
	 * line's own */
	while ((ch = getopt_long(argc, argv, ":c:H:f:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': t.uri = optarg; break;
		case 'H': t.ssh = optarg; break;
		case 'K': t.known_hosts = optarg; break;
		case 'f': t.config = optarg; break;
		case 't':
			if (!parse_timeout(optarg, &timeout)) {
				fprintf(stderr, "vmtui complete: --timeout: \"%s\" is not a number of "
				        "seconds between 0.1 and 60\n", optarg);
				return EXIT_FAILURE;
			}
			break;
		case 'h':
			subcmd_help(cmd, stdout);
			return EXIT_SUCCESS;
		default:
			subcmd_bad_option(cmd, ch, argv, longopts);
			return EXIT_FAILURE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "vmtui complete: expected what to list (words, options, commands, "
		        "uris, hosts, themes, guests, pools, nets, vols)\n");
		subcmd_hint(cmd);
		return EXIT_FAILURE;
	}
	what = argv[optind++];
	if (strcmp(what, "words") == 0) {
		if (optind < argc && strcmp(argv[optind], "--") == 0)
			optind++;
		return complete_words(argv + optind, argc - optind, timeout);
	}
	if (strcmp(what, "options") == 0) {
		if (argc - optind > 1) {
			fprintf(stderr, "vmtui complete options: expected at most one command\n");
			return EXIT_FAILURE;
		}
		return complete_options(optind < argc ? argv[optind] : NULL);
	}
	for (i = 0; i < sizeof lists / sizeof *lists; i++)
		if (strcmp(what, lists[i].name) == 0)
			break;
	if (i == sizeof lists / sizeof *lists) {
		fprintf(stderr, "vmtui complete: \"%s\" is not words, options, commands, uris, "
		        "hosts, themes, guests, pools, nets or vols\n", what);
		subcmd_hint(cmd);
		return EXIT_FAILURE;
	}
	if (argc - optind != (lists[i].kind == CC_VOLS ? 1 : 0)) {
		fprintf(stderr, "vmtui complete %s: %s\n", what, lists[i].kind == CC_VOLS ?
		        "expected one pool" : "expected no argument");
		subcmd_hint(cmd);
		return EXIT_FAILURE;
	}
	rc = 0;
	if (lists[i].kind >= CC_GUESTS)
		rc = from_host(&nm, lists[i].kind, &t, optind < argc ? argv[optind] : NULL, timeout);
	else
		gather(&nm, lists[i].kind, &t, NULL, timeout);
	names_print(&nm, NULL);
	names_free(&nm);
	if (rc == -1)
		fprintf(stderr, "vmtui complete %s: the host gave no answer within %.1f s\n", what,
		        timeout);
	else if (rc < 0)
		fprintf(stderr, "vmtui complete %s: the host could not be asked "
		        "(VMTUI_COMPLETE_DEBUG=1 says why)\n", what);
	if (rc < 0)
		return EXIT_FAILURE;
	return EXIT_SUCCESS;
}
