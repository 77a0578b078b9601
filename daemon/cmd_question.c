/*
 * TANYA / ASK <question>: a farmer asks a person.  The question becomes a
 * ticket tagged by topic, waits in the console's "needs a person" queue,
 * and is forwarded to the topic's experts; the farmer gets the ticket
 * number.  JAWAB / ANSWER <ticket> <answer>: an expert answers by SMS; the
 * answer goes to the farmer and the ticket closes.  The rules live in
 * question.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "question.h"
#include "router.h"
#include "store.h"

/* TANYA <question> */
int
cmd_ask(struct router_ctx *cx)
{
	const char	*text, *vars[3];
	char		 topic[QUESTION_TOPIC_MAX] = "", id[24];
	int64_t		 ticket;

	if (cx->arg0 >= cx->tok->n) {
		router_reply(cx, "ask.usage", NULL);
		return 0;
	}
	text = cx->in->text + cx->tok->t[cx->arg0].off;
	if (question_topic(cx->store, cx->tok, cx->arg0, topic,
	    sizeof(topic)) < 0 || (ticket = question_new(cx->store,
	    cx->contact_id, cx->in->inbox_id, text, topic)) < 0 ||
	    question_forward(cx->store, cx->conf, ticket) < 0)
		return -1;
	snprintf(id, sizeof(id), "%lld", (long long)ticket);
	vars[0] = "ticket";
	vars[1] = id;
	vars[2] = NULL;
	router_reply(cx, "ask.ok", vars);
	return 0;
}

/* JAWAB <ticket> <answer>, from an expert. */
int
cmd_answer(struct router_ctx *cx)
{
	const struct router_tokens	*tok = cx->tok;
	const char			*vars[3];
	char				*end = NULL;
	long long			 ticket = 0;
	int				 rc;

	if ((rc = question_is_expert(cx->store, cx->contact_id)) <= 0) {
		if (rc == 0)
			router_reply(cx, "answer.denied", NULL);
		return rc;
	}
	if (cx->arg0 < tok->n)
		ticket = strtoll(tok->t[cx->arg0].s, &end, 10);
	if (ticket <= 0 || *end != '\0' || cx->arg0 + 1 >= tok->n) {
		router_reply(cx, "answer.usage", NULL);
		return 0;
	}
	vars[0] = "ticket";
	vars[1] = tok->t[cx->arg0].s;
	vars[2] = NULL;
	if ((rc = question_answer(cx->store, cx->conf, ticket,
	    cx->in->text + tok->t[cx->arg0 + 1].off, cx->out->to)) < 0)
		return -1;
	router_reply(cx, rc == 1 ? "answer.ok" : rc == 2 ? "answer.closed" :
	    "answer.unknown", vars);
	return 0;
}
