/* chrome.c — what surrounds the view: the header (title and host lines),
 * the footer (status line, prompt, key hints), and what opens over the
 * view (a yes/no question, a host's question: SSH host keys, passphrases)
 * with the keys each of them takes. */
#include "chrome.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/base/xmalloc.h"
#include "../model/host/marks.h"
#include "../model/host/vmsel.h"
#include "../model/record/replay.h"
#include "../model/stats/stats.h"
#include "app.h"
#include "complete.h"
#include "format.h"
#include "screen.h"


double app_wait_warn = APP_WAIT_WARN_DEFAULT;

/* A host in one line: name, URI, CPU and memory use, what its running
 * guests were given against what it has (overcommit), guest states; or why
 * it is down. Returns the colour meaning to draw it with. */
static enum color host_summary_parts(const struct host *h, char *line, size_t n);

enum color
app_host_summary(const struct host *h, char *line, size_t n)
{
	return app_host_summary_fit(h, INT_MAX, line, n);
}

enum color
app_host_summary_fit(const struct host *h, int width, char *line, size_t n)
{
	enum color c = host_summary_parts(h, line, n);

	fmt_fit_parts(line, width);
	return c;
}

/* The line with its parts marked (FMT_PART). */
static enum color
host_summary_parts(const struct host *h, char *line, size_t n)
{
	char cpu[16], used[16], total[16], alloc[16], retry[32], num[24];
	struct host_totals t;
	uint64_t used_kib;
	char where[300];
	size_t at = 0;
	bool vcpu_over;

	host_assert_locked(h);
	/* Where the host is: the URI it connected to, else what was asked. */
	if (h->uri)
		fmt_append(where, sizeof where, &at, h->uri);
	else if (h->ssh)
		snprintf(where, sizeof where, "%s via ssh %s", h->uri_req ? h->uri_req :
		         "qemu:///system", h->ssh);
	else
		snprintf(where, sizeof where, "%s", h->uri_req ? h->uri_req : "(default)");

	if (h->state != HOST_UP) {
		if (h->state == HOST_DOWN)
			snprintf(retry, sizeof retry, ", retry in %.0fs", h->retry_in);
		else
			retry[0] = '\0';
		/* Short facts first: the libvirt error may not fit on the line. */
		snprintf(line, n, "%s  %s%s%s: %s", where,
		         h->state == HOST_DOWN ? "DISCONNECTED" : "connecting", retry,
		         h->nvms ? " (showing last data)" : "", h->error ? h->error : "");
		return h->state == HOST_DOWN ? C_ERROR : C_WARNING;
	}
	vmsel_host_totals(h, &t);
	used_kib = h->mem_total_kib > h->mem_free_kib ? h->mem_total_kib - h->mem_free_kib : 0;
	vcpu_over = h->cpus && t.vcpus_running > h->cpus;
	/* Made on every frame: put together without printf. */
	at = 0;
	/* Parts a narrow screen drops (fmt_fit_parts), least useful first:
	 * Alloc, vCPUs, the worst WAIT%, memory, CPU, then the URI; never the
	 * name, the guests by state or an overcommit. */
	fmt_append(line, n, &at, FMT_PART "0");
	fmt_append(line, n, &at, host_label(h));
	fmt_append(line, n, &at, FMT_PART "3  ");
	fmt_append(line, n, &at, where);
	fmt_append(line, n, &at, FMT_PART "3  CPU ");
	fmt_append(line, n, &at, fmt_pct(cpu, sizeof cpu, h->cpu_pct));
	fmt_append(line, n, &at, "%" FMT_PART "3  Mem ");
	fmt_append(line, n, &at, fmt_bytes(used, sizeof used, h->mem_free_kib == HOST_MEM_UNKNOWN ?
	                                   -1 : (double)used_kib * 1024));
	fmt_append(line, n, &at, "/");
	fmt_append(line, n, &at, fmt_bytes(total, sizeof total, (double)h->mem_total_kib * 1024));
	fmt_append(line, n, &at, FMT_PART "5  vCPUs ");
	fmt_append(line, n, &at, fmt_count(num, sizeof num, t.vcpus_running));
	fmt_append(line, n, &at, "/");
	fmt_append(line, n, &at, fmt_count(num, sizeof num, h->cpus));
	fmt_append(line, n, &at, FMT_PART "6  Alloc ");
	fmt_append(line, n, &at, fmt_bytes(alloc, sizeof alloc, (double)t.mem_running_kib * 1024));
	fmt_append(line, n, &at, FMT_PART "0  VMs: ");
	fmt_append(line, n, &at, fmt_count(num, sizeof num, t.running));
	fmt_append(line, n, &at, " running, ");
	fmt_append(line, n, &at, fmt_count(num, sizeof num, t.paused));
	fmt_append(line, n, &at, " paused, ");
	fmt_append(line, n, &at, fmt_count(num, sizeof num, t.off));
	fmt_append(line, n, &at, " off");
	fmt_append(line, n, &at, t.other ? ", more in other states" : "");
	if (vcpu_over && t.wait_worst_name == NULL) {
		fmt_append(line, n, &at, FMT_PART "2 vCPU overcommit ");
		/* fmt_pct: the ratio with one decimal */
		fmt_append(line, n, &at, fmt_pct(num, sizeof num, (double)t.vcpus_running / h->cpus));
		fmt_append(line, n, &at, "x");
	}
	/* The guest whose vCPUs waited most for the host's CPUs, with the
	 * host's vCPUs per CPU beside it (which says it instead of the
	 * overcommit above). */
	if (t.wait_worst_name != NULL) {
		fmt_append(line, n, &at, FMT_PART "3  Wait ");
		fmt_append(line, n, &at, fmt_pct(num, sizeof num, t.wait_worst));
		fmt_append(line, n, &at, "% ");
		fmt_append(line, n, &at, t.wait_worst_name);
		fmt_append(line, n, &at, ", vCPU/CPU ");
		fmt_append(line, n, &at, fmt_pct(num, sizeof num,
		                                 stats_overcommit(t.vcpus_running, h->cpus)));
		fmt_append(line, n, &at, "x");
	}
	if (t.mem_running_kib > h->mem_total_kib && h->mem_total_kib) {
		fmt_append(line, n, &at, FMT_PART "2 mem overcommit ");
		fmt_append(line, n, &at, fmt_pct(num, sizeof num, (double)t.mem_running_kib /
		                                  (double)h->mem_total_kib));
		fmt_append(line, n, &at, "x");
		return C_WARNING;
	}
	if (t.wait_worst_name != NULL && t.wait_worst >= app_wait_warn)
		return C_WARNING;
	return vcpu_over ? C_WARNING : C_HEADER;
}

