/*
 * kentongan reload: ask the running daemon to re-read its configuration
 * and default texts (what SIGHUP does), over the control socket, and say
 * whether the new configuration was taken.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "ctl_client.h"

#define CLI_RELOAD_WAIT_MS	10000

/* reload: no arguments. */
int
cli_reload(struct cli *c, int argc, char **argv)
{
	char answer[CTL_LINE_MAX];

	(void)argv;
	if (c == NULL || argc != 0) {
		fprintf(c == NULL ? stdout : stderr, "usage: kentongan -c FILE "
		    "reload\n  Asks the running kentongand to re-read its "
		    "configuration; a configuration with errors is not taken."
		    "\n");
		return c == NULL ? CLI_OK : CLI_USAGE;
	}
	if (ctl_client_ask(c->conf.database, "reload", answer, sizeof(answer),
	    CLI_RELOAD_WAIT_MS) == -1)
		return cli_no_daemon(c, errno, "");
	if (strcmp(answer, "ok") != 0)
		return cli_fail("not reloaded, the daemon keeps its "
		    "configuration: %s", strncmp(answer, "error ", 6) == 0 ?
		    answer + 6 : answer);
	printf("configuration reloaded\n");
	return CLI_OK;
}
