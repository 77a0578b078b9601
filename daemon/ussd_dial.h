/* The daemon's side of `kentongan ussd dial`: requests to modem workers. */
#ifndef KT_USSD_DIAL_H
#define KT_USSD_DIAL_H

struct event_base;
struct store;
struct conf;
struct wire_ussd_reply;

#define USSD_DIAL_TIMEOUT	30	/* seconds a modem waits for the network */
#define USSD_DIAL_QUEUE_MAX	60	/* seconds a request waits for a modem */

int	ussd_dial_init(struct event_base *, struct store *, const struct conf *);
void	ussd_dial_free(void);
void	ussd_dial_reply(void *arg, const char *modem,
	    const struct wire_ussd_reply *);

#endif
