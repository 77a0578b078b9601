/*
 * kentongan: the admin CLI.  `kentongan -c FILE NOUN VERB ...` works on the
 * daemon's database directly; SQLite's WAL mode and short IMMEDIATE
 * transactions make that safe while the daemon runs.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "log.h"
#include "store.h"

#define CLI_DEFAULT_CONF	"/etc/kentongan/kentongan.conf"

struct cli_noun {
	const char	*name;
	int		(*fn)(struct cli *, int, char **);
	const char	*help;
};

static const struct cli_noun cli_nouns[] = {
	{ "price",	cli_price,	"market prices: set, list, history, approve, reject" },
	{ "info",	cli_info,	"INFO pages: set, list, delete" },
	{ "event",	cli_event,	"trainings and events: create, list, show, close, export" },
	{ "group",	cli_group,	"groups people join: create, list, show" },
	{ "reporter",	cli_reporter,	"field reporters who may LAPOR: add, remove, list" },
	{ "contact",	cli_contact,	"everyone who texted: list, show" },
	{ "phone",	cli_phone,	"send a test SMS as a phone, print the reply" },
	{ "modems",	cli_modems,	"modem state and health" },
	{ "broadcast",	cli_broadcast,	"announcements: send, schedule, list, cancel" },
	{ "outbox",	cli_outbox,	"the send queue: list, retry, cancel" },
	{ NULL,		NULL,		NULL }
};

/* Print an error and return the error exit code. */
int
cli_fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "kentongan: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return CLI_ERROR;
}

/* Print the verbs of a noun. */
int
cli_usage(const char *noun, const struct cli_verb *verbs)
{
	fprintf(stderr, "usage:\n");
	for (; verbs->name != NULL; verbs++)
		fprintf(stderr, "  kentongan -c FILE %s %s %s\n      %s\n",
		    noun, verbs->name, verbs->usage, verbs->help);
	return CLI_USAGE;
}

/* Find and run the verb in argv[0]. */
int
cli_run_verbs(struct cli *c, const char *noun, const struct cli_verb *verbs,
    int argc, char **argv)
{
	const struct cli_verb *v;

	if (argc < 1 || !strcmp(argv[0], "--help") || !strcmp(argv[0], "-h"))
		return cli_usage(noun, verbs);
	for (v = verbs; v->name != NULL; v++)
		if (strcmp(v->name, argv[0]) == 0)
			return v->fn(c, argc - 1, argv + 1);
	fprintf(stderr, "kentongan: %s: unknown verb \"%s\"\n", noun, argv[0]);
	return cli_usage(noun, verbs);
}

static int
cli_main_usage(void)
{
	const struct cli_noun *n;

	fprintf(stderr, "usage: kentongan [-c FILE] NOUN VERB [ARGS]\n"
	    "  -c FILE  configuration (default $KENTONGAN_CONF or %s)\n\n",
	    CLI_DEFAULT_CONF);
	for (n = cli_nouns; n->name != NULL; n++)
		fprintf(stderr, "  %-8s %s\n", n->name, n->help);
	fprintf(stderr, "\n`kentongan NOUN --help` lists a noun's verbs.\n");
	return CLI_USAGE;
}

int
main(int argc, char *argv[])
{
	static struct cli	 c;
	const struct cli_noun	*n;
	const char		*path = getenv("KENTONGAN_CONF");
	char			 err[CONF_ERR_MAX];
	int			 ch, rc;

	log_init(1, 0, "kentongan");
	while ((ch = getopt(argc, argv, "+c:h")) != -1) {
		switch (ch) {
		case 'c': path = optarg; break;
		default: return cli_main_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1 || !strcmp(argv[0], "help") || !strcmp(argv[0], "--help"))
		return cli_main_usage();
	for (n = cli_nouns; n->name != NULL; n++)
		if (strcmp(n->name, argv[0]) == 0)
			break;
	if (n->name == NULL) {
		fprintf(stderr, "kentongan: unknown command \"%s\"\n", argv[0]);
		return cli_main_usage();
	}
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
		return n->fn(NULL, argc - 1, argv + 1);
	c.prog = argv[0];
	if (path == NULL)
		path = CLI_DEFAULT_CONF;
	if (conf_load(path, &c.conf, err, sizeof(err)) == -1)
		return cli_fail("%s", err);
	if (store_open(c.conf.database, &c.store, err, sizeof(err)) == -1)
		return cli_fail("%s", err);
	rc = n->fn(&c, argc - 1, argv + 1);
	store_close(c.store);
	return rc;
}
