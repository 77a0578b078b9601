/*
 * kentongan event ...: trainings and events people register for by SMS
 * (DAFTAR <CODE>), with a quota, a deadline and a waitlist.  The rules
 * live in event.c; this file parses, calls it and prints.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "event.h"
#include "store.h"

/* event create CODE TITLE --quota N [--deadline D] [--date D] [--place P] */
static int
cli_event_create(struct cli *c, int argc, char **argv)
{
	struct event_spec e = { .place = "", .quota = -1 };
	const char	*pos[2] = { NULL, NULL };
	char		*end, why[96];
	int		 i, np = 0, rc;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--quota") && i + 1 < argc) {
			e.quota = strtol(argv[++i], &end, 10);
			if (*argv[i] == '\0' || *end != '\0' || e.quota < 0 ||
			    e.quota > EVENT_QUOTA_MAX)
				return cli_bad_usage("--quota: a number 0..100000");
		} else if (!strcmp(argv[i], "--deadline") && i + 1 < argc)
			e.deadline = argv[++i];
		else if (!strcmp(argv[i], "--date") && i + 1 < argc)
			e.date = argv[++i];
		else if (!strcmp(argv[i], "--place") && i + 1 < argc)
			e.place = argv[++i];
		else if (np < 2 && argv[i][0] != '-')
			pos[np++] = argv[i];
		else
			return cli_bad_usage("event create: unexpected \"%s\"",
			    argv[i]);
	}
	if (np != 2 || e.quota < 0)
		return cli_bad_usage("usage: event create CODE TITLE --quota N "
		    "[--deadline YYYY-MM-DD] [--date ...] [--place ...]");
	e.code = pos[0];
	e.title = pos[1];
	if (store_begin(c->store) == -1)
		return cli_fail("database busy");
	if ((rc = event_create(c->store, &e, why, sizeof(why))) <= 0) {
		store_rollback(c->store);
		if (rc == -2)
			return cli_bad_usage("%s", why);
		if (rc == 0)
			return cli_fail("event %s exists already", pos[0]);
		return cli_fail("cannot save: %s", store_errmsg(c->store));
	}
	if (store_audit(c->store, "cli", "event create", pos[0]) == -1 ||
	    store_commit(c->store) == -1) {
		store_rollback(c->store);
		return cli_fail("cannot save: %s", store_errmsg(c->store));
	}
	printf("event %s created, quota %ld\n", pos[0], e.quota);
	return CLI_OK;
}

/* Print an events query: code, title, date, place, quota, counts. */
static int
cli_event_print(sqlite3_stmt *st)
{
	int	n = 0, rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		printf("%-8s %-6s %3d/%-3d +%-3d %-10s %-10s %s, %s\n",
		    sqlite3_column_text(st, 0), sqlite3_column_text(st, 1),
		    sqlite3_column_int(st, 2), sqlite3_column_int(st, 3),
		    sqlite3_column_int(st, 4), sqlite3_column_text(st, 5),
		    sqlite3_column_text(st, 6), sqlite3_column_text(st, 7),
		    sqlite3_column_text(st, 8));
		n++;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? n : -1;
}

#define CLI_EVENT_SELECT "SELECT e.code, e.status, (SELECT COUNT(*) FROM " \
	"registrations r WHERE r.event_id = e.id AND r.status = " \
	"'confirmed'), e.quota, (SELECT COUNT(*) FROM registrations r WHERE " \
	"r.event_id = e.id AND r.status = 'waitlisted'), " \
	"COALESCE(e.deadline, '-'), COALESCE(e.event_date, '-'), e.title, " \
	"e.place FROM events e "

/* The same, with named and unformatted columns for --json. */
#define CLI_EVENT_JSON "SELECT e.code, e.title, e.status, e.quota, " \
	"(SELECT COUNT(*) FROM registrations r WHERE r.event_id = e.id AND " \
	"r.status = 'confirmed') AS confirmed, (SELECT COUNT(*) FROM " \
	"registrations r WHERE r.event_id = e.id AND r.status = " \
	"'waitlisted') AS waitlisted, e.deadline, e.event_date AS date, " \
	"e.place FROM events e "

