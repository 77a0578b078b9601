/*
 * The HTTP API: JSON under /api/v1/, /healthz and /metrics, served by
 * libevent's evhttp on the daemon's loop.
 *
 * DESIGN: off unless the configuration has an http group.  Every request
 * is answered at once from SQLite in a short transaction, like an SMS;
 * nothing here waits on a modem (a message is only queued in the outbox).
 * evhttp itself enforces the header and body limits and answers 413.
 * Each connection gets a bufferevent of ours (evhttp_set_bevcb) and a
 * close callback: so we count connections, stop
 * accepting at max_connections (lowered to leave descriptors for the
 * modems and SQLite), and close one whose request is not complete within
 * request_timeout, however slowly it trickles in.  An accept error such
 * as EMFILE pauses the listener on a timer instead of spinning on it.
 * Routing is one table of paths with a GET and a POST handler each: an
 * unknown path is 404, a missing or wrong bearer token 401, a method the
 * path does not have 405 with Allow.  Errors are {"error": "..."}.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/queue.h>
#include <sys/resource.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>
#include <jansson.h>

#include "alert.h"
#include "broadcast.h"
#include "conf.h"
#include "http.h"
#include "http_tls.h"
#include "info.h"
#include "log.h"
#include "metrics.h"
#include "outbox.h"
#include "phone.h"
#include "polls.h"
#include "price.h"
#include "store.h"

#define HTTP_HEADERS_MAX	8192
#define HTTP_LIMIT_DEFAULT	50
#define HTTP_LIMIT_MAX		1000
#define HTTP_TEXT_MAX		1600	/* bytes of an SMS or info page */
#define HTTP_FD_RESERVE		24	/* SQLite, signals, logs, the loop */
#define HTTP_FD_PER_MODEM	4	/* a worker's socket, its tty, ... */
#define HTTP_PAUSE_MS		500	/* accepting paused after an error */
#define HTTP_LOG_EVERY_SECS	60	/* repeated accept errors: one line */
#define HTTP_GUESS_MAX		10	/* wrong tokens a peer may send... */
#define HTTP_GUESS_SECS		60	/* ...within this window */
#define HTTP_GUESS_PEERS	32	/* peers remembered */

enum http_auth { HTTP_AUTH_NONE, HTTP_AUTH_TOKEN, HTTP_AUTH_METRICS };

typedef void (*http_handler)(struct evhttp_request *);

struct http_listing;

/* A path: who may call it, and what GET (a handler or a listing) and POST do. */
struct http_route {
	const char			*path;
	enum http_auth			 auth;
	http_handler			 get;
	http_handler			 post;
	const struct http_listing	*list;	/* GET, when get is NULL */
};

/* One accepted connection: evhttp's connection, its request deadline. */
struct http_conn {
	struct bufferevent	*bev;
	struct evhttp_connection *evcon;	/* NULL until http_on_setup */
	struct event		*ev_setup;
	struct event		*deadline;
	void			(*closed)(void *);	/* a stream's */
	void			*closed_arg;
	LIST_ENTRY(http_conn)	 entry;
};

/* Wrong tokens from one address in the current window. */
struct http_guess {
	char	peer[48];
	time_t	window;
	int	fails;
};

static struct {
	struct evhttp		*http;
	struct store		*store;
	const struct conf	*conf;
	struct event_base	*base;
	struct evconnlistener	*listener;
	struct event		*ev_resume;	/* ends an accept pause */
	LIST_HEAD(, http_conn)	 conns;
	int			 nconns;
	int			 maxconns;
	int			 paused;
	time_t			 errlog_at;	/* last accept error logged */
	long			 errlog_quiet;	/* errors not logged since */
	struct http_guess	 guesses[HTTP_GUESS_PEERS];
} http;

/* Send a JSON document (reference stolen) with a status code. */
static void
http_reply(struct evhttp_request *req, int code, json_t *doc)
{
	struct evbuffer	*b;
	char		*s;

	metrics_http_count(code);
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", "application/json; charset=utf-8");
	if ((b = evbuffer_new()) == NULL)
		fatalx("evbuffer_new");
	if (doc != NULL && (s = json_dumps(doc, JSON_COMPACT)) != NULL) {
		evbuffer_add(b, s, strlen(s));
		evbuffer_add(b, "\n", 1);
		free(s);
	}
	json_decref(doc);
	evhttp_send_reply(req, code, NULL, b);
	evbuffer_free(b);
}

/* Send {"error": msg} with a status code. */
static void
http_error(struct evhttp_request *req, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void
http_error(struct evhttp_request *req, int code, const char *fmt, ...)
{
	char	msg[256], *p;
	json_t	*doc;
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if ((doc = json_pack("{s:s}", "error", msg)) == NULL) {
		/* Not UTF-8: jansson quotes input, maybe cut mid-character. */
		for (p = msg; *p != '\0'; p++)
			if ((unsigned char)*p >= 0x80)
				*p = '?';
		doc = json_pack("{s:s}", "error", msg);
	}
	http_reply(req, code, doc);
}

/* A text column as a JSON string ("" for NULL). */
static json_t *
http_col_text(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	return json_string(t != NULL ? (const char *)t : "");
}

/* An integer column as JSON, null for NULL. */
static json_t *
http_col_int(sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return json_null();
	return json_integer((json_int_t)sqlite3_column_int64(st, col));
}

/*
 * Compare an Authorization header with "Bearer TOKEN" in time that does
 * not depend on where they differ.  Return 1 when they match.
 */
int
http_token_ok(const char *header, const char *token)
{
	size_t			 hl, tl, i;
	unsigned char		 diff;
	const unsigned char	*h, *t;

	if (header == NULL || token == NULL || token[0] == '\0' ||
	    strncasecmp(header, "Bearer ", 7) != 0)
		return 0;
	header += 7;
	while (*header == ' ')
		header++;
	hl = strlen(header);
	tl = strlen(token);
	h = (const unsigned char *)header;
	t = (const unsigned char *)token;
	diff = hl != tl;
	for (i = 0; i < tl; i++)
		diff |= (unsigned char)(h[i < hl ? i : 0] ^ t[i]);
	return diff == 0;
}

/* Parse ?limit= into 1..HTTP_LIMIT_MAX; -1 and a 400 when it is bad. */
static int
http_limit(struct evhttp_request *req, struct evkeyvalq *q)
{
	const char	*v = evhttp_find_header(q, "limit");
	char		*end;
	long		 n;

	if (v == NULL)
		return HTTP_LIMIT_DEFAULT;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || *v == '\0' || *end != '\0' || n < 1 ||
	    n > HTTP_LIMIT_MAX) {
		http_error(req, 400, "limit: a number from 1 to %d",
		    HTTP_LIMIT_MAX);
		return -1;
	}
	return (int)n;
}

