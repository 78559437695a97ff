/* hardware.c — a guest's hardware (w from the list or the detail view):
 * every device, with where the running guest and its saved configuration
 * differ, and the disk, CD-ROM and NIC changes. A change is planned on the
 * host's worker (model/guest/hardware.h), shown in a confirm dialog (what,
 * when it takes effect, the virsh lines and the XML diffs, scrollable),
 * and applied only after y; its outcome is said in the view's body and
 * kept in the action log with its virsh line.
 *
 * Keys here: a add disk, c add CD-ROM drive, i insert, e eject, x remove
 * (volume kept), X remove and delete its volume, t cache/discard, n add
 * NIC, l link up/down, m move NIC; Enter shows the device's XML (running
 * and saved); Enter/F2 submit a form, Esc cancels.
 *
 * Other commands plug in as rows of views/commands.c with .where = KV_HW
 * and .needs including NEED_GUEST: this view never changes the list's
 * selection (a->sel_host, a->sel_uuid), so the dispatcher's guest is the
 * guest shown here. They must not take the keys above; hardware_selected()
 * gives the device selected, for commands about one device. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/base/xmalloc.h"
#include "../model/guest/hardware.h"
#include "../model/store/volume.h"
#include "../tui/lineedit.h"
#include "../tui/scroll.h"
#include "../tui/screen.h"
#include "views.h"

enum mode { M_LIST, M_FORM, M_WAIT, M_CONFIRM, M_XML };

enum field { F_POOL, F_SIZE, F_SOURCE, F_ISO, F_BUS, F_FORMAT, F_CACHE, F_DISCARD, F_NET,
             F_MODEL, F_MAC, F_WHEN, NF };

static const char *const labels[NF] = {
	[F_POOL] = "Pool", [F_SIZE] = "Size", [F_SOURCE] = "Or existing",
	[F_ISO] = "ISO", [F_BUS] = "Bus", [F_FORMAT] = "Format", [F_CACHE] = "Cache",
	[F_DISCARD] = "Discard", [F_NET] = "Network", [F_MODEL] = "Model", [F_MAC] = "MAC",
	[F_WHEN] = "When",
};

static const char *const hints[NF] = {
	[F_POOL] = "a new volume's pool", [F_SIZE] = "e.g. 10G; a new volume",
	[F_SOURCE] = "POOL/VOLUME or /path: no new volume",
	[F_ISO] = "POOL/VOLUME or /path", [F_BUS] = "virtio sata scsi usb (ide)",
	[F_FORMAT] = "qcow2 raw ...", [F_CACHE] = "none writeback ... (empty: default)",
	[F_DISCARD] = "unmap ignore (empty: default)", [F_NET] = "a network, or bridge:NAME",
	[F_MODEL] = "virtio e1000 ...", [F_MAC] = "empty: a new one",
	[F_WHEN] = "auto, now, next boot, both",
};

struct hwview {
	struct hw_job *job;
	char *vm;
	struct scroller list;   /* the devices */
	char *sel_key;          /* the selection survives re-reads */
	enum mode mode;
	enum hw_op op;          /* the form's or the plan's */
	bool cdrom;             /* the form adds a CD-ROM drive */
	char *dev;              /* the device the form is about */
	struct lineedit f[NF];
	enum field fields[NF];  /* the form's, in order */
	int nfields, cur;
	char *form_error;
	unsigned plans_seen;
	struct scroller text;   /* the confirm dialog's lines */
};

static struct hwview *hv;

static void
hw_leave(struct app *a)
{
	(void)a;
	if (hv == NULL)
		return;
	hw_job_release(hv->job);
	free(hv->vm);
	free(hv->sel_key);
	free(hv->dev);
	free(hv->form_error);
	free(hv);
	hv = NULL;
}

/* The selected item (host lock held), or NULL; keeps the selection on
 * sel_key across reads. */
static const struct hw_item *
selected(void)
{
	const struct hw_devices *h = &hv->job->devs;
	size_t i;

	if (h->n == 0)
		return NULL;
	for (i = 0; hv->sel_key && i < h->n; i++)
		if (strcmp(hw_item_dev(&h->v[i])->key, hv->sel_key) == 0) {
			hv->list.sel = (int)i;
			break;
		}
	if (hv->list.sel >= (int)h->n)
		hv->list.sel = (int)h->n - 1;
	if (hv->list.sel < 0)
		hv->list.sel = 0;
	free(hv->sel_key);
	hv->sel_key = xstrdup(hw_item_dev(&h->v[hv->list.sel])->key);
	return &h->v[hv->list.sel];
}

