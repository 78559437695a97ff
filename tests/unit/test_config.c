/* test_config.c — config/config.h: reading config.yaml and its errors. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config.h"

/* ---- helpers ---- */

static int
parse(struct config *c, const char *text, struct config_errors *e)
{
	return config_parse(c, "t.yaml", text, strlen(text), e);
}

/* Parse text expected to be valid into a fresh config. */
static void
parse_ok(struct config *c, const char *text)
{
	struct config_errors e = { 0 };

	config_init(c);
	if (parse(c, text, &e) != 0)
		fail_msg("unexpected error: %s", e.n ? e.v[0] : "(none)");
	assert_int_equal(e.n, 0);
	config_errors_free(&e);
}

/* Parse text expected to fail with exactly one error, and check it. */
static void
parse_err1(const char *text, const char *want)
{
	struct config c;
	struct config_errors e = { 0 };

	config_init(&c);
	assert_int_equal(parse(&c, text, &e), -1);
	assert_int_equal(e.n, 1);
	assert_string_equal(e.v[0], want);
	config_errors_free(&e);
	config_free(&c);
}

/* ---- valid text ---- */

static void
test_init_defaults(void **state)
{
	struct config c;

	(void)state;
	config_init(&c);
	assert_true(c.interval == 0);
	assert_null(c.uris);
	assert_int_equal(c.nuris, 0);
	assert_false(c.readonly);
	assert_false(c.readonly_set);
	assert_int_equal(c.graphs, CFG_GRAPHS_AUTO);
	assert_int_equal(c.history, 0);
	assert_int_equal(c.color, -1);
	config_free(&c);
}

static void
test_valid_all_keys(void **state)
{
	struct config c;

	(void)state;
	parse_ok(&c, "# vmtui settings\n"
	             "interval: 1.5\n"
	             "connect: qemu+ssh://root@kvm1/system\n"
	             "readonly: yes\n"
	             "graphs: block\n"
	             "history: 1200\n"
	             "color: off\n");
	assert_true(c.interval == 1.5);
	assert_int_equal(c.nuris, 1);
	assert_string_equal(c.uris[0], "qemu+ssh://root@kvm1/system");
	assert_true(c.readonly);
	assert_true(c.readonly_set);
	assert_int_equal(c.graphs, CFG_GRAPHS_BLOCK);
	assert_int_equal(c.history, 1200);
	assert_int_equal(c.color, 0);
	config_free(&c);
}

static void
test_valid_connect_list(void **state)
{
	struct config c;

	(void)state;
	parse_ok(&c, "connect:\n"
	             "  - qemu:///system\n"
	             "  - \"qemu+ssh://kvm2/system\"\n"
	             "  - test:///default\n");
	assert_int_equal(c.nuris, 3);
	assert_string_equal(c.uris[0], "qemu:///system");
	assert_string_equal(c.uris[1], "qemu+ssh://kvm2/system");
	assert_string_equal(c.uris[2], "test:///default");
	config_free(&c);

	parse_ok(&c, "connect: [qemu:///system, 'test:///default']\n");
	assert_int_equal(c.nuris, 2);
	assert_string_equal(c.uris[1], "test:///default");
	config_free(&c);
}

static void
test_valid_connect_empty_list(void **state)
{
	struct config c;

	(void)state;
	parse_ok(&c, "connect: []\n");
	assert_int_equal(c.nuris, 0);
	config_free(&c);
}

static void
test_valid_booleans(void **state)
{
	static const char *const yes[] = { "true", "yes", "on", "True", "Yes", "On", "TRUE" };
	static const char *const no[] = { "false", "no", "off", "False", "No", "Off", "FALSE" };
	struct config c;
	char text[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof yes / sizeof *yes; i++) {
		snprintf(text, sizeof text, "readonly: %s\ncolor: %s\n", yes[i], yes[i]);
		parse_ok(&c, text);
		assert_true(c.readonly);
		assert_true(c.readonly_set);
		assert_int_equal(c.color, 1);
		config_free(&c);
	}
	for (i = 0; i < sizeof no / sizeof *no; i++) {
		snprintf(text, sizeof text, "readonly: %s\ncolor: %s\n", no[i], no[i]);
		parse_ok(&c, text);
		assert_false(c.readonly);
		assert_true(c.readonly_set); /* said explicitly, even if false */
		assert_int_equal(c.color, 0);
		config_free(&c);
	}
}

static void
test_graphics_console_keys(void **state)
{
	struct config c;

	(void)state;
	parse_ok(&c, "interval: 2\n");
	assert_int_equal(c.gfx_protocol, CFG_GFX_AUTO);
	assert_int_equal(c.gfx_symbols, CFG_GFXSYM_HALF);
	config_free(&c);
	parse_ok(&c, "graphics_protocol: sixel\ngraphics_symbols: sextants\n");
	assert_int_equal(c.gfx_protocol, CFG_GFX_SIXEL);
	assert_string_equal(cfg_gfx_protocols[c.gfx_protocol], "sixel");
	assert_int_equal(c.gfx_symbols, CFG_GFXSYM_SEXTANTS);
	config_free(&c);
	parse_ok(&c, "graphics_protocol: symbols\ngraphics_symbols: quadrants\n");
	assert_int_equal(c.gfx_protocol, CFG_GFX_SYMBOLS);
	assert_int_equal(c.gfx_symbols, CFG_GFXSYM_QUADRANTS);
	config_free(&c);
	parse_err1("graphics_protocol: vnc\n", "t.yaml:1:20: graphics_protocol: \"vnc\" is "
		   "not one of auto, kitty, sixel, iterm, symbols");
	parse_err1("graphics_symbols: [half]\n", "t.yaml:1:19: graphics_symbols: expected a "
		   "single value, not a list");
	assert_int_equal(c.gfx_fps, 0);
	parse_ok(&c, "graphics_fps: 30\n");
	assert_int_equal(c.gfx_fps, 30);
	config_free(&c);
	parse_ok(&c, "graphics_fps: 1\n");
	assert_int_equal(c.gfx_fps, 1);
	config_free(&c);
	parse_err1("graphics_fps: 0\n", "t.yaml:1:15: graphics_fps: \"0\" is not a number of "
		   "frames a second between 1 and 60 (e.g. 15)");
	parse_err1("graphics_fps: 61\n", "t.yaml:1:15: graphics_fps: \"61\" is not a number of "
		   "frames a second between 1 and 60 (e.g. 15)");
	parse_err1("graphics_fps: fast\n", "t.yaml:1:15: graphics_fps: \"fast\" is not a number of "
		   "frames a second between 1 and 60 (e.g. 15)");
	parse_err1("graphics_protocl: kitty\n", "t.yaml:1:1: unknown key \"graphics_protocl\" "
		   "(did you mean \"graphics_protocol\"?)");
}

