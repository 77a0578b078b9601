/*
 * The modem worker.
 *
 * DESIGN: one process per modem, forked by the daemon, talking to the
 * event loop over a SOCK_SEQPACKET socket (modem/wire.h).  libgammu calls
 * block, and a wedged USB modem can block them for minutes; doing them
 * here means the loop never waits, and a worker that hangs or crashes is
 * simply killed and forked again by the daemon.
 *
 * The worker owns the rule "commit, then delete": it announces every
 * message part it finds on the phone (WIRE_SMS_IN) and deletes it only
 * when the loop answers WIRE_STORED, i.e. after the SQLite commit.  If the
 * worker dies in between, the part is still on the SIM and is announced
 * again; the inbox's deduplication key makes that harmless.
 *
 * It finds new messages three ways: libgammu's incoming-SMS callback
 * (+CMTI on AT modems), a scan at start, and a slow periodic scan as a
 * fallback for modems that never notify.
 */
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <gammu.h>

#include "log.h"
#include "at.h"
#include "at_worker.h"
#include "modem.h"
#include "modem_ussd.h"
#include "wire.h"

#define MODEM_PENDING_MAX	256	/* parts announced, not yet stored */
#define MODEM_UNREADABLE_MAX	64	/* undecodable locations, logged once */
#define MODEM_LATE_MAX		16	/* reports held back during a send */
#define MODEM_REANNOUNCE	30	/* seconds before announcing again */
#define MODEM_TICK_MS		200	/* port reads when it cannot be polled */
#define MODEM_WAIT_MAX_MS	1000	/* longest poll() with a pollable port */
#define MODEM_HEARTBEAT		2	/* seconds between heartbeats */

struct modem_pending {
	int	folder;
	int	location;
	time_t	announced;
};

struct modem {
	const struct modem_params	*p;
	int				 fd;
	int				 devfd;		/* libgammu's port, -1 */
	int				 dummy;		/* gammu's dummy phone */
	GSM_StateMachine		*sm;
	GSM_SMSC			 smsc;
	int				 have_smsc;
	int				 check_sms;	/* a notification came */
	int				 send_status;	/* -1 while waiting */
	int				 send_ref;
	int				 sending;	/* inside modem_send */
	int				 nlate;
	struct wire_msg			 late[MODEM_LATE_MAX];
	time_t				 next_scan;
	time_t				 next_heartbeat;
	time_t				 next_health;
	volatile sig_atomic_t		 quit;
	int				 npending;
	struct modem_pending		 pending[MODEM_PENDING_MAX];
	int				 nfreed;	/* slots we emptied */
	struct modem_pending		 freed[MODEM_PENDING_MAX];
	int				 nunreadable;	/* logged already */
	unsigned			 nbad;		/* undecodable read */
	int				 unreadable[MODEM_UNREADABLE_MAX];
};

static struct modem	*modem_self;

static int	modem_pending_note(struct modem *, int, int);
static int	modem_inject_stage(const char *, const char *, const char *,
		    char *, size_t);
static void	modem_announce_report(struct modem *, const GSM_SMSMessage *);

/* Send one message to the loop; a dead loop means we exit. */
static void
modem_tell(struct modem *m, const struct wire_msg *msg)
{
	if (send(m->fd, msg, sizeof(*msg), MSG_NOSIGNAL) == -1) {
		log_warn("lost the event loop");
		_exit(1);
	}
}

