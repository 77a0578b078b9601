/*
 * kentongan status: is the service working?  The daemon, each configured
 * modem, the send queue, today's traffic and today's errors, in one
 * screen (or one JSON object).  Everything comes from the database the
 * daemon keeps up to date, plus its pidfile.
 */
#include <sys/file.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "price.h"
#include "store.h"

/* The unix time of today's local midnight. */
static int64_t
cli_status_midnight(void)
{
	time_t		now = time(NULL);
	struct tm	tm;

	localtime_r(&now, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}

/*
 * Tell whether a daemon runs on this database: it holds an exclusive
 * flock on DATABASE.lock for as long as it runs.  Our shared lock is
 * let go at once.
 */
static int
cli_status_running(const struct conf *conf)
{
	char	path[CONF_PATH_MAX + 8];
	int	fd, running;

	snprintf(path, sizeof(path), "%s.lock", conf->database);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	running = flock(fd, LOCK_SH | LOCK_NB) == -1 && errno == EWOULDBLOCK;
	close(fd);
	return running;
}

/* The daemon's pid from its pidfile when that process lives, else 0. */
static long
cli_status_pid(const struct conf *conf)
{
	FILE	*f;
	long	 pid = 0;

	if (conf->pidfile[0] == '\0' || (f = fopen(conf->pidfile, "r")) ==
	    NULL)
		return 0;
	if (fscanf(f, "%ld", &pid) != 1 || pid <= 0)
		pid = 0;
	fclose(f);
	if (pid > 0 && kill((pid_t)pid, 0) == -1 && errno == ESRCH)
		pid = 0;
	return pid;
}

/* Run a query of one row and return it as an object (NULL on error). */
static json_t *
cli_status_one(struct cli *c, const char *sql, int64_t midnight)
{
	sqlite3_stmt	*st;
	json_t		*o = NULL;

	if ((st = store_stmt(c->store, sql)) == NULL)
		return NULL;
	if (sqlite3_bind_parameter_count(st) >= 1)
		sqlite3_bind_int64(st, 1, midnight);
	if (sqlite3_bind_parameter_count(st) >= 2)
		sqlite3_bind_int64(st, 2, store_now());
	if (sqlite3_step(st) == SQLITE_ROW)
		o = cli_print_row(st);
	sqlite3_reset(st);
	return o;
}

/* Each configured modem as the daemon last recorded it; up counted. */
static json_t *
cli_status_modems(struct cli *c, int *up)
{
	static const char sql[] = "SELECT ?1 AS name, COALESCE(m.state, "
	    "'unknown') AS state, m.signal AS signal, COALESCE(m.received, 0) "
	    "AS received, COALESCE(m.sent, 0) AS sent, COALESCE(m.errors, 0) "
	    "AS errors, COALESCE(m.last_error, '') AS last_error, "
	    "COALESCE(m.updated_at, 0) AS updated_at, m.balance_amount AS "
	    "balance, m.balance_at AS balance_at, COALESCE(?2 > 0 AND "
	    "m.balance_amount < ?2, 0) AS balance_is_low FROM (SELECT 1) LEFT "
	    "JOIN modems m ON m.name = ?1";
	sqlite3_stmt	*st;
	json_t		*a = json_array(), *o;
	int		 i;

	*up = 0;
	if ((st = store_stmt(c->store, sql)) == NULL) {
		json_decref(a);
		return NULL;
	}
	for (i = 0; i < c->conf.nmodems; i++) {
		sqlite3_bind_text(st, 1, c->conf.modems[i].name, -1,
		    SQLITE_STATIC);
		sqlite3_bind_int(st, 2, c->conf.modems[i].balance_low);
		if (sqlite3_step(st) != SQLITE_ROW) {
			sqlite3_reset(st);
			json_decref(a);
			return NULL;
		}
		o = cli_print_row(st);
		sqlite3_reset(st);
		if (strcmp(json_string_value(json_object_get(o, "state")),
		    "up") == 0)
			(*up)++;
		json_array_append_new(a, o);
	}
	return a;
}

/* Gather everything status shows into one object; NULL on error. */
static json_t *
cli_status_collect(struct cli *c)
{
	static const char queue[] = "SELECT "
	    "(SELECT count(*) FROM outbox WHERE state = 'queued') AS queued, "
	    "(SELECT count(*) FROM outbox WHERE state = 'queued' AND "
	    "next_attempt_at <= ?2) AS due, "
	    "(SELECT count(*) FROM outbox WHERE state = 'sending') AS sending, "
	    "(SELECT count(*) FROM outbox WHERE state = 'failed') AS failed, "
	    "COALESCE(?2 - (SELECT min(created_at) FROM outbox WHERE state = "
	    "'queued'), 0) AS oldest_queued_seconds, "
	    "(SELECT count(*) FROM inbox WHERE state = 'new') AS inbox_new";
	static const char today[] = "SELECT "
	    "(SELECT count(*) FROM inbox WHERE received_at >= ?1) AS received, "
	    "(SELECT count(*) FROM inbox WHERE received_at >= ?1 AND state = "
	    "'done') AS answered, "
	    "(SELECT count(*) FROM outbox WHERE sent_at >= ?1) AS sent, "
	    "(SELECT count(*) FROM outbox WHERE delivered_at >= ?1) AS "
	    "delivered, "
	    "(SELECT count(*) FROM outbox WHERE state = 'failed' AND "
	    "created_at >= ?1) AS failed, "
	    "(SELECT count(*) FROM inbox WHERE received_at >= ?1 AND state = "
	    "'ignored') AS ignored";
	static const char bcast[] = "SELECT "
	    "(SELECT count(*) FROM broadcasts WHERE state = 'queued') AS "
	    "running, (SELECT count(*) FROM broadcasts WHERE state = "
	    "'scheduled') AS scheduled";
	json_t		*doc, *q, *t, *b, *m;
	int64_t		 midnight = cli_status_midnight();
	long		 pid = cli_status_pid(&c->conf);
	int		 running = cli_status_running(&c->conf);
	int		 up;

	m = cli_status_modems(c, &up);
	q = cli_status_one(c, queue, midnight);
	t = cli_status_one(c, today, midnight);
	b = cli_status_one(c, bcast, midnight);
	if (m == NULL || q == NULL || t == NULL || b == NULL) {
		json_decref(m);
		json_decref(q);
		json_decref(t);
		json_decref(b);
		return NULL;
	}
	doc = json_pack("{s:{s:b, s:o}, s:i, s:o, s:o, s:o, s:o}", "daemon",
	    "running", running, "pid", pid > 0 ? json_integer(pid) :
	    json_null(), "modems_up", up,
	    "modems", m, "queue", q, "today", t, "broadcasts", b);
	return doc;
}

/* An integer member of a member of doc. */
static long long
cli_status_n(json_t *doc, const char *group, const char *key)
{
	return (long long)json_integer_value(json_object_get(
	    json_object_get(doc, group), key));
}

/* Print one modem line. */
static void
cli_status_modem(json_t *m)
{
	json_t	*sig = json_object_get(m, "signal");
	json_t	*bal = json_object_get(m, "balance");
	char	 amt[32];

	printf("  %-10s %-9s", json_string_value(json_object_get(m, "name")),
	    json_string_value(json_object_get(m, "state")));
	if (json_is_integer(sig))
		printf(" signal %3lld%%", (long long)json_integer_value(sig));
	else
		printf(" signal    -");
	printf("  received %lld  sent %lld  errors %lld\n",
	    (long long)json_integer_value(json_object_get(m, "received")),
	    (long long)json_integer_value(json_object_get(m, "sent")),
	    (long long)json_integer_value(json_object_get(m, "errors")));
	if (json_is_integer(bal)) {
		price_format(json_integer_value(bal), amt, sizeof(amt));
		printf("  %-10s balance Rp%s%s\n", "", amt, json_integer_value(
		    json_object_get(m, "balance_is_low")) ? " (LOW)" : "");
	}
	if (json_string_length(json_object_get(m, "last_error")) > 0)
		printf("  %-10s last error: %s\n", "",
		    json_string_value(json_object_get(m, "last_error")));
}

/* Print the status for people. */
static void
cli_status_print(json_t *doc)
{
	json_t		*d = json_object_get(doc, "daemon"), *m;
	long long	 oldest;
	size_t		 i;

	if (!json_is_true(json_object_get(d, "running")))
		printf("daemon      not running\n");
	else if (json_is_integer(json_object_get(d, "pid")))
		printf("daemon      running (pid %lld)\n",
		    (long long)json_integer_value(json_object_get(d, "pid")));
	else
		printf("daemon      running\n");
	m = json_object_get(doc, "modems");
	printf("modems      %lld of %zu up\n", (long long)json_integer_value(
	    json_object_get(doc, "modems_up")), json_array_size(m));
	json_array_foreach(m, i, d)
		cli_status_modem(d);
	oldest = cli_status_n(doc, "queue", "oldest_queued_seconds");
	printf("queue       %lld queued (%lld due now), %lld sending, %lld "
	    "failed", cli_status_n(doc, "queue", "queued"),
	    cli_status_n(doc, "queue", "due"),
	    cli_status_n(doc, "queue", "sending"),
	    cli_status_n(doc, "queue", "failed"));
	if (cli_status_n(doc, "queue", "queued") > 0)
		printf("; oldest waiting %lld min", oldest / 60);
	printf("\ninbox       %lld not yet handled\n",
	    cli_status_n(doc, "queue", "inbox_new"));
	printf("today       %lld received (%lld answered), %lld sent, %lld "
	    "delivered\n", cli_status_n(doc, "today", "received"),
	    cli_status_n(doc, "today", "answered"),
	    cli_status_n(doc, "today", "sent"),
	    cli_status_n(doc, "today", "delivered"));
	printf("errors      %lld failed to send today, %lld received "
	    "unanswered today\n", cli_status_n(doc, "today", "failed"),
	    cli_status_n(doc, "today", "ignored"));
	printf("broadcasts  %lld running, %lld scheduled\n",
	    cli_status_n(doc, "broadcasts", "running"),
	    cli_status_n(doc, "broadcasts", "scheduled"));
}

/* status [--json] */
int
cli_status(struct cli *c, int argc, char **argv)
{
	json_t *doc;

	(void)argv;
	if (c == NULL) {
		printf("usage: kentongan -c FILE status [--json]\n"
		    "  The daemon, each modem, queue depths, today's messages "
		    "and errors.\n");
		return CLI_OK;
	}
	if (argc != 0)
		return cli_bad_usage("usage: status [--json]");
	if ((doc = cli_status_collect(c)) == NULL)
		return cli_fail("cannot read the database: %s",
		    store_errmsg(c->store));
	if (c->json)
		return cli_print_json(c, doc);
	cli_status_print(doc);
	json_decref(doc);
	return CLI_OK;
}
