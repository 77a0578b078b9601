/*
 * Unit tests of SIM balance checks: the amount parser, the pattern,
 * the balance settings in a configuration file, and recording answers
 * in a real SQLite file (amount, unmatched answers, low balance texted
 * to the admins once a day).
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

#include "balance.h"
#include "conf.h"
#include "store.h"

static char	test_dir[64];

/* Parse s; the amount, or -1 when it is refused. */
static int64_t
amount(const char *s)
{
	int64_t v = -7;

	if (balance_parse_amount(s, &v) == -1)
		return -1;
	return v;
}

static void
test_parse_plain(void **state)
{
	(void)state;
	assert_int_equal(amount("12500"), 12500);
	assert_int_equal(amount("0"), 0);
	assert_int_equal(amount("12.500"), 12500);
	assert_int_equal(amount("12,500"), 12500);
	assert_int_equal(amount("1.234.567"), 1234567);
	assert_int_equal(amount("1,234,567"), 1234567);
	assert_int_equal(amount("500"), 500);
}

static void
test_parse_decimals(void **state)
{
	(void)state;
	assert_int_equal(amount("12,500.00"), 12500);
	assert_int_equal(amount("12.500,00"), 12500);
	assert_int_equal(amount("1.234.567,89"), 1234567);
	assert_int_equal(amount("12345.50"), 12345);
	assert_int_equal(amount("12,5"), 12);
	assert_int_equal(amount("7.25"), 7);
}

static void
test_parse_decorations(void **state)
{
	(void)state;
	assert_int_equal(amount("Rp12.345"), 12345);
	assert_int_equal(amount("Rp 12.345"), 12345);
	assert_int_equal(amount("Rp.12.345"), 12345);
	assert_int_equal(amount("12.345."), 12345);	/* end of a sentence */
	assert_int_equal(amount("12.345,-"), 12345);
	assert_int_equal(amount(" 5000 "), 5000);
}

static void
test_parse_refused(void **state)
{
	(void)state;
	assert_int_equal(amount(""), -1);
	assert_int_equal(amount("Rp"), -1);
	assert_int_equal(amount("abc"), -1);
	assert_int_equal(amount("12a"), -1);
	assert_int_equal(amount("-500"), -1);
	assert_int_equal(amount("1.23.456"), -1);	/* groups of three */
	assert_int_equal(amount("1234.567"), -1);
	assert_int_equal(amount("1.234.56"), -1);	/* two decimal marks */
	assert_int_equal(amount("12345.6789"), -1);
	assert_int_equal(amount("1.234,567.00"), -1);
	assert_int_equal(amount("1,234.567,00"), -1);
	assert_int_equal(amount(".500"), -1);
	assert_int_equal(amount("99999999999999999999"), -1);
	assert_int_equal(amount("1000000000001"), -1);
	assert_int_equal(amount("1000000000000"), BALANCE_AMOUNT_MAX);
	assert_int_equal(amount("12345678901234567890123456789012345678901234"
	    "5678901234567890123"), -1);
}

static void
test_match(void **state)
{
	char	why[128];
	int64_t	v = 0;

	(void)state;
	assert_int_equal(balance_match("Pulsa Rp ?([0-9.,]+)",
	    "Sisa Pulsa Rp12.345. Berlaku s/d 31-12-2026", &v, why,
	    sizeof(why)), 1);
	assert_int_equal(v, 12345);
	assert_int_equal(balance_match("pulsa rp ?([0-9.,]+)",
	    "PULSA RP 5.000", &v, why, sizeof(why)), 1);
	assert_int_equal(v, 5000);
	assert_int_equal(balance_match("Pulsa Rp ?([0-9.,]+)",
	    "Kuota 2GB berlaku 7 hari", &v, why, sizeof(why)), 0);
	assert_non_null(strstr(why, "does not match"));
	assert_int_equal(balance_match("Sisa ([a-z.,]+)", "Sisa abc",
	    &v, why, sizeof(why)), 0);
	assert_non_null(strstr(why, "\"abc\" is not an amount"));
	assert_int_equal(balance_match("Rp(|[0-9]+)x", "Rpx", &v, why,
	    sizeof(why)), 0);
	assert_int_equal(balance_match("([", "x", &v, why, sizeof(why)), -1);
}

static void
test_pattern_check(void **state)
{
	char err[128];

	(void)state;
	assert_int_equal(conf_balance_pattern_check("Rp ?([0-9.,]+)", err,
	    sizeof(err)), 0);
	assert_int_equal(conf_balance_pattern_check("Rp ?([0-9.,]+", err,
	    sizeof(err)), -1);
	assert_true(strlen(err) > 0);
	assert_int_equal(conf_balance_pattern_check("Rp [0-9]+", err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "group"));
}

/* Write a configuration file in the test folder; its path (static). */
static const char *
write_conf(const char *body)
{
	static char	 path[128];
	FILE		*f;

	snprintf(path, sizeof(path), "%s/k.conf", test_dir);
	if ((f = fopen(path, "w")) == NULL)
		fail_msg("cannot write %s", path);
	fprintf(f, "database = \"%s/k.db\";\n%s", test_dir, body);
	fclose(f);
	return path;
}

