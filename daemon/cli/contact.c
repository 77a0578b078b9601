/*
 * kentongan contact ...: the people kentongan knows, with their groups.
 * A contact is normally created by its first SMS; admins add, correct
 * and remove them here, or load a whole list with `contact import`.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "contact.h"
#include "group.h"
#include "phone.h"
#include "store.h"

/* Copy a name or village argument, tidied; -1 when it does not fit. */
static int
cli_contact_text(const char *opt, const char *v, char *out, size_t len)
{
	if (strlen(v) >= len) {
		cli_bad_usage("%s: at most %zu bytes", opt, len - 1);
		return -1;
	}
	contact_clean(v, strlen(v), out, len);
	if (out[0] == '\0') {
		cli_bad_usage("%s: empty", opt);
		return -1;
	}
	return 0;
}

/*
 * Parse PHONE [--name N] [--village V] [--lang id|en] [--group G]...
 * [--opted-out yes|no] into k; 0, or -1 after printing a usage error.
 */
static int
cli_contact_args(struct cli *c, int argc, char **argv, const char *usage,
    struct contact_row *k)
{
	char	groups[GROUP_NAMES_MAX];
	size_t	n;
	int	i;

	memset(k, 0, sizeof(*k));
	k->opted_out = -1;
	if (argc < 1 || argv[0][0] == '-') {
		cli_bad_usage("%s", usage);
		return -1;
	}
	if (cli_phone_arg(c, argv[0], k->phone, sizeof(k->phone)) == -1)
		return -1;
	for (i = 1; i < argc; i++) {
		if (i + 1 >= argc) {
			cli_bad_usage("%s", usage);
			return -1;
		}
		if (!strcmp(argv[i], "--name")) {
			if (cli_contact_text("--name", argv[++i], k->name,
			    sizeof(k->name)) == -1)
				return -1;
		} else if (!strcmp(argv[i], "--village")) {
			if (cli_contact_text("--village", argv[++i],
			    k->village, sizeof(k->village)) == -1)
				return -1;
		} else if (!strcmp(argv[i], "--lang")) {
			i++;
			if (strcmp(argv[i], "id") && strcmp(argv[i], "en")) {
				cli_bad_usage("--lang: id or en");
				return -1;
			}
			snprintf(k->language, sizeof(k->language), "%s",
			    argv[i]);
		} else if (!strcmp(argv[i], "--group")) {
			if (group_names_parse(argv[++i], groups,
			    sizeof(groups)) == -1 || (n = strlen(k->groups)) +
			    strlen(groups) + 2 > sizeof(k->groups)) {
				cli_bad_usage("--group: one word of letters, "
				    "digits, - and _");
				return -1;
			}
			if (n > 0 && groups[0] != '\0')
				k->groups[n++] = ';';
			snprintf(k->groups + n, sizeof(k->groups) - n, "%s",
			    groups);
		} else if (!strcmp(argv[i], "--opted-out")) {
			i++;
			if (strcasecmp(argv[i], "yes") == 0)
				k->opted_out = 1;
			else if (strcasecmp(argv[i], "no") == 0)
				k->opted_out = 0;
			else {
				cli_bad_usage("--opted-out: yes or no");
				return -1;
			}
		} else {
			cli_bad_usage("%s", usage);
			return -1;
		}
	}
	return 0;
}

/* Save a contact from add or set in one audited transaction. */
static int
cli_contact_write(struct cli *c, const struct contact_row *k,
    const char *action)
{
	if (store_begin(c->store) == -1)
		return -1;
	if (contact_save(c->store, k) == -1 ||
	    store_audit(c->store, "cli", action, k->phone) == -1 ||
	    store_commit(c->store) == -1) {
		store_rollback(c->store);
		return -1;
	}
	return 0;
}

/* contact add PHONE [--name N] [--village V] [--lang L] [--group G]... */
static int
cli_contact_add(struct cli *c, int argc, char **argv)
{
	struct contact_row	k;
	int64_t			id;

	if (cli_contact_args(c, argc, argv, "usage: contact add PHONE [--name "
	    "N] [--village V] [--lang id|en] [--group G]...", &k) == -1)
		return CLI_USAGE;
	if ((id = contact_find(c->store, k.phone)) != 0)
		return id < 0 ? cli_fail("database: %s",
		    store_errmsg(c->store)) : cli_fail("%s is already a "
		    "contact (change it with contact set)", k.phone);
	if (cli_contact_write(c, &k, "contact add") == -1)
		return cli_fail("cannot save: %s", store_errmsg(c->store));
	printf("contact %s added\n", k.phone);
	return CLI_OK;
}

