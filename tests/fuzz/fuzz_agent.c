/* fuzz_agent.c — libFuzzer target: the typed parameters of
 * virDomainGetGuestInfo as a guest's agent may make libvirt give them
 * (model/guest/agent.c's agent_facts_from_params): each record of the
 * input is a type byte, a field name and a value. Whatever is read, every
 * filesystem and user index is within its count, percentages are
 * within 0..100 where used <= total, and the fullest is a filesystem. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/guest/agent.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
must(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "%s\n", what);
		abort();
	}
}

/* The next NUL- or end-terminated piece of the input, copied. */
static char *
piece(const uint8_t **d, size_t *n)
{
	const uint8_t *z = memchr(*d, 0, *n);
	size_t len = z ? (size_t)(z - *d) : *n;
	char *s = malloc(len + 1);

	memcpy(s, *d, len);
	s[len] = '\0';
	*d += len + (z ? 1 : 0);
	*n -= len + (z ? 1 : 0);
	return s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	virTypedParameter p[64];
	char *strs[64];
	struct agent_facts *f;
	int n = 0, i, full;
	size_t k;

	memset(p, 0, sizeof p);
	while (size > 1 && n < 64) {
		uint8_t t = data[0];
		char *name, *val;
		data++;
		size--;
		name = piece(&data, &size);
		val = piece(&data, &size);
		snprintf(p[n].field, sizeof p[n].field, "%s", name);
		free(name);
		strs[n] = NULL;
		switch (t % 4) {
		case 0:
			p[n].type = VIR_TYPED_PARAM_STRING;
			p[n].value.s = strs[n] = val;
			val = NULL;
			break;
		case 1:
			p[n].type = VIR_TYPED_PARAM_ULLONG;
			p[n].value.ul = strtoull(val, NULL, 10);
			break;
		case 2:
			p[n].type = VIR_TYPED_PARAM_INT;
			p[n].value.i = atoi(val);
			break;
		default:
			p[n].type = VIR_TYPED_PARAM_UINT;
			p[n].value.ui = (unsigned)strtoul(val, NULL, 10);
			break;
		}
		free(val);
		n++;
	}
	f = agent_facts_from_params(p, n);
	must(f->nfs <= 4096 && f->nusers <= 4096, "a count beyond the cap");
	for (k = 0; k < f->nfs; k++) {
		double pct = agent_fs_pct(&f->fs[k]);
		if (f->fs[k].have_size && f->fs[k].used <= f->fs[k].total && f->fs[k].total > 0)
			must(pct >= 0 && pct <= 100, "a percentage out of 0..100");
	}
	full = agent_fs_fullest(f);
	must(full < (int)f->nfs, "the fullest is no filesystem");
	agent_facts_unref(f);
	for (i = 0; i < n; i++)
		free(strs[i]);
	return 0;
}