/* Appends ", N WHAT" (or "N WHAT" first) when N is not zero. */
static void
count_part(char *line, size_t n, size_t *at, bool *first, unsigned v, const char *what)
{
	char num[24];

	if (v == 0)
		return;
	fmt_append(line, n, at, *first ? "" : ", ");
	fmt_append(line, n, at, fmt_count(num, sizeof num, v));
	fmt_append(line, n, at, " ");
	fmt_append(line, n, at, what);
	*first = false;
}

/* "vCPU on 14 hosts (worst lab3 11.2x)" wide, "vCPU 14" narrow. */
static void
over_part(char *line, size_t n, size_t *at, bool wide, const char *what, unsigned hosts,
          const struct host *worst, double ratio)
{
	char num[24];

	fmt_append(line, n, at, what);
	fmt_append(line, n, at, wide ? " on " : " ");
	fmt_append(line, n, at, fmt_count(num, sizeof num, hosts));
	if (!wide)
		return;
	fmt_append(line, n, at, hosts == 1 ? " host (" : " hosts (worst ");
	fmt_append(line, n, at, host_label(worst));
	fmt_append(line, n, at, " ");
	fmt_append(line, n, at, fmt_pct(num, sizeof num, ratio));
	fmt_append(line, n, at, "x)");
}

