/*
 * Polls and surveys (polls.c: <poll.h> is the system's).
 *
 * DESIGN: a poll is a survey of one question.  Sending one is an ordinary
 * broadcast of its first question (quiet hours, caps, opt-outs and
 * progress come with it); every recipient the broadcast queued gets a row
 * in poll_asks: who was asked which question, and when.  An answer (see
 * cmd_poll.c) is matched against the question's options here, stored in
 * poll_answers, and moves the person to the next question or closes
 * their ask.  A timer reminds, once, a person who stopped answering a
 * survey after survey_remind_after seconds (once a survey, not once a
 * question); the time counts from when the broadcast's message was
 * really sent.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <event2/event.h>

#include "broadcast.h"
#include "conf.h"
#include "lexicon.h"
#include "log.h"
#include "outbox.h"
#include "polls.h"
#include "price.h"
#include "router.h"
#include "store.h"
#include "text.h"

#define POLL_REMIND_BATCH	100	/* reminders queued per tick */
#define POLL_SWEEP_MIN		1	/* seconds between sweeps, at least */
#define POLL_SWEEP_MAX		60	/* ... and at most */

static struct {
	struct store		*store;
	const struct conf	*conf;
	struct event		*ev_sweep;
} polls;

/* Words that say yes or no, as farmers write them; an option means yes
 * or no when its label is one of them. */
static const char *const poll_yes[] = { "YA", "Y", "YAA", "IYA", "IYAA",
    "IYO", "YES", "YUP", "INGGIH", "NGGIH", "BETUL", "BENAR", "SETUJU",
    NULL };
static const char *const poll_no[] = { "TIDAK", "TDK", "TIDA", "TAK", "GAK",
    "GA", "NGGAK", "ENGGAK", "ENGGA", "NGGA", "NDAK", "ORA", "BUKAN", "NO",
    "N", "NOPE", "BELUM", "BLM", NULL };

/* Tell whether a code is 2 to 16 letters, digits, - or _. */
static int
poll_code_ok(const char *s)
{
	return strlen(s) >= 2 && strlen(s) < POLL_CODE_MAX && price_name_ok(s);
}

/*
 * Parse "1=Ya" into an option; the key is one short word typed as an
 * answer.  0, or -1 with a reason.
 */
int
poll_option_parse(const char *spec, struct poll_option *o, char *err,
    size_t errlen)
{
	const char	*eq = strchr(spec, '=');
	size_t		 kl, i;

	memset(o, 0, sizeof(*o));
	if (eq == NULL || eq == spec || eq[1] == '\0') {
		snprintf(err, errlen, "option \"%s\": expected KEY=LABEL, "
		    "e.g. 1=Ya", spec);
		return -1;
	}
	kl = (size_t)(eq - spec);
	if (kl >= sizeof(o->key) || strlen(eq + 1) >= sizeof(o->label)) {
		snprintf(err, errlen, "option \"%s\": key at most %d, label at "
		    "most %d characters", spec, POLL_KEY_MAX - 1,
		    POLL_LABEL_MAX - 1);
		return -1;
	}
	for (i = 0; i < kl; i++) {
		if (!isalnum((unsigned char)spec[i])) {
			snprintf(err, errlen, "option \"%s\": the key is "
			    "letters or digits", spec);
			return -1;
		}
		o->key[i] = (char)toupper((unsigned char)spec[i]);
	}
	snprintf(o->label, sizeof(o->label), "%s", eq + 1);
	return 0;
}

/*
 * Create a poll or survey, a draft.  Its id; 0 when the code is taken,
 * -2 when it is not a code, -1 on a database error.
 */
