/* cli_migrate.c — `vmtui migrate VM... TARGET`: the target (a URI or a
 * host of config.yaml), each guest's pre-flight plan, then its migration
 * with a progress line a second and its outcome; Ctrl-C aborts the
 * migration running. The work is model/guest/migrate.c's. Its row is in
 * subcmd.c. */
#include "subcmd.h"

#include <errno.h>
#include <fnmatch.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libvirt/libvirt.h>

#include "../config/config.h"
#include "../model/base/xmalloc.h"
#include "../model/guest/migrate.h"
#include "../model/host/lvutil.h"
#include "../model/host/sshlink.h"

/* Exit statuses (vmtui(1)). */
enum { EX_OK = 0, EX_USAGE = 1, EX_REFUSED = 2, EX_FAILED = 3, EX_CANCELLED = 4 };

struct migopts {
	struct subcmd_target t;  /* the source */
	struct mig_opts m;
	const char *config;
	bool check;              /* the pre-flight only */
	char **args;
	int nargs;
};

enum { O_KNOWN = 256, O_LIVE, O_PAUSED, O_OFFLINE, O_COPY, O_KEEP, O_TRANSIENT, O_UNSAFE,
       O_P2P, O_MURI, O_BW, O_CHECK, O_CONFIG };

/* The one migration Ctrl-C aborts. */
static struct mig_watch *volatile running_watch;
static volatile sig_atomic_t interrupted;

static void
on_sigint(int sig)
{
	struct mig_watch *w = running_watch;

	(void)sig;
	interrupted = 1;
	if (w)
		mig_cancel(w);
}

/* Sets the mode once; -1 when two modes are given. */
static int
set_mode(struct migopts *o, enum mig_mode m)
{
	if (o->m.mode != MIG_AUTO && o->m.mode != m) {
		fprintf(stderr, "vmtui migrate: --live, --paused and --offline exclude each other.\n");
		return -1;
	}
	o->m.mode = m;
	return 0;
}

