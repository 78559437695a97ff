/* recording.c — writing and reading vmtui recordings (JSON Lines). */
#include "recording.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../base/json.h"
#include "../base/xmalloc.h"
#include "../host/host.h"
#include "../stats/stats.h"

struct recorder {
	pthread_mutex_t lock;
	FILE *f;
	char *path;
	char *error;
};

/* ---- writing ---- */

static void
iso8601(char *buf, size_t n, double epoch)
{
	time_t secs = (time_t)epoch;
	struct tm tm;

	gmtime_r(&secs, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static double
wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct recorder *
recorder_open(const char *path, double interval_s, char **err)
{
	struct recorder *r;
	FILE *f = fopen(path, "a+e");
	double now = wall_now();
	char when[32];

	if (f == NULL) {
		*err = xasprintf("cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	/* A session that was killed mid-line: end that line, so the cut one
	 * is reported alone and the new header starts a line of its own. */
	if (fseek(f, -1, SEEK_END) == 0 && getc(f) != '\n') {
		fseek(f, 0, SEEK_END); /* from reading to writing */
		putc('\n', f);
	}
	fseek(f, 0, SEEK_END);
	r = xcalloc(1, sizeof *r);
	pthread_mutex_init(&r->lock, NULL);
	r->f = f;
	r->path = xstrdup(path);
	iso8601(when, sizeof when, now);
	fprintf(f, "{\"vmtui-recording\":%d,\"program\":\"vmtui %s\",\"started\":\"%s\","
	        "\"epoch\":%.3f,\"interval\":%.3f}\n", RECORDING_VERSION, PACKAGE_VERSION, when,
	        now, interval_s);
	if (fflush(f) != 0) {
		*err = xasprintf("cannot write %s: %s", path, strerror(errno));
		recorder_close(r);
		return NULL;
	}
	return r;
}

void
recorder_write(struct recorder *r, const char *line)
{
	if (r == NULL || line == NULL)
		return;
	pthread_mutex_lock(&r->lock);
	if (r->error == NULL &&
	    (fputs(line, r->f) == EOF || fflush(r->f) != 0))
		r->error = xasprintf("cannot write %s: %s", r->path, strerror(errno));
	pthread_mutex_unlock(&r->lock);
}

const char *
recorder_error(struct recorder *r)
{
	const char *e;

	pthread_mutex_lock(&r->lock);
	e = r->error;
	pthread_mutex_unlock(&r->lock);
	return e;
}

void
recorder_close(struct recorder *r)
{
	if (r == NULL)
		return;
	fclose(r->f);
	pthread_mutex_destroy(&r->lock);
	free(r->path);
	free(r->error);
	free(r);
}

static void
put_key(FILE *f, const char *key, bool first)
{
	if (!first)
		putc(',', f);
	json_put_string(f, key);
	putc(':', f);
}

static void
put_num(FILE *f, const char *key, double v, int dec)
{
	put_key(f, key, false);
	json_put_number(f, v, dec);
}

static void
put_str(FILE *f, const char *key, const char *s, bool first)
{
	put_key(f, key, first);
	json_put_string(f, s);
}

static void
put_devs(FILE *f, const char *key, const struct vm_dev *d, size_t n, bool disks)
{
	size_t i;

	put_key(f, key, false);
	putc('[', f);
	for (i = 0; i < n; i++) {
		if (i)
			putc(',', f);
		putc('{', f);
		put_str(f, "name", d[i].name, true);
		if (disks)
			put_str(f, "path", d[i].path, false);
		put_num(f, disks ? "rd_bps" : "rx_bps", d[i].rd_rate, 1);
		put_num(f, disks ? "wr_bps" : "tx_bps", d[i].wr_rate, 1);
		if (disks) {
			put_num(f, "capacity", (double)d[i].capacity, 0);
			put_num(f, "allocation", (double)d[i].allocation, 0);
		}
		putc('}', f);
	}
	putc(']', f);
}

static void
put_vm(FILE *f, const struct vm *vm, uint64_t now_ns)
{
	bool active = vm_state_active(vm->state);
	double up = vm_uptime(vm, now_ns);

	putc('{', f);
	put_str(f, "name", vm->name, true);
	put_str(f, "uuid", vm->uuid, false);
	put_str(f, "state", vm_state_name(vm->state), false);
	fprintf(f, ",\"id\":%d,\"vcpus\":%u,\"vcpus_max\":%u", vm->id, vm->vcpus_cur,
	        vm->vcpus_max);
	put_num(f, "mem_alloc", (double)vm->mem_cur_kib * 1024, 0);
	put_num(f, "mem_max", (double)vm->mem_max_kib * 1024, 0);
	put_num(f, "mem_used", active ? (double)vm->mem_used_kib * 1024 : -1, 0);
	fprintf(f, ",\"mem_from_guest\":%s", vm->mem_from_guest ? "true" : "false");
	put_num(f, "cpu_pct", active ? vm->cpu_pct : -1, 2);
	put_num(f, "disk_rd_bps", active ? vm->rd_rate : -1, 1);
	put_num(f, "disk_wr_bps", active ? vm->wr_rate : -1, 1);
	put_num(f, "disk_rd_ops", active ? vm->rd_ops_rate : -1, 1);
	put_num(f, "disk_wr_ops", active ? vm->wr_ops_rate : -1, 1);
	put_num(f, "net_rx_bps", active ? vm->rx_rate : -1, 1);
	put_num(f, "net_tx_bps", active ? vm->tx_rate : -1, 1);
	put_num(f, "uptime", up, 0);
	/* Only when so (what the list marks with '>'): lines stay as they were. */
	if (up >= 0 && !vm->since_exact)
		fputs(",\"uptime_lower_bound\":true", f);
	fprintf(f, ",\"autostart\":%s,\"persistent\":%s", vm->autostart ? "true" : "false",
	        vm->persistent ? "true" : "false");
	put_num(f, "wait_pct", active ? vm->wait_pct : -1, 2);
	put_devs(f, "disks", vm->disks, vm->ndisks, true);
	put_devs(f, "nics", vm->nics, vm->nnics, false);
	putc('}', f);
}

char *
recording_host_line(const struct host *h, double epoch, uint64_t now_ns)
{
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);

	if (f == NULL)
		return NULL;
	fprintf(f, "{\"t\":%.3f", epoch);
	put_str(f, "host", host_label(h), false);
	put_str(f, "uri", h->uri, false);
	fprintf(f, ",\"cpus\":%u", h->cpus);
	put_num(f, "mem_total", (double)h->mem_total_kib * 1024, 0);
	put_num(f, "mem_free", h->mem_free_kib == HOST_MEM_UNKNOWN ? -1 :
	        (double)h->mem_free_kib * 1024, 0);
	put_num(f, "cpu_pct", h->cpu_pct, 2);
	put_key(f, "vms", false);
	putc('[', f);
	for (i = 0; i < h->nvms; i++) {
		if (i)
			putc(',', f);
		put_vm(f, h->vms[i], now_ns);
	}
	fputs("]}\n", f);
	fclose(f);
	return buf;
}

/* ---- reading ---- */

struct reader {
	const char *path;
	size_t line;
	char *err;      /* the first problem of the line */
};

static bool
bad(struct reader *rd, const struct json *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static bool
bad(struct reader *rd, const struct json *at, const char *fmt, ...)
{
	va_list ap;
	char *what;

	if (rd->err != NULL)
		return false;
	va_start(ap, fmt);
	if (vasprintf(&what, fmt, ap) < 0)
		what = NULL;
	va_end(ap);
	rd->err = xasprintf("%s:%zu:%zu: %s", rd->path, rd->line, at ? at->col : 1,
	                    what ? what : "bad line");
	free(what);
	return false;
}

/* Optional number member: null or missing is unknown (-1). */
static bool
get_num(struct reader *rd, const struct json *o, const char *key, double *out)
{
	const struct json *v = json_get(o, key);

	*out = -1;
	if (v == NULL || v->type == JSON_NULL)
		return true;
	if (v->type != JSON_NUMBER || v->num < 0)
		return bad(rd, v, "\"%s\" should be a number of at least 0 or null, not %s",
		           key, v->type == JSON_NUMBER ? "a negative number" : json_type_name(v->type));
	*out = v->num;
	return true;
}

static bool
get_uint(struct reader *rd, const struct json *o, const char *key, unsigned *out)
{
	double d;

	*out = 0;
	if (!get_num(rd, o, key, &d))
		return false;
	if (d > 1e9 || d != floor(d))
		return bad(rd, json_get(o, key), "\"%s\" should be a whole number", key);
	*out = d < 0 ? 0 : (unsigned)d;
	return true;
}

static bool
get_bool(struct reader *rd, const struct json *o, const char *key, bool *out)
{
	const struct json *v = json_get(o, key);

	*out = false;
	if (v == NULL || v->type == JSON_NULL)
		return true;
	if (v->type != JSON_BOOL)
		return bad(rd, v, "\"%s\" should be true or false, not %s", key,
		           json_type_name(v->type));
	*out = v->b;
	return true;
}

/* String member; required ones must be there. *out newly allocated or NULL. */
static bool
get_str(struct reader *rd, const struct json *o, const char *key, bool required, char **out)
{
	const struct json *v = json_get(o, key);

	*out = NULL;
	if ((v == NULL || v->type == JSON_NULL) && !required)
		return true;
	if (v == NULL)
		return bad(rd, o, "\"%s\" is missing", key);
	if (v->type != JSON_STRING)
		return bad(rd, v, "\"%s\" should be a string, not %s", key, json_type_name(v->type));
	*out = xstrdup(v->str);
	return true;
}

static bool
get_array(struct reader *rd, const struct json *o, const char *key, bool required,
          const struct json **out)
{
	const struct json *v = json_get(o, key);

	*out = NULL;
	if (v == NULL && !required)
		return true;
	if (v == NULL)
		return bad(rd, o, "\"%s\" is missing", key);
	if (v->type != JSON_ARRAY)
		return bad(rd, v, "\"%s\" should be an array, not %s", key, json_type_name(v->type));
	*out = v;
	return true;
}

static void
devs_free(struct rec_dev *d, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(d[i].name);
		free(d[i].path);
	}
	free(d);
}

static bool
read_devs(struct reader *rd, const struct json *o, const char *key, bool disks,
          struct rec_dev **out, size_t *n)
{
	const struct json *a;
	size_t i;

	if (!get_array(rd, o, key, false, &a) || a == NULL)
		return rd->err == NULL;
	*out = xcalloc(a->n ? a->n : 1, sizeof **out);
	for (i = 0; i < a->n; i++) {
		const struct json *d = &a->items[i];
		struct rec_dev *x = &(*out)[(*n)++];
		if (d->type != JSON_OBJECT)
			return bad(rd, d, "a member of \"%s\" should be an object", key);
		if (!get_str(rd, d, "name", true, &x->name) ||
		    !get_str(rd, d, "path", false, &x->path) ||
		    !get_num(rd, d, disks ? "rd_bps" : "rx_bps", &x->rd) ||
		    !get_num(rd, d, disks ? "wr_bps" : "tx_bps", &x->wr) ||
		    !get_num(rd, d, "capacity", &x->capacity) ||
		    !get_num(rd, d, "allocation", &x->allocation))
			return false;
	}
	return true;
}

static bool
parse_state(const char *s, enum vm_state *out)
{
	int i;

	for (i = 0; i < VM_STATE_COUNT; i++)
		if (strcmp(vm_state_name((enum vm_state)i), s) == 0) {
			*out = (enum vm_state)i;
			return true;
		}
	return false;
}

static void
vm_clear(struct rec_vm *v)
{
	free(v->name);
	devs_free(v->disks, v->ndisks);
	devs_free(v->nics, v->nnics);
}

static bool
read_vm(struct reader *rd, const struct json *o, struct rec_vm *v)
{
	char *uuid = NULL, *state = NULL;
	const struct json *id = json_get(o, "id");
	bool ok;

	if (o->type != JSON_OBJECT)
		return bad(rd, o, "a member of \"vms\" should be an object, not %s",
		           json_type_name(o->type));
	ok = get_str(rd, o, "name", true, &v->name) && get_str(rd, o, "uuid", true, &uuid) &&
	     get_str(rd, o, "state", true, &state);
	if (ok && strlen(uuid) != VM_UUID_LEN - 1)
		ok = bad(rd, json_get(o, "uuid"), "\"uuid\" should be 36 characters, not \"%s\"", uuid);
	if (ok && !parse_state(state, &v->state))
		ok = bad(rd, json_get(o, "state"), "\"state\" \"%s\" is no state vmtui knows "
		         "(running, paused, shut off, ...)", state);
	if (ok)
		snprintf(v->uuid, sizeof v->uuid, "%s", uuid);
	free(uuid);
	free(state);
	v->id = id && id->type == JSON_NUMBER ? (int)id->num : -1;
	return ok && get_uint(rd, o, "vcpus", &v->vcpus) &&
	       get_uint(rd, o, "vcpus_max", &v->vcpus_max) &&
	       get_num(rd, o, "mem_alloc", &v->mem_alloc) && get_num(rd, o, "mem_max", &v->mem_max) &&
	       get_num(rd, o, "mem_used", &v->mem_used) &&
	       get_bool(rd, o, "mem_from_guest", &v->mem_from_guest) &&
	       get_num(rd, o, "cpu_pct", &v->cpu_pct) && get_num(rd, o, "disk_rd_bps", &v->rd) &&
	       get_num(rd, o, "disk_wr_bps", &v->wr) && get_num(rd, o, "disk_rd_ops", &v->rd_ops) &&
	       get_num(rd, o, "disk_wr_ops", &v->wr_ops) && get_num(rd, o, "net_rx_bps", &v->rx) &&
	       get_num(rd, o, "net_tx_bps", &v->tx) && get_num(rd, o, "uptime", &v->uptime) &&
	       get_num(rd, o, "wait_pct", &v->wait_pct) &&
	       get_bool(rd, o, "uptime_lower_bound", &v->uptime_lower_bound) &&
	       get_bool(rd, o, "autostart", &v->autostart) &&
	       get_bool(rd, o, "persistent", &v->persistent) &&
	       read_devs(rd, o, "disks", true, &v->disks, &v->ndisks) &&
	       read_devs(rd, o, "nics", false, &v->nics, &v->nnics);
}

void
rec_sample_clear(struct rec_sample *s)
{
	size_t i;

	for (i = 0; i < s->nvms; i++)
		vm_clear(&s->vms[i]);
	free(s->vms);
	free(s->host);
	free(s->uri);
	memset(s, 0, sizeof *s);
}

static bool
read_sample(struct reader *rd, const struct json *o, struct rec_sample *s)
{
	const struct json *t = json_get(o, "t"), *vms;
	size_t i;

	s->line = rd->line;
	if (t == NULL)
		return bad(rd, o, "\"t\" (the time of the sample) is missing");
	if (t->type != JSON_NUMBER || t->num < 0)
		return bad(rd, t, "\"t\" should be seconds since 1970, not %s", json_type_name(t->type));
	s->t = t->num;
	if (!get_str(rd, o, "host", true, &s->host) || !get_str(rd, o, "uri", false, &s->uri) ||
	    !get_uint(rd, o, "cpus", &s->cpus) || !get_num(rd, o, "mem_total", &s->mem_total) ||
	    !get_num(rd, o, "mem_free", &s->mem_free) || !get_num(rd, o, "cpu_pct", &s->cpu_pct) ||
	    !get_array(rd, o, "vms", true, &vms))
		return false;
	s->vms = xcalloc(vms->n ? vms->n : 1, sizeof *s->vms);
	for (i = 0; i < vms->n; i++)
		if (!read_vm(rd, &vms->items[i], &s->vms[s->nvms++]))
			return false;
	return true;
}

/* A header line: check the version. */
static bool
read_header(struct reader *rd, const struct json *o, const struct json *ver,
            struct recording *out, bool first)
{
	double started, interval;

	if (ver->type != JSON_NUMBER || ver->num != floor(ver->num) || ver->num < 1)
		return bad(rd, ver, "\"vmtui-recording\" should be the format version, 1");
	if (ver->num > RECORDING_VERSION)
		return bad(rd, ver, "the recording has format version %.0f; this vmtui reads "
		           "version %d (use a newer vmtui)", ver->num, RECORDING_VERSION);
	if (!get_num(rd, o, "epoch", &started) || !get_num(rd, o, "interval", &interval))
		return false;
	if (first) {
		out->started = started;
		out->interval = interval;
	}
	return true;
}

static void
add_error(struct recording *out, char *e)
{
	out->errors = xreallocarray(out->errors, out->nerrors + 1, sizeof *out->errors);
	out->errors[out->nerrors++] = e;
}

/* One line; false when it is bad (rd->err says why). */
static bool
read_line(struct reader *rd, const char *text, size_t len, struct recording *out)
{
	size_t col;
	const char *why;
	struct json *j = json_parse(text, len, &col, &why);
	const struct json *ver;
	struct rec_sample s = { 0 };
	bool ok;

	if (j == NULL) {
		rd->err = xasprintf("%s:%zu:%zu: %s%s", rd->path, rd->line, col,
		                    rd->line == 1 ? "not a vmtui recording: " : "", why);
		return false;
	}
	ver = json_get(j, "vmtui-recording");
	if (j->type != JSON_OBJECT)
		ok = bad(rd, j, "a line should be an object, not %s", json_type_name(j->type));
	else if (rd->line == 1 && ver == NULL)
		ok = bad(rd, j, "not a vmtui recording: the first line should be a header "
		         "{\"vmtui-recording\":%d,...}", RECORDING_VERSION);
	else if (ver != NULL)
		ok = read_header(rd, j, ver, out, rd->line == 1);
	else if ((ok = read_sample(rd, j, &s))) {
		out->samples = xreallocarray(out->samples, out->n + 1, sizeof *out->samples);
		out->samples[out->n++] = s;
	}
	if (!ok)
		rec_sample_clear(&s);
	json_free(j);
	return ok;
}

int
recording_read(const char *path, struct recording *out)
{
	struct reader rd = { .path = path };
	FILE *f = fopen(path, "re");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	bool fatal = false;

	memset(out, 0, sizeof *out);
	if (f == NULL) {
		add_error(out, xasprintf("%s: cannot open: %s", path, strerror(errno)));
		return -1;
	}
	while ((len = getline(&line, &cap, f)) > 0) {
		bool cut = line[len - 1] != '\n';
		rd.line++;
		if (!cut)
			line[--len] = '\0';
		if (len == 0 || read_line(&rd, line, (size_t)len, out))
			continue;
		if (cut && rd.line > 1) {
			/* Recording stopped mid-write: not an error. */
			out->note = xasprintf("%s:%zu: the last line is cut short (the recording "
			                      "was interrupted); it is ignored", path, rd.line);
			free(rd.err);
		} else {
			add_error(out, rd.err);
		}
		rd.err = NULL;
		if (rd.line == 1) {
			fatal = true; /* no header: not a recording, read no further */
			break;
		}
	}
	free(line);
	if (rd.line == 0) {
		add_error(out, xasprintf("%s: empty file, not a vmtui recording", path));
		fatal = true;
	}
	fclose(f);
	return fatal ? -1 : 0;
}

void
recording_free(struct recording *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		rec_sample_clear(&r->samples[i]);
	free(r->samples);
	xfree_strv(r->errors, r->nerrors);
	free(r->note);
	memset(r, 0, sizeof *r);
}
