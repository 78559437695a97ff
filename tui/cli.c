/* cli.c — `vmtui validate|plan|apply|export`: VM definition files checked,
 * planned against a host, applied after a y/N question, and VMs written
 * back as definitions; and `vmtui resize`. The work is model/defs/plan.c,
 * apply.c and resize.c; this file parses options, talks to the terminal
 * and picks exit statuses: 0 done (a plan with changes too), 1 anything
 * else. Their rows (help, what they need) are in subcmd.c. */
#include "subcmd.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "../config/resdef.h"
#include "../config/vmdef.h"
#include "../model/base/xmalloc.h"
#include "../model/defs/apply.h"
#include "../model/defs/osdefaults.h"
#include "../model/defs/plan.h"
#include "../model/guest/resize.h"

struct cli_opts {
	const char *uri;
	bool yes;
	char kind;     /* export: 'p' a pool, 'n' a network, 0 look the name up */
	char **args;   /* files, or the VM name */
	int nargs;
};

/* Which options and arguments a command takes. */
enum { TAKES_URI = 1, TAKES_YES = 2, TAKES_ONE = 4 /* one VM name, else files */,
       TAKES_KIND = 8 /* --pool, --network */ };

/* Options of cmd, which takes what `takes` says. Returns -1 to fail, 1 to
 * exit with success (--help). */
static int
parse(const struct subcmd *cmd, unsigned takes, int argc, char **argv, struct cli_opts *o)
{
	static const struct option longopts[] = {
		{ "connect", required_argument, NULL, 'c' },
		{ "yes", no_argument, NULL, 'y' },
		{ "help", no_argument, NULL, 'h' },
		{ "pool", no_argument, NULL, 'p' },
		{ "network", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	/* Options of other commands, refused by name rather than as unknown. */
	static const char *const elsewhere[] = { "--force", "--escape" };
	int ch;
	size_t i;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":c:yhpn", longopts, NULL)) != -1) {
		if (ch == 'c' && (takes & TAKES_URI)) {
			o->uri = optarg;
		} else if (ch == 'y' && (takes & TAKES_YES)) {
			o->yes = true;
		} else if ((ch == 'p' || ch == 'n') && (takes & TAKES_KIND)) {
			if (o->kind && o->kind != ch) {
				fprintf(stderr, "vmtui %s: --pool and --network cannot be combined\n",
				        cmd->name);
				subcmd_hint(cmd);
				return -1;
			}
			o->kind = (char)ch;
		} else if (ch == 'h') {
			subcmd_help(cmd, stdout);
			return 1;
		} else if (ch == 'c' || ch == 'y' || ch == 'p' || ch == 'n') {
			subcmd_not_here(cmd, ch, argv, longopts);
			return -1;
		} else {
			for (i = 0; ch == '?' && optopt == 0 && i < 2; i++)
				if (strcmp(argv[optind - 1], elsewhere[i]) == 0) {
					fprintf(stderr, "vmtui %s: option %s does not apply here\n", cmd->name,
					        elsewhere[i]);
					subcmd_hint(cmd);
					return -1;
				}
			subcmd_bad_option(cmd, ch, argv, longopts);
			return -1;
		}
	}
	o->args = argv + optind;
	o->nargs = argc - optind;
	if (o->nargs == 0 || ((takes & TAKES_ONE) && o->nargs != 1)) {
		const char *one = (takes & TAKES_KIND) ? "a VM, network or pool name" : "a VM name";

		fprintf(stderr, "vmtui %s: expected %s%s\n", cmd->name,
		        o->nargs ? "only " : "", (takes & TAKES_ONE) ? one : "one or more files");
		subcmd_hint(cmd);
		return -1;
	}
	return 0;
}

/* ---- shared steps ---- */

/* Parse every file into f; print every error. */
static int
load(const struct cli_opts *o, struct vmdef_file *f)
{
	struct config_errors errs = { 0 };
	int i, rc = 0;
	size_t k;

	for (i = 0; i < o->nargs; i++)
		if (vmdef_load(f, o->args[i], &errs) < 0)
			rc = -1;
	if (rc == 0 && osdefaults_fill(f, &errs) > 0)
		rc = -1;
	for (k = 0; k < errs.n; k++)
		fprintf(stderr, "%s\n", errs.v[k]);
	config_errors_free(&errs);
	return rc;
}

