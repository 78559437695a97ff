/* app.h — the running program: hosts, the view on top, the status line and
 * the loop that ties keys, model notices and redraws together. */
#ifndef VMTUI_APP_H
#define VMTUI_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <curses.h>
#include <wchar.h>

#include "../model/actions.h"
#include "../model/host.h"
#include "../model/msglog.h"
#include "../model/vmsel.h"
#include "graph.h"
#include "keys.h"
#include "screen.h"
#include "lineedit.h"

/* What a key handler asks of the loop; handlers never draw. */
enum {
	HANDLED = 1,
	REDRAW_BODY = 2,
	REDRAW_ALL = 4,
	QUIT = 8,
};

struct app;

/* What the lines of a window hold as line_end last gave them, so a line
 * sends curses only the stretches that changed since (the rest of the
 * window is then neither erased nor compared again by curses). */
struct line_memo {
	WINDOW *w;
	int rows, cols;
	struct lcell *c; /* rows x cols */
	bool *valid;    /* per row: c holds it */
};
struct view_ops {
	const char *name;
	unsigned keyview;                             /* KV_* */
	void (*enter)(struct app *);
	void (*draw)(struct app *, WINDOW *);         /* body window */
	int (*key)(struct app *, enum cmd, int key);
	void (*mouse)(struct app *, int y, int x, bool dbl);
	/* Views that take typing (KV_FORM) get every unbound key here. */
	int (*text)(struct app *, wint_t wc, bool is_key);
	/* When set and true, every key goes to text first, bindings or not
	 * (the console pane with the console focused). */
	bool (*grab)(struct app *);
	/* draw covers every line of the body with line_end and the memo
	 * app_body_memo gives: the body is not erased between frames. */
	bool paints_all;
	/* draw tells app_redraw_at when what it shows would change with time
	 * alone (an uptime); other views are drawn again every second. */
	bool timed;
};

extern const struct view_ops vmlist_ops;
extern const struct view_ops vmdetail_ops;
extern const struct view_ops help_ops;
extern const struct view_ops job_ops;
extern const struct view_ops newvm_ops;
extern const struct view_ops resize_ops;
extern const struct view_ops hostview_ops;
extern const struct view_ops actlog_ops;
extern const struct view_ops conpane_ops;
extern const struct view_ops snapshots_ops;
extern const struct view_ops clone_ops;
extern const struct view_ops vmdelete_ops;

/* A yes/no question over the current view. */
struct confirm {
	bool open;
	char *text;
	struct host *host;
	char uuid[VM_UUID_LEN];
	enum action act;
	void (*yes)(struct app *); /* instead of the action, when set */
};

/* The one-line prompt in the footer: the filter (applied as you type) or
 * a file path (Tab completes, Enter submits). */
enum prompt_kind { PROMPT_FILTER, PROMPT_PATH };

struct prompt {
	bool open;
	enum prompt_kind kind;
	char label[32];
	struct lineedit le;
	void (*submit)(struct app *, const char *text);
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

	const struct view_ops *view;
	const struct view_ops *prev_view;

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
	int top;                     /* first visible row */
	char sel_uuid[VM_UUID_LEN];  /* selection survives re-sorting */
	struct host *sel_host;
	/* A guest to select once it shows up in the list (a guest just created
	 * appears with the host's next refresh), until want_until_ns. */
	char want_name[256];
	struct host *want_host;
	uint64_t want_until_ns;
	enum sort_key sort;
	bool reverse;
	char filter[128];
	int help_top;
	int detail_top;

	struct host *job_host;       /* where the plan/apply view's job runs */
	int job_top;
	struct newvm_form *form;     /* the quick-create form, while open */

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
	} title_key;
	bool title_made;
	unsigned dirty;
	uint64_t *seen_gen;
	bool read_keys_now;          /* the terminal has input (or curses a mode to set) */
	uint64_t body_due_ns;        /* when the body changes by itself: drawn again */
	struct line_memo body_memo;  /* the body's lines, for paints_all views */
	const struct view_ops *memo_view; /* whose lines body_memo holds */
	bool memo_live;              /* within such a view's draw */
	bool quit;
	bool first_frame_done;
};

enum { DIRTY_HEADER = 1, DIRTY_BODY = 2, DIRTY_FOOTER = 4, DIRTY_ALL = 7 };

/* Run until the user quits or a quit signal arrives. Returns exit status. */
int app_run(struct app *a);

/* Open the footer prompt for a path; submit gets the text on Enter. */
void app_prompt_path(struct app *a, const char *label, const char *initial,
                     void (*submit)(struct app *, const char *));

/* Plan VM definition files on the selected guest's host (else the first)
 * and show the job view. */
void app_open_files(struct app *a, char *const *paths, size_t n);
/* The host new VMs go to: the selected guest's, else the first. */
struct host *app_target_host(struct app *a);

