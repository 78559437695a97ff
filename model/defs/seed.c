/* seed.c — cloud-init NoCloud seeds built in memory, with no external tool.
 *
 * The image is plain ISO 9660 (ECMA-119) with every file in the root:
 *   sectors 0-15   system area (zero)
 *   16             primary volume descriptor, level 1 names ("USER_DAT.;1")
 *   17             Joliet supplementary descriptor (UCS-2 names without
 *                  ";1", as mkisofs writes them; escape %/E)
 *   18             descriptor set terminator
 *   19-22          path tables: primary L and M, Joliet L and M
 *   23-            primary root directory, then the Joliet root directory,
 *                  then the Rock Ridge continuation area (the ER entry),
 *                  then each file's contents from a sector boundary.
 * Everything a directory points at comes after it, so readers that stream
 * the image (libarchive) can follow it.
 * The primary directory carries SUSP/RRIP entries (SP, CE and PX in ".",
 * PX and NM in each file) so Linux shows the real names either way. */
#include "seed.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "../base/xmalloc.h"

#define SECTOR 2048u
#define NAME_MAX_LEN 64 /* Joliet allows 64 UCS-2 characters */
#define LABEL_MAX_LEN 16 /* Joliet volume identifier: 32 bytes of UCS-2 */

/* Fixed sectors before the directories. */
enum {
	LBA_PVD = 16, LBA_SVD, LBA_TERM,
	LBA_PT_L, LBA_PT_M, LBA_JPT_L, LBA_JPT_M,
	LBA_ROOT
};

/* The extension reference RRIP 1.09 asks for (RRIP_1991A, section 4.3). */
static const char er_id[] = "RRIP_1991A";
static const char er_des[] =
	"THE ROCK RIDGE INTERCHANGE PROTOCOL PROVIDES SUPPORT FOR POSIX FILE SYSTEM SEMANTICS";
static const char er_src[] =
	"PLEASE CONTACT DISC PUBLISHER FOR SPECIFICATION SOURCE.  SEE PUBLISHER IDENTIFIER IN "
	"PRIMARY VOLUME DESCRIPTOR FOR CONTACT INFORMATION.";

struct entry {
	const struct seed_file *f;
	char base[9], ext[4]; /* level 1 name, upper case, without "." and ";1" */
	uint32_t lba;         /* first sector of the contents; 0 when empty */
};

struct layout {
	struct entry *e;            /* input order */
	struct entry **pri, **jol;  /* directory order of each tree */
	size_t n;
	const char *label;
	struct tm tm;
	uint32_t root_secs, jroot_lba, jroot_secs, ce_lba, total;
};

/* A directory being filled: records never straddle a sector. */
struct dirw {
	unsigned char *base; /* NULL: only measure */
	size_t off;
};

static void
put16le(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void
put16be(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static void
put32le(unsigned char *p, uint32_t v)
{
	put16le(p, (uint16_t)v);
	put16le(p + 2, (uint16_t)(v >> 16));
}

static void
put32be(unsigned char *p, uint32_t v)
{
	put16be(p, (uint16_t)(v >> 16));
	put16be(p + 2, (uint16_t)v);
}

/* ECMA-119 "both-byte orders" fields: little-endian then big-endian. */
static void
both16(unsigned char *p, uint16_t v)
{
	put16le(p, v);
	put16be(p + 2, v);
}

static void
both32(unsigned char *p, uint32_t v)
{
	put32le(p, v);
	put32be(p + 4, v);
}

/* Fill an n-byte identifier field with s, padded with spaces (UCS-2 if wide). */
static void
pad_field(unsigned char *p, size_t n, const char *s, int wide)
{
	size_t i, slen = strlen(s);

	if (!wide) {
		memset(p, ' ', n);
		memcpy(p, s, slen < n ? slen : n);
		return;
	}
	memset(p, 0, n);
	for (i = 0; i + 1 < n; i += 2)
		p[i + 1] = (unsigned char)(i / 2 < slen ? s[i / 2] : ' ');
}

/* Write s (ASCII) as UCS-2 big-endian; returns the bytes written. */
static size_t
ucs2(unsigned char *p, const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++) {
		p[2 * i] = 0;
		p[2 * i + 1] = (unsigned char)s[i];
	}
	return 2 * i;
}

/* A file name both trees can hold: printable ASCII minus Joliet's reserved set. */
static int
valid_name(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > NAME_MAX_LEN || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] > 0x7e || strchr("/\\;*:?", s[i]) != NULL)
			return 0;
	return 1;
}

