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
 * Dispatch is driven by events, not polling of the whole table: a new row
 * or an idle worker triggers outbox_kick(); the next retry time arms one
 * timer; a slow timer catches rows another process (the CLI) queued.
 */
#include <stdio.h>
#include <string.h>

#include <event2/event.h>

#include "../modem/wire.h"
#include "log.h"
#include "outbox.h"
#include "store.h"
#include "worker.h"

#define OUTBOX_MAX_ATTEMPTS	5
#define OUTBOX_RETRY_BASE	30	/* seconds, doubled per attempt */
#define OUTBOX_RETRY_MAX	3600
#define OUTBOX_SWEEP_SECS	2	/* look for rows queued by others */

static struct {
	struct event_base	*base;
	struct store		*store;
	struct event		*ev_kick;
	struct event		*ev_sweep;
	int			 paused;
} outbox;

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
	if ((n = sqlite3_changes(store_db(s))) > 0)
		log_info("outbox: %d message(s) were being sent when the "
		    "daemon stopped; queued again", n);
	return n;
}

/* Claim the next due row for a modem; return its id, 0 if none, -1. */
static int64_t
outbox_claim(const char *modem, char *to, size_t tolen, char *text,
    size_t textlen)
{
	static const char sql_next[] = "SELECT id, recipient, text FROM "
	    "outbox WHERE state = 'queued' AND next_attempt_at <= ? "
	    "ORDER BY priority, next_attempt_at, id LIMIT 1";
	static const char sql_claim[] = "UPDATE outbox SET state = "
	    "'sending', modem = ?, attempts = attempts + 1 WHERE id = ?";
	struct store	*s = outbox.store;
	sqlite3_stmt	*st;
	int64_t		 id = 0;

	if (store_begin(s) == -1)
		return -1;
	if ((st = store_stmt(s, sql_next)) == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, store_now());
	if (sqlite3_step(st) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		store_copy_text(st, 1, to, tolen);
		store_copy_text(st, 2, text, textlen);
	}
	sqlite3_reset(st);
	if (id == 0) {
		store_rollback(s);
		return 0;
	}
	if ((st = store_stmt(s, sql_claim)) == NULL)
		goto fail;
	sqlite3_bind_text(st, 1, modem, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id);
	if (sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_reset(st);
		goto fail;
	}
	sqlite3_reset(st);
	if (store_commit(s) == -1)
		return -1;
	return id;
fail:
	store_rollback(s);
	return -1;
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
}

/* Give every idle modem its next message. */
static void
outbox_dispatch(void)
{
	static char	 text[WIRE_SEND_TEXT_MAX];
	struct worker	*w = NULL;
	char		 to[WIRE_NUMBER_MAX];
	int64_t		 id;

	if (outbox.paused)
		return;
	while ((w = worker_next_idle(w)) != NULL) {
		id = outbox_claim(worker_name(w), to, sizeof(to), text,
		    sizeof(text));
		if (id <= 0)
			return;
		log_debug("outbox %lld: to %s via %s", (long long)id, to,
		    worker_name(w));
		if (worker_send(w, id, to, text,
		    worker_delivery_reports(w)) == -1)
			outbox_unclaim(id);
	}
}

/* Event callback: dispatch now. */
static void
outbox_on_kick(evutil_socket_t fd, short ev, void *arg)
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

/* Record the worker's answer for a row (NULL: the worker died). */
void
outbox_sent(const char *modem, int64_t id, const struct wire_sent *res)
{
	static const char sql_ok[] = "UPDATE outbox SET state = 'sent', "
	    "sent_at = ?, msg_ref = ?, parts = ?, last_error = '' WHERE id = ?";
	static const char sql_retry[] = "UPDATE outbox SET state = CASE WHEN "
	    "?2 OR attempts >= ?3 THEN 'failed' ELSE 'queued' END, "
	    "last_error = ?4, next_attempt_at = ?5 + MIN(?6, ?7 << "
	    "MAX(attempts - 1, 0)) WHERE id = ?1 AND state = 'sending'";
	struct store	*s = outbox.store;
	sqlite3_stmt	*st;
	const char	*why;

	if (res != NULL && res->ok) {
		if ((st = store_stmt(s, sql_ok)) == NULL)
			return;
		sqlite3_bind_int64(st, 1, store_now());
		sqlite3_bind_int(st, 2, res->msg_ref);
		sqlite3_bind_int(st, 3, res->parts);
		sqlite3_bind_int64(st, 4, id);
	} else {
		why = res != NULL ? res->error : "modem worker stopped "
		    "during the send";
		log_warnx("outbox %lld via %s: %s", (long long)id, modem, why);
		if ((st = store_stmt(s, sql_retry)) == NULL)
			return;
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int(st, 2, res != NULL && res->permanent);
		sqlite3_bind_int(st, 3, OUTBOX_MAX_ATTEMPTS);
		sqlite3_bind_text(st, 4, why, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 5, store_now());
		sqlite3_bind_int(st, 6, OUTBOX_RETRY_MAX);
		/* A dead worker says nothing about the message: retry soon. */
		sqlite3_bind_int(st, 7, res == NULL ? 2 : OUTBOX_RETRY_BASE);
	}
	if (sqlite3_step(st) != SQLITE_DONE)
		log_warnx("outbox %lld: cannot record result: %s",
		    (long long)id, store_errmsg(s));
	sqlite3_reset(st);
	outbox_kick();
}

/* Slow timer: rows queued by the CLI, and retries that came due. */
static void
outbox_on_sweep(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	(void)arg;
	outbox_dispatch();
}

/* Set up the outbox's events. */
int
outbox_init(struct event_base *base, struct store *s)
{
	struct timeval tv = { OUTBOX_SWEEP_SECS, 0 };

	memset(&outbox, 0, sizeof(outbox));
	outbox.base = base;
	outbox.store = s;
	outbox.ev_kick = event_new(base, -1, 0, outbox_on_kick, NULL);
	outbox.ev_sweep = event_new(base, -1, EV_PERSIST, outbox_on_sweep,
	    NULL);
	if (outbox.ev_kick == NULL || outbox.ev_sweep == NULL)
		return -1;
	event_add(outbox.ev_sweep, &tv);
	return 0;
}

/* Release the outbox's events. */
void
outbox_free(void)
{
	if (outbox.ev_kick != NULL)
		event_free(outbox.ev_kick);
	if (outbox.ev_sweep != NULL)
		event_free(outbox.ev_sweep);
	memset(&outbox, 0, sizeof(outbox));
}