enum color
app_fleet_summary(struct host **hosts, size_t nhosts, int width, char *line, size_t n)
{
	struct fleet_totals t;
	bool wide = width >= 120, first = true;
	size_t at = 0;
	char num[24];

	vmsel_fleet_totals(hosts, nhosts, &t);
	line[0] = '\0';
	fmt_append(line, n, &at, wide ? "Fleet: " : "");
	fmt_append(line, n, &at, fmt_count(num, sizeof num, t.hosts));
	fmt_append(line, n, &at, " hosts: ");
	count_part(line, n, &at, &first, t.up, "up");
	count_part(line, n, &at, &first, t.down, "down");
	if (wide && t.down) {
		fmt_append(line, n, &at, t.down == 1 ? " (" : " (first ");
		fmt_append(line, n, &at, host_label(t.first_down));
		fmt_append(line, n, &at, ")");
	}
	count_part(line, n, &at, &first, t.connecting, "connecting");
	fmt_append(line, n, &at, "  ");
	if (wide) {
		fmt_append(line, n, &at, fmt_count(num, sizeof num,
		                                   t.running + t.paused + t.off + t.other));
		fmt_append(line, n, &at, " guests: ");
	} else {
		fmt_append(line, n, &at, "VMs: ");
	}
	first = true;
	count_part(line, n, &at, &first, t.running, wide ? "running" : "run");
	count_part(line, n, &at, &first, t.paused, "paused");
	count_part(line, n, &at, &first, t.off, "off");
	count_part(line, n, &at, &first, t.other, "other");
	if (first)
		fmt_append(line, n, &at, "none");
	if (t.vcpu_over || t.mem_over) {
		fmt_append(line, n, &at, wide ? "  Overcommit: " : "  Over: ");
		if (t.vcpu_over)
			over_part(line, n, &at, wide, "vCPU", t.vcpu_over, t.worst_vcpu,
			          t.worst_vcpu_ratio);
		if (t.vcpu_over && t.mem_over)
			fmt_append(line, n, &at, ", ");
		if (t.mem_over)
			over_part(line, n, &at, wide, wide ? "memory" : "mem", t.mem_over, t.worst_mem,
			          t.worst_mem_ratio);
	} else if (t.up) {
		fmt_append(line, n, &at, "  No overcommit");
	}
	if (t.down)
		return C_ERROR;
	return t.connecting || t.vcpu_over || t.mem_over ? C_WARNING : C_HEADER;
}

/* A header line, unless it shows that text already: the title seldom
 * changes, and every line is drawn to the full width (nothing to erase).
 * The lines shown are forgotten when the window is made again or the whole
 * screen is drawn. */
static void
header_line(struct app *a, int y, int attr, const char *text)
{
	struct header_shown *hs;
	size_t len;

	if (y < 0 || y >= HEADER_LINES_KEPT) {
		draw_text(a->header, y, 0, getmaxx(a->header), attr, text);
		return;
	}
	hs = &a->header_shown[y];
	if (hs->valid && hs->attr == attr && strcmp(hs->text, text) == 0)
		return;
	draw_text(a->header, y, 0, getmaxx(a->header), attr, text);
	len = strlen(text);
	hs->attr = attr;
	/* a text longer than kept is drawn every time */
	hs->valid = len < sizeof hs->text - 1;
	if (hs->valid)
		memcpy(hs->text, text, len + 1);
}

static void
draw_host_line(struct app *a, int y, struct host *h)
{
	char line[512];
	enum color c = app_host_summary_fit(h, getmaxx(a->header), line, sizeof line);

	header_line(a, y, screen_attr(c), line);
}

_Static_assert(sizeof ((struct app *)0)->filter == sizeof ((struct title_key *)0)->filter,
               "the title's key holds the whole filter");

/* The title line into a->title. */
static void
make_title(struct app *a)
{
	char filt[160];

	if (a->filter[0])
		snprintf(filt, sizeof filt, "  filter: %s", a->filter);
	else
		filt[0] = '\0';
	if (a->replay) {
		char rp[96];
		replay_describe(a->replay, rp, sizeof rp);
		snprintf(a->title, sizeof a->title, "vmtui %s  %s  sort %s%s%s", PACKAGE_VERSION, rp,
		         sort_key_name(a->sort),
		         a->reverse ? (a->gmode == GRAPH_ASCII ? " (desc)" : " \u2193") : "", filt);
	} else {
		/* Narrow screens drop the version, then the interval, then the
		 * sort: never the filter or READ-ONLY. */
		snprintf(a->title, sizeof a->title, FMT_PART "0vmtui" FMT_PART "9 %s" FMT_PART
		         "7  refresh %gs" FMT_PART "5  sort %s%s" FMT_PART "0%s%s",
		         PACKAGE_VERSION, a->interval_ms / 1000.0, sort_key_name(a->sort),
		         a->reverse ? (a->gmode == GRAPH_ASCII ? " (desc)" : " \u2193") : "", filt,
		         a->readonly ? "  READ-ONLY" : "");
	}
	if (a->title_key.marked[0]) {
		size_t len = strlen(a->title);
		snprintf(a->title + len, sizeof a->title - len, "  %s", a->title_key.marked);
	}
}

