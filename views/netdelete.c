/* netdelete.c — deleting a network (D in the networks view): its name must
 * be typed; while running guests use it, a second question names them and
 * asks whether to delete it anyway. The networks view's job stops and
 * undefines it and says the outcome there. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/base/xmalloc.h"
#include "../model/net/netjob.h"
#include "../tui/screen.h"
#include "views.h"

struct netdel {
	char *net;
	char *running;         /* running guests on it when the dialog opened */
	struct lineedit typed;
	char *refusal;
};

static struct netdel *nd;

/* Whether a ", "-joined list names more than one. */
static bool
several(const char *list)
{
	return strchr(list, ',') != NULL;
}

static void
del_leave(struct app *a)
{
	(void)a;
	if (nd == NULL)
		return;
	free(nd->net);
	free(nd->running);
	free(nd->refusal);
	free(nd);
	nd = NULL;
}

static void
del_draw(struct app *a, WINDOW *w)
{
	int width = getmaxx(w), y = 0;
	char line[1024];

	if (nd == NULL)
		return;
	snprintf(line, sizeof line, "Delete network %s", nd->net);
	draw_text(w, y++, 0, width, screen_attr(C_COLUMNS), line);
	draw_hints(w, &y, screen_attr(C_DIM), "Type the name, then Enter or F2: delete  Esc: cancel");
	y++;
	draw_wrapped(w, &y, 0, "It is stopped (when running) and its definition removed.");
	if (nd->running) {
		snprintf(line, sizeof line, "Running guests use it: %s. %s the network; you will "
		         "be asked again.", nd->running,
		         several(nd->running) ? "Their NICs lose" : "Its NIC loses");
		draw_wrapped(w, &y, screen_attr(C_WARNING), line);
	}
	y++;
	snprintf(line, sizeof line, "Type %s to confirm:", nd->net);
	draw_text(w, y++, 0, width, 0, line);
	app_form_focus(a, y);
	draw_text(w, y++, 2, width - 2, screen_attr(C_SELECTION), nd->typed.text);
	y++;
	if (nd->refusal)
		draw_wrapped(w, &y, screen_attr(C_ERROR), nd->refusal);
}

/* Pop the dialog and run the delete (force: running guests or not). */
static void
run_delete(struct app *a, bool force)
{
	char *net = xstrdup(nd->net);

	app_pop_view(a);
	networks_run(a, force ? NETOP_DELETE_FORCE : NETOP_DELETE, net, NULL, "Deleting");
	free(net);
}

static void
force_yes(struct app *a)
{
	if (nd != NULL)
		run_delete(a, true);
}

static void
submit(struct app *a)
{
	char *q;

	free(nd->refusal);
	nd->refusal = NULL;
	if (strcmp(nd->typed.text, nd->net) != 0) {
		nd->refusal = xasprintf("Not deleted: type the exact name %s to confirm (typed: "
		                        "\"%s\").", nd->net, nd->typed.text);
		app_status(a, MSG_ERROR, "%s", nd->refusal);
		return;
	}
	if (nd->running == NULL) {
		run_delete(a, false);
		return;
	}
	q = xasprintf("Running guest%s %s use%s network %s; %s lose%s it. Delete it anyway?",
	              several(nd->running) ? "s" : "", nd->running,
	              several(nd->running) ? "" : "s", nd->net,
	              several(nd->running) ? "their NICs" : "its NIC",
	              several(nd->running) ? "" : "s");
	app_ask(a, q, force_yes);
	free(q);
}

static int
del_key(struct app *a, enum cmd c, int key)
{
	(void)key;
	if (nd == NULL)
		return 0;
	if (c == CMD_APPLY) {
		submit(a);
		return REDRAW_BODY;
	}
	if (c == CMD_BACK)
		app_status(a, MSG_INFO, "Not deleted.");
	return 0;
}

static int
del_text(struct app *a, wint_t wc, bool is_key)
{
	enum le_result r;

	if (nd == NULL)
		return HANDLED;
	r = lineedit_key(&nd->typed, wc, is_key);
	if (r == LE_ENTER)
		return command_dispatch(a, CMD_APPLY, 0);
	if (r == LE_CANCEL)
		return command_dispatch(a, CMD_BACK, 0);
	return REDRAW_BODY;
}

void
netdelete_open(struct app *a, const char *net, const char *running)
{
	del_leave(a);
	nd = xcalloc(1, sizeof *nd);
	nd->net = xstrdup(net);
	nd->running = running ? xstrdup(running) : NULL;
	app_push_view(a, &netdelete_ops);
}

const struct view_ops netdelete_ops = {
	.name = "delete network",
	.reports = true,
	.keyview = KV_FORM,
	.tall = true,
	.leave = del_leave,
	.draw = del_draw,
	.key = del_key,
	.text = del_text,
};
