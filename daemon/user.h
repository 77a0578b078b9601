/* Console accounts, their sessions and the login lock-out. */
#ifndef KT_USER_H
#define KT_USER_H

#include <stddef.h>
#include <stdint.h>

struct store;

#define USER_NAME_MAX		33	/* bytes of a name, with the NUL */
#define USER_PASSWORD_MIN	8
#define USER_PASSWORD_MAX	256
#define USER_TOKEN_HEX		65	/* 32 random bytes in hex, with NUL */
#define USER_FAIL_MAX		5	/* failed logins before the lock */
#define USER_LOCK_SECS		900	/* how long the lock lasts */
#define USER_IDLE_SECS		1800	/* a session unused this long ends */

/* What a user may do; each role may do what the ones before it may. */
enum user_role {
	USER_VIEWER,		/* reads */
	USER_OPERATOR,		/* replies, sends to one contact */
	USER_ADMIN		/* everything, users and the audit log */
};

/* The answer to a login. */
enum user_login {
	USER_LOGIN_OK,
	USER_LOGIN_BAD,		/* no such user, or the wrong password */
	USER_LOGIN_LOCKED,	/* too many failures for the name or address */
	USER_LOGIN_ERROR	/* database or crypt failure */
};

/* A live session, as a request sees it. */
struct user_session {
	int64_t		user_id;
	char		name[USER_NAME_MAX];
	enum user_role	role;
	char		csrf[USER_TOKEN_HEX];
};

const char	*user_role_name(enum user_role);
int		 user_role_parse(const char *, enum user_role *);
int		 user_name_ok(const char *);
int		 user_password_ok(const char *, char *err, size_t errlen);
int		 user_add(struct store *, const char *name, enum user_role,
		    const char *password);
int		 user_passwd(struct store *, const char *name,
		    const char *password);
int		 user_remove(struct store *, const char *name);
enum user_login	 user_login(struct store *, const char *name,
		    const char *password, const char *address,
		    char token[USER_TOKEN_HEX], struct user_session *);
int		 user_session_get(struct store *, const char *token,
		    struct user_session *);
int		 user_session_alive(struct store *, const char *token);
int		 user_logout(struct store *, const char *token);
int		 user_secret_eq(const char *a, const char *b);
void		 user_escape(const char *in, char *out, size_t len);

#endif
