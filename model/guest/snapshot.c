/* snapshot.c — a guest's snapshots: the XML vmtui writes and reads (pure),
 * the libvirt calls, and the TUI's job that runs them on a host's worker. */
#include "snapshot.h"
#include "agent.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libvirt/virterror.h>
#include <libxml/parser.h>
#include <libxml/xmlwriter.h>
#include <libxml/xpath.h>

#include "../base/msglog.h"
#include "../base/notify.h"
#include "../base/xmalloc.h"
#include "../defs/snapcheck.h"
#include "../defs/xpath.h"
#include "../host/lvutil.h"

/* ---- XML (pure) ---- */

char *
snapshot_xml(const char *name, const char *desc)
{
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
	char *out = NULL;

	if (w && xmlTextWriterStartElement(w, BAD_CAST "domainsnapshot") >= 0 &&
	    xmlTextWriterWriteElement(w, BAD_CAST "name", BAD_CAST name) >= 0 &&
	    (desc == NULL || desc[0] == '\0' ||
	     xmlTextWriterWriteElement(w, BAD_CAST "description", BAD_CAST desc) >= 0) &&
	    xmlTextWriterEndElement(w) >= 0 && xmlTextWriterFlush(w) >= 0)
		out = xstrdup((const char *)xmlBufferContent(buf));
	if (w)
		xmlFreeTextWriter(w);
	if (buf)
		xmlBufferFree(buf);
	return out;
}

int
snapshot_parse(const char *xml, struct snapshot *s)
{
	xmlDocPtr doc = xml_read_quiet(xml, "snapshot.xml");
	xmlXPathContextPtr ctx;
	char *t;

	memset(s, 0, sizeof *s);
	if (doc == NULL)
		return -1;
	ctx = xmlXPathNewContext(doc);
	s->name = xpath_str(ctx, "string(/domainsnapshot/name)");
	s->description = xpath_str(ctx, "string(/domainsnapshot/description)");
	s->state = xpath_str(ctx, "string(/domainsnapshot/state)");
	s->parent = xpath_str(ctx, "string(/domainsnapshot/parent/name)");
	t = xpath_str(ctx, "string(/domainsnapshot/creationTime)");
	s->created = t ? strtoll(t, NULL, 10) : 0;
	free(t);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	if (s->name == NULL) {
		free(s->description);
		free(s->state);
		free(s->parent);
		memset(s, 0, sizeof *s);
		return -1;
	}
	s->no_revert = snapcheck_revert(xml);
	return 0;
}

