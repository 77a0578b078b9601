/*
 * Broadcasts.
 *
 * DESIGN: a broadcast is a row in broadcasts with a target spec
 * ("group:PETANI", "all", "subscribers:CABAI", "event:TANI24:confirmed",
 * "numbers") and a text.  It is created 'scheduled' (at once or for later)
 * and started by broadcast_start(), which resolves the target in one
 * INSERT ... SELECT into the outbox: recipients are contacts (unique by
 * phone) or the broadcast's own deduplicated number list, opted-out
 * contacts are left out, and the whole broadcast is one transaction, so
 * 100,000 recipients take about a second.  A timer promotes scheduled
 * broadcasts when they are due and settles running ones once none of
 * their rows is queued or sending ('done'), sending the summary to the
 * admin who asked for it.  Progress is always counted from outbox rows.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <event2/event.h>

#include "broadcast.h"
#include "conf.h"
#include "contact.h"
#include "log.h"
#include "modem.h"
#include "outbox.h"
#include "store.h"
#include "text.h"

#define BROADCAST_SWEEP_SECS	3
#define BROADCAST_SETTLE_MAX	64	/* running broadcasts checked per tick */
#define BROADCAST_PROMOTE_MAX	16	/* scheduled ones started per tick */
#define BROADCAST_CHUNK		2000	/* recipients queued per transaction */

static struct {
	struct store		*store;
	const struct conf	*conf;
	struct event		*ev_sweep;
} broadcast;

/* Tell whether a target name is one word of letters, digits, - and _. */
static int
broadcast_name_ok(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_')
			return 0;
	return 1;
}

/* Parse a target spec; a bare word is a group name. */
int
broadcast_parse_target(const char *spec, struct broadcast_target *t,
    char *err, size_t errlen)
{
	const char	*colon, *rest = spec;
	char		 which[16] = "";
	size_t		 n;

	memset(t, 0, sizeof(*t));
	if (strcasecmp(spec, "all") == 0 || strcasecmp(spec, "semua") == 0) {
		t->kind = BROADCAST_ALL;
		return 0;
	}
	if (strcasecmp(spec, "numbers") == 0) {
		t->kind = BROADCAST_NUMBERS;
		return 0;
	}
	t->kind = BROADCAST_GROUP;
	if (strncasecmp(spec, "group:", 6) == 0)
		rest = spec + 6;
	else if (strncasecmp(spec, "subscribers:", 12) == 0) {
		t->kind = BROADCAST_SUBSCRIBERS;
		rest = spec + 12;
	} else if (strncasecmp(spec, "event:", 6) == 0) {
		t->kind = BROADCAST_EVENT;
		rest = spec + 6;
	}
	n = strlen(rest);
	if (t->kind == BROADCAST_EVENT && (colon = strchr(rest, ':')) != NULL) {
		n = (size_t)(colon - rest);
		snprintf(which, sizeof(which), "%s", colon + 1);
		if (strcasecmp(which, "confirmed") == 0)
			t->which = BROADCAST_CONFIRMED;
		else if (strcasecmp(which, "waitlisted") == 0)
			t->which = BROADCAST_WAITLISTED;
		else if (strcasecmp(which, "both") == 0)
			t->which = BROADCAST_BOTH;
		else {
			snprintf(err, errlen, "event target: after the code "
			    "use :confirmed, :waitlisted or :both");
			return -1;
		}
	}
	if (n >= sizeof(t->name)) {
		snprintf(err, errlen, "target name too long");
		return -1;
	}
	memcpy(t->name, rest, n);
	t->name[n] = '\0';
	if (!broadcast_name_ok(t->name)) {
		snprintf(err, errlen, "bad target \"%s\": use all, GROUP, "
		    "group:NAME, subscribers:COMMODITY, event:CODE[:confirmed|"
		    "waitlisted|both] or numbers", spec);
		return -1;
	}
	return 0;
}

/*
 * Parse a schedule, "YYYY-MM-DD HH:MM" in local time (the admin's clock,
 * as quiet hours are), into unix time; -1 when malformed, -2 when it is
 * not in the future (it would go out at once to everyone).
 */
