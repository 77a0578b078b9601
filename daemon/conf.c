/*
 * Configuration loader.
 *
 * DESIGN: every setting lives in a table of name, type, range and default
 * (conf_top_fields, conf_modem_fields), in the spirit of tmux's
 * options-table.c.  The file is parsed into a fresh struct conf; any unknown
 * name, wrong type or out-of-range value is an error that names the file
 * and line.  Callers swap in a new struct only when loading succeeded, so a
 * bad edit followed by SIGHUP leaves the running configuration untouched.
 */
#include <arpa/inet.h>
#include <crypt.h>
#include <errno.h>
#include <libconfig.h>
#include <stdarg.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>

#include "conf.h"
#include "modem.h"
#include "phone.h"

enum conf_type { CT_STRING, CT_INT, CT_BOOL };

struct conf_field {
	const char		*name;
	enum conf_type		 type;
	size_t			 off;
	size_t			 size;		/* CT_STRING: buffer size */
	long			 min, max;	/* CT_INT: inclusive range */
	const char		*def;		/* default, NULL = required */
	const char *const	*choices;	/* CT_STRING: allowed values */
};

static const char *const conf_languages[] = { "id", "en", NULL };
static const char *const conf_engines[] = { "native", "gammu", "", NULL };

#define STR(st, f, d, ch) { #f, CT_STRING, offsetof(st, f), \
	sizeof(((st *)0)->f), 0, 0, d, ch }
#define INT(st, f, lo, hi, d) { #f, CT_INT, offsetof(st, f), 0, lo, hi, d, NULL }
#define BOOL(st, f, d) { #f, CT_BOOL, offsetof(st, f), 0, 0, 1, d, NULL }

static const struct conf_field conf_top_fields[] = {
	STR(struct conf, database, NULL, NULL),
	STR(struct conf, pidfile, "/run/kentongand.pid", NULL),
	STR(struct conf, user, "", NULL),
	STR(struct conf, language, "id", conf_languages),
	STR(struct conf, country_code, "62", NULL),
	INT(struct conf, multipart_timeout, 10, 86400, "600"),
	INT(struct conf, reply_limit, 0, 1000, "5"),
	INT(struct conf, reply_window, 10, 86400, "600"),
	INT(struct conf, repeat_limit, 0, 100, "2"),
	INT(struct conf, report_hold_percent, 1, 1000, "50"),
	INT(struct conf, send_attempts, 1, 100, "5"),
	INT(struct conf, retry_base, 1, 86400, "30"),
	INT(struct conf, sweep_interval, 0, 3600, "0"),
	STR(struct conf, quiet_hours, "", NULL),
	INT(struct conf, cost_per_part, 0, 1000000, "0"),
	STR(struct conf, signature, "", NULL),
	INT(struct conf, survey_remind_after, 0, 2592000, "86400"),
	INT(struct conf, question_overdue_after, 0, 2592000, "86400"),
	{ NULL, 0, 0, 0, 0, 0, NULL, NULL }
};

static const struct conf_field conf_modem_fields[] = {
	STR(struct conf_modem, name, NULL, NULL),
	STR(struct conf_modem, device, "", NULL),	/* checked by conf_modem_kind */
	STR(struct conf_modem, connection, NULL, NULL),
	STR(struct conf_modem, model, "", NULL),
	STR(struct conf_modem, engine, "", conf_engines),	/* conf_modem_kind */
	STR(struct conf_modem, pin, "", NULL),
	STR(struct conf_modem, url, "", NULL),
	STR(struct conf_modem, listen, "", NULL),
	STR(struct conf_modem, username, "", NULL),
	STR(struct conf_modem, password, "", NULL),
	INT(struct conf_modem, send_rate, 0, 6000, "0"),
	INT(struct conf_modem, daily_cap, 0, 1000000, "0"),
	INT(struct conf_modem, window, 0, CONF_WINDOW_MAX, "0"),	/* 0: by kind */
	INT(struct conf_modem, poll_interval, 1, 3600, "15"),
	BOOL(struct conf_modem, delivery_reports, "false"),
	INT(struct conf_modem, send_timeout, 5, 600, "90"),
	STR(struct conf_modem, prefixes, "", NULL),
	INT(struct conf_modem, watchdog, 5, 600, "30"),
	INT(struct conf_modem, health_interval, 5, 86400, "60"),
	STR(struct conf_modem, balance_code, "", NULL),
	STR(struct conf_modem, balance_pattern, "Rp ?([0-9][0-9.,]*)", NULL),
	INT(struct conf_modem, balance_interval, 60, 604800, "86400"),
	INT(struct conf_modem, balance_low, 0, 1000000000, "0"),
	BOOL(struct conf_modem, balance_alert_admins, "false"),
	{ NULL, 0, 0, 0, 0, 0, NULL, NULL }
};