static void
test_valid_graph_modes(void **state)
{
	struct config c;

	(void)state;
	parse_ok(&c, "graphs: auto\n");
	assert_int_equal(c.graphs, CFG_GRAPHS_AUTO);
	config_free(&c);
	parse_ok(&c, "graphs: braille\n");
	assert_int_equal(c.graphs, CFG_GRAPHS_BRAILLE);
	config_free(&c);
	parse_ok(&c, "graphs: block\n");
	assert_int_equal(c.graphs, CFG_GRAPHS_BLOCK);
	config_free(&c);
	parse_ok(&c, "graphs: ascii\n");
	assert_int_equal(c.graphs, CFG_GRAPHS_ASCII);
	config_free(&c);
}

static void
test_valid_ranges_inclusive(void **state)
{
	struct config c;

	(void)state;
	parse_ok(&c, "interval: 0.25\nhistory: 10\n");
	assert_true(c.interval == 0.25);
	assert_int_equal(c.history, 10);
	config_free(&c);
	parse_ok(&c, "interval: 3600\nhistory: 86400\n");
	assert_true(c.interval == 3600);
	assert_int_equal(c.history, 86400);
	config_free(&c);
}

static void
test_valid_flow_mapping_root(void **state)
{
	struct config c;

	(void)state;
	parse_ok(&c, "{interval: 5, history: 60}");
	assert_true(c.interval == 5);
	assert_int_equal(c.history, 60);
	config_free(&c);
}

static void
test_empty_document_ok(void **state)
{
	struct config c;

	(void)state;
	parse_ok(&c, "");
	assert_true(c.interval == 0);
	assert_int_equal(c.nuris, 0);
	assert_int_equal(c.color, -1);
	config_free(&c);
	parse_ok(&c, "# nothing set yet\n\n");
	assert_int_equal(c.color, -1);
	config_free(&c);
	/* A bare document marker is an empty document too. */
	parse_ok(&c, "---\n");
	assert_int_equal(c.nuris, 0);
	config_free(&c);
}

static void
test_errors_text(void **state)
{
	struct config c;
	struct config_errors e = { 0 };
	char *t = config_errors_text(&e);

	(void)state;
	assert_string_equal(t, "");
	free(t);
	config_init(&c);
	assert_int_equal(parse(&c, "interval: x\nhistory: y\n", &e), -1);
	t = config_errors_text(&e);
	assert_string_equal(t, "t.yaml:1:11: interval: \"x\" is not a number of seconds between "
	                       "0.25 and 3600 (e.g. 2)\nt.yaml:2:10: history: \"y\" is not a sample "
	                       "count between 10 and 86400 (e.g. 600)\n");
	free(t);
	config_errors_free(&e);
	config_free(&c);
}

static void
test_hosts(void **state)
{
	struct config c;

	(void)state;
	parse_ok(&c, "hosts:\n"
	             "  - name: web1\n"
	             "    ssh: admin@web1.example.com:2222\n"
	             "    key: ~/.ssh/id_ed25519\n"
	             "  - name: lab\n"
	             "    ssh: lab\n"
	             "    uri: qemu:///session\n"
	             "  - name: here\n"
	             "    uri: qemu:///system\n");
	assert_int_equal(c.nhosts, 3);
	assert_string_equal(c.hosts[0].name, "web1");
	assert_string_equal(c.hosts[0].ssh, "admin@web1.example.com:2222");
	assert_null(c.hosts[0].uri);
	assert_string_equal(c.hosts[0].key, "~/.ssh/id_ed25519");
	assert_int_equal(c.hosts[0].line, 2);
	assert_int_equal(c.hosts[0].col, 5);
	assert_string_equal(c.hosts[1].uri, "qemu:///session");
	assert_null(c.hosts[2].ssh);
	assert_string_equal(c.hosts[2].uri, "qemu:///system");
	config_free(&c);
}