int64_t
broadcast_parse_when(const char *s)
{
	struct tm	 tm;
	const char	*end;

	time_t		 t;

	memset(&tm, 0, sizeof(tm));
	if ((end = strptime(s, "%Y-%m-%d %H:%M", &tm)) == NULL || *end != '\0')
		return -1;
	tm.tm_isdst = -1;
	if ((t = mktime(&tm)) <= time(NULL))
		return -2;	/* the past: it would go out at once */
	return (int64_t)t;
}

/* Write the canonical spec of a target. */
void
broadcast_target_format(const struct broadcast_target *t, char *buf,
    size_t len)
{
	static const char *const which[] = { "confirmed", "waitlisted",
	    "both" };

	switch (t->kind) {
	case BROADCAST_GROUP:
		snprintf(buf, len, "group:%s", t->name);
		break;
	case BROADCAST_ALL:
		snprintf(buf, len, "all");
		break;
	case BROADCAST_SUBSCRIBERS:
		snprintf(buf, len, "subscribers:%s", t->name);
		break;
	case BROADCAST_EVENT:
		snprintf(buf, len, "event:%s:%s", t->name, which[t->which]);
		break;
	case BROADCAST_NUMBERS:
		snprintf(buf, len, "numbers");
		break;
	default:
		fatalx("broadcast: bad target kind %d", (int)t->kind);
	}
}

/* Tell whether the group, commodity or event named exists (1, 0, -1). */
int
broadcast_target_exists(struct store *s, const struct broadcast_target *t)
{
	static const char sql_group[] = "SELECT 1 FROM groups WHERE name = ?";
	static const char sql_comm[] = "SELECT 1 FROM commodities WHERE "
	    "name = ?";
	static const char sql_event[] = "SELECT 1 FROM events WHERE code = ?";
	sqlite3_stmt	*st;
	const char	*sql;
	int		 rc;

	switch (t->kind) {
	case BROADCAST_ALL:
	case BROADCAST_NUMBERS:
		return 1;
	case BROADCAST_GROUP:
		sql = sql_group;
		break;
	case BROADCAST_SUBSCRIBERS:
		sql = sql_comm;
		break;
	case BROADCAST_EVENT:
		sql = sql_event;
		break;
	default:
		fatalx("broadcast: bad target kind %d", (int)t->kind);
	}
	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, t->name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return -1;
	return rc == SQLITE_ROW;
}

/* Create a broadcast row, 'scheduled' (inside the caller's transaction). */
int64_t
broadcast_new(struct store *s, const struct broadcast_target *t,
    const char *text, const char *created_by, const char *notify,
    int64_t scheduled_at)
{
	static const char sql[] = "INSERT INTO broadcasts (target, text, "
	    "created_by, state, scheduled_at, created_at, notify) VALUES "
	    "(?, ?, ?, 'scheduled', ?, ?, ?)";
	sqlite3_stmt	*st;
	char		 spec[BROADCAST_TARGET_MAX];
	int		 rc;

	broadcast_target_format(t, spec, sizeof(spec));
	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, spec, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, created_by, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, scheduled_at > 0 ? scheduled_at :
	    store_now());
	sqlite3_bind_int64(st, 5, store_now());
	sqlite3_bind_text(st, 6, notify != NULL ? notify : "", -1,
	    SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return -1;
	return sqlite3_last_insert_rowid(store_db(s));
}

/* Add a normalised number to a 'numbers' broadcast: 1 new, 0 dup, -1. */
int
broadcast_add_number(struct store *s, int64_t id, const char *phone)
{
	static const char sql[] = "INSERT OR IGNORE INTO broadcast_numbers "
	    "(broadcast_id, phone) VALUES (?, ?)";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, phone, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return -1;
	return sqlite3_changes(store_db(s));
}

/* The last contact id of the chunk after last, or -1 on error. */
static int64_t
broadcast_chunk_end(struct store *s, int64_t last)
{
	static const char sql[] = "SELECT COALESCE((SELECT id FROM contacts "
	    "WHERE id > ?1 ORDER BY id LIMIT 1 OFFSET ?2), (SELECT MAX(id) "
	    "FROM contacts), 0)";
	sqlite3_stmt	*st;
	int64_t		 end = -1;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, last);
	sqlite3_bind_int(st, 2, BROADCAST_CHUNK - 1);
	if (sqlite3_step(st) == SQLITE_ROW)
		end = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return end;
}

