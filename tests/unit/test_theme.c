/* test_theme.c — config/theme.h: theme files, their errors, finding
 * themes on disk, and colours brought down to 256, 16 and 8. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/theme.h"
#include "model/base/xmalloc.h"

/* ---- helpers ---- */

static int
parse(struct theme *t, const char *text, struct config_errors *e)
{
	memset(t, 0, sizeof *t);
	snprintf(t->name, sizeof t->name, "t");
	return theme_parse(t, "t.yaml", text, strlen(text), NULL, NULL, 0, e);
}

static void
parse_ok(struct theme *t, const char *text)
{
	struct config_errors e = { 0 };

	if (parse(t, text, &e) != 0)
		fail_msg("unexpected error: %s", e.n ? e.v[0] : "(none)");
	config_errors_free(&e);
}

/* Exactly one error, this one. */
static void
parse_err1(const char *text, const char *want)
{
	struct theme t;
	struct config_errors e = { 0 };

	assert_int_equal(parse(&t, text, &e), -1);
	if (e.n != 1)
		fail_msg("%zu errors, first: %s", e.n, e.n ? e.v[0] : "(none)");
	assert_string_equal(e.v[0], want);
	config_errors_free(&e);
}

static void
assert_color(const struct theme_color *c, enum theme_color_kind k, unsigned v)
{
	assert_int_equal(c->kind, k);
	assert_int_equal(c->value, v);
}

/* ---- parsing ---- */

static void
test_parse_full(void **state)
{
	struct theme t;

	(void)state;
	parse_ok(&t, "title: {fg: bright-red, bg: 17, attr: [bold, underline]}\n"
	             "running:\n  fg: \"#00ff80\"\n  attr: italic\n"
	             "off: {fg: default, bg: black, attr: [dim, reverse, standout]}\n");
	assert_string_equal(t.name, "t");
	assert_color(&t.s[TS_TITLE].fg, TC_INDEX, 9);
	assert_color(&t.s[TS_TITLE].bg, TC_INDEX, 17);
	assert_int_equal(t.s[TS_TITLE].attr, TA_BOLD | TA_UNDERLINE);
	assert_color(&t.s[TS_RUNNING].fg, TC_RGB, 0x00ff80);
	assert_color(&t.s[TS_RUNNING].bg, TC_DEFAULT, 0);
	assert_int_equal(t.s[TS_RUNNING].attr, TA_ITALIC);
	assert_color(&t.s[TS_OFF].fg, TC_DEFAULT, 0);
	assert_color(&t.s[TS_OFF].bg, TC_INDEX, 0);
	assert_int_equal(t.s[TS_OFF].attr, TA_DIM | TA_REVERSE | TA_STANDOUT);
	/* not named: the terminal's default, no attributes */
	assert_color(&t.s[TS_DIALOG].fg, TC_DEFAULT, 0);
	assert_int_equal(t.s[TS_DIALOG].attr, 0);
}

static void
test_parse_inherits_dark(void **state)
{
	struct theme t, d;

	(void)state;
	theme_default(&d);
	parse_ok(&t, "selection: {bg: blue}\ninherits: dark\ntitle: {attr: []}\n");
	/* what is given replaces, the rest is dark's */
	assert_color(&t.s[TS_SELECTION].bg, TC_INDEX, 4);
	assert_color(&t.s[TS_SELECTION].fg, TC_INDEX, 0);
	assert_color(&t.s[TS_TITLE].fg, TC_INDEX, 6);
	assert_int_equal(t.s[TS_TITLE].attr, 0);
	assert_memory_equal(&t.s[TS_DIALOG], &d.s[TS_DIALOG], sizeof d.s[0]);
	assert_int_equal(t.s[TS_RUNNING].attr, TA_BOLD);
}

static void
test_every_meaning_name(void **state)
{
	size_t i;
	char text[64];
	struct theme t;

	(void)state;
	for (i = 0; theme_slot_names[i]; i++) {
		snprintf(text, sizeof text, "%s: {fg: %zu}\n", theme_slot_names[i], i + 1);
		parse_ok(&t, text);
		assert_color(&t.s[i].fg, TC_INDEX, (unsigned)(i + 1));
	}
	assert_int_equal(i, TS_COUNT);
}

static void
test_err_unknown_meaning(void **state)
{
	(void)state;
	parse_err1("title: {fg: red}\nrunnin: {fg: green}\n",
	           "t.yaml:2:1: unknown meaning \"runnin\" (did you mean \"running\"?)");
	parse_err1("  graph_cpu: {fg: red}\n",
	           "t.yaml:1:3: unknown meaning \"graph_cpu\" (did you mean \"graph-cpu\"?)");
	parse_err1("sparkles: {fg: red}\n",
	           "t.yaml:1:1: unknown meaning \"sparkles\" (see THEMES in vmtui-config(5) "
	           "for the list)");
}

