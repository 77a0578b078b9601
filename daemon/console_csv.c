/*
 * The console's CSV files: downloads written as spreadsheets read them,
 * and uploads checked before anything is stored.
 *
 * DESIGN: an upload (contacts, prices) arrives whole in a JSON body, is
 * parsed by csvin.c and every row checked by its owner's own row check
 * (contact.c, price.c), exactly as `kentongan NOUN import` checks it; the
 * answer says what was found: the header mapping, the first good rows,
 * every bad row with its line and why.  Only when asked to write, and
 * only when no row is bad or the bad ones are to be skipped, are the good
 * rows stored by the owner, in one audited transaction.  What differs
 * between contacts and prices is one struct console_csv_kind each.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>

#include "console.h"
#include "csvin.h"
#include "log.h"
#include "store.h"
#include "user.h"

#define CONSOLE_IMPORT_ROWS	2000	/* rows of an upload (one CLI chunk) */
#define CONSOLE_IMPORT_SHOWN	200	/* bad rows listed */
#define CONSOLE_IMPORT_PREVIEW	5	/* good rows shown */

/*
 * One CSV field; a field a spreadsheet would take for a formula (=, +,
 * -, @, tab, CR, but not a phone number) is written with a leading
 * apostrophe.  delim ',' quotes every field (our comma files); ';' is
 * the spreadsheet format, quoted only where it must be.
 */
static void
console_csv_field(struct evbuffer *b, const char *s, char delim, int last)
{
	int quote = delim == ',' || strpbrk(s, "\";\r\n") != NULL;

	if (quote)
		evbuffer_add(b, "\"", 1);
	if (csvin_neutralise(s))
		evbuffer_add(b, "'", 1);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			evbuffer_add(b, "\"", 1);	/* doubled */
		evbuffer_add(b, s, 1);
	}
	if (quote)
		evbuffer_add(b, "\"", 1);
	evbuffer_add(b, last ? "\r\n" : &delim, last ? 2 : 1);
}

/*
 * Start a CSV answer: with excel, a UTF-8 byte order mark and ';' between
 * cells (what an Indonesian Excel opens as it is, as `--excel` writes),
 * else ','; then the header, names separated by ','.  Returns the body.
 */
struct evbuffer *
console_csv_start(struct evhttp_request *req, const char *header, int excel)
{
	struct evbuffer	*b = evhttp_request_get_output_buffer(req);
	char		 line[256];
	char		*p;

	snprintf(line, sizeof(line), "%s", header);
	for (p = line; excel && (p = strchr(p, ',')) != NULL; p++)
		*p = ';';
	evbuffer_add_printf(b, "%s%s\r\n", excel ? "\xef\xbb\xbf" : "", line);
	return b;
}

/* One row of n cells. */
void
console_csv_row(struct evbuffer *b, const char *const *cells, int n,
    int excel)
{
	int i;

	for (i = 0; i < n; i++)
		console_csv_field(b, cells[i] != NULL ? cells[i] : "",
		    excel ? ';' : ',', i == n - 1);
}

/* Send what was written as a file named filename. */
void
console_csv_done(struct evhttp_request *req, const char *filename)
{
	struct evkeyvalq	*h = evhttp_request_get_output_headers(req);
	char			 disp[128];

	snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"", filename);
	evhttp_add_header(h, "Content-Type", "text/csv; charset=utf-8");
	evhttp_add_header(h, "Content-Disposition", disp);
	evhttp_add_header(h, "Cache-Control", "no-store");
	evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
	evhttp_send_reply(req, 200, "OK", NULL);
}

/*
 * Answer with a statement's rows as a comma CSV file named filename,
 * under a header line of ncols names; the statement is stepped and reset.
 */
void
console_csv_send(struct evhttp_request *req, sqlite3_stmt *st,
    const char *header, int ncols, const char *filename)
{
	struct evbuffer	*b = console_csv_start(req, header, 0);
	const char	*cells[CSVIN_FIELDS_MAX];
	int		 i, rc;

	if (ncols > CSVIN_FIELDS_MAX)
		fatalx("console: %d CSV columns", ncols);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (i = 0; i < ncols; i++)
			cells[i] = (const char *)sqlite3_column_text(st, i);
		console_csv_row(b, cells, ncols, 0);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {	/* never a file cut short, as if whole */
		evbuffer_drain(b, evbuffer_get_length(b));
		console_error(req, 500, "cannot read the database");
		return;
	}
	console_csv_done(req, filename);
}