struct conf_ctx {
	const char	*file;
	char		*err;
	size_t		 errlen;
};

/* Record an error at a line of the file; only the first one is kept. */
static int
conf_error(struct conf_ctx *cx, int line, const char *fmt, ...)
{
	char	msg[CONF_ERR_MAX];
	va_list	ap;

	if (cx->err[0] != '\0')
		return -1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line > 0)
		snprintf(cx->err, cx->errlen, "%s:%d: %s", cx->file, line, msg);
	else
		snprintf(cx->err, cx->errlen, "%s: %s", cx->file, msg);
	return -1;
}

/* Find a field by name in a table. */
static const struct conf_field *
conf_field_find(const struct conf_field *tab, const char *name)
{
	for (; tab->name != NULL; tab++)
		if (strcmp(tab->name, name) == 0)
			return tab;
	return NULL;
}

/* Store a string value, checking its length and allowed choices. */
static int
conf_set_string(struct conf_ctx *cx, const struct conf_field *f, void *base,
    const char *v, int line)
{
	const char *const *c;

	if (strlen(v) >= f->size)
		return conf_error(cx, line, "%s: value too long (at most %zu "
		    "characters)", f->name, f->size - 1);
	if (f->choices != NULL) {
		for (c = f->choices; *c != NULL; c++)
			if (strcmp(*c, v) == 0)
				break;
		if (*c == NULL)
			return conf_error(cx, line, "%s: \"%s\" is not one of "
			    "the allowed values", f->name, v);
	}
	memcpy((char *)base + f->off, v, strlen(v) + 1);
	return 0;
}

/* Store an integer value after checking its range. */
static int
conf_set_int(struct conf_ctx *cx, const struct conf_field *f, void *base,
    long long v, int line)
{
	if (v < f->min || v > f->max)
		return conf_error(cx, line, "%s: %lld is out of range "
		    "(%ld..%ld)", f->name, v, f->min, f->max);
	*(int *)((char *)base + f->off) = (int)v;
	return 0;
}

/* Apply one setting from the file to its field. */
static int
conf_apply_one(struct conf_ctx *cx, const struct conf_field *f, void *base,
    config_setting_t *s)
{
	int	line = (int)config_setting_source_line(s);
	int	t = config_setting_type(s);

	switch (f->type) {
	case CT_STRING:
		if (t != CONFIG_TYPE_STRING)
			return conf_error(cx, line, "%s: expected a string "
			    "in double quotes", f->name);
		return conf_set_string(cx, f, base,
		    config_setting_get_string(s), line);
	case CT_INT:
		if (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64)
			return conf_error(cx, line, "%s: expected a whole "
			    "number", f->name);
		return conf_set_int(cx, f, base,
		    config_setting_get_int64(s), line);
	case CT_BOOL:
		if (t != CONFIG_TYPE_BOOL)
			return conf_error(cx, line, "%s: expected true or "
			    "false", f->name);
		*(int *)((char *)base + f->off) = config_setting_get_bool(s);
		return 0;
	default:
		return conf_error(cx, line, "%s: internal: bad field type",
		    f->name);
	}
}

/* Apply a default value given as a string in the table. */
static int
conf_apply_default(struct conf_ctx *cx, const struct conf_field *f,
    void *base, int line)
{
	long long v;

	switch (f->type) {
	case CT_STRING:
		return conf_set_string(cx, f, base, f->def, line);
	case CT_INT:
		sscanf(f->def, "%lld", &v);
		return conf_set_int(cx, f, base, v, line);
	case CT_BOOL:
		*(int *)((char *)base + f->off) = strcmp(f->def, "true") == 0;
		return 0;
	default:
		return conf_error(cx, line, "internal: bad field type");
	}
}

/*
 * Fill base from a group using a field table.  Names listed in skip are
 * sections handled elsewhere.
 */
