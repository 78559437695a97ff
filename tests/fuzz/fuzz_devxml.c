/* fuzz_devxml.c — libFuzzer target: a domain's XML as a host sends it, read
 * into its devices (model/defs/devxml.c, the hardware view and `vmtui hw`).
 * Every device read has a key that finds it again and an element that
 * parses; removing a device and adding its element back gives a domain
 * with the same devices; replacing one by itself changes nothing. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/defs/devxml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
must(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "%s\n", what);
		abort();
	}
}

/* The device of key removed and its element added back. */
static void
round_trip(const char *xml, const struct dev_list *l, size_t i)
{
	char *err = NULL, *rm, *back, *same;
	struct dev_list m;

	rm = devxml_dom_remove(xml, l->v[i].key, &err);
	must(rm != NULL, "a device read cannot be removed");
	back = devxml_dom_add(rm, l->v[i].xml, &err);
	must(back != NULL, "a device's element cannot be added back");
	must(devxml_parse(back, &m, &err) == 0, "a domain with a device added back is unreadable");
	must(m.n == l->n, "a device added back changes the number of devices");
	dev_list_free(&m);
	same = devxml_dom_replace(xml, l->v[i].key, l->v[i].xml, &err);
	must(same != NULL, "a device cannot be replaced by itself");
	must(devxml_parse(same, &m, &err) == 0, "a domain with a device replaced is unreadable");
	must(m.n == l->n && strcmp(m.v[i].summary, l->v[i].summary) == 0,
	     "a device replaced by itself reads back differently");
	dev_list_free(&m);
	free(rm);
	free(back);
	free(same);
	free(err);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *xml = malloc(size + 1), *err = NULL, *t;
	struct dev_list l;
	size_t i;

	memcpy(xml, data, size);
	xml[size] = '\0';
	if (devxml_parse(xml, &l, &err) == 0) {
		for (i = 0; i < l.n; i++) {
			must(dev_list_find(&l, l.v[i].key) == &l.v[i], "a key finds another device");
			must(l.v[i].summary != NULL && l.v[i].xml != NULL, "a device lacks its text");
			if (i < 4)
				round_trip(xml, &l, i);
		}
		t = devxml_next_target(&l, NULL, "virtio");
		must(t == NULL || dev_list_lookup(&l, t) == NULL || dev_list_lookup(&l, t)->target == NULL,
		     "the next free target is taken");
		free(t);
		dev_list_free(&l);
	}
	free(err);
	free(xml);
	return 0;
}