/* Parse the query string of a request into q. */
static void
http_query(struct evhttp_request *req, struct evkeyvalq *q)
{
	const char *s = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(req));

	TAILQ_INIT(q);
	if (s != NULL && evhttp_parse_query_str(s, q) == -1) {
		evhttp_clear_headers(q);
		TAILQ_INIT(q);
	}
}

/* Parse the body as a JSON object; NULL and a 400 when it is not one. */
static json_t *
http_body(struct evhttp_request *req)
{
	struct evbuffer	*in = evhttp_request_get_input_buffer(req);
	size_t		 len = evbuffer_get_length(in);
	json_error_t	 jerr;
	json_t		*doc;

	if (len == 0) {
		http_error(req, 400, "expected a JSON object in the body");
		return NULL;
	}
	doc = json_loadb((const char *)evbuffer_pullup(in, -1), len,
	    JSON_REJECT_DUPLICATES, &jerr);
	if (doc == NULL) {
		http_error(req, 400, "invalid JSON at line %d: %s", jerr.line,
		    jerr.text);
		return NULL;
	}
	if (!json_is_object(doc)) {
		json_decref(doc);
		http_error(req, 400, "expected a JSON object in the body");
		return NULL;
	}
	return doc;
}

/* A string member of an object; NULL when absent (or not a string). */
static const char *
http_str(json_t *doc, const char *key, int *bad)
{
	json_t *v = json_object_get(doc, key);

	if (v == NULL || json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		*bad = 1;
		return NULL;
	}
	return json_string_value(v);
}

/* Open a write transaction, or answer 503; -1 when it could not. */
static int
http_begin(struct evhttp_request *req)
{
	if (store_in_tx(http.store) || store_begin(http.store) == -1) {
		http_error(req, 503, "database busy, try again");
		return -1;
	}
	return 0;
}

/* Tell whether s is a real date written YYYY-MM-DD. */
static int
http_date_ok(const char *s)
{
	static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int	y, m, d;
	char	extra;

	return strlen(s) == 10 && s[4] == '-' && s[7] == '-' &&
	    sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &extra) == 3 &&
	    y >= 2000 && y <= 2099 && m >= 1 && m <= 12 && d >= 1 &&
	    d <= days[m - 1] && !(m == 2 && d == 29 && y % 4 != 0);
}

/* Add one latest price to a JSON array. */
static int
http_price_row(const struct price_row *r, void *arg)
{
	json_array_append_new(arg, json_pack("{s:s, s:s, s:s, s:s, s:I, "
	    "s:s, s:s, s:I}", "commodity", r->commodity, "commodity_display",
	    r->commodity_display, "market", r->market, "market_display",
	    r->market_display, "price", (json_int_t)r->price, "unit", r->unit,
	    "date", r->date, "previous", (json_int_t)r->previous));
	return 0;
}

/* GET /api/v1/prices: the latest price of each commodity in each market. */
static void
http_prices_get(struct evhttp_request *req)
{
	json_t *a = json_array();

	if (price_each_latest(http.store, http_price_row, a) < 0) {
		json_decref(a);
		http_error(req, 500, "cannot read prices");
		return;
	}
	http_reply(req, 200, json_pack("{s:o}", "prices", a));
}

/*
 * POST /api/v1/prices {commodity, market, price, unit?, date?}: like
 * `kentongan price set`, subscribers are alerted.
 */
static void
http_prices_post(struct evhttp_request *req)
{
	const char	*commodity, *market, *unit, *date;
	char		 today[16], cname[PRICE_NAME_MAX], mname[PRICE_NAME_MAX];
	json_t		*doc, *pv;
	int64_t		 price, id;
	int		 bad = 0, alerts = 0;

	if ((doc = http_body(req)) == NULL)
		return;
	commodity = http_str(doc, "commodity", &bad);
	market = http_str(doc, "market", &bad);
	unit = http_str(doc, "unit", &bad);
	date = http_str(doc, "date", &bad);
	pv = json_object_get(doc, "price");
	if (bad || commodity == NULL || market == NULL || pv == NULL) {
		http_error(req, 400, "expected {\"commodity\": \"CABAI\", "
		    "\"market\": \"KEDIRI\", \"price\": 45000, \"unit\": "
		    "\"kg\", \"date\": \"YYYY-MM-DD\"}");
		goto out;
	}
	if (price_name_clean(commodity, cname, sizeof(cname)) == -1 ||
	    price_name_clean(market, mname, sizeof(mname)) == -1) {
		http_error(req, 400, "commodity and market: 1 to 4 words of "
		    "letters, digits, - and _, e.g. CABAI KEDIRI");
		goto out;
	}
	if (json_is_integer(pv))
		price = (int64_t)json_integer_value(pv);
	else if (json_is_real(pv) && json_real_value(pv) >= 1 &&
	    json_real_value(pv) < 1e9 && json_real_value(pv) ==
	    (double)(int64_t)json_real_value(pv))
		price = (int64_t)json_real_value(pv);
	else if (!json_is_string(pv) ||
	    price_parse(json_string_value(pv), &price) == -1)
		price = -1;
	if (price <= 0 || price > 1000000000) {
		http_error(req, 400, "price: a whole number of rupiah, or a "
		    "string such as \"45.000\" or \"45rb\"");
		goto out;
	}
	if (unit != NULL && (unit[0] == '\0' ||
	    strlen(unit) >= PRICE_UNIT_MAX)) {
		http_error(req, 400, "unit: 1 to %d characters",
		    PRICE_UNIT_MAX - 1);
		goto out;
	}
	if (date != NULL && !http_date_ok(date)) {
		http_error(req, 400, "date: expected YYYY-MM-DD");
		goto out;
	}
	if (date == NULL) {
		store_today(today, sizeof(today));
		date = today;
	}
	if (http_begin(req) == -1)
		goto out;
	if (price_set(http.store, cname, mname, price, unit, date, "http",
	    &id) == -1 || store_audit(http.store, "http", "price set",
	    cname) == -1 || (alerts = alert_price(http.store, http.conf,
	    id)) < 0) {
		store_rollback(http.store);
		http_error(req, 500, "cannot save the price");
		goto out;
	}
	if (store_commit(http.store) == -1) {
		http_error(req, 500, "cannot save the price");
		goto out;
	}
	http_reply(req, 201, json_pack("{s:I, s:s, s:s, s:I, s:s, s:i}",
	    "id", (json_int_t)id, "commodity", cname, "market", mname,
	    "price", (json_int_t)price, "date", date, "alerts", alerts));
out:
	json_decref(doc);
}

