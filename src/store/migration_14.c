/* Migration 14: the full-text index gets back its prefix indexes of 2 to
 * 12 characters (issue 10).  Released with it; never edited after
 * (schema.c).
 *
 * Migration 6 gave the index one prefix index per length from 2 to 12,
 * so that a prefix shared by every e-mail address ("porteur"*) is one
 * posting list read as far as the first page needs; migration 13 made
 * the index again with its new column but only '2 3', and a keystroke
 * of such a prefix went back to merging every matching term before its
 * first row: 7 to 30 ms at 100,000 dossiers where it took 0.03 to 0.08
 * (docs/benchmarks.md).  Same columns and tokenizer as migration 13;
 * every dossier is indexed again from fts_pending, as after migration
 * 13. */
#include "store_int.h"

const char *const store_migration_14[] = {
	"DROP TABLE dossier_fts;\n"
	"CREATE VIRTUAL TABLE dossier_fts USING fts5(name, email, title,\n"
	"	description, notes, site, country,\n"
	"	prefix = '2 3 4 5 6 7 8 9 10 11 12',\n"
	"	tokenize = 'unicode61 remove_diacritics 2');\n"
	"INSERT OR IGNORE INTO fts_pending(dossier_rowid)\n"
	"	SELECT rowid FROM dossier;\n",
	NULL
};
