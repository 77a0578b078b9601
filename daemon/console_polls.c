/*
 * The console's polls and questions, read-only: each poll's or survey's
 * tally as `poll results` shows it (polls.c's own poll_json), and the
 * questions to experts with their state, topic and answer, beside the
 * experts and their topics.  Polls are made and sent, and questions
 * answered, with the CLI (or by the experts' JAWAB).
 */
#include <stdio.h>
#include <string.h>

#include <event2/http.h>

#include "console.h"
#include "polls.h"
#include "store.h"
#include "user.h"

#define CONSOLE_POLLS_MAX	20	/* the newest polls shown */
#define CONSOLE_QUESTIONS_MAX	200	/* the newest tickets shown */

/* The newest polls' codes into codes; how many, or -1. */
static int
console_poll_codes(char codes[][POLL_CODE_MAX], int max)
{
	static const char sql[] = "SELECT code FROM polls ORDER BY "
	    "created_at DESC, id DESC LIMIT ?";
	sqlite3_stmt	*st;
	int		 n = 0, rc;

	if ((st = store_stmt(console_store(), sql)) == NULL)
		return -1;
	sqlite3_bind_int(st, 1, max);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < max)
		store_copy_text(st, 0, codes[n++], POLL_CODE_MAX);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? n : -1;
}

/* GET /console/api/polls: the newest polls and surveys with their tally. */
void
console_polls(struct evhttp_request *req, const struct user_session *u)
{
	static struct poll_info	 p;	/* large: not on the stack */
	char			 codes[CONSOLE_POLLS_MAX][POLL_CODE_MAX];
	json_t			*a;
	int			 i, n;

	(void)u;
	if ((n = console_poll_codes(codes, CONSOLE_POLLS_MAX)) < 0) {
		console_error(req, 500, "cannot read the polls");
		return;
	}
	a = json_array();
	for (i = 0; i < n; i++)
		if (poll_get(console_store(), codes[i], &p) == 1)
			json_array_append_new(a, poll_json(console_store(), &p));
	console_json(req, 200, json_pack("{s:o}", "polls", a));
}

/* A ticket: overdue when raised and still open. */
static json_t *
console_question_row(sqlite3_stmt *st)
{
	return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
	    "id", (json_int_t)sqlite3_column_int64(st, 0), "state",
	    console_col(st, 1), "phone", console_col(st, 2), "name",
	    console_col(st, 3), "topic", console_col(st, 4), "text",
	    console_col(st, 5), "answer", console_col(st, 6), "by",
	    console_col(st, 7), "at", console_col(st, 8));
}

/* An expert with their topics ("*": every topic). */
static json_t *
console_expert_row(sqlite3_stmt *st)
{
	return json_pack("{s:o, s:o, s:o}", "phone", console_col(st, 0),
	    "name", console_col(st, 1), "topics", console_col(st, 2));
}

/* Every row of a SELECT, bound to a limit when it takes one, as JSON. */
static json_t *
console_poll_rows(const char *sql, int limit, json_t *(*row)(sqlite3_stmt *))
{
	sqlite3_stmt *st;

	if ((st = store_stmt(console_store(), sql)) == NULL)
		return NULL;
	if (limit > 0)
		sqlite3_bind_int(st, 1, limit);
	return console_rows(st, row);
}

/* GET /console/api/questions: the newest tickets and the experts. */
void
console_questions(struct evhttp_request *req, const struct user_session *u)
{
	static const char tickets[] = "SELECT q.id, CASE WHEN q.state = "
	    "'open' AND q.overdue_at IS NOT NULL THEN 'overdue' ELSE q.state "
	    "END, ct.phone, ct.name, q.topic, q.text, COALESCE(q.answer, ''), "
	    "COALESCE(q.answered_by, ''), strftime('%Y-%m-%d %H:%M', "
	    "q.created_at, 'unixepoch', 'localtime') FROM questions q JOIN "
	    "contacts ct ON ct.id = q.contact_id ORDER BY q.id DESC LIMIT ?";
	static const char experts[] = "SELECT ct.phone, ct.name, "
	    "group_concat(t.topic, ' ') FROM expert_topics t JOIN contacts ct "
	    "ON ct.id = t.contact_id GROUP BY ct.id ORDER BY ct.phone";
	json_t	*q, *e = NULL;

	(void)u;
	if ((q = console_poll_rows(tickets, CONSOLE_QUESTIONS_MAX,
	    console_question_row)) == NULL || (e = console_poll_rows(experts, 0,
	    console_expert_row)) == NULL) {
		json_decref(q);
		console_error(req, 500, "cannot read the questions");
		return;
	}
	console_json(req, 200, json_pack("{s:o, s:o}", "questions", q,
	    "experts", e));
}
