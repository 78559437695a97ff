/* tagmeta.h — a guest's tags and note (tagxml.h) read from and written to
 * its domain's <metadata> with virDomainGetMetadata/virDomainSetMetadata,
 * and an edit of them (tags added and removed, the note set or cleared)
 * made as one read, change and write. Any thread with its own connection
 * (a host's worker, a bulk run's thread, the shell's commands). */
#ifndef VMTUI_TAGMETA_H
#define VMTUI_TAGMETA_H

#include <stdbool.h>
#include <libvirt/libvirt.h>

#include "tagxml.h"

/* Read the tags and note of dom: the running definition when it runs,
 * else the saved one. No element: ts empty, 0. -1 with *err (a sentence,
 * newly allocated) when libvirt fails or the element is not vmtui's. */
int tagmeta_read(virDomainPtr dom, struct tagset *ts, char **err);

/* Write ts (empty: remove the element) to the running definition when the
 * guest runs and to the saved one when it is persistent. *live, *config
 * (may be NULL) say which were written. 0, or -1 with *err. */
int tagmeta_write(virDomainPtr dom, const struct tagset *ts, bool *live, bool *config,
                  char **err);

/* The virsh line that writes ts to the guest called name (uri: -c, NULL
 * for none). */
char *tagmeta_virsh(const char *uri, const char *name, const struct tagset *ts, bool live,
                    bool config);

/* A change of tags and note. */
struct tag_edit {
	char **add, **del;   /* valid tags (tag_check) */
	size_t nadd, ndel;
	bool clear_tags;     /* remove every tag first */
	bool set_note;       /* replace the note with note (NULL: remove it) */
	char *note;
};

/* Check e's tags and note: NULL, or why not (newly allocated). */
char *tag_edit_check(const struct tag_edit *e);
void tag_edit_free(struct tag_edit *e); /* the struct too; NULL: nothing */
/* ts changed by e. */
void tag_edit_apply(const struct tag_edit *e, struct tagset *ts);

/* Read dom's tags and note, apply e, write them when they changed:
 * 1 written, 0 nothing to change, -1 with *err. *after (may be NULL) gets
 * the tags and note as they are now; *virsh (may be NULL) the virsh line
 * of the write (NULL when none). uri: for the virsh line. */
int tagmeta_edit(virDomainPtr dom, const struct tag_edit *e, const char *uri,
                 struct tagset *after, char **virsh, char **err);

/* A sentence saying what the guest carries now: "web-1: tags db, web; a
 * note." */
char *tagmeta_describe(const char *name, const struct tagset *ts);

#endif
