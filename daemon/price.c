/*
 * Market prices.  A price report names a commodity and a market by their
 * keyword (CABAI, KEDIRI); both are created on first use.  The latest
 * published report per commodity and market is what farmers are told,
 * with the change since the report before it.
 *
 * This file alone writes prices, commodities and markets, and keeps the
 * rule for field reports (LAPOR): a report further from the last
 * published price than report_hold_percent is held ('pending') until an
 * admin approves or rejects it; any other is published at once.  Alerts
 * for a published price are queued by the caller (alert.c).  Every
 * function runs inside the caller's transaction.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "match.h"
#include "price.h"
#include "store.h"
#include "text.h"

#define PRICE_MAX_RUPIAH	1000000000LL

/*
 * Parse a price as people write it: 45000, 45.000, 45,000, Rp 45.000,
 * Rp45.000,-, 45rb, 45 ribu, 45k, 1,5jt, and as spreadsheets write it,
 * 6.500,00 or Rp13.500,00.  Return 0 and the value in
 * rupiah, or -1 when it is not a price.
 */
int
price_parse(const char *s, int64_t *out)
{
	char		 digits[32], suffix[16];
	const char	*p = s;
	size_t		 nd = 0, ns = 0, frac = 0;
	int		 seen_sep = 0, last_sep = -1, prev_sep = -1, i;
	char		 last_ch = 0, prev_ch = 0;
	int64_t		 v = 0, mult = 1;

	while (isspace((unsigned char)*p))
		p++;
	if (strncasecmp(p, "rp", 2) == 0) {
		p += 2;
		while (*p == '.' || isspace((unsigned char)*p))
			p++;
	}
	for (; *p != '\0'; p++) {
		if (isdigit((unsigned char)*p)) {
			if (nd + 1 >= sizeof(digits))
				return -1;
			digits[nd++] = *p;
		} else if ((*p == '.' || *p == ',') && nd > 0 &&
		    isdigit((unsigned char)p[1])) {
			prev_sep = seen_sep ? last_sep : -1;
			prev_ch = last_ch;
			seen_sep = 1;
			last_sep = (int)nd;
			last_ch = *p;
		} else
			break;
	}
	digits[nd] = '\0';
	if (nd == 0)
		return -1;
	/*
	 * Zero cents, as spreadsheets write them (6.500,00, 13,500.00,
	 * 6500,00): two zeros after a separator unlike the thousands one
	 * before it, or after a decimal comma (45.00 stays ambiguous).
	 */
	if (seen_sep && nd - (size_t)last_sep == 2 && nd > 2 &&
	    digits[nd - 1] == '0' && digits[nd - 2] == '0' &&
	    (prev_sep == -1 ? last_ch == ',' : prev_ch != last_ch)) {
		nd -= 2;
		digits[nd] = '\0';
		seen_sep = prev_sep != -1;
		last_sep = prev_sep;
	}
	while (isspace((unsigned char)*p))
		p++;
	for (; *p != '\0' && ns + 1 < sizeof(suffix); p++)
		if (isalpha((unsigned char)*p))
			suffix[ns++] = (char)tolower((unsigned char)*p);
		else if (strchr(",-. ", *p) == NULL)
			return -1;
	suffix[ns] = '\0';
	if (*p != '\0')
		return -1;
	if (ns == 0)
		mult = 1;
	else if (!strcmp(suffix, "rb") || !strcmp(suffix, "ribu") ||
	    !strcmp(suffix, "k") || !strcmp(suffix, "rbu"))
		mult = 1000;
	else if (!strcmp(suffix, "jt") || !strcmp(suffix, "juta"))
		mult = 1000000;
	else
		return -1;
	/*
	 * With a multiplier a separator is a decimal point (1,5jt); without
	 * one, separators group thousands and must come in threes.
	 */
	if (seen_sep && mult > 1)
		frac = nd - (size_t)last_sep;
	else if (seen_sep && (nd - (size_t)last_sep) != 3)
		return -1;
	for (i = 0; digits[i] != '\0'; i++) {
		v = v * 10 + (digits[i] - '0');
		if (v > PRICE_MAX_RUPIAH)
			return -1;
	}
	v *= mult;
	while (frac-- > 0)
		v /= 10;
	if (v <= 0 || v > PRICE_MAX_RUPIAH)
		return -1;
	*out = v;
	return 0;
}

