/* threads.c — start threads with every signal blocked but the fatal ones. */
#include "threads.h"

#include <pthread.h>

const int threads_fatal_signals[THREADS_NFATAL] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };

void
threads_block_signals(sigset_t *old)
{
	sigset_t set;
	int i;

	sigfillset(&set);
	for (i = 0; i < THREADS_NFATAL; i++)
		sigdelset(&set, threads_fatal_signals[i]);
	pthread_sigmask(SIG_SETMASK, &set, old);
}