/* Load body as a configuration; the error ("" when it loaded). */
static const char *
load(struct conf *c, const char *body)
{
	static char err[CONF_ERR_MAX];

	if (conf_load(write_conf(body), c, err, sizeof(err)) == 0)
		err[0] = '\0';
	return err;
}

static void
test_conf(void **state)
{
	static struct conf	c;

	(void)state;
	assert_string_equal(load(&c, "modems = ( { name = \"m1\"; device = "
	    "\"/dev/null\"; connection = \"at\"; } );\n"), "");
	assert_string_equal(c.modems[0].balance_code, "");
	assert_int_equal(c.modems[0].balance_interval, 86400);
	assert_int_equal(c.modems[0].balance_low, 0);
	assert_int_equal(c.modems[0].balance_alert_admins, 0);
	assert_string_equal(load(&c, "modems = ( { name = \"m1\"; device = "
	    "\"/dev/null\"; connection = \"at\";\n balance_code = \"*888#\";\n"
	    " balance_pattern = \"Pulsa Rp ?([0-9.,]+)\";\n balance_interval "
	    "= 3600; balance_low = 5000; } );\n"), "");
	assert_string_equal(c.modems[0].balance_code, "*888#");
	assert_string_equal(c.modems[0].balance_pattern,
	    "Pulsa Rp ?([0-9.,]+)");
	assert_int_equal(c.modems[0].balance_interval, 3600);
	assert_int_equal(c.modems[0].balance_low, 5000);
	assert_non_null(strstr(load(&c, "modems = ( { name = \"m1\"; device = "
	    "\"/dev/null\"; connection = \"at\";\n balance_code = \"*888#\";\n"
	    " balance_pattern = \"Pulsa Rp ?([0-9.,]+\"; } );\n"),
	    "k.conf:4: balance_pattern: "));
	assert_non_null(strstr(load(&c, "modems = ( { name = \"m1\"; device = "
	    "\"/dev/null\"; connection = \"at\";\n balance_pattern = "
	    "\"Pulsa\"; } );\n"), "k.conf:3: balance_pattern: no ( ) group"));
	assert_non_null(strstr(load(&c, "modems = ( { name = \"m1\"; device = "
	    "\"/dev/null\"; connection = \"at\";\n\n balance_code = "
	    "\"ATD1\"; } );\n"), "k.conf:4: balance_code: digits"));
	assert_non_null(strstr(load(&c, "modems = ( { name = \"k1\"; "
	    "connection = \"kannel\";\n url = \"http://127.0.0.1:13013/\"; "
	    "listen = \"127.0.0.1:13100\";\n balance_code = \"*888#\"; } );\n"),
	    "k.conf:4: balance_code: a Kannel link has no SIM"));
	assert_non_null(strstr(load(&c, "modems = ( { name = \"m1\"; device = "
	    "\"/dev/null\"; connection = \"at\";\n balance_interval = 59; "
	    "} );\n"), "k.conf:3: balance_interval: 59 is out of range "
	    "(60..604800)"));
	assert_non_null(strstr(load(&c, "modems = ( { name = \"m1\"; device = "
	    "\"/dev/null\"; connection = \"at\"; balance_code = \"*888#\";\n"
	    " balance_alert_admins = true; } );\n"),
	    "balance_alert_admins needs admins"));
}

/* A fresh database and a configuration with modem m1 and two admins. */
static int
setup(void **state)
{
	static struct conf	 c;
	struct store		*s;
	char			 err[256], path[128];

	snprintf(test_dir, sizeof(test_dir), "/tmp/kt-test-balance-XXXXXX");
	if (mkdtemp(test_dir) == NULL)
		return -1;
	if (load(&c, "admins = ( { phone = \"081100000001\"; pin = \"1234\"; "
	    "}, { phone = \"081100000002\"; pin = \"5678\"; } );\n"
	    "modems = ( { name = \"m1\"; device = \"/dev/null\"; connection = "
	    "\"at\"; balance_code = \"*888#\"; balance_pattern = \"Pulsa Rp "
	    "?([0-9.,]+)\"; balance_low = 10000; balance_alert_admins = true; "
	    "} );\n")[0] != '\0')
		return -1;
	snprintf(path, sizeof(path), "%s/k.db", test_dir);
	if (store_open(path, &s, err, sizeof(err)) == -1)
		return -1;
	state[0] = s;
	return 0;
}

/* Close the database and remove the test folder. */
static int
teardown(void **state)
{
	static const char *const files[] = { "k.db", "k.db-wal", "k.db-shm",
	    "k.db.lock", "k.conf", NULL };
	char	path[128];
	int	i;

	store_close(*state);
	for (i = 0; files[i] != NULL; i++) {
		snprintf(path, sizeof(path), "%s/%s", test_dir, files[i]);
		unlink(path);
	}
	return rmdir(test_dir);
}

