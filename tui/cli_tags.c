/* cli_tags.c — `vmtui tag VM TAG...`, `vmtui untag VM TAG...` and
 * `vmtui note VM TEXT`: a guest's tags and note in its domain's metadata
 * (model/defs/tagmeta.h), checked before anything is asked of libvirt.
 * Exit status 0 when done (or nothing to change), 1 for anything else.
 * Their rows (help, what they need) are in subcmd.c. */
#include "subcmd.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libvirt/libvirt.h>

#include "../model/base/xmalloc.h"
#include "../model/defs/tagmeta.h"
#include "../model/host/lvutil.h"
#include "../model/host/sshlink.h"

enum { O_KNOWN = 256, O_ALL, O_CLEAR };

struct topts {
	struct subcmd_target t;
	bool all, clear;
	char **args;
	int nargs;
};

/* Options; -1 to fail, 1 for --help. */
static int
tparse(const struct subcmd *cmd, int argc, char **argv, struct topts *o)
{
	static const struct option longopts[] = {
		{ "connect", required_argument, NULL, 'c' },
		{ "host", required_argument, NULL, 'H' },
		{ "known-hosts", required_argument, NULL, O_KNOWN },
		{ "all", no_argument, NULL, O_ALL },
		{ "clear", no_argument, NULL, O_CLEAR },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":c:H:h", longopts, NULL)) != -1) {
		bool fits = true;
		switch (ch) {
		case 'c': o->t.uri = optarg; break;
		case 'H': o->t.ssh = optarg; break;
		case O_KNOWN: o->t.known_hosts = optarg; break;
		case O_ALL:
			o->all = true;
			fits = strcmp(cmd->name, "untag") == 0;
			break;
		case O_CLEAR:
			o->clear = true;
			fits = strcmp(cmd->name, "note") == 0;
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
	o->args = argv + optind;
	o->nargs = argc - optind;
	if (o->nargs < 1) {
		fprintf(stderr, "vmtui %s: expected a VM name\n", cmd->name);
		subcmd_hint(cmd);
		return -1;
	}
	if (strcmp(cmd->name, "untag") == 0 && o->all != (o->nargs == 1)) {
		fprintf(stderr, "vmtui untag: %s\n", o->all ? "--all takes only the VM name" :
		        "expected the tags to remove after the VM (or --all)");
		subcmd_hint(cmd);
		return -1;
	}
	if (o->clear && o->nargs != 1) {
		fprintf(stderr, "vmtui note: --clear takes only the VM name\n");
		subcmd_hint(cmd);
		return -1;
	}
	return 0;
}

/* Standard input whole, as a new string; NULL when too long or unreadable. */
static char *
read_stdin(void)
{
	size_t n = 0, cap = NOTE_MAX + 2, got;
	char *buf = xmalloc(cap);

	while ((got = fread(buf + n, 1, cap - 1 - n, stdin)) > 0) {
		n += got;
		if (n >= cap - 1)
			break;
	}
	buf[n] = '\0';
	if (ferror(stdin)) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* The edit the command line asks for; NULL (said why) when it is wrong,
 * *show true when it only asks to see. */
static struct tag_edit *
make_edit(const struct subcmd *cmd, const struct topts *o, bool *show)
{
	struct tag_edit *e = xcalloc(1, sizeof *e);
	char *why = NULL;
	int i;

	*show = false;
	if (strcmp(cmd->name, "note") == 0) {
		e->set_note = true;
		if (o->clear) {
			e->note = NULL;
		} else if (o->nargs == 1) {
			*show = true;
		} else if (o->nargs == 2 && strcmp(o->args[1], "-") == 0) {
			if ((e->note = read_stdin()) == NULL)
				why = xstrdup("cannot read the note from standard input.");
		} else {
			e->note = xstrdup("");
			for (i = 1; i < o->nargs; i++)
				e->note = xjoin(e->note, i > 1 ? " " : "", o->args[i]);
		}
	} else if (o->nargs == 1 && !o->all) {
		*show = true;
	} else {
		bool add = strcmp(cmd->name, "tag") == 0;
		char ***v = add ? &e->add : &e->del;
		size_t *nv = add ? &e->nadd : &e->ndel;
		e->clear_tags = o->all;
		for (i = 1; i < o->nargs && why == NULL; i++) {
			*v = xreallocarray(*v, *nv + 1, sizeof **v);
			(*v)[(*nv)++] = xstrdup(o->args[i]);
		}
	}
	if (why == NULL && !*show)
		why = tag_edit_check(e);
	if (why != NULL) {
		fprintf(stderr, "vmtui %s: %s\n", cmd->name, why);
		free(why);
		tag_edit_free(e);
		return NULL;
	}
	return e;
}

static void
print_set(const char *name, const struct tagset *ts)
{
	char *tags = tagset_join(ts, " ");

	printf("%s\ntags: %s\nnote: %s\n", name, ts->ntags ? tags : "(none)",
	       ts->note ? ts->note : "(none)");
	free(tags);
}

static int
run(virConnectPtr conn, const char *uri, const struct topts *o, const struct tag_edit *e)
{
	virDomainPtr d;
	struct tagset after;
	char *err = NULL, *virsh = NULL, *desc;
	int rc;

	if ((d = lv_domain_lookup(conn, o->args[0], &err)) == NULL) {
		fprintf(stderr, "vmtui: %s\n", err);
		free(err);
		return -1;
	}
	if (e == NULL) {
		rc = tagmeta_read(d, &after, &err);
		if (rc == 0)
			print_set(virDomainGetName(d), &after);
	} else {
		rc = tagmeta_edit(d, e, uri, &after, &virsh, &err);
		if (rc >= 0) {
			desc = tagmeta_describe(virDomainGetName(d), &after);
			printf("%s%s\n", rc == 0 ? "Nothing to change: " : "", desc);
			if (virsh)
				printf("(virsh: %s)\n", virsh);
			free(desc);
		}
	}
	if (rc < 0)
		fprintf(stderr, "vmtui: %s\n", err);
	else
		tagset_free(&after);
	free(err);
	free(virsh);
	virDomainFree(d);
	return rc < 0 ? -1 : 0;
}

int
cli_tags(const struct subcmd *cmd, int argc, char **argv)
{
	struct topts o = { 0 };
	struct sshlink *link = NULL;
	struct tag_edit *e;
	virConnectPtr conn;
	bool show;
	char *uri;
	int rc = tparse(cmd, argc, argv, &o);

	if (rc != 0)
		return rc < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
	/* Bad tags and notes are refused before connecting. */
	if ((e = make_edit(cmd, &o, &show)) == NULL)
		return EXIT_FAILURE;
	if ((conn = subcmd_connect_via(cmd, &o.t, false, &link)) == NULL) {
		tag_edit_free(e);
		return EXIT_FAILURE;
	}
	uri = subcmd_virsh_uri(conn, &o.t);
	rc = run(conn, uri, &o, show ? NULL : e);
	tag_edit_free(e);
	free(uri);
	virConnectClose(conn);
	sshlink_close(link);
	return rc == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
