/*
 * The inbox.
 *
 * DESIGN: a part read from a modem is committed here before the worker
 * may delete it from the SIM.  Each part carries a deduplication key
 * (modem, sender, SMSC time, concatenation reference and part, text hash,
 * SIM slot), so a part read twice -- after a crash, or because the delete
 * failed -- is recognised and acknowledged without a second reply.  A
 * part in a slot the worker emptied since (fresh) is always new.
 *
 * Concatenated parts wait in inbox_parts until the set is complete (in any
 * order, across restarts); a set still incomplete after multipart_timeout
 * is processed with what arrived and marked incomplete.
 *
 * An admin's SIAR PIN is stored masked (router_mask_secret); the message
 * is routed with the text as it came.
 *
 * The message, the command's effects and the reply in the outbox are one
 * transaction.  If routing fails, a savepoint keeps the message itself
 * (state 'new'), and it is routed again later.
 */
#include <stdio.h>
#include <string.h>

#include "modem.h"
#include "wire.h"
#include "conf.h"
#include "inbox.h"
#include "log.h"
#include "outbox.h"
#include "router.h"
#include "store.h"

#define INBOX_TEXT_MAX	(64 * 1024)	/* longest assembled message kept */

/* Told after each commit of a new message (the console's live view). */
static void	(*inbox_hook)(void);

/* 64-bit FNV-1a: a short, stable fingerprint of a text. */
static uint64_t
inbox_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

/*
 * Build the deduplication key of a part: what it says, when, and the SIM
 * slot it was read from, so identical texts sent within one second (one
 * SMSC time stamp) in two slots stay two messages.
 */
static void
inbox_key(const char *modem, const struct wire_sms_in *in, char *key,
    size_t len)
{
	snprintf(key, len, "%s|%s|%s|%d|%d|%d|%016llx|%d/%d", modem,
	    in->sender, in->smsc_time, in->concat_ref, in->concat_part,
	    in->concat_total, (unsigned long long)inbox_hash(in->text),
	    in->folder, in->location);
}

/*
 * A fresh part (its slot emptied by the worker since the last read) is a
 * new message even when an identical one came through the same slot in
 * the same second: give it the first free key of its family (key, then
 * key#2, ...).  A part that is not fresh keeps its key, so reading it
 * again after a crash is still recognised.
 */
static int
inbox_key_fresh(struct store *s, char *key, size_t len)
{
	static const char sql[] = "SELECT (SELECT count(*) FROM inbox WHERE "
	    "dedup_key = ?1) + (SELECT count(*) FROM inbox_parts WHERE "
	    "dedup_key = ?1)";
	char		 base[256];
	sqlite3_stmt	*st;
	int		 n, taken;

	snprintf(base, sizeof(base), "%s", key);
	for (n = 2; n < 1000; n++) {
		if ((st = store_stmt(s, sql)) == NULL)
			return -1;
		sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
		taken = sqlite3_step(st) == SQLITE_ROW ?
		    sqlite3_column_int(st, 0) : -1;
		sqlite3_reset(st);
		if (taken <= 0)
			return taken;
		snprintf(key, len, "%s#%d", base, n);
	}
	return -1;
}

static const char *
inbox_coding_name(int coding)
{
	switch (coding) {
	case WIRE_CODING_UCS2:	return "ucs2";
	case WIRE_CODING_8BIT:	return "8bit";
	case WIRE_CODING_UNDECODABLE:	return "pdu";
	default:		return "gsm7";
	}
}

/* Insert a message; return its id, 0 if it was a duplicate, -1 on error. */
static int64_t
inbox_insert(struct store *s, const char *modem, const char *sender,
    const char *smsc_time, const char *coding, const char *text,
    const char *key, int parts, int incomplete)
{
	static const char sql[] = "INSERT OR IGNORE INTO inbox (modem, "
	    "sender, smsc_time, received_at, coding, text, dedup_key, parts, "
	    "incomplete) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, modem, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, sender, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, smsc_time, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, store_now());
	sqlite3_bind_text(st, 5, coding, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, text, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, key, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 8, parts);
	sqlite3_bind_int(st, 9, incomplete);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return -1;
	if (sqlite3_changes(store_db(s)) == 0)
		return 0;
	return sqlite3_last_insert_rowid(store_db(s));
}

