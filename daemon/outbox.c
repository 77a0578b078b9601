/*
 * The outbox.
 *
 * DESIGN: every outgoing SMS is a row first (queued), is marked 'sending'
 * with the modem's name in a committed transaction before it is handed to
 * a worker, and becomes 'sent' (or is re-queued with a backoff, or
 * 'failed') when the worker reports.  A row found in 'sending' at start-up
 * was in a modem's hands when the daemon died: it is queued again, so the
 * only duplicate window is a crash between the modem accepting a message
 * and the commit of 'sent'.
 *
 * A modem takes up to its window of sends at once (1 for a GSM modem;
 * Kannel more): a dispatch claims as many rows as it has room for in one
 * transaction, and never two to one recipient at once, so a recipient's
 * messages still leave in order.  Results are written as they come; in
 * the daemon they come inside the transaction of one read of the
 * worker's socket (outbox_committed says how it ended), elsewhere each in
 * its own.  Until committed, a result stays in memory and its row
 * 'sending', which no dispatch picks.
 *
 * Dispatch is driven by events, not polling of the whole table: a new row
 * or an idle worker triggers outbox_kick(); a slow timer catches rows
 * another process (the CLI) queued and retries that came due.  Each claim
 * reads the head of one priority through the outbox_due index (replies,
 * then alerts, then broadcasts; broadcasts not during quiet hours).
 *
 * Pacing lives here too, per modem, in struct outbox_pace: a modem with a
 * send_rate is not given a message before 60/send_rate seconds have passed
 * since its last one, and a modem that sent daily_cap parts since local
 * midnight gets nothing more until the next one.  A modem held back arms
 * the pace timer for the moment it may send again.  A modem with prefixes
 * takes matching recipients first, and other modems leave those rows to
 * it while it is working (idle or sending); otherwise anyone may send.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "wire.h"
#include "conf.h"
#include "log.h"
#include "modems.h"
#include "outbox.h"
#include "store.h"

#define OUTBOX_SWEEP_SECS	2	/* look for rows queued by others */
#define OUTBOX_WINDOW		32	/* due rows looked at for prefixes */
#define OUTBOX_PACE_MAX		(CONF_MODEMS_MAX * 2)
#define OUTBOX_UNRECORDED_MAX	2048	/* results waiting for the database */
#define OUTBOX_INFLIGHT_MAX	(OUTBOX_PACE_MAX * CONF_WINDOW_MAX)
#define OUTBOX_BUSY_RETRY_MS	200	/* a claim the database refused, */
#define OUTBOX_BUSY_RETRY_MAX	3200	/* doubling while it stays busy */

/* A send's result the database has not taken yet. */
struct outbox_result {
	int64_t			id;
	int64_t			at;		/* when the worker reported */
	char			modem[CONF_NAME_MAX];
	int			have;		/* res is valid (not a dead worker) */
	int			late;		/* the database refused it once */
	int64_t			latency;	/* s queued to sent, -1: none */
	struct wire_sent	res;
};

const int outbox_latency_le[OUTBOX_LATENCY_BUCKETS] = { 1, 2, 5, 10, 30,
    60, 300, 900, 3600 };

/* A row handed to a modem, by recipient: one at a time to each. */
struct outbox_flight {
	int64_t			id;
	char			to[WIRE_NUMBER_MAX];
};

/* A row claimed for a modem, to hand it after the claims' commit. */
struct outbox_claimed {
	int64_t			id;
	char			to[WIRE_NUMBER_MAX];
	char			text[WIRE_SEND_TEXT_MAX];
};

struct outbox_pace {
	char	modem[CONF_NAME_MAX];
	int64_t	next_ms;	/* monotonic ms before which it must wait */
	time_t	day_start;	/* local midnight day_parts counts from */
	int	day_parts;	/* parts sent since day_start */
	int	idle;		/* room in the current dispatch */
	int	inflight;	/* messages of ours in its hands */
	int	capped;		/* at its daily cap (logged once) */
};

static struct {
	struct event_base	*base;
	struct store		*store;
	const struct conf	*conf;
	const struct outbox_modems *modems;	/* NULL: no sends (CLI, tests) */
	struct event		*ev_kick;
	struct event		*ev_sweep;
	struct event		*ev_pace;
	int			 paused;
	int			 busy_ms;	/* retry delay of a refused claim */
	int			 npace;
	struct outbox_pace	 pace[OUTBOX_PACE_MAX];
	int			 nunrecorded;
	int			 nwritten;	/* of those, in the open tx */
	struct outbox_result	 unrecorded[OUTBOX_UNRECORDED_MAX];
	int			 nflight;
	struct outbox_flight	 flight[OUTBOX_INFLIGHT_MAX];
	struct outbox_latency	 latency;	/* of sends committed */
} outbox;

static int	outbox_record_pending(void);

/* Tell whether a message to this recipient is in a modem's hands. */
static int
outbox_flying(const char *to)
{
	int i;

	for (i = 0; i < outbox.nflight; i++)
		if (strcmp(outbox.flight[i].to, to) == 0)
			return 1;
	return 0;
}

