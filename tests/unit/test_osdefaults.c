/* test_osdefaults.c — model/defs/osdefaults.h against the real libosinfo
 * database (Debian's osinfo-db): the defaults of a Linux and a Windows
 * release, the closest names for an unknown one, and a definition's
 * left-out keys filled in while the keys it gives stay. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/vmdef.h"
#include "model/defs/osdefaults.h"

/* Under ASan+UBSan: whole stacks for allocations, so that libosinfo's
 * own loader leak is matched by its frame in tests/lsan.supp (glib is
 * built without frame pointers, and the fast unwinder stops in it). */
const char *__asan_default_options(void);
const char *
__asan_default_options(void)
{
	return "fast_unwind_on_malloc=0";
}

#define MiB (1024ull * 1024)
#define GiB (1024 * MiB)

static void
parse_ok(struct vmdef_file *f, const char *text)
{
	struct config_errors e = { 0 };

	memset(f, 0, sizeof *f);
	if (vmdef_parse(f, "t.yaml", NULL, text, strlen(text), &e) != 0)
		fail_msg("unexpected error: %s", e.n ? e.v[0] : "(none)");
	config_errors_free(&e);
}

/* Debian 11: recommended 1G and 20G, virtio everything, BIOS. */
static void
test_lookup_debian(void **state)
{
	struct osdefaults d;
	char *err = NULL;

	(void)state;
	if (osdefaults_lookup("debian11", NULL, &d, &err) != 0)
		fail_msg("%s", err);
	assert_string_equal(d.name, "Debian 11");
	assert_int_equal(d.memory, 1 * GiB);
	assert_int_equal(d.disk_size, 20 * GiB);
	assert_int_equal(d.vcpus, 1);
	assert_string_equal(d.disk_bus, "virtio");
	assert_string_equal(d.nic_model, "virtio");
	assert_false(d.efi);
	assert_false(d.tpm);
	osdefaults_free(&d);
	/* Another short id of the same release. */
	assert_int_equal(osdefaults_lookup("debianbullseye", NULL, &d, &err), 0);
	assert_string_equal(d.name, "Debian 11");
	osdefaults_free(&d);
}

/* Windows 11: no BIOS, so UEFI with Secure Boot and a TPM; 4G, 64G, two
 * CPUs; no virtio drivers in the box: SATA and e1000e. */
static void
test_lookup_win11(void **state)
{
	struct osdefaults d;
	char *err = NULL;

	(void)state;
	if (osdefaults_lookup("win11", "x86_64", &d, &err) != 0)
		fail_msg("%s", err);
	assert_string_equal(d.name, "Microsoft Windows 11");
	assert_int_equal(d.memory, 4 * GiB);
	assert_int_equal(d.disk_size, 64 * GiB);
	assert_int_equal(d.vcpus, 2);
	assert_string_equal(d.disk_bus, "sata");
	assert_string_equal(d.nic_model, "e1000e");
	assert_true(d.efi);
	assert_true(d.secure_boot);
	assert_true(d.tpm);
	osdefaults_free(&d);
	/* Windows 10 still boots with BIOS. */
	assert_int_equal(osdefaults_lookup("win10", NULL, &d, &err), 0);
	assert_false(d.efi);
	assert_false(d.tpm);
	osdefaults_free(&d);
}

static void
test_lookup_unknown(void **state)
{
	struct osdefaults d;
	char *err = NULL;

	(void)state;
	assert_int_equal(osdefaults_lookup("debian99", NULL, &d, &err), -1);
	assert_non_null(strstr(err, "os: \"debian99\" is not in libosinfo's database (did you "
	                            "mean debian9, "));
	assert_non_null(strstr(err, "os: generic takes no defaults"));
	free(err);
	assert_int_equal(osdefaults_lookup("fedora-37", NULL, &d, &err), -1);
	assert_non_null(strstr(err, "(did you mean fedora37"));
	free(err);
}

