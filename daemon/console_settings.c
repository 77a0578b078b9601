/*
 * The console's read-only pages: each modem's details with its recent
 * errors, and the running configuration with its secrets masked (by
 * conf.c).  Nothing here writes.
 */
#include <stdio.h>
#include <string.h>

#include <event2/http.h>

#include "conf.h"
#include "console.h"
#include "store.h"
#include "user.h"

#define CONSOLE_MODEM_ERRORS	5	/* recent failures listed per modem */

/* A modem's last failed messages, newest first. */
static json_t *
console_modem_errors(const char *name)
{
	static const char sql[] = "SELECT strftime('%Y-%m-%d %H:%M', "
	    "created_at, 'unixepoch', 'localtime'), recipient, last_error "
	    "FROM outbox WHERE modem = ? AND state = 'failed' ORDER BY id DESC "
	    "LIMIT ?";
	sqlite3_stmt	*st;
	json_t		*a = json_array();

	if ((st = store_stmt(console_store(), sql)) == NULL)
		return a;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 2, CONSOLE_MODEM_ERRORS);
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(a, json_pack("{s:o, s:o, s:o}", "at",
		    console_col(st, 0), "to", console_col(st, 1), "error",
		    console_col(st, 2)));
	sqlite3_reset(st);
	return a;
}

/* GET /console/api/modems: every modem's details and recent errors. */
void
console_modems(struct evhttp_request *req, const struct user_session *u)
{
	static const char sql[] = "SELECT name, state, manufacturer, model, "
	    "imei, signal, battery, network, operator, sim_used, sim_total, "
	    "balance, received, sent, errors, last_error, strftime('%Y-%m-%d "
	    "%H:%M:%S', updated_at, 'unixepoch', 'localtime') FROM modems "
	    "ORDER BY name";
	static const char *const text[] = { "name", "state", "manufacturer",
	    "model", "imei" };
	sqlite3_stmt	*st;
	json_t		*a, *o;
	size_t		 j;
	int		 i, rc;

	(void)u;
	if ((st = store_stmt(console_store(), sql)) == NULL) {
		console_error(req, 500, "cannot read the modems");
		return;
	}
	a = json_array();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		o = json_object();
		for (i = 0; i < 5; i++)
			json_object_set_new(o, text[i], console_col(st, i));
		json_object_set_new(o, "signal", console_col_int(st, 5));
		json_object_set_new(o, "battery", console_col_int(st, 6));
		json_object_set_new(o, "network", console_col(st, 7));
		json_object_set_new(o, "operator", console_col(st, 8));
		json_object_set_new(o, "sim_used", console_col_int(st, 9));
		json_object_set_new(o, "sim_total", console_col_int(st, 10));
		json_object_set_new(o, "balance", console_col(st, 11));
		json_object_set_new(o, "received", console_col_int(st, 12));
		json_object_set_new(o, "sent", console_col_int(st, 13));
		json_object_set_new(o, "errors", console_col_int(st, 14));
		json_object_set_new(o, "last_error", console_col(st, 15));
		json_object_set_new(o, "updated", console_col(st, 16));
		json_array_append_new(a, o);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(a);
		console_error(req, 500, "cannot read the modems");
		return;
	}
	json_array_foreach(a, j, o)
		json_object_set_new(o, "recent", console_modem_errors(
		    json_string_value(json_object_get(o, "name"))));
	console_json(req, 200, json_pack("{s:o}", "modems", a));
}

/* conf_each: one setting into the array. */
static void
console_setting(const char *group, const char *name, const char *value,
    void *arg)
{
	json_array_append_new(arg, json_pack("{s:s, s:s, s:s}", "group", group,
	    "name", name, "value", value));
}

/* GET /console/api/settings: the running configuration, secrets masked. */
void
console_settings(struct evhttp_request *req, const struct user_session *u)
{
	json_t *a = json_array();

	(void)u;
	conf_each(console_conf(), console_setting, a);
	console_json(req, 200, json_pack("{s:s, s:o}", "file",
	    console_conf()->path, "settings", a));
}
