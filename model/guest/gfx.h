/* gfx.h — a guest's graphical screen: its framebuffer in, keys and the
 * pointer out. No terminal code here (drawing is tui/gfx/'s).
 *
 * gfx_open() returns at once; the opening runs on the host's worker
 * (host_call: it reads the domain XML and needs libvirt). It reaches the
 * guest's VNC server, best first:
 *   - a local host: virDomainOpenGraphicsFD (the guest must be running),
 *     else the <graphics type='vnc'> UNIX socket or listen address:port;
 *   - an SSH host: a channel on the host's own SSH session to the remote
 *     VNC socket or address (sshlink_forward: no port opened, no second
 *     login);
 * and hands the socket to libvncclient. A thread of the session's own
 * then pumps RFB: framebuffer updates in (incremental, at most fps a
 * second), queued key and pointer events out. When no VNC server can be
 * reached (SPICE only, a listen address out of reach, TLS or a password
 * vmtui does not have), the session falls back to polling
 * virDomainScreenshot on the host's worker and sends keys with
 * virDomainSendKey: keyboard only, no pointer.
 *
 * Threads. The UI thread calls everything below; none of it waits on the
 * network (events are queued, the pixels read under the session's lock).
 * The session's thread and the host's worker write the framebuffer and the
 * status under the session's lock and wake the UI with notify_post().
 *
 * The framebuffer is uint32_t pixels 0x00RRGGBB, row-major, `stride`
 * pixels a row. Reading it is lock-and-read: gfx_frame_lock() takes the
 * session's lock and fills a struct gfx_frame whose pointer is good until
 * gfx_frame_unlock(); keep the lock short (copy out, or draw the dirty
 * part). The dirty rectangle is what changed since the previous
 * gfx_frame_lock() (there is one reader: the UI); seq bumps on every
 * change, so an unchanged seq means nothing to draw.
 *
 * VMTUI_GFX_TRACE=1 in the environment prints libvncclient's messages on
 * stderr (otherwise kept quiet, the last one saying why a session ended). */
#ifndef VMTUI_GFX_H
#define VMTUI_GFX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../host/host.h"

/* Also defined, the same, by tui/gfx/fit.h: one guard for both. */
#ifndef VMTUI_GFX_RECT_DEFINED
#define VMTUI_GFX_RECT_DEFINED
struct gfx_rect {
	int x, y, w, h;   /* w or h 0: empty */
};
#endif

/* Also defined, the same, by tui/gfx/render.h: one guard for both. */
#ifndef VMTUI_GFX_FRAME_DEFINED
#define VMTUI_GFX_FRAME_DEFINED
struct gfx_frame {
	const uint32_t *px; /* NULL before the first frame */
	int width, height, stride;
	struct gfx_rect dirty; /* changed since the previous gfx_frame_lock */
	uint64_t seq;       /* bumps on every change (pixels or size) */
};
#endif

enum gfx_state {
	GFX_OPENING,   /* on the host's worker, or the RFB handshake */
	GFX_VNC,       /* live over VNC: keys and pointer */
	GFX_SHOT,      /* screenshot fallback: keyboard only */
	GFX_ENDED,     /* over; status.reason says why */
};

struct gfx_status {
	enum gfx_state mode;
	bool pointer;     /* pointer events reach the guest (VNC only) */
	bool readonly;    /* opened read-only: nothing is sent */
	int width, height;
	/* A phrase for the status line, newly allocated (gfx_status_free):
	 * GFX_VNC: how it is reached ("VNC through libvirt", "VNC on
	 * 127.0.0.1:5900", "VNC over SSH to 127.0.0.1:5900");
	 * GFX_SHOT: why VNC was not used and "keyboard only";
	 * GFX_ENDED: the reason, a sentence ("The guest shut down.", "The
	 * VNC server closed the connection.", "web has no graphical
	 * display."). */
	char *text;
	uint64_t seq;     /* bumps when anything here changes */
};
void gfx_status_free(struct gfx_status *st);

struct gfx_open_opts {
	unsigned fps;       /* cap on VNC update requests; 0: 15 */
	unsigned shot_ms;   /* the fallback's screenshot interval; 0: 500 */
	bool readonly;      /* send no key or pointer event */
	bool force_shot;    /* skip VNC (tests, or a user's choice) */
};

struct gfx;

/* Open the screen of guest uuid on h. Never NULL and never blocks: the
 * outcome arrives in gfx_status (GFX_ENDED with the reason on failure). */
struct gfx *gfx_open(struct host *h, const char *uuid, const struct gfx_open_opts *o);
/* Stop the session's thread, close the connection; g may be NULL. Does
 * not wait on the network beyond closing a socket. */
void gfx_close(struct gfx *g);

