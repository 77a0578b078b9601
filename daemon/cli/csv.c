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
 * no row is bad (or --skip-bad is given), are the rows written, in
 * transactions of CLI_CSV_CHUNK rows with a short pause between them, so
 * the daemon's loop never waits on a long import (every save is by key,
 * so an import that stopped half-way is completed by running it again).
 * A kind with a key (contacts: the phone) finds a row's earlier twin in a
 * hash of the rows so far, so a 100,000-row file is checked in linear
 * time.  What differs between prices, contacts and info pages is one
 * struct cli_csv_kind each: the columns, a row check, a key and a save.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>


#include "cli.h"
#include "contact.h"
#include "csvin.h"
#include "group.h"
#include "info.h"
#include "phone.h"
#include "price.h"
#include "store.h"

#define CLI_CSV_FILE_MAX	(16 * 1024 * 1024)
#define CLI_CSV_CHUNK		2000	/* rows written per transaction */
#define CLI_CSV_PAUSE_NS	3000000L /* between them: the daemon's turn */

struct cli_csv_import;

/*
 * What one kind of import knows.  Its row struct starts with `int line`.
 * check fills the row from the fields or writes why it is bad; save
 * stores one row and returns 1 (new), 0 (already there or updated) or -1.
 */
struct cli_csv_kind {
	const char			*noun;		/* "price" */
	const char			*same;		/* "already there" */
	const char			*columns;	/* for messages */
	const struct csvin_column	*cols;
	int				 ncols;
	size_t				 rowsize;
	void	(*check)(struct cli_csv_import *, void *row, char *why,
		    size_t whylen);
	int	(*save)(struct cli *, const void *row);
	/* The row's unique key, or NULL: the check finds twins itself. */
	const char *(*key)(const void *row);
};

/* An import in progress: the header mapping and the good rows so far. */
struct cli_csv_import {
	const struct cli_csv_kind	*kind;
	struct cli			*cli;
	struct csvin_reader		*r;
	int				 header_done;
	int				 col[CSVIN_COLS_MAX];	/* -1 = absent */
	char				*rows;
	size_t				 nrows, cap;
	size_t				*slot;	/* hash of keys: row index + 1 */
	size_t				 nslots;
	int				 bad;
	char				 today[16];
};

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
cli_csv_read(const char *path, int (*row)(struct csvin_reader *, void *),
    void *arg)
{
	char	*buf, err[160];
	size_t	 len;
	int	 rc;

	if ((buf = cli_csv_slurp(path, &len)) == NULL)
		return -1;
	if ((rc = csvin_parse(buf, len, path, row, arg, err, sizeof(err))) ==
	    -1 && err[0] != '\0')
		cli_fail("%s:%s", path, err);
	free(buf);
	return rc;
}

/* Map the header row to the kind's columns; -1 after saying what is wrong. */
static int
cli_csv_header(struct csvin_reader *r, struct cli_csv_import *im)
{
	const struct cli_csv_kind	*k = im->kind;
	char				 err[160];

	if (csvin_header(r, k->cols, k->ncols, k->columns, im->col, err,
	    sizeof(err)) == -1) {
		cli_fail("%s:%s", r->path, err);
		return -1;
	}
	im->header_done = 1;
	return 0;
}

/* A field of the current row by column, trimmed; "" when absent. */
static char *
cli_csv_col(struct cli_csv_import *im, int c)
{
	return csvin_cell(im->r, im->col, c);
}

/* The i-th good row kept so far. */
static void *
cli_csv_row_at(struct cli_csv_import *im, size_t i)
{
	return im->rows + i * im->kind->rowsize;
}

/* FNV-1a of a key. */
static size_t
cli_csv_hash(const char *key)
{
	size_t h = 2166136261u;

	for (; *key != '\0'; key++)
		h = (h ^ (unsigned char)*key) * 16777619u;
	return h;
}

