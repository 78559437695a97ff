/* cli_store.c — `vmtui pool ...` and `vmtui vol ...`: options, the typed
 * confirmations and what is printed (text or --json); the work is in
 * model/store/. A host is reached with -c URI, or over SSH with -H HOST,
 * in which case every call runs on that host's worker (its in-process SSH
 * link) while this thread waits. Exit status 0 when done, 1 otherwise.
 * The rows (help, what they need) are in subcmd.c. */
#include "subcmd.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <libvirt/libvirt.h>

#include "../config/resdef.h"
#include "../model/base/json.h"
#include "../model/base/xmalloc.h"
#include "../model/host/host.h"
#include "../model/host/sshlink.h"
#include "../model/store/pool.h"
#include "../model/store/volume.h"

/* The options, each a bit so a verb can say which it takes. */
enum {
	O_JSON = 1 << 0, O_YES = 1 << 1, O_CONTENTS = 1 << 2, O_DISABLE = 1 << 3,
	O_TYPE = 1 << 4, O_PATH = 1 << 5, O_SHOST = 1 << 6, O_SDIR = 1 << 7,
	O_SDEV = 1 << 8, O_SNAME = 1 << 9, O_SFMT = 1 << 10, O_BUILD = 1 << 11,
	O_NOBUILD = 1 << 12, O_NOAUTO = 1 << 13, O_NOSTART = 1 << 14, O_SIZE = 1 << 15,
	O_FORMAT = 1 << 16, O_BACKING = 1 << 17,
};
#define O_DEF (O_TYPE | O_PATH | O_SHOST | O_SDIR | O_SDEV | O_SNAME | O_SFMT | O_BUILD | \
               O_NOBUILD | O_NOAUTO | O_NOSTART)

struct sopts {
	const char *uri, *ssh, *known_hosts;
	bool readonly;
	unsigned given;      /* O_* */
	const char *type, *path, *shost, *sdir, *sdev, *sname, *sfmt, *size, *format, *backing;
	char **args;         /* the verb and its arguments */
	int nargs;
};

struct verb;
/* What a verb's run gets. */
struct sctx {
	const struct subcmd *cmd;
	const struct verb *verb;
	struct sopts *o;
	char *uri;           /* for the virsh lines */
	uint64_t bytes;      /* --size / SIZE parsed */
	struct pooldef *def; /* pool create */
};

struct verb {
	const char *name;
	int min, max;        /* arguments after the verb */
	const char *expect;  /* "a pool name" */
	unsigned opts;       /* O_* it takes */
	bool writes;
	int (*run)(virConnectPtr conn, struct sctx *x);
};

/* ---- reaching the host ---- */

/* Run fn with a connection to the host the options name (over SSH with
 * -H: the login's questions are asked on the terminal). */
static int
with_conn(struct sctx *x, int (*fn)(virConnectPtr, struct sctx *))
{
	struct subcmd_target t = { x->o->uri, x->o->ssh, x->o->known_hosts };
	struct sshlink *link = NULL;
	virConnectPtr conn;
	int rc;

	if ((conn = subcmd_connect_via(x->cmd, &t, x->o->readonly, &link)) == NULL)
		return -1;
	x->uri = subcmd_virsh_uri(conn, &t);
	rc = fn(conn, x);
	free(x->uri);
	x->uri = NULL;
	virConnectClose(conn);
	if (link != NULL)
		sshlink_close(link);
	return rc;
}

/* ---- questions ---- */

/* The exact name typed on the terminal, or --yes; false (saying why)
 * otherwise. */
static bool
confirmed(const struct sopts *o, const char *what, const char *name)
{
	char line[512];

	if (o->given & O_YES)
		return true;
	if (!subcmd_read_tty(line, sizeof line, "Type the name of the %s to confirm: ", what))
		return false;
	if (strcmp(line, name) == 0)
		return true;
	fprintf(stderr, "vmtui: not done: \"%s\" is not the exact name %s.\n", line, name);
	return false;
}

/* ---- output ---- */

static const char *
or_dash(const char *s)
{
	return s && s[0] ? s : "-";
}

