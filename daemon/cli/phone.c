/*
 * kentongan phone NUMBER TEXT: try a keyword as a farmer would.
 *
 * With a dummy phone configured, the message really goes through the
 * running daemon: the CLI asks it over the control socket to put the
 * message in the dummy phone's inbox (the CLI links no libgammu), the
 * daemon reads, commits and answers it, and the reply that was sent is
 * printed.  With
 * --dry-run (or no dummy phone) the router runs here, in a transaction
 * that is rolled back, so nothing is stored or sent.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "ctl_client.h"
#include "outbox.h"
#include "phone.h"
#include "router.h"
#include "store.h"
#include "text.h"

#define CLI_PHONE_WAIT_MS	20000
#define CLI_PHONE_STEP_MS	50

/* Sleep a little between looks at the database (the CLI has no loop). */
static void
cli_phone_nap(void)
{
	struct timespec ts = { 0, CLI_PHONE_STEP_MS * 1000000L };

	nanosleep(&ts, NULL);
}

/* Route the text here, print the reply, and undo every change. */
static int
cli_phone_dry(struct cli *c, const char *number, const char *text)
{
	struct router_in	in = { number, text, 0 };
	static struct router_out out;
	int			rc;

	if (store_begin(c->store) == -1)
		return cli_fail("database busy");
	rc = router_handle(c->store, &c->conf, &in, &out);
	store_rollback(c->store);
	if (rc == -1)
		return cli_fail("routing failed: %s", store_errmsg(c->store));
	if (!out.reply)
		printf("(no reply: %s)\n", out.note);
	else
		printf("%s\n", out.text);
	return CLI_OK;
}

/* Return the newest inbox id (to recognise our message when it lands). */
static int64_t
cli_phone_last_inbox(struct cli *c)
{
	static const char sql[] = "SELECT COALESCE(MAX(id), 0) FROM inbox";
	sqlite3_stmt	*st;
	int64_t		 id = -1;

	if ((st = store_stmt(c->store, sql)) == NULL)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return id;
}

