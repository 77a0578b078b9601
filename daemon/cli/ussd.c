/*
 * kentongan ussd ...: edit the USSD menu (menu list|show|add|set|delete),
 * dial a USSD code on a modem through the daemon (dial), check a SIM's
 * balance now (balance), and see the answers dialled so far (history).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wire.h"
#include "balance.h"
#include "cli.h"
#include "ctl_client.h"
#include "store.h"
#include "ussd_dial.h"
#include "ussd_menu.h"


/* The options of menu add and menu set; NULL when not given. */
struct cli_ussd_opts {
	const char	*label, *en, *body, *body_en, *action, *args;
	const char	*position;
	int		 is_static;
};

/* Read a node id or a position, 1..max; -1 when it is not one. */
static long
cli_ussd_number(const char *s, long max)
{
	char	*end;
	long	 v;

	if (s == NULL || s[0] < '0' || s[0] > '9')
		return -1;
	v = strtol(s, &end, 10);
	return *end != '\0' || v < 1 || v > max ? -1 : v;
}

/* Parse --en, --body, ... into o; the exit code on a bad option, else 0. */
static int
cli_ussd_parse(int argc, char **argv, struct cli_ussd_opts *o,
    const char **pos, int npos)
{
	int	i, n = 0;

	for (i = 0; i < argc; i++) {
		const char **dst = NULL;

		if (!strcmp(argv[i], "--label"))
			dst = &o->label;
		else if (!strcmp(argv[i], "--en"))
			dst = &o->en;
		else if (!strcmp(argv[i], "--body"))
			dst = &o->body;
		else if (!strcmp(argv[i], "--body-en"))
			dst = &o->body_en;
		else if (!strcmp(argv[i], "--action"))
			dst = &o->action;
		else if (!strcmp(argv[i], "--args"))
			dst = &o->args;
		else if (!strcmp(argv[i], "--position"))
			dst = &o->position;
		else if (!strcmp(argv[i], "--static")) {
			o->is_static = 1;
			continue;
		} else if (argv[i][0] == '-' && argv[i][1] == '-')
			return cli_bad_usage("unknown option %s", argv[i]);
		else if (n < npos) {
			pos[n++] = argv[i];
			continue;
		} else
			return cli_bad_usage("unexpected \"%s\"", argv[i]);
		if (i + 1 >= argc)
			return cli_bad_usage("%s needs a value", argv[i]);
		*dst = argv[++i];
	}
	if (n != npos)
		return cli_bad_usage("missing arguments (see --help)");
	if (o->position != NULL && cli_ussd_number(o->position, 99) < 0)
		return cli_bad_usage("--position: 1..99");
	return 0;
}

/* The node the options describe, for ussd_menu_add or ussd_menu_set. */
static struct ussd_menu_node
cli_ussd_node(const struct cli_ussd_opts *o)
{
	return (struct ussd_menu_node){ .label = o->label, .label_en = o->en,
	    .body = o->body, .body_en = o->body_en, .action = o->action,
	    .args = o->args, .is_static = o->is_static, .position =
	    o->position != NULL ? (int)cli_ussd_number(o->position, 99) : 0 };
}

/*
 * Commit a menu change with its audit line, or roll it back and say why
 * it failed (rc from ussd_menu_*: 0 is no such node); an exit code.
 */
static int
cli_ussd_done(struct cli *c, int64_t rc, const char *what,
    const char *detail, const char *why)
{
	if (rc > 0 && store_audit(c->store, "cli", what, detail) == 0 &&
	    store_commit(c->store) == 0)
		return CLI_OK;
	store_rollback(c->store);
	switch (rc) {
	case 0:
		return cli_not_found("no such node");
	case USSD_MENU_INVALID:
		return cli_bad_usage("%s", why);
	case USSD_MENU_TAKEN:
		return cli_fail("that position is taken under this parent");
	case USSD_MENU_NO_PARENT:
		return cli_not_found("no such parent node");
	default:
		return cli_fail("cannot write: %s", store_errmsg(c->store));
	}
}

