/*
 * kentongan broadcast ...: announcements to groups, subscribers, event
 * participants or a list of numbers, now or at a set time.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "broadcast.h"
#include "cli.h"
#include "outbox.h"
#include "phone.h"
#include "store.h"

#define CLI_BC_TEXT_MAX		4000
#define CLI_BC_LINE_MAX		128
#define CLI_BC_PAUSE_NS		3000000L	/* between chunks: the daemon's turn */

struct cli_bc_args {
	const char	*to;
	const char	*numbers;
	const char	*at;
	char		 text[CLI_BC_TEXT_MAX];
};

/* Collect --to, --numbers, --at and the words of the text. */
static int
cli_bc_parse(int argc, char **argv, struct cli_bc_args *a)
{
	int i;

	memset(a, 0, sizeof(*a));
	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--to") && i + 1 < argc)
			a->to = argv[++i];
		else if (!strcmp(argv[i], "--numbers") && i + 1 < argc)
			a->numbers = argv[++i];
		else if (!strcmp(argv[i], "--at") && i + 1 < argc)
			a->at = argv[++i];
		else if (!strncmp(argv[i], "--", 2)) {
			cli_fail("unknown option %s", argv[i]);
			return -1;
		} else {
			if (a->text[0] != '\0')
				strncat(a->text, " ", sizeof(a->text) -
				    strlen(a->text) - 1);
			if (strlen(a->text) + strlen(argv[i]) + 1 >
			    sizeof(a->text)) {
				cli_fail("text too long (at most %d bytes)",
				    CLI_BC_TEXT_MAX - 1);
				return -1;
			}
			strncat(a->text, argv[i], sizeof(a->text) -
			    strlen(a->text) - 1);
		}
	}
	if (a->to == NULL && a->numbers != NULL)
		a->to = "numbers";
	return 0;
}

