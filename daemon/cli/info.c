/*
 * kentongan info ...: the pages INFO answers.  Their rules live in
 * info.c; this file parses, calls it and prints.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "info.h"
#include "store.h"

/*
 * Run one change of the owner's in a transaction, with its audit row when
 * it changed something; the rows it changed, or -1.
 */
static int
cli_info_change(struct cli *c, int (*change)(struct store *, const char *,
    const char *, const char *), const char *topic, const char *lang,
    const char *body, const char *audit)
{
	int n;

	if (store_begin(c->store) == -1)
		return -1;
	if ((n = change(c->store, topic, lang, body)) < 0 || (n > 0 &&
	    store_audit(c->store, "cli", audit, topic) == -1)) {
		store_rollback(c->store);
		return -1;
	}
	return store_commit(c->store) == -1 ? -1 : n;
}

/* info_set as a change: a page saved is one changed, new or not. */
static int
cli_info_set_change(struct store *s, const char *topic, const char *lang,
    const char *body)
{
	return info_set(s, topic, lang, body) < 0 ? -1 : 1;
}

/* info_remove with the signature of a change. */
static int
cli_info_remove_change(struct store *s, const char *topic, const char *lang,
    const char *unused)
{
	(void)unused;
	return info_remove(s, topic, lang);
}

/* info set TOPIC TEXT [--lang en] */
static int
cli_info_set(struct cli *c, int argc, char **argv)
{
	const char	*lang = "id";
	char		 err[128];

	if (argc == 4 && !strcmp(argv[2], "--lang"))
		lang = argv[3];
	else if (argc != 2)
		return cli_bad_usage("usage: info set TOPIC TEXT [--lang en]");
	if (info_check(argv[0], lang, argv[1], err, sizeof(err)) == -1)
		return cli_bad_usage("%s", err);
	if (cli_info_change(c, cli_info_set_change, argv[0], lang, argv[1],
	    "info set") == -1)
		return cli_fail("cannot save: %s", store_errmsg(c->store));
	printf("info %s (%s) saved, %zu characters%s\n", argv[0], lang,
	    strlen(argv[1]), strlen(argv[1]) > 160 ? " (more than one SMS)" :
	    "");
	return CLI_OK;
}

/* info list */
static int
cli_info_list(struct cli *c, int argc, char **argv)
{
	static const char sql[] = "SELECT topic, language, body, "
	    "datetime(updated_at, 'unixepoch', 'localtime') AS updated FROM "
	    "info_pages ORDER BY topic, language";
	sqlite3_stmt *st;

	(void)argv;
	if (argc != 0)
		return cli_bad_usage("usage: info list");
	if ((st = store_stmt(c->store, sql)) == NULL)
		return cli_fail("%s", store_errmsg(c->store));
	return cli_print_stmt(c, st, "TOPIC\tLANG\tTEXT\tUPDATED",
	    "(no pages: kentongan info set PUPUK \"...\")");
}

/* info show TOPIC: the page in each language. */
static int
cli_info_show(struct cli *c, int argc, char **argv)
{
	static const char sql[] = "SELECT topic, language, body, "
	    "datetime(updated_at, 'unixepoch', 'localtime') AS updated FROM "
	    "info_pages WHERE topic = ? ORDER BY language";
	sqlite3_stmt	*st;
	json_t		*a, *p;
	size_t		 i;

	if (argc != 1)
		return cli_bad_usage("usage: info show TOPIC");
	if ((st = store_stmt(c->store, sql)) == NULL)
		return cli_fail("%s", store_errmsg(c->store));
	sqlite3_bind_text(st, 1, argv[0], -1, SQLITE_STATIC);
	if ((a = cli_print_rows(st)) == NULL)
		return cli_fail("%s", store_errmsg(c->store));
	if (json_array_size(a) == 0) {
		json_decref(a);
		return cli_not_found("no info page %s", argv[0]);
	}
	if (c->json)
		return cli_print_json(c, a);
	json_array_foreach(a, i, p)
		printf("%s (%s, %s):\n%s\n", json_string_value(json_object_get(
		    p, "topic")), json_string_value(json_object_get(p,
		    "language")), json_string_value(json_object_get(p,
		    "updated")), json_string_value(json_object_get(p, "body")));
	json_decref(a);
	return CLI_OK;
}

/* info remove TOPIC [--lang en] */
static int
cli_info_remove(struct cli *c, int argc, char **argv)
{
	const char	*lang = "";
	int		 n;

	if (argc == 3 && !strcmp(argv[1], "--lang"))
		lang = argv[2];
	else if (argc != 1)
		return cli_bad_usage("usage: info remove TOPIC [--lang en]");
	if ((n = cli_info_change(c, cli_info_remove_change, argv[0], lang,
	    NULL, "info remove")) == -1)
		return cli_fail("cannot delete: %s", store_errmsg(c->store));
	if (n == 0)
		return cli_not_found("no info page %s", argv[0]);
	printf("info %s removed\n", argv[0]);
	return CLI_OK;
}

static const struct cli_verb cli_info_verbs[] = {
	{ "set", cli_info_set, "TOPIC TEXT [--lang en]",
	    "create or replace the page INFO TOPIC answers (Indonesian by "
	    "default)" },
	{ "list", cli_info_list, "", "every page, per language" },
	{ "show", cli_info_show, "TOPIC", "one page in each language" },
	{ "remove", cli_info_remove, "TOPIC [--lang en]",
	    "delete a page (every language unless --lang)" },
	{ "delete", cli_info_remove, "TOPIC [--lang en]", "same as remove" },
	{ "import", cli_csv_info_import, "FILE.csv [--skip-bad]",
	    "create or replace pages from CSV: topic, language, text" },
	{ "export", cli_csv_info_export, "[FILE.csv] [--semicolon|--excel]",
	    "every page as CSV that info import reads back" },
	{ NULL, NULL, NULL, NULL }
};

int
cli_info(struct cli *c, int argc, char **argv)
{
	return cli_run_verbs(c, "info", cli_info_verbs, argc, argv);
}

