/*
 * HARGA / PRICE <commodity> [market]: the latest market price.  With a
 * market, one line with the change since the previous report; without,
 * the latest price in each market, highest first, as many as fit in one
 * SMS segment.
 */
#include <stdio.h>
#include <string.h>

#include "price.h"
#include "router.h"
#include "store.h"
#include "text.h"

#define CMD_PRICE_SEGMENT	160

/* Format a report date 2026-11-21 as 21/11. */
static void
cmd_price_date(const char *date, char *buf, size_t len)
{
	if (strlen(date) == 10)
		snprintf(buf, len, "%.2s/%.2s", date + 8, date + 5);
	else
		snprintf(buf, len, "%s", date);
}

/* Reply with one price line. */
static void
cmd_price_one(struct router_ctx *cx, const struct price_row *r)
{
	char	price[32], change[32], date[16];

	price_format(r->price, price, sizeof(price));
	price_change(r, change, sizeof(change));
	cmd_price_date(r->date, date, sizeof(date));
	router_reply(cx, "price.one", (const char *const[]){
	    "commodity", r->commodity_display, "market", r->market_display,
	    "date", date, "price", price, "unit", r->unit, "change", change,
	    NULL });
}

struct cmd_price_all {
	char			text[ROUTER_REPLY_MAX];
	int			n;
	struct price_row	first;
};

/* Append one market's price to the summary while it fits one segment. */
static int
cmd_price_add(const struct price_row *r, void *arg)
{
	struct cmd_price_all	*a = arg;
	char			 item[160], price[32], date[16], change[32];

	price_format(r->price, price, sizeof(price));
	price_change(r, change, sizeof(change));
	if (a->n == 0) {
		a->first = *r;
		cmd_price_date(r->date, date, sizeof(date));
		snprintf(item, sizeof(item), "%s %s, Rp/%s: %s %s%s",
		    r->commodity_display, date, r->unit, r->market, price,
		    change);
	} else
		snprintf(item, sizeof(item), ", %s %s%s", r->market, price,
		    change);
	if (strlen(a->text) + strlen(item) > CMD_PRICE_SEGMENT)
		return 1;
	text_append(a->text, sizeof(a->text), item);
	a->n++;
	return 0;
}

/* Reply to an unknown commodity with a suggestion and the list. */
static int
cmd_price_unknown(struct router_ctx *cx, const char *typed)
{
	char	list[256], name[64], suggest[96] = "";

	if (price_commodity_names(cx->store, list, sizeof(list)) < 0)
		return -1;
	if (price_suggest_commodity(cx->store, typed, 2, name,
	    sizeof(name)) == 1)
		text_render(cx->store, cx->out->lang, "price.suggest",
		    (const char *const[]){ "name", name, NULL }, suggest,
		    sizeof(suggest));
	router_reply(cx, "price.unknown", (const char *const[]){
	    "query", typed, "suggest", suggest, "list", list, NULL });
	return 0;
}

/* Handle HARGA. */
int
cmd_price(struct router_ctx *cx)
{
	const struct router_tokens	*tok = cx->tok;
	struct price_row		 r;
	struct cmd_price_all		 all;
	char				 canon[64], list[256], typed[64];
	int64_t				 cid, mid;
	int				 rc, a = cx->arg0;

	if (tok->n <= a) {
		if (price_commodity_names(cx->store, list, sizeof(list)) < 0)
			return -1;
		router_reply(cx, "price.usage", (const char *const[]){
		    "list", list, NULL });
		return 0;
	}
	snprintf(typed, sizeof(typed), "%s", tok->t[a].s);
	if ((cid = price_commodity_id(cx->store, typed, NULL, 0)) < 0)
		return -1;
	if (cid == 0 && price_suggest_commodity(cx->store, typed, 1, canon,
	    sizeof(canon)) == 1) {
		/* A one-letter typo of a single known commodity. */
		cid = price_commodity_id(cx->store, canon, NULL, 0);
		snprintf(typed, sizeof(typed), "%s", canon);
	}
	if (cid <= 0)
		return cid < 0 ? -1 : cmd_price_unknown(cx, typed);

	if (tok->n > a + 1) {
		if ((mid = price_market_id(cx->store, tok->t[a + 1].s, NULL,
		    0)) < 0)
			return -1;
		if (mid > 0 && (rc = price_latest(cx->store, cid, mid, &r)) != 0)
			return rc < 0 ? -1 : (cmd_price_one(cx, &r), 0);
		if (price_market_names(cx->store, cid, list, sizeof(list)) < 0)
			return -1;
		price_commodity_id(cx->store, typed, canon, sizeof(canon));
		router_reply(cx, "price.market_unknown", (const char *const[]){
		    "query", tok->t[a + 1].s, "commodity", canon[0] ? canon :
		    typed, "list", list, NULL });
		return 0;
	}
	memset(&all, 0, sizeof(all));
	if (price_each_market(cx->store, cid, cmd_price_add, &all) < 0)
		return -1;
	if (all.n == 0) {
		router_reply(cx, "price.none", (const char *const[]){
		    "commodity", typed, "market", "", NULL });
		return 0;
	}
	if (all.n == 1) {
		/* One market only: the full line, with the change. */
		cmd_price_one(cx, &all.first);
		return 0;
	}
	snprintf(cx->out->text, sizeof(cx->out->text), "%s", all.text);
	cx->out->reply = 1;
	return 0;
}
