/*
 * The store owns the SQLite connection.
 *
 * DESIGN: callers keep their SQL next to the code that uses it, as static
 * strings, and get a prepared statement from store_stmt(), which caches it
 * by the string's address.  Every statement therefore is prepared once and
 * takes bound parameters only.  Writers use BEGIN IMMEDIATE so that the
 * daemon and the CLI never deadlock upgrading a read lock; synchronous=FULL
 * because a committed inbox row is our licence to delete the SIM copy.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "store.h"

#define STORE_CACHE_MAX	256
#define STORE_BUSY_MS	5000

struct store_cached {
	const char	*sql;
	sqlite3_stmt	*stmt;
};

struct store {
	sqlite3			*db;
	int			 in_tx;
	int			 busy_ms;	/* store_set_busy's limit */
	struct timespec		 busy_since;
	int			 ncached;
	struct store_cached	 cache[STORE_CACHE_MAX];
};

/* Return the current time in unix seconds. */
int64_t
store_now(void)
{
	return (int64_t)time(NULL);
}

/* Write today's local date as YYYY-MM-DD. */
void
store_today(char *buf, size_t len)
{
	time_t		now = time(NULL);
	struct tm	tm;

	localtime_r(&now, &tm);
	strftime(buf, len, "%Y-%m-%d", &tm);
}

/* Copy a text column into a bounded buffer ("" for NULL). */
void
store_copy_text(sqlite3_stmt *st, int col, char *buf, size_t len)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	snprintf(buf, len, "%s", t ? (const char *)t : "");
}

/* Run SQL without results (pragmas, schema, transactions). */
int
store_exec(struct store *s, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		log_warnx("database: %s", msg ? msg : sqlite3_errmsg(s->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* Read PRAGMA user_version. */
int
store_version(struct store *s)
{
	sqlite3_stmt	*st;
	int		 v = -1;

	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st,
	    NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

/*
 * The version a migration file brings the database to: the number its name
 * starts with (007-console.sql is 7), so that a gap in the numbers (a
 * branch that took 006 merged later) never shifts the later ones.
 */
static int
store_migration_number(int i)
{
	return atoi(store_migrations_files[i]);
}

/* The schema version of this program: its highest migration number. */
int
store_schema_version(void)
{
	return store_migrations_count > 0 ?
	    store_migration_number(store_migrations_count - 1) : 0;
}

/*
 * Apply every migration numbered above the database's version, in order,
 * each in a transaction that also sets PRAGMA user_version to its number.
 */
static int
store_migrate(struct store *s, char *err, size_t errlen)
{
	char	pragma[64];
	int	v, i, n;

	if ((v = store_version(s)) < 0) {
		snprintf(err, errlen, "cannot read schema version: %s",
		    sqlite3_errmsg(s->db));
		return -1;
	}
	if (v > store_schema_version()) {
		snprintf(err, errlen, "database schema version %d is newer "
		    "than this program (%d)", v, store_schema_version());
		return -1;
	}
	for (i = 0; i < store_migrations_count; i++) {
		if ((n = store_migration_number(i)) <= v)
			continue;
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", n);
		if (store_begin(s) == -1 ||
		    store_exec(s, store_migrations[i]) == -1 ||
		    store_exec(s, pragma) == -1) {
			store_rollback(s);
			snprintf(err, errlen, "schema migration %s failed: %s",
			    store_migrations_files[i], sqlite3_errmsg(s->db));
			return -1;
		}
		if (store_commit(s) == -1) {
			snprintf(err, errlen, "schema migration %s: commit "
			    "failed", store_migrations_files[i]);
			return -1;
		}
	}
	return 0;
}

/* Load default texts and keywords; existing rows (admin edits) win. */
int
store_load_defaults(struct store *s)
{
	int i;

	if (store_begin(s) == -1)
		return -1;
	for (i = 0; i < store_defaults_count; i++)
		if (store_exec(s, store_defaults[i]) == -1) {
			store_rollback(s);
			return -1;
		}
	return store_commit(s);
}

/* SQLite busy handler: retry every millisecond until busy_ms have passed. */
static int
store_on_busy(void *arg, int tries)
{
	struct store	*s = arg;
	struct timespec	 now, nap = { 0, 1000000L };
	long long	 waited;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (tries == 0)
		s->busy_since = now;
	waited = (long long)(now.tv_sec - s->busy_since.tv_sec) * 1000 +
	    (now.tv_nsec - s->busy_since.tv_nsec) / 1000000;
	if (waited >= s->busy_ms)
		return 0;
	nanosleep(&nap, NULL);
	return 1;
}

/*
 * Wait at most ms for another writer (the daemon's loop: a short wait,
 * then SQLITE_BUSY and a retry timer of the caller's, never seconds).
 * Polling every millisecond, not SQLite's backoff of up to 100 ms, lets
 * a short waiter in through the gap a chunked writer leaves.
 */
void
store_set_busy(struct store *s, int ms)
{
	s->busy_ms = ms;
	sqlite3_busy_handler(s->db, store_on_busy, s);
}

/*
 * Make the database private through a descriptor that refuses a symlink,
 * so a link planted in its folder cannot redirect the change of mode.
 */
static void
store_private(const char *path)
{
	struct stat	st;
	int		fd;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC)) == -1)
		return;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		fchmod(fd, 0600);
	close(fd);
}

/* Open (creating if needed) and migrate the database at path. */
int
store_open(const char *path, struct store **out, char *err, size_t errlen)
{
	struct store	*s;
	int		 rc;

	*out = NULL;
	/*
	 * SQLite's allocation statistics take a global mutex on every
	 * malloc; nothing reads them.  Only possible before SQLite starts,
	 * so a later call (a second store in one process) is refused,
	 * harmlessly.
	 */
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW,
	    NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "database %s: %s", path,
		    s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
		goto fail;
	}
	/* The database holds phone numbers: keep it private. */
	store_private(path);
	/*
	 * The CLI too polls every millisecond: SQLite's own backoff (sleeps
	 * growing to 100 ms) kept it out while the loop committed sends back
	 * to back.
	 */
	store_set_busy(s, STORE_BUSY_MS);
	sqlite3_extended_result_codes(s->db, 1);
	if (store_exec(s, "PRAGMA journal_mode = WAL; "
	    "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; "
	    "PRAGMA temp_store = MEMORY;") == -1) {
		snprintf(err, errlen, "database %s: %s", path,
		    sqlite3_errmsg(s->db));
		goto fail;
	}
	if (store_migrate(s, err, errlen) == -1)
		goto fail;
	if (store_load_defaults(s) == -1) {
		snprintf(err, errlen, "database %s: loading default texts: %s",
		    path, sqlite3_errmsg(s->db));
		goto fail;
	}
	*out = s;
	return 0;
fail:
	store_close(s);
	return -1;
}