/* "12 marked on 3 hosts" over every guest of every host, or "" (the
 * header is drawn with the host locks held). */
static void
marked_text(struct app *a, char *buf, size_t n)
{
	size_t i, j, guests = 0, hosts = 0;

	buf[0] = '\0';
	if (marks_count(a->marks) == 0)
		return;
	for (i = 0; i < a->nhosts; i++) {
		size_t before = guests;
		host_assert_locked(a->hosts[i]);
		for (j = 0; j < a->hosts[i]->nvms; j++)
			guests += marks_has(a->marks, a->hosts[i]->vms[j]->uuid);
		hosts += guests > before;
	}
	marks_describe(guests, hosts, buf, n);
}

void
chrome_header(struct app *a)
{
	struct title_key k;
	size_t i;

	if (a->dirty == DIRTY_ALL)
		memset(a->header_shown, 0, sizeof a->header_shown);
	memset(&k, 0, sizeof k);
	k.interval_ms = a->interval_ms;
	k.sort = a->sort;
	k.gmode = a->gmode;
	k.reverse = a->reverse;
	k.readonly = a->readonly;
	memcpy(k.filter, a->filter, sizeof k.filter);
	marked_text(a, k.marked, sizeof k.marked);
	/* A replay's title moves with its position. */
	if (a->replay || !a->title_made || memcmp(&k, &a->title_key, sizeof k) != 0) {
		a->title_key = k;
		a->title_made = true;
		make_title(a);
	}
	char title[sizeof a->title];
	memcpy(title, a->title, sizeof title);
	fmt_fit_parts(title, getmaxx(a->header));
	header_line(a, 0, screen_attr(C_TITLE), title);
	if (a->nhosts > 1 && a->header_h > 1) {
		char line[512];
		enum color c = app_fleet_summary(a->hosts, a->nhosts, getmaxx(a->header), line,
		                                 sizeof line);
		header_line(a, 1, screen_attr(c), line);
	}
	for (i = 0; a->nhosts == 1 && (int)i + 1 < a->header_h; i++)
		draw_host_line(a, (int)i + 1, a->hosts[i]);
	wnoutrefresh(a->header);
}

/* Does binding b show in the footer of the view on top? Not when its
 * command would be refused in this mode (read-only, replay), nor while the
 * view takes every key (a console pane's guest gets them). */
static bool
hint_shown(const struct app *a, const struct binding *b, bool grabbed)
{
	if (b->label == NULL || !(b->views & (a->view->keyview | KV_GLOBAL)))
		return false;
	/* Where printable keys are typed, the global ones are not bound. */
	if ((a->view->keyview & KV_FORM) && !(b->views & KV_FORM))
		return false;
	if (grabbed && b->cmd != CMD_BACK)
		return false;
	if (b->cmd == CMD_BACK && a->depth < 2 && a->filter[0] == '\0')
		return false; /* nothing to go back to, no filter to clear */
	if (a->view->offers && (b->views & a->view->keyview) && !a->view->offers(a, b->cmd))
		return false;
	return !command_refused_by_mode(a, b->cmd);
}

