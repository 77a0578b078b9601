/*
 * The web console: staff log in, read and answer the inbox, watch the
 * modems.  Served by kentongand on the http listener under /console/.
 *
 * DESIGN: the pages are one small HTML file, one script and one style
 * sheet of our own, embedded at build time (and gzipped beside) and served
 * from memory; they talk to the JSON paths under /console/api/.  Each path
 * is an exact evhttp callback with the role it needs: a session cookie
 * (HttpOnly, SameSite=Strict, Path=/console) names the user; every POST
 * must also carry the session's CSRF token in X-CSRF-Token, a JSON body,
 * and, when the browser sends one, an Origin of this very host.  Roles are
 * checked here, on the server, for every path: a viewer reads, an operator
 * also answers, an admin also reads the audit log.  Writes go through the
 * owners of the tables (user.c, inbox.c, outbox.c) and are audited with
 * the user's name.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/queue.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "conf.h"
#include "console.h"
#include "http.h"
#include "http_tls.h"
#include "log.h"
#include "store.h"
#include "user.h"

#define CONSOLE_COOKIE		"kt_session"
#define CONSOLE_PUBLIC		-1	/* a route anyone may call */

/* The embedded web files (build/gen/web.c). */
extern const char *const console_web[];
extern const char *const console_web_files[];
extern const unsigned long console_web_sizes[];
extern const int console_web_count;

typedef void (*console_handler)(struct evhttp_request *,
    const struct user_session *);

/* A path: its method, the least role it needs, and what answers it. */
struct console_route {
	const char		*path;
	enum evhttp_cmd_type	 method;
	int			 role;		/* enum user_role or PUBLIC */
	console_handler		 fn;
};

static struct {
	struct store			*store;
	const struct conf		*conf;
	const struct console_live_hooks	*live;	/* NULL: no live streams */
} console;

static void	console_page(struct evhttp_request *,
		    const struct user_session *);
static void	console_login(struct evhttp_request *,
		    const struct user_session *);
static void	console_logout(struct evhttp_request *,
		    const struct user_session *);
static void	console_me(struct evhttp_request *,
		    const struct user_session *);
static void	console_events(struct evhttp_request *,
		    const struct user_session *);

