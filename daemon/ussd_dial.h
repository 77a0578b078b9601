/* Modem USSD requests (`kentongan ussd dial`, balance checks): the
 * sole writer of ussd_requests. */
#ifndef KT_USSD_DIAL_H
#define KT_USSD_DIAL_H

struct event_base;
struct store;
struct conf;
struct wire_ussd_reply;

#define USSD_DIAL_TIMEOUT	30	/* seconds a modem waits for the network */
#define USSD_DIAL_QUEUE_MAX	60	/* seconds a request waits for a modem */

#include <stdint.h>

/* How the dialler reaches the rest of the daemon (wired by main.c). */
struct ussd_dial_hooks {
	/* Hand a code to a modem's worker; 0 when it took it. */
	int	(*start)(const char *modem, int64_t id, const char *code,
		    int timeout);
	/* A request is finished (done or failed); may be NULL. */
	void	(*done)(int64_t id);
	/* A balance check's answer, to record in the caller's transaction
	 * before the request is marked done (balance.c); may be NULL. */
	int	(*on_balance)(struct store *, const struct conf *,
		    const char *modem, int64_t id, const char *text);
};

int64_t	ussd_dial_queue(struct store *, const char *modem, const char *code,
	    const char *source);
int	ussd_dial_set_amount(struct store *, int64_t id, int64_t amount);
int	ussd_dial_abandon(struct store *, int64_t id, const char *why);
int	ussd_dial_finished(struct store *, int64_t id);
void	ussd_dial_kick(void);
int	ussd_dial_init(struct event_base *, struct store *, const struct conf *,
	    const struct ussd_dial_hooks *);
void	ussd_dial_free(void);
void	ussd_dial_reply(void *arg, const char *modem,
	    const struct wire_ussd_reply *);

#endif
