/* lvutil.h — small libvirt helpers: the one way vmtui starts libvirt and
 * opens connections (the screen, every subcommand, the host workers); and
 * for the model's worker-thread code the last error as one line, a domain
 * by UUID or name, a volume by path. */
#ifndef VMTUI_LVUTIL_H
#define VMTUI_LVUTIL_H

#include <stdbool.h>
#include <libvirt/libvirt.h>

/* Ready libvirt for this process: its errors are kept for us to read and
 * report, never printed (they would land on the screen); with events,
 * also the self-pipe (model/base/notify.h) and libvirt's event loop
 * (model/host/eventloop.h), which streams, lifecycle events and keepalive
 * need. Call before any connection; again with events to add them.
 * Returns -1 when libvirt or the event loop cannot start. */
int lv_start(bool events);

/* Stop what lv_start(true) started (the event loop, the self-pipe); a
 * no-op otherwise. */
void lv_stop(void);

/* Open uri (NULL: $LIBVIRT_DEFAULT_URI, else libvirt's default),
 * read-only or not, answering credential questions with auth (NULL:
 * libvirt's default callbacks). Starts libvirt (lv_start(false)) when
 * nobody has. NULL on failure: libvirt's last error says why. */
virConnectPtr lv_open(const char *uri, bool readonly, virConnectAuthPtr auth);

/* libvirt's last error on this thread as one line (tabs and newlines made
 * spaces; qemu-img's output spans lines), without a final period, as a new
 * string; "unknown error" when there is none. */
char *lv_err_line(void);

/* The domain vm, by UUID when it looks like one, else by name. When there
 * is none and err is not NULL, *err says so (a new string). */
virDomainPtr lv_domain_lookup(virConnectPtr conn, const char *vm, char **err);

/* The storage volume holding path; when none does, the active pools are
 * refreshed once and it is looked up again. NULL if still none. */
virStorageVolPtr lv_vol_by_path(virConnectPtr conn, const char *path);

#endif
