/* kentongan price ...: set and list market prices. */
#include <stdio.h>
#include <string.h>

#include "alert.h"
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
	char		 date[16], shown[32], name[PRICE_NAME_MAX];
	int64_t		 price, id;
	int		 i, np = 0, n = 0;

	store_today(date, sizeof(date));
	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--date") && i + 1 < argc) {
			snprintf(date, sizeof(date), "%s", argv[++i]);
			if (!cli_price_date_ok(date))
				return cli_bad_usage("--date: expected YYYY-MM-DD, "
				    "got \"%s\"", argv[i]);
		} else if (np < 4)
			pos[np++] = argv[i];
		else
			return cli_bad_usage("price set: too many arguments");
	}
	if (np < 3)
		return cli_bad_usage("usage: price set COMMODITY MARKET PRICE [UNIT] "
		    "[--date YYYY-MM-DD]");
	if (price_name_clean(pos[0], name, sizeof(name)) == -1 ||
	    price_name_clean(pos[1], name, sizeof(name)) == -1)
		return cli_bad_usage("commodity and market: 1 to 4 words of "
		    "letters, digits, - and _, e.g. CABAI KEDIRI or \"BAWANG "
		    "MERAH\" \"PASAR LEGI\"");
	if (price_parse(pos[2], &price) == -1)
		return cli_bad_usage("\"%s\" is not a price (try 45000, 45.000 or "
		    "45rb)", pos[2]);
	if (pos[3] != NULL && (strlen(pos[3]) == 0 ||
	    strlen(pos[3]) >= PRICE_UNIT_MAX))
		return cli_bad_usage("unit: 1 to %d characters", PRICE_UNIT_MAX - 1);
	if (store_begin(c->store) == -1)
		return cli_fail("database busy");
	if (price_set(c->store, pos[0], pos[1], price, pos[3], date, "cli",
	    &id) == -1 || store_audit(c->store, "cli", "price set",
	    pos[0]) == -1 || (n = alert_price(c->store, &c->conf, id)) < 0) {
		store_rollback(c->store);
		return cli_fail("cannot save the price: %s",
		    store_errmsg(c->store));
	}
	if (store_commit(c->store) == -1)
		return cli_fail("cannot save the price");
	price_format(price, shown, sizeof(shown));
	printf("price %lld: %s %s Rp%s on %s\n", (long long)id, pos[0],
	    pos[1], shown, date);
	if (n > 0)
		printf("%d alert(s) queued\n", n);
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

/* Add one latest price to a JSON array. */
static int
cli_price_json_row(const struct price_row *r, void *arg)
{
	json_array_append_new(arg, json_pack("{s:s, s:s, s:I, s:s, s:s, s:I}",
	    "commodity", r->commodity, "market", r->market, "price",
	    (json_int_t)r->price, "unit", r->unit, "date", r->date,
	    "previous", (json_int_t)r->previous));
	return 0;
}

