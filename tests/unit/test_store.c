/* Unit tests: configuration validation, the store, inbox deduplication. */
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
#include "inbox.h"
#include "store.h"
#include "wire.h"

static char tmpdir[] = "/tmp/kt-test-store-XXXXXX";

/* Write text to a file in the temp dir and return its path. */
static const char *
write_conf(const char *name, const char *text)
{
	static char	path[256];
	FILE		*f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

/* Load text as a configuration; return the error ("" when valid). */
static const char *
conf_error_of(const char *text)
{
	static struct conf	conf;
	static char		err[CONF_ERR_MAX];

	conf_load(write_conf("k.conf", text), &conf, err, sizeof(err));
	return err;
}

/* An admin's PIN is kept only as a hash; the right PIN still matches. */
static void
test_conf_pin_hashed(void **state)
{
	static struct conf	conf;
	char			err[CONF_ERR_MAX];

	(void)state;
	assert_int_equal(conf_load(write_conf("pin.conf",
	    "database = \"/tmp/x.db\";\n"
	    "admins = ( { phone = \"0811222333\"; pin = \"8642097\"; } );\n"),
	    &conf, err, sizeof(err)), 0);
	assert_null(memmem(&conf, sizeof(conf), "8642097", 7));
	assert_true(strncmp(conf.admins[0].pin_hash, "$5$", 3) == 0);
	assert_true(conf_admin_pin_ok(&conf.admins[0], "8642097"));
	assert_false(conf_admin_pin_ok(&conf.admins[0], "8642098"));
	assert_false(conf_admin_pin_ok(&conf.admins[0], "864209"));
	assert_false(conf_admin_pin_ok(&conf.admins[0], ""));
}

static void
test_conf_good(void **state)
{
	struct conf	conf;
	char		err[CONF_ERR_MAX];

	(void)state;
	assert_int_equal(conf_load(write_conf("good.conf",
	    "database = \"/tmp/x.db\";\n"
	    "modems = ( { name = \"m1\"; device = \"/dev/null\"; "
	    "connection = \"at\"; send_rate = 30; },\n"
	    " { name = \"demo\"; device = \"/tmp/p\"; connection = \"none\"; "
	    "model = \"dummy\"; } );\n"), &conf, err, sizeof(err)), 0);
	assert_string_equal(conf.language, "id");
	assert_int_equal(conf.nmodems, 2);
	assert_int_equal(conf.modems[0].send_rate, 30);
	assert_int_equal(conf.modems[1].poll_interval, 15);
	assert_true(conf_modem_is_dummy(&conf.modems[1]));
	assert_int_equal(conf_check_devices(&conf, err, sizeof(err)), 0);
}

static void
test_conf_bad(void **state)
{
	const char *e;

	(void)state;
	e = conf_error_of("database = \"/tmp/x.db\";\n\nlangauge = \"en\";\n");
	assert_non_null(strstr(e, "k.conf:3:"));
	assert_non_null(strstr(e, "unknown setting \"langauge\""));
	e = conf_error_of("language = \"fr\";\ndatabase = \"/x\";\n");
	assert_non_null(strstr(e, ":1:"));
	assert_non_null(strstr(e, "allowed values"));
	e = conf_error_of("language = \"id\";\n");
	assert_non_null(strstr(e, "\"database\" is missing"));
	e = conf_error_of("database = \"/x\";\nlanguage = ;\n");
	assert_non_null(strstr(e, "k.conf:2:"));	/* syntax error */
	e = conf_error_of("database = \"/x\";\nmodems = ( { name = \"m1\"; "
	    "device = \"/d\"; connection = \"at\"; send_rate = -1; } );\n");
	assert_non_null(strstr(e, "out of range"));
	e = conf_error_of("database = \"/x\";\nmodems = (\n{ name = \"a\"; "
	    "device = \"/d\"; connection = \"at\"; },\n{ name = \"a\"; "
	    "device = \"/e\"; connection = \"at\"; } );\n");
	assert_non_null(strstr(e, "k.conf:4:"));
	assert_non_null(strstr(e, "used twice"));
	e = conf_error_of("database = 5;\n");
	assert_non_null(strstr(e, "expected a string"));
	e = conf_error_of("database = \"/x\";\nmodems = ( { name = \"Bad Name\"; "
	    "device = \"/d\"; connection = \"at\"; } );\n");
	assert_non_null(strstr(e, "lowercase"));
}

static void
test_conf_missing_device(void **state)
{
	struct conf	conf;
	char		err[CONF_ERR_MAX];

	(void)state;
	assert_int_equal(conf_load(write_conf("dev.conf",
	    "database = \"/tmp/x.db\";\n"
	    "modems = ( { name = \"m1\"; device = \"/dev/ttyNOPE9\"; "
	    "connection = \"at\"; } );\n"), &conf, err, sizeof(err)), 0);
	assert_int_equal(conf_check_devices(&conf, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/dev/ttyNOPE9"));
	assert_non_null(strstr(err, "dev.conf:2:"));
	assert_int_equal(conf_load("/nonexistent/k.conf", &conf, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "cannot read"));
}

static struct store *
open_db(const char *name)
{
	struct store	*s;
	char		 path[256], err[256];

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	assert_int_equal(store_open(path, &s, err, sizeof(err)), 0);
	return s;
}

static int64_t
count(struct store *s, const char *sql)
{
	sqlite3_stmt	*st;
	int64_t		 n = -1;

	assert_int_equal(sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL),
	    SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void
test_store_migrate(void **state)
{
	struct store	*s;
	char		 err[256];

	(void)state;
	s = open_db("m.db");
	assert_int_equal(store_version(s), store_schema_version());
	assert_true(count(s, "SELECT COUNT(*) FROM texts") > 0);
	store_close(s);
	/* Reopening does not migrate twice nor duplicate default texts. */
	s = open_db("m.db");
	assert_int_equal(store_version(s), store_schema_version());
	store_close(s);
	assert_int_equal(store_open("/nonexistent-dir/x.db", &s, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent-dir/x.db"));
}

/*
 * The version is the number of the last migration file applied, so that
 * a database of 005 gets 007 even with no 006 in between, and a database
 * newer than the program is refused.
 */
static void
test_store_migrate_numbers(void **state)
{
	struct store	*s;
	char		 path[256], err[256];
	int		 latest;

	(void)state;
	s = open_db("n.db");
	latest = store_version(s);
	assert_true(latest >= 12);
	assert_int_equal(store_exec(s, "ALTER TABLE events DROP COLUMN "
	    "reminded_at; ALTER TABLE events DROP COLUMN reminded; "
	    "DROP TABLE question_forwards; "
	    "DROP TABLE questions; DROP TABLE expert_topics; "
	    "DROP TABLE poll_answers; DROP TABLE poll_asks; "
	    "DROP TABLE poll_options; DROP TABLE poll_questions; "
	    "DROP TABLE polls; "
	    "ALTER TABLE outbox DROP COLUMN parts_done; "
	    "ALTER TABLE outbox DROP COLUMN concat_ref; ALTER TABLE outbox DROP "
	    "COLUMN parts_modem; DROP TABLE aliases; DROP TABLE keyword_actions; "
	    "DROP TABLE sessions; DROP TABLE users; "
	    "DROP TABLE login_failures; DROP INDEX inbox_needs_person; "
	    "ALTER TABLE inbox DROP COLUMN needs_person; ALTER TABLE outbox "
	    "DROP COLUMN created_by; DROP INDEX inbox_received; DROP INDEX "
	    "outbox_sent; DROP INDEX outbox_delivered; "
	    "PRAGMA user_version = 6"), 0);
	/* 012 replaces the old default help, never an admin's own. */
	assert_int_equal(store_exec(s, "UPDATE texts SET body = 'Kirim: HARGA "
	    "CABAI, LANGGANAN CABAI, INFO, DAFTAR nama#desa, DAFTAR <kode>, "
	    "BATAL <kode>, GABUNG <grup>, KELUAR <grup>, BERHENTI, MULAI, "
	    "BAHASA EN' WHERE key = 'help' AND language = 'id'; UPDATE texts "
	    "SET body = 'Our own help' WHERE key = 'help' AND language = "
	    "'en'"), 0);
	store_close(s);
	s = open_db("n.db");
	assert_int_equal(count(s, "SELECT count(*) FROM texts WHERE key = "
	    "'help' AND language = 'id' AND body LIKE '%TANYA <pertanyaan>%'"),
	    1);
	assert_int_equal(count(s, "SELECT count(*) FROM texts WHERE key = "
	    "'help' AND language = 'en' AND body = 'Our own help'"), 1);
	assert_int_equal(store_version(s), latest);
	assert_true(count(s, "SELECT count(*) FROM aliases") > 0);
	assert_int_equal(count(s, "SELECT count(*) FROM polls"), 0);
	assert_int_equal(count(s, "SELECT count(*) FROM events WHERE "
	    "reminded_at IS NOT NULL OR reminded != 0"), 0);
	assert_int_equal(count(s, "SELECT count(*) FROM users"), 0);
	assert_int_equal(count(s, "SELECT count(needs_person) FROM inbox"), 0);
	assert_int_equal(store_exec(s, "PRAGMA user_version = 99"), 0);
	store_close(s);
	snprintf(path, sizeof(path), "%s/n.db", tmpdir);
	assert_int_equal(store_open(path, &s, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "version 99 is newer"));
}

static struct wire_sms_in
part(const char *from, const char *text, int ref, int n, int total)
{
	struct wire_sms_in in;

	memset(&in, 0, sizeof(in));
	snprintf(in.sender, sizeof(in.sender), "%s", from);
	snprintf(in.smsc_time, sizeof(in.smsc_time), "2026-11-22 10:00:00 +0700");
	snprintf(in.text, sizeof(in.text), "%s", text);
	in.concat_ref = ref;
	in.concat_part = n;
	in.concat_total = total;
	in.location = n;
	return in;
}

static void
test_inbox_dedup(void **state)
{
	struct store		*s;
	struct conf		 conf;
	struct wire_sms_in	 in;

	(void)state;
	memset(&conf, 0, sizeof(conf));
	snprintf(conf.language, sizeof(conf.language), "id");
	snprintf(conf.country_code, sizeof(conf.country_code), "62");
	conf.multipart_timeout = 600;
	s = open_db("d.db");
	in = part("+6281100001111", "HARGA CABAI", -1, 1, 1);
	assert_int_equal(inbox_receive(s, &conf, "m1", &in), 0);
	assert_int_equal(inbox_receive(s, &conf, "m1", &in), 0);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM inbox"), 1);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM outbox"), 1);
	/* The same text later is a new message with its own reply. */
	snprintf(in.smsc_time, sizeof(in.smsc_time), "2026-11-22 10:00:07 +0700");
	assert_int_equal(inbox_receive(s, &conf, "m1", &in), 0);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM outbox"), 2);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM inbox WHERE "
	    "needs_person = 1"), 0);
	/* A text no command understands waits for a person. */
	in = part("+6281100001111", "Pak, cabai saya keriting", -1, 1, 1);
	assert_int_equal(inbox_receive(s, &conf, "m1", &in), 0);
	in = part("+6281100002222", "daun kuning kenapa ya", -1, 1, 1);
	assert_int_equal(inbox_receive(s, &conf, "m1", &in), 0);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM inbox WHERE "
	    "needs_person = 1"), 2);
	assert_int_equal(store_begin(s), 0);
	assert_int_equal(inbox_answered(s, "+6281100001111"), 1);
	assert_int_equal(inbox_answered(s, "+6281100001111"), 0);
	assert_int_equal(inbox_needs_person(s, count(s, "SELECT max(id) FROM "
	    "inbox"), 0), 1);
	assert_int_equal(store_commit(s), 0);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM inbox WHERE "
	    "needs_person = 1"), 0);
	store_close(s);
}

