/* Creating and checking databases; the partner seed data embedded from
 * assets/partners.csv at build time. */
#include "app_int.h"
#include "totemdesk/app.h"
#include "totemdesk/csv.h"
#include "totemdesk/i18n.h"
#include "totemdesk/privilege.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

extern const unsigned char td_seed_partners_csv[];
extern const size_t td_seed_partners_csv_len;

static const char *const partner_columns[] = {
	"id", "name", "kind", "sites", "city", "address", "website", "stages",
	"needs", "description", "source",
};
#define NCOLS (sizeof partner_columns / sizeof partner_columns[0])

/* Insert every partner of the embedded CSV (inside the caller's
 * transaction). */
static int seed_partners(td_db *db, td_err *err)
{
	struct td_csv_reader r;
	struct td_csv_row row;
	long col[NCOLS];
	int rc = TD_OK, got;

	td_csv_reader_init(&r, (const char *)td_seed_partners_csv,
			   td_seed_partners_csv_len, ',');
	got = td_csv_next(&r, &row, err);
	if (got != 1) {
		rc = got < 0 ? TD_ECORRUPT
			     : td_err_set(err, TD_ECORRUPT, _("partner seed data is empty"));
		goto out;
	}
	for (size_t i = 0; i < NCOLS; i++) {
		col[i] = td_csv_header_index(&row, partner_columns[i]);
		if (col[i] < 0) {
			rc = td_err_set(err, TD_ECORRUPT,
				_("partner seed data has no \"%s\" column"),
				partner_columns[i]);
			goto out;
		}
	}
	while ((got = td_csv_next(&r, &row, err)) == 1) {
		const char *v[NCOLS];
		for (size_t i = 0; i < NCOLS; i++)
			v[i] = (size_t)col[i] < row.nfields ? row.fields[col[i]] : "";
		struct td_partner_rec p = { v[0], v[1], v[2], v[3], v[4], v[5],
					    v[6], v[7], v[8], v[9], v[10] };
		if (!*p.id || !*p.name) {
			rc = td_err_set(err, TD_ECORRUPT,
				_("partners.csv:%zu: partner without id or name"),
				row.line);
			goto out;
		}
		if ((rc = td_store_partner_put(db, &p, err)))
			goto out;
	}
	if (got < 0)
		rc = td_err_prefix(err, "partners.csv");
out:
	td_csv_reader_free(&r);
	return rc;
}

int td_app_init_db(const char *path, td_err *err)
{
	return app_init_db(path, 0, err);
}

int app_init_db(const char *path, unsigned flags, td_err *err)
{
	td_db *db = NULL;
	struct td_config defaults;
	if (td_priv_restricted())
		return td_err_set(err, TD_EPERM,
			_("only root creates the database of a desk shared by the users of this host: sudo totemdesk init"));
	int rc = td_store_open(path, app_db_flags(TD_DB_CREATE | TD_DB_NEW |
						  flags), &db, err);
	if (rc)
		return rc;
	td_config_defaults(&defaults);
	if ((rc = td_store_begin(db, err)))
		goto out;
	for (size_t i = 0; i < defaults.nsites && !rc; i++) {
		const struct td_site_cfg *s = &defaults.sites[i];
		struct td_site_rec r = { s->code, s->name, s->totem, s->city,
					 s->address, s->coordination };
		rc = td_store_site_put(db, &r, err);
	}
	if (!rc)
		rc = seed_partners(db, err);
	if (rc)
		td_store_rollback(db);
	else
		rc = td_store_commit(db, err);
out:
	td_store_close(db);
	if (rc)
		remove(path);
	return rc;
}

int td_app_check_db(const char *path, char *report, size_t reportsz,
		    td_err *err)
{
	td_db *db = NULL;
	char detail[2048];
	long partners = 0;
	int rc = td_store_open(path, app_db_flags(TD_DB_READONLY), &db, err);
	if (rc)
		return rc;
	int ver = td_store_schema_version(db);
	rc = td_store_check(db, detail, sizeof detail, err);
	if (rc == TD_OK || rc == TD_ECORRUPT) {
		td_err dummy;
		td_store_partner_count(db, &partners, &dummy);
		snprintf(report, reportsz,
			 _("database: %s\nschema version: %d (this program: %d)\n"
			   "integrity: %s\npartners: %ld\n"),
			 path, ver, TD_SCHEMA_VERSION, detail, partners);
		if (rc == TD_ECORRUPT)
			td_err_set(err, TD_ECORRUPT,
				   _("%s: the integrity check found problems"), path);
	}
	td_store_close(db);
	return rc;
}