/* Note a claimed row as in flight to its recipient. */
static void
outbox_fly(int64_t id, const char *to)
{
	struct outbox_flight *f;

	if (outbox.nflight == OUTBOX_INFLIGHT_MAX)
		fatalx("outbox: more sends in flight than windows allow");
	f = &outbox.flight[outbox.nflight++];
	f->id = id;
	snprintf(f->to, sizeof(f->to), "%s", to);
}

/* Forget a row in flight (its result came, or it was never handed). */
static void
outbox_land(int64_t id)
{
	int i;

	for (i = 0; i < outbox.nflight; i++)
		if (outbox.flight[i].id == id) {
			outbox.flight[i] = outbox.flight[--outbox.nflight];
			return;
		}
}

/* Return a monotonic clock in milliseconds. */
static int64_t
outbox_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Return local midnight of the day of when, or of the next day. */
time_t
outbox_midnight(time_t when, int next)
{
	struct tm tm;

	localtime_r(&when, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_mday += next ? 1 : 0;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

/* Tell whether when falls in the configured quiet hours. */
int
outbox_quiet(const struct conf *conf, time_t when)
{
	struct tm	tm;
	int		m;

	if (conf == NULL || conf->quiet_from < 0)
		return 0;
	localtime_r(&when, &tm);
	m = tm.tm_hour * 60 + tm.tm_min;
	if (conf->quiet_from < conf->quiet_to)
		return m >= conf->quiet_from && m < conf->quiet_to;
	return m >= conf->quiet_from || m < conf->quiet_to;
}

/* Tell whether recipient starts with one of "+62811,+62812". */
int
outbox_prefix_match(const char *prefixes, const char *recipient)
{
	const char	*p = prefixes, *comma;
	size_t		 n;

	while (*p != '\0') {
		comma = strchr(p, ',');
		n = comma != NULL ? (size_t)(comma - p) : strlen(p);
		if (n > 0 && strncmp(recipient, p, n) == 0)
			return 1;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	return 0;
}

/* Find (or add) the pacing state of a modem. */
static struct outbox_pace *
outbox_pace_get(const char *modem)
{
	struct outbox_pace	*p;
	int			 i;

	for (i = 0; i < outbox.npace; i++)
		if (strcmp(outbox.pace[i].modem, modem) == 0)
			return &outbox.pace[i];
	if (outbox.npace == OUTBOX_PACE_MAX)
		fatalx("outbox: too many modems");
	p = &outbox.pace[outbox.npace++];
	memset(p, 0, sizeof(*p));
	snprintf(p->modem, sizeof(p->modem), "%s", modem);
	return p;
}

/* Return the parts a modem sent since local midnight (-1 on error). */
static int
outbox_parts_today(struct outbox_pace *p, time_t now)
{
	static const char sql[] = "SELECT COALESCE(SUM(parts), 0) FROM "
	    "outbox WHERE modem = ? AND sent_at >= ?";
	sqlite3_stmt	*st;
	time_t		 midnight = outbox_midnight(now, 0);

	if (p->day_start == midnight)
		return p->day_parts;
	if ((st = store_stmt(outbox.store, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, p->modem, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (int64_t)midnight);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return -1;
	}
	p->day_parts = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	p->day_start = midnight;
	p->capped = 0;
	return p->day_parts;
}

/* Tell whether another working modem prefers this recipient. */
static int
outbox_reserved(const char *modem, const char *recipient)
{
	const struct conf_modem	*cm;
	struct outbox_pace	*p;
	int			 i;

	for (i = 0; i < outbox.conf->nmodems; i++) {
		cm = &outbox.conf->modems[i];
		if (strcmp(cm->name, modem) == 0 || cm->prefixes[0] == '\0' ||
		    !outbox_prefix_match(cm->prefixes, recipient))
			continue;
		p = outbox_pace_get(cm->name);
		if ((p->idle || p->inflight) && !p->capped)
			return 1;
	}
	return 0;
}

/* Tell whether any configured modem routes by prefix. */
static int
outbox_any_prefixes(void)
{
	int i;

	if (outbox.conf == NULL)
		return 0;
	for (i = 0; i < outbox.conf->nmodems; i++)
		if (outbox.conf->modems[i].prefixes[0] != '\0')
			return 1;
	return 0;
}

/*
 * Pick the next due row for a modem in one priority: the head of the
 * queue, or with prefix routing the best of a bounded window of it; a
 * row whose recipient has a message in flight waits for that one.
 */
static int64_t
outbox_pick(const char *modem, int prio, int64_t now)
{
	static const char sql[] = "SELECT id, recipient FROM outbox WHERE "
	    "state = 'queued' AND priority = ? AND next_attempt_at <= ? "
	    "ORDER BY next_attempt_at, id LIMIT ?";
	const struct conf_modem	*cm = NULL;
	sqlite3_stmt		*st;
	const char		*to;
	int64_t			 id = 0, any = 0;
	int			 routing = outbox_any_prefixes();

	if (routing)
		cm = conf_modem_find(outbox.conf, modem);
	if ((st = store_stmt(outbox.store, sql)) == NULL)
		return -1;
	sqlite3_bind_int(st, 1, prio);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int(st, 3, routing || outbox.nflight > 0 ? OUTBOX_WINDOW :
	    1);
	while (id == 0 && sqlite3_step(st) == SQLITE_ROW) {
		to = (const char *)sqlite3_column_text(st, 1);
		if (to == NULL || outbox_flying(to))
			continue;
		if (!routing) {
			id = sqlite3_column_int64(st, 0);
			break;
		}
		if (cm != NULL && cm->prefixes[0] != '\0' &&
		    outbox_prefix_match(cm->prefixes, to))
			id = sqlite3_column_int64(st, 0);
		else if (any == 0 && !outbox_reserved(modem, to))
			any = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	return id != 0 ? id : any;
}

/* Mark one picked row 'sending' for a modem and read it into c. */
static int
outbox_claim_one(const char *modem, int64_t id, struct outbox_claimed *c)
{
	static const char sql_claim[] = "UPDATE outbox SET state = "
	    "'sending', modem = ?, attempts = attempts + 1 WHERE id = ? AND "
	    "state = 'queued'";
	static const char sql_row[] = "SELECT recipient, text FROM outbox "
	    "WHERE id = ?";
	struct store	*s = outbox.store;
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, sql_claim)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, modem, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE || (st = store_stmt(s, sql_row)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return -1;
	}
	c->id = id;
	store_copy_text(st, 0, c->to, sizeof(c->to));
	store_copy_text(st, 1, c->text, sizeof(c->text));
	sqlite3_reset(st);
	return 0;
}

/*
 * Claim up to n due rows for a modem, priorities up to maxprio, each to a
 * recipient with nothing in flight, and mark them 'sending' in one
 * committed transaction; return how many, or -1 (none claimed).
 */
static int
outbox_claim_batch(const char *modem, int maxprio, int n,
    struct outbox_claimed *out)
{
	struct store	*s = outbox.store;
	int64_t		 id = 0, now = store_now();
	int		 prio = OUTBOX_PRIO_REPLY, got = 0, i;

	if (store_begin(s) == -1)
		return -1;
	while (got < n && prio <= maxprio) {
		if ((id = outbox_pick(modem, prio, now)) == -1 ||
		    (id > 0 && outbox_claim_one(modem, id, &out[got]) == -1))
			goto fail;
		if (id == 0) {
			prio++;
			continue;
		}
		outbox_fly(id, out[got].to);
		got++;
	}
	if (got == 0) {
		store_rollback(s);
		return 0;
	}
	if (store_commit(s) == 0)
		return got;
fail:
	store_rollback(s);
	for (i = 0; i < got; i++)
		outbox_land(out[i].id);
	return -1;
}

/*
 * Claim the next due row for a modem, priorities up to maxprio, and mark
 * it 'sending' in a committed transaction; return its id, 0 if none, -1.
 */
int64_t
outbox_claim(const char *modem, int maxprio, char *to, size_t tolen,
    char *text, size_t textlen)
{
	static struct outbox_claimed c;
	int n;

	if ((n = outbox_claim_batch(modem, maxprio, 1, &c)) <= 0)
		return n;
	snprintf(to, tolen, "%s", c.to);
	snprintf(text, textlen, "%s", c.text);
	return c.id;
}

/* Queue a message (inside the caller's transaction); return its id. */
int64_t
outbox_enqueue(struct store *s, const char *recipient, const char *text,
    int priority, int64_t inbox_id, int64_t broadcast_id)
{
	static const char sql[] = "INSERT INTO outbox (recipient, text, "
	    "priority, inbox_id, broadcast_id, created_at) VALUES (?, ?, ?, "
	    "?, ?, ?)";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, recipient, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, priority);
	if (inbox_id > 0)
		sqlite3_bind_int64(st, 4, inbox_id);
	if (broadcast_id > 0)
		sqlite3_bind_int64(st, 5, broadcast_id);
	sqlite3_bind_int64(st, 6, store_now());
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return -1;
	outbox_kick();
	return sqlite3_last_insert_rowid(store_db(s));
}

/* Run an update bound to id (?1) and now (?2, if used); rows changed or -1. */
static int
outbox_update_one(struct store *s, const char *sql, int64_t id)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_bind_parameter_count(st) >= 2)
		sqlite3_bind_int64(st, 2, store_now());
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return -1;
	return sqlite3_changes(store_db(s));
}

/* Cancel a queued row; 1 if cancelled, 0 if it was not queued, -1. */
int
outbox_cancel(struct store *s, int64_t id)
{
	static const char sql[] = "UPDATE outbox SET state = 'cancelled', "
	    "last_error = 'cancelled' WHERE id = ?1 AND state = 'queued'";

	return outbox_update_one(s, sql, id);
}

/*
 * Who an audience is, before opt-outs: FROM and WHERE over contacts c,
 * with ?4 the group, commodity or event and ?5 ?6 registration states.
 */
#define OUTBOX_FROM_GROUP "FROM groups g JOIN group_members m ON " \
	"m.group_id = g.id JOIN contacts c ON c.id = m.contact_id WHERE " \
	"g.name = ?4"
#define OUTBOX_FROM_ALL "FROM contacts c WHERE 1"
#define OUTBOX_FROM_SUBS "FROM contacts c WHERE c.id IN (SELECT " \
	"s.contact_id FROM subscriptions s JOIN commodities k ON k.id = " \
	"s.commodity_id WHERE k.name = ?4)"
#define OUTBOX_FROM_EVENT "FROM contacts c WHERE c.id IN (SELECT " \
	"r.contact_id FROM registrations r JOIN events e ON e.id = " \
	"r.event_id WHERE e.code = ?4 AND r.status IN (?5, ?6))"

/*
 * The INSERT ... SELECT that queues an audience's rows, once per opted-in
 * contact: ?1 text, ?2 broadcast, ?3 now, ?7 ?8 the chunk of contact ids.
 * {nama} and {desa} in the text become the contact's name and village
 * (empty when unknown).
 */
static const char *
outbox_fill_sql(enum outbox_audience to)
{
#define OUTBOX_FILL "INSERT INTO outbox (recipient, text, priority, " \
	"broadcast_id, created_at) SELECT c.phone, replace(replace(?1, " \
	"'{nama}', c.name), '{desa}', c.village), 2, ?2, ?3 "
#define OUTBOX_CHUNK " AND c.opted_out = 0 AND c.id > ?7 AND c.id <= ?8"
	static const char sql_group[] = OUTBOX_FILL OUTBOX_FROM_GROUP
	    OUTBOX_CHUNK;
	static const char sql_all[] = OUTBOX_FILL OUTBOX_FROM_ALL OUTBOX_CHUNK;
	static const char sql_subs[] = OUTBOX_FILL OUTBOX_FROM_SUBS
	    OUTBOX_CHUNK;
	static const char sql_event[] = OUTBOX_FILL OUTBOX_FROM_EVENT
	    OUTBOX_CHUNK;
	static const char sql_numbers[] = "INSERT INTO outbox (recipient, "
	    "text, priority, broadcast_id, created_at) SELECT n.phone, "
	    "replace(replace(?1, '{nama}', COALESCE(c.name, '')), '{desa}', "
	    "COALESCE(c.village, '')), 2, ?2, ?3 FROM broadcast_numbers n "
	    "LEFT JOIN contacts c ON c.phone = n.phone WHERE n.broadcast_id = "
	    "?2 AND COALESCE(c.opted_out, 0) = 0";
#undef OUTBOX_FILL
#undef OUTBOX_CHUNK

	switch (to) {
	case OUTBOX_TO_GROUP:		return sql_group;
	case OUTBOX_TO_ALL:		return sql_all;
	case OUTBOX_TO_SUBSCRIBERS:	return sql_subs;
	case OUTBOX_TO_EVENT:		return sql_event;
	case OUTBOX_TO_NUMBERS:		return sql_numbers;
	default:
		fatalx("outbox: bad audience %d", (int)to);
	}
}

/* Bind who an audience is: ?4 its name, ?5 ?6 the registration states. */
static void
outbox_bind_audience(sqlite3_stmt *st, const struct outbox_fill *f)
{
	sqlite3_bind_text(st, 4, f->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, f->confirmed ? "confirmed" : "waitlisted", -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(st, 6, f->waitlisted ? "waitlisted" : "confirmed",
	    -1, SQLITE_STATIC);
}

/*
 * Size up a contacts audience as outbox_fill would queue it (f->to not
 * OUTBOX_TO_NUMBERS; the text and chunk are not used): how many it
 * reaches, how many opted out, and its longest name and village, which
 * {nama} and {desa} grow a text by.  0, or -1 on a database error.
 */
int
outbox_audience(struct store *s, const struct outbox_fill *f,
    struct outbox_audience_size *a)
{
#define OUTBOX_SIZE "SELECT count(*) FILTER (WHERE c.opted_out = 0), " \
	"count(*) FILTER (WHERE c.opted_out != 0), COALESCE(max(length(" \
	"c.name)) FILTER (WHERE c.opted_out = 0), 0), COALESCE(max(length(" \
	"c.village)) FILTER (WHERE c.opted_out = 0), 0) "
	static const char *const sql[] = {
		[OUTBOX_TO_GROUP] = OUTBOX_SIZE OUTBOX_FROM_GROUP,
		[OUTBOX_TO_ALL] = OUTBOX_SIZE OUTBOX_FROM_ALL,
		[OUTBOX_TO_SUBSCRIBERS] = OUTBOX_SIZE OUTBOX_FROM_SUBS,
		[OUTBOX_TO_EVENT] = OUTBOX_SIZE OUTBOX_FROM_EVENT,
	};
#undef OUTBOX_SIZE
	sqlite3_stmt	*st;
	int		 rc;

	memset(a, 0, sizeof(*a));
	if ((int)f->to < 0 || f->to >= OUTBOX_TO_NUMBERS)
		fatalx("outbox: bad audience %d", (int)f->to);
	if ((st = store_stmt(s, sql[f->to])) == NULL)
		return -1;
	outbox_bind_audience(st, f);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		a->reach = sqlite3_column_int(st, 0);
		a->opted_out = sqlite3_column_int(st, 1);
		a->name_max = sqlite3_column_int(st, 2);
		a->village_max = sqlite3_column_int(st, 3);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

/* Queue a broadcast's failed rows again, now; how many, or -1. */
int
outbox_retry_broadcast(struct store *s, int64_t broadcast)
{
	static const char sql[] = "UPDATE outbox SET state = 'queued', "
	    "attempts = 0, next_attempt_at = ?2, last_error = '' WHERE "
	    "broadcast_id = ?1 AND state = 'failed'";
	int n;

	if ((n = outbox_update_one(s, sql, broadcast)) > 0)
		outbox_kick();
	return n;
}

/*
 * Queue one chunk of a broadcast's audience (opted-out contacts never),
 * inside the caller's transaction; 0, or -1 on a database error.
 */
int
outbox_fill(struct store *s, const struct outbox_fill *f)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, outbox_fill_sql(f->to))) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, f->text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, f->broadcast);
	sqlite3_bind_int64(st, 3, store_now());
	outbox_bind_audience(st, f);
	sqlite3_bind_int64(st, 7, f->after);
	sqlite3_bind_int64(st, 8, f->upto);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Cancel a broadcast's queued rows (a modem finishes those it holds). */