/* ---- drawing ---- */

static const char *
item_name(const struct dev *d)
{
	return d->target ? d->target : d->mac ? d->mac : d->key;
}

static void
draw_list(WINDOW *w, int *y, int rows)
{
	const struct hw_devices *h = &hv->job->devs;
	int width = getmaxx(w), kw = 4, nw = 6, dw = 0, xn, xd, xs;
	size_t i;

	/* Columns as wide as what they hold (DIFFERS only while a device
	 * differs), SETTINGS the rest; a cell too long ends in an ellipsis
	 * (the selected device shows in full under the list). */
	for (i = 0; i < h->n; i++) {
		const struct dev *d = hw_item_dev(&h->v[i]);
		int l = (int)strlen(dev_kind_name(d->kind));
		kw = l > kw ? l : kw;
		l = (int)strlen(item_name(d));
		nw = l > nw ? l : nw;
		l = (int)strlen(hw_diff_text(h->v[i].diff));
		dw = l > dw ? l : dw;
	}
	kw = kw > 14 ? 14 : kw;
	nw = nw > 19 ? 19 : nw;
	if (dw)
		dw = dw < 7 ? 7 : dw;
	xn = 2 + kw + 2;
	xd = xn + nw + 2;
	xs = xd + (dw ? dw + 2 : 0);
	draw_text(w, *y, 0, width, screen_attr(C_COLUMNS), "");
	draw_text(w, *y, 2, kw, screen_attr(C_COLUMNS), "KIND");
	draw_text(w, *y, xn, nw, screen_attr(C_COLUMNS), "DEVICE");
	if (dw)
		draw_text(w, *y, xd, dw, screen_attr(C_COLUMNS), "DIFFERS");
	if (xs < width)
		draw_text(w, *y, xs, width - xs, screen_attr(C_COLUMNS), "SETTINGS");
	(*y)++;
	if (h->n == 0) {
		draw_text(w, (*y)++, 2, width - 2, screen_attr(C_DIM), "No devices.");
		return;
	}
	selected();
	scroll_fit(&hv->list, (int)h->n, rows);
	for (i = (size_t)hv->list.top; i < h->n && rows-- > 0; i++, (*y)++) {
		const struct hw_item *it = &h->v[i];
		const struct dev *d = hw_item_dev(it);
		int attr = (int)i == hv->list.sel ? screen_attr(C_SELECTION) : 0;
		int dattr = attr ? attr : it->diff != HWD_SAME ? screen_attr(C_WARNING) : 0;
		char summary[600];
		if (it->diff == HWD_CHANGED)
			snprintf(summary, sizeof summary, "%s -> %s", d->summary, it->saved->summary);
		else
			snprintf(summary, sizeof summary, "%s", d->summary);
		draw_text(w, *y, 0, width, attr, "");
		draw_cut(w, *y, 2, kw, attr, dev_kind_name(d->kind));
		draw_cut(w, *y, xn, nw, attr, item_name(d));
		if (dw)
			draw_text(w, *y, xd, dw, dattr, hw_diff_text(it->diff));
		if (xs < width)
			draw_cut(w, *y, xs, width - xs, attr, summary);
	}
}

/* The selected device in full under the list: what it is now and, when
 * that differs, at the next boot. */
static void
draw_selected(WINDOW *w, int *y)
{
	const struct hw_item *it = selected();
	const struct dev *d;
	char line[1400];

	if (it == NULL)
		return;
	d = hw_item_dev(it);
	if (it->diff == HWD_CHANGED)
		snprintf(line, sizeof line, "%s: now %s; at the next boot %s", item_name(d),
		         d->summary, it->saved->summary);
	else
		snprintf(line, sizeof line, "%s: %s%s%s", item_name(d), d->summary,
		         it->diff != HWD_SAME ? " -- " : "", hw_diff_text(it->diff));
	draw_text(w, (*y)++, 0, getmaxx(w), screen_attr(C_DIM), line);
}

