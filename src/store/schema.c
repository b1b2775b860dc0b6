/* The schema, as numbered migrations.  A migration, once released, is
 * never edited: databases in the field were built from it.  Change the
 * schema by appending a new script and raising TD_SCHEMA_VERSION.
 *
 * Rows that travel between sites (app_user, holder, dossier, note,
 * partner) carry a text key that is unique across sites ("<SITE>-<ULID>"
 * or a slug), created_at / updated_at as UTC ISO 8601 text (which sorts
 * like time), a version counter and a soft-delete flag, so that a later
 * sync can merge them without ever reusing a key. */
#include "store_int.h"

/* Keep updated_at and version honest even for an UPDATE that forgets
 * them; an UPDATE that sets version itself (the store's own upserts, a
 * future sync applying a remote row) is left alone. */
#define TOUCH_TRIGGER(table, key) \
	"CREATE TRIGGER " table "_touch AFTER UPDATE ON " table "\n" \
	"FOR EACH ROW WHEN NEW.version = OLD.version\n" \
	"BEGIN\n" \
	"	UPDATE " table " SET version = OLD.version + 1,\n" \
	"		updated_at = CASE WHEN NEW.updated_at IS OLD.updated_at\n" \
	"			THEN strftime('%Y-%m-%dT%H:%M:%SZ', 'now')\n" \
	"			ELSE NEW.updated_at END\n" \
	"	WHERE " key " = NEW." key ";\n" \
	"END;\n"

#define SYNC_COLUMNS \
	"	created_at TEXT NOT NULL,\n" \
	"	updated_at TEXT NOT NULL,\n" \
	"	version INTEGER NOT NULL DEFAULT 1,\n" \
	"	deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))\n"

/* Each migration is a list of scripts, split only to stay under the
 * string length C compilers must support; they run in one transaction. */
