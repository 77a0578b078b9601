/*
 * The console's live view: server-sent events on the loop.
 *
 * DESIGN: a page opens GET /console/api/events and keeps it; the answer
 * is started with evhttp_send_reply_start and never ended.  The inbox
 * calls console_live_notify after each commit of a new message (a hook
 * set at start-up), and so do the console's own replies and dismissals:
 * every stream then gets one "inbox" event with the "needs a person"
 * count, and the page fetches what it shows.  At most one event a
 * CONSOLE_LIVE_GAP_MS: the first of a quiet spell goes at once, the rest
 * are folded into one at the end of the gap, because under an operator
 * link's intake (hundreds of commits a second) every open page would
 * otherwise fetch itself again on each, and the loop would do little
 * else.  Nothing polls: a timer only
 * sends a comment every CONSOLE_LIVE_PING seconds, so that proxies keep
 * the stream and a closed tab is noticed, and checks that the session is
 * still alive.  A stream ends with its connection, its session's logout,
 * or the daemon.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>

#include "console.h"
#include "http.h"
#include "inbox.h"
#include "log.h"
#include "store.h"
#include "user.h"

#define CONSOLE_LIVE_MAX	64	/* open streams at once */
#define CONSOLE_LIVE_PING	20	/* seconds between keep-alives */
#define CONSOLE_LIVE_GAP_MS	1000	/* between two events at most one */

/* One open stream. */
struct console_live {
	TAILQ_ENTRY(console_live)	 entry;
	struct evhttp_request		*req;
	char				 token[USER_TOKEN_HEX];
};

static struct {
	TAILQ_HEAD(, console_live)	 streams;
	int				 n;
	struct event			*ping;
	struct event			*flush;	/* the event held back, if any */
	struct timeval			 last;	/* when the last one went */
} live;

/* Forget a stream (its connection is closing, or we end it). */
static void
console_live_drop(struct console_live *l)
{
	TAILQ_REMOVE(&live.streams, l, entry);
	live.n--;
	explicit_bzero(l->token, sizeof(l->token));
	free(l);
}

/* The browser went away: the request is about to be freed. */
static void
console_live_on_close(void *arg)
{
	console_live_drop(arg);
}

/* Send one chunk of the stream. */
static void
console_live_send(struct console_live *l, const char *text)
{
	struct evbuffer *b;

	if ((b = evbuffer_new()) == NULL)
		fatalx("evbuffer_new");
	evbuffer_add(b, text, strlen(text));
	evhttp_send_reply_chunk(l->req, b);
	evbuffer_free(b);
}

/* End a stream from our side (logout, expiry, shutdown). */
static void
console_live_end(struct console_live *l)
{
	http_stream(l->req, NULL, NULL);
	evhttp_send_reply_end(l->req);
	console_live_drop(l);
}

/* Start a stream for a logged-in page. */
void
console_live_open(struct evhttp_request *req, const struct user_session *u,
    const char *token)
{
	struct evkeyvalq	*h = evhttp_request_get_output_headers(req);
	struct console_live	*l;

	(void)u;
	if (live.n >= CONSOLE_LIVE_MAX) {
		console_error(req, 503, "too many live pages open");
		return;
	}
	if ((l = calloc(1, sizeof(*l))) == NULL)
		fatal("calloc");
	/* http.c owns the connection's close callback and its deadline. */
	if (http_stream(req, console_live_on_close, l) == -1) {
		free(l);
		console_error(req, 503, "no live updates on this connection");
		return;
	}
	l->req = req;
	snprintf(l->token, sizeof(l->token), "%s", token);
	TAILQ_INSERT_TAIL(&live.streams, l, entry);
	live.n++;
	evhttp_add_header(h, "Content-Type", "text/event-stream");
	evhttp_add_header(h, "Cache-Control", "no-store");
	evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
	evhttp_send_reply_start(req, 200, "OK");
	console_live_send(l, "retry: 2000\n: kentongan\n\n");
}

/* Tell every stream, with the needs-a-person count. */
static void
console_live_tell(void)
{
	struct console_live	*l;
	char			 msg[64];

	evutil_gettimeofday(&live.last, NULL);
	if (TAILQ_EMPTY(&live.streams))
		return;
	snprintf(msg, sizeof(msg), "event: inbox\ndata: {\"needs\":%d}\n\n",
	    console_needs_count());
	TAILQ_FOREACH(l, &live.streams, entry)
		console_live_send(l, msg);
}

/* The gap after the last event is over: send the one held back. */
static void
console_live_on_flush(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	console_live_tell();
}

/* Something changed: tell the streams now, or once the gap is over. */
void
console_live_notify(void)
{
	struct timeval	now, since, wait;
	long long	ms;

	if (TAILQ_EMPTY(&live.streams) ||
	    evtimer_pending(live.flush, NULL))
		return;
	evutil_gettimeofday(&now, NULL);
	evutil_timersub(&now, &live.last, &since);
	ms = (long long)since.tv_sec * 1000 + since.tv_usec / 1000;
	if (ms < 0 || ms >= CONSOLE_LIVE_GAP_MS) {
		console_live_tell();
		return;
	}
	ms = CONSOLE_LIVE_GAP_MS - ms;
	wait.tv_sec = (time_t)(ms / 1000);
	wait.tv_usec = (suseconds_t)(ms % 1000) * 1000;
	evtimer_add(live.flush, &wait);
}

/* A session logged out: end its streams. */
void
console_live_logout(const char *token)
{
	struct console_live *l, *next;

	for (l = TAILQ_FIRST(&live.streams); l != NULL; l = next) {
		next = TAILQ_NEXT(l, entry);
		if (user_secret_eq(token, l->token))
			console_live_end(l);
	}
}

/* Keep streams open and end those whose session is gone. */
static void
console_live_on_ping(evutil_socket_t fd, short what, void *arg)
{
	struct console_live	*l, *next;

	(void)fd;
	(void)what;
	(void)arg;
	for (l = TAILQ_FIRST(&live.streams); l != NULL; l = next) {
		next = TAILQ_NEXT(l, entry);
		if (user_session_alive(console_store(), l->token) == 0)
			console_live_end(l);
		else
			console_live_send(l, ": ping\n\n");
	}
}

/* The inbox committed a message. */
static void
console_live_on_inbox(void)
{
	console_live_notify();
}

/* Be ready for streams; the inbox tells us of new messages. */
int
console_live_init(struct event_base *base)
{
	struct timeval tv = { CONSOLE_LIVE_PING, 0 };

	TAILQ_INIT(&live.streams);
	live.ping = event_new(base, -1, EV_PERSIST, console_live_on_ping,
	    NULL);
	live.flush = evtimer_new(base, console_live_on_flush, NULL);
	if (live.ping == NULL || live.flush == NULL ||
	    event_add(live.ping, &tv) == -1)
		return -1;
	inbox_set_hook(console_live_on_inbox);
	return 0;
}

/* End every stream and stop the timer. */
void
console_live_free(void)
{
	inbox_set_hook(NULL);
	while (!TAILQ_EMPTY(&live.streams))
		console_live_end(TAILQ_FIRST(&live.streams));
	if (live.ping != NULL)
		event_free(live.ping);
	if (live.flush != NULL)
		event_free(live.flush);
	live.ping = NULL;
	live.flush = NULL;
}