static void
draw_form(WINDOW *w, int *y)
{
	static const char *const titles[] = {
		[HWOP_DISK_ADD] = "Add a disk", [HWOP_DISK_SET] = "Cache and discard of",
		[HWOP_CD_INSERT] = "Insert a medium into", [HWOP_NIC_ADD] = "Add a NIC",
		[HWOP_NIC_MOVE] = "Move NIC",
	};
	int width = getmaxx(w), rows = getmaxy(w) - *y - (hv->form_error ? 4 : 2), first = 0, i;
	char t[256];

	snprintf(t, sizeof t, "%s%s%s:", hv->cdrom ? "Add a CD-ROM drive" : titles[hv->op],
	         hv->dev ? " " : "", hv->dev ? hv->dev : "");
	draw_text(w, (*y)++, 0, width, A_BOLD, t);
	if (rows < 1)
		rows = 1;
	if (hv->cur >= rows)
		first = hv->cur - rows + 1;
	for (i = first; i < hv->nfields && i < first + rows; i++, (*y)++) {
		enum field f = hv->fields[i];
		const char *text = hv->f[f].text;
		int fw = width - 14 > 24 ? 24 : width - 14;
		if (fw > 1 && (int)strlen(text) > fw - 1)
			text += strlen(text) - (size_t)(fw - 1);
		draw_text(w, *y, 0, 14, 0, labels[f]);
		draw_text(w, *y, 14, fw, i == hv->cur ? screen_attr(C_SELECTION) : (int)A_UNDERLINE,
		          text);
		draw_text(w, *y, 15 + fw, width - 15 - fw, screen_attr(C_DIM), hints[f]);
	}
	draw_hints(w, y, screen_attr(C_DIM), "Enter or F2: show the change  Tab/arrows: next field  Esc: cancel");
	if (hv->form_error)
		draw_wrapped(w, y, screen_attr(C_ERROR), hv->form_error);
}

/* The confirm dialog's text, line by line, into a new string. */
static char *
confirm_text(const struct hw_change *c)
{
	char *v = hw_change_virsh(c), *s;

	s = xasprintf("%s\nTakes effect: %s\n\nThe same with virsh:\n%s\n%s%s%s", c->what,
	              hw_when_text(c->when), v, c->diff_live ? c->diff_live : "",
	              c->diff_live && c->diff_saved ? "\n" : "", c->diff_saved ? c->diff_saved : "");
	free(v);
	return s;
}

static int
line_attr(const char *l, int n)
{
	if (n > 0 && l[0] == '+' && !(n > 2 && l[1] == '+' && l[2] == '+'))
		return screen_attr(C_RUNNING);
	if (n > 0 && l[0] == '-' && !(n > 2 && l[1] == '-' && l[2] == '-'))
		return screen_attr(C_ERROR);
	if (n > 1 && l[0] == '@' && l[1] == '@')
		return screen_attr(C_DIM);
	return 0;
}

/* The selected device's elements, running and saved, as a new string. */
static char *
xml_text(void)
{
	const struct hw_item *it = selected();
	const struct dev *d;

	if (it == NULL)
		return xstrdup("No device selected.\n");
	d = hw_item_dev(it);
	if (it->live && it->saved && it->diff != HWD_SAME)
		return xasprintf("%s %s\nRunning now:\n%s\nSaved (the next boot):\n%s",
		                 dev_kind_name(d->kind), item_name(d), it->live->xml, it->saved->xml);
	return xasprintf("%s %s (%s)\n%s", dev_kind_name(d->kind), item_name(d),
	                 it->live && it->saved ? "running and saved" :
	                 it->live ? "running only" : "saved", d->xml);
}

