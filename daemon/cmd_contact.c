/*
 * What a sender says about themselves: BERHENTI / STOP and MULAI / START
 * (opt out of, and back into, every broadcast and alert), BAHASA / LANG
 * ID|EN (reply language), and DAFTAR / REG <name>[#village] (a name for
 * the contact; cmd_register sends an event code elsewhere).
 */
#include <stdio.h>
#include <string.h>

#include "contact.h"
#include "match.h"
#include "router.h"
#include "store.h"

/* Handle BERHENTI; BERHENTI LANGGANAN ... drops subscriptions instead. */
int
cmd_contact_stop(struct router_ctx *cx)
{
	const struct router_tokens *tok = cx->tok;

	if (tok->n > cx->arg0 && (match_distance(tok->t[cx->arg0].s,
	    "LANGGANAN", 1) <= 1 || strcmp(tok->t[cx->arg0].s, "SUB") == 0)) {
		cx->arg0++;
		snprintf(cx->out->command, sizeof(cx->out->command), "unsub");
		return cmd_unsub(cx);
	}
	if (contact_set_int(cx->store, cx->contact_id, "opted_out", 1) == -1 ||
	    store_audit(cx->store, cx->out->to, "opt-out", "") == -1)
		return -1;
	router_reply(cx, "stop.ok", NULL);
	return 0;
}

/* Handle MULAI. */
int
cmd_contact_start(struct router_ctx *cx)
{
	if (contact_set_int(cx->store, cx->contact_id, "opted_out", 0) == -1 ||
	    store_audit(cx->store, cx->out->to, "opt-in", "") == -1)
		return -1;
	router_reply(cx, "start.ok", NULL);
	return 0;
}

/* Handle BAHASA ID|EN; the reply is already in the new language. */
int
cmd_contact_lang(struct router_ctx *cx)
{
	const struct router_tokens	*tok = cx->tok;
	const char			*lang = NULL, *w;

	if (tok->n > cx->arg0) {
		w = tok->t[cx->arg0].s;
		if (!strcmp(w, "ID") || !strcmp(w, "INDONESIA") ||
		    !strcmp(w, "IND"))
			lang = "id";
		else if (!strcmp(w, "EN") || !strcmp(w, "ENG") ||
		    !strcmp(w, "ENGLISH") || !strcmp(w, "INGGRIS"))
			lang = "en";
	}
	if (lang == NULL) {
		router_reply(cx, "lang.usage", NULL);
		return 0;
	}
	if (contact_set(cx->store, cx->contact_id, "language", lang) == -1)
		return -1;
	snprintf(cx->out->lang, sizeof(cx->out->lang), "%s", lang);
	router_reply(cx, "lang.ok", NULL);
	return 0;
}

/* Handle DAFTAR <name>[#village]: name the contact and welcome them. */
int
cmd_contact_register(struct router_ctx *cx)
{
	const char	*p, *hash;
	char		 name[CONTACT_NAME_MAX], village[CONTACT_NAME_MAX];

	if (cx->tok->n <= cx->arg0) {
		router_reply(cx, "reg.usage", NULL);
		return 0;
	}
	/* The raw text keeps the case and the spaces people typed. */
	p = cx->in->text + cx->tok->t[cx->arg0].off;
	village[0] = '\0';
	if ((hash = strchr(p, '#')) != NULL) {
		contact_clean(p, (size_t)(hash - p), name, sizeof(name));
		contact_clean(hash + 1, strlen(hash + 1), village,
		    sizeof(village));
	} else
		contact_clean(p, strlen(p), name, sizeof(name));
	if (name[0] == '\0') {
		router_reply(cx, "reg.usage", NULL);
		return 0;
	}
	if (contact_set(cx->store, cx->contact_id, "name", name) == -1 ||
	    (village[0] != '\0' && contact_set(cx->store, cx->contact_id,
	    "village", village) == -1))
		return -1;
	router_reply(cx, "reg.ok", (const char *const[]){ "name", name,
	    NULL });
	return 0;
}
