/* gfx_drive.c — drive model/guest/gfx.h against a real daemon and a real
 * guest, for tests/integration/test_gfx.sh: open the guest's screen
 * through a host (and its worker) as the interface does, wait for a
 * frame, optionally save it, type text, and report what the session said.
 *
 * Usage: gfx_drive [-c URI | -H [USER@]HOST[:PORT] [-i KEY] [-k KNOWN_HOSTS]]
 *                  [--shot] [--dump FILE.png] [--type TEXT] [--combo N]
 *                  [--hold SECONDS] [--until-end SECONDS] [--fps N]
 *                  [--count SECONDS] [--sizes SECONDS] VM
 * Prints, one a line: "mode vnc|shot|ended", "text STATUS-TEXT",
 * "frame WxH" (the first frame with something drawn on it), "typed",
 * "ended REASON" (with --until-end: the session's end), "count FRAMES
 * SECONDS CPU-SECONDS" (with --count: the frames the session published and
 * the process's CPU time over that long, for bench/gfx-source), "size WxH"
 * (with --sizes: each new size of the framebuffer over that long, and
 * "sizes-done" then). Exit
 * status 0
 * when every step asked for happened, 1 otherwise (a line "error ..."
 * says which). An unknown SSH host key is accepted (a throwaway sshd). */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "model/base/notify.h"
#include "model/base/xmalloc.h"
#include "model/guest/gfx.h"
#include "model/host/eventloop.h"
#include "model/host/host.h"

static void
quiet(void *u, virErrorPtr e)
{
	(void)u;
	(void)e;
}

/* Sleep on the notify pipe for up to ms, answering host key questions. */
static void
pump(struct host *h, int ms)
{
	struct pollfd pf = { .fd = notify_fd(), .events = POLLIN };
	bool ask;

	poll(&pf, 1, ms);
	notify_drain();
	host_lock(h);
	ask = h->question.pending && h->question.yes_no;
	host_unlock(h);
	if (ask)
		host_answer(h, "yes");
}

static const char *
mode_name(enum gfx_state m)
{
	switch (m) {
	case GFX_OPENING: return "opening";
	case GFX_VNC: return "vnc";
	case GFX_SHOT: return "shot";
	case GFX_ENDED: return "ended";
	}
	return "?";
}

/* The guest's UUID once the host lists it; NULL after secs. */
static char *
find_uuid(struct host *h, const char *name, int secs)
{
	uint64_t until = host_now_ns() + (uint64_t)secs * 1000000000u;
	char *uuid = NULL;
	size_t i;

	while (uuid == NULL && host_now_ns() < until) {
		host_lock(h);
		for (i = 0; i < h->nvms; i++)
			if (strcmp(h->vms[i]->name, name) == 0)
				uuid = xstrdup(h->vms[i]->uuid);
		host_unlock(h);
		if (uuid == NULL)
			pump(h, 200);
	}
	return uuid;
}