/* Read a file of numbers, one a line, into broadcast id; count or -1. */
static int
cli_bc_numbers(struct cli *c, int64_t id, const char *path)
{
	FILE	*f;
	char	 line[CLI_BC_LINE_MAX], norm[PHONE_MAX], *p;
	int	 lineno = 0, n = 0, rc;

	if ((f = fopen(path, "r")) == NULL) {
		cli_fail("%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		for (p = line; *p == ' ' || *p == '\t'; p++)
			;
		if (*p == '\0' || *p == '#')
			continue;
		if (phone_normalize(p, c->conf.country_code, norm,
		    sizeof(norm)) != PHONE_NUMBER) {
			fclose(f);
			cli_fail("%s:%d: \"%s\" is not a phone number", path,
			    lineno, p);
			return -1;
		}
		if ((rc = broadcast_add_number(c->store, id, norm)) == -1) {
			fclose(f);
			cli_fail("database: %s", store_errmsg(c->store));
			return -1;
		}
		n += rc;
	}
	fclose(f);
	return n;
}

/*
 * Queue a new broadcast's recipients, a chunk to a transaction with a
 * pause between, so the daemon's loop gets the database in between; the
 * number queued, or -1.  Killed half-way, the broadcast stays due and
 * the daemon goes on from the last contact queued.
 */
static int
cli_bc_fill(struct cli *c, int64_t id)
{
	struct timespec	pause = { 0, CLI_BC_PAUSE_NS };
	int		rc, n = 0;

	while ((rc = broadcast_fill(c->store, id, &n)) == 1)
		nanosleep(&pause, NULL);
	return rc == 0 ? n : -1;
}

/* Create a broadcast from parsed arguments, now or at a->at. */
static int
cli_bc_create(struct cli *c, struct cli_bc_args *a, int scheduled)
{
	struct broadcast_target	 t;
	struct timespec		 t0, t1;
	char			 err[160], spec[BROADCAST_TARGET_MAX];
	int64_t			 id, at = 0;
	int			 n = 0, rc;

	if (a->to == NULL || a->text[0] == '\0') {
		return cli_bad_usage("need --to TARGET (or --numbers FILE) and "
		    "a text");
	}
	if (broadcast_parse_target(a->to, &t, err, sizeof(err)) == -1)
		return cli_bad_usage("--to: %s", err);
	if ((t.kind == BROADCAST_NUMBERS) != (a->numbers != NULL))
		return cli_bad_usage("--numbers FILE goes with --to numbers (or "
		    "without --to)");
	if (scheduled && (a->at == NULL || (at = broadcast_parse_when(a->at)) < 0))
		return cli_bad_usage("--at: expected \"YYYY-MM-DD HH:MM\"");
	broadcast_target_format(&t, spec, sizeof(spec));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (store_begin(c->store) == -1)
		return cli_fail("database busy");
	if ((rc = broadcast_target_exists(c->store, &t)) != 1) {
		store_rollback(c->store);
		if (rc == 0) {
			fprintf(stderr, "kentongan: no such %s \"%s\"\n",
			    t.kind == BROADCAST_EVENT ? "event" :
			    t.kind == BROADCAST_SUBSCRIBERS ? "commodity" :
			    "group", t.name);
			return CLI_NOTFOUND;
		}
		return cli_fail("database: %s", store_errmsg(c->store));
	}
	if ((id = broadcast_new(c->store, &t, a->text, "cli", "", at)) == -1)
		goto fail;
	if (a->numbers != NULL && cli_bc_numbers(c, id, a->numbers) == -1) {
		store_rollback(c->store);
		return CLI_ERROR;
	}
	if (store_audit(c->store, "cli", scheduled ? "broadcast schedule" :
	    "broadcast send", spec) == -1 || store_commit(c->store) == -1)
		goto fail;
	if (!scheduled && (n = cli_bc_fill(c, id)) == -1)
		return cli_fail("broadcast %lld: cannot queue the recipients: "
		    "%s; kentongand goes on with it", (long long)id,
		    store_errmsg(c->store));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (scheduled)
		printf("broadcast %lld: %s scheduled for %s\n", (long long)id,
		    spec, a->at);
	else
		printf("broadcast %lld: %s, %d recipient%s queued (%.2f s)\n",
		    (long long)id, spec, n, n == 1 ? "" : "s",
		    (double)(t1.tv_sec - t0.tv_sec) +
		    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	return CLI_OK;
fail:
	store_rollback(c->store);
	return cli_fail("cannot create the broadcast: %s",
	    store_errmsg(c->store));
}

/* broadcast send --to TARGET [--numbers FILE] TEXT */
static int
cli_bc_send(struct cli *c, int argc, char **argv)
{
	struct cli_bc_args a;

	if (cli_bc_parse(argc, argv, &a) == -1)
		return CLI_USAGE;
	if (a.at != NULL)
		return cli_bad_usage("send goes now; use schedule --at");
	return cli_bc_create(c, &a, 0);
}

/* broadcast schedule --at "YYYY-MM-DD HH:MM" --to TARGET TEXT */
static int
cli_bc_schedule(struct cli *c, int argc, char **argv)
{
	struct cli_bc_args a;

	if (cli_bc_parse(argc, argv, &a) == -1)
		return CLI_USAGE;
	return cli_bc_create(c, &a, 1);
}

/* broadcast remind CODE --at WHEN TEXT: to an event's confirmed people. */
static int
cli_bc_remind(struct cli *c, int argc, char **argv)
{
	struct cli_bc_args	a;
	char			to[96];

	if (argc < 1 || !strncmp(argv[0], "--", 2))
		return cli_bad_usage("usage: broadcast remind CODE --at WHEN TEXT");
	if (cli_bc_parse(argc - 1, argv + 1, &a) == -1)
		return CLI_USAGE;
	if (a.to != NULL || a.numbers != NULL)
		return cli_bad_usage("remind goes to the event's confirmed "
		    "participants: no --to or --numbers");
	snprintf(to, sizeof(to), "event:%s:confirmed", argv[0]);
	a.to = to;
	return cli_bc_create(c, &a, 1);
}

/* Add a broadcast's progress counts to its object; -1 on error. */
static int
cli_bc_progress(struct cli *c, json_t *o)
{
	struct broadcast_progress p;

	if (broadcast_progress(c->store, (int64_t)json_integer_value(
	    json_object_get(o, "id")), &p) == -1)
		return -1;
	json_object_set_new(o, "queued", json_integer(p.queued));
	json_object_set_new(o, "sent", json_integer(p.sent));
	json_object_set_new(o, "delivered", json_integer(p.delivered));
	json_object_set_new(o, "failed", json_integer(p.failed));
	json_object_set_new(o, "cancelled", json_integer(p.cancelled));
	return 0;
}

/* An integer member of an object as an int. */
static int
cli_bc_int(json_t *o, const char *key)
{
	return (int)json_integer_value(json_object_get(o, key));
}

/* A string member of an object, "-" when null. */
static const char *
cli_bc_str(json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));

	return v != NULL ? v : "-";
}

#define CLI_BC_SELECT "SELECT id, state, target, created_by, recipients, " \
	"strftime('%Y-%m-%d %H:%M', scheduled_at, 'unixepoch', 'localtime') " \
	"AS scheduled, strftime('%Y-%m-%d %H:%M', started_at, 'unixepoch', " \
	"'localtime') AS started, strftime('%Y-%m-%d %H:%M', finished_at, " \
	"'unixepoch', 'localtime') AS finished, text FROM broadcasts "

