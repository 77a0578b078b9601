/*
 * CSV import and export for the admin CLI, with libcsv.
 *
 * DESIGN: a file is read whole (at most CLI_CSV_FILE_MAX bytes), a UTF-8
 * BOM is skipped, and the separator is whichever of ',' and ';' the header
 * line has more of outside quotes (spreadsheets in Indonesian locales write
 * ';').  The file is fed to libcsv one physical line at a time so that
 * every row knows the line it starts on, even with quoted newlines.
 * Columns are found by header name, English or Indonesian, in any case
 * and order; other columns are ignored.  An import validates every row
 * first and reports each bad one as FILE:LINE; only then, and only when
 * no row is bad (or --skip-bad is given), are the rows written, all in
 * one transaction.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <csv.h>

#include "cli.h"
#include "cli_csv.h"
#include "phone.h"
#include "price.h"
#include "store.h"

#define CLI_CSV_FILE_MAX	(16 * 1024 * 1024)
#define CLI_CSV_FIELDS_MAX	32
#define CLI_CSV_FIELD_MAX	256

/* One row as libcsv hands it over, with the line it starts on. */
struct cli_csv_reader {
	const char	*path;
	int		 line;			/* line being parsed */
	int		 row_line;		/* line the row starts on */
	int		 nfields;
	int		 toolong;		/* a field did not fit */
	char		 field[CLI_CSV_FIELDS_MAX][CLI_CSV_FIELD_MAX];
	int		(*row)(struct cli_csv_reader *, void *);
	void		*arg;
	int		 failed;		/* the row callback said stop */
};

/* Price columns, and the header names that mean them. */
enum { PCOL_COMMODITY, PCOL_MARKET, PCOL_PRICE, PCOL_UNIT, PCOL_DATE,
    PCOL_N };
static const char *const cli_csv_price_names[PCOL_N][4] = {
	{ "commodity", "komoditas", "komoditi", NULL },
	{ "market", "pasar", NULL, NULL },
	{ "price", "harga", NULL, NULL },
	{ "unit", "satuan", NULL, NULL },
	{ "date", "tanggal", "tgl", NULL },
};

struct cli_csv_price {
	int	line;
	char	commodity[PRICE_NAME_MAX];
	char	market[PRICE_NAME_MAX];
	char	unit[PRICE_UNIT_MAX];
	char	date[11];
	int64_t	price;
};

struct cli_csv_import {
	int			 header_done;
	int			 col[PCOL_N];	/* field index, -1 = absent */
	struct cli_csv_price	*rows;
	size_t			 nrows, cap;
	int			 bad;
	char			 today[16];
};

/* Tell whether s is valid UTF-8. */
static int
cli_csv_utf8_ok(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	int			 n, i;

	while (*p != '\0') {
		if (*p < 0x80)
			n = 0;
		else if ((*p & 0xe0) == 0xc0 && *p >= 0xc2)
			n = 1;
		else if ((*p & 0xf0) == 0xe0)
			n = 2;
		else if ((*p & 0xf8) == 0xf0 && *p <= 0xf4)
			n = 3;
		else
			return 0;
		for (i = 1; i <= n; i++)
			if ((p[i] & 0xc0) != 0x80)
				return 0;
		p += n + 1;
	}
	return 1;
}

/* libcsv: one field ended. */
static void
cli_csv_on_field(void *s, size_t len, void *arg)
{
	struct cli_csv_reader	*r = arg;
	size_t			 i, nl = 0;

	if (r->nfields == 0) {
		for (i = 0; i < len; i++)
			nl += ((const char *)s)[i] == '\n';
		r->row_line = r->line - (int)nl;
	}
	if (r->nfields >= CLI_CSV_FIELDS_MAX) {
		r->toolong = 1;
		return;
	}
	if (len >= CLI_CSV_FIELD_MAX) {
		r->toolong = 1;
		len = CLI_CSV_FIELD_MAX - 1;
	}
	memcpy(r->field[r->nfields], s != NULL ? s : "", s != NULL ? len : 0);
	r->field[r->nfields][s != NULL ? len : 0] = '\0';
	r->nfields++;
}

