/* osdefaults.c — libosinfo's OS database read for the keys a VM
 * definition leaves out. The database is loaded on first use (about a
 * second: hundreds of files) and kept for the process, behind one mutex
 * that every use holds: hosts' workers plan at the same time, and
 * libosinfo's objects are not made to be shared between threads. */
#include "osdefaults.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <osinfo/osinfo.h>

#include "../base/xmalloc.h"

/* ---- the database ---- */

static pthread_mutex_t db_mutex = PTHREAD_MUTEX_INITIALIZER;
static OsinfoLoader *db_loader; /* under db_mutex; loaded once, kept */

/* The database, with db_mutex held (release with db_unlock), or NULL
 * with *err set and the mutex released. A failed load is tried again
 * next time. */
static OsinfoDb *
db_lock(char **err)
{
	GError *ge = NULL;

	pthread_mutex_lock(&db_mutex);
	if (db_loader)
		return osinfo_loader_get_db(db_loader);
	db_loader = osinfo_loader_new();
	osinfo_loader_process_default_path(db_loader, &ge);
	if (ge == NULL)
		return osinfo_loader_get_db(db_loader);
	*err = xasprintf("cannot read libosinfo's OS database (install osinfo-db): %s",
	                 ge->message);
	g_error_free(ge);
	g_object_unref(db_loader);
	db_loader = NULL;
	pthread_mutex_unlock(&db_mutex);
	return NULL;
}

static void
db_unlock(void)
{
	pthread_mutex_unlock(&db_mutex);
}

/* Whether os answers to short id `id` (one OS may have several). */
static bool
has_id(OsinfoOs *os, const char *id)
{
	GList *ids = osinfo_product_get_short_id_list(OSINFO_PRODUCT(os)), *i;
	bool found = false;

	for (i = ids; i && !found; i = i->next)
		found = i->data && strcmp((const char *)i->data, id) == 0;
	g_list_free(ids);
	return found;
}

/* Edit distance of two short words (capped at 64 characters each). */
static size_t
distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, row[65], prev, tmp;

	if (la > 64 || lb > 64)
		return 99;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			row[j] = a[i - 1] == b[j - 1] ? prev
			       : 1 + (prev < row[j] ? (prev < row[j - 1] ? prev : row[j - 1])
			                            : (row[j] < row[j - 1] ? row[j] : row[j - 1]));
			prev = tmp;
		}
	}
	return row[lb];
}

struct near {
	char *id[3];
	size_t d[3];
};

/* Keep the three closest ids (ties in name order). */
static void
near_add(struct near *n, const char *id, size_t d)
{
	int i, k;

	for (i = 0; i < 3; i++)
		if (n->id[i] && strcmp(n->id[i], id) == 0)
			return;
	for (i = 0; i < 3 && n->id[i] && (n->d[i] < d || (n->d[i] == d &&
	                                                   strcmp(n->id[i], id) < 0)); i++)
		;
	if (i == 3)
		return;
	free(n->id[2]);
	for (k = 2; k > i; k--) {
		n->id[k] = n->id[k - 1];
		n->d[k] = n->d[k - 1];
	}
	n->id[i] = xstrdup(id);
	n->d[i] = d;
}

/* "unknown OS" with the closest short ids the database knows. */
static char *
unknown(OsinfoOsList *list, const char *id)
{
	struct near n = { { NULL }, { 0 } };
	size_t limit = strlen(id) / 3 > 2 ? strlen(id) / 3 : 2;
	gint i, len = osinfo_list_get_length(OSINFO_LIST(list));
	char *out, *sugg = NULL;

	for (i = 0; i < len; i++) {
		OsinfoProduct *p = OSINFO_PRODUCT(osinfo_list_get_nth(OSINFO_LIST(list), i));
		GList *ids = osinfo_product_get_short_id_list(p), *k;

		/* Closest first; among as close, the one of the same length. */
		for (k = ids; k; k = k->next)
			if (k->data && distance(id, k->data) <= limit)
				near_add(&n, k->data, distance(id, k->data) * 100 +
				         (size_t)labs((long)strlen(k->data) - (long)strlen(id)));
		g_list_free(ids);
	}
	if (n.id[0])
		sugg = xasprintf(" (did you mean %s%s%s%s%s?)", n.id[0], n.id[1] ? ", " : "",
		                 n.id[1] ? n.id[1] : "", n.id[2] ? ", " : "", n.id[2] ? n.id[2] : "");
	out = xasprintf("os: \"%s\" is not in libosinfo's database%s; osinfo-query os (package "
	                "libosinfo-bin) lists the names, and os: generic takes no defaults", id,
	                sugg ? sugg : "");
	free(sugg);
	for (i = 0; i < 3; i++)
		free(n.id[i]);
	return out;
}

