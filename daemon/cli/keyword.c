/*
 * kentongan keyword ...: custom keywords, the auto-replies of
 * FrontlineSMS: a text to answer with, a group to join, or a question
 * for the staff.  The rules live in keyword.c; this file parses, calls it
 * and prints.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "keyword.h"
#include "store.h"

/* keyword add WORD (--reply TEXT [--reply-en TEXT] | --join GROUP | --ask) */
static int
cli_keyword_add(struct cli *c, int argc, char **argv)
{
	struct keyword_custom	k;
	char			err[160];
	int			i, rc, actions = 0;

	memset(&k, 0, sizeof(k));
	k.action = KEYWORD_REPLY;
	if (argc < 2)
		goto usage;
	snprintf(k.word, sizeof(k.word), "%s", argv[0]);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--reply") && i + 1 < argc)
			snprintf(k.reply_id, sizeof(k.reply_id), "%s", argv[++i]);
		else if (!strcmp(argv[i], "--reply-en") && i + 1 < argc)
			snprintf(k.reply_en, sizeof(k.reply_en), "%s", argv[++i]);
		else if (!strcmp(argv[i], "--join") && i + 1 < argc) {
			k.action = KEYWORD_JOIN;
			snprintf(k.group, sizeof(k.group), "%s", argv[++i]);
			actions++;
		} else if (!strcmp(argv[i], "--ask")) {
			k.action = KEYWORD_ASK;
			actions++;
		} else
			goto usage;
	}
	if (actions > 1)
		goto usage;
	if (store_begin(c->store) == -1)
		return cli_fail("database busy");
	if ((rc = keyword_add(c->store, &k, err, sizeof(err))) < 0 ||
	    store_audit(c->store, "cli", "keyword add", k.word) == -1 ||
	    store_commit(c->store) == -1) {
		store_rollback(c->store);
		return rc == -2 ? cli_bad_usage("%s", err) :
		    cli_fail("cannot save: %s", store_errmsg(c->store));
	}
	printf("keyword %s: %s%s%s\n", k.word, keyword_action_name(k.action),
	    k.group[0] ? " " : "", k.group);
	return CLI_OK;
usage:
	return cli_bad_usage("usage: keyword add WORD --reply TEXT "
	    "[--reply-en TEXT] | --join GROUP [--reply TEXT] | --ask "
	    "[--reply TEXT]");
}

/* keyword list: the custom keywords, and what they do. */
static int
cli_keyword_list(struct cli *c, int argc, char **argv)
{
	static const char sql[] = "SELECT word, action, group_name, reply_id, "
	    "reply_en FROM keyword_actions ORDER BY word";
	sqlite3_stmt *st;

	(void)argv;
	if (argc != 0)
		return cli_bad_usage("usage: keyword list");
	if ((st = store_stmt(c->store, sql)) == NULL)
		return cli_fail("%s", store_errmsg(c->store));
	return cli_print_stmt(c, st, "KEYWORD\tACTION\tGROUP\tREPLY\tREPLY_EN",
	    "(no custom keywords: kentongan keyword add JADWAL --reply ...)");
}

/* keyword remove WORD */
static int
cli_keyword_remove(struct cli *c, int argc, char **argv)
{
	int n;

	if (argc != 1)
		return cli_bad_usage("usage: keyword remove WORD");
	if (store_begin(c->store) == -1)
		return cli_fail("database busy");
	if ((n = keyword_remove(c->store, argv[0])) < 0 || (n > 0 &&
	    store_audit(c->store, "cli", "keyword remove", argv[0]) == -1) ||
	    store_commit(c->store) == -1) {
		store_rollback(c->store);
		return cli_fail("cannot remove: %s", store_errmsg(c->store));
	}
	if (n == 0)
		return cli_not_found("no custom keyword %s", argv[0]);
	printf("keyword %s removed\n", argv[0]);
	return CLI_OK;
}

static const struct cli_verb cli_keyword_verbs[] = {
	{ "add", cli_keyword_add, "WORD --reply TEXT [--reply-en TEXT] | "
	    "--join GROUP | --ask", "a keyword that answers, joins a group, "
	    "or asks the staff" },
	{ "list", cli_keyword_list, "", "the custom keywords" },
	{ "remove", cli_keyword_remove, "WORD", "forget a custom keyword" },
	{ NULL, NULL, NULL, NULL }
};

int
cli_keyword(struct cli *c, int argc, char **argv)
{
	return cli_run_verbs(c, "keyword", cli_keyword_verbs, argc, argv);
}
