/* views.h — the views (one file each in views/) and what opens them, for
 * the command table (views/commands.c) and for views that open others.
 * tui/ includes none of this: the loop is handed the views through
 * struct ui (tui/command.h) at start-up. */
#ifndef VMTUI_VIEWS_H
#define VMTUI_VIEWS_H

#include <stddef.h>

#include "../tui/app.h"

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

/* Openers of the dialogs about guest g (the dispatcher checked the
 * command's needs already): each pushes its view. */
int resize_open(struct app *a, const struct sel_guest *g);
int snapshots_open(struct app *a, const struct sel_guest *g);
int clone_open(struct app *a, const struct sel_guest *g);
int vmdelete_open(struct app *a, const struct sel_guest *g);
/* O: guest g's graphical screen (views/gscreen.c): opened on its host's
 * worker, then shown on the whole terminal from the poll hook. */
int gscreen_open(struct app *a, const struct sel_guest *g);
void gscreen_poll(struct app *a);
void gscreen_forget(void);
/* Plan VM definition files on host h and show the plan (views/job.c). */
void job_open(struct app *a, struct host *h, char *const *paths, size_t n);

/* A titled history graph with its scale on the left (views/vmdetail.c). */
typedef char *(*graph_fmt_fn)(char *, size_t, double);
void draw_graph_box(struct app *a, WINDOW *w, int y, int x, int width, int height,
                    const char *title, const struct ring *r, double fixed_max,
                    graph_fmt_fn fmt, double now_val, enum color col);
/* "12.5%", or "-" for a negative value: a graph_fmt_fn. */
char *fmt_pct_unit(char *b, size_t n, double v);

#endif
