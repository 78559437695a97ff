/* test_tagxml.c — model/defs/tagxml.h and the pure half of tagmeta.h: the
 * rules of tags and notes, a tag set edited, the metadata element made
 * and read back, read as libvirt returns it and from a whole domain's
 * XML, an edit applied, the virsh line. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/vmdef.h"
#include "model/base/xmalloc.h"
#include "model/defs/vmxml.h"
#include "model/defs/tagmeta.h"
#include "model/defs/tagxml.h"

static void
bad_tag(const char *t, const char *words)
{
	char *why = tag_check(t);

	assert_non_null(why);
	if (strstr(why, words) == NULL)
		fail_msg("\"%s\": %s (wanted \"%s\")", t, why, words);
	free(why);
}

static void
test_tag_rules(void **state)
{
	char long_tag[TAG_MAX + 2];

	(void)state;
	assert_null(tag_check("web"));
	assert_null(tag_check("a"));
	assert_null(tag_check("team-a.db_2"));
	assert_null(tag_check("9lives"));
	memset(long_tag, 'x', TAG_MAX);
	long_tag[TAG_MAX] = '\0';
	assert_null(tag_check(long_tag));
	long_tag[TAG_MAX] = 'x';
	long_tag[TAG_MAX + 1] = '\0';
	bad_tag(long_tag, "longer than 32");
	bad_tag("", "empty");
	bad_tag(NULL, "empty");
	bad_tag("Web", "lower case");
	bad_tag("-web", "start with a letter");
	bad_tag(".x", "start with a letter");
	bad_tag("a b", "use only");
	bad_tag("a,b", "use only");
	bad_tag("tag:web", "use only");
	bad_tag("caf\xc3\xa9", "use only");
	bad_tag("a<b", "use only");
}

static void
test_note_rules(void **state)
{
	char *big = xmalloc(NOTE_MAX + 2), *why;

	(void)state;
	assert_null(note_check("Owned by the web team.\nAsk before\trebooting."));
	assert_null(note_check("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xa7"));
	assert_null(note_check(""));
	memset(big, 'n', NOTE_MAX);
	big[NOTE_MAX] = '\0';
	assert_null(note_check(big));
	big[NOTE_MAX] = 'n';
	big[NOTE_MAX + 1] = '\0';
	why = note_check(big);
	assert_non_null(strstr(why, "at most 4000"));
	free(why);
	free(big);
	why = note_check("bell\a");
	assert_non_null(strstr(why, "control character (byte 5)"));
	free(why);
	why = note_check("del\x7f");
	assert_non_null(why);
	free(why);
	why = note_check("bad \xc3(");
	assert_non_null(strstr(why, "not valid UTF-8 (at byte 5)"));
	free(why);
	why = note_check("overlong \xc0\xaf");
	assert_non_null(why);
	free(why);
	why = note_check("surrogate \xed\xa0\x80");
	assert_non_null(why);
	free(why);
}

static void
test_set_edit(void **state)
{
	struct tagset ts = { 0 };
	char *j, *err = NULL;

	(void)state;
	assert_true(tagset_empty(&ts));
	assert_true(tagset_add(&ts, "web"));
	assert_true(tagset_add(&ts, "db"));
	assert_true(tagset_add(&ts, "prod"));
	assert_false(tagset_add(&ts, "web"));
	assert_int_equal(ts.ntags, 3);
	j = tagset_join(&ts, ",");
	assert_string_equal(j, "db,prod,web");
	free(j);
	assert_true(tagset_has(&ts, "prod"));
	assert_false(tagset_has(&ts, "pro"));
	assert_true(tagset_remove(&ts, "prod"));
	assert_false(tagset_remove(&ts, "prod"));
	assert_int_equal(ts.ntags, 2);
	tagset_set_note(&ts, "  \n hello world \n\t");
	assert_string_equal(ts.note, "hello world");
	tagset_set_note(&ts, " \n ");
	assert_null(ts.note);
	/* words: blanks and commas, all or nothing */
	assert_int_equal(tagset_parse_words(&ts, " lab, a1  b2,,", &err), 0);
	j = tagset_join(&ts, " ");
	assert_string_equal(j, "a1 b2 db lab web");
	free(j);
	assert_int_equal(tagset_parse_words(&ts, "ok Bad", &err), -1);
	assert_non_null(strstr(err, "\"Bad\""));
	free(err);
	assert_int_equal(ts.ntags, 5);
	assert_false(tagset_has(&ts, "ok"));
	tagset_free(&ts);
	tagset_free(&ts);
	tagset_free(NULL);
}

