/* cli_manage.c — `vmtui snapshot list|create|revert|delete`, `vmtui clone`
 * and `vmtui delete`: options, questions on the terminal and what is
 * printed; the work is in model/guest/snapshot.c, clone.c and vmdelete.c.
 * Exit status 0 when done, 1 for anything else. Their rows (help, what
 * they need) are in subcmd.c. */
#include "subcmd.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "../model/base/xmalloc.h"
#include "../model/guest/clone.h"
#include "../model/guest/snapshot.h"
#include "../model/guest/vmdelete.h"
#include "../model/host/lvutil.h"

struct mopts {
	const char *uri;
	bool readonly, yes, linked, start, all_storage;
	const char *desc, *storage, *typed;
	char **args;
	int nargs;
};

enum { O_DESC = 256, O_LINKED, O_START, O_STORAGE, O_ALL, O_TYPED };

/* Options; -1 to fail, 1 for --help. */
static int
mparse(const struct subcmd *cmd, int argc, char **argv, struct mopts *o)
{
	static const struct option longopts[] = {
		{ "connect", required_argument, NULL, 'c' },
		{ "readonly", no_argument, NULL, 'r' },
		{ "yes", no_argument, NULL, 'y' },
		{ "description", required_argument, NULL, 'd' },
		{ "linked", no_argument, NULL, O_LINKED },
		{ "start", no_argument, NULL, O_START },
		{ "storage", required_argument, NULL, O_STORAGE },
		{ "all-storage", no_argument, NULL, O_ALL },
		{ "yes-i-typed", required_argument, NULL, O_TYPED },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool snap = strcmp(cmd->name, "snapshot") == 0, clone = strcmp(cmd->name, "clone") == 0;
	int ch;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":c:ryd:h", longopts, NULL)) != -1) {
		bool fits = true;
		switch (ch) {
		case 'c':
			o->uri = optarg;
			break;
		case 'r':
			o->readonly = true;
			break;
		case 'y':
			o->yes = true;
			fits = snap;
			break;
		case 'd':
			o->desc = optarg;
			fits = snap;
			break;
		case O_LINKED:
		case O_START:
			*(ch == O_LINKED ? &o->linked : &o->start) = true;
			fits = clone;
			break;
		case O_STORAGE:
			o->storage = optarg;
			fits = !snap && !clone;
			break;
		case O_ALL:
			o->all_storage = true;
			fits = !snap && !clone;
			break;
		case O_TYPED:
			o->typed = optarg;
			fits = !snap && !clone;
			break;
		case 'h':
			subcmd_help(cmd, stdout);
			return 1;
		default:
			subcmd_bad_option(cmd, ch, argv, longopts);
			return -1;
		}
		if (!fits) {
			subcmd_not_here(cmd, ch, argv, longopts);
			return -1;
		}
	}
	if (o->storage && o->all_storage) {
		fprintf(stderr, "vmtui delete: --storage and --all-storage exclude each other.\n");
		return -1;
	}
	o->args = argv + optind;
	o->nargs = argc - optind;
	return 0;
}

/* The URI for the virsh commands printed: the one given, else the one
 * connected to. */
static char *
virsh_uri(virConnectPtr conn, const char *uri)
{
	char *u;

	if (uri)
		return xstrdup(uri);
	u = virConnectGetURI(conn);
	return u;
}

/* ---- snapshot ---- */

static void
print_list(const char *vm, const struct snapshot_list *l)
{
	size_t i, w = 4;
	char when[32];

	if (l->n == 0) {
		printf("%s has no snapshots.\n", vm);
		return;
	}
	for (i = 0; i < l->n; i++)
		if (strlen(l->v[i].name) > w)
			w = strlen(l->v[i].name);
	printf("  %-*s  %-19s  %-8s  %s\n", (int)w, "NAME", "CREATED", "STATE", "PARENT / DESCRIPTION");
	for (i = 0; i < l->n; i++) {
		const struct snapshot *s = &l->v[i];
		time_t t = (time_t)s->created;
		struct tm tm;
		localtime_r(&t, &tm);
		strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
		printf("%c %-*s  %-19s  %-8s  %s%s%s\n", s->current ? '*' : ' ', (int)w, s->name, when,
		       s->state ? s->state : "?", s->parent ? s->parent : "-",
		       s->description ? " / " : "", s->description ? s->description : "");
	}
	printf("(* the current snapshot)\n");
}

