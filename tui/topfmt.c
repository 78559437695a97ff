/* topfmt.c — records of `vmtui top --batch` as text, CSV and JSON Lines. */
#include "topfmt.h"

#include <math.h>
#include <string.h>
#include <time.h>

#include "../model/base/json.h"
#include "format.h"

/* The fields, in order, as named in the CSV header and the JSON keys. */
enum field {
	F_TIME, F_EPOCH, F_HOST, F_NAME, F_UUID, F_STATE, F_VCPUS, F_CPU, F_MEM_USED,
	F_MEM_ALLOC, F_RD, F_WR, F_RD_OPS, F_WR_OPS, F_RX, F_TX, F_UPTIME, F_WAIT, F_COUNT
};

static const char *const names[F_COUNT] = {
	"time", "epoch", "host", "name", "uuid", "state", "vcpus", "cpu_pct", "mem_used",
	"mem_alloc", "disk_rd_bps", "disk_wr_bps", "disk_rd_ops", "disk_wr_ops", "net_rx_bps",
	"net_tx_bps", "uptime", "wait_pct",
};

char *
topfmt_iso8601(char *buf, size_t n, double epoch, bool millis)
{
	/* Rounded to the millisecond as the epoch field is, so both agree. */
	long long ms = llround(epoch * 1000.0);
	time_t secs = (time_t)(millis ? ms / 1000 : (long long)floor(epoch));
	struct tm tm;
	char base[32];

	gmtime_r(&secs, &tm);
	strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
	if (millis) {
		snprintf(buf, n, "%s.%03dZ", base, (int)(ms % 1000));
	} else {
		snprintf(buf, n, "%sZ", base);
	}
	return buf;
}

/* A numeric field as text: a number with `dec` decimals, or "" when unknown. */
static const char *
num(char *b, size_t n, double v, int dec)
{
	if (v < 0 || !isfinite(v))
		b[0] = '\0';
	else
		snprintf(b, n, "%.*f", dec, v);
	return b;
}

/* Decimals each numeric field is written with. */
static int
decimals(enum field f)
{
	switch (f) {
	case F_EPOCH:
		return 3;
	case F_CPU: case F_WAIT:
		return 2;
	case F_RD: case F_WR: case F_RD_OPS: case F_WR_OPS: case F_RX: case F_TX:
		return 1;
	default:
		return 0;
	}
}

static double
number_of(const struct top_rec *r, enum field f)
{
	switch (f) {
	case F_EPOCH: return r->epoch;
	case F_VCPUS: return r->vcpus;
	case F_CPU: return r->cpu_pct;
	case F_MEM_USED: return r->mem_used;
	case F_MEM_ALLOC: return r->mem_alloc;
	case F_RD: return r->rd_bps;
	case F_WR: return r->wr_bps;
	case F_RD_OPS: return r->rd_ops;
	case F_WR_OPS: return r->wr_ops;
	case F_RX: return r->rx_bps;
	case F_TX: return r->tx_bps;
	case F_UPTIME: return r->uptime;
	case F_WAIT: return r->wait_pct;
	default: return -1;
	}
}

/* The string fields; NULL for numeric ones. */
static const char *
string_of(const struct top_rec *r, enum field f, char *tbuf, size_t n)
{
	switch (f) {
	case F_TIME: return topfmt_iso8601(tbuf, n, r->epoch, true);
	case F_HOST: return r->host ? r->host : "";
	case F_NAME: return r->name ? r->name : "";
	case F_UUID: return r->uuid ? r->uuid : "";
	case F_STATE: return r->state ? r->state : "";
	default: return NULL;
	}
}

/* ---- CSV ---- */

static void
csv_string(FILE *f, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, f);
		return;
	}
	putc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			putc('"', f);
		putc(*s, f);
	}
	putc('"', f);
}

static void
csv_record(FILE *f, const struct top_rec *r)
{
	char t[48], b[64];
	int i;

	for (i = 0; i < F_COUNT; i++) {
		const char *s = string_of(r, (enum field)i, t, sizeof t);
		if (i)
			putc(',', f);
		if (s)
			csv_string(f, s);
		else
			fputs(num(b, sizeof b, number_of(r, (enum field)i), decimals((enum field)i)), f);
	}
	fputs("\r\n", f);
}

/* ---- JSON Lines ---- */

static void
json_record(FILE *f, const struct top_rec *r)
{
	char t[48];
	int i;

	putc('{', f);
	for (i = 0; i < F_COUNT; i++) {
		const char *s = string_of(r, (enum field)i, t, sizeof t);
		if (i)
			putc(',', f);
		json_put_string(f, names[i]);
		putc(':', f);
		if (s)
			json_put_string(f, s);
		else
			json_put_number(f, number_of(r, (enum field)i), decimals((enum field)i));
	}
	fputs("}\n", f);
}

/* ---- text ---- */

/* Column widths of the text format; names longer than theirs push the
 * rest of that line right rather than being cut. */
