/* kentongan price ...: set and list market prices. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "price.h"
#include "store.h"

/* Tell whether s is a date written YYYY-MM-DD. */
static int
cli_price_date_ok(const char *s)
{
	int y, m, d;
	char extra;

	return strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d,
	    &extra) == 3 && y >= 2000 && m >= 1 && m <= 12 && d >= 1 &&
	    d <= 31;
}

/* price set COMMODITY MARKET PRICE [UNIT] [--date YYYY-MM-DD] */
static int
cli_price_set(struct cli *c, int argc, char **argv)
{
	const char	*pos[4] = { NULL, NULL, NULL, NULL };
	char		 date[16], shown[32];
	int64_t		 price, id;
	int		 i, np = 0;

	store_today(date, sizeof(date));
	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--date") && i + 1 < argc) {
			snprintf(date, sizeof(date), "%s", argv[++i]);
			if (!cli_price_date_ok(date))
				return cli_fail("--date: expected YYYY-MM-DD, "
				    "got \"%s\"", argv[i]);
		} else if (np < 4)
			pos[np++] = argv[i];
		else
			return cli_fail("price set: too many arguments");
	}
	if (np < 3)
		return cli_fail("usage: price set COMMODITY MARKET PRICE [UNIT] "
		    "[--date YYYY-MM-DD]");
	if (!price_name_ok(pos[0]) || !price_name_ok(pos[1]))
		return cli_fail("commodity and market are single words "
		    "(letters, digits, - and _), e.g. CABAI KEDIRI");
	if (price_parse(pos[2], &price) == -1)
		return cli_fail("\"%s\" is not a price (try 45000, 45.000 or "
		    "45rb)", pos[2]);
	if (pos[3] != NULL && (strlen(pos[3]) == 0 ||
	    strlen(pos[3]) >= PRICE_UNIT_MAX))
		return cli_fail("unit: 1 to %d characters", PRICE_UNIT_MAX - 1);
	if (store_begin(c->store) == -1)
		return cli_fail("database busy");
	if (price_set(c->store, pos[0], pos[1], price, pos[3], date, "cli",
	    &id) == -1 || store_audit(c->store, "cli", "price set",
	    pos[0]) == -1) {
		store_rollback(c->store);
		return cli_fail("cannot save the price: %s",
		    store_errmsg(c->store));
	}
	if (store_commit(c->store) == -1)
		return cli_fail("cannot save the price");
	price_format(price, shown, sizeof(shown));
	printf("price %lld: %s %s Rp%s on %s\n", (long long)id, pos[0],
	    pos[1], shown, date);
	return CLI_OK;
}

/* Print one latest price as a table row. */
static int
cli_price_row(const struct price_row *r, void *arg)
{
	char price[32], change[32];

	(void)arg;
	price_format(r->price, price, sizeof(price));
	price_change(r, change, sizeof(change));
	printf("%-12s %-12s %12s/%-6s %s%s\n", r->commodity, r->market, price,
	    r->unit, r->date, change);
	return 0;
}

/* price list: the latest price of every commodity in every market. */
static int
cli_price_list(struct cli *c, int argc, char **argv)
{
	int n;

	(void)argv;
	if (argc != 0)
		return cli_fail("usage: price list");
	printf("%-12s %-12s %19s %s\n", "COMMODITY", "MARKET", "PRICE/UNIT",
	    "DATE (CHANGE)");
	if ((n = price_each_latest(c->store, cli_price_row, NULL)) < 0)
		return cli_fail("cannot read prices: %s",
		    store_errmsg(c->store));
	if (n == 0)
		printf("(no prices yet: kentongan price set CABAI KEDIRI "
		    "45000)\n");
	return CLI_OK;
}

static const struct cli_verb cli_price_verbs[] = {
	{ "set", cli_price_set, "COMMODITY MARKET PRICE [UNIT] [--date D]",
	    "record today's (or D's) price, e.g. price set CABAI KEDIRI 45.000" },
	{ "list", cli_price_list, "",
	    "latest price of each commodity in each market" },
	{ NULL, NULL, NULL, NULL }
};

int
cli_price(struct cli *c, int argc, char **argv)
{
	return cli_run_verbs(c, "price", cli_price_verbs, argc, argv);
}
