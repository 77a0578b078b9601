/*
 * A "modem" that is a Kannel smsbox: the operator link (SMPP and the like)
 * for programmes that outgrow USB modems.
 *
 * DESIGN: the worker process of a modem with connection = "kannel" runs
 * this instead of modem_main, and speaks the same wire protocol
 * (modem/wire.h), so the outbox, pacing, broadcasts and the router do not
 * know the difference.  It runs its own libevent loop:
 *
 * - WIRE_SEND becomes one GET of Kannel's sendsms URL on an idle
 *   keep-alive connection (opened when none is idle: as many as the
 *   window the loop keeps in flight, never two sends to one recipient).
 *   200/202 is a sent message; other 4xx are permanent failures; no
 *   answer, a refused connection or a 5xx is a link failure: the result
 *   goes back as temporary (a link failure never fails the message), the
 *   worker reports WIRE_DOWN and probes sendsms again with a backoff
 *   (1 .. 60 s, reset by a send that goes through), reporting WIRE_HELLO
 *   when it answers, so queued messages wait for Kannel.  It does not exit
 *   meanwhile: /mo and /dlr calls keep being taken.
 * - Refused credentials ("Authorization failed", at the start-up probe or
 *   on a send) are a configuration error, not the message's: the message
 *   goes back to the queue and the worker reports a fatal WIRE_DOWN, so
 *   the modem is `failed` with the reason until the settings change.
 * - An HTTP server on `listen` takes Kannel's sms-service get-url (/mo)
 *   and dlr-url (/dlr) calls.  Each becomes WIRE_SMS_IN or WIRE_REPORT,
 *   and the HTTP request is answered 200 only after the loop's WIRE_STORED
 *   (commit, then acknowledge: the SIM rule).  Without that answer within
 *   KANNEL_ACK_SECS it is answered 503, and Kannel's http-request-retry
 *   sends it again; the inbox's deduplication key (sender, Kannel's %T
 *   time, text) makes a repeat harmless.
 *
 * A long MO text (Kannel joins concatenated parts) is handed to the loop
 * as the parts of one concatenated message, which the inbox reassembles.
 */
#include <sys/queue.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include <gammu.h>

#include "log.h"
#include "kannel.h"
#include "modem.h"
#include "wire.h"

#define KANNEL_HEARTBEAT	2	/* seconds between heartbeats */
#define KANNEL_ACK_SECS		5	/* wait for the loop's commit */
#define KANNEL_FOLDER_MO	1	/* wire folder of an MO message */
#define KANNEL_FOLDER_DLR	2	/* wire folder of a delivery report */
#define KANNEL_MO_PARTS		16	/* longest MO, in wire parts */
#define KANNEL_TEXT_MAX		(KANNEL_MO_PARTS * (WIRE_PART_TEXT_MAX - 1))
#define KANNEL_DLR_MASK		19	/* delivered, failed, rejected */
#define KANNEL_WINDOW_MAX	256	/* sends in flight (conf's window) */
/* Reports that beat their send's answer, held until it comes. */
#define KANNEL_HELD_MAX		(KANNEL_WINDOW_MAX * 2)
#define KANNEL_BACKOFF_MAX	60	/* longest wait between probes, s */
/*
 * Connections to smsbox not yet answered once.  Kannel listens with a
 * short backlog: a window's worth of connects at once overflows it, and
 * the dropped SYNs come back only after the kernel's 1, 3, 7, 15 s
 * retries.  So the pool grows a few connections a round trip.
 */
#define KANNEL_OPENING_MAX	8

/* A send in flight: its sendsms request waits for smsbox's answer. */
struct kannel_send {
	struct kannel		*k;
	int64_t			 id;		/* outbox id, 0 if free */
	int			 conn;		/* index in k->conns */
	struct wire_sent	 res;
};

/* A request from Kannel waiting for the loop to commit what it carried. */
struct kannel_mo {
	TAILQ_ENTRY(kannel_mo)	 entry;
	struct kannel		*k;
	struct evhttp_request	*req;		/* NULL once Kannel hung up */
	struct event		*timer;
	int			 first;		/* first wire location */
	int			 nparts;
	int			 acked;
};

struct kannel {
	const struct modem_params	*p;
	int				 fd;
	int				 rc;
	int				 quit;
	int				 up;		/* HELLO sent */
	struct event_base		*base;
	struct evhttp			*http;
	struct evhttp_uri		*uri;
	struct evhttp_connection	*conns[KANNEL_WINDOW_MAX];
	int				 nbusy[KANNEL_WINDOW_MAX]; /* requests on each */
	unsigned char			 answered[KANNEL_WINDOW_MAX]; /* once */
	int				 nconns;
	struct event			*ev_sock;
	struct event			*ev_beat;
	struct event			*ev_health;
	struct event			*ev_stop;	/* kannel_stop_pipe */
	struct event			*ev_probe;	/* next probe, while down */
	int				 backoff;	/* s to the next probe */
	char				 told[WIRE_ERROR_MAX]; /* last DOWN */
	struct kannel_send		 sends[KANNEL_WINDOW_MAX];
	int				 nsending;	/* of sends, in flight */
	struct wire_report		 held[KANNEL_HELD_MAX];
	int				 nheld;
	int				 next_loc;
	int				 next_ref;
	TAILQ_HEAD(, kannel_mo)		 mos;
};

