/*
 * The console's broadcast composer: the audience and how many it reaches
 * after opt-outs, a schedule (never in the past; quiet hours said), the
 * broadcast itself, and the progress of the latest ones with cancel and
 * retry of the failed.  Reads are SELECTs here; broadcasts are created,
 * cancelled and retried through broadcast.c and outbox.c, audited with
 * the user's name, and filled by the daemon's broadcast tick as the
 * CLI's schedule is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/http.h>

#include "broadcast.h"
#include "conf.h"
#include "console.h"
#include "contact.h"
#include "log.h"
#include "outbox.h"
#include "phone.h"
#include "store.h"
#include "user.h"

#define CONSOLE_BC_TEXT_MAX	4000	/* bytes, as the CLI */
#define CONSOLE_BC_NUMBERS_MAX	1000	/* pasted numbers */
#define CONSOLE_BC_LIST_MAX	20

/* A composed broadcast as the page sends it, checked. */
struct console_bc {
	struct broadcast_target	 t;
	char			 spec[BROADCAST_TARGET_MAX];
	json_t			*numbers;	/* normalised, unique */
	int64_t			 at;		/* 0 = now */
};

/* The names a picker offers: one column of a query, as an array. */
static json_t *
console_bc_names(const char *sql)
{
	sqlite3_stmt	*st;
	json_t		*a = json_array();

	if ((st = store_stmt(console_store(), sql)) == NULL)
		return a;
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(a, console_col(st, 0));
	sqlite3_reset(st);
	return a;
}

/* One broadcast row with its progress (outbox rows by state). */
static json_t *
console_bc_row(sqlite3_stmt *st)
{
	struct broadcast_progress	p;
	int64_t				id = sqlite3_column_int64(st, 0);

	if (broadcast_progress(console_store(), id, &p) == -1)
		memset(&p, 0, sizeof(p));
	return json_pack("{s:I, s:o, s:o, s:o, s:i, s:I, s:o, s:i, s:i, s:i, "
	    "s:i, s:i}", "id", (json_int_t)id, "state", console_col(st, 1),
	    "target", console_col(st, 2), "by", console_col(st, 3),
	    "recipients", sqlite3_column_int(st, 4), "at",
	    (json_int_t)sqlite3_column_int64(st, 5), "text",
	    console_col(st, 6), "queued", p.queued, "sent", p.sent,
	    "delivered", p.delivered, "failed", p.failed, "cancelled",
	    p.cancelled);
}

/*
 * GET /console/api/broadcasts: the latest broadcasts with their
 * progress, what the pickers offer, the cost of a part, quiet hours.
 */
void
console_broadcasts(struct evhttp_request *req, const struct user_session *u)
{
	static const char sql[] = "SELECT id, state, target, created_by, "
	    "recipients, scheduled_at, text FROM broadcasts ORDER BY id DESC "
	    "LIMIT ?";
	const struct conf	*conf = console_conf();
	sqlite3_stmt		*st;
	json_t			*a;
	int			 rc;

	(void)u;
	if ((st = store_stmt(console_store(), sql)) == NULL) {
		console_error(req, 500, "cannot read the broadcasts");
		return;
	}
	sqlite3_bind_int(st, 1, CONSOLE_BC_LIST_MAX);
	a = json_array();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(a, console_bc_row(st));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(a);
		console_error(req, 500, "cannot read the broadcasts");
		return;
	}
	console_json(req, 200, json_pack("{s:o, s:i, s:s, s:o, s:o, s:o}",
	    "broadcasts", a, "cost_per_part", conf->cost_per_part,
	    "quiet_hours", conf->quiet_hours, "groups", console_bc_names(
	    "SELECT name FROM groups ORDER BY name"), "commodities",
	    console_bc_names("SELECT name FROM commodities ORDER BY name"),
	    "events", console_bc_names("SELECT code FROM events WHERE "
	    "status != 'closed' ORDER BY code")));
}

/* Normalise pasted numbers (one a line, or , ;) into out; -1 after a 400. */
static int
console_bc_numbers(struct evhttp_request *req, const char *in, json_t *out)
{
	char	 buf[64], norm[PHONE_MAX], msg[96];
	size_t	 n;

	while (in != NULL && *in != '\0') {
		in += strspn(in, " \t\r\n,;");
		if ((n = strcspn(in, "\r\n,;")) == 0)
			continue;
		snprintf(buf, sizeof(buf), "%.*s", (int)(n < 63 ? n : 63), in);
		in += n;
		n = strlen(buf);
		while (n > 0 && (buf[n - 1] == ' ' || buf[n - 1] == '\t'))
			buf[--n] = '\0';
		if (phone_normalize(buf, console_conf()->country_code, norm,
		    sizeof(norm)) != PHONE_NUMBER) {
			snprintf(msg, sizeof(msg), "\"%.40s\" is not a phone "
			    "number", buf);
			console_error(req, 400, msg);
			return -1;
		}
		if (json_array_size(out) >= CONSOLE_BC_NUMBERS_MAX) {
			console_error(req, 400, "at most 1000 numbers: send a "
			    "longer list with kentongan broadcast --numbers");
			return -1;
		}
		json_array_append_new(out, json_string(norm));
	}
	return 0;
}

