/* Unit tests: the log escapes text from outside before it is written. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "log.h"

/* A newline cannot start a forged line; other controls are shown too. */
static void
test_log_escape_controls(void **state)
{
	char out[128];

	(void)state;
	log_escape(out, sizeof(out), "ABC\n09:99:99.000 FORGED\r\x1b[2J\x7f");
	assert_string_equal(out,
	    "ABC\\x0a09:99:99.000 FORGED\\x0d\\x1b[2J\\x7f");
	log_escape(out, sizeof(out), "a\tb");
	assert_string_equal(out, "a\\x09b");
}

/* UTF-8 text passes as it is; the C1 controls (C2 80..9F) do not. */
static void
test_log_escape_utf8(void **state)
{
	char out[128];

	(void)state;
	log_escape(out, sizeof(out), "Caf\xc3\xa9 \xe2\x82\xac 5");
	assert_string_equal(out, "Caf\xc3\xa9 \xe2\x82\xac 5");
	log_escape(out, sizeof(out), "x\xc2\x85y\xc2\xa0z");
	assert_string_equal(out, "x\\xc2\\x85y\xc2\xa0z");
}

/* A full buffer ends at a whole escape, always terminated. */
static void
test_log_escape_bounded(void **state)
{
	char out[8];

	(void)state;
	log_escape(out, sizeof(out), "abcde\nfgh");
	assert_string_equal(out, "abcde");
	log_escape(out, sizeof(out), "ab\ncdefgh");
	assert_string_equal(out, "ab\\x0ac");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_log_escape_controls),
		cmocka_unit_test(test_log_escape_utf8),
		cmocka_unit_test(test_log_escape_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
