/*
 * The router turns one inbound text into at most one reply.
 *
 * DESIGN: the text is split into upper-cased tokens (spaces, #, *, commas
 * and dots separate words, but a dot or comma between digits stays, so
 * 45.000 is one token).  The first token is looked up in the keywords
 * table, which maps every keyword and alias to a command; a one-edit typo
 * is accepted when it is close to a single keyword only.  The command's
 * handler writes the reply through router_reply(), which renders a text
 * template in the sender's language.  Everything runs inside the caller's
 * transaction, so a reply is committed together with the work it reports.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "conf.h"
#include "contact.h"
#include "log.h"
#include "match.h"
#include "phone.h"
#include "router.h"
#include "store.h"
#include "text.h"

struct router_command {
	const char	*name;
	int		(*fn)(struct router_ctx *);
};

static int	router_cmd_help(struct router_ctx *);

static const struct router_command router_commands[] = {
	{ "price",	cmd_price },
	{ "siar",	cmd_siar },
	{ "sub",	cmd_sub },
	{ "unsub",	cmd_unsub },
	{ "info",	cmd_info },
	{ "register",	cmd_register },
	{ "cancel",	cmd_cancel },
	{ "join",	cmd_group_join },
	{ "leave",	cmd_group_leave },
	{ "stop",	cmd_contact_stop },
	{ "start",	cmd_contact_start },
	{ "lang",	cmd_contact_lang },
	{ "report",	cmd_report },
	{ "help",	router_cmd_help },
	{ NULL,		NULL }
};

/* Tell whether c separates words at position i of text. */
static int
router_is_sep(const char *text, size_t i)
{
	char c = text[i];

	if (c == '.' || c == ',')
		return !(i > 0 && isdigit((unsigned char)text[i - 1]) &&
		    isdigit((unsigned char)text[i + 1]));
	/* Control characters separate too: never echoed back in a reply. */
	return isspace((unsigned char)c) || iscntrl((unsigned char)c) ||
	    strchr("#*:;!\"'()[]{}<>|/", c) != NULL || (c == '?' && i > 0);
}

/* Split text into upper-cased tokens; long words are cut, extra ones dropped. */
void
router_tokenize(const char *text, struct router_tokens *tok)
{
	size_t	i = 0, j;

	tok->n = 0;
	while (text[i] != '\0' && tok->n < ROUTER_TOKENS_MAX) {
		while (text[i] != '\0' && router_is_sep(text, i))
			i++;
		if (text[i] == '\0')
			break;
		tok->t[tok->n].off = i;
		for (j = 0; text[i] != '\0' && !router_is_sep(text, i); i++)
			if (j + 1 < ROUTER_TOKEN_MAX)
				tok->t[tok->n].s[j++] =
				    (char)toupper((unsigned char)text[i]);
		/* A long word is cut between characters, never inside one. */
		j = text_utf8_fit(text + tok->t[tok->n].off, j);
		tok->t[tok->n].s[j] = '\0';
		tok->n++;
	}
}

/* Map a typed keyword to a command; set lang to the language it implies. */
static const struct router_command *
router_lookup(struct store *s, const char *word, char *lang, size_t langlen)
{
	static const char sql_exact[] = "SELECT command, language FROM "
	    "keywords WHERE word = ?";
	static const char sql_all[] = "SELECT word FROM keywords";
	const struct router_command	*c;
	struct match_best		 mb;
	sqlite3_stmt			*st;
	const unsigned char		*t;
	char				 cmd[32] = "", w[ROUTER_TOKEN_MAX];

	snprintf(w, sizeof(w), "%s", word);
	for (;;) {
		if ((st = store_stmt(s, sql_exact)) == NULL)
			return NULL;
		sqlite3_bind_text(st, 1, w, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(st) == SQLITE_ROW) {
			store_copy_text(st, 0, cmd, sizeof(cmd));
			store_copy_text(st, 1, lang, langlen);
		}
		sqlite3_reset(st);
		if (cmd[0] != '\0' || w[0] == '\0')
			break;
		/* Not exact: accept a single keyword one edit away. */
		if (strlen(w) < 3 || (st = store_stmt(s, sql_all)) == NULL)
			return NULL;
		match_best_init(&mb);
		while (sqlite3_step(st) == SQLITE_ROW)
			if ((t = sqlite3_column_text(st, 0)) != NULL)
				match_best_offer(&mb, w, (const char *)t, 1);
		sqlite3_reset(st);
		if (!match_best_unique(&mb, 1))
			return NULL;
		snprintf(w, sizeof(w), "%s", mb.name);
		if (mb.distance == 0)
			w[0] = '\0';	/* cannot happen; stops the loop */
	}
	for (c = router_commands; c->name != NULL; c++)
		if (strcmp(c->name, cmd) == 0)
			return c;
	return NULL;
}

/*
 * Copy text to out with the PIN of a SIAR/BC command (its first argument)
 * written ROUTER_PIN_MASK, so the inbox never keeps it; 1 when masked.
 */
int
router_mask_secret(struct store *s, const char *text, char *out, size_t len)
{
	const struct router_command	*c;
	struct router_tokens		 tok;
	char				 lang[4];
	size_t				 off, end;

	snprintf(out, len, "%s", text);
	router_tokenize(text, &tok);
	if (tok.n < 2 || (c = router_lookup(s, tok.t[0].s, lang,
	    sizeof(lang))) == NULL || c->fn != cmd_siar)
		return 0;
	off = end = tok.t[1].off;
	while (text[end] != '\0' && !router_is_sep(text, end))
		end++;
	snprintf(out, len, "%.*s%s%s", (int)off, text, ROUTER_PIN_MASK,
	    text + end);
	return 1;
}

