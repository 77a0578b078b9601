/*
 * The lexicon finds known names in a message the way people write them.
 *
 * DESIGN: commodity and market names are phrases of up to four words
 * (BAWANG MERAH, CABAI RAWIT MERAH, PASAR LEGI), each also reachable
 * through aliases (CABE -> CABAI), and a market PASAR X also as X.  At a
 * token position the longest name that matches wins, each of its words
 * exact or one keypad slip away (match_word_close); the first two or more
 * words of a longer name count too ("cabai rawit"); among names of the
 * same length a whole one before a partial one, then the one with fewer
 * slips, and a tie between two names is no match (a wrong price is worse
 * than a question).  Fillers (BERAPA, DI, PAK, HARI INI) are skipped
 * between names, but only after no name starts at that word, so PASAR is
 * a filler in "di pasar Pare" yet the start of "PASAR LEGI".  The names
 * are read per message: a programme has tens of them, not thousands.
 */
#include <stdio.h>
#include <string.h>

#include "alias.h"
#include "lexicon.h"
#include "match.h"
#include "router.h"
#include "store.h"
#include "text.h"

#define LEXICON_NAMES_MAX	512
#define LEXICON_WORD_MAX	32

struct lexicon_name {
	char	word[MATCH_PHRASE_WORDS][LEXICON_WORD_MAX];
	int	nwords;
	char	target[PRICE_NAME_MAX];
};

static struct {
	struct lexicon_name	name[LEXICON_NAMES_MAX];
	int			n;
	/* Words of the other kind's names, never taken for a slip. */
	char			other[LEXICON_NAMES_MAX][LEXICON_WORD_MAX];
	int			nother;
} lexicon;

/* Split a cleaned phrase into a candidate; 0, or -1 when it cannot be. */
static int
lexicon_add(const char *phrase, const char *target)
{
	struct lexicon_name	*c;
	char			 clean[PRICE_NAME_MAX], *w, *p;

	if (lexicon.n == LEXICON_NAMES_MAX ||
	    match_phrase_clean(phrase, clean, sizeof(clean)) < 0)
		return -1;
	c = &lexicon.name[lexicon.n];
	c->nwords = 0;
	for (p = clean; (w = strsep(&p, " ")) != NULL;)
		snprintf(c->word[c->nwords++], LEXICON_WORD_MAX, "%s", w);
	snprintf(c->target, sizeof(c->target), "%s", target);
	lexicon.n++;
	return 0;
}

/* Write a name's words into out, word j replaced by with. */
static void
lexicon_phrase(const struct lexicon_name *c, int j, const char *with,
    char *out, size_t len)
{
	int i;

	out[0] = '\0';
	for (i = 0; i < c->nwords; i++) {
		if (i > 0)
			text_append(out, len, " ");
		text_append(out, len, i == j ? with : c->word[i]);
	}
}

/*
 * A one-word alias of a one-word name stands for that word inside longer
 * names too: with CABE -> CABAI, "cabe rawit merah" is CABAI RAWIT MERAH.
 * Add those variants to the names loaded; -1 on a database error.
 */
