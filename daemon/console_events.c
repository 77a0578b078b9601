/*
 * The console's events: the list with places taken and the waitlist, an
 * event's registrants (confirmed, waitlisted with their position,
 * cancelled), create and change, cancel a registration (the waitlist
 * moves on and the promoted person is told, by event.c), close, remind
 * the confirmed by SMS, and the registrants as CSV.  Reads are SELECTs here; writes go through event.c
 * with its checks and messages, audited with the user's name.
 */
#include <stdio.h>
#include <string.h>

#include <event2/http.h>

#include "conf.h"
#include "console.h"
#include "contact.h"
#include "event.h"
#include "log.h"
#include "outbox.h"
#include "phone.h"
#include "store.h"
#include "user.h"

/* Registrations in the order places are given, with waitlist positions. */
#define CONSOLE_EV_REGS "SELECT r.status, k.phone, r.name, k.village, " \
	"strftime('%Y-%m-%d %H:%M', r.created_at, 'unixepoch', 'localtime'), " \
	"CASE WHEN r.status = 'waitlisted' THEN row_number() OVER (PARTITION " \
	"BY r.status = 'waitlisted' ORDER BY r.created_at, r.id) END FROM " \
	"registrations r JOIN events e ON e.id = r.event_id JOIN contacts k " \
	"ON k.id = r.contact_id WHERE e.code = ? ORDER BY r.status = " \
	"'cancelled', r.status = 'waitlisted', r.created_at, r.id"

/* GET /console/api/event/list: every event, newest first, with counts. */
void
console_ev_list(struct evhttp_request *req, const struct user_session *u)
{
	static const char sql[] = "SELECT e.code, e.title, e.status, e.quota, "
	    "(SELECT count(*) FROM registrations r WHERE r.event_id = e.id AND "
	    "r.status = 'confirmed'), (SELECT count(*) FROM registrations r "
	    "WHERE r.event_id = e.id AND r.status = 'waitlisted'), "
	    "COALESCE(e.deadline, ''), COALESCE(e.event_date, ''), e.place "
	    "FROM events e ORDER BY e.created_at DESC, e.id DESC LIMIT 100";
	sqlite3_stmt	*st;
	json_t		*a;
	int		 rc;

	(void)u;
	if ((st = store_stmt(console_store(), sql)) == NULL) {
		console_error(req, 500, "cannot read the events");
		return;
	}
	a = json_array();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(a, json_pack("{s:o, s:o, s:o, s:i, s:i, "
		    "s:i, s:o, s:o, s:o}", "code", console_col(st, 0), "title",
		    console_col(st, 1), "status", console_col(st, 2), "quota",
		    sqlite3_column_int(st, 3), "confirmed",
		    sqlite3_column_int(st, 4), "waitlisted",
		    sqlite3_column_int(st, 5), "deadline", console_col(st, 6),
		    "date", console_col(st, 7), "place", console_col(st, 8)));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(a);
		console_error(req, 500, "cannot read the events");
		return;
	}
	console_json(req, 200, json_pack("{s:o}", "events", a));
}

/* GET /console/api/event?code=: one event's registrants in order. */
void
console_ev_show(struct evhttp_request *req, const struct user_session *u)
{
	sqlite3_stmt	*st;
	struct event_row	 e;
	json_t		*a;
	char		 code[40];
	int		 rc;

	(void)u;
	if (console_arg(req, "code", code, sizeof(code)) == NULL ||
	    (rc = event_find(console_store(), code, &e)) == 0) {
		console_error(req, 404, "no such event");
		return;
	}
	if (rc == -1 || (st = store_stmt(console_store(), CONSOLE_EV_REGS)) ==
	    NULL) {
		console_error(req, 500, "cannot read the event");
		return;
	}
	sqlite3_bind_text(st, 1, e.code, -1, SQLITE_STATIC);
	a = json_array();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(a, json_pack("{s:o, s:o, s:o, s:o, s:o, "
		    "s:o}", "status", console_col(st, 0), "phone",
		    console_col(st, 1), "name", console_col(st, 2), "village",
		    console_col(st, 3), "at", console_col(st, 4), "position",
		    console_col_int(st, 5)));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(a);
		console_error(req, 500, "cannot read the event");
		return;
	}
	console_json(req, 200, json_pack("{s:s, s:s, s:i, s:s, s:s, s:s, s:b, "
	    "s:I, s:i, s:o}", "code", e.code, "title", e.title, "quota",
	    e.quota, "deadline", e.deadline, "date", e.date, "place", e.place,
	    "open", e.open, "reminded_at", (json_int_t)e.reminded_at,
	    "reminded", e.reminded, "registrations", a));
}

