/* theme.h — colour themes: a YAML file maps each colour meaning (normal,
 * title, running, graph-cpu...) to a foreground, a background and
 * attributes. No curses here: the screen turns a struct theme into colour
 * pairs for the colours the terminal has (256, 16, 8 or none). */
#ifndef VMTUI_THEME_H
#define VMTUI_THEME_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"

/* The meanings, in the order of enum color (tui/screen.h). */
enum theme_slot {
	TS_NORMAL, TS_TITLE, TS_HEADER, TS_COLUMNS, TS_FOOTER, TS_KEY, TS_SELECTION,
	TS_RUNNING, TS_PAUSED, TS_OFF, TS_CRASHED, TS_GRAPH_CPU, TS_GRAPH_MEM,
	TS_GRAPH_DISK, TS_GRAPH_NET, TS_AXIS, TS_WARNING, TS_ERROR, TS_DIM, TS_DIALOG,
	TS_COUNT
};

/* Attributes, as bits (the screen maps them to A_BOLD...). */
enum {
	TA_BOLD = 1, TA_DIM = 2, TA_UNDERLINE = 4, TA_REVERSE = 8, TA_STANDOUT = 16,
	TA_ITALIC = 32,
};

/* A colour: the terminal's default, a palette index 0-255 (0-7 the basic
 * colours, 8-15 their bright forms), or 24-bit RGB. */
enum theme_color_kind { TC_DEFAULT, TC_INDEX, TC_RGB };
struct theme_color {
	enum theme_color_kind kind;
	unsigned value;   /* index, or 0xRRGGBB */
};

struct theme_style {
	struct theme_color fg, bg;
	unsigned attr;    /* TA_* */
};

struct theme {
	char name[64];                    /* "dark", or the file's base name */
	struct theme_style s[TS_COUNT];
};

/* Meaning names ("graph-cpu"), NULL-terminated, in enum theme_slot order. */
extern const char *const theme_slot_names[];

/* The built-in dark theme (also themes/dark.yaml), used when nothing else is. */
void theme_default(struct theme *t);

/* Looks up a theme by name for `inherits:`: fill *out and return 0, or
 * return -1 with errors added. NULL: only the built-in "dark" is known. */
typedef int (*theme_resolve_fn)(void *ctx, const char *name, struct theme *out,
                                int depth, struct config_errors *errs);

/* Parse theme text; `file` is used in messages. On success *out is the
 * theme (name left as it was) and 0 is returned; on error -1, *out is
 * untouched and every problem is in *errs as "file:line:col: message". */
int theme_parse(struct theme *out, const char *file, const char *text, size_t len,
                theme_resolve_fn resolve, void *ctx, int depth, struct config_errors *errs);

/* Colour in a terminal with `ncolors` colours (256, 16 or 8): -1 for the
 * default, else a palette index below ncolors. */
int theme_color_index(const struct theme_color *c, int ncolors);
/* Nearest colour of the xterm 256-colour palette to 0xRRGGBB (16-255). */
int theme_rgb_to_256(unsigned rgb);
/* A 256-palette index brought down to 16 or 8 colours. */
int theme_index_down(int index, int ncolors);

/* Finding themes on disk: $XDG_CONFIG_HOME/vmtui/themes (else
 * ~/.config/vmtui/themes), then $VMTUI_THEMES_DIR if set, else the
 * installed data dir. */
/* Where themes are looked for, first match wins: the user's folder,
 * then VMTUI_THEMES_DIR or DATADIR/themes, and when that is missing (a
 * binary run from its build folder) the source tree's themes/ beside
 * the binary or one folder up. */
struct theme_dirs {
	char *dirs[3];
	size_t n;
};
void theme_dirs_init(struct theme_dirs *d, const char *datadir);
void theme_dirs_free(struct theme_dirs *d);

/* Load a theme by name (found in the dirs; "dark" is built in when no file
 * has it) or by path (anything with a '/' or ending in ".yaml"). On error
 * *out is the built-in dark theme, errors are in *errs, -1 is returned. */
int theme_load(struct theme *out, const char *name_or_path, const struct theme_dirs *d,
               struct config_errors *errs);
/* Every theme name found (sorted, no duplicates, "dark" always there). */
char **theme_list(const struct theme_dirs *d, size_t *n);
void theme_list_free(char **v, size_t n);

#endif