/* A volume label both descriptors can hold. */
static int
valid_label(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > LABEL_MAX_LEN)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			return 0;
	return 1;
}

/* 0 when the files can go into an image: valid, unique names, small sizes. */
static int
check_files(const struct seed_file *files, size_t n)
{
	size_t i, j;

	if (n > SEED_MAX_FILES || (n > 0 && files == NULL))
		return -1;
	for (i = 0; i < n; i++) {
		if (files[i].name == NULL || !valid_name(files[i].name) ||
		    files[i].len >= SEED_MAX_FILE_SIZE || (files[i].len > 0 && files[i].data == NULL))
			return -1;
		for (j = 0; j < i; j++)
			if (strcmp(files[i].name, files[j].name) == 0)
				return -1;
	}
	return 0;
}

/* Copy up to max characters of s into out as ISO 9660 d-characters. */
static void
dchars(char *out, const char *s, size_t len, size_t max)
{
	size_t i;

	for (i = 0; i < len && i < max; i++) {
		char c = s[i];
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		else if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
			c = '_';
		out[i] = c;
	}
	out[i] = '\0';
}

/* The 8.3 level 1 form of e->f->name: split at the last (non-leading) dot. */
static void
iso_name(struct entry *e)
{
	const char *name = e->f->name, *dot = strrchr(name, '.');

	if (dot == NULL || dot == name)
		dot = name + strlen(name);
	dchars(e->base, name, (size_t)(dot - name), 8);
	dchars(e->ext, *dot ? dot + 1 : dot, strlen(*dot ? dot + 1 : dot), 3);
	if (e->base[0] == '\0' && e->ext[0] == '\0')
		strcpy(e->base, "_");
}

/* Whether an entry before e[i] already has its 8.3 name. */
static int
iso_taken(const struct entry *e, size_t i)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (strcmp(e[j].base, e[i].base) == 0 && strcmp(e[j].ext, e[i].ext) == 0)
			return 1;
	return 0;
}

/* Make e[i]'s 8.3 name differ from the earlier ones by ending its base in a number. */
static void
iso_unique(struct entry *e, size_t i)
{
	char orig[9], num[12];
	unsigned k = 0;
	size_t keep;
	int nl;

	memcpy(orig, e[i].base, sizeof orig);
	while (iso_taken(e, i)) {
		nl = snprintf(num, sizeof num, "%u", ++k);
		keep = strlen(orig);
		if (keep > 8 - (size_t)nl)
			keep = 8 - (size_t)nl;
		memcpy(e[i].base, orig, keep);
		memcpy(e[i].base + keep, num, (size_t)nl + 1);
	}
}

/* ECMA-119 9.3 order: name, then extension (all d-characters sort above space). */
static int
cmp_pri(const void *a, const void *b)
{
	const struct entry *x = *(struct entry *const *)a, *y = *(struct entry *const *)b;
	int c = strcmp(x->base, y->base);

	return c ? c : strcmp(x->ext, y->ext);
}

/* Joliet order: the names' UCS-2 code units, i.e. ASCII order here. */
static int
cmp_jol(const void *a, const void *b)
{
	const struct entry *x = *(struct entry *const *)a, *y = *(struct entry *const *)b;

	return strcmp(x->f->name, y->f->name);
}

/* 7-byte directory record date (ECMA-119 9.1.5), in UTC. */
static void
rec_date(unsigned char *p, const struct tm *tm)
{
	p[0] = (unsigned char)tm->tm_year;
	p[1] = (unsigned char)(tm->tm_mon + 1);
	p[2] = (unsigned char)tm->tm_mday;
	p[3] = (unsigned char)tm->tm_hour;
	p[4] = (unsigned char)tm->tm_min;
	p[5] = (unsigned char)tm->tm_sec;
	p[6] = 0;
}

