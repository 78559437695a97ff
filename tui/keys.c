/* keys.c — the key bindings: the default table (keys by command name, as
 * config.yaml's keys: writes them), the bindings in force, and lookups.
 * The commands themselves are rows of the views' table (tui/command.h). */
#include "keys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curses.h>

#include "../config/keymap.h"
#include "../model/base/xmalloc.h"
#include "command.h"

#define CTRL(c) ((c) & 0x1f)
#define STORE (KV_POOLS | KV_VOLS)

#define NAV (KV_LIST | KV_DETAIL | KV_HELP | KV_JOB | KV_SNAP | KV_LOG | STORE | KV_NET | KV_LEASES | \
             KV_EDIT)
#define VMV (KV_LIST | KV_DETAIL)

static const struct binding table[] = {
	{ '?', CMD_HELP, KV_GLOBAL, "Help" },
	{ KEY_F(1), CMD_HELP, KV_GLOBAL, NULL },
	{ 'q', CMD_QUIT, KV_GLOBAL, "Quit" },
	{ KEY_F(10), CMD_QUIT, KV_GLOBAL, NULL },
	{ KEY_UP, CMD_UP, NAV, NULL },
	{ 'k', CMD_UP, NAV, NULL },
	{ KEY_DOWN, CMD_DOWN, NAV, NULL },
	{ 'j', CMD_DOWN, NAV, NULL },
	{ KEY_PPAGE, CMD_PAGE_UP, NAV | KV_PANE, NULL },
	{ KEY_NPAGE, CMD_PAGE_DOWN, NAV | KV_PANE, NULL },
	{ KEY_HOME, CMD_HOME, NAV, NULL },
	{ 'g', CMD_HOME, NAV, NULL },
	{ KEY_END, CMD_END, NAV, NULL },
	{ 'G', CMD_END, NAV & ~VMV, NULL }, /* G in the list and detail: the guest's screen */
	{ '\r', CMD_OPEN, KV_LIST, "Detail" },
	{ '\n', CMD_OPEN, KV_LIST, NULL },
	{ KEY_ENTER, CMD_OPEN, KV_LIST, NULL },
	{ '\r', CMD_OPEN, KV_NET, "Leases" },
	{ '\n', CMD_OPEN, KV_NET, NULL },
	{ KEY_ENTER, CMD_OPEN, KV_NET, NULL },
	{ 27, CMD_BACK,
	  KV_LIST | KV_DETAIL | KV_HELP | KV_JOB | KV_EDIT | KV_FORM | KV_HOST | KV_PANE | KV_SNAP | KV_LOG |
	  STORE | KV_NET | KV_LEASES | KV_XFER, "Back" },
	{ 'c', CMD_BACK, KV_XFER, "Cancel" },
	{ KEY_BACKSPACE, CMD_BACK, KV_DETAIL | KV_HELP | KV_SNAP | KV_LOG | STORE | KV_NET | KV_LEASES, NULL },
	{ KEY_LEFT, CMD_BACK, KV_DETAIL | KV_HELP | KV_SNAP | KV_LOG | STORE | KV_NET | KV_LEASES, NULL },
	{ 'y', CMD_APPLY, KV_JOB, "Apply" },
	{ 'y', CMD_APPLY, KV_EDIT, "Define" },
	{ '\t', CMD_NEXT_FIELD, KV_FORM, "Next" },
	{ KEY_DOWN, CMD_NEXT_FIELD, KV_FORM, NULL },
	{ KEY_BTAB, CMD_PREV_FIELD, KV_FORM, NULL },
	{ KEY_UP, CMD_PREV_FIELD, KV_FORM, NULL },
	{ KEY_F(2), CMD_APPLY, KV_FORM, "OK" },
	{ '/', CMD_FILTER, KV_LIST, "Filter" },
	{ 'n', CMD_SORT_NAME, KV_LIST, NULL },
	{ 's', CMD_SORT_STATE, KV_LIST, NULL },
	{ 'v', CMD_SORT_VCPUS, KV_LIST, NULL },
	{ 'c', CMD_SORT_CPU, KV_LIST, NULL },
	{ 'm', CMD_SORT_MEM, KV_LIST, NULL },
	{ 'd', CMD_SORT_DISK, KV_LIST, NULL },
	{ 't', CMD_SORT_NET, KV_LIST, NULL },
	{ 'u', CMD_SORT_UPTIME, KV_LIST, NULL },
	{ 'S', CMD_START, VMV, "Start" },
	{ 'H', CMD_SHUTDOWN, VMV, "Shutdown" },
	{ 'R', CMD_REBOOT, VMV, "Reboot" },
	{ 'F', CMD_FORCE_OFF, VMV, "Off" },
	{ 'P', CMD_PAUSE, VMV, "Pause" },
	{ 'U', CMD_RESUME, VMV, "Resume" },
	{ 'A', CMD_AUTOSTART, VMV, "Autostart" },
	{ 'C', CMD_CONSOLE, VMV, "Console" },
	{ 'V', CMD_CONSOLE_PANE, VMV, NULL },
	{ KEY_F(6), CMD_PANE_FOCUS, KV_PANE, "Focus" },
	{ 'T', CMD_SNAPSHOTS, VMV | KV_SNAP, "Snap" },
	{ 'c', CMD_SNAP_CREATE, KV_SNAP, "Create" },
	{ 'r', CMD_SNAP_REVERT, KV_SNAP, "Revert" },
	{ 'x', CMD_SNAP_DELETE, KV_SNAP, "Delete" },
	{ KEY_DC, CMD_SNAP_DELETE, KV_SNAP, NULL },
	{ 'L', CMD_ACTION_LOG, KV_GLOBAL, "Log" },
	{ '*', CMD_THEME_NEXT, KV_GLOBAL, NULL },
	{ ' ', CMD_REPLAY_PAUSE, KV_GLOBAL, NULL },
	{ 'o', CMD_OPEN_FILE, KV_LIST, "Open" },
	{ 'N', CMD_NEW_VM, KV_LIST, "New" },
	{ 'h', CMD_HOST_VIEW, KV_LIST | KV_HOST, "Host" },
	{ '+', CMD_FASTER, KV_GLOBAL, NULL },
	{ '-', CMD_SLOWER, KV_GLOBAL, NULL },
	{ CTRL('L'), CMD_REFRESH, KV_GLOBAL, NULL },
	/* The host devices view (views/hostdevs.c): back and move. */
	{ 27, CMD_BACK, KV_HOSTDEV, "Back" },
	{ KEY_BACKSPACE, CMD_BACK, KV_HOSTDEV, NULL },
	{ KEY_LEFT, CMD_BACK, KV_HOSTDEV, NULL },
	{ KEY_UP, CMD_UP, KV_HOSTDEV, NULL },
	{ 'k', CMD_UP, KV_HOSTDEV, NULL },
	{ KEY_DOWN, CMD_DOWN, KV_HOSTDEV, NULL },
	{ 'j', CMD_DOWN, KV_HOSTDEV, NULL },
	{ KEY_PPAGE, CMD_PAGE_UP, KV_HOSTDEV, NULL },
	{ KEY_NPAGE, CMD_PAGE_DOWN, KV_HOSTDEV, NULL },
	{ KEY_HOME, CMD_HOME, KV_HOSTDEV, NULL },
	{ KEY_END, CMD_END, KV_HOSTDEV, NULL },
	/* The hardware view (views/hardware.c): its list moves as the others. */
	{ KEY_UP, CMD_UP, KV_HW, NULL },
	{ 'k', CMD_UP, KV_HW, NULL },
	{ KEY_DOWN, CMD_DOWN, KV_HW, NULL },
	{ 'j', CMD_DOWN, KV_HW, NULL },
	{ KEY_PPAGE, CMD_PAGE_UP, KV_HW, NULL },
	{ KEY_NPAGE, CMD_PAGE_DOWN, KV_HW, NULL },
	{ KEY_HOME, CMD_HOME, KV_HW, NULL },
	{ 'g', CMD_HOME, KV_HW, NULL },
	{ KEY_END, CMD_END, KV_HW, NULL },
	{ 'G', CMD_END, KV_HW, NULL },
	{ 27, CMD_BACK, KV_HW, "Back" },
	{ '\r', CMD_OPEN, KV_HW, "XML" },
	{ '\n', CMD_OPEN, KV_HW, NULL },
	{ KEY_ENTER, CMD_OPEN, KV_HW, NULL },
	{ KEY_BACKSPACE, CMD_BACK, KV_HW, NULL },
	{ KEY_LEFT, CMD_BACK, KV_HW, NULL },
	/* WAIT%: the list sorted by it. A host's load tables (views/hostload.c). */
	{ '%', CMD_SORT_WAIT, KV_LIST, NULL },
	{ 27, CMD_BACK, KV_HOSTLOAD, "Back" },
	{ KEY_BACKSPACE, CMD_BACK, KV_HOSTLOAD, NULL },
	{ KEY_LEFT, CMD_BACK, KV_HOSTLOAD, NULL },
	{ KEY_UP, CMD_UP, KV_HOSTLOAD, NULL },
	{ 'k', CMD_UP, KV_HOSTLOAD, NULL },
	{ KEY_DOWN, CMD_DOWN, KV_HOSTLOAD, NULL },
	{ 'j', CMD_DOWN, KV_HOSTLOAD, NULL },
	{ KEY_PPAGE, CMD_PAGE_UP, KV_HOSTLOAD, NULL },
	{ KEY_NPAGE, CMD_PAGE_DOWN, KV_HOSTLOAD, NULL },
	{ KEY_HOME, CMD_HOME, KV_HOSTLOAD, NULL },
	{ 'g', CMD_HOME, KV_HOSTLOAD, NULL },
	{ KEY_END, CMD_END, KV_HOSTLOAD, NULL },
	{ 'G', CMD_END, KV_HOSTLOAD, NULL },
};

