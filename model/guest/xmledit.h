/* xmledit.h — a guest's saved domain XML edited by hand, as `virsh edit`
 * does, without ever losing the edit: the text lives in a file of its own
 * (STATE/vmtui/edits/HOST-VM.xml, mode 0600) from the moment the editor
 * first opens until it is defined or the user discards it, beside the XML
 * the edit started from (HOST-VM.base.xml), so that a change made on the
 * host meanwhile is seen before defining. A define that libvirt refuses
 * puts its reason at the top of the text as an XML comment
 * (<!-- vmtui: ... -->), taken off again before the next define.
 *
 * The define itself is a struct hw_change (hwchange.h) of one HW_DEFINE
 * step, so that it is shown and logged as every other change. The pure
 * parts (paths, the comment, what changed) need no libvirt; the reads and
 * the TUI's job run on a connection (the host's worker in the TUI). */
#ifndef VMTUI_XMLEDIT_H
#define VMTUI_XMLEDIT_H

#include <stdbool.h>
#include <time.h>
#include <libvirt/libvirt.h>

#include "../host/host.h"
#include "hwchange.h"

/* ---- pure ---- */

/* The kept edit of guest vm on host: STATE/vmtui/edits/HOST-VM.xml, STATE
 * being state_home when set and absolute, else HOME/.local/state; "/" and
 * leading dots in host and vm become "_". NULL (with *err) when neither
 * gives a place. The base (the XML the edit started from) is the same path
 * with ".base.xml" for ".xml": xmledit_base_path. */
char *xmledit_path(const char *state_home, const char *home, const char *host, const char *vm,
                   char **err);
char *xmledit_base_path(const char *path);

/* text with libvirt's error err at the top as one XML comment (any
 * earlier one of ours taken off first; "--" in err made safe). New. */
char *xmledit_add_error(const char *text, const char *err);
/* text without our comments at its top (<!-- vmtui: ... --> and the line
 * end after each); the rest is the user's, byte for byte. New. */
char *xmledit_strip_error(const char *text);

/* Do two XMLs differ, beyond the last line's newline and our comments? */
bool xmledit_differs(const char *a, const char *b);

/* "12 seconds", "5 minutes", "3 hours", "2 days": how long ago then was at
 * now, into buf. */
const char *xmledit_age(time_t then, time_t now, char *buf, size_t n);

/* The define of xml (our comment taken off) as a change: one HW_DEFINE
 * step saved for the next boot (running guests are told that), its diff
 * from base and the virsh line "virsh [-c URI] define FILE". */
void xmledit_change(struct hw_change *c, const char *vm, bool running, const char *uri,
                    const char *file, const char *base, const char *xml);

/* Why xml may not be defined as guest uuid (another UUID given: it would
 * define another guest), or NULL. Reads only the <uuid> element. */
const char *xmledit_refusal(const char *xml, const char *uuid);

/* ---- files ---- */

/* Write text to path (mode 0600, folders 0700 made as needed), through a
 * temporary file renamed over it. 0, or -1 with *err. */
int xmledit_write(const char *path, const char *text, char **err);
/* The whole file; NULL with *err (errno ENOENT: *err NULL). */
char *xmledit_read(const char *path, char **err);
/* The kept edit and its base removed. */
void xmledit_forget(const char *path);

/* ---- on a connection ---- */

/* What an edit starts from: the guest's name, UUID, the saved XML (inactive,
 * secure), whether it runs, and the host's name for the kept file. */
struct xmledit_src {
	char *name, *uuid, *xml, *host;
	bool running;
};
/* Read it for the guest named or UUID'd vm. 0, or -1 with *err. */
int xmledit_src_read(virConnectPtr conn, const char *vm, struct xmledit_src *s, char **err);
void xmledit_src_free(struct xmledit_src *s);

/* ---- the TUI's job on a host's worker ---- */

enum xe_state {
	XE_READING,  /* the source is read */
	XE_READY,    /* src holds it */
	XE_DEFINING, /* the change is applied */
	XE_DEFINED,  /* done: result says so */
	XE_FAILED,   /* error says why (a read or the define) */
};

/* Shared by the UI and the worker: every field after uuid is guarded by
 * host's lock; the worker writes src, error, result and state when it
 * ends a step, the UI thread starts a step (state) and reads. */
struct xe_job {
	struct host *host;     /* immutable */
	char uuid[VM_UUID_LEN];
	int refs;
	enum xe_state state;
	unsigned reads;        /* bumps with every read done */
	struct xmledit_src src;
	char *error, *result;
};

/* Read the guest's source on h. */
struct xe_job *xe_job_new(struct host *h, const char *uuid);
/* Read it again (the host's current XML, to compare with the base). */
void xe_job_reread(struct xe_job *j);
/* Apply c (taken over) on the worker; logs it with its virsh line. Once
 * defined, the kept edit at path and its base are removed there, so that
 * a define the view no longer waits for (Esc) leaves no stale edit. */
void xe_job_define(struct xe_job *j, struct hw_change *c, const char *path);
void xe_job_release(struct xe_job *j);

#endif
