/* poolcreate.c — a storage pool made from its definition (config/resdef.h):
 * defined from poolxml_make's XML, built, started, marked autostart. */
#include "pool.h"

#include <stdlib.h>
#include <string.h>
#include <libvirt/virterror.h>

#include "../base/msglog.h"
#include "../base/xmalloc.h"
#include "../defs/poolxml.h"
#include "../host/lvutil.h"

char *
pool_create_virsh(const char *uri, const struct pooldef *d)
{
	const char *argv[24];
	char *s;
	int n = 0;

	argv[n++] = "pool-define-as";
	argv[n++] = d->name;
	argv[n++] = d->type;
#define OPT(flag, v) \
	do { \
		if ((v) != NULL) { \
			argv[n++] = flag; \
			argv[n++] = (v); \
		} \
	} while (0)
	OPT("--source-host", d->source_host);
	OPT("--source-path", d->source_dir);
	OPT("--source-dev", d->source_device);
	OPT("--source-name", d->source_name);
	OPT("--source-format", d->source_format);
	OPT("--target", d->path);
#undef OPT
	while (n < 24)
		argv[n++] = NULL;
	s = msglog_virsh(uri, argv[0], argv[1], argv[2], argv[3], argv[4], argv[5], argv[6],
	                 argv[7], argv[8], argv[9], argv[10], argv[11], argv[12], argv[13],
	                 argv[14], (char *)NULL);
	return s;
}

int
pool_create(virConnectPtr conn, const char *uri, const struct pooldef *d, bool log,
            char **result, char **err)
{
	virStoragePoolPtr sp;
	char *xml, *virsh, *e;
	bool built = false, started = false;
	int rc = -1;

	*result = NULL;
	if ((xml = poolxml_make(d, err)) == NULL)
		return -1;
	if ((sp = virStoragePoolLookupByName(conn, d->name)) != NULL) {
		virStoragePoolFree(sp);
		free(xml);
		*err = xasprintf("A storage pool named %s exists already; pick another name.",
		                 d->name);
		return -1;
	}
	virResetLastError();
	sp = virStoragePoolDefineXML(conn, xml, 0);
	free(xml);
	virsh = pool_create_virsh(uri, d);
	if (sp == NULL) {
		e = lv_err_line();
		*err = xasprintf("Cannot define storage pool %s: %s.", d->name, e);
		free(e);
	}
	if (log)
		msglog_action(virsh, sp ? NULL : *err, "pool %s: define (%s)", d->name, d->type);
	free(virsh);
	if (sp == NULL)
		return -1;
	if (d->build && pool_step(virStoragePoolBuild(sp, 0), uri, d->name, POOL_BUILD, "build", log,
	                     err) < 0)
		goto undo;
	built = d->build;
	if (d->start && pool_step(virStoragePoolCreate(sp, 0), uri, d->name, POOL_START, "start", log,
	                     err) < 0)
		goto undo;
	started = d->start;
	if (d->autostart && pool_step(virStoragePoolSetAutostart(sp, 1), uri, d->name,
	                         POOL_AUTOSTART_ON, "set autostart on", log, err) < 0)
		goto undo;
	*result = xasprintf("Storage pool %s (%s) created%s%s%s.", d->name, d->type,
	                    built ? ", built" : "", started ? ", started" : "",
	                    d->autostart ? ", starts at host boot" : "");
	rc = 0;
	goto cleanup;

undo:
	/* Leave no half pool: what this call made goes again. */
	if (started)
		virStoragePoolDestroy(sp);
	if (built && strcmp(d->type, "dir") == 0)
		virStoragePoolDelete(sp, 0);
	virStoragePoolUndefine(sp);
	virResetLastError();

cleanup:
	virStoragePoolFree(sp);
	return rc;
}
