/* Changes made from the mission officers' queue -- assign, status, edit
 * -- and saved filters.  The listing itself is store/list.c. */
#include "rows.h"
#include "totemdesk/domain.h"
#include "totemdesk/dup.h"
#include "totemdesk/i18n.h"
#include "totemdesk/query.h"
#include "store/dup.h"

#include <stdio.h>
#include <string.h>

/* ---- changes ----------------------------------------------------------- */

static bool blank(const char *s)
{
	return !s || !*s;
}

static int exec_bound(td_db *db, const char *sql, const char *const *vals,
		      int nvals, int *changes, const char *what, td_err *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db->h, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_fail(db, rc, err, what);
	for (int i = 0; i < nvals; i++)
		store_bind_opt(st, i + 1, vals[i]);
	rc = sqlite3_step(st);
	int code = rc == SQLITE_DONE ? TD_OK : store_fail(db, rc, err, what);
	if (changes)
		*changes = sqlite3_changes(db->h);
	sqlite3_finalize(st);
	return code;
}

int td_store_dossier_assign(td_db *db, const struct td_dossier *d,
			    const char *login, const char *actor,
			    const char *at, td_err *err)
{
	static const char sql[] =
		"UPDATE dossier SET assigned_to = ?1, updated_at = ?2"
		" WHERE id = ?3 AND deleted = 0";
	char detail[160];
	bool nested;
	int n = 0, code = store_tx_begin(db, &nested, err);
	if (code)
		return code;
	const char *v[] = { login, at, d->id };
	code = exec_bound(db, sql, v, 3, &n, _("cannot assign the dossier"), err);
	if (!code && n == 0)
		code = td_err_set(err, TD_ENOTFOUND,
			_("dossier %s no longer exists"), d->reference);
	snprintf(detail, sizeof detail, "%s -> %s",
		 d->assigned_to[0] ? d->assigned_to : "-",
		 !blank(login) ? login : "-");
	if (!code)
		code = td_store_audit(db, at, actor, "assign", "dossier", d->id,
				      d->id, detail, err);
	return store_tx_end(db, nested, code, err);
}

int td_store_dossier_set_status(td_db *db, const struct td_dossier *d, int to,
				const char *actor, const char *at, td_err *err)
{
	/* The old status in the WHERE: if another desk changed it since d
	 * was read, nothing is written and the caller is told. */
	static const char sql[] =
		"UPDATE dossier SET status = ?1, updated_at = ?2"
		" WHERE id = ?3 AND status = ?4 AND deleted = 0";
	char detail[160];
	bool nested;
	int n = 0, code = store_tx_begin(db, &nested, err);
	if (code)
		return code;
	const char *from = td_enum_code(&td_statuses, d->status);
	const char *v[] = { td_enum_code(&td_statuses, to), at, d->id, from };
	code = exec_bound(db, sql, v, 4, &n, _("cannot change the status"), err);
	if (!code && n == 0)
		code = td_err_set(err, TD_EBUSY,
			_("dossier %s was changed at another desk; look at it again"),
			d->reference);
	snprintf(detail, sizeof detail, "%s -> %s", from, v[0]);
	if (!code)
		code = td_store_audit(db, at, actor, "status", "dossier", d->id,
				      d->id, detail, err);
	return store_tx_end(db, nested, code, err);
}

