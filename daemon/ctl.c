/*
 * The control socket: kentongand listens on a unix socket beside its
 * database (DATABASE.ctl, mode 0600, so only the daemon's own user and
 * root can talk to it), and the CLI tells it what it changed instead of
 * the daemon polling tables for it.
 *
 * DESIGN: a line protocol, one request a line, one answer a line:
 *
 *	ping			ok
 *	poke			ok	(tables changed: outbox, broadcasts)
 *	reload			ok | error REASON
 *	ussd ID			ok done, once request ID is finished
 *	inject MODEM NUMBER TEXT  ok | error REASON (a dummy phone's inbox)
 *
 * Anything else, a line longer than CTL_LINE_MAX or more than
 * CTL_CLIENTS_MAX clients at once is told "busy" and closed; the client
 * tries again a little later (ctl_client.c).
 * Nothing here blocks: the listener and the clients are libevent
 * bufferevents with timeouts, and the work a request asks for is queued
 * on the loop (outbox_kick and friends), never done while the client
 * waits, except a dummy phone's injection, which is a few small files.
 * The lock beside the database keeps a second daemon out, so a socket
 * file found at start-up is a crashed daemon's and is removed.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>

#include "conf.h"
#include "ctl.h"
#include "ctl_client.h"
#include "log.h"
#include "modem.h"

#define CTL_CLIENTS_MAX		16	/* connections at once */
#define CTL_IDLE_SECS		10	/* a client that says nothing */
#define CTL_WAIT_SECS		300	/* a client waiting for an answer */

struct ctl_conn {
	struct bufferevent	*bev;
	int64_t			 ussd;		/* waiting for this request */
	int			 closing;	/* close once the answer is out */
};

static struct {
	struct evconnlistener	*listener;
	const struct conf	*conf;
	struct ctl_hooks	 hooks;
	char			 path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct ctl_conn		 conns[CTL_CLIENTS_MAX];
} ctl;

/* Close a client and free its slot. */
static void
ctl_close(struct ctl_conn *c)
{
	if (c->bev != NULL)
		bufferevent_free(c->bev);
	memset(c, 0, sizeof(*c));
}

