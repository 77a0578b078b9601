/* The outbox: the one durable path of every outgoing SMS. */
#ifndef KT_OUTBOX_H
#define KT_OUTBOX_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define OUTBOX_PRIO_REPLY	0
#define OUTBOX_PRIO_ALERT	1
#define OUTBOX_PRIO_BROADCAST	2

#define OUTBOX_RETRY_MAX	3600	/* longest retry delay, seconds */

struct store;
struct conf;
struct conf_modem;
struct event_base;
struct wire_sent;
struct worker;

/* The modem workers, as the daemon gives them (worker.c's functions). */
struct outbox_workers {
	struct worker	*(*next_idle)(struct worker *after);
	const char	*(*name)(const struct worker *);
	int		 (*send)(struct worker *, int64_t outbox_id,
			    const char *to, const char *text, int report);
	int		 (*delivery_reports)(const struct worker *);
};

int64_t	outbox_enqueue(struct store *, const char *recipient,
	    const char *text, int priority, int64_t inbox_id,
	    int64_t broadcast_id);
int	outbox_init(struct event_base *, struct store *, const struct conf *);
void	outbox_set_workers(const struct outbox_workers *);
void	outbox_free(void);
void	outbox_kick(void);
void	outbox_sent(const char *modem, int64_t id, const struct wire_sent *);
int	outbox_recover(struct store *);
void	outbox_pause(int paused);
int64_t	outbox_claim(const char *modem, int maxprio, char *to, size_t tolen,
	    char *text, size_t textlen);
int	outbox_cancel(struct store *, int64_t id);
int	outbox_retry(struct store *, int64_t id);
int	outbox_quiet(const struct conf *, time_t when);
int	outbox_prefix_match(const char *prefixes, const char *recipient);
time_t	outbox_midnight(time_t when, int next);

#endif
