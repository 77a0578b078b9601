/*
 * kentongan outbox ...: the durable send queue, as the daemon works it:
 * list, show, retry a failed message, cancel a queued one.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "outbox.h"
#include "store.h"

#define CLI_OUTBOX_SELECT "SELECT id, state, recipient AS 'to', priority, " \
	"modem, attempts, last_error, parts, broadcast_id, inbox_id, " \
	"strftime('%Y-%m-%d %H:%M:%S', created_at, 'unixepoch', 'localtime') " \
	"AS created, strftime('%Y-%m-%d %H:%M:%S', sent_at, 'unixepoch', " \
	"'localtime') AS sent, strftime('%Y-%m-%d %H:%M:%S', delivered_at, " \
	"'unixepoch', 'localtime') AS delivered, text FROM outbox "

/* outbox list [--state S] [--limit N] */
static int
cli_outbox_list(struct cli *c, int argc, char **argv)
{
	static const char sql[] = "SELECT id, state, priority, recipient, "
	    "modem, attempts, next_attempt_at, last_error, substr(text, 1, 30) "
	    "FROM outbox WHERE ?1 IS NULL OR state = ?1 ORDER BY id DESC "
	    "LIMIT ?2";
	static const char sql_j[] = CLI_OUTBOX_SELECT "WHERE ?1 IS NULL OR "
	    "state = ?1 ORDER BY id DESC LIMIT ?2";
	sqlite3_stmt	*st;
	const char	*state = NULL;
	enum outbox_state parsed;
	char		 when[32];
	int64_t		 limit = 20;
	int		 i;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--state") && i + 1 < argc)
			state = argv[++i];
		else if (!strcmp(argv[i], "--limit") && i + 1 < argc &&
		    (limit = cli_id_arg(argv[i + 1])) > 0)
			i++;
		else
			return cli_bad_usage("usage: outbox list [--state S] "
			    "[--limit N]");
	}
	if (state != NULL && outbox_state_parse(state, &parsed) == -1)
		return cli_bad_usage("--state: queued, sending, sent, "
		    "delivered, failed or cancelled");
	if ((st = store_stmt(c->store, c->json ? sql_j : sql)) == NULL)
		return cli_fail("database: %s", store_errmsg(c->store));
	if (state != NULL)
		sqlite3_bind_text(st, 1, state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, limit);
	if (c->json)
		return cli_print_json(c, cli_print_rows(st));
	printf("%-7s %-9s %2s %-16s %-8s %3s %-16s %-30s %s\n", "ID", "STATE",
	    "P", "TO", "MODEM", "TRY", "NEXT", "TEXT", "ERROR");
	while (sqlite3_step(st) == SQLITE_ROW) {
		cli_print_time(sqlite3_column_int64(st, 6), when, sizeof(when));
		printf("%-7lld %-9s %2d %-16s %-8s %3d %-16s %-30s %s\n",
		    (long long)sqlite3_column_int64(st, 0),
		    sqlite3_column_text(st, 1), sqlite3_column_int(st, 2),
		    sqlite3_column_text(st, 3), sqlite3_column_text(st, 4),
		    sqlite3_column_int(st, 5), when,
		    sqlite3_column_text(st, 8), sqlite3_column_text(st, 7));
	}
	sqlite3_reset(st);
	return CLI_OK;
}

/* outbox show ID: one message in full. */
static int
cli_outbox_show(struct cli *c, int argc, char **argv)
{
	static const char sql[] = CLI_OUTBOX_SELECT "WHERE id = ?";
	json_t		*o;
	const char	*k;
	json_t		*v;
	int64_t		 id;
	int		 rc;

	if (argc != 1 || (id = cli_id_arg(argv[0])) < 0)
		return cli_bad_usage("usage: outbox show ID");
	if ((rc = cli_print_lookup(c, sql, id, &o)) == -1)
		return CLI_ERROR;
	if (rc == 1)
		return cli_not_found("no message %lld in the outbox",
		    (long long)id);
	if (c->json)
		return cli_print_json(c, o);
	printf("outbox %lld\n", (long long)id);
	json_object_foreach(o, k, v) {
		if (json_is_integer(v))
			printf("  %-12s %lld\n", k,
			    (long long)json_integer_value(v));
		else
			printf("  %-12s %s\n", k, json_is_string(v) ?
			    json_string_value(v) : "-");
	}
	json_decref(o);
	return CLI_OK;
}

/* Run outbox_retry or outbox_cancel on one id. */
static int
cli_outbox_one(struct cli *c, int argc, char **argv, const char *verb,
    int (*fn)(struct store *, int64_t))
{
	int64_t	id;
	int	n;

	if (argc != 1 || (id = cli_id_arg(argv[0])) < 0)
		return cli_bad_usage("usage: outbox %s ID", verb);
	if (store_begin(c->store) == -1)
		return cli_fail("database busy");
	if ((n = fn(c->store, id)) == -1 || store_commit(c->store) == -1) {
		store_rollback(c->store);
		return cli_fail("database: %s", store_errmsg(c->store));
	}
	if (n == 0)
		return cli_not_found("outbox %lld: no such message in a state "
		    "to %s", (long long)id, verb);
	printf("outbox %lld: %s\n", (long long)id, strcmp(verb, "retry") == 0 ?
	    "queued again" : "cancelled");
	return CLI_OK;
}

/* outbox retry ID: queue a failed or cancelled message again. */
static int
cli_outbox_retry(struct cli *c, int argc, char **argv)
{
	return cli_outbox_one(c, argc, argv, "retry", outbox_retry);
}

/* outbox cancel ID: do not send a queued message. */
static int
cli_outbox_cancel(struct cli *c, int argc, char **argv)
{
	return cli_outbox_one(c, argc, argv, "cancel", outbox_cancel);
}

static const struct cli_verb cli_outbox_verbs[] = {
	{ "list", cli_outbox_list, "[--state S] [--limit N]",
	    "newest messages first; S is queued, sending, sent, delivered, "
	    "failed or cancelled" },
	{ "show", cli_outbox_show, "ID", "one message in full" },
	{ "retry", cli_outbox_retry, "ID", "queue a failed or cancelled "
	    "message again" },
	{ "cancel", cli_outbox_cancel, "ID", "do not send a queued message" },
	{ NULL, NULL, NULL, NULL }
};

int
cli_outbox(struct cli *c, int argc, char **argv)
{
	return cli_run_verbs(c, "outbox", cli_outbox_verbs, argc, argv);
}
