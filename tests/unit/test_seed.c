/* test_seed.c — NoCloud seed images (ISO 9660 + Rock Ridge + Joliet) byte by
 * byte and through isoinfo/blkid, and the user-data/meta-data YAML. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <yaml.h>

#include "model/defs/seed.h"

#define SECTOR 2048
#define WHEN ((time_t)1700000000) /* 2023-11-14 22:13:20 UTC */

static const char user_data[] = "#cloud-config\nhostname: \"vm1\"\n";
static const char meta_data[] = "instance-id: \"iid-vm1\"\nlocal-hostname: \"vm1\"\n";
static const char net_config[] = "version: 2\nethernets: {}\n";

static const struct seed_file three[] = {
	{ "user-data", user_data, sizeof user_data - 1 },
	{ "meta-data", meta_data, sizeof meta_data - 1 },
	{ "network-config", net_config, sizeof net_config - 1 },
};

/* ---- helpers ---- */

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[3] | (uint32_t)p[2] << 8 | (uint32_t)p[1] << 16 | (uint32_t)p[0] << 24;
}

static uint16_t
le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint16_t
be16(const unsigned char *p)
{
	return (uint16_t)(p[1] | p[0] << 8);
}

/* A both-byte-order field, checked to agree. */
static uint32_t
both32(const unsigned char *p)
{
	assert_int_equal(le32(p), be32(p + 4));
	return le32(p);
}

static unsigned char *
build(const struct seed_file *f, size_t n, size_t *len)
{
	unsigned char *img = seed_iso(f, n, NULL, WHEN, len);

	assert_non_null(img);
	assert_true(*len > 0 && *len % SECTOR == 0);
	return img;
}

/* The directory record with identifier id (idlen bytes) in the directory at
 * lba of size bytes, checking no record straddles a sector; NULL if absent. */
static const unsigned char *
find_record(const unsigned char *img, size_t len, uint32_t lba, uint32_t size,
            const void *id, size_t idlen)
{
	const unsigned char *dir = img + (size_t)lba * SECTOR;
	size_t off = 0;

	assert_true((size_t)lba * SECTOR + size <= len);
	while (off < size) {
		if (dir[off] == 0) { /* rest of the sector is padding */
			off = (off / SECTOR + 1) * SECTOR;
			continue;
		}
		assert_true(off % SECTOR + dir[off] <= SECTOR);
		assert_int_equal(dir[off] % 2, 0);
		if (dir[off + 32] == idlen && memcmp(dir + off + 33, id, idlen) == 0)
			return dir + off;
		off += dir[off];
	}
	return NULL;
}

/* The SUSP entry sig inside a record's system use area (or area of n bytes). */
static const unsigned char *
find_su(const unsigned char *su, size_t n, const char *sig)
{
	size_t off = 0;

	while (off + 4 <= n && su[off + 2] >= 4) {
		if (su[off] == sig[0] && su[off + 1] == sig[1])
			return su + off;
		off += su[off + 2];
	}
	return NULL;
}

static const unsigned char *
record_su(const unsigned char *rec, size_t *n)
{
	size_t start = 33 + rec[32] + (rec[32] % 2 == 0);

	*n = rec[0] - start;
	return rec + start;
}

/* s (ASCII) as UCS-2BE into out; returns the byte length. */
static size_t
to_ucs2(unsigned char *out, const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++) {
		out[2 * i] = 0;
		out[2 * i + 1] = (unsigned char)s[i];
	}
	return 2 * i;
}

/* Check that rec is a file record whose extent holds exactly data. */
static void
assert_extent(const unsigned char *img, size_t len, const unsigned char *rec, const char *data,
              size_t dlen)
{
	uint32_t lba = both32(rec + 2), size = both32(rec + 10);

	assert_int_equal(size, dlen);
	assert_int_equal(rec[25] & 2, 0);
	assert_true((size_t)lba * SECTOR + size <= len);
	assert_memory_equal(img + (size_t)lba * SECTOR, data, dlen);
}

/* ---- external tools ---- */