/* 17-byte volume descriptor date (ECMA-119 8.4.26.1), or "unset" when tm is NULL. */
static void
vd_date(unsigned char *p, const struct tm *tm)
{
	char s[80];

	if (tm == NULL) {
		memset(p, '0', 16);
		p[16] = 0;
		return;
	}
	snprintf(s, sizeof s, "%04d%02d%02d%02d%02d%02d00", tm->tm_year + 1900, tm->tm_mon + 1,
	         tm->tm_mday, tm->tm_hour, tm->tm_min, tm->tm_sec);
	memcpy(p, s, 16);
	p[16] = 0;
}

/* SUSP entry header: signature, length, version 1. */
static unsigned char *
su_head(unsigned char *p, const char *sig, size_t len)
{
	p[0] = (unsigned char)sig[0];
	p[1] = (unsigned char)sig[1];
	p[2] = (unsigned char)len;
	p[3] = 1;
	return p + 4;
}

/* SP: SUSP is in use, no bytes skipped (first entry of the root's "."). */
static size_t
su_sp(unsigned char *p)
{
	unsigned char *q = su_head(p, "SP", 7);

	q[0] = 0xbe;
	q[1] = 0xef;
	q[2] = 0;
	return 7;
}

/* CE: the rest of this system use area is at sector lba, len bytes. */
static size_t
su_ce(unsigned char *p, uint32_t lba, uint32_t len)
{
	unsigned char *q = su_head(p, "CE", 28);

	both32(q, lba);
	both32(q + 8, 0);
	both32(q + 16, len);
	return 28;
}

/* PX: POSIX mode and link count, owned by root (RRIP_1991A form, 36 bytes). */
static size_t
su_px(unsigned char *p, uint32_t mode, uint32_t nlink)
{
	unsigned char *q = su_head(p, "PX", 36);

	both32(q, mode);
	both32(q + 8, nlink);
	both32(q + 16, 0);
	both32(q + 24, 0);
	return 36;
}

/* NM: the file's real name. */
static size_t
su_nm(unsigned char *p, const char *name)
{
	size_t n = strlen(name);
	unsigned char *q = su_head(p, "NM", 5 + n);

	q[0] = 0;
	memcpy(q + 1, name, n);
	return 5 + n;
}

/* ER: which extension the SUSP entries follow; returns its length. */
static size_t
su_er(unsigned char *p)
{
	size_t li = strlen(er_id), ld = strlen(er_des), ls = strlen(er_src);
	unsigned char *q = p ? su_head(p, "ER", 8 + li + ld + ls) : NULL;

	if (q != NULL) {
		q[0] = (unsigned char)li;
		q[1] = (unsigned char)ld;
		q[2] = (unsigned char)ls;
		q[3] = 1;
		memcpy(q + 4, er_id, li);
		memcpy(q + 4 + li, er_des, ld);
		memcpy(q + 4 + li + ld, er_src, ls);
	}
	return 8 + li + ld + ls;
}

/* Fill directory record r (ECMA-119 9.1); returns its (even) length. */
static size_t
dir_record(unsigned char *r, uint32_t lba, uint32_t size, int isdir, const struct tm *tm,
           const unsigned char *id, size_t idlen, const unsigned char *su, size_t sulen)
{
	size_t len = 33 + idlen + (idlen % 2 == 0), sysuse = len;

	len += sulen + (sulen % 2);
	memset(r, 0, len);
	r[0] = (unsigned char)len;
	both32(r + 2, lba);
	both32(r + 10, size);
	rec_date(r + 18, tm);
	r[25] = isdir ? 2 : 0;
	both16(r + 28, 1);
	r[32] = (unsigned char)idlen;
	memcpy(r + 33, id, idlen);
	if (sulen > 0)
		memcpy(r + sysuse, su, sulen);
	return len;
}

/* Append a record, moving to the next sector if it would straddle one. */
static void
dirw_put(struct dirw *w, const unsigned char *rec, size_t len)
{
	if (w->off % SECTOR + len > SECTOR)
		w->off += SECTOR - w->off % SECTOR;
	if (w->base != NULL)
		memcpy(w->base + w->off, rec, len);
	w->off += len;
}