/* Put row i's key in the hash, growing it to stay at most half full. */
static int
cli_csv_index(struct cli_csv_import *im, size_t i)
{
	size_t	*old = im->slot, nold = im->nslots, j, h;

	if ((i + 1) * 2 > im->nslots) {
		im->nslots = im->nslots ? im->nslots * 2 : 1024;
		if ((im->slot = calloc(im->nslots, sizeof(*im->slot))) ==
		    NULL) {
			free(old);
			return -1;
		}
		for (j = 0; j < nold; j++)
			if (old[j] != 0 && cli_csv_index(im, old[j] - 1) == -1)
				return -1;
		free(old);
	}
	h = cli_csv_hash(im->kind->key(cli_csv_row_at(im, i)));
	for (j = h & (im->nslots - 1); im->slot[j] != 0;
	    j = (j + 1) & (im->nslots - 1))
		;
	im->slot[j] = i + 1;
	return 0;
}

/* The line of an earlier good row with this key, or 0. */
static int
cli_csv_twin(struct cli_csv_import *im, const char *key)
{
	const void	*o;
	size_t		 j;

	if (im->nslots == 0)
		return 0;
	for (j = cli_csv_hash(key) & (im->nslots - 1); im->slot[j] != 0;
	    j = (j + 1) & (im->nslots - 1)) {
		o = cli_csv_row_at(im, im->slot[j] - 1);
		if (strcmp(im->kind->key(o), key) == 0)
			return *(const int *)o;
	}
	return 0;
}

/* Check one row (the first is the header); keep it, or report it as bad. */
static int
cli_csv_row(struct csvin_reader *r, void *arg)
{
	struct cli_csv_import	*im = arg;
	const struct cli_csv_kind *k = im->kind;
	char			 why[240] = "", *nrows;
	void			*row;

	im->r = r;
	if (!im->header_done)
		return cli_csv_header(r, im);
	if (im->nrows == im->cap) {
		im->cap = im->cap ? im->cap * 2 : 64;
		if ((nrows = reallocarray(im->rows, im->cap, k->rowsize)) ==
		    NULL) {
			cli_fail("out of memory");
			return -1;
		}
		im->rows = nrows;
	}
	row = cli_csv_row_at(im, im->nrows);
	memset(row, 0, k->rowsize);
	*(int *)row = r->row_line;
	if (csvin_row_ok(r, k->cols, k->ncols, im->col, why,
	    sizeof(why)) == 0)
		k->check(im, row, why, sizeof(why));
	if (why[0] != '\0') {
		fprintf(stderr, "%s:%d: %s\n", r->path, r->row_line, why);
		im->bad++;
		return 0;
	}
	if (k->key != NULL && cli_csv_index(im, im->nrows) == -1) {
		cli_fail("out of memory");
		return -1;
	}
	im->nrows++;
	return 0;
}

/*
 * Write the good rows, CLI_CSV_CHUNK to a transaction, the audit line in
 * the last; count them in added and same.  0, or -1 with the message
 * printed.
 */
static int
cli_csv_write(struct cli *c, struct cli_csv_import *im, const char *path,
    int *added, int *same)
{
	const struct cli_csv_kind	*k = im->kind;
	struct timespec			 pause = { 0, CLI_CSV_PAUSE_NS };
	char				 detail[320], action[32];
	size_t				 i;
	int				 saved;

	for (i = 0; i < im->nrows || i == 0; i++) {
		if (i % CLI_CSV_CHUNK == 0 && store_begin(c->store) == -1) {
			cli_fail("database busy");
			goto fail;
		}
		if (i < im->nrows && (saved = k->save(c,
		    cli_csv_row_at(im, i))) == -1) {
			store_rollback(c->store);
			cli_fail("%s:%d: cannot save: %s", path,
			    *(int *)cli_csv_row_at(im, i),
			    store_errmsg(c->store));
			goto fail;
		}
		if (i < im->nrows)
			*(saved ? added : same) += 1;
		if (i + 1 >= im->nrows)
			break;
		if ((i + 1) % CLI_CSV_CHUNK == 0) {
			if (store_commit(c->store) == -1) {
				store_rollback(c->store);
				cli_fail("%s: cannot save", path);
				goto fail;
			}
			nanosleep(&pause, NULL);
		}
	}
	snprintf(detail, sizeof(detail), "%s: %d added, %d %s, %d bad "
	    "skipped", path, *added, *same, k->same, im->bad);
	snprintf(action, sizeof(action), "%s import", k->noun);
	if (store_audit(c->store, "cli", action, detail) == -1 ||
	    store_commit(c->store) == -1) {
		store_rollback(c->store);
		cli_fail("%s: cannot save", path);
		goto fail;
	}
	return 0;
fail:
	if (*added + *same > 0)
		fprintf(stderr, "kentongan: %s: the %d row%s before it were "
		    "saved; importing the file again completes it\n", path,
		    *added + *same, *added + *same == 1 ? "" : "s");
	else
		fprintf(stderr, "kentongan: %s: nothing imported\n", path);
	return -1;
}

