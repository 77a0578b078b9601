/*
 * Unit tests of the USSD menu engine on a real SQLite file with the
 * default menu: navigation, back, more, bad input, timeout, repeated
 * requests, both languages, and answers identical to the SMS commands.
 */
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
#include "price.h"
#include "router.h"
#include "store.h"
#include "ussd.h"

#define A	"081111111"
#define B	"082222222"
#define C	"083333333"

static struct conf	test_conf;
static char		test_path[64];

/* A fresh database file with prices, info pages and an event. */
static int
setup(void **state)
{
	char		 err[256];
	struct store	*s;
	int		 fd;

	memset(&test_conf, 0, sizeof(test_conf));
	snprintf(test_conf.language, sizeof(test_conf.language), "id");
	snprintf(test_conf.country_code, sizeof(test_conf.country_code), "62");
	test_conf.reply_window = 600;
	test_conf.ussd.timeout = 180;
	snprintf(test_path, sizeof(test_path), "/tmp/kt-test-ussd-XXXXXX");
	if ((fd = mkstemp(test_path)) == -1)
		return -1;
	close(fd);
	unlink(test_path);
	if (store_open(test_path, &s, err, sizeof(err)) == -1)
		return -1;
	store_begin(s);
	price_set(s, "CABAI", "KEDIRI", 43000, "kg", "2026-11-20", "test", NULL);
	price_set(s, "CABAI", "KEDIRI", 45000, NULL, "2026-11-21", "test", NULL);
	price_set(s, "CABAI", "PARE", 44000, NULL, "2026-11-21", "test", NULL);
	price_set(s, "BERAS", "KEDIRI", 13500, "kg", "2026-11-21", "test", NULL);
	store_exec(s, "INSERT INTO info_pages VALUES ('PUPUK', 'id', "
	    "'Pupuk urea: 2x per musim.', 0), ('PUPUK', 'en', "
	    "'Urea: twice a season.', 0);"
	    "INSERT INTO events (code, title, quota, event_date, place, "
	    "created_at) VALUES ('TANI24', 'Pelatihan pupuk', 2, "
	    "'2026-12-05', 'Balai desa', 0);"
	    "INSERT INTO events (code, title, quota, deadline, created_at) "
	    "VALUES ('LAMA', 'Acara lama', 5, '2020-01-01', 0);");
	store_commit(s);
	*state = s;
	return 0;
}

static int
teardown(void **state)
{
	store_close(*state);
	unlink(test_path);
	return 0;
}

/* Send one request; the reply text (static), with *end set. */
static const char *
step(struct store *s, const char *sid, const char *phone, int steps,
    const char *input, int *end)
{
	static struct ussd_reply	r;
	struct ussd_req			rq = { sid, phone, "*123#", input, steps };

	assert_int_equal(ussd_handle(s, &test_conf, &rq, &r), USSD_OK);
	assert_true(ussd_chars(r.text) <= USSD_PAGE_CHARS);
	*end = r.end;
	return r.text;
}

/* The reply an SMS gets for text, for comparison. */
static const char *
sms(struct store *s, const char *from, const char *text)
{
	static struct router_out	out;
	struct router_in		in = { from, text, 0 };

	assert_int_equal(store_begin(s), 0);
	assert_int_equal(router_handle(s, &test_conf, &in, &out), 0);
	assert_int_equal(store_commit(s), 0);
	return out.text;
}

