/*
 * The console's staff inbox: conversations per sender, newest first, a
 * thread with kentongan's replies in between, a person's reply, the
 * "needs a person" queue, and the phone simulator.  Reads are SELECTs
 * here; every write goes through inbox.c and outbox.c and is audited
 * with the user's name.
 */
#include <stdio.h>
#include <string.h>

#include <event2/http.h>

#include "conf.h"
#include "console.h"
#include "inbox.h"
#include "log.h"
#include "modem.h"
#include "outbox.h"
#include "phone.h"
#include "router.h"
#include "store.h"
#include "user.h"

#define CONSOLE_TEXT_MAX	1600	/* bytes of a reply, as the API */
#define CONSOLE_SEARCH_MAX	64
#define CONSOLE_LIST_MAX	100	/* conversations listed */
#define CONSOLE_THREAD_MAX	200	/* messages of a thread */

/*
 * One row per sender found by a CTE "s" (newest first): the contact's
 * name, the last message's time, how many there are, how many wait for
 * a person, the last text.  Each figure is a look-up on inbox_sender.
 */
#define CONSOLE_CONV_ROWS \
	"SELECT s.sender, COALESCE(c.name, ''), (SELECT max(received_at) " \
	"FROM inbox WHERE sender = s.sender), (SELECT count(*) FROM inbox " \
	"WHERE sender = s.sender), (SELECT sum(needs_person) FROM inbox " \
	"WHERE sender = s.sender), (SELECT text FROM inbox " \
	"WHERE sender = s.sender ORDER BY id DESC LIMIT 1) FROM s LEFT JOIN " \
	"contacts c ON c.phone = s.sender ORDER BY s.n"

/*
 * GET /console/api/conversations?q=&needs=1: the CONSOLE_LIST_MAX
 * senders heard from last, newest first; q searches numbers, texts and
 * contacts' names, needs=1 keeps the senders waiting for a person.  The
 * inbox is read newest first and only until enough senders are found
 * (the needs queue through its partial index), so a long inbox costs no
 * more than a short one, except for a search.
 */
void
console_conversations(struct evhttp_request *req,
    const struct user_session *u)
{
	static const char all[] = "WITH s AS (SELECT sender, row_number() "
	    "OVER () AS n FROM (SELECT DISTINCT sender FROM (SELECT sender "
	    "FROM inbox i WHERE ?1 = '' OR instr(lower(i.sender || ' ' || "
	    "i.text), lower(?1)) > 0 OR i.sender IN (SELECT phone FROM "
	    "contacts WHERE instr(lower(name), lower(?1)) > 0) ORDER BY id "
	    "DESC) LIMIT ?2)) " CONSOLE_CONV_ROWS;
	static const char needs[] = "WITH s AS (SELECT sender, row_number() "
	    "OVER () AS n FROM (SELECT DISTINCT sender FROM (SELECT sender "
	    "FROM inbox WHERE needs_person = 1 AND ?1 IS NOT NULL ORDER BY "
	    "id DESC) LIMIT ?2)) " CONSOLE_CONV_ROWS;
	sqlite3_stmt	*st;
	json_t		*a;
	char		 q[CONSOLE_SEARCH_MAX] = "", only[4] = "";
	int		 rc;

	(void)u;
	console_arg(req, "q", q, sizeof(q));
	console_arg(req, "needs", only, sizeof(only));
	st = store_stmt(console_store(), strcmp(only, "1") == 0 ? needs : all);
	if (st == NULL) {
		console_error(req, 500, "cannot read the inbox");
		return;
	}
	sqlite3_bind_text(st, 1, q, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, CONSOLE_LIST_MAX);
	a = json_array();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(a, json_pack("{s:o, s:o, s:I, s:i, s:i, "
		    "s:o}", "phone", console_col(st, 0), "name",
		    console_col(st, 1), "at", (json_int_t)sqlite3_column_int64(
		    st, 2), "count", sqlite3_column_int(st, 3), "needs",
		    sqlite3_column_int(st, 4), "last", console_col(st, 5)));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(a);
		console_error(req, 500, "cannot read the inbox");
		return;
	}
	console_json(req, 200, json_pack("{s:o, s:i}", "conversations", a,
	    "needs", console_needs_count()));
}

