/* poolxml.c — a storage pool definition as libvirt's <pool> XML, written
 * with xmlTextWriter (which escapes every string), and a pool's XML read
 * back through XPath (see poolxml.h). */
#include "poolxml.h"

#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "../base/xmalloc.h"
#include "xpath.h"
#include "xwrite.h"

static bool
is(const char *type, const char *t)
{
	return strcmp(type, t) == 0;
}

static bool
in_types(const char *t)
{
	const char *const *k;

	for (k = pooldef_types; *k; k++)
		if (strcmp(*k, t) == 0)
			return true;
	return false;
}

/* The target path libvirt is given: the definition's, or the type's
 * usual one. The result is p's or static, except logical's (*own). */
static const char *
target_path(const struct pooldef *p, char **own)
{
	*own = NULL;
	if (p->path)
		return p->path;
	if (is(p->type, "logical"))
		return *own = xasprintf("/dev/%s", p->source_name ? p->source_name : p->name);
	if (is(p->type, "iscsi"))
		return "/dev/disk/by-path";
	return "/dev"; /* disk */
}

/* <source> for every type but dir. */
static void
w_source(struct xw *x, const struct pooldef *p)
{
	const char *fmt = p->source_format;

	if (is(p->type, "dir"))
		return;
	xw_start(x, "source");
	if (p->source_host)
		xw_empty(x, "host", "name", p->source_host);
	if (is(p->type, "netfs"))
		xw_empty(x, "dir", "path", p->source_dir);
	if (is(p->type, "iscsi"))
		xw_empty(x, "device", "path", p->source_dir);
	if (p->source_device)
		xw_empty(x, "device", "path", p->source_device);
	if (is(p->type, "logical"))
		xw_elem(x, "name", p->source_name ? p->source_name : p->name);
	if (fmt == NULL && is(p->type, "netfs"))
		fmt = "nfs";
	if (fmt == NULL && is(p->type, "fs"))
		fmt = "auto";
	if (fmt)
		xw_empty(x, "format", "type", fmt);
	xw_end(x);
}

/* Whether every string of p can be written as XML. */
static bool
strings_ok(const struct pooldef *p)
{
	return xw_ok(p->name) && xw_ok(p->path) && xw_ok(p->source_host) &&
	       xw_ok(p->source_dir) && xw_ok(p->source_device) &&
	       xw_ok(p->source_name) && xw_ok(p->source_format);
}

char *
poolxml_make(const struct pooldef *p, char **err)
{
	struct xw x;
	const char *why;
	char *own, *out;

	*err = NULL;
	if ((why = pooldef_check(p)) != NULL) {
		*err = xasprintf("pool %s: %s.", p->name ? p->name : "(no name)", why);
		return NULL;
	}
	if (!strings_ok(p)) {
		*err = xasprintf("pool %s: a value holds a character XML cannot carry.", p->name);
		return NULL;
	}
	if (xw_open(&x) < 0) {
		*err = xstrdup("Cannot create an XML writer.");
		return NULL;
	}
	xw_start(&x, "pool");
	xw_attr(&x, "type", p->type);
	xw_elem(&x, "name", p->name);
	w_source(&x, p);
	xw_start(&x, "target");
	xw_elem(&x, "path", target_path(p, &own));
	free(own);
	xw_end(&x); /* target */
	xw_end(&x); /* pool */
	if ((out = xw_close(&x)) == NULL)
		*err = xasprintf("Cannot write the XML of pool %s.", p->name);
	return out;
}

/* Read the source fields; -1 with *err for what a pooldef cannot say. */
static int
read_source(xmlXPathContextPtr ctx, struct pooldef *p, char **err)
{
	char *dev;

	if (xpath_count(ctx, "/pool/source/device") > 1 ||
	    xpath_count(ctx, "/pool/source/host") > 1) {
		*err = xasprintf("Pool %s has several source devices or hosts, which "
		                 "vmtui.yaml cannot describe.", p->name);
		return -1;
	}
	p->source_host = xpath_str(ctx, "string(/pool/source/host/@name)");
	dev = xpath_str(ctx, "string(/pool/source/device/@path)");
	if (is(p->type, "iscsi"))
		p->source_dir = dev;
	else {
		p->source_device = dev;
		if (is(p->type, "netfs"))
			p->source_dir = xpath_str(ctx, "string(/pool/source/dir/@path)");
	}
	if (is(p->type, "logical")) {
		p->source_name = xpath_str(ctx, "string(/pool/source/name)");
		if (p->source_name && strcmp(p->source_name, p->name) == 0) {
			free(p->source_name);
			p->source_name = NULL;
		}
	}
	if (!is(p->type, "dir") && !is(p->type, "iscsi"))
		p->source_format = xpath_str(ctx, "string(/pool/source/format/@type)");
	return 0;
}

int
poolxml_read(const char *xml, struct pooldef *p, char **err)
{
	xmlDocPtr doc = xml_read_quiet(xml, "pool.xml");
	xmlXPathContextPtr ctx = NULL;
	const char *why;
	int rc = -1;

	*err = NULL;
	if (doc == NULL || (ctx = xmlXPathNewContext(doc)) == NULL ||
	    xpath_count(ctx, "/pool") != 1) {
		*err = xstrdup("This is not a storage pool's XML.");
		goto cleanup;
	}
	p->name = xpath_str(ctx, "string(/pool/name)");
	p->type = xpath_str(ctx, "string(/pool/@type)");
	if (p->name == NULL || p->type == NULL) {
		*err = xstrdup("The pool's XML has no name or no type.");
		goto cleanup;
	}
	if (!in_types(p->type)) {
		*err = xasprintf("Pool %s is of type %s, which vmtui.yaml cannot describe "
		                 "(it knows dir, fs, netfs, logical, disk, iscsi).", p->name, p->type);
		goto cleanup;
	}
	p->path = xpath_str(ctx, "string(/pool/target/path)");
	if (read_source(ctx, p, err) < 0)
		goto cleanup;
	p->build = is(p->type, "dir");
	if ((why = pooldef_check(p)) != NULL) {
		*err = xasprintf("Pool %s cannot be described: %s.", p->name, why);
		goto cleanup;
	}
	rc = 0;

cleanup:
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return rc;
}
