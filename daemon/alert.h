/* Price alerts: a text to each subscriber when a price is published. */
#ifndef KT_ALERT_H
#define KT_ALERT_H

#include <stdint.h>

struct store;
struct conf;

int	alert_price(struct store *, const struct conf *, int64_t price_id);

#endif
