/* The USSD menu engine: one aggregator request in, one screen out. */
#ifndef KT_USSD_H
#define KT_USSD_H

#include <stddef.h>
#include <stdint.h>

struct store;
struct conf;

#define USSD_PAGE_CHARS		182	/* characters on one USSD screen */
#define USSD_REPLY_MAX		800	/* bytes of one screen (UTF-8) */
#define USSD_SESSION_MAX	128	/* bytes of an aggregator session id */
#define USSD_INPUT_MAX		64
#define USSD_TIMEOUT_DEFAULT	180

/* Where ussd_page() puts the back entry. */
#define USSD_BACK_MID		1	/* on pages followed by more */
#define USSD_BACK_LAST		2	/* on the last page */

/* One request as every adapter understands it. */
struct ussd_req {
	const char	*session_id;
	const char	*phone;
	const char	*service_code;
	const char	*input;		/* latest answer; NULL/"" when dialled */
	int		 steps;		/* answers sent so far with this one,
					   0 when dialled, -1 when unknown */
};

struct ussd_reply {
	int	end;			/* 1: the session is over */
	char	text[USSD_REPLY_MAX];
};

/* Why a request could not be served (the reply says so too). */
enum ussd_status {
	USSD_OK = 0,
	USSD_ERR_DB = -1,		/* database error: try again */
	USSD_ERR_PHONE = -2,		/* phoneNumber is not a phone number */
};

int	ussd_handle(struct store *, const struct conf *,
	    const struct ussd_req *, struct ussd_reply *);
int	ussd_page(const char *text, int page, int back, const char *more_label,
	    const char *back_label, char *out, size_t outlen, int *last);
int	ussd_action_known(const char *name);
size_t	ussd_chars(const char *s);

#endif
