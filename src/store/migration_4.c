/* Migration 4: the mission officers' queue (issue "Mission officers"):
 * saved filters.  Owned by the queue work until it is released; after
 * release, never edited (see schema.c). */
#include "store_int.h"

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
	NULL
};
