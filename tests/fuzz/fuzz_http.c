/*
 * Fuzz the JSON body handlers of the HTTP API (POST /api/v1/prices,
 * /messages, /info) and the bearer token check.  daemon/http.c is
 * compiled into this file so that its handlers can be called directly
 * with a request that has no connection; evhttp_send_reply is replaced
 * to catch the reply: every request must get exactly one, with a 2xx or
 * 4xx status (503 when busy) and a JSON body.  The first input byte
 * picks the handler; the rest is the body.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <jansson.h>

#include "fuzz.h"

void	fuzz_send_reply(struct evhttp_request *, int, const char *,
	    struct evbuffer *);

#define evhttp_send_reply fuzz_send_reply
#include "http.c"
#undef evhttp_send_reply

#define FUZZ_RESET_EVERY	256

static int	fuzz_replies;
static int	fuzz_code;

/* Take the place of evhttp_send_reply: check the reply, free the request. */
void
fuzz_send_reply(struct evhttp_request *req, int code, const char *reason,
    struct evbuffer *body)
{
	json_error_t	 jerr;
	json_t		*doc;
	size_t		 len;

	(void)reason;
	fuzz_replies++;
	fuzz_code = code;
	len = body != NULL ? evbuffer_get_length(body) : 0;
	doc = json_loadb((const char *)evbuffer_pullup(body, -1), len, 0,
	    &jerr);
	if (doc == NULL)
		fuzz_fail("http: reply body is not JSON");
	json_decref(doc);
	evhttp_request_free(req);
}

/* libFuzzer entry point: run one input, abort on a broken invariant. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const http_handler handlers[] = { http_prices_post,
	    http_messages_post, http_info_post };
	static struct store	*s;
	static struct conf	 conf;
	static unsigned		 runs;
	struct evhttp_request	*req;
	char			*header;

	if (size < 1)
		return 0;
	if (s == NULL) {
		s = fuzz_store("http");
		fuzz_conf(&conf);
		http.store = s;
		http.conf = &conf;
	}
	if ((req = evhttp_request_new(NULL, NULL)) == NULL)
		fuzz_fail("evhttp_request_new");
	evbuffer_add(evhttp_request_get_input_buffer(req), data + 1,
	    size - 1);
	fuzz_replies = 0;
	handlers[data[0] % 3](req);
	if (fuzz_replies != 1)
		fuzz_fail("http: a request did not get exactly one reply");
	if (fuzz_code >= 500 && fuzz_code != 503)
		fuzz_fail("http: server error on a request body");
	if (data[0] & 0x80) {
		header = fuzz_cstr(data + 1, size - 1);
		if (http_token_ok(header, conf.http.token) &&
		    strstr(header, conf.http.token) == NULL)
			fuzz_fail("http_token_ok: accepted a wrong token");
		free(header);
	}
	if (++runs % FUZZ_RESET_EVERY == 0)
		fuzz_store_reset(s);
	return 0;
}