/* Look for our message in the inbox; fill state and note when found. */
static int64_t
cli_phone_find_inbox(struct cli *c, int64_t after, const char *number,
    char *state, size_t slen, char *note, size_t nlen)
{
	static const char sql[] = "SELECT id, state, note FROM inbox WHERE "
	    "id > ? AND sender = ? ORDER BY id LIMIT 1";
	sqlite3_stmt	*st;
	int64_t		 id = 0;

	if ((st = store_stmt(c->store, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, after);
	sqlite3_bind_text(st, 2, number, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		store_copy_text(st, 1, state, slen);
		store_copy_text(st, 2, note, nlen);
	}
	sqlite3_reset(st);
	return id;
}

/* Look for the reply to inbox row id; return 1 once it left the outbox. */
static int
cli_phone_find_reply(struct cli *c, int64_t inbox_id, char *state,
    size_t slen, char *text, size_t tlen, char *modem, size_t mlen)
{
	static const char sql[] = "SELECT state, text, modem FROM outbox "
	    "WHERE inbox_id = ? ORDER BY id LIMIT 1";
	enum outbox_state st_now;
	sqlite3_stmt	*st;
	int		 done = 0;

	if ((st = store_stmt(c->store, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, inbox_id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		store_copy_text(st, 0, state, slen);
		store_copy_text(st, 1, text, tlen);
		store_copy_text(st, 2, modem, mlen);
		done = outbox_state_parse(state, &st_now) == 0 &&
		    st_now != OUTBOX_QUEUED && st_now != OUTBOX_SENDING;
	}
	sqlite3_reset(st);
	return done;
}

/*
 * Ask the daemon to put the message in the dummy phone's inbox; CLI_OK,
 * else the exit code with the reason printed (CLI_TIMEOUT: no daemon).
 */
static int
cli_phone_inject(struct cli *c, const struct conf_modem *m,
    const char *number, const char *text)
{
	char	line[CTL_LINE_MAX], answer[CTL_LINE_MAX];

	if ((size_t)snprintf(line, sizeof(line), "inject %s %s %s", m->name,
	    number, text) >= sizeof(line) || strchr(text, '\n') != NULL) {
		cli_fail("text too long or not one line");
		return CLI_ERROR;
	}
	if (ctl_client_ask(c->conf.database, line, answer, sizeof(answer),
	    CLI_PHONE_WAIT_MS) == -1)
		return cli_no_daemon(c, errno, "; start it (`make run`), or "
		    "use --dry-run");
	if (strcmp(answer, "ok") != 0)
		return cli_fail("the daemon refused: %s", answer);
	return CLI_OK;
}

/* Deliver through the dummy phone and wait for the daemon's reply. */
static int
cli_phone_live(struct cli *c, const struct conf_modem *m, const char *number,
    const char *text)
{
	static char	reply[ROUTER_REPLY_MAX * 2];
	char		state[16] = "", note[128] = "", modem[32];
	int64_t		last, id = 0;
	int		waited, done = 0;

	if ((last = cli_phone_last_inbox(c)) < 0)
		return cli_fail("cannot read the inbox");
	if ((waited = cli_phone_inject(c, m, number, text)) != CLI_OK)
		return waited;
	for (waited = 0; waited < CLI_PHONE_WAIT_MS;
	    waited += CLI_PHONE_STEP_MS) {
		if (id == 0 && (id = cli_phone_find_inbox(c, last, number,
		    state, sizeof(state), note, sizeof(note))) < 0)
			return cli_fail("cannot read the inbox");
		if (id > 0 && strcmp(state, "ignored") == 0) {
			printf("(no reply: %s)\n", note);
			return CLI_OK;
		}
		if (id > 0 && (done = cli_phone_find_reply(c, id, state,
		    sizeof(state), reply, sizeof(reply), modem,
		    sizeof(modem))) != 0)
			break;
		cli_phone_nap();
	}
	if (done == 1 && strcmp(state, "failed") != 0) {
		printf("%s\n", reply);
		return CLI_OK;
	}
	if (done == 1)
		return cli_fail("the reply could not be sent: %s", reply);
	fprintf(stderr, "kentongan: no reply within %d s. Is kentongand "
	    "running with %s? (start it with `make run`, or use --dry-run)\n",
	    CLI_PHONE_WAIT_MS / 1000, c->conf.path);
	return CLI_TIMEOUT;
}

/* phone [--dry-run] [--modem NAME] NUMBER TEXT... */
int
cli_phone(struct cli *c, int argc, char **argv)
{
	const struct conf_modem	*m = NULL;
	const char		*modem = NULL;
	char			 number[PHONE_MAX], text[ROUTER_REPLY_MAX];
	int			 i, dry = 0;

	for (i = 0; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
		if (!strcmp(argv[i], "--dry-run"))
			dry = 1;
		else if (!strcmp(argv[i], "--modem") && i + 1 < argc)
			modem = argv[++i];
		else
			break;
	}
	if (c == NULL || argc - i < 2) {
		fprintf(c == NULL ? stdout : stderr, "usage: kentongan -c FILE "
		    "phone [--dry-run] [--modem NAME] NUMBER TEXT...\n"
		    "  Sends TEXT as if NUMBER texted the gateway and prints "
		    "the reply.\n");
		return c == NULL ? CLI_OK : CLI_USAGE;
	}
	if (phone_normalize(argv[i], c->conf.country_code, number,
	    sizeof(number)) != PHONE_NUMBER)
		return cli_bad_usage("\"%s\" is not a phone number", argv[i]);
	text[0] = '\0';
	for (i++; i < argc; i++) {
		if (text[0] != '\0')
			text_append(text, sizeof(text), " ");
		text_append(text, sizeof(text), argv[i]);
	}
	if (modem != NULL && (m = conf_modem_find(&c->conf, modem)) == NULL)
		return cli_fail("no modem named %s in %s", modem, c->conf.path);
	for (i = 0; m == NULL && i < c->conf.nmodems; i++)
		if (conf_modem_is_dummy(&c->conf.modems[i]))
			m = &c->conf.modems[i];
	if (!dry && (m == NULL || !conf_modem_is_dummy(m))) {
		if (m != NULL)
			return cli_fail("modem %s is a real modem: text it from "
			    "a phone, or use --dry-run", m->name);
		dry = 1;
	}
	if (dry)
		return cli_phone_dry(c, number, text);
	return cli_phone_live(c, m, number, text);
}
