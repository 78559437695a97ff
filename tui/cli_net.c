/* cli_net.c — `vmtui net list|info|create|start|stop|autostart|delete|
 * leases|pin|unpin`: options, questions on the terminal and what is
 * printed (text or JSON); the work is model/net/network.c. Exit status 0
 * when done, 1 for anything else. The row (help, what it needs) is in
 * subcmd.c. */
#include "subcmd.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <libvirt/libvirt.h>

#include "../model/base/json.h"
#include "../model/base/xmalloc.h"
#include "../model/host/sshlink.h"
#include "../model/net/network.h"

struct nopts {
	struct subcmd_target t;
	bool readonly, json, yes, force, disable, no_dhcp, no_start, no_autostart;
	const char *typed, *name;
	const char *opt_of[16];  /* an option given that only action i takes */
	struct netdef def;       /* create's options (borrowed strings) */
	char **args;
	int nargs;
};

enum {
	O_JSON = 256, O_KNOWN, O_FORWARD, O_CIDR, O_DSTART, O_DEND, O_NODHCP, O_BRIDGE, O_DEV,
	O_DOMAIN, O_CIDR6, O_NOSTART, O_NOAUTO, O_DISABLE, O_FORCE, O_TYPED, O_NAME,
};

/* The actions, with the arguments each takes (after the action) and the
 * options only it takes. */
static const struct action {
	const char *name;
	int nargs;
	const char *args;     /* for the message */
	bool writes;
} actions[] = {
	{ "list", 0, "no argument", false },
	{ "info", 1, "a network name", false },
	{ "create", 1, "the new network's name", true },
	{ "start", 1, "a network name", true },
	{ "stop", 1, "a network name", true },
	{ "autostart", 1, "a network name", true },
	{ "delete", 1, "a network name", true },
	{ "leases", 1, "a network name", false },
	{ "pin", 3, "a network name, a MAC address and an IP address", true },
	{ "unpin", 2, "a network name and a MAC address", true },
};

/* Which action an option belongs to (NULL: any). */
static const char *
option_action(int ch)
{
	switch (ch) {
	case O_FORWARD: case O_CIDR: case O_DSTART: case O_DEND: case O_NODHCP: case O_BRIDGE:
	case O_DEV: case O_DOMAIN: case O_CIDR6: case O_NOSTART: case O_NOAUTO:
		return "create";
	case O_DISABLE:
		return "autostart";
	case 'y':
		return "stop";
	case O_FORCE: case O_TYPED:
		return "delete";
	case O_NAME:
		return "pin";
	default:
		return NULL;
	}
}

