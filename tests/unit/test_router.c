/* Unit tests: tokenizer, keyword matching, price parsing, phone numbers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "conf.h"
#include "match.h"
#include "phone.h"
#include "price.h"
#include "router.h"
#include "store.h"

static void
test_tokenize_separators(void **state)
{
	struct router_tokens t;

	(void)state;
	router_tokenize("  harga#cabai*kediri.,  ", &t);
	assert_int_equal(t.n, 3);
	assert_string_equal(t.t[0].s, "HARGA");
	assert_string_equal(t.t[1].s, "CABAI");
	assert_string_equal(t.t[2].s, "KEDIRI");
	/* A dot or comma between digits belongs to the number. */
	router_tokenize("LAPOR CABAI KEDIRI 45.000,", &t);
	assert_int_equal(t.n, 4);
	assert_string_equal(t.t[3].s, "45.000");
	router_tokenize("", &t);
	assert_int_equal(t.n, 0);
	/* Control characters separate words and are never kept in one. */
	router_tokenize("HARGA\tCABAI\x01\x1b[2J\x7f", &t);
	assert_int_equal(t.n, 3);
	assert_string_equal(t.t[1].s, "CABAI");
	assert_string_equal(t.t[2].s, "2J");
}

static void
test_tokenize_huge(void **state)
{
	struct router_tokens	 t;
	char			*big = malloc(10241);

	(void)state;
	assert_non_null(big);
	memset(big, 'A', 10240);
	big[10240] = '\0';
	router_tokenize(big, &t);
	assert_int_equal(t.n, 1);
	assert_int_equal(strlen(t.t[0].s), ROUTER_TOKEN_MAX - 1);
	for (int i = 0; i < 10240; i += 2)
		big[i] = ' ';
	router_tokenize(big, &t);
	assert_int_equal(t.n, ROUTER_TOKENS_MAX);
	free(big);
}

static void
test_distance(void **state)
{
	(void)state;
	assert_int_equal(match_distance("HARGA", "HARGA", 1), 0);
	assert_int_equal(match_distance("HAGRA", "HARGA", 1), 1);	/* swap */
	assert_int_equal(match_distance("HRGA", "HARGA", 1), 1);	/* missing */
	assert_int_equal(match_distance("HARGAA", "HARGA", 1), 1);	/* extra */
	assert_int_equal(match_distance("HARGO", "harga", 1), 1);	/* wrong, case */
	assert_int_equal(match_distance("HRG", "HARGA", 1), 2);	/* too far */
}

static void
test_price_parse(void **state)
{
	static const struct { const char *in; int64_t v; } ok[] = {
		{ "45000", 45000 }, { "45.000", 45000 }, { "45,000", 45000 },
		{ "Rp 45.000", 45000 }, { "rp45.000", 45000 },
		{ "Rp. 45.000", 45000 }, { "45rb", 45000 }, { "45 ribu", 45000 },
		{ "45k", 45000 }, { "45K", 45000 }, { "1,5jt", 1500000 },
		{ "Rp45.000,-", 45000 }, { "1.250.000", 1250000 },
		{ "6.500,00", 6500 }, { "Rp13.500,00", 13500 },
		{ "13,500.00", 13500 }, { "6500,00", 6500 },
	};
	static const char *bad[] = { "", "abc", "45.00", "0", "-5", "45x",
	    "99999999999999", "Rp", "4.5.6", "45.000,50", "6.500.00" };
	int64_t	v;
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(price_parse(ok[i].in, &v), 0);
		assert_int_equal(v, ok[i].v);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(price_parse(bad[i], &v), -1);
}

static void
test_price_format(void **state)
{
	char buf[32];

	(void)state;
	price_format(45000, buf, sizeof(buf));
	assert_string_equal(buf, "45.000");
	price_format(1250000, buf, sizeof(buf));
	assert_string_equal(buf, "1.250.000");
	price_format(999, buf, sizeof(buf));
	assert_string_equal(buf, "999");
}

