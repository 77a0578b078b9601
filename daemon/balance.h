/* SIM balance checks: a USSD code per modem, its answer parsed to rupiah. */
#ifndef KT_BALANCE_H
#define KT_BALANCE_H

#include <stddef.h>
#include <stdint.h>

struct event_base;
struct store;
struct conf;

#define BALANCE_AMOUNT_MAX	1000000000000LL	/* rupiah; more is a misread */
#define BALANCE_FIRST_DELAY	10	/* seconds after a modem comes up */

int	balance_parse_amount(const char *s, int64_t *out);
int	balance_match(const char *pattern, const char *text, int64_t *amount,
	    char *why, size_t whylen);
int	balance_record(struct store *, const struct conf *, const char *modem,
	    int64_t request_id, const char *text);
int64_t	balance_queue(struct store *, const char *modem, const char *code);

int	balance_init(struct event_base *, struct store *, const struct conf *);
void	balance_modem_state(const char *modem, int up);
void	balance_reload(void);
void	balance_free(void);

#endif
