/*
 * The modem worker on the native AT engine.
 *
 * DESIGN: the same process, wire protocol and rules as modem/modem.c
 * (commit, then delete; announce again after MODEM_REANNOUNCE; reports
 * held back until the send they are about is answered), but every AT
 * command goes through at_chan.c on the worker's own libevent loop, so a
 * send takes the modem's time and nothing else: no sleeps.  Between
 * commands the worker sleeps in the loop until the modem, the daemon or
 * a timer (scan, health, heartbeat) wakes it.
 *
 * Start-up is a chain of commands (ATE0, +CMEE, +CPIN?, the PIN only
 * when asked and only once, +CGMI/+CGMM/+CGSN, the profile's own, PDU
 * mode, +CPMS, +CNMI); each step's result picks the next.  The same
 * chain, followed by the health queries, is `kentongan modem probe`.
 *
 * Sends and USSD requests are run one at a time (struct at_worker_op queue);
 * deletes, scans and health queries are plain commands that the channel
 * interleaves between them.
 */
#include <sys/queue.h>
#include <sys/signalfd.h>
#include <sys/socket.h>

#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "log.h"
#include "at.h"
#include "at_worker.h"
#include "modem.h"
#include "wire.h"

#define AT_WORKER_PENDING_MAX		256	/* parts announced, not yet stored */
#define AT_WORKER_UNREADABLE_MAX	64	/* undecodable locations, logged once */
#define AT_WORKER_LATE_MAX		16	/* reports held back during a send */
#define AT_WORKER_OPS_MAX		64	/* sends and USSD waiting */
#define AT_WORKER_REANNOUNCE		30	/* seconds before announcing again */
#define AT_WORKER_HEARTBEAT		2	/* seconds between heartbeats */
#define AT_WORKER_CMD_MS		10000	/* ordinary command timeout */
#define AT_WORKER_SYNC_MS		2000	/* the first AT */
#define AT_WORKER_SYNC_TRIES		4
#define AT_WORKER_SETTLE_MS		100	/* after the ESC, before AT */
#define AT_WORKER_LIST_MS		60000	/* AT+CMGL of a full SIM */
#define AT_WORKER_CPIN_RETRIES	10	/* SIM busy after the PIN */
#define AT_WORKER_DELETES_MAX		AT_WORKER_PENDING_MAX	/* AT+CMGD in the queue */

enum at_worker_step {
	AT_WORKER_SYNC,
	AT_WORKER_ECHO,
	AT_WORKER_CMEE,
	AT_WORKER_CPIN,
	AT_WORKER_PIN,
	AT_WORKER_CGMI,
	AT_WORKER_CGMM,
	AT_WORKER_CGSN,
	AT_WORKER_PROFILE,
	AT_WORKER_CMGF,
	AT_WORKER_CPMS,
	AT_WORKER_CNMI,
	AT_WORKER_READY,
};

struct at_worker_pending {
	int	location;
	time_t	announced;
	int	deleting;		/* AT+CMGD queued: not to be read */
};

/*
 * The reply being sent, laid out as PDUs.  A retry of one sent in part
 * starts where the outbox says it stopped (parts_done, concat_ref), so
 * it survives the worker's restart.
 */
struct at_worker_resume {
	int			  parts;
	int			  sent;		/* parts accepted */
	int			  msg_ref;
	char			(*hex)[AT_PDU_HEX_MAX + 1];
	int			 *len;		/* AT+CMGS= of each part */
};

struct at_worker_op {
	TAILQ_ENTRY(at_worker_op)	entry;
	struct wire_msg		msg;
};

TAILQ_HEAD(at_worker_opq, at_worker_op);

struct at_worker {
	const struct modem_params	*p;
	int				 fd;
	int				 probe;		/* `modem probe` */
	struct event_base		*base;
	struct event			*ev_loop;
	struct event			*ev_scan;
	struct event			*ev_health;
	struct event			*ev_beat;
	struct event			*ev_ussd;
	struct event			*ev_retry;
	struct event			*ev_sig;
	int				 sigfd;
	sigset_t			 oldmask;
	int				 quitting;	/* after the op */
	struct at_chan			*chan;
	const struct at_profile		*prof;
	enum at_worker_step			 step;
	int				 tries;
	int				 pin_entered;
	int				 pin_state;	/* 0 ready, 1 PIN, 2 other */
	int				 profile_i;
	int				 notify;	/* +CNMI accepted */
	int				 down;		/* WIRE_DOWN sent */
	int				 rc;
	struct wire_hello		 hello;
	struct at_worker_info			 info;
	/* Reading. */
	int				 scanning;
	int				 scan_again;
	int				 list_loc;	/* +CMGL header seen */
	int				 list_stat;
	int				 npending;
	struct at_worker_pending		 pending[AT_WORKER_PENDING_MAX];
	int				 nunreadable;
	int				 unreadable[AT_WORKER_UNREADABLE_MAX];
	int				 deletes[AT_WORKER_DELETES_MAX];	/* FIFO */
	int				 ndeletes;
	/* Locations we emptied since last reading them: what is there is new. */
	int				 freed[AT_WORKER_PENDING_MAX];
	int				 nfreed;
	/* Sends and USSD, one at a time. */
	struct at_worker_opq			 ops;
	int				 nops;
	struct at_worker_op			*op;		/* in progress */
	struct wire_sent		 res;
	struct at_worker_resume		*rs;		/* the op's parts */
	struct at_worker_resume		 cur;		/* w->rs when sending */
	time_t				 deadline;
	int				 ussd_wait;	/* OK came, +CUSD not yet */
	int				 nlate;
	struct wire_msg			 late[AT_WORKER_LATE_MAX];
	int				 health_busy;
};

static void	at_worker_init_next(struct at_worker *, enum at_worker_step);
static void	at_worker_op_next(struct at_worker *);
static void	at_worker_send_part(struct at_worker *);
static void	at_worker_resume_free(struct at_worker_resume *);

/* Send one message to the loop; a dead loop means we leave. */
static void
at_worker_tell(struct at_worker *w, const struct wire_msg *msg)
{
	if (w->probe)
		return;
	if (send(w->fd, msg, sizeof(*msg), MSG_NOSIGNAL) == -1) {
		log_warn("lost the event loop");
		_exit(1);
	}
}

/*
 * The modem is lost with a send in hand: tell the loop how far it got
 * (the parts accepted, their reference), as a link failure, so that the
 * retry on the restarted worker sends only the rest.
 */
static void
at_worker_send_lost(struct at_worker *w, const char *why)
{
	struct wire_msg msg;

	if (w->rs == NULL)
		return;
	memset(&msg, 0, sizeof(msg));
	msg.type = WIRE_SENT;
	msg.u.sent = w->res;
	msg.u.sent.ok = 0;
	msg.u.sent.link = 1;
	if (msg.u.sent.error[0] == '\0')
		snprintf(msg.u.sent.error, sizeof(msg.u.sent.error), "part "
		    "%d/%d: %s", w->rs->sent + 1, w->rs->parts, why);
	at_worker_resume_free(w->rs);
	w->rs = NULL;
	at_worker_tell(w, &msg);
}

