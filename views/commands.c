/* commands.c — every command of the screen as one row: its name (what
 * config.yaml's keys: and the help screen call it), one line of help,
 * what it needs before it may run (the dispatcher in tui/command.c checks
 * and words every refusal), the view it opens, and its handler. The keys
 * that run them are in tui/keys.c's table, by the same names. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../config/theme.h"
#include "../model/record/replay.h"
#include "../model/base/xmalloc.h"
#include "../model/guest/clone.h"
#include "../tui/format.h"
#include "console.h"
#include "conpane.h"
#include "views.h"

/* ---- guests ---- */

/* A lifecycle action on guest g: refused when its state does not allow
 * it; force off asks first (it loses what the guest has not written: the
 * only action that can, since shutdown and reboot are requests its OS may
 * refuse). */
int
app_act(struct app *a, const struct sel_guest *g, enum action act)
{
	const char *why = action_refusal(act, g->state, g->autostart, g->saved);

	if (why != NULL) {
		app_status(a, MSG_ERROR, "Cannot %s %s: %s.", action_verb(act), g->name, why);
		return HANDLED;
	}
	if (action_loses_work(act)) {
		free(a->confirm.text);
		if (act == ACT_RESET)
			a->confirm.text = xasprintf("Reset %s? Unsaved guest data is lost, as when "
			                            "pressing the reset button.", g->name);
		else if (act == ACT_SAVE_REMOVE)
			a->confirm.text = xasprintf("Remove the saved state of %s? Its memory is lost; "
			                            "the next start boots afresh.", g->name);
		else
			a->confirm.text = xasprintf("Force off %s? Unsaved guest data is lost, "
			                            "as when pulling the power cord.", g->name);
		a->confirm.open = true;
		a->confirm.host = g->host;
		a->confirm.act = act;
		a->confirm.yes = NULL;
		snprintf(a->confirm.uuid, sizeof a->confirm.uuid, "%s", g->uuid);
		a->dirty |= DIRTY_ALL;
		return HANDLED;
	}
	host_action(g->host, g->uuid, act);
	if (act == ACT_START && g->saved)
		app_status(a, MSG_INFO, "start %s (restoring its saved state)...", g->name);
	else
		app_status(a, MSG_INFO, "%s %s...", action_name(act), g->name);
	return HANDLED;
}

/* The lifecycle action each lifecycle command runs. */
static enum action
action_of(enum cmd c, const struct sel_guest *g)
{
	switch (c) {
	case CMD_START:
		return ACT_START;
	case CMD_SHUTDOWN:
		return ACT_SHUTDOWN;
	case CMD_REBOOT:
		return ACT_REBOOT;
	case CMD_FORCE_OFF:
		return ACT_DESTROY;
	case CMD_PAUSE:
		return ACT_SUSPEND;
	case CMD_RESUME:
		return ACT_RESUME;
	default:
		return g->autostart ? ACT_AUTOSTART_OFF : ACT_AUTOSTART_ON;
	}
}

static int
run_action(struct app *a, const struct cmd_ctx *x)
{
	return app_act(a, x->guest, action_of(x->cmd, x->guest));
}

static int
run_resize(struct app *a, const struct cmd_ctx *x)
{
	return resize_open(a, x->guest);
}

static int
run_snapshots(struct app *a, const struct cmd_ctx *x)
{
	return snapshots_open(a, x->guest);
}

static int
run_clone(struct app *a, const struct cmd_ctx *x)
{
	return clone_open(a, x->guest);
}

static int
run_migrate(struct app *a, const struct cmd_ctx *x)
{
	return migrate_open(a, x->guest);
}

static int
run_hardware(struct app *a, const struct cmd_ctx *x)
{
	return hardware_open(a, x->guest);
}

static int
run_gscreen(struct app *a, const struct cmd_ctx *x)
{
	return gscreen_open(a, x->guest);
}

static int
run_delete(struct app *a, const struct cmd_ctx *x)
{
	return vmdelete_open(a, x->guest);
}

static int
run_console(struct app *a, const struct cmd_ctx *x)
{
	return console_open_tui(a, x->guest, false);
}

static int
run_console_pane(struct app *a, const struct cmd_ctx *x)
{
	return console_open_tui(a, x->guest, true);
}

/* ---- the XML edited, and more lifecycle (rows past CMD_COUNT) ---- */

static int
run_xmledit(struct app *a, const struct cmd_ctx *x)
{
	return xmledit_open(a, x->guest);
}