/* The default bindings: the table above, then the keys the commands'
 * rows bring (tui/command.h), made once the rows are known. */
static struct binding *defaults;
static size_t ndefaults, defaults_for; /* ...for this many rows */

/* The bindings in force: the defaults until keys_apply. */
static struct binding *active;
static size_t nactive;

static const struct binding *
default_bindings(size_t *n)
{
	size_t ntable = sizeof table / sizeof table[0], i;

	if (defaults == NULL || defaults_for != command_count()) {
		free(defaults);
		defaults_for = command_count();
		defaults = xcalloc(ntable + defaults_for, sizeof *defaults);
		memcpy(defaults, table, sizeof table);
		ndefaults = ntable;
		for (i = 1; i < defaults_for; i++) {
			const struct command *r = command_row((enum cmd)i);
			if (r->key != 0)
				defaults[ndefaults++] = (struct binding){ r->key, (enum cmd)i, r->where,
				                                          r->label };
		}
	}
	*n = ndefaults;
	return defaults;
}

static const struct binding *
bindings(size_t *n)
{
	if (active != NULL) {
		*n = nactive;
		return active;
	}
	return default_bindings(n);
}

enum cmd
keys_lookup(int key, unsigned view)
{
	size_t i, n;
	const struct binding *t = bindings(&n);

	/* Views where printable keys are typed take no global bindings. */
	if (!(view & KV_FORM))
		view |= KV_GLOBAL;
	for (i = 0; i < n; i++)
		if (t[i].key == key && (t[i].views & view))
			return t[i].cmd;
	return CMD_NONE;
}

