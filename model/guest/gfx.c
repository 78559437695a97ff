/* gfx.c — a guest's graphical screen over VNC, or screenshots (gfx.h).
 *
 * Threads and ownership.
 *   - The UI thread: gfx_open, gfx_close, the input calls, reading.
 *   - The host's worker: the opening (open_job: the domain XML, the
 *     socket), and in the fallback each screenshot (shot_job) and each
 *     batch of keys (keys_job).
 *   - The session's thread (run): waits for the opening's verdict, then
 *     pumps RFB with libvncclient, or paces the fallback's jobs.
 * Everything in struct gfx below `lock` is guarded by it. libvncclient's
 * rfbClient and its own framebuffer belong to the session's thread alone:
 * each finished update is copied (its changed rectangle only) into the
 * shared framebuffer under the lock, so the UI never reads pixels while
 * they are decoded. The struct is freed when the last of the owner, the
 * thread and the jobs in flight lets go (refs). */
#include "gfx.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <png.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <libvirt/virterror.h>
#include <rfb/rfbclient.h>

#include "../base/notify.h"
#include "../base/threads.h"
#include "../base/xmalloc.h"
#include "../host/sshlink.h"
#include "../stats/vm.h"

#define DEFAULT_FPS 15
#define DEFAULT_SHOT_MS 500
#define MAX_SIDE 16384
#define QUEUE_MAX 4096

enum ev_kind { EV_KEY, EV_PTR };
struct ev {
	enum ev_kind kind;
	uint32_t keysym;
	bool down;
	int x, y;
	unsigned buttons;
};

/* What the opening decided, for the session's thread. */
enum verdict { V_WAIT, V_VNC, V_SHOT, V_END };

struct gfx {
	struct host *host;            /* immutable */
	char uuid[VM_UUID_LEN];       /* immutable */
	struct gfx_open_opts o;            /* immutable */
	int wake[2];                  /* immutable: wakes the session's thread */
	pthread_t thread;             /* the owner's */
	bool started;                 /* the owner's */

	pthread_mutex_t lock;
	int refs;
	bool quit;
	/* the opening's verdict */
	enum verdict verdict;
	int fd;                       /* the VNC socket (the thread owns it
	                               * once V_VNC; -1 after it is closed) */
	char *how;                    /* how VNC is reached, or why not */
	char *vnc_err;                /* libvncclient's last word when it ended */
	bool local;                   /* a host without SSH */
	/* status */
	enum gfx_state mode;
	char *text;
	uint64_t st_seq;
	/* framebuffer */
	uint32_t *px;
	int width, height;
	struct gfx_rect dirty;
	uint64_t seq;
	/* input */
	struct ev *q;
	size_t nq, capq;
	bool shot_busy, keys_busy;    /* a fallback job in flight */
	int shot_fails;               /* screenshots failed in a row */
	uint32_t held[8];             /* the fallback's modifiers held down */
	size_t nheld;
};

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
wake(struct gfx *g)
{
	char c = 1;
	ssize_t r = write(g->wake[1], &c, 1);
	(void)r;
}

static void
unref(struct gfx *g)
{
	bool last;

	pthread_mutex_lock(&g->lock);
	last = --g->refs == 0;
	pthread_mutex_unlock(&g->lock);
	if (!last)
		return;
	if (g->fd >= 0)
		close(g->fd);
	close(g->wake[0]);
	close(g->wake[1]);
	free(g->how);
	free(g->vnc_err);
	free(g->text);
	free(g->px);
	free(g->q);
	pthread_mutex_destroy(&g->lock);
	free(g);
}

/* With the lock held: set the status and wake the UI. */
static void
set_status_locked(struct gfx *g, enum gfx_state m, char *text)
{
	if (g->mode == GFX_ENDED) { /* the end is final */
		free(text);
		return;
	}
	g->mode = m;
	free(g->text);
	g->text = text;
	g->st_seq++;
	notify_post();
}

static void
set_status(struct gfx *g, enum gfx_state m, char *text)
{
	pthread_mutex_lock(&g->lock);
	set_status_locked(g, m, text);
	pthread_mutex_unlock(&g->lock);
}

static void
decide(struct gfx *g, enum verdict v, int fd, char *how)
{
	pthread_mutex_lock(&g->lock);
	g->verdict = v;
	g->fd = fd;
	free(g->how);
	g->how = how;
	pthread_mutex_unlock(&g->lock);
	wake(g);
}

/* Replace the shared framebuffer by w x h pixels (copied from src with
 * stride sstride, or black). A new size makes the whole of it dirty; the
 * same size only the box around the pixels that differ (a screenshot of
 * a still screen changes nothing, and wakes nobody). */
