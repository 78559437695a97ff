/* tagjob.c — one guest's tags and note changed on its host's worker for
 * the TUI (see tagjob.h). */
#include "tagjob.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/msglog.h"
#include "../base/notify.h"
#include "../base/xmalloc.h"

struct tagjob {
	char uuid[VM_UUID_LEN];
	char *name;
	struct tag_edit *e;
};

char *
tagjob_what(const char *name, const struct tagset *ts)
{
	char *tags = tagset_join(ts, ", "), *out;

	out = xasprintf("tag %s (%s; %s)", name, ts->ntags ? tags : "no tags",
	                ts->note ? "note set" : "no note");
	free(tags);
	return out;
}

/* On the worker (conn NULL: the host is not connected). */
static void
job(struct host *h, virConnectPtr conn, void *arg)
{
	struct tagjob *j = arg;
	struct tagset after = { 0 };
	virDomainPtr dom = NULL;
	char *err = NULL, *virsh = NULL, *uri, *what;
	int rc = -1;

	if (conn == NULL)
		err = host_not_connected(h);
	else if ((dom = virDomainLookupByUUIDString(conn, j->uuid)) == NULL)
		err = xasprintf("%s is gone from %s.", j->name, host_label(h));
	if (dom != NULL) {
		uri = host_virsh_uri(h);
		rc = tagmeta_edit(dom, j->e, uri, &after, &virsh, &err);
		free(uri);
		virDomainFree(dom);
	}
	if (rc >= 0) {
		struct vm *vm;
		host_lock(h);
		if ((vm = host_find_vm(h, j->uuid)) != NULL) {
			vm_set_meta(vm, after.tags, after.ntags, after.note);
			vm->meta_read = true;
		}
		h->generation++;
		host_unlock(h);
		notify_post();
	}
	what = rc >= 0 ? tagjob_what(j->name, &after) : xasprintf("tag %s", j->name);
	if (rc == 0)
		msglog_add(MSG_INFO, "%s: nothing to change", what);
	else
		msglog_action(virsh, err, "%s", what);
	free(what);
	free(err);
	free(virsh);
	tagset_free(&after);
	tag_edit_free(j->e);
	free(j->name);
	free(j);
}

void
tagjob_run(struct host *h, const char *uuid, const char *name, struct tag_edit *e)
{
	struct tagjob *j = xcalloc(1, sizeof *j);

	snprintf(j->uuid, sizeof j->uuid, "%s", uuid);
	j->name = xstrdup(name);
	j->e = e;
	host_call(h, job, j);
}
