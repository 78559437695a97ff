/* cli_bulk.c — `vmtui start|shutdown|reboot|off|pause|resume|autostart`
 * on many guests across hosts, `vmtui list`, and `vmtui snapshot
 * create|delete` and `vmtui delete` on many (called by cli_manage.c when
 * the command line names more than one guest): the guests picked by
 * cli_targets.h, the work done by a bulk run (model/guest/bulk.h), one
 * result line per guest (or --json), exit status 1 when any failed. */
#include "subcmd.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../model/base/json.h"
#include "../model/base/xmalloc.h"
#include "../model/guest/actions.h"
#include "../model/guest/bulk.h"
#include "../model/guest/snapshot.h"
#include "cli_targets.h"
#include "top.h"

#define BULK_LIMIT_DEFAULT 8

struct bopts {
	struct host_args h;
	struct target_sel sel;
	bool json, yes, disable, no_wait, storage;
	unsigned limit;
	double timeout;    /* seconds; 0: the default */
	const char *name, *desc, *typed;
};

enum { O_TAG = 300, O_JSON, O_LIMIT, O_TIMEOUT, O_NOWAIT, O_DISABLE, O_NAME, O_DESC,
       O_STORAGE, O_TYPED };

static void
bopts_free(struct bopts *o)
{
	free(o->h.uris);
	free(o->h.ssh);
	free(o->sel.tags);
}

/* Which options the command takes: flags of what it is. */
enum { TAKES_WAIT = 1, TAKES_YES = 2, TAKES_DISABLE = 4, TAKES_SNAP = 8, TAKES_DEL = 16,
       TAKES_RUN = 32 };

static unsigned
takes(const char *name)
{
	if (strcmp(name, "shutdown") == 0 || strcmp(name, "reboot") == 0)
		return TAKES_WAIT | TAKES_RUN;
	if (strcmp(name, "off") == 0)
		return TAKES_YES | TAKES_RUN;
	if (strcmp(name, "autostart") == 0)
		return TAKES_DISABLE | TAKES_RUN;
	if (strcmp(name, "snapshot") == 0)
		return TAKES_SNAP | TAKES_YES | TAKES_RUN;
	if (strcmp(name, "delete") == 0)
		return TAKES_DEL | TAKES_RUN;
	if (strcmp(name, "list") == 0)
		return 0;
	return TAKES_RUN;
}

/* Options; -1 to fail, 1 for --help. argv[optind...] are left as the
 * guests (and, for snapshot, its verb first). */
