/* Unit tests: normalisation of inbound text, safe echoes, name phrases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "match.h"
#include "modem.h"
#include "norm.h"
#include "price.h"

static void
test_norm_text(void **state)
{
	char out[64];

	(void)state;
	/* Fullwidth letters from an Asian keyboard are plain letters. */
	norm_text("\xef\xbc\xa8\xef\xbc\xa1\xef\xbc\xb2\xef\xbc\xa7\xef\xbc\xa1",
	    out, sizeof(out));
	assert_string_equal(out, "HARGA");
	/* Zero-width and bidi controls vanish; a BOM too. */
	norm_text("har\xe2\x80\x8bga \xe2\x80\xae" "cabai\xef\xbb\xbf", out,
	    sizeof(out));
	assert_string_equal(out, "harga cabai");
	/* Typographic quotes and dashes are ASCII; an emoji is a space. */
	norm_text("\xe2\x80\x9c" "ok\xe2\x80\x9d \xe2\x80\x93 cabai\xf0\x9f\x98\x80"
	    "kediri", out, sizeof(out));
	assert_string_equal(out, "\"ok\" - cabai kediri");
	/* Other letters stay, and a full buffer never cuts a character. */
	norm_text("caf\xc3\xa9", out, 5);
	assert_string_equal(out, "caf");
	norm_text("caf\xc3\xa9", out, 6);
	assert_string_equal(out, "caf\xc3\xa9");
}

static void
test_norm_echo(void **state)
{
	char out[32];

	(void)state;
	norm_echo("D\xc3\xbcrian\xf0\x9f\x98\x80!", 20, out, sizeof(out));
	assert_string_equal(out, "Drian!");
	norm_echo("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 10, out, sizeof(out));
	assert_string_equal(out, "ABCDEFG...");
	norm_echo("ABC", 10, out, sizeof(out));
	assert_string_equal(out, "ABC");
}

static void
test_phrase_clean(void **state)
{
	char out[32];

	(void)state;
	assert_int_equal(match_phrase_clean("  bawang   merah ", out,
	    sizeof(out)), 2);
	assert_string_equal(out, "BAWANG MERAH");
	assert_int_equal(match_phrase_clean("cabai/rawit", out, sizeof(out)),
	    -1);
	assert_int_equal(match_phrase_clean("a b c d e", out, sizeof(out)), -1);
	assert_int_equal(match_phrase_clean("   ", out, sizeof(out)), -1);
	assert_int_equal(price_name_clean("Minyak goreng curah", out,
	    sizeof(out)), 0);
	assert_string_equal(out, "MINYAK GORENG CURAH");
	assert_int_equal(price_name_clean("ABCDEFGHIJ ABCDEFGHIJ ABCDEFGHIJ "
	    "AB", out, sizeof(out)), -1);
}

static void
test_word_close(void **state)
{
	(void)state;
	assert_true(match_word_close("KRITING", "KERITING"));
	assert_true(match_word_close("cabai", "CABAI"));
	assert_false(match_word_close("GABAH", "CABAI"));
	/* Short words must be exact: one edit makes another word. */
	assert_false(match_word_close("KOK", "KOL"));
}

static void
test_sms_count(void **state)
{
	struct sms_cost	c;
	char		buf[400];

	(void)state;
	memset(buf, 'a', 160);
	buf[160] = '\0';
	sms_count(buf, &c);
	assert_int_equal(c.ucs2, 0);
	assert_int_equal(c.parts, 1);
	buf[160] = 'a', buf[161] = '\0';
	sms_count(buf, &c);
	assert_int_equal(c.parts, 2);
	/* The extension table costs two septets; still GSM-7. */
	sms_count("Harga \xe2\x82\xac" "5 [promo]", &c);
	assert_int_equal(c.ucs2, 0);
	assert_int_equal(c.units, 19);
	/* A typographic quote forces UCS-2, and is named. */
	sms_count("bawa \xe2\x80\x9cKTP\xe2\x80\x9d", &c);
	assert_int_equal(c.ucs2, 1);
	assert_string_equal(c.culprit, "\xe2\x80\x9c");
	memset(buf, 'a', 70);
	memcpy(buf, "\xc3\xba", 2);	/* u acute is not GSM-7 */
	buf[70] = '\0';
	sms_count(buf, &c);
	assert_int_equal(c.units, 69);
	assert_int_equal(c.parts, 1);
	strcat(buf, "aa");
	sms_count(buf, &c);
	assert_int_equal(c.parts, 2);
	sms_count("", &c);
	assert_int_equal(c.parts, 0);
}

static void
test_fold(void **state)
{
	char out[64];

	(void)state;
	norm_fold("\xe2\x80\x9cya\xe2\x80\x9d \xe2\x80\x93 ok\xe2\x80\xa6 "
	    "\xc3\xa9\xf0\x9f\x98\x80", out, sizeof(out));
	assert_string_equal(out, "\"ya\" - ok... \xc3\xa9\xf0\x9f\x98\x80");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_norm_text),
		cmocka_unit_test(test_norm_echo),
		cmocka_unit_test(test_phrase_clean),
		cmocka_unit_test(test_word_close),
		cmocka_unit_test(test_sms_count),
		cmocka_unit_test(test_fold),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