/* price list: the latest price of every commodity in every market. */
static int
cli_price_list(struct cli *c, int argc, char **argv)
{
	json_t	*a;
	int	 n;

	(void)argv;
	if (argc != 0)
		return cli_bad_usage("usage: price list");
	if (c->json) {
		a = json_array();
		if (price_each_latest(c->store, cli_price_json_row, a) < 0) {
			json_decref(a);
			return cli_fail("cannot read prices: %s",
			    store_errmsg(c->store));
		}
		return cli_print_json(c, a);
	}
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

/* price history [COMMODITY [MARKET]]: every report, newest first. */
static int
cli_price_history(struct cli *c, int argc, char **argv)
{
	static const char sql[] = "SELECT p.id, c.name AS commodity, m.name "
	    "AS market, p.price, p.unit, p.reported_on AS date, p.status, "
	    "p.source, COALESCE(k.phone, '') AS reporter FROM prices p JOIN commodities c ON c.id = p.commodity_id "
	    "JOIN markets m ON m.id = p.market_id LEFT JOIN contacts k ON "
	    "k.id = p.reporter_id WHERE (?1 IS NULL OR c.name = ?1) AND "
	    "(?2 IS NULL OR m.name = ?2) ORDER BY p.reported_on DESC, p.id "
	    "DESC LIMIT 200";
	sqlite3_stmt	*st;
	char		 price[32];
	int		 rc, n = 0;

	if (argc > 2)
		return cli_bad_usage("usage: price history [COMMODITY [MARKET]]");
	if ((st = store_stmt(c->store, sql)) == NULL)
		return cli_fail("%s", store_errmsg(c->store));
	if (argc > 0)
		sqlite3_bind_text(st, 1, argv[0], -1, SQLITE_STATIC);
	if (argc > 1)
		sqlite3_bind_text(st, 2, argv[1], -1, SQLITE_STATIC);
	if (c->json)
		return cli_print_json(c, cli_print_rows(st));
	printf("%-6s %-12s %-12s %12s %-10s %-9s %s\n", "ID", "COMMODITY",
	    "MARKET", "PRICE/UNIT", "DATE", "STATUS", "SOURCE");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		price_format(sqlite3_column_int64(st, 3), price,
		    sizeof(price));
		printf("%-6lld %-12s %-12s %8s/%-3s %-10s %-9s %s %s\n",
		    (long long)sqlite3_column_int64(st, 0),
		    sqlite3_column_text(st, 1), sqlite3_column_text(st, 2),
		    price, sqlite3_column_text(st, 4),
		    sqlite3_column_text(st, 5), sqlite3_column_text(st, 6),
		    sqlite3_column_text(st, 7), sqlite3_column_text(st, 8));
		n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return cli_fail("cannot read prices: %s",
		    store_errmsg(c->store));
	if (n == 0)
		printf("(no reports)\n");
	return CLI_OK;
}

/* Approve (1) or reject (0) a held report, or remove (-1) any report. */
static int
cli_price_review(struct cli *c, int argc, char **argv, int approve)
{
	const char	*verb = approve == 1 ? "approve" : approve == 0 ?
			    "reject" : "remove";
	long long	 id;
	char		 extra, detail[32], audit[24];
	int		 rc, n = 0;

	if (argc != 1 || sscanf(argv[0], "%lld%c", &id, &extra) != 1 ||
	    id <= 0)
		return cli_bad_usage("usage: price %s ID (see price history)",
		    verb);
	if (store_begin(c->store) == -1)
		return cli_fail("database busy");
	if ((rc = approve == -1 ? price_remove(c->store, id) :
	    price_review(c->store, id, approve)) == 0) {
		store_rollback(c->store);
		return cli_not_found("no %sprice %lld", approve == -1 ? "" :
		    "held ", id);
	}
	snprintf(detail, sizeof(detail), "%lld", id);
	snprintf(audit, sizeof(audit), "price %s", verb);
	if (rc < 0 || store_audit(c->store, "cli", audit, detail) == -1 ||
	    (approve == 1 && (n = alert_price(c->store, &c->conf, id)) < 0) ||
	    store_commit(c->store) == -1) {
		store_rollback(c->store);
		return cli_fail("cannot save: %s", store_errmsg(c->store));
	}
	printf("price %lld %s\n", id, approve == 1 ? "published" :
	    approve == 0 ? "rejected" : "removed (nobody is alerted)");
	if (n > 0)
		printf("%d alert(s) queued\n", n);
	return CLI_OK;
}

/* price approve ID */
static int
cli_price_approve(struct cli *c, int argc, char **argv)
{
	return cli_price_review(c, argc, argv, 1);
}

/* price remove ID: a wrong price goes; the one before it is latest. */
static int
cli_price_remove(struct cli *c, int argc, char **argv)
{
	return cli_price_review(c, argc, argv, -1);
}

/* price reject ID */
static int
cli_price_reject(struct cli *c, int argc, char **argv)
{
	return cli_price_review(c, argc, argv, 0);
}

static const struct cli_verb cli_price_verbs[] = {
	{ "set", cli_price_set, "COMMODITY MARKET PRICE [UNIT] [--date D]",
	    "record today's (or D's) price, e.g. price set CABAI KEDIRI 45.000" },
	{ "list", cli_price_list, "",
	    "latest price of each commodity in each market" },
	{ "import", cli_csv_price_import, "FILE.csv [--skip-bad]",
	    "import a price survey (commodity, market, price, unit, date)" },
	{ "export", cli_csv_price_export, "[FILE.csv] [--all] [--semicolon|--excel]",
	    "write the latest prices (--all: every report) as CSV" },
	{ "history", cli_price_history, "[COMMODITY [MARKET]]",
	    "every report, newest first, with status and reporter" },
	{ "approve", cli_price_approve, "ID",
	    "publish a held field report (and alert subscribers)" },
	{ "reject", cli_price_reject, "ID", "reject a held field report" },
	{ "remove", cli_price_remove, "ID",
	    "delete a wrong price (see price history); nobody is alerted" },
	{ NULL, NULL, NULL, NULL }
};

int
cli_price(struct cli *c, int argc, char **argv)
{
	return cli_run_verbs(c, "price", cli_price_verbs, argc, argv);
}
