/*
 * Subscriptions to price alerts.  This file alone writes subscriptions:
 * one row per contact, commodity and market (market 0 stands for every
 * market), never twice.  alert.c reads them when a price is published;
 * a contact's subscriptions go with the contact.  Every function runs
 * inside the caller's transaction.
 */
#include "store.h"
#include "sub.h"

/* Bind contact, commodity and market (0: NULL, every market) to st. */
static void
sub_bind(sqlite3_stmt *st, int64_t contact, int64_t commodity,
    int64_t market)
{
	sqlite3_bind_int64(st, 1, contact);
	sqlite3_bind_int64(st, 2, commodity);
	if (market > 0)
		sqlite3_bind_int64(st, 3, market);
}

/*
 * Subscribe a contact to a commodity in a market (0: every market).
 * Return 1 when added, 0 when it was subscribed already, -1 on error.
 */
int
sub_add(struct store *s, int64_t contact, int64_t commodity, int64_t market)
{
	static const char sql_has[] = "SELECT 1 FROM subscriptions WHERE "
	    "contact_id = ? AND commodity_id = ? AND market_id IS ?";
	static const char sql_add[] = "INSERT INTO subscriptions (contact_id, "
	    "commodity_id, market_id, created_at) VALUES (?, ?, ?, ?)";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, sql_has)) == NULL)
		return -1;
	sub_bind(st, contact, commodity, market);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return rc == SQLITE_ROW ? 0 : -1;
	if ((st = store_stmt(s, sql_add)) == NULL)
		return -1;
	sub_bind(st, contact, commodity, market);
	sqlite3_bind_int64(st, 4, store_now());
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 1 : -1;
}

/*
 * Drop a contact's subscriptions: all of them (commodity 0), a
 * commodity's in every market (market 0), or one.  Return how many.
 */
int
sub_remove(struct store *s, int64_t contact, int64_t commodity,
    int64_t market)
{
	static const char sql_all[] = "DELETE FROM subscriptions WHERE "
	    "contact_id = ?";
	static const char sql_one[] = "DELETE FROM subscriptions WHERE "
	    "contact_id = ?1 AND commodity_id = ?2 AND (?3 = 0 OR "
	    "market_id = ?3)";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, commodity == 0 ? sql_all : sql_one)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, contact);
	if (commodity != 0) {
		sqlite3_bind_int64(st, 2, commodity);
		sqlite3_bind_int64(st, 3, market);
	}
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? sqlite3_changes(store_db(s)) : -1;
}
