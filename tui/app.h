/* app.h — the running program: hosts, the view on top, the status line and
 * the loop that ties keys, model notices and redraws together. */
#ifndef VMTUI_APP_H
#define VMTUI_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <curses.h>
#include <wchar.h>

#include "../model/base/msglog.h"
#include "../model/guest/actions.h"
#include "../model/host/host.h"
#include "../model/host/vmsel.h"
#include "command.h"
#include "graph.h"
#include "keys.h"
#include "lineedit.h"
#include "lines.h"
#include "screen.h"
#include "scroll.h"

/* What a key handler asks of the loop; handlers never draw. */
enum {
	HANDLED = 1,
	REDRAW_BODY = 2,
	REDRAW_ALL = 4,
	QUIT = 8,
};

struct app;

/* A view: a screen of the body window. Views live on a stack (the root,
 * the guest list, at the bottom); every way back is a pop. A view's state
 * is its own (its file's), made by enter or by the command that pushed
 * it, and dropped by leave. */
struct view_ops {
	const char *name;
	unsigned keyview;                             /* KV_* */
	void (*enter)(struct app *);                  /* pushed */
	void (*leave)(struct app *);                  /* popped: free the state */
	void (*draw)(struct app *, WINDOW *);         /* body window */
	int (*key)(struct app *, enum cmd, int key);
	void (*mouse)(struct app *, int y, int x, bool dbl);
	/* Views that take typing (KV_FORM) get every unbound key here. */
	int (*text)(struct app *, wint_t wc, bool is_key);
	/* When set and true, every key goes to text first, bindings or not
	 * (the console pane with the console focused, an open form). */
	bool (*grab)(struct app *);
	/* Views fed by a stream: called on every turn of the loop while the
	 * view is anywhere on the stack. */
	void (*poll)(struct app *);
	/* Key hints of the view's own after the bindings' in the footer, from
	 * column x; returns the column after them. */
	int (*footer)(struct app *, WINDOW *w, int x);
	/* Does the view offer command c now (NULL: every one it binds)? A
	 * hint the view would refuse is not shown (a plan with errors offers
	 * no Apply). Called without the hosts' locks. */
	bool (*offers)(const struct app *, enum cmd c);
	/* draw covers every line of the body with line_end and the memo
	 * app_body_memo gives: the body is not erased between frames. */
	bool paints_all;
	/* A form that may be taller than the body (at 80x24 and below): drawn
	 * on a tall pad, the body shows the part around its focus (the line
	 * given to app_form_focus). */
	bool tall;
	/* The view shows the outcome of its own work (a dialog's job): while
	 * it is on top, the model's messages go to the action log only, not
	 * also to the status line. */
	bool reports;
	/* draw tells app_redraw_at when what it shows would change with time
	 * alone (an uptime); other views are drawn again every second. */
	bool timed;
};

#define VIEW_STACK_MAX 16

/* A yes/no question over the current view. */
struct confirm {
	bool open;
	char *text;
	struct host *host;
	char uuid[VM_UUID_LEN];
	enum action act;
	void (*yes)(struct app *); /* instead of the action, when set */
};

/* The one-line prompt in the footer: the filter (applied as you type), a
 * file path (Tab completes, Enter submits), a line of text (Enter submits)
 * or a secret (not shown while typed, wiped once submitted). */
enum prompt_kind { PROMPT_FILTER, PROMPT_PATH, PROMPT_TEXT, PROMPT_SECRET };

struct prompt {
	bool open;
	enum prompt_kind kind;
	char label[32];
	struct lineedit le;
	void (*submit)(struct app *, const char *text);
	/* After Tab in a path prompt: the names that match (shown above the
	 * prompt until the next key), or no_match. */
	char **matches;
	size_t nmatches;
	bool no_match;
};

struct replay;

#define HEADER_LINES_KEPT 2

struct app {
	struct host **hosts;
	size_t nhosts;
	bool readonly;
	struct replay *replay;        /* vmtui --replay: hosts fed from a file */
	unsigned interval_ms;
	enum graph_mode gmode;
	unsigned char console_escape; /* byte that leaves a console; 0: ^] */
	const char *gfx_protocol;     /* a guest's screen drawn with; NULL: ask the terminal */
	unsigned gfx_symbols;         /* ... with these symbols (GFX_SYM_*, tui/gfx/render.h) */
	unsigned gfx_fps;             /* ... at most this many frames a second; 0: 15 */