/* An upload being checked: the header mapping, the good rows, the bad. */
struct console_import {
	const struct console_csv_kind	*kind;
	int				 header_done;
	int				 col[CSVIN_COLS_MAX];
	char				*rows;
	size_t				 nrows, cap;
	int				 nbad;
	json_t				*bad;		/* [{line, why}] */
	json_t				*mapping;	/* {column: header} */
	char				 err[160];
};

/* The i-th good row kept so far (each starts with its int line). */
static void *
console_import_at(const struct console_import *im, size_t i)
{
	return im->rows + i * im->kind->rowsize;
}

/* The header: which of its columns each field was found in. */
static int
console_import_header(struct csvin_reader *r, struct console_import *im)
{
	const struct console_csv_kind	*k = im->kind;
	int				 c;

	if (csvin_header(r, k->cols, k->ncols, k->columns, im->col, im->err,
	    sizeof(im->err)) == -1)
		return -1;
	for (c = 0; c < k->ncols; c++)
		json_object_set_new(im->mapping, k->cols[c].names[0],
		    im->col[c] >= 0 ? json_string(r->field[im->col[c]]) :
		    json_null());
	im->header_done = 1;
	return 0;
}

/* Make room for one more row; -1 when there is none. */
static int
console_import_grow(struct csvin_reader *r, struct console_import *im)
{
	char *nrows;

	if (im->nrows == CONSOLE_IMPORT_ROWS) {
		snprintf(im->err, sizeof(im->err), "%d: more than %d rows: "
		    "import this file with %s", r->line, CONSOLE_IMPORT_ROWS,
		    im->kind->cli);
		return -1;
	}
	if (im->nrows < im->cap)
		return 0;
	im->cap = im->cap ? im->cap * 2 : 64;
	if ((nrows = reallocarray(im->rows, im->cap, im->kind->rowsize)) ==
	    NULL) {
		snprintf(im->err, sizeof(im->err), "out of memory");
		return -1;
	}
	im->rows = nrows;
	return 0;
}

/* The line of an earlier good row with the same key as row, or 0. */
static int
console_import_twin(const struct console_import *im, const void *row)
{
	const char	*key = im->kind->key(row);
	size_t		 i;

	for (i = 0; i < im->nrows; i++)
		if (strcmp(im->kind->key(console_import_at(im, i)), key) == 0)
			return *(const int *)console_import_at(im, i);
	return 0;
}

/* Check one row as the CLI does; keep it, or list it as bad. */
static int
console_import_row(struct csvin_reader *r, void *arg)
{
	struct console_import		*im = arg;
	const struct console_csv_kind	*k = im->kind;
	char				 why[240] = "";
	void				*row;
	int				 line;

	if (!im->header_done)
		return console_import_header(r, im);
	if (console_import_grow(r, im) == -1)
		return -1;
	row = console_import_at(im, im->nrows);
	memset(row, 0, k->rowsize);
	*(int *)row = r->row_line;
	if (csvin_row_ok(r, k->cols, k->ncols, im->col, why,
	    sizeof(why)) == 0 && k->check(row, r, im->col, why,
	    sizeof(why)) == 0 && k->key != NULL &&
	    (line = console_import_twin(im, row)) != 0)
		snprintf(why, sizeof(why), "%s %s is also on line %d",
		    k->key_name, k->key(row), line);
	if (why[0] == '\0') {
		im->nrows++;
		return 0;
	}
	if (im->nbad++ < CONSOLE_IMPORT_SHOWN)
		json_array_append_new(im->bad, json_pack("{s:i, s:s}", "line",
		    r->row_line, "why", why));
	return 0;
}

