/*
 * The console's prices: the latest price of each commodity in each
 * market with its change, a price set by hand, the field reports held
 * for a person (approve or reject in one click; subscribers are alerted
 * on approval, as by the CLI), a commodity's history for a chart, the
 * field reporters (added and taken away as `kentongan reporter` does),
 * and the prices as a spreadsheet, down and up (checked as `price import`
 * checks them).  Reads are SELECTs here or price.c's; writes go through
 * price.c, contact.c and alert.c, audited with the user's name.
 */
#include <stdio.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>

#include "alert.h"
#include "conf.h"
#include "console.h"
#include "contact.h"
#include "csvin.h"
#include "log.h"
#include "outbox.h"
#include "phone.h"
#include "price.h"
#include "store.h"
#include "user.h"

/* Add one latest price to a JSON array. */
static int
console_price_row(const struct price_row *r, void *arg)
{
	json_array_append_new(arg, json_pack("{s:s, s:s, s:I, s:s, s:s, s:I}",
	    "commodity", r->commodity, "market", r->market, "price",
	    (json_int_t)r->price, "unit", r->unit, "date", r->date,
	    "previous", (json_int_t)r->previous));
	return 0;
}

/* Every row of a SELECT as a JSON array, one object each; NULL on error. */
static json_t *
console_price_rows(const char *sql, json_t *(*row)(sqlite3_stmt *))
{
	sqlite3_stmt *st;

	if ((st = store_stmt(console_store(), sql)) == NULL)
		return NULL;
	return console_rows(st, row);
}

/* A held report: who sent it and the published price it was held against. */
static json_t *
console_price_held_row(sqlite3_stmt *st)
{
	return json_pack("{s:I, s:o, s:o, s:I, s:o, s:o, s:o, s:o, s:o}", "id",
	    (json_int_t)sqlite3_column_int64(st, 0), "commodity",
	    console_col(st, 1), "market", console_col(st, 2), "price",
	    (json_int_t)sqlite3_column_int64(st, 3), "unit", console_col(st, 4),
	    "date", console_col(st, 5), "phone", console_col(st, 6), "name",
	    console_col(st, 7), "published", console_col_int(st, 8));
}

/* The held field reports, oldest first. */
static json_t *
console_price_held(void)
{
	static const char sql[] = "SELECT p.id, c.name, m.name, p.price, "
	    "p.unit, p.reported_on, COALESCE(k.phone, ''), COALESCE(k.name, "
	    "''), (SELECT q.price FROM prices q WHERE q.commodity_id = "
	    "p.commodity_id AND q.market_id = p.market_id AND q.status = "
	    "'published' ORDER BY q.reported_on DESC, q.id DESC LIMIT 1) FROM "
	    "prices p JOIN commodities c ON c.id = p.commodity_id JOIN markets "
	    "m ON m.id = p.market_id LEFT JOIN contacts k ON k.id = "
	    "p.reporter_id WHERE p.status = 'pending' ORDER BY p.id LIMIT 100";

	return console_price_rows(sql, console_price_held_row);
}

/* A field reporter with how many prices they reported and when last. */
static json_t *
console_price_reporter_row(sqlite3_stmt *st)
{
	return json_pack("{s:o, s:o, s:o, s:i, s:o}", "phone",
	    console_col(st, 0), "name", console_col(st, 1), "village",
	    console_col(st, 2), "reports", sqlite3_column_int(st, 3), "last",
	    console_col(st, 4));
}

/* The field reporters (LAPOR), by name. */
static json_t *
console_price_reporters(void)
{
	static const char sql[] = "SELECT c.phone, c.name, c.village, "
	    "(SELECT count(*) FROM prices p WHERE p.reporter_id = c.id), "
	    "COALESCE((SELECT max(p.reported_on) FROM prices p WHERE "
	    "p.reporter_id = c.id), '') FROM contacts c WHERE c.is_reporter = "
	    "1 ORDER BY c.name = '', c.name, c.phone LIMIT 500";

	return console_price_rows(sql, console_price_reporter_row);
}

/* GET /console/api/prices: the latest prices, held reports, reporters. */
void
console_prices(struct evhttp_request *req, const struct user_session *u)
{
	json_t *a, *held = NULL, *rep = NULL;

	(void)u;
	a = json_array();
	if (price_each_latest(console_store(), console_price_row, a) < 0 ||
	    (held = console_price_held()) == NULL ||
	    (rep = console_price_reporters()) == NULL) {
		json_decref(a);
		json_decref(held);
		console_error(req, 500, "cannot read the prices");
		return;
	}
	console_json(req, 200, json_pack("{s:o, s:o, s:o}", "prices", a, "held",
	    held, "reporters", rep));
}

/*
 * GET /console/api/price/history?commodity=: its published prices in
 * every market, oldest first (the last 200), for a chart.
 */
