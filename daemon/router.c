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

#include "alias.h"
#include "conf.h"
#include "contact.h"
#include "lexicon.h"
#include "log.h"
#include "match.h"
#include "norm.h"
#include "phone.h"
#include "router.h"
#include "store.h"
#include "text.h"

#define ROUTER_SEGMENT		160	/* GSM-7 characters in one SMS */
#define ROUTER_VARS_MAX		16	/* placeholders in one reply */
#define ROUTER_TEXT_MAX		8192	/* bytes of a message that are matched */
#define ROUTER_LATE_TOKENS	8	/* a short message, where ... */
#define ROUTER_LATE_WORDS	3	/* ... a keyword may come this late */

struct router_command {
	const char	*name;
	int		(*fn)(struct router_ctx *);
};

static int	router_cmd_help(struct router_ctx *);
static int	router_first_word(struct store *, const struct router_tokens *);

/*
 * The steps around the keyword commands, also reached through a table:
 * an answer to an open poll comes before any keyword, and a bare
 * commodity is a price question when no keyword matched.
 */
static const struct router_steps {
	int	(*answer)(struct router_ctx *, int keyword);
	int	(*bare)(struct router_ctx *);
} router_steps = { cmd_poll_answer, cmd_price_bare };

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
	{ "ask",	cmd_ask },
	{ "answer",	cmd_answer },
	{ "help",	router_cmd_help },
	{ "custom",	cmd_keyword },
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
router_lookup(struct store *s, const char *word, char *lang, size_t langlen,
    char *canon, size_t canonlen)
{
	static const char sql_exact[] = "SELECT command, language FROM "
	    "keywords WHERE word = ?";
	static const char sql_all[] = "SELECT word FROM keywords";
	const struct router_command	*c;
	struct match_best		 mb;
	sqlite3_stmt			*st;
	const unsigned char		*t;
	enum alias_kind			 ak;
	char				 cmd[32] = "", w[ROUTER_TOKEN_MAX];
	char				 alias[ROUTER_TOKEN_MAX];

	snprintf(w, sizeof(w), "%s", word);
	/* A keyword alias (HRG) stands for its keyword (HARGA). */
	if (alias_word_kind(s, w, &ak, alias, sizeof(alias)) == 1 &&
	    ak == ALIAS_KEYWORD)
		snprintf(w, sizeof(w), "%s", alias);
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
	snprintf(canon, canonlen, "%s", w);
	for (c = router_commands; c->name != NULL; c++)
		if (strcmp(c->name, cmd) == 0)
			return c;
	return NULL;
}

/*
 * Copy text to out with the PIN of a SIAR/BC command (its first argument)
 * written ROUTER_PIN_MASK, so the inbox never keeps it; 1 when masked.
 * The command is looked for as the router finds it, in the normalised
 * text (a zero-width space or fullwidth letters still make SIAR there),
 * and a masked text is kept normalised.
 */
