/* editor.c — the user's editor run on a file, waited for. */
#include "editor.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../model/base/xmalloc.h"

const char *
editor_command(void)
{
	const char *e = getenv("VISUAL");

	if (e == NULL || *e == '\0')
		e = getenv("EDITOR");
	return e && *e ? e : "vi";
}

int
run_foreground(char *const argv[], int *wstatus)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, oint, oquit;
	pid_t pid;
	int saved;

	*wstatus = 0;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGINT, &ign, &oint);
	sigaction(SIGQUIT, &ign, &oquit);
	pid = fork();
	if (pid == 0) {
		sigaction(SIGINT, &oint, NULL);
		sigaction(SIGQUIT, &oquit, NULL);
		execvp(argv[0], argv);
		fprintf(stderr, "vmtui: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	saved = errno;
	if (pid > 0)
		while (waitpid(pid, wstatus, 0) < 0 && errno == EINTR)
			;
	sigaction(SIGINT, &oint, NULL);
	sigaction(SIGQUIT, &oquit, NULL);
	errno = saved;
	return pid < 0 ? -1 : 0;
}

int
editor_run(const char *path, char **err)
{
	const char *cmd = editor_command();
	char *line = xasprintf("%s \"$1\"", cmd);
	char *argv[] = { "/bin/sh", "-c", line, "sh", (char *)path, NULL };
	int st = 0, rc;

	*err = NULL;
	rc = run_foreground(argv, &st);
	free(line);
	if (rc < 0) {
		*err = xasprintf("cannot start the editor (%s): %s", cmd, strerror(errno));
		return -1;
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
		*err = xasprintf("the editor \"%s\" was not found (set $VISUAL or $EDITOR)", cmd);
	else if (WIFEXITED(st))
		*err = xasprintf("the editor \"%s\" exited with status %d", cmd, WEXITSTATUS(st));
	else
		*err = xasprintf("the editor \"%s\" was killed by signal %d", cmd,
		                 WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	return -1;
}
