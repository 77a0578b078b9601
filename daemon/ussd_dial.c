/*
 * Modem USSD requests: `kentongan ussd dial MODEM CODE` queues a row in
 * ussd_requests; this hands it to the modem's worker and writes the
 * network's answer back, where the CLI is waiting for it.
 *
 * DESIGN: this file alone writes ussd_requests.  The CLI queues a row
 * (ussd_dial_queue), then tells the daemon over the control socket
 * ("ussd ID", ctl.c), which starts it at once and answers the CLI when
 * the row is finished; a one-second timer remains the fallback for a
 * request nobody told us about.  A row goes queued -> running when its
 * worker takes it,
 * then done or failed with the reply or the reason.  A modem that is not
 * up keeps the row queued for USSD_DIAL_QUEUE_MAX seconds; a worker that
 * dies mid-request leaves a running row that the timer fails once it is
 * overdue.  Nothing here waits: the worker does the waiting.  One
 * request at a time per modem: a modem with a running request gets the
 * next only after its answer, so a CLI dial and a balance check
 * (balance.c, source 'balance') never meet on the modem.
 */
#include <stdio.h>
#include <string.h>

#include <event2/event.h>

#include "wire.h"
#include "conf.h"
#include "log.h"
#include "store.h"
#include "ussd_dial.h"

#define USSD_DIAL_TICK		1	/* seconds between looks */
#define USSD_DIAL_BATCH		8	/* requests started per look */

static struct {
	struct store		*store;
	const struct conf	*conf;
	struct event		*ev_tick;
	struct event		*ev_kick;
	struct ussd_dial_hooks	 hooks;
} ussd_dial;

/*
 * Queue a request for modem (inside or outside a transaction); source is
 * "cli" or "balance".  Return its id, or -1.
 */
int64_t
ussd_dial_queue(struct store *s, const char *modem, const char *code,
    const char *source)
{
	static const char sql[] = "INSERT INTO ussd_requests (modem, code, "
	    "source, created_at) VALUES (?, ?, ?, ?)";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, modem, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, source, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, store_now());
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? sqlite3_last_insert_rowid(store_db(s)) : -1;
}

/* Keep the amount read from a balance answer on its request. */
int
ussd_dial_set_amount(struct store *s, int64_t id, int64_t amount)
{
	static const char sql[] = "UPDATE ussd_requests SET amount = ? "
	    "WHERE id = ?";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, amount);
	sqlite3_bind_int64(st, 2, id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * Give up on a request no daemon took (the CLI, when nobody answers);
 * 1 when it was still queued, 0 when the daemon has it, -1 on error.
 */
int
ussd_dial_abandon(struct store *s, int64_t id, const char *why)
{
	static const char sql[] = "UPDATE ussd_requests SET state = 'failed', "
	    "error = ?, done_at = ? WHERE id = ? AND state = 'queued'";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, why, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, store_now());
	sqlite3_bind_int64(st, 3, id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return -1;
	return sqlite3_changes(store_db(s)) > 0;
}

/* Tell whether request id is finished: 1 yes, 0 not yet, -1 no such. */
int
ussd_dial_finished(struct store *s, int64_t id)
{
	static const char sql[] = "SELECT state IN ('done', 'failed') FROM "
	    "ussd_requests WHERE id = ?";
	sqlite3_stmt	*st;
	int		 rc = -1;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		rc = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return rc;
}

/* Finish a request with its outcome, if it is still open. */
static void
ussd_dial_finish(int64_t id, int ok, const char *reply, const char *error)
{
	static const char sql[] = "UPDATE ussd_requests SET state = ?2, "
	    "reply = ?3, error = ?4, done_at = ?5 WHERE id = ?1 AND state IN "
	    "('queued', 'running')";
	sqlite3_stmt *st;

	if ((st = store_stmt(ussd_dial.store, sql)) == NULL)
		return;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, ok ? "done" : "failed", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, reply, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, error, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, store_now());
	if (sqlite3_step(st) != SQLITE_DONE)
		log_warnx("ussd request %lld: %s", (long long)id,
		    store_errmsg(ussd_dial.store));
	sqlite3_reset(st);
	if (ussd_dial.hooks.done != NULL)
		ussd_dial.hooks.done(id);
}

/* Mark a request as taken by its worker. */
static void
ussd_dial_running(int64_t id)
{
	static const char sql[] = "UPDATE ussd_requests SET state = "
	    "'running', done_at = ? WHERE id = ? AND state = 'queued'";
	sqlite3_stmt *st;

	if ((st = store_stmt(ussd_dial.store, sql)) == NULL)
		return;
	/* done_at holds when it started running until it is done. */
	sqlite3_bind_int64(st, 1, store_now());
	sqlite3_bind_int64(st, 2, id);
	if (sqlite3_step(st) != SQLITE_DONE)
		log_warnx("ussd request %lld: %s", (long long)id,
		    store_errmsg(ussd_dial.store));
	sqlite3_reset(st);
}

/* Fail running requests whose worker never answered. */
static void
ussd_dial_overdue(void)
{
	static const char sql[] = "UPDATE ussd_requests SET state = "
	    "'failed', error = 'the modem did not answer', done_at = ?1 "
	    "WHERE state = 'running' AND done_at < ?2";
	sqlite3_stmt *st;

	if ((st = store_stmt(ussd_dial.store, sql)) == NULL)
		return;
	sqlite3_bind_int64(st, 1, store_now());
	sqlite3_bind_int64(st, 2, store_now() - USSD_DIAL_TIMEOUT - 15);
	if (sqlite3_step(st) != SQLITE_DONE)
		log_warnx("ussd requests: %s", store_errmsg(ussd_dial.store));
	sqlite3_reset(st);
}

