/*
 * Fuzz CSV import (`kentongan price import` and `contact import`) through
 * a temp file and a real SQLite file.  The first input byte picks prices
 * or contacts and whether --skip-bad is given; the rest is the file.
 * An import either succeeds or fails with a message; the database stays
 * consistent (foreign keys hold).
 */
#include <stdio.h>

#include "cli.h"
#include "store.h"
#include "fuzz.h"

#define FUZZ_RESET_EVERY	64

/* libFuzzer entry point: run one input, abort on a broken invariant. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cli	 cli;
	static unsigned		 runs;
	static const char	 sql_fk[] = "PRAGMA foreign_key_check";
	sqlite3_stmt		*st;
	char			 path[128], skip[] = "--skip-bad";
	char			*argv[3];
	int			 argc = 1;

	if (size < 1)
		return 0;
	if (cli.store == NULL) {
		cli.store = fuzz_store("csv");
		fuzz_conf(&cli.conf);
		cli.prog = "kentongan";
	}
	snprintf(path, sizeof(path), "%s", fuzz_file("csv", data + 1,
	    size - 1));
	argv[0] = path;
	if (data[0] & 2)
		argv[argc++] = skip;
	argv[argc] = NULL;
	if (data[0] & 1)
		cli_csv_contact_import(&cli, argc, argv);
	else
		cli_csv_price_import(&cli, argc, argv);
	if (store_in_tx(cli.store))
		fuzz_fail("csv import: left a transaction open");
	if ((st = store_stmt(cli.store, sql_fk)) == NULL)
		fuzz_fail("store_stmt");
	if (sqlite3_step(st) == SQLITE_ROW)
		fuzz_fail("csv import: broke a foreign key");
	sqlite3_reset(st);
	if (++runs % FUZZ_RESET_EVERY == 0)
		fuzz_store_reset(cli.store);
	return 0;
}
