/*
 * Modem workers as seen from the event loop.
 *
 * DESIGN: each configured modem gets a child process (modem/modem.c)
 * forked with one end of a SOCK_SEQPACKET socketpair.  The loop reads
 * its reports with a libevent read event and hands it up to its window of
 * sends at a time (1 for a GSM modem, whose AT link does one command at a
 * time; more for Kannel).  A watchdog timer kills a worker that has been
 * silent for too long (a hung libgammu call, a modem that stopped
 * answering); SIGCHLD reaps it; it is forked again after a backoff of 1,
 * 2, 4 ... 60 s.  Whatever it was sending goes back to the queue through
 * the sent hook.  A worker that reports a fatal error (a refused PIN) is
 * not restarted.
 *
 * Group commit: the parts, results and reports of one read of a worker's
 * socket are handed to the hooks between batch(0) and batch(1), which the
 * daemon makes one transaction; the acknowledgements that let a worker
 * delete a part or answer Kannel go out only after that commit.
 */
#include <sys/queue.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "kannel.h"
#include "modem.h"
#include "wire.h"
#include "conf.h"
#include "log.h"
#include "worker.h"

#define WORKER_WATCH_SECS	2
#define WORKER_OPEN_MAX		90	/* seconds to open a modem */
#define WORKER_BACKOFF_MAX	60
#define WORKER_STOP_GRACE	10
#define WORKER_OUTQ_MAX		4096	/* messages waiting for a busy worker */
#define WORKER_READ_MAX		64	/* reports taken in one read callback */

/* A message for a worker that its socket could not take yet. */
struct worker_out {
	TAILQ_ENTRY(worker_out)	 entry;
	struct wire_msg		 msg;
};
TAILQ_HEAD(worker_outq, worker_out);

struct worker {
	struct modem_params	 params;
	int			 delivery_reports;
	enum worker_state	 state;
	pid_t			 pid;
	int			 fd;
	struct event		*ev_read;
	struct event		*ev_write;	/* flushes outq */
	struct event		*ev_restart;
	struct worker_outq	 outq;
	int			 noutq;
	time_t			 last_heard;
	time_t			 ready_since;
	time_t			 send_started;
	int			 send_timeout;
	int			 watchdog;	/* seconds of silence = hung */
	int64_t			 inflight[CONF_WINDOW_MAX];	/* outbox ids */
	int			 ninflight;
	int			 window;	/* sends it may hold at once */
	struct wire_stored	 acks[WORKER_READ_MAX];	/* after the commit */
	int			 nacks;
	int			 in_batch;	/* batch(0) called, not batch(1) */
	int			 backoff;
	int			 fatal;
	int			 remove;	/* dropped from config on reload */
	char			 error[WIRE_ERROR_MAX];
	struct wire_hello	 hello;
	struct wire_health	 health;
};

static struct {
	struct event_base	*base;
	struct worker_hooks	 hooks;
	struct event		*ev_watch;
	int			 debug;
	int			 n;
	struct worker		*w[CONF_MODEMS_MAX * 2];
	int			 stopping;
	time_t			 stop_deadline;
	void			(*stop_done)(void *);
	void			*stop_arg;
} workers;

static void	worker_spawn(struct worker *);
static void	worker_on_read(evutil_socket_t, short, void *);
static void	worker_on_write(evutil_socket_t, short, void *);

/* Name of a state, for logs and the modems table. */
const char *
worker_state_name(enum worker_state s)
{
	switch (s) {
	case WORKER_STARTING:	return "starting";
	case WORKER_READY:	return "up";
	case WORKER_DOWN:	return "down";
	case WORKER_FAILED:	return "failed";
	case WORKER_STOPPING:	return "stopping";
	case WORKER_STOPPED:	return "stopped";
	default:
		fatalx("worker: unknown state %d", (int)s);
	}
}

const char *
worker_name(const struct worker *w)
{
	return w->params.name;
}

enum worker_state
worker_state(const struct worker *w)
{
	return w->state;
}

const char *
worker_error(const struct worker *w)
{
	return w->error;
}

const struct wire_hello *
worker_hello(const struct worker *w)
{
	return &w->hello;
}

const struct wire_health *
worker_health(const struct worker *w)
{
	return &w->health;
}

int
worker_delivery_reports(const struct worker *w)
{
	return w->delivery_reports;
}

