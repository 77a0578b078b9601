/*
 * Metrics in the Prometheus text format (version 0.0.4).  Nothing is
 * counted in memory except HTTP responses: every other figure is read from
 * the database when /metrics is scraped, so the numbers survive restarts
 * and agree with what `kentongan` shows.  The send latency histogram is
 * computed from outbox created_at -> sent_at of every sent row.
 */
#include <stdio.h>
#include <string.h>

#include <event2/buffer.h>

#include "conf.h"
#include "lag.h"
#include "metrics.h"
#include "outbox.h"
#include "store.h"

/* HTTP responses by class: 1xx .. 5xx. */
static unsigned long long metrics_http[6];

/* Count one HTTP response by its status code. */
void
metrics_http_count(int code)
{
	if (code >= 100 && code < 600)
		metrics_http[code / 100]++;
}

/* Write a label value with \, " and newline escaped. */
static void
metrics_label(struct evbuffer *b, const char *v)
{
	for (; v != NULL && *v != '\0'; v++) {
		if (*v == '\\' || *v == '"')
			evbuffer_add_printf(b, "\\%c", *v);
		else if (*v == '\n')
			evbuffer_add(b, "\\n", 2);
		else
			evbuffer_add(b, v, 1);
	}
}

/* Write the HELP and TYPE lines of a metric. */
static void
metrics_head(struct evbuffer *b, const char *name, const char *type,
    const char *help)
{
	evbuffer_add_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help,
	    name, type);
}

/* Per configured modem: up, signal, and the counters the daemon keeps. */
static int
metrics_modems(struct store *s, const struct conf *conf, struct evbuffer *b)
{
	static const char sql[] = "SELECT state, signal, received, sent, "
	    "errors, balance_amount FROM modems WHERE name = ?";
	static const struct {
		const char	*name, *type, *help;
		int		 col, nullable;	/* nullable: no line if NULL */
	} m[] = {
		{ "kentongan_modem_up", "gauge",
		    "1 when the modem is open and working.", 0, 0 },
		{ "kentongan_modem_signal_percent", "gauge",
		    "Signal strength reported by the modem.", 1, 1 },
		{ "kentongan_messages_received_total", "counter",
		    "SMS parts read from the modem.", 2, 0 },
		{ "kentongan_messages_sent_total", "counter",
		    "SMS parts the modem accepted for sending.", 3, 0 },
		{ "kentongan_modem_errors_total", "counter",
		    "Sends that failed on the modem.", 4, 0 },
		{ "kentongan_modem_balance", "gauge",
		    "SIM balance in rupiah, from the last balance check.",
		    5, 1 },
	};
	sqlite3_stmt	*st;
	size_t		 i;
	int		 j, rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		metrics_head(b, m[i].name, m[i].type, m[i].help);
		for (j = 0; j < conf->nmodems; j++) {
			sqlite3_bind_text(st, 1, conf->modems[j].name, -1,
			    SQLITE_STATIC);
			rc = sqlite3_step(st);
			if (m[i].nullable && (rc != SQLITE_ROW ||
			    sqlite3_column_type(st, m[i].col) == SQLITE_NULL)) {
				sqlite3_reset(st);
				continue;
			}
			evbuffer_add_printf(b, "%s{modem=\"", m[i].name);
			metrics_label(b, conf->modems[j].name);
			if (m[i].col == 0)
				evbuffer_add_printf(b, "\"} %d\n",
				    rc == SQLITE_ROW && strcmp("up",
				    (const char *)sqlite3_column_text(st, 0)) ==
				    0);
			else
				evbuffer_add_printf(b, "\"} %lld\n",
				    rc == SQLITE_ROW ? (long long)
				    sqlite3_column_int64(st, m[i].col) : 0LL);
			sqlite3_reset(st);
		}
	}
	return 0;
}

/*
 * Outbox rows by modem and state, and the queue depth.  Only the states
 * a row leaves or that stay few, through the state index: counting the
 * 'sent' and 'delivered' rows is a scan of every message ever sent, a
 * second of the loop at a million rows each scrape (the sends are
 * kentongan_messages_sent_total).
 */
