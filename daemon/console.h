/* The web console, served under /console/ on the http listener. */
#ifndef KT_CONSOLE_H
#define KT_CONSOLE_H

#include <jansson.h>
#include <sqlite3.h>

struct evhttp;
struct evhttp_request;
struct event_base;
struct store;
struct conf;
struct user_session;

int	console_init(struct evhttp *, struct store *,
	    const struct conf *);
void	console_free(void);

/* For console_*.c: the state they share and the replies they send. */
struct store		*console_store(void);
const struct conf	*console_conf(void);
void	console_json(struct evhttp_request *, int code, json_t *doc);
void	console_error(struct evhttp_request *, int code, const char *msg);
json_t	*console_body(struct evhttp_request *);
const char *console_arg(struct evhttp_request *, const char *key, char *buf,
	    size_t len);
int	console_begin(struct evhttp_request *);
int	console_commit(struct evhttp_request *, int failed, const char *what);
int	console_needs_count(void);
json_t	*console_col(sqlite3_stmt *, int col);
json_t	*console_col_int(sqlite3_stmt *, int col);
json_t	*console_rows(sqlite3_stmt *, json_t *(*row)(sqlite3_stmt *));

/* console_inbox.c: conversations, replies, the simulator. */
void	console_conversations(struct evhttp_request *,
	    const struct user_session *);
void	console_thread(struct evhttp_request *, const struct user_session *);
void	console_reply(struct evhttp_request *, const struct user_session *);
void	console_dismiss(struct evhttp_request *, const struct user_session *);
void	console_simulate(struct evhttp_request *, const struct user_session *);

/* console_contacts.c: contacts and groups. */
void	console_contacts(struct evhttp_request *, const struct user_session *);
void	console_groups(struct evhttp_request *, const struct user_session *);
void	console_contact_save(struct evhttp_request *,
	    const struct user_session *);
void	console_contact_remove(struct evhttp_request *,
	    const struct user_session *);
void	console_contacts_import(struct evhttp_request *,
	    const struct user_session *);
void	console_contacts_csv(struct evhttp_request *,
	    const struct user_session *);
void	console_group_join(struct evhttp_request *,
	    const struct user_session *);
void	console_group_leave(struct evhttp_request *,
	    const struct user_session *);

/* console_broadcast.c: the broadcast composer and progress. */
void	console_broadcasts(struct evhttp_request *,
	    const struct user_session *);
void	console_bc_audience(struct evhttp_request *,
	    const struct user_session *);
void	console_bc_send(struct evhttp_request *, const struct user_session *);
void	console_bc_cancel(struct evhttp_request *, const struct user_session *);
void	console_bc_retry(struct evhttp_request *, const struct user_session *);

/* console_events.c: events and their registrants. */
void	console_ev_list(struct evhttp_request *, const struct user_session *);
void	console_ev_show(struct evhttp_request *, const struct user_session *);
void	console_ev_csv(struct evhttp_request *, const struct user_session *);
void	console_ev_save(struct evhttp_request *, const struct user_session *);
void	console_ev_cancel(struct evhttp_request *, const struct user_session *);
void	console_ev_close(struct evhttp_request *, const struct user_session *);
void	console_ev_remind(struct evhttp_request *, const struct user_session *);

/* console_prices.c: prices and held field reports. */
void	console_prices(struct evhttp_request *, const struct user_session *);
void	console_price_history(struct evhttp_request *,
	    const struct user_session *);
void	console_price_set(struct evhttp_request *, const struct user_session *);
void	console_price_review(struct evhttp_request *,
	    const struct user_session *);
void	console_prices_import(struct evhttp_request *,
	    const struct user_session *);
void	console_prices_csv(struct evhttp_request *,
	    const struct user_session *);
void	console_reporter_set(struct evhttp_request *,
	    const struct user_session *);

/* console_content.c: info pages, reply texts, aliases. */
void	console_content(struct evhttp_request *, const struct user_session *);
void	console_info_set(struct evhttp_request *, const struct user_session *);
void	console_text_set(struct evhttp_request *, const struct user_session *);
void	console_keyword_add(struct evhttp_request *,
	    const struct user_session *);
void	console_keyword_remove(struct evhttp_request *,
	    const struct user_session *);
void	console_alias_add(struct evhttp_request *, const struct user_session *);
void	console_alias_remove(struct evhttp_request *,
	    const struct user_session *);

/* console_ussd.c: the USSD menu editor and simulator. */
void	console_ussd_menu(struct evhttp_request *, const struct user_session *);
void	console_ussd_add(struct evhttp_request *, const struct user_session *);
void	console_ussd_set(struct evhttp_request *, const struct user_session *);
void	console_ussd_delete(struct evhttp_request *,
	    const struct user_session *);
void	console_ussd_sim(struct evhttp_request *, const struct user_session *);

/* console_polls.c: polls' results and questions to experts, read-only. */
void	console_polls(struct evhttp_request *, const struct user_session *);
void	console_questions(struct evhttp_request *, const struct user_session *);

/* console_settings.c: modems and settings, read-only. */
void	console_modems(struct evhttp_request *, const struct user_session *);
void	console_settings(struct evhttp_request *, const struct user_session *);

/* console_dash.c: the dashboard and the audit log. */
void	console_dashboard(struct evhttp_request *,
	    const struct user_session *);
void	console_audit(struct evhttp_request *, const struct user_session *);
void	console_audit_csv(struct evhttp_request *,
	    const struct user_session *);

/* console_csv.c: CSV downloads, and uploads checked before they are stored. */
struct csvin_reader;
struct csvin_column;
struct evbuffer;

/* What differs between the uploads: the owner's columns, check and save. */
struct console_csv_kind {
	const char			*noun;		/* "contact" */
	const char			*cli;		/* for big files */
	const char			*same;		/* a row not new: "updated" */
	const char			*audit;		/* the audit action */
	const struct csvin_column	*cols;
	int				 ncols;
	const char			*columns;	/* what a header needs */
	size_t				 rowsize;	/* rows start with int line */
	/* Fill row from the fields; 0, or -1 with why (the CLI's words). */
	int	(*check)(void *row, struct csvin_reader *, const int *col,
		    char *why, size_t len);
	const char *(*key)(const void *row);	/* NULL: no twins to find */
	const char *key_name;			/* "phone" */
	json_t	*(*show)(const void *row);	/* a row of the preview */
	int	(*save)(struct store *, const void *row); /* 1 new, 0, -1 */
};
void	console_csv_import(struct evhttp_request *, const struct user_session *,
	    const struct console_csv_kind *);
struct evbuffer *console_csv_start(struct evhttp_request *, const char *header,
	    int excel);
void	console_csv_row(struct evbuffer *, const char *const *cells, int n,
	    int excel);
void	console_csv_done(struct evhttp_request *, const char *filename);
void	console_csv_send(struct evhttp_request *, sqlite3_stmt *,
	    const char *header, int ncols, const char *filename);

/* console_live.c: server-sent events, woken by the inbox's commits. */
/*
 * The live streams (console_live.c), given to console.c by main.c, so the
 * routes reach them without console.c calling into that file.
 */
struct console_live_hooks {
	void	(*open)(struct evhttp_request *, const struct user_session *,
		    const char *token);
	void	(*logout)(const char *token);
};
void	console_set_live(const struct console_live_hooks *);
int	console_live_init(struct event_base *);
void	console_live_free(void);
void	console_live_open(struct evhttp_request *, const struct user_session *,
	    const char *token);
void	console_live_notify(void);
void	console_live_logout(const char *token);

#endif