/* Run a prepared listing and reply {name: [rows]}; cols name the columns. */
static void
http_list(struct evhttp_request *req, sqlite3_stmt *st, const char *name,
    const char *const *cols, const char *intcols)
{
	json_t	*a = json_array(), *o;
	int	 i, rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		o = json_object();
		for (i = 0; cols[i] != NULL; i++)
			json_object_set_new(o, cols[i], intcols[i] == 'i' ?
			    http_col_int(st, i) : http_col_text(st, i));
		json_array_append_new(a, o);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(a);
		http_error(req, 500, "cannot read %s", name);
		return;
	}
	http_reply(req, 200, json_pack("{s:o}", name, a));
}

/* A read-only listing: its statement, JSON name and columns. */
struct http_listing {
	const char		*name;
	const char		*sql;		/* binds LIMIT ? when limited */
	const char *const	*cols;
	const char		*types;		/* 'i' integer, 's' text, a column */
	int			 limited;	/* takes ?limit= */
};

static const char *const http_contacts_cols[] = { "phone", "name",
    "village", "language", "opted_out", "is_reporter", "groups",
    "created_at", NULL };
static const char *const http_inbox_cols[] = { "id", "modem", "sender",
    "received_at", "text", "parts", "state", "note", NULL };
static const char *const http_info_cols[] = { "topic", "language", "body",
    "updated_at", NULL };
static const char *const http_groups_cols[] = { "name", "description",
    "members", NULL };
static const char *const http_events_cols[] = { "code", "title", "status",
    "quota", "confirmed", "waitlisted", "deadline", "date", "place", NULL };

/* GET /api/v1/contacts?limit= */
static const struct http_listing http_contacts_listing = { "contacts",
    "SELECT c.phone, c.name, c.village, c.language, c.opted_out, "
    "c.is_reporter, (SELECT group_concat(g.name, ';') FROM group_members gm "
    "JOIN groups g ON g.id = gm.group_id WHERE gm.contact_id = c.id), "
    "c.created_at FROM contacts c ORDER BY c.id LIMIT ?",
    http_contacts_cols, "ssssiisi", 1 };
/* GET /api/v1/inbox?limit=: the newest messages first. */
static const struct http_listing http_inbox_listing = { "inbox",
    "SELECT id, modem, sender, received_at, text, parts, state, note FROM "
    "inbox ORDER BY id DESC LIMIT ?", http_inbox_cols, "issisiss", 1 };
/* GET /api/v1/info: every info page. */
static const struct http_listing http_info_listing = { "info",
    "SELECT topic, language, body, updated_at FROM info_pages ORDER BY "
    "topic, language", http_info_cols, "sssi", 0 };
/* GET /api/v1/groups: each group with its member count. */
static const struct http_listing http_groups_listing = { "groups",
    "SELECT g.name, g.description, (SELECT count(*) FROM group_members m "
    "WHERE m.group_id = g.id) FROM groups g ORDER BY g.name",
    http_groups_cols, "ssi", 0 };
/* GET /api/v1/events: each event with its confirmed and waitlisted counts. */
static const struct http_listing http_events_listing = { "events",
    "SELECT e.code, e.title, e.status, e.quota, (SELECT count(*) FROM "
    "registrations r WHERE r.event_id = e.id AND r.status = 'confirmed'), "
    "(SELECT count(*) FROM registrations r WHERE r.event_id = e.id AND "
    "r.status = 'waitlisted'), COALESCE(e.deadline, ''), "
    "COALESCE(e.event_date, ''), e.place FROM events e ORDER BY "
    "e.created_at", http_events_cols, "sssiiisss", 0 };

static const char *const http_polls_cols[] = { "code", "kind", "title",
    "state", "questions", "asked", "completed", "created_at", NULL };
/* GET /api/v1/polls: polls and surveys with their counts. */
static const struct http_listing http_polls_listing = { "polls",
    "SELECT p.code, p.kind, p.title, p.state, (SELECT COUNT(*) FROM "
    "poll_questions q WHERE q.poll_id = p.id), (SELECT COUNT(*) FROM "
    "poll_asks a WHERE a.poll_id = p.id), (SELECT COUNT(*) FROM poll_asks a "
    "WHERE a.poll_id = p.id AND a.done_at IS NOT NULL), p.created_at FROM "
    "polls p ORDER BY p.created_at, p.id", http_polls_cols, "ssssiiii", 0 };

/* Answer a GET with a listing, honouring ?limit= when it takes one. */
static void
http_listing_get(struct evhttp_request *req, const struct http_listing *l)
{
	struct evkeyvalq	 q;
	sqlite3_stmt		*st;
	int			 limit = 0;

	if (l->limited) {
		http_query(req, &q);
		limit = http_limit(req, &q);
		evhttp_clear_headers(&q);
		if (limit == -1)
			return;
	}
	if ((st = store_stmt(http.store, l->sql)) == NULL) {
		http_error(req, 500, "cannot read %s", l->name);
		return;
	}
	if (l->limited)
		sqlite3_bind_int(st, 1, limit);
	http_list(req, st, l->name, l->cols, l->types);
}

