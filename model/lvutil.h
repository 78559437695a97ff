/* lvutil.h — small libvirt helpers for the model's worker-thread code:
 * the last error as one line, a domain by UUID or name, a volume by path. */
#ifndef VMTUI_LVUTIL_H
#define VMTUI_LVUTIL_H

#include <libvirt/libvirt.h>

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