static const struct console_route console_routes[] = {
	{ "/console/", EVHTTP_REQ_GET, CONSOLE_PUBLIC, console_page },
	{ "/console/app.js", EVHTTP_REQ_GET, CONSOLE_PUBLIC, console_page },
	{ "/console/app.css", EVHTTP_REQ_GET, CONSOLE_PUBLIC, console_page },
	{ "/console/api/login", EVHTTP_REQ_POST, CONSOLE_PUBLIC,
	    console_login },
	{ "/console/api/logout", EVHTTP_REQ_POST, USER_VIEWER,
	    console_logout },
	{ "/console/api/me", EVHTTP_REQ_GET, USER_VIEWER, console_me },
	{ "/console/api/events", EVHTTP_REQ_GET, USER_VIEWER,
	    console_events },
	{ "/console/api/dashboard", EVHTTP_REQ_GET, USER_VIEWER,
	    console_dashboard },
	{ "/console/api/conversations", EVHTTP_REQ_GET, USER_VIEWER,
	    console_conversations },
	{ "/console/api/thread", EVHTTP_REQ_GET, USER_VIEWER,
	    console_thread },
	{ "/console/api/reply", EVHTTP_REQ_POST, USER_OPERATOR,
	    console_reply },
	{ "/console/api/dismiss", EVHTTP_REQ_POST, USER_OPERATOR,
	    console_dismiss },
	{ "/console/api/simulate", EVHTTP_REQ_POST, USER_OPERATOR,
	    console_simulate },
	{ "/console/api/contacts", EVHTTP_REQ_GET, USER_VIEWER,
	    console_contacts },
	{ "/console/api/groups", EVHTTP_REQ_GET, USER_VIEWER, console_groups },
	{ "/console/api/contact", EVHTTP_REQ_POST, USER_ADMIN,
	    console_contact_save },
	{ "/console/api/contact/remove", EVHTTP_REQ_POST, USER_ADMIN,
	    console_contact_remove },
	{ "/console/api/contacts/import", EVHTTP_REQ_POST, USER_ADMIN,
	    console_contacts_import },
	{ "/console/api/contacts.csv", EVHTTP_REQ_GET, USER_ADMIN,
	    console_contacts_csv },
	{ "/console/api/group/join", EVHTTP_REQ_POST, USER_ADMIN,
	    console_group_join },
	{ "/console/api/group/leave", EVHTTP_REQ_POST, USER_ADMIN,
	    console_group_leave },
	{ "/console/api/broadcasts", EVHTTP_REQ_GET, USER_VIEWER,
	    console_broadcasts },
	{ "/console/api/broadcast/audience", EVHTTP_REQ_POST, USER_ADMIN,
	    console_bc_audience },
	{ "/console/api/broadcast", EVHTTP_REQ_POST, USER_ADMIN,
	    console_bc_send },
	{ "/console/api/broadcast/cancel", EVHTTP_REQ_POST, USER_ADMIN,
	    console_bc_cancel },
	{ "/console/api/broadcast/retry", EVHTTP_REQ_POST, USER_ADMIN,
	    console_bc_retry },
	{ "/console/api/event/list", EVHTTP_REQ_GET, USER_VIEWER,
	    console_ev_list },
	{ "/console/api/event", EVHTTP_REQ_GET, USER_VIEWER, console_ev_show },
	{ "/console/api/event.csv", EVHTTP_REQ_GET, USER_VIEWER,
	    console_ev_csv },
	{ "/console/api/event/save", EVHTTP_REQ_POST, USER_ADMIN,
	    console_ev_save },
	{ "/console/api/event/cancel", EVHTTP_REQ_POST, USER_ADMIN,
	    console_ev_cancel },
	{ "/console/api/event/close", EVHTTP_REQ_POST, USER_ADMIN,
	    console_ev_close },
	{ "/console/api/event/remind", EVHTTP_REQ_POST, USER_ADMIN,
	    console_ev_remind },
	{ "/console/api/prices", EVHTTP_REQ_GET, USER_VIEWER, console_prices },
	{ "/console/api/price/history", EVHTTP_REQ_GET, USER_VIEWER,
	    console_price_history },
	{ "/console/api/price/set", EVHTTP_REQ_POST, USER_ADMIN,
	    console_price_set },
	{ "/console/api/price/review", EVHTTP_REQ_POST, USER_ADMIN,
	    console_price_review },
	{ "/console/api/prices/import", EVHTTP_REQ_POST, USER_ADMIN,
	    console_prices_import },
	{ "/console/api/prices.csv", EVHTTP_REQ_GET, USER_VIEWER,
	    console_prices_csv },
	{ "/console/api/reporter", EVHTTP_REQ_POST, USER_ADMIN,
	    console_reporter_set },
	{ "/console/api/content", EVHTTP_REQ_GET, USER_VIEWER,
	    console_content },
	{ "/console/api/info/set", EVHTTP_REQ_POST, USER_ADMIN,
	    console_info_set },
	{ "/console/api/text/set", EVHTTP_REQ_POST, USER_ADMIN,
	    console_text_set },
	{ "/console/api/alias/add", EVHTTP_REQ_POST, USER_ADMIN,
	    console_alias_add },
	{ "/console/api/alias/remove", EVHTTP_REQ_POST, USER_ADMIN,
	    console_alias_remove },
	{ "/console/api/keyword/add", EVHTTP_REQ_POST, USER_ADMIN,
	    console_keyword_add },
	{ "/console/api/keyword/remove", EVHTTP_REQ_POST, USER_ADMIN,
	    console_keyword_remove },
	{ "/console/api/ussd/menu", EVHTTP_REQ_GET, USER_VIEWER,
	    console_ussd_menu },
	{ "/console/api/ussd/add", EVHTTP_REQ_POST, USER_ADMIN,
	    console_ussd_add },
	{ "/console/api/ussd/set", EVHTTP_REQ_POST, USER_ADMIN,
	    console_ussd_set },
	{ "/console/api/ussd/delete", EVHTTP_REQ_POST, USER_ADMIN,
	    console_ussd_delete },
	{ "/console/api/ussd/sim", EVHTTP_REQ_POST, USER_OPERATOR,
	    console_ussd_sim },
	{ "/console/api/polls", EVHTTP_REQ_GET, USER_VIEWER, console_polls },
	{ "/console/api/questions", EVHTTP_REQ_GET, USER_VIEWER,
	    console_questions },
	{ "/console/api/modems", EVHTTP_REQ_GET, USER_VIEWER, console_modems },
	{ "/console/api/settings", EVHTTP_REQ_GET, USER_ADMIN,
	    console_settings },
	{ "/console/api/audit", EVHTTP_REQ_GET, USER_ADMIN, console_audit },
	{ "/console/api/audit.csv", EVHTTP_REQ_GET, USER_ADMIN,
	    console_audit_csv },
	{ NULL, 0, 0, NULL }
};

