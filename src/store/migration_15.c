/* Migration 15: the list's columns of each dossier in one row, for a
 * search's page (issue 10).  Released with it; never edited after
 * (schema.c).
 *
 * A search keystroke's first page walks the full-text index, latest
 * first, and reads each match's list row.  Read from dossier, holder
 * (by its text key: two B-tree descents) and dossier_activity, a row
 * cost four descents, and the page 2.2 to 2.4 times the raw index walk
 * at 100,000 dossiers (tests/bench/scale/search_parts).  dossier_row
 * holds those columns under the dossier's rowid, the key the index
 * already carries: one descent per row (docs/benchmarks.md, "Issue 10,
 * one row per match").
 *
 * A cache, as dossier_activity and dossier_tally are: local, never
 * exchanged (store/sync.c), and kept by triggers whoever writes -- the
 * screens, the command line, an import, an exchange applied, sqlite3 by
 * hand.  A dossier's row is read from the tables themselves rather
 * than from NEW, so the order in which SQLite fires its triggers and
 * the touch trigger cannot leave an old version behind.  Erasure scrubs the
 * holder and the dossier by UPDATE, which these triggers copy, and
 * secure_delete (db.c) overwrites what was there.  Columns keep the
 * names of their source, so the listing engine's conditions on d.*
 * read the same here (store/list.c). */
#include "store_int.h"

/* A dossier's list columns, read from the tables themselves. */
#define ROW_COLUMNS \
	"d.reference, d.site_code, d.created_at, h.last_name,\n" \
	"		h.first_name, d.project_title, d.assigned_to, d.status,\n" \
	"		d.stage, d.needs, d.sector, a.last_action_at, h.country,\n" \
	"		d.version, d.deleted\n" \
	"	FROM dossier d LEFT JOIN holder h ON h.id = d.holder_id\n" \
	"	LEFT JOIN dossier_activity a ON a.dossier_id = d.id\n"

/* A new dossier's row.  Any row left under its rowid goes first: not
 * INSERT OR REPLACE, which an outer statement's conflict clause (INSERT
 * OR IGNORE, say) would override. */
#define ROW_INSERT \
	"	DELETE FROM dossier_row WHERE dossier_rowid = NEW.rowid;\n" \
	"	INSERT INTO dossier_row SELECT d.rowid, " ROW_COLUMNS \
	"	WHERE d.rowid = NEW.rowid;\n"

/* An edited dossier's row, rewritten in place: a DELETE and INSERT
 * there made each write of a bulk action half as slow again and its
 * peak memory 0.4 MB larger (docs/benchmarks.md).  A dossier keeps its
 * rowid (the full-text index relies on it too: migration 4). */
#define ROW_UPDATE \
	"	UPDATE dossier_row SET (reference, site_code, created_at,\n" \
	"		last_name, first_name, project_title, assigned_to,\n" \
	"		status, stage, needs, sector, last_action_at, country,\n" \
	"		version, deleted) = (SELECT " ROW_COLUMNS \
	"		WHERE d.rowid = NEW.rowid)\n" \
	"	WHERE dossier_rowid = NEW.rowid;\n"

/* A holder's columns into the rows of its dossiers. */
#define HOLDER_COPY \
	"	UPDATE dossier_row SET last_name = NEW.last_name,\n" \
	"		first_name = NEW.first_name, country = NEW.country\n" \
	"	WHERE dossier_rowid IN\n" \
	"		(SELECT rowid FROM dossier WHERE holder_id = NEW.id);\n"

/* A dossier's last action (value) into its row.  "= (SELECT", not
 * "IN (SELECT": one dossier, and no temporary table for each audit
 * entry of an import. */
#define ACTIVITY_COPY(value, row) \
	"	UPDATE dossier_row SET last_action_at = " value "\n" \
	"	WHERE dossier_rowid =\n" \
	"		(SELECT rowid FROM dossier WHERE id = " row ".dossier_id);\n"

const char *const store_migration_15[] = {
	"CREATE TABLE dossier_row (\n"
	"	dossier_rowid INTEGER PRIMARY KEY,\n"
	"	reference TEXT, site_code TEXT, created_at TEXT,\n"
	"	last_name TEXT, first_name TEXT, project_title TEXT,\n"
	"	assigned_to TEXT, status TEXT, stage TEXT, needs TEXT,\n"
	"	sector TEXT, last_action_at TEXT, country TEXT,\n"
	"	version INTEGER, deleted INTEGER\n"
	");\n"
	"INSERT INTO dossier_row SELECT d.rowid, " ROW_COLUMNS ";\n",

	"CREATE TRIGGER dossier_row_insert AFTER INSERT ON dossier BEGIN\n"
	ROW_INSERT
	"END;\n"
	"CREATE TRIGGER dossier_row_update AFTER UPDATE ON dossier BEGIN\n"
	ROW_UPDATE
	"END;\n"
	"CREATE TRIGGER dossier_row_delete AFTER DELETE ON dossier BEGIN\n"
	"	DELETE FROM dossier_row WHERE dossier_rowid = OLD.rowid;\n"
	"END;\n",

	/* A holder's names and country, and a last action, are not
	 * changed again by a touch trigger: NEW is what the table holds, and
	 * is copied alone.  A holder arriving after its dossiers (an
	 * exchange applies tables in its own order), renamed, or of another
	 * country. */
	"CREATE TRIGGER holder_row_insert AFTER INSERT ON holder BEGIN\n"
	HOLDER_COPY
	"END;\n"
	"CREATE TRIGGER holder_row_update AFTER UPDATE OF last_name,\n"
	"	first_name, country ON holder BEGIN\n"
	HOLDER_COPY
	"END;\n",

	/* The last action, inserted with the dossier or moved by an audit
	 * entry (migration 4). */
	"CREATE TRIGGER activity_row_insert AFTER INSERT ON dossier_activity\n"
	"BEGIN\n"
	ACTIVITY_COPY("NEW.last_action_at", "NEW")
	"END;\n"
	"CREATE TRIGGER activity_row_update AFTER UPDATE ON dossier_activity\n"
	"BEGIN\n"
	ACTIVITY_COPY("NEW.last_action_at", "NEW")
	"END;\n"
	"CREATE TRIGGER activity_row_delete AFTER DELETE ON dossier_activity\n"
	"BEGIN\n"
	ACTIVITY_COPY("NULL", "OLD")
	"END;\n",
	NULL
};
