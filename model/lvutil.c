/* lvutil.c — libvirt's last error as one line, a domain by UUID or name, a
 * volume by path (see lvutil.h). */
#include "lvutil.h"

#include <stdlib.h>
#include <string.h>
#include <libvirt/virterror.h>

#include "vm.h"
#include "xmalloc.h"

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
