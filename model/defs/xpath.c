/* xpath.c — quiet XML reading, XPath string values and node counts
 * (see xpath.h). */
#include "xpath.h"

#include <string.h>
#include <libxml/parser.h>

#include "../base/xmalloc.h"

xmlDocPtr
xml_read_quiet(const char *xml, const char *name)
{
	return xmlReadMemory(xml, (int)strlen(xml), name, NULL,
	                     XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

char *
xpath_str(xmlXPathContextPtr ctx, const char *expr)
{
	xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, ctx);
	char *s = NULL;

	if (o && o->type == XPATH_STRING && o->stringval && o->stringval[0])
		s = xstrdup((const char *)o->stringval);
	xmlXPathFreeObject(o);
	return s;
}

char *
xpath_str_at(xmlXPathContextPtr ctx, xmlNodePtr node, const char *expr)
{
	ctx->node = node;
	return xpath_str(ctx, expr);
}

int
xpath_count(xmlXPathContextPtr ctx, const char *expr)
{
	xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, ctx);
	int n = 0;

	if (o && o->type == XPATH_NODESET && o->nodesetval)
		n = o->nodesetval->nodeNr;
	xmlXPathFreeObject(o);
	return n;
}