static void
test_err_bad_color(void **state)
{
	(void)state;
	parse_err1("title: {fg: purple}\n",
	           "t.yaml:1:13: title: fg: \"purple\" is not a colour (use a name such as red or "
	           "bright-blue, default, a number 0-255, or #rrggbb)");
	parse_err1("title:\n  bg: bright_red\n",
	           "t.yaml:2:7: title: bg: \"bright_red\" is not a colour (did you mean "
	           "\"bright-red\"?)");
	parse_err1("title: {fg: 256}\n",
	           "t.yaml:1:13: title: fg: \"256\" is not a colour (use a name such as red or "
	           "bright-blue, default, a number 0-255, or #rrggbb)");
	parse_err1("title: {fg: \"#12345\"}\n",
	           "t.yaml:1:13: title: fg: \"#12345\" is not a colour (use a name such as red or "
	           "bright-blue, default, a number 0-255, or #rrggbb)");
	parse_err1("title: {fg: -1}\n",
	           "t.yaml:1:13: title: fg: \"-1\" is not a colour (use a name such as red or "
	           "bright-blue, default, a number 0-255, or #rrggbb)");
	parse_err1("title: {fg: [red]}\n", "t.yaml:1:13: title: fg: expected a colour, not a list");
}

static void
test_err_unquoted_hash(void **state)
{
	(void)state;
	/* # after a space starts a YAML comment: the value is empty */
	parse_err1("title:\n  fg: #ff0000\n",
	           "t.yaml:2:6: title: fg: expected a colour (a name such as red or bright-blue, "
	           "a number 0-255, or \"#rrggbb\" in quotes: # starts a comment)");
}

static void
test_err_bad_attr(void **state)
{
	(void)state;
	parse_err1("title: {attr: [bold, blod]}\n",
	           "t.yaml:1:22: title: attr: \"blod\" is not an attribute (did you mean \"bold\"?)");
	parse_err1("title: {attr: blink}\n",
	           "t.yaml:1:15: title: attr: \"blink\" is not an attribute (known: bold, dim, "
	           "underline, reverse, standout, italic)");
	parse_err1("title: {attr: {bold: true}}\n",
	           "t.yaml:1:15: title: attr: expected a list of attributes such as [bold, underline]");
}

static void
test_err_duplicates(void **state)
{
	(void)state;
	parse_err1("title: {fg: red}\nkey: {fg: red}\ntitle: {fg: blue}\n",
	           "t.yaml:3:1: duplicate key \"title\" (already given at line 1)");
	parse_err1("title:\n  fg: red\n  fg: blue\n",
	           "t.yaml:3:3: title: duplicate key \"fg\" (already given at line 2)");
	parse_err1("inherits: dark\ninherits: dark\n",
	           "t.yaml:2:1: duplicate key \"inherits\" (already given at line 1)");
}

static void
test_err_style_shape(void **state)
{
	(void)state;
	parse_err1("title: red\n",
	           "t.yaml:1:8: title: expected a mapping such as {fg: cyan, bg: default, "
	           "attr: [bold]}, not a single value");
	parse_err1("title: {colour: red}\n",
	           "t.yaml:1:9: title: unknown key \"colour\" (known: fg, bg, attr)");
	parse_err1("title: {bgg: red}\n",
	           "t.yaml:1:9: title: unknown key \"bgg\" (did you mean \"bg\"?)");
}

static void
test_err_document(void **state)
{
	(void)state;
	parse_err1("", "t.yaml:1:1: empty theme: expected meanings such as title: {fg: cyan}");
	parse_err1("- title\n", "t.yaml:1:1: expected a mapping of colour meanings (title: {fg: cyan})");
	parse_err1("title: {fg: red\n",
	           "t.yaml:2:1: did not find expected ',' or '}' while parsing a flow mapping");
	parse_err1("inherits: solarized\n",
	           "t.yaml:1:11: inherits: unknown theme \"solarized\" (only dark is built in)");
	parse_err1("inherits: [dark]\n",
	           "t.yaml:1:11: inherits: expected the name of a theme such as dark");
}

