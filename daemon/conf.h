/* Configuration: parsed from one libconfig file into a validated struct. */
#ifndef KT_CONF_H
#define KT_CONF_H

#include <stddef.h>

#define CONF_PATH_MAX		256
#define CONF_NAME_MAX		32
#define CONF_MODEMS_MAX		16
#define CONF_WINDOW_MAX		256	/* sends in flight per modem */
#define CONF_WINDOW_KANNEL	128	/* a Kannel modem's default */
#define CONF_ERR_MAX		512
#define CONF_ADMINS_MAX		32
#define CONF_PREFIXES_MAX	128

struct conf_modem {
	char	name[CONF_NAME_MAX];
	char	device[CONF_PATH_MAX];
	char	connection[CONF_NAME_MAX];	/* gammurc "connection" */
	char	model[CONF_NAME_MAX];		/* gammurc "model", may be "" */
	char	engine[16];			/* "native" (AT) or "gammu" */
	char	pin[16];			/* SIM PIN, "" when none */
	char	url[256];			/* kannel: smsbox sendsms URL */
	char	listen[64];			/* kannel: "ADDR:PORT" for MO and DLR */
	char	username[64];			/* kannel: sendsms-user */
	char	password[64];
	int	send_rate;			/* messages per minute, 0 = as fast as possible */
	int	window;			/* sends in flight at once: 1 for GSM */
	int	daily_cap;			/* parts per day, 0 = unlimited */
	int	poll_interval;			/* seconds between SIM scans */
	int	delivery_reports;		/* ask the SMSC for status reports */
	int	send_timeout;			/* seconds one send may take */
	char	prefixes[CONF_PREFIXES_MAX];	/* "+62811,+62812": preferred recipients */
	int	watchdog;			/* seconds of silence = hung */
	int	health_interval;		/* seconds between health reads */
	char	balance_code[32];		/* USSD code, "" = no balance checks */
	char	balance_pattern[160];		/* POSIX ERE, group 1 = the amount */
	int	balance_interval;		/* seconds between checks */
	int	balance_low;			/* warn under this, 0 = never */
	int	balance_alert_admins;		/* and text the admins once a day */
	int	line;				/* line in the file, for errors */
};

#define CONF_PIN_HASH_MAX	128
struct conf_admin {
	char	phone[24];			/* normalised, +CC... */
	char	pin[16];			/* read from the file, then wiped */
	char	pin_hash[CONF_PIN_HASH_MAX];	/* what is kept: crypt(3) $5$ */
	int	line;
};

/* The HTTP API; enabled only when the file has an http group. */
struct conf_http {
	int	enabled;
	char	listen[64];			/* "127.0.0.1:8080" */
	char	token[128];			/* bearer token for /api/v1 */
	int	max_body;			/* bytes of request body */
	int	metrics_auth;			/* /metrics needs the token too */
	char	tls_cert[CONF_PATH_MAX];	/* PEM chain; "" = plain HTTP */
	char	tls_key[CONF_PATH_MAX];		/* PEM private key */
	int	max_connections;		/* open at once (and fd reserve) */
	int	request_timeout;		/* seconds to send a whole request */
	int	line;
};

/* USSD callbacks from aggregators, on the http server; see ussd_http.c. */
#define CONF_USSD_ALLOW_MAX	32
struct conf_ussd_net {
	int		family;			/* AF_INET or AF_INET6 */
	unsigned char	addr[16];
	int		bits;			/* prefix length */
};

struct conf_ussd {
	int			enabled;
	char			path[64];		/* form adapter, "/ussd" */
	char			json_path[64];		/* JSON adapter, "/ussd/json" */
	char			token[128];		/* "" = none */
	int			open;			/* neither token nor allow: ok */
	int			allow_query_token;	/* ?token= in the URL too */
	int			timeout;		/* seconds a session lives idle */
	int			nallow;			/* 0 = any address */
	struct conf_ussd_net	allow[CONF_USSD_ALLOW_MAX];
	int			line;
};

struct conf {
	char			 path[CONF_PATH_MAX];
	char			 database[CONF_PATH_MAX];
	char			 pidfile[CONF_PATH_MAX];
	char			 user[CONF_NAME_MAX];	/* started as root: become this user */
	char			 language[4];		/* "id" or "en" */
	char			 country_code[8];	/* "62" */
	int			 multipart_timeout;	/* seconds */
	int			 reply_limit;		/* replies per sender per window, 0 = no limit */
	int			 reply_window;		/* loop guard window, seconds */
	int			 repeat_limit;		/* identical texts answered per window, 0 = any */
	int			 report_hold_percent;	/* LAPOR: hold a price this far off */
	int			 send_attempts;		/* outbox: tries before 'failed' */
	int			 retry_base;		/* outbox: first retry delay, s */
	int			 sweep_interval;	/* s between fallback sweeps; 0 built-in */
	char			 quiet_hours[16];	/* "21:00-06:00", "" = none */
	int			 cost_per_part;		/* rupiah an SMS part costs */
	char			 signature[48];		/* added to broadcasts */
	int			 quiet_from, quiet_to;	/* minutes after midnight, -1 = none */
	int			 survey_remind_after;	/* s before one reminder, 0 = never */
	int			 question_overdue_after; /* s before a TANYA is raised, 0 = never */
	int			 nadmins;
	struct conf_admin	 admins[CONF_ADMINS_MAX];
	int			 nmodems;
	struct conf_modem	 modems[CONF_MODEMS_MAX];
	struct conf_http	 http;
	struct conf_ussd	 ussd;
};

int	conf_load(const char *path, struct conf *conf, char *err, size_t errlen);
int	conf_check_devices(const struct conf *conf, char *err, size_t errlen);
const struct conf_modem *conf_modem_find(const struct conf *conf, const char *name);
int	conf_modem_is_dummy(const struct conf_modem *m);
int	conf_modem_is_kannel(const struct conf_modem *m);
const struct conf_admin *conf_admin_find(const struct conf *conf, const char *phone);
int	conf_admin_set_pin(struct conf_admin *, const char *pin);
int	conf_admin_pin_ok(const struct conf_admin *, const char *pin);

int	conf_balance_pattern_check(const char *pattern, char *err,
	    size_t errlen);

typedef void (*conf_each_cb)(const char *group, const char *name,
	    const char *value, void *arg);
void	conf_each(const struct conf *, conf_each_cb, void *arg);

#endif
