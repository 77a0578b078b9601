/*
 * core: kentongan's message path without a modem, on one core.
 *
 * Each message goes the way a part read from a modem goes in kentongand:
 * inbox_receive() commits it to the inbox, routes it (tokenise, keyword
 * match, SQLite price lookup, the sender's contact row), queues the reply
 * in the outbox, on a real SQLite file in WAL mode with
 * synchronous=FULL.  As kentongand does with what one read of a worker's
 * socket brings, BATCH messages (64 by default) are stored and routed in
 * one transaction (group commit: one fsync for them all); BATCH 1 is one
 * transaction a message.  Senders are all different, so the loop guard
 * never holds a reply back.
 *
 * Prints "core: N messages in S s: R msgs/s" and exits 1 unless every
 * message got exactly one queued reply.
 *
 * usage: core CONFIG N [BATCH]
 * CONFIG is a kentongan.conf naming a database that does not exist yet.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wire.h"
#include "conf.h"
#include "inbox.h"
#include "log.h"
#include "price.h"
#include "store.h"

static const char *const core_texts[] = {
	"HARGA CABAI KEDIRI", "harga beras", " hagra#cabai*pare. ",
	"PRICE SHALLOT", "HARGA CABAI",
};

/* Load the prices the messages ask about. */
static int
core_prices(struct store *s)
{
	static const struct { const char *c, *m; int64_t p; } p[] = {
		{ "CABAI", "KEDIRI", 45000 }, { "CABAI", "PARE", 44000 },
		{ "BERAS", "KEDIRI", 13500 }, { "BERAS", "PARE", 13200 },
		{ "BAWANG", "KEDIRI", 32000 },
	};
	size_t	i;

	if (store_begin(s) == -1)
		return -1;
	for (i = 0; i < sizeof(p) / sizeof(p[0]); i++)
		if (price_set(s, p[i].c, p[i].m, p[i].p, "kg", "2026-11-21",
		    "bench", NULL) == -1) {
			store_rollback(s);
			return -1;
		}
	return store_commit(s);
}

/* Count the outbox rows queued as replies. */
static long
core_replies(struct store *s)
{
	sqlite3_stmt	*st;
	long		 n = -1;

	if ((st = store_stmt(s, "SELECT COUNT(*) FROM outbox")) == NULL)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return n;
}

/* Return monotonic time in seconds. */
static double
core_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	static struct conf	conf;
	struct wire_sms_in	in;
	struct store		*s;
	char			 err[512];
	double			 t0, secs;
	long			 n, i, replies, batch = 64;

	if (argc == 4)
		batch = strtol(argv[3], NULL, 10);
	if ((argc != 3 && argc != 4) || (n = strtol(argv[2], NULL, 10)) < 1 ||
	    n > 10000000 || batch < 1 || batch > 64) {
		fprintf(stderr, "usage: core CONFIG N [BATCH (1-64)]\n");
		return 2;
	}
	log_init(1, 0, "core");
	if (conf_load(argv[1], &conf, err, sizeof(err)) == -1 ||
	    store_open(conf.database, &s, err, sizeof(err)) == -1) {
		fprintf(stderr, "core: %s\n", err);
		return 1;
	}
	if (core_prices(s) == -1) {
		fprintf(stderr, "core: prices: %s\n", store_errmsg(s));
		return 1;
	}
	t0 = core_now();
	for (i = 0; i < n; i++) {
		if (batch > 1 && i % batch == 0 && store_begin(s) == -1) {
			fprintf(stderr, "core: begin: %s\n", store_errmsg(s));
			return 1;
		}
		memset(&in, 0, sizeof(in));
		in.folder = 1;
		in.location = (int)(i % 255) + 1;
		in.coding = WIRE_CODING_GSM7;
		in.concat_ref = -1;
		in.concat_total = 1;
		snprintf(in.sender, sizeof(in.sender), "+62813%07ld", i);
		snprintf(in.smsc_time, sizeof(in.smsc_time),
		    "2026-11-22 08:00:00 +0700");
		snprintf(in.text, sizeof(in.text), "%s",
		    core_texts[i % (sizeof(core_texts) /
		    sizeof(core_texts[0]))]);
		if (inbox_receive(s, &conf, "bench", &in) == -1) {
			fprintf(stderr, "core: message %ld not stored\n", i);
			return 1;
		}
		if (batch > 1 && (i % batch == batch - 1 || i == n - 1) &&
		    store_commit(s) == -1) {
			fprintf(stderr, "core: commit: %s\n", store_errmsg(s));
			return 1;
		}
	}
	secs = core_now() - t0;
	replies = core_replies(s);
	store_close(s);
	if (replies != n) {
		fprintf(stderr, "core: %ld messages but %ld replies\n", n,
		    replies);
		return 1;
	}
	printf("core: %ld messages in %.3f s: %.0f msgs/s\n", n, secs,
	    (double)n / secs);
	return 0;
}
