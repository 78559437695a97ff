/* cli_targets.c — the guests a shell command acts on, across hosts, and
 * the bulk run over them reported one line per guest (cli_targets.h). */
#include "cli_targets.h"
#include "../model/defs/tagmeta.h"

#include <fnmatch.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libvirt/virterror.h>

#include "../config/config.h"
#include "../model/base/json.h"
#include "../model/base/xmalloc.h"
#include "../model/host/lvutil.h"
#include "../model/host/sshlink.h"
#include "../model/stats/domstats.h"
#include "subcmd.h"

/* vmtui's element in a domain's <metadata> (model/defs/tagxml.h). */

/* ---- the hosts ---- */

static struct target_host *
add_host(struct targets *t, const char *label)
{
	struct target_host *h;

	t->hosts = xreallocarray(t->hosts, t->nhosts + 1, sizeof *t->hosts);
	h = &t->hosts[t->nhosts++];
	memset(h, 0, sizeof *h);
	h->label = xstrdup(label);
	return h;
}

/* Connect to one host: uri, or ssh (with key) over vmtui's transport. */
static void
connect_host(struct targets *t, const char *label, const char *uri, const char *ssh,
             const char *key, const char *known_hosts, bool readonly, const char *who)
{
	struct target_host *h;
	char *err = NULL;
	size_t i;

	/* A host given twice is one host: its guests are not acted on twice. */
	for (i = 0; i < t->nhosts; i++)
		if (strcmp(t->hosts[i].label, label) == 0)
			return;
	h = add_host(t, label);

	if (ssh != NULL) {
		struct sshlink_opts o = {
			.target = ssh, .key_file = key, .remote_uri = uri, .known_hosts = known_hosts,
		};
		if (sshlink_open(&o, &h->link, &err) < 0) {
			h->error = xasprintf("cannot connect to %s: %s", label, err);
			h->link = NULL;
			free(err);
		} else {
			h->uri = xstrdup(sshlink_uri(h->link));
			struct subcmd_target st = { .uri = uri, .ssh = ssh };
			h->virsh_uri = subcmd_virsh_uri(NULL, &st);
		}
	} else {
		h->uri = uri ? xstrdup(uri) : NULL;
	}
	if (h->error == NULL) {
		h->conn = lv_open(h->uri, readonly, NULL);
		if (h->conn == NULL) {
			err = lv_err_line();
			h->error = xasprintf("cannot connect to %s: %s", label, err);
			free(err);
		} else if (h->virsh_uri == NULL) {
			h->virsh_uri = uri ? xstrdup(uri) : virConnectGetURI(h->conn);
		}
	}
	if (h->error)
		fprintf(stderr, "%s: %s\n", who, h->error);
}

/* The hosts: -c and -H as given, else the config file's, else the default. */
static int
open_hosts(struct targets *t, const struct host_args *ha, bool readonly, const char *who)
{
	struct config cfg;
	struct config_errors errs = { 0 };
	char *path;
	size_t i;
	int rc = 0;

	for (i = 0; i < ha->nuris; i++)
		connect_host(t, ha->uris[i], ha->uris[i], NULL, NULL, NULL, readonly, who);
	for (i = 0; i < ha->nssh; i++)
		connect_host(t, ha->ssh[i], NULL, ha->ssh[i], NULL, ha->known_hosts, readonly, who);
	if (ha->nuris || ha->nssh)
		return 0;
	config_init(&cfg);
	path = ha->config_path ? xstrdup(ha->config_path) : config_default_path();
	if (config_load(&cfg, path, ha->config_path == NULL, &errs) < 0) {
		for (i = 0; i < errs.n; i++)
			fprintf(stderr, "%s\n", errs.v[i]);
		fprintf(stderr, "%s: %s has errors; fix them or use -c URI.\n", who, path);
		rc = -1;
	} else {
		for (i = 0; i < cfg.nuris; i++)
			connect_host(t, cfg.uris[i], cfg.uris[i], NULL, NULL, NULL, readonly, who);
		for (i = 0; i < cfg.nhosts; i++) {
			const struct config_host *c = &cfg.hosts[i];
			connect_host(t, c->name, c->uri, c->ssh, c->key, ha->known_hosts, readonly, who);
		}
		if (t->nhosts == 0) {
			const char *def = getenv("LIBVIRT_DEFAULT_URI");
			connect_host(t, def && *def ? def : "default", NULL, NULL, NULL, NULL, readonly,
			             who);
		}
	}
	config_errors_free(&errs);
	config_free(&cfg);
	free(path);
	return rc;
}

