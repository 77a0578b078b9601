/*
 * USSD adapters: aggregators' HTTP callbacks turned into ussd_handle().
 *
 * DESIGN: an aggregator calls us once per step of a USSD session.  Each
 * adapter only translates its wire format into a struct ussd_req and the
 * engine's reply back; the menu engine (ussd.c) knows nothing of HTTP.
 *  - form (the widespread convention): POST form fields sessionId,
 *    serviceCode, phoneNumber and text, the answers so far joined by '*'
 *    (empty when just dialled); the reply is text/plain "CON ..." to go
 *    on or "END ..." to close.
 *  - json: POST {"sessionId", "phoneNumber", "serviceCode", and either
 *    "text" as above or "input" (the latest answer only; "new": true on
 *    the first request)}; the reply is {"sessionId", "message",
 *    "continue": true|false}.
 * Both sit behind the same optional token (Authorization: Bearer, or
 * ?token= for aggregators that can only configure a URL) and IP
 * allow-list.  Nothing here blocks: one short transaction per request.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <jansson.h>

#include "conf.h"
#include "http.h"
#include "log.h"
#include "metrics.h"
#include "store.h"
#include "ussd.h"
#include "ussd_http.h"

#define USSD_HTTP_TEXT_MAX	512	/* bytes of the joined answers */

static struct {
	struct store		*store;
	const struct conf	*conf;
} ussd_http;

static void	ussd_http_form_step(struct evhttp_request *);
static void	ussd_http_json_step(struct evhttp_request *);

/* Send a reply with a content type and a body. */
static void
ussd_http_send(struct evhttp_request *req, int code, const char *type,
    const char *body)
{
	struct evbuffer *b;

	metrics_http_count(code);
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", type);
	if ((b = evbuffer_new()) == NULL)
		fatalx("evbuffer_new");
	evbuffer_add(b, body, strlen(body));
	evhttp_send_reply(req, code, NULL, b);
	evbuffer_free(b);
}

/* Refuse a request in plain text (the form adapter's way). */
static void
ussd_http_refuse(struct evhttp_request *req, int code, const char *why)
{
	char body[256];

	snprintf(body, sizeof(body), "%s\n", why);
	ussd_http_send(req, code, "text/plain; charset=utf-8", body);
}

/* Tell whether the first bits of two addresses agree. */
static int
ussd_http_prefix(const unsigned char *a, const unsigned char *b, int bits)
{
	int		full = bits / 8, rest = bits % 8;
	unsigned char	mask;

	if (memcmp(a, b, (size_t)full) != 0)
		return 0;
	if (rest == 0)
		return 1;
	mask = (unsigned char)(0xFF << (8 - rest));
	return (a[full] & mask) == (b[full] & mask);
}

/* Tell whether the peer's address is in the allow-list (or there is none). */
static int
ussd_http_allowed(struct evhttp_request *req)
{
	static const unsigned char v4mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0,
	    0, 0, 0xFF, 0xFF };
	const struct conf_ussd	*u = &ussd_http.conf->ussd;
	struct evhttp_connection *conn;
	unsigned char		 addr[16];
	char			*peer = NULL;
	ev_uint16_t		 port;
	int			 family, i;

	if (u->nallow == 0)
		return 1;
	if ((conn = evhttp_request_get_connection(req)) == NULL)
		return 0;
	evhttp_connection_get_peer(conn, &peer, &port);
	if (peer == NULL)
		return 0;
	if (inet_pton(AF_INET, peer, addr) == 1)
		family = AF_INET;
	else if (inet_pton(AF_INET6, peer, addr) == 1) {
		family = AF_INET6;
		if (memcmp(addr, v4mapped, sizeof(v4mapped)) == 0) {
			memmove(addr, addr + 12, 4);
			family = AF_INET;
		}
	} else
		return 0;
	for (i = 0; i < u->nallow; i++)
		if (u->allow[i].family == family &&
		    ussd_http_prefix(addr, u->allow[i].addr, u->allow[i].bits))
			return 1;
	log_info("ussd: refused a request from %s (not in allow)", peer);
	return 0;
}

/* Compare a token in constant time; 1 when equal. */
static int
ussd_http_token_eq(const char *got, const char *want)
{
	size_t		gl = strlen(got), wl = strlen(want), i;
	unsigned char	diff = gl != wl;

	for (i = 0; i < wl; i++)
		diff |= (unsigned char)(got[i < gl ? i : 0] ^ want[i]);
	return diff == 0 && wl > 0;
}

/*
 * Tell whether the request carries the token, when one is configured: as
 * a bearer header, or in the URL only with allow_query_token.
 */
