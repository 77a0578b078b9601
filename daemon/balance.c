/*
 * SIM balance checks.  A modem with balance_code dials it every
 * balance_interval seconds; balance_pattern (a POSIX extended regex, case
 * ignored) finds the amount in the answer, which is kept in the modems
 * table for `kentongan modems`, `status` and /metrics.  Under balance_low
 * the daemon warns in its log and, with balance_alert_admins, texts each
 * admin at most once a day per modem.
 *
 * DESIGN: a check is an ordinary row in ussd_requests (source 'balance'),
 * so it takes the very path of `kentongan ussd dial` and ussd_dial.c
 * serialises it with any dial on the same modem.  Each modem has one
 * evtimer, armed when the modem comes up: BALANCE_FIRST_DELAY seconds
 * later, or when the interval since the last answer runs out if that is
 * later, so a restart does not dial again.  ussd_dial.c hands a balance
 * answer to balance_record() before it marks the request done.
 */
#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <event2/event.h>

#include "balance.h"
#include "conf.h"
#include "log.h"
#include "modems.h"
#include "outbox.h"
#include "price.h"
#include "store.h"
#include "text.h"
#include "ussd_dial.h"

#define BALANCE_NUMBER_MAX	64	/* characters of an amount as written */

struct balance_modem {
	char		 name[CONF_NAME_MAX];
	int		 up;
	struct event	*ev;
};

static struct {
	struct event_base	*base;
	struct store		*store;
	const struct conf	*conf;
	int			 n;
	struct balance_modem	 m[CONF_MODEMS_MAX];
} balance;

/* Copy an amount as written, without "Rp", spaces and trailing marks. */
static int
balance_trim(const char *s, char *buf, size_t len)
{
	size_t n;

	while (isspace((unsigned char)*s))
		s++;
	if (strncasecmp(s, "rp", 2) == 0) {
		s += 2;
		while (isspace((unsigned char)*s) || *s == '.')
			s++;
	}
	if ((n = strlen(s)) >= len)
		return -1;
	memcpy(buf, s, n + 1);
	while (n > 0 && strchr(".,- ", buf[n - 1]) != NULL)
		buf[--n] = '\0';
	return n == 0 ? -1 : 0;
}

/*
 * Where the whole rupiah end: at a decimal mark (the last separator when
 * both kinds occur, or a lone one followed by one or two digits), else at
 * the end; -1 when the separators make no sense.
 */
static int
balance_int_len(const char *t)
{
	const char	*last = strrchr(t, '.'), *comma = strrchr(t, ',');
	const char	*p;
	size_t		 k;
	int		 count = 0;

	if (comma != NULL && (last == NULL || comma > last))
		last = comma;
	if (last == NULL)
		return (int)strlen(t);
	k = strlen(last + 1);
	if (strchr(t, *last == '.' ? ',' : '.') == NULL && k == 3)
		return (int)strlen(t);		/* 12.500: thousands */
	for (p = t; *p != '\0'; p++)
		count += *p == *last;
	if (count != 1 || k < 1 || k > 2)
		return -1;
	return (int)(last - t);
}

/*
 * Parse an amount as networks write it: 12500, 12.500, 12,500, 12.500,00,
 * 12,500.00, Rp12.345,- (cents dropped).  Thousands come in groups of
 * three.  Return 0 with the whole rupiah, or -1.
 */
int
balance_parse_amount(const char *s, int64_t *out)
{
	char	 t[BALANCE_NUMBER_MAX];
	int64_t	 v = 0;
	int	 i, n, group = 0, groups = 0, sep = 0;

	if (balance_trim(s, t, sizeof(t)) == -1 ||
	    !isdigit((unsigned char)t[0]))
		return -1;
	if (strspn(t, "0123456789.,") != strlen(t) ||
	    (n = balance_int_len(t)) <= 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (isdigit((unsigned char)t[i])) {
			v = v * 10 + (t[i] - '0');
			if (v > BALANCE_AMOUNT_MAX)
				return -1;
			group++;
			continue;
		}
		if ((sep != 0 && t[i] != sep) ||
		    (groups == 0 ? group > 3 : group != 3))
			return -1;
		sep = t[i];
		groups++;
		group = 0;
	}
	if (group == 0 || (groups > 0 && group != 3))
		return -1;
	*out = v;
	return 0;
}

/*
 * Find the amount in an answer: the first group of the pattern, parsed.
 * Return 1 with the amount, 0 with why not in why, -1 on a bad pattern.
 */
