/* test_clicomp.c — tui/clicomp.h: a command's options, verbs and
 * arguments read from help texts written as tui/subcmd.c writes them, the
 * kinds of the word under the cursor, the host of the line and the Host
 * aliases of an ssh_config. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "tui/clicomp.h"

static const char snap_help[] =
	"Usage: vmtui snapshot list [-c URI] VM\n"
	"       vmtui snapshot create [-c URI] VM [NAME] [--description TEXT]\n"
	"       vmtui snapshot revert [-c URI] [-y] VM NAME\n"
	"Snapshots of a VM.\n\n"
	"  -c, --connect URI       the host\n"
	"  -r, --readonly          change nothing\n"
	"  -d, --description TEXT  what the snapshot is for (create)\n"
	"  -y, --yes               revert without asking\n"
	"  -h, --help              show this help and exit\n";

static const char screen_help[] =
	"Usage: vmtui [OPTION]...\n"
	"       vmtui COMMAND [ARG]...\n"
	"Watch.\n\n"
	"  -c, --connect URI     hypervisor to manage (repeatable; default: the hosts\n"
	"                        of config.yaml)\n"
	"  -H, --host [USER@]HOST[:PORT]\n"
	"                        a hypervisor reached over SSH\n"
	"      --known-hosts FILE  SSH host keys\n"
	"  -g, --graphs MODE     braille, block or ascii\n"
	"      --no-color        no colours\n"
	"      --theme NAME|PATH colour theme: dark (default), light\n"
	"      --graphics-protocol kitty|sixel|iterm|symbols\n"
	"                        how a guest's screen (G) is drawn\n"
	"  -V, --version         show the version and exit\n";

static const char pool_help[] =
	"Usage: vmtui pool list [--json]\n"
	"       vmtui pool create POOL [--type TYPE] [--path DIR] [--build|--no-build]\n"
	"       vmtui pool build|start|stop|refresh POOL\n"
	"Pools.\n\n"
	"  -H, --host [USER@]HOST[:PORT]  a host over SSH, in-process\n"
	"      --dhcp-start IP, --dhcp-end IP  create: the range\n"
	"      --build, --no-build create: build it\n"
	"      --type TYPE         create: dir (default), fs\n";

static const char vol_help[] =
	"Usage: vmtui vol list POOL [--json]\n"
	"       vmtui vol create POOL VOL --size SIZE [--format qcow2|raw]\n"
	"       vmtui vol wipe|delete POOL VOL [--yes]\n"
	"       vmtui vol upload POOL FILE [--name VOL] [--format raw|qcow2|iso]\n"
	"Volumes.\n\n"
	"  -H, --host [USER@]HOST[:PORT]  a host over SSH, in-process\n"
	"      --format FMT        create: qcow2 (default) or raw\n";

static const char misc_help[] =
	"Usage: vmtui firmware [-c URI|-H HOST] [--dry-run] VM [bios|efi]\n"
	"       [--secure-boot on|off]\n"
	"Firmware.\n\n"
	"      --secure-boot on|off  Secure Boot\n";

static const char media_help[] =
	"Usage: vmtui media insert [-c URI|-H HOST] VM TARGET (ISO | --volume POOL/VOL)\n"
	"                  [--live] [--dry-run]\n"
	"Media.\n";

static const char validate_help[] = "Usage: vmtui validate FILE...\nCheck.\n";
static const char top_help[] =
	"Usage: vmtui top --batch [-n COUNT] [--csv|--json]\n"
	"       vmtui top --record FILE [vmtui options]\n"
	"Top.\n\n"
	"  -n, --iterations N    stop after N samples\n";

static bool
has_word(const struct cc_answer *a, const char *w)
{
	size_t i;

	for (i = 0; i < a->nwords; i++)
		if (strcmp(a->words[i], w) == 0)
			return true;
	return false;
}

/* The answer for the words of a line after the command (space-separated
 * in line; the last, possibly empty, is the one completed). */
static void
answer(struct cc_answer *a, const char *cmd, const char *help, const char *line)
{
	struct cc_spec s;
	char *buf = strdup(line), *w[32], *p = buf;
	size_t n = 0;

	for (;;) {
		char *sp = strchr(p, ' ');
		w[n++] = p;
		if (sp == NULL)
			break;
		*sp = '\0';
		p = sp + 1;
	}
	cc_spec_parse(&s, cmd, help);
	cc_answer_for(a, &s, cmd == NULL, w, n);
	cc_spec_free(&s);
	/* the answer keeps no pointer into w */
	memset(buf, 'x', strlen(line));
	free(buf);
}