/* Report that the modem cannot be used, and why. */
static void
modem_down(struct modem *m, int fatal_err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
modem_down(struct modem *m, int fatal_err, const char *fmt, ...)
{
	struct wire_msg	msg;
	va_list		ap;

	memset(&msg, 0, sizeof(msg));
	msg.type = WIRE_DOWN;
	msg.u.down.fatal = fatal_err;
	va_start(ap, fmt);
	vsnprintf(msg.u.down.error, sizeof(msg.u.down.error), fmt, ap);
	va_end(ap);
	modem_tell(m, &msg);	/* the loop logs it */
}

/*
 * libgammu: an SMS arrived.  A message stored on the SIM (+CMTI) is only
 * noted, and the scan reads it; a status report handed over directly
 * (+CDS) is on no memory, so it is passed on now or never.
 */
static void
modem_on_sms(GSM_StateMachine *sm, GSM_SMSMessage *sms, void *arg)
{
	struct modem *m = arg;

	(void)sm;
	if (sms != NULL && sms->PDU == SMS_Status_Report &&
	    sms->Location == 0) {
		modem_announce_report(m, sms);
		return;
	}
	m->check_sms = 1;
}

/* libgammu: the network answered a send. */
static void
modem_on_sent(GSM_StateMachine *sm, int status, int ref, void *arg)
{
	struct modem *m = arg;

	(void)sm;
	m->send_status = status;
	m->send_ref = ref;
}

/* Handle SIGTERM: finish the operation in hand, then leave. */
static void
modem_on_signal(int sig)
{
	(void)sig;
	if (modem_self != NULL)
		modem_self->quit = 1;
}

/* Build libgammu's configuration the way a gammurc would. */
static int
modem_configure(struct modem *m)
{
	GSM_Config *cfg;

	if ((m->sm = GSM_AllocStateMachine()) == NULL)
		return -1;
	cfg = GSM_GetConfig(m->sm, 0);
	/* NULL: fill in gammu's own defaults, then override. */
	GSM_ReadConfig(NULL, cfg, 0);
	free(cfg->Device);
	free(cfg->Connection);
	cfg->Device = strdup(m->p->device);
	cfg->Connection = strdup(m->p->connection);
	if (cfg->Device == NULL || cfg->Connection == NULL)
		return -1;
	snprintf(cfg->Model, sizeof(cfg->Model), "%s", m->p->model);
	cfg->SyncTime = FALSE;
	cfg->LockDevice = FALSE;
	cfg->StartInfo = FALSE;
	cfg->UseGlobalDebugFile = FALSE;
	if (m->p->debug) {
		snprintf(cfg->DebugLevel, sizeof(cfg->DebugLevel), "textall");
		GSM_SetDebugFileDescriptor(stderr, FALSE, GSM_GetDebug(m->sm));
		GSM_SetDebugLevel("textall", GSM_GetDebug(m->sm));
	} else
		cfg->DebugLevel[0] = '\0';
	GSM_SetConfigNum(m->sm, 1);
	return 0;
}

/*
 * Enter the SIM PIN if, and only if, the SIM asks for it.  A rejected PIN
 * is never tried again: three wrong tries lock the SIM with its PUK.
 */
static int
modem_unlock(struct modem *m)
{
	GSM_SecurityCodeType	status;
	GSM_SecurityCode	code;
	GSM_Error		err;

	err = GSM_GetSecurityStatus(m->sm, &status);
	if (err == ERR_NOTSUPPORTED || err == ERR_NOTIMPLEMENTED)
		return 0;
	if (err != ERR_NONE) {
		modem_down(m, 0, "cannot read SIM status: %s",
		    GSM_ErrorString(err));
		return -1;
	}
	if (status == SEC_None)
		return 0;
	if (status != SEC_Pin) {
		modem_down(m, 1, "SIM needs a code other than the PIN (PUK "
		    "or phone code, type %d); not touching it", (int)status);
		return -1;
	}
	if (m->p->pin[0] == '\0') {
		modem_down(m, 1, "SIM asks for a PIN and none is configured");
		return -1;
	}
	memset(&code, 0, sizeof(code));
	code.Type = SEC_Pin;
	snprintf(code.Code, sizeof(code.Code), "%s", m->p->pin);
	if ((err = GSM_EnterSecurityCode(m->sm, &code)) != ERR_NONE) {
		modem_down(m, 1, "SIM refused the configured PIN (%s); fix "
		    "the pin setting: another wrong try may lock the SIM",
		    GSM_ErrorString(err));
		return -1;
	}
	log_info("SIM PIN accepted");
	return 0;
}

/* Connect to the phone, unlock it and say hello to the loop. */
static int
modem_open(struct modem *m)
{
	struct wire_msg	msg;
	GSM_Error	err;

	/* gammu's dummy phone is a folder; make it on first use. */
	m->dummy = strcmp(m->p->model, "dummy") == 0;
	if (m->dummy)
		mkdir(m->p->device, 0700);
	if (modem_configure(m) == -1) {
		modem_down(m, 0, "out of memory configuring libgammu");
		return -1;
	}
	if ((err = GSM_InitConnection(m->sm, 1)) != ERR_NONE) {
		modem_down(m, 0, "cannot open %s (%s): %s", m->p->device,
		    m->p->connection, GSM_ErrorString(err));
		return -1;
	}
	if (modem_unlock(m) == -1)
		return -1;

	memset(&msg, 0, sizeof(msg));
	msg.type = WIRE_HELLO;
	GSM_GetManufacturer(m->sm, msg.u.hello.manufacturer);
	GSM_GetModel(m->sm, msg.u.hello.model);
	GSM_GetIMEI(m->sm, msg.u.hello.imei);
	modem_tell(m, &msg);

	memset(&m->smsc, 0, sizeof(m->smsc));
	m->smsc.Location = 1;
	m->have_smsc = GSM_GetSMSC(m->sm, &m->smsc) == ERR_NONE;

	GSM_SetIncomingSMSCallback(m->sm, modem_on_sms, m);
	GSM_SetSendSMSStatusCallback(m->sm, modem_on_sent, m);
	if ((err = GSM_SetIncomingSMS(m->sm, TRUE)) != ERR_NONE)
		log_info("no new-message notifications (%s); scanning every "
		    "%d s", GSM_ErrorString(err), m->p->poll_interval);
	log_info("ready: %s %s on %s", msg.u.hello.manufacturer,
	    msg.u.hello.model, m->p->device);
	return 0;
}

/* Find a part in the announced list; return its index or -1. */
static int
modem_pending_find(struct modem *m, int folder, int location)
{
	int i;

	for (i = 0; i < m->npending; i++)
		if (m->pending[i].folder == folder &&
		    m->pending[i].location == location)
			return i;
	return -1;
}

/* Remove entry i from the announced list. */
static void
modem_pending_drop(struct modem *m, int i)
{
	m->pending[i] = m->pending[--m->npending];
}

/*
 * Tell whether we emptied this slot since we last read it (so what is in
 * it now is a new message), forgetting it; or note that we emptied it.
 */
static int
modem_freed(struct modem *m, int folder, int location, int note)
{
	int i;

	for (i = 0; i < m->nfreed; i++)
		if (m->freed[i].folder == folder &&
		    m->freed[i].location == location) {
			if (!note)
				m->freed[i] = m->freed[--m->nfreed];
			return 1;
		}
	if (note && m->nfreed < MODEM_PENDING_MAX) {
		m->freed[m->nfreed].folder = folder;
		m->freed[m->nfreed++].location = location;
	}
	return 0;
}

/* Announce one received part to the loop. */
static void
modem_announce(struct modem *m, const GSM_SMSMessage *s)
{
	struct wire_msg msg;

	if (modem_pending_note(m, s->Folder, s->Location) == -1)
		return;
	memset(&msg, 0, sizeof(msg));
	msg.type = WIRE_SMS_IN;
	at_pdu_sms_in(s, &msg.u.sms_in);
	msg.u.sms_in.fresh = modem_freed(m, s->Folder, s->Location, 0);
	modem_tell(m, &msg);
}

/* Note a part in the announced list; return 0 if it is due now. */
static int
modem_pending_note(struct modem *m, int folder, int location)
{
	int i;

	if ((i = modem_pending_find(m, folder, location)) != -1) {
		if (time(NULL) - m->pending[i].announced < MODEM_REANNOUNCE)
			return -1;
		m->pending[i].announced = time(NULL);
		return 0;
	}
	if (m->npending == MODEM_PENDING_MAX)
		return -1;	/* read again after the loop catches up */
	m->pending[m->npending].folder = folder;
	m->pending[m->npending].location = location;
	m->pending[m->npending].announced = time(NULL);
	m->npending++;
	return 0;
}

/* Announce a delivery report to the loop. */
static void
modem_announce_report(struct modem *m, const GSM_SMSMessage *s)
{
	struct wire_msg msg;

	/* Location 0: handed over directly, not stored, nothing to delete. */
	if (s->Location != 0 &&
	    modem_pending_note(m, s->Folder, s->Location) == -1)
		return;
	memset(&msg, 0, sizeof(msg));
	msg.type = WIRE_REPORT;
	at_pdu_report(s, &msg.u.report);
	/* A report can beat the send result it is about: hold it back. */
	if (m->sending && m->nlate < MODEM_LATE_MAX) {
		m->late[m->nlate++] = msg;
		return;
	}
	modem_tell(m, &msg);
}

/* Pass on the reports held back while a send was in progress. */
static void
modem_reports_flush(struct modem *m)
{
	int i;

	for (i = 0; i < m->nlate; i++)
		modem_tell(m, &m->late[i]);
	m->nlate = 0;
}

/* Tell whether a libgammu error means the connection itself is gone. */
static int
modem_link_error(GSM_Error err)
{
	switch (err) {
	case ERR_DEVICEOPENERROR:
	case ERR_DEVICENOTEXIST:
	case ERR_DEVICEWRITEERROR:
	case ERR_DEVICEREADERROR:
	case ERR_DEVICENOTWORK:
	case ERR_TIMEOUT:
	case ERR_DEVICECHANGESPEEDERROR:
	case ERR_DEVICEDTRRTSERROR:
		return 1;
	default:
		return 0;
	}
}

/*
 * A message libgammu cannot decode: logged once per location, and handed
 * to the loop marked undecodable so that it is kept in the inbox and
 * deleted from the SIM like any other (left there, enough of them would
 * fill the SIM and stop all reception).  libgammu does not hand out the
 * raw PDU; the native engine keeps it.  The read time stands in for the
 * SMSC time, so that two such messages are two inbox rows.
 */
static void
modem_note_unreadable(struct modem *m, int folder, int location,
    GSM_Error err)
{
	struct wire_msg		 msg;
	struct wire_sms_in	*in = &msg.u.sms_in;
	time_t			 now = time(NULL);
	int			 i;

	for (i = 0; i < m->nunreadable; i++)
		if (m->unreadable[i] == location)
			break;
	if (i == m->nunreadable) {
		if (m->nunreadable < MODEM_UNREADABLE_MAX)
			m->unreadable[m->nunreadable++] = location;
		log_warnx("message at location %d cannot be read (%s); kept "
		    "in the inbox as undecodable, then deleted", location,
		    GSM_ErrorString(err));
	}
	if (modem_pending_note(m, folder, location) == -1)
		return;
	memset(&msg, 0, sizeof(msg));
	msg.type = WIRE_SMS_IN;
	in->folder = folder;
	in->location = location;
	in->coding = WIRE_CODING_UNDECODABLE;
	in->concat_ref = -1;
	in->concat_part = in->concat_total = 1;
	strftime(in->smsc_time, sizeof(in->smsc_time), "%Y-%m-%d %H:%M:%S "
	    "+0000", gmtime(&now));
	/* The count keeps two of them read in one second apart. */
	snprintf(in->text, sizeof(in->text), "(libgammu: %s; the raw PDU is "
	    "not available with engine = \"gammu\"; it was at location %d, "
	    "undecodable message %u of this worker)", GSM_ErrorString(err),
	    location, ++m->nbad);
	modem_tell(m, &msg);
}

/* Read every message on the phone (all folders and memories). */
static int
modem_scan(struct modem *m)
{
	GSM_MultiSMSMessage	sms;
	GSM_Error		err;
	gboolean		start = TRUE;
	int			i, guard, folder, location, bad = 0;

	m->check_sms = 0;
	memset(&sms, 0, sizeof(sms));
	for (guard = 0; guard < 10000 && !m->quit; guard++) {
		/* GetNextSMS continues from the previous part's place. */
		folder = sms.SMS[0].Folder;
		location = sms.SMS[0].Location;
		memset(&sms, 0, sizeof(sms));
		sms.SMS[0].Folder = folder;
		sms.SMS[0].Location = location;
		err = GSM_GetNextSMS(m->sm, &sms, start);
		start = FALSE;
		if (err == ERR_EMPTY || err == ERR_NOTSUPPORTED)
			break;
		if (err != ERR_NONE) {
			if (modem_link_error(err)) {
				modem_down(m, 0, "reading messages: %s",
				    GSM_ErrorString(err));
				return -1;
			}
			/*
			 * One message libgammu cannot decode must not hide
			 * the others: it left Location on the bad one, so the
			 * next call moves past it.
			 */
			if (sms.SMS[0].Location == 0 ||
			    sms.SMS[0].Location == bad) {
				log_warnx("reading messages: %s",
				    GSM_ErrorString(err));
				break;
			}
			bad = sms.SMS[0].Location;
			/* Folder is left unset; libgammu's AT driver keeps
			 * the SIM inbox in folder 1. */
			modem_note_unreadable(m, sms.SMS[0].Folder != 0 ?
			    sms.SMS[0].Folder : folder != 0 ? folder : 1, bad,
			    err);
			continue;
		}
		for (i = 0; i < sms.Number; i++) {
			if (sms.SMS[i].PDU == SMS_Status_Report)
				modem_announce_report(m, &sms.SMS[i]);
			/* Our own sent copies and drafts are not for us. */
			if (sms.SMS[i].PDU != SMS_Deliver)
				continue;
			modem_announce(m, &sms.SMS[i]);
		}
	}
	return 0;
}

/*
 * Delete a message libgammu cannot decode by writing AT+CMGD to its port
 * ourselves: libgammu's AT driver reads a message before deleting it, so
 * it cannot delete one it cannot read.  Done between two libgammu calls,
 * so nothing else is waiting for the modem's answer; -1 if it fails.
 */
static int
modem_raw_delete(struct modem *m, int location)
{
	struct pollfd	pfd;
	char		cmd[32], buf[256];
	size_t		len = 0;
	ssize_t		n;
	time_t		deadline = time(NULL) + 5;

	if (m->devfd == -1 || at_speed(m->p->connection) == -1)
		return -1;
	snprintf(cmd, sizeof(cmd), "AT+CMGD=%d\r", location);
	if (write(m->devfd, cmd, strlen(cmd)) != (ssize_t)strlen(cmd))
		return -1;
	while (time(NULL) < deadline && len + 1 < sizeof(buf)) {
		pfd.fd = m->devfd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, MODEM_TICK_MS) <= 0)
			continue;
		if ((n = read(m->devfd, buf + len, sizeof(buf) - 1 - len)) <= 0)
			return -1;
		len += (size_t)n;
		buf[len] = '\0';
		if (strstr(buf, "OK\r") != NULL)
			return 0;
		if (strstr(buf, "ERROR") != NULL)
			return -1;
	}
	return -1;
}