static int
nparse(const struct subcmd *cmd, int argc, char **argv, struct nopts *o, int *used)
{
	static const struct option longopts[] = {
		{ "connect", required_argument, NULL, 'c' },
		{ "host", required_argument, NULL, 'H' },
		{ "known-hosts", required_argument, NULL, O_KNOWN },
		{ "readonly", no_argument, NULL, 'r' },
		{ "json", no_argument, NULL, O_JSON },
		{ "yes", no_argument, NULL, 'y' },
		{ "forward", required_argument, NULL, O_FORWARD },
		{ "cidr", required_argument, NULL, O_CIDR },
		{ "dhcp-start", required_argument, NULL, O_DSTART },
		{ "dhcp-end", required_argument, NULL, O_DEND },
		{ "no-dhcp", no_argument, NULL, O_NODHCP },
		{ "bridge", required_argument, NULL, O_BRIDGE },
		{ "dev", required_argument, NULL, O_DEV },
		{ "domain", required_argument, NULL, O_DOMAIN },
		{ "cidr6", required_argument, NULL, O_CIDR6 },
		{ "no-start", no_argument, NULL, O_NOSTART },
		{ "no-autostart", no_argument, NULL, O_NOAUTO },
		{ "disable", no_argument, NULL, O_DISABLE },
		{ "force", no_argument, NULL, O_FORCE },
		{ "yes-i-typed", required_argument, NULL, O_TYPED },
		{ "name", required_argument, NULL, O_NAME },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch, idx = -1;

	optind = 1;
	opterr = 0;
	*used = 0;
	while ((ch = getopt_long(argc, argv, ":c:H:ryh", longopts, &idx)) != -1) {
		const char *only = option_action(ch);
		switch (ch) {
		case 'c': o->t.uri = optarg; break;
		case 'H': o->t.ssh = optarg; break;
		case O_KNOWN: o->t.known_hosts = optarg; break;
		case 'r': o->readonly = true; break;
		case O_JSON: o->json = true; break;
		case 'y': o->yes = true; break;
		case O_FORWARD: o->def.forward = optarg; break;
		case O_CIDR: o->def.cidr = optarg; break;
		case O_DSTART: o->def.dhcp_start = optarg; break;
		case O_DEND: o->def.dhcp_end = optarg; break;
		case O_NODHCP: o->no_dhcp = true; break;
		case O_BRIDGE: o->def.bridge = optarg; break;
		case O_DEV: o->def.dev = optarg; break;
		case O_DOMAIN: o->def.domain = optarg; break;
		case O_CIDR6: o->def.cidr6 = optarg; break;
		case O_NOSTART: o->no_start = true; break;
		case O_NOAUTO: o->no_autostart = true; break;
		case O_DISABLE: o->disable = true; break;
		case O_FORCE: o->force = true; break;
		case O_TYPED: o->typed = optarg; break;
		case O_NAME: o->name = optarg; break;
		case 'h':
			subcmd_help(cmd, stdout);
			return 1;
		default:
			subcmd_bad_option(cmd, ch, argv, longopts);
			return -1;
		}
		if (only) {
			/* Which action-only options were given, by action: checked
			 * once the action is known. */
			size_t i;
			for (i = 0; i < sizeof actions / sizeof *actions; i++)
				if (strcmp(actions[i].name, only) == 0) {
					*used |= 1 << i;
					o->opt_of[i] = idx >= 0 ? longopts[idx].name : "y";
				}
		}
		idx = -1; /* getopt_long sets it for long options only */
	}
	o->args = argv + optind;
	o->nargs = argc - optind;
	return 0;
}

/* ---- printing ---- */

static const char *
or_dash(const char *s)
{
	return s && s[0] ? s : "-";
}

static void
dhcp_text(const struct net_info *n, char *buf, size_t size)
{
	if (n->dhcp_start)
		snprintf(buf, size, "%s-%s", n->dhcp_start, n->dhcp_end ? n->dhcp_end : "?");
	else
		snprintf(buf, size, "-");
}

static void
print_list(const struct net_list *l)
{
	char fwd[64], dhcp[80], leases[16];
	size_t i;

	if (l->n == 0) {
		printf("No networks.\n");
		return;
	}
	printf("%-16s %-8s %-9s %-10s %-14s %-10s %-18s %-31s %-6s %s\n", "NAME", "STATE",
	       "AUTOSTART", "PERSISTENT", "FORWARD", "BRIDGE", "IPV4", "DHCP", "LEASES", "GUESTS");
	for (i = 0; i < l->n; i++) {
		const struct net_info *n = &l->v[i];
		dhcp_text(n, dhcp, sizeof dhcp);
		if (n->nleases >= 0)
			snprintf(leases, sizeof leases, "%d", n->nleases);
		else
			snprintf(leases, sizeof leases, "-");
		printf("%-16s %-8s %-9s %-10s %-14s %-10s %-18s %-31s %-6s %s\n", n->name,
		       n->active ? "active" : "inactive", n->autostart ? "yes" : "no",
		       n->persistent ? "yes" : "no", net_forward_label(n, fwd, sizeof fwd),
		       or_dash(n->bridge), or_dash(n->ipv4), dhcp, leases, or_dash(n->users));
	}
}

static void
print_info(const struct net_info *n)
{
	char fwd[64], dhcp[80];
	size_t i;

	dhcp_text(n, dhcp, sizeof dhcp);
	printf("Name:        %s\n", n->name);
	printf("State:       %s\n", n->active ? "active" : "inactive");
	printf("Autostart:   %s\n", n->autostart ? "yes" : "no");
	printf("Persistent:  %s\n", n->persistent ? "yes" : "no");
	printf("Forward:     %s\n", net_forward_label(n, fwd, sizeof fwd));
	printf("Bridge:      %s\n", or_dash(n->bridge));
	printf("IPv4:        %s\n", or_dash(n->ipv4));
	printf("IPv6:        %s\n", or_dash(n->ipv6));
	printf("DHCP:        %s\n", dhcp);
	if (n->nleases >= 0)
		printf("Leases:      %d\n", n->nleases);
	else
		printf("Leases:      - (not running)\n");
	printf("Guests:      %s\n", or_dash(n->users));
	printf("Running:     %s\n", or_dash(n->running));
	for (i = 0; i < n->npins; i++)
		printf("Pinned:      %s -> %s%s%s%s\n", n->pins[i].mac, or_dash(n->pins[i].ip),
		       n->pins[i].name ? " (" : "", n->pins[i].name ? n->pins[i].name : "",
		       n->pins[i].name ? ")" : "");
}

static void
jkey(const char *key, bool first)
{
	printf("%s", first ? "" : ", ");
	json_put_string(stdout, key);
	printf(": ");
}

/* A string member, or null. */
static void
jstr(const char *key, const char *v, bool first)
{
	jkey(key, first);
	json_put_string(stdout, v);
}

static void
jbool(const char *key, bool v)
{
	jkey(key, false);
	printf("%s", v ? "true" : "false");
}

static void
json_info(const struct net_info *n)
{
	size_t i;

	jstr("name", n->name, true);
	jbool("active", n->active);
	jbool("autostart", n->autostart);
	jbool("persistent", n->persistent);
	jstr("forward", n->forward, false);
	jstr("dev", n->dev, false);
	jstr("bridge", n->bridge, false);
	jstr("ipv4", n->ipv4, false);
	jstr("ipv6", n->ipv6, false);
	jstr("dhcp_start", n->dhcp_start, false);
	jstr("dhcp_end", n->dhcp_end, false);
	jkey("leases", false);
	if (n->nleases >= 0)
		printf("%d", n->nleases);
	else
		printf("null");
	jkey("guests", false);
	printf("[");
	/* users is ", "-joined: split it back */
	if (n->users) {
		char *copy = xstrdup(n->users), *tok, *save = NULL;
		bool first = true;
		for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			printf("%s", first ? "" : ", ");
			json_put_string(stdout, tok + (tok[0] == ' '));
			first = false;
		}
		free(copy);
	}
	printf("]");
	jkey("pins", false);
	printf("[");
	for (i = 0; i < n->npins; i++) {
		printf("%s{", i ? ", " : "");
		jstr("mac", n->pins[i].mac, true);
		jstr("ip", n->pins[i].ip, false);
		jstr("name", n->pins[i].name, false);
		printf("}");
	}
	printf("]");
}