/* GET /api/v1/outbox?state=&limit=: the newest messages first. */
static void
http_outbox_get(struct evhttp_request *req)
{
	static const char sql[] = "SELECT id, recipient, text, priority, "
	    "state, attempts, last_error, modem, parts, created_at, sent_at, "
	    "delivered_at FROM outbox WHERE ?1 IS NULL OR state = ?1 "
	    "ORDER BY id DESC LIMIT ?2";
	static const char *const cols[] = { "id", "to", "text", "priority",
	    "state", "attempts", "last_error", "modem", "parts", "created_at",
	    "sent_at", "delivered_at", NULL };
	struct evkeyvalq	 q;
	sqlite3_stmt		*st;
	const char		*state;
	enum outbox_state	 parsed;
	char			 sbuf[16] = "";
	int			 limit;

	http_query(req, &q);
	limit = http_limit(req, &q);
	if ((state = evhttp_find_header(&q, "state")) != NULL) {
		if (outbox_state_parse(state, &parsed) == 0)
			snprintf(sbuf, sizeof(sbuf), "%s",
			    outbox_state_name(parsed));
		else if (limit != -1) {
			http_error(req, 400, "state: one of queued, sending, "
			    "sent, delivered, failed, cancelled");
			limit = -1;
		}
	}
	evhttp_clear_headers(&q);
	if (limit == -1)
		return;
	if ((st = store_stmt(http.store, sql)) == NULL) {
		http_error(req, 500, "cannot read the outbox");
		return;
	}
	if (sbuf[0] != '\0')
		sqlite3_bind_text(st, 1, sbuf, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 2, limit);
	http_list(req, st, "outbox", cols, "issisisiiiii");
}

/* POST /api/v1/messages {to, text}: queue an SMS. */
static void
http_messages_post(struct evhttp_request *req)
{
	const char	*to, *text;
	char		 norm[PHONE_MAX];
	json_t		*doc;
	int64_t		 id;
	int		 bad = 0;

	if ((doc = http_body(req)) == NULL)
		return;
	to = http_str(doc, "to", &bad);
	text = http_str(doc, "text", &bad);
	if (bad || to == NULL || text == NULL) {
		http_error(req, 400, "expected {\"to\": \"0812...\", "
		    "\"text\": \"...\"}");
		goto out;
	}
	if (phone_normalize(to, http.conf->country_code, norm,
	    sizeof(norm)) != PHONE_NUMBER) {
		http_error(req, 400, "to: not a phone number");
		goto out;
	}
	if (text[0] == '\0' || strlen(text) > HTTP_TEXT_MAX) {
		http_error(req, 400, "text: 1 to %d bytes", HTTP_TEXT_MAX);
		goto out;
	}
	if (http_begin(req) == -1)
		goto out;
	if ((id = outbox_enqueue(http.store, norm, text, OUTBOX_PRIO_ALERT, 0,
	    0)) <= 0 || store_audit(http.store, "http", "message", norm) ==
	    -1) {
		store_rollback(http.store);
		http_error(req, 500, "cannot queue the message");
		goto out;
	}
	if (store_commit(http.store) == -1) {
		http_error(req, 500, "cannot queue the message");
		goto out;
	}
	outbox_kick();
	http_reply(req, 202, json_pack("{s:I, s:s, s:s}", "id",
	    (json_int_t)id, "to", norm, "state", "queued"));
out:
	json_decref(doc);
}

/* GET /api/v1/modems: each configured modem as the daemon last saw it. */
static void
http_modems_get(struct evhttp_request *req)
{
	static const char sql[] = "SELECT state, manufacturer, model, "
	    "signal, battery, network, operator, sim_used, sim_total, "
	    "received, sent, errors, last_error, updated_at FROM modems "
	    "WHERE name = ?";
	static const char *const cols[] = { "state", "manufacturer", "model",
	    "signal", "battery", "network", "operator", "sim_used",
	    "sim_total", "received", "sent", "errors", "last_error",
	    "updated_at", NULL };
	static const char intcols[] = "sssiissiiiiisi";
	sqlite3_stmt	*st;
	json_t		*a = json_array(), *o;
	int		 i, j;

	if ((st = store_stmt(http.store, sql)) == NULL) {
		json_decref(a);
		http_error(req, 500, "cannot read modems");
		return;
	}
	for (i = 0; i < http.conf->nmodems; i++) {
		o = json_pack("{s:s}", "name", http.conf->modems[i].name);
		sqlite3_bind_text(st, 1, http.conf->modems[i].name, -1,
		    SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			for (j = 0; cols[j] != NULL; j++)
				json_object_set_new(o, cols[j],
				    intcols[j] == 'i' ? http_col_int(st, j) :
				    http_col_text(st, j));
		} else
			json_object_set_new(o, "state", json_string(
			    "starting"));
		sqlite3_reset(st);
		json_array_append_new(a, o);
	}
	http_reply(req, 200, json_pack("{s:o}", "modems", a));
}

/* POST /api/v1/info {topic, language?, body}: create or replace a page. */
static void
http_info_post(struct evhttp_request *req)
{
	const char	*topic, *lang, *body;
	char		 err[128];
	json_t		*doc;
	int		 bad = 0;

	if ((doc = http_body(req)) == NULL)
		return;
	topic = http_str(doc, "topic", &bad);
	lang = http_str(doc, "language", &bad);
	body = http_str(doc, "body", &bad);
	if (bad || topic == NULL || body == NULL) {
		http_error(req, 400, "expected {\"topic\": \"PUPUK\", "
		    "\"language\": \"id\", \"body\": \"...\"}");
		goto out;
	}
	if (lang == NULL)
		lang = http.conf->language;
	if (info_check(topic, lang, body, err, sizeof(err)) == -1) {
		http_error(req, 400, "%s", err);
		goto out;
	}
	if (http_begin(req) == -1)
		goto out;
	if (info_set(http.store, topic, lang, body) < 0 ||
	    store_audit(http.store, "http", "info set", topic) == -1) {
		store_rollback(http.store);
		http_error(req, 500, "cannot save the page");
		goto out;
	}
	if (store_commit(http.store) == -1) {
		http_error(req, 500, "cannot save the page");
		goto out;
	}
	http_reply(req, 200, json_pack("{s:s, s:s}", "topic", topic,
	    "language", lang));
out:
	json_decref(doc);
}

/* GET /api/v1/polls/CODE/results: the tally of each question. */
static void
http_poll_results_get(struct evhttp_request *req)
{
	static const char prefix[] = "/api/v1/polls/";
	static struct poll_info	 p;
	const char		*path, *slash;
	char			 code[POLL_CODE_MAX];
	size_t			 n;
	int			 rc;

	path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req)) +
	    sizeof(prefix) - 1;
	if ((slash = strchr(path, '/')) == NULL ||
	    strcmp(slash, "/results") != 0 || (n = (size_t)(slash - path)) ==
	    0 || n >= sizeof(code)) {
		http_error(req, 404, "expected /api/v1/polls/CODE/results");
		return;
	}
	memcpy(code, path, n);
	code[n] = '\0';
	if ((rc = poll_get(http.store, code, &p)) <= 0) {
		if (rc == 0)
			http_error(req, 404, "no poll or survey %s", code);
		else
			http_error(req, 500, "cannot read polls");
		return;
	}
	http_reply(req, 200, poll_json(http.store, &p));
}