/* Whether the frame has anything but black. */
static bool
drawn(const struct gfx_frame *f)
{
	int x, y;

	if (f->px == NULL)
		return false;
	for (y = 0; y < f->height; y++)
		for (x = 0; x < f->width; x++)
			if (f->px[(size_t)y * (size_t)f->stride + (size_t)x] != 0)
				return true;
	return false;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "shot", no_argument, NULL, 'S' },
		{ "dump", required_argument, NULL, 'D' },
		{ "type", required_argument, NULL, 'T' },
		{ "combo", required_argument, NULL, 'C' },
		{ "hold", required_argument, NULL, 'W' },
		{ "until-end", required_argument, NULL, 'E' },
		{ "fps", required_argument, NULL, 'F' },
		{ "count", required_argument, NULL, 'N' },
		{ "sizes", required_argument, NULL, 'Z' },
		{ NULL, 0, NULL, 0 },
	};
	struct host_opts ho = { .interval_ms = 1000, .history = 4 };
	struct gfx_open_opts go = { 0 };
	const char *dump = NULL, *text = NULL;
	int combo = -1, hold = 0, until_end = 0, count = 0, sizes = 0, ch, rc = 1;
	struct host *h;
	struct gfx *g;
	struct gfx_status st;
	struct gfx_frame f;
	char *uuid;
	uint64_t until;
	bool got = false;

	while ((ch = getopt_long(argc, argv, "c:H:i:k:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': ho.uri = optarg; break;
		case 'H': ho.ssh = optarg; break;
		case 'i': ho.key = optarg; break;
		case 'k': ho.known_hosts = optarg; break;
		case 'S': go.force_shot = true; break;
		case 'D': dump = optarg; break;
		case 'T': text = optarg; break;
		case 'C': combo = atoi(optarg); break;
		case 'W': hold = atoi(optarg); break;
		case 'E': until_end = atoi(optarg); break;
		case 'F': go.fps = (unsigned)atoi(optarg); break;
		case 'N': count = atoi(optarg); break;
		case 'Z': sizes = atoi(optarg); break;
		default:
			fprintf(stderr, "gfx_drive: see the comment at the top of gfx_drive.c\n");
			return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "gfx_drive: expected one VM name\n");
		return 2;
	}
	virSetErrorFunc(NULL, quiet);
	if (virInitialize() < 0 || notify_init() < 0 || eventloop_start() < 0)
		return 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	h = host_new(&ho);
	host_start(h);
	uuid = find_uuid(h, argv[optind], 60);
	if (uuid == NULL) {
		printf("error the host does not list %s\n", argv[optind]);
		host_free(h);
		return 1;
	}
	g = gfx_open(h, uuid, &go);

	/* The first frame with something on it, or the end. */
	until = host_now_ns() + 60ull * 1000000000u;
	while (host_now_ns() < until) {
		gfx_status(g, &st);
		gfx_frame_lock(g, &f);
		got = st.mode != GFX_OPENING && drawn(&f);
		if (got) {
			printf("mode %s\ntext %s\nframe %dx%d\n", mode_name(st.mode), st.text, f.width,
			       f.height);
			if (dump) {
				char *err = NULL;
				if (gfx_png_write(dump, f.px, f.width, f.height, f.stride, &err) < 0) {
					printf("error %s\n", err);
					free(err);
					got = false;
				}
			}
		}
		gfx_frame_unlock(g);
		if (st.mode == GFX_ENDED) {
			printf("mode ended\nended %s\n", st.text);
			gfx_status_free(&st);
			goto out;
		}
		gfx_status_free(&st);
		if (got)
			break;
		pump(h, 100);
	}
	if (!got) {
		printf("error no frame within 60 s\n");
		goto out;
	}
	if (text) {
		uint32_t bad;
		if (gfx_type(g, text, &bad) < 0) {
			printf("error cannot type U+%04X\n", (unsigned)bad);
			goto out;
		}
		printf("typed\n");
	}
	if (combo >= 0) {
		gfx_combo(g, (enum gfx_combo)combo);
		printf("combo %s\n", gfx_combo_name((enum gfx_combo)combo));
	}
	until = host_now_ns() + (uint64_t)hold * 1000000000u;
	while (host_now_ns() < until)
		pump(h, 100);
	if (sizes > 0) {
		int w = 0, ht = 0;
		until = host_now_ns() + (uint64_t)sizes * 1000000000u;
		while (host_now_ns() < until) {
			gfx_frame_lock(g, &f);
			if (f.width != w || f.height != ht) {
				w = f.width;
				ht = f.height;
				printf("size %dx%d\n", w, ht);
			}
			gfx_frame_unlock(g);
			pump(h, 20);
		}
		gfx_status(g, &st);
		printf("sizes-done %s: %s\n", mode_name(st.mode), st.text);
		gfx_status_free(&st);
	}
	if (count > 0) {
		struct rusage r0, r1;
		uint64_t seq0, t0;
		double cpu;

		getrusage(RUSAGE_SELF, &r0);
		gfx_frame_lock(g, &f);
		seq0 = f.seq;
		gfx_frame_unlock(g);
		t0 = host_now_ns();
		until = t0 + (uint64_t)count * 1000000000u;
		while (host_now_ns() < until) {
			/* Read as a renderer would: take the frame when it changed. */
			gfx_frame_lock(g, &f);
			gfx_frame_unlock(g);
			pump(h, 1000);
		}
		gfx_frame_lock(g, &f);
		gfx_frame_unlock(g);
		getrusage(RUSAGE_SELF, &r1);
		cpu = (double)(r1.ru_utime.tv_sec - r0.ru_utime.tv_sec + r1.ru_stime.tv_sec -
		               r0.ru_stime.tv_sec) +
		      (double)(r1.ru_utime.tv_usec - r0.ru_utime.tv_usec + r1.ru_stime.tv_usec -
		               r0.ru_stime.tv_usec) / 1e6;
		printf("count %llu %.2f %.3f\n", (unsigned long long)(f.seq - seq0),
		       (double)(host_now_ns() - t0) / 1e9, cpu);
	}
	if (until_end) {
		until = host_now_ns() + (uint64_t)until_end * 1000000000u;
		for (;;) {
			gfx_status(g, &st);
			if (st.mode == GFX_ENDED) {
				printf("ended %s\n", st.text);
				gfx_status_free(&st);
				break;
			}
			gfx_status_free(&st);
			if (host_now_ns() >= until) {
				printf("error the session did not end within %d s\n", until_end);
				goto out;
			}
			pump(h, 100);
		}
	}
	rc = 0;
out:
	gfx_close(g);
	free(uuid);
	host_free(h);
	return rc;
}