/* GET /console/api/event.csv?code=: the registrants as a spreadsheet. */
void
console_ev_csv(struct evhttp_request *req, const struct user_session *u)
{
	sqlite3_stmt	*st;
	struct event_row	 e;
	char		 code[40], file[64];

	(void)u;
	if (console_arg(req, "code", code, sizeof(code)) == NULL ||
	    event_find(console_store(), code, &e) != 1) {
		console_error(req, 404, "no such event");
		return;
	}
	if ((st = store_stmt(console_store(), CONSOLE_EV_REGS)) == NULL) {
		console_error(req, 500, "cannot read the event");
		return;
	}
	sqlite3_bind_text(st, 1, e.code, -1, SQLITE_STATIC);
	snprintf(file, sizeof(file), "kentongan-%s.csv", e.code);
	console_csv_send(req, st, "status,phone,name,village,registered,"
	    "waitlist_position", 6, file);
}

/* A string member, or NULL when absent or empty. */
static const char *
console_ev_opt(json_t *doc, const char *key)
{
	const char *v = json_string_value(json_object_get(doc, key));

	return v != NULL && v[0] != '\0' ? v : NULL;
}

/*
 * POST /console/api/event/save {new, code, title, quota, deadline, date,
 * place}: create an event, or change one; event.c checks every field.
 */
void
console_ev_save(struct evhttp_request *req, const struct user_session *u)
{
	struct event_spec	 e = { .quota = -1 };
	json_t			*doc, *q;
	char			 why[128], msg[160];
	int			 isnew, rc;

	if ((doc = console_body(req)) == NULL)
		return;
	isnew = json_is_true(json_object_get(doc, "new"));
	q = json_object_get(doc, "quota");
	e.code = json_string_value(json_object_get(doc, "code"));
	e.title = json_string_value(json_object_get(doc, "title"));
	e.place = json_string_value(json_object_get(doc, "place"));
	e.deadline = console_ev_opt(doc, "deadline");
	e.date = console_ev_opt(doc, "date");
	e.quota = json_is_integer(q) ? (long)json_integer_value(q) : -1;
	if (e.code == NULL || e.title == NULL) {
		console_error(req, 400, "expected {\"code\", \"title\", "
		    "\"quota\"}");
		goto out;
	}
	if (e.place == NULL)
		e.place = "";
	if (console_begin(req) == -1)
		goto out;
	rc = isnew ? event_create(console_store(), &e, why, sizeof(why)) :
	    event_update(console_store(), console_conf(), &e, why, sizeof(why));
	if (rc <= 0) {
		store_rollback(console_store());
		snprintf(msg, sizeof(msg), rc == -2 ? "%s" : isnew ?
		    "event %.16s exists already" : "no event %.16s", rc == -2 ?
		    why : e.code);
		console_error(req, rc == -1 ? 500 : rc == -2 ? 400 : isnew ?
		    409 : 404, rc == -1 ? "cannot save the event" : msg);
		goto out;
	}
	if (console_commit(req, store_audit(console_store(), u->name, isnew ?
	    "console event create" : "console event set", e.code) == -1,
	    "cannot save the event") == -1)
		goto out;
	log_info("console: %s saved event %s", u->name, e.code);
	console_json(req, isnew ? 201 : 200, json_pack("{s:s}", "code",
	    e.code));
out:
	json_decref(doc);
}

/*
 * POST /console/api/event/cancel {code, phone}: cancel a registration;
 * a freed place goes to the first on the waitlist, who is told by SMS.
 */
