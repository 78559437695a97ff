/* cli_edit.c — `vmtui edit VM`: the saved domain XML in the user's editor,
 * as `virsh edit`, with the edit kept in a file until it is defined or
 * discarded (model/guest/xmledit.h), the diff shown and a question before
 * the define, and the editor opened again on libvirt's error. Exit status
 * 0 when the XML was defined or nothing changed, 1 for anything else. */
#include "subcmd.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <libvirt/libvirt.h>

#include "../model/base/xmalloc.h"
#include "../model/defs/textdiff.h"
#include "../model/guest/xmledit.h"
#include "../model/host/lvutil.h"
#include "../model/host/sshlink.h"
#include "editor.h"

struct eopts {
	struct subcmd_target t;
	bool yes, resume, fresh;
	char **args;
	int nargs;
};

enum { O_KNOWN = 256, O_RESUME, O_FRESH };

/* Options; -1 to fail, 1 for --help. */
static int
eparse(const struct subcmd *cmd, int argc, char **argv, struct eopts *o)
{
	static const struct option longopts[] = {
		{ "connect", required_argument, NULL, 'c' },
		{ "host", required_argument, NULL, 'H' },
		{ "known-hosts", required_argument, NULL, O_KNOWN },
		{ "yes", no_argument, NULL, 'y' },
		{ "resume", no_argument, NULL, O_RESUME },
		{ "fresh", no_argument, NULL, O_FRESH },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":c:H:yh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': o->t.uri = optarg; break;
		case 'H': o->t.ssh = optarg; break;
		case O_KNOWN: o->t.known_hosts = optarg; break;
		case 'y': o->yes = true; break;
		case O_RESUME: o->resume = true; break;
		case O_FRESH: o->fresh = true; break;
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
	if (o->nargs != 1) {
		fprintf(stderr, "vmtui edit: expected one VM name\n");
		subcmd_hint(cmd);
		return -1;
	}
	if (o->resume && o->fresh) {
		fprintf(stderr, "vmtui edit: --resume and --fresh exclude each other.\n");
		subcmd_hint(cmd);
		return -1;
	}
	return 0;
}

/* One edit's state: where it is kept and what it started from. */
struct edit {
	virConnectPtr conn;
	char *uri;            /* for the virsh line */
	struct xmledit_src src;
	char *path, *base_path;
	char *base;           /* the XML the edit started from */
};

/* A kept edit is there: resume it (true) or start from the current XML
 * (false); -1 when neither was chosen. */
static int
choose_kept(const struct eopts *o, const struct edit *e)
{
	struct stat st;
	char age[48], line[16];

	if (o->resume || o->fresh)
		return o->resume;
	if (stat(e->path, &st) < 0)
		st.st_mtime = time(NULL);
	xmledit_age(st.st_mtime, time(NULL), age, sizeof age);
	if (!isatty(STDIN_FILENO)) {
		fprintf(stderr, "vmtui: an edit of %s from %s ago is kept in %s: give --resume to "
		        "go on with it or --fresh to start again from the current XML (the kept "
		        "edit is then dropped).\n", e->src.name, age, e->path);
		return -1;
	}
	for (;;) {
		if (!subcmd_read_tty(line, sizeof line, "An edit of %s from %s ago is kept in %s.\n"
		                     "[r]esume it, start [f]resh from the current XML (dropping it), "
		                     "or [q]uit? ", e->src.name, age, e->path) || line[0] == 'q' ||
		    line[0] == '\0')
			return -1;
		if (line[0] == 'r' || line[0] == 'f')
			return line[0] == 'r';
	}
}

/* Set up the kept files: resumed, or made from the current XML. */
static int
start(const struct eopts *o, struct edit *e)
{
	char *err = NULL, *kept;
	int r;

	e->path = xmledit_path(getenv("XDG_STATE_HOME"), getenv("HOME"), e->src.host, e->src.name,
	                       &err);
	if (e->path == NULL)
		goto fail;
	e->base_path = xmledit_base_path(e->path);
	kept = xmledit_read(e->path, &err);
	if (err)
		goto fail;
	if (kept != NULL) {
		free(kept);
		if ((r = choose_kept(o, e)) < 0)
			return -1;
		if (r == 1) {
			e->base = xmledit_read(e->base_path, &err);
			if (err)
				goto fail;
			if (e->base == NULL) /* no base kept: compare with the current XML */
				e->base = xstrdup(e->src.xml);
			printf("Resuming the edit kept in %s.\n", e->path);
			return 0;
		}
	}
	e->base = xstrdup(e->src.xml);
	if (xmledit_write(e->base_path, e->base, &err) < 0 ||
	    xmledit_write(e->path, e->base, &err) < 0)
		goto fail;
	return 0;

fail:
	fprintf(stderr, "vmtui: %s\n", err);
	free(err);
	return -1;
}

/* Warn when the guest changed on the host since the edit started. */
static void
warn_if_changed(struct edit *e)
{
	struct xmledit_src now;
	char *err = NULL, *d;

	if (xmledit_src_read(e->conn, e->src.uuid, &now, &err) < 0) {
		fprintf(stderr, "vmtui: warning: %s\n", err);
		free(err);
		return;
	}
	if (xmledit_differs(e->base, now.xml)) {
		d = textdiff_unified(e->base, now.xml, "when the edit started", "on the host now", 3);
		fprintf(stderr, "vmtui: warning: %s was changed on the host since this edit started; "
		        "defining the edit undoes these changes:\n%s", e->src.name, d);
		free(d);
	}
	xmledit_src_free(&now);
}

/* Define body; 0, or -1 with *err. */
static int
define(struct edit *e, const char *body, char **err)
{
	struct hw_change c;
	virDomainPtr d;
	int rc = -1;

	xmledit_change(&c, e->src.name, e->src.running, e->uri, e->path, e->base, body);
	if ((d = lv_domain_lookup(e->conn, e->src.uuid, err)) != NULL) {
		rc = hw_change_apply(d, &c, NULL, err);
		virDomainFree(d);
	}
	if (rc == 0)
		printf("Defined the edited XML of %s: it takes effect %s.\n(virsh: %s)\n",
		       e->src.name, e->src.running ? "at the next boot" : "when it starts",
		       c.steps[0].virsh);
	hw_change_free(&c);
	return rc;
}

/* What to do with a changed edit: 'y', 'e', 'd' or 'n'. */
static int
ask_define(const struct eopts *o, const struct edit *e)
{
	char line[16];

	if (o->yes)
		return 'y';
	if (!isatty(STDIN_FILENO)) {
		fprintf(stderr, "vmtui: not defined: give --yes to define without a terminal. The "
		        "edit is kept in %s.\n", e->path);
		return 'n';
	}
	for (;;) {
		if (!subcmd_read_tty(line, sizeof line, "Define it? [y]es, [e]dit again, [d]iscard "
		                     "the edit, [n]o (keep it for later): ") || line[0] == '\0')
			return 'n';
		if (strchr("yedn", line[0]))
			return line[0];
	}
}

/* Put err at the top of the kept text; -1 if that cannot be written. */
static int
keep_error(struct edit *e, const char *body, const char *err, char **last)
{
	char *text = xmledit_add_error(body, err), *werr = NULL;
	int rc = xmledit_write(e->path, text, &werr);

	if (rc < 0) {
		fprintf(stderr, "vmtui: %s\n", werr);
		free(werr);
	}
	free(*last);
	*last = xmledit_strip_error(text);
	free(text);
	return rc;
}

/* The editor, the diff, the question and the define, until one ends it. */
static int
loop(const struct eopts *o, struct edit *e)
{
	char *err = NULL, *text = NULL, *body = NULL, *last = NULL;
	struct hw_change c;
	const char *why;
	int rc = EXIT_FAILURE, ans;

	for (;;) {
		free(text);
		free(body);
		text = body = NULL;
		if (editor_run(e->path, &err) < 0) {
			fprintf(stderr, "vmtui: %s; not defined. The edit is kept in %s (vmtui edit %s "
			        "resumes it).\n", err, e->path, e->src.name);
			break;
		}
		if ((text = xmledit_read(e->path, &err)) == NULL) {
			fprintf(stderr, "vmtui: %s\n", err ? err : "the edited file is gone");
			break;
		}
		body = xmledit_strip_error(text);
		if (!xmledit_differs(e->base, body)) {
			printf("No change: %s was not defined.\n", e->src.name);
			xmledit_forget(e->path);
			rc = EXIT_SUCCESS;
			break;
		}
		if (last != NULL && !xmledit_differs(last, body)) {
			fprintf(stderr, "vmtui: the edit was saved unchanged after the error: not "
			        "defined. It is kept in %s (vmtui edit %s resumes it).\n", e->path,
			        e->src.name);
			break;
		}
		if ((why = xmledit_refusal(body, e->src.uuid)) != NULL) {
			fprintf(stderr, "vmtui: %s; the editor opens again.\n", why);
			if (keep_error(e, body, why, &last) < 0)
				break;
			continue;
		}
		xmledit_change(&c, e->src.name, e->src.running, e->uri, e->path, e->base, body);
		printf("%s:\n%s", c.what, c.diff_saved ? c.diff_saved : "");
		hw_change_free(&c);
		warn_if_changed(e);
		ans = ask_define(o, e);
		if (ans == 'e')
			continue;
		if (ans == 'n') {
			printf("Not defined; the edit is kept in %s (vmtui edit %s resumes it).\n",
			       e->path, e->src.name);
			break;
		}
		if (ans == 'd') {
			xmledit_forget(e->path);
			printf("Discarded the edit of %s; nothing was defined.\n", e->src.name);
			break;
		}
		if (define(e, body, &err) == 0) {
			xmledit_forget(e->path);
			rc = EXIT_SUCCESS;
			break;
		}
		fprintf(stderr, "vmtui: %s; the editor opens again with the error at the top.\n",
		        err);
		if (keep_error(e, body, err, &last) < 0)
			break;
		free(err);
		err = NULL;
	}
	free(err);
	free(text);
	free(body);
	free(last);
	return rc;
}

int
cli_edit(const struct subcmd *cmd, int argc, char **argv)
{
	struct eopts o = { 0 };
	struct edit e = { 0 };
	struct sshlink *link = NULL;
	char *err = NULL;
	int rc = eparse(cmd, argc, argv, &o);

	if (rc != 0)
		return rc < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
	if ((e.conn = subcmd_connect_via(cmd, &o.t, false, &link)) == NULL)
		return EXIT_FAILURE;
	rc = EXIT_FAILURE;
	e.uri = subcmd_virsh_uri(e.conn, &o.t);
	if (xmledit_src_read(e.conn, o.args[0], &e.src, &err) < 0) {
		fprintf(stderr, "vmtui: %s\n", err);
		free(err);
	} else if (start(&o, &e) == 0) {
		rc = loop(&o, &e);
	}
	xmledit_src_free(&e.src);
	free(e.path);
	free(e.base_path);
	free(e.base);
	free(e.uri);
	virConnectClose(e.conn);
	sshlink_close(link);
	return rc;
}
