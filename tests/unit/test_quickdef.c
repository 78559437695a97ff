/* test_quickdef.c — the quick-create form's YAML reads back as typed. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "config/quickdef.h"
#include "config/vmdef.h"

static int
parse(const struct quickdef *q, struct vmdef_file *f, struct config_errors *e)
{
	char *y = quickdef_yaml(q);
	int rc = vmdef_parse(f, "form", NULL, y, strlen(y), e);

	free(y);
	return rc;
}

static void
test_round_trip(void **state)
{
	struct quickdef q = { "web-1", "2", "1536M", "10G", "base.qcow2", "images", "default", true };
	struct vmdef_file f = { 0 };
	struct config_errors e = { 0 };
	const struct vmdef *d;

	(void)state;
	assert_int_equal(parse(&q, &f, &e), 0);
	assert_int_equal(f.nvms, 1);
	d = &f.vms[0];
	assert_string_equal(d->name, "web-1");
	assert_int_equal(d->vcpus, 2);
	assert_true(d->memory == 1536ull << 20);
	assert_int_equal(d->ndisks, 1);
	assert_true(d->disks[0].size == 10ull << 30);
	assert_string_equal(d->disks[0].image, "base.qcow2");
	assert_string_equal(d->disks[0].pool, "images");
	assert_int_equal(d->nnets, 1);
	assert_int_equal(d->nets[0].kind, VMDEF_NET_NETWORK);
	assert_string_equal(d->nets[0].source, "default");
	assert_true(d->start);
	vmdef_file_free(&f);
	config_errors_free(&e);
}

static void
test_user_and_bridge_and_none(void **state)
{
	struct quickdef q = { "a", "1", "512M", "", "", "", "user", false };
	struct vmdef_file f = { 0 };
	struct config_errors e = { 0 };

	(void)state;
	assert_int_equal(parse(&q, &f, &e), 0);
	assert_int_equal(f.vms[0].ndisks, 0);
	assert_int_equal(f.vms[0].nets[0].kind, VMDEF_NET_USER);
	assert_false(f.vms[0].start);
	vmdef_file_free(&f);
	q.name = "b";
	q.network = "bridge:br0";
	assert_int_equal(parse(&q, &f, &e), 0);
	assert_int_equal(f.vms[0].nets[0].kind, VMDEF_NET_BRIDGE);
	assert_string_equal(f.vms[0].nets[0].source, "br0");
	vmdef_file_free(&f);
	q.name = "c";
	q.network = "";
	assert_int_equal(parse(&q, &f, &e), 0);
	assert_int_equal(f.vms[0].nnets, 0);
	vmdef_file_free(&f);
	config_errors_free(&e);
}

/* Whatever is typed stays well-formed YAML; the parser then names the
 * field that is wrong. */
static void
test_bad_answers_get_field_errors(void **state)
{
	struct quickdef q = { "x\"y: #z", "two", "lots", "10G", "", "", "default", false };
	struct vmdef_file f = { 0 };
	struct config_errors e = { 0 };
	size_t i;
	bool name = false, vcpus = false, memory = false;

	(void)state;
	assert_int_equal(parse(&q, &f, &e), -1);
	for (i = 0; i < e.n; i++) {
		name |= strstr(e.v[i], "name:") != NULL;
		vcpus |= strstr(e.v[i], "vcpus") != NULL;
		memory |= strstr(e.v[i], "memory") != NULL;
	}
	assert_true(name && vcpus && memory);
	vmdef_file_free(&f);
	config_errors_free(&e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_user_and_bridge_and_none),
		cmocka_unit_test(test_bad_answers_get_field_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
