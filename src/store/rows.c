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
};

static const char *const dossier_cols[DC_COUNT] = {
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
	[DC_LAST_NAME] = "h.last_name",
	[DC_FIRST_NAME] = "h.first_name",
	[DC_EMAIL] = "h.email",
	[DC_PHONE] = "h.phone",
	[DC_POSTCODE] = "h.postcode",
	[DC_CITY] = "h.city",
	[DC_TITLE] = "d.project_title",
	[DC_DESCRIPTION] = "d.description",
	[DC_SIRET] = "d.siret",
	[DC_STAGE] = "d.stage",
	[DC_SECTOR] = "d.sector",
	[DC_NEEDS] = "d.needs",
	[DC_CONSENT] = "h.consent",
};

static void select_list(struct store_sql *b, const char *const *cols, int n)
{
	for (int i = 0; i < n; i++) {
		if (i)
			store_sql_add(b, ", ");
		store_sql_add(b, cols[i]);
	}
}

void store_row_select(struct store_sql *b)
{
	select_list(b, row_cols, RC_COUNT);
}

void store_dossier_select(struct store_sql *b)
{
	select_list(b, dossier_cols, DC_COUNT);
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
	TEXT(DC_LAST_NAME, d->v.last_name);
	TEXT(DC_FIRST_NAME, d->v.first_name);
	TEXT(DC_EMAIL, d->v.email);
	TEXT(DC_PHONE, d->v.phone);
	TEXT(DC_POSTCODE, d->v.postcode);
	TEXT(DC_CITY, d->v.city);
	TEXT(DC_TITLE, d->v.title);
	TEXT(DC_DESCRIPTION, d->v.description);
	TEXT(DC_SIRET, d->v.siret);
	d->v.stage = col_enum(st, DC_STAGE, &td_stages);
	d->v.sector = col_enum(st, DC_SECTOR, &td_sectors);
	d->v.needs = col_needs(st, DC_NEEDS);
	d->v.consent = sqlite3_column_int(st, DC_CONSENT) != 0;
}
