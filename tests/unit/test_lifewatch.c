/* test_lifewatch.c — model/host/lifewatch.h: shutdown and reboot requests
 * followed to their outcome, and what the message log then says. The
 * guests are vm records as a refresh leaves them; times are made up. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "model/base/msglog.h"
#include "model/host/lifewatch.h"
#include "model/stats/vm.h"

#define S 1000000000ull
#define T0 (1000 * S) /* the request's time */
#define U1 "11111111-1111-1111-1111-111111111111"
#define U2 "22222222-2222-2222-2222-222222222222"
#define U3 "33333333-3333-3333-3333-333333333333"

/* Up to three guests as a refresh sees them (sorted by UUID). */
struct table {
	struct vm *vm[3];
	size_t n;
};

static void
add(struct table *t, const char *uuid, const char *name, enum vm_state st, int id)
{
	struct vm *vm = vm_new(uuid, name, 10);

	vm->state = st;
	vm->id = id;
	t->vm[t->n++] = vm;
}

static void
table_free(struct table *t)
{
	while (t->n > 0)
		vm_free(t->vm[--t->n]);
}

/* The newest message is text, of this kind; it is consumed (seq moves). */
static uint64_t seen;

static void
newest_is(enum msg_kind kind, const char *text)
{
	struct msg m;

	assert_true(msglog_get(0, &m));
	assert_true(m.seq > seen);
	assert_string_equal(m.text, text);
	assert_int_equal(m.kind, kind);
	assert_null(m.virsh);
	seen = m.seq;
	msg_clear(&m);
}

static void
nothing_new(void)
{
	assert_int_equal(msglog_seq(), seen);
}

static int
setup(void **state)
{
	(void)state;
	seen = msglog_seq();
	return 0;
}

/* A request is pending until the guest's state says: nothing is said
 * while it still runs before the deadline, and the deadline is offered. */
static void
shutdown_pending_then_stopped(void **state)
{
	struct lifewatch *w = lifewatch_new(60000, "F", "S");
	struct table t = { 0 };

	(void)state;
	add(&t, U1, "web1", VM_RUNNING, 7);
	assert_int_equal(lifewatch_due(w), 0);
	lifewatch_request(w, U1, "web1", ACT_SHUTDOWN, 7, T0);
	assert_int_equal(lifewatch_count(w), 1);
	assert_int_equal(lifewatch_due(w), T0 + 60 * S);
	lifewatch_refresh(w, t.vm, t.n, T0 + 2 * S);
	t.vm[0]->state = VM_SHUTDOWN; /* shutting down: not yet */
	lifewatch_refresh(w, t.vm, t.n, T0 + 10 * S);
	lifewatch_event(w, U1, VM_RUNNING, T0 + 11 * S);
	nothing_new();
	assert_int_equal(lifewatch_count(w), 1);

	lifewatch_event(w, U1, VM_SHUTOFF, T0 + 12 * S + S / 3);
	newest_is(MSG_INFO, "web1 shut off (after 12 s)");
	assert_int_equal(lifewatch_count(w), 0);
	assert_int_equal(lifewatch_due(w), 0);
	/* Followed no more: a later refresh says nothing. */
	t.vm[0]->state = VM_SHUTOFF;
	lifewatch_refresh(w, t.vm, t.n, T0 + 70 * S);
	nothing_new();
	table_free(&t);
	lifewatch_free(w);
}

/* Without an event, the refresh that samples it shut off tells it. */
static void
shutdown_seen_by_refresh(void **state)
{
	struct lifewatch *w = lifewatch_new(60000, "F", "S");
	struct table t = { 0 };

	(void)state;
	add(&t, U1, "a", VM_RUNNING, 3);
	add(&t, U2, "web1", VM_SHUTOFF, -1);
	lifewatch_request(w, U2, "web1", ACT_SHUTDOWN, 9, T0);
	lifewatch_refresh(w, t.vm, t.n, T0 + 2 * S + S / 2);
	newest_is(MSG_INFO, "web1 shut off (after 2.5 s)");
	assert_int_equal(lifewatch_count(w), 0);
	table_free(&t);
	lifewatch_free(w);
}

