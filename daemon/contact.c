/*
 * Contacts.  A contact is created the first time a number texts us; its
 * name and village (DAFTAR), language (BAHASA), opt-out (BERHENTI) and
 * reporter flag (set by an admin) live in the contacts table.  Column
 * names are picked from fixed lists here, never taken from callers' data.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "contact.h"
#include "csvin.h"
#include "event.h"
#include "group.h"
#include "log.h"
#include "price.h"
#include "store.h"

/* Find a contact by normalised phone; its id, 0 if none, -1 on error. */
int64_t
contact_find(struct store *s, const char *phone)
{
	static const char sql[] = "SELECT id FROM contacts WHERE phone = ?";
	sqlite3_stmt	*st;
	int64_t		 id = 0;
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, phone, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? id : -1;
}

/* Find a contact by phone, creating it on first contact; -1 on error. */
int64_t
contact_ensure(struct store *s, const char *phone)
{
	static const char sql[] = "INSERT OR IGNORE INTO contacts (phone, "
	    "created_at, updated_at) VALUES (?1, ?2, ?2)";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, phone, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, store_now());
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		log_warnx("contact %s: %s", phone, store_errmsg(s));
		return -1;
	}
	return contact_find(s, phone);
}

/*
 * The columns callers may read and set by name, each with its statements:
 * a column name is never pasted into SQL, only looked up here.
 */
static const struct contact_column {
	const char	*name;
	const char	*update;	/* ?1 value, ?2 id, ?3 now */
	const char	*select;	/* NULL: not read by name */
} contact_columns[] = {
	{ "name", "UPDATE contacts SET name = ?1, updated_at = ?3 WHERE "
	    "id = ?2", "SELECT name FROM contacts WHERE id = ?" },
	{ "village", "UPDATE contacts SET village = ?1, updated_at = ?3 "
	    "WHERE id = ?2", "SELECT village FROM contacts WHERE id = ?" },
	{ "language", "UPDATE contacts SET language = ?1, updated_at = ?3 "
	    "WHERE id = ?2", "SELECT language FROM contacts WHERE id = ?" },
	{ "opted_out", "UPDATE contacts SET opted_out = ?1, updated_at = ?3 "
	    "WHERE id = ?2", "SELECT opted_out FROM contacts WHERE id = ?" },
	{ "is_reporter", "UPDATE contacts SET is_reporter = ?1, updated_at = "
	    "?3 WHERE id = ?2", "SELECT is_reporter FROM contacts WHERE "
	    "id = ?" },
	{ NULL, NULL, NULL }
};

/* Find a column's statements; fatal for a column not allowed (a bug). */
static const struct contact_column *
contact_column(const char *column, int reading)
{
	const struct contact_column *c;

	for (c = contact_columns; c->name != NULL; c++)
		if (strcmp(c->name, column) == 0 &&
		    (!reading || c->select != NULL))
			return c;
	fatalx("contact: no column %s", column);
}

