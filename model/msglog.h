/* msglog.h — messages from the model to the user: action results, libvirt
 * events, connection changes. Thread-safe; the UI shows the newest in the
 * status line. */
#ifndef VMTUI_MSGLOG_H
#define VMTUI_MSGLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum msg_kind { MSG_INFO, MSG_ERROR, MSG_EVENT };

struct msg {
	uint64_t seq;
	double wall;        /* seconds since the epoch */
	enum msg_kind kind;
	char *text;
};

void msglog_add(enum msg_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Copy of the newest message of any kind in `kinds` (bitmask of 1<<kind)
 * with seq > after; false if none. Caller frees out->text. */
bool msglog_latest(unsigned kinds, uint64_t after, struct msg *out);
/* Number of messages kept, and a copy of the i-th newest. */
size_t msglog_count(void);
bool msglog_get(size_t age, struct msg *out);
void msglog_free_all(void);

#endif
