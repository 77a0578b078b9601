/*
 * kentongan expert ... and kentongan question ...: the experts TANYA
 * questions go to, by topic, and the tickets staff answer.  The rules
 * live in question.c; this file parses, calls it and prints.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "contact.h"
#include "question.h"
#include "store.h"

#define CLI_QUESTION_ANSWER_MAX	1000

/* Commit with an audit row, or roll back; CLI_OK or CLI_ERROR. */
static int
cli_question_commit(struct cli *c, const char *action, const char *what)
{
	if (store_audit(c->store, "cli", action, what) == -1 ||
	    store_commit(c->store) == -1) {
		store_rollback(c->store);
		return cli_fail("cannot save: %s", store_errmsg(c->store));
	}
	return CLI_OK;
}

/* expert add PHONE [--topic TOPIC]...: no topic, any topic. */
static int
cli_expert_add(struct cli *c, int argc, char **argv)
{
	char	phone[PHONE_MAX];
	int64_t	cid;
	int	i, n = 0, rc;

	if (argc < 1 || cli_phone_arg(c, argv[0], phone, sizeof(phone)) == -1)
		return cli_bad_usage("usage: expert add PHONE [--topic TOPIC]...");
	for (i = 1; i < argc; i += 2)
		if (strcmp(argv[i], "--topic") != 0 || i + 1 >= argc ||
		    argv[i + 1][0] == '\0' || strlen(argv[i + 1]) >=
		    QUESTION_TOPIC_MAX)
			return cli_bad_usage("usage: expert add PHONE "
			    "[--topic TOPIC]...");
	if (store_begin(c->store) == -1)
		return cli_fail("database busy");
	if ((cid = contact_ensure(c->store, phone)) < 0)
		goto fail;
	if (argc == 1 && (n = question_expert_add(c->store, cid,
	    QUESTION_ANY)) < 0)
		goto fail;
	for (i = 2; i < argc; i += 2) {
		if ((rc = question_expert_add(c->store, cid, argv[i])) < 0)
			goto fail;
		n += rc;
	}
	if (cli_question_commit(c, "expert add", phone) != CLI_OK)
		return CLI_ERROR;
	printf("expert %s: %d topic%s added\n", phone, n, n == 1 ? "" : "s");
	return CLI_OK;
fail:
	store_rollback(c->store);
	return cli_fail("cannot save: %s", store_errmsg(c->store));
}

/* expert remove PHONE */
static int
cli_expert_remove(struct cli *c, int argc, char **argv)
{
	char	phone[PHONE_MAX];
	int64_t	cid;
	int	n;

	if (argc != 1 || cli_phone_arg(c, argv[0], phone, sizeof(phone)) == -1)
		return cli_bad_usage("usage: expert remove PHONE");
	if (store_begin(c->store) == -1)
		return cli_fail("database busy");
	if ((cid = contact_find(c->store, phone)) < 0 ||
	    (n = cid == 0 ? 0 : question_expert_remove(c->store, cid)) < 0) {
		store_rollback(c->store);
		return cli_fail("cannot save: %s", store_errmsg(c->store));
	}
	if (n == 0) {
		store_rollback(c->store);
		return cli_not_found("%s is not an expert", phone);
	}
	if (cli_question_commit(c, "expert remove", phone) != CLI_OK)
		return CLI_ERROR;
	printf("%s is an expert no more\n", phone);
	return CLI_OK;
}

/* expert list */
static int
cli_expert_list(struct cli *c, int argc, char **argv)
{
	static const char sql[] = "SELECT ct.phone, ct.name, group_concat("
	    "t.topic, ' ') AS topics FROM expert_topics t JOIN contacts ct ON "
	    "ct.id = t.contact_id GROUP BY ct.id ORDER BY ct.phone";
	sqlite3_stmt *st;

	(void)argv;
	if (argc != 0)
		return cli_bad_usage("usage: expert list");
	if ((st = store_stmt(c->store, sql)) == NULL)
		return cli_fail("%s", store_errmsg(c->store));
	return cli_print_stmt(c, st, "PHONE\tNAME\tTOPICS", "(no experts: "
	    "kentongan expert add 0812... --topic CABAI)");
}