int64_t
poll_create(struct store *s, const char *code, const char *kind,
    const char *title, char *err, size_t errlen)
{
	static const char sql[] = "INSERT OR IGNORE INTO polls (code, kind, "
	    "title, created_at) VALUES (upper(?), ?, ?, ?)";
	sqlite3_stmt	*st;
	int		 rc;

	if (!poll_code_ok(code)) {
		snprintf(err, errlen, "a code is 2 to %d letters or digits",
		    POLL_CODE_MAX - 1);
		return -2;
	}
	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, title, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, store_now());
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return -1;
	if (sqlite3_changes(store_db(s)) == 0) {
		snprintf(err, errlen, "%s exists already", code);
		return 0;
	}
	return sqlite3_last_insert_rowid(store_db(s));
}

/* Find a poll's id, kind and state; 1 found, 0 not, -1 on error. */
static int
poll_find(struct store *s, const char *code, int64_t *id, char *kind,
    size_t klen, char *state, size_t slen)
{
	static const char sql[] = "SELECT id, kind, state FROM polls WHERE "
	    "code = ?";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		store_copy_text(st, 1, kind, klen);
		store_copy_text(st, 2, state, slen);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* Store one option of a question; 0 or -1. */
static int
poll_option_add(struct store *s, int64_t qid, const struct poll_option *o,
    int pos)
{
	static const char sql[] = "INSERT INTO poll_options (question_id, "
	    "key, label, position) VALUES (?, ?, ?, ?)";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, qid);
	sqlite3_bind_text(st, 2, o->key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, o->label, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, pos);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * Add a question at the end of a draft poll or survey (a poll takes one).
 * Its position; 0 when there is no such poll; -2 (with err) when it is
 * refused; -1 on a database error.
 */
int
poll_question_add(struct store *s, const char *code, const char *text,
    const struct poll_option *opt, int nopt, char *err, size_t errlen)
{
	static const char sql_pos[] = "SELECT COALESCE(MAX(position), 0) + 1 "
	    "FROM poll_questions WHERE poll_id = ?";
	static const char sql_add[] = "INSERT INTO poll_questions (poll_id, "
	    "position, text) VALUES (?, ?, ?)";
	sqlite3_stmt	*st;
	char		 kind[8], state[8];
	int64_t		 id, qid;
	int		 rc, pos = -1, i, j;

	if ((rc = poll_find(s, code, &id, kind, sizeof(kind), state,
	    sizeof(state))) <= 0)
		return rc;
	if (text[0] == '\0' || strlen(text) >= POLL_TEXT_MAX || nopt >
	    POLL_OPTIONS_MAX) {
		snprintf(err, errlen, "a question is 1 to %d bytes with at "
		    "most %d options", POLL_TEXT_MAX - 1, POLL_OPTIONS_MAX);
		return -2;
	}
	for (i = 0; i < nopt; i++)
		for (j = 0; j < i; j++)
			if (strcasecmp(opt[i].key, opt[j].key) == 0) {
				snprintf(err, errlen, "option %s twice",
				    opt[i].key);
				return -2;
			}
	if (strcmp(state, "draft") != 0) {
		snprintf(err, errlen, "%s was sent already: its questions "
		    "stay as they were asked", code);
		return -2;
	}
	if ((st = store_stmt(s, sql_pos)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		pos = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	if (pos < 0)
		return -1;
	if (pos > (strcmp(kind, "poll") == 0 ? 1 : POLL_QUESTIONS_MAX)) {
		snprintf(err, errlen, "%s has all the questions it may have",
		    code);
		return -2;
	}
	if ((st = store_stmt(s, sql_add)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, pos);
	sqlite3_bind_text(st, 3, text, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return -1;
	qid = sqlite3_last_insert_rowid(store_db(s));
	for (i = 0; i < nopt; i++)
		if (poll_option_add(s, qid, &opt[i], i + 1) == -1)
			return -1;
	return pos;
}

/* Read a question's options with their answer counts; 0 or -1. */
static int
poll_get_options(struct store *s, struct poll_question *q)
{
	static const char sql[] = "SELECT o.key, o.label, (SELECT COUNT(*) "
	    "FROM poll_answers a WHERE a.question_id = o.question_id AND "
	    "a.option_key = o.key) FROM poll_options o WHERE o.question_id = "
	    "? ORDER BY o.position";
	static const char sql_n[] = "SELECT COUNT(*), COALESCE(SUM("
	    "option_key = ''), 0) FROM poll_answers WHERE question_id = ?";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, q->id);
	q->nopt = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW &&
	    q->nopt < POLL_OPTIONS_MAX) {
		store_copy_text(st, 0, q->opt[q->nopt].key,
		    sizeof(q->opt[q->nopt].key));
		store_copy_text(st, 1, q->opt[q->nopt].label,
		    sizeof(q->opt[q->nopt].label));
		q->opt[q->nopt++].count = sqlite3_column_int(st, 2);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return -1;
	if ((st = store_stmt(s, sql_n)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, q->id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		q->answered = sqlite3_column_int(st, 0);
		q->free = sqlite3_column_int(st, 1);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

/* Read the people counts of a poll into p; 0 or -1. */
static int
poll_get_counts(struct store *s, struct poll_info *p)
{
	static const char sql[] = "SELECT COUNT(*), COALESCE(SUM(done_at IS "
	    "NOT NULL), 0), COALESCE(SUM(reminded_at IS NOT NULL), 0) FROM "
	    "poll_asks WHERE poll_id = ?";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, p->id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		p->asked = sqlite3_column_int(st, 0);
		p->done = sqlite3_column_int(st, 1);
		p->reminded = sqlite3_column_int(st, 2);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

/* Read a poll, its questions and their tallies; 1 found, 0 not, -1. */
int
poll_get(struct store *s, const char *code, struct poll_info *p)
{
	static const char sql_p[] = "SELECT id, code, kind, title, state FROM "
	    "polls WHERE code = ?";
	static const char sql_q[] = "SELECT id, position, text FROM "
	    "poll_questions WHERE poll_id = ? ORDER BY position";
	sqlite3_stmt	*st;
	int		 rc, i;

	memset(p, 0, sizeof(*p));
	if ((st = store_stmt(s, sql_p)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		p->id = sqlite3_column_int64(st, 0);
		store_copy_text(st, 1, p->code, sizeof(p->code));
		store_copy_text(st, 2, p->kind, sizeof(p->kind));
		store_copy_text(st, 3, p->title, sizeof(p->title));
		store_copy_text(st, 4, p->state, sizeof(p->state));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? 0 : -1;
	if ((st = store_stmt(s, sql_q)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, p->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW &&
	    p->nq < POLL_QUESTIONS_MAX) {
		p->q[p->nq].id = sqlite3_column_int64(st, 0);
		p->q[p->nq].position = sqlite3_column_int(st, 1);
		store_copy_text(st, 2, p->q[p->nq].text,
		    sizeof(p->q[p->nq].text));
		p->nq++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return -1;
	for (i = 0; i < p->nq; i++)
		if (poll_get_options(s, &p->q[i]) == -1)
			return -1;
	return poll_get_counts(s, p) == -1 ? -1 : 1;
}

/* A question's free-text answers, the first POLL_FREE_MAX, as JSON. */
static json_t *
poll_json_free(struct store *s, int64_t qid)
{
	static const char sql[] = "SELECT text FROM poll_answers WHERE "
	    "question_id = ? AND option_key = '' ORDER BY answered_at LIMIT ?";
	sqlite3_stmt	*st;
	json_t		*a = json_array();

	if ((st = store_stmt(s, sql)) == NULL)
		return a;
	sqlite3_bind_int64(st, 1, qid);
	sqlite3_bind_int(st, 2, POLL_FREE_MAX);
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(a, json_string((const char *)
		    sqlite3_column_text(st, 0)));
	sqlite3_reset(st);
	return a;
}

/*
 * A poll's tally as JSON, for `poll results --json` and the HTTP API:
 * per question the count of each option, the other answers and their
 * texts (no phone numbers).
 */
json_t *
poll_json(struct store *s, const struct poll_info *p)
{
	json_t	*qs = json_array(), *opts;
	int	 i, j;

	for (i = 0; i < p->nq; i++) {
		opts = json_array();
		for (j = 0; j < p->q[i].nopt; j++)
			json_array_append_new(opts, json_pack("{s:s, s:s, s:i}",
			    "key", p->q[i].opt[j].key, "label",
			    p->q[i].opt[j].label, "count", p->q[i].opt[j].count));
		json_array_append_new(qs, json_pack("{s:i, s:s, s:i, s:i, "
		    "s:o, s:o}", "position", p->q[i].position, "text",
		    p->q[i].text, "answered", p->q[i].answered, "other",
		    p->q[i].free, "options", opts, "other_texts",
		    poll_json_free(s, p->q[i].id)));
	}
	return json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:i, s:o}", "code",
	    p->code, "kind", p->kind, "title", p->title, "state", p->state,
	    "asked", p->asked, "completed", p->done, "reminded", p->reminded,
	    "questions", qs);
}

/*
 * Write a question as it is sent: "PUPUK: Harga naik? (1=Ya, 2=Tidak)",
 * the code first so an answer can name it.  0, or -1.
 */
int
poll_question_text(struct store *s, int64_t question_id, char *buf,
    size_t len)
{
	static const char sql[] = "SELECT p.code, q.text, o.key, o.label FROM "
	    "poll_questions q JOIN polls p ON p.id = q.poll_id LEFT JOIN "
	    "poll_options o ON o.question_id = q.id WHERE q.id = ? ORDER BY "
	    "o.position";
	sqlite3_stmt	*st;
	char		 item[POLL_KEY_MAX + POLL_LABEL_MAX + 4];
	int		 rc, n = 0;

	buf[0] = '\0';
	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, question_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == 0)
			snprintf(buf, len, "%s: %s", sqlite3_column_text(st, 0),
			    sqlite3_column_text(st, 1));
		if (sqlite3_column_type(st, 2) != SQLITE_NULL) {
			snprintf(item, sizeof(item), "%s%s=%s", n == 0 ?
			    " (" : ", ", sqlite3_column_text(st, 2),
			    sqlite3_column_text(st, 3));
			text_append(buf, len, item);
		}
		n++;
	}
	sqlite3_reset(st);
	if (n > 0 && strchr(buf, '(') != NULL)
		text_append(buf, len, ")");
	return rc == SQLITE_DONE && n > 0 ? 0 : -1;
}

/* The id of a poll's question at a position; 0 when none, -1. */
static int64_t
poll_question_at(struct store *s, int64_t poll_id, int position)
{
	static const char sql[] = "SELECT id FROM poll_questions WHERE "
	    "poll_id = ? AND position = ?";
	sqlite3_stmt	*st;
	int64_t		 id = 0;
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, poll_id);
	sqlite3_bind_int(st, 2, position);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? id : -1;
}

/* Record who a broadcast asked the first question, and open the poll. */
static int
poll_asked(struct store *s, int64_t poll_id, int64_t qid, int64_t bid)
{
	static const char sql_ask[] = "INSERT OR IGNORE INTO poll_asks "
	    "(poll_id, contact_id, question_id, outbox_id, asked_at) SELECT "
	    "?1, c.id, ?2, o.id, ?3 FROM outbox o JOIN contacts c ON c.phone "
	    "= o.recipient WHERE o.broadcast_id = ?4";
	static const char sql_open[] = "UPDATE polls SET state = 'open' "
	    "WHERE id = ?";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, sql_ask)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, poll_id);
	sqlite3_bind_int64(st, 2, qid);
	sqlite3_bind_int64(st, 3, store_now());
	sqlite3_bind_int64(st, 4, bid);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE || (st = store_stmt(s, sql_open)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, poll_id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * Send a poll's first question to a broadcast target (inside the caller's
 * transaction).  The number of recipients queued; -2 (with err) when it
 * cannot be sent; -3 when the poll or the target does not exist; -1 on a
 * database error.
 */
int
poll_send(struct store *s, const char *code, const char *target,
    const char *created_by, int64_t *broadcast_id, char *err, size_t errlen)
{
	struct broadcast_target	 t;
	char			 kind[8], state[8], text[ROUTER_REPLY_MAX];
	int64_t			 id, qid;
	int			 rc, n;

	if ((rc = poll_find(s, code, &id, kind, sizeof(kind), state,
	    sizeof(state))) <= 0) {
		snprintf(err, errlen, "no poll or survey %s", code);
		return rc < 0 ? -1 : -3;
	}
	if (strcmp(state, "closed") == 0) {
		snprintf(err, errlen, "%s is closed", code);
		return -2;
	}
	if (broadcast_parse_target(target, &t, err, errlen) == -1)
		return -2;
	if (t.kind == BROADCAST_NUMBERS) {
		snprintf(err, errlen, "a poll goes to a group, all, "
		    "subscribers:... or event:...");
		return -2;
	}
	if ((rc = broadcast_target_exists(s, &t)) != 1) {
		snprintf(err, errlen, "no such target %s", target);
		return rc < 0 ? -1 : -3;
	}
	if ((qid = poll_question_at(s, id, 1)) <= 0) {
		snprintf(err, errlen, "%s has no question yet", code);
		return qid < 0 ? -1 : -2;
	}
	if (poll_question_text(s, qid, text, sizeof(text)) == -1 ||
	    (*broadcast_id = broadcast_new(s, &t, text, created_by, "", 0)) ==
	    -1 || (n = broadcast_start(s, *broadcast_id)) == -1 ||
	    poll_asked(s, id, qid, *broadcast_id) == -1)
		return -1;
	return n;
}

/* Close a poll: answers after this go to the keywords.  1, 0 none, -1. */
int
poll_close(struct store *s, const char *code)
{
	static const char sql[] = "UPDATE polls SET state = 'closed', "
	    "closed_at = ? WHERE code = ? AND state <> 'closed'";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, store_now());
	sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return -1;
	return sqlite3_changes(store_db(s)) > 0;
}

/*
 * Make a draft survey an event's feedback survey, sent by the timer to
 * its confirmed participants `after` seconds after the event's date.
 * 1 done, 0 no such draft or no such event, -1.
 */
int
poll_after_event(struct store *s, const char *code, const char *event,
    int after)
{
	static const char sql[] = "UPDATE polls SET event_code = upper(?1), "
	    "event_after = ?2 WHERE code = ?3 AND state = 'draft' AND EXISTS "
	    "(SELECT 1 FROM events WHERE code = upper(?1))";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, event, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, after);
	sqlite3_bind_text(st, 3, code, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? sqlite3_changes(store_db(s)) : -1;
}

/*
 * Send the one event feedback survey that is due (its event's local date
 * and time plus its delay have passed), inside the caller's transaction.
 * 1 sent, 0 none due, -1.
 */
int
poll_event_tick(struct store *s)
{
	static const char sql[] = "SELECT p.code, e.code FROM polls p JOIN "
	    "events e ON e.code = p.event_code WHERE p.state = 'draft' AND "
	    "p.event_code <> '' AND e.event_date IS NOT NULL AND "
	    "CAST(strftime('%s', e.event_date, 'utc') AS INTEGER) + "
	    "p.event_after <= ? ORDER BY p.id LIMIT 1";
	sqlite3_stmt	*st;
	char		 code[POLL_CODE_MAX], target[BROADCAST_TARGET_MAX];
	char		 err[160];
	int64_t		 bid;
	int		 rc, n;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, store_now());
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_copy_text(st, 0, code, sizeof(code));
		snprintf(target, sizeof(target), "event:%s:confirmed",
		    sqlite3_column_text(st, 1));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? 0 : -1;
	if ((n = poll_send(s, code, target, "event", &bid, err,
	    sizeof(err))) == -1)
		return -1;
	if (n < 0) {
		/* Never sendable (no question, no event): stop trying. */
		log_warnx("survey %s after %s: %s", code, target, err);
		return poll_close(s, code) < 0 ? -1 : 0;
	}
	log_info("survey %s: sent to %s, %d recipient(s)", code, target, n);
	return 1;
}

/*
 * The questions a contact was asked and has not answered, in open polls,
 * the one asked last first.  How many (at most max), or -1.
 */
int
poll_open_asks(struct store *s, int64_t contact_id, struct poll_ask *a,
    int max)
{
	static const char sql[] = "SELECT a.id, a.question_id, p.code, "
	    "a.repeated, (SELECT COUNT(*) FROM poll_options o WHERE "
	    "o.question_id = a.question_id) FROM poll_asks a JOIN polls p ON "
	    "p.id = a.poll_id WHERE a.contact_id = ? AND a.done_at IS NULL "
	    "AND p.state = 'open' ORDER BY a.asked_at DESC, a.id DESC LIMIT ?";
	sqlite3_stmt	*st;
	int		 rc, n = 0;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, contact_id);
	sqlite3_bind_int(st, 2, max);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < max) {
		a[n].id = sqlite3_column_int64(st, 0);
		a[n].question_id = sqlite3_column_int64(st, 1);
		store_copy_text(st, 2, a[n].code, sizeof(a[n].code));
		a[n].repeated = sqlite3_column_int(st, 3);
		a[n].nopt = sqlite3_column_int(st, 4);
		n++;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? n : -1;
}

/* Tell whether a word is in a NULL-terminated list. */
static int
poll_word_in(const char *w, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(w, *list) == 0)
			return 1;
	return 0;
}

/* 1 when a word says yes, 2 no, 0 neither. */
static int
poll_yes_no(const char *w)
{
	return poll_word_in(w, poll_yes) ? 1 : poll_word_in(w, poll_no) ? 2 :
	    0;
}

/*
 * Tell whether the tokens at i answer an option: its key ("1", "2."), its
 * label ("Naik sedikit", any case), or a yes/no word when the label
 * means yes or no ("iya", "gak" for "Tidak").
 */
static int
poll_option_fits(const struct poll_option *o, const struct router_tokens *tok,
    int i)
{
	struct router_tokens	lab;
	int			j, yn;

	if (strcasecmp(tok->t[i].s, o->key) == 0)
		return 1;
	router_tokenize(o->label, &lab);
	for (j = 0; j < lab.n && i + j < tok->n; j++)
		if (strcmp(lab.t[j].s, tok->t[i + j].s) != 0)
			break;
	if (lab.n > 0 && j == lab.n)
		return 1;
	yn = poll_yes_no(tok->t[i].s);
	return yn != 0 && lab.n > 0 && poll_yes_no(lab.t[0].s) == yn;
}

/*
 * Match an answer, from token `from` on, to one of a question's options:
 * the first word that fits one wins; fillers ("pak", "bu") are passed
 * over; any other word first means it fits none.  1 with the option's key,
 * 0 when nothing fits, -1 on a database error.
 */
int
poll_match(struct store *s, int64_t question_id,
    const struct router_tokens *tok, int from, char *key, size_t keylen)
{
	struct poll_question	q;
	int			i, j, rc;

	memset(&q, 0, sizeof(q));
	q.id = question_id;
	if (poll_get_options(s, &q) == -1)
		return -1;
	for (i = from; i < tok->n; i++) {
		for (j = 0; j < q.nopt; j++)
			if (poll_option_fits(&q.opt[j], tok, i)) {
				snprintf(key, keylen, "%s", q.opt[j].key);
				return 1;
			}
		if ((rc = lexicon_filler(s, tok->t[i].s)) <= 0)
			return rc;
	}
	return 0;
}

/* Store a person's answer to a question (the last one counts); 0 or -1. */
static int
poll_answer_store(struct store *s, int64_t qid, int64_t contact_id,
    const char *key, const char *text, int64_t inbox_id)
{
	static const char sql[] = "INSERT OR REPLACE INTO poll_answers "
	    "(question_id, contact_id, option_key, text, inbox_id, "
	    "answered_at) VALUES (?, ?, ?, ?, ?, ?)";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, qid);
	sqlite3_bind_int64(st, 2, contact_id);
	sqlite3_bind_text(st, 3, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, text, -1, SQLITE_STATIC);
	if (inbox_id > 0)
		sqlite3_bind_int64(st, 5, inbox_id);
	else
		sqlite3_bind_null(st, 5);
	sqlite3_bind_int64(st, 6, store_now());
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * Record an answer to an open ask ("" key: free text) and move the
 * person on: 1 with the next question's id in *next, 0 when they
 * answered the last one, -1 on a database error.
 */
int
poll_answer(struct store *s, const struct poll_ask *a, const char *key,
    const char *text, int64_t inbox_id, int64_t *next)
{
	static const char sql_who[] = "SELECT a.contact_id, a.poll_id, "
	    "q.position FROM poll_asks a JOIN poll_questions q ON q.id = "
	    "a.question_id WHERE a.id = ?";
	static const char sql_next[] = "UPDATE poll_asks SET question_id = ?, "
	    "outbox_id = NULL, asked_at = ?, repeated = 0 "
	    "WHERE id = ?";
	static const char sql_done[] = "UPDATE poll_asks SET done_at = ? "
	    "WHERE id = ?";
	sqlite3_stmt	*st;
	int64_t		 contact = 0, poll_id = 0;
	int		 pos = 0, rc;

	if ((st = store_stmt(s, sql_who)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, a->id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		contact = sqlite3_column_int64(st, 0);
		poll_id = sqlite3_column_int64(st, 1);
		pos = sqlite3_column_int(st, 2);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW || poll_answer_store(s, a->question_id, contact,
	    key, text, inbox_id) == -1 ||
	    (*next = poll_question_at(s, poll_id, pos + 1)) < 0)
		return -1;
	if ((st = store_stmt(s, *next > 0 ? sql_next : sql_done)) == NULL)
		return -1;
	if (*next > 0) {
		sqlite3_bind_int64(st, 1, *next);
		sqlite3_bind_int64(st, 2, store_now());
		sqlite3_bind_int64(st, 3, a->id);
	} else {
		sqlite3_bind_int64(st, 1, store_now());
		sqlite3_bind_int64(st, 2, a->id);
	}
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return -1;
	return *next > 0;
}

/* Note that an off-option answer got the question again; 0 or -1. */
int
poll_repeat(struct store *s, int64_t ask_id)
{
	static const char sql[] = "UPDATE poll_asks SET repeated = 1 WHERE "
	    "id = ?";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, ask_id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

struct poll_due {
	int64_t	ask;
	int64_t	question;
	char	phone[24];
	char	lang[4];
};

/* Read the survey asks due a reminder into due; how many, or -1. */
static int
poll_due(struct store *s, const struct conf *conf, struct poll_due *due,
    int max)
{
	static const char sql[] = "SELECT a.id, a.question_id, c.phone, "
	    "c.language FROM poll_asks a JOIN polls p ON p.id = a.poll_id "
	    "JOIN contacts c ON c.id = a.contact_id LEFT JOIN outbox o ON "
	    "o.id = a.outbox_id WHERE a.done_at IS NULL AND a.reminded_at IS "
	    "NULL AND p.state = 'open' AND p.kind = 'survey' AND "
	    "c.opted_out = 0 AND (a.outbox_id IS NULL OR o.sent_at IS NOT "
	    "NULL) AND MAX(a.asked_at, COALESCE(o.sent_at, 0)) <= ? ORDER BY "
	    "a.id LIMIT ?";
	sqlite3_stmt	*st;
	int		 rc, n = 0;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, store_now() - conf->survey_remind_after);
	sqlite3_bind_int(st, 2, max);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < max) {
		due[n].ask = sqlite3_column_int64(st, 0);
		due[n].question = sqlite3_column_int64(st, 1);
		store_copy_text(st, 2, due[n].phone, sizeof(due[n].phone));
		store_copy_text(st, 3, due[n].lang, sizeof(due[n].lang));
		if (due[n].lang[0] == '\0')
			snprintf(due[n].lang, sizeof(due[n].lang), "%s",
			    conf->language);
		n++;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? n : -1;
}

/*
 * Remind, once, everyone who stopped answering a survey: the question
 * again, as a broadcast message (quiet hours and caps apply).  Inside
 * the caller's transaction; how many were reminded, or -1.
 */
int
poll_tick(struct store *s, const struct conf *conf)
{
	static const char sql_mark[] = "UPDATE poll_asks SET reminded_at = ? "
	    "WHERE id = ?";
	static struct poll_due	 due[POLL_REMIND_BATCH];
	sqlite3_stmt		*st;
	char			 q[ROUTER_REPLY_MAX], text[ROUTER_REPLY_MAX];
	const char		*vars[3] = { "question", q, NULL };
	int			 n, i, rc;

	if (conf->survey_remind_after == 0)
		return 0;
	if ((n = poll_due(s, conf, due, POLL_REMIND_BATCH)) <= 0)
		return n;
	for (i = 0; i < n; i++) {
		if (poll_question_text(s, due[i].question, q, sizeof(q)) == -1 ||
		    text_render(s, due[i].lang, "poll.remind", vars, text,
		    sizeof(text)) == -1 || outbox_enqueue(s, due[i].phone, text,
		    OUTBOX_PRIO_BROADCAST, 0, 0) < 0 ||
		    (st = store_stmt(s, sql_mark)) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, store_now());
		sqlite3_bind_int64(st, 2, due[i].ask);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return -1;
	}
	return n;
}

/* Seconds to the next sweep: a quarter of the reminder time, bounded. */
static int
poll_sweep_secs(const struct conf *conf)
{
	int secs = conf->survey_remind_after / 4;

	return secs < POLL_SWEEP_MIN ? POLL_SWEEP_MIN : secs > POLL_SWEEP_MAX ?
	    POLL_SWEEP_MAX : secs;
}

/* Timer: send the reminders that are due, in one transaction. */
static void
poll_on_sweep(evutil_socket_t fd, short ev, void *arg)
{
	struct timeval	tv = { poll_sweep_secs(polls.conf), 0 };
	int		n;

	(void)fd;
	(void)ev;
	(void)arg;
	if (store_begin(polls.store) == 0) {
		if ((n = poll_tick(polls.store, polls.conf)) < 0 ||
		    poll_event_tick(polls.store) < 0 ||
		    store_commit(polls.store) == -1) {
			log_warnx("polls: cannot send reminders or surveys: %s",
			    store_errmsg(polls.store));
			store_rollback(polls.store);
		} else if (n > 0) {
			log_info("polls: %d survey reminder(s) queued", n);
			outbox_kick();
		}
	}
	evtimer_add(polls.ev_sweep, &tv);
}

/* Start the reminder timer; conf must outlive it. */
int
poll_init(struct event_base *base, struct store *s, const struct conf *conf)
{
	struct timeval tv = { poll_sweep_secs(conf), 0 };

	memset(&polls, 0, sizeof(polls));
	polls.store = s;
	polls.conf = conf;
	if ((polls.ev_sweep = evtimer_new(base, poll_on_sweep, NULL)) == NULL)
		return -1;
	return evtimer_add(polls.ev_sweep, &tv);
}

/* Stop the reminder timer. */
void
poll_free(void)
{
	if (polls.ev_sweep != NULL)
		event_free(polls.ev_sweep);
	memset(&polls, 0, sizeof(polls));
}
