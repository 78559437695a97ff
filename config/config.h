/* config.h — the application config file (~/.config/vmtui/config.yaml):
 * defaults for what the command line can also say. */
#ifndef VMTUI_CONFIG_H
#define VMTUI_CONFIG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <yaml.h>

#include "keymap.h"

enum cfg_graphs { CFG_GRAPHS_AUTO, CFG_GRAPHS_BRAILLE, CFG_GRAPHS_BLOCK, CFG_GRAPHS_ASCII };
/* The graphical console: how a guest's screen is drawn (graphics_protocol:
 * auto asks the terminal; the names are those of --graphics-protocol and
 * tui/gfx's gfx_mode_parse) and with which symbols when drawn as text
 * (graphics_symbols:). cfg_gfx_protocols / cfg_gfx_symbols name them. */
enum cfg_gfx_protocol { CFG_GFX_AUTO, CFG_GFX_KITTY, CFG_GFX_SIXEL, CFG_GFX_ITERM,
                        CFG_GFX_SYMBOLS };
enum cfg_gfx_symbols { CFG_GFXSYM_HALF, CFG_GFXSYM_QUADRANTS, CFG_GFXSYM_SEXTANTS };
extern const char *const cfg_gfx_protocols[];
extern const char *const cfg_gfx_symbols[];

/* A hypervisor host: reached over SSH (ssh set) or by a libvirt URI. */
struct config_host {
	char *name;           /* as shown in the list */
	char *ssh;            /* [user@]host[:port] or a ~/.ssh/config alias, or NULL */
	char *uri;            /* libvirt URI on that host; NULL: qemu:///system over SSH */
	char *key;            /* identity file, or NULL */
	unsigned line, col;   /* where it was defined */
	unsigned bulk_limit;  /* bulk operations at once on this host; 0 = unset */
};

struct config {
	double interval;      /* seconds; 0 = unset */
	char **uris;
	size_t nuris;
	struct config_host *hosts;
	size_t nhosts;
	bool readonly;
	bool readonly_set;
	enum cfg_graphs graphs;
	unsigned history;     /* samples; 0 = unset */
	unsigned shutdown_wait_ms; /* before a shutdown or reboot not done is told; 0 = unset */
	int color;            /* -1 unset, 0 off, 1 on */
	char *theme;          /* theme name or path, or NULL */
	unsigned theme_line, theme_col;
	struct keymap keys;   /* the keys: section, as written */
	enum cfg_gfx_protocol gfx_protocol;  /* graphics_protocol:, default auto */
	enum cfg_gfx_symbols gfx_symbols;    /* graphics_symbols:, default half */
	unsigned gfx_fps;     /* graphics_fps: the screen's frame cap, 1-60; 0 = unset (15) */
	unsigned bulk_limit;  /* bulk_limit: operations at once per host, 1-64; 0 = unset (4) */
	double wait_warn;     /* wait_warn: WAIT% marked from, (0, 100]; 0 = unset (10) */
};

/* Errors found while reading: every one, each "file:line:col: message". */
struct config_errors {
	char **v;
	size_t n;
};

void config_init(struct config *c);
void config_free(struct config *c);
void config_errors_free(struct config_errors *e);
/* Every error, one per line, as a new string ("" when there is none). */
char *config_errors_text(const struct config_errors *e);

/* Read a config file. Returns 0 when the file is valid (or absent, when
 * missing_ok), -1 with every problem in *errs otherwise; on error *c is
 * left as it was. */
int config_load(struct config *c, const char *path, bool missing_ok,
                struct config_errors *errs);
/* Parse config text (for tests); `name` is used in messages. */
int config_parse(struct config *c, const char *name, const char *text, size_t len,
                 struct config_errors *errs);

/* A whole file (at most 16 MiB) as a new NUL-terminated buffer, its
 * length in *len; NULL with the error added to *errs. */
char *config_read_file(const char *path, size_t *len, struct config_errors *errs);
/* Add "file:line:col: message" (line 0: "file: message") to *errs. */
void config_error(struct config_errors *e, const char *file, size_t line, size_t col,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* config_error with a va_list, the message after prefix ("keys: "). */
void config_verror(struct config_errors *e, const char *file, size_t line, size_t col,
                   const char *prefix, const char *fmt, va_list ap)
	__attribute__((format(printf, 6, 0)));

/* YAML nested deeper than this ([ and { inside each other) is refused
 * before libyaml sees it: its scanner slows down with the square of the
 * depth, and no vmtui file needs more than a handful of levels. */
#define CONFIG_MAX_NESTING 64
/* 0, or -1 with "file:line:col: ..." added to *errs at the bracket that
 * goes too deep. Quoted scalars and comments are skipped. */
int config_check_nesting(const char *file, const char *text, size_t len,
                         struct config_errors *errs);
/* The first YAML document of text into *doc, after config_check_nesting:
 * 0, and the caller deletes *doc and *parser; or -1 with the syntax error
 * added at its line:col (nothing left to delete). */
int config_yaml_load(yaml_parser_t *parser, yaml_document_t *doc, const char *file,
                     const char *text, size_t len, struct config_errors *errs);

/* $XDG_CONFIG_HOME/vmtui/config.yaml, else ~/.config/vmtui/config.yaml. */
char *config_default_path(void);

/* YAML 1.1 booleans as people write them: true/yes/on, false/no/off. */
bool config_parse_bool(const char *s, bool *out);

/* Edit distance, for "did you mean" suggestions. */
size_t config_distance(const char *a, const char *b);
/* The closest of `words` to `w` when it is close enough, else NULL. */
const char *config_suggest(const char *w, const char *const *words);

#endif