/* libcsv: one row ended; hand it to the row callback. */
static void
cli_csv_on_row(int c, void *arg)
{
	struct cli_csv_reader	*r = arg;
	int			 i, empty = 1;

	(void)c;
	for (i = 0; i < r->nfields; i++)
		if (r->field[i][0] != '\0')
			empty = 0;
	if (!empty && !r->failed && r->row(r, r->arg) == -1)
		r->failed = 1;
	r->nfields = 0;
	r->toolong = 0;
}

/* Pick the separator: the more frequent of ',' and ';' on the first line. */
static unsigned char
cli_csv_delim(const char *buf, size_t len)
{
	size_t	i, commas = 0, semis = 0;
	int	quoted = 0;

	for (i = 0; i < len && (quoted || (buf[i] != '\n' && buf[i] != '\r'));
	    i++) {
		if (buf[i] == '"')
			quoted = !quoted;
		else if (!quoted && buf[i] == ',')
			commas++;
		else if (!quoted && buf[i] == ';')
			semis++;
	}
	return semis > commas ? ';' : ',';
}

/* Read a whole file into a NUL-terminated buffer; NULL with a message. */
static char *
cli_csv_slurp(const char *path, size_t *lenp)
{
	FILE	*f;
	char	*buf;
	size_t	 n;

	if ((f = fopen(path, "rb")) == NULL) {
		cli_fail("%s: %s", path, strerror(errno));
		return NULL;
	}
	if ((buf = malloc(CLI_CSV_FILE_MAX + 1)) == NULL) {
		fclose(f);
		cli_fail("out of memory");
		return NULL;
	}
	n = fread(buf, 1, CLI_CSV_FILE_MAX + 1, f);
	if (ferror(f) || n > CLI_CSV_FILE_MAX) {
		cli_fail("%s: %s", path, ferror(f) ? strerror(errno) :
		    "larger than 16 MB");
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	*lenp = n;
	return buf;
}

/*
 * Parse a CSV file and call row for each non-empty row (the header too).
 * Return 0, or -1 after printing why (a quoting error names its line).
 */
static int
cli_csv_read(const char *path, int (*row)(struct cli_csv_reader *, void *),
    void *arg)
{
	struct cli_csv_reader	*r;
	struct csv_parser	 p;
	char			*buf, *s, *nl;
	size_t			 len, n;
	int			 rc = -1;

	if ((buf = cli_csv_slurp(path, &len)) == NULL)
		return -1;
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		free(buf);
		cli_fail("out of memory");
		return -1;
	}
	r->path = path;
	r->row = row;
	r->arg = arg;
	s = buf;
	if (len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
		s += 3;
		len -= 3;
	}
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		free(r);
		free(buf);
		cli_fail("out of memory");
		return -1;
	}
	csv_set_delim(&p, cli_csv_delim(s, len));
	while (len > 0 && !r->failed) {
		r->line++;
		nl = memchr(s, '\n', len);
		n = nl != NULL ? (size_t)(nl - s) + 1 : len;
		if (csv_parse(&p, s, n, cli_csv_on_field, cli_csv_on_row, r) !=
		    n) {
			cli_fail("%s:%d: %s (a stray or unclosed \")", path,
			    r->line, csv_strerror(csv_error(&p)));
			goto out;
		}
		s += n;
		len -= n;
	}
	if (!r->failed && csv_fini(&p, cli_csv_on_field, cli_csv_on_row,
	    r) != 0) {
		cli_fail("%s:%d: a quoted field is not closed", path,
		    r->row_line > 0 ? r->row_line : r->line);
		goto out;
	}
	rc = r->failed ? -1 : 0;
out:
	csv_free(&p);
	free(r);
	free(buf);
	return rc;
}

