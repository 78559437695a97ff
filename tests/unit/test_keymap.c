/* test_keymap.c — config/keymap.h (the keys: section of config.yaml) and
 * putting it in force with tui/keys.c; examples/config.yaml parses. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curses.h>

#include "config/config.h"
#include "config/keymap.h"
#include "tui/command.h"
#include "tui/keys.h"

/* ---- key names ---- */

static void
test_key_names(void **state)
{
	static const struct {
		const char *name;
		int code;
	} ok[] = {
		{ "q", 'q' }, { "Q", 'Q' }, { "*", '*' }, { "?", '?' }, { "^", '^' }, { "1", '1' },
		{ "^L", 12 }, { "^l", 12 }, { "C-x", 24 }, { "^[", 27 }, { "^]", 29 }, { "^?", 127 },
		{ "Enter", '\r' }, { "enter", '\r' }, { "Return", '\r' }, { "Esc", 27 },
		{ "Escape", 27 }, { "Tab", '\t' }, { "S-Tab", KMK_BTAB }, { "Space", ' ' },
		{ "Up", KMK_UP }, { "Down", KMK_DOWN }, { "Left", KMK_LEFT }, { "Right", KMK_RIGHT },
		{ "PgUp", KMK_PGUP }, { "PageDown", KMK_PGDN }, { "PgDn", KMK_PGDN },
		{ "Home", KMK_HOME }, { "End", KMK_END }, { "Ins", KMK_INSERT },
		{ "Del", KMK_DELETE }, { "Delete", KMK_DELETE }, { "Backspace", KMK_BACKSPACE },
		{ "F1", KMK_F1 }, { "f10", KMK_F1 + 9 }, { "F12", KMK_F1 + 11 },
	};
	static const char *const bad[] = {
		"", "qq", "F0", "F13", "F01", "^@", "^1", "Ctrl-x", "C-", "\xc3\xa9", "Enterr",
		"\t", "PgUpp",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (keymap_key_parse(ok[i].name) != ok[i].code)
			fail_msg("\"%s\": %d, want %d", ok[i].name, keymap_key_parse(ok[i].name),
			         ok[i].code);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (keymap_key_parse(bad[i]) != -1)
			fail_msg("\"%s\" should not be a key", bad[i]);
}

/* ---- parsing ---- */

static int
parse(struct keymap *km, const char *text, struct config_errors *e)
{
	memset(km, 0, sizeof *km);
	return keymap_parse(km, "k.yaml", text, strlen(text), e);
}

static void
parse_err1(const char *text, const char *want)
{
	struct keymap km;
	struct config_errors e = { 0 };

	assert_int_equal(parse(&km, text, &e), -1);
	if (e.n != 1)
		fail_msg("%zu errors, first: %s", e.n, e.n ? e.v[0] : "(none)");
	assert_string_equal(e.v[0], want);
	assert_int_equal(km.n, 0);
	config_errors_free(&e);
}

static void
test_parse_ok(void **state)
{
	struct keymap km;
	struct config_errors e = { 0 };

	(void)state;
	assert_int_equal(parse(&km, "quit: [q, F10]\nstart: S\nrefresh: ^L\n  \nhelp: \"?\"\n", &e), 0);
	assert_int_equal(e.n, 0);
	assert_int_equal(km.n, 4);
	assert_string_equal(km.v[0].cmd, "quit");
	assert_int_equal(km.v[0].line, 1);
	assert_int_equal(km.v[0].col, 1);
	assert_int_equal(km.v[0].nkeys, 2);
	assert_int_equal(km.v[0].keys[0], 'q');
	assert_int_equal(km.v[0].keys[1], KMK_F1 + 9);
	assert_string_equal(km.v[0].names[1], "F10");
	assert_int_equal(km.v[0].kline[1], 1);
	assert_int_equal(km.v[0].kcol[1], 11);
	assert_string_equal(km.v[1].cmd, "start");
	assert_int_equal(km.v[1].keys[0], 'S');
	assert_int_equal(km.v[2].keys[0], 12);
	assert_int_equal(km.v[3].line, 5);
	assert_int_equal(km.v[3].keys[0], '?');
	keymap_free(&km);
	keymap_free(&km); /* twice is harmless */
}

static void
test_parse_errors(void **state)
{
	(void)state;
	parse_err1("quit: [q, F13]\n",
	           "k.yaml:1:11: keys: quit: \"F13\" is not a key (use a character, ^X for Ctrl-X, "
	           "F1-F12, Enter, Esc, Tab, Space, Up, Down, Left, Right, PgUp, PgDn, Home, End, "
	           "Ins, Del, Backspace)");
	parse_err1("start: S\nstart: T\n", "k.yaml:2:1: keys: duplicate key \"start\" (already "
	           "given at line 1)");
	parse_err1("quit: [q, Q, q]\n", "k.yaml:1:14: keys: quit: \"q\" is listed twice");
	parse_err1("quit: []\n", "k.yaml:1:7: keys: quit: expected at least one key");
	parse_err1("quit: {a: b}\n", "k.yaml:1:7: keys: quit: expected a key such as q, ^L, F10, "
	           "Enter or PgDn");
	parse_err1("quit:\n", "k.yaml:1:6: keys: quit: expected a key such as q, ^L, F10, Enter or "
	           "PgDn (quote punctuation: \"#\", \"*\", \"?\", \"-\")");
	parse_err1("- quit\n", "k.yaml:1:1: keys: expected a mapping of command names to keys, "
	           "such as quit: [q, F10]");
	parse_err1("[a]: q\n", "k.yaml:1:1: keys: expected a command name such as quit or start");
	parse_err1("quit: [q\n", "k.yaml:2:1: did not find expected ',' or ']' while parsing a "
	           "flow sequence");
}

/* ---- in force (tui/keys.c) ---- */

static int
apply(const char *text, struct config_errors *e)
{
	struct keymap km;
	int rc;

	memset(&km, 0, sizeof km);
	if (keymap_parse(&km, "k.yaml", text, strlen(text), e) < 0)
		fail_msg("parse: %s", e->v[0]);
	rc = keys_apply(&km, "k.yaml", e);
	keymap_free(&km);
	return rc;
}

static void
apply_err1(const char *text, const char *want)
{
	struct config_errors e = { 0 };

	assert_int_equal(apply(text, &e), -1);
	if (e.n != 1)
		fail_msg("%zu errors, first: %s", e.n, e.n ? e.v[0] : "(none)");
	assert_string_equal(e.v[0], want);
	config_errors_free(&e);
	/* nothing changed */
	assert_int_equal(keys_lookup('q', KV_LIST), CMD_QUIT);
	assert_int_equal(keys_lookup('S', KV_LIST), CMD_START);
}

static int
reset(void **state)
{
	(void)state;
	keys_reset();
	return 0;
}

static void
test_names_unique(void **state)
{
	int i, j, n = (int)command_count();

	(void)state;
	assert_true(n > CMD_COUNT); /* the dialogs' rows come after the named ones */
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (strcmp(cmd_name((enum cmd)i), cmd_name((enum cmd)j)) == 0)
				fail_msg("commands %d and %d are both \"%s\"", i, j, cmd_name((enum cmd)i));
	assert_string_equal(cmd_name(CMD_OPEN_FILE), "open-file");
	assert_string_equal(cmd_name(CMD_OPEN), "open");
	assert_string_equal(cmd_name(CMD_THEME_NEXT), "theme");
}

/* A command known only by its row (a dialog's opener, no enum cmd) has
 * the key its row gives, and config.yaml rebinds it by name. */
static void
test_row_keys(void **state)
{
	struct config_errors e = { 0 };
	enum cmd resize;

	(void)state;
	resize = keys_lookup('Z', KV_LIST);
	assert_true(resize >= CMD_COUNT);
	assert_string_equal(cmd_name(resize), "resize");
	assert_int_equal(keys_lookup('Z', KV_DETAIL), resize);
	assert_int_equal(keys_lookup('Z', KV_HELP), CMD_NONE);
	assert_string_equal(cmd_name(keys_lookup('D', KV_LIST)), "delete");
	assert_string_equal(cmd_name(keys_lookup('Y', KV_DETAIL)), "clone");
	assert_int_equal(apply("resize: F7\n", &e), 0);
	assert_int_equal(keys_lookup(KEY_F(7), KV_LIST), resize);
	assert_int_equal(keys_lookup('Z', KV_LIST), CMD_NONE);
	assert_int_equal(keys_first(resize), KEY_F(7));
}

static void
test_rebind(void **state)
{
	struct config_errors e = { 0 };
	size_t n, i;
	const struct binding *t;
	bool f5 = false;

	(void)state;
	assert_int_equal(apply("start: [F5, ^S]\nquit: [Q, F10]\nopen-file: J\nhelp: F1\n", &e), 0);
	assert_int_equal(e.n, 0);
	/* new keys, in the views the command worked in */
	assert_int_equal(keys_lookup(KEY_F(5), KV_LIST), CMD_START);
	assert_int_equal(keys_lookup(KEY_F(5), KV_DETAIL), CMD_START);
	assert_int_equal(keys_lookup(KEY_F(5), KV_HELP), CMD_NONE);
	assert_int_equal(keys_lookup(19, KV_LIST), CMD_START);
	assert_int_equal(keys_lookup('Q', KV_HELP), CMD_QUIT);
	assert_int_equal(keys_lookup(KEY_F(10), KV_JOB), CMD_QUIT);
	assert_int_equal(keys_lookup('J', KV_LIST), CMD_OPEN_FILE);
	/* the old ones are gone */
	assert_int_equal(keys_lookup('S', KV_LIST), CMD_NONE);
	assert_int_equal(keys_lookup('q', KV_LIST), CMD_NONE);
	assert_int_equal(keys_lookup('o', KV_LIST), CMD_NONE);
	assert_int_equal(keys_lookup('?', KV_LIST), CMD_NONE);
	assert_int_equal(keys_lookup(KEY_F(1), KV_LIST), CMD_HELP);
	/* the rest stays */
	assert_int_equal(keys_lookup('H', KV_LIST), CMD_SHUTDOWN);
	assert_int_equal(keys_first(CMD_START), KEY_F(5));
	assert_int_equal(keys_first(CMD_QUIT), 'Q');
	/* the footer label moves to the first new key; the table (help screen)
	 * lists the new keys where the old ones were */
	t = keys_table(&n);
	for (i = 0; i < n; i++) {
		if (t[i].key == KEY_F(5)) {
			f5 = true;
			assert_int_equal(t[i].cmd, CMD_START);
			assert_string_equal(t[i].label, "Start");
			assert_int_equal(t[i + 1].key, 19);
			assert_null(t[i + 1].label);
			assert_int_equal(t[i + 2].cmd, CMD_SHUTDOWN);
		}
		assert_true(t[i].key != 'S' && t[i].key != 'q');
	}
	assert_true(f5);
	assert_string_equal(t[0].label, "Help"); /* F1 took "?"'s place and label */
	assert_int_equal(t[0].key, KEY_F(1));
}

static void
test_rebind_swap(void **state)
{
	struct config_errors e = { 0 };

	(void)state;
	/* a key freed by rebinding its command can be taken */
	assert_int_equal(apply("start: q\nquit: [Q, F10]\n", &e), 0);
	assert_int_equal(keys_lookup('q', KV_LIST), CMD_START);
	assert_int_equal(keys_lookup('Q', KV_LIST), CMD_QUIT);
	/* again from the defaults, not on top of the last one */
	assert_int_equal(apply("reboot: ^R\n", &e), 0);
	assert_int_equal(keys_lookup('q', KV_LIST), CMD_QUIT);
	assert_int_equal(keys_lookup('S', KV_LIST), CMD_START);
	assert_int_equal(keys_lookup(18, KV_DETAIL), CMD_REBOOT);
	assert_int_equal(e.n, 0);
}

static void
test_apply_errors(void **state)
{
	(void)state;
	apply_err1("strat: S\n", "k.yaml:1:1: keys: unknown command \"strat\" (did you mean "
	           "\"start\"?)");
	apply_err1("frobnicate: x\n", "k.yaml:1:1: keys: unknown command \"frobnicate\" (the help "
	           "screen, ?, lists every command)");
	apply_err1("none: x\n", "k.yaml:1:1: keys: unknown command \"none\" (did you mean "
	           "\"home\"?)");
	apply_err1("start: [F5, q]\n", "k.yaml:1:13: keys: start: \"q\" is already the key of quit "
	           "in the same view (rebind quit too, or pick another key)");
	apply_err1("theme: h\n", "k.yaml:1:8: keys: theme: \"h\" is already the key of host in the "
	           "same view (rebind host too, or pick another key)");
	apply_err1("start: X\nreboot: X\n", "k.yaml:1:8: keys: start: \"X\" is already the key of "
	           "reboot in the same view (rebind reboot too, or pick another key)");
	apply_err1("next-field: n\n", "k.yaml:1:13: keys: next-field: \"n\" would be typed into the "
	           "form; use a key such as Tab, F3 or ^N");
	apply_err1("quit: ^C\n", "k.yaml:1:7: keys: quit: \"^C\" cannot be rebound (it always quits)");
}

static void
test_apply_no_conflict_across_views(void **state)
{
	struct config_errors e = { 0 };

	(void)state;
	/* c sorts by CPU in the list; in the snapshot list it creates: rebinding
	 * snapshot-create to another key used only in the list is fine */
	assert_int_equal(apply("snapshot-create: n\nnext-field: F3\n", &e), 0);
	assert_int_equal(keys_lookup('n', KV_SNAP), CMD_SNAP_CREATE);
	assert_int_equal(keys_lookup('n', KV_LIST), CMD_SORT_NAME);
	assert_int_equal(keys_lookup(KEY_F(3), KV_FORM), CMD_NEXT_FIELD);
	assert_int_equal(keys_lookup('\t', KV_FORM), CMD_NONE);
	assert_int_equal(e.n, 0);
}

static void
test_labels(void **state)
{
	char b[16];

	(void)state;
	assert_string_equal(keys_label(KEY_DC, b, sizeof b), "Del");
	assert_string_equal(keys_label(KEY_F(12), b, sizeof b), "F12");
	assert_string_equal(keys_label(12, b, sizeof b), "^L");
	assert_string_equal(keys_label('\r', b, sizeof b), "Enter");
	assert_string_equal(keys_label(KEY_NPAGE, b, sizeof b), "PgDn");
}

/* examples/config.yaml parses and its keys apply. */
static void
test_example_config(void **state)
{
	struct config c;
	struct config_errors e = { 0 };

	(void)state;
	config_init(&c);
	if (config_load(&c, EXAMPLES_DIR "/config.yaml", false, &e) != 0 ||
	    keys_apply(&c.keys, EXAMPLES_DIR "/config.yaml", &e) != 0)
		fail_msg("%s", e.n ? e.v[0] : "?");
	assert_int_equal(e.n, 0);
	assert_non_null(c.theme);
	assert_string_equal(c.theme, "dark");
	assert_true(c.keys.n > 0);
	assert_int_equal(keys_lookup(KEY_F(10), KV_LIST), CMD_QUIT);
	config_free(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_names),
		cmocka_unit_test(test_parse_ok),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_names_unique),
		cmocka_unit_test_teardown(test_row_keys, reset),
		cmocka_unit_test_teardown(test_rebind, reset),
		cmocka_unit_test_teardown(test_rebind_swap, reset),
		cmocka_unit_test_teardown(test_apply_errors, reset),
		cmocka_unit_test_teardown(test_apply_no_conflict_across_views, reset),
		cmocka_unit_test(test_labels),
		cmocka_unit_test_teardown(test_example_config, reset),
	};

	ui_set(&vmtui_ui); /* the commands' names come from the views' table */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