/* Format rupiah with dots between thousands: 45000 -> 45.000. */
void
price_format(int64_t v, char *buf, size_t len)
{
	char	raw[32], tmp[48];
	size_t	n, i, o = 0;

	snprintf(raw, sizeof(raw), "%lld", (long long)v);
	n = strlen(raw);
	for (i = 0; i < n && o + 2 < sizeof(tmp); i++) {
		if (i > 0 && (n - i) % 3 == 0 && raw[0] != '-')
			tmp[o++] = '.';
		tmp[o++] = raw[i];
	}
	tmp[o] = '\0';
	snprintf(buf, len, "%s", tmp);
}

/* Describe the change from the previous report: " (+5%)". */
void
price_change(const struct price_row *r, char *buf, size_t len)
{
	long long pct;

	buf[0] = '\0';
	if (r->previous <= 0)
		return;
	pct = ((long long)(r->price - r->previous) * 1000 / r->previous);
	pct = pct >= 0 ? (pct + 5) / 10 : (pct - 5) / 10;
	snprintf(buf, len, " (%s%lld%%)", pct > 0 ? "+" : "", pct);
}

/* A commodity or market keyword: letters, digits, - and _, not too long. */
int
price_name_ok(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n >= 32)
		return 0;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' &&
		    s[i] != '_')
			return 0;
	return 1;
}

/*
 * Tidy a commodity or market name as people type it into out: one to four
 * words of letters, digits, - and _, upper case, one space between
 * ("bawang  merah" -> "BAWANG MERAH"); 0, or -1 when it is no such name.
 */
int
price_name_clean(const char *in, char *out, size_t outlen)
{
	char buf[PRICE_NAME_CHARS + 1];

	if (match_phrase_clean(in, buf, sizeof(buf)) < 0 ||
	    strlen(buf) >= outlen)
		return -1;
	snprintf(out, outlen, "%s", buf);
	return 0;
}

/* A market's display name: PASAR LEGI -> "Pasar Legi", PARE -> "Pasar Pare". */
static void
price_market_display(const char *name, char *out, size_t outlen)
{
	size_t	o, i;
	int	start = 1;

	o = (size_t)snprintf(out, outlen, "%s", strncmp(name, "PASAR ", 6) ?
	    "Pasar " : "");
	for (i = 0; name[i] != '\0' && o + 1 < outlen; i++, o++) {
		out[o] = (char)(start ? toupper((unsigned char)name[i]) :
		    tolower((unsigned char)name[i]));
		start = name[i] == ' ';
	}
	out[o] = '\0';
}

