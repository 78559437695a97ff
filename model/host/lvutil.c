/* lvutil.c — libvirt started and connections opened the one way, its last
 * error as one line, a domain by UUID or name, a volume by path (see
 * lvutil.h). */
#include "lvutil.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <libvirt/virterror.h>

#include "../base/notify.h"
#include "../base/xmalloc.h"
#include "../stats/vm.h"
#include "eventloop.h"

static pthread_once_t started = PTHREAD_ONCE_INIT;
static int start_rc;        /* virInitialize's */
static bool events_on;      /* the UI thread's */

/* libvirt would print every error on stderr; we read and report them. */
static void
quiet(void *data, virErrorPtr err)
{
	(void)data;
	(void)err;
}

/* Once per process: the quiet handler first, then libvirt. */
static void
start_once(void)
{
	virSetErrorFunc(NULL, quiet);
	start_rc = virInitialize();
}

int
lv_start(bool events)
{
	pthread_once(&started, start_once);
	if (start_rc < 0)
		return -1;
	if (!events || events_on)
		return 0;
	if (notify_init() < 0 || eventloop_start() < 0)
		return -1;
	events_on = true;
	return 0;
}

void
lv_stop(void)
{
	if (!events_on)
		return;
	eventloop_stop();
	notify_close();
	events_on = false;
}

virConnectPtr
lv_open(const char *uri, bool readonly, virConnectAuthPtr auth)
{
	if (lv_start(false) < 0)
		return NULL;
	return virConnectOpenAuth(uri, auth ? auth : virConnectAuthPtrDefault,
	                          readonly ? VIR_CONNECT_RO : 0);
}

char *
lv_err_line(void)
{
	const char *m = virGetLastErrorMessage();
	size_t n = m ? strlen(m) : 0;
	char *r, *q;

	while (n > 0 && (m[n - 1] == '.' || m[n - 1] == '\n' || m[n - 1] == ' '))
		n--;
	if (n == 0)
		return xstrdup("unknown error");
	r = xstrndup(m, n);
	for (q = r; *q; q++)
		if (*q == '\n' || *q == '\t' || *q == '\r')
			*q = ' ';
	return r;
}

virDomainPtr
lv_domain_lookup(virConnectPtr conn, const char *vm, char **err)
{
	virDomainPtr dom = NULL;

	if (strlen(vm) == VM_UUID_LEN - 1)
		dom = virDomainLookupByUUIDString(conn, vm);
	if (dom == NULL)
		dom = virDomainLookupByName(conn, vm);
	if (dom == NULL && err != NULL)
		*err = xasprintf("There is no guest \"%s\" on this host; check the name with virsh "
		                 "list --all.", vm);
	return dom;
}

virStorageVolPtr
lv_vol_by_path(virConnectPtr conn, const char *path)
{
	virStorageVolPtr v = virStorageVolLookupByPath(conn, path);
	virStoragePoolPtr *pools = NULL;
	int n, i;

	if (v)
		return v;
	n = virConnectListAllStoragePools(conn, &pools, VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE);
	for (i = 0; i < n; i++) {
		virStoragePoolRefresh(pools[i], 0);
		virStoragePoolFree(pools[i]);
	}
	free(pools);
	return virStorageVolLookupByPath(conn, path);
}