/* ---- what an OS says ---- */

/* The resources of os for arch (or "all"): RAM, CPUs, storage. */
static void
read_resources(OsinfoResourcesList *rl, const char *arch, uint64_t *ram, unsigned *cpus,
               uint64_t *storage)
{
	gint i, len = rl ? osinfo_list_get_length(OSINFO_LIST(rl)) : 0;

	for (i = 0; i < len; i++) {
		OsinfoResources *r = OSINFO_RESOURCES(osinfo_list_get_nth(OSINFO_LIST(rl), i));
		const char *a = osinfo_resources_get_architecture(r);

		if (a && strcmp(a, arch) != 0 && strcmp(a, "all") != 0)
			continue;
		if (!*ram && osinfo_resources_get_ram(r) > 0)
			*ram = (uint64_t)osinfo_resources_get_ram(r);
		if (!*cpus && osinfo_resources_get_n_cpus(r) > 0)
			*cpus = (unsigned)osinfo_resources_get_n_cpus(r);
		if (!*storage && osinfo_resources_get_storage(r) > 0)
			*storage = (uint64_t)osinfo_resources_get_storage(r);
	}
}

static void
resources(OsinfoOs *os, const char *arch, struct osdefaults *d)
{
	OsinfoResourcesList *rec = osinfo_os_get_recommended_resources(os);
	OsinfoResourcesList *min = osinfo_os_get_minimum_resources(os);

	read_resources(rec, arch, &d->memory, &d->vcpus, &d->disk_size);
	read_resources(min, arch, &d->memory, &d->vcpus, &d->disk_size);
	if (rec)
		g_object_unref(rec);
	if (min)
		g_object_unref(min);
	/* libvirt counts memory in KiB: keep it whole. */
	d->memory -= d->memory % 1024;
}

/* The disk bus and NIC model the OS has drivers for, best first. */
static void
devices(OsinfoOs *os, struct osdefaults *d)
{
	static const char *const nics[] = { "virtio", "e1000e", "e1000", "rtl8139" };
	OsinfoDeviceList *dl = osinfo_os_get_all_devices(os, NULL);
	gint i, len = dl ? osinfo_list_get_length(OSINFO_LIST(dl)) : 0;
	size_t best = 4, k;

	d->disk_bus = "sata";
	for (i = 0; i < len; i++) {
		OsinfoDevice *dev = OSINFO_DEVICE(osinfo_list_get_nth(OSINFO_LIST(dl), i));
		const char *cls = osinfo_device_get_class(dev), *name = osinfo_device_get_name(dev);

		if (cls == NULL || name == NULL)
			continue;
		if (strcmp(cls, "block") == 0 && strncmp(name, "virtio", 6) == 0)
			d->disk_bus = "virtio";
		if (strcmp(cls, "net") != 0)
			continue;
		for (k = 0; k < best; k++)
			if (k == 0 ? strncmp(name, "virtio", 6) == 0 && strstr(name, "net")
			           : strcmp(name, nics[k]) == 0)
				best = k;
	}
	d->nic_model = best < 4 ? nics[best] : "e1000";
	if (dl)
		g_object_unref(dl);
}

/* UEFI when the OS refuses BIOS for arch. An OS of the Windows family
 * that does (Windows 11) also requires Secure Boot and a TPM 2.0, which
 * the database of this era does not spell out. */
