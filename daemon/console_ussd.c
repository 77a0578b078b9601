/*
 * The console's USSD menu editor: the tree with the keys a caller types
 * to reach each node, add, change (rename, move to another position,
 * make it an action) and delete through ussd_menu.c with its checks,
 * and a simulator that walks the menu as a phone does, through the very
 * engine (ussd.c) the /ussd callbacks use.
 */
#include <stdio.h>
#include <string.h>

#include <event2/http.h>

#include "console.h"
#include "log.h"
#include "store.h"
#include "user.h"
#include "ussd.h"
#include "ussd_menu.h"

/* GET /console/api/ussd/menu: every node in the order a caller sees them. */
void
console_ussd_menu(struct evhttp_request *req, const struct user_session *u)
{
	static const char sql[] = "WITH RECURSIVE t(id, path, depth, k) AS ("
	    "SELECT id, '', 0, printf('%02d', position) FROM ussd_nodes WHERE "
	    "parent_id IS NULL UNION ALL SELECT n.id, t.path || CASE WHEN "
	    "t.path = '' THEN '' ELSE '*' END || n.position, t.depth + 1, "
	    "t.k || '.' || printf('%02d', n.position) FROM ussd_nodes n JOIN t "
	    "ON n.parent_id = t.id WHERE t.depth < 16) SELECT n.id, "
	    "COALESCE(n.parent_id, 0), n.position, t.path, t.depth, n.kind, "
	    "n.label_id, n.label_en, n.body_id, n.body_en, n.action, n.args "
	    "FROM t JOIN ussd_nodes n ON n.id = t.id ORDER BY t.k";
	sqlite3_stmt	*st;
	json_t		*a;
	int		 rc;

	(void)u;
	if ((st = store_stmt(console_store(), sql)) == NULL) {
		console_error(req, 500, "cannot read the menu");
		return;
	}
	a = json_array();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(a, json_pack("{s:I, s:I, s:i, s:o, s:i, "
		    "s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)
		    sqlite3_column_int64(st, 0), "parent", (json_int_t)
		    sqlite3_column_int64(st, 1), "position",
		    sqlite3_column_int(st, 2), "keys", console_col(st, 3),
		    "depth", sqlite3_column_int(st, 4), "kind",
		    console_col(st, 5), "label", console_col(st, 6), "label_en",
		    console_col(st, 7), "body", console_col(st, 8), "body_en",
		    console_col(st, 9), "action", console_col(st, 10), "args",
		    console_col(st, 11)));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(a);
		console_error(req, 500, "cannot read the menu");
		return;
	}
	console_json(req, 200, json_pack("{s:o}", "nodes", a));
}

/* A string member, or NULL (leave as it is) when absent. */
static const char *
console_ussd_str(json_t *doc, const char *key)
{
	return json_string_value(json_object_get(doc, key));
}

/* A node's fields from a body; "" action means back to a static node. */
static struct ussd_menu_node
console_ussd_node(json_t *doc)
{
	struct ussd_menu_node n;

	memset(&n, 0, sizeof(n));
	n.label = console_ussd_str(doc, "label");
	n.label_en = console_ussd_str(doc, "label_en");
	n.body = console_ussd_str(doc, "body");
	n.body_en = console_ussd_str(doc, "body_en");
	n.action = console_ussd_str(doc, "action");
	n.args = console_ussd_str(doc, "args");
	n.position = (int)json_integer_value(json_object_get(doc, "position"));
	if (n.action != NULL && n.action[0] == '\0') {
		n.action = NULL;
		n.args = NULL;
		n.is_static = 1;
	}
	return n;
}

/* Commit a menu change, or say why it was refused as the CLI does. */
static void
console_ussd_done(struct evhttp_request *req, const char *actor,
    int64_t rc, const char *what, const char *why)
{
	char detail[32];

	snprintf(detail, sizeof(detail), "%lld", (long long)rc);
	if (rc > 0) {
		if (console_commit(req, store_audit(console_store(), actor,
		    what, detail) == -1, "cannot save the menu") == 0)
			console_json(req, 200, json_pack("{s:I}", "id",
			    (json_int_t)rc));
		return;
	}
	store_rollback(console_store());
	switch (rc) {
	case 0:
		console_error(req, 404, "no such node");
		break;
	case USSD_MENU_INVALID:
		console_error(req, 400, why);
		break;
	case USSD_MENU_TAKEN:
		console_error(req, 409, "that position is taken under this "
		    "parent");
		break;
	case USSD_MENU_NO_PARENT:
		console_error(req, 404, "no such parent node");
		break;
	default:
		console_error(req, 500, "cannot save the menu");
		break;
	}
}

