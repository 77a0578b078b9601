/*
 * Events and their registrations.  This file alone writes events and
 * registrations and keeps their rules; DAFTAR/BATAL, the CLI and contact
 * removal call it.  Every function runs inside the caller's transaction.
 *
 * DESIGN: a registration is confirmed while the event has fewer confirmed
 * registrations than its quota, waitlisted after that, and refused once
 * the event is closed or its deadline (inclusive) has passed.  One row per
 * contact and event; cancelling keeps the row (status 'cancelled') and
 * registering again puts it at the back of the line.  When a confirmed
 * place is freed, the oldest waitlisted registrations are confirmed until
 * the quota is full, and each promoted person gets a text (alert
 * priority) in the cancelling transaction.  A contact who holds or waits
 * for a place cannot be forgotten: they cancel first, so the waitlist
 * moves on.  A reminder goes to every confirmed registrant who takes SMS
 * (as a broadcast would: opted-out people are skipped, quiet hours are
 * kept), in their language; the event remembers when, and a second one
 * within EVENT_REMIND_AGAIN is refused unless asked for on purpose.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "conf.h"
#include "event.h"
#include "log.h"
#include "match.h"
#include "outbox.h"
#include "price.h"
#include "store.h"
#include "text.h"

/* The status column's word for a registration state. */
static const char *
event_reg_name(enum event_reg r)
{
	switch (r) {
	case EVENT_REG_CONFIRMED:
		return "confirmed";
	case EVENT_REG_WAITLISTED:
		return "waitlisted";
	case EVENT_REG_CANCELLED:
		return "cancelled";
	case EVENT_REG_NONE:
	default:
		fatalx("event: no status for registration state %d", (int)r);
	}
}

/* Read the state of a contact's registration for an event, or -1. */
static int
event_reg_state(struct store *s, int64_t event, int64_t contact,
    enum event_reg *r)
{
	static const char sql[] = "SELECT status FROM registrations WHERE "
	    "event_id = ? AND contact_id = ?";
	sqlite3_stmt	*st;
	char		 status[16] = "";
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, event);
	sqlite3_bind_int64(st, 2, contact);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		store_copy_text(st, 0, status, sizeof(status));
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return -1;
	if (!strcmp(status, "confirmed"))
		*r = EVENT_REG_CONFIRMED;
	else if (!strcmp(status, "waitlisted"))
		*r = EVENT_REG_WAITLISTED;
	else
		*r = rc == SQLITE_ROW ? EVENT_REG_CANCELLED : EVENT_REG_NONE;
	return 0;
}

/* Count an event's registrations in a state, or -1. */
static int
event_count(struct store *s, int64_t event, enum event_reg r)
{
	static const char sql[] = "SELECT COUNT(*) FROM registrations WHERE "
	    "event_id = ? AND status = ?";
	sqlite3_stmt	*st;
	int		 n = -1;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, event);
	sqlite3_bind_text(st, 2, event_reg_name(r), -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return n;
}

/* Read an event by code; 1 found, 0 not, -1 on error. */
int
event_find(struct store *s, const char *code, struct event_row *e)
{
	static const char sql[] = "SELECT id, code, title, quota, "
	    "COALESCE(deadline, ''), COALESCE(event_date, ''), place, "
	    "status = 'open', COALESCE(reminded_at, 0), reminded FROM events "
	    "WHERE code = ?";
	sqlite3_stmt	*st;
	int		 rc;

	memset(e, 0, sizeof(*e));
	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		e->id = sqlite3_column_int64(st, 0);
		store_copy_text(st, 1, e->code, sizeof(e->code));
		store_copy_text(st, 2, e->title, sizeof(e->title));
		e->quota = sqlite3_column_int(st, 3);
		store_copy_text(st, 4, e->deadline, sizeof(e->deadline));
		store_copy_text(st, 5, e->date, sizeof(e->date));
		store_copy_text(st, 6, e->place, sizeof(e->place));
		e->open = sqlite3_column_int(st, 7);
		e->reminded_at = sqlite3_column_int64(st, 8);
		e->reminded = sqlite3_column_int(st, 9);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* Tell whether s is a date written YYYY-MM-DD. */
static int
event_date_ok(const char *s)
{
	int	y, m, d;
	char	extra;

	return strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d,
	    &extra) == 3 && y >= 2000 && m >= 1 && m <= 12 && d >= 1 &&
	    d <= 31;
}

