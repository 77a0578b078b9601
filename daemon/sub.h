/* Subscriptions to price alerts (LANGGANAN / UNSUB). */
#ifndef KT_SUB_H
#define KT_SUB_H

#include <stdint.h>

struct store;

int	sub_add(struct store *, int64_t contact, int64_t commodity,
	    int64_t market);
int	sub_remove(struct store *, int64_t contact, int64_t commodity,
	    int64_t market);

#endif
