/*
 * The USSD menu's nodes.  This file alone writes ussd_nodes (the default
 * menu excepted, which the store loads from config/ussd-menu.sql) and
 * checks what a node may hold: one-line labels and bodies that fit a
 * screen, a known action or none, a position 1..99 free under its
 * parent (at the top too).  ussd.c renders the tree; the CLI edits it through here.
 * Every function runs inside the caller's transaction.
 */
#include <stdio.h>
#include <string.h>

#include "store.h"
#include "ussd.h"
#include "ussd_menu.h"

/* Check one text field: one line of at most max characters. */
static int
ussd_menu_text_ok(const char *what, const char *s, size_t max, char *why,
    size_t whylen)
{
	if (s == NULL)
		return 1;
	if (strpbrk(s, "\r\n\t") != NULL || ussd_chars(s) > max) {
		snprintf(why, whylen, "%s: one line of at most %zu characters",
		    what, max);
		return 0;
	}
	return 1;
}

/* Check a node's fields; 1 when fine, else 0 with why filled in. */
static int
ussd_menu_ok(const struct ussd_menu_node *n, char *why, size_t whylen)
{
	if (n->action != NULL && !ussd_action_known(n->action)) {
		snprintf(why, whylen, "--action: one of price, info, event, "
		    "sub, stop, lang");
		return 0;
	}
	if (n->action != NULL && n->is_static) {
		snprintf(why, whylen, "--action and --static: choose one");
		return 0;
	}
	if (n->position < 0 || n->position > USSD_MENU_POSITION_MAX) {
		snprintf(why, whylen, "--position: 1..99");
		return 0;
	}
	if (n->label != NULL && n->label[0] == '\0') {
		snprintf(why, whylen, "--label: not empty");
		return 0;
	}
	return ussd_menu_text_ok("label", n->label, USSD_MENU_LABEL_MAX, why,
	    whylen) && ussd_menu_text_ok("--en", n->label_en,
	    USSD_MENU_LABEL_MAX, why, whylen) && ussd_menu_text_ok("--body",
	    n->body, USSD_MENU_BODY_MAX, why, whylen) &&
	    ussd_menu_text_ok("--body-en", n->body_en, USSD_MENU_BODY_MAX, why,
	    whylen) && ussd_menu_text_ok("--args", n->args, USSD_MENU_ARGS_MAX,
	    why, whylen);
}

/* Bind a text when given (else NULL); sqlite3 copies it. */
static void
ussd_menu_bind(sqlite3_stmt *st, int i, const char *v)
{
	if (v != NULL)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
}

/*
 * Tell whether a position is taken beside a node (id, when it moves) or
 * under parent (a new node; 0 for the top, where the table's UNIQUE
 * cannot see it as NULLs differ): 1 taken, 0 free, -1 on error.
 */
