/*
 * A custom keyword (`kentongan keyword add`): its auto-reply; or the
 * sender joins its group and is told; or the message goes to the staff's
 * "needs a person" queue and the sender is told it was received.  The
 * reply is the admin's text in the sender's language (Indonesian when no
 * English one was given), else the standard one.
 */
#include <stdio.h>
#include <string.h>

#include "group.h"
#include "keyword.h"
#include "log.h"
#include "router.h"
#include "store.h"

/* Reply with the keyword's own text, or with the standard key. */
static void
cmd_keyword_reply(struct router_ctx *cx, const struct keyword_custom *k,
    const char *key, const char *const *vars)
{
	const char *own = strcmp(cx->out->lang, "en") == 0 &&
	    k->reply_en[0] != '\0' ? k->reply_en : k->reply_id;

	if (own[0] == '\0') {
		router_reply(cx, key, vars);
		return;
	}
	snprintf(cx->out->text, sizeof(cx->out->text), "%s", own);
	cx->out->reply = 1;
}

/* Handle a custom keyword. */
int
cmd_keyword(struct router_ctx *cx)
{
	struct keyword_custom	k;
	int			rc;

	if ((rc = keyword_get(cx->store, cx->keyword, &k)) <= 0) {
		if (rc == 0)
			router_reply(cx, "unknown", NULL);
		return rc < 0 ? -1 : 0;
	}
	switch (k.action) {
	case KEYWORD_REPLY:
		cmd_keyword_reply(cx, &k, "unknown", NULL);
		return 0;
	case KEYWORD_JOIN:
		if ((rc = group_join_name(cx->store, cx->contact_id, k.group,
		    0)) == -1)
			return -1;
		cmd_keyword_reply(cx, &k, rc == 1 ? "join.ok" : "join.already",
		    (const char *const[]){ "group", k.group, NULL });
		return 0;
	case KEYWORD_ASK:
		cx->out->needs_person = 1;
		cmd_keyword_reply(cx, &k, "keyword.ask", NULL);
		return 0;
	default:
		fatalx("cmd_keyword: action %d", (int)k.action);
	}
}
