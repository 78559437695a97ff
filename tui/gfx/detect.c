/* detect.c — asking the terminal which graphics it draws, and parsing
 * its answers (detect.h). */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "tui/gfx/detect.h"

#define ESC 0x1b

#define STR_(x) #x
#define STR(x) STR_(x)
static const char queries[] =
	"\033_Gi=" STR(GFX_DETECT_KITTY_ID) ",s=1,v=1,a=q,t=d,f=24;AAAA\033\\"
	"\033[>q"
	"\033[16t"
	"\033[c";

const char *gfx_detect_queries(size_t *len)
{
	*len = sizeof(queries) - 1;
	return queries;
}

/* Where the string terminator of a DCS/APC body starting at i ends
 * (the index past it), or 0 when the buffer ends first. *body_end: where
 * the body ends. ST is ESC \ or 0x9c; BEL is taken too. */
static size_t string_end(const unsigned char *b, size_t len, size_t i, size_t *body_end)
{
	for (; i < len; i++) {
		if (b[i] == 0x9c || b[i] == 0x07) {
			*body_end = i;
			return i + 1;
		}
		if (b[i] == ESC && i + 1 < len && b[i + 1] == '\\') {
			*body_end = i;
			return i + 2;
		}
		if (b[i] == ESC && i + 1 >= len)
			return 0;
	}
	return 0;
}

/* A kitty graphics answer's body "Gi=31337;OK" (after ESC _). */
static void kitty_reply(const unsigned char *b, size_t n, struct gfx_replies *out)
{
	if (n < 1 || b[0] != 'G')
		return;
	size_t semi = 1;
	while (semi < n && b[semi] != ';')
		semi++;
	if (semi >= n)
		return;
	/* the id must be ours: "i=31337" among the keys */
	static const char want[] = "i=" STR(GFX_DETECT_KITTY_ID);
	bool ours = false;
	for (size_t k = 1; k < semi; ) {
		size_t e = k;
		while (e < semi && b[e] != ',')
			e++;
		if (e - k == sizeof(want) - 1 && memcmp(b + k, want, e - k) == 0)
			ours = true;
		k = e + 1;
	}
	if (!ours)
		return;
	if (n - semi - 1 == 2 && b[semi + 1] == 'O' && b[semi + 2] == 'K')
		out->kitty_ok = true;
	else
		out->kitty_error = true;
}

/* XTVERSION's body ">|name(version)" (after ESC P). */
static void version_reply(const unsigned char *b, size_t n, struct gfx_replies *out)
{
	if (n < 2 || b[0] != '>' || b[1] != '|')
		return;
	size_t k = 0;
	for (size_t i = 2; i < n && k + 1 < sizeof(out->version); i++)
		if (b[i] >= 0x20 && b[i] < 0x7f)
			out->version[k++] = (char)b[i];
	out->version[k] = '\0';
}

/* Up to 16 numeric parameters of a CSI (missing ones are 0); returns
 * their count, or -1 when a byte is not a digit or ';'. */
static int csi_params(const unsigned char *b, size_t n, long *p, int max)
{
	int np = 0;
	long v = 0;
	bool have = false;
	for (size_t i = 0; i < n; i++) {
		if (b[i] >= '0' && b[i] <= '9') {
			if (v < 100000)
				v = v * 10 + (b[i] - '0');
			have = true;
		} else if (b[i] == ';') {
			if (np < max)
				p[np] = v;
			np++;
			v = 0;
			have = false;
		} else
			return -1;
	}
	if (have || np > 0) {
		if (np < max)
			p[np] = v;
		np++;
	}
	return np < max ? np : max;
}

/* A CSI answer: body (between CSI and the final byte) and final. */
static void csi_reply(const unsigned char *b, size_t n, unsigned char fin, struct gfx_replies *out)
{
	long p[16];
	if (fin == 'c' && n >= 1 && b[0] == '?') {
		int np = csi_params(b + 1, n - 1, p, 16);
		if (np < 0)
			return;
		out->da1 = true;
		for (int i = 1; i < np; i++)  /* the first is the terminal's class */
			if (p[i] == 4)
				out->sixel = true;
	} else if (fin == 't') {
		int np = csi_params(b, n, p, 16);
		if (np == 3 && p[0] == 6 && p[1] > 0 && p[2] > 0 && p[1] < 1024 && p[2] < 1024) {
			out->cell_h = (int)p[1];
			out->cell_w = (int)p[2];
		}
	}
}