/* Number of workers, including stopped ones. */
int
worker_count(void)
{
	return workers.n;
}

/* Move a worker to a new state and let the daemon record it. */
static void
worker_set_state(struct worker *w, enum worker_state s)
{
	if (w->state == s)
		return;
	log_debug("modem %s: %s -> %s", w->params.name,
	    worker_state_name(w->state), worker_state_name(s));
	w->state = s;
	if (s == WORKER_READY)
		w->ready_since = time(NULL);
	if (workers.hooks.status != NULL)
		workers.hooks.status(workers.hooks.arg, w);
}

/* Copy a configured modem into a worker's parameters. */
static void
worker_params(struct worker *w, const struct conf_modem *cm)
{
	struct modem_params *p = &w->params;

	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", cm->name);
	snprintf(p->device, sizeof(p->device), "%s", cm->device);
	snprintf(p->connection, sizeof(p->connection), "%s", cm->connection);
	snprintf(p->model, sizeof(p->model), "%s", cm->model);
	snprintf(p->pin, sizeof(p->pin), "%s", cm->pin);
	snprintf(p->url, sizeof(p->url), "%s", cm->url);
	snprintf(p->listen, sizeof(p->listen), "%s", cm->listen);
	snprintf(p->username, sizeof(p->username), "%s", cm->username);
	snprintf(p->password, sizeof(p->password), "%s", cm->password);
	p->poll_interval = cm->poll_interval;
	p->send_timeout = cm->send_timeout;
	p->health_interval = cm->health_interval;
	p->debug = workers.debug >= 2;
	p->native = strcmp(cm->engine, "native") == 0;
	w->send_timeout = cm->send_timeout;
	w->window = cm->window > 0 ? cm->window : 1;
	w->watchdog = cm->watchdog;
	w->delivery_reports = cm->delivery_reports;
}

/* Close every descriptor a forked worker does not need. */
static void
worker_close_fds(int keep)
{
	long	max = sysconf(_SC_OPEN_MAX);
	int	fd;

	if (max < 0 || max > 65536)
		max = 65536;
	for (fd = 3; fd < max; fd++)
		if (fd != keep)
			close(fd);
}

/* The forked child: become a modem worker and never come back. */
static void __attribute__((noreturn))
worker_child(struct worker *w, int fd, pid_t parent)
{
	struct sigaction	sa;
	sigset_t		set;

	/*
	 * Die with the daemon: after a kill -9 the next daemon's worker must
	 * not find this one still talking to the same serial port.
	 */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 || getppid() != parent)
		_exit(1);
	worker_close_fds(fd);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigemptyset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);
	if (strcmp(w->params.connection, "kannel") == 0)
		_exit(kannel_main(fd, &w->params));
	_exit(modem_main(fd, &w->params));
}

/* Fork a worker for w. */
static void
worker_spawn(struct worker *w)
{
	int	sv[2];
	pid_t	pid, parent = getpid();

	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == -1) {
		log_warn("modem %s: socketpair", w->params.name);
		return;
	}
	if ((pid = fork()) == -1) {
		log_warn("modem %s: fork", w->params.name);
		close(sv[0]);
		close(sv[1]);
		return;
	}
	if (pid == 0)
		worker_child(w, sv[1], parent);
	close(sv[1]);
	fcntl(sv[0], F_SETFL, fcntl(sv[0], F_GETFL) | O_NONBLOCK);
	fcntl(sv[0], F_SETFD, FD_CLOEXEC);
	w->pid = pid;
	w->fd = sv[0];
	w->ninflight = 0;
	w->nacks = 0;
	w->last_heard = time(NULL);
	w->error[0] = '\0';
	w->ev_read = event_new(workers.base, w->fd, EV_READ | EV_PERSIST,
	    worker_on_read, w);
	if (w->ev_read == NULL)
		fatalx("event_new");
	event_add(w->ev_read, NULL);
	w->ev_write = event_new(workers.base, w->fd, EV_WRITE,
	    worker_on_write, w);
	if (w->ev_write == NULL)
		fatalx("event_new");
	log_debug("modem %s: worker pid %d", w->params.name, (int)pid);
	worker_set_state(w, WORKER_STARTING);
}

/* Restart timer fired. */
static void
worker_on_restart(evutil_socket_t fd, short ev, void *arg)
{
	struct worker *w = arg;

	(void)fd;
	(void)ev;
	if (w->state == WORKER_DOWN && !workers.stopping)
		worker_spawn(w);
}

