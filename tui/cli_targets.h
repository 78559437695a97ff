/* cli_targets.h — the guests a shell command acts on, across hosts: exact
 * names, globs ('web-*'), --tag TAG and --all, over the hosts of repeated
 * -c URI and -H HOST options (else config.yaml's hosts, else libvirt's
 * default host: the hosts `vmtui` and `vmtui top` show). Each name, glob
 * and tag adds guests; a guest picked twice counts once. A name or glob
 * that matches no guest, or a tag no guest has, is an error naming it:
 * nothing is done then. A host that cannot be reached is said and counted
 * (the command then exits non-zero) while the others go on.
 *
 * Shared by `vmtui start|shutdown|...|list`, `snapshot` and `delete` on
 * many guests (tui/cli_bulk.c) and any other command taking many guests
 * (tag, migrate): call cli_targets_open, then cli_targets_pick, then
 * cli_targets_run for a bulk run (model/guest/bulk.h) over the picked. */
#ifndef VMTUI_CLI_TARGETS_H
#define VMTUI_CLI_TARGETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <libvirt/libvirt.h>

#include "../model/guest/bulk.h"
#include "../model/stats/vm.h"
#include "top.h"

struct sshlink;

struct target_host {
	char *label;        /* the URI, the -H target, or the config host's name */
	char *uri;          /* where a bulk run's threads connect (an SSH host: its tunnel) */
	char *virsh_uri;    /* for virsh -c */
	virConnectPtr conn; /* the connection that listed its guests; NULL: unreachable */
	struct sshlink *link;
	char *error;        /* why it cannot be reached, or NULL */
};

struct target_vm {
	size_t host;
	char uuid[VM_UUID_LEN];
	char *name;
	enum vm_state state;
	bool autostart, persistent;
	char **tags;        /* read only when asked (cli_targets_open's want_tags) */
	size_t ntags;
};

struct targets {
	struct target_host *hosts;
	size_t nhosts;
	struct target_vm *all;  /* every guest of the reachable hosts, by host then name */
	size_t nall;
	size_t *picked;         /* indexes into all, in that order */
	size_t npicked;
};

/* What picks guests: names and globs (fnmatch), tags, or all. */
struct target_sel {
	char **patterns;
	size_t npatterns;
	const char **tags;
	size_t ntags;
	bool all;
};

/* Connect to the hosts of ha (as `vmtui top`: -c and -H as given, else
 * the config file's, else libvirt's default) and list their guests;
 * want_tags: read each guest's tags too. who: "vmtui start", for
 * messages. -1 only when none could even be tried (a bad config file);
 * an unreachable host is in t->hosts with its error, said on stderr. */
int cli_targets_open(struct targets *t, const struct host_args *ha, bool readonly,
                     bool want_tags, const char *who);
void cli_targets_close(struct targets *t);
/* How many hosts could not be reached. */
size_t cli_targets_unreachable(const struct targets *t);

/* Pick the guests sel names: 0, or -1 after saying on stderr which name,
 * glob or tag matches nothing (none are picked then). */
int cli_targets_pick(struct targets *t, const struct target_sel *sel, const char *who);

/* Is s a glob (has *, ? or [)? */
bool cli_targets_is_glob(const char *s);

/* Does the guest match sel? Pure, for tests. */
bool cli_targets_match(const struct target_sel *sel, const char *name, char *const *tags,
                       size_t ntags);

/* A bulk run over the picked guests: one bulk host per host with picked
 * guests (limit each), each guest with fn and an arg made by mkarg (may
 * be NULL: arg NULL) freed by free_arg. what: bulk_what. */
struct bulk_run *cli_targets_run(const struct targets *t, const char *what, unsigned limit,
                                 bulk_fn fn, void *(*mkarg)(void *ud), void *ud,
                                 void (*free_arg)(void *));

/* Run b (started here), printing one line per guest as each ends (text),
 * or, json, one JSON document at the end; Ctrl-C cancels what has not
 * started (a second one stops at once). Returns the exit status: 0 when
 * every guest is done or skipped and every host was reached, else 1. */
int cli_targets_report(struct bulk_run *b, const struct targets *t, bool json, FILE *out);

#endif