/*
 * NOUN import FILE.csv [--skip-bad]: check every row, then write the good
 * ones in one transaction, or nothing when a row is bad without
 * --skip-bad.  Return an exit code.
 */
static int
cli_csv_import(struct cli *c, const struct cli_csv_kind *k, int argc,
    char **argv)
{
	struct cli_csv_import	 im;
	const char		*path = NULL;
	size_t			 i;
	int			 skip_bad = 0, usage = 0, rc = CLI_ERROR;
	int			 added = 0, same = 0;

	for (i = 0; i < (size_t)argc; i++) {
		if (strcmp(argv[i], "--skip-bad") == 0)
			skip_bad = 1;
		else if (path == NULL && argv[i][0] != '-')
			path = argv[i];
		else
			usage = 1;
	}
	if (path == NULL || usage)
		return cli_bad_usage("usage: %s import FILE.csv [--skip-bad]",
		    strcmp(k->noun, "info page") ? k->noun : "info");
	memset(&im, 0, sizeof(im));
	im.kind = k;
	im.cli = c;
	store_today(im.today, sizeof(im.today));
	if (cli_csv_read(path, cli_csv_row, &im) == -1)
		goto out;
	if (!im.header_done) {
		cli_fail("%s: empty file (expected a header: %s)", path,
		    k->columns);
		goto out;
	}
	if (im.bad > 0 && !skip_bad) {
		cli_fail("%s: %d bad row%s; nothing imported (fix %s, or "
		    "--skip-bad imports the %zu good row%s)", path, im.bad,
		    im.bad == 1 ? "" : "s", im.bad == 1 ? "it" : "them",
		    im.nrows, im.nrows == 1 ? "" : "s");
		goto out;
	}
	if (cli_csv_write(c, &im, path, &added, &same) == -1)
		goto out;
	printf("%s: imported %d %s%s (%d %s, %d bad row%s skipped)\n", path,
	    added, k->noun, added == 1 ? "" : "s", same, k->same, im.bad,
	    im.bad == 1 ? "" : "s");
	rc = CLI_OK;
out:
	free(im.rows);
	free(im.slot);
	return rc;
}

/* Prices: a market survey, checked and stored by price.c. */
/* Check one price row. */
static void
cli_csv_price_check(struct cli_csv_import *im, void *row, char *why,
    size_t len)
{
	price_csv_check(row, im->r, im->col, im->today, why, len);
}

/* Store one price unless the same report is there already. */
static int
cli_csv_price_save(struct cli *c, const void *row)
{
	return price_csv_save(c->store, row, "csv");
}

/* Copy a one-word name upper-cased; -1 when it is not one. */
static int
cli_csv_name(const char *v, char *out, size_t len)
{
	size_t i;

	if (!price_name_ok(v) || strlen(v) >= len)
		return -1;
	for (i = 0; v[i] != '\0'; i++)
		out[i] = (char)toupper((unsigned char)v[i]);
	out[i] = '\0';
	return 0;
}

static const struct cli_csv_kind cli_csv_prices = {
	"price", "already there", PRICE_CSV_COLUMNS, price_csv_cols,
	PRICE_CSV_N, sizeof(struct price_csv_row), cli_csv_price_check,
	cli_csv_price_save, NULL
};

/* price import FILE.csv [--skip-bad] */
int
cli_csv_price_import(struct cli *c, int argc, char **argv)
{
	return cli_csv_import(c, &cli_csv_prices, argc, argv);
}

