/* vmdetail.c — one guest in depth: history graphs for CPU, memory, disk
 * and network with scales, per-device figures, and its configuration. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/base/xmalloc.h"
#include "../model/guest/agent.h"
#include "../model/stats/stats.h"
#include "../tui/format.h"
#include "../tui/screen.h"
#include "../tui/scroll.h"
#include "views.h"

#define AXIS_W 7 /* "100%" / "1.50M" plus a space */

/* How the information under the graphs is scrolled. */
static struct scroller info_scroll;
/* The guest agent's facts of the guest shown (agent.h), read on entering
 * and on the refresh key; NULL when no guest is selected. */
static struct agent_job *agent_job;

/* The agent job when it is about vm (the view may show another guest
 * after the selection moved), else NULL. */
static struct agent_job *
job_of(const struct vm *vm)
{
	return agent_job && strcmp(agent_job->uuid, vm->uuid) == 0 ? agent_job : NULL;
}

static void
vmdetail_enter(struct app *a)
{
	scroll_init(&info_scroll, false);
	agent_job_release(agent_job);
	agent_job = NULL;
	if (a->sel_host != NULL && a->sel_uuid[0]) {
		host_request_detail(a->sel_host, a->sel_uuid);
		if (!a->sel_host->replay)
			agent_job = agent_job_new(a->sel_host, a->sel_uuid);
	}
}

static void
vmdetail_leave(struct app *a)
{
	(void)a;
	agent_job_release(agent_job);
	agent_job = NULL;
}

/* One titled graph with a scale on the left. */
void
draw_graph_box(struct app *a, WINDOW *w, int y, int x, int width, int height,
               const char *title, const struct ring *r, double fixed_max, graph_fmt_fn fmt,
               double now_val, enum color col)
{
	char top[32], cur[32], line[128];
	int gw = width - AXIS_W, gh = height - 1;
	size_t shown = (size_t)(gw > 0 ? gw : 0) * (size_t)graph_samples_per_col(a->gmode);
	double max = graph_scale(r, shown, fixed_max);

	if (width < AXIS_W + 4 || height < 2)
		return;
	fmt(cur, sizeof cur, now_val);
	snprintf(line, sizeof line, "%s %s", title, cur);
	draw_text(w, y, x, width, screen_attr(C_TITLE), line);
	fmt(top, sizeof top, max);
	/* The title says "/s": the scale is the number alone ("4.88K", not a
	 * cut "4.88K/"). */
	size_t tl = strlen(top);
	if (tl > 2 && strcmp(top + tl - 2, "/s") == 0)
		top[tl - 2] = '\0';
	draw_text(w, y + 1, x, AXIS_W - 1, screen_attr(C_AXIS), top);
	if (gh > 1)
		draw_text(w, y + gh, x, AXIS_W - 1, screen_attr(C_AXIS), "0");
	draw_graph(w, y + 1, x + AXIS_W, gw, gh, r, max, a->gmode, screen_attr(col));
}

/* A percentage with its unit, "-" when unknown. */
char *
fmt_pct_unit(char *b, size_t n, double v)
{
	char t[16];

	if (v < 0)
		snprintf(b, n, "-");
	else
		snprintf(b, n, "%s%%", fmt_pct(t, sizeof t, v));
	return b;
}

/* Rows of graphs: CPU and memory, disk, network, CPU wait. */
#define DETAIL_GRAPH_ROWS 4