/* What the definition gives stays; what it leaves out comes from os:. */
static void
test_fill(void **state)
{
	struct vmdef_file f;
	struct config_errors e = { 0 };
	const struct vmdef *w, *d, *g;
	char *what;

	(void)state;
	parse_ok(&f, "- name: w\n  os: win11\n  iso: /srv/win11.iso\n"
	             "- name: d\n  os: debian11\n  memory: 3G\n  firmware: efi\n"
	             "  networks: [{network: default, model: rtl8139}]\n"
	             "- name: g\n  os: generic\n");
	assert_int_equal(osdefaults_fill(&f, &e), 0);
	w = &f.vms[0];
	assert_int_equal(w->memory, 4 * GiB);
	assert_int_equal(w->vcpus, 2);
	assert_int_equal(w->ndisks, 1);
	assert_int_equal(w->disks[0].size, 64 * GiB);
	assert_string_equal(w->disks[0].bus, "sata");
	assert_string_equal(w->disks[0].pool, "default");
	assert_string_equal(w->nets[0].model, "e1000e");
	assert_int_equal(w->firmware, VMDEF_FW_EFI);
	assert_true(w->secure_boot);
	assert_int_equal(w->tpm, VMDEF_TPM_CRB);
	assert_null(vmdef_check(w));
	what = osdefaults_describe(w);
	assert_string_equal(what, "memory 4096M, 2 vCPUs, a disk of 64G, disk bus sata, "
	                          "NIC model e1000e, firmware efi, Secure Boot, TPM 2.0");
	free(what);
	d = &f.vms[1];
	assert_int_equal(d->memory, 3 * GiB);           /* given */
	assert_int_equal(d->firmware, VMDEF_FW_EFI);    /* given */
	assert_string_equal(d->nets[0].model, "rtl8139"); /* given */
	assert_int_equal(d->disks[0].size, 20 * GiB);
	assert_string_equal(d->disks[0].bus, "virtio");
	what = osdefaults_describe(d);
	assert_string_equal(what, "a disk of 20G");
	free(what);
	g = &f.vms[2];
	assert_int_equal(g->ndisks, 0);
	assert_int_equal(g->from_os, 0);
	assert_null(osdefaults_describe(g));
	vmdef_file_free(&f);
}

/* An unknown os: is an error at its line and column. */
static void
test_fill_unknown(void **state)
{
	struct vmdef_file f;
	struct config_errors e = { 0 };

	(void)state;
	parse_ok(&f, "name: x\nos: debian12\n");
	assert_int_equal(osdefaults_fill(&f, &e), 1);
	assert_int_equal(f.nerrors, 1);
	assert_non_null(strstr(e.v[0], "t.yaml:2:5: os: \"debian12\" is not in libosinfo's "
	                                "database (did you mean debian10, debian11"));
	/* Counted in the file: plan_make refuses it. */
	config_errors_free(&e);
	vmdef_file_free(&f);
}

/* examples/install.yaml says what it gets: checked. */
static void
test_example(void **state)
{
	struct vmdef_file f = { 0 };
	struct config_errors e = { 0 };
	const struct vmdef *w, *d;

	(void)state;
	if (vmdef_load(&f, EXAMPLES_DIR "/install.yaml", &e) != 0 || osdefaults_fill(&f, &e) != 0)
		fail_msg("%s", e.v[0]);
	assert_int_equal(f.nvms, 2);
	w = &f.vms[0];
	assert_int_equal(w->memory, 8 * GiB);
	assert_int_equal(w->vcpus, 2);
	assert_int_equal(w->disks[0].size, 64 * GiB);
	assert_string_equal(w->disks[0].bus, "sata");
	assert_string_equal(w->nets[0].model, "e1000e");
	assert_true(w->firmware == VMDEF_FW_EFI && w->secure_boot && w->tpm == VMDEF_TPM_CRB);
	assert_true(w->start);
	d = &f.vms[1];
	assert_int_equal(d->firmware, VMDEF_FW_EFI);
	assert_false(d->secure_boot);
	assert_int_equal(d->tpm, VMDEF_TPM_NONE);
	assert_int_equal(d->vcpus, 2);
	assert_int_equal(d->memory, 1 * GiB);
	assert_int_equal(d->disks[0].size, 30 * GiB);
	assert_string_equal(d->nets[0].model, "virtio");
	vmdef_file_free(&f);
	config_errors_free(&e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup_debian),
		cmocka_unit_test(test_lookup_win11),
		cmocka_unit_test(test_lookup_unknown),
		cmocka_unit_test(test_fill),
		cmocka_unit_test(test_fill_unknown),
		cmocka_unit_test(test_example),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
