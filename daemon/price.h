/* Market prices: commodities, markets and the reports of their prices. */
#ifndef KT_PRICE_H
#define KT_PRICE_H

#include <stddef.h>
#include <stdint.h>

#include "csvin.h"

struct store;

#define PRICE_NAME_MAX	64
#define PRICE_NAME_CHARS	31	/* of a commodity or market name */
#define PRICE_UNIT_MAX	16

struct price_row {
	int64_t	id;
	char	commodity[PRICE_NAME_MAX];	/* keyword, e.g. CABAI */
	char	commodity_display[PRICE_NAME_MAX];
	char	market[PRICE_NAME_MAX];
	char	market_display[PRICE_NAME_MAX];
	char	unit[PRICE_UNIT_MAX];
	char	date[11];			/* YYYY-MM-DD */
	int64_t	price;				/* rupiah */
	int64_t	previous;			/* earlier report, 0 if none */
};

/* A field reporter's price (LAPOR), held or published by price.c. */
struct price_report {
	const char	*commodity;		/* keyword, known */
	const char	*market;		/* keyword, created if new */
	const char	*unit;			/* "" for the commodity's */
	const char	*date;			/* YYYY-MM-DD */
	int64_t		 price;
	int64_t		 reporter;		/* contact id */
	int		 hold_percent;		/* conf report_hold_percent */
};

typedef int (*price_cb)(const struct price_row *, void *arg);

int	price_parse(const char *s, int64_t *out);
void	price_format(int64_t v, char *buf, size_t len);
void	price_change(const struct price_row *, char *buf, size_t len);
int	price_name_ok(const char *s);
int	price_name_clean(const char *in, char *out, size_t outlen);
int	price_set(struct store *, const char *commodity, const char *market,
	    int64_t price, const char *unit, const char *date,
	    const char *source, int64_t *id_out);
int	price_report(struct store *, const struct price_report *,
	    int64_t *id_out);
int	price_remove(struct store *, int64_t id);
int	price_review(struct store *, int64_t id, int approve);
int	price_unlink_reporter(struct store *, int64_t contact);
int64_t	price_commodity_id(struct store *, const char *name,
	    char *canon, size_t canonlen);
int64_t	price_market_id(struct store *, const char *name,
	    char *canon, size_t canonlen);
int	price_latest(struct store *, int64_t commodity_id, int64_t market_id,
	    struct price_row *);
int	price_each_market(struct store *, int64_t commodity_id, price_cb,
	    void *arg);
int	price_each_latest(struct store *, price_cb, void *arg);
int	price_commodity_names(struct store *, char *buf, size_t len);
int	price_market_names(struct store *, int64_t commodity_id, char *buf,
	    size_t len);
int64_t	price_commodity_guess(struct store *, const char *typed,
	    char *canon, size_t canonlen);
int64_t	price_market_guess(struct store *, const char *typed, char *canon,
	    size_t canonlen);
int	price_suggest_commodity(struct store *, const char *typed, int limit,
	    char *out, size_t outlen);

/* The columns of a prices CSV file (csvin.h), a row, its check and save. */
enum { PRICE_CSV_COMMODITY, PRICE_CSV_MARKET, PRICE_CSV_PRICE,
    PRICE_CSV_UNIT, PRICE_CSV_DATE, PRICE_CSV_N };
#define PRICE_CSV_COLUMNS "need commodity, market, price; unit and date " \
	"are optional"
extern const struct csvin_column price_csv_cols[PRICE_CSV_N];

struct price_csv_row {
	int	line;			/* CSV line */
	char	commodity[PRICE_NAME_MAX];
	char	market[PRICE_NAME_MAX];
	char	unit[PRICE_UNIT_MAX];	/* "" for the commodity's */
	char	date[11];		/* YYYY-MM-DD */
	int64_t	price;
};

int	price_csv_check(struct price_csv_row *, struct csvin_reader *,
	    const int *col, const char *today, char *why, size_t len);
int	price_csv_save(struct store *, const struct price_csv_row *,
	    const char *source);

#endif
