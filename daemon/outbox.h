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

/*
 * The modems as the outbox sees them.  main.c gives the workers' own
 * functions at start-up, so the outbox never includes or calls the worker
 * code (and the CLI and the tests link without it).
 */
struct outbox_modems {
	struct worker	*(*next_idle)(struct worker *after);	/* NULL: first */
	const char	*(*name)(const struct worker *);
	int		 (*send)(struct worker *, int64_t id, const char *to,
			    const char *text, int reports, int parts_done,
			    int concat_ref);	/* resume a long text */
	int		 (*reports)(const struct worker *);	/* DLRs asked */
	int		 (*room)(const struct worker *);	/* sends it takes now */
};

/* Whom a broadcast's rows go to (broadcast.c's targets). */
enum outbox_audience {
	OUTBOX_TO_GROUP,	/* the members of group name */
	OUTBOX_TO_ALL,		/* every contact */
	OUTBOX_TO_SUBSCRIBERS,	/* subscribers of commodity name */
	OUTBOX_TO_EVENT,	/* registrations of event name */
	OUTBOX_TO_NUMBERS	/* the broadcast's own list of numbers */
};

/* One chunk of a broadcast to queue; contacts with ids in (after, upto]. */
struct outbox_fill {
	enum outbox_audience	 to;
	int64_t			 broadcast;
	const char		*text;		/* may hold {nama} and {desa} */
	const char		*name;		/* group, commodity or event */
	int			 confirmed;	/* event: its confirmed */
	int			 waitlisted;	/* event: its waitlist */
	int64_t			 after;
	int64_t			 upto;
};

/* An audience's size, as outbox_audience finds it. */
struct outbox_audience_size {
	int	reach;		/* opted in: what a broadcast queues */
	int	opted_out;
	int	name_max;	/* characters of the longest name ({nama}) */
	int	village_max;	/* and village ({desa}) */
};

/* States of an outbox row; the database keeps their names. */
enum outbox_state {
	OUTBOX_QUEUED,
	OUTBOX_SENDING,
	OUTBOX_SENT,
	OUTBOX_DELIVERED,
	OUTBOX_FAILED,
	OUTBOX_CANCELLED
};
#define OUTBOX_NSTATES	(OUTBOX_CANCELLED + 1)

int64_t	outbox_enqueue(struct store *, const char *recipient,
	    const char *text, int priority, int64_t inbox_id,
	    int64_t broadcast_id);
int	outbox_set_creator(struct store *, int64_t id, const char *who);
int	outbox_init(struct event_base *, struct store *, const struct conf *);
void	outbox_set_modems(const struct outbox_modems *);
void	outbox_free(void);
const char *outbox_state_name(enum outbox_state);
int	outbox_state_parse(const char *, enum outbox_state *);
void	outbox_kick(void);
void	outbox_sent(const char *modem, int64_t id, const struct wire_sent *);
void	outbox_committed(int ok);
int	outbox_recover(struct store *);
void	outbox_pause(int paused);
int64_t	outbox_claim(const char *modem, int maxprio, char *to, size_t tolen,
	    char *text, size_t textlen);
int	outbox_cancel(struct store *, int64_t id);
int	outbox_retry(struct store *, int64_t id);
int	outbox_cancel_broadcast(struct store *, int64_t broadcast);
int	outbox_fill(struct store *, const struct outbox_fill *);
int	outbox_audience(struct store *, const struct outbox_fill *,
	    struct outbox_audience_size *);
int	outbox_retry_broadcast(struct store *, int64_t broadcast);
int	outbox_report(struct store *, const char *modem, int msg_ref,
	    const char *recipient, int delivered, const char *why);
int	outbox_quiet(const struct conf *, time_t when);
int	outbox_prefix_match(const char *prefixes, const char *recipient);
time_t	outbox_midnight(time_t when, int next);

/* Seconds from queueing to the modem's acceptance, Prometheus style. */
#define OUTBOX_LATENCY_BUCKETS	9
extern const int outbox_latency_le[OUTBOX_LATENCY_BUCKETS];
struct outbox_latency {
	uint64_t	le[OUTBOX_LATENCY_BUCKETS];	/* cumulative */
	uint64_t	count;
	double		sum;
};
const struct outbox_latency *outbox_latency(void);

#endif
