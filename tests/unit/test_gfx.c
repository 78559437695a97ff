/* test_gfx.c — the pure parts of model/guest/gfx.h: PPM decoding, X11
 * keysyms to Linux key codes, text and combos to key events, dirty
 * rectangles, the domain XML's <graphics>, and PNG writing read back. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/guest/gfx.h"

/* ---- PPM ---- */

static void
ppm_basic(void **state)
{
	/* 2x2: red, green / blue, white, with a comment in the header. */
	static const unsigned char ppm[] = "P6\n# made by qemu\n2 2\n255\n"
	                                   "\xff\x00\x00" "\x00\xff\x00"
	                                   "\x00\x00\xff" "\xff\xff\xff";
	uint32_t *px = NULL;
	int w = 0, h = 0;
	char *err = NULL;

	(void)state;
	assert_int_equal(gfx_ppm_decode(ppm, sizeof ppm - 1, &px, &w, &h, &err), 0);
	assert_int_equal(w, 2);
	assert_int_equal(h, 2);
	assert_int_equal(px[0], 0xff0000);
	assert_int_equal(px[1], 0x00ff00);
	assert_int_equal(px[2], 0x0000ff);
	assert_int_equal(px[3], 0xffffff);
	free(px);
}

static void
ppm_maxval(void **state)
{
	/* maxval 15 scales to 0..255; maxval 65535 takes two bytes a sample. */
	static const unsigned char p15[] = "P6 1 1 15 \x0f\x00\x08";
	static const unsigned char p16[] = "P6 1 1 65535\n\xff\xff\x00\x00\x80\x00";
	uint32_t *px = NULL;
	int w, h;
	char *err = NULL;

	(void)state;
	assert_int_equal(gfx_ppm_decode(p15, sizeof p15 - 1, &px, &w, &h, &err), 0);
	assert_int_equal(px[0], 0xff0088);
	free(px);
	assert_int_equal(gfx_ppm_decode(p16, sizeof p16 - 1, &px, &w, &h, &err), 0);
	assert_int_equal(px[0], 0xff0080);
	free(px);
}

static void
ppm_bad(void **state)
{
	static const char *const bad[] = {
		"",
		"P5 1 1 255 x",           /* greyscale: not P6 */
		"P6 0 1 255 ",            /* no width */
		"P6 1 1 0 ",              /* maxval 0 */
		"P6 1 1 70000 ",          /* maxval too big */
		"P6 1 1 255 \x01\x02",    /* cut short */
		"P6 99999 99999 255 ",    /* too big a side */
		"P6 1 1 255",             /* no blank after the header */
		"P6 # only a comment",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		uint32_t *px = (uint32_t *)1;
		int w, h;
		char *err = NULL;
		assert_int_equal(gfx_ppm_decode(bad[i], strlen(bad[i]), &px, &w, &h, &err), -1);
		assert_null(px);
		assert_non_null(err);
		free(err);
	}
}

/* ---- keys ---- */

static void
keysym_table(void **state)
{
	(void)state;
	assert_int_equal(gfx_keysym_linux('a'), 30);    /* KEY_A */
	assert_int_equal(gfx_keysym_linux('A'), 30);
	assert_int_equal(gfx_keysym_linux('q'), 16);    /* KEY_Q */
	assert_int_equal(gfx_keysym_linux('m'), 50);    /* KEY_M */
	assert_int_equal(gfx_keysym_linux('z'), 44);    /* KEY_Z */
	assert_int_equal(gfx_keysym_linux('1'), 2);     /* KEY_1 */
	assert_int_equal(gfx_keysym_linux('0'), 11);    /* KEY_0 */
	assert_int_equal(gfx_keysym_linux('!'), 2);     /* Shift+1 */
	assert_int_equal(gfx_keysym_linux('>'), 52);    /* Shift+. */
	assert_int_equal(gfx_keysym_linux(' '), 57);    /* KEY_SPACE */
	assert_int_equal(gfx_keysym_linux('/'), 53);    /* KEY_SLASH */
	assert_int_equal(gfx_keysym_linux(0xff0d), 28); /* Return */
	assert_int_equal(gfx_keysym_linux(0xff1b), 1);  /* Escape */
	assert_int_equal(gfx_keysym_linux(0xffbe), 59); /* F1 */
	assert_int_equal(gfx_keysym_linux(0xffc7), 68); /* F10 */
	assert_int_equal(gfx_keysym_linux(0xffc8), 87); /* F11 */
	assert_int_equal(gfx_keysym_linux(0xffc9), 88); /* F12 */
	assert_int_equal(gfx_keysym_linux(0xffe3), 29); /* Control_L */
	assert_int_equal(gfx_keysym_linux(0xffe9), 56); /* Alt_L */
	assert_int_equal(gfx_keysym_linux(0xffe1), 42); /* Shift_L */
	assert_int_equal(gfx_keysym_linux(0xffff), 111); /* Delete */
	assert_int_equal(gfx_keysym_linux(0xff52), 103); /* Up */
	assert_int_equal(gfx_keysym_linux(0xff15), 99); /* Sys_Req */
	assert_int_equal(gfx_keysym_linux(0xffb5), 76); /* KP_5 */
	assert_int_equal(gfx_keysym_linux(0x00e9), -1); /* eacute: not on a US keyboard */
	assert_int_equal(gfx_keysym_linux(0x20ac), -1); /* EuroSign */
}

