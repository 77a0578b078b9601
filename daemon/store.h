/* The SQLite store: one database file in WAL mode, migrated on open. */
#ifndef KT_STORE_H
#define KT_STORE_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

struct store;

int		 store_open(const char *path, struct store **out, char *err,
		    size_t errlen);
void		 store_close(struct store *);
sqlite3		*store_db(struct store *);
sqlite3_stmt	*store_stmt(struct store *, const char *sql);
void		 store_set_busy(struct store *, int ms);
int		 store_begin(struct store *);
int		 store_commit(struct store *);
void		 store_rollback(struct store *);
int		 store_in_tx(struct store *);
int		 store_exec(struct store *, const char *sql);
int		 store_version(struct store *);
int		 store_schema_version(void);
const char	*store_errmsg(struct store *);
int64_t		 store_now(void);
void		 store_today(char *buf, size_t len);
int		 store_load_defaults(struct store *);
int		 store_audit(struct store *, const char *actor,
		    const char *action, const char *detail);
void		 store_copy_text(sqlite3_stmt *, int col, char *buf,
		    size_t len);

extern const char *const store_migrations[];
extern const char *const store_migrations_files[];
extern const int store_migrations_count;
extern const char *const store_defaults[];
extern const int store_defaults_count;

#endif
