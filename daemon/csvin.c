/*
 * Reading CSV from spreadsheets, with libcsv, for the CLI's imports and
 * the console's uploads.
 *
 * DESIGN: a UTF-8 BOM is skipped, and the separator is whichever of ','
 * and ';' the header line has more of outside quotes (spreadsheets in
 * Indonesian locales write ';').  The text is fed to libcsv one physical
 * line at a time so that every row knows the line it starts on, even with
 * quoted newlines.  Columns are found by header name, English or
 * Indonesian, in any case and order; other columns are ignored.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <csv.h>

#include "csvin.h"

/* Tell whether s is valid UTF-8. */
int
csvin_utf8_ok(const char *s)
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
csvin_on_field(void *s, size_t len, void *arg)
{
	struct csvin_reader	*r = arg;
	size_t			 i, nl = 0;

	if (r->nfields == 0) {
		for (i = 0; i < len; i++)
			nl += ((const char *)s)[i] == '\n';
		r->row_line = r->line - (int)nl;
	}
	if (r->nfields >= CSVIN_FIELDS_MAX) {
		r->toolong = 1;
		return;
	}
	if (len >= CSVIN_FIELD_MAX) {
		r->toolong = 1;
		len = CSVIN_FIELD_MAX - 1;
	}
	memcpy(r->field[r->nfields], s != NULL ? s : "", s != NULL ? len : 0);
	r->field[r->nfields][s != NULL ? len : 0] = '\0';
	r->nfields++;
}

/* libcsv: one row ended; hand it to the row callback. */
static void
csvin_on_row(int c, void *arg)
{
	struct csvin_reader	*r = arg;
	int			 i, empty = 1;

	(void)c;
	for (i = 0; i < r->nfields; i++)
		if (r->field[i][0] != '\0')
			empty = 0;
	if (!empty && !r->failed && r->row(r, r->arg) == -1)
		r->failed = 1;
	r->nfields = 0;
	r->toolong = 0;
	r->row_start = r->line + 1;
}

/* Pick the separator: the more frequent of ',' and ';' on the first line. */
static unsigned char
csvin_delim(const char *buf, size_t len)
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

/*
 * Parse CSV text (buf, NUL-terminated, is changed) and call row for each
 * non-empty row, the header too.  Return 0; -1 when the row callback
 * said stop, or with "LINE: why" in err when the quoting is wrong.
 */
int
csvin_parse(char *buf, size_t len, const char *path,
    int (*row)(struct csvin_reader *, void *), void *arg, char *err,
    size_t errlen)
{
	struct csvin_reader	*r;
	struct csv_parser	 p;
	char			*s = buf, *nl;
	size_t			 n;
	int			 rc = -1;

	err[0] = '\0';
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	r->path = path;
	r->row = row;
	r->arg = arg;
	r->row_start = 1;
	if (len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
		s += 3;
		len -= 3;
	}
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		free(r);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	csv_set_delim(&p, csvin_delim(s, len));
	while (len > 0 && !r->failed) {
		r->line++;
		nl = memchr(s, '\n', len);
		n = nl != NULL ? (size_t)(nl - s) + 1 : len;
		if (csv_parse(&p, s, n, csvin_on_field, csvin_on_row, r) !=
		    n) {
			snprintf(err, errlen, "%d: %s (a stray or unclosed \")",
			    r->line, csv_strerror(csv_error(&p)));
			goto out;
		}
		s += n;
		len -= n;
	}
	if (!r->failed && csv_fini(&p, csvin_on_field, csvin_on_row,
	    r) != 0) {
		snprintf(err, errlen, "%d: a quoted field is not closed",
		    r->nfields > 0 ? r->row_line : r->row_start);
		goto out;
	}
	rc = r->failed ? -1 : 0;
out:
	csv_free(&p);
	free(r);
	return rc;
}

/*
 * Tell whether a spreadsheet would read a cell as a formula: it starts
 * with = + - @, a tab or a carriage return (OWASP's list).
 */
int
csvin_formula(const char *v)
{
	return v[0] != '\0' && strchr("=+-@\t\r", v[0]) != NULL;
}

/*
 * Whether an export writes v with a leading apostrophe: a formula, but
 * not a phone number, plain (+628...) or grouped (+62 812-3456-7890),
 * which has 8 digits at least ("+1-2" is a sum a spreadsheet would do).
 */