/* The lifecycle rows past CMD_COUNT, by their row's name. */
static int
run_life(struct app *a, const struct cmd_ctx *x)
{
	static const struct {
		const char *name;
		enum action act;
	} rows[] = {
		{ "reset", ACT_RESET }, { "managed-save", ACT_MANAGED_SAVE },
		{ "managed-save-remove", ACT_SAVE_REMOVE }, { "ctrl-alt-del", ACT_SEND_CAD },
		{ "nmi", ACT_NMI }, { "wake", ACT_WAKE },
	};
	const char *name = command_row(x->cmd)->name;
	size_t i;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++)
		if (strcmp(rows[i].name, name) == 0)
			return app_act(a, x->guest, rows[i].act);
	return HANDLED;
}

/* The rename prompt's guest, kept from r to Enter. */
static struct {
	struct host *host;
	char uuid[VM_UUID_LEN];
	char name[256];
} renaming;

static void
rename_submit(struct app *a, const char *text)
{
	char *why = clone_name_check(text);

	if (why != NULL) {
		app_status(a, MSG_ERROR, "Cannot rename %s: %s", renaming.name, why);
		free(why);
	} else if (strcmp(text, renaming.name) == 0) {
		app_status(a, MSG_INFO, "%s is already called so; nothing changed.", renaming.name);
	} else {
		action_rename(renaming.host, renaming.uuid, renaming.name, text);
		app_status(a, MSG_INFO, "rename %s to %s...", renaming.name, text);
	}
}

static int
run_rename(struct app *a, const struct cmd_ctx *x)
{
	char label[32];

	if (x->guest->state != VM_SHUTOFF) {
		app_status(a, MSG_ERROR, "Cannot rename %s: it is %s; libvirt renames only shut-off "
		           "guests.", x->guest->name, vm_state_name(x->guest->state));
		return HANDLED;
	}
	renaming.host = x->guest->host;
	snprintf(renaming.uuid, sizeof renaming.uuid, "%s", x->guest->uuid);
	snprintf(renaming.name, sizeof renaming.name, "%s", x->guest->name);
	snprintf(label, sizeof label, "New name: ");
	app_prompt_path(a, label, x->guest->name, rename_submit);
	return HANDLED;
}

/* ---- tags ---- */

static int
run_tagedit(struct app *a, const struct cmd_ctx *x)
{
	return tagedit_open(a, x->guest);
}

/* The list by tag (a guest under each of its tags, the untagged last) or
 * back by host. */
static int
run_group_tags(struct app *a, const struct cmd_ctx *x)
{
	(void)x;
	app_lock_hosts(a);
	a->group_tags = !a->group_tags;
	/* The rows kept are of the other layout: list them afresh. */
	free(a->rows_gens);
	a->rows_gens = NULL;
	app_unlock_hosts(a);
	app_status(a, MSG_INFO, "%s", a->group_tags ? "Grouped by tag (= again: by host)." :
	           "Grouped by host.");
	return REDRAW_ALL;
}

/* ---- storage ---- */

static int
run_pools(struct app *a, const struct cmd_ctx *x)
{
	(void)x;
	return pools_open(a);
}

/* A row of the storage views: the views know it by its name. */
static int
run_store(struct app *a, const struct cmd_ctx *x)
{
	return storage_command(a, command_row(x->cmd)->name);
}

/* ---- networks (views/networks.c, netleases.c) ---- */

static int
run_networks(struct app *a, const struct cmd_ctx *x)
{
	(void)x;
	return networks_open(a);
}

static int
run_net_start(struct app *a, const struct cmd_ctx *x)
{
	(void)x;
	return networks_start_stop(a, true);
}

static int
run_net_stop(struct app *a, const struct cmd_ctx *x)
{
	(void)x;
	return networks_start_stop(a, false);
}

static int
run_net_autostart(struct app *a, const struct cmd_ctx *x)
{
	(void)x;
	return networks_autostart(a);
}

static int
run_net_create(struct app *a, const struct cmd_ctx *x)
{
	(void)x;
	return networks_create(a);
}

static int
run_net_delete(struct app *a, const struct cmd_ctx *x)
{
	(void)x;
	return networks_delete(a);
}

static int
run_net_pin(struct app *a, const struct cmd_ctx *x)
{
	(void)x;
	return netleases_pin(a, true);
}

static int
run_net_unpin(struct app *a, const struct cmd_ctx *x)
{
	(void)x;
	return netleases_pin(a, false);
}

/* ---- creating guests ---- */

/* The open prompt's Enter: one path, or several separated by spaces. */
static void
open_submit(struct app *a, const char *text)
{
	char *copy = xstrdup(text), *tok, *save = NULL, **paths = NULL;
	size_t n = 0;

	for (tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		paths = xreallocarray(paths, n + 1, sizeof *paths);
		paths[n++] = tok;
	}
	if (n == 0)
		app_status(a, MSG_ERROR, "No file given.");
	else
		job_open(a, app_target_host(a), paths, n);
	free(paths);
	free(copy);
}

static int
run_open_file(struct app *a, const struct cmd_ctx *x)
{
	(void)x;
	app_prompt_path(a, "Open VM definitions: ", "", open_submit);
	return HANDLED;
}