/* event list */
static int
cli_event_list(struct cli *c, int argc, char **argv)
{
	static const char sql[] = CLI_EVENT_SELECT "ORDER BY e.created_at";
	static const char sql_j[] = CLI_EVENT_JSON "ORDER BY e.created_at";
	sqlite3_stmt	*st;
	int		 n;

	(void)argv;
	if (argc != 0)
		return cli_bad_usage("usage: event list");
	if (c->json)
		return (st = store_stmt(c->store, sql_j)) == NULL ?
		    cli_fail("%s", store_errmsg(c->store)) :
		    cli_print_json(c, cli_print_rows(st));
	if ((st = store_stmt(c->store, sql)) == NULL)
		return cli_fail("%s", store_errmsg(c->store));
	printf("%-8s %-6s %-7s %-4s %-10s %-10s %s\n", "CODE", "STATE",
	    "CONF/QUOTA", "WAIT", "DEADLINE", "DATE", "TITLE, PLACE");
	if ((n = cli_event_print(st)) < 0)
		return cli_fail("%s", store_errmsg(c->store));
	if (n == 0)
		printf("(no events: kentongan event create TANI24 \"Pelatihan "
		    "pupuk\" --quota 30)\n");
	return CLI_OK;
}

#define CLI_EVENT_REGS "SELECT r.status, k.phone, r.name, " \
	"datetime(r.created_at, 'unixepoch', 'localtime') AS registered FROM " \
	"registrations r JOIN events e ON e.id = r.event_id JOIN contacts " \
	"k ON k.id = r.contact_id WHERE e.code = ? ORDER BY r.status = " \
	"'cancelled', r.status = 'waitlisted', r.created_at, r.id"

/* event show CODE --json: the event with its registrations. */
static int
cli_event_show_json(struct cli *c, const char *code)
{
	static const char sql_e[] = CLI_EVENT_JSON "WHERE e.code = ?";
	static const char sql_r[] = CLI_EVENT_REGS;
	sqlite3_stmt	*st;
	json_t		*ev, *regs = NULL;

	if ((st = store_stmt(c->store, sql_e)) == NULL)
		return cli_fail("%s", store_errmsg(c->store));
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	ev = sqlite3_step(st) == SQLITE_ROW ? cli_print_row(st) : NULL;
	sqlite3_reset(st);
	if (ev == NULL)
		return cli_not_found("no event %s", code);
	if ((st = store_stmt(c->store, sql_r)) != NULL) {
		sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
		regs = cli_print_rows(st);
	}
	if (regs == NULL) {
		json_decref(ev);
		return cli_fail("%s", store_errmsg(c->store));
	}
	json_object_set_new(ev, "registrations", regs);
	return cli_print_json(c, ev);
}

/* event show CODE: the event and its registrations in order. */
static int
cli_event_show(struct cli *c, int argc, char **argv)
{
	static const char sql_e[] = CLI_EVENT_SELECT "WHERE e.code = ?";
	static const char sql_r[] = CLI_EVENT_REGS;
	sqlite3_stmt	*st;
	int		 n;

	if (argc != 1)
		return cli_bad_usage("usage: event show CODE");
	if (c->json)
		return cli_event_show_json(c, argv[0]);
	if ((st = store_stmt(c->store, sql_e)) == NULL)
		return cli_fail("%s", store_errmsg(c->store));
	sqlite3_bind_text(st, 1, argv[0], -1, SQLITE_STATIC);
	if ((n = cli_event_print(st)) <= 0) {
		if (n < 0)
			return cli_fail("%s", store_errmsg(c->store));
		return cli_not_found("no event %s", argv[0]);
	}
	if ((st = store_stmt(c->store, sql_r)) == NULL)
		return cli_fail("%s", store_errmsg(c->store));
	sqlite3_bind_text(st, 1, argv[0], -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW)
		printf("  %-10s %-16s %-24s %s\n", sqlite3_column_text(st, 0),
		    sqlite3_column_text(st, 1), sqlite3_column_text(st, 2),
		    sqlite3_column_text(st, 3));
	sqlite3_reset(st);
	return CLI_OK;
}

/* event close CODE: no more registrations. */
static int
cli_event_close(struct cli *c, int argc, char **argv)
{
	int n;

	if (argc != 1)
		return cli_bad_usage("usage: event close CODE");
	if (store_begin(c->store) == -1)
		return cli_fail("database busy");
	if ((n = event_close(c->store, argv[0])) < 0 ||
	    store_audit(c->store, "cli", "event close", argv[0]) == -1 ||
	    store_commit(c->store) == -1) {
		store_rollback(c->store);
		return cli_fail("cannot save: %s", store_errmsg(c->store));
	}
	if (n == 0)
		return cli_not_found("no event %s", argv[0]);
	printf("event %s closed\n", argv[0]);
	return CLI_OK;
}

/*
 * event remind CODE [--force]: a reminder by SMS to every confirmed
 * registrant; a second one within a few hours only with --force.
 */