/* ---- the guests ---- */

static int
cmp_vm(const void *a, const void *b)
{
	const struct target_vm *x = a, *y = b;

	if (x->host != y->host)
		return x->host < y->host ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* List host hi's guests into t->all. */
static void
list_host(struct targets *t, size_t hi, bool want_tags, const char *who)
{
	struct target_host *h = &t->hosts[hi];
	virDomainPtr *doms = NULL;
	int n, i;

	n = virConnectListAllDomains(h->conn, &doms, 0);
	if (n < 0) {
		char *err = lv_err_line();
		h->error = xasprintf("cannot list the guests of %s: %s", h->label, err);
		fprintf(stderr, "%s: %s\n", who, h->error);
		free(err);
		return;
	}
	t->all = xreallocarray(t->all, t->nall + (size_t)n + 1, sizeof *t->all);
	for (i = 0; i < n; i++) {
		struct target_vm *v = &t->all[t->nall];
		int st = VIR_DOMAIN_NOSTATE, reason, autostart = 0;

		memset(v, 0, sizeof *v);
		v->host = hi;
		if (virDomainGetUUIDString(doms[i], v->uuid) < 0 ||
		    virDomainGetState(doms[i], &st, &reason, 0) < 0) {
			virDomainFree(doms[i]);
			continue; /* gone meanwhile */
		}
		v->name = xstrdup(virDomainGetName(doms[i]));
		v->state = domstats_state(st);
		v->autostart = virDomainGetAutostart(doms[i], &autostart) == 0 && autostart;
		v->persistent = virDomainIsPersistent(doms[i]) == 1;
		if (want_tags) {
			/* tagmeta.h's reader, as the TUI's: one reader of the element */
			struct tagset ts = { 0 };
			char *err = NULL;
			if (tagmeta_read(doms[i], &ts, &err) == 0) {
				v->tags = ts.tags;
				v->ntags = ts.ntags;
				ts.tags = NULL;
				ts.ntags = 0;
			}
			free(err);
			tagset_free(&ts);
		}
		virDomainFree(doms[i]);
		t->nall++;
	}
	free(doms);
}

int
cli_targets_open(struct targets *t, const struct host_args *ha, bool readonly, bool want_tags,
                 const char *who)
{
	size_t hi;

	memset(t, 0, sizeof *t);
	if (open_hosts(t, ha, readonly, who) < 0)
		return -1;
	for (hi = 0; hi < t->nhosts; hi++)
		if (t->hosts[hi].conn)
			list_host(t, hi, want_tags, who);
	if (t->nall > 1)
		qsort(t->all, t->nall, sizeof *t->all, cmp_vm);
	return 0;
}

void
cli_targets_close(struct targets *t)
{
	size_t i;

	for (i = 0; i < t->nall; i++) {
		free(t->all[i].name);
		xfree_strv(t->all[i].tags, t->all[i].ntags);
	}
	for (i = 0; i < t->nhosts; i++) {
		struct target_host *h = &t->hosts[i];
		if (h->conn)
			virConnectClose(h->conn);
		if (h->link)
			sshlink_close(h->link);
		free(h->label);
		free(h->uri);
		free(h->virsh_uri);
		free(h->error);
	}
	free(t->all);
	free(t->hosts);
	free(t->picked);
	memset(t, 0, sizeof *t);
}

size_t
cli_targets_unreachable(const struct targets *t)
{
	size_t i, n = 0;

	for (i = 0; i < t->nhosts; i++)
		n += t->hosts[i].error != NULL;
	return n;
}

bool
cli_targets_is_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

static bool
has_tag(char *const *tags, size_t n, const char *tag)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(tags[i], tag) == 0)
			return true;
	return false;
}

/* Does pattern p pick name? */
static bool
pattern_matches(const char *p, const char *name)
{
	return cli_targets_is_glob(p) ? fnmatch(p, name, 0) == 0 : strcmp(p, name) == 0;
}