/* Hand back the sends the worker never answered. */
static void
worker_lose_send(struct worker *w)
{
	int64_t id;

	while (w->ninflight > 0) {
		id = w->inflight[--w->ninflight];
		if (workers.hooks.sent != NULL)
			workers.hooks.sent(workers.hooks.arg, w->params.name,
			    id, NULL);
	}
}

/* Take id out of the sends in flight; 0, or -1 if it was not there. */
static int
worker_inflight_drop(struct worker *w, int64_t id)
{
	int i;

	for (i = 0; i < w->ninflight; i++)
		if (w->inflight[i] == id) {
			w->inflight[i] = w->inflight[--w->ninflight];
			return 0;
		}
	return -1;
}

/*
 * Forget what was waiting for the worker: acknowledgements are repeated
 * by the SIM (the message is read again and recognised), and a send in
 * hand goes back to the queue through worker_lose_send.
 */
static void
worker_outq_clear(struct worker *w)
{
	struct worker_out *o;

	while ((o = TAILQ_FIRST(&w->outq)) != NULL) {
		TAILQ_REMOVE(&w->outq, o, entry);
		free(o);
	}
	w->noutq = 0;
}

/* Stop listening to a worker whose process is gone or going. */
static void
worker_detach(struct worker *w)
{
	if (w->ev_read != NULL) {
		event_free(w->ev_read);
		w->ev_read = NULL;
	}
	if (w->ev_write != NULL) {
		event_free(w->ev_write);
		w->ev_write = NULL;
	}
	worker_outq_clear(w);
	if (w->fd != -1) {
		close(w->fd);
		w->fd = -1;
	}
	worker_lose_send(w);
}

/* Kill a worker outright (hung or gone mad); SIGCHLD finishes the job. */
static void
worker_kill(struct worker *w, const char *why)
{
	log_warnx("modem %s: %s; killing worker %d", w->params.name, why,
	    (int)w->pid);
	snprintf(w->error, sizeof(w->error), "%s", why);
	if (w->pid > 0)
		kill(w->pid, SIGKILL);
	worker_detach(w);
}

/* A worker process exited: decide whether and when to restart it. */
static void
worker_exited(struct worker *w, int status)
{
	struct timeval tv;

	/* What it said last (a fatal WIRE_DOWN) may still be unread. */
	w->pid = 0;
	if (w->fd != -1)
		worker_on_read(w->fd, EV_READ, w);
	worker_detach(w);
	if (WIFSIGNALED(status) && WTERMSIG(status) != SIGKILL &&
	    WTERMSIG(status) != SIGTERM)
		log_warnx("modem %s: worker crashed (signal %d)",
		    w->params.name, WTERMSIG(status));
	if (w->state == WORKER_STOPPING || workers.stopping || w->remove) {
		worker_set_state(w, WORKER_STOPPED);
		return;
	}
	if (w->fatal) {
		worker_set_state(w, WORKER_FAILED);
		return;
	}
	if (w->ready_since != 0 && time(NULL) - w->ready_since > 60)
		w->backoff = 0;
	w->backoff = w->backoff == 0 ? 1 : w->backoff * 2;
	if (w->backoff > WORKER_BACKOFF_MAX)
		w->backoff = WORKER_BACKOFF_MAX;
	w->ready_since = 0;
	log_info("modem %s: restarting in %d s", w->params.name, w->backoff);
	worker_set_state(w, WORKER_DOWN);
	tv.tv_sec = w->backoff;
	tv.tv_usec = 0;
	event_add(w->ev_restart, &tv);
}

/* Find the worker with a given pid. */
static struct worker *
worker_by_pid(pid_t pid)
{
	int i;

	for (i = 0; i < workers.n; i++)
		if (workers.w[i]->pid == pid)
			return workers.w[i];
	return NULL;
}

/* Find the worker of a modem by name. */
static struct worker *
worker_by_name(const char *name)
{
	int i;

	for (i = 0; i < workers.n; i++)
		if (strcmp(workers.w[i]->params.name, name) == 0 &&
		    !workers.w[i]->remove)
			return workers.w[i];
	return NULL;
}

