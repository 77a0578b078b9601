/* kentongan inbox ...: the messages people sent, and what they got back. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "phone.h"
#include "store.h"

/* Parse a whole number from 1 to max; -1 when it is not one. */
static long long
cli_inbox_number(const char *s, long long max)
{
	char		*end;
	long long	 v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *s == '\0' || *end != '\0' || v < 1 || v > max)
		return -1;
	return v;
}

/* inbox list [--state S] [--from PHONE] [--limit N]: newest first. */
static int
cli_inbox_list(struct cli *c, int argc, char **argv)
{
	static const char sql[] = "SELECT id, datetime(received_at, "
	    "'unixepoch', 'localtime') AS received, sender AS 'from', modem, "
	    "state, "
	    "text, note FROM inbox WHERE (?1 IS NULL OR state = ?1) AND "
	    "(?2 IS NULL OR sender = ?2) ORDER BY id DESC LIMIT ?3";
	static const char usage[] = "usage: inbox list [--state new|done|"
	    "ignored] [--from PHONE] [--limit N]";
	sqlite3_stmt	*st;
	const char	*state = NULL, *from = NULL;
	char		 phone[PHONE_MAX];
	long long	 limit = 20;
	int		 i;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--state") && i + 1 < argc)
			state = argv[++i];
		else if (!strcmp(argv[i], "--from") && i + 1 < argc)
			from = argv[++i];
		else if (!strcmp(argv[i], "--limit") && i + 1 < argc) {
			if ((limit = cli_inbox_number(argv[++i], 100000)) < 0)
				return cli_bad_usage("--limit: a number from "
				    "1 to 100000");
		} else
			return cli_bad_usage("%s", usage);
	}
	if (state != NULL && strcmp(state, "new") && strcmp(state, "done") &&
	    strcmp(state, "ignored"))
		return cli_bad_usage("--state: new, done or ignored");
	if (from != NULL && phone_normalize(from, c->conf.country_code, phone,
	    sizeof(phone)) != PHONE_NUMBER)
		return cli_bad_usage("--from: \"%s\" is not a phone number",
		    from);
	if ((st = store_stmt(c->store, sql)) == NULL)
		return cli_fail("database: %s", store_errmsg(c->store));
	if (state != NULL)
		sqlite3_bind_text(st, 1, state, -1, SQLITE_STATIC);
	if (from != NULL)
		sqlite3_bind_text(st, 2, phone, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, limit);
	return cli_print_stmt(c, st, "ID\tRECEIVED\tFROM\tMODEM\tSTATE\tTEXT\t"
	    "NOTE", "(no messages)");
}

/* Print a message's fields one a line, as `name: value`. */
static void
cli_inbox_fields(json_t *o)
{
	const char	*k;
	json_t		*v;

	json_object_foreach(o, k, v) {
		if (json_is_string(v))
			printf("  %-12s %s\n", k, json_string_value(v));
		else if (json_is_integer(v))
			printf("  %-12s %lld\n", k,
			    (long long)json_integer_value(v));
		else if (json_is_null(v))
			printf("  %-12s -\n", k);
	}
}

/* inbox show ID: one message in full and the replies it got. */
static int
cli_inbox_show(struct cli *c, int argc, char **argv)
{
	static const char sql[] = "SELECT id, sender AS 'from', modem, "
	    "datetime(received_at, 'unixepoch', 'localtime') AS received, "
	    "smsc_time, coding, parts, incomplete, state, note, "
	    "datetime(processed_at, 'unixepoch', 'localtime') AS processed, "
	    "text FROM inbox WHERE id = ?";
	static const char sql_r[] = "SELECT id, state, modem, attempts, "
	    "last_error, datetime(sent_at, 'unixepoch', 'localtime') AS sent, "
	    "text FROM outbox WHERE inbox_id = ? ORDER BY id";
	sqlite3_stmt	*st;
	json_t		*msg, *replies, *r;
	long long	 id;
	size_t		 i;

	if (argc != 1 || (id = cli_inbox_number(argv[0], INT64_MAX)) < 0)
		return cli_bad_usage("usage: inbox show ID (see inbox list)");
	if ((st = store_stmt(c->store, sql)) == NULL)
		return cli_fail("database: %s", store_errmsg(c->store));
	sqlite3_bind_int64(st, 1, id);
	msg = sqlite3_step(st) == SQLITE_ROW ? cli_print_row(st) : NULL;
	sqlite3_reset(st);
	if (msg == NULL)
		return cli_not_found("no message %lld in the inbox", id);
	replies = NULL;
	if ((st = store_stmt(c->store, sql_r)) != NULL) {
		sqlite3_bind_int64(st, 1, id);
		replies = cli_print_rows(st);
	}
	if (replies == NULL) {
		json_decref(msg);
		return cli_fail("database: %s", store_errmsg(c->store));
	}
	json_object_set_new(msg, "replies", replies);
	if (c->json)
		return cli_print_json(c, msg);
	printf("message %lld\n", id);
	cli_inbox_fields(msg);
	json_array_foreach(replies, i, r) {
		printf("reply %lld\n", (long long)json_integer_value(
		    json_object_get(r, "id")));
		cli_inbox_fields(r);
	}
	if (json_array_size(replies) == 0)
		printf("(no reply)\n");
	json_decref(msg);
	return CLI_OK;
}

static const struct cli_verb cli_inbox_verbs[] = {
	{ "list", cli_inbox_list, "[--state new|done|ignored] [--from PHONE] "
	    "[--limit N]", "received messages, newest first (20 unless "
	    "--limit)" },
	{ "show", cli_inbox_show, "ID", "one message in full, with the "
	    "replies it got" },
	{ NULL, NULL, NULL, NULL }
};

/* kentongan inbox VERB ...: the messages received. */
int
cli_inbox(struct cli *c, int argc, char **argv)
{
	return cli_run_verbs(c, "inbox", cli_inbox_verbs, argc, argv);
}