static const struct {
	const char *title;
	int width;
	bool right;
} text_cols[] = {
	{ "TIME", 20, false }, { "HOST", 12, false }, { "NAME", 16, false },
	{ "STATE", 8, false }, { "VCPU", 4, true }, { "CPU%", 6, true },
	{ "MEM", 6, true }, { "ALLOC", 6, true }, { "RD/s", 6, true }, { "WR/s", 6, true },
	{ "RDOP/s", 6, true }, { "WROP/s", 6, true }, { "RX/s", 6, true },
	{ "TX/s", 6, true }, { "UPTIME", 7, true }, { "WAIT%", 6, true },
};
#define NTEXT (sizeof text_cols / sizeof text_cols[0])

/* Write s padded to a column, control characters as '?', counting UTF-8
 * sequences as one column each. */
static void
text_cell(FILE *f, size_t col, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int w = 0;

	if (col)
		putc(' ', f);
	if (text_cols[col].right) {
		int len = 0;
		for (; p[len]; len++)
			;
		for (w = len; w < text_cols[col].width; w++)
			putc(' ', f);
		fputs(s, f);
		return;
	}
	for (; *p; p++) {
		putc(*p < 0x20 || *p == 0x7F ? '?' : *p, f);
		if ((*p & 0xC0) != 0x80)
			w++;
	}
	/* The last column ends the line without trailing blanks. */
	if (col + 1 < NTEXT)
		for (; w < text_cols[col].width; w++)
			putc(' ', f);
}

static void
text_header(FILE *f)
{
	size_t i;

	for (i = 0; i < NTEXT; i++)
		text_cell(f, i, text_cols[i].title);
	putc('\n', f);
}

static const char *
text_num(char *b, size_t n, double v, int dec)
{
	if (v < 0 || !isfinite(v))
		snprintf(b, n, "-");
	else
		snprintf(b, n, "%.*f", dec, v);
	return b;
}

static void
text_record(FILE *f, const struct top_rec *r)
{
	char b[16][48];
	const char *cells[NTEXT];
	size_t i;

	cells[0] = topfmt_iso8601(b[0], sizeof b[0], r->epoch, false);
	cells[1] = r->host ? r->host : "";
	cells[2] = r->name ? r->name : "";
	cells[3] = r->state ? r->state : "";
	snprintf(b[4], sizeof b[4], "%u", r->vcpus);
	cells[4] = b[4];
	cells[5] = text_num(b[5], sizeof b[5], r->cpu_pct, 1);
	cells[6] = fmt_bytes(b[6], sizeof b[6], r->mem_used);
	cells[7] = fmt_bytes(b[7], sizeof b[7], r->mem_alloc);
	cells[8] = fmt_bytes(b[8], sizeof b[8], r->rd_bps);
	cells[9] = fmt_bytes(b[9], sizeof b[9], r->wr_bps);
	cells[10] = text_num(b[10], sizeof b[10], r->rd_ops, 0);
	cells[11] = text_num(b[11], sizeof b[11], r->wr_ops, 0);
	cells[12] = fmt_bytes(b[12], sizeof b[12], r->rx_bps);
	cells[13] = fmt_bytes(b[13], sizeof b[13], r->tx_bps);
	cells[14] = fmt_duration(b[14], sizeof b[14], r->uptime);
	cells[15] = text_num(b[15], sizeof b[15], r->wait_pct, 1);
	for (i = 0; i < NTEXT; i++)
		text_cell(f, i, cells[i]);
	putc('\n', f);
}

void
topfmt_header(FILE *f, enum top_format fmt)
{
	int i;

	if (fmt == TOP_TEXT) {
		text_header(f);
	} else if (fmt == TOP_CSV) {
		for (i = 0; i < F_COUNT; i++)
			fprintf(f, "%s%s", i ? "," : "", names[i]);
		fputs("\r\n", f);
	}
}

void
topfmt_record(FILE *f, enum top_format fmt, const struct top_rec *r)
{
	switch (fmt) {
	case TOP_TEXT:
		text_record(f, r);
		break;
	case TOP_CSV:
		csv_record(f, r);
		break;
	case TOP_JSON:
		json_record(f, r);
		break;
	}
}

void
topfmt_from_vm(struct top_rec *r, const char *host, const struct vm *vm, double epoch,
               uint64_t now_ns)
{
	bool active = vm_state_active(vm->state);

	memset(r, 0, sizeof *r);
	r->epoch = epoch;
	r->host = host;
	r->name = vm->name;
	r->uuid = vm->uuid;
	r->state = vm_state_name(vm->state);
	r->vcpus = vm->vcpus_cur;
	r->cpu_pct = active ? vm->cpu_pct : -1;
	r->mem_used = active ? (double)vm->mem_used_kib * 1024 : -1;
	r->mem_alloc = (double)vm->mem_cur_kib * 1024;
	r->rd_bps = active ? vm->rd_rate : -1;
	r->wr_bps = active ? vm->wr_rate : -1;
	r->rd_ops = active ? vm->rd_ops_rate : -1;
	r->wr_ops = active ? vm->wr_ops_rate : -1;
	r->rx_bps = active ? vm->rx_rate : -1;
	r->tx_bps = active ? vm->tx_rate : -1;
	r->uptime = vm_uptime(vm, now_ns);
	r->wait_pct = active ? vm->wait_pct : -1;
}
