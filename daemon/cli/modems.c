/*
 * kentongan modems: state and health of each modem, as the daemon saw it;
 * kentongan modem probe: what a device says right now (kentongand -P runs
 * modem/at_probe.c: the CLI links no modem code).
 */
#include <sys/wait.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "balance.h"
#include "cli.h"
#include "price.h"
#include "store.h"

/* Print a nullable integer column, or "-". */
static void
cli_modems_int(sqlite3_stmt *st, int col, const char *suffix)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		printf(" %6s", "-");
	else
		printf(" %5d%s", sqlite3_column_int(st, col), suffix);
}

/* Print the balance line: the amount read last, or the answer not read. */
static void
cli_modems_balance(struct cli *c, sqlite3_stmt *st, const char *name,
    time_t now)
{
	const struct conf_modem	*cm = conf_modem_find(&c->conf, name);
	char			 amt[32], low[32], answer[200], why[128];
	int64_t			 amount = sqlite3_column_int64(st, 14);

	store_copy_text(st, 16, answer, sizeof(answer));
	if (sqlite3_column_type(st, 14) != SQLITE_NULL) {
		price_format(amount, amt, sizeof(amt));
		printf("%10s balance Rp%s, read %llds ago", "", amt,
		    (long long)(now - sqlite3_column_int64(st, 15)));
		if (cm != NULL && cm->balance_low > 0 &&
		    amount < cm->balance_low) {
			price_format(cm->balance_low, low, sizeof(low));
			printf(" (LOW: under Rp%s)", low);
		}
		printf("\n");
	}
	/* Whether the last answer held the amount: by the pattern, as
	 * answer and amount may well be stored in the same second. */
	if (sqlite3_column_type(st, 17) != SQLITE_NULL &&
	    (sqlite3_column_type(st, 15) == SQLITE_NULL || cm == NULL ||
	    balance_match(cm->balance_pattern, answer, &amount, why,
	    sizeof(why)) != 1))
		printf("%10s balance answer not understood: %s\n", "", answer);
}

int
cli_modems(struct cli *c, int argc, char **argv)
{
	static const char sql[] = "SELECT name, state, signal, sim_used, "
	    "sim_total, received, sent, errors, operator, model, last_error, "
	    "updated_at, battery, network, balance_amount, balance_at, "
	    "balance AS balance_answer, balance_checked_at FROM modems "
	    "ORDER BY name";
	    /* named for --json */
	sqlite3_stmt	*st;
	char		 name[32], state[16], op[64], model[64], err[160];
	char		 net[64];
	int		 n = 0;
	time_t		 now = time(NULL);

	(void)argv;
	if (c == NULL || argc != 0) {
		fprintf(c == NULL ? stdout : stderr, "usage: kentongan -c FILE "
		    "modems [--json]\n  State, signal, SIM use, counters and "
		    "SIM balance of each modem.\n");
		return c == NULL ? CLI_OK : CLI_USAGE;
	}
	if ((st = store_stmt(c->store, sql)) == NULL)
		return cli_fail("cannot read modems");
	if (c->json)
		return cli_print_json(c, cli_print_rows(st));
	printf("%-10s %-9s %6s %6s %7s %8s %8s %6s  %s\n", "MODEM", "STATE",
	    "SIGNAL", "BATT", "SIM", "RECEIVED", "SENT", "ERRORS",
	    "OPERATOR / MODEL");
	while (sqlite3_step(st) == SQLITE_ROW) {
		store_copy_text(st, 0, name, sizeof(name));
		store_copy_text(st, 1, state, sizeof(state));
		store_copy_text(st, 8, op, sizeof(op));
		store_copy_text(st, 9, model, sizeof(model));
		store_copy_text(st, 10, err, sizeof(err));
		store_copy_text(st, 13, net, sizeof(net));
		printf("%-10s %-9s", name, state);
		cli_modems_int(st, 2, "%");
		cli_modems_int(st, 12, "%");
		if (sqlite3_column_type(st, 3) == SQLITE_NULL)
			printf(" %7s", "-");
		else
			printf(" %3d/%-3d", sqlite3_column_int(st, 3),
			    sqlite3_column_int(st, 4));
		printf(" %8d %8d %6d  %s%s%s\n", sqlite3_column_int(st, 5),
		    sqlite3_column_int(st, 6), sqlite3_column_int(st, 7), op,
		    op[0] && model[0] ? " / " : "", model);
		printf("%10s network %s, reported %llds ago\n", "",
		    net[0] != '\0' ? net : "-", (long long)(now -
		    sqlite3_column_int64(st, 11)));
		if (err[0] != '\0')
			printf("%10s last error: %s\n", "", err);
		cli_modems_balance(c, st, name, now);
		n++;
	}
	sqlite3_reset(st);
	if (n == 0)
		printf("(no modem has reported yet: is kentongand running?)\n");
	return CLI_OK;
}