/* ---- the program ---- */

static int
run_quit(struct app *a, const struct cmd_ctx *x)
{
	(void)a;
	(void)x;
	return QUIT;
}

/* Esc: back to the view below; in the list, a filter is cleared first. */
static int
run_back(struct app *a, const struct cmd_ctx *x)
{
	(void)x;
	if (a->depth > 1) {
		app_pop_view(a);
	} else if (a->filter[0] != '\0') {
		a->filter[0] = '\0';
		a->list.top = 0;
		app_status(a, MSG_INFO, "Filter cleared.");
	}
	return HANDLED;
}

/* Commands that only open their view (the dispatcher closes it again). */
static int
run_open_view(struct app *a, const struct cmd_ctx *x)
{
	app_push_view(a, command_row(x->cmd)->opens);
	return HANDLED;
}

static int
run_filter(struct app *a, const struct cmd_ctx *x)
{
	(void)x;
	app_prompt_filter(a);
	return HANDLED;
}

/* + and -: the refresh interval, or a replay's speed. */
static int
run_speed(struct app *a, const struct cmd_ctx *x)
{
	bool faster = x->cmd == CMD_FASTER;
	unsigned ms = a->interval_ms;
	size_t i;

	if (a->replay != NULL) {
		app_status(a, MSG_INFO, "Replay speed x%g.",
		           replay_speed_by(a->replay, faster ? 2.0 : 0.5));
		a->dirty |= DIRTY_HEADER;
		return HANDLED;
	}
	if (faster)
		ms = ms > 1000 ? ms / 2 : (ms > 250 ? ms - 250 : 250);
	else
		ms = ms >= 1000 ? ms * 2 : ms + 250;
	a->interval_ms = ms > 60000 ? 60000 : ms;
	for (i = 0; i < a->nhosts; i++)
		host_set_interval(a->hosts[i], a->interval_ms);
	app_status(a, MSG_INFO, "Refresh every %.2gs.", a->interval_ms / 1000.0);
	a->dirty |= DIRTY_HEADER;
	return HANDLED;
}

static int
run_refresh(struct app *a, const struct cmd_ctx *x)
{
	size_t i;

	(void)x;
	for (i = 0; i < a->nhosts; i++)
		host_refresh_now(a->hosts[i]);
	clearok(curscr, TRUE);
	a->dirty = DIRTY_ALL;
	return HANDLED;
}

/* The next theme of those found (by name, sorted), put in force. */
static int
run_theme(struct app *a, const struct cmd_ctx *x)
{
	struct theme_dirs d;
	struct theme t;
	struct config_errors errs = { 0 };
	size_t n, i;
	char **names;

	(void)x;
	theme_dirs_init(&d, VMTUI_DATADIR);
	names = theme_list(&d, &n);
	for (i = 0; i < n && strcmp(names[i], screen_theme_name()) != 0; i++)
		;
	i = i < n ? (i + 1) % n : 0;
	if (theme_load(&t, names[i], &d, &errs) < 0) {
		app_status(a, MSG_ERROR, "%s (the dark theme is used)",
		           errs.n ? errs.v[0] : names[i]);
	} else if (n == 1) {
		char where[PATH_MAX * 2 + 8] = "";
		size_t at = 0, k;
		for (k = 0; k < d.n; k++) {
			fmt_append(where, sizeof where, &at, k ? ", " : "");
			fmt_append(where, sizeof where, &at, d.dirs[k]);
		}
		app_status(a, MSG_INFO, "Theme: %s, the only one: no theme files in %s "
		           "(VMTUI_THEMES_DIR names a folder of them)", t.name, where);
	} else {
		app_status(a, MSG_INFO, "Theme: %s", t.name);
	}
	screen_set_theme(&t);
	clearok(curscr, TRUE);
	a->dirty = DIRTY_ALL;
	config_errors_free(&errs);
	theme_list_free(names, n);
	theme_dirs_free(&d);
	return HANDLED;
}

static int
run_replay_pause(struct app *a, const struct cmd_ctx *x)
{
	(void)x;
	if (a->replay == NULL) {
		app_status(a, MSG_INFO, "Space pauses a replay (vmtui --replay FILE).");
		return HANDLED;
	}
	replay_toggle_pause(a->replay);
	a->dirty |= DIRTY_HEADER;
	return HANDLED;
}

/* ---- boot, CPU, firmware, TPM, host devices (views/hwfirm.c, hostdevs.c) ---- */

static int
run_hw_boot(struct app *a, const struct cmd_ctx *x)
{
	return hwfirm_open(a, x->guest, HWF_BOOT);
}

static int
run_hw_cpu(struct app *a, const struct cmd_ctx *x)
{
	return hwfirm_open(a, x->guest, HWF_CPU);
}