/* menu list: the tree, with what a caller types to reach each node. */
static int
cli_ussd_menu_list(struct cli *c, int argc, char **argv)
{
	static const char sql[] = "WITH RECURSIVE t(id, path, depth, k) AS ("
	    "SELECT id, '', 0, printf('%02d', position) FROM ussd_nodes WHERE "
	    "parent_id IS NULL UNION ALL SELECT n.id, t.path || CASE WHEN "
	    "t.path = '' THEN '' ELSE '*' END || n.position, t.depth + 1, "
	    "t.k || '.' || printf('%02d', n.position) FROM ussd_nodes n JOIN t "
	    "ON n.parent_id = t.id WHERE t.depth < 16) SELECT n.id AS id, "
	    "CASE WHEN t.path = '' THEN '-' ELSE t.path END AS keys, n.kind "
	    "AS kind, n.label_id AS label, n.label_en AS label_en, n.action AS "
	    "action, n.args AS args FROM t JOIN ussd_nodes n ON n.id = t.id "
	    "ORDER BY t.k";
	sqlite3_stmt *st;

	(void)argv;
	if (argc != 0)
		return cli_bad_usage("ussd menu list takes no arguments");
	if ((st = store_stmt(c->store, sql)) == NULL)
		return cli_fail("cannot read the menu");
	return cli_print_stmt(c, st, "id\tkeys\tkind\tlabel\tlabel_en\taction\t"
	    "args", "(no menu: the default is loaded on the next start)");
}

/* menu show ID: every field of a node and its children. */
static int
cli_ussd_menu_show(struct cli *c, int argc, char **argv)
{
	static const char sql[] = "SELECT id, COALESCE(parent_id, '') AS "
	    "parent, position, kind, label_id, label_en, body_id, body_en, "
	    "action, args, (SELECT COUNT(*) FROM ussd_nodes k WHERE "
	    "k.parent_id = n.id) AS children FROM ussd_nodes n WHERE id = ?";
	static const char *const names[] = { "id", "parent", "position",
	    "kind", "label", "label_en", "body", "body_en", "action", "args",
	    "children" };
	sqlite3_stmt	*st;
	long		 id;
	int		 i, rc;

	if (argc != 1 || (id = cli_ussd_number(argv[0], 1L << 30)) < 0)
		return cli_bad_usage("usage: ussd menu show ID");
	if ((st = store_stmt(c->store, sql)) == NULL)
		return cli_fail("cannot read the menu");
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? cli_not_found("no node %ld", id) :
		    cli_fail("cannot read the menu");
	}
	if (c->json) {
		rc = cli_print_json(c, cli_print_row(st));
		sqlite3_reset(st);
		return rc;
	}
	for (i = 0; i < (int)(sizeof(names) / sizeof(names[0])); i++) {
		const unsigned char *t = sqlite3_column_text(st, i);

		printf("%-9s %s\n", names[i], t ? (const char *)t : "");
	}
	sqlite3_reset(st);
	return CLI_OK;
}

/* menu add PARENT POSITION LABEL [--en ...] [--action A [--args S]] */
static int
cli_ussd_menu_add(struct cli *c, int argc, char **argv)
{
	struct cli_ussd_opts	 o;
	struct ussd_menu_node	 n;
	const char		*pos[3];
	char			 why[96] = "";
	long			 parent, position;
	int64_t			 id;
	int			 rc;

	memset(&o, 0, sizeof(o));
	if ((rc = cli_ussd_parse(argc, argv, &o, pos, 3)) != 0)
		return rc;
	parent = strcmp(pos[0], "-") == 0 ? 0 : cli_ussd_number(pos[0],
	    1L << 30);
	if (parent < 0 || (position = cli_ussd_number(pos[1], 99)) < 0)
		return cli_bad_usage("usage: ussd menu add PARENT|- POSITION "
		    "LABEL (POSITION 1..99)");
	if (o.label != NULL || o.position != NULL || o.is_static)
		return cli_bad_usage("ussd menu add: the label is the third "
		    "argument; --label, --position and --static are for set");
	n = cli_ussd_node(&o);
	n.label = pos[2];
	n.position = (int)position;
	if (store_begin(c->store) == -1)
		return cli_fail("database busy");
	/* The node's id, taken before the audit row is inserted. */
	id = ussd_menu_add(c->store, parent, &n, why, sizeof(why));
	if ((rc = cli_ussd_done(c, id, "ussd menu add", pos[2], why)) !=
	    CLI_OK)
		return rc;
	printf("added node %lld\n", (long long)id);
	return CLI_OK;
}