static void
test_err_hosts(void **state)
{
	struct config c;
	struct config_errors e = { 0 };

	(void)state;
	config_init(&c);
	assert_int_equal(parse(&c, "hosts:\n"
	                           "  - name: a\n"
	                           "  - ssh: b\n"
	                           "  - name: c\n"
	                           "    sshh: c.example\n"
	                           "  - name: a\n"
	                           "    uri: test:///default\n"
	                           "  - name: d\n"
	                           "    uri: [x]\n"
	                           "  - just-a-string\n", &e), -1);
	assert_int_equal(e.n, 5);
	assert_string_equal(e.v[0], "t.yaml:2:5: hosts: a needs ssh (a host to reach over SSH) "
	                            "or uri (a libvirt URI)");
	assert_string_equal(e.v[1], "t.yaml:3:5: hosts: this entry needs a name");
	assert_string_equal(e.v[2], "t.yaml:5:5: hosts: unknown key \"sshh\" (did you mean \"ssh\"?)");
	assert_string_equal(e.v[3], "t.yaml:9:10: hosts: uri: expected a non-empty string");
	assert_string_equal(e.v[4], "t.yaml:10:5: hosts: each entry must be a mapping with name, "
	                            "and ssh and/or uri");
	/* The duplicate "a" is not reported: the first "a" was itself invalid. */
	assert_int_equal(c.nhosts, 0);
	config_errors_free(&e);
	config_free(&c);
	config_init(&c);
	assert_int_equal(parse(&c, "hosts:\n  - {name: a, uri: x}\n  - {name: a, uri: y}\n", &e), -1);
	assert_string_equal(e.v[0], "t.yaml:3:5: hosts: \"a\" is already defined at line 2");
	config_errors_free(&e);
	config_free(&c);
	assert_int_equal(parse(&c, "hosts: web1\n", &e), -1);
	assert_string_equal(e.v[0], "t.yaml:1:8: hosts: expected a list of hosts");
	config_errors_free(&e);
	config_free(&c);
}

static void
test_err_connect_empty_scalar(void **state)
{
	struct config c;
	struct config_errors e = { 0 };

	(void)state;
	config_init(&c);
	assert_int_equal(parse(&c, "connect:\n", &e), -1);
	assert_int_equal(e.n, 1);
	assert_string_equal(e.v[0], "t.yaml:1:9: connect: expected a libvirt URI such as "
	                    "qemu:///system, or a list of them");
	assert_int_equal(c.nuris, 0);
	config_errors_free(&e);
	config_free(&c);
}


static void
test_valid_parse_replaces_config(void **state)
{
	struct config c;
	struct config_errors e = { 0 };

	(void)state;
	parse_ok(&c, "connect: qemu:///system\ninterval: 9\n");
	/* A successful parse gives exactly what the new text says. */
	assert_int_equal(parse(&c, "history: 99\n", &e), 0);
	assert_int_equal(c.history, 99);
	assert_int_equal(c.nuris, 0);
	assert_true(c.interval == 0);
	config_free(&c);
}

static void
test_later_key_wins(void **state)
{
	struct config c;

	(void)state;
	parse_ok(&c, "interval: 2\ninterval: 3\n");
	assert_true(c.interval == 3);
	config_free(&c);
}

/* ---- errors, each with file:line:col ---- */

static void
test_err_interval(void **state)
{
	(void)state;
	parse_err1("interval: fast\n",
	           "t.yaml:1:11: interval: \"fast\" is not a number of seconds between 0.25 and 3600 (e.g. 2)");
	parse_err1("interval: 0.1\n",
	           "t.yaml:1:11: interval: \"0.1\" is not a number of seconds between 0.25 and 3600 (e.g. 2)");
	parse_err1("interval: 3601\n",
	           "t.yaml:1:11: interval: \"3601\" is not a number of seconds between 0.25 and 3600 (e.g. 2)");
	parse_err1("interval: 2s\n",
	           "t.yaml:1:11: interval: \"2s\" is not a number of seconds between 0.25 and 3600 (e.g. 2)");
	parse_err1("interval: nan\n",
	           "t.yaml:1:11: interval: \"nan\" is not a number of seconds between 0.25 and 3600 (e.g. 2)");
	parse_err1("interval:    \"\"\n",
	           "t.yaml:1:14: interval: \"\" is not a number of seconds between 0.25 and 3600 (e.g. 2)");
}

static void
test_err_history(void **state)
{
	(void)state;
	parse_err1("history: 5\n",
	           "t.yaml:1:10: history: \"5\" is not a sample count between 10 and 86400 (e.g. 600)");
	parse_err1("history: -600\n",
	           "t.yaml:1:10: history: \"-600\" is not a sample count between 10 and 86400 (e.g. 600)");
	parse_err1("history: 86401\n",
	           "t.yaml:1:10: history: \"86401\" is not a sample count between 10 and 86400 (e.g. 600)");
	parse_err1("history: 60.5\n",
	           "t.yaml:1:10: history: \"60.5\" is not a sample count between 10 and 86400 (e.g. 600)");
	parse_err1("history: 99999999999999999999999\n",
	           "t.yaml:1:10: history: \"99999999999999999999999\" is not a sample count between 10 and 86400 (e.g. 600)");
}

static void
test_err_booleans(void **state)
{
	(void)state;
	parse_err1("readonly: maybe\n", "t.yaml:1:11: readonly: \"maybe\" is not true or false");
	parse_err1("color: 1\n", "t.yaml:1:8: color: \"1\" is not true or false");
	parse_err1("color: auto\n", "t.yaml:1:8: color: \"auto\" is not true or false");
}

static void
test_err_graphs(void **state)
{
	(void)state;
	parse_err1("graphs: fancy\n",
	           "t.yaml:1:9: graphs: \"fancy\" is not one of auto, braille, block, ascii");
	parse_err1("graphs: Braille\n",
	           "t.yaml:1:9: graphs: \"Braille\" is not one of auto, braille, block, ascii");
}

static void
test_err_want_scalar(void **state)
{
	(void)state;
	parse_err1("interval: [1, 2]\n", "t.yaml:1:11: interval: expected a single value, not a list");
	parse_err1("history:\n  - 600\n", "t.yaml:2:3: history: expected a single value, not a list");
	parse_err1("readonly: {a: 1}\n", "t.yaml:1:11: readonly: expected a single value, not a mapping");
	parse_err1("color:\n  x: y\n", "t.yaml:2:3: color: expected a single value, not a mapping");
	parse_err1("graphs: [ascii]\n", "t.yaml:1:9: graphs: expected a single value, not a list");
}

