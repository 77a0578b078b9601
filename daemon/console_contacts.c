/*
 * The console's contacts and groups: a search with filters, a contact's
 * form (add and change), removal, joining and leaving groups.  Reads are
 * SELECTs here; every write goes through contact.c and group.c, with the
 * CLI's checks and messages, in one audited transaction.
 */
#include <stdio.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>

#include "conf.h"
#include "console.h"
#include "contact.h"
#include "csvin.h"
#include "group.h"
#include "log.h"
#include "phone.h"
#include "store.h"
#include "user.h"

#define CONSOLE_CONTACTS_MAX	200	/* contacts listed at once */
#define CONSOLE_FILTER_MAX	64

/*
 * GET /console/api/contacts?q=&group=&village=&lang=&opted=: the first
 * CONSOLE_CONTACTS_MAX contacts that match, by name then number, with
 * how many match in all; q searches numbers, names and villages.
 */
void
console_contacts(struct evhttp_request *req, const struct user_session *u)
{
	static const char sql[] = "SELECT c.phone, c.name, c.village, "
	    "c.language, c.opted_out, c.is_reporter, COALESCE((SELECT "
	    "group_concat(name, ';') FROM (SELECT g.name FROM group_members m "
	    "JOIN groups g ON g.id = m.group_id WHERE m.contact_id = c.id "
	    "ORDER BY g.name)), ''), count(*) OVER () FROM contacts c WHERE "
	    "(?1 = '' OR instr(lower(c.phone || ' ' || c.name || ' ' || "
	    "c.village), lower(?1)) > 0) AND (?2 = '' OR EXISTS (SELECT 1 FROM "
	    "group_members m JOIN groups g ON g.id = m.group_id WHERE "
	    "m.contact_id = c.id AND g.name = ?2)) AND (?3 = '' OR c.village = "
	    "?3 COLLATE NOCASE) AND (?4 = '' OR c.language = ?4 OR (?4 = '-' "
	    "AND c.language = '')) AND (?5 = '' OR c.opted_out = CAST(?5 AS "
	    "INTEGER)) ORDER BY c.name = '', c.name, c.phone LIMIT ?6";
	static const char *const keys[] = { "q", "group", "village", "lang",
	    "opted" };
	sqlite3_stmt	*st;
	json_t		*a;
	char		 arg[5][CONSOLE_FILTER_MAX];
	json_int_t	 total = 0;
	int		 i, rc;

	(void)u;
	if ((st = store_stmt(console_store(), sql)) == NULL) {
		console_error(req, 500, "cannot read the contacts");
		return;
	}
	for (i = 0; i < 5; i++) {
		if (console_arg(req, keys[i], arg[i], sizeof(arg[i])) == NULL)
			arg[i][0] = '\0';
		sqlite3_bind_text(st, i + 1, arg[i], -1, SQLITE_STATIC);
	}
	sqlite3_bind_int(st, 6, CONSOLE_CONTACTS_MAX);
	a = json_array();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_array_append_new(a, json_pack("{s:o, s:o, s:o, s:o, s:b, "
		    "s:b, s:o}", "phone", console_col(st, 0), "name",
		    console_col(st, 1), "village", console_col(st, 2),
		    "language", console_col(st, 3), "opted_out",
		    sqlite3_column_int(st, 4), "reporter",
		    sqlite3_column_int(st, 5), "groups", console_col(st, 6)));
		total = sqlite3_column_int64(st, 7);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(a);
		console_error(req, 500, "cannot read the contacts");
		return;
	}
	console_json(req, 200, json_pack("{s:o, s:I}", "contacts", a,
	    "total", total));
}