/* The store, for console_*.c. */
struct store *
console_store(void)
{
	return console.store;
}

/* The configuration, for console_*.c. */
const struct conf *
console_conf(void)
{
	return console.conf;
}

/* Headers every answer carries: no framing, no sniffing, no referrer. */
static void
console_headers(struct evhttp_request *req, const char *type)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);

	evhttp_add_header(h, "Content-Type", type);
	evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
	evhttp_add_header(h, "X-Frame-Options", "DENY");
	evhttp_add_header(h, "Referrer-Policy", "no-referrer");
	evhttp_add_header(h, "Content-Security-Policy", "default-src 'self'; "
	    "img-src 'self' data:; frame-ancestors 'none'; form-action "
	    "'self'; base-uri 'none'");
}

/* Send a JSON document (reference stolen), never cached. */
void
console_json(struct evhttp_request *req, int code, json_t *doc)
{
	struct evbuffer	*b;
	char		*s;

	console_headers(req, "application/json; charset=utf-8");
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Cache-Control", "no-store");
	if ((b = evbuffer_new()) == NULL)
		fatalx("evbuffer_new");
	if (doc != NULL && (s = json_dumps(doc, JSON_COMPACT)) != NULL) {
		evbuffer_add(b, s, strlen(s));
		free(s);
	}
	json_decref(doc);
	evhttp_send_reply(req, code, NULL, b);
	evbuffer_free(b);
}

/* Send {"error": msg}; msg is ours, never the caller's input. */
void
console_error(struct evhttp_request *req, int code, const char *msg)
{
	console_json(req, code, json_pack("{s:s}", "error", msg));
}

/* Parse a JSON object body; NULL after a 400 when it is not one. */
json_t *
console_body(struct evhttp_request *req)
{
	struct evbuffer	*in = evhttp_request_get_input_buffer(req);
	size_t		 len = evbuffer_get_length(in);
	json_t		*doc = NULL;

	if (len > 0)
		doc = json_loadb((const char *)evbuffer_pullup(in, -1), len,
		    JSON_REJECT_DUPLICATES, NULL);
	if (doc == NULL || !json_is_object(doc)) {
		json_decref(doc);
		console_error(req, 400, "expected a JSON object");
		return NULL;
	}
	return doc;
}

/* A query-string argument copied into buf; NULL when absent or too long. */
const char *
console_arg(struct evhttp_request *req, const char *key, char *buf,
    size_t len)
{
	const char	*q, *v;
	struct evkeyvalq args;
	int		 ok = 0;

	q = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(req));
	TAILQ_INIT(&args);
	if (q != NULL && evhttp_parse_query_str(q, &args) == 0 &&
	    (v = evhttp_find_header(&args, key)) != NULL &&
	    strlen(v) < len) {
		snprintf(buf, len, "%s", v);
		ok = 1;
	}
	evhttp_clear_headers(&args);
	return ok ? buf : NULL;
}

/* Open a write transaction, or answer 503; -1 when it could not. */
int
console_begin(struct evhttp_request *req)
{
	if (store_in_tx(console.store) || store_begin(console.store) == -1) {
		console_error(req, 503, "database busy, try again");
		return -1;
	}
	return 0;
}