static int
snap_do(virConnectPtr conn, const struct mopts *o, const char *act, const char *vm,
        const char *name)
{
	virDomainPtr dom;
	struct snapshot_list l;
	char *err = NULL, *what = NULL, *warning = NULL, *uri = virsh_uri(conn, o->uri);
	char *virsh = NULL, q[512];
	const char *after;
	int rc = -1;

	if ((dom = lv_domain_lookup(conn, vm, &err)) == NULL)
		goto cleanup;
	if (strcmp(act, "list") == 0) {
		if ((rc = snapshot_list_read(dom, &l, &err)) == 0) {
			print_list(virDomainGetName(dom), &l);
			snapshot_list_free(&l);
		}
	} else if (strcmp(act, "create") == 0) {
		virsh = snapshot_virsh_create(uri, virDomainGetName(dom), name, o->desc);
		if ((rc = snapshot_create(dom, name, o->desc, &what, &warning, &err)) == 0)
			printf("Snapshot \"%s\" of %s created: %s.\n", name, virDomainGetName(dom), what);
		if (warning)
			fprintf(stderr, "vmtui: warning: %s\n", warning);
	} else if (strcmp(act, "revert") == 0) {
		if (snapshot_revert_check(dom, name, &err) < 0)
			goto cleanup;
		snprintf(q, sizeof q, "Revert %s to snapshot \"%s\"? Its present state is lost.",
		         virDomainGetName(dom), name);
		if (!o->yes && !subcmd_ask(q)) {
			err = xstrdup(isatty(STDIN_FILENO) ? "Not reverted." :
			              "Not reverted: give --yes to revert without a terminal.");
			goto cleanup;
		}
		virsh = snapshot_virsh_revert(uri, virDomainGetName(dom), name);
		if ((rc = snapshot_revert(dom, name, &after, &err)) == 0)
			printf("%s reverted to \"%s\"; it is %s now.\n", virDomainGetName(dom), name,
			       after);
	} else {
		snprintf(q, sizeof q, "Delete snapshot \"%s\" of %s?", name, virDomainGetName(dom));
		if (!o->yes && !subcmd_ask(q)) {
			err = xstrdup(isatty(STDIN_FILENO) ? "Not deleted." :
			              "Not deleted: give --yes to delete without a terminal.");
			goto cleanup;
		}
		virsh = snapshot_virsh_delete(uri, virDomainGetName(dom), name);
		if ((rc = snapshot_delete(dom, name, &err)) == 0)
			printf("Snapshot \"%s\" of %s deleted.\n", name, virDomainGetName(dom));
	}
	if (virsh)
		printf("(virsh: %s)\n", virsh);

cleanup:
	if (err)
		fprintf(stderr, "vmtui: %s\n", err);
	if (dom)
		virDomainFree(dom);
	free(err);
	free(what);
	free(warning);
	free(uri);
	free(virsh);
	return rc;
}