/* Report, once, that the modem cannot be used and why; then leave. */
static void __attribute__((format(printf, 3, 4)))
at_worker_down(struct at_worker *w, int fatal_err, const char *fmt, ...)
{
	struct wire_msg	msg;
	va_list		ap;

	if (w->down)
		return;
	w->down = 1;
	w->rc = 1;
	memset(&msg, 0, sizeof(msg));
	va_start(ap, fmt);
	vsnprintf(msg.u.down.error, sizeof(msg.u.down.error), fmt, ap);
	va_end(ap);
	at_worker_send_lost(w, msg.u.down.error);
	msg.type = WIRE_DOWN;
	msg.u.down.fatal = fatal_err;
	if (w->probe)
		snprintf(w->info.error, sizeof(w->info.error), "%s",
		    msg.u.down.error);
	at_worker_tell(w, &msg);	/* the loop logs it */
	event_base_loopbreak(w->base);
}

/* Queue a command; a full queue or a gone device takes the modem down. */
static void
at_worker_cmd(struct at_worker *w, const char *text, const char *pdu, int ms,
    at_line_fn *line, at_done_fn *done)
{
	if (w->down)
		return;
	if (at_chan_cmd(w->chan, text, pdu, ms, line, done, w) == -1)
		at_worker_down(w, 0, "%s: cannot queue %s", w->p->device, text);
}

/* A command failed in a way that says the modem is gone or silent. */
static int
at_worker_link_lost(struct at_worker *w, enum at_result r, const char *what)
{
	char buf[32];

	if (r != AT_TIMEOUT && r != AT_GONE)
		return 0;
	at_worker_down(w, 0, "%s: %s", what, at_chan_result(r, -1, buf,
	    sizeof(buf)));
	return 1;
}

/* The value after "PREFIX: " or the line itself, trimmed of quotes. */
static void
at_worker_value(const char *line, const char *prefix, char *out, size_t len)
{
	size_t n = strlen(prefix), o;

	if (strncasecmp(line, prefix, n) == 0)
		line += n;
	while (*line == ' ' || *line == '"')
		line++;
	snprintf(out, len, "%s", line);
	o = strlen(out);
	while (o > 0 && (out[o - 1] == '"' || out[o - 1] == ' '))
		out[--o] = '\0';
}

/* Split "a,b,\"c\"" into at most n fields, unquoted, in place. */
static int
at_worker_fields(char *s, char **f, int n)
{
	int	i = 0, quoted = 0;
	char	*p;

	while (*s == ' ')
		s++;
	f[i++] = s;
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (*p == ',' && !quoted && i < n) {
			*p = '\0';
			f[i++] = p + 1;
		}
	}
	for (n = 0; n < i; n++) {
		while (*f[n] == ' ')
			f[n]++;
		if (*f[n] == '"') {
			f[n]++;
			if ((p = strrchr(f[n], '"')) != NULL)
				*p = '\0';
		}
	}
	return i;
}

/* --- Health and probe queries ------------------------------------------ */

/* One line of a query reply: fill the matching part of w->info. */
static void
at_worker_info_line(struct at_chan *c, const char *line, void *arg)
{
	struct at_worker	*w = arg;
	struct at_worker_info	*in = &w->info;
	char		 buf[AT_LINE_MAX], *f[9];
	int		 n, v;

	(void)c;
	snprintf(buf, sizeof(buf), "%s", line);
	if (strncmp(buf, "+CSQ:", 5) == 0) {
		at_worker_fields(buf + 5, f, 2);
		v = atoi(f[0]);
		in->signal_percent = v >= 0 && v <= 31 ? v * 100 / 31 : -1;
		in->rssi = v;
	} else if (strncmp(buf, "+CBC:", 5) == 0) {
		if (at_worker_fields(buf + 5, f, 3) >= 2)
			in->battery_percent = atoi(f[1]);
	} else if (strncmp(buf, "+COPS:", 6) == 0) {
		if ((n = at_worker_fields(buf + 6, f, 4)) < 3)
			return;
		if (atoi(f[1]) == 2 && strlen(f[2]) >= 5)
			snprintf(in->network, sizeof(in->network), "%.3s %s",
			    f[2], f[2] + 3);
		else
			snprintf(in->operator_name, sizeof(in->operator_name),
			    "%s", f[2]);
	} else if (strncmp(buf, "+CPMS:", 6) == 0) {
		n = at_worker_fields(buf + 6, f, 9);
		v = isdigit((unsigned char)f[0][0]) ? 0 : 1;
		if (n >= v + 2) {
			if (v)
				snprintf(in->storage, sizeof(in->storage),
				    "%s", f[0]);
			in->sim_used = atoi(f[v]);
			in->sim_total = atoi(f[v + 1]);
		}
	} else if (strncmp(buf, "+CREG:", 6) == 0) {
		n = at_worker_fields(buf + 6, f, 4);
		in->creg = atoi(f[n >= 2 ? 1 : 0]);
	} else if (strncmp(buf, "+CSCA:", 6) == 0) {
		at_worker_fields(buf + 6, f, 2);
		snprintf(in->smsc, sizeof(in->smsc), "%s", f[0]);
	}
}

/* Tell the loop what the health queries found. */
static void
at_worker_health_tell(struct at_worker *w)
{
	struct wire_msg		 msg;
	struct wire_health	*h = &msg.u.health;

	memset(&msg, 0, sizeof(msg));
	msg.type = WIRE_HEALTH;
	h->signal_percent = w->info.signal_percent;
	h->battery_percent = w->info.battery_percent;
	h->sim_used = w->info.sim_used;
	h->sim_total = w->info.sim_total;
	snprintf(h->network, sizeof(h->network), "%s", w->info.network);
	snprintf(h->operator_name, sizeof(h->operator_name), "%s",
	    w->info.operator_name);
	at_worker_tell(w, &msg);
}

/* The last health query ended. */
static void
at_worker_health_done(struct at_chan *c, enum at_result r, int code, void *arg)
{
	struct at_worker *w = arg;

	(void)c;
	(void)code;
	w->health_busy = 0;
	if (at_worker_link_lost(w, r, "reading health"))
		return;
	if (w->probe) {
		event_base_loopbreak(w->base);
		return;
	}
	at_worker_health_tell(w);
}

/* One health query ended: only a silent or vanished modem matters. */
static void
at_worker_query_done(struct at_chan *c, enum at_result r, int code, void *arg)
{
	(void)c;
	(void)code;
	at_worker_link_lost(arg, r, "reading health");
}

/* Ask for signal, battery, network, operator and SIM use. */
static void
at_worker_health(struct at_worker *w)
{
	static const struct {
		const char	*cmd;
		int		 probe;		/* only for `modem probe` */
		int		 reply;		/* has an answer to read */
	} q[] = {
		{ "AT+CSQ", 0, 1 }, { "AT+CBC", 0, 1 },
		{ "AT+COPS=3,2", 0, 0 }, { "AT+COPS?", 0, 1 },
		{ "AT+COPS=3,0", 0, 0 }, { "AT+COPS?", 0, 1 },
		{ "AT+CREG?", 1, 1 }, { "AT+CSCA?", 1, 1 },
	};
	size_t i;

	if (w->health_busy)
		return;
	w->health_busy = 1;
	w->info.signal_percent = w->info.battery_percent = -1;
	w->info.sim_used = -1;
	w->info.sim_total = 0;
	w->info.network[0] = w->info.operator_name[0] = '\0';
	for (i = 0; i < sizeof(q) / sizeof(q[0]); i++)
		if (!q[i].probe || w->probe)
			at_worker_cmd(w, q[i].cmd, NULL, AT_WORKER_CMD_MS,
			    q[i].reply ? at_worker_info_line : NULL,
			    at_worker_query_done);
	/* The last one says the queries are over. */
	at_worker_cmd(w, "AT+CPMS?", NULL, AT_WORKER_CMD_MS,
	    at_worker_info_line, at_worker_health_done);
}