void gfx_status(struct gfx *g, struct gfx_status *st);

/* Lock-and-read the framebuffer (see above). Always pair with unlock. */
void gfx_frame_lock(struct gfx *g, struct gfx_frame *f);
void gfx_frame_unlock(struct gfx *g);

/* ---- input: queued, sent by the session's thread (or the worker) ---- */

/* An X11 keysym (XK_a, XK_Return, XK_Control_L...) pressed or released. */
void gfx_key(struct gfx *g, uint32_t keysym, bool down);
/* The pointer at guest pixel (x, y) with buttons held (bit 0 left, 1
 * middle, 2 right, 3 and 4 wheel up and down: press and release for one
 * notch). Dropped in the screenshot fallback. */
void gfx_pointer(struct gfx *g, int x, int y, unsigned buttons);

enum gfx_combo {
	GFX_CTRL_ALT_DEL,
	GFX_CTRL_ALT_F1, /* ... through F12: GFX_CTRL_ALT_F1 + n - 1 */
	GFX_CTRL_ALT_F12 = GFX_CTRL_ALT_F1 + 11,
	GFX_SYSRQ,       /* Alt+SysRq */
	GFX_PRINT,       /* Print Screen */
	GFX_COMBO_COUNT,
};
/* "Ctrl+Alt+Del", "Ctrl+Alt+F1"...: for menus. */
const char *gfx_combo_name(enum gfx_combo c);
void gfx_combo(struct gfx *g, enum gfx_combo c);
/* Type text as key presses (US layout, Shift for capitals and symbols;
 * '\n' is Return, '\t' Tab). 0, or -1 and nothing queued when a
 * character cannot be typed on a US keyboard (*bad is set to it). */
int gfx_type(struct gfx *g, const char *text, uint32_t *bad);

/* ---- on a connection (the command line, or a host's worker) ---- */

/* The guest's screen now (virDomainScreenshot of head 0), decoded. 0 and
 * *px (stride = width; caller frees), or -1 and *err (a sentence). */
int gfx_screenshot(virDomainPtr dom, uint32_t **px, int *width, int *height, char **err);
/* Decode a PNG (the screenshots of newer QEMU and libvirt; libpng) like
 * gfx_ppm_decode. */
int gfx_png_decode(const void *buf, size_t n, uint32_t **px, int *width, int *height,
                   char **err);
/* Write pixels as an 8-bit RGB PNG (libpng). 0, or -1 and *err. */
int gfx_png_write(const char *path, const uint32_t *px, int width, int height, int stride,
                  char **err);

/* ---- pure parts, exposed for the unit tests ---- */

struct gfx_keyev {
	uint32_t keysym;
	bool down;
};

/* Grow *a to cover b as well (the smallest rectangle around both); an
 * empty rectangle adds nothing. */
void gfx_rect_merge(struct gfx_rect *a, const struct gfx_rect *b);
/* Clip r to a width x height framebuffer. */
void gfx_rect_clamp(struct gfx_rect *r, int width, int height);

/* Decode a binary PPM (P6, maxval 1..65535) into 0x00RRGGBB pixels
 * (stride = width; caller frees *px). 0, or -1 and *err (a phrase). Sizes
 * past 16384 pixels a side are refused. */
int gfx_ppm_decode(const void *buf, size_t n, uint32_t **px, int *width, int *height,
                   char **err);

/* The Linux input code (KEY_A...) of an X11 keysym, for virDomainSendKey;
 * -1 when there is none. Letters map to their key whatever the case. */
int gfx_keysym_linux(uint32_t keysym);
/* The key events typing text on a US keyboard makes (Shift pressed around
 * capitals and symbols). 0 and *ev (n events, caller frees), or -1 and
 * *bad the first character that cannot be typed. */
int gfx_text_keys(const char *text, struct gfx_keyev **ev, size_t *n, uint32_t *bad);
/* The events of a combo (presses in order, releases in reverse); returns
 * how many, at most 8. */
size_t gfx_combo_keys(enum gfx_combo c, struct gfx_keyev ev[8]);

/* What the domain XML says about its first <graphics>. */
struct gfx_display {
	char *type;     /* "vnc", "spice", ... NULL: none */
	int port;       /* -1: none or autoport not yet given */
	char *listen;   /* address, or NULL */
	char *socket;   /* UNIX socket path, or NULL */
	bool password;  /* passwd= set */
	bool has_vnc;   /* a <graphics type='vnc'> anywhere */
	bool video;     /* a video device other than model 'none' */
};
/* Fill d from domain XML (the vnc one when there is one). -1 if the XML
 * does not parse. */
int gfx_display_parse(const char *xml, struct gfx_display *d);
void gfx_display_free(struct gfx_display *d);

#endif
