/* hwchange.c — a hardware change described, then applied step by step. */
#include "hwchange.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/xmalloc.h"
#include "../defs/textdiff.h"
#include "../host/lvutil.h"

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void
hw_change_add(struct hw_change *c, enum hw_step_kind kind, const char *xml, unsigned flags,
              const char *pool, const char *vol, const char *virsh)
{
	struct hw_step *s;

	c->steps = xreallocarray(c->steps, c->nsteps + 1, sizeof *c->steps);
	s = &c->steps[c->nsteps++];
	s->kind = kind;
	s->xml = dup_or_null(xml);
	s->flags = flags;
	s->pool = dup_or_null(pool);
	s->vol = dup_or_null(vol);
	s->virsh = dup_or_null(virsh);
}

static char *
diff_or_null(const char *before, const char *after, const char *name)
{
	char a[64], b[64], *d;

	if (before == NULL && after == NULL)
		return NULL;
	snprintf(a, sizeof a, "%s (now)", name);
	snprintf(b, sizeof b, "%s (after)", name);
	d = textdiff_unified(before, after, a, b, 3);
	if (*d == '\0') {
		free(d);
		return NULL;
	}
	return d;
}

void
hw_change_diffs(struct hw_change *c, const char *live_before, const char *live_after,
                const char *saved_before, const char *saved_after)
{
	free(c->diff_live);
	free(c->diff_saved);
	c->diff_live = diff_or_null(live_before, live_after, "running");
	c->diff_saved = diff_or_null(saved_before, saved_after, "saved");
}

const char *
hw_when_text(unsigned when)
{
	switch (when & (HW_LIVE | HW_CONFIG)) {
	case HW_LIVE:
		return "now";
	case HW_CONFIG:
		return "at the next boot";
	case HW_LIVE | HW_CONFIG:
		return "now and at the next boot";
	default:
		return "never";
	}
}

char *
hw_change_virsh(const struct hw_change *c)
{
	size_t i, len = 1;
	char *s, *p;

	for (i = 0; i < c->nsteps; i++)
		if (c->steps[i].virsh)
			len += strlen(c->steps[i].virsh) + 1;
	p = s = xcalloc(len, 1);
	for (i = 0; i < c->nsteps; i++)
		if (c->steps[i].virsh)
			p += sprintf(p, "%s\n", c->steps[i].virsh);
	return s;
}

static const char *
step_name(enum hw_step_kind k)
{
	switch (k) {
	case HW_VOL_CREATE:
		return "creating the volume";
	case HW_ATTACH:
		return "attaching the device";
	case HW_DETACH:
		return "detaching the device";
	case HW_UPDATE:
		return "updating the device";
	case HW_DEFINE:
		return "saving the configuration";
	case HW_VOL_DELETE:
		return "deleting the volume";
	}
	return "?";
}

static int
one(virDomainPtr d, const struct hw_step *s)
{
	virConnectPtr conn = virDomainGetConnect(d);
	virStoragePoolPtr pool = NULL;
	virStorageVolPtr vol = NULL;
	virDomainPtr nd;
	int rc = -1;

	switch (s->kind) {
	case HW_ATTACH:
		return virDomainAttachDeviceFlags(d, s->xml, s->flags);
	case HW_DETACH:
		return virDomainDetachDeviceFlags(d, s->xml, s->flags);
	case HW_UPDATE:
		return virDomainUpdateDeviceFlags(d, s->xml, s->flags);
	case HW_DEFINE:
		nd = virDomainDefineXMLFlags(conn, s->xml, VIR_DOMAIN_DEFINE_VALIDATE);
		if (nd == NULL)
			return -1;
		virDomainFree(nd);
		return 0;
	case HW_VOL_CREATE:
	case HW_VOL_DELETE:
		pool = virStoragePoolLookupByName(conn, s->pool ? s->pool : "");
		if (pool == NULL)
			return -1;
		if (s->kind == HW_VOL_CREATE) {
			vol = virStorageVolCreateXML(pool, s->xml, 0);
			rc = vol ? 0 : -1;
		} else {
			vol = virStorageVolLookupByName(pool, s->vol ? s->vol : "");
			rc = vol ? virStorageVolDelete(vol, 0) : -1;
		}
		if (vol)
			virStorageVolFree(vol);
		virStoragePoolFree(pool);
		return rc;
	}
	return -1;
}

int
hw_change_apply(virDomainPtr d, const struct hw_change *c, size_t *done, char **err)
{
	size_t i;

	if (done)
		*done = 0;
	*err = NULL;
	for (i = 0; i < c->nsteps; i++) {
		if (one(d, &c->steps[i]) < 0) {
			char *why = lv_err_line();
			size_t n = strlen(why) + 96;
			*err = xcalloc(n, 1);
			if (c->nsteps > 1)
				snprintf(*err, n, "step %zu of %zu, %s, failed: %s", i + 1, c->nsteps,
				         step_name(c->steps[i].kind), why);
			else
				snprintf(*err, n, "%s failed: %s", step_name(c->steps[i].kind), why);
			free(why);
			return -1;
		}
		if (done)
			*done = i + 1;
	}
	return 0;
}

void
hw_change_free(struct hw_change *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nsteps; i++) {
		free(c->steps[i].xml);
		free(c->steps[i].pool);
		free(c->steps[i].vol);
		free(c->steps[i].virsh);
	}
	free(c->steps);
	free(c->what);
	free(c->diff_live);
	free(c->diff_saved);
	memset(c, 0, sizeof *c);
}