/* Every printable ASCII character has a key, and its keysym goes through. */
static void
keysym_ascii(void **state)
{
	uint32_t c;

	(void)state;
	for (c = 0x20; c < 0x7f; c++)
		assert_true(gfx_keysym_linux(c) > 0);
}

static void
text_keys(void **state)
{
	struct gfx_keyev *ev;
	size_t n;
	uint32_t bad = 0;

	(void)state;
	assert_int_equal(gfx_text_keys("aB!\n", &ev, &n, &bad), 0);
	/* a: down up; B: Shift down, B down, B up, Shift up; !: the same; Return */
	assert_int_equal(n, 2 + 4 + 4 + 2);
	assert_int_equal(ev[0].keysym, 'a');
	assert_true(ev[0].down);
	assert_int_equal(ev[1].keysym, 'a');
	assert_false(ev[1].down);
	assert_int_equal(ev[2].keysym, 0xffe1);
	assert_true(ev[2].down);
	assert_int_equal(ev[3].keysym, 'B');
	assert_int_equal(ev[5].keysym, 0xffe1);
	assert_false(ev[5].down);
	assert_int_equal(ev[7].keysym, '!');
	assert_int_equal(ev[10].keysym, 0xff0d);
	assert_true(ev[10].down);
	free(ev);

	assert_int_equal(gfx_text_keys("", &ev, &n, &bad), 0);
	assert_int_equal(n, 0);
	free(ev);

	assert_int_equal(gfx_text_keys("caf\xc3\xa9", &ev, &n, &bad), -1);
	assert_int_equal(bad, 0xc3);
	assert_null(ev);
}

/* The command the integration test types: every key known, Shift only
 * around '>'. */
static void
text_keys_command(void **state)
{
	const char *cmd = "echo VMTUI-GFX-OK > /dev/ttyS0\n";
	struct gfx_keyev *ev;
	size_t n, i;
	int shifts = 0;

	(void)state;
	assert_int_equal(gfx_text_keys(cmd, &ev, &n, NULL), 0);
	for (i = 0; i < n; i++) {
		assert_true(gfx_keysym_linux(ev[i].keysym) > 0);
		if (ev[i].keysym == 0xffe1 && ev[i].down)
			shifts++;
	}
	/* V M T U I G F X O K, the S of ttyS0 and > */
	assert_int_equal(shifts, 12);
	free(ev);
}