static void	kannel_request(struct kannel *, int, const char *,
		    void (*)(struct evhttp_request *, void *), void *);
static void	kannel_probe(struct kannel *);

/*
 * SIGTERM wakes the loop through a pipe: the daemon's own event base,
 * inherited through fork(), already owns libevent's signal handling.
 */
static int kannel_stop_pipe[2] = { -1, -1 };

/* Send one message to the loop; a dead loop means we exit. */
static void
kannel_tell(struct kannel *k, const struct wire_msg *msg)
{
	if (send(k->fd, msg, sizeof(*msg), MSG_NOSIGNAL) == -1) {
		log_warn("lost the event loop");
		_exit(1);
	}
}

/* Tell the loop this modem cannot send, and why. */
static void
kannel_tell_down(struct kannel *k, int fatal_err, const char *why)
{
	struct wire_msg msg;

	memset(&msg, 0, sizeof(msg));
	msg.type = WIRE_DOWN;
	msg.u.down.fatal = fatal_err;
	snprintf(msg.u.down.error, sizeof(msg.u.down.error), "%s", why);
	kannel_tell(k, &msg);
}

/* Report that Kannel cannot be used, and stop this worker. */
static void
kannel_down(struct kannel *k, int fatal_err, const char *why)
{
	kannel_tell_down(k, fatal_err, why);
	k->rc = 1;
	event_base_loopexit(k->base, NULL);
}

/*
 * Kannel does not take messages now (unreachable, 5xx): sending waits and
 * smsbox is asked again after a backoff, but the worker stays, so /mo and
 * /dlr calls are still taken meanwhile; exiting would leave them to
 * smsbox's retries for as long as a restart's backoff.  Refused
 * credentials are a configuration error: the worker stops, failed.
 */
static void
kannel_link_down(struct kannel *k, int auth, const char *why)
{
	struct timeval tv = { 0, 0 };

	if (auth) {
		kannel_down(k, 1, why);
		return;
	}
	/* The loop hears of it once, and again only if the reason changes. */
	if (k->up || strcmp(k->told, why) != 0) {
		kannel_tell_down(k, 0, why);
		snprintf(k->told, sizeof(k->told), "%s", why);
	}
	/* The sends of a window fail together: one probe for them all. */
	if (!k->up && evtimer_pending(k->ev_probe, NULL))
		return;
	k->up = 0;
	k->backoff = k->backoff == 0 ? 1 : k->backoff * 2;
	if (k->backoff > KANNEL_BACKOFF_MAX)
		k->backoff = KANNEL_BACKOFF_MAX;
	tv.tv_sec = k->backoff;
	log_info("sending waits; asking Kannel again in %d s", k->backoff);
	evtimer_add(k->ev_probe, &tv);
}

/* The probe timer fired: ask smsbox again. */
static void
kannel_on_probe_timer(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	kannel_probe(arg);
}

/*
 * Find name=value in a query string and percent-decode the value into out
 * (NUL-terminated, '+' is a space).  Returns the decoded length, which may
 * exceed outlen - 1 when out was too small (like snprintf).
 */
size_t
kannel_query_get(const char *query, const char *name, char *out,
    size_t outlen, int *found)
{
	size_t		 nlen = strlen(name), n = 0;
	const char	*s = query;
	unsigned int	 c;
	char		 hex[3] = "";

	*found = 0;
	if (outlen > 0)
		out[0] = '\0';
	while (s != NULL && *s != '\0') {
		if (strncmp(s, name, nlen) == 0 && s[nlen] == '=') {
			*found = 1;
			break;
		}
		if ((s = strchr(s, '&')) != NULL)
			s++;
	}
	if (!*found)
		return 0;
	for (s += nlen + 1; *s != '\0' && *s != '&'; s++) {
		c = (unsigned char)*s;
		if (c == '+')
			c = ' ';
		else if (c == '%' && s[1] != '\0' && s[2] != '\0' &&
		    strchr("0123456789abcdefABCDEF", s[1]) != NULL &&
		    strchr("0123456789abcdefABCDEF", s[2]) != NULL) {
			hex[0] = s[1];
			hex[1] = s[2];
			c = (unsigned int)strtoul(hex, NULL, 16);
			s += 2;
		}
		if (n + 1 < outlen)
			out[n] = (char)c;
		n++;
	}
	if (outlen > 0)
		out[n < outlen ? n : outlen - 1] = '\0';
	return n;
}

/* Append "&name=value" with the value percent-encoded. */
static void
kannel_add_param(struct evbuffer *b, const char *name, const char *value)
{
	char *enc;

	if ((enc = evhttp_encode_uri(value)) == NULL)
		fatal("evhttp_encode_uri");
	evbuffer_add_printf(b, "&%s=%s", name, enc);
	free(enc);
}

/*
 * How a text goes out: libgammu encodes it as the modems would, which
 * tells whether GSM-7 can carry it and in how many parts.  -1 if it cannot.
 */
