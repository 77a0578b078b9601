/*
 * kentongan info|group|reporter ...: the content and the people the
 * keyword commands work with.  Contacts are in cli_contact.c.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_contact.h"
#include "cli_csv.h"
#include "contact.h"
#include "phone.h"
#include "price.h"
#include "store.h"

#define CLI_INFO_TEXT_MAX	1000

/* Run a one-statement change bound to up to three texts; rows or -1. */
static int
cli_content_change(struct cli *c, const char *sql, const char *a,
    const char *b, const char *d, const char *audit)
{
	sqlite3_stmt	*st;
	int		 rc, n;

	if (store_begin(c->store) == -1)
		return -1;
	if ((st = store_stmt(c->store, sql)) == NULL)
		goto fail;
	sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
	if (sqlite3_bind_parameter_count(st) >= 2)
		sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
	if (sqlite3_bind_parameter_count(st) >= 3)
		sqlite3_bind_text(st, 3, d, -1, SQLITE_STATIC);
	if (sqlite3_bind_parameter_count(st) >= 4)
		sqlite3_bind_int64(st, 4, store_now());
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		goto fail;
	n = sqlite3_changes(store_db(c->store));
	if (n > 0 && store_audit(c->store, "cli", audit, a) == -1)
		goto fail;
	return store_commit(c->store) == -1 ? -1 : n;
fail:
	store_rollback(c->store);
	return -1;
}

/* info set TOPIC TEXT [--lang en] */
static int
cli_info_set(struct cli *c, int argc, char **argv)
{
	static const char sql[] = "INSERT INTO info_pages (topic, language, "
	    "body, updated_at) VALUES (upper(?1), ?2, ?3, ?4) ON CONFLICT "
	    "(topic, language) DO UPDATE SET body = ?3, updated_at = ?4";
	const char	*lang = "id";

	if (argc == 4 && !strcmp(argv[2], "--lang"))
		lang = argv[3];
	else if (argc != 2)
		return cli_bad_usage("usage: info set TOPIC TEXT [--lang en]");
	if (strcmp(lang, "id") && strcmp(lang, "en"))
		return cli_bad_usage("--lang: id or en");
	if (!price_name_ok(argv[0]))
		return cli_bad_usage("topic is one word (letters, digits, - "
		    "and _)");
	if (argv[1][0] == '\0' || strlen(argv[1]) > CLI_INFO_TEXT_MAX)
		return cli_bad_usage("text: 1 to %d characters",
		    CLI_INFO_TEXT_MAX);
	if (cli_content_change(c, sql, argv[0], lang, argv[1],
	    "info set") == -1)
		return cli_fail("cannot save: %s", store_errmsg(c->store));
	printf("info %s (%s) saved, %zu characters%s\n", argv[0], lang,
	    strlen(argv[1]), strlen(argv[1]) > 160 ? " (more than one SMS)" :
	    "");
	return CLI_OK;
}

/* info list */
static int
cli_info_list(struct cli *c, int argc, char **argv)
{
	static const char sql[] = "SELECT topic, language, body, "
	    "datetime(updated_at, 'unixepoch', 'localtime') AS updated FROM "
	    "info_pages ORDER BY topic, language";
	sqlite3_stmt *st;

	(void)argv;
	if (argc != 0)
		return cli_bad_usage("usage: info list");
	if ((st = store_stmt(c->store, sql)) == NULL)
		return cli_fail("%s", store_errmsg(c->store));
	return cli_out_stmt(c, st, "TOPIC\tLANG\tTEXT\tUPDATED",
	    "(no pages: kentongan info set PUPUK \"...\")");
}

/* info show TOPIC: the page in each language. */
static int
cli_info_show(struct cli *c, int argc, char **argv)
{
	static const char sql[] = "SELECT topic, language, body, "
	    "datetime(updated_at, 'unixepoch', 'localtime') AS updated FROM "
	    "info_pages WHERE topic = ? ORDER BY language";
	sqlite3_stmt	*st;
	json_t		*a, *p;
	size_t		 i;

	if (argc != 1)
		return cli_bad_usage("usage: info show TOPIC");
	if ((st = store_stmt(c->store, sql)) == NULL)
		return cli_fail("%s", store_errmsg(c->store));
	sqlite3_bind_text(st, 1, argv[0], -1, SQLITE_STATIC);
	if ((a = cli_out_rows(st)) == NULL)
		return cli_fail("%s", store_errmsg(c->store));
	if (json_array_size(a) == 0) {
		json_decref(a);
		return cli_not_found("no info page %s", argv[0]);
	}
	if (c->json)
		return cli_out_json(c, a);
	json_array_foreach(a, i, p)
		printf("%s (%s, %s):\n%s\n", json_string_value(json_object_get(
		    p, "topic")), json_string_value(json_object_get(p,
		    "language")), json_string_value(json_object_get(p,
		    "updated")), json_string_value(json_object_get(p, "body")));
	json_decref(a);
	return CLI_OK;
}

