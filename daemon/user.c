/*
 * Console accounts.  This file alone writes users, sessions and
 * login_failures and holds their rules.
 *
 * DESIGN: a password is kept only as crypt(3)'s yescrypt hash; a login
 * that names no user still runs crypt against a dummy hash, so the time
 * taken does not tell which names exist.  A session is a random 256-bit
 * token in the browser's cookie; the database keeps its SHA-256 only, so
 * a copy of the database opens no session.  Five failures within
 * USER_LOCK_SECS, for one name or from one address, lock both out until
 * the fifth newest of them is that old (tries while locked are refused
 * unread and not counted); every failure is a row, and a log line written
 * by the caller.  The callers hold the transaction.
 */
#include <crypt.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include <openssl/evp.h>

#include "log.h"
#include "store.h"
#include "user.h"

static const char *const user_roles[] = { "viewer", "operator", "admin" };

/* The name the database keeps for a role. */
const char *
user_role_name(enum user_role r)
{
	switch (r) {
	case USER_VIEWER:
	case USER_OPERATOR:
	case USER_ADMIN:
		return user_roles[r];
	default:
		fatalx("user: role %d", (int)r);
	}
}

/* Parse a role's name; -1 when it is none. */
int
user_role_parse(const char *s, enum user_role *out)
{
	int i;

	for (i = 0; i <= USER_ADMIN; i++)
		if (strcmp(s, user_roles[i]) == 0) {
			*out = (enum user_role)i;
			return 0;
		}
	return -1;
}

/* A name is 1 to 32 letters, digits, '.', '-' or '_'. */
int
user_name_ok(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (!isalnum((unsigned char)s[i]) && strchr("._-", s[i]) ==
		    NULL)
			return 0;
	return i > 0 && i < USER_NAME_MAX;
}

/* Say what is wrong with a new password (err) and return 0, or return 1. */
int
user_password_ok(const char *pw, char *err, size_t errlen)
{
	size_t n = strlen(pw);

	if (n >= USER_PASSWORD_MIN && n <= USER_PASSWORD_MAX)
		return 1;
	snprintf(err, errlen, "a password is %d to %d characters",
	    USER_PASSWORD_MIN, USER_PASSWORD_MAX);
	return 0;
}

/* Hash a password with a fresh yescrypt salt; -1 when crypt cannot. */
static int
user_hash(const char *pw, char *out, size_t len)
{
	static struct crypt_data	cd;
	char				salt[CRYPT_GENSALT_OUTPUT_SIZE];
	const char			*h;

	if (crypt_gensalt_rn("$y$", 0, NULL, 0, salt, sizeof(salt)) == NULL)
		return -1;
	memset(&cd, 0, sizeof(cd));
	h = crypt_r(pw, salt, &cd);
	if (h == NULL || h[0] == '*' || strlen(h) >= len)
		return -1;
	snprintf(out, len, "%s", h);
	return 0;
}

/* Compare two NUL-terminated secrets in time that depends on b only. */
int
user_secret_eq(const char *a, const char *b)
{
	size_t		al = strlen(a), bl = strlen(b), i;
	unsigned char	diff = al != bl;

	for (i = 0; i < bl; i++)
		diff |= (unsigned char)(a[i < al ? i : 0] ^ b[i]);
	return bl > 0 && diff == 0;
}

/* Tell whether pw matches the stored hash. */
static int
user_check(const char *pw, const char *hash)
{
	static struct crypt_data	cd;
	const char			*h;

	memset(&cd, 0, sizeof(cd));
	h = crypt_r(pw, hash, &cd);
	return h != NULL && h[0] != '*' && user_secret_eq(h, hash);
}