/*
 * Identical texts in one second: one per SIM slot, and one more each time
 * the worker emptied a slot and found a message in it again (fresh);
 * reading a stored one again (not fresh, as after a crash) adds nothing.
 */
static void
test_inbox_same_second(void **state)
{
	struct store		*s;
	struct conf		 conf;
	struct wire_sms_in	 in;

	(void)state;
	memset(&conf, 0, sizeof(conf));
	snprintf(conf.language, sizeof(conf.language), "id");
	snprintf(conf.country_code, sizeof(conf.country_code), "62");
	conf.multipart_timeout = 600;
	conf.repeat_limit = 100;
	s = open_db("same.db");
	in = part("+6281100001111", "HARGA CABAI", -1, 1, 1);
	in.folder = 1;
	in.location = 1;
	assert_int_equal(inbox_receive(s, &conf, "m1", &in), 0);
	in.location = 2;			/* the same text in slot 2 */
	assert_int_equal(inbox_receive(s, &conf, "m1", &in), 0);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM inbox"), 2);
	in.fresh = 1;				/* slot 2 emptied, filled again */
	assert_int_equal(inbox_receive(s, &conf, "m1", &in), 0);
	assert_int_equal(inbox_receive(s, &conf, "m1", &in), 0);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM inbox"), 4);
	in.fresh = 0;				/* a crash: slot 2 read again */
	assert_int_equal(inbox_receive(s, &conf, "m1", &in), 0);
	in.location = 1;
	assert_int_equal(inbox_receive(s, &conf, "m1", &in), 0);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM inbox"), 4);
	store_close(s);
}

