/* fuzz_netinfo.c — libFuzzer target: a network's XML as a host sends it,
 * read for the networks and leases views and the detail view
 * (model/net/network.c's net_xml_parse, model/defs/domxml.c's
 * domxml_net_pinned). Whatever is read, every pin is found again by its
 * MAC, the pin check answers for it, and matching leases against the
 * pins gives one row per pinned MAC. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/defs/domxml.h"
#include "model/net/network.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
must(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "%s\n", what);
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct net_leases l = { 0 };
	char *xml = malloc(size + 1), *why, *ip, fwd[64];
	size_t i;

	memcpy(xml, data, size);
	xml[size] = '\0';
	if (net_xml_parse(xml, &l.info) == 0) {
		l.info.name = strdup("fuzz");
		must(l.info.forward != NULL, "a network read without a forward mode");
		net_forward_label(&l.info, fwd, sizeof fwd);
		for (i = 0; i < l.info.npins; i++) {
			const struct net_pin *p = &l.info.pins[i];
			if (p->mac == NULL)
				continue;
			must(net_pin_of(&l.info, p->mac) != NULL, "a pin not found by its MAC");
			why = net_pin_check(&l.info, p->mac, p->ip ? p->ip : "192.168.1.2");
			free(why);
			ip = domxml_net_pinned(xml, p->mac);
			free(ip);
		}
		net_leases_match(&l, NULL);
		for (i = 0; i < l.n; i++)
			must(l.v[i].mac != NULL, "a row without a MAC");
	}
	net_leases_free(&l);
	free(xml);
	return 0;
}