/* GET /console/api/groups: every group with its members and villages. */
void
console_groups(struct evhttp_request *req, const struct user_session *u)
{
	static const char groups[] = "SELECT g.name, g.description, (SELECT "
	    "count(*) FROM group_members m WHERE m.group_id = g.id) FROM "
	    "groups g ORDER BY g.name";
	static const char villages[] = "SELECT DISTINCT village FROM contacts "
	    "WHERE village != '' ORDER BY village COLLATE NOCASE LIMIT 200";
	sqlite3_stmt	*st;
	json_t		*g, *v;
	int		 rc;

	(void)u;
	g = json_array();
	v = json_array();
	if ((st = store_stmt(console_store(), groups)) == NULL)
		goto fail;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(g, json_pack("{s:o, s:o, s:i}", "name",
		    console_col(st, 0), "description", console_col(st, 1),
		    "members", sqlite3_column_int(st, 2)));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE || (st = store_stmt(console_store(), villages)) ==
	    NULL)
		goto fail;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(v, console_col(st, 0));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		goto fail;
	console_json(req, 200, json_pack("{s:o, s:o}", "groups", g,
	    "villages", v));
	return;
fail:
	json_decref(g);
	json_decref(v);
	console_error(req, 500, "cannot read the groups");
}

/* A phone number from a body into out; -1 after a 400 (the CLI's words). */
static int
console_contact_phone(struct evhttp_request *req, json_t *doc, char *out,
    size_t len)
{
	const char	*v = json_string_value(json_object_get(doc, "phone"));
	char		 msg[96];

	if (v != NULL && strlen(v) < 32 && phone_normalize(v,
	    console_conf()->country_code, out, len) == PHONE_NUMBER)
		return 0;
	snprintf(msg, sizeof(msg), "\"%.32s\" is not a phone number",
	    v != NULL ? v : "");
	console_error(req, 400, msg);
	return -1;
}

/* A name or village field tidied into out, as the CLI checks it. */
static int
console_contact_text(struct evhttp_request *req, json_t *doc,
    const char *key, char *out, size_t len)
{
	const char	*v = json_string_value(json_object_get(doc, key));
	char		 msg[64];

	out[0] = '\0';
	if (v == NULL || v[0] == '\0')
		return 0;
	if (strlen(v) >= len) {
		snprintf(msg, sizeof(msg), "%s: at most %zu bytes", key,
		    len - 1);
		console_error(req, 400, msg);
		return -1;
	}
	contact_clean(v, strlen(v), out, len);
	return 0;
}

/*
 * Read a contact's form {phone, name, village, language, groups,
 * opted_out} into k; 0, or -1 after a 400 saying what is wrong.
 */
static int
console_contact_row(struct evhttp_request *req, json_t *doc,
    struct contact_row *k)
{
	const char	*lang = json_string_value(json_object_get(doc,
			    "language"));
	const char	*groups = json_string_value(json_object_get(doc,
			    "groups"));
	json_t		*opt = json_object_get(doc, "opted_out");

	memset(k, 0, sizeof(*k));
	k->opted_out = json_is_boolean(opt) ? json_is_true(opt) : -1;
	if (console_contact_phone(req, doc, k->phone, sizeof(k->phone)) ==
	    -1 || console_contact_text(req, doc, "name", k->name,
	    sizeof(k->name)) == -1 || console_contact_text(req, doc,
	    "village", k->village, sizeof(k->village)) == -1)
		return -1;
	if (lang != NULL && lang[0] != '\0' && strcmp(lang, "id") != 0 &&
	    strcmp(lang, "en") != 0) {
		console_error(req, 400, "language: id or en");
		return -1;
	}
	snprintf(k->language, sizeof(k->language), "%s", lang ? lang : "");
	if (groups != NULL && (strlen(groups) >= sizeof(k->groups) ||
	    group_names_parse(groups, k->groups, sizeof(k->groups)) == -1)) {
		console_error(req, 400, "groups: words of letters, digits, - "
		    "and _, separated by ; or |");
		return -1;
	}
	return 0;
}

/*
 * POST /console/api/contact {phone, name, village, language, groups,
 * opted_out, new}: add a contact (new: true; refused when the number is
 * known) or change one (refused when it is not); groups are joined,
 * created as needed, as `contact add|set` does.
 */
