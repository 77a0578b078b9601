/* Unit tests: console accounts, sessions and the lock-out (user.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "store.h"
#include "user.h"

static char		 tmpdir[] = "/tmp/kt-test-user-XXXXXX";
static struct store	*db;

/* A fresh database for each test. */
static int
setup(void **state)
{
	static int	n;
	char		path[256], err[256];

	(void)state;
	snprintf(path, sizeof(path), "%s/u%d.db", tmpdir, n++);
	return store_open(path, &db, err, sizeof(err));
}

static int
teardown(void **state)
{
	(void)state;
	store_close(db);
	return 0;
}

/* The one integer a query answers. */
static int64_t
one(const char *sql)
{
	sqlite3_stmt	*st;
	int64_t		 n = -1;

	assert_int_equal(sqlite3_prepare_v2(store_db(db), sql, -1, &st, NULL),
	    SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* Add a user in a transaction, as the CLI does. */
static int
add(const char *name, enum user_role role, const char *pw)
{
	int rc;

	assert_int_equal(store_begin(db), 0);
	rc = user_add(db, name, role, pw);
	assert_int_equal(store_commit(db), 0);
	return rc;
}

/* Log in within a transaction, as the console does. */
static enum user_login
login(const char *name, const char *pw, const char *addr,
    char tok[USER_TOKEN_HEX], struct user_session *u)
{
	enum user_login r;

	assert_int_equal(store_begin(db), 0);
	r = user_login(db, name, pw, addr, tok, u);
	assert_int_equal(store_commit(db), 0);
	return r;
}

static void
test_user_add_and_login(void **state)
{
	struct user_session	u, v;
	char			tok[USER_TOKEN_HEX];

	(void)state;
	assert_int_equal(add("sri", USER_OPERATOR, "rahasia-sri-1"), 1);
	assert_int_equal(add("SRI", USER_ADMIN, "another-pass"), 0);
	assert_int_equal(one("SELECT count(*) FROM users WHERE hash LIKE "
	    "'$y$%' AND instr(hash, 'rahasia') = 0"), 1);
	assert_int_equal(login("sri", "rahasia-sri-1", "10.0.0.1", tok, &u),
	    USER_LOGIN_OK);
	assert_int_equal(strlen(tok), 64);
	assert_int_equal(strlen(u.csrf), 64);
	assert_int_equal(u.role, USER_OPERATOR);
	/* The database keeps the token's hash, never the token. */
	assert_int_equal(one("SELECT count(*) FROM sessions"), 1);
	assert_int_equal(user_session_get(db, tok, &v), 1);
	assert_string_equal(v.name, "sri");
	assert_string_equal(v.csrf, u.csrf);
	assert_int_equal(user_session_alive(db, tok), 1);
	tok[0] = tok[0] == 'a' ? 'b' : 'a';
	assert_int_equal(user_session_get(db, tok, &v), 0);
	assert_int_equal(user_session_get(db, "short", &v), 0);
}

static void
test_user_logout_and_idle(void **state)
{
	struct user_session	u;
	char			t1[USER_TOKEN_HEX], t2[USER_TOKEN_HEX];

	(void)state;
	add("budi", USER_VIEWER, "rahasia-budi");
	assert_int_equal(login("budi", "rahasia-budi", "a", t1, &u),
	    USER_LOGIN_OK);
	assert_int_equal(login("budi", "rahasia-budi", "a", t2, &u),
	    USER_LOGIN_OK);
	assert_int_equal(user_logout(db, t1), 0);
	assert_int_equal(user_session_get(db, t1, &u), 0);
	assert_int_equal(user_session_get(db, t2, &u), 1);
	/* Unused for longer than the idle limit: gone, and removed. */
	assert_int_equal(store_exec(db, "UPDATE sessions SET last_seen = "
	    "last_seen - 1801"), 0);
	assert_int_equal(user_session_alive(db, t2), 0);
	assert_int_equal(user_session_get(db, t2, &u), 0);
	assert_int_equal(one("SELECT count(*) FROM sessions"), 0);
}

static void
test_user_passwd_remove(void **state)
{
	struct user_session	u;
	char			tok[USER_TOKEN_HEX];

	(void)state;
	add("ani", USER_ADMIN, "old-password");
	assert_int_equal(login("ani", "old-password", "a", tok, &u),
	    USER_LOGIN_OK);
	assert_int_equal(store_begin(db), 0);
	assert_int_equal(user_passwd(db, "ani", "new-password"), 1);
	assert_int_equal(user_passwd(db, "nobody", "new-password"), 0);
	assert_int_equal(store_commit(db), 0);
	assert_int_equal(user_session_get(db, tok, &u), 0);
	assert_int_equal(login("ani", "old-password", "a", tok, &u),
	    USER_LOGIN_BAD);
	assert_int_equal(login("ani", "new-password", "a", tok, &u),
	    USER_LOGIN_OK);
	assert_int_equal(store_begin(db), 0);
	assert_int_equal(user_remove(db, "ani"), 1);
	assert_int_equal(user_remove(db, "ani"), 0);
	assert_int_equal(store_commit(db), 0);
	assert_int_equal(user_session_get(db, tok, &u), 0);
}

static void
test_user_lockout(void **state)
{
	struct user_session	u;
	char			tok[USER_TOKEN_HEX];
	int			i;

	(void)state;
	add("sri", USER_OPERATOR, "rahasia-sri-1");
	add("budi", USER_VIEWER, "rahasia-budi");
	for (i = 0; i < USER_FAIL_MAX - 1; i++)
		assert_int_equal(login("sri", "salah", "10.0.0.9", tok, &u),
		    USER_LOGIN_BAD);
	assert_int_equal(login("sri", "salah", "10.0.0.9", tok, &u),
	    USER_LOGIN_LOCKED);
	/* Locked: the right password, from anywhere, is refused. */
	assert_int_equal(login("sri", "rahasia-sri-1", "10.0.0.7", tok, &u),
	    USER_LOGIN_LOCKED);
	/* And the address is locked for every name. */
	assert_int_equal(login("budi", "rahasia-budi", "10.0.0.9", tok, &u),
	    USER_LOGIN_LOCKED);
	assert_int_equal(login("budi", "rahasia-budi", "10.0.0.8", tok, &u),
	    USER_LOGIN_OK);
	/* Tries while locked are not counted; unknown names are counted. */
	assert_int_equal(one("SELECT count(*) FROM login_failures"), 5);
	assert_int_equal(login("ghost", "x", "10.0.0.5", tok, &u),
	    USER_LOGIN_BAD);
	/* The lock ends USER_LOCK_SECS after the failures. */
	assert_int_equal(store_exec(db, "UPDATE login_failures SET at = at - "
	    "901"), 0);
	assert_int_equal(login("sri", "rahasia-sri-1", "10.0.0.9", tok, &u),
	    USER_LOGIN_OK);
}

static void
test_user_rules(void **state)
{
	enum user_role	r;
	char		buf[64], err[96];

	(void)state;
	assert_true(user_name_ok("sri.w-2_x"));
	assert_false(user_name_ok(""));
	assert_false(user_name_ok("a b"));
	assert_false(user_name_ok("0123456789012345678901234567890123"));
	assert_false(user_password_ok("short", err, sizeof(err)));
	assert_true(user_password_ok("long-enough", err, sizeof(err)));
	assert_int_equal(user_role_parse("operator", &r), 0);
	assert_int_equal(r, USER_OPERATOR);
	assert_int_equal(user_role_parse("root", &r), -1);
	assert_true(user_secret_eq("abc", "abc"));
	assert_false(user_secret_eq("abd", "abc"));
	assert_false(user_secret_eq("abcd", "abc"));
	assert_false(user_secret_eq("", ""));
	user_escape("a\"b\n\x1b[31m\\", buf, sizeof(buf));
	assert_string_equal(buf, "a\\x22b\\x0a\\x1b[31m\\x5c");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_user_add_and_login, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_user_logout_and_idle,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_passwd_remove, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_user_lockout, setup,
		    teardown),
		cmocka_unit_test(test_user_rules),
	};
	char	cmd[64];
	int	rc;

	if (mkdtemp(tmpdir) == NULL)
		return 1;
	rc = cmocka_run_group_tests_name("user", tests, NULL, NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		return 1;
	return rc;
}
