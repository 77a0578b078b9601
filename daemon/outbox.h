/* The outbox: the one durable path of every outgoing SMS. */
#ifndef KT_OUTBOX_H
#define KT_OUTBOX_H

#include <stdint.h>

#define OUTBOX_PRIO_REPLY	0
#define OUTBOX_PRIO_ALERT	1
#define OUTBOX_PRIO_BROADCAST	2

struct store;
struct event_base;
struct wire_sent;

int64_t	outbox_enqueue(struct store *, const char *recipient,
	    const char *text, int priority, int64_t inbox_id,
	    int64_t broadcast_id);
int	outbox_init(struct event_base *, struct store *);
void	outbox_free(void);
void	outbox_kick(void);
void	outbox_sent(const char *modem, int64_t id, const struct wire_sent *);
int	outbox_recover(struct store *);
void	outbox_pause(int paused);

#endif