/* contact set PHONE [--name N] ... [--opted-out yes|no] */
static int
cli_contact_set(struct cli *c, int argc, char **argv)
{
	struct contact_row	k;
	int64_t			id;

	if (cli_contact_args(c, argc, argv, "usage: contact set PHONE [--name "
	    "N] [--village V] [--lang id|en] [--group G]... [--opted-out "
	    "yes|no]", &k) == -1)
		return CLI_USAGE;
	if (argc < 2)
		return cli_bad_usage("contact set: nothing to change (--name, "
		    "--village, --lang, --group or --opted-out)");
	if ((id = contact_find(c->store, k.phone)) <= 0)
		return id < 0 ? cli_fail("database: %s",
		    store_errmsg(c->store)) : cli_not_found("no contact %s",
		    k.phone);
	if (cli_contact_write(c, &k, "contact set") == -1)
		return cli_fail("cannot save: %s", store_errmsg(c->store));
	printf("contact %s saved\n", k.phone);
	return CLI_OK;
}

/*
 * contact remove PHONE: forget a contact, its groups and subscriptions.
 * Refused while it holds a place in an event (BATAL frees it); its past
 * messages and price reports stay, without the link.
 */
static int
cli_contact_remove(struct cli *c, int argc, char **argv)
{
	char	phone[PHONE_MAX], events[128];
	int	rc;

	if (argc != 1)
		return cli_bad_usage("usage: contact remove PHONE");
	if (cli_phone_arg(c, argv[0], phone, sizeof(phone)) == -1)
		return CLI_USAGE;
	if (store_begin(c->store) == -1)
		return cli_fail("database busy");
	if ((rc = contact_remove(c->store, phone, events,
	    sizeof(events))) <= 0) {
		store_rollback(c->store);
		if (rc == 0)
			return cli_not_found("no contact %s", phone);
		if (rc == -2)
			return cli_fail("%s is registered for %s: they can "
			    "cancel with BATAL, then remove them", phone,
			    events);
		return cli_fail("cannot remove: %s", store_errmsg(c->store));
	}
	if (store_audit(c->store, "cli", "contact remove", phone) == -1 ||
	    store_commit(c->store) == -1) {
		store_rollback(c->store);
		return cli_fail("cannot remove: %s", store_errmsg(c->store));
	}
	printf("contact %s removed\n", phone);
	return CLI_OK;
}

/* contact list [--group NAME] */
static int
cli_contact_list(struct cli *c, int argc, char **argv)
{
	static const char sql[] = "SELECT c.phone, c.name, c.village, "
	    "c.language, c.opted_out, c.is_reporter, COALESCE((SELECT "
	    "group_concat(name, ';') FROM (SELECT g.name FROM group_members m "
	    "JOIN groups g ON g.id = m.group_id WHERE m.contact_id = c.id "
	    "ORDER BY g.name)), '') AS groups FROM contacts c WHERE ?1 IS NULL "
	    "OR EXISTS (SELECT 1 FROM group_members m JOIN groups g ON g.id = "
	    "m.group_id WHERE m.contact_id = c.id AND g.name = ?1) ORDER BY "
	    "c.phone";
	sqlite3_stmt *st;

	if (argc != 0 && (argc != 2 || strcmp(argv[0], "--group") != 0))
		return cli_bad_usage("usage: contact list [--group NAME]");
	if ((st = store_stmt(c->store, sql)) == NULL)
		return cli_fail("%s", store_errmsg(c->store));
	if (argc == 2)
		sqlite3_bind_text(st, 1, argv[1], -1, SQLITE_STATIC);
	return cli_print_stmt(c, st, "PHONE\tNAME\tVILLAGE\tLANG\tOPTED_OUT\t"
	    "REPORTER\tGROUPS", "(no contacts)");
}

/* Run a query bound to a contact id and return its rows as an array. */
static json_t *
cli_contact_rows(struct cli *c, const char *sql, int64_t id)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(c->store, sql)) == NULL)
		return NULL;
	sqlite3_bind_int64(st, 1, id);
	return cli_print_rows(st);
}

/* Print a show object: scalars as `name<TAB>value`, list items one a line. */
static void
cli_contact_print(json_t *o)
{
	const char	*k, *k2, *sep;
	json_t		*v, *e, *f;
	size_t		 i;

	json_object_foreach(o, k, v) {
		if (json_is_string(v))
			printf("%s\t%s\n", k, json_string_value(v));
		else if (json_is_integer(v))
			printf("%s\t%lld\n", k,
			    (long long)json_integer_value(v));
		else if (json_is_array(v)) {
			json_array_foreach(v, i, e) {
				/* "groups" -> "group" */
				printf("%.*s", (int)strlen(k) - 1, k);
				if (json_is_string(e)) {
					printf("\t%s\n", json_string_value(e));
					continue;
				}
				sep = "\t";
				json_object_foreach(e, k2, f) {
					printf("%s%s", sep, json_is_string(f) ?
					    json_string_value(f) : "");
					sep = " ";
				}
				putchar('\n');
			}
		}
	}
}