/* Footer: status line, then key hints that fit the width. */
void
chrome_footer(struct app *a)
{
	int cols = getmaxx(a->footer), x = 0;
	size_t n, i;
	const struct binding *t = keys_table(&n);
	bool grabbed = a->view->grab && a->view->grab(a);
	char kb[16];

	werase(a->footer);
	if (a->prompt.open) {
		int lw = (int)strlen(a->prompt.label), room = cols - lw - 1;
		const char *txt = a->prompt.kind == PROMPT_SECRET ? "" : a->prompt.le.text;
		/* A long path shows its end, where the typing happens. */
		if (room > 1 && (int)strlen(txt) > room)
			txt += strlen(txt) - (size_t)room;
		draw_text(a->footer, 0, 0, cols, screen_attr(C_NORMAL), a->prompt.label);
		draw_text(a->footer, 0, lw, cols - lw, screen_attr(C_NORMAL), txt);
		curs_set(1);
		wmove(a->footer, 0, lw + (int)strlen(txt) < cols ? lw + (int)strlen(txt) : cols - 1);
	} else if (a->status != NULL) {
		int attr = screen_attr(a->status_kind == MSG_ERROR ? C_ERROR : C_NORMAL);
		const char *next;
		size_t len = fmt_wrap(a->status, cols, &next);
		/* A message longer than the line takes the hints' line too,
		 * while it shows: what just happened matters more than the
		 * keys, which ? lists anyway. */
		if (*next && getmaxy(a->footer) >= 2) {
			char first[512];
			snprintf(first, sizeof first, "%.*s", (int)len, a->status);
			draw_text(a->footer, 0, 0, cols, attr, first);
			draw_text(a->footer, 1, 0, cols, attr, next);
			wnoutrefresh(a->footer);
			return;
		}
		draw_text(a->footer, 0, 0, cols, attr, a->status);
	}
	if (getmaxy(a->footer) < 2) {
		wnoutrefresh(a->footer);
		return;
	}
	for (i = 0; i < n; i++) {
		const char *k;
		int need;
		if (!hint_shown(a, &t[i], grabbed))
			continue;
		k = keys_label(t[i].key, kb, sizeof kb);
		need = (int)(strlen(k) + strlen(t[i].label)) + 1;
		if (x + need > cols)
			break;
		draw_text(a->footer, 1, x, (int)strlen(k), screen_attr(C_KEY), k);
		draw_text(a->footer, 1, x + (int)strlen(k), (int)strlen(t[i].label) + 1,
		          screen_attr(C_FOOTER), t[i].label);
		x += need;
	}
	if (a->view->footer && !grabbed)
		a->view->footer(a, a->footer, x);
	wnoutrefresh(a->footer);
}

/* A box in the middle of the screen: text wrapped, then an optional
 * input line, then a hint, wrapped too (a narrow terminal gets every
 * word of it on more lines, not "Esc: bac"). */
static void
draw_dialog(const char *text, const char *input, const char *hint)
{
	int cols = COLS, w = cols - 4 < 76 ? cols - 4 : 76, tw = w - 4, n = 0, nh = 0, h, y, i;
	const char *p = text, *next, *lines[16], *hlines[4];
	int lens[16], hlens[4];
	WINDOW *win;

	if (tw < 10 || LINES < 5)
		return;
	while (*p && n < 16) {
		lens[n] = (int)fmt_wrap(p, tw, &next);
		lines[n++] = p;
		p = next;
	}
	for (p = hint; *p && nh < 4; p = next) {
		hlens[nh] = (int)fmt_wrap(p, tw, &next);
		hlines[nh++] = p;
	}
	h = n + (input ? 2 : 0) + 3 + nh;
	if (h > LINES)
		h = LINES;
	y = (LINES - h) / 2;
	win = newwin(h, w, y < 0 ? 0 : y, (cols - w) / 2);
	if (win == NULL)
		return;
	wbkgd(win, (chtype)screen_attr(C_DIALOG));
	werase(win);
	box(win, 0, 0);
	for (i = 0; i < n && i + 1 < h - 1 - nh; i++) {
		char buf[256];
		snprintf(buf, sizeof buf, "%.*s", lens[i], lines[i]);
		draw_text(win, 1 + i, 2, tw, screen_attr(C_DIALOG) | A_BOLD, buf);
	}
	if (input && n + 2 < h - 1)
		draw_text(win, n + 2, 2, tw, A_REVERSE, input);
	for (i = 0; i < nh && h - 1 - nh + i > 0; i++) {
		char buf[256];
		snprintf(buf, sizeof buf, "%.*s", hlens[i], hlines[i]);
		draw_text(win, h - 1 - nh + i, 2, tw, screen_attr(C_DIALOG), buf);
	}
	wnoutrefresh(win);
	delwin(win);
}

static void
draw_confirm(struct app *a)
{
	draw_dialog(a->confirm.text, NULL, "y: yes   n/Esc: no");
}

/* The question a host's worker waits on (SSH host key, passphrase...). */
static void
draw_hostq(struct app *a)
{
	char input[LINEEDIT_MAX];
	size_t i;

	if (a->hostq.yes_no) {
		draw_dialog(a->hostq.text, NULL, "y: yes, trust and record it   n/Esc: no");
		return;
	}
	if (a->hostq.echo)
		snprintf(input, sizeof input, "%s", a->hostq.le.text);
	else {
		for (i = 0; i < a->hostq.le.len && i + 1 < sizeof input; i++)
			input[i] = '*';
		input[i] = '\0';
	}
	draw_dialog(a->hostq.text, input, "Enter: answer   Esc: cancel (the host stays disconnected)");
}

