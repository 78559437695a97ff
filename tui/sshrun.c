/* sshrun.c — the user's ssh into a guest, and the relay that carries it
 * through vmtui's SSH link (sshrun.h). */
#include "sshrun.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../model/base/xmalloc.h"
#include "editor.h"

struct sshrelay {
	sshrun_open_fn open;
	void *ctx;
	char dir[64], path[96];
	int lfd;
	int wake[2];
	pthread_t thread;
};

const char *
sshrelay_path(const struct sshrelay *r)
{
	return r->path;
}

/* Write all of buf to fd; false on an error. */
static bool
write_all(int fd, const char *buf, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, buf, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		buf += w;
		n -= (size_t)w;
	}
	return true;
}

/* Carry bytes both ways between a (in0/out0) and b until both directions
 * ended or stop becomes readable (stop -1: none). A direction's end is
 * passed on as a half-close where the other end is a socket. */
static void
pump(int in0, int out0, int b, int stop)
{
	bool a_open = true, b_open = true;
	char buf[16384];

	while (a_open || b_open) {
		struct pollfd p[3] = {
			{ a_open ? in0 : -1, POLLIN, 0 },
			{ b_open ? b : -1, POLLIN, 0 },
			{ stop, POLLIN, 0 },
		};
		ssize_t n;
		if (poll(p, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		if (p[2].revents)
			return;
		if (p[0].revents) {
			n = read(in0, buf, sizeof buf);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0 || !write_all(b, buf, (size_t)n)) {
				a_open = false;
				shutdown(b, SHUT_WR);
			}
		}
		if (p[1].revents) {
			n = read(b, buf, sizeof buf);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0 || !write_all(out0, buf, (size_t)n)) {
				b_open = false;
				if (shutdown(out0, SHUT_WR) < 0 && out0 == STDOUT_FILENO)
					close(out0);
				if (!a_open || n <= 0)
					return; /* the guest's end closed: ssh is done */
			}
		}
	}
}

static void *
relay_main(void *arg)
{
	struct sshrelay *r = arg;

	for (;;) {
		struct pollfd p[2] = { { r->lfd, POLLIN, 0 }, { r->wake[0], POLLIN, 0 } };
		int c, g;
		char *err = NULL;
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[1].revents)
			break;
		if ((c = accept(r->lfd, NULL, NULL)) < 0)
			continue;
		g = r->open(r->ctx, &err);
		if (g < 0) {
			/* ssh-proxy says it on ssh's stderr. */
			char *line = xasprintf("vmtui: %s\n", err ? err : "no connection to the guest");
			write_all(c, "\x01", 1);
			write_all(c, line, strlen(line));
			free(line);
			free(err);
			close(c);
			continue;
		}
		write_all(c, "\x00", 1);
		pump(c, c, g, r->wake[0]);
		close(g);
		close(c);
	}
	return NULL;
}

struct sshrelay *
sshrelay_start(sshrun_open_fn open, void *ctx, char **err)
{
	struct sshrelay *r = xcalloc(1, sizeof *r);
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	const char *tmp = getenv("TMPDIR");

	*err = NULL;
	r->open = open;
	r->ctx = ctx;
	r->lfd = r->wake[0] = r->wake[1] = -1;
	snprintf(r->dir, sizeof r->dir, "%s/vmtui-ssh.XXXXXX",
	         tmp && *tmp && strlen(tmp) < 30 ? tmp : "/tmp");
	if (mkdtemp(r->dir) == NULL) {
		*err = xasprintf("cannot make a directory for the SSH relay: %s", strerror(errno));
		free(r);
		return NULL;
	}
	snprintf(r->path, sizeof r->path, "%s/s", r->dir);
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", r->path);
	if ((r->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    bind(r->lfd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(r->lfd, 4) < 0 ||
	    pipe(r->wake) < 0 || pthread_create(&r->thread, NULL, relay_main, r) != 0) {
		*err = xasprintf("cannot start the SSH relay: %s", strerror(errno));
		if (r->lfd >= 0)
			close(r->lfd);
		if (r->wake[0] >= 0) {
			close(r->wake[0]);
			close(r->wake[1]);
		}
		unlink(r->path);
		rmdir(r->dir);
		free(r);
		return NULL;
	}
	return r;
}

void
sshrelay_stop(struct sshrelay *r)
{
	if (r == NULL)
		return;
	write_all(r->wake[1], "q", 1);
	pthread_join(r->thread, NULL);
	close(r->lfd);
	close(r->wake[0]);
	close(r->wake[1]);
	unlink(r->path);
	rmdir(r->dir);
	free(r);
}

/* The path of this program, for ssh's ProxyCommand. */
static char *
self_exe(void)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);

	if (n <= 0)
		return xstrdup("vmtui");
	buf[n] = '\0';
	return xstrdup(buf);
}

char **
sshrun_argv(const char *user, const char *addr, const char *relay, const char *alias,
            char *const *cmd, int ncmd)
{
	const char *env = getenv("VMTUI_SSH");
	char *prog = xstrdup(env && *env ? env : "ssh"), *save = NULL, *w;
	char **v = xcalloc(strlen(prog) + (size_t)ncmd + 16, sizeof *v);
	size_t n = 0;
	int i;

	for (w = strtok_r(prog, " \t", &save); w; w = strtok_r(NULL, " \t", &save))
		v[n++] = xstrdup(w);
	if (n == 0)
		v[n++] = xstrdup("ssh");
	free(prog);
	if (user && *user) {
		v[n++] = xstrdup("-l");
		v[n++] = xstrdup(user);
	}
	if (relay) {
		char *exe = self_exe();
		v[n++] = xstrdup("-o");
		v[n++] = xasprintf("ProxyCommand=%s ssh-proxy %s", exe, relay);
		free(exe);
		if (alias) {
			v[n++] = xstrdup("-o");
			v[n++] = xasprintf("HostKeyAlias=%s", alias);
		}
	}
	v[n++] = xstrdup(addr);
	if (ncmd > 0)
		v[n++] = xstrdup("--");
	for (i = 0; i < ncmd; i++)
		v[n++] = xstrdup(cmd[i]);
	v[n] = NULL;
	return v;
}

void
sshrun_argv_free(char **argv)
{
	size_t i;

	for (i = 0; argv && argv[i]; i++)
		free(argv[i]);
	free(argv);
}

int
sshrun_exec(char **argv, char **err)
{
	int st = 0;

	*err = NULL;
	if (run_foreground(argv, &st) < 0) {
		*err = xasprintf("cannot start %s: %s", argv[0], strerror(errno));
		return -1;
	}
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

int
sshrun_proxy(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char b;
	int fd;

	if (strlen(path) >= sizeof sa.sun_path) {
		fprintf(stderr, "vmtui ssh-proxy: the socket path is too long\n");
		return 1;
	}
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		fprintf(stderr, "vmtui ssh-proxy: cannot reach vmtui's relay at %s: %s\n", path,
		        strerror(errno));
		return 1;
	}
	/* The relay's first byte: 0, or 1 and why it has no connection. */
	if (read(fd, &b, 1) != 1) {
		fprintf(stderr, "vmtui ssh-proxy: the relay closed at once\n");
		return 1;
	}
	if (b != 0) {
		char buf[512];
		ssize_t n;
		while ((n = read(fd, buf, sizeof buf)) > 0)
			write_all(STDERR_FILENO, buf, (size_t)n);
		return 1;
	}
	pump(STDIN_FILENO, STDOUT_FILENO, fd, -1);
	close(fd);
	return 0;
}