/* Reap exited children (called on SIGCHLD). */
void
worker_reap(void)
{
	struct worker	*w;
	pid_t		 pid;
	int		 status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		if ((w = worker_by_pid(pid)) != NULL)
			worker_exited(w, status);
}

/* Write queued messages while the worker's socket takes them. */
static void
worker_flush(struct worker *w)
{
	struct worker_out *o;

	while ((o = TAILQ_FIRST(&w->outq)) != NULL) {
		if (send(w->fd, &o->msg, sizeof(o->msg), MSG_NOSIGNAL) == -1) {
			if (errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == EINTR) {
				event_add(w->ev_write, NULL);
				return;
			}
			log_warn("modem %s: write to worker", w->params.name);
			worker_outq_clear(w);
			return;
		}
		TAILQ_REMOVE(&w->outq, o, entry);
		free(o);
		w->noutq--;
	}
}

/* The worker's socket has room again. */
static void
worker_on_write(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	worker_flush(arg);
}

/*
 * Send one message to a worker, in order after any already waiting; a
 * worker busy with a slow send lets them wait in outq.  -1 if it cannot.
 */
static int
worker_tell(struct worker *w, const struct wire_msg *msg)
{
	struct worker_out *o;

	if (w->fd == -1)
		return -1;
	if (w->noutq >= WORKER_OUTQ_MAX) {
		log_warnx("modem %s: worker is %d messages behind",
		    w->params.name, w->noutq);
		return -1;
	}
	if ((o = malloc(sizeof(*o))) == NULL)
		fatal("malloc");
	o->msg = *msg;
	TAILQ_INSERT_TAIL(&w->outq, o, entry);
	w->noutq++;
	if (w->noutq == 1)
		worker_flush(w);
	return 0;
}

/* Open the batch of one read, so what it brings is one transaction. */
static void
worker_batch_begin(struct worker *w)
{
	if (w->in_batch)
		return;
	w->in_batch = 1;
	w->nacks = 0;
	if (workers.hooks.batch != NULL)
		workers.hooks.batch(workers.hooks.arg, 0);
}

/*
 * Close the batch: once it is committed, tell the worker to delete (or
 * answer Kannel for) what it stored; if not, the worker keeps them and
 * they come again.
 */
static void
worker_batch_end(struct worker *w)
{
	struct wire_msg	msg;
	int		i, ok = 0;

	if (!w->in_batch)
		return;
	w->in_batch = 0;
	if (workers.hooks.batch != NULL)
		ok = workers.hooks.batch(workers.hooks.arg, 1) == 0;
	else
		ok = 1;
	for (i = 0; ok && i < w->nacks && w->fd != -1; i++) {
		memset(&msg, 0, sizeof(msg));
		msg.type = WIRE_STORED;
		msg.u.stored = w->acks[i];
		worker_tell(w, &msg);
	}
	w->nacks = 0;
}

/* Acknowledge folder/location after the batch's commit. */
static void
worker_ack_later(struct worker *w, int folder, int location)
{
	if (w->nacks == WORKER_READ_MAX)
		fatalx("worker: more acknowledgements than reports");
	w->acks[w->nacks].folder = folder;
	w->acks[w->nacks].location = location;
	w->nacks++;
}

/* A part arrived: store it in the batch; it is deleted after the commit. */
static void
worker_received(struct worker *w, const struct wire_sms_in *in)
{
	if (workers.hooks.received(workers.hooks.arg, w->params.name,
	    in) != 0)
		return;		/* not stored: it stays on the SIM */
	worker_ack_later(w, in->folder, in->location);
}

/* A delivery report arrived: apply it in the batch, then have it deleted. */
static void
worker_report(struct worker *w, const struct wire_report *r)
{
	if (workers.hooks.report(workers.hooks.arg, w->params.name, r) != 0)
		return;
	worker_ack_later(w, r->folder, r->location);
}