static int
cli_event_remind(struct cli *c, int argc, char **argv)
{
	struct event_row	 e;
	struct event_reminders	 n = { 0, 0 };
	const char		*code = NULL;
	char			 why[160], detail[96];
	int			 i, force = 0, rc;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--force") == 0)
			force = 1;
		else if (code == NULL && argv[i][0] != '-')
			code = argv[i];
		else
			return cli_bad_usage("usage: event remind CODE [--force]");
	}
	if (code == NULL)
		return cli_bad_usage("usage: event remind CODE [--force]");
	if (store_begin(c->store) == -1)
		return cli_fail("database busy");
	if ((rc = event_find(c->store, code, &e)) == 1)
		rc = event_remind(c->store, &c->conf, &e, force, "cli", &n);
	else
		rc = rc == 0 ? -2 : -1;
	snprintf(detail, sizeof(detail), "%s: %d sent, %d opted out", e.code,
	    n.sent, n.opted_out);
	if (rc != EVENT_REMINDED || store_audit(c->store, "cli",
	    "event remind", detail) == -1 || store_commit(c->store) == -1) {
		store_rollback(c->store);
		if (rc == -2)
			return cli_not_found("no event %s", code);
		if (rc < 0 || rc == EVENT_REMINDED)
			return cli_fail("cannot save: %s",
			    store_errmsg(c->store));
		event_remind_refusal(&e, rc, why, sizeof(why));
		return cli_fail("%s", why);
	}
	printf("event %s: %d reminder%s queued", e.code, n.sent,
	    n.sent == 1 ? "" : "s");
	if (n.opted_out > 0)
		printf(" (%d opted out, not sent)", n.opted_out);
	printf("\n");
	return CLI_OK;
}

/* event export CODE [FILE.csv] [--semicolon]: registrations as CSV. */
static int
cli_event_export(struct cli *c, int argc, char **argv)
{
	static const char sql_e[] = "SELECT 1 FROM events WHERE code = ?";
	static const char sql[] = "SELECT e.code AS event, r.status, k.phone, "
	    "r.name, k.village, strftime('%Y-%m-%d %H:%M:%S', r.created_at, "
	    "'unixepoch', 'localtime') AS registered FROM registrations r JOIN "
	    "events e ON e.id = r.event_id JOIN contacts k ON k.id = "
	    "r.contact_id WHERE e.code = ? ORDER BY r.status = 'cancelled', "
	    "r.status = 'waitlisted', r.created_at, r.id";
	static const char usage[] = "event export CODE [FILE.csv] "
	    "[--semicolon]";
	sqlite3_stmt	*st;
	int		 found;

	if (argc < 1 || argv[0][0] == '-')
		return cli_bad_usage("usage: %s", usage);
	if ((st = store_stmt(c->store, sql_e)) == NULL)
		return cli_fail("%s", store_errmsg(c->store));
	sqlite3_bind_text(st, 1, argv[0], -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	if (!found)
		return cli_not_found("no event %s", argv[0]);
	if ((st = store_stmt(c->store, sql)) == NULL)
		return cli_fail("%s", store_errmsg(c->store));
	sqlite3_bind_text(st, 1, argv[0], -1, SQLITE_STATIC);
	return cli_csv_export_stmt(c, st, argc - 1, argv + 1, usage,
	    "registration");
}

static const struct cli_verb cli_event_verbs[] = {
	{ "create", cli_event_create, "CODE TITLE --quota N [--deadline "
	    "YYYY-MM-DD] [--date D] [--place P]",
	    "an event people register for with DAFTAR CODE" },
	{ "list", cli_event_list, "", "events with confirmed/quota and waitlist" },
	{ "show", cli_event_show, "CODE", "an event and its registrations" },
	{ "close", cli_event_close, "CODE", "stop taking registrations" },
	{ "remind", cli_event_remind, "CODE [--force]",
	    "an SMS reminder (date, time, place) to every confirmed "
	    "registrant; again within 6 hours only with --force" },
	{ "set", cli_poll_event_set, "CODE --survey SURVEY [--survey-after 3h]",
	    "a feedback survey sent by itself after the event's date" },
	{ "export", cli_event_export, "CODE [FILE.csv] [--semicolon|--excel]",
	    "registrations as CSV (on stdout without FILE)" },
	{ NULL, NULL, NULL, NULL }
};

int
cli_event(struct cli *c, int argc, char **argv)
{
	return cli_run_verbs(c, "event", cli_event_verbs, argc, argv);
}