/* Decide about one queued request: hand it over, fail it, or keep it. */
static void
ussd_dial_start(int64_t id, const char *modem, const char *code,
    int64_t created)
{
	if (conf_modem_find(ussd_dial.conf, modem) == NULL) {
		ussd_dial_finish(id, 0, "", "no such modem in the "
		    "configuration");
		return;
	}
	if (ussd_dial.hooks.start(modem, id, code, USSD_DIAL_TIMEOUT) == 0) {
		log_info("modem %s: dialling USSD %s", modem, code);
		ussd_dial_running(id);
		return;
	}
	if (store_now() - created > USSD_DIAL_QUEUE_MAX)
		ussd_dial_finish(id, 0, "", "the modem is not up");
}

/* Timer or kick: start queued requests, fail overdue ones. */
static void
ussd_dial_on_tick(evutil_socket_t fd, short ev, void *arg)
{
	static const char sql[] = "SELECT id, modem, code, created_at FROM "
	    "ussd_requests q WHERE state = 'queued' AND NOT EXISTS (SELECT 1 "
	    "FROM ussd_requests r WHERE r.state = 'running' AND r.modem = "
	    "q.modem) ORDER BY id LIMIT ?";
	struct {
		int64_t	id, created;
		char	modem[CONF_NAME_MAX], code[WIRE_USSD_CODE_MAX];
	}		 q[USSD_DIAL_BATCH];
	sqlite3_stmt	*st;
	int		 n = 0, i, j;

	(void)fd;
	(void)ev;
	(void)arg;
	if (store_in_tx(ussd_dial.store))
		return;
	ussd_dial_overdue();
	if ((st = store_stmt(ussd_dial.store, sql)) == NULL)
		return;
	sqlite3_bind_int(st, 1, USSD_DIAL_BATCH);
	while (n < USSD_DIAL_BATCH && sqlite3_step(st) == SQLITE_ROW) {
		q[n].id = sqlite3_column_int64(st, 0);
		store_copy_text(st, 1, q[n].modem, sizeof(q[n].modem));
		store_copy_text(st, 2, q[n].code, sizeof(q[n].code));
		q[n].created = sqlite3_column_int64(st, 3);
		n++;
	}
	sqlite3_reset(st);
	for (i = 0; i < n; i++) {
		for (j = 0; j < i; j++)
			if (strcmp(q[j].modem, q[i].modem) == 0)
				break;
		if (j == i)	/* the first for its modem this time */
			ussd_dial_start(q[i].id, q[i].modem, q[i].code,
			    q[i].created);
	}
}

/* Tell whether a request is a balance check. */
static int
ussd_dial_is_balance(int64_t id)
{
	static const char sql[] = "SELECT source = 'balance' FROM "
	    "ussd_requests WHERE id = ?";
	sqlite3_stmt	*st;
	int		 yes = 0;

	if ((st = store_stmt(ussd_dial.store, sql)) == NULL)
		return 0;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		yes = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return yes;
}

/* Worker hook: the answer to a request. */
void
ussd_dial_reply(void *arg, const char *modem, const struct wire_ussd_reply *r)
{
	int tx = 0;

	(void)arg;
	if (r->ok)
		log_info("modem %s: USSD answer: %s", modem, r->text);
	else
		log_warnx("modem %s: USSD failed: %s", modem, r->error);
	if (r->ok && ussd_dial.hooks.on_balance != NULL &&
	    ussd_dial_is_balance(r->id)) {
		/* The amount is stored before the CLI can see "done". */
		tx = store_begin(ussd_dial.store) == 0;
		if (ussd_dial.hooks.on_balance(ussd_dial.store, ussd_dial.conf,
		    modem, r->id, r->text) == -1 && tx) {
			store_rollback(ussd_dial.store);
			tx = 0;
		}
	}
	ussd_dial_finish(r->id, r->ok, r->text, r->error);
	if (tx && store_commit(ussd_dial.store) == -1)
		log_warnx("modem %s: USSD answer not stored: %s", modem,
		    store_errmsg(ussd_dial.store));
}

/* Look for queued requests on the next turn of the loop (a poke). */
void
ussd_dial_kick(void)
{
	if (ussd_dial.ev_kick != NULL)
		event_active(ussd_dial.ev_kick, EV_TIMEOUT, 0);
}

/* Start looking for requests; the hooks reach the modem workers. */
int
ussd_dial_init(struct event_base *base, struct store *s,
    const struct conf *conf, const struct ussd_dial_hooks *hooks)
{
	struct timeval tv = { USSD_DIAL_TICK, 0 };

	ussd_dial.store = s;
	ussd_dial.conf = conf;
	ussd_dial.hooks = *hooks;
	ussd_dial.ev_tick = event_new(base, -1, EV_PERSIST, ussd_dial_on_tick,
	    NULL);
	ussd_dial.ev_kick = event_new(base, -1, 0, ussd_dial_on_tick, NULL);
	if (conf->sweep_interval > 0)
		tv.tv_sec = conf->sweep_interval;
	if (ussd_dial.ev_tick == NULL || ussd_dial.ev_kick == NULL ||
	    event_add(ussd_dial.ev_tick, &tv))
		return -1;
	return 0;
}

/* Stop looking. */
void
ussd_dial_free(void)
{
	if (ussd_dial.ev_tick != NULL)
		event_free(ussd_dial.ev_tick);
	if (ussd_dial.ev_kick != NULL)
		event_free(ussd_dial.ev_kick);
	ussd_dial.ev_tick = NULL;
	ussd_dial.ev_kick = NULL;
}