/* An integer from a query. */
static int64_t
query_int(struct store *s, const char *sql)
{
	sqlite3_stmt	*st;
	int64_t		 v = -1;

	assert_int_equal(sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL),
	    SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* 1 Harga pasar -> CABAI -> KEDIRI: the same text as HARGA CABAI KEDIRI. */
static void
test_price_session(void **state)
{
	struct store	*s = *state;
	const char	*t;
	char		 got[USSD_REPLY_MAX];
	int		 end;

	t = step(s, "p1", A, 0, "", &end);
	assert_false(end);
	assert_non_null(strstr(t, "1. Harga pasar"));
	assert_non_null(strstr(t, "5. Berhenti"));
	assert_null(strstr(t, "Kembali"));	/* nothing to go back to */
	t = step(s, "p1", A, 1, "1", &end);
	assert_false(end);
	assert_non_null(strstr(t, "Pilih komoditas:\n1. BERAS\n2. CABAI"));
	assert_non_null(strstr(t, "0. Kembali"));
	t = step(s, "p1", A, 2, "2", &end);
	assert_non_null(strstr(t, "1. Pasar Kediri\n2. Pasar Pare\n3. Semua pasar"));
	t = step(s, "p1", A, 3, "1", &end);
	assert_true(end);
	snprintf(got, sizeof(got), "%s", t);
	assert_string_equal(got, sms(s, A, "HARGA CABAI KEDIRI"));
	assert_non_null(strstr(got, "45.000"));

	/* All markets: the same text as HARGA CABAI. */
	step(s, "p2", B, 0, "", &end);
	step(s, "p2", B, 1, "1", &end);
	step(s, "p2", B, 2, "2", &end);
	snprintf(got, sizeof(got), "%s", step(s, "p2", B, 3, "3", &end));
	assert_true(end);
	assert_string_equal(got, sms(s, B, "HARGA CABAI"));
}

/* 0 goes back a level, and at the top shows the top again. */
static void
test_back(void **state)
{
	struct store	*s = *state;
	char		 root[USSD_REPLY_MAX];
	const char	*t;
	int		 end;

	snprintf(root, sizeof(root), "%s", step(s, "b", A, 0, "", &end));
	t = step(s, "b", A, 1, "1", &end);
	assert_non_null(strstr(t, "komoditas"));
	t = step(s, "b", A, 2, "2", &end);
	assert_non_null(strstr(t, "Pilih pasar"));
	t = step(s, "b", A, 3, "0", &end);
	assert_non_null(strstr(t, "komoditas"));
	assert_false(end);
	t = step(s, "b", A, 4, "0", &end);
	assert_string_equal(t, root);
	t = step(s, "b", A, 5, "0", &end);
	assert_string_equal(t, root);
	t = step(s, "b", A, 6, "2", &end);
	assert_non_null(strstr(t, "Pilih topik:\n1. PUPUK"));
}

/* Bad input re-shows the same screen under a short error. */
static void
test_invalid(void **state)
{
	struct store	*s = *state;
	const char	*bad[] = { "9", "abc", "", "1*2", "-1", "100", "01x",
	    "\xff\xfe", NULL };
	char		 screen[USSD_REPLY_MAX];
	const char	*t;
	int		 end, i;

	step(s, "i", A, 0, "", &end);
	snprintf(screen, sizeof(screen), "%s", step(s, "i", A, 1, "1", &end));
	for (i = 0; bad[i] != NULL; i++) {
		t = step(s, "i", A, i + 2, bad[i], &end);
		assert_false(end);
		assert_true(strncmp(t, "Pilihan salah.\n", 15) == 0);
		assert_non_null(strstr(t, "2. CABAI"));
	}
	/* The session is still there: a good answer goes on. */
	t = step(s, "i", A, i + 2, "2", &end);
	assert_non_null(strstr(t, "Pilih pasar"));
}

/* A long page is split into pages of at most 182 characters. */
static void
test_more(void **state)
{
	struct store	*s = *state;
	char		 body[700] = "", all[2048] = "", sql[900];
	const char	*t, *more;
	int		 end, i, pages = 0;

	for (i = 0; i < 15; i++)
		snprintf(body + strlen(body), sizeof(body) - strlen(body),
		    "%sKalimat nomor %02d tentang pupuk.", i ? " " : "", i);
	assert_true(strlen(body) > 2 * USSD_PAGE_CHARS);
	snprintf(sql, sizeof(sql), "INSERT INTO info_pages VALUES ('CUACA', "
	    "'id', '%s', 0)", body);
	assert_int_equal(store_exec(s, sql), 0);

	step(s, "m", A, 0, "", &end);
	t = step(s, "m", A, 1, "2", &end);
	assert_non_null(strstr(t, "1. CUACA\n2. PUPUK"));
	t = step(s, "m", A, 2, "1", &end);
	for (i = 3; !end && i < 20; i++) {
		assert_non_null(more = strstr(t, "\n00. Lagi"));
		strncat(all, t, (size_t)(more - t));
		strcat(all, " ");
		pages++;
		t = step(s, "m", A, i, "00", &end);
	}
	assert_true(end);
	assert_null(strstr(t, "00. Lagi"));
	strcat(all, t);
	pages++;
	assert_true(pages >= 3);
	assert_string_equal(all, body);
	/* More on the last page of a closed session: it is over. */
	t = step(s, "m", A, i, "00", &end);
	assert_true(end);
	assert_non_null(strstr(t, "Sesi berakhir"));
}

/* 3 Daftar acara: list, confirm, registered, then waitlisted. */
static void
test_event(void **state)
{
	struct store	*s = *state;
	const char	*t, *ph[] = { A, B, C };
	const char	*sid[] = { "e1", "e2", "e3" };
	char		 last[USSD_REPLY_MAX];
	int		 end, i;

	for (i = 0; i < 3; i++) {
		step(s, sid[i], ph[i], 0, "", &end);
		t = step(s, sid[i], ph[i], 1, "3", &end);
		assert_non_null(strstr(t, "1. Pelatihan pupuk"));
		assert_null(strstr(t, "Acara lama"));	/* past deadline */
		t = step(s, sid[i], ph[i], 2, "1", &end);
		assert_non_null(strstr(t, "TANI24"));
		assert_non_null(strstr(t, "1. Ya\n2. Tidak"));
		t = step(s, sid[i], ph[i], 3, "1", &end);
		assert_true(end);
		assert_non_null(strstr(t, "TANI24"));
		snprintf(last, sizeof(last), "%s", t);
	}
	assert_int_equal(query_int(s, "SELECT COUNT(*) FROM registrations "
	    "WHERE status = 'confirmed'"), 2);
	assert_int_equal(query_int(s, "SELECT COUNT(*) FROM registrations "
	    "WHERE status = 'waitlisted'"), 1);
	/* The aggregator repeats the last request: same reply, no new row. */
	t = step(s, "e3", C, 3, "1", &end);
	assert_true(end);
	assert_string_equal(t, last);
	assert_int_equal(query_int(s, "SELECT COUNT(*) FROM registrations"), 3);

	/* No: nothing registered. */
	step(s, "e4", "085555555", 0, "", &end);
	step(s, "e4", "085555555", 1, "3", &end);
	step(s, "e4", "085555555", 2, "1", &end);
	t = step(s, "e4", "085555555", 3, "2", &end);
	assert_true(end);
	assert_non_null(strstr(t, "Dibatalkan"));
	assert_int_equal(query_int(s, "SELECT COUNT(*) FROM registrations"), 3);
}

/* A session idle longer than the timeout is over. */
static void
test_timeout(void **state)
{
	struct store	*s = *state;
	const char	*t;
	int		 end;

	step(s, "t", A, 0, "", &end);
	assert_int_equal(store_exec(s, "UPDATE ussd_sessions SET updated_at = "
	    "updated_at - 181 WHERE session_id = 't'"), 0);
	t = step(s, "t", A, 1, "1", &end);
	assert_true(end);
	assert_string_equal(t, "Sesi berakhir. Silakan tekan *123# lagi.");
	/* An unknown session is over too; another phone cannot take one. */
	t = step(s, "nope", A, 3, "1", &end);
	assert_true(end);
	step(s, "own", A, 0, "", &end);
	t = step(s, "own", B, 1, "1", &end);
	assert_true(end);
	assert_non_null(strstr(t, "Sesi berakhir"));
}

/* English: the contact's language, and the language switch. */
static void
test_english(void **state)
{
	struct store	*s = *state;
	const char	*t;
	char		 got[USSD_REPLY_MAX];
	int		 end;

	t = step(s, "l1", A, 0, "", &end);
	assert_non_null(strstr(t, "6. English"));
	t = step(s, "l1", A, 1, "6", &end);
	assert_true(end);
	assert_string_equal(t, sms(s, B, "LANG EN"));
	t = step(s, "l2", A, 0, "", &end);
	assert_non_null(strstr(t, "1. Market prices"));
	assert_non_null(strstr(t, "6. Bahasa Indonesia"));
	t = step(s, "l2", A, 1, "2", &end);
	assert_non_null(strstr(t, "Choose a topic:"));
	assert_non_null(strstr(t, "0. Back"));
	snprintf(got, sizeof(got), "%s", step(s, "l2", A, 2, "1", &end));
	assert_string_equal(got, "Urea: twice a season.");
	t = step(s, "l3", A, 0, "", &end);
	t = step(s, "l3", A, 1, "9", &end);
	assert_true(strncmp(t, "Invalid choice.\n", 16) == 0);
}

/* 4 Langganan and 5 Berhenti do what LANGGANAN and BERHENTI do. */
static void
test_sub_stop(void **state)
{
	struct store	*s = *state;
	const char	*t;
	int		 end;

	step(s, "s", A, 0, "", &end);
	step(s, "s", A, 1, "4", &end);
	t = step(s, "s", A, 2, "2", &end);
	assert_true(end);
	assert_non_null(strstr(t, "CABAI"));
	assert_int_equal(query_int(s, "SELECT COUNT(*) FROM subscriptions"), 1);
	step(s, "x", A, 0, "", &end);
	t = step(s, "x", A, 1, "5", &end);
	assert_non_null(strstr(t, "1. Ya"));
	t = step(s, "x", A, 2, "1", &end);
	assert_true(end);
	assert_int_equal(query_int(s, "SELECT opted_out FROM contacts WHERE "
	    "phone = '+6281111111'"), 1);
}

/* Without a step count (JSON adapters), each request is the next answer. */
static void
test_unknown_steps(void **state)
{
	struct store	*s = *state;
	const char	*t;
	int		 end;

	t = step(s, "j", A, -1, "", &end);
	assert_non_null(strstr(t, "1. Harga pasar"));
	t = step(s, "j", A, -1, "1", &end);
	assert_non_null(strstr(t, "komoditas"));
	t = step(s, "j", A, -1, "1", &end);
	assert_non_null(strstr(t, "1. Pasar Kediri"));
}

/* Bad phone numbers and a menu without nodes. */
static void
test_errors(void **state)
{
	struct store		*s = *state;
	struct ussd_reply	 r;
	struct ussd_req		 rq = { "z", "hello", "*1#", "", 0 };
	const char		*t;
	int			 end;

	assert_int_equal(ussd_handle(s, &test_conf, &rq, &r), USSD_ERR_PHONE);
	assert_true(r.end);
	rq.phone = NULL;
	assert_int_equal(ussd_handle(s, &test_conf, &rq, &r), USSD_ERR_PHONE);
	assert_int_equal(store_exec(s, "UPDATE ussd_nodes SET action = 'nope' "
	    "WHERE id = 2"), 0);
	step(s, "z", A, 0, "", &end);
	t = step(s, "z", A, 1, "1", &end);
	assert_true(end);
	assert_non_null(strstr(t, "sibuk"));
	assert_int_equal(store_exec(s, "DELETE FROM ussd_nodes"), 0);
	t = step(s, "z2", A, 0, "", &end);
	assert_true(end);
	/* The default menu comes back into an empty table. */
	assert_int_equal(store_load_defaults(s), 0);
	t = step(s, "z3", A, 0, "", &end);
	assert_non_null(strstr(t, "1. Harga pasar"));
}

/* ussd_page: pages fit, the more entry, and a text with no spaces. */
static void
test_page(void **state)
{
	char	text[1200], out[USSD_REPLY_MAX], joined[1400] = "";
	int	last = 0, page;
	size_t	n;

	(void)state;
	memset(text, 'x', 500);
	text[500] = '\0';
	for (page = 0; ussd_page(text, page, USSD_BACK_MID | USSD_BACK_LAST,
	    "00. Lagi", "0. Kembali", out, sizeof(out), &last); page++) {
		assert_true(ussd_chars(out) <= USSD_PAGE_CHARS);
		assert_non_null(strstr(out, "0. Kembali"));
		n = strspn(out, "x");
		strncat(joined, out, n);
		if (!last)
			assert_non_null(strstr(out, "00. Lagi"));
	}
	assert_true(last);
	assert_int_equal(page, 4);
	assert_string_equal(joined, text);
	/* Multibyte characters count once. */
	text[0] = '\0';
	for (n = 0; n < 180; n++)
		strcat(text, "\xc3\xa9");
	assert_int_equal(ussd_page(text, 0, 0, "00", "0", out, sizeof(out),
	    &last), 1);
	assert_true(last);
	assert_int_equal(ussd_page(text, 1, 0, "00", "0", out, sizeof(out),
	    &last), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_price_session, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_more, setup, teardown),
		cmocka_unit_test_setup_teardown(test_event, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_english, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sub_stop, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_unknown_steps, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test(test_page),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
