/* fuzz_tagxml.c — libFuzzer target: the vmtui element of a guest's
 * <metadata> as a host returns it, and a whole domain's XML
 * (model/defs/tagxml.c). What reads without error keeps the rules (every
 * tag passes tag_check, the note note_check, tags sorted and unique), and
 * its element made again reads back as the same set. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/defs/tagxml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
must(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "%s\n", what);
		abort();
	}
}

static void
check_set(const struct tagset *ts)
{
	struct tagset back;
	char *err = NULL, *why, *xml;
	size_t i;

	must(ts->ntags <= TAGS_MAX, "too many tags read");
	for (i = 0; i < ts->ntags; i++) {
		why = tag_check(ts->tags[i]);
		must(why == NULL, "a tag read breaks the rules");
		must(i == 0 || strcmp(ts->tags[i - 1], ts->tags[i]) < 0, "tags not sorted");
	}
	if (ts->note) {
		why = note_check(ts->note);
		must(why == NULL, "a note read breaks the rules");
		must(ts->note[0] != '\0', "an empty note kept");
	}
	xml = tagxml_make(ts);
	must((xml == NULL) == tagset_empty(ts), "a set read cannot be written");
	if (xml == NULL)
		return;
	must(tagxml_parse(xml, &back, &err) == 0, "a written element cannot be read back");
	must(tagset_equal(ts, &back), "an element reads back differently");
	tagset_free(&back);
	free(xml);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *err = NULL;
	struct tagset ts;

	memcpy(s, data, size);
	s[size] = '\0';
	if (tagxml_parse(s, &ts, &err) == 0)
		check_set(&ts);
	tagset_free(&ts);
	free(err);
	err = NULL;
	if (tagxml_from_domain(s, &ts, &err) == 0)
		check_set(&ts);
	tagset_free(&ts);
	free(err);
	free(s);
	return 0;
}