static void
test_err_many_and_untouched(void **state)
{
	struct theme t;
	struct config_errors e = { 0 };
	const char *text = "titel: {}\nkey: {fg: nope, attr: [x]}\n";

	(void)state;
	memset(&t, 0, sizeof t);
	snprintf(t.name, sizeof t.name, "keep");
	t.s[TS_TITLE].attr = TA_ITALIC;
	assert_int_equal(theme_parse(&t, "x.yaml", text, strlen(text), NULL, NULL, 0, &e), -1);
	assert_int_equal(e.n, 3);
	assert_string_equal(e.v[0], "x.yaml:1:1: unknown meaning \"titel\" (did you mean \"title\"?)");
	assert_string_equal(e.v[1], "x.yaml:2:11: key: fg: \"nope\" is not a colour (use a name such "
	                    "as red or bright-blue, default, a number 0-255, or #rrggbb)");
	assert_string_equal(e.v[2], "x.yaml:2:24: key: attr: \"x\" is not an attribute (known: bold, "
	                    "dim, underline, reverse, standout, italic)");
	assert_string_equal(t.name, "keep");
	assert_int_equal(t.s[TS_TITLE].attr, TA_ITALIC);
	config_errors_free(&e);
}

/* ---- colours ---- */

static void
test_rgb_to_256(void **state)
{
	(void)state;
	assert_int_equal(theme_rgb_to_256(0xff0000), 196);
	assert_int_equal(theme_rgb_to_256(0xffd75f), 221);
	assert_int_equal(theme_rgb_to_256(0x000000), 16);
	assert_int_equal(theme_rgb_to_256(0xffffff), 231);
	assert_int_equal(theme_rgb_to_256(0x808080), 244);
	assert_int_equal(theme_rgb_to_256(0x0a0a0a), 232);
	assert_int_equal(theme_rgb_to_256(0x5f87af), 67);
}

static void
test_index_down(void **state)
{
	(void)state;
	/* 256 keeps everything */
	assert_int_equal(theme_index_down(196, 256), 196);
	assert_int_equal(theme_index_down(9, 256), 9);
	/* 16: the basic 16 stay, the rest to the nearest of them */
	assert_int_equal(theme_index_down(9, 16), 9);
	assert_int_equal(theme_index_down(196, 16), 9);
	assert_int_equal(theme_index_down(28, 16), 2);
	assert_int_equal(theme_index_down(244, 16), 8);
	assert_int_equal(theme_index_down(231, 16), 15);
	assert_int_equal(theme_index_down(17, 16), 0);  /* navy is nearer black than blue */
	/* 8: through 16, then the bright forms lose their brightness */
	assert_int_equal(theme_index_down(3, 8), 3);
	assert_int_equal(theme_index_down(9, 8), 1);
	assert_int_equal(theme_index_down(15, 8), 7);
	assert_int_equal(theme_index_down(196, 8), 1);
	assert_int_equal(theme_index_down(244, 8), 0);
	assert_int_equal(theme_index_down(232, 8), 0);
	assert_int_equal(theme_index_down(28, 8), 2);
	assert_int_equal(theme_index_down(256, 8), -1);
}

static void
test_color_index(void **state)
{
	struct theme_color def = { TC_DEFAULT, 0 }, red = { TC_RGB, 0xff0000 };
	struct theme_color sel = { TC_RGB, 0xffd75f }, ix = { TC_INDEX, 130 };

	(void)state;
	assert_int_equal(theme_color_index(&def, 256), -1);
	assert_int_equal(theme_color_index(&def, 8), -1);
	assert_int_equal(theme_color_index(&red, 256), 196);
	assert_int_equal(theme_color_index(&red, 16), 9);
	assert_int_equal(theme_color_index(&red, 8), 1);
	assert_int_equal(theme_color_index(&sel, 256), 221);
	assert_int_equal(theme_color_index(&sel, 16), 11);
	assert_int_equal(theme_color_index(&sel, 8), 3);
	assert_int_equal(theme_color_index(&ix, 256), 130);
	assert_int_equal(theme_color_index(&ix, 16), 1);
	assert_int_equal(theme_color_index(&ix, 8), 1);
}

/* ---- themes on disk ---- */

struct tmp {
	char dir[64];
	char *saved_xdg, *saved_env;
};

static void
restore_env(const char *name, char *saved)
{
	if (saved) {
		setenv(name, saved, 1);
		free(saved);
	} else {
		unsetenv(name);
	}
}

static void
write_file(const char *dir, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(path);
}

