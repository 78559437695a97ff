/* msglog.h — messages from the model to the user: action results, libvirt
 * events, connection changes. Thread-safe; the UI shows the newest in the
 * status line. */
#ifndef VMTUI_MSGLOG_H
#define VMTUI_MSGLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* MSG_NOTE: for the action log only, never the status line. MSG_REFUSED:
 * what the UI refused or could not do, which the status line has said
 * already (app_status): kept in the action log only. */
enum msg_kind { MSG_INFO, MSG_ERROR, MSG_EVENT, MSG_NOTE, MSG_REFUSED };

struct msg {
	uint64_t seq;
	double wall;        /* seconds since the epoch */
	enum msg_kind kind;
	char *text;
	char *virsh;        /* for an action: the virsh command that does the same, else NULL */
};

void msglog_add(enum msg_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* An action the user took, for the status line and the action log: on
 * success (err NULL) "WHAT: done", else "WHAT failed: ERR". virsh is the
 * equivalent command line (see msglog_virsh), or NULL. */
void msglog_action(const char *virsh, const char *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The same for an action libvirt only passes on to the guest (shutdown,
 * reboot): on success "WHAT requested"; whether the guest does it is
 * told later (lifewatch.h). */
void msglog_requested(const char *virsh, const char *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* "virsh -c URI ARG..." with every argument quoted for a POSIX shell where
 * needed; the argument list ends with NULL. uri NULL: no -c. */
char *msglog_virsh(const char *uri, ...) __attribute__((sentinel));
/* Free what a copy owns. */
void msg_clear(struct msg *m);
/* Copy of the newest message of any kind in `kinds` (bitmask of 1<<kind)
 * with seq > after; false if none. Caller clears out (msg_clear). */
bool msglog_latest(unsigned kinds, uint64_t after, struct msg *out);
/* Sequence number of the newest message (0: none yet). */
uint64_t msglog_seq(void);
/* Number of messages kept, and a copy of the i-th newest. */
size_t msglog_count(void);
bool msglog_get(size_t age, struct msg *out);
void msglog_free_all(void);

#endif