/* contact show PHONE: the contact, groups, subscriptions, registrations. */
static int
cli_contact_show(struct cli *c, int argc, char **argv)
{
	static const char sql[] = "SELECT phone, name, village, language, "
	    "opted_out, is_reporter, datetime(created_at, 'unixepoch', "
	    "'localtime') AS created FROM contacts WHERE id = ?";
	static const char groups[] = "SELECT g.name FROM group_members m JOIN "
	    "groups g ON g.id = m.group_id WHERE m.contact_id = ? ORDER BY "
	    "g.name";
	static const char subs[] = "SELECT o.name AS commodity, "
	    "COALESCE(mk.name, '(all)') AS market FROM subscriptions s JOIN "
	    "commodities o ON o.id = s.commodity_id LEFT JOIN markets mk ON "
	    "mk.id = s.market_id WHERE s.contact_id = ? ORDER BY o.name";
	static const char regs[] = "SELECT e.code AS event, r.status FROM "
	    "registrations r JOIN events e ON e.id = r.event_id WHERE "
	    "r.contact_id = ? ORDER BY r.created_at";
	sqlite3_stmt	*st;
	json_t		*o, *g, *s, *r, *e;
	char		 phone[PHONE_MAX];
	int64_t		 id;
	size_t		 i;

	if (argc != 1)
		return cli_bad_usage("usage: contact show PHONE");
	if (cli_phone_arg(c, argv[0], phone, sizeof(phone)) == -1)
		return CLI_USAGE;
	if ((id = contact_find(c->store, phone)) <= 0)
		return id < 0 ? cli_fail("%s", store_errmsg(c->store)) :
		    cli_not_found("no contact %s", phone);
	if ((st = store_stmt(c->store, sql)) == NULL)
		return cli_fail("%s", store_errmsg(c->store));
	sqlite3_bind_int64(st, 1, id);
	o = sqlite3_step(st) == SQLITE_ROW ? cli_print_row(st) : NULL;
	sqlite3_reset(st);
	g = cli_contact_rows(c, groups, id);
	s = cli_contact_rows(c, subs, id);
	r = cli_contact_rows(c, regs, id);
	if (o == NULL || g == NULL || s == NULL || r == NULL) {
		json_decref(o);
		json_decref(g);
		json_decref(s);
		json_decref(r);
		return cli_fail("%s", store_errmsg(c->store));
	}
	json_array_foreach(g, i, e)	/* [{"name": "PETANI"}] -> ["PETANI"] */
		json_array_set(g, i, json_object_get(e, "name"));
	json_object_set_new(o, "groups", g);
	json_object_set_new(o, "subscriptions", s);
	json_object_set_new(o, "registrations", r);
	if (c->json)
		return cli_print_json(c, o);
	cli_contact_print(o);
	json_decref(o);
	return CLI_OK;
}

static const struct cli_verb cli_contact_verbs[] = {
	{ "list", cli_contact_list, "[--group NAME]",
	    "everyone we know (or a group's members), with their groups" },
	{ "show", cli_contact_show, "PHONE",
	    "one contact with groups, subscriptions and registrations" },
	{ "add", cli_contact_add, "PHONE [--name N] [--village V] [--lang "
	    "id|en] [--group G]...", "a new contact (groups are created as "
	    "needed)" },
	{ "set", cli_contact_set, "PHONE [--name N] [--village V] [--lang "
	    "id|en] [--group G]... [--opted-out yes|no]",
	    "change a contact; --group adds to a group" },
	{ "remove", cli_contact_remove, "PHONE",
	    "forget a contact, its groups and subscriptions" },
	{ "import", cli_csv_contact_import, "FILE.csv [--skip-bad]",
	    "add contacts, or change known ones, from CSV: phone, name,\n"
	    "      village, language, groups (separated by ; or |), opted_out" },
	{ "export", cli_csv_contact_export, "[FILE.csv] [--semicolon|--excel]",
	    "every contact as CSV that contact import reads back" },
	{ NULL, NULL, NULL, NULL }
};

/* kentongan contact VERB ...: the people kentongan knows. */
int
cli_contact(struct cli *c, int argc, char **argv)
{
	return cli_run_verbs(c, "contact", cli_contact_verbs, argc, argv);
}