/* Answer the host's question and forget every copy of the answer. */
static void
hostq_close(struct app *a, const char *answer)
{
	host_answer(a->hostq.host, answer);
	explicit_bzero(&a->hostq.le, sizeof a->hostq.le);
	free(a->hostq.text);
	a->hostq.text = NULL;
	a->hostq.open = false;
	a->dirty = DIRTY_ALL;
}

static int
hostq_key(struct app *a, wint_t wc, bool is_key)
{
	enum le_result r;

	if (a->hostq.yes_no) {
		if (!is_key && (wc == 'y' || wc == 'Y'))
			hostq_close(a, "yes");
		else if (!is_key && (wc == 'n' || wc == 'N' || wc == 27))
			hostq_close(a, "no");
		return HANDLED;
	}
	r = lineedit_key(&a->hostq.le, wc, is_key);
	if (r == LE_ENTER)
		hostq_close(a, a->hostq.le.text);
	else if (r == LE_CANCEL)
		hostq_close(a, NULL);
	a->dirty = DIRTY_ALL;
	return HANDLED;
}

/* Show a host's pending question, one at a time. Host locks not held. */
void
chrome_check_questions(struct app *a)
{
	size_t i;

	for (i = 0; i < a->nhosts && !a->hostq.open; i++) {
		struct host *h = a->hosts[i];
		host_lock(h);
		if (h->question.pending && h->question.seq != a->hostq.seq) {
			a->hostq.open = true;
			a->hostq.host = h;
			a->hostq.seq = h->question.seq;
			a->hostq.text = xstrdup(h->question.text);
			a->hostq.echo = h->question.echo;
			a->hostq.yes_no = h->question.yes_no;
			lineedit_set(&a->hostq.le, "");
			a->dirty = DIRTY_ALL;
		}
		host_unlock(h);
	}
}

static int
confirm_key(struct app *a, int key)
{
	if (key == 'y' || key == 'Y') {
		if (a->confirm.yes != NULL) {
			a->confirm.yes(a);
		} else {
			host_action(a->confirm.host, a->confirm.uuid, a->confirm.act);
			app_status(a, MSG_INFO, "%s...", action_name(a->confirm.act));
		}
	} else if (key != 'n' && key != 'N' && key != 27 && key != 'q') {
		return HANDLED; /* anything else leaves the question open */
	} else {
		app_status(a, MSG_INFO, "Cancelled.");
	}
	a->confirm.open = false;
	a->dirty = DIRTY_ALL;
	return HANDLED;
}

/* The matches of the last Tab forgotten (any other key, or the prompt
 * closing). */
static void
prompt_matches_clear(struct prompt *p)
{
	xfree_strv(p->matches, p->nmatches);
	p->matches = NULL;
	p->nmatches = 0;
	p->no_match = false;
}

/* Tab in a path prompt: extend to the common completion; with several
 * matches, they show above the prompt (in columns, as a shell lists
 * them) until the next key. */
static void
prompt_complete(struct app *a)
{
	struct prompt *p = &a->prompt;
	struct completion c;
	size_t n = complete_path(p->le.text, &c);

	prompt_matches_clear(p);
	lineedit_set(&p->le, c.line);
	if (n == 0) {
		p->no_match = true;
	} else if (n > 1) {
		p->matches = c.matches;
		p->nmatches = n;
		c.matches = NULL;
		c.n = 0;
	}
	completion_free(&c);
}

/* The lines above the prompt: what Tab found, in columns, as many rows as
 * the body has (the last says how many more there are). */