/* The "." and ".." records of a root directory of secs sectors at lba. */
static void
dir_dots(const struct layout *L, struct dirw *w, int joliet, uint32_t lba, uint32_t secs)
{
	static const unsigned char dot = 0, dotdot = 1;
	unsigned char rec[256], su[128] = { 0 };
	size_t sulen = 0;

	if (!joliet) {
		sulen = su_sp(su);
		sulen += su_ce(su + sulen, L->ce_lba, (uint32_t)su_er(NULL));
		sulen += su_px(su + sulen, 040555, 2);
	}
	dirw_put(w, rec, dir_record(rec, lba, secs * SECTOR, 1, &L->tm, &dot, 1, su, sulen));
	if (!joliet)
		sulen = su_px(su, 040555, 2);
	dirw_put(w, rec, dir_record(rec, lba, secs * SECTOR, 1, &L->tm, &dotdot, 1, su, sulen));
}

/* The record of file e in either tree. */
static void
dir_file(const struct layout *L, struct dirw *w, int joliet, const struct entry *e)
{
	unsigned char rec[256], id[160], su[128];
	size_t idlen, sulen = 0;
	char name[32];

	if (joliet) {
		idlen = ucs2(id, e->f->name);
	} else {
		idlen = (size_t)snprintf(name, sizeof name, "%s.%s;1", e->base, e->ext);
		memcpy(id, name, idlen);
		sulen = su_px(su, 0100444, 1);
		sulen += su_nm(su + sulen, e->f->name);
	}
	dirw_put(w, rec, dir_record(rec, e->lba, (uint32_t)e->f->len, 0, &L->tm, id, idlen, su, sulen));
}

/* Lay out one root directory (into img, or only measure when NULL); returns its bytes. */
static size_t
emit_dir(const struct layout *L, unsigned char *img, int joliet)
{
	uint32_t lba = joliet ? L->jroot_lba : LBA_ROOT;
	struct dirw w = { img ? img + (size_t)lba * SECTOR : NULL, 0 };
	struct entry **order = joliet ? L->jol : L->pri;
	size_t i;

	dir_dots(L, &w, joliet, lba, joliet ? L->jroot_secs : L->root_secs);
	for (i = 0; i < L->n; i++)
		dir_file(L, &w, joliet, order[i]);
	return w.off;
}

static uint32_t
sectors(size_t bytes)
{
	return (uint32_t)((bytes + SECTOR - 1) / SECTOR);
}

/* Names, directory order, and where everything goes. */
static void
layout_init(struct layout *L, const struct seed_file *files, size_t n, const char *label,
            time_t when)
{
	uint32_t next;
	size_t i;

	memset(L, 0, sizeof *L);
	L->n = n;
	L->label = label;
	L->e = xcalloc(n ? n : 1, sizeof *L->e);
	L->pri = xcalloc(n ? n : 1, sizeof *L->pri);
	L->jol = xcalloc(n ? n : 1, sizeof *L->jol);
	if (gmtime_r(&when, &L->tm) == NULL || L->tm.tm_year < 0 || L->tm.tm_year > 255) {
		time_t epoch = 0;
		gmtime_r(&epoch, &L->tm);
	}
	for (i = 0; i < n; i++) {
		L->e[i].f = &files[i];
		iso_name(&L->e[i]);
		iso_unique(L->e, i);
		L->pri[i] = L->jol[i] = &L->e[i];
	}
	qsort(L->pri, n, sizeof *L->pri, cmp_pri);
	qsort(L->jol, n, sizeof *L->jol, cmp_jol);
	L->root_secs = sectors(emit_dir(L, NULL, 0));
	L->jroot_lba = LBA_ROOT + L->root_secs;
	L->jroot_secs = sectors(emit_dir(L, NULL, 1));
	L->ce_lba = L->jroot_lba + L->jroot_secs;
	next = L->ce_lba + 1;
	for (i = 0; i < n; i++) {
		L->e[i].lba = files[i].len ? next : 0;
		next += sectors(files[i].len);
	}
	L->total = next;
}

static void
layout_free(struct layout *L)
{
	free(L->e);
	free(L->pri);
	free(L->jol);
}

