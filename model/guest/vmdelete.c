/* vmdelete.c — deleting a guest: what it has (volumes, and which of them
 * cannot be removed safely), the backup of its definition, then destroy,
 * undefine and the volumes asked for; and the TUI's job for it. */
#include "vmdelete.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libvirt/virterror.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "../base/msglog.h"
#include "../base/notify.h"
#include "../base/xmalloc.h"
#include "../defs/xpath.h"
#include "../host/lvutil.h"

/* ---- helpers ---- */

/* The definition kept by libvirt: inactive XML for a persistent guest,
 * with secrets when the connection may read them. */
static char *
dom_xml(virDomainPtr dom)
{
	unsigned fl = virDomainIsPersistent(dom) == 1 ? VIR_DOMAIN_XML_INACTIVE : 0;
	char *x = virDomainGetXMLDesc(dom, fl | VIR_DOMAIN_XML_SECURE);

	return x ? x : virDomainGetXMLDesc(dom, fl);
}

/* ---- pure parts ---- */

char *
vmdelete_backup_path(const char *state_home, const char *home, const char *name, time_t t,
                     char **err)
{
	char stamp[32], *dir, *safe, *p, *path;
	struct tm tm;

	if (state_home && state_home[0] == '/')
		dir = xasprintf("%s/vmtui/backups", state_home);
	else if (home && home[0])
		dir = xasprintf("%s/.local/state/vmtui/backups", home);
	else {
		*err = xstrdup("Neither XDG_STATE_HOME nor HOME is set, so there is no place for "
		               "the backup of the definition.");
		return NULL;
	}
	localtime_r(&t, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
	safe = xstrdup(name);
	for (p = safe; *p; p++)
		if (*p == '/')
			*p = '_';
	path = xasprintf("%s/%s-%s.xml", dir, safe, stamp);
	free(safe);
	free(dir);
	return path;
}

/* s with every "--" broken up, so that it can stand in an XML comment. */
static char *
comment_safe(const char *s)
{
	size_t n = strlen(s), i, o = 0;
	char *r = xmalloc(2 * n + 2);

	for (i = 0; i < n; i++) {
		r[o++] = s[i];
		if (s[i] == '-' && (s[i + 1] == '-' || s[i + 1] == '\0'))
			r[o++] = ' ';
	}
	r[o] = '\0';
	return r;
}

char *
vmdelete_backup_text(const char *xml, const char *name, const char *uri,
                     char *const *snapshots, size_t nsnapshots, time_t t)
{
	char stamp[40], *list = NULL, *n, *u, *s, *out;
	struct tm tm;
	size_t i;

	localtime_r(&t, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &tm);
	for (i = 0; i < nsnapshots; i++)
		list = xjoin(list, ", ", snapshots[i]);
	n = comment_safe(name);
	u = comment_safe(uri ? uri : "libvirt's default host");
	s = comment_safe(list ? list : "none");
	/* The XML without its own declaration, after the comment. */
	if (strncmp(xml, "<?xml", 5) == 0 && strstr(xml, "?>"))
		xml = strstr(xml, "?>") + 2;
	while (*xml == '\n')
		xml++;
	out = xasprintf("<!-- vmtui: the definition of guest %s on %s, saved at %s before "
	                "deleting it.\n     Snapshots (their metadata went with the guest): %s\n"
	                "     Define the guest again with: virsh%s%s define THIS-FILE -->\n%s%s",
	                n, u, stamp, s, uri ? " -c " : "", uri ? u : "", xml,
	                xml[0] && xml[strlen(xml) - 1] == '\n' ? "" : "\n");
	free(n);
	free(u);
	free(s);
	free(list);
	return out;
}

/* mkdir -p with mode 0700 for the folders of path. */
static int
make_dirs(const char *path)
{
	char *d = xstrdup(path), *p;
	int rc = 0;

	for (p = d + 1; *p && rc == 0; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(d, 0700) < 0 && errno != EEXIST)
			rc = -1;
		*p = '/';
	}
	free(d);
	return rc;
}