/* Options; -1 to fail, 1 for --help. */
static int
parse(const struct subcmd *cmd, int argc, char **argv, struct migopts *o)
{
	static const struct option longopts[] = {
		{ "connect", required_argument, NULL, 'c' },
		{ "host", required_argument, NULL, 'H' },
		{ "known-hosts", required_argument, NULL, O_KNOWN },
		{ "live", no_argument, NULL, O_LIVE },
		{ "paused", no_argument, NULL, O_PAUSED },
		{ "offline", no_argument, NULL, O_OFFLINE },
		{ "copy-storage", no_argument, NULL, O_COPY },
		{ "keep-source", no_argument, NULL, O_KEEP },
		{ "transient", no_argument, NULL, O_TRANSIENT },
		{ "unsafe", no_argument, NULL, O_UNSAFE },
		{ "p2p", required_argument, NULL, O_P2P },
		{ "migrate-uri", required_argument, NULL, O_MURI },
		{ "bandwidth", required_argument, NULL, O_BW },
		{ "check", no_argument, NULL, O_CHECK },
		{ "config", required_argument, NULL, O_CONFIG },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;
	char *end;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":c:H:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': o->t.uri = optarg; break;
		case 'H': o->t.ssh = optarg; break;
		case O_KNOWN: o->t.known_hosts = optarg; break;
		case O_LIVE: if (set_mode(o, MIG_LIVE) < 0) return -1; break;
		case O_PAUSED: if (set_mode(o, MIG_PAUSED) < 0) return -1; break;
		case O_OFFLINE: if (set_mode(o, MIG_OFFLINE) < 0) return -1; break;
		case O_COPY: o->m.copy_storage = true; break;
		case O_KEEP: o->m.keep_source = true; break;
		case O_TRANSIENT: o->m.transient = true; break;
		case O_UNSAFE: o->m.unsafe = true; break;
		case O_P2P:
			o->m.p2p = true;
			o->m.p2p_uri = optarg;
			break;
		case O_MURI: o->m.migrate_uri = optarg; break;
		case O_BW:
			errno = 0;
			o->m.bandwidth = strtoul(optarg, &end, 10);
			if (*optarg < '1' || *optarg > '9' || *end != '\0' || errno == ERANGE ||
			    o->m.bandwidth > 1000000) {
				fprintf(stderr, "vmtui migrate: --bandwidth: \"%s\" is not a number of "
				        "MiB/s (use e.g. 100)\n", optarg);
				return -1;
			}
			break;
		case O_CHECK: o->check = true; break;
		case O_CONFIG: o->config = optarg; break;
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
	if (o->nargs < 2) {
		fprintf(stderr, "vmtui migrate: expected one or more VMs and the target (a URI or a "
		        "host of config.yaml)\n");
		subcmd_hint(cmd);
		return -1;
	}
	if (o->m.transient && o->m.mode == MIG_OFFLINE) {
		fprintf(stderr, "vmtui migrate: --transient needs a running guest: an offline "
		        "migration only moves the definition.\n");
		return -1;
	}
	return 0;
}

/* The target: a URI as it is, else a host of config.yaml (its URI, or its
 * SSH host). *label is how messages name it. -1 after saying why. */
static int
target_of(const struct migopts *o, const char *arg, struct subcmd_target *t, char **label,
          struct config *cfg)
{
	struct config_errors errs = { 0 };
	char *path, *names = xstrdup("");
	size_t i;
	int rc = -1;

	memset(t, 0, sizeof(*t));
	t->known_hosts = o->t.known_hosts;
	if (strstr(arg, ":/") != NULL) {
		t->uri = arg;
		*label = xstrdup(arg);
		free(names);
		return 0;
	}
	path = o->config ? xstrdup(o->config) : config_default_path();
	if (config_load(cfg, path, o->config == NULL, &errs) < 0) {
		for (i = 0; i < errs.n; i++)
			fprintf(stderr, "%s\n", errs.v[i]);
		fprintf(stderr, "vmtui migrate: %s has errors; fix them.\n", path);
		goto cleanup;
	}
	for (i = 0; i < cfg->nhosts; i++) {
		char *n;
		if (strcmp(cfg->hosts[i].name, arg) == 0) {
			t->uri = cfg->hosts[i].uri;
			t->ssh = cfg->hosts[i].ssh;
			*label = xstrdup(arg);
			rc = 0;
			goto cleanup;
		}
		n = xasprintf("%s%s%s", names, *names ? ", " : "", cfg->hosts[i].name);
		free(names);
		names = n;
	}
	fprintf(stderr, "vmtui migrate: the target \"%s\" is neither a libvirt URI nor a host of "
	        "%s (%s%s); give a URI such as qemu+ssh://HOST/system.\n", arg, path,
	        *names ? "hosts: " : "it has no hosts:", names);
cleanup:
	config_errors_free(&errs);
	free(path);
	free(names);
	return rc;
}

/* The guests named (globs matched against the source's guests), in
 * order, each once; NULL (after saying why) when one matches nothing. */
static char **
guests_of(virConnectPtr src, char **args, int n, size_t *count)
{
	virDomainPtr *doms = NULL;
	char **out = NULL;
	int nd = -1, i, j;
	size_t k;

	*count = 0;
	for (i = 0; i < n; i++) {
		bool glob = strpbrk(args[i], "*?[") != NULL, hit = false;
		if (!glob) {
			out = xreallocarray(out, *count + 1, sizeof(*out));
			out[(*count)++] = xstrdup(args[i]);
			continue;
		}
		if (nd < 0 && (nd = virConnectListAllDomains(src, &doms, 0)) < 0) {
			char *e = lv_err_line();
			fprintf(stderr, "vmtui migrate: cannot list the guests: %s\n", e);
			free(e);
			goto fail;
		}
		for (j = 0; j < nd; j++) {
			const char *name = virDomainGetName(doms[j]);
			bool dup = false;
			if (fnmatch(args[i], name, 0) != 0)
				continue;
			hit = true;
			for (k = 0; k < *count; k++)
				dup = dup || strcmp(out[k], name) == 0;
			if (dup)
				continue;
			out = xreallocarray(out, *count + 1, sizeof(*out));
			out[(*count)++] = xstrdup(name);
		}
		if (!hit) {
			fprintf(stderr, "vmtui migrate: no guest matches \"%s\"; nothing was done.\n",
			        args[i]);
			goto fail;
		}
	}
	for (j = 0; j < nd; j++)
		virDomainFree(doms[j]);
	free(doms);
	return out;
fail:
	for (j = 0; j < nd; j++)
		virDomainFree(doms[j]);
	free(doms);
	for (k = 0; k < *count; k++)
		free(out[k]);
	free(out);
	*count = 0;
	return NULL;
}

struct printer {
	const char *name;
	time_t last;
	char line[300];
};

/* A progress line, at most one a second and only when it changed. */
static void
print_progress(void *opaque, const struct mig_progress *p)
{
	struct printer *pr = opaque;
	char buf[300];
	time_t now = time(NULL);

	mig_progress_line(p, buf, sizeof(buf));
	if (now == pr->last || strcmp(buf, pr->line) == 0)
		return;
	pr->last = now;
	snprintf(pr->line, sizeof(pr->line), "%s", buf);
	printf("  %s: %s\n", pr->name, buf);
	fflush(stdout);
}

/* One guest: its plan, then (unless --check or a failed line) its
 * migration. Returns its exit status. */
static int
migrate_one(virConnectPtr src, virConnectPtr dst, const char *dst_err, const char *label,
            const char *vm, const struct migopts *o, const char *vsrc, const char *vdst)
{
	struct mig_facts f = { 0 };
	struct mig_plan plan = { 0 };
	struct mig_opts m = o->m;
	struct mig_watch w = { .progress = print_progress };
	struct printer pr = { .name = vm };
	char *err = NULL, *text, *msg = NULL, *virsh = NULL;
	enum mig_outcome out;
	int rc;

	if (mig_facts_gather(src, dst, dst_err, label, vm, &f, &err) < 0) {
		fprintf(stderr, "vmtui migrate: %s; nothing was done.\n", err);
		free(err);
		return EX_REFUSED;
	}
	mig_plan_build(&f, &m, &plan);
	text = mig_plan_text(&plan);
	printf("%s to %s: pre-flight (%s%s):\n%s", f.name, label, mig_mode_name(plan.mode),
	       m.copy_storage ? ", copying the disks" : ", shared storage", text);
	free(text);
	fflush(stdout);
	if (mig_plan_worst(&plan) == MIG_FAIL) {
		fprintf(stderr, "vmtui migrate: the pre-flight of %s failed; nothing was changed. "
		        "Fix what it says and run it again.\n", f.name);
		rc = EX_REFUSED;
		goto cleanup;
	}
	if (o->check) {
		rc = EX_OK;
		goto cleanup;
	}
	m.mode = plan.mode;
	atomic_init(&w.cancel, interrupted != 0);
	w.opaque = &pr;
	pr.name = f.name;
	running_watch = &w;
	out = mig_run(src, dst, f.name, &m, vsrc, vdst, &w, &msg, &virsh);
	running_watch = NULL;
	if (out == MIG_DONE)
		printf("%s\n(virsh: %s)\n", msg, virsh);
	else
		fprintf(stderr, "vmtui migrate: %s\n", msg);
	rc = out == MIG_DONE ? EX_OK : out == MIG_CANCELLED ? EX_CANCELLED : EX_FAILED;
	free(msg);
	free(virsh);
cleanup:
	mig_plan_clear(&plan);
	mig_facts_clear(&f);
	return rc;
}

int
cli_migrate(const struct subcmd *cmd, int argc, char **argv)
{
	struct migopts o = { 0 };
	struct subcmd_target tt;
	struct config cfg;
	struct sshlink *slink = NULL, *dlink = NULL;
	struct sigaction sa = { .sa_handler = on_sigint }, old;
	virConnectPtr src = NULL, dst = NULL;
	char *label = NULL, *vsrc = NULL, *vdst = NULL, *dst_err = NULL, **vms = NULL;
	size_t nvms = 0, i;
	int rc = parse(cmd, argc, argv, &o), worst = EX_OK;

	if (rc != 0)
		return rc < 0 ? EX_USAGE : EX_OK;
	config_init(&cfg);
	if (target_of(&o, o.args[o.nargs - 1], &tt, &label, &cfg) < 0) {
		config_free(&cfg);
		return EX_USAGE;
	}
	if ((src = subcmd_connect_via(cmd, &o.t, false, &slink)) == NULL) {
		rc = EX_USAGE;
		goto cleanup;
	}
	vsrc = subcmd_virsh_uri(src, &o.t);
	if ((vms = guests_of(src, o.args, o.nargs - 1, &nvms)) == NULL) {
		rc = EX_USAGE;
		goto cleanup;
	}
	/* the target: a failure is the plan's first line, not an abort */
	if ((dst = subcmd_connect_via(cmd, &tt, false, &dlink)) == NULL)
		dst_err = xasprintf("cannot connect to %s (said above)", label);
	else
		vdst = subcmd_virsh_uri(dst, &tt);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old);
	for (i = 0; i < nvms; i++) {
		int r;
		if (interrupted) {
			fprintf(stderr, "vmtui migrate: interrupted; %s was not started.\n", vms[i]);
			worst = EX_CANCELLED;
			continue;
		}
		r = migrate_one(src, dst, dst_err, label, vms[i], &o, vsrc, vdst ? vdst : label);
		if (r > worst)
			worst = r;
	}
	sigaction(SIGINT, &old, NULL);
	rc = worst;
cleanup:
	for (i = 0; i < nvms; i++)
		free(vms[i]);
	free(vms);
	free(label);
	free(vsrc);
	free(vdst);
	free(dst_err);
	if (dst)
		virConnectClose(dst);
	if (src)
		virConnectClose(src);
	sshlink_close(dlink);
	sshlink_close(slink);
	config_free(&cfg);
	return rc;
}