static int
tmp_setup(void **state)
{
	struct tmp *t = calloc(1, sizeof *t);
	const char *x = getenv("XDG_CONFIG_HOME"), *v = getenv("VMTUI_THEMES_DIR");
	char *p;

	snprintf(t->dir, sizeof t->dir, "/tmp/test_theme.XXXXXX");
	if (mkdtemp(t->dir) == NULL)
		return -1;
	p = xasprintf("%s/vmtui", t->dir);
	mkdir(p, 0700);
	free(p);
	p = xasprintf("%s/vmtui/themes", t->dir);
	mkdir(p, 0700);
	free(p);
	t->saved_xdg = x ? strdup(x) : NULL;
	t->saved_env = v ? strdup(v) : NULL;
	setenv("XDG_CONFIG_HOME", t->dir, 1);
	setenv("VMTUI_THEMES_DIR", THEMES_DIR, 1);
	*state = t;
	return 0;
}

static int
tmp_teardown(void **state)
{
	struct tmp *t = *state;
	char *cmd = xasprintf("rm -rf '%s'", t->dir);

	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", t->dir);
	free(cmd);
	restore_env("XDG_CONFIG_HOME", t->saved_xdg);
	restore_env("VMTUI_THEMES_DIR", t->saved_env);
	free(t);
	return 0;
}

static void
test_dirs(void **state)
{
	struct tmp *t = *state;
	struct theme_dirs d;
	char *want = xasprintf("%s/vmtui/themes", t->dir);

	theme_dirs_init(&d, "/usr/share/vmtui");
	assert_int_equal(d.n, 2);
	assert_string_equal(d.dirs[0], want);
	assert_string_equal(d.dirs[1], THEMES_DIR);
	theme_dirs_free(&d);
	unsetenv("VMTUI_THEMES_DIR");
	theme_dirs_init(&d, "/usr/share/vmtui");
	assert_int_equal(d.n, 2);
	assert_string_equal(d.dirs[1], "/usr/share/vmtui/themes");
	theme_dirs_free(&d);
	free(want);
}

/* Every theme shipped in themes/ parses; dark.yaml is the built-in one. */
static void
test_shipped_themes(void **state)
{
	static const char *const shipped[] = { "dark", "high-contrast", "light", "mono" };
	struct theme_dirs d;
	struct theme t, def;
	struct config_errors e = { 0 };
	char **names;
	size_t n, i;

	(void)state;
	theme_dirs_init(&d, NULL);
	names = theme_list(&d, &n);
	assert_int_equal(n, 4);
	for (i = 0; i < n; i++) {
		assert_string_equal(names[i], shipped[i]);
		if (theme_load(&t, names[i], &d, &e) != 0)
			fail_msg("%s: %s", names[i], e.n ? e.v[0] : "?");
		assert_string_equal(t.name, names[i]);
	}
	theme_list_free(names, n);
	theme_default(&def);
	assert_int_equal(theme_load(&t, THEMES_DIR "/dark.yaml", &d, &e), 0);
	assert_string_equal(t.name, "dark");
	assert_memory_equal(t.s, def.s, sizeof def.s);
	/* light changes the running colour; mono has no colour at all */
	assert_int_equal(theme_load(&t, "light", &d, &e), 0);
	assert_color(&t.s[TS_RUNNING].fg, TC_INDEX, 28);
	assert_int_equal(theme_load(&t, "mono", &d, &e), 0);
	for (i = 0; i < TS_COUNT; i++) {
		assert_int_equal(t.s[i].fg.kind, TC_DEFAULT);
		assert_int_equal(t.s[i].bg.kind, TC_DEFAULT);
	}
	assert_int_equal(t.s[TS_SELECTION].attr, TA_REVERSE);
	assert_int_equal(e.n, 0);
	theme_dirs_free(&d);
}

static void
test_user_theme_overrides_and_inherits(void **state)
{
	struct tmp *tp = *state;
	char *udir = xasprintf("%s/vmtui/themes", tp->dir);
	struct theme_dirs d;
	struct theme t;
	struct config_errors e = { 0 };
	char **names;
	size_t n;

	write_file(udir, "light.yaml", "inherits: mono\ntitle: {fg: red}\n");
	write_file(udir, "mine.yaml", "inherits: light\nrunning: {bg: \"#000080\"}\n");
	write_file(udir, ".hidden.yaml", "x\n");
	write_file(udir, "notes.txt", "x\n");
	theme_dirs_init(&d, NULL);
	names = theme_list(&d, &n);
	assert_int_equal(n, 5);
	assert_string_equal(names[0], "dark");
	assert_string_equal(names[3], "mine");
	assert_string_equal(names[4], "mono");
	theme_list_free(names, n);
	assert_int_equal(theme_load(&t, "mine", &d, &e), 0);
	assert_string_equal(t.name, "mine");
	assert_color(&t.s[TS_TITLE].fg, TC_INDEX, 1);          /* the user's light */
	assert_int_equal(t.s[TS_SELECTION].attr, TA_REVERSE);  /* ...from mono */
	assert_color(&t.s[TS_RUNNING].bg, TC_RGB, 0x000080);
	assert_int_equal(e.n, 0);
	theme_dirs_free(&d);
	free(udir);
}

