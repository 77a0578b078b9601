/*
 * kentongan user ...: the web console's accounts.  Their rules (names,
 * roles, hashing, sessions) live in user.c; this file reads a password
 * without echo (or from stdin for scripts), calls it and prints.
 */
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"
#include "store.h"
#include "user.h"

/* Read one line into buf without its newline; -1 at end of file. */
static int
cli_user_line(FILE *f, char *buf, size_t len)
{
	size_t n;

	if (fgets(buf, (int)len, f) == NULL)
		return -1;
	n = strcspn(buf, "\r\n");
	if (buf[n] == '\0' && n + 1 == len)
		return -1;	/* longer than any password we take */
	buf[n] = '\0';
	return 0;
}

/* Ask for a password on the terminal with echo off; -1 when it cannot. */
static int
cli_user_prompt(const char *prompt, char *buf, size_t len)
{
	struct termios	 old, quiet;
	FILE		*tty;
	int		 rc;

	if ((tty = fopen("/dev/tty", "r+")) == NULL)
		return -1;
	fputs(prompt, tty);
	fflush(tty);
	if (tcgetattr(fileno(tty), &old) == -1) {
		fclose(tty);
		return -1;
	}
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
	rc = cli_user_line(tty, buf, len);
	tcsetattr(fileno(tty), TCSAFLUSH, &old);
	fputs("\n", tty);
	fclose(tty);
	return rc;
}

/* The new password: from stdin (one line), or asked twice on the tty. */
static int
cli_user_password(int from_stdin, char *pw, size_t len)
{
	char	again[USER_PASSWORD_MAX + 2], err[96];

	if (from_stdin) {
		if (cli_user_line(stdin, pw, len) == -1)
			return cli_bad_usage("no password on standard input");
	} else if (cli_user_prompt("Password: ", pw, len) == -1 ||
	    cli_user_prompt("Password again: ", again, sizeof(again)) == -1)
		return cli_bad_usage("cannot read a password from the terminal: "
		    "use --password-stdin");
	else if (strcmp(pw, again) != 0)
		return cli_bad_usage("the passwords differ");
	if (!user_password_ok(pw, err, sizeof(err)))
		return cli_bad_usage("%s", err);
	return CLI_OK;
}

/*
 * Run one change of the owner's in a transaction with its audit row; the
 * owner's answer (1 done, 0 no such user or name taken), or -1.
 */
static int
cli_user_change(struct cli *c, const char *action, const char *name,
    int (*change)(struct store *, const char *, void *), void *arg)
{
	int n;

	if (store_begin(c->store) == -1)
		return -1;
	if ((n = change(c->store, name, arg)) < 0 || (n > 0 &&
	    store_audit(c->store, "cli", action, name) == -1)) {
		store_rollback(c->store);
		return -1;
	}
	return store_commit(c->store) == -1 ? -1 : n;
}

/* What user add hands its change. */
struct cli_user_new {
	enum user_role	 role;
	const char	*password;
};

/* user_add as a change. */
static int
cli_user_add_change(struct store *s, const char *name, void *arg)
{
	struct cli_user_new *u = arg;

	return user_add(s, name, u->role, u->password);
}

/* user_passwd as a change. */
static int
cli_user_passwd_change(struct store *s, const char *name, void *arg)
{
	return user_passwd(s, name, arg);
}

/* user_remove as a change. */
static int
cli_user_remove_change(struct store *s, const char *name, void *arg)
{
	(void)arg;
	return user_remove(s, name);
}

/* Take --password-stdin off the end of the arguments; 1 when present. */
static int
cli_user_stdin_flag(int *argc, char **argv)
{
	if (*argc > 0 && strcmp(argv[*argc - 1], "--password-stdin") == 0) {
		(*argc)--;
		return 1;
	}
	return 0;
}

