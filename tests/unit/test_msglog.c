/* test_msglog.c — model/base/msglog.h: the action log's records and the virsh
 * command lines it shows (quoted for a POSIX shell). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "model/base/msglog.h"
#include "model/guest/resize.h"

static void
check_virsh(const char *want, char *got)
{
	assert_string_equal(got, want);
	free(got);
}

static void
test_virsh_plain_words(void **state)
{
	(void)state;
	check_virsh("virsh -c qemu:///system start web-1",
	            msglog_virsh("qemu:///system", "start", "web-1", NULL));
	check_virsh("virsh -c qemu+ssh://root@10.0.0.2:2222/system suspend db.prod",
	            msglog_virsh("qemu+ssh://root@10.0.0.2:2222/system", "suspend", "db.prod",
	                         NULL));
	/* No URI: libvirt's default, as vmtui used it. */
	check_virsh("virsh destroy a_b", msglog_virsh(NULL, "destroy", "a_b", NULL));
}

static void
test_virsh_quotes_what_a_shell_would_read(void **state)
{
	(void)state;
	check_virsh("virsh snapshot-create-as vm 'two words' '$HOME & <x>'",
	            msglog_virsh(NULL, "snapshot-create-as", "vm", "two words", "$HOME & <x>",
	                         NULL));
	/* A single quote ends the quoting, is escaped, and quoting starts again. */
	check_virsh("virsh desc vm 'it'\\''s'", msglog_virsh(NULL, "desc", "vm", "it's", NULL));
	check_virsh("virsh desc vm ''", msglog_virsh(NULL, "desc", "vm", "", NULL));
	check_virsh("virsh desc vm 'a;b' 'c|d' '`e`' 'f*' '~g'",
	            msglog_virsh(NULL, "desc", "vm", "a;b", "c|d", "`e`", "f*", "~g", NULL));
	check_virsh("virsh desc vm 'line\nbreak'",
	            msglog_virsh(NULL, "desc", "vm", "line\nbreak", NULL));
}

static void
test_action_records(void **state)
{
	struct msg m;
	uint64_t before = msglog_seq();

	(void)state;
	msglog_action("virsh start web", NULL, "%s: %s", "web", "start");
	assert_int_equal(msglog_seq(), before + 1);
	assert_true(msglog_get(0, &m));
	assert_int_equal(m.kind, MSG_INFO);
	assert_string_equal(m.text, "web: start: done");
	assert_string_equal(m.virsh, "virsh start web");
	msg_clear(&m);
	assert_null(m.text);

	msglog_action("virsh shutdown web", "domain is not running", "web: shutdown");
	assert_true(msglog_get(0, &m));
	assert_int_equal(m.kind, MSG_ERROR);
	assert_string_equal(m.text, "web: shutdown failed: domain is not running");
	msg_clear(&m);

	/* Plain messages carry no command; the older entry is one further back. */
	msglog_add(MSG_EVENT, "host: web %s", "started");
	assert_true(msglog_get(0, &m));
	assert_int_equal(m.kind, MSG_EVENT);
	assert_null(m.virsh);
	msg_clear(&m);
	assert_true(msglog_get(2, &m));
	assert_string_equal(m.text, "web: start: done");
	msg_clear(&m);
	/* The status line asks for the newest info or error only. */
	assert_true(msglog_latest(1u << MSG_ERROR, 0, &m));
	assert_string_equal(m.text, "web: shutdown failed: domain is not running");
	msg_clear(&m);
	msglog_free_all();
}

/* A shutdown or reboot libvirt accepted is only "requested": whether the
 * guest does it is told later. A refusal reads as any action's. */
static void
test_requested_records(void **state)
{
	struct msg m;

	(void)state;
	msglog_requested("virsh shutdown web", NULL, "%s: %s", "web", "shutdown");
	assert_true(msglog_get(0, &m));
	assert_int_equal(m.kind, MSG_INFO);
	assert_string_equal(m.text, "web: shutdown requested");
	assert_string_equal(m.virsh, "virsh shutdown web");
	msg_clear(&m);
	msglog_requested("virsh reboot web", "domain is not running", "web: reboot");
	assert_true(msglog_get(0, &m));
	assert_int_equal(m.kind, MSG_ERROR);
	assert_string_equal(m.text, "web: reboot failed: domain is not running");
	assert_string_equal(m.virsh, "virsh reboot web");
	msg_clear(&m);
	msglog_free_all();
}

static void
test_bounded(void **state)
{
	struct msg m;
	int i;

	(void)state;
	for (i = 0; i < 2500; i++)
		msglog_action("virsh x", NULL, "n%d", i);
	assert_int_equal(msglog_count(), 1000);
	assert_true(msglog_get(0, &m));
	assert_string_equal(m.text, "n2499: done");
	msg_clear(&m);
	assert_true(msglog_get(999, &m));
	assert_string_equal(m.text, "n1500: done");
	msg_clear(&m);
	assert_false(msglog_get(1000, &m));
	msglog_free_all();
	assert_int_equal(msglog_count(), 0);
}

static void
test_resize_equivalents(void **state)
{
	struct resize_op op = { 0 };

	(void)state;
	op.kind = RESIZE_VCPUS;
	op.value = 2;
	op.flags = VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG;
	check_virsh("virsh -c qemu:///system setvcpus web 2 --live --config",
	            resize_op_virsh(&op, "web", "qemu:///system"));
	op.max = true;
	op.flags = VIR_DOMAIN_AFFECT_CONFIG;
	check_virsh("virsh setvcpus web 2 --maximum --config", resize_op_virsh(&op, "web", NULL));
	op.kind = RESIZE_MEM;
	op.value = 196608;
	check_virsh("virsh setmaxmem web 196608KiB --config", resize_op_virsh(&op, "web", NULL));
	op.max = false;
	op.flags = VIR_DOMAIN_AFFECT_LIVE;
	check_virsh("virsh setmem web 196608KiB --live", resize_op_virsh(&op, "web", NULL));
	op.kind = RESIZE_DISK;
	op.value = 50331648;
	op.target = "vda";
	check_virsh("virsh blockresize web vda 50331648B", resize_op_virsh(&op, "web", NULL));
	op.flags = VIR_DOMAIN_AFFECT_CONFIG;
	op.path = "/var/lib/libvirt/images/web disk.qcow2";
	check_virsh("virsh vol-resize '/var/lib/libvirt/images/web disk.qcow2' 50331648B",
	            resize_op_virsh(&op, "web", NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_virsh_plain_words),
		cmocka_unit_test(test_virsh_quotes_what_a_shell_would_read),
		cmocka_unit_test(test_action_records),
		cmocka_unit_test(test_requested_records),
		cmocka_unit_test(test_bounded),
		cmocka_unit_test(test_resize_equivalents),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