int td_store_dossier_update(td_db *db, const struct td_dossier *d,
			    const char *actor, const char *at, td_err *err)
{
	static const char holder_sql[] =
		"UPDATE holder SET last_name = ?1, first_name = ?2, email = ?3,"
		" phone = ?4, postcode = ?5, city = ?6, updated_at = ?7"
		" WHERE id = ?8 AND deleted = 0";
	static const char dossier_sql[] =
		"UPDATE dossier SET project_title = ?1, description = ?2,"
		" stage = ?3, sector = ?4, needs = ?5, siret = ?6,"
		" updated_at = ?7 WHERE id = ?8 AND version = ?9 AND deleted = 0";
	char needs[256], version[16];
	bool nested;
	int n = 0, code;

	if (td_needs_format(d->v.needs, needs, sizeof needs) < 0)
		return td_err_set(err, TD_EINVAL, _("unknown needs"));
	snprintf(version, sizeof version, "%d", d->version);
	if ((code = store_tx_begin(db, &nested, err)))
		return code;
	const char *hv[] = { d->v.last_name, d->v.first_name, d->v.email,
		d->v.phone, d->v.postcode, d->v.city, at, d->holder_id };
	const char *dv[] = { d->v.title, d->v.description,
		td_enum_code(&td_stages, d->v.stage),
		td_enum_code(&td_sectors, d->v.sector), needs, d->v.siret, at,
		d->id, version };
	code = exec_bound(db, dossier_sql, dv, 9, &n,
			  _("cannot save the dossier"), err);
	if (!code && n == 0)
		code = td_err_set(err, TD_EBUSY,
			_("dossier %s was changed at another desk; open it again"),
			d->reference);
	if (!code)
		code = exec_bound(db, holder_sql, hv, 8, NULL,
				  _("cannot save the dossier"), err);
	/* The duplicate check must find the holder under the new name,
	 * e-mail, phone or SIRET, and no longer under the old ones. */
	if (!code)
		code = td_store_dup_index(db, d->holder_id, err);
	if (!code)
		code = td_store_audit(db, at, actor, "edit", "dossier", d->id,
				      d->id, NULL, err);
	return store_tx_end(db, nested, code, err);
}

/* ---- saved filters ------------------------------------------------------ */

int td_store_filter_save(td_db *db, const char *owner, const char *name,
			 const char *spec, const char *at, td_err *err)
{
	static const char sql[] =
		"INSERT INTO saved_filter(id, owner, name, spec, created_at,"
		" updated_at, version, deleted)"
		" VALUES(?1, ?2, ?3, coalesce(?4, ''), ?5, ?5, 1, 0)"
		" ON CONFLICT(owner, name) DO UPDATE SET spec = excluded.spec,"
		" updated_at = excluded.updated_at, deleted = 0,"
		" version = version + 1";
	char id[TD_ID_SIZE];
	/* Saved filters are personal, not a site's: key them on "USR". */
	int code = td_store_new_id("USR", id, err);
	if (code)
		return code;
	const char *v[] = { id, owner, name, spec, at };
	return exec_bound(db, sql, v, 5, NULL, _("cannot save the filter"), err);
}

int td_store_filter_delete(td_db *db, const char *owner, const char *name,
			   const char *at, td_err *err)
{
	static const char sql[] =
		"UPDATE saved_filter SET deleted = 1, updated_at = ?3,"
		" version = version + 1 WHERE owner = ?1 AND name = ?2";
	const char *v[] = { owner, name, at };
	return exec_bound(db, sql, v, 3, NULL, _("cannot delete the filter"),
			  err);
}

int td_store_filter_list(td_db *db, const char *owner,
			 int (*cb)(const char *name, const char *spec, void *ctx),
			 void *ctx, td_err *err)
{
	static const char sql[] =
		"SELECT name, spec FROM saved_filter WHERE owner = ?1"
		" AND deleted = 0 ORDER BY created_at, name";
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db->h, sql, -1, &st, NULL), ret = 0;
	if (rc != SQLITE_OK)
		return store_fail(db, rc, err, _("cannot read the saved filters"));
	store_bind_text(st, 1, owner);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *n = (const char *)sqlite3_column_text(st, 0);
		const char *s = (const char *)sqlite3_column_text(st, 1);
		if ((ret = cb(n ? n : "", s ? s : "", ctx)) != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = store_fail(db, rc, err, _("cannot read the saved filters"));
	sqlite3_finalize(st);
	return ret;
}