static void
test_too_many(void **state)
{
	struct tagset ts = { 0 };
	char words[TAGS_MAX * 6 + 8] = "", *err = NULL;
	int i;

	(void)state;
	for (i = 0; i <= TAGS_MAX; i++)
		sprintf(words + strlen(words), "t%d ", i);
	assert_int_equal(tagset_parse_words(&ts, words, &err), -1);
	assert_non_null(strstr(err, "at most 64 tags"));
	assert_int_equal(ts.ntags, 0);
	free(err);
}

static void
test_make_parse(void **state)
{
	struct tagset ts = { 0 }, back = { 0 };
	char *xml, *err = NULL;

	(void)state;
	assert_null(tagxml_make(&ts));
	tagset_add(&ts, "web");
	tagset_add(&ts, "db");
	tagset_set_note(&ts, "a <b> & \"c\"\nline two");
	xml = tagxml_make(&ts);
	assert_non_null(xml);
	assert_string_equal(xml, "<guest><tag>db</tag><tag>web</tag><note>a &lt;b&gt; &amp; "
	                         "&quot;c&quot;\nline two</note></guest>");
	assert_non_null(strstr(xml, "&lt;b&gt; &amp;"));
	assert_int_equal(tagxml_parse(xml, &back, &err), 0);
	assert_true(tagset_equal(&ts, &back));
	free(xml);
	tagset_free(&back);
	tagset_free(&ts);
	/* only a note */
	tagset_set_note(&ts, "just a note");
	xml = tagxml_make(&ts);
	assert_int_equal(tagxml_parse(xml, &back, &err), 0);
	assert_int_equal(back.ntags, 0);
	assert_string_equal(back.note, "just a note");
	free(xml);
	tagset_free(&back);
	tagset_free(&ts);
}

static void
test_parse_libvirt(void **state)
{
	/* As virDomainGetMetadata returns it: prefixed, with the namespace. */
	const char *lv = "<vmtui:guest xmlns:vmtui=\"" TAGXML_NS "\">\n"
	                 "  <vmtui:tag>web</vmtui:tag>\n  <vmtui:tag>Bad Tag</vmtui:tag>\n"
	                 "  <vmtui:tag>web</vmtui:tag>\n  <vmtui:tag>a1</vmtui:tag>\n"
	                 "  <other>x</other>\n"
	                 "  <vmtui:note>first</vmtui:note><vmtui:note>second</vmtui:note>\n"
	                 "</vmtui:guest>";
	struct tagset ts;
	char *err = NULL;

	(void)state;
	assert_int_equal(tagxml_parse(lv, &ts, &err), 0);
	assert_int_equal(ts.ntags, 2);
	assert_string_equal(ts.tags[0], "a1");
	assert_string_equal(ts.tags[1], "web");
	assert_string_equal(ts.note, "first");
	tagset_free(&ts);
	assert_int_equal(tagxml_parse("<tags/>", &ts, &err), -1);
	assert_non_null(strstr(err, "not a <guest>"));
	free(err);
	assert_int_equal(tagxml_parse("<guest><tag>", &ts, &err), -1);
	assert_non_null(strstr(err, "not well-formed"));
	free(err);
	assert_int_equal(tagxml_parse(NULL, &ts, &err), -1);
	free(err);
}

static void
test_from_domain(void **state)
{
	const char *dom = "<domain type='kvm'><name>a</name><metadata>"
	                  "<other:guest xmlns:other='http://example.com/x'><other:tag>no</other:tag>"
	                  "</other:guest>"
	                  "<vmtui:guest xmlns:vmtui='" TAGXML_NS "'><vmtui:tag>lab</vmtui:tag>"
	                  "<vmtui:note>n</vmtui:note></vmtui:guest></metadata></domain>";
	struct tagset ts;
	char *err = NULL;

	(void)state;
	assert_int_equal(tagxml_from_domain(dom, &ts, &err), 0);
	assert_int_equal(ts.ntags, 1);
	assert_string_equal(ts.tags[0], "lab");
	assert_string_equal(ts.note, "n");
	tagset_free(&ts);
	assert_int_equal(tagxml_from_domain("<domain><name>a</name></domain>", &ts, &err), 0);
	assert_true(tagset_empty(&ts));
	assert_int_equal(tagxml_from_domain("<domain>", &ts, &err), -1);
	free(err);
}