static int
kannel_encode(const char *text, int *ucs2, int *parts)
{
	static unsigned char	buf[(WIRE_SEND_TEXT_MAX + 1) * 2];
	GSM_MultiPartSMSInfo	info;
	GSM_MultiSMSMessage	msms;

	sms_utf8_to_ucs2(text, buf, sizeof(buf) / 2);
	GSM_ClearMultiPartSMSInfo(&info);
	info.Class = -1;
	info.EntriesNum = 1;
	info.UnicodeCoding = FALSE;
	info.Entries[0].ID = SMS_ConcatenatedAutoTextLong;
	info.Entries[0].Buffer = buf;
	memset(&msms, 0, sizeof(msms));
	if (GSM_EncodeMultiPartSMS(NULL, &info, &msms) != ERR_NONE ||
	    msms.Number < 1)
		return -1;
	*ucs2 = msms.SMS[0].Coding != SMS_Coding_Default_No_Compression;
	*parts = msms.Number;
	return 0;
}

/* The path and query of the sendsms URL with credentials, for a request. */
static void
kannel_base_query(struct kannel *k, struct evbuffer *b)
{
	const char *path = evhttp_uri_get_path(k->uri);
	const char *q = evhttp_uri_get_query(k->uri);

	evbuffer_add_printf(b, "%s?", path != NULL && *path != '\0' ? path :
	    "/");
	if (q != NULL && *q != '\0')
		evbuffer_add_printf(b, "%s", q);
	else
		evbuffer_add_printf(b, "x=1");	/* so every param starts & */
	if (k->p->username[0] != '\0')
		kannel_add_param(b, "username", k->p->username);
	if (k->p->password[0] != '\0')
		kannel_add_param(b, "password", k->p->password);
}

/* Copy up to len - 1 bytes of a response body, for error messages. */
static void
kannel_body(struct evhttp_request *req, char *out, size_t len)
{
	struct evbuffer	*b;
	ev_ssize_t	 n;
	char		*nl;

	out[0] = '\0';
	if (req == NULL || (b = evhttp_request_get_input_buffer(req)) == NULL)
		return;
	if ((n = evbuffer_copyout(b, out, len - 1)) < 0)
		n = 0;
	out[n] = '\0';
	if ((nl = strpbrk(out, "\r\n")) != NULL)
		*nl = '\0';
}

/* Tell whether Kannel refused our sendsms username or password. */
static int
kannel_auth_refused(int code, const char *body)
{
	return (code == 401 || code == 403) &&
	    strstr(body, "Authorization failed") != NULL;
}

/*
 * Tell whether an answer means the link, not the message, is at fault (no
 * answer, a 5xx, refused credentials); if so, say why for the admin.
 */
static int
kannel_link_error(const struct kannel *k, int code, const char *body,
    char *why, size_t len)
{
	if (code == 0)
		snprintf(why, len, "Kannel unreachable: %s", k->p->url);
	else if (kannel_auth_refused(code, body))
		snprintf(why, len, "Kannel refused username/password (HTTP %d:"
		    " %s): fix this modem's or kannel.conf's sendsms-user",
		    code, body);
	else if (code >= 500)
		snprintf(why, len, "Kannel cannot take messages now (HTTP %d: "
		    "%s)", code, body);
	else
		return 0;
	return 1;
}

/* Find the send in flight with that reference, or NULL. */
static struct kannel_send *
kannel_send_by_ref(struct kannel *k, int ref)
{
	int i;

	for (i = 0; i < KANNEL_WINDOW_MAX; i++)
		if (k->sends[i].id != 0 && k->sends[i].res.msg_ref == ref)
			return &k->sends[i];
	return NULL;
}

/* Pass on the reports that waited for the result of send ref. */
static void
kannel_flush_held(struct kannel *k, int ref)
{
	struct wire_msg	msg;
	int		i, kept = 0;

	memset(&msg, 0, sizeof(msg));
	msg.type = WIRE_REPORT;
	for (i = 0; i < k->nheld; i++) {
		if (k->held[i].msg_ref != ref) {
			k->held[kept++] = k->held[i];
			continue;
		}
		msg.u.report = k->held[i];
		kannel_tell(k, &msg);
	}
	k->nheld = kept;
}

/* Kannel answered a send (req NULL or code 0: no answer at all). */
static void
kannel_on_sent(struct evhttp_request *req, void *arg)
{
	struct kannel_send	*ks = arg;
	struct kannel		*k = ks->k;
	struct wire_msg		 msg;
	char			 body[WIRE_ERROR_MAX / 2];
	int			 code = req != NULL ?
				    evhttp_request_get_response_code(req) : 0;

	kannel_body(req, body, sizeof(body));
	memset(&msg, 0, sizeof(msg));
	msg.type = WIRE_SENT;
	msg.u.sent = ks->res;
	if (code == 200 || code == 202) {
		msg.u.sent.ok = 1;
		k->backoff = 0;
	} else if (kannel_link_error(k, code, body, msg.u.sent.error,
	    sizeof(msg.u.sent.error))) {
		msg.u.sent.link = 1;
	} else {
		msg.u.sent.permanent = 1;
		snprintf(msg.u.sent.error, sizeof(msg.u.sent.error), "Kannel "
		    "refused it (HTTP %d): %s", code, body);
	}
	ks->id = 0;
	k->nsending--;
	k->nbusy[ks->conn]--;
	k->answered[ks->conn] = 1;
	/* Down first, so the loop hands us nothing more once it requeues. */
	if (msg.u.sent.link)
		kannel_link_down(k, kannel_auth_refused(code, body),
		    msg.u.sent.error);
	kannel_tell(k, &msg);
	kannel_flush_held(k, msg.u.sent.msg_ref);
	if (k->quit && k->nsending == 0)
		event_base_loopexit(k->base, NULL);
}