/* The loop committed a part: delete it from the phone. */
static int
modem_delete(struct modem *m, const struct wire_stored *st)
{
	GSM_SMSMessage	sms;
	GSM_Error	err;
	int		i, bad = 0;

	/*
	 * Only what we announced and have not deleted yet: a second
	 * acknowledgement (the part was announced twice) must not delete
	 * the next message stored in that slot since.
	 */
	if ((i = modem_pending_find(m, st->folder, st->location)) == -1)
		return 0;
	modem_pending_drop(m, i);
	/* The next message stored there is another one. */
	for (i = 0; i < m->nunreadable; i++)
		if (m->unreadable[i] == st->location) {
			m->unreadable[i--] = m->unreadable[--m->nunreadable];
			bad = 1;
		}
	if (st->location == 0)
		return 0;	/* a report that was never stored */
	memset(&sms, 0, sizeof(sms));
	sms.Folder = st->folder;
	sms.Location = st->location;
	err = GSM_DeleteSMS(m->sm, &sms);
	if (err == ERR_NONE || err == ERR_EMPTY ||
	    (bad && modem_raw_delete(m, st->location) == 0)) {
		modem_freed(m, st->folder, st->location, 1);
		return 0;
	}
	log_warnx("deleting message %d/%d: %s", st->folder, st->location,
	    GSM_ErrorString(err));
	if (modem_link_error(err)) {
		modem_down(m, 0, "deleting a message: %s", GSM_ErrorString(err));
		return -1;
	}
	return 0;
}