/* A sender as stored, and the number the outbox writes to it. */
static int
console_phone(struct evhttp_request *req, const char *raw, char *norm,
    size_t len)
{
	if (raw == NULL || raw[0] == '\0' || strlen(raw) >= 32 ||
	    phone_normalize(raw, console_conf()->country_code, norm, len) !=
	    PHONE_NUMBER) {
		console_error(req, 400, "not a phone number");
		return -1;
	}
	return 0;
}

/*
 * Read a {phone, text} body: the number as given, normalised into norm,
 * and a text of 1 to CONSOLE_TEXT_MAX bytes.  The document (its strings
 * live in it), or NULL after a 400.
 */
static json_t *
console_message(struct evhttp_request *req, const char **raw,
    const char **text, char *norm, size_t len)
{
	json_t *doc;

	if ((doc = console_body(req)) == NULL)
		return NULL;
	*raw = json_string_value(json_object_get(doc, "phone"));
	*text = json_string_value(json_object_get(doc, "text"));
	if (console_phone(req, *raw, norm, len) == -1)
		goto bad;
	if (*text == NULL || (*text)[0] == '\0' || strlen(*text) >
	    CONSOLE_TEXT_MAX) {
		console_error(req, 400, "text: 1 to 1600 bytes");
		goto bad;
	}
	return doc;
bad:
	json_decref(doc);
	return NULL;
}

/*
 * GET /console/api/thread?phone=: the messages of one sender and every
 * message sent to them, oldest first (the last CONSOLE_THREAD_MAX).
 */
void
console_thread(struct evhttp_request *req, const struct user_session *u)
{
	static const char sql[] = "SELECT * FROM (SELECT 'in', id, "
	    "received_at, text, state, note, needs_person, '' FROM inbox "
	    "WHERE sender = ?1 UNION ALL SELECT 'out', id, created_at, text, "
	    "state, last_error, 0, created_by FROM outbox WHERE recipient = "
	    "?2 ORDER BY 3 DESC, 1 LIMIT ?3) ORDER BY 3, 1, 2";
	sqlite3_stmt	*st;
	json_t		*a;
	char		 raw[32], norm[PHONE_MAX];
	int		 rc;

	(void)u;
	if (console_phone(req, console_arg(req, "phone", raw, sizeof(raw)),
	    norm, sizeof(norm)) == -1)
		return;
	if ((st = store_stmt(console_store(), sql)) == NULL) {
		console_error(req, 500, "cannot read the inbox");
		return;
	}
	sqlite3_bind_text(st, 1, raw, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, norm, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, CONSOLE_THREAD_MAX);
	a = json_array();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(a, json_pack("{s:o, s:I, s:I, s:o, s:o, "
		    "s:o, s:b, s:o}", "dir", console_col(st, 0), "id",
		    (json_int_t)sqlite3_column_int64(st, 1), "at",
		    (json_int_t)sqlite3_column_int64(st, 2), "text",
		    console_col(st, 3), "state", console_col(st, 4), "note",
		    console_col(st, 5), "needs", sqlite3_column_int(st, 6),
		    "by", console_col(st, 7)));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(a);
		console_error(req, 500, "cannot read the inbox");
		return;
	}
	console_json(req, 200, json_pack("{s:s, s:s, s:o}", "phone", raw,
	    "to", norm, "messages", a));
}

/* Commit a change made in console_begin's transaction, or answer 500. */
int
console_commit(struct evhttp_request *req, int failed, const char *what)
{
	if (failed) {
		store_rollback(console_store());
		console_error(req, 500, what);
		return -1;
	}
	if (store_commit(console_store()) == -1) {
		console_error(req, 500, what);
		return -1;
	}
	console_live_notify();
	return 0;
}

/*
 * POST /console/api/reply {phone, text}: queue a person's answer to a
 * sender, as an outbox row with who typed it; the sender's messages
 * leave the "needs a person" queue.
 */
