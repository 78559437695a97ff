/* xmledit.c — the domain XML edited by hand: the kept file, the error
 * comment, what changed, the define as a hardware change, the TUI's job. */
#include "xmledit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libvirt/virterror.h>

#include "../base/msglog.h"
#include "../base/xmalloc.h"
#include "../host/lvutil.h"

#define MARK "<!-- vmtui: "

/* ---- pure ---- */

/* s with "/" and a leading "." made "_" (a file name part). New. */
static char *
file_part(const char *s)
{
	char *o = xstrdup(s && *s ? s : "_"), *p;

	for (p = o; *p; p++)
		if (*p == '/' || (p == o && *p == '.'))
			*p = '_';
	return o;
}

char *
xmledit_path(const char *state_home, const char *home, const char *host, const char *vm,
             char **err)
{
	char *h, *v, *path;

	*err = NULL;
	if (!(state_home && state_home[0] == '/') && !(home && home[0] == '/')) {
		*err = xstrdup("neither $XDG_STATE_HOME nor $HOME is set to an absolute path: "
		               "there is no place to keep the edit");
		return NULL;
	}
	h = file_part(host);
	v = file_part(vm);
	if (state_home && state_home[0] == '/')
		path = xasprintf("%s/vmtui/edits/%s-%s.xml", state_home, h, v);
	else
		path = xasprintf("%s/.local/state/vmtui/edits/%s-%s.xml", home, h, v);
	free(h);
	free(v);
	return path;
}

char *
xmledit_base_path(const char *path)
{
	size_t n = strlen(path);

	if (n >= 4 && strcmp(path + n - 4, ".xml") == 0)
		n -= 4;
	return xasprintf("%.*s.base.xml", (int)n, path);
}

/* Past one of our comments at s (and its line end), or NULL if s holds
 * none there. */
static const char *
past_mark(const char *s)
{
	const char *e;

	if (strncmp(s, MARK, strlen(MARK)) != 0 || (e = strstr(s, "-->")) == NULL)
		return NULL;
	e += 3;
	if (*e == '\r')
		e++;
	if (*e == '\n')
		e++;
	return e;
}

char *
xmledit_strip_error(const char *text)
{
	const char *p = text ? text : "", *q;

	while ((q = past_mark(p)) != NULL)
		p = q;
	return xstrdup(p);
}

char *
xmledit_add_error(const char *text, const char *err)
{
	char *body = xmledit_strip_error(text), *safe, *out;
	const char *s;
	size_t i = 0;

	safe = xcalloc(strlen(err ? err : "") * 2 + 1, 1);
	for (s = err ? err : ""; *s; s++) {
		/* "--" may not appear in a comment, nor may it end with "-". */
		if (*s == '-' && (s[1] == '-' || s[1] == '\0' || (i > 0 && safe[i - 1] == '-'))) {
			safe[i++] = '-';
			safe[i++] = ' ';
		} else {
			safe[i++] = *s;
		}
	}
	out = xasprintf(MARK "%s\n     The edit is kept until it is defined or discarded; "
	                "this comment is taken off before the next define. -->\n%s",
	                safe, body);
	free(safe);
	free(body);
	return out;
}

/* Length of s without our comments' lead and the trailing line ends. */
static const char *
core(const char *s, size_t *len)
{
	const char *p = s ? s : "", *q;
	size_t n;

	while ((q = past_mark(p)) != NULL)
		p = q;
	n = strlen(p);
	while (n > 0 && (p[n - 1] == '\n' || p[n - 1] == '\r'))
		n--;
	*len = n;
	return p;
}

bool
xmledit_differs(const char *a, const char *b)
{
	size_t na, nb;
	const char *pa = core(a, &na), *pb = core(b, &nb);

	return na != nb || memcmp(pa, pb, na) != 0;
}

const char *
xmledit_age(time_t then, time_t now, char *buf, size_t n)
{
	long long d = now > then ? (long long)(now - then) : 0;
	const char *unit = "second";
	long long v = d;

	if (d >= 2 * 86400) {
		v = d / 86400;
		unit = "day";
	} else if (d >= 2 * 3600) {
		v = d / 3600;
		unit = "hour";
	} else if (d >= 2 * 60) {
		v = d / 60;
		unit = "minute";
	}
	snprintf(buf, n, "%lld %s%s", v, unit, v == 1 ? "" : "s");
	return buf;
}

