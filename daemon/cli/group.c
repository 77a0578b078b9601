/*
 * kentongan group ...: the groups people GABUNG and broadcasts target.
 * The rules live in group.c; this file parses, calls it and prints.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "contact.h"
#include "group.h"
#include "phone.h"
#include "store.h"

/*
 * Commit a change, with its audit row when it changed something (rc > 0),
 * or roll it back when it failed (rc < 0); return rc, or -1.
 */
static int
cli_group_done(struct cli *c, int rc, const char *audit, const char *name)
{
	if (rc < 0 || (rc > 0 && store_audit(c->store, "cli", audit,
	    name) == -1) || store_commit(c->store) == -1) {
		store_rollback(c->store);
		return rc == -2 ? -2 : -1;
	}
	return rc;
}

/* group create NAME [DESCRIPTION] */
static int
cli_group_create(struct cli *c, int argc, char **argv)
{
	int n;

	if (argc < 1 || argc > 2)
		return cli_bad_usage("usage: group create NAME [DESCRIPTION]");
	if (store_begin(c->store) == -1)
		return cli_fail("database busy");
	n = cli_group_done(c, group_create(c->store, argv[0], argc > 1 ?
	    argv[1] : ""), "group create", argv[0]);
	if (n == -2)
		return cli_bad_usage("group name is one word (letters, digits, "
		    "- and _)");
	if (n == -1)
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
	return cli_print_stmt(c, st, "GROUP\tMEMBERS\tDESCRIPTION",
	    "(no groups: kentongan group create PETANI)");
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
	if ((id = group_find(c->store, argv[0])) <= 0)
		return id < 0 ? cli_fail("%s", store_errmsg(c->store)) :
		    cli_not_found("no group %s", argv[0]);
	if ((st = store_stmt(c->store, sql)) == NULL)
		return cli_fail("%s", store_errmsg(c->store));
	sqlite3_bind_int64(st, 1, id);
	if (c->json) {
		if ((members = cli_print_rows(st)) == NULL)
			return cli_fail("%s", store_errmsg(c->store));
		return cli_print_json(c, json_pack("{s:s, s:o}", "name",
		    argv[0], "members", members));
	}
	snprintf(empty, sizeof(empty), "(no members yet: GABUNG %s)",
	    argv[0]);
	return cli_print_stmt(c, st, "PHONE\tNAME\tVILLAGE\tOPTED_OUT", empty);
}

/* Add (on) or remove phones from a group; the group must exist. */
static int
cli_group_members(struct cli *c, int argc, char **argv, int on)
{
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
	if ((gid = group_find(c->store, argv[0])) <= 0) {
		store_rollback(c->store);
		return gid < 0 ? cli_fail("%s", store_errmsg(c->store)) :
		    cli_not_found("no group %s (kentongan group create %s)",
		    argv[0], argv[0]);
	}
	for (i = 1; i < argc; i++) {
		phone_normalize(argv[i], c->conf.country_code, phone,
		    sizeof(phone));
		cid = on ? contact_ensure(c->store, phone) :
		    contact_find(c->store, phone);
		if (cid < 0 || (on && cid == 0))
			goto fail;
		if (cid == 0)
			continue;
		if ((rc = on ? group_join(c->store, gid, cid) :
		    group_leave(c->store, gid, cid)) < 0)
			goto fail;
		n += rc;
	}
	if (cli_group_done(c, 1, on ? "group add" : "group remove",
	    argv[0]) == -1)
		return cli_fail("cannot save: %s", store_errmsg(c->store));
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
	int n;

	if (argc != 1)
		return cli_bad_usage("usage: group delete NAME");
	if (store_begin(c->store) == -1)
		return cli_fail("database busy");
	if ((n = cli_group_done(c, group_delete(c->store, argv[0]),
	    "group delete", argv[0])) < 0)
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