/* One finding of the probe: "label: value", or a member of the JSON. */
static void
cli_modem_out(const char *label, const char *value, void *arg)
{
	json_t *o = arg;

	if (o != NULL)
		json_object_set_new(o, label, cli_print_text(value));
	else
		printf("%-13s %s\n", label, value);
}

/*
 * Find kentongand beside this program (build/, or bin/ and ../sbin/ when
 * installed), else on the PATH; the probe needs its modem code.
 */
static void
cli_modem_daemon(char *path, size_t len)
{
	char	self[PATH_MAX], *slash;
	ssize_t	n;

	snprintf(path, len, "kentongand");
	if ((n = readlink("/proc/self/exe", self, sizeof(self) - 1)) <= 0)
		return;
	self[n] = '\0';
	if ((slash = strrchr(self, '/')) == NULL)
		return;
	*slash = '\0';
	snprintf(path, len, "%s/kentongand", self);
	if (access(path, X_OK) == 0)
		return;
	snprintf(path, len, "%s/../sbin/kentongand", self);
	if (access(path, X_OK) != 0)
		snprintf(path, len, "kentongand");
}

/*
 * Run `kentongand -P DEVICE -C CONN` (the PIN in its environment, not on
 * a command line others can read) and print what it found; its status.
 */
static int
cli_modem_run_probe(struct cli *c, const char *dev, const char *conn,
    const char *pin)
{
	char	 daemon[PATH_MAX], line[512], *tab;
	json_t	*o = NULL;
	FILE	*f;
	int	 fd[2], status;
	pid_t	 pid;

	cli_modem_daemon(daemon, sizeof(daemon));
	if (c->json && (o = json_object()) == NULL)
		return cli_fail("out of memory");
	if (pipe(fd) == -1 || (pid = fork()) == -1)
		return cli_fail("cannot run %s: %s", daemon, strerror(errno));
	if (pid == 0) {
		dup2(fd[1], STDOUT_FILENO);
		close(fd[0]);
		close(fd[1]);
		setenv("KENTONGAN_PROBE_PIN", pin, 1);
		execlp(daemon, "kentongand", "-P", dev, "-C", conn,
		    (char *)NULL);
		fprintf(stderr, "kentongan: cannot run %s: %s\n", daemon,
		    strerror(errno));
		_exit(127);
	}
	close(fd[1]);
	if ((f = fdopen(fd[0], "r")) == NULL)
		return cli_fail("fdopen: %s", strerror(errno));
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if ((tab = strchr(line, '\t')) == NULL)
			continue;
		*tab = '\0';
		cli_modem_out(line, tab + 1, o);
	}
	fclose(f);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	status = WIFEXITED(status) ? WEXITSTATUS(status) : CLI_ERROR;
	if (o != NULL) {
		json_object_set_new(o, "ok", json_boolean(status == 0));
		cli_print_json(c, o);
	}
	return status == 0 ? CLI_OK : status == 2 ? CLI_USAGE : CLI_ERROR;
}

/*
 * modem probe DEVICE|MODEM [--connection C] [--pin PIN]: a configured
 * modem's name stands for its device, connection and PIN.
 */
static int
cli_modem_probe(struct cli *c, int argc, char **argv)
{
	const struct conf_modem	*cm;
	const char		*dev, *conn = "at", *pin = "";
	int			 i;

	if (argc < 1 || argc % 2 != 1)
		return cli_bad_usage("usage: modem probe DEVICE|MODEM "
		    "[--connection at|at19200...] [--pin PIN]");
	dev = argv[0];
	if ((cm = conf_modem_find(&c->conf, argv[0])) != NULL) {
		dev = cm->device;
		conn = cm->connection;
		pin = cm->pin;
	}
	for (i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--connection") == 0)
			conn = argv[i + 1];
		else if (strcmp(argv[i], "--pin") == 0)
			pin = argv[i + 1];
		else
			return cli_bad_usage("modem probe: unknown option %s",
			    argv[i]);
	}
	return cli_modem_run_probe(c, dev, conn, pin);
}

static const struct cli_verb cli_modem_verbs[] = {
	{ "probe", cli_modem_probe, "DEVICE|MODEM [--connection C] [--pin "
	    "PIN]", "run the AT start-up on a device (not in use by "
	    "kentongand) and print model, SIM state, signal, operator, SMSC "
	    "and storage" },
	{ NULL, NULL, NULL, NULL }
};

int
cli_modem(struct cli *c, int argc, char **argv)
{
	return cli_run_verbs(c, "modem", cli_modem_verbs, argc, argv);
}