static void
test_long_note_cut(void **state)
{
	char *xml = xmalloc(NOTE_MAX + 200), *err = NULL;
	struct tagset ts;
	size_t n;

	(void)state;
	strcpy(xml, "<guest><note>");
	n = strlen(xml);
	/* two-byte characters across the limit: cut at a boundary */
	while (n < NOTE_MAX + 40) {
		xml[n++] = '\xc3';
		xml[n++] = '\xa9';
	}
	strcpy(xml + n, "</note></guest>");
	assert_int_equal(tagxml_parse(xml, &ts, &err), 0);
	assert_non_null(ts.note);
	assert_true(strlen(ts.note) <= NOTE_MAX);
	assert_null(note_check(ts.note));
	tagset_free(&ts);
	free(xml);
}

static void
test_edit_apply(void **state)
{
	struct tagset ts = { 0 };
	char *add[] = { "web", "new" }, *del[] = { "old", "absent" }, *why;
	struct tag_edit e = { add, del, 2, 2, false, true, "the note" };
	struct tag_edit bad = { 0 };
	char *badv[] = { "No" };

	(void)state;
	tagset_add(&ts, "old");
	tagset_add(&ts, "keep");
	assert_null(tag_edit_check(&e));
	tag_edit_apply(&e, &ts);
	why = tagset_join(&ts, " ");
	assert_string_equal(why, "keep new web");
	free(why);
	assert_string_equal(ts.note, "the note");
	e.clear_tags = true;
	e.nadd = 1;
	e.note = NULL;
	tag_edit_apply(&e, &ts);
	assert_int_equal(ts.ntags, 1);
	assert_string_equal(ts.tags[0], "web");
	assert_null(ts.note);
	why = tagmeta_describe("vm1", &ts);
	assert_string_equal(why, "vm1: tag web; no note.");
	free(why);
	tagset_free(&ts);
	bad.del = badv;
	bad.ndel = 1;
	why = tag_edit_check(&bad);
	assert_non_null(strstr(why, "lower case"));
	free(why);
	bad.ndel = 0;
	bad.set_note = true;
	bad.note = "x\x01";
	why = tag_edit_check(&bad);
	assert_non_null(why);
	free(why);
}

static void
test_virsh_line(void **state)
{
	struct tagset ts = { 0 };
	char *v;

	(void)state;
	tagset_add(&ts, "web");
	v = tagmeta_virsh("qemu:///system", "vm1", &ts, true, true);
	assert_string_equal(v, "virsh -c qemu:///system metadata vm1 --uri " TAGXML_NS
	                       " --key vmtui --set '<guest><tag>web</tag></guest>'"
	                       " --live --config");
	free(v);
	tagset_free(&ts);
	v = tagmeta_virsh(NULL, "vm1", &ts, false, true);
	assert_string_equal(v, "virsh metadata vm1 --uri " TAGXML_NS " --remove --config");
	free(v);
}

/* ---- vmtui.yaml: tags: and notes: ---- */

static int
parse(struct vmdef_file *f, const char *text, char **first_err)
{
	struct config_errors e = { 0 };
	int rc;

	memset(f, 0, sizeof *f);
	rc = vmdef_parse(f, "t.yaml", NULL, text, strlen(text), &e);
	*first_err = e.n ? strdup(e.v[0]) : NULL;
	config_errors_free(&e);
	return rc;
}

static void
test_yaml_parse(void **state)
{
	struct vmdef_file f;
	char *err;

	(void)state;
	assert_int_equal(parse(&f, "name: a\nmemory: 512M\ntags: [web, prod]\n"
	                           "notes: |\n  Owned by ops.\n  Ask first.\n", &err), 0);
	assert_null(err);
	assert_true(f.vms[0].tags_given);
	assert_int_equal(f.vms[0].ntags, 2);
	assert_string_equal(f.vms[0].tags[0], "prod"); /* sorted */
	assert_string_equal(f.vms[0].notes, "Owned by ops.\nAsk first.");
	vmdef_file_free(&f);
	/* one tag as a string; note: as notes:; an empty note is none */
	assert_int_equal(parse(&f, "name: a\nmemory: 512M\ntags: lab\nnote: \"\"\n", &err), 0);
	assert_int_equal(f.vms[0].ntags, 1);
	assert_true(f.vms[0].notes_given);
	assert_null(f.vms[0].notes);
	vmdef_file_free(&f);
	/* tags: [] manages an empty set; absent keys leave the guest's alone */
	assert_int_equal(parse(&f, "name: a\nmemory: 512M\ntags: []\n", &err), 0);
	assert_true(f.vms[0].tags_given);
	assert_false(f.vms[0].notes_given);
	assert_int_equal(f.vms[0].ntags, 0);
	vmdef_file_free(&f);
}

