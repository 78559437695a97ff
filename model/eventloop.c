/* eventloop.c — the thread that runs virEventRunDefaultImpl. */
#include "eventloop.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <libvirt/libvirt.h>

static pthread_t thread;
static atomic_bool running;
static bool started;

static void *
loop(void *arg)
{
	(void)arg;
	while (atomic_load(&running))
		if (virEventRunDefaultImpl() < 0)
			break;
	return NULL;
}

/* Does nothing; its only job is to wake the loop so it sees `running`. */
static void
wake(int timer, void *opaque)
{
	(void)opaque;
	virEventRemoveTimeout(timer);
}

int
eventloop_start(void)
{
	sigset_t all, old;
	int rc;

	if (started)
		return 0;
	if (virEventRegisterDefaultImpl() < 0)
		return -1;
	atomic_store(&running, true);
	/* Signals belong to the UI thread. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	rc = pthread_create(&thread, NULL, loop, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0)
		return -1;
	started = true;
	return 0;
}

void
eventloop_stop(void)
{
	if (!started)
		return;
	atomic_store(&running, false);
	virEventAddTimeout(0, wake, NULL, NULL);
	pthread_join(thread, NULL);
	started = false;
}