int
outbox_cancel_broadcast(struct store *s, int64_t broadcast)
{
	static const char sql[] = "UPDATE outbox SET state = 'cancelled', "
	    "last_error = 'broadcast cancelled' WHERE broadcast_id = ?1 AND "
	    "state = 'queued'";

	return outbox_update_one(s, sql, broadcast);
}

/*
 * Settle the newest sent row with that modem, reference and recipient as
 * delivered, or as failed with why; 1 settled, 0 none matched, -1.
 */
int
outbox_report(struct store *s, const char *modem, int msg_ref,
    const char *recipient, int delivered, const char *why)
{
	/*
	 * By the recipient's index: a number has a few rows, a modem has
	 * them all, and the planner, left to itself, took the modem's
	 * (every report a scan of the whole broadcast).  The unary + keeps
	 * the other columns from offering it theirs.
	 */
	static const char sql[] = "UPDATE outbox SET state = ?1, "
	    "delivered_at = CASE WHEN ?1 = 'delivered' THEN ?2 END, "
	    "last_error = ?3 WHERE id = (SELECT id FROM outbox WHERE "
	    "recipient = ?6 AND +modem = ?4 AND +msg_ref = ?5 AND "
	    "+state = 'sent' ORDER BY id DESC LIMIT 1)";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, outbox_state_name(delivered ?
	    OUTBOX_DELIVERED : OUTBOX_FAILED), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, store_now());
	sqlite3_bind_text(st, 3, why, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, modem, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, msg_ref);
	sqlite3_bind_text(st, 6, recipient, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return -1;
	return sqlite3_changes(store_db(s)) > 0;
}