/* A free slot for a send, or NULL when the window is full. */
static struct kannel_send *
kannel_slot(struct kannel *k)
{
	int i;

	for (i = 0; i < KANNEL_WINDOW_MAX; i++)
		if (k->sends[i].id == 0)
			return &k->sends[i];
	return NULL;
}

/*
 * An idle keep-alive connection to smsbox, opened when none is: one
 * request at a time on each (libevent queues the rest), so the window's
 * sends all reach smsbox at once.
 */
static int
kannel_conn(struct kannel *k)
{
	struct evhttp_connection	*c;
	int				 i, best = 0, port, opening = 0;

	for (i = 0; i < k->nconns; i++) {
		if (k->nbusy[i] < k->nbusy[best])
			best = i;
		opening += !k->answered[i];
	}
	if (k->nconns > 0 && (k->nbusy[best] == 0 ||
	    k->nconns == KANNEL_WINDOW_MAX || opening >= KANNEL_OPENING_MAX))
		return best;
	port = evhttp_uri_get_port(k->uri);
	c = evhttp_connection_base_new(k->base, NULL,
	    evhttp_uri_get_host(k->uri), port > 0 ? port : 80);
	if (c == NULL)
		fatalx("evhttp_connection_base_new");
	evhttp_connection_set_timeout(c, k->p->send_timeout);
	evhttp_connection_set_retries(c, 0);
	k->nbusy[k->nconns] = 0;
	k->answered[k->nconns] = 0;
	k->conns[k->nconns] = c;
	return k->nconns++;
}

/* Send one message through Kannel's sendsms. */
static void
kannel_send(struct kannel *k, const struct wire_send *ws)
{
	struct kannel_send	*ks = kannel_slot(k);
	struct evbuffer		*b;
	struct wire_msg		 msg;
	char			 dlr[512], *q;
	int			 ucs2 = 0, parts = 0, ref = k->next_ref++;

	if (ks == NULL || ws->recipient[0] == '\0' ||
	    strspn(ws->recipient + 1, "0123456789") !=
	    strlen(ws->recipient + 1) || kannel_encode(ws->text, &ucs2,
	    &parts) == -1) {
		memset(&msg, 0, sizeof(msg));
		msg.type = WIRE_SENT;
		msg.u.sent.outbox_id = ws->outbox_id;
		msg.u.sent.permanent = ks != NULL;
		msg.u.sent.link = ks == NULL;
		snprintf(msg.u.sent.error, sizeof(msg.u.sent.error), "%s",
		    ks == NULL ? "more sends than the window holds" :
		    "invalid number or text");
		kannel_tell(k, &msg);
		return;
	}
	memset(&ks->res, 0, sizeof(ks->res));
	ks->k = k;
	ks->res.outbox_id = ws->outbox_id;
	ks->res.concat_ref = -1;	/* Kannel sends a text whole */
	ks->res.parts = parts;
	ks->res.msg_ref = ref;
	if ((b = evbuffer_new()) == NULL)
		fatal("evbuffer_new");
	kannel_base_query(k, b);
	kannel_add_param(b, "to", ws->recipient);
	kannel_add_param(b, "text", ws->text);
	kannel_add_param(b, "charset", "UTF-8");
	if (ucs2)
		kannel_add_param(b, "coding", "2");
	if (ws->want_report) {
		q = evhttp_encode_uri(ws->recipient);
		if (q == NULL)
			fatal("evhttp_encode_uri");
		snprintf(dlr, sizeof(dlr), "http://%s/dlr?ref=%d&to=%s&"
		    "status=%%d", k->p->listen, ref, q);
		free(q);
		evbuffer_add_printf(b, "&dlr-mask=%d", KANNEL_DLR_MASK);
		kannel_add_param(b, "dlr-url", dlr);
	}
	evbuffer_add(b, "", 1);
	ks->id = ws->outbox_id;
	ks->conn = kannel_conn(k);
	k->nsending++;
	k->nbusy[ks->conn]++;
	kannel_request(k, ks->conn, (const char *)evbuffer_pullup(b, -1),
	    kannel_on_sent, ks);
	evbuffer_free(b);
}

/* Start a GET of path?query on connection conn to Kannel's sendsms. */
static void
kannel_request(struct kannel *k, int conn, const char *pathq,
    void (*cb)(struct evhttp_request *, void *), void *arg)
{
	struct evhttp_request	*req;
	char			 host[300];
	int			 port = evhttp_uri_get_port(k->uri);

	if ((req = evhttp_request_new(cb, arg)) == NULL)
		fatal("evhttp_request_new");
	snprintf(host, sizeof(host), "%s:%d", evhttp_uri_get_host(k->uri),
	    port > 0 ? port : 80);
	evhttp_add_header(evhttp_request_get_output_headers(req), "Host", host);
	if (evhttp_make_request(k->conns[conn], req, EVHTTP_REQ_GET,
	    pathq) == -1)
		cb(NULL, arg);	/* libevent freed req */
}

