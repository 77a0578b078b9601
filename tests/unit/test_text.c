/* Unit tests: text at byte limits stays whole UTF-8; a NUL does not cut. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "modem.h"
#include "router.h"
#include "text.h"

/* A cut inside a 2-, 3- or 4-byte character drops the whole character. */
static void
test_text_utf8_fit(void **state)
{
	(void)state;
	assert_int_equal(text_utf8_fit("ab\xc3\xa9z", 3), 2);
	assert_int_equal(text_utf8_fit("ab\xc3\xa9z", 4), 4);
	assert_int_equal(text_utf8_fit("a\xe2\x82\xac", 2), 1);
	assert_int_equal(text_utf8_fit("a\xe2\x82\xac", 3), 1);
	assert_int_equal(text_utf8_fit("\xf0\x9f\x8c\xbe!", 2), 0);
	assert_int_equal(text_utf8_fit("abc", 3), 3);
}

/* A word longer than a token is cut between characters. */
static void
test_router_token_cut(void **state)
{
	struct router_tokens	tok;
	char			word[ROUTER_TOKEN_MAX + 8];

	(void)state;
	memset(word, 'a', ROUTER_TOKEN_MAX - 2);
	memcpy(word + ROUTER_TOKEN_MAX - 2, "\xc3\xa9\xc3\xa9", 5);
	router_tokenize(word, &tok);
	assert_int_equal(tok.n, 1);
	assert_int_equal(strlen(tok.t[0].s), ROUTER_TOKEN_MAX - 2);
}

/* A template or a value cut at the buffer's end ends on a character. */
static void
test_text_expand_cut(void **state)
{
	const char *const	vars[] = { "x", "\xe2\x82\xac\xe2\x82\xac", NULL };
	char			out[6];

	(void)state;
	text_expand("abc{x}", vars, out, sizeof(out));
	assert_string_equal(out, "abc");
	text_expand("ab\xe2\x82\xac\xe2\x82\xac", NULL, out, sizeof(out));
	assert_string_equal(out, "ab\xe2\x82\xac");
}

/* "HARGA\0CABAI" in UCS-2 is read whole, the NUL as a space. */
static void
test_sms_nul(void **state)
{
	static const unsigned char u[] = { 0, 'H', 0, 'A', 0, 0, 0, 'C',
	    0, 'A', 0, 0 };
	char out[32];

	(void)state;
	assert_int_equal(sms_ucs2n_to_utf8(u, 5, out, sizeof(out)), 5);
	assert_string_equal(out, "HA CA");
	sms_ucs2_to_utf8(u, out, sizeof(out));
	assert_string_equal(out, "HA");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_utf8_fit),
		cmocka_unit_test(test_router_token_cut),
		cmocka_unit_test(test_text_expand_cut),
		cmocka_unit_test(test_sms_nul),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
