/*
 * Aliases.  This file alone writes the aliases table and holds its rules:
 * a phrase is one to four words (match_phrase_clean); a keyword alias
 * points at an existing keyword, a commodity or market alias at a name of
 * the same shape, and fillers and thank-yous point at nothing.  The router
 * and the lexicon read the table; `kentongan alias` edits it.
 */
#include <stdio.h>
#include <string.h>

#include "alias.h"
#include "match.h"
#include "price.h"
#include "store.h"

static const char *const alias_kinds[ALIAS_NKINDS] = {
	"keyword", "commodity", "market", "filler", "thanks"
};

/* The name a kind has in the database. */
const char *
alias_kind_name(enum alias_kind k)
{
	if ((int)k < 0 || k >= ALIAS_NKINDS)
		return "?";
	return alias_kinds[k];
}

/* Find the kind of that name; 0, or -1 when there is none. */
int
alias_kind_parse(const char *name, enum alias_kind *k)
{
	int i;

	for (i = 0; i < ALIAS_NKINDS; i++)
		if (strcmp(name, alias_kinds[i]) == 0) {
			*k = (enum alias_kind)i;
			return 0;
		}
	return -1;
}

/* Tell whether a keyword of that word exists; 1, 0, or -1. */
static int
alias_keyword_exists(struct store *s, const char *word)
{
	static const char sql[] = "SELECT 1 FROM keywords WHERE word = ?";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, word, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* Check a target for its kind into clean; 0, or -1 with err. */
static int
alias_target_check(struct store *s, const char *target, enum alias_kind k,
    char *clean, size_t cleanlen, char *err, size_t errlen)
{
	int rc;

	clean[0] = '\0';
	switch (k) {
	case ALIAS_FILLER:
	case ALIAS_THANKS:
		if (target[0] == '\0')
			return 0;
		snprintf(err, errlen, "a %s has no target", alias_kind_name(k));
		return -1;
	case ALIAS_KEYWORD:
	case ALIAS_COMMODITY:
	case ALIAS_MARKET:
		if (match_phrase_clean(target, clean, cleanlen) < 0) {
			snprintf(err, errlen, "target \"%.40s\": one to %d words "
			    "of letters, digits, - and _", target,
			    MATCH_PHRASE_WORDS);
			return -1;
		}
		if (k != ALIAS_KEYWORD)
			return 0;
		if ((rc = alias_keyword_exists(s, clean)) == 1)
			return 0;
		snprintf(err, errlen, rc == 0 ? "no keyword %s" :
		    "database: cannot read keywords", clean);
		return -1;
	default:
		snprintf(err, errlen, "unknown kind");
		return -1;
	}
}

/*
 * Add or replace an alias.  Return 1 when it is new, 0 when it replaced
 * one, -2 with err when it breaks a rule, -1 on a database error.  Runs
 * inside the caller's transaction.
 */
int
alias_add(struct store *s, const char *phrase, const char *target,
    enum alias_kind k, char *err, size_t errlen)
{
	static const char sql[] = "INSERT INTO aliases (phrase, target, kind, "
	    "created_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (phrase) DO "
	    "UPDATE SET target = ?2, kind = ?3, created_at = ?4";
	char		 p[ALIAS_PHRASE_MAX], t[ALIAS_PHRASE_MAX];
	sqlite3_stmt	*st;
	enum alias_kind	 old;
	int		 rc, isnew;

	if (match_phrase_clean(phrase, p, sizeof(p)) < 0) {
		snprintf(err, errlen, "phrase \"%.40s\": one to %d words of "
		    "letters, digits, - and _", phrase, MATCH_PHRASE_WORDS);
		return -2;
	}
	if (alias_target_check(s, target, k, t, sizeof(t), err, errlen) == -1)
		return -2;
	if (k == ALIAS_KEYWORD && alias_keyword_exists(s, p) == 1) {
		snprintf(err, errlen, "%s is a keyword itself", p);
		return -2;
	}
	if ((isnew = alias_word_kind(s, p, &old, NULL, 0)) < 0)
		return -1;
	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, p, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, t, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, alias_kind_name(k), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, store_now());
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? !isnew : -1;
}

/* Remove an alias; 1 when removed, 0 when there was none, -1. */
int
alias_remove(struct store *s, const char *phrase)
{
	static const char sql[] = "DELETE FROM aliases WHERE phrase = ?";
	char		 p[ALIAS_PHRASE_MAX];
	sqlite3_stmt	*st;
	int		 rc;

	if (match_phrase_clean(phrase, p, sizeof(p)) < 0)
		return 0;
	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, p, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? sqlite3_changes(store_db(s)) : -1;
}

/*
 * Look a word or phrase up: 1 with its kind (and target, when asked),
 * 0 when it is no alias, -1 on a database error.
 */
int
alias_word_kind(struct store *s, const char *word, enum alias_kind *k,
    char *target, size_t targetlen)
{
	static const char sql[] = "SELECT kind, target FROM aliases WHERE "
	    "phrase = ?";
	sqlite3_stmt	*st;
	char		 kind[16];
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, word, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_copy_text(st, 0, kind, sizeof(kind));
		if (target != NULL)
			store_copy_text(st, 1, target, targetlen);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW || alias_kind_parse(kind, k) == -1)
		return -1;
	return 1;
}

/*
 * Tell what a target names: a keyword, else a commodity, else a market.
 * Return 1 with the kind, 0 when it is none of them, -1 on error.
 */
int
alias_guess_kind(struct store *s, const char *target, enum alias_kind *k)
{
	char	clean[ALIAS_PHRASE_MAX];
	int64_t	id;
	int	rc;

	if (match_phrase_clean(target, clean, sizeof(clean)) < 0)
		return 0;
	if ((rc = alias_keyword_exists(s, clean)) != 0) {
		*k = ALIAS_KEYWORD;
		return rc;
	}
	if ((id = price_commodity_id(s, clean, NULL, 0)) != 0) {
		*k = ALIAS_COMMODITY;
		return id < 0 ? -1 : 1;
	}
	if ((id = price_market_id(s, clean, NULL, 0)) != 0) {
		*k = ALIAS_MARKET;
		return id < 0 ? -1 : 1;
	}
	return 0;
}

/* Tell whether a word is a keyword, or an alias of one; 1, 0, or -1. */
int
alias_is_keyword(struct store *s, const char *word)
{
	enum alias_kind	k;
	int		rc;

	if ((rc = alias_word_kind(s, word, &k, NULL, 0)) != 0)
		return rc < 0 ? -1 : k == ALIAS_KEYWORD;
	return alias_keyword_exists(s, word);
}
