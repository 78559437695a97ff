/* eventloop.h — libvirt's default event loop, run on a thread of its own so
 * domain events and connection-close notices arrive while the UI waits. */
#ifndef VMTUI_EVENTLOOP_H
#define VMTUI_EVENTLOOP_H

int eventloop_start(void);  /* 0, or -1 if libvirt refused */
void eventloop_stop(void);

#endif
