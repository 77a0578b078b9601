/* The router: one inbound text in, at most one reply out. */
#ifndef KT_ROUTER_H
#define KT_ROUTER_H

#include <stddef.h>
#include <stdint.h>

#define ROUTER_REPLY_MAX	1600
#define ROUTER_TOKENS_MAX	24
#define ROUTER_TOKEN_MAX	64
#define ROUTER_PIN_MASK		"****"	/* a SIAR PIN as the inbox keeps it */

struct store;
struct conf;

struct router_tokens {
	int	n;
	struct {
		char	s[ROUTER_TOKEN_MAX];	/* upper-cased */
		size_t	off;			/* offset in the raw text */
	} t[ROUTER_TOKENS_MAX];
};

struct router_in {
	const char	*sender;	/* as the modem gave it */
	const char	*text;		/* valid UTF-8 */
	int64_t		 inbox_id;	/* 0 when not from the inbox */
};

struct router_out {
	int	reply;				/* 1 when text is to be sent */
	char	to[24];				/* normalised sender */
	char	lang[4];			/* language of the reply */
	char	command[16];			/* what was understood */
	char	note[64];			/* why no reply, for the inbox */
	int	needs_person;			/* staff should read it */
	char	text[ROUTER_REPLY_MAX];
};

/* What a command handler gets. */
struct router_ctx {
	struct store			*store;
	const struct conf		*conf;
	const struct router_in		*in;
	const struct router_tokens	*tok;
	int				 arg0;	/* first argument token */
	int64_t				 contact_id;	/* the sender */
	struct router_out		*out;
	char				 keyword[ROUTER_TOKEN_MAX]; /* as known */
};

void	router_tokenize(const char *text, struct router_tokens *);
int	router_mask_secret(struct store *, const char *text, char *out,
	    size_t len);
int	router_handle(struct store *, const struct conf *,
	    const struct router_in *, struct router_out *);
void	router_reply(struct router_ctx *, const char *key,
	    const char *const *vars);

/* Commands, each in its own cmd_*.c file. */
int	cmd_price(struct router_ctx *);
int	cmd_price_bare(struct router_ctx *);
int	cmd_siar(struct router_ctx *);
int	cmd_sub(struct router_ctx *);
int	cmd_unsub(struct router_ctx *);
int	cmd_info(struct router_ctx *);
int	cmd_register(struct router_ctx *);
int	cmd_cancel(struct router_ctx *);
int	cmd_group_join(struct router_ctx *);
int	cmd_group_leave(struct router_ctx *);
int	cmd_contact_stop(struct router_ctx *);
int	cmd_contact_start(struct router_ctx *);
int	cmd_contact_lang(struct router_ctx *);
int	cmd_contact_register(struct router_ctx *);
int	cmd_report(struct router_ctx *);
int	cmd_keyword(struct router_ctx *);
int	cmd_poll_answer(struct router_ctx *, int keyword);
int	cmd_ask(struct router_ctx *);
int	cmd_answer(struct router_ctx *);

#endif