void
console_price_history(struct evhttp_request *req,
    const struct user_session *u)
{
	static const char sql[] = "SELECT * FROM (SELECT p.reported_on, "
	    "m.name, p.price, p.id FROM prices p JOIN commodities c ON c.id = "
	    "p.commodity_id JOIN markets m ON m.id = p.market_id WHERE c.name "
	    "= ? AND p.status = 'published' ORDER BY p.reported_on DESC, p.id "
	    "DESC LIMIT 200) ORDER BY 1, 4";
	sqlite3_stmt	*st;
	json_t		*a;
	char		 name[PRICE_NAME_MAX];
	int		 rc;

	(void)u;
	if (console_arg(req, "commodity", name, sizeof(name)) == NULL) {
		console_error(req, 400, "expected ?commodity=");
		return;
	}
	if ((st = store_stmt(console_store(), sql)) == NULL) {
		console_error(req, 500, "cannot read the prices");
		return;
	}
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	a = json_array();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(a, json_pack("{s:o, s:o, s:I}", "date",
		    console_col(st, 0), "market", console_col(st, 1), "price",
		    (json_int_t)sqlite3_column_int64(st, 2)));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(a);
		console_error(req, 500, "cannot read the prices");
		return;
	}
	console_json(req, 200, json_pack("{s:s, s:o}", "commodity", name,
	    "history", a));
}

/* Tell whether s is a date written YYYY-MM-DD. */
static int
console_price_date_ok(const char *s)
{
	int y, m, d, n = 0;

	return sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) == 3 && n == 10 &&
	    s[n] == '\0' && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/*
 * POST /console/api/price/set {commodity, market, price, unit, date}:
 * record a price as `price set` does, with its checks and messages, and
 * alert the subscribers.
 */
void
console_price_set(struct evhttp_request *req, const struct user_session *u)
{
	const char	*com, *mkt, *raw, *unit, *date;
	char		 name[PRICE_NAME_MAX], today[16], msg[160];
	json_t		*doc;
	int64_t		 price, id;
	int		 n = 0;

	if ((doc = console_body(req)) == NULL)
		return;
	com = json_string_value(json_object_get(doc, "commodity"));
	mkt = json_string_value(json_object_get(doc, "market"));
	raw = json_string_value(json_object_get(doc, "price"));
	unit = json_string_value(json_object_get(doc, "unit"));
	date = json_string_value(json_object_get(doc, "date"));
	store_today(today, sizeof(today));
	if (date == NULL || date[0] == '\0')
		date = today;
	if (unit != NULL && unit[0] == '\0')
		unit = NULL;
	if (com == NULL || mkt == NULL || price_name_clean(com, name,
	    sizeof(name)) == -1 || price_name_clean(mkt, name,
	    sizeof(name)) == -1) {
		console_error(req, 400, "commodity and market: 1 to 4 words of "
		    "letters, digits, - and _, e.g. CABAI KEDIRI or \"BAWANG "
		    "MERAH\" \"PASAR LEGI\"");
		goto out;
	}
	if (raw == NULL || price_parse(raw, &price) == -1) {
		snprintf(msg, sizeof(msg), "\"%.32s\" is not a price (try "
		    "45000, 45.000 or 45rb)", raw != NULL ? raw : "");
		console_error(req, 400, msg);
		goto out;
	}
	if (unit != NULL && strlen(unit) >= PRICE_UNIT_MAX) {
		console_error(req, 400, "unit: 1 to 15 characters");
		goto out;
	}
	if (!console_price_date_ok(date)) {
		console_error(req, 400, "--date: expected YYYY-MM-DD");
		goto out;
	}
	if (console_begin(req) == -1)
		goto out;
	if (console_commit(req, price_set(console_store(), com, mkt, price,
	    unit, date, "console", &id) == -1 || store_audit(console_store(),
	    u->name, "console price set", com) == -1 || (n = alert_price(
	    console_store(), console_conf(), id)) < 0,
	    "cannot save the price") == -1)
		goto out;
	outbox_kick();
	log_info("console: %s set price %lld", u->name, (long long)id);
	console_json(req, 201, json_pack("{s:I, s:i}", "id", (json_int_t)id,
	    "alerts", n));
out:
	json_decref(doc);
}

/*
 * POST /console/api/price/review {id, approve}: publish a held report
 * (its subscribers are alerted) or reject it, as `price approve|reject`.
 */
