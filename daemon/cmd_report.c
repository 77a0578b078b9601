/*
 * LAPOR / REPORT <commodity> <market> <price> [unit]: a field reporter
 * sets today's price from the market.
 *
 * Only contacts an admin marked as reporters (kentongan reporter add) may
 * report; others are refused politely.  The price is written the way
 * people write it (45000, 45.000, 45rb, Rp 45.000, 45 ribu), possibly over
 * several words, so the longest run of words that parses as a price wins
 * and one word after it is the unit, from a known list (an unknown unit
 * is refused with the list, never published).  Commodity and market are
 * read as HARGA reads them, so BAWANG MERAH and PASAR LEGI work.  price.c decides whether the report
 * is held for an admin (kentongan price approve|reject) or published at
 * once, which alerts the subscribers.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "alert.h"
#include "conf.h"
#include "contact.h"
#include "lexicon.h"
#include "norm.h"
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

#define CMD_REPORT_UNITS "kg, ons, kuintal, ton, liter, ikat, butir, sisir, buah"

/* The units a price may be reported in, and how people write them. */
static const struct {
	const char	*typed;
	const char	*unit;
} cmd_report_units[] = {
	{ "KG", "kg" }, { "KILO", "kg" }, { "KILOGRAM", "kg" },
	{ "ONS", "ons" }, { "KUINTAL", "kuintal" }, { "KW", "kuintal" },
	{ "TON", "ton" }, { "LITER", "liter" }, { "LTR", "liter" },
	{ "L", "liter" }, { "IKAT", "ikat" }, { "BUTIR", "butir" },
	{ "BTR", "butir" }, { "SISIR", "sisir" }, { "BUAH", "buah" },
	{ NULL, NULL }
};

/* Map a typed unit to a known one; 0, or -1 when it is not known. */
static int
cmd_report_unit(const char *typed, char *unit, size_t len)
{
	int i;

	for (i = 0; cmd_report_units[i].typed != NULL; i++)
		if (strcasecmp(typed, cmd_report_units[i].typed) == 0) {
			snprintf(unit, len, "%s", cmd_report_units[i].unit);
			return 0;
		}
	return -1;
}

/*
 * Read <commodity> <market> from the tokens: a known commodity (phrases,
 * aliases and slips as HARGA reads them), then a known market or one new
 * word for a market not seen before.  Return 1 with the names and the
 * token after them in *pos, 0 when a reply was written, -1 on error.
 */
static int
cmd_report_names(struct router_ctx *cx, char *commodity, char *market,
    int *pos)
{
	const struct router_tokens	*tok = cx->tok;
	struct lexicon_hit		 c, m;
	char				 list[256], query[24];
	int64_t				 v;
	int				 rc, stop;

	if ((rc = lexicon_find(cx->store, LEXICON_COMMODITY, tok, cx->arg0,
	    &c, &stop)) < 0)
		return -1;
	if (rc == 0 || price_commodity_id(cx->store, c.name, commodity,
	    PRICE_NAME_MAX) <= 0) {
		if (price_commodity_names(cx->store, list, sizeof(list)) < 0)
			return -1;
		norm_echo(rc == 0 && stop < tok->n ? tok->t[stop].s : c.name,
		    20, query, sizeof(query));
		router_reply(cx, "sub.unknown", (const char *const[]){
		    "query", query, "list", list, NULL });
		return 0;
	}
	if ((rc = lexicon_find(cx->store, LEXICON_MARKET, tok, c.start + c.len,
	    &m, &stop)) < 0)
		return -1;
	if (rc == 1 && price_market_id(cx->store, m.name, market,
	    PRICE_NAME_MAX) > 0) {
		*pos = m.start + m.len;
		return 1;
	}
	/* A new market is one word, and not the price itself. */
	if (stop >= tok->n || price_name_clean(tok->t[stop].s, market,
	    PRICE_NAME_MAX) == -1 || cmd_report_price(tok, stop, &v) > 0) {
		router_reply(cx, "report.usage", NULL);
		return 0;
	}
	*pos = stop + 1;
	return 1;
}

/* Handle LAPOR. */
int
cmd_report(struct router_ctx *cx)
{
	const struct router_tokens	*tok = cx->tok;
	struct price_report		 r;
	char				 commodity[PRICE_NAME_MAX];
	char				 market[PRICE_NAME_MAX], unit[PRICE_UNIT_MAX];
	char				 today[16], shown[32], ids[24];
	int64_t				 price = 0, id;
	int				 a = cx->arg0, used, rc, pos;

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
	if ((rc = cmd_report_names(cx, commodity, market, &pos)) <= 0)
		return rc;
	used = cmd_report_price(tok, pos, &price);
	if (used == 0 || tok->n > pos + used + 1) {
		router_reply(cx, "report.usage", NULL);
		return 0;
	}
	unit[0] = '\0';
	if (tok->n == pos + used + 1 && cmd_report_unit(tok->t[pos + used].s,
	    unit, sizeof(unit)) == -1) {
		norm_echo(tok->t[pos + used].s, 12, shown, sizeof(shown));
		router_reply(cx, "report.unit", (const char *const[]){
		    "unit", shown, "units", CMD_REPORT_UNITS, NULL });
		return 0;
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
