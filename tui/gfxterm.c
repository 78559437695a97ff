/* gfxterm.c — a guest's graphical screen on the whole terminal (see
 * gfxterm.h): the loop that draws frames as they change, keeps the status
 * line, and turns what the terminal sends into the guest's keys and
 * pointer. */
#include "gfxterm.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <rfb/keysym.h>

#include "../model/base/notify.h"
#include "../config/config.h"
#include "../model/base/xmalloc.h"
#include "gfx/detect.h"
#include "gfx/render.h"
#include "gfxinput.h"
#include "passthru.h"

#define FRAME_MIN_MS 33     /* at most ~30 frames a second go out */
#define ESC_WAIT_MS 30      /* a lone ESC: the Escape key after this long */
#define FLASH_MS 3000       /* a message in the status line */
#define TYPE_MAX 1024       /* the "type this text" line */

#define ENTER_SEQ "\033[?1049h\033[?25l\033[?1000h\033[?1002h\033[?1006h\033[2J"
#define LEAVE_SEQ "\033[?1006l\033[?1002l\033[?1000l\033[0m\033[?25h\033[?1049l"

enum state { S_GUEST, S_PREFIX, S_MENU, S_TYPE };

struct term {
	struct gfx *g;
	const struct gfxterm_opts *o;
	unsigned char esc;
	struct gfxr *r;
	enum gfx_mode mode;
	enum gfx_colors colors;
	const char *why_mode;
	int rows, cols;
	enum gfx_zoom zoom;
	int pan_x, pan_y;
	enum state st;
	char typed[TYPE_MAX];
	size_t ntyped;
	unsigned buttons;           /* held, as last sent */
	int last_gx, last_gy;
	struct gfx_status gs;
	char flash[160];
	uint64_t flash_until;
	char status_shown[512];
	bool status_valid;
	uint64_t last_render;
	bool render_due;            /* a wake-up came since the last render */
	bool ro_said;
	char *out;                  /* bytes of this turn */
	size_t nout, capout;
};

static uint64_t
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
put(struct term *t, const char *s, size_t n)
{
	if (t->nout + n > t->capout) {
		t->capout = (t->nout + n) * 2 + 4096;
		t->out = xrealloc(t->out, t->capout);
	}
	memcpy(t->out + t->nout, s, n);
	t->nout += n;
}

static void
puts_(struct term *t, const char *s)
{
	put(t, s, strlen(s));
}

static bool
flush(struct term *t)
{
	bool ok = passthru_write_all(STDOUT_FILENO, (const unsigned char *)t->out, t->nout);
	t->nout = 0;
	return ok;
}

const char *
gfxterm_restore_seq(size_t *len)
{
	*len = sizeof LEAVE_SEQ - 1;
	return LEAVE_SEQ;
}

bool
gfxterm_protocol_valid(const char *s)
{
	enum gfx_mode m;
	return s != NULL && gfx_mode_parse(s, &m);
}

unsigned
gfxterm_symbols(int cfg_symbols)
{
	switch (cfg_symbols) {
	case CFG_GFXSYM_QUADRANTS:
		return GFX_SYM_QUADRANTS;
	case CFG_GFXSYM_SEXTANTS:
		return GFX_SYM_QUADRANTS | GFX_SYM_SEXTANTS;
	default:
		return 0;
	}
}

int
gfxterm_colors_from_env(void)
{
	const char *term = getenv("TERM"), *ct = getenv("COLORTERM");

	if ((ct && (strcmp(ct, "truecolor") == 0 || strcmp(ct, "24bit") == 0)) ||
	    (term && (strstr(term, "256") || strstr(term, "direct"))))
		return 256;
	return 16;
}

static void
say(struct term *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
say(struct term *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->flash, sizeof t->flash, fmt, ap);
	va_end(ap);
	t->flash_until = now_ms() + FLASH_MS;
}

/* ---- the picture ---- */

/* Remove what is shown (kitty's images are not cells: a clear of the
 * screen leaves them) and clear the screen. */
static void
wipe(struct term *t)
{
	size_t n;
	const char *b = t->r ? gfxr_clear(t->r, &n) : NULL;

	if (b != NULL && n > 0)
		put(t, b, n);
	puts_(t, "\033[0m\033[2J");
}