/*
 * Wait for the network's answer to the part just handed to the modem,
 * watching the port so that a modem unplugged meanwhile is noticed at
 * once rather than at the deadline.
 */
static GSM_Error
modem_wait_sent(struct modem *m, time_t deadline)
{
	struct pollfd pfd;

	while (m->send_status == -1 && time(NULL) < deadline) {
		if (m->devfd != -1) {
			pfd.fd = m->devfd;
			pfd.events = POLLIN;
			pfd.revents = 0;
			if (poll(&pfd, 1, MODEM_TICK_MS) == -1 && errno != EINTR)
				return ERR_DEVICEREADERROR;
			if (pfd.revents & (POLLHUP | POLLERR | POLLNVAL))
				return ERR_DEVICENOTEXIST;
			if (!(pfd.revents & POLLIN))
				continue;
		}
		if (GSM_ReadDevice(m->sm, m->devfd == -1) < 0)
			return ERR_DEVICEREADERROR;
	}
	return m->send_status == -1 ? ERR_TIMEOUT : ERR_NONE;
}

/*
 * Send one outbox message, split into concatenated parts as needed
 * (GSM-7 when the text allows it, UCS-2 otherwise).  This is the one
 * send path: a faster one replaces this function.
 */
static int
modem_send(struct modem *m, const struct wire_send *ws, struct wire_sent *res)
{
	static unsigned char	ucs2[(WIRE_SEND_TEXT_MAX + 1) * 2];
	GSM_MultiPartSMSInfo	info;
	GSM_MultiSMSMessage	msms;
	GSM_Error		err;
	time_t			deadline;
	int			i, start;

	memset(res, 0, sizeof(*res));
	res->outbox_id = ws->outbox_id;
	res->concat_ref = -1;
	if (ws->recipient[0] == '\0' || strspn(ws->recipient + 1,
	    "0123456789") != strlen(ws->recipient + 1)) {
		res->permanent = 1;
		snprintf(res->error, sizeof(res->error), "invalid number %s",
		    ws->recipient);
		return 0;
	}
	sms_utf8_to_ucs2(ws->text, ucs2, sizeof(ucs2) / 2);
	GSM_ClearMultiPartSMSInfo(&info);
	info.Class = -1;
	info.EntriesNum = 1;
	info.UnicodeCoding = FALSE;
	info.Entries[0].ID = SMS_ConcatenatedAutoTextLong;
	info.Entries[0].Buffer = ucs2;
	memset(&msms, 0, sizeof(msms));
	if ((err = GSM_EncodeMultiPartSMS(GSM_GetDebug(m->sm), &info,
	    &msms)) != ERR_NONE) {
		res->permanent = 1;
		snprintf(res->error, sizeof(res->error), "cannot encode: %s",
		    GSM_ErrorString(err));
		return 0;
	}
	/* A retry sends only the parts not sent, under the same reference. */
	start = ws->parts_done > 0 && ws->parts_done < msms.Number &&
	    ws->concat_ref >= 0 ? ws->parts_done : 0;
	if (msms.Number > 1)
		res->concat_ref = at_pdu_concat_ref(&msms.SMS[0].UDH,
		    start > 0 ? ws->concat_ref : -1);
	for (i = 1; start > 0 && i < msms.Number; i++)
		at_pdu_concat_ref(&msms.SMS[i].UDH, ws->concat_ref);
	if (start > 0)
		res->concat_ref = ws->concat_ref;
	res->parts = start;
	deadline = time(NULL) + m->p->send_timeout;
	for (i = start; i < msms.Number; i++) {
		GSM_SMSMessage *s = &msms.SMS[i];

		EncodeUnicode(s->Number, ws->recipient, strlen(ws->recipient));
		s->PDU = ws->want_report ? SMS_Status_Report : SMS_Submit;
		if (m->have_smsc) {
			s->SMSC = m->smsc;
			s->SMSC.Location = 0;
		} else
			s->SMSC.Location = 0;
		m->send_status = -1;
		if ((err = GSM_SendSMS(m->sm, s)) == ERR_NONE)
			err = modem_wait_sent(m, deadline);
		if (err == ERR_NONE && m->send_status != 0) {
			snprintf(res->error, sizeof(res->error), "part %d/%d "
			    "refused by the network (error %d)", i + 1,
			    msms.Number, m->send_status);
			return 0;
		}
		if (err != ERR_NONE) {
			snprintf(res->error, sizeof(res->error), "part %d/%d: "
			    "%s", i + 1, msms.Number, GSM_ErrorString(err));
			res->link = modem_link_error(err);
			return res->link ? -1 : 0;
		}
		res->msg_ref = m->send_ref;
		res->parts = i + 1;
	}
	res->ok = 1;
	return 0;
}

