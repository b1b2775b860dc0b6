/* Migration 9: the multi-site exchange (issue 15).  Released with it;
 * never edited after (schema.c).
 *
 * - sync_self: this database's identity, a random id made once (a copy
 *   restored over it gets a new one, so that two databases never number
 *   their changes under the same origin) and the site it serves.
 * - sync_outbox: every change this database knows, its own and those it
 *   applied from others, keyed by (origin, seq): the changeset SQLite's
 *   session extension recorded for one write transaction, and the rows
 *   that transaction appended to the append-only logs.  n is the order
 *   in which this database came to know them; a bundle carries them in
 *   that order, so a change always travels after what it depends on.
 * - sync_peer: per peer site, what it has acknowledged (per origin) and
 *   when we last exchanged; the last bundle number seen from it refuses a
 *   replayed bundle.
 * - sync_stamp: which site wrote each shared row last, for the conflict
 *   rules (the row's own updated_at says when).
 * - sync_conflict: every conflict the rules settled, both values, for
 *   the officers' review (the Sync screen). */
#include "store_int.h"

const char *const store_migration_9[] = {
	"CREATE TABLE sync_self (\n"
	"	one INTEGER PRIMARY KEY CHECK (one = 1),\n"
	"	db_id TEXT NOT NULL,\n"
	"	site TEXT,\n"
	"	bundles INTEGER NOT NULL DEFAULT 0\n"
	");\n"
	"INSERT INTO sync_self(one, db_id) VALUES (1, lower(hex(randomblob(16))));\n",

	"CREATE TABLE sync_outbox (\n"
	"	n INTEGER PRIMARY KEY,\n"
	"	origin TEXT NOT NULL,\n"
	"	seq INTEGER NOT NULL,\n"
	"	site TEXT NOT NULL DEFAULT '',\n"
	"	at TEXT NOT NULL,\n"
	"	changes BLOB,\n"
	"	logs BLOB,\n"
	"	UNIQUE (origin, seq)\n"
	");\n",

	"CREATE TABLE sync_peer (\n"
	"	site TEXT PRIMARY KEY NOT NULL,\n"
	"	db_id TEXT,\n"
	"	last_in TEXT,\n"
	"	last_out TEXT,\n"
	"	last_bundle INTEGER NOT NULL DEFAULT 0\n"
	");\n"
	"CREATE TABLE sync_ack (\n"
	"	peer TEXT NOT NULL,\n"
	"	origin TEXT NOT NULL,\n"
	"	seq INTEGER NOT NULL,\n"
	"	PRIMARY KEY (peer, origin)\n"
	") WITHOUT ROWID;\n",

	"CREATE TABLE sync_stamp (\n"
	"	tbl TEXT NOT NULL,\n"
	"	row_key TEXT NOT NULL,\n"
	"	site TEXT NOT NULL,\n"
	"	PRIMARY KEY (tbl, row_key)\n"
	") WITHOUT ROWID;\n",

	"CREATE TABLE sync_conflict (\n"
	"	id INTEGER PRIMARY KEY,\n"
	"	at TEXT NOT NULL,\n"
	"	tbl TEXT NOT NULL,\n"
	"	row_key TEXT NOT NULL,\n"
	"	col TEXT NOT NULL,\n"
	"	kept,\n"
	"	lost,\n"
	"	kept_site TEXT,\n"
	"	lost_site TEXT,\n"
	"	rule TEXT NOT NULL,\n"
	"	settled_by TEXT,\n"
	"	settled_at TEXT\n"
	");\n"
	"CREATE INDEX sync_conflict_open ON sync_conflict(id) WHERE settled_at IS NULL;\n",
	NULL
};
