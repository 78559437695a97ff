/* test_actions.c — model/guest/actions.h for the actions beyond start and
 * stop: which guest states refuse them and why, which ask first, their
 * virsh lines, and the managed save round trip on libvirt's test driver. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "model/guest/actions.h"
#include "model/host/lvutil.h"

static void
test_refusals(void **state)
{
	(void)state;
	assert_null(action_refusal(ACT_RESET, VM_RUNNING, false, false));
	assert_null(action_refusal(ACT_RESET, VM_PAUSED, false, false));
	assert_string_equal(action_refusal(ACT_RESET, VM_SHUTOFF, false, false),
	                    "it is not running");
	assert_null(action_refusal(ACT_MANAGED_SAVE, VM_RUNNING, false, false));
	assert_non_null(strstr(action_refusal(ACT_MANAGED_SAVE, VM_SHUTOFF, false, false),
	                       "not running"));
	assert_null(action_refusal(ACT_SAVE_REMOVE, VM_SHUTOFF, false, true));
	assert_string_equal(action_refusal(ACT_SAVE_REMOVE, VM_SHUTOFF, false, false),
	                    "it has no saved state");
	assert_non_null(strstr(action_refusal(ACT_SAVE_REMOVE, VM_RUNNING, false, false),
	                       "running"));
	assert_null(action_refusal(ACT_SEND_CAD, VM_RUNNING, false, false));
	assert_non_null(strstr(action_refusal(ACT_SEND_CAD, VM_PAUSED, false, false), "paused"));
	assert_null(action_refusal(ACT_NMI, VM_RUNNING, false, false));
	assert_string_equal(action_refusal(ACT_NMI, VM_SHUTOFF, false, false), "it is not running");
	assert_null(action_refusal(ACT_WAKE, VM_PMSUSPENDED, false, false));
	assert_non_null(strstr(action_refusal(ACT_WAKE, VM_RUNNING, false, false), "pmsuspended"));
	assert_string_equal(action_refusal(ACT_WAKE, VM_SHUTOFF, false, false), "it is not running");
	/* Start restores a saved guest: not refused for it. */
	assert_null(action_refusal(ACT_START, VM_SHUTOFF, false, true));
}

static void
test_asks_and_virsh(void **state)
{
	char *v;

	(void)state;
	assert_true(action_loses_work(ACT_DESTROY));
	assert_true(action_loses_work(ACT_RESET));
	assert_true(action_loses_work(ACT_SAVE_REMOVE));
	assert_false(action_loses_work(ACT_MANAGED_SAVE));
	assert_false(action_loses_work(ACT_NMI));
	assert_false(action_loses_work(ACT_SEND_CAD));
	assert_false(action_loses_work(ACT_SHUTDOWN));
	v = action_virsh_line(ACT_SEND_CAD, "qemu:///system", "web 1");
	assert_string_equal(v, "virsh -c qemu:///system send-key 'web 1' KEY_LEFTCTRL KEY_LEFTALT "
	                       "KEY_DELETE");
	free(v);
	v = action_virsh_line(ACT_MANAGED_SAVE, NULL, "web1");
	assert_string_equal(v, "virsh managedsave web1");
	free(v);
	v = action_virsh_line(ACT_SAVE_REMOVE, NULL, "web1");
	assert_string_equal(v, "virsh managedsave-remove web1");
	free(v);
	v = action_virsh_line(ACT_WAKE, NULL, "web1");
	assert_string_equal(v, "virsh dompmwakeup web1");
	free(v);
	v = action_virsh_line(ACT_AUTOSTART_OFF, NULL, "web1");
	assert_string_equal(v, "virsh autostart --disable web1");
	free(v);
}

/* The test driver saves and restores in memory. */
static void
test_save_on_driver(void **state)
{
	virConnectPtr conn = lv_open("test:///default", false, NULL);
	virDomainPtr d;
	char uuid[VIR_UUID_STRING_BUFLEN], *err = NULL;

	(void)state;
	assert_non_null(conn);
	d = virDomainLookupByName(conn, "test");
	assert_non_null(d);
	assert_int_equal(virDomainGetUUIDString(d, uuid), 0);
	assert_int_equal(action_run(conn, uuid, ACT_MANAGED_SAVE, &err), 0);
	assert_int_equal(virDomainHasManagedSaveImage(d, 0), 1);
	assert_int_equal(virDomainIsActive(d), 0);
	assert_int_equal(action_run(conn, uuid, ACT_START, &err), 0);
	assert_int_equal(virDomainIsActive(d), 1);
	assert_int_equal(virDomainHasManagedSaveImage(d, 0), 0);
	assert_int_equal(action_run(conn, uuid, ACT_MANAGED_SAVE, &err), 0);
	assert_int_equal(action_run(conn, uuid, ACT_SAVE_REMOVE, &err), 0);
	assert_int_equal(virDomainHasManagedSaveImage(d, 0), 0);
	/* An action the driver cannot do says why. */
	assert_int_equal(action_run(conn, "00000000-0000-0000-0000-000000000000", ACT_NMI, &err), -1);
	assert_non_null(err);
	free(err);
	virDomainFree(d);
	virConnectClose(conn);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_asks_and_virsh),
		cmocka_unit_test(test_save_on_driver),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
