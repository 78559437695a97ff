/* domxml.h — read the parts of a libvirt domain XML the detail view shows. */
#ifndef VMTUI_DOMXML_H
#define VMTUI_DOMXML_H

#include "../host/host.h"

/* Parse `xml` into a new vm_config; NULL (and *err set) when malformed. */
struct vm_config *domxml_parse(const char *xml, char **err);

/* The IPv4 address a <network> XML pins to mac (its fixed DHCP host
 * entry, MACs in any case), as a new string; NULL when none. */
char *domxml_net_pinned(const char *netxml, const char *mac);

#endif
