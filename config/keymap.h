/* keymap.h — the `keys:` section of config.yaml: command name → key or
 * list of keys. Parsing and checking only, without curses: key names are
 * read into codes of their own (KMK_*), tui/keys.c maps them to curses
 * codes and puts the result in force. */
#ifndef VMTUI_KEYMAP_H
#define VMTUI_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <yaml.h>

struct config_errors;

/* Key codes: characters are themselves (1-31 control keys, 32-126
 * printable; Enter is 13, Tab 9, Esc 27, Space 32), special keys follow. */
enum {
	KMK_UP = 256, KMK_DOWN, KMK_LEFT, KMK_RIGHT, KMK_PGUP, KMK_PGDN, KMK_HOME, KMK_END,
	KMK_INSERT, KMK_DELETE, KMK_BACKSPACE, KMK_BTAB, KMK_KPENTER,
	KMK_F1 = 300, /* ... KMK_F1 + 11 for F12 */
	KMK_MAX = KMK_F1 + 12
};

/* One `command: keys` line as written. */
struct keymap_bind {
	char *cmd;
	unsigned line, col;
	int *keys;            /* KMK codes */
	char **names;         /* each key as written */
	unsigned *kline, *kcol;
	size_t nkeys;
};

struct keymap {
	struct keymap_bind *v;
	size_t n;
};

void keymap_free(struct keymap *km);

/* A key name ("q", "^L", "F10", "PgDn", "Enter", "Space"...) to a KMK
 * code; -1 when it is not one. */
int keymap_key_parse(const char *s);

/* Read the value of `keys:` (a mapping) from a loaded document, adding to
 * *km; errors in *errs as "file:line:col: keys: ...". */
void keymap_parse_node(struct keymap *km, yaml_document_t *doc, yaml_node_t *v,
                       const char *file, struct config_errors *errs);
/* The same from text whose root is that mapping (for tests and fuzzing).
 * Returns 0, or -1 with every problem in *errs (and *km left empty). */
int keymap_parse(struct keymap *km, const char *file, const char *text, size_t len,
                 struct config_errors *errs);

/* A binding in force: key (in the caller's codes), command number, the
 * views it works in (a mask), the footer label or NULL. */
struct keymap_binding {
	int key;
	int cmd;
	unsigned views;
	const char *label;
};

/* How the caller's bindings work. */
struct keymap_rules {
	const char *const *cmd_names;  /* by command number; NULL-terminated */
	const struct keymap_binding *defaults;
	size_t ndefaults;
	int (*code)(int kmk);          /* KMK code to the caller's key code */
	unsigned global_view;          /* bindings that work in every view... */
	unsigned typing_views;         /* ...but these, where printable keys are typed */
	const int *reserved;           /* keys that cannot be bound (e.g. ^C), -1 ended */
};

/* The bindings in force after `km`: each rebound command loses its default
 * keys and gets the new ones in the views it worked in. Checks command
 * names, keys typed into a form, and a key meaning two commands in one view.
 * Returns 0 with a new table in *out, or -1 with every problem in *errs. */
int keymap_resolve(const struct keymap *km, const char *file, const struct keymap_rules *r,
                   struct keymap_binding **out, size_t *nout, struct config_errors *errs);

#endif