static int
conf_apply_table(struct conf_ctx *cx, config_setting_t *group,
    const struct conf_field *tab, void *base, const char *const *skip)
{
	const struct conf_field	*f;
	const char *const	*sk;
	config_setting_t	*s;
	int			 i, n, line;

	line = (int)config_setting_source_line(group);
	n = config_setting_length(group);
	for (i = 0; i < n; i++) {
		s = config_setting_get_elem(group, (unsigned int)i);
		for (sk = skip; sk != NULL && *sk != NULL; sk++)
			if (strcmp(*sk, config_setting_name(s)) == 0)
				break;
		if (sk != NULL && *sk != NULL)
			continue;
		if ((f = conf_field_find(tab, config_setting_name(s))) == NULL)
			return conf_error(cx,
			    (int)config_setting_source_line(s),
			    "unknown setting \"%s\"", config_setting_name(s));
		if (conf_apply_one(cx, f, base, s) == -1)
			return -1;
	}
	for (f = tab; f->name != NULL; f++) {
		if (config_setting_get_member(group, f->name) != NULL)
			continue;
		if (f->def == NULL)
			return conf_error(cx, line, "required setting \"%s\" "
			    "is missing", f->name);
		if (conf_apply_default(cx, f, base, line) == -1)
			return -1;
	}
	return 0;
}

/* Check a modem name: short, lowercase letters, digits, - and _. */
static int
conf_name_ok(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '-' || *s == '_'))
			return 0;
	return 1;
}

/* Check a balance_pattern: it compiles and has a group for the amount. */
int
conf_balance_pattern_check(const char *pattern, char *err, size_t errlen)
{
	regex_t	re;
	int	rc;

	if ((rc = regcomp(&re, pattern, REG_EXTENDED | REG_ICASE)) != 0) {
		regerror(rc, &re, err, errlen);
		return -1;
	}
	rc = re.re_nsub >= 1 ? 0 : -1;
	regfree(&re);
	if (rc == -1)
		snprintf(err, errlen, "no ( ) group around the amount");
	return rc;
}

/* Check a modem's balance settings: a dialable code, a usable pattern. */
static int
conf_modem_balance(struct conf_ctx *cx, config_setting_t *g,
    const struct conf_modem *m)
{
	config_setting_t	*s;
	char			 why[CONF_ERR_MAX / 2];
	int			 line;

	s = config_setting_get_member(g, "balance_code");
	if (m->balance_code[0] != '\0' && conf_modem_is_kannel(m))
		return conf_error(cx, (int)config_setting_source_line(s),
		    "balance_code: a Kannel link has no SIM to ask");
	if (m->balance_code[0] != '\0' && strspn(m->balance_code,
	    "0123456789*#+") != strlen(m->balance_code))
		return conf_error(cx, (int)config_setting_source_line(s),
		    "balance_code: digits, * and #, e.g. \"*888#\"");
	s = config_setting_get_member(g, "balance_pattern");
	line = s != NULL ? (int)config_setting_source_line(s) : m->line;
	if (conf_balance_pattern_check(m->balance_pattern, why, sizeof(why)) == -1)
		return conf_error(cx, line, "balance_pattern: %s", why);
	return 0;
}

/* Check "ADDRESS:PORT" with a port of 1..65535. */
static int
conf_hostport_ok(const char *s)
{
	const char	*colon = strrchr(s, ':');
	char		*end;
	long		 port;

	if (colon == NULL || colon == s || colon[1] == '\0')
		return 0;
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	return errno == 0 && *end == '\0' && port >= 1 && port <= 65535;
}

/*
 * Pick the AT engine: native by default for AT serial connections, gammu
 * (libgammu's drivers) for every other connection.
 */
static int
conf_modem_engine(struct conf_ctx *cx, struct conf_modem *m)
{
	int at = at_speed(m->connection) != -1;

	if (m->engine[0] == '\0')
		snprintf(m->engine, sizeof(m->engine), "%s", at ? "native" :
		    "gammu");
	else if (strcmp(m->engine, "native") == 0 && !at)
		return conf_error(cx, m->line, "modem %s: engine = \"native\" "
		    "drives AT modems on a serial port (connection = \"at\", "
		    "\"at19200\" ...); use engine = \"gammu\" for \"%s\"",
		    m->name, m->connection);
	return 0;
}

/*
 * Check the settings that depend on the kind of modem: a GSM modem needs
 * a device; a Kannel smsbox (connection = "kannel") needs url and listen.
 */
