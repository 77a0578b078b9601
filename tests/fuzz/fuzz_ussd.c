/*
 * Fuzz the USSD aggregator callbacks: the form adapter (sessionId,
 * phoneNumber, serviceCode, text joined by '*') and the JSON adapter,
 * past the method/token/address gate, through the menu engine on a real
 * SQLite file with the default menu.  daemon/ussd_http.c is compiled in
 * with evhttp_send_reply replaced: every request must get exactly one
 * reply, 200 or a 4xx (503 when busy); a form 200 starts "CON " or
 * "END ", a JSON reply parses.  The first input byte picks the adapter;
 * the rest is the body.  Sessions repeat across inputs, so whole
 * conversations are explored too.
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
#include "ussd_http.c"
#undef evhttp_send_reply

#define FUZZ_RESET_EVERY	256

/*
 * http.c (where the bearer check lives) is not linked here; the gate that
 * calls it is not fuzzed by this target (fuzz_http covers the check).
 */
int
http_token_ok(const char *header, const char *token)
{
	(void)header;
	(void)token;
	fuzz_fail("ussd: the token gate is not part of this target");
}

/* The connection deadline lives in http.c too; no connections here. */
void
http_served(struct evhttp_request *req)
{
	(void)req;
}

/* So does the count of wrong tokens, behind the gate as well. */
int
http_guessing(struct evhttp_request *req)
{
	(void)req;
	fuzz_fail("ussd: the token gate is not part of this target");
}

void
http_guess_failed(struct evhttp_request *req)
{
	(void)req;
	fuzz_fail("ussd: the token gate is not part of this target");
}

static int	fuzz_replies;
static int	fuzz_code;
static int	fuzz_json;

/* Take the place of evhttp_send_reply: check the reply, free the request. */
void
fuzz_send_reply(struct evhttp_request *req, int code, const char *reason,
    struct evbuffer *body)
{
	json_error_t	 jerr;
	json_t		*doc;
	const char	*b;
	size_t		 len;

	(void)reason;
	fuzz_replies++;
	fuzz_code = code;
	len = body != NULL ? evbuffer_get_length(body) : 0;
	b = len > 0 ? (const char *)evbuffer_pullup(body, -1) : "";
	if (fuzz_json || code != 200) {
		if ((doc = json_loadb(b, len, 0, &jerr)) == NULL && fuzz_json)
			fuzz_fail("ussd: JSON reply does not parse");
		json_decref(doc);
	} else if (len < 4 || (memcmp(b, "CON ", 4) != 0 &&
	    memcmp(b, "END ", 4) != 0))
		fuzz_fail("ussd: form reply is not CON/END");
	evhttp_request_free(req);
}

/* libFuzzer entry point: run one input, abort on a broken invariant. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct store	*s;
	static struct conf	 conf;
	static unsigned		 runs;
	struct evhttp_request	*req;

	if (size < 1)
		return 0;
	if (s == NULL) {
		s = fuzz_store("ussd");
		fuzz_conf(&conf);
		conf.ussd.enabled = 1;
		conf.ussd.timeout = 180;
		ussd_http.store = s;
		ussd_http.conf = &conf;
	}
	if ((req = evhttp_request_new(NULL, NULL)) == NULL)
		fuzz_fail("evhttp_request_new");
	evbuffer_add(evhttp_request_get_input_buffer(req), data + 1,
	    size - 1);
	fuzz_replies = 0;
	fuzz_json = data[0] & 1;
	if (fuzz_json)
		ussd_http_json_step(req);
	else
		ussd_http_form_step(req);
	if (fuzz_replies != 1)
		fuzz_fail("ussd: a request did not get exactly one reply");
	if (fuzz_code != 200 && fuzz_code != 400 && fuzz_code != 503)
		fuzz_fail("ussd: unexpected status");
	if (++runs % FUZZ_RESET_EVERY == 0)
		fuzz_store_reset(s);
	return 0;
}