static void
test_options_read(void **state)
{
	struct cc_spec s;
	const struct cc_option *o;

	(void)state;
	cc_spec_parse(&s, NULL, screen_help);
	o = cc_spec_option(&s, "-c");
	assert_non_null(o);
	assert_string_equal(o->longname, "--connect");
	assert_string_equal(o->arg, "URI");
	assert_ptr_equal(cc_spec_option(&s, "--connect"), o);
	o = cc_spec_option(&s, "--host");
	assert_string_equal(o->arg, "[USER@]HOST[:PORT]");
	o = cc_spec_option(&s, "--no-color");
	assert_non_null(o);
	assert_null(o->arg);
	assert_null(o->shortname);
	assert_string_equal(cc_spec_option(&s, "--theme")->arg, "NAME|PATH");
	assert_string_equal(cc_spec_option(&s, "--graphics-protocol")->arg,
	                    "kitty|sixel|iterm|symbols");
	assert_null(cc_spec_option(&s, "-V")->arg);
	/* the screen takes no argument: its usage forms give none */
	assert_int_equal(s.nforms, 0);
	cc_spec_free(&s);

	cc_spec_parse(&s, "pool", pool_help);
	assert_string_equal(cc_spec_option(&s, "--dhcp-start")->arg, "IP");
	assert_string_equal(cc_spec_option(&s, "--dhcp-end")->arg, "IP");
	assert_null(cc_spec_option(&s, "--build")->arg);
	assert_null(cc_spec_option(&s, "--no-build")->arg);
	assert_ptr_not_equal(cc_spec_option(&s, "--build"), cc_spec_option(&s, "--no-build"));
	assert_string_equal(cc_spec_option(&s, "--path")->arg, "DIR");
	assert_non_null(cc_spec_option(&s, "--json"));
	cc_spec_free(&s);

	/* choices of two forms make one list; they win over the list's FMT */
	cc_spec_parse(&s, "vol", vol_help);
	assert_string_equal(cc_spec_option(&s, "--format")->arg, "qcow2|raw|iso");
	cc_spec_free(&s);

	/* -c URI|-H HOST: two options; top's [vmtui options] is no argument */
	cc_spec_parse(&s, "firmware", misc_help);
	assert_string_equal(cc_spec_option(&s, "-c")->arg, "URI");
	assert_string_equal(cc_spec_option(&s, "-H")->arg, "HOST");
	assert_string_equal(cc_spec_option(&s, "--secure-boot")->arg, "on|off");
	cc_spec_free(&s);
	cc_spec_parse(&s, "top", top_help);
	assert_int_equal(s.nforms, 2);
	assert_int_equal(s.forms[1].npos, 0);
	assert_string_equal(cc_spec_option(&s, "--record")->arg, "FILE");
	assert_string_equal(cc_spec_option(&s, "-n")->longname, "--iterations");
	cc_spec_free(&s);
}

static void
test_forms_read(void **state)
{
	struct cc_spec s;

	(void)state;
	cc_spec_parse(&s, "snapshot", snap_help);
	assert_int_equal(s.nforms, 3);
	assert_int_equal(s.forms[0].nverbs, 1);
	assert_string_equal(s.forms[0].verbs[0], "list");
	assert_int_equal(s.forms[0].npos, 1);
	assert_string_equal(s.forms[0].pos[0], "VM");
	assert_int_equal(s.forms[1].npos, 2); /* VM [NAME] */
	assert_string_equal(s.forms[1].pos[1], "NAME");
	assert_int_equal(s.forms[2].npos, 2);
	cc_spec_free(&s);

	cc_spec_parse(&s, "pool", pool_help);
	assert_int_equal(s.nforms, 3);
	assert_int_equal(s.forms[2].nverbs, 4);
	assert_string_equal(s.forms[2].verbs[3], "refresh");
	cc_spec_free(&s);

	cc_spec_parse(&s, "validate", validate_help);
	assert_int_equal(s.nforms, 1);
	assert_int_equal(s.forms[0].nverbs, 0);
	assert_string_equal(s.forms[0].pos[0], "FILE");
	assert_true(s.forms[0].repeat);
	cc_spec_free(&s);

	/* a usage form of another command is not this one's */
	cc_spec_parse(&s, "plan", validate_help);
	assert_int_equal(s.nforms, 0);
	cc_spec_free(&s);

	/* found by fuzz_clicomp: two Usage: lines in a row are two forms (the
	 * first was lost, leaked); the screen's forms go with their verbs */
	cc_spec_parse(&s, "x", "Usage: vmtui x A\nUsage: vmtui x list B...\n");
	assert_int_equal(s.nforms, 2);
	assert_string_equal(s.forms[0].pos[0], "A");
	assert_string_equal(s.forms[1].verbs[0], "list");
	cc_spec_free(&s);
	cc_spec_parse(&s, NULL, "Usage: vmtui vol a|b C\nUsage: vmtui [OPTION]...\n");
	assert_int_equal(s.nforms, 0);
	cc_spec_free(&s);

	/* (ISO | --volume POOL/VOL): ISO is the third argument */
	cc_spec_parse(&s, "media", media_help);
	assert_int_equal(s.forms[0].npos, 3);
	assert_string_equal(s.forms[0].pos[2], "ISO");
	assert_string_equal(cc_spec_option(&s, "--volume")->arg, "POOL/VOL");
	cc_spec_free(&s);
}

