/* editor.c — the user's editor run on a file, waited for. */
#include "editor.h"

#include <errno.h>
#include <signal.h>
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
editor_run(const char *path, char **err)
{
	const char *cmd = editor_command();
	char *line = xasprintf("%s \"$1\"", cmd);
	struct sigaction ign = { .sa_handler = SIG_IGN }, oint, oquit;
	pid_t pid;
	int st = 0;

	*err = NULL;
	/* As system(3): the editor takes ^C and ^\, vmtui waits. */
	sigemptyset(&ign.sa_mask);
	sigaction(SIGINT, &ign, &oint);
	sigaction(SIGQUIT, &ign, &oquit);
	pid = fork();
	if (pid == 0) {
		sigaction(SIGINT, &oint, NULL);
		sigaction(SIGQUIT, &oquit, NULL);
		execl("/bin/sh", "sh", "-c", line, "sh", path, (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
	sigaction(SIGINT, &oint, NULL);
	sigaction(SIGQUIT, &oquit, NULL);
	free(line);
	if (pid < 0) {
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