static void
json_field(const char *key, const char *val, bool last)
{
	json_put_string(stdout, key);
	fputs(": ", stdout);
	json_put_string(stdout, val);
	fputs(last ? "" : ", ", stdout);
}

static void
pool_json(const struct store_pool *p)
{
	fputc('{', stdout);
	json_field("name", p->name, false);
	json_field("type", p->type, false);
	json_field("state", p->state, false);
	printf("\"active\": %s, \"autostart\": %s, \"persistent\": %s, ",
	       p->active ? "true" : "false", p->autostart ? "true" : "false",
	       p->persistent ? "true" : "false");
	printf("\"capacity\": %" PRIu64 ", \"allocation\": %" PRIu64 ", \"available\": %" PRIu64
	       ", ", p->capacity, p->allocation, p->available);
	json_field("target", p->target, false);
	json_field("source", p->source, false);
	json_field("used_by", p->users, true);
	fputc('}', stdout);
}

static void
pool_text_row(const struct store_pool *p, bool header)
{
	char c[32], a[32], v[32];
	double pct;

	if (header) {
		printf("%-20s %-8s %-9s %-9s %10s %10s %10s %5s  %-28s %s\n", "NAME", "TYPE", "STATE",
		       "AUTOSTART", "CAPACITY", "ALLOCATED", "AVAILABLE", "USED", "PATH / SOURCE",
		       "USED BY");
		return;
	}
	pct = p->capacity ? 100.0 * (double)p->allocation / (double)p->capacity : 0;
	printf("%-20s %-8s %-9s %-9s %10s %10s %10s %4.0f%%  %-28s %s\n", p->name, or_dash(p->type),
	       p->state, p->autostart ? "yes" : "no", vol_size_fmt(c, sizeof c, p->capacity),
	       vol_size_fmt(a, sizeof a, p->allocation), vol_size_fmt(v, sizeof v, p->available),
	       pct, p->target ? p->target : or_dash(p->source), or_dash(p->users));
}

static void
vol_json(const struct store_vol *v)
{
	fputc('{', stdout);
	json_field("name", v->name, false);
	json_field("path", v->path, false);
	json_field("format", v->format, false);
	json_field("type", v->kind, false);
	printf("\"capacity\": %" PRIu64 ", \"allocation\": %" PRIu64 ", ", v->capacity,
	       v->allocation);
	json_field("backing", v->backing, false);
	json_field("used_by", v->users, false);
	printf("\"shared\": %s}", v->nusers > 1 ? "true" : "false");
}

static void
vol_text_row(const struct store_vol *v, bool header)
{
	char c[32], a[32];

	if (header) {
		printf("  %-24s %-6s %10s %10s  %-24s %s\n", "NAME", "FORMAT", "CAPACITY", "ALLOCATED",
		       "BACKING", "USED BY");
		return;
	}
	printf("%c %-24s %-6s %10s %10s  %-24s %s%s\n", v->nusers > 1 ? '!' : ' ', v->name,
	       or_dash(v->format), vol_size_fmt(c, sizeof c, v->capacity),
	       vol_size_fmt(a, sizeof a, v->allocation), or_dash(v->backing), or_dash(v->users),
	       v->nusers > 1 ? " (WARNING: one volume, several guests)" : "");
}

/* ---- pool verbs ---- */

static int
pool_list(virConnectPtr conn, struct sctx *x)
{
	struct store_pools l;
	char *err = NULL;
	size_t i;

	if (store_pools_read(conn, &l, &err) < 0) {
		fprintf(stderr, "vmtui: %s\n", err);
		free(err);
		return -1;
	}
	if (x->o->given & O_JSON) {
		fputc('[', stdout);
		for (i = 0; i < l.n; i++) {
			fputs(i ? ",\n " : "", stdout);
			pool_json(&l.v[i]);
		}
		fputs("]\n", stdout);
	} else if (l.n == 0) {
		printf("No storage pools: vmtui pool create makes one.\n");
	} else {
		pool_text_row(NULL, true);
		for (i = 0; i < l.n; i++)
			pool_text_row(&l.v[i], false);
	}
	store_pools_free(&l);
	return 0;
}