/* info remove TOPIC [--lang en] */
static int
cli_info_remove(struct cli *c, int argc, char **argv)
{
	static const char sql[] = "DELETE FROM info_pages WHERE topic = ?1 "
	    "AND (?2 = '' OR language = ?2)";
	const char	*lang = "";
	int		 n;

	if (argc == 3 && !strcmp(argv[1], "--lang"))
		lang = argv[2];
	else if (argc != 1)
		return cli_bad_usage("usage: info remove TOPIC [--lang en]");
	if ((n = cli_content_change(c, sql, argv[0], lang, NULL,
	    "info remove")) == -1)
		return cli_fail("cannot delete: %s", store_errmsg(c->store));
	if (n == 0)
		return cli_not_found("no info page %s", argv[0]);
	printf("info %s removed\n", argv[0]);
	return CLI_OK;
}

static const struct cli_verb cli_info_verbs[] = {
	{ "set", cli_info_set, "TOPIC TEXT [--lang en]",
	    "create or replace the page INFO TOPIC answers (Indonesian by "
	    "default)" },
	{ "list", cli_info_list, "", "every page, per language" },
	{ "show", cli_info_show, "TOPIC", "one page in each language" },
	{ "remove", cli_info_remove, "TOPIC [--lang en]",
	    "delete a page (every language unless --lang)" },
	{ "delete", cli_info_remove, "TOPIC [--lang en]", "same as remove" },
	{ "import", cli_csv_info_import, "FILE.csv [--skip-bad]",
	    "create or replace pages from CSV: topic, language, text" },
	{ "export", cli_csv_info_export, "[FILE.csv] [--semicolon]",
	    "every page as CSV that info import reads back" },
	{ NULL, NULL, NULL, NULL }
};

int
cli_info(struct cli *c, int argc, char **argv)
{
	return cli_run_verbs(c, "info", cli_info_verbs, argc, argv);
}

/* group create NAME [DESCRIPTION] */
static int
cli_group_create(struct cli *c, int argc, char **argv)
{
	static const char sql[] = "INSERT OR IGNORE INTO groups (name, "
	    "description, created_at) VALUES (upper(?1), ?2, ?4)";
	int n;

	if (argc < 1 || argc > 2)
		return cli_bad_usage("usage: group create NAME [DESCRIPTION]");
	if (!price_name_ok(argv[0]))
		return cli_bad_usage("group name is one word (letters, digits, "
		    "- and _)");
	if ((n = cli_content_change(c, sql, argv[0], argc > 1 ? argv[1] : "",
	    "", "group create")) == -1)
		return cli_fail("cannot save: %s", store_errmsg(c->store));
	if (n == 0)
		return cli_fail("group %s exists already", argv[0]);
	printf("group %s created\n", argv[0]);
	return CLI_OK;
}

/* group list */
static int
cli_group_list(struct cli *c, int argc, char **argv)
{
	static const char sql[] = "SELECT g.name, (SELECT COUNT(*) FROM "
	    "group_members m WHERE m.group_id = g.id) AS members, "
	    "g.description FROM groups g ORDER BY g.name";
	sqlite3_stmt *st;

	(void)argv;
	if (argc != 0)
		return cli_bad_usage("usage: group list");
	if ((st = store_stmt(c->store, sql)) == NULL)
		return cli_fail("%s", store_errmsg(c->store));
	return cli_out_stmt(c, st, "GROUP\tMEMBERS\tDESCRIPTION",
	    "(no groups: kentongan group create PETANI)");
}

