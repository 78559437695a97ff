/* recording.h — `vmtui top --record FILE` and `vmtui --replay FILE`: every
 * refresh of every host as one JSON line, and reading them back.
 *
 * Format version 1 (JSON Lines, UTF-8, one object per line; see vmtui(1)):
 *   {"vmtui-recording":1,"program":"vmtui X","started":"ISO 8601","epoch":E,
 *    "interval":S}                        a header opens every session
 *   {"t":E,"host":"label","uri":"...","cpus":N,"mem_total":B,"mem_free":B,
 *    "cpu_pct":P,"vms":[{"name":...,"uuid":...,"state":"running",...}]}
 * one line per host per refresh. Unknown members are ignored; numbers
 * that are not known are null. Members added since version 1 came out
 * are optional (absent: unknown), so older recordings replay as before
 * and older readers skip them: "wait_pct" of a guest (WAIT%). A last line cut short is ignored. */
#ifndef VMTUI_RECORDING_H
#define VMTUI_RECORDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../stats/vm.h"

#define RECORDING_VERSION 1

struct host;
struct recorder;

/* Open FILE for appending and write a session header. NULL with *err
 * (newly allocated) when it cannot be opened. */
struct recorder *recorder_open(const char *path, double interval_s, char **err);
/* Append one line (made by recording_host_line); any thread. */
void recorder_write(struct recorder *r, const char *line);
/* The first write error, or NULL. */
const char *recorder_error(struct recorder *r);
void recorder_close(struct recorder *r);

/* One host's sample as a line (with its newline), from the host's fields
 * (lock held). epoch: wall-clock time of the sample. Newly allocated. */
char *recording_host_line(const struct host *h, double epoch, uint64_t now_ns);

/* ---- reading ---- */

struct rec_dev {
	char *name, *path;
	double rd, wr;               /* bytes (NICs: received, sent) per second */
	double capacity, allocation; /* disks: bytes */
};

struct rec_vm {
	char *name;
	char uuid[VM_UUID_LEN];
	enum vm_state state;
	int id;
	unsigned vcpus, vcpus_max;
	double mem_alloc, mem_max, mem_used; /* bytes */
	bool mem_from_guest, autostart, persistent;
	double cpu_pct, rd, wr, rd_ops, wr_ops, rx, tx, uptime;
	double wait_pct;             /* WAIT%; -1 (unknown) in older recordings */
	bool uptime_lower_bound;     /* counted from first sight (shown '>') */
	struct rec_dev *disks, *nics;
	size_t ndisks, nnics;
};

struct rec_sample {
	size_t line;
	double t;                /* seconds since the epoch */
	char *host, *uri;
	unsigned cpus;
	double mem_total, mem_free, cpu_pct;
	struct rec_vm *vms;
	size_t nvms;
};

struct recording {
	double started, interval; /* of the first session */
	struct rec_sample *samples;
	size_t n;
	char **errors;           /* "file:line:col: what", one per bad line */
	size_t nerrors;
	char *note;              /* the cut last line, if any */
};

/* Read a whole recording. -1 when it cannot be read or is no recording
 * (errors[0] says why); otherwise 0 with every valid sample, and every
 * bad line in errors. */
int recording_read(const char *path, struct recording *out);
void recording_free(struct recording *r);
/* Free what one sample owns. */
void rec_sample_clear(struct rec_sample *s);

#endif