void
console_reply(struct evhttp_request *req, const struct user_session *u)
{
	const char	*raw, *text;
	char		 norm[PHONE_MAX];
	json_t		*doc;
	int64_t		 id;
	int		 bad;

	if ((doc = console_message(req, &raw, &text, norm, sizeof(norm))) ==
	    NULL)
		return;
	if (console_begin(req) == -1)
		goto out;
	bad = (id = outbox_enqueue(console_store(), norm, text,
	    OUTBOX_PRIO_REPLY, 0, 0)) <= 0 ||
	    outbox_set_creator(console_store(), id, u->name) == -1 ||
	    inbox_answered(console_store(), raw) < 0 ||
	    store_audit(console_store(), u->name, "console reply", norm) == -1;
	if (console_commit(req, bad, "cannot queue the reply") == -1)
		goto out;
	outbox_kick();
	log_info("console: %s replied to %s (outbox %lld)", u->name, norm,
	    (long long)id);
	console_json(req, 202, json_pack("{s:I, s:s, s:i}", "id",
	    (json_int_t)id, "to", norm, "needs", console_needs_count()));
out:
	json_decref(doc);
}

/* POST /console/api/dismiss {id}: take a message out of the queue. */
void
console_dismiss(struct evhttp_request *req, const struct user_session *u)
{
	json_t	*doc;
	char	 detail[32];
	int64_t	 id;
	int	 n;

	if ((doc = console_body(req)) == NULL)
		return;
	id = json_integer_value(json_object_get(doc, "id"));
	json_decref(doc);
	if (id <= 0) {
		console_error(req, 400, "expected {\"id\": inbox id}");
		return;
	}
	snprintf(detail, sizeof(detail), "inbox %lld", (long long)id);
	if (console_begin(req) == -1)
		return;
	n = inbox_needs_person(console_store(), id, 0);
	if (console_commit(req, n < 0 || (n > 0 && store_audit(
	    console_store(), u->name, "console dismiss", detail) == -1),
	    "cannot dismiss") == -1)
		return;
	console_json(req, 200, json_pack("{s:b, s:i}", "changed", n > 0,
	    "needs", console_needs_count()));
}

/* The first dummy phone configured, or NULL. */
static const struct conf_modem *
console_dummy(void)
{
	const struct conf	*conf = console_conf();
	int			 i;

	for (i = 0; i < conf->nmodems; i++)
		if (conf_modem_is_dummy(&conf->modems[i]))
			return &conf->modems[i];
	return NULL;
}

/* Route a text in a transaction that is undone; the reply, if any. */
static void
console_simulate_dry(struct evhttp_request *req, const char *norm,
    const char *text)
{
	static struct router_out	out;
	struct router_in		in = { norm, text, 0 };
	int				rc;

	if (console_begin(req) == -1)
		return;
	rc = router_handle(console_store(), console_conf(), &in, &out);
	store_rollback(console_store());
	if (rc == -1) {
		console_error(req, 500, "routing failed");
		return;
	}
	console_json(req, 200, json_pack("{s:s, s:s, s:s, s:s}", "mode",
	    "dry", "phone", norm, "reply", out.reply ? out.text : "",
	    "note", out.reply ? out.command : out.note));
}

/*
 * POST /console/api/simulate {phone, text}: text the gateway as a phone.
 * With a dummy phone the message is put in its inbox, as `kentongan
 * phone` does, and travels the real path (worker, inbox, router, outbox,
 * worker); the page watches the thread for the reply.  Without one (only
 * real modems: a reply would cost money and reach a stranger) the router
 * runs in a transaction that is undone, and the reply is returned.
 */
void
console_simulate(struct evhttp_request *req, const struct user_session *u)
{
	const struct conf_modem	*m;
	const char		*raw, *text;
	char			 norm[PHONE_MAX], err[256];
	json_t			*doc;

	if ((doc = console_message(req, &raw, &text, norm, sizeof(norm))) ==
	    NULL)
		return;
	if ((m = console_dummy()) == NULL) {
		console_simulate_dry(req, norm, text);
		goto out;
	}
	if (modem_inject_dummy(m->device, norm, text, err, sizeof(err)) ==
	    -1) {
		log_warnx("console: simulator: modem %s: %s", m->name, err);
		console_error(req, 500, "the dummy phone refused the message");
		goto out;
	}
	log_info("console: %s simulated a message from %s", u->name, norm);
	console_json(req, 202, json_pack("{s:s, s:s, s:s}", "mode", "live",
	    "phone", norm, "modem", m->name));
out:
	json_decref(doc);
}
