/* Unit tests: outbox state machine and backoff, broadcasts, admin config. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "broadcast.h"
#include "conf.h"
#include "outbox.h"
#include "router.h"
#include "store.h"
#include "wire.h"

static char tmpdir[] = "/tmp/kt-test-outbox-XXXXXX";
static struct conf conf;

/* Open a fresh database and point the outbox at it. */
static struct store *
open_db(const char *name)
{
	struct store	*s;
	char		 path[256], err[256];

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	unlink(path);
	assert_int_equal(store_open(path, &s, err, sizeof(err)), 0);
	memset(&conf, 0, sizeof(conf));
	snprintf(conf.language, sizeof(conf.language), "id");
	snprintf(conf.country_code, sizeof(conf.country_code), "62");
	conf.send_attempts = 3;
	conf.retry_base = 10;
	conf.quiet_from = conf.quiet_to = -1;
	assert_int_equal(outbox_init(NULL, s, &conf), 0);
	return s;
}

/* Run SQL that must succeed. */
static void
sql(struct store *s, const char *q)
{
	assert_int_equal(store_exec(s, q), 0);
}

/* Return the first column of the first row of q as an integer. */
static int64_t
num(struct store *s, const char *q)
{
	sqlite3_stmt	*st;
	int64_t		 n = -1;

	assert_int_equal(sqlite3_prepare_v2(store_db(s), q, -1, &st, NULL),
	    SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* Return the state of an outbox row. */
static const char *
state_of(struct store *s, int64_t id)
{
	static char	 buf[16];
	sqlite3_stmt	*st;

	assert_int_equal(sqlite3_prepare_v2(store_db(s), "SELECT state FROM "
	    "outbox WHERE id = ?", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, id);
	buf[0] = '\0';
	if (sqlite3_step(st) == SQLITE_ROW)
		store_copy_text(st, 0, buf, sizeof(buf));
	sqlite3_finalize(st);
	return buf;
}

/* Claim the next row for m1 (all priorities). */
static int64_t
claim(int maxprio)
{
	char to[WIRE_NUMBER_MAX], text[WIRE_SEND_TEXT_MAX];

	return outbox_claim("m1", maxprio, to, sizeof(to), text, sizeof(text));
}

/* Report a send result for id; link: the modem or Kannel was lost. */
static void
result_link(int64_t id, int ok, int permanent, int link)
{
	struct wire_sent r;

	memset(&r, 0, sizeof(r));
	r.outbox_id = id;
	r.ok = ok;
	r.permanent = permanent;
	r.link = link;
	r.parts = 1;
	snprintf(r.error, sizeof(r.error), "%s", ok ? "" : "test error");
	outbox_sent("m1", id, &r);
}

/* Report a send result for id. */
static void
result(int64_t id, int ok, int permanent)
{
	result_link(id, ok, permanent, 0);
}

static void
test_priority_and_backoff(void **state)
{
	struct store	*s;
	int64_t		 bc, alert, reply, id, now;
	char		 q[128];

	(void)state;
	s = open_db("sm.db");
	store_begin(s);
	bc = outbox_enqueue(s, "+6281100000001", "bc", OUTBOX_PRIO_BROADCAST,
	    0, 0);
	alert = outbox_enqueue(s, "+6281100000002", "alert", OUTBOX_PRIO_ALERT,
	    0, 0);
	reply = outbox_enqueue(s, "+6281100000003", "reply", OUTBOX_PRIO_REPLY,
	    0, 0);
	store_commit(s);

	/* Quiet hours hold broadcasts only. */
	assert_int_equal(claim(OUTBOX_PRIO_ALERT), reply);
	assert_string_equal(state_of(s, reply), "sending");
	assert_int_equal(claim(OUTBOX_PRIO_ALERT), alert);
	assert_int_equal(claim(OUTBOX_PRIO_ALERT), 0);
	assert_int_equal(claim(OUTBOX_PRIO_BROADCAST), bc);

	/* A temporary error: queued again after retry_base, then doubled. */
	now = store_now();
	result(reply, 0, 0);
	assert_string_equal(state_of(s, reply), "queued");
	snprintf(q, sizeof(q), "SELECT next_attempt_at FROM outbox WHERE id "
	    "= %lld", (long long)reply);
	assert_in_range(num(s, q), now + 10, now + 11);
	assert_int_equal(claim(OUTBOX_PRIO_BROADCAST), 0);	/* not due */
	sql(s, "UPDATE outbox SET next_attempt_at = 0");
	assert_int_equal(claim(OUTBOX_PRIO_BROADCAST), reply);
	result(reply, 0, 0);
	assert_in_range(num(s, q), now + 20, now + 21);
	sql(s, "UPDATE outbox SET next_attempt_at = 0");
	assert_int_equal(claim(OUTBOX_PRIO_BROADCAST), reply);
	result(reply, 0, 0);	/* third attempt of 3: gives up */
	assert_string_equal(state_of(s, reply), "failed");

	/* A permanent error fails at once; success records parts. */
	result(alert, 0, 1);
	assert_string_equal(state_of(s, alert), "failed");
	result(bc, 1, 0);
	assert_string_equal(state_of(s, bc), "sent");
	assert_int_equal(num(s, "SELECT parts FROM outbox WHERE text = 'bc'"),
	    1);

	/* A dead worker: back in the queue soon; recovery after a crash. */
	assert_int_equal(outbox_retry(s, alert), 1);
	assert_int_equal(claim(OUTBOX_PRIO_BROADCAST), alert);
	outbox_sent("m1", alert, NULL);
	assert_string_equal(state_of(s, alert), "queued");
	sql(s, "UPDATE outbox SET next_attempt_at = 0");
	assert_int_equal(claim(OUTBOX_PRIO_BROADCAST), alert);
	assert_int_equal(outbox_recover(s), 1);
	assert_string_equal(state_of(s, alert), "queued");

	/* Cancelled rows are never claimed; retry brings them back. */
	assert_int_equal(outbox_cancel(s, alert), 1);
	assert_int_equal(outbox_cancel(s, alert), 0);
	assert_int_equal(claim(OUTBOX_PRIO_BROADCAST), 0);
	assert_int_equal(outbox_retry(s, alert), 1);
	assert_int_equal(claim(OUTBOX_PRIO_BROADCAST), alert);
	assert_int_equal(outbox_retry(s, bc), 0);	/* sent: no */
	id = claim(OUTBOX_PRIO_BROADCAST);
	assert_int_equal(id, 0);
	outbox_free();
	store_close(s);
}

/*
 * A lost link is never the message's fault: past send_attempts it stays
 * queued, its retries spaced from 2 s and doubling, not looping.
 */
static void
test_link_failure_waits(void **state)
{
	struct store	*s;
	int64_t		 id, now, prev = 0, wait;
	char		 q[128];
	int		 k;

	(void)state;
	s = open_db("link.db");
	store_begin(s);
	id = outbox_enqueue(s, "+6281100000009", "hi", OUTBOX_PRIO_BROADCAST,
	    0, 0);
	store_commit(s);
	snprintf(q, sizeof(q), "SELECT next_attempt_at FROM outbox WHERE id "
	    "= %lld", (long long)id);
	for (k = 1; k <= 6; k++) {	/* twice send_attempts */
		assert_int_equal(claim(OUTBOX_PRIO_BROADCAST), id);
		now = store_now();
		result_link(id, 0, 0, 1);
		assert_string_equal(state_of(s, id), "queued");
		wait = num(s, q) - now;
		assert_in_range(wait, 2 << (k - 1), (2 << (k - 1)) + 1);
		assert_true(wait > prev);
		prev = wait;
		sql(s, "UPDATE outbox SET next_attempt_at = 0");
	}
	assert_int_equal(num(s, "SELECT attempts FROM outbox"), 6);
	/* The same message's own temporary error still gives up. */
	assert_int_equal(claim(OUTBOX_PRIO_BROADCAST), id);
	result(id, 0, 0);
	assert_string_equal(state_of(s, id), "failed");
	outbox_free();
	store_close(s);
}

static void
test_quiet_prefix_midnight(void **state)
{
	struct tm	tm;
	time_t		t, m;

	(void)state;
	memset(&conf, 0, sizeof(conf));
	conf.quiet_from = 21 * 60;
	conf.quiet_to = 6 * 60;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = 126;
	tm.tm_mon = 10;
	tm.tm_mday = 22;
	tm.tm_isdst = -1;
	tm.tm_hour = 22;
	assert_true(outbox_quiet(&conf, mktime(&tm)));
	tm.tm_hour = 5;
	tm.tm_min = 59;
	assert_true(outbox_quiet(&conf, mktime(&tm)));
	tm.tm_hour = 6;
	tm.tm_min = 0;
	assert_false(outbox_quiet(&conf, mktime(&tm)));
	tm.tm_hour = 12;
	t = mktime(&tm);
	assert_false(outbox_quiet(&conf, t));
	conf.quiet_from = 12 * 60;
	conf.quiet_to = 13 * 60;
	assert_true(outbox_quiet(&conf, t));
	conf.quiet_from = -1;
	assert_false(outbox_quiet(&conf, t));

	m = outbox_midnight(t, 0);
	assert_int_equal(t - m, 12 * 3600);
	assert_int_equal(outbox_midnight(t, 1) - m, 24 * 3600);

	assert_true(outbox_prefix_match("+62811,+62812", "+628121234"));
	assert_true(outbox_prefix_match("+62811", "+628111234"));
	assert_false(outbox_prefix_match("+62811,+62812", "+628131234"));
	assert_false(outbox_prefix_match("", "+628131234"));
}

/* Contacts 1..5: 4 opted out; groups G (1, 2, 4) and H (2, 3). */
static void
people(struct store *s)
{
	sql(s, "INSERT INTO contacts (id, phone, opted_out, created_at, "
	    "updated_at) VALUES (1, '+6281000000001', 0, 0, 0), "
	    "(2, '+6281000000002', 0, 0, 0), (3, '+6281000000003', 0, 0, 0), "
	    "(4, '+6281000000004', 1, 0, 0), (5, '+6281000000005', 0, 0, 0);"
	    "INSERT INTO groups (id, name, created_at) VALUES (1, 'G', 0), "
	    "(2, 'H', 0);"
	    "INSERT INTO group_members VALUES (1, 1, 0), (1, 2, 0), (1, 4, 0), "
	    "(2, 2, 0), (2, 3, 0);"
	    "INSERT INTO commodities (id, name) VALUES (1, 'CABAI');"
	    "INSERT INTO markets (id, name) VALUES (1, 'KEDIRI'), (2, 'PARE');"
	    "INSERT INTO subscriptions (contact_id, commodity_id, market_id, "
	    "created_at) VALUES (1, 1, 1, 0), (1, 1, 2, 0), (4, 1, 1, 0), "
	    "(3, 1, NULL, 0);"
	    "INSERT INTO events (id, code, title, quota, created_at) VALUES "
	    "(1, 'TANI24', 'Tani', 2, 0);"
	    "INSERT INTO registrations (event_id, contact_id, status, "
	    "created_at, updated_at) VALUES (1, 1, 'confirmed', 0, 0), "
	    "(1, 2, 'confirmed', 0, 0), (1, 3, 'waitlisted', 0, 0), "
	    "(1, 4, 'confirmed', 0, 0), (1, 5, 'cancelled', 0, 0);");
}

/* Start a broadcast to spec now; return its recipient count. */
static int
send_to(struct store *s, const char *spec, int64_t *idp)
{
	struct broadcast_target	t;
	char			err[128];
	int64_t			id;
	int			n;

	assert_int_equal(broadcast_parse_target(spec, &t, err, sizeof(err)),
	    0);
	assert_int_equal(broadcast_target_exists(s, &t), 1);
	store_begin(s);
	id = broadcast_new(s, &t, "halo", "test", "", 0);
	assert_true(id > 0);
	if (t.kind == BROADCAST_NUMBERS) {
		assert_int_equal(broadcast_add_number(s, id,
		    "+6281000000001"), 1);
		assert_int_equal(broadcast_add_number(s, id,
		    "+6281000000001"), 0);
		assert_int_equal(broadcast_add_number(s, id,
		    "+6281000000004"), 1);
		assert_int_equal(broadcast_add_number(s, id,
		    "+6289999999999"), 1);
	}
	n = broadcast_start(s, id);
	store_commit(s);
	if (idp != NULL)
		*idp = id;
	return n;
}

static void
test_targeting(void **state)
{
	struct broadcast_target	 t;
	struct store		*s;
	char			 err[128], spec[96];

	(void)state;
	s = open_db("target.db");
	people(s);
	assert_int_equal(send_to(s, "G", NULL), 2);		/* 4 opted out */
	assert_int_equal(send_to(s, "group:h", NULL), 2);
	assert_int_equal(send_to(s, "all", NULL), 4);
	assert_int_equal(send_to(s, "subscribers:CABAI", NULL), 2); /* dedup */
	assert_int_equal(send_to(s, "event:TANI24", NULL), 2);
	assert_int_equal(send_to(s, "event:TANI24:waitlisted", NULL), 1);
	assert_int_equal(send_to(s, "event:tani24:both", NULL), 3);
	assert_int_equal(send_to(s, "numbers", NULL), 2);
	assert_int_equal(num(s, "SELECT COUNT(*) FROM outbox WHERE recipient "
	    "= '+6281000000004'"), 0);
	assert_int_equal(num(s, "SELECT COUNT(*) FROM outbox WHERE priority "
	    "!= 2"), 0);

	assert_int_equal(broadcast_parse_target("event:X:maybe", &t, err,
	    sizeof(err)), -1);
	assert_int_equal(broadcast_parse_target("bad name", &t, err,
	    sizeof(err)), -1);
	assert_int_equal(broadcast_parse_target("NOPE", &t, err,
	    sizeof(err)), 0);
	assert_int_equal(broadcast_target_exists(s, &t), 0);
	broadcast_parse_target("event:TANI24", &t, err, sizeof(err));
	broadcast_target_format(&t, spec, sizeof(spec));
	assert_string_equal(spec, "event:TANI24:confirmed");
	outbox_free();
	store_close(s);
}

static void
test_schedule_cancel_settle(void **state)
{
	struct broadcast_progress	 p;
	struct broadcast_target		 t;
	struct store			*s;
	char				 err[128];
	int64_t				 id, id2;
	int				 rows;

	(void)state;
	s = open_db("sched.db");
	people(s);
	broadcast_parse_target("all", &t, err, sizeof(err));
	store_begin(s);
	id = broadcast_new(s, &t, "besok", "test", "+6281000000009",
	    store_now() + 3600);
	store_commit(s);
	assert_int_equal(broadcast_tick(s, &conf), 0);
	assert_int_equal(num(s, "SELECT COUNT(*) FROM outbox"), 0);
	sql(s, "UPDATE broadcasts SET scheduled_at = 1");
	assert_int_equal(broadcast_tick(s, &conf), 1);
	assert_int_equal(num(s, "SELECT COUNT(*) FROM outbox"), 4);
	assert_int_equal(num(s, "SELECT recipients FROM broadcasts"), 4);

	/* Two sent, one failed, one still queued: not settled yet. */
	sql(s, "UPDATE outbox SET state = 'sent' WHERE id IN (1, 2);"
	    "UPDATE outbox SET state = 'failed' WHERE id = 3");
	assert_int_equal(broadcast_tick(s, &conf), 0);
	assert_int_equal(broadcast_progress(s, id, &p), 0);
	assert_int_equal(p.sent, 2);
	assert_int_equal(p.failed, 1);
	assert_int_equal(p.queued, 1);
	sql(s, "UPDATE outbox SET state = 'delivered' WHERE id = 4");
	assert_int_equal(broadcast_tick(s, &conf), 1);
	assert_int_equal(num(s, "SELECT COUNT(*) FROM broadcasts WHERE state "
	    "= 'done' AND finished_at IS NOT NULL"), 1);
	/* The admin's summary: an alert with the counts. */
	assert_int_equal(num(s, "SELECT COUNT(*) FROM outbox WHERE recipient "
	    "= '+6281000000009' AND priority = 1 AND text LIKE '%3 terkirim, "
	    "1 gagal%'"), 1);

	/* Cancel in progress: queued rows stop, rows in hand finish. */
	assert_int_equal(send_to(s, "G", &id2), 2);
	sql(s, "UPDATE outbox SET state = 'sending' WHERE id = (SELECT "
	    "MIN(id) FROM outbox WHERE broadcast_id = 2)");
	store_begin(s);
	assert_int_equal(broadcast_cancel(s, id2, &rows), 1);
	store_commit(s);
	assert_int_equal(rows, 1);
	assert_int_equal(broadcast_progress(s, id2, &p), 0);
	assert_int_equal(p.cancelled, 1);
	assert_int_equal(p.queued, 1);
	store_begin(s);
	assert_int_equal(broadcast_cancel(s, id2, &rows), 0);
	store_commit(s);
	/* Only the admin's summary is left to send. */
	assert_int_equal(claim(OUTBOX_PRIO_BROADCAST), num(s, "SELECT id FROM "
	    "outbox WHERE priority = 1"));
	assert_int_equal(claim(OUTBOX_PRIO_BROADCAST), 0);
	outbox_free();
	store_close(s);
}

static void
test_enqueue_100k(void **state)
{
	struct store	*s;
	struct timespec	 t0, t1;
	int64_t		 id;
	int		 n;

	(void)state;
	s = open_db("big.db");
	sql(s, "BEGIN; INSERT INTO groups (id, name, created_at) VALUES "
	    "(1, 'BESAR', 0); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
	    "SELECT i + 1 FROM n WHERE i < 100000) INSERT INTO contacts "
	    "(id, phone, created_at, updated_at) SELECT i, '+62812' || "
	    "printf('%08d', i), 0, 0 FROM n; INSERT INTO group_members "
	    "SELECT 1, id, 0 FROM contacts; COMMIT;");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	n = send_to(s, "BESAR", &id);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_int_equal(n, 100000);
	printf("[ INFO     ] broadcast to 100000 recipients enqueued in "
	    "%.3f s\n", (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	assert_int_equal(num(s, "SELECT COUNT(DISTINCT recipient) FROM "
	    "outbox"), 100000);
	/* The head of the queue comes from the index, not a scan. */
	assert_true(claim(OUTBOX_PRIO_BROADCAST) > 0);
	outbox_free();
	store_close(s);
}

/*
 * A broadcast filled a chunk at a time: the CLI queues one chunk and
 * dies; the daemon's tick goes on from filled_to, a chunk a turn, and
 * every contact who has not opted out gets exactly one row.
 */
static void
test_fill_resume(void **state)
{
	struct broadcast_target	 t;
	struct store		*s;
	char			 err[128];
	int64_t			 id;
	int			 n = -1, i;

	(void)state;
	s = open_db("resume.db");
	sql(s, "BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT "
	    "i + 1 FROM n WHERE i < 5000) INSERT INTO contacts (id, phone, "
	    "opted_out, created_at, updated_at) SELECT i * 3, '+62812' || "
	    "printf('%08d', i), i = 4321, 0, 0 FROM n; COMMIT;");
	broadcast_parse_target("all", &t, err, sizeof(err));
	store_begin(s);
	id = broadcast_new(s, &t, "rapat", "test", "", 0);
	store_commit(s);
	assert_int_equal(broadcast_fill(s, id, &n), 1);
	assert_int_equal(num(s, "SELECT COUNT(*) FROM outbox"), 2000);
	assert_int_equal(num(s, "SELECT filled_to FROM broadcasts"), 6000);
	assert_int_equal(num(s, "SELECT state = 'scheduled' FROM "
	    "broadcasts"), 1);
	/* The CLI is gone: the daemon's promotion finishes the fill. */
	for (i = 0; i < 10 && num(s, "SELECT state FROM broadcasts WHERE "
	    "state = 'queued'") == -1; i++)
		broadcast_tick(s, &conf);
	assert_int_equal(i, 2);
	assert_int_equal(num(s, "SELECT COUNT(*) FROM outbox"), 4999);
	assert_int_equal(num(s, "SELECT COUNT(DISTINCT recipient) FROM "
	    "outbox"), 4999);
	assert_int_equal(num(s, "SELECT recipients FROM broadcasts"), 4999);
	assert_int_equal(num(s, "SELECT COUNT(*) FROM outbox WHERE "
	    "recipient = '+6281200004321'"), 0);
	/* Asked again, it is filled: nothing more is queued. */
	assert_int_equal(broadcast_fill(s, id, &n), 0);
	assert_int_equal(n, 4999);
	assert_int_equal(num(s, "SELECT COUNT(*) FROM outbox"), 4999);
	outbox_free();
	store_close(s);
}

/* Write a config file and load it; return the error ("" when valid). */
static const char *
load(const char *text, struct conf *c)
{
	static char	err[CONF_ERR_MAX];
	char		path[256];
	FILE		*f;

	snprintf(path, sizeof(path), "%s/k.conf", tmpdir);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
	conf_load(path, c, err, sizeof(err));
	return err;
}

static void
test_conf_admins(void **state)
{
	static struct conf	c;
	const char		*e;

	(void)state;
	e = load("database = \"/tmp/x.db\";\nquiet_hours = \"21:00-06:00\";\n"
	    "send_attempts = 7;\nadmins = (\n { phone = \"0811222333\"; "
	    "pin = \"1234\"; }\n);\nmodems = ( { name = \"m1\"; device = "
	    "\"/dev/null\"; connection = \"at\"; prefixes = \"+62811,+62812\"; "
	    "} );\n", &c);
	assert_string_equal(e, "");
	assert_int_equal(c.nadmins, 1);
	assert_string_equal(c.admins[0].phone, "+62811222333");
	assert_non_null(conf_admin_find(&c, "+62811222333"));
	assert_null(conf_admin_find(&c, "+62811222334"));
	assert_int_equal(c.quiet_from, 21 * 60);
	assert_int_equal(c.quiet_to, 6 * 60);
	assert_int_equal(c.send_attempts, 7);
	assert_int_equal(c.retry_base, 30);
	e = load("database = \"/x\";\nadmins = (\n { phone = \"0811222333\"; "
	    "pin = \"12\"; }\n);\n", &c);
	assert_non_null(strstr(e, "k.conf:3:"));
	assert_non_null(strstr(e, "pin"));
	e = load("database = \"/x\";\nadmins = (\n { phone = \"x\"; "
	    "pin = \"1234\"; }\n);\n", &c);
	assert_non_null(strstr(e, "not a phone number"));
	e = load("database = \"/x\";\n\nquiet_hours = \"9pm\";\n", &c);
	assert_non_null(strstr(e, "k.conf:3: quiet_hours"));
	e = load("database = \"/x\";\nmodems = (\n { name = \"m1\"; device = "
	    "\"/dev/null\"; connection = \"at\"; prefixes = \"62811\"; } );\n",
	    &c);
	assert_non_null(strstr(e, "k.conf:3: modem m1: prefixes"));
}

/* Route one SMS from sender inside a transaction; return the reply. */
static const char *
sms(struct store *s, const char *sender, const char *text)
{
	static struct router_out	out;
	struct router_in		in = { sender, text, 0 };

	store_begin(s);
	assert_int_equal(router_handle(s, &conf, &in, &out), 0);
	store_commit(s);
	return out.reply ? out.text : "";
}

static void
test_siar(void **state)
{
	struct store	*s;
	const char	*r;
	char		 want[32];

	(void)state;
	s = open_db("siar.db");
	people(s);
	conf.nadmins = 1;
	snprintf(conf.admins[0].phone, sizeof(conf.admins[0].phone),
	    "+62811222333");
	snprintf(conf.admins[0].pin, sizeof(conf.admins[0].pin), "1234");

	r = sms(s, "08111111111", "SIAR 1234 G halo semua");
	assert_non_null(strstr(r, "ditolak"));		/* not an admin */
	r = sms(s, "0811222333", "siar 9999 G halo semua");
	assert_non_null(strstr(r, "ditolak"));		/* wrong PIN */
	r = sms(s, "0811222333", "BC 1234 NOPE halo");
	assert_non_null(strstr(r, "NOPE"));
	r = sms(s, "0811222333", "SIAR 1234 G Pelatihan pupuk Sabtu 09.00");
	assert_non_null(strstr(r, "2 nomor"));
	assert_int_equal(num(s, "SELECT COUNT(*) FROM outbox WHERE text = "
	    "'Pelatihan pupuk Sabtu 09.00'"), 2);
	assert_int_equal(num(s, "SELECT COUNT(*) FROM broadcasts WHERE notify "
	    "= '+62811222333'"), 1);
	r = sms(s, "0811222333", "SIAR 1234 semua Banjir");
	/* Everyone not opted out (the router may have added the senders). */
	snprintf(want, sizeof(want), "%lld nomor", (long long)num(s,
	    "SELECT COUNT(*) FROM contacts WHERE opted_out = 0"));
	assert_non_null(strstr(r, want));
	/* Three wrong PINs lock the number out, even with the right one. */
	sms(s, "0811222333", "SIAR 1 G x");
	sms(s, "0811222333", "SIAR 2 G x");
	r = sms(s, "0811222333", "SIAR 3 G x");
	assert_non_null(strstr(r, "Terlalu banyak"));
	r = sms(s, "0811222333", "SIAR 1234 G x");
	assert_non_null(strstr(r, "Terlalu banyak"));
	assert_int_equal(num(s, "SELECT COUNT(*) FROM broadcasts"), 2);
	outbox_free();
	store_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_priority_and_backoff),
		cmocka_unit_test(test_link_failure_waits),
		cmocka_unit_test(test_quiet_prefix_midnight),
		cmocka_unit_test(test_targeting),
		cmocka_unit_test(test_schedule_cancel_settle),
		cmocka_unit_test(test_enqueue_100k),
		cmocka_unit_test(test_fill_resume),
		cmocka_unit_test(test_conf_admins),
		cmocka_unit_test(test_siar),
	};
	char	cmd[64];
	int	rc;

	if (mkdtemp(tmpdir) == NULL)
		return 1;
	rc = cmocka_run_group_tests_name("outbox", tests, NULL, NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		return 1;
	return rc;
}
