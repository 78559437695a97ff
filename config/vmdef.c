/* vmdef.c — read VM definition files (vmtui.yaml(5)) with libyaml: one VM,
 * a list of VMs or a mapping of names to VMs (kcli plan style). Every value
 * is checked and every problem reported with file, line and column; kcli's
 * spellings of the same things are accepted as aliases. */
#include "vmdef.h"

#include <ctype.h>

#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "../model/base/tagrule.h"
#include "../model/base/xmalloc.h"
#include "resdef.h"

#define KiB 1024ull
#define MiB (1024 * KiB)
#define GiB (1024 * MiB)
#define NAME_MAX_LEN 64
#define FILE_MAX (16u << 20)

struct ctx {
	struct vmdef_file *f;
	const char *file;        /* name in messages, owned by f->names */
	const char *dir;         /* resolves user_data_file */
	yaml_document_t *doc;
	struct config_errors *e;
	yaml_mark_t *marks;      /* where each error of this text is */
	size_t nmarks;
};

/* One key a mapping may hold; aliases share an id. */
struct key {
	const char *name;
	int id;
};

struct keyset {
	const char *what;        /* "a disk", for "unknown key" errors */
	const struct key *keys;  /* ends with a NULL name */
	bool list_known;         /* list the keys in "unknown key" errors */
};

/* A key found in a mapping, and its value. */
struct slot {
	yaml_node_t *k, *v;
};

/* ---- messages ---- */