/* The outbox's audience for a target. */
static void
broadcast_audience_of(const struct broadcast_target *t, struct outbox_fill *f)
{
	static const enum outbox_audience to[] = {
		[BROADCAST_GROUP] = OUTBOX_TO_GROUP,
		[BROADCAST_ALL] = OUTBOX_TO_ALL,
		[BROADCAST_SUBSCRIBERS] = OUTBOX_TO_SUBSCRIBERS,
		[BROADCAST_EVENT] = OUTBOX_TO_EVENT,
		[BROADCAST_NUMBERS] = OUTBOX_TO_NUMBERS,
	};

	if ((int)t->kind < 0 || t->kind > BROADCAST_NUMBERS)
		fatalx("broadcast: bad target kind %d", (int)t->kind);
	f->to = to[t->kind];
	f->name = t->name;
	f->confirmed = t->which != BROADCAST_WAITLISTED;
	f->waitlisted = t->which != BROADCAST_CONFIRMED;
}

/* Queue a target's recipients with contact ids in (last, end]; 0 or -1. */
static int
broadcast_fill_rows(struct store *s, int64_t id,
    const struct broadcast_target *t, const char *text, int64_t last,
    int64_t end)
{
	struct outbox_fill f = { .broadcast = id, .text = text, .after = last,
	    .upto = end };

	broadcast_audience_of(t, &f);
	return outbox_fill(s, &f);
}

/*
 * How many people a target (not a list of numbers) reaches after
 * opt-outs, as a broadcast to it would queue them; 0 or -1.
 */
int
broadcast_audience(struct store *s, const struct broadcast_target *t,
    struct outbox_audience_size *a)
{
	struct outbox_fill f;

	memset(&f, 0, sizeof(f));
	broadcast_audience_of(t, &f);
	return outbox_audience(s, &f, a);
}

/*
 * Say what a broadcast will cost before it is made: the recipients after
 * opt-outs (not for a list of numbers, stored only when it is made), the
 * text's encoding and parts, and the parts in the worst case once {nama}
 * and {desa} are filled with the longest name and village.  0, or -1.
 */
int
broadcast_measure(struct store *s, const struct broadcast_target *t,
    const char *text, struct broadcast_cost *c)
{
	struct outbox_fill		 f;
	struct outbox_audience_size	 z;
	struct sms_cost			 worst;
	const char			*p;
	char				*w, fill[CONTACT_NAME_MAX + 1];
	size_t				 len;
	int				 n;

	memset(c, 0, sizeof(*c));
	memset(&z, 0, sizeof(z));
	memset(&f, 0, sizeof(f));
	broadcast_audience_of(t, &f);
	if (t->kind != BROADCAST_NUMBERS && outbox_audience(s, &f, &z) == -1)
		return -1;
	c->recipients = z.reach;
	sms_count(text, &c->sms);
	/* Each placeholder as long as the longest value it may become. */
	len = strlen(text) * (CONTACT_NAME_MAX + 1) + 1;
	if ((w = calloc(1, len)) == NULL)
		return -1;
	for (p = text; *p != '\0'; p++) {
		if (strncmp(p, "{nama}", 6) == 0 || strncmp(p, "{desa}", 6) == 0) {
			/* Bounded: a value written by hand may be longer. */
			n = p[1] == 'n' ? z.name_max : z.village_max;
			if (n < 0 || n >= (int)sizeof(fill))
				n = (int)sizeof(fill) - 1;
			memset(fill, 'x', sizeof(fill) - 1);
			fill[n] = '\0';
			strcat(w, fill);
			p += 5;
		} else
			strncat(w, p, 1);
	}
	sms_count(w, &worst);
	c->worst_parts = worst.parts;
	free(w);
	return 0;
}

/*
 * Queue the recipients of one chunk of a scheduled broadcast (inside the
 * caller's transaction): 1 when more chunks remain, 0 when it is filled
 * and marked 'queued', -1 on error or when it is not scheduled.
 */