/* --- Reading messages --------------------------------------------------- */

/*
 * Tell whether we emptied this location since we last read it (so what
 * is in it now is a new message, even with the same sender, text and
 * second as the last), forgetting it; or, with note, remember we did.
 */
static int
at_worker_freed(struct at_worker *w, int location, int note)
{
	int i;

	for (i = 0; i < w->nfreed; i++)
		if (w->freed[i] == location) {
			if (!note)
				w->freed[i] = w->freed[--w->nfreed];
			return 1;
		}
	if (note && w->nfreed < AT_WORKER_PENDING_MAX)
		w->freed[w->nfreed++] = location;
	return 0;
}

/* Find an announced location; its index or -1. */
static int
at_worker_pending_find(const struct at_worker *w, int location)
{
	int i;

	for (i = 0; i < w->npending; i++)
		if (w->pending[i].location == location)
			return i;
	return -1;
}

/* Note a location as announced; 0 if it is due now. */
static int
at_worker_pending_note(struct at_worker *w, int location)
{
	int i;

	if ((i = at_worker_pending_find(w, location)) != -1) {
		if (w->pending[i].deleting ||
		    time(NULL) - w->pending[i].announced < AT_WORKER_REANNOUNCE)
			return -1;
		w->pending[i].announced = time(NULL);
		return 0;
	}
	if (w->npending == AT_WORKER_PENDING_MAX)
		return -1;	/* read again after the loop catches up */
	w->pending[w->npending].location = location;
	w->pending[w->npending].announced = time(NULL);
	w->pending[w->npending].deleting = 0;
	w->npending++;
	return 0;
}

/* Pass a report on, or hold it while a send waits for its answer. */
static void
at_worker_report(struct at_worker *w, const GSM_SMSMessage *s)
{
	struct wire_msg msg;

	memset(&msg, 0, sizeof(msg));
	msg.type = WIRE_REPORT;
	at_pdu_report(s, &msg.u.report);
	if (w->op != NULL && w->op->msg.type == WIRE_SEND &&
	    w->nlate < AT_WORKER_LATE_MAX) {
		w->late[w->nlate++] = msg;
		return;
	}
	at_worker_tell(w, &msg);
}

/* Log an undecodable location once, however many scans see it. */
static void
at_worker_note_unreadable(struct at_worker *w, int location, const char *hex)
{
	int i;

	for (i = 0; i < w->nunreadable; i++)
		if (w->unreadable[i] == location)
			return;
	if (w->nunreadable < AT_WORKER_UNREADABLE_MAX)
		w->unreadable[w->nunreadable++] = location;
	log_warnx("message at location %d cannot be decoded; kept raw in "
	    "the inbox as undecodable, then deleted: %.64s%s", location, hex,
	    strlen(hex) > 64 ? "..." : "");
}

/*
 * One message read from the SIM.  What libgammu cannot (or must not)
 * decode goes to the loop raw, marked undecodable, so that it is kept in
 * the inbox and deleted from the SIM like any other: left there, enough
 * of them would fill the SIM and stop all reception.
 */
static void
at_worker_message(struct at_worker *w, int location, const char *hex)
{
	GSM_SMSMessage	 sms;
	struct wire_msg	 msg;

	if (location > 0 && at_worker_pending_note(w, location) == -1)
		return;
	memset(&msg, 0, sizeof(msg));
	if (at_pdu_decode(hex, &sms) == 0) {
		sms.Folder = 1;
		sms.Location = location;
		if (sms.PDU == SMS_Status_Report) {
			at_worker_report(w, &sms);
			return;
		}
		if (sms.PDU == SMS_Deliver) {
			msg.type = WIRE_SMS_IN;
			at_pdu_sms_in(&sms, &msg.u.sms_in);
			msg.u.sms_in.fresh = at_worker_freed(w, location, 0);
			at_worker_tell(w, &msg);
			return;
		}
	}
	at_worker_note_unreadable(w, location, hex);
	msg.type = WIRE_SMS_IN;
	msg.u.sms_in.folder = 1;
	msg.u.sms_in.location = location;
	msg.u.sms_in.coding = WIRE_CODING_UNDECODABLE;
	msg.u.sms_in.concat_ref = -1;
	msg.u.sms_in.concat_part = msg.u.sms_in.concat_total = 1;
	msg.u.sms_in.fresh = at_worker_freed(w, location, 0);
	snprintf(msg.u.sms_in.text, sizeof(msg.u.sms_in.text), "%s", hex);
	at_worker_tell(w, &msg);
}

/* A line of AT+CMGL: a "+CMGL: idx,stat,..." header, then the PDU. */
static void
at_worker_list_line(struct at_chan *c, const char *line, void *arg)
{
	struct at_worker	*w = arg;
	char		 buf[AT_LINE_MAX], *f[4];

	(void)c;
	if (strncmp(line, "+CMGL:", 6) == 0) {
		snprintf(buf, sizeof(buf), "%s", line + 6);
		if (at_worker_fields(buf, f, 4) >= 2) {
			w->list_loc = atoi(f[0]);
			w->list_stat = atoi(f[1]);
		}
		return;
	}
	if (w->list_loc <= 0)
		return;
	/* 2 and 3: our own stored outgoing copies, not for us. */
	if (w->list_stat == 0 || w->list_stat == 1)
		at_worker_message(w, w->list_loc, line);
	w->list_loc = 0;
}

static void	at_worker_scan(struct at_worker *);

/* AT+CMGL ended; scan again if a +CMTI came meanwhile. */
static void
at_worker_list_done(struct at_chan *c, enum at_result r, int code, void *arg)
{
	struct at_worker	*w = arg;
	char		 buf[32];

	(void)c;
	w->scanning = 0;
	w->list_loc = 0;
	if (at_worker_link_lost(w, r, "reading messages"))
		return;
	if (r != AT_OK)
		log_warnx("reading messages: %s", at_chan_result(r, code, buf,
		    sizeof(buf)));
	if (w->scan_again) {
		w->scan_again = 0;
		at_worker_scan(w);
	}
}

/* List every message on the SIM (one scan at a time). */
static void
at_worker_scan(struct at_worker *w)
{
	if (w->scanning) {
		w->scan_again = 1;
		return;
	}
	w->scanning = 1;
	at_worker_cmd(w, "AT+CMGL=4", NULL, AT_WORKER_LIST_MS, at_worker_list_line,
	    at_worker_list_done);
}

/*
 * AT+CMGD ended (commands end in the order queued: it is the oldest
 * delete).  Only now may the location be read again: a new message may
 * take it at once.
 */