static void
test_err_connect(void **state)
{
	(void)state;
	parse_err1("connect: {uri: qemu:///system}\n",
	           "t.yaml:1:10: connect: expected a libvirt URI or a list of them");
	parse_err1("connect:\n  - qemu:///system\n  - \"\"\n",
	           "t.yaml:3:5: connect: each entry must be a libvirt URI such as qemu:///system");
	parse_err1("connect:\n  - [a, b]\n",
	           "t.yaml:2:5: connect: each entry must be a libvirt URI such as qemu:///system");
}

static void
test_err_unknown_key_suggestion(void **state)
{
	(void)state;
	parse_err1("intervall: 2\n", "t.yaml:1:1: unknown key \"intervall\" (did you mean \"interval\"?)");
	parse_err1("colour: on\n", "t.yaml:1:1: unknown key \"colour\" (did you mean \"color\"?)");
	parse_err1("  read_only: true\n", "t.yaml:1:3: unknown key \"read_only\" (did you mean \"readonly\"?)");
	parse_err1("interval: 2\nconect: x\n", "t.yaml:2:1: unknown key \"conect\" (did you mean \"connect\"?)");
}

static void
test_err_unknown_key_no_suggestion(void **state)
{
	(void)state;
	parse_err1("palette: dark\n", "t.yaml:1:1: unknown key \"palette\" (known: interval, "
	           "connect, hosts, readonly, graphs, history, color, theme, keys, shutdown_wait, "
	           "graphics_protocol, graphics_symbols, graphics_fps, bulk_limit, wait_warn)");
}

/* wait_warn: a percentage above 0 and at most 100, with or without %. */
static void
test_wait_warn(void **state)
{
	static const struct { const char *text; double pct; } ok[] = {
		{ "wait_warn: 10\n", 10 }, { "wait_warn: 2.5%\n", 2.5 },
		{ "wait_warn: 100\n", 100 }, { "wait_warn: \"0.1\"\n", 0.1 },
	};
	static const char *const bad[] = { "0", "-5", "101", "ten", "5%%", "nan", "" };
	char text[64], want[160];
	struct config c;
	struct config_errors e = { 0 };
	size_t i;

	(void)state;
	config_init(&c);
	assert_int_equal(parse(&c, "interval: 2\n", &e), 0);
	assert_true(c.wait_warn == 0); /* unset: vmtui's default */
	config_free(&c);
	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		config_init(&c);
		assert_int_equal(parse(&c, ok[i].text, &e), 0);
		assert_true(c.wait_warn == ok[i].pct);
		config_free(&c);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(text, sizeof text, "wait_warn: \"%s\"\n", bad[i]);
		snprintf(want, sizeof want, "t.yaml:1:12: wait_warn: \"%s\" is not a percentage "
		         "above 0 and at most 100 (e.g. 10)", bad[i]);
		parse_err1(text, want);
	}
	parse_err1("wait_warn: [1]\n", "t.yaml:1:12: wait_warn: expected a single value, not a list");
}

/* shutdown_wait: seconds with or without s, minutes with m, 1 s to 60 m. */
static void
test_shutdown_wait(void **state)
{
	static const struct {
		const char *text;
		unsigned ms;
	} ok[] = {
		{ "shutdown_wait: 60s\n", 60000 }, { "shutdown_wait: 90\n", 90000 },
		{ "shutdown_wait: 2m\n", 120000 }, { "shutdown_wait: 1.5s\n", 1500 },
		{ "shutdown_wait: 1s\n", 1000 }, { "shutdown_wait: 60m\n", 3600000 },
	};
	static const char *const bad[] = { "0.5s", "61m", "x", "10h", "-5", "", "5 s" };
	struct config c;
	size_t i;
	char text[64], want[160];

	(void)state;
	config_init(&c);
	assert_int_equal(c.shutdown_wait_ms, 0); /* unset: vmtui's default */
	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		parse_ok(&c, ok[i].text);
		assert_int_equal(c.shutdown_wait_ms, ok[i].ms);
		config_free(&c);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(text, sizeof text, "shutdown_wait: \"%s\"\n", bad[i]);
		snprintf(want, sizeof want, "t.yaml:1:16: shutdown_wait: \"%s\" is not a time "
		         "between 1s and 60m (e.g. 60s, 2m)", bad[i]);
		parse_err1(text, want);
	}
	parse_err1("shutdown_wait: [1]\n",
	           "t.yaml:1:16: shutdown_wait: expected a single value, not a list");
	parse_err1("shutdown_wiat: 5s\n",
	           "t.yaml:1:1: unknown key \"shutdown_wiat\" (did you mean \"shutdown_wait\"?)");
}

/* bulk_limit: 1 to 64, globally and per host. */
static void
test_bulk_limit(void **state)
{
	static const char *const bad[] = { "0", "65", "x", "-1", "2.5" };
	struct config c;
	size_t i;
	char text[64], want[160];

	(void)state;
	config_init(&c);
	assert_int_equal(c.bulk_limit, 0); /* unset: vmtui's default */
	parse_ok(&c, "bulk_limit: 2\nhosts:\n  - name: a\n    uri: test:///default\n"
	             "    bulk_limit: 8\n  - name: b\n    uri: test:///default\n");
	assert_int_equal(c.bulk_limit, 2);
	assert_int_equal(c.nhosts, 2);
	assert_int_equal(c.hosts[0].bulk_limit, 8);
	assert_int_equal(c.hosts[1].bulk_limit, 0);
	config_free(&c);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(text, sizeof text, "bulk_limit: \"%s\"\n", bad[i]);
		snprintf(want, sizeof want, "t.yaml:1:13: bulk_limit: \"%s\" is not a number of "
		         "operations at once between 1 and 64 (e.g. 4)", bad[i]);
		parse_err1(text, want);
	}
	parse_err1("hosts:\n  - name: a\n    uri: test:///default\n    bulk_limit: 0\n",
	           "t.yaml:4:17: hosts: bulk_limit: \"0\" is not a number of operations at once "
	           "between 1 and 64 (e.g. 4)");
}