/* menu set ID [--label L] [--en L] [--body T] ... [--position N] */
static int
cli_ussd_menu_set(struct cli *c, int argc, char **argv)
{
	struct cli_ussd_opts	 o;
	struct ussd_menu_node	 n;
	const char		*pos[1];
	char			 why[96] = "";
	long			 id;
	int			 rc;

	memset(&o, 0, sizeof(o));
	if ((rc = cli_ussd_parse(argc, argv, &o, pos, 1)) != 0)
		return rc;
	if ((id = cli_ussd_number(pos[0], 1L << 30)) < 0)
		return cli_bad_usage("usage: ussd menu set ID [options]");
	n = cli_ussd_node(&o);
	if (store_begin(c->store) == -1)
		return cli_fail("database busy");
	return cli_ussd_done(c, ussd_menu_set(c->store, id, &n, why,
	    sizeof(why)), "ussd menu set", pos[0], why);
}

/* menu delete ID: a node and everything under it. */
static int
cli_ussd_menu_delete(struct cli *c, int argc, char **argv)
{
	long id;

	if (argc != 1 || (id = cli_ussd_number(argv[0], 1L << 30)) < 0)
		return cli_bad_usage("usage: ussd menu delete ID");
	if (store_begin(c->store) == -1)
		return cli_fail("database busy");
	return cli_ussd_done(c, ussd_menu_delete(c->store, id),
	    "ussd menu delete", argv[0], "");
}

static const struct cli_verb cli_ussd_menu_verbs[] = {
	{ "list", cli_ussd_menu_list, "", "the menu tree and the keys that "
	    "reach each node" },
	{ "show", cli_ussd_menu_show, "ID", "one node" },
	{ "add", cli_ussd_menu_add, "PARENT|- POSITION LABEL [--en LABEL] "
	    "[--body TEXT] [--body-en TEXT] [--action NAME [--args WORDS]]",
	    "a node; actions: price, info, event, sub, stop, lang" },
	{ "set", cli_ussd_menu_set, "ID [--label L] [--en L] [--body T] "
	    "[--body-en T] [--action NAME|--static] [--args W] [--position N]",
	    "change a node" },
	{ "delete", cli_ussd_menu_delete, "ID", "a node and all under it" },
	{ NULL, NULL, NULL, NULL }
};

/* ussd menu VERB ... */
static int
cli_ussd_menu(struct cli *c, int argc, char **argv)
{
	return cli_run_verbs(c, "ussd menu", cli_ussd_menu_verbs, argc, argv);
}