void gfx_parse_replies(const char *buf, size_t len, struct gfx_replies *out)
{
	const unsigned char *b = (const unsigned char *)buf;
	memset(out, 0, sizeof(*out));
	size_t i = 0;
	while (i < len) {
		unsigned char c = b[i];
		int kind = 0; /* '[' CSI, 'P' DCS, '_' APC */
		size_t body;
		if (c == ESC && i + 1 < len && (b[i + 1] == '[' || b[i + 1] == 'P' || b[i + 1] == '_')) {
			kind = b[i + 1];
			body = i + 2;
		} else if (c == 0x9b || c == 0x90 || c == 0x9f) {
			kind = c == 0x9b ? '[' : c == 0x90 ? 'P' : '_';
			body = i + 1;
		} else {
			out->other++;
			i++;
			continue;
		}
		if (kind == '[') {
			/* parameters and intermediates 0x20-0x3f, final 0x40-0x7e */
			size_t e = body;
			while (e < len && b[e] >= 0x20 && b[e] <= 0x3f)
				e++;
			if (e >= len)
				break;  /* cut short: the rest is not an answer yet */
			if (b[e] >= 0x40 && b[e] <= 0x7e)
				csi_reply(b + body, e - body, b[e], out);
			else
				out->other += e + 1 - i;
			i = e + 1;
			continue;
		}
		size_t body_end, next = string_end(b, len, body, &body_end);
		if (!next)
			break;
		if (kind == '_')
			kitty_reply(b + body, body_end - body, out);
		else
			version_reply(b + body, body_end - body, out);
		i = next;
	}
}

static bool has_word(const char *s, const char *w)
{
	size_t n = strlen(w);
	for (; *s; s++)
		if (strncasecmp(s, w, n) == 0)
			return true;
	return false;
}

enum gfx_mode gfx_mode_from_replies(const struct gfx_replies *r)
{
	if (r->kitty_ok)
		return GFX_MODE_KITTY;
	if (r->sixel)
		return GFX_MODE_SIXEL;
	if (has_word(r->version, "iTerm2") || has_word(r->version, "WezTerm") ||
	    has_word(r->version, "mintty"))
		return GFX_MODE_ITERM;
	return GFX_MODE_SYMBOLS;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

bool gfx_detect_query(int in_fd, int out_fd, int timeout_ms, struct gfx_replies *out)
{
	char buf[4096];
	size_t len = 0, qlen;
	const char *q = gfx_detect_queries(&qlen);
	memset(out, 0, sizeof(*out));
	if (!write_all(out_fd, q, qlen))
		return false;
	long long end = now_ms() + timeout_ms;
	for (;;) {
		long long left = end - now_ms();
		if (left <= 0 || len == sizeof(buf))
			break;
		struct pollfd pfd = { .fd = in_fd, .events = POLLIN };
		int n = poll(&pfd, 1, (int)left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		ssize_t got = read(in_fd, buf + len, sizeof(buf) - len);
		if (got < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (got <= 0)
			break;
		len += (size_t)got;
		gfx_parse_replies(buf, len, out);
		if (out->da1)
			break;
	}
	gfx_parse_replies(buf, len, out);
	return out->da1 || out->kitty_ok || out->kitty_error || out->version[0];
}

static bool in_multiplexer(void)
{
	const char *term = getenv("TERM");
	return getenv("TMUX") || getenv("STY") ||
	       (term && (strncmp(term, "screen", 6) == 0 || strncmp(term, "tmux", 4) == 0));
}

enum gfx_mode gfx_detect(int in_fd, int out_fd, const char *forced,
			 struct gfx_replies *rep, const char **why)
{
	enum gfx_mode m;
	memset(rep, 0, sizeof(*rep));
	if (forced && strcmp(forced, "auto") != 0 && gfx_mode_parse(forced, &m)) {
		*why = "chosen by graphics_protocol";
		return m;
	}
	if (in_multiplexer()) {
		*why = "inside tmux or screen: symbols (graphics_protocol chooses another)";
		return GFX_MODE_SYMBOLS;
	}
	if (!gfx_detect_query(in_fd, out_fd, GFX_DETECT_TIMEOUT_MS, rep)) {
		*why = "the terminal did not answer: symbols";
		return GFX_MODE_SYMBOLS;
	}
	m = gfx_mode_from_replies(rep);
	*why = m == GFX_MODE_KITTY ? "the terminal answered the kitty graphics query"
	     : m == GFX_MODE_SIXEL ? "the terminal lists sixel graphics"
	     : m == GFX_MODE_ITERM ? "the terminal named itself one with iTerm2 images"
	     : "the terminal has no graphics protocol: symbols";
	return m;
}

enum gfx_colors gfx_detect_colors(const struct gfx_replies *rep, int curses_colors)
{
	const char *ct = getenv("COLORTERM");
	if (ct && (strcmp(ct, "truecolor") == 0 || strcmp(ct, "24bit") == 0))
		return GFX_COLORS_TRUE;
	static const char *const truecolor[] = { "kitty", "WezTerm", "iTerm2", "foot",
						 "Konsole", "contour", "ghostty", "mintty" };
	for (size_t i = 0; rep && i < sizeof(truecolor) / sizeof(truecolor[0]); i++)
		if (has_word(rep->version, truecolor[i]))
			return GFX_COLORS_TRUE;
	return curses_colors >= 256 ? GFX_COLORS_256 : GFX_COLORS_16;
}
