/* The one reader of dossier rows (rows.h): which expression each column
 * comes from, and how its text becomes a field. */
#include "rows.h"
#include "totemdesk/domain.h"

#include <stdio.h>
#include <string.h>

void store_sql_add(struct store_sql *b, const char *frag)
{
	size_t l = strlen(frag);
	if (b->overflow || b->n + l >= sizeof b->s) {
		b->overflow = true;
		return;
	}
	memcpy(b->s + b->n, frag, l + 1);
	b->n += l;
}

void store_sql_param(struct store_sql *b, const char *prefix, int i)
{
	char name[24];
	snprintf(name, sizeof name, ":%s%d", prefix, i);
	store_sql_add(b, name);
}

static const char *const row_cols[RC_COUNT] = {
	[RC_REFERENCE] = "d.reference",
	[RC_SITE] = "d.site_code",
	[RC_CREATED_AT] = "d.created_at",
	[RC_LAST_NAME] = "h.last_name",
	[RC_FIRST_NAME] = "h.first_name",
	[RC_TITLE] = "d.project_title",
	[RC_ASSIGNED_TO] = "d.assigned_to",
	[RC_STATUS] = "d.status",
	[RC_STAGE] = "d.stage",
	[RC_NEEDS] = "d.needs",
	[RC_SECTOR] = "d.sector",
	[RC_LAST_ACTION] = "a.last_action_at",
	[RC_COUNTRY] = "h.country",
	[RC_VERSION] = "d.version",
};

/* The record's own columns; the fields' follow (store_dossier_select). */
static const char *const dossier_cols[DC_FIELDS] = {
	[DC_ID] = "d.id",
	[DC_REFERENCE] = "d.reference",
	[DC_SITE] = "d.site_code",
	[DC_HOLDER_ID] = "d.holder_id",
	[DC_CREATED_AT] = "d.created_at",
	[DC_UPDATED_AT] = "d.updated_at",
	[DC_CONSENT_AT] = "h.consent_at",
	[DC_CONSENT_VERSION] = "h.consent_version",
	[DC_CREATED_BY] = "d.created_by",
	[DC_ASSIGNED_TO] = "d.assigned_to",
	[DC_STATUS] = "d.status",
	[DC_VERSION] = "d.version",
	[DC_ERASED_AT] = "d.erased_at",
	[DC_WITHDRAWN_AT] = "h.consent_withdrawn_at",
	[DC_WITHDRAWN_BY] = "h.consent_withdrawn_by",
};

const char *store_field_table(enum td_field_group g)
{
	return g == TD_FG_HOLDER ? "holder" : "dossier";
}

static void select_list(struct store_sql *b, const char *const *cols, int n)
{
	for (int i = 0; i < n; i++) {
		if (i)
			store_sql_add(b, ", ");
		store_sql_add(b, cols[i]);
	}
}

void store_row_select(struct store_sql *b, bool one_row)
{
	if (!one_row) {
		select_list(b, row_cols, RC_COUNT);
		return;
	}
	/* dossier_row keeps each column under its source's name. */
	for (int i = 0; i < RC_COUNT; i++) {
		store_sql_add(b, i ? ", d." : "d.");
		store_sql_add(b, strchr(row_cols[i], '.') + 1);
	}
}

void store_dossier_select(struct store_sql *b)
{
	select_list(b, dossier_cols, DC_FIELDS);
	for (int f = 0; f < TD_F_COUNT; f++) {
		store_sql_add(b, td_fields[f].group == TD_FG_HOLDER ? ", h."
								  : ", d.");
		store_sql_add(b, td_fields[f].column);
	}
}

/* Index of the stored code, 0 ("not set" / "new") for one this release
 * does not know rather than an index the UI could overrun with. */
static int col_enum(sqlite3_stmt *st, int i, const struct td_enum *e)
{
	int k = td_enum_find(e, (const char *)sqlite3_column_text(st, i));
	return k < 0 ? 0 : k;
}

static unsigned col_needs(sqlite3_stmt *st, int i)
{
	unsigned m = 0;
	const char *s = (const char *)sqlite3_column_text(st, i);
	if (s && td_needs_parse(s, &m, NULL, NULL) != 0)
		m = 0;
	return m;
}

#define TEXT(col, field) store_col_copy(st, (col), (field), sizeof(field))

/* A field's column: text copied (cut to its buffer), a code this release
 * does not know read as "not set" rather than refused, a flag as 0/1. */