static void verr(struct ctx *c, yaml_mark_t m, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
static void err_mark(struct ctx *c, yaml_mark_t m, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void err(struct ctx *c, yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
verr(struct ctx *c, yaml_mark_t m, const char *fmt, va_list ap)
{
	struct config_errors *e = c->e;
	char *msg;

	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	e->v = xreallocarray(e->v, e->n + 1, sizeof *e->v);
	e->v[e->n++] = xasprintf("%s:%zu:%zu: %s", c->file, m.line + 1, m.column + 1,
	                         msg ? msg : "error");
	free(msg);
	c->marks = xreallocarray(c->marks, c->nmarks + 1, sizeof *c->marks);
	c->marks[c->nmarks++] = m;
}

/* Put the errors of this text (the last c->nmarks) in file order. */
static void
sort_errors(struct ctx *c)
{
	char **v, *s;
	yaml_mark_t m;
	size_t i, j;

	/* Nothing to order (and e->v may still be NULL). */
	if (c->nmarks < 2)
		return;
	v = c->e->v + c->e->n - c->nmarks;
	for (i = 1; i < c->nmarks; i++) {
		m = c->marks[i];
		s = v[i];
		for (j = i; j > 0 && (c->marks[j - 1].line > m.line ||
		                      (c->marks[j - 1].line == m.line &&
		                       c->marks[j - 1].column > m.column)); j--) {
			c->marks[j] = c->marks[j - 1];
			v[j] = v[j - 1];
		}
		c->marks[j] = m;
		v[j] = s;
	}
}

static void
err_mark(struct ctx *c, yaml_mark_t m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verr(c, m, fmt, ap);
	va_end(ap);
}

/* An error at the start of node n. */
static void
err(struct ctx *c, yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verr(c, n->start_mark, fmt, ap);
	va_end(ap);
}

static size_t
line_of(yaml_node_t *n)
{
	return n->start_mark.line + 1;
}

static struct vmdef_pos
pos_of(struct ctx *c, yaml_node_t *n)
{
	struct vmdef_pos p = { c->file, (unsigned)n->start_mark.line + 1,
	                       (unsigned)n->start_mark.column + 1 };
	return p;
}

/* ---- scalars ---- */

static const char *
sval(yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

static yaml_node_t *
node(struct ctx *c, int id)
{
	return yaml_document_get_node(c->doc, id);
}

/* An unquoted empty value, ~ or null. */
static bool
is_null(yaml_node_t *n)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL", NULL };
	size_t i;

	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	for (i = 0; nulls[i]; i++)
		if (strcmp(sval(n), nulls[i]) == 0)
			return true;
	return false;
}

/* What a node is, for "expected X, not Y". */
static const char *
kind(yaml_node_t *n)
{
	if (n->type == YAML_MAPPING_NODE)
		return "a mapping";
	if (n->type == YAML_SEQUENCE_NODE)
		return "a list";
	return is_null(n) ? "an empty value" : "a single value";
}

/* The text of a non-empty scalar, or NULL after saying what was expected. */
static const char *
str(struct ctx *c, const char *label, yaml_node_t *v, const char *what)
{
	if (v->type != YAML_SCALAR_NODE || is_null(v) || !sval(v)[0]) {
		err(c, v, "%s: expected %s, not %s", label, what,
		    v->type == YAML_SCALAR_NODE && !sval(v)[0] ? "an empty value" : kind(v));
		return NULL;
	}
	if (strlen(sval(v)) != v->data.scalar.length) {
		err(c, v, "%s: contains a NUL character", label);
		return NULL;
	}
	return sval(v);
}

/* Like str, into a new string; replaces *out. */
static bool
dupstr(struct ctx *c, const char *label, yaml_node_t *v, const char *what, char **out)
{
	const char *s = str(c, label, v, what);

	if (s == NULL)
		return false;
	free(*out);
	*out = xstrdup(s);
	return true;
}

static bool
boolean(struct ctx *c, const char *label, yaml_node_t *v, bool *out)
{
	const char *s;

	/* "user: {}", as people write a flag that has no options: on. */
	if (v->type == YAML_MAPPING_NODE &&
	    v->data.mapping.pairs.top == v->data.mapping.pairs.start) {
		*out = true;
		return true;
	}
	s = str(c, label, v, "true or false");

	if (s == NULL)
		return false;
	if (config_parse_bool(s, out))
		return true;
	err(c, v, "%s: expected true or false, not \"%s\"", label, s);
	return false;
}

/* A whole number from lo to hi. */
static bool
count(struct ctx *c, const char *label, yaml_node_t *v, unsigned lo, unsigned hi, unsigned *out)
{
	const char *s = str(c, label, v, "a whole number");
	unsigned long n;

	if (s == NULL)
		return false;
	n = strtoul(s, NULL, 10);
	if (strspn(s, "0123456789") != strlen(s) || strlen(s) > 9 || n < lo || n > hi) {
		err(c, v, "%s: \"%s\" is not a whole number from %u to %u", label, s, lo, hi);
		return false;
	}
	*out = (unsigned)n;
	return true;
}

/* One of words (NULL-terminated); the index, or -1 after an error. */
static int
choice(struct ctx *c, const char *label, yaml_node_t *v, const char *const *words,
       const char *list)
{
	const char *s = str(c, label, v, list);
	int i;

	if (s == NULL)
		return -1;
	for (i = 0; words[i]; i++)
		if (strcmp(s, words[i]) == 0)
			return i;
	err(c, v, "%s: \"%s\" is not one of %s", label, s, list);
	return -1;
}

/* An absolute path on the VM's host. */
static bool
abspath(struct ctx *c, const char *label, yaml_node_t *v, char **out)
{
	const char *s = str(c, label, v, "an absolute path on the host");

	if (s == NULL)
		return false;
	if (s[0] != '/') {
		err(c, v, "%s: expected an absolute path on the host, not \"%s\"", label, s);
		return false;
	}
	free(*out);
	*out = xstrdup(s);
	return true;
}

static void
push(char ***v, size_t *n, const char *s)
{
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[(*n)++] = xstrdup(s);
}

/* A list of strings, or a single string taken as a list of one. */
static void
strings(struct ctx *c, const char *label, yaml_node_t *v, const char *what, char ***out,
        size_t *n)
{
	yaml_node_item_t *it;
	const char *s;

	if (v->type == YAML_SCALAR_NODE && !is_null(v)) {
		if ((s = str(c, label, v, what)))
			push(out, n, s);
		return;
	}
	if (v->type != YAML_SEQUENCE_NODE) {
		err(c, v, "%s: expected a list, each %s, not %s", label, what, kind(v));
		return;
	}
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		yaml_node_t *i = node(c, *it);
		if (i && (s = str(c, label, i, what)))
			push(out, n, s);
	}
}

/* ---- sizes ---- */

static unsigned
log2u(uint64_t v)
{
	unsigned s = 0;

	while (v > 1)
		v >>= 1, s++;
	return s;
}

/* The shift of unit text u ("G", "gib", "MB", "" for bare), or -1. */
static int
unit_shift(const char *u, unsigned bare)
{
	static const char letters[] = "BKMGT";
	const char *l;
	char up;

	if (!*u)
		return (int)bare;
	up = (char)(*u >= 'a' && *u <= 'z' ? *u - 'a' + 'A' : *u);
	if ((l = strchr(letters, up)) == NULL)
		return -1;
	u++;
	if (l != letters && (*u == 'i' || *u == 'I'))
		u++;
	if (l != letters && (*u == 'b' || *u == 'B'))
		u++;
	return *u ? -1 : (int)(l - letters) * 10;
}

enum vmdef_size_status
vmdef_parse_size(const char *s, uint64_t bare_unit, uint64_t *out)
{
	uint64_t whole = 0, frac = 0, p5 = 1, q, fb;
	unsigned digits = 0;
	int shift;
	const char *p = s;

	if (p[0] == '-' && ((p[1] >= '0' && p[1] <= '9') || p[1] == '.'))
		return VMDEF_SIZE_NEGATIVE;
	if (!(*p >= '0' && *p <= '9'))
		return VMDEF_SIZE_SYNTAX;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (whole > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
			return VMDEF_SIZE_OVERFLOW;
		whole = whole * 10 + (uint64_t)(*p - '0');
	}
	if (*p == '.') {
		if (!(*++p >= '0' && *p <= '9'))
			return VMDEF_SIZE_SYNTAX;
		/* 18 decimals are exact in 64 bits; more can only be zeros. */
		for (; *p >= '0' && *p <= '9'; p++) {
			if (digits == 18) {
				if (*p != '0')
					return VMDEF_SIZE_FRACTION;
				continue;
			}
			frac = frac * 10 + (uint64_t)(*p - '0');
			p5 *= 5;
			digits++;
		}
	}
	while (*p == ' ')
		p++;
	if ((shift = unit_shift(p, log2u(bare_unit))) < 0)
		return VMDEF_SIZE_UNIT;
	if (whole > (UINT64_MAX >> shift))
		return VMDEF_SIZE_OVERFLOW;
	/* frac / 10^d * 2^shift must be whole: 10^d = 5^d * 2^d. */
	if (frac % p5)
		return VMDEF_SIZE_FRACTION;
	q = frac / p5;
	if ((unsigned)shift >= digits)
		fb = q << (shift - (int)digits);
	else if (q & ((1ull << (digits - (unsigned)shift)) - 1))
		return VMDEF_SIZE_FRACTION;
	else
		fb = q >> (digits - (unsigned)shift);
	if ((whole << shift) > UINT64_MAX - fb)
		return VMDEF_SIZE_OVERFLOW;
	*out = (whole << shift) + fb;
	return VMDEF_SIZE_OK;
}

/* A size node; bare numbers are in `bare` bytes. */
static bool
size(struct ctx *c, const char *label, yaml_node_t *v, uint64_t bare, uint64_t *out)
{
	const char *s = str(c, label, v, "a size such as 512M or 2G"), *u;

	if (s == NULL)
		return false;
	switch (vmdef_parse_size(s, bare, out)) {
	case VMDEF_SIZE_OK:
		return true;
	case VMDEF_SIZE_NEGATIVE:
		err(c, v, "%s: \"%s\" is negative", label, s);
		break;
	case VMDEF_SIZE_UNIT:
		u = s + strspn(s, "0123456789. ");
		err(c, v, "%s: unknown unit \"%s\" in \"%s\" (use K, M, G or T, e.g. 512M, 2G)",
		    label, u, s);
		break;
	case VMDEF_SIZE_FRACTION:
		err(c, v, "%s: \"%s\" is not a whole number of bytes", label, s);
		break;
	case VMDEF_SIZE_OVERFLOW:
		err(c, v, "%s: \"%s\" is too large", label, s);
		break;
	default:
		err(c, v, "%s: \"%s\" is not a size (e.g. 512M, 2G)", label, s);
		break;
	}
	return false;
}

/* ---- mappings ---- */

/* "unknown key", with the closest known key, or the known keys. */
static void
unknown_key(struct ctx *c, yaml_node_t *kn, const struct keyset *ks)
{
	const char *words[48], *sugg;
	char known[512];
	size_t n = 0, len = 0;

	for (n = 0; ks->keys[n].name && n + 1 < sizeof words / sizeof *words; n++)
		words[n] = ks->keys[n].name;
	words[n] = NULL;
	/* Not a key of which nothing is left: "x" is no typo of "os". */
	if ((sugg = config_suggest(sval(kn), words)) &&
	    config_distance(sval(kn), sugg) < (strlen(sval(kn)) > strlen(sugg) ? strlen(sval(kn))
	                                                                    : strlen(sugg))) {
		err(c, kn, "unknown key \"%s\" (did you mean \"%s\"?)", sval(kn), sugg);
		return;
	}
	if (!ks->list_known) {
		err(c, kn, "unknown key \"%s\" for %s (see vmtui.yaml(5))", sval(kn), ks->what);
		return;
	}
	known[0] = '\0';
	for (n = 0; words[n] && len < sizeof known; n++)
		len += (size_t)snprintf(known + len, sizeof known - len, "%s%s", n ? ", " : "",
		                        words[n]);
	err(c, kn, "unknown key \"%s\" for %s (known: %s)", sval(kn), ks->what, known);
}

/* Fill slots (indexed by key id) from mapping m, reporting unknown and
 * duplicate keys. */
static void
collect(struct ctx *c, yaml_node_t *m, const struct keyset *ks, struct slot *slots)
{
	yaml_node_pair_t *p;
	const struct key *k;

	for (p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
		yaml_node_t *kn = node(c, p->key), *vn = node(c, p->value);
		if (kn == NULL || vn == NULL)
			continue;
		if (kn->type != YAML_SCALAR_NODE) {
			err(c, kn, "expected a key name, not %s", kind(kn));
			continue;
		}
		for (k = ks->keys; k->name && strcmp(k->name, sval(kn)) != 0; k++)
			;
		if (k->name == NULL)
			unknown_key(c, kn, ks);
		else if (slots[k->id].k) {
			yaml_node_t *first = slots[k->id].k;
			if (strcmp(sval(first), sval(kn)) == 0)
				err(c, kn, "duplicate key \"%s\" (first at line %zu)", sval(kn),
				    line_of(first));
			else
				err(c, kn, "duplicate key \"%s\" (same as \"%s\" at line %zu)",
				    sval(kn), sval(first), line_of(first));
		} else {
			slots[k->id].k = kn;
			slots[k->id].v = vn;
		}
	}
}

/* ---- the keys of a VM ---- */

enum {
	V_NAME, V_HOST, V_TYPE, V_ARCH, V_MACHINE, V_VCPUS, V_MEMORY, V_DISKS, V_NETS,
	V_BOOT, V_CLOUD, V_CONSOLE, V_AUTOSTART, V_START, V_KEYS, V_CMDS, V_IMAGE, V_POOL,
	V_GRAPHICS, V_ISO, V_FIRMWARE, V_SECBOOT, V_TPM, V_CPU, V_HOSTDEVS, V_RNG, V_BOOTMENU,
	V_OS, V_AGENT, V_SSHUSER,
	V_TAGS, V_NOTES,
	V_N
};
static const struct key vm_keys[] = {
	{ "name", V_NAME }, { "host", V_HOST }, { "type", V_TYPE }, { "arch", V_ARCH },
	{ "machine", V_MACHINE }, { "vcpus", V_VCPUS }, { "numcpus", V_VCPUS },
	{ "memory", V_MEMORY }, { "disks", V_DISKS }, { "networks", V_NETS }, { "nets", V_NETS },
	{ "boot", V_BOOT }, { "cloud_init", V_CLOUD }, { "cloudinit", V_CLOUD },
	{ "console", V_CONSOLE }, { "autostart", V_AUTOSTART }, { "start", V_START },
	{ "keys", V_KEYS }, { "cmds", V_CMDS }, { "image", V_IMAGE }, { "pool", V_POOL },
	{ "graphics", V_GRAPHICS }, { "iso", V_ISO }, { "cdrom", V_ISO },
	{ "firmware", V_FIRMWARE }, { "secure_boot", V_SECBOOT }, { "tpm", V_TPM },
	{ "cpu", V_CPU }, { "hostdevs", V_HOSTDEVS }, { "rng", V_RNG },
	{ "boot_menu", V_BOOTMENU }, { "os", V_OS },
	{ "agent", V_AGENT }, { "ssh_user", V_SSHUSER },
	{ "tags", V_TAGS }, { "notes", V_NOTES }, { "note", V_NOTES },
	{ NULL, 0 },
};
static const struct keyset vm_set = { "a VM", vm_keys, false };

static bool
ends_with(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);

	return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

/* ---- vcpus and memory ---- */

enum { CM_CURRENT, CM_MAX, CM_N };
static const struct key cm_keys[] = { { "current", CM_CURRENT }, { "max", CM_MAX }, { NULL, 0 } };
static const struct keyset vcpus_set = { "vcpus", cm_keys, true };
static const struct keyset memory_set = { "memory", cm_keys, true };

static void
parse_vcpus(struct ctx *c, struct vmdef *vm, struct slot *s)
{
	struct slot cm[CM_N] = { { 0 } };
	const char *label;
	unsigned cur = 0, max = 0;

	vm->vcpus = vm->max_vcpus = 1;
	if (s->v == NULL)
		return;
	label = sval(s->k);
	if (s->v->type != YAML_MAPPING_NODE) {
		if (count(c, label, s->v, 1, 4096, &cur))
			vm->vcpus = vm->max_vcpus = cur;
		return;
	}
	collect(c, s->v, &vcpus_set, cm);
	if (!cm[CM_CURRENT].v && !cm[CM_MAX].v) {
		err(c, s->v, "%s: give current, max or both", label);
		return;
	}
	if ((cm[CM_CURRENT].v && !count(c, "current", cm[CM_CURRENT].v, 1, 4096, &cur)) ||
	    (cm[CM_MAX].v && !count(c, "max", cm[CM_MAX].v, 1, 4096, &max)))
		return;
	cur = cur ? cur : max;
	max = max ? max : cur;
	if (cur > max) {
		err(c, s->v, "%s: current (%u) is more than max (%u)", label, cur, max);
		return;
	}
	vm->vcpus = cur;
	vm->max_vcpus = max;
}

/* A memory size: bare numbers are MiB (kcli); libvirt counts KiB. */
static bool
memsize(struct ctx *c, const char *label, yaml_node_t *v, uint64_t *out)
{
	if (!size(c, label, v, MiB, out))
		return false;
	if (*out < MiB) {
		err(c, v, "%s: \"%s\" is less than 1M", label, sval(v));
		return false;
	}
	if (*out % KiB) {
		err(c, v, "%s: \"%s\" is not a whole number of KiB", label, sval(v));
		return false;
	}
	return true;
}

static void
parse_memory(struct ctx *c, struct vmdef *vm, struct slot *s)
{
	struct slot cm[CM_N] = { { 0 } };
	uint64_t cur = 0, max = 0;

	vm->memory = vm->max_memory = 512 * MiB;
	if (s->v == NULL)
		return;
	if (s->v->type != YAML_MAPPING_NODE) {
		if (memsize(c, "memory", s->v, &cur))
			vm->memory = vm->max_memory = cur;
		return;
	}
	collect(c, s->v, &memory_set, cm);
	if (!cm[CM_CURRENT].v && !cm[CM_MAX].v) {
		err(c, s->v, "memory: give current, max or both");
		return;
	}
	if ((cm[CM_CURRENT].v && !memsize(c, "current", cm[CM_CURRENT].v, &cur)) ||
	    (cm[CM_MAX].v && !memsize(c, "max", cm[CM_MAX].v, &max)))
		return;
	cur = cur ? cur : max;
	max = max ? max : cur;
	if (cur > max) {
		err(c, s->v, "memory: current (%s) is more than max (%s)",
		    sval(cm[CM_CURRENT].v), sval(cm[CM_MAX].v));
		return;
	}
	vm->memory = cur;
	vm->max_memory = max;
}

/* ---- disks ---- */

enum { D_SIZE, D_POOL, D_FORMAT, D_BUS, D_IMAGE, D_COPY, D_PATH, D_N };
static const struct key disk_keys[] = {
	{ "size", D_SIZE }, { "pool", D_POOL }, { "format", D_FORMAT }, { "bus", D_BUS },
	{ "interface", D_BUS }, { "image", D_IMAGE }, { "copy", D_COPY }, { "path", D_PATH },
	{ NULL, 0 },
};
static const struct keyset disk_set = { "a disk", disk_keys, true };
static const char *const formats[] = { "qcow2", "raw", NULL };
static const char *const buses[] = { "virtio", "sata", "scsi", "ide", NULL };

/* A base image: an absolute path, "pool/volume" or a volume name. */
static bool
image_name(struct ctx *c, const char *label, yaml_node_t *v, char **out)
{
	const char *s = str(c, label, v, "an image path or pool/volume name"), *slash;

	if (s == NULL)
		return false;
	slash = strchr(s, '/');
	if (s[0] != '/' && slash && (slash == s || !slash[1] || strchr(slash + 1, '/'))) {
		err(c, v, "%s: \"%s\" is neither an absolute path nor pool/volume", label, s);
		return false;
	}
	*out = xstrdup(s);
	return true;
}

static struct vmdef_disk *
add_disk(struct vmdef *vm, struct vmdef_pos pos)
{
	struct vmdef_disk *d;

	vm->disks = xreallocarray(vm->disks, vm->ndisks + 1, sizeof *vm->disks);
	d = &vm->disks[vm->ndisks++];
	memset(d, 0, sizeof *d);
	d->pos = pos;
	return d;
}

/* The keys of a disk mapping that cannot go with the others. */
static void
disk_conflicts(struct ctx *c, struct slot *s, struct vmdef_disk *d, bool has_image)
{
	static const int with_path[] = { D_SIZE, D_POOL, D_IMAGE, D_COPY };
	size_t i;

	if (s[D_PATH].v)
		for (i = 0; i < sizeof with_path / sizeof *with_path; i++)
			if (s[with_path[i]].k)
				err(c, s[with_path[i]].k, "%s: cannot be combined with path "
				    "(line %zu), an existing file used as is", sval(s[with_path[i]].k),
				    line_of(s[D_PATH].k));
	if (d->image_copy && !has_image && !s[D_PATH].v)
		err(c, s[D_COPY].k, "copy: needs an image to copy");
	if (d->format && strcmp(d->format, "raw") == 0 && has_image && !d->image_copy)
		err(c, s[D_FORMAT].k, "format: a raw disk cannot be an overlay on an image; "
		    "add copy: true or use qcow2");
}

/* One item of disks: a size in GiB (kcli), or a mapping. `top_image`: the
 * VM's image key will go into this disk. */
static void
parse_disk(struct ctx *c, struct vmdef *vm, yaml_node_t *v, bool top_image)
{
	struct slot s[D_N] = { { 0 } };
	struct vmdef_disk *d = add_disk(vm, pos_of(c, v));
	size_t before = c->e->n;
	int i;

	if (v->type == YAML_SCALAR_NODE) {
		if (size(c, "disks", v, GiB, &d->size) && d->size == 0)
			err(c, v, "disks: a disk size must be more than 0");
		return;
	}
	if (v->type != YAML_MAPPING_NODE) {
		err(c, v, "disks: expected a size or a mapping describing a disk, not %s", kind(v));
		return;
	}
	collect(c, v, &disk_set, s);
	if (s[D_SIZE].v && size(c, "size", s[D_SIZE].v, GiB, &d->size) && d->size == 0)
		err(c, s[D_SIZE].v, "size: a disk size must be more than 0");
	if (s[D_POOL].v)
		dupstr(c, "pool", s[D_POOL].v, "a storage pool name", &d->pool);
	if (s[D_FORMAT].v && (i = choice(c, "format", s[D_FORMAT].v, formats, "qcow2, raw")) >= 0)
		d->format = xstrdup(formats[i]);
	if (s[D_BUS].v && (i = choice(c, sval(s[D_BUS].k), s[D_BUS].v, buses,
	                              "virtio, sata, scsi, ide")) >= 0)
		d->bus = xstrdup(buses[i]);
	d->bus_given = s[D_BUS].v != NULL;
	if (s[D_IMAGE].v)
		image_name(c, "image", s[D_IMAGE].v, &d->image);
	if (s[D_COPY].v)
		boolean(c, "copy", s[D_COPY].v, &d->image_copy);
	if (s[D_PATH].v)
		abspath(c, "path", s[D_PATH].v, &d->path);
	if (c->e->n != before)
		return;
	disk_conflicts(c, s, d, s[D_IMAGE].v || top_image);
	if (c->e->n == before && !d->size && !s[D_IMAGE].v && !top_image && !d->path)
		err(c, v, "a disk needs size, image or path");
}

/* The VM's own image and pool keys (kcli): the first disk's image, and the
 * pool of every disk that names none. */
static void
disk_defaults(struct ctx *c, struct vmdef *vm, struct slot *s)
{
	struct vmdef_disk *d;
	char *img = NULL, *pool = NULL;
	size_t i;

	if (s[V_IMAGE].v && image_name(c, "image", s[V_IMAGE].v, &img)) {
		d = vm->ndisks ? &vm->disks[0] : add_disk(vm, pos_of(c, s[V_IMAGE].k));
		if (d->image || d->path) {
			err(c, s[V_IMAGE].k, "image: the first disk (line %u) already has %s",
			    d->pos.line, d->image ? "an image" : "a path");
			free(img);
		} else {
			d->image = img;
		}
	}
	if (s[V_POOL].v)
		dupstr(c, "pool", s[V_POOL].v, "a storage pool name", &pool);
	for (i = 0; i < vm->ndisks; i++) {
		d = &vm->disks[i];
		if (!d->path && !d->pool)
			d->pool = xstrdup(pool ? pool : "default");
		if (!d->format)
			d->format = xstrdup(d->path && !ends_with(d->path, ".qcow2") ? "raw" : "qcow2");
		if (!d->bus)
			d->bus = xstrdup("virtio");
	}
	free(pool);
}

/* ---- networks ---- */

enum { N_NETWORK, N_BRIDGE, N_USER, N_MAC, N_MODEL, N_N };
static const struct key net_keys[] = {
	{ "network", N_NETWORK }, { "name", N_NETWORK }, { "bridge", N_BRIDGE },
	{ "user", N_USER }, { "mac", N_MAC }, { "model", N_MODEL }, { NULL, 0 },
};
static const struct keyset net_set = { "a network interface", net_keys, true };
static const char *const models[] = { "virtio", "e1000", "e1000e", "rtl8139", NULL };

static struct vmdef_net *
add_net(struct vmdef *vm, struct vmdef_pos pos)
{
	struct vmdef_net *n;

	vm->nets = xreallocarray(vm->nets, vm->nnets + 1, sizeof *vm->nets);
	n = &vm->nets[vm->nnets++];
	memset(n, 0, sizeof *n);
	n->pos = pos;
	n->model = xstrdup("virtio");
	return n;
}

/* aa:bb:cc:dd:ee:ff, unicast; stored in lower case. */
static void
parse_mac(struct ctx *c, yaml_node_t *v, char **out)
{
	const char *s = str(c, "mac", v, "a MAC address like 52:54:00:12:34:56");
	char *m;
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < 17; i++)
		if (i % 3 == 2 ? s[i] != ':' : !strchr("0123456789abcdefABCDEF", s[i]) || !s[i])
			break;
	if (i < 17 || s[17]) {
		err(c, v, "mac: \"%s\" is not a MAC address like 52:54:00:12:34:56", s);
		return;
	}
	if (strtoul(s, NULL, 16) & 1) {
		err(c, v, "mac: \"%s\" is a multicast address (the first byte must be even)", s);
		return;
	}
	m = xstrdup(s);
	for (i = 0; m[i]; i++)
		if (m[i] >= 'A' && m[i] <= 'F')
			m[i] = (char)(m[i] - 'A' + 'a');
	*out = m;
}

/* network, bridge or user: exactly one. */
static void
net_source(struct ctx *c, struct vmdef_net *n, yaml_node_t *m, struct slot *s)
{
	static const int ids[] = { N_NETWORK, N_BRIDGE, N_USER };
	yaml_node_t *first = NULL;
	bool user = true;
	size_t i;

	if (s[N_USER].v && boolean(c, "user", s[N_USER].v, &user) && !user)
		s[N_USER].k = NULL; /* user: false asks for nothing */
	for (i = 0; i < 3; i++) {
		if (!s[ids[i]].k)
			continue;
		if (first) {
			err(c, s[ids[i]].k, "%s: cannot be combined with %s (line %zu)",
			    sval(s[ids[i]].k), sval(first), line_of(first));
			continue;
		}
		first = s[ids[i]].k;
		n->kind = ids[i] == N_NETWORK ? VMDEF_NET_NETWORK
		        : ids[i] == N_BRIDGE ? VMDEF_NET_BRIDGE : VMDEF_NET_USER;
		if (ids[i] != N_USER)
			dupstr(c, sval(first), s[ids[i]].v,
			       ids[i] == N_BRIDGE ? "a bridge name" : "a network name", &n->source);
	}
	if (first == NULL)
		err(c, m, "a network interface needs one of network, bridge or user: true");
}

/* One item of networks: a network name, or a mapping. */
static void
parse_net(struct ctx *c, struct vmdef *vm, yaml_node_t *v, const char *label)
{
	struct slot s[N_N] = { { 0 } };
	struct vmdef_net *n = add_net(vm, pos_of(c, v));
	int i;

	if (v->type != YAML_MAPPING_NODE) {
		if (v->type == YAML_SCALAR_NODE && !is_null(v))
			dupstr(c, label, v, "a network name", &n->source);
		else
			err(c, v, "%s: expected a network name or a mapping, not %s", label, kind(v));
		return;
	}
	collect(c, v, &net_set, s);
	net_source(c, n, v, s);
	if (s[N_MAC].v)
		parse_mac(c, s[N_MAC].v, &n->mac);
	if (s[N_MODEL].v && (i = choice(c, "model", s[N_MODEL].v, models,
	                                "virtio, e1000, e1000e, rtl8139")) >= 0) {
		free(n->model);
		n->model = xstrdup(models[i]);
	}
	n->model_given = s[N_MODEL].v != NULL;
}

/* Absent: one interface on libvirt's "default" network, like kcli. */
static void
parse_nets(struct ctx *c, struct vmdef *vm, struct slot *s)
{
	yaml_node_item_t *it;
	yaml_node_t *i;

	if (s->v == NULL) {
		add_net(vm, vm->pos)->source = xstrdup("default");
		return;
	}
	if (s->v->type != YAML_SEQUENCE_NODE) {
		err(c, s->v, "%s: expected a list of network interfaces, not %s", sval(s->k),
		    kind(s->v));
		return;
	}
	for (it = s->v->data.sequence.items.start; it < s->v->data.sequence.items.top; it++)
		if ((i = node(c, *it)))
			parse_net(c, vm, i, sval(s->k));
}

/* ---- boot ---- */

enum { B_KERNEL, B_INITRD, B_CMDLINE, B_ORDER, B_N };
static const struct key boot_keys[] = {
	{ "kernel", B_KERNEL }, { "initrd", B_INITRD }, { "cmdline", B_CMDLINE },
	{ "order", B_ORDER }, { NULL, 0 },
};
static const struct keyset boot_set = { "boot", boot_keys, true };

static void
boot_order(struct ctx *c, struct vmdef *vm, yaml_node_t *v)
{
	static const char *const devs[] = { "hd", "cdrom", "network", NULL };
	size_t i, j;

	strings(c, "order", v, "hd, cdrom or network", &vm->boot_order, &vm->nboot);
	for (i = 0; i < vm->nboot; i++) {
		for (j = 0; devs[j] && strcmp(devs[j], vm->boot_order[i]) != 0; j++)
			;
		if (devs[j] == NULL)
			err(c, v, "order: \"%s\" is not one of hd, cdrom, network", vm->boot_order[i]);
		for (j = 0; j < i; j++)
			if (strcmp(vm->boot_order[i], vm->boot_order[j]) == 0) {
				err(c, v, "order: \"%s\" is listed twice", vm->boot_order[i]);
				break;
			}
	}
}

static void
parse_boot(struct ctx *c, struct vmdef *vm, yaml_node_t *v)
{
	struct slot s[B_N] = { { 0 } };

	if (v->type != YAML_MAPPING_NODE) {
		err(c, v, "boot: expected a mapping with kernel, initrd, cmdline or order, not %s",
		    kind(v));
		return;
	}
	collect(c, v, &boot_set, s);
	if (s[B_KERNEL].v)
		abspath(c, "kernel", s[B_KERNEL].v, &vm->kernel);
	if (s[B_INITRD].v)
		abspath(c, "initrd", s[B_INITRD].v, &vm->initrd);
	if (s[B_CMDLINE].v)
		dupstr(c, "cmdline", s[B_CMDLINE].v, "a kernel command line", &vm->cmdline);
	if (s[B_ORDER].v)
		boot_order(c, vm, s[B_ORDER].v);
	if (!s[B_KERNEL].k && s[B_INITRD].k)
		err(c, s[B_INITRD].k, "initrd: needs kernel");
	if (!s[B_KERNEL].k && s[B_CMDLINE].k)
		err(c, s[B_CMDLINE].k, "cmdline: needs kernel");
	if (s[B_KERNEL].k && s[B_ORDER].k)
		err(c, s[B_ORDER].k, "order: cannot be combined with kernel (line %zu)",
		    line_of(s[B_KERNEL].k));
}

/* ---- cloud-init ---- */

enum { C_USER_DATA, C_USER_DATA_FILE, C_META_DATA, C_HOSTNAME, C_KEYS, C_RUNCMD, C_N };
static const struct key cloud_keys[] = {
	{ "user_data", C_USER_DATA }, { "user_data_file", C_USER_DATA_FILE },
	{ "meta_data", C_META_DATA }, { "hostname", C_HOSTNAME },
	{ "ssh_authorized_keys", C_KEYS }, { "runcmd", C_RUNCMD }, { NULL, 0 },
};
static const struct keyset cloud_set = { "cloud_init", cloud_keys, true };

/* read_all's answer for a FIFO, device or socket (not an errno value). */
#define EFTYPE_NOT_REGULAR (-1)

/* The whole of a file, NUL-terminated; 0, an errno value, or
 * EFTYPE_NOT_REGULAR. */
static int
read_all(const char *path, char **out, size_t *outlen)
{
	/* O_NONBLOCK: opening a FIFO would otherwise wait for a writer. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	FILE *f;
	char *buf = NULL;
	size_t len = 0, cap = 0, n;
	struct stat st;
	int rc = 0;

	if (fd < 0)
		return errno;
	/* A FIFO would wait forever and a device never end: files only. */
	if (fstat(fd, &st) < 0) {
		rc = errno;
		close(fd);
		return rc;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return S_ISDIR(st.st_mode) ? EISDIR : EFTYPE_NOT_REGULAR;
	}
	if ((f = fdopen(fd, "rb")) == NULL) {
		rc = errno;
		close(fd);
		return rc;
	}
	do {
		if (len == cap) {
			cap = cap ? cap * 2 : 4096;
			buf = xrealloc(buf, cap + 1);
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0 && len <= FILE_MAX);
	if (ferror(f))
		rc = errno ? errno : EIO;
	else if (len > FILE_MAX)
		rc = EFBIG;
	fclose(f);
	if (rc) {
		free(buf);
		return rc;
	}
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	return 0;
}

/* user_data_file: read now, relative to the YAML file's folder. */
static void
user_data_file(struct ctx *c, struct vmdef_cloud_init *ci, yaml_node_t *v)
{
	const char *rel = str(c, "user_data_file", v, "a file name");
	char *path, *buf = NULL;
	size_t len;
	int rc;

	if (rel == NULL)
		return;
	path = rel[0] == '/' ? xstrdup(rel) : xasprintf("%s/%s", c->dir, rel);
	if ((rc = read_all(path, &buf, &len)) == EFTYPE_NOT_REGULAR)
		err(c, v, "user_data_file: \"%s\" is not a regular file", path);
	else if (rc != 0)
		err(c, v, "user_data_file: cannot read \"%s\": %s", path, strerror(rc));
	else if (memchr(buf, '\0', len))
		err(c, v, "user_data_file: \"%s\" is not text (it holds NUL bytes)", path);
	else {
		ci->user_data = buf;
		buf = NULL;
	}
	free(buf);
	free(path);
}

static void
hostname(struct ctx *c, yaml_node_t *v, char **out)
{
	const char *s = str(c, "hostname", v, "a host name");

	if (s == NULL)
		return;
	if (strlen(s) > 253 || strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                                 "0123456789-.") != strlen(s) || s[0] == '-' || s[0] == '.') {
		err(c, v, "hostname: \"%s\" is not a host name (letters, digits, - and .)", s);
		return;
	}
	*out = xstrdup(s);
}

/* key `a` cannot go with key `b` of the same mapping. */
static void
exclusive(struct ctx *c, struct slot *a, struct slot *b, const char *hint)
{
	if (a->k && b->k)
		err(c, a->k, "%s: cannot be combined with %s (line %zu)%s", sval(a->k), sval(b->k),
		    line_of(b->k), hint);
}

static void
parse_cloud_map(struct ctx *c, struct vmdef_cloud_init *ci, yaml_node_t *v, struct slot *s)
{
	static const char put[] = "; put it in the user data";
	struct slot *ud;

	collect(c, v, &cloud_set, s);
	ud = s[C_USER_DATA].k ? &s[C_USER_DATA] : &s[C_USER_DATA_FILE];
	if (s[C_USER_DATA].v)
		dupstr(c, "user_data", s[C_USER_DATA].v, "the user data text", &ci->user_data);
	if (s[C_USER_DATA_FILE].v && s[C_USER_DATA].k)
		exclusive(c, &s[C_USER_DATA_FILE], &s[C_USER_DATA], "");
	else if (s[C_USER_DATA_FILE].v)
		user_data_file(c, ci, s[C_USER_DATA_FILE].v);
	if (s[C_META_DATA].v)
		dupstr(c, "meta_data", s[C_META_DATA].v, "the meta data text", &ci->meta_data);
	if (s[C_HOSTNAME].v)
		hostname(c, s[C_HOSTNAME].v, &ci->hostname);
	if (s[C_KEYS].v)
		strings(c, "ssh_authorized_keys", s[C_KEYS].v, "an SSH public key",
		        &ci->ssh_authorized_keys, &ci->nkeys);
	if (s[C_RUNCMD].v)
		strings(c, "runcmd", s[C_RUNCMD].v, "a shell command", &ci->runcmd, &ci->nruncmd);
	exclusive(c, &s[C_KEYS], ud, put);
	exclusive(c, &s[C_RUNCMD], ud, put);
	exclusive(c, &s[C_HOSTNAME], &s[C_META_DATA], "; put it in the meta data");
}

/* kcli's keys and cmds: the same as cloud_init's ssh_authorized_keys and
 * runcmd, which they may not repeat. */
static void
top_list(struct ctx *c, struct slot *top, struct slot *vs, struct slot *cs, int cid,
         const char *what, char ***out, size_t *n)
{
	struct slot *ud = cs[C_USER_DATA].k ? &cs[C_USER_DATA] : &cs[C_USER_DATA_FILE];

	if (top->v == NULL)
		return;
	if (vs[V_CLOUD].v && vs[V_CLOUD].v->type != YAML_MAPPING_NODE)
		err(c, top->k, "%s: cloud_init is \"%s\" (line %zu)", sval(top->k),
		    vs[V_CLOUD].v->type == YAML_SCALAR_NODE ? sval(vs[V_CLOUD].v) : "not a mapping",
		    line_of(vs[V_CLOUD].k));
	else if (cs[cid].k)
		err(c, top->k, "%s: cannot be combined with %s in cloud_init (line %zu)",
		    sval(top->k), sval(cs[cid].k), line_of(cs[cid].k));
	else if (ud->k)
		err(c, top->k, "%s: cannot be combined with %s in cloud_init (line %zu); "
		    "put it in the user data", sval(top->k), sval(ud->k), line_of(ud->k));
	else
		strings(c, sval(top->k), top->v, what, out, n);
}

/* cloud_init (false, true or a mapping), keys and cmds. Not given: on when
 * a disk comes from an image or keys/cmds are given. */
static void
parse_cloud(struct ctx *c, struct vmdef *vm, struct slot *vs)
{
	struct vmdef_cloud_init *ci = &vm->cloud_init;
	struct slot s[C_N] = { { 0 } };
	yaml_node_t *v = vs[V_CLOUD].v;
	size_t i;

	if (v && v->type == YAML_MAPPING_NODE) {
		parse_cloud_map(c, ci, v, s);
		ci->enabled = true;
	} else if (v && v->type == YAML_SEQUENCE_NODE) {
		err(c, v, "%s: expected false, true or a mapping, not a list", sval(vs[V_CLOUD].k));
	} else if (v) {
		boolean(c, sval(vs[V_CLOUD].k), v, &ci->enabled);
	}
	top_list(c, &vs[V_KEYS], vs, s, C_KEYS, "an SSH public key", &ci->ssh_authorized_keys,
	         &ci->nkeys);
	top_list(c, &vs[V_CMDS], vs, s, C_RUNCMD, "a shell command", &ci->runcmd, &ci->nruncmd);
	if (v)
		return;
	ci->enabled = ci->nkeys || ci->nruncmd;
	for (i = 0; i < vm->ndisks; i++)
		ci->enabled = ci->enabled || vm->disks[i].image;
}

/* ---- install media, firmware, CPU and devices ---- */

/* iso (or cdrom): an absolute path, or pool/volume. */
static void
parse_iso(struct ctx *c, struct vmdef *vm, struct slot *s)
{
	const char *label = sval(s->k), *v, *slash;

	if ((v = str(c, label, s->v, "an ISO: an absolute path or pool/volume")) == NULL)
		return;
	slash = strchr(v, '/');
	if (v[0] != '/' && (slash == NULL || slash == v || !slash[1] || strchr(slash + 1, '/'))) {
		err(c, s->v, "%s: \"%s\" is neither an absolute path nor pool/volume (e.g. "
		    "default/debian-12.iso or /srv/iso/debian-12.iso)", label, v);
		return;
	}
	vm->iso = xstrdup(v);
	vm->iso_pos = pos_of(c, s->v);
}

/* firmware and secure_boot; secure_boot: true alone implies efi. */
static void
parse_firmware(struct ctx *c, struct vmdef *vm, struct slot *s)
{
	static const char *const fws[] = { "bios", "efi", NULL };
	int i;

	if (s[V_FIRMWARE].v && (i = choice(c, "firmware", s[V_FIRMWARE].v, fws, "bios, efi")) >= 0) {
		vm->firmware = i == 1 ? VMDEF_FW_EFI : VMDEF_FW_BIOS;
		vm->given |= VMDEF_OS_FIRMWARE;
	}
	if (s[V_SECBOOT].v == NULL || !boolean(c, "secure_boot", s[V_SECBOOT].v, &vm->secure_boot))
		return;
	vm->given |= VMDEF_OS_SECURE_BOOT;
	if (!vm->secure_boot)
		return;
	if (s[V_FIRMWARE].v && vm->firmware != VMDEF_FW_EFI && (vm->given & VMDEF_OS_FIRMWARE))
		err(c, s[V_SECBOOT].v, "secure_boot: needs firmware: efi, not bios (line %zu)",
		    line_of(s[V_FIRMWARE].k));
	else if (!s[V_FIRMWARE].v) {
		vm->firmware = VMDEF_FW_EFI;
		vm->given |= VMDEF_OS_FIRMWARE;
	}
}

enum { T_MODEL, T_N };
static const struct key tpm_keys[] = { { "model", T_MODEL }, { NULL, 0 } };
static const struct keyset tpm_set = { "tpm", tpm_keys, true };

/* tpm: true, false, or {model: crb|tis}; an emulated TPM 2.0. */
static void
parse_tpm(struct ctx *c, struct vmdef *vm, yaml_node_t *v)
{
	static const char *const tmodels[] = { "crb", "tis", NULL };
	struct slot s[T_N] = { { 0 } };
	bool on = false;
	int i;

	if (v->type == YAML_MAPPING_NODE) {
		size_t before = c->e->n;

		collect(c, v, &tpm_set, s);
		if (s[T_MODEL].v == NULL && c->e->n == before) {
			err(c, v, "tpm: give model: crb or tis, or write tpm: true");
			return;
		}
		if (s[T_MODEL].v == NULL)
			return;
		if ((i = choice(c, "model", s[T_MODEL].v, tmodels, "crb, tis")) < 0)
			return;
		vm->tpm = i == 0 ? VMDEF_TPM_CRB : VMDEF_TPM_TIS;
	} else if (v->type == YAML_SEQUENCE_NODE) {
		err(c, v, "tpm: expected true, false or a mapping with model, not a list");
		return;
	} else if (boolean(c, "tpm", v, &on)) {
		vm->tpm = on ? VMDEF_TPM_CRB : VMDEF_TPM_NONE;
	} else {
		return;
	}
	vm->given |= VMDEF_OS_TPM;
}

enum { U_MODE, U_MODEL, U_SOCKETS, U_CORES, U_THREADS, U_N };
static const struct key cpu_keys[] = {
	{ "mode", U_MODE }, { "model", U_MODEL }, { "sockets", U_SOCKETS }, { "cores", U_CORES },
	{ "threads", U_THREADS }, { NULL, 0 },
};
static const struct keyset cpu_set = { "cpu", cpu_keys, true };
static const char *const cpu_modes[] = { "host-passthrough", "host-model", "custom", NULL };

/* A CPU model name as libvirt spells them: Skylake-Client, EPYC-v4, qemu64. */
static bool
cpu_model(struct ctx *c, yaml_node_t *v, char **out)
{
	const char *s = str(c, "model", v, "a CPU model such as Skylake-Client");

	if (s == NULL)
		return false;
	if (strlen(s) > 64 || strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                                 "0123456789._-") != strlen(s)) {
		err(c, v, "model: \"%s\" is not a CPU model name (letters, digits, - _ .; virsh "
		    "cpu-models x86_64 lists them)", s);
		return false;
	}
	*out = xstrdup(s);
	return true;
}