static int
ussd_http_token(struct evhttp_request *req)
{
	const char	*token = ussd_http.conf->ussd.token, *q, *v;
	struct evkeyvalq args;
	int		 ok;

	if (token[0] == '\0')
		return 1;
	if (http_token_ok(evhttp_find_header(evhttp_request_get_input_headers(
	    req), "Authorization"), token))
		return 1;
	if (!ussd_http.conf->ussd.allow_query_token)
		return 0;	/* a URL ends up in proxies' and servers' logs */
	q = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(req));
	TAILQ_INIT(&args);
	if (q == NULL || evhttp_parse_query_str(q, &args) == -1) {
		evhttp_clear_headers(&args);
		return 0;
	}
	v = evhttp_find_header(&args, "token");
	ok = v != NULL && ussd_http_token_eq(v, token);
	evhttp_clear_headers(&args);
	return ok;
}

/* Method, address and token checks common to both adapters; 0 to go on. */
static int
ussd_http_gate(struct evhttp_request *req)
{
	http_served(req);
	if (!ussd_http_allowed(req)) {
		ussd_http_refuse(req, 403, "forbidden");
		return -1;
	}
	if (http_guessing(req))
		return -1;
	if (!ussd_http_token(req)) {
		http_guess_failed(req);
		ussd_http_refuse(req, 401, "missing or wrong token");
		return -1;
	}
	if (evhttp_request_get_command(req) != EVHTTP_REQ_POST) {
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Allow", "POST");
		ussd_http_refuse(req, 405, "method not allowed: POST");
		return -1;
	}
	if (store_in_tx(ussd_http.store)) {
		ussd_http_refuse(req, 503, "busy");
		return -1;
	}
	return 0;
}

/* Copy the request body as a NUL-terminated string; NULL when too big. */
static char *
ussd_http_body(struct evhttp_request *req)
{
	struct evbuffer	*in = evhttp_request_get_input_buffer(req);
	size_t		 len = evbuffer_get_length(in);
	char		*s;

	if ((s = malloc(len + 1)) == NULL)
		fatalx("out of memory");
	evbuffer_copyout(in, s, len);
	s[len] = '\0';
	if (strlen(s) != len) {		/* a NUL inside: not a form */
		free(s);
		return NULL;
	}
	return s;
}

/*
 * Check the fields every adapter needs.  Return NULL when they are fine,
 * else what is wrong.
 */
static const char *
ussd_http_check(const char *sid, const char *phone, const char *text)
{
	const char *p;

	if (sid == NULL || sid[0] == '\0')
		return "sessionId is missing";
	if (strlen(sid) >= USSD_SESSION_MAX)
		return "sessionId is too long";
	for (p = sid; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7F)
			return "sessionId has control characters";
	if (phone == NULL || phone[0] == '\0')
		return "phoneNumber is missing";
	if (text != NULL && strlen(text) > USSD_HTTP_TEXT_MAX)
		return "text is too long";
	return NULL;
}

/* Split the joined answers: how many there are and the latest one. */
static int
ussd_http_steps(const char *text, const char **last)
{
	const char	*p;
	int		 n = 1;

	if (text == NULL || text[0] == '\0') {
		*last = "";
		return 0;
	}
	*last = text;
	for (p = text; *p != '\0'; p++)
		if (*p == '*') {
			n++;
			*last = p + 1;
		}
	return n;
}

/* Log a request that the engine could not serve well. */
static void
ussd_http_log(int rc, const struct ussd_req *rq)
{
	if (rc == USSD_ERR_PHONE)
		log_info("ussd: session %s: \"%s\" is not a phone number",
		    rq->session_id, rq->phone);
}

/* POST /ussd: the form adapter. */
static void
ussd_http_form(struct evhttp_request *req, void *arg)
{
	(void)arg;
	if (ussd_http_gate(req) == -1)
		return;
	ussd_http_form_step(req);
}

/* Serve one step of a session from a form body (past the gate). */
static void
ussd_http_form_step(struct evhttp_request *req)
{
	struct evkeyvalq	 f;
	struct ussd_req		 rq;
	struct ussd_reply	 r;
	const char		*why, *text;
	char			*body, out[USSD_REPLY_MAX + 8];
	int			 rc;

	if ((body = ussd_http_body(req)) == NULL) {
		ussd_http_refuse(req, 400, "expected a form body");
		return;
	}
	TAILQ_INIT(&f);
	if (evhttp_parse_query_str(body, &f) == -1) {
		free(body);
		evhttp_clear_headers(&f);
		ussd_http_refuse(req, 400, "expected a form body "
		    "(application/x-www-form-urlencoded)");
		return;
	}
	free(body);
	memset(&rq, 0, sizeof(rq));
	rq.session_id = evhttp_find_header(&f, "sessionId");
	rq.phone = evhttp_find_header(&f, "phoneNumber");
	rq.service_code = evhttp_find_header(&f, "serviceCode");
	text = evhttp_find_header(&f, "text");
	if ((why = ussd_http_check(rq.session_id, rq.phone, text)) != NULL) {
		ussd_http_refuse(req, 400, why);
		evhttp_clear_headers(&f);
		return;
	}
	rq.steps = ussd_http_steps(text, &rq.input);
	rc = ussd_handle(ussd_http.store, ussd_http.conf, &rq, &r);
	ussd_http_log(rc, &rq);
	evhttp_clear_headers(&f);
	if (rc == USSD_ERR_PHONE) {
		ussd_http_refuse(req, 400, "phoneNumber is not a phone number");
		return;
	}
	snprintf(out, sizeof(out), "%s %s", r.end ? "END" : "CON", r.text);
	ussd_http_send(req, 200, "text/plain; charset=utf-8", out);
}

