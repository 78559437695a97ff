/* topfmt.h — the records of `vmtui top --batch`: one guest in one sample as
 * aligned text, CSV (RFC 4180) or a JSON line. Pure: no libvirt, no clock. */
#ifndef VMTUI_TOPFMT_H
#define VMTUI_TOPFMT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../model/stats/vm.h"

enum top_format { TOP_TEXT, TOP_CSV, TOP_JSON };

/* One guest in one sample. Negative numbers are unknown: rates before a
 * second sample, figures of a guest that is not running. */
struct top_rec {
	double epoch;              /* seconds since 1970-01-01 UTC */
	const char *host, *name, *uuid, *state;
	unsigned vcpus;
	double cpu_pct;            /* share of the guest's current vCPUs, as the list */
	double mem_used, mem_alloc; /* bytes */
	double rd_bps, wr_bps, rd_ops, wr_ops, rx_bps, tx_bps;
	double uptime;             /* seconds */
	double wait_pct;           /* WAIT%: vCPU time queued for a host CPU */
};

/* "2026-11-24T14:16:35Z", or with milliseconds "...35.123Z". */
char *topfmt_iso8601(char *buf, size_t n, double epoch, bool millis);

/* What comes once before the records: a header line (text, CSV), or
 * nothing (JSON Lines). */
void topfmt_header(FILE *f, enum top_format fmt);
void topfmt_record(FILE *f, enum top_format fmt, const struct top_rec *r);

/* Fill r from a guest (host lock held; strings point into vm and host). */
void topfmt_from_vm(struct top_rec *r, const char *host, const struct vm *vm,
                    double epoch, uint64_t now_ns);

#endif
