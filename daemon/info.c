/*
 * INFO pages.  This file alone writes info_pages and holds their rules:
 * a topic is one word, a language is "id" or "en", a text is 1 to
 * INFO_TEXT_MAX bytes.  The CLI, CSV import and the HTTP API call it; the
 * INFO command and the USSD menus only read the table.
 */
#include <stdio.h>
#include <string.h>

#include "info.h"
#include "price.h"
#include "store.h"

/* Say what is wrong with a page (err) and return -1, or return 0. */
int
info_check(const char *topic, const char *lang, const char *body, char *err,
    size_t errlen)
{
	if (!price_name_ok(topic) || strlen(topic) >= INFO_TOPIC_MAX)
		snprintf(err, errlen, "topic \"%.*s\": one word of letters, "
		    "digits, - and _", INFO_TOPIC_MAX, topic);
	else if (strcmp(lang, "id") != 0 && strcmp(lang, "en") != 0)
		snprintf(err, errlen, "language \"%.8s\": id or en", lang);
	else if (body[0] == '\0' || strlen(body) > INFO_TEXT_MAX)
		snprintf(err, errlen, "text: 1 to %d bytes", INFO_TEXT_MAX);
	else
		return 0;
	return -1;
}

/*
 * Create or replace a page, its topic in upper case; 1 when it is new, 0
 * when it replaced one, -1 on a database error.  The caller checked it
 * with info_check and holds the transaction.
 */
int
info_set(struct store *s, const char *topic, const char *lang,
    const char *body)
{
	static const char known[] = "SELECT 1 FROM info_pages WHERE topic = ? "
	    "AND language = ?";
	static const char sql[] = "INSERT INTO info_pages (topic, language, "
	    "body, updated_at) VALUES (upper(?1), ?2, ?3, ?4) ON CONFLICT "
	    "(topic, language) DO UPDATE SET body = ?3, updated_at = ?4";
	sqlite3_stmt	*st;
	int		 rc, isnew;

	if ((st = store_stmt(s, known)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, topic, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, lang, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return -1;
	isnew = rc == SQLITE_DONE;
	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, topic, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, lang, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, body, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, store_now());
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? isnew : -1;
}

/* Delete a page in one language, or in every one (lang ""); rows or -1. */
int
info_remove(struct store *s, const char *topic, const char *lang)
{
	static const char sql[] = "DELETE FROM info_pages WHERE topic = ?1 "
	    "AND (?2 = '' OR language = ?2)";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, topic, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, lang, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? sqlite3_changes(store_db(s)) : -1;
}
