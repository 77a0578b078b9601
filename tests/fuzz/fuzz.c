/*
 * Helpers shared by the fuzz targets: a real SQLite file in /tmp with
 * sample content, a configuration like a deployment's, temp files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "log.h"
#include "price.h"
#include "store.h"
#include "fuzz.h"

#define FUZZ_ADMIN	"+6281100000001"
#define FUZZ_PIN	"1234"

static char	fuzz_db[64];
static char	fuzz_tmp[64];
static int	fuzz_cleanup_set;

/* Remove the database and temp file of this process at exit. */
static void
fuzz_cleanup(void)
{
	char path[96];

	if (fuzz_db[0] != '\0') {
		unlink(fuzz_db);
		snprintf(path, sizeof(path), "%s-wal", fuzz_db);
		unlink(path);
		snprintf(path, sizeof(path), "%s-shm", fuzz_db);
		unlink(path);
	}
	if (fuzz_tmp[0] != '\0')
		unlink(fuzz_tmp);
}

/* Remove this process's files at exit (once). */
static void
fuzz_cleanup_at_exit(void)
{
	if (!fuzz_cleanup_set && atexit(fuzz_cleanup) == 0)
		fuzz_cleanup_set = 1;
}

/* Report a broken invariant the way a sanitizer would: abort. */
void
fuzz_fail(const char *what)
{
	fprintf(stderr, "fuzz: invariant broken: %s\n", what);
	abort();
}

/* Content for commands to find: prices, an info page, a group, an event. */
static void
fuzz_sample(struct store *s)
{
	static const char sql[] =
	    "INSERT INTO info_pages (topic, language, body, updated_at) "
	    "VALUES ('PUPUK', 'id', 'Pupuk bersubsidi: hubungi PPL.', 0);"
	    "INSERT INTO groups (name, description, created_at) "
	    "VALUES ('PETANI', 'petani', 0);";

	if (store_begin(s) == -1 ||
	    price_set(s, "CABAI", "KEDIRI", 43000, "kg", "2026-11-20", "fuzz",
	    NULL) == -1 ||
	    price_set(s, "CABAI", "KEDIRI", 45000, NULL, "2026-11-21", "fuzz",
	    NULL) == -1 ||
	    price_set(s, "CABAI", "PARE", 44000, NULL, "2026-11-21", "fuzz",
	    NULL) == -1 ||
	    price_set(s, "BERAS", "KEDIRI", 13500, "kg", "2026-11-21", "fuzz",
	    NULL) == -1 ||
	    store_exec(s, sql) == -1 || store_commit(s) == -1)
		fuzz_fail("cannot load sample content");
}

/*
 * Open a fresh database for this process, with sample content; writes
 * are not synced (a fuzzer commits thousands of times a second).
 */
struct store *
fuzz_store(const char *name)
{
	struct store	*s;
	char		 err[256];

	log_init(1, 0, "fuzz");
	snprintf(fuzz_db, sizeof(fuzz_db), "/tmp/kt-fuzz-%s-%ld.db", name,
	    (long)getpid());
	fuzz_cleanup();
	fuzz_cleanup_at_exit();
	if (store_open(fuzz_db, &s, err, sizeof(err)) == -1)
		fuzz_fail(err);
	if (store_exec(s, "PRAGMA synchronous = OFF") == -1)
		fuzz_fail("PRAGMA synchronous");
	fuzz_sample(s);
	return s;
}

/* Forget what one input wrote, keeping the sample content. */
void
fuzz_store_reset(struct store *s)
{
	static const char sql[] = "PRAGMA foreign_keys = OFF;"
	    "DELETE FROM outbox; DELETE FROM inbox_parts; DELETE FROM inbox;"
	    "DELETE FROM subscriptions; DELETE FROM registrations;"
	    "DELETE FROM admin_attempts; DELETE FROM audit;"
	    "DELETE FROM broadcast_numbers; DELETE FROM broadcasts;"
	    "DELETE FROM group_members; DELETE FROM contacts;"
	    "DELETE FROM prices WHERE source <> 'fuzz';"
	    "PRAGMA foreign_keys = ON;";

	if (store_in_tx(s))
		store_rollback(s);
	if (store_exec(s, sql) == -1)
		fuzz_fail("cannot reset the database");
}

/* A configuration as a deployment has: one admin with a PIN, limits on. */
void
fuzz_conf(struct conf *conf)
{
	static const char text[] =
	    "database = \"/tmp/unused.db\";\n"
	    "language = \"id\";\n"
	    "country_code = \"62\";\n"
	    "multipart_timeout = 600;\n"
	    "reply_limit = 5;\n"
	    "reply_window = 600;\n"
	    "repeat_limit = 2;\n"
	    "admins = ( { phone = \"" FUZZ_ADMIN "\"; pin = \"" FUZZ_PIN
	    "\"; } );\n"
	    "http = { listen = \"127.0.0.1:1\"; "
	    "token = \"fuzz-token-0123456789\"; max_body = 65536; };\n";
	char		 err[CONF_ERR_MAX];
	const char	*path;

	path = fuzz_file("conf", (const uint8_t *)text, sizeof(text) - 1);
	if (conf_load(path, conf, err, sizeof(err)) == -1)
		fuzz_fail(err);
}

/* Copy an input into a NUL-terminated string (free it). */
char *
fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s;

	if ((s = malloc(size + 1)) == NULL)
		fuzz_fail("out of memory");
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Write an input to this process's temp file and return its path. */
const char *
fuzz_file(const char *name, const uint8_t *data, size_t size)
{
	FILE *f;

	snprintf(fuzz_tmp, sizeof(fuzz_tmp), "/tmp/kt-fuzz-%s-%ld.tmp", name,
	    (long)getpid());
	fuzz_cleanup_at_exit();
	if ((f = fopen(fuzz_tmp, "wb")) == NULL ||
	    fwrite(data, 1, size, f) != size || fclose(f) != 0)
		fuzz_fail("cannot write the temp file");
	return fuzz_tmp;
}
