/* transfer.h — a local file uploaded into a storage pool as a new volume,
 * and a volume downloaded to a local file, through libvirt streams (so it
 * works on any host libvirt reaches, SSH ones included), sparse-aware,
 * with progress and cancel.
 *
 * Upload: the new volume is made raw (or iso), exactly the file's size,
 * with no allocation: an empty sparse file in a dir pool. The file's bytes
 * are then sent as they are, holes skipped (SEEK_DATA/SEEK_HOLE) over a
 * sparse stream when the file has holes and the daemon takes one, a
 * dense stream otherwise. A qcow2
 * file is therefore uploaded into a volume made raw: a qcow2 volume made
 * by libvirt (qemu-img) holds a header of its own, which the upload's
 * holes would leave in place; the pool's refresh after the upload reads
 * the format from the bytes. A failed or cancelled upload deletes the
 * volume it made: no half volume is left.
 *
 * Download: into a temporary file beside the target (".NAME.vmtui-XXXXXX"),
 * renamed over it on success, removed on failure or cancel. Holes of a
 * sparse stream, and runs of zeros of a dense one, become holes of the
 * file.
 *
 * Threads. xfer_run blocks its caller until the transfer ends; it may run
 * on any thread with a connection of its own. Its watcher's cancel flag is
 * an atomic that any thread sets (xfer_cancel) and the stream callbacks
 * read: no lock is needed for it. The progress callback runs on the
 * transferring thread.
 *
 * The TUI's job (struct xfer_job) does not run on the host's worker: a
 * transfer of gigabytes would hold the worker for minutes, and every
 * refresh and action of that host would wait. host_call only reads the
 * worker's connection URI (for an SSH host, the local socket its tunnel
 * listens on: a second connection there is one more SSH channel, no new
 * login); the transfer then opens a connection of its own on a thread of
 * its own, and closes it when done. */
#ifndef VMTUI_TRANSFER_H
#define VMTUI_TRANSFER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libvirt/libvirt.h>

struct host;

/* ---- progress arithmetic (pure) ---- */

#define XFER_NS 1000000000ull

struct xfer_progress {
	uint64_t total;     /* bytes to go over: the file's or volume's size */
	uint64_t done;      /* bytes gone over: data carried and holes skipped */
	uint64_t holes;     /* of done, skipped as holes */
	uint64_t start_ns;  /* monotonic time of xfer_progress_start */
	uint64_t mark_ns;   /* start of the current rate window */
	uint64_t mark_done; /* done at mark_ns */
	double rate;        /* smoothed bytes of done per second; valid when rate_known */
	bool rate_known;    /* false for the first second */
};

/* The window over which one rate sample is taken, and the weight of the
 * newest sample in the smoothed rate. */
#define XFER_RATE_WINDOW_NS (XFER_NS)
#define XFER_RATE_WEIGHT 0.3

void xfer_progress_start(struct xfer_progress *p, uint64_t total, uint64_t now_ns);
/* n more bytes gone over at now_ns; hole: they were a hole. */
void xfer_progress_add(struct xfer_progress *p, uint64_t n, bool hole, uint64_t now_ns);
/* Bytes per second at now_ns, or -1 while unknown (the first second).
 * When nothing came for two windows the rate falls to what the current
 * window shows, down to 0 for a stalled transfer. */
double xfer_progress_rate(const struct xfer_progress *p, uint64_t now_ns);
/* Seconds left, or -1 while unknown (no rate, or a rate of 0). 0 when done. */
double xfer_progress_eta(const struct xfer_progress *p, uint64_t now_ns);
/* Share done, 0 to 100 (100 for an empty total). */
double xfer_progress_pct(const struct xfer_progress *p);
/* Mean bytes per second since the start (0 before any time passed). */
double xfer_progress_mean(const struct xfer_progress *p, uint64_t now_ns);

/* ---- what to transfer ---- */

enum xfer_dir { XFER_UPLOAD, XFER_DOWNLOAD };
enum xfer_format { XFER_FMT_AUTO, XFER_FMT_RAW, XFER_FMT_QCOW2, XFER_FMT_ISO };

/* "raw", "qcow2", "iso" ("auto" for XFER_FMT_AUTO). */
const char *xfer_format_name(enum xfer_format f);
/* The format named s; false when it is none of raw, qcow2, iso. */
bool xfer_format_parse(const char *s, enum xfer_format *f);
/* The format of a file from its first bytes (at least 0x8006 of them for
 * an ISO): qcow2 ("QFI\xfb" at 0), iso ("CD001" at 0x8001), else raw. */
enum xfer_format xfer_format_detect(const unsigned char *head, size_t n);

