/* Aliases: words and phrases as farmers write them. */
#ifndef KT_ALIAS_H
#define KT_ALIAS_H

#include <stddef.h>

struct store;

#define ALIAS_PHRASE_MAX	48

enum alias_kind {
	ALIAS_KEYWORD,		/* HRG -> HARGA */
	ALIAS_COMMODITY,	/* CABE -> CABAI */
	ALIAS_MARKET,		/* LEGI -> PASAR LEGI */
	ALIAS_FILLER,		/* BERAPA, PAK: skipped */
	ALIAS_THANKS		/* TERIMA KASIH: stored, never answered */
};
#define ALIAS_NKINDS	(ALIAS_THANKS + 1)

const char *alias_kind_name(enum alias_kind);
int	alias_kind_parse(const char *, enum alias_kind *);
int	alias_add(struct store *, const char *phrase, const char *target,
	    enum alias_kind, char *err, size_t errlen);
int	alias_guess_kind(struct store *, const char *target,
	    enum alias_kind *);
int	alias_is_keyword(struct store *, const char *word);
int	alias_remove(struct store *, const char *phrase);
int	alias_word_kind(struct store *, const char *word, enum alias_kind *,
	    char *target, size_t targetlen);

#endif
