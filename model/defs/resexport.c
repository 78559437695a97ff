/* resexport.c — pools and networks as vmtui.yaml(5) entries (see
 * resexport.h), through the shared emitter. */
#include "resexport.h"

#include <stdlib.h>
#include <string.h>

#include "../base/xmalloc.h"
#include "yemit.h"

static void
y_opt(struct yw *y, const char *key, const char *value)
{
	if (value)
		y_kv(y, key, value);
}

static void
y_bool(struct yw *y, const char *key, bool v)
{
	y_str(y, key);
	y_plain(y, v ? "true" : "false");
}

char *
resexport_pool_yaml(const struct pooldef *p)
{
	struct yw y;

	if (y_open(&y) < 0)
		return NULL;
	y_map(&y, false);
	y_str(&y, p->name);
	y_map(&y, false);
	y_kv(&y, "type", "pool");
	y_kv(&y, "pooltype", p->type);
	y_opt(&y, "path", p->path);
	y_opt(&y, "source_host", p->source_host);
	y_opt(&y, "source_dir", p->source_dir);
	y_opt(&y, "source_device", p->source_device);
	y_opt(&y, "source_name", p->source_name);
	y_opt(&y, "source_format", p->source_format);
	if (p->build != (strcmp(p->type, "dir") == 0))
		y_bool(&y, "build", p->build);
	y_bool(&y, "start", p->start);
	y_bool(&y, "autostart", p->autostart);
	y_map_end(&y);
	y_map_end(&y);
	return y_close(&y);
}

/* virbr0, virbr12: a name libvirt gave the bridge by itself. */
static bool
auto_bridge(const char *b)
{
	return b && strncmp(b, "virbr", 5) == 0 && b[5] &&
	       strspn(b + 5, "0123456789") == strlen(b + 5);
}

static void
y_hosts(struct yw *y, const struct netdef *n)
{
	size_t i;

	if (n->nhosts == 0)
		return;
	y_str(y, "hosts");
	y_seq(y, false);
	for (i = 0; i < n->nhosts; i++) {
		y_map(y, true);
		y_kv(y, "mac", n->hosts[i].mac);
		y_kv(y, "ip", n->hosts[i].ip);
		y_opt(y, "name", n->hosts[i].name);
		y_map_end(y);
	}
	y_seq_end(y);
}

static void
y_dhcp(struct yw *y, const struct netdef *n)
{
	y_str(y, "dhcp");
	if (!n->dhcp || n->dhcp_start == NULL) {
		y_plain(y, n->dhcp ? "true" : "false");
		return;
	}
	y_map(y, true);
	y_kv(y, "start", n->dhcp_start);
	y_kv(y, "end", n->dhcp_end);
	y_map_end(y);
}

char *
resexport_net_yaml(const struct netdef *n)
{
	bool bridged = strcmp(n->forward, "bridge") == 0;
	struct yw y;

	if (y_open(&y) < 0)
		return NULL;
	y_map(&y, false);
	y_str(&y, n->name);
	y_map(&y, false);
	y_kv(&y, "type", "network");
	y_kv(&y, "forward", n->forward);
	if (bridged || !auto_bridge(n->bridge))
		y_opt(&y, "bridge", n->bridge);
	y_opt(&y, "dev", n->dev);
	if (!bridged) {
		y_kv(&y, "cidr", n->cidr);
		y_dhcp(&y, n);
	}
	y_opt(&y, "cidr6", n->cidr6);
	y_opt(&y, "domain", n->domain);
	y_hosts(&y, n);
	y_bool(&y, "start", n->start);
	y_bool(&y, "autostart", n->autostart);
	y_map_end(&y);
	y_map_end(&y);
	return y_close(&y);
}
