/*
 * kentongan: the admin CLI.  `kentongan -c FILE NOUN VERB ...` works on the
 * daemon's database directly; SQLite's WAL mode and short IMMEDIATE
 * transactions make that safe while the daemon runs.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ctl_client.h"
#include "log.h"
#include "store.h"

#define CLI_DEFAULT_CONF	"/etc/kentongan/kentongan.conf"

struct cli_noun {
	const char	*name;
	int		(*fn)(struct cli *, int, char **);
	const char	*help;
};

static const struct cli_noun cli_nouns[] = {
	{ "status",	cli_status,	"modems, queues, messages today, errors at a glance" },
	{ "price",	cli_price,	"market prices: set, list, history, approve, reject, import, export" },
	{ "info",	cli_info,	"INFO pages: set, list, show, remove, import, export" },
	{ "event",	cli_event,	"trainings and events: create, list, show, close, set, export" },
	{ "group",	cli_group,	"groups people join: create, list, show, add, remove, delete" },
	{ "alias",	cli_alias,	"words farmers write: add, list, remove" },
	{ "keyword",	cli_keyword,	"custom keywords (auto-reply, join, ask): add, list, remove" },
	{ "reporter",	cli_reporter,	"field reporters who may LAPOR: add, remove, list" },
	{ "contact",	cli_contact,	"people: list, show, add, set, remove, import, export" },
	{ "phone",	cli_phone,	"send a test SMS as a phone, print the reply" },
	{ "modems",	cli_modems,	"modem state and health" },
	{ "modem",	cli_modem,	"probe a device: model, SIM, signal, operator, SMSC" },
	{ "broadcast",	cli_broadcast,	"announcements: send, schedule, remind, list, show, cancel" },
	{ "outbox",	cli_outbox,	"the send queue: list, show, retry, cancel" },
	{ "inbox",	cli_inbox,	"messages received: list, show" },
	{ "poll",	cli_poll,	"polls: create, send, results, export, close, list" },
	{ "survey",	cli_survey,	"surveys: create, question add, send, results, export, close" },
	{ "expert",	cli_expert,	"experts TANYA questions go to: add --topic, list, remove" },
	{ "question",	cli_question,	"TANYA tickets: list, answer, publish" },
	{ "user",	cli_user,	"web console accounts: add, list, passwd, remove" },
	{ "ussd",	cli_ussd,	"USSD: menu list/show/add/set/delete, dial, history" },
	{ "reload",	cli_reload,	"ask the running daemon to re-read its configuration" },
	{ NULL,		NULL,		NULL }
};

/* Print the nouns on f; exit 0 when asked for, 2 after a bad command. */
static int
cli_main_usage(FILE *f)
{
	const struct cli_noun *n;

	fprintf(f, "usage: kentongan [-c FILE] [--json] NOUN VERB [ARGS]\n"
	    "  -c FILE  configuration (default $KENTONGAN_CONF or %s)\n"
	    "  --json   print lists and details as JSON\n\n",
	    CLI_DEFAULT_CONF);
	for (n = cli_nouns; n->name != NULL; n++)
		fprintf(f, "  %-9s %s\n", n->name, n->help);
	fprintf(f, "\n`kentongan NOUN --help` lists a noun's verbs, "
	    "`kentongan NOUN VERB --help` one verb.\nExit status: 0 done, "
	    "1 failed, 2 bad command line, 3 not found, 4 the daemon did "
	    "not answer.\n");
	return f == stdout ? CLI_OK : CLI_USAGE;
}

/*
 * Take --json out of the arguments after the noun (it may go anywhere);
 * tell whether --help or -h is among them.  Return the new argc.
 */
static int
cli_options(struct cli *c, int argc, char **argv, int *help)
{
	int i, n = 1;

	*help = 0;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			c->json = 1;
			continue;
		}
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			*help = 1;
		argv[n++] = argv[i];
	}
	argv[n] = NULL;
	return n;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "json",	no_argument,	NULL,	'j' },
		{ "help",	no_argument,	NULL,	'h' },
		{ NULL,		0,		NULL,	0 }
	};
	static struct cli	 c;
	const struct cli_noun	*n;
	const char		*path = getenv("KENTONGAN_CONF");
	char			 err[CONF_ERR_MAX];
	int			 ch, rc, help, changes;

	log_init(1, 0, "kentongan");
	while ((ch = getopt_long(argc, argv, "+c:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': path = optarg; break;
		case 'j': c.json = 1; break;
		case 'h': return cli_main_usage(stdout);
		default: return cli_main_usage(stderr);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc >= 1 && !strcmp(argv[0], "help"))
		return cli_main_usage(stdout);
	if (argc < 1)
		return cli_main_usage(stderr);
	for (n = cli_nouns; n->name != NULL; n++)
		if (strcmp(n->name, argv[0]) == 0)
			break;
	if (n->name == NULL) {
		fprintf(stderr, "kentongan: unknown command \"%s\"\n", argv[0]);
		return cli_main_usage(stderr);
	}
	argc = cli_options(&c, argc, argv, &help);
	if (help)
		return n->fn(NULL, argc - 1, argv + 1);
	c.prog = argv[0];
	if (path == NULL)
		path = CLI_DEFAULT_CONF;
	if (conf_load(path, &c.conf, err, sizeof(err)) == -1)
		return cli_fail("%s", err);
	if (store_open(c.conf.database, &c.store, err, sizeof(err)) == -1)
		return cli_fail("%s", err);
	changes = sqlite3_total_changes(store_db(c.store));
	rc = n->fn(&c, argc - 1, argv + 1);
	/* Tell a running daemon what we committed, so it acts now instead
	 * of at its next sweep; without one, the sweep finds it later. */
	if (rc == CLI_OK && sqlite3_total_changes(store_db(c.store)) != changes)
		ctl_client_poke(c.conf.database);
	store_close(c.store);
	return rc;
}
