/*
 * Unit tests of the keyword commands: router_handle on a temp database,
 * and inbox_route for the loop guard (it needs inbox and outbox rows).
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

#include "alert.h"
#include "conf.h"
#include "inbox.h"
#include "keyword.h"
#include "price.h"
#include "router.h"
#include "store.h"

#define A	"081111111"	/* a farmer */
#define B	"082222222"
#define C	"083333333"
#define R	"084444444"	/* a field reporter */

static struct conf	test_conf;

/* A fresh database with prices, an info page, a group and two events. */
static int
setup(void **state)
{
	char		 path[] = "/tmp/kt-test-cmd-XXXXXX", err[256];
	struct store	*s;
	int		 fd;

	memset(&test_conf, 0, sizeof(test_conf));
	snprintf(test_conf.language, sizeof(test_conf.language), "id");
	snprintf(test_conf.country_code, sizeof(test_conf.country_code), "62");
	test_conf.report_hold_percent = 50;
	test_conf.reply_window = 600;
	if ((fd = mkstemp(path)) == -1)
		return -1;
	close(fd);
	unlink(path);
	if (store_open(path, &s, err, sizeof(err)) == -1)
		return -1;
	unlink(path);
	store_begin(s);
	price_set(s, "CABAI", "KEDIRI", 43000, "kg", "2026-11-20", "test", NULL);
	price_set(s, "CABAI", "KEDIRI", 45000, NULL, "2026-11-21", "test", NULL);
	price_set(s, "CABAI", "PARE", 44000, NULL, "2026-11-21", "test", NULL);
	price_set(s, "BERAS", "KEDIRI", 13500, "kg", "2026-11-21", "test", NULL);
	store_exec(s, "INSERT INTO info_pages VALUES ('PUPUK', 'id', "
	    "'Pupuk urea: 2x per musim.', 0), ('PUPUK', 'en', "
	    "'Urea: twice a season.', 0), ('CUACA', 'id', 'Cerah.', 0);"
	    "INSERT INTO groups (name, created_at) VALUES ('PETANI', 0);"
	    "INSERT INTO events (code, title, quota, event_date, place, "
	    "created_at) VALUES ('TANI24', 'Pelatihan pupuk', 2, "
	    "'2026-12-05', 'Balai desa', 0);"
	    "INSERT INTO events (code, title, quota, deadline, created_at) "
	    "VALUES ('LAMA', 'Acara lama', 5, '2020-01-01', 0);"
	    "INSERT INTO contacts (phone, is_reporter, created_at, updated_at)"
	    " VALUES ('+6284444444', 1, 0, 0);");
	store_commit(s);
	*state = s;
	return 0;
}

static int
teardown(void **state)
{
	store_close(*state);
	return 0;
}

/* Route text from a phone; the reply, or NULL when none (static). */
static const char *
route(struct store *s, const char *from, const char *text)
{
	static struct router_out	out;
	struct router_in		in = { from, text, 0 };

	assert_int_equal(router_handle(s, &test_conf, &in, &out), 0);
	return out.reply ? out.text : NULL;
}

/* Assert that the reply to text contains want, and fits one segment. */
static void
expect(struct store *s, const char *from, const char *text, const char *want)
{
	const char *r = route(s, from, text);

	if (r == NULL || strstr(r, want) == NULL)
		fail_msg("\"%s\" -> \"%s\", wanted \"%s\"", text,
		    r ? r : "(none)", want);
	if (strlen(r) > 160)
		fail_msg("\"%s\": reply longer than 160: %s", text, r);
}