static int
pool_info(virConnectPtr conn, struct sctx *x)
{
	struct store_pool p;
	char *err = NULL, c[32], a[32], v[32];

	if (store_pool_read(conn, x->o->args[1], &p, &err) < 0) {
		fprintf(stderr, "vmtui: %s\n", err);
		free(err);
		return -1;
	}
	if (x->o->given & O_JSON) {
		pool_json(&p);
		fputc('\n', stdout);
	} else {
		printf("Name:        %s\nType:        %s\nState:       %s\nAutostart:   %s\n"
		       "Persistent:  %s\nCapacity:    %s\nAllocation:  %s\nAvailable:   %s\n"
		       "Target:      %s\nSource:      %s\nUsed by:     %s\n", p.name, or_dash(p.type),
		       p.state, p.autostart ? "yes" : "no", p.persistent ? "yes" : "no",
		       vol_size_fmt(c, sizeof c, p.capacity), vol_size_fmt(a, sizeof a, p.allocation),
		       vol_size_fmt(v, sizeof v, p.available), or_dash(p.target), or_dash(p.source),
		       or_dash(p.users));
	}
	store_pool_clear(&p);
	return 0;
}

/* Say the outcome: result on stdout with the virsh line, or the error. */
static int
outcome(int rc, char *result, char *err, char *virsh)
{
	if (rc == 0)
		printf("%s\n(virsh: %s)\n", result, virsh);
	else
		fprintf(stderr, "vmtui: %s\n", err);
	free(result);
	free(err);
	free(virsh);
	return rc;
}

static enum pool_op
pool_op_of(const struct sctx *x)
{
	const char *v = x->verb->name;

	if (strcmp(v, "build") == 0)
		return POOL_BUILD;
	if (strcmp(v, "start") == 0)
		return POOL_START;
	if (strcmp(v, "stop") == 0)
		return POOL_STOP;
	if (strcmp(v, "refresh") == 0)
		return POOL_REFRESH;
	if (strcmp(v, "autostart") == 0)
		return x->o->given & O_DISABLE ? POOL_AUTOSTART_OFF : POOL_AUTOSTART_ON;
	return x->o->given & O_CONTENTS ? POOL_DELETE_CONTENTS : POOL_DELETE;
}

static int
pool_simple(virConnectPtr conn, struct sctx *x)
{
	enum pool_op op = pool_op_of(x);
	const char *name = x->o->args[1];
	char *result = NULL, *err = NULL;
	int rc = pool_op_run(conn, x->uri, name, op, true, &result, &err);

	return outcome(rc, result, err, pool_op_virsh(x->uri, name, op));
}

static int
pool_delete_cmd(virConnectPtr conn, struct sctx *x)
{
	enum pool_op op = pool_op_of(x);
	struct store_pool p;
	struct store_vols vols = { 0 };
	char *err = NULL, *result = NULL;
	const char *name = x->o->args[1];
	int rc;

	if (store_pool_read(conn, name, &p, &err) < 0) {
		fprintf(stderr, "vmtui: %s\n", err);
		free(err);
		return -1;
	}
	if ((err = pool_refusal(conn, name, op)) != NULL) {
		store_pool_clear(&p);
		return outcome(-1, NULL, err, NULL);
	}
	if (p.active && store_vols_read(conn, name, false, &vols, &err) < 0) {
		free(err);
		err = NULL;
	}
	if (op == POOL_DELETE_CONTENTS)
		printf("Delete storage pool %s (%s, %s) WITH ITS CONTENTS: %s%zu volume%s and its "
		       "storage%s%s are deleted.\n", p.name, or_dash(p.type), p.state,
		       p.active ? "" : "its ", vols.n, vols.n == 1 ? "" : "s",
		       p.target ? " at " : "", p.target ? p.target : "");
	else
		printf("Delete storage pool %s (%s, %s): it is stopped and undefined; its %s%s stay%s.\n",
		       p.name, or_dash(p.type), p.state, p.active ? "volumes" : "storage",
		       p.target ? " in " : "", p.target ? p.target : "");
	fflush(stdout);
	store_vols_free(&vols);
	store_pool_clear(&p);
	if (!confirmed(x->o, "pool", name))
		return -1;
	rc = pool_op_run(conn, x->uri, name, op, true, &result, &err);
	return outcome(rc, result, err, pool_op_virsh(x->uri, name, op));
}

