/* The loop's side of the modem workers: spawn, watch, restart, talk. */
#ifndef KT_WORKER_H
#define KT_WORKER_H

#include <stdint.h>
#include <sys/types.h>

struct event_base;
struct conf;
struct conf_modem;
struct wire_sms_in;
struct wire_sent;
struct wire_health;
struct wire_hello;
struct wire_report;
struct wire_ussd_reply;
struct worker;

/* What the daemon does with what workers report. */
struct worker_hooks {
	/* A part was read; return 0 once it is committed. */
	int	(*received)(void *arg, const char *modem,
		    const struct wire_sms_in *);
	/* A send finished (or the worker died before it did: NULL). */
	void	(*sent)(void *arg, const char *modem, int64_t outbox_id,
		    const struct wire_sent *);
	/* A delivery report was read; return 0 once it is applied. */
	int	(*report)(void *arg, const char *modem,
		    const struct wire_report *);
	/* A worker became idle: give it work. */
	void	(*idle)(void *arg);
	/* State or health changed: record it. */
	void	(*status)(void *arg, const struct worker *);
	void	*arg;
	/* A USSD code dialled with worker_ussd() was answered (or not). */
	void	(*ussd)(void *arg, const char *modem,
		    const struct wire_ussd_reply *);
	/*
	 * Around the parts, results and reports of one read (end 0, then
	 * 1): one transaction; at the end return 0 once it is committed.
	 */
	int	(*batch)(void *arg, int end);
};

enum worker_state {
	WORKER_STARTING,	/* forked, opening the modem */
	WORKER_READY,		/* modem open */
	WORKER_DOWN,		/* waiting to restart */
	WORKER_FAILED,		/* will not restart until reload */
	WORKER_STOPPING,	/* asked to exit */
	WORKER_STOPPED,
};

int		 worker_init(struct event_base *, const struct conf *,
		    const struct worker_hooks *, int debug);
void		 worker_shutdown(void (*done)(void *), void *arg);
void		 worker_free_all(void);
void		 worker_reload(const struct conf *);
void		 worker_reap(void);
struct worker	*worker_next_idle(struct worker *after);
int		 worker_send(struct worker *, int64_t outbox_id,
		    const char *recipient, const char *text, int want_report,
		    int parts_done, int concat_ref);
const char	*worker_name(const struct worker *);
enum worker_state worker_state(const struct worker *);
const char	*worker_state_name(enum worker_state);
const char	*worker_error(const struct worker *);
const struct wire_hello *worker_hello(const struct worker *);
const struct wire_health *worker_health(const struct worker *);
int		 worker_count(void);
int		 worker_ussd(const char *modem, int64_t id, const char *code,
		    int timeout);
int		 worker_delivery_reports(const struct worker *);
int		 worker_room(const struct worker *);
int		 worker_inflight(const struct worker *);

#endif
