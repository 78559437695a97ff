/* cli_hw.c — `vmtui hw VM` (a guest's devices, live and saved) and the
 * changes `vmtui disk add|remove|set`, `vmtui media insert|eject` and
 * `vmtui nic add|remove|link|move`: options, the change shown (what, when,
 * the virsh lines; with --dry-run the XML diffs too) and applied through
 * model/guest/hardware.h, as the hardware view does. Exit status 0 when
 * done, 1 for anything else. The rows (help, what they need) are in
 * subcmd.c. */
#include "subcmd.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libvirt/libvirt.h>

#include "../model/base/json.h"
#include "../model/base/xmalloc.h"
#include "../model/guest/hardware.h"
#include "../model/host/lvutil.h"
#include "../model/host/sshlink.h"
#include "../model/store/volume.h"

enum {
	O_KNOWN = 256, O_JSON, O_LIVE, O_CONFIG, O_DRY, O_POOL, O_SIZE, O_NAME, O_VOLUME, O_FILE,
	O_BLOCK, O_BUS, O_TARGET, O_FORMAT, O_CACHE, O_DISCARD, O_CDROM, O_DELVOL, O_NETWORK,
	O_BRIDGE, O_MODEL, O_MAC, O_LINKDOWN,
};

struct hopts {
	struct subcmd_target t;
	bool readonly, json, dry, yes;
	unsigned when;
	struct hw_req req;
	const char *size, *volume; /* as given */
	int seen[48];              /* the options given that not every action takes */
	const char *seen_name[48];
	int nseen;
	char **args;
	int nargs;
};

/* The actions an option is for ("" : any), as "command action" words. */
static const char *
option_for(int ch)
{
	switch (ch) {
	case O_JSON: return "hw";
	case O_POOL: case O_SIZE: case O_NAME: case O_FILE: case O_BLOCK: case O_BUS:
	case O_TARGET: case O_FORMAT: case O_CDROM:
		return "disk add";
	case O_CACHE: case O_DISCARD: return "disk add|disk set";
	case O_VOLUME: return "disk add|media insert";
	case O_DELVOL: case 'y': return "disk remove";
	case O_NETWORK: case O_BRIDGE: return "nic add|nic move";
	case O_MODEL: case O_MAC: case O_LINKDOWN: return "nic add";
	case O_LIVE: case O_CONFIG: /* disk set: --live is refused with the reason */
		return "disk add|disk remove|disk set|media insert|media eject|nic add|nic remove|"
		       "nic link|nic move";
	case O_DRY:
		return "disk add|disk remove|disk set|media insert|media eject|nic add|nic remove|"
		       "nic link|nic move";
	default: return "";
	}
}

/* Is "cmd act" among the words of set? */
static bool
allowed(const char *set, const char *cmd, const char *act)
{
	char want[64];
	const char *p = set;
	size_t n;

	if (set[0] == '\0')
		return true;
	snprintf(want, sizeof want, "%s%s%s", cmd, act[0] ? " " : "", act);
	n = strlen(want);
	while ((p = strstr(p, want)) != NULL) {
		if ((p == set || p[-1] == '|') && (p[n] == '\0' || p[n] == '|'))
			return true;
		p += n;
	}
	return false;
}