static void
fb_replace(struct gfx *g, const uint32_t *src, int w, int h, int sstride)
{
	struct gfx_rect d = { 0, 0, 0, 0 };
	int x, y;

	pthread_mutex_lock(&g->lock);
	if (g->width != w || g->height != h || g->px == NULL) {
		free(g->px);
		g->px = xcalloc((size_t)w * (size_t)h, sizeof *g->px);
		g->width = w;
		g->height = h;
		g->st_seq++;
		d = (struct gfx_rect){ 0, 0, w, h };
	}
	for (y = 0; src && y < h; y++) {
		uint32_t *row = g->px + (size_t)y * (size_t)w;
		const uint32_t *from = src + (size_t)y * (size_t)sstride;
		int x0 = -1, x1 = -1;

		for (x = 0; x < w; x++) {
			if (row[x] != from[x]) {
				if (x0 < 0)
					x0 = x;
				x1 = x;
			}
		}
		if (x0 >= 0) {
			struct gfx_rect r = { x0, y, x1 - x0 + 1, 1 };
			memcpy(row + x0, from + x0, (size_t)(x1 - x0 + 1) * sizeof *from);
			gfx_rect_merge(&d, &r);
		}
	}
	if (d.w > 0) {
		gfx_rect_merge(&g->dirty, &d);
		g->seq++;
	}
	pthread_mutex_unlock(&g->lock);
	if (d.w > 0)
		notify_post();
}

/* ---- the fallback: screenshots and send-key on the host's worker ---- */

static char *
lv_error(const char *fallback)
{
	virErrorPtr e = virGetLastError();
	return xstrdup(e && e->message ? e->message : fallback);
}

/* The end of the session as the guest's state explains it. */
static char *
end_reason(virConnectPtr conn, const char *uuid, const char *otherwise)
{
	virDomainPtr dom = conn ? virDomainLookupByUUIDString(conn, uuid) : NULL;
	char *r;

	if (dom == NULL) {
		virResetLastError();
		return xstrdup(conn ? "The guest is gone (undefined)." : otherwise);
	}
	r = virDomainIsActive(dom) == 0 ? xstrdup("The guest shut down.") : xstrdup(otherwise);
	virDomainFree(dom);
	return r;
}

