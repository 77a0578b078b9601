/*
 * kentongan alias ...: words and phrases as farmers write them, mapped to
 * a keyword (HRG -> HARGA), a commodity (CABE -> CABAI) or a market, or
 * known as fillers to skip and thank-yous not to answer.  The rules live
 * in alias.c; this file parses, calls it and prints.
 */
#include <stdio.h>
#include <string.h>

#include "alias.h"
#include "cli.h"
#include "store.h"

/* alias add PHRASE TARGET [--keyword|--commodity|--market] | --filler | --thanks */
static int
cli_alias_add(struct cli *c, int argc, char **argv)
{
	static const char *const flags[ALIAS_NKINDS] = { "--keyword",
	    "--commodity", "--market", "--filler", "--thanks" };
	const char	*pos[2] = { NULL, "" };
	enum alias_kind	 k = ALIAS_KEYWORD;
	char		 err[128];
	int		 i, j, np = 0, flagged = 0, rc;

	for (i = 0; i < argc; i++) {
		for (j = 0; j < ALIAS_NKINDS; j++)
			if (strcmp(argv[i], flags[j]) == 0)
				break;
		if (j < ALIAS_NKINDS)
			k = (enum alias_kind)j, flagged = 1;
		else if (np < 2)
			pos[np++] = argv[i];
		else
			np = 3;
	}
	if (np < 1 || np > 2 || (np == 1) != (flagged && k >= ALIAS_FILLER))
		return cli_bad_usage("usage: alias add PHRASE TARGET "
		    "[--keyword|--commodity|--market], or alias add PHRASE "
		    "--filler|--thanks");
	if (store_begin(c->store) == -1)
		return cli_fail("database busy");
	if (!flagged && (rc = alias_guess_kind(c->store, pos[1], &k)) <= 0) {
		store_rollback(c->store);
		return rc < 0 ? cli_fail("database: %s", store_errmsg(c->store)) :
		    cli_bad_usage("%s is no keyword, commodity or market yet; "
		    "say which with --commodity or --market", pos[1]);
	}
	if ((rc = alias_add(c->store, pos[0], pos[1], k, err,
	    sizeof(err))) < 0 || store_audit(c->store, "cli", "alias add",
	    pos[0]) == -1 || store_commit(c->store) == -1) {
		store_rollback(c->store);
		return rc == -2 ? cli_bad_usage("%s", err) :
		    cli_fail("cannot save: %s", store_errmsg(c->store));
	}
	printf("alias %s: %s%s%s%s\n", pos[0], alias_kind_name(k),
	    pos[1][0] ? " " : "", pos[1], rc == 0 ? " (replaced)" : "");
	return CLI_OK;
}

/* alias list [--kind K] */
static int
cli_alias_list(struct cli *c, int argc, char **argv)
{
	static const char sql[] = "SELECT phrase, kind, target FROM aliases "
	    "WHERE ?1 IS NULL OR kind = ?1 ORDER BY kind, phrase";
	sqlite3_stmt	*st;
	enum alias_kind	 k;

	if (argc != 0 && (argc != 2 || strcmp(argv[0], "--kind") != 0 ||
	    alias_kind_parse(argv[1], &k) == -1))
		return cli_bad_usage("usage: alias list [--kind keyword|"
		    "commodity|market|filler|thanks]");
	if ((st = store_stmt(c->store, sql)) == NULL)
		return cli_fail("%s", store_errmsg(c->store));
	if (argc == 2)
		sqlite3_bind_text(st, 1, argv[1], -1, SQLITE_STATIC);
	return cli_print_stmt(c, st, "PHRASE\tKIND\tTARGET",
	    "(no aliases: kentongan alias add CABE CABAI)");
}

/* alias remove PHRASE */
static int
cli_alias_remove(struct cli *c, int argc, char **argv)
{
	int n;

	if (argc != 1)
		return cli_bad_usage("usage: alias remove PHRASE");
	if (store_begin(c->store) == -1)
		return cli_fail("database busy");
	if ((n = alias_remove(c->store, argv[0])) < 0 || (n > 0 &&
	    store_audit(c->store, "cli", "alias remove", argv[0]) == -1) ||
	    store_commit(c->store) == -1) {
		store_rollback(c->store);
		return cli_fail("cannot remove: %s", store_errmsg(c->store));
	}
	if (n == 0)
		return cli_not_found("no alias %s", argv[0]);
	printf("alias %s removed\n", argv[0]);
	return CLI_OK;
}

static const struct cli_verb cli_alias_verbs[] = {
	{ "add", cli_alias_add, "PHRASE TARGET [--keyword|--commodity|"
	    "--market] | PHRASE --filler|--thanks",
	    "a word or phrase farmers write, for a keyword, commodity or "
	    "market; or a word to skip, or a thank-you not to answer" },
	{ "list", cli_alias_list, "[--kind K]", "every alias" },
	{ "remove", cli_alias_remove, "PHRASE", "forget an alias" },
	{ NULL, NULL, NULL, NULL }
};

int
cli_alias(struct cli *c, int argc, char **argv)
{
	return cli_run_verbs(c, "alias", cli_alias_verbs, argc, argv);
}