/* Read signal, network and SIM use, and tell the loop. */
static void
modem_health(struct modem *m)
{
	struct wire_msg		msg;
	GSM_SignalQuality	sq;
	GSM_BatteryCharge	bc;
	GSM_NetworkInfo		ni;
	GSM_SMSMemoryStatus	ms;

	memset(&msg, 0, sizeof(msg));
	msg.type = WIRE_HEALTH;
	msg.u.health.signal_percent = -1;
	msg.u.health.battery_percent = -1;
	msg.u.health.sim_used = -1;
	memset(&sq, 0, sizeof(sq));
	if (GSM_GetSignalQuality(m->sm, &sq) == ERR_NONE)
		msg.u.health.signal_percent = sq.SignalPercent;
	memset(&bc, 0, sizeof(bc));
	if (GSM_GetBatteryCharge(m->sm, &bc) == ERR_NONE)
		msg.u.health.battery_percent = bc.BatteryPercent;
	memset(&ni, 0, sizeof(ni));
	if (GSM_GetNetworkInfo(m->sm, &ni) == ERR_NONE) {
		snprintf(msg.u.health.network, sizeof(msg.u.health.network),
		    "%s", ni.NetworkCode);
		sms_ucs2_to_utf8(ni.NetworkName, msg.u.health.operator_name,
		    sizeof(msg.u.health.operator_name));
	}
	memset(&ms, 0, sizeof(ms));
	if (GSM_GetSMSStatus(m->sm, &ms) == ERR_NONE) {
		msg.u.health.sim_used = ms.SIMUsed + ms.PhoneUsed;
		msg.u.health.sim_total = ms.SIMSize + ms.PhoneSize;
	}
	modem_tell(m, &msg);
}