int
gfx_screenshot(virDomainPtr dom, uint32_t **px, int *width, int *height, char **err)
{
	virConnectPtr conn = virDomainGetConnect(dom);
	virStreamPtr st = virStreamNew(conn, 0);
	char *mime = NULL, *perr = NULL;
	unsigned char *buf = NULL;
	size_t len = 0, cap = 0;
	int n, ret = -1;

	*px = NULL;
	if (st == NULL) {
		*err = lv_error("Cannot make a stream for the screenshot.");
		return -1;
	}
	mime = virDomainScreenshot(dom, st, 0, 0);
	if (mime == NULL) {
		*err = lv_error("The screenshot failed.");
		virStreamFree(st);
		return -1;
	}
	for (;;) {
		if (cap - len < 65536) {
			cap = cap ? cap * 2 : 1 << 20;
			if (cap > (size_t)MAX_SIDE * MAX_SIDE * 6 + 4096) {
				*err = xstrdup("The screenshot is larger than vmtui takes.");
				virStreamAbort(st);
				goto out;
			}
			buf = xrealloc(buf, cap);
		}
		n = virStreamRecv(st, (char *)buf + len, cap - len);
		if (n < 0) {
			*err = lv_error("Reading the screenshot failed.");
			virStreamAbort(st);
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	virStreamFinish(st);
	if (strcmp(mime, "image/png") == 0) {
		if (gfx_png_decode(buf, len, px, width, height, &perr) < 0) {
			*err = xasprintf("The screenshot is not readable: %s.", perr);
			free(perr);
			goto out;
		}
	} else if (strcmp(mime, "image/x-portable-pixmap") == 0) {
		if (gfx_ppm_decode(buf, len, px, width, height, &perr) < 0) {
			*err = xasprintf("The screenshot is not readable: %s.", perr);
			free(perr);
			goto out;
		}
	} else {
		*err = xasprintf("The screenshot came as %s; vmtui reads PNG and PPM.", mime);
		goto out;
	}
	ret = 0;
out:
	virStreamFree(st);
	free(mime);
	free(buf);
	return ret;
}

static void
shot_job(struct host *h, virConnectPtr conn, void *arg)
{
	struct gfx *g = arg;
	virDomainPtr dom = conn ? virDomainLookupByUUIDString(conn, g->uuid) : NULL;
	uint32_t *px = NULL;
	int w = 0, ht = 0;
	char *err = NULL;

	if (dom == NULL) {
		char *why = conn ? end_reason(conn, g->uuid, "The guest is gone.")
		                 : host_not_connected(h);
		set_status(g, GFX_ENDED, why);
	} else if (gfx_screenshot(dom, &px, &w, &ht, &err) < 0) {
		/* A guest going down fails its screenshot before the daemon
		 * calls it inactive: ask for up to 2 s; a guest still running
		 * ends the session after 3 failures in a row. */
		int i, active = 1, fails;

		for (i = 0; i < 8 && (active = virDomainIsActive(dom)) == 1; i++)
			usleep(250 * 1000);
		pthread_mutex_lock(&g->lock);
		fails = ++g->shot_fails;
		pthread_mutex_unlock(&g->lock);
		if (active != 1)
			set_status(g, GFX_ENDED, xstrdup("The guest shut down."));
		else if (fails >= 3)
			set_status(g, GFX_ENDED, xasprintf("The screenshot failed: %s", err));
		virResetLastError();
		free(err);
	} else {
		pthread_mutex_lock(&g->lock);
		g->shot_fails = 0;
		pthread_mutex_unlock(&g->lock);
		fb_replace(g, px, w, ht, w);
		free(px);
	}
	if (dom)
		virDomainFree(dom);
	pthread_mutex_lock(&g->lock);
	g->shot_busy = false;
	pthread_mutex_unlock(&g->lock);
	wake(g);
	unref(g);
}

struct keys_job {
	struct gfx *g;
	struct ev *v;
	size_t n;
};

static bool
is_modifier(uint32_t sym)
{
	return sym >= 0xffe1 && sym <= 0xffee;
}

/* Send a batch of key events with virDomainSendKey: a modifier pressed is
 * held (remembered) until released; any other key pressed goes with the
 * modifiers held, pressed and released at once. */
static void
keys_job(struct host *h, virConnectPtr conn, void *arg)
{
	struct keys_job *j = arg;
	struct gfx *g = j->g;
	virDomainPtr dom = conn ? virDomainLookupByUUIDString(conn, g->uuid) : NULL;
	size_t i, k;
	(void)h;

	for (i = 0; dom && i < j->n; i++) {
		struct ev *e = &j->v[i];
		unsigned int codes[9];
		size_t nc = 0;
		int code;

		if (e->kind != EV_KEY)
			continue;
		pthread_mutex_lock(&g->lock);
		if (is_modifier(e->keysym)) {
			for (k = 0; k < g->nheld && g->held[k] != e->keysym; k++)
				;
			if (e->down && k == g->nheld && g->nheld < 8)
				g->held[g->nheld++] = e->keysym;
			else if (!e->down && k < g->nheld)
				g->held[k] = g->held[--g->nheld];
			pthread_mutex_unlock(&g->lock);
			continue;
		}
		for (k = 0; k < g->nheld; k++)
			if ((code = gfx_keysym_linux(g->held[k])) >= 0)
				codes[nc++] = (unsigned)code;
		pthread_mutex_unlock(&g->lock);
		if (!e->down || (code = gfx_keysym_linux(e->keysym)) < 0)
			continue;
		codes[nc++] = (unsigned)code;
		if (virDomainSendKey(dom, VIR_KEYCODE_SET_LINUX, 0, codes, (int)nc, 0) < 0)
			virResetLastError(); /* a guest gone: the next screenshot says so */
	}
	if (dom)
		virDomainFree(dom);
	pthread_mutex_lock(&g->lock);
	g->keys_busy = false;
	pthread_mutex_unlock(&g->lock);
	wake(g);
	free(j->v);
	free(j);
	unref(g);
}

/* ---- the opening, on the host's worker ---- */

static int
connect_unix(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof sa.sun_path)
		return -1;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* Connect to addr:port, waiting at most 3 s. */
static int
connect_tcp(const char *addr, int port)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res, *ai;
	char serv[16];
	int fd = -1;

	snprintf(serv, sizeof serv, "%d", port);
	if (getaddrinfo(addr, serv, &hints, &res) != 0)
		return -1;
	for (ai = res; ai && fd < 0; ai = ai->ai_next) {
		struct pollfd pf;
		int soerr = 0, fl;
		socklen_t sl = sizeof soerr;

		fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
		if (fd < 0)
			continue;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			goto connected;
		pf = (struct pollfd){ .fd = fd, .events = POLLOUT };
		if (errno != EINPROGRESS || poll(&pf, 1, 3000) != 1 ||
		    getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) < 0 || soerr != 0) {
			close(fd);
			fd = -1;
			continue;
		}
	connected:
		fl = fcntl(fd, F_GETFL);
		fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	}
	freeaddrinfo(res);
	return fd;
}

/* The address to reach a VNC server listening on listen from the host
 * itself: a wildcard is reached on the loopback. */
static const char *
reach_addr(const char *listen)
{
	if (listen == NULL || strcmp(listen, "0.0.0.0") == 0)
		return "127.0.0.1";
	if (strcmp(listen, "::") == 0)
		return "::1";
	return listen;
}

