/* tagmeta.c — tags and note in a domain's <metadata>, read, written and
 * edited through libvirt (see tagmeta.h). */
#include "tagmeta.h"

#include <stdlib.h>
#include <string.h>
#include <libvirt/virterror.h>

#include "../base/msglog.h"
#include "../base/xmalloc.h"

static char *
lv_why(void)
{
	const char *m = virGetLastErrorMessage();

	return xstrdup(m ? m : "unknown error");
}

int
tagmeta_read(virDomainPtr dom, struct tagset *ts, char **err)
{
	char *xml, *why = NULL;
	int rc;

	memset(ts, 0, sizeof *ts);
	xml = virDomainGetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, TAGXML_NS,
	                           VIR_DOMAIN_AFFECT_CURRENT);
	if (xml == NULL) {
		if (virGetLastErrorCode() == VIR_ERR_NO_DOMAIN_METADATA)
			return 0;
		why = lv_why();
		*err = xasprintf("cannot read the tags of %s: %s", virDomainGetName(dom), why);
		free(why);
		return -1;
	}
	rc = tagxml_parse(xml, ts, err);
	free(xml);
	return rc;
}

/* Which definitions a write reaches now: 0 when the state is unknown. */
static unsigned
write_flags(virDomainPtr dom)
{
	int active = virDomainIsActive(dom), persistent = virDomainIsPersistent(dom);
	unsigned f = 0;

	if (active < 0 || persistent < 0)
		return 0;
	if (active == 1)
		f |= VIR_DOMAIN_AFFECT_LIVE;
	if (persistent == 1)
		f |= VIR_DOMAIN_AFFECT_CONFIG;
	return f;
}

int
tagmeta_write(virDomainPtr dom, const struct tagset *ts, bool *live, bool *config,
              char **err)
{
	char *xml = tagxml_make(ts), *why;
	unsigned f = 0;
	int tries, rc = -1;

	if (xml == NULL && !tagset_empty(ts)) {
		*err = xasprintf("cannot write the tags of %s as XML.", virDomainGetName(dom));
		return -1;
	}
	/* The guest may start or stop between reading its state and the
	 * write, which then fails for the definition gone: ask again once. */
	for (tries = 0; tries < 2 && rc < 0; tries++) {
		if ((f = write_flags(dom)) == 0)
			break;
		rc = virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, xml,
		                          xml ? TAGXML_PREFIX : NULL, TAGXML_NS, f);
	}
	free(xml);
	if (rc < 0) {
		why = lv_why();
		*err = xasprintf("cannot write the tags of %s: %s", virDomainGetName(dom), why);
		free(why);
		return -1;
	}
	if (live)
		*live = f & VIR_DOMAIN_AFFECT_LIVE;
	if (config)
		*config = f & VIR_DOMAIN_AFFECT_CONFIG;
	return 0;
}

char *
tagmeta_virsh(const char *uri, const char *name, const struct tagset *ts, bool live,
              bool config)
{
	char *xml = tagxml_make(ts), *out;
	const char *l = live ? "--live" : NULL, *c = config ? "--config" : NULL;

	/* msglog_virsh stops at the first NULL: the flags go last. */
	if (l == NULL) {
		l = c;
		c = NULL;
	}
	if (xml != NULL)
		out = msglog_virsh(uri, "metadata", name, "--uri", TAGXML_NS, "--key", TAGXML_PREFIX,
		                   "--set", xml, l, c, NULL);
	else
		out = msglog_virsh(uri, "metadata", name, "--uri", TAGXML_NS, "--remove", l, c,
		                   NULL);
	free(xml);
	return out;
}

char *
tag_edit_check(const struct tag_edit *e)
{
	size_t i;
	char *why;

	for (i = 0; i < e->nadd; i++)
		if ((why = tag_check(e->add[i])) != NULL)
			return why;
	for (i = 0; i < e->ndel; i++)
		if ((why = tag_check(e->del[i])) != NULL)
			return why;
	if (e->set_note && e->note != NULL)
		return note_check(e->note);
	return NULL;
}

void
tag_edit_free(struct tag_edit *e)
{
	if (e == NULL)
		return;
	xfree_strv(e->add, e->nadd);
	xfree_strv(e->del, e->ndel);
	free(e->note);
	free(e);
}

void
tag_edit_apply(const struct tag_edit *e, struct tagset *ts)
{
	size_t i;

	if (e->clear_tags)
		while (ts->ntags > 0)
			tagset_remove(ts, ts->tags[ts->ntags - 1]);
	for (i = 0; i < e->ndel; i++)
		tagset_remove(ts, e->del[i]);
	for (i = 0; i < e->nadd; i++)
		tagset_add(ts, e->add[i]);
	if (e->set_note)
		tagset_set_note(ts, e->note);
}

int
tagmeta_edit(virDomainPtr dom, const struct tag_edit *e, const char *uri,
             struct tagset *after, char **virsh, char **err)
{
	struct tagset before, now;
	bool live = false, config = false;
	int rc = 0;

	if (virsh)
		*virsh = NULL;
	if (after)
		memset(after, 0, sizeof *after);
	if ((*err = tag_edit_check(e)) != NULL)
		return -1;
	if (tagmeta_read(dom, &before, err) < 0)
		return -1;
	tagset_copy(&now, &before);
	tag_edit_apply(e, &now);
	if (now.ntags > TAGS_MAX) {
		*err = xasprintf("%s would carry %zu tags; at most %d fit.", virDomainGetName(dom),
		                 now.ntags, TAGS_MAX);
		rc = -1;
	} else if (!tagset_equal(&before, &now)) {
		if (tagmeta_write(dom, &now, &live, &config, err) < 0)
			rc = -1;
		else
			rc = 1;
		if (rc == 1 && virsh)
			*virsh = tagmeta_virsh(uri, virDomainGetName(dom), &now, live, config);
	}
	if (rc >= 0 && after)
		*after = now;
	else
		tagset_free(&now);
	tagset_free(&before);
	return rc;
}

char *
tagmeta_describe(const char *name, const struct tagset *ts)
{
	char *tags = tagset_join(ts, ", "), *out;

	out = xasprintf("%s: %s%s%s.", name, ts->ntags == 0 ? "no tags" : ts->ntags == 1 ?
	                "tag " : "tags ", tags, ts->note ? "; a note" : "; no note");
	free(tags);
	return out;
}