static int
lexicon_word_aliases(struct store *s, enum lexicon_kind k)
{
	static const char sql[] = "SELECT phrase, target FROM aliases WHERE "
	    "kind = ?1 AND instr(phrase, ' ') = 0 AND instr(target, ' ') = 0";
	sqlite3_stmt		*st;
	const char		*alias, *word;
	char			 phrase[PRICE_NAME_MAX];
	int			 i, j, n = lexicon.n, rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, k == LEXICON_COMMODITY ? "commodity" :
	    "market", -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		alias = (const char *)sqlite3_column_text(st, 0);
		word = (const char *)sqlite3_column_text(st, 1);
		for (i = 0; alias != NULL && word != NULL && i < n; i++) {
			if (lexicon.name[i].nwords < 2)
				continue;
			for (j = 0; j < lexicon.name[i].nwords; j++)
				if (strcmp(lexicon.name[i].word[j], word) == 0)
					break;
			if (j == lexicon.name[i].nwords)
				continue;
			lexicon_phrase(&lexicon.name[i], j, alias, phrase,
			    sizeof(phrase));
			lexicon_add(phrase, lexicon.name[i].target);
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * Read the words of the other kind's names: GURAH, a market, must not be
 * taken for a slip of CURAH in MINYAK GORENG CURAH.  -1 on error.
 */
static int
lexicon_other_words(struct store *s, enum lexicon_kind k)
{
	static const char sql_c[] = "SELECT name FROM markets";
	static const char sql_m[] = "SELECT name FROM commodities";
	sqlite3_stmt		*st;
	const unsigned char	*t;
	char			 buf[PRICE_NAME_MAX], *p, *w;
	int			 rc;

	lexicon.nother = 0;
	if ((st = store_stmt(s, k == LEXICON_COMMODITY ? sql_c : sql_m)) ==
	    NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((t = sqlite3_column_text(st, 0)) == NULL)
			continue;
		snprintf(buf, sizeof(buf), "%s", (const char *)t);
		for (p = buf; (w = strsep(&p, " ")) != NULL &&
		    lexicon.nother < LEXICON_NAMES_MAX;)
			snprintf(lexicon.other[lexicon.nother++],
			    LEXICON_WORD_MAX, "%s", w);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Tell whether a token is a word of the other kind's names. */
static int
lexicon_is_other(const char *word)
{
	int i;

	for (i = 0; i < lexicon.nother; i++)
		if (strcasecmp(lexicon.other[i], word) == 0)
			return 1;
	return 0;
}

/* Read the names of a kind, with their aliases; -1 on a database error. */
static int
lexicon_load(struct store *s, enum lexicon_kind k)
{
	static const char sql_c[] = "SELECT name, name FROM commodities "
	    "UNION ALL SELECT phrase, target FROM aliases WHERE kind = "
	    "'commodity'";
	static const char sql_m[] = "SELECT name, name FROM markets "
	    "UNION ALL SELECT phrase, target FROM aliases WHERE kind = "
	    "'market'";
	sqlite3_stmt		*st;
	const unsigned char	*a, *b;
	int			 rc;

	lexicon.n = 0;
	if ((st = store_stmt(s, k == LEXICON_COMMODITY ? sql_c : sql_m)) ==
	    NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((a = sqlite3_column_text(st, 0)) == NULL ||
		    (b = sqlite3_column_text(st, 1)) == NULL)
			continue;
		lexicon_add((const char *)a, (const char *)b);
		/* PASAR LEGI is also what people call LEGI. */
		if (k == LEXICON_MARKET && strncmp((const char *)a, "PASAR ",
		    6) == 0)
			lexicon_add((const char *)a + 6, (const char *)b);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE || lexicon_word_aliases(s, k) == -1)
		return -1;
	return lexicon_other_words(s, k);
}

/*
 * Match one candidate at token pos: how many of its words matched (all of
 * them, or its first two or more when the message ends or goes on with
 * other words: "cabai rawit" for CABAI RAWIT MERAH), with the slips in
 * typos; 0 when it does not match there.
 */
static int
lexicon_match(const struct lexicon_name *c, const struct router_tokens *tok,
    int pos, int *typos)
{
	int i;

	*typos = 0;
	for (i = 0; i < c->nwords && pos + i < tok->n; i++) {
		if (strcasecmp(c->word[i], tok->t[pos + i].s) == 0)
			continue;
		if (!match_word_close(tok->t[pos + i].s, c->word[i]) ||
		    lexicon_is_other(tok->t[pos + i].s))
			break;
		(*typos)++;
	}
	if (i == c->nwords || i >= 2)
		return i;
	return 0;
}

/*
 * Rank a match: more words first, then a whole name before the start of
 * a longer one, then fewer slips.
 */
static int
lexicon_rank(int words, int whole, int typos)
{
	return words * 100 + whole * 10 - typos;
}

/* Find the best name starting at pos (see DESIGN); 1 with it, else 0. */
static int
lexicon_at(const struct router_tokens *tok, int pos, struct lexicon_hit *h)
{
	const struct lexicon_name	*c, *best = NULL;
	int				 i, w, t, r, brank = 0, btypos = 0;
	int				 bwords = 0, tie = 0;

	for (i = 0; i < lexicon.n; i++) {
		c = &lexicon.name[i];
		if ((w = lexicon_match(c, tok, pos, &t)) == 0)
			continue;
		r = lexicon_rank(w, w == c->nwords, t);
		if (best == NULL || r > brank) {
			best = c, brank = r, btypos = t, bwords = w, tie = 0;
		} else if (r == brank && strcmp(c->target, best->target) != 0)
			tie = 1;
	}
	if (best == NULL || tie)
		return 0;
	h->start = pos;
	h->len = bwords;
	h->typos = btypos;
	snprintf(h->name, sizeof(h->name), "%s", best->target);
	return 1;
}

/* Tell whether a word is a filler; 1, 0, or -1 on a database error. */
int
lexicon_filler(struct store *s, const char *word)
{
	enum alias_kind	k;
	int		rc;

	if ((rc = alias_word_kind(s, word, &k, NULL, 0)) <= 0)
		return rc;
	return k == ALIAS_FILLER;
}

/*
 * Find the first name of a kind from token from on, skipping fillers.
 * Return 1 with the hit, 0 when there is none (stop is then the first
 * word that is neither a name nor a filler, or tok->n), -1 on error.
 */
int
lexicon_find(struct store *s, enum lexicon_kind k,
    const struct router_tokens *tok, int from, struct lexicon_hit *h,
    int *stop)
{
	int pos, rc;

	memset(h, 0, sizeof(*h));
	*stop = tok->n;
	if (lexicon_load(s, k) == -1)
		return -1;
	for (pos = from; pos < tok->n; pos++) {
		if (lexicon_at(tok, pos, h))
			return 1;
		if ((rc = lexicon_filler(s, tok->t[pos].s)) < 0)
			return -1;
		if (rc == 0) {
			*stop = pos;
			return 0;
		}
	}
	return 0;
}

/* Tell whether every token from on is a filler; 1, 0, or -1. */
int
lexicon_only_fillers(struct store *s, const struct router_tokens *tok,
    int from)
{
	int i, rc;

	for (i = from; i < tok->n; i++)
		if ((rc = lexicon_filler(s, tok->t[i].s)) <= 0)
			return rc;
	return 1;
}

/*
 * Tell whether a message is only thanks ("terima kasih", "ok pak",
 * "siap"): thank-you words and fillers, at least one of the first.
 */
int
lexicon_is_ack(struct store *s, const struct router_tokens *tok)
{
	enum alias_kind	k;
	int		i, rc, acks = 0;

	for (i = 0; i < tok->n; i++) {
		if ((rc = alias_word_kind(s, tok->t[i].s, &k, NULL, 0)) < 0)
			return -1;
		if (rc == 0 || (k != ALIAS_THANKS && k != ALIAS_FILLER))
			return 0;
		acks += k == ALIAS_THANKS;
	}
	return acks > 0;
}

/*
 * Suggest the one name a typed word may have meant: within two edits,
 * and one edit per four letters typed, so GABAH never suggests CABAI.
 * Return 1 with the name, 0 when none is that close and alone, -1.
 */
int
lexicon_suggest(struct store *s, enum lexicon_kind k, const char *typed,
    char *out, size_t outlen)
{
	struct match_best	mb;
	int			i, limit = (int)strlen(typed) / 4;

	if (limit > 2)
		limit = 2;
	if (limit == 0)
		return 0;
	if (lexicon_load(s, k) == -1)
		return -1;
	match_best_init(&mb);
	for (i = 0; i < lexicon.n; i++)
		if (lexicon.name[i].nwords == 1)
			match_best_offer(&mb, typed, lexicon.name[i].word[0],
			    limit);
	if (!match_best_unique(&mb, limit))
		return 0;
	for (i = 0; i < lexicon.n; i++)
		if (lexicon.name[i].nwords == 1 &&
		    strcasecmp(lexicon.name[i].word[0], mb.name) == 0) {
			snprintf(out, outlen, "%s", lexicon.name[i].target);
			return 1;
		}
	return 0;
}

/*
 * List the names of a kind whose first word is the typed one (CABAI for
 * CABAI RAWIT MERAH, CABAI MERAH KERITING) as "A, B"; how many, or -1.
 */
int
lexicon_starting(struct store *s, enum lexicon_kind k, const char *word,
    char *list, size_t len)
{
	int i, j, n = 0, seen;

	list[0] = '\0';
	if (lexicon_load(s, k) == -1)
		return -1;
	for (i = 0; i < lexicon.n; i++) {
		if (lexicon.name[i].nwords < 2 ||
		    !match_word_close(word, lexicon.name[i].word[0]))
			continue;
		for (seen = 0, j = 0; j < i && !seen; j++)
			seen = strcmp(lexicon.name[j].target,
			    lexicon.name[i].target) == 0;
		if (seen || strlen(list) + strlen(lexicon.name[i].target) + 3 >
		    len)
			continue;
		if (n++ > 0)
			text_append(list, len, ", ");
		text_append(list, len, lexicon.name[i].target);
	}
	return n;
}