/* Tell whether s is a date, or a date and time "YYYY-MM-DD HH:MM". */
static int
event_when_ok(const char *s)
{
	char	day[11];
	int	h, m;
	char	extra;

	if (strlen(s) == 10)
		return event_date_ok(s);
	if (strlen(s) != 16 || s[10] != ' ')
		return 0;
	memcpy(day, s, 10);
	day[10] = '\0';
	return event_date_ok(day) && sscanf(s + 11, "%2d:%2d%c", &h, &m,
	    &extra) == 2 && h >= 0 && h <= 23 && m >= 0 && m <= 59;
}

/*
 * Write a date ("2026-12-09", maybe with " 08:00") as a farmer reads it:
 * "Sab 9 Des 08.00" in Indonesian, "Sat 9 Dec 08:00" in English.  Text
 * that is no such date is copied as it is (events made before dates
 * were checked).
 */
void
event_when_text(const char *when, const char *lang, char *out, size_t len)
{
	static const char *const day_id[] = { "Min", "Sen", "Sel", "Rab",
	    "Kam", "Jum", "Sab" };
	static const char *const day_en[] = { "Sun", "Mon", "Tue", "Wed",
	    "Thu", "Fri", "Sat" };
	static const char *const mon_id[] = { "Jan", "Feb", "Mar", "Apr",
	    "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des" };
	static const char *const mon_en[] = { "Jan", "Feb", "Mar", "Apr",
	    "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm	tm;
	int		en = strcmp(lang, "en") == 0, h, m;

	memset(&tm, 0, sizeof(tm));
	if (!event_when_ok(when) || strptime(when, "%Y-%m-%d", &tm) == NULL) {
		snprintf(out, len, "%s", when);
		return;
	}
	tm.tm_hour = 12;
	timegm(&tm);			/* sets tm_wday */
	snprintf(out, len, "%s %d %s", (en ? day_en : day_id)[tm.tm_wday],
	    tm.tm_mday, (en ? mon_en : mon_id)[tm.tm_mon]);
	if (strlen(when) == 16 && sscanf(when + 11, "%d:%d", &h, &m) == 2)
		snprintf(out + strlen(out), len - strlen(out), " %02d%c%02d",
		    h, en ? ':' : '.', m);
}

/*
 * Find the open event a mistyped code means: the code written in two
 * words ("RELA 26"), or one slip from a single open event's code
 * ("REL26", "REL 26"; a word of four letters or more).  Return 1 with it (and *used, the tokens taken), 0, or -1.
 */
int
event_guess(struct store *s, const char *word, const char *next,
    struct event_row *e, int *used)
{
	static const char sql[] = "SELECT code FROM events WHERE status = "
	    "'open'";
	struct match_best	 mb;
	sqlite3_stmt		*st;
	const unsigned char	*t;
	const char		*typed;
	char			 joined[64];
	int			 rc, two;

	if (next != NULL) {
		snprintf(joined, sizeof(joined), "%s%s", word, next);
		if ((rc = event_find(s, joined, e)) != 0) {
			*used = 2;
			return rc;
		}
	}
	/* "REL 26": the number belongs to the code. */
	two = next != NULL && strspn(next, "0123456789") == strlen(next);
	typed = two ? joined : word;
	if (strlen(typed) < 4)
		return 0;
	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	match_best_init(&mb);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if ((t = sqlite3_column_text(st, 0)) != NULL)
			match_best_offer(&mb, typed, (const char *)t, 1);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return -1;
	if (!match_best_unique(&mb, 1))
		return 0;
	*used = two ? 2 : 1;
	return event_find(s, mb.name, e);
}

/* List the open events' codes as "RELA26, TANI24"; how many, or -1. */
int
event_open_codes(struct store *s, char *buf, size_t len)
{
	static const char sql[] = "SELECT code FROM events WHERE status = "
	    "'open' AND (deadline IS NULL OR deadline >= ?) ORDER BY code";
	sqlite3_stmt		*st;
	const unsigned char	*t;
	char			 today[16];
	int			 n = 0, rc;

	buf[0] = '\0';
	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	store_today(today, sizeof(today));
	sqlite3_bind_text(st, 1, today, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if ((t = sqlite3_column_text(st, 0)) != NULL &&
		    strlen(buf) + strlen((const char *)t) + 3 < len) {
			if (n++ > 0)
				text_append(buf, len, ", ");
			text_append(buf, len, (const char *)t);
		}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? n : -1;
}

/*
 * Check a new or changed event; NULL when fine, else why it is refused.
 * kept: the deadline it has now (a change may keep one that has passed).
 */
static const char *
event_invalid(const struct event_spec *e, const char *kept)
{
	char today[16];

	if (!price_name_ok(e->code) || strlen(e->code) > EVENT_CODE_MAX)
		return "code: one word up to 16 letters and digits, e.g. TANI24";
	if (strlen(e->title) == 0 || strlen(e->title) > 80 ||
	    strlen(e->place) > 60)
		return "title: 1 to 80 characters; place: up to 60";
	if (e->quota < 0 || e->quota > EVENT_QUOTA_MAX)
		return "--quota: a number 0..100000";
	if (e->deadline != NULL && !event_date_ok(e->deadline))
		return "--deadline: expected YYYY-MM-DD";
	store_today(today, sizeof(today));
	if (e->deadline != NULL && strcmp(e->deadline, today) < 0 &&
	    strcmp(e->deadline, kept) != 0)
		return "--deadline: that day is past";
	if (e->date != NULL && !event_when_ok(e->date))
		return "--date: expected YYYY-MM-DD or \"YYYY-MM-DD HH:MM\"";
	return NULL;
}

/*
 * Create an open event (its code kept in upper case).  Return 1 when
 * created, 0 when the code exists already, -2 when refused (why says
 * which field), -1 on a database error.
 */
int
event_create(struct store *s, const struct event_spec *e, char *why,
    size_t whylen)
{
	static const char sql[] = "INSERT OR IGNORE INTO events (code, title, "
	    "quota, deadline, event_date, place, created_at) VALUES "
	    "(upper(?), ?, ?, ?, ?, ?, ?)";
	sqlite3_stmt	*st;
	const char	*bad;
	int		 rc;

	if ((bad = event_invalid(e, "")) != NULL) {
		snprintf(why, whylen, "%s", bad);
		return -2;
	}
	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, e->code, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, e->title, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, e->quota);
	if (e->deadline != NULL)
		sqlite3_bind_text(st, 4, e->deadline, -1, SQLITE_TRANSIENT);
	if (e->date != NULL)
		sqlite3_bind_text(st, 5, e->date, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 6, e->place, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 7, store_now());
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? sqlite3_changes(store_db(s)) : -1;
}

/* Stop an event taking registrations; 1, 0 when there is none, or -1. */
int
event_close(struct store *s, const char *code)
{
	static const char sql[] = "UPDATE events SET status = 'closed' WHERE "
	    "code = ?";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? sqlite3_changes(store_db(s)) : -1;
}

/* Insert or renew a registration in a state, at the back of the line. */
static int
event_put(struct store *s, int64_t event, int64_t contact, const char *name,
    enum event_reg r)
{
	static const char sql[] = "INSERT INTO registrations (event_id, "
	    "contact_id, name, status, created_at, updated_at) VALUES (?1, "
	    "?2, ?3, ?4, ?5, ?5) ON CONFLICT (event_id, contact_id) DO UPDATE "
	    "SET name = ?3, status = ?4, created_at = ?5, updated_at = ?5";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, event);
	sqlite3_bind_int64(st, 2, contact);
	sqlite3_bind_text(st, 3, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, event_reg_name(r), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, store_now());
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * Register a contact under a name: a place while the quota allows, the
 * waitlist after that (its number in *position).  Return what happened
 * (enum event_outcome), or -1 on error.
 */
int
event_register(struct store *s, const struct event_row *e, int64_t contact,
    const char *name, int *position)
{
	enum event_reg	r;
	char		today[16];
	int		n;

	*position = 0;
	if (event_reg_state(s, e->id, contact, &r) == -1)
		return -1;
	if (r == EVENT_REG_CONFIRMED)
		return EVENT_ALREADY;
	if (r == EVENT_REG_WAITLISTED)
		return EVENT_ALREADY_WAITING;
	if (!e->open)
		return EVENT_CLOSED;
	store_today(today, sizeof(today));
	if (e->deadline[0] != '\0' && strcmp(today, e->deadline) > 0)
		return EVENT_PAST_DEADLINE;
	if ((n = event_count(s, e->id, EVENT_REG_CONFIRMED)) < 0)
		return -1;
	if (n < e->quota)
		return event_put(s, e->id, contact, name,
		    EVENT_REG_CONFIRMED) == -1 ? -1 : EVENT_CONFIRMED;
	if ((n = event_count(s, e->id, EVENT_REG_WAITLISTED)) < 0 ||
	    event_put(s, e->id, contact, name, EVENT_REG_WAITLISTED) == -1)
		return -1;
	*position = n + 1;
	return EVENT_WAITLISTED;
}

/* Render an event's notice (promoted, reminder) in a language into buf. */
static void
event_notice_text(struct store *s, const char *key, const char *lang,
    const struct event_row *e, char *buf, size_t len)
{
	char when[48], until[48];

	event_when_text(e->date, lang, when, sizeof(when));
	event_when_text(e->deadline, lang, until, sizeof(until));
	text_render(s, lang, key, (const char *const[]){
	    "code", e->code, "title", e->title, "date", when, "place",
	    e->place, "deadline", until, "position", "", NULL }, buf, len);
}

/*
 * Confirm the oldest waitlisted registrations while the open event has
 * room, texting each promoted person.  Return how many, or -1.
 */
static int
event_promote(struct store *s, const struct conf *conf, const struct event_row *e)
{
	static const char sql_next[] = "SELECT r.id, c.phone, c.language "
	    "FROM registrations r JOIN contacts c ON c.id = r.contact_id "
	    "WHERE r.event_id = ? AND r.status = 'waitlisted' "
	    "ORDER BY r.created_at, r.id LIMIT 1";
	static const char sql_up[] = "UPDATE registrations SET status = "
	    "'confirmed', updated_at = ? WHERE id = ?";
	sqlite3_stmt	*st;
	char		 phone[32], lang[4], text[320];
	int64_t		 rid;
	int		 n = 0, confirmed, rc;

	while (e->open) {
		if ((confirmed = event_count(s, e->id,
		    EVENT_REG_CONFIRMED)) < 0)
			return -1;
		if (confirmed >= e->quota)
			break;
		if ((st = store_stmt(s, sql_next)) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, e->id);
		if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
			sqlite3_reset(st);
			if (rc != SQLITE_DONE)
				return -1;
			break;
		}
		rid = sqlite3_column_int64(st, 0);
		store_copy_text(st, 1, phone, sizeof(phone));
		store_copy_text(st, 2, lang, sizeof(lang));
		sqlite3_reset(st);
		if ((st = store_stmt(s, sql_up)) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, store_now());
		sqlite3_bind_int64(st, 2, rid);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return -1;
		event_notice_text(s, "event.promoted", lang[0] ? lang :
		    conf->language, e, text, sizeof(text));
		if (outbox_enqueue(s, phone, text, OUTBOX_PRIO_ALERT, 0, 0) < 0)
			return -1;
		log_info("event %s: %s promoted from the waitlist", e->code,
		    phone);
		n++;
	}
	return n;
}