/* Contacts: a list of people with their groups. */
/* Check one contact row (contact.c's rules); a number twice is an error. */
static void
cli_csv_contact_check(struct cli_csv_import *im, void *row, char *why,
    size_t len)
{
	struct contact_row	*k = row;
	int			 line;

	if (contact_csv_check(k, im->r, im->col, im->cli->conf.country_code,
	    why, len) == -1)
		return;
	if ((line = cli_csv_twin(im, k->phone)) != 0)
		snprintf(why, len, "phone %s is also on line %d", k->phone,
		    line);
}

/* Store one contact: created (1) or updated (0). */
static int
cli_csv_contact_save(struct cli *c, const void *row)
{
	return contact_save(c->store, row);
}

/* A contact row's key: its phone. */
static const char *
cli_csv_contact_key(const void *row)
{
	return ((const struct contact_row *)row)->phone;
}

static const struct cli_csv_kind cli_csv_contacts = {
	"contact", "updated", CONTACT_CSV_COLUMNS, contact_csv_cols,
	CONTACT_CSV_N,
	sizeof(struct contact_row), cli_csv_contact_check,
	cli_csv_contact_save, cli_csv_contact_key
};

/* contact import FILE.csv [--skip-bad] */
int
cli_csv_contact_import(struct cli *c, int argc, char **argv)
{
	return cli_csv_import(c, &cli_csv_contacts, argc, argv);
}

/* Info pages: topic, language and text. */
enum { ICOL_TOPIC, ICOL_LANGUAGE, ICOL_TEXT, ICOL_N };
static const struct csvin_column cli_csv_info_cols[ICOL_N] = {
	{ { "topic", "topik", NULL }, 1 },
	{ { "language", "bahasa", NULL }, 0 },
	{ { "text", "body", "isi", "teks", NULL }, 1 },
};

struct cli_csv_info {
	int	line;
	char	topic[PRICE_NAME_MAX];
	char	language[3];
	char	text[INFO_TEXT_MAX + 1];
};

/* Check one info page row; a topic and language twice is an error. */
static void
cli_csv_info_check(struct cli_csv_import *im, void *row, char *why,
    size_t len)
{
	struct cli_csv_info		*p = row;
	const struct cli_csv_info	*o;
	const char			*v;
	char				 shown[64];
	size_t				 i;

	v = cli_csv_col(im, ICOL_TOPIC);
	if (cli_csv_name(v, p->topic, sizeof(p->topic)) == -1) {
		snprintf(why, len, "topic \"%s\": one word of letters, digits, "
		    "- and _", csvin_shown(v, shown, sizeof(shown)));
		return;
	}
	v = cli_csv_col(im, ICOL_LANGUAGE);
	if (*v == '\0')
		v = "id";
	if (strcasecmp(v, "id") != 0 && strcasecmp(v, "en") != 0) {
		snprintf(why, len, "language \"%s\": id or en",
		    csvin_shown(v, shown, sizeof(shown)));
		return;
	}
	p->language[0] = (char)tolower((unsigned char)v[0]);
	p->language[1] = (char)tolower((unsigned char)v[1]);
	v = cli_csv_col(im, ICOL_TEXT);
	if (*v == '\0' || strlen(v) > INFO_TEXT_MAX) {
		snprintf(why, len, "text: 1 to %d bytes", INFO_TEXT_MAX);
		return;
	}
	snprintf(p->text, sizeof(p->text), "%s", v);
	for (i = 0; i < im->nrows; i++) {
		o = cli_csv_row_at(im, i);
		if (strcmp(o->topic, p->topic) == 0 &&
		    strcmp(o->language, p->language) == 0) {
			snprintf(why, len, "topic %s (%s) is also on line %d",
			    p->topic, p->language, o->line);
			return;
		}
	}
}

/* Store one page: new (1) or replaced (0). */
static int
cli_csv_info_save(struct cli *c, const void *row)
{
	const struct cli_csv_info *p = row;

	return info_set(c->store, p->topic, p->language, p->text);
}

static const struct cli_csv_kind cli_csv_infos = {
	"info page", "replaced", "need topic and text; language (id or en) "
	"is optional", cli_csv_info_cols, ICOL_N, sizeof(struct cli_csv_info),
	cli_csv_info_check, cli_csv_info_save, NULL
};

/* info import FILE.csv [--skip-bad] */
int
cli_csv_info_import(struct cli *c, int argc, char **argv)
{
	return cli_csv_import(c, &cli_csv_infos, argc, argv);
}