static int
conf_modem_kind(struct conf_ctx *cx, struct conf_modem *m)
{
	if (conf_modem_engine(cx, m) == -1)
		return -1;
	if (!conf_modem_is_kannel(m)) {
		if (m->device[0] == '\0')
			return conf_error(cx, m->line, "required setting "
			    "\"device\" is missing");
		if (m->url[0] != '\0' || m->listen[0] != '\0' ||
		    m->username[0] != '\0' || m->password[0] != '\0')
			return conf_error(cx, m->line, "modem %s: url, listen, "
			    "username and password are for connection = "
			    "\"kannel\"", m->name);
		/* It goes into AT+CPIN="..." as it is: digits only. */
		if (m->pin[0] != '\0' && (strlen(m->pin) < 4 ||
		    strlen(m->pin) > 8 || strspn(m->pin, "0123456789") !=
		    strlen(m->pin)))
			return conf_error(cx, m->line, "modem %s: pin must be 4 "
			    "to 8 digits", m->name);
		/* An AT link carries one command at a time. */
		if (m->window > 1)
			return conf_error(cx, m->line, "modem %s: window: a GSM "
			    "modem sends one message at a time (window = 1)",
			    m->name);
		m->window = 1;
		return 0;
	}
	if (m->window == 0)
		m->window = CONF_WINDOW_KANNEL;
	if (strncmp(m->url, "http://", 7) != 0 || m->url[7] == '\0' ||
	    m->url[7] == '/')
		return conf_error(cx, m->line, "modem %s: url: expected "
		    "Kannel's sendsms URL, e.g. \"http://127.0.0.1:13013/"
		    "cgi-bin/sendsms\"", m->name);
	if (!conf_hostport_ok(m->listen))
		return conf_error(cx, m->line, "modem %s: listen: expected "
		    "\"ADDRESS:PORT\" for Kannel's get-url and dlr-url, e.g. "
		    "\"127.0.0.1:13100\"", m->name);
	return 0;
}

/* Parse the modems list. */
static int
conf_parse_modems(struct conf_ctx *cx, config_setting_t *list,
    struct conf *conf)
{
	struct conf_modem	*m;
	config_setting_t	*g;
	int			 i, j, n, line;

	line = (int)config_setting_source_line(list);
	if (!config_setting_is_list(list) && !config_setting_is_array(list))
		return conf_error(cx, line, "modems: expected a list ( { ... }, "
		    "{ ... } )");
	n = config_setting_length(list);
	if (n > CONF_MODEMS_MAX)
		return conf_error(cx, line, "modems: at most %d modems",
		    CONF_MODEMS_MAX);
	for (i = 0; i < n; i++) {
		g = config_setting_get_elem(list, (unsigned int)i);
		m = &conf->modems[i];
		m->line = (int)config_setting_source_line(g);
		if (!config_setting_is_group(g))
			return conf_error(cx, m->line, "modems: each modem is "
			    "a group { name = ...; device = ...; }");
		if (conf_apply_table(cx, g, conf_modem_fields, m, NULL) == -1 ||
		    conf_modem_balance(cx, g, m) == -1 ||
		    conf_modem_kind(cx, m) == -1)
			return -1;
		if (!conf_name_ok(m->name))
			return conf_error(cx, m->line, "modem name \"%s\": use "
			    "lowercase letters, digits, - and _", m->name);
		for (j = 0; j < i; j++)
			if (strcmp(conf->modems[j].name, m->name) == 0)
				return conf_error(cx, m->line, "modem name "
				    "\"%s\" is used twice", m->name);
		conf->nmodems++;
	}
	return 0;
}

static const struct conf_field conf_admin_fields[] = {
	STR(struct conf_admin, phone, NULL, NULL),
	STR(struct conf_admin, pin, NULL, NULL),
	{ NULL, 0, 0, 0, 0, 0, NULL, NULL }
};

/* Check a modem's prefixes: "+62811,+62812", each + and digits. */
static int
conf_prefixes_ok(const char *s)
{
	size_t n;

	if (*s == '\0')
		return 1;
	for (;;) {
		if (*s++ != '+')
			return 0;
		if ((n = strspn(s, "0123456789")) == 0)
			return 0;
		s += n;
		if (*s == '\0')
			return 1;
		if (*s++ != ',')
			return 0;
	}
}

/* Parse quiet_hours "HH:MM-HH:MM" into minutes after midnight. */
static int
conf_parse_quiet(struct conf_ctx *cx, config_setting_t *root,
    struct conf *conf)
{
	config_setting_t	*s;
	int			 h1, m1, h2, m2, len = 0;

	conf->quiet_from = conf->quiet_to = -1;
	if (conf->quiet_hours[0] == '\0')
		return 0;
	s = config_setting_get_member(root, "quiet_hours");
	if (sscanf(conf->quiet_hours, "%2d:%2d-%2d:%2d%n", &h1, &m1, &h2, &m2,
	    &len) != 4 || (size_t)len != strlen(conf->quiet_hours) ||
	    h1 < 0 || h1 > 23 || h2 < 0 || h2 > 23 || m1 < 0 || m1 > 59 ||
	    m2 < 0 || m2 > 59 || h1 * 60 + m1 == h2 * 60 + m2)
		return conf_error(cx, s ? (int)config_setting_source_line(s) :
		    0, "quiet_hours: expected \"HH:MM-HH:MM\", e.g. "
		    "\"21:00-06:00\"");
	conf->quiet_from = h1 * 60 + m1;
	conf->quiet_to = h2 * 60 + m2;
	return 0;
}