static void
open_job(struct host *h, virConnectPtr conn, void *arg)
{
	struct gfx *g = arg;
	virDomainPtr dom = NULL;
	struct gfx_display d = { .port = -1 };
	char *xml = NULL, *name = NULL;
	int fd = -1;

	if (conn == NULL) {
		set_status(g, GFX_ENDED, host_not_connected(h));
		decide(g, V_END, -1, NULL);
		goto out;
	}
	dom = virDomainLookupByUUIDString(conn, g->uuid);
	if (dom == NULL) {
		virResetLastError();
		set_status(g, GFX_ENDED, xstrdup("The guest is gone (undefined)."));
		decide(g, V_END, -1, NULL);
		goto out;
	}
	name = xstrdup(virDomainGetName(dom));
	if (virDomainIsActive(dom) != 1) {
		set_status(g, GFX_ENDED, xasprintf("%s is not running; start it to see its screen.", name));
		decide(g, V_END, -1, NULL);
		goto out;
	}
	xml = virDomainGetXMLDesc(dom, 0);
	if (xml == NULL || gfx_display_parse(xml, &d) < 0) {
		set_status(g, GFX_ENDED, xasprintf("Cannot read %s's definition: %s", name,
		                                   xml ? "not XML" : virGetLastErrorMessage()));
		decide(g, V_END, -1, NULL);
		goto out;
	}
	if (d.type == NULL && !d.video) {
		set_status(g, GFX_ENDED, xasprintf("%s has no graphical display (no video device and no <graphics> in its definition).", name));
		decide(g, V_END, -1, NULL);
		goto out;
	}
	if (d.type == NULL) {
		decide(g, V_SHOT, -1, xstrdup("no VNC display defined"));
		goto out;
	}
	if (g->o.force_shot) {
		decide(g, V_SHOT, -1, xstrdup("screenshots asked for"));
		goto out;
	}
	if (!d.has_vnc) {
		decide(g, V_SHOT, -1, xasprintf("a %s display, not VNC", d.type));
		goto out;
	}
	if (h->ssh == NULL) {
		fd = virDomainOpenGraphicsFD(dom, 0, VIR_DOMAIN_OPEN_GRAPHICS_SKIPAUTH);
		if (fd >= 0) {
			decide(g, V_VNC, fd, xstrdup("VNC through libvirt"));
			goto out;
		}
		virResetLastError();
		if (d.socket && (fd = connect_unix(d.socket)) >= 0) {
			decide(g, V_VNC, fd, xasprintf("VNC on %s", d.socket));
			goto out;
		}
		if (d.port > 0 && (fd = connect_tcp(reach_addr(d.listen), d.port)) >= 0) {
			decide(g, V_VNC, fd, xasprintf("VNC on %s:%d", reach_addr(d.listen), d.port));
			goto out;
		}
		decide(g, V_SHOT, -1, xasprintf("VNC %s%s%d out of reach",
		                                d.socket ? d.socket : reach_addr(d.listen),
		                                d.socket ? "" : ":", d.socket ? 0 : d.port));
		goto out;
	} else {
		struct sshlink *l = host_link(h);
		char *err = NULL;

		if (l == NULL || (d.socket == NULL && d.port <= 0)) {
			decide(g, V_SHOT, -1, xstrdup("no VNC address to reach over SSH"));
			goto out;
		}
		fd = sshlink_forward(l, d.socket ? NULL : reach_addr(d.listen),
		                     d.socket ? 0 : (unsigned)d.port, d.socket, &err);
		if (fd < 0) {
			decide(g, V_SHOT, -1, err);
			goto out;
		}
		decide(g, V_VNC, fd, d.socket ? xasprintf("VNC over SSH to %s", d.socket)
		                              : xasprintf("VNC over SSH to %s:%d",
		                                          reach_addr(d.listen), d.port));
	}
out:
	gfx_display_free(&d);
	free(xml);
	free(name);
	if (dom)
		virDomainFree(dom);
	unref(g);
}

/* ---- the session's thread: VNC ---- */

static int client_tag;
static __thread char rfb_last[256]; /* libvncclient's last message, per thread */
static __thread char rfb_why[128];  /* what our callbacks refused, per thread */

static void
rfb_log(const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(rfb_last, sizeof rfb_last, fmt, ap);
	va_end(ap);
	if (getenv("VMTUI_GFX_TRACE"))
		fprintf(stderr, "rfb: %s", rfb_last);
	n = strlen(rfb_last);
	while (n > 0 && (rfb_last[n - 1] == '\n' || rfb_last[n - 1] == '.'))
		rfb_last[--n] = '\0';
}

/* The session's thread's own state while it pumps RFB. */
struct vnc {
	struct gfx *g;
	rfbClient *cl;
	struct gfx_rect pending; /* changed in the update being read */
};

static rfbBool
vnc_malloc_fb(rfbClient *cl)
{
	struct vnc *v = rfbClientGetClientData(cl, &client_tag);

	if (cl->width <= 0 || cl->height <= 0 || cl->width > MAX_SIDE || cl->height > MAX_SIDE) {
		rfb_log("a screen of %dx%d pixels", cl->width, cl->height);
		return FALSE;
	}
	free(cl->frameBuffer);
	cl->frameBuffer = xcalloc((size_t)cl->width * (size_t)cl->height, 4);
	fb_replace(v->g, NULL, cl->width, cl->height, cl->width);
	v->pending = (struct gfx_rect){ 0, 0, 0, 0 };
	return TRUE;
}

static void
vnc_got(rfbClient *cl, int x, int y, int w, int h)
{
	struct vnc *v = rfbClientGetClientData(cl, &client_tag);
	struct gfx_rect r = { x, y, w, h };

	gfx_rect_merge(&v->pending, &r);
}

