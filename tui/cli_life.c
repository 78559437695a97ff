/* cli_life.c — `vmtui reset|save|restore|rename|ctrl-alt-del|nmi|wake VM`:
 * the lifecycle actions beyond start and stop, with the refusals of the
 * screen (model/guest/actions.c) and its questions on the terminal for
 * those that lose the guest's unsaved work. Exit status 0 when done, 1
 * for anything else. Their rows (help, what they need) are in subcmd.c. */
#include "subcmd.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libvirt/libvirt.h>

#include "../model/base/msglog.h"
#include "../model/base/xmalloc.h"
#include "../model/guest/actions.h"
#include "../model/guest/clone.h"
#include "../model/host/lvutil.h"
#include "../model/host/sshlink.h"

struct lopts {
	struct subcmd_target t;
	bool yes, discard;
	char **args;
	int nargs;
};

enum { O_KNOWN = 256, O_DISCARD };

/* Options; -1 to fail, 1 for --help. */
static int
lparse(const struct subcmd *cmd, int argc, char **argv, struct lopts *o)
{
	static const struct option longopts[] = {
		{ "connect", required_argument, NULL, 'c' },
		{ "host", required_argument, NULL, 'H' },
		{ "known-hosts", required_argument, NULL, O_KNOWN },
		{ "yes", no_argument, NULL, 'y' },
		{ "discard", no_argument, NULL, O_DISCARD },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool asks = strcmp(cmd->name, "reset") == 0 || strcmp(cmd->name, "save") == 0;
	int ch, want = strcmp(cmd->name, "rename") == 0 ? 2 : 1;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":c:H:yh", longopts, NULL)) != -1) {
		bool fits = true;
		switch (ch) {
		case 'c': o->t.uri = optarg; break;
		case 'H': o->t.ssh = optarg; break;
		case O_KNOWN: o->t.known_hosts = optarg; break;
		case 'y':
			o->yes = true;
			fits = asks;
			break;
		case O_DISCARD:
			o->discard = true;
			fits = strcmp(cmd->name, "save") == 0;
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
	if (o->nargs != want) {
		fprintf(stderr, "vmtui %s: expected %s\n", cmd->name,
		        want == 2 ? "the VM and its new name" : "one VM name");
		subcmd_hint(cmd);
		return -1;
	}
	return 0;
}

/* The action a row runs. */
static enum action
action_of(const char *name, bool discard)
{
	if (strcmp(name, "reset") == 0)
		return ACT_RESET;
	if (strcmp(name, "save") == 0)
		return discard ? ACT_SAVE_REMOVE : ACT_MANAGED_SAVE;
	if (strcmp(name, "restore") == 0)
		return ACT_START;
	if (strcmp(name, "ctrl-alt-del") == 0)
		return ACT_SEND_CAD;
	if (strcmp(name, "nmi") == 0)
		return ACT_NMI;
	return ACT_WAKE;
}

/* The guest's state as the screen knows it. */
static enum vm_state
state_of(virDomainPtr d, bool *saved)
{
	int st = VIR_DOMAIN_NOSTATE, reason;

	if (virDomainGetState(d, &st, &reason, 0) < 0 || st < 0 || st >= VM_STATE_COUNT)
		st = VIR_DOMAIN_NOSTATE;
	*saved = virDomainHasManagedSaveImage(d, 0) == 1;
	return (enum vm_state)st;
}

/* The question of an action that loses unsaved work; true to go on. */
static bool
confirmed(const struct lopts *o, enum action act, const char *vm)
{
	char q[600];

	if (o->yes)
		return true;
	if (act == ACT_RESET)
		snprintf(q, sizeof q, "Reset %s? Unsaved guest data is lost, as when pressing the "
		         "reset button.", vm);
	else
		snprintf(q, sizeof q, "Remove the saved state of %s? Its memory is lost; the next "
		         "start boots afresh.", vm);
	if (subcmd_ask(q))
		return true;
	fprintf(stderr, "vmtui: %s\n", isatty(STDIN_FILENO) ? "Nothing was done." :
	        "nothing was done: give --yes to do it without a terminal.");
	return false;
}

static int
run_action(virConnectPtr conn, const char *uri, const struct lopts *o, enum action act,
           const char *verb)
{
	virDomainPtr d;
	char *err = NULL, *virsh, uuid[VIR_UUID_STRING_BUFLEN];
	const char *why;
	bool saved;
	enum vm_state st;
	int rc = -1;

	if ((d = lv_domain_lookup(conn, o->args[0], &err)) == NULL)
		goto cleanup;
	st = state_of(d, &saved);
	why = action_refusal(act, st, false, saved);
	if (why == NULL && strcmp(verb, "restore") == 0 && !saved)
		why = "it has no saved state (vmtui save makes one; start boots it afresh)";
	if (why != NULL) {
		err = xasprintf("cannot %s %s: %s.", strcmp(verb, "restore") == 0 ? "restore" :
		                action_verb(act), virDomainGetName(d), why);
		goto cleanup;
	}
	if (action_loses_work(act) && !confirmed(o, act, virDomainGetName(d)))
		goto cleanup;
	virsh = action_virsh_line(act, uri, virDomainGetName(d));
	if (virDomainGetUUIDString(d, uuid) < 0)
		err = lv_err_line();
	else if ((rc = action_run(conn, uuid, act, &err)) == 0)
		printf("%s: %s done.\n(virsh: %s)\n", virDomainGetName(d),
		       strcmp(verb, "restore") == 0 ? "restore" : action_name(act), virsh);
	free(virsh);

cleanup:
	if (err)
		fprintf(stderr, "vmtui: %s\n", err);
	free(err);
	if (d)
		virDomainFree(d);
	return rc;
}

static int
run_rename(virConnectPtr conn, const char *uri, const struct lopts *o)
{
	const char *vm = o->args[0], *to = o->args[1];
	virDomainPtr d, other;
	char *err = NULL, *virsh, *old;
	bool saved;
	int rc = -1;

	if ((err = clone_name_check(to)) != NULL)
		goto cleanup;
	if ((d = lv_domain_lookup(conn, vm, &err)) == NULL)
		goto cleanup;
	old = xstrdup(virDomainGetName(d));
	if (vm_state_active(state_of(d, &saved)))
		err = xasprintf("cannot rename %s: it is running; shut it off first (libvirt renames "
		                "only shut-off guests).", old);
	else if (strcmp(old, to) == 0)
		err = xasprintf("%s is already called so.", old);
	else if ((other = virDomainLookupByName(conn, to)) != NULL) {
		virDomainFree(other);
		err = xasprintf("cannot rename %s: a guest called \"%s\" exists already.", old, to);
	} else if (virDomainRename(d, to, 0) < 0) {
		char *why = lv_err_line();
		err = xasprintf("cannot rename %s: %s.", old, why);
		free(why);
	} else {
		virsh = msglog_virsh(uri, "domrename", old, to, NULL);
		printf("%s is now called %s.\n(virsh: %s)\n", old, to, virsh);
		free(virsh);
		rc = 0;
	}
	free(old);
	virDomainFree(d);

cleanup:
	if (err)
		fprintf(stderr, "vmtui: %s\n", err);
	free(err);
	return rc;
}

int
cli_life(const struct subcmd *cmd, int argc, char **argv)
{
	struct lopts o = { 0 };
	struct sshlink *link = NULL;
	virConnectPtr conn;
	char *uri;
	int rc = lparse(cmd, argc, argv, &o);

	if (rc != 0)
		return rc < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
	if ((conn = subcmd_connect_via(cmd, &o.t, false, &link)) == NULL)
		return EXIT_FAILURE;
	uri = subcmd_virsh_uri(conn, &o.t);
	if (strcmp(cmd->name, "rename") == 0)
		rc = run_rename(conn, uri, &o);
	else
		rc = run_action(conn, uri, &o, action_of(cmd->name, o.discard), cmd->name);
	free(uri);
	virConnectClose(conn);
	sshlink_close(link);
	return rc == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