/* Refuse a JSON request with {"error": why}. */
static void
ussd_http_json_refuse(struct evhttp_request *req, int code, const char *why)
{
	json_t	*doc = json_pack("{s:s}", "error", why);
	char	*s;

	if (doc == NULL || (s = json_dumps(doc, JSON_COMPACT)) == NULL)
		fatalx("out of memory");
	ussd_http_send(req, code, "application/json; charset=utf-8", s);
	free(s);
	json_decref(doc);
}

/* A string member, or NULL; *bad set when present but not a string. */
static const char *
ussd_http_json_str(json_t *doc, const char *key, int *bad)
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

/* Fill a request from a JSON body; NULL when fine, else what is wrong. */
static const char *
ussd_http_json_req(json_t *doc, struct ussd_req *rq)
{
	const char	*text, *why;
	json_t		*isnew;
	int		 bad = 0;

	rq->session_id = ussd_http_json_str(doc, "sessionId", &bad);
	rq->phone = ussd_http_json_str(doc, "phoneNumber", &bad);
	rq->service_code = ussd_http_json_str(doc, "serviceCode", &bad);
	text = ussd_http_json_str(doc, "text", &bad);
	rq->input = ussd_http_json_str(doc, "input", &bad);
	isnew = json_object_get(doc, "new");
	if (bad || (isnew != NULL && !json_is_boolean(isnew)))
		return "sessionId, phoneNumber, serviceCode, text and input "
		    "are strings, new is true or false";
	if ((why = ussd_http_check(rq->session_id, rq->phone, text ? text :
	    rq->input)) != NULL)
		return why;
	if (text != NULL && rq->input != NULL)
		return "send text (all answers) or input (the latest), not both";
	if (text != NULL)
		rq->steps = ussd_http_steps(text, &rq->input);
	else if (json_is_true(isnew) || rq->input == NULL)
		rq->steps = 0;
	else
		rq->steps = -1;
	return NULL;
}

/* POST /ussd/json: the JSON adapter. */
static void
ussd_http_json(struct evhttp_request *req, void *arg)
{
	(void)arg;
	if (ussd_http_gate(req) == -1)
		return;
	ussd_http_json_step(req);
}

/* Serve one step of a session from a JSON body (past the gate). */
static void
ussd_http_json_step(struct evhttp_request *req)
{
	struct ussd_req		 rq;
	struct ussd_reply	 r;
	json_error_t		 jerr;
	json_t			*doc = NULL, *out;
	const char		*why;
	char			*body, *s;
	int			 rc;

	if ((body = ussd_http_body(req)) == NULL ||
	    (doc = json_loads(body, JSON_REJECT_DUPLICATES, &jerr)) == NULL ||
	    !json_is_object(doc)) {
		if (body != NULL && doc != NULL)
			json_decref(doc);
		free(body);
		ussd_http_json_refuse(req, 400, "expected a JSON object");
		return;
	}
	free(body);
	memset(&rq, 0, sizeof(rq));
	if ((why = ussd_http_json_req(doc, &rq)) != NULL) {
		ussd_http_json_refuse(req, 400, why);
		json_decref(doc);
		return;
	}
	rc = ussd_handle(ussd_http.store, ussd_http.conf, &rq, &r);
	ussd_http_log(rc, &rq);
	if (rc == USSD_ERR_PHONE) {
		json_decref(doc);
		ussd_http_json_refuse(req, 400, "phoneNumber is not a phone "
		    "number");
		return;
	}
	out = json_pack("{s:s, s:s, s:b}", "sessionId", rq.session_id,
	    "message", r.text, "continue", !r.end);
	json_decref(doc);
	if (out == NULL || (s = json_dumps(out, JSON_COMPACT)) == NULL)
		fatalx("out of memory");
	ussd_http_send(req, 200, "application/json; charset=utf-8", s);
	free(s);
	json_decref(out);
}

/* Register both adapters on the HTTP server when ussd is configured. */
int
ussd_http_init(struct evhttp *http, struct store *s, const struct conf *conf)
{
	if (!conf->ussd.enabled)
		return 0;
	if (http == NULL) {
		log_warnx("ussd: the callbacks need the http listener");
		return -1;
	}
	ussd_http.store = s;
	ussd_http.conf = conf;
	if (evhttp_set_cb(http, conf->ussd.path, ussd_http_form, NULL) != 0 ||
	    evhttp_set_cb(http, conf->ussd.json_path, ussd_http_json,
	    NULL) != 0) {
		log_warnx("ussd: cannot serve %s and %s", conf->ussd.path,
		    conf->ussd.json_path);
		return -1;
	}
	log_info("ussd: serving %s (form) and %s (json)%s", conf->ussd.path,
	    conf->ussd.json_path, conf->ussd.nallow ? ", allow-list on" : "");
	return 0;
}
