/* test_crash.c — the fatal-signal path of tui/screen.h and model/base/threads.h,
 * in child processes: a crash on a thread started the way model/ starts
 * its threads (every other signal blocked) still runs the handler, which
 * puts the terminal back (here: a restore function that writes a byte to
 * a pipe) and hands the signal on to the handler installed before it (the
 * default: the child dies of that signal; a handler of the test's own,
 * standing for ASan's, runs next). Faults the kernel raises (a write to a
 * read-only page, a division by zero) and signals sent (abort, tgkill of
 * SIGBUS and SIGILL) both. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "model/base/threads.h"
#include "tui/screen.h"

/* The child's end of the pipe the parent reads what ran from. */
static int report_fd = -1;

static void
say(char c)
{
	if (write(report_fd, &c, 1) < 0) {
		/* the parent sees the byte missing */
	}
}

/* Stands for screen_emergency_restore. */
static void
restore(void)
{
	say('R');
}

static void
on_quit(int sig)
{
	(void)sig;
}

/* Stands for ASan's handler: the one installed before screen_signals. */
static void
earlier(int sig, siginfo_t *si, void *uc)
{
	(void)si;
	(void)uc;
	say('E');
	_exit(100 + sig);
}

static void
segv_write(void)
{
	volatile char *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p != MAP_FAILED)
		p[0] = 1;
}

/* A real division by zero, not one UBSan stops first. */
__attribute__((no_sanitize("undefined"))) static void
fpe_divide(void)
{
	volatile int zero = 0, x = 1;

	x = x / zero;
	(void)x;
}

static void
abrt_abort(void)
{
	abort();
}

static void
bus_tgkill(void)
{
	syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGBUS);
}

static void
ill_tgkill(void)
{
	syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGILL);
}

static void *
crash_thread(void *arg)
{
	void (*crash)(void) = (void (*)(void))arg;

	crash();
	sleep(5); /* a signal held back would leave the thread here */
	return NULL;
}

/* In a child: the handlers, maybe one before them (`chain`), then crash()
 * on a new thread started as model/ starts them. Returns the child's wait
 * status; what ran, in order, goes to ran[]. */
static int
crash_child(void (*crash)(void), bool chain, char *ran, size_t n)
{
	int fds[2], status = 0;
	ssize_t got;
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit nocore = { 0, 0 };
		struct sigaction sa;
		pthread_t t;
		sigset_t old;
		int i;

		close(fds[0]);
		report_fd = fds[1];
		setrlimit(RLIMIT_CORE, &nocore);
		/* cmocka's own handlers out of the way: the default, or ours. */
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = SIG_DFL;
		if (chain) {
			sa.sa_sigaction = earlier;
			sa.sa_flags = SA_SIGINFO;
		}
		for (i = 0; i < THREADS_NFATAL; i++)
			sigaction(threads_fatal_signals[i], &sa, NULL);
		/* Twice, as a second start-up would: never chained to itself. */
		screen_signals(restore, on_quit, NULL);
		screen_signals(restore, on_quit, NULL);
		threads_block_signals(&old);
		if (pthread_create(&t, NULL, crash_thread, (void *)crash) != 0)
			_exit(2);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		pthread_join(t, NULL);
		_exit(3); /* the crash did not end the process */
	}
	close(fds[1]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	got = read(fds[0], ran, n - 1);
	ran[got > 0 ? got : 0] = '\0';
	close(fds[0]);
	return status;
}

/* Died of sig, after the restore. */
static void
dies_of(void (*crash)(void), int sig)
{
	char ran[16];
	int st = crash_child(crash, false, ran, sizeof ran);

	assert_string_equal(ran, "R");
	if (!WIFSIGNALED(st))
		fail_msg("the child exited with %d instead of dying of signal %d",
		         WIFEXITED(st) ? WEXITSTATUS(st) : -1, sig);
	assert_int_equal(WTERMSIG(st), sig);
}

static void
test_segv_on_thread(void **state)
{
	(void)state;
	dies_of(segv_write, SIGSEGV);
}

static void
test_fpe_on_thread(void **state)
{
	(void)state;
	dies_of(fpe_divide, SIGFPE);
}

static void
test_abort_on_thread(void **state)
{
	(void)state;
	dies_of(abrt_abort, SIGABRT);
}

static void
test_sent_to_thread(void **state)
{
	(void)state;
	dies_of(bus_tgkill, SIGBUS);
	dies_of(ill_tgkill, SIGILL);
}

/* The handler before runs after the restore, for faults and sent signals. */
static void
test_chains_to_earlier(void **state)
{
	char ran[16];
	int st;

	(void)state;
	st = crash_child(segv_write, true, ran, sizeof ran);
	assert_string_equal(ran, "RE");
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 100 + SIGSEGV);
	st = crash_child(abrt_abort, true, ran, sizeof ran);
	assert_string_equal(ran, "RE");
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 100 + SIGABRT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_segv_on_thread),
		cmocka_unit_test(test_fpe_on_thread),
		cmocka_unit_test(test_abort_on_thread),
		cmocka_unit_test(test_sent_to_thread),
		cmocka_unit_test(test_chains_to_earlier),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
