/* threads.h — the signal mask of the threads model/ starts. Signals
 * belong to the UI thread, so a thread is started with them blocked;
 * but a signal a crash raises must never be blocked: the kernel then
 * kills the process at once, without the handler that puts the
 * terminal back (and one sent with tgkill would wait forever). */
#ifndef VMTUI_THREADS_H
#define VMTUI_THREADS_H

#include <signal.h>

/* The signals a crash raises (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT). */
#define THREADS_NFATAL 5
extern const int threads_fatal_signals[THREADS_NFATAL];

/* Block every signal on the calling thread but the fatal ones, before
 * pthread_create (the new thread inherits the mask); *old receives the
 * mask to put back with pthread_sigmask(SIG_SETMASK, old, NULL). */
void threads_block_signals(sigset_t *old);

#endif
