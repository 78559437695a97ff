/* complete.c — file name completion for the "open" prompt. */
#include "complete.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../model/base/xmalloc.h"

#define COMPLETE_MAX 1000 /* a huge directory is not worth listing */

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Directory to read for `input`, with ~ expanded; prefix is what follows
 * the last slash. */
static char *
dir_of(const char *input, const char **prefix)
{
	const char *slash = strrchr(input, '/'), *home = getenv("HOME");
	char *dir;

	*prefix = slash ? slash + 1 : input;
	if (slash == NULL)
		return xstrdup(".");
	dir = xstrndup(input, (size_t)(slash - input) + 1);
	if (dir[0] == '~' && dir[1] == '/' && home) {
		char *e = xasprintf("%s%s", home, dir + 1);
		free(dir);
		dir = e;
	}
	return dir;
}


static int
is_dir(const char *dir, const char *name)
{
	struct stat st;
	char *p = xasprintf("%s/%s", dir, name);
	int r = stat(p, &st) == 0 && S_ISDIR(st.st_mode);

	free(p);
	return r;
}

/* Length of the common start of all matches. */
static size_t
common_len(char **m, size_t n)
{
	size_t len = strlen(m[0]), i, j;

	for (i = 1; i < n; i++) {
		for (j = 0; j < len && m[i][j] == m[0][j]; j++)
			;
		len = j;
	}
	return len;
}

size_t
complete_path(const char *input, struct completion *out)
{
	const char *prefix;
	char *dir = dir_of(input, &prefix);
	size_t plen = strlen(prefix), cap = 0, base;
	struct dirent *de;
	DIR *d;

	memset(out, 0, sizeof *out);
	d = opendir(dir);
	while (d != NULL && (de = readdir(d)) != NULL && out->n < COMPLETE_MAX) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (de->d_name[0] == '.' && prefix[0] != '.')
			continue; /* hidden files only when asked for */
		if (strncmp(de->d_name, prefix, plen) != 0)
			continue;
		if (out->n == cap) {
			cap = cap ? cap * 2 : 16;
			out->matches = xreallocarray(out->matches, cap, sizeof *out->matches);
		}
		out->matches[out->n++] = is_dir(dir, de->d_name) ?
			xasprintf("%s/", de->d_name) : xstrdup(de->d_name);
	}
	if (d != NULL)
		closedir(d);
	free(dir);
	if (out->n == 0) {
		out->line = xstrdup(input);
		return 0;
	}
	qsort(out->matches, out->n, sizeof *out->matches, cmp_str);
	base = (size_t)(prefix - input);
	out->line = xasprintf("%.*s%.*s", (int)base, input,
	                      (int)common_len(out->matches, out->n), out->matches[0]);
	return out->n;
}

void
completion_free(struct completion *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->matches[i]);
	free(c->matches);
	free(c->line);
	memset(c, 0, sizeof *c);
}