bool
cli_targets_match(const struct target_sel *sel, const char *name, char *const *tags,
                  size_t ntags)
{
	size_t i;

	if (sel->all)
		return true;
	for (i = 0; i < sel->npatterns; i++)
		if (pattern_matches(sel->patterns[i], name))
			return true;
	for (i = 0; i < sel->ntags; i++)
		if (has_tag(tags, ntags, sel->tags[i]))
			return true;
	return false;
}

/* "on qemu:///system" or "on any of the 3 hosts", for messages. */
static void
where(const struct targets *t, char *buf, size_t len)
{
	if (t->nhosts == 1)
		snprintf(buf, len, "on %s", t->hosts[0].label);
	else
		snprintf(buf, len, "on any of the %zu hosts", t->nhosts);
}

int
cli_targets_pick(struct targets *t, const struct target_sel *sel, const char *who)
{
	size_t i, k, bad = 0, unreach = cli_targets_unreachable(t);
	char on[256];

	if (t->nhosts > 0 && unreach == t->nhosts) {
		fprintf(stderr, "%s: no host could be reached; nothing was done.\n", who);
		return -1;
	}
	where(t, on, sizeof on);
	for (k = 0; k < sel->npatterns; k++) {
		const char *p = sel->patterns[k];
		for (i = 0; i < t->nall && !pattern_matches(p, t->all[i].name); i++)
			;
		if (i == t->nall) {
			fprintf(stderr, "%s: %s \"%s\"%s %s%s; nothing was done (check the names "
			        "with vmtui list).\n", who,
			        cli_targets_is_glob(p) ? "the pattern" : "no guest is called",
			        p, cli_targets_is_glob(p) ? " matches no guest" : "", on,
			        unreach ? " reached (some hosts could not be)" : "");
			bad++;
		}
	}
	for (k = 0; k < sel->ntags; k++) {
		for (i = 0; i < t->nall && !has_tag(t->all[i].tags, t->all[i].ntags, sel->tags[k]);
		     i++)
			;
		if (i == t->nall) {
			fprintf(stderr, "%s: no guest has the tag \"%s\" %s%s; nothing was done (check "
			        "the tags with vmtui list).\n",
			        who, sel->tags[k], on,
			        unreach ? " reached (some hosts could not be)" : "");
			bad++;
		}
	}
	if (bad)
		return -1;
	free(t->picked);
	t->picked = xcalloc(t->nall ? t->nall : 1, sizeof *t->picked);
	t->npicked = 0;
	for (i = 0; i < t->nall; i++)
		if (cli_targets_match(sel, t->all[i].name, t->all[i].tags, t->all[i].ntags))
			t->picked[t->npicked++] = i;
	return 0;
}

/* ---- the run ---- */

struct bulk_run *
cli_targets_run(const struct targets *t, const char *what, unsigned limit, bulk_fn fn,
                void *(*mkarg)(void *ud), void *ud, void (*free_arg)(void *))
{
	struct bulk_run *b = bulk_new(what, NULL, NULL, NULL);
	size_t *bh = xcalloc(t->nhosts ? t->nhosts : 1, sizeof *bh), i;

	for (i = 0; i < t->nhosts; i++)
		bh[i] = (size_t)-1;
	for (i = 0; i < t->npicked; i++) {
		const struct target_vm *v = &t->all[t->picked[i]];
		const struct target_host *h = &t->hosts[v->host];
		if (bh[v->host] == (size_t)-1)
			bh[v->host] = bulk_add_host(b, h->label, h->uri, h->virsh_uri, limit, NULL);
		bulk_add(b, bh[v->host], v->uuid, v->name, fn, mkarg ? mkarg(ud) : NULL, free_arg);
	}
	free(bh);
	return b;
}

/* Ctrl-C: the first cancels, the next stops at once (default action). */
static volatile sig_atomic_t interrupted;

static void
on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
	signal(SIGINT, SIG_DFL);
}

static void
print_line(FILE *out, const struct bulk_run *b, const struct bulk_item *it, size_t wname)
{
	fprintf(out, "%-9s %-*s  %s: %s\n", bulk_status_name(it->status), (int)wname, it->name,
	        bulk_host(b, it->host)->label, it->msg ? it->msg : "");
	fflush(out);
}

