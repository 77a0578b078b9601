/*
 * Questions to experts.
 *
 * DESIGN: a farmer's TANYA becomes a ticket (its id) in questions, tagged
 * with a topic: the first commodity the text names (the lexicon's, so
 * CABE is CABAI) or else the first word that is an expert's topic
 * (PUPUK).  The message also goes to the console's "needs a person"
 * queue.  The ticket is forwarded by SMS to the experts of its topic and
 * those who take any topic, or, when there are none, to every expert;
 * question_forwards keeps who was asked.  The first answer (an expert's
 * JAWAB, or staff in the CLI or console) goes to the farmer and closes
 * the ticket; later answers are refused, so nobody is asked again.  A
 * timer marks tickets unanswered for question_overdue_after seconds, for
 * the dashboard.
 */
#include <stdio.h>
#include <string.h>

#include <event2/event.h>

#include "conf.h"
#include "inbox.h"
#include "info.h"
#include "lexicon.h"
#include "log.h"
#include "outbox.h"
#include "question.h"
#include "router.h"
#include "store.h"
#include "text.h"

#define QUESTION_EXPERTS_MAX	64	/* experts one ticket goes to */
#define QUESTION_SWEEP_MAX	60	/* seconds between sweeps, at most */

static struct {
	struct store		*store;
	const struct conf	*conf;
	struct event		*ev_sweep;
} question;

/* Give a contact a topic ("*": any); 1 added, 0 had it, -1. */
int
question_expert_add(struct store *s, int64_t contact_id, const char *topic)
{
	static const char sql[] = "INSERT OR IGNORE INTO expert_topics "
	    "(contact_id, topic, created_at) VALUES (?, upper(?), ?)";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, contact_id);
	sqlite3_bind_text(st, 2, topic, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, store_now());
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? sqlite3_changes(store_db(s)) : -1;
}

/* A contact is an expert no more; the topics removed, or -1. */
int
question_expert_remove(struct store *s, int64_t contact_id)
{
	static const char sql[] = "DELETE FROM expert_topics WHERE "
	    "contact_id = ?";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, contact_id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? sqlite3_changes(store_db(s)) : -1;
}

/* Tell whether a one-parameter query finds a row: 1, 0, or -1. */
static int
question_found(struct store *s, const char *sql, int64_t id,
    const char *text)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	if (text != NULL)
		sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* Tell whether a contact is an expert: 1, 0, or -1. */
int
question_is_expert(struct store *s, int64_t contact_id)
{
	return question_found(s, "SELECT 1 FROM expert_topics WHERE "
	    "contact_id = ? LIMIT 1", contact_id, NULL);
}

/* Tell whether a word is some expert's topic: 1, 0, or -1. */
static int
question_is_topic(struct store *s, const char *word)
{
	return question_found(s, "SELECT 1 FROM expert_topics WHERE topic = "
	    "? LIMIT 1", 0, word);
}

/*
 * The topic of a question from token from on: the first word that starts
 * a known commodity, or is an expert's topic.  1 with it, 0 none, -1.
 */
int
question_topic(struct store *s, const struct router_tokens *tok, int from,
    char *topic, size_t len)
{
	struct lexicon_hit	hit;
	int			i, rc, stop;

	for (i = from; i < tok->n; i++) {
		if ((rc = lexicon_find(s, LEXICON_COMMODITY, tok, i, &hit,
		    &stop)) < 0)
			return -1;
		if (rc == 1 && hit.start == i) {
			snprintf(topic, len, "%s", hit.name);
			return 1;
		}
		if ((rc = question_is_topic(s, tok->t[i].s)) != 0) {
			if (rc == 1)
				snprintf(topic, len, "%s", tok->t[i].s);
			return rc;
		}
	}
	return 0;
}

/*
 * Open a ticket (inside the caller's transaction) and put the message in
 * the "needs a person" queue.  The ticket number, or -1.
 */
int64_t
question_new(struct store *s, int64_t contact_id, int64_t inbox_id,
    const char *text, const char *topic)
{
	static const char sql[] = "INSERT INTO questions (contact_id, "
	    "inbox_id, text, topic, created_at) VALUES (?, ?, ?, ?, ?)";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, contact_id);
	if (inbox_id > 0)
		sqlite3_bind_int64(st, 2, inbox_id);
	else
		sqlite3_bind_null(st, 2);
	sqlite3_bind_text(st, 3, text, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, topic, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, store_now());
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return -1;
	if (inbox_id > 0 && inbox_needs_person(s, inbox_id, 1) == -1)
		return -1;
	return sqlite3_last_insert_rowid(store_db(s));
}