/* Find the message stored under a deduplication key; -1 if none. */
static int64_t
inbox_id_by_key(struct store *s, const char *key)
{
	static const char sql[] = "SELECT id FROM inbox WHERE dedup_key = ?";
	sqlite3_stmt	*st;
	int64_t		 id = -1;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return id;
}

/* Mark a message handled, with a note on what was done. */
static int
inbox_mark(struct store *s, int64_t id, const char *state, const char *note)
{
	static const char sql[] = "UPDATE inbox SET state = ?, note = ?, "
	    "processed_at = ? WHERE id = ?";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, state, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, note, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, store_now());
	sqlite3_bind_int64(st, 4, id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * Route a committed message and queue its reply, inside the caller's
 * transaction.  On failure the message stays 'new' and 0 is still
 * returned: it is retried by inbox_process_pending.
 */
int
inbox_route(struct store *s, const struct conf *conf, int64_t id,
    const char *sender, const char *text)
{
	struct router_in	in = { sender, text, id };
	struct router_out	out;

	if (store_exec(s, "SAVEPOINT route") == -1)
		return -1;
	if (router_handle(s, conf, &in, &out) == -1 ||
	    (out.reply && outbox_enqueue(s, out.to, out.text,
	    OUTBOX_PRIO_REPLY, id, 0) < 0) ||
	    inbox_mark(s, id, out.reply ? "done" : "ignored",
	    out.reply ? out.command : out.note) == -1 ||
	    ((out.needs_person || strcmp(out.command, "unknown") == 0) &&
	    inbox_needs_person(s, id, 1) == -1)) {
		log_warnx("inbox %lld: routing failed, will retry: %s",
		    (long long)id, store_errmsg(s));
		store_exec(s, "ROLLBACK TO route");
		store_exec(s, "RELEASE route");
		return 0;
	}
	return store_exec(s, "RELEASE route");
}

/* Store one part of a concatenated message; -1 on error. */
static int
inbox_add_part(struct store *s, const char *modem,
    const struct wire_sms_in *in, const char *key)
{
	static const char sql[] = "INSERT OR IGNORE INTO inbox_parts (modem, "
	    "sender, concat_ref, part, total, smsc_time, coding, text, "
	    "dedup_key, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, modem, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, in->sender, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, in->concat_ref);
	sqlite3_bind_int(st, 4, in->concat_part);
	sqlite3_bind_int(st, 5, in->concat_total);
	sqlite3_bind_text(st, 6, in->smsc_time, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, inbox_coding_name(in->coding), -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(st, 8, in->text, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 10, store_now());
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Blank the parts of a set whose message held a PIN: the inbox row is masked. */
static int
inbox_forget_parts(struct store *s, int64_t id)
{
	static const char sql[] = "UPDATE inbox_parts SET text = '' WHERE "
	    "inbox_id = ?";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

struct inbox_set {
	char	modem[32];
	char	sender[WIRE_NUMBER_MAX];
	int	ref;
	int	total;
};

/*
 * Join the waiting parts of a set into one message (in part order) and
 * route it.  With force, an incomplete set is processed as it is.
 * Return 1 if a message was made, 0 if the set is still waiting.
 */
static int
inbox_assemble(struct store *s, const struct conf *conf,
    const struct inbox_set *set, int force)
{
	static const char sql_parts[] = "SELECT part, text, smsc_time, "
	    "coding FROM inbox_parts WHERE modem = ? AND sender = ? AND "
	    "concat_ref = ? AND total = ? AND inbox_id IS NULL "
	    "GROUP BY part ORDER BY part";
	static const char sql_done[] = "UPDATE inbox_parts SET inbox_id = ? "
	    "WHERE modem = ? AND sender = ? AND concat_ref = ? AND total = ? "
	    "AND inbox_id IS NULL";
	static char	 text[INBOX_TEXT_MAX], shown[INBOX_TEXT_MAX];
	sqlite3_stmt	*st;
	char		 smsc_time[32] = "", coding[8] = "gsm7", key[160];
	const char	*t;
	int		 n = 0, incomplete, masked;
	int64_t		 id;
	size_t		 used = 0, len;

	if ((st = store_stmt(s, sql_parts)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, set->modem, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, set->sender, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, set->ref);
	sqlite3_bind_int(st, 4, set->total);
	text[0] = '\0';
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n++ == 0) {
			store_copy_text(st, 2, smsc_time, sizeof(smsc_time));
			store_copy_text(st, 3, coding, sizeof(coding));
		}
		t = (const char *)sqlite3_column_text(st, 1);
		len = t ? strlen(t) : 0;
		if (used + len + 1 < sizeof(text)) {
			memcpy(text + used, t, len);
			used += len;
			text[used] = '\0';
		}
	}
	sqlite3_reset(st);
	incomplete = n < set->total;
	if (n == 0 || (incomplete && !force))
		return 0;
	snprintf(key, sizeof(key), "multi|%s|%s|%d|%d|%s", set->modem,
	    set->sender, set->ref, set->total, smsc_time);
	masked = router_mask_secret(s, text, shown, sizeof(shown));
	id = inbox_insert(s, set->modem, set->sender, smsc_time, coding, shown,
	    key, n, incomplete);
	if (id == 0)
		id = inbox_id_by_key(s, key);
	else if (id > 0) {
		if (incomplete)
			log_info("inbox %lld: message from %s processed with "
			    "%d of %d parts", (long long)id, set->sender, n,
			    set->total);
		if (inbox_route(s, conf, id, set->sender, text) == -1)
			return -1;
	}
	if (id <= 0 || (st = store_stmt(s, sql_done)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, set->modem, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, set->sender, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, set->ref);
	sqlite3_bind_int(st, 5, set->total);
	n = sqlite3_step(st);
	sqlite3_reset(st);
	if (n != SQLITE_DONE || (masked && inbox_forget_parts(s, id) == -1))
		return -1;
	return 1;
}

/*
 * Commit one part read from a modem; 0 once it is safely stored.  Inside
 * the caller's transaction (the daemon's batch of one read) it is stored
 * under a savepoint, and safe once the caller commits.
 */
int
inbox_receive(struct store *s, const struct conf *conf, const char *modem,
    const struct wire_sms_in *in)
{
	static char		 shown[WIRE_PART_TEXT_MAX + 8];
	struct inbox_set	 set;
	char			 key[300];
	int64_t			 id;
	int			 binary = in->coding == WIRE_CODING_8BIT;
	int			 outer = store_in_tx(s);
	int			 raw = in->coding == WIRE_CODING_UNDECODABLE;

	if (!sms_utf8_valid(in->text)) {
		log_warnx("modem %s: dropping invalid text from worker", modem);
		return -1;
	}
	inbox_key(modem, in, key, sizeof(key));
	if (outer ? store_exec(s, "SAVEPOINT part") == -1 :
	    store_begin(s) == -1)
		return -1;
	if (in->fresh && inbox_key_fresh(s, key, sizeof(key)) == -1)
		goto fail;
	if (in->concat_total > 1 && !binary && !raw) {
		if (inbox_add_part(s, modem, in, key) == -1)
			goto fail;
		memset(&set, 0, sizeof(set));
		snprintf(set.modem, sizeof(set.modem), "%s", modem);
		snprintf(set.sender, sizeof(set.sender), "%s", in->sender);
		set.ref = in->concat_ref;
		set.total = in->concat_total;
		if (inbox_assemble(s, conf, &set, 0) == -1)
			goto fail;
		id = 1;		/* a set may be complete: tell the hook */
		goto commit;
	}
	router_mask_secret(s, in->text, shown, sizeof(shown));
	id = inbox_insert(s, modem, in->sender, in->smsc_time,
	    inbox_coding_name(in->coding), shown, key, 1, 0);
	if (id < 0)
		goto fail;
	if (id == 0)
		log_debug("modem %s: part from %s read again; already stored",
		    modem, in->sender);
	else if (binary || raw) {
		/* Kept, not routed: raw is a PDU no decoder could read. */
		if (inbox_mark(s, id, "ignored", raw ? "undecodable" :
		    "binary (8-bit) message") == -1)
			goto fail;
	} else if (inbox_route(s, conf, id, in->sender, in->text) == -1)
		goto fail;
commit:
	if (outer ? store_exec(s, "RELEASE part") == -1 :
	    store_commit(s) == -1)
		return -1;
	if (id > 0 && inbox_hook != NULL)
		inbox_hook();
	return 0;
fail:
	log_warnx("modem %s: cannot store message from %s: %s", modem,
	    in->sender, store_errmsg(s));
	if (outer) {
		store_exec(s, "ROLLBACK TO part");
		store_exec(s, "RELEASE part");
	} else
		store_rollback(s);
	return -1;
}

/* Route messages left 'new' (by a crash or a failed route). */
int
inbox_process_pending(struct store *s, const struct conf *conf)
{
	static const char sql[] = "SELECT id, sender, text FROM inbox WHERE "
	    "state = 'new' AND id > ? ORDER BY id LIMIT 1";
	static char	 text[INBOX_TEXT_MAX];
	sqlite3_stmt	*st;
	char		 sender[WIRE_NUMBER_MAX];
	int64_t		 id, last = 0;
	int		 n = 0, rc;

	for (;;) {
		if ((st = store_stmt(s, sql)) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, last);
		if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
			sqlite3_reset(st);
			break;
		}
		id = last = sqlite3_column_int64(st, 0);
		store_copy_text(st, 1, sender, sizeof(sender));
		store_copy_text(st, 2, text, sizeof(text));
		sqlite3_reset(st);
		if (store_begin(s) == -1)
			return -1;
		if (inbox_route(s, conf, id, sender, text) == -1 ||
		    store_commit(s) == -1) {
			store_rollback(s);
			return -1;
		}
		n++;
	}
	if (n > 0)
		log_info("inbox: routed %d message(s) left from before", n);
	return n;
}

/* Process concatenated sets that waited longer than multipart_timeout. */
int
inbox_expire_parts(struct store *s, const struct conf *conf)
{
	static const char sql[] = "SELECT modem, sender, concat_ref, total "
	    "FROM inbox_parts WHERE inbox_id IS NULL GROUP BY modem, sender, "
	    "concat_ref, total HAVING MIN(received_at) <= ? LIMIT 1";
	struct inbox_set	 set;
	sqlite3_stmt		*st;
	int			 n = 0;

	for (;;) {
		if ((st = store_stmt(s, sql)) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, store_now() - conf->multipart_timeout);
		if (sqlite3_step(st) != SQLITE_ROW) {
			sqlite3_reset(st);
			return n;
		}
		memset(&set, 0, sizeof(set));
		store_copy_text(st, 0, set.modem, sizeof(set.modem));
		store_copy_text(st, 1, set.sender, sizeof(set.sender));
		set.ref = sqlite3_column_int(st, 2);
		set.total = sqlite3_column_int(st, 3);
		sqlite3_reset(st);
		if (store_begin(s) == -1)
			return -1;
		if (inbox_assemble(s, conf, &set, 1) != 1 ||
		    store_commit(s) == -1) {
			store_rollback(s);
			return -1;
		}
		n++;
	}
}

/* Be told after each new message is committed (NULL: no longer). */
void
inbox_set_hook(void (*fn)(void))
{
	inbox_hook = fn;
}

/*
 * Set the "needs a person" mark of one message (id) or of every message of
 * a sender, in the caller's transaction; the rows changed, or -1.
 */
static int
inbox_set_needs(struct store *s, int on, int64_t id, const char *sender)
{
	static const char sql[] = "UPDATE inbox SET needs_person = ?1 WHERE "
	    "(id = ?2 OR sender = ?3) AND needs_person <> ?1";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_int(st, 1, on != 0);
	sqlite3_bind_int64(st, 2, id);
	if (sender != NULL)
		sqlite3_bind_text(st, 3, sender, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return -1;
	return sqlite3_changes(store_db(s));
}

/* Put a message in the "needs a person" queue (on = 1) or take it out. */
int
inbox_needs_person(struct store *s, int64_t id, int on)
{
	return inbox_set_needs(s, on, id, NULL);
}

/*
 * A person answered a sender: every message of theirs waiting for one
 * leaves the queue.  The number of messages taken out, or -1.
 */
int
inbox_answered(struct store *s, const char *sender)
{
	return inbox_set_needs(s, 0, 0, sender);
}