/* Ask a yes/no question over the view; y runs yes. */
void app_ask(struct app *a, const char *text, void (*yes)(struct app *));
/* Hand the whole terminal to a pass-through (the serial console) and take
 * it back with every window redrawn. */
void app_suspend(struct app *a);
void app_resume(struct app *a);

/* Switch views. */
void app_set_view(struct app *a, const struct view_ops *v);
/* Say something in the status line (errors stay longer). */
void app_status(struct app *a, enum msg_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Rebuild a->rows from the hosts (host locks held by the caller). */
void app_rebuild_rows(struct app *a);
/* Is this the selected row? */
bool app_row_selected(const struct app *a, const struct row *r);
/* One line about a host (header or list heading); returns its colour. */
enum color app_host_summary(const struct host *h, char *line, size_t n);

/* What commands need about the selected guest, copied under the host
 * locks so it stays valid after them. */
struct sel_guest {
	struct host *host;
	char uuid[VM_UUID_LEN];
	char name[256];
	enum vm_state state;
	bool autostart;
	bool host_up;
};
/* Fill g for the selected guest; false, with the reason in the status line,
 * when none is (nothing, or a host heading). Takes the host locks itself. */
bool app_selected_guest(struct app *a, struct sel_guest *g);

/* The selected row, or NULL (host locks held). */
const struct row *app_selected(struct app *a);
/* Ask to run an action on the selected guest: checks read-only mode and
 * state, asks for confirmation where needed. */
int app_act(struct app *a, enum action act);
/* Open the resize dialog of the selected guest (views/resize.c). */
int resize_open(struct app *a);
/* Open the snapshots of the selected guest (views/snapshots.c), the clone
 * dialog (views/clone.c) and the delete dialog (views/vmdelete.c). */
int snapshots_open(struct app *a);
int clone_open(struct app *a);
int vmdelete_open(struct app *a);
/* Handle a lifecycle command (CMD_START...) common to list and detail. */
int app_common_cmd(struct app *a, enum cmd c);

/* Lock every host and rebuild a->rows; rows are valid only until unlock. */
void app_lock_hosts(struct app *a);
void app_unlock_hosts(struct app *a);

/* Draw helpers shared by views. */
void draw_fill(WINDOW *w, int y, int x, int width, chtype ch);
void draw_text(WINDOW *w, int y, int x, int width, int attr, const char *s);
void draw_wide(WINDOW *w, int y, int x, int attr, const wchar_t *s, int n);

/* A whole line of a window built in memory and given to curses in one
 * call, for lines drawn again on every refresh (the guest list): begin
 * fills it with spaces in attr, text and wide put stretches as draw_text
 * and draw_wide do, end hands it to curses. Columns past CELLS_MAX are
 * left alone. */
#define CELLS_MAX 1024
/* A cell of such a line: eight bytes, compared as one, where curses'
 * cchar_t takes 28. ch 0 is the second column of a wide character. */
struct lcell {
	wchar_t ch;
	attr_t attr;    /* colour pair included */
};
/* Combining marks, rare, are kept apart: for this many cells of a line. */
#define LINE_MARKED 16
struct line_cells {
	WINDOW *w;
	int y, width;
	bool wide;      /* second halves of wide characters to pack away */
	int nmarked;
	struct lcell c[CELLS_MAX];
	struct {
		int x;
		wchar_t marks[CCHARW_MAX - 1]; /* after the base character, 0-ended */
	} marked[LINE_MARKED];
};
void line_begin(struct line_cells *l, WINDOW *w, int y, int attr);
void line_text(struct line_cells *l, int x, int width, int attr, const char *s);
void line_wide(struct line_cells *l, int x, int attr, const wchar_t *s, int n);
/* m: the memo of l's window, or NULL. */
void line_end(struct line_cells *l, struct line_memo *m);
/* For a timed view's draw: what it drew changes by itself at when_ns
 * (host_now_ns' clock), and the body is to be drawn again then. */
void app_redraw_at(struct app *a, uint64_t when_ns);

/* The memo to give line_end for lines of w: the body's while a paints_all
 * view draws it, else NULL. */
struct line_memo *app_body_memo(struct app *a, WINDOW *w);
/* text from line *y on, over as many lines of w as it needs (broken at
 * spaces); *y ends after the last line drawn. */
void draw_wrapped(WINDOW *w, int *y, int attr, const char *text);
void draw_graph(WINDOW *w, int y, int x, int width, int height,
                const struct ring *r, double max, enum graph_mode m, int attr);

/* A titled history graph with its scale on the left (views/vmdetail.c). */
typedef char *(*graph_fmt_fn)(char *, size_t, double);
void draw_graph_box(struct app *a, WINDOW *w, int y, int x, int width, int height,
                    const char *title, const struct ring *r, double fixed_max,
                    graph_fmt_fn fmt, double now_val, enum color col);
/* "12.5%", or "-" for a negative value: a graph_fmt_fn. */
char *fmt_pct_unit(char *b, size_t n, double v);

#endif
