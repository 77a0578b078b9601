/*
 * Price alerts.  When a price is published (price set, LAPOR, price
 * approve), every subscriber of that commodity -- in that market or in
 * any market -- who has not opted out gets one text in the outbox, in
 * their language, at alert priority.  A back-dated report that is not the
 * latest price alerts nobody.  Runs inside the caller's transaction.
 */
#include <stdio.h>
#include <string.h>

#include "alert.h"
#include "conf.h"
#include "log.h"
#include "outbox.h"
#include "price.h"
#include "store.h"
#include "text.h"

/* Format a report date 2026-11-21 as 21/11. */
static void
alert_date(const char *date, char *buf, size_t len)
{
	if (strlen(date) == 10)
		snprintf(buf, len, "%.2s/%.2s", date + 8, date + 5);
	else
		snprintf(buf, len, "%s", date);
}

/* Queue an alert for each subscriber of a published price; the count. */
int
alert_price(struct store *s, const struct conf *conf, int64_t price_id)
{
	static const char sql_price[] = "SELECT commodity_id, market_id, "
	    "status FROM prices WHERE id = ?";
	static const char sql_subs[] = "SELECT DISTINCT c.phone, c.language "
	    "FROM subscriptions s JOIN contacts c ON c.id = s.contact_id "
	    "WHERE s.commodity_id = ? AND (s.market_id IS NULL OR "
	    "s.market_id = ?) AND c.opted_out = 0 ORDER BY c.id";
	sqlite3_stmt		*st;
	struct price_row	 r;
	char			 status[16] = "", phone[32], lang[4];
	char			 price[32], change[32], date[16], text[320];
	int64_t			 cid = 0, mid = 0;
	int			 rc, n = 0;

	if ((st = store_stmt(s, sql_price)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, price_id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		cid = sqlite3_column_int64(st, 0);
		mid = sqlite3_column_int64(st, 1);
		store_copy_text(st, 2, status, sizeof(status));
	}
	sqlite3_reset(st);
	if (strcmp(status, "published") != 0)
		return 0;
	if ((rc = price_latest(s, cid, mid, &r)) <= 0)
		return rc;
	if (r.id != price_id)
		return 0;
	price_format(r.price, price, sizeof(price));
	price_change(&r, change, sizeof(change));
	alert_date(r.date, date, sizeof(date));

	if ((st = store_stmt(s, sql_subs)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, cid);
	sqlite3_bind_int64(st, 2, mid);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_copy_text(st, 0, phone, sizeof(phone));
		store_copy_text(st, 1, lang, sizeof(lang));
		text_render(s, lang[0] ? lang : conf->language, "alert.price",
		    (const char *const[]){ "commodity", r.commodity_display,
		    "market", r.market_display, "date", date, "price", price,
		    "unit", r.unit, "change", change, NULL }, text,
		    sizeof(text));
		if (outbox_enqueue(s, phone, text, OUTBOX_PRIO_ALERT, 0,
		    0) < 0) {
			rc = SQLITE_ERROR;
			break;
		}
		n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		log_warnx("price alert %lld: %s", (long long)price_id,
		    store_errmsg(s));
		return -1;
	}
	if (n > 0)
		log_info("price %lld: %d alert(s) queued", (long long)price_id,
		    n);
	return n;
}
