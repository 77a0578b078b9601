/*
 * kentongan poll ... and kentongan survey ...: polls (one question) and
 * surveys (several, one after another).  The rules live in polls.c; this
 * file parses, calls it and prints.  A survey is sent, tallied, exported
 * and closed like a poll, so both nouns share those verbs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "log.h"
#include "outbox.h"
#include "polls.h"
#include "store.h"


/* Collect the --option KEY=LABEL arguments after the first `skip`. */
static int
cli_poll_options(int argc, char **argv, int skip, struct poll_option *opt,
    int *nopt)
{
	char	err[160];
	int	i;

	*nopt = 0;
	for (i = skip; i < argc; i++) {
		if (strcmp(argv[i], "--option") != 0 || i + 1 >= argc)
			return cli_bad_usage("unexpected \"%s\" (options are "
			    "--option KEY=LABEL)", argv[i]);
		if (*nopt >= POLL_OPTIONS_MAX)
			return cli_bad_usage("at most %d options",
			    POLL_OPTIONS_MAX);
		if (poll_option_parse(argv[++i], &opt[(*nopt)++], err,
		    sizeof(err)) == -1)
			return cli_bad_usage("%s", err);
	}
	return CLI_OK;
}

/* Commit with an audit row, or roll back; CLI_OK or CLI_ERROR. */
static int
cli_poll_commit(struct cli *c, const char *action, const char *code)
{
	if (store_audit(c->store, "cli", action, code) == -1 ||
	    store_commit(c->store) == -1) {
		store_rollback(c->store);
		return cli_fail("cannot save: %s", store_errmsg(c->store));
	}
	return CLI_OK;
}

/* Add a question to CODE in the open transaction; print what was done. */
static int
cli_poll_add_question(struct cli *c, const char *code, const char *text,
    const struct poll_option *opt, int nopt)
{
	char	err[160] = "";
	int	pos;

	if ((pos = poll_question_add(c->store, code, text, opt, nopt, err,
	    sizeof(err))) <= 0) {
		store_rollback(c->store);
		if (pos == 0)
			return cli_not_found("no poll or survey %s", code);
		if (pos == -2)
			return cli_fail("%s", err);
		return cli_fail("cannot save: %s", store_errmsg(c->store));
	}
	if (cli_poll_commit(c, "poll question add", code) != CLI_OK)
		return CLI_ERROR;
	printf("%s: question %d added (%s)\n", code, pos, nopt > 0 ?
	    "options" : "free text");
	return CLI_OK;
}

/* Create a poll or survey in a transaction; CLI_OK leaves it open. */
static int
cli_poll_new(struct cli *c, const char *code, const char *kind,
    const char *title)
{
	char	err[160] = "";
	int64_t	id;

	if (store_begin(c->store) == -1)
		return cli_fail("database busy");
	if ((id = poll_create(c->store, code, kind, title, err,
	    sizeof(err))) <= 0) {
		store_rollback(c->store);
		if (id == -2)
			return cli_bad_usage("%s", err);
		return id == 0 ? cli_fail("%s", err) :
		    cli_fail("cannot save: %s", store_errmsg(c->store));
	}
	return CLI_OK;
}

/* poll create CODE QUESTION [--option KEY=LABEL]... */
static int
cli_poll_create(struct cli *c, int argc, char **argv)
{
	struct poll_option	opt[POLL_OPTIONS_MAX];
	int			nopt, rc;

	if (argc < 2 || argv[1][0] == '-')
		return cli_bad_usage("usage: poll create CODE QUESTION "
		    "[--option KEY=LABEL]...");
	if ((rc = cli_poll_options(argc, argv, 2, opt, &nopt)) != CLI_OK)
		return rc;
	if (nopt == 1)
		return cli_bad_usage("give two options or more, or none for "
		    "free text");
	if ((rc = cli_poll_new(c, argv[0], "poll", "")) != CLI_OK)
		return rc;
	return cli_poll_add_question(c, argv[0], argv[1], opt, nopt);
}