/* GET /api/v1/broadcasts?limit=: the newest first, with their progress. */
static void
http_broadcasts_get(struct evhttp_request *req)
{
	static const char sql[] = "SELECT id, state, target, created_by, "
	    "recipients, scheduled_at, started_at, finished_at, text FROM "
	    "broadcasts ORDER BY id DESC LIMIT ?";
	static const char *const cols[] = { "id", "state", "target",
	    "created_by", "recipients", "scheduled_at", "started_at",
	    "finished_at", "text", NULL };
	static const char intcols[] = "isssiiiis";
	struct broadcast_progress	 p;
	struct evkeyvalq		 q;
	sqlite3_stmt			*st;
	json_t				*a, *o;
	size_t				 i;
	int				 limit, j, rc;

	http_query(req, &q);
	limit = http_limit(req, &q);
	evhttp_clear_headers(&q);
	if (limit == -1)
		return;
	if ((st = store_stmt(http.store, sql)) == NULL) {
		http_error(req, 500, "cannot read broadcasts");
		return;
	}
	sqlite3_bind_int(st, 1, limit);
	a = json_array();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		o = json_object();
		for (j = 0; cols[j] != NULL; j++)
			json_object_set_new(o, cols[j], intcols[j] == 'i' ?
			    http_col_int(st, j) : http_col_text(st, j));
		json_array_append_new(a, o);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(a);
		http_error(req, 500, "cannot read broadcasts");
		return;
	}
	json_array_foreach(a, i, o) {
		if (broadcast_progress(http.store, (int64_t)json_integer_value(
		    json_object_get(o, "id")), &p) == -1) {
			json_decref(a);
			http_error(req, 500, "cannot read broadcasts");
			return;
		}
		json_object_set_new(o, "progress", json_pack("{s:i, s:i, s:i, "
		    "s:i, s:i}", "queued", p.queued, "sent", p.sent,
		    "delivered", p.delivered, "failed", p.failed, "cancelled",
		    p.cancelled));
	}
	http_reply(req, 200, json_pack("{s:o}", "broadcasts", a));
}

/*
 * POST /api/v1/broadcasts {to, text, at?}: send to a target as
 * `kentongan broadcast send` does, or schedule it at local "YYYY-MM-DD
 * HH:MM".  202 with the id and the recipients queued.
 */
static void
http_broadcasts_post(struct evhttp_request *req)
{
	struct broadcast_target	 t;
	const char		*to, *text, *at;
	char			 err[160], spec[BROADCAST_TARGET_MAX];
	json_t			*doc;
	int64_t			 id, when = 0;
	int			 bad = 0, n = 0, rc;

	if ((doc = http_body(req)) == NULL)
		return;
	to = http_str(doc, "to", &bad);
	text = http_str(doc, "text", &bad);
	at = http_str(doc, "at", &bad);
	if (bad || to == NULL || text == NULL) {
		http_error(req, 400, "expected {\"to\": \"PETANI\", \"text\": "
		    "\"...\", \"at\": \"YYYY-MM-DD HH:MM\"}");
		goto out;
	}
	if (broadcast_parse_target(to, &t, err, sizeof(err)) == -1 ||
	    t.kind == BROADCAST_NUMBERS) {
		http_error(req, 400, "to: %s", t.kind == BROADCAST_NUMBERS ?
		    "a list of numbers is not possible here" : err);
		goto out;
	}
	if (text[0] == '\0' || strlen(text) > HTTP_TEXT_MAX) {
		http_error(req, 400, "text: 1 to %d bytes", HTTP_TEXT_MAX);
		goto out;
	}
	if (at != NULL && (when = broadcast_parse_when(at)) < 0) {
		http_error(req, 400, when == -2 ? "at: that time is past; "
		    "leave out \"at\" to send now" :
		    "at: expected \"YYYY-MM-DD HH:MM\"");
		goto out;
	}
	broadcast_target_format(&t, spec, sizeof(spec));
	if (http_begin(req) == -1)
		goto out;
	if ((rc = broadcast_target_exists(http.store, &t)) != 1) {
		store_rollback(http.store);
		if (rc == 0)
			http_error(req, 400, "to: no such %s \"%s\"",
			    t.kind == BROADCAST_EVENT ? "event" :
			    t.kind == BROADCAST_SUBSCRIBERS ? "commodity" :
			    "group", t.name);
		else
			http_error(req, 500, "cannot read the database");
		goto out;
	}
	if ((id = broadcast_new(http.store, &t, text, "http", "", when)) ==
	    -1 || (at == NULL && (n = broadcast_start(http.store, id)) == -1) ||
	    store_audit(http.store, "http", at != NULL ?
	    "broadcast schedule" : "broadcast send", spec) == -1) {
		store_rollback(http.store);
		http_error(req, 500, "cannot create the broadcast");
		goto out;
	}
	if (store_commit(http.store) == -1) {
		http_error(req, 500, "cannot create the broadcast");
		goto out;
	}
	if (at == NULL)
		outbox_kick();
	http_reply(req, 202, json_pack("{s:I, s:s, s:s, s:i}", "id",
	    (json_int_t)id, "target", spec, "state", at != NULL ?
	    "scheduled" : "queued", "recipients", n));
out:
	json_decref(doc);
}

/*
 * GET /healthz: 200 when a write transaction can be opened and at least
 * one configured modem is up; 503 otherwise, saying why.
 */
