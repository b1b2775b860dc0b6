/* Migration 11: the retention of the audit log (issue 14 point 5).
 * Released with it; never edited after (schema.c).
 *
 * The audit log is append-only (migration 1's triggers), yet the
 * configuration's retention.audit_years asks that entries older than N
 * years go.  The delete trigger now lets a delete through when the row
 * is older than the cutoff a purge writes into audit_purge for its one
 * transaction (td_store_audit_purge); any other delete, and every
 * update, is still refused.  audit_purge is empty outside a purge. */
#include "store_int.h"

const char *const store_migration_11[] = {
	"CREATE TABLE audit_purge (cutoff TEXT NOT NULL);\n"
	"DROP TRIGGER audit_no_delete;\n"
	"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit\n"
	"WHEN NOT EXISTS (SELECT 1 FROM audit_purge WHERE OLD.at < cutoff)\n"
	"BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;\n",
	NULL
};