static int
pool_create_cmd(virConnectPtr conn, struct sctx *x)
{
	char *result = NULL, *err = NULL;
	int rc = pool_create(conn, x->uri, x->def, true, &result, &err);

	return outcome(rc, result, err, pool_create_virsh(x->uri, x->def));
}

/* The pooldef the create options describe; NULL after saying why. */
static struct pooldef *
make_def(const struct sopts *o)
{
	struct pooldef *d = xcalloc(1, sizeof *d);
	const char *why;

#define DUP(s) ((s) ? xstrdup(s) : NULL)
	d->name = xstrdup(o->args[1]);
	d->type = xstrdup(o->type ? o->type : "dir");
	d->path = DUP(o->path);
	d->source_host = DUP(o->shost);
	d->source_dir = DUP(o->sdir);
	d->source_device = DUP(o->sdev);
	d->source_name = DUP(o->sname);
	d->source_format = DUP(o->sfmt);
#undef DUP
	d->build = o->given & O_BUILD ? true : o->given & O_NOBUILD ? false :
	                                                             strcmp(d->type, "dir") == 0;
	d->start = !(o->given & O_NOSTART);
	d->autostart = !(o->given & O_NOAUTO);
	if ((why = pooldef_check(d)) != NULL) {
		fprintf(stderr, "vmtui pool create: %s\n", why);
		pooldef_free(d);
		free(d);
		return NULL;
	}
	return d;
}

/* ---- vol verbs ---- */

static int
vol_list(virConnectPtr conn, struct sctx *x)
{
	struct store_vols l;
	char *err = NULL;
	size_t i;
	bool one = strcmp(x->verb->name, "info") == 0;
	const struct store_vol *v = NULL;

	if (store_vols_read(conn, x->o->args[1], false, &l, &err) < 0) {
		fprintf(stderr, "vmtui: %s\n", err);
		free(err);
		return -1;
	}
	for (i = 0; one && i < l.n && !v; i++)
		if (strcmp(l.v[i].name, x->o->args[2]) == 0)
			v = &l.v[i];
	if (one && v == NULL) {
		fprintf(stderr, "vmtui: storage pool %s has no volume \"%s\" (vmtui vol list %s "
		        "shows them).\n", x->o->args[1], x->o->args[2], x->o->args[1]);
		store_vols_free(&l);
		return -1;
	}
	if (one && (x->o->given & O_JSON)) {
		vol_json(v);
		fputc('\n', stdout);
	} else if (one) {
		char c[32], a[32];
		printf("Name:        %s\nPool:        %s\nPath:        %s\nType:        %s\n"
		       "Format:      %s\nCapacity:    %s\nAllocation:  %s\nBacking:     %s\n"
		       "Used by:     %s\n", v->name, l.pool, or_dash(v->path), v->kind,
		       or_dash(v->format), vol_size_fmt(c, sizeof c, v->capacity),
		       vol_size_fmt(a, sizeof a, v->allocation), or_dash(v->backing),
		       or_dash(v->users));
		if (v->nusers > 1)
			printf("Warning:     %zu guests use this one volume.\n", v->nusers);
	} else if (x->o->given & O_JSON) {
		fputc('[', stdout);
		for (i = 0; i < l.n; i++) {
			fputs(i ? ",\n " : "", stdout);
			vol_json(&l.v[i]);
		}
		fputs("]\n", stdout);
	} else if (l.n == 0) {
		printf("Storage pool %s has no volumes: vmtui vol create makes one.\n", l.pool);
	} else {
		vol_text_row(NULL, true);
		for (i = 0; i < l.n; i++)
			vol_text_row(&l.v[i], false);
	}
	store_vols_free(&l);
	return 0;
}