static void
http_healthz_get(struct evhttp_request *req)
{
	static const char sql[] = "SELECT count(*) FROM modems WHERE name = ? "
	    "AND state = 'up'";
	sqlite3_stmt	*st;
	json_t		*why = json_array();
	const char	*db = "ok";
	int		 i, up = 0;

	if (store_in_tx(http.store) || store_begin(http.store) == -1)
		db = "not writable";
	else
		store_rollback(http.store);
	if (strcmp(db, "ok") != 0)
		json_array_append_new(why, json_pack("s+", "database ", db));
	if ((st = store_stmt(http.store, sql)) != NULL) {
		for (i = 0; i < http.conf->nmodems; i++) {
			sqlite3_bind_text(st, 1, http.conf->modems[i].name, -1,
			    SQLITE_STATIC);
			if (sqlite3_step(st) == SQLITE_ROW)
				up += sqlite3_column_int(st, 0);
			sqlite3_reset(st);
		}
	}
	if (up == 0)
		json_array_append_new(why, json_string(http.conf->nmodems == 0 ?
		    "no modems configured" : "no modem is up"));
	http_reply(req, json_array_size(why) == 0 ? 200 : 503,
	    json_pack("{s:s, s:s, s:i, s:i, s:o}", "status",
	    json_array_size(why) == 0 ? "ok" : "unavailable", "database", db,
	    "modems_up", up, "modems", http.conf->nmodems, "problems", why));
}

/* GET /metrics: the Prometheus text format. */
static void
http_metrics_get(struct evhttp_request *req)
{
	struct evbuffer *b;

	if ((b = evbuffer_new()) == NULL)
		fatalx("evbuffer_new");
	if (metrics_write(http.store, http.conf, b) == -1) {
		evbuffer_free(b);
		http_error(req, 500, "cannot read the database");
		return;
	}
	metrics_http_count(200);
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", "text/plain; version=0.0.4; charset=utf-8");
	evhttp_send_reply(req, 200, "OK", b);
	evbuffer_free(b);
}

static const struct http_route http_routes[] = {
	{ "/api/v1/prices",	HTTP_AUTH_TOKEN, http_prices_get,
	    http_prices_post, NULL },
	{ "/api/v1/contacts",	HTTP_AUTH_TOKEN, NULL, NULL,
	    &http_contacts_listing },
	{ "/api/v1/inbox",	HTTP_AUTH_TOKEN, NULL, NULL,
	    &http_inbox_listing },
	{ "/api/v1/outbox",	HTTP_AUTH_TOKEN, http_outbox_get, NULL, NULL },
	{ "/api/v1/messages",	HTTP_AUTH_TOKEN, NULL, http_messages_post,
	    NULL },
	{ "/api/v1/modems",	HTTP_AUTH_TOKEN, http_modems_get, NULL, NULL },
	{ "/api/v1/info",	HTTP_AUTH_TOKEN, NULL, http_info_post,
	    &http_info_listing },
	{ "/api/v1/groups",	HTTP_AUTH_TOKEN, NULL, NULL,
	    &http_groups_listing },
	{ "/api/v1/events",	HTTP_AUTH_TOKEN, NULL, NULL,
	    &http_events_listing },
	{ "/api/v1/broadcasts",	HTTP_AUTH_TOKEN, http_broadcasts_get,
	    http_broadcasts_post, NULL },
	{ "/api/v1/polls",	HTTP_AUTH_TOKEN, NULL, NULL,
	    &http_polls_listing },
	/* A path ending in / takes the rest: /api/v1/polls/CODE/results. */
	{ "/api/v1/polls/",	HTTP_AUTH_TOKEN, http_poll_results_get, NULL,
	    NULL },
	{ "/healthz",		HTTP_AUTH_NONE, http_healthz_get, NULL, NULL },
	{ "/metrics",		HTTP_AUTH_METRICS, http_metrics_get, NULL,
	    NULL },
	{ NULL,			HTTP_AUTH_NONE, NULL, NULL, NULL }
};

/* Accept while under the cap and not pausing after an accept error. */
static void
http_listener_update(void)
{
	if (http.listener == NULL)
		return;
	if (!http.paused && http.nconns < http.maxconns)
		evconnlistener_enable(http.listener);
	else
		evconnlistener_disable(http.listener);
}

/* A request did not arrive whole in time: close the connection. */
static void
http_on_deadline(evutil_socket_t fd, short ev, void *arg)
{
	struct http_conn *c = arg;

	(void)fd;
	(void)ev;
	log_debug("http: no whole request within %d s; closing",
	    http.conf->http.request_timeout);
	evhttp_connection_free(c->evcon);	/* calls http_on_close */
}

/* (Re)start a connection's deadline for its next request. */
static void
http_conn_arm(struct http_conn *c)
{
	struct timeval tv = { http.conf->http.request_timeout, 0 };

	evtimer_add(c->deadline, &tv);
}

/* Forget a connection that closed, and accept again if it was the cap. */
static void
http_conn_gone(struct http_conn *c)
{
	LIST_REMOVE(c, entry);
	/* Gone before http_on_setup ran: drop the reference it would. */
	if (evtimer_pending(c->ev_setup, NULL))
		bufferevent_decref(c->bev);
	event_free(c->deadline);
	event_free(c->ev_setup);
	free(c);
	http.nconns--;
	http_listener_update();
}

/*
 * evhttp is freeing a connection of ours: tell the stream on it first
 * (evhttp has one close callback a connection, and it is ours).
 */
static void
http_on_close(struct evhttp_connection *evcon, void *arg)
{
	struct http_conn *c = arg;

	(void)evcon;
	if (c->closed != NULL)
		c->closed(c->closed_arg);
	http_conn_gone(c);
}

/* The evhttp connection wrapping one of ours: watch for its end. */
static void
http_conn_adopt(struct http_conn *c, struct evhttp_connection *evcon)
{
	c->evcon = evcon;
	evhttp_connection_set_closecb(evcon, http_on_close, c);
}

/*
 * Right after the accept: evhttp has made the connection around our
 * bufferevent (its callbacks' argument); ask to hear of its close.  Our
 * reference kept the bufferevent alive if evhttp has already freed it,
 * which clears its callbacks.
 */
static void
http_on_setup(evutil_socket_t fd, short ev, void *arg)
{
	struct http_conn	*c = arg;
	struct bufferevent	*bev = c->bev;
	bufferevent_data_cb	 readcb;
	void			*cbarg;

	(void)fd;
	(void)ev;
	/*
	 * Adopted already by its first request (http_conn_of): evhttp may be
	 * writing an answer, with its read callback cleared for the while,
	 * and the deadline waits for that answer to be sent (http_served).
	 */
	if (c->evcon != NULL) {
		bufferevent_decref(bev);
		return;
	}
	bufferevent_getcb(bev, &readcb, NULL, NULL, &cbarg);
	if (readcb == NULL)
		http_conn_gone(c);
	else {
		http_conn_adopt(c, cbarg);
		http_conn_arm(c);
	}
	bufferevent_decref(bev);
}