/* Still running when the wait has passed: one warning naming the key,
 * then the request is still followed and its late end is told. */
static void
shutdown_deadline_passed(void **state)
{
	struct lifewatch *w = lifewatch_new(60000, "F", "S");
	struct table t = { 0 };

	(void)state;
	add(&t, U1, "web1", VM_RUNNING, 7);
	lifewatch_request(w, U1, "web1", ACT_SHUTDOWN, 7, T0);
	lifewatch_refresh(w, t.vm, t.n, T0 + 59 * S);
	nothing_new();
	lifewatch_refresh(w, t.vm, t.n, T0 + 60 * S);
	newest_is(MSG_ERROR, "web1 still runs 60 s after the shutdown request (its OS may "
	                     "ignore ACPI): F forces it off");
	assert_int_equal(lifewatch_due(w), 0);
	assert_int_equal(lifewatch_count(w), 1);
	lifewatch_refresh(w, t.vm, t.n, T0 + 62 * S);
	nothing_new(); /* said once */
	t.vm[0]->state = VM_SHUTOFF;
	lifewatch_refresh(w, t.vm, t.n, T0 + 95 * S);
	newest_is(MSG_INFO, "web1 shut off (after 95 s)");
	assert_int_equal(lifewatch_count(w), 0);
	table_free(&t);
	lifewatch_free(w);
}

/* The user takes over (force off, any other action): no more messages. A
 * second shutdown request starts the wait again. */
static void
other_action_stops_following(void **state)
{
	struct lifewatch *w = lifewatch_new(10000, "F", "S");
	struct table t = { 0 };

	(void)state;
	add(&t, U1, "web1", VM_RUNNING, 7);
	lifewatch_request(w, U1, "web1", ACT_SHUTDOWN, 7, T0);
	lifewatch_request(w, U1, "web1", ACT_SHUTDOWN, 7, T0 + 5 * S);
	assert_int_equal(lifewatch_count(w), 1);
	assert_int_equal(lifewatch_due(w), T0 + 15 * S);
	lifewatch_refresh(w, t.vm, t.n, T0 + 12 * S);
	nothing_new();
	lifewatch_forget(w, U1); /* before the force off runs */
	assert_int_equal(lifewatch_count(w), 0);
	lifewatch_event(w, U1, VM_SHUTOFF, T0 + 14 * S);
	t.vm[0]->state = VM_SHUTOFF;
	lifewatch_refresh(w, t.vm, t.n, T0 + 20 * S);
	nothing_new();
	/* An action not followed, reported as accepted, forgets too. */
	t.vm[0]->state = VM_RUNNING;
	lifewatch_request(w, U1, "web1", ACT_REBOOT, 7, T0);
	lifewatch_request(w, U1, "web1", ACT_SUSPEND, 7, T0 + S);
	assert_int_equal(lifewatch_count(w), 0);
	lifewatch_forget(w, U2); /* not followed: nothing to do */
	lifewatch_refresh(w, t.vm, t.n, T0 + 90 * S);
	nothing_new();
	table_free(&t);
	lifewatch_free(w);
}

/* libvirt's reboot event makes a reboot done; a shutdown does not care. */
static void
reboot_event(void **state)
{
	struct lifewatch *w = lifewatch_new(60000, "F", "S");

	(void)state;
	lifewatch_request(w, U1, "web1", ACT_REBOOT, 7, T0);
	lifewatch_request(w, U2, "db", ACT_SHUTDOWN, 8, T0);
	lifewatch_rebooted(w, U2, T0 + S);
	lifewatch_rebooted(w, U3, T0 + S); /* not followed */
	nothing_new();
	lifewatch_rebooted(w, U1, T0 + 3 * S);
	newest_is(MSG_INFO, "web1 rebooted (after 3.0 s)");
	assert_int_equal(lifewatch_count(w), 1); /* db's shutdown */
	lifewatch_free(w);
}