/* Act on one report from a worker. */
static void
worker_dispatch(struct worker *w, const struct wire_msg *msg)
{
	/* Only parts, results and reports join a batch; the rest may
	 * open transactions of their own. */
	if (msg->type == WIRE_SMS_IN || msg->type == WIRE_SENT ||
	    msg->type == WIRE_REPORT)
		worker_batch_begin(w);
	else
		worker_batch_end(w);
	switch (msg->type) {
	case WIRE_HELLO:
		w->hello = msg->u.hello;
		/* Asked to stop while it was opening the modem: it exits. */
		if (w->state == WORKER_STOPPING)
			break;
		worker_set_state(w, WORKER_READY);
		if (workers.hooks.idle != NULL)
			workers.hooks.idle(workers.hooks.arg);
		break;
	case WIRE_DOWN:
		snprintf(w->error, sizeof(w->error), "%s", msg->u.down.error);
		w->fatal = msg->u.down.fatal;
		log_warnx("modem %s: %s%s", w->params.name, w->error,
		    w->fatal ? " (not retrying)" : "");
		/*
		 * No more sends for it until it says hello again: an AT
		 * worker exits next, a Kannel worker asks smsbox again.
		 */
		if (w->state == WORKER_READY || w->state == WORKER_STARTING)
			worker_set_state(w, WORKER_DOWN);
		else if (workers.hooks.status != NULL)
			workers.hooks.status(workers.hooks.arg, w);
		break;
	case WIRE_SMS_IN:
		worker_received(w, &msg->u.sms_in);
		break;
	case WIRE_SENT:
		if (worker_inflight_drop(w, msg->u.sent.outbox_id) == -1) {
			log_warnx("modem %s: result for %lld, which it was not "
			    "sending", w->params.name,
			    (long long)msg->u.sent.outbox_id);
			break;
		}
		workers.hooks.sent(workers.hooks.arg, w->params.name,
		    msg->u.sent.outbox_id, &msg->u.sent);
		if (workers.hooks.idle != NULL)
			workers.hooks.idle(workers.hooks.arg);
		break;
	case WIRE_HEALTH:
		w->health = msg->u.health;
		if (workers.hooks.status != NULL)
			workers.hooks.status(workers.hooks.arg, w);
		break;
	case WIRE_REPORT:
		worker_report(w, &msg->u.report);
		break;
	case WIRE_HEARTBEAT:
		break;
	case WIRE_USSD_REPLY:
		if (workers.hooks.ussd != NULL)
			workers.hooks.ussd(workers.hooks.arg, w->params.name,
			    &msg->u.ussd_reply);
		break;
	default:
		log_warnx("modem %s: unknown report type %u", w->params.name,
		    msg->type);
		break;
	}
}

#define WORKER_TERM(f)	((f)[sizeof(f) - 1] = '\0')

/*
 * End every string of a report within its field: a worker is fed by a
 * modem and is not trusted to have done so (nor libgammu under it).
 */
static void
worker_terminate(struct wire_msg *msg)
{
	switch (msg->type) {
	case WIRE_HELLO:
		WORKER_TERM(msg->u.hello.manufacturer);
		WORKER_TERM(msg->u.hello.model);
		WORKER_TERM(msg->u.hello.imei);
		break;
	case WIRE_DOWN:
		WORKER_TERM(msg->u.down.error);
		break;
	case WIRE_SMS_IN:
		WORKER_TERM(msg->u.sms_in.sender);
		WORKER_TERM(msg->u.sms_in.smsc_time);
		WORKER_TERM(msg->u.sms_in.text);
		break;
	case WIRE_SENT:
		WORKER_TERM(msg->u.sent.error);
		break;
	case WIRE_HEALTH:
		WORKER_TERM(msg->u.health.network);
		WORKER_TERM(msg->u.health.operator_name);
		break;
	case WIRE_REPORT:
		WORKER_TERM(msg->u.report.recipient);
		break;
	case WIRE_USSD_REPLY:
		WORKER_TERM(msg->u.ussd_reply.text);
		WORKER_TERM(msg->u.ussd_reply.error);
		break;
	default:
		break;		/* no strings; unknown types are refused */
	}
}

/* The worker's socket is readable. */
static void
worker_on_read(evutil_socket_t fd, short ev, void *arg)
{
	struct worker	*w = arg;
	struct wire_msg	 msg;
	ssize_t		 n;
	int		 i;

	(void)ev;
	for (i = 0; i < WORKER_READ_MAX; i++) {
		n = recv(fd, &msg, sizeof(msg), 0);
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			break;
		if (n <= 0) {
			/* The process is exiting; SIGCHLD will follow. */
			worker_batch_end(w);
			worker_detach(w);
			return;
		}
		w->last_heard = time(NULL);
		if (n != (ssize_t)sizeof(msg)) {
			worker_batch_end(w);
			worker_kill(w, "garbled report from worker");
			return;
		}
		worker_terminate(&msg);
		worker_dispatch(w, &msg);
		if (w->fd == -1)
			break;
	}
	worker_batch_end(w);
}