static void read_field(sqlite3_stmt *st, int col, struct td_intake *v,
		       enum td_field_id f)
{
	const struct td_field_def *d = &td_fields[f];

	switch (d->kind) {
	case TD_FK_TEXT:
		store_col_copy(st, col, td_intake_text(v, f), d->size);
		break;
	case TD_FK_CHOICE:
		td_intake_set_value(v, f, col_enum(st, col, d->choices));
		break;
	case TD_FK_MULTI:
		td_intake_set_value(v, f, (long)col_needs(st, col));
		break;
	case TD_FK_CHECK:
		td_intake_set_value(v, f, sqlite3_column_int(st, col) != 0);
		break;
	}
}

void store_row_read(sqlite3_stmt *st, struct td_queue_row *r)
{
	memset(r, 0, sizeof *r);
	TEXT(RC_REFERENCE, r->d.reference);
	TEXT(RC_SITE, r->d.site);
	TEXT(RC_CREATED_AT, r->d.created_at);
	TEXT(RC_LAST_NAME, r->d.last_name);
	TEXT(RC_FIRST_NAME, r->d.first_name);
	TEXT(RC_TITLE, r->d.title);
	TEXT(RC_ASSIGNED_TO, r->d.assigned_to);
	r->d.status = col_enum(st, RC_STATUS, &td_statuses);
	r->d.stage = col_enum(st, RC_STAGE, &td_stages);
	r->d.needs = col_needs(st, RC_NEEDS);
	r->sector = col_enum(st, RC_SECTOR, &td_sectors);
	TEXT(RC_LAST_ACTION, r->last_action_at);
	r->country = col_enum(st, RC_COUNTRY, &td_countries);
	r->d.version = sqlite3_column_int(st, RC_VERSION);
}

void store_dossier_read(sqlite3_stmt *st, struct td_dossier *d)
{
	memset(d, 0, sizeof *d);
	TEXT(DC_ID, d->id);
	TEXT(DC_REFERENCE, d->reference);
	TEXT(DC_SITE, d->site);
	TEXT(DC_HOLDER_ID, d->holder_id);
	TEXT(DC_CREATED_AT, d->created_at);
	TEXT(DC_UPDATED_AT, d->updated_at);
	TEXT(DC_CONSENT_AT, d->consent_at);
	TEXT(DC_CONSENT_VERSION, d->consent_version);
	TEXT(DC_CREATED_BY, d->created_by);
	TEXT(DC_ASSIGNED_TO, d->assigned_to);
	d->status = col_enum(st, DC_STATUS, &td_statuses);
	d->version = sqlite3_column_int(st, DC_VERSION);
	TEXT(DC_ERASED_AT, d->erased_at);
	TEXT(DC_WITHDRAWN_AT, d->withdrawn_at);
	TEXT(DC_WITHDRAWN_BY, d->withdrawn_by);
	for (int f = 0; f < TD_F_COUNT; f++)
		read_field(st, DC_FIELDS + f, &d->v, (enum td_field_id)f);
}

int store_fields_bad(const struct td_intake *v)
{
	char code[256];

	for (int f = 0; f < TD_F_COUNT; f++) {
		const struct td_field_def *d = &td_fields[f];
		long x = td_intake_value(v, (enum td_field_id)f);
		if ((d->kind == TD_FK_CHOICE &&
		     (x < 0 || (size_t)x >= d->choices->count)) ||
		    (d->kind == TD_FK_MULTI &&
		     td_field_code(v, (enum td_field_id)f, code,
				   sizeof code) < 0))
			return f;
	}
	return -1;
}

void store_bind_field(sqlite3_stmt *st, int i, const struct td_intake *v,
		      enum td_field_id f)
{
	const struct td_field_def *d = &td_fields[f];
	char code[TD_DESC_MAX * 4 + 1];

	if (d->kind == TD_FK_CHECK) {
		sqlite3_bind_int(st, i, td_intake_value(v, f) ? 1 : 0);
		return;
	}
	if (td_field_code(v, f, code, sizeof code) < 0)
		code[0] = '\0';
	/* a needs mask is '' when empty (NOT NULL); other empty values
	 * are NULL, as the columns have always held them */
	if (d->kind == TD_FK_MULTI || d->required)
		sqlite3_bind_text(st, i, code, -1, SQLITE_TRANSIENT);
	else if (code[0])
		sqlite3_bind_text(st, i, code, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}
