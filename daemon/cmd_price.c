/*
 * HARGA / PRICE <commodity> [market]: the latest market price.  Names
 * are found as the lexicon finds them (phrases, aliases, a slip per word,
 * fillers skipped).  With a market, one line with the change since the
 * previous report; without, the latest price in each market, highest
 * first, as many as fit in one SMS segment with what to send for more.
 */
#include <stdio.h>
#include <string.h>

#include "lexicon.h"
#include "norm.h"
#include "price.h"
#include "router.h"
#include "store.h"
#include "text.h"

#define CMD_PRICE_SEGMENT	160

static int	cmd_price_kinds(struct router_ctx *, const char *typed, int pos);

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
	char			more[96];	/* how to ask for one market */
	int			n;		/* markets listed */
	int			left;		/* markets that did not fit */
	struct price_row	first;
};

/*
 * Append one market's price while the reply, with the hint for the
 * markets left out, still fits one segment.  A market whose unit is not
 * the first one's says its own ("PARE 4.500/ons").
 */
static int
cmd_price_add(const struct price_row *r, void *arg)
{
	struct cmd_price_all	*a = arg;
	char			 item[160], price[32], date[16], change[32];
	char			 unit[PRICE_UNIT_MAX + 2] = "";

	price_format(r->price, price, sizeof(price));
	price_change(r, change, sizeof(change));
	if (a->n > 0 && strcmp(r->unit, a->first.unit) != 0)
		snprintf(unit, sizeof(unit), "/%s", r->unit);
	if (a->n == 0) {
		a->first = *r;
		cmd_price_date(r->date, date, sizeof(date));
		snprintf(item, sizeof(item), "%s %s, Rp/%s: %s %s%s",
		    r->commodity_display, date, r->unit, r->market, price,
		    change);
	} else
		snprintf(item, sizeof(item), ", %s %s%s%s", r->market, price,
		    unit, change);
	if (a->left > 0 || strlen(a->text) + strlen(item) + strlen(a->more) >
	    CMD_PRICE_SEGMENT) {
		a->left++;
		return 0;
	}
	text_append(a->text, sizeof(a->text), item);
	a->n++;
	return 0;
}

/* Reply to an unknown commodity with a close suggestion and the list. */
static int
cmd_price_unknown(struct router_ctx *cx, const char *typed)
{
	char	list[256], name[64], suggest[96] = "", query[24];

	norm_echo(typed, 20, query, sizeof(query));
	if (price_commodity_names(cx->store, list, sizeof(list)) < 0)
		return -1;
	if (lexicon_suggest(cx->store, LEXICON_COMMODITY, typed, name,
	    sizeof(name)) == 1)
		text_render(cx->store, cx->out->lang, "price.suggest",
		    (const char *const[]){ "name", name, NULL }, suggest,
		    sizeof(suggest));
	router_reply(cx, "price.unknown", (const char *const[]){
	    "query", query, "suggest", suggest, "list", list, NULL });
	return 0;
}

/* Reply with one market's price, or say the market is not known. */
static int
cmd_price_market(struct router_ctx *cx, int64_t cid, const char *commodity,
    const struct lexicon_hit *m, const char *typed)
{
	struct price_row	r;
	char			list[256], query[24];
	int64_t			mid = 0;
	int			rc;

	if (m != NULL && (mid = price_market_id(cx->store, m->name, NULL,
	    0)) < 0)
		return -1;
	if (mid > 0 && (rc = price_latest(cx->store, cid, mid, &r)) != 0)
		return rc < 0 ? -1 : (cmd_price_one(cx, &r), 0);
	if (price_market_names(cx->store, cid, list, sizeof(list)) < 0)
		return -1;
	norm_echo(m != NULL ? m->name : typed, 20, query, sizeof(query));
	router_reply(cx, "price.market_unknown", (const char *const[]){
	    "query", query, "commodity", commodity, "list", list, NULL });
	return 0;
}

/* Reply with every market's latest price of a commodity, in one SMS. */
static int
cmd_price_all(struct router_ctx *cx, int64_t cid, const char *commodity)
{
	struct cmd_price_all	all;
	char			n[16];

	memset(&all, 0, sizeof(all));
	text_render(cx->store, cx->out->lang, "price.more",
	    (const char *const[]){ "n", "9", "commodity", commodity, NULL },
	    all.more, sizeof(all.more));
	if (price_each_market(cx->store, cid, cmd_price_add, &all) < 0)
		return -1;
	if (all.n == 0) {
		router_reply(cx, "price.none", (const char *const[]){
		    "commodity", commodity, "market", "", NULL });
		return 0;
	}
	if (all.n == 1 && all.left == 0) {
		/* One market only: the full line, with the change. */
		cmd_price_one(cx, &all.first);
		return 0;
	}
	if (all.left > 0) {
		snprintf(n, sizeof(n), "%d", all.left);
		text_render(cx->store, cx->out->lang, "price.more",
		    (const char *const[]){ "n", n, "commodity", commodity,
		    NULL }, all.more, sizeof(all.more));
		text_append(all.text, sizeof(all.text), all.more);
	}
	snprintf(cx->out->text, sizeof(cx->out->text), "%s", all.text);
	cx->out->reply = 1;
	return 0;
}

