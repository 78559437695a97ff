/* replay.h — `vmtui --replay FILE`: a recording (recording.h) played back
 * into hosts that look connected but have no worker and no libvirt, at
 * the recorded pace times a speed, so the usual views show it. */
#ifndef VMTUI_REPLAY_H
#define VMTUI_REPLAY_H

#include <stdbool.h>
#include <stddef.h>

#include "../host/host.h"
#include "recording.h"

struct replay;

/* Take over rec (its samples; the caller still frees what is left with
 * recording_free) and make one replay host per host of the recording, in
 * order of appearance, into *hosts (the caller frees them with host_free
 * after replay_stop). */
struct replay *replay_new(struct recording *rec, double speed, size_t history,
                          struct host ***hosts, size_t *nhosts);
/* Play from the first sample on a thread of its own. */
void replay_start(struct replay *rp);
/* Stop the thread; the hosts keep what they show. */
void replay_stop(struct replay *rp);
void replay_free(struct replay *rp);

void replay_toggle_pause(struct replay *rp);
/* Multiply the speed by factor (kept within 1/16..1024); returns it. */
double replay_speed_by(struct replay *rp, double factor);
/* "REPLAY 2026-11-24 14:16:35Z x2 paused": the time of the newest sample
 * shown, the speed, and paused or at the end. */
void replay_describe(struct replay *rp, char *buf, size_t n);

/* Put one sample into a replay host (h->replay), with its lock held; the
 * caller publishes it with host_publish_unlock. Public for tests. */
void replay_apply(struct host *h, const struct rec_sample *s, uint64_t now_ns);

#endif