static void
yaml_bad(const char *text, const char *words)
{
	struct vmdef_file f;
	char *err = NULL;

	assert_int_not_equal(parse(&f, text, &err), 0);
	assert_non_null(err);
	if (strstr(err, words) == NULL)
		fail_msg("%s: wanted \"%s\"", err, words);
	free(err);
	vmdef_file_free(&f);
}

static void
test_yaml_bad(void **state)
{
	(void)state;
	yaml_bad("name: a\nmemory: 512M\ntags: [Web]\n", "t.yaml:3:7: tags: Tag \"Web\": tags are lower case");
	yaml_bad("name: a\nmemory: 512M\ntags: [a, b, a]\n", "tags: \"a\" is listed twice");
	yaml_bad("name: a\nmemory: 512M\ntags: {a: 1}\n", "tags: expected a list");
	yaml_bad("name: a\nmemory: 512M\nnotes: [x]\n", "notes: expected text");
	yaml_bad("name: a\nmemory: 512M\nnotes: \"a\\x01b\"\n", "notes: The note has a control character");
	yaml_bad("name: a\nmemory: 512M\ntags: [\"a b\"]\n", "use only a-z");
}

static void
test_yaml_xml_export(void **state)
{
	struct vmdef_file f, g;
	struct vmxml_opts o = { .domain_type = "qemu", .arch = "x86_64" };
	struct tagset ts;
	char *err = NULL, *xml, *yaml, *yaml2, *xml2;

	(void)state;
	assert_int_equal(parse(&f, "name: a\nmemory: 512M\ntags: [web, prod]\n"
	                           "notes: \"two <lines>\\nhere\"\nconsole: false\ngraphics: none\n",
	                       &err), 0);
	xml = vmxml_domain(&f.vms[0], &o, &err);
	assert_non_null(xml);
	assert_non_null(strstr(xml, "<metadata>"));
	if (strstr(xml, "<vmtui:guest xmlns:vmtui=\"" TAGXML_NS "\">") == NULL)
		fail_msg("%s", xml);
	assert_int_equal(tagxml_from_domain(xml, &ts, &err), 0);
	assert_int_equal(ts.ntags, 2);
	assert_string_equal(ts.note, "two <lines>\nhere");
	tagset_free(&ts);
	yaml = vmxml_export_yaml(xml, NULL, NULL, &err);
	assert_non_null(yaml);
	assert_non_null(strstr(yaml, "tags: [prod, web]\n"));
	assert_non_null(strstr(yaml, "notes: \"two <lines>\\nhere\"\n"));
	/* exported, parsed, made and exported again: the same */
	assert_int_equal(parse(&g, yaml, &err), 0);
	assert_int_equal(g.vms[0].ntags, 2);
	assert_string_equal(g.vms[0].notes, "two <lines>\nhere");
	xml2 = vmxml_domain(&g.vms[0], &o, &err);
	yaml2 = vmxml_export_yaml(xml2, NULL, NULL, &err);
	assert_string_equal(yaml, yaml2);
	free(xml);
	free(xml2);
	free(yaml);
	free(yaml2);
	vmdef_file_free(&f);
	vmdef_file_free(&g);
	/* no tags, no note: no <metadata>, no keys */
	assert_int_equal(parse(&f, "name: a\nmemory: 512M\n", &err), 0);
	xml = vmxml_domain(&f.vms[0], &o, &err);
	assert_null(strstr(xml, "<metadata>"));
	yaml = vmxml_export_yaml(xml, NULL, NULL, &err);
	assert_null(strstr(yaml, "tags:"));
	assert_null(strstr(yaml, "notes:"));
	free(xml);
	free(yaml);
	vmdef_file_free(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tag_rules),
		cmocka_unit_test(test_note_rules),
		cmocka_unit_test(test_set_edit),
		cmocka_unit_test(test_too_many),
		cmocka_unit_test(test_make_parse),
		cmocka_unit_test(test_parse_libvirt),
		cmocka_unit_test(test_from_domain),
		cmocka_unit_test(test_long_note_cut),
		cmocka_unit_test(test_edit_apply),
		cmocka_unit_test(test_virsh_line),
		cmocka_unit_test(test_yaml_parse),
		cmocka_unit_test(test_yaml_bad),
		cmocka_unit_test(test_yaml_xml_export),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
