/* fuzz_clicomp.c — libFuzzer target: what shell completion reads from
 * outside (tui/clicomp.c): the user's ~/.ssh/config (its Host aliases and
 * Include lines), the words of a command line, and, to reach every path
 * of the reader, a help text. The first byte picks which. Whatever is
 * read, no alias is empty or a pattern, every option has a name that
 * starts with '-', and an answer's kinds are known ones. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/clicomp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char help[] =
	"Usage: vmtui vol list POOL [--json]\n"
	"       vmtui vol create POOL VOL --size SIZE [--format qcow2|raw]\n"
	"       vmtui vol wipe|delete [-c URI|-H [USER@]HOST[:PORT]] POOL VOL [--yes]\n"
	"       vmtui vol upload POOL FILE... (ISO | --volume POOL/VOL) [NAME]\n"
	"Volumes.\n\n"
	"  -c, --connect URI       the host\n"
	"  -H, --host [USER@]HOST[:PORT]  a host over SSH\n"
	"      --theme NAME|PATH colour theme\n"
	"      --dhcp-start IP, --dhcp-end IP  create: the range\n"
	"  -y, --yes               without asking\n";

static void
must(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "%s\n", what);
		abort();
	}
}

static void
check_answer(const struct cc_spec *s, char *const *w, size_t n)
{
	struct cc_answer a;
	size_t i;

	cc_answer_for(&a, s, false, w, n);
	must(a.kinds < 1u << CC_NKINDS, "an answer of an unknown kind");
	for (i = 0; i < a.nwords; i++)
		must(a.words[i] != NULL, "a NULL word");
	cc_answer_free(&a);
	cc_answer_for(&a, s, true, w, n);
	cc_answer_free(&a);
}

static void
check_spec(const struct cc_spec *s)
{
	size_t i;

	for (i = 0; i < s->nopts; i++) {
		const struct cc_option *o = &s->opts[i];
		must(o->shortname || o->longname, "an option without a name");
		must(!o->shortname || o->shortname[0] == '-', "a short option without its -");
		must(!o->longname || strncmp(o->longname, "--", 2) == 0, "a long option without --");
	}
	for (i = 0; i < s->nforms; i++)
		must(!s->forms[i].repeat || s->forms[i].npos > 0, "a repeat of no argument");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text, *p, *w[64];
	size_t n = 0, i, nh = 0, ni = 0;
	char **hosts = NULL, **inc = NULL;
	struct cc_spec s;
	struct cc_target t;

	if (size == 0)
		return 0;
	text = malloc(size);
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	switch (data[0] % 3) {
	case 0:
		cc_ssh_config_hosts(text, &hosts, &nh, &inc, &ni);
		for (i = 0; i < nh; i++) {
			must(hosts[i][0] != '\0', "an empty alias");
			must(strpbrk(hosts[i], "*?!") == NULL, "a pattern taken for an alias");
			free(hosts[i]);
		}
		for (i = 0; i < ni; i++)
			free(inc[i]);
		free(hosts);
		free(inc);
		break;
	case 1:
		cc_spec_parse(&s, "vol", text);
		check_spec(&s);
		{
			char *line[] = { "delete", "-c", "x", "pool", "" };
			check_answer(&s, line, 5);
			check_answer(&s, line, 1);
		}
		cc_spec_free(&s);
		cc_spec_parse(&s, NULL, text);
		check_spec(&s);
		cc_spec_free(&s);
		break;
	default:
		/* the words of a line, one a line */
		for (p = text; n < 64; p++) {
			w[n++] = p;
			p = strchr(p, '\n');
			if (p == NULL)
				break;
			*p = '\0';
		}
		cc_spec_parse(&s, "vol", help);
		check_spec(&s);
		check_answer(&s, w, n);
		cc_target_of(&t, w, n);
		cc_spec_free(&s);
		break;
	}
	free(text);
	return 0;
}