static int
hparse(const struct subcmd *cmd, int argc, char **argv, struct hopts *o)
{
	static const struct option longopts[] = {
		{ "connect", required_argument, NULL, 'c' },
		{ "host", required_argument, NULL, 'H' },
		{ "known-hosts", required_argument, NULL, O_KNOWN },
		{ "readonly", no_argument, NULL, 'r' },
		{ "json", no_argument, NULL, O_JSON },
		{ "live", no_argument, NULL, O_LIVE },
		{ "config", no_argument, NULL, O_CONFIG },
		{ "dry-run", no_argument, NULL, O_DRY },
		{ "yes", no_argument, NULL, 'y' },
		{ "pool", required_argument, NULL, O_POOL },
		{ "size", required_argument, NULL, O_SIZE },
		{ "name", required_argument, NULL, O_NAME },
		{ "volume", required_argument, NULL, O_VOLUME },
		{ "file", required_argument, NULL, O_FILE },
		{ "block", required_argument, NULL, O_BLOCK },
		{ "bus", required_argument, NULL, O_BUS },
		{ "target", required_argument, NULL, O_TARGET },
		{ "format", required_argument, NULL, O_FORMAT },
		{ "cache", required_argument, NULL, O_CACHE },
		{ "discard", required_argument, NULL, O_DISCARD },
		{ "cdrom", no_argument, NULL, O_CDROM },
		{ "delete-volume", no_argument, NULL, O_DELVOL },
		{ "network", required_argument, NULL, O_NETWORK },
		{ "bridge", required_argument, NULL, O_BRIDGE },
		{ "model", required_argument, NULL, O_MODEL },
		{ "mac", required_argument, NULL, O_MAC },
		{ "link-down", no_argument, NULL, O_LINKDOWN },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch, idx = -1;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":c:H:ryh", longopts, &idx)) != -1) {
		switch (ch) {
		case 'c': o->t.uri = optarg; break;
		case 'H': o->t.ssh = optarg; break;
		case O_KNOWN: o->t.known_hosts = optarg; break;
		case 'r': o->readonly = true; break;
		case 'y': o->yes = true; break;
		case O_JSON: o->json = true; break;
		case O_LIVE: o->when |= HW_LIVE; break;
		case O_CONFIG: o->when |= HW_CONFIG; break;
		case O_DRY: o->dry = true; break;
		case O_POOL: o->req.pool = optarg; break;
		case O_SIZE: o->size = optarg; break;
		case O_NAME: o->req.vol = optarg; break;
		case O_VOLUME: o->volume = optarg; break;
		case O_FILE:
		case O_BLOCK:
			if (o->req.path) {
				fprintf(stderr, "vmtui %s: give one of --file and --block.\n", cmd->name);
				return -1;
			}
			o->req.path = optarg;
			o->req.block = ch == O_BLOCK;
			break;
		case O_BUS: o->req.bus = optarg; break;
		case O_TARGET: o->req.target = optarg; break;
		case O_FORMAT: o->req.format = optarg; break;
		case O_CACHE: o->req.cache = optarg; break;
		case O_DISCARD: o->req.discard = optarg; break;
		case O_CDROM: o->req.cdrom = true; break;
		case O_DELVOL: o->req.delete_vol = true; break;
		case O_NETWORK:
		case O_BRIDGE:
			if (o->req.source) {
				fprintf(stderr, "vmtui %s: give one of --network and --bridge.\n", cmd->name);
				return -1;
			}
			o->req.net_type = ch == O_NETWORK ? "network" : "bridge";
			o->req.source = optarg;
			break;
		case O_MODEL: o->req.model = optarg; break;
		case O_MAC: o->req.mac = optarg; break;
		case O_LINKDOWN: o->req.link_down = true; break;
		case 'h':
			subcmd_help(cmd, stdout);
			return 1;
		default:
			subcmd_bad_option(cmd, ch, argv, longopts);
			return -1;
		}
		if (o->nseen < 48 && option_for(ch)[0]) {
			o->seen[o->nseen] = ch;
			o->seen_name[o->nseen++] = idx >= 0 ? longopts[idx].name : "yes";
		}
		idx = -1;
	}
	o->args = argv + optind;
	o->nargs = argc - optind;
	o->req.when = o->when;
	return 0;
}

/* An option given that the action does not take: say so. */
static bool
check_opts(const struct hopts *o, const char *cmdname, const char *act)
{
	int i;

	for (i = 0; i < o->nseen; i++)
		if (!allowed(option_for(o->seen[i]), cmdname, act)) {
			const char *set = option_for(o->seen[i]);
			if (strchr(set, '|') == NULL)
				fprintf(stderr, "vmtui %s%s%s: option \"--%s\" is for vmtui %s only.\n",
				        cmdname, act[0] ? " " : "", act, o->seen_name[i], set);
			else
				fprintf(stderr, "vmtui %s%s%s: option \"--%s\" does not apply here (vmtui "
				        "help %s says where it does).\n", cmdname, act[0] ? " " : "", act,
				        o->seen_name[i], cmdname);
			return false;
		}
	return true;
}

/* ---- vmtui hw ---- */

static const char *
dev_name(const struct dev *d)
{
	return d->target ? d->target : d->mac ? d->mac : d->key;
}

static const char *
diff_word(enum hw_diff d)
{
	switch (d) {
	case HWD_LIVE_ONLY: return "live-only";
	case HWD_SAVED_ONLY: return "saved-only";
	case HWD_CHANGED: return "changed";
	default: return "same";
	}
}