/* A reboot that passes through shut off and start: seen by events, or by
 * refreshes (shut off in one, or a new domain ID). */
static void
reboot_through_shutoff(void **state)
{
	struct lifewatch *w = lifewatch_new(60000, "F", "S");
	struct table t = { 0 };

	(void)state;
	lifewatch_request(w, U1, "web1", ACT_REBOOT, 7, T0);
	lifewatch_event(w, U1, VM_SHUTOFF, T0 + 4 * S);
	nothing_new(); /* stopped: not rebooted yet */
	lifewatch_event(w, U1, VM_RUNNING, T0 + 5 * S);
	newest_is(MSG_INFO, "web1 rebooted (after 5.0 s)");

	add(&t, U1, "web1", VM_RUNNING, 7);
	lifewatch_request(w, U1, "web1", ACT_REBOOT, 7, T0);
	lifewatch_refresh(w, t.vm, t.n, T0 + S);
	nothing_new(); /* same ID, running: nothing happened yet */
	t.vm[0]->id = 8; /* stopped and started between two refreshes */
	lifewatch_refresh(w, t.vm, t.n, T0 + 20 * S);
	newest_is(MSG_INFO, "web1 rebooted (after 20 s)");

	lifewatch_request(w, U1, "web1", ACT_REBOOT, 8, T0);
	t.vm[0]->state = VM_SHUTOFF;
	t.vm[0]->id = -1;
	lifewatch_refresh(w, t.vm, t.n, T0 + 2 * S);
	t.vm[0]->state = VM_RUNNING;
	t.vm[0]->id = 8; /* even if the ID came back the same */
	lifewatch_refresh(w, t.vm, t.n, T0 + 4 * S);
	newest_is(MSG_INFO, "web1 rebooted (after 4.0 s)");
	assert_int_equal(lifewatch_count(w), 0);
	table_free(&t);
	lifewatch_free(w);
}

/* A reboot with no sign of it when the wait passes: it was only passed on.
 * One stopped and not started again is told so. Without a force-off key
 * the message says what to do in words. */
static void
reboot_deadline_passed(void **state)
{
	struct lifewatch *w = lifewatch_new(30000, "F", "S");
	struct table t = { 0 };

	(void)state;
	add(&t, U1, "web1", VM_RUNNING, 7);
	add(&t, U2, "db", VM_RUNNING, 9);
	lifewatch_request(w, U1, "web1", ACT_REBOOT, 7, T0);
	lifewatch_request(w, U2, "db", ACT_REBOOT, 9, T0 + S);
	t.vm[1]->state = VM_SHUTOFF;
	lifewatch_refresh(w, t.vm, t.n, T0 + 30 * S);
	newest_is(MSG_ERROR, "web1 has not rebooted 30 s after the reboot request, which was "
	                     "only passed on (its OS may ignore ACPI): F forces it off, then S "
	                     "starts it");
	lifewatch_refresh(w, t.vm, t.n, T0 + 31 * S);
	newest_is(MSG_ERROR, "db stopped but has not started again 30 s after the reboot "
	                     "request: S starts it");
	assert_int_equal(lifewatch_count(w), 2);
	/* Its reboot event, late, is still told. */
	lifewatch_rebooted(w, U1, T0 + 40 * S);
	newest_is(MSG_INFO, "web1 rebooted (after 40 s)");
	lifewatch_free(w);

	w = lifewatch_new(30000, NULL, NULL);
	lifewatch_request(w, U1, "web1", ACT_SHUTDOWN, 7, T0);
	lifewatch_request(w, U2, "db", ACT_REBOOT, 9, T0);
	t.vm[1]->state = VM_RUNNING;
	lifewatch_refresh(w, t.vm, t.n, T0 + 30 * S);
	assert_int_equal(msglog_seq(), seen + 2);
	seen = msglog_seq() - 1;
	/* Entries are looked at in no set order: find each. */
	{
		struct msg a, b;
		assert_true(msglog_get(0, &a));
		assert_true(msglog_get(1, &b));
		if (strncmp(a.text, "db", 2) != 0) {
			struct msg x = a;
			a = b;
			b = x;
		}
		assert_string_equal(a.text, "db has not rebooted 30 s after the reboot request, "
		                            "which was only passed on (its OS may ignore ACPI): "
		                            "force it off to stop it");
		assert_string_equal(b.text, "web1 still runs 30 s after the shutdown request (its OS "
		                            "may ignore ACPI): force it off to stop it");
		msg_clear(&a);
		msg_clear(&b);
	}
	seen = msglog_seq();
	table_free(&t);
	lifewatch_free(w);
}

