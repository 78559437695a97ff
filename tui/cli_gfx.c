/* cli_gfx.c — `vmtui screenshot [-c URI|-H HOST] VM FILE.png`: the
 * guest's screen now (virDomainScreenshot) written as PNG, through a
 * host's worker as the screen reaches hosts, so SSH hosts work the same. */
#include "subcmd.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../model/base/msglog.h"
#include "../model/base/notify.h"
#include "../model/base/xmalloc.h"
#include "../model/guest/gfx.h"
#include "../model/host/host.h"
#include "../model/host/lvutil.h"
#include "top.h"

/* Give up when the host is not connected after this long. */
#define CONNECT_WAIT_MS 60000

struct shot_job {
	const char *vm, *path;
	pthread_mutex_t lock;
	bool done;      /* under lock */
	int rc;         /* under lock */
	char *err;      /* under lock */
	int width, height;
};

static volatile sig_atomic_t shot_signal;

static void
shot_on_signal(int sig)
{
	shot_signal = sig;
	notify_post();
}

/* On the host's worker: take the screenshot and write the file. */
static void
shot_job_run(struct host *h, virConnectPtr conn, void *arg)
{
	struct shot_job *j = arg;
	virDomainPtr dom = NULL;
	uint32_t *px = NULL;
	int w = 0, ht = 0, rc = -1;
	char *err = NULL;

	if (conn == NULL) {
		err = host_not_connected(h);
	} else if ((dom = lv_domain_lookup(conn, j->vm, &err)) != NULL) {
		if (virDomainIsActive(dom) != 1)
			err = xasprintf("%s is not running; only a running guest has a screen.", j->vm);
		else if (gfx_screenshot(dom, &px, &w, &ht, &err) == 0)
			rc = gfx_png_write(j->path, px, w, ht, w, &err);
		virDomainFree(dom);
	}
	free(px);
	pthread_mutex_lock(&j->lock);
	j->rc = rc;
	j->err = err;
	j->width = w;
	j->height = ht;
	j->done = true;
	pthread_mutex_unlock(&j->lock);
	notify_post();
}

/* "vmtui screenshot: " and the sentence, lower case after the colon
 * unless it starts with the VM's name, without its final period. */
static void
say_error(const char *vm, char *msg)
{
	size_t n;

	if (msg == NULL) {
		fprintf(stderr, "vmtui screenshot: failed\n");
		return;
	}
	if (vm[0] == '\0' || strncmp(msg, vm, strlen(vm)) != 0)
		msg[0] = (char)tolower((unsigned char)msg[0]);
	n = strlen(msg);
	if (n > 0 && msg[n - 1] == '.')
		msg[n - 1] = '\0';
	fprintf(stderr, "vmtui screenshot: %s\n", msg);
}

/* Wait for the host to connect and the job to finish. 0, or -1 after
 * saying why on stderr. */
static int
shot_wait(struct host *h, struct shot_job *j)
{
	uint64_t deadline = host_now_ns() + (uint64_t)CONNECT_WAIT_MS * 1000000u;
	bool called = false;

	for (;;) {
		struct pollfd pf = { .fd = notify_fd(), .events = POLLIN };
		bool done;

		notify_drain();
		if (shot_signal) {
			fprintf(stderr, "vmtui screenshot: interrupted\n");
			return -1;
		}
		host_lock(h);
		if (h->question.pending) {
			fprintf(stderr, "vmtui screenshot: %s; run vmtui once to answer it\n",
			        h->question.text ? h->question.text : host_label(h));
			host_unlock(h);
			host_answer(h, NULL);
			return -1;
		}
		if (!called && h->state == HOST_DOWN) {
			fprintf(stderr, "vmtui screenshot: cannot connect to %s: %s\n", host_label(h),
			        h->error ? h->error : "unknown error");
			host_unlock(h);
			return -1;
		}
		if (!called && h->state == HOST_UP) {
			called = true;
			host_unlock(h);
			host_call(h, shot_job_run, j);
			continue;
		}
		host_unlock(h);
		pthread_mutex_lock(&j->lock);
		done = j->done;
		pthread_mutex_unlock(&j->lock);
		if (done)
			return 0;
		if (!called && host_now_ns() > deadline) {
			fprintf(stderr, "vmtui screenshot: %s did not connect within %d s\n",
			        host_label(h), CONNECT_WAIT_MS / 1000);
			return -1;
		}
		if (poll(&pf, 1, 250) < 0 && errno != EINTR)
			return -1;
	}
}

int
cli_screenshot(const struct subcmd *cmd, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "connect", required_argument, NULL, 'c' },
		{ "host", required_argument, NULL, 'H' },
		{ "known-hosts", required_argument, NULL, 'K' + 256 },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct host_args ha = { 0 };
	struct host_opts ho = { .interval_ms = 60000, .history = 2 };
	struct shot_job j = { .rc = -1 };
	struct sigaction sa = { .sa_handler = shot_on_signal };
	struct host *h;
	int ch, rc = EXIT_FAILURE;
	size_t len;

	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, ":c:H:h", longopts, NULL)) != -1) {
		if (ch == 'h') {
			subcmd_help(cmd, stdout);
			rc = EXIT_SUCCESS;
			goto out;
		}
		if (!top_host_arg(&ha, ch, optarg)) {
			subcmd_bad_option(cmd, ch, argv, longopts);
			goto out;
		}
	}
	if (ha.nuris + ha.nssh > 1) {
		fprintf(stderr, "vmtui screenshot: one host only: -c URI or -H HOST, once\n");
		subcmd_hint(cmd);
		goto out;
	}
	if (argc - optind != 2) {
		fprintf(stderr, "vmtui screenshot: %s\n", argc - optind < 2
		        ? "expected a VM and a FILE.png to write"
		        : "too many arguments: expected a VM and a FILE.png");
		subcmd_hint(cmd);
		goto out;
	}
	j.vm = argv[optind];
	j.path = argv[optind + 1];
	len = strlen(j.path);
	if (len < 5 || strcasecmp(j.path + len - 4, ".png") != 0) {
		fprintf(stderr, "vmtui screenshot: FILE must end in .png (got \"%s\"): the screen is written as PNG\n",
		        j.path);
		subcmd_hint(cmd);
		goto out;
	}
	ho.uri = ha.nuris ? ha.uris[0] : NULL;
	ho.ssh = ho.name = ha.nssh ? ha.ssh[0] : NULL;
	ho.known_hosts = ha.known_hosts;
	pthread_mutex_init(&j.lock, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	h = host_new(&ho);
	host_start(h);
	if (shot_wait(h, &j) == 0) {
		if (j.rc == 0) {
			printf("%s: %dx%d\n", j.path, j.width, j.height);
			rc = EXIT_SUCCESS;
		} else {
			say_error(j.vm, j.err);
		}
	}
	host_free(h); /* joins the worker: a job still queued runs first */
	free(j.err);
	pthread_mutex_destroy(&j.lock);
	msglog_free_all();
out:
	free(ha.uris);
	free(ha.ssh);
	return rc;
}