static void
vnc_finished(rfbClient *cl)
{
	struct vnc *v = rfbClientGetClientData(cl, &client_tag);
	struct gfx *g = v->g;
	struct gfx_rect r = v->pending;
	const uint32_t *src = (const uint32_t *)cl->frameBuffer;
	int y;

	v->pending = (struct gfx_rect){ 0, 0, 0, 0 };
	pthread_mutex_lock(&g->lock);
	gfx_rect_clamp(&r, g->width, g->height);
	if (r.w > 0 && g->width == cl->width && g->height == cl->height) {
		for (y = r.y; y < r.y + r.h; y++)
			memcpy(g->px + (size_t)y * (size_t)g->width + (size_t)r.x,
			       src + (size_t)y * (size_t)cl->width + (size_t)r.x,
			       (size_t)r.w * sizeof *src);
		gfx_rect_merge(&g->dirty, &r);
		g->seq++;
	}
	pthread_mutex_unlock(&g->lock);
	if (r.w > 0)
		notify_post();
}

static char *
vnc_no_password(rfbClient *cl)
{
	(void)cl;
	snprintf(rfb_why, sizeof rfb_why, "the VNC server asks for a password");
	return NULL;
}

static rfbCredential *
vnc_no_credential(rfbClient *cl, int type)
{
	(void)cl;
	snprintf(rfb_why, sizeof rfb_why, "the VNC server asks for %s",
	         type == rfbCredentialTypeX509 ? "TLS certificates" : "a user and password");
	return NULL;
}

/* Take the queued events (caller frees *v). */
static size_t
take_queue(struct gfx *g, struct ev **v)
{
	size_t n;

	pthread_mutex_lock(&g->lock);
	*v = g->q;
	n = g->nq;
	g->q = NULL;
	g->nq = g->capq = 0;
	pthread_mutex_unlock(&g->lock);
	return n;
}

static bool
quitting(struct gfx *g)
{
	bool q;

	pthread_mutex_lock(&g->lock);
	q = g->quit;
	pthread_mutex_unlock(&g->lock);
	return q;
}

static void
drain_wake(struct gfx *g)
{
	char buf[64];

	while (read(g->wake[0], buf, sizeof buf) > 0)
		;
}

/* Close the session's VNC socket. */
static void
close_fd(struct gfx *g)
{
	pthread_mutex_lock(&g->lock);
	if (g->fd >= 0)
		close(g->fd);
	g->fd = -1;
	pthread_mutex_unlock(&g->lock);
}

/* Why the VNC session ended, asked of the host's worker. */
static void
why_job(struct host *h, virConnectPtr conn, void *arg)
{
	struct gfx *g = arg;
	char *why = NULL, *closed;
	int i;

	pthread_mutex_lock(&g->lock);
	closed = g->vnc_err ? xasprintf("The VNC connection ended (%s).", g->vnc_err)
	                    : xstrdup("The VNC server closed the connection.");
	pthread_mutex_unlock(&g->lock);
	/* The daemon may see the guest's end a moment after its VNC server
	 * closed: ask again for up to 2 s. */
	for (i = 0; conn && i < 8; i++) {
		free(why);
		why = end_reason(conn, g->uuid, closed);
		if (strcmp(why, closed) != 0)
			break;
		usleep(250 * 1000);
	}
	free(closed);
	set_status(g, GFX_ENDED, why ? why : host_not_connected(h));
	unref(g);
}

/* Send our own SetEncodings, replacing the one rfbInitClient sent: that
 * one offers ExtendedDesktopSize, which QEMU then uses for every resize,
 * and libvncclient 0.9.14 drops QEMU's (its screen has id 0) and then
 * fails on the first rectangle of the new size. Without it QEMU says
 * DesktopSize, which libvncclient follows. Lossless encodings only. */
static rfbBool
set_encodings(rfbClient *cl)
{
	static const uint32_t encs[] = {
		16,          /* ZRLE */
		5,           /* Hextile */
		6,           /* zlib */
		0,           /* raw */
		rfbEncodingNewFBSize,
		rfbEncodingLastRect,
	};
	unsigned char msg[4 + sizeof encs];
	size_t i;

	msg[0] = rfbSetEncodings;
	msg[1] = 0;
	msg[2] = 0;
	msg[3] = (unsigned char)(sizeof encs / sizeof encs[0]);
	for (i = 0; i < sizeof encs / sizeof encs[0]; i++) {
		msg[4 + i * 4] = (unsigned char)(encs[i] >> 24);
		msg[5 + i * 4] = (unsigned char)(encs[i] >> 16);
		msg[6 + i * 4] = (unsigned char)(encs[i] >> 8);
		msg[7 + i * 4] = (unsigned char)encs[i];
	}
	return WriteToRFBServer(cl, (const char *)msg, (unsigned)sizeof msg);
}

/* Pump RFB until the end. Returns true when the handshake failed (the
 * caller may fall back), false when the session ran and ended. */