/*
 * Cancel a contact's registration; a freed place goes to the waitlist.
 * Return 1 when cancelled, 0 when there was nothing to cancel, -1.
 */
int
event_cancel(struct store *s, const struct conf *conf, const struct event_row *e,
    int64_t contact)
{
	static const char sql[] = "UPDATE registrations SET status = "
	    "'cancelled', updated_at = ? WHERE event_id = ? AND "
	    "contact_id = ?";
	sqlite3_stmt	*st;
	enum event_reg	 r;
	int		 rc;

	if (event_reg_state(s, e->id, contact, &r) == -1)
		return -1;
	if (r == EVENT_REG_NONE || r == EVENT_REG_CANCELLED)
		return 0;
	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, store_now());
	sqlite3_bind_int64(st, 2, e->id);
	sqlite3_bind_int64(st, 3, contact);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return -1;
	if (r == EVENT_REG_CONFIRMED && event_promote(s, conf, e) < 0)
		return -1;
	return 1;
}

/*
 * Change an event's title, quota, deadline, date and place, checked as
 * event_create checks them (but a deadline that passed may stay, so an
 * event can still be moved after registration ended); a larger quota
 * promotes the waitlist (each promoted person is told).  1 when changed, 0 when there is no such
 * event, -2 when refused (why says which field), -1 on error.
 */
