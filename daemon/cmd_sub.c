/*
 * LANGGANAN / SUB <commodity> [market]: subscribe to price alerts, for one
 * market or (without one) every market.  BERHENTI LANGGANAN / UNSUB
 * [commodity [market]]: drop those subscriptions, or all of them.
 * Commodity and market forgive a one-letter typo; the alerts themselves
 * are queued by alert.c when a price is published.
 */
#include <stdio.h>
#include <string.h>

#include "price.h"
#include "router.h"
#include "store.h"

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
	static const char sql_has[] = "SELECT 1 FROM subscriptions WHERE "
	    "contact_id = ? AND commodity_id = ? AND market_id IS ?";
	static const char sql_add[] = "INSERT INTO subscriptions (contact_id, "
	    "commodity_id, market_id, created_at) VALUES (?, ?, ?, ?)";
	struct cmd_sub_what	 w;
	sqlite3_stmt		*st;
	int			 rc, has;

	if ((rc = cmd_sub_parse(cx, "sub.usage", &w)) <= 0)
		return rc;
	if ((st = store_stmt(cx->store, sql_has)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, cx->contact_id);
	sqlite3_bind_int64(st, 2, w.cid);
	if (w.mid > 0)
		sqlite3_bind_int64(st, 3, w.mid);
	rc = sqlite3_step(st);
	has = rc == SQLITE_ROW;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return -1;
	if (!has) {
		if ((st = store_stmt(cx->store, sql_add)) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, cx->contact_id);
		sqlite3_bind_int64(st, 2, w.cid);
		if (w.mid > 0)
			sqlite3_bind_int64(st, 3, w.mid);
		sqlite3_bind_int64(st, 4, store_now());
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return -1;
	}
	router_reply(cx, w.mid > 0 ? "sub.ok" : "sub.ok_all",
	    (const char *const[]){ "commodity", w.commodity, "market",
	    w.market, NULL });
	return 0;
}

/* Handle UNSUB (and BERHENTI LANGGANAN). */
int
cmd_unsub(struct router_ctx *cx)
{
	static const char sql_all[] = "DELETE FROM subscriptions WHERE "
	    "contact_id = ?";
	static const char sql_one[] = "DELETE FROM subscriptions WHERE "
	    "contact_id = ? AND commodity_id = ? AND (?3 = 0 OR "
	    "market_id = ?3)";
	struct cmd_sub_what	 w;
	sqlite3_stmt		*st;
	int			 rc, n;

	if (cx->tok->n <= cx->arg0) {
		memset(&w, 0, sizeof(w));
		if ((st = store_stmt(cx->store, sql_all)) == NULL)
			return -1;
	} else {
		if ((rc = cmd_sub_parse(cx, "unsub.usage", &w)) <= 0)
			return rc;
		if ((st = store_stmt(cx->store, sql_one)) == NULL)
			return -1;
		sqlite3_bind_int64(st, 2, w.cid);
		sqlite3_bind_int64(st, 3, w.mid);
	}
	sqlite3_bind_int64(st, 1, cx->contact_id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return -1;
	n = sqlite3_changes(store_db(cx->store));
	if (n == 0)
		router_reply(cx, "unsub.none", NULL);
	else
		router_reply(cx, w.cid == 0 ? "unsub.all" : "unsub.ok",
		    (const char *const[]){ "commodity", w.commodity, NULL });
	return 0;
}