static void
draw_graphs(struct app *a, WINDOW *w, const struct vm *vm, int y, int rows_each, int nrows)
{
	int width = getmaxx(w), half = width / 2;
	double memmax = vm->mem_cur_kib ? (double)vm->mem_cur_kib * 1024 : 0;

	draw_graph_box(a, w, y, 0, half - 1, rows_each, "CPU", &vm->cpu_hist, 100.0,
	          fmt_pct_unit, vm->cpu_pct, C_GRAPH_CPU);
	draw_graph_box(a, w, y, half, width - half, rows_each, "Memory used", &vm->mem_hist,
	          memmax, fmt_bytes, vm_state_active(vm->state) ? (double)vm->mem_used_kib * 1024 : -1,
	          C_GRAPH_MEM);
	y += rows_each;
	draw_graph_box(a, w, y, 0, half - 1, rows_each, "Disk read/s", &vm->rd_hist, 0,
	          fmt_rate, vm->rd_rate, C_GRAPH_DISK);
	draw_graph_box(a, w, y, half, width - half, rows_each, "Disk write/s", &vm->wr_hist, 0,
	          fmt_rate, vm->wr_rate, C_GRAPH_DISK);
	y += rows_each;
	draw_graph_box(a, w, y, 0, half - 1, rows_each, "Net rx/s", &vm->rx_hist, 0,
	          fmt_rate, vm->rx_rate, C_GRAPH_NET);
	draw_graph_box(a, w, y, half, width - half, rows_each, "Net tx/s", &vm->tx_hist, 0,
	          fmt_rate, vm->tx_rate, C_GRAPH_NET);
	y += rows_each;
	if (nrows < DETAIL_GRAPH_ROWS)
		return;
	/* Runnable vCPU time queued for a host CPU: in the warning colour
	 * above wait_warn. */
	draw_graph_box(a, w, y, 0, width, rows_each, "CPU wait (WAIT%)", &vm->wait_hist, 100.0,
	          fmt_pct_unit, vm_state_active(vm->state) ? vm->wait_pct : -1,
	          vm_state_active(vm->state) && vm->wait_pct >= app_wait_warn ? C_WARNING
	                                                                      : C_GRAPH_CPU);
}

/* The text lines under the graphs, built fresh each draw, each with its
 * attribute (0: normal). */
struct lines {
	char **v;
	int *attr;
	size_t n, cap;
};

static void
add(struct lines *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
add(struct lines *l, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (s == NULL)
		return;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 32;
		l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
		l->attr = xreallocarray(l->attr, l->cap, sizeof *l->attr);
	}
	l->attr[l->n] = 0;
	l->v[l->n++] = s;
}

static const struct vm_config_disk *
cfg_disk(const struct vm_config *c, const char *target)
{
	size_t i;

	for (i = 0; c && i < c->ndisks; i++)
		if (c->disks[i].target && strcmp(c->disks[i].target, target) == 0)
			return &c->disks[i];
	return NULL;
}

/* An agent's interface: its name, MAC and every address, on one line. */
static void
agent_iface_line(struct lines *l, const struct agent_iface *ifc)
{
	char addrs[512] = "";
	size_t j, len;

	for (j = 0; j < ifc->naddrs; j++) {
		len = strlen(addrs);
		snprintf(addrs + len, sizeof addrs - len, "%s%s/%u", j ? " " : "",
		         ifc->addrs[j].addr, ifc->addrs[j].prefix);
	}
	add(l, "    %-8s %-17s %s", ifc->name, ifc->hwaddr ? ifc->hwaddr : "-",
	    addrs[0] ? addrs : "(no address)");
}

/* The guest agent's section: what it says, or why it says nothing. */
static void
agent_lines(const struct vm *vm, struct lines *l)
{
	struct agent_job *job = job_of(vm);
	const struct agent_result *r = job ? &job->result : NULL;
	const struct agent_facts *f = r ? r->facts : NULL;
	char b1[16], b2[16];
	size_t i;
	int full;

	if (!vm_state_active(vm->state) || job == NULL)
		return;
	if (r->status == AGENT_UNKNOWN) {
		add(l, "Guest agent: asking...");
		return;
	}
	if (r->status != AGENT_OK || f == NULL) {
		add(l, "Guest agent: %s%s%s", agent_status_text(r->status), r->error ? ": " : "",
		    r->error ? r->error : "");
		l->attr[l->n - 1] = screen_attr(C_DIM);
		return;
	}
	add(l, "Guest agent: %s", f->os_pretty ? f->os_pretty : (f->os_name ? f->os_name : "?"));
	l->attr[l->n - 1] = screen_attr(C_TITLE);
	add(l, "  OS %s %s (%s)  kernel %s  %s", f->os_name ? f->os_name : "?",
	    f->os_version ? f->os_version : (f->os_version_id ? f->os_version_id : ""),
	    f->os_id ? f->os_id : "?", f->kernel_release ? f->kernel_release : "?",
	    f->machine ? f->machine : "");
	add(l, "  hostname %s  time zone %s (UTC%+d:%02d)", f->hostname ? f->hostname : "?",
	    f->tz_name ? f->tz_name : "?", f->tz_offset / 3600,
	    (f->tz_offset < 0 ? -f->tz_offset : f->tz_offset) % 3600 / 60);
	if (f->nusers == 0) {
		add(l, "  users: none logged in");
	} else {
		char users[256] = "";
		for (i = 0; i < f->nusers; i++) {
			size_t len = strlen(users);
			snprintf(users + len, sizeof users - len, "%s%s%s%s", i ? ", " : "",
			         f->users[i].name ? f->users[i].name : "?",
			         f->users[i].domain ? "@" : "", f->users[i].domain ? f->users[i].domain : "");
		}
		add(l, "  users: %s", users);
	}
	add(l, "  interfaces (agent):");
	for (i = 0; i < f->nifaces; i++)
		agent_iface_line(l, &f->ifaces[i]);
	add(l, "  filesystems:%s", f->nfs ? "" : " none reported");
	full = agent_fs_fullest(f);
	for (i = 0; i < f->nfs; i++) {
		const struct agent_fs *fs = &f->fs[i];
		double pct = agent_fs_pct(fs);
		if (pct >= 0)
			add(l, "    %-16s %-6s %6s used of %6s  %3.0f%%%s  %s", fs->mountpoint ? fs->mountpoint : "?",
			    fs->type ? fs->type : "", fmt_bytes(b1, sizeof b1, (double)fs->used),
			    fmt_bytes(b2, sizeof b2, (double)fs->total), pct,
			    (int)i == full ? " fullest" : "", fs->name ? fs->name : "");
		else
			add(l, "    %-16s %-6s (size not known)  %s", fs->mountpoint ? fs->mountpoint : "?",
			    fs->type ? fs->type : "", fs->name ? fs->name : "");
		if (pct >= AGENT_FS_WARN_PCT)
			l->attr[l->n - 1] = screen_attr(C_WARNING);
		else if ((int)i == full)
			l->attr[l->n - 1] = screen_attr(C_TITLE);
	}
}