static void
firmware(OsinfoOs *os, const char *arch, struct osdefaults *d)
{
	OsinfoFirmwareList *fl = osinfo_os_get_complete_firmware_list(os, NULL);
	gint i, len = fl ? osinfo_list_get_length(OSINFO_LIST(fl)) : 0;
	const char *family = osinfo_os_get_family(os);
	bool no_bios = false, efi = false;

	for (i = 0; i < len; i++) {
		OsinfoFirmware *f = OSINFO_FIRMWARE(osinfo_list_get_nth(OSINFO_LIST(fl), i));
		const char *a = osinfo_firmware_get_architecture(f);
		const char *t = osinfo_firmware_get_firmware_type(f);

		if (t == NULL || (a && strcmp(a, arch) != 0))
			continue;
		if (strcmp(t, "bios") == 0 && !osinfo_firmware_is_supported(f))
			no_bios = true;
		if (strcmp(t, "efi") == 0 && osinfo_firmware_is_supported(f))
			efi = true;
	}
	d->efi = no_bios && efi;
	d->secure_boot = d->tpm = d->efi && family && strcmp(family, "winnt") == 0;
	if (fl)
		g_object_unref(fl);
}

/* Look id up in an open database. */
static int
lookup_in(OsinfoDb *db, const char *id, const char *arch, struct osdefaults *d, char **err)
{
	OsinfoOsList *list = osinfo_db_get_os_list(db);
	gint i, len = osinfo_list_get_length(OSINFO_LIST(list));
	OsinfoOs *os = NULL;
	const char *name;

	memset(d, 0, sizeof *d);
	for (i = 0; i < len && os == NULL; i++) {
		OsinfoOs *o = OSINFO_OS(osinfo_list_get_nth(OSINFO_LIST(list), i));

		if (has_id(o, id))
			os = o;
	}
	if (os == NULL) {
		*err = unknown(list, id);
		g_object_unref(list);
		return -1;
	}
	d->id = xstrdup(id);
	name = osinfo_product_get_name(OSINFO_PRODUCT(os));
	d->name = xstrdup(name ? name : id);
	arch = arch ? arch : "x86_64";
	resources(os, arch, d);
	devices(os, d);
	firmware(os, arch, d);
	g_object_unref(list);
	return 0;
}

int
osdefaults_lookup(const char *id, const char *arch, struct osdefaults *out, char **err)
{
	OsinfoDb *db;
	int rc;

	*err = NULL;
	memset(out, 0, sizeof *out);
	if ((db = db_lock(err)) == NULL)
		return -1;
	rc = lookup_in(db, id, arch, out, err);
	db_unlock();
	return rc;
}

void
osdefaults_free(struct osdefaults *d)
{
	if (d == NULL)
		return;
	free(d->id);
	free(d->name);
	memset(d, 0, sizeof *d);
}

/* ---- definitions ---- */

static void
add_err(struct vmdef_file *f, struct config_errors *e, const struct vmdef_pos *p,
        const char *msg)
{
	e->v = xreallocarray(e->v, e->n + 1, sizeof *e->v);
	e->v[e->n++] = xasprintf("%s:%u:%u: %s", p->file ? p->file : "?", p->line, p->col, msg);
	f->nerrors++;
}

static void
set_str(char **s, const char *v)
{
	free(*s);
	*s = xstrdup(v);
}