static void
at_worker_delete_done(struct at_chan *c, enum at_result r, int code, void *arg)
{
	struct at_worker	*w = arg;
	char		 buf[32];
	int		 i, loc;

	(void)c;
	if (w->ndeletes == 0)
		fatalx("%s: no delete in the queue", __func__);
	loc = w->deletes[0];
	memmove(w->deletes, w->deletes + 1, --w->ndeletes *
	    sizeof(w->deletes[0]));
	if ((i = at_worker_pending_find(w, loc)) != -1)
		w->pending[i] = w->pending[--w->npending];
	for (i = 0; i < w->nunreadable; i++)
		if (w->unreadable[i] == loc)
			w->unreadable[i--] = w->unreadable[--w->nunreadable];
	if (at_worker_link_lost(w, r, "deleting a message"))
		return;
	if (r != AT_OK)
		log_warnx("deleting message %d: %s", loc, at_chan_result(r,
		    code, buf, sizeof(buf)));
	else
		at_worker_freed(w, loc, 1);
}

/*
 * The loop committed a part: delete it from the SIM.  Until AT+CMGD is
 * answered, scans skip the location (a scan queued before the delete
 * would otherwise announce it again, and the second delete could hit
 * the next message stored there).
 */
static void
at_worker_delete(struct at_worker *w, const struct wire_stored *st)
{
	char	cmd[32];
	int	i;

	if (st->location <= 0)
		return;		/* a report handed over directly */
	/*
	 * Only a location still announced and not yet being deleted: a
	 * second acknowledgement of a message read twice, arriving after
	 * the first delete's OK, would delete the next SMS the SIM stored
	 * there, unread.
	 */
	if ((i = at_worker_pending_find(w, st->location)) == -1 ||
	    w->pending[i].deleting)
		return;
	w->pending[i].deleting = 1;
	if (w->ndeletes == AT_WORKER_DELETES_MAX) {
		at_worker_down(w, 0, "too many deletes waiting for the modem");
		return;
	}
	w->deletes[w->ndeletes++] = st->location;
	snprintf(cmd, sizeof(cmd), "AT+CMGD=%d", st->location);
	at_worker_cmd(w, cmd, NULL, AT_WORKER_CMD_MS, NULL, at_worker_delete_done);
}

/* --- Unsolicited lines -------------------------------------------------- */

/* Hand the USSD request's reply to the loop and go on to the next op. */
static void
at_worker_ussd_end(struct at_worker *w, const struct wire_msg *msg)
{
	at_worker_tell(w, msg);
	w->ussd_wait = 0;
	evtimer_del(w->ev_ussd);
	free(w->op);
	w->op = NULL;
	at_worker_op_next(w);
}

/* A +CUSD line: the network's answer to the request in progress. */
static void
at_worker_ussd_urc(struct at_worker *w, const char *line)
{
	struct wire_msg		 msg;
	struct wire_ussd_reply	*r = &msg.u.ussd_reply;
	char			 buf[AT_LINE_MAX], *f[3];
	int			 n, st;

	if (w->op == NULL || w->op->msg.type != WIRE_USSD) {
		log_info("USSD from the network, not asked for: %s", line);
		return;
	}
	snprintf(buf, sizeof(buf), "%s", line + 6);
	n = at_worker_fields(buf, f, 3);
	st = atoi(f[0]);
	memset(&msg, 0, sizeof(msg));
	msg.type = WIRE_USSD_REPLY;
	r->id = w->op->msg.u.ussd.id;
	switch (st) {
	case 0:
	case 1:
	case 2:
		if (at_pdu_ussd_text(n >= 2 ? f[1] : "", n >= 3 ? atoi(f[2]) :
		    15, r->text, sizeof(r->text)) == -1)
			snprintf(r->error, sizeof(r->error), "unreadable "
			    "answer: %s", n >= 2 ? f[1] : "");
		else
			r->ok = 1;
		break;
	case 3:
		snprintf(r->error, sizeof(r->error), "another client answered");
		break;
	case 4:
		snprintf(r->error, sizeof(r->error), "the network does not "
		    "support this code");
		break;
	case 5:
		snprintf(r->error, sizeof(r->error), "the network timed out");
		break;
	default:
		snprintf(r->error, sizeof(r->error), "unknown USSD status %d",
		    st);
		break;
	}
	if (r->ok)
		log_info("USSD %s: %s", w->op->msg.u.ussd.code, r->text);
	else
		log_warnx("USSD %s: %s", w->op->msg.u.ussd.code, r->error);
	at_worker_ussd_end(w, &msg);
}

/* An unsolicited line from the modem. */
static void
at_worker_on_urc(struct at_chan *c, const char *line, const char *pdu,
    void *arg)
{
	struct at_worker *w = arg;

	(void)c;
	if (w->step != AT_WORKER_READY)
		return;
	if (strncasecmp(line, "+CMTI:", 6) == 0 ||
	    strncasecmp(line, "+CDSI:", 6) == 0 ||
	    strstr(line, "MEMFULL") != NULL) {
		at_worker_scan(w);
	} else if ((strncasecmp(line, "+CDS:", 5) == 0 ||
	    strncasecmp(line, "+CMT:", 5) == 0) && pdu != NULL) {
		/* Handed over directly: on no memory, location 0. */
		at_worker_message(w, 0, pdu);
	} else if (strncasecmp(line, "+CUSD:", 6) == 0)
		at_worker_ussd_urc(w, line);
	else
		log_debug("unsolicited: %s", line);
}

/* The device went away outside any command. */
static void
at_worker_on_lost(struct at_chan *c, const char *why, void *arg)
{
	struct at_worker *w = arg;

	(void)c;
	at_worker_down(w, 0, "%s: the device went away (%s)", w->p->device, why);
}

/* --- Sending ------------------------------------------------------------ */

/* Pass on the reports held back while a send was in progress. */
static void
at_worker_reports_flush(struct at_worker *w)
{
	int i;

	for (i = 0; i < w->nlate; i++)
		at_worker_tell(w, &w->late[i]);
	w->nlate = 0;
}

/* The send in progress is over: answer the loop, start the next op. */
static void
at_worker_send_end(struct at_worker *w)
{
	struct wire_msg msg;

	memset(&msg, 0, sizeof(msg));
	msg.type = WIRE_SENT;
	msg.u.sent = w->res;
	if (w->rs != NULL)
		at_worker_resume_free(w->rs);
	w->rs = NULL;
	free(w->op);
	w->op = NULL;
	at_worker_tell(w, &msg);
	at_worker_reports_flush(w);
	if (w->res.link)
		at_worker_down(w, 0, "sending: %s", w->res.error);
	else
		at_worker_op_next(w);
}

/* +CMGS: <mr> of the part in flight. */
static void
at_worker_send_line(struct at_chan *c, const char *line, void *arg)
{
	struct at_worker *w = arg;

	(void)c;
	if (strncmp(line, "+CMGS:", 6) == 0)
		w->rs->msg_ref = atoi(line + 6);
}