/* Parse the admins list: phone numbers allowed to broadcast, with a PIN. */
static int
conf_parse_admins(struct conf_ctx *cx, config_setting_t *list,
    struct conf *conf)
{
	struct conf_admin	*a;
	config_setting_t	*g;
	char			 norm[sizeof(a->phone)];
	int			 i, j, n, line;

	line = (int)config_setting_source_line(list);
	if (!config_setting_is_list(list) && !config_setting_is_array(list))
		return conf_error(cx, line, "admins: expected a list ( { phone "
		    "= ...; pin = ...; } )");
	n = config_setting_length(list);
	if (n > CONF_ADMINS_MAX)
		return conf_error(cx, line, "admins: at most %d admins",
		    CONF_ADMINS_MAX);
	for (i = 0; i < n; i++) {
		g = config_setting_get_elem(list, (unsigned int)i);
		a = &conf->admins[i];
		a->line = (int)config_setting_source_line(g);
		if (!config_setting_is_group(g))
			return conf_error(cx, a->line, "admins: each admin is "
			    "a group { phone = ...; pin = ...; }");
		if (conf_apply_table(cx, g, conf_admin_fields, a, NULL) == -1)
			return -1;
		if (phone_normalize(a->phone, conf->country_code, norm,
		    sizeof(norm)) != PHONE_NUMBER)
			return conf_error(cx, a->line, "admin phone \"%s\" is "
			    "not a phone number", a->phone);
		memcpy(a->phone, norm, sizeof(a->phone));
		if (strlen(a->pin) < 4 || strspn(a->pin, "0123456789") !=
		    strlen(a->pin))
			return conf_error(cx, a->line, "admin %s: pin must be "
			    "4 to 15 digits", a->phone);
		if (conf_admin_set_pin(a, a->pin) == -1)
			return conf_error(cx, a->line, "admin %s: cannot hash "
			    "the pin", a->phone);
		for (j = 0; j < i; j++)
			if (strcmp(conf->admins[j].phone, a->phone) == 0)
				return conf_error(cx, a->line, "admin %s is "
				    "listed twice", a->phone);
		conf->nadmins++;
	}
	return 0;
}

static const struct conf_field conf_http_fields[] = {
	STR(struct conf_http, listen, NULL, NULL),
	STR(struct conf_http, token, NULL, NULL),
	INT(struct conf_http, max_body, 256, 16777216, "65536"),
	BOOL(struct conf_http, metrics_auth, "false"),
	STR(struct conf_http, tls_cert, "", NULL),
	STR(struct conf_http, tls_key, "", NULL),
	INT(struct conf_http, max_connections, 1, 10000, "64"),
	INT(struct conf_http, request_timeout, 1, 600, "10"),
	{ NULL, 0, 0, 0, 0, 0, NULL, NULL }
};

/* Parse the http group: "host:port" to listen on and a long token. */
static int
conf_parse_http(struct conf_ctx *cx, config_setting_t *g, struct conf *conf)
{
	struct conf_http	*h = &conf->http;
	const char		*colon;
	long			 port;
	char			*end;

	h->line = (int)config_setting_source_line(g);
	if (!config_setting_is_group(g))
		return conf_error(cx, h->line, "http: expected a group { listen "
		    "= \"127.0.0.1:8080\"; token = \"...\"; }");
	if (conf_apply_table(cx, g, conf_http_fields, h, NULL) == -1)
		return -1;
	if ((colon = strrchr(h->listen, ':')) == NULL ||
	    colon == h->listen)
		return conf_error(cx, h->line, "http: listen: expected "
		    "\"ADDRESS:PORT\", e.g. \"127.0.0.1:8080\"");
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	if (errno != 0 || *end != '\0' || colon[1] == '\0' || port < 1 ||
	    port > 65535)
		return conf_error(cx, h->line, "http: listen: port must be "
		    "1..65535");
	if (strlen(h->token) < 16)
		return conf_error(cx, h->line, "http: token: at least 16 "
		    "characters (try: openssl rand -hex 20)");
	if ((h->tls_cert[0] == '\0') != (h->tls_key[0] == '\0'))
		return conf_error(cx, h->line, "http: tls_cert and tls_key "
		    "go together (PEM files)");
	h->enabled = 1;
	return 0;
}