static void
draw_confirm(WINDOW *w, int *y)
{
	const struct hw_change *c = hv->job->pending;
	int width = getmaxx(w), rows = getmaxy(w) - *y - 1, n = 0, i;
	char *text, *p, *e, line[1024];

	if (hv->mode == M_XML)
		text = xml_text();
	else if (c == NULL)
		return;
	else
		text = confirm_text(c);
	for (p = text; *p; p = e + (*e != '\0'))
		if ((e = strchr(p, '\n')) == NULL)
			e = p + strlen(p), n++;
		else
			n++;
	if (rows < 1)
		rows = 1;
	scroll_fit(&hv->text, n, rows);
	for (p = text, i = 0; *p && rows > 0; i++) {
		int len;
		e = strchr(p, '\n');
		len = e ? (int)(e - p) : (int)strlen(p);
		if (i >= hv->text.top) {
			snprintf(line, sizeof line, "%.*s", len, p);
			draw_text(w, (*y)++, 0, width, i == 0 ? (int)A_BOLD : line_attr(p, len), line);
			rows--;
		}
		if (e == NULL)
			break;
		p = e + 1;
	}
	draw_text(w, (*y)++, 0, width, screen_attr(C_DIALOG), hv->mode == M_XML ?
	          "Enter/Esc: back   Up/Down/PgUp/PgDn: scroll" :
	          "Apply this change? y: yes  n/Esc: no   Up/Down/PgUp/PgDn: scroll");
	free(text);
}

static void
hw_draw(struct app *a, WINDOW *w)
{
	struct hw_job *j = hv ? hv->job : NULL;
	const struct hw_devices *h;
	int width = getmaxx(w), y = 0, rows;
	char line[512];

	(void)a;
	if (j == NULL)
		return;
	/* The loop holds the hosts' locks while a view draws. */
	h = &j->devs;
	snprintf(line, sizeof line, "Hardware of %s%s  %zu device%s", hv->vm,
	         j->reads == 0 ? "" : h->running ? " (running)" : " (shut off)", h->n,
	         h->n == 1 ? "" : "s");
	draw_text(w, y++, 0, width, screen_attr(C_COLUMNS), line);
	if (hv->mode == M_CONFIRM || hv->mode == M_XML) {
		draw_confirm(w, &y);
		return;
	}
	draw_hints(w, &y, screen_attr(C_DIM),
	           "a disk  c CD drive  i insert  e eject  x/X remove  t cache  n NIC  l link  "
	           "m move");
	if (j->reads == 0 || j->read_error) {
		draw_text(w, y++, 0, width, j->read_error ? screen_attr(C_ERROR) : 0,
		          j->read_error ? j->read_error : "Reading...");
		if (j->reads == 0)
			return;
	}
	if (hv->mode == M_FORM && getmaxy(w) - y < hv->nfields + 9) {
		/* Too low for both: the form alone, its fields scrolled. */
		draw_form(w, &y);
		return;
	}
	rows = getmaxy(w) - y - (hv->mode == M_FORM ? hv->nfields + 5 : 4);
	draw_list(w, &y, rows < 2 ? 2 : rows);
	draw_selected(w, &y);
	if (hv->mode == M_FORM) {
		y++;
		draw_form(w, &y);
	} else if (hv->mode == M_WAIT) {
		draw_text(w, y++, 0, width, 0, "Working out the change...");
	} else {
		draw_outcome(w, &y, j->busy, j->error, j->result);
	}
}

/* ---- forms and plans ---- */

static void
form_open(enum hw_op op, bool cdrom, const char *dev, const enum field *fields, int n)
{
	int i;

	hv->op = op;
	hv->cdrom = cdrom;
	free(hv->dev);
	hv->dev = dev ? xstrdup(dev) : NULL;
	for (i = 0; i < NF; i++)
		lineedit_set(&hv->f[i], "");
	memcpy(hv->fields, fields, (size_t)n * sizeof *fields);
	hv->nfields = n;
	hv->cur = 0;
	free(hv->form_error);
	hv->form_error = NULL;
	hv->mode = M_FORM;
	lineedit_set(&hv->f[F_WHEN], "auto");
}

/* Refuse when busy; true when a change may be asked for. */
static bool
may_change(struct app *a)
{
	bool busy;

	host_lock(hv->job->host);
	busy = hv->job->busy || hv->job->reads == 0;
	host_unlock(hv->job->host);
	if (busy)
		app_status(a, MSG_ERROR, "Wait: the hardware of %s is still being read or changed.",
		           hv->vm);
	return !busy;
}

