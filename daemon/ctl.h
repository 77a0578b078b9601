/* kentongand's control socket: the CLI tells the daemon, nobody polls. */
#ifndef KT_CTL_H
#define KT_CTL_H

#include <stddef.h>
#include <stdint.h>

struct event_base;
struct conf;

/* What a request makes the daemon do (wired by main.c). */
struct ctl_hooks {
	/* Tables changed: look at the outbox, broadcasts, USSD now. */
	void	(*poke)(void);
	/* Re-read the configuration; 0, or -1 with the reason in err. */
	int	(*reload)(char *err, size_t errlen);
	/* Start looking at USSD request id; 1 finished, 0 not, -1 none. */
	int	(*ussd)(int64_t id);
};

int	ctl_init(struct event_base *, const char *database, const struct conf *,
	    const struct ctl_hooks *);
void	ctl_ussd_done(int64_t id);
void	ctl_free(void);

#endif