char *
snapshot_name_check(const char *name)
{
	const unsigned char *p;

	if (name == NULL || name[0] == '\0')
		return xstrdup("A snapshot needs a name.");
	if (strlen(name) > SNAPSHOT_NAME_MAX)
		return xasprintf("The name is %zu bytes long; keep it to %d.", strlen(name),
		                 SNAPSHOT_NAME_MAX);
	if (strchr(name, '/'))
		return xasprintf("\"%s\": a snapshot name cannot contain \"/\".", name);
	if (name[0] == '.' || name[0] == '-')
		return xasprintf("\"%s\": a snapshot name cannot start with \"%c\".", name, name[0]);
	for (p = (const unsigned char *)name; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return xstrdup("A snapshot name cannot contain control characters.");
	return NULL;
}

void
snapshot_default_name(char *buf, size_t n, time_t t)
{
	struct tm tm;

	localtime_r(&t, &tm);
	if (strftime(buf, n, "snap-%Y%m%d-%H%M%S", &tm) == 0 && n)
		buf[0] = '\0';
}

const char *
snapshot_revert_outcome(const char *state)
{
	if (state && (strcmp(state, "running") == 0 || strcmp(state, "blocked") == 0))
		return "running";
	if (state && (strcmp(state, "paused") == 0 || strcmp(state, "pmsuspended") == 0))
		return "paused";
	return "shut off";
}

char *
snapshot_disks_check(const char *domain_xml, const char *vm)
{
	xmlDocPtr doc = xml_read_quiet(domain_xml, "domain.xml");
	xmlXPathContextPtr ctx;
	xmlXPathObjectPtr o;
	char *why = NULL;
	int i;

	if (doc == NULL)
		return xasprintf("Cannot read the definition of %s.", vm);
	ctx = xmlXPathNewContext(doc);
	o = xmlXPathEvalExpression(BAD_CAST "/domain/devices/disk[@device='disk' or not(@device)]"
	                                    "[not(readonly)][source]", ctx);
	for (i = 0; o && o->nodesetval && i < o->nodesetval->nodeNr && !why; i++) {
		char *fmt, *target, *src;
		ctx->node = o->nodesetval->nodeTab[i];
		fmt = xpath_str(ctx, "string(driver/@type)");
		if (fmt && strcmp(fmt, "qcow2") != 0) {
			target = xpath_str(ctx, "string(target/@dev)");
			src = xpath_str(ctx, "string(source/@file|source/@dev|source/@volume|source/@name)");
			why = xasprintf("%s: disk %s (%s) is a %s image; internal snapshots need qcow2 "
			                "disks. Convert it while %s is shut off (qemu-img convert -O "
			                "qcow2) or use virsh snapshot-create-as --disk-only.",
			                vm, target ? target : "?", src ? src : "no source", fmt, vm);
			free(target);
			free(src);
		}
		free(fmt);
	}
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return why;
}

/* Free what one snapshot_parse'd entry owns. */
static void
snapshot_clear(struct snapshot *s)
{
	free(s->name);
	free(s->description);
	free(s->state);
	free(s->parent);
	free(s->no_revert);
	memset(s, 0, sizeof *s);
}

void
snapshot_list_free(struct snapshot_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		snapshot_clear(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* ---- libvirt ---- */

static int
by_time(const void *a, const void *b)
{
	const struct snapshot *x = a, *y = b;

	if (x->created != y->created)
		return x->created < y->created ? -1 : 1;
	return strcmp(x->name, y->name);
}

int
snapshot_list_read(virDomainPtr dom, struct snapshot_list *l, char **err)
{
	virDomainSnapshotPtr *snaps = NULL;
	int n = virDomainListAllSnapshots(dom, &snaps, 0), i;
	char *e;

	memset(l, 0, sizeof *l);
	if (n < 0) {
		e = lv_err_line();
		*err = xasprintf("Cannot list the snapshots of %s: %s.", virDomainGetName(dom), e);
		free(e);
		return -1;
	}
	l->v = xcalloc(n ? (size_t)n : 1, sizeof *l->v);
	for (i = 0; i < n; i++) {
		char *xml = virDomainSnapshotGetXMLDesc(snaps[i], 0);
		if (xml && snapshot_parse(xml, &l->v[l->n]) == 0)
			l->v[l->n++].current = virDomainSnapshotIsCurrent(snaps[i], 0) == 1;
		free(xml);
		virDomainSnapshotFree(snaps[i]);
	}
	free(snaps);
	if (l->n > 1)
		qsort(l->v, l->n, sizeof *l->v, by_time);
	return 0;
}

char *
snapshot_create_warning(virDomainPtr dom)
{
	char *live, *cfg, *w = NULL;

	if (virDomainIsActive(dom) != 1)
		return NULL;
	live = virDomainGetXMLDesc(dom, 0);
	cfg = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE);
	if (live && cfg)
		w = snapcheck_create_warning(live, cfg, virDomainGetName(dom));
	free(live);
	free(cfg);
	return w;
}

/* What was made, for snapshot_create; promises a state back only when
 * libvirt can revert to the new snapshot. */
static char *
created_what(virDomainSnapshotPtr snap, const char *vm, int st)
{
	char *xml = virDomainSnapshotGetXMLDesc(snap, 0), *no = xml ? snapcheck_revert(xml) : NULL;
	bool mem = st == VIR_DOMAIN_RUNNING || st == VIR_DOMAIN_PAUSED || st == VIR_DOMAIN_BLOCKED;
	char *what;

	if (mem && no)
		what = xstrdup("disks and memory state (libvirt cannot revert to it; see the warning)");
	else if (mem)
		what = xasprintf("disks and memory state (a revert brings %s back %s)", vm,
		                 st == VIR_DOMAIN_PAUSED ? "paused" : "running");
	else
		what = xasprintf("disks of the shut-off guest (a revert leaves %s shut off)", vm);
	free(xml);
	free(no);
	return what;
}

static bool
mem_state(int st)
{
	return st == VIR_DOMAIN_RUNNING || st == VIR_DOMAIN_BLOCKED;
}

/* Does dom's live XML say its agent channel is connected? */
static bool
snapshot_agent_connected(virDomainPtr dom)
{
	char *xml = virDomainGetXMLDesc(dom, 0);
	bool ok = xml && agent_channel_state(xml) == AGENT_OK;

	free(xml);
	return ok;
}

char *
snapshot_quiesce_note(virDomainPtr dom)
{
	struct agent_result r = { 0 };
	char *note;

	if (virDomainIsActive(dom) != 1)
		return NULL;
	agent_lookup(virDomainGetConnect(dom), dom, false, &r);
	if (r.status == AGENT_OK)
		note = xstrdup("Quiesced: the guest agent freezes the filesystems while the snapshot "
		               "is taken, and thaws them after.");
	else
		note = xasprintf("Not quiesced: %s; the disks are caught as they are.",
		                 agent_status_text(r.status));
	agent_result_clear(&r);
	return note;
}

int
snapshot_create(virDomainPtr dom, const char *name, const char *desc, char **what,
                char **warning, char **err)
{
	const char *vm = virDomainGetName(dom);
	char *why = snapshot_name_check(name), *xml = NULL, *e, *ferr = NULL, *terr = NULL;
	virDomainSnapshotPtr snap = NULL;
	int st = VIR_DOMAIN_NOSTATE, reason;
	bool frozen, chan;

	*what = NULL;
	*warning = NULL;
	if (why) {
		*err = why;
		return -1;
	}
	if ((snap = virDomainSnapshotLookupByName(dom, name, 0)) != NULL) {
		virDomainSnapshotFree(snap);
		*err = xasprintf("%s already has a snapshot \"%s\"; pick another name.", vm, name);
		return -1;
	}
	virResetLastError();
	if ((xml = virDomainGetXMLDesc(dom, 0)) == NULL ||
	    (why = snapshot_disks_check(xml, vm)) != NULL) {
		free(xml);
		*err = why ? why : xasprintf("Cannot read the definition of %s.", vm);
		return -1;
	}
	free(xml);
	virDomainGetState(dom, &st, &reason, 0);
	*warning = snapshot_create_warning(dom);
	if ((xml = snapshot_xml(name, desc)) == NULL) {
		*err = xstrdup("The snapshot XML cannot be written.");
		free(*warning);
		*warning = NULL;
		return -1;
	}
	/* A running guest whose agent answers: its filesystems frozen for
	 * the snapshot and thawed after, so the disks hold a clean state. */
	chan = mem_state(st) && snapshot_agent_connected(dom);
	frozen = chan && agent_freeze(dom, &ferr) >= 0;
	snap = virDomainSnapshotCreateXML(dom, xml, VIR_DOMAIN_SNAPSHOT_CREATE_ATOMIC);
	free(xml);
	e = snap == NULL ? lv_err_line() : NULL; /* before the thaw resets it */
	if (frozen && agent_thaw(dom, &terr) < 0)
		msglog_add(MSG_ERROR, "%s: thawing the filesystems through the guest agent failed: %s",
		           vm, terr);
	if (snap == NULL) {
		*err = xasprintf("Cannot snapshot %s: %s.", vm, e);
		free(e);
		free(ferr);
		free(terr);
		free(*warning);
		*warning = NULL;
		return -1;
	}
	*what = created_what(snap, vm, st);
	if (chan) {
		char *q = frozen ? xasprintf("%s; quiesced: filesystems frozen through the guest agent",
		                             *what)
		                 : xasprintf("%s; not quiesced (%s)", *what,
		                             ferr ? ferr : "no guest agent");
		free(*what);
		*what = q;
	}
	virDomainSnapshotFree(snap);
	free(ferr);
	free(terr);
	return 0;
}

/* The snapshot `name` of dom; NULL with *err set. */
static virDomainSnapshotPtr
snap_get(virDomainPtr dom, const char *name, char **err)
{
	virDomainSnapshotPtr s = virDomainSnapshotLookupByName(dom, name, 0);

	if (s == NULL)
		*err = xasprintf("%s has no snapshot \"%s\" (any more).", virDomainGetName(dom), name);
	return s;
}

/* Read snapshot s into info; -1 when libvirt gives no usable XML. */
static int
snap_info(virDomainSnapshotPtr s, struct snapshot *info)
{
	char *xml = virDomainSnapshotGetXMLDesc(s, 0);
	int rc = xml ? snapshot_parse(xml, info) : -1;

	free(xml);
	return rc;
}

int
snapshot_revert_check(virDomainPtr dom, const char *name, char **err)
{
	virDomainSnapshotPtr s = snap_get(dom, name, err);
	struct snapshot info;
	int rc = 0;

	if (s == NULL)
		return -1;
	if (snap_info(s, &info) == 0) {
		if (info.no_revert) {
			*err = info.no_revert;
			info.no_revert = NULL;
			rc = -1;
		}
		snapshot_clear(&info);
	}
	virDomainSnapshotFree(s);
	return rc;
}

int
snapshot_revert(virDomainPtr dom, const char *name, const char **after, char **err)
{
	virDomainSnapshotPtr s;
	struct snapshot info;
	int rc, st = VIR_DOMAIN_NOSTATE, reason;
	char *e;

	*after = "shut off";
	if (snapshot_revert_check(dom, name, err) < 0 || (s = snap_get(dom, name, err)) == NULL)
		return -1;
	if (snap_info(s, &info) == 0) {
		*after = snapshot_revert_outcome(info.state);
		snapshot_clear(&info);
	}
	rc = virDomainRevertToSnapshot(s, 0);
	if (rc < 0) {
		e = lv_err_line();
		if (virDomainGetState(dom, &st, &reason, 0) < 0)
			st = VIR_DOMAIN_NOSTATE;
		*err = xasprintf("Cannot revert %s to \"%s\": %s. %s is %s now.",
		                 virDomainGetName(dom), name, e, virDomainGetName(dom),
		                 vm_state_name((enum vm_state)st));
		free(e);
	}
	virDomainSnapshotFree(s);
	return rc < 0 ? -1 : 0;
}

int
snapshot_delete(virDomainPtr dom, const char *name, char **err)
{
	virDomainSnapshotPtr s = snap_get(dom, name, err);
	char *e;
	int rc;

	if (s == NULL)
		return -1;
	rc = virDomainSnapshotDelete(s, 0);
	if (rc < 0) {
		e = lv_err_line();
		*err = xasprintf("Cannot delete snapshot \"%s\" of %s: %s.", name,
		                 virDomainGetName(dom), e);
		free(e);
	}
	virDomainSnapshotFree(s);
	return rc < 0 ? -1 : 0;
}

char *
snapshot_virsh_create(const char *uri, const char *vm, const char *name, const char *desc)
{
	if (desc && desc[0])
		return msglog_virsh(uri, "snapshot-create-as", vm, name, "--description", desc,
		                    "--atomic", NULL);
	return msglog_virsh(uri, "snapshot-create-as", vm, name, "--atomic", NULL);
}

char *
snapshot_virsh_revert(const char *uri, const char *vm, const char *name)
{
	return msglog_virsh(uri, "snapshot-revert", vm, name, NULL);
}

char *
snapshot_virsh_delete(const char *uri, const char *vm, const char *name)
{
	return msglog_virsh(uri, "snapshot-delete", vm, name, NULL);
}

/* ---- the TUI's job ---- */

struct snap_call {
	struct snap_job *job;
	enum snap_op op;
	char *name, *desc;
};

/* What was read with a list: the guest's state and snapshot_create_warning. */
struct snap_read {
	char *state, *warning, *quiesce;
};

/* Hand a result to the view; list and rd (when list is not NULL) are
 * taken over. */
static void
publish(struct snap_job *j, struct snapshot_list *list, struct snap_read *rd, char *err,
        char *result)
{
	host_lock(j->host);
	if (list) {
		snapshot_list_free(&j->list);
		j->list = *list;
		j->reads++;
		free(j->vm_state);
		j->vm_state = rd->state;
		free(j->warning);
		j->warning = rd->warning;
		free(j->quiesce);
		j->quiesce = rd->quiesce;
	}
	free(j->error);
	j->error = err;
	if (result || err) {
		free(j->result);
		j->result = result;
	}
	j->busy = false;
	host_publish_unlock(j->host);
}

/* Run one operation; returns its error, or NULL with *result set. */
static char *
run_op(struct host *h, virDomainPtr dom, const struct snap_call *c, char **result)
{
	const char *vm = virDomainGetName(dom), *after = NULL;
	char *err = NULL, *what = NULL, *warning = NULL, *uri = host_virsh_uri(h), *virsh = NULL;
	int rc = 0;

	switch (c->op) {
	case SNAP_CREATE:
		virsh = snapshot_virsh_create(uri, vm, c->name, c->desc);
		rc = snapshot_create(dom, c->name, c->desc, &what, &warning, &err);
		msglog_action(virsh, rc < 0 ? err : NULL, "%s: create snapshot %s", vm, c->name);
		if (rc == 0)
			*result = xasprintf("Snapshot \"%s\" of %s created: %s.%s%s", c->name, vm, what,
			                    warning ? " Warning: " : "", warning ? warning : "");
		break;
	case SNAP_REVERT:
		virsh = snapshot_virsh_revert(uri, vm, c->name);
		rc = snapshot_revert(dom, c->name, &after, &err);
		msglog_action(virsh, rc < 0 ? err : NULL, "%s: revert to snapshot %s", vm, c->name);
		if (rc == 0)
			*result = xasprintf("%s reverted to \"%s\"; it is %s now.", vm, c->name, after);
		break;
	case SNAP_DELETE:
		virsh = snapshot_virsh_delete(uri, vm, c->name);
		rc = snapshot_delete(dom, c->name, &err);
		msglog_action(virsh, rc < 0 ? err : NULL, "%s: delete snapshot %s", vm, c->name);
		if (rc == 0)
			*result = xasprintf("Snapshot \"%s\" of %s deleted.", c->name, vm);
		break;
	default:
		break;
	}
	free(what);
	free(warning);
	free(virsh);
	free(uri);
	return err;
}

static void
job_work(struct host *h, virConnectPtr conn, void *arg)
{
	struct snap_call *c = arg;
	struct snap_job *j = c->job;
	struct snapshot_list l;
	struct snap_read rd;
	virDomainPtr dom = NULL;
	char *err = NULL, *result = NULL, *lerr = NULL;
	int st = VIR_DOMAIN_NOSTATE, reason;

	if (conn == NULL) {
		publish(j, NULL, NULL, host_not_connected(h), NULL);
		goto cleanup;
	}
	if ((dom = lv_domain_lookup(conn, j->uuid, &err)) == NULL) {
		publish(j, NULL, NULL, err, NULL);
		goto cleanup;
	}
	if (c->op != SNAP_READ)
		err = run_op(h, dom, c, &result);
	if (result)
		msglog_add(MSG_INFO, "%s", result);
	if (snapshot_list_read(dom, &l, &lerr) < 0) {
		if (err == NULL)
			err = lerr;
		else
			free(lerr);
		publish(j, NULL, NULL, err, result);
		goto cleanup;
	}
	if (virDomainGetState(dom, &st, &reason, 0) < 0)
		st = VIR_DOMAIN_NOSTATE;
	rd.state = xstrdup(vm_state_name((enum vm_state)st));
	rd.warning = snapshot_create_warning(dom);
	rd.quiesce = snapshot_quiesce_note(dom);
	publish(j, &l, &rd, err, result);

cleanup:
	if (dom)
		virDomainFree(dom);
	free(c->name);
	free(c->desc);
	free(c);
	snap_job_release(j);
}

void
snap_job_run(struct snap_job *j, enum snap_op op, const char *name, const char *desc)
{
	struct snap_call *c = xcalloc(1, sizeof *c);

	c->job = j;
	c->op = op;
	c->name = name ? xstrdup(name) : NULL;
	c->desc = desc && desc[0] ? xstrdup(desc) : NULL;
	host_lock(j->host);
	j->refs++;
	j->busy = true;
	if (op != SNAP_READ) {
		free(j->error);
		j->error = NULL;
		free(j->result);
		j->result = NULL;
	}
	host_unlock(j->host);
	host_call(j->host, job_work, c);
}

void
snap_job_refuse(struct snap_job *j, const char *why)
{
	msglog_add(MSG_ERROR, "%s", why);
	host_lock(j->host);
	free(j->error);
	j->error = xstrdup(why);
	free(j->result);
	j->result = NULL;
	host_publish_unlock(j->host);
}

struct snap_job *
snap_job_new(struct host *h, const char *uuid, const char *vm)
{
	struct snap_job *j = xcalloc(1, sizeof *j);

	j->host = h;
	snprintf(j->uuid, sizeof j->uuid, "%s", uuid);
	j->vm = xstrdup(vm);
	j->refs = 1;
	snap_job_run(j, SNAP_READ, NULL, NULL);
	return j;
}

void
snap_job_release(struct snap_job *j)
{
	if (j == NULL || !host_unref(j->host, &j->refs))
		return;
	snapshot_list_free(&j->list);
	free(j->vm);
	free(j->vm_state);
	free(j->warning);
	free(j->quiesce);
	free(j->error);
	free(j->result);
	free(j);
}