static void
set_target(struct term *t)
{
	struct gfx_rect cells = { 0, 0, t->cols, t->rows > 1 ? t->rows - 1 : 0 };
	struct gfx_opts ro;
	struct winsize ws;
	int cw, ch;

	gfxr_get_opts(t->r, &ro);
	memset(&ws, 0, sizeof ws);
	ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws);
	gfx_cell_size(t->cols, t->rows, ws.ws_xpixel, ws.ws_ypixel, &cw, &ch);
	if (ro.cell_w <= 0 || ws.ws_xpixel > 0) {
		ro.cell_w = cw;
		ro.cell_h = ch;
		gfxr_set_opts(t->r, &ro);
	}
	gfxr_set_target(t->r, cells);
	gfxr_set_view(t->r, t->zoom, t->pan_x, t->pan_y);
	gfxr_invalidate(t->r);
}

/* The terminal's size now; true when it changed (then everything is
 * drawn again). */
static bool
read_size(struct term *t)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) < 0 || ws.ws_row == 0 || ws.ws_col == 0)
		return false;
	if (ws.ws_row == t->rows && ws.ws_col == t->cols)
		return false;
	t->rows = ws.ws_row;
	t->cols = ws.ws_col;
	wipe(t);
	set_target(t);
	t->status_valid = false;
	t->render_due = true;
	return true;
}

/* Draw what changed, at most every FRAME_MIN_MS; returns the ms until a
 * render is due (-1: none). */
static int
render(struct term *t)
{
	struct gfx_frame f;
	struct gfx_fit fit;
	const char *bytes;
	size_t len = 0;
	uint64_t now = now_ms();

	if (!t->render_due)
		return -1;
	if (now - t->last_render < FRAME_MIN_MS)
		return (int)(FRAME_MIN_MS - (now - t->last_render));
	t->render_due = false;
	t->last_render = now;
	gfx_frame_lock(t->g, &f);
	if (f.px != NULL && t->rows > 1 && t->cols > 0) {
		bytes = gfxr_render(t->r, &f, &len);
		if (len > 0)
			put(t, bytes, len);
	}
	gfx_frame_unlock(t->g);
	if (gfxr_fit(t->r, &fit)) {
		t->pan_x = fit.pan_x;
		t->pan_y = fit.pan_y;
	}
	return -1;
}

/* ---- the status line ---- */

static const char *
zoom_name(enum gfx_zoom z)
{
	return z == GFX_ZOOM_1 ? "1:1" : z == GFX_ZOOM_2 ? "2:1" : "fit";
}

static const char *
colors_name(enum gfx_colors c)
{
	return c == GFX_COLORS_TRUE ? "truecolor" : c == GFX_COLORS_256 ? "256 colours"
	                                                                : "16 colours";
}

static void
input_mode(const struct term *t, char *b, size_t n)
{
	if (t->o->readonly || t->gs.readonly)
		snprintf(b, n, "read-only: nothing is sent");
	else if (t->gs.mode == GFX_OPENING)
		snprintf(b, n, "opening...");
	else if (t->gs.mode == GFX_VNC)
		snprintf(b, n, "VNC: keys%s", t->gs.pointer ? " and mouse" : "");
	else
		snprintf(b, n, "keyboard only (screenshots)");
}

static void
status_text(struct term *t, char *line, size_t n)
{
	char lab[4], in[64], res[32] = "";
	const char *e = console_escape_label(t->esc, lab);

	if (t->gs.width > 0)
		snprintf(res, sizeof res, "%dx%d  ", t->gs.width, t->gs.height);
	switch (t->st) {
	case S_PREFIX:
		snprintf(line, n, " %s: q leave  m keys menu  t type text  z zoom (%s)  arrows pan"
		         "  Esc back", e, zoom_name(t->zoom));
		return;
	case S_MENU:
		snprintf(line, n, " Send: d Ctrl+Alt+Del  1..9 0 - = Ctrl+Alt+F1..F12  s SysRq"
		         "  p Print  Esc cancel");
		return;
	case S_TYPE:
		snprintf(line, n, " Type into %s (Enter types, Esc cancels): %.*s_", t->o->name,
		         (int)(t->ntyped > 200 ? 200 : t->ntyped),
		         t->typed + (t->ntyped > 200 ? t->ntyped - 200 : 0));
		return;
	default:
		break;
	}
	if (t->flash_until > now_ms()) {
		snprintf(line, n, " %s", t->flash);
		return;
	}
	input_mode(t, in, sizeof in);
	snprintf(line, n, " %s  %s%s  %s%s%s  %s  %s q leaves, %s m menu", t->o->name, res, in,
	         gfx_mode_name(t->mode), t->mode == GFX_MODE_SYMBOLS ? " " : "",
	         t->mode == GFX_MODE_SYMBOLS ? colors_name(t->colors) : "", zoom_name(t->zoom), e, e);
}