	const struct view_ops *view;  /* the top of the stack */
	const struct view_ops *stack[VIEW_STACK_MAX];
	size_t depth;

	/* Guest list state, shared by the list and detail views. */
	struct row *rows;            /* what the list shows */
	size_t nrows, rowcap;
	struct row *flat;            /* several hosts: sorted guests before grouping */
	size_t nflat, flatcap;
	/* The hosts' vms_gen when the guests (rows, or flat with several
	 * hosts) were last listed without a filter: while they hold, the
	 * same guests are only sorted again. NULL: list afresh. */
	uint64_t *rows_gens;
	bool *collapsed;             /* per host: heading only */
	/* What the rows were made from last: each host's generation and the
	 * list's settings. While all of it holds, a lock of the hosts keeps
	 * the rows as they are (a key or a frame costs nothing per guest).
	 * UI thread only; app_rows_changed forgets it. */
	struct rows_made {
		bool valid;
		uint64_t *gens;      /* per host: its generation */
		bool *collapsed;     /* per host */
		char filter[128];
		enum sort_key sort;
		bool reverse;
	} rows_made;
	struct scroller list;        /* the list's first row shown, selected row */
	char sel_uuid[VM_UUID_LEN];  /* selection survives re-sorting */
	struct host *sel_host;
	/* Grouped by tag (`=`): the selected row's group ("" untagged), since
	 * a guest with several tags is listed once under each. */
	bool group_tags;
	char sel_tag[40];
	/* A guest to select once it shows up in the list (a guest just created
	 * appears with the host's next refresh), until want_until_ns. */
	char want_name[256];
	struct host *want_host;
	uint64_t want_until_ns;
	enum sort_key sort;
	bool reverse;
	char filter[128];

	struct confirm confirm;
	struct {
		bool open;
		struct host *host;
		uint64_t seq;      /* of the question shown/answered last */
		char *text;
		bool echo, yes_no;
		struct lineedit le;
	} hostq;
	struct prompt prompt;

	char *status;
	enum msg_kind status_kind;
	uint64_t status_seq;
	uint64_t status_until_ns;
	uint64_t log_seq;            /* newest message the action log showed */

	WINDOW *header, *body, *footer;
	int header_h;
	/* What the header's lines show (see header_line in app.c). */
	struct header_shown {
		char text[512];
		int attr;
		bool valid;
	} header_shown[HEADER_LINES_KEPT];
	/* The title line, and what it was made from: made again (with
	 * printf) only when one of those changed. */
	char title[400];
	struct title_key {
		unsigned interval_ms;
		enum sort_key sort;
		enum graph_mode gmode;
		bool reverse, readonly;
		char filter[128];
		char marked[48];         /* "12 marked on 3 hosts" */
	} title_key;
	bool title_made;
	unsigned dirty;
	uint64_t *seen_gen;
	bool read_keys_now;          /* the terminal has input (or curses a mode to set) */
	uint64_t body_due_ns;        /* when the body changes by itself: drawn again */
	struct line_memo body_memo;  /* the body's lines, for paints_all views */
	WINDOW *tall_pad;            /* what a tall view draws, the body its part */
	int tall_top, focus_y;       /* the pad's first line shown; the focus */
	const struct view_ops *memo_view; /* whose lines body_memo holds */
	bool memo_live;              /* within such a view's draw */
	bool quit;
	bool first_frame_done;

	/* Marks and bulk actions (model/host/marks.h, views/bulk.c): the UI
	 * thread's alone. */
	struct marks *marks;         /* NULL until the first mark */
	unsigned bulk_limit;         /* config.yaml's bulk_limit: (0: 4) */
	unsigned *host_bulk_limit;   /* per host of hosts[]: its bulk_limit (0: the above) */
	mmask_t mouse_bstate;        /* the buttons and modifiers of the click view->mouse gets */
};

enum { DIRTY_HEADER = 1, DIRTY_BODY = 2, DIRTY_FOOTER = 4, DIRTY_ALL = 7 };

/* Run until the user quits or a quit signal arrives, with the views and
 * commands of ui_set. Returns the exit status. */
int app_run(struct app *a);

