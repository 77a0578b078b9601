/*
 * kentongan info|group|reporter|contact ...: the content and the people
 * the keyword commands work with.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "contact.h"
#include "phone.h"
#include "price.h"
#include "store.h"

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
	if (store_audit(c->store, "cli", audit, a) == -1)
		goto fail;
	return store_commit(c->store) == -1 ? -1 : n;
fail:
	store_rollback(c->store);
	return -1;
}

/* Print every row of a statement as tab-separated columns; the count. */
static int
cli_content_print(sqlite3_stmt *st)
{
	const unsigned char	*t;
	int			 i, n = 0;

	while (sqlite3_step(st) == SQLITE_ROW) {
		for (i = 0; i < sqlite3_column_count(st); i++) {
			t = sqlite3_column_text(st, i);
			printf("%s%s", i ? "\t" : "", t ? (const char *)t : "");
		}
		putchar('\n');
		n++;
	}
	sqlite3_reset(st);
	return n;
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
		return cli_fail("usage: info set TOPIC TEXT [--lang en]");
	if (strcmp(lang, "id") && strcmp(lang, "en"))
		return cli_fail("--lang: id or en");
	if (!price_name_ok(argv[0]))
		return cli_fail("topic is one word (letters, digits, - and _)");
	if (argv[1][0] == '\0' || strlen(argv[1]) > 1000)
		return cli_fail("text: 1 to 1000 characters");
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
	static const char sql[] = "SELECT topic, language, body FROM "
	    "info_pages ORDER BY topic, language";
	sqlite3_stmt *st;

	(void)argv;
	if (argc != 0)
		return cli_fail("usage: info list");
	if ((st = store_stmt(c->store, sql)) == NULL)
		return cli_fail("%s", store_errmsg(c->store));
	if (cli_content_print(st) == 0)
		printf("(no pages: kentongan info set PUPUK \"...\")\n");
	return CLI_OK;
}

/* info delete TOPIC [--lang en] */
static int
cli_info_delete(struct cli *c, int argc, char **argv)
{
	static const char sql[] = "DELETE FROM info_pages WHERE topic = ?1 "
	    "AND (?2 = '' OR language = ?2)";
	const char	*lang = "";
	int		 n;

	if (argc == 3 && !strcmp(argv[1], "--lang"))
		lang = argv[2];
	else if (argc != 1)
		return cli_fail("usage: info delete TOPIC [--lang en]");
	if ((n = cli_content_change(c, sql, argv[0], lang, NULL,
	    "info delete")) == -1)
		return cli_fail("cannot delete: %s", store_errmsg(c->store));
	if (n == 0) {
		fprintf(stderr, "kentongan: no info page %s\n", argv[0]);
		return CLI_NOTFOUND;
	}
	printf("info %s deleted\n", argv[0]);
	return CLI_OK;
}

static const struct cli_verb cli_info_verbs[] = {
	{ "set", cli_info_set, "TOPIC TEXT [--lang en]",
	    "create or replace the page INFO TOPIC answers (Indonesian by "
	    "default)" },
	{ "list", cli_info_list, "", "every page, per language" },
	{ "delete", cli_info_delete, "TOPIC [--lang en]",
	    "delete a page (every language unless --lang)" },
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
		return cli_fail("usage: group create NAME [DESCRIPTION]");
	if (!price_name_ok(argv[0]))
		return cli_fail("group name is one word (letters, digits, - "
		    "and _)");
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
	    "group_members m WHERE m.group_id = g.id), g.description FROM "
	    "groups g ORDER BY g.name";
	sqlite3_stmt *st;

	(void)argv;
	if (argc != 0)
		return cli_fail("usage: group list");
	if ((st = store_stmt(c->store, sql)) == NULL)
		return cli_fail("%s", store_errmsg(c->store));
	printf("GROUP\tMEMBERS\tDESCRIPTION\n");
	if (cli_content_print(st) == 0)
		printf("(no groups: kentongan group create PETANI)\n");
	return CLI_OK;
}