static int
vol_change(virConnectPtr conn, struct sctx *x)
{
	const char *v = x->verb->name;
	struct vol_req r = { .pool = x->o->args[1], .name = x->o->args[2], .bytes = x->bytes };
	char *result = NULL, *err = NULL;
	int rc;

	if (strcmp(v, "create") == 0) {
		r.op = VOL_CREATE;
		r.format = x->o->format ? x->o->format : "qcow2";
		r.backing = x->o->backing;
	} else if (strcmp(v, "resize") == 0) {
		r.op = VOL_GROW;
	} else if (strcmp(v, "clone") == 0) {
		r.op = VOL_CLONE;
		r.newname = x->o->args[3];
	} else if (strcmp(v, "wipe") == 0) {
		r.op = VOL_WIPE;
	} else {
		r.op = VOL_DELETE;
	}
	if ((r.op == VOL_WIPE || r.op == VOL_DELETE) && (err = vol_refusal(conn, &r)) != NULL)
		return outcome(-1, NULL, err, NULL);
	if (r.op == VOL_WIPE || r.op == VOL_DELETE) {
		printf("%s volume %s of storage pool %s: %s.\n", r.op == VOL_WIPE ? "Wipe" : "Delete",
		       r.name, r.pool, r.op == VOL_WIPE ? "its data is overwritten with zeros" :
		                                          "its data is gone for good");
		fflush(stdout);
		if (!confirmed(x->o, "volume", r.name))
			return -1;
	}
	rc = vol_op_run(conn, x->uri, &r, true, &result, &err);
	return outcome(rc, result, err, vol_op_virsh(x->uri, &r));
}

/* ---- the dispatchers ---- */

static const struct verb pool_verbs[] = {
	{ "list", 0, 0, "no argument", O_JSON, false, pool_list },
	{ "info", 1, 1, "a pool name", O_JSON, false, pool_info },
	{ "create", 1, 1, "the new pool's name", O_DEF, true, pool_create_cmd },
	{ "build", 1, 1, "a pool name", 0, true, pool_simple },
	{ "start", 1, 1, "a pool name", 0, true, pool_simple },
	{ "stop", 1, 1, "a pool name", 0, true, pool_simple },
	{ "refresh", 1, 1, "a pool name", 0, true, pool_simple },
	{ "autostart", 1, 1, "a pool name", O_DISABLE, true, pool_simple },
	{ "delete", 1, 1, "a pool name", O_YES | O_CONTENTS, true, pool_delete_cmd },
	{ NULL, 0, 0, NULL, 0, false, NULL },
};

static const struct verb vol_verbs[] = {
	{ "list", 1, 1, "a pool name", O_JSON, false, vol_list },
	{ "info", 2, 2, "a pool name and a volume name", O_JSON, false, vol_list },
	{ "create", 2, 2, "a pool name and the new volume's name", O_SIZE | O_FORMAT | O_BACKING,
	  true, vol_change },
	{ "resize", 3, 3, "a pool name, a volume name and the new size", 0, true, vol_change },
	{ "clone", 3, 3, "a pool name, a volume name and the clone's name", 0, true, vol_change },
	{ "wipe", 2, 2, "a pool name and a volume name", O_YES, true, vol_change },
	{ "delete", 2, 2, "a pool name and a volume name", O_YES, true, vol_change },
	{ NULL, 0, 0, NULL, 0, false, NULL },
};