void
xmledit_change(struct hw_change *c, const char *vm, bool running, const char *uri,
               const char *file, const char *base, const char *xml)
{
	char *body = xmledit_strip_error(xml);
	char *virsh = msglog_virsh(uri, "define", file, NULL);

	memset(c, 0, sizeof *c);
	c->what = running ? xasprintf("Define the edited XML of %s (it runs: the change takes "
	                              "effect at the next boot)", vm)
	                  : xasprintf("Define the edited XML of %s", vm);
	c->when = HW_CONFIG;
	hw_change_add(c, HW_DEFINE, body, 0, NULL, NULL, virsh);
	hw_change_diffs(c, NULL, NULL, base, body);
	free(virsh);
	free(body);
}

const char *
xmledit_refusal(const char *xml, const char *uuid)
{
	const char *p = strstr(xml ? xml : "", "<uuid>"), *e;
	char got[VM_UUID_LEN + 8];
	size_t n;

	if (p == NULL)
		return NULL; /* libvirt matches it by name */
	p += 6;
	while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
		p++;
	e = strstr(p, "</uuid>");
	if (e == NULL)
		return NULL; /* malformed: libvirt says so */
	n = (size_t)(e - p);
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\n' || p[n - 1] == '\t'))
		n--;
	if (n >= sizeof got)
		return "the <uuid> was changed: that would define another guest (put the guest's "
		       "own UUID back, or clone it instead)";
	memcpy(got, p, n);
	got[n] = '\0';
	if (strcasecmp(got, uuid) != 0)
		return "the <uuid> was changed: that would define another guest (put the guest's "
		       "own UUID back, or clone it instead)";
	return NULL;
}

/* ---- files ---- */

/* mkdir -p with mode 0700 for the folders of path. */
static int
make_dirs(const char *path)
{
	char *d = xstrdup(path), *p;

	for (p = d + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(d, 0700) < 0 && errno != EEXIST) {
			free(d);
			return -1;
		}
		*p = '/';
	}
	free(d);
	return 0;
}