/* Trim spaces from both ends of s in place. */
static char *
cli_csv_trim(char *s)
{
	size_t n;

	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

/*
 * Normalise a date to YYYY-MM-DD; accept YYYY-MM-DD, DD/MM/YYYY and
 * DD-MM-YYYY.  Return -1 when it is not a real date.
 */
static int
cli_csv_date(const char *s, char *out, size_t len)
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

/* Make a field safe to quote in a message: control characters become '?'. */
static const char *
cli_csv_shown(const char *v, char *buf, size_t len)
{
	size_t i;

	for (i = 0; v[i] != '\0' && i + 1 < len; i++)
		buf[i] = (unsigned char)v[i] < 0x20 || v[i] == 0x7f ? '?' :
		    v[i];
	buf[i] = '\0';
	return buf;
}

/* Map the header row to price columns. */
static int
cli_csv_price_header(struct cli_csv_reader *r, struct cli_csv_import *im)
{
	const char	*h;
	int		 i, c, k;

	for (c = 0; c < PCOL_N; c++)
		im->col[c] = -1;
	for (i = 0; i < r->nfields; i++) {
		h = cli_csv_trim(r->field[i]);
		for (c = 0; c < PCOL_N; c++)
			for (k = 0; cli_csv_price_names[c][k] != NULL; k++)
				if (strcasecmp(h, cli_csv_price_names[c][k]) ==
				    0)
					goto found;
		continue;
found:
		if (im->col[c] != -1) {
			cli_fail("%s:%d: column \"%s\" appears twice", r->path,
			    r->row_line, h);
			return -1;
		}
		im->col[c] = i;
	}
	for (c = 0; c <= PCOL_PRICE; c++)
		if (im->col[c] == -1) {
			cli_fail("%s:%d: the header has no \"%s\" column (need "
			    "commodity, market, price; unit and date are "
			    "optional)", r->path, r->row_line,
			    cli_csv_price_names[c][0]);
			return -1;
		}
	im->header_done = 1;
	return 0;
}

/* A field of the current row by column, "" when absent. */
static char *
cli_csv_col(struct cli_csv_reader *r, const struct cli_csv_import *im, int c)
{
	if (im->col[c] < 0 || im->col[c] >= r->nfields)
		return (char *)"";
	return cli_csv_trim(r->field[im->col[c]]);
}

/* Check one price row; keep it, or report it and count it bad. */
static int
cli_csv_price_row(struct cli_csv_reader *r, void *arg)
{
	struct cli_csv_import	*im = arg;
	struct cli_csv_price	 p, *nrows;
	const char		*v;
	char			 why[200] = "", shown[64];
	size_t			 i;
	int			 c;

	if (!im->header_done)
		return cli_csv_price_header(r, im);
	memset(&p, 0, sizeof(p));
	p.line = r->row_line;
	for (c = 0; c < PCOL_N && why[0] == '\0'; c++) {
		v = cli_csv_col(r, im, c);
		if (!cli_csv_utf8_ok(v))
			snprintf(why, sizeof(why), "%s: not UTF-8 (save the "
			    "file as \"CSV UTF-8\")", cli_csv_price_names[c][0]);
	}
	if (why[0] == '\0' && r->toolong)
		snprintf(why, sizeof(why), "a field is longer than %d bytes "
		    "or there are more than %d columns", CLI_CSV_FIELD_MAX - 1,
		    CLI_CSV_FIELDS_MAX);
	for (c = PCOL_COMMODITY; c <= PCOL_MARKET && why[0] == '\0'; c++) {
		v = cli_csv_col(r, im, c);
		if (!price_name_ok(v))
			snprintf(why, sizeof(why), "%s \"%s\": one word of "
			    "letters, digits, - and _", cli_csv_price_names[c][0],
			    cli_csv_shown(v, shown, sizeof(shown)));
		else {
			char *dst = c == PCOL_COMMODITY ? p.commodity :
			    p.market;
			for (i = 0; v[i] != '\0' && i + 1 < PRICE_NAME_MAX; i++)
				dst[i] = (char)toupper((unsigned char)v[i]);
			dst[i] = '\0';
		}
	}
	v = cli_csv_col(r, im, PCOL_PRICE);
	if (why[0] == '\0' && price_parse(v, &p.price) == -1)
		snprintf(why, sizeof(why), "price \"%s\" is not a price (try "
		    "45000, 45.000 or 45rb)", cli_csv_shown(v, shown,
		    sizeof(shown)));
	v = cli_csv_col(r, im, PCOL_UNIT);
	if (why[0] == '\0' && strlen(v) >= PRICE_UNIT_MAX)
		snprintf(why, sizeof(why), "unit \"%s\": at most %d characters",
		    cli_csv_shown(v, shown, sizeof(shown)), PRICE_UNIT_MAX - 1);
	else
		snprintf(p.unit, sizeof(p.unit), "%s", v);
	v = cli_csv_col(r, im, PCOL_DATE);
	if (why[0] == '\0') {
		if (*v == '\0')
			snprintf(p.date, sizeof(p.date), "%s", im->today);
		else if (cli_csv_date(v, p.date, sizeof(p.date)) == -1)
			snprintf(why, sizeof(why), "date \"%s\": expected "
			    "YYYY-MM-DD or DD/MM/YYYY", cli_csv_shown(v, shown,
			    sizeof(shown)));
	}
	if (why[0] != '\0') {
		fprintf(stderr, "%s:%d: %s\n", r->path, r->row_line, why);
		im->bad++;
		return 0;
	}
	if (im->nrows == im->cap) {
		im->cap = im->cap ? im->cap * 2 : 64;
		if ((nrows = reallocarray(im->rows, im->cap,
		    sizeof(*nrows))) == NULL) {
			cli_fail("out of memory");
			return -1;
		}
		im->rows = nrows;
	}
	im->rows[im->nrows++] = p;
	return 0;
}

/* Tell whether exactly this report is already stored (a re-import). */
static int
cli_csv_price_known(struct store *s, const struct cli_csv_price *p)
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

/* price import FILE.csv [--skip-bad] */
int
cli_csv_price_import(struct cli *c, int argc, char **argv)
{
	struct cli_csv_import	 im;
	const char		*path = NULL;
	char			 detail[320];
	size_t			 i;
	int			 skip_bad = 0, known, added = 0, same = 0;
	int			 usage = 0, rc = CLI_ERROR;

	for (i = 0; i < (size_t)argc; i++) {
		if (strcmp(argv[i], "--skip-bad") == 0)
			skip_bad = 1;
		else if (path == NULL && argv[i][0] != '-')
			path = argv[i];
		else
			usage = 1;
	}
	if (path == NULL || usage) {
		cli_fail("usage: price import FILE.csv [--skip-bad]");
		return CLI_USAGE;
	}
	memset(&im, 0, sizeof(im));
	store_today(im.today, sizeof(im.today));
	if (cli_csv_read(path, cli_csv_price_row, &im) == -1)
		goto out;
	if (!im.header_done) {
		cli_fail("%s: empty file (expected a header: commodity, "
		    "market, price, unit, date)", path);
		goto out;
	}
	if (im.bad > 0 && !skip_bad) {
		cli_fail("%s: %d bad row%s; nothing imported (fix %s, or "
		    "--skip-bad imports the %zu good row%s)", path, im.bad,
		    im.bad == 1 ? "" : "s", im.bad == 1 ? "it" : "them",
		    im.nrows, im.nrows == 1 ? "" : "s");
		goto out;
	}
	if (store_begin(c->store) == -1) {
		cli_fail("database busy");
		goto out;
	}
	for (i = 0; i < im.nrows; i++) {
		if ((known = cli_csv_price_known(c->store, &im.rows[i])) == 1) {
			same++;
			continue;
		}
		if (known == -1 || price_set(c->store, im.rows[i].commodity,
		    im.rows[i].market, im.rows[i].price, im.rows[i].unit[0] ?
		    im.rows[i].unit : NULL, im.rows[i].date, "csv", NULL) ==
		    -1) {
			store_rollback(c->store);
			cli_fail("%s:%d: cannot save: %s; nothing imported",
			    path, im.rows[i].line, store_errmsg(c->store));
			goto out;
		}
		added++;
	}
	snprintf(detail, sizeof(detail), "%s: %d added, %d already there, "
	    "%d bad skipped", path, added, same, im.bad);
	if (store_audit(c->store, "cli", "price import", detail) == -1 ||
	    store_commit(c->store) == -1) {
		store_rollback(c->store);
		cli_fail("%s: cannot save; nothing imported", path);
		goto out;
	}
	printf("%s: imported %d price%s (%d already there, %d bad row%s "
	    "skipped)\n", path, added, added == 1 ? "" : "s", same, im.bad,
	    im.bad == 1 ? "" : "s");
	rc = CLI_OK;
out:
	free(im.rows);
	return rc;
}

/* Contact columns, and the header names that mean them. */
enum { CCOL_PHONE, CCOL_NAME, CCOL_VILLAGE, CCOL_GROUPS, CCOL_LANGUAGE,
    CCOL_N };
static const char *const cli_csv_contact_names[CCOL_N][5] = {
	{ "phone", "telepon", "hp", "nomor", NULL },
	{ "name", "nama", NULL, NULL, NULL },
	{ "village", "desa", NULL, NULL, NULL },
	{ "groups", "group", "grup", "kelompok", NULL },
	{ "language", "bahasa", NULL, NULL, NULL },
};

#define CLI_CSV_TEXT_MAX	64	/* name and village */

struct cli_csv_contact {
	int	line;
	char	phone[PHONE_MAX];
	char	name[CLI_CSV_TEXT_MAX];
	char	village[CLI_CSV_TEXT_MAX];
	char	groups[CLI_CSV_FIELD_MAX];	/* "PETANI;IBU" upper-cased */
	char	language[4];			/* "", "id" or "en" */
};

struct cli_csv_cimport {
	const char		*country_code;
	int			 header_done;
	int			 col[CCOL_N];
	struct cli_csv_contact	*rows;
	size_t			 nrows, cap;
	int			 bad;
};

/* A field of the current row by contact column, "" when absent. */
static char *
cli_csv_ccol(struct cli_csv_reader *r, const struct cli_csv_cimport *im,
    int c)
{
	if (im->col[c] < 0 || im->col[c] >= r->nfields)
		return (char *)"";
	return cli_csv_trim(r->field[im->col[c]]);
}

/* Map the header row to contact columns. */
static int
cli_csv_contact_header(struct cli_csv_reader *r, struct cli_csv_cimport *im)
{
	const char	*h;
	int		 i, c, k;

	for (c = 0; c < CCOL_N; c++)
		im->col[c] = -1;
	for (i = 0; i < r->nfields; i++) {
		h = cli_csv_trim(r->field[i]);
		for (c = 0; c < CCOL_N; c++)
			for (k = 0; cli_csv_contact_names[c][k] != NULL; k++)
				if (strcasecmp(h, cli_csv_contact_names[c][k])
				    == 0)
					goto found;
		continue;
found:
		if (im->col[c] != -1) {
			cli_fail("%s:%d: column \"%s\" appears twice", r->path,
			    r->row_line, h);
			return -1;
		}
		im->col[c] = i;
	}
	if (im->col[CCOL_PHONE] == -1) {
		cli_fail("%s:%d: the header has no \"phone\" column (name, "
		    "village, groups and language are optional)", r->path,
		    r->row_line);
		return -1;
	}
	im->header_done = 1;
	return 0;
}

/* Check and upper-case a group list "a; b" into "A;B"; -1 when bad. */
static int
cli_csv_groups(const char *in, char *out, size_t len)
{
	char	 buf[CLI_CSV_FIELD_MAX], *p, *g;
	size_t	 i, o = 0;

	snprintf(buf, sizeof(buf), "%s", in);
	out[0] = '\0';
	for (p = buf; (g = strsep(&p, ";,")) != NULL;) {
		g = cli_csv_trim(g);
		if (*g == '\0')
			continue;
		if (!price_name_ok(g) || o + strlen(g) + 2 > len)
			return -1;
		if (o > 0)
			out[o++] = ';';
		for (i = 0; g[i] != '\0'; i++)
			out[o++] = (char)toupper((unsigned char)g[i]);
		out[o] = '\0';
	}
	return 0;
}

/* Check one contact row; keep it, or report it and count it bad. */
static int
cli_csv_contact_row(struct cli_csv_reader *r, void *arg)
{
	struct cli_csv_cimport	*im = arg;
	struct cli_csv_contact	 k, *nrows;
	const char		*v;
	char			 why[200] = "", shown[64];
	size_t			 i;
	int			 c;

	if (!im->header_done)
		return cli_csv_contact_header(r, im);
	memset(&k, 0, sizeof(k));
	k.line = r->row_line;
	for (c = 0; c < CCOL_N && why[0] == '\0'; c++)
		if (!cli_csv_utf8_ok(cli_csv_ccol(r, im, c)))
			snprintf(why, sizeof(why), "%s: not UTF-8 (save the "
			    "file as \"CSV UTF-8\")",
			    cli_csv_contact_names[c][0]);
	if (why[0] == '\0' && r->toolong)
		snprintf(why, sizeof(why), "a field is longer than %d bytes "
		    "or there are more than %d columns", CLI_CSV_FIELD_MAX - 1,
		    CLI_CSV_FIELDS_MAX);
	v = cli_csv_ccol(r, im, CCOL_PHONE);
	if (why[0] == '\0' && phone_normalize(v, im->country_code, k.phone,
	    sizeof(k.phone)) != PHONE_NUMBER)
		snprintf(why, sizeof(why), "phone \"%s\" is not a phone number",
		    cli_csv_shown(v, shown, sizeof(shown)));
	for (i = 0; why[0] == '\0' && i < im->nrows; i++)
		if (strcmp(im->rows[i].phone, k.phone) == 0)
			snprintf(why, sizeof(why), "phone %s is also on line "
			    "%d", k.phone, im->rows[i].line);
	v = cli_csv_ccol(r, im, CCOL_NAME);
	if (why[0] == '\0' && strlen(v) >= CLI_CSV_TEXT_MAX)
		snprintf(why, sizeof(why), "name: at most %d bytes",
		    CLI_CSV_TEXT_MAX - 1);
	snprintf(k.name, sizeof(k.name), "%s", v);
	v = cli_csv_ccol(r, im, CCOL_VILLAGE);
	if (why[0] == '\0' && strlen(v) >= CLI_CSV_TEXT_MAX)
		snprintf(why, sizeof(why), "village: at most %d bytes",
		    CLI_CSV_TEXT_MAX - 1);
	snprintf(k.village, sizeof(k.village), "%s", v);
	v = cli_csv_ccol(r, im, CCOL_GROUPS);
	if (why[0] == '\0' && cli_csv_groups(v, k.groups,
	    sizeof(k.groups)) == -1)
		snprintf(why, sizeof(why), "groups \"%s\": words of letters, "
		    "digits, - and _, separated by ;",
		    cli_csv_shown(v, shown, sizeof(shown)));
	v = cli_csv_ccol(r, im, CCOL_LANGUAGE);
	if (why[0] == '\0') {
		if (strcasecmp(v, "id") == 0 || strcasecmp(v, "en") == 0) {
			k.language[0] = (char)tolower((unsigned char)v[0]);
			k.language[1] = (char)tolower((unsigned char)v[1]);
		} else if (*v != '\0')
			snprintf(why, sizeof(why), "language \"%s\": id or en",
			    cli_csv_shown(v, shown, sizeof(shown)));
	}
	if (why[0] != '\0') {
		fprintf(stderr, "%s:%d: %s\n", r->path, r->row_line, why);
		im->bad++;
		return 0;
	}
	if (im->nrows == im->cap) {
		im->cap = im->cap ? im->cap * 2 : 64;
		if ((nrows = reallocarray(im->rows, im->cap,
		    sizeof(*nrows))) == NULL) {
			cli_fail("out of memory");
			return -1;
		}
		im->rows = nrows;
	}
	im->rows[im->nrows++] = k;
	return 0;
}

/*
 * Store one contact: create it or update the name, village and language
 * given (an empty cell keeps what is there), and add it to its groups.
 * Opt-outs and existing memberships are left alone.
 */
static int
cli_csv_contact_save(struct store *s, const struct cli_csv_contact *k)
{
	static const char upsert[] = "INSERT INTO contacts (phone, name, "
	    "village, language, created_at, updated_at) VALUES (?1, ?2, ?3, "
	    "?4, ?5, ?5) ON CONFLICT(phone) DO UPDATE SET "
	    "name = CASE WHEN ?2 = '' THEN name ELSE ?2 END, "
	    "village = CASE WHEN ?3 = '' THEN village ELSE ?3 END, "
	    "language = CASE WHEN ?4 = '' THEN language ELSE ?4 END, "
	    "updated_at = ?5";
	static const char group[] = "INSERT OR IGNORE INTO groups (name, "
	    "created_at) VALUES (?1, ?2)";
	static const char member[] = "INSERT OR IGNORE INTO group_members "
	    "(group_id, contact_id, joined_at) SELECT g.id, c.id, ?3 FROM "
	    "groups g, contacts c WHERE g.name = ?1 AND c.phone = ?2";
	sqlite3_stmt	*st;
	char		 buf[sizeof(k->groups)], *p, *g;
	int		 rc;

	if ((st = store_stmt(s, upsert)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, k->phone, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, k->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, k->village, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, k->language, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, store_now());
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return -1;
	snprintf(buf, sizeof(buf), "%s", k->groups);
	for (p = buf; (g = strsep(&p, ";")) != NULL;) {
		if (*g == '\0')
			continue;
		if ((st = store_stmt(s, group)) == NULL)
			return -1;
		sqlite3_bind_text(st, 1, g, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, store_now());
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE || (st = store_stmt(s, member)) == NULL)
			return -1;
		sqlite3_bind_text(st, 1, g, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, k->phone, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, store_now());
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return -1;
	}
	return 0;
}

/* contact import FILE.csv [--skip-bad] */
int
cli_csv_contact_import(struct cli *c, int argc, char **argv)
{
	struct cli_csv_cimport	 im;
	const char		*path = NULL;
	char			 detail[320];
	size_t			 i;
	int			 skip_bad = 0, usage = 0, rc = CLI_ERROR;

	for (i = 0; i < (size_t)argc; i++) {
		if (strcmp(argv[i], "--skip-bad") == 0)
			skip_bad = 1;
		else if (path == NULL && argv[i][0] != '-')
			path = argv[i];
		else
			usage = 1;
	}
	if (path == NULL || usage) {
		cli_fail("usage: contact import FILE.csv [--skip-bad]");
		return CLI_USAGE;
	}
	memset(&im, 0, sizeof(im));
	im.country_code = c->conf.country_code;
	if (cli_csv_read(path, cli_csv_contact_row, &im) == -1)
		goto out;
	if (!im.header_done) {
		cli_fail("%s: empty file (expected a header: phone, name, "
		    "village, groups)", path);
		goto out;
	}
	if (im.bad > 0 && !skip_bad) {
		cli_fail("%s: %d bad row%s; nothing imported (fix %s, or "
		    "--skip-bad imports the %zu good row%s)", path, im.bad,
		    im.bad == 1 ? "" : "s", im.bad == 1 ? "it" : "them",
		    im.nrows, im.nrows == 1 ? "" : "s");
		goto out;
	}
	if (store_begin(c->store) == -1) {
		cli_fail("database busy");
		goto out;
	}
	for (i = 0; i < im.nrows; i++)
		if (cli_csv_contact_save(c->store, &im.rows[i]) == -1) {
			store_rollback(c->store);
			cli_fail("%s:%d: cannot save: %s; nothing imported",
			    path, im.rows[i].line, store_errmsg(c->store));
			goto out;
		}
	snprintf(detail, sizeof(detail), "%s: %zu contacts, %d bad skipped",
	    path, im.nrows, im.bad);
	if (store_audit(c->store, "cli", "contact import", detail) == -1 ||
	    store_commit(c->store) == -1) {
		store_rollback(c->store);
		cli_fail("%s: cannot save; nothing imported", path);
		goto out;
	}
	printf("%s: imported %zu contact%s (%d bad row%s skipped)\n", path,
	    im.nrows, im.nrows == 1 ? "" : "s", im.bad,
	    im.bad == 1 ? "" : "s");
	rc = CLI_OK;
out:
	free(im.rows);
	return rc;
}

/* Write one field, quoted only when it must be. */
static void
cli_csv_put(FILE *f, const char *v, char delim, int last)
{
	if (strpbrk(v, "\"\r\n") != NULL || strchr(v, delim) != NULL ||
	    (v[0] != '\0' && (isspace((unsigned char)v[0]) ||
	    isspace((unsigned char)v[strlen(v) - 1]))))
		csv_fwrite(f, v, strlen(v));
	else
		fputs(v, f);
	fputc(last ? '\n' : delim, f);
}

struct cli_csv_export {
	FILE	*f;
	char	 delim;
	int	 n;
};

/* Write one price as a CSV row. */
static int
cli_csv_price_put(const struct price_row *r, void *arg)
{
	struct cli_csv_export	*ex = arg;
	char			 price[32];

	snprintf(price, sizeof(price), "%lld", (long long)r->price);
	cli_csv_put(ex->f, r->commodity, ex->delim, 0);
	cli_csv_put(ex->f, r->market, ex->delim, 0);
	cli_csv_put(ex->f, price, ex->delim, 0);
	cli_csv_put(ex->f, r->unit, ex->delim, 0);
	cli_csv_put(ex->f, r->date, ex->delim, 1);
	ex->n++;
	return 0;
}

/* Walk every published report, oldest first. */
static int
cli_csv_price_history(struct store *s, struct cli_csv_export *ex)
{
	static const char sql[] = "SELECT c.name, m.name, p.price, p.unit, "
	    "p.reported_on FROM prices p JOIN commodities c ON c.id = "
	    "p.commodity_id JOIN markets m ON m.id = p.market_id WHERE "
	    "p.status = 'published' ORDER BY p.reported_on, p.id";
	struct price_row	 r;
	sqlite3_stmt		*st;
	int			 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&r, 0, sizeof(r));
		store_copy_text(st, 0, r.commodity, sizeof(r.commodity));
		store_copy_text(st, 1, r.market, sizeof(r.market));
		r.price = sqlite3_column_int64(st, 2);
		store_copy_text(st, 3, r.unit, sizeof(r.unit));
		store_copy_text(st, 4, r.date, sizeof(r.date));
		cli_csv_price_put(&r, ex);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* price export [FILE.csv] [--all] [--semicolon] */
int
cli_csv_price_export(struct cli *c, int argc, char **argv)
{
	struct cli_csv_export	 ex = { stdout, ',', 0 };
	const char		*path = NULL;
	int			 i, all = 0, rc;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--all") == 0)
			all = 1;
		else if (strcmp(argv[i], "--semicolon") == 0)
			ex.delim = ';';
		else if (path == NULL && argv[i][0] != '-')
			path = argv[i];
		else {
			cli_fail("usage: price export [FILE.csv] [--all] "
			    "[--semicolon]");
			return CLI_USAGE;
		}
	}
	if (path != NULL && strcmp(path, "-") != 0 &&
	    (ex.f = fopen(path, "w")) == NULL)
		return cli_fail("%s: %s", path, strerror(errno));
	fprintf(ex.f, "commodity%cmarket%cprice%cunit%cdate\n", ex.delim,
	    ex.delim, ex.delim, ex.delim);
	rc = all ? cli_csv_price_history(c->store, &ex) :
	    price_each_latest(c->store, cli_csv_price_put, &ex) < 0 ? -1 : 0;
	if (ex.f != stdout && fclose(ex.f) != 0)
		rc = -1;
	else if (ex.f == stdout && fflush(stdout) != 0)
		rc = -1;
	if (rc == -1)
		return cli_fail("cannot export prices: %s",
		    store_errmsg(c->store));
	if (path != NULL && strcmp(path, "-") != 0)
		fprintf(stderr, "%s: %d price%s\n", path, ex.n,
		    ex.n == 1 ? "" : "s");
	return CLI_OK;
}

