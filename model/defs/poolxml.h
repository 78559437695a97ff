/* poolxml.h — a storage pool definition (config/resdef.h) to libvirt's
 * <pool> XML and back (for export). Pure: no connection. */
#ifndef VMTUI_POOLXML_H
#define VMTUI_POOLXML_H

#include "../../config/resdef.h"

/* <pool> XML for virStoragePoolDefineXML; every string escaped. NULL with
 * *err (a new sentence) when p does not pass pooldef_check. */
char *poolxml_make(const struct pooldef *p, char **err);
/* Fill *p (start from { 0 }) from a pool's XML; start and autostart are
 * left false (the caller knows them from libvirt). -1 with *err when the
 * XML is not a pool or of a type vmtui cannot describe. */
int poolxml_read(const char *xml, struct pooldef *p, char **err);

#endif
