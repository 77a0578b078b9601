/* The names a message may contain: commodities and markets, by phrase. */
#ifndef KT_LEXICON_H
#define KT_LEXICON_H

#include <stddef.h>

#include "price.h"

struct store;
struct router_tokens;

enum lexicon_kind {
	LEXICON_COMMODITY,
	LEXICON_MARKET
};

/* A known name found in the tokens. */
struct lexicon_hit {
	int	start;			/* its first token */
	int	len;			/* tokens it spans; 0 when none */
	int	typos;			/* words one keypad slip away */
	char	name[PRICE_NAME_MAX];	/* the canonical name, CABAI RAWIT */
};

int	lexicon_find(struct store *, enum lexicon_kind,
	    const struct router_tokens *, int from, struct lexicon_hit *,
	    int *stop);
int	lexicon_filler(struct store *, const char *word);
int	lexicon_only_fillers(struct store *, const struct router_tokens *,
	    int from);
int	lexicon_is_ack(struct store *, const struct router_tokens *);
int	lexicon_starting(struct store *, enum lexicon_kind, const char *word,
	    char *list, size_t len);
int	lexicon_suggest(struct store *, enum lexicon_kind, const char *typed,
	    char *out, size_t outlen);

#endif