/* Handle one message from the loop; -1 when the modem link broke. */
static int
modem_command(struct modem *m, const struct wire_msg *msg)
{
	struct wire_msg	reply;
	int		rc;

	switch (msg->type) {
	case WIRE_STORED:
		return modem_delete(m, &msg->u.stored);
	case WIRE_SEND:
		memset(&reply, 0, sizeof(reply));
		reply.type = WIRE_SENT;
		m->sending = 1;
		rc = modem_send(m, &msg->u.send, &reply.u.sent);
		m->sending = 0;
		modem_tell(m, &reply);
		modem_reports_flush(m);
		if (rc == -1)
			modem_down(m, 0, "sending: %s", reply.u.sent.error);
		return rc;
	case WIRE_USSD:
		if ((rc = modem_ussd_command(m->sm, m->fd, &msg->u.ussd)) == -1)
			modem_down(m, 0, "USSD: the modem stopped answering");
		return rc;
	default:
		log_warnx("unexpected message type %u from the loop",
		    msg->type);
		return 0;
	}
}

/*
 * Tell whether gammu's dummy phone holds any message.  Its scan tries
 * every possible file (some 30,000 failed opens, ~10% of a core at
 * poll_interval = 1), so an empty phone is seen with five readdir()s
 * instead.
 */
static int
modem_dummy_waiting(const struct modem *m)
{
	char		 path[PATH_MAX];
	DIR		*d;
	struct dirent	*e;
	int		 folder, found = 0;

	for (folder = 1; folder <= 5 && !found; folder++) {
		snprintf(path, sizeof(path), "%s/sms/%d", m->p->device, folder);
		if ((d = opendir(path)) == NULL)
			return 1;	/* let libgammu say what is wrong */
		while (!found && (e = readdir(d)) != NULL)
			found = e->d_name[0] != '.';
		closedir(d);
	}
	return found;
}

/* Do whatever is due: scans, health reports, heartbeats. */
static int
modem_timers(struct modem *m)
{
	struct wire_msg	msg;
	time_t		now = time(NULL);

	if (m->check_sms || now >= m->next_scan) {
		m->next_scan = now + m->p->poll_interval;
		if ((!m->dummy || modem_dummy_waiting(m)) &&
		    modem_scan(m) == -1)
			return -1;
	}
	if (now >= m->next_health) {
		m->next_health = now + m->p->health_interval;
		modem_health(m);
	}
	if (now >= m->next_heartbeat) {
		m->next_heartbeat = now + MODEM_HEARTBEAT;
		memset(&msg, 0, sizeof(msg));
		msg.type = WIRE_HEARTBEAT;
		modem_tell(m, &msg);
	}
	return 0;
}

