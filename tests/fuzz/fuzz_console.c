/*
 * Fuzz the web console's request checks and its JSON handlers.
 * daemon/console.c is compiled into this file so that its functions can
 * be called with a request that has no connection; evhttp_send_reply is
 * replaced to catch the reply.  The first input byte picks what runs:
 *   0: console_check for POST /console/api/reply, with the rest as header
 *      lines "Name: value" in which @TOK@ and @CSRF@ stand for a real
 *      session's cookie token and CSRF token.  It may let the request
 *      through only when both are there, and otherwise answers it once.
 *   1 and on: a handler with a JSON body (reply, dismiss, simulate, then
 *      part 2's contact, CSV upload, broadcast audience and send, event,
 *      cancellation, price, review, info, text, alias, USSD node and
 *      simulator) with the rest as the body, as a logged-in admin:
 *      exactly one reply, never a 5xx but 503, and a JSON body.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <jansson.h>

#include "fuzz.h"

void	fuzz_send_reply(struct evhttp_request *, int, const char *,
	    struct evbuffer *);

#define evhttp_send_reply fuzz_send_reply
#include "console.c"
#undef evhttp_send_reply

#define FUZZ_RESET_EVERY	256
#define FUZZ_HEADERS_MAX	8

static int	fuzz_replies;
static int	fuzz_code;

/* http.c is not linked: a request here has no connection to re-arm. */
void
http_served(struct evhttp_request *req)
{
	(void)req;
}

/* Nor a live stream to keep. */
int
http_stream(struct evhttp_request *req, void (*closed)(void *), void *arg)
{
	(void)req;
	(void)closed;
	(void)arg;
	return -1;
}

/* Take the place of evhttp_send_reply: check the reply, free the request. */
void
fuzz_send_reply(struct evhttp_request *req, int code, const char *reason,
    struct evbuffer *body)
{
	struct evbuffer	*b = body != NULL ? body :
			    evhttp_request_get_output_buffer(req);
	json_t		*doc;

	(void)reason;
	fuzz_replies++;
	fuzz_code = code;
	doc = json_loadb((const char *)evbuffer_pullup(b, -1),
	    evbuffer_get_length(b), 0, NULL);
	if (doc == NULL)
		fuzz_fail("console: reply body is not JSON");
	json_decref(doc);
}

/* Replace every @TOK@ and @CSRF@ in s with the session's real tokens. */
static char *
fuzz_console_expand(const char *s, const char *tok, const char *csrf)
{
	size_t	 n = strlen(s) * 20 + 1, o = 0;
	char	*out = malloc(n);

	if (out == NULL)
		fuzz_fail("malloc");
	while (*s != '\0') {
		if (strncmp(s, "@TOK@", 5) == 0) {
			o += (size_t)snprintf(out + o, n - o, "%s", tok);
			s += 5;
		} else if (strncmp(s, "@CSRF@", 6) == 0) {
			o += (size_t)snprintf(out + o, n - o, "%s", csrf);
			s += 6;
		} else
			out[o++] = *s++;
	}
	out[o] = '\0';
	return out;
}

/* Add "Name: value" lines of text as request headers. */
static void
fuzz_console_headers(struct evhttp_request *req, char *text)
{
	char	*line, *colon, *save = NULL;
	int	 n = 0;

	for (line = strtok_r(text, "\n", &save); line != NULL &&
	    n < FUZZ_HEADERS_MAX; line = strtok_r(NULL, "\n", &save), n++) {
		if ((colon = strchr(line, ':')) == NULL)
			continue;
		*colon++ = '\0';
		while (*colon == ' ')
			colon++;
		evhttp_add_header(evhttp_request_get_input_headers(req), line,
		    colon);
	}
}

/* The session checks on a forged or real POST. */
static void
fuzz_console_check(struct evhttp_request *req, const uint8_t *data,
    size_t size, const char *tok, const char *csrf)
{
	static const struct console_route route = { "/console/api/reply",
	    EVHTTP_REQ_POST, USER_OPERATOR, console_reply };
	struct user_session	 u;
	char			*raw, *text;
	const char		*cookie, *x;
	int			 rc;

	raw = fuzz_cstr(data, size);
	text = fuzz_console_expand(raw, tok, csrf);
	fuzz_console_headers(req, text);
	rc = console_check(req, &route, &u);
	cookie = evhttp_find_header(evhttp_request_get_input_headers(req),
	    "Cookie");
	x = evhttp_find_header(evhttp_request_get_input_headers(req),
	    "X-CSRF-Token");
	if (rc == 0 && (cookie == NULL || strstr(cookie, tok) == NULL ||
	    x == NULL || strcmp(x, csrf) != 0))
		fuzz_fail("console_check: let through a request without the "
		    "session's cookie and CSRF token");
	if (rc == 0 && fuzz_replies != 0)
		fuzz_fail("console_check: answered a request it let through");
	if (rc == -1 && fuzz_replies != 1)
		fuzz_fail("console_check: a refusal without exactly one reply");
	free(text);
	free(raw);
}

/* libFuzzer entry point: run one input, abort on a broken invariant. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const console_handler handlers[] = { console_reply,
	    console_dismiss, console_simulate, console_contact_save,
	    console_contacts_import, console_bc_audience, console_bc_send,
	    console_ev_save, console_ev_cancel, console_price_set,
	    console_price_review, console_info_set, console_text_set,
	    console_alias_add, console_ussd_add, console_ussd_set,
	    console_ussd_sim };
	const size_t			 n = 1 + sizeof(handlers) /
					    sizeof(handlers[0]);
	static struct store		*s;
	static struct conf		 conf;
	static struct user_session	 admin;
	static char			 tok[USER_TOKEN_HEX];
	static unsigned			 runs;
	struct evhttp_request		*req;

	if (size < 1)
		return 0;
	if (s == NULL) {
		s = fuzz_store("console");
		fuzz_conf(&conf);
		console.store = s;
		console.conf = &conf;
		if (store_begin(s) == -1 || user_add(s, "fuzz", USER_ADMIN,
		    "fuzz-password") == -1 || user_login(s, "fuzz",
		    "fuzz-password", "?", tok, &admin) != USER_LOGIN_OK ||
		    store_commit(s) == -1)
			fuzz_fail("cannot open a console session");
	}
	if ((req = evhttp_request_new(NULL, NULL)) == NULL)
		fuzz_fail("evhttp_request_new");
	fuzz_replies = 0;
	if (data[0] % n == 0)
		fuzz_console_check(req, data + 1, size - 1, tok, admin.csrf);
	else {
		evbuffer_add(evhttp_request_get_input_buffer(req), data + 1,
		    size - 1);
		handlers[data[0] % n - 1](req, &admin);
		if (fuzz_replies != 1)
			fuzz_fail("console: a request did not get exactly one "
			    "reply");
		if (fuzz_code >= 500 && fuzz_code != 503)
			fuzz_fail("console: server error on a request body");
	}
	evhttp_request_free(req);
	if (++runs % FUZZ_RESET_EVERY == 0)
		fuzz_store_reset(s);
	return 0;
}