int
event_update(struct store *s, const struct conf *conf,
    const struct event_spec *n, char *why, size_t whylen)
{
	static const char sql[] = "UPDATE events SET title = ?2, quota = ?3, "
	    "deadline = ?4, event_date = ?5, place = ?6 WHERE code = ?1";
	struct event_row	 e;
	sqlite3_stmt	*st;
	const char	*bad;
	int		 rc;

	if ((rc = event_find(s, n->code, &e)) != 1)
		return rc;
	if ((bad = event_invalid(n, e.deadline)) != NULL) {
		snprintf(why, whylen, "%s", bad);
		return -2;
	}
	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, n->code, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, n->title, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, n->quota);
	if (n->deadline != NULL)
		sqlite3_bind_text(st, 4, n->deadline, -1, SQLITE_TRANSIENT);
	if (n->date != NULL)
		sqlite3_bind_text(st, 5, n->date, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 6, n->place, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return -1;
	if (sqlite3_changes(store_db(s)) == 0)
		return 0;
	if (event_find(s, n->code, &e) != 1 || event_promote(s, conf, &e) < 0)
		return -1;
	return 1;
}

/* Why a reminder was refused, in the words the CLI and console show. */
void
event_remind_refusal(const struct event_row *e, enum event_remind r,
    char *buf, size_t len)
{
	struct tm	tm;
	time_t		at = (time_t)e->reminded_at;
	char		last[24] = "";

	switch (r) {
	case EVENT_REMIND_TOO_SOON:
		if (localtime_r(&at, &tm) != NULL)
			strftime(last, sizeof(last), "%Y-%m-%d %H:%M", &tm);
		snprintf(buf, len, "event %s was reminded at %s (%d people); "
		    "remind again only on purpose (--force)", e->code, last,
		    e->reminded);
		break;
	case EVENT_REMIND_PAST:
		snprintf(buf, len, "event %s was on %.10s: too late to remind",
		    e->code, e->date);
		break;
	case EVENT_REMIND_NOBODY:
		snprintf(buf, len, "event %s has no confirmed registrant who "
		    "takes SMS", e->code);
		break;
	case EVENT_REMINDED:
	default:
		fatalx("event: no refusal for reminder outcome %d", (int)r);
	}
}