/* Find (or create) a commodity or market row by keyword. */
static int64_t
price_upsert_name(struct store *s, const char *ins_sql, const char *sel_sql,
    const char *name, const char *display)
{
	sqlite3_stmt	*st;
	char		 upper[PRICE_NAME_MAX];
	int64_t		 id = -1;

	match_upper(name, upper, sizeof(upper));
	if ((st = store_stmt(s, ins_sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, upper, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, display, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	if ((st = store_stmt(s, sel_sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, upper, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return id;
}

/* Record a published price; commodity and market are created if new. */
int
price_set(struct store *s, const char *commodity, const char *market,
    int64_t price, const char *unit, const char *date, const char *source,
    int64_t *id_out)
{
	static const char ins_c[] = "INSERT OR IGNORE INTO commodities (name, "
	    "display) VALUES (?1, ?2)";
	static const char sel_c[] = "SELECT id, unit FROM commodities WHERE "
	    "name = ?";
	static const char ins_m[] = "INSERT OR IGNORE INTO markets (name, "
	    "display) VALUES (?1, ?2)";
	static const char sel_m[] = "SELECT id FROM markets WHERE name = ?";
	static const char ins_p[] = "INSERT INTO prices (commodity_id, "
	    "market_id, price, unit, reported_on, source, created_at) "
	    "VALUES (?, ?, ?, COALESCE(?, (SELECT unit FROM commodities "
	    "WHERE id = ?1)), ?, ?, ?)";
	sqlite3_stmt	*st;
	char		 cname[PRICE_NAME_MAX], mname[PRICE_NAME_MAX];
	char		 mdisplay[PRICE_NAME_MAX + 8];
	int64_t		 cid, mid;

	if (price_name_clean(commodity, cname, sizeof(cname)) == -1 ||
	    price_name_clean(market, mname, sizeof(mname)) == -1 ||
	    price <= 0 || price > PRICE_MAX_RUPIAH)
		return -1;
	price_market_display(mname, mdisplay, sizeof(mdisplay));
	if ((cid = price_upsert_name(s, ins_c, sel_c, cname, cname)) < 0 ||
	    (mid = price_upsert_name(s, ins_m, sel_m, mname, mdisplay)) < 0)
		return -1;
	if ((st = store_stmt(s, ins_p)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, cid);
	sqlite3_bind_int64(st, 2, mid);
	sqlite3_bind_int64(st, 3, price);
	if (unit != NULL && unit[0] != '\0')
		sqlite3_bind_text(st, 4, unit, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, date, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 6, source, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 7, store_now());
	if (sqlite3_step(st) != SQLITE_DONE) {
		log_warnx("price_set: %s", store_errmsg(s));
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	if (id_out != NULL)
		*id_out = sqlite3_last_insert_rowid(store_db(s));
	return 0;
}

/* Look a keyword up in commodities or markets; return its id or 0. */
static int64_t
price_lookup(struct store *s, const char *sql, const char *name, char *canon,
    size_t canonlen)
{
	sqlite3_stmt	*st;
	int64_t		 id = 0;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		if (canon != NULL)
			store_copy_text(st, 1, canon, canonlen);
	}
	sqlite3_reset(st);
	return id;
}

/* Find a commodity by keyword or display name; 0 when unknown. */
int64_t
price_commodity_id(struct store *s, const char *name, char *canon,
    size_t canonlen)
{
	static const char sql[] = "SELECT id, name FROM commodities WHERE "
	    "name = ?1 OR display = ?1 COLLATE NOCASE";

	return price_lookup(s, sql, name, canon, canonlen);
}

/* Find a market by keyword or display name; 0 when unknown. */
int64_t
price_market_id(struct store *s, const char *name, char *canon,
    size_t canonlen)
{
	static const char sql[] = "SELECT id, name FROM markets WHERE "
	    "name = ?1 OR display = ?1 COLLATE NOCASE "
	    "OR display = 'Pasar ' || ?1 COLLATE NOCASE";

	return price_lookup(s, sql, name, canon, canonlen);
}

/* Fill a price_row from the columns of the latest-price queries. */
static void
price_row_fill(sqlite3_stmt *st, struct price_row *r)
{
	r->id = sqlite3_column_int64(st, 0);
	store_copy_text(st, 1, r->commodity, sizeof(r->commodity));
	store_copy_text(st, 2, r->commodity_display,
	    sizeof(r->commodity_display));
	store_copy_text(st, 3, r->market, sizeof(r->market));
	store_copy_text(st, 4, r->market_display, sizeof(r->market_display));
	store_copy_text(st, 5, r->unit, sizeof(r->unit));
	store_copy_text(st, 6, r->date, sizeof(r->date));
	r->price = sqlite3_column_int64(st, 7);
	r->previous = sqlite3_column_int64(st, 8);
}

/*
 * The columns price_row_fill reads, for the latest report of a pair; the
 * change is against the report before it in the same unit (a price per
 * ons is no change from one per kg).
 */
#define PRICE_LATEST_SELECT \
	"SELECT p.id, c.name, c.display, m.name, m.display, p.unit, " \
	"p.reported_on, p.price, (SELECT q.price FROM prices q WHERE " \
	"q.commodity_id = p.commodity_id AND q.market_id = p.market_id AND " \
	"q.unit = p.unit AND q.status = 'published' AND (q.reported_on < p.reported_on OR " \
	"(q.reported_on = p.reported_on AND q.id < p.id)) ORDER BY " \
	"q.reported_on DESC, q.id DESC LIMIT 1) " \
	"FROM prices p JOIN commodities c ON c.id = p.commodity_id " \
	"JOIN markets m ON m.id = p.market_id "

/* The newest published report id for each commodity and market. */
#define PRICE_LATEST_IDS \
	"(SELECT (SELECT id FROM prices x WHERE x.commodity_id = " \
	"pm.commodity_id AND x.market_id = pm.market_id AND x.status = " \
	"'published' ORDER BY x.reported_on DESC, x.id DESC LIMIT 1) " \
	"FROM (SELECT DISTINCT commodity_id, market_id FROM prices " \
	"WHERE status = 'published') pm)"

/* Read the latest published price of a commodity in a market. */
int
price_latest(struct store *s, int64_t commodity_id, int64_t market_id,
    struct price_row *r)
{
	static const char sql[] = PRICE_LATEST_SELECT
	    "WHERE p.commodity_id = ? AND p.market_id = ? AND "
	    "p.status = 'published' ORDER BY p.reported_on DESC, p.id DESC "
	    "LIMIT 1";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, commodity_id);
	sqlite3_bind_int64(st, 2, market_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		price_row_fill(st, r);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : (rc == SQLITE_DONE ? 0 : -1);
}

/* Step a latest-price statement, calling cb for each row. */
static int
price_walk(sqlite3_stmt *st, price_cb cb, void *arg)
{
	struct price_row	r;
	int			rc, n = 0;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		price_row_fill(st, &r);
		n++;
		if (cb(&r, arg) != 0)
			break;
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? n : -1;
}

/* Call cb with the latest price of a commodity in every market, highest first. */
int
price_each_market(struct store *s, int64_t commodity_id, price_cb cb,
    void *arg)
{
	static const char sql[] = PRICE_LATEST_SELECT
	    "WHERE p.id IN " PRICE_LATEST_IDS " AND p.commodity_id = ? "
	    "ORDER BY p.price DESC, m.name";
	sqlite3_stmt *st;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, commodity_id);
	return price_walk(st, cb, arg);
}

/* Call cb with the latest price of every commodity in every market. */
int
price_each_latest(struct store *s, price_cb cb, void *arg)
{
	static const char sql[] = PRICE_LATEST_SELECT
	    "WHERE p.id IN " PRICE_LATEST_IDS " ORDER BY c.name, m.name";
	sqlite3_stmt *st;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	return price_walk(st, cb, arg);
}

/* Join the names from a one-column query into "A, B, C" within len. */
static int
price_join_names(sqlite3_stmt *st, char *buf, size_t len)
{
	const unsigned char	*t;
	int			 n = 0;

	buf[0] = '\0';
	while (sqlite3_step(st) == SQLITE_ROW) {
		t = sqlite3_column_text(st, 0);
		if (t == NULL)
			continue;
		if (strlen(buf) + strlen((const char *)t) + 3 >= len)
			break;
		if (n++ > 0)
			text_append(buf, len, ", ");
		text_append(buf, len, (const char *)t);
	}
	sqlite3_reset(st);
	return n;
}

/* List commodity keywords that have a published price. */
int
price_commodity_names(struct store *s, char *buf, size_t len)
{
	static const char sql[] = "SELECT name FROM commodities WHERE id IN "
	    "(SELECT commodity_id FROM prices WHERE status = 'published') "
	    "ORDER BY name";
	sqlite3_stmt *st;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	return price_join_names(st, buf, len);
}

/* List market keywords with a published price for a commodity. */
int
price_market_names(struct store *s, int64_t commodity_id, char *buf,
    size_t len)
{
	static const char sql[] = "SELECT name FROM markets WHERE id IN "
	    "(SELECT market_id FROM prices WHERE status = 'published' AND "
	    "commodity_id = ?) ORDER BY name";
	sqlite3_stmt *st;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, commodity_id);
	return price_join_names(st, buf, len);
}

/*
 * Find the one commodity within limit edits of what was typed.  Return 1
 * with its name in out when unique, 0 when none or ambiguous.
 */
int
price_suggest_commodity(struct store *s, const char *typed, int limit,
    char *out, size_t outlen)
{
	static const char sql[] = "SELECT name FROM commodities";
	struct match_best	 mb;
	sqlite3_stmt		*st;
	const unsigned char	*t;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	match_best_init(&mb);
	while (sqlite3_step(st) == SQLITE_ROW)
		if ((t = sqlite3_column_text(st, 0)) != NULL)
			match_best_offer(&mb, typed, (const char *)t, limit);
	sqlite3_reset(st);
	if (!match_best_unique(&mb, limit))
		return 0;
	snprintf(out, outlen, "%s", mb.name);
	return 1;
}

/*
 * Find a commodity by keyword, or by a one-edit typo of a single one.
 * Return its id with the keyword in canon, 0 when unknown, -1 on error.
 */
int64_t
price_commodity_guess(struct store *s, const char *typed, char *canon,
    size_t canonlen)
{
	char	name[PRICE_NAME_MAX];
	int64_t	id;
	int	rc;

	if ((id = price_commodity_id(s, typed, canon, canonlen)) != 0)
		return id;
	if ((rc = price_suggest_commodity(s, typed, 1, name,
	    sizeof(name))) <= 0)
		return rc;
	return price_commodity_id(s, name, canon, canonlen);
}

/* Find a market by keyword or a one-edit typo of a single one; 0 if none. */
int64_t
price_market_guess(struct store *s, const char *typed, char *canon,
    size_t canonlen)
{
	static const char sql[] = "SELECT name FROM markets";
	struct match_best	 mb;
	sqlite3_stmt		*st;
	const unsigned char	*t;
	char			 name[PRICE_NAME_MAX];
	int64_t			 id;

	if ((id = price_market_id(s, typed, canon, canonlen)) != 0)
		return id;
	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	match_best_init(&mb);
	while (sqlite3_step(st) == SQLITE_ROW)
		if ((t = sqlite3_column_text(st, 0)) != NULL)
			match_best_offer(&mb, typed, (const char *)t, 1);
	sqlite3_reset(st);
	if (!match_best_unique(&mb, 1))
		return 0;
	snprintf(name, sizeof(name), "%s", mb.name);
	return price_market_id(s, name, canon, canonlen);
}

/* Run a statement binding one id; rows changed, or -1. */
static int
price_change_rows(struct store *s, const char *sql, int64_t id)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? sqlite3_changes(store_db(s)) : -1;
}

/* Tell whether price is further than pct percent from last. */
static int
price_far(int64_t price, int64_t last, int pct)
{
	int64_t d = price > last ? price - last : last - price;

	return last > 0 && d * 100 > last * (int64_t)pct;
}

/*
 * Record a reporter's price: held when it is too far from the last
 * published one, published otherwise.  Return 1 when published (the
 * caller alerts), 0 when held, -1 on error; the new row's id in *id_out.
 */
int
price_report(struct store *s, const struct price_report *r, int64_t *id_out)
{
	static const char sql[] = "UPDATE prices SET status = CASE WHEN ?3 "
	    "THEN 'pending' ELSE 'published' END, reporter_id = ?2 WHERE "
	    "id = ?1";
	struct price_row	 last;
	sqlite3_stmt		*st;
	int64_t			 cid, mid, id;
	int			 rc = 0, held;

	if ((cid = price_commodity_id(s, r->commodity, NULL, 0)) < 0 ||
	    (mid = price_market_id(s, r->market, NULL, 0)) < 0)
		return -1;
	if (cid > 0 && mid > 0 && (rc = price_latest(s, cid, mid, &last)) < 0)
		return -1;
	held = rc == 1 && price_far(r->price, last.price, r->hold_percent);
	if (price_set(s, r->commodity, r->market, r->price, r->unit, r->date,
	    "sms", &id) == -1)
		return -1;
	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, r->reporter);
	sqlite3_bind_int(st, 3, held);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return -1;
	if (id_out != NULL)
		*id_out = id;
	return !held;
}

/*
 * Approve (publish) or reject a held report.  Return 1 when it was held
 * and is now decided (the caller alerts for an approval), 0 when there is
 * no held report with that id, -1 on error.
 */
int
price_review(struct store *s, int64_t id, int approve)
{
	static const char sql_ok[] = "UPDATE prices SET status = 'published' "
	    "WHERE id = ? AND status = 'pending'";
	static const char sql_no[] = "UPDATE prices SET status = 'rejected' "
	    "WHERE id = ? AND status = 'pending'";

	return price_change_rows(s, approve ? sql_ok : sql_no, id);
}

/*
 * Remove a report entered by mistake, whatever its state; the report
 * before it is the latest again, and nobody is alerted.  1, 0, or -1.
 */
int
price_remove(struct store *s, int64_t id)
{
	static const char sql[] = "DELETE FROM prices WHERE id = ?";

	return price_change_rows(s, sql, id);
}

/* Forget who reported prices (the contact is going); the reports stay. */
int
price_unlink_reporter(struct store *s, int64_t contact)
{
	static const char sql[] = "UPDATE prices SET reporter_id = NULL "
	    "WHERE reporter_id = ?";

	return price_change_rows(s, sql, contact) < 0 ? -1 : 0;
}

/* The columns of a prices CSV file, by their English and Indonesian names. */
const struct csvin_column price_csv_cols[PRICE_CSV_N] = {
	{ { "commodity", "komoditas", "komoditi", NULL }, 1 },
	{ { "market", "pasar", NULL }, 1 },
	{ { "price", "harga", NULL }, 1 },
	{ { "unit", "satuan", NULL }, 0 },
	{ { "date", "tanggal", "tgl", NULL }, 0 },
};

/*
 * Normalise a date to YYYY-MM-DD; accept YYYY-MM-DD, DD/MM/YYYY and
 * DD-MM-YYYY (as spreadsheets write them).  -1 when it is not a real date.
 */
static int
price_csv_date(const char *s, char *out, size_t len)
{
	static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int	y, m, d, n = 0;

	if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) == 3 && n == 10 &&
	    s[n] == '\0')
		;
	else if ((sscanf(s, "%2d/%2d/%4d%n", &d, &m, &y, &n) == 3 ||
	    sscanf(s, "%2d-%2d-%4d%n", &d, &m, &y, &n) == 3) &&
	    s[n] == '\0' && y >= 1000)
		;
	else
		return -1;
	if (y < 2000 || y > 2099 || m < 1 || m > 12 || d < 1 ||
	    d > days[m - 1] || (m == 2 && d == 29 && y % 4 != 0))
		return -1;
	snprintf(out, len, "%04d-%02d-%02d", y, m, d);
	return 0;
}

/* A commodity or market cell into out; -1 with why when it is no name. */
static int
price_csv_name(const char *what, const char *v, char *out, size_t outlen,
    char *why, size_t len)
{
	char shown[64];

	if (price_name_clean(v, out, outlen) == 0)
		return 0;
	snprintf(why, len, "%s \"%s\": 1 to 4 words of letters, digits, - "
	    "and _", what, csvin_shown(v, shown, sizeof(shown)));
	return -1;
}

/*
 * Fill p from one CSV row (col maps price_csv_cols to its fields; an
 * empty date is today); 0, or -1 with why, in the words the CLI and the
 * console both show.
 */
int
price_csv_check(struct price_csv_row *p, struct csvin_reader *r,
    const int *col, const char *today, char *why, size_t len)
{
	const char	*v;
	char		 shown[64];

	if (price_csv_name("commodity", csvin_cell(r, col,
	    PRICE_CSV_COMMODITY), p->commodity, sizeof(p->commodity), why,
	    len) == -1 || price_csv_name("market", csvin_cell(r, col,
	    PRICE_CSV_MARKET), p->market, sizeof(p->market), why, len) == -1)
		return -1;
	v = csvin_cell(r, col, PRICE_CSV_PRICE);
	if (price_parse(v, &p->price) == -1) {
		snprintf(why, len, "price \"%s\" is not a price (try 45000, "
		    "45.000 or 45rb)", csvin_shown(v, shown, sizeof(shown)));
		return -1;
	}
	v = csvin_cell(r, col, PRICE_CSV_UNIT);
	if (strlen(v) >= PRICE_UNIT_MAX) {
		snprintf(why, len, "unit \"%s\": at most %d characters",
		    csvin_shown(v, shown, sizeof(shown)), PRICE_UNIT_MAX - 1);
		return -1;
	}
	snprintf(p->unit, sizeof(p->unit), "%s", v);
	v = csvin_cell(r, col, PRICE_CSV_DATE);
	if (*v == '\0')
		snprintf(p->date, sizeof(p->date), "%s", today);
	else if (price_csv_date(v, p->date, sizeof(p->date)) == -1) {
		snprintf(why, len, "date \"%s\": expected YYYY-MM-DD or "
		    "DD/MM/YYYY", csvin_shown(v, shown, sizeof(shown)));
		return -1;
	}
	return 0;
}

/* Tell whether exactly this report is already stored (a re-import). */
static int
price_csv_known(struct store *s, const struct price_csv_row *p)
{
	static const char sql[] = "SELECT 1 FROM prices p JOIN commodities c "
	    "ON c.id = p.commodity_id JOIN markets m ON m.id = p.market_id "
	    "WHERE c.name = ? AND m.name = ? AND p.reported_on = ? AND "
	    "p.price = ? AND (?5 = '' OR p.unit = ?5) LIMIT 1";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, p->commodity, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, p->market, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, p->date, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, p->price);
	sqlite3_bind_text(st, 5, p->unit, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return -1;
	return rc == SQLITE_ROW;
}

/*
 * Store one checked row as a published price from source, unless the same
 * report is there already (importing a file twice is harmless): 1 stored,
 * 0 already there, -1 on error.
 */
int
price_csv_save(struct store *s, const struct price_csv_row *p,
    const char *source)
{
	int known;

	if ((known = price_csv_known(s, p)) != 0)
		return known == 1 ? 0 : -1;
	if (price_set(s, p->commodity, p->market, p->price, p->unit[0] ?
	    p->unit : NULL, p->date, source, NULL) == -1)
		return -1;
	return 1;
}
