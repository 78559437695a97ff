/* test_xmledit.c — model/guest/xmledit.h: where an edit is kept, the
 * error comment put on top and taken off again (the user's text byte for
 * byte), what counts as a change, the refusal of another UUID, the define
 * described as a hw_change, the kept file written 0600 and read back, and
 * the source read and a define on libvirt's test driver. */
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

#include "model/guest/xmledit.h"
#include "model/host/lvutil.h"

static void
test_paths(void **state)
{
	char *err = NULL, *p, *b;

	(void)state;
	p = xmledit_path("/st", "/home/u", "host1", "web1", &err);
	assert_null(err);
	assert_string_equal(p, "/st/vmtui/edits/host1-web1.xml");
	b = xmledit_base_path(p);
	assert_string_equal(b, "/st/vmtui/edits/host1-web1.base.xml");
	free(b);
	free(p);
	/* Relative XDG_STATE_HOME is ignored; "/" and a leading dot made safe. */
	p = xmledit_path("rel", "/home/u", ".h/x", "a/b", &err);
	assert_string_equal(p, "/home/u/.local/state/vmtui/edits/_h_x-a_b.xml");
	free(p);
	p = xmledit_path(NULL, NULL, "h", "v", &err);
	assert_null(p);
	assert_non_null(strstr(err, "no place to keep the edit"));
	free(err);
}

static void
test_error_comment(void **state)
{
	const char *user = "<domain type='kvm'>\n  <name>web1</name>\n</domain>";
	char *t, *t2, *s;

	(void)state;
	t = xmledit_add_error(user, "XML error: extra content -- vcpux-");
	assert_true(strncmp(t, "<!-- vmtui: XML error: extra content - - vcpux- ", 47) == 0);
	/* No "--" inside the comment: it is well-formed XML. */
	{
		const char *end = strstr(t, "-->");
		const char *dd = strstr(t + 4, "--");
		assert_non_null(end);
		assert_ptr_equal(dd, end);
	}
	/* The user's text follows untouched, and comes back byte for byte. */
	assert_non_null(strstr(t, "-->\n<domain type='kvm'>"));
	s = xmledit_strip_error(t);
	assert_string_equal(s, user);
	free(s);
	/* A second error replaces the first, never stacks. */
	t2 = xmledit_add_error(t, "second");
	assert_null(strstr(t2, "extra content"));
	s = xmledit_strip_error(t2);
	assert_string_equal(s, user);
	free(s);
	free(t2);
	free(t);
	/* The user's own comments stay. */
	s = xmledit_strip_error("<!-- mine -->\n<domain/>\n");
	assert_string_equal(s, "<!-- mine -->\n<domain/>\n");
	free(s);
	/* An unterminated mark is the user's text too. */
	s = xmledit_strip_error("<!-- vmtui: open\n<domain/>");
	assert_string_equal(s, "<!-- vmtui: open\n<domain/>");
	free(s);
}

static void
test_differs(void **state)
{
	(void)state;
	assert_false(xmledit_differs("<a/>\n", "<a/>\n"));
	assert_false(xmledit_differs("<a/>\n", "<a/>"));   /* the last newline */
	assert_false(xmledit_differs("<a/>\n", "<a/>\n\n"));
	assert_false(xmledit_differs("<a/>\n", "<!-- vmtui: x -->\n<a/>\n")); /* ours */
	assert_true(xmledit_differs("<a/>\n", "<b/>\n"));
	assert_true(xmledit_differs("<a/>\n", " <a/>\n"));
	assert_true(xmledit_differs("<a/>\n", "<!-- mine -->\n<a/>\n"));
	assert_true(xmledit_differs("<a/>\n", ""));
}

static void
test_age(void **state)
{
	char b[48];

	(void)state;
	assert_string_equal(xmledit_age(100, 101, b, sizeof b), "1 second");
	assert_string_equal(xmledit_age(100, 219, b, sizeof b), "119 seconds");
	assert_string_equal(xmledit_age(0, 300, b, sizeof b), "5 minutes");
	assert_string_equal(xmledit_age(0, 3 * 3600, b, sizeof b), "3 hours");
	assert_string_equal(xmledit_age(0, 5 * 86400, b, sizeof b), "5 days");
	assert_string_equal(xmledit_age(10, 5, b, sizeof b), "0 seconds");
}

static void
test_refusal(void **state)
{
	const char *u = "6fba9609-b91e-43bc-8ac3-367940688e64";

	(void)state;
	assert_null(xmledit_refusal("<domain><uuid>6fba9609-b91e-43bc-8ac3-367940688e64</uuid>",
	                            u));
	assert_null(xmledit_refusal("<domain><uuid> 6FBA9609-B91E-43BC-8AC3-367940688E64\n"
	                            "</uuid>", u));
	assert_null(xmledit_refusal("<domain><name>x</name></domain>", u)); /* by name */
	assert_non_null(strstr(xmledit_refusal("<uuid>00000000-b91e-43bc-8ac3-367940688e64"
	                                       "</uuid>", u), "another guest"));
}

