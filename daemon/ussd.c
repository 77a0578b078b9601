/*
 * The USSD menu engine.
 *
 * DESIGN: a menu is a tree of nodes in SQLite (ussd_nodes).  A session
 * (ussd_sessions) remembers the caller's path as the choices made from the
 * root ("3*1") and the screen last shown.  Each request adds one answer:
 * "0" goes back one level, "00" shows the next page of the screen, a
 * number picks a choice; anything else re-shows the screen under a short
 * error.  A screen is rendered from the path alone: static nodes list
 * their children, an action node asks its questions level by level from
 * the data (commodities, markets, topics, events, yes/no), then calls the
 * very cmd_* function an SMS would reach with the answers as its words, so
 * USSD and SMS answer alike.  Only that last step writes anything; lists
 * are pure, so going back re-renders safely.  Screens longer than one
 * USSD page (182 characters) are split, each page but the last ending in
 * a "more" entry.  A request repeated by the aggregator (same number of
 * answers) gets the same reply again without doing anything twice.  One
 * request is one transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "contact.h"
#include "log.h"
#include "phone.h"
#include "router.h"
#include "store.h"
#include "text.h"
#include "ussd.h"

#define USSD_SCREEN_MAX		2048
#define USSD_OPTS_MAX		40
#define USSD_VALUES_MAX		8
#define USSD_VALUE_MAX		64
#define USSD_LABEL_MAX		64
#define USSD_PATH_MAX		256
#define USSD_DEPTH_MAX		32

struct ussd_opt {
	char	value[USSD_VALUE_MAX];
	char	label[USSD_LABEL_MAX];
};

struct ussd_opts {
	char		prompt[320];
	int		n;
	struct ussd_opt	o[USSD_OPTS_MAX];
};

struct ussd_ctx {
	struct store		*store;
	const struct conf	*conf;
	char			 phone[24];
	char			 lang[4];
	int64_t			 contact_id;
	int			 nvalues;
	char			 values[USSD_VALUES_MAX][USSD_VALUE_MAX];
};

struct ussd_screen {
	int	end;
	char	text[USSD_SCREEN_MAX];
};

struct ussd_action {
	const char	*name;
	int		 levels;
	int		(*options)(struct ussd_ctx *, int level,
			    struct ussd_opts *);
	int		(*finish)(struct ussd_ctx *, struct ussd_screen *);
};

struct ussd_session {
	char	phone[24];
	char	lang[4];
	char	path[USSD_PATH_MAX];
	int	page;
	int	steps;
	int	screen_end;
	int	last_end;
	int	ended;
	int64_t	updated_at;
	char	screen[USSD_SCREEN_MAX];
	char	last_reply[USSD_REPLY_MAX];
};

/* Count the characters (code points) of a UTF-8 string. */
size_t
ussd_chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

/* Render a text in the context's language into buf. */
static void
ussd_text(struct ussd_ctx *x, const char *key, const char *const *vars,
    char *buf, size_t len)
{
	text_render(x->store, x->lang, key, vars, buf, len);
}

/* Append one option to a list, quietly ignoring any beyond the maximum. */
static void
ussd_opt_add(struct ussd_opts *o, const char *value, const char *label)
{
	if (o->n >= USSD_OPTS_MAX)
		return;
	snprintf(o->o[o->n].value, sizeof(o->o[o->n].value), "%s", value);
	snprintf(o->o[o->n].label, sizeof(o->o[o->n].label), "%s",
	    label[0] != '\0' ? label : value);
	o->n++;
}