struct xfer_req {
	enum xfer_dir dir;
	char *pool;
	char *vol;     /* upload: NULL takes the file's base name */
	char *path;    /* the local file (download: a directory takes VOL inside it) */
	enum xfer_format format; /* upload: AUTO detects it */
	bool force;    /* download: replace an existing file */
	bool dense;    /* never use a sparse stream (benchmarks) */
	uint64_t bwlimit; /* at most this many bytes of data a second; 0: no limit */
};
void xfer_req_clear(struct xfer_req *r);
/* An upload without a volume name takes the file's base name. */
void xfer_req_default_name(struct xfer_req *r);

/* A rate such as "50M" (bytes a second; K, M, G: binary multiples) into
 * *bps; false when s is not one (or is 0). */
bool xfer_parse_rate(const char *s, uint64_t *bps);

/* NULL when name can be a new volume's name, else a sentence why not. */
char *xfer_vol_name_check(const char *name);

/* ---- running one ---- */

struct xfer_watch {
	/* Called on the transferring thread: at the start (total known), at
	 * most every XFER_PROGRESS_NS while bytes move, and once at the end.
	 * NULL: none. */
	void (*progress)(void *opaque, const struct xfer_progress *p);
	void *opaque;
	atomic_bool cancel; /* any thread: xfer_cancel; read by the stream callbacks */
};
#define XFER_PROGRESS_NS (100 * 1000000ull)

/* Ask the transfer watched by w to stop; safe from a signal handler
 * (a lock-free atomic store). */
void xfer_cancel(struct xfer_watch *w);

enum xfer_outcome { XFER_DONE = 0, XFER_FAILED = -1, XFER_CANCELLED = 1 };

/* Open a connection for a transfer (lv_open's arguments): without
 * libvirt's event loop (eventloop_deny_watches), so each chunk is sent by
 * the transferring thread itself, with no wake-up of the loop's thread;
 * no keepalive either (a daemon gone ends the stream with an error). */
virConnectPtr xfer_connect(const char *uri, virConnectAuthPtr auth);

/* Run the transfer on conn, blocking. *msg: what was done (a sentence),
 * or why it failed or that it was cancelled (and what was cleaned up).
 * *sparse tells whether a sparse stream carried it (may be NULL). The
 * caller frees *msg. Logs nothing. */
enum xfer_outcome xfer_run(virConnectPtr conn, const struct xfer_req *r, struct xfer_watch *w,
                           char **msg, bool *sparse);

/* The virsh commands doing the same (one line, joined by " && " for an
 * upload's create and upload), for the action log; size is the upload's
 * file size. A new string. */
char *xfer_virsh(const char *uri, const struct xfer_req *r, uint64_t size);
/* "upload FILE to POOL/VOL" / "download POOL/VOL to FILE", for messages. */
char *xfer_what(const struct xfer_req *r);

/* ---- the TUI's job ---- */

enum xfer_state { XFER_ST_STARTING, XFER_ST_RUNNING, XFER_ST_ENDED };

/* Shared by the view (UI thread), the host's worker (which reads the
 * connection's URI) and the transfer's thread. Fields below `refs` are
 * guarded by the host's lock, except where they say otherwise. */
struct xfer_job {
	struct host *host;       /* immutable */
	struct xfer_req req;     /* immutable once the thread started (the
	                          * upload's volume name filled in before) */
	struct xfer_watch watch; /* .cancel: atomic, any thread, no lock;
	                          * the rest immutable */
	pthread_t thread;        /* the UI's alone: started by xfer_job_start, */
	bool thread_started;     /* joined by xfer_job_release */
	int refs;                /* under the host's lock (host_unref) */

	/* The worker's answer, handed to the transfer's thread: under ulock
	 * (not the host's lock), cond signalled when it is set or on cancel. */
	pthread_mutex_t ulock;
	pthread_cond_t cond;
	bool uri_ready;          /* the worker answered: uri or uri_err set */
	char *uri, *uri_err;

	char *virsh_uri;         /* immutable: for the virsh line (host_virsh_uri) */
	enum xfer_state state;
	struct xfer_progress prog; /* a copy, published at most every XFER_PROGRESS_NS */
	bool sparse;
	enum xfer_outcome outcome; /* when ENDED */
	char *msg;               /* when ENDED: what happened (a sentence) */
};

/* Start the transfer r (taken over; r is cleared) on h: the URI is read
 * on h's worker, the transfer runs on a thread of its own. */
struct xfer_job *xfer_job_start(struct host *h, struct xfer_req *r);
/* Ask it to stop (any thread; nothing happens once it ended). */
void xfer_job_cancel(struct xfer_job *j);
/* The UI is done with it: a transfer still running is cancelled and
 * waited for (its clean-up done), then the job is freed. */
void xfer_job_release(struct xfer_job *j);

#endif