/*
 * POST /console/api/ussd/add {parent (0: the top), position, label,
 * label_en, body, body_en, action, args}: a new node.
 */
void
console_ussd_add(struct evhttp_request *req, const struct user_session *u)
{
	struct ussd_menu_node	 n;
	json_t			*doc;
	char			 why[96] = "";

	if ((doc = console_body(req)) == NULL)
		return;
	n = console_ussd_node(doc);
	n.is_static = 0;
	if (console_begin(req) == 0)
		console_ussd_done(req, u->name, ussd_menu_add(console_store(),
		    json_integer_value(json_object_get(doc, "parent")), &n,
		    why, sizeof(why)), "console ussd add", why);
	json_decref(doc);
}

/* POST /console/api/ussd/set {id, ...}: rename, move, change a node. */
void
console_ussd_set(struct evhttp_request *req, const struct user_session *u)
{
	struct ussd_menu_node	 n;
	json_t			*doc;
	char			 why[96] = "";
	int64_t			 id;
	int			 rc;

	if ((doc = console_body(req)) == NULL)
		return;
	n = console_ussd_node(doc);
	id = json_integer_value(json_object_get(doc, "id"));
	if (console_begin(req) == 0) {
		rc = ussd_menu_set(console_store(), id, &n, why, sizeof(why));
		console_ussd_done(req, u->name, rc > 0 ? id : rc,
		    "console ussd set", why);
	}
	json_decref(doc);
}

/* POST /console/api/ussd/delete {id}: a node and everything under it. */
void
console_ussd_delete(struct evhttp_request *req, const struct user_session *u)
{
	json_t	*doc;
	int64_t	 id;
	int	 rc;

	if ((doc = console_body(req)) == NULL)
		return;
	id = json_integer_value(json_object_get(doc, "id"));
	json_decref(doc);
	if (console_begin(req) == 0) {
		rc = ussd_menu_delete(console_store(), id);
		console_ussd_done(req, u->name, rc > 0 ? id : rc,
		    "console ussd delete", "");
	}
}

/*
 * POST /console/api/ussd/sim {session, phone, input, steps}: one screen
 * of a simulated session, from the engine the /ussd callbacks use (the
 * session is kept as any caller's is).
 */
void
console_ussd_sim(struct evhttp_request *req, const struct user_session *u)
{
	struct ussd_reply	 r;
	struct ussd_req		 rq;
	json_t			*doc;
	int			 rc;

	(void)u;
	if ((doc = console_body(req)) == NULL)
		return;
	memset(&rq, 0, sizeof(rq));
	rq.session_id = console_ussd_str(doc, "session");
	rq.phone = console_ussd_str(doc, "phone");
	rq.input = console_ussd_str(doc, "input");
	rq.service_code = "*123#";
	rq.steps = (int)json_integer_value(json_object_get(doc, "steps"));
	if (rq.session_id == NULL || rq.session_id[0] == '\0' ||
	    strlen(rq.session_id) >= USSD_SESSION_MAX || rq.phone == NULL ||
	    (rq.input != NULL && strlen(rq.input) >= USSD_INPUT_MAX)) {
		console_error(req, 400, "expected {\"session\", \"phone\", "
		    "\"input\", \"steps\"}");
		goto out;
	}
	if (store_in_tx(console_store())) {
		console_error(req, 503, "database busy, try again");
		goto out;
	}
	if ((rc = ussd_handle(console_store(), console_conf(), &rq, &r)) ==
	    USSD_ERR_PHONE)
		console_error(req, 400, "not a phone number");
	else
		console_json(req, 200, json_pack("{s:b, s:s}", "end", r.end,
		    "text", r.text));
out:
	json_decref(doc);
}