/* question list [--open]: the newest first; OVERDUE when raised. */
static int
cli_question_list(struct cli *c, int argc, char **argv)
{
	static const char sql[] = "SELECT q.id, CASE WHEN q.state = 'open' "
	    "AND q.overdue_at IS NOT NULL THEN 'overdue' ELSE q.state END AS "
	    "state, ct.phone, q.topic, q.text, q.answer, q.answered_by FROM "
	    "questions q JOIN contacts ct ON ct.id = q.contact_id WHERE ?1 = 0 "
	    "OR q.state = 'open' ORDER BY q.id DESC";
	sqlite3_stmt	*st;
	int		 open = argc == 1 && strcmp(argv[0], "--open") == 0;

	if (argc > 1 || (argc == 1 && !open))
		return cli_bad_usage("usage: question list [--open]");
	if ((st = store_stmt(c->store, sql)) == NULL)
		return cli_fail("%s", store_errmsg(c->store));
	sqlite3_bind_int(st, 1, open);
	return cli_print_stmt(c, st, "TICKET\tSTATE\tPHONE\tTOPIC\tQUESTION\t"
	    "ANSWER\tBY", "(no questions)");
}

/* Publish ticket's question and answer as INFO TOPIC, in the open tx. */
static int
cli_question_publish_tx(struct cli *c, int64_t ticket, const char *topic)
{
	char	err[160] = "";
	int	rc;

	if ((rc = question_publish(c->store, ticket, topic, err,
	    sizeof(err))) <= 0) {
		store_rollback(c->store);
		if (rc == -2)
			return cli_fail("%s", err);
		return rc == 0 ? cli_not_found("no question %lld",
		    (long long)ticket) : cli_fail("cannot save: %s",
		    store_errmsg(c->store));
	}
	return CLI_OK;
}

/* question answer N TEXT [--publish TOPIC]: to the farmer, by SMS. */
static int
cli_question_answer(struct cli *c, int argc, char **argv)
{
	const char	*topic = NULL;
	int64_t		 ticket;
	int		 rc;

	if (argc == 4 && strcmp(argv[2], "--publish") == 0)
		topic = argv[3];
	if ((argc != 2 && topic == NULL) || (ticket = cli_id_arg(argv[0])) <
	    0 || argv[1][0] == '\0' || strlen(argv[1]) >=
	    CLI_QUESTION_ANSWER_MAX)
		return cli_bad_usage("usage: question answer N TEXT "
		    "[--publish TOPIC]");
	if (store_begin(c->store) == -1)
		return cli_fail("database busy");
	if ((rc = question_answer(c->store, &c->conf, ticket, argv[1],
	    "cli")) != 1) {
		store_rollback(c->store);
		if (rc == 0)
			return cli_not_found("no question %s", argv[0]);
		return rc == 2 ? cli_fail("question %s was answered already",
		    argv[0]) : cli_fail("cannot save: %s",
		    store_errmsg(c->store));
	}
	if (topic != NULL && cli_question_publish_tx(c, ticket, topic) !=
	    CLI_OK)
		return CLI_ERROR;
	if (cli_question_commit(c, "question answer", argv[0]) != CLI_OK)
		return CLI_ERROR;
	printf("question %s answered; the answer is queued to the farmer%s%s\n",
	    argv[0], topic != NULL ? " and published as INFO " : "",
	    topic != NULL ? topic : "");
	return CLI_OK;
}

/* question publish N TOPIC: question and answer as an INFO page. */
static int
cli_question_publish(struct cli *c, int argc, char **argv)
{
	int64_t ticket;

	if (argc != 2 || (ticket = cli_id_arg(argv[0])) < 0)
		return cli_bad_usage("usage: question publish N TOPIC");
	if (store_begin(c->store) == -1)
		return cli_fail("database busy");
	if (cli_question_publish_tx(c, ticket, argv[1]) != CLI_OK ||
	    cli_question_commit(c, "question publish", argv[0]) != CLI_OK)
		return CLI_ERROR;
	printf("question %s published as INFO %s\n", argv[0], argv[1]);
	return CLI_OK;
}

static const struct cli_verb cli_expert_verbs[] = {
	{ "add", cli_expert_add, "PHONE [--topic TOPIC]...",
	    "TANYA questions on these topics (none: any topic) go to PHONE" },
	{ "list", cli_expert_list, "", "experts and their topics" },
	{ "remove", cli_expert_remove, "PHONE", "no more questions to PHONE" },
	{ NULL, NULL, NULL, NULL }
};

static const struct cli_verb cli_question_verbs[] = {
	{ "list", cli_question_list, "[--open]",
	    "TANYA tickets, the newest first; overdue ones say so" },
	{ "answer", cli_question_answer, "N TEXT [--publish TOPIC]",
	    "answer ticket N by SMS (and publish it as an INFO page)" },
	{ "publish", cli_question_publish, "N TOPIC",
	    "an answered ticket's question and answer as INFO TOPIC" },
	{ NULL, NULL, NULL, NULL }
};

int
cli_expert(struct cli *c, int argc, char **argv)
{
	return cli_run_verbs(c, "expert", cli_expert_verbs, argc, argv);
}

int
cli_question(struct cli *c, int argc, char **argv)
{
	return cli_run_verbs(c, "question", cli_question_verbs, argc, argv);
}
