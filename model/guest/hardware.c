/* hardware.c — a guest's devices live and saved, and the disk, CD-ROM and
 * NIC changes planned, built from the host and applied (see hardware.h). */
#include "hardware.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <libvirt/virterror.h>

#include "../base/msglog.h"
#include "../base/xmalloc.h"
#include "../host/guestuse.h"
#include "../host/lvutil.h"

/* ---- the devices, live and saved ---- */

const char *
hw_diff_text(enum hw_diff d)
{
	switch (d) {
	case HWD_LIVE_ONLY:
		return "now only";
	case HWD_SAVED_ONLY:
		return "next boot";
	case HWD_CHANGED:
		return "changed at next boot";
	default:
		return "";
	}
}

const struct dev *
hw_item_dev(const struct hw_item *it)
{
	return it->live ? it->live : it->saved;
}

/* Insert an item at position at. */
static void
insert_item(struct hw_devices *h, size_t at, struct hw_item it)
{
	h->v = xreallocarray(h->v, h->n + 1, sizeof *h->v);
	memmove(&h->v[at + 1], &h->v[at], (h->n - at) * sizeof *h->v);
	h->v[at] = it;
	h->n++;
}

/* Merge: every device of the running guest in its order, each matched with
 * the saved one of the same key; the saved-only ones after the item of
 * the saved device before them. */
static void
merge(struct hw_devices *h)
{
	const struct dev_list *first = h->running ? &h->live : &h->saved;
	const struct dev_list *other = h->running ? &h->saved : NULL;
	size_t i, k;

	for (i = 0; i < first->n; i++) {
		struct hw_item it = { 0 };
		const struct dev *o = other ? dev_list_find(other, first->v[i].key) : NULL;
		if (h->running) {
			it.live = &first->v[i];
			it.saved = o;
		} else {
			it.saved = &first->v[i];
		}
		if (h->running && h->persistent)
			it.diff = o == NULL ? HWD_LIVE_ONLY :
			          strcmp(o->summary, first->v[i].summary) ? HWD_CHANGED : HWD_SAME;
		insert_item(h, h->n, it);
	}
	for (i = 0; other && i < other->n; i++) {
		size_t at = 0;
		if (dev_list_find(first, other->v[i].key) != NULL)
			continue;
		if (i > 0)
			for (k = 0; k < h->n; k++)
				if (h->v[k].saved == &other->v[i - 1])
					at = k + 1;
		insert_item(h, at, (struct hw_item){ .saved = &other->v[i], .diff = HWD_SAVED_ONLY });
	}
}

int
hw_devices_set(struct hw_devices *h, const char *vm, const char *live_xml,
               const char *saved_xml, char **err)
{
	memset(h, 0, sizeof *h);
	*err = NULL;
	h->vm = xstrdup(vm ? vm : "");
	h->running = live_xml != NULL;
	h->persistent = saved_xml != NULL;
	h->live_xml = live_xml ? xstrdup(live_xml) : NULL;
	h->saved_xml = saved_xml ? xstrdup(saved_xml) : NULL;
	if ((live_xml && devxml_parse(live_xml, &h->live, err) < 0) ||
	    (saved_xml && devxml_parse(saved_xml, &h->saved, err) < 0)) {
		hw_devices_free(h);
		return -1;
	}
	merge(h);
	return 0;
}

int
hw_devices_read(virDomainPtr d, struct hw_devices *h, char **err)
{
	char *live = NULL, *saved = NULL;
	int active = virDomainIsActive(d), persistent = virDomainIsPersistent(d), rc = -1;

	memset(h, 0, sizeof *h);
	if (active < 0 || persistent < 0)
		goto bad;
	if (active == 1 && (live = virDomainGetXMLDesc(d, 0)) == NULL)
		goto bad;
	if (persistent == 1 &&
	    (saved = virDomainGetXMLDesc(d, active == 1 ? VIR_DOMAIN_XML_INACTIVE : 0)) == NULL)
		goto bad;
	rc = hw_devices_set(h, virDomainGetName(d), live, saved, err);
	goto done;
bad:
	{
		char *why = lv_err_line();
		*err = xasprintf("Cannot read the devices of %s: %s.", virDomainGetName(d), why);
		free(why);
	}
done:
	free(live);
	free(saved);
	return rc;
}

void
hw_devices_free(struct hw_devices *h)
{
	if (h == NULL)
		return;
	free(h->vm);
	free(h->live_xml);
	free(h->saved_xml);
	dev_list_free(&h->live);
	dev_list_free(&h->saved);
	free(h->v);
	memset(h, 0, sizeof *h);
}

const struct hw_item *
hw_devices_lookup(const struct hw_devices *h, const char *name)
{
	const struct dev *l = dev_list_lookup(&h->live, name);
	const struct dev *s = dev_list_lookup(&h->saved, name);
	size_t i;

	for (i = 0; i < h->n; i++)
		if ((l && h->v[i].live == l) || (s && h->v[i].saved == s))
			return &h->v[i];
	return NULL;
}

/* ---- planning ---- */