/* Queue a failed or cancelled row again, now, with fresh attempts. */
int
outbox_retry(struct store *s, int64_t id)
{
	static const char sql[] = "UPDATE outbox SET state = 'queued', "
	    "attempts = 0, next_attempt_at = ?2, last_error = '' WHERE id = ?1 "
	    "AND state IN ('failed', 'cancelled')";
	int n;

	if ((n = outbox_update_one(s, sql, id)) > 0)
		outbox_kick();
	return n;
}

/* Put rows a dead daemon left in 'sending' back in the queue. */
int
outbox_recover(struct store *s)
{
	static const char sql[] = "UPDATE outbox SET state = 'queued', "
	    "last_error = 'daemon stopped while sending' WHERE state = "
	    "'sending'";
	sqlite3_stmt	*st;
	int		 rc, n;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return -1;
	outbox.nflight = 0;	/* none is in a modem's hands any more */
	if ((n = sqlite3_changes(store_db(s))) > 0)
		log_info("outbox: %d message(s) were being sent when the "
		    "daemon stopped; queued again", n);
	return n;
}

/* Return a claimed row to the queue (the worker could not take it). */
static void
outbox_unclaim(int64_t id)
{
	static const char sql[] = "UPDATE outbox SET state = 'queued', "
	    "attempts = attempts - 1 WHERE id = ? AND state = 'sending'";
	sqlite3_stmt *st;

	if ((st = store_stmt(outbox.store, sql)) == NULL)
		return;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_step(st);
	sqlite3_reset(st);
	outbox_land(id);
}