/* A key of config.yaml (KMK_*) as curses reports it. */
static int
curses_code(int kmk)
{
	static const int special[] = {
		[KMK_UP - KMK_UP] = KEY_UP, [KMK_DOWN - KMK_UP] = KEY_DOWN,
		[KMK_LEFT - KMK_UP] = KEY_LEFT, [KMK_RIGHT - KMK_UP] = KEY_RIGHT,
		[KMK_PGUP - KMK_UP] = KEY_PPAGE, [KMK_PGDN - KMK_UP] = KEY_NPAGE,
		[KMK_HOME - KMK_UP] = KEY_HOME, [KMK_END - KMK_UP] = KEY_END,
		[KMK_INSERT - KMK_UP] = KEY_IC, [KMK_DELETE - KMK_UP] = KEY_DC,
		[KMK_BACKSPACE - KMK_UP] = KEY_BACKSPACE, [KMK_BTAB - KMK_UP] = KEY_BTAB,
		[KMK_KPENTER - KMK_UP] = KEY_ENTER,
	};

	if (kmk >= KMK_F1 && kmk < KMK_F1 + 12)
		return KEY_F(kmk - KMK_F1 + 1);
	if (kmk >= KMK_UP && kmk <= KMK_KPENTER)
		return special[kmk - KMK_UP];
	return kmk;
}