/*
 * Read and check {to, numbers, at} into b: the target as the CLI's
 * --to, the numbers of a "numbers" target, a time that has not passed.
 * 0, or -1 after a 400 or 404 in the CLI's words.
 */
static int
console_bc_read(struct evhttp_request *req, json_t *doc, struct console_bc *b)
{
	const char	*to = json_string_value(json_object_get(doc, "to"));
	const char	*at = json_string_value(json_object_get(doc, "at"));
	const char	*nums = json_string_value(json_object_get(doc,
			    "numbers"));
	char		 err[200], msg[240];
	size_t		 i, j;
	int		 rc;

	memset(b, 0, sizeof(*b));
	b->numbers = json_array();
	if (to == NULL || broadcast_parse_target(to, &b->t, err,
	    sizeof(err)) == -1) {
		snprintf(msg, sizeof(msg), "--to: %s", to == NULL ?
		    "expected a target" : err);
		console_error(req, 400, msg);
		return -1;
	}
	broadcast_target_format(&b->t, b->spec, sizeof(b->spec));
	if (at != NULL && at[0] != '\0') {
		if ((b->at = broadcast_parse_when(at)) < 0) {
			console_error(req, 400, b->at == -2 ? "--at: that time "
			    "has passed" : "--at: expected \"YYYY-MM-DD HH:MM\"");
			return -1;
		}
	}
	if (b->t.kind == BROADCAST_NUMBERS) {
		if (console_bc_numbers(req, nums, b->numbers) == -1)
			return -1;
		for (i = 0; i < json_array_size(b->numbers); i++)
			for (j = i + 1; j < json_array_size(b->numbers); j++)
				if (strcmp(json_string_value(json_array_get(
				    b->numbers, i)), json_string_value(
				    json_array_get(b->numbers, j))) == 0)
					json_array_remove(b->numbers, j--);
		if (json_array_size(b->numbers) == 0) {
			console_error(req, 400, "numbers: paste at least one "
			    "phone number");
			return -1;
		}
		return 0;
	}
	if ((rc = broadcast_target_exists(console_store(), &b->t)) != 1) {
		snprintf(msg, sizeof(msg), "no such %s \"%s\"", b->t.kind ==
		    BROADCAST_EVENT ? "event" : b->t.kind ==
		    BROADCAST_SUBSCRIBERS ? "commodity" : "group", b->t.name);
		console_error(req, rc == 0 ? 404 : 500, rc == 0 ? msg :
		    "cannot read the database");
		return -1;
	}
	return 0;
}

/* Size up pasted numbers as the outbox fills them: opted-out contacts never. */
static int
console_bc_size_numbers(json_t *numbers, struct outbox_audience_size *a)
{
	char	 text[CONTACT_NAME_MAX];
	size_t	 i;
	int64_t	 id;
	int	 len;

	memset(a, 0, sizeof(*a));
	for (i = 0; i < json_array_size(numbers); i++) {
		if ((id = contact_find(console_store(), json_string_value(
		    json_array_get(numbers, i)))) < 0)
			return -1;
		if (id > 0 && contact_get_int(console_store(), id,
		    "opted_out") == 1) {
			a->opted_out++;
			continue;
		}
		a->reach++;
		if (id > 0 && contact_get_text(console_store(), id, "name",
		    text, sizeof(text)) == 0 && (len = (int)strlen(text)) >
		    a->name_max)
			a->name_max = len;
		if (id > 0 && contact_get_text(console_store(), id, "village",
		    text, sizeof(text)) == 0 && (len = (int)strlen(text)) >
		    a->village_max)
			a->village_max = len;
	}
	return 0;
}

/*
 * POST /console/api/broadcast/audience {to, numbers, at}: how many a
 * broadcast would reach after opt-outs, its longest name and village
 * (for the worst-case parts of {nama} and {desa}), and whether it would
 * wait for quiet hours to end.  Nothing is written.
 */