/* Periodic check for hung workers and for the end of a shutdown. */
static void
worker_on_watch(evutil_socket_t fd, short ev, void *arg)
{
	struct worker	*w;
	time_t		 now = time(NULL), limit;
	int		 i, alive = 0;

	(void)fd;
	(void)ev;
	(void)arg;
	for (i = 0; i < workers.n; i++) {
		w = workers.w[i];
		if (w->pid > 0)
			alive++;
		if (w->pid <= 0 || w->fd == -1)
			continue;
		limit = w->state == WORKER_STARTING ? WORKER_OPEN_MAX :
		    w->watchdog;
		if (w->ninflight > 0)
			limit += w->send_timeout;
		if (now - w->last_heard > limit)
			worker_kill(w, "modem stopped answering");
	}
	if (!workers.stopping)
		return;
	if (alive == 0) {
		event_del(workers.ev_watch);
		workers.stop_done(workers.stop_arg);
		return;
	}
	if (now > workers.stop_deadline)
		for (i = 0; i < workers.n; i++)
			if (workers.w[i]->pid > 0)
				worker_kill(workers.w[i], "did not stop in time");
}

/* Create a worker for a configured modem and start it. */
static struct worker *
worker_add(const struct conf_modem *cm)
{
	struct worker *w;

	if (workers.n == (int)(sizeof(workers.w) / sizeof(workers.w[0])))
		return NULL;
	if ((w = calloc(1, sizeof(*w))) == NULL)
		fatal("calloc");
	w->fd = -1;
	w->state = WORKER_STOPPED;
	TAILQ_INIT(&w->outq);
	worker_params(w, cm);
	w->ev_restart = evtimer_new(workers.base, worker_on_restart, w);
	if (w->ev_restart == NULL)
		fatalx("evtimer_new");
	workers.w[workers.n++] = w;
	worker_spawn(w);
	return w;
}

/* Start a worker for every configured modem. */
int
worker_init(struct event_base *base, const struct conf *conf,
    const struct worker_hooks *hooks, int debug)
{
	struct timeval	tv = { WORKER_WATCH_SECS, 0 };
	int		i;

	memset(&workers, 0, sizeof(workers));
	workers.base = base;
	workers.hooks = *hooks;
	workers.debug = debug;
	workers.ev_watch = event_new(base, -1, EV_PERSIST, worker_on_watch,
	    NULL);
	if (workers.ev_watch == NULL)
		return -1;
	event_add(workers.ev_watch, &tv);
	for (i = 0; i < conf->nmodems; i++)
		worker_add(&conf->modems[i]);
	return 0;
}

/* Ask one worker to stop after the operation in hand. */
static void
worker_stop(struct worker *w)
{
	evtimer_del(w->ev_restart);
	if (w->pid > 0) {
		worker_set_state(w, WORKER_STOPPING);
		kill(w->pid, SIGTERM);
	} else
		worker_set_state(w, WORKER_STOPPED);
}

/*
 * Apply a new configuration: modems whose settings changed are
 * restarted, new ones started, removed ones stopped.  A failed modem gets
 * another chance only when its settings changed: with the same PIN a
 * reload would enter a refused PIN again, and three of those lock the SIM.
 */
void
worker_reload(const struct conf *conf)
{
	const struct conf_modem	*cm;
	struct worker		*w;
	struct modem_params	 old;
	int			 i;

	for (i = 0; i < workers.n; i++) {
		w = workers.w[i];
		if ((cm = conf_modem_find(conf, w->params.name)) == NULL) {
			w->remove = 1;
			worker_stop(w);
			continue;
		}
		old = w->params;
		worker_params(w, cm);
		/*
		 * A failed modem with the same settings would fail the same
		 * way, and a SIM must not see a refused PIN twice.  Kannel is
		 * asked again: its sendsms-user may have been fixed in
		 * kannel.conf, and asking costs nothing.
		 */
		if (memcmp(&old, &w->params, sizeof(old)) == 0 &&
		    w->state == WORKER_FAILED &&
		    strcmp(w->params.connection, "kannel") != 0) {
			log_warnx("modem %s: still failed (%s); change its "
			    "settings to try again", w->params.name, w->error);
			continue;
		}
		if (memcmp(&old, &w->params, sizeof(old)) != 0 ||
		    w->state == WORKER_FAILED || w->state == WORKER_STOPPED) {
			w->fatal = 0;
			w->backoff = 0;
			if (w->pid > 0)
				worker_kill(w, "configuration changed");
			else
				worker_spawn(w);
		}
	}
	for (i = 0; i < conf->nmodems; i++)
		if (worker_by_name(conf->modems[i].name) == NULL)
			worker_add(&conf->modems[i]);
}