/* One integer from SQL, or -1 for NULL or no row. */
static int64_t
sql_int(struct store *s, const char *sql)
{
	sqlite3_stmt	*st = store_stmt(s, sql);
	int64_t		 v = -1;

	assert_non_null(st);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_type(st, 0) != SQLITE_NULL)
		v = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return v;
}

/* Record an answer to a freshly queued request, in a transaction. */
static int
record(struct store *s, const char *text)
{
	static struct conf	 c;
	char			 err[CONF_ERR_MAX];
	char			 path[128];
	int64_t			 id;
	int			 rc;

	snprintf(path, sizeof(path), "%s/k.conf", test_dir);
	assert_int_equal(conf_load(path, &c, err, sizeof(err)), 0);
	id = balance_queue(s, "m1", "*888#");
	assert_true(id > 0);
	assert_int_equal(store_exec(s, "UPDATE ussd_requests SET state = "
	    "'done'"), 0);
	assert_int_equal(store_begin(s), 0);
	rc = balance_record(s, &c, "m1", id, text);
	assert_int_equal(store_commit(s), 0);
	return rc;
}

static void
test_record(void **state)
{
	struct store *s = *state;

	assert_int_equal(record(s, "Sisa Pulsa Rp25.000 s/d 31-12-2026"), 1);
	assert_int_equal(sql_int(s, "SELECT balance_amount FROM modems WHERE "
	    "name = 'm1'"), 25000);
	assert_true(sql_int(s, "SELECT balance_at FROM modems") > 0);
	assert_int_equal(sql_int(s, "SELECT amount FROM ussd_requests ORDER "
	    "BY id DESC LIMIT 1"), 25000);
	assert_int_equal(sql_int(s, "SELECT count(*) FROM outbox"), 0);

	/* An answer without an amount: kept, the last amount stays. */
	assert_int_equal(record(s, "Maaf, layanan sedang sibuk"), 0);
	assert_int_equal(sql_int(s, "SELECT balance_amount FROM modems"),
	    25000);
	assert_int_equal(sql_int(s, "SELECT balance = 'Maaf, layanan sedang "
	    "sibuk' FROM modems"), 1);
	assert_int_equal(sql_int(s, "SELECT amount FROM ussd_requests ORDER "
	    "BY id DESC LIMIT 1"), -1);
	assert_true(sql_int(s, "SELECT balance_checked_at FROM modems") > 0);
}

static void
test_low(void **state)
{
	struct store *s = *state;

	assert_int_equal(record(s, "Pulsa Rp4.500,00"), 1);
	assert_int_equal(sql_int(s, "SELECT balance_amount FROM modems"),
	    4500);
	assert_int_equal(sql_int(s, "SELECT count(*) FROM outbox"), 2);
	assert_int_equal(sql_int(s, "SELECT count(*) FROM outbox WHERE "
	    "recipient = '+6281100000001' AND text LIKE '%m1%Rp4.500%Rp10.000%'"),
	    1);
	assert_int_equal(sql_int(s, "SELECT count(*) FROM outbox WHERE "
	    "recipient = '+6281100000002'"), 1);
	/* Still low the same day: no second text. */
	assert_int_equal(record(s, "Pulsa Rp3.000"), 1);
	assert_int_equal(sql_int(s, "SELECT count(*) FROM outbox"), 2);
	/* The next day it would be told again. */
	assert_int_equal(store_exec(s, "UPDATE modems SET balance_alert_day "
	    "= '2000-01-01'"), 0);
	assert_int_equal(record(s, "Pulsa Rp3.000"), 1);
	assert_int_equal(sql_int(s, "SELECT count(*) FROM outbox"), 4);
	/* Topped up: nothing. */
	assert_int_equal(store_exec(s, "UPDATE modems SET balance_alert_day "
	    "= '2000-01-01'"), 0);
	assert_int_equal(record(s, "Pulsa Rp50.000"), 1);
	assert_int_equal(sql_int(s, "SELECT count(*) FROM outbox"), 4);
}

static void
test_queue_once(void **state)
{
	struct store	*s = *state;
	int64_t		 a, b;

	a = balance_queue(s, "m1", "*888#");
	b = balance_queue(s, "m1", "*888#");
	assert_true(a > 0);
	assert_int_equal(a, b);
	assert_int_equal(store_exec(s, "UPDATE ussd_requests SET state = "
	    "'done'"), 0);
	assert_true(balance_queue(s, "m1", "*888#") > a);
	assert_int_equal(sql_int(s, "SELECT count(*) FROM ussd_requests "
	    "WHERE source = 'balance'"), 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_plain),
		cmocka_unit_test(test_parse_decimals),
		cmocka_unit_test(test_parse_decorations),
		cmocka_unit_test(test_parse_refused),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_pattern_check),
		cmocka_unit_test_setup_teardown(test_conf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_record, setup, teardown),
		cmocka_unit_test_setup_teardown(test_low, setup, teardown),
		cmocka_unit_test_setup_teardown(test_queue_once, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