void
console_price_review(struct evhttp_request *req,
    const struct user_session *u)
{
	json_t	*doc;
	char	 detail[32];
	int64_t	 id;
	int	 approve, rc, n = 0;

	if ((doc = console_body(req)) == NULL)
		return;
	id = json_integer_value(json_object_get(doc, "id"));
	approve = json_is_true(json_object_get(doc, "approve"));
	json_decref(doc);
	if (id <= 0) {
		console_error(req, 400, "expected {\"id\", \"approve\"}");
		return;
	}
	if (console_begin(req) == -1)
		return;
	if ((rc = price_review(console_store(), id, approve)) == 0) {
		store_rollback(console_store());
		snprintf(detail, sizeof(detail), "no held price %lld",
		    (long long)id);
		console_error(req, 404, detail);
		return;
	}
	snprintf(detail, sizeof(detail), "%lld", (long long)id);
	if (console_commit(req, rc < 0 || store_audit(console_store(),
	    u->name, approve ? "console price approve" :
	    "console price reject", detail) == -1 || (approve && (n =
	    alert_price(console_store(), console_conf(), id)) < 0),
	    "cannot review the price") == -1)
		return;
	outbox_kick();
	log_info("console: %s %s price %lld", u->name, approve ? "approved" :
	    "rejected", (long long)id);
	console_json(req, 200, json_pack("{s:s, s:i}", "state", approve ?
	    "published" : "rejected", "alerts", n));
}

/*
 * POST /console/api/reporter {phone, on}: let a number LAPOR prices (it
 * becomes a contact if new) or take that away, as `reporter add|remove`.
 */
void
console_reporter_set(struct evhttp_request *req,
    const struct user_session *u)
{
	const char	*raw;
	json_t		*doc;
	char		 phone[PHONE_MAX], msg[96];
	int		 on, rc;

	if ((doc = console_body(req)) == NULL)
		return;
	raw = json_string_value(json_object_get(doc, "phone"));
	on = json_is_true(json_object_get(doc, "on"));
	if (raw == NULL || strlen(raw) >= 32 || phone_normalize(raw,
	    console_conf()->country_code, phone, sizeof(phone)) !=
	    PHONE_NUMBER) {
		snprintf(msg, sizeof(msg), "\"%.32s\" is not a phone number",
		    raw != NULL ? raw : "");
		console_error(req, 400, msg);
		goto out;
	}
	if (console_begin(req) == -1)
		goto out;
	if ((rc = contact_set_reporter(console_store(), phone, on)) == 0) {
		store_rollback(console_store());
		snprintf(msg, sizeof(msg), "no contact %s", phone);
		console_error(req, 404, msg);
		goto out;
	}
	if (console_commit(req, rc < 0 || store_audit(console_store(), u->name,
	    on ? "console reporter add" : "console reporter remove", phone) ==
	    -1, "cannot save the reporter") == -1)
		goto out;
	log_info("console: %s %s reporter %s", u->name, on ? "added" :
	    "removed", phone);
	console_json(req, 200, json_pack("{s:s, s:b}", "phone", phone,
	    "reporter", on));
out:
	json_decref(doc);
}

/* Check one uploaded price row as `price import` does. */
static int
console_price_csv_check(void *row, struct csvin_reader *r, const int *col,
    char *why, size_t len)
{
	char today[16];

	store_today(today, sizeof(today));
	return price_csv_check(row, r, col, today, why, len);
}

/* A price row as the preview shows it. */
static json_t *
console_price_csv_show(const void *row)
{
	const struct price_csv_row *p = row;

	return json_pack("{s:i, s:s, s:s, s:I, s:s, s:s}", "line", p->line,
	    "commodity", p->commodity, "market", p->market, "price",
	    (json_int_t)p->price, "unit", p->unit, "date", p->date);
}

/* Store one price row (1), unless the same report is there (0). */
static int
console_price_csv_save(struct store *s, const void *row)
{
	return price_csv_save(s, row, "console");
}

static const struct console_csv_kind console_price_csv = {
	"price", "kentongan price import", "already there",
	"console price import", price_csv_cols, PRICE_CSV_N,
	PRICE_CSV_COLUMNS, sizeof(struct price_csv_row),
	console_price_csv_check, NULL, NULL, console_price_csv_show,
	console_price_csv_save
};

/*
 * POST /console/api/prices/import {csv, write, skip_bad}: a market survey
 * checked, shown, then stored (console_csv.c).  As `price import`, the
 * rows are published prices and nobody is alerted.
 */
void
console_prices_import(struct evhttp_request *req,
    const struct user_session *u)
{
	console_csv_import(req, u, &console_price_csv);
}

/* Write one latest price as a spreadsheet row. */
static int
console_price_csv_row(const struct price_row *r, void *arg)
{
	char		 price[24];
	const char	*cells[] = { r->commodity, r->market, price, r->unit,
			    r->date };

	snprintf(price, sizeof(price), "%lld", (long long)r->price);
	console_csv_row(arg, cells, 5, 1);
	return 0;
}

/*
 * GET /console/api/prices.csv: the latest prices as `price export
 * --excel` writes them (';', a byte order mark), which the upload and
 * `price import` read back.
 */
void
console_prices_csv(struct evhttp_request *req, const struct user_session *u)
{
	struct evbuffer *b;

	(void)u;
	b = console_csv_start(req, "commodity,market,price,unit,date", 1);
	if (price_each_latest(console_store(), console_price_csv_row, b) < 0) {
		evbuffer_drain(b, evbuffer_get_length(b));
		console_error(req, 500, "cannot read the prices");
		return;
	}
	console_csv_done(req, "kentongan-prices.csv");
}
