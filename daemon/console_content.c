/*
 * The console's content: INFO pages (Indonesian and English), every
 * reply text with its placeholders, the aliases farmers' words go
 * through, and custom keywords.  Reads are SELECTs here; writes go
 * through info.c, text.c, alias.c and keyword.c with their checks and
 * messages, audited with the user's name.
 */
#include <stdio.h>
#include <string.h>

#include <event2/http.h>

#include "alias.h"
#include "console.h"
#include "info.h"
#include "keyword.h"
#include "log.h"
#include "store.h"
#include "text.h"
#include "user.h"

/* Rows of a query as objects with the keys given, all text. */
static json_t *
console_content_rows(const char *sql, const char *const *keys, int n)
{
	sqlite3_stmt	*st;
	json_t		*a, *o;
	int		 i, rc;

	if ((st = store_stmt(console_store(), sql)) == NULL)
		return NULL;
	a = json_array();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		o = json_object();
		for (i = 0; i < n; i++)
			json_object_set_new(o, keys[i], console_col(st, i));
		json_array_append_new(a, o);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(a);
		return NULL;
	}
	return a;
}

/*
 * GET /console/api/content: info pages, reply texts, aliases and custom
 * keywords.
 */
void
console_content(struct evhttp_request *req, const struct user_session *u)
{
	static const char *const info_k[] = { "topic", "language", "body" };
	static const char *const text_k[] = { "key", "language", "body" };
	static const char *const alias_k[] = { "phrase", "target", "kind" };
	static const char *const kw_k[] = { "word", "action", "group",
	    "reply_id", "reply_en" };
	json_t *info, *texts, *aliases, *keywords;

	(void)u;
	info = console_content_rows("SELECT topic, language, body FROM "
	    "info_pages ORDER BY topic, language", info_k, 3);
	texts = console_content_rows("SELECT key, language, body FROM texts "
	    "ORDER BY key, language", text_k, 3);
	aliases = console_content_rows("SELECT phrase, target, kind FROM "
	    "aliases ORDER BY kind, phrase", alias_k, 3);
	keywords = console_content_rows("SELECT word, action, group_name, "
	    "reply_id, reply_en FROM keyword_actions ORDER BY word", kw_k, 5);
	if (info == NULL || texts == NULL || aliases == NULL ||
	    keywords == NULL) {
		json_decref(info);
		json_decref(texts);
		json_decref(aliases);
		json_decref(keywords);
		console_error(req, 500, "cannot read the content");
		return;
	}
	console_json(req, 200, json_pack("{s:o, s:o, s:o, s:o}", "info", info,
	    "texts", texts, "aliases", aliases, "keywords", keywords));
}

/* Commit a content change with its audit line and answer {changed}. */
static void
console_content_done(struct evhttp_request *req, const char *actor,
    const char *action, const char *detail, int rc)
{
	if (console_commit(req, rc < 0 || store_audit(console_store(), actor,
	    action, detail) == -1, "cannot save") == -1)
		return;
	log_info("console: %s: %s %s", actor, action, detail);
	console_json(req, 200, json_pack("{s:i}", "changed", rc));
}

/* Three string members of a body; -1 after a 400 when one is missing. */
static int
console_content_args(struct evhttp_request *req, json_t *doc,
    const char *const *keys, const char **v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if ((v[i] = json_string_value(json_object_get(doc, keys[i]))) ==
		    NULL) {
			console_error(req, 400, "a field is missing");
			return -1;
		}
	return 0;
}

/* POST /console/api/info/set {topic, language, body}: as `info set`. */
void
console_info_set(struct evhttp_request *req, const struct user_session *u)
{
	static const char *const keys[] = { "topic", "language", "body" };
	const char	*v[3];
	char		 err[128], detail[48];
	json_t		*doc;

	if ((doc = console_body(req)) == NULL)
		return;
	if (console_content_args(req, doc, keys, v, 3) == -1)
		goto out;
	if (info_check(v[0], v[1], v[2], err, sizeof(err)) == -1) {
		console_error(req, 400, err);
		goto out;
	}
	if (console_begin(req) == -1)
		goto out;
	snprintf(detail, sizeof(detail), "%.31s %s", v[0], v[1]);
	console_content_done(req, u->name, "console info set", detail,
	    info_set(console_store(), v[0], v[1], v[2]));
out:
	json_decref(doc);
}

/* POST /console/api/text/set {key, language, body}: change a reply text. */
void
console_text_set(struct evhttp_request *req, const struct user_session *u)
{
	static const char *const keys[] = { "key", "language", "body" };
	const char	*v[3];
	char		 why[128], detail[80];
	json_t		*doc;
	int		 rc;

	if ((doc = console_body(req)) == NULL)
		return;
	if (console_content_args(req, doc, keys, v, 3) == -1 ||
	    console_begin(req) == -1)
		goto out;
	if ((rc = text_set(console_store(), v[0], v[1], v[2], why,
	    sizeof(why))) == 0 || rc == -2) {
		store_rollback(console_store());
		console_error(req, rc == 0 ? 404 : 400, rc == 0 ?
		    "no such text" : why);
		goto out;
	}
	snprintf(detail, sizeof(detail), "%.60s %s", v[0], v[1]);
	console_content_done(req, u->name, "console text set", detail, rc);
out:
	json_decref(doc);
}

