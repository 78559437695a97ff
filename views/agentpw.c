/* agentpw.c — ^P on a running guest: set a user's password inside it
 * through its guest agent (virDomainSetUserPassword). Three footer
 * prompts: the user (default root), the password and the same again,
 * neither drawn while typed; the passwords are wiped once used. The
 * change runs on the host's worker (model/guest/agent.h) and its outcome
 * goes to the status line and the action log. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/guest/agent.h"
#include "views.h"

static struct {
	struct host *h;
	char uuid[VM_UUID_LEN];
	char name[256];
	char user[128];
	char first[512];
} S;

static void
forget(void)
{
	memset(S.first, 0, sizeof S.first);
	memset(&S, 0, sizeof S);
}

static void
got_again(struct app *a, const char *pw)
{
	if (strcmp(pw, S.first) != 0)
		app_status(a, MSG_ERROR, "The two passwords differ; the password of %s in %s is "
		           "unchanged.", S.user, S.name);
	else if (S.h != NULL) {
		agent_password_request(S.h, S.uuid, S.name, S.user, S.first);
		app_status(a, MSG_INFO, "Setting the password of %s in %s...", S.user, S.name);
	}
	forget();
}

static void
got_password(struct app *a, const char *pw)
{
	if (!*pw) {
		app_status(a, MSG_ERROR, "An empty password is not set; nothing was changed.");
		forget();
		return;
	}
	snprintf(S.first, sizeof S.first, "%s", pw);
	app_prompt_secret(a, "Again: ", got_again);
}

static void
got_user(struct app *a, const char *user)
{
	char label[32];

	if (!*user || strchr(user, ' ') || strchr(user, ':')) {
		app_status(a, MSG_ERROR, "\"%s\" is no user name; nothing was changed.", user);
		forget();
		return;
	}
	snprintf(S.user, sizeof S.user, "%s", user);
	snprintf(label, sizeof label, "Password of %.16s: ", S.user);
	app_prompt_secret(a, label, got_password);
}

int
agentpw_open(struct app *a, const struct sel_guest *g)
{
	const char *u = getenv("VMTUI_SSH_USER"); /* the guest's ssh_user needs libvirt */

	if (!vm_state_active(g->state)) {
		app_status(a, MSG_ERROR, "%s is %s: its guest agent sets passwords only while it runs.",
		           g->name, vm_state_name(g->state));
		return HANDLED;
	}
	forget();
	S.h = g->host;
	snprintf(S.uuid, sizeof S.uuid, "%s", g->uuid);
	snprintf(S.name, sizeof S.name, "%s", g->name);
	app_prompt_text(a, "User: ", u && *u ? u : "root", got_user);
	return HANDLED;
}
