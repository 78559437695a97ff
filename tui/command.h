/* command.h — commands as data: every user command is one row (its name,
 * what it needs before it may run, the view it opens, its handler), and
 * one dispatcher checks the needs and makes every refusal, with one
 * wording per reason. The rows are the views' (views/commands.c); the
 * loop is handed them at start-up through struct ui. */
#ifndef VMTUI_COMMAND_H
#define VMTUI_COMMAND_H

#include <stdbool.h>

#include "keys.h"

struct app;
struct view_ops;
struct sel_guest;

/* What a command needs before its handler runs; the dispatcher refuses it
 * otherwise, saying why. Checked in this order. */
enum {
	NEED_LIVE = 1,    /* not while replaying a recording */
	NEED_GUEST = 2,   /* a guest selected (list or detail) */
	NEED_WRITE = 4,   /* not read-only (-r) */
	NEED_HOST_UP = 8, /* the selected guest's host connected */
};

/* What the dispatcher resolved for the handler. */
struct cmd_ctx {
	enum cmd cmd;
	int key;                 /* the key that was pressed (0 when none) */
	const struct sel_guest *guest; /* with NEED_GUEST, else NULL */
};

struct command {
	const char *name;  /* "force-off": config.yaml's keys: and help */
	const char *help;  /* one line for the help screen */
	/* In refusals, "Cannot <verb>[ of] <guest>: ...": "open the console"
	 * with of set reads "Cannot open the console of web1". NULL: name. */
	const char *verb;
	bool of;
	unsigned needs;    /* NEED_* */
	/* The view the command opens: run again while that view is on top,
	 * it goes back instead (the key that opened a view closes it). */
	const struct view_ops *opens;
	/* Runs after the view on top declined the command (its key handler
	 * returned 0); NULL: only views handle it. Returns HANDLED... */
	int (*run)(struct app *a, const struct cmd_ctx *x);
	/* The default key, where (KV_*) and its footer label: a row's own
	 * binding, after tui/keys.c's table. 0: none but the table's. */
	int key;
	unsigned where;
	const char *label;
};

/* What the views hand the loop at start-up. */
struct ui {
	/* By enum cmd first (CMD_COUNT rows), then the rows no view names:
	 * ncommands in all. */
	const struct command *commands;
	size_t ncommands;
	const struct view_ops *root;    /* the bottom of the view stack */
	/* Called on every turn of the loop (streams that finished opening). */
	void (*poll)(struct app *a);
	/* On quit, before the windows go. */
	void (*quit)(void);
};

/* vmtui's views and commands: defined in views/commands.c, the one
 * place that knows them all; main hands it to ui_set. (tui/ includes no
 * views/ header: the views depend on the loop, never the other way.) */
extern const struct ui vmtui_ui;

/* Put the views' rows in force (before keys_apply and app_run). */
void ui_set(const struct ui *u);
const struct ui *ui_get(void);
/* The row of c (an empty row before ui_set or for CMD_NONE). */
const struct command *command_row(enum cmd c);
/* Rows in all (CMD_COUNT before ui_set). */
size_t command_count(void);

/* Check c's needs for the view on top and run it: the view's key handler
 * first, then the row's handler. Refusals go to the status line. Returns
 * what the handler returned (0: nobody took it). */
int command_dispatch(struct app *a, enum cmd c, int key);
/* Would c be refused in this mode (read-only, replay)? For the footer,
 * which hides what would be refused. */
bool command_refused_by_mode(const struct app *a, enum cmd c);

#endif