/* Run an update of one column, with a text or an integer value. */
static int
contact_update(struct store *s, int64_t id, const char *column,
    const char *text, int value)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, contact_column(column, 0)->update)) == NULL)
		return -1;
	if (text != NULL)
		sqlite3_bind_text(st, 1, text, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_int(st, 1, value);
	sqlite3_bind_int64(st, 2, id);
	sqlite3_bind_int64(st, 3, store_now());
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Set a text column (name, village, language) of a contact. */
int
contact_set(struct store *s, int64_t id, const char *column,
    const char *value)
{
	return contact_update(s, id, column, value, 0);
}

/* Set an integer column (opted_out, is_reporter) of a contact. */
int
contact_set_int(struct store *s, int64_t id, const char *column, int value)
{
	return contact_update(s, id, column, NULL, value);
}

/*
 * Let a number LAPOR prices as a field reporter (it becomes a contact if
 * it is not one), or take that away.  1 done, 0 no such contact (to take
 * away from), -1 on error.
 */
int
contact_set_reporter(struct store *s, const char *phone, int on)
{
	int64_t id;

	if ((id = on ? contact_ensure(s, phone) : contact_find(s, phone)) <= 0)
		return id < 0 ? -1 : 0;
	return contact_set_int(s, id, "is_reporter", on) == -1 ? -1 : 1;
}

/* Read an integer column of a contact; -1 on error or no such contact. */
int
contact_get_int(struct store *s, int64_t id, const char *column)
{
	sqlite3_stmt	*st;
	int		 v = -1;

	if ((st = store_stmt(s, contact_column(column, 1)->select)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return v;
}

/* Read a text column of a contact into buf; -1 on error. */
int
contact_get_text(struct store *s, int64_t id, const char *column, char *buf,
    size_t len)
{
	sqlite3_stmt	*st;
	int		 rc;

	buf[0] = '\0';
	if ((st = store_stmt(s, contact_column(column, 1)->select)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		store_copy_text(st, 0, buf, len);
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/*
 * Copy inlen bytes of typed text into out as a tidy name: control
 * characters and runs of spaces become one space, the ends are trimmed,
 * and a cut never splits a UTF-8 character.
 */
void
contact_clean(const char *in, size_t inlen, char *out, size_t outlen)
{
	size_t		i, o = 0;
	unsigned char	c;

	if (outlen == 0)
		return;
	for (i = 0; i < inlen && in[i] != '\0' && o + 1 < outlen; i++) {
		c = (unsigned char)in[i];
		if (c < 0x20 || c == 0x7f || c == ' ') {
			if (o > 0 && out[o - 1] != ' ')
				out[o++] = ' ';
			continue;
		}
		out[o++] = (char)c;
	}
	/* A cut inside a UTF-8 character drops the whole character. */
	if (i < inlen && ((unsigned char)in[i] & 0xc0) == 0x80) {
		while (o > 0 && ((unsigned char)out[o - 1] & 0xc0) == 0x80)
			o--;
		if (o > 0)
			o--;
	}
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
}

/*
 * Create or update a contact: the name, village and language given (an
 * empty one keeps what is there), the opt-out when not -1, and its
 * groups (created when new).  Return 1 when created, 0 when updated, -1
 * on a database error.  Runs inside the caller's transaction.
 */
int
contact_save(struct store *s, const struct contact_row *k)
{
	char	 buf[sizeof(k->groups)], *p, *g;
	int64_t	 id;
	int	 created;

	if ((id = contact_find(s, k->phone)) < 0)
		return -1;
	created = id == 0;
	if (created && (id = contact_ensure(s, k->phone)) <= 0)
		return -1;
	if ((k->name[0] != '\0' && contact_set(s, id, "name", k->name) == -1) ||
	    (k->village[0] != '\0' && contact_set(s, id, "village",
	    k->village) == -1) || (k->language[0] != '\0' && contact_set(s,
	    id, "language", k->language) == -1) || (k->opted_out != -1 &&
	    contact_set_int(s, id, "opted_out", k->opted_out) == -1))
		return -1;
	snprintf(buf, sizeof(buf), "%s", k->groups);
	for (p = buf; (g = strsep(&p, ";")) != NULL;)
		if (*g != '\0' && group_join_name(s, id, g, 1) < 0)
			return -1;
	return created;
}

/*
 * Forget a contact: its groups and subscriptions go with it, its past
 * messages and price reports stay without the link.  Return 1 when
 * removed, 0 when there is no such contact, -2 while it holds or waits
 * for a place in an event (their codes in events; event.c's rule), -1.
 */
int
contact_remove(struct store *s, const char *phone, char *events, size_t len)
{
	static const char sql[] = "DELETE FROM contacts WHERE id = ?";
	sqlite3_stmt	*st;
	int64_t		 id;
	int		 rc;

	events[0] = '\0';
	if ((id = contact_find(s, phone)) <= 0)
		return id < 0 ? -1 : 0;
	if ((rc = event_forget_contact(s, id, events, len)) < 0)
		return rc;
	if (price_unlink_reporter(s, id) == -1 ||
	    (st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 1 : -1;
}

/* The columns of a contacts CSV file, by their English and Indonesian names. */
const struct csvin_column contact_csv_cols[CONTACT_CSV_N] = {
	{ { "phone", "telepon", "hp", "nomor", "nohp", "nomorhp", "notelp",
	    "notelepon", "telp", "wa", "nowa", "whatsapp" }, 1 },
	{ { "name", "nama", "namalengkap", NULL }, 0 },
	{ { "village", "desa", "kelurahan", "desakelurahan", "dusun", NULL },
	    0 },
	{ { "groups", "group", "grup", "kelompok", NULL }, 0 },
	{ { "language", "bahasa", NULL }, 0 },
	{ { "optedout", "berhenti", NULL }, 0 },
};

/* Check a name or village cell into out; -1 when too long. */
static int
contact_csv_text(const char *v, char *out, size_t len)
{
	if (strlen(v) >= len)
		return -1;
	contact_clean(v, strlen(v), out, len);
	if (v[0] == ' ' && csvin_formula(out) && strlen(out) + 1 < len) {
		memmove(out + 1, out, strlen(out) + 1);
		out[0] = ' ';		/* as csvin_trim kept it */
	}
	return 0;
}

/*
 * Fill k from one CSV row (col maps contact_csv_cols to its fields); 0,
 * or -1 with why.  A file can record an opt-out, never undo one.  Twins
 * in a file are the caller's to find.
 */
int
contact_csv_check(struct contact_row *k, struct csvin_reader *r,
    const int *col, const char *country_code, char *why, size_t len)
{
	const char	*v;
	char		 shown[64];

	k->opted_out = -1;
	v = csvin_cell(r, col, CONTACT_CSV_PHONE);
	if (phone_normalize(v, country_code, k->phone, sizeof(k->phone)) !=
	    PHONE_NUMBER) {
		snprintf(why, len, "phone \"%s\" is not a phone number",
		    csvin_shown(v, shown, sizeof(shown)));
		return -1;
	}
	if (contact_csv_text(csvin_cell(r, col, CONTACT_CSV_NAME), k->name,
	    sizeof(k->name)) == -1 || contact_csv_text(csvin_cell(r, col,
	    CONTACT_CSV_VILLAGE), k->village, sizeof(k->village)) == -1) {
		snprintf(why, len, "name and village: at most %zu bytes",
		    sizeof(k->name) - 1);
		return -1;
	}
	v = csvin_cell(r, col, CONTACT_CSV_GROUPS);
	if (group_names_parse(v, k->groups, sizeof(k->groups)) == -1) {
		snprintf(why, len, "groups \"%s\": words of letters, digits, "
		    "- and _, separated by ; or |", csvin_shown(v, shown,
		    sizeof(shown)));
		return -1;
	}
	v = csvin_cell(r, col, CONTACT_CSV_LANGUAGE);
	if (strcasecmp(v, "id") == 0 || strcasecmp(v, "en") == 0) {
		k->language[0] = (char)tolower((unsigned char)v[0]);
		k->language[1] = (char)tolower((unsigned char)v[1]);
	} else if (*v != '\0') {
		snprintf(why, len, "language \"%s\": id or en",
		    csvin_shown(v, shown, sizeof(shown)));
		return -1;
	}
	v = csvin_cell(r, col, CONTACT_CSV_OPTED_OUT);
	if (strcmp(v, "1") == 0 || strcasecmp(v, "yes") == 0 ||
	    strcasecmp(v, "ya") == 0)
		k->opted_out = 1;
	else if (*v != '\0' && strcmp(v, "0") != 0 && strcasecmp(v, "no") &&
	    strcasecmp(v, "tidak")) {
		snprintf(why, len, "opted_out \"%s\": 1 or 0 (yes or no)",
		    csvin_shown(v, shown, sizeof(shown)));
		return -1;
	}
	return 0;
}
