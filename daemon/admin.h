/* Admins' PIN attempts: the lock-out rule SIAR obeys. */
#ifndef KT_ADMIN_H
#define KT_ADMIN_H

struct store;

#define ADMIN_LOCK_TRIES	3
#define ADMIN_LOCK_SECS		(15 * 60)

int	admin_locked(struct store *, const char *phone);
int	admin_failed(struct store *, const char *phone);
int	admin_forgive(struct store *, const char *phone);

#endif
