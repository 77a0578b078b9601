/* The modems table: each modem's state, counters and SIM balance. */
#ifndef KT_MODEMS_H
#define KT_MODEMS_H

#include <stdint.h>

#include "wire.h"

struct store;

/* What a worker last said about its modem. */
struct modems_state {
	const char			*name;
	const char			*state;		/* worker_state_name() */
	const char			*error;		/* "" when none */
	const struct wire_hello		*hello;
	const struct wire_health	*health;
};

int	modems_received(struct store *, const char *name);
int	modems_sent(struct store *, const char *name, int parts, int failed);
int	modems_status(struct store *, const struct modems_state *);
int	modems_balance(struct store *, const char *name, const char *answer,
	    int matched, int64_t amount);
int	modems_balance_alert_day(struct store *, const char *name,
	    const char *today);

#endif