static bool
run_vnc(struct gfx *g, int fd, const char *how, char **why)
{
	struct vnc v = { .g = g };
	rfbClient *cl = rfbGetClient(8, 3, 4);
	unsigned fps = g->o.fps ? g->o.fps : DEFAULT_FPS;
	uint64_t frame_ms = 1000 / (fps ? fps : 1), next_read = 0;
	bool ended = false;

	rfb_last[0] = rfb_why[0] = '\0';
	cl->format.redShift = 16;
	cl->format.greenShift = 8;
	cl->format.blueShift = 0;
	cl->canHandleNewFBSize = TRUE;
	cl->MallocFrameBuffer = vnc_malloc_fb;
	cl->GotFrameBufferUpdate = vnc_got;
	cl->FinishedFrameBufferUpdate = vnc_finished;
	cl->GetPassword = vnc_no_password;
	cl->GetCredential = vnc_no_credential;
	/* Lossless encodings only: what vmtui shows is what the guest has. */
	cl->appData.encodingsString = "copyrect zrle hextile zlib raw";
	cl->appData.shareDesktop = TRUE;
	/* libvncclient closes the socket it is given; g->fd stays ours (for
	 * gfx_close's shutdown) until the session is over. */
	cl->sock = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	cl->listenSpecified = TRUE; /* the socket is connected already */
	rfbClientSetClientData(cl, &client_tag, &v);
	if (cl->sock < 0) {
		rfbClientCleanup(cl);
		close_fd(g);
		*why = xasprintf("cannot duplicate the VNC socket: %s", strerror(errno));
		return true;
	}
	if (!rfbInitClient(cl, NULL, NULL)) {
		/* rfbInitClient freed cl and closed its socket. */
		close_fd(g);
		*why = xstrdup(rfb_why[0] ? rfb_why : rfb_last[0] ? rfb_last : "the VNC handshake failed");
		return true;
	}
	if (!set_encodings(cl)) {
		free(cl->frameBuffer);
		cl->frameBuffer = NULL;
		rfbClientCleanup(cl);
		close_fd(g);
		*why = xstrdup(rfb_last[0] ? rfb_last : "the VNC server went away");
		return true;
	}
	set_status(g, GFX_VNC, xstrdup(how));
	while (!quitting(g)) {
		struct pollfd pf[2] = { { .fd = g->wake[0], .events = POLLIN },
		                        { .fd = cl->sock, .events = POLLIN } };
		uint64_t now = now_ms();
		int timeout = -1;
		struct ev *q;
		size_t n, i;
		bool ok = true;

		if (now < next_read) {
			pf[1].fd = -1; /* the frame cap: read the next update later */
			timeout = (int)(next_read - now);
		} else if (cl->buffered > 0) {
			timeout = 0;
		}
		if (poll(pf, 2, timeout) < 0 && errno != EINTR)
			break;
		if (pf[0].revents & POLLIN)
			drain_wake(g);
		n = take_queue(g, &q);
		for (i = 0; ok && i < n && !g->o.readonly; i++) {
			if (q[i].kind == EV_KEY)
				ok = SendKeyEvent(cl, q[i].keysym, q[i].down);
			else
				ok = SendPointerEvent(cl, q[i].x, q[i].y, (int)q[i].buttons);
		}
		free(q);
		if (!ok) {
			ended = true;
			break;
		}
		if (now_ms() >= next_read && ((pf[1].revents & (POLLIN | POLLHUP | POLLERR)) || cl->buffered > 0)) {
			uint64_t seq;

			pthread_mutex_lock(&g->lock);
			seq = g->seq;
			pthread_mutex_unlock(&g->lock);
			if (!HandleRFBServerMessage(cl)) {
				ended = true;
				break;
			}
			pthread_mutex_lock(&g->lock);
			if (g->seq != seq)
				next_read = now_ms() + frame_ms;
			pthread_mutex_unlock(&g->lock);
		}
	}
	free(cl->frameBuffer);
	cl->frameBuffer = NULL;
	rfbClientCleanup(cl);
	close_fd(g);
	if (ended && !quitting(g)) {
		pthread_mutex_lock(&g->lock);
		if (rfb_last[0])
			g->vnc_err = xstrdup(rfb_last);
		g->refs++;
		pthread_mutex_unlock(&g->lock);
		host_call(g->host, why_job, g);
	}
	return false;
}

/* ---- the session's thread: the fallback ---- */

static void
run_shot(struct gfx *g, const char *why)
{
	unsigned every = g->o.shot_ms ? g->o.shot_ms : DEFAULT_SHOT_MS;
	uint64_t next_shot = 0;

	set_status(g, GFX_SHOT, xasprintf("screenshots every %.1f s (%s): keyboard only",
	                                  every / 1000.0, why));
	for (;;) {
		struct pollfd pf = { .fd = g->wake[0], .events = POLLIN };
		uint64_t now = now_ms();
		bool stop;

		pthread_mutex_lock(&g->lock);
		stop = g->quit || g->mode == GFX_ENDED;
		if (!stop && !g->shot_busy && now >= next_shot) {
			g->shot_busy = true;
			g->refs++;
			next_shot = now + every;
			pthread_mutex_unlock(&g->lock);
			host_call(g->host, shot_job, g);
			pthread_mutex_lock(&g->lock);
		}
		if (!stop && !g->keys_busy && g->nq > 0 && !g->o.readonly) {
			struct keys_job *j = xcalloc(1, sizeof *j);
			j->g = g;
			j->v = g->q;
			j->n = g->nq;
			g->q = NULL;
			g->nq = g->capq = 0;
			g->keys_busy = true;
			g->refs++;
			pthread_mutex_unlock(&g->lock);
			host_call(g->host, keys_job, j);
			pthread_mutex_lock(&g->lock);
		}
		pthread_mutex_unlock(&g->lock);
		if (stop)
			break;
		now = now_ms();
		poll(&pf, 1, next_shot > now ? (int)(next_shot - now) : 50);
		if (pf.revents & POLLIN)
			drain_wake(g);
	}
}