int
balance_match(const char *pattern, const char *text, int64_t *amount,
    char *why, size_t whylen)
{
	regex_t		 re;
	regmatch_t	 rm[2];
	char		 num[BALANCE_NUMBER_MAX];
	int		 rc;
	size_t		 n;

	if (regcomp(&re, pattern, REG_EXTENDED | REG_ICASE) != 0) {
		snprintf(why, whylen, "balance_pattern does not compile");
		return -1;
	}
	rc = regexec(&re, text, 2, rm, 0);
	regfree(&re);
	if (rc != 0 || rm[1].rm_so < 0) {
		snprintf(why, whylen, "the answer does not match "
		    "balance_pattern");
		return 0;
	}
	n = (size_t)(rm[1].rm_eo - rm[1].rm_so);
	if (n >= sizeof(num))
		n = sizeof(num) - 1;
	memcpy(num, text + rm[1].rm_so, n);
	num[n] = '\0';
	if (balance_parse_amount(num, amount) == -1) {
		snprintf(why, whylen, "\"%s\" is not an amount", num);
		return 0;
	}
	return 1;
}

/* Text each admin that a modem's balance is low, once a day; the count. */
static int
balance_alert(struct store *s, const struct conf *conf,
    const struct conf_modem *cm, int64_t amount)
{
	char	today[16], amt[32], low[32], text[320];
	int	i, rc;

	store_today(today, sizeof(today));
	if ((rc = modems_balance_alert_day(s, cm->name, today)) <= 0)
		return rc;			/* told them today already */
	price_format(amount, amt, sizeof(amt));
	price_format(cm->balance_low, low, sizeof(low));
	text_render(s, conf->language, "balance.low", (const char *const[]){
	    "modem", cm->name, "amount", amt, "low", low, NULL }, text,
	    sizeof(text));
	for (i = 0; i < conf->nadmins; i++)
		if (outbox_enqueue(s, conf->admins[i].phone, text,
		    OUTBOX_PRIO_ALERT, 0, 0) < 0)
			return -1;
	return conf->nadmins;
}

/* Keep the answer, and the amount when there is one, beside the modem. */
static int
balance_store(struct store *s, const char *modem, int64_t request_id,
    const char *text, int matched, int64_t amount)
{
	if (modems_balance(s, modem, text, matched, amount) == -1)
		return -1;
	if (!matched)
		return 0;
	return ussd_dial_set_amount(s, request_id, amount);
}

/*
 * Record a balance answer (inside the caller's transaction): parse it,
 * store it, warn and alert when it is low.  Return 1 when an amount was
 * read, 0 when not, -1 on a database error.
 */
int
balance_record(struct store *s, const struct conf *conf, const char *modem,
    int64_t request_id, const char *text)
{
	const struct conf_modem	*cm = conf_modem_find(conf, modem);
	char			 why[128] = "", amt[32], low[32];
	int64_t			 amount = 0;
	int			 matched = 0, n;

	if (cm != NULL && cm->balance_pattern[0] != '\0')
		matched = balance_match(cm->balance_pattern, text, &amount,
		    why, sizeof(why)) == 1;
	else
		snprintf(why, sizeof(why), "no balance_pattern configured");
	if (balance_store(s, modem, request_id, text, matched, amount) == -1) {
		log_warnx("modem %s: balance not stored: %s", modem,
		    store_errmsg(s));
		return -1;
	}
	if (!matched) {
		log_warnx("modem %s: balance unknown, %s: %s", modem, why,
		    text);
		return 0;
	}
	price_format(amount, amt, sizeof(amt));
	if (cm->balance_low == 0 || amount >= cm->balance_low) {
		log_info("modem %s: balance Rp%s", modem, amt);
		return 1;
	}
	price_format(cm->balance_low, low, sizeof(low));
	log_warnx("modem %s: balance Rp%s is under balance_low Rp%s", modem,
	    amt, low);
	if (!cm->balance_alert_admins)
		return 1;
	if ((n = balance_alert(s, conf, cm, amount)) == -1) {
		log_warnx("modem %s: balance alert not queued: %s", modem,
		    store_errmsg(s));
		return -1;
	}
	if (n > 0)
		log_info("modem %s: low balance texted to %d admin(s)", modem,
		    n);
	return 1;
}

/*
 * Queue a balance check for a modem, unless one is already waiting;
 * return the id of the request that will answer, or -1.
 */