/*
 * Find the descriptor libgammu opened on the device (the character
 * device the configured path leads to), so that the worker can sleep in
 * poll() until the modem says something; -1 for phones without one.
 */
static int
modem_device_fd(const struct modem *m)
{
	struct stat	dev, st;
	int		fd;

	if (stat(m->p->device, &dev) == -1 || !S_ISCHR(dev.st_mode))
		return -1;
	for (fd = 3; fd < 1024; fd++)
		if (fd != m->fd && fstat(fd, &st) == 0 &&
		    S_ISCHR(st.st_mode) && st.st_rdev == dev.st_rdev)
			return fd;
	return -1;
}

/* Milliseconds poll() may sleep before the next timer is due. */
static int
modem_wait_ms(const struct modem *m)
{
	time_t	now = time(NULL), next = m->next_heartbeat;

	if (m->devfd == -1 && !m->dummy)
		return MODEM_TICK_MS;
	if (m->next_scan < next)
		next = m->next_scan;
	if (m->next_health < next)
		next = m->next_health;
	if (next <= now)
		return 0;
	return next - now > MODEM_WAIT_MAX_MS / 1000 ? MODEM_WAIT_MAX_MS :
	    (int)(next - now) * 1000;
}

/*
 * The worker's loop: commands from the daemon, the phone, timers.  It
 * sleeps in poll() on both the loop's socket and the modem's port, so an
 * unsolicited +CMTI is read, and the message fetched, at once.
 */
static int
modem_run(struct modem *m)
{
	struct pollfd	pfd[2];
	struct wire_msg	msg;
	ssize_t		n;
	int		nfds;

	m->next_scan = 0;
	m->devfd = modem_device_fd(m);
	while (!m->quit) {
		if (modem_timers(m) == -1)
			return 1;
		pfd[0].fd = m->fd;
		pfd[0].events = POLLIN;
		pfd[0].revents = pfd[1].revents = 0;
		pfd[1].fd = m->devfd;
		pfd[1].events = POLLIN;
		nfds = m->devfd == -1 ? 1 : 2;
		if (poll(pfd, nfds, modem_wait_ms(m)) == -1 && errno != EINTR)
			return 1;
		if (pfd[0].revents & (POLLHUP | POLLERR))
			return 0;
		if (pfd[0].revents & POLLIN) {
			n = recv(m->fd, &msg, sizeof(msg), 0);
			if (n == 0)
				return 0;
			if (n == (ssize_t)sizeof(msg) &&
			    modem_command(m, &msg) == -1)
				return 1;
		}
		if (pfd[1].revents & (POLLHUP | POLLERR | POLLNVAL)) {
			modem_down(m, 0, "%s: the device went away",
			    m->p->device);
			return 1;
		}
		/* Let libgammu see unsolicited +CMTI lines. */
		if ((m->devfd == -1 && !m->dummy) ||
		    (pfd[1].revents & POLLIN))
			GSM_ReadDevice(m->sm, FALSE);
	}
	return 0;
}

/* Entry point of the worker process; returns its exit status. */
int
modem_main(int fd, const struct modem_params *p)
{
	struct modem		*m;
	struct sigaction	 sa;
	char			 pfx[64];
	int			 rc = 1;

	if (p->native)
		return at_worker_main(fd, p);
	snprintf(pfx, sizeof(pfx), "modem %s", p->name);
	log_setprefix(pfx);
	if ((m = calloc(1, sizeof(*m))) == NULL)
		return 1;
	m->p = p;
	m->fd = fd;
	m->devfd = -1;
	modem_self = m;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = modem_on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);

	if (modem_open(m) == 0)
		rc = modem_run(m);
	if (m->sm != NULL) {
		if (GSM_IsConnected(m->sm))
			GSM_TerminateConnection(m->sm);
		GSM_FreeStateMachine(m->sm);
	}
	modem_self = NULL;
	free(m);
	return rc;
}

#define MODEM_DUMMY_MAX_LOCATION	10000	/* libgammu's DUMMY_MAX_SMS */