/* Fill options from a statement of (value, label) rows; 0 or -1. */
static int
ussd_opts_query(sqlite3_stmt *st, struct ussd_opts *o)
{
	char	value[USSD_VALUE_MAX], label[USSD_LABEL_MAX];
	int	rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_copy_text(st, 0, value, sizeof(value));
		store_copy_text(st, 1, label, sizeof(label));
		ussd_opt_add(o, value, label);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Commodities that have a published price. */
static int
ussd_opts_commodities(struct ussd_ctx *x, struct ussd_opts *o)
{
	static const char sql[] = "SELECT c.name, c.display FROM commodities c "
	    "WHERE EXISTS (SELECT 1 FROM prices p WHERE p.commodity_id = c.id "
	    "AND p.status = 'published') ORDER BY c.name";
	sqlite3_stmt *st;

	ussd_text(x, "ussd.commodity", NULL, o->prompt, sizeof(o->prompt));
	if ((st = store_stmt(x->store, sql)) == NULL)
		return -1;
	return ussd_opts_query(st, o);
}

/* Markets with a published price of a commodity, then "all markets". */
static int
ussd_opts_markets(struct ussd_ctx *x, const char *commodity,
    struct ussd_opts *o)
{
	static const char sql[] = "SELECT DISTINCT m.name, m.display FROM "
	    "prices p JOIN markets m ON m.id = p.market_id JOIN commodities c "
	    "ON c.id = p.commodity_id WHERE c.name = ? AND p.status = "
	    "'published' ORDER BY m.name";
	sqlite3_stmt	*st;
	char		 all[USSD_LABEL_MAX];

	ussd_text(x, "ussd.market", NULL, o->prompt, sizeof(o->prompt));
	if ((st = store_stmt(x->store, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, commodity, -1, SQLITE_TRANSIENT);
	if (ussd_opts_query(st, o) == -1)
		return -1;
	if (o->n > 1) {
		ussd_text(x, "ussd.all_markets", NULL, all, sizeof(all));
		ussd_opt_add(o, "*", all);
	}
	return 0;
}

/* Yes / No under a prompt. */
static void
ussd_opts_confirm(struct ussd_ctx *x, struct ussd_opts *o)
{
	char	yes[USSD_LABEL_MAX], no[USSD_LABEL_MAX];

	ussd_text(x, "ussd.yes", NULL, yes, sizeof(yes));
	ussd_text(x, "ussd.no", NULL, no, sizeof(no));
	ussd_opt_add(o, "YES", yes);
	ussd_opt_add(o, "NO", no);
}

/*
 * Run an SMS command with words as its arguments, as if the caller had
 * texted "KEYWORD words", and make its reply the closing screen.
 */
static int
ussd_command(struct ussd_ctx *x, int (*fn)(struct router_ctx *),
    const char *words, struct ussd_screen *sc)
{
	struct router_tokens	tok;
	struct router_out	out;
	struct router_ctx	cx;
	struct router_in	in;
	char			text[256];

	snprintf(text, sizeof(text), "USSD %s", words);
	memset(&in, 0, sizeof(in));
	in.sender = x->phone;
	in.text = text;
	router_tokenize(text, &tok);
	memset(&out, 0, sizeof(out));
	snprintf(out.to, sizeof(out.to), "%s", x->phone);
	snprintf(out.lang, sizeof(out.lang), "%s", x->lang);
	snprintf(out.command, sizeof(out.command), "ussd");
	memset(&cx, 0, sizeof(cx));
	cx.store = x->store;
	cx.conf = x->conf;
	cx.in = &in;
	cx.tok = &tok;
	cx.arg0 = 1;
	cx.contact_id = x->contact_id;
	cx.out = &out;
	if (fn(&cx) == -1)
		return -1;
	/* BAHASA switches the language of the rest of the session. */
	snprintf(x->lang, sizeof(x->lang), "%s", out.lang);
	if (out.reply)
		snprintf(sc->text, sizeof(sc->text), "%s", out.text);
	else
		ussd_text(x, "ussd.error", NULL, sc->text, sizeof(sc->text));
	sc->end = 1;
	return 1;
}

/* The closing screen of a confirmation answered No. */
static int
ussd_cancelled(struct ussd_ctx *x, struct ussd_screen *sc)
{
	ussd_text(x, "ussd.cancelled", NULL, sc->text, sizeof(sc->text));
	sc->end = 1;
	return 1;
}

/* price: commodity, then market (or all markets). */
static int
ussd_price_options(struct ussd_ctx *x, int level, struct ussd_opts *o)
{
	return level == 0 ? ussd_opts_commodities(x, o) :
	    ussd_opts_markets(x, x->values[0], o);
}

/* price: the HARGA answer. */
static int
ussd_price_finish(struct ussd_ctx *x, struct ussd_screen *sc)
{
	char words[2 * USSD_VALUE_MAX + 2];

	if (strcmp(x->values[1], "*") == 0)
		snprintf(words, sizeof(words), "%s", x->values[0]);
	else
		snprintf(words, sizeof(words), "%s %s", x->values[0],
		    x->values[1]);
	return ussd_command(x, cmd_price, words, sc);
}

/* info: the topics. */
static int
ussd_info_options(struct ussd_ctx *x, int level, struct ussd_opts *o)
{
	static const char sql[] = "SELECT DISTINCT upper(topic), '' FROM "
	    "info_pages ORDER BY 1";
	sqlite3_stmt *st;

	(void)level;
	ussd_text(x, "ussd.topic", NULL, o->prompt, sizeof(o->prompt));
	if ((st = store_stmt(x->store, sql)) == NULL)
		return -1;
	return ussd_opts_query(st, o);
}

/* info: the INFO page. */
static int
ussd_info_finish(struct ussd_ctx *x, struct ussd_screen *sc)
{
	return ussd_command(x, cmd_info, x->values[0], sc);
}

/* event: the open events, then a confirmation showing the chosen one. */
static int
ussd_event_options(struct ussd_ctx *x, int level, struct ussd_opts *o)
{
	static const char sql_list[] = "SELECT code, title FROM events WHERE "
	    "status = 'open' AND (deadline IS NULL OR deadline = '' OR "
	    "deadline >= ?) ORDER BY COALESCE(event_date, ''), code";
	static const char sql_one[] = "SELECT code, title, "
	    "COALESCE(event_date, ''), place FROM events WHERE code = ?";
	sqlite3_stmt	*st;
	char		 today[16], code[32], title[96], date[16], place[64];
	int		 rc;

	if (level == 0) {
		ussd_text(x, "ussd.event", NULL, o->prompt, sizeof(o->prompt));
		if ((st = store_stmt(x->store, sql_list)) == NULL)
			return -1;
		store_today(today, sizeof(today));
		sqlite3_bind_text(st, 1, today, -1, SQLITE_TRANSIENT);
		return ussd_opts_query(st, o);
	}
	if ((st = store_stmt(x->store, sql_one)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, x->values[0], -1, SQLITE_TRANSIENT);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_copy_text(st, 0, code, sizeof(code));
		store_copy_text(st, 1, title, sizeof(title));
		store_copy_text(st, 2, date, sizeof(date));
		store_copy_text(st, 3, place, sizeof(place));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? 0 : -1;	/* no options: empty */
	ussd_text(x, "ussd.event_confirm", (const char *const[]){ "code",
	    code, "title", title, "date", date, "place", place, NULL },
	    o->prompt, sizeof(o->prompt));
	ussd_opts_confirm(x, o);
	return 0;
}

/* event: DAFTAR <code>, or nothing when not confirmed. */
static int
ussd_event_finish(struct ussd_ctx *x, struct ussd_screen *sc)
{
	if (strcmp(x->values[1], "YES") != 0)
		return ussd_cancelled(x, sc);
	return ussd_command(x, cmd_register, x->values[0], sc);
}

/* sub: the commodity to follow in every market. */
static int
ussd_sub_options(struct ussd_ctx *x, int level, struct ussd_opts *o)
{
	(void)level;
	return ussd_opts_commodities(x, o);
}

/* sub: LANGGANAN <commodity>. */
static int
ussd_sub_finish(struct ussd_ctx *x, struct ussd_screen *sc)
{
	return ussd_command(x, cmd_sub, x->values[0], sc);
}

/* stop: are you sure? */
static int
ussd_stop_options(struct ussd_ctx *x, int level, struct ussd_opts *o)
{
	(void)level;
	ussd_text(x, "ussd.stop_confirm", NULL, o->prompt, sizeof(o->prompt));
	ussd_opts_confirm(x, o);
	return 0;
}

/* stop: BERHENTI. */
static int
ussd_stop_finish(struct ussd_ctx *x, struct ussd_screen *sc)
{
	if (strcmp(x->values[0], "YES") != 0)
		return ussd_cancelled(x, sc);
	return ussd_command(x, cmd_contact_stop, "", sc);
}

/* lang: BAHASA with the node's argument, or the other language. */
static int
ussd_lang_finish(struct ussd_ctx *x, struct ussd_screen *sc)
{
	const char *to = x->nvalues > 0 ? x->values[0] :
	    strcmp(x->lang, "en") == 0 ? "ID" : "EN";

	return ussd_command(x, cmd_contact_lang, to, sc);
}

static const struct ussd_action ussd_actions[] = {
	{ "price",	2, ussd_price_options,	ussd_price_finish },
	{ "info",	1, ussd_info_options,	ussd_info_finish },
	{ "event",	2, ussd_event_options,	ussd_event_finish },
	{ "sub",	1, ussd_sub_options,	ussd_sub_finish },
	{ "stop",	1, ussd_stop_options,	ussd_stop_finish },
	{ "lang",	0, NULL,		ussd_lang_finish },
	{ NULL,		0, NULL,		NULL }
};

/* Tell whether name is an action the engine can run. */
int
ussd_action_known(const char *name)
{
	const struct ussd_action *a;

	for (a = ussd_actions; a->name != NULL; a++)
		if (strcmp(a->name, name) == 0)
			return 1;
	return 0;
}

/* Write a prompt and numbered options as a screen. */
static void
ussd_list(struct ussd_ctx *x, const char *prompt, const struct ussd_opts *o,
    struct ussd_screen *sc)
{
	char	line[USSD_LABEL_MAX + 8];
	int	i;

	snprintf(sc->text, sizeof(sc->text), "%s", prompt);
	if (o->n == 0) {
		text_append(sc->text, sizeof(sc->text), "\n");
		ussd_text(x, "ussd.empty", NULL, line, sizeof(line));
		text_append(sc->text, sizeof(sc->text), line);
	}
	for (i = 0; i < o->n; i++) {
		snprintf(line, sizeof(line), "%s%d. %s", sc->text[0] ? "\n" :
		    "", i + 1, o->o[i].label);
		text_append(sc->text, sizeof(sc->text), line);
	}
	sc->end = 0;
}

/*
 * Render an action node with its fixed args and the choices made in it.
 * Return 1 with the screen, 0 when a choice is out of range, -1 on error.
 */
static int
ussd_action_render(struct ussd_ctx *x, const char *name, const char *args,
    const int *sel, int nsel, struct ussd_screen *sc)
{
	const struct ussd_action	*a;
	struct ussd_opts		 o;
	char				 buf[USSD_VALUE_MAX * 2], *w, *save;
	int				 i = 0;

	for (a = ussd_actions; a->name != NULL; a++)
		if (strcmp(a->name, name) == 0)
			break;
	if (a->name == NULL) {
		log_warnx("ussd: menu has unknown action \"%s\"", name);
		ussd_text(x, "ussd.error", NULL, sc->text, sizeof(sc->text));
		sc->end = 1;
		return nsel == 0 ? 1 : 0;
	}
	x->nvalues = 0;
	snprintf(buf, sizeof(buf), "%s", args);
	for (w = strtok_r(buf, " ", &save); w != NULL && x->nvalues <
	    USSD_VALUES_MAX; w = strtok_r(NULL, " ", &save))
		snprintf(x->values[x->nvalues++], USSD_VALUE_MAX, "%s", w);
	while (x->nvalues < a->levels) {
		memset(&o, 0, sizeof(o));
		if (a->options(x, x->nvalues, &o) == -1)
			return -1;
		if (i == nsel) {
			ussd_list(x, o.prompt, &o, sc);
			return 1;
		}
		if (sel[i] < 1 || sel[i] > o.n)
			return 0;
		snprintf(x->values[x->nvalues++], USSD_VALUE_MAX, "%s",
		    o.o[sel[i] - 1].value);
		i++;
	}
	if (i != nsel)
		return 0;
	return a->finish(x, sc);
}

/* Split a path "3*1*2" into choices; how many. */
static int
ussd_path_split(const char *path, int *sel, int max)
{
	const char	*p = path;
	char		*end;
	int		 n = 0;

	while (*p != '\0' && n < max) {
		sel[n++] = (int)strtol(p, &end, 10);
		p = *end == '*' ? end + 1 : end;
		if (end == p && *p != '\0')
			break;
	}
	return n;
}

/*
 * Render the screen at a path from the root.  Return 1 with the screen,
 * 0 when the path leads nowhere, -1 on a database error.
 */
static int
ussd_render(struct ussd_ctx *x, const char *path, struct ussd_screen *sc)
{
	static const char sql_root[] = "SELECT id, kind, body_id, body_en, "
	    "action, args FROM ussd_nodes WHERE parent_id IS NULL ORDER BY "
	    "position LIMIT 1";
	static const char sql_child[] = "SELECT id, kind, body_id, body_en, "
	    "action, args FROM ussd_nodes WHERE parent_id = ? AND position = ?";
	static const char sql_kids[] = "SELECT position, label_id, label_en "
	    "FROM ussd_nodes WHERE parent_id = ? ORDER BY position";
	sqlite3_stmt	*st;
	int		 sel[USSD_DEPTH_MAX], nsel, i, rc, en;
	int64_t		 id;
	char		 kind[16], body[2][512], action[32], args[128];
	char		 label[2][USSD_LABEL_MAX], line[USSD_LABEL_MAX + 8];

	nsel = ussd_path_split(path, sel, USSD_DEPTH_MAX);
	en = strcmp(x->lang, "en") == 0;
	for (i = 0; ; i++) {
		st = store_stmt(x->store, i == 0 ? sql_root : sql_child);
		if (st == NULL)
			return -1;
		if (i > 0) {
			sqlite3_bind_int64(st, 1, id);
			sqlite3_bind_int(st, 2, sel[i - 1]);
		}
		if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			id = sqlite3_column_int64(st, 0);
			store_copy_text(st, 1, kind, sizeof(kind));
			store_copy_text(st, 2, body[0], sizeof(body[0]));
			store_copy_text(st, 3, body[1], sizeof(body[1]));
			store_copy_text(st, 4, action, sizeof(action));
			store_copy_text(st, 5, args, sizeof(args));
		}
		sqlite3_reset(st);
		if (rc != SQLITE_ROW) {
			if (rc != SQLITE_DONE)
				return -1;
			if (i > 0)
				return 0;
			ussd_text(x, "ussd.empty", NULL, sc->text,
			    sizeof(sc->text));
			sc->end = 1;
			return 1;
		}
		if (strcmp(kind, "action") == 0)
			return ussd_action_render(x, action, args, sel + i,
			    nsel - i, sc);
		if (i == nsel)
			break;
	}
	/* A static node: its body, then its children. */
	snprintf(sc->text, sizeof(sc->text), "%s", en && body[1][0] ?
	    body[1] : body[0]);
	sc->end = 1;
	if ((st = store_stmt(x->store, sql_kids)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_copy_text(st, 1, label[0], sizeof(label[0]));
		store_copy_text(st, 2, label[1], sizeof(label[1]));
		snprintf(line, sizeof(line), "%s%d. %s", sc->text[0] ? "\n" :
		    "", sqlite3_column_int(st, 0), en && label[1][0] ?
		    label[1] : label[0]);
		text_append(sc->text, sizeof(sc->text), line);
		sc->end = 0;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 1 : -1;
}

/* Find where a page should end: a newline, else a space, else anywhere. */
static size_t
ussd_cut(const char *p, size_t budget)
{
	size_t	i, chars = 0, nl = 0, sp = 0;

	for (i = 0; p[i] != '\0'; i++) {
		if (((unsigned char)p[i] & 0xC0) != 0x80) {
			if (chars == budget)
				break;
			chars++;
		}
		if (p[i] == '\n')
			nl = i;
		else if (p[i] == ' ')
			sp = i;
	}
	if (nl > 0)
		return nl;
	if (sp > 0)
		return sp;
	return i;
}

/*
 * Write page number page (0-based) of text into out.  Every page but the
 * last ends with the more entry, and with back under USSD_BACK_MID; the
 * last ends with back under USSD_BACK_LAST.  Return 1 when the page
 * exists, with *last telling whether it is the last one; 0 when not.
 */
int
ussd_page(const char *text, int page, int back, const char *more_label,
    const char *back_label, char *out, size_t outlen, int *last)
{
	const char	*p = text;
	char		 mid[128], tail[128];
	size_t		 cut, budget;
	int		 k;

	snprintf(mid, sizeof(mid), "%s%s%s", more_label, back & USSD_BACK_MID ?
	    "\n" : "", back & USSD_BACK_MID ? back_label : "");
	snprintf(tail, sizeof(tail), "%s", back & USSD_BACK_LAST ? back_label :
	    "");
	budget = USSD_PAGE_CHARS - 1 - ussd_chars(mid);
	for (k = 0; ; k++) {
		if (ussd_chars(p) + (tail[0] ? 1 + ussd_chars(tail) : 0) <=
		    USSD_PAGE_CHARS) {
			if (k != page)
				return 0;
			snprintf(out, outlen, "%s%s%s", p, tail[0] && p[0] ?
			    "\n" : "", tail);
			*last = 1;
			return 1;
		}
		cut = ussd_cut(p, budget);
		if (k == page) {
			snprintf(out, outlen, "%.*s\n%s", (int)cut, p, mid);
			*last = 0;
			return 1;
		}
		p += cut;
		if (*p == '\n' || *p == ' ')
			p++;
	}
}

/* Read a session; 1 found, 0 not, -1 on error. */
static int
ussd_session_load(struct store *s, const char *id, struct ussd_session *ss)
{
	static const char sql[] = "SELECT phone, language, path, page, steps, "
	    "screen, screen_end, last_reply, last_end, ended, updated_at FROM "
	    "ussd_sessions WHERE session_id = ?";
	sqlite3_stmt	*st;
	int		 rc;

	memset(ss, 0, sizeof(*ss));
	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_copy_text(st, 0, ss->phone, sizeof(ss->phone));
		store_copy_text(st, 1, ss->lang, sizeof(ss->lang));
		store_copy_text(st, 2, ss->path, sizeof(ss->path));
		ss->page = sqlite3_column_int(st, 3);
		ss->steps = sqlite3_column_int(st, 4);
		store_copy_text(st, 5, ss->screen, sizeof(ss->screen));
		ss->screen_end = sqlite3_column_int(st, 6);
		store_copy_text(st, 7, ss->last_reply, sizeof(ss->last_reply));
		ss->last_end = sqlite3_column_int(st, 8);
		ss->ended = sqlite3_column_int(st, 9);
		ss->updated_at = sqlite3_column_int64(st, 10);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* Write a session back (or create it). */
static int
ussd_session_save(struct store *s, const struct ussd_req *rq,
    const struct ussd_session *ss)
{
	static const char sql[] = "INSERT INTO ussd_sessions (session_id, "
	    "phone, service_code, language, path, page, steps, screen, "
	    "screen_end, last_reply, last_end, ended, created_at, updated_at) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
	    "?13) ON CONFLICT (session_id) DO UPDATE SET phone = ?2, "
	    "language = ?4, path = ?5, page = ?6, steps = ?7, screen = ?8, "
	    "screen_end = ?9, last_reply = ?10, last_end = ?11, ended = ?12, "
	    "updated_at = ?13";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, rq->session_id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, ss->phone, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, rq->service_code ? rq->service_code : "", -1,
	    SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, ss->lang, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, ss->path, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 6, ss->page);
	sqlite3_bind_int(st, 7, ss->steps);
	sqlite3_bind_text(st, 8, ss->screen, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 9, ss->screen_end);
	sqlite3_bind_text(st, 10, ss->last_reply, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 11, ss->last_end);
	sqlite3_bind_int(st, 12, ss->ended);
	sqlite3_bind_int64(st, 13, store_now());
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Forget sessions idle for longer than twice the timeout. */
static int
ussd_session_purge(struct store *s, int timeout)
{
	static const char sql[] = "DELETE FROM ussd_sessions WHERE "
	    "updated_at < ?";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, store_now() - 2 * (int64_t)timeout);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Where the back entry goes on the session's screen. */
static int
ussd_flags(const struct ussd_session *ss)
{
	if (ss->path[0] == '\0')
		return 0;
	return ss->screen_end ? USSD_BACK_MID : USSD_BACK_MID | USSD_BACK_LAST;
}

/* Page the session's screen into the reply, with an optional error. */
static void
ussd_show(struct ussd_ctx *x, struct ussd_session *ss, const char *error,
    struct ussd_reply *r)
{
	char	more[64], back[64], text[USSD_SCREEN_MAX + 128];
	int	last = 1, flags = ussd_flags(ss);

	ussd_text(x, "ussd.more", NULL, more, sizeof(more));
	ussd_text(x, "ussd.back", NULL, back, sizeof(back));
	snprintf(text, sizeof(text), "%s%s%s", error ? error : "",
	    error ? "\n" : "", ss->screen);
	if (ussd_page(text, ss->page, flags, more, back, r->text,
	    sizeof(r->text), &last) == 0)
		ussd_page(text, 0, flags, more, back, r->text,
		    sizeof(r->text), &last);
	r->end = ss->screen_end && last;
}

/* Move the session one answer on; 1 done, 0 invalid answer, -1 error. */
static int
ussd_advance(struct ussd_ctx *x, struct ussd_session *ss, const char *input)
{
	struct ussd_screen	 sc;
	char			 path[USSD_PATH_MAX], *star;
	char			 more[64], back[64], probe[USSD_REPLY_MAX];
	char			*end;
	long			 n;
	int			 rc, last;

	if (strcmp(input, "00") == 0) {
		ussd_text(x, "ussd.more", NULL, more, sizeof(more));
		ussd_text(x, "ussd.back", NULL, back, sizeof(back));
		if (!ussd_page(ss->screen, ss->page + 1, ussd_flags(ss), more,
		    back, probe, sizeof(probe), &last))
			return 0;
		ss->page++;
		return 1;
	}
	snprintf(path, sizeof(path), "%s", ss->path);
	if (strcmp(input, "0") == 0) {
		if ((star = strrchr(path, '*')) != NULL)
			*star = '\0';
		else
			path[0] = '\0';
	} else {
		n = strtol(input, &end, 10);
		if (input[0] < '1' || input[0] > '9' || *end != '\0' ||
		    n > 99 || strlen(path) + 4 >= sizeof(path))
			return 0;
		snprintf(path + strlen(path), sizeof(path) - strlen(path),
		    "%s%ld", path[0] ? "*" : "", n);
	}
	memset(&sc, 0, sizeof(sc));
	if ((rc = ussd_render(x, path, &sc)) != 1)
		return rc;
	snprintf(ss->path, sizeof(ss->path), "%s", path);
	snprintf(ss->screen, sizeof(ss->screen), "%s", sc.text);
	snprintf(ss->lang, sizeof(ss->lang), "%s", x->lang);
	ss->screen_end = sc.end;
	ss->page = 0;
	return 1;
}

/* Start a session at the root of the menu. */
static int
ussd_start(struct ussd_ctx *x, struct ussd_session *ss)
{
	struct ussd_screen sc;

	memset(ss, 0, sizeof(*ss));
	snprintf(ss->phone, sizeof(ss->phone), "%s", x->phone);
	if (contact_get_text(x->store, x->contact_id, "language", ss->lang,
	    sizeof(ss->lang)) == -1)
		return -1;
	if (ss->lang[0] == '\0')
		snprintf(ss->lang, sizeof(ss->lang), "%s", x->conf->language);
	snprintf(x->lang, sizeof(x->lang), "%s", ss->lang);
	memset(&sc, 0, sizeof(sc));
	if (ussd_render(x, "", &sc) != 1)
		return -1;
	snprintf(ss->screen, sizeof(ss->screen), "%s", sc.text);
	ss->screen_end = sc.end;
	return 0;
}

/* Serve one request inside the caller's transaction; 0 or -1. */
static int
ussd_serve(struct ussd_ctx *x, const struct ussd_req *rq,
    struct ussd_reply *r)
{
	struct ussd_session	 ss;
	const char		*input = rq->input ? rq->input : "";
	char			 err[64];
	int			 timeout, rc, found;

	timeout = x->conf->ussd.timeout > 0 ? x->conf->ussd.timeout :
	    USSD_TIMEOUT_DEFAULT;
	if ((found = ussd_session_load(x->store, rq->session_id, &ss)) == -1)
		return -1;
	if (found && (strcmp(ss.phone, x->phone) != 0 ||
	    ss.updated_at + timeout < store_now()))
		found = 0;			/* someone else's, or expired */
	if (rq->steps == 0 || (rq->steps < 0 && input[0] == '\0' && !found)) {
		if (ussd_session_purge(x->store, timeout) == -1 ||
		    (x->contact_id = contact_ensure(x->store, x->phone)) < 0 ||
		    ussd_start(x, &ss) == -1)
			return -1;
		ussd_show(x, &ss, NULL, r);
	} else if (!found || (ss.ended && ss.steps != rq->steps)) {
		snprintf(x->lang, sizeof(x->lang), "%s", found ? ss.lang :
		    x->conf->language);
		ussd_text(x, "ussd.expired", (const char *const[]){ "code",
		    rq->service_code ? rq->service_code : "", NULL }, r->text,
		    sizeof(r->text));
		r->end = 1;
		return 0;
	} else if (rq->steps > 0 && rq->steps == ss.steps) {
		/* The aggregator repeated a request: the same answer. */
		snprintf(r->text, sizeof(r->text), "%s", ss.last_reply);
		r->end = ss.last_end;
		return 0;
	} else {
		snprintf(x->lang, sizeof(x->lang), "%s", ss.lang);
		if ((x->contact_id = contact_ensure(x->store, x->phone)) < 0)
			return -1;
		if ((rc = ussd_advance(x, &ss, input)) == -1)
			return -1;
		if (rc == 0) {
			ussd_text(x, "ussd.invalid", NULL, err, sizeof(err));
			ss.page = 0;
			ussd_show(x, &ss, err, r);
		} else
			ussd_show(x, &ss, NULL, r);
	}
	ss.steps = rq->steps >= 0 ? rq->steps : ss.steps + 1;
	snprintf(ss.last_reply, sizeof(ss.last_reply), "%s", r->text);
	ss.last_end = r->end;
	ss.ended = r->end;
	return ussd_session_save(x->store, rq, &ss);
}

/*
 * Answer one aggregator request: a screen, and whether it ends the
 * session.  On any failure the reply still says something polite.
 */
int
ussd_handle(struct store *s, const struct conf *conf,
    const struct ussd_req *rq, struct ussd_reply *r)
{
	struct ussd_ctx	x;

	memset(r, 0, sizeof(*r));
	memset(&x, 0, sizeof(x));
	x.store = s;
	x.conf = conf;
	snprintf(x.lang, sizeof(x.lang), "%s", conf->language);
	if (rq->phone == NULL || phone_normalize(rq->phone, conf->country_code,
	    x.phone, sizeof(x.phone)) != PHONE_NUMBER) {
		ussd_text(&x, "ussd.error", NULL, r->text, sizeof(r->text));
		r->end = 1;
		return USSD_ERR_PHONE;
	}
	if (store_begin(s) == -1)
		goto fail;
	if (ussd_serve(&x, rq, r) == -1) {
		store_rollback(s);
		goto fail;
	}
	if (store_commit(s) == -1)
		goto fail;
	return USSD_OK;
fail:
	log_warnx("ussd: session %s: database error: %s", rq->session_id,
	    store_errmsg(s));
	memset(r, 0, sizeof(*r));
	ussd_text(&x, "ussd.error", NULL, r->text, sizeof(r->text));
	r->end = 1;
	return USSD_ERR_DB;
}