static int
run_hw_firmware(struct app *a, const struct cmd_ctx *x)
{
	return hwfirm_open(a, x->guest, HWF_FIRMWARE);
}

static int
run_hostdevs(struct app *a, const struct cmd_ctx *x)
{
	return hostdevs_open(a, x->guest);
}

static int
run_hostdev_attach(struct app *a, const struct cmd_ctx *x)
{
	(void)x;
	return hostdevs_change(a, true);
}

static int
run_hostdev_release(struct app *a, const struct cmd_ctx *x)
{
	(void)x;
	return hostdevs_change(a, false);
}

/* c, i, b: a host's load by CPU, NIC or disk. */
static int
run_hostload(struct app *a, const struct cmd_ctx *x)
{
	const char *name = command_row(x->cmd)->name;

	if (strcmp(name, "host-cpus") == 0)
		return hostcpus_open(a);
	if (strcmp(name, "host-nics") == 0)
		return hostnics_open(a);
	return hostdisks_open(a);
}

static int
run_ssh(struct app *a, const struct cmd_ctx *x)
{
	return sshview_open(a, x->guest);
}

static int
run_agentpw(struct app *a, const struct cmd_ctx *x)
{
	return agentpw_open(a, x->guest);
}

/* ---- the table ---- */

static int
run_marks(struct app *a, const struct cmd_ctx *x)
{
	(void)x;
	return marksmenu_open(a);
}

#define ON_GUEST (NEED_LIVE | NEED_GUEST | NEED_WRITE | NEED_HOST_UP)
#define GUEST_VIEWS (KV_LIST | KV_DETAIL)
#define STORE_W (NEED_LIVE | NEED_WRITE)
/* The boot, CPU and firmware forms and the host devices open from the
 * hardware view. */
#define HWFW_VIEWS KV_HW

