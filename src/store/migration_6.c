/* Migration 6: the one listing engine at a million dossiers (issue "One
 * listing engine").  Released with it; never edited after (schema.c).
 *
 * - dossier_tally: live dossiers per site and status, kept by triggers,
 *   so the lists most often opened (a site's queue, every site's, a
 *   status filter) are counted from a few rows instead of an index of a
 *   million entries.
 * - dossier_filter: the live dossiers' filter columns in one index, so a
 *   filter's count (capped at 1,001 on screen) reads index entries
 *   only, never the rows themselves.
 * - The full-text index gets prefix indexes for every length from 2 to
 *   12 characters: a prefix query of a length without one merges the
 *   posting lists of every word it matches before returning a row
 *   ("porteur"* over every e-mail address: the whole index).  With one,
 *   the first matches come straight from one list.  The index about
 *   doubles in size.
 * - Its rowid is the dossier's negated: FTS5 reads posting lists in
 *   ascending rowid order, so the latest registered -- a search's
 *   default order -- now come first without loading a prefix's whole
 *   list, as reading it descending does.
 * - Names are also indexed without their apostrophes ("oconnor" finds
 *   O'Connor), and the outcome notes of referrals are searched with the
 *   notes (triggers on referral).
 *
 * The index is rebuilt here, in the upgrade's transaction, rather than
 * at the first search (which would freeze a desk for the rebuild). */
#include "store_int.h"

#define PENDING(rowids) \
	"	INSERT OR IGNORE INTO fts_pending(dossier_rowid) " rowids ";\n"

const char *const store_migration_6[] = {
	"CREATE TABLE dossier_tally (\n"
	"	site_code TEXT NOT NULL,\n"
	"	status TEXT NOT NULL,\n"
	"	n INTEGER NOT NULL,\n"
	"	PRIMARY KEY (site_code, status)\n"
	") WITHOUT ROWID;\n"
	"INSERT INTO dossier_tally(site_code, status, n)\n"
	"	SELECT site_code, status, count(*) FROM dossier\n"
	"	WHERE deleted = 0 GROUP BY site_code, status;\n"
	"CREATE TRIGGER dossier_tally_insert AFTER INSERT ON dossier\n"
	"	WHEN NEW.deleted = 0 BEGIN\n"
	"	INSERT INTO dossier_tally(site_code, status, n)\n"
	"		VALUES(NEW.site_code, NEW.status, 1)\n"
	"		ON CONFLICT(site_code, status) DO UPDATE SET n = n + 1;\n"
	"END;\n"
	"CREATE TRIGGER dossier_tally_update AFTER UPDATE OF site_code, status,\n"
	"	deleted ON dossier BEGIN\n"
	"	UPDATE dossier_tally SET n = n - 1 WHERE OLD.deleted = 0\n"
	"		AND site_code = OLD.site_code AND status = OLD.status;\n"
	"	INSERT INTO dossier_tally(site_code, status, n)\n"
	"		SELECT NEW.site_code, NEW.status, 1 WHERE NEW.deleted = 0\n"
	"		ON CONFLICT(site_code, status) DO UPDATE SET n = n + 1;\n"
	"END;\n"
	"CREATE TRIGGER dossier_tally_delete AFTER DELETE ON dossier\n"
	"	WHEN OLD.deleted = 0 BEGIN\n"
	"	UPDATE dossier_tally SET n = n - 1\n"
	"		WHERE site_code = OLD.site_code AND status = OLD.status;\n"
	"END;\n",

	"CREATE INDEX dossier_filter ON dossier(site_code, status, needs,\n"
	"	stage, sector, assigned_to, created_at) WHERE deleted = 0;\n",

	"CREATE TRIGGER referral_fts_insert AFTER INSERT ON referral\n"
	"	WHEN NEW.outcome IS NOT NULL BEGIN\n"
	PENDING("SELECT rowid FROM dossier WHERE id = NEW.dossier_id")
	"END;\n"
	"CREATE TRIGGER referral_fts_update AFTER UPDATE OF outcome, deleted\n"
	"	ON referral BEGIN\n"
	PENDING("SELECT rowid FROM dossier WHERE id = NEW.dossier_id")
	"END;\n",

	"DROP TABLE dossier_fts;\n"
	"CREATE VIRTUAL TABLE dossier_fts USING fts5(name, email, title,\n"
	"	description, notes, site, prefix = '2 3 4 5 6 7 8 9 10 11 12',\n"
	"	tokenize = 'unicode61 remove_diacritics 2');\n"
	"INSERT INTO dossier_fts(rowid, name, email, title, description, notes,\n"
	"	site) SELECT -d.rowid, h.last_name || ' ' || h.first_name\n"
	"	|| CASE WHEN instr(h.last_name || h.first_name, '''') OR\n"
	"	instr(h.last_name || h.first_name, '’') THEN ' ' ||\n"
	"	replace(replace(h.last_name || ' ' || h.first_name, '''', ''),\n"
	"	'’', '') ELSE '' END,\n"
	"	coalesce(h.email, ''), coalesce(d.project_title, ''),\n"
	"	coalesce(d.description, ''), coalesce((SELECT\n"
	"	group_concat(body, ' ') FROM note n WHERE n.dossier_id = d.id\n"
	"	AND n.deleted = 0), '') || ' ' || coalesce((SELECT\n"
	"	group_concat(outcome, ' ') FROM referral r WHERE\n"
	"	r.dossier_id = d.id AND r.deleted = 0), ''), d.site_code\n"
	"	FROM dossier d JOIN holder h ON h.id = d.holder_id\n"
	"	WHERE d.deleted = 0;\n"
	"DELETE FROM fts_pending;\n",
	NULL
};