int
vmdelete_write_backup(const char *path, const char *text, char **written, char **err)
{
	size_t len = strlen(text), off = 0, ext = strlen(path) > 4 ? strlen(path) - 4 : strlen(path);
	char *try = xstrdup(path);
	int fd = -1, n;

	*written = NULL;
	if (make_dirs(path) < 0) {
		*err = xasprintf("Cannot make the folder of %s: %s.", path, strerror(errno));
		free(try);
		return -1;
	}
	for (n = 2; (fd = open(try, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0; n++) {
		if (errno != EEXIST || n > 99) {
			*err = xasprintf("Cannot write %s: %s.", try, strerror(errno));
			free(try);
			return -1;
		}
		free(try);
		try = xasprintf("%.*s-%d%s", (int)ext, path, n, path + ext);
	}
	while (off < len) {
		ssize_t w = write(fd, text + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	if (off < len || fsync(fd) < 0 || close(fd) < 0) {
		*err = xasprintf("Cannot write %s: %s.", try, strerror(errno));
		unlink(try);
		free(try);
		return -1;
	}
	*written = try;
	return 0;
}

/* ---- reading ---- */

/* Whether another guest's XML has a disk with source path. */
static bool
xml_uses(const char *xml, const char *path)
{
	xmlDocPtr doc = xml_read_quiet(xml, "d.xml");
	xmlXPathContextPtr ctx;
	xmlXPathObjectPtr o;
	bool hit = false;
	int i;

	if (doc == NULL)
		return false;
	ctx = xmlXPathNewContext(doc);
	o = xmlXPathEvalExpression(BAD_CAST "/domain/devices/disk/source/@file|/domain/devices/"
	                                    "disk/source/@dev|//backingStore/source/@file", ctx);
	for (i = 0; o && o->nodesetval && i < o->nodesetval->nodeNr && !hit; i++) {
		xmlChar *v = xmlNodeGetContent(o->nodesetval->nodeTab[i]);
		hit = v && strcmp((const char *)v, path) == 0;
		xmlFree(v);
	}
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return hit;
}

/* Guests other than self using path ("a, b"), or NULL. */
static char *
other_users(virConnectPtr conn, const char *self_uuid, const char *path)
{
	virDomainPtr *doms = NULL;
	char uuid[VIR_UUID_STRING_BUFLEN], *who = NULL;
	int n = virConnectListAllDomains(conn, &doms, 0), i;

	for (i = 0; i < n; i++) {
		char *xml;
		if (virDomainGetUUIDString(doms[i], uuid) == 0 && strcmp(uuid, self_uuid) != 0 &&
		    (xml = virDomainGetXMLDesc(doms[i], 0)) != NULL) {
			if (xml_uses(xml, path))
				who = xjoin(who, ", ", virDomainGetName(doms[i]));
			free(xml);
		}
		virDomainFree(doms[i]);
	}
	free(doms);
	return who;
}

/* Volumes of pool backed by path ("a, b"), or NULL. */
static char *
overlays_of(virStoragePoolPtr pool, const char *path)
{
	virStorageVolPtr *vols = NULL;
	char *who = NULL, *needle = xasprintf("<path>%s</path>", path);
	int n = pool ? virStoragePoolListAllVolumes(pool, &vols, 0) : -1, i;

	for (i = 0; i < n; i++) {
		char *xml = virStorageVolGetXMLDesc(vols[i], 0), *bs;
		if (xml && (bs = strstr(xml, "<backingStore>")) != NULL && strstr(bs, needle))
			who = xjoin(who, ", ", virStorageVolGetName(vols[i]));
		free(xml);
		virStorageVolFree(vols[i]);
	}
	free(vols);
	free(needle);
	return who;
}

static void
read_vol(virConnectPtr conn, const char *uuid, xmlXPathContextPtr ctx, xmlNodePtr n,
         struct vmdel_vol *d)
{
	char *pool = xpath_str_at(ctx, n, "string(source/@pool)");
	char *vol = xpath_str_at(ctx, n, "string(source/@volume)");
	virStorageVolPtr v = NULL;
	virStoragePoolPtr p = NULL;
	char *who;

	d->target = xpath_str_at(ctx, n, "string(target/@dev)");
	if (d->target == NULL)
		d->target = xstrdup("?");
	d->device = xpath_str_at(ctx, n, "string(@device)");
	if (d->device == NULL)
		d->device = xstrdup("disk");
	if (pool && vol) {
		p = virStoragePoolLookupByName(conn, pool);
		v = p ? virStorageVolLookupByName(p, vol) : NULL;
		d->path = v ? virStorageVolGetPath(v) : NULL;
	} else {
		d->path = xpath_str_at(ctx, n, "string(source/@file|source/@dev)");
		v = d->path ? lv_vol_by_path(conn, d->path) : NULL;
		p = v ? virStoragePoolLookupByVolume(v) : NULL;
	}
	free(pool);
	free(vol);
	if (d->path == NULL) {
		d->why_not = xstrdup("empty");
	} else if (v == NULL || p == NULL) {
		d->why_not = xstrdup("in no storage pool: vmtui removes volumes only");
	} else {
		d->vol = xstrdup(virStorageVolGetName(v));
		d->pool = xstrdup(virStoragePoolGetName(p));
		if ((who = other_users(conn, uuid, d->path)) != NULL) {
			d->why_not = xasprintf("also used by %s", who);
			free(who);
		} else if ((who = overlays_of(p, d->path)) != NULL) {
			d->why_not = xasprintf("the backing image of %s", who);
			free(who);
		}
	}
	if (v)
		virStorageVolFree(v);
	if (p)
		virStoragePoolFree(p);
}

int
vmdelete_read(virConnectPtr conn, const char *vm, struct vmdel_info *in, char **err)
{
	virDomainPtr dom;
	char uuid[VIR_UUID_STRING_BUFLEN], *xml;
	xmlDocPtr doc;
	xmlXPathContextPtr ctx;
	xmlXPathObjectPtr o;
	int st = VIR_DOMAIN_NOSTATE, reason, i, ns;

	memset(in, 0, sizeof *in);
	if ((dom = lv_domain_lookup(conn, vm, err)) == NULL)
		return -1;
	in->name = xstrdup(virDomainGetName(dom));
	if (virDomainGetState(dom, &st, &reason, 0) < 0)
		st = VIR_DOMAIN_NOSTATE;
	in->state = xstrdup(vm_state_name((enum vm_state)st));
	in->active = virDomainIsActive(dom) == 1;
	in->persistent = virDomainIsPersistent(dom) == 1;
	ns = virDomainListAllSnapshots(dom, NULL, 0);
	in->nsnapshots = ns > 0 ? (size_t)ns : 0;
	virDomainGetUUIDString(dom, uuid);
	xml = dom_xml(dom);
	virDomainFree(dom);
	if (xml == NULL || (doc = xml_read_quiet(xml, "d.xml")) == NULL) {
		*err = xasprintf("Cannot read the definition of %s.", in->name);
		free(xml);
		vmdelete_info_free(in);
		return -1;
	}
	free(xml);
	ctx = xmlXPathNewContext(doc);
	o = xmlXPathEvalExpression(BAD_CAST "/domain/devices/disk", ctx);
	if (o && o->nodesetval && o->nodesetval->nodeNr > 0) {
		in->vols = xcalloc((size_t)o->nodesetval->nodeNr, sizeof *in->vols);
		for (i = 0; i < o->nodesetval->nodeNr; i++)
			read_vol(conn, uuid, ctx, o->nodesetval->nodeTab[i], &in->vols[in->nvols++]);
	}
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return 0;
}

void
vmdelete_info_free(struct vmdel_info *in)
{
	size_t i;

	for (i = 0; i < in->nvols; i++) {
		free(in->vols[i].target);
		free(in->vols[i].device);
		free(in->vols[i].path);
		free(in->vols[i].pool);
		free(in->vols[i].vol);
		free(in->vols[i].why_not);
	}
	free(in->vols);
	free(in->name);
	free(in->state);
	memset(in, 0, sizeof *in);
}

/* ---- deleting ---- */

static const struct vmdel_vol *
find_vol(const struct vmdel_info *in, const char *target)
{
	size_t i;

	for (i = 0; i < in->nvols; i++)
		if (strcmp(in->vols[i].target, target) == 0)
			return &in->vols[i];
	return NULL;
}

/* Every requested volume exists and may go; else a sentence why not. */
static char *
check_remove(const struct vmdel_info *in, char *const *remove, size_t n)
{
	char *targets = NULL, *why;
	const struct vmdel_vol *d;
	size_t i;

	for (i = 0; i < n; i++) {
		if ((d = find_vol(in, remove[i])) != NULL) {
			if (d->why_not == NULL)
				continue;
			return xasprintf("The storage of %s cannot be removed: %s%s%s.", d->target,
			                 d->path ? d->path : "", d->path ? " is " : "is ", d->why_not);
		}
		for (d = in->vols; d < in->vols + in->nvols; d++)
			targets = xjoin(targets, ", ", d->target);
		why = xasprintf("%s has no disk %s; its disks: %s.", in->name, remove[i],
		                targets ? targets : "none");
		free(targets);
		return why;
	}
	return NULL;
}

/* Snapshot names of dom (for the backup's comment). */
static size_t
snap_names(virDomainPtr dom, char ***names)
{
	virDomainSnapshotPtr *s = NULL;
	int n = virDomainListAllSnapshots(dom, &s, 0), i;

	*names = xcalloc(n > 0 ? (size_t)n : 1, sizeof **names);
	for (i = 0; i < n; i++) {
		(*names)[i] = xstrdup(virDomainSnapshotGetName(s[i]));
		virDomainSnapshotFree(s[i]);
	}
	free(s);
	return n > 0 ? (size_t)n : 0;
}

/* Write the backup; the path in *backup. */
static int
backup(virDomainPtr dom, const char *uri, const char *state_home, const char *home,
       char **out, char **err)
{
	char *xml = dom_xml(dom), *path, *text, **names, *why = NULL;
	time_t t = time(NULL);
	size_t n = snap_names(dom, &names);
	int rc = -1;

	path = vmdelete_backup_path(state_home, home, virDomainGetName(dom), t, &why);
	if (xml == NULL)
		why = xasprintf("Cannot read the definition of %s.", virDomainGetName(dom));
	if (why == NULL) {
		text = vmdelete_backup_text(xml, virDomainGetName(dom), uri, names, n, t);
		rc = vmdelete_write_backup(path, text, out, &why);
		free(text);
	}
	if (rc < 0) {
		*err = xasprintf("%s Nothing was deleted.", why);
		free(why);
	}
	free(path);
	free(xml);
	xfree_strv(names, n);
	return rc;
}

int
vmdelete_run(virConnectPtr conn, const char *uri, const char *vm, char *const *remove,
             size_t nremove, const char *state_home, const char *home,
             vmdel_action_cb action, void *opaque, char **backup_path, char **result,
             char **err)
{
	struct vmdel_info in;
	virDomainPtr dom = NULL;
	char *why, *e = NULL, *virsh, *done = NULL, *failed = NULL, *kept = NULL;
	unsigned flags = VIR_DOMAIN_UNDEFINE_MANAGED_SAVE | VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA |
	                 VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA | VIR_DOMAIN_UNDEFINE_NVRAM;
	bool forced = false;
	size_t i;
	int rc = -1;

	*backup_path = *result = *err = NULL;
	if (vmdelete_read(conn, vm, &in, err) < 0)
		return -1;
	if ((why = check_remove(&in, remove, nremove)) != NULL) {
		*err = xasprintf("Cannot delete %s: %s Nothing was deleted.", in.name, why);
		free(why);
		goto cleanup;
	}
	if ((dom = lv_domain_lookup(conn, in.name, err)) == NULL ||
	    backup(dom, uri, state_home, home, backup_path, err) < 0)
		goto cleanup;
	if (virDomainIsActive(dom) == 1) {
		virsh = msglog_virsh(uri, "destroy", in.name, NULL);
		e = virDomainDestroy(dom) == 0 ? NULL : lv_err_line();
		if (action)
			action(virsh, e, "force off before deleting", opaque);
		free(virsh);
		if (e) {
			*err = xasprintf("Cannot force %s off: %s. Nothing was deleted (backup: %s).",
			                 in.name, e, *backup_path);
			goto cleanup;
		}
		forced = true;
	}
	if (in.persistent) {
		virsh = msglog_virsh(uri, "undefine", in.name, "--managed-save", "--snapshots-metadata",
		                     "--checkpoints-metadata", "--nvram", NULL);
		e = virDomainUndefineFlags(dom, flags) == 0 ? NULL : lv_err_line();
		/* Drivers without NVRAM or checkpoints refuse those flags. */
		if (e && (virGetLastErrorCode() == VIR_ERR_INVALID_ARG ||
		          virGetLastErrorCode() == VIR_ERR_NO_SUPPORT)) {
			free(e);
			free(virsh);
			virsh = msglog_virsh(uri, "undefine", in.name, "--managed-save",
			                     "--snapshots-metadata", NULL);
			e = virDomainUndefineFlags(dom, VIR_DOMAIN_UNDEFINE_MANAGED_SAVE |
			                                VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA) == 0
			        ? NULL : lv_err_line();
		}
		if (action)
			action(virsh, e, "undefine", opaque);
		free(virsh);
		if (e) {
			*err = xasprintf("Cannot undefine %s: %s.%s No storage was removed (backup: %s).",
			                 in.name, e, forced ? " It was forced off." : "", *backup_path);
			goto cleanup;
		}
	}
	for (i = 0; i < in.nvols; i++) {
		const struct vmdel_vol *d = &in.vols[i];
		virStoragePoolPtr p;
		virStorageVolPtr v = NULL;
		char *item = xasprintf("%s (%s)", d->path ? d->path : "-", d->target);
		size_t k;
		for (k = 0; k < nremove && strcmp(remove[k], d->target) != 0; k++)
			;
		if (k == nremove) {
			if (d->path)
				kept = xjoin(kept, ", ", item);
			free(item);
			continue;
		}
		p = virStoragePoolLookupByName(conn, d->pool);
		v = p ? virStorageVolLookupByName(p, d->vol) : NULL;
		virsh = msglog_virsh(uri, "vol-delete", "--pool", d->pool, d->vol, NULL);
		e = v && virStorageVolDelete(v, 0) == 0 ? NULL : lv_err_line();
		if (action) {
			char *what = xasprintf("remove volume %s (%s)", d->vol, d->target);
			action(virsh, e, what, opaque);
			free(what);
		}
		free(virsh);
		if (e) {
			char *f = xasprintf("%s: %s", item, e);
			failed = xjoin(failed, "; ", f);
			free(f);
		} else {
			done = xjoin(done, ", ", item);
		}
		free(e);
		e = NULL;
		free(item);
		if (v)
			virStorageVolFree(v);
		if (p)
			virStoragePoolFree(p);
	}
	why = xasprintf("%s deleted%s. Storage removed: %s. Kept: %s. Its definition is saved in "
	                "%s (virsh define it to bring the guest back).", in.name,
	                forced ? " (forced off first)" : "", done ? done : "none",
	                kept ? kept : "none", *backup_path);
	if (failed) {
		*err = xasprintf("%s But these could not be removed: %s.", why, failed);
		free(why);
	} else {
		*result = why;
		rc = 0;
	}

cleanup:
	free(e);
	free(done);
	free(failed);
	free(kept);
	if (dom)
		virDomainFree(dom);
	vmdelete_info_free(&in);
	return rc;
}

/* ---- the TUI's job ---- */

struct del_call {
	struct vmdel_job *job;
	char **remove;
	size_t n;
};

static void
job_action(const char *virsh, const char *err, const char *what, void *opaque)
{
	msglog_action(virsh, err, "%s: %s", (const char *)opaque, what);
}

static void
job_read(struct host *h, virConnectPtr conn, void *arg)
{
	struct vmdel_job *j = arg;
	struct vmdel_info in;
	char *err = NULL;
	int rc = conn ? vmdelete_read(conn, j->uuid, &in, &err) : -1;

	if (conn == NULL)
		err = host_not_connected(h);
	host_lock(h);
	if (rc == 0) {
		vmdelete_info_free(&j->info);
		j->info = in;
		j->state = VD_READY;
	} else {
		free(j->error);
		j->error = err;
		j->state = VD_FAILED;
	}
	host_publish_unlock(h);
	vmdel_job_release(j);
}

static void
job_delete(struct host *h, virConnectPtr conn, void *arg)
{
	struct del_call *c = arg;
	struct vmdel_job *j = c->job;
	char *err = NULL, *result = NULL, *bk = NULL, *uri = host_virsh_uri(h), *name;
	int rc = -1;

	host_lock(h);
	name = xstrdup(j->info.name ? j->info.name : j->uuid);
	host_unlock(h);
	if (conn == NULL) {
		err = host_not_connected(h);
	} else {
		rc = vmdelete_run(conn, uri, j->uuid, c->remove, c->n, getenv("XDG_STATE_HOME"),
		                  getenv("HOME"), job_action, name, &bk, &result, &err);
	}
	if (rc == 0)
		msglog_add(MSG_INFO, "%s", result);
	else
		msglog_add(MSG_ERROR, "%s", err);
	host_lock(h);
	j->state = rc == 0 ? VD_DONE : VD_FAILED;
	free(j->error);
	j->error = err;
	free(j->result);
	j->result = result;
	free(j->backup);
	j->backup = bk;
	host_publish_unlock(h);
	free(name);
	free(uri);
	xfree_strv(c->remove, c->n);
	free(c);
	vmdel_job_release(j);
}

struct vmdel_job *
vmdel_job_new(struct host *h, const char *uuid)
{
	struct vmdel_job *j = xcalloc(1, sizeof *j);

	j->host = h;
	snprintf(j->uuid, sizeof j->uuid, "%s", uuid);
	j->refs = 2;
	j->state = VD_READING;
	host_call(h, job_read, j);
	return j;
}

void
vmdel_job_start(struct vmdel_job *j, char *const *remove, size_t n)
{
	struct del_call *c = xcalloc(1, sizeof *c);
	size_t i;

	c->job = j;
	c->remove = xcalloc(n ? n : 1, sizeof *c->remove);
	for (i = 0; i < n; i++)
		c->remove[i] = xstrdup(remove[i]);
	c->n = n;
	host_lock(j->host);
	j->refs++;
	j->state = VD_RUNNING;
	free(j->error);
	j->error = NULL;
	host_unlock(j->host);
	host_call(j->host, job_delete, c);
}

void
vmdel_job_release(struct vmdel_job *j)
{
	if (j == NULL || !host_unref(j->host, &j->refs))
		return;
	vmdelete_info_free(&j->info);
	free(j->error);
	free(j->result);
	free(j->backup);
	free(j);
}