/*
 * Write one field, quoted only when it must be.  A cell a spreadsheet
 * would run as a formula gets a leading ' (OWASP), unless it is a phone
 * number we grouped (digits only, no payload possible).
 */
static void
cli_csv_put(FILE *f, const char *v, char delim, int last)
{
	const char	*p;
	int		 quote;

	if (v == NULL)
		v = "";
	quote = strpbrk(v, "\"\r\n") != NULL || strchr(v, delim) != NULL ||
	    (v[0] != '\0' && (isspace((unsigned char)v[0]) ||
	    isspace((unsigned char)v[strlen(v) - 1])));
	if (quote)
		fputc('"', f);
	if (csvin_neutralise(v))
		fputc('\'', f);
	for (p = v; *p != '\0'; p++) {
		if (*p == '"')
			fputc('"', f);
		fputc(*p, f);
	}
	if (quote)
		fputc('"', f);
	fputc(last ? '\n' : delim, f);
}

/* --excel: the file starts with a UTF-8 byte order mark (cli_csv_create). */
static int cli_csv_bom;

/*
 * Parse the arguments of an export: [FILE.csv] [--semicolon|--excel], and
 * --all when all is not NULL.  --excel is what an Indonesian Excel opens
 * as it is: ';' between cells and a UTF-8 byte order mark (phone numbers
 * are always written so it keeps them as text).  Return 0, or the usage
 * exit code after saying so.
 */
static int
cli_csv_export_args(int argc, char **argv, const char *usage,
    const char **path, char *delim, int *all)
{
	int i;

	*path = NULL;
	*delim = ',';
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--semicolon") == 0)
			*delim = ';';
		else if (strcmp(argv[i], "--excel") == 0) {
			*delim = ';';
			cli_csv_bom = 1;
		}
		else if (all != NULL && strcmp(argv[i], "--all") == 0)
			*all = 1;
		else if (*path == NULL && argv[i][0] != '-')
			*path = argv[i];
		else if (*path == NULL && strcmp(argv[i], "-") == 0)
			*path = argv[i];
		else
			return cli_bad_usage("usage: %s", usage);
	}
	if (*path != NULL && strcmp(*path, "-") == 0)
		*path = NULL;
	return 0;
}

/* Open the output file, or stdout without a path; NULL after saying why. */
static FILE *
cli_csv_create(const char *path)
{
	FILE *f;

	if (path == NULL)
		f = stdout;
	else if ((f = fopen(path, "w")) == NULL) {
		cli_fail("%s: %s", path, strerror(errno));
		return NULL;
	}
	if (cli_csv_bom)
		fputs("\xef\xbb\xbf", f);
	return f;
}

/* Flush and close the output; -1 when something was not written. */
static int
cli_csv_finish(FILE *f)
{
	return (f == stdout ? fflush(f) : fclose(f)) == 0 ? 0 : -1;
}

/*
 * Write every row of a statement as CSV headed by its column names; a
 * "phone" column is grouped so a spreadsheet keeps it as text.
 */
static int
cli_csv_write_stmt(struct cli *c, sqlite3_stmt *st, const char *path,
    char delim, const char *what)
{
	FILE		*f;
	const char	*v;
	char		 phone[PHONE_MAX + 8];
	int		 i, n = 0, rc, ncols = sqlite3_column_count(st);

	if ((f = cli_csv_create(path)) == NULL) {
		sqlite3_reset(st);
		return CLI_ERROR;
	}
	for (i = 0; i < ncols; i++)
		cli_csv_put(f, sqlite3_column_name(st, i), delim, i == ncols - 1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (i = 0; i < ncols; i++) {
			v = (const char *)sqlite3_column_text(st, i);
			if (v != NULL && strcmp(sqlite3_column_name(st, i),
			    "phone") == 0) {
				phone_grouped(v, c->conf.country_code, phone,
				    sizeof(phone));
				v = phone;
			}
			cli_csv_put(f, v, delim, i == ncols - 1);
		}
		n++;
	}
	sqlite3_reset(st);
	if (cli_csv_finish(f) == -1 || rc != SQLITE_DONE)
		return cli_fail("cannot export %ss: %s", what,
		    rc != SQLITE_DONE ? store_errmsg(c->store) :
		    strerror(errno));
	if (path != NULL)
		fprintf(stderr, "%s: %d %s%s\n", path, n, what, n == 1 ? "" :
		    "s");
	return CLI_OK;
}