/* A part was answered: the next part, or the end. */
static void
at_worker_send_done(struct at_chan *c, enum at_result r, int code, void *arg)
{
	struct at_worker	*w = arg;
	char		 buf[32];
	int		 total = w->rs->parts;

	(void)c;
	if (r == AT_OK) {
		w->rs->sent++;
		w->res.parts = w->rs->sent;
		w->res.msg_ref = w->rs->msg_ref;
		if (w->rs->sent < total) {
			at_worker_send_part(w);
			return;
		}
		w->res.ok = 1;
	} else if (r == AT_TIMEOUT || r == AT_GONE) {
		w->res.link = 1;
		snprintf(w->res.error, sizeof(w->res.error), "part %d/%d: %s",
		    w->rs->sent + 1, total, at_chan_result(r, code, buf,
		    sizeof(buf)));
	} else
		snprintf(w->res.error, sizeof(w->res.error), "part %d/%d "
		    "refused by the network (%s)", w->rs->sent + 1, total,
		    at_chan_result(r, code, buf, sizeof(buf)));
	at_worker_send_end(w);
}

/* Hand the next part to the modem. */
static void
at_worker_send_part(struct at_worker *w)
{
	char	cmd[32];
	int	ms;

	ms = (int)(w->deadline - time(NULL)) * 1000;
	snprintf(cmd, sizeof(cmd), "AT+CMGS=%d", w->rs->len[w->rs->sent]);
	/* Before the deletes and scans waiting: someone waits for it. */
	if (!w->down && at_chan_cmd_next(w->chan, cmd, w->rs->hex[w->rs->sent],
	    ms < 1000 ? 1000 : ms, at_worker_send_line, at_worker_send_done,
	    w) == -1)
		at_worker_down(w, 0, "%s: cannot queue %s", w->p->device, cmd);
}

/* Forget a laid-out reply. */
static void
at_worker_resume_free(struct at_worker_resume *rs)
{
	free(rs->hex);
	free(rs->len);
	memset(rs, 0, sizeof(*rs));
}

/*
 * Split a reply into parts (GSM-7 when the text allows it, UCS-2
 * otherwise) and lay each out as a PDU; NULL with res->error set if it
 * cannot be.
 */
static struct at_worker_resume *
at_worker_send_layout(struct at_worker *w, const struct wire_send *ws)
{
	static unsigned char		 ucs2[(WIRE_SEND_TEXT_MAX + 1) * 2];
	static GSM_MultiSMSMessage	 msms;
	GSM_MultiPartSMSInfo		 info;
	struct at_worker_resume		*rs;
	int				 i;

	rs = &w->cur;
	at_worker_resume_free(rs);
	sms_utf8_to_ucs2(ws->text, ucs2, sizeof(ucs2) / 2);
	GSM_ClearMultiPartSMSInfo(&info);
	info.Class = -1;
	info.EntriesNum = 1;
	info.UnicodeCoding = FALSE;
	info.Entries[0].ID = SMS_ConcatenatedAutoTextLong;
	info.Entries[0].Buffer = ucs2;
	memset(&msms, 0, sizeof(msms));
	if (GSM_EncodeMultiPartSMS(GSM_GetGlobalDebug(), &info,
	    &msms) != ERR_NONE || msms.Number < 1) {
		snprintf(w->res.error, sizeof(w->res.error), "cannot encode");
		return NULL;
	}
	/* A retry sends only the parts not sent, under the same reference. */
	if (ws->parts_done > 0 && ws->parts_done < msms.Number &&
	    ws->concat_ref >= 0) {
		rs->sent = ws->parts_done;
		log_info("outbox %lld: parts 1-%d of %d went out before; "
		    "sending the rest", (long long)ws->outbox_id, rs->sent,
		    msms.Number);
	}
	if (msms.Number > 1)
		w->res.concat_ref = at_pdu_concat_ref(&msms.SMS[0].UDH,
		    rs->sent > 0 ? ws->concat_ref : -1);
	for (i = 1; rs->sent > 0 && i < msms.Number; i++)
		at_pdu_concat_ref(&msms.SMS[i].UDH, ws->concat_ref);
	w->res.parts = rs->sent;
	rs->hex = calloc((size_t)msms.Number, sizeof(*rs->hex));
	rs->len = calloc((size_t)msms.Number, sizeof(*rs->len));
	if (rs->hex == NULL || rs->len == NULL) {
		at_worker_resume_free(rs);
		snprintf(w->res.error, sizeof(w->res.error), "out of memory");
		return NULL;
	}
	for (i = 0; i < msms.Number; i++) {
		GSM_SMSMessage *s = &msms.SMS[i];

		EncodeUnicode(s->Number, ws->recipient, strlen(ws->recipient));
		s->PDU = ws->want_report ? SMS_Status_Report : SMS_Submit;
		memset(&s->SMSC, 0, sizeof(s->SMSC));
		s->SMSC.Validity.Format = SMS_Validity_RelativeFormat;
		s->SMSC.Validity.Relative = SMS_VALID_Max_Time;
		if (at_pdu_submit(s, rs->hex[i], sizeof(rs->hex[i]),
		    &rs->len[i]) == -1) {
			at_worker_resume_free(rs);
			snprintf(w->res.error, sizeof(w->res.error), "part "
			    "%d/%d cannot be laid out as a PDU", i + 1,
			    msms.Number);
			return NULL;
		}
	}
	rs->parts = msms.Number;
	return rs;
}

/* Start sending one outbox message. */
static void
at_worker_send(struct at_worker *w, const struct wire_send *ws)
{
	memset(&w->res, 0, sizeof(w->res));
	w->res.outbox_id = ws->outbox_id;
	w->res.concat_ref = -1;
	if (ws->recipient[0] == '\0' || strspn(ws->recipient + 1,
	    "0123456789") != strlen(ws->recipient + 1) ||
	    strlen(ws->recipient) > 21) {
		w->res.permanent = 1;
		snprintf(w->res.error, sizeof(w->res.error), "invalid number "
		    "%s", ws->recipient);
		at_worker_send_end(w);
		return;
	}
	if ((w->rs = at_worker_send_layout(w, ws)) == NULL) {
		w->res.permanent = 1;
		at_worker_send_end(w);
		return;
	}
	w->deadline = time(NULL) + w->p->send_timeout;
	at_worker_send_part(w);
}

/* --- USSD --------------------------------------------------------------- */

