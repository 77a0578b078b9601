/* The loop-lag probe: how late the event loop gets to a timer. */
#ifndef KT_LAG_H
#define KT_LAG_H

#include <stdint.h>

struct event_base;

int	lag_init(struct event_base *);
int64_t	lag_worst_us(void);
int64_t	lag_ticks(void);
void	lag_free(void);

#endif
