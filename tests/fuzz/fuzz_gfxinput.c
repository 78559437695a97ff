/* fuzz_gfxinput.c — libFuzzer target: what a terminal sends while a
 * guest's screen shows (tui/gfxinput.c): keys, sequences, UTF-8, mouse
 * reports. The bytes are decoded as the screen's loop does, in pieces of
 * every size with final false and then true; each call must use at most
 * what it was given, make progress when final, and give events in range. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/gfxinput.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(const struct gfxin_ev *ev, size_t used, size_t n, bool final)
{
	struct gfx_keyev kv[GFXIN_KEYEV_MAX];
	unsigned wheel;
	char name[64];

	if (used > n || (final && n > 0 && used == 0)) {
		fprintf(stderr, "used %zu of %zu (final %d)\n", used, n, final);
		abort();
	}
	if (used == 0)
		return;
	if (ev->kind == GFXIN_MOUSE &&
	    (ev->row < 0 || ev->col < 0 || ev->button < GFXIN_NO_BUTTON || ev->button > 4)) {
		fprintf(stderr, "mouse out of range\n");
		abort();
	}
	if (gfxin_key_events(ev, kv) > GFXIN_KEYEV_MAX)
		abort();
	(void)gfxin_buttons(0, ev, &wheel);
	gfxin_key_name(ev, name, sizeof name);
	if (strnlen(name, sizeof name) >= sizeof name)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gfxin_ev ev;
	size_t off = 0, used;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		bool final = pass == 1;
		off = 0;
		while (off < size) {
			/* exactly the rest: the sanitizer sees a read past it */
			uint8_t *b = malloc(size - off);
			memcpy(b, data + off, size - off);
			used = gfxin_decode(b, size - off, final, &ev);
			free(b);
			check(&ev, used, size - off, final);
			if (used == 0)
				break;
			off += used;
		}
	}
	return 0;
}
