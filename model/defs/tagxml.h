/* tagxml.h — a guest's tags and note: the rules for each, a set of them
 * edited, and the element vmtui keeps in the domain's <metadata> under its
 * own namespace (TAGXML_NS, prefix "vmtui"):
 *
 *   <vmtui:guest xmlns:vmtui="https://vmtui.org/xmlns/guest/1">
 *     <vmtui:tag>web</vmtui:tag>
 *     <vmtui:tag>prod</vmtui:tag>
 *     <vmtui:note>Owned by the web team; ask before rebooting.</vmtui:note>
 *   </vmtui:guest>
 *
 * Pure: no libvirt here (tagmeta.h reads and writes it on a domain). */
#ifndef VMTUI_TAGXML_H
#define VMTUI_TAGXML_H

#include <stdbool.h>
#include <stddef.h>

#include "../base/tagrule.h"

#define TAGXML_NS "https://vmtui.org/xmlns/guest/1"
#define TAGXML_PREFIX "vmtui"
/* vmtui.yaml's ssh_user: (read by model/guest/agent.h), an element of
 * <metadata> of its own beside the tags' one, which tag changes replace. */
#define SSHXML_NS "https://vmtui.org/xmlns/ssh/1"
#define SSHXML_PREFIX "vmtuissh"

/* Tags sorted, no duplicates; note NULL when there is none. */
struct tagset {
	char **tags;
	size_t ntags;
	char *note;
};

void tagset_free(struct tagset *ts); /* the fields; ts itself stays */
bool tagset_has(const struct tagset *ts, const char *t);
/* Add t (kept sorted; a duplicate is no change). Returns true when added. */
bool tagset_add(struct tagset *ts, const char *t);
/* Remove t; true when it was there. */
bool tagset_remove(struct tagset *ts, const char *t);
/* Set the note (copied, surrounding blanks trimmed; NULL or blank: none). */
void tagset_set_note(struct tagset *ts, const char *note);
bool tagset_empty(const struct tagset *ts);
bool tagset_equal(const struct tagset *a, const struct tagset *b);
void tagset_copy(struct tagset *dst, const struct tagset *src);
/* The tags joined by sep, as a new string ("" for none). */
char *tagset_join(const struct tagset *ts, const char *sep);

/* Split words (separated by blanks or commas) into tags added to ts:
 * 0, or -1 with *err (newly allocated) naming the first bad one; ts is
 * unchanged then. */
int tagset_parse_words(struct tagset *ts, const char *words, char **err);

/* The element for virDomainSetMetadata (no namespace: libvirt adds it
 * with the key), as a new string; NULL when ts is empty (the element is
 * then removed) or cannot be written. */
char *tagxml_make(const struct tagset *ts);

/* Read the element virDomainGetMetadata returns (any prefix, or none).
 * Tags that break the rules (another tool wrote them) are skipped, a note
 * too long is cut at a character's boundary. 0, or -1 with *err (newly
 * allocated) when it is not that element. */
int tagxml_parse(const char *xml, struct tagset *ts, char **err);

/* The element of a whole domain XML's <metadata>, if any: 0 with ts
 * filled (empty when there is none), -1 with *err when the XML is not
 * well-formed. */
int tagxml_from_domain(const char *domxml, struct tagset *ts, char **err);

#endif
