/* Migration 5: the full-text index also knows each dossier's site, so a
 * search held to one site (a reception desk, a site filter) is counted
 * inside the index: the count of "ma" at a desk of 26,000 dossiers out of
 * 100,000 looked up 3,700 dossier rows for their site (3 to 4 ms a
 * keystroke), and now intersects two lists of the index (under 1 ms).
 * The words typed are matched in the text columns only (src/store/queue.c
 * puts a column filter on those short enough to match a three-letter
 * site code), so "met" finds no dossier by its site.
 * Released with the queue's search work; never edited after (schema.c). */
#include "store_int.h"

const char *const store_migration_5[] = {
	/* Same text columns and tokenizer as migration 4, plus the site.
	 * Every dossier goes back into fts_pending: the first search (or
	 * an import) rebuilds the index, about a second at 100,000. */
	"DROP TABLE dossier_fts;\n"
	"CREATE VIRTUAL TABLE dossier_fts USING fts5(name, email, title,\n"
	"	description, notes, site, prefix = '2 3',\n"
	"	tokenize = 'unicode61 remove_diacritics 2');\n"
	"INSERT OR IGNORE INTO fts_pending(dossier_rowid)\n"
	"	SELECT rowid FROM dossier;\n",
	NULL
};
