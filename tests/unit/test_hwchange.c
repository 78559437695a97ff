/* test_hwchange.c — model/guest/hwchange.h: a change's description (when,
 * diffs, virsh lines) and its steps applied on libvirt's test driver,
 * stopping at the first that fails and naming it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/guest/hwchange.h"
#include "model/host/lvutil.h"

static void
test_describe(void **state)
{
	struct hw_change c = { 0 };
	char *v;

	(void)state;
	c.when = HW_LIVE | HW_CONFIG;
	assert_string_equal(hw_when_text(c.when), "now and at the next boot");
	assert_string_equal(hw_when_text(HW_CONFIG), "at the next boot");
	assert_string_equal(hw_when_text(HW_LIVE), "now");
	hw_change_add(&c, HW_ATTACH, "<disk/>", VIR_DOMAIN_AFFECT_LIVE, NULL, NULL,
	              "virsh attach-device web1 disk.xml --live");
	hw_change_add(&c, HW_DEFINE, "<domain/>", 0, NULL, NULL, "virsh define web1.xml");
	v = hw_change_virsh(&c);
	assert_string_equal(v, "virsh attach-device web1 disk.xml --live\nvirsh define web1.xml\n");
	free(v);
	hw_change_diffs(&c, "a\n", "a\n", "a\n", "b\n");
	assert_null(c.diff_live);
	assert_non_null(c.diff_saved);
	assert_non_null(strstr(c.diff_saved, "--- saved (now)\n+++ saved (after)\n"));
	assert_non_null(strstr(c.diff_saved, "\n-a\n+b\n"));
	hw_change_free(&c);
	assert_int_equal(c.nsteps, 0);
}

static void
test_apply_stops_at_failure(void **state)
{
	virConnectPtr conn;
	virDomainPtr d;
	struct hw_change c = { 0 };
	char *xml, *err = NULL, *p;
	size_t done = 99;

	(void)state;
	conn = lv_open("test:///default", false, NULL);
	assert_non_null(conn);
	d = virDomainLookupByName(conn, "test");
	assert_non_null(d);
	xml = virDomainGetXMLDesc(d, VIR_DOMAIN_XML_INACTIVE);
	assert_non_null(xml);
	/* the saved XML with a new description: defined */
	p = strstr(xml, "</name>");
	assert_non_null(p);
	{
		size_t n = strlen(xml) + 64;
		char *nx = malloc(n);
		snprintf(nx, n, "%.*s</name>\n  <description>changed by hw</description>%s",
		         (int)(p - xml), xml, p + strlen("</name>"));
		hw_change_add(&c, HW_DEFINE, nx, 0, NULL, NULL, "virsh define test.xml");
		free(nx);
	}
	hw_change_add(&c, HW_VOL_DELETE, NULL, 0, "no-such-pool", "x", NULL);
	hw_change_add(&c, HW_DEFINE, "<domain", 0, NULL, NULL, NULL);
	assert_int_equal(hw_change_apply(d, &c, &done, &err), -1);
	assert_int_equal(done, 1);
	assert_non_null(err);
	assert_non_null(strstr(err, "step 2 of 3, deleting the volume, failed: "));
	free(err);
	free(xml);
	xml = virDomainGetXMLDesc(d, VIR_DOMAIN_XML_INACTIVE);
	assert_non_null(strstr(xml, "changed by hw"));
	free(xml);
	hw_change_free(&c);
	virDomainFree(d);
	virConnectClose(conn);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_describe),
		cmocka_unit_test(test_apply_stops_at_failure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