/* Kannel answered the start-up probe: up, refused credentials, or gone. */
static void
kannel_on_probe(struct evhttp_request *req, void *arg)
{
	struct kannel	*k = arg;
	struct wire_msg	 msg;
	char		 body[WIRE_ERROR_MAX / 2], why[WIRE_ERROR_MAX];
	int		 code = req != NULL ?
			    evhttp_request_get_response_code(req) : 0;

	kannel_body(req, body, sizeof(body));
	if (kannel_link_error(k, code, body, why, sizeof(why))) {
		kannel_link_down(k, kannel_auth_refused(code, body), why);
		return;
	}
	/* The backoff stays until a send goes through: a probe can pass
	 * while bearerbox's queue still refuses messages. */
	k->told[0] = '\0';
	memset(&msg, 0, sizeof(msg));
	msg.type = WIRE_HELLO;
	snprintf(msg.u.hello.manufacturer, sizeof(msg.u.hello.manufacturer),
	    "Kannel");
	snprintf(msg.u.hello.model, sizeof(msg.u.hello.model), "Kannel %s",
	    k->p->url);
	kannel_tell(k, &msg);
	k->up = 1;
	log_info("Kannel at %s is up; taking MO and DLR on %s", k->p->url,
	    k->p->listen);
	event_active(k->ev_health, EV_TIMEOUT, 0);
}

/* Ask smsbox's sendsms whether Kannel takes messages (kannel_on_probe). */
static void
kannel_probe(struct kannel *k)
{
	struct evbuffer *b;

	if ((b = evbuffer_new()) == NULL)
		fatal("evbuffer_new");
	kannel_base_query(k, b);
	evbuffer_add(b, "", 1);
	kannel_request(k, kannel_conn(k), (const char *)evbuffer_pullup(b, -1),
	    kannel_on_probe, k);
	evbuffer_free(b);
}

/* Answer a waiting Kannel request and forget it. */
static void
kannel_mo_done(struct kannel_mo *mo, int code, const char *reason)
{
	struct evhttp_connection *c;

	if (mo->req != NULL) {
		if ((c = evhttp_request_get_connection(mo->req)) != NULL)
			evhttp_connection_set_closecb(c, NULL, NULL);
		evhttp_send_reply(mo->req, code, reason, NULL);
	}
	TAILQ_REMOVE(&mo->k->mos, mo, entry);
	event_free(mo->timer);
	free(mo);
}

/* The loop did not commit in time: Kannel should try again later. */
static void
kannel_on_mo_timeout(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	log_warnx("message not stored in %d s; asking Kannel to retry",
	    KANNEL_ACK_SECS);
	kannel_mo_done(arg, 503, "Not stored yet");
}

/* Kannel hung up before we answered. */
static void
kannel_on_mo_close(struct evhttp_connection *c, void *arg)
{
	struct kannel_mo *mo = arg;

	(void)c;
	mo->req = NULL;
}

/* Remember a Kannel request until its nparts wire locations are stored. */
static struct kannel_mo *
kannel_mo_new(struct kannel *k, struct evhttp_request *req, int nparts)
{
	struct timeval		 tv = { KANNEL_ACK_SECS, 0 };
	struct kannel_mo	*mo;

	if ((mo = calloc(1, sizeof(*mo))) == NULL)
		fatal("calloc");
	mo->k = k;
	mo->req = req;
	mo->first = k->next_loc;
	mo->nparts = nparts;
	k->next_loc += nparts;
	if (k->next_loc > 1000000000)
		k->next_loc = 1;
	if ((mo->timer = evtimer_new(k->base, kannel_on_mo_timeout, mo)) ==
	    NULL)
		fatal("evtimer_new");
	evtimer_add(mo->timer, &tv);
	evhttp_connection_set_closecb(evhttp_request_get_connection(req),
	    kannel_on_mo_close, mo);
	TAILQ_INSERT_TAIL(&k->mos, mo, entry);
	return mo;
}

/* The loop committed a message or report: answer Kannel when all are. */
static void
kannel_stored(struct kannel *k, const struct wire_stored *st)
{
	struct kannel_mo *mo;

	TAILQ_FOREACH(mo, &k->mos, entry)
		if (st->location >= mo->first &&
		    st->location < mo->first + mo->nparts) {
			if (++mo->acked >= mo->nparts)
				kannel_mo_done(mo, 200, "OK");
			return;
		}
	log_debug("stored %d: request already answered", st->location);
}

/*
 * Turn Kannel's MO text into UTF-8: UCS-2 (coding 2) from UTF-16BE, 8-bit
 * (coding 1) as hex, else UTF-8 as it is or Latin-1 when it is not UTF-8.
 */