static void
test_change(void **state)
{
	struct hw_change c;

	(void)state;
	xmledit_change(&c, "web1", true, "qemu:///system", "/s/h-web1.xml", "<a>\n<b/>\n</a>\n",
	               "<!-- vmtui: old error -->\n<a>\n<c/>\n</a>\n");
	assert_int_equal(c.when, HW_CONFIG);
	assert_non_null(strstr(c.what, "next boot"));
	assert_int_equal(c.nsteps, 1);
	assert_int_equal(c.steps[0].kind, HW_DEFINE);
	assert_string_equal(c.steps[0].xml, "<a>\n<c/>\n</a>\n"); /* our comment off */
	assert_string_equal(c.steps[0].virsh, "virsh -c qemu:///system define /s/h-web1.xml");
	assert_null(c.diff_live);
	assert_non_null(strstr(c.diff_saved, "-<b/>\n+<c/>\n"));
	assert_null(strstr(c.diff_saved, "vmtui:"));
	hw_change_free(&c);
	xmledit_change(&c, "web1", false, NULL, "/f.xml", "<a/>\n", "<b/>\n");
	assert_null(strstr(c.what, "next boot"));
	assert_string_equal(c.steps[0].virsh, "virsh define /f.xml");
	hw_change_free(&c);
}

static void
test_files(void **state)
{
	char dir[] = "/tmp/vmtui-xmledit-XXXXXX", *path, *err = NULL, *got;
	struct stat st;

	(void)state;
	assert_non_null(mkdtemp(dir));
	path = xmledit_path(dir, NULL, "h", "v", &err);
	assert_non_null(path);
	got = xmledit_read(path, &err); /* none yet: no error */
	assert_null(got);
	assert_null(err);
	assert_int_equal(xmledit_write(path, "<x/>\n", &err), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	got = xmledit_read(path, &err);
	assert_string_equal(got, "<x/>\n");
	free(got);
	assert_int_equal(xmledit_write(path, "<y/>\n", &err), 0); /* replaced */
	got = xmledit_read(path, &err);
	assert_string_equal(got, "<y/>\n");
	free(got);
	{
		char *b = xmledit_base_path(path);
		assert_int_equal(xmledit_write(b, "<x/>\n", &err), 0);
		xmledit_forget(path);
		assert_int_equal(access(path, F_OK), -1);
		assert_int_equal(access(b, F_OK), -1);
		free(b);
	}
	free(path);
	/* A folder that cannot be made: said, nothing written. */
	assert_int_equal(xmledit_write("/proc/nope/x.xml", "<x/>", &err), -1);
	assert_non_null(strstr(err, "cannot write /proc/nope/x.xml"));
	free(err);
	{
		char cmd[128];
		snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
		assert_int_equal(system(cmd), 0);
	}
}

/* The test driver: the source read, a define of a change, one refused. */
static void
test_on_driver(void **state)
{
	virConnectPtr conn;
	struct xmledit_src s;
	struct hw_change c;
	virDomainPtr d;
	char *err = NULL, *x2, *p, *now;

	(void)state;
	conn = lv_open("test:///default", false, NULL);
	assert_non_null(conn);
	assert_int_equal(xmledit_src_read(conn, "test", &s, &err), 0);
	assert_string_equal(s.name, "test");
	assert_true(s.running);
	assert_non_null(strstr(s.xml, "<name>test</name>"));
	assert_non_null(s.host);
	/* A change of memory, defined through the change. */
	p = strstr(s.xml, "<currentMemory");
	assert_non_null(p);
	x2 = strdup(s.xml);
	p = strstr(x2, "<description>");
	if (p == NULL) {
		free(x2);
		p = strstr(s.xml, "</name>");
		assert_non_null(p);
		x2 = malloc(strlen(s.xml) + 64);
		sprintf(x2, "%.*s</name>\n  <description>edited</description>%s",
		        (int)(p - s.xml), s.xml, p + 7);
	}
	xmledit_change(&c, s.name, s.running, NULL, "/f.xml", s.xml, x2);
	d = virDomainLookupByName(conn, "test");
	assert_int_equal(hw_change_apply(d, &c, NULL, &err), 0);
	hw_change_free(&c);
	now = virDomainGetXMLDesc(d, VIR_DOMAIN_XML_INACTIVE);
	assert_non_null(strstr(now, "<description>edited</description>"));
	free(now);
	/* Malformed XML: refused, the reason said. */
	xmledit_change(&c, s.name, s.running, NULL, "/f.xml", s.xml, "<domain type='test'><name>");
	assert_int_equal(hw_change_apply(d, &c, NULL, &err), -1);
	assert_non_null(strstr(err, "saving the configuration failed"));
	free(err);
	err = NULL;
	hw_change_free(&c);
	virDomainFree(d);
	free(x2);
	xmledit_src_free(&s);
	assert_int_equal(xmledit_src_read(conn, "nosuch", &s, &err), -1);
	assert_non_null(err);
	free(err);
	virConnectClose(conn);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_error_comment),
		cmocka_unit_test(test_differs),
		cmocka_unit_test(test_age),
		cmocka_unit_test(test_refusal),
		cmocka_unit_test(test_change),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_on_driver),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