static void
test_phone(void **state)
{
	char out[PHONE_MAX];

	(void)state;
	assert_int_equal(phone_normalize("0812-3456-789", "62", out,
	    sizeof(out)), PHONE_NUMBER);
	assert_string_equal(out, "+628123456789");
	assert_int_equal(phone_normalize("628123456789", "62", out,
	    sizeof(out)), PHONE_NUMBER);
	assert_string_equal(out, "+628123456789");
	assert_int_equal(phone_normalize("+628123456789", "62", out,
	    sizeof(out)), PHONE_NUMBER);
	assert_string_equal(out, "+628123456789");
	assert_int_equal(phone_normalize("TELKOMSEL", "62", out, sizeof(out)),
	    PHONE_SHORT);
	assert_int_equal(phone_normalize("3636", "62", out, sizeof(out)),
	    PHONE_SHORT);
	assert_int_equal(phone_normalize("", "62", out, sizeof(out)),
	    PHONE_INVALID);
	assert_int_equal(phone_normalize("+12345678901234567890", "62", out,
	    sizeof(out)), PHONE_INVALID);
}

/* A fresh database with two prices, for the router tests. */
static int
setup_store(void **state)
{
	static char	path[] = "/tmp/kt-test-router-XXXXXX";
	struct store	*s;
	char		 err[256], db[64];
	int		 fd;

	fd = mkstemp(path);
	close(fd);
	unlink(path);
	snprintf(db, sizeof(db), "%s", path);
	if (store_open(db, &s, err, sizeof(err)) == -1)
		return -1;
	unlink(db);
	store_begin(s);
	price_set(s, "CABAI", "KEDIRI", 43000, "kg", "2026-11-20", "test", NULL);
	price_set(s, "CABAI", "KEDIRI", 45000, NULL, "2026-11-21", "test", NULL);
	price_set(s, "CABAI", "PARE", 44000, NULL, "2026-11-21", "test", NULL);
	price_set(s, "BERAS", "KEDIRI", 13500, "kg", "2026-11-21", "test", NULL);
	store_commit(s);
	*state = s;
	return 0;
}

static int
teardown_store(void **state)
{
	store_close(*state);
	return 0;
}

/* Route text from a phone and return the reply (static buffer). */
static const char *
route(struct store *s, const char *from, const char *text)
{
	static struct router_out	out;
	static struct conf		conf;
	struct router_in		in = { from, text, 0 };

	snprintf(conf.language, sizeof(conf.language), "id");
	snprintf(conf.country_code, sizeof(conf.country_code), "62");
	assert_int_equal(router_handle(s, &conf, &in, &out), 0);
	return out.reply ? out.text : NULL;
}

static void
test_route_price(void **state)
{
	struct store *s = *state;

	assert_string_equal(route(s, "081234567", "HARGA CABAI KEDIRI"),
	    "CABAI, Pasar Kediri 21/11: Rp45.000/kg (+5%)");
	/* Typo in keyword and commodity, odd separators, lower case. */
	assert_string_equal(route(s, "081234567", " hagra#cabia*kediri. "),
	    "CABAI, Pasar Kediri 21/11: Rp45.000/kg (+5%)");
	/* No market: every market, highest first, in one segment. */
	assert_string_equal(route(s, "081234567", "price cabai"),
	    "CABAI 21/11, Rp/kg: KEDIRI 45.000 (+5%), PARE 44.000");
	assert_non_null(strstr(route(s, "081234567", "HARGA DURIAN"),
	    "tidak dikenal"));
	assert_non_null(strstr(route(s, "081234567", "HARGA CABAI SOLO"),
	    "KEDIRI, PARE"));
}

static void
test_route_unknown_and_guard(void **state)
{
	struct store	*s = *state;
	const char	*r;

	r = route(s, "081234567", "apa kabar");
	assert_non_null(r);
	assert_non_null(strstr(r, "tidak dikenal"));
	assert_true(strlen(r) <= 160);
	r = route(s, "081234567", "?");
	assert_non_null(strstr(r, "HARGA"));
	/* Machines get no answer. */
	assert_null(route(s, "TELKOMSEL", "Promo!"));
	assert_null(route(s, "3636", "HARGA CABAI"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tokenize_separators),
		cmocka_unit_test(test_tokenize_huge),
		cmocka_unit_test(test_distance),
		cmocka_unit_test(test_price_parse),
		cmocka_unit_test(test_price_format),
		cmocka_unit_test(test_phone),
		cmocka_unit_test_setup_teardown(test_route_price, setup_store,
		    teardown_store),
		cmocka_unit_test_setup_teardown(test_route_unknown_and_guard,
		    setup_store, teardown_store),
	};

	return cmocka_run_group_tests_name("router", tests, NULL, NULL);
}