static const struct conf_field conf_ussd_fields[] = {
	STR(struct conf_ussd, path, "/ussd", NULL),
	STR(struct conf_ussd, json_path, "/ussd/json", NULL),
	STR(struct conf_ussd, token, "", NULL),
	BOOL(struct conf_ussd, open, "false"),
	BOOL(struct conf_ussd, allow_query_token, "false"),
	INT(struct conf_ussd, timeout, 10, 3600, "180"),
	{ NULL, 0, 0, 0, 0, 0, NULL, NULL }
};

/* Parse one allow entry, "ADDRESS" or "ADDRESS/BITS"; 0 ok, -1 bad. */
static int
conf_parse_net(const char *s, struct conf_ussd_net *n)
{
	char	 buf[64], *slash, *end;
	long	 bits;
	int	 max;

	if (strlen(s) >= sizeof(buf))
		return -1;
	memcpy(buf, s, strlen(s) + 1);
	if ((slash = strchr(buf, '/')) != NULL)
		*slash++ = '\0';
	memset(n, 0, sizeof(*n));
	if (inet_pton(AF_INET, buf, n->addr) == 1) {
		n->family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, buf, n->addr) == 1) {
		n->family = AF_INET6;
		max = 128;
	} else
		return -1;
	n->bits = max;
	if (slash != NULL) {
		errno = 0;
		bits = strtol(slash, &end, 10);
		if (errno != 0 || *slash == '\0' || *end != '\0' || bits < 0 ||
		    bits > max)
			return -1;
		n->bits = (int)bits;
	}
	return 0;
}

/* Parse the ussd group: paths, optional token, timeout and allow list. */
static int
conf_parse_ussd(struct conf_ctx *cx, config_setting_t *g, struct conf *conf)
{
	static const char *const skip[] = { "allow", NULL };
	struct conf_ussd	*u = &conf->ussd;
	config_setting_t	*a, *e;
	const char		*v;
	int			 i, n, line;

	u->line = (int)config_setting_source_line(g);
	if (!config_setting_is_group(g))
		return conf_error(cx, u->line, "ussd: expected a group { path "
		    "= \"/ussd\"; }");
	if (conf_apply_table(cx, g, conf_ussd_fields, u, skip) == -1)
		return -1;
	if (!conf->http.enabled)
		return conf_error(cx, u->line, "ussd: needs the http group "
		    "(it is served by the HTTP server)");
	if (u->path[0] != '/' || u->json_path[0] != '/' ||
	    strcmp(u->path, u->json_path) == 0 ||
	    strncmp(u->path, "/api/", 5) == 0 ||
	    strncmp(u->json_path, "/api/", 5) == 0)
		return conf_error(cx, u->line, "ussd: path and json_path: two "
		    "different paths starting with / (not under /api/)");
	if (u->token[0] != '\0' && strlen(u->token) < 16)
		return conf_error(cx, u->line, "ussd: token: at least 16 "
		    "characters, or leave it out");
	if ((a = config_setting_get_member(g, "allow")) != NULL) {
		line = (int)config_setting_source_line(a);
		if (!config_setting_is_array(a) && !config_setting_is_list(a))
			return conf_error(cx, line, "ussd: allow: expected "
			    "[ \"203.0.113.0/24\", ... ]");
		if ((n = config_setting_length(a)) > CONF_USSD_ALLOW_MAX)
			return conf_error(cx, line, "ussd: allow: at most %d "
			    "entries", CONF_USSD_ALLOW_MAX);
		for (i = 0; i < n; i++) {
			e = config_setting_get_elem(a, (unsigned int)i);
			v = config_setting_get_string(e);
			if (v == NULL || conf_parse_net(v, &u->allow[i]) == -1)
				return conf_error(cx, line, "ussd: allow: "
				    "\"%s\" is not an address or ADDRESS/BITS",
				    v ? v : "(not a string)");
		}
		u->nallow = n;
	}
	if (u->token[0] == '\0' && u->nallow == 0 && !u->open)
		return conf_error(cx, u->line, "ussd: anyone could use the "
		    "callback: set a token, an allow list of the aggregator's "
		    "addresses, or both (open = true only for a test set-up)");
	if (u->allow_query_token && u->token[0] == '\0')
		return conf_error(cx, u->line, "ussd: allow_query_token "
		    "needs a token");
	u->enabled = 1;
	return 0;
}