/* Return the next ready worker with room in its window, after `after`. */
struct worker *
worker_next_idle(struct worker *after)
{
	int i = 0;

	if (after != NULL)
		while (i < workers.n && workers.w[i++] != after)
			;
	for (; i < workers.n; i++)
		if (workers.w[i]->state == WORKER_READY &&
		    workers.w[i]->ninflight < workers.w[i]->window &&
		    workers.w[i]->fd != -1)
			return workers.w[i];
	return NULL;
}

/* Sends a worker may still be given now (its window less those held). */
int
worker_room(const struct worker *w)
{
	if (w->state != WORKER_READY || w->fd == -1)
		return 0;
	return w->window - w->ninflight;
}

/* Sends a worker holds: one of ours is in its hands when above 0. */
int
worker_inflight(const struct worker *w)
{
	return w->ninflight;
}

/*
 * Hand a message to a worker with room in its window; parts_done > 0
 * resumes a long text after the parts already sent, with their
 * concatenation reference.
 */
int
worker_send(struct worker *w, int64_t outbox_id, const char *recipient,
    const char *text, int want_report, int parts_done, int concat_ref)
{
	struct wire_msg msg;

	if (worker_room(w) <= 0)
		return -1;
	if (strlen(text) >= sizeof(msg.u.send.text) ||
	    strlen(recipient) >= sizeof(msg.u.send.recipient))
		return -1;
	memset(&msg, 0, sizeof(msg));
	msg.type = WIRE_SEND;
	msg.u.send.outbox_id = outbox_id;
	msg.u.send.want_report = want_report;
	msg.u.send.parts_done = parts_done;
	msg.u.send.concat_ref = concat_ref;
	memcpy(msg.u.send.recipient, recipient, strlen(recipient) + 1);
	memcpy(msg.u.send.text, text, strlen(text) + 1);
	if (worker_tell(w, &msg) == -1)
		return -1;
	w->inflight[w->ninflight++] = outbox_id;
	w->send_started = time(NULL);
	return 0;
}

/* Ask a modem's worker to dial a USSD code; -1 when it is not ready. */
int
worker_ussd(const char *modem, int64_t id, const char *code, int timeout)
{
	struct worker	*w = worker_by_name(modem);
	struct wire_msg	 msg;

	if (w == NULL || w->state != WORKER_READY || w->fd == -1 ||
	    strlen(code) >= sizeof(msg.u.ussd.code))
		return -1;
	memset(&msg, 0, sizeof(msg));
	msg.type = WIRE_USSD;
	msg.u.ussd.id = id;
	msg.u.ussd.timeout = timeout;
	memcpy(msg.u.ussd.code, code, strlen(code) + 1);
	return worker_tell(w, &msg);
}

/* Stop every worker; call done once all have exited. */
void
worker_shutdown(void (*done)(void *), void *arg)
{
	int i;

	workers.stopping = 1;
	workers.stop_done = done;
	workers.stop_arg = arg;
	workers.stop_deadline = time(NULL) + WORKER_STOP_GRACE;
	for (i = 0; i < workers.n; i++) {
		if (workers.w[i]->ninflight > 0)
			workers.stop_deadline = time(NULL) + WORKER_STOP_GRACE +
			    workers.w[i]->send_timeout;
		worker_stop(workers.w[i]);
	}
	worker_on_watch(-1, 0, NULL);
}

/* Free all worker state (after shutdown). */
void
worker_free_all(void)
{
	int i;

	for (i = 0; i < workers.n; i++) {
		worker_detach(workers.w[i]);
		event_free(workers.w[i]->ev_restart);
		free(workers.w[i]);
	}
	workers.n = 0;
	if (workers.ev_watch != NULL)
		event_free(workers.ev_watch);
	workers.ev_watch = NULL;
}
