/*
 * LANGGANAN / SUB <commodity> [market]: subscribe to price alerts, for one
 * market or (without one) every market.  BERHENTI LANGGANAN / UNSUB
 * [commodity [market]]: drop those subscriptions, or all of them.
 * Commodity and market are found as HARGA finds them (lexicon.c); the alerts themselves
 * are queued by alert.c when a price is published; sub.c keeps the rows.
 */
#include <stdio.h>
#include <string.h>

#include "lexicon.h"
#include "norm.h"
#include "price.h"
#include "router.h"
#include "store.h"
#include "sub.h"

struct cmd_sub_what {
	int64_t	cid, mid;			/* mid 0 = every market */
	char	commodity[PRICE_NAME_MAX];
	char	market[PRICE_NAME_MAX];
};

/* Reply that a commodity (at token pos) is unknown, or with the usage. */
static int
cmd_sub_unknown(struct router_ctx *cx, const char *usage, int pos)
{
	char	list[256], query[24] = "";

	if (price_commodity_names(cx->store, list, sizeof(list)) < 0)
		return -1;
	if (pos < cx->tok->n)
		norm_echo(cx->tok->t[pos].s, 20, query, sizeof(query));
	router_reply(cx, pos < cx->tok->n ? "sub.unknown" : usage,
	    (const char *const[]){ "query", query, "list", list, NULL });
	return 0;
}

/*
 * Read <commodity> [market] from the tokens, as the lexicon finds names
 * (BAWANG MERAH, PASAR LEGI, aliases, a slip per word, fillers).  Return
 * 1 when understood, 0 when a reply explaining what is wrong was written,
 * -1 on error.
 */
static int
cmd_sub_parse(struct router_ctx *cx, const char *usage,
    struct cmd_sub_what *w)
{
	struct lexicon_hit	c, m;
	char			list[256], query[24];
	int			rc, stop, rest;

	memset(w, 0, sizeof(*w));
	if ((rc = lexicon_find(cx->store, LEXICON_COMMODITY, cx->tok,
	    cx->arg0, &c, &stop)) < 0)
		return -1;
	if (rc == 0 || (w->cid = price_commodity_id(cx->store, c.name,
	    w->commodity, sizeof(w->commodity))) == 0)
		return cmd_sub_unknown(cx, usage, rc == 0 ? stop : c.start);
	if (w->cid < 0)
		return -1;
	rest = c.start + c.len;
	if ((rc = lexicon_only_fillers(cx->store, cx->tok, rest)) != 0)
		return rc < 0 ? -1 : 1;
	if ((rc = lexicon_find(cx->store, LEXICON_MARKET, cx->tok, rest, &m,
	    &stop)) < 0)
		return -1;
	if (rc == 1 && (w->mid = price_market_id(cx->store, m.name,
	    w->market, sizeof(w->market))) != 0)
		return w->mid < 0 ? -1 : 1;
	if (price_market_names(cx->store, w->cid, list, sizeof(list)) < 0)
		return -1;
	norm_echo(rc == 1 ? m.name : stop < cx->tok->n ? cx->tok->t[stop].s :
	    "", 20, query, sizeof(query));
	router_reply(cx, "price.market_unknown", (const char *const[]){
	    "query", query, "commodity", w->commodity, "list", list, NULL });
	return 0;
}

/* Handle LANGGANAN. */
int
cmd_sub(struct router_ctx *cx)
{
	struct cmd_sub_what	w;
	int			rc;

	if ((rc = cmd_sub_parse(cx, "sub.usage", &w)) <= 0)
		return rc;
	if (sub_add(cx->store, cx->contact_id, w.cid, w.mid) == -1)
		return -1;
	router_reply(cx, w.mid > 0 ? "sub.ok" : "sub.ok_all",
	    (const char *const[]){ "commodity", w.commodity, "market",
	    w.market, NULL });
	return 0;
}

/* Handle UNSUB (and BERHENTI LANGGANAN). */
int
cmd_unsub(struct router_ctx *cx)
{
	struct cmd_sub_what	w;
	int			rc, n;

	memset(&w, 0, sizeof(w));
	if (cx->tok->n > cx->arg0 &&
	    (rc = cmd_sub_parse(cx, "unsub.usage", &w)) <= 0)
		return rc;
	if ((n = sub_remove(cx->store, cx->contact_id, w.cid, w.mid)) < 0)
		return -1;
	if (n == 0)
		router_reply(cx, "unsub.none", NULL);
	else
		router_reply(cx, w.cid == 0 ? "unsub.all" : "unsub.ok",
		    (const char *const[]){ "commodity", w.commodity, NULL });
	return 0;
}