/* The topology: the three given multiply to the VM's (max) vCPUs; one left
 * out is 1. With vcpus left out, the product is the vCPU count. */
static void
cpu_topology(struct ctx *c, struct vmdef *vm, yaml_node_t *at, struct slot *s)
{
	unsigned v[3] = { 1, 1, 1 };
	uint64_t prod;
	int i;

	if (!s[U_SOCKETS].v && !s[U_CORES].v && !s[U_THREADS].v)
		return;
	for (i = 0; i < 3; i++)
		if (s[U_SOCKETS + i].v && !count(c, sval(s[U_SOCKETS + i].k), s[U_SOCKETS + i].v, 1,
		                                 4096, &v[i]))
			return;
	prod = (uint64_t)v[0] * v[1] * v[2];
	if (!(vm->given & VMDEF_OS_VCPUS) && prod <= 4096) {
		vm->vcpus = vm->max_vcpus = (unsigned)prod;
		vm->given |= VMDEF_OS_VCPUS;
	} else if (prod != vm->max_vcpus) {
		err(c, at, "cpu: sockets %u x cores %u x threads %u = %" PRIu64 ", but the VM has %u "
		    "vCPU%s%s; they must be equal", v[0], v[1], v[2], prod, vm->max_vcpus,
		    vm->max_vcpus == 1 ? "" : "s",
		    vm->max_vcpus != vm->vcpus ? " at most (vcpus max)" : "");
		return;
	}
	vm->cpu.sockets = v[0];
	vm->cpu.cores = v[1];
	vm->cpu.threads = v[2];
}