/* survey create CODE [TITLE] */
static int
cli_survey_create(struct cli *c, int argc, char **argv)
{
	int rc;

	if (argc < 1 || argc > 2)
		return cli_bad_usage("usage: survey create CODE [TITLE]");
	if ((rc = cli_poll_new(c, argv[0], "survey", argc > 1 ? argv[1] :
	    "")) != CLI_OK)
		return rc;
	if (cli_poll_commit(c, "survey create", argv[0]) != CLI_OK)
		return CLI_ERROR;
	printf("survey %s created: add questions with kentongan survey "
	    "question add %s \"...\"\n", argv[0], argv[0]);
	return CLI_OK;
}

/* survey question add CODE TEXT [--option KEY=LABEL]... */
static int
cli_survey_question(struct cli *c, int argc, char **argv)
{
	struct poll_option	opt[POLL_OPTIONS_MAX];
	int			nopt, rc;

	if (argc < 3 || strcmp(argv[0], "add") != 0 || argv[2][0] == '-')
		return cli_bad_usage("usage: survey question add CODE TEXT "
		    "[--option KEY=LABEL]...");
	if ((rc = cli_poll_options(argc, argv, 3, opt, &nopt)) != CLI_OK)
		return rc;
	if (nopt == 1)
		return cli_bad_usage("give two options or more, or none for "
		    "free text");
	if (store_begin(c->store) == -1)
		return cli_fail("database busy");
	return cli_poll_add_question(c, argv[1], argv[2], opt, nopt);
}

/* poll send CODE --to TARGET: the first question, as a broadcast. */
static int
cli_poll_send(struct cli *c, int argc, char **argv)
{
	char	err[160] = "";
	int64_t	bid = 0;
	int	n;

	if (argc != 3 || strcmp(argv[1], "--to") != 0)
		return cli_bad_usage("usage: poll send CODE --to "
		    "group:NAME|all|subscribers:COMMODITY|event:CODE");
	if (store_begin(c->store) == -1)
		return cli_fail("database busy");
	if ((n = poll_send(c->store, argv[0], argv[2], "cli", &bid, err,
	    sizeof(err))) < 0) {
		store_rollback(c->store);
		if (n == -3)
			return cli_not_found("%s", err);
		if (n == -2)
			return cli_fail("%s", err);
		return cli_fail("cannot send: %s", store_errmsg(c->store));
	}
	if (cli_poll_commit(c, "poll send", argv[0]) != CLI_OK)
		return CLI_ERROR;
	printf("%s: broadcast %lld to %s, %d recipient%s queued\n", argv[0],
	    (long long)bid, argv[2], n, n == 1 ? "" : "s");
	return CLI_OK;
}

/* Print one question's tally: counts, percentages, the free answers. */
static void
cli_poll_print_question(struct cli *c, const struct poll_question *q)
{
	static const char sql[] = "SELECT ct.phone, a.text FROM poll_answers "
	    "a JOIN contacts ct ON ct.id = a.contact_id WHERE a.question_id = "
	    "? AND a.option_key = '' ORDER BY a.answered_at";
	sqlite3_stmt	*st;
	char		 who[32], from[64], said[1024], shown[2048];
	int		 i;

	printf("%d. %s\n   %d answer%s\n", q->position, q->text, q->answered,
	    q->answered == 1 ? "" : "s");
	for (i = 0; i < q->nopt; i++)
		printf("   %s=%-20s %5d %5.1f%%\n", q->opt[i].key,
		    q->opt[i].label, q->opt[i].count, q->answered > 0 ?
		    100.0 * q->opt[i].count / q->answered : 0.0);
	if (q->nopt > 0)
		printf("   %-22s %5d %5.1f%%\n", "(other)", q->free,
		    q->answered > 0 ? 100.0 * q->free / q->answered : 0.0);
	if (q->free == 0 || (st = store_stmt(c->store, sql)) == NULL)
		return;
	sqlite3_bind_int64(st, 1, q->id);
	/* Farmers' own words: no control character reaches the terminal. */
	while (sqlite3_step(st) == SQLITE_ROW) {
		store_copy_text(st, 0, who, sizeof(who));
		store_copy_text(st, 1, said, sizeof(said));
		log_escape(shown, sizeof(shown), said);
		log_escape(from, sizeof(from), who);
		printf("   %s: %s\n", from, shown);
	}
	sqlite3_reset(st);
}