/* Messages waiting for a person: the count every page shows. */
int
console_needs_count(void)
{
	static const char sql[] = "SELECT count(*) FROM inbox WHERE "
	    "needs_person = 1";
	sqlite3_stmt	*st;
	int		 n = -1;

	if ((st = store_stmt(console.store, sql)) == NULL)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return n;
}

/* A text column as JSON ("" for NULL). */
json_t *
console_col(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	return json_string(t != NULL ? (const char *)t : "");
}

/* An integer column as JSON, null for NULL. */
json_t *
console_col_int(sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return json_null();
	return json_integer((json_int_t)sqlite3_column_int64(st, col));
}

/*
 * Every row of a prepared (and bound) statement as a JSON array, one
 * row(st) each; the statement is reset.  NULL when a step failed.
 */
json_t *
console_rows(sqlite3_stmt *st, json_t *(*row)(sqlite3_stmt *))
{
	json_t	*a = json_array();
	int	 rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(a, row(st));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(a);
		return NULL;
	}
	return a;
}

/* The index of an embedded file by name; -1 when there is none. */
static int
console_web_find(const char *name)
{
	int i;

	for (i = 0; i < console_web_count; i++)
		if (strcmp(console_web_files[i], name) == 0)
			return i;
	return -1;
}

/* Tell whether the browser takes gzip (Accept-Encoding). */
static int
console_takes_gzip(struct evhttp_request *req)
{
	const char *ae = evhttp_find_header(evhttp_request_get_input_headers(
	    req), "Accept-Encoding");

	return ae != NULL && strstr(ae, "gzip") != NULL;
}

/* GET /console/, app.js, app.css: an embedded file, gzipped if taken. */
static void
console_page(struct evhttp_request *req, const struct user_session *u)
{
	const char	*path, *name, *type;
	char		 gz[64];
	int		 i, g = -1;

	(void)u;
	path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
	name = strcmp(path, "/console/") == 0 ? "index.html" : path + 9;
	if ((i = console_web_find(name)) == -1) {
		console_error(req, 404, "no such page");
		return;
	}
	snprintf(gz, sizeof(gz), "%s.gz", name);
	if (console_takes_gzip(req))
		g = console_web_find(gz);
	type = strstr(name, ".js") ? "text/javascript; charset=utf-8" :
	    strstr(name, ".css") ? "text/css; charset=utf-8" :
	    "text/html; charset=utf-8";
	console_headers(req, type);
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Cache-Control", "no-cache");
	evhttp_add_header(evhttp_request_get_output_headers(req), "Vary",
	    "Accept-Encoding");
	if (g != -1) {
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Content-Encoding", "gzip");
		i = g;
	}
	evbuffer_add_reference(evhttp_request_get_output_buffer(req),
	    console_web[i], console_web_sizes[i], NULL, NULL);
	evhttp_send_reply(req, 200, "OK", NULL);
}

/* The session token from the Cookie header into tok; 0, or -1 if none. */
static int
console_cookie(struct evhttp_request *req, char tok[USER_TOKEN_HEX])
{
	const char	*c, *p;
	size_t		 n;

	c = evhttp_find_header(evhttp_request_get_input_headers(req),
	    "Cookie");
	for (p = c; p != NULL && (p = strstr(p, CONSOLE_COOKIE "=")) != NULL;
	    p++) {
		if (p != c && p[-1] != ' ' && p[-1] != ';')
			continue;
		p += strlen(CONSOLE_COOKIE "=");
		n = strcspn(p, "; ");
		if (n != USER_TOKEN_HEX - 1)
			return -1;
		memcpy(tok, p, n);
		tok[n] = '\0';
		return 0;
	}
	return -1;
}

/* The peer's address, for the lock-out and the log. */
static void
console_peer(struct evhttp_request *req, char *buf, size_t len)
{
	struct evhttp_connection	*evcon;
	char				*addr = NULL;
	ev_uint16_t			 port;

	if ((evcon = evhttp_request_get_connection(req)) != NULL)
		evhttp_connection_get_peer(evcon, &addr, &port);
	snprintf(buf, len, "%s", addr != NULL ? addr : "?");
}

/*
 * A POST from another site is refused: it must be JSON (a form cannot
 * send that without asking first) and, when the browser names its Origin,
 * come from this very host.
 */
