/*
 * USSD on the worker's side: dial a service code such as *888# through
 * libgammu (GSM_DialService) and wait for the incoming-USSD callback.
 *
 * DESIGN: runs in the modem's worker process between two commands from
 * the loop, so nothing else talks to the modem meanwhile.  The wait is
 * bounded by the request's timeout; heartbeats keep the loop's watchdog
 * content while the network thinks.  The answer (or why there is none)
 * goes back as one WIRE_USSD_REPLY.
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "log.h"
#include "modem.h"
#include "modem_ussd.h"
#include "wire.h"

#define MODEM_USSD_BEAT		2	/* seconds between heartbeats */

struct modem_ussd_wait {
	int		done;
	GSM_USSDStatus	status;
	char		text[WIRE_USSD_TEXT_MAX];
};

/* libgammu: a USSD message came from the network. */
static void
modem_ussd_on_reply(GSM_StateMachine *sm, GSM_USSDMessage *u, void *arg)
{
	struct modem_ussd_wait *w = arg;

	(void)sm;
	w->status = u->Status;
	sms_ucs2_to_utf8(u->Text, w->text, sizeof(w->text));
	w->done = 1;
}

/* Send one message to the loop (best effort: the loop may be gone). */
static void
modem_ussd_tell(int fd, const struct wire_msg *msg)
{
	if (send(fd, msg, sizeof(*msg), MSG_NOSIGNAL) != (ssize_t)sizeof(*msg))
		log_warn("telling the loop");
}

/* Tell the loop we are alive while we wait. */
static void
modem_ussd_beat(int fd)
{
	struct wire_msg msg;

	memset(&msg, 0, sizeof(msg));
	msg.type = WIRE_HEARTBEAT;
	modem_ussd_tell(fd, &msg);
}

/* Name a USSD status that carries no usable answer. */
static const char *
modem_ussd_status(GSM_USSDStatus st)
{
	switch (st) {
	case USSD_NotSupported:
		return "the network does not support this code";
	case USSD_Timeout:
		return "the network timed out";
	case USSD_AnotherClient:
		return "another client answered";
	case USSD_Unknown:
		return "unknown USSD status";
	default:
		return NULL;
	}
}

/*
 * Dial the code and wait for the answer.  Return 0 with r filled (ok or
 * not), -1 when the modem link broke.
 */
static int
modem_ussd_dial(GSM_StateMachine *sm, int fd, const struct wire_ussd *rq,
    struct wire_ussd_reply *r)
{
	struct modem_ussd_wait	 w;
	GSM_Error		 err;
	time_t			 deadline, beat;
	char			 code[WIRE_USSD_CODE_MAX];
	const char		*why;
	int			 rc = 0;

	memset(&w, 0, sizeof(w));
	snprintf(code, sizeof(code), "%s", rq->code);
	GSM_SetIncomingUSSDCallback(sm, modem_ussd_on_reply, &w);
	if ((err = GSM_SetIncomingUSSD(sm, TRUE)) != ERR_NONE) {
		snprintf(r->error, sizeof(r->error), "USSD notifications: %s",
		    GSM_ErrorString(err));
		goto out;
	}
	if ((err = GSM_DialService(sm, code)) != ERR_NONE) {
		snprintf(r->error, sizeof(r->error), "dialling %s: %s", code,
		    GSM_ErrorString(err));
		goto off;
	}
	deadline = time(NULL) + rq->timeout;
	beat = time(NULL) + MODEM_USSD_BEAT;
	while (!w.done && time(NULL) < deadline) {
		if (GSM_ReadDevice(sm, TRUE) < 0) {
			snprintf(r->error, sizeof(r->error), "the modem stopped "
			    "answering");
			rc = -1;
			goto out;
		}
		if (time(NULL) >= beat) {
			beat = time(NULL) + MODEM_USSD_BEAT;
			modem_ussd_beat(fd);
		}
	}
	if (!w.done)
		snprintf(r->error, sizeof(r->error), "no answer within %d s",
		    rq->timeout);
	else if ((why = modem_ussd_status(w.status)) != NULL)
		snprintf(r->error, sizeof(r->error), "%s", why);
	else {
		r->ok = 1;
		snprintf(r->text, sizeof(r->text), "%s", w.text);
	}
off:
	GSM_SetIncomingUSSD(sm, FALSE);
out:
	GSM_SetIncomingUSSDCallback(sm, NULL, NULL);
	return rc;
}

/* Handle WIRE_USSD: dial, answer the loop; -1 when the link broke. */
int
modem_ussd_command(GSM_StateMachine *sm, int fd, const struct wire_ussd *rq)
{
	struct wire_msg	reply;
	int		rc;

	memset(&reply, 0, sizeof(reply));
	reply.type = WIRE_USSD_REPLY;
	reply.u.ussd_reply.id = rq->id;
	rc = modem_ussd_dial(sm, fd, rq, &reply.u.ussd_reply);
	if (reply.u.ussd_reply.ok)
		log_info("USSD %s: %s", rq->code, reply.u.ussd_reply.text);
	else
		log_warnx("USSD %s: %s", rq->code, reply.u.ussd_reply.error);
	modem_ussd_tell(fd, &reply);
	return rc;
}
