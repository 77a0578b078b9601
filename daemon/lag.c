/*
 * The loop-lag probe.  A timer every LAG_TICK_MS notes how much later
 * than asked it ran: whatever held the loop (an SQLite wait, a long
 * transaction) held every SMS, socket and timer with it for that long.
 * The worst lateness is on /metrics (kentongan_loop_lag_max_seconds) and
 * in the log at stop; a lag over LAG_WARN_MS is logged when it happens.
 */
#include <time.h>

#include <event2/event.h>

#include "lag.h"
#include "log.h"

#define LAG_TICK_MS	50
#define LAG_WARN_MS	250

static struct {
	struct event	*ev;
	struct timespec	 due;
	int64_t		 worst_us;
	int64_t		 ticks;
} lag;

/* Arm the next tick and note when it is due. */
static void
lag_arm(void)
{
	struct timeval tv = { 0, LAG_TICK_MS * 1000 };

	clock_gettime(CLOCK_MONOTONIC, &lag.due);
	lag.due.tv_nsec += LAG_TICK_MS * 1000000L;
	if (lag.due.tv_nsec >= 1000000000L) {
		lag.due.tv_sec++;
		lag.due.tv_nsec -= 1000000000L;
	}
	evtimer_add(lag.ev, &tv);
}

/* Timer: how late are we? */
static void
lag_on_tick(evutil_socket_t fd, short ev, void *arg)
{
	struct timespec	now;
	int64_t		late;

	(void)fd;
	(void)ev;
	(void)arg;
	clock_gettime(CLOCK_MONOTONIC, &now);
	late = (int64_t)(now.tv_sec - lag.due.tv_sec) * 1000000 +
	    (now.tv_nsec - lag.due.tv_nsec) / 1000;
	if (late > lag.worst_us)
		lag.worst_us = late;
	if (late > LAG_WARN_MS * 1000)
		log_warnx("loop: %lld ms late", (long long)late / 1000);
	lag.ticks++;
	lag_arm();
}

/* Start probing. */
int
lag_init(struct event_base *base)
{
	if ((lag.ev = evtimer_new(base, lag_on_tick, NULL)) == NULL)
		return -1;
	lag_arm();
	return 0;
}

/* The worst lateness so far, in microseconds. */
int64_t
lag_worst_us(void)
{
	return lag.worst_us;
}

/* The ticks so far (the probe is alive when they grow). */
int64_t
lag_ticks(void)
{
	return lag.ticks;
}

/* Stop probing; log the worst lateness. */
void
lag_free(void)
{
	if (lag.ev == NULL)
		return;
	log_info("loop: worst lag %lld ms over %lld ticks",
	    (long long)(lag.worst_us / 1000), (long long)lag.ticks);
	event_free(lag.ev);
	lag.ev = NULL;
}