/* Full path of an executable named name in $PATH or the sbin directories. */
static char *
find_tool(const char *name)
{
	const char *env = getenv("PATH");
	char *dirs, *save = NULL, *d, path[4096];
	char *found = NULL;

	if (asprintf(&dirs, "%s:/usr/sbin:/sbin:/usr/bin:/bin", env ? env : "") < 0)
		return NULL;
	for (d = strtok_r(dirs, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
		snprintf(path, sizeof path, "%s/%s", d, name);
		if (d[0] == '/' && access(path, X_OK) == 0)
			found = strdup(path);
	}
	free(dirs);
	return found;
}

/* Run argv (argv[0] a full path, no shell); its stdout into *out (malloc'd).
 * Returns the exit status, or -1 if it did not exit normally. */
static int
run_tool(char *const argv[], char **out)
{
	int fds[2], status, devnull;
	size_t len = 0, cap = 4096;
	ssize_t got;
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		devnull = open("/dev/null", O_RDWR);
		dup2(fds[1], STDOUT_FILENO);
		if (devnull >= 0)
			dup2(devnull, STDERR_FILENO);
		close(fds[0]);
		close(fds[1]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	*out = malloc(cap);
	assert_non_null(*out);
	while ((got = read(fds[0], *out + len, cap - len - 1)) > 0 || (got < 0 && errno == EINTR)) {
		if (got < 0)
			continue;
		len += (size_t)got;
		if (cap - len < 2) {
			cap *= 2;
			*out = realloc(*out, cap);
			assert_non_null(*out);
		}
	}
	(*out)[len] = '\0';
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Write img to a fresh temporary file; its path into path. */
static void
write_temp(const unsigned char *img, size_t len, char *path, size_t size)
{
	int fd;

	snprintf(path, size, "/tmp/vmtui-seed.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, img, len), (ssize_t)len);
	close(fd);
}

/* Output of tool with args (NULL-terminated), exit status 0 required. */
static char *
tool_output(const char *tool, ...)
{
	char *argv[16], *out = NULL, *path = find_tool(tool);
	va_list ap;
	size_t n = 0;

	assert_non_null(path);
	argv[n++] = path;
	va_start(ap, tool);
	while (n < 15 && (argv[n] = va_arg(ap, char *)) != NULL)
		n++;
	va_end(ap);
	argv[n] = NULL;
	assert_int_equal(run_tool(argv, &out), 0);
	free(path);
	return out;
}

/* Skip the test unless every named tool is installed. */
static void
need_tools(const char *a, const char *b)
{
	char *pa = find_tool(a), *pb = b ? find_tool(b) : NULL;
	int ok = pa != NULL && (b == NULL || pb != NULL);

	free(pa);
	free(pb);
	if (!ok)
		skip();
}

/* ---- image structure ---- */

static void
test_system_area_and_descriptors(void **state)
{
	size_t len, i;
	unsigned char *img = build(three, 3, &len);

	(void)state;
	for (i = 0; i < 16 * SECTOR; i++)
		assert_int_equal(img[i], 0);
	assert_int_equal(img[16 * SECTOR], 1);
	assert_memory_equal(img + 16 * SECTOR + 1, "CD001\1", 6);
	assert_int_equal(img[17 * SECTOR], 2);
	assert_memory_equal(img + 17 * SECTOR + 1, "CD001\1", 6);
	assert_int_equal(img[18 * SECTOR], 255);
	assert_memory_equal(img + 18 * SECTOR + 1, "CD001\1", 6);
	free(img);
}

static void
test_pvd_fields(void **state)
{
	size_t len;
	unsigned char *img = build(three, 3, &len);
	const unsigned char *pvd = img + 16 * SECTOR;

	(void)state;
	assert_memory_equal(pvd + 40, "cidata                          ", 32);
	assert_int_equal(both32(pvd + 80), len / SECTOR);
	assert_int_equal(le16(pvd + 120), 1);
	assert_int_equal(be16(pvd + 122), 1);
	assert_int_equal(le16(pvd + 128), SECTOR);
	assert_int_equal(be16(pvd + 130), SECTOR);
	assert_int_equal(both32(pvd + 132), 10);
	/* Root record: 34 bytes, a directory, identifier 0x00. */
	assert_int_equal(pvd[156], 34);
	assert_int_equal(pvd[156 + 25], 2);
	assert_int_equal(pvd[156 + 32], 1);
	assert_int_equal(pvd[156 + 33], 0);
	assert_int_equal(both32(pvd + 156 + 10) % SECTOR, 0);
	assert_memory_equal(pvd + 813, "2023111422132000\0", 17); /* creation */
	assert_memory_equal(pvd + 830, "2023111422132000\0", 17); /* modification */
	assert_memory_equal(pvd + 847, "0000000000000000\0", 17); /* expiration unset */
	assert_int_equal(pvd[881], 1);
	free(img);
}

/* Both path tables of a tree name the root and agree with its descriptor. */
static void
check_path_tables(const unsigned char *img, size_t len, const unsigned char *vd)
{
	uint32_t root = both32(vd + 156 + 2), l = le32(vd + 140), m = be32(vd + 148);
	const unsigned char *pl = img + (size_t)l * SECTOR, *pm = img + (size_t)m * SECTOR;

	assert_true((size_t)(l + 1) * SECTOR <= len && (size_t)(m + 1) * SECTOR <= len);
	assert_int_equal(pl[0], 1);
	assert_int_equal(pl[1], 0);
	assert_int_equal(le32(pl + 2), root);
	assert_int_equal(le16(pl + 6), 1);
	assert_int_equal(pl[8], 0);
	assert_int_equal(pm[0], 1);
	assert_int_equal(be32(pm + 2), root);
	assert_int_equal(be16(pm + 6), 1);
	assert_int_equal(pm[8], 0);
}

static void
test_path_tables(void **state)
{
	size_t len;
	unsigned char *img = build(three, 3, &len);

	(void)state;
	check_path_tables(img, len, img + 16 * SECTOR);
	check_path_tables(img, len, img + 17 * SECTOR);
	free(img);
}

static void
test_root_records(void **state)
{
	static const char *const ids[] = { "META_DAT.;1", "NETWORK_.;1", "USER_DAT.;1" };
	static const size_t which[] = { 1, 2, 0 };
	size_t len, i;
	unsigned char *img = build(three, 3, &len);
	const unsigned char *pvd = img + 16 * SECTOR, *dot, *rec, *prev = NULL;
	uint32_t root = both32(pvd + 156 + 2), size = both32(pvd + 156 + 10);

	(void)state;
	dot = find_record(img, len, root, size, "\0", 1);
	assert_ptr_equal(dot, img + (size_t)root * SECTOR); /* "." comes first */
	assert_int_equal(both32(dot + 2), root);
	assert_int_equal(both32(dot + 10), size);
	assert_int_equal(dot[25], 2);
	rec = find_record(img, len, root, size, "\1", 1);
	assert_ptr_equal(rec, dot + dot[0]);
	assert_int_equal(both32(rec + 2), root);
	/* Level 1 names, in ISO 9660 order, each holding its file's bytes. */
	for (i = 0; i < 3; i++) {
		rec = find_record(img, len, root, size, ids[i], strlen(ids[i]));
		assert_non_null(rec);
		assert_true(prev == NULL || rec > prev);
		prev = rec;
		assert_extent(img, len, rec, three[which[i]].data, three[which[i]].len);
		/* 2023-11-14 22:13:20 UTC */
		assert_memory_equal(rec + 18, "\x7b\x0b\x0e\x16\x0d\x14\x00", 7);
		assert_int_equal(le16(rec + 28), 1);
	}
	free(img);
}

static void
test_rock_ridge(void **state)
{
	size_t len, n;
	unsigned char *img = build(three, 3, &len);
	const unsigned char *pvd = img + 16 * SECTOR, *dot, *su, *e, *rec, *er;
	uint32_t root = both32(pvd + 156 + 2), size = both32(pvd + 156 + 10);

	(void)state;
	dot = find_record(img, len, root, size, "\0", 1);
	su = record_su(dot, &n);
	/* SP first, with the check bytes and no skip. */
	assert_memory_equal(su, "SP\7\1\xbe\xef\0", 7);
	e = find_su(su, n, "PX");
	assert_non_null(e);
	assert_int_equal(e[2], 36);
	assert_int_equal(both32(e + 4), 040555);
	/* CE leads to the ER naming RRIP_1991A. */
	e = find_su(su, n, "CE");
	assert_non_null(e);
	assert_true((size_t)(both32(e + 4) + 1) * SECTOR <= len);
	assert_true(both32(e + 4) > root); /* after the directory, for streaming readers */
	er = img + (size_t)both32(e + 4) * SECTOR + both32(e + 12);
	assert_int_equal(both32(e + 20), er[2]);
	assert_memory_equal(er, "ER", 2);
	assert_int_equal(er[4], 10);
	assert_int_equal(er[7], 1);
	assert_memory_equal(er + 8, "RRIP_1991A", 10);
	assert_int_equal(er[2], 8 + er[4] + er[5] + er[6]);
	/* Files: PX regular 0444, NM the real name. */
	rec = find_record(img, len, root, size, "USER_DAT.;1", 11);
	su = record_su(rec, &n);
	e = find_su(su, n, "PX");
	assert_non_null(e);
	assert_int_equal(both32(e + 4), 0100444);
	assert_int_equal(both32(e + 12), 1);
	e = find_su(su, n, "NM");
	assert_non_null(e);
	assert_int_equal(e[2], 5 + 9);
	assert_int_equal(e[4], 0);
	assert_memory_equal(e + 5, "user-data", 9);
	free(img);
}

static void
test_joliet(void **state)
{
	unsigned char id[128];
	size_t len, idlen, i;
	unsigned char *img = build(three, 3, &len);
	const unsigned char *svd = img + 17 * SECTOR, *pvd = img + 16 * SECTOR, *rec, *prec;
	uint32_t root = both32(svd + 156 + 2), size = both32(svd + 156 + 10);
	uint32_t proot = both32(pvd + 156 + 2), psize = both32(pvd + 156 + 10);
	static const char *const pids[] = { "USER_DAT.;1", "META_DAT.;1", "NETWORK_.;1" };

	(void)state;
	assert_memory_equal(svd + 88, "%/E", 3);
	idlen = to_ucs2(id, "cidata          ");
	assert_memory_equal(svd + 40, id, idlen);
	assert_int_equal(both32(svd + 80), len / SECTOR);
	assert_true(root != proot);
	assert_non_null(find_record(img, len, root, size, "\0", 1));
	for (i = 0; i < 3; i++) {
		idlen = to_ucs2(id, three[i].name);
		rec = find_record(img, len, root, size, id, idlen);
		assert_non_null(rec);
		assert_extent(img, len, rec, three[i].data, three[i].len);
		/* Same contents as the primary tree: no second copy. */
		prec = find_record(img, len, proot, psize, pids[i], strlen(pids[i]));
		assert_non_null(prec);
		assert_int_equal(both32(rec + 2), both32(prec + 2));
		/* No System Use entries in the Joliet tree. */
		assert_int_equal(rec[0], 33 + idlen + 1);
	}
	free(img);
}

static void
test_deterministic(void **state)
{
	size_t a_len, b_len, c_len, i, diff = 0;
	unsigned char *a = build(three, 3, &a_len), *b = build(three, 3, &b_len);
	unsigned char *c = seed_iso(three, 3, NULL, WHEN + 3600, &c_len);

	(void)state;
	assert_int_equal(a_len, b_len);
	assert_memory_equal(a, b, a_len);
	/* Another time changes only timestamps. */
	assert_non_null(c);
	assert_int_equal(a_len, c_len);
	for (i = 0; i < a_len; i++)
		diff += a[i] != c[i];
	assert_true(diff > 0 && diff < 64);
	free(a);
	free(b);
	free(c);
}

static void
test_label_and_empty_file(void **state)
{
	static const struct seed_file f[] = { { "empty", NULL, 0 }, { "x", "x", 1 } };
	size_t len;
	unsigned char *img = seed_iso(f, 2, "CIDATA", WHEN, &len);
	const unsigned char *pvd, *rec;

	(void)state;
	assert_non_null(img);
	pvd = img + 16 * SECTOR;
	assert_memory_equal(pvd + 40, "CIDATA ", 7);
	rec = find_record(img, len, both32(pvd + 158), both32(pvd + 166), "EMPTY.;1", 8);
	assert_non_null(rec);
	assert_int_equal(both32(rec + 10), 0);
	assert_int_equal(both32(rec + 2), 0);
	rec = find_record(img, len, both32(pvd + 158), both32(pvd + 166), "X.;1", 4);
	assert_non_null(rec);
	assert_extent(img, len, rec, "x", 1);
	free(img);
	/* No files at all: still a valid, labelled volume. */
	img = seed_iso(NULL, 0, NULL, WHEN, &len);
	assert_non_null(img);
	assert_memory_equal(img + 16 * SECTOR + 40, "cidata ", 7);
	assert_int_equal(img[18 * SECTOR], 255);
	free(img);
}

static void
test_name_mangling(void **state)
{
	static const struct seed_file f[] = {
		{ "a-b", "1", 1 }, { "a_b", "2", 1 }, { "A-B", "3", 1 },
		{ "long-name-1.txt", "4", 1 }, { "long-name-2.txt", "5", 1 },
		{ ".hidden", "6", 1 }, { "x.tar.gz", "7", 1 },
	};
	static const char *const ids[] = { "A_B.;1", "A_B1.;1", "A_B2.;1", "LONG_NAM.TXT;1",
	                                   "LONG_NA1.TXT;1", "_HIDDEN.;1", "X_TAR.GZ;1" };
	size_t len, i;
	unsigned char *img = build(f, 7, &len);
	const unsigned char *pvd = img + 16 * SECTOR, *rec;

	(void)state;
	for (i = 0; i < 7; i++) {
		rec = find_record(img, len, both32(pvd + 158), both32(pvd + 166), ids[i], strlen(ids[i]));
		assert_non_null(rec);
		assert_extent(img, len, rec, f[i].data, 1);
	}
	free(img);
}

/* Enough long names that both directories span several sectors. */
static void
test_many_files(void **state)
{
	struct seed_file f[SEED_MAX_FILES];
	char names[SEED_MAX_FILES][65];
	size_t len, i, n;
	unsigned char *img, id[160];
	const unsigned char *svd, *rec;

	(void)state;
	for (i = 0; i < SEED_MAX_FILES; i++) {
		/* 64 characters, the longest name allowed. */
		snprintf(names[i], sizeof names[i], "%02zu-%s", i,
		         "abcdefghijklmnopqrstuvwxyz-abcdefghijklmnopqrstuvwxyz-abcdefg");
		assert_int_equal(strlen(names[i]), 64);
		f[i].name = names[i];
		f[i].data = names[i];
		f[i].len = strlen(names[i]);
	}
	img = build(f, SEED_MAX_FILES, &len);
	assert_true(both32(img + 16 * SECTOR + 166) > SECTOR);
	svd = img + 17 * SECTOR;
	assert_true(both32(svd + 166) > SECTOR);
	for (i = 0; i < SEED_MAX_FILES; i++) {
		n = to_ucs2(id, names[i]);
		rec = find_record(img, len, both32(svd + 158), both32(svd + 166), id, n);
		assert_non_null(rec);
		assert_extent(img, len, rec, names[i], strlen(names[i]));
	}
	free(img);
}

static void
test_invalid_input(void **state)
{
	static const char *const bad[] = { "", "a/b", "a\\b", "a;1", "a*", "a:b", "a?", ".", "..",
	                                   "tab\there", "\xc3\xa9t\xc3\xa9",
	                                   "01234567890123456789012345678901234567890123456789012345678901234" };
	struct seed_file f[SEED_MAX_FILES + 1];
	size_t len = 1, i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		f[0] = (struct seed_file){ bad[i], "x", 1 };
		errno = 0;
		assert_null(seed_iso(f, 1, NULL, WHEN, &len));
		assert_int_equal(errno, EINVAL);
		assert_int_equal(len, 0);
	}
	f[0] = (struct seed_file){ "a", "x", 1 };
	f[1] = (struct seed_file){ "a", "y", 1 };
	assert_null(seed_iso(f, 2, NULL, WHEN, &len)); /* duplicate */
	f[1] = (struct seed_file){ "b", NULL, 1 };
	assert_null(seed_iso(f, 2, NULL, WHEN, &len)); /* no data */
	/* The size check comes before the data is read. */
	f[1] = (struct seed_file){ "b", "y", SEED_MAX_FILE_SIZE };
	assert_null(seed_iso(f, 2, NULL, WHEN, &len));
	assert_null(seed_iso(f, 1, "", WHEN, &len));
	assert_null(seed_iso(f, 1, "seventeen-chars-x", WHEN, &len));
	for (i = 0; i < SEED_MAX_FILES + 1; i++)
		f[i] = (struct seed_file){ "same", "x", 1 };
	assert_null(seed_iso(f, SEED_MAX_FILES + 1, NULL, WHEN, &len));
}

/* ---- real tools ---- */

static void
test_blkid(void **state)
{
	char path[64], *out;
	size_t len;
	unsigned char *img = build(three, 3, &len);

	(void)state;
	need_tools("blkid", NULL);
	write_temp(img, len, path, sizeof path);
	out = tool_output("blkid", "-p", "-o", "value", "-s", "LABEL", path, NULL);
	assert_string_equal(out, "cidata\n");
	free(out);
	out = tool_output("blkid", "-p", "-o", "value", "-s", "TYPE", path, NULL);
	assert_string_equal(out, "iso9660\n");
	free(out);
	unlink(path);
	free(img);
}

static void
test_isoinfo_summary(void **state)
{
	char path[64], *out;
	size_t len;
	unsigned char *img = build(three, 3, &len);

	(void)state;
	need_tools("isoinfo", NULL);
	write_temp(img, len, path, sizeof path);
	out = tool_output("isoinfo", "-d", "-i", path, NULL);
	assert_non_null(strstr(out, "Volume id: cidata\n"));
	assert_non_null(strstr(out, "Joliet with UCS level 3 found"));
	assert_non_null(strstr(out, "Rock Ridge signatures version 1 found"));
	free(out);
	unlink(path);
	free(img);
}

/* isoinfo lists the files under their names in the tree opt selects and
 * extracts each one's exact bytes. */
static void
check_isoinfo_tree(const char *path, const char *opt, const char *const names[])
{
	char *out, iso_path[80];
	size_t i;

	out = opt ? tool_output("isoinfo", opt, "-l", "-i", path, NULL)
	          : tool_output("isoinfo", "-l", "-i", path, NULL);
	for (i = 0; i < 3; i++) {
		char line_end[80];
		snprintf(line_end, sizeof line_end, "]  %s \n", names[i]);
		assert_non_null(strstr(out, line_end));
	}
	free(out);
	for (i = 0; i < 3; i++) {
		snprintf(iso_path, sizeof iso_path, "/%s", names[i]);
		out = opt ? tool_output("isoinfo", opt, "-i", path, "-x", iso_path, NULL)
		          : tool_output("isoinfo", "-i", path, "-x", iso_path, NULL);
		assert_int_equal(strlen(out), three[i].len);
		assert_memory_equal(out, three[i].data, three[i].len);
		free(out);
	}
}

static void
test_isoinfo_trees(void **state)
{
	static const char *const rr[] = { "user-data", "meta-data", "network-config" };
	static const char *const jol[] = { "user-data", "meta-data", "network-config" };
	static const char *const iso[] = { "USER_DAT.;1", "META_DAT.;1", "NETWORK_.;1" };
	char path[64];
	size_t len;
	unsigned char *img = build(three, 3, &len);

	(void)state;
	need_tools("isoinfo", NULL);
	write_temp(img, len, path, sizeof path);
	check_isoinfo_tree(path, "-R", rr);
	check_isoinfo_tree(path, "-J", jol);
	check_isoinfo_tree(path, NULL, iso);
	unlink(path);
	free(img);
}

static void
test_isoinfo_many_files(void **state)
{
	struct seed_file f[SEED_MAX_FILES];
	char names[SEED_MAX_FILES][64], path[64], *out, want[96];
	size_t len, i;
	unsigned char *img;

	(void)state;
	need_tools("isoinfo", NULL);
	for (i = 0; i < SEED_MAX_FILES; i++) {
		snprintf(names[i], sizeof names[i], "file-%02zu-with-a-rather-long-name.yaml", i);
		f[i] = (struct seed_file){ names[i], names[i], strlen(names[i]) };
	}
	img = build(f, SEED_MAX_FILES, &len);
	write_temp(img, len, path, sizeof path);
	out = tool_output("isoinfo", "-R", "-l", "-i", path, NULL);
	for (i = 0; i < SEED_MAX_FILES; i++) {
		snprintf(want, sizeof want, "]  %.64s \n", names[i]);
		assert_non_null(strstr(out, want));
	}
	free(out);
	out = tool_output("isoinfo", "-J", "-i", path, "-x", "/file-31-with-a-rather-long-name.yaml", NULL);
	assert_string_equal(out, names[31]);
	free(out);
	unlink(path);
	free(img);
}

/* ---- YAML ---- */

/* Parse text as YAML; the root must be a mapping. */
static void
load(yaml_document_t *doc, const char *text)
{
	yaml_parser_t p;
	yaml_node_t *root;

	assert_true(yaml_parser_initialize(&p));
	yaml_parser_set_input_string(&p, (const unsigned char *)text, strlen(text));
	assert_true(yaml_parser_load(&p, doc));
	yaml_parser_delete(&p);
	root = yaml_document_get_root_node(doc);
	assert_non_null(root);
	assert_int_equal(root->type, YAML_MAPPING_NODE);
}

/* The value node of key in the root mapping, or NULL. */
static yaml_node_t *
get(yaml_document_t *doc, const char *key)
{
	yaml_node_t *root = yaml_document_get_root_node(doc), *k;
	yaml_node_pair_t *p;

	for (p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
		k = yaml_document_get_node(doc, p->key);
		if (k->type == YAML_SCALAR_NODE && strcmp((char *)k->data.scalar.value, key) == 0)
			return yaml_document_get_node(doc, p->value);
	}
	return NULL;
}

/* A scalar equal to want and double-quoted (so "yes" or "123" stay strings). */
static void
assert_str(yaml_node_t *n, const char *want)
{
	assert_non_null(n);
	assert_int_equal(n->type, YAML_SCALAR_NODE);
	assert_int_equal(n->data.scalar.length, strlen(want));
	assert_memory_equal(n->data.scalar.value, want, strlen(want));
	assert_int_equal(n->data.scalar.style, YAML_DOUBLE_QUOTED_SCALAR_STYLE);
}

static void
assert_seq(yaml_document_t *doc, yaml_node_t *n, char *const *want, size_t nwant)
{
	size_t i;

	assert_non_null(n);
	assert_int_equal(n->type, YAML_SEQUENCE_NODE);
	assert_int_equal(n->data.sequence.items.top - n->data.sequence.items.start, nwant);
	for (i = 0; i < nwant; i++)
		assert_str(yaml_document_get_node(doc, n->data.sequence.items.start[i]), want[i]);
}

static char *const nasty[] = {
	"it's \"quoted\"", "key: value", "line one\nline two\n", "- leading dash",
	"# not a comment", "trailing #hash", "caf\xc3\xa9 \xe2\x98\x83 \xf0\x9f\x90\xa7", "yes",
	"123", "null", "~", "", "  spaces  ", "tab\tand\\backslash", "{flow: [x]}", "&anchor *alias",
	"!tag", "%percent", "@at `tick`", "a\rb", "x\x01y",
};
#define NNASTY (sizeof nasty / sizeof nasty[0])

static void
test_user_data_roundtrip(void **state)
{
	char *const keys[] = { "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG9 user@host: \"x\" # y",
	                       "ssh-rsa " "AAAAB3NzaC1yc2EAAAADAQABAAABAQC" "0123456789abcdef0123456789abcdef"
	                       "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	                       "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" };
	yaml_document_t doc;
	size_t i;
	char *ud;

	(void)state;
	for (i = 0; i < NNASTY; i++) {
		ud = seed_user_data(nasty[i], keys, 2, nasty, NNASTY);
		assert_non_null(ud);
		assert_memory_equal(ud, "#cloud-config\n", 14);
		load(&doc, ud);
		assert_str(get(&doc, "hostname"), nasty[i]);
		assert_seq(&doc, get(&doc, "ssh_authorized_keys"), keys, 2);
		assert_seq(&doc, get(&doc, "runcmd"), nasty, NNASTY);
		yaml_document_delete(&doc);
		free(ud);
	}
	/* Long keys stay on one line. */
	ud = seed_user_data("h", keys, 2, NULL, 0);
	assert_non_null(strstr(ud, keys[1]));
	free(ud);
}

static void
test_user_data_optional(void **state)
{
	char *const keys[] = { "ssh-ed25519 AAAA k" };
	yaml_document_t doc;
	char *ud;

	(void)state;
	ud = seed_user_data(NULL, keys, 1, NULL, 0);
	assert_non_null(ud);
	load(&doc, ud);
	assert_null(get(&doc, "hostname"));
	assert_null(get(&doc, "runcmd"));
	assert_seq(&doc, get(&doc, "ssh_authorized_keys"), keys, 1);
	yaml_document_delete(&doc);
	free(ud);
	ud = seed_user_data("vm1", NULL, 0, NULL, 0);
	assert_string_equal(ud, "#cloud-config\nhostname: \"vm1\"\n");
	free(ud);
	/* Not UTF-8: refused rather than emitted wrong. */
	assert_null(seed_user_data("bad\xff", NULL, 0, NULL, 0));
	assert_null(seed_user_data("ok", NULL, 0, (char *const[]){ "\xc3" }, 1));
}

static void
test_meta_data(void **state)
{
	yaml_document_t doc;
	size_t i;
	char *md;

	(void)state;
	md = seed_meta_data("iid-vm1", "vm1");
	assert_string_equal(md, "instance-id: \"iid-vm1\"\nlocal-hostname: \"vm1\"\n");
	free(md);
	for (i = 0; i < NNASTY; i++) {
		md = seed_meta_data(nasty[i], nasty[NNASTY - 1 - i]);
		assert_non_null(md);
		load(&doc, md);
		assert_str(get(&doc, "instance-id"), nasty[i]);
		assert_str(get(&doc, "local-hostname"), nasty[NNASTY - 1 - i]);
		yaml_document_delete(&doc);
		free(md);
	}
	md = seed_meta_data("iid", NULL);
	assert_string_equal(md, "instance-id: \"iid\"\n");
	free(md);
	assert_null(seed_meta_data(NULL, "vm1"));
	assert_null(seed_meta_data("\xfe", "vm1"));
}

/* The whole path: YAML from the helpers, in an image, read back by isoinfo. */
static void
test_seed_end_to_end(void **state)
{
	char *const keys[] = { "ssh-ed25519 AAAA me@there" };
	char *const cmds[] = { "echo 'hello: world' > /run/x" };
	char *ud = seed_user_data("vm-\xc3\xa9", keys, 1, cmds, 1), *md = seed_meta_data("iid", "vm");
	struct seed_file f[] = { { "user-data", ud, strlen(ud) }, { "meta-data", md, strlen(md) } };
	char path[64], *out;
	size_t len;
	unsigned char *img = build(f, 2, &len);

	(void)state;
	need_tools("isoinfo", NULL);
	write_temp(img, len, path, sizeof path);
	out = tool_output("isoinfo", "-R", "-i", path, "-x", "/user-data", NULL);
	assert_string_equal(out, ud);
	free(out);
	out = tool_output("isoinfo", "-J", "-i", path, "-x", "/meta-data", NULL);
	assert_string_equal(out, md);
	free(out);
	unlink(path);
	free(img);
	free(ud);
	free(md);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_system_area_and_descriptors),
		cmocka_unit_test(test_pvd_fields),
		cmocka_unit_test(test_path_tables),
		cmocka_unit_test(test_root_records),
		cmocka_unit_test(test_rock_ridge),
		cmocka_unit_test(test_joliet),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_label_and_empty_file),
		cmocka_unit_test(test_name_mangling),
		cmocka_unit_test(test_many_files),
		cmocka_unit_test(test_invalid_input),
		cmocka_unit_test(test_blkid),
		cmocka_unit_test(test_isoinfo_summary),
		cmocka_unit_test(test_isoinfo_trees),
		cmocka_unit_test(test_isoinfo_many_files),
		cmocka_unit_test(test_user_data_roundtrip),
		cmocka_unit_test(test_user_data_optional),
		cmocka_unit_test(test_meta_data),
		cmocka_unit_test(test_seed_end_to_end),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
