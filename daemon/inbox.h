/* The inbox: every message read from a modem, committed, then answered. */
#ifndef KT_INBOX_H
#define KT_INBOX_H

#include <stdint.h>

struct store;
struct conf;
struct wire_sms_in;

int	inbox_receive(struct store *, const struct conf *, const char *modem,
	    const struct wire_sms_in *);
int	inbox_process_pending(struct store *, const struct conf *);
int	inbox_expire_parts(struct store *, const struct conf *);
int	inbox_route(struct store *, const struct conf *, int64_t inbox_id,
	    const char *sender, const char *text);
void	inbox_set_hook(void (*)(void));
int	inbox_needs_person(struct store *, int64_t id, int on);
int	inbox_answered(struct store *, const char *sender);

#endif
