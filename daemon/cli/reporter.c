/*
 * kentongan reporter ...: the field reporters who may LAPOR prices.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "contact.h"
#include "phone.h"
#include "store.h"

/* Mark or unmark a number as a field reporter (contact.c's rule). */
static int
cli_reporter_set(struct cli *c, int argc, char **argv, int on)
{
	char	phone[PHONE_MAX];
	int	rc;

	if (argc != 1)
		return cli_bad_usage("usage: reporter %s PHONE", on ? "add" :
		    "remove");
	if (cli_phone_arg(c, argv[0], phone, sizeof(phone)) == -1)
		return CLI_USAGE;
	if (store_begin(c->store) == -1)
		return cli_fail("database busy");
	if ((rc = contact_set_reporter(c->store, phone, on)) < 0 || (rc > 0 &&
	    store_audit(c->store, "cli", on ? "reporter add" :
	    "reporter remove", phone) == -1)) {
		store_rollback(c->store);
		return cli_fail("cannot save: %s", store_errmsg(c->store));
	}
	if (store_commit(c->store) == -1)
		return cli_fail("cannot save: %s", store_errmsg(c->store));
	if (rc == 0)
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
	return cli_print_stmt(c, st, "PHONE\tNAME\tVILLAGE",
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
