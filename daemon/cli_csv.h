/* kentongan ... import/export: CSV files as spreadsheets write them. */
#ifndef KT_CLI_CSV_H
#define KT_CLI_CSV_H

#include <sqlite3.h>

struct cli;

int	cli_csv_price_import(struct cli *, int argc, char **argv);
int	cli_csv_price_export(struct cli *, int argc, char **argv);
int	cli_csv_contact_import(struct cli *, int argc, char **argv);
int	cli_csv_contact_export(struct cli *, int argc, char **argv);
int	cli_csv_info_import(struct cli *, int argc, char **argv);
int	cli_csv_info_export(struct cli *, int argc, char **argv);
int	cli_csv_export_stmt(struct cli *, sqlite3_stmt *, int argc,
	    char **argv, const char *usage, const char *what);

#endif