/* Fill vm's left-out keys from d. */
static void
apply_defaults(struct vmdef *vm, const struct osdefaults *d)
{
	size_t i;

	if (!(vm->given & VMDEF_OS_MEMORY) && d->memory >= 1024 * 1024) {
		vm->memory = vm->max_memory = d->memory;
		vm->from_os |= VMDEF_OS_MEMORY;
	}
	if (!(vm->given & VMDEF_OS_VCPUS) && d->vcpus > 1 && d->vcpus <= 4096) {
		vm->vcpus = vm->max_vcpus = d->vcpus;
		vm->from_os |= VMDEF_OS_VCPUS;
	}
	for (i = 0; i < vm->ndisks; i++) {
		struct vmdef_disk *k = &vm->disks[i];

		if (k->size_from_os) {
			if (d->disk_size)
				k->size = d->disk_size;
			vm->from_os |= VMDEF_OS_DISK;
		}
		if (!k->bus_given && strcmp(k->bus, d->disk_bus) != 0) {
			set_str(&k->bus, d->disk_bus);
			vm->from_os |= VMDEF_OS_DISK_BUS;
		}
	}
	for (i = 0; i < vm->nnets; i++)
		if (!vm->nets[i].model_given && strcmp(vm->nets[i].model, d->nic_model) != 0) {
			set_str(&vm->nets[i].model, d->nic_model);
			vm->from_os |= VMDEF_OS_NIC_MODEL;
		}
	if (!(vm->given & VMDEF_OS_FIRMWARE) && d->efi) {
		vm->firmware = VMDEF_FW_EFI;
		vm->from_os |= VMDEF_OS_FIRMWARE;
	}
	if (!(vm->given & VMDEF_OS_SECURE_BOOT) && d->secure_boot && vm->firmware == VMDEF_FW_EFI) {
		vm->secure_boot = true;
		vm->from_os |= VMDEF_OS_SECURE_BOOT;
	}
	if (!(vm->given & VMDEF_OS_TPM) && d->tpm) {
		vm->tpm = VMDEF_TPM_CRB;
		vm->from_os |= VMDEF_OS_TPM;
	}
}

size_t
osdefaults_fill(struct vmdef_file *f, struct config_errors *errs)
{
	OsinfoDb *db = NULL;
	struct osdefaults d;
	size_t i, before = errs->n;
	char *err = NULL;

	for (i = 0; i < f->nvms; i++) {
		struct vmdef *vm = &f->vms[i];

		if (vm->os == NULL || strcmp(vm->os, "generic") == 0)
			continue;
		if (db == NULL && (db = db_lock(&err)) == NULL) {
			add_err(f, errs, &vm->os_pos, err);
			free(err);
			return errs->n - before;
		}
		if (lookup_in(db, vm->os, vm->arch, &d, &err) < 0) {
			add_err(f, errs, &vm->os_pos, err);
			free(err);
			err = NULL;
			continue;
		}
		apply_defaults(vm, &d);
		osdefaults_free(&d);
	}
	if (db)
		db_unlock();
	return errs->n - before;
}

char *
osdefaults_describe(const struct vmdef *vm)
{
	char buf[512], size[32];
	size_t len = 0, i;

#define ADD(...) len += (size_t)snprintf(buf + len, sizeof buf - len, __VA_ARGS__)
	buf[0] = '\0';
	if (vm->from_os & VMDEF_OS_MEMORY) {
		snprintf(size, sizeof size, "%" PRIu64 "M", vm->memory >> 20);
		ADD("%smemory %s", len ? ", " : "", size);
	}
	if (vm->from_os & VMDEF_OS_VCPUS)
		ADD("%s%u vCPUs", len ? ", " : "", vm->vcpus);
	for (i = 0; (vm->from_os & VMDEF_OS_DISK) && i < vm->ndisks; i++)
		if (vm->disks[i].size_from_os)
			ADD("%sa disk of %" PRIu64 "G", len ? ", " : "", vm->disks[i].size >> 30);
	if ((vm->from_os & VMDEF_OS_DISK_BUS) && vm->ndisks)
		ADD("%sdisk bus %s", len ? ", " : "", vm->disks[0].bus);
	if ((vm->from_os & VMDEF_OS_NIC_MODEL) && vm->nnets)
		ADD("%sNIC model %s", len ? ", " : "", vm->nets[0].model);
	if (vm->from_os & VMDEF_OS_FIRMWARE)
		ADD("%sfirmware efi", len ? ", " : "");
	if (vm->from_os & VMDEF_OS_SECURE_BOOT)
		ADD("%sSecure Boot", len ? ", " : "");
	if (vm->from_os & VMDEF_OS_TPM)
		ADD("%sTPM 2.0", len ? ", " : "");
#undef ADD
	return len ? xstrdup(buf) : NULL;
}