static void
print_json(FILE *out, const struct bulk_run *b, const struct targets *t,
           const size_t counts[BULK_SKIPPED + 1])
{
	size_t i;
	bool first = true;

	fputs("{\"action\":", out);
	json_put_string(out, bulk_what(b));
	fputs(",\"results\":[", out);
	for (i = 0; i < bulk_count(b); i++) {
		const struct bulk_item *it = bulk_item(b, i);
		fputs(i ? ",{" : "{", out);
		fputs("\"name\":", out);
		json_put_string(out, it->name);
		fputs(",\"uuid\":", out);
		json_put_string(out, it->uuid);
		fputs(",\"host\":", out);
		json_put_string(out, bulk_host(b, it->host)->label);
		fputs(",\"status\":", out);
		json_put_string(out, bulk_status_name(it->status));
		fputs(",\"message\":", out);
		json_put_string(out, it->msg ? it->msg : "");
		fputs(",\"virsh\":", out);
		if (it->virsh)
			json_put_string(out, it->virsh);
		else
			fputs("null", out);
		fputs(",\"seconds\":", out);
		json_put_number(out, it->secs, 3);
		fputs("}", out);
	}
	fputs("],\"unreachable\":[", out);
	for (i = 0; i < t->nhosts; i++) {
		if (t->hosts[i].error == NULL)
			continue;
		fputs(first ? "" : ",", out);
		first = false;
		fputs("{\"host\":", out);
		json_put_string(out, t->hosts[i].label);
		fputs(",\"error\":", out);
		json_put_string(out, t->hosts[i].error);
		fputs("}", out);
	}
	fprintf(out, "],\"done\":%zu,\"failed\":%zu,\"skipped\":%zu,\"cancelled\":%zu}\n",
	        counts[BULK_OK], counts[BULK_FAILED], counts[BULK_SKIPPED], counts[BULK_CANCELLED]);
}

int
cli_targets_report(struct bulk_run *b, const struct targets *t, bool json, FILE *out)
{
	size_t n = bulk_count(b), i, wname = 4, counts[BULK_SKIPPED + 1];
	bool *shown = xcalloc(n ? n : 1, sizeof *shown), ended = false, cancelled = false;
	struct sigaction sa = { .sa_handler = on_sigint }, old;
	for (i = 0; i < n; i++)
		if (strlen(bulk_item(b, i)->name) > wname)
			wname = strlen(bulk_item(b, i)->name);
	interrupted = 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old);
	bulk_start(b);
	while (!ended) {
		struct timespec ts = { 0, 100000000L };

		if (interrupted && !cancelled) {
			cancelled = true;
			fprintf(stderr, "Cancelling: what has not started will not; waiting for the "
			        "running ones (Ctrl-C again stops at once).\n");
			bulk_cancel(b);
		}
		bulk_lock(b);
		ended = bulk_tally(b, counts);
		for (i = 0; !json && i < n; i++) {
			const struct bulk_item *it = bulk_item(b, i);
			if (!shown[i] && it->status != BULK_QUEUED && it->status != BULK_RUNNING) {
				shown[i] = true;
				print_line(out, b, it, wname);
			}
		}
		bulk_unlock(b);
		if (ended)
			break;
		/* A look every 0.1 s: a line printed within that of its end. */
		nanosleep(&ts, NULL);
	}
	bulk_wait(b);
	sigaction(SIGINT, &old, NULL);
	bulk_lock(b);
	bulk_tally(b, counts);
	if (json)
		print_json(out, b, t, counts);
	bulk_unlock(b);
	if (!json) {
		fprintf(stderr, "%s: %zu done, %zu failed, %zu skipped%s", bulk_what(b),
		        counts[BULK_OK], counts[BULK_FAILED], counts[BULK_SKIPPED],
		        counts[BULK_CANCELLED] ? "" : ".\n");
		if (counts[BULK_CANCELLED])
			fprintf(stderr, ", %zu cancelled.\n", counts[BULK_CANCELLED]);
	}
	free(shown);
	return counts[BULK_FAILED] || counts[BULK_CANCELLED] || cli_targets_unreachable(t) ? 1 : 0;
}