/* Finalize cached statements and close the connection. */
void
store_close(struct store *s)
{
	int i;

	if (s == NULL)
		return;
	for (i = 0; i < s->ncached; i++)
		sqlite3_finalize(s->cache[i].stmt);
	if (s->db != NULL)
		sqlite3_close(s->db);
	free(s);
}

/* Return the raw handle (for sqlite3_changes and the like). */
sqlite3 *
store_db(struct store *s)
{
	return s->db;
}

/* Return the last error message of the connection. */
const char *
store_errmsg(struct store *s)
{
	return sqlite3_errmsg(s->db);
}

/*
 * Return a reset, unbound statement for sql, preparing it on first use.
 * sql must be a string with static storage: its address is the cache key.
 */
sqlite3_stmt *
store_stmt(struct store *s, const char *sql)
{
	sqlite3_stmt	*st;
	int		 i;

	for (i = 0; i < s->ncached; i++)
		if (s->cache[i].sql == sql) {
			st = s->cache[i].stmt;
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			return st;
		}
	if (s->ncached == STORE_CACHE_MAX)
		fatalx("store: statement cache full");
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		log_warnx("database: preparing \"%.60s\": %s", sql,
		    sqlite3_errmsg(s->db));
		return NULL;
	}
	s->cache[s->ncached].sql = sql;
	s->cache[s->ncached].stmt = st;
	s->ncached++;
	return st;
}

/* Begin a write transaction. */
int
store_begin(struct store *s)
{
	if (s->in_tx)
		fatalx("store: nested transaction");
	if (store_exec(s, "BEGIN IMMEDIATE") == -1)
		return -1;
	s->in_tx = 1;
	return 0;
}

/* Commit; on failure the transaction is rolled back. */
int
store_commit(struct store *s)
{
	s->in_tx = 0;
	if (store_exec(s, "COMMIT") == -1) {
		store_exec(s, "ROLLBACK");
		return -1;
	}
	return 0;
}

/* Roll back the transaction in hand, if any. */
void
store_rollback(struct store *s)
{
	if (!s->in_tx)
		return;
	s->in_tx = 0;
	if (sqlite3_get_autocommit(s->db) == 0)
		store_exec(s, "ROLLBACK");
}

/* Tell whether a transaction is open. */
int
store_in_tx(struct store *s)
{
	return s->in_tx;
}

/* Append a line to the audit log (inside the caller's transaction). */
int
store_audit(struct store *s, const char *actor, const char *action,
    const char *detail)
{
	static const char sql[] = "INSERT INTO audit (at, actor, action, "
	    "detail) VALUES (?, ?, ?, ?)";
	sqlite3_stmt *st;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, store_now());
	sqlite3_bind_text(st, 2, actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, detail, -1, SQLITE_STATIC);
	return sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
}
