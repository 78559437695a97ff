/* tagjob.h — the TUI's change of one guest's tags and note (the `#`
 * dialog, views/tagedit.c), run on the guest's host's worker: the edit
 * made (tagmeta.h), the guest's record updated at once (the metadata
 * event reads it again anyway), the outcome and its virsh line to the
 * action log. */
#ifndef VMTUI_TAGJOB_H
#define VMTUI_TAGJOB_H

#include "../defs/tagmeta.h"
#include "../host/host.h"

/* Queue e (taken over; checked with tag_edit_check first) for guest uuid
 * called name on h. */
void tagjob_run(struct host *h, const char *uuid, const char *name, struct tag_edit *e);

/* What the action log calls the change: "tag web-1 (prod, web; note
 * set)". Newly allocated. */
char *tagjob_what(const char *name, const struct tagset *ts);

#endif
