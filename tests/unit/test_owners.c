/*
 * Unit tests of the tables' owners, each rule through the owner alone on
 * a real SQLite file: events (quota, deadline, waitlist promotion and its
 * notice), contact removal refused while registered, held price reports,
 * the SIAR PIN lock-out, subscriptions, the USSD menu's nodes and the
 * modems table; for the console: an event's quota raised, a reply text
 * changed, a broadcast's audience counted, the settings masked, and CSV
 * rows as contact_csv_check reads them.
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

#include "admin.h"
#include "broadcast.h"
#include "conf.h"
#include "contact.h"
#include "csvin.h"
#include "event.h"
#include "group.h"
#include "modems.h"
#include "outbox.h"
#include "price.h"
#include "store.h"
#include "sub.h"
#include "text.h"
#include "ussd_menu.h"

static struct conf	test_conf;

/* A fresh database in a file that is gone once it is open. */
static int
setup(void **state)
{
	char		 path[] = "/tmp/kt-test-own-XXXXXX", err[256];
	struct store	*s;
	int		 fd;

	memset(&test_conf, 0, sizeof(test_conf));
	snprintf(test_conf.language, sizeof(test_conf.language), "id");
	if ((fd = mkstemp(path)) == -1)
		return -1;
	close(fd);
	unlink(path);
	if (store_open(path, &s, err, sizeof(err)) == -1)
		return -1;
	unlink(path);
	*state = s;
	return 0;
}

static int
teardown(void **state)
{
	store_close(*state);
	return 0;
}

/* Run one integer query bound to an optional text. */
static int64_t
q(struct store *s, const char *sql, const char *arg)
{
	sqlite3_stmt	*st;
	int64_t		 v = -1;

	assert_int_equal(sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL),
	    SQLITE_OK);
	if (arg != NULL)
		sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* A registration's status word for a phone, in a static buffer. */