struct question_row {
	int64_t	contact_id;
	int64_t	inbox_id;
	char	phone[24];
	char	lang[4];
	char	topic[QUESTION_TOPIC_MAX];
	char	state[12];
	char	text[ROUTER_REPLY_MAX];
	char	answer[ROUTER_REPLY_MAX];
};

/* Read a ticket with its farmer; 1, 0 when there is none, -1. */
static int
question_get(struct store *s, int64_t ticket, struct question_row *q)
{
	static const char sql[] = "SELECT q.contact_id, COALESCE(q.inbox_id, "
	    "0), c.phone, c.language, q.topic, q.state, q.text, q.answer FROM "
	    "questions q JOIN contacts c ON c.id = q.contact_id WHERE q.id = ?";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, ticket);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		q->contact_id = sqlite3_column_int64(st, 0);
		q->inbox_id = sqlite3_column_int64(st, 1);
		store_copy_text(st, 2, q->phone, sizeof(q->phone));
		store_copy_text(st, 3, q->lang, sizeof(q->lang));
		store_copy_text(st, 4, q->topic, sizeof(q->topic));
		store_copy_text(st, 5, q->state, sizeof(q->state));
		store_copy_text(st, 6, q->text, sizeof(q->text));
		store_copy_text(st, 7, q->answer, sizeof(q->answer));
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

struct question_expert {
	int64_t	id;
	char	phone[24];
	char	lang[4];
};

/*
 * The experts a ticket goes to: its topic's and any topic's, else all;
 * never the asker.  How many (at most max), or -1.
 */
static int
question_experts(struct store *s, const struct question_row *q,
    struct question_expert *e, int max)
{
	static const char sql[] = "SELECT DISTINCT c.id, c.phone, c.language "
	    "FROM expert_topics t JOIN contacts c ON c.id = t.contact_id "
	    "WHERE c.opted_out = 0 AND c.id <> ?1 AND (?2 = 0 OR t.topic IN "
	    "(?3, '*')) ORDER BY c.id LIMIT ?4";
	sqlite3_stmt	*st;
	int		 all, rc, n = 0;

	for (all = 0; all < 2 && n == 0; all++) {
		if ((st = store_stmt(s, sql)) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, q->contact_id);
		sqlite3_bind_int(st, 2, !all);
		sqlite3_bind_text(st, 3, q->topic, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 4, max);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < max) {
			e[n].id = sqlite3_column_int64(st, 0);
			store_copy_text(st, 1, e[n].phone, sizeof(e[n].phone));
			store_copy_text(st, 2, e[n].lang, sizeof(e[n].lang));
			n++;
		}
		sqlite3_reset(st);
		if (rc != SQLITE_DONE && rc != SQLITE_ROW)
			return -1;
	}
	return n;
}

/* Note that a ticket went to an expert; 0 or -1. */
static int
question_forwarded(struct store *s, int64_t ticket, int64_t contact_id)
{
	static const char sql[] = "INSERT OR IGNORE INTO question_forwards "
	    "(question_id, contact_id, forwarded_at) VALUES (?, ?, ?)";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, ticket);
	sqlite3_bind_int64(st, 2, contact_id);
	sqlite3_bind_int64(st, 3, store_now());
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * Forward a ticket by SMS to its experts, each in their language.  How
 * many it went to (0: no experts, staff answer it), or -1.
 */
int
question_forward(struct store *s, const struct conf *conf, int64_t ticket)
{
	static struct question_expert	 e[QUESTION_EXPERTS_MAX];
	static struct question_row	 q;
	char				 id[24], text[ROUTER_REPLY_MAX];
	const char			*vars[7] = { "ticket", id, "topic",
					    NULL, "question", q.text, NULL };
	int				 n, i, rc;

	if ((rc = question_get(s, ticket, &q)) <= 0)
		return rc;
	snprintf(id, sizeof(id), "%lld", (long long)ticket);
	vars[3] = q.topic[0] != '\0' ? q.topic : "-";
	if ((n = question_experts(s, &q, e, QUESTION_EXPERTS_MAX)) <= 0)
		return n;
	for (i = 0; i < n; i++)
		if (text_render(s, e[i].lang[0] ? e[i].lang : conf->language,
		    "ask.forward", vars, text, sizeof(text)) == -1 ||
		    outbox_enqueue(s, e[i].phone, text, OUTBOX_PRIO_ALERT, 0,
		    0) < 0 || question_forwarded(s, ticket, e[i].id) == -1)
			return -1;
	return n;
}