static void
print_leases(const struct net_leases *l, bool json)
{
	char exp[32], ip[80];
	long long now = (long long)time(NULL);
	size_t i;

	if (json) {
		printf("[");
		for (i = 0; i < l->n; i++) {
			const struct net_lease *r = &l->v[i];
			printf("%s{", i ? ",\n " : "");
			jstr("mac", r->mac, true);
			jstr("ip", r->ip, false);
			jkey("prefix", false);
			printf("%u", r->prefix);
			jstr("hostname", r->hostname, false);
			jkey("expiry", false);
			if (r->expiry >= 0)
				printf("%lld", r->expiry);
			else
				printf("null");
			jbool("leased", r->expiry >= 0);
			jstr("guest", r->guest, false);
			jstr("pinned", r->pin_ip, false);
			printf("}");
		}
		printf("]\n");
		return;
	}
	if (l->note)
		fprintf(stderr, "vmtui: %s\n", l->note);
	if (l->n == 0) {
		printf("Network %s has no DHCP leases%s.\n", l->net,
		       l->info.active ? "" : " (it is not running)");
		return;
	}
	printf("%-17s  %-18s  %-16s  %-12s  %-16s  %s\n", "MAC", "IP", "HOSTNAME", "EXPIRES",
	       "GUEST", "PINNED");
	for (i = 0; i < l->n; i++) {
		const struct net_lease *r = &l->v[i];
		net_fmt_expiry(exp, sizeof exp, r->expiry, now);
		if (r->ip && r->expiry >= 0)
			snprintf(ip, sizeof ip, "%s/%u", r->ip, r->prefix);
		else
			snprintf(ip, sizeof ip, "%s", or_dash(r->ip));
		printf("%-17s  %-18s  %-16s  %-12s  %-16s  %s\n", r->mac, ip, or_dash(r->hostname),
		       r->expiry >= 0 ? exp : "(no lease)", or_dash(r->guest),
		       r->pin_ip ? r->pin_ip : "-");
	}
}

