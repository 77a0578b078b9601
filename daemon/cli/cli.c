/*
 * The admin CLI's shared helpers: error reports with their exit codes and
 * the verb tables every noun file runs through.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ctl_client.h"
#include "phone.h"

/* Print "kentongan: MESSAGE" on stderr and return code. */
static int
cli_vreport(int code, const char *fmt, va_list ap)
{
	fprintf(stderr, "kentongan: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	return code;
}

/* Print an error and return the error exit code. */
int
cli_fail(const char *fmt, ...)
{
	va_list	ap;
	int	rc;

	va_start(ap, fmt);
	rc = cli_vreport(CLI_ERROR, fmt, ap);
	va_end(ap);
	return rc;
}

/* Print a usage error and return the bad-command-line exit code. */
int
cli_bad_usage(const char *fmt, ...)
{
	va_list	ap;
	int	rc;

	va_start(ap, fmt);
	rc = cli_vreport(CLI_USAGE, fmt, ap);
	va_end(ap);
	return rc;
}

/* Print that something does not exist and return the not-found code. */
int
cli_not_found(const char *fmt, ...)
{
	va_list	ap;
	int	rc;

	va_start(ap, fmt);
	rc = cli_vreport(CLI_NOTFOUND, fmt, ap);
	va_end(ap);
	return rc;
}

/*
 * Say why kentongand could not be reached on its control socket (err:
 * the errno), with a hint; return the code for "the daemon did not
 * answer".
 */
int
cli_no_daemon(struct cli *c, int err, const char *hint)
{
	char path[CONF_PATH_MAX + 8];

	if (ctl_client_path(c->conf.database, path, sizeof(path)) == -1)
		snprintf(path, sizeof(path), "%s%s", c->conf.database,
		    CTL_SUFFIX);
	if (err == EACCES || err == EPERM)
		fprintf(stderr, "kentongan: %s: %s; run this as kentongand's "
		    "user (or root)\n", path, strerror(err));
	else if (err == ETIMEDOUT)
		fprintf(stderr, "kentongan: kentongand did not answer on %s in "
		    "time\n", path);
	else
		fprintf(stderr, "kentongan: kentongand is not running on %s "
		    "(%s: %s)%s\n", c->conf.database, path, strerror(err),
		    hint);
	return CLI_TIMEOUT;
}

/* Print one verb's usage and help on f. */
static void
cli_verb_usage(FILE *f, const char *noun, const struct cli_verb *v)
{
	fprintf(f, "  kentongan -c FILE %s %s%s%s\n      %s\n", noun, v->name,
	    v->usage[0] != '\0' ? " " : "", v->usage, v->help);
}

/* Print the verbs of a noun (a bad command line). */
int
cli_usage(const char *noun, const struct cli_verb *verbs)
{
	fprintf(stderr, "usage:\n");
	for (; verbs->name != NULL; verbs++)
		cli_verb_usage(stderr, noun, verbs);
	fprintf(stderr, "  (--json prints lists and details as JSON)\n");
	return CLI_USAGE;
}

/* --help: print the verb asked about, else every verb, on stdout. */
static int
cli_help(const char *noun, const struct cli_verb *verbs, int argc,
    char **argv)
{
	const struct cli_verb *v;

	for (v = verbs; argc > 0 && v->name != NULL; v++)
		if (strcmp(v->name, argv[0]) == 0) {
			printf("usage:\n");
			cli_verb_usage(stdout, noun, v);
			return CLI_OK;
		}
	printf("usage:\n");
	for (v = verbs; v->name != NULL; v++)
		cli_verb_usage(stdout, noun, v);
	printf("  (--json prints lists and details as JSON)\n");
	return CLI_OK;
}

/* Find and run the verb in argv[0]; without a cli, print help. */
int
cli_run_verbs(struct cli *c, const char *noun, const struct cli_verb *verbs,
    int argc, char **argv)
{
	const struct cli_verb *v;

	if (c == NULL)
		return cli_help(noun, verbs, argc, argv);
	if (argc < 1)
		return cli_usage(noun, verbs);
	for (v = verbs; v->name != NULL; v++)
		if (strcmp(v->name, argv[0]) == 0)
			return v->fn(c, argc - 1, argv + 1);
	fprintf(stderr, "kentongan: %s: unknown verb \"%s\"\n", noun, argv[0]);
	return cli_usage(noun, verbs);
}

/* Normalise a phone argument into out; 0, or -1 after saying why. */
int
cli_phone_arg(struct cli *c, const char *in, char *out, size_t len)
{
	if (phone_normalize(in, c->conf.country_code, out, len) !=
	    PHONE_NUMBER) {
		cli_bad_usage("\"%s\" is not a phone number", in);
		return -1;
	}
	return 0;
}

/* Parse a whole positive id. */
int64_t
cli_id_arg(const char *s)
{
	char		*end;
	long long	 v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v <= 0)
		return -1;
	return v;
}