static int
kannel_mo_text(const char *raw, size_t n, int coding, char *out,
    size_t outlen)
{
	static unsigned char	u[KANNEL_TEXT_MAX + 2];
	size_t			i, o = 0;
	unsigned char		c;

	if (coding == 2) {
		n &= ~(size_t)1;
		if (n > sizeof(u) - 2)
			n = sizeof(u) - 2;
		memcpy(u, raw, n);
		u[n] = u[n + 1] = 0;
		sms_ucs2_to_utf8(u, out, outlen);
		return WIRE_CODING_UCS2;
	}
	if (coding == 1) {
		for (i = 0; i < n && o + 3 <= outlen; i++, o += 2)
			snprintf(out + o, 3, "%02X", (unsigned char)raw[i]);
		out[o] = '\0';
		return WIRE_CODING_8BIT;
	}
	if (memchr(raw, '\0', n) == NULL && sms_utf8_valid(raw)) {
		snprintf(out, outlen, "%s", raw);
		return WIRE_CODING_GSM7;
	}
	for (i = 0; i < n && o + 3 <= outlen; i++) {
		if ((c = (unsigned char)raw[i]) == 0)
			continue;
		if (c < 0x80)
			out[o++] = (char)c;
		else {
			out[o++] = (char)(0xc0 | c >> 6);
			out[o++] = (char)(0x80 | (c & 0x3f));
		}
	}
	out[o] = '\0';
	return WIRE_CODING_GSM7;
}

/* Bytes of text that fit one wire part, ending on a character boundary. */
static size_t
kannel_part_len(const char *s, int coding)
{
	size_t n = strlen(s), max = WIRE_PART_TEXT_MAX - 1;

	if (n <= max)
		return n;
	if (coding == WIRE_CODING_8BIT)
		return max & ~(size_t)1;
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return max;
}

/* Kannel's time %T (Unix seconds) as the wire's SMSC time; now if none. */
static void
kannel_mo_time(const char *ts, char *out, size_t len)
{
	struct tm	tm;
	char		*end;
	long long	v;
	time_t		t;

	errno = 0;
	v = strtoll(ts, &end, 10);
	t = ts[0] != '\0' && *end == '\0' && errno == 0 && v > 0 ?
	    (time_t)v : time(NULL);
	gmtime_r(&t, &tm);
	strftime(out, len, "%Y-%m-%d %H:%M:%S +0000", &tm);
}

