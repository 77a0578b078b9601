/* Fuzzy matching of typed words against known names. */
#ifndef KT_MATCH_H
#define KT_MATCH_H

#include <stddef.h>

int	match_distance(const char *a, const char *b, int limit);
void	match_upper(const char *in, char *out, size_t outlen);
int	match_phrase_clean(const char *in, char *out, size_t outlen);
int	match_word_close(const char *typed, const char *known);

#define MATCH_PHRASE_WORDS	4	/* words in a name: CABAI MERAH KERITING */

/* Accumulates candidates and tells whether the best one is unambiguous. */
struct match_best {
	char	name[64];
	int	distance;	/* best distance so far, or -1 */
	int	ties;		/* other candidates at that distance */
};

void	match_best_init(struct match_best *);
void	match_best_offer(struct match_best *, const char *typed,
	    const char *candidate, int limit);
int	match_best_unique(const struct match_best *, int limit);

#endif
