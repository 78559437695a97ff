/* test_snapcheck.c — model/defs/snapcheck.h: which snapshots libvirt cannot
 * revert to (memory state with vCPUs plugged in after boot), how a running
 * guest's hardware differs from its saved configuration, and the warning
 * that goes with a snapshot taken now. The XML is what libvirt 9.0 wrote
 * for a guest of 1 vCPU (maximum 2) resized live to 2, trimmed. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/base/xmalloc.h"
#include "model/defs/snapcheck.h"

/* ---- fixtures ---- */

#define BOOT_VCPUS "<vcpu placement='static'>2</vcpu>"
#define PLUGGED_VCPU1                                                                 \
	"<vcpu placement='static'>2</vcpu><vcpus>"                                    \
	"<vcpu id='0' enabled='yes' hotpluggable='no' order='1'/>"                    \
	"<vcpu id='1' enabled='yes' hotpluggable='yes' order='2'/></vcpus>"
#define DISK(t) "<disk type='file' device='disk'><target dev='" t "' bus='virtio'/></disk>"
#define NIC(m) "<interface type='ethernet'><mac address='" m "'/></interface>"

/* A <domain> named g with the given vCPU element and devices. */
static char *
domain(const char *vcpu, const char *mem, const char *cur, const char *devs)
{
	return xasprintf("<domain type='qemu'><name>g</name><memory unit='KiB'>%s</memory>"
	                 "<currentMemory unit='KiB'>%s</currentMemory>%s<devices>%s</devices>"
	                 "</domain>", mem, cur, vcpu, devs);
}

/* A <domainsnapshot> s1 of g; memory NULL: no <memory> element. */
static char *
snapshot(const char *state, const char *memory, const char *vcpu)
{
	char *dom = domain(vcpu, "131072", "98304", DISK("vda")), *x;

	x = xasprintf("<domainsnapshot><name>s1</name><state>%s</state>%s%s%s<disks>"
	              "<disk name='vda' snapshot='internal'/></disks>%s<inactiveDomain "
	              "type='qemu'><name>g</name>" BOOT_VCPUS "</inactiveDomain>"
	              "</domainsnapshot>", state, memory ? "<memory snapshot='" : "",
	              memory ? memory : "", memory ? "'/>" : "", dom);
	free(dom);
	return x;
}

static void
expect(char *got, const char *want)
{
	if (want == NULL)
		assert_null(got);
	else {
		assert_non_null(got);
		assert_string_equal(got, want);
	}
	free(got);
}

#define REFUSED                                                                       \
	"Cannot revert g to \"s1\": the snapshot holds its memory with vCPU 1 plugged in " \
	"after boot, and libvirt starts QEMU from that memory before it plugs the vCPUs "  \
	"in again, so QEMU would refuse the memory and leave g shut off. g stays as it "   \
	"is; snapshots taken after it was shut down and started again revert fine."

/* ---- revert ---- */

static void
revert_plugged_vcpu(void **state)
{
	char *x = snapshot("running", "internal", PLUGGED_VCPU1);

	(void)state;
	expect(snapcheck_revert(x), REFUSED);
	free(x);
	x = snapshot("paused", "internal", PLUGGED_VCPU1);
	expect(snapcheck_revert(x), REFUSED);
	free(x);
	/* Written before libvirt recorded <memory>: the state tells. */
	x = snapshot("running", NULL, PLUGGED_VCPU1);
	expect(snapcheck_revert(x), REFUSED);
	free(x);
}

static void
revert_plugged_vcpus_listed(void **state)
{
	char *x = snapshot("running", "internal",
	                   "<vcpu placement='static'>4</vcpu><vcpus>"
	                   "<vcpu id='0' enabled='yes' hotpluggable='no'/>"
	                   "<vcpu id='1' enabled='yes' hotpluggable='yes'/>"
	                   "<vcpu id='2' enabled='no' hotpluggable='yes'/>"
	                   "<vcpu id='3' enabled='yes' hotpluggable='yes'/></vcpus>");
	char *why;

	(void)state;
	why = snapcheck_revert(x);
	assert_non_null(why);
	assert_non_null(strstr(why, "with vCPUs 1 and 3 plugged in after boot"));
	free(why);
	free(x);
}

static void
revert_allowed(void **state)
{
	char *x;

	(void)state;
	/* Boot vCPUs only: what a guest started with 2 vCPUs has. */
	x = snapshot("running", "internal", BOOT_VCPUS);
	expect(snapcheck_revert(x), NULL);
	free(x);
	/* A vCPU plugged in and out again is not there to load. */
	x = snapshot("running", "internal",
	             "<vcpu placement='static' current='1'>2</vcpu><vcpus>"
	             "<vcpu id='0' enabled='yes' hotpluggable='no'/>"
	             "<vcpu id='1' enabled='no' hotpluggable='yes'/></vcpus>");
	expect(snapcheck_revert(x), NULL);
	free(x);
	/* Disks only: libvirt reverts them with qemu-img, no QEMU to start. */
	x = snapshot("shutoff", "no", PLUGGED_VCPU1);
	expect(snapcheck_revert(x), NULL);
	free(x);
	x = snapshot("shutoff", NULL, PLUGGED_VCPU1);
	expect(snapcheck_revert(x), NULL);
	free(x);
	expect(snapcheck_revert("not xml"), NULL);
	expect(snapcheck_revert("<domain/>"), NULL);
}