/* Run one integer query. */
static int
q(struct store *s, const char *sql)
{
	sqlite3_stmt	*st;
	int		 v = -1;

	assert_int_equal(sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL),
	    SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void
test_help_and_aliases(void **state)
{
	struct store *s = *state;

	expect(s, A, "BANTUAN", "HARGA");
	expect(s, A, "help", "PRICE");
	expect(s, A, "BANTUAN", "TANYA <pertanyaan>");
	expect(s, A, "help", "ASK <question>");
	expect(s, A, "?", "HARGA");
	expect(s, A, "bantaun", "HARGA");	/* swapped letters */
	expect(s, A, "xyzzy", "tidak dikenal");
	expect(s, A, "", "tidak dikenal");
	expect(s, A, "   #*.,  ", "tidak dikenal");
	/* The contact exists after the first message. */
	assert_int_equal(q(s, "SELECT COUNT(*) FROM contacts WHERE phone = "
	    "'+6281111111'"), 1);
}

static void
test_price_formats_and_typos(void **state)
{
	struct store *s = *state;

	expect(s, A, "HARGA CABAI KEDIRI", "Rp45.000/kg (+5%)");
	expect(s, A, "price#cabai*kediri", "Rp45.000/kg");
	expect(s, A, "hagra cabia", "KEDIRI 45.000");
	expect(s, A, "HARGA CABE", "KEDIRI 45.000");	/* a default alias */
	expect(s, A, "brp harga cabai ya pak?", "KEDIRI 45.000");
	expect(s, A, "PRICE DURIAN", "Unknown commodity \"DURIAN\"");
	expect(s, A, "HARGA DURIAN", "Komoditas \"DURIAN\"");
}

static void
test_subscribe_and_alerts(void **state)
{
	struct store	*s = *state;
	int64_t		 id;

	expect(s, A, "LANGGANAN CABAI", "semua pasar");
	expect(s, A, "langganan cabai", "semua pasar");	/* no duplicate */
	expect(s, B, "SUB CABAI KEDIRI", "KEDIRI");
	expect(s, C, "SUB CABAI PARE", "PARE");
	expect(s, C, "LANGGANAN", "Ada: BERAS, CABAI");
	expect(s, C, "LANGGANAN DURIAN", "tidak dikenal");
	expect(s, C, "LANGGANAN CABAI SOLO", "Pasar \"SOLO\"");
	assert_int_equal(q(s, "SELECT COUNT(*) FROM subscriptions"), 3);

	/* A price in KEDIRI alerts A (any market) and B, not C (PARE). */
	store_begin(s);
	assert_int_equal(price_set(s, "CABAI", "KEDIRI", 47000, NULL,
	    "2026-11-22", "test", &id), 0);
	assert_int_equal(alert_price(s, &test_conf, id), 2);
	store_commit(s);
	assert_int_equal(q(s, "SELECT COUNT(*) FROM outbox WHERE priority = 1 "
	    "AND recipient IN ('+6281111111', '+6282222222') AND text LIKE "
	    "'Harga baru CABAI, Pasar Kediri 22/11: Rp47.000/kg (+4%)%'"), 2);

	/* Opted out: no alert.  English contact: English alert. */
	expect(s, A, "BERHENTI", "MULAI");
	expect(s, B, "BAHASA EN", "English");
	store_begin(s);
	price_set(s, "CABAI", "KEDIRI", 48000, NULL, "2026-11-23", "test", &id);
	assert_int_equal(alert_price(s, &test_conf, id), 1);
	store_commit(s);
	assert_int_equal(q(s, "SELECT COUNT(*) FROM outbox WHERE recipient = "
	    "'+6282222222' AND text LIKE 'New price CABAI%'"), 1);
	/* A back-dated report is not the latest: nobody is alerted. */
	store_begin(s);
	price_set(s, "CABAI", "KEDIRI", 40000, NULL, "2026-11-01", "test", &id);
	assert_int_equal(alert_price(s, &test_conf, id), 0);
	store_commit(s);

	expect(s, A, "MULAI", "BERHENTI");
	expect(s, A, "BERHENTI LANGGANAN CABAI", "dihentikan");
	expect(s, A, "BERHENTI LANGGANAN", "tidak berlangganan");
	assert_int_equal(q(s, "SELECT opted_out FROM contacts WHERE phone = "
	    "'+6281111111'"), 0);
	expect(s, B, "UNSUB", "All price alerts stopped");
	assert_int_equal(q(s, "SELECT COUNT(*) FROM subscriptions"), 1);
}

static void
test_info(void **state)
{
	struct store *s = *state;

	expect(s, A, "INFO", "Topik: CUACA, PUPUK");
	expect(s, A, "INFO PUPUK", "Pupuk urea");
	expect(s, A, "info pupk", "Pupuk urea");	/* typo */
	expect(s, A, "INFO GEMPA", "Topik \"GEMPA\" tidak ada");
	expect(s, B, "LANG EN", "English");
	expect(s, B, "INFO PUPUK", "Urea: twice");
	expect(s, B, "INFO CUACA", "Cerah");		/* Indonesian fallback */
}

static void
test_register_and_groups(void **state)
{
	struct store *s = *state;

	expect(s, A, "DAFTAR Budi  Santoso#Sukamaju", "Selamat datang, Budi "
	    "Santoso!");
	assert_int_equal(q(s, "SELECT village = 'Sukamaju' FROM contacts "
	    "WHERE phone = '+6281111111'"), 1);
	expect(s, A, "DAFTAR", "DAFTAR <nama>");
	expect(s, B, "REG Jane", "Welcome, Jane!");
	expect(s, A, "GABUNG PETANI", "bergabung");
	expect(s, A, "GABUNG petan", "sudah anggota");	/* typo */
	expect(s, A, "GABUNG NELAYAN", "Grup: PETANI");
	expect(s, A, "GABUNG", "GABUNG <grup>");
	assert_int_equal(q(s, "SELECT COUNT(*) FROM group_members"), 1);
	q(s, "DELETE FROM group_members");
	q(s, "DELETE FROM groups");
	expect(s, A, "GABUNG", "Grup: -");	/* none yet: not a dangling list */
	q(s, "INSERT INTO groups (name, created_at) VALUES ('PETANI', 0)");
	expect(s, A, "GABUNG PETANI", "bergabung");
	expect(s, A, "KELUAR PETANI", "keluar");
	expect(s, A, "LEAVE PETANI", "You are not in the group");
	expect(s, A, "KELUAR PETANI", "bukan anggota");
	expect(s, A, "BAHASA XX", "BAHASA ID");
}

static void
test_events_waitlist_promotion(void **state)
{
	struct store *s = *state;

	expect(s, A, "DAFTAR TANI24 Budi", "Terdaftar: Pelatihan pupuk");
	expect(s, A, "daftar tani24", "sudah terdaftar");
	/* Naming the village fills the sender's only when it has none. */
	q(s, "INSERT INTO contacts (phone, village, created_at, updated_at) "
	    "VALUES ('+6282222222', 'Pare', 0, 0)");
	expect(s, B, "REG TANI24 Jane#Gurah", "Registered");
	assert_int_equal(q(s, "SELECT village = 'Pare' FROM contacts WHERE "
	    "phone = '+6282222222'"), 1);
	expect(s, C, "DAFTAR TANI24 Citra", "daftar tunggu no. 1");
	expect(s, R, "DAFTAR TANI24", "daftar tunggu no. 2");
	expect(s, C, "DAFTAR TANI24", "sudah di daftar tunggu");
	expect(s, A, "DAFTAR LAMA", "berakhir Rab 1 Jan.");
	assert_int_equal(q(s, "SELECT COUNT(*) FROM registrations WHERE "
	    "status = 'confirmed'"), 2);

	/* A waitlisted person cancelling promotes nobody. */
	expect(s, R, "BATAL TANI24", "dibatalkan");
	assert_int_equal(q(s, "SELECT COUNT(*) FROM outbox"), 0);
	/* A confirmed one frees a place: C is promoted and told. */
	expect(s, A, "BATAL TANI24", "dibatalkan");
	assert_int_equal(q(s, "SELECT status = 'confirmed' FROM registrations "
	    "r JOIN contacts c ON c.id = r.contact_id WHERE c.phone = "
	    "'+6283333333'"), 1);
	assert_int_equal(q(s, "SELECT COUNT(*) FROM outbox WHERE recipient = "
	    "'+6283333333' AND priority = 1 AND text LIKE 'Ada tempat!%'"), 1);
	expect(s, A, "BATAL TANI24", "tidak terdaftar");
	expect(s, A, "CANCEL NOPE", "No event \"NOPE\"");
	expect(s, A, "BATAL", "BATAL <kode");
	/* Registering again goes to the back of the line. */
	expect(s, A, "DAFTAR TANI24", "daftar tunggu no. 1");
	store_exec(s, "UPDATE events SET status = 'closed'");
	expect(s, R, "DAFTAR TANI24", "ditutup");
	/* Looks like a code but is none: never taken for the contact's name. */
	expect(s, R, "DAFTAR TANI25", "Acara \"TANI25\" tidak ada.");
	assert_int_equal(q(s, "SELECT COUNT(*) FROM contacts WHERE name = "
	    "'TANI25'"), 0);
	/* Not a code at all: DAFTAR names the contact. */
	expect(s, R, "DAFTAR Tani Makmur", "Selamat datang, Tani Makmur");
}

static void
test_report(void **state)
{
	struct store *s = *state;

	expect(s, A, "LAPOR CABAI KEDIRI 46000", "hanya pelapor");
	expect(s, R, "LAPOR", "LAPOR <komoditas>");
	expect(s, R, "LAPOR CABAI KEDIRI", "LAPOR <komoditas>");
	expect(s, R, "LAPOR CABAI KEDIRI banyak", "LAPOR <komoditas>");
	expect(s, R, "LAPOR DURIAN KEDIRI 5000", "tidak dikenal");
	expect(s, A, "SUB CABAI", "every market");
	/* Within 50%: published at once, and subscribers are alerted. */
	expect(s, R, "LAPOR CABAI KEDIRI Rp 46.000", "Rp46.000 dicatat");
	assert_int_equal(q(s, "SELECT COUNT(*) FROM outbox WHERE recipient = "
	    "'+6281111111' AND text LIKE '%Rp46.000%'"), 1);
	expect(s, R, "lapor cabia kediri 47rb", "Rp47.000 dicatat");
	expect(s, R, "LAPOR CABAI KEDIRI 48 ribu kg", "Rp48.000 dicatat");
	expect(s, R, "REPORT CABAI PARE 45k", "Rp45.000 recorded");
	expect(s, A, "HARGA CABAI KEDIRI", "Rp48.000/kg");
	/* Far off: held for the admin, not published, no alert. */
	expect(s, R, "LAPOR CABAI KEDIRI 450000", "menunggu cek admin");
	assert_int_equal(q(s, "SELECT COUNT(*) FROM prices WHERE status = "
	    "'pending' AND reporter_id IS NOT NULL"), 1);
	expect(s, A, "HARGA CABAI KEDIRI", "Rp48.000/kg");
	assert_int_equal(q(s, "SELECT COUNT(*) FROM outbox WHERE text LIKE "
	    "'%450.000%'"), 0);
	/* A new market is created; its first price cannot be far off. */
	expect(s, R, "LAPOR BERAS NGANJUK 1,5jt", "Rp1.500.000 dicatat");
}

/* Insert an inbox row and route it as the daemon would; the note. */
static const char *
deliver(struct store *s, const char *from, const char *text, int n)
{
	static char	 note[64];
	sqlite3_stmt	*st;
	char		 key[64];
	int64_t		 id;

	snprintf(key, sizeof(key), "test|%s|%d", from, n);
	assert_int_equal(sqlite3_prepare_v2(store_db(s), "INSERT INTO inbox "
	    "(modem, sender, received_at, text, dedup_key) VALUES ('t', ?, "
	    "strftime('%s', 'now'), ?, ?)", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, key, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	id = sqlite3_last_insert_rowid(store_db(s));
	assert_int_equal(store_begin(s), 0);
	assert_int_equal(inbox_route(s, &test_conf, id, from, text), 0);
	assert_int_equal(store_commit(s), 0);
	assert_int_equal(sqlite3_prepare_v2(store_db(s), "SELECT note FROM "
	    "inbox WHERE id = ?", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, id);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	snprintf(note, sizeof(note), "%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return note;
}

static void
test_loop_guard(void **state)
{
	struct store	*s = *state;
	char		 text[32];
	int		 i;

	test_conf.reply_limit = 5;
	test_conf.repeat_limit = 2;
	/* The same text: answered twice, then ignored. */
	assert_string_equal(deliver(s, "+6281111111", "Auto reply: away", 1),
	    "unknown");
	assert_string_equal(deliver(s, "+6281111111", "Auto reply: away", 2),
	    "unknown");
	assert_non_null(strstr(deliver(s, "+6281111111", "Auto reply: away",
	    3), "same text 3 times"));
	/* Different texts: five replies in the window, then silence. */
	for (i = 0; i < 3; i++) {
		snprintf(text, sizeof(text), "HARGA CABAI %d", i);
		assert_string_equal(deliver(s, "+6281111111", text, 10 + i),
		    "price");
	}
	assert_non_null(strstr(deliver(s, "+6281111111", "INFO", 20),
	    "5 replies in 600 s"));
	assert_int_equal(q(s, "SELECT COUNT(*) FROM outbox WHERE recipient = "
	    "'+6281111111'"), 5);
	/* Another number is not affected. */
	assert_string_equal(deliver(s, "+6282222222", "INFO", 21), "info");
	/* Alphanumeric senders never get an answer. */
	assert_non_null(strstr(deliver(s, "TELKOMSEL", "Promo", 22),
	    "not a phone number"));
}

static void
test_custom_keywords(void **state)
{
	struct store		*s = *state;
	struct keyword_custom	 k;
	struct router_out	 out;
	struct router_in	 in = { A, "TANYAPPL daun cabai keriting", 0 };
	char			 err[160];

	memset(&k, 0, sizeof(k));
	snprintf(k.word, sizeof(k.word), "JADWAL");
	snprintf(k.reply_id, sizeof(k.reply_id), "Jadwal tanam: padi Des.");
	assert_int_equal(keyword_add(s, &k, err, sizeof(err)), 1);
	expect(s, A, "jadwal", "Jadwal tanam: padi Des.");
	expect(s, A, "jadwl", "Jadwal tanam");		/* a slip, as keywords */
	/* A built-in keyword or an alias cannot be taken. */
	snprintf(k.word, sizeof(k.word), "HARGA");
	assert_int_equal(keyword_add(s, &k, err, sizeof(err)), -2);
	snprintf(k.word, sizeof(k.word), "HRG");
	assert_int_equal(keyword_add(s, &k, err, sizeof(err)), -2);
	/* --ask: acknowledged, and marked for a person. */
	memset(&k, 0, sizeof(k));
	snprintf(k.word, sizeof(k.word), "TANYAPPL");
	k.action = KEYWORD_ASK;
	assert_int_equal(keyword_add(s, &k, err, sizeof(err)), 1);
	assert_int_equal(router_handle(s, &test_conf, &in, &out), 0);
	assert_int_equal(out.needs_person, 1);
	assert_non_null(strstr(out.text, "sudah kami terima"));
	assert_int_equal(keyword_remove(s, "JADWAL"), 1);
	assert_int_equal(keyword_remove(s, "HARGA"), 0);	/* built-in */
	expect(s, A, "jadwal", "tidak dikenal");
}

static void
test_garbage(void **state)
{
	struct store	*s = *state;
	char		*big = malloc(10 * 1024 + 1);
	const char	*r;
	int		 i;

	assert_non_null(big);
	memset(big, 'x', 10 * 1024);
	big[10 * 1024] = '\0';
	expect(s, A, big, "tidak dikenal");
	memcpy(big, "DAFTAR ", 7);
	r = route(s, A, big);			/* a 10 kB name is cut */
	assert_non_null(r);
	assert_true(q(s, "SELECT length(name) FROM contacts WHERE phone = "
	    "'+6281111111'") < 48);
	for (i = 0; i < 10 * 1024; i++)
		big[i] = "LAPOR #*., 9\xc3\xa9"[i % 14];
	assert_non_null(route(s, R, big));
	memcpy(big, "INFO ", 5);
	assert_non_null(route(s, A, big));
	memcpy(big, "GABUNG ", 7);
	assert_non_null(route(s, A, big));
	/* A UTF-8 name cut at the limit keeps whole characters. */
	for (i = 0; i < 200; i += 2)
		memcpy(big + 7 + i, "\xc3\xa9", 2);
	big[207] = '\0';
	memcpy(big, "DAFTAR ", 7);
	route(s, A, big);
	assert_int_equal(q(s, "SELECT length(CAST(name AS BLOB)) % 2 FROM "
	    "contacts WHERE phone = '+6281111111'"), 0);
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_help_and_aliases, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_price_formats_and_typos,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_subscribe_and_alerts,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_info, setup, teardown),
		cmocka_unit_test_setup_teardown(test_register_and_groups,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_events_waitlist_promotion,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_report, setup, teardown),
		cmocka_unit_test_setup_teardown(test_loop_guard, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_custom_keywords, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_garbage, setup, teardown),
	};

	return cmocka_run_group_tests_name("commands", tests, NULL, NULL);
}