/* The view stack. push: v on top (entered); if v is on the stack already,
 * the views above it are popped instead. pop: the top view leaves (the
 * root stays). pop_to_root: back to the guest list. */
void app_push_view(struct app *a, const struct view_ops *v);
void app_pop_view(struct app *a);
void app_pop_to_root(struct app *a);
/* Is v anywhere on the stack? */
bool app_view_open(const struct app *a, const struct view_ops *v);

/* Open the footer prompt for a path; submit gets the text on Enter. */
void app_prompt_path(struct app *a, const char *label, const char *initial,
                     void (*submit)(struct app *, const char *));
/* Open the footer prompt for a line of text (no completion). */
void app_prompt_text(struct app *a, const char *label, const char *initial,
                     void (*submit)(struct app *, const char *));
/* Open the footer prompt of the filter (applied as it is typed). */
void app_prompt_filter(struct app *a);
/* Open the footer prompt for a secret: nothing of it drawn, the text
 * wiped once submitted or cancelled. */
void app_prompt_secret(struct app *a, const char *label,
                       void (*submit)(struct app *, const char *));

/* The host new VMs go to: the selected guest's, else the first. */
struct host *app_target_host(struct app *a);

/* Ask a yes/no question over the view; y runs yes. */
void app_ask(struct app *a, const char *text, void (*yes)(struct app *));
/* Hand the whole terminal to a pass-through (the serial console) and take
 * it back with every window redrawn. */
void app_suspend(struct app *a);
void app_resume(struct app *a);

/* Say something in the status line (errors stay longer). */
void app_status(struct app *a, enum msg_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* WAIT% from which a guest is marked (config.yaml's wait_warn). */
extern double app_wait_warn;
#define APP_WAIT_WARN_DEFAULT 10.0
/* One line about a host (header or list heading); returns its colour. */
enum color app_host_summary(const struct host *h, char *line, size_t n);
/* The same, fitted to width columns: the least useful parts dropped first
 * (Alloc, vCPUs, the worst WAIT%, memory, CPU, the URI), never the name,
 * the guests by state or an overcommit. */
enum color app_host_summary_fit(const struct host *h, int width, char *line, size_t n);
/* The fleet in one line for the header when several hosts are shown:
 * hosts up and down, guests by state, hosts overcommitted (naming the
 * worst where WIDTH has room). Every host's lock held; returns its colour. */
enum color app_fleet_summary(struct host **hosts, size_t nhosts, int width, char *line,
                             size_t n);
/* Rebuild a->rows from the hosts (host locks held by the caller). */
void app_rebuild_rows(struct app *a);
/* The rows depend on something no host's generation or list setting
 * tells (e.g. state kept by the UI that a filter reads): made afresh at
 * the next lock. */
void app_rows_changed(struct app *a);
void app_rows_free(struct app *a);
/* Is this the selected row? */
bool app_row_selected(const struct app *a, const struct row *r);

/* What commands need about the selected guest, copied under the host
 * locks so it stays valid after them. */
struct sel_guest {
	struct host *host;
	char uuid[VM_UUID_LEN];
	char name[256];
	enum vm_state state;
	bool autostart;
	bool saved;          /* a managed save image: start restores it */
	bool host_up;
};
/* Fill g for the selected guest; false, with the reason in the status line,
 * when none is (nothing, or a host heading). Takes the host locks itself. */
bool app_selected_guest(struct app *a, struct sel_guest *g);

/* The selected row, or NULL (host locks held). */
const struct row *app_selected(struct app *a);
/* Run a lifecycle action on guest g: refused, saying why, when its state
 * does not allow it; asks first where the action can lose work. */
int app_act(struct app *a, const struct sel_guest *g, enum action act);

/* Lock every host and rebuild a->rows; rows are valid only until unlock. */
void app_lock_hosts(struct app *a);
void app_unlock_hosts(struct app *a);

/* For a tall view's draw: line y holds the focus (the field typed in);
 * the body scrolls to keep it in sight. */
void app_form_focus(struct app *a, int y);
/* For a timed view's draw: what it drew changes by itself at when_ns
 * (host_now_ns' clock), and the body is to be drawn again then. */
void app_redraw_at(struct app *a, uint64_t when_ns);
/* The memo to give line_end for lines of w: the body's while a paints_all
 * view draws it, else NULL. */
struct line_memo *app_body_memo(struct app *a, WINDOW *w);

#endif