static const char *
reg_status(struct store *s, const char *phone)
{
	static char	 out[16];
	sqlite3_stmt	*st;

	assert_int_equal(sqlite3_prepare_v2(store_db(s), "SELECT r.status "
	    "FROM registrations r JOIN contacts c ON c.id = r.contact_id "
	    "WHERE c.phone = ?", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, phone, -1, SQLITE_STATIC);
	snprintf(out, sizeof(out), "%s", sqlite3_step(st) == SQLITE_ROW ?
	    (const char *)sqlite3_column_text(st, 0) : "none");
	sqlite3_finalize(st);
	return out;
}

/* Create an event with a quota; the event as event_find reads it. */
static void
make_event(struct store *s, const char *code, long quota,
    const char *deadline, struct event_row *e)
{
	struct event_spec	n = { .code = code, .title = "Pelatihan",
				      .deadline = deadline, .place = "Balai",
				      .quota = quota };
	char			why[96];

	assert_int_equal(event_create(s, &n, why, sizeof(why)), 1);
	assert_int_equal(event_find(s, code, e), 1);
}

static void
test_event_create_checks(void **state)
{
	struct store		*s = *state;
	struct event_spec	 n = { .code = "tani24", .title = "T",
				       .place = "", .quota = 2 };
	struct event_row		 e;
	char			 why[96];

	assert_int_equal(event_create(s, &n, why, sizeof(why)), 1);
	assert_int_equal(event_find(s, "TANI24", &e), 1);
	assert_true(e.open);
	assert_int_equal(event_create(s, &n, why, sizeof(why)), 0);
	n.code = "TWO WORDS";
	assert_int_equal(event_create(s, &n, why, sizeof(why)), -2);
	assert_non_null(strstr(why, "code"));
	n.code = "OK1";
	n.deadline = "5 Dec";
	assert_int_equal(event_create(s, &n, why, sizeof(why)), -2);
	assert_non_null(strstr(why, "--deadline"));
	n.deadline = NULL;
	n.quota = -1;
	assert_int_equal(event_create(s, &n, why, sizeof(why)), -2);
	assert_int_equal(event_close(s, "TANI24"), 1);
	assert_int_equal(event_close(s, "NOPE"), 0);
	assert_int_equal(event_find(s, "TANI24", &e), 1);
	assert_false(e.open);
}

static void
test_event_quota_and_waitlist_promotion(void **state)
{
	struct store	*s = *state;
	struct event_row	 e;
	int64_t		 a, b, c, d;
	int		 pos;

	make_event(s, "TANI", 1, NULL, &e);
	a = contact_ensure(s, "+621");
	b = contact_ensure(s, "+622");
	c = contact_ensure(s, "+623");
	d = contact_ensure(s, "+624");
	assert_int_equal(event_register(s, &e, a, "A", &pos), EVENT_CONFIRMED);
	assert_int_equal(event_register(s, &e, a, "A", &pos), EVENT_ALREADY);
	assert_int_equal(event_register(s, &e, b, "B", &pos), EVENT_WAITLISTED);
	assert_int_equal(pos, 1);
	assert_int_equal(event_register(s, &e, c, "C", &pos), EVENT_WAITLISTED);
	assert_int_equal(pos, 2);
	assert_int_equal(event_register(s, &e, c, "C", &pos),
	    EVENT_ALREADY_WAITING);

	/* A waitlisted person leaving frees no place: nobody is told. */
	assert_int_equal(event_cancel(s, &test_conf, &e, c), 1);
	assert_int_equal(q(s, "SELECT COUNT(*) FROM outbox", NULL), 0);
	assert_int_equal(event_cancel(s, &test_conf, &e, c), 0);
	assert_int_equal(event_cancel(s, &test_conf, &e, d), 0);

	/* The confirmed one cancels: B, first in line, gets the place. */
	assert_int_equal(event_cancel(s, &test_conf, &e, a), 1);
	assert_string_equal(reg_status(s, "+621"), "cancelled");
	assert_string_equal(reg_status(s, "+622"), "confirmed");
	assert_int_equal(q(s, "SELECT COUNT(*) FROM outbox WHERE recipient = "
	    "? AND priority = 1 AND text LIKE 'Ada tempat!%'", "+622"), 1);
	assert_int_equal(q(s, "SELECT COUNT(*) FROM outbox", NULL), 1);

	/* Registering again goes to the back of the line. */
	assert_int_equal(event_register(s, &e, a, "A", &pos), EVENT_WAITLISTED);
	assert_int_equal(pos, 1);
	assert_int_equal(event_close(s, "TANI"), 1);
	assert_int_equal(event_find(s, "TANI", &e), 1);
	assert_int_equal(event_register(s, &e, d, "D", &pos), EVENT_CLOSED);
	/* Closed: a freed place is not given away. */
	assert_int_equal(event_cancel(s, &test_conf, &e, b), 1);
	assert_string_equal(reg_status(s, "+621"), "waitlisted");
}

static void
test_event_deadline(void **state)
{
	struct store		*s = *state;
	struct event_row		 e;
	int			 pos;

	struct event_spec	 n = { .code = "LAMA", .title = "Pelatihan",
				       .deadline = "2020-01-01", .place = "",
				       .quota = 5 };
	char			 why[96];

	/* A deadline already past is refused when the event is made... */
	assert_int_equal(event_create(s, &n, why, sizeof(why)), -2);
	assert_string_equal(why, "--deadline: that day is past");
	/* ... and one that has passed since closes registration. */
	make_event(s, "LAMA", 5, "2099-01-01", &e);
	assert_int_equal(sqlite3_exec(store_db(s), "UPDATE events SET "
	    "deadline = '2020-01-01' WHERE code = 'LAMA'", NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(event_find(s, "LAMA", &e), 1);
	assert_int_equal(event_register(s, &e, contact_ensure(s, "+621"), "",
	    &pos), EVENT_PAST_DEADLINE);
	assert_int_equal(q(s, "SELECT COUNT(*) FROM registrations", NULL), 0);
}

static void
test_contact_remove_refused_while_registered(void **state)
{
	struct store	*s = *state;
	struct event_row	 e;
	char		 events[64];
	int64_t		 a, id;
	int		 pos;

	make_event(s, "TANI", 5, NULL, &e);
	a = contact_ensure(s, "+621");
	assert_int_equal(event_register(s, &e, a, "A", &pos), EVENT_CONFIRMED);
	assert_int_equal(price_set(s, "CABAI", "KEDIRI", 45000, "kg",
	    "2026-11-21", "sms", &id), 0);
	assert_int_equal(store_exec(s, "UPDATE prices SET reporter_id = "
	    "(SELECT id FROM contacts WHERE phone = '+621')"), 0);

	assert_int_equal(contact_remove(s, "+621", events, sizeof(events)),
	    -2);
	assert_string_equal(events, "TANI");
	assert_int_equal(contact_find(s, "+621"), a);
	assert_int_equal(contact_remove(s, "+629", events, sizeof(events)),
	    0);

	/* Once cancelled, the contact goes; the price report stays. */
	assert_int_equal(event_cancel(s, &test_conf, &e, a), 1);
	assert_int_equal(contact_remove(s, "+621", events, sizeof(events)),
	    1);
	assert_int_equal(contact_find(s, "+621"), 0);
	assert_int_equal(q(s, "SELECT COUNT(*) FROM registrations", NULL), 0);
	assert_int_equal(q(s, "SELECT COUNT(*) FROM prices WHERE reporter_id "
	    "IS NULL", NULL), 1);
}

/* Report a price as contact 1 would by LAPOR; price_report's result. */
static int
report(struct store *s, int64_t reporter, int64_t price, int64_t *id)
{
	struct price_report r = { .commodity = "CABAI", .market = "KEDIRI",
	    .unit = "", .date = "2026-11-22", .price = price,
	    .reporter = reporter, .hold_percent = 50 };

	return price_report(s, &r, id);
}

static void
test_held_reports(void **state)
{
	struct store	*s = *state;
	struct price_row r;
	int64_t		 k, id, held, held2;

	k = contact_ensure(s, "+621");
	assert_int_equal(price_set(s, "CABAI", "KEDIRI", 40000, "kg",
	    "2026-11-21", "test", NULL), 0);
	/* Within 50 %: published at once, with the reporter. */
	assert_int_equal(report(s, k, 50000, &id), 1);
	assert_int_equal(q(s, "SELECT COUNT(*) FROM prices WHERE status = "
	    "'published' AND reporter_id IS NOT NULL", NULL), 1);
	/* Far off: held, and the latest price stays what it was. */
	assert_int_equal(report(s, k, 500000, &held), 0);
	assert_int_equal(report(s, k, 1000, &held2), 0);
	assert_int_equal(price_latest(s, 1, 1, &r), 1);
	assert_int_equal(r.price, 50000);
	/* Approving publishes it, once; a published price is not held. */
	assert_int_equal(price_review(s, held, 1), 1);
	assert_int_equal(price_review(s, held, 1), 0);
	assert_int_equal(price_review(s, id, 0), 0);
	assert_int_equal(price_latest(s, 1, 1, &r), 1);
	assert_int_equal(r.price, 500000);
	/* Rejecting keeps it out; it cannot be approved after. */
	assert_int_equal(price_review(s, held2, 0), 1);
	assert_int_equal(price_review(s, held2, 1), 0);
	assert_int_equal(q(s, "SELECT COUNT(*) FROM prices WHERE status = "
	    "'rejected'", NULL), 1);
}

static void
test_admin_lockout(void **state)
{
	struct store *s = *state;

	assert_int_equal(admin_locked(s, "+621"), 0);
	assert_int_equal(admin_failed(s, "+621"), 0);
	assert_int_equal(admin_failed(s, "+621"), 0);
	assert_int_equal(admin_locked(s, "+621"), 0);
	assert_int_equal(admin_failed(s, "+621"), 1);
	assert_int_equal(admin_locked(s, "+621"), 1);
	assert_int_equal(admin_locked(s, "+622"), 0);
	/* Failures older than the window no longer count. */
	assert_int_equal(store_exec(s, "UPDATE admin_attempts SET at = at - "
	    "900"), 0);
	assert_int_equal(admin_locked(s, "+621"), 0);
	assert_int_equal(admin_failed(s, "+621"), 0);
	assert_int_equal(admin_forgive(s, "+621"), 0);
	assert_int_equal(q(s, "SELECT COUNT(*) FROM admin_attempts", NULL), 0);
}

static void
test_subscriptions(void **state)
{
	struct store	*s = *state;
	int64_t		 k;

	k = contact_ensure(s, "+621");
	assert_int_equal(price_set(s, "CABAI", "KEDIRI", 40000, "kg",
	    "2026-11-21", "test", NULL), 0);
	assert_int_equal(price_set(s, "BERAS", "PARE", 13000, "kg",
	    "2026-11-21", "test", NULL), 0);
	assert_int_equal(sub_add(s, k, 1, 0), 1);
	assert_int_equal(sub_add(s, k, 1, 0), 0);
	assert_int_equal(sub_add(s, k, 1, 1), 1);
	assert_int_equal(sub_add(s, k, 2, 2), 1);
	assert_int_equal(sub_remove(s, k, 1, 1), 1);
	assert_int_equal(sub_remove(s, k, 1, 1), 0);
	assert_int_equal(sub_remove(s, k, 0, 0), 2);
	assert_int_equal(q(s, "SELECT COUNT(*) FROM subscriptions", NULL), 0);
}

static void
test_ussd_menu_nodes(void **state)
{
	struct store		*s = *state;
	struct ussd_menu_node	 n = { .label = "Cuaca", .position = 50 };
	char			 why[96];
	int64_t			 id, child;

	id = ussd_menu_add(s, 0, &n, why, sizeof(why));
	assert_true(id > 0);
	assert_int_equal(q(s, "SELECT id FROM ussd_nodes WHERE label_id = ?",
	    "Cuaca"), id);
	assert_int_equal(ussd_menu_add(s, 0, &n, why, sizeof(why)),
	    USSD_MENU_TAKEN);
	assert_int_equal(ussd_menu_add(s, 100000, &n, why, sizeof(why)),
	    USSD_MENU_NO_PARENT);
	n.action = "fly";
	assert_int_equal(ussd_menu_add(s, id, &n, why, sizeof(why)),
	    USSD_MENU_INVALID);
	assert_non_null(strstr(why, "--action"));
	n.action = "price";
	n.body = "one\ntwo";
	assert_int_equal(ussd_menu_add(s, id, &n, why, sizeof(why)),
	    USSD_MENU_INVALID);
	n.body = NULL;
	child = ussd_menu_add(s, id, &n, why, sizeof(why));
	assert_true(child > id);
	assert_int_equal(q(s, "SELECT kind = 'action' FROM ussd_nodes WHERE "
	    "label_id = 'Cuaca' AND parent_id IS NOT NULL", NULL), 1);

	n = (struct ussd_menu_node){ .label = "Hujan", .is_static = 1 };
	assert_int_equal(ussd_menu_set(s, child, &n, why, sizeof(why)), 1);
	assert_int_equal(q(s, "SELECT kind = 'static' AND action = '' FROM "
	    "ussd_nodes WHERE label_id = ?", "Hujan"), 1);
	assert_int_equal(ussd_menu_set(s, 999999, &n, why, sizeof(why)), 0);
	n.label = "";
	assert_int_equal(ussd_menu_set(s, child, &n, why, sizeof(why)),
	    USSD_MENU_INVALID);
	/* Moving onto a taken position is refused, at the top too. */
	n = (struct ussd_menu_node){ .position = 50 };
	assert_int_equal(ussd_menu_set(s, 1, &n, why, sizeof(why)),
	    USSD_MENU_TAKEN);
	assert_int_equal(ussd_menu_delete(s, id), 1);
	assert_int_equal(q(s, "SELECT COUNT(*) FROM ussd_nodes WHERE label_id "
	    "= ?", "Hujan"), 0);
	assert_int_equal(ussd_menu_delete(s, id), 0);
}

static void
test_modems_table(void **state)
{
	struct store		*s = *state;
	struct wire_hello	 hi = { "Huawei", "E173", "123" };
	struct wire_health	 h = { 80, -1, 3, 30, "home", "Telkomsel" };
	struct modems_state	 m = { "gsm0", "ready", "", &hi, &h };

	assert_int_equal(modems_status(s, &m), 0);
	assert_int_equal(modems_received(s, "gsm0"), 0);
	assert_int_equal(modems_sent(s, "gsm0", 2, 0), 0);
	assert_int_equal(modems_sent(s, "gsm0", 3, 1), 0);
	assert_int_equal(q(s, "SELECT received * 10000 + sent * 100 + errors "
	    "FROM modems WHERE name = ?", "gsm0"), 10201);
	assert_int_equal(q(s, "SELECT battery IS NULL AND signal = 80 FROM "
	    "modems WHERE name = ?", "gsm0"), 1);
	assert_int_equal(modems_balance(s, "gsm0", "Sisa pulsa Rp5.000", 1,
	    5000), 0);
	assert_int_equal(modems_balance(s, "gsm0", "Maaf", 0, 0), 0);
	assert_int_equal(q(s, "SELECT balance_amount FROM modems WHERE name = "
	    "?", "gsm0"), 5000);
	assert_int_equal(modems_balance_alert_day(s, "gsm0", "2026-11-30"), 1);
	assert_int_equal(modems_balance_alert_day(s, "gsm0", "2026-11-30"), 0);
	assert_int_equal(modems_balance_alert_day(s, "gsm0", "2026-12-01"), 1);
}


/* An event can still be moved after its deadline passed, not given a past one. */
static void
test_event_update_keeps_past_deadline(void **state)
{
	struct store		*s = *state;
	struct event_spec	 n = { .code = "PAST", .title = "Lalu",
				       .deadline = "2020-01-01",
				       .place = "Aula baru", .quota = 5 };
	struct event_row	 e;
	char			 why[96];

	make_event(s, "PAST", 5, NULL, &e);
	assert_int_equal(event_update(s, &test_conf, &n, why, sizeof(why)),
	    -2);
	assert_string_equal(why, "--deadline: that day is past");
	assert_int_equal(store_exec(s, "UPDATE events SET deadline = "
	    "'2020-01-01' WHERE code = 'PAST'"), 0);
	assert_int_equal(event_update(s, &test_conf, &n, why, sizeof(why)), 1);
	assert_int_equal(event_find(s, "PAST", &e), 1);
	assert_string_equal(e.place, "Aula baru");
	n.deadline = "2020-01-02";
	assert_int_equal(event_update(s, &test_conf, &n, why, sizeof(why)),
	    -2);
}

static void
test_event_update_promotes(void **state)
{
	struct store		*s = *state;
	struct event_spec	 n = { .code = "RAISE", .title = "Baru",
				       .place = "Aula", .quota = 2 };
	struct event_row		 e;
	char			 why[96];
	int			 pos;

	make_event(s, "RAISE", 1, NULL, &e);
	assert_int_equal(event_register(s, &e, contact_ensure(s, "+621"), "A",
	    &pos), EVENT_CONFIRMED);
	assert_int_equal(event_register(s, &e, contact_ensure(s, "+622"), "B",
	    &pos), EVENT_WAITLISTED);
	assert_int_equal(event_update(s, &test_conf, &n, why, sizeof(why)), 1);
	assert_string_equal(reg_status(s, "+622"), "confirmed");
	assert_int_equal(q(s, "SELECT COUNT(*) FROM outbox WHERE recipient = "
	    "? AND text LIKE 'Ada tempat!%'", "+622"), 1);
	assert_int_equal(q(s, "SELECT quota FROM events WHERE code = ?",
	    "RAISE"), 2);
	n.quota = -1;
	assert_int_equal(event_update(s, &test_conf, &n, why, sizeof(why)),
	    -2);
	assert_non_null(strstr(why, "--quota"));
	n.quota = 3;
	n.code = "NOPE";
	assert_int_equal(event_update(s, &test_conf, &n, why, sizeof(why)), 0);
}

static void
test_text_set(void **state)
{
	struct store	*s = *state;
	char		 why[96], out[200];

	assert_int_equal(text_set(s, "help", "id", "Kirim HARGA {nama}", why,
	    sizeof(why)), -2);
	assert_non_null(strstr(why, "{nama}"));
	assert_int_equal(text_set(s, "help", "id", "", why, sizeof(why)), -2);
	assert_int_equal(text_set(s, "no.such.key", "id", "x", why,
	    sizeof(why)), 0);
	assert_int_equal(text_set(s, "help", "id", "Kirim HARGA CABAI.", why,
	    sizeof(why)), 1);
	text_render(s, "id", "help", NULL, out, sizeof(out));
	assert_string_equal(out, "Kirim HARGA CABAI.");
}

static void
test_broadcast_audience(void **state)
{
	struct store			*s = *state;
	struct broadcast_target		 t;
	struct outbox_audience_size	 a;
	struct contact_row		 k;
	char				 err[96];
	int				 i;
	const char			*names[] = { "Ani", "Bambang Sutrisno",
					    "Cici" };

	for (i = 0; i < 3; i++) {
		memset(&k, 0, sizeof(k));
		snprintf(k.phone, sizeof(k.phone), "+6281300000%d", i);
		snprintf(k.name, sizeof(k.name), "%s", names[i]);
		snprintf(k.village, sizeof(k.village), "%s", i ? "Desa" :
		    "Sumber Rejo");
		snprintf(k.groups, sizeof(k.groups), "TANI");
		k.opted_out = i == 1;
		assert_int_equal(contact_save(s, &k), 1);
	}
	assert_int_equal(broadcast_parse_target("group:TANI", &t, err,
	    sizeof(err)), 0);
	assert_int_equal(broadcast_audience(s, &t, &a), 0);
	assert_int_equal(a.reach, 2);
	assert_int_equal(a.opted_out, 1);
	assert_int_equal(a.name_max, 4);	/* "Cici"; Bambang opted out */
	assert_int_equal(a.village_max, 11);	/* "Sumber Rejo" */
	assert_int_equal(broadcast_parse_target("all", &t, err, sizeof(err)),
	    0);
	assert_int_equal(broadcast_audience(s, &t, &a), 0);
	assert_int_equal(a.reach, 2);
}

/* conf_each: the value of group.name, or "" (a static buffer). */
static void
setting(const char *group, const char *name, const char *value, void *arg)
{
	char key[96];

	snprintf(key, sizeof(key), "%s.%s", group, name);
	if (strcmp(key, ((char **)arg)[0]) == 0)
		snprintf(((char **)arg)[1], 64, "%s", value);
}

static void
test_conf_each_masks(void **state)
{
	struct conf	c;
	char		 value[64] = "", key[64] = "http.token";
	char		*arg[2] = { key, value };

	(void)state;
	memset(&c, 0, sizeof(c));
	c.http.enabled = 1;
	snprintf(c.http.token, sizeof(c.http.token), "secret-token-123456");
	snprintf(c.http.listen, sizeof(c.http.listen), "127.0.0.1:8080");
	c.cost_per_part = 150;
	conf_each(&c, setting, arg);
	assert_string_equal(value, "****");
	snprintf(key, sizeof(key), ".cost_per_part");
	conf_each(&c, setting, arg);
	assert_string_equal(value, "150");
}

/* csvin_parse's row callback: contact_csv_check each row into rows. */
struct csv_test {
	int			header, col[CSVIN_COLS_MAX], n;
	char			why[4][160];
	struct contact_row	row[4];
};

static int
csv_row(struct csvin_reader *r, void *arg)
{
	struct csv_test	*t = arg;
	char		 err[160];

	if (!t->header) {
		t->header = 1;
		return csvin_header(r, contact_csv_cols, CONTACT_CSV_N,
		    CONTACT_CSV_COLUMNS, t->col, err, sizeof(err));
	}
	if (t->n == 4)
		return -1;
	memset(&t->row[t->n], 0, sizeof(t->row[0]));
	if (csvin_row_ok(r, contact_csv_cols, CONTACT_CSV_N, t->col,
	    t->why[t->n], sizeof(t->why[0])) == 0)
		contact_csv_check(&t->row[t->n], r, t->col, "62", t->why[t->n],
		    sizeof(t->why[0]));
	t->row[t->n++].line = r->row_line;
	return 0;
}

static void
test_csvin_contacts(void **state)
{
	struct csv_test	 t;
	char		 buf[] = "\xef\xbb\xbfNomor;Nama;Bahasa;Berhenti\r\n"
			    "0812-3456-7890;\"Sari;\nAyu\";EN;ya\r\n"
			    "abc;Tono;;\r\n"
			    "081311112222;Ida;fr;\r\n", err[160];

	(void)state;
	memset(&t, 0, sizeof(t));
	assert_int_equal(csvin_parse(buf, strlen(buf), "t", csv_row, &t, err,
	    sizeof(err)), 0);
	assert_int_equal(t.n, 3);
	assert_string_equal(t.why[0], "");
	assert_string_equal(t.row[0].phone, "+6281234567890");
	assert_string_equal(t.row[0].name, "Sari; Ayu");
	assert_string_equal(t.row[0].language, "en");
	assert_int_equal(t.row[0].opted_out, 1);
	assert_int_equal(t.row[0].line, 2);
	assert_string_equal(t.why[1], "phone \"abc\" is not a phone number");
	assert_int_equal(t.row[1].line, 4);	/* after a quoted newline */
	assert_string_equal(t.why[2], "language \"fr\": id or en");
	memset(&t, 0, sizeof(t));
	snprintf(buf, sizeof(buf), "phone\n\"0812\n");
	assert_int_equal(csvin_parse(buf, strlen(buf), "t", csv_row, &t, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "2: a quoted field is not closed");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_event_create_checks,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_event_quota_and_waitlist_promotion, setup, teardown),
		cmocka_unit_test_setup_teardown(test_event_deadline, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_contact_remove_refused_while_registered, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_held_reports, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_admin_lockout, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_subscriptions, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_ussd_menu_nodes, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_event_update_promotes,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_event_update_keeps_past_deadline, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text_set, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_broadcast_audience, setup,
		    teardown),
		cmocka_unit_test(test_conf_each_masks),
		cmocka_unit_test(test_csvin_contacts),
		cmocka_unit_test_setup_teardown(test_modems_table, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