/* Primary (wide 0) or Joliet (wide 1) volume descriptor, ECMA-119 8.4 / 8.5. */
static void
write_vd(unsigned char *vd, const struct layout *L, int wide)
{
	static const unsigned char dot = 0;
	uint32_t root = wide ? L->jroot_lba : LBA_ROOT;
	uint32_t secs = wide ? L->jroot_secs : L->root_secs;

	vd[0] = wide ? 2 : 1;
	memcpy(vd + 1, "CD001", 5);
	vd[6] = 1;
	pad_field(vd + 8, 32, "", wide);        /* system identifier */
	pad_field(vd + 40, 32, L->label, wide); /* volume identifier */
	both32(vd + 80, L->total);
	if (wide)
		memcpy(vd + 88, "%/E", 3);      /* UCS-2 level 3 */
	both16(vd + 120, 1);                    /* volume set size */
	both16(vd + 124, 1);                    /* volume sequence number */
	both16(vd + 128, SECTOR);
	both32(vd + 132, 10);                   /* path table: the root alone */
	put32le(vd + 140, wide ? LBA_JPT_L : LBA_PT_L);
	put32be(vd + 148, wide ? LBA_JPT_M : LBA_PT_M);
	dir_record(vd + 156, root, secs * SECTOR, 1, &L->tm, &dot, 1, NULL, 0);
	pad_field(vd + 190, 128, "", wide);     /* volume set */
	pad_field(vd + 318, 128, "", wide);     /* publisher */
	pad_field(vd + 446, 128, "", wide);     /* data preparer */
	pad_field(vd + 574, 128, "VMTUI", wide); /* application */
	pad_field(vd + 702, 37, "", wide);      /* copyright file */
	pad_field(vd + 739, 37, "", wide);      /* abstract file */
	pad_field(vd + 776, 37, "", wide);      /* bibliographic file */
	vd_date(vd + 813, &L->tm);              /* creation */
	vd_date(vd + 830, &L->tm);              /* modification */
	vd_date(vd + 847, NULL);                /* expiration */
	vd_date(vd + 864, &L->tm);              /* effective */
	vd[881] = 1;                            /* file structure version */
}

/* The one-entry path table: the root, its own parent (ECMA-119 9.4). */
static void
write_pt(unsigned char *p, uint32_t root, int big)
{
	p[0] = 1;
	if (big) {
		put32be(p + 2, root);
		put16be(p + 6, 1);
	} else {
		put32le(p + 2, root);
		put16le(p + 6, 1);
	}
}

unsigned char *
seed_iso(const struct seed_file *files, size_t nfiles, const char *label, time_t when,
         size_t *len)
{
	unsigned char *img, *term;
	struct layout L;
	size_t i;

	*len = 0;
	if (label == NULL)
		label = SEED_LABEL;
	if (!valid_label(label) || check_files(files, nfiles) < 0) {
		errno = EINVAL;
		return NULL;
	}
	layout_init(&L, files, nfiles, label, when);
	img = xcalloc(L.total, SECTOR);
	write_vd(img + LBA_PVD * SECTOR, &L, 0);
	write_vd(img + LBA_SVD * SECTOR, &L, 1);
	term = img + LBA_TERM * SECTOR;
	term[0] = 255;
	memcpy(term + 1, "CD001", 5);
	term[6] = 1;
	write_pt(img + LBA_PT_L * SECTOR, LBA_ROOT, 0);
	write_pt(img + LBA_PT_M * SECTOR, LBA_ROOT, 1);
	write_pt(img + LBA_JPT_L * SECTOR, L.jroot_lba, 0);
	write_pt(img + LBA_JPT_M * SECTOR, L.jroot_lba, 1);
	su_er(img + (size_t)L.ce_lba * SECTOR);
	emit_dir(&L, img, 0);
	emit_dir(&L, img, 1);
	for (i = 0; i < nfiles; i++)
		if (files[i].len > 0)
			memcpy(img + (size_t)L.e[i].lba * SECTOR, files[i].data, files[i].len);
	*len = (size_t)L.total * SECTOR;
	layout_free(&L);
	return img;
}

/* ---- YAML ---- */

struct ybuf {
	char *p;
	size_t len, cap;
};

/* libyaml output handler: append to a growing, NUL-terminated buffer. */
static int
ybuf_write(void *data, unsigned char *buf, size_t size)
{
	struct ybuf *b = data;

	if (b->len + size + 1 > b->cap) {
		b->cap = (b->len + size + 1) * 2;
		b->p = xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->len, buf, size);
	b->len += size;
	b->p[b->len] = '\0';
	return 1;
}