void
console_contact_save(struct evhttp_request *req, const struct user_session *u)
{
	struct contact_row	 k;
	json_t			*doc;
	char			 msg[96];
	int64_t			 id;
	int			 isnew;

	if ((doc = console_body(req)) == NULL)
		return;
	isnew = json_is_true(json_object_get(doc, "new"));
	if (console_contact_row(req, doc, &k) == -1 ||
	    console_begin(req) == -1)
		goto out;
	if ((id = contact_find(console_store(), k.phone)) != 0 &&
	    (id < 0 || isnew)) {
		store_rollback(console_store());
		snprintf(msg, sizeof(msg), "%s is already a contact (change it "
		    "with contact set)", k.phone);
		console_error(req, id < 0 ? 500 : 409, id < 0 ?
		    "cannot read the contacts" : msg);
		goto out;
	}
	if (id == 0 && !isnew) {
		store_rollback(console_store());
		snprintf(msg, sizeof(msg), "no contact %s", k.phone);
		console_error(req, 404, msg);
		goto out;
	}
	if (console_commit(req, contact_save(console_store(), &k) == -1 ||
	    store_audit(console_store(), u->name, isnew ? "console contact add" :
	    "console contact set", k.phone) == -1, "cannot save the contact") ==
	    -1)
		goto out;
	log_info("console: %s saved contact %s", u->name, k.phone);
	console_json(req, isnew ? 201 : 200, json_pack("{s:s}", "phone",
	    k.phone));
out:
	json_decref(doc);
}

/* POST /console/api/contact/remove {phone}: forget a contact. */
void
console_contact_remove(struct evhttp_request *req,
    const struct user_session *u)
{
	json_t	*doc;
	char	 phone[PHONE_MAX], events[128], msg[256];
	int	 rc;

	if ((doc = console_body(req)) == NULL)
		return;
	rc = console_contact_phone(req, doc, phone, sizeof(phone));
	json_decref(doc);
	if (rc == -1 || console_begin(req) == -1)
		return;
	if ((rc = contact_remove(console_store(), phone, events,
	    sizeof(events))) <= 0) {
		store_rollback(console_store());
		if (rc == 0)
			snprintf(msg, sizeof(msg), "no contact %s", phone);
		else if (rc == -2)
			snprintf(msg, sizeof(msg), "%s is registered for %s: "
			    "they can cancel with BATAL, then remove them",
			    phone, events);
		console_error(req, rc == 0 ? 404 : rc == -2 ? 409 : 500,
		    rc == -1 ? "cannot remove the contact" : msg);
		return;
	}
	if (console_commit(req, store_audit(console_store(), u->name,
	    "console contact remove", phone) == -1,
	    "cannot remove the contact") == -1)
		return;
	log_info("console: %s removed contact %s", u->name, phone);
	console_json(req, 200, json_pack("{s:s}", "removed", phone));
}

/*
 * POST /console/api/group/join|leave {phone, group}: put a contact in a
 * group (created as needed) or take it out.
 */
static void
console_group_change(struct evhttp_request *req,
    const struct user_session *u, int join)
{
	json_t		*doc;
	const char	*g;
	char		 phone[PHONE_MAX], name[GROUP_NAMES_MAX], detail[160];
	int64_t		 cid, gid = 0;
	int		 rc = -1;

	if ((doc = console_body(req)) == NULL)
		return;
	g = json_string_value(json_object_get(doc, "group"));
	if (console_contact_phone(req, doc, phone, sizeof(phone)) == -1)
		goto out;
	if (g == NULL || strlen(g) >= sizeof(name) || group_names_parse(g,
	    name, sizeof(name)) == -1 || name[0] == '\0' ||
	    strchr(name, ';') != NULL) {
		console_error(req, 400, "--group: one word of letters, digits, "
		    "- and _");
		goto out;
	}
	if (console_begin(req) == -1)
		goto out;
	if ((cid = contact_find(console_store(), phone)) <= 0) {
		store_rollback(console_store());
		snprintf(detail, sizeof(detail), "no contact %s", phone);
		console_error(req, cid < 0 ? 500 : 404, detail);
		goto out;
	}
	if (join)
		rc = group_join_name(console_store(), cid, name, 1);
	else if ((gid = group_find(console_store(), name)) > 0)
		rc = group_leave(console_store(), gid, cid);
	else
		rc = gid == 0 ? 0 : -1;
	snprintf(detail, sizeof(detail), "%s %s", phone, name);
	if (console_commit(req, rc < 0 || (rc > 0 && store_audit(
	    console_store(), u->name, join ? "console group join" :
	    "console group leave", detail) == -1), "cannot change the group") ==
	    -1)
		goto out;
	console_json(req, 200, json_pack("{s:b}", "changed", rc > 0));
out:
	json_decref(doc);
}