void
console_bc_audience(struct evhttp_request *req, const struct user_session *u)
{
	struct outbox_audience_size	 a;
	struct console_bc		 b;
	json_t				*doc;
	int				 rc;

	(void)u;
	if ((doc = console_body(req)) == NULL)
		return;
	if (console_bc_read(req, doc, &b) == -1)
		goto out;
	rc = b.t.kind == BROADCAST_NUMBERS ? console_bc_size_numbers(
	    b.numbers, &a) : broadcast_audience(console_store(), &b.t, &a);
	if (rc == -1) {
		console_error(req, 500, "cannot count the audience");
		goto out;
	}
	console_json(req, 200, json_pack("{s:s, s:i, s:i, s:i, s:i, s:b, "
	    "s:I}", "target", b.spec, "reach", a.reach, "opted_out",
	    a.opted_out, "name_max", a.name_max, "village_max", a.village_max,
	    "quiet", outbox_quiet(console_conf(), b.at > 0 ? (time_t)b.at :
	    (time_t)store_now()), "at", (json_int_t)b.at));
out:
	json_decref(b.numbers);
	json_decref(doc);
}

/*
 * POST /console/api/broadcast {to, numbers, at, text}: create the
 * broadcast, now or at its time; the daemon's tick queues its audience
 * chunk by chunk, as for the CLI's.
 */
void
console_bc_send(struct evhttp_request *req, const struct user_session *u)
{
	struct console_bc	 b;
	const char		*text;
	json_t			*doc;
	size_t			 i;
	int64_t			 id;
	int			 bad;

	if ((doc = console_body(req)) == NULL)
		return;
	text = json_string_value(json_object_get(doc, "text"));
	if (console_bc_read(req, doc, &b) == -1)
		goto out;
	if (text == NULL || text[0] == '\0' || strlen(text) >=
	    CONSOLE_BC_TEXT_MAX) {
		console_error(req, 400, "text: 1 to 3999 bytes");
		goto out;
	}
	if (console_begin(req) == -1)
		goto out;
	bad = (id = broadcast_new(console_store(), &b.t, text, u->name, "",
	    b.at)) == -1;
	for (i = 0; !bad && i < json_array_size(b.numbers); i++)
		bad = broadcast_add_number(console_store(), id,
		    json_string_value(json_array_get(b.numbers, i))) == -1;
	if (console_commit(req, bad || store_audit(console_store(), u->name,
	    b.at > 0 ? "console broadcast schedule" : "console broadcast send",
	    b.spec) == -1, "cannot create the broadcast") == -1)
		goto out;
	broadcast_kick();
	log_info("console: %s created broadcast %lld to %s", u->name,
	    (long long)id, b.spec);
	console_json(req, 201, json_pack("{s:I, s:s}", "id", (json_int_t)id,
	    "target", b.spec));
out:
	json_decref(b.numbers);
	json_decref(doc);
}

/* Read {id} from a body; the id, or -1 after a 400. */
static int64_t
console_bc_id(struct evhttp_request *req)
{
	json_t	*doc;
	int64_t	 id;

	if ((doc = console_body(req)) == NULL)
		return -1;
	id = json_integer_value(json_object_get(doc, "id"));
	json_decref(doc);
	if (id <= 0) {
		console_error(req, 400, "expected {\"id\": broadcast id}");
		return -1;
	}
	return id;
}

/* POST /console/api/broadcast/cancel {id}: its queued messages are not sent. */
void
console_bc_cancel(struct evhttp_request *req, const struct user_session *u)
{
	char	detail[32];
	int64_t	id;
	int	rc, rows = 0;

	if ((id = console_bc_id(req)) == -1 || console_begin(req) == -1)
		return;
	snprintf(detail, sizeof(detail), "%lld", (long long)id);
	rc = broadcast_cancel(console_store(), id, &rows);
	if (console_commit(req, rc == -1 || (rc == 1 && store_audit(
	    console_store(), u->name, "console broadcast cancel", detail) ==
	    -1), "cannot cancel") == -1)
		return;
	if (rc == 0) {
		console_error(req, 404, "no scheduled or running broadcast");
		return;
	}
	console_json(req, 200, json_pack("{s:i}", "cancelled", rows));
}

/* POST /console/api/broadcast/retry {id}: queue its failed messages again. */
void
console_bc_retry(struct evhttp_request *req, const struct user_session *u)
{
	char	detail[32];
	int64_t	id;
	int	n;

	if ((id = console_bc_id(req)) == -1 || console_begin(req) == -1)
		return;
	snprintf(detail, sizeof(detail), "%lld", (long long)id);
	n = outbox_retry_broadcast(console_store(), id);
	if (console_commit(req, n < 0 || (n > 0 && store_audit(
	    console_store(), u->name, "console broadcast retry", detail) ==
	    -1), "cannot retry") == -1)
		return;
	console_json(req, 200, json_pack("{s:i}", "retried", n));
}
