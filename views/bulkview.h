/* bulkview.h — for dialogs that act on the marked guests with a bulk_fn of
 * their own (tags, migration): the confirmation and the progress list of
 * views/bulk.c come with it. Apart from views.h so that only they see
 * model/guest/bulk.h. */
#ifndef VMTUI_BULKVIEW_H
#define VMTUI_BULKVIEW_H

#include "../model/guest/bulk.h"
#include "views.h"

/* From a key handler, not a draw (it takes the host locks): confirm, then
 * run fn on every marked guest with the progress list. what names the run
 * ("tag +web"). arg_for makes each guest's arg (freed with free_arg);
 * NULL: fn gets ud itself for every guest (then free_arg(ud), if set, only
 * when refused here). */
int bulk_marked(struct app *a, const char *what, bulk_fn fn,
                void *(*arg_for)(void *ud, const char *uuid), void (*free_arg)(void *arg),
                void *ud);

#endif
