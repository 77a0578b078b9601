/*
 * DAFTAR / REG <EVENTCODE> [name]: register for a training or event, and
 * BATAL / CANCEL <EVENTCODE>: cancel.  The quota, deadline and waitlist
 * rules live in event.c; this file parses, calls it and answers.  A
 * first word that is not an event code makes DAFTAR name the contact.
 */
#include <stdio.h>
#include <string.h>

#include "contact.h"
#include "event.h"
#include "log.h"
#include "router.h"
#include "store.h"

/* Render the variables every event text may use. */
#define CMD_EVENT_VARS(e, pos) "code", (e)->code, "title", (e)->title, \
	"date", (e)->date, "place", (e)->place, "deadline", (e)->deadline, \
	"position", (pos)

/* The reply to what event_register did. */
static const char *
cmd_event_key(enum event_outcome o)
{
	switch (o) {
	case EVENT_CONFIRMED:
		return "event.ok";
	case EVENT_WAITLISTED:
		return "event.waitlist";
	case EVENT_ALREADY:
		return "event.already";
	case EVENT_ALREADY_WAITING:
		return "event.already_waiting";
	case EVENT_CLOSED:
		return "event.closed";
	case EVENT_PAST_DEADLINE:
		return "event.deadline";
	default:
		fatalx("cmd_event: unexpected outcome %d", (int)o);
	}
}

/* Handle DAFTAR: an event code registers, anything else names the sender. */
int
cmd_register(struct router_ctx *cx)
{
	const struct router_tokens	*tok = cx->tok;
	struct event			 e;
	const char			*p;
	char				 name[CONTACT_NAME_MAX], pos[16] = "";
	int				 rc, n, a = cx->arg0;

	if (tok->n <= a)
		return cmd_contact_register(cx);
	if ((rc = event_find(cx->store, tok->t[a].s, &e)) <= 0)
		return rc < 0 ? -1 : cmd_contact_register(cx);
	if (tok->n > a + 1) {
		p = cx->in->text + tok->t[a + 1].off;
		contact_clean(p, strlen(p), name, sizeof(name));
	} else if (contact_get_text(cx->store, cx->contact_id, "name",
	    name, sizeof(name)) == -1)
		return -1;
	if ((rc = event_register(cx->store, &e, cx->contact_id, name,
	    &n)) < 0)
		return -1;
	if (rc == EVENT_WAITLISTED)
		snprintf(pos, sizeof(pos), "%d", n);
	router_reply(cx, cmd_event_key(rc), (const char *const[]){
	    CMD_EVENT_VARS(&e, pos), NULL });
	return 0;
}

/* Handle BATAL <EVENTCODE>. */
int
cmd_cancel(struct router_ctx *cx)
{
	const struct router_tokens	*tok = cx->tok;
	struct event			 e;
	int				 rc, a = cx->arg0;

	if (tok->n <= a) {
		router_reply(cx, "cancel.usage", NULL);
		return 0;
	}
	if ((rc = event_find(cx->store, tok->t[a].s, &e)) <= 0) {
		if (rc == 0)
			router_reply(cx, "event.unknown", (const char *const[]){
			    "code", tok->t[a].s, NULL });
		return rc;
	}
	if ((rc = event_cancel(cx->store, cx->conf, &e, cx->contact_id)) < 0)
		return -1;
	router_reply(cx, rc == 0 ? "cancel.none" : "cancel.ok",
	    (const char *const[]){ CMD_EVENT_VARS(&e, ""), NULL });
	return 0;
}
