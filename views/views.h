/* views.h — the views (one file each in views/) and what opens them, for
 * the command table (views/commands.c) and for views that open others.
 * tui/ includes none of this: the loop is handed the views through
 * struct ui (tui/command.h) at start-up. */
#ifndef VMTUI_VIEWS_H
#define VMTUI_VIEWS_H

#include <stddef.h>

#include "../model/net/netjob.h"
#include "../tui/app.h"

extern const struct view_ops vmlist_ops;
extern const struct view_ops vmdetail_ops;
extern const struct view_ops help_ops;
extern const struct view_ops job_ops;
extern const struct view_ops newvm_ops;
/* The quick-create form's values, kept between N's, freed (at quit). */
void newvm_forget(void);
extern const struct view_ops resize_ops;
extern const struct view_ops hostview_ops;
extern const struct view_ops actlog_ops;
extern const struct view_ops conpane_ops;
extern const struct view_ops snapshots_ops;
extern const struct view_ops clone_ops;
extern const struct view_ops vmdelete_ops;
extern const struct view_ops pools_ops;
extern const struct view_ops volumes_ops;
extern const struct view_ops storeform_ops;
extern const struct view_ops networks_ops;
extern const struct view_ops netleases_ops;
extern const struct view_ops netcreate_ops;
extern const struct view_ops netdelete_ops;
extern const struct view_ops transfer_ops;

/* Openers of the dialogs about guest g (the dispatcher checked the
 * command's needs already): each pushes its view. */
int resize_open(struct app *a, const struct sel_guest *g);
int snapshots_open(struct app *a, const struct sel_guest *g);
int clone_open(struct app *a, const struct sel_guest *g);
int vmdelete_open(struct app *a, const struct sel_guest *g);
/* O: guest g's graphical screen (views/gscreen.c): opened on its host's
 * worker, then shown on the whole terminal from the poll hook. */
int gscreen_open(struct app *a, const struct sel_guest *g);
void gscreen_poll(struct app *a);
void gscreen_forget(void);
/* x: guest g's saved domain XML in the user's editor, the diff, the
 * define (views/xmledit.c). */
extern const struct view_ops xmledit_ops;
int xmledit_open(struct app *a, const struct sel_guest *g);

/* Plan VM definition files on host h and show the plan (views/job.c). */
void job_open(struct app *a, struct host *h, char *const *paths, size_t n);

/* The storage pools of the host view's host (p; views/pools.c), and the
 * pool and volume commands of the storage views, by their row's name. */
int pools_open(struct app *a);
int storage_command(struct app *a, const char *name);
/* The virtual networks of the target host (views/networks.c), and what
 * its keys run on the selected network; the views it opens share its job
 * (model/net/netjob.h). */
int networks_open(struct app *a);
int networks_start_stop(struct app *a, bool start);
int networks_autostart(struct app *a);
int networks_delete(struct app *a);
int networks_create(struct app *a);
struct net_job *networks_job(void);
/* Run op on network name (def: create's) and show the outcome in the view. */
void networks_run(struct app *a, enum net_op op, const char *name, const struct netdef *def,
                  const char *doing);
/* Select name once the list has it. */
void networks_select(const char *name);
/* The leases view of net (views/netleases.c), its pin and unpin. */
void netleases_open(struct app *a, struct net_job *j, const char *net);
int netleases_pin(struct app *a, bool pin);
/* The create form and the typed confirmation of a delete (running: the
 * running guests on net, or NULL). */
void netcreate_open(struct app *a);
void netdelete_open(struct app *a, const char *net, const char *running);
/* Uploads and downloads of storage volumes (views/transfer.c): the footer
 * prompt asks for the local file (and an upload's volume name, a
 * download's replacing an existing file), then the progress view opens. */
struct xfer_req;
/* after (or NULL) runs when the progress view goes (the volumes view
 * reads its list again). */
void transfer_upload_prompt(struct app *a, struct host *h, const char *pool,
                            void (*after)(struct app *));