/* poll results CODE */
static int
cli_poll_results(struct cli *c, int argc, char **argv)
{
	static struct poll_info	p;
	int			rc, i;

	if (argc != 1)
		return cli_bad_usage("usage: poll results CODE");
	if ((rc = poll_get(c->store, argv[0], &p)) <= 0)
		return rc < 0 ? cli_fail("%s", store_errmsg(c->store)) :
		    cli_not_found("no poll or survey %s", argv[0]);
	if (c->json)
		return cli_print_json(c, poll_json(c->store, &p));
	printf("%s (%s, %s): %d asked, %d answered %s, %d reminded\n",
	    p.code, p.kind, p.state, p.asked, p.done, p.nq > 1 ? "all" :
	    "it", p.reminded);
	for (i = 0; i < p.nq; i++)
		cli_poll_print_question(c, &p.q[i]);
	return CLI_OK;
}

/* poll export CODE [FILE.csv] [--semicolon]: one row per answer. */
static int
cli_poll_export(struct cli *c, int argc, char **argv)
{
	static const char sql[] = "SELECT ct.phone, ct.name, ct.village, "
	    "q.position AS question, a.option_key AS option, COALESCE(o.label, "
	    "'') AS label, a.text AS answer, strftime('%Y-%m-%d %H:%M', "
	    "a.answered_at, 'unixepoch', 'localtime') AS answered_at FROM "
	    "poll_answers a JOIN poll_questions q ON q.id = a.question_id "
	    "JOIN polls p ON p.id = q.poll_id JOIN contacts ct ON ct.id = "
	    "a.contact_id LEFT JOIN poll_options o ON o.question_id = "
	    "a.question_id AND o.key = a.option_key WHERE p.code = ? ORDER BY "
	    "ct.phone, q.position";
	static struct poll_info	 p;
	sqlite3_stmt		*st;
	int			 rc;

	if (argc < 1 || argv[0][0] == '-')
		return cli_bad_usage("usage: poll export CODE [FILE.csv] "
		    "[--semicolon]");
	if ((rc = poll_get(c->store, argv[0], &p)) <= 0)
		return rc < 0 ? cli_fail("%s", store_errmsg(c->store)) :
		    cli_not_found("no poll or survey %s", argv[0]);
	if ((st = store_stmt(c->store, sql)) == NULL)
		return cli_fail("%s", store_errmsg(c->store));
	sqlite3_bind_text(st, 1, argv[0], -1, SQLITE_TRANSIENT);
	return cli_csv_export_stmt(c, st, argc - 1, argv + 1, "poll export "
	    "CODE [FILE.csv] [--semicolon|--excel]", "answer");
}

/* poll close CODE: later answers go to the keywords. */
static int
cli_poll_close(struct cli *c, int argc, char **argv)
{
	int rc;

	if (argc != 1)
		return cli_bad_usage("usage: poll close CODE");
	if (store_begin(c->store) == -1)
		return cli_fail("database busy");
	if ((rc = poll_close(c->store, argv[0])) <= 0) {
		store_rollback(c->store);
		return rc < 0 ? cli_fail("%s", store_errmsg(c->store)) :
		    cli_not_found("no open poll or survey %s", argv[0]);
	}
	if (cli_poll_commit(c, "poll close", argv[0]) != CLI_OK)
		return CLI_ERROR;
	printf("%s closed\n", argv[0]);
	return CLI_OK;
}

/* poll list: polls and surveys with their counts. */
static int
cli_poll_list(struct cli *c, int argc, char **argv)
{
	static const char sql[] = "SELECT p.code, p.kind, p.state, (SELECT "
	    "COUNT(*) FROM poll_questions q WHERE q.poll_id = p.id) AS "
	    "questions, (SELECT COUNT(*) FROM poll_asks a WHERE a.poll_id = "
	    "p.id) AS asked, (SELECT COUNT(*) FROM poll_asks a WHERE "
	    "a.poll_id = p.id AND a.done_at IS NOT NULL) AS completed, "
	    "p.title FROM polls p ORDER BY p.created_at, p.id";
	sqlite3_stmt *st;

	(void)argv;
	if (argc != 0)
		return cli_bad_usage("usage: poll list");
	if ((st = store_stmt(c->store, sql)) == NULL)
		return cli_fail("%s", store_errmsg(c->store));
	return cli_print_stmt(c, st, "CODE\tKIND\tSTATE\tQUESTIONS\tASKED\t"
	    "COMPLETED\tTITLE", "(no polls: kentongan poll create CODE "
	    "\"Question?\" --option 1=Ya --option 2=Tidak)");
}

