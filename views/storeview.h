/* storeview.h — what the storage views share: the host they show, its
 * store_job (model/store/storejob.h) and each list's selection. Made by
 * the pools view's opener (p in the host view), freed when it is popped;
 * the volumes view and the storage forms open over it. UI thread only
 * (the job's own fields are under the host's lock). */
#ifndef VMTUI_STOREVIEW_H
#define VMTUI_STOREVIEW_H

#include "../model/store/storejob.h"
#include "../tui/app.h"

struct storeview {
	struct host *host;
	struct store_job *job;
	struct scroller pools;
	char *sel_pool;        /* the selection survives re-reads */
	struct scroller vols;
	char *sel_vol;
};

/* The storage views' state while the pools view is on the stack, else
 * NULL. */
extern struct storeview *storeview;

/* The forms over the storage views (views/storeform.c). */
enum storeform_kind {
	SF_POOL_CREATE,
	SF_POOL_DELETE_CONTENTS, /* the pool's name typed */
	SF_VOL_CREATE,
	SF_VOL_GROW,
	SF_VOL_CLONE,
	SF_VOL_DELETE,           /* the volume's name typed */
	SF_VOL_WIPE,             /* the volume's name typed */
};
/* Open a form about pool (and volume vol, NULL for pool forms); now is
 * the volume's present size (grow) or 0. */
void storeform_open(struct app *a, enum storeform_kind k, const char *pool, const char *vol,
                    uint64_t now);

/* Refuse when the job is busy (saying so); true when an operation may
 * be queued. */
bool storeview_may_act(struct app *a);
/* The selected pool's / volume's name, a new string, or NULL (saying
 * there is none). Locks the host itself. */
char *storeview_pool(struct app *a);
char *storeview_vol(struct app *a, uint64_t *capacity);
/* The volumes view's commands (rows vol-*), by name. */
int volumes_command(struct app *a, const char *name);
/* The usage bar "[####      ]" of used out of total, width cells. */
void storeview_bar(char *buf, int width, uint64_t used, uint64_t total);

#endif
