/* xmalloc.h — allocation that never returns NULL: on failure the terminal is
 * restored (through the hook the UI installs) and the program aborts. */
#ifndef VMTUI_XMALLOC_H
#define VMTUI_XMALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* s + sep + t as a new string (no sep when s is NULL), freeing s: builds
 * lists such as "a, b, c" one item at a time. */
char *xjoin(char *s, const char *sep, const char *t);

/* Free n strings and the array holding them; NULL is fine. */
void xfree_strv(char **v, size_t n);

/* Set the allocator up for vmtui's pattern, once, before any thread: a
 * refresh frees hundreds of small blocks (libvirt's decoded records,
 * vmtui's parse), and the next one starts with a 64 KiB block (libvirt's
 * message buffer). glibc keeps such small blocks unmerged in its fast
 * bins, and any block of 1 KiB or more first merges every one of them:
 * 4% of vmtui's CPU time with ten guests, in that merge alone (perf). No
 * fast bins: small blocks are merged as they are freed, and the per-size
 * caches in front still serve the common case. */
void xmalloc_init(void);

/* One refresh allocates about `bytes` and frees them (libvirt's reply
 * and records): keep that much in the heap between refreshes. glibc
 * would give the free top of a thread's heap back to the kernel after
 * every refresh and fault it in again at the next (a hundred page faults
 * per refresh at 100 guests), and serves blocks above its mmap threshold
 * with fresh mappings. Both thresholds only grow. */
void xmalloc_expect(size_t bytes);

/* Called before aborting on out-of-memory; the UI sets it to restore the tty. */
extern void (*xmalloc_fatal_hook)(void);

#endif
