/* transfer.c — uploads into and downloads from storage pools through
 * libvirt streams: the progress arithmetic, the stream callbacks (holes
 * found with SEEK_DATA/SEEK_HOLE, made with lseek), the clean-up that
 * leaves no half volume or half file, and the TUI's job. See transfer.h. */
#include "transfer.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <libvirt/virterror.h>
#include <libxml/xmlwriter.h>

#include "../base/msglog.h"
#include "../base/xmalloc.h"
#include "../host/eventloop.h"
#include "../host/host.h"
#include "../host/lvutil.h"

/* ---- progress (pure) ---- */

void
xfer_progress_start(struct xfer_progress *p, uint64_t total, uint64_t now_ns)
{
	memset(p, 0, sizeof *p);
	p->total = total;
	p->start_ns = p->mark_ns = now_ns;
}

void
xfer_progress_add(struct xfer_progress *p, uint64_t n, bool hole, uint64_t now_ns)
{
	double dt, w;

	p->done += n;
	if (hole)
		p->holes += n;
	if (now_ns < p->mark_ns + XFER_RATE_WINDOW_NS)
		return;
	dt = (double)(now_ns - p->mark_ns) / XFER_NS;
	w = (double)(p->done - p->mark_done) / dt;
	p->rate = p->rate_known ? (1 - XFER_RATE_WEIGHT) * p->rate + XFER_RATE_WEIGHT * w : w;
	p->rate_known = true;
	p->mark_ns = now_ns;
	p->mark_done = p->done;
}

double
xfer_progress_rate(const struct xfer_progress *p, uint64_t now_ns)
{
	double w;

	if (!p->rate_known)
		return -1;
	if (now_ns < p->mark_ns + 2 * XFER_RATE_WINDOW_NS)
		return p->rate;
	/* Nothing for two windows: what came since the mark, over that time. */
	w = (double)(p->done - p->mark_done) / ((double)(now_ns - p->mark_ns) / XFER_NS);
	return w < p->rate ? w : p->rate;
}

double
xfer_progress_eta(const struct xfer_progress *p, uint64_t now_ns)
{
	double r;

	if (p->done >= p->total)
		return 0;
	r = xfer_progress_rate(p, now_ns);
	if (r <= 0)
		return -1;
	return (double)(p->total - p->done) / r;
}

double
xfer_progress_pct(const struct xfer_progress *p)
{
	if (p->total == 0 || p->done >= p->total)
		return 100;
	return 100.0 * (double)p->done / (double)p->total;
}

double
xfer_progress_mean(const struct xfer_progress *p, uint64_t now_ns)
{
	if (now_ns <= p->start_ns)
		return 0;
	return (double)p->done / ((double)(now_ns - p->start_ns) / XFER_NS);
}

/* ---- formats, names, messages ---- */

static const char *const format_names[] = { "auto", "raw", "qcow2", "iso" };

const char *
xfer_format_name(enum xfer_format f)
{
	return (unsigned)f < sizeof format_names / sizeof *format_names ? format_names[f] : "?";
}

bool
xfer_format_parse(const char *s, enum xfer_format *f)
{
	int i;

	for (i = XFER_FMT_RAW; i <= XFER_FMT_ISO; i++)
		if (s && strcmp(s, format_names[i]) == 0) {
			*f = (enum xfer_format)i;
			return true;
		}
	return false;
}

enum xfer_format
xfer_format_detect(const unsigned char *head, size_t n)
{
	if (n >= 4 && memcmp(head, "QFI\xfb", 4) == 0)
		return XFER_FMT_QCOW2;
	if (n >= 0x8006 && memcmp(head + 0x8001, "CD001", 5) == 0)
		return XFER_FMT_ISO;
	return XFER_FMT_RAW;
}