static void
test_answers(void **state)
{
	struct cc_answer a;

	(void)state;
	/* verbs first, then the guest, then nothing but options */
	answer(&a, "snapshot", snap_help, "");
	assert_int_equal(a.kinds, 1u << CC_WORDS);
	assert_true(has_word(&a, "list") && has_word(&a, "create") && has_word(&a, "revert"));
	assert_int_equal(a.nwords, 3);
	cc_answer_free(&a);
	answer(&a, "snapshot", snap_help, "revert -c test:///default -y ");
	assert_int_equal(a.kinds, 1u << CC_GUESTS);
	cc_answer_free(&a);
	answer(&a, "snapshot", snap_help, "revert web1 ");
	assert_int_equal(a.kinds, 0); /* NAME: nothing to offer... */
	cc_answer_free(&a);
	answer(&a, "snapshot", snap_help, "list web1 ");
	assert_int_equal(a.kinds, 1u << CC_WORDS); /* ...after the last: options */
	assert_true(has_word(&a, "--connect") && has_word(&a, "-c"));
	cc_answer_free(&a);
	answer(&a, "snapshot", snap_help, "nosuchverb ");
	assert_true(has_word(&a, "--help"));
	cc_answer_free(&a);

	/* an option's value, by its metavariable */
	answer(&a, "snapshot", snap_help, "list -c ");
	assert_int_equal(a.kinds, 1u << CC_URIS);
	cc_answer_free(&a);
	answer(&a, "snapshot", snap_help, "list --connect=qe");
	assert_int_equal(a.kinds, 1u << CC_URIS);
	assert_string_equal(a.prefix, "--connect=");
	cc_answer_free(&a);
	answer(&a, "snapshot", snap_help, "list -d ");
	assert_int_equal(a.kinds, 0);
	cc_answer_free(&a);
	answer(&a, "snapshot", snap_help, "list --");
	assert_true(has_word(&a, "--description") && has_word(&a, "--yes"));
	cc_answer_free(&a);

	/* the screen */
	answer(&a, NULL, screen_help, "");
	assert_int_equal(a.kinds, 1u << CC_COMMANDS);
	cc_answer_free(&a);
	answer(&a, NULL, screen_help, "-H ");
	assert_int_equal(a.kinds, 1u << CC_SSH_HOSTS);
	cc_answer_free(&a);
	answer(&a, NULL, screen_help, "--theme ");
	assert_int_equal(a.kinds, 1u << CC_THEMES | 1u << CC_FILES);
	cc_answer_free(&a);
	answer(&a, NULL, screen_help, "-g ");
	assert_int_equal(a.kinds, 1u << CC_WORDS);
	assert_true(has_word(&a, "braille") && has_word(&a, "ascii"));
	cc_answer_free(&a);
	answer(&a, NULL, screen_help, "--graphics-protocol ");
	assert_int_equal(a.nwords, 4);
	assert_true(has_word(&a, "sixel"));
	cc_answer_free(&a);
	answer(&a, NULL, screen_help, "--known-hosts ");
	assert_int_equal(a.kinds, 1u << CC_FILES);
	cc_answer_free(&a);
	answer(&a, NULL, screen_help, "-c qemu:///system ");
	assert_int_equal(a.kinds, 0);
	cc_answer_free(&a);

	/* files, repeated */
	answer(&a, "validate", validate_help, "a.yaml b.yaml ");
	assert_int_equal(a.kinds, 1u << CC_FILES);
	cc_answer_free(&a);

	/* verbs with |; a volume of the pool named */
	answer(&a, "pool", pool_help, "stop ");
	assert_int_equal(a.kinds, 1u << CC_POOLS);
	cc_answer_free(&a);
	answer(&a, "vol", vol_help, "delete -H lab images ");
	assert_int_equal(a.kinds, 1u << CC_VOLS);
	assert_string_equal(a.pool, "images");
	cc_answer_free(&a);
	answer(&a, "vol", vol_help, "upload images ");
	assert_int_equal(a.kinds, 1u << CC_FILES);
	cc_answer_free(&a);
	answer(&a, "vol", vol_help, "create --format ");
	assert_int_equal(a.nwords, 3);
	cc_answer_free(&a);

	/* literal choices as an argument */
	answer(&a, "firmware", misc_help, "web1 ");
	assert_int_equal(a.kinds, 1u << CC_WORDS);
	assert_true(has_word(&a, "bios") && has_word(&a, "efi"));
	cc_answer_free(&a);
	answer(&a, "media", media_help, "insert web1 sda ");
	assert_int_equal(a.kinds, 1u << CC_FILES);
	cc_answer_free(&a);
	/* after --, only arguments */
	answer(&a, "validate", validate_help, "-- -");
	assert_int_equal(a.kinds, 1u << CC_FILES);
	cc_answer_free(&a);
}