static const struct command commands[] = {
	[CMD_QUIT] = { "quit", "Quit vmtui", .run = run_quit },
	[CMD_HELP] = { "help", "Show this help", .opens = &help_ops, .run = run_open_view },
	[CMD_UP] = { "up", "Move up" },
	[CMD_DOWN] = { "down", "Move down" },
	[CMD_PAGE_UP] = { "page-up", "Move up one page" },
	[CMD_PAGE_DOWN] = { "page-down", "Move down one page" },
	[CMD_HOME] = { "home", "Go to the first row" },
	[CMD_END] = { "end", "Go to the last row" },
	[CMD_OPEN] = { "open", "Open the detail view of the selected guest" },
	[CMD_BACK] = { "back", "Back to the previous view (in the list: clear the filter)",
	               .run = run_back },
	[CMD_FILTER] = { "filter", "Filter by name (state:running matches states)",
	                 .run = run_filter },
	[CMD_SORT_NAME] = { "sort-name", "Sort by name (again: reverse)" },
	[CMD_SORT_STATE] = { "sort-state", "Sort by state (again: reverse)" },
	[CMD_SORT_VCPUS] = { "sort-vcpus", "Sort by vCPUs (again: reverse)" },
	[CMD_SORT_CPU] = { "sort-cpu", "Sort by CPU% (again: reverse)" },
	[CMD_SORT_MEM] = { "sort-memory", "Sort by memory used (again: reverse)" },
	[CMD_SORT_DISK] = { "sort-disk", "Sort by disk read+write rate (again: reverse)" },
	[CMD_SORT_NET] = { "sort-net", "Sort by network rx+tx rate (again: reverse)" },
	[CMD_SORT_UPTIME] = { "sort-uptime", "Sort by uptime (again: reverse)" },
	[CMD_START] = { "start", "Start the guest", .needs = ON_GUEST, .run = run_action },
	[CMD_SHUTDOWN] = { "shutdown", "Shut the guest down (ACPI)", .needs = ON_GUEST,
	                   .run = run_action },
	[CMD_REBOOT] = { "reboot", "Reboot the guest", .needs = ON_GUEST, .run = run_action },
	[CMD_FORCE_OFF] = { "force-off", "Force the guest off (asks first)", "force off",
	                    .needs = ON_GUEST, .run = run_action },
	[CMD_PAUSE] = { "pause", "Pause the guest", .needs = ON_GUEST, .run = run_action },
	[CMD_RESUME] = { "resume", "Resume a paused guest", .needs = ON_GUEST,
	                 .run = run_action },
	[CMD_AUTOSTART] = { "autostart", "Toggle start at host boot", "change autostart",
	                    .of = true, .needs = ON_GUEST, .run = run_action },
	[CMD_FASTER] = { "faster", "Refresh more often", .run = run_speed },
	[CMD_SLOWER] = { "slower", "Refresh less often", .run = run_speed },
	[CMD_REFRESH] = { "refresh", "Redraw and refresh now (reconnect now if down)",
	                  .run = run_refresh },
	[CMD_OPEN_FILE] = { "open-file", "Open VM definition files (YAML): plan, then apply",
	                    "create guests", .needs = NEED_LIVE | NEED_WRITE,
	                    .run = run_open_file },
	[CMD_NEW_VM] = { "new", "Quick-create a VM from a form (writes its YAML)", "create guests",
	                 .needs = NEED_LIVE | NEED_WRITE, .opens = &newvm_ops,
	                 .run = run_open_view },
	[CMD_APPLY] = { "apply", "Apply the plan or the form shown",
	                .needs = NEED_LIVE | NEED_WRITE },
	[CMD_NEXT_FIELD] = { "next-field", "Next field of the form" },
	[CMD_PREV_FIELD] = { "prev-field", "Previous field of the form" },
	[CMD_HOST_VIEW] = { "host", "Host view: CPU/memory graphs, storage pools",
	                    .opens = &hostview_ops, .run = run_open_view },
	[CMD_CONSOLE] = { "console", "Open the serial console of the guest (^] comes back)",
	                  "open the console", .of = true, .needs = ON_GUEST,
	                  .run = run_console },
	[CMD_CONSOLE_PANE] = { "console-pane",
	                       "Console in a pane beside live graphs (^] comes back)",
	                       "open the console pane", .of = true, .needs = ON_GUEST,
	                       .run = run_console_pane },
	[CMD_PANE_FOCUS] = { "pane-focus", "Console pane: switch focus between console and graphs" },
	[CMD_SNAPSHOTS] = { "snapshots", "Snapshots of the guest: list, create, revert, delete",
	                    "list snapshots", .of = true,
	                    .needs = NEED_LIVE | NEED_GUEST | NEED_HOST_UP,
	                    .opens = &snapshots_ops, .run = run_snapshots },
	[CMD_SNAP_CREATE] = { "snapshot-create", "Create a snapshot (name and description)",
	                      "create a snapshot", .needs = NEED_LIVE | NEED_WRITE },
	[CMD_SNAP_REVERT] = { "snapshot-revert",
	                      "Revert the guest to the selected snapshot (asks first)",
	                      "revert to a snapshot", .needs = NEED_LIVE | NEED_WRITE },
	[CMD_SNAP_DELETE] = { "snapshot-delete", "Delete the selected snapshot (asks first)",
	                      "delete a snapshot", .needs = NEED_LIVE | NEED_WRITE },
	[CMD_ACTION_LOG] = { "action-log",
	                     "Action log: every action with its result and virsh command, events",
	                     .opens = &actlog_ops, .run = run_open_view },
	[CMD_THEME_NEXT] = { "theme", "Switch to the next colour theme", .run = run_theme },
	[CMD_REPLAY_PAUSE] = { "replay-pause",
	                       "Replay (vmtui --replay): pause and go on; + and - change the speed",
	                       .run = run_replay_pause },
	[CMD_SORT_WAIT] = { "sort-wait",
	                    "Sort by WAIT%: vCPU time queued for a host CPU (again: reverse)" },

	/* Dialogs about the selected guest: a row each, its key with it. */
	[CMD_COUNT] = { "resize", "Resize the guest: vCPUs, memory, disks (a form)",
	                .needs = ON_GUEST, .run = run_resize, .key = 'Z', .where = GUEST_VIEWS },
	{ "clone", "Clone the guest: new name, MACs and UUID, disks copied or overlaid",
	  .needs = ON_GUEST, .run = run_clone, .key = 'Y', .where = GUEST_VIEWS },
	{ "delete", "Delete the guest (type its name; storage optional; XML backed up)",
	  .needs = ON_GUEST, .run = run_delete, .key = 'D', .where = GUEST_VIEWS },

	/* The storage views (views/pools.c, volumes.c): p in the host view. */
	{ "pools", "Storage pools of the host: volumes, create, start, stop, delete",
	  "list storage pools", .needs = NEED_LIVE, .opens = &pools_ops, .run = run_pools,
	  .key = 'p', .where = KV_HOST | KV_POOLS, .label = "Pools" },
	{ "pool-volumes", "Volumes of the selected pool", "list volumes", .needs = NEED_LIVE,
	  .run = run_store, .key = '\r', .where = KV_POOLS, .label = "Volumes" },
	{ "pool-create", "Create a storage pool (a form)", "create a storage pool",
	  .needs = STORE_W, .run = run_store, .key = 'c', .where = KV_POOLS, .label = "Create" },
	{ "pool-build", "Build the pool (mkdir, vgcreate, mkfs...)", "build a storage pool",
	  .needs = STORE_W, .run = run_store, .key = 'b', .where = KV_POOLS, .label = "Build" },
	{ "pool-start", "Start the pool", "start a storage pool", .needs = STORE_W,
	  .run = run_store, .key = 's', .where = KV_POOLS, .label = "Start" },
	{ "pool-stop", "Stop the pool (refused while running guests use it)",
	  "stop a storage pool", .needs = STORE_W, .run = run_store, .key = 't',
	  .where = KV_POOLS, .label = "Stop" },
	{ "pool-refresh", "Refresh the pool's volumes and sizes", "refresh a storage pool",
	  .needs = STORE_W, .run = run_store, .key = 'r', .where = KV_POOLS, .label = "Refresh" },
	{ "pool-autostart", "Toggle starting the pool at host boot",
	  "change a pool's autostart", .needs = STORE_W, .run = run_store, .key = 'a',
	  .where = KV_POOLS, .label = "Autostart" },
	{ "pool-delete", "Delete the pool, keeping its volumes (asks first)",
	  "delete a storage pool", .needs = STORE_W, .run = run_store, .key = 'x',
	  .where = KV_POOLS, .label = "Delete" },
	{ "pool-delete-contents", "Delete the pool with its volumes (type its name)",
	  "delete a storage pool", .needs = STORE_W, .run = run_store, .key = 'X',
	  .where = KV_POOLS },
	{ "vol-create", "Create a volume: size, format, backing volume (a form)",
	  "create a volume", .needs = STORE_W, .run = run_store, .key = 'c', .where = KV_VOLS,
	  .label = "Create" },
	{ "vol-grow", "Grow the volume (never shrinks)", "grow a volume", .needs = STORE_W,
	  .run = run_store, .key = 'e', .where = KV_VOLS, .label = "Grow" },
	{ "vol-clone", "Clone the volume", "clone a volume", .needs = STORE_W, .run = run_store,
	  .key = 'C', .where = KV_VOLS, .label = "Clone" },
	{ "vol-wipe", "Wipe the volume (type its name)", "wipe a volume", .needs = STORE_W,
	  .run = run_store, .key = 'W', .where = KV_VOLS, .label = "Wipe" },
	{ "vol-delete", "Delete the volume (type its name)", "delete a volume",
	  .needs = STORE_W, .run = run_store, .key = 'x', .where = KV_VOLS, .label = "Delete" },
	/* Networks: the view (from the host view) and its keys. */
	{ "networks", "Networks of the host: state, forward mode, addresses, DHCP, guests",
	  "list networks", .needs = NEED_LIVE, .opens = &networks_ops, .run = run_networks,
	  .key = 'n', .where = KV_HOST | KV_NET, .label = "Networks" },
	{ "net-create", "Create a network (a form: name, mode, addresses, DHCP, bridge)",
	  "create a network", .needs = NEED_LIVE | NEED_WRITE, .run = run_net_create, .key = 'c',
	  .where = KV_NET, .label = "Create" },
	{ "net-start", "Start the selected network", "start a network",
	  .needs = NEED_LIVE | NEED_WRITE, .run = run_net_start, .key = 's', .where = KV_NET,
	  .label = "Start" },
	{ "net-stop", "Stop the selected network (asks when running guests use it)",
	  "stop a network", .needs = NEED_LIVE | NEED_WRITE, .run = run_net_stop, .key = 't',
	  .where = KV_NET, .label = "Stop" },
	{ "net-autostart", "Switch the selected network's start at host boot",
	  "change a network's autostart", .needs = NEED_LIVE | NEED_WRITE,
	  .run = run_net_autostart, .key = 'a', .where = KV_NET, .label = "Autostart" },
	{ "net-delete", "Delete the selected network (type its name)", "delete a network",
	  .needs = NEED_LIVE | NEED_WRITE, .run = run_net_delete, .key = 'x', .where = KV_NET,
	  .label = "Delete" },
	{ "net-pin", "Pin the selected lease: its MAC keeps its address", "pin an address",
	  .needs = NEED_LIVE | NEED_WRITE, .run = run_net_pin, .key = 'p', .where = KV_LEASES,
	  .label = "Pin" },
	{ "net-unpin", "Unpin the selected lease's MAC", "unpin an address",
	  .needs = NEED_LIVE | NEED_WRITE, .run = run_net_unpin, .key = 'u', .where = KV_LEASES,
	  .label = "Unpin" },
	{ "vol-upload", "Upload a local file as a new volume (progress, cancel)",
	  "upload a volume", .needs = STORE_W, .run = run_store, .key = 'u', .where = KV_VOLS,
	  .label = "Upload" },
	{ "vol-download", "Download the volume to a local file (progress, cancel)",
	  "download a volume", .needs = STORE_W, .run = run_store, .key = 'w', .where = KV_VOLS,
	  .label = "Download" },
	{ "screen", "Graphical screen of the guest, keys and mouse to it (^] q comes back)",
	  "show the screen", .of = true,
	  .needs = NEED_LIVE | NEED_GUEST | NEED_HOST_UP, .run = run_gscreen, .key = 'G',
	  .where = GUEST_VIEWS },
	/* Boot, CPU, firmware and TPM forms, host devices (views/hwfirm.c,
	 * hostdevs.c): from the hardware view. */
	{ "boot-order", "Boot order and boot menu (a form; next boot)", "change the boot order",
	  .needs = ON_GUEST, .run = run_hw_boot, .key = 'b', .where = HWFW_VIEWS,
	  .label = "Boot" },
	{ "cpu-model", "CPU mode, model and topology, checked against the host (a form; next boot)",
	  "change the CPU", .needs = ON_GUEST, .run = run_hw_cpu, .key = 'u',
	  .where = HWFW_VIEWS, .label = "CPU" },
	{ "firmware", "Firmware BIOS/UEFI, Secure Boot and TPM (a form; next boot)",
	  "change the firmware", .needs = ON_GUEST, .run = run_hw_firmware, .key = 'f',
	  .where = HWFW_VIEWS, .label = "Firmware" },
	{ "hostdevs", "The host's PCI and USB devices: pass one through to the guest, release it",
	  "list host devices", .needs = NEED_LIVE | NEED_GUEST | NEED_HOST_UP,
	  .opens = &hostdevs_ops, .run = run_hostdevs, .key = 'p', .where = HWFW_VIEWS | KV_HOSTDEV,
	  .label = "HostDevs" },
	{ "hostdev-attach", "Pass the selected host device through to the guest (review first)",
	  "pass a device through", .needs = ON_GUEST, .run = run_hostdev_attach, .key = 'a',
	  .where = KV_HOSTDEV, .label = "Attach" },
	{ "hostdev-release", "Release the selected host device from its guest (review first)",
	  "release a device", .needs = ON_GUEST, .run = run_hostdev_release, .key = 'r',
	  .where = KV_HOSTDEV, .label = "Release" },
	/* A guest's hardware (views/hardware.c): w opens it; its keys. */
	{ "hardware", "Hardware of the guest: every device, live vs saved; disks, CDs, NICs",
	  "show the hardware", .of = true, .needs = NEED_LIVE | NEED_GUEST | NEED_HOST_UP,
	  .opens = &hardware_ops, .run = run_hardware, .key = 'w',
	  .where = GUEST_VIEWS | KV_HW, .label = "Hardware" },
	{ "hw-disk-add", "Add a disk: a new volume, an existing volume or file (a form)",
	  "add a disk", .needs = ON_GUEST, .key = 'a', .where = KV_HW, .label = "Disk" },
	{ "hw-cdrom-add", "Add a CD-ROM drive, empty or with an ISO (a form)",
	  "add a CD-ROM drive", .needs = ON_GUEST, .key = 'c', .where = KV_HW, .label = "CD" },
	{ "hw-insert", "Insert an ISO into the selected CD-ROM drive (a form)",
	  "insert a medium", .needs = ON_GUEST, .key = 'i', .where = KV_HW, .label = "Insert" },
	{ "hw-eject", "Eject the medium of the selected CD-ROM drive", "eject a medium",
	  .needs = ON_GUEST, .key = 'e', .where = KV_HW, .label = "Eject" },
	{ "hw-remove", "Remove the selected disk, CD-ROM drive or NIC (volume kept)",
	  "remove a device", .needs = ON_GUEST, .key = 'x', .where = KV_HW, .label = "Remove" },
	{ "hw-remove-volume", "Remove the selected disk and delete its volume",
	  "remove a disk", .needs = ON_GUEST, .key = 'X', .where = KV_HW },
	{ "hw-disk-tune", "Cache mode and discard of the selected disk (next boot)",
	  "change a disk", .needs = ON_GUEST, .key = 't', .where = KV_HW },
	{ "hw-nic-add", "Add a NIC: network or bridge, model, MAC (a form)", "add a NIC",
	  .needs = ON_GUEST, .key = 'n', .where = KV_HW, .label = "NIC" },
	{ "hw-nic-link", "Set the selected NIC's link down, or up again", "change a link",
	  .needs = ON_GUEST, .key = 'l', .where = KV_HW, .label = "Link" },
	{ "hw-nic-move", "Move the selected NIC to another network or bridge (a form)",
	  "move a NIC", .needs = ON_GUEST, .key = 'm', .where = KV_HW },
	/* The domain XML edited by hand, and more lifecycle. */
	{ "edit-xml", "Edit the guest's domain XML in $EDITOR: diff, then define (validated)",
	  "edit the XML", .of = true, .needs = ON_GUEST, .run = run_xmledit, .key = 'x',
	  .where = GUEST_VIEWS, .label = "XML" },
	{ "reset", "Reset the guest at once, as its reset button (asks first)",
	  .needs = ON_GUEST, .run = run_life, .key = 'B', .where = GUEST_VIEWS },
	{ "managed-save", "Hibernate: save the guest's memory and stop it (S restores it)",
	  "save", .needs = ON_GUEST, .run = run_life, .key = 'z', .where = GUEST_VIEWS },
	{ "managed-save-remove", "Remove the guest's saved state (asks first)",
	  "remove the saved state", .of = true, .needs = ON_GUEST, .run = run_life, .key = 'E',
	  .where = GUEST_VIEWS },
	{ "rename", "Rename a shut-off guest (its new name in the prompt)", .needs = ON_GUEST,
	  .run = run_rename, .key = 'r', .where = GUEST_VIEWS },
	{ "ctrl-alt-del", "Send Ctrl+Alt+Del to the guest", "send Ctrl+Alt+Del to",
	  .needs = ON_GUEST, .run = run_life, .key = 'K', .where = GUEST_VIEWS },
	{ "nmi", "Inject a non-maskable interrupt (NMI) into the guest", "inject an NMI into",
	  .needs = ON_GUEST, .run = run_life, .key = 'I', .where = GUEST_VIEWS },
	{ "wake", "Wake the guest from its OS's suspend (pmsuspended)", .needs = ON_GUEST,
	  .run = run_life, .key = 'W', .where = GUEST_VIEWS },
	/* Migration to another host shown (views/migrate.c). */
	{ "migrate", "Migrate the guest to another host: pre-flight plan, live or offline, "
	  "progress, cancel", .needs = ON_GUEST, .run = run_migrate, .key = 'M',
	  .where = GUEST_VIEWS },

	/* Marks and bulk actions (views/bulk.c); Space marks too (the list's
	 * key handler takes replay-pause's Space when not replaying). */
	{ "mark", "Mark or unmark the guest, then move down (Space does it too)",
	  .key = KEY_IC, .where = KV_LIST },
	{ "marks", "Marks menu: mark all shown, by glob, regex, tag, host, state; invert; clear",
	  .opens = &bulk_ops, .run = run_marks, .key = ';', .where = KV_LIST, .label = "Marks" },
	/* Tags and notes (views/tagedit.c), the list grouped by tag. */
	{ "tags", "Tags and note of the guest (a form; kept in its XML)", "change the tags of",
	  .needs = ON_GUEST, .opens = &tagedit_ops, .run = run_tagedit, .key = '#',
	  .where = GUEST_VIEWS, .label = "Tags" },
	{ "group-by-tag", "Group the list by tag instead of by host (again: back)",
	  "group the list", .run = run_group_tags, .key = '=', .where = KV_LIST },
	/* A host's load across its guests (views/hostload.c): from the host
	 * view, and from one table to another. */
	{ "host-cpus", "By host CPU: which guests' vCPUs ran on each, their load, pinning",
	  .opens = &hostcpus_ops, .run = run_hostload, .key = 'c', .where = KV_HOST | KV_HOSTLOAD,
	  .label = "CPUs" },
	{ "host-nics", "By network interface: every running guest's NIC with its rates",
	  .opens = &hostnics_ops, .run = run_hostload, .key = 'i', .where = KV_HOST | KV_HOSTLOAD,
	  .label = "NICs" },
	{ "host-disks", "By block device: every running guest's disk with its rates",
	  .opens = &hostdisks_ops, .run = run_hostload, .key = 'b', .where = KV_HOST | KV_HOSTLOAD,
	  .label = "Disks" },
	{ "load-sort", "Host load tables: sort by the next column", .key = 's',
	  .where = KV_HOSTLOAD, .label = "Sort" },
	{ "load-reverse", "Host load tables: reverse the order", .key = 'r',
	  .where = KV_HOSTLOAD, .label = "Reverse" },
	/* The guest agent and ssh (views/sshview.c, agentpw.c). */
	{ "ssh", "Log into the guest with your ssh (through the host's SSH link if remote)",
	  "log into", .needs = NEED_LIVE | NEED_GUEST | NEED_HOST_UP, .run = run_ssh,
	  .key = '$', .where = GUEST_VIEWS, .label = "ssh" },
	{ "guest-password", "Set a user's password inside the guest (through its guest agent)",
	  "set a password in", .needs = ON_GUEST, .run = run_agentpw, .key = '&',
	  .where = GUEST_VIEWS },
};

/* Whatever the views do on every turn of the loop. */
static void
poll_all(struct app *a)
{
	console_poll(a);
	gscreen_poll(a);
	bulk_poll(a);
	sshview_poll(a);
}

static void
quit_all(void)
{
	console_forget();
	conpane_forget();
	gscreen_forget();
	bulk_forget();
	newvm_forget();
	sshview_forget();
}

const struct ui vmtui_ui = {
	.commands = commands,
	.ncommands = sizeof commands / sizeof commands[0],
	.root = &vmlist_ops,
	.poll = poll_all,
	.quit = quit_all,
};