static void
combos(void **state)
{
	struct gfx_keyev ev[8];
	size_t n;

	(void)state;
	n = gfx_combo_keys(GFX_CTRL_ALT_DEL, ev);
	assert_int_equal(n, 6);
	assert_int_equal(ev[0].keysym, 0xffe3);
	assert_int_equal(ev[1].keysym, 0xffe9);
	assert_int_equal(ev[2].keysym, 0xffff);
	assert_true(ev[2].down);
	assert_int_equal(ev[3].keysym, 0xffff);
	assert_false(ev[3].down);
	assert_int_equal(ev[5].keysym, 0xffe3);
	assert_false(ev[5].down);

	n = gfx_combo_keys(GFX_CTRL_ALT_F1 + 1, ev);
	assert_int_equal(n, 6);
	assert_int_equal(ev[2].keysym, 0xffbf); /* F2 */
	assert_string_equal(gfx_combo_name(GFX_CTRL_ALT_F1 + 1), "Ctrl+Alt+F2");
	n = gfx_combo_keys(GFX_CTRL_ALT_F12, ev);
	assert_int_equal(ev[2].keysym, 0xffc9);
	assert_string_equal(gfx_combo_name(GFX_CTRL_ALT_F12), "Ctrl+Alt+F12");

	n = gfx_combo_keys(GFX_PRINT, ev);
	assert_int_equal(n, 2);
	assert_int_equal(ev[0].keysym, 0xff61);
	n = gfx_combo_keys(GFX_SYSRQ, ev);
	assert_int_equal(n, 4);
	assert_int_equal(ev[1].keysym, 0xff15);
	assert_string_equal(gfx_combo_name(GFX_CTRL_ALT_DEL), "Ctrl+Alt+Del");
}

/* ---- rectangles ---- */

static void
rect_merge(void **state)
{
	struct gfx_rect a = { 0, 0, 0, 0 }, b = { 10, 20, 5, 5 }, c = { 0, 0, 2, 2 },
	                e = { 100, 100, 0, 9 };

	(void)state;
	gfx_rect_merge(&a, &b); /* into an empty one: b itself */
	assert_int_equal(a.x, 10);
	assert_int_equal(a.y, 20);
	assert_int_equal(a.w, 5);
	assert_int_equal(a.h, 5);
	gfx_rect_merge(&a, &e); /* an empty one adds nothing */
	assert_int_equal(a.w, 5);
	gfx_rect_merge(&a, &c); /* the box around both */
	assert_int_equal(a.x, 0);
	assert_int_equal(a.y, 0);
	assert_int_equal(a.w, 15);
	assert_int_equal(a.h, 25);
	gfx_rect_merge(&a, &b); /* inside: unchanged */
	assert_int_equal(a.w, 15);
	assert_int_equal(a.h, 25);
}

static void
rect_clip(void **state)
{
	struct gfx_rect r = { -5, -5, 20, 20 }, out = { 700, 10, 50, 50 }, edge = { 630, 470, 50, 50 };

	(void)state;
	gfx_rect_clamp(&r, 640, 480);
	assert_int_equal(r.x, 0);
	assert_int_equal(r.y, 0);
	assert_int_equal(r.w, 15);
	assert_int_equal(r.h, 15);
	gfx_rect_clamp(&out, 640, 480);
	assert_int_equal(out.w, 0);
	assert_int_equal(out.h, 0);
	gfx_rect_clamp(&edge, 640, 480);
	assert_int_equal(edge.w, 10);
	assert_int_equal(edge.h, 10);
}

/* ---- the domain's <graphics> ---- */

static void
display_parse(void **state)
{
	struct gfx_display d;

	(void)state;
	assert_int_equal(gfx_display_parse(
		"<domain><devices><graphics type='spice' port='5901'/>"
		"<graphics type='vnc' port='5900' autoport='yes' listen='127.0.0.1'>"
		"<listen type='address' address='127.0.0.1'/></graphics></devices></domain>", &d), 0);
	assert_string_equal(d.type, "vnc");
	assert_true(d.has_vnc);
	assert_int_equal(d.port, 5900);
	assert_string_equal(d.listen, "127.0.0.1");
	assert_null(d.socket);
	gfx_display_free(&d);

	assert_int_equal(gfx_display_parse(
		"<domain><devices><graphics type='vnc' socket='/run/v.sock'>"
		"<listen type='socket' socket='/run/v.sock'/></graphics></devices></domain>", &d), 0);
	assert_string_equal(d.socket, "/run/v.sock");
	assert_int_equal(d.port, -1);
	gfx_display_free(&d);

	/* autoport before the guest runs */
	assert_int_equal(gfx_display_parse(
		"<domain><devices><graphics type='vnc' port='-1' autoport='yes'/></devices></domain>", &d), 0);
	assert_int_equal(d.port, -1);
	gfx_display_free(&d);

	assert_int_equal(gfx_display_parse(
		"<domain><devices><graphics type='spice' autoport='yes'/></devices></domain>", &d), 0);
	assert_string_equal(d.type, "spice");
	assert_false(d.has_vnc);
	assert_false(d.video);
	gfx_display_free(&d);

	assert_int_equal(gfx_display_parse("<domain><devices/></domain>", &d), 0);
	assert_null(d.type);
	assert_false(d.video);
	gfx_display_free(&d);

	/* a VGA card without <graphics>: screenshots still see it */
	assert_int_equal(gfx_display_parse(
		"<domain><devices><video><model type='vga'/></video></devices></domain>", &d), 0);
	assert_null(d.type);
	assert_true(d.video);
	gfx_display_free(&d);
	assert_int_equal(gfx_display_parse(
		"<domain><devices><video><model type='none'/></video></devices></domain>", &d), 0);
	assert_false(d.video);
	gfx_display_free(&d);

	assert_int_equal(gfx_display_parse("<domain", &d), -1);
}