/* cpu: a mode name, or {mode, model, sockets, cores, threads}. */
static void
parse_cpu(struct ctx *c, struct vmdef *vm, yaml_node_t *v)
{
	struct slot s[U_N] = { { 0 } };
	int m = -1;

	if (v->type == YAML_SCALAR_NODE) {
		if ((m = choice(c, "cpu", v, cpu_modes, "host-passthrough, host-model (or a "
		                "mapping with mode, model, sockets, cores, threads)")) < 0)
			return;
		if (m == 2) {
			err(c, v, "cpu: custom needs a model: write cpu: {mode: custom, model: NAME}");
			return;
		}
		vm->cpu.mode = (enum vmdef_cpu_mode)(m + 1);
		return;
	}
	if (v->type != YAML_MAPPING_NODE) {
		err(c, v, "cpu: expected a mode or a mapping with mode, model, sockets, cores, "
		    "threads, not %s", kind(v));
		return;
	}
	collect(c, v, &cpu_set, s);
	if (s[U_MODE].v && (m = choice(c, "mode", s[U_MODE].v, cpu_modes,
	                               "host-passthrough, host-model, custom")) < 0)
		return;
	if (s[U_MODEL].v && !cpu_model(c, s[U_MODEL].v, &vm->cpu.model))
		return;
	if (m < 0)
		m = s[U_MODEL].v ? 2 : -1;
	if (m == 2 && !vm->cpu.model)
		err(c, s[U_MODE].v, "mode: custom needs model (e.g. model: Skylake-Client)");
	else if (m >= 0 && m != 2 && vm->cpu.model)
		err(c, s[U_MODEL].k, "model: only with mode: custom, not %s (line %zu)",
		    cpu_modes[m], line_of(s[U_MODE].k));
	if (m >= 0)
		vm->cpu.mode = (enum vmdef_cpu_mode)(m + 1);
	cpu_topology(c, vm, v, s);
}