/*
 * Keep an admin's PIN only as a salted SHA-256 crypt(3) hash (the salt
 * random per process), and wipe the clear PIN from the struct.
 */
int
conf_admin_set_pin(struct conf_admin *a, const char *pin)
{
	static const char	 b64[] = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz";
	static char		 setting[40];
	static struct crypt_data cd;
	unsigned char		 salt[16];
	const char		*h;
	size_t			 i;

	if (setting[0] == '\0') {
		if (getrandom(salt, sizeof(salt), 0) != (ssize_t)sizeof(salt))
			return -1;
		memcpy(setting, "$5$rounds=5000$", 15);
		for (i = 0; i < sizeof(salt); i++)
			setting[15 + i] = b64[salt[i] % 64];
		setting[15 + sizeof(salt)] = '$';
	}
	h = crypt_r(pin, setting, &cd);
	if (h == NULL || h[0] == '*' || strlen(h) >= sizeof(a->pin_hash))
		return -1;
	memcpy(a->pin_hash, h, strlen(h) + 1);
	explicit_bzero(a->pin, sizeof(a->pin));
	explicit_bzero(&cd, sizeof(cd));
	return 0;
}

/* Tell whether pin is the admin's, comparing the hashes in constant time. */
int
conf_admin_pin_ok(const struct conf_admin *a, const char *pin)
{
	static struct crypt_data cd;
	const char		*h;
	size_t			 i, n = strlen(a->pin_hash);
	unsigned char		 d;

	if (n == 0 || (h = crypt_r(pin, a->pin_hash, &cd)) == NULL)
		return 0;
	d = strlen(h) != n;
	for (i = 0; i < n; i++)
		d |= (unsigned char)(a->pin_hash[i] ^ (h[i] != '\0' ? h[i] : 0));
	explicit_bzero(&cd, sizeof(cd));
	return d == 0;
}

/* Find an admin by normalised phone number. */
const struct conf_admin *
conf_admin_find(const struct conf *conf, const char *phone)
{
	int i;

	for (i = 0; i < conf->nadmins; i++)
		if (strcmp(conf->admins[i].phone, phone) == 0)
			return &conf->admins[i];
	return NULL;
}

/* Load and validate a configuration file into conf. */
int
conf_load(const char *path, struct conf *conf, char *err, size_t errlen)
{
	static const char *const sections[] = { "modems", "admins", "http",
	    "ussd", NULL };
	struct conf_ctx		 cx = { path, err, errlen };
	config_t		 cfg;
	config_setting_t	*root, *s;
	int			 i, rc = -1;

	err[0] = '\0';
	memset(conf, 0, sizeof(*conf));
	if (strlen(path) >= sizeof(conf->path))
		return conf_error(&cx, 0, "path too long");
	memcpy(conf->path, path, strlen(path) + 1);

	config_init(&cfg);
	if (config_read_file(&cfg, path) != CONFIG_TRUE) {
		if (config_error_type(&cfg) == CONFIG_ERR_FILE_IO)
			conf_error(&cx, 0, "cannot read: %s", strerror(errno));
		else
			conf_error(&cx, config_error_line(&cfg), "%s",
			    config_error_text(&cfg));
		goto out;
	}
	root = config_root_setting(&cfg);
	if (conf_apply_table(&cx, root, conf_top_fields, conf, sections) == -1)
		goto out;
	if (strspn(conf->country_code, "0123456789") !=
	    strlen(conf->country_code) || conf->country_code[0] == '\0') {
		s = config_setting_get_member(root, "country_code");
		conf_error(&cx, s ? (int)config_setting_source_line(s) : 0,
		    "country_code: digits only, e.g. \"62\"");
		goto out;
	}
	if ((s = config_setting_get_member(root, "modems")) != NULL &&
	    conf_parse_modems(&cx, s, conf) == -1)
		goto out;
	for (i = 0; i < conf->nmodems; i++)
		if (!conf_prefixes_ok(conf->modems[i].prefixes)) {
			conf_error(&cx, conf->modems[i].line, "modem %s: "
			    "prefixes: expected \"+62811,+62812\"",
			    conf->modems[i].name);
			goto out;
		}
	if (conf_parse_quiet(&cx, root, conf) == -1)
		goto out;
	if ((s = config_setting_get_member(root, "admins")) != NULL &&
	    conf_parse_admins(&cx, s, conf) == -1)
		goto out;
	for (i = 0; i < conf->nmodems; i++)
		if (conf->modems[i].balance_alert_admins &&
		    conf->nadmins == 0) {
			conf_error(&cx, conf->modems[i].line, "modem %s: "
			    "balance_alert_admins needs admins = ( ... )",
			    conf->modems[i].name);
			goto out;
		}
	if ((s = config_setting_get_member(root, "http")) != NULL &&
	    conf_parse_http(&cx, s, conf) == -1)
		goto out;
	if ((s = config_setting_get_member(root, "ussd")) != NULL &&
	    conf_parse_ussd(&cx, s, conf) == -1)
		goto out;
	rc = 0;
out:
	config_destroy(&cfg);
	return rc;
}