static void
test_theme_and_keys(void **state)
{
	struct config c;

	(void)state;
	parse_ok(&c, "theme: light\nkeys:\n  quit: [q, F10]\n  start: S\n");
	assert_string_equal(c.theme, "light");
	assert_int_equal(c.theme_line, 1);
	assert_int_equal(c.theme_col, 8);
	assert_int_equal(c.keys.n, 2);
	assert_string_equal(c.keys.v[0].cmd, "quit");
	assert_int_equal(c.keys.v[0].nkeys, 2);
	assert_int_equal(c.keys.v[0].keys[1], KMK_F1 + 9);
	assert_string_equal(c.keys.v[1].cmd, "start");
	assert_int_equal(c.keys.v[1].keys[0], 'S');
	assert_int_equal(c.keys.v[1].line, 4);
	config_free(&c);
	assert_null(c.theme);
	assert_int_equal(c.keys.n, 0);
	/* a path works too; a later theme: wins; an empty keys: is nothing */
	parse_ok(&c, "theme: dark\ntheme: ~/my.yaml\nkeys:\n");
	assert_string_equal(c.theme, "~/my.yaml");
	assert_int_equal(c.keys.n, 0);
	config_free(&c);
}

static void
test_err_theme_and_keys(void **state)
{
	(void)state;
	parse_err1("theme: [dark]\n", "t.yaml:1:8: theme: expected a single value, not a list");
	parse_err1("theme: \"\"\n", "t.yaml:1:8: theme: expected a theme name such as light, or "
	           "the path of a theme file");
	parse_err1("keys: [q]\n", "t.yaml:1:7: keys: expected a mapping of command names to keys, "
	           "such as quit: [q, F10]");
	parse_err1("keys:\n  quit: F13\n", "t.yaml:2:9: keys: quit: \"F13\" is not a key (use a "
	           "character, ^X for Ctrl-X, F1-F12, Enter, Esc, Tab, Space, Up, Down, Left, Right, "
	           "PgUp, PgDn, Home, End, Ins, Del, Backspace)");
	parse_err1("keys:\n  quit: q\n  quit: Q\n", "t.yaml:3:3: keys: duplicate key \"quit\" "
	           "(already given at line 2)");
	parse_err1("them: dark\n", "t.yaml:1:1: unknown key \"them\" (did you mean \"theme\"?)");
}

static void
test_err_key_not_scalar(void **state)
{
	(void)state;
	parse_err1("? [a, b]\n: 1\n", "t.yaml:1:3: expected a setting name");
}

static void
test_err_root_not_mapping(void **state)
{
	(void)state;
	parse_err1("- interval: 2\n", "t.yaml:1:1: expected a mapping of settings (key: value)");
	parse_err1("just words\n", "t.yaml:1:1: expected a mapping of settings (key: value)");
	parse_err1("\n\n  [1, 2]\n", "t.yaml:3:3: expected a mapping of settings (key: value)");
}

static void
test_err_syntax_position(void **state)
{
	struct config c;
	struct config_errors e = { 0 };

	(void)state;
	config_init(&c);
	assert_int_equal(parse(&c, "interval: 2\nconnect: [qemu:///system\n", &e), -1);
	assert_int_equal(e.n, 1);
	/* libyaml's own wording, at the position it gives up. */
	assert_true(strncmp(e.v[0], "t.yaml:3:1: ", 12) == 0);
	assert_non_null(strstr(e.v[0], "flow sequence"));
	config_errors_free(&e);

	assert_int_equal(parse(&c, "interval: 2\nhistory: 5\n  bad: x\n", &e), -1);
	assert_int_equal(e.n, 1);
	assert_string_equal(e.v[0], "t.yaml:3:6: mapping values are not allowed in this context");
	config_errors_free(&e);

	assert_int_equal(parse(&c, "interval: \"2\n", &e), -1);
	assert_int_equal(e.n, 1);
	assert_true(strncmp(e.v[0], "t.yaml:2:1: ", 12) == 0);
	assert_non_null(strstr(e.v[0], "quoted scalar"));
	config_errors_free(&e);
	config_free(&c);
}

static void
test_err_several_at_once(void **state)
{
	struct config c;
	struct config_errors e = { 0 };

	(void)state;
	config_init(&c);
	assert_int_equal(parse(&c, "interval: 0\n"
	                           "connect: qemu:///system\n"
	                           "histroy: 600\n"
	                           "graphs: 3d\n"
	                           "color: on\n"
	                           "readonly: perhaps\n", &e), -1);
	assert_int_equal(e.n, 4);
	assert_string_equal(e.v[0], "t.yaml:1:11: interval: \"0\" is not a number of seconds "
	                            "between 0.25 and 3600 (e.g. 2)");
	assert_string_equal(e.v[1], "t.yaml:3:1: unknown key \"histroy\" (did you mean \"history\"?)");
	assert_string_equal(e.v[2], "t.yaml:4:9: graphs: \"3d\" is not one of auto, braille, block, ascii");
	assert_string_equal(e.v[3], "t.yaml:6:11: readonly: \"perhaps\" is not true or false");
	config_errors_free(&e);
	assert_null(e.v);
	assert_int_equal(e.n, 0);
	config_free(&c);
}

