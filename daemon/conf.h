/* Configuration: parsed from one libconfig file into a validated struct. */
#ifndef KT_CONF_H
#define KT_CONF_H

#include <stddef.h>

#define CONF_PATH_MAX		256
#define CONF_NAME_MAX		32
#define CONF_MODEMS_MAX		16
#define CONF_ERR_MAX		512

struct conf_modem {
	char	name[CONF_NAME_MAX];
	char	device[CONF_PATH_MAX];
	char	connection[CONF_NAME_MAX];	/* gammurc "connection" */
	char	model[CONF_NAME_MAX];		/* gammurc "model", may be "" */
	char	pin[16];			/* SIM PIN, "" when none */
	int	send_rate;			/* messages per minute, 0 = as fast as possible */
	int	daily_cap;			/* parts per day, 0 = unlimited */
	int	poll_interval;			/* seconds between SIM scans */
	int	delivery_reports;		/* ask the SMSC for status reports */
	int	send_timeout;			/* seconds one send may take */
	int	line;				/* line in the file, for errors */
};

struct conf {
	char			 path[CONF_PATH_MAX];
	char			 database[CONF_PATH_MAX];
	char			 pidfile[CONF_PATH_MAX];
	char			 language[4];		/* "id" or "en" */
	char			 country_code[8];	/* "62" */
	int			 multipart_timeout;	/* seconds */
	int			 nmodems;
	struct conf_modem	 modems[CONF_MODEMS_MAX];
};

int	conf_load(const char *path, struct conf *conf, char *err, size_t errlen);
int	conf_check_devices(const struct conf *conf, char *err, size_t errlen);
const struct conf_modem *conf_modem_find(const struct conf *conf, const char *name);
int	conf_modem_is_dummy(const struct conf_modem *m);

#endif
