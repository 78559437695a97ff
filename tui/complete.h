/* complete.h — Tab completion of file paths in prompts. Pure apart from
 * reading directories. */
#ifndef VMTUI_COMPLETE_H
#define VMTUI_COMPLETE_H

#include <stddef.h>

struct completion {
	char *line;      /* input extended by the longest common completion */
	char **matches;  /* names (not paths) that matched, sorted; dirs end in / */
	size_t n;
};

/* Complete the last path in `input` ("~/" means $HOME). Returns the number
 * of matches (0: nothing matched, out->line is a copy of input). */
size_t complete_path(const char *input, struct completion *out);
void completion_free(struct completion *c);

#endif
