/* The admin CLI: shared state and helpers of the cli_*.c files. */
#ifndef KT_CLI_H
#define KT_CLI_H

#include <sqlite3.h>
#include <jansson.h>
#include <stdint.h>

#include "conf.h"

struct store;

/* Exit codes that mean something to scripts. */
#define CLI_OK		0
#define CLI_ERROR	1	/* the operation failed */
#define CLI_USAGE	2	/* bad command line */
#define CLI_NOTFOUND	3	/* no such item */
#define CLI_TIMEOUT	4	/* the daemon did not answer in time */

struct cli {
	struct conf	 conf;
	struct store	*store;
	const char	*prog;
	int		 json;		/* --json: print JSON, not tables */
};

struct cli_verb {
	const char	*name;
	int		(*fn)(struct cli *, int argc, char **argv);
	const char	*usage;
	const char	*help;
};

int	cli_phone_arg(struct cli *, const char *in, char *out, size_t len);
int64_t	cli_id_arg(const char *);
int	cli_run_verbs(struct cli *, const char *noun,
	    const struct cli_verb *, int argc, char **argv);
int	cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int	cli_usage(const char *noun, const struct cli_verb *);
int	cli_bad_usage(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));
int	cli_no_daemon(struct cli *, int err, const char *hint);
int	cli_not_found(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));

/* print.c: rows as tab-separated tables or as JSON. */
json_t	*cli_print_text(const char *);
json_t	*cli_print_row(sqlite3_stmt *);
json_t	*cli_print_rows(sqlite3_stmt *);
int	 cli_print_json(struct cli *, json_t *);
int	 cli_print_stmt(struct cli *, sqlite3_stmt *, const char *header,
	    const char *empty);
void	 cli_print_time(int64_t, char *buf, size_t len);
int	 cli_print_lookup(struct cli *, const char *sql, int64_t id,
	    json_t **out);

int	cli_price(struct cli *, int argc, char **argv);
int	cli_phone(struct cli *, int argc, char **argv);
int	cli_modems(struct cli *, int argc, char **argv);
int	cli_modem(struct cli *, int argc, char **argv);
int	cli_info(struct cli *, int argc, char **argv);
int	cli_group(struct cli *, int argc, char **argv);
int	cli_reporter(struct cli *, int argc, char **argv);
int	cli_alias(struct cli *, int argc, char **argv);
int	cli_keyword(struct cli *, int argc, char **argv);
int	cli_contact(struct cli *, int argc, char **argv);
int	cli_event(struct cli *, int argc, char **argv);
int	cli_broadcast(struct cli *, int argc, char **argv);
int	cli_outbox(struct cli *, int argc, char **argv);
int	cli_inbox(struct cli *, int argc, char **argv);
int	cli_status(struct cli *, int argc, char **argv);
int	cli_ussd(struct cli *, int argc, char **argv);
int	cli_user(struct cli *, int argc, char **argv);
int	cli_reload(struct cli *, int argc, char **argv);
int	cli_poll(struct cli *, int argc, char **argv);
int	cli_survey(struct cli *, int argc, char **argv);
int	cli_poll_event_set(struct cli *, int argc, char **argv);
int	cli_expert(struct cli *, int argc, char **argv);
int	cli_question(struct cli *, int argc, char **argv);

/* csv.c: CSV files as spreadsheets write them. */
int	cli_csv_price_import(struct cli *, int argc, char **argv);
int	cli_csv_price_export(struct cli *, int argc, char **argv);
int	cli_csv_contact_import(struct cli *, int argc, char **argv);
int	cli_csv_contact_export(struct cli *, int argc, char **argv);
int	cli_csv_info_import(struct cli *, int argc, char **argv);
int	cli_csv_info_export(struct cli *, int argc, char **argv);
int	cli_csv_export_stmt(struct cli *, sqlite3_stmt *, int argc,
	    char **argv, const char *usage, const char *what);

#endif
