/* eventloop.h — vmtui's own implementation of libvirt's event loop, run on
 * a thread of its own so domain events, connection-close notices and
 * console streams arrive while the UI waits. */
#ifndef VMTUI_EVENTLOOP_H
#define VMTUI_EVENTLOOP_H

#include <stdbool.h>

int eventloop_start(void);  /* 0, or -1 if the loop cannot start */
void eventloop_stop(void);

/* While on, libvirt's requests for a file watch made on the calling thread
 * are refused. libvirt's remote driver then runs a connection opened
 * meanwhile without the loop: no events, no keepalive, its IO done by the
 * thread making each call. Off again before doing anything else. */
void eventloop_deny_watches(bool on);

/* The descriptor of the last watch refused on this thread (the connection's
 * socket), or -1. */
int eventloop_denied_fd(void);

/* How many times the loop's poll() has returned: for tests and benchmarks
 * that check the loop is not woken for nothing. */
unsigned long eventloop_wakeups(void);

#endif
