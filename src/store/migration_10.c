/* Migration 10: the form in progress, kept as a draft (issue 13, point 1).
 * Released with it; never edited after (schema.c).
 *
 * A dropped line (ssh hang-up, closed terminal, SIGTERM, a killed
 * process) lost what reception had typed.  The desk keeps the form in
 * progress here, one draft per login and site, so that it has the
 * database's protection (WAL, the shared desk's file modes) and comes
 * back at the next start.  The fields are rows by name, as exported
 * (td_field_code): a field added later reads as empty in an older draft,
 * a field removed is ignored.  Drafts hold details given before consent:
 * they are purged after intake.draft_hours, and they are local to the
 * desk's database (never exchanged with the other sites). */
#include "store_int.h"

const char *const store_migration_10[] = {
	"CREATE TABLE draft (\n"
	"	login TEXT NOT NULL,\n"
	"	site_code TEXT NOT NULL,\n"
	"	started_at TEXT NOT NULL,\n"
	"	saved_at TEXT NOT NULL,\n"
	"	PRIMARY KEY (login, site_code)\n"
	") WITHOUT ROWID;\n"
	"CREATE TABLE draft_field (\n"
	"	login TEXT NOT NULL,\n"
	"	site_code TEXT NOT NULL,\n"
	"	field TEXT NOT NULL,\n"
	"	value TEXT NOT NULL,\n"
	"	PRIMARY KEY (login, site_code, field),\n"
	"	FOREIGN KEY (login, site_code) REFERENCES draft(login, site_code)\n"
	"		ON DELETE CASCADE\n"
	") WITHOUT ROWID;\n"
	"CREATE INDEX draft_saved ON draft(saved_at);\n",
	NULL
};
