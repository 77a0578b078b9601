/*
 * DAFTAR / REG <EVENTCODE> [name]: register for a training or event, and
 * BATAL / CANCEL <EVENTCODE>: cancel.  The quota, deadline and waitlist
 * rules live in event.c; this file parses, calls it and answers.  A code
 * written in two words or with a slip is still found; a code-like word
 * that matches nothing gets the open events, and never renames the
 * contact.  A first word that is no code makes DAFTAR name the contact.
 */
#include <stdio.h>
#include <string.h>

#include "contact.h"
#include "event.h"
#include "log.h"
#include "norm.h"
#include "router.h"
#include "store.h"

/* An event's texts as the reply shows them: dates a farmer reads. */
struct cmd_event_vars {
	char	when[48];
	char	until[48];
};

/* Render the variables every event text may use. */
#define CMD_EVENT_VARS(e, v, pos) "code", (e)->code, "title", (e)->title, \
	"date", (v)->when, "place", (e)->place, "deadline", (v)->until, \
	"position", (pos)

/* Fill the dates of an event in the reply's language. */
static const struct cmd_event_vars *
cmd_event_dates(struct router_ctx *cx, const struct event_row *e,
    struct cmd_event_vars *v)
{
	event_when_text(e->date, cx->out->lang, v->when, sizeof(v->when));
	event_when_text(e->deadline, cx->out->lang, v->until,
	    sizeof(v->until));
	return v;
}

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

/* Tell whether a word looks like an event code (letters and digits). */
static int
cmd_event_codelike(const char *w)
{
	return strpbrk(w, "0123456789") != NULL && strlen(w) <= EVENT_CODE_MAX;
}

/*
 * Find the event DAFTAR names: its code as typed, in two words, or one
 * slip away.  Return 1 with it (and the tokens it took), 0 when the text
 * names no event, -1 on error.  A code-like word that matches nothing is
 * answered with the open events (never taken for a name: a contact's
 * name must not become "RELA26"), and reported as 2.
 */
static int
cmd_event_which(struct router_ctx *cx, struct event_row *e, int *used)
{
	const struct router_tokens	*tok = cx->tok;
	const char			*w = tok->t[cx->arg0].s, *next;
	char				 list[128], code[24];
	int				 rc;

	*used = 1;
	if ((rc = event_find(cx->store, w, e)) != 0)
		return rc;
	next = tok->n > cx->arg0 + 1 ? tok->t[cx->arg0 + 1].s : NULL;
	if ((rc = event_guess(cx->store, w, next, e, used)) != 0)
		return rc;
	if (!cmd_event_codelike(w) && (next == NULL ||
	    strspn(next, "0123456789") != strlen(next)))
		return 0;
	snprintf(list, sizeof(list), "%s%s", w, next != NULL && strspn(next,
	    "0123456789") == strlen(next) ? next : "");
	norm_echo(list, 16, code, sizeof(code));
	if ((rc = event_open_codes(cx->store, list, sizeof(list))) < 0)
		return -1;
	router_reply(cx, rc > 0 ? "event.unknown_open" : "event.unknown",
	    (const char *const[]){ "code", code, "list", list, NULL });
	return 2;
}

/*
 * Take "Bu Siti#Gurah" after the code: the name for the registration,
 * and the contact's name and village when they have none yet.
 */
static int
cmd_event_person(struct router_ctx *cx, int from, char *name, size_t len)
{
	const char	*p, *hash;
	char		 village[CONTACT_NAME_MAX], had[CONTACT_NAME_MAX];
	char		 had_village[CONTACT_NAME_MAX];

	p = cx->in->text + cx->tok->t[from].off;
	village[0] = '\0';
	if ((hash = strchr(p, '#')) != NULL) {
		contact_clean(p, (size_t)(hash - p), name, len);
		contact_clean(hash + 1, strlen(hash + 1), village,
		    sizeof(village));
	} else
		contact_clean(p, strlen(p), name, len);
	if (contact_get_text(cx->store, cx->contact_id, "name", had,
	    sizeof(had)) == -1 || contact_get_text(cx->store, cx->contact_id,
	    "village", had_village, sizeof(had_village)) == -1)
		return -1;
	/* Someone registering a neighbour must not rename or move itself. */
	if ((had[0] == '\0' && name[0] != '\0' && contact_set(cx->store,
	    cx->contact_id, "name", name) == -1) || (had_village[0] == '\0' &&
	    village[0] != '\0' && contact_set(cx->store, cx->contact_id,
	    "village", village) == -1))
		return -1;
	return 0;
}

/* Handle DAFTAR: an event code registers, anything else names the sender. */
int
cmd_register(struct router_ctx *cx)
{
	const struct router_tokens	*tok = cx->tok;
	struct event_row			 e;
	struct cmd_event_vars		 v;
	char				 name[CONTACT_NAME_MAX], pos[16] = "";
	int				 rc, n, used, a = cx->arg0;

	if (tok->n <= a)
		return cmd_contact_register(cx);
	if ((rc = cmd_event_which(cx, &e, &used)) != 1)
		return rc < 0 ? -1 : rc == 2 ? 0 : cmd_contact_register(cx);
	if (tok->n > a + used) {
		if (cmd_event_person(cx, a + used, name, sizeof(name)) == -1)
			return -1;
	} else if (contact_get_text(cx->store, cx->contact_id, "name",
	    name, sizeof(name)) == -1)
		return -1;
	if ((rc = event_register(cx->store, &e, cx->contact_id, name,
	    &n)) < 0)
		return -1;
	if (rc == EVENT_WAITLISTED)
		snprintf(pos, sizeof(pos), "%d", n);
	router_reply(cx, cmd_event_key(rc), (const char *const[]){
	    CMD_EVENT_VARS(&e, cmd_event_dates(cx, &e, &v), pos), NULL });
	return 0;
}

/* Handle BATAL <EVENTCODE>. */
int
cmd_cancel(struct router_ctx *cx)
{
	const struct router_tokens	*tok = cx->tok;
	struct event_row			 e;
	struct cmd_event_vars		 v;
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
	    (const char *const[]){ CMD_EVENT_VARS(&e, cmd_event_dates(cx, &e,
	    &v), ""), NULL });
	return 0;
}