void
console_ev_cancel(struct evhttp_request *req, const struct user_session *u)
{
	struct event_row	 e;
	const char	*code, *raw;
	json_t		*doc;
	char		 phone[PHONE_MAX], detail[64];
	int64_t		 cid = 0;
	int		 rc;

	if ((doc = console_body(req)) == NULL)
		return;
	code = json_string_value(json_object_get(doc, "code"));
	raw = json_string_value(json_object_get(doc, "phone"));
	if (code == NULL || raw == NULL || phone_normalize(raw,
	    console_conf()->country_code, phone, sizeof(phone)) !=
	    PHONE_NUMBER) {
		console_error(req, 400, "expected {\"code\", \"phone\"}");
		goto out;
	}
	if (console_begin(req) == -1)
		goto out;
	if ((rc = event_find(console_store(), code, &e)) == 1 &&
	    (cid = contact_find(console_store(), phone)) > 0)
		rc = event_cancel(console_store(), console_conf(), &e, cid);
	else if (rc == 1)
		rc = cid < 0 ? -1 : 0;
	snprintf(detail, sizeof(detail), "%s %s", e.code, phone);
	if (rc == 0) {
		store_rollback(console_store());
		console_error(req, 404, "no such registration");
		goto out;
	}
	if (console_commit(req, rc == -1 || store_audit(console_store(),
	    u->name, "console event cancel", detail) == -1,
	    "cannot cancel the registration") == -1)
		goto out;
	outbox_kick();
	log_info("console: %s cancelled %s", u->name, detail);
	console_json(req, 200, json_pack("{s:b}", "cancelled", 1));
out:
	json_decref(doc);
}

/* POST /console/api/event/close {code}: no more registrations. */
void
console_ev_close(struct evhttp_request *req, const struct user_session *u)
{
	const char	*code;
	json_t		*doc;
	int		 n;

	if ((doc = console_body(req)) == NULL)
		return;
	if ((code = json_string_value(json_object_get(doc, "code"))) == NULL) {
		console_error(req, 400, "expected {\"code\"}");
		goto out;
	}
	if (console_begin(req) == -1)
		goto out;
	n = event_close(console_store(), code);
	if (n == 0) {
		store_rollback(console_store());
		console_error(req, 404, "no such event");
		goto out;
	}
	if (console_commit(req, n < 0 || store_audit(console_store(), u->name,
	    "console event close", code) == -1, "cannot close the event") ==
	    -1)
		goto out;
	console_json(req, 200, json_pack("{s:b}", "closed", 1));
out:
	json_decref(doc);
}

/*
 * POST /console/api/event/remind {code, force}: an SMS reminder to every
 * confirmed registrant, as `event remind`; a second one within a few
 * hours is refused (409, with when the last went) unless force.
 */
void
console_ev_remind(struct evhttp_request *req, const struct user_session *u)
{
	struct event_row	 e;
	struct event_reminders	 n;
	const char	*code;
	json_t		*doc;
	char		 why[160], detail[96];
	int		 force, rc;

	if ((doc = console_body(req)) == NULL)
		return;
	code = json_string_value(json_object_get(doc, "code"));
	force = json_is_true(json_object_get(doc, "force"));
	if (code == NULL || console_begin(req) == -1) {
		if (code == NULL)
			console_error(req, 400, "expected {\"code\"}");
		goto out;
	}
	if ((rc = event_find(console_store(), code, &e)) == 1)
		rc = event_remind(console_store(), console_conf(), &e, force,
		    u->name, &n);
	else
		rc = rc == 0 ? -2 : -1;		/* not EVENT_REMINDED */
	if (rc != EVENT_REMINDED) {
		store_rollback(console_store());
		if (rc < 0)
			console_error(req, rc == -2 ? 404 : 500, rc == -2 ?
			    "no such event" : "cannot remind");
		else {
			/* force: the page may offer to send it anyway */
			event_remind_refusal(&e, rc, why, sizeof(why));
			console_json(req, 409, json_pack("{s:s, s:b}", "error",
			    why, "force", rc == EVENT_REMIND_TOO_SOON));
		}
		goto out;
	}
	snprintf(detail, sizeof(detail), "%s: %d sent, %d opted out", e.code,
	    n.sent, n.opted_out);
	if (console_commit(req, store_audit(console_store(), u->name,
	    "console event remind", detail) == -1, "cannot remind") == -1)
		goto out;
	outbox_kick();
	log_info("console: %s reminded %s", u->name, detail);
	console_json(req, 200, json_pack("{s:i, s:i}", "sent", n.sent,
	    "opted_out", n.opted_out));
out:
	json_decref(doc);
}