/* Hex digits only, n of them exactly (0: 1 to 4). */
static bool
hexn(const char *s, size_t len, size_t n, unsigned *out)
{
	size_t i;

	if (len == 0 || (n && len != n) || len > 4)
		return false;
	for (i = 0; i < len; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	*out = (unsigned)strtoul(s, NULL, 16);
	return true;
}

/* [DDDD:]BB:SS.F (PCI) or VVVV:PPPP (USB); false when it is neither. */
static bool
hostdev_addr(const char *s, struct vmdef_hostdev *h)
{
	const char *c1 = strchr(s, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL, *dot = strchr(s, '.');
	const char *b;

	memset(h, 0, sizeof *h);
	if (dot == NULL) {
		h->usb = true;
		return c1 && !c2 && hexn(s, (size_t)(c1 - s), 4, &h->vendor) &&
		       hexn(c1 + 1, strlen(c1 + 1), 4, &h->product);
	}
	if (c1 == NULL || (c2 && strchr(c2 + 1, ':')))
		return false;
	if (c2 && !hexn(s, (size_t)(c1 - s), 4, &h->domain))
		return false;
	b = c2 ? c1 + 1 : s;
	c1 = c2 ? c2 : c1;
	return hexn(b, (size_t)(c1 - b), 2, &h->bus) && dot > c1 &&
	       hexn(c1 + 1, (size_t)(dot - c1 - 1), 2, &h->slot) && h->slot <= 0x1f &&
	       hexn(dot + 1, strlen(dot + 1), 1, &h->function) && h->function <= 7;
}

static bool
hostdev_same(const struct vmdef_hostdev *a, const struct vmdef_hostdev *b)
{
	return a->usb == b->usb && (a->usb ? a->vendor == b->vendor && a->product == b->product
	                                   : a->domain == b->domain && a->bus == b->bus &&
	                                     a->slot == b->slot && a->function == b->function);
}

/* hostdevs: a list of PCI addresses and USB vendor:product ids. */
static void
parse_hostdevs(struct ctx *c, struct vmdef *vm, yaml_node_t *v)
{
	static const char what[] = "a PCI address like 0000:01:00.0 or a USB vendor:product "
	                           "like 046d:c52b";
	yaml_node_item_t *it;
	struct vmdef_hostdev h;
	const char *s;
	size_t j;

	if (v->type != YAML_SEQUENCE_NODE) {
		err(c, v, "hostdevs: expected a list, each %s, not %s", what, kind(v));
		return;
	}
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		yaml_node_t *i = node(c, *it);

		if (i == NULL || (s = str(c, "hostdevs", i, what)) == NULL)
			continue;
		if (!hostdev_addr(s, &h)) {
			err(c, i, "hostdevs: \"%s\" is not %s (virsh nodedev-list --cap pci or "
			    "lsusb shows them)", s, what);
			continue;
		}
		for (j = 0; j < vm->nhostdevs && !hostdev_same(&vm->hostdevs[j], &h); j++)
			;
		if (j < vm->nhostdevs) {
			err(c, i, "hostdevs: \"%s\" is listed twice (first at line %u)", s,
			    vm->hostdevs[j].pos.line);
			continue;
		}
		h.pos = pos_of(c, i);
		vm->hostdevs = xreallocarray(vm->hostdevs, vm->nhostdevs + 1, sizeof *vm->hostdevs);
		vm->hostdevs[vm->nhostdevs++] = h;
	}
}

/* os: a libosinfo short id (checked against its database later, by
 * model/defs/osdefaults), or generic. */
static void
parse_os(struct ctx *c, struct vmdef *vm, yaml_node_t *v)
{
	const char *s = str(c, "os", v, "an OS name such as debian11, win11 or generic");

	if (s == NULL)
		return;
	if (strlen(s) > 64 || strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                                 "0123456789._-") != strlen(s)) {
		err(c, v, "os: \"%s\" is not an OS name such as debian11, win11 or generic", s);
		return;
	}
	vm->os = xstrdup(s);
	vm->os_pos = pos_of(c, v);
}

static int
cmp_strp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* tags: a list of tags (or one), each by the rules of model/base/tagrule.h;
 * kept sorted. notes: free text ("" or null: none), its surrounding blanks
 * dropped. */
static void
parse_tags(struct ctx *c, struct vmdef *vm, struct slot *s)
{
	size_t i;
	char *why;

	if (s[V_TAGS].v) {
		vm->tags_given = true;
		if (!is_null(s[V_TAGS].v))
			strings(c, "tags", s[V_TAGS].v, "a tag such as web", &vm->tags, &vm->ntags);
		for (i = 0; i < vm->ntags; i++)
			if ((why = tag_check(vm->tags[i])) != NULL) {
				err(c, s[V_TAGS].v, "tags: %s", why);
				free(why);
			}
		if (vm->ntags > TAGS_MAX)
			err(c, s[V_TAGS].v, "tags: %zu tags; a VM carries at most %d", vm->ntags,
			    TAGS_MAX);
		if (vm->ntags > 1)
			qsort(vm->tags, vm->ntags, sizeof *vm->tags, cmp_strp);
		for (i = 1; i < vm->ntags; i++)
			if (strcmp(vm->tags[i - 1], vm->tags[i]) == 0)
				err(c, s[V_TAGS].v, "tags: \"%s\" is listed twice", vm->tags[i]);
	}
	if (s[V_NOTES].v) {
		yaml_node_t *v = s[V_NOTES].v;
		const char *t = "", *k = sval(s[V_NOTES].k);
		size_t n;

		vm->notes_given = true;
		if (v->type != YAML_SCALAR_NODE) {
			err(c, v, "%s: expected text, not %s", k, kind(v));
			return;
		}
		if (!is_null(v))
			t = sval(v);
		if (strlen(t) != v->data.scalar.length) {
			err(c, v, "%s: contains a NUL character", k);
			return;
		}
		while (*t == ' ' || *t == '\t' || *t == '\n' || *t == '\r')
			t++;
		n = strlen(t);
		while (n > 0 && (t[n - 1] == ' ' || t[n - 1] == '\t' || t[n - 1] == '\n' ||
		                 t[n - 1] == '\r'))
			n--;
		if (n > 0)
			vm->notes = xstrndup(t, n);
		if (vm->notes && (why = note_check(vm->notes)) != NULL) {
			err(c, v, "%s: %s", k, why);
			free(why);
		}
	}
}