static void
print_devices(const struct hw_devices *h)
{
	size_t i;

	printf("%s: %s, %s\n", h->vm, h->running ? "running" : "shut off",
	       h->persistent ? "persistent" : "transient");
	printf("%-16s %-20s %-20s %s\n", "KIND", "DEVICE", "DIFFERS", "SETTINGS");
	for (i = 0; i < h->n; i++) {
		const struct hw_item *it = &h->v[i];
		const struct dev *d = hw_item_dev(it);
		printf("%-16s %-20s %-20s %s\n", dev_kind_name(d->kind), dev_name(d),
		       it->diff == HWD_SAME ? "-" : hw_diff_text(it->diff), d->summary);
		if (it->diff == HWD_CHANGED)
			printf("%-16s %-20s %-20s %s\n", "", "", "  at next boot:", it->saved->summary);
	}
}

static void
json_field(const char *name, const char *v, bool comma)
{
	printf("%s\"%s\": ", comma ? ", " : "", name);
	if (v)
		json_put_string(stdout, v);
	else
		printf("null");
}

static void
print_devices_json(const struct hw_devices *h)
{
	size_t i;

	printf("{");
	json_field("vm", h->vm, false);
	printf(", \"running\": %s, \"persistent\": %s, \"devices\": [", h->running ? "true" : "false",
	       h->persistent ? "true" : "false");
	for (i = 0; i < h->n; i++) {
		const struct hw_item *it = &h->v[i];
		const struct dev *d = hw_item_dev(it);
		printf("%s\n  {", i ? "," : "");
		json_field("kind", dev_kind_name(d->kind), false);
		json_field("key", d->key, true);
		json_field("name", dev_name(d), true);
		json_field("state", diff_word(it->diff), true);
		json_field("summary", d->summary, true);
		json_field("saved_summary", it->saved ? it->saved->summary : NULL, true);
		json_field("target", d->target, true);
		json_field("bus", d->bus, true);
		json_field("source", d->path ? d->path : d->source, true);
		json_field("mac", d->mac, true);
		printf("}");
	}
	printf("\n]}\n");
	fflush(stdout);
}

/* ---- the changes ---- */

static void
print_change(const struct hw_change *c, bool diffs)
{
	size_t i;

	printf("%s: %s.\n", c->what, hw_when_text(c->when));
	if (diffs) {
		if (c->diff_live)
			printf("\n%s", c->diff_live);
		if (c->diff_saved)
			printf("\n%s", c->diff_saved);
		printf("\nThe same with virsh:\n");
	}
	for (i = 0; i < c->nsteps; i++)
		if (c->steps[i].virsh)
			printf("  %s\n", c->steps[i].virsh);
	if (diffs)
		for (i = 0; i < c->nsteps; i++)
			if (c->steps[i].kind == HW_ATTACH || (c->steps[i].kind == HW_UPDATE &&
			                                      strstr(c->steps[i].virsh, "update-device")))
				printf("\nwith this device XML:\n%s", c->steps[i].xml);
	fflush(stdout);
}

/* Which hw_op an action of a command is, or -1. */
static int
op_of(const char *cmd, const char *act)
{
	static const struct { const char *cmd, *act; enum hw_op op; } t[] = {
		{ "disk", "add", HWOP_DISK_ADD },      { "disk", "remove", HWOP_DISK_REMOVE },
		{ "disk", "set", HWOP_DISK_SET },      { "media", "insert", HWOP_CD_INSERT },
		{ "media", "eject", HWOP_CD_EJECT },   { "nic", "add", HWOP_NIC_ADD },
		{ "nic", "remove", HWOP_NIC_REMOVE },  { "nic", "link", HWOP_NIC_LINK },
		{ "nic", "move", HWOP_NIC_MOVE },
	};
	size_t i;

	for (i = 0; i < sizeof t / sizeof *t; i++)
		if (strcmp(t[i].cmd, cmd) == 0 && strcmp(t[i].act, act) == 0)
			return (int)t[i].op;
	return -1;
}

/* The arguments after the action: VM and what the action takes. */
static int
nargs_of(enum hw_op op)
{
	switch (op) {
	case HWOP_DISK_ADD:
	case HWOP_NIC_ADD:
		return 1;
	case HWOP_NIC_LINK:
		return 3;
	case HWOP_CD_INSERT:
		return -2; /* 2 or 3 */
	default:
		return 2;
	}
}