/* Load, connect and plan; the plan's text on stdout. */
static int
make_plan(const struct subcmd *cmd, const struct cli_opts *o, struct vmdef_file *f,
          virConnectPtr *conn, struct plan *p)
{
	char *err = NULL, *text;

	memset(p, 0, sizeof *p);
	if (load(o, f) < 0) {
		fprintf(stderr, "vmtui: the definitions have errors; nothing was planned. Fix them "
		        "(vmtui validate) and try again.\n");
		return -1;
	}
	if ((*conn = subcmd_connect(cmd, o->uri, false)) == NULL)
		return -1;
	if (plan_make(*conn, f, p, &err) < 0) {
		fprintf(stderr, "vmtui: %s\n", err);
		free(err);
		return -1;
	}
	text = plan_render(p);
	fputs(text, stdout);
	fflush(stdout);
	free(text);
	return 0;
}

/* ---- the subcommands ---- */

int
cli_validate(const struct subcmd *cmd, int argc, char **argv)
{
	struct cli_opts o = { 0 };
	struct vmdef_file f = { 0 };
	int rc = parse(cmd, 0, argc, argv, &o);
	size_t i;

	if (rc != 0)
		return rc < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
	rc = load(&o, &f);
	if (rc == 0) {
		printf("valid: %zu VM%s:", f.nvms, f.nvms == 1 ? "" : "s");
		for (i = 0; i < f.nvms; i++)
			printf(" %s", f.vms[i].name);
		if (f.npools)
			printf("; %zu pool%s:", f.npools, f.npools == 1 ? "" : "s");
		for (i = 0; i < f.npools; i++)
			printf(" %s", f.pools[i].name);
		if (f.nnets)
			printf("; %zu network%s:", f.nnets, f.nnets == 1 ? "" : "s");
		for (i = 0; i < f.nnets; i++)
			printf(" %s", f.nets[i].name);
		printf("\n");
	}
	vmdef_file_free(&f);
	return rc == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

int
cli_plan(const struct subcmd *cmd, int argc, char **argv)
{
	struct cli_opts o = { 0 };
	struct vmdef_file f = { 0 };
	virConnectPtr conn = NULL;
	struct plan p;
	int rc = parse(cmd, TAKES_URI, argc, argv, &o);

	if (rc != 0)
		return rc < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
	rc = make_plan(cmd, &o, &f, &conn, &p);

	if (rc == 0 && p.nerrors)
		fprintf(stderr, "vmtui: the plan has %zu error%s; apply would refuse it.\n",
		        p.nerrors, p.nerrors == 1 ? "" : "s");
	if (rc == 0 && p.nerrors)
		rc = -1;
	plan_free(&p);
	if (conn)
		virConnectClose(conn);
	vmdef_file_free(&f);
	return rc == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* y or yes on the terminal; anything else is no. */
static bool
confirm(const char *uri)
{
	char line[64];

	fprintf(stderr, "Apply this plan to %s? [y/N] ", uri);
	fflush(stderr);
	if (fgets(line, sizeof line, stdin) == NULL)
		return false;
	line[strcspn(line, "\r\n")] = '\0';
	return strcasecmp(line, "y") == 0 || strcasecmp(line, "yes") == 0;
}

struct progress {
	int last; /* last tenth of a byte-counted step printed */
};

/* One line per step, and byte-counted steps every 10%, on stderr. */
static void
on_progress(const struct apply_progress *p, void *opaque)
{
	struct progress *pr = opaque;
	char a[32], b[32];
	int tenth;

	switch (p->phase) {
	case APPLY_BEGIN:
		fprintf(stderr, "%s: %s\n", p->vm, p->step);
		pr->last = 0;
		break;
	case APPLY_BYTES:
		tenth = p->total ? (int)(p->done * 10 / p->total) : 10;
		if (tenth == pr->last)
			break;
		pr->last = tenth;
		plan_fmt_size(a, sizeof a, p->done);
		plan_fmt_size(b, sizeof b, p->total);
		fprintf(stderr, "%s: %s: %d%% (%s of %s)\n", p->vm, p->step, tenth * 10, a, b);
		break;
	case APPLY_NOTE:
		fprintf(stderr, "%s: note: %s\n", p->vm, p->step);
		break;
	case APPLY_END:
		break;
	}
}

/* Ask unless --yes; refuse to guess when nobody can answer. */
static int
may_apply(const struct cli_opts *o, const struct plan *p)
{
	if (o->yes)
		return 0;
	if (!isatty(STDIN_FILENO)) {
		fprintf(stderr, "vmtui: apply: standard input is not a terminal, so there is nobody "
		        "to ask; nothing was changed. Pass --yes to apply without asking.\n");
		return -1;
	}
	if (!confirm(p->uri)) {
		fprintf(stderr, "vmtui: nothing was changed.\n");
		return -1;
	}
	return 0;
}

static int
run_apply(virConnectPtr conn, const struct plan *p)
{
	struct progress pr = { 0 };
	char *err = NULL;
	size_t i, made = 0, changed = 0;

	if (apply_run(conn, p, on_progress, &pr, &err) < 0) {
		fprintf(stderr, "vmtui: %s\n", err);
		free(err);
		return -1;
	}
	for (i = 0; i < p->nvms; i++)
		if (plan_vm_has_work(&p->vms[i]))
			*(p->vms[i].kind == PLAN_CREATE ? &made : &changed) += 1;
	for (i = 0; i < p->npools; i++)
		if (plan_res_has_work(&p->pools[i]))
			*(p->pools[i].kind == PLAN_CREATE ? &made : &changed) += 1;
	for (i = 0; i < p->nnets; i++)
		if (plan_res_has_work(&p->nets[i]))
			*(p->nets[i].kind == PLAN_CREATE ? &made : &changed) += 1;
	fprintf(stderr, "Applied: %zu created, %zu updated.\n", made, changed);
	return 0;
}

int
cli_apply(const struct subcmd *cmd, int argc, char **argv)
{
	struct cli_opts o = { 0 };
	struct vmdef_file f = { 0 };
	virConnectPtr conn = NULL;
	struct plan p;
	int rc = parse(cmd, TAKES_URI | TAKES_YES, argc, argv, &o);

	if (rc != 0)
		return rc < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
	rc = make_plan(cmd, &o, &f, &conn, &p);

	if (rc == 0 && p.nerrors) {
		fprintf(stderr, "vmtui: the plan has %zu error%s; nothing was changed. Fix %s and "
		        "run apply again.\n", p.nerrors, p.nerrors == 1 ? "" : "s",
		        p.nerrors == 1 ? "it" : "them");
		rc = -1;
	} else if (rc == 0 && !plan_has_work(&p)) {
		fprintf(stderr, "Nothing to do.\n");
	} else if (rc == 0) {
		rc = may_apply(&o, &p);
		if (rc == 0)
			rc = run_apply(conn, &p);
	}
	plan_free(&p);
	if (conn)
		virConnectClose(conn);
	vmdef_file_free(&f);
	return rc == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* A guest's definition, with the comment export has always printed. */
static char *
export_vm(virConnectPtr conn, const char *name, bool *missing, char **err)
{
	char *yaml = plan_export(conn, name, err), *uri, *out;

	*missing = yaml == NULL && virGetLastErrorCode() == VIR_ERR_NO_DOMAIN;
	if (yaml == NULL)
		return NULL;
	uri = virConnectGetURI(conn);
	out = xasprintf("# VM %s exported from %s by vmtui: disks in storage pools\n"
	                "# become new blank volumes of the same size; other disks are used as "
	                "they are.\n%s", name, uri ? uri : "?", yaml);
	free(uri);
	free(yaml);
	return out;
}

/* A pool's or network's entry, with a comment saying where from. */
static char *
export_res(virConnectPtr conn, const char *name, bool pool, bool *missing, char **err)
{
	char *yaml = pool ? plan_export_pool(conn, name, missing, err)
	                  : plan_export_net(conn, name, missing, err);
	char *uri, *out;

	if (yaml == NULL)
		return NULL;
	uri = virConnectGetURI(conn);
	out = xasprintf("# %s %s exported from %s by vmtui.\n%s", pool ? "Storage pool" : "Network",
	                name, uri ? uri : "?", yaml);
	free(uri);
	free(yaml);
	return out;
}

/* Without --pool or --network: a guest of that name, else a network,
 * else a pool. */
static char *
export_any(virConnectPtr conn, const char *name, char **err)
{
	bool missing = false;
	char *out = export_vm(conn, name, &missing, err);

	if (out || !missing)
		return out;
	free(*err);
	if ((out = export_res(conn, name, false, &missing, err)) != NULL || !missing)
		return out;
	free(*err);
	if ((out = export_res(conn, name, true, &missing, err)) != NULL || !missing)
		return out;
	free(*err);
	*err = xasprintf("there is no VM, network or storage pool named \"%s\" (virsh list "
	                 "--all, net-list --all and pool-list --all show them)", name);
	return NULL;
}

int
cli_export(const struct subcmd *cmd, int argc, char **argv)
{
	struct cli_opts o = { 0 };
	virConnectPtr conn;
	char *err = NULL, *yaml;
	bool missing;
	int rc = parse(cmd, TAKES_URI | TAKES_ONE | TAKES_KIND, argc, argv, &o);

	if (rc != 0)
		return rc < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
	if ((conn = subcmd_connect(cmd, o.uri, false)) == NULL)
		return EXIT_FAILURE;
	if (o.kind)
		yaml = export_res(conn, o.args[0], o.kind == 'p', &missing, &err);
	else
		yaml = export_any(conn, o.args[0], &err);
	if (yaml == NULL)
		fprintf(stderr, "vmtui: %s.\n", err);
	else
		fputs(yaml, stdout);
	free(err);
	free(yaml);
	virConnectClose(conn);
	return yaml ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* ---- resize ---- */

struct resize_opts {
	const char *uri, *vm;
	bool readonly;
	struct resize_req req;
	struct resize_disk_req *disks;
	char **disk_text; /* "vda=20G" split in place */
	bool changes;     /* any value asked for */
};

/* --disk vda=20G */
static int
resize_add_disk(struct resize_opts *o, const char *arg)
{
	char *copy = xstrdup(arg), *eq = strchr(copy, '=');
	size_t n = o->req.ndisks;

	if (eq == NULL || eq == copy || eq[1] == '\0') {
		fprintf(stderr, "vmtui resize: --disk \"%s\" needs a disk and a size, as in "
		        "--disk vda=20G.\n", arg);
		free(copy);
		return -1;
	}
	*eq = '\0';
	o->disks = xreallocarray(o->disks, n + 1, sizeof *o->disks);
	o->disk_text = xreallocarray(o->disk_text, n + 1, sizeof *o->disk_text);
	o->disk_text[n] = copy;
	o->disks[n] = (struct resize_disk_req){ copy, eq + 1 };
	o->req.disks = o->disks;
	o->req.ndisks = n + 1;
	return 0;
}

/* Options of `vmtui resize`. Returns -1 to fail, 1 to exit with success. */
static int
resize_parse(const struct subcmd *cmd, int argc, char **argv, struct resize_opts *o)
{
	enum { O_VCPUS = 256, O_MAX_VCPUS, O_MEM, O_MAX_MEM, O_DISK, O_LIVE, O_CONFIG };
	static const struct option longopts[] = {
		{ "connect", required_argument, NULL, 'c' },
		{ "readonly", no_argument, NULL, 'r' },
		{ "vcpus", required_argument, NULL, O_VCPUS },
		{ "max-vcpus", required_argument, NULL, O_MAX_VCPUS },
		{ "memory", required_argument, NULL, O_MEM },
		{ "max-memory", required_argument, NULL, O_MAX_MEM },
		{ "disk", required_argument, NULL, O_DISK },
		{ "live", no_argument, NULL, O_LIVE },
		{ "config", no_argument, NULL, O_CONFIG },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const valued[] = { "vcpus", "max-vcpus", "memory", "max-memory" };
	bool live = false, config = false;
	int ch;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":c:rh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			o->uri = optarg;
			break;
		case 'r':
			o->readonly = true;
			break;
		case O_VCPUS:
		case O_MAX_VCPUS:
		case O_MEM:
		case O_MAX_MEM:
			/* empty means "as it is" in the dialog; here it is a mistake */
			if (optarg[strspn(optarg, " \t")] == '\0') {
				fprintf(stderr, "vmtui resize: --%s needs a value, as in --%s %s.\n",
				        valued[ch - O_VCPUS], valued[ch - O_VCPUS], ch < O_MEM ? "2" : "2G");
				return -1;
			}
			*(ch == O_VCPUS ? &o->req.vcpus : ch == O_MAX_VCPUS ? &o->req.vcpus_max :
			  ch == O_MEM ? &o->req.mem : &o->req.mem_max) = optarg;
			break;
		case O_DISK:
			if (resize_add_disk(o, optarg) < 0)
				return -1;
			break;
		case O_LIVE:
			live = true;
			break;
		case O_CONFIG:
			config = true;
			break;
		case 'h':
			subcmd_help(cmd, stdout);
			return 1;
		default:
			subcmd_bad_option(cmd, ch, argv, longopts);
			return -1;
		}
	}
	if (live && config) {
		fprintf(stderr, "vmtui resize: --live and --config exclude each other; give one, or "
		        "neither for both.\n");
		return -1;
	}
	o->req.scope = live ? RESIZE_LIVE : config ? RESIZE_CONFIG : RESIZE_AUTO;
	o->changes = o->req.vcpus || o->req.vcpus_max || o->req.mem || o->req.mem_max ||
	             o->req.ndisks;
	if (argc - optind != 1) {
		fprintf(stderr, "vmtui resize: expected one VM name\n");
		subcmd_hint(cmd);
		return -1;
	}
	o->vm = argv[optind];
	return 0;
}

/* Without changes: every value, and when a change of it takes effect. */
static void
resize_show(const struct resize_now *now)
{
	static const char *const names[] = { "vCPUs", "maximum vCPUs", "memory",
		                             "maximum memory" };
	char label[64], host[32];
	size_t i;
	char *v;

	printf("%s: %s\n", now->name, now->state);
	for (i = 0; i < 4 + now->ndisks; i++) {
		enum resize_field f = i < 4 ? (enum resize_field)i : RF_DISK;
		size_t d = i < 4 ? 0 : i - 4;
		if (f == RF_DISK)
			snprintf(label, sizeof label, "%s %s", now->disks[d].device, now->disks[d].target);
		else
			snprintf(label, sizeof label, "%s", names[i]);
		v = resize_field_value(now, f, d);
		printf("  %-15s %-24s %s\n", label, v,
		       f == RF_DISK && strcmp(now->disks[d].device, "disk") != 0 ? "cannot grow"
		                                                                  : resize_field_when(now, f));
		free(v);
	}
	plan_fmt_size(host, sizeof host, now->host_mem_kib * 1024);
	printf("The host has %u CPUs and %s of memory.\n", now->host_cpus, host);
}

/* After each operation: what was done, and when the guest sees it. */
static void
resize_done(const struct resize_op *op, void *opaque)
{
	printf("%s: %s: done (%s)\n", (const char *)opaque, op->what, resize_when_text(op->when));
	fflush(stdout);
}

/* Plan, refuse or apply; the guest has been read into now. */
static int
resize_run(virConnectPtr conn, const struct resize_opts *o, const struct resize_now *now)
{
	struct resize_plan p;
	char *err = NULL, *note;
	size_t i;
	int rc = -1;

	resize_plan_make(now, &o->req, &p);
	for (i = 0; i < p.nwarnings; i++)
		fprintf(stderr, "vmtui: warning: %s\n", p.warnings[i]);
	for (i = 0; i < p.nerrors; i++)
		fprintf(stderr, "vmtui: %s\n", p.errors[i]);
	if (p.nerrors) {
		fprintf(stderr, "vmtui: nothing was changed on %s.\n", now->name);
	} else if (p.nops == 0) {
		printf("%s: nothing to change.\n", now->name);
		rc = 0;
	} else if (o->readonly) {
		for (i = 0; i < p.nops; i++)
			printf("%s: would change %s (%s)\n", now->name, p.ops[i].what,
			       resize_when_text(p.ops[i].when));
		fprintf(stderr, "vmtui: cannot resize %s: vmtui runs read-only (-r); nothing was "
		        "changed. Drop -r to change it.\n", now->name);
	} else if (resize_apply(conn, now->name, &p, resize_done, now->name, &err) < 0) {
		fprintf(stderr, "vmtui: %s\n", err);
	} else {
		if ((note = resize_reboot_note(now, &p)) != NULL)
			printf("%s\n", note);
		free(note);
		rc = 0;
	}
	free(err);
	resize_plan_free(&p);
	return rc;
}

int
cli_resize(const struct subcmd *cmd, int argc, char **argv)
{
	struct resize_opts o = { 0 };
	struct resize_now now;
	virConnectPtr conn = NULL;
	char *err = NULL;
	int rc = resize_parse(cmd, argc, argv, &o);

	if (rc != 0)
		goto cleanup;
	rc = -1;
	if ((conn = subcmd_connect(cmd, o.uri, o.readonly)) == NULL)
		goto cleanup;
	if (resize_read(conn, o.vm, &now, &err) < 0) {
		fprintf(stderr, "vmtui: %s\n", err);
		goto cleanup;
	}
	if (o.changes) {
		rc = resize_run(conn, &o, &now);
	} else {
		resize_show(&now);
		rc = 0;
	}
	resize_now_free(&now);

cleanup:
	if (conn)
		virConnectClose(conn);
	xfree_strv(o.disk_text, o.req.ndisks);
	free(o.disks);
	free(err);
	return rc < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
