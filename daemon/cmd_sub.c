/*
 * LANGGANAN / SUB <commodity> [market]: subscribe to price alerts, for one
 * market or (without one) every market.  BERHENTI LANGGANAN / UNSUB
 * [commodity [market]]: drop those subscriptions, or all of them.
 * Commodity and market forgive a one-letter typo; the alerts themselves
 * are queued by alert.c when a price is published; sub.c keeps the rows.
 */
#include <stdio.h>
#include <string.h>

#include "price.h"
#include "router.h"
#include "store.h"
#include "sub.h"

struct cmd_sub_what {
	int64_t	cid, mid;			/* mid 0 = every market */
	char	commodity[PRICE_NAME_MAX];
	char	market[PRICE_NAME_MAX];
};

/*
 * Read <commodity> [market] from the tokens.  Return 1 when understood,
 * 0 when a reply explaining what is wrong was written, -1 on error.
 */
static int
cmd_sub_parse(struct router_ctx *cx, const char *usage,
    struct cmd_sub_what *w)
{
	const struct router_tokens	*tok = cx->tok;
	char				 list[256];
	int				 a = cx->arg0;

	memset(w, 0, sizeof(*w));
	if (tok->n <= a || (w->cid = price_commodity_guess(cx->store,
	    tok->t[a].s, w->commodity, sizeof(w->commodity))) == 0) {
		if (price_commodity_names(cx->store, list, sizeof(list)) < 0)
			return -1;
		router_reply(cx, tok->n <= a ? usage : "sub.unknown",
		    (const char *const[]){ "query", tok->n > a ?
		    tok->t[a].s : "", "list", list, NULL });
		return 0;
	}
	if (w->cid < 0)
		return -1;
	if (tok->n > a + 1) {
		w->mid = price_market_guess(cx->store, tok->t[a + 1].s,
		    w->market, sizeof(w->market));
		if (w->mid < 0)
			return -1;
		if (w->mid == 0) {
			if (price_market_names(cx->store, w->cid, list,
			    sizeof(list)) < 0)
				return -1;
			router_reply(cx, "price.market_unknown",
			    (const char *const[]){ "query", tok->t[a + 1].s,
			    "commodity", w->commodity, "list", list, NULL });
			return 0;
		}
	}
	return 1;
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
