/* fuzz_resxml.c — libFuzzer target: a storage pool's or network's XML as a
 * host sends it (model/defs/poolxml.c, netxml.c, for export and plan). An
 * XML read without error describes a pool or network that passes its
 * check, whose XML vmtui writes and reads back as the same definition. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/resdef.h"
#include "model/defs/netxml.h"
#include "model/defs/poolxml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

static void
must(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "%s\n", what);
		abort();
	}
}

static void
pool_round_trip(const char *xml)
{
	struct pooldef p = { 0 }, q = { 0 };
	char *err = NULL, *made;

	if (poolxml_read(xml, &p, &err) == 0) {
		must(pooldef_check(&p) == NULL, "a pool read without error fails its check");
		made = poolxml_make(&p, &err);
		must(made != NULL, "a pool read without error cannot be written");
		must(poolxml_read(made, &q, &err) == 0, "a written pool cannot be read back");
		/* A path left out reads back as the type's default. */
		must(same(p.name, q.name) && same(p.type, q.type) &&
		     (p.path == NULL || same(p.path, q.path)) &&
		     same(p.source_host, q.source_host) && same(p.source_dir, q.source_dir) &&
		     same(p.source_device, q.source_device), "a pool reads back differently");
		free(made);
	}
	free(err);
	pooldef_free(&p);
	pooldef_free(&q);
}

static void
net_round_trip(const char *xml)
{
	struct netdef n = { 0 }, m = { 0 };
	char *err = NULL, *made;

	if (netxml_read(xml, &n, &err) == 0) {
		must(netdef_check(&n) == NULL, "a network read without error fails its check");
		made = netxml_make(&n, &err);
		must(made != NULL, "a network read without error cannot be written");
		must(netxml_read(made, &m, &err) == 0, "a written network cannot be read back");
		must(same(n.name, m.name) && same(n.forward, m.forward) && same(n.cidr, m.cidr) &&
		     same(n.dhcp_start, m.dhcp_start) && n.nhosts == m.nhosts &&
		     n.dhcp == m.dhcp, "a network reads back differently");
		free(made);
	}
	free(err);
	netdef_free(&n);
	netdef_free(&m);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *xml = malloc(size + 1);

	memcpy(xml, data, size);
	xml[size] = '\0';
	pool_round_trip(xml);
	net_round_trip(xml);
	free(xml);
	return 0;
}
