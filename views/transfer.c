/* transfer.c — an upload or download of a storage volume: a bar, the
 * bytes, the rate and the time left while it runs, then its outcome. Esc
 * or c cancels, after a question (a cancelled upload leaves no volume, a
 * cancelled download no file). The transfer runs on a thread and a
 * connection of its own (model/store/transfer.h), so the host's refreshes
 * go on meanwhile. The volumes view opens it through the prompts below:
 * u asks for the file to upload and the new volume's name, w for the file
 * to download the selected volume into. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../model/base/xmalloc.h"
#include "../model/store/transfer.h"
#include "../tui/format.h"
#include "../tui/screen.h"
#include "views.h"

static struct xfer_job *xj;
static void (*xj_after)(struct app *); /* when the view goes */

/* What the prompts gather before the transfer starts (UI thread only). */
static struct {
	struct host *host;
	struct xfer_req req;
	void (*after)(struct app *);
} pending;

static void
transfer_leave(struct app *a)
{
	/* Still running (vmtui quits): cancelled, and its clean-up waited for. */
	void (*after)(struct app *) = xj_after;

	xfer_job_release(xj);
	xj = NULL;
	xj_after = NULL;
	if (after)
		after(a);
}

/* The bar "[#####     ]" over width cells, at line y. */
static void
draw_bar(WINDOW *w, int y, int width, double pct)
{
	int fill = (int)(pct / 100.0 * (width - 2)), i;

	wattrset(w, screen_attr(C_GRAPH_DISK));
	mvwaddch(w, y, 0, '[');
	for (i = 0; i < width - 2; i++)
		waddch(w, i < fill ? '#' : ' ');
	waddch(w, ']');
	wattrset(w, A_NORMAL);
}

/* The first lines: what moves where, on which host. */
static void
draw_title(WINDOW *w, const struct xfer_job *j, int width)
{
	char t[1024];

	if (j->req.dir == XFER_UPLOAD)
		snprintf(t, sizeof t, "Upload %s to %s/%s on %s", j->req.path, j->req.pool,
		         j->req.vol, host_label(j->host));
	else
		snprintf(t, sizeof t, "Download %s/%s on %s to %s", j->req.pool, j->req.vol,
		         host_label(j->host), j->req.path);
	draw_text(w, 0, 0, width, screen_attr(C_COLUMNS), t);
}

/* Bytes, share, rate, time left (lock held). */
static void
draw_figures(WINDOW *w, int y, const struct xfer_job *j, int width)
{
	const struct xfer_progress *p = &j->prog;
	uint64_t now = host_now_ns();
	char done[16], total[16], rate[16], eta[16], holes[16], line[256];
	double pct = xfer_progress_pct(p);

	draw_bar(w, y, width > 60 ? 60 : width, pct);
	fmt_bytes(done, sizeof done, (double)p->done);
	fmt_bytes(total, sizeof total, (double)p->total);
	snprintf(line, sizeof line, "%s of %s (%.0f%%)", done, total, pct);
	draw_text(w, y + 1, 0, width, 0, line);
	if (j->state == XFER_ST_ENDED)
		return;
	fmt_rate(rate, sizeof rate, xfer_progress_rate(p, now));
	fmt_duration(eta, sizeof eta, xfer_progress_eta(p, now));
	snprintf(line, sizeof line, "Rate %s   Time left %s", rate, eta);
	draw_text(w, y + 2, 0, width, 0, line);
	if (p->holes) {
		snprintf(line, sizeof line, "%s of holes skipped (not sent)",
		         fmt_bytes(holes, sizeof holes, (double)p->holes));
		draw_text(w, y + 3, 0, width, screen_attr(C_DIM), line);
	}
}

static void
transfer_draw(struct app *a, WINDOW *w)
{
	int width = getmaxx(w), y = 6;
	const char *state;
	struct xfer_job *j = xj;

	(void)a;
	if (j == NULL)
		return;
	host_assert_locked(j->host); /* the loop draws with every host locked */
	draw_title(w, j, width);
	switch (j->state) {
	case XFER_ST_STARTING:
		state = "Connecting...";
		break;
	case XFER_ST_RUNNING:
		state = "Esc or c cancels.";
		break;
	default:
		state = j->outcome == XFER_DONE ? "Done. Esc goes back." :
		        j->outcome == XFER_CANCELLED ? "Cancelled. Esc goes back." :
		                                       "Failed. Esc goes back.";
	}
	draw_text(w, 1, 0, width,
	          screen_attr(j->state == XFER_ST_ENDED && j->outcome == XFER_FAILED ? C_ERROR :
	                      C_TITLE), state);
	draw_figures(w, 2, j, width);
	if (j->state == XFER_ST_ENDED && j->msg)
		draw_wrapped(w, &y, screen_attr(j->outcome == XFER_FAILED ? C_ERROR : C_NORMAL),
		             j->msg);
}

static void
cancel_yes(struct app *a)
{
	if (xj)
		xfer_job_cancel(xj);
	app_status(a, MSG_INFO, "Cancelling...");
}

