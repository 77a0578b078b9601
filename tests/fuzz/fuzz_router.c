/*
 * Fuzz the keyword parser and router: each line of the input is one SMS
 * ("N text": N picks the sender, 0 being the admin), routed against a
 * database with sample content inside one transaction that is rolled
 * back afterwards.  Every text must be answered or ignored without a
 * database error, and a reply must be valid UTF-8 within its buffer.
 */
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "router.h"
#include "store.h"
#include "modem.h"
#include "fuzz.h"

#define FUZZ_LINES_MAX	32

static const char *const fuzz_senders[] = {
	"+6281100000001",	/* the admin */
	"081234567890",
	"+6285712345678",
	"6289876543210",
	"INFO",			/* a short code: never answered */
};

/* Route one line and check the result. */
static void
fuzz_route_line(struct store *s, const struct conf *conf, char *line)
{
	struct router_out	 out;
	struct router_in	 in;
	int			 who = 1;

	if (line[0] >= '0' && line[0] <= '4' && line[1] == ' ') {
		who = line[0] - '0';
		line += 2;
	}
	/* The inbox refuses text that is not UTF-8 before routing. */
	if (!sms_utf8_valid(line))
		return;
	in.sender = fuzz_senders[who];
	in.text = line;
	in.inbox_id = 0;
	if (router_handle(s, conf, &in, &out) != 0)
		fuzz_fail("router_handle: database error");
	if (memchr(out.text, '\0', sizeof(out.text)) == NULL ||
	    memchr(out.note, '\0', sizeof(out.note)) == NULL)
		fuzz_fail("router_handle: unterminated output");
	if (out.reply && (out.text[0] == '\0' || out.to[0] == '\0' ||
	    !sms_utf8_valid(out.text)))
		fuzz_fail("router_handle: empty or invalid reply");
	if (who == 4 && out.reply)
		fuzz_fail("router_handle: answered a short code");
}

/* libFuzzer entry point: run one input, abort on a broken invariant. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct store	*s;
	static struct conf	 conf;
	char			*text, *line, *next;
	int			 n = 0;

	if (s == NULL) {
		s = fuzz_store("router");
		fuzz_conf(&conf);
	}
	text = fuzz_cstr(data, size);
	if (store_begin(s) == -1)
		fuzz_fail("store_begin");
	for (line = text; line != NULL && n < FUZZ_LINES_MAX; line = next,
	    n++) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		fuzz_route_line(s, &conf, line);
	}
	store_rollback(s);
	free(text);
	return 0;
}
