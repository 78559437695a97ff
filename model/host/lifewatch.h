/* lifewatch.h — follow shutdown and reboot requests until the guest does
 * them. libvirt accepting a shutdown or reboot only means the request was
 * passed on (an ACPI power button press, or the guest agent): the guest's
 * OS may take its time, or ignore it. Each accepted request is watched
 * until the guest's state shows it done, and the outcome goes to the
 * message log: "web1 shut off (after 12 s)", "web1 rebooted (after 3 s)",
 * or, when the wait passes first, that the guest still runs and which key
 * forces it off. A request still pending after its warning is followed on
 * until it is done or another action is taken on the guest.
 *
 * Not thread-safe: a host keeps one and guards it with its lock; its
 * worker feeds requests and refreshes, the event thread lifecycle and
 * reboot events. */
#ifndef VMTUI_LIFEWATCH_H
#define VMTUI_LIFEWATCH_H

#include <stddef.h>
#include <stdint.h>

#include "../guest/actions.h"
#include "../stats/vm.h"

/* How long a guest has to do a shutdown or reboot before vmtui says it
 * has not, unless config.yaml's shutdown_wait says otherwise. */
#define LIFEWATCH_WAIT_DEFAULT_MS 60000u

struct lifewatch;

/* wait_ms: the wait before the warning (0: the default). force_key and
 * start_key: the keys that force a guest off and start it, named in the
 * warning, or NULL when none is bound. */
struct lifewatch *lifewatch_new(unsigned wait_ms, const char *force_key, const char *start_key);
void lifewatch_free(struct lifewatch *w);

/* An action on the guest's state (start, force off, pause...) is about to
 * run: stop following the guest, the user took over. Called before the
 * action, so that its events are not taken for the guest doing what was
 * asked earlier. */
void lifewatch_forget(struct lifewatch *w, const char *uuid);
/* libvirt accepted action a (ACT_SHUTDOWN or ACT_REBOOT; any other is
 * lifewatch_forget) for the guest at monotonic time now_ns: follow it,
 * instead of any earlier request of that guest. id: the guest's domain ID
 * then (-1: not known). */
void lifewatch_request(struct lifewatch *w, const char *uuid, const char *name,
                       enum action a, int id, uint64_t now_ns);
/* A lifecycle event put the guest in state st. */
void lifewatch_event(struct lifewatch *w, const char *uuid, enum vm_state st, uint64_t now_ns);
/* libvirt's reboot event for the guest came. */
void lifewatch_rebooted(struct lifewatch *w, const char *uuid, uint64_t now_ns);
/* After a refresh: the guests as sampled (vms sorted by UUID; a followed
 * guest missing from them has gone), then the deadlines passed. */
void lifewatch_refresh(struct lifewatch *w, struct vm *const *vms, size_t n, uint64_t now_ns);
/* The next deadline (monotonic ns), or 0 when none is pending: a refresh
 * then lets the warning come in time. */
uint64_t lifewatch_due(const struct lifewatch *w);
/* How many requests are followed. */
size_t lifewatch_count(const struct lifewatch *w);

#endif