int
cli_snapshot(const struct subcmd *cmd, int argc, char **argv)
{
	struct mopts o = { 0 };
	virConnectPtr conn = NULL;
	const char *act, *vm, *name;
	char def[64], *why;
	int rc, want;

	/* snapshot create|delete on several guests (cli_bulk.c); the single
	 * form keeps "create VM [NAME]" and "delete VM NAME". */
	for (want = 1; want < argc; want++)
		if (strcmp(argv[want], "create") == 0 || strcmp(argv[want], "delete") == 0)
			break;
	if (want < argc && cli_bulk_wanted(argc, argv, -1))
		return cli_bulk_snapshot(cmd, argc, argv);
	rc = mparse(cmd, argc, argv, &o);
	if (rc != 0)
		return rc < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
	act = o.nargs > 0 ? o.args[0] : "";
	if (strcmp(act, "list") && strcmp(act, "create") && strcmp(act, "revert") &&
	    strcmp(act, "delete")) {
		fprintf(stderr, "vmtui snapshot: %s%s%s; use list, create, revert or delete.\n",
		        act[0] ? "unknown action \"" : "no action given", act, act[0] ? "\"" : "");
		subcmd_hint(cmd);
		return EXIT_FAILURE;
	}
	want = strcmp(act, "list") == 0 ? 2 : strcmp(act, "create") == 0 ? -1 : 3;
	if ((want > 0 && o.nargs != want) || (want < 0 && (o.nargs < 2 || o.nargs > 3))) {
		fprintf(stderr, "vmtui snapshot %s: expected %s\n", act,
		        want == 2 ? "a VM name" : want == 3 ? "a VM name and a snapshot name" :
		                                            "a VM name and, optionally, a snapshot name");
		subcmd_hint(cmd);
		return EXIT_FAILURE;
	}
	if (o.desc && strcmp(act, "create") != 0) {
		fprintf(stderr, "vmtui snapshot %s: --description applies to create only.\n", act);
		return EXIT_FAILURE;
	}
	vm = o.args[1];
	snapshot_default_name(def, sizeof def, time(NULL));
	name = o.nargs > 2 ? o.args[2] : def;
	if (strcmp(act, "list") != 0 && (why = snapshot_name_check(name)) != NULL) {
		fprintf(stderr, "vmtui: %s\n", why);
		free(why);
		return EXIT_FAILURE;
	}
	if (o.readonly && strcmp(act, "list") != 0) {
		fprintf(stderr, "vmtui: cannot %s a snapshot of %s: vmtui runs read-only (-r); "
		        "nothing was changed. Drop -r to change it.\n", act, vm);
		return EXIT_FAILURE;
	}
	if ((conn = subcmd_connect(cmd, o.uri, o.readonly)) == NULL)
		return EXIT_FAILURE;
	rc = snap_do(conn, &o, act, vm, name);
	virConnectClose(conn);
	return rc == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* ---- clone ---- */

struct cli_progress {
	char *step;
	int last; /* last tenth printed, -1: none yet */
};

static void
clone_progress(const char *step, uint64_t done, uint64_t total, void *opaque)
{
	struct cli_progress *p = opaque;
	int tenth;

	if (p->step == NULL || strcmp(p->step, step) != 0) {
		free(p->step);
		p->step = xstrdup(step);
		p->last = -1;
		printf("%s\n", step);
	}
	if (total == 0)
		return;
	tenth = (int)(done * 10 / total);
	if (tenth > p->last) {
		p->last = tenth;
		printf("  %3d%%\n", tenth * 10);
	}
	fflush(stdout);
}

static void
clone_action(const char *virsh, const char *err, const char *what, void *opaque)
{
	(void)opaque;
	(void)what;
	if (err == NULL)
		printf("  done (virsh: %s)\n", virsh);
	fflush(stdout);
}

int
cli_clone(const struct subcmd *cmd, int argc, char **argv)
{
	struct mopts o = { 0 };
	struct clone_src s;
	struct cli_progress p = { NULL, -1 };
	virConnectPtr conn = NULL;
	char *err = NULL, *result = NULL, *uri = NULL, *why;
	int rc = mparse(cmd, argc, argv, &o);

	if (rc != 0)
		return rc < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
	if (o.nargs != 2) {
		fprintf(stderr, "vmtui clone: expected the VM to clone and the new name\n");
		subcmd_hint(cmd);
		return EXIT_FAILURE;
	}
	if ((why = clone_name_check(o.args[1])) != NULL) {
		fprintf(stderr, "vmtui: %s\n", why);
		free(why);
		return EXIT_FAILURE;
	}
	if (o.readonly) {
		fprintf(stderr, "vmtui: cannot clone %s: vmtui runs read-only (-r); nothing was "
		        "changed. Drop -r to change it.\n", o.args[0]);
		return EXIT_FAILURE;
	}
	if ((conn = subcmd_connect(cmd, o.uri, false)) == NULL)
		return EXIT_FAILURE;
	uri = virsh_uri(conn, o.uri);
	rc = clone_read(conn, o.args[0], &s, &err);
	if (rc == 0) {
		rc = clone_run(conn, uri, &s, o.args[1], o.linked, o.start, clone_progress,
		               clone_action, &p, &result, &err);
		clone_src_free(&s);
	}
	if (rc == 0)
		printf("%s\n", result);
	else
		fprintf(stderr, "vmtui: %s\n", err);
	free(p.step);
	free(err);
	free(result);
	free(uri);
	virConnectClose(conn);
	return rc == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* ---- delete ---- */

/* The volumes to remove: the --storage list, or every removable one. */
static size_t
storage_list(const struct mopts *o, const struct vmdel_info *in, char ***out)
{
	char *copy, *tok, *save = NULL;
	size_t n = 0, i;

	*out = NULL;
	if (o->all_storage) {
		for (i = 0; i < in->nvols; i++)
			if (in->vols[i].why_not == NULL) {
				*out = xreallocarray(*out, n + 1, sizeof **out);
				(*out)[n++] = xstrdup(in->vols[i].target);
			}
		return n;
	}
	if (o->storage == NULL)
		return 0;
	copy = xstrdup(o->storage);
	for (tok = strtok_r(copy, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
		*out = xreallocarray(*out, n + 1, sizeof **out);
		(*out)[n++] = xstrdup(tok);
	}
	free(copy);
	return n;
}

/* What will happen, before the question. */
static void
delete_show(const struct vmdel_info *in, char *const *rm, size_t nrm)
{
	size_t i, k;

	printf("Delete %s (%s%s)%s\n", in->name, in->state,
	       in->nsnapshots ? ", with snapshots" : "",
	       in->active ? ": it is forced off first" : "");
	for (i = 0; i < in->nvols; i++) {
		const struct vmdel_vol *d = &in->vols[i];
		for (k = 0; k < nrm && strcmp(rm[k], d->target) != 0; k++)
			;
		printf("  [%c] %-5s %s%s%s%s\n", k < nrm ? 'x' : ' ', d->target,
		       d->path ? d->path : "(empty)", d->why_not ? " (cannot be removed: " : "",
		       d->why_not ? d->why_not : "", d->why_not ? ")" : "");
	}
	fflush(stdout);
}

static void
delete_action(const char *virsh, const char *err, const char *what, void *opaque)
{
	(void)opaque;
	if (err == NULL)
		printf("%s: done (virsh: %s)\n", what, virsh);
	fflush(stdout);
}

int
cli_delete(const struct subcmd *cmd, int argc, char **argv)
{
	struct mopts o = { 0 };
	struct vmdel_info in;
	virConnectPtr conn = NULL;
	char *err = NULL, *result = NULL, *backup = NULL, *uri = NULL, **rm = NULL;
	size_t nrm = 0;
	int rc;

	if (cli_bulk_wanted(argc, argv, 1))
		return cli_bulk_delete(cmd, argc, argv);
	rc = mparse(cmd, argc, argv, &o);
	if (rc != 0)
		return rc < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
	if (o.nargs != 1) {
		fprintf(stderr, "vmtui delete: expected one VM name\n");
		subcmd_hint(cmd);
		return EXIT_FAILURE;
	}
	if (o.readonly) {
		fprintf(stderr, "vmtui: cannot delete %s: vmtui runs read-only (-r); nothing was "
		        "changed. Drop -r to change it.\n", o.args[0]);
		return EXIT_FAILURE;
	}
	if (o.typed == NULL && !isatty(STDIN_FILENO)) {
		fprintf(stderr, "vmtui: not deleting %s: confirm with --yes-i-typed followed by its "
		        "exact name, or run this on a terminal to type it.\n", o.args[0]);
		return EXIT_FAILURE;
	}
	if ((conn = subcmd_connect(cmd, o.uri, false)) == NULL)
		return EXIT_FAILURE;
	rc = -1;
	if (vmdelete_read(conn, o.args[0], &in, &err) < 0)
		goto cleanup;
	nrm = storage_list(&o, &in, &rm);
	delete_show(&in, rm, nrm);
	if (!subcmd_typed_name(o.typed, in.name, "VM")) {
		err = xasprintf("not deleting %s: %s", in.name,
		                o.typed ? "the name given with --yes-i-typed is not its exact name."
		                        : "the name typed is not its exact name.");
	} else {
		uri = virsh_uri(conn, o.uri);
		rc = vmdelete_run(conn, uri, in.name, rm, nrm, getenv("XDG_STATE_HOME"),
		                  getenv("HOME"), delete_action, NULL, &backup, &result, &err);
	}
	vmdelete_info_free(&in);

cleanup:
	if (rc == 0)
		printf("%s\n", result);
	else
		fprintf(stderr, "vmtui: %s\n", err);
	xfree_strv(rm, nrm);
	free(err);
	free(result);
	free(backup);
	free(uri);
	virConnectClose(conn);
	return rc == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