/* Emit s as a plain key (quoted 0) or a double-quoted string value (quoted 1). */
static int
y_scalar(yaml_emitter_t *em, const char *s, int quoted)
{
	yaml_event_t ev;

	if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, -1, !quoted, 1,
	                                  quoted ? YAML_DOUBLE_QUOTED_SCALAR_STYLE
	                                         : YAML_PLAIN_SCALAR_STYLE))
		return 0;
	return yaml_emitter_emit(em, &ev);
}

/* key: "value", skipped when value is NULL. */
static int
y_pair(yaml_emitter_t *em, const char *key, const char *value)
{
	if (value == NULL)
		return 1;
	return y_scalar(em, key, 0) && y_scalar(em, value, 1);
}

/* key: a block sequence of strings, skipped when empty. */
static int
y_list(yaml_emitter_t *em, const char *key, char *const *v, size_t n)
{
	yaml_event_t ev;
	size_t i;

	if (n == 0)
		return 1;
	if (!y_scalar(em, key, 0) ||
	    !yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE) ||
	    !yaml_emitter_emit(em, &ev))
		return 0;
	for (i = 0; i < n; i++)
		if (v[i] == NULL || !y_scalar(em, v[i], 1))
			return 0;
	return yaml_sequence_end_event_initialize(&ev) && yaml_emitter_emit(em, &ev);
}

/* Stream, document and top-level mapping start (start 1) or end (start 0). */
static int
y_frame(yaml_emitter_t *em, int start)
{
	yaml_event_t ev;

	if (start)
		return yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING) &&
		       yaml_emitter_emit(em, &ev) &&
		       yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1) &&
		       yaml_emitter_emit(em, &ev) &&
		       yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE) &&
		       yaml_emitter_emit(em, &ev);
	return yaml_mapping_end_event_initialize(&ev) && yaml_emitter_emit(em, &ev) &&
	       yaml_document_end_event_initialize(&ev, 1) && yaml_emitter_emit(em, &ev) &&
	       yaml_stream_end_event_initialize(&ev) && yaml_emitter_emit(em, &ev) &&
	       yaml_emitter_flush(em);
}

struct ydoc {
	const char *hostname, *instance_id;
	char *const *keys, *const *runcmd;
	size_t nkeys, nruncmd;
};

/* The mapping's entries: user-data or meta-data, by which fields are set. */
static int
y_body(yaml_emitter_t *em, const struct ydoc *d)
{
	if (d->instance_id != NULL)
		return y_pair(em, "instance-id", d->instance_id) &&
		       y_pair(em, "local-hostname", d->hostname);
	return y_pair(em, "hostname", d->hostname) &&
	       y_list(em, "ssh_authorized_keys", d->keys, d->nkeys) &&
	       y_list(em, "runcmd", d->runcmd, d->nruncmd);
}

/* Emit d as a one-mapping YAML document after the text head; NULL on failure. */
static char *
y_emit(const char *head, const struct ydoc *d)
{
	struct ybuf b = { NULL, 0, 0 };
	yaml_emitter_t em;
	char *out = NULL;

	ybuf_write(&b, (unsigned char *)head, strlen(head));
	if (!yaml_emitter_initialize(&em))
		goto cleanup;
	yaml_emitter_set_output(&em, ybuf_write, &b);
	yaml_emitter_set_unicode(&em, 1);
	yaml_emitter_set_width(&em, -1); /* ssh keys stay on one line */
	if (y_frame(&em, 1) && y_body(&em, d) && y_frame(&em, 0)) {
		out = b.p;
		b.p = NULL;
	}
	yaml_emitter_delete(&em);

cleanup:
	free(b.p);
	return out;
}

char *
seed_user_data(const char *hostname, char *const *keys, size_t nkeys, char *const *runcmd,
               size_t nruncmd)
{
	struct ydoc d = { hostname, NULL, keys, runcmd, keys ? nkeys : 0, runcmd ? nruncmd : 0 };

	return y_emit("#cloud-config\n", &d);
}

char *
seed_meta_data(const char *instance_id, const char *hostname)
{
	struct ydoc d = { hostname, instance_id, NULL, NULL, 0, 0 };

	if (instance_id == NULL)
		return NULL;
	return y_emit("", &d);
}
