/* test_vtkeys.c — curses keys to the bytes sent to a guest's console. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include <curses.h>

#include "tui/vtkeys.h"

/* The bytes of one key, as a string. */
static const char *
enc(wint_t wc, bool is_key)
{
	static char buf[VTKEYS_MAX + 1];
	size_t n = vtkeys_encode(wc, is_key, buf);

	buf[n] = '\0';
	return buf;
}

static void
test_keys(void **state)
{
	(void)state;
	assert_string_equal(enc(KEY_UP, true), "\033[A");
	assert_string_equal(enc(KEY_DOWN, true), "\033[B");
	assert_string_equal(enc(KEY_RIGHT, true), "\033[C");
	assert_string_equal(enc(KEY_LEFT, true), "\033[D");
	assert_string_equal(enc(KEY_ENTER, true), "\r");
	assert_string_equal(enc(KEY_BACKSPACE, true), "\177");
	assert_string_equal(enc(KEY_DC, true), "\033[3~");
	assert_string_equal(enc(KEY_F(1), true), "\033OP");
	assert_string_equal(enc(KEY_F(12), true), "\033[24~");
	assert_int_equal(vtkeys_encode(KEY_RESIZE, true, (char[VTKEYS_MAX]){ 0 }), 0);
	assert_int_equal(vtkeys_encode(KEY_MOUSE, true, (char[VTKEYS_MAX]){ 0 }), 0);
}

static void
test_chars(void **state)
{
	(void)state;
	assert_string_equal(enc('a', false), "a");
	assert_string_equal(enc('\r', false), "\r");
	assert_string_equal(enc(0x7f, false), "\177");
	assert_string_equal(enc(0x03, false), "\003");
	assert_string_equal(enc(0xe9, false), "\xc3\xa9");        /* é */
	assert_string_equal(enc(0x20ac, false), "\xe2\x82\xac");  /* € */
	assert_string_equal(enc(0x1f600, false), "\xf0\x9f\x98\x80");
	assert_int_equal(vtkeys_encode(0xd800, false, (char[VTKEYS_MAX]){ 0 }), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_chars),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