static int
broadcast_fill_chunk(struct store *s, int64_t id)
{
	static const char sql_row[] = "SELECT target, text, state, filled_to "
	    "FROM broadcasts WHERE id = ?";
	static const char sql_filled[] = "UPDATE broadcasts SET filled_to = ? "
	    "WHERE id = ?";
	static const char sql_mark[] = "UPDATE broadcasts SET state = "
	    "'queued', recipients = (SELECT COUNT(*) FROM outbox WHERE "
	    "broadcast_id = ?1), started_at = ?2, filled_to = ?3 WHERE id = ?1";
	struct broadcast_target	 t;
	sqlite3_stmt		*st;
	char			 spec[BROADCAST_TARGET_MAX], err[128];
	char			 state[16] = "";
	char			*text = NULL;
	int64_t			 last = 0, end = INT64_MAX;
	int			 rc = -1;

	if ((st = store_stmt(s, sql_row)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		store_copy_text(st, 0, spec, sizeof(spec));
		text = sqlite3_mprintf("%s", sqlite3_column_text(st, 1));
		store_copy_text(st, 2, state, sizeof(state));
		last = sqlite3_column_int64(st, 3);
	}
	sqlite3_reset(st);
	if (text == NULL)
		return -1;
	if (strcmp(state, "scheduled") != 0) {
		rc = 0;		/* filled (or cancelled) meanwhile */
		goto out;
	}
	if (broadcast_parse_target(spec, &t, err, sizeof(err)) == -1) {
		log_warnx("broadcast %lld: %s", (long long)id, err);
		goto out;
	}
	/* A list of numbers goes in one go; contacts chunk by chunk. */
	if (t.kind != BROADCAST_NUMBERS &&
	    (end = broadcast_chunk_end(s, last)) == -1)
		goto out;
	if (broadcast_fill_rows(s, id, &t, text, last, end) == -1)
		goto out;
	if (t.kind != BROADCAST_NUMBERS &&
	    (last = broadcast_chunk_end(s, end)) == -1)
		goto out;
	if (t.kind != BROADCAST_NUMBERS && last > end) {
		if ((st = store_stmt(s, sql_filled)) == NULL)
			goto out;
		/* Contacts after this chunk: note where the next begins. */
		sqlite3_bind_int64(st, 1, end);
		sqlite3_bind_int64(st, 2, id);
		if (sqlite3_step(st) == SQLITE_DONE)
			rc = 1;
		sqlite3_reset(st);
		goto out;
	}
	if ((st = store_stmt(s, sql_mark)) == NULL)
		goto out;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, store_now());
	sqlite3_bind_int64(st, 3, end == INT64_MAX ? 0 : end);
	if (sqlite3_step(st) == SQLITE_DONE)
		rc = 0;
	sqlite3_reset(st);
	outbox_kick();
out:
	sqlite3_free(text);
	return rc;
}

/* The number of recipients a filled broadcast has queued, or -1. */
static int
broadcast_recipients(struct store *s, int64_t id)
{
	static const char sql[] = "SELECT recipients FROM broadcasts WHERE "
	    "id = ?";
	sqlite3_stmt	*st;
	int		 n = -1;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return n;
}

/*
 * Queue a scheduled broadcast's recipients all at once (inside the
 * caller's transaction); return their number, or -1.
 */
int
broadcast_start(struct store *s, int64_t id)
{
	int rc;

	while ((rc = broadcast_fill_chunk(s, id)) == 1)
		;
	return rc == 0 ? broadcast_recipients(s, id) : -1;
}

/*
 * Queue one chunk of a scheduled broadcast's recipients in a transaction
 * of its own, so that neither the loop nor the CLI holds the database
 * for a whole 100,000-recipient broadcast: 1 more to do, 0 filled (*n
 * recipients queued), -1 on error.  A chunk and its broadcast's
 * filled_to commit together, so a fill that stopped half-way goes on
 * after the last chunk it queued, whoever resumes it.
 */
int
broadcast_fill(struct store *s, int64_t id, int *n)
{
	int rc;

	if (store_begin(s) == -1)
		return -1;
	if ((rc = broadcast_fill_chunk(s, id)) == -1 ||
	    store_commit(s) == -1) {
		store_rollback(s);
		return -1;
	}
	if (rc == 0 && n != NULL && (*n = broadcast_recipients(s, id)) < 0)
		return -1;
	return rc;
}

/*
 * Cancel a scheduled or running broadcast: its queued rows become
 * 'cancelled' (rows in a modem's hands finish).  1 done, 0 not found
 * or already finished, -1 on error.
 */