static void
test_load_errors_fall_back_to_dark(void **state)
{
	struct tmp *tp = *state;
	char *udir = xasprintf("%s/vmtui/themes", tp->dir), *want;
	struct theme_dirs d;
	struct theme t, def;
	struct config_errors e = { 0 };

	write_file(udir, "broken.yaml", "# a comment\ntitle: {fg: red}\nrunning: {fg: gren}\n");
	write_file(udir, "loop.yaml", "inherits: loop\n");
	write_file(udir, "child.yaml", "inherits: broken\n");
	theme_dirs_init(&d, NULL);
	theme_default(&def);

	assert_int_equal(theme_load(&t, "broken", &d, &e), -1);
	assert_string_equal(t.name, "dark");
	assert_memory_equal(t.s, def.s, sizeof def.s);
	assert_int_equal(e.n, 1);
	want = xasprintf("%s/broken.yaml:3:15: running: fg: \"gren\" is not a colour (did you mean "
	                 "\"green\"?)", udir);
	assert_string_equal(e.v[0], want);
	free(want);
	config_errors_free(&e);

	/* an error in the parent is reported where it is */
	assert_int_equal(theme_load(&t, "child", &d, &e), -1);
	assert_int_equal(e.n, 1);
	want = xasprintf("%s/broken.yaml:3:15: running: fg: \"gren\" is not a colour (did you mean "
	                 "\"green\"?)", udir);
	assert_string_equal(e.v[0], want);
	free(want);
	config_errors_free(&e);

	assert_int_equal(theme_load(&t, "loop", &d, &e), -1);
	assert_int_equal(e.n, 1);
	want = xasprintf("%s/loop.yaml:1:11: inherits: \"loop\": themes inherit 8 deep; is there a "
	                 "loop?", udir);
	assert_string_equal(e.v[0], want);
	free(want);
	config_errors_free(&e);

	assert_int_equal(theme_load(&t, "ligth", &d, &e), -1);
	assert_int_equal(e.n, 1);
	assert_string_equal(e.v[0], "theme: \"ligth\" not found (did you mean \"light\"?) (themes: "
	                    "broken, child, dark, high-contrast, light, loop, mono)");
	config_errors_free(&e);

	assert_int_equal(theme_load(&t, "/nonexistent/x.yaml", &d, &e), -1);
	assert_int_equal(e.n, 1);
	assert_string_equal(e.v[0], "/nonexistent/x.yaml:1:1: cannot open: No such file or directory");
	config_errors_free(&e);
	theme_dirs_free(&d);
	free(udir);
}

static void
test_dark_builtin_without_files(void **state)
{
	struct theme_dirs d = { { NULL, NULL }, 0 };
	struct theme t, def;
	struct config_errors e = { 0 };

	(void)state;
	theme_default(&def);
	assert_int_equal(theme_load(&t, "dark", &d, &e), 0);
	assert_memory_equal(t.s, def.s, sizeof def.s);
	assert_int_equal(theme_load(&t, "light", &d, &e), -1);
	assert_string_equal(e.v[0], "theme: \"light\" not found (themes: dark)");
	config_errors_free(&e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_full),
		cmocka_unit_test(test_parse_inherits_dark),
		cmocka_unit_test(test_every_meaning_name),
		cmocka_unit_test(test_err_unknown_meaning),
		cmocka_unit_test(test_err_bad_color),
		cmocka_unit_test(test_err_unquoted_hash),
		cmocka_unit_test(test_err_bad_attr),
		cmocka_unit_test(test_err_duplicates),
		cmocka_unit_test(test_err_style_shape),
		cmocka_unit_test(test_err_document),
		cmocka_unit_test(test_err_many_and_untouched),
		cmocka_unit_test(test_rgb_to_256),
		cmocka_unit_test(test_index_down),
		cmocka_unit_test(test_color_index),
		cmocka_unit_test_setup_teardown(test_dirs, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_shipped_themes, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_user_theme_overrides_and_inherits, tmp_setup,
		                                tmp_teardown),
		cmocka_unit_test_setup_teardown(test_load_errors_fall_back_to_dark, tmp_setup,
		                                tmp_teardown),
		cmocka_unit_test(test_dark_builtin_without_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