static const char *
args_text(enum hw_op op)
{
	switch (op) {
	case HWOP_DISK_ADD: case HWOP_NIC_ADD: return "a VM name";
	case HWOP_DISK_REMOVE: case HWOP_DISK_SET: return "a VM name and a disk target (like vdb)";
	case HWOP_CD_INSERT: return "a VM name, the drive's target and an ISO's path (or --volume)";
	case HWOP_CD_EJECT: return "a VM name and the drive's target (like sda)";
	case HWOP_NIC_LINK: return "a VM name, the NIC's MAC address and up or down";
	default: return "a VM name and the NIC's MAC address";
	}
}

/* Arguments and options that fit; fills o->req. */
static int
check_change(const struct subcmd *cmd, struct hopts *o, enum hw_op op)
{
	struct hw_req *r = &o->req;
	int want = nargs_of(op), have = o->nargs - 1;

	if (want > 0 ? have != want : (have < -want || have > -want + 1)) {
		fprintf(stderr, "vmtui %s %s: expected %s\n", cmd->name, o->args[0], args_text(op));
		subcmd_hint(cmd);
		return -1;
	}
	r->op = op;
	if (have >= 2)
		r->dev = o->args[2];
	if (op == HWOP_CD_INSERT && have == 3) {
		if (o->volume) {
			fprintf(stderr, "vmtui media insert: give the ISO's path or --volume, not both.\n");
			return -1;
		}
		r->path = o->args[3];
	}
	if (op == HWOP_NIC_LINK) {
		if (strcmp(o->args[3], "up") && strcmp(o->args[3], "down")) {
			fprintf(stderr, "vmtui nic link: the link is up or down, not \"%s\".\n",
			        o->args[3]);
			return -1;
		}
		r->link_down = strcmp(o->args[3], "down") == 0;
	}
	if (o->volume) {
		const char *slash = strchr(o->volume, '/');
		static char pool[256];
		if (slash == NULL || slash == o->volume || slash[1] == '\0' ||
		    (size_t)(slash - o->volume) >= sizeof pool) {
			fprintf(stderr, "vmtui %s %s: --volume is POOL/VOLUME, not \"%s\".\n", cmd->name,
			        o->args[0], o->volume);
			return -1;
		}
		if (r->pool || r->path) {
			fprintf(stderr, "vmtui %s %s: --volume excludes --pool, --file and --block.\n",
			        cmd->name, o->args[0]);
			return -1;
		}
		snprintf(pool, sizeof pool, "%.*s", (int)(slash - o->volume), o->volume);
		r->pool = pool;
		r->vol = slash + 1;
	}
	if (op == HWOP_DISK_ADD) {
		int srcs = (o->size != NULL) + (o->volume != NULL) + (r->path != NULL);
		if (o->size) {
			char *why = vol_size_parse(o->size, &r->size);
			if (why) {
				fprintf(stderr, "vmtui disk add: --size: %s\n", why);
				free(why);
				return -1;
			}
			if (r->pool == NULL) {
				fprintf(stderr, "vmtui disk add: a new volume (--size) needs --pool.\n");
				return -1;
			}
		} else if (r->pool && !o->volume) {
			fprintf(stderr, "vmtui disk add: --pool makes a new volume: give its --size too "
			        "(or --volume POOL/VOLUME for an existing one).\n");
			return -1;
		}
		if (r->vol && !o->size && !o->volume) {
			fprintf(stderr, "vmtui disk add: --name names a new volume: give --pool and "
			        "--size too.\n");
			return -1;
		}
		if (srcs > 1) {
			fprintf(stderr, "vmtui disk add: give one of --size (a new volume), --volume, "
			        "--file and --block.\n");
			return -1;
		}
		if (srcs == 0 && !r->cdrom) {
			fprintf(stderr, "vmtui disk add: say what the disk is: --pool POOL --size SIZE "
			        "(a new volume), --volume POOL/VOL, --file PATH or --block DEV.\n");
			return -1;
		}
	}
	if (op == HWOP_NIC_MOVE && r->source == NULL) {
		fprintf(stderr, "vmtui nic move: say where to: --network NET or --bridge BRIDGE.\n");
		return -1;
	}
	if (op == HWOP_DISK_SET && r->cache == NULL && r->discard == NULL) {
		fprintf(stderr, "vmtui disk set: say what to change: --cache MODE, --discard MODE.\n");
		return -1;
	}
	return 0;
}

