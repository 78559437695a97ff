/* lifewatch.c — follow shutdown and reboot requests to their outcome. */
#include "lifewatch.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/msglog.h"
#include "../base/xmalloc.h"

#define NS 1000000000ull

/* One request followed. */
struct watch {
	char uuid[VM_UUID_LEN];
	char *name;
	enum action act;     /* ACT_SHUTDOWN or ACT_REBOOT */
	uint64_t asked_ns;
	uint64_t due_ns;     /* when to warn; 0 once warned */
	int id;              /* domain ID when asked, -1 if not known */
	bool saw_off;        /* a reboot: the guest has been seen stopped since */
};

struct lifewatch {
	uint64_t wait_ns;
	char *force_key, *start_key;
	struct watch *v;
	size_t n, cap;
};

struct lifewatch *
lifewatch_new(unsigned wait_ms, const char *force_key, const char *start_key)
{
	struct lifewatch *w = xcalloc(1, sizeof *w);

	w->wait_ns = (uint64_t)(wait_ms ? wait_ms : LIFEWATCH_WAIT_DEFAULT_MS) * 1000000ull;
	w->force_key = force_key ? xstrdup(force_key) : NULL;
	w->start_key = start_key ? xstrdup(start_key) : NULL;
	return w;
}

void
lifewatch_free(struct lifewatch *w)
{
	size_t i;

	if (w == NULL)
		return;
	for (i = 0; i < w->n; i++)
		free(w->v[i].name);
	free(w->v);
	free(w->force_key);
	free(w->start_key);
	free(w);
}

static struct watch *
find(struct lifewatch *w, const char *uuid)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		if (strcmp(w->v[i].uuid, uuid) == 0)
			return &w->v[i];
	return NULL;
}

/* Stop following e (it points into w->v). */
static void
drop(struct lifewatch *w, struct watch *e)
{
	free(e->name);
	*e = w->v[--w->n];
}

/* "0.4 s", "12 s": the time since the request. */
static void
since(const struct watch *e, uint64_t now, char *buf, size_t len)
{
	double s = now > e->asked_ns ? (double)(now - e->asked_ns) / 1e9 : 0;

	if (s < 9.95)
		snprintf(buf, len, "%.1f s", s);
	else
		snprintf(buf, len, "%.0f s", s);
}

/* Report the request done ("web1 shut off (after 12 s)") and drop it. */
static void
done(struct lifewatch *w, struct watch *e, uint64_t now, const char *what)
{
	char t[32];

	since(e, now, t, sizeof t);
	msglog_add(MSG_INFO, "%s %s (after %s)", e->name, what, t);
	drop(w, e);
}

/* Report what became of the request instead, and drop it. */
static void
undone(struct lifewatch *w, struct watch *e, uint64_t now, const char *what)
{
	char t[32];

	since(e, now, t, sizeof t);
	msglog_add(MSG_ERROR, "%s %s %s after the %s request", e->name, what, t,
	           action_name(e->act));
	drop(w, e);
}

/* The wait passed with the request not done: say so and what to do. */
static void
warn(struct lifewatch *w, struct watch *e, uint64_t now)
{
	char t[32], fix[96];

	since(e, now, t, sizeof t);
	if (w->force_key == NULL)
		snprintf(fix, sizeof fix, "force it off to stop it");
	else if (e->act == ACT_REBOOT && w->start_key != NULL)
		snprintf(fix, sizeof fix, "%s forces it off, then %s starts it", w->force_key,
		         w->start_key);
	else
		snprintf(fix, sizeof fix, "%s forces it off", w->force_key);
	if (e->act == ACT_SHUTDOWN)
		msglog_add(MSG_ERROR, "%s still runs %s after the shutdown request "
		           "(its OS may ignore ACPI): %s", e->name, t, fix);
	else if (e->saw_off)
		msglog_add(MSG_ERROR, "%s stopped but has not started again %s after the "
		           "reboot request: %s starts it", e->name, t,
		           w->start_key ? w->start_key : "start it again");
	else
		msglog_add(MSG_ERROR, "%s has not rebooted %s after the reboot request, "
		           "which was only passed on (its OS may ignore ACPI): %s", e->name, t, fix);
	e->due_ns = 0;
}