/* Queue one reminder for a confirmed registrant; -1 on error. */
static int
event_remind_one(struct store *s, const char *lang, const char *phone,
    const struct event_row *e, const char *who)
{
	char	text[320];
	int64_t	id;

	event_notice_text(s, "event.remind", lang, e, text, sizeof(text));
	if ((id = outbox_enqueue(s, phone, text, OUTBOX_PRIO_BROADCAST, 0,
	    0)) < 0 || (who != NULL && outbox_set_creator(s, id, who) == -1))
		return -1;
	return 0;
}

/* Record that an event was reminded now, to n people. */
static int
event_reminded(struct store *s, const struct event_row *e, int n)
{
	static const char sql[] = "UPDATE events SET reminded_at = ?, "
	    "reminded = ? WHERE id = ?";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, store_now());
	sqlite3_bind_int(st, 2, n);
	sqlite3_bind_int64(st, 3, e->id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * Remind every confirmed registrant who takes SMS of the event (title,
 * date and time, place), each in their language, as outbox rows created
 * by who (NULL: nobody named); counts in n.  Refused when the event's day
 * is over, when nobody takes SMS, or (unless force) when the last
 * reminder went less than EVENT_REMIND_AGAIN ago.  Return what happened
 * (enum event_remind), or -1 on error.
 */
int
event_remind(struct store *s, const struct conf *conf,
    const struct event_row *e, int force, const char *who,
    struct event_reminders *n)
{
	static const char sql[] = "SELECT c.phone, c.language, c.opted_out "
	    "FROM registrations r JOIN contacts c ON c.id = r.contact_id "
	    "WHERE r.event_id = ? AND r.status = 'confirmed' ORDER BY "
	    "r.created_at, r.id";
	sqlite3_stmt	*st;
	char		 today[16], phone[32], lang[4];
	int		 rc;

	memset(n, 0, sizeof(*n));
	store_today(today, sizeof(today));
	if (e->date[0] != '\0' && strncmp(e->date, today, 10) < 0)
		return EVENT_REMIND_PAST;
	if (!force && e->reminded_at > 0 && store_now() - e->reminded_at <
	    EVENT_REMIND_AGAIN)
		return EVENT_REMIND_TOO_SOON;
	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, e->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_int(st, 2) != 0) {
			n->opted_out++;
			continue;
		}
		store_copy_text(st, 0, phone, sizeof(phone));
		store_copy_text(st, 1, lang, sizeof(lang));
		if (event_remind_one(s, lang[0] ? lang : conf->language, phone,
		    e, who) == -1)
			break;
		n->sent++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return -1;
	if (n->sent == 0)
		return EVENT_REMIND_NOBODY;
	return event_reminded(s, e, n->sent) == -1 ? -1 : EVENT_REMINDED;
}

/*
 * Forget a contact's registrations, for the contact's removal.  Refused
 * (-2, the event codes in events) while they hold or wait for a place:
 * they cancel first, so the waitlist moves on.  0, or -1 on error.
 */
int
event_forget_contact(struct store *s, int64_t contact, char *events,
    size_t len)
{
	static const char sql_active[] = "SELECT COALESCE(group_concat("
	    "e.code, ' '), ''), count(*) FROM registrations r JOIN events e "
	    "ON e.id = r.event_id WHERE r.contact_id = ? AND r.status != "
	    "'cancelled'";
	static const char sql_del[] = "DELETE FROM registrations WHERE "
	    "contact_id = ?";
	sqlite3_stmt	*st;
	int		 n = -1, rc;

	if ((st = store_stmt(s, sql_active)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, contact);
	if (sqlite3_step(st) == SQLITE_ROW) {
		store_copy_text(st, 0, events, len);
		n = sqlite3_column_int(st, 1);
	}
	sqlite3_reset(st);
	if (n != 0)
		return n < 0 ? -1 : -2;
	if ((st = store_stmt(s, sql_del)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, contact);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}