/*
 * Tell whether a modem may be given a message now; if not, lower *wake
 * to the monotonic ms at which it may.
 */
static int
outbox_may_send(const struct conf_modem *cm, struct outbox_pace *p,
    time_t now, int64_t nowms, int64_t *wake)
{
	int64_t	at;
	int	parts;

	if (cm == NULL)
		return 1;
	if (cm->send_rate > 0 && nowms < p->next_ms) {
		if (*wake == 0 || p->next_ms < *wake)
			*wake = p->next_ms;
		return 0;
	}
	if (cm->daily_cap > 0) {
		if ((parts = outbox_parts_today(p, now)) < 0)
			return 0;
		if (parts >= cm->daily_cap) {
			if (!p->capped)
				log_info("modem %s: daily cap of %d parts "
				    "reached; no more sends until midnight",
				    cm->name, cm->daily_cap);
			p->capped = 1;
			at = nowms + ((int64_t)outbox_midnight(now, 1) -
			    now) * 1000;
			if (*wake == 0 || at < *wake)
				*wake = at;
			return 0;
		}
	}
	return 1;
}

/*
 * The parts of a long text a modem already sent, and their reference, so
 * a retry sends only the rest; none when another modem sent them.
 */
static void
outbox_resume(int64_t id, const char *modem, int *done, int *ref)
{
	static const char sql[] = "SELECT parts_done, concat_ref FROM outbox "
	    "WHERE id = ? AND parts_modem = ?";
	sqlite3_stmt *st;

	*done = 0;
	*ref = -1;
	if ((st = store_stmt(outbox.store, sql)) == NULL)
		return;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, modem, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		*done = sqlite3_column_int(st, 0);
		*ref = sqlite3_column_int(st, 1);
	}
	sqlite3_reset(st);
}