static void
test_target(void **state)
{
	char *w[] = { "list", "-c", "qemu:///a", "--connect=qemu:///b", "-Hlab", "--known-hosts",
	              "/k", "-f", "/c.yaml", "--", "-c", "x" };
	struct cc_target t;

	(void)state;
	cc_target_of(&t, w, sizeof w / sizeof *w);
	assert_string_equal(t.uri, "qemu:///b");
	assert_string_equal(t.ssh, "lab");
	assert_string_equal(t.known_hosts, "/k");
	assert_string_equal(t.config, "/c.yaml");
	cc_target_of(&t, w, 2); /* -c without its value yet */
	assert_null(t.uri);
}

static void
test_ssh_config(void **state)
{
	static const char text[] =
		"# a comment\n"
		"Host lab lab2 *.example.org !bad\n"
		"  HostName lab.example.org\n"
		"host=\"quoted one\"\n"
		"Match host x\n"
		"\tHost\tjump\n"
		"Include ~/.ssh/config.d/* other\n"
		"Host ?x\n"
		"Hostname notahost\n"
		"Host crlf\r\n"          /* a CRLF file: CR ends the word, */
		"Host a \r\r b\r\n";     /* and lone CRs never stop the reading */
	char **v = NULL, **inc = NULL;
	size_t n = 0, ninc = 0, i;

	(void)state;
	cc_ssh_config_hosts(text, &v, &n, &inc, &ninc);
	assert_int_equal(n, 7);
	assert_string_equal(v[0], "lab");
	assert_string_equal(v[1], "lab2");
	assert_string_equal(v[2], "quoted one");
	assert_string_equal(v[3], "jump");
	assert_string_equal(v[4], "crlf");
	assert_string_equal(v[5], "a");
	assert_string_equal(v[6], "b");
	assert_int_equal(ninc, 2);
	assert_string_equal(inc[0], "~/.ssh/config.d/*");
	assert_string_equal(inc[1], "other");
	for (i = 0; i < n; i++)
		free(v[i]);
	for (i = 0; i < ninc; i++)
		free(inc[i]);
	free(v);
	free(inc);
}

/* A quote opened at the very end of the text: read to its end, never
 * past it (the fuzzer's find; ASan and valgrind check it here). */
static void
test_ssh_config_quote_at_end(void **state)
{
	static const char *const texts[] = { "Host x \"", "Host \"", "Host x\r\r\"", "Host \"\"" };
	char **v = NULL, **inc = NULL, *copy;
	size_t n = 0, ninc = 0, i, j;

	(void)state;
	for (j = 0; j < sizeof texts / sizeof texts[0]; j++) {
		copy = strdup(texts[j]); /* exactly as long as it is, for ASan */
		cc_ssh_config_hosts(copy, &v, &n, &inc, &ninc);
		free(copy);
	}
	assert_int_equal(n, 1); /* x (once: no duplicates) */
	assert_string_equal(v[0], "x");
	assert_int_equal(ninc, 0);
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
	free(inc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_options_read),
		cmocka_unit_test(test_forms_read),
		cmocka_unit_test(test_answers),
		cmocka_unit_test(test_target),
		cmocka_unit_test(test_ssh_config),
		cmocka_unit_test(test_ssh_config_quote_at_end),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
