/* tagbulk.h — tagging many guests as a bulk run (bulk.h): each guest's
 * tags and note edited (tagmeta.h's tag_edit) on the run's thread. */
#ifndef VMTUI_TAGBULK_H
#define VMTUI_TAGBULK_H

#include "../defs/tagmeta.h"
#include "bulk.h"

/* The bulk_fn: arg is a struct tag_edit * (the item's own: made with
 * tagbulk_edit_new or by hand, freed with tagbulk_free_arg). Looks the
 * guest up by UUID, applies the edit; BULK_SKIPPED when it changes
 * nothing ("web-1 already has tag web."). Its virsh line is
 * `virsh metadata ... --set ...`. */
enum bulk_status tagbulk_fn(struct bulk_ctx *ctx, void *arg, char **msg, char **virsh);

/* A new edit adding the tags add[0..nadd) and removing del[0..ndel)
 * (copied; each must pass tag_check). */
struct tag_edit *tagbulk_edit_new(char *const *add, size_t nadd, char *const *del,
                                  size_t ndel);
/* For bulk_add's free_arg. */
void tagbulk_free_arg(void *arg);

#endif
