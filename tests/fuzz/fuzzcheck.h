/* fuzzcheck.h — what every parser fuzzed here promises, checked after each
 * input: success means no errors; failure means at least one, and every
 * error names the file with a line and column ("fuzz.yaml:L:C: ..."). */
#ifndef VMTUI_FUZZCHECK_H
#define VMTUI_FUZZCHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"

#define FUZZ_FILE "fuzz.yaml"

static inline void
fuzz_check_errors(int rc, const struct config_errors *e)
{
	size_t i;

	if ((rc == 0) != (e->n == 0)) {
		fprintf(stderr, "parser returned %d with %zu errors\n", rc, e->n);
		abort();
	}
	for (i = 0; i < e->n; i++) {
		const char *m = e->v[i];
		unsigned line, col;
		int used = 0;
		if (m == NULL || strncmp(m, FUZZ_FILE ":", sizeof FUZZ_FILE) != 0 ||
		    sscanf(m + sizeof FUZZ_FILE, "%u:%u: %n", &line, &col, &used) != 2 ||
		    used == 0 || line == 0 || col == 0 || m[sizeof FUZZ_FILE + used] == '\0') {
			fprintf(stderr, "error without file:line:col and a message: \"%s\"\n",
			        m ? m : "(null)");
			abort();
		}
	}
}

#endif