/* The last row, reversed, when its text changed; returns the ms until a
 * flash ends (-1: none). */
static int
draw_status(struct term *t)
{
	char line[512], buf[640];
	size_t len;
	int n;

	if (t->rows < 1)
		return -1;
	status_text(t, line, sizeof line);
	if (!t->status_valid || strcmp(line, t->status_shown) != 0) {
		len = strlen(line);
		if (len > (size_t)t->cols) /* ASCII only: one byte a column */
			len = (size_t)t->cols;
		n = snprintf(buf, sizeof buf, "\033[%d;1H\033[0;7m%.*s\033[K\033[0m", t->rows, (int)len,
		             line);
		if (n > 0)
			put(t, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
		snprintf(t->status_shown, sizeof t->status_shown, "%s", line);
		t->status_valid = true;
	}
	if (t->flash_until > 0) {
		uint64_t now = now_ms();
		if (t->flash_until > now)
			return (int)(t->flash_until - now);
		t->flash_until = 0;
		t->status_valid = false;
		return 0;
	}
	return -1;
}

/* ---- input ---- */

static bool
may_send(struct term *t)
{
	if (!t->o->readonly && !t->gs.readonly)
		return true;
	say(t, "Read-only (vmtui -r): nothing is sent to %s.", t->o->name);
	return false;
}

static void
send_key(struct term *t, const struct gfxin_ev *ev)
{
	struct gfx_keyev kv[GFXIN_KEYEV_MAX];
	size_t n, i;

	if (!may_send(t))
		return;
	n = gfxin_key_events(ev, kv);
	for (i = 0; i < n; i++)
		gfx_key(t->g, kv[i].keysym, kv[i].down);
}

static void
send_mouse(struct term *t, const struct gfxin_ev *ev)
{
	struct gfx_fit fit;
	unsigned wheel, held;
	int gx, gy;

	if (t->o->readonly || t->gs.readonly || !t->gs.pointer)
		return; /* silently: a move is no request */
	if (!gfxr_fit(t->r, &fit))
		return;
	if (gfx_cell_to_guest(&fit, ev->row, ev->col, &gx, &gy)) {
		t->last_gx = gx;
		t->last_gy = gy;
	} else if (ev->press) {
		return; /* outside the picture */
	}
	held = gfxin_buttons(t->buttons, ev, &wheel);
	if (wheel) {
		gfx_pointer(t->g, t->last_gx, t->last_gy, held | wheel);
		gfx_pointer(t->g, t->last_gx, t->last_gy, held);
	} else {
		gfx_pointer(t->g, t->last_gx, t->last_gy, held);
	}
	t->buttons = held;
}

/* The picture's view changed: everything again. */
static void
new_view(struct term *t)
{
	wipe(t);
	gfxr_set_view(t->r, t->zoom, t->pan_x, t->pan_y);
	t->status_valid = false;
	t->render_due = true;
	t->last_render = 0;
}

static bool
is_esc_byte(const struct term *t, const struct gfxin_ev *ev)
{
	return ev->kind == GFXIN_KEY && ev->byte != 0 && ev->byte == t->esc;
}

static const char menu_keys[] = "1234567890-=";

/* One event; returns true to leave. */
static bool
handle(struct term *t, const struct gfxin_ev *ev)
{
	const char *k;
	uint32_t bad = 0;

	switch (t->st) {
	case S_GUEST:
		if (is_esc_byte(t, ev)) {
			t->st = S_PREFIX;
		} else if (ev->kind == GFXIN_KEY) {
			send_key(t, ev);
		} else if (ev->kind == GFXIN_MOUSE) {
			send_mouse(t, ev);
		}
		return false;
	case S_PREFIX:
		if (ev->kind != GFXIN_KEY)
			return false;
		if (is_esc_byte(t, ev) || (ev->mods == 0 && (ev->keysym == 'q' || ev->keysym == '.')))
			return true;
		t->st = S_GUEST;
		if (ev->mods != 0 && ev->keysym < 0x100) {
			/* nothing */
		} else if (ev->keysym == 'm') {
			if (may_send(t))
				t->st = S_MENU;
		} else if (ev->keysym == 't') {
			if (may_send(t)) {
				t->st = S_TYPE;
				t->ntyped = 0;
			}
		} else if (ev->keysym == 'z') {
			t->zoom = t->zoom == GFX_ZOOM_FIT ? GFX_ZOOM_1 : t->zoom == GFX_ZOOM_1
			        ? GFX_ZOOM_2 : GFX_ZOOM_FIT;
			new_view(t);
			t->st = S_PREFIX; /* z again, or the arrows */
		} else if (ev->keysym == XK_Left || ev->keysym == XK_Right || ev->keysym == XK_Up ||
		           ev->keysym == XK_Down) {
			int sx = t->cols / 4 > 0 ? t->cols / 4 : 1;
			int sy = t->rows / 4 > 0 ? t->rows / 4 : 1;
			if (t->zoom == GFX_ZOOM_FIT) {
				say(t, "The whole screen shows: z zooms in, then the arrows pan.");
			} else {
				t->pan_x += ev->keysym == XK_Left ? -sx : ev->keysym == XK_Right ? sx : 0;
				t->pan_y += ev->keysym == XK_Up ? -sy : ev->keysym == XK_Down ? sy : 0;
				new_view(t);
				t->st = S_PREFIX;
			}
		} else if (ev->keysym != XK_Escape) {
			char name[48];
			say(t, "%s after the escape key does nothing; it goes back to the guest.",
			    gfxin_key_name(ev, name, sizeof name));
		}
		return false;
	case S_MENU:
		t->st = S_GUEST;
		if (ev->kind != GFXIN_KEY || ev->mods != 0)
			return false;
		if (ev->keysym == 'd') {
			gfx_combo(t->g, GFX_CTRL_ALT_DEL);
		} else if (ev->keysym == 's') {
			gfx_combo(t->g, GFX_SYSRQ);
		} else if (ev->keysym == 'p') {
			gfx_combo(t->g, GFX_PRINT);
		} else if (ev->keysym < 0x80 && ev->keysym != 0 &&
		           (k = strchr(menu_keys, (int)ev->keysym)) != NULL) {
			gfx_combo(t->g, (enum gfx_combo)(GFX_CTRL_ALT_F1 + (k - menu_keys)));
		} else {
			return false;
		}
		for (int c = 0; c < GFX_COMBO_COUNT; c++) /* say what was sent */
			if ((ev->keysym == 'd' && c == GFX_CTRL_ALT_DEL) ||
			    (ev->keysym == 's' && c == GFX_SYSRQ) || (ev->keysym == 'p' && c == GFX_PRINT) ||
			    (c >= GFX_CTRL_ALT_F1 && c <= GFX_CTRL_ALT_F12 && ev->keysym < 0x80 &&
			     menu_keys[c - GFX_CTRL_ALT_F1] == (char)ev->keysym))
				say(t, "Sent %s to %s.", gfx_combo_name((enum gfx_combo)c), t->o->name);
		return false;
	case S_TYPE:
		if (ev->kind != GFXIN_KEY)
			return false;
		if (ev->keysym == XK_Escape && ev->mods == 0) {
			t->st = S_GUEST;
		} else if (ev->keysym == XK_Return) {
			t->typed[t->ntyped] = '\0';
			t->st = S_GUEST;
			if (gfx_type(t->g, t->typed, &bad) < 0)
				say(t, "Not typed: character U+%04X has no key on a US keyboard.",
				    (unsigned)bad);
			else
				say(t, "Typed %zu characters into %s.", t->ntyped, t->o->name);
		} else if (ev->keysym == XK_BackSpace) {
			if (t->ntyped > 0)
				t->ntyped--;
		} else if (ev->mods == 0 && ev->keysym >= 0x20 && ev->keysym < 0x7f &&
		           t->ntyped + 1 < TYPE_MAX) {
			t->typed[t->ntyped++] = (char)ev->keysym;
		}
		return false;
	}
	return false;
}

/* ---- the loop ---- */

static int
min_timeout(int a, int b)
{
	if (a < 0)
		return b;
	if (b < 0)
		return a;
	return a < b ? a : b;
}

enum gfxterm_end
gfxterm_run(struct gfx *g, const struct gfxterm_opts *o, volatile sig_atomic_t *quit,
            volatile sig_atomic_t *winch, char **why)
{
	struct term t;
	struct gfx_replies rep;
	struct gfx_opts ro = { 0 };
	unsigned char in[4096];
	size_t nin = 0, off, used;
	struct gfxin_ev ev;
	struct pollfd fds[2];
	uint64_t esc_at = 0, seq = (uint64_t)-1;
	enum gfxterm_end end = GT_TTY;
	int timeout;
	ssize_t n;
	const char *clear;
	size_t nclear;

	*why = NULL;
	memset(&t, 0, sizeof t);
	t.g = g;
	t.o = o;
	t.esc = o->esc ? o->esc : CONSOLE_ESCAPE_DEFAULT;
	t.mode = gfx_detect(STDIN_FILENO, STDOUT_FILENO, o->protocol, &rep, &t.why_mode);
	t.colors = gfx_detect_colors(&rep, o->colors);
	ro.mode = t.mode;
	ro.colors = t.colors;
	ro.symbols = o->symbols;
	ro.cell_w = rep.cell_w;
	ro.cell_h = rep.cell_h;
	t.r = gfxr_new(&ro);
	puts_(&t, ENTER_SEQ);
	read_size(&t);
	for (;;) {
		if (*quit) {
			end = GT_SIGNAL;
			break;
		}
		if (winch != NULL && *winch) {
			*winch = 0;
			read_size(&t);
		}
		gfx_status_free(&t.gs);
		gfx_status(g, &t.gs);
		if (t.gs.seq != seq) {
			seq = t.gs.seq;
			t.render_due = true;
		}
		if (t.gs.mode == GFX_ENDED) {
			*why = xstrdup(t.gs.text ? t.gs.text : "The guest's screen closed.");
			end = GT_ENDED;
			break;
		}
		timeout = render(&t);
		timeout = min_timeout(timeout, draw_status(&t));
		if (!flush(&t))
			break;
		if (nin > 0 && esc_at > 0) {
			uint64_t now = now_ms();
			timeout = min_timeout(timeout, esc_at + ESC_WAIT_MS > now
			                               ? (int)(esc_at + ESC_WAIT_MS - now) : 0);
		}
		fds[0].fd = STDIN_FILENO;
		fds[0].events = POLLIN;
		fds[1].fd = notify_fd();
		fds[1].events = POLLIN;
		if (poll(fds, 2, timeout) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (fds[1].revents & POLLIN) {
			notify_drain();
			t.render_due = true;
		}
		if (fds[0].revents & POLLIN) {
			n = read(STDIN_FILENO, in + nin, sizeof in - nin);
			if (n < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (n <= 0)
				break;
			nin += (size_t)n;
		} else if (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)) {
			break;
		}
		/* Decode what came; an incomplete sequence waits ESC_WAIT_MS. */
		{
			bool final = esc_at > 0 && now_ms() >= esc_at + ESC_WAIT_MS;
			bool leave = false;
			off = 0;
			while (off < nin && (used = gfxin_decode(in + off, nin - off,
			                                         final || nin == sizeof in, &ev)) > 0) {
				off += used;
				if (handle(&t, &ev)) {
					leave = true;
					break;
				}
			}
			if (leave) {
				end = GT_ESCAPE;
				break;
			}
			memmove(in, in + off, nin - off);
			nin -= off;
			esc_at = nin > 0 ? (esc_at ? esc_at : now_ms()) : 0;
		}
	}
	clear = gfxr_clear(t.r, &nclear);
	if (nclear > 0)
		put(&t, clear, nclear);
	puts_(&t, LEAVE_SEQ);
	flush(&t);
	gfxr_free(t.r);
	gfx_status_free(&t.gs);
	free(t.out);
	return end;
}
