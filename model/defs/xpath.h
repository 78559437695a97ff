/* xpath.h — reading libvirt's XML quietly and taking string values of
 * XPath expressions and node counts, shared by the model's XML readers. */
#ifndef VMTUI_XPATH_H
#define VMTUI_XPATH_H

#include <libxml/tree.h>
#include <libxml/xpath.h>

/* The document in xml (name is for libxml2's messages), without network
 * access, errors or warnings printed; NULL if it is not well-formed. */
xmlDocPtr xml_read_quiet(const char *xml, const char *name);

/* The string value of expr at ctx's current node, as a new string; NULL
 * when it is empty or not a string. */
char *xpath_str(xmlXPathContextPtr ctx, const char *expr);

/* xpath_str relative to node (NULL: the document), which becomes ctx's
 * current node. */
char *xpath_str_at(xmlXPathContextPtr ctx, xmlNodePtr node, const char *expr);

/* The number of nodes expr selects at ctx's current node (0 when it
 * selects none or is not a node set). */
int xpath_count(xmlXPathContextPtr ctx, const char *expr);

#endif