/* Esc and c: while it runs, ask before cancelling; after, go back. */
static int
transfer_key(struct app *a, enum cmd c, int key)
{
	bool running;
	char q[256];

	(void)key;
	if (c != CMD_BACK || xj == NULL)
		return 0;
	host_lock(xj->host);
	running = xj->state != XFER_ST_ENDED;
	host_unlock(xj->host);
	if (!running)
		return 0;
	if (xj->req.dir == XFER_UPLOAD)
		snprintf(q, sizeof q, "Cancel the upload? The new volume %s is deleted.", xj->req.vol);
	else
		snprintf(q, sizeof q, "Cancel the download? Nothing is written to %s.", xj->req.path);
	app_ask(a, q, cancel_yes);
	return HANDLED;
}

const struct view_ops transfer_ops = {
	.name = "transfer",
	.keyview = KV_XFER,
	.reports = true,
	.leave = transfer_leave,
	.draw = transfer_draw,
	.key = transfer_key,
};

int
transfer_open(struct app *a, struct host *h, struct xfer_req *r, void (*after)(struct app *))
{
	if (h->readonly) {
		app_status(a, MSG_ERROR, "%s is read-only; a transfer cannot change it.",
		           host_label(h));
		xfer_req_clear(r);
		return HANDLED;
	}
	if (app_view_open(a, &transfer_ops)) {
		app_status(a, MSG_ERROR, "A transfer is on screen already; wait for it or cancel it.");
		xfer_req_clear(r);
		return HANDLED;
	}
	/* $VMTUI_BWLIMIT caps every transfer's rate (e.g. 20M: bytes a second). */
	if (r->bwlimit == 0 && getenv("VMTUI_BWLIMIT"))
		xfer_parse_rate(getenv("VMTUI_BWLIMIT"), &r->bwlimit);
	xj = xfer_job_start(h, r);
	xj_after = after;
	app_push_view(a, &transfer_ops);
	return HANDLED;
}

/* ---- the prompts ---- */

/* A path as typed: a leading ~/ is the home directory. */
static char *
expand(const char *text)
{
	const char *home = getenv("HOME");

	if (strncmp(text, "~/", 2) == 0 && home)
		return xasprintf("%s/%s", home, text + 2);
	return xstrdup(text);
}

static void
start_pending(struct app *a)
{
	struct xfer_req r = pending.req;

	memset(&pending.req, 0, sizeof pending.req);
	transfer_open(a, pending.host, &r, pending.after);
}

static void
upload_name_submit(struct app *a, const char *text)
{
	char *why = xfer_vol_name_check(text);

	if (why) {
		app_status(a, MSG_ERROR, "%s", why);
		free(why);
		xfer_req_clear(&pending.req);
		return;
	}
	free(pending.req.vol);
	pending.req.vol = xstrdup(text);
	start_pending(a);
}

static void
upload_path_submit(struct app *a, const char *text)
{
	char *path = expand(text);
	struct stat sb;

	if (text[0] == '\0' || stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		app_status(a, MSG_ERROR, text[0] ? "%s is not a file that can be read." :
		           "No file given; nothing uploaded.", path);
		free(path);
		xfer_req_clear(&pending.req);
		return;
	}
	free(pending.req.path);
	pending.req.path = path;
	free(pending.req.vol);
	pending.req.vol = NULL;
	xfer_req_default_name(&pending.req);
	/* text is the prompt's own line: it is not used past here. */
	app_prompt_path(a, "New volume's name: ", pending.req.vol, upload_name_submit);
}

void
transfer_upload_prompt(struct app *a, struct host *h, const char *pool,
                       void (*after)(struct app *))
{
	xfer_req_clear(&pending.req);
	pending.host = h;
	pending.after = after;
	pending.req.dir = XFER_UPLOAD;
	pending.req.pool = xstrdup(pool);
	app_prompt_path(a, "Upload file: ", "", upload_path_submit);
}

static void
download_path_submit(struct app *a, const char *text)
{
	char *path = expand(text), q[1024];
	struct stat sb;

	if (text[0] == '\0') {
		app_status(a, MSG_INFO, "No file given; nothing downloaded.");
		free(path);
		xfer_req_clear(&pending.req);
		return;
	}
	if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		char *in = xasprintf("%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/",
		                     pending.req.vol);
		free(path);
		path = in;
	}
	free(pending.req.path);
	pending.req.path = path;
	if (lstat(path, &sb) == 0) {
		snprintf(q, sizeof q, "%s exists. Replace it?", path);
		pending.req.force = true;
		app_ask(a, q, start_pending);
		return;
	}
	start_pending(a);
}

void
transfer_download_prompt(struct app *a, struct host *h, const char *pool, const char *vol,
                         void (*after)(struct app *))
{
	xfer_req_clear(&pending.req);
	pending.host = h;
	pending.after = after;
	pending.req.dir = XFER_DOWNLOAD;
	pending.req.pool = xstrdup(pool);
	pending.req.vol = xstrdup(vol);
	app_prompt_path(a, "Download to: ", "", download_path_submit);
}