/* Send an answer line; close after it when last. */
static void
ctl_answer(struct ctl_conn *c, int last, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void
ctl_answer(struct ctl_conn *c, int last, const char *fmt, ...)
{
	char	buf[CTL_LINE_MAX];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	buf[strcspn(buf, "\r\n")] = '\0';
	evbuffer_add_printf(bufferevent_get_output(c->bev), "%s\n", buf);
	c->closing = last;
}

/* inject MODEM NUMBER TEXT: put a message in a dummy phone's inbox. */
static void
ctl_inject(struct ctl_conn *c, char *args)
{
	const struct conf_modem	*m;
	char			*modem, *number, *text, err[256];

	modem = strsep(&args, " ");
	number = strsep(&args, " ");
	text = args;
	if (modem == NULL || number == NULL || text == NULL ||
	    *number == '\0') {
		ctl_answer(c, 1, "error usage: inject MODEM NUMBER TEXT");
		return;
	}
	if ((m = conf_modem_find(ctl.conf, modem)) == NULL ||
	    !conf_modem_is_dummy(m)) {
		ctl_answer(c, 1, "error %s is not a dummy phone of this daemon",
		    modem);
		return;
	}
	if (modem_inject_dummy(m->device, number, text, err,
	    sizeof(err)) == -1) {
		log_warnx("control: modem %s: %s", modem, err);
		ctl_answer(c, 1, "error modem %s: %s", modem, err);
		return;
	}
	ctl_answer(c, 0, "ok");
}

/* ussd ID: start the request now, answer once it is finished. */
static void
ctl_ussd(struct ctl_conn *c, const char *arg)
{
	struct timeval	 tv = { CTL_WAIT_SECS, 0 };
	char		*end;
	long long	 id;
	int		 rc;

	errno = 0;
	id = strtoll(arg, &end, 10);
	if (errno != 0 || *end != '\0' || id <= 0) {
		ctl_answer(c, 1, "error usage: ussd ID");
		return;
	}
	if ((rc = ctl.hooks.ussd(id)) == -1) {
		ctl_answer(c, 1, "error no USSD request %lld", id);
		return;
	}
	if (rc == 1) {
		ctl_answer(c, 1, "ok done");
		return;
	}
	c->ussd = id;
	bufferevent_set_timeouts(c->bev, &tv, NULL);
}

/* Carry out one request line. */
static void
ctl_request(struct ctl_conn *c, char *line)
{
	char	err[CTL_LINE_MAX];
	char	*verb, *args = line;

	verb = strsep(&args, " ");
	log_debug("control: %s", verb);
	if (strcmp(verb, "ping") == 0 && args == NULL)
		ctl_answer(c, 0, "ok");
	else if (strcmp(verb, "poke") == 0 && args == NULL) {
		ctl.hooks.poke();
		ctl_answer(c, 0, "ok");
	} else if (strcmp(verb, "reload") == 0 && args == NULL) {
		if (ctl.hooks.reload(err, sizeof(err)) == -1)
			ctl_answer(c, 0, "error %s", err);
		else
			ctl_answer(c, 0, "ok");
	} else if (strcmp(verb, "ussd") == 0 && args != NULL)
		ctl_ussd(c, args);
	else if (strcmp(verb, "inject") == 0 && args != NULL)
		ctl_inject(c, args);
	else
		ctl_answer(c, 1, "error unknown request");
}

/* Bufferevent: request lines arrived. */
static void
ctl_on_read(struct bufferevent *bev, void *arg)
{
	struct ctl_conn	*c = arg;
	struct evbuffer	*in = bufferevent_get_input(bev);
	char		*line;
	size_t		 n;

	while (!c->closing && c->ussd == 0 &&
	    (line = evbuffer_readln(in, &n, EVBUFFER_EOL_LF)) != NULL) {
		if (n >= CTL_LINE_MAX || strlen(line) != n)
			ctl_answer(c, 1, "error bad request line");
		else
			ctl_request(c, line);
		free(line);
	}
	if (!c->closing && evbuffer_get_length(in) >= CTL_LINE_MAX)
		ctl_answer(c, 1, "error request line too long");
	if (c->closing) {
		bufferevent_disable(bev, EV_READ);
		evbuffer_drain(in, evbuffer_get_length(in));
	}
}

/* Bufferevent: the answer went out; close if it was the last. */
static void
ctl_on_write(struct bufferevent *bev, void *arg)
{
	struct ctl_conn *c = arg;

	(void)bev;
	if (c->closing)
		ctl_close(c);
}

/* Bufferevent: the client left, timed out or failed. */
static void
ctl_on_event(struct bufferevent *bev, short what, void *arg)
{
	struct ctl_conn *c = arg;

	(void)bev;
	if (what & BEV_EVENT_TIMEOUT)
		log_debug("control: a client timed out");
	ctl_close(c);
}

/* Listener: a client connected. */
static void
ctl_on_accept(struct evconnlistener *l, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct timeval	 tv = { CTL_IDLE_SECS, 0 };
	struct ctl_conn	*c = NULL;
	size_t		 i;

	(void)sa;
	(void)salen;
	(void)arg;
	for (i = 0; i < CTL_CLIENTS_MAX && c == NULL; i++)
		if (ctl.conns[i].bev == NULL)
			c = &ctl.conns[i];
	if (c == NULL) {
		/* Say so, so the client tries again in a moment. */
		log_debug("control: %d clients already; one told to retry",
		    CTL_CLIENTS_MAX);
		if (write(fd, "busy\n", 5) != 5)
			log_debug("control: cannot tell a client to retry");
		evutil_closesocket(fd);
		return;
	}
	c->bev = bufferevent_socket_new(evconnlistener_get_base(l), fd,
	    BEV_OPT_CLOSE_ON_FREE);
	if (c->bev == NULL) {
		evutil_closesocket(fd);
		return;
	}
	bufferevent_setcb(c->bev, ctl_on_read, ctl_on_write, ctl_on_event, c);
	bufferevent_setwatermark(c->bev, EV_READ, 0, CTL_LINE_MAX);
	bufferevent_set_timeouts(c->bev, &tv, &tv);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
}

/* A USSD request is finished: answer whoever waits for it. */
void
ctl_ussd_done(int64_t id)
{
	size_t i;

	for (i = 0; i < CTL_CLIENTS_MAX; i++)
		if (ctl.conns[i].bev != NULL && ctl.conns[i].ussd == id)
			ctl_answer(&ctl.conns[i], 1, "ok done");
}

/*
 * Listen beside the database.  The caller holds the database's lock, so a
 * socket file already there is a crashed daemon's: it is replaced.
 */
int
ctl_init(struct event_base *base, const char *database,
    const struct conf *conf, const struct ctl_hooks *hooks)
{
	struct sockaddr_un	sun;
	mode_t			old;

	memset(&ctl, 0, sizeof(ctl));
	ctl.conf = conf;
	ctl.hooks = *hooks;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (ctl_client_path(database, sun.sun_path,
	    sizeof(sun.sun_path)) == -1) {
		log_warnx("control socket: %s%s is too long a path", database,
		    CTL_SUFFIX);
		return -1;
	}
	if (unlink(sun.sun_path) == -1 && errno != ENOENT) {
		log_warn("control socket: %s", sun.sun_path);
		return -1;
	}
	old = umask(077);
	ctl.listener = evconnlistener_new_bind(base, ctl_on_accept, NULL,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, 8,
	    (struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	if (ctl.listener == NULL) {
		log_warn("control socket: %s", sun.sun_path);
		return -1;
	}
	if (chmod(sun.sun_path, 0600) == -1) {
		log_warn("control socket: chmod %s", sun.sun_path);
		ctl_free();
		return -1;
	}
	snprintf(ctl.path, sizeof(ctl.path), "%s", sun.sun_path);
	log_debug("control socket %s", ctl.path);
	return 0;
}

/* Close every client and the socket, and remove its file. */
void
ctl_free(void)
{
	size_t i;

	for (i = 0; i < CTL_CLIENTS_MAX; i++)
		if (ctl.conns[i].bev != NULL)
			ctl_close(&ctl.conns[i]);
	if (ctl.listener != NULL)
		evconnlistener_free(ctl.listener);
	if (ctl.path[0] != '\0')
		unlink(ctl.path);
	memset(&ctl, 0, sizeof(ctl));
}