static int
metrics_outbox(struct store *s, struct evbuffer *b)
{
	static const char by_state[] = "SELECT modem, state, count(*) FROM "
	    "outbox WHERE state IN ('queued', 'sending', 'failed', "
	    "'cancelled') GROUP BY modem, state ORDER BY modem, state";
	static const char depth[] = "SELECT "
	    "(SELECT count(*) FROM outbox WHERE state = 'queued'), "
	    "(SELECT count(*) FROM outbox WHERE state = 'sending'), "
	    "(SELECT count(*) FROM inbox WHERE state = 'new')";
	sqlite3_stmt	*st;

	if ((st = store_stmt(s, by_state)) == NULL)
		return -1;
	metrics_head(b, "kentongan_outbox_messages", "gauge",
	    "Outgoing messages queued, sending, failed or cancelled, by modem "
	    "and state (modem \"\" = not yet assigned).");
	while (sqlite3_step(st) == SQLITE_ROW) {
		evbuffer_add(b, "kentongan_outbox_messages{modem=\"", 33);
		metrics_label(b, (const char *)sqlite3_column_text(st, 0));
		evbuffer_add(b, "\",state=\"", 9);
		metrics_label(b, (const char *)sqlite3_column_text(st, 1));
		evbuffer_add_printf(b, "\"} %lld\n",
		    (long long)sqlite3_column_int64(st, 2));
	}
	sqlite3_reset(st);
	if ((st = store_stmt(s, depth)) == NULL)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return -1;
	}
	metrics_head(b, "kentongan_queue_depth", "gauge",
	    "Messages waiting: outbox queued or sending, inbox not yet "
	    "processed.");
	evbuffer_add_printf(b, "kentongan_queue_depth{queue=\"outbox\","
	    "state=\"queued\"} %lld\n", (long long)sqlite3_column_int64(st, 0));
	evbuffer_add_printf(b, "kentongan_queue_depth{queue=\"outbox\","
	    "state=\"sending\"} %lld\n",
	    (long long)sqlite3_column_int64(st, 1));
	evbuffer_add_printf(b, "kentongan_queue_depth{queue=\"inbox\","
	    "state=\"new\"} %lld\n", (long long)sqlite3_column_int64(st, 2));
	sqlite3_reset(st);
	return 0;
}

/* The send latency histogram, from created_at to sent_at. */
static void
metrics_latency(struct evbuffer *b)
{
	static const char		 name[] = "kentongan_send_latency_seconds";
	const struct outbox_latency	*l = outbox_latency();
	int				 i;

	metrics_head(b, name, "histogram", "Seconds from queueing a message "
	    "to the modem accepting it, for the sends since kentongand "
	    "started.");
	for (i = 0; i < OUTBOX_LATENCY_BUCKETS; i++)
		evbuffer_add_printf(b, "%s_bucket{le=\"%d\"} %llu\n", name,
		    outbox_latency_le[i], (unsigned long long)l->le[i]);
	evbuffer_add_printf(b, "%s_bucket{le=\"+Inf\"} %llu\n", name,
	    (unsigned long long)l->count);
	evbuffer_add_printf(b, "%s_sum %.0f\n", name, l->sum);
	evbuffer_add_printf(b, "%s_count %llu\n", name,
	    (unsigned long long)l->count);
}

/* Write every metric to b; -1 when the database could not be read. */
int
metrics_write(struct store *s, const struct conf *conf, struct evbuffer *b)
{
	int i;

	metrics_head(b, "kentongan_up", "gauge", "1 while kentongand runs.");
	evbuffer_add_printf(b, "kentongan_up 1\n");
	if (metrics_modems(s, conf, b) == -1 || metrics_outbox(s, b) == -1)
		return -1;
	metrics_latency(b);
	metrics_head(b, "kentongan_http_responses_total", "counter",
	    "HTTP responses by status class.");
	for (i = 1; i < 6; i++)
		evbuffer_add_printf(b, "kentongan_http_responses_total{"
		    "code=\"%dxx\"} %llu\n", i, metrics_http[i]);
	metrics_head(b, "kentongan_loop_lag_max_seconds", "gauge",
	    "The worst lateness of the event loop since start.");
	evbuffer_add_printf(b, "kentongan_loop_lag_max_seconds %.3f\n",
	    (double)lag_worst_us() / 1e6);
	return 0;
}