static void
test_err_appends_to_existing(void **state)
{
	struct config c;
	struct config_errors e = { 0 };

	(void)state;
	config_init(&c);
	assert_int_equal(parse(&c, "color: 2\n", &e), -1);
	assert_int_equal(parse(&c, "graphs: x\n", &e), -1);
	assert_int_equal(e.n, 2);
	assert_string_equal(e.v[0], "t.yaml:1:8: color: \"2\" is not true or false");
	/* Old errors do not make a later valid parse fail. */
	assert_int_equal(parse(&c, "color: on\n", &e), 0);
	assert_int_equal(e.n, 2);
	assert_int_equal(c.color, 1);
	config_errors_free(&e);
	config_free(&c);
}

static void
test_err_leaves_config_untouched(void **state)
{
	struct config c;
	struct config_errors e = { 0 };

	(void)state;
	parse_ok(&c, "interval: 4\nconnect: [a:///x, b:///y]\nreadonly: true\n"
	             "graphs: ascii\nhistory: 100\ncolor: false\n");
	/* Valid keys next to a bad one change nothing either. */
	assert_int_equal(parse(&c, "interval: 9\nconnect: c:///z\nhistory: 1\n", &e), -1);
	assert_int_equal(e.n, 1);
	assert_true(c.interval == 4);
	assert_int_equal(c.nuris, 2);
	assert_string_equal(c.uris[0], "a:///x");
	assert_string_equal(c.uris[1], "b:///y");
	assert_true(c.readonly);
	assert_int_equal(c.graphs, CFG_GRAPHS_ASCII);
	assert_int_equal(c.history, 100);
	assert_int_equal(c.color, 0);
	config_errors_free(&e);

	/* Same for a syntax error and a wrong root. */
	assert_int_equal(parse(&c, "interval: [\n", &e), -1);
	assert_int_equal(parse(&c, "- 1\n", &e), -1);
	assert_int_equal(e.n, 2);
	assert_true(c.interval == 4);
	assert_int_equal(c.nuris, 2);
	config_errors_free(&e);
	config_free(&c);
}

static void
test_err_uses_given_name(void **state)
{
	struct config c;
	struct config_errors e = { 0 };
	const char *t = "colr: on\n";

	(void)state;
	config_init(&c);
	assert_int_equal(config_parse(&c, "/etc/vmtui.yaml", t, strlen(t), &e), -1);
	assert_int_equal(e.n, 1);
	assert_string_equal(e.v[0], "/etc/vmtui.yaml:1:1: unknown key \"colr\" (did you mean \"color\"?)");
	config_errors_free(&e);
	config_free(&c);
}

static void
test_parse_respects_len(void **state)
{
	struct config c;
	struct config_errors e = { 0 };
	const char *t = "history: 100\ncolor: nonsense\n";

	(void)state;
	config_init(&c);
	/* Only the first line is part of the input. */
	assert_int_equal(config_parse(&c, "t.yaml", t, 13, &e), 0);
	assert_int_equal(c.history, 100);
	assert_int_equal(c.color, -1);
	config_free(&c);
}

/* ---- distance and suggestions ---- */

static void
test_distance(void **state)
{
	(void)state;
	assert_int_equal(config_distance("", ""), 0);
	assert_int_equal(config_distance("abc", ""), 3);
	assert_int_equal(config_distance("", "abc"), 3);
	assert_int_equal(config_distance("color", "color"), 0);
	assert_int_equal(config_distance("intervall", "interval"), 1);
	assert_int_equal(config_distance("colour", "color"), 1);
	assert_int_equal(config_distance("histroy", "history"), 2);
	assert_int_equal(config_distance("kitten", "sitting"), 3);
	assert_int_equal(config_distance("sitting", "kitten"), 3);
	assert_int_equal(config_distance("flaw", "lawn"), 2);
}

static void
test_suggest(void **state)
{
	static const char *const keys[] = {
		"interval", "connect", "readonly", "graphs", "history", "color", NULL,
	};
	static const char *const none[] = { NULL };

	(void)state;
	assert_string_equal(config_suggest("intervall", keys), "interval");
	assert_string_equal(config_suggest("Interval", keys), "interval");
	assert_string_equal(config_suggest("conect", keys), "connect");
	assert_string_equal(config_suggest("graph", keys), "graphs");
	assert_string_equal(config_suggest("colr", keys), "color");
	assert_string_equal(config_suggest("read-only", keys), "readonly");
	assert_null(config_suggest("theme", keys));
	assert_null(config_suggest("refresh_rate", keys));
	assert_null(config_suggest("x", keys));
	assert_null(config_suggest("interval", none));
}

static void
test_suggest_threshold(void **state)
{
	static const char *const words[] = { "abcdefghi", "xy", NULL };

	(void)state;
	/* Long words: a third may be wrong (9 letters: 3 edits). */
	assert_string_equal(config_suggest("abcdefXXX", words), "abcdefghi");
	assert_null(config_suggest("abcdeXXXX", words));
	/* Short words: up to 2 edits. */
	assert_string_equal(config_suggest("ab", words), "xy");
	assert_null(config_suggest("abc", words));
}

/* ---- files ---- */

struct tmp {
	char dir[64];
	char path[128];
};

static int
tmp_setup(void **state)
{
	struct tmp *t = calloc(1, sizeof *t);

	snprintf(t->dir, sizeof t->dir, "/tmp/vmtui-test-config.XXXXXX");
	if (mkdtemp(t->dir) == NULL)
		return -1;
	snprintf(t->path, sizeof t->path, "%s/config.yaml", t->dir);
	*state = t;
	return 0;
}

