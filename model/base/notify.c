/* notify.c — a self-pipe shared by model threads and signal handlers. */
#include "notify.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

static int fds[2] = { -1, -1 };

int
notify_init(void)
{
	int i;

	if (fds[0] != -1)
		return 0;
	if (pipe(fds) == -1)
		return -1;
	for (i = 0; i < 2; i++) {
		fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
		fcntl(fds[i], F_SETFD, FD_CLOEXEC);
	}
	return 0;
}

int
notify_fd(void)
{
	return fds[0];
}

void
notify_post(void)
{
	int saved = errno;
	char c = 1;

	if (fds[1] != -1 && write(fds[1], &c, 1) < 0) {
		/* Pipe full: the UI is already due to wake. */
	}
	errno = saved;
}

void
notify_drain(void)
{
	char buf[256];
	ssize_t n;

	/* A short read emptied the pipe: no second call to hear EAGAIN. */
	while (fds[0] != -1 && (n = read(fds[0], buf, sizeof buf)) == (ssize_t)sizeof buf)
		;
}

void
notify_close(void)
{
	int i;

	for (i = 0; i < 2; i++) {
		if (fds[i] != -1)
			close(fds[i]);
		fds[i] = -1;
	}
}