static void *
run(void *arg)
{
	struct gfx *g = arg;
	enum verdict v;
	int fd;
	char *how, *why = NULL;

	for (;;) {
		struct pollfd pf = { .fd = g->wake[0], .events = POLLIN };

		pthread_mutex_lock(&g->lock);
		v = g->quit ? V_END : g->verdict;
		fd = g->fd;
		how = g->how ? xstrdup(g->how) : NULL;
		pthread_mutex_unlock(&g->lock);
		if (v != V_WAIT)
			break;
		free(how);
		poll(&pf, 1, -1);
		drain_wake(g);
	}
	if (v == V_VNC && run_vnc(g, fd, how, &why)) {
		char *because = xasprintf("VNC refused: %s", why);
		free(why);
		why = because;
		v = V_SHOT;
	}
	if (v == V_SHOT && !quitting(g))
		run_shot(g, why ? why : how ? how : "no VNC");
	free(why);
	free(how);
	unref(g);
	return NULL;
}

/* ---- public ---- */

/* libvncclient prints to stderr by default, under the TUI's feet. */
static void
gfx_init_log(void)
{
	rfbClientLog = rfb_log;
	rfbClientErr = rfb_log;
}

struct gfx *
gfx_open(struct host *h, const char *uuid, const struct gfx_open_opts *o)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	struct gfx *g = xcalloc(1, sizeof *g);
	sigset_t old;
	int rc;

	g->host = h;
	snprintf(g->uuid, sizeof g->uuid, "%s", uuid);
	if (o)
		g->o = *o;
	g->fd = -1;
	g->mode = GFX_OPENING;
	g->text = xstrdup("opening the guest's screen");
	pthread_mutex_init(&g->lock, NULL);
	if (pipe2(g->wake, O_CLOEXEC | O_NONBLOCK) < 0) {
		g->wake[0] = g->wake[1] = -1;
		g->mode = GFX_ENDED;
		free(g->text);
		g->text = xasprintf("Cannot open the guest's screen: %s.", strerror(errno));
		g->refs = 1;
		return g;
	}
	pthread_once(&once, gfx_init_log);
	g->refs = 3; /* the owner, the thread, open_job */
	threads_block_signals(&old);
	rc = pthread_create(&g->thread, NULL, run, g);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		g->refs = 1;
		g->mode = GFX_ENDED;
		free(g->text);
		g->text = xasprintf("Cannot start the screen's thread: %s.", strerror(rc));
		return g;
	}
	g->started = true;
	host_call(h, open_job, g);
	return g;
}

void
gfx_close(struct gfx *g)
{
	if (g == NULL)
		return;
	pthread_mutex_lock(&g->lock);
	g->quit = true;
	/* Unblock a read stuck in the handshake or a message. */
	if (g->fd >= 0)
		shutdown(g->fd, SHUT_RDWR);
	pthread_mutex_unlock(&g->lock);
	if (g->started) {
		wake(g);
		pthread_join(g->thread, NULL);
	}
	unref(g);
}

void
gfx_status(struct gfx *g, struct gfx_status *st)
{
	pthread_mutex_lock(&g->lock);
	st->mode = g->mode;
	st->pointer = g->mode == GFX_VNC && !g->o.readonly;
	st->readonly = g->o.readonly;
	st->width = g->width;
	st->height = g->height;
	st->text = xstrdup(g->text ? g->text : "");
	st->seq = g->st_seq;
	pthread_mutex_unlock(&g->lock);
}

void
gfx_status_free(struct gfx_status *st)
{
	free(st->text);
	st->text = NULL;
}

void
gfx_frame_lock(struct gfx *g, struct gfx_frame *f)
{
	pthread_mutex_lock(&g->lock);
	f->px = g->px;
	f->width = g->width;
	f->height = g->height;
	f->stride = g->width;
	f->dirty = g->dirty;
	f->seq = g->seq;
	g->dirty = (struct gfx_rect){ 0, 0, 0, 0 };
}

void
gfx_frame_unlock(struct gfx *g)
{
	pthread_mutex_unlock(&g->lock);
}