/* Read the language a contact chose, "" when none. */
static void
router_contact_lang(struct store *s, const char *phone, char *lang,
    size_t len)
{
	static const char sql[] = "SELECT language FROM contacts WHERE "
	    "phone = ?";
	sqlite3_stmt *st;

	lang[0] = '\0';
	if ((st = store_stmt(s, sql)) == NULL)
		return;
	sqlite3_bind_text(st, 1, phone, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW)
		store_copy_text(st, 0, lang, len);
	sqlite3_reset(st);
}

/* Render a reply text in the reply language. */
void
router_reply(struct router_ctx *cx, const char *key, const char *const *vars)
{
	text_render(cx->store, cx->out->lang, key, vars, cx->out->text,
	    sizeof(cx->out->text));
	cx->out->reply = 1;
}

/* BANTUAN / HELP / ?: the short help text. */
static int
router_cmd_help(struct router_ctx *cx)
{
	router_reply(cx, "help", NULL);
	return 0;
}

/*
 * The loop guard: another auto-responder must not drain the SIM.  Return
 * 1 (with a note) when this sender had reply_limit replies within
 * reply_window seconds, or sent this very text more than repeat_limit
 * times in that window; 0 to answer; -1 on a database error.
 */
static int
router_guard(struct store *s, const struct conf *conf,
    const struct router_in *in, struct router_out *out)
{
	static const char sql_replies[] = "SELECT COUNT(*) FROM outbox "
	    "WHERE recipient = ? AND priority = 0 AND inbox_id IS NOT NULL "
	    "AND created_at > ?";
	static const char sql_repeats[] = "SELECT COUNT(*) FROM inbox WHERE "
	    "sender = ? AND text = ? AND received_at > ? AND id <> ?";
	sqlite3_stmt	*st;
	int64_t		 since = store_now() - conf->reply_window;
	int		 n = -1;

	if (conf->reply_limit > 0) {
		if ((st = store_stmt(s, sql_replies)) == NULL)
			return -1;
		sqlite3_bind_text(st, 1, out->to, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, since);
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int(st, 0);
		sqlite3_reset(st);
		if (n < 0)
			return -1;
		if (n >= conf->reply_limit) {
			snprintf(out->note, sizeof(out->note), "not answered: "
			    "%d replies in %d s", n, conf->reply_window);
			return 1;
		}
	}
	if (conf->repeat_limit > 0 && in->inbox_id > 0) {
		n = -1;
		if ((st = store_stmt(s, sql_repeats)) == NULL)
			return -1;
		sqlite3_bind_text(st, 1, in->sender, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, in->text, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, since);
		sqlite3_bind_int64(st, 4, in->inbox_id);
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int(st, 0);
		sqlite3_reset(st);
		if (n < 0)
			return -1;
		if (n >= conf->repeat_limit) {
			snprintf(out->note, sizeof(out->note), "not answered: "
			    "same text %d times in %d s", n + 1,
			    conf->reply_window);
			return 1;
		}
	}
	return 0;
}

/*
 * Handle one message.  Return 0 when it was understood or answered with
 * help, -1 on a database error (the caller rolls back and retries later).
 */
int
router_handle(struct store *s, const struct conf *conf,
    const struct router_in *in, struct router_out *out)
{
	const struct router_command	*c;
	struct router_tokens		 tok;
	struct router_ctx		 cx;
	char				 kwlang[4] = "", contact_lang[4];
	enum phone_kind			 kind;
	int64_t				 contact_id;
	int				 rc;

	memset(out, 0, sizeof(*out));
	kind = phone_normalize(in->sender, conf->country_code, out->to,
	    sizeof(out->to));
	if (kind != PHONE_NUMBER) {
		/* Never answer short codes or names: they are machines. */
		snprintf(out->note, sizeof(out->note), "not answered: sender "
		    "is not a phone number");
		return 0;
	}
	if ((rc = router_guard(s, conf, in, out)) != 0)
		return rc < 0 ? -1 : 0;
	if ((contact_id = contact_ensure(s, out->to)) < 0)
		return -1;
	router_tokenize(in->text, &tok);
	c = NULL;
	if (tok.n > 0)
		c = router_lookup(s, tok.t[0].s, kwlang, sizeof(kwlang));
	else if (strchr(in->text, '?') != NULL)
		c = router_lookup(s, "?", kwlang, sizeof(kwlang));

	/* The contact's choice wins, then the keyword's, then the default. */
	router_contact_lang(s, out->to, contact_lang, sizeof(contact_lang));
	snprintf(out->lang, sizeof(out->lang), "%s", contact_lang[0] ?
	    contact_lang : kwlang[0] ? kwlang : conf->language);

	memset(&cx, 0, sizeof(cx));
	cx.store = s;
	cx.conf = conf;
	cx.in = in;
	cx.tok = &tok;
	cx.arg0 = 1;
	cx.contact_id = contact_id;
	cx.out = out;
	if (c == NULL) {
		snprintf(out->command, sizeof(out->command), "unknown");
		router_reply(&cx, "unknown", NULL);
		return 0;
	}
	snprintf(out->command, sizeof(out->command), "%s", c->name);
	return c->fn(&cx);
}