/* Close an open ticket with its answer; 1 closed now, 0 was closed, -1. */
static int
question_close(struct store *s, int64_t ticket, const char *answer,
    const char *by)
{
	static const char sql[] = "UPDATE questions SET state = 'answered', "
	    "answer = ?, answered_by = ?, answered_at = ? WHERE id = ? AND "
	    "state = 'open'";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, answer, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, by, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, store_now());
	sqlite3_bind_int64(st, 4, ticket);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? sqlite3_changes(store_db(s)) : -1;
}

/*
 * Answer a ticket (inside the caller's transaction): the answer goes to
 * the farmer and the ticket closes, its message leaves the queue.  1
 * done, 0 no such ticket, 2 answered already, -1 on error.
 */
int
question_answer(struct store *s, const struct conf *conf, int64_t ticket,
    const char *answer, const char *by)
{
	static struct question_row	 q;
	char				 id[24], text[ROUTER_REPLY_MAX];
	const char			*vars[5] = { "ticket", id, "answer",
					    answer, NULL };
	int				 rc;

	if ((rc = question_get(s, ticket, &q)) <= 0)
		return rc;
	if ((rc = question_close(s, ticket, answer, by)) <= 0)
		return rc < 0 ? -1 : 2;
	snprintf(id, sizeof(id), "%lld", (long long)ticket);
	if (text_render(s, q.lang[0] ? q.lang : conf->language, "ask.answer",
	    vars, text, sizeof(text)) == -1 || outbox_enqueue(s, q.phone, text,
	    OUTBOX_PRIO_REPLY, q.inbox_id, 0) < 0 || (q.inbox_id > 0 &&
	    inbox_needs_person(s, q.inbox_id, 0) == -1))
		return -1;
	return 1;
}

/*
 * Publish an answered ticket, question and answer, as the Indonesian
 * INFO page of a topic.  1 done, 0 no such ticket, -2 (with err) when it
 * cannot be, -1.
 */
int
question_publish(struct store *s, int64_t ticket, const char *topic,
    char *err, size_t errlen)
{
	static struct question_row	q;
	char				body[INFO_TEXT_MAX + 1];
	int				rc;

	if ((rc = question_get(s, ticket, &q)) <= 0)
		return rc;
	if (strcmp(q.state, "answered") != 0) {
		snprintf(err, errlen, "question %lld has no answer yet",
		    (long long)ticket);
		return -2;
	}
	snprintf(body, sizeof(body), "T: %s J: %s", q.text, q.answer);
	if (info_check(topic, "id", body, err, errlen) == -1)
		return -2;
	return info_set(s, topic, "id", body) < 0 ? -1 : 1;
}

/* Mark the tickets unanswered too long; how many, or -1. */
int
question_tick(struct store *s, const struct conf *conf)
{
	static const char sql[] = "UPDATE questions SET overdue_at = ?1 WHERE "
	    "state = 'open' AND overdue_at IS NULL AND created_at <= ?1 - ?2";
	sqlite3_stmt	*st;
	int		 rc;

	if (conf->question_overdue_after == 0)
		return 0;
	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, store_now());
	sqlite3_bind_int64(st, 2, conf->question_overdue_after);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? sqlite3_changes(store_db(s)) : -1;
}

/* Timer: raise the overdue tickets. */
static void
question_on_sweep(evutil_socket_t fd, short ev, void *arg)
{
	int n;

	(void)fd;
	(void)ev;
	(void)arg;
	if ((n = question_tick(question.store, question.conf)) < 0)
		log_warnx("questions: cannot mark the overdue: %s",
		    store_errmsg(question.store));
	else if (n > 0)
		log_warnx("questions: %d question(s) unanswered for %d s", n,
		    question.conf->question_overdue_after);
}

/* Start the overdue timer (a tenth of the time, at most a minute). */
int
question_init(struct event_base *base, struct store *s,
    const struct conf *conf)
{
	struct timeval tv = { conf->question_overdue_after / 10, 0 };

	if (tv.tv_sec < 1 || tv.tv_sec > QUESTION_SWEEP_MAX)
		tv.tv_sec = tv.tv_sec < 1 ? 1 : QUESTION_SWEEP_MAX;

	memset(&question, 0, sizeof(question));
	question.store = s;
	question.conf = conf;
	question.ev_sweep = event_new(base, -1, EV_PERSIST, question_on_sweep,
	    NULL);
	if (question.ev_sweep == NULL)
		return -1;
	return event_add(question.ev_sweep, &tv);
}

/* Stop the overdue timer. */
void
question_free(void)
{
	if (question.ev_sweep != NULL)
		event_free(question.ev_sweep);
	memset(&question, 0, sizeof(question));
}