/* user add NAME --role ROLE [--password-stdin] */
static int
cli_user_add(struct cli *c, int argc, char **argv)
{
	struct cli_user_new	u;
	char			pw[USER_PASSWORD_MAX + 2];
	int			from_stdin, n, rc;

	from_stdin = cli_user_stdin_flag(&argc, argv);
	if (argc != 3 || strcmp(argv[1], "--role") != 0 ||
	    user_role_parse(argv[2], &u.role) == -1)
		return cli_bad_usage("usage: user add NAME --role "
		    "admin|operator|viewer [--password-stdin]");
	if (!user_name_ok(argv[0]))
		return cli_bad_usage("a user name is 1 to %d letters, digits, "
		    "'.', '-' or '_'", USER_NAME_MAX - 1);
	if ((rc = cli_user_password(from_stdin, pw, sizeof(pw))) != CLI_OK)
		return rc;
	u.password = pw;
	n = cli_user_change(c, "user add", argv[0], cli_user_add_change, &u);
	explicit_bzero(pw, sizeof(pw));
	if (n == -1)
		return cli_fail("cannot add: %s", store_errmsg(c->store));
	if (n == 0)
		return cli_fail("a user named %s exists already", argv[0]);
	printf("user %s added (%s)\n", argv[0], user_role_name(u.role));
	return CLI_OK;
}

/* user passwd NAME [--password-stdin] */
static int
cli_user_passwd(struct cli *c, int argc, char **argv)
{
	char	pw[USER_PASSWORD_MAX + 2];
	int	from_stdin, n, rc;

	from_stdin = cli_user_stdin_flag(&argc, argv);
	if (argc != 1)
		return cli_bad_usage("usage: user passwd NAME "
		    "[--password-stdin]");
	if ((rc = cli_user_password(from_stdin, pw, sizeof(pw))) != CLI_OK)
		return rc;
	n = cli_user_change(c, "user passwd", argv[0], cli_user_passwd_change,
	    pw);
	explicit_bzero(pw, sizeof(pw));
	if (n == -1)
		return cli_fail("cannot save: %s", store_errmsg(c->store));
	if (n == 0)
		return cli_not_found("no user %s", argv[0]);
	printf("password of %s changed; their sessions are closed\n", argv[0]);
	return CLI_OK;
}

/* user remove NAME */
static int
cli_user_remove(struct cli *c, int argc, char **argv)
{
	int n;

	if (argc != 1)
		return cli_bad_usage("usage: user remove NAME");
	if ((n = cli_user_change(c, "user remove", argv[0],
	    cli_user_remove_change, NULL)) == -1)
		return cli_fail("cannot remove: %s", store_errmsg(c->store));
	if (n == 0)
		return cli_not_found("no user %s", argv[0]);
	printf("user %s removed\n", argv[0]);
	return CLI_OK;
}

/* user list */
static int
cli_user_list(struct cli *c, int argc, char **argv)
{
	static const char sql[] = "SELECT u.name, u.role, (SELECT "
	    "datetime(max(s.last_seen), 'unixepoch', 'localtime') FROM "
	    "sessions s WHERE s.user_id = u.id) AS last_seen, "
	    "datetime(u.created_at, 'unixepoch', 'localtime') AS created "
	    "FROM users u ORDER BY u.name";
	sqlite3_stmt *st;

	(void)argv;
	if (argc != 0)
		return cli_bad_usage("usage: user list");
	if ((st = store_stmt(c->store, sql)) == NULL)
		return cli_fail("%s", store_errmsg(c->store));
	return cli_print_stmt(c, st, "NAME\tROLE\tLAST SEEN\tCREATED",
	    "(no users: kentongan user add NAME --role admin)");
}

static const struct cli_verb cli_user_verbs[] = {
	{ "add", cli_user_add, "NAME --role admin|operator|viewer "
	    "[--password-stdin]", "a console account; the password is asked "
	    "twice, or read from one line of stdin" },
	{ "list", cli_user_list, "", "every account, its role and last use" },
	{ "passwd", cli_user_passwd, "NAME [--password-stdin]",
	    "a new password; the user's sessions end" },
	{ "remove", cli_user_remove, "NAME", "delete an account and its "
	    "sessions" },
	{ NULL, NULL, NULL, NULL }
};

int
cli_user(struct cli *c, int argc, char **argv)
{
	return cli_run_verbs(c, "user", cli_user_verbs, argc, argv);
}
