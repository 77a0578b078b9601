/*
 * Custom keywords.  This file alone writes the keywords an admin adds
 * (`kentongan keyword add JADWAL --reply ...`) and their actions; the
 * built-in keywords come from config/texts.sql.  Its rules: a custom
 * keyword is one new word, not a built-in keyword nor an alias; a reply
 * fits three SMS; a join names an existing group.  Everything runs inside
 * the caller's transaction.
 */
#include <stdio.h>
#include <string.h>

#include "alias.h"
#include "group.h"
#include "keyword.h"
#include "price.h"
#include "store.h"

static const char *const keyword_actions[] = { "reply", "join", "ask" };

/* The name an action has in the database. */
const char *
keyword_action_name(enum keyword_action a)
{
	if ((int)a < 0 || a > KEYWORD_ASK)
		return "?";
	return keyword_actions[a];
}

/* Check a new keyword against the rules; 0, or -1 with err. */
static int
keyword_check(struct store *s, const struct keyword_custom *k, char *err,
    size_t errlen)
{
	enum alias_kind	ak;
	int		rc;

	if (!price_name_ok(k->word))
		snprintf(err, errlen, "keyword \"%.32s\": one word of letters, "
		    "digits, - and _", k->word);
	else if ((rc = alias_is_keyword(s, k->word)) != 0)
		snprintf(err, errlen, rc < 0 ? "database: cannot read keywords" :
		    "%s is a keyword already (keyword remove it first if it is "
		    "yours)", k->word);
	else if ((rc = alias_word_kind(s, k->word, &ak, NULL, 0)) != 0)
		snprintf(err, errlen, rc < 0 ? "database: cannot read aliases" :
		    "%s is an alias (%s)", k->word, alias_kind_name(ak));
	else if (strlen(k->reply_id) > KEYWORD_REPLY_MAX ||
	    strlen(k->reply_en) > KEYWORD_REPLY_MAX)
		snprintf(err, errlen, "reply: at most %d bytes",
		    KEYWORD_REPLY_MAX);
	else if (k->action == KEYWORD_REPLY && k->reply_id[0] == '\0')
		snprintf(err, errlen, "--reply TEXT is needed");
	else if (k->action == KEYWORD_JOIN && group_find(s, k->group) <= 0)
		snprintf(err, errlen, "no group %.32s (kentongan group create "
		    "%.32s)", k->group, k->group);
	else
		return 0;
	return -1;
}

/* Add a custom keyword; 1, -2 with err when refused, -1 on error. */
int
keyword_add(struct store *s, const struct keyword_custom *k, char *err,
    size_t errlen)
{
	static const char sql_kw[] = "INSERT INTO keywords (word, command, "
	    "language) VALUES (upper(?1), 'custom', '')";
	static const char sql_act[] = "INSERT INTO keyword_actions (word, "
	    "action, reply_id, reply_en, group_name, created_at) VALUES "
	    "(upper(?1), ?2, ?3, ?4, upper(?5), ?6)";
	sqlite3_stmt	*st;
	int		 rc;

	if (keyword_check(s, k, err, errlen) == -1)
		return -2;
	if ((st = store_stmt(s, sql_kw)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, k->word, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE || (st = store_stmt(s, sql_act)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, k->word, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, keyword_action_name(k->action), -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(st, 3, k->reply_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, k->reply_en, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, k->group, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, store_now());
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 1 : -1;
}

/* Remove a custom keyword (never a built-in one); 1, 0, or -1. */
int
keyword_remove(struct store *s, const char *word)
{
	static const char sql_act[] = "DELETE FROM keyword_actions WHERE "
	    "word = ?";
	static const char sql_kw[] = "DELETE FROM keywords WHERE word = ? AND "
	    "command = 'custom'";
	sqlite3_stmt	*st;
	int		 rc, n;

	if ((st = store_stmt(s, sql_act)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, word, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE || (st = store_stmt(s, sql_kw)) == NULL)
		return -1;
	n = sqlite3_changes(store_db(s));
	sqlite3_bind_text(st, 1, word, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? n > 0 : -1;
}

/* Read what a custom keyword does; 1, 0 when it is none, or -1. */
int
keyword_get(struct store *s, const char *word, struct keyword_custom *k)
{
	static const char sql[] = "SELECT word, action, reply_id, reply_en, "
	    "group_name FROM keyword_actions WHERE word = ?";
	sqlite3_stmt	*st;
	char		 action[8];
	int		 rc, i;

	memset(k, 0, sizeof(*k));
	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, word, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_copy_text(st, 0, k->word, sizeof(k->word));
		store_copy_text(st, 1, action, sizeof(action));
		store_copy_text(st, 2, k->reply_id, sizeof(k->reply_id));
		store_copy_text(st, 3, k->reply_en, sizeof(k->reply_en));
		store_copy_text(st, 4, k->group, sizeof(k->group));
		for (i = 0; i <= KEYWORD_ASK; i++)
			if (strcmp(action, keyword_actions[i]) == 0)
				k->action = (enum keyword_action)i;
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}
