/* fuzz_migxml.c — libFuzzer target: a domain's XML as a host sends it, read
 * for the networks, bridges and disks a migration's pre-flight checks
 * (model/guest/migrate.c), then the plan of those facts in each mode, as
 * if every check passed and as if every one failed. Every disk read has a
 * path or a pool, every plan line its words, and a failed line its fix. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/guest/migrate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
must(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "%s\n", what);
		abort();
	}
}

/* The plan of f in mode m, each line checked. */
static void
plan_of(const struct mig_facts *f, enum mig_mode m, bool copy)
{
	struct mig_opts o = { .mode = m, .copy_storage = copy };
	struct mig_plan p;
	char *t;
	size_t i;

	mig_plan_build(f, &o, &p);
	must(p.mode != MIG_AUTO, "the plan left the mode unresolved");
	for (i = 0; i < p.n; i++) {
		must(p.v[i].what && p.v[i].detail, "a plan line lacks its words");
		must(p.v[i].level != MIG_FAIL || p.v[i].fix, "a failed line has no fix");
	}
	t = mig_plan_text(&p);
	must(t != NULL, "no plan text");
	free(t);
	mig_plan_clear(&p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *xml = malloc(size + 1);
	struct mig_facts f = { 0 };
	size_t i;
	int pass;

	memcpy(xml, data, size);
	xml[size] = '\0';
	if (mig_xml_refs(xml, &f) == 0) {
		for (i = 0; i < f.ndisks; i++)
			must(f.disks[i].path || f.disks[i].pool, "a disk with neither path nor pool");
		for (i = 0; i < f.nnets; i++)
			must(f.nets[i].name && *f.nets[i].name, "a network without a name");
		f.name = strdup("fuzz");
		for (pass = 0; pass < 2; pass++) {
			f.reachable = true;
			f.state = pass ? VIR_DOMAIN_SHUTOFF : VIR_DOMAIN_RUNNING;
			f.cpu_cmp = pass ? VIR_CPU_COMPARE_INCOMPATIBLE : VIR_CPU_COMPARE_IDENTICAL;
			f.name_taken = pass;
			f.need_kib = pass ? 1u << 30 : 1024;
			f.free_kib = 1u << 20;
			for (i = 0; i < f.nnets; i++)
				f.nets[i].exists = f.nets[i].active = !pass;
			for (i = 0; i < f.ndisks; i++)
				f.disks[i].pool_on_target = f.disks[i].pool_active = !pass;
			plan_of(&f, MIG_AUTO, pass);
			plan_of(&f, MIG_LIVE, !pass);
			plan_of(&f, MIG_OFFLINE, pass);
		}
	}
	mig_facts_clear(&f);
	free(xml);
	return 0;
}