/* Answer the loop's USSD request with an error and move on. */
static void
at_worker_ussd_fail(struct at_worker *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
at_worker_ussd_fail(struct at_worker *w, const char *fmt, ...)
{
	struct wire_msg	msg;
	va_list		ap;

	memset(&msg, 0, sizeof(msg));
	msg.type = WIRE_USSD_REPLY;
	msg.u.ussd_reply.id = w->op->msg.u.ussd.id;
	va_start(ap, fmt);
	vsnprintf(msg.u.ussd_reply.error, sizeof(msg.u.ussd_reply.error),
	    fmt, ap);
	va_end(ap);
	log_warnx("USSD %s: %s", w->op->msg.u.ussd.code,
	    msg.u.ussd_reply.error);
	at_worker_ussd_end(w, &msg);
}

/* libevent: no +CUSD within the request's timeout. */
static void
at_worker_on_ussd_timeout(evutil_socket_t fd, short ev, void *arg)
{
	struct at_worker *w = arg;

	(void)fd;
	(void)ev;
	if (w->op != NULL && w->op->msg.type == WIRE_USSD)
		at_worker_ussd_fail(w, "no answer within %d s",
		    w->op->msg.u.ussd.timeout);
}

/* AT+CUSD=1,... ended: on OK, wait for the +CUSD line. */
static void
at_worker_ussd_done(struct at_chan *c, enum at_result r, int code, void *arg)
{
	struct at_worker	*w = arg;
	char		 buf[32];

	(void)c;
	if (w->op == NULL || w->op->msg.type != WIRE_USSD)
		return;		/* the answer came before the OK */
	if (r == AT_TIMEOUT || r == AT_GONE) {
		at_worker_ussd_fail(w, "the modem stopped answering");
		at_worker_down(w, 0, "USSD: the modem stopped answering");
		return;
	}
	if (r != AT_OK)
		at_worker_ussd_fail(w, "dialling %s: %s", w->op->msg.u.ussd.code,
		    at_chan_result(r, code, buf, sizeof(buf)));
}

/* Dial a USSD code; the answer comes as +CUSD. */
static void
at_worker_ussd(struct at_worker *w, const struct wire_ussd *rq)
{
	struct timeval	tv;
	char		cmd[AT_CMD_MAX];

	if (strspn(rq->code, "0123456789*#") != strlen(rq->code) ||
	    rq->code[0] == '\0') {
		at_worker_ussd_fail(w, "not a USSD code: %s", rq->code);
		return;
	}
	snprintf(cmd, sizeof(cmd), "AT+CUSD=1,\"%s\",15", rq->code);
	tv.tv_sec = rq->timeout > 0 ? rq->timeout : 30;
	tv.tv_usec = 0;
	w->ussd_wait = 1;
	evtimer_add(w->ev_ussd, &tv);
	at_worker_cmd(w, cmd, NULL, AT_WORKER_CMD_MS, NULL, at_worker_ussd_done);
}

/* --- Operations from the loop ------------------------------------------- */

/* Start the next send or USSD request, if none is in progress. */
static void
at_worker_op_next(struct at_worker *w)
{
	if (w->quitting && w->op == NULL) {
		event_base_loopbreak(w->base);
		return;
	}
	if (w->op != NULL || w->down || (w->op = TAILQ_FIRST(&w->ops)) ==
	    NULL)
		return;
	TAILQ_REMOVE(&w->ops, w->op, entry);
	w->nops--;
	if (w->op->msg.type == WIRE_SEND)
		at_worker_send(w, &w->op->msg.u.send);
	else
		at_worker_ussd(w, &w->op->msg.u.ussd);
}

/* Queue a send or USSD request behind the one in progress. */
static void
at_worker_op_add(struct at_worker *w, const struct wire_msg *msg)
{
	struct at_worker_op *op;

	if (w->nops >= AT_WORKER_OPS_MAX || (op = calloc(1, sizeof(*op))) == NULL) {
		at_worker_down(w, 0, "too many requests waiting for the modem");
		return;
	}
	op->msg = *msg;
	TAILQ_INSERT_TAIL(&w->ops, op, entry);
	w->nops++;
	at_worker_op_next(w);
}

/* libevent: a message from the loop. */
static void
at_worker_on_loop(evutil_socket_t fd, short ev, void *arg)
{
	struct at_worker	*w = arg;
	struct wire_msg	 msg;
	ssize_t		 n;

	(void)ev;
	n = recv(fd, &msg, sizeof(msg), 0);
	if (n == 0 || (n == -1 && errno != EAGAIN && errno != EINTR)) {
		event_base_loopbreak(w->base);
		return;
	}
	if (n != (ssize_t)sizeof(msg))
		return;
	switch (msg.type) {
	case WIRE_STORED:
		at_worker_delete(w, &msg.u.stored);
		break;
	case WIRE_SEND:
	case WIRE_USSD:
		at_worker_op_add(w, &msg);
		break;
	default:
		log_warnx("unexpected message type %u from the loop",
		    msg.type);
		break;
	}
}

/* --- Timers ------------------------------------------------------------- */

/* libevent: the fallback scan, for modems that never send +CMTI. */
static void
at_worker_on_scan(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	at_worker_scan(arg);
}

/* libevent: time to read signal, network and SIM use. */
static void
at_worker_on_health(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	at_worker_health(arg);
}

/* libevent: tell the loop's watchdog we are alive. */
static void
at_worker_on_beat(evutil_socket_t fd, short ev, void *arg)
{
	struct wire_msg msg;

	(void)fd;
	(void)ev;
	memset(&msg, 0, sizeof(msg));
	msg.type = WIRE_HEARTBEAT;
	at_worker_tell(arg, &msg);
}

/*
 * libevent: SIGTERM or SIGINT (read from a signalfd: the daemon's event
 * base, inherited through fork(), owns libevent's signal handling).
 * Finish the send or USSD request in hand, then leave.
 */
static void
at_worker_on_signal(evutil_socket_t fd, short ev, void *arg)
{
	struct at_worker		*w = arg;
	struct signalfd_siginfo	 si;

	(void)ev;
	if (read(fd, &si, sizeof(si)) != (ssize_t)sizeof(si))
		return;
	w->quitting = 1;
	if (w->op == NULL)
		event_base_loopbreak(w->base);
}

/* The modem is ready: say hello, scan, read health, start the timers. */
static void
at_worker_ready(struct at_worker *w)
{
	struct wire_msg	msg;
	struct timeval	tv;

	if (w->probe) {
		at_worker_health(w);
		return;
	}
	memset(&msg, 0, sizeof(msg));
	msg.type = WIRE_HELLO;
	msg.u.hello = w->hello;
	at_worker_tell(w, &msg);
	log_info("ready: %s %s on %s (native AT engine, profile %s)",
	    w->hello.manufacturer, w->hello.model, w->p->device,
	    w->prof->name);
	if (!w->notify)
		log_info("no new-message notifications; scanning every %d s",
		    w->p->poll_interval);
	at_worker_scan(w);
	at_worker_health(w);
	tv.tv_sec = w->p->poll_interval;
	tv.tv_usec = 0;
	evtimer_add(w->ev_scan, &tv);
	tv.tv_sec = w->p->health_interval;
	evtimer_add(w->ev_health, &tv);
	tv.tv_sec = AT_WORKER_HEARTBEAT;
	evtimer_add(w->ev_beat, &tv);
}

/* --- Start-up ----------------------------------------------------------- */

/* An identification line (+CGMI, +CGMM, +CGSN), with or without prefix. */
static void
at_worker_ident_line(struct at_chan *c, const char *line, void *arg)
{
	struct at_worker	*w = arg;
	char		*dst;

	(void)c;
	switch (w->step) {
	case AT_WORKER_CGMI:
		dst = w->hello.manufacturer;
		break;
	case AT_WORKER_CGMM:
		dst = w->hello.model;
		break;
	case AT_WORKER_CGSN:
		dst = w->hello.imei;
		break;
	default:
		return;
	}
	if (dst[0] == '\0')
		at_worker_value(line, line[0] == '+' ? line : "",
		    dst, WIRE_INFO_MAX);
	if (line[0] == '+' && strchr(line, ':') != NULL)
		at_worker_value(strchr(line, ':') + 1, "", dst, WIRE_INFO_MAX);
}

/* +CPIN: READY, SIM PIN, SIM PUK ... */
static void
at_worker_cpin_line(struct at_chan *c, const char *line, void *arg)
{
	struct at_worker	*w = arg;
	char		 v[64];

	(void)c;
	if (strncmp(line, "+CPIN:", 6) != 0)
		return;
	at_worker_value(line, "+CPIN:", v, sizeof(v));
	snprintf(w->info.sim, sizeof(w->info.sim), "%s", v);
	if (strcmp(v, "READY") == 0)
		w->pin_state = 0;
	else if (strcmp(v, "SIM PIN") == 0)
		w->pin_state = 1;
	else
		w->pin_state = 2;
}

/* libevent: ask the SIM again after it was busy. */
static void
at_worker_on_retry(evutil_socket_t fd, short ev, void *arg)
{
	struct at_worker *w = arg;

	(void)fd;
	(void)ev;
	at_worker_init_next(w, w->step);
}

/* Ask again in a second (SIM busy just after the PIN or power-on). */
static void
at_worker_retry_later(struct at_worker *w)
{
	struct timeval tv = { 1, 0 };

	evtimer_add(w->ev_retry, &tv);
}

/* The SIM's answer to AT+CPIN?: go on, enter the PIN once, or stop. */
static void
at_worker_cpin_result(struct at_worker *w, enum at_result r, int code)
{
	char buf[32];

	if (r != AT_OK || w->pin_state == -1) {
		if (++w->tries < AT_WORKER_CPIN_RETRIES && (r == AT_CME ||
		    w->pin_state == -1)) {
			at_worker_retry_later(w);	/* e.g. 14: SIM busy */
			return;
		}
		at_worker_down(w, 0, "cannot read SIM status: %s",
		    at_chan_result(r, code, buf, sizeof(buf)));
		return;
	}
	switch (w->pin_state) {
	case 0:
		at_worker_init_next(w, AT_WORKER_CGMI);
		return;
	case 1:
		if (w->pin_entered) {
			/* Accepted, but the SIM is not ready yet. */
			if (++w->tries < AT_WORKER_CPIN_RETRIES) {
				at_worker_retry_later(w);
				return;
			}
			at_worker_down(w, 0, "SIM still asks for the PIN after "
			    "accepting it");
			return;
		}
		if (w->p->pin[0] == '\0') {
			at_worker_down(w, 1, "SIM asks for a PIN and none is "
			    "configured");
			return;
		}
		at_worker_init_next(w, AT_WORKER_PIN);
		return;
	case 2:
		at_worker_down(w, 1, "SIM needs a code other than the PIN (%s); not "
		    "touching it", w->info.sim);
		return;
	default:
		fatalx("%s: bad PIN state %d", __func__, w->pin_state);
	}
}

/* One start-up command ended: pick the next step. */
static void
at_worker_init_done(struct at_chan *c, enum at_result r, int code, void *arg)
{
	struct at_worker	*w = arg;
	char		 buf[32];

	(void)c;
	if (r == AT_GONE) {
		at_worker_down(w, 0, "%s: the device went away", w->p->device);
		return;
	}
	if (w->step == AT_WORKER_SYNC && r == AT_TIMEOUT) {
		if (++w->tries < AT_WORKER_SYNC_TRIES) {
			at_worker_init_next(w, AT_WORKER_SYNC);
			return;
		}
	}
	if (r == AT_TIMEOUT) {
		at_worker_down(w, 0, "%s: no answer to AT (the modem stopped "
		    "answering)", w->p->device);
		return;
	}
	switch (w->step) {
	case AT_WORKER_SYNC:
	case AT_WORKER_ECHO:
	case AT_WORKER_CMEE:
		at_worker_init_next(w, w->step + 1);
		break;
	case AT_WORKER_CPIN:
		at_worker_cpin_result(w, r, code);
		break;
	case AT_WORKER_PIN:
		if (r != AT_OK) {
			at_worker_down(w, 1, "SIM refused the configured PIN (%s); "
			    "fix the pin setting: another wrong try may lock "
			    "the SIM", at_chan_result(r, code, buf,
			    sizeof(buf)));
			break;
		}
		log_info("SIM PIN accepted");
		w->tries = 0;
		at_worker_init_next(w, AT_WORKER_CPIN);
		break;
	case AT_WORKER_CGMI:
	case AT_WORKER_CGMM:
	case AT_WORKER_CGSN:
		at_worker_init_next(w, w->step + 1);
		break;
	case AT_WORKER_PROFILE:
		if (r != AT_OK)
			log_info("%s: %s (ignored)", w->prof->init[w->profile_i],
			    at_chan_result(r, code, buf, sizeof(buf)));
		w->profile_i++;
		at_worker_init_next(w, AT_WORKER_PROFILE);
		break;
	case AT_WORKER_CMGF:
		if (r != AT_OK) {
			at_worker_down(w, 0, "the modem refuses PDU mode (%s)",
			    at_chan_result(r, code, buf, sizeof(buf)));
			break;
		}
		at_worker_init_next(w, AT_WORKER_CPMS);
		break;
	case AT_WORKER_CPMS:
		at_worker_init_next(w, AT_WORKER_CNMI);
		break;
	case AT_WORKER_CNMI:
		w->notify = r == AT_OK;
		w->step = AT_WORKER_READY;
		at_worker_ready(w);
		break;
	case AT_WORKER_READY:
	default:
		fatalx("%s: bad step %d", __func__, (int)w->step);
	}
}

/* Run start-up step s. */
static void
at_worker_init_next(struct at_worker *w, enum at_worker_step s)
{
	char cmd[AT_CMD_MAX];

	if (s != w->step && s != AT_WORKER_PIN && s != AT_WORKER_CPIN)
		w->tries = 0;
	w->step = s;
	switch (s) {
	case AT_WORKER_SYNC:
		at_worker_cmd(w, "AT", NULL, AT_WORKER_SYNC_MS, NULL, at_worker_init_done);
		break;
	case AT_WORKER_ECHO:
		at_worker_cmd(w, "ATE0", NULL, AT_WORKER_CMD_MS, NULL, at_worker_init_done);
		break;
	case AT_WORKER_CMEE:
		at_worker_cmd(w, "AT+CMEE=1", NULL, AT_WORKER_CMD_MS, NULL,
		    at_worker_init_done);
		break;
	case AT_WORKER_CPIN:
		w->pin_state = -1;
		at_worker_cmd(w, "AT+CPIN?", NULL, AT_WORKER_CMD_MS, at_worker_cpin_line,
		    at_worker_init_done);
		break;
	case AT_WORKER_PIN:
		w->pin_entered = 1;
		snprintf(cmd, sizeof(cmd), "AT+CPIN=\"%s\"", w->p->pin);
		at_worker_cmd(w, cmd, NULL, AT_WORKER_CMD_MS, NULL, at_worker_init_done);
		break;
	case AT_WORKER_CGMI:
		at_worker_cmd(w, "AT+CGMI", NULL, AT_WORKER_CMD_MS, at_worker_ident_line,
		    at_worker_init_done);
		break;
	case AT_WORKER_CGMM:
		at_worker_cmd(w, "AT+CGMM", NULL, AT_WORKER_CMD_MS, at_worker_ident_line,
		    at_worker_init_done);
		break;
	case AT_WORKER_CGSN:
		at_worker_cmd(w, "AT+CGSN", NULL, AT_WORKER_CMD_MS, at_worker_ident_line,
		    at_worker_init_done);
		break;
	case AT_WORKER_PROFILE:
		if (w->prof == NULL) {
			w->prof = at_profile_find(w->hello.manufacturer,
			    w->hello.model);
			if (w->prof->noise != NULL)
				at_chan_set_noise(w->chan, w->prof->noise);
		}
		if (w->prof->init == NULL ||
		    w->prof->init[w->profile_i] == NULL) {
			at_worker_init_next(w, AT_WORKER_CMGF);
			break;
		}
		at_worker_cmd(w, w->prof->init[w->profile_i], NULL, AT_WORKER_CMD_MS,
		    NULL, at_worker_init_done);
		break;
	case AT_WORKER_CMGF:
		at_worker_cmd(w, "AT+CMGF=0", NULL, AT_WORKER_CMD_MS, NULL,
		    at_worker_init_done);
		break;
	case AT_WORKER_CPMS:
		at_worker_cmd(w, "AT+CPMS=\"SM\",\"SM\",\"SM\"", NULL, AT_WORKER_CMD_MS,
		    NULL, at_worker_init_done);
		break;
	case AT_WORKER_CNMI:
		snprintf(cmd, sizeof(cmd), "AT+CNMI=%s", w->prof->cnmi);
		at_worker_cmd(w, cmd, NULL, AT_WORKER_CMD_MS, NULL, at_worker_init_done);
		break;
	case AT_WORKER_READY:
	default:
		fatalx("%s: bad step %d", __func__, (int)s);
	}
}

/* --- Process ------------------------------------------------------------ */

/* Free everything the worker holds. */
static void
at_worker_free(struct at_worker *w)
{
	struct at_worker_op	*op;

	at_worker_resume_free(&w->cur);
	at_chan_close(w->chan);
	while ((op = TAILQ_FIRST(&w->ops)) != NULL) {
		TAILQ_REMOVE(&w->ops, op, entry);
		free(op);
	}
	free(w->op);
	if (w->ev_loop != NULL)
		event_free(w->ev_loop);
	if (w->ev_scan != NULL)
		event_free(w->ev_scan);
	if (w->ev_health != NULL)
		event_free(w->ev_health);
	if (w->ev_beat != NULL)
		event_free(w->ev_beat);
	if (w->ev_ussd != NULL)
		event_free(w->ev_ussd);
	if (w->ev_retry != NULL)
		event_free(w->ev_retry);
	if (w->ev_sig != NULL)
		event_free(w->ev_sig);
	if (w->sigfd != -1) {
		close(w->sigfd);
		sigprocmask(SIG_SETMASK, &w->oldmask, NULL);
	}
	if (w->base != NULL)
		event_base_free(w->base);
	free(w);
}

/* Make the worker's loop, timers and channel; -1 if that fails. */
static int
at_worker_setup(struct at_worker *w)
{
	char		err[WIRE_ERROR_MAX];
	int		speed = at_speed(w->p->connection);
	sigset_t	set;

	TAILQ_INIT(&w->ops);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	if (sigprocmask(SIG_BLOCK, &set, &w->oldmask) == -1 ||
	    (w->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC)) ==
	    -1) {
		sigprocmask(SIG_SETMASK, &w->oldmask, NULL);
		w->sigfd = -1;
		return -1;
	}
	w->info.signal_percent = w->info.battery_percent = -1;
	w->info.sim_used = w->info.creg = w->info.rssi = -1;
	if ((w->base = event_base_new()) == NULL)
		return -1;
	w->ev_scan = event_new(w->base, -1, EV_PERSIST, at_worker_on_scan, w);
	w->ev_health = event_new(w->base, -1, EV_PERSIST, at_worker_on_health, w);
	w->ev_beat = event_new(w->base, -1, EV_PERSIST, at_worker_on_beat, w);
	w->ev_ussd = evtimer_new(w->base, at_worker_on_ussd_timeout, w);
	w->ev_retry = evtimer_new(w->base, at_worker_on_retry, w);
	w->ev_sig = event_new(w->base, w->sigfd, EV_READ | EV_PERSIST,
	    at_worker_on_signal, w);
	if (w->ev_scan == NULL || w->ev_health == NULL || w->ev_beat == NULL ||
	    w->ev_ussd == NULL || w->ev_retry == NULL || w->ev_sig == NULL ||
	    event_add(w->ev_sig, NULL) == -1)
		return -1;
	if (!w->probe) {
		w->ev_loop = event_new(w->base, w->fd, EV_READ | EV_PERSIST,
		    at_worker_on_loop, w);
		if (w->ev_loop == NULL || event_add(w->ev_loop, NULL) == -1)
			return -1;
	}
	if (speed == -1) {
		at_worker_down(w, 1, "connection \"%s\" is not an AT speed the "
		    "native engine knows (at, at19200 ... at921600)",
		    w->p->connection);
		return -1;
	}
	if ((w->chan = at_chan_open(w->base, w->p->device, speed, err,
	    sizeof(err))) == NULL) {
		at_worker_down(w, 0, "%s", err);
		return -1;
	}
	at_chan_set_urc(w->chan, at_worker_on_urc, at_worker_on_lost, w);
	at_chan_set_noise(w->chan, at_profile_common_noise());
	return 0;
}