/*
 * evhttp accepted a connection and asks for its bufferevent: count it,
 * and finish setting it up once evhttp has wrapped it.
 */
static struct bufferevent *
http_on_bev(struct event_base *base, void *arg)
{
	struct timeval		 now = { 0, 0 };
	struct http_conn	*c;

	(void)arg;
	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->bev = http_tls_on() ? http_tls_bev(base) :
	    bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE)) == NULL ||
	    (c->deadline = evtimer_new(base, http_on_deadline, c)) == NULL ||
	    (c->ev_setup = evtimer_new(base, http_on_setup, c)) == NULL)
		fatalx("http: cannot set up a connection");
	bufferevent_incref(c->bev);
	evtimer_add(c->ev_setup, &now);
	LIST_INSERT_HEAD(&http.conns, c, entry);
	http.nconns++;
	http_listener_update();
	return c->bev;
}

/* The connection of ours a request came on; NULL when there is none. */
static struct http_conn *
http_conn_of(struct evhttp_request *req)
{
	struct evhttp_connection	*evcon;
	struct bufferevent		*bev;
	struct http_conn		*c;

	if ((evcon = evhttp_request_get_connection(req)) == NULL)
		return NULL;
	bev = evhttp_connection_get_bufferevent(evcon);
	/*
	 * A connection's first request can come before http_on_setup (both
	 * wait on the same turn of the loop): adopt its evhttp side here.
	 */
	LIST_FOREACH(c, &http.conns, entry)
		if (c->bev == bev) {
			if (c->evcon == NULL)
				http_conn_adopt(c, evcon);
			return c->evcon == evcon ? c : NULL;
		}
	return NULL;
}

/* The answer went out whole: the next request has request_timeout. */
static void
http_on_complete(struct evhttp_request *req, void *arg)
{
	struct http_conn *c;

	(void)arg;
	if ((c = http_conn_of(req)) != NULL && c->closed == NULL)
		http_conn_arm(c);
}

/*
 * A request arrived whole: its deadline is met.  No deadline while the
 * answer goes out (a big CSV on a slow link takes what it takes; evhttp's
 * own timeout still ends a reader that stopped); the next request gets
 * request_timeout once the answer is sent.
 */
void
http_served(struct evhttp_request *req)
{
	struct http_conn *c;

	if ((c = http_conn_of(req)) == NULL)
		return;
	evtimer_del(c->deadline);
	evhttp_request_set_on_complete_cb(req, http_on_complete, NULL);
}

/*
 * The answer to req is a stream that stays open (the console's live
 * view): no deadline while it lasts, and closed(arg) when its connection
 * goes.  closed NULL: the stream is over, the deadline is back.  0, or
 * -1 when req is on no connection of ours.
 */
int
http_stream(struct evhttp_request *req, void (*closed)(void *), void *arg)
{
	struct http_conn *c;

	if ((c = http_conn_of(req)) == NULL)
		return -1;
	c->closed = closed;
	c->closed_arg = arg;
	if (closed != NULL)
		evtimer_del(c->deadline);
	else
		http_conn_arm(c);
	return 0;
}

/* The pause after an accept error is over. */
static void
http_on_resume(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	(void)arg;
	http.paused = 0;
	http_listener_update();
}

/*
 * accept() failed (EMFILE and the like): pause the listener for a moment
 * rather than spin on it, and log at most one line a minute.
 */
static void
http_on_accept_error(struct evconnlistener *lev, void *arg)
{
	struct timeval	tv = { 0, HTTP_PAUSE_MS * 1000 };
	int		err = EVUTIL_SOCKET_ERROR();
	time_t		now = time(NULL);

	(void)lev;
	(void)arg;
	if (now - http.errlog_at >= HTTP_LOG_EVERY_SECS) {
		log_warnx("http: accept: %s (%d open); pausing new connections "
		    "(%ld more errors since the last line)", strerror(err),
		    http.nconns, http.errlog_quiet);
		http.errlog_at = now;
		http.errlog_quiet = 0;
	} else
		http.errlog_quiet++;
	http.paused = 1;
	http_listener_update();
	evtimer_add(http.ev_resume, &tv);
}

/* max_connections, lowered to leave descriptors for modems and SQLite. */
static int
http_conn_cap(const struct conf *conf)
{
	struct rlimit	rl;
	long		room;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1 || rl.rlim_cur == RLIM_INFINITY)
		return conf->http.max_connections;
	room = (long)rl.rlim_cur - HTTP_FD_RESERVE -
	    HTTP_FD_PER_MODEM * conf->nmodems;
	if (room < 1)
		room = 1;
	if (room < conf->http.max_connections) {
		log_warnx("http: %ld connections at most (descriptor limit "
		    "%ld, less a reserve for modems and SQLite)", room,
		    (long)rl.rlim_cur);
		return (int)room;
	}
	return conf->http.max_connections;
}

/*
 * The guessing record of the request's peer (NULL without one); with
 * add, made if needed, in the place of the stalest record.
 */
static struct http_guess *
http_guess(struct evhttp_request *req, int add)
{
	struct evhttp_connection	*evcon;
	struct http_guess		*g, *old = &http.guesses[0];
	char				*peer = NULL;
	ev_uint16_t			 port;
	size_t				 i;

	if ((evcon = evhttp_request_get_connection(req)) == NULL)
		return NULL;
	evhttp_connection_get_peer(evcon, &peer, &port);
	if (peer == NULL)
		return NULL;
	for (i = 0; i < HTTP_GUESS_PEERS; i++) {
		g = &http.guesses[i];
		if (strcmp(g->peer, peer) == 0)
			return g;
		if (g->window < old->window)
			old = g;
	}
	if (!add)
		return NULL;
	memset(old, 0, sizeof(*old));
	snprintf(old->peer, sizeof(old->peer), "%s", peer);
	return old;
}

/*
 * A peer that sent HTTP_GUESS_MAX wrong tokens within HTTP_GUESS_SECS is
 * answered 429 without a look at its token until the window ends, so
 * guessing runs at a few a minute, not thousands a second.
 */
int
http_guessing(struct evhttp_request *req)
{
	struct http_guess	*g = http_guess(req, 0);
	char			 after[16];

	if (g == NULL || g->fails < HTTP_GUESS_MAX ||
	    time(NULL) - g->window >= HTTP_GUESS_SECS)
		return 0;
	snprintf(after, sizeof(after), "%lld", (long long)(HTTP_GUESS_SECS -
	    (time(NULL) - g->window)));
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Retry-After", after);
	http_error(req, 429, "too many wrong tokens; try again later");
	return 1;
}

