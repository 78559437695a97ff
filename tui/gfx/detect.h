/* detect.h — which graphics the terminal draws, by asking it.
 *
 * Never guessed from $TERM: the terminal is sent four queries and its
 * answers are read with a timeout —
 *   ESC _ G i=<id>,s=1,v=1,a=q,t=d,f=24;AAAA ESC \   kitty graphics: "OK"
 *   ESC [ > q                                        XTVERSION: its name
 *   ESC [ 16 t                                       cell size in pixels
 *   ESC [ c                                          primary device
 *       attributes (DA1): 4 among them means sixel. Every terminal answers
 *       DA1, so its answer ends the wait; one that answers nothing times
 *       out (GFX_DETECT_TIMEOUT_MS) and gets symbols.
 * Inside tmux (or screen) the answer is symbols whatever the outer terminal
 * draws: passing images through the multiplexer is unreliable. An
 * explicit choice (--graphics-protocol, config.yaml graphics_protocol:)
 * skips the queries.
 *
 * The reply parser is a pure function over bytes (fuzzed: tests/fuzz).
 */
#ifndef VMTUI_GFX_DETECT_H
#define VMTUI_GFX_DETECT_H

#include <stdbool.h>
#include <stddef.h>

#include "tui/gfx/render.h"

#define GFX_DETECT_TIMEOUT_MS 200
/* The image id of the kitty query (an answer with another id is not ours). */
#define GFX_DETECT_KITTY_ID 31337

/* What the terminal's answers said. */
struct gfx_replies {
	bool kitty_ok;       /* the kitty query was answered OK */
	bool kitty_error;    /* ... answered with an error */
	bool da1;            /* a DA1 answer came (the end of the answers) */
	bool sixel;          /* DA1 listed 4 */
	int cell_w, cell_h;  /* from CSI 6;h;w t; 0 when not answered (for
	                        gfx_opts when TIOCGWINSZ has no pixel size) */
	char version[64];    /* XTVERSION's text ("kitty(0.26.5)", "WezTerm ..."),
	                        printable ASCII only; "" when not answered */
	size_t other;        /* bytes that were none of these (typed keys...) */
};

/* Parses a terminal's answers: any bytes, in any order, with anything
 * between them; never reads past len, never fails. */
void gfx_parse_replies(const char *buf, size_t len, struct gfx_replies *out);

/* The mode the answers call for: kitty, then sixel, then iTerm2 (by
 * XTVERSION: iTerm2, WezTerm, mintty), else symbols. */
enum gfx_mode gfx_mode_from_replies(const struct gfx_replies *r);

/* The queries, in the order sent (DA1 last). */
const char *gfx_detect_queries(size_t *len);

/* Asks the terminal on in_fd/out_fd (raw mode is the caller's: curses has
 * it set) and parses what comes back within timeout_ms, stopping at the
 * DA1 answer. Bytes that are not answers (keys typed meanwhile) are
 * counted in out->other and dropped. Returns false when nothing answered. */
bool gfx_detect_query(int in_fd, int out_fd, int timeout_ms, struct gfx_replies *out);

/* The whole choice: forced (a --graphics-protocol / config value that
 * gfx_mode_parse takes; NULL or "auto" to ask) wins; inside a multiplexer
 * (env TMUX or STY set, or TERM starting with "screen"/"tmux") symbols;
 * else the terminal's answers (in *rep). *why says which (a static string
 * for the status line or the log). Validating a forced value is the
 * caller's (config.c and the command line name the key). */
enum gfx_mode gfx_detect(int in_fd, int out_fd, const char *forced,
			 struct gfx_replies *rep, const char **why);

/* Colour depth for symbols: truecolor when COLORTERM says truecolor/24bit
 * or the terminal named itself one that has it (XTVERSION), 256 when the
 * terminal has at least 256 colours (curses' COLORS), else 16. */
enum gfx_colors gfx_detect_colors(const struct gfx_replies *rep, int curses_colors);

#endif