/* Find a group by name: its id, 0 when there is none, -1 on error. */
static int64_t
cli_group_id(struct cli *c, const char *name)
{
	static const char sql[] = "SELECT id FROM groups WHERE name = ?";
	sqlite3_stmt	*st;
	int64_t		 id = 0;
	int		 rc;

	if ((st = store_stmt(c->store, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? id : -1;
}

/* group show NAME: its members. */
static int
cli_group_show(struct cli *c, int argc, char **argv)
{
	static const char sql[] = "SELECT c.phone, c.name, c.village, "
	    "c.opted_out FROM group_members m JOIN contacts c ON c.id = "
	    "m.contact_id WHERE m.group_id = ? ORDER BY c.phone";
	sqlite3_stmt	*st;
	json_t		*members;
	int64_t		 id;
	char		 empty[96];

	if (argc != 1)
		return cli_bad_usage("usage: group show NAME");
	if ((id = cli_group_id(c, argv[0])) <= 0)
		return id < 0 ? cli_fail("%s", store_errmsg(c->store)) :
		    cli_not_found("no group %s", argv[0]);
	if ((st = store_stmt(c->store, sql)) == NULL)
		return cli_fail("%s", store_errmsg(c->store));
	sqlite3_bind_int64(st, 1, id);
	if (c->json) {
		if ((members = cli_out_rows(st)) == NULL)
			return cli_fail("%s", store_errmsg(c->store));
		return cli_out_json(c, json_pack("{s:s, s:o}", "name",
		    argv[0], "members", members));
	}
	snprintf(empty, sizeof(empty), "(no members yet: GABUNG %s)",
	    argv[0]);
	return cli_out_stmt(c, st, "PHONE\tNAME\tVILLAGE\tOPTED_OUT", empty);
}

/* Add (on) or remove phones from a group; the group must exist. */
static int
cli_group_members(struct cli *c, int argc, char **argv, int on)
{
	static const char del[] = "DELETE FROM group_members WHERE group_id = "
	    "?1 AND contact_id = (SELECT id FROM contacts WHERE phone = ?2)";
	sqlite3_stmt	*st;
	char		 phone[PHONE_MAX];
	int64_t		 gid, cid;
	int		 i, rc, n = 0;

	if (argc < 2)
		return cli_bad_usage("usage: group %s NAME PHONE...", on ?
		    "add" : "remove");
	for (i = 1; i < argc; i++)
		if (phone_normalize(argv[i], c->conf.country_code, phone,
		    sizeof(phone)) != PHONE_NUMBER)
			return cli_bad_usage("\"%s\" is not a phone number",
			    argv[i]);
	if (store_begin(c->store) == -1)
		return cli_fail("database busy");
	if ((gid = cli_group_id(c, argv[0])) <= 0) {
		store_rollback(c->store);
		return gid < 0 ? cli_fail("%s", store_errmsg(c->store)) :
		    cli_not_found("no group %s (kentongan group create %s)",
		    argv[0], argv[0]);
	}
	for (i = 1; i < argc; i++) {
		phone_normalize(argv[i], c->conf.country_code, phone,
		    sizeof(phone));
		if (on) {
			if ((cid = contact_ensure(c->store, phone)) <= 0 ||
			    (rc = cli_contact_join(c->store, cid, argv[0],
			    0)) < 0)
				goto fail;
		} else {
			if ((st = store_stmt(c->store, del)) == NULL)
				goto fail;
			sqlite3_bind_int64(st, 1, gid);
			sqlite3_bind_text(st, 2, phone, -1, SQLITE_STATIC);
			rc = sqlite3_step(st);
			sqlite3_reset(st);
			if (rc != SQLITE_DONE)
				goto fail;
			rc = sqlite3_changes(store_db(c->store));
		}
		n += rc;
	}
	if (store_audit(c->store, "cli", on ? "group add" : "group remove",
	    argv[0]) == -1 || store_commit(c->store) == -1)
		goto fail;
	printf("group %s: %d %s, %d %s\n", argv[0], n, on ? "added" :
	    "removed", argc - 1 - n, on ? "already members" :
	    "were not members");
	return CLI_OK;
fail:
	store_rollback(c->store);
	return cli_fail("cannot save: %s", store_errmsg(c->store));
}

/* group add NAME PHONE...: new contacts are created. */
static int
cli_group_add(struct cli *c, int argc, char **argv)
{
	return cli_group_members(c, argc, argv, 1);
}

/* group remove NAME PHONE... */
static int
cli_group_remove(struct cli *c, int argc, char **argv)
{
	return cli_group_members(c, argc, argv, 0);
}

/* group delete NAME: the group goes, its members stay contacts. */
static int
cli_group_delete(struct cli *c, int argc, char **argv)
{
	static const char sql[] = "DELETE FROM groups WHERE name = ?1";
	int n;

	if (argc != 1)
		return cli_bad_usage("usage: group delete NAME");
	if ((n = cli_content_change(c, sql, argv[0], NULL, NULL,
	    "group delete")) == -1)
		return cli_fail("cannot delete: %s", store_errmsg(c->store));
	if (n == 0)
		return cli_not_found("no group %s", argv[0]);
	printf("group %s deleted\n", argv[0]);
	return CLI_OK;
}

static const struct cli_verb cli_group_verbs[] = {
	{ "create", cli_group_create, "NAME [DESCRIPTION]",
	    "a group people can GABUNG / JOIN and broadcasts can target" },
	{ "list", cli_group_list, "", "groups with their member counts" },
	{ "show", cli_group_show, "NAME", "the members of a group" },
	{ "add", cli_group_add, "NAME PHONE...",
	    "put numbers in a group (new numbers become contacts)" },
	{ "remove", cli_group_remove, "NAME PHONE...",
	    "take numbers out of a group" },
	{ "delete", cli_group_delete, "NAME",
	    "delete a group; its members stay contacts" },
	{ NULL, NULL, NULL, NULL }
};

int
cli_group(struct cli *c, int argc, char **argv)
{
	return cli_run_verbs(c, "group", cli_group_verbs, argc, argv);
}

/* Normalise a phone number argument; 0, or an error was printed. */
static int
cli_content_phone(struct cli *c, const char *in, char *out, size_t len)
{
	if (phone_normalize(in, c->conf.country_code, out, len) !=
	    PHONE_NUMBER) {
		cli_fail("\"%s\" is not a phone number", in);
		return -1;
	}
	return 0;
}

/* Mark or unmark a number as a field reporter. */
static int
cli_reporter_set(struct cli *c, int argc, char **argv, int on)
{
	char	phone[PHONE_MAX];
	int64_t	id;

	if (argc != 1)
		return cli_bad_usage("usage: reporter %s PHONE", on ? "add" :
		    "remove");
	if (cli_content_phone(c, argv[0], phone, sizeof(phone)) == -1)
		return CLI_USAGE;
	if (store_begin(c->store) == -1)
		return cli_fail("database busy");
	if ((id = on ? contact_ensure(c->store, phone) :
	    contact_find(c->store, phone)) < 0 || (id > 0 &&
	    (contact_set_int(c->store, id, "is_reporter", on) == -1 ||
	    store_audit(c->store, "cli", on ? "reporter add" :
	    "reporter remove", phone) == -1))) {
		store_rollback(c->store);
		return cli_fail("cannot save: %s", store_errmsg(c->store));
	}
	if (store_commit(c->store) == -1)
		return cli_fail("cannot save: %s", store_errmsg(c->store));
	if (id == 0)
		return cli_not_found("no contact %s", phone);
	printf("%s %s a reporter\n", phone, on ? "is now" : "is no longer");
	return CLI_OK;
}

/* reporter add PHONE */
static int
cli_reporter_add(struct cli *c, int argc, char **argv)
{
	return cli_reporter_set(c, argc, argv, 1);
}

/* reporter remove PHONE */
static int
cli_reporter_remove(struct cli *c, int argc, char **argv)
{
	return cli_reporter_set(c, argc, argv, 0);
}

/* reporter list */
static int
cli_reporter_list(struct cli *c, int argc, char **argv)
{
	static const char sql[] = "SELECT phone, name, village FROM contacts "
	    "WHERE is_reporter = 1 ORDER BY phone";
	sqlite3_stmt *st;

	(void)argv;
	if (argc != 0)
		return cli_bad_usage("usage: reporter list");
	if ((st = store_stmt(c->store, sql)) == NULL)
		return cli_fail("%s", store_errmsg(c->store));
	return cli_out_stmt(c, st, "PHONE\tNAME\tVILLAGE",
	    "(no reporters: kentongan reporter add 0812...)");
}

static const struct cli_verb cli_reporter_verbs[] = {
	{ "add", cli_reporter_add, "PHONE",
	    "allow a number to LAPOR / REPORT prices" },
	{ "remove", cli_reporter_remove, "PHONE", "take that away" },
	{ "list", cli_reporter_list, "", "every reporter" },
	{ NULL, NULL, NULL, NULL }
};

int
cli_reporter(struct cli *c, int argc, char **argv)
{
	return cli_run_verbs(c, "reporter", cli_reporter_verbs, argc, argv);
}