/* Tell whether a modem is gammu's file-backed dummy phone. */
int
conf_modem_is_dummy(const struct conf_modem *m)
{
	return strcmp(m->model, "dummy") == 0;
}

/* Tell whether a "modem" is a Kannel smsbox reached over HTTP. */
int
conf_modem_is_kannel(const struct conf_modem *m)
{
	return strcmp(m->connection, "kannel") == 0;
}

/* Find a configured modem by name. */
const struct conf_modem *
conf_modem_find(const struct conf *conf, const char *name)
{
	int i;

	for (i = 0; i < conf->nmodems; i++)
		if (strcmp(conf->modems[i].name, name) == 0)
			return &conf->modems[i];
	return NULL;
}

/*
 * Check that every modem device exists.  A dummy phone is a folder that
 * the worker creates, so only its parent must exist.
 */
int
conf_check_devices(const struct conf *conf, char *err, size_t errlen)
{
	struct conf_ctx		 cx = { conf->path, err, errlen };
	const struct conf_modem	*m;
	struct stat		 st;
	char			 parent[CONF_PATH_MAX], *slash;
	int			 i;

	err[0] = '\0';
	for (i = 0; i < conf->nmodems; i++) {
		m = &conf->modems[i];
		if (conf_modem_is_dummy(m)) {
			snprintf(parent, sizeof(parent), "%s", m->device);
			if ((slash = strrchr(parent, '/')) == NULL)
				continue;
			*(slash == parent ? slash + 1 : slash) = '\0';
			if (stat(parent, &st) == -1 || !S_ISDIR(st.st_mode))
				return conf_error(&cx, m->line, "modem %s: "
				    "folder for dummy phone %s does not exist",
				    m->name, m->device);
			continue;
		}
		/* Bluetooth addresses and host:port devices are not files. */
		if (m->device[0] != '/')
			continue;
		if (stat(m->device, &st) == -1)
			return conf_error(&cx, m->line, "modem %s: device %s: "
			    "%s", m->name, m->device, strerror(errno));
	}
	return 0;
}

/* Tell whether a setting holds a secret, shown masked. */
static int
conf_secret(const char *name)
{
	return strcmp(name, "token") == 0 || strcmp(name, "pin") == 0 ||
	    strcmp(name, "password") == 0;
}

/* Hand each field of one table to fn, a secret as "****" when set. */
static void
conf_each_table(const char *group, const struct conf_field *f,
    const void *base, conf_each_cb fn, void *arg)
{
	const char	*p = base;
	char		 v[32];

	for (; f->name != NULL; f++) {
		if (f->type == CT_STRING)
			fn(group, f->name, conf_secret(f->name) && p[f->off] !=
			    '\0' ? "****" : p + f->off, arg);
		else {
			snprintf(v, sizeof(v), "%d", *(const int *)(const void *)
			    (p + f->off));
			fn(group, f->name, v, arg);
		}
	}
}

/*
 * Hand every setting of a running configuration to fn: its group ("",
 * "http", "ussd", "modem NAME", "admin N"), name and value as text, with
 * tokens, PINs and passwords masked; for the console's settings page.
 */
void
conf_each(const struct conf *conf, conf_each_cb fn, void *arg)
{
	char	group[64];
	int	i;

	conf_each_table("", conf_top_fields, conf, fn, arg);
	if (conf->http.enabled)
		conf_each_table("http", conf_http_fields, &conf->http, fn, arg);
	if (conf->ussd.enabled)
		conf_each_table("ussd", conf_ussd_fields, &conf->ussd, fn, arg);
	for (i = 0; i < conf->nmodems; i++) {
		snprintf(group, sizeof(group), "modem %s",
		    conf->modems[i].name);
		conf_each_table(group, conf_modem_fields, &conf->modems[i],
		    fn, arg);
	}
	for (i = 0; i < conf->nadmins; i++) {
		snprintf(group, sizeof(group), "admin %d", i + 1);
		conf_each_table(group, conf_admin_fields, &conf->admins[i], fn,
		    arg);
	}
}