/* Ask the worker for the change r makes. */
static void
plan(struct app *a, const struct hw_req *r)
{
	host_lock(hv->job->host);
	hv->plans_seen = hv->job->plans;
	host_unlock(hv->job->host);
	hv->op = r->op;
	hv->mode = M_WAIT;
	scroll_init(&hv->text, false);
	hw_job_plan(hv->job, r);
	app_status(a, MSG_INFO, "Working out the change to %s...", hv->vm);
}

/* "POOL/VOL" or "/path" into r; false with the form's error. */
static bool
parse_source(const char *s, struct hw_req *r, char *pool, size_t n)
{
	const char *slash = strchr(s, '/');

	if (s[0] == '\0')
		return true;
	if (s[0] == '/') {
		r->path = s;
		return true;
	}
	if (slash == NULL || slash[1] == '\0' || (size_t)(slash - s) >= n) {
		free(hv->form_error);
		hv->form_error = xasprintf("\"%s\" is neither POOL/VOLUME nor a /path.", s);
		return false;
	}
	snprintf(pool, n, "%.*s", (int)(slash - s), s);
	r->pool = pool;
	r->vol = slash + 1;
	return true;
}

static bool
parse_when(const char *s, unsigned *when)
{
	if (strcmp(s, "") == 0 || strcmp(s, "auto") == 0)
		*when = 0;
	else if (strcmp(s, "now") == 0 || strcmp(s, "live") == 0)
		*when = HW_LIVE;
	else if (strcmp(s, "next boot") == 0 || strcmp(s, "config") == 0)
		*when = HW_CONFIG;
	else if (strcmp(s, "both") == 0)
		*when = HW_LIVE | HW_CONFIG;
	else {
		free(hv->form_error);
		hv->form_error = xasprintf("When is auto, now, next boot or both, not \"%s\".", s);
		return false;
	}
	return true;
}

static const char *
field(enum field f)
{
	return hv->f[f].text[0] ? hv->f[f].text : NULL;
}

static void
submit_form(struct app *a)
{
	struct hw_req r = { .op = hv->op, .cdrom = hv->cdrom, .dev = hv->dev };
	char pool[256], *why;

	free(hv->form_error);
	hv->form_error = NULL;
	if (!parse_when(hv->f[F_WHEN].text, &r.when))
		return;
	switch (hv->op) {
	case HWOP_DISK_ADD:
		r.bus = field(F_BUS);
		r.format = field(F_FORMAT);
		r.cache = field(F_CACHE);
		r.discard = field(F_DISCARD);
		if (hv->cdrom) {
			if (!parse_source(hv->f[F_ISO].text, &r, pool, sizeof pool))
				return;
			break;
		}
		if (hv->f[F_SOURCE].text[0]) {
			if (!parse_source(hv->f[F_SOURCE].text, &r, pool, sizeof pool))
				return;
			break;
		}
		r.pool = field(F_POOL);
		if ((why = vol_size_parse(hv->f[F_SIZE].text, &r.size)) != NULL) {
			hv->form_error = xasprintf("Size: %s", why);
			free(why);
			return;
		}
		break;
	case HWOP_DISK_SET:
		r.cache = hv->f[F_CACHE].text;
		r.discard = hv->f[F_DISCARD].text;
		break;
	case HWOP_CD_INSERT:
		if (!parse_source(hv->f[F_ISO].text, &r, pool, sizeof pool))
			return;
		break;
	case HWOP_NIC_ADD:
	case HWOP_NIC_MOVE:
		r.model = field(F_MODEL);
		r.mac = field(F_MAC);
		r.net_type = "network";
		r.source = field(F_NET);
		if (r.source && strncmp(r.source, "bridge:", 7) == 0) {
			r.net_type = "bridge";
			r.source += 7;
		}
		break;
	default:
		break;
	}
	plan(a, &r);
}

/* The selected device when it is one of kinds, else NULL after saying so. */
static const struct dev *
pick(struct app *a, unsigned kinds, const char *what)
{
	const struct hw_item *it;
	const struct dev *d = NULL;

	host_lock(hv->job->host);
	it = selected();
	if (it && (kinds & (1u << hw_item_dev(it)->kind)))
		d = hw_item_dev(it);
	host_unlock(hv->job->host);
	if (d == NULL)
		app_status(a, MSG_ERROR, "Select %s first.", what);
	return d;
}