/* contact export [FILE.csv] [--semicolon]: phone, name, village, groups. */
int
cli_csv_contact_export(struct cli *c, int argc, char **argv)
{
	static const char sql[] = "SELECT c.phone, c.name, c.village, "
	    "COALESCE((SELECT group_concat(name, ';') FROM (SELECT g.name "
	    "FROM group_members m JOIN groups g ON g.id = m.group_id WHERE "
	    "m.contact_id = c.id ORDER BY g.name)), ''), c.language, "
	    "c.opted_out FROM contacts c ORDER BY c.id";
	sqlite3_stmt	*st;
	FILE		*f = stdout;
	const char	*path = NULL;
	char		 delim = ',', v[CLI_CSV_FIELD_MAX];
	int		 i, n = 0, col, rc;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--semicolon") == 0)
			delim = ';';
		else if (path == NULL && argv[i][0] != '-')
			path = argv[i];
		else {
			cli_fail("usage: contact export [FILE.csv] "
			    "[--semicolon]");
			return CLI_USAGE;
		}
	}
	if ((st = store_stmt(c->store, sql)) == NULL)
		return cli_fail("%s", store_errmsg(c->store));
	if (path != NULL && strcmp(path, "-") != 0 &&
	    (f = fopen(path, "w")) == NULL) {
		sqlite3_reset(st);
		return cli_fail("%s: %s", path, strerror(errno));
	}
	fprintf(f, "phone%cname%cvillage%cgroups%clanguage%copted_out\n",
	    delim, delim, delim, delim, delim);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (col = 0; col < 6; col++) {
			store_copy_text(st, col, v, sizeof(v));
			cli_csv_put(f, v, delim, col == 5);
		}
		n++;
	}
	sqlite3_reset(st);
	if ((f != stdout ? fclose(f) : fflush(f)) != 0 || rc != SQLITE_DONE)
		return cli_fail("cannot export contacts: %s",
		    store_errmsg(c->store));
	if (f != stdout)
		fprintf(stderr, "%s: %d contact%s\n", path, n, n == 1 ? "" :
		    "s");
	return CLI_OK;
}