static int
ussd_menu_taken(struct store *s, int64_t id, int64_t parent, int position)
{
	static const char sql[] = "SELECT 1 FROM ussd_nodes WHERE parent_id "
	    "IS (CASE WHEN ?1 > 0 THEN (SELECT parent_id FROM ussd_nodes "
	    "WHERE id = ?1) ELSE ?2 END) AND position = ?3 AND id <> ?1";
	sqlite3_stmt	*st;
	int		 rc;

	if (position == 0)
		return 0;
	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (parent > 0)
		sqlite3_bind_int64(st, 2, parent);
	sqlite3_bind_int(st, 3, position);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* Step a write; rows changed, or why it was refused (a -1 .. -4). */
static int
ussd_menu_step(struct store *s, sqlite3_stmt *st)
{
	int rc;

	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return sqlite3_changes(store_db(s));
	switch (sqlite3_extended_errcode(store_db(s))) {
	case SQLITE_CONSTRAINT_UNIQUE:
		return USSD_MENU_TAKEN;
	case SQLITE_CONSTRAINT_FOREIGNKEY:
		return USSD_MENU_NO_PARENT;
	default:
		return -1;
	}
}

/*
 * Add a node under parent (0: at the top), static unless it has an
 * action; it needs a label and a position.  Return the new node's id,
 * or -1, USSD_MENU_INVALID (why says which field), USSD_MENU_TAKEN or
 * USSD_MENU_NO_PARENT.
 */
int64_t
ussd_menu_add(struct store *s, int64_t parent, const struct ussd_menu_node *n,
    char *why, size_t whylen)
{
	static const char sql[] = "INSERT INTO ussd_nodes (parent_id, "
	    "position, kind, label_id, label_en, body_id, body_en, action, "
	    "args) VALUES (?, ?, ?, ?, COALESCE(?5, ''), COALESCE(?6, ''), "
	    "COALESCE(?7, ''), COALESCE(?8, ''), COALESCE(?9, ''))";
	sqlite3_stmt	*st;
	int		 rc;

	if (!ussd_menu_ok(n, why, whylen))
		return USSD_MENU_INVALID;
	if (n->label == NULL || n->position == 0) {
		snprintf(why, whylen, "a node needs a label and a position");
		return USSD_MENU_INVALID;
	}
	if ((rc = ussd_menu_taken(s, 0, parent, n->position)) != 0)
		return rc < 0 ? -1 : USSD_MENU_TAKEN;
	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	if (parent > 0)
		sqlite3_bind_int64(st, 1, parent);
	sqlite3_bind_int(st, 2, n->position);
	sqlite3_bind_text(st, 3, n->action ? "action" : "static", -1,
	    SQLITE_STATIC);
	ussd_menu_bind(st, 4, n->label);
	ussd_menu_bind(st, 5, n->label_en);
	ussd_menu_bind(st, 6, n->body);
	ussd_menu_bind(st, 7, n->body_en);
	ussd_menu_bind(st, 8, n->action);
	ussd_menu_bind(st, 9, n->args);
	if ((rc = ussd_menu_step(s, st)) < 0)
		return rc;
	return sqlite3_last_insert_rowid(store_db(s));
}

/*
 * Change the fields given; an action makes it an action node, is_static
 * a static one.  Return 1 when changed, 0 when there is no such node,
 * or -1, USSD_MENU_INVALID (see why) or USSD_MENU_TAKEN.
 */
int
ussd_menu_set(struct store *s, int64_t id, const struct ussd_menu_node *n,
    char *why, size_t whylen)
{
	static const char sql[] = "UPDATE ussd_nodes SET "
	    "label_id = COALESCE(?2, label_id), "
	    "label_en = COALESCE(?3, label_en), "
	    "body_id = COALESCE(?4, body_id), "
	    "body_en = COALESCE(?5, body_en), "
	    "action = CASE WHEN ?9 THEN '' ELSE COALESCE(?6, action) END, "
	    "kind = CASE WHEN ?9 THEN 'static' WHEN ?6 IS NOT NULL THEN "
	    "'action' ELSE kind END, "
	    "args = COALESCE(?7, args), "
	    "position = COALESCE(?8, position) WHERE id = ?1";
	sqlite3_stmt	*st;
	int		 rc;

	if (!ussd_menu_ok(n, why, whylen))
		return USSD_MENU_INVALID;
	if ((rc = ussd_menu_taken(s, id, 0, n->position)) != 0)
		return rc < 0 ? -1 : USSD_MENU_TAKEN;
	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	ussd_menu_bind(st, 2, n->label);
	ussd_menu_bind(st, 3, n->label_en);
	ussd_menu_bind(st, 4, n->body);
	ussd_menu_bind(st, 5, n->body_en);
	ussd_menu_bind(st, 6, n->action);
	ussd_menu_bind(st, 7, n->args);
	if (n->position > 0)
		sqlite3_bind_int(st, 8, n->position);
	sqlite3_bind_int(st, 9, n->is_static);
	return ussd_menu_step(s, st);
}

/* Delete a node and everything under it; 1, 0 when none, or -1. */
int
ussd_menu_delete(struct store *s, int64_t id)
{
	static const char sql[] = "DELETE FROM ussd_nodes WHERE id = ?";
	sqlite3_stmt *st;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return ussd_menu_step(s, st);
}