int
router_mask_secret(struct store *s, const char *raw, char *out, size_t len)
{
	static char			 text[ROUTER_TEXT_MAX];
	const struct router_command	*c;
	struct router_tokens		 tok;
	char				 lang[4], word[ROUTER_TOKEN_MAX];
	size_t				 off, end;
	int				 first;

	snprintf(out, len, "%s", raw);
	norm_text(raw, text, sizeof(text));
	router_tokenize(text, &tok);
	/* Where the router finds the keyword: after any fillers. */
	if ((first = router_first_word(s, &tok)) < 0 || tok.n < first + 2 ||
	    (c = router_lookup(s, tok.t[first].s, lang, sizeof(lang), word,
	    sizeof(word))) == NULL || c->fn != cmd_siar)
		return 0;
	off = end = tok.t[first + 1].off;
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

/*
 * Render a reply text in the reply language.  A reply with a {list} that
 * would run past one SMS segment drops the list's last items for ", ..."
 * until it fits: every SMS costs the programme money.
 */
void
router_reply(struct router_ctx *cx, const char *key, const char *const *vars)
{
	const char	*v[ROUTER_VARS_MAX * 2 + 1];
	char		 list[ROUTER_REPLY_MAX], *cut;
	int		 i, li = -1;

	for (i = 0; vars != NULL && vars[i] != NULL && i < ROUTER_VARS_MAX * 2;
	    i += 2) {
		v[i] = vars[i];
		v[i + 1] = vars[i + 1];
		if (strcmp(vars[i], "list") == 0)
			li = i + 1;
	}
	v[i] = NULL;
	if (li != -1) {
		snprintf(list, sizeof(list), "%s", v[li]);
		v[li] = list;
	}
	for (;;) {
		text_render(cx->store, cx->out->lang, key, vars == NULL ? NULL :
		    v, cx->out->text, sizeof(cx->out->text));
		if (li == -1 || strlen(cx->out->text) <= ROUTER_SEGMENT ||
		    (cut = strrchr(list, ',')) == NULL)
			break;
		if (strcmp(cut, ", ...") == 0) {
			*cut = '\0';
			if ((cut = strrchr(list, ',')) == NULL)
				break;
		}
		snprintf(cut, sizeof(list) - (size_t)(cut - list), ", ...");
	}
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

/* The first token that is not a filler ("brp harga", "pak, harga"). */
static int
router_first_word(struct store *s, const struct router_tokens *tok)
{
	int i, rc;

	for (i = 0; i < tok->n; i++)
		if ((rc = lexicon_filler(s, tok->t[i].s)) <= 0)
			return rc < 0 ? -1 : i;
	return tok->n;
}

/*
 * No keyword first.  A bare commodity ("cabai berapa?") is a price
 * question; in a short message a price or info keyword a little later
 * ("selamat siang, harga cabai") is taken; else the help reply.
 */
static int
router_unknown(struct router_ctx *cx)
{
	const struct router_command	*c;
	const struct router_tokens	*tok = cx->tok;
	char				 kwlang[4];
	int				 i, rc;

	if ((rc = router_steps.bare(cx)) <= 0)
		return rc;
	for (i = cx->arg0; tok->n <= ROUTER_LATE_TOKENS &&
	    i < cx->arg0 + ROUTER_LATE_WORDS && i < tok->n; i++) {
		if ((c = router_lookup(cx->store, tok->t[i].s, kwlang,
		    sizeof(kwlang), cx->keyword, sizeof(cx->keyword))) == NULL || (c->fn != cmd_price &&
		    c->fn != cmd_info) || alias_is_keyword(cx->store,
		    tok->t[i].s) != 1)
			continue;
		cx->arg0 = i + 1;
		snprintf(cx->out->command, sizeof(cx->out->command), "%s",
		    c->name);
		return c->fn(cx);
	}
	snprintf(cx->out->command, sizeof(cx->out->command), "unknown");
	router_reply(cx, "unknown", NULL);
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
	struct router_in		 nin;
	static char			 text[ROUTER_TEXT_MAX];
	char				 kwlang[4] = "", contact_lang[4];
	char				 keyword[ROUTER_TOKEN_MAX] = "";
	enum phone_kind			 kind;
	int64_t				 contact_id;
	int				 rc, first;

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
	norm_text(in->text, text, sizeof(text));
	nin = *in;
	nin.text = text;
	router_tokenize(text, &tok);
	if ((first = router_first_word(s, &tok)) < 0)
		return -1;
	c = NULL;
	if (first < tok.n)
		c = router_lookup(s, tok.t[first].s, kwlang, sizeof(kwlang),
		    keyword, sizeof(keyword));
	else if (strchr(text, '?') != NULL)
		c = router_lookup(s, "?", kwlang, sizeof(kwlang), keyword,
		    sizeof(keyword));

	/*
	 * The contact's choice wins, then the keyword's, then the default;
	 * but STOP is answered in the contact's language or the default.
	 */
	router_contact_lang(s, out->to, contact_lang, sizeof(contact_lang));
	snprintf(out->lang, sizeof(out->lang), "%s", contact_lang[0] ?
	    contact_lang : kwlang[0] && (c == NULL || c->fn !=
	    cmd_contact_stop) ? kwlang : conf->language);

	memset(&cx, 0, sizeof(cx));
	cx.store = s;
	cx.conf = conf;
	cx.in = &nin;
	cx.tok = &tok;
	cx.arg0 = first + 1;
	cx.contact_id = contact_id;
	cx.out = out;
	snprintf(cx.keyword, sizeof(cx.keyword), "%s", keyword);
	/* An answer to an open poll or survey question comes first. */
	if ((rc = router_steps.answer(&cx, c != NULL)) != 0)
		return rc < 0 ? -1 : 0;
	if ((rc = lexicon_is_ack(s, &tok)) != 0) {
		/* "terima kasih", "ok pak": kept, but an answer costs an SMS. */
		if (rc < 0)
			return -1;
		snprintf(out->command, sizeof(out->command), "thanks");
		snprintf(out->note, sizeof(out->note), "not answered: thanks");
		return 0;
	}
	if (c == NULL)
		return router_unknown(&cx);
	snprintf(out->command, sizeof(out->command), "%s", c->name);
	return c->fn(&cx);
}
