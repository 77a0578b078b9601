/*
 * Admins' PIN attempts.  This file alone writes admin_attempts and keeps
 * the lock-out rule: ADMIN_LOCK_TRIES failures within ADMIN_LOCK_SECS
 * lock a number out until the oldest one ages out; a right PIN forgets
 * them.  Every function runs inside the caller's transaction.
 */
#include "admin.h"
#include "store.h"

/* Run a statement binding a phone and maybe a time; -1 on error. */
static int
admin_run(struct store *s, const char *sql, const char *phone, int64_t t)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, phone, -1, SQLITE_TRANSIENT);
	if (sqlite3_bind_parameter_count(st) >= 2)
		sqlite3_bind_int64(st, 2, t);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Count a number's failed attempts within the lock-out window, or -1. */
static int
admin_failures(struct store *s, const char *phone)
{
	static const char sql[] = "SELECT COUNT(*) FROM admin_attempts "
	    "WHERE phone = ? AND at > ?";
	sqlite3_stmt	*st;
	int		 n = -1;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, phone, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, store_now() - ADMIN_LOCK_SECS);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return n;
}

/* Tell whether a number is locked out: 1 locked, 0 not, -1 on error. */
int
admin_locked(struct store *s, const char *phone)
{
	int n;

	if ((n = admin_failures(s, phone)) < 0)
		return -1;
	return n >= ADMIN_LOCK_TRIES;
}

/*
 * Record a failed attempt; 1 when the number is now locked out, 0 when
 * it may try again, -1 on error.
 */
int
admin_failed(struct store *s, const char *phone)
{
	static const char sql[] = "INSERT INTO admin_attempts (phone, at) "
	    "VALUES (?, ?)";

	if (admin_run(s, sql, phone, store_now()) == -1)
		return -1;
	return admin_locked(s, phone);
}

/* Forget a number's failed attempts after a right PIN. */
int
admin_forgive(struct store *s, const char *phone)
{
	static const char sql[] = "DELETE FROM admin_attempts WHERE phone = ?";

	return admin_run(s, sql, phone, 0);
}