/*
 * How many sends a modem may be given now: its room, less what its
 * pacing holds back (send_rate: one per interval; daily_cap: counting
 * each message in flight as at least one part).
 */
static int
outbox_allowance(const struct conf_modem *cm, struct outbox_pace *p,
    int room)
{
	int parts;

	if (cm == NULL)
		return room;
	if (cm->send_rate > 0 && room > 1)
		room = 1;
	if (cm->daily_cap > 0 && (parts = p->day_parts + p->inflight) +
	    room > cm->daily_cap)
		room = cm->daily_cap > parts ? cm->daily_cap - parts : 0;
	return room;
}

/* Double the wait before the next claim while the database is busy. */
static void
outbox_busy(int64_t nowms, int64_t *wake)
{
	outbox.busy_ms = outbox.busy_ms == 0 ? OUTBOX_BUSY_RETRY_MS :
	    outbox.busy_ms * 2;
	if (outbox.busy_ms > OUTBOX_BUSY_RETRY_MAX)
		outbox.busy_ms = OUTBOX_BUSY_RETRY_MAX;
	if (*wake == 0 || *wake > nowms + outbox.busy_ms)
		*wake = nowms + outbox.busy_ms;
}

/*
 * Fill one modem's free slots: claim what it may take in one transaction,
 * then hand each row over; -1 when the database refused the claim.
 */
static int
outbox_fill_modem(struct worker *w, int maxprio, time_t now, int64_t nowms,
    int64_t *wake)
{
	static struct outbox_claimed	 c[CONF_WINDOW_MAX];
	const struct outbox_modems	*mo = outbox.modems;
	const struct conf_modem		*cm;
	struct outbox_pace		*p;
	int				 n, i, done, ref;

	cm = conf_modem_find(outbox.conf, mo->name(w));
	p = outbox_pace_get(mo->name(w));
	if (!outbox_may_send(cm, p, now, nowms, wake))
		return 0;
	n = outbox_allowance(cm, p, mo->room(w));
	if (n > CONF_WINDOW_MAX)
		n = CONF_WINDOW_MAX;
	if (n <= 0)
		return 0;
	if ((n = outbox_claim_batch(mo->name(w), maxprio, n, c)) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		log_debug("outbox %lld: to %s via %s", (long long)c[i].id,
		    c[i].to, mo->name(w));
		outbox_resume(c[i].id, mo->name(w), &done, &ref);
		if (mo->send(w, c[i].id, c[i].to, c[i].text, mo->reports(w),
		    done, ref) == -1) {
			outbox_unclaim(c[i].id);
			continue;
		}
		p->inflight++;
		if (cm != NULL && cm->send_rate > 0)
			p->next_ms = nowms + 60000 / cm->send_rate;
	}
	if (mo->room(w) <= 0)
		p->idle = 0;
	return 0;
}

/* Give every modem with room what its pacing allows. */
static void
outbox_dispatch(void)
{
	const struct outbox_modems	*mo = outbox.modems;
	struct worker			*w = NULL;
	struct timeval			 tv;
	time_t				 now = time(NULL);
	int64_t				 nowms = outbox_ms(), wake = 0;
	int				 i, maxprio;

	if (outbox.nunrecorded > 0 && outbox_record_pending() == -1) {
		outbox_busy(nowms, &wake);
		goto out;
	}
	if (outbox.paused || outbox.conf == NULL || mo == NULL)
		goto out;
	maxprio = outbox_quiet(outbox.conf, now) ? OUTBOX_PRIO_ALERT :
	    OUTBOX_PRIO_BROADCAST;
	for (i = 0; i < outbox.npace; i++)
		outbox.pace[i].idle = 0;
	while ((w = mo->next_idle(w)) != NULL)
		outbox_pace_get(mo->name(w))->idle = 1;
	while ((w = mo->next_idle(w)) != NULL) {
		if (outbox_fill_modem(w, maxprio, now, nowms, &wake) == -1) {
			/* The database is busy (the CLI writing): soon again,
			 * less often while it stays busy. */
			outbox_busy(nowms, &wake);
			break;
		}
		outbox.busy_ms = 0;
	}
out:
	if (wake != 0) {
		wake -= nowms;
		tv.tv_sec = (time_t)(wake / 1000);
		tv.tv_usec = (suseconds_t)(wake % 1000) * 1000;
		event_add(outbox.ev_pace, &tv);
	}
}

/* Event callback: dispatch now (kick, sweep and pace timers). */
static void
outbox_on_event(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	(void)arg;
	outbox_dispatch();
}

/* Ask for a dispatch on the next turn of the loop. */
void
outbox_kick(void)
{
	if (outbox.ev_kick != NULL)
		event_active(outbox.ev_kick, EV_TIMEOUT, 0);
}

/* Stop or resume handing messages to modems (during shutdown). */
void
outbox_pause(int paused)
{
	outbox.paused = paused;
	if (!paused)
		outbox_kick();
}

