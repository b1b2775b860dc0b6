/* Migration 13: a country per holder (issue 12, point 1).  Released with
 * it; never edited after (schema.c).
 *
 * Thionville and Metz register visitors from Luxembourg, Saarland and
 * Belgium: the holder's country decides how the phone, postcode and
 * company identifier are read, and is counted, routed and exported.
 * Every holder registered so far was read as French: they become "FR".
 *
 * The full-text index gains a column with the country's names in the
 * desk's languages and the visitors' own ("Belgique Belgium Belgien
 * België"), so a search for "Luxembourg" finds its visitors (the text
 * is written by store/list.c); a holder's country edited puts their
 * dossiers back in fts_pending. */
#include "store_int.h"

const char *const store_migration_13[] = {
	"ALTER TABLE holder ADD COLUMN country TEXT NOT NULL DEFAULT 'FR';\n",

	/* Same columns and tokenizer as migration 5, plus the country. */
	"DROP TABLE dossier_fts;\n"
	"CREATE VIRTUAL TABLE dossier_fts USING fts5(name, email, title,\n"
	"	description, notes, site, country, prefix = '2 3',\n"
	"	tokenize = 'unicode61 remove_diacritics 2');\n"
	"INSERT OR IGNORE INTO fts_pending(dossier_rowid)\n"
	"	SELECT rowid FROM dossier;\n"
	"DROP TRIGGER holder_fts_update;\n"
	"CREATE TRIGGER holder_fts_update AFTER UPDATE OF last_name, first_name,\n"
	"	email, country ON holder BEGIN\n"
	"	INSERT OR IGNORE INTO fts_pending(dossier_rowid)\n"
	"		SELECT rowid FROM dossier WHERE holder_id = NEW.id;\n"
	"END;\n",
	NULL
};
