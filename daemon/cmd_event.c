/*
 * DAFTAR / REG <EVENTCODE> [name]: register for a training or event, and
 * BATAL / CANCEL <EVENTCODE>: cancel.
 *
 * DESIGN: a registration is confirmed while the event has fewer confirmed
 * registrations than its quota, waitlisted after that, and refused once
 * the event is closed or its deadline (inclusive) has passed.  One row per
 * phone and event; cancelling keeps the row (status 'cancelled') and
 * registering again puts it at the back of the line.  When a confirmed
 * place is freed, the oldest waitlisted registrations are confirmed until
 * the quota is full, and each promoted person gets a text (alert
 * priority), all in the cancelling message's transaction.  A first word
 * that is not an event code makes DAFTAR name the contact instead.
 */
#include <stdio.h>
#include <string.h>

#include "conf.h"
#include "contact.h"
#include "log.h"
#include "outbox.h"
#include "router.h"
#include "store.h"
#include "text.h"

struct cmd_event {
	int64_t	id;
	char	code[32];
	char	title[96];
	char	deadline[16];
	char	date[16];
	char	place[64];
	char	status[16];
	int	quota;
};

/* Read an event by code; 1 found, 0 not, -1 on error. */
static int
cmd_event_find(struct store *s, const char *code, struct cmd_event *e)
{
	static const char sql[] = "SELECT id, code, title, quota, "
	    "COALESCE(deadline, ''), COALESCE(event_date, ''), place, status "
	    "FROM events WHERE code = ?";
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
		store_copy_text(st, 7, e->status, sizeof(e->status));
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* Count an event's registrations in a status. */
static int
cmd_event_count(struct store *s, int64_t event_id, const char *status)
{
	static const char sql[] = "SELECT COUNT(*) FROM registrations WHERE "
	    "event_id = ? AND status = ?";
	sqlite3_stmt	*st;
	int		 n = -1;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, event_id);
	sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return n;
}