int
xmledit_write(const char *path, const char *text, char **err)
{
	char *tmp = xasprintf("%s.tmp", path);
	size_t n = strlen(text), off = 0;
	int fd = -1, rc = -1;

	*err = NULL;
	if (make_dirs(path) < 0)
		goto cleanup;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		goto cleanup;
	while (off < n) {
		ssize_t w = write(fd, text + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto cleanup;
		off += (size_t)w;
	}
	if (fsync(fd) < 0 || close(fd) < 0) {
		fd = -1;
		goto cleanup;
	}
	fd = -1;
	if (rename(tmp, path) < 0)
		goto cleanup;
	rc = 0;

cleanup:
	if (rc < 0) {
		*err = xasprintf("cannot write %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		unlink(tmp);
	}
	free(tmp);
	return rc;
}

char *
xmledit_read(const char *path, char **err)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0, cap = 0, got;

	*err = NULL;
	if (f == NULL) {
		if (errno != ENOENT)
			*err = xasprintf("cannot read %s: %s", path, strerror(errno));
		return NULL;
	}
	do {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 8192;
			buf = xrealloc(buf, cap);
		}
		got = fread(buf + len, 1, cap - len - 1, f);
		len += got;
	} while (got > 0);
	if (ferror(f)) {
		*err = xasprintf("cannot read %s: %s", path, strerror(errno));
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf[len] = '\0';
	return buf;
}

void
xmledit_forget(const char *path)
{
	char *b = xmledit_base_path(path);

	unlink(path);
	unlink(b);
	free(b);
}

/* ---- on a connection ---- */

int
xmledit_src_read(virConnectPtr conn, const char *vm, struct xmledit_src *s, char **err)
{
	virDomainPtr d = lv_domain_lookup(conn, vm, err);
	char uuid[VIR_UUID_STRING_BUFLEN];
	char *xml, *host;

	memset(s, 0, sizeof *s);
	if (d == NULL)
		return -1;
	xml = virDomainGetXMLDesc(d, VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_SECURE);
	if (xml == NULL || virDomainGetUUIDString(d, uuid) < 0) {
		char *why = lv_err_line();
		*err = xasprintf("cannot read the XML of %s: %s", vm, why);
		free(why);
		free(xml);
		virDomainFree(d);
		return -1;
	}
	host = virConnectGetHostname(conn);
	s->name = xstrdup(virDomainGetName(d));
	s->uuid = xstrdup(uuid);
	s->xml = xml;
	s->host = host ? host : xstrdup("localhost");
	s->running = virDomainIsActive(d) == 1;
	virDomainFree(d);
	return 0;
}

void
xmledit_src_free(struct xmledit_src *s)
{
	if (s == NULL)
		return;
	free(s->name);
	free(s->uuid);
	free(s->xml);
	free(s->host);
	memset(s, 0, sizeof *s);
}

/* ---- the TUI's job ---- */

struct define_call {
	struct xe_job *job;
	struct hw_change change;
	char *path; /* the kept edit, removed once defined */
};

static void
job_read(struct host *h, virConnectPtr conn, void *arg)
{
	struct xe_job *j = arg;
	struct xmledit_src s;
	char *err = NULL;
	int rc = conn ? xmledit_src_read(conn, j->uuid, &s, &err) : -1;

	if (conn == NULL)
		err = host_not_connected(h);
	host_lock(h);
	if (rc == 0) {
		xmledit_src_free(&j->src);
		j->src = s;
		j->state = XE_READY;
		j->reads++;
	} else {
		free(j->error);
		j->error = err;
		err = NULL;
		j->state = XE_FAILED;
	}
	host_publish_unlock(h);
	free(err);
	xe_job_release(j);
}

static void
job_define(struct host *h, virConnectPtr conn, void *arg)
{
	struct define_call *c = arg;
	struct xe_job *j = c->job;
	virDomainPtr d = NULL;
	char *err = NULL, *name;
	int rc = -1;

	host_lock(h);
	name = xstrdup(j->src.name ? j->src.name : j->uuid);
	host_unlock(h);
	if (conn == NULL)
		err = host_not_connected(h);
	else if ((d = lv_domain_lookup(conn, j->uuid, &err)) != NULL)
		rc = hw_change_apply(d, &c->change, NULL, &err);
	msglog_action(c->change.steps[0].virsh, err, "%s: define the edited XML", name);
	if (rc == 0)
		xmledit_forget(c->path);
	host_lock(h);
	free(j->error);
	free(j->result);
	j->error = rc == 0 ? NULL : err;
	j->result = rc == 0 ? xasprintf("Defined the edited XML of %s: it takes effect %s.", name,
	                                j->src.running ? "at the next boot" : "when it starts")
	                    : NULL;
	j->state = rc == 0 ? XE_DEFINED : XE_FAILED;
	host_publish_unlock(h);
	if (rc == 0)
		free(err);
	if (d)
		virDomainFree(d);
	free(name);
	hw_change_free(&c->change);
	free(c->path);
	free(c);
	xe_job_release(j);
}

struct xe_job *
xe_job_new(struct host *h, const char *uuid)
{
	struct xe_job *j = xcalloc(1, sizeof *j);

	j->host = h;
	snprintf(j->uuid, sizeof j->uuid, "%s", uuid);
	j->refs = 2;
	j->state = XE_READING;
	host_call(h, job_read, j);
	return j;
}

void
xe_job_reread(struct xe_job *j)
{
	host_lock(j->host);
	j->refs++;
	j->state = XE_READING;
	host_unlock(j->host);
	host_call(j->host, job_read, j);
}

void
xe_job_define(struct xe_job *j, struct hw_change *c, const char *path)
{
	struct define_call *call = xcalloc(1, sizeof *call);

	call->job = j;
	call->path = xstrdup(path);
	call->change = *c;
	memset(c, 0, sizeof *c);
	host_lock(j->host);
	j->refs++;
	j->state = XE_DEFINING;
	free(j->error);
	j->error = NULL;
	host_unlock(j->host);
	host_call(j->host, job_define, call);
}

void
xe_job_release(struct xe_job *j)
{
	if (j == NULL || !host_unref(j->host, &j->refs))
		return;
	xmledit_src_free(&j->src);
	free(j->error);
	free(j->result);
	free(j);
}