/* Parse a delay: 90 (seconds), 30m, 3h or 2d; seconds, or -1. */
static long
cli_poll_delay(const char *s)
{
	char	*end;
	long	 v, unit = 1;

	v = strtol(s, &end, 10);
	if (end == s || v < 0)
		return -1;
	if (*end != '\0' && end[1] != '\0')
		return -1;
	switch (*end) {
	case '\0': unit = 1; break;
	case 's': unit = 1; break;
	case 'm': unit = 60; break;
	case 'h': unit = 3600; break;
	case 'd': unit = 86400; break;
	default: return -1;
	}
	return v > 30L * 86400 / unit ? -1 : v * unit;
}

/*
 * event set CODE --survey SURVEY [--survey-after 3h]: the survey goes by
 * itself to the event's confirmed participants that long after its date
 * (a verb of `event`, kept here with the rest of the surveys).
 */
int
cli_poll_event_set(struct cli *c, int argc, char **argv)
{
	const char	*survey = NULL;
	long		 after = 0;
	int		 i, rc;

	for (i = 1; i + 1 < argc; i += 2)
		if (strcmp(argv[i], "--survey") == 0)
			survey = argv[i + 1];
		else if (strcmp(argv[i], "--survey-after") != 0 ||
		    (after = cli_poll_delay(argv[i + 1])) < 0)
			break;
	if (argc < 3 || i != argc || survey == NULL)
		return cli_bad_usage("usage: event set CODE --survey SURVEY "
		    "[--survey-after 3h] (delay: 90, 30m, 3h, 2d; at most 30d)");
	if (store_begin(c->store) == -1)
		return cli_fail("database busy");
	if ((rc = poll_after_event(c->store, survey, argv[0], (int)after)) <=
	    0) {
		store_rollback(c->store);
		return rc < 0 ? cli_fail("%s", store_errmsg(c->store)) :
		    cli_not_found("no event %s, or no survey %s that is still "
		    "a draft", argv[0], survey);
	}
	if (cli_poll_commit(c, "event set survey", argv[0]) != CLI_OK)
		return CLI_ERROR;
	printf("event %s: survey %s goes to the confirmed participants %ld "
	    "min after its date\n", argv[0], survey, after / 60);
	return CLI_OK;
}

static const struct cli_verb cli_poll_verbs[] = {
	{ "create", cli_poll_create, "CODE QUESTION [--option KEY=LABEL]...",
	    "a poll of one question; without options it takes free text" },
	{ "send", cli_poll_send, "CODE --to TARGET",
	    "send it as a broadcast: group:NAME, all, subscribers:X, event:CODE" },
	{ "results", cli_poll_results, "CODE",
	    "counts and percentages per option, and the free-text answers" },
	{ "export", cli_poll_export, "CODE [FILE.csv] [--semicolon|--excel]",
	    "every answer as CSV, one row per person and question" },
	{ "close", cli_poll_close, "CODE", "stop taking answers" },
	{ "list", cli_poll_list, "", "polls and surveys with their counts" },
	{ NULL, NULL, NULL, NULL }
};

static const struct cli_verb cli_survey_verbs[] = {
	{ "create", cli_survey_create, "CODE [TITLE]",
	    "a survey: questions asked one after another" },
	{ "question", cli_survey_question,
	    "add CODE TEXT [--option KEY=LABEL]...",
	    "add the next question (before the survey is sent)" },
	{ "send", cli_poll_send, "CODE --to TARGET",
	    "send the first question as a broadcast" },
	{ "results", cli_poll_results, "CODE", "the tally of each question" },
	{ "export", cli_poll_export, "CODE [FILE.csv] [--semicolon|--excel]",
	    "every answer as CSV" },
	{ "close", cli_poll_close, "CODE", "stop taking answers" },
	{ "list", cli_poll_list, "", "polls and surveys" },
	{ NULL, NULL, NULL, NULL }
};

int
cli_poll(struct cli *c, int argc, char **argv)
{
	return cli_run_verbs(c, "poll", cli_poll_verbs, argc, argv);
}

int
cli_survey(struct cli *c, int argc, char **argv)
{
	return cli_run_verbs(c, "survey", cli_survey_verbs, argc, argv);
}