/* group show NAME: its members. */
static int
cli_group_show(struct cli *c, int argc, char **argv)
{
	static const char sql_g[] = "SELECT 1 FROM groups WHERE name = ?";
	static const char sql[] = "SELECT c.phone, c.name, c.village, "
	    "CASE c.opted_out WHEN 1 THEN 'opted-out' ELSE '' END FROM "
	    "group_members m JOIN groups g ON g.id = m.group_id JOIN contacts "
	    "c ON c.id = m.contact_id WHERE g.name = ? ORDER BY c.phone";
	sqlite3_stmt	*st;
	int		 found;

	if (argc != 1)
		return cli_fail("usage: group show NAME");
	if ((st = store_stmt(c->store, sql_g)) == NULL)
		return cli_fail("%s", store_errmsg(c->store));
	sqlite3_bind_text(st, 1, argv[0], -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	if (!found) {
		fprintf(stderr, "kentongan: no group %s\n", argv[0]);
		return CLI_NOTFOUND;
	}
	if ((st = store_stmt(c->store, sql)) == NULL)
		return cli_fail("%s", store_errmsg(c->store));
	sqlite3_bind_text(st, 1, argv[0], -1, SQLITE_STATIC);
	printf("PHONE\tNAME\tVILLAGE\tSTATE\n");
	if (cli_content_print(st) == 0)
		printf("(no members yet: GABUNG %s)\n", argv[0]);
	return CLI_OK;
}

static const struct cli_verb cli_group_verbs[] = {
	{ "create", cli_group_create, "NAME [DESCRIPTION]",
	    "a group people can GABUNG / JOIN and broadcasts can target" },
	{ "list", cli_group_list, "", "groups with their member counts" },
	{ "show", cli_group_show, "NAME", "the members of a group" },
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
		return cli_fail("usage: reporter %s PHONE", on ? "add" :
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
	if (id == 0) {
		fprintf(stderr, "kentongan: no contact %s\n", phone);
		return CLI_NOTFOUND;
	}
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
		return cli_fail("usage: reporter list");
	if ((st = store_stmt(c->store, sql)) == NULL)
		return cli_fail("%s", store_errmsg(c->store));
	if (cli_content_print(st) == 0)
		printf("(no reporters: kentongan reporter add 0812...)\n");
	return CLI_OK;
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

/* contact list */
static int
cli_contact_list(struct cli *c, int argc, char **argv)
{
	static const char sql[] = "SELECT phone, name, village, language, "
	    "CASE opted_out WHEN 1 THEN 'opted-out' ELSE '' END || CASE "
	    "is_reporter WHEN 1 THEN ' reporter' ELSE '' END FROM contacts "
	    "ORDER BY phone";
	sqlite3_stmt *st;

	(void)argv;
	if (argc != 0)
		return cli_fail("usage: contact list");
	if ((st = store_stmt(c->store, sql)) == NULL)
		return cli_fail("%s", store_errmsg(c->store));
	printf("PHONE\tNAME\tVILLAGE\tLANG\tFLAGS\n");
	cli_content_print(st);
	return CLI_OK;
}

/* contact show PHONE: the contact, groups, subscriptions, registrations. */
static int
cli_contact_show(struct cli *c, int argc, char **argv)
{
	static const char sql_c[] = "SELECT 'phone', phone FROM contacts "
	    "WHERE phone = ?1 UNION ALL SELECT "
	    "'name', name FROM contacts WHERE phone = ?1 UNION ALL SELECT "
	    "'village', village FROM contacts WHERE phone = ?1 UNION ALL "
	    "SELECT 'language', language FROM contacts WHERE phone = ?1 "
	    "UNION ALL SELECT 'opted out', opted_out FROM contacts WHERE "
	    "phone = ?1 UNION ALL SELECT 'reporter', is_reporter FROM "
	    "contacts WHERE phone = ?1 UNION ALL SELECT 'group', g.name FROM "
	    "group_members m JOIN groups g ON g.id = m.group_id JOIN contacts "
	    "k ON k.id = m.contact_id WHERE k.phone = ?1 UNION ALL SELECT "
	    "'subscription', o.name || ' ' || COALESCE(mk.name, '(all)') FROM "
	    "subscriptions s JOIN commodities o ON o.id = s.commodity_id "
	    "LEFT JOIN markets mk ON mk.id = s.market_id JOIN contacts k ON "
	    "k.id = s.contact_id WHERE k.phone = ?1 UNION ALL SELECT "
	    "'event', e.code || ' ' || r.status FROM registrations r JOIN "
	    "events e ON e.id = r.event_id JOIN contacts k ON k.id = "
	    "r.contact_id WHERE k.phone = ?1";
	sqlite3_stmt	*st;
	char		 phone[PHONE_MAX];
	int64_t		 id;

	if (argc != 1)
		return cli_fail("usage: contact show PHONE");
	if (cli_content_phone(c, argv[0], phone, sizeof(phone)) == -1)
		return CLI_USAGE;
	if ((id = contact_find(c->store, phone)) <= 0) {
		if (id < 0)
			return cli_fail("%s", store_errmsg(c->store));
		fprintf(stderr, "kentongan: no contact %s\n", phone);
		return CLI_NOTFOUND;
	}
	if ((st = store_stmt(c->store, sql_c)) == NULL)
		return cli_fail("%s", store_errmsg(c->store));
	sqlite3_bind_text(st, 1, phone, -1, SQLITE_STATIC);
	cli_content_print(st);
	return CLI_OK;
}

static const struct cli_verb cli_contact_verbs[] = {
	{ "list", cli_contact_list, "", "everyone who has texted us" },
	{ "show", cli_contact_show, "PHONE",
	    "one contact with groups, subscriptions and registrations" },
	{ NULL, NULL, NULL, NULL }
};

int
cli_contact(struct cli *c, int argc, char **argv)
{
	return cli_run_verbs(c, "contact", cli_contact_verbs, argc, argv);
}