static void
draw_matches(struct app *a)
{
	const struct prompt *p = &a->prompt;
	int cols = COLS, top = getbegy(a->body), bottom = getbegy(a->footer), colw = 0, ncol,
	    rows, h, i, r;
	char title[96];
	WINDOW *win;

	if (!p->open || (p->nmatches == 0 && !p->no_match) || bottom - top < 2 || cols < 8)
		return;
	for (i = 0; i < (int)p->nmatches; i++) {
		int l = (int)strlen(p->matches[i]);
		colw = l > colw ? l : colw;
	}
	colw += 2;
	ncol = cols / colw > 0 ? cols / colw : 1;
	rows = ((int)p->nmatches + ncol - 1) / ncol;
	h = 1 + (rows < bottom - top - 1 ? rows : bottom - top - 1);
	win = newwin(h, cols, bottom - h, 0);
	if (win == NULL)
		return;
	wbkgd(win, (chtype)screen_attr(C_NORMAL));
	werase(win);
	if (p->no_match)
		snprintf(title, sizeof title, "No file matches.");
	else
		snprintf(title, sizeof title, "%zu matches: type more, then Tab again", p->nmatches);
	draw_text(win, 0, 0, cols, screen_attr(C_COLUMNS), title);
	/* Down the columns, as ls and the shells list names; where not all
	 * fit, the columns are as tall as the rows shown and the last row
	 * says how many more there are. */
	if (rows > h - 1) {
		rows = h - 2;
		snprintf(title, sizeof title, "... and %d more", (int)p->nmatches - rows * ncol);
		draw_text(win, h - 1, 0, cols, screen_attr(C_DIM), title);
	}
	for (r = 0; r < rows; r++)
		for (i = 0; i < ncol; i++) {
			int k = i * rows + r;
			if (k < (int)p->nmatches)
				draw_text(win, 1 + r, i * colw, colw - 1, 0, p->matches[k]);
		}
	wnoutrefresh(win);
	delwin(win);
}

static int
prompt_key(struct app *a, wint_t wc, bool is_key)
{
	struct prompt *p = &a->prompt;
	enum le_result r = lineedit_key(&p->le, wc, is_key);

	prompt_matches_clear(p);
	if (r == LE_ENTER || r == LE_CANCEL)
		p->open = false;
	if (p->kind == PROMPT_FILTER) {
		if (r == LE_CANCEL)
			lineedit_set(&p->le, "");
		snprintf(a->filter, sizeof a->filter, "%s", p->le.text);
		a->list.top = 0;
	} else if (r == LE_TAB && p->kind == PROMPT_PATH) {
		prompt_complete(a);
	} else if (r == LE_ENTER && p->submit) {
		p->submit(a, p->le.text);
	} else if (r == LE_CANCEL) {
		app_status(a, MSG_INFO, "Cancelled.");
	}
	if (p->kind == PROMPT_SECRET && !p->open) {
		memset(p->le.text, 0, strlen(p->le.text));
		lineedit_set(&p->le, "");
	}
	a->dirty = DIRTY_ALL;
	return HANDLED;
}

void
app_prompt_path(struct app *a, const char *label, const char *initial,
                void (*submit)(struct app *, const char *))
{
	a->prompt.open = true;
	a->prompt.kind = PROMPT_PATH;
	snprintf(a->prompt.label, sizeof a->prompt.label, "%s", label);
	lineedit_set(&a->prompt.le, initial);
	a->prompt.submit = submit;
	a->dirty |= DIRTY_FOOTER;
}

void
app_prompt_text(struct app *a, const char *label, const char *initial,
                void (*submit)(struct app *, const char *))
{
	app_prompt_path(a, label, initial, submit);
	a->prompt.kind = PROMPT_TEXT;
}

void
app_prompt_secret(struct app *a, const char *label, void (*submit)(struct app *, const char *))
{
	app_prompt_path(a, label, "", submit);
	a->prompt.kind = PROMPT_SECRET;
}

void
app_prompt_filter(struct app *a)
{
	a->prompt.open = true;
	a->prompt.kind = PROMPT_FILTER;
	snprintf(a->prompt.label, sizeof a->prompt.label, "Filter: ");
	lineedit_set(&a->prompt.le, a->filter);
	a->prompt.submit = NULL;
	a->dirty |= DIRTY_FOOTER;
}

void
chrome_overlays(struct app *a)
{
	draw_matches(a);
	if (a->confirm.open)
		draw_confirm(a);
	if (a->hostq.open)
		draw_hostq(a);
}

bool
chrome_key(struct app *a, wint_t wc, bool is_key, int *rc)
{
	if (a->hostq.open)
		*rc = hostq_key(a, wc, is_key);
	else if (a->prompt.open)
		*rc = prompt_key(a, wc, is_key);
	else if (a->confirm.open)
		*rc = confirm_key(a, (int)wc);
	else
		return false;
	return true;
}