static int
refuse(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
refuse(char **err, const char *fmt, ...)
{
	va_list ap, aq;
	int n;

	va_start(ap, fmt);
	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	*err = xcalloc((size_t)(n > 0 ? n : 0) + 1, 1);
	vsnprintf(*err, (size_t)(n > 0 ? n : 0) + 1, fmt, ap);
	va_end(ap);
	return -1;
}

static bool
given(const char *s)
{
	return s != NULL && s[0] != '\0';
}

static bool
hotpluggable_bus(const char *bus)
{
	return bus == NULL || (strcmp(bus, "sata") != 0 && strcmp(bus, "ide") != 0);
}

/* Where a change goes: asked (0: the default) against what the guest is.
 * why_not_live: NULL when the change can be made live, else the reason
 * ("SATA drives cannot be hot-plugged"). -1 with *err. */
static int
decide_when(const struct hw_devices *h, unsigned asked, const char *why_not_live,
            unsigned *when, char **err)
{
	if ((asked & HW_LIVE) && !h->running)
		return refuse(err, "%s is not running: nothing can change now; without --live the "
		              "change is saved for the next boot.", h->vm);
	if ((asked & HW_LIVE) && why_not_live)
		return refuse(err, "%s: it can only be saved for the next boot (--config).",
		              why_not_live);
	if ((asked & HW_CONFIG) && !h->persistent)
		return refuse(err, "%s is transient: it has no saved configuration to change.", h->vm);
	if (asked == 0) {
		asked = (h->running && why_not_live == NULL ? HW_LIVE : 0) |
		        (h->persistent ? HW_CONFIG : 0);
		if (asked == 0)
			return refuse(err, "%s: %s, and %s is transient (nothing saved for the next "
			              "boot).", h->vm, why_not_live ? why_not_live : "nothing", h->vm);
	}
	*when = asked;
	return 0;
}

static unsigned
affect(unsigned when)
{
	return ((when & HW_LIVE) ? VIR_DOMAIN_AFFECT_LIVE : 0) |
	       ((when & HW_CONFIG) ? VIR_DOMAIN_AFFECT_CONFIG : 0);
}

/* virsh's --live / --config words of when (for msglog_virsh). */
static void
when_words(unsigned when, const char **a, const char **b)
{
	*a = (when & HW_LIVE) ? "--live" : NULL;
	*b = (when & HW_CONFIG) ? "--config" : NULL;
	if (*a == NULL) {
		*a = *b;
		*b = NULL;
	}
}

/* "web1-vdb.xml": the file a virsh line reads a device's XML from. */
static char *
xml_file(const char *vm, const char *name)
{
	char *f = xasprintf("%s-%s.xml", vm, name), *p;

	for (p = f; *p; p++)
		if (*p == ':' || *p == '/' || *p == ' ')
			*p = '-';
	return f;
}

/* Set the change's diffs: the running and saved XML with the device
 * edited by fn (key, dev_xml), on the sides when has. */
typedef char *(*dom_edit)(const char *domxml, const char *key, const char *xml, char **err);

static int
set_diffs(const struct hw_devices *h, struct hw_change *c, dom_edit fn, const char *key,
          const char *live_dev, const char *saved_dev, char **err)
{
	char *lb = NULL, *la = NULL, *sb = NULL, *sa = NULL;
	int rc = -1;

	if ((c->when & HW_LIVE) && h->live_xml) {
		if ((lb = devxml_dom_normal(h->live_xml, err)) == NULL ||
		    (la = fn(h->live_xml, key, live_dev, err)) == NULL)
			goto done;
	}
	if ((c->when & HW_CONFIG) && h->saved_xml) {
		if ((sb = devxml_dom_normal(h->saved_xml, err)) == NULL ||
		    (sa = fn(h->saved_xml, key, saved_dev, err)) == NULL)
			goto done;
	}
	hw_change_diffs(c, lb, la, sb, sa);
	rc = 0;
done:
	free(lb), free(la), free(sb), free(sa);
	return rc;
}

static char *
edit_add(const char *domxml, const char *key, const char *xml, char **err)
{
	(void)key;
	return devxml_dom_add(domxml, xml, err);
}

static char *
edit_remove(const char *domxml, const char *key, const char *xml, char **err)
{
	(void)xml;
	return devxml_dom_remove(domxml, key, err);
}

static char *
edit_replace(const char *domxml, const char *key, const char *xml, char **err)
{
	return devxml_dom_replace(domxml, key, xml, err);
}

/* "10 GiB" */
static void
size_text(uint64_t b, char *buf, size_t n)
{
	if (b >= (1ull << 30) && b % (1ull << 30) == 0)
		snprintf(buf, n, "%llu GiB", (unsigned long long)(b >> 30));
	else if (b >= (1ull << 20) && b % (1ull << 20) == 0)
		snprintf(buf, n, "%llu MiB", (unsigned long long)(b >> 20));
	else
		snprintf(buf, n, "%llu bytes", (unsigned long long)b);
}

/* virsh vol-create-as's size: "10G", "512M" or bytes. */
static void
size_arg(uint64_t b, char *buf, size_t n)
{
	if (b % (1ull << 30) == 0)
		snprintf(buf, n, "%lluG", (unsigned long long)(b >> 30));
	else if (b % (1ull << 20) == 0)
		snprintf(buf, n, "%lluM", (unsigned long long)(b >> 20));
	else
		snprintf(buf, n, "%llu", (unsigned long long)b);
}

/* An attach step of dev_xml and its diffs. */
static int
plan_attach(const struct hw_devices *h, const char *dev_xml, const char *file,
            const struct hw_env *e, struct hw_change *c, char **err)
{
	const char *w1, *w2;
	char *virsh;

	when_words(c->when, &w1, &w2);
	virsh = msglog_virsh(e->uri, "attach-device", h->vm, file, w1, w2, NULL);
	hw_change_add(c, HW_ATTACH, dev_xml, affect(c->when), NULL, NULL, virsh);
	free(virsh);
	return set_diffs(h, c, edit_add, NULL, dev_xml, dev_xml, err);
}

static int
plan_disk_add(const struct hw_devices *h, const struct hw_req *r, const struct hw_env *e,
              struct hw_change *c, char **err)
{
	struct disk_spec s = { .cdrom = r->cdrom };
	const char *bus = given(r->bus) ? r->bus : r->cdrom ? "sata" : "virtio";
	char *target = NULL, *xml = NULL, *volname = NULL, *file = NULL, sz[32];
	char why_not_live[128] = "";
	const char *kind = r->cdrom ? "CD-ROM drive" : "disk", *why;
	int rc = -1;

	if ((why = devxml_check_bus(bus, r->cdrom)) != NULL)
		return refuse(err, "bus \"%s\": %s.", bus, why);
	if (given(r->target)) {
		if (!devxml_target_ok(r->target))
			return refuse(err, "\"%s\" is not a disk target name (like vdb or sdc).",
			              r->target);
		if (dev_list_lookup(&h->live, r->target) || dev_list_lookup(&h->saved, r->target))
			return refuse(err, "%s already has a disk %s; pick another target or leave it "
			              "out for the next free one.", h->vm, r->target);
		target = xstrdup(r->target);
	} else if ((target = devxml_next_target(&h->live, &h->saved, bus)) == NULL) {
		return refuse(err, "%s has no free target left on bus %s.", h->vm, bus);
	}
	if (!hotpluggable_bus(bus))
		snprintf(why_not_live, sizeof why_not_live, "%s %ss cannot be hot-plugged",
		         strcmp(bus, "sata") == 0 ? "SATA" : "IDE", r->cdrom ? "drive" : "disk");
	else if (r->cdrom && !given(r->path) && !given(r->vol))
		snprintf(why_not_live, sizeof why_not_live,
		         "an empty CD-ROM drive cannot be hot-plugged (give it an ISO)");
	if (decide_when(h, r->when, why_not_live[0] ? why_not_live : NULL, &c->when, err) < 0)
		goto done;
	s.target = target;
	s.bus = bus;
	s.cache = r->cache;
	s.discard = r->discard;
	s.format = given(r->format) ? r->format : e->src_format;
	if (r->size > 0) {
		if (r->cdrom) {
			refuse(err, "A CD-ROM drive takes an ISO, not a new volume.");
			goto done;
		}
		if (!given(r->pool)) {
			refuse(err, "A new volume needs the pool to make it in.");
			goto done;
		}
		if (!given(s.format))
			s.format = "qcow2";
		volname = given(r->vol) ? xstrdup(r->vol) :
		          xasprintf("%s-%s.%s", h->vm, target,
		                    strcmp(s.format, "raw") == 0 ? "img" : s.format);
		if (e->vol_exists) {
			refuse(err, "Pool %s already has a volume %s; name the new one otherwise, or "
			       "attach that one.", r->pool, volname);
			goto done;
		}
		s.src = DISK_SRC_VOLUME;
		s.pool = r->pool;
		s.vol = volname;
	} else if (given(r->path) || e->src_path) {
		s.src = e->src_block ? DISK_SRC_BLOCK : DISK_SRC_FILE;
		s.path = e->src_path ? e->src_path : r->path;
		if (!r->cdrom && given(e->users)) {
			refuse(err, "%s is the disk of %s too; two guests writing one disk corrupt it.",
			       s.path, e->users);
			goto done;
		}
	} else if (!r->cdrom) {
		refuse(err, "Say what the new disk is: a new volume (pool and size), a volume, a "
		       "file or a block device.");
		goto done;
	}
	if ((xml = devxml_disk(&s, err)) == NULL)
		goto done;
	if (s.src == DISK_SRC_VOLUME) {
		char *vx = devxml_volume(volname, r->size, s.format, err), *virsh;
		if (vx == NULL)
			goto done;
		size_arg(r->size, sz, sizeof sz);
		virsh = msglog_virsh(e->uri, "vol-create-as", r->pool, volname, sz, "--format",
		                     s.format, NULL);
		hw_change_add(c, HW_VOL_CREATE, vx, 0, r->pool, volname, virsh);
		free(virsh);
		free(vx);
		size_text(r->size, sz, sizeof sz);
		c->what = xasprintf("Add disk %s (new %s %s volume %s in pool %s, %s) to %s", target,
		                    sz, s.format, volname, r->pool, bus, h->vm);
	} else if (s.path) {
		c->what = xasprintf("Add %s %s (%s%s, %s%s%s) to %s", kind, target,
		                    r->cdrom ? "with " : "", s.path, bus,
		                    r->cdrom ? "" : ", ", r->cdrom ? "" : s.format ? s.format : "raw",
		                    h->vm);
	} else {
		c->what = xasprintf("Add an empty %s %s (%s) to %s", kind, target, bus, h->vm);
	}
	if (why_not_live[0] && h->running) {
		char *w = xasprintf("%s (%s)", c->what, why_not_live);
		free(c->what);
		c->what = w;
	}
	file = xml_file(h->vm, target);
	rc = plan_attach(h, xml, file, e, c, err);
done:
	free(target), free(xml), free(volname), free(file);
	return rc;
}

/* The item of r->dev, of one of the kinds (a bit set of 1 << dev_kind). */
static const struct hw_item *
find_dev(const struct hw_devices *h, const char *name, unsigned kinds, const char *what,
         char **err)
{
	const struct hw_item *it;

	if (!given(name)) {
		refuse(err, "Name the %s (%s).", what,
		       kinds & (1u << DEV_NIC) ? "its MAC address" : "its target, like vdb");
		return NULL;
	}
	it = hw_devices_lookup(h, name);
	if (it == NULL || !(kinds & (1u << hw_item_dev(it)->kind))) {
		refuse(err, "%s has no %s %s.", h->vm, what, name);
		return NULL;
	}
	return it;
}

/* When for a change of an existing device: asked, or the sides it is on;
 * refused for a side it is not on. */
static int
existing_when(const struct hw_devices *h, const struct hw_item *it, unsigned asked,
              const char *name, unsigned *when, char **err)
{
	unsigned on = (it->live ? HW_LIVE : 0) | (it->saved ? HW_CONFIG : 0);

	if (decide_when(h, asked, NULL, when, err) < 0)
		return -1;
	if (asked == 0)
		*when &= on;
	if ((*when & HW_LIVE) && !(on & HW_LIVE))
		return refuse(err, "%s is not in the running %s: it comes at the next boot only; "
		              "use --config.", name, h->vm);
	if ((*when & HW_CONFIG) && !(on & HW_CONFIG))
		return refuse(err, "%s is not in the saved configuration of %s: it goes at the next "
		              "boot by itself; use --live.", name, h->vm);
	return 0;
}

/* The element to give libvirt for both sides: the saved one when they do
 * not differ (no runtime parts), else the side's own. */
static const char *
elem_for(const struct hw_item *it, unsigned when)
{
	if ((when & HW_CONFIG) && it->saved && (!(when & HW_LIVE) || it->diff == HWD_SAME))
		return it->saved->xml;
	return it->live ? it->live->xml : it->saved->xml;
}

static int
plan_disk_remove(const struct hw_devices *h, const struct hw_req *r, const struct hw_env *e,
                 struct hw_change *c, char **err)
{
	const unsigned kinds = 1u << DEV_DISK | 1u << DEV_CDROM | 1u << DEV_FLOPPY;
	const struct hw_item *it = find_dev(h, r->dev, kinds, "disk", err);
	const struct dev *d;
	const char *w1, *w2, *src;
	char *virsh;

	if (it == NULL)
		return -1;
	d = hw_item_dev(it);
	if (existing_when(h, it, r->when, d->target, &c->when, err) < 0)
		return -1;
	src = d->path ? d->path : d->vol;
	if (r->delete_vol) {
		if (d->kind != DEV_DISK)
			return refuse(err, "%s is a %s: its medium is not deleted with the drive; eject "
			              "it or remove the drive alone.", d->target, dev_kind_name(d->kind));
		if (e->rm_pool == NULL || e->rm_vol == NULL)
			return refuse(err, "%s of %s is %s, in no storage pool: vmtui deletes volumes "
			              "only; remove the drive alone and the file yourself.", d->target,
			              h->vm, src ? src : "no file");
		if (given(e->users))
			return refuse(err, "Volume %s of pool %s is used by %s too: not deleting it. "
			              "Remove the disk alone.", e->rm_vol, e->rm_pool, e->users);
		if ((c->when & HW_CONFIG) == 0 && it->saved)
			return refuse(err, "%s stays in the saved configuration of %s: its volume "
			              "cannot be deleted. Remove it with --config too.", d->target, h->vm);
		if ((c->when & HW_LIVE) == 0 && it->live)
			return refuse(err, "The running %s still uses %s: its volume cannot be "
			              "deleted. Remove it with --live too.", h->vm, d->target);
	}
	when_words(c->when, &w1, &w2);
	virsh = msglog_virsh(e->uri, "detach-disk", h->vm, d->target, w1, w2, NULL);
	hw_change_add(c, HW_DETACH, elem_for(it, c->when), affect(c->when), NULL, NULL, virsh);
	free(virsh);
	if (r->delete_vol) {
		virsh = msglog_virsh(e->uri, "vol-delete", e->rm_vol, "--pool", e->rm_pool, NULL);
		hw_change_add(c, HW_VOL_DELETE, NULL, 0, e->rm_pool, e->rm_vol, virsh);
		free(virsh);
	}
	if (d->kind != DEV_DISK)
		c->what = xasprintf("Remove %s drive %s from %s", dev_kind_name(d->kind), d->target,
		                    h->vm);
	else if (r->delete_vol)
		c->what = xasprintf("Remove disk %s from %s and delete its volume %s of pool %s",
		                    d->target, h->vm, e->rm_vol, e->rm_pool);
	else if (d->path == NULL && d->pool && d->vol)
		c->what = xasprintf("Remove disk %s (%s/%s) from %s, keeping its volume", d->target,
		                    d->pool, d->vol, h->vm);
	else
		c->what = xasprintf("Remove disk %s (%s) from %s, keeping its %s", d->target,
		                    src ? src : "no source", h->vm,
		                    e->rm_vol ? "volume" : d->path ? "file" : "source");
	return set_diffs(h, c, edit_remove, d->key, NULL, NULL, err);
}

static int
plan_disk_set(const struct hw_devices *h, const struct hw_req *r, const struct hw_env *e,
              struct hw_change *c, char **err)
{
	const struct hw_item *it = find_dev(h, r->dev, 1u << DEV_DISK, "disk", err);
	const struct dev *d;
	char *xml, *file, *virsh;
	int rc;

	if (it == NULL)
		return -1;
	if (r->cache == NULL && r->discard == NULL)
		return refuse(err, "Say what to change: the cache mode, discard, or both.");
	if (r->when & HW_LIVE)
		return refuse(err, "The cache mode and discard of a disk change at the next boot "
		              "only (qemu opens the disk with them).");
	if (it->saved == NULL)
		return refuse(err, "%s is not in the saved configuration of %s: it goes at the next "
		              "boot; nothing to change.", r->dev, h->vm);
	d = it->saved;
	if (decide_when(h, HW_CONFIG, NULL, &c->when, err) < 0)
		return -1;
	if ((xml = devxml_disk_tune(d->xml, r->cache, r->discard, err)) == NULL)
		return -1;
	{
		struct dev_list l;
		char *x = xasprintf("<domain><devices>%s</devices></domain>", xml);
		bool same = false;
		if (devxml_parse(x, &l, err) == 0) {
			same = l.n == 1 && strcmp(l.v[0].summary, d->summary) == 0;
			dev_list_free(&l);
		}
		free(x);
		if (same) {
			free(xml);
			return refuse(err, "Disk %s of %s already has those settings.", d->target, h->vm);
		}
	}
	file = xml_file(h->vm, d->target);
	virsh = msglog_virsh(e->uri, "update-device", h->vm, file, "--config", NULL);
	hw_change_add(c, HW_UPDATE, xml, VIR_DOMAIN_AFFECT_CONFIG, NULL, NULL, virsh);
	c->what = xasprintf("Set disk %s of %s to cache %s, discard %s", d->target, h->vm,
	                    given(r->cache) ? r->cache : r->cache ? "default" :
	                    d->cache ? d->cache : "default",
	                    given(r->discard) ? r->discard : r->discard ? "default" :
	                    d->discard ? d->discard : "default");
	rc = set_diffs(h, c, edit_replace, d->key, NULL, xml, err);
	free(virsh);
	free(file);
	free(xml);
	return rc;
}

/* virsh change-media for drive d: path inserted (NULL: ejected). */
static char *
media_virsh(const char *uri, const char *vm, const struct dev *d, const char *path,
            unsigned when)
{
	const char *w1, *w2;

	when_words(when, &w1, &w2);
	if (path == NULL)
		return msglog_virsh(uri, "change-media", vm, d->target, "--eject", w1, w2, NULL);
	return msglog_virsh(uri, "change-media", vm, d->target, path,
	                    d->path || d->vol ? "--update" : "--insert", w1, w2, NULL);
}

static int
plan_media(const struct hw_devices *h, const struct hw_req *r, const struct hw_env *e,
           struct hw_change *c, char **err)
{
	const unsigned kinds = 1u << DEV_CDROM | 1u << DEV_FLOPPY;
	const struct hw_item *it = find_dev(h, r->dev, kinds, "CD-ROM drive", err);
	bool insert = r->op == HWOP_CD_INSERT;
	const struct dev *d;
	const char *path = e->src_path ? e->src_path : r->path;
	char *lx = NULL, *sx = NULL, *virsh;
	int rc = -1;

	if (it == NULL)
		return -1;
	d = hw_item_dev(it);
	if (existing_when(h, it, r->when, d->target, &c->when, err) < 0)
		return -1;
	if (insert && !given(path))
		return refuse(err, "Say what to insert: an ISO's path or a volume.");
	if (!insert) {
		bool live = (c->when & HW_LIVE) && it->live && (it->live->path || it->live->vol);
		bool saved = (c->when & HW_CONFIG) && it->saved && (it->saved->path || it->saved->vol);
		if (!live && !saved)
			return refuse(err, "CD-ROM drive %s of %s holds no medium.", d->target, h->vm);
	}
	if ((c->when & HW_LIVE) &&
	    (lx = devxml_media(it->live->xml, insert ? path : NULL, e->src_block, err)) == NULL)
		goto done;
	if ((c->when & HW_CONFIG) &&
	    (sx = devxml_media(it->saved->xml, insert ? path : NULL, e->src_block, err)) == NULL)
		goto done;
	if (lx && sx && it->diff != HWD_SAME) {
		/* The two sides differ: each its own element. */
		virsh = media_virsh(e->uri, h->vm, it->live, insert ? path : NULL, HW_LIVE);
		hw_change_add(c, HW_UPDATE, lx, VIR_DOMAIN_AFFECT_LIVE, NULL, NULL, virsh);
		free(virsh);
		virsh = media_virsh(e->uri, h->vm, it->saved, insert ? path : NULL, HW_CONFIG);
		hw_change_add(c, HW_UPDATE, sx, VIR_DOMAIN_AFFECT_CONFIG, NULL, NULL, virsh);
	} else {
		virsh = media_virsh(e->uri, h->vm, d, insert ? path : NULL, c->when);
		hw_change_add(c, HW_UPDATE, sx ? sx : lx, affect(c->when), NULL, NULL, virsh);
	}
	free(virsh);
	if (insert)
		c->what = xasprintf("Insert %s into %s %s of %s", path, dev_kind_name(d->kind),
		                    d->target, h->vm);
	else
		c->what = xasprintf("Eject %s from %s %s of %s",
		                    d->path ? d->path : d->vol ? d->vol : "the medium",
		                    dev_kind_name(d->kind), d->target, h->vm);
	rc = set_diffs(h, c, edit_replace, d->key, lx, sx, err);
done:
	free(lx);
	free(sx);
	return rc;
}

static int
plan_nic_add(const struct hw_devices *h, const struct hw_req *r, const struct hw_env *e,
             struct hw_change *c, char **err)
{
	struct nic_spec s = {
		.type = given(r->net_type) ? r->net_type : "network",
		.source = given(r->source) ? r->source : "default",
		.model = given(r->model) ? r->model : NULL,
		.mac = given(r->mac) ? r->mac : e->mac,
		.link_down = r->link_down,
	};
	char *xml, *file;
	int rc;

	if (s.mac && (dev_list_lookup(&h->live, s.mac) || dev_list_lookup(&h->saved, s.mac)))
		return refuse(err, "%s already has a NIC with MAC %s.", h->vm, s.mac);
	if (decide_when(h, r->when, NULL, &c->when, err) < 0)
		return -1;
	if ((xml = devxml_nic(&s, err)) == NULL)
		return -1;
	c->what = xasprintf("Add NIC %s on %s %s (%s%s) to %s", s.mac ? s.mac : "(new MAC)", s.type,
	                    s.source, s.model ? s.model : "virtio", s.link_down ? ", link down" : "",
	                    h->vm);
	file = xml_file(h->vm, s.mac ? s.mac : "nic");
	rc = plan_attach(h, xml, file, e, c, err);
	free(file);
	free(xml);
	return rc;
}

static int
plan_nic_remove(const struct hw_devices *h, const struct hw_req *r, const struct hw_env *e,
                struct hw_change *c, char **err)
{
	const struct hw_item *it = find_dev(h, r->dev, 1u << DEV_NIC, "NIC", err);
	const struct dev *d;
	const char *w1, *w2;
	char *virsh;

	if (it == NULL)
		return -1;
	d = hw_item_dev(it);
	if (d->mac == NULL)
		return refuse(err, "That NIC has no MAC address to find it by.");
	if (existing_when(h, it, r->when, d->mac, &c->when, err) < 0)
		return -1;
	when_words(c->when, &w1, &w2);
	virsh = msglog_virsh(e->uri, "detach-interface", h->vm, d->nic_type ? d->nic_type : "network",
	                     "--mac", d->mac, w1, w2, NULL);
	hw_change_add(c, HW_DETACH, elem_for(it, c->when), affect(c->when), NULL, NULL, virsh);
	free(virsh);
	c->what = xasprintf("Remove NIC %s (%s %s) from %s", d->mac, d->nic_type ? d->nic_type : "?",
	                    d->source ? d->source : "-", h->vm);
	return set_diffs(h, c, edit_remove, d->key, NULL, NULL, err);
}

/* Link and move: an update of the interface on each side. */
static int
plan_nic_update(const struct hw_devices *h, const struct hw_req *r, const struct hw_env *e,
                struct hw_change *c, char **err)
{
	const struct hw_item *it = find_dev(h, r->dev, 1u << DEV_NIC, "NIC", err);
	bool link = r->op == HWOP_NIC_LINK;
	const struct dev *d;
	char *lx = NULL, *sx = NULL, *file = NULL;
	int rc = -1, i;

	if (it == NULL)
		return -1;
	d = hw_item_dev(it);
	if (existing_when(h, it, r->when, d->mac ? d->mac : r->dev, &c->when, err) < 0)
		return -1;
	if (link) {
		bool l = (c->when & HW_LIVE) && it->live && it->live->link_down != r->link_down;
		bool s = (c->when & HW_CONFIG) && it->saved && it->saved->link_down != r->link_down;
		if (!l && !s)
			return refuse(err, "The link of NIC %s of %s is %s already.", d->mac, h->vm,
			              r->link_down ? "down" : "up");
	} else {
		const char *type = given(r->net_type) ? r->net_type : "network";
		bool l = (c->when & HW_LIVE) && it->live && it->live->source && given(r->source) &&
		         strcmp(it->live->source, r->source) == 0 && it->live->nic_type &&
		         strcmp(it->live->nic_type, type) == 0;
		bool s = (c->when & HW_CONFIG) && it->saved && it->saved->source && given(r->source) &&
		         strcmp(it->saved->source, r->source) == 0 && it->saved->nic_type &&
		         strcmp(it->saved->nic_type, type) == 0;
		if ((l || !(c->when & HW_LIVE)) && (s || !(c->when & HW_CONFIG)))
			return refuse(err, "NIC %s of %s is on %s %s already.", d->mac, h->vm, type,
			              r->source);
	}
	for (i = 0; i < 2; i++) {
		unsigned side = i == 0 ? HW_LIVE : HW_CONFIG;
		const struct dev *sd = i == 0 ? it->live : it->saved;
		char *x;
		if (!(c->when & side))
			continue;
		x = link ? devxml_nic_link(sd->xml, r->link_down, err) :
		           devxml_nic_move(sd->xml, given(r->net_type) ? r->net_type : "network",
		                           r->source, err);
		if (x == NULL)
			goto done;
		*(i == 0 ? &lx : &sx) = x;
	}
	file = xml_file(h->vm, d->mac ? d->mac : "nic");
	for (i = 0; i < 2; i++) {
		/* One step for both sides when they do not differ, else one each. */
		bool both = lx && sx && it->diff == HWD_SAME;
		unsigned side = both ? c->when : i == 0 ? HW_LIVE : HW_CONFIG;
		const char *x = both ? sx : i == 0 ? lx : sx;
		const char *w1, *w2;
		char *virsh;
		if (x == NULL || (both && i == 1))
			continue;
		when_words(side, &w1, &w2);
		if (link)
			virsh = msglog_virsh(e->uri, "domif-setlink", h->vm, d->mac,
			                     r->link_down ? "down" : "up",
			                     side & HW_LIVE ? NULL : "--config", NULL);
		else
			virsh = msglog_virsh(e->uri, "update-device", h->vm, file, w1, w2, NULL);
		if (link && side == (HW_LIVE | HW_CONFIG)) {
			char *v2 = msglog_virsh(e->uri, "domif-setlink", h->vm, d->mac,
			                        r->link_down ? "down" : "up", "--config", NULL);
			char *both_v = xasprintf("%s; %s", virsh, v2);
			free(virsh);
			free(v2);
			virsh = both_v;
		}
		hw_change_add(c, HW_UPDATE, x, affect(side), NULL, NULL, virsh);
		free(virsh);
	}
	if (link)
		c->what = xasprintf("Set the link of NIC %s of %s %s", d->mac, h->vm,
		                    r->link_down ? "down" : "up");
	else
		c->what = xasprintf("Move NIC %s of %s from %s %s to %s %s", d->mac, h->vm,
		                    d->nic_type ? d->nic_type : "?", d->source ? d->source : "-",
		                    given(r->net_type) ? r->net_type : "network", r->source);
	rc = set_diffs(h, c, edit_replace, d->key, lx, sx, err);
done:
	free(lx);
	free(sx);
	free(file);
	return rc;
}

int
hw_plan(const struct hw_devices *h, const struct hw_req *r, const struct hw_env *e,
        struct hw_change *out, char **err)
{
	int rc = -1;

	memset(out, 0, sizeof *out);
	*err = NULL;
	switch (r->op) {
	case HWOP_DISK_ADD:
		rc = plan_disk_add(h, r, e, out, err);
		break;
	case HWOP_DISK_REMOVE:
		rc = plan_disk_remove(h, r, e, out, err);
		break;
	case HWOP_DISK_SET:
		rc = plan_disk_set(h, r, e, out, err);
		break;
	case HWOP_CD_INSERT:
	case HWOP_CD_EJECT:
		rc = plan_media(h, r, e, out, err);
		break;
	case HWOP_NIC_ADD:
		rc = plan_nic_add(h, r, e, out, err);
		break;
	case HWOP_NIC_REMOVE:
		rc = plan_nic_remove(h, r, e, out, err);
		break;
	case HWOP_NIC_LINK:
	case HWOP_NIC_MOVE:
		rc = plan_nic_update(h, r, e, out, err);
		break;
	}
	if (rc < 0) {
		hw_change_free(out);
		if (*err == NULL)
			*err = xstrdup("The change cannot be made.");
	}
	return rc;
}

/* ---- what a plan needs from the host ---- */

struct env_store {
	char *src_path, *src_format, *rm_pool, *rm_vol, *users;
	char mac[18];
};

static void
env_store_free(struct env_store *s)
{
	free(s->src_path);
	free(s->src_format);
	free(s->rm_pool);
	free(s->rm_vol);
	free(s->users);
}

/* The format a volume's XML gives, or NULL. */
static char *
vol_format(virStorageVolPtr v)
{
	char *x = virStorageVolGetXMLDesc(v, 0), *f = NULL, *p, *q;

	if (x && (p = strstr(x, "<format type='")) != NULL && (q = strchr(p + 14, '\'')) != NULL)
		f = xasprintf("%.*s", (int)(q - p - 14), p + 14);
	free(x);
	return f;
}

/* The path, kind and format of volume pool/vol. */
static int
resolve_volume(virConnectPtr conn, const char *pool, const char *vol, struct hw_env *e,
               struct env_store *s, char **err)
{
	virStoragePoolPtr p = virStoragePoolLookupByName(conn, pool);
	virStorageVolPtr v = p ? virStorageVolLookupByName(p, vol) : NULL;
	virStorageVolInfo info;
	int rc = -1;

	if (p == NULL) {
		*err = xasprintf("The host has no storage pool %s.", pool);
	} else if (v == NULL) {
		*err = xasprintf("Pool %s has no volume %s.", pool, vol);
	} else if ((s->src_path = virStorageVolGetPath(v)) == NULL) {
		char *why = lv_err_line();
		*err = xasprintf("Cannot find the path of volume %s: %s.", vol, why);
		free(why);
	} else {
		e->src_path = s->src_path;
		e->src_block = virStorageVolGetInfo(v, &info) == 0 && info.type == VIR_STORAGE_VOL_BLOCK;
		s->src_format = vol_format(v);
		e->src_format = s->src_format;
		rc = 0;
	}
	if (v)
		virStorageVolFree(v);
	if (p)
		virStoragePoolFree(p);
	return rc;
}

/* The names of the other guests (not vm) using path or pool/vol. */
static char *
other_users(virConnectPtr conn, const char *vm, const char *path, const char *pool,
            const char *vol)
{
	struct guest_uses g;
	struct guest_uses others = { 0 };
	char *err = NULL, *names = NULL;
	size_t i;

	if (guest_uses_read(conn, &g, &err) < 0) {
		free(err);
		return NULL;
	}
	others.v = xcalloc(g.n ? g.n : 1, sizeof *others.v);
	for (i = 0; i < g.n; i++)
		if (strcmp(g.v[i].name, vm) != 0)
			others.v[others.n++] = g.v[i];
	names = guest_uses_volume(&others, path, pool, vol, NULL);
	free(others.v);
	guest_uses_free(&g);
	return names;
}

/* The pool and name of the volume a disk is (its source volume, or the
 * volume holding its file). */
static void
disk_volume(virConnectPtr conn, const struct dev *d, struct env_store *s)
{
	virStorageVolPtr v;
	virStoragePoolPtr p;

	if (d->pool && d->vol) {
		s->rm_pool = xstrdup(d->pool);
		s->rm_vol = xstrdup(d->vol);
		return;
	}
	if (d->path == NULL || (v = lv_vol_by_path(conn, d->path)) == NULL)
		return;
	if ((p = virStoragePoolLookupByVolume(v)) != NULL) {
		s->rm_pool = xstrdup(virStoragePoolGetName(p));
		s->rm_vol = xstrdup(virStorageVolGetName(v));
		virStoragePoolFree(p);
	}
	virStorageVolFree(v);
}

/* Fill e for r on conn. */
static int
build_env(virConnectPtr conn, const struct hw_devices *h, const struct hw_req *r,
          struct hw_env *e, struct env_store *s, char **err)
{
	const struct hw_item *it;

	switch (r->op) {
	case HWOP_DISK_ADD:
	case HWOP_CD_INSERT:
		if (r->size > 0 && given(r->pool)) {
			virStoragePoolPtr p = virStoragePoolLookupByName(conn, r->pool);
			virStorageVolPtr v;
			if (p == NULL) {
				*err = xasprintf("The host has no storage pool %s.", r->pool);
				return -1;
			}
			if (given(r->vol) && (v = virStorageVolLookupByName(p, r->vol)) != NULL) {
				e->vol_exists = true;
				virStorageVolFree(v);
			}
			virStoragePoolFree(p);
			return 0;
		}
		if (given(r->pool) && given(r->vol) &&
		    resolve_volume(conn, r->pool, r->vol, e, s, err) < 0)
			return -1;
		if (!given(r->pool) && given(r->path)) {
			virStorageVolPtr v = lv_vol_by_path(conn, r->path);
			if (v) {
				virStorageVolInfo info;
				s->src_format = vol_format(v);
				e->src_format = s->src_format;
				e->src_block = virStorageVolGetInfo(v, &info) == 0 &&
				               info.type == VIR_STORAGE_VOL_BLOCK;
				virStorageVolFree(v);
			} else if (r->block || strncmp(r->path, "/dev/", 5) == 0) {
				e->src_block = true;
			}
		}
		if (r->op == HWOP_DISK_ADD && !r->cdrom && (e->src_path || given(r->path))) {
			const char *path = e->src_path ? e->src_path : r->path;
			s->users = other_users(conn, h->vm, path, r->pool, r->vol);
			e->users = s->users;
		}
		return 0;
	case HWOP_DISK_REMOVE:
		if (!r->delete_vol || (it = hw_devices_lookup(h, r->dev ? r->dev : "")) == NULL)
			return 0;
		disk_volume(conn, hw_item_dev(it), s);
		e->rm_pool = s->rm_pool;
		e->rm_vol = s->rm_vol;
		if (s->rm_pool) {
			char *path = NULL;
			virStoragePoolPtr p = virStoragePoolLookupByName(conn, s->rm_pool);
			virStorageVolPtr v = p ? virStorageVolLookupByName(p, s->rm_vol) : NULL;
			if (v)
				path = virStorageVolGetPath(v);
			s->users = other_users(conn, h->vm, path, s->rm_pool, s->rm_vol);
			e->users = s->users;
			free(path);
			if (v)
				virStorageVolFree(v);
			if (p)
				virStoragePoolFree(p);
		}
		return 0;
	case HWOP_NIC_ADD:
	case HWOP_NIC_MOVE:
		if (!given(r->net_type) || strcmp(r->net_type, "network") == 0) {
			const char *net = given(r->source) ? r->source : "default";
			virNetworkPtr n = virNetworkLookupByName(conn, net);
			if (n == NULL) {
				*err = xasprintf("The host has no network %s (vmtui net list shows them).",
				                 net);
				return -1;
			}
			virNetworkFree(n);
		}
		if (r->op == HWOP_NIC_ADD && !given(r->mac)) {
			uint32_t seed = (uint32_t)time(NULL) ^ (uint32_t)getpid() << 16;
			do
				devxml_mac_make(seed++, s->mac);
			while (dev_list_lookup(&h->live, s->mac) || dev_list_lookup(&h->saved, s->mac));
			e->mac = s->mac;
		}
		return 0;
	default:
		return 0;
	}
}

int
hw_build(virDomainPtr d, const char *uri, const struct hw_req *r, struct hw_change *out,
         char **err)
{
	struct hw_devices h;
	struct hw_env e = { .uri = uri };
	struct env_store s = { .src_path = NULL };
	int rc = -1;

	memset(out, 0, sizeof *out);
	*err = NULL;
	if (hw_devices_read(d, &h, err) < 0)
		return -1;
	if (build_env(virDomainGetConnect(d), &h, r, &e, &s, err) == 0)
		rc = hw_plan(&h, r, &e, out, err);
	env_store_free(&s);
	hw_devices_free(&h);
	return rc;
}

/* ---- applying ---- */

/* Is the device of xml (a disk's target, a NIC's MAC) in the running d? */
static bool
still_live(virDomainPtr d, const char *dev_xml)
{
	char *x = virDomainGetXMLDesc(d, 0), *err = NULL;
	struct dev_list l, one;
	char *wrapped;
	bool in = false;

	if (x == NULL || virDomainIsActive(d) != 1) {
		free(x);
		return false;
	}
	wrapped = xasprintf("<domain><devices>%s</devices></domain>", dev_xml);
	if (devxml_parse(x, &l, &err) == 0) {
		if (devxml_parse(wrapped, &one, &err) == 0) {
			in = one.n == 1 && dev_list_find(&l, one.v[0].key) != NULL;
			dev_list_free(&one);
		}
		dev_list_free(&l);
	}
	free(err);
	free(wrapped);
	free(x);
	return in;
}

/* Wait up to about 10 s for the running guest to let go of dev_xml's device. */
static bool
wait_gone(virDomainPtr d, const char *dev_xml)
{
	struct timespec ts = { 0, 200 * 1000 * 1000 };
	int i;

	for (i = 0; i < 50; i++) {
		if (!still_live(d, dev_xml))
			return true;
		nanosleep(&ts, NULL);
	}
	return false;
}

/* Apply steps [from, to) of c. */
static int
apply_range(virDomainPtr d, const struct hw_change *c, size_t from, size_t to, size_t *done,
            char **err)
{
	struct hw_change part = *c;
	size_t n = 0;
	int rc;

	part.steps = c->steps + from;
	part.nsteps = to - from;
	rc = hw_change_apply(d, &part, &n, err);
	*done = from + n;
	if (rc < 0 && c->nsteps > part.nsteps && part.nsteps == 1) {
		/* Number the failed step among all of the change's. */
		char *e = xasprintf("step %zu of %zu: %s", from + n + 1, c->nsteps, *err);
		free(*err);
		*err = e;
	}
	return rc;
}

int
hw_apply(virDomainPtr d, const struct hw_change *c, char **note, char **err)
{
	size_t i, done = 0, from = 0;
	int rc = 0;

	*note = NULL;
	*err = NULL;
	for (i = 0; i < c->nsteps && rc == 0; i++) {
		const struct hw_step *s = &c->steps[i];
		if (s->kind != HW_DETACH || !(s->flags & VIR_DOMAIN_AFFECT_LIVE))
			continue;
		/* A live detach: the guest lets the device go in its own time. */
		if ((rc = apply_range(d, c, from, i + 1, &done, err)) < 0)
			break;
		from = i + 1;
		if (!wait_gone(d, s->xml)) {
			if (from < c->nsteps) {
				*err = xstrdup("the guest has not let the device go yet: the volume is "
				               "kept; delete it once the device is gone");
				return -1;
			}
			*note = xstrdup("The guest has not let the device go yet; it goes when the "
			                "guest's OS releases it.");
		}
	}
	if (rc == 0 && from < c->nsteps)
		rc = apply_range(d, c, from, c->nsteps, &done, err);
	if (rc < 0 && done == 1 && c->steps[0].kind == HW_VOL_CREATE) {
		/* The device never used the volume made for it: delete it again. */
		struct hw_change undo = { 0 };
		size_t n;
		char *e2 = NULL;
		hw_change_add(&undo, HW_VOL_DELETE, NULL, 0, c->steps[0].pool, c->steps[0].vol, NULL);
		if (hw_change_apply(d, &undo, &n, &e2) == 0) {
			char *e = xasprintf("%s (the new volume %s was deleted again)", *err,
			                    c->steps[0].vol);
			free(*err);
			*err = e;
		}
		free(e2);
		hw_change_free(&undo);
	}
	return rc;
}

char *
hw_virsh_line(const struct hw_change *c)
{
	char *all = xstrdup("");
	size_t i;

	for (i = 0; i < c->nsteps; i++) {
		char *n;
		if (c->steps[i].virsh == NULL)
			continue;
		n = xasprintf("%s%s%s", all, *all ? "; " : "", c->steps[i].virsh);
		free(all);
		all = n;
	}
	return all;
}

void
hw_names_free(struct hw_names *n)
{
	size_t i;

	for (i = 0; n && i < n->n; i++)
		free(n->v[i]);
	if (n) {
		free(n->v);
		n->v = NULL;
		n->n = 0;
	}
}

/* ---- the TUI's job ---- */

enum job_op { JOB_READ, JOB_PLAN, JOB_APPLY };

struct job_call {
	struct hw_job *job;
	enum job_op op;
	struct hw_req req;       /* JOB_PLAN: its strings owned */
	struct hw_change *change; /* JOB_APPLY */
};

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void
req_copy(struct hw_req *to, const struct hw_req *r)
{
	*to = *r;
	to->dev = dup_or_null(r->dev);
	to->path = dup_or_null(r->path);
	to->pool = dup_or_null(r->pool);
	to->vol = dup_or_null(r->vol);
	to->format = dup_or_null(r->format);
	to->bus = dup_or_null(r->bus);
	to->target = dup_or_null(r->target);
	to->cache = dup_or_null(r->cache);
	to->discard = dup_or_null(r->discard);
	to->net_type = dup_or_null(r->net_type);
	to->source = dup_or_null(r->source);
	to->model = dup_or_null(r->model);
	to->mac = dup_or_null(r->mac);
}

static void
req_free(struct hw_req *r)
{
	free((char *)r->dev), free((char *)r->path), free((char *)r->pool);
	free((char *)r->vol), free((char *)r->format), free((char *)r->bus);
	free((char *)r->target), free((char *)r->cache), free((char *)r->discard);
	free((char *)r->net_type), free((char *)r->source), free((char *)r->model);
	free((char *)r->mac);
}

static void
names_add(struct hw_names *n, const char *s)
{
	n->v = xreallocarray(n->v, n->n + 1, sizeof *n->v);
	n->v[n->n++] = xstrdup(s);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The host's networks and active pools, sorted. */
static void
read_names(virConnectPtr conn, struct hw_names *nets, struct hw_names *pools)
{
	virNetworkPtr *nv = NULL;
	virStoragePoolPtr *pv = NULL;
	int i, n;

	n = virConnectListAllNetworks(conn, &nv, 0);
	for (i = 0; i < n; i++) {
		names_add(nets, virNetworkGetName(nv[i]));
		virNetworkFree(nv[i]);
	}
	free(nv);
	n = virConnectListAllStoragePools(conn, &pv, VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE);
	for (i = 0; i < n; i++) {
		names_add(pools, virStoragePoolGetName(pv[i]));
		virStoragePoolFree(pv[i]);
	}
	free(pv);
	if (nets->n > 1)
		qsort(nets->v, nets->n, sizeof *nets->v, cmp_str);
	if (pools->n > 1)
		qsort(pools->v, pools->n, sizeof *pools->v, cmp_str);
}

static void
job_work(struct host *h, virConnectPtr conn, void *arg)
{
	struct job_call *c = arg;
	struct hw_job *j = c->job;
	struct hw_devices devs = { 0 };
	struct hw_names nets = { 0 }, pools = { 0 };
	struct hw_change *plan = NULL;
	char *rerr = NULL, *perr = NULL, *err = NULL, *result = NULL, *note = NULL;
	virDomainPtr d = NULL;
	bool have_devs = false;

	if (conn == NULL) {
		err = host_not_connected(h);
		goto publish;
	}
	if ((d = lv_domain_lookup(conn, j->uuid, NULL)) == NULL) {
		err = xasprintf("%s is gone from its host.", j->vm);
		goto publish;
	}
	if (c->op == JOB_PLAN) {
		char *uri = host_virsh_uri(h);
		plan = xcalloc(1, sizeof *plan);
		if (hw_build(d, uri, &c->req, plan, &perr) < 0) {
			free(plan);
			plan = NULL;
		}
		free(uri);
	} else if (c->op == JOB_APPLY && c->change) {
		char *virsh = hw_virsh_line(c->change);
		if (hw_apply(d, c->change, &note, &err) < 0) {
			msglog_action(virsh, err, "%s (%s)", c->change->what,
			              hw_when_text(c->change->when));
		} else {
			msglog_action(virsh, NULL, "%s (%s)", c->change->what,
			              hw_when_text(c->change->when));
			result = xasprintf("%s: done, %s.%s%s", c->change->what,
			                   hw_when_text(c->change->when), note ? " " : "",
			                   note ? note : "");
		}
		free(virsh);
		free(note);
	}
	have_devs = hw_devices_read(d, &devs, &rerr) == 0;
	read_names(conn, &nets, &pools);
publish:
	if (d)
		virDomainFree(d);
	host_lock(j->host);
	if (have_devs || rerr || (err && c->op == JOB_READ)) {
		hw_devices_free(&j->devs);
		j->devs = devs;
		free(j->read_error);
		j->read_error = rerr ? rerr : c->op == JOB_READ ? err : NULL;
		if (c->op == JOB_READ)
			err = NULL;
		j->reads++;
	}
	if (nets.n || pools.n) {
		hw_names_free(&j->networks);
		hw_names_free(&j->pools);
		j->networks = nets;
		j->pools = pools;
	}
	if (c->op == JOB_PLAN) {
		if (j->pending) {
			hw_change_free(j->pending);
			free(j->pending);
		}
		j->pending = plan;
		free(j->plan_error);
		j->plan_error = perr ? perr : err;
		err = NULL;
		j->plans++;
	}
	if (c->op == JOB_APPLY) {
		free(j->error);
		free(j->result);
		j->error = err;
		j->result = result;
		err = NULL;
	}
	j->busy = false;
	host_publish_unlock(j->host);
	free(err);
	if (c->change) {
		hw_change_free(c->change);
		free(c->change);
	}
	req_free(&c->req);
	free(c);
	hw_job_release(j);
}

static void
queue(struct hw_job *j, struct job_call *c)
{
	c->job = j;
	host_lock(j->host);
	j->refs++;
	j->busy = true;
	if (c->op == JOB_APPLY) {
		free(j->error);
		free(j->result);
		j->error = j->result = NULL;
	}
	host_unlock(j->host);
	host_call(j->host, job_work, c);
}

struct hw_job *
hw_job_new(struct host *h, const char *uuid, const char *vm)
{
	struct hw_job *j = xcalloc(1, sizeof *j);

	j->host = h;
	snprintf(j->uuid, sizeof j->uuid, "%s", uuid);
	j->vm = xstrdup(vm);
	j->refs = 1;
	hw_job_read(j);
	return j;
}

void
hw_job_read(struct hw_job *j)
{
	struct job_call *c = xcalloc(1, sizeof *c);

	c->op = JOB_READ;
	queue(j, c);
}

void
hw_job_plan(struct hw_job *j, const struct hw_req *r)
{
	struct job_call *c = xcalloc(1, sizeof *c);

	c->op = JOB_PLAN;
	req_copy(&c->req, r);
	host_lock(j->host);
	free(j->plan_error);
	j->plan_error = NULL;
	host_unlock(j->host);
	queue(j, c);
}

void
hw_job_apply(struct hw_job *j)
{
	struct job_call *c = xcalloc(1, sizeof *c);

	c->op = JOB_APPLY;
	host_lock(j->host);
	c->change = j->pending;
	j->pending = NULL;
	host_unlock(j->host);
	if (c->change == NULL) {
		free(c);
		return;
	}
	queue(j, c);
}

void
hw_job_discard(struct hw_job *j)
{
	host_lock(j->host);
	if (j->pending) {
		hw_change_free(j->pending);
		free(j->pending);
		j->pending = NULL;
	}
	host_unlock(j->host);
}

void
hw_job_release(struct hw_job *j)
{
	if (j == NULL || !host_unref(j->host, &j->refs))
		return;
	hw_devices_free(&j->devs);
	hw_names_free(&j->networks);
	hw_names_free(&j->pools);
	if (j->pending) {
		hw_change_free(j->pending);
		free(j->pending);
	}
	free(j->read_error);
	free(j->plan_error);
	free(j->error);
	free(j->result);
	free(j->vm);
	free(j);
}