int
broadcast_cancel(struct store *s, int64_t id, int *rows)
{
	static const char sql_b[] = "UPDATE broadcasts SET state = "
	    "'cancelled', finished_at = ? WHERE id = ? AND state IN "
	    "('scheduled', 'queued')";
	sqlite3_stmt	*st;
	int		 rc;

	*rows = 0;
	if ((st = store_stmt(s, sql_b)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, store_now());
	sqlite3_bind_int64(st, 2, id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return -1;
	if (sqlite3_changes(store_db(s)) == 0)
		return 0;
	if ((*rows = outbox_cancel_broadcast(s, id)) < 0)
		return -1;
	return 1;
}

/* Count a broadcast's outbox rows by state. */
int
broadcast_progress(struct store *s, int64_t id, struct broadcast_progress *p)
{
	static const char sql[] = "SELECT state, COUNT(*) FROM outbox WHERE "
	    "broadcast_id = ? GROUP BY state";
	sqlite3_stmt		*st;
	enum outbox_state	 state;
	char			 name[16];
	int			 n, rc;

	memset(p, 0, sizeof(*p));
	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_copy_text(st, 0, name, sizeof(name));
		n = sqlite3_column_int(st, 1);
		if (outbox_state_parse(name, &state) == -1)
			continue;	/* the schema's CHECK allows no other */
		switch (state) {
		case OUTBOX_QUEUED:
		case OUTBOX_SENDING:	p->queued += n; break;
		case OUTBOX_SENT:	p->sent += n; break;
		case OUTBOX_DELIVERED:	p->delivered += n; break;
		case OUTBOX_FAILED:	p->failed += n; break;
		case OUTBOX_CANCELLED:	p->cancelled += n; break;
		default:		fatalx("broadcast: outbox state %d", state);
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * Start scheduled broadcasts that are due, one chunk of recipients per
 * transaction; return how many were fully started.  A broadcast with
 * more chunks to go asks for another turn of the loop (broadcast_kick),
 * so SMS are handled between its chunks.
 */
static int
broadcast_promote(struct store *s)
{
	static const char sql[] = "SELECT id FROM broadcasts WHERE state = "
	    "'scheduled' AND scheduled_at <= ? ORDER BY scheduled_at, id "
	    "LIMIT 1";
	sqlite3_stmt	*st;
	int64_t		 id;
	int		 i, n, rc;

	for (i = 0; i < BROADCAST_PROMOTE_MAX; i++) {
		if ((st = store_stmt(s, sql)) == NULL)
			return i;
		sqlite3_bind_int64(st, 1, store_now());
		id = sqlite3_step(st) == SQLITE_ROW ?
		    sqlite3_column_int64(st, 0) : 0;
		sqlite3_reset(st);
		if (id == 0)
			return i;
		if ((rc = broadcast_fill(s, id, &n)) == -1) {
			log_warnx("broadcast %lld: cannot start: %s",
			    (long long)id, store_errmsg(s));
			return i;
		}
		if (rc == 1) {
			broadcast_kick();
			return i;
		}
		log_info("broadcast %lld: started, %d recipient(s)",
		    (long long)id, n);
	}
	return i;
}

/* Mark one running broadcast done and tell its admin (in a transaction). */
static int
broadcast_finish(struct store *s, const struct conf *conf, int64_t id,
    const char *notify)
{
	static const char sql_done[] = "UPDATE broadcasts SET state = 'done', "
	    "finished_at = ? WHERE id = ? AND state = 'queued'";
	static const char sql_lang[] = "SELECT language FROM contacts WHERE "
	    "phone = ?";
	struct broadcast_progress	 p;
	sqlite3_stmt			*st;
	char				 text[320], lang[4] = "", ids[24];
	char				 sent[16], failed[16], cancelled[16];

	if ((st = store_stmt(s, sql_done)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, store_now());
	sqlite3_bind_int64(st, 2, id);
	if (sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	if (notify[0] == '\0')
		return 0;
	if (broadcast_progress(s, id, &p) == -1 ||
	    (st = store_stmt(s, sql_lang)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, notify, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		store_copy_text(st, 0, lang, sizeof(lang));
	sqlite3_reset(st);
	if (lang[0] == '\0')
		snprintf(lang, sizeof(lang), "%s", conf != NULL ?
		    conf->language : "id");
	snprintf(ids, sizeof(ids), "%lld", (long long)id);
	snprintf(sent, sizeof(sent), "%d", p.sent + p.delivered);
	snprintf(failed, sizeof(failed), "%d", p.failed);
	snprintf(cancelled, sizeof(cancelled), "%d", p.cancelled);
	text_render(s, lang, "siar.done", (const char *const[]){ "id", ids,
	    "sent", sent, "failed", failed, "cancelled", cancelled, NULL },
	    text, sizeof(text));
	return outbox_enqueue(s, notify, text, OUTBOX_PRIO_ALERT, 0, 0) < 0 ?
	    -1 : 0;
}

/* Settle running broadcasts none of whose rows is pending; how many. */
static int
broadcast_settle(struct store *s, const struct conf *conf)
{
	static const char sql_run[] = "SELECT id, notify FROM broadcasts "
	    "WHERE state = 'queued' ORDER BY id LIMIT ?";
	static const char sql_pending[] = "SELECT EXISTS (SELECT 1 FROM "
	    "outbox WHERE broadcast_id = ?1 AND state = 'queued') OR EXISTS "
	    "(SELECT 1 FROM outbox WHERE broadcast_id = ?1 AND state = "
	    "'sending')";
	struct {
		int64_t	id;
		char	notify[24];
	}		 run[BROADCAST_SETTLE_MAX];
	sqlite3_stmt	*st;
	int		 i, n = 0, done = 0, pending;

	if ((st = store_stmt(s, sql_run)) == NULL)
		return -1;
	sqlite3_bind_int(st, 1, BROADCAST_SETTLE_MAX);
	while (n < BROADCAST_SETTLE_MAX && sqlite3_step(st) == SQLITE_ROW) {
		run[n].id = sqlite3_column_int64(st, 0);
		store_copy_text(st, 1, run[n].notify, sizeof(run[n].notify));
		n++;
	}
	sqlite3_reset(st);
	for (i = 0; i < n; i++) {
		if ((st = store_stmt(s, sql_pending)) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, run[i].id);
		pending = sqlite3_step(st) != SQLITE_ROW ||
		    sqlite3_column_int(st, 0);
		sqlite3_reset(st);
		if (pending)
			continue;
		if (store_begin(s) == -1)
			return done;
		if (broadcast_finish(s, conf, run[i].id, run[i].notify) == -1 ||
		    store_commit(s) == -1) {
			store_rollback(s);
			log_warnx("broadcast %lld: cannot settle: %s",
			    (long long)run[i].id, store_errmsg(s));
			continue;
		}
		log_info("broadcast %lld: done", (long long)run[i].id);
		done++;
	}
	return done;
}

/* Promote due broadcasts and settle finished ones; return changes. */
int
broadcast_tick(struct store *s, const struct conf *conf)
{
	int a, b;

	a = broadcast_promote(s);
	b = broadcast_settle(s, conf);
	return a + (b > 0 ? b : 0);
}

/* Timer: the periodic broadcast tick. */
static void
broadcast_on_sweep(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	(void)arg;
	broadcast_tick(broadcast.store, broadcast.conf);
}

/* Promote and settle on the next turn of the loop (a poke). */
void
broadcast_kick(void)
{
	if (broadcast.ev_sweep != NULL)
		event_active(broadcast.ev_sweep, EV_TIMEOUT, 0);
}

/* Start the broadcast timer; conf must outlive it. */
int
broadcast_init(struct event_base *base, struct store *s,
    const struct conf *conf)
{
	struct timeval tv = { BROADCAST_SWEEP_SECS, 0 };

	memset(&broadcast, 0, sizeof(broadcast));
	broadcast.store = s;
	broadcast.conf = conf;
	broadcast.ev_sweep = event_new(base, -1, EV_PERSIST,
	    broadcast_on_sweep, NULL);
	if (broadcast.ev_sweep == NULL)
		return -1;
	if (conf != NULL && conf->sweep_interval > 0)
		tv.tv_sec = conf->sweep_interval;
	return event_add(broadcast.ev_sweep, &tv);
}

/* Stop the broadcast timer. */
void
broadcast_free(void)
{
	if (broadcast.ev_sweep != NULL)
		event_free(broadcast.ev_sweep);
	memset(&broadcast, 0, sizeof(broadcast));
}