bool
xfer_parse_rate(const char *s, uint64_t *bps)
{
	char *end;
	unsigned long long v;
	int shift = 0;

	if (s == NULL || *s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return false;
	switch (*end) {
	case 'K': case 'k': shift = 10; end++; break;
	case 'M': case 'm': shift = 20; end++; break;
	case 'G': case 'g': shift = 30; end++; break;
	default: break;
	}
	if (*end == 'i' && shift)
		end++;
	if (*end == 'B')
		end++;
	if (*end != '\0' || v == 0 || v > (UINT64_MAX >> shift))
		return false;
	*bps = (uint64_t)v << shift;
	return true;
}

void
xfer_req_default_name(struct xfer_req *r)
{
	char *base;

	if (r->dir != XFER_UPLOAD || (r->vol && r->vol[0]) || r->path == NULL)
		return;
	free(r->vol);
	base = xstrdup(r->path);
	r->vol = xstrdup(basename(base));
	free(base);
}

void
xfer_req_clear(struct xfer_req *r)
{
	free(r->pool);
	free(r->vol);
	free(r->path);
	memset(r, 0, sizeof *r);
}

/* Whether s is well-formed UTF-8. */
static bool
utf8_ok(const unsigned char *s)
{
	int more;

	while (*s) {
		if (*s < 0x80)
			more = 0;
		else if ((*s & 0xE0) == 0xC0 && *s >= 0xC2)
			more = 1;
		else if ((*s & 0xF0) == 0xE0)
			more = 2;
		else if ((*s & 0xF8) == 0xF0 && *s <= 0xF4)
			more = 3;
		else
			return false;
		for (s++; more > 0; more--, s++)
			if ((*s & 0xC0) != 0x80)
				return false;
	}
	return true;
}

char *
xfer_vol_name_check(const char *name)
{
	const unsigned char *p;

	if (name == NULL || name[0] == '\0')
		return xstrdup("A volume needs a name.");
	if (strlen(name) > 255)
		return xasprintf("The name is %zu bytes long; keep it to 255.", strlen(name));
	if (strchr(name, '/'))
		return xasprintf("\"%s\": a volume name cannot contain \"/\".", name);
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return xasprintf("\"%s\" cannot be a volume name.", name);
	for (p = (const unsigned char *)name; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return xstrdup("A volume name cannot contain control characters.");
	if (!utf8_ok((const unsigned char *)name))
		return xstrdup("A volume name must be UTF-8 text.");
	return NULL;
}

/* Bytes as "1.5 GiB". */
static char *
human(char *buf, size_t n, uint64_t v)
{
	static const char *const units[] = { "bytes", "KiB", "MiB", "GiB", "TiB", "PiB" };
	double d = (double)v;
	size_t u = 0;

	while (d >= 1024 && u + 1 < sizeof units / sizeof *units) {
		d /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(buf, n, "%llu bytes", (unsigned long long)v);
	else
		snprintf(buf, n, "%.1f %s", d, units[u]);
	return buf;
}

char *
xfer_virsh(const char *uri, const struct xfer_req *r, uint64_t size)
{
	char sz[32], *a, *b, *out;

	if (r->dir == XFER_DOWNLOAD)
		return msglog_virsh(uri, "vol-download", "--sparse", "--pool", r->pool, r->vol,
		                    r->path, NULL);
	snprintf(sz, sizeof sz, "%lluB", (unsigned long long)size);
	a = msglog_virsh(uri, "vol-create-as", r->pool, r->vol ? r->vol : "?", sz,
	                 "--allocation", "0", "--format",
	                 r->format == XFER_FMT_ISO ? "iso" : "raw", NULL);
	b = msglog_virsh(uri, "vol-upload", "--sparse", "--pool", r->pool, r->vol ? r->vol : "?",
	                 r->path, NULL);
	out = xasprintf("%s && %s", a, b);
	free(a);
	free(b);
	return out;
}

char *
xfer_what(const struct xfer_req *r)
{
	if (r->dir == XFER_DOWNLOAD)
		return xasprintf("download %s/%s to %s", r->pool, r->vol, r->path);
	return xasprintf("upload %s to %s/%s", r->path, r->pool, r->vol ? r->vol : "?");
}

/* ---- the stream callbacks ---- */

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * XFER_NS + (uint64_t)ts.tv_nsec;
}

/* An upload's chunk: one message to the daemon, the most libvirt's own
 * virStreamSendAll sends at once (VIR_NET_MESSAGE_LEGACY_PAYLOAD_MAX).
 * Larger messages are accepted but the daemon's file stream takes them a
 * piece at a time, and uploads get slower, not faster. */
#define XFER_CHUNK 262120

struct stream_ctx {
	int fd;
	struct xfer_watch *w;
	uint64_t bwlimit;    /* bytes of data a second, 0: none */
	struct xfer_progress prog;
	uint64_t size;       /* upload: the file's size */
	uint64_t shown_ns;   /* when progress was last handed to the watcher */
	int err;             /* errno of a local failure, or 0 */
	char *lverr;         /* libvirt's error, taken before it is reset */
	bool cancelled;
};

static void
show(struct stream_ctx *c, bool force)
{
	uint64_t t = now_ns();

	if (c->w->progress && (force || t >= c->shown_ns + XFER_PROGRESS_NS)) {
		c->shown_ns = t;
		c->w->progress(c->w->opaque, &c->prog);
	}
}

/* With a limit: wait until the data so far is due at that rate. */
static void
throttle(struct stream_ctx *c)
{
	uint64_t due, t = now_ns();
	struct timespec ts;

	due = c->prog.start_ns +
	      (uint64_t)((double)(c->prog.done - c->prog.holes) / (double)c->bwlimit * XFER_NS);
	if (due <= t)
		return;
	if (due - t > XFER_NS)
		due = t + XFER_NS;
	ts.tv_sec = (time_t)((due - t) / XFER_NS);
	ts.tv_nsec = (long)((due - t) % XFER_NS);
	nanosleep(&ts, NULL);
}

static void
moved(struct stream_ctx *c, uint64_t n, bool hole)
{
	xfer_progress_add(&c->prog, n, hole, now_ns());
	if (c->bwlimit && !hole)
		throttle(c);
	show(c, false);
}

/* True (and errno ECANCELED) when the watcher asked to stop. */
static bool
stop_asked(struct stream_ctx *c)
{
	if (atomic_load(&c->w->cancel)) {
		c->cancelled = true;
		errno = ECANCELED;
		return true;
	}
	return false;
}

static int
src_read(virStreamPtr st, char *data, size_t n, void *opaque)
{
	struct stream_ctx *c = opaque;
	ssize_t got;

	(void)st;
	if (stop_asked(c))
		return -1;
	do
		got = read(c->fd, data, n);
	while (got < 0 && errno == EINTR);
	if (got < 0) {
		c->err = errno;
		return -1;
	}
	moved(c, (uint64_t)got, false);
	return (int)got;
}

/* Where the file is at its current offset: in data or a hole, and how
 * long that section goes on; the offset is left where it was. */
static int
src_hole(virStreamPtr st, int *in_data, long long *length, void *opaque)
{
	struct stream_ctx *c = opaque;
	off_t cur, next;

	(void)st;
	if (stop_asked(c))
		return -1;
	if ((cur = lseek(c->fd, 0, SEEK_CUR)) < 0)
		goto fail;
	if ((uint64_t)cur >= c->size) {
		*in_data = 0;
		*length = 0;
		return 0;
	}
	next = lseek(c->fd, cur, SEEK_DATA);
	if (next < 0 && errno == ENXIO) {
		/* A hole to the end of the file. */
		*in_data = 0;
		*length = (long long)(c->size - (uint64_t)cur);
	} else if (next < 0 && errno == EINVAL) {
		/* No hole-finding here: all data. */
		*in_data = 1;
		*length = (long long)(c->size - (uint64_t)cur);
	} else if (next < 0) {
		goto fail;
	} else if (next > cur) {
		*in_data = 0;
		*length = (long long)(next - cur);
	} else {
		if ((next = lseek(c->fd, cur, SEEK_HOLE)) < 0)
			goto fail;
		*in_data = 1;
		*length = (long long)(next - cur);
	}
	if (lseek(c->fd, cur, SEEK_SET) < 0)
		goto fail;
	return 0;
fail:
	c->err = errno;
	return -1;
}

/* A hole of length bytes, either way: the local file's offset steps over
 * it (an upload's source after the hole is sent, a download's sink). */
static int
skip_hole(virStreamPtr st, long long length, void *opaque)
{
	struct stream_ctx *c = opaque;

	(void)st;
	if (stop_asked(c))
		return -1;
	if (lseek(c->fd, (off_t)length, SEEK_CUR) < 0) {
		c->err = errno;
		return -1;
	}
	moved(c, (uint64_t)length, true);
	return 0;
}

/* True when the n bytes at p are all zero. */
static bool
all_zero(const char *p, size_t n)
{
	return n == 0 || (p[0] == 0 && memcmp(p, p + 1, n - 1) == 0);
}

static int
sink_write(virStreamPtr st, const char *data, size_t n, void *opaque)
{
	struct stream_ctx *c = opaque;
	size_t off = 0;
	ssize_t put;

	(void)st;
	if (stop_asked(c))
		return -1;
	/* A chunk of zeros becomes a hole: the file is sized at the end. */
	if (all_zero(data, n)) {
		if (lseek(c->fd, (off_t)n, SEEK_CUR) < 0)
			goto fail;
	} else {
		while (off < n) {
			put = write(c->fd, data + off, n - off);
			if (put < 0 && errno == EINTR)
				continue;
			if (put < 0)
				goto fail;
			off += (size_t)put;
		}
	}
	moved(c, n, false);
	return (int)n;
fail:
	c->err = errno;
	return -1;
}

/* Whether libvirt's error says the daemon or driver has no sparse streams. */
static bool
sparse_unsupported(void)
{
	virErrorPtr e = virGetLastError();

	return e && (e->code == VIR_ERR_NO_SUPPORT || e->code == VIR_ERR_ARGUMENT_UNSUPPORTED ||
	             e->code == VIR_ERR_INVALID_ARG);
}

/* Why the stream failed: a local error, or libvirt's. */
static char *
stream_error(const struct stream_ctx *c)
{
	if (c->err)
		return xstrdup(strerror(c->err));
	if (c->lverr)
		return xstrdup(c->lverr);
	return lv_err_line();
}

/* Keep libvirt's error of a failed stream call before freeing the stream
 * (which resets it); returns -1. */
static int
stream_failed(struct stream_ctx *c, virStreamPtr st)
{
	if (c->lverr == NULL)
		c->lverr = lv_err_line();
	if (st)
		virStreamFree(st);
	return -1;
}

/* ---- upload ---- */

/* <volume> XML of the upload's new volume. */
static char *
upload_xml(const char *name, uint64_t size, enum xfer_format fmt)
{
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
	char sz[32], *out = NULL;

	snprintf(sz, sizeof sz, "%llu", (unsigned long long)size);
	if (w && xmlTextWriterStartElement(w, BAD_CAST "volume") >= 0 &&
	    xmlTextWriterWriteElement(w, BAD_CAST "name", BAD_CAST name) >= 0 &&
	    xmlTextWriterStartElement(w, BAD_CAST "capacity") >= 0 &&
	    xmlTextWriterWriteAttribute(w, BAD_CAST "unit", BAD_CAST "bytes") >= 0 &&
	    xmlTextWriterWriteString(w, BAD_CAST sz) >= 0 &&
	    xmlTextWriterEndElement(w) >= 0 &&
	    xmlTextWriterStartElement(w, BAD_CAST "allocation") >= 0 &&
	    xmlTextWriterWriteAttribute(w, BAD_CAST "unit", BAD_CAST "bytes") >= 0 &&
	    xmlTextWriterWriteString(w, BAD_CAST "0") >= 0 &&
	    xmlTextWriterEndElement(w) >= 0 &&
	    xmlTextWriterStartElement(w, BAD_CAST "target") >= 0 &&
	    xmlTextWriterStartElement(w, BAD_CAST "format") >= 0 &&
	    xmlTextWriterWriteAttribute(w, BAD_CAST "type",
	                                BAD_CAST(fmt == XFER_FMT_ISO ? "iso" : "raw")) >= 0 &&
	    xmlTextWriterEndElement(w) >= 0 && xmlTextWriterEndElement(w) >= 0 &&
	    xmlTextWriterEndElement(w) >= 0 && xmlTextWriterFlush(w) >= 0)
		out = xstrdup((const char *)xmlBufferContent(buf));
	if (w)
		xmlFreeTextWriter(w);
	if (buf)
		xmlBufferFree(buf);
	return out;
}

/* The pool named name, running; NULL and *msg otherwise. */
static virStoragePoolPtr
running_pool(virConnectPtr conn, const char *name, char **msg)
{
	virStoragePoolPtr pool = virStoragePoolLookupByName(conn, name);

	if (pool == NULL) {
		*msg = xasprintf("There is no storage pool \"%s\" on this host.", name);
		return NULL;
	}
	if (virStoragePoolIsActive(pool) != 1) {
		*msg = xasprintf("Storage pool \"%s\" is not running; start it first.", name);
		virStoragePoolFree(pool);
		return NULL;
	}
	return pool;
}

/* The file's format: the one asked for, checked against its first bytes;
 * -1 and *msg when they disagree. */
static int
upload_format(int fd, const struct xfer_req *r, enum xfer_format *fmt, char **msg)
{
	unsigned char head[0x8006];
	ssize_t n = pread(fd, head, sizeof head, 0);
	enum xfer_format seen = xfer_format_detect(head, n > 0 ? (size_t)n : 0);

	*fmt = r->format == XFER_FMT_AUTO ? seen : r->format;
	if (*fmt == XFER_FMT_QCOW2 && seen != XFER_FMT_QCOW2) {
		*msg = xasprintf("%s is not a qcow2 image (it does not start with \"QFI\\xfb\"); "
		                 "upload it as raw to send its bytes as they are.", r->path);
		return -1;
	}
	if (*fmt == XFER_FMT_ISO && seen != XFER_FMT_ISO) {
		*msg = xasprintf("%s is not an ISO 9660 image (no \"CD001\" at byte 32769); "
		                 "upload it as raw to send its bytes as they are.", r->path);
		return -1;
	}
	return 0;
}

/* Send n bytes of buf, all of them. */
static int
send_all(virStreamPtr st, const char *buf, size_t n)
{
	size_t off = 0;
	int put;

	while (off < n) {
		if ((put = virStreamSend(st, buf + off, n - off)) < 0)
			return -1;
		off += (size_t)put;
	}
	return 0;
}

/* The file into the stream (what virStreamSparseSendAll does, with a
 * file that shrinks under us caught): its data in chunks of XFER_CHUNK,
 * its holes as holes when sparse. 0, or -1 without having aborted the
 * stream. */
static int
send_file(virStreamPtr st, struct stream_ctx *c, bool sparse)
{
	char *buf = xmalloc(XFER_CHUNK);
	int in_data = 1, rc = -1, got;
	long long len;
	off_t cur;

	for (;;) {
		if (sparse) {
			if (src_hole(st, &in_data, &len, c) < 0)
				goto out;
		} else {
			if ((cur = lseek(c->fd, 0, SEEK_CUR)) < 0) {
				c->err = errno;
				goto out;
			}
			len = (long long)(c->size - (uint64_t)cur);
		}
		if (len <= 0)
			break;
		if (!in_data) {
			if (virStreamSendHole(st, len, 0) < 0 || skip_hole(st, len, c) < 0)
				goto out;
			continue;
		}
		while (len > 0) {
			got = src_read(st, buf, len < XFER_CHUNK ? (size_t)len : XFER_CHUNK, c);
			if (got < 0 || (got > 0 && send_all(st, buf, (size_t)got) < 0))
				goto out;
			if (got == 0) { /* the file shrank under us */
				c->err = EIO;
				goto out;
			}
			len -= got;
		}
	}
	rc = 0;
out:
	free(buf);
	return rc;
}

/* Send the file into vol; 0, or -1 with libvirt's or c's error. */
static int
upload_stream(virConnectPtr conn, virStorageVolPtr vol, struct stream_ctx *c, bool dense,
              bool *sparse)
{
	unsigned flags = dense ? 0 : VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM;
	virStreamPtr st = virStreamNew(conn, 0);
	int rc;

	if (st == NULL)
		return stream_failed(c, NULL);
	if (virStorageVolUpload(vol, st, 0, c->size, flags) < 0) {
		if (flags == 0 || !sparse_unsupported())
			return stream_failed(c, st);
		flags = 0;
		virStreamFree(st);
		if ((st = virStreamNew(conn, 0)) == NULL ||
		    virStorageVolUpload(vol, st, 0, c->size, 0) < 0)
			return stream_failed(c, st);
	}
	*sparse = flags != 0;
	rc = send_file(st, c, flags != 0);
	if (rc < 0 && !c->lverr && !c->err)
		c->lverr = lv_err_line();
	if (rc < 0)
		virStreamAbort(st);
	if (rc == 0)
		rc = virStreamFinish(st);
	if (rc < 0)
		return stream_failed(c, st);
	virStreamFree(st);
	return rc;
}

/* Whether the file has a hole before its end: without one a sparse
 * stream only adds the daemon's hole checks to every chunk. */
static bool
has_holes(int fd, uint64_t size)
{
	off_t h = lseek(fd, 0, SEEK_HOLE);

	lseek(fd, 0, SEEK_SET);
	return h < 0 || (uint64_t)h < size;
}

/* Delete the upload's volume; libvirt holds it busy for a moment after an
 * aborted stream, so a few tries. NULL, or why it could not. */
static char *
delete_half(virStorageVolPtr vol)
{
	int i;

	for (i = 0; i < 50; i++) {
		if (virStorageVolDelete(vol, 0) == 0)
			return NULL;
		usleep(100 * 1000);
	}
	return lv_err_line();
}

/* The outcome of a failed or cancelled upload, its volume removed. */
static enum xfer_outcome
upload_undo(virStorageVolPtr vol, const struct xfer_req *r, const char *name,
            struct stream_ctx *c, char **msg)
{
	char *why = c->cancelled ? NULL : stream_error(c), *left = delete_half(vol);
	char *gone;

	if (left)
		gone = xasprintf("the new volume could not be deleted (%s): delete it with "
		                 "virsh vol-delete --pool %s %s", left, r->pool, name);
	else
		gone = xasprintf("the new volume %s was deleted", name);
	if (c->cancelled)
		*msg = xasprintf("Upload of %s to %s cancelled; %s.", r->path, r->pool, gone);
	else
		*msg = xasprintf("Upload of %s to %s failed: %s; %s.", r->path, r->pool, why, gone);
	free(why);
	free(left);
	free(gone);
	return c->cancelled ? XFER_CANCELLED : XFER_FAILED;
}

static enum xfer_outcome
upload(virConnectPtr conn, const struct xfer_req *r, struct xfer_watch *w, char **msg,
       bool *sparse)
{
	struct stream_ctx c = { .fd = -1, .w = w, .bwlimit = r->bwlimit };
	virStoragePoolPtr pool = NULL;
	virStorageVolPtr vol = NULL;
	enum xfer_outcome rc = XFER_FAILED;
	enum xfer_format fmt;
	struct stat sb;
	char *name = NULL, *xml = NULL, *why, *base, b1[32], b2[32], b3[32];
	double secs;

	if ((c.fd = open(r->path, O_RDONLY | O_CLOEXEC)) < 0 || fstat(c.fd, &sb) < 0) {
		*msg = xasprintf("Cannot open %s: %s.", r->path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(sb.st_mode)) {
		*msg = xasprintf("%s is not a regular file.", r->path);
		goto out;
	}
	if (sb.st_size == 0) {
		*msg = xasprintf("%s is empty; there is nothing to upload.", r->path);
		goto out;
	}
	c.size = (uint64_t)sb.st_size;
	if (upload_format(c.fd, r, &fmt, msg) < 0)
		goto out;
	if (r->vol) {
		name = xstrdup(r->vol);
	} else {
		base = xstrdup(r->path);
		name = xstrdup(basename(base));
		free(base);
	}
	if ((why = xfer_vol_name_check(name)) != NULL) {
		*msg = why;
		goto out;
	}
	if ((pool = running_pool(conn, r->pool, msg)) == NULL)
		goto out;
	if ((vol = virStorageVolLookupByName(pool, name)) != NULL) {
		*msg = xasprintf("Storage pool \"%s\" already has a volume \"%s\"; choose another "
		                 "name or delete that volume first.", r->pool, name);
		virStorageVolFree(vol);
		vol = NULL;
		goto out;
	}
	xml = upload_xml(name, c.size, fmt);
	if (xml == NULL || (vol = virStorageVolCreateXML(pool, xml, 0)) == NULL) {
		why = lv_err_line();
		*msg = xasprintf("Cannot create volume \"%s\" in %s: %s.", name, r->pool, why);
		free(why);
		goto out;
	}
	posix_fadvise(c.fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	xfer_progress_start(&c.prog, c.size, now_ns());
	show(&c, true);
	if (upload_stream(conn, vol, &c, r->dense || !has_holes(c.fd, c.size), sparse) < 0 ||
	    c.cancelled) {
		rc = upload_undo(vol, r, name, &c, msg);
		goto out;
	}
	show(&c, true);
	secs = (double)(now_ns() - c.prog.start_ns) / XFER_NS;
	*msg = xasprintf("Uploaded %s (%s, %s) to %s/%s in %.1f s (%s/s)%s%s%s.", r->path,
	                 xfer_format_name(fmt), human(b1, sizeof b1, c.size), r->pool, name, secs,
	                 human(b3, sizeof b3, (uint64_t)xfer_progress_mean(&c.prog, now_ns())),
	                 c.prog.holes ? "; " : "", c.prog.holes ? human(b2, sizeof b2, c.prog.holes) : "",
	                 c.prog.holes ? " of holes not sent" : "");
	rc = XFER_DONE;
out:
	if (c.fd >= 0)
		close(c.fd);
	if (vol)
		virStorageVolFree(vol);
	if (pool)
		virStoragePoolFree(pool);
	free(c.lverr);
	free(name);
	free(xml);
	return rc;
}

/* ---- download ---- */

/* The process's umask, without changing it (threads). */
static mode_t
current_umask(void)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[128];
	unsigned m = 022;

	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "Umask: %o", &m) == 1)
			break;
	if (f)
		fclose(f);
	return (mode_t)m;
}

/* The file the download writes: path, or VOL inside it when path is a
 * directory. */
static char *
download_target(const struct xfer_req *r)
{
	struct stat sb;

	if (stat(r->path, &sb) == 0 && S_ISDIR(sb.st_mode))
		return xasprintf("%s%s%s", r->path,
		                 r->path[strlen(r->path) - 1] == '/' ? "" : "/", r->vol);
	return xstrdup(r->path);
}

/* Receive vol into c->fd; 0, or -1 with libvirt's or c's error. */
static int
download_stream(virConnectPtr conn, virStorageVolPtr vol, struct stream_ctx *c, bool dense,
                bool *sparse)
{
	unsigned flags = dense ? 0 : VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM;
	virStreamPtr st = virStreamNew(conn, 0);
	off_t end;
	int rc;

	if (st == NULL)
		return stream_failed(c, NULL);
	if (virStorageVolDownload(vol, st, 0, 0, flags) < 0) {
		if (flags == 0 || !sparse_unsupported())
			return stream_failed(c, st);
		flags = 0;
		virStreamFree(st);
		if ((st = virStreamNew(conn, 0)) == NULL ||
		    virStorageVolDownload(vol, st, 0, 0, 0) < 0)
			return stream_failed(c, st);
	}
	*sparse = flags != 0;
	if (flags)
		rc = virStreamSparseRecvAll(st, sink_write, skip_hole, c);
	else
		rc = virStreamRecvAll(st, sink_write, c);
	if (rc == 0)
		rc = virStreamFinish(st);
	if (rc < 0)
		return stream_failed(c, st);
	virStreamFree(st);
	/* Holes at the end leave the file short: give it its whole size. */
	if (rc == 0 && ((end = lseek(c->fd, 0, SEEK_CUR)) < 0 || ftruncate(c->fd, end) < 0)) {
		c->err = errno;
		rc = -1;
	}
	return rc;
}

/* The volume's size as a download sends it (its file's size for a file
 * volume, else its capacity). */
static uint64_t
download_size(virStorageVolPtr vol)
{
	virStorageVolInfo info;

	if (virStorageVolGetInfoFlags(vol, &info, VIR_STORAGE_VOL_GET_PHYSICAL) == 0 &&
	    info.allocation > 0)
		return info.allocation;
	if (virStorageVolGetInfo(vol, &info) == 0)
		return info.capacity;
	return 0;
}

static enum xfer_outcome
download(virConnectPtr conn, const struct xfer_req *r, struct xfer_watch *w, char **msg,
         bool *sparse)
{
	struct stream_ctx c = { .fd = -1, .w = w, .bwlimit = r->bwlimit };
	virStoragePoolPtr pool = NULL;
	virStorageVolPtr vol = NULL;
	enum xfer_outcome rc = XFER_FAILED;
	char *target = download_target(r), *tmp = NULL, *dir, *why, b1[32], b2[32], b3[32];
	struct stat sb;
	mode_t mode = 0666 & ~current_umask();
	double secs;
	bool ok;

	if (lstat(target, &sb) == 0) {
		if (!r->force) {
			*msg = xasprintf("%s already exists; use --force to replace it.", target);
			goto out;
		}
		if (!S_ISREG(sb.st_mode)) {
			*msg = xasprintf("%s exists and is not a regular file; it is left alone.", target);
			goto out;
		}
		mode = sb.st_mode & 07777;
	}
	if ((pool = running_pool(conn, r->pool, msg)) == NULL)
		goto out;
	if ((vol = virStorageVolLookupByName(pool, r->vol)) == NULL) {
		*msg = xasprintf("Storage pool \"%s\" has no volume \"%s\".", r->pool, r->vol);
		goto out;
	}
	dir = xstrdup(target);
	tmp = xasprintf("%s/.%s.vmtui-XXXXXX", dirname(dir), strrchr(target, '/') ?
	                strrchr(target, '/') + 1 : target);
	free(dir);
	if ((c.fd = mkostemp(tmp, O_CLOEXEC)) < 0) {
		*msg = xasprintf("Cannot write beside %s: %s.", target, strerror(errno));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	fchmod(c.fd, mode);
	xfer_progress_start(&c.prog, download_size(vol), now_ns());
	show(&c, true);
	ok = download_stream(conn, vol, &c, r->dense, sparse) == 0 && !c.cancelled;
	if (ok) {
		int fd = c.fd;
		c.fd = -1;
		if (close(fd) < 0 || rename(tmp, target) < 0) {
			c.err = errno;
			ok = false;
		}
	}
	if (!ok) {
		why = c.cancelled ? NULL : stream_error(&c);
		if (c.cancelled)
			*msg = xasprintf("Download of %s/%s cancelled; nothing was written to %s.",
			                 r->pool, r->vol, target);
		else
			*msg = xasprintf("Download of %s/%s failed: %s; nothing was written to %s.",
			                 r->pool, r->vol, why, target);
		free(why);
		rc = c.cancelled ? XFER_CANCELLED : XFER_FAILED;
		goto out;
	}
	free(tmp);
	tmp = NULL;
	if (c.prog.done > c.prog.total)
		c.prog.total = c.prog.done;
	show(&c, true);
	secs = (double)(now_ns() - c.prog.start_ns) / XFER_NS;
	*msg = xasprintf("Downloaded %s/%s (%s) to %s in %.1f s (%s/s)%s%s%s.", r->pool, r->vol,
	                 human(b1, sizeof b1, c.prog.done), target, secs,
	                 human(b3, sizeof b3, (uint64_t)xfer_progress_mean(&c.prog, now_ns())),
	                 c.prog.holes ? "; " : "", c.prog.holes ? human(b2, sizeof b2, c.prog.holes) : "",
	                 c.prog.holes ? " of holes not sent" : "");
	rc = XFER_DONE;
out:
	if (c.fd >= 0)
		close(c.fd);
	if (tmp)
		unlink(tmp);
	free(tmp);
	free(target);
	free(c.lverr);
	if (vol)
		virStorageVolFree(vol);
	if (pool)
		virStoragePoolFree(pool);
	return rc;
}

virConnectPtr
xfer_connect(const char *uri, virConnectAuthPtr auth)
{
	virConnectPtr c;

	eventloop_deny_watches(true);
	c = lv_open(uri, false, auth);
	eventloop_deny_watches(false);
	return c;
}

void
xfer_cancel(struct xfer_watch *w)
{
	atomic_store(&w->cancel, true);
}

enum xfer_outcome
xfer_run(virConnectPtr conn, const struct xfer_req *r, struct xfer_watch *w, char **msg,
         bool *sparse)
{
	bool sp = false;
	enum xfer_outcome rc;

	*msg = NULL;
	rc = r->dir == XFER_UPLOAD ? upload(conn, r, w, msg, &sp) : download(conn, r, w, msg, &sp);
	if (sparse)
		*sparse = sp;
	return rc;
}

/* ---- the TUI's job ---- */

/* Drop one reference; the last frees the job. */
static void
job_unref(struct xfer_job *j)
{
	if (!host_unref(j->host, &j->refs))
		return;
	xfer_req_clear(&j->req);
	pthread_mutex_destroy(&j->ulock);
	pthread_cond_destroy(&j->cond);
	free(j->uri);
	free(j->uri_err);
	free(j->virsh_uri);
	free(j->msg);
	free(j);
}

/* On the host's worker: the URI a second connection opens. */
static void
job_uri(struct host *h, virConnectPtr conn, void *arg)
{
	struct xfer_job *j = arg;
	char *uri = NULL, *err = NULL, *e, *u;

	if (conn == NULL) {
		err = host_not_connected(h);
	} else if ((u = virConnectGetURI(conn)) == NULL) {
		e = lv_err_line();
		err = xasprintf("Cannot read the URI of %s: %s.", host_label(h), e);
		free(e);
	} else {
		uri = xstrdup(u);
		free(u);
	}
	pthread_mutex_lock(&j->ulock);
	j->uri = uri;
	j->uri_err = err;
	j->uri_ready = true;
	pthread_cond_broadcast(&j->cond);
	pthread_mutex_unlock(&j->ulock);
	job_unref(j);
}

/* The transfer's progress, on its thread: a copy for the view. */
static void
job_progress(void *opaque, const struct xfer_progress *p)
{
	struct xfer_job *j = opaque;

	host_lock(j->host);
	j->prog = *p;
	j->state = XFER_ST_RUNNING;
	host_publish_unlock(j->host);
}

static void
job_end(struct xfer_job *j, enum xfer_outcome o, char *msg, bool sparse)
{
	host_lock(j->host);
	j->state = XFER_ST_ENDED;
	j->outcome = o;
	j->msg = msg;
	j->sparse = sparse;
	host_publish_unlock(j->host);
}

static int
no_auth(virConnectCredentialPtr cred, unsigned int ncred, void *cbdata)
{
	(void)cred;
	(void)ncred;
	(void)cbdata;
	return -1;
}

/* The transfer's thread: wait for the URI, connect, run, log, publish. */
static void *
job_thread(void *arg)
{
	struct xfer_job *j = arg;
	int credtypes[] = { VIR_CRED_AUTHNAME };
	virConnectAuth auth = { credtypes, 1, no_auth, NULL };
	virConnectPtr conn;
	char *uri, *msg = NULL, *virsh, *what, *e;
	enum xfer_outcome o;
	bool sparse = false;
	struct stat sb;

	pthread_mutex_lock(&j->ulock);
	while (!j->uri_ready && !atomic_load(&j->watch.cancel))
		pthread_cond_wait(&j->cond, &j->ulock);
	uri = j->uri_ready && j->uri ? xstrdup(j->uri) : NULL;
	msg = j->uri_ready && j->uri_err ? xstrdup(j->uri_err) : NULL;
	pthread_mutex_unlock(&j->ulock);
	what = xfer_what(&j->req);
	if (uri == NULL) {
		if (msg)
			msglog_action(NULL, msg, "%s", what);
		job_end(j, msg ? XFER_FAILED : XFER_CANCELLED,
		        msg ? msg : xasprintf("The %s was cancelled before it started.",
		                              j->req.dir == XFER_UPLOAD ? "upload" : "download"),
		        false);
		free(what);
		return NULL;
	}
	if ((conn = xfer_connect(uri, &auth)) == NULL) {
		e = lv_err_line();
		msg = xasprintf("Cannot open a connection for the transfer: %s.", e);
		free(e);
		msglog_action(NULL, msg, "%s", what);
		job_end(j, XFER_FAILED, msg, false);
		free(uri);
		free(what);
		return NULL;
	}
	o = xfer_run(conn, &j->req, &j->watch, &msg, &sparse);
	virConnectClose(conn);
	virsh = xfer_virsh(j->virsh_uri, &j->req,
	                   j->req.dir == XFER_UPLOAD && stat(j->req.path, &sb) == 0 ?
	                   (uint64_t)sb.st_size : 0);
	if (o == XFER_DONE)
		msglog_action(virsh, NULL, "%s", what);
	else if (o == XFER_CANCELLED)
		msglog_add(MSG_INFO, "%s", msg);
	else
		msglog_action(virsh, msg, "%s", what);
	job_end(j, o, msg, sparse);
	free(virsh);
	free(uri);
	free(what);
	return NULL;
}

struct xfer_job *
xfer_job_start(struct host *h, struct xfer_req *r)
{
	struct xfer_job *j = xcalloc(1, sizeof *j);

	j->host = h;
	j->req = *r;
	memset(r, 0, sizeof *r);
	xfer_req_default_name(&j->req);
	atomic_init(&j->watch.cancel, false);
	j->watch.progress = job_progress;
	j->watch.opaque = j;
	pthread_mutex_init(&j->ulock, NULL);
	pthread_cond_init(&j->cond, NULL);
	j->virsh_uri = host_virsh_uri(h);
	j->refs = 2; /* the UI's, and job_uri's */
	j->state = XFER_ST_STARTING;
	if (pthread_create(&j->thread, NULL, job_thread, j) == 0) {
		j->thread_started = true;
	} else {
		j->state = XFER_ST_ENDED;
		j->outcome = XFER_FAILED;
		j->msg = xstrdup("Cannot start a thread for the transfer.");
	}
	host_call(h, job_uri, j);
	return j;
}

void
xfer_job_cancel(struct xfer_job *j)
{
	xfer_cancel(&j->watch);
	pthread_mutex_lock(&j->ulock);
	pthread_cond_broadcast(&j->cond);
	pthread_mutex_unlock(&j->ulock);
}

void
xfer_job_release(struct xfer_job *j)
{
	if (j == NULL)
		return;
	if (j->thread_started) {
		xfer_job_cancel(j);
		pthread_join(j->thread, NULL);
	}
	job_unref(j);
}