/* Read a contact's registration status for an event ("" if none). */
static int
cmd_event_status(struct store *s, int64_t event_id, int64_t contact_id,
    char *status, size_t len)
{
	static const char sql[] = "SELECT status FROM registrations WHERE "
	    "event_id = ? AND contact_id = ?";
	sqlite3_stmt	*st;
	int		 rc;

	status[0] = '\0';
	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, event_id);
	sqlite3_bind_int64(st, 2, contact_id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		store_copy_text(st, 0, status, len);
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* Insert or renew a registration in a status. */
static int
cmd_event_put(struct store *s, int64_t event_id, int64_t contact_id,
    const char *name, const char *status)
{
	static const char sql[] = "INSERT INTO registrations (event_id, "
	    "contact_id, name, status, created_at, updated_at) VALUES (?1, "
	    "?2, ?3, ?4, ?5, ?5) ON CONFLICT (event_id, contact_id) DO UPDATE "
	    "SET name = ?3, status = ?4, created_at = ?5, updated_at = ?5";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, event_id);
	sqlite3_bind_int64(st, 2, contact_id);
	sqlite3_bind_text(st, 3, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, store_now());
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Render the variables every event text may use. */
#define CMD_EVENT_VARS(e, pos) "code", (e)->code, "title", (e)->title, \
	"date", (e)->date, "place", (e)->place, "deadline", (e)->deadline, \
	"position", (pos)

/* Handle DAFTAR: an event code registers, anything else names the sender. */
int
cmd_register(struct router_ctx *cx)
{
	const struct router_tokens	*tok = cx->tok;
	struct cmd_event		 e;
	const char			*p, *key;
	char				 name[CONTACT_NAME_MAX], status[16];
	char				 today[16], pos[16] = "";
	int				 rc, n, a = cx->arg0;

	if (tok->n <= a)
		return cmd_contact_register(cx);
	if ((rc = cmd_event_find(cx->store, tok->t[a].s, &e)) <= 0)
		return rc < 0 ? -1 : cmd_contact_register(cx);

	if (cmd_event_status(cx->store, e.id, cx->contact_id, status,
	    sizeof(status)) == -1)
		return -1;
	store_today(today, sizeof(today));
	if (!strcmp(status, "confirmed") || !strcmp(status, "waitlisted"))
		key = !strcmp(status, "confirmed") ? "event.already" :
		    "event.already_waiting";
	else if (strcmp(e.status, "open") != 0)
		key = "event.closed";
	else if (e.deadline[0] != '\0' && strcmp(today, e.deadline) > 0)
		key = "event.deadline";
	else {
		if (tok->n > a + 1) {
			p = cx->in->text + tok->t[a + 1].off;
			contact_clean(p, strlen(p), name, sizeof(name));
		} else if (contact_get_text(cx->store, cx->contact_id, "name",
		    name, sizeof(name)) == -1)
			return -1;
		if ((n = cmd_event_count(cx->store, e.id, "confirmed")) < 0)
			return -1;
		if (n < e.quota) {
			key = "event.ok";
			rc = cmd_event_put(cx->store, e.id, cx->contact_id,
			    name, "confirmed");
		} else {
			key = "event.waitlist";
			if ((n = cmd_event_count(cx->store, e.id,
			    "waitlisted")) < 0)
				return -1;
			snprintf(pos, sizeof(pos), "%d", n + 1);
			rc = cmd_event_put(cx->store, e.id, cx->contact_id,
			    name, "waitlisted");
		}
		if (rc == -1)
			return -1;
	}
	router_reply(cx, key, (const char *const[]){ CMD_EVENT_VARS(&e, pos),
	    NULL });
	return 0;
}

/*
 * Confirm the oldest waitlisted registrations while the event has room,
 * texting each promoted person.  Return how many were promoted, or -1.
 */
int
cmd_event_promote(struct store *s, const struct conf *conf, int64_t event_id)
{
	static const char sql_next[] = "SELECT r.id, c.phone, c.language "
	    "FROM registrations r JOIN contacts c ON c.id = r.contact_id "
	    "WHERE r.event_id = ? AND r.status = 'waitlisted' "
	    "ORDER BY r.created_at, r.id LIMIT 1";
	static const char sql_up[] = "UPDATE registrations SET status = "
	    "'confirmed', updated_at = ? WHERE id = ?";
	static const char sql_code[] = "SELECT code FROM events WHERE id = ?";
	struct cmd_event	 e;
	sqlite3_stmt		*st;
	char			 phone[32], lang[4], code[32] = "", text[320];
	int64_t			 rid;
	int			 n = 0, confirmed, rc;

	if ((st = store_stmt(s, sql_code)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, event_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		store_copy_text(st, 0, code, sizeof(code));
	sqlite3_reset(st);
	if (cmd_event_find(s, code, &e) != 1 || strcmp(e.status, "open") != 0)
		return 0;
	for (;;) {
		if ((confirmed = cmd_event_count(s, e.id, "confirmed")) < 0)
			return -1;
		if (confirmed >= e.quota)
			break;
		if ((st = store_stmt(s, sql_next)) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, e.id);
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
		text_render(s, lang[0] ? lang : conf->language,
		    "event.promoted", (const char *const[]){
		    CMD_EVENT_VARS(&e, ""), NULL }, text, sizeof(text));
		if (outbox_enqueue(s, phone, text, OUTBOX_PRIO_ALERT, 0, 0) < 0)
			return -1;
		log_info("event %s: %s promoted from the waitlist", e.code,
		    phone);
		n++;
	}
	return n;
}

/* Handle BATAL <EVENTCODE>. */
int
cmd_cancel(struct router_ctx *cx)
{
	static const char sql[] = "UPDATE registrations SET status = "
	    "'cancelled', updated_at = ? WHERE event_id = ? AND "
	    "contact_id = ?";
	const struct router_tokens	*tok = cx->tok;
	struct cmd_event		 e;
	sqlite3_stmt			*st;
	char				 status[16];
	int				 rc, a = cx->arg0;

	if (tok->n <= a) {
		router_reply(cx, "cancel.usage", NULL);
		return 0;
	}
	if ((rc = cmd_event_find(cx->store, tok->t[a].s, &e)) <= 0) {
		if (rc == 0)
			router_reply(cx, "event.unknown", (const char *const[]){
			    "code", tok->t[a].s, NULL });
		return rc;
	}
	if (cmd_event_status(cx->store, e.id, cx->contact_id, status,
	    sizeof(status)) == -1)
		return -1;
	if (status[0] == '\0' || !strcmp(status, "cancelled")) {
		router_reply(cx, "cancel.none", (const char *const[]){
		    CMD_EVENT_VARS(&e, ""), NULL });
		return 0;
	}
	if ((st = store_stmt(cx->store, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, store_now());
	sqlite3_bind_int64(st, 2, e.id);
	sqlite3_bind_int64(st, 3, cx->contact_id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return -1;
	if (!strcmp(status, "confirmed") &&
	    cmd_event_promote(cx->store, cx->conf, e.id) < 0)
		return -1;
	router_reply(cx, "cancel.ok", (const char *const[]){
	    CMD_EVENT_VARS(&e, ""), NULL });
	return 0;
}
