/* Migration 12: the exchange's conflict rules settle each column by who
 * wrote it and when (issue 15).  Released with it; never edited after
 * (schema.c).
 *
 * sync_stamp of migration 9 kept one last writer per row: a row whose
 * columns came from different sites was then judged by whichever wrote
 * last, and five databases receiving the same changes in different
 * orders could settle a column differently (the property test found
 * it).  It now keeps, per column changed by an update (per row, column
 * '', for an insert), the site and the time of the write.  Its rows are
 * local bookkeeping: made again as changes come. */
#include "store_int.h"

const char *const store_migration_12[] = {
	"DROP TABLE sync_stamp;\n"
	"CREATE TABLE sync_stamp (\n"
	"	tbl TEXT NOT NULL,\n"
	"	row_key TEXT NOT NULL,\n"
	"	col TEXT NOT NULL,\n"
	"	site TEXT NOT NULL,\n"
	"	at TEXT NOT NULL,\n"
	"	PRIMARY KEY (tbl, row_key, col)\n"
	") WITHOUT ROWID;\n",
	NULL
};
