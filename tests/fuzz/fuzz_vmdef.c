/* fuzz_vmdef.c — libFuzzer target: VM definition files (config/vmdef.c).
 * Beyond fuzzcheck.h: the file counts its errors, and a parse without
 * errors gives only VMs that vmdef_check finds complete, and pools and
 * networks that pooldef_check and netdef_check pass. */
#include <stddef.h>
#include <stdint.h>

#include "config/resdef.h"
#include "config/vmdef.h"
#include "fuzzcheck.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Errors counted in the file as in the list; none: every VM complete. */
static void
check_complete(const struct vmdef_file *f, const struct config_errors *e)
{
	const char *why;
	size_t i;

	if (f->nerrors != e->n) {
		fprintf(stderr, "the file counts %zu errors, the list has %zu\n", f->nerrors, e->n);
		abort();
	}
	for (i = 0; e->n == 0 && i < f->nvms; i++)
		if ((why = vmdef_check(&f->vms[i])) != NULL) {
			fprintf(stderr, "VM %zu parsed without errors but %s\n", i + 1, why);
			abort();
		}
	for (i = 0; e->n == 0 && i < f->npools; i++)
		if ((why = pooldef_check(&f->pools[i])) != NULL) {
			fprintf(stderr, "pool %zu parsed without errors but %s\n", i + 1, why);
			abort();
		}
	for (i = 0; e->n == 0 && i < f->nnets; i++)
		if ((why = netdef_check(&f->nets[i])) != NULL) {
			fprintf(stderr, "network %zu parsed without errors but %s\n", i + 1, why);
			abort();
		}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vmdef_file f;
	struct config_errors e = { 0 };
	int rc;

	memset(&f, 0, sizeof f);
	/* Relative user_data_file names resolve in a folder that is not there. */
	rc = vmdef_parse(&f, FUZZ_FILE, "/nonexistent-vmtui-fuzz", (const char *)data, size, &e);
	fuzz_check_errors(rc, &e);
	check_complete(&f, &e);
	vmdef_file_free(&f);
	config_errors_free(&e);
	return 0;
}