/* A followed guest missing from a refresh has gone: for a shutdown that is
 * done (a transient guest ends so), for a reboot it is not. Both of two
 * guests gone in one refresh are told. */
static void
guest_vanished(void **state)
{
	struct lifewatch *w = lifewatch_new(60000, "F", "S");
	struct table t = { 0 };
	struct msg a, b;

	(void)state;
	add(&t, U2, "other", VM_RUNNING, 2);
	lifewatch_request(w, U1, "web1", ACT_SHUTDOWN, 7, T0);
	lifewatch_request(w, U3, "db", ACT_REBOOT, 9, T0);
	lifewatch_refresh(w, t.vm, t.n, T0 + 5 * S);
	assert_int_equal(lifewatch_count(w), 0);
	assert_int_equal(msglog_seq(), seen + 2);
	assert_true(msglog_get(0, &a));
	assert_true(msglog_get(1, &b));
	if (a.kind != MSG_ERROR) {
		struct msg x = a;
		a = b;
		b = x;
	}
	assert_int_equal(a.kind, MSG_ERROR);
	assert_string_equal(a.text, "db is gone 5.0 s after the reboot request");
	assert_int_equal(b.kind, MSG_INFO);
	assert_string_equal(b.text, "web1 shut off and is gone (after 5.0 s)");
	msg_clear(&a);
	msg_clear(&b);
	seen = msglog_seq();

	/* An empty table: every guest gone. */
	lifewatch_request(w, U2, "other", ACT_SHUTDOWN, 2, T0);
	lifewatch_refresh(w, NULL, 0, T0 + 1 * S);
	newest_is(MSG_INFO, "other shut off and is gone (after 1.0 s)");
	table_free(&t);
	lifewatch_free(w);
}

/* A guest that crashes instead of shutting down is not "shut off". */
static void
shutdown_crashed(void **state)
{
	struct lifewatch *w = lifewatch_new(0, "F", "S"); /* 0: the default wait */

	(void)state;
	lifewatch_request(w, U1, "web1", ACT_SHUTDOWN, 7, T0);
	assert_int_equal(lifewatch_due(w), T0 + LIFEWATCH_WAIT_DEFAULT_MS * 1000000ull);
	lifewatch_request(w, U2, "db", ACT_SHUTDOWN, 8, T0 - 5 * S);
	assert_int_equal(lifewatch_due(w), T0 + 55 * S); /* the nearer deadline */
	lifewatch_event(w, U1, VM_CRASHED, T0 + 3 * S);
	newest_is(MSG_ERROR, "web1 crashed 3.0 s after the shutdown request");
	assert_int_equal(lifewatch_count(w), 1);
	lifewatch_free(w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(shutdown_pending_then_stopped, setup),
		cmocka_unit_test_setup(shutdown_seen_by_refresh, setup),
		cmocka_unit_test_setup(shutdown_deadline_passed, setup),
		cmocka_unit_test_setup(other_action_stops_following, setup),
		cmocka_unit_test_setup(reboot_event, setup),
		cmocka_unit_test_setup(reboot_through_shutoff, setup),
		cmocka_unit_test_setup(reboot_deadline_passed, setup),
		cmocka_unit_test_setup(guest_vanished, setup),
		cmocka_unit_test_setup(shutdown_crashed, setup),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	msglog_free_all();
	return rc;
}