/* The first of the job's names (networks or pools), or fallback. */
static void
first_name(const struct hw_names *n, const char *prefer, const char *fallback, char *out,
           size_t size)
{
	size_t i;

	snprintf(out, size, "%s", n->n ? n->v[0] : fallback);
	for (i = 0; prefer && i < n->n; i++)
		if (strcmp(n->v[i], prefer) == 0)
			snprintf(out, size, "%s", prefer);
}

static int
start_op(struct app *a, const char *name)
{
	static const enum field disk_f[] = { F_POOL, F_SIZE, F_SOURCE, F_BUS, F_FORMAT, F_CACHE,
		                             F_DISCARD, F_WHEN };
	static const enum field cd_f[] = { F_ISO, F_BUS, F_WHEN };
	static const enum field ins_f[] = { F_ISO, F_WHEN };
	static const enum field tune_f[] = { F_CACHE, F_DISCARD };
	static const enum field nic_f[] = { F_NET, F_MODEL, F_MAC, F_WHEN };
	static const enum field move_f[] = { F_NET, F_WHEN };
	const unsigned disks = 1u << DEV_DISK | 1u << DEV_CDROM | 1u << DEV_FLOPPY;
	const struct dev *d;
	char buf[256];

	if (!may_change(a))
		return HANDLED;
	if (strcmp(name, "hw-disk-add") == 0) {
		form_open(HWOP_DISK_ADD, false, NULL, disk_f, 8);
		host_lock(hv->job->host);
		first_name(&hv->job->pools, "default", "default", buf, sizeof buf);
		host_unlock(hv->job->host);
		lineedit_set(&hv->f[F_POOL], buf);
		lineedit_set(&hv->f[F_SIZE], "10G");
		lineedit_set(&hv->f[F_BUS], "virtio");
		lineedit_set(&hv->f[F_FORMAT], "qcow2");
	} else if (strcmp(name, "hw-cdrom-add") == 0) {
		form_open(HWOP_DISK_ADD, true, NULL, cd_f, 3);
		lineedit_set(&hv->f[F_BUS], "sata");
	} else if (strcmp(name, "hw-insert") == 0) {
		if ((d = pick(a, 1u << DEV_CDROM | 1u << DEV_FLOPPY, "a CD-ROM drive")) == NULL)
			return HANDLED;
		form_open(HWOP_CD_INSERT, false, d->target, ins_f, 2);
	} else if (strcmp(name, "hw-eject") == 0) {
		if ((d = pick(a, 1u << DEV_CDROM | 1u << DEV_FLOPPY, "a CD-ROM drive")) == NULL)
			return HANDLED;
		plan(a, &(struct hw_req){ .op = HWOP_CD_EJECT, .dev = d->target });
	} else if (strcmp(name, "hw-remove") == 0 || strcmp(name, "hw-remove-volume") == 0) {
		bool vol = strcmp(name, "hw-remove-volume") == 0;
		if ((d = pick(a, vol ? 1u << DEV_DISK : disks | 1u << DEV_NIC,
		              vol ? "a disk" : "a disk, CD-ROM drive or NIC")) == NULL)
			return HANDLED;
		if (d->kind == DEV_NIC)
			plan(a, &(struct hw_req){ .op = HWOP_NIC_REMOVE, .dev = d->key });
		else
			plan(a, &(struct hw_req){ .op = HWOP_DISK_REMOVE, .dev = d->target,
			                          .delete_vol = vol });
	} else if (strcmp(name, "hw-disk-tune") == 0) {
		if ((d = pick(a, 1u << DEV_DISK, "a disk")) == NULL)
			return HANDLED;
		form_open(HWOP_DISK_SET, false, d->target, tune_f, 2);
		lineedit_set(&hv->f[F_CACHE], d->cache ? d->cache : "");
		lineedit_set(&hv->f[F_DISCARD], d->discard ? d->discard : "");
	} else if (strcmp(name, "hw-nic-add") == 0) {
		form_open(HWOP_NIC_ADD, false, NULL, nic_f, 4);
		host_lock(hv->job->host);
		first_name(&hv->job->networks, "default", "default", buf, sizeof buf);
		host_unlock(hv->job->host);
		lineedit_set(&hv->f[F_NET], buf);
		lineedit_set(&hv->f[F_MODEL], "virtio");
	} else if (strcmp(name, "hw-nic-link") == 0) {
		bool down;
		const struct hw_item *it;
		if ((d = pick(a, 1u << DEV_NIC, "a NIC")) == NULL)
			return HANDLED;
		host_lock(hv->job->host);
		it = selected();
		/* Toggle what the guest has now (its saved state when shut off). */
		down = it && !(it->live ? it->live->link_down : it->saved->link_down);
		host_unlock(hv->job->host);
		plan(a, &(struct hw_req){ .op = HWOP_NIC_LINK, .dev = d->key, .link_down = down });
	} else if (strcmp(name, "hw-nic-move") == 0) {
		if ((d = pick(a, 1u << DEV_NIC, "a NIC")) == NULL)
			return HANDLED;
		form_open(HWOP_NIC_MOVE, false, d->mac ? d->mac : d->key, move_f, 2);
	}
	return HANDLED;
}