/* nftw callback: remove one entry of a staging phone folder. */
static int
modem_dummy_rm(const char *path, const struct stat *sb, int flag,
    struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

/* scandir filter: message files, not "." and "..". */
static int
modem_dummy_isfile(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

/*
 * Move the messages of a staging dummy phone into the real phone's inbox,
 * each with one link(): libgammu writes a message file in several steps,
 * and the daemon's worker scanning the inbox meanwhile must see a whole
 * message or none. Parts keep their order; a taken location is skipped.
 */
static int
modem_dummy_publish(const char *stage, const char *device, char *err,
    size_t errlen)
{
	char		  dir[PATH_MAX], from[PATH_MAX], to[PATH_MAX];
	struct dirent	**names;
	int		  n, i, loc = 1, rc = 0;

	snprintf(dir, sizeof(dir), "%s/sms/1", stage);
	if ((n = scandir(dir, &names, modem_dummy_isfile, versionsort)) == -1) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	mkdir(device, 0700);
	snprintf(to, sizeof(to), "%s/sms", device);
	mkdir(to, 0700);
	snprintf(to, sizeof(to), "%s/sms/1", device);
	mkdir(to, 0700);
	for (i = 0; i < n && rc == 0; i++) {
		snprintf(from, sizeof(from), "%s/%s", dir, names[i]->d_name);
		for (; loc < MODEM_DUMMY_MAX_LOCATION; loc++) {
			snprintf(to, sizeof(to), "%s/sms/1/%d", device, loc);
			if (link(from, to) == 0 || errno != EEXIST)
				break;
		}
		if (loc == MODEM_DUMMY_MAX_LOCATION || access(to, F_OK) != 0) {
			snprintf(err, errlen, "cannot store the message in %s: "
			    "%s", device, loc == MODEM_DUMMY_MAX_LOCATION ?
			    "inbox full" : strerror(errno));
			rc = -1;
		}
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

/*
 * Put a message into a dummy phone's inbox, as if the network delivered
 * it: how `kentongan phone` lets a newcomer talk to the demo daemon.
 * libgammu encodes it into a private staging phone beside the real one,
 * then the finished files are moved in (see modem_dummy_publish).
 */
int
modem_inject_dummy(const char *device, const char *sender, const char *text,
    char *err, size_t errlen)
{
	char	stage[PATH_MAX];
	int	rc;

	if ((size_t)snprintf(stage, sizeof(stage), "%s.inject.%ld", device,
	    (long)getpid()) >= sizeof(stage)) {
		snprintf(err, errlen, "%s: path too long", device);
		return -1;
	}
	if ((rc = modem_inject_stage(stage, sender, text, err, errlen)) == 0)
		rc = modem_dummy_publish(stage, device, err, errlen);
	nftw(stage, modem_dummy_rm, 16, FTW_DEPTH | FTW_PHYS);
	return rc;
}

/* Encode a message with libgammu into the dummy phone at device. */
static int
modem_inject_stage(const char *device, const char *sender, const char *text,
    char *err, size_t errlen)
{
	static unsigned char	ucs2[(WIRE_SEND_TEXT_MAX + 1) * 2];
	struct modem_params	p;
	struct modem		m;
	GSM_MultiPartSMSInfo	info;
	GSM_MultiSMSMessage	msms;
	GSM_Error		e;
	int			i, rc = -1;

	memset(&p, 0, sizeof(p));
	memset(&m, 0, sizeof(m));
	snprintf(p.device, sizeof(p.device), "%s", device);
	snprintf(p.connection, sizeof(p.connection), "none");
	snprintf(p.model, sizeof(p.model), "dummy");
	m.p = &p;
	mkdir(device, 0700);
	if (modem_configure(&m) == -1 ||
	    (e = GSM_InitConnection(m.sm, 1)) != ERR_NONE) {
		snprintf(err, errlen, "cannot open dummy phone %s", device);
		goto out;
	}
	sms_utf8_to_ucs2(text, ucs2, sizeof(ucs2) / 2);
	GSM_ClearMultiPartSMSInfo(&info);
	info.Class = -1;
	info.EntriesNum = 1;
	info.Entries[0].ID = SMS_ConcatenatedAutoTextLong;
	info.Entries[0].Buffer = ucs2;
	memset(&msms, 0, sizeof(msms));
	if ((e = GSM_EncodeMultiPartSMS(NULL, &info, &msms)) != ERR_NONE) {
		snprintf(err, errlen, "cannot encode: %s", GSM_ErrorString(e));
		goto out;
	}
	for (i = 0; i < msms.Number; i++) {
		GSM_SMSMessage *s = &msms.SMS[i];

		EncodeUnicode(s->Number, sender, strlen(sender));
		s->PDU = SMS_Deliver;
		s->State = SMS_UnRead;
		s->Folder = 1;
		s->InboxFolder = TRUE;
		s->Location = 0;
		GSM_GetCurrentDateTime(&s->DateTime);
		GSM_GetCurrentDateTime(&s->SMSCTime);
		if ((e = GSM_AddSMS(m.sm, s)) != ERR_NONE) {
			snprintf(err, errlen, "cannot store the message: %s",
			    GSM_ErrorString(e));
			goto out;
		}
	}
	rc = 0;
out:
	if (m.sm != NULL) {
		if (GSM_IsConnected(m.sm))
			GSM_TerminateConnection(m.sm);
		GSM_FreeStateMachine(m.sm);
	}
	return rc;
}
