/* marks.c — the marked guests: a sorted array of UUIDs (a few thousand at
 * most, looked up by binary search), and the selections of the `;` menu. */
#include "marks.h"

#include <fnmatch.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../base/xmalloc.h"
#include "../stats/vm.h"

struct marks {
	char (*uuids)[VM_UUID_LEN];
	size_t n, cap;
};

struct marks *
marks_new(void)
{
	return xcalloc(1, sizeof(struct marks));
}

void
marks_free(struct marks *m)
{
	if (m == NULL)
		return;
	free(m->uuids);
	free(m);
}

/* Where uuid is, or would go; *found says which. */
static size_t
find(const struct marks *m, const char *uuid, bool *found)
{
	size_t lo = 0, hi = m->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(m->uuids[mid], uuid);
		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

bool
marks_has(const struct marks *m, const char *uuid)
{
	bool found;

	if (m == NULL || m->n == 0)
		return false;
	find(m, uuid, &found);
	return found;
}

bool
marks_set(struct marks *m, const char *uuid, bool on)
{
	bool found;
	size_t at = find(m, uuid, &found);

	if (found == on)
		return false;
	if (!on) {
		memmove(m->uuids + at, m->uuids + at + 1, (m->n - at - 1) * sizeof *m->uuids);
		m->n--;
		return true;
	}
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 16;
		m->uuids = xreallocarray(m->uuids, m->cap, sizeof *m->uuids);
	}
	memmove(m->uuids + at + 1, m->uuids + at, (m->n - at) * sizeof *m->uuids);
	snprintf(m->uuids[at], VM_UUID_LEN, "%s", uuid);
	m->n++;
	return true;
}

bool
marks_toggle(struct marks *m, const char *uuid)
{
	bool on = !marks_has(m, uuid);

	marks_set(m, uuid, on);
	return on;
}

void
marks_clear(struct marks *m)
{
	m->n = 0;
}

size_t
marks_count(const struct marks *m)
{
	return m ? m->n : 0;
}

const char *
marks_uuid(const struct marks *m, size_t i)
{
	return i < m->n ? m->uuids[i] : NULL;
}

/* Does any state's name start with text (ignoring case)? */
static bool
state_known(const char *text)
{
	int s;

	for (s = 0; s < VM_STATE_COUNT; s++)
		if (strncasecmp(vm_state_name((enum vm_state)s), text, strlen(text)) == 0)
			return true;
	return false;
}

long
marks_select(struct marks *m, const struct row *rows, size_t n, const struct mark_sel *sel,
             char **err)
{
	regex_t re;
	long added = 0;
	size_t i;

	*err = NULL;
	if (sel->by != MARK_ALL && (sel->text == NULL || sel->text[0] == '\0')) {
		*err = xstrdup("Type a pattern to mark by.");
		return -1;
	}
	if (sel->by == MARK_REGEX) {
		int rc = regcomp(&re, sel->text, REG_EXTENDED | REG_ICASE | REG_NOSUB);
		if (rc != 0) {
			char why[160];
			regerror(rc, &re, why, sizeof why);
			*err = xasprintf("\"%s\" is not a regular expression: %s.", sel->text, why);
			return -1;
		}
	}
	if (sel->by == MARK_STATE && !state_known(sel->text)) {
		*err = xasprintf("No state starts with \"%s\" (running, paused, shut off, ...).",
		                 sel->text);
		return -1;
	}
	for (i = 0; i < n; i++) {
		const struct vm *vm = rows[i].vm;
		bool pick = false;

		if (vm == NULL)
			continue;
		switch (sel->by) {
		case MARK_ALL:
			pick = true;
			break;
		case MARK_GLOB:
			pick = fnmatch(sel->text, vm->name, 0) == 0;
			break;
		case MARK_REGEX:
			pick = regexec(&re, vm->name, 0, NULL, 0) == 0;
			break;
		case MARK_TAG:
			pick = vm_has_tag(vm, sel->text);
			break;
		case MARK_HOST:
			pick = rows[i].host && fnmatch(sel->text, host_label(rows[i].host), 0) == 0;
			break;
		case MARK_STATE:
			pick = strncasecmp(vm_state_name(vm->state), sel->text, strlen(sel->text)) == 0;
			break;
		}
		if (pick && marks_set(m, vm->uuid, true))
			added++;
	}
	if (sel->by == MARK_REGEX)
		regfree(&re);
	return added;
}

size_t
marks_invert(struct marks *m, const struct row *rows, size_t n)
{
	struct marks *done = marks_new(); /* the same guest twice flips once */
	size_t i, on = 0;

	for (i = 0; i < n; i++) {
		if (rows[i].vm == NULL || !marks_set(done, rows[i].vm->uuid, true))
			continue;
		if (marks_toggle(m, rows[i].vm->uuid))
			on++;
	}
	marks_free(done);
	return on;
}

void
marks_tally(const struct marks *m, const struct row *rows, size_t n, size_t *guests,
            size_t *hosts)
{
	const struct host *last = NULL;
	const struct host **seen = NULL;
	size_t i, j, nseen = 0;

	*guests = *hosts = 0;
	if (marks_count(m) == 0)
		return;
	for (i = 0; i < n; i++) {
		if (rows[i].vm == NULL || !marks_has(m, rows[i].vm->uuid))
			continue;
		(*guests)++;
		if (rows[i].host == last)
			continue;
		last = rows[i].host;
		for (j = 0; j < nseen && seen[j] != last; j++)
			;
		if (j == nseen) {
			seen = xreallocarray(seen, nseen + 1, sizeof *seen);
			seen[nseen++] = last;
		}
	}
	free(seen);
	*hosts = nseen;
}

const char *
marks_describe(size_t guests, size_t hosts, char *buf, size_t len)
{
	if (guests == 0)
		snprintf(buf, len, "%s", "");
	else if (hosts <= 1)
		snprintf(buf, len, "%zu marked", guests);
	else
		snprintf(buf, len, "%zu marked on %zu hosts", guests, hosts);
	return buf;
}