/* ---- keys ---- */

static int
hw_key(struct app *a, enum cmd c, int key)
{
	const char *name;

	(void)key;
	if (hv == NULL)
		return 0;
	if (hv->mode == M_LIST || hv->mode == M_WAIT) {
		host_lock(hv->job->host);
		selected();
		hv->list.n = (int)hv->job->devs.n;
		if (scroll_cmd(&hv->list, c)) {
			free(hv->sel_key);
			hv->sel_key = NULL;
			if (hv->list.sel >= 0 && (size_t)hv->list.sel < hv->job->devs.n)
				hv->sel_key = xstrdup(hw_item_dev(&hv->job->devs.v[hv->list.sel])->key);
			host_unlock(hv->job->host);
			return REDRAW_BODY;
		}
		host_unlock(hv->job->host);
	}
	if (c == CMD_OPEN && hv->mode == M_LIST) {
		scroll_init(&hv->text, false);
		hv->mode = M_XML;
		return REDRAW_BODY;
	}
	if (c == CMD_REFRESH) {
		hw_job_read(hv->job);
		return 0;
	}
	if (c == CMD_BACK && hv->mode != M_LIST) {
		if (hv->mode == M_CONFIRM)
			hw_job_discard(hv->job);
		hv->mode = M_LIST;
		app_status(a, MSG_INFO, "Cancelled: %s is unchanged.", hv->vm);
		return REDRAW_BODY;
	}
	if ((unsigned)c < CMD_COUNT || hv->mode != M_LIST)
		return 0;
	name = command_row(c)->name;
	if (name == NULL || strncmp(name, "hw-", 3) != 0)
		return 0;
	return start_op(a, name) | REDRAW_BODY;
}

/* The form and the dialog take every key while open. */
static bool
hw_grab(struct app *a)
{
	(void)a;
	return hv && (hv->mode == M_FORM || hv->mode == M_CONFIRM || hv->mode == M_XML);
}

static int
confirm_key(struct app *a, wint_t wc, bool is_key)
{
	enum cmd c = CMD_NONE;

	if (is_key && wc == KEY_UP)
		c = CMD_UP;
	else if (is_key && wc == KEY_DOWN)
		c = CMD_DOWN;
	else if (is_key && wc == KEY_PPAGE)
		c = CMD_PAGE_UP;
	else if (is_key && wc == KEY_NPAGE)
		c = CMD_PAGE_DOWN;
	else if (is_key && wc == KEY_HOME)
		c = CMD_HOME;
	else if (is_key && wc == KEY_END)
		c = CMD_END;
	if (c != CMD_NONE) {
		scroll_cmd(&hv->text, c);
		return REDRAW_BODY;
	}
	if (hv->mode == M_XML) {
		if (wc == 27 || wc == '\r' || wc == '\n' || (is_key && wc == KEY_ENTER)) {
			hv->mode = M_LIST;
			return REDRAW_BODY;
		}
		return HANDLED;
	}
	if (!is_key && (wc == 'y' || wc == 'Y' || wc == '\r' || wc == '\n')) {
		hv->mode = M_LIST;
		hw_job_apply(hv->job);
		app_status(a, MSG_INFO, "Changing %s...", hv->vm);
		return REDRAW_BODY;
	}
	if ((!is_key && (wc == 'n' || wc == 'N' || wc == 27)) || (is_key && wc == KEY_F(10))) {
		hw_job_discard(hv->job);
		hv->mode = M_LIST;
		app_status(a, MSG_INFO, "Cancelled: %s is unchanged.", hv->vm);
		return REDRAW_BODY;
	}
	return HANDLED;
}

