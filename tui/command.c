/* command.c — the dispatcher: a command's needs checked in one place, one
 * wording per refusal, then the view on top and the command's row. */
#include "command.h"

#include <stddef.h>

#include "app.h"

static const struct ui *cur_ui;
static const struct command no_row = { .name = "none", .help = "" };

void
ui_set(const struct ui *u)
{
	cur_ui = u;
}

const struct ui *
ui_get(void)
{
	return cur_ui;
}

const struct command *
command_row(enum cmd c)
{
	if (cur_ui == NULL || c <= CMD_NONE || (size_t)c >= cur_ui->ncommands ||
	    cur_ui->commands[c].name == NULL)
		return &no_row;
	return &cur_ui->commands[c];
}

size_t
command_count(void)
{
	return cur_ui ? cur_ui->ncommands : CMD_COUNT;
}

/* "Cannot <verb>[ of] [<guest>]: <why>" in the status line. */
static int
refuse(struct app *a, const struct command *r, const char *guest, const char *why)
{
	const char *verb = r->verb ? r->verb : r->name;

	if (guest != NULL)
		app_status(a, MSG_ERROR, "Cannot %s%s %s: %s", verb, r->of ? " of" : "", guest, why);
	else
		app_status(a, MSG_ERROR, "Cannot %s: %s", verb, why);
	return HANDLED;
}

bool
command_refused_by_mode(const struct app *a, enum cmd c)
{
	const struct command *r = command_row(c);

	return ((r->needs & NEED_LIVE) && a->replay != NULL) ||
	       ((r->needs & NEED_WRITE) && a->readonly);
}

int
command_dispatch(struct app *a, enum cmd c, int key)
{
	const struct command *r = command_row(c);
	struct cmd_ctx x = { .cmd = c, .key = key };
	struct sel_guest g;
	int rc = 0;

	if (r->opens != NULL && a->view == r->opens && a->depth > 1) {
		app_pop_view(a);
		return HANDLED;
	}
	if ((r->needs & NEED_LIVE) && a->replay != NULL)
		return refuse(a, r, NULL, "replaying a recording.");
	if (r->needs & NEED_GUEST) {
		if (!app_selected_guest(a, &g))
			return HANDLED;
		x.guest = &g;
	}
	if ((r->needs & NEED_WRITE) && a->readonly)
		return refuse(a, r, x.guest ? g.name : NULL,
		              "vmtui runs read-only (-r); restart without -r to change guests.");
	if ((r->needs & NEED_HOST_UP) && x.guest != NULL && !g.host_up)
		return refuse(a, r, g.name, "its host is not connected.");
	if (a->view->key != NULL)
		rc = a->view->key(a, c, key);
	if (rc == 0 && r->run != NULL)
		rc = r->run(a, &x);
	return rc;
}