static int
console_same_site(struct evhttp_request *req)
{
	struct evkeyvalq	*h = evhttp_request_get_input_headers(req);
	const char		*ct, *origin, *host, *o;

	ct = evhttp_find_header(h, "Content-Type");
	if (ct == NULL || strncasecmp(ct, "application/json", 16) != 0)
		return 0;
	if ((origin = evhttp_find_header(h, "Origin")) == NULL)
		return 1;
	host = evhttp_find_header(h, "Host");
	if (host == NULL || (o = strstr(origin, "://")) == NULL)
		return 0;
	return strcmp(o + 3, host) == 0;
}

/* Set (token) or clear (NULL) the session cookie; Secure under TLS. */
static void
console_set_cookie(struct evhttp_request *req, const char *token)
{
	char c[200];

	snprintf(c, sizeof(c), CONSOLE_COOKIE "=%s; Path=/console; HttpOnly; "
	    "SameSite=Strict%s%s", token != NULL ? token : "", token != NULL ?
	    "" : "; Max-Age=0", http_tls_on() ? "; Secure" : "");
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Set-Cookie", c);
}

/* The user as the client sees it: name, role, CSRF token, queue count. */
static json_t *
console_me_json(const struct user_session *u)
{
	return json_pack("{s:s, s:s, s:s, s:i, s:i}", "name", u->name, "role",
	    user_role_name(u->role), "csrf", u->csrf, "needs",
	    console_needs_count(), "idle", USER_IDLE_SECS);
}

/* Log a refused login once, with what the client typed escaped. */
static void
console_login_failed(const char *name, const char *addr, int locked)
{
	char en[80], ea[80];

	user_escape(name, en, sizeof(en));
	user_escape(addr, ea, sizeof(ea));
	log_warnx("console: login %s for \"%s\" from %s", locked ?
	    "refused (locked out)" : "failed", en, ea);
}

/* POST /console/api/login {name, password}: open a session. */
static void
console_login(struct evhttp_request *req, const struct user_session *none)
{
	struct user_session	 u;
	enum user_login		 r;
	const char		*name, *pw;
	char			 tok[USER_TOKEN_HEX], addr[64];
	json_t			*doc;

	(void)none;
	if ((doc = console_body(req)) == NULL)
		return;
	name = json_string_value(json_object_get(doc, "name"));
	pw = json_string_value(json_object_get(doc, "password"));
	if (name == NULL || pw == NULL || strlen(name) >= USER_NAME_MAX ||
	    strlen(pw) > USER_PASSWORD_MAX) {
		json_decref(doc);
		console_error(req, 400, "expected {\"name\", \"password\"}");
		return;
	}
	console_peer(req, addr, sizeof(addr));
	if (console_begin(req) == -1) {
		json_decref(doc);
		return;
	}
	r = user_login(console.store, name, pw, addr, tok, &u);
	if (r == USER_LOGIN_ERROR || (r == USER_LOGIN_OK && store_audit(
	    console.store, u.name, "console login", addr) == -1)) {
		store_rollback(console.store);
		console_error(req, 500, "cannot log in now");
	} else if (store_commit(console.store) == -1)
		console_error(req, 500, "cannot log in now");
	else if (r == USER_LOGIN_OK) {
		log_info("console: %s logged in from %s", u.name, addr);
		console_set_cookie(req, tok);
		console_json(req, 200, console_me_json(&u));
	} else {
		console_login_failed(name, addr, r == USER_LOGIN_LOCKED);
		console_error(req, r == USER_LOGIN_LOCKED ? 429 : 401,
		    r == USER_LOGIN_LOCKED ? "locked" : "bad login");
	}
	explicit_bzero(tok, sizeof(tok));
	json_decref(doc);
}

/* POST /console/api/logout: end this session and its live streams. */
static void
console_logout(struct evhttp_request *req, const struct user_session *u)
{
	char tok[USER_TOKEN_HEX];

	if (console_cookie(req, tok) == 0) {
		if (console.live != NULL)
			console.live->logout(tok);
		if (user_logout(console.store, tok) == -1) {
			console_error(req, 500, "cannot log out now");
			return;
		}
	}
	log_info("console: %s logged out", u->name);
	console_set_cookie(req, NULL);
	console_json(req, 200, json_pack("{s:b}", "ok", 1));
}

