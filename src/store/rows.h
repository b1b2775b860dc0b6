/* Private to src/store: the one place that knows which columns a dossier
 * row is read from.  A statement's select list is written by
 * store_row_select / store_dossier_select from the tables in rows.c, and
 * read back by the column names of the enums below, so a reader and its
 * select list can never disagree about a column's position.
 *
 * Statements are assembled with struct store_sql from fixed fragments of
 * src/store only; every value a person typed is bound, never pasted. */
#ifndef TOTEMDESK_STORE_ROWS_H
#define TOTEMDESK_STORE_ROWS_H

#include "store_int.h"
#include "totemdesk/query.h"
#include "totemdesk/record.h"

#include <stdbool.h>
#include <stddef.h>

/* A statement being assembled; overflow set when a fragment did not fit
 * (the caller refuses the statement). */
struct store_sql {
	char s[4096];
	size_t n;
	bool overflow;
};

/* Append frag / the numbered parameter ":<prefix><i>". */
void store_sql_add(struct store_sql *b, const char *frag);
void store_sql_param(struct store_sql *b, const char *prefix, int i);

/* Columns of a list row (struct td_queue_row), in select-list order.
 * Their tables are aliased d (dossier), h (holder) and a
 * (dossier_activity). */
enum store_row_col {
	RC_REFERENCE, RC_SITE, RC_CREATED_AT, RC_LAST_NAME, RC_FIRST_NAME,
	RC_TITLE, RC_ASSIGNED_TO, RC_STATUS, RC_STAGE, RC_NEEDS, RC_SECTOR,
	RC_LAST_ACTION, RC_COUNTRY, RC_VERSION, RC_COUNT
};

/* Append the select list of a list row ("d.reference, d.site_code...");
 * one_row: every column from dossier_row aliased d (migration 15), which
 * keeps them under their source's names. */
void store_row_select(struct store_sql *b, bool one_row);

/* Read the current row of a statement selected by store_row_select. */
void store_row_read(sqlite3_stmt *st, struct td_queue_row *r);

/* Columns of a full record (struct td_dossier: the detail and the
 * export), in select-list order; tables aliased d and h.  The record's
 * own columns come first, then one per intake field in the order of the
 * field table (td_fields), from its group's table: DC_FIELDS + f. */
enum store_dossier_col {
	DC_ID, DC_REFERENCE, DC_SITE, DC_HOLDER_ID, DC_CREATED_AT,
	DC_UPDATED_AT, DC_CONSENT_AT, DC_CONSENT_VERSION, DC_CREATED_BY,
	DC_ASSIGNED_TO, DC_STATUS, DC_VERSION, DC_ERASED_AT, DC_WITHDRAWN_AT,
	DC_WITHDRAWN_BY, DC_FIELDS,
	DC_COUNT = DC_FIELDS + TD_F_COUNT
};

/* Append the select list of a full record. */
void store_dossier_select(struct store_sql *b);

/* Read the current row of a statement selected by store_dossier_select:
 * the one full-record reader (store_dossier_get and the export). */
void store_dossier_read(sqlite3_stmt *st, struct td_dossier *d);

/* The first field of v whose value the store cannot keep (a choice or a
 * need out of its table), or -1. */
int store_fields_bad(const struct td_intake *v);

/* The table a field group is kept in: "holder" or "dossier". */
const char *store_field_table(enum td_field_group g);

/* Bind field f of v to parameter i as the store keeps it: its code
 * (td_field_code), NULL for an empty optional value, an integer for a
 * yes/no field. */
void store_bind_field(sqlite3_stmt *st, int i, const struct td_intake *v,
		      enum td_field_id f);

#endif