static int
hw_text(struct app *a, wint_t wc, bool is_key)
{
	enum le_result r;

	if (hv == NULL)
		return 0;
	if (hv->mode == M_CONFIRM || hv->mode == M_XML)
		return confirm_key(a, wc, is_key);
	if (hv->mode != M_FORM) {
		char kb[16];
		app_status(a, MSG_INFO, "Key %s does nothing here; press ? for help.",
		           keys_label((int)wc, kb, sizeof kb));
		return HANDLED;
	}
	if (is_key && (wc == KEY_DOWN || wc == KEY_UP || wc == KEY_BTAB)) {
		hv->cur = (hv->cur + (wc == KEY_DOWN ? 1 : hv->nfields - 1)) % hv->nfields;
		return REDRAW_BODY;
	}
	if (is_key && wc == KEY_F(2)) {
		submit_form(a);
		return REDRAW_BODY;
	}
	r = lineedit_key(&hv->f[hv->fields[hv->cur]], wc, is_key);
	if (r == LE_TAB)
		hv->cur = (hv->cur + 1) % hv->nfields;
	else if (r == LE_CANCEL) {
		hv->mode = M_LIST;
		app_status(a, MSG_INFO, "Cancelled: %s is unchanged.", hv->vm);
	} else if (r == LE_ENTER)
		submit_form(a);
	return REDRAW_BODY;
}

/* A plan arrived: the dialog, or the refusal (in the form when one is
 * open, else in the status line). */
static void
hw_poll(struct app *a)
{
	char *why = NULL;
	bool show = false;

	if (hv == NULL || hv->mode != M_WAIT)
		return;
	host_lock(hv->job->host);
	if (hv->job->plans != hv->plans_seen) {
		hv->plans_seen = hv->job->plans;
		if (hv->job->pending)
			show = true;
		else
			why = xstrdup(hv->job->plan_error ? hv->job->plan_error : "The change cannot be made.");
	}
	host_unlock(hv->job->host);
	if (!show && why == NULL)
		return;
	if (show) {
		hv->mode = M_CONFIRM;
		app_status(a, MSG_INFO, "Read the change: y applies it, n leaves %s as it is.", hv->vm);
	} else if (hv->nfields > 0 && hv->op != HWOP_CD_EJECT && hv->op != HWOP_DISK_REMOVE &&
	           hv->op != HWOP_NIC_REMOVE && hv->op != HWOP_NIC_LINK) {
		hv->mode = M_FORM;
		free(hv->form_error);
		hv->form_error = xstrdup(why);
		app_status(a, MSG_ERROR, "Cannot change %s: %s", hv->vm, why);
	} else {
		hv->mode = M_LIST;
		app_status(a, MSG_ERROR, "Cannot change %s: %s", hv->vm, why);
	}
	free(why);
	a->dirty |= DIRTY_ALL;
}

int
hardware_open(struct app *a, const struct sel_guest *g)
{
	hv = xcalloc(1, sizeof *hv);
	scroll_init(&hv->list, true);
	scroll_init(&hv->text, false);
	hv->vm = xstrdup(g->name);
	hv->job = hw_job_new(g->host, g->uuid, g->name);
	app_push_view(a, &hardware_ops);
	return HANDLED;
}

bool
hardware_selected(char *key, size_t n)
{
	const struct hw_item *it;
	bool ok = false;

	if (hv == NULL)
		return false;
	host_lock(hv->job->host);
	if ((it = selected()) != NULL) {
		snprintf(key, n, "%s", hw_item_dev(it)->key);
		ok = true;
	}
	host_unlock(hv->job->host);
	return ok;
}

const struct view_ops hardware_ops = {
	.name = "hardware",
	.reports = true,
	.keyview = KV_HW,
	.leave = hw_leave,
	.draw = hw_draw,
	.key = hw_key,
	.text = hw_text,
	.grab = hw_grab,
	.poll = hw_poll,
};