static int
run_change(virConnectPtr conn, const char *uri, struct hopts *o)
{
	virDomainPtr d;
	struct hw_change c;
	char *err = NULL, *note = NULL;
	int rc = -1;

	if ((d = lv_domain_lookup(conn, o->args[1], &err)) == NULL) {
		fprintf(stderr, "vmtui: %s\n", err);
		free(err);
		return -1;
	}
	if (hw_build(d, uri, &o->req, &c, &err) < 0) {
		fprintf(stderr, "vmtui: nothing was changed: %s\n", err);
		free(err);
		virDomainFree(d);
		return -1;
	}
	print_change(&c, o->dry);
	if (o->dry) {
		printf("Nothing was changed (--dry-run).\n");
		rc = 0;
	} else if (o->req.delete_vol && !o->yes &&
	           !subcmd_ask("Delete the volume too? Its data is lost.")) {
		fprintf(stderr, "vmtui: nothing was changed: deleting a volume is confirmed on a "
		        "terminal or with -y.\n");
	} else if (hw_apply(d, &c, &note, &err) < 0) {
		fprintf(stderr, "vmtui: %s failed: %s\n", c.what, err);
	} else {
		printf("Done%s%s\n", note ? ". " : ".", note ? note : "");
		rc = 0;
	}
	free(err);
	free(note);
	hw_change_free(&c);
	virDomainFree(d);
	return rc;
}

/* vmtui hw, disk, media, nic. */
static int
cli_hw_common(const struct subcmd *cmd, int argc, char **argv)
{
	struct hopts o = { 0 };
	struct sshlink *link = NULL;
	virConnectPtr conn;
	const char *act = "";
	char *uri;
	bool list = strcmp(cmd->name, "hw") == 0;
	int rc = hparse(cmd, argc, argv, &o), op = -1;

	if (rc != 0)
		return rc < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
	if (!list) {
		act = o.nargs > 0 ? o.args[0] : "";
		if ((op = op_of(cmd->name, act)) < 0) {
			const char *acts = strcmp(cmd->name, "disk") == 0 ? "add, remove or set" :
			                   strcmp(cmd->name, "media") == 0 ? "insert or eject" :
			                                                     "add, remove, link or move";
			fprintf(stderr, "vmtui %s: %s%s%s; use %s.\n", cmd->name,
			        act[0] ? "unknown action \"" : "no action given", act,
			        act[0] ? "\"" : "", acts);
			subcmd_hint(cmd);
			return EXIT_FAILURE;
		}
	}
	if (!check_opts(&o, cmd->name, act))
		return EXIT_FAILURE;
	if (list && o.nargs != 1) {
		fprintf(stderr, "vmtui hw: expected a VM name\n");
		subcmd_hint(cmd);
		return EXIT_FAILURE;
	}
	if (!list && check_change(cmd, &o, (enum hw_op)op) < 0)
		return EXIT_FAILURE;
	if (o.req.delete_vol && !o.dry && !o.yes && !isatty(STDIN_FILENO)) {
		fprintf(stderr, "vmtui: not deleting the volume of %s: confirm with -y, or run this "
		        "on a terminal.\n", o.args[2]);
		return EXIT_FAILURE;
	}
	if (o.readonly && !list && !o.dry) {
		fprintf(stderr, "vmtui: cannot change the hardware of %s: vmtui runs read-only (-r); "
		        "nothing was changed. Drop -r to change it.\n", o.args[1]);
		return EXIT_FAILURE;
	}
	if (o.t.uri && o.t.ssh && strstr(o.t.uri, "://") && strchr(o.t.uri, '+')) {
		fprintf(stderr, "vmtui %s: with -H, -c names the URI on that host (like "
		        "qemu:///system), not \"%s\".\n", cmd->name, o.t.uri);
		return EXIT_FAILURE;
	}
	if ((conn = subcmd_connect_via(cmd, &o.t, o.readonly || list || o.dry, &link)) == NULL)
		return EXIT_FAILURE;
	if (list) {
		virDomainPtr d;
		struct hw_devices h;
		char *err = NULL;
		rc = -1;
		if ((d = lv_domain_lookup(conn, o.args[0], &err)) != NULL) {
			if (hw_devices_read(d, &h, &err) == 0) {
				if (o.json)
					print_devices_json(&h);
				else
					print_devices(&h);
				hw_devices_free(&h);
				rc = 0;
			}
			virDomainFree(d);
		}
		if (err)
			fprintf(stderr, "vmtui: %s\n", err);
		free(err);
	} else {
		uri = subcmd_virsh_uri(conn, &o.t);
		rc = run_change(conn, uri, &o);
		free(uri);
	}
	virConnectClose(conn);
	sshlink_close(link);
	return rc == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

int
cli_hw(const struct subcmd *cmd, int argc, char **argv)
{
	return cli_hw_common(cmd, argc, argv);
}