int64_t
balance_queue(struct store *s, const char *modem, const char *code)
{
	static const char sql_open[] = "SELECT id FROM ussd_requests WHERE "
	    "modem = ? AND source = 'balance' AND state IN ('queued', "
	    "'running') ORDER BY id LIMIT 1";
	sqlite3_stmt	*st;
	int64_t		 id = 0;

	if ((st = store_stmt(s, sql_open)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, modem, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (id > 0)
		return id;
	return ussd_dial_queue(s, modem, code, "balance");
}

/* When the modem last had an answer, or 0. */
static int64_t
balance_last_checked(const char *modem)
{
	static const char sql[] = "SELECT balance_checked_at FROM modems "
	    "WHERE name = ?";
	sqlite3_stmt	*st;
	int64_t		 at = 0;

	if ((st = store_stmt(balance.store, sql)) == NULL)
		return 0;
	sqlite3_bind_text(st, 1, modem, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		at = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return at;
}

/* Arm a modem's timer for its next check, or disarm it when it has none. */
static void
balance_schedule(struct balance_modem *b)
{
	const struct conf_modem	*cm = conf_modem_find(balance.conf, b->name);
	struct timeval		 tv = { BALANCE_FIRST_DELAY, 0 };
	int64_t			 due;

	if (cm == NULL || cm->balance_code[0] == '\0' || !b->up) {
		evtimer_del(b->ev);
		return;
	}
	due = balance_last_checked(b->name) + cm->balance_interval -
	    store_now();
	if (due > BALANCE_FIRST_DELAY)
		tv.tv_sec = (time_t)due;
	evtimer_add(b->ev, &tv);
	log_debug("modem %s: balance check in %lld s", b->name,
	    (long long)tv.tv_sec);
}

/* Timer: queue a modem's check and arm the next one. */
static void
balance_on_timer(evutil_socket_t fd, short ev, void *arg)
{
	struct balance_modem	*b = arg;
	const struct conf_modem	*cm = conf_modem_find(balance.conf, b->name);
	struct timeval		 tv = { 0, 0 };

	(void)fd;
	(void)ev;
	if (cm == NULL || cm->balance_code[0] == '\0' || !b->up)
		return;
	if (balance_queue(balance.store, b->name, cm->balance_code) == -1) {
		log_warnx("modem %s: balance check not queued: %s", b->name,
		    store_errmsg(balance.store));
		tv.tv_sec = BALANCE_FIRST_DELAY;
	} else {
		tv.tv_sec = cm->balance_interval;
		ussd_dial_kick();
	}
	evtimer_add(b->ev, &tv);
}

/* Make one timer per configured modem, keeping what old knew of each. */
static int
balance_build(const struct balance_modem *old, int nold)
{
	struct balance_modem	*b;
	int			 i, j;

	balance.n = 0;
	for (i = 0; i < balance.conf->nmodems; i++) {
		b = &balance.m[balance.n];
		memset(b, 0, sizeof(*b));
		snprintf(b->name, sizeof(b->name), "%s",
		    balance.conf->modems[i].name);
		for (j = 0; j < nold; j++)
			if (strcmp(old[j].name, b->name) == 0)
				b->up = old[j].up;
		if ((b->ev = evtimer_new(balance.base, balance_on_timer,
		    b)) == NULL)
			return -1;
		balance.n++;
		if (b->up)
			balance_schedule(b);
	}
	return 0;
}

/* Get ready to check balances as modems come up. */
int
balance_init(struct event_base *base, struct store *s,
    const struct conf *conf)
{
	balance.base = base;
	balance.store = s;
	balance.conf = conf;
	return balance_build(NULL, 0);
}

/* A modem came up or went down: arm or forget its next check. */
void
balance_modem_state(const char *modem, int up)
{
	int i;

	for (i = 0; i < balance.n; i++) {
		if (strcmp(balance.m[i].name, modem) != 0)
			continue;
		if (up && !balance.m[i].up) {
			balance.m[i].up = 1;
			balance_schedule(&balance.m[i]);
		} else if (!up && balance.m[i].up) {
			balance.m[i].up = 0;
			evtimer_del(balance.m[i].ev);
		}
		return;
	}
}

/* The configuration was swapped: rebuild the timers for its modems. */
void
balance_reload(void)
{
	struct balance_modem	old[CONF_MODEMS_MAX];
	int			i, nold = balance.n;

	memcpy(old, balance.m, sizeof(old));
	for (i = 0; i < nold; i++)
		event_free(old[i].ev);
	if (balance_build(old, nold) == -1)
		log_warnx("balance: cannot set up the timers");
}

/* Drop every timer. */
void
balance_free(void)
{
	int i;

	for (i = 0; i < balance.n; i++)
		if (balance.m[i].ev != NULL)
			event_free(balance.m[i].ev);
	balance.n = 0;
}