/* Write n random bytes as hex into out (2n + 1 bytes); -1 on failure. */
static int
user_random_hex(char *out, size_t n)
{
	unsigned char	b[32];
	size_t		i;

	if (n > sizeof(b) || getrandom(b, n, 0) != (ssize_t)n)
		return -1;
	for (i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
	return 0;
}

/* The SHA-256 of a token, in hex: what the sessions table keeps. */
static void
user_token_hash(const char *token, char out[USER_TOKEN_HEX])
{
	unsigned char	md[EVP_MAX_MD_SIZE];
	unsigned int	n = 0, i;

	if (EVP_Digest(token, strlen(token), md, &n, EVP_sha256(), NULL) != 1
	    || n != 32)
		fatalx("user: SHA-256 failed");
	for (i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* Copy a name or address for a log line, control bytes and quotes as \xNN. */
void
user_escape(const char *in, char *out, size_t len)
{
	size_t			o = 0;
	const unsigned char	*p;

	for (p = (const unsigned char *)in; *p != '\0' && o + 5 < len; p++) {
		if (*p < 0x20 || *p == 0x7f || *p == '"' || *p == '\\')
			o += (size_t)snprintf(out + o, len - o, "\\x%02x", *p);
		else
			out[o++] = (char)*p;
	}
	out[o] = '\0';
}

/*
 * Run one write binding ?1 = a, ?2 = b, ?3 = now and ?4 = c (a statement
 * takes those it names); 1 when a row changed, 0 when none did, -1.
 */
static int
user_write(struct store *s, const char *sql, const char *a, const char *b,
    const char *c)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
	if (b != NULL)
		sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, store_now());
	if (c != NULL)
		sqlite3_bind_text(st, 4, c, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return -1;
	return sqlite3_changes(store_db(s)) > 0;
}

/* Add a user; 1 when added, 0 when the name is taken, -1 on an error. */
int
user_add(struct store *s, const char *name, enum user_role role,
    const char *password)
{
	static const char sql[] = "INSERT OR IGNORE INTO users (name, hash, "
	    "created_at, updated_at, role) VALUES (?1, ?2, ?3, ?3, ?4)";
	char hash[256];

	if (user_hash(password, hash, sizeof(hash)) == -1)
		return -1;
	return user_write(s, sql, name, hash, user_role_name(role));
}

/* Set a new password and end the user's sessions; 1, 0 (no user), -1. */
int
user_passwd(struct store *s, const char *name, const char *password)
{
	static const char sql[] = "UPDATE users SET hash = ?2, updated_at = ?3 "
	    "WHERE name = ?1";
	static const char ends[] = "DELETE FROM sessions WHERE user_id = "
	    "(SELECT id FROM users WHERE name = ?1)";
	char	hash[256];
	int	rc;

	if (user_hash(password, hash, sizeof(hash)) == -1)
		return -1;
	if ((rc = user_write(s, sql, name, hash, NULL)) != 1)
		return rc;
	return user_write(s, ends, name, NULL, NULL) < 0 ? -1 : 1;
}

/* Remove a user (the sessions go with it); 1, 0 (no user), -1. */
int
user_remove(struct store *s, const char *name)
{
	static const char sql[] = "DELETE FROM users WHERE name = ?1";

	return user_write(s, sql, name, NULL, NULL);
}

/* Failures in the lock window for the name or from the address. */
static int
user_failures(struct store *s, const char *name, const char *address)
{
	static const char sql[] = "SELECT (SELECT count(*) FROM login_failures "
	    "WHERE name = ?1 AND at > ?3), (SELECT count(*) FROM "
	    "login_failures WHERE address = ?2 AND at > ?3)";
	sqlite3_stmt	*st;
	int		 n = -1, a;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, address, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, store_now() - USER_LOCK_SECS);
	if (sqlite3_step(st) == SQLITE_ROW) {
		n = sqlite3_column_int(st, 0);
		a = sqlite3_column_int(st, 1);
		n = a > n ? a : n;
	}
	sqlite3_reset(st);
	return n;
}

/* Record a failed login; old failures are forgotten on the way. */
static int
user_fail(struct store *s, const char *name, const char *address)
{
	static const char sql[] = "INSERT INTO login_failures (name, address, "
	    "at) VALUES (?1, ?2, ?3)";
	static const char old[] = "DELETE FROM login_failures WHERE at < "
	    "?3 - 86400";

	if (user_write(s, old, name, address, NULL) < 0)
		return -1;
	return user_write(s, sql, name, address, NULL) < 0 ? -1 : 0;
}

/* Find a user by name: fill id, role and hash; 1, 0 (none), -1. */
static int
user_find(struct store *s, const char *name, struct user_session *u,
    char *hash, size_t hlen)
{
	static const char sql[] = "SELECT id, name, role, hash FROM users "
	    "WHERE name = ?";
	sqlite3_stmt	*st;
	char		 role[16];
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		u->user_id = sqlite3_column_int64(st, 0);
		store_copy_text(st, 1, u->name, sizeof(u->name));
		store_copy_text(st, 2, role, sizeof(role));
		store_copy_text(st, 3, hash, hlen);
		if (user_role_parse(role, &u->role) == -1)
			rc = SQLITE_ERROR;
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* Open a session for u: a new token (out) and CSRF token. */
static int
user_session_new(struct store *s, struct user_session *u,
    const char *address, char token[USER_TOKEN_HEX])
{
	static const char sql[] = "INSERT INTO sessions (token_hash, user_id, "
	    "csrf, address, created_at, last_seen) VALUES (?, ?, ?, ?, ?, ?)";
	char		 th[USER_TOKEN_HEX];
	sqlite3_stmt	*st;
	int		 rc;

	if (user_random_hex(token, 32) == -1 ||
	    user_random_hex(u->csrf, 32) == -1)
		return -1;
	user_token_hash(token, th);
	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, th, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, u->user_id);
	sqlite3_bind_text(st, 3, u->csrf, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, address, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, store_now());
	sqlite3_bind_int64(st, 6, store_now());
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * Log a user in from an address: on success a session is opened and its
 * token written to token.  A locked name or address is refused before the
 * password is looked at; a failure is recorded.
 */
enum user_login
user_login(struct store *s, const char *name, const char *password,
    const char *address, char token[USER_TOKEN_HEX], struct user_session *u)
{
	/* A hash of a random password, for names that are not users. */
	static char	dummy[256];
	char		hash[256], pw[USER_TOKEN_HEX];
	int	n, found;

	memset(u, 0, sizeof(*u));
	if (dummy[0] == '\0' && (user_random_hex(pw, 16) == -1 ||
	    user_hash(pw, dummy, sizeof(dummy)) == -1))
		return USER_LOGIN_ERROR;
	if ((n = user_failures(s, name, address)) < 0)
		return USER_LOGIN_ERROR;
	if (n >= USER_FAIL_MAX)
		return USER_LOGIN_LOCKED;
	if ((found = user_find(s, name, u, hash, sizeof(hash))) < 0)
		return USER_LOGIN_ERROR;
	if (!user_check(password, found ? hash : dummy) || !found) {
		if (user_fail(s, name, address) == -1)
			return USER_LOGIN_ERROR;
		return n + 1 >= USER_FAIL_MAX ? USER_LOGIN_LOCKED :
		    USER_LOGIN_BAD;
	}
	if (user_session_new(s, u, address, token) == -1)
		return USER_LOGIN_ERROR;
	return USER_LOGIN_OK;
}

/* Mark a session used now; its idle clock starts again. */
static int
user_session_touch(struct store *s, const char *th)
{
	static const char sql[] = "UPDATE sessions SET last_seen = ?3 WHERE "
	    "token_hash = ?1";

	return user_write(s, sql, th, NULL, NULL) < 0 ? -1 : 0;
}

/* Look a session up by its token's hash: 1 and u, seen filled; 0; -1. */
static int
user_session_find(struct store *s, const char *th, struct user_session *u,
    int64_t *seen)
{
	static const char sql[] = "SELECT u.id, u.name, u.role, s.csrf, "
	    "s.last_seen FROM sessions s JOIN users u ON u.id = s.user_id "
	    "WHERE s.token_hash = ?";
	char		 role[16];
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, th, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		u->user_id = sqlite3_column_int64(st, 0);
		store_copy_text(st, 1, u->name, sizeof(u->name));
		store_copy_text(st, 2, role, sizeof(role));
		store_copy_text(st, 3, u->csrf, sizeof(u->csrf));
		*seen = sqlite3_column_int64(st, 4);
		if (user_role_parse(role, &u->role) == -1)
			rc = SQLITE_ERROR;
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/*
 * Find the live session of a cookie's token: 1 and u filled, 0 when there
 * is none or it was idle too long (it is then removed), -1 on an error.
 * A use restarts the idle clock.  Called outside a transaction: it opens
 * its own when it writes.
 */
int
user_session_get(struct store *s, const char *token, struct user_session *u)
{
	char	th[USER_TOKEN_HEX];
	int64_t	seen = 0, now = store_now();
	int	rc;

	memset(u, 0, sizeof(*u));
	if (strlen(token) != USER_TOKEN_HEX - 1)
		return 0;
	user_token_hash(token, th);
	if ((rc = user_session_find(s, th, u, &seen)) != 1)
		return rc;
	if (now - seen > USER_IDLE_SECS) {
		user_logout(s, token);
		return 0;
	}
	if (now - seen >= 60 && !store_in_tx(s) && store_begin(s) == 0 &&
	    (user_session_touch(s, th) == -1 || store_commit(s) == -1))
		store_rollback(s);
	return 1;
}

/* Tell whether a session is still open, without restarting its clock. */
int
user_session_alive(struct store *s, const char *token)
{
	struct user_session	u;
	char			th[USER_TOKEN_HEX];
	int64_t			seen = 0;
	int			rc;

	user_token_hash(token, th);
	rc = user_session_find(s, th, &u, &seen);
	explicit_bzero(&u, sizeof(u));
	if (rc != 1)
		return rc;
	return store_now() - seen <= USER_IDLE_SECS;
}

/* End the session of a token (logout, or idle); 0, -1 on an error. */
int
user_logout(struct store *s, const char *token)
{
	static const char sql[] = "DELETE FROM sessions WHERE token_hash = ?1";
	char	th[USER_TOKEN_HEX];
	int	rc, own = !store_in_tx(s);

	user_token_hash(token, th);
	if (own && store_begin(s) == -1)
		return -1;
	rc = user_write(s, sql, th, NULL, NULL);
	if (!own)
		return rc < 0 ? -1 : 0;
	if (rc < 0) {
		store_rollback(s);
		return -1;
	}
	return store_commit(s);
}