/*
 * Write a send's result on its row, with the modem's counters, in the
 * transaction in hand; -1 when the database would not take it.
 */
static int
outbox_record(struct outbox_result *r)
{
	static const char sql_ok[] = "UPDATE outbox SET state = 'sent', "
	    "sent_at = ?, msg_ref = ?, parts = ?, last_error = '' WHERE id = ? "
	    "RETURNING created_at";
	static const char sql_retry[] = "UPDATE outbox SET state = CASE WHEN "
	    "?2 OR (NOT ?8 AND attempts >= ?3) THEN 'failed' ELSE 'queued' "
	    "END, "
	    "last_error = ?4, next_attempt_at = ?5 + MIN(?6, ?7 << "
	    "MIN(MAX(attempts - 1, 0), 20)), "
	    "parts_done = CASE WHEN ?10 >= 0 THEN ?9 ELSE parts_done END, "
	    "concat_ref = CASE WHEN ?10 >= 0 THEN ?10 ELSE concat_ref END, "
	    "parts_modem = CASE WHEN ?10 >= 0 THEN ?11 ELSE parts_modem END "
	    "WHERE id = ?1 AND state = 'sending'";
	struct store		*s = outbox.store;
	const struct wire_sent	*res = r->have ? &r->res : NULL;
	sqlite3_stmt		*st;
	const char		*why;
	int			 rc;

	if (res != NULL && res->ok) {
		if ((st = store_stmt(s, sql_ok)) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, r->at);
		sqlite3_bind_int(st, 2, res->msg_ref);
		sqlite3_bind_int(st, 3, res->parts);
		sqlite3_bind_int64(st, 4, r->id);
	} else {
		why = res != NULL ? res->error : "modem worker stopped "
		    "during the send";
		if ((st = store_stmt(s, sql_retry)) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, r->id);
		sqlite3_bind_int(st, 2, res != NULL && res->permanent);
		sqlite3_bind_int(st, 3, outbox.conf != NULL ?
		    outbox.conf->send_attempts : 5);
		sqlite3_bind_text(st, 4, why, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 5, r->at);
		sqlite3_bind_int(st, 6, OUTBOX_RETRY_MAX);
		/*
		 * A dead worker or a vanished modem says nothing about the
		 * message: retry soon, on whichever modem is up.
		 */
		sqlite3_bind_int(st, 7, res == NULL || res->link ? 2 :
		    outbox.conf != NULL ? outbox.conf->retry_base : 30);
		/*
		 * ... nor is it a reason to give the message up.  It still
		 * counts as a try, so a message that takes the link down
		 * every time backs off to an hour instead of looping.
		 */
		sqlite3_bind_int(st, 8, res != NULL && res->link);
		/* The parts that did go out are not sent again. */
		sqlite3_bind_int(st, 9, res != NULL ? res->parts : 0);
		sqlite3_bind_int(st, 10, res != NULL ? res->concat_ref : -1);
		sqlite3_bind_text(st, 11, r->modem, -1, SQLITE_TRANSIENT);
	}
	r->latency = -1;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r->latency = r->at - sqlite3_column_int64(st, 0);
		if (r->latency < 0)
			r->latency = 0;
		rc = sqlite3_step(st);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE && modems_sent(s, r->modem, res != NULL ?
	    res->parts : 0, res == NULL || !res->ok) == 0)
		return 0;
	log_warnx("outbox %lld via %s: cannot record the result yet: %s",
	    (long long)r->id, r->modem, store_errmsg(s));
	return -1;
}

/* Mark the results waiting as refused once, to log when they get in. */
static void
outbox_late(void)
{
	int i;

	for (i = 0; i < outbox.nunrecorded; i++)
		outbox.unrecorded[i].late = 1;
}

/*
 * Write the results not yet written: into the transaction in hand (the
 * daemon's batch; outbox_committed settles them), or in one of their own.
 * Until committed, their rows stay 'sending', which no dispatch picks, so
 * nothing is sent twice while the daemon runs; only a crash before then
 * requeues them.  -1 when the database would not take them yet.
 */
static int
outbox_record_pending(void)
{
	struct store	*s = outbox.store;
	int		 own = !store_in_tx(s), i;

	if (outbox.nwritten == outbox.nunrecorded)
		return 0;
	if (own && store_begin(s) == -1) {
		log_warnx("outbox: cannot record the result yet (%d waiting): "
		    "%s", outbox.nunrecorded, store_errmsg(s));
		outbox_late();
		return -1;
	}
	/*
	 * nwritten moves with each write: after a refusal half-way, those
	 * before it stay in the daemon's transaction, not written twice
	 * (the modem counters would count them twice).
	 */
	for (i = outbox.nwritten; i < outbox.nunrecorded; i++) {
		if (outbox_record(&outbox.unrecorded[i]) == -1) {
			if (own) {
				store_rollback(s);
				outbox.nwritten = 0;
			}
			outbox_late();
			return -1;
		}
		outbox.nwritten = i + 1;
	}
	if (own)
		outbox_committed(store_commit(s) == 0);
	return own && outbox.nunrecorded > 0 ? -1 : 0;
}

/* Count a committed send in the latency histogram. */
static void
outbox_observe(int64_t seconds)
{
	int i;

	for (i = 0; i < OUTBOX_LATENCY_BUCKETS; i++)
		if (seconds <= outbox_latency_le[i])
			outbox.latency.le[i]++;
	outbox.latency.count++;
	outbox.latency.sum += (double)seconds;
}