/* Options; -1 to fail, 1 for --help. */
static int
sparse(const struct subcmd *cmd, int argc, char **argv, struct sopts *o)
{
	enum { L_KNOWN = 256, L_BASE };
	static const struct option longopts[] = {
		{ "connect", required_argument, NULL, 'c' },
		{ "host", required_argument, NULL, 'H' },
		{ "known-hosts", required_argument, NULL, L_KNOWN },
		{ "readonly", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, L_BASE + 0 },
		{ "yes", no_argument, NULL, L_BASE + 1 },
		{ "contents", no_argument, NULL, L_BASE + 2 },
		{ "disable", no_argument, NULL, L_BASE + 3 },
		{ "type", required_argument, NULL, L_BASE + 4 },
		{ "path", required_argument, NULL, L_BASE + 5 },
		{ "source-host", required_argument, NULL, L_BASE + 6 },
		{ "source-dir", required_argument, NULL, L_BASE + 7 },
		{ "source-device", required_argument, NULL, L_BASE + 8 },
		{ "source-name", required_argument, NULL, L_BASE + 9 },
		{ "source-format", required_argument, NULL, L_BASE + 10 },
		{ "build", no_argument, NULL, L_BASE + 11 },
		{ "no-build", no_argument, NULL, L_BASE + 12 },
		{ "no-autostart", no_argument, NULL, L_BASE + 13 },
		{ "no-start", no_argument, NULL, L_BASE + 14 },
		{ "size", required_argument, NULL, L_BASE + 15 },
		{ "format", required_argument, NULL, L_BASE + 16 },
		{ "backing", required_argument, NULL, L_BASE + 17 },
		{ NULL, 0, NULL, 0 },
	};
	const char **slot[18] = {
		[4] = &o->type, [5] = &o->path, [6] = &o->shost, [7] = &o->sdir, [8] = &o->sdev,
		[9] = &o->sname, [10] = &o->sfmt, [15] = &o->size, [16] = &o->format,
		[17] = &o->backing,
	};
	int ch;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":c:H:rhy", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			o->uri = optarg;
			break;
		case 'H':
			o->ssh = optarg;
			break;
		case L_KNOWN:
			o->known_hosts = optarg;
			break;
		case 'r':
			o->readonly = true;
			break;
		case 'y':
			o->given |= O_YES;
			break;
		case 'h':
			subcmd_help(cmd, stdout);
			return 1;
		default:
			if (ch >= L_BASE && ch < L_BASE + 18) {
				o->given |= 1u << (ch - L_BASE);
				if (slot[ch - L_BASE])
					*slot[ch - L_BASE] = optarg;
				break;
			}
			subcmd_bad_option(cmd, ch, argv, longopts);
			return -1;
		}
	}
	o->args = argv + optind;
	o->nargs = argc - optind;
	return 0;
}

/* The long option of bit b, for messages. */
static const char *
opt_name(unsigned b)
{
	static const char *const names[] = {
		"--json", "--yes", "--contents", "--disable", "--type", "--path", "--source-host",
		"--source-dir", "--source-device", "--source-name", "--source-format", "--build",
		"--no-build", "--no-autostart", "--no-start", "--size", "--format", "--backing",
	};
	unsigned i;

	for (i = 0; i < sizeof names / sizeof *names; i++)
		if (b & (1u << i))
			return names[i];
	return "?";
}

/* The verb's checks that need no host; -1 after saying why. */
static int
precheck(struct sctx *x)
{
	const struct verb *v = x->verb;
	struct sopts *o = x->o;
	const char *what = x->cmd->name;
	char *why = NULL;
	const char *size = NULL;

	if (o->given & ~v->opts) {
		fprintf(stderr, "vmtui %s %s: option %s does not apply here\n", what, v->name,
		        opt_name(o->given & ~v->opts));
		subcmd_hint(x->cmd);
		return -1;
	}
	if (o->uri && o->ssh) {
		fprintf(stderr, "vmtui %s: give -c URI or -H HOST, not both\n", what);
		return -1;
	}
	if ((o->given & O_BUILD) && (o->given & O_NOBUILD)) {
		fprintf(stderr, "vmtui pool create: --build and --no-build exclude each other\n");
		return -1;
	}
	if (v->writes && o->readonly) {
		fprintf(stderr, "vmtui: cannot %s %s %s: vmtui runs read-only (-r); nothing was "
		        "changed. Drop -r to change it.\n", v->name, strcmp(what, "pool") == 0 ?
		        "storage pool" : "volume", o->args[1]);
		return -1;
	}
	if (strcmp(what, "vol") == 0 && v->writes && strcmp(v->name, "resize") != 0 &&
	    (why = vol_name_check(o->args[2])) == NULL && strcmp(v->name, "clone") == 0)
		why = vol_name_check(o->args[3]);
	if (strcmp(what, "vol") == 0 && strcmp(v->name, "create") == 0) {
		size = o->size;
		if (why == NULL && size == NULL && o->backing == NULL)
			why = xstrdup("--size is needed (e.g. --size 20G; a bare number is GiB).");
		if (why == NULL && o->format && strcmp(o->format, "qcow2") && strcmp(o->format, "raw"))
			why = xasprintf("--format: \"%s\" is not a format vmtui creates (use qcow2 or "
			                "raw).", o->format);
	}
	if (strcmp(what, "vol") == 0 && strcmp(v->name, "resize") == 0)
		size = o->args[3];
	if (why == NULL && size && (why = vol_size_parse(size, &x->bytes)) != NULL) {
		char *w = xasprintf("%s%s", strcmp(v->name, "create") == 0 ? "--size: " : "", why);
		free(why);
		why = w;
	}
	if (why) {
		fprintf(stderr, "vmtui %s %s: %s\n", what, v->name, why);
		free(why);
		return -1;
	}
	if (strcmp(what, "pool") == 0 && strcmp(v->name, "create") == 0 &&
	    (x->def = make_def(o)) == NULL)
		return -1;
	if (!(o->given & O_YES) && (v->opts & O_YES) && !isatty(STDIN_FILENO)) {
		fprintf(stderr, "vmtui: not done: %s %s %s asks for the name typed on a terminal; "
		        "give --yes to do it without one.\n", what, v->name, o->args[1]);
		return -1;
	}
	return 0;
}