/* ---- drift ---- */

static void
drift_plugged_vcpu(void **state)
{
	char *live = domain(PLUGGED_VCPU1, "131072", "98304", DISK("vda"));
	char *cfg = domain(BOOT_VCPUS, "131072", "98304", DISK("vda"));

	(void)state;
	/* The live resize's default: running guest and configuration, both 2. */
	expect(snapcheck_drift(live, cfg), "vCPU 1 plugged in after boot");
	free(cfg);
	/* --live only: the configuration keeps 1 of 2. */
	cfg = domain("<vcpu placement='static' current='1'>2</vcpu>", "131072", "98304",
	             DISK("vda"));
	expect(snapcheck_drift(live, cfg),
	       "vCPU 1 plugged in after boot; vCPUs 2 running, 1 at next boot");
	free(live);
	free(cfg);
}

static void
drift_hardware(void **state)
{
	char *live = domain("<vcpu placement='static' current='1'>2</vcpu>", "131072", "81920",
	                    DISK("vda") DISK("vdb") NIC("52:54:00:00:00:01")
	                    "<hostdev mode='subsystem' type='usb'/>");
	char *cfg = domain("<vcpu placement='static'>4</vcpu>", "262144", "98304",
	                   DISK("vda") NIC("52:54:00:00:00:02") "<memory model='dimm'/>");

	(void)state;
	expect(snapcheck_drift(live, cfg),
	       "vCPUs 1 running, 4 at next boot; maximum vCPUs 2 running, 4 at next boot; "
	       "maximum memory 128M running, 256M at next boot; disk vdb only in the running "
	       "guest; interface 52:54:00:00:00:01 only in the running guest; interface "
	       "52:54:00:00:00:02 only in the saved configuration; memory modules 0 running, "
	       "1 at next boot; host devices 1 running, 0 at next boot");
	free(live);
	free(cfg);
}

static void
drift_none(void **state)
{
	char *live = domain(BOOT_VCPUS, "131072", "81920", DISK("vda") NIC("52:54:00:00:00:01"));
	char *cfg = domain(BOOT_VCPUS, "131072", "98304", DISK("vda") NIC("52:54:00:00:00:01"));

	(void)state;
	/* The balloon's memory is the guest's state, not its hardware. */
	expect(snapcheck_drift(live, cfg), NULL);
	expect(snapcheck_drift(live, live), NULL);
	expect(snapcheck_drift(live, "not xml"), NULL);
	expect(snapcheck_drift(NULL, cfg), NULL);
	free(live);
	free(cfg);
}

/* ---- the warning at create ---- */

static void
warning_plugged(void **state)
{
	char *live = domain(PLUGGED_VCPU1, "131072", "98304", DISK("vda"));
	char *cfg = domain(BOOT_VCPUS, "131072", "98304", DISK("vda"));

	(void)state;
	expect(snapcheck_create_warning(live, cfg, "g"),
	       "g runs with vCPU 1 plugged in after boot, and libvirt cannot revert to a "
	       "snapshot of its memory taken now: it starts QEMU from that memory before it "
	       "plugs the vCPUs in again, and QEMU refuses the memory. vmtui will refuse to "
	       "revert to this snapshot. For one that reverts, shut it down and start it again "
	       "(it then boots with all its vCPUs) and take a new snapshot.");
	/* The configuration itself plugs vCPU 1 in after boot. */
	expect(snapcheck_create_warning(live, live, "g"),
	       "g runs with vCPU 1 plugged in after boot, and libvirt cannot revert to a "
	       "snapshot of its memory taken now: it starts QEMU from that memory before it "
	       "plugs the vCPUs in again, and QEMU refuses the memory. vmtui will refuse to "
	       "revert to this snapshot. Its saved configuration plugs vCPUs in after boot "
	       "too: make them boot vCPUs (hotpluggable='no' under <vcpus> in virsh edit), "
	       "shut it down and start it again, then take a new snapshot.");
	free(live);
	free(cfg);
}

static void
warning_drift(void **state)
{
	char *live = domain("<vcpu placement='static' current='1'>2</vcpu>", "131072", "98304",
	                    DISK("vda"));
	char *cfg = domain(BOOT_VCPUS, "131072", "98304", DISK("vda"));

	(void)state;
	expect(snapcheck_create_warning(live, cfg, "g"),
	       "The running hardware of g differs from its saved configuration (vCPUs 1 "
	       "running, 2 at next boot): the snapshot holds the running hardware, and a "
	       "revert brings that back until g is shut down.");
	expect(snapcheck_create_warning(cfg, cfg, "g"), NULL);
	expect(snapcheck_create_warning("not xml", cfg, "g"), NULL);
	free(live);
	free(cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(revert_plugged_vcpu),
		cmocka_unit_test(revert_plugged_vcpus_listed),
		cmocka_unit_test(revert_allowed),
		cmocka_unit_test(drift_plugged_vcpu),
		cmocka_unit_test(drift_hardware),
		cmocka_unit_test(drift_none),
		cmocka_unit_test(warning_plugged),
		cmocka_unit_test(warning_drift),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