/*
 * The send latencies committed since the daemon started: kept as the
 * results are written, because counting them from the table is a scan of
 * every row ever sent (a second of the loop's time at a million).
 */
const struct outbox_latency *
outbox_latency(void)
{
	return &outbox.latency;
}

/*
 * The transaction the results were written in ended: committed, they are
 * done; rolled back, they are written again next time.
 */
void
outbox_committed(int ok)
{
	int i, kept = 0;

	if (!ok) {
		outbox.nwritten = 0;
		outbox_late();
		return;
	}
	for (i = 0; i < outbox.nwritten; i++) {
		if (outbox.unrecorded[i].late)
			log_info("outbox %lld: result recorded late",
			    (long long)outbox.unrecorded[i].id);
		if (outbox.unrecorded[i].latency >= 0)
			outbox_observe(outbox.unrecorded[i].latency);
	}
	for (i = outbox.nwritten; i < outbox.nunrecorded; i++)
		outbox.unrecorded[kept++] = outbox.unrecorded[i];
	outbox.nunrecorded = kept;
	outbox.nwritten = 0;
}

/* A worker finished a send (res NULL: it died before saying how). */
void
outbox_sent(const char *modem, int64_t id, const struct wire_sent *res)
{
	struct outbox_pace	*p = outbox_pace_get(modem);
	struct outbox_result	*r;

	if (p->inflight > 0)
		p->inflight--;
	outbox_land(id);
	if (res != NULL && res->ok &&
	    p->day_start == outbox_midnight(time(NULL), 0))
		p->day_parts += res->parts;
	if (res == NULL || !res->ok)
		log_warnx("outbox %lld via %s: %s", (long long)id, modem,
		    res != NULL ? res->error : "modem worker stopped during "
		    "the send");
	if (outbox.nunrecorded == OUTBOX_UNRECORDED_MAX) {
		log_warnx("outbox %lld: result lost; the message will be sent "
		    "again after a restart", (long long)id);
		outbox_kick();
		return;
	}
	r = &outbox.unrecorded[outbox.nunrecorded++];
	memset(r, 0, sizeof(*r));
	r->id = id;
	r->at = store_now();
	snprintf(r->modem, sizeof(r->modem), "%s", modem);
	if ((r->have = res != NULL))
		r->res = *res;
	outbox_record_pending();
	outbox_kick();
}

/* Set up the outbox's events; conf must outlive the outbox. */
int
outbox_init(struct event_base *base, struct store *s, const struct conf *conf)
{
	struct timeval tv = { OUTBOX_SWEEP_SECS, 0 };

	memset(&outbox, 0, sizeof(outbox));
	outbox.base = base;
	outbox.store = s;
	outbox.conf = conf;
	if (base == NULL)
		return 0;	/* claims and results only (tests) */
	outbox.ev_kick = event_new(base, -1, 0, outbox_on_event, NULL);
	outbox.ev_sweep = event_new(base, -1, EV_PERSIST, outbox_on_event,
	    NULL);
	outbox.ev_pace = evtimer_new(base, outbox_on_event, NULL);
	if (outbox.ev_kick == NULL || outbox.ev_sweep == NULL ||
	    outbox.ev_pace == NULL)
		return -1;
	if (conf != NULL && conf->sweep_interval > 0)
		tv.tv_sec = conf->sweep_interval;
	event_add(outbox.ev_sweep, &tv);
	return 0;
}

/* Take the modems' functions (see struct outbox_modems). */
void
outbox_set_modems(const struct outbox_modems *mo)
{
	outbox.modems = mo;
}

/* The name a state has in the database. */
const char *
outbox_state_name(enum outbox_state st)
{
	switch (st) {
	case OUTBOX_QUEUED:	return "queued";
	case OUTBOX_SENDING:	return "sending";
	case OUTBOX_SENT:	return "sent";
	case OUTBOX_DELIVERED:	return "delivered";
	case OUTBOX_FAILED:	return "failed";
	case OUTBOX_CANCELLED:	return "cancelled";
	default:
		fatalx("outbox: unknown state %d", (int)st);
	}
}

/* Find the state of that name; 0, or -1 when there is none. */
int
outbox_state_parse(const char *name, enum outbox_state *st)
{
	int i;

	for (i = 0; i < OUTBOX_NSTATES; i++)
		if (strcmp(name, outbox_state_name((enum outbox_state)i)) == 0) {
			*st = (enum outbox_state)i;
			return 0;
		}
	return -1;
}

/* Release the outbox's events. */
void
outbox_free(void)
{
	if (outbox.ev_kick != NULL)
		event_free(outbox.ev_kick);
	if (outbox.ev_sweep != NULL)
		event_free(outbox.ev_sweep);
	if (outbox.ev_pace != NULL)
		event_free(outbox.ev_pace);
	memset(&outbox, 0, sizeof(outbox));
}

/* Record who typed a queued message (a console user), in the caller's tx. */
int
outbox_set_creator(struct store *s, int64_t id, const char *who)
{
	static const char sql[] = "UPDATE outbox SET created_by = ? WHERE "
	    "id = ?";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, who, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}