/* ---- the actions ---- */

static int
do_create(virConnectPtr conn, const char *uri, struct nopts *o)
{
	struct netdef *d = &o->def;
	char *err = NULL, *result = NULL, *v;
	int rc;

	d->name = o->args[1];
	if (d->forward == NULL)
		d->forward = "nat";
	d->dhcp = !o->no_dhcp;
	d->start = !o->no_start;
	d->autostart = !o->no_autostart;
	rc = net_create(conn, d, &result, &err);
	if (rc < 0) {
		fprintf(stderr, "vmtui: %s\n", err);
		free(err);
		return -1;
	}
	printf("%s\n", result);
	v = net_virsh_define(uri, d->name);
	printf("(virsh: %s", v);
	free(v);
	if (d->start) {
		v = net_virsh_simple(uri, "net-start", d->name);
		printf("; %s", v);
		free(v);
	}
	if (d->autostart) {
		v = net_virsh_autostart(uri, d->name, true);
		printf("; %s", v);
		free(v);
	}
	printf(")\n");
	free(result);
	return 0;
}

/* stop asks when running guests use the network. */
static int
do_stop(virConnectPtr conn, const char *uri, const struct nopts *o, const char *name)
{
	size_t count;
	char *err = NULL, *users = net_running_users(conn, name, &count, &err), q[600], *v;
	int rc;

	if (err) {
		fprintf(stderr, "vmtui: %s\n", err);
		free(err);
		return -1;
	}
	if (users) {
		snprintf(q, sizeof q, "Stop network %s? Running guest%s %s lose%s it until it "
		         "starts again.", name, count == 1 ? "" : "s", users, count == 1 ? "s" : "");
		free(users);
		if (!o->yes && !subcmd_ask(q)) {
			fprintf(stderr, "vmtui: %s\n", isatty(STDIN_FILENO) ? "Not stopped." :
			        "Not stopped: running guests use it; give --yes to stop it without a "
			        "terminal.");
			return -1;
		}
	}
	v = net_virsh_simple(uri, "net-destroy", name);
	if ((rc = net_stop(conn, name, &err)) == 0)
		printf("Network %s stopped.\n(virsh: %s)\n", name, v);
	else
		fprintf(stderr, "vmtui: %s\n", err);
	free(v);
	free(err);
	return rc;
}