/*
 * POST /console/api/alias/add {phrase, target, kind}: as `alias add`;
 * kind "" guesses keyword, commodity or market from the target.
 */
void
console_alias_add(struct evhttp_request *req, const struct user_session *u)
{
	static const char *const keys[] = { "phrase", "target", "kind" };
	const char	*v[3];
	enum alias_kind	 k;
	char		 err[160];
	json_t		*doc;
	int		 rc;

	if ((doc = console_body(req)) == NULL)
		return;
	if (console_content_args(req, doc, keys, v, 3) == -1)
		goto out;
	if (v[2][0] != '\0' && alias_kind_parse(v[2], &k) == -1) {
		console_error(req, 400, "kind: keyword, commodity, market, "
		    "filler or thanks");
		goto out;
	}
	if (console_begin(req) == -1)
		goto out;
	if (v[2][0] == '\0' && (rc = alias_guess_kind(console_store(), v[1],
	    &k)) <= 0) {
		store_rollback(console_store());
		snprintf(err, sizeof(err), "%.48s is no keyword, commodity or "
		    "market yet; say which it is", v[1]);
		console_error(req, rc < 0 ? 500 : 400, rc < 0 ?
		    "cannot read the database" : err);
		goto out;
	}
	if ((rc = alias_add(console_store(), v[0], v[1], k, err,
	    sizeof(err))) == -2) {
		store_rollback(console_store());
		console_error(req, 400, err);
		goto out;
	}
	console_content_done(req, u->name, "console alias add", v[0], rc);
out:
	json_decref(doc);
}

/*
 * Remove one named thing through its owner's remove(): a body {key},
 * audited as action; 404 with missing when there is no such thing.
 */
static void
console_content_remove(struct evhttp_request *req,
    const struct user_session *u, const char *key,
    int (*remove)(struct store *, const char *), const char *action,
    const char *missing)
{
	const char	*name;
	char		 usage[48];
	json_t		*doc;
	int		 rc;

	if ((doc = console_body(req)) == NULL)
		return;
	if ((name = json_string_value(json_object_get(doc, key))) == NULL) {
		snprintf(usage, sizeof(usage), "expected {\"%s\"}", key);
		console_error(req, 400, usage);
		goto out;
	}
	if (console_begin(req) == -1)
		goto out;
	if ((rc = remove(console_store(), name)) == 0) {
		store_rollback(console_store());
		console_error(req, 404, missing);
		goto out;
	}
	console_content_done(req, u->name, action, name, rc);
out:
	json_decref(doc);
}

/* POST /console/api/alias/remove {phrase}. */
void
console_alias_remove(struct evhttp_request *req,
    const struct user_session *u)
{
	console_content_remove(req, u, "phrase", alias_remove,
	    "console alias remove", "no such alias");
}

/* The action a keyword form names; -1 for none of them. */
static int
console_keyword_action(const char *name, enum keyword_action *a)
{
	static const enum keyword_action all[] = { KEYWORD_REPLY,
	    KEYWORD_JOIN, KEYWORD_ASK };
	size_t i;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (strcmp(name, keyword_action_name(all[i])) == 0) {
			*a = all[i];
			return 0;
		}
	return -1;
}

/*
 * POST /console/api/keyword/add {word, action, group, reply_id,
 * reply_en}: as `keyword add`, action "reply", "join" or "ask".
 */
void
console_keyword_add(struct evhttp_request *req, const struct user_session *u)
{
	static const char *const keys[] = { "word", "action", "group",
	    "reply_id", "reply_en" };
	struct keyword_custom	 k;
	const char		*v[5];
	char			 err[160];
	json_t			*doc;
	int			 rc;

	if ((doc = console_body(req)) == NULL)
		return;
	if (console_content_args(req, doc, keys, v, 5) == -1)
		goto out;
	memset(&k, 0, sizeof(k));
	if (console_keyword_action(v[1], &k.action) == -1) {
		console_error(req, 400, "action: reply, join or ask");
		goto out;
	}
	if (strlen(v[0]) >= sizeof(k.word) || strlen(v[2]) >= sizeof(k.group) ||
	    strlen(v[3]) >= sizeof(k.reply_id) ||
	    strlen(v[4]) >= sizeof(k.reply_en)) {
		snprintf(err, sizeof(err), "keyword: at most %zu characters, "
		    "reply: at most %d bytes", sizeof(k.word) - 1,
		    KEYWORD_REPLY_MAX);
		console_error(req, 400, err);
		goto out;
	}
	snprintf(k.word, sizeof(k.word), "%s", v[0]);
	snprintf(k.group, sizeof(k.group), "%s", v[2]);
	snprintf(k.reply_id, sizeof(k.reply_id), "%s", v[3]);
	snprintf(k.reply_en, sizeof(k.reply_en), "%s", v[4]);
	if (console_begin(req) == -1)
		goto out;
	if ((rc = keyword_add(console_store(), &k, err, sizeof(err))) == -2) {
		store_rollback(console_store());
		console_error(req, 400, err);
		goto out;
	}
	console_content_done(req, u->name, "console keyword add", k.word, rc);
out:
	json_decref(doc);
}

/* POST /console/api/keyword/remove {word}. */
void
console_keyword_remove(struct evhttp_request *req,
    const struct user_session *u)
{
	console_content_remove(req, u, "word", keyword_remove,
	    "console keyword remove", "no such custom keyword");
}
