/* console.h — a guest's serial console as two byte queues.
 *
 * console_open() opens the console with virDomainOpenConsole on a
 * non-blocking libvirt stream; from then on the stream is pumped only on
 * libvirt's event-loop thread (stream and timer callbacks): guest output
 * goes into an input queue, and bytes queued for the guest are sent from
 * there. The UI thread only moves bytes in and out of the queues
 * (console_take, console_give), which never wait on the network, and is
 * woken through notify_post(). Opening and closing make RPCs: call them
 * where libvirt may block (a host worker, or the command line). No
 * terminal code here. */
#ifndef VMTUI_CONSOLE_H
#define VMTUI_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>

#include <libvirt/libvirt.h>

enum console_error {
	CONSOLE_OK,
	CONSOLE_NOT_RUNNING, /* detail: the state, "shut off" */
	CONSOLE_NO_DEVICE,   /* no serial console, or not on a pty */
	CONSOLE_BUSY,        /* another client holds it; force takes it over */
	CONSOLE_DENIED,      /* read-only connection or access control */
	CONSOLE_FAILED,      /* anything else; detail: libvirt's message */
};

enum console_end {
	CONSOLE_OPEN,        /* still flowing */
	CONSOLE_EOF,         /* the other end closed: guest stopped, or taken over */
	CONSOLE_BROKEN,      /* a stream error; the reason comes with it */
};

struct console;

/* Open the guest's first console. Returns NULL on failure with *err set
 * and *detail a phrase to quote (libvirt's message or the state); the
 * caller frees *detail. */
struct console *console_open(virDomainPtr dom, bool force, enum console_error *err,
                             char **detail);

/* Move up to n bytes of guest output into buf; 0 when none is queued. */
size_t console_take(struct console *c, void *buf, size_t n);
/* Queue up to n bytes for the guest; returns how many fitted. */
size_t console_give(struct console *c, const void *buf, size_t n);
/* Whether the stream still flows; *why (may be NULL) gets a copy of the
 * reason of a break, to free. */
enum console_end console_status(struct console *c, char **why);

/* Stop the stream and drop the caller's reference. With graceful, end it
 * on the daemon too (an RPC: may block); without, only locally (the
 * connection is going away). */
void console_close(struct console *c, bool graceful);

#endif
