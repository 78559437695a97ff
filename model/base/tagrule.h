/* tagrule.h — the rules of a guest's tags and note (model/defs/tagxml.h
 * keeps them in the domain's metadata; config/vmdef.c checks tags: and
 * notes: with them). */
#ifndef VMTUI_TAGRULE_H
#define VMTUI_TAGRULE_H

/* A tag: 1 to TAG_MAX characters of a-z, 0-9, '.', '_', '-', starting with
 * a letter or digit. A guest carries at most TAGS_MAX. A note: at most
 * NOTE_MAX bytes of UTF-8 without control characters but tab and newline. */
#define TAG_MAX 32
#define TAGS_MAX 64
#define NOTE_MAX 4000

/* NULL when t is a valid tag, else why not (a sentence naming it, newly
 * allocated). */
char *tag_check(const char *t);
/* NULL when n is a valid note, else why not (newly allocated). */
char *note_check(const char *n);

#endif
