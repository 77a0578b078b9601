/*
 * What the admin CLI prints: query rows as a tab-separated table for
 * people, or with --json as JSON for scripts.  A row becomes an object
 * whose keys are the statement's column names (so the SQL names them with
 * AS) and whose values keep SQLite's types: integers, reals, null, text.
 */
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "store.h"

/* A JSON string of s; bytes that are not UTF-8 become '?'. */
json_t *
cli_print_text(const char *s)
{
	json_t	*j;
	char	*copy;
	size_t	 i;

	if (s == NULL)
		s = "";
	if ((j = json_string(s)) != NULL)
		return j;
	if ((copy = strdup(s)) == NULL)
		return NULL;
	for (i = 0; copy[i] != '\0'; i++)
		if ((unsigned char)copy[i] >= 0x80)
			copy[i] = '?';
	j = json_string(copy);
	free(copy);
	return j;
}

/* The current row of a statement as an object keyed by column names. */
json_t *
cli_print_row(sqlite3_stmt *st)
{
	json_t	*o = json_object(), *v;
	int	 i;

	if (o == NULL)
		return NULL;
	for (i = 0; i < sqlite3_column_count(st); i++) {
		switch (sqlite3_column_type(st, i)) {
		case SQLITE_INTEGER:
			v = json_integer((json_int_t)sqlite3_column_int64(st,
			    i));
			break;
		case SQLITE_FLOAT:
			v = json_real(sqlite3_column_double(st, i));
			break;
		case SQLITE_NULL:
			v = json_null();
			break;
		default:
			v = cli_print_text((const char *)sqlite3_column_text(st,
			    i));
			break;
		}
		json_object_set_new(o, sqlite3_column_name(st, i), v);
	}
	return o;
}

/* Every remaining row of a statement as an array; NULL on a read error. */
json_t *
cli_print_rows(sqlite3_stmt *st)
{
	json_t	*a = json_array();
	int	 rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(a, cli_print_row(st));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(a);
		return NULL;
	}
	return a;
}

/* Print a JSON document (reference stolen) on stdout; an exit code. */
int
cli_print_json(struct cli *c, json_t *doc)
{
	int rc;

	(void)c;
	if (doc == NULL)
		return cli_fail("cannot read the database");
	rc = json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	putchar('\n');
	if (rc == -1 || fflush(stdout) != 0)
		return cli_fail("cannot write the output");
	return CLI_OK;
}

/* Print one value in a table cell: tabs and line breaks become spaces. */
static void
cli_print_cell(const unsigned char *t)
{
	for (; t != NULL && *t != '\0'; t++)
		putchar(*t == '\t' || *t == '\n' || *t == '\r' ? ' ' : *t);
}

/*
 * Print every row of a statement: with --json an array of objects, else
 * the header line and one tab-separated line a row (the empty hint when
 * there is none).  Return an exit code.
 */
int
cli_print_stmt(struct cli *c, sqlite3_stmt *st, const char *header,
    const char *empty)
{
	int i, n = 0, rc;

	if (c->json)
		return cli_print_json(c, cli_print_rows(st));
	if (header != NULL)
		printf("%s\n", header);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (i = 0; i < sqlite3_column_count(st); i++) {
			if (i > 0)
				putchar('\t');
			cli_print_cell(sqlite3_column_text(st, i));
		}
		putchar('\n');
		n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return cli_fail("cannot read the database: %s",
		    sqlite3_errstr(rc));
	if (n == 0 && empty != NULL)
		printf("%s\n", empty);
	return CLI_OK;
}

/* Format a unix time as local "YYYY-MM-DD HH:MM" ("-" when unset). */
void
cli_print_time(int64_t t, char *buf, size_t len)
{
	time_t		tt = (time_t)t;
	struct tm	tm;

	if (t <= 0) {
		snprintf(buf, len, "-");
		return;
	}
	localtime_r(&tt, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M", &tm);
}

/*
 * The row of sql (which ends "WHERE id = ?") for id, as JSON in *out;
 * 0 found, 1 none, -1 the database failed (printed).
 */
int
cli_print_lookup(struct cli *c, const char *sql, int64_t id, json_t **out)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(c->store, sql)) == NULL) {
		cli_fail("database: %s", store_errmsg(c->store));
		return -1;
	}
	sqlite3_bind_int64(st, 1, id);
	*out = sqlite3_step(st) == SQLITE_ROW ? cli_print_row(st) : NULL;
	sqlite3_reset(st);
	return *out == NULL;
}
