/* keys.h — every command has a name and a key; views ask for the command a
 * key means, and the help screen prints the table. */
#ifndef VMTUI_KEYS_H
#define VMTUI_KEYS_H

#include <stddef.h>

enum cmd {
	CMD_NONE,
	CMD_QUIT,
	CMD_HELP,
	CMD_UP,
	CMD_DOWN,
	CMD_PAGE_UP,
	CMD_PAGE_DOWN,
	CMD_HOME,
	CMD_END,
	CMD_OPEN,
	CMD_BACK,
	CMD_FILTER,
	CMD_SORT_NAME,
	CMD_SORT_STATE,
	CMD_SORT_VCPUS,
	CMD_SORT_CPU,
	CMD_SORT_MEM,
	CMD_SORT_DISK,
	CMD_SORT_NET,
	CMD_SORT_UPTIME,
	CMD_START,
	CMD_SHUTDOWN,
	CMD_REBOOT,
	CMD_FORCE_OFF,
	CMD_PAUSE,
	CMD_RESUME,
	CMD_AUTOSTART,
	CMD_FASTER,
	CMD_SLOWER,
	CMD_REFRESH,
	CMD_OPEN_FILE,
	CMD_NEW_VM,
	CMD_APPLY,
	CMD_NEXT_FIELD,
	CMD_PREV_FIELD,
	CMD_HOST_VIEW,
	CMD_CONSOLE,
	CMD_CONSOLE_PANE,
	CMD_PANE_FOCUS,
	CMD_SNAPSHOTS,
	CMD_SNAP_CREATE,
	CMD_SNAP_REVERT,
	CMD_SNAP_DELETE,
	CMD_ACTION_LOG,
	CMD_THEME_NEXT,
	CMD_REPLAY_PAUSE,
	CMD_SORT_WAIT,
	/* The commands every view or the loop may name. Rows of the views'
	 * table past these are commands only their own handler runs (a
	 * dialog's opener): they have no name here, only their row's. */
	CMD_COUNT
};

/* Where a binding applies. */
enum {
	KV_GLOBAL = 1,
	KV_LIST = 2,
	KV_DETAIL = 4,
	KV_HELP = 8,
	KV_JOB = 16,   /* a plan/apply of VM definition files */
	KV_FORM = 32,  /* the new-VM form: printable keys are typed */
	KV_HOST = 64,  /* the host view */
	KV_PANE = 128, /* the console pane (graphs focused; see views/conpane.c) */
	KV_SNAP = 256, /* the snapshot list of a guest */
	KV_LOG = 512,  /* the action log */
	KV_NET = 1 << 10,    /* a host's virtual networks */
	KV_LEASES = 1 << 11, /* one network's DHCP leases and pins */
	KV_POOLS = 1 << 12,  /* the storage pools of a host */
	KV_VOLS = 1 << 13,   /* the volumes of a storage pool */
	KV_XFER = 1 << 15,   /* an upload or download of a volume (views/transfer.c) */
	KV_HW = 1 << 16,     /* a guest's hardware (views/hardware.c) */
	KV_HOSTDEV = 1 << 17, /* the host's USB and PCI devices (views/hostdevs.c) */
	KV_EDIT = 1 << 18,   /* an edited domain XML's diff (views/xmledit.c) */
	KV_HOSTLOAD = 1 << 24, /* a host's load by CPU, NIC or disk (views/hostload.c) */
};

struct binding {
	int key;            /* curses key code or character */
	enum cmd cmd;
	unsigned views;     /* KV_* mask */
	const char *label;  /* short label for the footer, or NULL */
};

/* Command for a key in a view (KV_LIST...), CMD_NONE if unbound. */
enum cmd keys_lookup(int key, unsigned view);
const char *cmd_name(enum cmd c);        /* "force-off" */
const char *cmd_help(enum cmd c);        /* one line for the help screen */
/* Printable name of a key: "q", "Enter", "F1", "PgDn", "^L". */
const char *keys_label(int key, char *buf, size_t n);
/* The binding table, for the help screen and the footer. */
const struct binding *keys_table(size_t *n);
/* First key bound to cmd (for hints), or -1. */
int keys_first(enum cmd c);

/* Put the `keys:` of config.yaml in force (file names it in messages).
 * Returns 0, or -1 with every problem in *errs and the bindings unchanged. */
struct keymap;
struct config_errors;
int keys_apply(const struct keymap *km, const char *file, struct config_errors *errs);
/* Back to the default bindings. */
void keys_reset(void);

#endif
