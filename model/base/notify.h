/* notify.h — wake the UI thread from model threads through a pipe the UI
 * polls, so model code never touches the screen. */
#ifndef VMTUI_NOTIFY_H
#define VMTUI_NOTIFY_H

int notify_init(void);      /* 0 or -1 with errno */
int notify_fd(void);        /* read end, for poll() */
void notify_post(void);     /* async-signal-safe */
void notify_drain(void);
void notify_close(void);

#endif