static const char *const migration_1[] = {
	"CREATE TABLE site (\n"
	"	code TEXT PRIMARY KEY NOT NULL CHECK (length(code) = 3),\n"
	"	name TEXT NOT NULL,\n"
	"	totem TEXT,\n"
	"	city TEXT,\n"
	"	address TEXT,\n"
	"	coordination INTEGER NOT NULL DEFAULT 0\n"
	"		CHECK (coordination IN (0, 1)),\n"
	"	updated_at TEXT NOT NULL\n"
	");\n",

	"CREATE TABLE app_user (\n"
	"	login TEXT PRIMARY KEY NOT NULL,\n"
	"	name TEXT NOT NULL DEFAULT '',\n"
	"	role TEXT NOT NULL\n"
	"		CHECK (role IN ('reception', 'officer', 'admin')),\n"
	"	site_code TEXT REFERENCES site(code),\n"
	SYNC_COLUMNS
	");\n",

	"CREATE TABLE holder (\n"
	"	id TEXT PRIMARY KEY NOT NULL,\n"
	"	site_code TEXT NOT NULL REFERENCES site(code),\n"
	"	last_name TEXT NOT NULL,\n"
	"	first_name TEXT NOT NULL,\n"
	"	email TEXT,\n"
	"	phone TEXT,\n"
	"	postcode TEXT,\n"
	"	city TEXT,\n"
	"	consent INTEGER NOT NULL CHECK (consent IN (0, 1)),\n"
	"	consent_at TEXT,\n"
	"	consent_version TEXT,\n"
	SYNC_COLUMNS
	");\n",

	/* stage, sector, needs and status hold the stable codes of
	 * domain.c, never indexes, so that reordering a table in a later
	 * release cannot change what stored rows mean. */
	"CREATE TABLE dossier (\n"
	"	id TEXT PRIMARY KEY NOT NULL,\n"
	"	reference TEXT NOT NULL UNIQUE,\n"
	"	holder_id TEXT NOT NULL REFERENCES holder(id),\n"
	"	site_code TEXT NOT NULL REFERENCES site(code),\n"
	"	project_title TEXT,\n"
	"	description TEXT,\n"
	"	stage TEXT,\n"
	"	sector TEXT,\n"
	"	needs TEXT NOT NULL DEFAULT '',\n"
	"	siret TEXT,\n"
	"	status TEXT NOT NULL DEFAULT 'new' CHECK (status IN\n"
	"		('new', 'triaged', 'referred', 'supported', 'closed',\n"
	"		 'on_hold')),\n"
	"	created_by TEXT,\n"
	"	assigned_to TEXT,\n"
	SYNC_COLUMNS
	");\n",

	"CREATE TABLE note (\n"
	"	id TEXT PRIMARY KEY NOT NULL,\n"
	"	dossier_id TEXT NOT NULL REFERENCES dossier(id),\n"
	"	author TEXT NOT NULL,\n"
	"	body TEXT NOT NULL,\n"
	SYNC_COLUMNS
	");\n",

	"CREATE TABLE partner (\n"
	"	id TEXT PRIMARY KEY NOT NULL,\n"
	"	name TEXT NOT NULL,\n"
	"	kinds TEXT NOT NULL DEFAULT '',\n"
	"	sites TEXT NOT NULL DEFAULT '',\n"
	"	city TEXT,\n"
	"	address TEXT,\n"
	"	website TEXT,\n"
	"	stages TEXT NOT NULL DEFAULT '',\n"
	"	needs TEXT NOT NULL DEFAULT '',\n"
	"	description TEXT,\n"
	"	source TEXT,\n"
	"	active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),\n"
	SYNC_COLUMNS
	");\n",

	/* Human references are per site, so each site numbers on its own
	 * and two sites never collide even before they sync. */
	"CREATE TABLE ref_counter (\n"
	"	site_code TEXT NOT NULL,\n"
	"	year INTEGER NOT NULL,\n"
	"	last INTEGER NOT NULL,\n"
	"	PRIMARY KEY (site_code, year)\n"
	") WITHOUT ROWID;\n",

	/* No foreign keys: the log must outlive (and never block) the
	 * erasure of a holder's personal data. */
	"CREATE TABLE audit (\n"
	"	id INTEGER PRIMARY KEY,\n"
	"	at TEXT NOT NULL,\n"
	"	actor TEXT NOT NULL DEFAULT '',\n"
	"	action TEXT NOT NULL,\n"
	"	entity TEXT,\n"
	"	entity_id TEXT,\n"
	"	dossier_id TEXT,\n"
	"	detail TEXT\n"
	");\n"
	"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit\n"
	"BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;\n"
	"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit\n"
	"BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;\n",

	TOUCH_TRIGGER("app_user", "login")
	TOUCH_TRIGGER("holder", "id")
	TOUCH_TRIGGER("dossier", "id")
	TOUCH_TRIGGER("note", "id")
	TOUCH_TRIGGER("partner", "id"),

	/* The trailing id makes "newest first" (created_at DESC, id DESC)
	 * an index walk that LIMIT can stop early. */
	"CREATE INDEX dossier_site_created ON dossier(site_code, created_at, id);\n"
	"CREATE INDEX dossier_created ON dossier(created_at, id);\n"
	"CREATE INDEX dossier_holder ON dossier(holder_id);\n"
	"CREATE INDEX audit_dossier ON audit(dossier_id, id);\n"
	"CREATE INDEX note_dossier ON note(dossier_id, created_at);\n",
	NULL
};

/* Later migrations live in one file each (migration_N.c, declared in
 * store_int.h), so that work on different features never edits the same
 * lines. */
const char *const *const store_migrations[] = {
	migration_1,
	store_migration_2,
	store_migration_3,
	store_migration_4,
	store_migration_5,
	store_migration_6,
	store_migration_7,
	store_migration_8,
	store_migration_9,
	store_migration_10,
	store_migration_11,
	store_migration_12,
	store_migration_13,
	store_migration_14,
	store_migration_15,
};
const int store_migration_count =
	(int)(sizeof store_migrations / sizeof store_migrations[0]);

_Static_assert(sizeof store_migrations / sizeof store_migrations[0] ==
	       TD_SCHEMA_VERSION, "one migration per schema version");