void
lifewatch_forget(struct lifewatch *w, const char *uuid)
{
	struct watch *e = find(w, uuid);

	if (e != NULL)
		drop(w, e);
}

void
lifewatch_request(struct lifewatch *w, const char *uuid, const char *name, enum action a,
                  int id, uint64_t now_ns)
{
	struct watch *e;

	lifewatch_forget(w, uuid);
	if (a != ACT_SHUTDOWN && a != ACT_REBOOT)
		return;
	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 4;
		w->v = xreallocarray(w->v, w->cap, sizeof *w->v);
	}
	e = &w->v[w->n++];
	memset(e, 0, sizeof *e);
	snprintf(e->uuid, sizeof e->uuid, "%s", uuid);
	e->name = xstrdup(name);
	e->act = a;
	e->asked_ns = now_ns;
	e->due_ns = now_ns + w->wait_ns;
	e->id = id;
}

/* The guest is seen in state st (with domain ID id, -1 if not known). */
static void
observe(struct lifewatch *w, struct watch *e, enum vm_state st, int id, uint64_t now)
{
	bool off = st == VM_SHUTOFF || st == VM_CRASHED;

	if (e->act == ACT_SHUTDOWN) {
		if (st == VM_SHUTOFF)
			done(w, e, now, "shut off");
		else if (st == VM_CRASHED)
			undone(w, e, now, "crashed");
		return;
	}
	if (off) {
		e->saw_off = true;
	} else if (vm_state_active(st) &&
	           (e->saw_off || (id > 0 && e->id > 0 && id != e->id))) {
		done(w, e, now, "rebooted");
	}
}

void
lifewatch_event(struct lifewatch *w, const char *uuid, enum vm_state st, uint64_t now_ns)
{
	struct watch *e = find(w, uuid);

	if (e != NULL)
		observe(w, e, st, -1, now_ns);
}

void
lifewatch_rebooted(struct lifewatch *w, const char *uuid, uint64_t now_ns)
{
	struct watch *e = find(w, uuid);

	if (e != NULL && e->act == ACT_REBOOT)
		done(w, e, now_ns, "rebooted");
}

static int
cmp_uuid_vmp(const void *key, const void *elem)
{
	return strcmp(key, (*(struct vm *const *)elem)->uuid);
}

void
lifewatch_refresh(struct lifewatch *w, struct vm *const *vms, size_t n, uint64_t now_ns)
{
	size_t i = 0;

	/* Each entry is looked at once: one dropped is replaced by the last. */
	while (i < w->n) {
		struct watch *e = &w->v[i];
		struct vm *const *vp = n ? bsearch(e->uuid, vms, n, sizeof *vms, cmp_uuid_vmp) : NULL;
		size_t before = w->n;

		if (vp == NULL && e->act == ACT_SHUTDOWN)
			done(w, e, now_ns, "shut off and is gone");
		else if (vp == NULL)
			undone(w, e, now_ns, "is gone");
		else
			observe(w, e, (*vp)->state, (*vp)->id, now_ns);
		if (w->n == before && e->due_ns && now_ns >= e->due_ns)
			warn(w, e, now_ns);
		if (w->n == before)
			i++;
	}
}

uint64_t
lifewatch_due(const struct lifewatch *w)
{
	uint64_t due = 0;
	size_t i;

	for (i = 0; i < w->n; i++)
		if (w->v[i].due_ns && (due == 0 || w->v[i].due_ns < due))
			due = w->v[i].due_ns;
	return due;
}

size_t
lifewatch_count(const struct lifewatch *w)
{
	return w->n;
}