static int
do_delete(virConnectPtr conn, const char *uri, const struct nopts *o, const char *name)
{
	struct net_info n;
	char *err = NULL, *v1, *v2, fwd[64];
	int rc = -1;

	if (net_info_read(conn, name, &n, &err) < 0) {
		fprintf(stderr, "vmtui: %s\n", err);
		free(err);
		return -1;
	}
	printf("Delete network %s (%s, %s%s%s)%s\n", n.name, n.active ? "active" : "inactive",
	       net_forward_label(&n, fwd, sizeof fwd), n.ipv4 ? ", " : "", n.ipv4 ? n.ipv4 : "",
	       n.active ? ": it is stopped first" : "");
	if (n.users)
		printf("Guests with a NIC on it: %s\n", n.users);
	fflush(stdout);
	if (n.running && !o->force) {
		fprintf(stderr, "vmtui: not deleting network %s: running guest%s %s use%s it (%s "
		        "would lose it). Stop %s first, or give --force to delete it anyway.\n",
		        name, n.nrunning == 1 ? "" : "s", n.running, n.nrunning == 1 ? "s" : "",
		        n.nrunning == 1 ? "its NIC" : "their NICs", n.nrunning == 1 ? "it" : "them");
		goto cleanup;
	}
	if (!subcmd_typed_name(o->typed, n.name, "network")) {
		fprintf(stderr, "vmtui: not deleting network %s: %s\n", n.name,
		        o->typed ? "the name given with --yes-i-typed is not its exact name." :
		                   "the name typed is not its exact name.");
		goto cleanup;
	}
	if (net_delete(conn, n.name, o->force, &err) < 0) {
		fprintf(stderr, "vmtui: %s\n", err);
		goto cleanup;
	}
	v1 = net_virsh_simple(uri, "net-destroy", n.name);
	v2 = net_virsh_simple(uri, "net-undefine", n.name);
	printf("Network %s deleted.\n(virsh: %s%s%s)\n", n.name, n.active ? v1 : "",
	       n.active && n.persistent ? "; " : "", n.persistent ? v2 : "");
	free(v1);
	free(v2);
	rc = 0;

cleanup:
	free(err);
	net_info_clear(&n);
	return rc;
}

/* list, info, leases. */
static int
do_read(virConnectPtr conn, const struct nopts *o, const char *act)
{
	struct net_list l;
	struct net_info n;
	struct net_leases ls;
	char *err = NULL;
	size_t i;

	if (strcmp(act, "list") == 0) {
		if (net_list_read(conn, &l, &err) < 0)
			goto fail;
		if (o->json) {
			printf("[");
			for (i = 0; i < l.n; i++) {
				printf("%s{", i ? ",\n " : "");
				json_info(&l.v[i]);
				printf("}");
			}
			printf("]\n");
		} else {
			print_list(&l);
		}
		net_list_free(&l);
	} else if (strcmp(act, "info") == 0) {
		if (net_info_read(conn, o->args[1], &n, &err) < 0)
			goto fail;
		if (o->json) {
			printf("{");
			json_info(&n);
			printf("}\n");
		} else {
			print_info(&n);
		}
		net_info_clear(&n);
	} else {
		if (net_leases_read(conn, o->args[1], &ls, &err) < 0)
			goto fail;
		print_leases(&ls, o->json);
		net_leases_free(&ls);
	}
	return 0;

fail:
	fprintf(stderr, "vmtui: %s\n", err);
	free(err);
	return -1;
}

static int
do_action(virConnectPtr conn, const char *uri, struct nopts *o, const char *act)
{
	const char *name = o->nargs > 1 ? o->args[1] : NULL;
	char *err = NULL, *result = NULL, *virsh = NULL;
	int rc;

	if (strcmp(act, "list") == 0 || strcmp(act, "info") == 0 || strcmp(act, "leases") == 0)
		return do_read(conn, o, act);
	if (strcmp(act, "create") == 0)
		return do_create(conn, uri, o);
	if (strcmp(act, "stop") == 0)
		return do_stop(conn, uri, o, name);
	if (strcmp(act, "delete") == 0)
		return do_delete(conn, uri, o, name);
	if (strcmp(act, "start") == 0) {
		rc = net_start(conn, name, &err);
		virsh = net_virsh_simple(uri, "net-start", name);
		if (rc == 0)
			result = xasprintf("Network %s started.", name);
	} else if (strcmp(act, "autostart") == 0) {
		rc = net_set_autostart(conn, name, !o->disable, &err);
		virsh = net_virsh_autostart(uri, name, !o->disable);
		if (rc == 0)
			result = xasprintf("Network %s %s at host boot.", name,
			                   o->disable ? "no longer starts" : "starts");
	} else if (strcmp(act, "pin") == 0) {
		rc = net_pin(conn, uri, name, o->args[2], o->args[3], o->name, &result, &virsh, &err);
	} else {
		rc = net_unpin(conn, uri, name, o->args[2], &result, &virsh, &err);
	}
	if (rc == 0) {
		printf("%s\n", result);
		if (virsh)
			printf("(virsh: %s)\n", virsh);
	} else {
		fprintf(stderr, "vmtui: %s\n", err);
	}
	free(err);
	free(result);
	free(virsh);
	return rc;
}

