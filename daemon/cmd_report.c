/*
 * LAPOR / REPORT <commodity> <market> <price> [unit]: a field reporter
 * sets today's price from the market.
 *
 * Only contacts an admin marked as reporters (kentongan reporter add) may
 * report; others are refused politely.  The price is written the way
 * people write it (45000, 45.000, 45rb, Rp 45.000, 45 ribu), possibly over
 * several words, so the longest run of words that parses as a price wins
 * and one word after it is the unit.  price.c decides whether the report
 * is held for an admin (kentongan price approve|reject) or published at
 * once, which alerts the subscribers.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "alert.h"
#include "conf.h"
#include "contact.h"
#include "price.h"
#include "router.h"
#include "store.h"

/*
 * Parse the price in tokens from..n-1.  Return the number of tokens used
 * (0 if none parse) with the value in *price.
 */
static int
cmd_report_price(const struct router_tokens *tok, int from, int64_t *price)
{
	char	buf[160];
	int	i, used = 0;
	int64_t	v;

	buf[0] = '\0';
	for (i = from; i < tok->n && i < from + 4; i++) {
		if (i > from && strlen(buf) + 1 < sizeof(buf))
			strncat(buf, " ", sizeof(buf) - strlen(buf) - 1);
		strncat(buf, tok->t[i].s, sizeof(buf) - strlen(buf) - 1);
		if (price_parse(buf, &v) == 0) {
			*price = v;
			used = i - from + 1;
		}
	}
	return used;
}

/* Handle LAPOR. */
int
cmd_report(struct router_ctx *cx)
{
	const struct router_tokens	*tok = cx->tok;
	struct price_report		 r;
	char				 commodity[PRICE_NAME_MAX], list[256];
	char				 market[PRICE_NAME_MAX], unit[PRICE_UNIT_MAX];
	char				 today[16], shown[32], ids[24];
	int64_t				 cid, mid, price = 0, id;
	int				 a = cx->arg0, used, rc, i;

	if ((rc = contact_get_int(cx->store, cx->contact_id,
	    "is_reporter")) < 0)
		return -1;
	if (rc == 0) {
		router_reply(cx, "report.denied", NULL);
		return 0;
	}
	if (tok->n < a + 3) {
		router_reply(cx, "report.usage", NULL);
		return 0;
	}
	if ((cid = price_commodity_guess(cx->store, tok->t[a].s, commodity,
	    sizeof(commodity))) <= 0) {
		if (cid < 0 || price_commodity_names(cx->store, list,
		    sizeof(list)) < 0)
			return -1;
		router_reply(cx, "sub.unknown", (const char *const[]){
		    "query", tok->t[a].s, "list", list, NULL });
		return 0;
	}
	if ((mid = price_market_guess(cx->store, tok->t[a + 1].s, market,
	    sizeof(market))) < 0)
		return -1;
	if (mid == 0)
		snprintf(market, sizeof(market), "%s", tok->t[a + 1].s);
	used = cmd_report_price(tok, a + 2, &price);
	if (used == 0 || !price_name_ok(market) || tok->n > a + 3 + used) {
		router_reply(cx, "report.usage", NULL);
		return 0;
	}
	unit[0] = '\0';
	if (tok->n == a + 3 + used) {
		snprintf(unit, sizeof(unit), "%s", tok->t[a + 2 + used].s);
		for (i = 0; unit[i] != '\0'; i++)
			unit[i] = (char)tolower((unsigned char)unit[i]);
	}

	store_today(today, sizeof(today));
	r = (struct price_report){ .commodity = commodity, .market = market,
	    .unit = unit, .date = today, .price = price,
	    .reporter = cx->contact_id,
	    .hold_percent = cx->conf->report_hold_percent };
	if ((rc = price_report(cx->store, &r, &id)) == -1 ||
	    store_audit(cx->store, cx->out->to, "report", commodity) == -1)
		return -1;
	if (rc == 1 && alert_price(cx->store, cx->conf, id) < 0)
		return -1;
	price_format(price, shown, sizeof(shown));
	snprintf(ids, sizeof(ids), "%lld", (long long)id);
	router_reply(cx, rc == 1 ? "report.ok" :
	    "report.held", (const char *const[]){ "commodity", commodity,
	    "market", market, "price", shown, "id", ids, NULL });
	return 0;
}
