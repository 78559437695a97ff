/* tagbulk.c — tags and notes of many guests as a bulk run (see tagbulk.h). */
#include "tagbulk.h"

#include <stdlib.h>
#include <string.h>

#include "../base/xmalloc.h"

static char **
copy_strv(char *const *v, size_t n)
{
	char **out = n ? xcalloc(n, sizeof *out) : NULL;
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = xstrdup(v[i]);
	return out;
}

struct tag_edit *
tagbulk_edit_new(char *const *add, size_t nadd, char *const *del, size_t ndel)
{
	struct tag_edit *e = xcalloc(1, sizeof *e);

	e->add = copy_strv(add, nadd);
	e->nadd = nadd;
	e->del = copy_strv(del, ndel);
	e->ndel = ndel;
	return e;
}

void
tagbulk_free_arg(void *arg)
{
	tag_edit_free(arg);
}

enum bulk_status
tagbulk_fn(struct bulk_ctx *ctx, void *arg, char **msg, char **virsh)
{
	const struct tag_edit *e = arg;
	const struct bulk_item *it = bulk_ctx_item(ctx);
	const struct bulk_host *bh = bulk_ctx_host(ctx);
	virDomainPtr dom;
	struct tagset after;
	char *err = NULL, *desc;
	int rc;

	*virsh = NULL;
	dom = virDomainLookupByUUIDString(bulk_ctx_conn(ctx), it->uuid);
	if (dom == NULL) {
		*msg = xasprintf("%s is gone from %s.", it->name, bh->label);
		return BULK_FAILED;
	}
	bulk_step(ctx, "tagging");
	rc = tagmeta_edit(dom, e, bh->virsh_uri, &after, virsh, &err);
	virDomainFree(dom);
	if (rc < 0) {
		*msg = err;
		return BULK_FAILED;
	}
	desc = tagmeta_describe(it->name, &after);
	tagset_free(&after);
	if (rc == 0) {
		*msg = xasprintf("Nothing to change: %s", desc);
		free(desc);
		return BULK_SKIPPED;
	}
	*msg = desc;
	return BULK_OK;
}