/* The action's arguments and options fit; else say what is wrong. */
static const struct action *
check_usage(const struct subcmd *cmd, const struct nopts *o, int used)
{
	const char *act = o->nargs > 0 ? o->args[0] : "";
	const struct action *a = NULL;
	size_t i;

	for (i = 0; i < sizeof actions / sizeof *actions; i++)
		if (strcmp(actions[i].name, act) == 0)
			a = &actions[i];
	if (a == NULL) {
		fprintf(stderr, "vmtui net: %s%s%s; use list, info, create, start, stop, autostart, "
		        "delete, leases, pin or unpin.\n", act[0] ? "unknown action \"" :
		        "no action given", act, act[0] ? "\"" : "");
		subcmd_hint(cmd);
		return NULL;
	}
	if (o->nargs - 1 != a->nargs) {
		fprintf(stderr, "vmtui net %s: expected %s\n", a->name, a->args);
		subcmd_hint(cmd);
		return NULL;
	}
	for (i = 0; i < sizeof actions / sizeof *actions; i++)
		if ((used & (1 << i)) && &actions[i] != a) {
			fprintf(stderr, "vmtui net %s: option \"-%s%s\" is for vmtui net %s only.\n",
			        a->name, strlen(o->opt_of[i]) > 1 ? "-" : "", o->opt_of[i],
			        actions[i].name);
			return NULL;
		}
	if (o->json && a->writes) {
		fprintf(stderr, "vmtui net %s: --json is for list, info and leases.\n", a->name);
		return NULL;
	}
	if (o->no_dhcp && (o->def.dhcp_start || o->def.dhcp_end)) {
		fprintf(stderr, "vmtui net create: --no-dhcp and --dhcp-start/--dhcp-end exclude "
		        "each other.\n");
		return NULL;
	}
	if (o->t.uri && o->t.ssh && strstr(o->t.uri, "://") && strchr(o->t.uri, '+')) {
		fprintf(stderr, "vmtui net: with -H, -c names the URI on that host (like "
		        "qemu:///system), not \"%s\".\n", o->t.uri);
		return NULL;
	}
	return a;
}

int
cli_net(const struct subcmd *cmd, int argc, char **argv)
{
	struct nopts o = { 0 };
	const struct action *a;
	struct sshlink *link = NULL;
	virConnectPtr conn;
	char *uri;
	int used, rc = nparse(cmd, argc, argv, &o, &used);

	if (rc != 0)
		return rc < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
	if ((a = check_usage(cmd, &o, used)) == NULL)
		return EXIT_FAILURE;
	if (o.readonly && a->writes) {
		fprintf(stderr, "vmtui: cannot %s network %s: vmtui runs read-only (-r); nothing was "
		        "changed. Drop -r to change it.\n", a->name, o.args[1]);
		return EXIT_FAILURE;
	}
	if (strcmp(a->name, "delete") == 0 && o.typed == NULL && !isatty(STDIN_FILENO)) {
		fprintf(stderr, "vmtui: not deleting network %s: confirm with --yes-i-typed followed "
		        "by its exact name, or run this on a terminal to type it.\n", o.args[1]);
		return EXIT_FAILURE;
	}
	if ((conn = subcmd_connect_via(cmd, &o.t, o.readonly || !a->writes, &link)) == NULL)
		return EXIT_FAILURE;
	uri = subcmd_virsh_uri(conn, &o.t);
	rc = do_action(conn, uri, &o, a->name);
	free(uri);
	virConnectClose(conn);
	sshlink_close(link);
	return rc == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