/* With the lock held: queue one event. */
static void
push_locked(struct gfx *g, const struct ev *e)
{
	if (g->nq >= QUEUE_MAX)
		return; /* the guest is not taking them: drop */
	if (g->nq == g->capq) {
		g->capq = g->capq ? g->capq * 2 : 64;
		g->q = xreallocarray(g->q, g->capq, sizeof *g->q);
	}
	g->q[g->nq++] = *e;
}

void
gfx_key(struct gfx *g, uint32_t keysym, bool down)
{
	struct ev e = { .kind = EV_KEY, .keysym = keysym, .down = down };

	if (g->o.readonly)
		return;
	pthread_mutex_lock(&g->lock);
	push_locked(g, &e);
	pthread_mutex_unlock(&g->lock);
	wake(g);
}

void
gfx_pointer(struct gfx *g, int x, int y, unsigned buttons)
{
	struct ev e = { .kind = EV_PTR, .x = x, .y = y, .buttons = buttons };

	if (g->o.readonly)
		return;
	pthread_mutex_lock(&g->lock);
	if (g->mode == GFX_VNC) {
		/* Only the latest position matters while no button changes. */
		if (g->nq > 0 && g->q[g->nq - 1].kind == EV_PTR && g->q[g->nq - 1].buttons == buttons)
			g->q[g->nq - 1] = e;
		else
			push_locked(g, &e);
	}
	pthread_mutex_unlock(&g->lock);
	wake(g);
}

void
gfx_combo(struct gfx *g, enum gfx_combo c)
{
	struct gfx_keyev ev[8];
	size_t n = gfx_combo_keys(c, ev), i;

	for (i = 0; i < n; i++)
		gfx_key(g, ev[i].keysym, ev[i].down);
}

int
gfx_type(struct gfx *g, const char *text, uint32_t *bad)
{
	struct gfx_keyev *ev;
	size_t n, i;

	if (gfx_text_keys(text, &ev, &n, bad) < 0)
		return -1;
	if (!g->o.readonly) {
		pthread_mutex_lock(&g->lock);
		for (i = 0; i < n; i++) {
			struct ev e = { .kind = EV_KEY, .keysym = ev[i].keysym, .down = ev[i].down };
			push_locked(g, &e);
		}
		pthread_mutex_unlock(&g->lock);
		wake(g);
	}
	free(ev);
	return 0;
}

/* ---- PNG ---- */

int
gfx_png_decode(const void *buf, size_t n, uint32_t **px, int *width, int *height, char **err)
{
	png_image img;
	unsigned char *rgb;
	size_t i, npx;

	*px = NULL;
	memset(&img, 0, sizeof img);
	img.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_memory(&img, buf, n)) {
		*err = xasprintf("not a PNG image (%s)", img.message);
		png_image_free(&img);
		return -1;
	}
	if (img.width == 0 || img.height == 0 || img.width > MAX_SIDE || img.height > MAX_SIDE) {
		*err = xasprintf("a PNG image of %ux%u pixels", img.width, img.height);
		png_image_free(&img);
		return -1;
	}
	img.format = PNG_FORMAT_RGB;
	npx = (size_t)img.width * img.height;
	rgb = xmalloc(npx * 3);
	if (!png_image_finish_read(&img, NULL, rgb, 0, NULL)) {
		*err = xasprintf("a broken PNG image (%s)", img.message);
		png_image_free(&img);
		free(rgb);
		return -1;
	}
	*px = xmalloc(npx * sizeof **px);
	for (i = 0; i < npx; i++)
		(*px)[i] = (uint32_t)rgb[i * 3] << 16 | (uint32_t)rgb[i * 3 + 1] << 8 | rgb[i * 3 + 2];
	free(rgb);
	*width = (int)img.width;
	*height = (int)img.height;
	return 0;
}

int
gfx_png_write(const char *path, const uint32_t *px, int width, int height, int stride,
              char **err)
{
	FILE *f = fopen(path, "wb");
	png_structp png = NULL;
	png_infop info = NULL;
	unsigned char *row = xmalloc((size_t)(width > 0 ? width : 1) * 3);
	int y, x;

	if (f == NULL) {
		*err = xasprintf("Cannot write %s: %s.", path, strerror(errno));
		free(row);
		return -1;
	}
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	info = png ? png_create_info_struct(png) : NULL;
	if (info == NULL || setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		fclose(f);
		free(row);
		unlink(path);
		*err = xasprintf("Cannot write %s as PNG.", path);
		return -1;
	}
	png_init_io(png, f);
	png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8, PNG_COLOR_TYPE_RGB,
	             PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	for (y = 0; y < height; y++) {
		const uint32_t *s = px + (size_t)y * (size_t)stride;
		for (x = 0; x < width; x++) {
			row[x * 3] = (unsigned char)(s[x] >> 16);
			row[x * 3 + 1] = (unsigned char)(s[x] >> 8);
			row[x * 3 + 2] = (unsigned char)s[x];
		}
		png_write_row(png, row);
	}
	png_write_end(png, info);
	png_destroy_write_struct(&png, &info);
	free(row);
	if (fclose(f) != 0) {
		*err = xasprintf("Cannot write %s: %s.", path, strerror(errno));
		return -1;
	}
	return 0;
}