/* ---- PNG ---- */

static void
png_roundtrip(void **state)
{
	char path[] = "/tmp/vmtui-test-gfx-XXXXXX";
	uint32_t px[3 * 2 + 2] = { 0x102030, 0xff0000, 0x00ff00, 0, 0,
	                           0x0000ff, 0xffffff, 0x808080 };
	png_image img;
	unsigned char out[3 * 2 * 3];
	char *err = NULL;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	/* 3x2 with a stride of 5: the padding must not show. */
	px[5] = 0x0000ff;
	px[6] = 0xffffff;
	px[7] = 0x808080;
	assert_int_equal(gfx_png_write(path, px, 3, 2, 5, &err), 0);
	memset(&img, 0, sizeof img);
	img.version = PNG_IMAGE_VERSION;
	assert_true(png_image_begin_read_from_file(&img, path));
	assert_int_equal(img.width, 3);
	assert_int_equal(img.height, 2);
	img.format = PNG_FORMAT_RGB;
	assert_true(png_image_finish_read(&img, NULL, out, 0, NULL));
	assert_int_equal(out[0], 0x10);
	assert_int_equal(out[1], 0x20);
	assert_int_equal(out[2], 0x30);
	assert_int_equal(out[3], 0xff);
	assert_int_equal(out[9], 0x00);
	assert_int_equal(out[11], 0xff); /* row 2 starts at px[5]: blue */
	assert_int_equal(out[15], 0x80);
	/* gfx_png_decode reads it back as written. */
	{
		FILE *f = fopen(path, "rb");
		unsigned char buf[4096];
		size_t n = fread(buf, 1, sizeof buf, f);
		uint32_t *back = NULL;
		int w, h;

		fclose(f);
		assert_int_equal(gfx_png_decode(buf, n, &back, &w, &h, &err), 0);
		assert_int_equal(w, 3);
		assert_int_equal(h, 2);
		assert_int_equal(back[0], 0x102030);
		assert_int_equal(back[3], 0x0000ff);
		assert_int_equal(back[5], 0x808080);
		free(back);
		assert_int_equal(gfx_png_decode(buf, n / 2, &back, &w, &h, &err), -1);
		assert_null(back);
		free(err);
		assert_int_equal(gfx_png_decode("P6 1 1 255 abc", 14, &back, &w, &h, &err), -1);
		free(err);
	}
	unlink(path);

	assert_int_equal(gfx_png_write("/nonexistent/dir/x.png", px, 3, 2, 5, &err), -1);
	assert_non_null(strstr(err, "/nonexistent/dir/x.png"));
	free(err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ppm_basic),
		cmocka_unit_test(ppm_maxval),
		cmocka_unit_test(ppm_bad),
		cmocka_unit_test(keysym_table),
		cmocka_unit_test(keysym_ascii),
		cmocka_unit_test(text_keys),
		cmocka_unit_test(text_keys_command),
		cmocka_unit_test(combos),
		cmocka_unit_test(rect_merge),
		cmocka_unit_test(rect_clip),
		cmocka_unit_test(display_parse),
		cmocka_unit_test(png_roundtrip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