/* Tags, and the note line by line (#: change them). */
static void
tag_lines(const struct vm *vm, struct lines *l)
{
	char tags[512];
	size_t at = 0, i;
	const char *p;

	tags[0] = '\0';
	for (i = 0; i < vm->ntags; i++) {
		fmt_append(tags, sizeof tags, &at, i ? " " : "");
		fmt_append(tags, sizeof tags, &at, vm->tags[i]);
	}
	add(l, "Tags: %s", !vm->meta_read ? "(not read yet)" : vm->ntags ? tags : "(none)");
	if (vm->note == NULL) {
		if (vm->meta_read)
			add(l, "Note: (none)");
		return;
	}
	add(l, "Note:");
	for (p = vm->note; *p;) {
		size_t n = strcspn(p, "\n");
		add(l, "  %.*s", (int)n, p);
		p += n + (p[n] == '\n');
	}
}

static void
info_lines(const struct vm *vm, const struct host *h, struct lines *l)
{
	const struct vm_config *c = h->detail && strcmp(h->detail->uuid, vm->uuid) == 0 ? h->detail : NULL;
	char b1[16], b2[16], b3[16], b4[16];
	size_t i, j;

	/* The live figures of every refresh first (a balloon or vCPU change
	 * shows at once), the configuration read when the view opened only
	 * where the refresh has none. */
	add(l, "vCPUs %u current / %u max    Memory %s current / %s max%s",
	    vm->vcpus_cur ? vm->vcpus_cur : c ? c->vcpus_cur : 0,
	    vm->vcpus_max ? vm->vcpus_max : c ? c->vcpus_max : 0,
	    fmt_bytes(b1, sizeof b1, (double)(vm->mem_cur_kib ? vm->mem_cur_kib :
	                                      c ? c->mem_cur_kib : 0) * 1024),
	    fmt_bytes(b2, sizeof b2, (double)(vm->mem_max_kib ? vm->mem_max_kib :
	                                      c ? c->mem_max_kib : 0) * 1024),
	    vm_state_active(vm->state) && !vm->mem_from_guest ? "  (no guest memory stats: balloon driver?)" : "");
	if (c)
		add(l, "Type %s  arch %s  machine %s  autostart %s  %s",
		    c->os_type ? c->os_type : "?", c->arch ? c->arch : "?",
		    c->machine ? c->machine : "?", vm->autostart ? "on" : "off",
		    vm->persistent ? "persistent" : "transient");
	else if (h->detail_busy)
		add(l, "Reading the configuration...");
	add(l, "Disks:");
	for (i = 0; i < vm->ndisks; i++) {
		const struct vm_dev *d = &vm->disks[i];
		const struct vm_config_disk *cd = cfg_disk(c, d->name);
		/* What the disk takes on the host: the file's size where the
		 * stats give it (a running qcow2's "allocation" is only the
		 * highest offset the guest wrote, 0 for an untouched disk). */
		add(l, "  %-6s %6s cap %6s on host  rd %8s wr %8s  %s%s%s", d->name,
		    fmt_bytes(b1, sizeof b1, (double)d->capacity),
		    fmt_bytes(b2, sizeof b2, (double)(d->physical ? d->physical : d->allocation)),
		    fmt_rate(b3, sizeof b3, d->rd_rate), fmt_rate(b4, sizeof b4, d->wr_rate),
		    cd && cd->bus ? cd->bus : "", cd && cd->bus ? " " : "",
		    d->path ? d->path : (cd && cd->source ? cd->source : ""));
	}
	if (c)
		for (i = 0; i < c->ndisks; i++) {
			bool listed = false;
			for (j = 0; j < vm->ndisks; j++)
				listed |= c->disks[i].target && strcmp(vm->disks[j].name, c->disks[i].target) == 0;
			if (!listed)
				add(l, "  %-6s %s %s %s", c->disks[i].target ? c->disks[i].target : "?",
				    c->disks[i].device ? c->disks[i].device : "disk",
				    c->disks[i].bus ? c->disks[i].bus : "",
				    c->disks[i].source ? c->disks[i].source : "(no media)");
		}
	add(l, "Network interfaces:");
	for (i = 0; i < vm->nnics; i++)
		add(l, "  %-8s rx %8s tx %8s", vm->nics[i].name,
		    fmt_rate(b1, sizeof b1, vm->nics[i].rd_rate),
		    fmt_rate(b2, sizeof b2, vm->nics[i].wr_rate));
	for (i = 0; c && i < c->nnics; i++) {
		const struct vm_config_nic *n = &c->nics[i];
		const struct agent_iface *ifc = job_of(vm) && agent_job->result.facts ?
			agent_iface_by_mac(agent_job->result.facts, n->mac) : NULL;
		const char *src = c->addrs_source;
		char addrs[256] = "";
		if (ifc != NULL) {
			/* The agent's addresses first: bridged guests have them too. */
			for (j = 0; j < ifc->naddrs; j++) {
				size_t len = strlen(addrs);
				snprintf(addrs + len, sizeof addrs - len, "%s%s/%u", j ? " " : "",
				         ifc->addrs[j].addr, ifc->addrs[j].prefix);
			}
			src = "agent";
		}
		for (j = 0; ifc == NULL && j < n->naddrs; j++) {
			size_t len = strlen(addrs);
			snprintf(addrs + len, sizeof addrs - len, "%s%s", j ? " " : "", n->addrs[j]);
		}
		add(l, "  %s %s  %s %s  %s%s%s%s", n->mac ? n->mac : "?", n->model ? n->model : "",
		    n->type ? n->type : "", n->source ? n->source : "",
		    n->target ? n->target : "",
		    !addrs[0] && c->addrs_known ? "  (no address known)" : "",
		    n->pinned ? "  pinned " : "", n->pinned ? n->pinned : "");
		if (addrs[0])
			add(l, "    addresses (%s): %s", src ? src : "?", addrs);
	}
	if (job_of(vm) && agent_job->addr)
		add(l, "  ssh goes to %s (address from the %s)", agent_job->addr,
		    agent_source_text(agent_job->addr_source));
	/* After the devices: the lines a smaller screen may scroll to. */
	if (vm_state_active(vm->state)) {
		char halted[48] = "";
		if (vm->vcpus_halted >= 0)
			snprintf(halted, sizeof halted, "  %d of %u vCPUs halted", vm->vcpus_halted,
			         vm->vcpus_cur);
		add(l, "CPU wait %s of the vCPUs' time (%s)%s%s",
		    fmt_pct_unit(b1, sizeof b1, vm->wait_pct),
		    vm->wait_src == VM_WAIT_DELAY ? "vcpu.N.delay" :
		    vm->wait_src == VM_WAIT_SCHED ? "vcpu.N.wait" : "the host reports no vCPU delay",
		    vm->wait_pct >= app_wait_warn ? ", above wait_warn: vCPUs queue for the host's CPUs" : "",
		    halted);
	}
	tag_lines(vm, l);
	agent_lines(vm, l);
}

