/*
 * The console's dashboard and audit log: read-only SELECTs over the
 * modems, the queues and the audit table.  Warnings go to the page as
 * codes with their figures; the page words them in the reader's language.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/http.h>

#include "conf.h"
#include "console.h"
#include "outbox.h"
#include "store.h"
#include "user.h"

#define CONSOLE_DAYS		14
#define CONSOLE_AUDIT_MAX	500
#define CONSOLE_WEAK_SIGNAL	20	/* percent */
#define CONSOLE_STUCK_SECS	600	/* oldest queued message, a warning */
#define CONSOLE_FAILED_WARN	5	/* failures today, a warning */

/* Add a warning {code, ...} to the list. */
static void
console_warn(json_t *w, const char *code, const char *modem, int64_t n)
{
	json_array_append_new(w, json_pack("{s:s, s:s, s:I}", "code", code,
	    "modem", modem, "n", (json_int_t)n));
}

/* Each configured modem as the daemon last wrote it, with its warnings. */
static json_t *
console_dash_modems(json_t *warn)
{
	static const char sql[] = "SELECT state, signal, operator, balance, "
	    "balance_amount, received, sent, errors, last_error, updated_at "
	    "FROM modems WHERE name = ?";
	static const char *const cols[] = { "state", "signal", "operator",
	    "balance", "balance_amount", "received", "sent", "errors",
	    "last_error", "updated_at", NULL };
	static const char types[] = "sissiiiisi";
	const struct conf	*conf = console_conf();
	sqlite3_stmt		*st;
	json_t			*a = json_array(), *o, *v;
	int			 i, j;

	if ((st = store_stmt(console_store(), sql)) == NULL)
		return a;
	for (i = 0; i < conf->nmodems; i++) {
		o = json_pack("{s:s, s:s}", "name", conf->modems[i].name,
		    "state", "starting");
		sqlite3_bind_text(st, 1, conf->modems[i].name, -1,
		    SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			for (j = 0; cols[j] != NULL; j++)
				json_object_set_new(o, cols[j], types[j] ==
				    'i' ? console_col_int(st, j) :
				    console_col(st, j));
		sqlite3_reset(st);
		json_array_append_new(a, o);
		if (strcmp(json_string_value(json_object_get(o, "state")),
		    "up") != 0)
			console_warn(warn, "modem_down", conf->modems[i].name,
			    0);
		v = json_object_get(o, "signal");
		if (json_is_integer(v) && json_integer_value(v) >= 0 &&
		    json_integer_value(v) < CONSOLE_WEAK_SIGNAL)
			console_warn(warn, "weak_signal", conf->modems[i].name,
			    json_integer_value(v));
		v = json_object_get(o, "balance_amount");
		if (conf->modems[i].balance_low > 0 && json_is_integer(v) &&
		    json_integer_value(v) < conf->modems[i].balance_low)
			console_warn(warn, "low_balance", conf->modems[i].name,
			    json_integer_value(v));
	}
	return a;
}

/* One count with a time bound; -1 on an error. */
static int64_t
console_dash_count(const char *sql, int64_t since)
{
	sqlite3_stmt	*st;
	int64_t		 n = -1;

	if ((st = store_stmt(console_store(), sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, since);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return n;
}

/* Today's traffic since local midnight, and the queue, with warnings. */
static json_t *
console_dash_today(json_t *warn)
{
	static const char received[] = "SELECT count(*) FROM inbox WHERE "
	    "received_at >= ?";
	static const char answered[] = "SELECT count(*) FROM inbox WHERE "
	    "received_at >= ? AND +state = 'done'";	/* by inbox_received */
	static const char sent[] = "SELECT count(*) FROM outbox WHERE "
	    "sent_at >= ?";
	static const char delivered[] = "SELECT count(*) FROM outbox WHERE "
	    "delivered_at >= ?";
	static const char failed[] = "SELECT count(*) FROM outbox WHERE "
	    "created_at >= ? AND state = 'failed'";
	static const char queued[] = "SELECT count(*) FROM outbox WHERE "
	    "state IN ('queued', 'sending') AND ? >= 0";
	static const char oldest[] = "SELECT COALESCE(? - min(created_at), 0) "
	    "FROM outbox WHERE state = 'queued'";
	static const char running[] = "SELECT count(*) FROM broadcasts WHERE "
	    "state = 'queued' AND ? >= 0";
	int64_t	midnight = (int64_t)outbox_midnight(time(NULL), 0);
	int64_t	nfailed, age;

	nfailed = console_dash_count(failed, midnight);
	if (nfailed >= CONSOLE_FAILED_WARN)
		console_warn(warn, "failures", "", nfailed);
	age = console_dash_count(oldest, store_now());
	if (age >= CONSOLE_STUCK_SECS)
		console_warn(warn, "queue_stuck", "", age / 60);
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "received",
	    (json_int_t)console_dash_count(received, midnight), "answered",
	    (json_int_t)console_dash_count(answered, midnight), "sent",
	    (json_int_t)console_dash_count(sent, midnight), "delivered",
	    (json_int_t)console_dash_count(delivered, midnight), "failed",
	    (json_int_t)nfailed, "queued", (json_int_t)console_dash_count(
	    queued, 0), "broadcasts", (json_int_t)console_dash_count(running,
	    0));
}

/*
 * Messages in and out per local day of the last CONSOLE_DAYS days.  The
 * days before today do not change: they are counted once a day and kept;
 * a dashboard then counts only today's messages.  Days are 86400 s from
 * local midnight (Indonesia keeps no summer time).
 */
static struct {
	int64_t	midnight;		/* today's, when the days were counted */
	int	in[CONSOLE_DAYS];
	int	out[CONSOLE_DAYS];
} console_days;

/* Count one table's messages per day from "from" on into days[]. */
static void
console_dash_per_day(const char *sql, int64_t first, int64_t from, int *days)
{
	sqlite3_stmt	*st;
	int64_t		 d;

	if ((st = store_stmt(console_store(), sql)) == NULL)
		return;
	sqlite3_bind_int64(st, 1, first);
	sqlite3_bind_int64(st, 2, from);
	while (sqlite3_step(st) == SQLITE_ROW)
		if ((d = sqlite3_column_int64(st, 0)) >= 0 && d < CONSOLE_DAYS)
			days[d] = sqlite3_column_int(st, 1);
	sqlite3_reset(st);
}

/* The days as JSON: [{day: "YYYY-MM-DD", in, out}], oldest first. */
static json_t *
console_dash_days(void)
{
	static const char in[] = "SELECT (received_at - ?1) / 86400, "
	    "count(*) FROM inbox WHERE received_at >= ?2 GROUP BY 1";
	static const char out[] = "SELECT (sent_at - ?1) / 86400, count(*) "
	    "FROM outbox WHERE sent_at >= ?2 GROUP BY 1";
	time_t		 now = time(NULL), t;
	int64_t		 midnight = (int64_t)outbox_midnight(now, 0), first;
	json_t		*a = json_array();
	struct tm	 tm;
	char		 day[16];
	int		 i;

	first = (int64_t)outbox_midnight(now - (CONSOLE_DAYS - 1) * 86400, 0);
	if (console_days.midnight != midnight) {
		memset(&console_days, 0, sizeof(console_days));
		console_dash_per_day(in, first, first, console_days.in);
		console_dash_per_day(out, first, first, console_days.out);
		console_days.midnight = midnight;
	} else {
		console_days.in[CONSOLE_DAYS - 1] = 0;
		console_days.out[CONSOLE_DAYS - 1] = 0;
		console_dash_per_day(in, first, midnight, console_days.in);
		console_dash_per_day(out, first, midnight, console_days.out);
	}
	for (i = 0; i < CONSOLE_DAYS; i++) {
		t = (time_t)(first + (int64_t)i * 86400 + 43200);
		localtime_r(&t, &tm);
		strftime(day, sizeof(day), "%Y-%m-%d", &tm);
		json_array_append_new(a, json_pack("{s:s, s:i, s:i}", "day", day,
		    "in", console_days.in[i], "out", console_days.out[i]));
	}
	return a;
}

/* GET /console/api/dashboard */
void
console_dashboard(struct evhttp_request *req, const struct user_session *u)
{
	json_t	*warn = json_array(), *modems, *today;
	char	 day[16];
	int	 needs = console_needs_count();

	(void)u;
	store_today(day, sizeof(day));
	modems = console_dash_modems(warn);
	today = console_dash_today(warn);
	if (needs > 0)
		console_warn(warn, "needs", "", needs);
	console_json(req, 200, json_pack("{s:o, s:o, s:o, s:o, s:s, s:i, "
	    "s:i}", "modems", modems, "today", today, "days",
	    console_dash_days(), "warnings", warn, "date", day, "needs", needs,
	    "ndays", CONSOLE_DAYS));
}

/* The newest audit rows, for the page and the CSV. */
static sqlite3_stmt *
console_audit_rows(void)
{
	static const char sql[] = "SELECT id, datetime(at, 'unixepoch', "
	    "'localtime'), actor, action, detail FROM audit ORDER BY id DESC "
	    "LIMIT ?";
	sqlite3_stmt *st;

	if ((st = store_stmt(console_store(), sql)) != NULL)
		sqlite3_bind_int(st, 1, CONSOLE_AUDIT_MAX);
	return st;
}

/* GET /console/api/audit: who changed what, and when (admins). */
void
console_audit(struct evhttp_request *req, const struct user_session *u)
{
	sqlite3_stmt	*st;
	json_t		*a;

	(void)u;
	if ((st = console_audit_rows()) == NULL) {
		console_error(req, 500, "cannot read the audit log");
		return;
	}
	a = json_array();
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(a, json_pack("{s:I, s:o, s:o, s:o, s:o}",
		    "id", (json_int_t)sqlite3_column_int64(st, 0), "at",
		    console_col(st, 1), "actor", console_col(st, 2),
		    "action", console_col(st, 3), "detail",
		    console_col(st, 4)));
	sqlite3_reset(st);
	console_json(req, 200, json_pack("{s:o}", "audit", a));
}

/* GET /console/api/audit.csv: the audit log as a spreadsheet reads it. */
void
console_audit_csv(struct evhttp_request *req, const struct user_session *u)
{
	sqlite3_stmt *st;

	(void)u;
	if ((st = console_audit_rows()) == NULL) {
		console_error(req, 500, "cannot read the audit log");
		return;
	}
	console_csv_send(req, st, "id,at,actor,action,detail", 5,
	    "kentongan-audit.csv");
}