/*
 * Run a worker to its end and return its exit status; with probe, only
 * the start-up and the health queries, their findings left in info.
 */
int
at_worker_run(const struct modem_params *p, int fd, int probe,
    struct at_worker_info *info)
{
	struct timeval		 settle = { 0, AT_WORKER_SETTLE_MS * 1000 };
	struct at_worker	*w;
	int			 rc;

	if ((w = calloc(1, sizeof(*w))) == NULL)
		return 1;
	w->p = p;
	w->fd = fd;
	w->probe = probe;
	w->sigfd = -1;
	if (at_worker_setup(w) == 0) {
		/*
		 * Let the answer to the ESC at_chan_open() typed (an "OK"
		 * from a modem left in the middle of a PDU) go by first, or
		 * it would be taken for the answer to AT and every answer
		 * after it for the command before.
		 */
		w->step = AT_WORKER_SYNC;
		evtimer_add(w->ev_retry, &settle);
		event_base_dispatch(w->base);
	} else if (!w->down)
		at_worker_down(w, 0, "out of memory setting the worker up");
	if (info != NULL) {
		*info = w->info;
		info->hello = w->hello;
		snprintf(info->profile, sizeof(info->profile), "%s",
		    w->prof != NULL ? w->prof->name : "");
		info->ok = !w->down && w->step == AT_WORKER_READY;
	}
	rc = w->rc;
	at_worker_free(w);
	return rc;
}

/* Entry point of a native AT worker process. */
int
at_worker_main(int fd, const struct modem_params *p)
{
	char pfx[64];

	snprintf(pfx, sizeof(pfx), "modem %s", p->name);
	log_setprefix(pfx);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	return at_worker_run(p, fd, 0, NULL);
}