void transfer_download_prompt(struct app *a, struct host *h, const char *pool, const char *vol,
                              void (*after)(struct app *));
/* Start r (taken over and cleared) on h and push the progress view. */
int transfer_open(struct app *a, struct host *h, struct xfer_req *r,
                  void (*after)(struct app *));

/* Boot, CPU, firmware and TPM of guest g (views/hwfirm.c): a form each,
 * reviewed before applying (views/hwreview.c); and the host's PCI and USB
 * devices to pass through to g (views/hostdevs.c). */
extern const struct view_ops hwfirm_ops;
extern const struct view_ops hwreview_ops;
extern const struct view_ops hostdevs_ops;
enum hwfirm_form { HWF_BOOT, HWF_CPU, HWF_FIRMWARE };
int hwfirm_open(struct app *a, const struct sel_guest *g, enum hwfirm_form kind);
int hostdevs_open(struct app *a, const struct sel_guest *g);
/* a (attach true) and r in the host devices view. */
int hostdevs_change(struct app *a, bool attach);
struct hwfirm_job;
struct hw_change;
/* The review of change c to guest vm: y applies it on j's host worker
 * (saved_before: refused if the saved XML is no longer that). */
void hwreview_open(struct app *a, struct hwfirm_job *j, const char *vm, const struct hw_change *c,
                   const char *saved_before, const char *note);

/* A titled history graph with its scale on the left (views/vmdetail.c). */
typedef char *(*graph_fmt_fn)(char *, size_t, double);
void draw_graph_box(struct app *a, WINDOW *w, int y, int x, int width, int height,
                    const char *title, const struct ring *r, double fixed_max,
                    graph_fmt_fn fmt, double now_val, enum color col);
/* "12.5%", or "-" for a negative value: a graph_fmt_fn. */
char *fmt_pct_unit(char *b, size_t n, double v);

extern const struct view_ops hardware_ops;
/* w: guest g's hardware (views/hardware.c); the key of the device selected
 * there (false when none), for commands about one device. */
int hardware_open(struct app *a, const struct sel_guest *g);
bool hardware_selected(char *key, size_t n);

/* The migrate dialog (M) of guest g: target, options, pre-flight, progress
 * (views/migrate.c). */
extern const struct view_ops migrate_ops;
int migrate_open(struct app *a, const struct sel_guest *g);
/* Marks and bulk actions on the marked guests (views/bulk.c; the entry
 * for other dialogs' bulk_fns is in bulkview.h). */
extern const struct view_ops bulk_ops;
/* `;`: the marks menu (all shown, glob, regex, tag, host, state, invert,
 * clear, the last run's progress). */
int marksmenu_open(struct app *a);
/* The list's command c on the marked guests (some are marked): true when
 * c is one that acts on them (S H R F P U A D T), its confirmation open. */
bool bulk_cmd(struct app *a, enum cmd c);
/* Every turn of the loop (the run's progress), and on quit. */
void bulk_poll(struct app *a);
void bulk_forget(void);
extern const struct view_ops tagedit_ops;
/* #: guest g's tags and note (views/tagedit.c). */
int tagedit_open(struct app *a, const struct sel_guest *g);
/* A host's load across its guests, virt-top's views (views/hostload.c):
 * by host CPU (c), by network interface (i), by block device (b), from the
 * host view; sortable tables. */
extern const struct view_ops hostcpus_ops, hostnics_ops, hostdisks_ops;
int hostcpus_open(struct app *a);
int hostnics_open(struct app *a);
int hostdisks_open(struct app *a);
/* $: log into guest g with the user's ssh (views/sshview.c): its address
 * found on the host's worker, then ssh on the whole terminal from the
 * poll hook. &: a user's password in guest g (views/agentpw.c). */
int sshview_open(struct app *a, const struct sel_guest *g);
void sshview_poll(struct app *a);
void sshview_forget(void);
int agentpw_open(struct app *a, const struct sel_guest *g);

#endif
