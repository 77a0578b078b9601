/* Reading CSV files from spreadsheets: the CLI's imports and the console's. */
#ifndef KT_CSVIN_H
#define KT_CSVIN_H

#include <stddef.h>

#define CSVIN_FIELDS_MAX	32
#define CSVIN_FIELD_MAX		1024
#define CSVIN_COLS_MAX		8

/* One row as libcsv hands it over, with the line it starts on. */
struct csvin_reader {
	const char	*path;			/* for messages */
	int		 line;			/* line being parsed */
	int		 row_line;		/* line the row starts on */
	int		 row_start;		/* line the next row starts on */
	int		 nfields;
	int		 toolong;		/* a field did not fit */
	char		 field[CSVIN_FIELDS_MAX][CSVIN_FIELD_MAX];
	int		(*row)(struct csvin_reader *, void *);
	void		*arg;
	int		 failed;		/* the row callback said stop */
};

/* A column of an import and the header names that mean it. */
#define CSVIN_NAMES_MAX	12

struct csvin_column {
	const char	*names[CSVIN_NAMES_MAX];	/* letters and digits */
	int		 required;
};

int	csvin_parse(char *buf, size_t len, const char *path,
	    int (*row)(struct csvin_reader *, void *), void *arg, char *err,
	    size_t errlen);
int	csvin_header(struct csvin_reader *, const struct csvin_column *,
	    int ncols, const char *columns, int *col, char *err,
	    size_t errlen);
char	*csvin_cell(struct csvin_reader *, const int *col, int c);
int	csvin_row_ok(struct csvin_reader *, const struct csvin_column *,
	    int ncols, const int *col, char *why, size_t len);
int	csvin_utf8_ok(const char *);
char	*csvin_trim(char *);
int	csvin_formula(const char *);
int	csvin_neutralise(const char *);
const char *csvin_shown(const char *, char *buf, size_t len);

#endif