/* The info lines at this width: a line too long goes on under itself,
 * two columns further in (fmt_wrap's breaks). */
static void
wrap_lines(struct lines *l, int width)
{
	struct lines out = { 0 };
	size_t i;

	for (i = 0; i < l->n; i++) {
		const char *p = l->v[i], *next;
		int indent = (int)strspn(p, " "), in = 0;
		do {
			size_t n = fmt_wrap(p, width - in, &next);
			add(&out, "%*s%.*s", in, "", (int)n, p);
			out.attr[out.n - 1] = l->attr[i]; /* a warning stays one, wrapped */
			p = next;
			in = indent + 2 < width / 2 ? indent + 2 : 0;
		} while (*p);
	}
	xfree_strv(l->v, l->n);
	free(l->attr);
	*l = out;
}

static void
vmdetail_draw(struct app *a, WINDOW *w)
{
	const struct row *r = app_selected(a);
	int height = getmaxy(w), width = getmaxx(w), rows_each, y, i, info_h, graph_rows;
	struct lines l = { 0 };
	char title[512], up[16];
	const struct vm *vm;

	if (r == NULL || r->vm == NULL) {
		draw_text(w, 1, 2, width - 2, screen_attr(C_DIM),
		          "The guest is gone (undefined, or filtered out). Esc goes back.");
		return;
	}
	vm = r->vm;
	if (vm_state_active(vm->state)) {
		fmt_duration(up, sizeof up, vm_uptime(vm, host_now_ns()));
		snprintf(title, sizeof title, "%s  %s  on %s  up %s%s  id %d  %s", vm->name,
		         vm_state_name(vm->state), host_label(r->host),
		         vm->since_exact ? "" : ">", up, vm->id, vm->uuid);
	} else {
		snprintf(title, sizeof title, "%s  %s  on %s  %s", vm->name,
		         vm->state == VM_SHUTOFF && vm->managed_save ? "saved (start restores it)"
		                                                     : vm_state_name(vm->state),
		         host_label(r->host), vm->uuid);
	}
	/* The UUID goes first where the title does not fit (vmtui info and
	 * the XML view show it), rather than half of it. */
	if ((int)strlen(title) > width) {
		char *u = strstr(title, vm->uuid);
		if (u && u > title + 2)
			u[-2] = '\0';
	}
	draw_text(w, 0, 0, width, screen_attr(C_COLUMNS), title);

	info_lines(vm, r->host, &l);
	wrap_lines(&l, width);
	/* The info lines first, the graphs in what is left: 3..12 rows each,
	 * three rows of them, and the WAIT%
	 * row too where every info line still fits below it. Only a screen
	 * too small for the smallest graphs scrolls the info lines. */
	graph_rows = DETAIL_GRAPH_ROWS;
	rows_each = (height - 1 - (int)l.n) / 3;
	if (rows_each > 12)
		rows_each = 12;
	if (rows_each < 3)
		rows_each = height - 1 >= 3 * 3 + 4 ? 3 : 0;
	if (height - 1 - DETAIL_GRAPH_ROWS * rows_each < (int)l.n)
		graph_rows = 3;
	y = 1;
	if (rows_each)
		draw_graphs(a, w, vm, y, rows_each, graph_rows);
	y += rows_each * graph_rows;
	info_h = height - y;
	scroll_fit(&info_scroll, (int)l.n, info_h);
	for (i = 0; i < info_h && info_scroll.top + i < (int)l.n; i++)
		draw_text(w, y + i, 0, width, l.attr[info_scroll.top + i], l.v[info_scroll.top + i]);
	xfree_strv(l.v, l.n);
	free(l.attr);
}

static int
vmdetail_key(struct app *a, enum cmd c, int key)
{
	(void)key;
	if (c == CMD_REFRESH) {
		if (a->sel_host != NULL && a->sel_uuid[0])
			host_request_detail(a->sel_host, a->sel_uuid);
		if (agent_job != NULL)
			agent_job_read(agent_job, true);
		return 0; /* the global refresh runs too */
	}
	return scroll_cmd(&info_scroll, c) ? REDRAW_BODY : 0;
}

const struct view_ops vmdetail_ops = {
	.name = "detail",
	.keyview = KV_DETAIL,
	.enter = vmdetail_enter,
	.draw = vmdetail_draw,
	.key = vmdetail_key,
	.leave = vmdetail_leave,
};
