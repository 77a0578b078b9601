/*
 * GABUNG / JOIN <group> and KELUAR / LEAVE <group>: membership of the
 * groups that broadcasts target.  Groups are made by an admin (kentongan
 * group create); a one-letter typo of a single group name is accepted.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "match.h"
#include "group.h"
#include "router.h"
#include "store.h"
#include "text.h"

/* Find a group by name or a near miss; id with its name, 0, or -1. */
static int64_t
cmd_group_find(struct store *s, const char *typed, char *name, size_t len)
{
	static const char sql[] = "SELECT id, name FROM groups";
	struct match_best	 mb;
	sqlite3_stmt		*st;
	const unsigned char	*t;
	int64_t			 id = 0, exact = 0;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	match_best_init(&mb);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if ((t = sqlite3_column_text(st, 1)) == NULL)
			continue;
		if (match_distance(typed, (const char *)t, 0) == 0) {
			exact = sqlite3_column_int64(st, 0);
			snprintf(name, len, "%s", (const char *)t);
		}
		match_best_offer(&mb, typed, (const char *)t, 1);
		if (strcasecmp(mb.name, (const char *)t) == 0)
			id = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	if (exact != 0)
		return exact;
	if (!match_best_unique(&mb, 1))
		return 0;
	snprintf(name, len, "%s", mb.name);
	return id;
}

/* List group names as "PETANI, KADER"; how many, or -1. */
static int
cmd_group_names(struct store *s, char *buf, size_t len)
{
	static const char sql[] = "SELECT name FROM groups ORDER BY name";
	sqlite3_stmt		*st;
	const unsigned char	*t;
	int			 n = 0;

	buf[0] = '\0';
	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if ((t = sqlite3_column_text(st, 0)) == NULL ||
		    strlen(buf) + strlen((const char *)t) + 3 >= len)
			continue;
		if (n++ > 0)
			text_append(buf, len, ", ");
		text_append(buf, len, (const char *)t);
	}
	sqlite3_reset(st);
	return n;
}

/*
 * Resolve the group named in the message; 1 found, 0 when a reply
 * explaining the problem was written, -1 on error.
 */
static int
cmd_group_arg(struct router_ctx *cx, const char *usage, int64_t *id,
    char *name, size_t len)
{
	char	list[256];
	int	a = cx->arg0;

	*id = 0;
	if (cx->tok->n > a && (*id = cmd_group_find(cx->store,
	    cx->tok->t[a].s, name, len)) != 0)
		return *id < 0 ? -1 : 1;
	switch (cmd_group_names(cx->store, list, sizeof(list))) {
	case -1:
		return -1;
	case 0:		/* no groups yet: say so rather than end on "Grup: " */
		snprintf(list, sizeof(list), "-");
		break;
	default:
		break;
	}
	router_reply(cx, cx->tok->n > a ? "group.unknown" : usage,
	    (const char *const[]){ "group", cx->tok->n > a ?
	    cx->tok->t[a].s : "", "list", list, NULL });
	return 0;
}

/* One membership change: the owner's function and the texts for each. */
struct cmd_group_op {
	int		(*change)(struct store *, int64_t group, int64_t contact);
	const char	*usage;
	const char	*changed;	/* a row was added or removed */
	const char	*unchanged;	/* already a member / was not one */
};

static const struct cmd_group_op cmd_group_join_op = {
	group_join, "join.usage", "join.ok", "join.already"
};
static const struct cmd_group_op cmd_group_leave_op = {
	group_leave, "leave.usage", "leave.ok", "leave.none"
};

/* Apply a membership change for the sender and reply with its outcome. */
static int
cmd_group_apply(struct router_ctx *cx, const struct cmd_group_op *op)
{
	char		 name[64];
	int64_t		 gid;
	int		 rc;

	if ((rc = cmd_group_arg(cx, op->usage, &gid, name,
	    sizeof(name))) <= 0)
		return rc;
	if ((rc = op->change(cx->store, gid, cx->contact_id)) < 0)
		return -1;
	router_reply(cx, rc > 0 ? op->changed : op->unchanged,
	    (const char *const[]){ "group", name, NULL });
	return 0;
}

/* Handle GABUNG. */
int
cmd_group_join(struct router_ctx *cx)
{
	return cmd_group_apply(cx, &cmd_group_join_op);
}

/* Handle KELUAR. */
int
cmd_group_leave(struct router_ctx *cx)
{
	return cmd_group_apply(cx, &cmd_group_leave_op);
}