/*
 * Answer for the commodity found at c and what follows it: a market
 * named after it (fillers skipped), or every market when only fillers
 * follow.  Return 0, or -1 on a database error.
 */
static int
cmd_price_answer(struct router_ctx *cx, const struct lexicon_hit *c)
{
	struct lexicon_hit	m;
	char			canon[PRICE_NAME_MAX];
	int64_t			cid;
	int			rc, stop, rest = c->start + c->len;

	if ((cid = price_commodity_id(cx->store, c->name, canon,
	    sizeof(canon))) <= 0)
		return cid < 0 ? -1 : c->len == 1 ? cmd_price_kinds(cx,
		    c->name, c->start) : cmd_price_unknown(cx, c->name);
	if ((rc = lexicon_only_fillers(cx->store, cx->tok, rest)) != 0)
		return rc < 0 ? -1 : cmd_price_all(cx, cid, canon);
	if ((rc = lexicon_find(cx->store, LEXICON_MARKET, cx->tok, rest, &m,
	    &stop)) < 0)
		return -1;
	return cmd_price_market(cx, cid, canon, rc == 1 ? &m : NULL,
	    stop < cx->tok->n ? cx->tok->t[stop].s : "");
}

/*
 * The word at pos names no commodity.  When it is the first word of one
 * (GABAH for GABAH KERING PANEN), answer for that one; of several (CABAI),
 * ask which; else it is unknown.
 */
static int
cmd_price_kinds(struct router_ctx *cx, const char *typed, int pos)
{
	struct lexicon_hit	 c;
	char			 list[256], first[PRICE_NAME_MAX], query[24];
	int64_t			 rc;
	int			 n;

	if ((n = lexicon_starting(cx->store, LEXICON_COMMODITY, typed, list,
	    sizeof(list))) < 0)
		return -1;
	if (n == 0)
		return cmd_price_unknown(cx, typed);
	snprintf(first, sizeof(first), "%.*s", (int)strcspn(list, ","), list);
	/*
	 * One name starts so: answer for it if it is a commodity with
	 * prices.  An alias may point at one that has none yet, and
	 * answering for that would come back here, for ever.
	 */
	if (n == 1 && (rc = price_commodity_id(cx->store, first, NULL, 0)) <= 0)
		return rc < 0 ? -1 : cmd_price_unknown(cx, typed);
	if (n == 1) {
		memset(&c, 0, sizeof(c));
		c.start = pos;
		c.len = 1;
		snprintf(c.name, sizeof(c.name), "%s", first);
		return cmd_price_answer(cx, &c);
	}
	norm_echo(typed, 20, query, sizeof(query));
	router_reply(cx, "price.which", (const char *const[]){
	    "query", query, "list", list, "first", first, NULL });
	return 0;
}

/* Handle HARGA. */
int
cmd_price(struct router_ctx *cx)
{
	struct lexicon_hit	c;
	char			list[256];
	int			rc, stop;

	if ((rc = lexicon_only_fillers(cx->store, cx->tok, cx->arg0)) != 0) {
		if (rc < 0 || price_commodity_names(cx->store, list,
		    sizeof(list)) < 0)
			return -1;
		router_reply(cx, "price.usage", (const char *const[]){
		    "list", list, NULL });
		return 0;
	}
	if ((rc = lexicon_find(cx->store, LEXICON_COMMODITY, cx->tok,
	    cx->arg0, &c, &stop)) < 0)
		return -1;
	if (rc == 0)
		return cmd_price_kinds(cx, cx->tok->t[stop].s, stop);
	return cmd_price_answer(cx, &c);
}

/*
 * A message without a keyword that names a commodity, maybe a market,
 * and nothing else ("cabai berapa?", "bawang merah pasar legi"): answer
 * it as HARGA.  Return 0 when answered, 1 when it is not such a message,
 * -1 on a database error.  Only exact names (or aliases) count here.
 */
int
cmd_price_bare(struct router_ctx *cx)
{
	struct lexicon_hit	c, m;
	int			rc, stop, rest;

	if ((rc = lexicon_find(cx->store, LEXICON_COMMODITY, cx->tok,
	    cx->arg0 - 1, &c, &stop)) <= 0)
		return rc < 0 ? -1 : 1;
	if (c.typos > 0)
		return 1;
	rest = c.start + c.len;
	if ((rc = lexicon_only_fillers(cx->store, cx->tok, rest)) == 0) {
		if ((rc = lexicon_find(cx->store, LEXICON_MARKET, cx->tok,
		    rest, &m, &stop)) <= 0)
			return rc < 0 ? -1 : 1;
		if (m.typos > 0 || lexicon_only_fillers(cx->store, cx->tok,
		    m.start + m.len) != 1)
			return 1;
	} else if (rc < 0)
		return -1;
	snprintf(cx->out->command, sizeof(cx->out->command), "price");
	return cmd_price_answer(cx, &c);
}