/* FNV-1a over a string, for a concatenation reference. */
static uint32_t
kannel_hash(uint32_t h, const char *s)
{
	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

/* Kannel's get-url: /mo?from=%p&text=%a&ts=%T&coding=%c. */
static void
kannel_on_mo(struct kannel *k, struct evhttp_request *req, const char *q)
{
	static char		 raw[KANNEL_TEXT_MAX + 1], text[KANNEL_TEXT_MAX + 1];
	struct wire_msg		 msg;
	struct wire_sms_in	*in = &msg.u.sms_in;
	struct kannel_mo	*mo;
	char			 from[WIRE_NUMBER_MAX], ts[32], cod[8];
	const char		*s;
	size_t			 n, len;
	int			 found, coding, nparts = 0, i;

	memset(&msg, 0, sizeof(msg));
	kannel_query_get(q, "coding", cod, sizeof(cod), &found);
	kannel_query_get(q, "ts", ts, sizeof(ts), &found);
	/* text= may be empty (an empty SMS), but not missing. */
	n = kannel_query_get(q, "text", raw, sizeof(raw), &found);
	if (!found) {
		evhttp_send_error(req, 400, "Missing text");
		return;
	}
	if (kannel_query_get(q, "from", from, sizeof(from), &found) >=
	    sizeof(from) || from[0] == '\0' || n >= sizeof(raw)) {
		evhttp_send_error(req, 400, from[0] == '\0' ? "Missing from" :
		    "Too long");
		return;
	}
	coding = kannel_mo_text(raw, n, atoi(cod), text, sizeof(text));
	for (s = text, nparts = 0; *s != '\0' || nparts == 0; nparts++)
		s += kannel_part_len(s, coding);
	if (nparts > KANNEL_MO_PARTS) {
		evhttp_send_error(req, 413, "Too long");
		return;
	}
	mo = kannel_mo_new(k, req, nparts);
	msg.type = WIRE_SMS_IN;
	in->folder = KANNEL_FOLDER_MO;
	in->coding = coding;
	in->concat_ref = nparts > 1 ? (int)(kannel_hash(kannel_hash(
	    2166136261u, from), text) & 0xffff) : -1;
	in->concat_total = nparts > 1 ? nparts : 0;
	memcpy(in->sender, from, sizeof(in->sender));
	kannel_mo_time(ts, in->smsc_time, sizeof(in->smsc_time));
	for (s = text, i = 0; i < nparts; i++, s += len) {
		len = kannel_part_len(s, coding);
		in->location = mo->first + i;
		in->concat_part = nparts > 1 ? i + 1 : 0;
		memcpy(in->text, s, len);
		in->text[len] = '\0';
		kannel_tell(k, &msg);
	}
	log_debug("MO from %s: %zu bytes in %d part(s)", from, strlen(text),
	    nparts);
}

/* Kannel's dlr-url: /dlr?ref=N&to=NUMBER&status=%d. */
static void
kannel_on_dlr(struct kannel *k, struct evhttp_request *req, const char *q)
{
	struct wire_msg		 msg;
	struct wire_report	*r = &msg.u.report;
	struct kannel_mo	*mo;
	char			 ref[16], st[8];
	int			 f1, f2, f3, status;

	memset(&msg, 0, sizeof(msg));
	kannel_query_get(q, "ref", ref, sizeof(ref), &f1);
	kannel_query_get(q, "status", st, sizeof(st), &f2);
	kannel_query_get(q, "to", r->recipient, sizeof(r->recipient), &f3);
	if (!f1 || !f2 || !f3 || ref[0] == '\0' || strspn(ref, "0123456789")
	    != strlen(ref)) {
		evhttp_send_error(req, 400, "Expected ref, to and status");
		return;
	}
	/* Kannel: 1 delivered, 2 failed, 16 rejected, 4 and 8 in progress. */
	status = atoi(st);
	mo = kannel_mo_new(k, req, 1);
	msg.type = WIRE_REPORT;
	r->folder = KANNEL_FOLDER_DLR;
	r->location = mo->first;
	r->msg_ref = atoi(ref);
	r->status = status == 1 ? 0x00 : status == 2 || status == 16 ? 0x40 :
	    0x20;
	/*
	 * Kannel may report on a message before it answers the sendsms that
	 * sent it; the loop must see the send's result first, or the report
	 * finds no sent row to settle.
	 */
	if (kannel_send_by_ref(k, r->msg_ref) != NULL &&
	    k->nheld < KANNEL_HELD_MAX) {
		k->held[k->nheld++] = *r;
		log_debug("report on %d came before Kannel's answer to its "
		    "sendsms; it waits for that", r->msg_ref);
		return;
	}
	kannel_tell(k, &msg);
}

/* One HTTP request from Kannel. */
static void
kannel_on_http(struct evhttp_request *req, void *arg)
{
	struct kannel			*k = arg;
	const struct evhttp_uri		*uri = evhttp_request_get_evhttp_uri(req);
	const char			*path = evhttp_uri_get_path(uri);
	const char			*q = evhttp_uri_get_query(uri);

	if (evhttp_request_get_command(req) != EVHTTP_REQ_GET) {
		evhttp_send_error(req, 405, "GET only");
		return;
	}
	if (k->quit) {
		evhttp_send_error(req, 503, "Stopping");
		return;
	}
	if (path != NULL && strcmp(path, "/mo") == 0)
		kannel_on_mo(k, req, q != NULL ? q : "");
	else if (path != NULL && strcmp(path, "/dlr") == 0)
		kannel_on_dlr(k, req, q != NULL ? q : "");
	else
		evhttp_send_error(req, 404, "Use /mo or /dlr");
}

/* A message from the event loop. */
static void
kannel_dispatch(struct kannel *k, const struct wire_msg *msg)
{
	struct wire_msg reply;

	switch (msg->type) {
	case WIRE_SEND:
		kannel_send(k, &msg->u.send);
		break;
	case WIRE_STORED:
		kannel_stored(k, &msg->u.stored);
		break;
	case WIRE_USSD:
		memset(&reply, 0, sizeof(reply));
		reply.type = WIRE_USSD_REPLY;
		reply.u.ussd_reply.id = msg->u.ussd.id;
		snprintf(reply.u.ussd_reply.error,
		    sizeof(reply.u.ussd_reply.error), "USSD is not available "
		    "through Kannel");
		kannel_tell(k, &reply);
		break;
	default:
		log_warnx("unexpected message type %u from the loop",
		    msg->type);
		break;
	}
}

/* The loop's socket is readable. */
static void
kannel_on_sock(evutil_socket_t fd, short ev, void *arg)
{
	struct kannel	*k = arg;
	struct wire_msg	 msg;
	ssize_t		 n;

	(void)ev;
	n = recv(fd, &msg, sizeof(msg), 0);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n != (ssize_t)sizeof(msg)) {
		if (n != 0)
			log_warnx("garbled message from the loop");
		k->rc = 1;
		event_base_loopexit(k->base, NULL);
		return;
	}
	kannel_dispatch(k, &msg);
}

/* Tell the watchdog we are alive. */
static void
kannel_on_beat(evutil_socket_t fd, short ev, void *arg)
{
	struct wire_msg msg;

	(void)fd;
	(void)ev;
	memset(&msg, 0, sizeof(msg));
	msg.type = WIRE_HEARTBEAT;
	kannel_tell(arg, &msg);
}

/* Report what a modem's health would be: the link we use. */
static void
kannel_on_health(evutil_socket_t fd, short ev, void *arg)
{
	struct kannel	*k = arg;
	struct wire_msg	 msg;

	(void)fd;
	(void)ev;
	if (!k->up)
		return;
	memset(&msg, 0, sizeof(msg));
	msg.type = WIRE_HEALTH;
	msg.u.health.signal_percent = -1;
	msg.u.health.battery_percent = -1;
	msg.u.health.sim_used = -1;
	snprintf(msg.u.health.network, sizeof(msg.u.health.network), "Kannel");
	snprintf(msg.u.health.operator_name,
	    sizeof(msg.u.health.operator_name), "Kannel %s", k->p->url);
	kannel_tell(k, &msg);
}

/* SIGTERM or SIGINT: wake the loop. */
static void
kannel_on_signal(int sig)
{
	int saved = errno;

	(void)sig;
	if (write(kannel_stop_pipe[1], "x", 1) == -1) {
		/* the pipe is full: a stop is already on its way */
	}
	errno = saved;
}