/* Count a wrong token; log once when its peer reaches the limit. */
void
http_guess_failed(struct evhttp_request *req)
{
	struct http_guess	*g = http_guess(req, 1);
	time_t			 now = time(NULL);

	if (g == NULL)
		return;
	if (now - g->window >= HTTP_GUESS_SECS) {
		g->window = now;
		g->fails = 0;
	}
	if (++g->fails == HTTP_GUESS_MAX)
		log_warnx("http: %d wrong tokens from %s within %d s; "
		    "answering it 429 until the window ends", g->fails,
		    g->peer, HTTP_GUESS_SECS);
}

/* Every request: route, authenticate, check the method, dispatch. */
static void
http_on_request(struct evhttp_request *req, void *arg)
{
	const struct http_route	*r;
	const char		*path, *auth;
	enum evhttp_cmd_type	 cmd = evhttp_request_get_command(req);
	const struct http_listing *list;
	http_handler		 fn;
	int			 has_get;

	(void)arg;
	http_served(req);
	path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
	if (path == NULL)
		path = "/";
	for (r = http_routes; r->path != NULL; r++)
		if (strcmp(r->path, path) == 0 || (r->path[strlen(r->path) -
		    1] == '/' && strncmp(r->path, path, strlen(r->path)) == 0))
			break;
	if (r->path == NULL) {
		http_error(req, 404, "no such resource: %s", path);
		return;
	}
	auth = evhttp_find_header(evhttp_request_get_input_headers(req),
	    "Authorization");
	if ((r->auth == HTTP_AUTH_TOKEN || (r->auth == HTTP_AUTH_METRICS &&
	    http.conf->http.metrics_auth)) && http_guessing(req))
		return;
	if ((r->auth == HTTP_AUTH_TOKEN || (r->auth == HTTP_AUTH_METRICS &&
	    http.conf->http.metrics_auth)) &&
	    !http_token_ok(auth, http.conf->http.token)) {
		http_guess_failed(req);
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "WWW-Authenticate", "Bearer realm=\"kentongan\"");
		http_error(req, 401, auth == NULL ? "missing bearer token" :
		    "wrong bearer token");
		return;
	}
	fn = NULL;
	list = NULL;
	if (cmd == EVHTTP_REQ_GET || cmd == EVHTTP_REQ_HEAD) {
		fn = r->get;
		list = r->list;
	} else if (cmd == EVHTTP_REQ_POST)
		fn = r->post;
	if (fn == NULL && list == NULL) {
		has_get = r->get != NULL || r->list != NULL;
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Allow", !has_get ? "POST" : r->post == NULL ?
		    "GET, HEAD" : "GET, HEAD, POST");
		http_error(req, 405, "method not allowed");
		return;
	}
	log_debug("http: %s %s", cmd == EVHTTP_REQ_POST ? "POST" : "GET",
	    path);
	if (fn != NULL)
		fn(req);
	else
		http_listing_get(req, list);
}

/* Start listening when the configuration has an http group. */
int
http_init(struct event_base *base, struct store *s, const struct conf *conf)
{
	struct evhttp_bound_socket	*bound;
	char				 host[64];
	const char			*colon;
	size_t				 hl;
	int				 port;

	if (!conf->http.enabled)
		return 0;
	http.store = s;
	http.conf = conf;
	colon = strrchr(conf->http.listen, ':');
	hl = (size_t)(colon - conf->http.listen);
	if (hl >= sizeof(host))
		hl = sizeof(host) - 1;
	memcpy(host, conf->http.listen, hl);
	host[hl] = '\0';
	if (host[0] == '[' && hl > 2 && host[hl - 1] == ']') {
		memmove(host, host + 1, hl - 2);
		host[hl - 2] = '\0';
	}
	port = atoi(colon + 1);		/* checked by conf_parse_http */
	if ((http.http = evhttp_new(base)) == NULL ||
	    (http.ev_resume = evtimer_new(base, http_on_resume, NULL)) == NULL)
		fatalx("evhttp_new");
	http.base = base;
	LIST_INIT(&http.conns);
	http.maxconns = http_conn_cap(conf);
	evhttp_set_max_body_size(http.http, conf->http.max_body);
	evhttp_set_max_headers_size(http.http, HTTP_HEADERS_MAX);
	evhttp_set_timeout(http.http, conf->http.request_timeout);
	evhttp_set_bevcb(http.http, http_on_bev, NULL);
	evhttp_set_allowed_methods(http.http, EVHTTP_REQ_GET |
	    EVHTTP_REQ_HEAD | EVHTTP_REQ_POST | EVHTTP_REQ_PUT |
	    EVHTTP_REQ_DELETE | EVHTTP_REQ_PATCH | EVHTTP_REQ_OPTIONS);
	evhttp_set_gencb(http.http, http_on_request, NULL);
	if (http_tls_init(&conf->http) == -1) {
		evhttp_free(http.http);
		http.http = NULL;
		return -1;
	}
	if ((bound = evhttp_bind_socket_with_handle(http.http, host,
	    (ev_uint16_t)port)) == NULL) {
		log_warn("http: cannot listen on %s", conf->http.listen);
		evhttp_free(http.http);
		http.http = NULL;
		return -1;
	}
	http.listener = evhttp_bound_socket_get_listener(bound);
	evconnlistener_set_error_cb(http.listener, http_on_accept_error);
	log_info("http: listening on %s", conf->http.listen);
	return 0;
}

/* The server, for the adapters main.c adds to it (NULL when off). */
struct evhttp *
http_server(void)
{
	return http.http;
}

/* Close the listener and every connection. */
void
http_free(void)
{
	struct http_conn *c;

	/* evhttp_free closes the set-up connections (http_on_close). */
	http.listener = NULL;
	if (http.http != NULL)
		evhttp_free(http.http);
	/* Those left never met http_on_setup: http_conn_gone drops its ref. */
	while ((c = LIST_FIRST(&http.conns)) != NULL)
		http_conn_gone(c);
	http.http = NULL;
	http_tls_free();
	if (http.ev_resume != NULL)
		event_free(http.ev_resume);
	http.ev_resume = NULL;
}
