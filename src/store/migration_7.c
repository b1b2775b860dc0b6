/* Migration 7: "not the same person" holds for the site that said it
 * (issue 13, point 3).  Released with it; never edited after (schema.c).
 *
 * A dismissal was keyed by (holder, evidence) alone: reception at Metz
 * pressing "not the same person" on a match also hid it from Nancy's own
 * desk, which knows the person and may well be looking at the same one.
 * The site that made the decision becomes part of the key, and the
 * lookup only reads the current site's decisions. */
#include "store_int.h"

const char *const store_migration_7[] = {
	"CREATE TABLE dup_dismissal_by_site (\n"
	"	holder_id TEXT NOT NULL REFERENCES holder(id),\n"
	"	evidence INTEGER NOT NULL,\n"
	"	site_code TEXT NOT NULL,\n"
	"	created_by TEXT,\n"
	"	created_at TEXT NOT NULL,\n"
	"	PRIMARY KEY (holder_id, evidence, site_code)\n"
	") WITHOUT ROWID;\n"
	"INSERT INTO dup_dismissal_by_site(holder_id, evidence, site_code,\n"
	"	created_by, created_at)\n"
	"	SELECT holder_id, evidence, site_code, created_by, created_at\n"
	"	FROM dup_dismissal;\n"
	"DROP TABLE dup_dismissal;\n"
	"ALTER TABLE dup_dismissal_by_site RENAME TO dup_dismissal;\n",
	NULL
};