int
keys_apply(const struct keymap *km, const char *file, struct config_errors *errs)
{
	static const int reserved[] = { CTRL('C'), -1 }; /* quits in raw mode */
	size_t ncmds = command_count();
	const char **names = xcalloc(ncmds + 1, sizeof *names);
	const struct binding *dt;
	struct keymap_binding *defs, *out = NULL;
	struct keymap_rules r = {
		.cmd_names = names,
		.code = curses_code,
		.global_view = KV_GLOBAL,
		.typing_views = KV_FORM,
		.reserved = reserved,
	};
	size_t i, nout = 0;
	int rc;

	for (i = 0; i < ncmds; i++)
		names[i] = cmd_name((enum cmd)i);
	dt = default_bindings(&r.ndefaults);
	defs = xcalloc(r.ndefaults, sizeof *defs);
	for (i = 0; i < r.ndefaults; i++) {
		defs[i].key = dt[i].key;
		defs[i].cmd = (int)dt[i].cmd;
		defs[i].views = dt[i].views;
		defs[i].label = dt[i].label;
	}
	r.defaults = defs;
	rc = keymap_resolve(km, file, &r, &out, &nout, errs);
	free(defs);
	free(names);
	if (rc < 0)
		return -1;
	keys_reset();
	active = xcalloc(nout ? nout : 1, sizeof *active);
	for (i = 0; i < nout; i++) {
		active[i].key = out[i].key;
		active[i].cmd = (enum cmd)out[i].cmd;
		active[i].views = out[i].views;
		active[i].label = out[i].label;
	}
	nactive = nout;
	free(out);
	return 0;
}

void
keys_reset(void)
{
	free(active);
	active = NULL;
	nactive = 0;
}

const char *
cmd_name(enum cmd c)
{
	return command_row(c)->name;
}

const char *
cmd_help(enum cmd c)
{
	return command_row(c)->help;
}

const char *
keys_label(int key, char *buf, size_t n)
{
	switch (key) {
	case '\r':
		return "Enter";
	case '\n':
		return "^J";
	case KEY_ENTER:
		return "KpEnter";
	case 27:
		return "Esc";
	case ' ':
		return "Space";
	case KEY_UP:
		return "Up";
	case KEY_DOWN:
		return "Down";
	case KEY_LEFT:
		return "Left";
	case KEY_RIGHT:
		return "Right";
	case KEY_PPAGE:
		return "PgUp";
	case KEY_NPAGE:
		return "PgDn";
	case KEY_HOME:
		return "Home";
	case KEY_END:
		return "End";
	case KEY_BACKSPACE:
		return "Backspace";
	case '\t':
		return "Tab";
	case KEY_BTAB:
		return "S-Tab";
	case KEY_DC:
		return "Del";
	case KEY_IC:
		return "Ins";
	case 127:
		return "^?";
	}
	if (key >= KEY_F(1) && key <= KEY_F(12))
		snprintf(buf, n, "F%d", key - KEY_F(0));
	else if (key > 0 && key < 32)
		snprintf(buf, n, "^%c", key + '@');
	else if (key >= 32 && key < 127)
		snprintf(buf, n, "%c", key);
	else
		snprintf(buf, n, "#%d", key);
	return buf;
}

const struct binding *
keys_table(size_t *n)
{
	return bindings(n);
}

int
keys_first(enum cmd c)
{
	size_t i, n;
	const struct binding *t = bindings(&n);

	for (i = 0; i < n; i++)
		if (t[i].cmd == c)
			return t[i].key;
	return -1;
}
