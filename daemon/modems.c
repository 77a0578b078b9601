/*
 * The modems table, read by `kentongan modems`, `status` and /metrics.
 * This file alone writes it: the loop's counters (parts received and
 * sent, send errors), the state and health a worker reports, and the
 * SIM balance balance.c reads over USSD with its once-a-day low-balance
 * mark.  A modem's row is made the first time it is heard of.
 */
#include "modems.h"
#include "store.h"

/* Step a prepared statement once; 0, or -1 on error. */
static int
modems_step(sqlite3_stmt *st)
{
	int rc;

	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Count a message part a modem read. */
int
modems_received(struct store *s, const char *name)
{
	static const char sql[] = "UPDATE modems SET received = received + 1 "
	    "WHERE name = ?";
	sqlite3_stmt *st;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	return modems_step(st);
}

/* Count a finished send: its parts when it went, an error when not. */
int
modems_sent(struct store *s, const char *name, int parts, int failed)
{
	static const char sql[] = "UPDATE modems SET sent = sent + ?, "
	    "errors = errors + ? WHERE name = ?";
	sqlite3_stmt *st;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_int(st, 1, failed ? 0 : parts);
	sqlite3_bind_int(st, 2, failed != 0);
	sqlite3_bind_text(st, 3, name, -1, SQLITE_TRANSIENT);
	return modems_step(st);
}

/* Record a modem's state and health (unknown figures stay NULL). */
int
modems_status(struct store *s, const struct modems_state *m)
{
	static const char sql[] = "INSERT INTO modems (name, state, "
	    "manufacturer, model, imei, signal, battery, network, operator, "
	    "sim_used, sim_total, last_error, updated_at) VALUES (?1, ?2, ?3, "
	    "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) ON CONFLICT(name) DO "
	    "UPDATE SET state = ?2, manufacturer = ?3, model = ?4, imei = ?5, "
	    "signal = ?6, battery = ?7, network = ?8, operator = ?9, "
	    "sim_used = ?10, sim_total = ?11, last_error = ?12, "
	    "updated_at = ?13";
	const struct wire_health	*h = m->health;
	const struct wire_hello		*hi = m->hello;
	sqlite3_stmt			*st;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, m->name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, m->state, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, hi->manufacturer, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, hi->model, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, hi->imei, -1, SQLITE_TRANSIENT);
	if (h->signal_percent >= 0)
		sqlite3_bind_int(st, 6, h->signal_percent);
	if (h->battery_percent >= 0)
		sqlite3_bind_int(st, 7, h->battery_percent);
	sqlite3_bind_text(st, 8, h->network, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 9, h->operator_name, -1, SQLITE_TRANSIENT);
	if (h->sim_used >= 0) {
		sqlite3_bind_int(st, 10, h->sim_used);
		sqlite3_bind_int(st, 11, h->sim_total);
	}
	sqlite3_bind_text(st, 12, m->error, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 13, store_now());
	return modems_step(st);
}

/*
 * Keep a balance answer beside the modem, and the amount when the
 * answer matched (an unmatched answer keeps the last known amount).
 */
int
modems_balance(struct store *s, const char *name, const char *answer,
    int matched, int64_t amount)
{
	static const char sql[] = "INSERT INTO modems (name, balance, "
	    "balance_amount, balance_at, balance_checked_at) VALUES (?1, ?2, "
	    "CASE WHEN ?3 THEN ?4 END, CASE WHEN ?3 THEN ?5 END, ?5) ON "
	    "CONFLICT(name) DO UPDATE SET balance = ?2, balance_amount = "
	    "CASE WHEN ?3 THEN ?4 ELSE balance_amount END, balance_at = CASE "
	    "WHEN ?3 THEN ?5 ELSE balance_at END, balance_checked_at = ?5";
	sqlite3_stmt *st;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, answer, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 3, matched);
	sqlite3_bind_int64(st, 4, amount);
	sqlite3_bind_int64(st, 5, store_now());
	return modems_step(st);
}

/*
 * Mark that the admins were told of a low balance today: 1 when this is
 * the first time today (tell them), 0 when already told, -1 on error.
 */
int
modems_balance_alert_day(struct store *s, const char *name,
    const char *today)
{
	static const char sql[] = "UPDATE modems SET balance_alert_day "
	    "= ?2 WHERE name = ?1 AND balance_alert_day <> ?2";
	sqlite3_stmt *st;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, today, -1, SQLITE_TRANSIENT);
	if (modems_step(st) == -1)
		return -1;
	return sqlite3_changes(store_db(s)) > 0;
}
