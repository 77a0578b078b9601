/*
 * INFO [topic]: an information page (fertiliser, weather, programme news)
 * from the info_pages table, in the sender's language or else Indonesian
 * or else any.  Without a topic, or with an unknown one, the list of
 * topics; a one-letter typo of a single topic is accepted.  INFO
 * PELATIHAN (ACARA, EVENT...) without such a page lists the open events.
 */
#include <stdio.h>
#include <string.h>

#include "match.h"
#include "router.h"
#include "store.h"
#include "text.h"

/* List the topics as "PUPUK, CUACA"; how many, or -1. */
static int
cmd_info_topics(struct store *s, char *buf, size_t len)
{
	static const char sql[] = "SELECT DISTINCT upper(topic) FROM "
	    "info_pages ORDER BY 1";
	sqlite3_stmt		*st;
	const unsigned char	*t;
	int			 n = 0, rc;

	buf[0] = '\0';
	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((t = sqlite3_column_text(st, 0)) == NULL ||
		    strlen(buf) + strlen((const char *)t) + 3 >= len)
			continue;
		if (n++ > 0)
			text_append(buf, len, ", ");
		text_append(buf, len, (const char *)t);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? n : -1;
}

/* Find the topic closest to what was typed; 1 with it in out, else 0. */
static int
cmd_info_guess(struct store *s, const char *typed, char *out, size_t len)
{
	static const char sql[] = "SELECT DISTINCT topic FROM info_pages";
	struct match_best	 mb;
	sqlite3_stmt		*st;
	const unsigned char	*t;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	match_best_init(&mb);
	while (sqlite3_step(st) == SQLITE_ROW)
		if ((t = sqlite3_column_text(st, 0)) != NULL)
			match_best_offer(&mb, typed, (const char *)t, 1);
	sqlite3_reset(st);
	if (!match_best_unique(&mb, 1))
		return 0;
	snprintf(out, len, "%s", mb.name);
	return 1;
}

/* Read a page's body in lang (then id, then any); 1 found, 0 not, -1. */
static int
cmd_info_page(struct store *s, const char *topic, const char *lang,
    char *buf, size_t len)
{
	static const char sql[] = "SELECT body FROM info_pages WHERE topic = "
	    "?1 ORDER BY language = ?2 DESC, language = 'id' DESC LIMIT 1";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, topic, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, lang, -1, SQLITE_TRANSIENT);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		store_copy_text(st, 0, buf, len);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* Tell whether an unknown topic asks for the open events. */
static int
cmd_info_asks_events(const char *topic)
{
	static const char *const words[] = { "PELATIHAN", "ACARA", "EVENT",
	    "EVENTS", "TRAINING", "KEGIATAN", "JADWAL", NULL };
	int i;

	for (i = 0; words[i] != NULL; i++)
		if (strcmp(topic, words[i]) == 0)
			return 1;
	return 0;
}

/* List the events open for registration as "TANI24 Pelatihan pupuk". */
static int
cmd_info_events(struct router_ctx *cx)
{
	static const char sql[] = "SELECT code, title FROM events WHERE "
	    "status = 'open' AND (deadline IS NULL OR deadline >= ?) ORDER BY "
	    "COALESCE(event_date, deadline, '9999'), code";
	sqlite3_stmt	*st;
	char		 list[200] = "", item[80], today[16], title[128];
	int		 n = 0, rc;

	if ((st = store_stmt(cx->store, sql)) == NULL)
		return -1;
	store_today(today, sizeof(today));
	sqlite3_bind_text(st, 1, today, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_copy_text(st, 1, title, sizeof(title));
		/* 40 bytes of the title, never half a character. */
		if (strlen(title) > 40)
			title[text_utf8_fit(title, 40)] = '\0';
		snprintf(item, sizeof(item), "%s%s %s", n > 0 ? ", " : "",
		    sqlite3_column_text(st, 0), title);
		if (strlen(list) + strlen(item) < 100)
			text_append(list, sizeof(list), item);
		n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return -1;
	router_reply(cx, n > 0 ? "info.events" : "info.no_events",
	    (const char *const[]){ "list", list, NULL });
	return 0;
}

/* Handle INFO. */
int
cmd_info(struct router_ctx *cx)
{
	const struct router_tokens	*tok = cx->tok;
	char				 list[256], topic[64];
	int				 rc, a = cx->arg0;

	if (tok->n > a) {
		rc = cmd_info_page(cx->store, tok->t[a].s, cx->out->lang,
		    cx->out->text, sizeof(cx->out->text));
		if (rc == 0 && cmd_info_guess(cx->store, tok->t[a].s, topic,
		    sizeof(topic)) == 1)
			rc = cmd_info_page(cx->store, topic, cx->out->lang,
			    cx->out->text, sizeof(cx->out->text));
		if (rc < 0)
			return -1;
		if (rc == 1) {
			cx->out->reply = 1;
			return 0;
		}
		if (cmd_info_asks_events(tok->t[a].s))
			return cmd_info_events(cx);
	}
	if ((rc = cmd_info_topics(cx->store, list, sizeof(list))) < 0)
		return -1;
	router_reply(cx, rc == 0 ? "info.none" : tok->n > a ? "info.unknown" :
	    "info.list", (const char *const[]){ "query", tok->n > a ?
	    tok->t[a].s : "", "list", list, NULL });
	return 0;
}
