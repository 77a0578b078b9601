/*
 * Groups and their members.  This file alone writes groups and
 * group_members: GABUNG/KELUAR, the CLI, CSV import and the HTTP API call
 * it.  A group's name is one word, kept in upper case; deleting a group
 * keeps its members as contacts.  Every function runs inside the
 * caller's transaction.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "group.h"
#include "price.h"
#include "store.h"

/* Run a statement binding two ids and maybe the time; rows changed or -1. */
static int
group_change(struct store *s, const char *sql, int64_t a, int64_t b)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_int64(st, 2, b);
	if (sqlite3_bind_parameter_count(st) >= 3)
		sqlite3_bind_int64(st, 3, store_now());
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? sqlite3_changes(store_db(s)) : -1;
}

/* Find a group by name: its id, 0 when there is none, -1 on error. */
int64_t
group_find(struct store *s, const char *name)
{
	static const char sql[] = "SELECT id FROM groups WHERE name = ?";
	sqlite3_stmt	*st;
	int64_t		 id = 0;
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? id : -1;
}

/*
 * Create a group; 1 when created, 0 when it exists already, -2 when the
 * name is not one word, -1 on a database error.
 */
int
group_create(struct store *s, const char *name, const char *desc)
{
	static const char sql[] = "INSERT OR IGNORE INTO groups (name, "
	    "description, created_at) VALUES (upper(?1), ?2, ?3)";
	sqlite3_stmt	*st;
	int		 rc;

	if (!price_name_ok(name))
		return -2;
	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, desc, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, store_now());
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? sqlite3_changes(store_db(s)) : -1;
}

/* Delete a group (its memberships go with it); 1, 0 if none, or -1. */
int
group_delete(struct store *s, const char *name)
{
	static const char sql[] = "DELETE FROM groups WHERE name = ?1";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? sqlite3_changes(store_db(s)) : -1;
}

/* Put a contact in a group: 1 when it joined, 0 when a member, -1. */
int
group_join(struct store *s, int64_t group, int64_t contact)
{
	static const char sql[] = "INSERT OR IGNORE INTO group_members "
	    "(group_id, contact_id, joined_at) VALUES (?1, ?2, ?3)";

	return group_change(s, sql, group, contact);
}

/* Take a contact out of a group: 1 when it left, 0 when not a member. */
int
group_leave(struct store *s, int64_t group, int64_t contact)
{
	static const char sql[] = "DELETE FROM group_members WHERE group_id = "
	    "?1 AND contact_id = ?2";

	return group_change(s, sql, group, contact);
}

/*
 * Put a contact in the group of that name, created first when create is
 * set.  Return 1 when it joined, 0 when it was a member already, -2 when
 * there is no such group (or the name is not one word), -1 on error.
 */
int
group_join_name(struct store *s, int64_t contact, const char *name,
    int create)
{
	int64_t	id;
	int	rc;

	if (create && (rc = group_create(s, name, "")) < 0)
		return rc;
	if ((id = group_find(s, name)) <= 0)
		return id == 0 ? -2 : -1;
	return group_join(s, id, contact);
}

/*
 * Check and upper-case a list of groups separated by ';', '|' or ','
 * ("petani; ibu" becomes "PETANI;IBU"); -1 when a name is not one word
 * or the list does not fit.
 */
int
group_names_parse(const char *in, char *out, size_t len)
{
	char	 buf[GROUP_NAMES_MAX], *p, *g, *e;
	size_t	 i, o = 0;

	if (strlen(in) >= sizeof(buf))
		return -1;
	snprintf(buf, sizeof(buf), "%s", in);
	out[0] = '\0';
	for (p = buf; (g = strsep(&p, ";|,")) != NULL;) {
		while (isspace((unsigned char)*g))
			g++;
		for (e = g + strlen(g); e > g && isspace((unsigned char)e[-1]);)
			*--e = '\0';
		if (*g == '\0')
			continue;
		if (!price_name_ok(g) || o + strlen(g) + 2 > len)
			return -1;
		if (o > 0)
			out[o++] = ';';
		for (i = 0; g[i] != '\0'; i++)
			out[o++] = (char)toupper((unsigned char)g[i]);
		out[o] = '\0';
	}
	return 0;
}