/* The keys of this section, after vcpus, disks and start are known. */
static void
vm_hardware(struct ctx *c, struct vmdef *vm, struct slot *s)
{
	if (s[V_ISO].v)
		parse_iso(c, vm, &s[V_ISO]);
	if (vm->iso && !s[V_START].v)
		vm->start = true;
	parse_firmware(c, vm, s);
	if (s[V_TPM].v)
		parse_tpm(c, vm, s[V_TPM].v);
	if (s[V_CPU].v)
		parse_cpu(c, vm, s[V_CPU].v);
	if (s[V_HOSTDEVS].v)
		parse_hostdevs(c, vm, s[V_HOSTDEVS].v);
	vm->rng = true;
	if (s[V_RNG].v)
		boolean(c, "rng", s[V_RNG].v, &vm->rng);
	if (s[V_BOOTMENU].v)
		boolean(c, "boot_menu", s[V_BOOTMENU].v, &vm->boot_menu);
	vm->agent = true;
	if (s[V_AGENT].v)
		boolean(c, "agent", s[V_AGENT].v, &vm->agent);
	vm->given |= (s[V_HOSTDEVS].v ? VMDEF_KEY_HOSTDEVS : 0u) | (s[V_RNG].v ? VMDEF_KEY_RNG : 0u) |
	             (s[V_BOOTMENU].v ? VMDEF_KEY_BOOT_MENU : 0u) |
	             (s[V_AGENT].v ? VMDEF_KEY_AGENT : 0u);
}

/* ---- a VM ---- */

static bool
alnum(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
}

static bool
valid_name(struct ctx *c, yaml_node_t *at, const char *n)
{
	size_t i, len = strlen(n);

	if (len > NAME_MAX_LEN) {
		err(c, at, "name: longer than %d characters", NAME_MAX_LEN);
		return false;
	}
	for (i = 0; i < len; i++)
		if (!alnum(n[i]) && !strchr("-_.+", n[i]))
			break;
	if (i < len)
		err(c, at, "name: \"%s\" may only hold letters, digits and - _ . +", n);
	else if (!alnum(n[0]))
		err(c, at, "name: \"%s\" must start with a letter or a digit", n);
	return i == len && alnum(n[0]);
}

/* The name key, else the plan key the VM is under; unique in c->f. */
static void
vm_name(struct ctx *c, struct vmdef *vm, yaml_node_t *map, yaml_node_t *key, struct slot *s)
{
	yaml_node_t *at = s->v ? s->v : key;
	const char *n;
	size_t i;

	if (at == NULL) {
		err(c, map, "missing key \"name\" (every VM needs one)");
		return;
	}
	if ((n = str(c, "name", at, "a VM name")) == NULL || !valid_name(c, at, n))
		return;
	if (s->v && key && strcmp(n, sval(key)) != 0) {
		err(c, s->v, "name: \"%s\" differs from the key \"%s\" it is under", n, sval(key));
		return;
	}
	for (i = 0; i + 1 < c->f->nvms; i++) {
		struct vmdef *o = &c->f->vms[i];
		if (o->name && strcmp(o->name, n) == 0) {
			err(c, at, "duplicate VM name \"%s\" (first at %s:%u:%u)", n, o->pos.file,
			    o->pos.line, o->pos.col);
			return;
		}
	}
	vm->name = xstrdup(n);
}

static void
vm_basics(struct ctx *c, struct vmdef *vm, struct slot *s)
{
	static const char *const types[] = { "auto", "kvm", "qemu", NULL };
	static const char *const graphics[] = { "vnc", "none", NULL };
	int t;

	if (s[V_HOST].v)
		dupstr(c, "host", s[V_HOST].v, "a host name from the config", &vm->host);
	if (s[V_TYPE].v && (t = choice(c, "type", s[V_TYPE].v, types, "kvm, qemu, auto")) >= 0)
		vm->type = (enum vmdef_type)t;
	if (s[V_ARCH].v)
		dupstr(c, "arch", s[V_ARCH].v, "an architecture such as x86_64", &vm->arch);
	if (s[V_MACHINE].v)
		dupstr(c, "machine", s[V_MACHINE].v, "a machine type such as q35", &vm->machine);
	if (s[V_SSHUSER].v) {
		dupstr(c, "ssh_user", s[V_SSHUSER].v, "a user name such as debian", &vm->ssh_user);
		if (vm->ssh_user && (!*vm->ssh_user ||
		                     strspn(vm->ssh_user, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		                                          "0123456789_.-") != strlen(vm->ssh_user) ||
		                     vm->ssh_user[0] == '-')) {
			err(c, s[V_SSHUSER].v, "ssh_user: \"%s\" is not a user name (letters, digits, "
			    "_ . -; e.g. debian)", vm->ssh_user);
			free(vm->ssh_user);
			vm->ssh_user = NULL;
		}
	}
	vm->console = true;
	if (s[V_CONSOLE].v)
		boolean(c, "console", s[V_CONSOLE].v, &vm->console);
	vm->vnc = true;
	if (s[V_GRAPHICS].v && (t = choice(c, "graphics", s[V_GRAPHICS].v, graphics, "vnc, none")) >= 0)
		vm->vnc = t == 0;
	if (s[V_AUTOSTART].v)
		boolean(c, "autostart", s[V_AUTOSTART].v, &vm->autostart);
	if (s[V_START].v)
		boolean(c, "start", s[V_START].v, &vm->start);
}

static void
vm_disks(struct ctx *c, struct vmdef *vm, struct slot *s)
{
	yaml_node_t *d = s[V_DISKS].v, *i;
	yaml_node_item_t *it;

	if (d && d->type != YAML_SEQUENCE_NODE) {
		err(c, d, "disks: expected a list of disks, not %s", kind(d));
		return;
	}
	if (d == NULL)
		return;
	for (it = d->data.sequence.items.start; it < d->data.sequence.items.top; it++)
		if ((i = node(c, *it)))
			parse_disk(c, vm, i, it == d->data.sequence.items.start && s[V_IMAGE].v);
}

/* A VM from mapping `map` (or an empty value), under plan key `key` or NULL.
 * It is appended to c->f even when it has errors. */
static void
parse_vm(struct ctx *c, yaml_node_t *map, yaml_node_t *key)
{
	struct slot s[V_N] = { { 0 } };
	struct vmdef *vm;

	c->f->vms = xreallocarray(c->f->vms, c->f->nvms + 1, sizeof *c->f->vms);
	vm = &c->f->vms[c->f->nvms++];
	memset(vm, 0, sizeof *vm);
	vm->pos = pos_of(c, key ? key : map);
	if (map->type == YAML_MAPPING_NODE)
		collect(c, map, &vm_set, s);
	vm_name(c, vm, map, key, &s[V_NAME]);
	vm_basics(c, vm, s);
	parse_vcpus(c, vm, &s[V_VCPUS]);
	parse_memory(c, vm, &s[V_MEMORY]);
	vm->given |= (s[V_VCPUS].v ? VMDEF_OS_VCPUS : 0u) | (s[V_MEMORY].v ? VMDEF_OS_MEMORY : 0u) |
	             (s[V_DISKS].v || s[V_IMAGE].v ? VMDEF_OS_DISK : 0u);
	if (s[V_OS].v)
		parse_os(c, vm, s[V_OS].v);
	vm_disks(c, vm, s);
	/* os: gives a VM without disks one, of the size libosinfo recommends
	 * (osdefaults fills it in; 20G until then, and when it says none). */
	if (vm->os && strcmp(vm->os, "generic") != 0 && !s[V_DISKS].v && !s[V_IMAGE].v) {
		struct vmdef_disk *d = add_disk(vm, vm->os_pos);

		d->size_from_os = true;
		d->size = 20 * GiB;
	}
	disk_defaults(c, vm, s);
	parse_nets(c, vm, &s[V_NETS]);
	if (s[V_BOOT].v)
		parse_boot(c, vm, s[V_BOOT].v);
	parse_cloud(c, vm, s);
	vm_hardware(c, vm, s);
	parse_tags(c, vm, s);
	if (vm->iso && vm->kernel)
		err(c, s[V_ISO].k, "%s: cannot be combined with boot: kernel, which boots no CD",
		    sval(s[V_ISO].k));
	if (vm->iso && vm->nboot)
		err(c, s[V_ISO].k, "%s: sets the boot order itself (CD first on the first start, "
		    "then the disk); leave boot: order out", sval(s[V_ISO].k));
}

/* ---- storage pools and networks (resdef.h) ---- */

/* What a mapping in the file describes: its type key says pool or
 * network (kcli's plan entries), else it is a VM. */
enum entry_kind { ENTRY_VM, ENTRY_POOL, ENTRY_NET };

static enum entry_kind
entry_kind(struct ctx *c, yaml_node_t *m)
{
	yaml_node_pair_t *p;

	if (m->type != YAML_MAPPING_NODE)
		return ENTRY_VM;
	for (p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
		yaml_node_t *kn = node(c, p->key), *vn = node(c, p->value);
		if (kn == NULL || vn == NULL || kn->type != YAML_SCALAR_NODE ||
		    vn->type != YAML_SCALAR_NODE || strcmp(sval(kn), "type") != 0)
			continue;
		if (strcmp(sval(vn), "pool") == 0)
			return ENTRY_POOL;
		if (strcmp(sval(vn), "network") == 0)
			return ENTRY_NET;
	}
	return ENTRY_VM;
}

/* The name key, else the plan key the entry is under: a valid name not
 * yet used by another entry of the same kind (`names`, `n` of them; the
 * last is this entry's). */
static char *
res_name(struct ctx *c, const char *what, yaml_node_t *map, yaml_node_t *key,
         struct slot *s, const char *(*name_at)(const void *, size_t, struct vmdef_pos *),
         const void *list, size_t n)
{
	yaml_node_t *at = s->v ? s->v : key;
	struct vmdef_pos o;
	const char *nm, *other;
	size_t i;

	if (at == NULL) {
		err(c, map, "missing key \"name\" (every %s needs one)", what);
		return NULL;
	}
	if ((nm = str(c, "name", at, what[0] == 'p' ? "a pool name" : "a network name")) == NULL ||
	    !valid_name(c, at, nm))
		return NULL;
	if (s->v && key && strcmp(nm, sval(key)) != 0) {
		err(c, s->v, "name: \"%s\" differs from the key \"%s\" it is under", nm, sval(key));
		return NULL;
	}
	for (i = 0; i + 1 < n; i++)
		if ((other = name_at(list, i, &o)) != NULL && strcmp(other, nm) == 0) {
			err(c, at, "duplicate %s name \"%s\" (first at %s:%u:%u)", what, nm, o.file,
			    o.line, o.col);
			return NULL;
		}
	return xstrdup(nm);
}

static const char *
pool_name_at(const void *list, size_t i, struct vmdef_pos *pos)
{
	const struct pooldef *p = (const struct pooldef *)list + i;

	*pos = p->pos;
	return p->name;
}

