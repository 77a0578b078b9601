/*
 * Answers to polls and surveys.  The router asks here first, before a
 * keyword, a filler or a thank-you counts: a sender with an open question
 * who writes "1", "ya", "YA pak", "gak" or "2." is answering.  The poll's
 * code may come first ("PUPUK 1"); it decides when two are open, and a
 * bare answer goes to the question asked last.  A keyword that fits no
 * option (HARGA CABAI) is left to the keyword, a thank-you to the router;
 * another answer that fits no option gets the question again, once, and
 * after that is kept as free text.  The rules live in polls.c.
 */
#include <stdio.h>
#include <string.h>

#include "lexicon.h"
#include "polls.h"
#include "router.h"
#include "store.h"

/* Pick the ask an answer is for; set *from past a code that names it. */
static const struct poll_ask *
cmd_poll_pick(const struct poll_ask *a, int n, const struct router_tokens *tok,
    int *from)
{
	int i;

	*from = 0;
	if (tok->n > 0)
		for (i = 0; i < n; i++)
			if (strcmp(tok->t[0].s, a[i].code) == 0) {
				*from = 1;
				return &a[i];
			}
	return &a[0];
}

/* Reply with a question: the next one, or the same one again. */
static void
cmd_poll_ask(struct router_ctx *cx, const char *key, int64_t qid)
{
	char		 q[ROUTER_REPLY_MAX];
	const char	*vars[3] = { "question", q, NULL };

	if (poll_question_text(cx->store, qid, q, sizeof(q)) == -1)
		q[0] = '\0';
	router_reply(cx, key, vars);
}

/*
 * Take a message as an answer when it is one.  1 when it was (the reply
 * is set), 0 when it is for the rest of the router, -1 on a database
 * error.  keyword: the message starts with a known keyword.
 */
int
cmd_poll_answer(struct router_ctx *cx, int keyword)
{
	struct poll_ask		 asks[POLL_OPEN_MAX];
	const struct poll_ask	*a;
	const char		*text, *vars[3];
	char			 key[POLL_KEY_MAX] = "";
	int64_t			 next;
	int			 n, from, rc;

	if ((n = poll_open_asks(cx->store, cx->contact_id, asks,
	    POLL_OPEN_MAX)) <= 0)
		return n;
	a = cmd_poll_pick(asks, n, cx->tok, &from);
	if ((rc = poll_match(cx->store, a->question_id, cx->tok, from, key,
	    sizeof(key))) < 0)
		return -1;
	if (rc == 0 && from == 0 && keyword)
		return 0;
	if (rc == 0 && (rc = lexicon_is_ack(cx->store, cx->tok)) != 0)
		return rc < 0 ? -1 : 0;
	if (key[0] == '\0' && a->nopt > 0 && !a->repeated) {
		if (poll_repeat(cx->store, a->id) == -1)
			return -1;
		snprintf(cx->out->command, sizeof(cx->out->command), "poll");
		cmd_poll_ask(cx, "poll.again", a->question_id);
		return 1;
	}
	text = from < cx->tok->n ? cx->in->text + cx->tok->t[from].off :
	    cx->in->text;
	if ((rc = poll_answer(cx->store, a, key, text, cx->in->inbox_id,
	    &next)) < 0)
		return -1;
	snprintf(cx->out->command, sizeof(cx->out->command), "poll");
	if (rc == 1) {
		cmd_poll_ask(cx, "poll.question", next);
		return 1;
	}
	vars[0] = "code";
	vars[1] = a->code;
	vars[2] = NULL;
	router_reply(cx, "poll.thanks", vars);
	return 1;
}