/* GET /console/api/me: who is logged in (401 when nobody). */
static void
console_me(struct evhttp_request *req, const struct user_session *u)
{
	console_json(req, 200, console_me_json(u));
}

/* GET /console/api/events: the live stream of this session. */
static void
console_events(struct evhttp_request *req, const struct user_session *u)
{
	char tok[USER_TOKEN_HEX];

	if (console_cookie(req, tok) == -1) {
		console_error(req, 401, "not logged in");
		return;
	}
	if (console.live == NULL) {
		console_error(req, 503, "no live updates");
		return;
	}
	console.live->open(req, u, tok);
}

/*
 * Check who calls a route and how: the session, the role, and for a POST
 * the same-site rules and the CSRF token.  0 with u filled, or -1 after
 * an answer (401, 403 or 500).
 */
static int
console_check(struct evhttp_request *req, const struct console_route *r,
    struct user_session *u)
{
	const char	*csrf;
	char		 tok[USER_TOKEN_HEX];
	int		 rc;

	memset(u, 0, sizeof(*u));
	if (r->method == EVHTTP_REQ_POST && !console_same_site(req)) {
		console_error(req, 403, "cross-site request refused");
		return -1;
	}
	if (r->role == CONSOLE_PUBLIC)
		return 0;
	if (console_cookie(req, tok) == -1 ||
	    (rc = user_session_get(console.store, tok, u)) == 0) {
		console_error(req, 401, "not logged in");
		return -1;
	}
	if (rc == -1) {
		console_error(req, 500, "cannot read sessions");
		return -1;
	}
	csrf = evhttp_find_header(evhttp_request_get_input_headers(req),
	    "X-CSRF-Token");
	if (r->method == EVHTTP_REQ_POST &&
	    (csrf == NULL || !user_secret_eq(csrf, u->csrf))) {
		console_error(req, 403, "missing or wrong CSRF token");
		return -1;
	}
	if ((int)u->role < r->role) {
		log_warnx("console: %s (%s) refused %s", u->name,
		    user_role_name(u->role), r->path);
		console_error(req, 403, "your role may not do this");
		return -1;
	}
	return 0;
}

/* Every console request: the method, then who calls, then the handler. */
static void
console_on_request(struct evhttp_request *req, void *arg)
{
	const struct console_route	*r = arg;
	struct user_session		 u;
	enum evhttp_cmd_type		 cmd = evhttp_request_get_command(req);

	http_served(req);	/* the connection's next request has its time */
	if (cmd != r->method && !(cmd == EVHTTP_REQ_HEAD &&
	    r->method == EVHTTP_REQ_GET)) {
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Allow", r->method == EVHTTP_REQ_POST ? "POST" :
		    "GET, HEAD");
		console_error(req, 405, "method not allowed");
		return;
	}
	if (console_check(req, r, &u) == -1)
		return;
	r->fn(req, &u);
	explicit_bzero(&u, sizeof(u));
}

/* GET /console: to /console/, where the page is. */
static void
console_on_root(struct evhttp_request *req, void *arg)
{
	(void)arg;
	evhttp_add_header(evhttp_request_get_output_headers(req), "Location",
	    "/console/");
	evhttp_send_reply(req, 302, "Found", NULL);
}

/* Serve the console on the http listener (none when http is off). */
int
console_init(struct evhttp *http, struct store *s,
    const struct conf *conf)
{
	const struct console_route *r;

	if (http == NULL)
		return 0;
	console.store = s;
	console.conf = conf;
	for (r = console_routes; r->path != NULL; r++)
		if (evhttp_set_cb(http, r->path, console_on_request,
		    (void *)(uintptr_t)r) != 0)
			return -1;
	if (evhttp_set_cb(http, "/console", console_on_root, NULL) != 0)
		return -1;
	return 0;
}

/* Take the live streams' functions (see struct console_live_hooks). */
void
console_set_live(const struct console_live_hooks *h)
{
	console.live = h;
}

/* Forget what console_init set up (the routes go with the server). */
void
console_free(void)
{
	console.live = NULL;
}