static int
tmp_teardown(void **state)
{
	struct tmp *t = *state;

	unlink(t->path);
	rmdir(t->dir);
	free(t);
	return 0;
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static void
test_load_missing_ok(void **state)
{
	struct tmp *t = *state;
	struct config c;
	struct config_errors e = { 0 };

	config_init(&c);
	c.history = 77; /* untouched when there is nothing to read */
	assert_int_equal(config_load(&c, t->path, true, &e), 0);
	assert_int_equal(e.n, 0);
	assert_int_equal(c.history, 77);
	config_free(&c);
}

static void
test_load_missing_not_ok(void **state)
{
	struct tmp *t = *state;
	struct config c;
	struct config_errors e = { 0 };
	char want[256];

	config_init(&c);
	c.history = 77;
	assert_int_equal(config_load(&c, t->path, false, &e), -1);
	assert_int_equal(e.n, 1);
	snprintf(want, sizeof want, "%s:1:1: cannot open: %s", t->path, strerror(ENOENT));
	assert_string_equal(e.v[0], want);
	assert_int_equal(c.history, 77);
	config_errors_free(&e);
	config_free(&c);
}

static void
test_load_directory_is_an_error(void **state)
{
	struct tmp *t = *state;
	struct config c;
	struct config_errors e = { 0 };

	config_init(&c);
	assert_int_equal(config_load(&c, t->dir, true, &e), -1);
	assert_int_equal(e.n, 1);
	assert_non_null(strstr(e.v[0], "cannot read"));
	config_errors_free(&e);
	config_free(&c);
}

static void
test_load_missing_dir_not_ok_even_if_missing_ok(void **state)
{
	struct tmp *t = *state;
	struct config c;
	struct config_errors e = { 0 };
	char path[256], want[320];

	/* A path through a regular file: ENOTDIR is not "absent". */
	write_file(t->path, "");
	snprintf(path, sizeof path, "%s/sub.yaml", t->path);
	config_init(&c);
	assert_int_equal(config_load(&c, path, true, &e), -1);
	assert_int_equal(e.n, 1);
	snprintf(want, sizeof want, "%s:1:1: cannot open: %s", path, strerror(ENOTDIR));
	assert_string_equal(e.v[0], want);
	config_errors_free(&e);
	config_free(&c);
}

static void
test_load_valid_file(void **state)
{
	struct tmp *t = *state;
	struct config c;
	struct config_errors e = { 0 };

	write_file(t->path, "interval: 3\nconnect:\n  - qemu:///system\n  - test:///default\n");
	config_init(&c);
	assert_int_equal(config_load(&c, t->path, false, &e), 0);
	assert_int_equal(e.n, 0);
	assert_true(c.interval == 3);
	assert_int_equal(c.nuris, 2);
	assert_string_equal(c.uris[1], "test:///default");
	config_free(&c);
}

static void
test_load_empty_file(void **state)
{
	struct tmp *t = *state;
	struct config c;
	struct config_errors e = { 0 };

	write_file(t->path, "");
	config_init(&c);
	assert_int_equal(config_load(&c, t->path, false, &e), 0);
	assert_int_equal(e.n, 0);
	assert_int_equal(c.color, -1);
	config_free(&c);
}

static void
test_load_errors_name_the_file(void **state)
{
	struct tmp *t = *state;
	struct config c;
	struct config_errors e = { 0 };
	char want[256];

	write_file(t->path, "interval: 2\n\ngraphs: sixel\n");
	config_init(&c);
	assert_int_equal(config_load(&c, t->path, true, &e), -1);
	assert_int_equal(e.n, 1);
	snprintf(want, sizeof want,
	         "%s:3:9: graphs: \"sixel\" is not one of auto, braille, block, ascii", t->path);
	assert_string_equal(e.v[0], want);
	assert_true(c.interval == 0);
	config_errors_free(&e);
	config_free(&c);
}

static void
test_load_large_file(void **state)
{
	struct tmp *t = *state;
	struct config c;
	struct config_errors e = { 0 };
	FILE *f = fopen(t->path, "w");
	int i;

	/* Bigger than the first read buffer: read in several chunks. */
	assert_non_null(f);
	for (i = 0; i < 2000; i++)
		fprintf(f, "# comment line %04d to make the file long\n", i);
	fputs("history: 4321\n", f);
	assert_int_equal(fclose(f), 0);
	config_init(&c);
	assert_int_equal(config_load(&c, t->path, false, &e), 0);
	assert_int_equal(c.history, 4321);
	config_free(&c);
}

/* ---- default path ---- */

struct env_save {
	char *xdg, *home;
};

static int
env_setup(void **state)
{
	struct env_save *s = calloc(1, sizeof *s);
	const char *x = getenv("XDG_CONFIG_HOME"), *h = getenv("HOME");

	s->xdg = x ? strdup(x) : NULL;
	s->home = h ? strdup(h) : NULL;
	*state = s;
	return 0;
}

static int
env_teardown(void **state)
{
	struct env_save *s = *state;

	if (s->xdg)
		setenv("XDG_CONFIG_HOME", s->xdg, 1);
	else
		unsetenv("XDG_CONFIG_HOME");
	if (s->home)
		setenv("HOME", s->home, 1);
	else
		unsetenv("HOME");
	free(s->xdg);
	free(s->home);
	free(s);
	return 0;
}

static void
check_default_path(const char *want)
{
	char *p = config_default_path();

	assert_non_null(p);
	assert_string_equal(p, want);
	free(p);
}

static void
test_default_path_xdg(void **state)
{
	(void)state;
	setenv("HOME", "/home/ann", 1);
	setenv("XDG_CONFIG_HOME", "/srv/cfg", 1);
	check_default_path("/srv/cfg/vmtui/config.yaml");
}

static void
test_default_path_home(void **state)
{
	(void)state;
	setenv("HOME", "/home/ann", 1);
	unsetenv("XDG_CONFIG_HOME");
	check_default_path("/home/ann/.config/vmtui/config.yaml");
	/* An empty or relative XDG_CONFIG_HOME is ignored, as the spec says. */
	setenv("XDG_CONFIG_HOME", "", 1);
	check_default_path("/home/ann/.config/vmtui/config.yaml");
	setenv("XDG_CONFIG_HOME", "relative/dir", 1);
	check_default_path("/home/ann/.config/vmtui/config.yaml");
}

static void
test_default_path_no_home(void **state)
{
	(void)state;
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("HOME");
	check_default_path("./.config/vmtui/config.yaml");
	setenv("HOME", "", 1);
	check_default_path("./.config/vmtui/config.yaml");
}

static void
test_errors_free_empty(void **state)
{
	struct config_errors e = { 0 };

	(void)state;
	config_errors_free(&e);
	assert_null(e.v);
	assert_int_equal(e.n, 0);
}

static void
test_nesting_limit(void **state)
{
	struct config_errors e = { 0 };
	char deep[200];
	struct config c;

	(void)state;
	/* 64 levels are fine (libyaml then judges the rest), 65 are not. */
	memset(deep, '[', 64);
	memcpy(deep + 64, "1", 2);
	assert_int_equal(config_check_nesting("t.yaml", deep, strlen(deep), &e), 0);
	assert_int_equal(e.n, 0);
	memset(deep, '{', 65);
	deep[65] = '\0';
	assert_int_equal(config_check_nesting("t.yaml", deep, strlen(deep), &e), -1);
	assert_int_equal(e.n, 1);
	assert_string_equal(e.v[0], "t.yaml:1:65: nested deeper than 64 levels of [ and {");
	config_errors_free(&e);
	/* Brackets in quoted scalars (over lines too) and comments do not count;
	 * the position is the bracket's own line and column. */
	{
		char text[1000];
		int n = snprintf(text, sizeof text, "a: \"%s\"\nb: '%s\n%s'\n# %s\nc: %s",
		                 "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
		                 "{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{",
		                 "it''s [[[[", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
		                 "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[");
		assert_true(n > 0 && (size_t)n < sizeof text);
		assert_int_equal(config_check_nesting("t.yaml", text, (size_t)n, &e), -1);
		assert_int_equal(e.n, 1);
		assert_string_equal(e.v[0], "t.yaml:5:68: nested deeper than 64 levels of [ and {");
		config_errors_free(&e);
	}
	/* config_parse refuses at once, with nothing changed. */
	config_init(&c);
	memset(deep, '[', 150);
	deep[150] = '\0';
	assert_int_equal(config_parse(&c, "t.yaml", deep, strlen(deep), &e), -1);
	assert_int_equal(e.n, 1);
	assert_string_equal(e.v[0], "t.yaml:1:65: nested deeper than 64 levels of [ and {");
	config_errors_free(&e);
	config_free(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nesting_limit),
		cmocka_unit_test(test_init_defaults),
		cmocka_unit_test(test_valid_all_keys),
		cmocka_unit_test(test_valid_connect_list),
		cmocka_unit_test(test_valid_connect_empty_list),
		cmocka_unit_test(test_valid_booleans),
		cmocka_unit_test(test_valid_graph_modes),
		cmocka_unit_test(test_valid_ranges_inclusive),
		cmocka_unit_test(test_valid_flow_mapping_root),
		cmocka_unit_test(test_empty_document_ok),
		cmocka_unit_test(test_err_connect_empty_scalar),
		cmocka_unit_test(test_hosts),
		cmocka_unit_test(test_errors_text),
		cmocka_unit_test(test_err_hosts),
		cmocka_unit_test_setup_teardown(test_load_directory_is_an_error, tmp_setup, tmp_teardown),
		cmocka_unit_test(test_valid_parse_replaces_config),
		cmocka_unit_test(test_later_key_wins),
		cmocka_unit_test(test_err_interval),
		cmocka_unit_test(test_err_history),
		cmocka_unit_test(test_err_booleans),
		cmocka_unit_test(test_err_graphs),
		cmocka_unit_test(test_err_want_scalar),
		cmocka_unit_test(test_err_connect),
		cmocka_unit_test(test_err_unknown_key_suggestion),
		cmocka_unit_test(test_err_unknown_key_no_suggestion),
		cmocka_unit_test(test_shutdown_wait),
		cmocka_unit_test(test_bulk_limit),
		cmocka_unit_test(test_wait_warn),
		cmocka_unit_test(test_err_key_not_scalar),
		cmocka_unit_test(test_err_root_not_mapping),
		cmocka_unit_test(test_err_syntax_position),
		cmocka_unit_test(test_err_several_at_once),
		cmocka_unit_test(test_err_appends_to_existing),
		cmocka_unit_test(test_err_leaves_config_untouched),
		cmocka_unit_test(test_err_uses_given_name),
		cmocka_unit_test(test_parse_respects_len),
		cmocka_unit_test(test_distance),
		cmocka_unit_test(test_suggest),
		cmocka_unit_test(test_suggest_threshold),
		cmocka_unit_test_setup_teardown(test_load_missing_ok, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_load_missing_not_ok, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_load_missing_dir_not_ok_even_if_missing_ok,
		                                tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_load_valid_file, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_load_empty_file, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_load_errors_name_the_file, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_load_large_file, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_default_path_xdg, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_default_path_home, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_default_path_no_home, env_setup, env_teardown),
		cmocka_unit_test(test_errors_free_empty),
		cmocka_unit_test(test_theme_and_keys),
		cmocka_unit_test(test_graphics_console_keys),
		cmocka_unit_test(test_err_theme_and_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