/* broadcast list: the latest broadcasts with their progress. */
static int
cli_bc_list(struct cli *c, int argc, char **argv)
{
	static const char sql[] = CLI_BC_SELECT "ORDER BY id DESC LIMIT 50";
	sqlite3_stmt	*st;
	json_t		*a, *o;
	size_t		 i;

	(void)argv;
	if (argc != 0)
		return cli_bad_usage("usage: broadcast list");
	if ((st = store_stmt(c->store, sql)) == NULL ||
	    (a = cli_print_rows(st)) == NULL)
		return cli_fail("database: %s", store_errmsg(c->store));
	json_array_foreach(a, i, o)
		if (cli_bc_progress(c, o) == -1) {
			json_decref(a);
			return cli_fail("database: %s", store_errmsg(c->store));
		}
	if (c->json)
		return cli_print_json(c, a);
	printf("%-5s %-9s %-24s %6s %6s %6s %6s %6s  %-16s %s\n", "ID", "STATE",
	    "TARGET", "TOTAL", "QUEUED", "SENT", "DELIV", "FAILED", "AT",
	    "TEXT");
	json_array_foreach(a, i, o)
		printf("%-5d %-9s %-24s %6d %6d %6d %6d %6d  %-16s %.30s\n",
		    cli_bc_int(o, "id"), cli_bc_str(o, "state"),
		    cli_bc_str(o, "target"), cli_bc_int(o, "recipients"),
		    cli_bc_int(o, "queued"), cli_bc_int(o, "sent"),
		    cli_bc_int(o, "delivered"), cli_bc_int(o, "failed"),
		    cli_bc_str(o, "scheduled"), cli_bc_str(o, "text"));
	json_decref(a);
	return CLI_OK;
}

/* broadcast show ID: one broadcast in full. */
static int
cli_bc_show(struct cli *c, int argc, char **argv)
{
	static const char sql[] = CLI_BC_SELECT "WHERE id = ?";
	json_t		*o;
	int64_t		 id;
	int		 rc;

	if (argc != 1 || (id = cli_id_arg(argv[0])) < 0)
		return cli_bad_usage("usage: broadcast show ID");
	if ((rc = cli_print_lookup(c, sql, id, &o)) == -1)
		return CLI_ERROR;
	if (rc == 1)
		return cli_not_found("no broadcast %lld", (long long)id);
	if (cli_bc_progress(c, o) == -1) {
		json_decref(o);
		return cli_fail("database: %s", store_errmsg(c->store));
	}
	if (c->json)
		return cli_print_json(c, o);
	printf("broadcast %lld\n  state:      %s\n  target:     %s\n"
	    "  by:         %s\n  recipients: %d\n  scheduled:  %s\n"
	    "  started:    %s\n  finished:   %s\n  text:       %s\n",
	    (long long)id, cli_bc_str(o, "state"), cli_bc_str(o, "target"),
	    cli_bc_str(o, "created_by"), cli_bc_int(o, "recipients"),
	    cli_bc_str(o, "scheduled"), cli_bc_str(o, "started"),
	    cli_bc_str(o, "finished"), cli_bc_str(o, "text"));
	printf("  progress:   %d queued, %d sent, %d delivered, %d failed, "
	    "%d cancelled\n", cli_bc_int(o, "queued"), cli_bc_int(o, "sent"),
	    cli_bc_int(o, "delivered"), cli_bc_int(o, "failed"),
	    cli_bc_int(o, "cancelled"));
	json_decref(o);
	return CLI_OK;
}

/* broadcast cancel ID: stop a scheduled or running broadcast. */
static int
cli_bc_cancel(struct cli *c, int argc, char **argv)
{
	int64_t	id;
	int	rc, rows;

	if (argc != 1 || (id = cli_id_arg(argv[0])) < 0)
		return cli_bad_usage("usage: broadcast cancel ID");
	if (store_begin(c->store) == -1)
		return cli_fail("database busy");
	if ((rc = broadcast_cancel(c->store, id, &rows)) == -1 ||
	    (rc == 1 && store_audit(c->store, "cli", "broadcast cancel",
	    argv[0]) == -1) || store_commit(c->store) == -1) {
		store_rollback(c->store);
		return cli_fail("cannot cancel: %s", store_errmsg(c->store));
	}
	if (rc == 0)
		return cli_not_found("no scheduled or running broadcast %lld",
		    (long long)id);
	printf("broadcast %lld cancelled: %d queued message%s will not be "
	    "sent\n", (long long)id, rows, rows == 1 ? "" : "s");
	return CLI_OK;
}

static const struct cli_verb cli_bc_verbs[] = {
	{ "send", cli_bc_send, "--to TARGET [--numbers FILE] TEXT",
	    "send now; TARGET is GROUP, all, subscribers:COMMODITY,\n"
	    "      event:CODE[:confirmed|waitlisted|both] or numbers" },
	{ "schedule", cli_bc_schedule, "--at \"YYYY-MM-DD HH:MM\" --to TARGET "
	    "[--numbers FILE] TEXT", "send later (local time)" },
	{ "remind", cli_bc_remind, "CODE --at \"YYYY-MM-DD HH:MM\" TEXT",
	    "event reminder: schedule TEXT to CODE's confirmed participants" },
	{ "list", cli_bc_list, "", "the latest broadcasts and their progress" },
	{ "show", cli_bc_show, "ID", "one broadcast in full" },
	{ "cancel", cli_bc_cancel, "ID",
	    "cancel; its queued messages are not sent" },
	{ NULL, NULL, NULL, NULL }
};

int
cli_broadcast(struct cli *c, int argc, char **argv)
{
	return cli_run_verbs(c, "broadcast", cli_bc_verbs, argc, argv);
}