int
csvin_neutralise(const char *v)
{
	size_t	i, digits = 0;

	if (!csvin_formula(v))
		return 0;
	if (v[0] != '+' || strspn(v + 1, "0123456789 -") != strlen(v + 1))
		return 1;
	for (i = 1; v[i] != '\0'; i++)
		digits += isdigit((unsigned char)v[i]) != 0;
	return digits < 8;
}

/*
 * Trim spaces from both ends of s in place, but keep one space before a
 * formula character: " =x" must not turn into the formula "=x".  The '
 * an export puts before a formula is dropped, so "=x" comes back as was.
 */
char *
csvin_trim(char *s)
{
	const char	*start = s;
	size_t		 n;

	while (isspace((unsigned char)*s))
		s++;
	if (s > start && csvin_formula(s) && *s != '\t' && *s != '\r')
		*--s = ' ';
	else if (s[0] == '\'' && csvin_formula(s + 1))
		s++;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

/*
 * A header as the column tables spell it: lower-case letters and digits
 * only, so "No. Telp", "Nomor HP" and "nama_lengkap" are "notelp",
 * "nomorhp" and "namalengkap".
 */
static void
csvin_header_key(const char *h, char *key, size_t len)
{
	size_t o = 0;

	for (; *h != '\0' && o + 1 < len; h++)
		if (isalnum((unsigned char)*h))
			key[o++] = (char)tolower((unsigned char)*h);
	key[o] = '\0';
}

/* Make a field safe to quote in a message: control characters become '?'. */
const char *
csvin_shown(const char *v, char *buf, size_t len)
{
	size_t i;

	for (i = 0; v[i] != '\0' && i + 1 < len; i++)
		buf[i] = (unsigned char)v[i] < 0x20 || v[i] == 0x7f ? '?' :
		    v[i];
	buf[i] = '\0';
	return buf;
}

/*
 * Map the header row to the columns (col[c] is the field, -1 when
 * absent); 0, or -1 with "LINE: what is wrong" in err.
 */
int
csvin_header(struct csvin_reader *r, const struct csvin_column *cols,
    int ncols, const char *columns, int *col, char *err, size_t errlen)
{
	const char	*h;
	char		 key[CSVIN_FIELD_MAX];
	int		 i, c, n;

	for (c = 0; c < ncols; c++)
		col[c] = -1;
	for (i = 0; i < r->nfields; i++) {
		h = csvin_trim(r->field[i]);
		csvin_header_key(h, key, sizeof(key));
		for (c = 0; c < ncols; c++)
			for (n = 0; n < CSVIN_NAMES_MAX &&
			    cols[c].names[n] != NULL; n++)
				if (strcmp(key, cols[c].names[n]) == 0)
					goto found;
		continue;
found:
		if (col[c] != -1) {
			snprintf(err, errlen, "%d: column \"%s\" appears "
			    "twice", r->row_line, h);
			return -1;
		}
		col[c] = i;
	}
	for (c = 0; c < ncols; c++)
		if (cols[c].required && col[c] == -1) {
			snprintf(err, errlen, "%d: the header has no \"%s\" "
			    "column (%s)", r->row_line, cols[c].names[0],
			    columns);
			return -1;
		}
	return 0;
}

/* A field of the current row by column, trimmed; "" when absent. */
char *
csvin_cell(struct csvin_reader *r, const int *col, int c)
{
	if (col[c] < 0 || col[c] >= r->nfields)
		return (char *)"";
	return csvin_trim(r->field[col[c]]);
}

/*
 * What every row must be before its own check: UTF-8 in every column,
 * no field cut short.  0, or -1 with why.
 */
int
csvin_row_ok(struct csvin_reader *r, const struct csvin_column *cols,
    int ncols, const int *col, char *why, size_t len)
{
	int c;

	for (c = 0; c < ncols; c++)
		if (!csvin_utf8_ok(csvin_cell(r, col, c))) {
			snprintf(why, len, "%s: not UTF-8 (save the file as "
			    "\"CSV UTF-8\")", cols[c].names[0]);
			return -1;
		}
	if (r->toolong) {
		snprintf(why, len, "a field is longer than %d bytes or there "
		    "are more than %d columns", CSVIN_FIELD_MAX - 1,
		    CSVIN_FIELDS_MAX);
		return -1;
	}
	return 0;
}