/* The first good rows as they would be stored. */
static json_t *
console_import_preview(const struct console_import *im)
{
	json_t	*a = json_array();
	size_t	 i;

	for (i = 0; i < im->nrows && i < CONSOLE_IMPORT_PREVIEW; i++)
		json_array_append_new(a, im->kind->show(console_import_at(im,
		    i)));
	return a;
}

/* Save the good rows in one audited transaction; -1 after an answer. */
static int
console_import_write(struct evhttp_request *req, const char *actor,
    const struct console_import *im, int *added)
{
	char	detail[128];
	size_t	i;
	int	rc = 0;

	*added = 0;
	if (console_begin(req) == -1)
		return -1;
	for (i = 0; i < im->nrows && rc != -1; i++)
		if ((rc = im->kind->save(console_store(),
		    console_import_at(im, i))) == 1)
			(*added)++;
	snprintf(detail, sizeof(detail), "upload: %d added, %d %s, %d bad "
	    "skipped", *added, (int)im->nrows - *added, im->kind->same,
	    im->nbad);
	return console_commit(req, rc == -1 || store_audit(console_store(),
	    actor, im->kind->audit, detail) == -1,
	    "cannot save; nothing imported");
}

/* The upload's text from the body {csv}; NULL after a 400. */
static char *
console_import_text(struct evhttp_request *req, json_t *doc)
{
	json_t	*csv = json_object_get(doc, "csv");
	char	*buf;

	if (!json_is_string(csv) || (buf = strndup(json_string_value(csv),
	    json_string_length(csv))) == NULL) {
		console_error(req, 400, "expected {\"csv\": the file's text}");
		return NULL;
	}
	return buf;
}

/*
 * POST {csv, write, skip_bad}: check an uploaded file as `kentongan NOUN
 * import` does and say what it found: the column mapping, the first good
 * rows, every bad row with its line and why.  With write, store the good
 * rows in one transaction: only when no row is bad, or with skip_bad.
 */
void
console_csv_import(struct evhttp_request *req, const struct user_session *u,
    const struct console_csv_kind *k)
{
	struct console_import	 im;
	json_t			*doc;
	char			*buf = NULL, msg[200], err[160];
	int			 write, skip_bad, added = 0;

	memset(&im, 0, sizeof(im));
	im.kind = k;
	if ((doc = console_body(req)) == NULL)
		return;
	write = json_is_true(json_object_get(doc, "write"));
	skip_bad = json_is_true(json_object_get(doc, "skip_bad"));
	if ((buf = console_import_text(req, doc)) == NULL)
		goto out;
	im.bad = json_array();
	im.mapping = json_object();
	if (csvin_parse(buf, strlen(buf), "upload", console_import_row, &im,
	    err, sizeof(err)) == -1 || !im.header_done) {
		if (im.err[0] != '\0' || err[0] != '\0')
			snprintf(msg, sizeof(msg), "line %s", im.err[0] != '\0' ?
			    im.err : err);
		else
			snprintf(msg, sizeof(msg), "line 1: empty file (expected "
			    "a header: %s)", k->columns);
		console_error(req, 400, msg);
		goto out;
	}
	if (write && im.nbad > 0 && !skip_bad) {
		snprintf(msg, sizeof(msg), "%d bad row%s; nothing imported",
		    im.nbad, im.nbad == 1 ? "" : "s");
		console_error(req, 409, msg);
		goto out;
	}
	if (write && console_import_write(req, u->name, &im, &added) == -1)
		goto out;
	if (write)
		log_info("console: %s imported %zu %ss (%d bad skipped)",
		    u->name, im.nrows, k->noun, im.nbad);
	console_json(req, 200, json_pack("{s:O, s:o, s:I, s:i, s:O, s:b, "
	    "s:i, s:I}", "mapping", im.mapping, "preview",
	    console_import_preview(&im), "good", (json_int_t)im.nrows, "nbad",
	    im.nbad, "bad", im.bad, "written", write, "added", added,
	    "updated", (json_int_t)(write ? (int)im.nrows - added : 0)));
out:
	json_decref(im.bad);
	json_decref(im.mapping);
	free(im.rows);
	free(buf);
	json_decref(doc);
}