/* Read a request's state, reply and error; 0 or -1. */
static int
cli_ussd_poll(struct cli *c, int64_t id, char *state, size_t slen,
    char *text, size_t tlen)
{
	static const char sql[] = "SELECT state, CASE state WHEN 'done' THEN "
	    "reply ELSE error END FROM ussd_requests WHERE id = ?";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(c->store, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_copy_text(st, 0, state, slen);
		store_copy_text(st, 1, text, tlen);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

/*
 * Tell the daemon about request id over the control socket and wait for
 * its word that the request is finished, at most wait seconds: 1 it is,
 * 0 timed out, -1 no daemon is listening.
 */
static int
cli_ussd_told(struct cli *c, int64_t id, long wait)
{
	char	line[64], answer[CTL_LINE_MAX];
	int	fd, rc;

	if ((fd = ctl_client_open(c->conf.database)) == -1)
		return -1;
	snprintf(line, sizeof(line), "ussd %lld", (long long)id);
	if (ctl_client_send(fd, line) == -1) {
		close(fd);
		return -1;
	}
	rc = ctl_client_read(fd, answer, sizeof(answer), (int)wait * 1000);
	close(fd);
	if (rc == 1 && strcmp(answer, "ok done") != 0) {
		fprintf(stderr, "kentongan: the daemon says: %s\n", answer);
		return -1;
	}
	return rc;
}

/*
 * Wait for request id until it is done or failed or wait seconds pass;
 * CLI_OK with the answer in text, else the exit code, reason printed.
 */
static int
cli_ussd_wait(struct cli *c, int64_t id, const char *modem, const char *code,
    long wait, char *text, size_t tlen)
{
	char	state[16] = "";
	int	told, e;

	told = cli_ussd_told(c, id, wait);
	e = errno;
	if (cli_ussd_poll(c, id, state, sizeof(state), text, tlen) == -1)
		return cli_fail("cannot read the request");
	if (!strcmp(state, "done"))
		return CLI_OK;
	if (!strcmp(state, "failed"))
		return cli_fail("%s %s: %s", modem, code, text);
	if (ussd_dial_abandon(c->store, id, told == -1 ? "kentongand is not "
	    "running" : "the daemon did not answer") == 1) {
		if (told == -1)
			return cli_no_daemon(c, e, "");
		fprintf(stderr, "kentongan: the daemon did not take the "
		    "request within %ld s\n", wait);
		return CLI_TIMEOUT;
	}
	fprintf(stderr, "kentongan: modem %s has not answered yet; see "
	    "`kentongan ussd history`\n", modem);
	return CLI_TIMEOUT;
}

/* Read --wait SECONDS from argv[at], if given; -1 when bad. */
static long
cli_ussd_wait_opt(int argc, char **argv, int at)
{
	if (argc == at)
		return USSD_DIAL_TIMEOUT + 15;
	if (argc == at + 2 && strcmp(argv[at], "--wait") == 0)
		return cli_ussd_number(argv[at + 1], 600);
	return -2;
}

/* dial MODEM CODE [--wait SECONDS]: ask the daemon, wait for the answer. */
static int
cli_ussd_dial(struct cli *c, int argc, char **argv)
{
	char		 text[WIRE_USSD_TEXT_MAX + 64];
	int64_t		 id;
	long		 wait;
	int		 rc;

	if (argc < 2 || (wait = cli_ussd_wait_opt(argc, argv, 2)) == -2)
		return cli_bad_usage("usage: ussd dial MODEM CODE [--wait "
		    "SECONDS]");
	if (wait < 0)
		return cli_bad_usage("--wait: 1..600 seconds");
	if (conf_modem_find(&c->conf, argv[0]) == NULL)
		return cli_not_found("no modem \"%s\" in %s", argv[0],
		    c->conf.path);
	if (argv[1][0] == '\0' || strlen(argv[1]) >= WIRE_USSD_CODE_MAX ||
	    strspn(argv[1], "0123456789*#+") != strlen(argv[1]))
		return cli_bad_usage("code: digits, * and #, e.g. *888#");
	if ((id = ussd_dial_queue(c->store, argv[0], argv[1], "cli")) == -1)
		return cli_fail("cannot queue the request: %s",
		    store_errmsg(c->store));
	rc = cli_ussd_wait(c, id, argv[0], argv[1], wait, text, sizeof(text));
	if (rc == CLI_OK)
		printf("%s\n", text);
	return rc;
}

/* The amount the daemon read from a balance request; 1, 0 none, -1. */
static int
cli_ussd_amount(struct cli *c, int64_t id, int64_t *amount)
{
	static const char sql[] = "SELECT amount FROM ussd_requests WHERE "
	    "id = ? AND amount IS NOT NULL";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(c->store, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*amount = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/*
 * balance MODEM [--wait SECONDS]: check the SIM balance now, the way the
 * daemon's timer does, and print the amount in rupiah.
 */
static int
cli_ussd_balance(struct cli *c, int argc, char **argv)
{
	const struct conf_modem	*cm;
	char			 text[WIRE_USSD_TEXT_MAX + 64];
	int64_t			 id, amount = 0;
	long			 wait;
	int			 rc;

	if (argc < 1 || (wait = cli_ussd_wait_opt(argc, argv, 1)) == -2)
		return cli_bad_usage("usage: ussd balance MODEM [--wait "
		    "SECONDS]");
	if (wait < 0)
		return cli_bad_usage("--wait: 1..600 seconds");
	if ((cm = conf_modem_find(&c->conf, argv[0])) == NULL)
		return cli_not_found("no modem \"%s\" in %s", argv[0],
		    c->conf.path);
	if (cm->balance_code[0] == '\0')
		return cli_not_found("modem %s has no balance_code in %s",
		    argv[0], c->conf.path);
	if ((id = balance_queue(c->store, cm->name, cm->balance_code)) < 0)
		return cli_fail("cannot queue the request: %s",
		    store_errmsg(c->store));
	if ((rc = cli_ussd_wait(c, id, cm->name, cm->balance_code, wait, text,
	    sizeof(text))) != CLI_OK)
		return rc;
	if ((rc = cli_ussd_amount(c, id, &amount)) == -1)
		return cli_fail("cannot read the request");
	if (rc == 0)
		return cli_fail("%s: the answer does not match "
		    "balance_pattern: %s", cm->name, text);
	if (c->json)
		return cli_print_json(c, json_pack("{s:s, s:I, s:s}", "modem",
		    cm->name, "amount", (json_int_t)amount, "answer", text));
	printf("%lld\n", (long long)amount);
	return CLI_OK;
}

/* history [MODEM]: the latest USSD requests and their answers. */
static int
cli_ussd_history(struct cli *c, int argc, char **argv)
{
	static const char sql[] = "SELECT id, datetime(created_at, "
	    "'unixepoch', 'localtime') AS at, modem, code, state, CASE state "
	    "WHEN 'done' THEN reply ELSE error END AS answer FROM "
	    "ussd_requests WHERE ?1 IS NULL OR modem = ?1 ORDER BY id DESC "
	    "LIMIT 20";
	sqlite3_stmt *st;

	if (argc > 1)
		return cli_bad_usage("usage: ussd history [MODEM]");
	if ((st = store_stmt(c->store, sql)) == NULL)
		return cli_fail("cannot read the requests");
	if (argc == 1)
		sqlite3_bind_text(st, 1, argv[0], -1, SQLITE_STATIC);
	return cli_print_stmt(c, st, "id\tat\tmodem\tcode\tstate\tanswer",
	    "(none)");
}

static const struct cli_verb cli_ussd_verbs[] = {
	{ "menu", cli_ussd_menu, "list|show|add|set|delete ...",
	    "the USSD menu served to aggregators (ussd menu --help)" },
	{ "dial", cli_ussd_dial, "MODEM CODE [--wait SECONDS]",
	    "dial a USSD code (e.g. *888#) on a modem; prints the answer" },
	{ "balance", cli_ussd_balance, "MODEM [--wait SECONDS]",
	    "check the SIM balance now with balance_code; prints rupiah" },
	{ "history", cli_ussd_history, "[MODEM]",
	    "the latest codes dialled and their answers" },
	{ NULL, NULL, NULL, NULL }
};

/* kentongan ussd VERB ... */
int
cli_ussd(struct cli *c, int argc, char **argv)
{
	if (c == NULL && argc > 0 && strcmp(argv[0], "menu") == 0)
		return cli_ussd_menu(NULL, argc - 1, argv + 1);
	return cli_run_verbs(c, "ussd", cli_ussd_verbs, argc, argv);
}
