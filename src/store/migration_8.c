/* Migration 8: data protection (issue 14).  Released with it; never
 * edited after (schema.c).
 *
 * - field_change: every change of a field, who, when, the old and the
 *   new value (point 2).  The values live here, not in the append-only
 *   audit log, so that erasing a person can clear them.
 * - erasure: which records were erased or anonymised, by record key
 *   only (no personal data), so that a restore of an older backup, and a
 *   sync, can erase them again (point 3).
 * - holder.erased_at, dossier.erased_at: when the personal data of a
 *   holder, or the free texts of a dossier, were removed.
 * - holder.consent_withdrawn_at / _by: the withdrawal of consent, with
 *   who took it (point 4). */
#include "store_int.h"

const char *const store_migration_8[] = {
	"CREATE TABLE field_change (\n"
	"	id INTEGER PRIMARY KEY,\n"
	"	dossier_id TEXT NOT NULL REFERENCES dossier(id),\n"
	"	field TEXT NOT NULL,\n"
	"	old_value TEXT,\n"
	"	new_value TEXT,\n"
	"	actor TEXT NOT NULL DEFAULT '',\n"
	"	at TEXT NOT NULL\n"
	");\n"
	"CREATE INDEX field_change_dossier ON field_change(dossier_id, id);\n",

	/* kind 'holder': the person and every dossier of theirs; kind
	 * 'dossier': one dossier anonymised (retention), its holder kept. */
	"CREATE TABLE erasure (\n"
	"	record_key TEXT PRIMARY KEY NOT NULL,\n"
	"	kind TEXT NOT NULL CHECK (kind IN ('holder', 'dossier')),\n"
	"	reason TEXT NOT NULL DEFAULT 'request'\n"
	"		CHECK (reason IN ('request', 'retention')),\n"
	"	actor TEXT NOT NULL DEFAULT '',\n"
	"	at TEXT NOT NULL\n"
	") WITHOUT ROWID;\n"
	"CREATE INDEX erasure_at ON erasure(at);\n",

	"ALTER TABLE holder ADD COLUMN erased_at TEXT;\n"
	"ALTER TABLE dossier ADD COLUMN erased_at TEXT;\n"
	"ALTER TABLE holder ADD COLUMN consent_withdrawn_at TEXT;\n"
	"ALTER TABLE holder ADD COLUMN consent_withdrawn_by TEXT;\n",
	NULL
};