static int
bparse(const struct subcmd *cmd, int argc, char **argv, struct bopts *o, int *first)
{
	static const struct option longopts[] = {
		HOST_ARGS_LONGOPTS,
		{ "tag", required_argument, NULL, O_TAG },
		{ "all", no_argument, NULL, 'a' },
		{ "json", no_argument, NULL, O_JSON },
		{ "limit", required_argument, NULL, O_LIMIT },
		{ "timeout", required_argument, NULL, O_TIMEOUT },
		{ "no-wait", no_argument, NULL, O_NOWAIT },
		{ "disable", no_argument, NULL, O_DISABLE },
		{ "yes", no_argument, NULL, 'y' },
		{ "name", required_argument, NULL, O_NAME },
		{ "description", required_argument, NULL, 'd' },
		{ "all-storage", no_argument, NULL, O_STORAGE },
		{ "yes-i-typed", required_argument, NULL, O_TYPED },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned t = takes(cmd->name);
	int ch;
	char *end;

	o->limit = BULK_LIMIT_DEFAULT;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":ayd:h" HOST_ARGS_SHORTOPTS, longopts, NULL)) != -1) {
		bool fits = true;
		if (top_host_arg(&o->h, ch, optarg))
			continue;
		switch (ch) {
		case O_TAG:
			o->sel.tags = xreallocarray(o->sel.tags, o->sel.ntags + 1, sizeof *o->sel.tags);
			o->sel.tags[o->sel.ntags++] = optarg;
			break;
		case 'a':
			o->sel.all = true;
			break;
		case O_JSON:
			o->json = true;
			break;
		case O_LIMIT:
			errno = 0;
			o->limit = (unsigned)strtoul(optarg, &end, 10);
			if (end == optarg || *end || errno || optarg[0] == '-' || o->limit < 1 ||
			    o->limit > 64) {
				fprintf(stderr, "vmtui %s: --limit: \"%s\" is not a number of operations "
				        "at once per host (1 to 64)\n", cmd->name, optarg);
				return -1;
			}
			fits = t & TAKES_RUN;
			break;
		case O_TIMEOUT:
			errno = 0;
			o->timeout = strtod(optarg, &end);
			if (end == optarg || *end || errno || !(o->timeout >= 1 && o->timeout <= 86400)) {
				fprintf(stderr, "vmtui %s: --timeout: \"%s\" is not a number of seconds "
				        "(1 to 86400)\n", cmd->name, optarg);
				return -1;
			}
			fits = t & TAKES_WAIT;
			break;
		case O_NOWAIT:
			o->no_wait = true;
			fits = t & TAKES_WAIT;
			break;
		case O_DISABLE:
			o->disable = true;
			fits = t & TAKES_DISABLE;
			break;
		case 'y':
			o->yes = true;
			fits = t & TAKES_YES;
			break;
		case O_NAME:
			o->name = optarg;
			fits = t & TAKES_SNAP;
			break;
		case 'd':
			o->desc = optarg;
			fits = t & TAKES_SNAP;
			break;
		case O_STORAGE:
			o->storage = true;
			fits = t & TAKES_DEL;
			break;
		case O_TYPED:
			o->typed = optarg;
			fits = t & TAKES_DEL;
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
	if (o->no_wait && o->timeout > 0) {
		fprintf(stderr, "vmtui %s: --no-wait and --timeout exclude each other\n", cmd->name);
		return -1;
	}
	*first = optind;
	o->sel.patterns = argv + optind;
	o->sel.npatterns = (size_t)(argc - optind);
	return 0;
}

/* Guests named, or --tag, or --all, and not --all with either. */
static int
check_sel(const struct subcmd *cmd, const struct target_sel *sel, bool list)
{
	if (sel->all && (sel->npatterns || sel->ntags)) {
		fprintf(stderr, "vmtui %s: --all takes every guest; give it without names or "
		        "--tag\n", cmd->name);
		subcmd_hint(cmd);
		return -1;
	}
	if (!list && !sel->all && sel->npatterns == 0 && sel->ntags == 0) {
		fprintf(stderr, "vmtui %s: no guests given: name them (globs like 'web-*' too), or "
		        "give --tag TAG or --all\n", cmd->name);
		subcmd_hint(cmd);
		return -1;
	}
	return 0;
}

static const struct {
	const char *name;
	enum action act;
} lifecycle[] = {
	{ "start", ACT_START },     { "shutdown", ACT_SHUTDOWN }, { "reboot", ACT_REBOOT },
	{ "off", ACT_DESTROY },     { "pause", ACT_SUSPEND },     { "resume", ACT_RESUME },
	{ "autostart", ACT_AUTOSTART_ON },
};

static void *
action_arg(void *ud)
{
	return ud;
}

/* Open the hosts and pick the guests; -1 after saying why. */
static int
pick(const struct subcmd *cmd, struct bopts *o, struct targets *t, bool want_tags)
{
	char who[64];

	snprintf(who, sizeof who, "vmtui %s", cmd->name);
	if (cli_targets_open(t, &o->h, o->h.readonly, want_tags, who) < 0)
		return -1;
	if (cli_targets_pick(t, &o->sel, who) < 0)
		return -1;
	if (t->npicked == 0) {
		fprintf(stderr, "%s: no guests to act on%s.\n", who,
		        cli_targets_unreachable(t) ? " (some hosts could not be reached)" : "");
		return cli_targets_unreachable(t) ? -1 : 0;
	}
	return 0;
}

/* The picked guests' names on stderr, for a question. */
static void
show_picked(const struct targets *t)
{
	size_t i;

	for (i = 0; i < t->npicked; i++) {
		const struct target_vm *v = &t->all[t->picked[i]];
		fprintf(stderr, "  %s (%s, %s)\n", v->name, t->hosts[v->host].label,
		        vm_state_name(v->state));
	}
}

/* Refuse a change under -r. */
static int
refuse_readonly(const struct subcmd *cmd, const struct bopts *o)
{
	if (!o->h.readonly)
		return 0;
	fprintf(stderr, "vmtui %s: vmtui runs read-only (-r); nothing was changed. Drop -r to "
	        "change the guests.\n", cmd->name);
	return -1;
}

int
cli_bulk_action(const struct subcmd *cmd, int argc, char **argv)
{
	struct bopts o = { 0 };
	struct targets t;
	struct bulk_run *b;
	enum action a = ACT_COUNT;
	size_t i;
	int first, rc = bparse(cmd, argc, argv, &o, &first);

	if (rc != 0) {
		bopts_free(&o);
		return rc < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
	}
	for (i = 0; i < sizeof lifecycle / sizeof lifecycle[0]; i++)
		if (strcmp(cmd->name, lifecycle[i].name) == 0)
			a = lifecycle[i].act;
	if (a == ACT_AUTOSTART_ON && o.disable)
		a = ACT_AUTOSTART_OFF;
	if (check_sel(cmd, &o.sel, false) < 0 || refuse_readonly(cmd, &o) < 0) {
		bopts_free(&o);
		return EXIT_FAILURE;
	}
	if (pick(cmd, &o, &t, o.sel.ntags > 0) < 0) {
		cli_targets_close(&t);
		bopts_free(&o);
		return EXIT_FAILURE;
	}
	rc = EXIT_SUCCESS;
	if (t.npicked == 0)
		goto out;
	if (action_loses_work(a) && !o.yes) {
		char q[128];
		fprintf(stderr, "Force off %s (what %s not written is lost):\n",
		        t.npicked == 1 ? "this guest" : "these guests", t.npicked == 1 ? "it has"
		                                                                  : "they have");
		show_picked(&t);
		snprintf(q, sizeof q, "Force off %zu guest%s?", t.npicked, t.npicked == 1 ? "" : "s");
		if (!subcmd_ask(q)) {
			fprintf(stderr, "vmtui %s: nothing was done%s.\n", cmd->name,
			        isatty(STDIN_FILENO) ? "" : ": give --yes to do it without a terminal");
			rc = EXIT_FAILURE;
			goto out;
		}
	}
	b = cli_targets_run(&t, cmd->name, o.limit, bulk_action_fn, action_arg,
	                    (void *)(intptr_t)a, NULL);
	if (o.no_wait)
		bulk_set_wait(b, BULK_NO_WAIT);
	else if (o.timeout > 0)
		bulk_set_wait(b, (unsigned)(o.timeout * 1000));
	rc = cli_targets_report(b, &t, o.json, stdout) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
	bulk_free(b);
out:
	cli_targets_close(&t);
	bopts_free(&o);
	return rc;
}

/* ---- list ---- */

static void
list_json(const struct targets *t)
{
	size_t i, k;

	fputs("[", stdout);
	for (i = 0; i < t->npicked; i++) {
		const struct target_vm *v = &t->all[t->picked[i]];
		fputs(i ? ",{\"name\":" : "{\"name\":", stdout);
		json_put_string(stdout, v->name);
		fputs(",\"uuid\":", stdout);
		json_put_string(stdout, v->uuid);
		fputs(",\"host\":", stdout);
		json_put_string(stdout, t->hosts[v->host].label);
		fputs(",\"state\":", stdout);
		json_put_string(stdout, vm_state_name(v->state));
		printf(",\"autostart\":%s,\"persistent\":%s,\"tags\":[",
		       v->autostart ? "true" : "false", v->persistent ? "true" : "false");
		for (k = 0; k < v->ntags; k++) {
			fputs(k ? "," : "", stdout);
			json_put_string(stdout, v->tags[k]);
		}
		fputs("]}", stdout);
	}
	fputs("]\n", stdout);
}

static void
list_text(const struct targets *t)
{
	size_t i, k, wn = 4, wh = 4;

	for (i = 0; i < t->npicked; i++) {
		const struct target_vm *v = &t->all[t->picked[i]];
		if (strlen(v->name) > wn)
			wn = strlen(v->name);
		if (strlen(t->hosts[v->host].label) > wh)
			wh = strlen(t->hosts[v->host].label);
	}
	printf("%-*s  %-*s  %-11s  %s\n", (int)wn, "NAME", (int)wh, "HOST", "STATE", "TAGS");
	for (i = 0; i < t->npicked; i++) {
		const struct target_vm *v = &t->all[t->picked[i]];
		printf("%-*s  %-*s  %-11s  ", (int)wn, v->name, (int)wh, t->hosts[v->host].label,
		       vm_state_name(v->state));
		for (k = 0; k < v->ntags; k++)
			printf("%s%s", k ? "," : "", v->tags[k]);
		printf("%s\n", v->ntags ? "" : "-");
	}
}

int
cli_list(const struct subcmd *cmd, int argc, char **argv)
{
	struct bopts o = { 0 };
	struct targets t;
	int first, rc = bparse(cmd, argc, argv, &o, &first);

	if (rc != 0) {
		bopts_free(&o);
		return rc < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
	}
	if (check_sel(cmd, &o.sel, true) < 0) {
		bopts_free(&o);
		return EXIT_FAILURE;
	}
	if (o.sel.npatterns == 0 && o.sel.ntags == 0)
		o.sel.all = true;
	rc = EXIT_FAILURE;
	if (pick(cmd, &o, &t, true) == 0) {
		if (o.json)
			list_json(&t);
		else
			list_text(&t);
		rc = cli_targets_unreachable(&t) ? EXIT_FAILURE : EXIT_SUCCESS;
	}
	cli_targets_close(&t);
	bopts_free(&o);
	return rc;
}

/* ---- snapshot create|delete and delete, on many ---- */

struct snap_ud {
	const char *name, *desc;
};

static void *
snap_arg(void *ud)
{
	const struct snap_ud *s = ud;

	return bulk_snap_arg_new(s->name, s->desc);
}

struct del_ud {
	bool storage;
};

static void *
del_arg(void *ud)
{
	const struct del_ud *d = ud;

	return bulk_del_arg_new(d->storage, getenv("XDG_STATE_HOME"), getenv("HOME"));
}

int
cli_bulk_snapshot(const struct subcmd *cmd, int argc, char **argv)
{
	struct bopts o = { 0 };
	struct targets t;
	struct bulk_run *b;
	struct snap_ud su;
	char def[64], *why, q[160];
	const char *verb;
	bool create;
	int first, rc = bparse(cmd, argc, argv, &o, &first);

	if (rc != 0) {
		bopts_free(&o);
		return rc < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
	}
	verb = o.sel.npatterns ? o.sel.patterns[0] : "";
	create = strcmp(verb, "create") == 0;
	if (!create && strcmp(verb, "delete") != 0) {
		fprintf(stderr, "vmtui snapshot: --name, --tag and --all take create or delete, not "
		        "\"%s\"\n", verb);
		subcmd_hint(cmd);
		bopts_free(&o);
		return EXIT_FAILURE;
	}
	o.sel.patterns++;
	o.sel.npatterns--;
	snapshot_default_name(def, sizeof def, time(NULL));
	su.name = o.name ? o.name : create ? def : NULL;
	su.desc = o.desc;
	if (su.name == NULL) {
		fprintf(stderr, "vmtui snapshot delete: give the snapshot's name with --name NAME\n");
		bopts_free(&o);
		return EXIT_FAILURE;
	}
	if (o.desc && !create) {
		fprintf(stderr, "vmtui snapshot delete: --description applies to create only.\n");
		bopts_free(&o);
		return EXIT_FAILURE;
	}
	if ((why = snapshot_name_check(su.name)) != NULL) {
		fprintf(stderr, "vmtui: %s\n", why);
		free(why);
		bopts_free(&o);
		return EXIT_FAILURE;
	}
	if (check_sel(cmd, &o.sel, false) < 0 || refuse_readonly(cmd, &o) < 0) {
		bopts_free(&o);
		return EXIT_FAILURE;
	}
	if (pick(cmd, &o, &t, o.sel.ntags > 0) < 0) {
		rc = EXIT_FAILURE;
		goto out;
	}
	rc = EXIT_SUCCESS;
	if (t.npicked == 0)
		goto out;
	if (!create && !o.yes) {
		fprintf(stderr, "Delete snapshot \"%s\" of these %zu guests:\n", su.name, t.npicked);
		show_picked(&t);
		snprintf(q, sizeof q, "Delete snapshot \"%s\" of %zu guests?", su.name, t.npicked);
		if (!subcmd_ask(q)) {
			fprintf(stderr, "vmtui snapshot: nothing was deleted%s.\n",
			        isatty(STDIN_FILENO) ? "" : ": give --yes to delete without a terminal");
			rc = EXIT_FAILURE;
			goto out;
		}
	}
	b = cli_targets_run(&t, create ? "snapshot create" : "snapshot delete", o.limit,
	                    create ? bulk_snap_create_fn : bulk_snap_delete_fn, snap_arg, &su,
	                    bulk_snap_arg_free);
	rc = cli_targets_report(b, &t, o.json, stdout) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
	bulk_free(b);
out:
	cli_targets_close(&t);
	bopts_free(&o);
	return rc;
}

/* The words that confirm deleting n guests: "delete N". */
static bool
typed_count(const char *typed, size_t n)
{
	char want[32], line[64];

	snprintf(want, sizeof want, "delete %zu", n);
	if (typed)
		return strcmp(typed, want) == 0;
	if (!subcmd_read_tty(line, sizeof line, "Type \"%s\" to delete them: ", want))
		return false;
	return strcmp(line, want) == 0;
}

int
cli_bulk_delete(const struct subcmd *cmd, int argc, char **argv)
{
	struct bopts o = { 0 };
	struct targets t;
	struct bulk_run *b;
	struct del_ud du;
	int first, rc = bparse(cmd, argc, argv, &o, &first);

	if (rc != 0) {
		bopts_free(&o);
		return rc < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
	}
	if (check_sel(cmd, &o.sel, false) < 0 || refuse_readonly(cmd, &o) < 0) {
		bopts_free(&o);
		return EXIT_FAILURE;
	}
	if (o.typed == NULL && !isatty(STDIN_FILENO)) {
		fprintf(stderr, "vmtui delete: not deleting: confirm with --yes-i-typed 'delete N' "
		        "(N the number of guests), or run this on a terminal to type it.\n");
		bopts_free(&o);
		return EXIT_FAILURE;
	}
	if (pick(cmd, &o, &t, o.sel.ntags > 0) < 0) {
		rc = EXIT_FAILURE;
		goto out;
	}
	rc = EXIT_SUCCESS;
	if (t.npicked == 0)
		goto out;
	fprintf(stderr, "Delete these %zu guests (each definition backed up first; running ones "
	        "forced off)%s:\n", t.npicked,
	        o.storage ? " with every volume that can be removed" : ", keeping their volumes");
	show_picked(&t);
	if (!typed_count(o.typed, t.npicked)) {
		fprintf(stderr, "vmtui delete: nothing was deleted: the words %s are not \"delete "
		        "%zu\".\n", o.typed ? "given with --yes-i-typed" : "typed", t.npicked);
		rc = EXIT_FAILURE;
		goto out;
	}
	du.storage = o.storage;
	b = cli_targets_run(&t, "delete", o.limit, bulk_delete_fn, del_arg, &du, bulk_del_arg_free);
	rc = cli_targets_report(b, &t, o.json, stdout) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
	bulk_free(b);
out:
	cli_targets_close(&t);
	bopts_free(&o);
	return rc;
}

/* Options whose value is the next argument (for cli_bulk_wanted). */
static bool
takes_value(const char *a)
{
	static const char *const v[] = { "-c", "--connect", "-H", "--host", "--known-hosts", "-f",
	                                 "--config", "--tag", "--limit", "--name", "-d",
	                                 "--description", "--timeout", "--storage",
	                                 "--yes-i-typed", NULL };
	size_t i;

	for (i = 0; v[i]; i++)
		if (strcmp(a, v[i]) == 0)
			return true;
	return false;
}

bool
cli_bulk_wanted(int argc, char **argv, int singles)
{
	int i, pos = 0, conns = 0;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0)
			break;
		if (strcmp(a, "--tag") == 0 || strncmp(a, "--tag=", 6) == 0 ||
		    strcmp(a, "--all") == 0 || strcmp(a, "-a") == 0 || strcmp(a, "--json") == 0 ||
		    strcmp(a, "--name") == 0 || strncmp(a, "--name=", 7) == 0 ||
		    strcmp(a, "--limit") == 0 || strncmp(a, "--limit=", 8) == 0 ||
		    strcmp(a, "-H") == 0 || strcmp(a, "--host") == 0 || strcmp(a, "-f") == 0 ||
		    strcmp(a, "--config") == 0)
			return true;
		if (strcmp(a, "-c") == 0 || strcmp(a, "--connect") == 0 ||
		    strncmp(a, "--connect=", 10) == 0)
			conns++;
		if (a[0] == '-' && a[1] != '\0') {
			if (takes_value(a))
				i++;
			continue;
		}
		if (cli_targets_is_glob(a))
			return true;
		pos++;
	}
	return conns > 1 || (singles >= 0 && pos > singles);
}
