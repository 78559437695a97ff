/* netxml.h — a virtual network definition (config/resdef.h) to libvirt's
 * <network> XML and back (for export), and the pieces virNetworkUpdate
 * takes. Pure: no connection. */
#ifndef VMTUI_NETXML_H
#define VMTUI_NETXML_H

#include "../../config/resdef.h"

/* <network> XML for virNetworkDefineXML; every string escaped. NULL with
 * *err (a new sentence) when n does not pass netdef_check. */
char *netxml_make(const struct netdef *n, char **err);
/* Fill *n (start from { 0 }) from a network's XML (fixed DHCP hosts
 * included); start and autostart are left false. -1 with *err when it is
 * not a network. */
int netxml_read(const char *xml, struct netdef *n, char **err);
/* "<host mac='..' ip='..' name='..'/>" for VIR_NETWORK_SECTION_IP_DHCP_HOST
 * (name may be NULL). */
char *netxml_dhcp_host(const char *mac, const char *ip, const char *name);

#endif