static void
test_inbox_multipart(void **state)
{
	struct store		*s;
	struct conf		 conf;
	struct wire_sms_in	 p1, p2, p3;

	(void)state;
	memset(&conf, 0, sizeof(conf));
	snprintf(conf.language, sizeof(conf.language), "id");
	snprintf(conf.country_code, sizeof(conf.country_code), "62");
	conf.multipart_timeout = 600;
	s = open_db("mp.db");
	p1 = part("+6281200002222", "HARGA ", 7, 1, 3);
	p2 = part("+6281200002222", "CAB", 7, 2, 3);
	p3 = part("+6281200002222", "AI", 7, 3, 3);
	/* Out of order, with a part read twice. */
	assert_int_equal(inbox_receive(s, &conf, "m1", &p3), 0);
	assert_int_equal(inbox_receive(s, &conf, "m1", &p1), 0);
	assert_int_equal(inbox_receive(s, &conf, "m1", &p3), 0);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM inbox"), 0);
	assert_int_equal(inbox_receive(s, &conf, "m1", &p2), 0);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM inbox WHERE "
	    "text = 'HARGA CABAI' AND parts = 3 AND incomplete = 0"), 1);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM outbox"), 1);
	/* A part read again after assembly makes nothing new. */
	assert_int_equal(inbox_receive(s, &conf, "m1", &p2), 0);
	assert_int_equal(inbox_expire_parts(s, &conf), 0);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM inbox"), 1);
	/* An incomplete set is processed after the timeout. */
	p1 = part("+6281300003333", "HARGA ", 9, 1, 2);
	assert_int_equal(inbox_receive(s, &conf, "m1", &p1), 0);
	conf.multipart_timeout = -1;
	assert_int_equal(inbox_expire_parts(s, &conf), 1);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM inbox WHERE "
	    "sender = '+6281300003333' AND incomplete = 1"), 1);
	store_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conf_good),
		cmocka_unit_test(test_conf_bad),
		cmocka_unit_test(test_conf_pin_hashed),
		cmocka_unit_test(test_conf_missing_device),
		cmocka_unit_test(test_store_migrate),
		cmocka_unit_test(test_store_migrate_numbers),
		cmocka_unit_test(test_inbox_dedup),
		cmocka_unit_test(test_inbox_same_second),
		cmocka_unit_test(test_inbox_multipart),
	};
	char	cmd[64];
	int	rc;

	if (mkdtemp(tmpdir) == NULL)
		return 1;
	rc = cmocka_run_group_tests_name("store", tests, NULL, NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		return 1;
	return rc;
}