/*
 * Export every row of a prepared statement as CSV, headed by its column
 * names, to [FILE.csv] (stdout without one) with [--semicolon].
 */
int
cli_csv_export_stmt(struct cli *c, sqlite3_stmt *st, int argc, char **argv,
    const char *usage, const char *what)
{
	const char	*path;
	char		 delim;
	int		 rc;

	if ((rc = cli_csv_export_args(argc, argv, usage, &path, &delim,
	    NULL)) != 0) {
		sqlite3_reset(st);
		return rc;
	}
	return cli_csv_write_stmt(c, st, path, delim, what);
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

/* price export [FILE.csv] [--all] [--semicolon] */
int
cli_csv_price_export(struct cli *c, int argc, char **argv)
{
	static const char sql[] = "SELECT c.name AS commodity, m.name AS "
	    "market, p.price, p.unit, p.reported_on AS date FROM prices p "
	    "JOIN commodities c ON c.id = p.commodity_id JOIN markets m ON "
	    "m.id = p.market_id WHERE p.status = 'published' ORDER BY "
	    "p.reported_on, p.id";
	static const char usage[] = "price export [FILE.csv] [--all] "
	    "[--semicolon|--excel]";
	struct cli_csv_export	 ex = { NULL, ',', 0 };
	sqlite3_stmt		*st;
	const char		*path;
	int			 all = 0, rc;

	if ((rc = cli_csv_export_args(argc, argv, usage, &path, &ex.delim,
	    &all)) != 0)
		return rc;
	if (all) {
		if ((st = store_stmt(c->store, sql)) == NULL)
			return cli_fail("%s", store_errmsg(c->store));
		return cli_csv_write_stmt(c, st, path, ex.delim, "price");
	}
	if ((ex.f = cli_csv_create(path)) == NULL)
		return CLI_ERROR;
	fprintf(ex.f, "commodity%cmarket%cprice%cunit%cdate\n", ex.delim,
	    ex.delim, ex.delim, ex.delim);
	rc = price_each_latest(c->store, cli_csv_price_put, &ex) < 0 ? -1 : 0;
	if (cli_csv_finish(ex.f) == -1 || rc == -1)
		return cli_fail("cannot export prices: %s",
		    store_errmsg(c->store));
	if (path != NULL)
		fprintf(stderr, "%s: %d price%s\n", path, ex.n,
		    ex.n == 1 ? "" : "s");
	return CLI_OK;
}

/* contact export [FILE.csv] [--semicolon]: what contact import reads. */
int
cli_csv_contact_export(struct cli *c, int argc, char **argv)
{
	static const char sql[] = "SELECT c.phone, c.name, c.village, "
	    "COALESCE((SELECT group_concat(name, ';') FROM (SELECT g.name "
	    "FROM group_members m JOIN groups g ON g.id = m.group_id WHERE "
	    "m.contact_id = c.id ORDER BY g.name)), '') AS groups, "
	    "c.language, c.opted_out FROM contacts c ORDER BY c.id";
	sqlite3_stmt *st;

	if ((st = store_stmt(c->store, sql)) == NULL)
		return cli_fail("%s", store_errmsg(c->store));
	return cli_csv_export_stmt(c, st, argc, argv, "contact export "
	    "[FILE.csv] [--semicolon|--excel]", "contact");
}

/* info export [FILE.csv] [--semicolon]: what info import reads. */
int
cli_csv_info_export(struct cli *c, int argc, char **argv)
{
	static const char sql[] = "SELECT topic, language, body AS text FROM "
	    "info_pages ORDER BY topic, language";
	sqlite3_stmt *st;

	if ((st = store_stmt(c->store, sql)) == NULL)
		return cli_fail("%s", store_errmsg(c->store));
	return cli_csv_export_stmt(c, st, argc, argv, "info export "
	    "[FILE.csv] [--semicolon|--excel]", "info page");
}