/* Told to stop: finish the sends in flight, then leave. */
static void
kannel_on_stop(evutil_socket_t fd, short ev, void *arg)
{
	struct kannel	*k = arg;
	char		 buf[16];

	(void)ev;
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	k->quit = 1;
	if (k->nsending == 0)
		event_base_loopexit(k->base, NULL);
}

/* Split "ADDR:PORT" (ADDR may be [v6]) into its parts. */
static int
kannel_split_listen(const char *listen, char *addr, size_t len, int *port)
{
	const char	*colon = strrchr(listen, ':');
	size_t		 n;

	if (colon == NULL || (*port = atoi(colon + 1)) <= 0 || *port > 65535)
		return -1;
	n = (size_t)(colon - listen);
	if (n >= 2 && listen[0] == '[' && listen[n - 1] == ']') {
		listen++;
		n -= 2;
	}
	if (n == 0 || n >= len)
		return -1;
	memcpy(addr, listen, n);
	addr[n] = '\0';
	return 0;
}

/* Set up the HTTP client and server and the timers; -1 with WIRE_DOWN. */
static int
kannel_open(struct kannel *k)
{
	struct timeval	 beat = { KANNEL_HEARTBEAT, 0 };
	struct timeval	 health = { k->p->health_interval, 0 };
	char		 addr[64], why[WIRE_ERROR_MAX];
	int		 port;

	k->uri = evhttp_uri_parse(k->p->url);
	if (k->uri == NULL || evhttp_uri_get_host(k->uri) == NULL ||
	    evhttp_uri_get_scheme(k->uri) == NULL ||
	    strcmp(evhttp_uri_get_scheme(k->uri), "http") != 0) {
		kannel_down(k, 1, "url: not an http:// URL");
		return -1;
	}
	
	if ((k->http = evhttp_new(k->base)) == NULL)
		fatalx("evhttp_new");
	evhttp_set_gencb(k->http, kannel_on_http, k);
	evhttp_set_timeout(k->http, 60);
	if (kannel_split_listen(k->p->listen, addr, sizeof(addr), &port) ==
	    -1 || evhttp_bind_socket(k->http, addr, (uint16_t)port) == -1) {
		snprintf(why, sizeof(why), "cannot listen on %s for Kannel: %s",
		    k->p->listen, strerror(errno));
		kannel_down(k, 0, why);
		return -1;
	}
	k->ev_sock = event_new(k->base, k->fd, EV_READ | EV_PERSIST,
	    kannel_on_sock, k);
	k->ev_beat = event_new(k->base, -1, EV_PERSIST, kannel_on_beat, k);
	k->ev_health = event_new(k->base, -1, EV_PERSIST, kannel_on_health, k);
	k->ev_stop = event_new(k->base, kannel_stop_pipe[0],
	    EV_READ | EV_PERSIST, kannel_on_stop, k);
	k->ev_probe = evtimer_new(k->base, kannel_on_probe_timer, k);
	if (k->ev_sock == NULL || k->ev_beat == NULL || k->ev_health == NULL ||
	    k->ev_stop == NULL || k->ev_probe == NULL)
		fatalx("event_new");
	event_add(k->ev_sock, NULL);
	event_add(k->ev_beat, &beat);
	event_add(k->ev_health, &health);
	event_add(k->ev_stop, NULL);
	return 0;
}

/* Free everything; requests still waiting get 503 so Kannel retries. */
static void
kannel_close(struct kannel *k)
{
	struct event *evs[] = { k->ev_sock, k->ev_beat, k->ev_health,
	    k->ev_stop, k->ev_probe };
	size_t i;

	while (!TAILQ_EMPTY(&k->mos))
		kannel_mo_done(TAILQ_FIRST(&k->mos), 503, "Stopping");
	for (i = 0; i < sizeof(evs) / sizeof(evs[0]); i++)
		if (evs[i] != NULL)
			event_free(evs[i]);
	if (k->http != NULL)
		evhttp_free(k->http);
	for (i = 0; i < (size_t)k->nconns; i++)
		evhttp_connection_free(k->conns[i]);
	if (k->uri != NULL)
		evhttp_uri_free(k->uri);
}

/* The worker's main: serve one Kannel link until told to stop. */
int
kannel_main(int fd, const struct modem_params *p)
{
	struct kannel		k;
	struct sigaction	 sa;
	char			 pfx[64];

	snprintf(pfx, sizeof(pfx), "modem %s", p->name);
	log_setprefix(pfx);
	if (pipe2(kannel_stop_pipe, O_NONBLOCK | O_CLOEXEC) == -1)
		return 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = kannel_on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	memset(&k, 0, sizeof(k));
	k.p = p;
	k.fd = fd;
	k.next_loc = 1;
	/* References outlive a restart: they start from the clock. */
	k.next_ref = (int)(((uint64_t)time(NULL) * 64) % 1000000000) + 1;
	TAILQ_INIT(&k.mos);
	if ((k.base = event_base_new()) == NULL)
		return 1;
	if (kannel_open(&k) == 0) {
		kannel_probe(&k);
		event_base_dispatch(k.base);
	}
	kannel_close(&k);
	event_base_free(k.base);
	close(kannel_stop_pipe[0]);
	close(kannel_stop_pipe[1]);
	return k.rc;
}