static const char *
net_name_at(const void *list, size_t i, struct vmdef_pos *pos)
{
	const struct netdef *n = (const struct netdef *)list + i;

	*pos = n->pos;
	return n->name;
}

/* Whether word w appears in msg as a whole word (of letters, digits and
 * '_': "cidr" is not in "cidr6"). */
static bool
has_word(const char *msg, const char *w)
{
	size_t n = strlen(w);
	const char *p;

	for (p = strstr(msg, w); p; p = strstr(p + 1, w)) {
		bool before = p == msg || !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
		bool after = !(isalnum((unsigned char)p[n]) || p[n] == '_');
		if (before && after)
			return true;
	}
	return false;
}

/* Report a check's problem `why` at the value of the first key of `order`
 * (slot indexes, ending with -1) that it names and the entry holds, else
 * at `at` (where the entry starts). */
static void
res_problem(struct ctx *c, const char *what, const char *name, const char *why,
            yaml_node_t *at, struct slot *s, const struct key *keys, const int *order)
{
	const struct key *k;
	size_t i;

	for (i = 0; order[i] >= 0; i++) {
		if (s[order[i]].v == NULL)
			continue;
		for (k = keys; k->name; k++)
			if (k->id == order[i] && has_word(why, k->name)) {
				err(c, s[order[i]].v, "%s \"%s\": %s", what, name, why);
				return;
			}
	}
	err(c, at, "%s \"%s\": %s", what, name, why);
}

enum {
	P_NAME, P_TYPE, P_POOLTYPE, P_PATH, P_SHOST, P_SDIR, P_SDEV, P_SNAME, P_SFORMAT,
	P_BUILD, P_START, P_AUTOSTART, P_N
};
static const struct key pool_keys[] = {
	{ "name", P_NAME }, { "type", P_TYPE }, { "pooltype", P_POOLTYPE },
	{ "pool_type", P_POOLTYPE }, { "path", P_PATH }, { "source_host", P_SHOST },
	{ "source_dir", P_SDIR }, { "source_device", P_SDEV }, { "source_name", P_SNAME },
	{ "source_format", P_SFORMAT }, { "build", P_BUILD }, { "start", P_START },
	{ "autostart", P_AUTOSTART }, { NULL, 0 },
};
static const struct keyset pool_set = { "a storage pool", pool_keys, true };

/* A storage pool from mapping `map`, under plan key `key` or NULL. */
static void
parse_pool(struct ctx *c, yaml_node_t *map, yaml_node_t *key)
{
	static const int order[] = { P_SHOST, P_SDIR, P_SDEV, P_SNAME, P_SFORMAT, P_PATH,
		                     P_POOLTYPE, P_NAME, -1 };
	static const char types[] = "dir, fs, netfs, logical, disk, iscsi";
	struct slot s[P_N] = { { 0 } };
	struct vmdef_file *f = c->f;
	struct pooldef *p;
	size_t before = c->e->n;
	const char *why;
	int t;

	f->pools = xreallocarray(f->pools, f->npools + 1, sizeof *f->pools);
	p = &f->pools[f->npools++];
	memset(p, 0, sizeof *p);
	p->pos = pos_of(c, key ? key : map);
	collect(c, map, &pool_set, s);
	p->name = res_name(c, "pool", map, key, &s[P_NAME], pool_name_at, f->pools, f->npools);
	p->type = xstrdup("dir");
	if (s[P_POOLTYPE].v && (t = choice(c, sval(s[P_POOLTYPE].k), s[P_POOLTYPE].v,
	                                   pooldef_types, types)) >= 0) {
		free(p->type);
		p->type = xstrdup(pooldef_types[t]);
	}
	if (s[P_PATH].v)
		abspath(c, "path", s[P_PATH].v, &p->path);
	if (s[P_SHOST].v)
		dupstr(c, "source_host", s[P_SHOST].v, "a server name", &p->source_host);
	if (s[P_SDIR].v)
		dupstr(c, "source_dir", s[P_SDIR].v, "the exported folder or the IQN", &p->source_dir);
	if (s[P_SDEV].v)
		abspath(c, "source_device", s[P_SDEV].v, &p->source_device);
	if (s[P_SNAME].v)
		dupstr(c, "source_name", s[P_SNAME].v, "a volume group name", &p->source_name);
	if (s[P_SFORMAT].v)
		dupstr(c, "source_format", s[P_SFORMAT].v, "a format such as nfs", &p->source_format);
	p->build = strcmp(p->type, "dir") == 0;
	p->start = p->autostart = true;
	if (s[P_BUILD].v)
		boolean(c, "build", s[P_BUILD].v, &p->build);
	if (s[P_START].v)
		boolean(c, "start", s[P_START].v, &p->start);
	if (s[P_AUTOSTART].v)
		boolean(c, "autostart", s[P_AUTOSTART].v, &p->autostart);
	if (c->e->n == before && (why = pooldef_check(p)) != NULL)
		res_problem(c, "pool", p->name, why, key ? key : map, s, pool_keys, order);
}

enum {
	NW_NAME, NW_TYPE, NW_FORWARD, NW_NAT, NW_BRIDGE, NW_DEV, NW_CIDR, NW_DHCP, NW_CIDR6,
	NW_DOMAIN, NW_HOSTS, NW_START, NW_AUTOSTART, NW_N
};
static const struct key netdef_keys[] = {
	{ "name", NW_NAME }, { "type", NW_TYPE }, { "forward", NW_FORWARD }, { "nat", NW_NAT },
	{ "bridge", NW_BRIDGE }, { "dev", NW_DEV }, { "cidr", NW_CIDR }, { "dhcp", NW_DHCP },
	{ "cidr6", NW_CIDR6 }, { "domain", NW_DOMAIN }, { "hosts", NW_HOSTS },
	{ "start", NW_START }, { "autostart", NW_AUTOSTART }, { NULL, 0 },
};
static const struct keyset netdef_set = { "a network", netdef_keys, true };

enum { R_START, R_END, R_N };
static const struct key range_keys[] = { { "start", R_START }, { "end", R_END }, { NULL, 0 } };
static const struct keyset range_set = { "dhcp", range_keys, true };

enum { H_MAC, H_IP, H_NAME, H_N };
static const struct key host_keys[] = {
	{ "mac", H_MAC }, { "ip", H_IP }, { "name", H_NAME }, { NULL, 0 },
};
static const struct keyset host_set = { "a fixed host", host_keys, true };

/* dhcp: true, false, or the range {start, end}. */
static void
net_dhcp(struct ctx *c, struct netdef *n, yaml_node_t *v)
{
	struct slot s[R_N] = { { 0 } };

	if (v->type != YAML_MAPPING_NODE) {
		if (v->type == YAML_SEQUENCE_NODE)
			err(c, v, "dhcp: expected true, false or a mapping with start and end, "
			    "not a list");
		else
			boolean(c, "dhcp", v, &n->dhcp);
		return;
	}
	collect(c, v, &range_set, s);
	n->dhcp = true;
	if (s[R_START].v)
		dupstr(c, "start", s[R_START].v, "an IPv4 address", &n->dhcp_start);
	if (s[R_END].v)
		dupstr(c, "end", s[R_END].v, "an IPv4 address", &n->dhcp_end);
	if (!s[R_START].v || !s[R_END].v)
		err(c, v, "dhcp: a range needs both start and end");
}

/* hosts: a list of {mac, ip, name}. */
static void
net_hosts(struct ctx *c, struct netdef *n, yaml_node_t *v)
{
	yaml_node_item_t *it;

	if (v->type != YAML_SEQUENCE_NODE) {
		err(c, v, "hosts: expected a list of fixed hosts {mac, ip, name}, not %s", kind(v));
		return;
	}
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		yaml_node_t *i = node(c, *it);
		struct slot s[H_N] = { { 0 } };
		struct netdef_host *h;

		if (i == NULL)
			continue;
		if (i->type != YAML_MAPPING_NODE) {
			err(c, i, "hosts: expected a mapping with mac and ip, not %s", kind(i));
			continue;
		}
		n->hosts = xreallocarray(n->hosts, n->nhosts + 1, sizeof *n->hosts);
		h = &n->hosts[n->nhosts++];
		memset(h, 0, sizeof *h);
		h->pos = pos_of(c, i);
		collect(c, i, &host_set, s);
		if (s[H_MAC].v)
			parse_mac(c, s[H_MAC].v, &h->mac);
		else
			err(c, i, "a fixed host needs mac");
		if (s[H_IP].v)
			dupstr(c, "ip", s[H_IP].v, "an IPv4 address", &h->ip);
		else
			err(c, i, "a fixed host needs ip");
		if (s[H_NAME].v)
			hostname(c, s[H_NAME].v, &h->name);
	}
}

/* forward, or kcli's nat (true: nat, false: isolated). */
static void
net_forward(struct ctx *c, struct netdef *n, struct slot *s)
{
	static const char modes[] = "nat, route, open, isolated, bridge";
	bool nat = true;
	int i;

	n->forward = xstrdup("nat");
	exclusive(c, &s[NW_NAT], &s[NW_FORWARD], "");
	if (s[NW_FORWARD].v &&
	    (i = choice(c, "forward", s[NW_FORWARD].v, netdef_forwards, modes)) >= 0) {
		free(n->forward);
		n->forward = xstrdup(netdef_forwards[i]);
	} else if (s[NW_NAT].v && !s[NW_FORWARD].k && boolean(c, "nat", s[NW_NAT].v, &nat) &&
	           !nat) {
		free(n->forward);
		n->forward = xstrdup("isolated");
	}
}

/* A network from mapping `map`, under plan key `key` or NULL. */
static void
parse_netdef(struct ctx *c, yaml_node_t *map, yaml_node_t *key)
{
	static const int order[] = { NW_CIDR6, NW_HOSTS, NW_DHCP, NW_CIDR, NW_DOMAIN, NW_DEV,
		                     NW_BRIDGE, NW_FORWARD, NW_NAME, -1 };
	struct slot s[NW_N] = { { 0 } };
	struct vmdef_file *f = c->f;
	const struct vmdef_pos *where;
	struct netdef *n;
	size_t before = c->e->n;
	const char *why;
	yaml_mark_t m;

	f->nets = xreallocarray(f->nets, f->nnets + 1, sizeof *f->nets);
	n = &f->nets[f->nnets++];
	memset(n, 0, sizeof *n);
	n->pos = pos_of(c, key ? key : map);
	collect(c, map, &netdef_set, s);
	n->name = res_name(c, "network", map, key, &s[NW_NAME], net_name_at, f->nets, f->nnets);
	net_forward(c, n, s);
	if (s[NW_BRIDGE].v)
		dupstr(c, "bridge", s[NW_BRIDGE].v, "a bridge name", &n->bridge);
	if (s[NW_DEV].v)
		dupstr(c, "dev", s[NW_DEV].v, "a host interface name", &n->dev);
	if (s[NW_CIDR].v)
		dupstr(c, "cidr", s[NW_CIDR].v, "an IPv4 network like 192.168.100.0/24", &n->cidr);
	if (s[NW_CIDR6].v)
		dupstr(c, "cidr6", s[NW_CIDR6].v, "an IPv6 network like fd00:1::/64", &n->cidr6);
	if (s[NW_DOMAIN].v)
		dupstr(c, "domain", s[NW_DOMAIN].v, "a DNS domain", &n->domain);
	n->dhcp = strcmp(n->forward, "bridge") != 0;
	if (s[NW_DHCP].v)
		net_dhcp(c, n, s[NW_DHCP].v);
	if (s[NW_HOSTS].v)
		net_hosts(c, n, s[NW_HOSTS].v);
	n->start = n->autostart = true;
	if (s[NW_START].v)
		boolean(c, "start", s[NW_START].v, &n->start);
	if (s[NW_AUTOSTART].v)
		boolean(c, "autostart", s[NW_AUTOSTART].v, &n->autostart);
	if (c->e->n != before || (why = netdef_check_at(n, &where)) == NULL)
		return;
	if (where == NULL) {
		res_problem(c, "network", n->name, why, key ? key : map, s, netdef_keys, order);
		return;
	}
	memset(&m, 0, sizeof m);
	m.line = where->line - 1;
	m.column = where->col - 1;
	err_mark(c, m, "network \"%s\": %s", n->name, why);
}