static int
dispatch(const struct subcmd *cmd, int argc, char **argv, const struct verb *verbs,
         const char *names)
{
	struct sopts o = { 0 };
	struct sctx x = { .cmd = cmd, .o = &o };
	const char *act;
	int rc = sparse(cmd, argc, argv, &o), i;

	if (rc != 0)
		return rc < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
	act = o.nargs > 0 ? o.args[0] : "";
	for (i = 0; verbs[i].name && strcmp(verbs[i].name, act) != 0; i++)
		;
	if (verbs[i].name == NULL) {
		fprintf(stderr, "vmtui %s: %s%s%s; use %s.\n", cmd->name,
		        act[0] ? "unknown action \"" : "no action given", act, act[0] ? "\"" : "",
		        names);
		subcmd_hint(cmd);
		return EXIT_FAILURE;
	}
	x.verb = &verbs[i];
	if (o.nargs - 1 < x.verb->min || o.nargs - 1 > x.verb->max) {
		fprintf(stderr, "vmtui %s %s: expected %s\n", cmd->name, act, x.verb->expect);
		subcmd_hint(cmd);
		return EXIT_FAILURE;
	}
	if (precheck(&x) < 0)
		return EXIT_FAILURE;
	rc = with_conn(&x, x.verb->run);
	if (x.def) {
		pooldef_free(x.def);
		free(x.def);
	}
	return rc == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

int
cli_pool(const struct subcmd *cmd, int argc, char **argv)
{
	return dispatch(cmd, argc, argv, pool_verbs,
	                "list, info, create, build, start, stop, refresh, autostart or delete");
}

/* The verb of a vol or pool command line: its first word that is neither
 * an option nor an option's value; "" when none. */
const char *
cli_store_verb(int argc, char **argv)
{
	static const char *const valued[] = { "-c", "-H", "--connect", "--host", "--known-hosts",
	                                      "--type", "--path", "--source-host", "--source-dir",
	                                      "--source-device", "--source-name",
	                                      "--source-format", "--size", "--format", "--backing",
	                                      NULL };
	int i, k;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return i + 1 < argc ? argv[i + 1] : "";
		if (argv[i][0] != '-')
			return argv[i];
		for (k = 0; valued[k] && strcmp(argv[i], valued[k]) != 0; k++)
			;
		if (valued[k])
			i++;
	}
	return "";
}

int
cli_vol(const struct subcmd *cmd, int argc, char **argv)
{
	/* upload and download (tui/cli_xfer.c) parse their own command line. */
	if (strcmp(cli_store_verb(argc, argv), "upload") == 0)
		return cli_vol_upload(cmd, argc, argv);
	if (strcmp(cli_store_verb(argc, argv), "download") == 0)
		return cli_vol_download(cmd, argc, argv);
	return dispatch(cmd, argc, argv, vol_verbs,
	                "list, info, create, resize, clone, wipe, delete, upload or download");
}
