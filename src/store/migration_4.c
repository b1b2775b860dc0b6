/* Migration 4: the mission officers' queue (issue "Mission officers"):
 * saved filters, the full-text index and the last action of each
 * dossier.  Owned by the queue work until it is released; after
 * release, never edited (see schema.c). */
#include "store_int.h"

/* The text a dossier is found by: holder's names and e-mail, project
 * title and description, and its notes (see store_fts_sync). */
#define PENDING(rowids) \
	"	INSERT OR IGNORE INTO fts_pending(dossier_rowid) " rowids ";\n"

const char *const store_migration_4[] = {
	"CREATE TABLE saved_filter (\n"
	"	id TEXT PRIMARY KEY NOT NULL,\n"
	"	owner TEXT NOT NULL,\n"
	"	name TEXT NOT NULL,\n"
	"	spec TEXT NOT NULL,\n"
	"	created_at TEXT NOT NULL,\n"
	"	updated_at TEXT NOT NULL,\n"
	"	version INTEGER NOT NULL DEFAULT 1,\n"
	"	deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),\n"
	"	UNIQUE (owner, name)\n"
	");\n",

	/* Search: a regular FTS5 table (it keeps its own copy of the text,
	 * from three tables) whose rowid is the dossier's.  remove_diacritics
	 * 2 folds "Épinal" and "epinal" alike; prefix indexes keep "as you
	 * type" prefix queries of 2 and 3 characters fast.
	 *
	 * The store opens databases with trusted_schema off, under which a
	 * trigger may not write to a virtual table.  So the triggers, which
	 * catch every writer (screens, CLI, import, sqlite3 by hand), record
	 * which dossiers changed in fts_pending, and the store brings the
	 * index up to date from that list before each search
	 * (store_fts_sync). */
	"CREATE VIRTUAL TABLE dossier_fts USING fts5(name, email, title,\n"
	"	description, notes, prefix = '2 3',\n"
	"	tokenize = 'unicode61 remove_diacritics 2');\n"
	"CREATE TABLE fts_pending (dossier_rowid INTEGER PRIMARY KEY);\n"
	"INSERT INTO fts_pending(dossier_rowid) SELECT rowid FROM dossier;\n",

	"CREATE TRIGGER dossier_fts_insert AFTER INSERT ON dossier BEGIN\n"
	PENDING("VALUES(NEW.rowid)")
	"END;\n"
	"CREATE TRIGGER dossier_fts_update AFTER UPDATE OF holder_id,\n"
	"	project_title, description, deleted ON dossier BEGIN\n"
	PENDING("VALUES(NEW.rowid)")
	"END;\n"
	"CREATE TRIGGER dossier_fts_delete AFTER DELETE ON dossier BEGIN\n"
	PENDING("VALUES(OLD.rowid)")
	"END;\n"
	"CREATE TRIGGER holder_fts_update AFTER UPDATE OF last_name, first_name,\n"
	"	email ON holder BEGIN\n"
	PENDING("SELECT rowid FROM dossier WHERE holder_id = NEW.id")
	"END;\n"
	"CREATE TRIGGER note_fts_insert AFTER INSERT ON note BEGIN\n"
	PENDING("SELECT rowid FROM dossier WHERE id = NEW.dossier_id")
	"END;\n"
	"CREATE TRIGGER note_fts_update AFTER UPDATE OF body, deleted ON note BEGIN\n"
	PENDING("SELECT rowid FROM dossier WHERE id = NEW.dossier_id")
	"END;\n",

	/* When each dossier last saw an action (any audit entry about it),
	 * for "overdue" and the follow-up column.  A table of its own, not a
	 * dossier column: it is derived locally, must not bump the
	 * dossier's version (that is for sync), and the triggers keep it in
	 * step whoever writes (screens, CLI, import, referrals). */
	"CREATE TABLE dossier_activity (\n"
	"	dossier_id TEXT PRIMARY KEY NOT NULL,\n"
	"	last_action_at TEXT NOT NULL\n"
	") WITHOUT ROWID;\n"
	"INSERT INTO dossier_activity(dossier_id, last_action_at)\n"
	"	SELECT d.id, max(d.created_at, coalesce((SELECT max(at) FROM audit a\n"
	"		WHERE a.dossier_id = d.id), '')) FROM dossier d;\n"
	"CREATE INDEX dossier_activity_last ON\n"
	"	dossier_activity(last_action_at, dossier_id);\n"
	"CREATE TRIGGER dossier_activity_insert AFTER INSERT ON dossier BEGIN\n"
	"	INSERT OR REPLACE INTO dossier_activity(dossier_id, last_action_at)\n"
	"		VALUES(NEW.id, NEW.created_at);\n"
	"END;\n"
	"CREATE TRIGGER audit_activity AFTER INSERT ON audit\n"
	"	WHEN NEW.dossier_id IS NOT NULL BEGIN\n"
	"	UPDATE dossier_activity SET last_action_at = NEW.at\n"
	"		WHERE dossier_id = NEW.dossier_id AND last_action_at < NEW.at;\n"
	"END;\n",

	/* Sort orders of the queue as index walks (ties newest first); the
	 * name order is walked from the holders (store/queue.c).  The
	 * partial index makes the unfiltered count two b-tree counts. */
	"CREATE INDEX dossier_status_created ON dossier(status, created_at, id);\n"
	"CREATE INDEX dossier_assigned_created ON\n"
	"	dossier(assigned_to, created_at, id);\n"
	"CREATE INDEX dossier_stage_created ON dossier(stage, created_at, id);\n"
	"CREATE INDEX dossier_needs_created ON dossier(needs, created_at, id);\n"
	"CREATE INDEX dossier_project ON dossier(project_title, id);\n"
	"CREATE INDEX dossier_deleted ON dossier(id) WHERE deleted = 1;\n"
	"CREATE INDEX holder_name ON holder(last_name, first_name, id);\n",
	NULL
};