/* A mapping of the file: a pool, a network or a VM. */
static void
parse_entry(struct ctx *c, yaml_node_t *map, yaml_node_t *key)
{
	switch (entry_kind(c, map)) {
	case ENTRY_POOL:
		parse_pool(c, map, key);
		break;
	case ENTRY_NET:
		parse_netdef(c, map, key);
		break;
	default:
		parse_vm(c, map, key);
		break;
	}
}

/* ---- files ---- */

/* A root mapping is one VM when it has a name, or VM keys with plain
 * values; else it maps names to VMs. */
static bool
single_vm(struct ctx *c, yaml_node_t *m)
{
	yaml_node_pair_t *p;
	const struct key *k;
	bool known = false, flat = false;

	for (p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
		yaml_node_t *kn = node(c, p->key), *vn = node(c, p->value);
		if (kn == NULL || vn == NULL || kn->type != YAML_SCALAR_NODE)
			continue;
		if (strcmp(sval(kn), "name") == 0)
			return true;
		for (k = vm_keys; k->name; k++)
			known = known || strcmp(k->name, sval(kn)) == 0;
		flat = flat || (vn->type != YAML_MAPPING_NODE && !is_null(vn));
	}
	return known && flat;
}

static void
parse_plan(struct ctx *c, yaml_node_t *m)
{
	yaml_node_pair_t *p;

	for (p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
		yaml_node_t *kn = node(c, p->key), *vn = node(c, p->value);
		if (kn == NULL || vn == NULL)
			continue;
		if (kn->type != YAML_SCALAR_NODE)
			err(c, kn, "expected a VM name, not %s", kind(kn));
		else if (vn->type != YAML_MAPPING_NODE && !is_null(vn))
			err(c, vn, "expected a mapping describing VM \"%s\", not %s", sval(kn), kind(vn));
		else
			parse_entry(c, vn, kn);
	}
}

static void
parse_root(struct ctx *c, yaml_node_t *root)
{
	yaml_node_item_t *it;
	yaml_node_t *n;

	if (root->type == YAML_MAPPING_NODE && entry_kind(c, root) != ENTRY_VM) {
		parse_entry(c, root, NULL);
	} else if (root->type == YAML_MAPPING_NODE && single_vm(c, root)) {
		parse_vm(c, root, NULL);
	} else if (root->type == YAML_MAPPING_NODE) {
		parse_plan(c, root);
	} else if (root->type == YAML_SEQUENCE_NODE) {
		for (it = root->data.sequence.items.start; it < root->data.sequence.items.top; it++) {
			if ((n = node(c, *it)) == NULL)
				continue;
			if (n->type == YAML_MAPPING_NODE)
				parse_entry(c, n, NULL);
			else
				err(c, n, "expected a VM (a mapping with a name), not %s", kind(n));
		}
	} else if (!is_null(root)) {
		err(c, root, "expected a VM, a list of VMs or a mapping of names to VMs, not %s",
		    kind(root));
	}
}

/* Reader errors (bad UTF-8) come with a byte offset, not a mark. */
static yaml_mark_t
mark_at(const char *text, size_t len, size_t off)
{
	yaml_mark_t m;
	size_t i;

	memset(&m, 0, sizeof m);
	m.index = off;
	for (i = 0; i < off && i < len; i++) {
		if (text[i] == '\n')
			m.line++, m.column = 0;
		else if (((unsigned char)text[i] & 0xC0) != 0x80)
			m.column++;
	}
	return m;
}

static void
syntax_error(struct ctx *c, yaml_parser_t *p, const char *text, size_t len)
{
	const char *problem = p->problem ? p->problem : "syntax error";

	if (p->error == YAML_READER_ERROR && p->problem_value != -1)
		err_mark(c, mark_at(text, len, p->problem_offset), "%s (0x%X)", problem,
		         (unsigned)p->problem_value);
	else if (p->error == YAML_READER_ERROR)
		err_mark(c, mark_at(text, len, p->problem_offset), "%s", problem);
	else
		err_mark(c, p->problem_mark, "%s%s%s", problem, p->context ? " " : "",
		         p->context ? p->context : "");
}

int
vmdef_parse(struct vmdef_file *f, const char *name, const char *dir, const char *text,
            size_t len, struct config_errors *e)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root;
	yaml_mark_t start;
	struct ctx c;
	size_t before = e->n, nvms = f->nvms, nres = f->npools + f->nnets;

	f->names = xreallocarray(f->names, f->nnames + 1, sizeof *f->names);
	f->names[f->nnames++] = xstrdup(name);
	c.f = f;
	c.file = f->names[f->nnames - 1];
	c.dir = dir ? dir : ".";
	c.doc = &doc;
	c.e = e;
	c.marks = NULL;
	c.nmarks = 0;
	if (config_check_nesting(c.file, text, len, e) < 0) {
		f->nerrors += e->n - before;
		return -1;
	}
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	for (;;) {
		if (!yaml_parser_load(&parser, &doc)) {
			syntax_error(&c, &parser, text, len);
			break;
		}
		if ((root = yaml_document_get_root_node(&doc)) == NULL) {
			yaml_document_delete(&doc);
			break;
		}
		parse_root(&c, root);
		yaml_document_delete(&doc);
	}
	yaml_parser_delete(&parser);
	if (e->n == before && f->nvms == nvms && f->npools + f->nnets == nres) {
		memset(&start, 0, sizeof start);
		err_mark(&c, start, "no VM defined");
	}
	sort_errors(&c);
	free(c.marks);
	f->nerrors += e->n - before;
	return e->n > before ? -1 : 0;
}

int
vmdef_load(struct vmdef_file *f, const char *path, struct config_errors *e)
{
	const char *slash = strrchr(path, '/');
	char *buf = NULL, *dir;
	size_t len = 0;
	int rc;

	if ((rc = read_all(path, &buf, &len)) != 0) {
		e->v = xreallocarray(e->v, e->n + 1, sizeof *e->v);
		e->v[e->n++] = rc == EFTYPE_NOT_REGULAR
		             ? xasprintf("%s:1:1: cannot read: not a regular file (a FIFO or "
		                         "device); give a YAML file", path)
		             : xasprintf("%s:1:1: cannot read: %s", path, strerror(rc));
		f->nerrors++;
		return -1;
	}
	dir = slash == NULL ? xstrdup(".") : slash == path ? xstrdup("/")
	    : xstrndup(path, (size_t)(slash - path));
	rc = vmdef_parse(f, path, dir, buf, len, e);
	free(dir);
	free(buf);
	return rc;
}

/* What is missing from one disk, or NULL. */
static const char *
disk_check(const struct vmdef_disk *d)
{
	if (d->format == NULL)
		return "a disk has no format";
	if (d->bus == NULL)
		return "a disk has no bus";
	if (d->pool == NULL && d->path == NULL)
		return "a disk has neither a pool nor a path";
	return NULL;
}

const char *
vmdef_check(const struct vmdef *vm)
{
	const char *why;
	size_t i;

	if (vm->name == NULL || vm->name[0] == '\0')
		return "it has no name";
	if (vm->vcpus == 0 || vm->vcpus > vm->max_vcpus)
		return "its vCPUs are not set";
	if (vm->memory == 0 || vm->memory > vm->max_memory)
		return "its memory is not set";
	if (vm->ndisks && vm->disks == NULL)
		return "its disks are missing";
	for (i = 0; i < vm->ndisks; i++)
		if ((why = disk_check(&vm->disks[i])) != NULL)
			return why;
	if (vm->nhostdevs && vm->hostdevs == NULL)
		return "its host devices are missing";
	if (vm->cpu.mode == VMDEF_CPU_CUSTOM && vm->cpu.model == NULL)
		return "its CPU model is not set";
	if (vm->cpu.sockets && vm->cpu.sockets * vm->cpu.cores * vm->cpu.threads != vm->max_vcpus)
		return "its CPU topology does not match its vCPUs";
	if (vm->secure_boot && vm->firmware != VMDEF_FW_EFI)
		return "it has Secure Boot without UEFI firmware";
	if (vm->nnets && vm->nets == NULL)
		return "its network interfaces are missing";
	for (i = 0; i < vm->nnets; i++) {
		if (vm->nets[i].model == NULL)
			return "a network interface has no model";
		if (vm->nets[i].kind != VMDEF_NET_USER && vm->nets[i].source == NULL)
			return "a network interface has no network or bridge";
	}
	for (i = 0; i < vm->nboot; i++)
		if (vm->boot_order == NULL || vm->boot_order[i] == NULL)
			return "its boot order has a gap";
	return NULL;
}

void
vmdef_free(struct vmdef *vm)
{
	size_t i;

	for (i = 0; i < vm->ndisks; i++) {
		struct vmdef_disk *d = &vm->disks[i];
		free(d->pool);
		free(d->format);
		free(d->bus);
		free(d->image);
		free(d->path);
	}
	free(vm->disks);
	for (i = 0; i < vm->nnets; i++) {
		free(vm->nets[i].source);
		free(vm->nets[i].mac);
		free(vm->nets[i].model);
	}
	free(vm->nets);
	free(vm->iso);
	free(vm->cpu.model);
	free(vm->hostdevs);
	free(vm->os);
	free(vm->ssh_user);
	xfree_strv(vm->tags, vm->ntags);
	free(vm->notes);
	free(vm->name);
	free(vm->host);
	free(vm->arch);
	free(vm->machine);
	free(vm->kernel);
	free(vm->initrd);
	free(vm->cmdline);
	xfree_strv(vm->boot_order, vm->nboot);
	free(vm->cloud_init.user_data);
	free(vm->cloud_init.meta_data);
	free(vm->cloud_init.hostname);
	xfree_strv(vm->cloud_init.ssh_authorized_keys, vm->cloud_init.nkeys);
	xfree_strv(vm->cloud_init.runcmd, vm->cloud_init.nruncmd);
	memset(vm, 0, sizeof *vm);
}

void
vmdef_file_free(struct vmdef_file *f)
{
	size_t i;

	for (i = 0; i < f->nvms; i++)
		vmdef_free(&f->vms[i]);
	free(f->vms);
	for (i = 0; i < f->npools; i++)
		pooldef_free(&f->pools[i]);
	free(f->pools);
	for (i = 0; i < f->nnets; i++)
		netdef_free(&f->nets[i]);
	free(f->nets);
	xfree_strv(f->names, f->nnames);
	memset(f, 0, sizeof *f);
}