/* POST /console/api/group/join {phone, group}. */
void
console_group_join(struct evhttp_request *req, const struct user_session *u)
{
	console_group_change(req, u, 1);
}

/* POST /console/api/group/leave {phone, group}. */
void
console_group_leave(struct evhttp_request *req, const struct user_session *u)
{
	console_group_change(req, u, 0);
}

/* Check one uploaded contact row as `contact import` does. */
static int
console_contact_csv_check(void *row, struct csvin_reader *r, const int *col,
    char *why, size_t len)
{
	return contact_csv_check(row, r, col, console_conf()->country_code,
	    why, len);
}

/* A contact row's key: its phone (a number twice in a file is bad). */
static const char *
console_contact_csv_key(const void *row)
{
	return ((const struct contact_row *)row)->phone;
}

/* A contact row as the preview shows it. */
static json_t *
console_contact_csv_show(const void *row)
{
	const struct contact_row *k = row;

	return json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:b}", "line",
	    k->line, "phone", k->phone, "name", k->name, "village", k->village,
	    "language", k->language, "groups", k->groups, "opted_out",
	    k->opted_out == 1);
}

/* Store one contact: created (1) or updated (0). */
static int
console_contact_csv_save(struct store *s, const void *row)
{
	return contact_save(s, row);
}

static const struct console_csv_kind console_contact_csv = {
	"contact", "kentongan contact import", "updated",
	"console contact import", contact_csv_cols, CONTACT_CSV_N,
	CONTACT_CSV_COLUMNS, sizeof(struct contact_row),
	console_contact_csv_check, console_contact_csv_key, "phone",
	console_contact_csv_show, console_contact_csv_save
};

/*
 * POST /console/api/contacts/import {csv, write, skip_bad}: an uploaded
 * contacts file checked, shown, then stored (console_csv.c).
 */
void
console_contacts_import(struct evhttp_request *req,
    const struct user_session *u)
{
	console_csv_import(req, u, &console_contact_csv);
}

/*
 * GET /console/api/contacts.csv: every contact as `contact export
 * --excel` writes them (';', a byte order mark, numbers grouped so a
 * spreadsheet keeps them as text), which the upload and `contact import`
 * read back.
 */
void
console_contacts_csv(struct evhttp_request *req, const struct user_session *u)
{
	static const char sql[] = "SELECT c.phone, c.name, c.village, "
	    "COALESCE((SELECT group_concat(name, ';') FROM (SELECT g.name "
	    "FROM group_members m JOIN groups g ON g.id = m.group_id WHERE "
	    "m.contact_id = c.id ORDER BY g.name)), ''), c.language, "
	    "c.opted_out FROM contacts c ORDER BY c.id";
	const char	*cells[6];
	char		 phone[PHONE_MAX + 8];
	struct evbuffer	*b;
	sqlite3_stmt	*st;
	int		 i, rc;

	(void)u;
	if ((st = store_stmt(console_store(), sql)) == NULL) {
		console_error(req, 500, "cannot read the contacts");
		return;
	}
	b = console_csv_start(req, "phone,name,village,groups,language,"
	    "opted_out", 1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (i = 0; i < 6; i++)
			cells[i] = (const char *)sqlite3_column_text(st, i);
		phone_grouped(cells[0] != NULL ? cells[0] : "",
		    console_conf()->country_code, phone, sizeof(phone));
		cells[0] = phone;
		console_csv_row(b, cells, 6, 1);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		evbuffer_drain(b, evbuffer_get_length(b));
		console_error(req, 500, "cannot read the contacts");
		return;
	}
	console_csv_done(req, "kentongan-contacts.csv");
}
